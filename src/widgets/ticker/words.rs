//! Every word the ticker shows or announces, in Vietnamese and English.

use crate::i18n::Lang;

/// The ticker's words in one language.
pub struct Words {
    /// The ticker's heading when the page gives no `label`; also the name of its list.
    pub label: &'static str,
    /// The badge of a pinned breaking item, and the name of the pinned list.
    pub breaking: &'static str,
    /// The badge of an item newer than `new-minutes`.
    pub new: &'static str,
    /// The motion button while the headlines move, and while they are paused.
    pub pause: &'static str,
    pub play: &'static str,
    /// The feed has no items.
    pub empty: &'static str,
    /// The news could not be loaded (tried again on its own).
    pub failed: &'static str,
}

/// The words of `lang`.
pub fn words(lang: Lang) -> &'static Words {
    lang.pick(&VI, &EN)
}

const VI: Words = Words {
    label: "Tin mới cập nhật",
    breaking: "Nóng",
    new: "Mới",
    pause: "Tạm dừng",
    play: "Tiếp tục",
    empty: "Chưa có tin mới.",
    failed: "Chưa tải được tin mới. Đang thử lại…",
};

const EN: Words = Words {
    label: "Latest news",
    breaking: "Breaking",
    new: "New",
    pause: "Pause",
    play: "Play",
    empty: "No news yet.",
    failed: "Could not load the latest news. Trying again…",
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_languages_have_every_word() {
        for w in [&VI, &EN] {
            for word in [
                w.label, w.breaking, w.new, w.pause, w.play, w.empty, w.failed,
            ] {
                assert!(!word.is_empty());
            }
            assert_ne!(w.pause, w.play, "the button says what it will do");
        }
        assert_eq!(words(Lang::Vi).label, "Tin mới cập nhật");
        assert_eq!(words(Lang::En).label, "Latest news");
    }
}

//! The widgets' words, in Vietnamese (the default) and English, and locale-aware numbers.
//!
//! Numbers go through the browser's `Intl` (Vietnamese writes "4,3" and "1.234"), so the wasm
//! carries no number formatting of its own.

use crate::config::OptValue;

/// A language the widgets speak.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Lang {
    /// Vietnamese, the default.
    #[default]
    Vi,
    /// English.
    En,
}

impl Lang {
    /// Reads a BCP 47 tag by its primary subtag: "vi", "vi-VN" → Vietnamese; "en", "en-GB" → English.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let primary = tag.split(['-', '_']).next().unwrap_or_default();
        if primary.eq_ignore_ascii_case("vi") {
            Some(Lang::Vi)
        } else if primary.eq_ignore_ascii_case("en") {
            Some(Lang::En)
        } else {
            None
        }
    }

    /// The locale passed to `Intl`.
    pub const fn locale(self) -> &'static str {
        match self {
            Lang::Vi => "vi-VN",
            Lang::En => "en-US",
        }
    }

    /// The tag set as the widget's `lang` attribute.
    pub const fn tag(self) -> &'static str {
        match self {
            Lang::Vi => "vi",
            Lang::En => "en",
        }
    }

    /// The words of this language.
    pub const fn strings(self) -> &'static Strings {
        match self {
            Lang::Vi => &VI,
            Lang::En => &EN,
        }
    }
}

impl OptValue for Lang {
    const TYPE: &'static str = "language tag";
    const ALLOWED: &'static str = "\"vi\" or \"en\"";
    fn parse(raw: &str) -> Option<Self> {
        Lang::from_tag(raw)
    }
    fn show(&self) -> &'static str {
        self.tag()
    }
}

/// Every sentence a widget shows or announces.
pub struct Strings {
    /// Visible prompt above the rating choices; also the radio group's accessible name.
    pub rate_prompt: &'static str,
    /// Accessible names of the five stars.
    pub stars: [&'static str; 5],
    /// Accessible names of thumbs down and thumbs up.
    pub thumbs: [&'static str; 2],
    pub no_votes: &'static str,
    /// "… lượt bình chọn" after the count; English adds the plural.
    pub vote_one: &'static str,
    pub vote_many: &'static str,
    /// Words after the thumbs-up and thumbs-down counts.
    pub ups: &'static str,
    pub downs: &'static str,
    pub saved: &'static str,
    pub refused: &'static str,
    pub unreachable: &'static str,
    pub rate_limited: &'static str,
}

/// Vietnamese.
pub const VI: Strings = Strings {
    rate_prompt: "Bạn đánh giá bài viết này thế nào?",
    stars: ["1 sao", "2 sao", "3 sao", "4 sao", "5 sao"],
    thumbs: ["Không thích", "Thích"],
    no_votes: "Chưa có lượt bình chọn nào",
    vote_one: " lượt bình chọn",
    vote_many: " lượt bình chọn",
    ups: " thích",
    downs: " không thích",
    saved: "Cảm ơn bạn đã bình chọn.",
    refused: "Chưa lưu được bình chọn của bạn. Vui lòng thử lại.",
    unreachable: "Không kết nối được máy chủ, bình chọn chưa được lưu.",
    rate_limited: "Bạn bình chọn quá nhanh. Vui lòng thử lại sau ít phút.",
};

/// English.
pub const EN: Strings = Strings {
    rate_prompt: "How would you rate this article?",
    stars: ["1 star", "2 stars", "3 stars", "4 stars", "5 stars"],
    thumbs: ["Dislike", "Like"],
    no_votes: "No votes yet",
    vote_one: " vote",
    vote_many: " votes",
    ups: " up",
    downs: " down",
    saved: "Thank you, your vote was recorded.",
    refused: "Your vote was not saved. Please try again.",
    unreachable: "Could not reach the server; your vote was not saved.",
    rate_limited: "Too many votes. Please try again in a minute.",
};

/// Formats `value` for `lang` with exactly `decimals` fraction digits, through `Intl`.
pub fn number(lang: Lang, value: f64, decimals: u8) -> String {
    let options = js_sys::Object::new();
    let digits = wasm_bindgen::JsValue::from(decimals);
    // Reflect::set on a fresh plain object cannot fail.
    let _ = js_sys::Reflect::set(&options, &"minimumFractionDigits".into(), &digits);
    let _ = js_sys::Reflect::set(&options, &"maximumFractionDigits".into(), &digits);
    let locales = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(lang.locale()));
    js_sys::Intl::NumberFormat::new(&locales, &options)
        .format()
        .call1(&wasm_bindgen::JsValue::NULL, &value.into())
        .ok()
        .and_then(|text| text.as_string())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_tags_are_read_by_primary_subtag() {
        assert_eq!(Lang::from_tag("vi"), Some(Lang::Vi));
        assert_eq!(Lang::from_tag("vi-VN"), Some(Lang::Vi));
        assert_eq!(Lang::from_tag("EN_gb"), Some(Lang::En));
        assert_eq!(Lang::from_tag("fr"), None);
        assert_eq!(Lang::from_tag(""), None);
    }

    #[test]
    fn both_languages_name_every_choice() {
        for strings in [&VI, &EN] {
            assert!(strings.stars.iter().all(|s| !s.is_empty()));
            assert!(strings.thumbs.iter().all(|s| !s.is_empty()));
        }
        assert_ne!(VI.saved, EN.saved);
    }
}

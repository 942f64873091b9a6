//! Every sentence the rating widget shows or announces, in Vietnamese and English.

use crate::i18n::Lang;

/// The rating widget's words in one language.
pub struct Words {
    /// Visible prompt above the rating choices; also the radio group's accessible name.
    pub prompt: &'static str,
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
    /// A vote on its way: chosen, not yet counted.
    pub sending: &'static str,
    /// A vote cast without a connection, kept to be sent when it returns.
    pub queued: &'static str,
    pub saved: &'static str,
    pub refused: &'static str,
    pub unreachable: &'static str,
    pub timeout: &'static str,
    pub rate_limited: &'static str,
    /// The button that sends a failed vote again.
    pub retry: &'static str,
}

/// The words of `lang`.
pub fn words(lang: Lang) -> &'static Words {
    lang.pick(&VI, &EN)
}

const VI: Words = Words {
    prompt: "Bạn đánh giá bài viết này thế nào?",
    stars: ["1 sao", "2 sao", "3 sao", "4 sao", "5 sao"],
    thumbs: ["Không thích", "Thích"],
    no_votes: "Chưa có lượt bình chọn nào",
    vote_one: " lượt bình chọn",
    vote_many: " lượt bình chọn",
    ups: " thích",
    downs: " không thích",
    sending: "Đang gửi bình chọn của bạn…",
    queued: "Chưa kết nối được máy chủ: bình chọn của bạn sẽ gửi khi có mạng.",
    saved: "Cảm ơn bạn đã bình chọn.",
    refused: "Chưa lưu được bình chọn của bạn.",
    unreachable: "Không kết nối được máy chủ, bình chọn chưa được lưu.",
    timeout: "Máy chủ không trả lời, bình chọn chưa được lưu.",
    rate_limited: "Bạn bình chọn quá nhanh. Vui lòng thử lại sau ít phút.",
    retry: "Thử lại",
};

const EN: Words = Words {
    prompt: "How would you rate this article?",
    stars: ["1 star", "2 stars", "3 stars", "4 stars", "5 stars"],
    thumbs: ["Dislike", "Like"],
    no_votes: "No votes yet",
    vote_one: " vote",
    vote_many: " votes",
    ups: " up",
    downs: " down",
    sending: "Sending your vote…",
    queued: "Cannot reach the server: your vote will be sent once the connection is back.",
    saved: "Thank you, your vote was recorded.",
    refused: "Your vote was not saved.",
    unreachable: "Could not reach the server; your vote was not saved.",
    timeout: "The server did not answer; your vote was not saved.",
    rate_limited: "Too many votes. Please try again in a minute.",
    retry: "Try again",
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_languages_name_every_choice_and_state() {
        for words in [&VI, &EN] {
            assert!(words.stars.iter().all(|s| !s.is_empty()));
            assert!(words.thumbs.iter().all(|s| !s.is_empty()));
            for sentence in [
                words.sending,
                words.queued,
                words.saved,
                words.timeout,
                words.retry,
            ] {
                assert!(!sentence.is_empty());
            }
        }
        assert_ne!(VI.saved, EN.saved);
    }
}

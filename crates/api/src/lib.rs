//! The contract between the bangtin widgets (compiled to wasm) and the server.
//!
//! Both sides use exactly these types, so a request the widget builds is the request the server
//! tests send. Everything here is plain data plus the limits and validators both sides apply;
//! nothing here formats strings, so the wasm pays nothing for `core::fmt`.

#![no_std]
extern crate alloc;

use alloc::string::String;
use alloc::vec::Vec;
use serde::{Deserialize, Serialize};

/// Every API route lives under this prefix; a breaking change gets a new version.
pub const API_PREFIX: &str = "/api/v1";
/// Path of the batched rating summary read (`POST`, body [`GetRatings`]).
pub const RATINGS_SUMMARY_PATH: &str = "/api/v1/ratings/summary";
/// Path of the vote write (`POST`, body [`CastVote`]).
pub const VOTES_PATH: &str = "/api/v1/votes";

/// Longest article key, in characters.
pub const MAX_ARTICLE_CHARS: usize = 512;
/// Most ratings one summary request may ask for.
pub const MAX_BATCH: usize = 100;
/// A reader id is exactly this many lowercase hex digits (128 random bits).
pub const READER_ID_LEN: usize = 32;
/// Largest request body the server accepts, in bytes.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// How an article is rated.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
#[serde(rename_all = "lowercase")]
pub enum Scale {
    /// One to five stars; the summary shows the average.
    #[default]
    Stars,
    /// Thumbs down (0) or up (1); the summary shows both counts.
    Thumbs,
}

impl Scale {
    /// Every scale, in the order the docs list them.
    pub const ALL: [Scale; 2] = [Scale::Stars, Scale::Thumbs];

    /// The wire and attribute name.
    pub const fn as_str(self) -> &'static str {
        match self {
            Scale::Stars => "stars",
            Scale::Thumbs => "thumbs",
        }
    }

    /// Parses the wire and attribute name.
    pub fn parse(s: &str) -> Option<Scale> {
        Scale::ALL.into_iter().find(|scale| scale.as_str() == s)
    }

    /// Lowest allowed vote value.
    pub const fn min(self) -> u8 {
        match self {
            Scale::Stars => 1,
            Scale::Thumbs => 0,
        }
    }

    /// Highest allowed vote value.
    pub const fn max(self) -> u8 {
        match self {
            Scale::Stars => 5,
            Scale::Thumbs => 1,
        }
    }

    /// Whether `value` is a vote on this scale.
    pub const fn accepts(self, value: u8) -> bool {
        value >= self.min() && value <= self.max()
    }
}

/// One rating a widget shows: an article on a scale.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct RatingKey {
    pub article: String,
    pub scale: Scale,
}

/// `POST /api/v1/ratings/summary`: the summaries of every rating widget on a page, in one request.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct GetRatings {
    /// The reader asking, so that each summary carries their own vote; absent for anonymous reads.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reader: Option<String>,
    /// At most [`MAX_BATCH`] ratings; duplicates are answered once.
    pub items: Vec<RatingKey>,
}

/// `POST /api/v1/votes`: a reader's vote; a second vote by the same reader replaces the first.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct CastVote {
    pub article: String,
    pub scale: Scale,
    /// 1..=5 for stars, 0 (down) or 1 (up) for thumbs.
    pub value: u8,
    /// The reader's random id (see [`valid_reader_id`]); the server stores only a keyed hash of it.
    pub reader: String,
}

/// The state of one rating as a reader sees it.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct RatingSummary {
    pub article: String,
    pub scale: Scale,
    /// Number of votes.
    pub count: u64,
    /// Sum of the vote values: the average for stars, the number of thumbs up for thumbs.
    pub sum: u64,
    /// The asking reader's own vote, if they have one.
    #[serde(default)]
    pub mine: Option<u8>,
}

/// Answer to [`GetRatings`]: one summary per distinct requested rating, in request order.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct RatingSummaries {
    pub summaries: Vec<RatingSummary>,
}

/// Every error the API returns: `{"error": {"code": "...", "message": "..."}}`.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

/// A machine-readable code (stable) and a human-readable message naming what is wrong.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct ErrorDetail {
    pub code: String,
    pub message: String,
}

/// Why an article key is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BadArticle {
    Empty,
    TooLong,
    /// Control characters, or whitespace at either end.
    BadCharacters,
}

/// Checks an article key: 1..=[`MAX_ARTICLE_CHARS`] characters, no control characters, no
/// whitespace at either end. The server also NFC-normalizes it before storing.
pub fn validate_article(article: &str) -> Result<(), BadArticle> {
    if article.is_empty() {
        return Err(BadArticle::Empty);
    }
    if article.chars().count() > MAX_ARTICLE_CHARS {
        return Err(BadArticle::TooLong);
    }
    let trimmed = article.trim();
    if trimmed.len() != article.len() || article.chars().any(char::is_control) {
        return Err(BadArticle::BadCharacters);
    }
    Ok(())
}

/// A reader id is exactly [`READER_ID_LEN`] lowercase hex digits.
pub fn valid_reader_id(reader: &str) -> bool {
    reader.len() == READER_ID_LEN
        && reader
            .bytes()
            .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;

    #[test]
    fn scale_round_trips_through_its_wire_name() {
        for scale in Scale::ALL {
            assert_eq!(Scale::parse(scale.as_str()), Some(scale));
            let json = serde_json::to_string(&scale).expect("serializes");
            assert_eq!(json, ["\"", scale.as_str(), "\""].concat());
        }
        assert_eq!(Scale::parse("stras"), None);
    }

    #[test]
    fn scales_accept_only_their_values() {
        assert!(!Scale::Stars.accepts(0));
        assert!((1..=5).all(|v| Scale::Stars.accepts(v)));
        assert!(!Scale::Stars.accepts(6));
        assert!(Scale::Thumbs.accepts(0) && Scale::Thumbs.accepts(1));
        assert!(!Scale::Thumbs.accepts(2));
    }

    #[test]
    fn article_keys_are_checked() {
        assert_eq!(validate_article("/thoi-su/bai-viet-1.html"), Ok(()));
        assert_eq!(validate_article("Tiếng Việt có dấu"), Ok(()));
        assert_eq!(validate_article(""), Err(BadArticle::Empty));
        assert_eq!(validate_article(" a"), Err(BadArticle::BadCharacters));
        assert_eq!(validate_article("a\u{0}b"), Err(BadArticle::BadCharacters));
        let long = "ă".repeat(MAX_ARTICLE_CHARS);
        assert_eq!(validate_article(&long), Ok(()));
        assert_eq!(validate_article(&(long + "a")), Err(BadArticle::TooLong));
    }

    #[test]
    fn reader_ids_are_32_lowercase_hex_digits() {
        assert!(valid_reader_id("0123456789abcdef0123456789abcdef"));
        assert!(!valid_reader_id("0123456789ABCDEF0123456789abcdef"));
        assert!(!valid_reader_id("0123456789abcdef"));
        assert!(!valid_reader_id(&"g".repeat(32)));
    }

    #[test]
    fn unknown_fields_in_a_vote_are_refused() {
        let body = r#"{"article":"a","scale":"stars","value":3,"reader":"x","extra":1}"#;
        let err = serde_json::from_str::<CastVote>(body).expect_err("unknown field");
        assert!(err.to_string().contains("extra"));
    }
}

//! The ticker's contract ("Tin mới cập nhật"): the latest headlines of a feed the server ingests
//! (RSS, Atom, JSON Feed), with the newsroom's pinned breaking items first.

use alloc::string::String;
use alloc::vec::Vec;
use serde::{Deserialize, Serialize};

/// `GET ?feed=NAME&limit=N`: the newest items of a configured feed ([`News`]), with an `ETag`
/// (a conditional request gets `304`) and a short `Cache-Control`. An empty or missing `feed`
/// means the site's main feed (the first configured).
pub const NEWS_PATH: &str = "/api/v1/news";

/// Most items a widget may ask for.
pub const LIMIT_MAX: u32 = 50;
/// Items when `limit` is not given.
pub const LIMIT_DEFAULT: u32 = 10;
/// Longest feed name, in bytes.
pub const FEED_NAME_MAX: usize = 32;

/// Whether `name` can name a feed: 1 to [`FEED_NAME_MAX`] of `a-z 0-9 -` (e.g. `tin-moi`,
/// `thoi-su`, `the-thao`).
pub fn valid_feed_name(name: &str) -> bool {
    (1..=FEED_NAME_MAX).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// A feed's latest items, pinned breaking items first (newest pin first), then the feed's items
/// newest first (items without a date keep the order the feed gave them).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct News {
    /// The feed's name (the main feed's, when the request named none).
    pub feed: String,
    pub items: Vec<NewsItem>,
}

/// One headline: a real link to the article.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct NewsItem {
    /// Stable across refreshes (the feed's guid, else its link; `b<n>` for a breaking item).
    pub id: String,
    /// Plain text (HTML removed, entities decoded), NFC.
    pub title: String,
    /// An absolute http(s) URL; never anything else.
    pub url: String,
    /// Milliseconds since the Unix epoch, when the feed gave a date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published_at: Option<u64>,
    /// The section ("Thời sự", "Thể thao"), when the feed gave one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub section: Option<String>,
    /// A pinned item from the newsroom ("Nóng").
    #[serde(default)]
    pub breaking: bool,
}

/// The ticker's first data in a boot answer (`w=ticker&feed=…&limit=…`): the news under the key
/// the widget checks ([`first_key`]), or why there is none.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct TickerFirst {
    pub key: String,
    #[serde(flatten)]
    pub news: Option<News>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<crate::ErrorDetail>,
}

/// The key of a ticker's first data: `FEED:LIMIT`, with the feed as the widget gave it (empty
/// for the main feed) and the limit it asked for.
pub fn first_key(feed: &str, limit: u32) -> String {
    let mut key = String::from(feed);
    key.push(':');
    crate::push_decimal(&mut key, u64::from(limit));
    key
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn feed_names_are_plain() {
        assert!(valid_feed_name("tin-moi"));
        assert!(valid_feed_name("the-thao-2"));
        for bad in ["", "Tin", "tin moi", "tin_moi", "thời-sự", &"a".repeat(33)] {
            assert!(!valid_feed_name(bad), "{bad:?}");
        }
    }

    #[test]
    fn keys_name_feed_and_limit() {
        assert_eq!(first_key("", 10), ":10");
        assert_eq!(first_key("the-thao", 5), "the-thao:5");
    }
}

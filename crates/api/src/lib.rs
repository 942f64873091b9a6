//! The contract between the bangtin widgets (compiled to wasm) and the server.
//!
//! Both sides use exactly these types, so a request the widget builds is the request the server
//! tests send. Everything here is plain data plus the limits and validators both sides apply;
//! nothing here formats strings, so the wasm pays nothing for `core::fmt`.

#![no_std]
extern crate alloc;

pub mod countdown;
pub mod feedback;
pub mod ticker;

use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec::Vec;
use serde::{Deserialize, Serialize};

/// Every API route lives under this prefix; a breaking change gets a new version.
pub const API_PREFIX: &str = "/api/v1";
/// Path of the batched rating read: `GET` with the query [`GetRatings::query`], answered with
/// [`Ratings`]. A simple request (no preflight) that caches can keep.
pub const RATINGS_PATH: &str = "/api/v1/ratings";
/// Path of the vote write (`POST`, body [`CastVote`]).
pub const VOTES_PATH: &str = "/api/v1/votes";
/// Path of the first data of every widget on a page, in one `GET` (see [`Boot`]).
pub const BOOT_PATH: &str = "/api/v1/boot";
/// Most widgets one boot request may name.
pub const MAX_BOOT_WIDGETS: usize = 200;

/// Query parameter of a boot request: the page's own article key (its canonical URL, else its
/// path), the default of widgets about the page's article.
pub const PAGE_PARAM: &str = "page";
/// Query parameter of a boot request that starts each widget: its kind (`rating`, …). The
/// parameters after it, up to the next one, are that widget's attributes.
pub const WIDGET_PARAM: &str = "w";

/// `GET /api/v1/boot?page=…&reader=…&w=rating&article=…&scale=…&w=…`: what every widget on a
/// page shows first, asked for by the loader while the widget code downloads. Each widget is its
/// kind and its attributes as the page wrote them; the server applies the same defaults as the
/// widget and answers each under the key it resolved to, so a widget knows the answer is its own.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Boot {
    pub page: Option<String>,
    pub reader: Option<String>,
    pub widgets: Vec<BootWidget>,
}

/// One widget of a [`Boot`] request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BootWidget {
    pub kind: String,
    /// Attribute name and value, in the order given.
    pub params: Vec<(String, String)>,
}

impl BootWidget {
    /// The value of attribute `name`, if given.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Why a boot query is refused as a whole (each widget's own problems are answered per widget).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BadBoot {
    /// An attribute before the first `w`.
    ParamBeforeWidget,
    /// `page` or `reader` given twice.
    Repeated,
    NoWidgets,
    TooManyWidgets,
}

impl Boot {
    /// Reads the query's name/value pairs (already percent-decoded), in order.
    pub fn from_pairs<'a>(
        pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<Boot, BadBoot> {
        let mut boot = Boot::default();
        for (name, value) in pairs {
            match name {
                WIDGET_PARAM => boot.widgets.push(BootWidget {
                    kind: value.into(),
                    params: Vec::new(),
                }),
                PAGE_PARAM if boot.widgets.is_empty() => {
                    if boot.page.replace(value.into()).is_some() {
                        return Err(BadBoot::Repeated);
                    }
                }
                READER_PARAM if boot.widgets.is_empty() => {
                    if boot.reader.replace(value.into()).is_some() {
                        return Err(BadBoot::Repeated);
                    }
                }
                _ => match boot.widgets.last_mut() {
                    Some(widget) => widget.params.push((name.into(), value.into())),
                    None => return Err(BadBoot::ParamBeforeWidget),
                },
            }
        }
        if boot.widgets.is_empty() {
            return Err(BadBoot::NoWidgets);
        }
        if boot.widgets.len() > MAX_BOOT_WIDGETS {
            return Err(BadBoot::TooManyWidgets);
        }
        Ok(boot)
    }

    /// The query string, encoded as `URLSearchParams` encodes it (the loader builds it so).
    pub fn query(&self) -> String {
        let mut out = String::new();
        let mut pair = |name: &str, value: &str| {
            if !out.is_empty() {
                out.push('&');
            }
            form_encode(name, &mut out);
            out.push('=');
            form_encode(value, &mut out);
        };
        if let Some(page) = &self.page {
            pair(PAGE_PARAM, page);
        }
        if let Some(reader) = &self.reader {
            pair(READER_PARAM, reader);
        }
        for widget in &self.widgets {
            pair(WIDGET_PARAM, &widget.kind);
            for (name, value) in &widget.params {
                pair(name, value);
            }
        }
        out
    }
}

/// The first data of a rating, in a boot answer: the counts, or why there are none, under the
/// item (`stars:ARTICLE`) the server resolved the widget's attributes to.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct RatingFirst {
    pub key: String,
    #[serde(flatten)]
    pub outcome: RatingOutcome,
}

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

impl RatingKey {
    /// The item as it travels in the query and keys the answer: `stars:/thoi-su/bai-1`.
    pub fn item(&self) -> String {
        [self.scale.as_str(), ":", &self.article].concat()
    }
}

/// Why one item of a rating read is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BadItem {
    /// Not `SCALE:ARTICLE` with a known scale.
    Scale,
    Article(BadArticle),
}

/// Reads an item `SCALE:ARTICLE` (see [`RatingKey::item`]); the article is checked but not
/// normalized.
pub fn parse_item(item: &str) -> Result<(Scale, &str), BadItem> {
    let (scale, article) = item.split_once(':').ok_or(BadItem::Scale)?;
    let scale = Scale::parse(scale).ok_or(BadItem::Scale)?;
    validate_article(article).map_err(BadItem::Article)?;
    Ok((scale, article))
}

/// Query parameter naming the reader of a rating read.
pub const READER_PARAM: &str = "reader";
/// Query parameter naming one rating of a rating read (repeated).
pub const ITEM_PARAM: &str = "item";

/// `GET /api/v1/ratings?reader=…&item=stars:…&item=…`: every rating widget on a page in one
/// request, each item answered on its own.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GetRatings {
    /// The reader asking, so that each answer carries their own vote; absent for anonymous reads.
    pub reader: Option<String>,
    /// At most [`MAX_BATCH`] ratings; duplicates are answered once.
    pub items: Vec<RatingKey>,
}

impl GetRatings {
    /// The query string (without `?`), encoded as `URLSearchParams` encodes it, which is how the
    /// widget builds it in the browser.
    pub fn query(&self) -> String {
        let mut out = String::new();
        let mut pair = |name: &str, value: &str| {
            if !out.is_empty() {
                out.push('&');
            }
            out.push_str(name);
            out.push('=');
            form_encode(value, &mut out);
        };
        if let Some(reader) = &self.reader {
            pair(READER_PARAM, reader);
        }
        for item in &self.items {
            pair(ITEM_PARAM, &item.item());
        }
        out
    }
}

/// `application/x-www-form-urlencoded` byte serializer of the URL Standard (what
/// `URLSearchParams` writes): `*-._` and alphanumerics stay, space is `+`, the rest `%XX`.
pub fn form_encode(value: &str, out: &mut String) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for byte in value.bytes() {
        match byte {
            b'*' | b'-' | b'.' | b'_' | b'0'..=b'9' | b'A'..=b'Z' | b'a'..=b'z' => {
                out.push(char::from(byte));
            }
            b' ' => out.push('+'),
            _ => {
                out.push('%');
                out.push(char::from(HEX[usize::from(byte >> 4)]));
                out.push(char::from(HEX[usize::from(byte & 15)]));
            }
        }
    }
}

/// The counts of one rating as a reader sees them.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct RatingCounts {
    /// Number of votes.
    pub count: u64,
    /// Sum of the vote values: the average for stars, the number of thumbs up for thumbs.
    pub sum: u64,
    /// The asking reader's own vote, if they have one.
    #[serde(default)]
    pub mine: Option<u8>,
}

/// One item of a batch that could not be answered, and why.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct ItemError {
    pub error: ErrorDetail,
}

/// The answer to one item of a rating read: its counts, or why there are none.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(untagged)]
pub enum RatingOutcome {
    Counts(RatingCounts),
    Failed(ItemError),
}

/// Answer to [`GetRatings`]: every requested item, keyed by the item exactly as it was sent, so
/// one bad item fails only its own widget.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct Ratings {
    pub ratings: BTreeMap<String, RatingOutcome>,
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

/// Answer to [`CastVote`]: the rating after the vote, as the reader sees it.
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
    // Characters, counted without `str::chars().count()`'s large fast path (the wasm is small).
    let chars = article.bytes().filter(|b| (b & 0xC0) != 0x80).count();
    if chars > MAX_ARTICLE_CHARS {
        return Err(BadArticle::TooLong);
    }
    let trimmed = article.trim();
    if trimmed.len() != article.len() || article.chars().any(char::is_control) {
        return Err(BadArticle::BadCharacters);
    }
    Ok(())
}

/// Appends `n` in decimal: no `core::fmt`, no panic path and no `String::push`
/// (whose UTF-8 encoder costs the wasm more than these ten strings). The one decimal writer of
/// the widget's wasm: keys ([`ticker::first_key`]) and the countdown's labels use it.
pub fn push_decimal(to: &mut String, n: u64) {
    const DIGITS: [&str; 10] = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];
    if n >= 10 {
        push_decimal(to, n / 10);
    }
    // n % 10 < 10: the compiler drops the bounds check.
    to.push_str(DIGITS[(n % 10) as usize]);
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
    fn items_name_the_scale_then_the_article() {
        let key = RatingKey {
            article: "/thời-sự/a:b".to_string(),
            scale: Scale::Thumbs,
        };
        assert_eq!(key.item(), "thumbs:/thời-sự/a:b");
        assert_eq!(parse_item(&key.item()), Ok((Scale::Thumbs, "/thời-sự/a:b")));
        assert_eq!(parse_item("/a"), Err(BadItem::Scale));
        assert_eq!(parse_item("stras:/a"), Err(BadItem::Scale));
        assert_eq!(
            parse_item("stars:"),
            Err(BadItem::Article(BadArticle::Empty))
        );
    }

    #[test]
    fn the_query_is_encoded_like_url_search_params() {
        let get = GetRatings {
            reader: Some("0123456789abcdef0123456789abcdef".to_string()),
            items: alloc::vec![RatingKey {
                article: "/xã hội/a&b=c+d~".to_string(),
                scale: Scale::Stars,
            }],
        };
        assert_eq!(
            get.query(),
            "reader=0123456789abcdef0123456789abcdef\
             &item=stars%3A%2Fx%C3%A3+h%E1%BB%99i%2Fa%26b%3Dc%2Bd%7E"
        );
    }

    #[test]
    fn one_failed_item_reads_as_an_error_and_the_others_as_counts() {
        let json = r#"{"ratings":{"stars:/a":{"count":2,"sum":9,"mine":null},
            "stars:":{"error":{"code":"invalid_article","message":"article must not be empty"}}}}"#;
        let answer: Ratings = serde_json::from_str(json).expect("parses");
        assert_eq!(
            answer.ratings["stars:/a"],
            RatingOutcome::Counts(RatingCounts {
                count: 2,
                sum: 9,
                mine: None
            })
        );
        assert!(matches!(
            &answer.ratings["stars:"],
            RatingOutcome::Failed(ItemError { error }) if error.code == "invalid_article"
        ));
    }

    #[test]
    fn a_boot_query_reads_each_widget_with_the_attributes_that_follow_it() {
        let pairs = [
            ("page", "/thoi-su/a.html"),
            ("reader", "0123456789abcdef0123456789abcdef"),
            ("w", "rating"),
            ("scale", "thumbs"),
            ("w", "rating"),
            ("article", "a&b"),
            ("w", "ticker"),
        ];
        let boot = Boot::from_pairs(pairs).expect("valid");
        assert_eq!(boot.page.as_deref(), Some("/thoi-su/a.html"));
        assert_eq!(boot.widgets.len(), 3);
        assert_eq!(boot.widgets[0].param("scale"), Some("thumbs"));
        assert_eq!(boot.widgets[1].param("article"), Some("a&b"));
        assert_eq!(boot.widgets[2].params.len(), 0);
        assert_eq!(
            boot.query(),
            "page=%2Fthoi-su%2Fa.html&reader=0123456789abcdef0123456789abcdef\
             &w=rating&scale=thumbs&w=rating&article=a%26b&w=ticker"
        );
        // After the first widget, `page` is an attribute like any other.
        let late = Boot::from_pairs([("w", "x"), ("page", "p")]).expect("valid");
        assert_eq!(late.widgets[0].param("page"), Some("p"));
    }

    #[test]
    fn a_boot_query_without_widgets_or_with_stray_attributes_is_refused() {
        assert_eq!(Boot::from_pairs([("page", "/a")]), Err(BadBoot::NoWidgets));
        assert_eq!(
            Boot::from_pairs([("scale", "stars"), ("w", "rating")]),
            Err(BadBoot::ParamBeforeWidget)
        );
        assert_eq!(
            Boot::from_pairs([("page", "/a"), ("page", "/b"), ("w", "rating")]),
            Err(BadBoot::Repeated)
        );
        let many = (0..=MAX_BOOT_WIDGETS).map(|_| ("w", "rating"));
        assert_eq!(Boot::from_pairs(many), Err(BadBoot::TooManyWidgets));
    }

    #[test]
    fn unknown_fields_in_a_vote_are_refused() {
        let body = r#"{"article":"a","scale":"stars","value":3,"reader":"x","extra":1}"#;
        let err = serde_json::from_str::<CastVote>(body).expect_err("unknown field");
        assert!(err.to_string().contains("extra"));
    }
}

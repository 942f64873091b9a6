//! The feedback widget's contract ("Gửi phản hồi", "Xem phản hồi"): what a reader sends, what
//! the public list shows, and the limits both sides check. The moderation desk's API is the
//! server's own (`crates/server/src/feedback/admin.rs`); nothing here ever carries an email
//! address or unpublished feedback to a reader.

use alloc::string::String;
use alloc::vec::Vec;
use serde::{Deserialize, Serialize};

/// `POST`: a reader sends feedback ([`SubmitFeedback`] → [`Submitted`]).
/// `GET ?article=…&sort=newest|liked&after=…&reader=…`: a page of the published list
/// ([`FeedbackPage`]).
pub const FEEDBACK_PATH: &str = "/api/v1/feedback";
/// `POST`: a reader likes an item ([`LikeFeedback`] → [`Liked`]); once per reader.
pub const FEEDBACK_LIKES_PATH: &str = "/api/v1/feedback/likes";

/// Longest name, in characters.
pub const NAME_MAX: usize = 80;
/// Longest email address, in characters.
pub const EMAIL_MAX: usize = 254;
/// Shortest message, in characters (after trimming).
pub const MESSAGE_MIN: usize = 10;
/// Longest message, in characters.
pub const MESSAGE_MAX: usize = 3000;
/// Most links a message may hold before it counts as spam.
pub const MAX_LINKS: usize = 2;
/// The least time, in milliseconds, between the form being shown and sent: people read first.
pub const MIN_SUBMIT_MS: u64 = 3_000;
/// Items per page of the public list.
pub const PAGE_SIZE: usize = 10;

/// How the public list is ordered.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Default)]
#[serde(rename_all = "lowercase")]
pub enum Sort {
    /// "Mới nhất": the newest first.
    #[default]
    Newest,
    /// "Quan tâm nhất": the most liked first.
    Liked,
}

impl Sort {
    /// The wire and attribute name.
    pub const fn as_str(self) -> &'static str {
        match self {
            Sort::Newest => "newest",
            Sort::Liked => "liked",
        }
    }

    /// Parses the wire and attribute name.
    pub fn parse(s: &str) -> Option<Sort> {
        [Sort::Newest, Sort::Liked]
            .into_iter()
            .find(|sort| sort.as_str() == s)
    }
}

/// `POST /api/v1/feedback`.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct SubmitFeedback {
    /// A key the widget makes (32 hex digits) so that a send repeated after a lost answer (the
    /// outbox, a retry) is stored once.
    pub id: String,
    pub article: String,
    pub name: String,
    /// Optional; never shown publicly and never returned by the public API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    pub message: String,
    /// The reader's random id (as for votes): their own likes and the per-reader limit.
    pub reader: String,
    /// The form token the list came with ([`FeedbackPage::form`]): when the form was shown,
    /// signed by the server, so that a send faster than [`MIN_SUBMIT_MS`] is told apart.
    pub form: String,
    /// The honeypot: a field people never see and bots fill in. Must be empty.
    #[serde(default)]
    pub website: String,
}

/// What became of a send. A reader never learns that their message was taken for spam: that
/// answer is `pending` too.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct Submitted {
    pub id: String,
    pub status: SubmittedStatus,
    /// The published item, when the site publishes without moderation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item: Option<PublishedFeedback>,
}

/// The status a reader may see.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum SubmittedStatus {
    /// Waiting for a moderator ("đang chờ kiểm duyệt").
    Pending,
    /// Published at once (auto-publish sites).
    Published,
}

/// One published item of the public list: no email, no status, nothing unpublished.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct PublishedFeedback {
    pub id: String,
    pub name: String,
    /// The text as the reader wrote it (NFC, trimmed, no control characters but newlines):
    /// shown as text, line breaks kept.
    pub message: String,
    /// Milliseconds since the Unix epoch.
    pub created_at: u64,
    pub likes: u64,
    /// Whether the asking reader likes it.
    #[serde(default)]
    pub liked: bool,
    /// The newsroom's replies ("Tòa soạn trả lời"), oldest first.
    #[serde(default)]
    pub replies: Vec<NewsroomReply>,
}

/// A reply from the newsroom under an item.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct NewsroomReply {
    pub message: String,
    /// Milliseconds since the Unix epoch.
    pub created_at: u64,
}

/// A page of the public list, and what the form needs.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct FeedbackPage {
    pub article: String,
    /// How many items are published for the article.
    pub total: u64,
    pub items: Vec<PublishedFeedback>,
    /// Where the next page starts (`after=`), if there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
    /// A fresh form token (see [`SubmitFeedback::form`]).
    pub form: String,
}

/// `POST /api/v1/feedback/likes`.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct LikeFeedback {
    pub id: String,
    pub reader: String,
}

/// The item's likes after a like (a second like by the same reader changes nothing).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct Liked {
    pub id: String,
    pub likes: u64,
    pub liked: bool,
}

/// Longest page cursor (`after`), in bytes.
pub const AFTER_MAX: usize = 64;

/// Whether `after` can be a page cursor: 1 to [`AFTER_MAX`] of `0-9 A-Z a-z _ -`. Cursors are
/// the server's own (opaque to the widget); this rule keeps them plain in URLs and keys.
pub fn valid_after(after: &str) -> bool {
    (1..=AFTER_MAX).contains(&after.len())
        && after
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// The key of a feedback widget's page in a boot answer: `SORT:ARTICLE` for the first page,
/// `SORT@AFTER:ARTICLE` for the page after the cursor `AFTER`. (A widget asks for every page
/// through `GET /api/v1/boot?w=feedback&article=…&sort=…&after=…`, so pages share the boot
/// request's batching and retries.) Neither the sort nor a cursor holds `:`, so the key reads
/// one way only.
pub fn first_key(sort: Sort, after: Option<&str>, article: &str) -> String {
    let mut key = String::from(sort.as_str());
    if let Some(after) = after {
        key.push('@');
        key.push_str(after);
    }
    key.push(':');
    key.push_str(article);
    key
}

/// The first data of a feedback widget, in a boot answer: its first page under the article it
/// resolved to (the key the widget checks), or why there is none.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct FeedbackFirst {
    /// See [`first_key`].
    pub key: String,
    #[serde(flatten)]
    pub page: Option<FeedbackPage>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<crate::ErrorDetail>,
}

/// A field of the form that a check refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    Name,
    Email,
    Message,
}

impl Field {
    /// The field's name in a send (and the widget's form).
    pub const fn name(self) -> &'static str {
        match self {
            Field::Name => "name",
            Field::Email => "email",
            Field::Message => "message",
        }
    }

    /// The error code the API answers for it: `invalid_name`, `invalid_email`,
    /// `invalid_message`.
    pub const fn code(self) -> &'static str {
        match self {
            Field::Name => "invalid_name",
            Field::Email => "invalid_email",
            Field::Message => "invalid_message",
        }
    }
}

/// Why a field is refused (the widget words it in the reader's language; the server in English).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Problem {
    Missing,
    TooShort,
    TooLong,
    /// Not an email address.
    NotAnEmail,
}

/// Characters in `text` (UTF-8 scalar values), without `str::chars().count()`'s fast path.
pub fn char_count(text: &str) -> usize {
    text.bytes().filter(|b| (b & 0xC0) != 0x80).count()
}

/// Checks the name as the reader typed it (trimmed first): required, at most [`NAME_MAX`].
pub fn check_name(name: &str) -> Result<(), Problem> {
    let name = name.trim();
    if name.is_empty() {
        Err(Problem::Missing)
    } else if char_count(name) > NAME_MAX {
        Err(Problem::TooLong)
    } else {
        Ok(())
    }
}

/// Checks an email address (trimmed first): optional (empty is none), at most [`EMAIL_MAX`],
/// and of the shape `local@domain.tld`: one `@` with something before it, a dot inside the
/// domain (not at its ends), and no spaces or control characters. Read byte by byte, so the
/// widget carries no string searching for it.
pub fn check_email(email: &str) -> Result<(), Problem> {
    let email = email.trim();
    if email.is_empty() {
        return Ok(());
    }
    if char_count(email) > EMAIL_MAX {
        return Err(Problem::TooLong);
    }
    let bytes = email.as_bytes();
    let mut at = None;
    let mut dot = false;
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            0..=b' ' | 0x7f => return Err(Problem::NotAnEmail),
            b'@' if at.is_some() => return Err(Problem::NotAnEmail),
            b'@' => at = Some(i),
            b'.' if at.is_some_and(|at| i > at + 1 && i + 1 < bytes.len()) => dot = true,
            _ => {}
        }
    }
    let ends_well = bytes.last() != Some(&b'.');
    match at {
        Some(at) if at > 0 && dot && ends_well && bytes.get(at + 1) != Some(&b'.') => Ok(()),
        _ => Err(Problem::NotAnEmail),
    }
}

/// Checks the message (trimmed first): [`MESSAGE_MIN`] to [`MESSAGE_MAX`] characters.
pub fn check_message(message: &str) -> Result<(), Problem> {
    let n = char_count(message.trim());
    if n == 0 {
        Err(Problem::Missing)
    } else if n < MESSAGE_MIN {
        Err(Problem::TooShort)
    } else if n > MESSAGE_MAX {
        Err(Problem::TooLong)
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_required_and_at_most_80_characters() {
        assert_eq!(check_name("  "), Err(Problem::Missing));
        assert_eq!(check_name("Nguyễn Văn An"), Ok(()));
        assert_eq!(check_name(&"ễ".repeat(80)), Ok(()));
        assert_eq!(check_name(&"ễ".repeat(81)), Err(Problem::TooLong));
    }

    #[test]
    fn emails_are_optional_and_plausible() {
        assert_eq!(check_email(""), Ok(()));
        assert_eq!(check_email("an.nguyen@baosonglam.vn"), Ok(()));
        for bad in [
            "an", "an@", "@x.vn", "an@x", "an @x.vn", "an@.vn", "an@x.vn.",
        ] {
            assert_eq!(check_email(bad), Err(Problem::NotAnEmail), "{bad}");
        }
        let long = ["a".repeat(250), "@x.vn".into()].concat();
        assert_eq!(check_email(&long), Err(Problem::TooLong));
    }

    #[test]
    fn messages_are_10_to_3000_characters() {
        assert_eq!(check_message("   "), Err(Problem::Missing));
        assert_eq!(check_message("Quá ngắn"), Err(Problem::TooShort));
        assert_eq!(check_message("Rất hay, cảm ơn!"), Ok(()));
        assert_eq!(check_message(&"ạ".repeat(3000)), Ok(()));
        assert_eq!(check_message(&"ạ".repeat(3001)), Err(Problem::TooLong));
    }

    #[test]
    fn keys_and_cursors_read_one_way() {
        assert_eq!(first_key(Sort::Newest, None, "/a:b"), "newest:/a:b");
        assert_eq!(first_key(Sort::Liked, Some("17-x"), "/a"), "liked@17-x:/a");
        assert!(valid_after("1764139560000-9f2c"));
        for bad in ["", "a:b", "a b", "ạ", &"x".repeat(65)] {
            assert!(!valid_after(bad), "{bad:?}");
        }
    }

    #[test]
    fn sorts_have_wire_names() {
        assert_eq!(Sort::parse("liked"), Some(Sort::Liked));
        assert_eq!(Sort::parse("newest"), Some(Sort::Newest));
        assert_eq!(Sort::parse("oldest"), None);
    }
}

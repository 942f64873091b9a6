//! Where feedback lives: the [`FeedbackStore`] trait, implemented for SQLite (`sqlite.rs`) and
//! PostgreSQL (`postgres.rs`). Both run the same SQL (sqlx binds `$N` on both backends), so the
//! implementation is written once, in [`feedback_store!`], and each backend file says only how it
//! opens a write transaction and where it reads; `tests/feedback_store.rs` runs one set of tests
//! against each.
//!
//! Text arrives cleaned and checked, reader ids and secrets already hashed. Every write is one
//! transaction, and every moderator's change writes its audit entry in that same transaction.

use std::sync::Arc;

use async_trait::async_trait;
use bangtin_api::feedback::Sort;
use serde::Serialize;

use crate::db::{Db, StoreError};

/// A moderator's decision on an item.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Pending,
    Published,
    Rejected,
    Spam,
}

impl Status {
    pub const ALL: [Status; 4] = [
        Status::Pending,
        Status::Published,
        Status::Rejected,
        Status::Spam,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            Status::Pending => "pending",
            Status::Published => "published",
            Status::Rejected => "rejected",
            Status::Spam => "spam",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|status| status.as_str() == s)
    }

    fn from_db(s: &str) -> Result<Status, StoreError> {
        Status::parse(s).ok_or_else(|| StoreError::Corrupt(format!("unknown status {s:?}")))
    }
}

/// Where an item stands for a moderator: its status, or deleted (which keeps the status under it
/// for a restore). The `status` and `previous` of the admin API.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum State {
    Is(Status),
    Deleted,
}

impl State {
    pub const fn as_str(self) -> &'static str {
        match self {
            State::Is(status) => status.as_str(),
            State::Deleted => "deleted",
        }
    }

    pub fn parse(s: &str) -> Option<State> {
        if s == "deleted" {
            Some(State::Deleted)
        } else {
            Status::parse(s).map(State::Is)
        }
    }
}

impl Serialize for State {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// A moderator's action on items.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    Approve,
    Reject,
    Spam,
    Pending,
    Delete,
    Restore,
}

impl Action {
    pub const ALL: [Action; 6] = [
        Action::Approve,
        Action::Reject,
        Action::Spam,
        Action::Pending,
        Action::Delete,
        Action::Restore,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            Action::Approve => "approve",
            Action::Reject => "reject",
            Action::Spam => "spam",
            Action::Pending => "pending",
            Action::Delete => "delete",
            Action::Restore => "restore",
        }
    }

    pub fn parse(s: &str) -> Option<Action> {
        Action::ALL.into_iter().find(|action| action.as_str() == s)
    }

    /// The status a status action sets.
    pub const fn sets(self) -> Option<Status> {
        match self {
            Action::Approve => Some(Status::Published),
            Action::Reject => Some(Status::Rejected),
            Action::Spam => Some(Status::Spam),
            Action::Pending => Some(Status::Pending),
            Action::Delete | Action::Restore => None,
        }
    }
}

/// One stored item, as moderators see it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Feedback {
    pub id: String,
    pub article: String,
    pub name: String,
    pub email: Option<String>,
    pub message: String,
    pub status: Status,
    pub reasons: Vec<String>,
    pub likes: u64,
    pub created_ms: i64,
    pub updated_ms: i64,
    pub deleted_ms: Option<i64>,
}

impl Feedback {
    pub fn state(&self) -> State {
        if self.deleted_ms.is_some() {
            State::Deleted
        } else {
            State::Is(self.status)
        }
    }

    /// Whether readers may see it.
    pub fn is_public(&self) -> bool {
        self.status == Status::Published && self.deleted_ms.is_none()
    }
}

/// A send to store (cleaned and checked).
#[derive(Clone, Debug)]
pub struct NewFeedback {
    pub id: String,
    pub article: String,
    pub name: String,
    pub email: Option<String>,
    pub message: String,
    pub reader_hash: String,
    /// Why the handler already takes it for spam (honeypot, too fast, links).
    pub reasons: Vec<&'static str>,
    pub now_ms: i64,
}

/// How a send is judged in the store, where earlier sends are known.
#[derive(Clone, Debug)]
pub struct SubmitRules {
    /// Publish what is not spam at once.
    pub auto_publish: bool,
    /// The same message on the same article, or from the same reader, within this window is a
    /// duplicate (spam).
    pub duplicate_window_ms: i64,
    /// A reader with this many sends within [`SubmitRules::burst_window_ms`] already: spam.
    pub burst_max: i64,
    pub burst_window_ms: i64,
    /// Announce a new pending item to the webhook: the payload (its `admin_url` part).
    pub webhook_admin_url: Option<String>,
}

/// What became of a send.
#[derive(Clone, Debug)]
pub enum Submission {
    Stored(Feedback),
    /// The id was stored before (a repeated send): nothing new is stored.
    Existing(Feedback),
}

/// One item of the public list.
#[derive(Clone, Debug)]
pub struct PublicItem {
    pub feedback: Feedback,
    pub liked: bool,
    /// `(message, created_ms)`, oldest first.
    pub replies: Vec<(String, i64)>,
}

/// A page of the public list.
#[derive(Clone, Debug)]
pub struct PublicPage {
    pub total: u64,
    pub items: Vec<PublicItem>,
    pub more: bool,
}

/// Where a page of the public list starts: after this item.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct After {
    pub likes: i64,
    pub created_ms: i64,
    pub id: String,
}

/// A moderator account.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Moderator {
    pub id: i64,
    pub name: String,
}

/// A moderator as `moderator list` shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ModeratorRecord {
    pub id: i64,
    pub name: String,
    pub created_ms: i64,
    pub last_login_ms: Option<i64>,
    pub revoked_ms: Option<i64>,
    /// Whether an unused login token is waiting.
    pub token_waiting: bool,
}

/// A reply from the newsroom.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reply {
    pub id: String,
    pub feedback_id: String,
    pub message: String,
    pub created_ms: i64,
    pub moderator: String,
}

/// Which items a moderator lists.
#[derive(Clone, Debug)]
pub struct DeskQuery {
    pub state: State,
    pub article: Option<String>,
    /// `(created_ms, id)` of the last item of the previous page.
    pub before: Option<(i64, String)>,
    pub limit: i64,
}

/// A page of the moderation desk.
#[derive(Clone, Debug)]
pub struct DeskPage {
    pub items: Vec<(Feedback, Vec<Reply>)>,
    /// pending, published, rejected, spam, deleted.
    pub counts: [u64; 5],
    pub more: bool,
}

/// What an action did to one item.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Updated {
    pub id: String,
    pub status: State,
    pub previous: State,
}

/// Why a moderator's change was refused as a whole (nothing changed).
#[derive(Debug, thiserror::Error)]
pub enum Refused {
    #[error("no feedback {0}")]
    UnknownFeedback(String),
    #[error("feedback {0} is deleted: restore it first")]
    Deleted(String),
    #[error("no reply {0}")]
    UnknownReply(String),
    #[error("no moderator {0}")]
    UnknownModerator(i64),
    #[error("moderator {0} is revoked")]
    Revoked(i64),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for Refused {
    fn from(err: sqlx::Error) -> Self {
        Refused::Store(err.into())
    }
}

/// One line of the audit log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditEntry {
    pub at_ms: i64,
    pub moderator: Option<Moderator>,
    pub action: String,
    pub feedback_id: Option<String>,
    pub detail: String,
}

/// A webhook notification waiting for delivery.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outgoing {
    pub id: i64,
    pub feedback_id: String,
    pub payload: String,
    pub attempts: i64,
    pub next_ms: i64,
}

/// How long sessions live.
#[derive(Clone, Copy, Debug)]
pub struct SessionRules {
    pub idle_ms: i64,
    pub absolute_ms: i64,
    /// `seen_ms` is written at most this often (reads stay reads).
    pub touch_every_ms: i64,
}

/// Feedback, likes, replies, moderators, sessions, the audit log and the webhook outbox.
#[async_trait]
pub trait FeedbackStore: Send + Sync {
    /// The item stored under `id`, whatever its status.
    async fn find(&self, id: &str) -> Result<Option<Feedback>, StoreError>;

    /// Stores a send (once per id, also when the same id arrives twice at once), judging
    /// duplicates and bursts against earlier sends; with a webhook, a pending item's
    /// notification is written in the same transaction.
    async fn submit(&self, new: NewFeedback, rules: &SubmitRules)
        -> Result<Submission, StoreError>;

    /// A page of an article's published items, with `liked` for `reader_hash`.
    async fn page(
        &self,
        article: &str,
        sort: Sort,
        after: Option<&After>,
        limit: usize,
        reader_hash: Option<&str>,
    ) -> Result<PublicPage, StoreError>;

    /// Likes a published item once per reader; `None` when there is no published item `id`.
    async fn like(
        &self,
        id: &str,
        reader_hash: &str,
        now_ms: i64,
    ) -> Result<Option<u64>, StoreError>;

    /// A new moderator whose login token hashes to `token_hash`.
    async fn add_moderator(
        &self,
        name: &str,
        token_hash: &str,
        now_ms: i64,
    ) -> Result<Moderator, StoreError>;

    /// Replaces a moderator's login token.
    async fn set_token(&self, id: i64, token_hash: &str, now_ms: i64)
        -> Result<Moderator, Refused>;

    async fn moderators(&self) -> Result<Vec<ModeratorRecord>, StoreError>;

    /// Revokes a moderator and ends their sessions.
    async fn revoke(&self, id: i64, now_ms: i64) -> Result<Moderator, Refused>;

    /// Uses up a login token (once) and opens a session; `None` for an unknown, used or revoked
    /// token.
    async fn login(
        &self,
        token_hash: &str,
        session_hash: &str,
        now_ms: i64,
    ) -> Result<Option<Moderator>, StoreError>;

    /// The moderator of a live session (not idle too long, not too old, not revoked).
    async fn session(
        &self,
        session_hash: &str,
        now_ms: i64,
        rules: &SessionRules,
    ) -> Result<Option<Moderator>, StoreError>;

    /// Ends a session.
    async fn logout(
        &self,
        session_hash: &str,
        moderator: &Moderator,
        now_ms: i64,
    ) -> Result<(), StoreError>;

    async fn desk(&self, query: &DeskQuery) -> Result<DeskPage, StoreError>;

    /// Applies `action` to every item of `ids` (distinct), or to none.
    async fn act(
        &self,
        moderator: &Moderator,
        action: Action,
        ids: &[String],
        now_ms: i64,
    ) -> Result<Vec<Updated>, Refused>;

    /// Replies as the newsroom under every item of `ids` (distinct), or under none.
    async fn reply(
        &self,
        moderator: &Moderator,
        ids: &[String],
        message: &str,
        now_ms: i64,
    ) -> Result<Vec<Reply>, Refused>;

    async fn delete_reply(
        &self,
        moderator: &Moderator,
        reply_id: &str,
        now_ms: i64,
    ) -> Result<(), Refused>;

    /// The newest `limit` entries of the audit log.
    async fn audit(&self, limit: i64) -> Result<Vec<AuditEntry>, StoreError>;

    /// Every item with its replies, oldest first (deleted ones only if asked), after writing the
    /// export to the audit log.
    async fn export(
        &self,
        moderator: Option<&Moderator>,
        include_deleted: bool,
        now_ms: i64,
    ) -> Result<Vec<(Feedback, Vec<Reply>)>, StoreError>;

    /// Notifications due by `now_ms`, oldest first.
    async fn due(&self, now_ms: i64, limit: i64) -> Result<Vec<Outgoing>, StoreError>;

    /// When the next notification is due, if one waits.
    async fn next_due(&self) -> Result<Option<i64>, StoreError>;

    /// Takes a due notification for one delivery attempt (until `lease_until`); `false` when
    /// another server took it first.
    async fn claim(&self, out: &Outgoing, lease_until: i64) -> Result<bool, StoreError>;

    /// Records an attempt: delivered, to try again at `retry_at`, or failed for good.
    async fn attempted(&self, id: i64, outcome: Attempt, error: &str) -> Result<(), StoreError>;
}

/// How a delivery attempt ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Attempt {
    Delivered,
    Retry { retry_at: i64 },
    Failed,
}

/// The feedback store over `db`.
pub fn open(db: &Db) -> Arc<dyn FeedbackStore> {
    match db {
        Db::Sqlite(db) => Arc::new(db.clone()),
        Db::Postgres(db) => Arc::new(db.clone()),
    }
}

/// `hex(SHA-256(message))`: duplicates are found by index, not by comparing 3,000 characters.
pub fn message_hash(message: &str) -> String {
    use sha2::{Digest, Sha256};
    hex::encode(Sha256::digest(message.as_bytes()))
}

/// The columns of a [`Feedback`], in the order [`FeedbackRow`] reads them.
pub(super) const FEEDBACK_COLUMNS: &str = "id, article, name, email, message, status, reasons, \
     likes, created_ms, updated_ms, deleted_ms";

pub(super) type FeedbackRow = (
    String,
    String,
    String,
    Option<String>,
    String,
    String,
    String,
    i64,
    i64,
    i64,
    Option<i64>,
);

pub(super) fn feedback_from_row(row: FeedbackRow) -> Result<Feedback, StoreError> {
    let (id, article, name, email, message, status, reasons, likes, created, updated, deleted) =
        row;
    Ok(Feedback {
        id,
        article,
        name,
        email,
        message,
        status: Status::from_db(&status)?,
        reasons: reasons
            .split(',')
            .filter(|r| !r.is_empty())
            .map(str::to_owned)
            .collect(),
        likes: crate::db::count(likes, "likes")?,
        created_ms: created,
        updated_ms: updated,
        deleted_ms: deleted,
    })
}

/// `$first, $first+1, …` for `count` values: an `IN (…)` list.
pub(super) fn placeholders(first: usize, count: usize) -> String {
    (first..first + count)
        .map(|n| format!("${n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The store's implementation, for one backend: `$ty` is the database type, `$write` opens a
/// write transaction on `self`, `$read` is the pool reads use.
macro_rules! feedback_store {
    ($ty:ty, write: |$w:ident| $write:expr, read: |$r:ident| $read:expr) => {
        impl $ty {
            /// The item `id`, read in `tx`.
            async fn find_in<'c, E>(
                executor: E,
                id: &str,
            ) -> Result<Option<$crate::feedback::store::Feedback>, $crate::db::StoreError>
            where
                E: sqlx::Executor<'c, Database = <Self as $crate::feedback::store::Backend>::Database>,
            {
                let sql = format!(
                    "SELECT {} FROM feedback WHERE id = $1",
                    $crate::feedback::store::FEEDBACK_COLUMNS
                );
                let row: Option<$crate::feedback::store::FeedbackRow> =
                    sqlx::query_as(&sql).bind(id).fetch_optional(executor).await?;
                row.map($crate::feedback::store::feedback_from_row).transpose()
            }

            /// The replies of `ids`, oldest first, with their moderators' names.
            async fn replies_of<'c, E>(
                executor: E,
                ids: &[&str],
            ) -> Result<Vec<$crate::feedback::store::Reply>, $crate::db::StoreError>
            where
                E: sqlx::Executor<'c, Database = <Self as $crate::feedback::store::Backend>::Database>,
            {
                if ids.is_empty() {
                    return Ok(Vec::new());
                }
                let sql = format!(
                    "SELECT r.id, r.feedback_id, r.message, r.created_ms, m.name
                     FROM feedback_replies r JOIN moderators m ON m.id = r.moderator_id
                     WHERE r.feedback_id IN ({}) ORDER BY r.created_ms, r.id",
                    $crate::feedback::store::placeholders(1, ids.len())
                );
                let mut query = sqlx::query_as::<_, (String, String, String, i64, String)>(&sql);
                for id in ids {
                    query = query.bind(*id);
                }
                Ok(query
                    .fetch_all(executor)
                    .await?
                    .into_iter()
                    .map(|(id, feedback_id, message, created_ms, moderator)| {
                        $crate::feedback::store::Reply {
                            id,
                            feedback_id,
                            message,
                            created_ms,
                            moderator,
                        }
                    })
                    .collect())
            }
        }

        #[async_trait::async_trait]
        impl $crate::feedback::store::FeedbackStore for $ty {
            async fn find(
                &self,
                id: &str,
            ) -> Result<Option<$crate::feedback::store::Feedback>, $crate::db::StoreError> {
                let $r = self;
                Self::find_in($read, id).await
            }

            async fn submit(
                &self,
                new: $crate::feedback::store::NewFeedback,
                rules: &$crate::feedback::store::SubmitRules,
            ) -> Result<$crate::feedback::store::Submission, $crate::db::StoreError> {
                use $crate::feedback::store::{Status, Submission};
                let $w = self;
                let mut tx = $write.await?;
                if let Some(existing) = Self::find_in(&mut *tx, &new.id).await? {
                    tx.commit().await?;
                    return Ok(Submission::Existing(existing));
                }
                let hash = $crate::feedback::store::message_hash(&new.message);
                let mut reasons = new.reasons.clone();
                let duplicate: Option<i64> = sqlx::query_scalar(
                    "SELECT created_ms FROM feedback WHERE message_hash = $1 AND created_ms > $2
                     AND (article = $3 OR reader_hash = $4) LIMIT 1",
                )
                .bind(&hash)
                .bind(new.now_ms - rules.duplicate_window_ms)
                .bind(&new.article)
                .bind(&new.reader_hash)
                .fetch_optional(&mut *tx)
                .await?;
                if duplicate.is_some() {
                    reasons.push("duplicate");
                }
                let recent: i64 = sqlx::query_scalar(
                    "SELECT COUNT(*) FROM feedback WHERE reader_hash = $1 AND created_ms > $2",
                )
                .bind(&new.reader_hash)
                .bind(new.now_ms - rules.burst_window_ms)
                .fetch_one(&mut *tx)
                .await?;
                if recent >= rules.burst_max {
                    reasons.push("reader_burst");
                }
                let status = if !reasons.is_empty() {
                    Status::Spam
                } else if rules.auto_publish {
                    Status::Published
                } else {
                    Status::Pending
                };
                let inserted = sqlx::query(
                    "INSERT INTO feedback (id, article, name, email, message, message_hash,
                         reader_hash, status, reasons, likes, created_ms, updated_ms)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 0, $10, $10)
                     ON CONFLICT (id) DO NOTHING",
                )
                .bind(&new.id)
                .bind(&new.article)
                .bind(&new.name)
                .bind(new.email.as_deref())
                .bind(&new.message)
                .bind(&hash)
                .bind(&new.reader_hash)
                .bind(status.as_str())
                .bind(reasons.join(","))
                .bind(new.now_ms)
                .execute(&mut *tx)
                .await?
                .rows_affected();
                if inserted == 0 {
                    // The same id, sent at the same moment, was stored by the other request.
                    let existing = Self::find_in(&mut *tx, &new.id).await?.ok_or_else(|| {
                        $crate::db::StoreError::Corrupt("a conflicting id vanished".into())
                    })?;
                    tx.commit().await?;
                    return Ok(Submission::Existing(existing));
                }
                if let (Status::Pending, Some(admin_url)) = (status, &rules.webhook_admin_url) {
                    let payload = $crate::feedback::webhook::payload(
                        &new.id,
                        &new.article,
                        &new.name,
                        &new.message,
                        new.now_ms,
                        admin_url,
                    );
                    sqlx::query(
                        "INSERT INTO feedback_webhook_outbox (feedback_id, payload, next_ms,
                             created_ms) VALUES ($1, $2, $3, $3)",
                    )
                    .bind(&new.id)
                    .bind(payload)
                    .bind(new.now_ms)
                    .execute(&mut *tx)
                    .await?;
                }
                let stored = Self::find_in(&mut *tx, &new.id).await?.ok_or_else(|| {
                    $crate::db::StoreError::Corrupt("the stored feedback is missing".into())
                })?;
                tx.commit().await?;
                Ok(Submission::Stored(stored))
            }

            async fn page(
                &self,
                article: &str,
                sort: bangtin_api::feedback::Sort,
                after: Option<&$crate::feedback::store::After>,
                limit: usize,
                reader_hash: Option<&str>,
            ) -> Result<$crate::feedback::store::PublicPage, $crate::db::StoreError> {
                use bangtin_api::feedback::Sort;
                use $crate::feedback::store::{
                    feedback_from_row, placeholders, FeedbackRow, PublicItem, PublicPage,
                    FEEDBACK_COLUMNS,
                };
                let $r = self;
                let mut tx = ($read).begin().await?;
                let total: i64 = sqlx::query_scalar(
                    "SELECT COUNT(*) FROM feedback
                     WHERE article = $1 AND status = 'published' AND deleted_ms IS NULL",
                )
                .bind(article)
                .fetch_one(&mut *tx)
                .await?;
                // Keyset pagination: strictly after the cursor's item in the page's order. Without
                // a cursor, a start above every item ('g' sorts after any hex id).
                let (likes, created, id) = match after {
                    Some(a) => (a.likes, a.created_ms, a.id.as_str()),
                    None => (i64::MAX, i64::MAX, "g"),
                };
                let (filter, order) = match sort {
                    Sort::Newest => (
                        "(created_ms < $3 OR (created_ms = $3 AND id < $4))",
                        "created_ms DESC, id DESC",
                    ),
                    Sort::Liked => (
                        "(likes < $2 OR (likes = $2 AND (created_ms < $3
                          OR (created_ms = $3 AND id < $4))))",
                        "likes DESC, created_ms DESC, id DESC",
                    ),
                };
                let sql = format!(
                    "SELECT {FEEDBACK_COLUMNS} FROM feedback
                     WHERE article = $1 AND status = 'published' AND deleted_ms IS NULL
                       AND $2 = $2 AND {filter}
                     ORDER BY {order} LIMIT $5"
                );
                let wanted = i64::try_from(limit).unwrap_or(i64::MAX - 1) + 1;
                let rows: Vec<FeedbackRow> = sqlx::query_as(&sql)
                    .bind(article)
                    .bind(likes)
                    .bind(created)
                    .bind(id)
                    .bind(wanted)
                    .fetch_all(&mut *tx)
                    .await?;
                let more = rows.len() > limit;
                let found: Vec<_> = rows
                    .into_iter()
                    .take(limit)
                    .map(feedback_from_row)
                    .collect::<Result<_, _>>()?;
                let ids: Vec<&str> = found.iter().map(|f: &$crate::feedback::store::Feedback| f.id.as_str()).collect();
                let replies = Self::replies_of(&mut *tx, &ids).await?;
                let liked: Vec<String> = match reader_hash {
                    Some(reader) if !ids.is_empty() => {
                        let sql = format!(
                            "SELECT feedback_id FROM feedback_likes
                             WHERE reader_hash = $1 AND feedback_id IN ({})",
                            placeholders(2, ids.len())
                        );
                        let mut query = sqlx::query_scalar::<_, String>(&sql).bind(reader);
                        for id in &ids {
                            query = query.bind(*id);
                        }
                        query.fetch_all(&mut *tx).await?
                    }
                    _ => Vec::new(),
                };
                tx.commit().await?;
                let items = found
                    .into_iter()
                    .map(|feedback| PublicItem {
                        liked: liked.contains(&feedback.id),
                        replies: replies
                            .iter()
                            .filter(|r| r.feedback_id == feedback.id)
                            .map(|r| (r.message.clone(), r.created_ms))
                            .collect(),
                        feedback,
                    })
                    .collect();
                Ok(PublicPage {
                    total: $crate::db::count(total, "total")?,
                    items,
                    more,
                })
            }

            async fn like(
                &self,
                id: &str,
                reader_hash: &str,
                now_ms: i64,
            ) -> Result<Option<u64>, $crate::db::StoreError> {
                let $w = self;
                let mut tx = $write.await?;
                let public: Option<i64> = sqlx::query_scalar(
                    "SELECT likes FROM feedback
                     WHERE id = $1 AND status = 'published' AND deleted_ms IS NULL",
                )
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?;
                let Some(likes) = public else {
                    tx.commit().await?;
                    return Ok(None);
                };
                let added = sqlx::query(
                    "INSERT INTO feedback_likes (feedback_id, reader_hash, created_ms)
                     VALUES ($1, $2, $3) ON CONFLICT (feedback_id, reader_hash) DO NOTHING",
                )
                .bind(id)
                .bind(reader_hash)
                .bind(now_ms)
                .execute(&mut *tx)
                .await?
                .rows_affected();
                let likes = if added == 1 {
                    sqlx::query_scalar::<_, i64>(
                        "UPDATE feedback SET likes = likes + 1 WHERE id = $1 RETURNING likes",
                    )
                    .bind(id)
                    .fetch_one(&mut *tx)
                    .await?
                } else {
                    likes
                };
                tx.commit().await?;
                Ok(Some($crate::db::count(likes, "likes")?))
            }

            async fn add_moderator(
                &self,
                name: &str,
                token_hash: &str,
                now_ms: i64,
            ) -> Result<$crate::feedback::store::Moderator, $crate::db::StoreError> {
                let $w = self;
                let mut tx = $write.await?;
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO moderators (name, token_hash, created_ms) VALUES ($1, $2, $3)
                     RETURNING id",
                )
                .bind(name)
                .bind(token_hash)
                .bind(now_ms)
                .fetch_one(&mut *tx)
                .await?;
                Self::audit_in(&mut *tx, now_ms, None, "moderator_add", None, &format!("{id} {name}"))
                    .await?;
                tx.commit().await?;
                Ok($crate::feedback::store::Moderator {
                    id,
                    name: name.to_owned(),
                })
            }

            async fn set_token(
                &self,
                id: i64,
                token_hash: &str,
                now_ms: i64,
            ) -> Result<$crate::feedback::store::Moderator, $crate::feedback::store::Refused> {
                use $crate::feedback::store::{Moderator, Refused};
                let $w = self;
                let mut tx = $write.await?;
                let found: Option<(String, Option<i64>)> =
                    sqlx::query_as("SELECT name, revoked_ms FROM moderators WHERE id = $1")
                        .bind(id)
                        .fetch_optional(&mut *tx)
                        .await?;
                let name = match found {
                    None => return Err(Refused::UnknownModerator(id)),
                    Some((_, Some(_))) => return Err(Refused::Revoked(id)),
                    Some((name, None)) => name,
                };
                sqlx::query("UPDATE moderators SET token_hash = $2 WHERE id = $1")
                    .bind(id)
                    .bind(token_hash)
                    .execute(&mut *tx)
                    .await?;
                Self::audit_in(&mut *tx, now_ms, None, "moderator_token", None, &id.to_string())
                    .await?;
                tx.commit().await?;
                Ok(Moderator { id, name })
            }

            async fn moderators(
                &self,
            ) -> Result<Vec<$crate::feedback::store::ModeratorRecord>, $crate::db::StoreError> {
                let $r = self;
                let rows: Vec<(i64, String, i64, Option<i64>, Option<i64>, i64)> = sqlx::query_as(
                    "SELECT id, name, created_ms, last_login_ms, revoked_ms,
                            CAST(CASE WHEN token_hash IS NULL THEN 0 ELSE 1 END AS BIGINT)
                     FROM moderators ORDER BY id",
                )
                .fetch_all($read)
                .await?;
                Ok(rows
                    .into_iter()
                    .map(|(id, name, created_ms, last_login_ms, revoked_ms, token)| {
                        $crate::feedback::store::ModeratorRecord {
                            id,
                            name,
                            created_ms,
                            last_login_ms,
                            revoked_ms,
                            token_waiting: token == 1,
                        }
                    })
                    .collect())
            }

            async fn revoke(
                &self,
                id: i64,
                now_ms: i64,
            ) -> Result<$crate::feedback::store::Moderator, $crate::feedback::store::Refused> {
                use $crate::feedback::store::{Moderator, Refused};
                let $w = self;
                let mut tx = $write.await?;
                let name: Option<String> =
                    sqlx::query_scalar("SELECT name FROM moderators WHERE id = $1")
                        .bind(id)
                        .fetch_optional(&mut *tx)
                        .await?;
                let Some(name) = name else {
                    return Err(Refused::UnknownModerator(id));
                };
                sqlx::query(
                    "UPDATE moderators SET revoked_ms = COALESCE(revoked_ms, $2), token_hash = NULL
                     WHERE id = $1",
                )
                .bind(id)
                .bind(now_ms)
                .execute(&mut *tx)
                .await?;
                sqlx::query("DELETE FROM moderator_sessions WHERE moderator_id = $1")
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                Self::audit_in(&mut *tx, now_ms, None, "moderator_revoke", None, &id.to_string())
                    .await?;
                tx.commit().await?;
                Ok(Moderator { id, name })
            }

            async fn login(
                &self,
                token_hash: &str,
                session_hash: &str,
                now_ms: i64,
            ) -> Result<Option<$crate::feedback::store::Moderator>, $crate::db::StoreError> {
                let $w = self;
                let mut tx = $write.await?;
                // Used up in the same statement that finds it: two logins with one token cannot
                // both succeed.
                let found: Option<(i64, String)> = sqlx::query_as(
                    "UPDATE moderators SET token_hash = NULL, last_login_ms = $2
                     WHERE token_hash = $1 AND revoked_ms IS NULL RETURNING id, name",
                )
                .bind(token_hash)
                .bind(now_ms)
                .fetch_optional(&mut *tx)
                .await?;
                let Some((id, name)) = found else {
                    tx.commit().await?;
                    return Ok(None);
                };
                sqlx::query(
                    "INSERT INTO moderator_sessions (id_hash, moderator_id, created_ms, seen_ms)
                     VALUES ($1, $2, $3, $3)",
                )
                .bind(session_hash)
                .bind(id)
                .bind(now_ms)
                .execute(&mut *tx)
                .await?;
                Self::audit_in(&mut *tx, now_ms, Some(id), "login", None, "").await?;
                tx.commit().await?;
                Ok(Some($crate::feedback::store::Moderator { id, name }))
            }

            async fn session(
                &self,
                session_hash: &str,
                now_ms: i64,
                rules: &$crate::feedback::store::SessionRules,
            ) -> Result<Option<$crate::feedback::store::Moderator>, $crate::db::StoreError> {
                let found: Option<(i64, String, i64)> = {
                    let $r = self;
                    sqlx::query_as(
                        "SELECT m.id, m.name, s.seen_ms
                         FROM moderator_sessions s JOIN moderators m ON m.id = s.moderator_id
                         WHERE s.id_hash = $1 AND m.revoked_ms IS NULL
                           AND s.seen_ms > $2 AND s.created_ms > $3",
                    )
                    .bind(session_hash)
                    .bind(now_ms - rules.idle_ms)
                    .bind(now_ms - rules.absolute_ms)
                    .fetch_optional($read)
                    .await?
                };
                let Some((id, name, seen)) = found else {
                    return Ok(None);
                };
                if now_ms - seen >= rules.touch_every_ms {
                    let $w = self;
                    let mut tx = $write.await?;
                    sqlx::query("UPDATE moderator_sessions SET seen_ms = $2 WHERE id_hash = $1")
                        .bind(session_hash)
                        .bind(now_ms)
                        .execute(&mut *tx)
                        .await?;
                    tx.commit().await?;
                }
                Ok(Some($crate::feedback::store::Moderator { id, name }))
            }

            async fn logout(
                &self,
                session_hash: &str,
                moderator: &$crate::feedback::store::Moderator,
                now_ms: i64,
            ) -> Result<(), $crate::db::StoreError> {
                let $w = self;
                let mut tx = $write.await?;
                sqlx::query("DELETE FROM moderator_sessions WHERE id_hash = $1")
                    .bind(session_hash)
                    .execute(&mut *tx)
                    .await?;
                Self::audit_in(&mut *tx, now_ms, Some(moderator.id), "logout", None, "").await?;
                tx.commit().await?;
                Ok(())
            }

            async fn desk(
                &self,
                query: &$crate::feedback::store::DeskQuery,
            ) -> Result<$crate::feedback::store::DeskPage, $crate::db::StoreError> {
                use $crate::feedback::store::{
                    feedback_from_row, DeskPage, FeedbackRow, State, FEEDBACK_COLUMNS,
                };
                let $r = self;
                let mut tx = ($read).begin().await?;
                let state_filter = match query.state {
                    State::Deleted => "deleted_ms IS NOT NULL AND $1 = $1",
                    State::Is(_) => "deleted_ms IS NULL AND status = $1",
                };
                let (created, id) = match &query.before {
                    Some((created, id)) => (*created, id.as_str()),
                    None => (i64::MAX, "g"),
                };
                let sql = format!(
                    "SELECT {FEEDBACK_COLUMNS} FROM feedback
                     WHERE {state_filter} AND ($2 = '' OR article = $2)
                       AND (created_ms < $3 OR (created_ms = $3 AND id < $4))
                     ORDER BY created_ms DESC, id DESC LIMIT $5"
                );
                let rows: Vec<FeedbackRow> = sqlx::query_as(&sql)
                    .bind(query.state.as_str())
                    .bind(query.article.as_deref().unwrap_or(""))
                    .bind(created)
                    .bind(id)
                    .bind(query.limit + 1)
                    .fetch_all(&mut *tx)
                    .await?;
                let limit = usize::try_from(query.limit).unwrap_or(0);
                let more = rows.len() > limit;
                let found: Vec<$crate::feedback::store::Feedback> = rows
                    .into_iter()
                    .take(limit)
                    .map(feedback_from_row)
                    .collect::<Result<_, _>>()?;
                let ids: Vec<&str> = found.iter().map(|f| f.id.as_str()).collect();
                let replies = Self::replies_of(&mut *tx, &ids).await?;
                let counted: Vec<(String, i64, i64)> = sqlx::query_as(
                    "SELECT status, CAST(CASE WHEN deleted_ms IS NULL THEN 0 ELSE 1 END AS BIGINT),
                            COUNT(*)
                     FROM feedback WHERE ($1 = '' OR article = $1)
                     GROUP BY status, CASE WHEN deleted_ms IS NULL THEN 0 ELSE 1 END",
                )
                .bind(query.article.as_deref().unwrap_or(""))
                .fetch_all(&mut *tx)
                .await?;
                tx.commit().await?;
                let mut counts = [0u64; 5];
                for (status, deleted, n) in counted {
                    let slot = if deleted == 1 {
                        4
                    } else {
                        match State::parse(&status) {
                            Some(State::Is(s)) => s as usize,
                            _ => continue,
                        }
                    };
                    counts[slot] += $crate::db::count(n, "count")?;
                }
                let items = found
                    .into_iter()
                    .map(|feedback| {
                        let mine = replies
                            .iter()
                            .filter(|r| r.feedback_id == feedback.id)
                            .cloned()
                            .collect();
                        (feedback, mine)
                    })
                    .collect();
                Ok(DeskPage {
                    items,
                    counts,
                    more,
                })
            }

            async fn act(
                &self,
                moderator: &$crate::feedback::store::Moderator,
                action: $crate::feedback::store::Action,
                ids: &[String],
                now_ms: i64,
            ) -> Result<Vec<$crate::feedback::store::Updated>, $crate::feedback::store::Refused> {
                use $crate::feedback::store::{Action, Refused, State, Updated};
                let $w = self;
                let mut tx = $write.await?;
                let mut updated = Vec::with_capacity(ids.len());
                for id in ids {
                    let Some(item) = Self::find_in(&mut *tx, id).await? else {
                        return Err(Refused::UnknownFeedback(id.clone()));
                    };
                    let previous = item.state();
                    let status = match (action, action.sets()) {
                        (_, Some(status)) => {
                            if previous == State::Deleted {
                                return Err(Refused::Deleted(id.clone()));
                            }
                            if item.status != status {
                                sqlx::query(
                                    "UPDATE feedback SET status = $2, updated_ms = $3 WHERE id = $1",
                                )
                                .bind(id)
                                .bind(status.as_str())
                                .bind(now_ms)
                                .execute(&mut *tx)
                                .await?;
                            }
                            State::Is(status)
                        }
                        (Action::Delete, None) => {
                            if previous != State::Deleted {
                                sqlx::query(
                                    "UPDATE feedback SET deleted_ms = $2, updated_ms = $2
                                     WHERE id = $1",
                                )
                                .bind(id)
                                .bind(now_ms)
                                .execute(&mut *tx)
                                .await?;
                            }
                            State::Deleted
                        }
                        (_, None) => {
                            if previous == State::Deleted {
                                sqlx::query(
                                    "UPDATE feedback SET deleted_ms = NULL, updated_ms = $2
                                     WHERE id = $1",
                                )
                                .bind(id)
                                .bind(now_ms)
                                .execute(&mut *tx)
                                .await?;
                            }
                            State::Is(item.status)
                        }
                    };
                    let detail = format!("{} -> {}", previous.as_str(), status.as_str());
                    Self::audit_in(
                        &mut *tx,
                        now_ms,
                        Some(moderator.id),
                        action.as_str(),
                        Some(id),
                        &detail,
                    )
                    .await?;
                    updated.push(Updated {
                        id: id.clone(),
                        status,
                        previous,
                    });
                }
                tx.commit().await?;
                Ok(updated)
            }

            async fn reply(
                &self,
                moderator: &$crate::feedback::store::Moderator,
                ids: &[String],
                message: &str,
                now_ms: i64,
            ) -> Result<Vec<$crate::feedback::store::Reply>, $crate::feedback::store::Refused> {
                use $crate::feedback::store::{Refused, Reply};
                let $w = self;
                let mut tx = $write.await?;
                let mut replies = Vec::with_capacity(ids.len());
                for id in ids {
                    if Self::find_in(&mut *tx, id).await?.is_none() {
                        return Err(Refused::UnknownFeedback(id.clone()));
                    }
                    let reply_id = $crate::feedback::token::random_id();
                    sqlx::query(
                        "INSERT INTO feedback_replies (id, feedback_id, message, moderator_id,
                             created_ms) VALUES ($1, $2, $3, $4, $5)",
                    )
                    .bind(&reply_id)
                    .bind(id)
                    .bind(message)
                    .bind(moderator.id)
                    .bind(now_ms)
                    .execute(&mut *tx)
                    .await?;
                    Self::audit_in(
                        &mut *tx,
                        now_ms,
                        Some(moderator.id),
                        "reply",
                        Some(id),
                        &reply_id,
                    )
                    .await?;
                    replies.push(Reply {
                        id: reply_id,
                        feedback_id: id.clone(),
                        message: message.to_owned(),
                        created_ms: now_ms,
                        moderator: moderator.name.clone(),
                    });
                }
                tx.commit().await?;
                Ok(replies)
            }

            async fn delete_reply(
                &self,
                moderator: &$crate::feedback::store::Moderator,
                reply_id: &str,
                now_ms: i64,
            ) -> Result<(), $crate::feedback::store::Refused> {
                use $crate::feedback::store::Refused;
                let $w = self;
                let mut tx = $write.await?;
                let found: Option<(String, String)> = sqlx::query_as(
                    "DELETE FROM feedback_replies WHERE id = $1 RETURNING feedback_id, message",
                )
                .bind(reply_id)
                .fetch_optional(&mut *tx)
                .await?;
                let Some((feedback_id, message)) = found else {
                    return Err(Refused::UnknownReply(reply_id.to_owned()));
                };
                Self::audit_in(
                    &mut *tx,
                    now_ms,
                    Some(moderator.id),
                    "delete_reply",
                    Some(&feedback_id),
                    &format!("{reply_id}: {message}"),
                )
                .await?;
                tx.commit().await?;
                Ok(())
            }

            async fn audit(
                &self,
                limit: i64,
            ) -> Result<Vec<$crate::feedback::store::AuditEntry>, $crate::db::StoreError> {
                let $r = self;
                let rows: Vec<(i64, Option<i64>, Option<String>, String, Option<String>, String)> =
                    sqlx::query_as(
                        "SELECT a.at_ms, a.moderator_id, m.name, a.action, a.feedback_id, a.detail
                         FROM moderation_audit a LEFT JOIN moderators m ON m.id = a.moderator_id
                         ORDER BY a.id DESC LIMIT $1",
                    )
                    .bind(limit)
                    .fetch_all($read)
                    .await?;
                Ok(rows
                    .into_iter()
                    .map(|(at_ms, id, name, action, feedback_id, detail)| {
                        $crate::feedback::store::AuditEntry {
                            at_ms,
                            moderator: id.map(|id| $crate::feedback::store::Moderator {
                                id,
                                name: name.unwrap_or_default(),
                            }),
                            action,
                            feedback_id,
                            detail,
                        }
                    })
                    .collect())
            }

            async fn export(
                &self,
                moderator: Option<&$crate::feedback::store::Moderator>,
                include_deleted: bool,
                now_ms: i64,
            ) -> Result<
                Vec<($crate::feedback::store::Feedback, Vec<$crate::feedback::store::Reply>)>,
                $crate::db::StoreError,
            > {
                use $crate::feedback::store::{feedback_from_row, FeedbackRow, FEEDBACK_COLUMNS};
                let $w = self;
                let mut tx = $write.await?;
                let detail = if include_deleted { "with deleted" } else { "" };
                Self::audit_in(&mut *tx, now_ms, moderator.map(|m| m.id), "export", None, detail)
                    .await?;
                let sql = format!(
                    "SELECT {FEEDBACK_COLUMNS} FROM feedback
                     WHERE $1 = 1 OR deleted_ms IS NULL ORDER BY created_ms, id"
                );
                let rows: Vec<FeedbackRow> = sqlx::query_as(&sql)
                    .bind(i64::from(include_deleted))
                    .fetch_all(&mut *tx)
                    .await?;
                let replies: Vec<(String, String, String, i64, String)> = sqlx::query_as(
                    "SELECT r.id, r.feedback_id, r.message, r.created_ms, m.name
                     FROM feedback_replies r JOIN moderators m ON m.id = r.moderator_id
                     ORDER BY r.created_ms, r.id",
                )
                .fetch_all(&mut *tx)
                .await?;
                tx.commit().await?;
                let mut by_item: std::collections::HashMap<String, Vec<$crate::feedback::store::Reply>> =
                    std::collections::HashMap::new();
                for (id, feedback_id, message, created_ms, moderator) in replies {
                    by_item.entry(feedback_id.clone()).or_default().push(
                        $crate::feedback::store::Reply {
                            id,
                            feedback_id,
                            message,
                            created_ms,
                            moderator,
                        },
                    );
                }
                rows.into_iter()
                    .map(|row| {
                        let feedback = feedback_from_row(row)?;
                        let replies = by_item.remove(&feedback.id).unwrap_or_default();
                        Ok((feedback, replies))
                    })
                    .collect()
            }

            async fn due(
                &self,
                now_ms: i64,
                limit: i64,
            ) -> Result<Vec<$crate::feedback::store::Outgoing>, $crate::db::StoreError> {
                let $r = self;
                let rows: Vec<(i64, String, String, i64, i64)> = sqlx::query_as(
                    "SELECT id, feedback_id, payload, attempts, next_ms FROM feedback_webhook_outbox
                     WHERE state = 'pending' AND next_ms <= $1 ORDER BY next_ms, id LIMIT $2",
                )
                .bind(now_ms)
                .bind(limit)
                .fetch_all($read)
                .await?;
                Ok(rows
                    .into_iter()
                    .map(|(id, feedback_id, payload, attempts, next_ms)| {
                        $crate::feedback::store::Outgoing {
                            id,
                            feedback_id,
                            payload,
                            attempts,
                            next_ms,
                        }
                    })
                    .collect())
            }

            async fn next_due(&self) -> Result<Option<i64>, $crate::db::StoreError> {
                let $r = self;
                Ok(sqlx::query_scalar(
                    "SELECT MIN(next_ms) FROM feedback_webhook_outbox WHERE state = 'pending'",
                )
                .fetch_one($read)
                .await?)
            }

            async fn claim(
                &self,
                out: &$crate::feedback::store::Outgoing,
                lease_until: i64,
            ) -> Result<bool, $crate::db::StoreError> {
                let $w = self;
                let mut tx = $write.await?;
                let taken = sqlx::query(
                    "UPDATE feedback_webhook_outbox SET next_ms = $3
                     WHERE id = $1 AND next_ms = $2 AND state = 'pending'",
                )
                .bind(out.id)
                .bind(out.next_ms)
                .bind(lease_until)
                .execute(&mut *tx)
                .await?
                .rows_affected();
                tx.commit().await?;
                Ok(taken == 1)
            }

            async fn attempted(
                &self,
                id: i64,
                outcome: $crate::feedback::store::Attempt,
                error: &str,
            ) -> Result<(), $crate::db::StoreError> {
                use $crate::feedback::store::Attempt;
                let (state, next) = match outcome {
                    Attempt::Delivered => ("delivered", 0),
                    Attempt::Retry { retry_at } => ("pending", retry_at),
                    Attempt::Failed => ("failed", 0),
                };
                let $w = self;
                let mut tx = $write.await?;
                sqlx::query(
                    "UPDATE feedback_webhook_outbox
                     SET state = $2, attempts = attempts + 1, next_ms = $3, last_error = $4
                     WHERE id = $1",
                )
                .bind(id)
                .bind(state)
                .bind(next)
                .bind(error)
                .execute(&mut *tx)
                .await?;
                tx.commit().await?;
                Ok(())
            }
        }

        impl $ty {
            /// Writes one line of the audit log in `tx`.
            async fn audit_in<'c, E>(
                executor: E,
                at_ms: i64,
                moderator: Option<i64>,
                action: &str,
                feedback_id: Option<&str>,
                detail: &str,
            ) -> Result<(), $crate::db::StoreError>
            where
                E: sqlx::Executor<'c, Database = <Self as $crate::feedback::store::Backend>::Database>,
            {
                sqlx::query(
                    "INSERT INTO moderation_audit (at_ms, moderator_id, action, feedback_id, detail)
                     VALUES ($1, $2, $3, $4, $5)",
                )
                .bind(at_ms)
                .bind(moderator)
                .bind(action)
                .bind(feedback_id)
                .bind(detail)
                .execute(executor)
                .await?;
                Ok(())
            }
        }
    };
}
pub(super) use feedback_store;

/// Which sqlx database a backend is (for the executors of [`feedback_store!`]).
pub trait Backend {
    type Database: sqlx::Database;
}

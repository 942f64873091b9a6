//! Where the ticker's news lives: the [`TickerStore`] trait, implemented for SQLite
//! (`sqlite.rs`) and PostgreSQL (`postgres.rs`) with the same SQL, written once in
//! [`ticker_store!`]. A fetch is stored in one transaction (items, the cap, the feed's state):
//! never half a fetch. A moderator's change to a breaking item writes its line of the
//! moderation audit log (the feedback's `moderation_audit`) in the same transaction.

use std::sync::Arc;

use async_trait::async_trait;
use serde::Serialize;

use crate::db::{Db, StoreError};

/// One item of a feed, cleaned (see [`super::text`]), in the feed's order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FeedItem {
    /// The guid, else the link.
    pub id: String,
    pub title: String,
    pub url: String,
    pub published_ms: Option<i64>,
    pub section: Option<String>,
}

/// What a good answer of a feed brought.
#[derive(Clone, Debug)]
pub struct Fetched {
    /// The feed's URL (or file) as configured.
    pub source: String,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    /// In the feed's order.
    pub items: Vec<FeedItem>,
}

/// The validators kept from a feed's last good answer, for a conditional request.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Validators {
    pub source: String,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
}

/// How a fetch that stored nothing ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Unchanged {
    NotModified,
    Failed(String),
}

/// A feed's last fetch, for `/api/v1/news/status`.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct FeedStatus {
    pub name: String,
    pub fetched_at: Option<i64>,
    /// `ok`, `not_modified` or `error`.
    pub outcome: Option<String>,
    pub error: Option<String>,
    /// The last fetch that brought a good answer.
    pub last_ok_at: Option<i64>,
    /// Items kept.
    pub items: i64,
}

/// A breaking item ("Tin nóng").
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Breaking {
    pub id: i64,
    pub title: String,
    pub url: String,
    /// `None`: every feed.
    pub feed: Option<String>,
    pub pinned: bool,
    pub pinned_at: i64,
    pub expires_at: i64,
    pub created_at: i64,
    pub updated_at: i64,
    pub moderator_id: i64,
}

/// A new breaking item, checked.
#[derive(Clone, Debug)]
pub struct NewBreaking {
    pub title: String,
    pub url: String,
    pub feed: Option<String>,
    pub pinned: bool,
    pub expires_ms: i64,
}

/// A change to a breaking item, checked; `None` fields stay.
#[derive(Clone, Debug, Default)]
pub struct BreakingChange {
    pub title: Option<String>,
    pub url: Option<String>,
    /// `Some(None)`: every feed.
    pub feed: Option<Option<String>>,
    pub pinned: Option<bool>,
    pub expires_ms: Option<i64>,
}

/// Feeds' items and state, and the breaking items.
#[async_trait]
pub trait TickerStore: Send + Sync {
    /// The validators of `feed`'s last good answer, if any.
    async fn validators(&self, feed: &str) -> Result<Option<Validators>, StoreError>;

    /// Stores a good answer in one transaction: upserts its items (keeping the newest `keep` of
    /// the feed), records the outcome `ok`; returns how many items the feed now keeps.
    async fn store_fetch(
        &self,
        feed: &str,
        fetched: &Fetched,
        keep: i64,
        now_ms: i64,
    ) -> Result<i64, StoreError>;

    /// Records a fetch that changed no items (`304`, or a failure: the last good items stay).
    async fn record_unchanged(
        &self,
        feed: &str,
        source: &str,
        outcome: &Unchanged,
        now_ms: i64,
    ) -> Result<(), StoreError>;

    /// The last fetch of each feed that was ever fetched.
    async fn statuses(&self) -> Result<Vec<FeedStatus>, StoreError>;

    /// Pinned breaking items live at `now_ms` for `feed` (newest pin first), at most `limit`.
    async fn live_breaking(
        &self,
        feed: &str,
        now_ms: i64,
        limit: i64,
    ) -> Result<Vec<Breaking>, StoreError>;

    /// The newest `limit` items of `feed` (by date; the feed's order for ties and undated ones).
    async fn newest(&self, feed: &str, limit: i64) -> Result<Vec<FeedItem>, StoreError>;

    /// Every breaking item, newest first, at most `limit`.
    async fn breaking_list(&self, limit: i64) -> Result<Vec<Breaking>, StoreError>;

    /// Posts a breaking item (and its audit line).
    async fn breaking_create(
        &self,
        moderator: i64,
        new: &NewBreaking,
        now_ms: i64,
    ) -> Result<Breaking, StoreError>;

    /// Changes a breaking item (and writes its audit line); `None` if there is no such item.
    async fn breaking_update(
        &self,
        moderator: i64,
        id: i64,
        change: &BreakingChange,
        action: &str,
        now_ms: i64,
    ) -> Result<Option<Breaking>, StoreError>;
}

/// The ticker store over `db`.
pub fn open(db: &Db) -> Arc<dyn TickerStore> {
    match db {
        Db::Sqlite(db) => Arc::new(db.clone()),
        Db::Postgres(db) => Arc::new(db.clone()),
    }
}

/// Which sqlx database a backend is (for the executors of [`ticker_store!`]).
pub trait Backend {
    type Database: sqlx::Database;
}

pub(super) const BREAKING_COLUMNS: &str = "id, title, url, feed, pinned, pinned_ms, expires_ms, \
     created_ms, updated_ms, moderator_id";

pub(super) type BreakingRow = (
    i64,
    String,
    String,
    Option<String>,
    i64,
    i64,
    i64,
    i64,
    i64,
    i64,
);

pub(super) fn breaking_from_row(row: BreakingRow) -> Breaking {
    let (id, title, url, feed, pinned, pinned_at, expires_at, created_at, updated_at, moderator) =
        row;
    Breaking {
        id,
        title,
        url,
        feed,
        pinned: pinned != 0,
        pinned_at,
        expires_at,
        created_at,
        updated_at,
        moderator_id: moderator,
    }
}

/// The order keys of a fetch's items, in the feed's order: the item's date; else the date of
/// the nearest dated item above it (so it stays right below that one); else when it was first
/// seen (`known`), else `now_ms`.
pub(super) fn sort_keys(
    items: &[FeedItem],
    known: &std::collections::HashMap<String, i64>,
    now_ms: i64,
) -> Vec<i64> {
    let mut above: Option<i64> = None;
    items
        .iter()
        .map(|item| match item.published_ms {
            Some(date) => {
                above = Some(date);
                date
            }
            None => above
                .or_else(|| known.get(&item.id).copied())
                .unwrap_or(now_ms),
        })
        .collect()
}

/// Implements [`TickerStore`] for a backend: `write` opens a write transaction, `read` names
/// the pool reads go to.
macro_rules! ticker_store {
    ($ty:ty, write: |$w:ident| $write:expr, read: |$r:ident| $read:expr) => {
        #[async_trait::async_trait]
        impl $crate::ticker::store::TickerStore for $ty {
            async fn validators(
                &self,
                feed: &str,
            ) -> Result<Option<$crate::ticker::store::Validators>, $crate::db::StoreError> {
                let $r = self;
                let row: Option<(String, Option<String>, Option<String>)> = sqlx::query_as(
                    "SELECT source, etag, last_modified FROM ticker_feeds WHERE name = $1",
                )
                .bind(feed)
                .fetch_optional($read)
                .await?;
                Ok(row.map(|(source, etag, last_modified)| {
                    $crate::ticker::store::Validators {
                        source,
                        etag,
                        last_modified,
                    }
                }))
            }

            async fn store_fetch(
                &self,
                feed: &str,
                fetched: &$crate::ticker::store::Fetched,
                keep: i64,
                now_ms: i64,
            ) -> Result<i64, $crate::db::StoreError> {
                let $w = self;
                let mut tx = $write.await?;
                let known: std::collections::HashMap<String, i64> =
                    sqlx::query_as::<_, (String, i64)>(
                        "SELECT id, sort_ms FROM ticker_items WHERE feed = $1",
                    )
                    .bind(feed)
                    .fetch_all(&mut *tx)
                    .await?
                    .into_iter()
                    .collect();
                let keys = $crate::ticker::store::sort_keys(&fetched.items, &known, now_ms);
                // Only the newest `keep` of this answer can stay: store no more.
                let mut order: Vec<usize> = (0..fetched.items.len()).collect();
                order.sort_by(|&a, &b| keys[b].cmp(&keys[a]).then(a.cmp(&b)));
                order.truncate(usize::try_from(keep).unwrap_or(0));
                for at in order {
                    let item = &fetched.items[at];
                    sqlx::query(
                        "INSERT INTO ticker_items
                             (feed, id, title, url, published_ms, section, sort_ms, seq, seen_ms)
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
                         ON CONFLICT (feed, id) DO UPDATE SET
                             title = excluded.title, url = excluded.url,
                             published_ms = excluded.published_ms, section = excluded.section,
                             sort_ms = excluded.sort_ms, seq = excluded.seq,
                             seen_ms = excluded.seen_ms",
                    )
                    .bind(feed)
                    .bind(&item.id)
                    .bind(&item.title)
                    .bind(&item.url)
                    .bind(item.published_ms)
                    .bind(item.section.as_deref())
                    .bind(keys[at])
                    .bind(i64::try_from(at).unwrap_or(i64::MAX))
                    .bind(now_ms)
                    .execute(&mut *tx)
                    .await?;
                }
                sqlx::query(
                    "DELETE FROM ticker_items WHERE feed = $1 AND id NOT IN (
                         SELECT id FROM ticker_items WHERE feed = $1
                         ORDER BY sort_ms DESC, seq ASC LIMIT $2)",
                )
                .bind(feed)
                .bind(keep)
                .execute(&mut *tx)
                .await?;
                let count: i64 =
                    sqlx::query_scalar("SELECT COUNT(*) FROM ticker_items WHERE feed = $1")
                        .bind(feed)
                        .fetch_one(&mut *tx)
                        .await?;
                sqlx::query(
                    "INSERT INTO ticker_feeds
                         (name, source, etag, last_modified, fetched_ms, outcome, error, ok_ms,
                          item_count)
                     VALUES ($1, $2, $3, $4, $5, 'ok', NULL, $5, $6)
                     ON CONFLICT (name) DO UPDATE SET
                         source = excluded.source, etag = excluded.etag,
                         last_modified = excluded.last_modified, fetched_ms = excluded.fetched_ms,
                         outcome = 'ok', error = NULL, ok_ms = excluded.ok_ms,
                         item_count = excluded.item_count",
                )
                .bind(feed)
                .bind(&fetched.source)
                .bind(fetched.etag.as_deref())
                .bind(fetched.last_modified.as_deref())
                .bind(now_ms)
                .bind(count)
                .execute(&mut *tx)
                .await?;
                tx.commit().await?;
                Ok(count)
            }

            async fn record_unchanged(
                &self,
                feed: &str,
                source: &str,
                outcome: &$crate::ticker::store::Unchanged,
                now_ms: i64,
            ) -> Result<(), $crate::db::StoreError> {
                use $crate::ticker::store::Unchanged;
                let (outcome, error) = match outcome {
                    Unchanged::NotModified => ("not_modified", None),
                    Unchanged::Failed(error) => ("error", Some(error.as_str())),
                };
                let $w = self;
                let mut tx = $write.await?;
                // A new source (the owner changed the URL) keeps no validators of the old one.
                sqlx::query(
                    "INSERT INTO ticker_feeds (name, source, fetched_ms, outcome, error)
                     VALUES ($1, $2, $3, $4, $5)
                     ON CONFLICT (name) DO UPDATE SET
                         etag = CASE WHEN ticker_feeds.source = excluded.source
                                THEN ticker_feeds.etag ELSE NULL END,
                         last_modified = CASE WHEN ticker_feeds.source = excluded.source
                                THEN ticker_feeds.last_modified ELSE NULL END,
                         source = excluded.source, fetched_ms = excluded.fetched_ms,
                         outcome = excluded.outcome, error = excluded.error",
                )
                .bind(feed)
                .bind(source)
                .bind(now_ms)
                .bind(outcome)
                .bind(error)
                .execute(&mut *tx)
                .await?;
                tx.commit().await?;
                Ok(())
            }

            async fn statuses(
                &self,
            ) -> Result<Vec<$crate::ticker::store::FeedStatus>, $crate::db::StoreError> {
                let $r = self;
                let rows: Vec<(String, Option<i64>, Option<String>, Option<String>, Option<i64>, i64)> =
                    sqlx::query_as(
                        "SELECT name, fetched_ms, outcome, error, ok_ms, item_count
                         FROM ticker_feeds ORDER BY name",
                    )
                    .fetch_all($read)
                    .await?;
                Ok(rows
                    .into_iter()
                    .map(|(name, fetched_at, outcome, error, last_ok_at, items)| {
                        $crate::ticker::store::FeedStatus {
                            name,
                            fetched_at,
                            outcome,
                            error,
                            last_ok_at,
                            items,
                        }
                    })
                    .collect())
            }

            async fn live_breaking(
                &self,
                feed: &str,
                now_ms: i64,
                limit: i64,
            ) -> Result<Vec<$crate::ticker::store::Breaking>, $crate::db::StoreError> {
                let $r = self;
                let sql = format!(
                    "SELECT {} FROM ticker_breaking
                     WHERE pinned = 1 AND expires_ms > $1 AND (feed IS NULL OR feed = $2)
                     ORDER BY pinned_ms DESC, id DESC LIMIT $3",
                    $crate::ticker::store::BREAKING_COLUMNS
                );
                let rows: Vec<$crate::ticker::store::BreakingRow> = sqlx::query_as(&sql)
                    .bind(now_ms)
                    .bind(feed)
                    .bind(limit)
                    .fetch_all($read)
                    .await?;
                Ok(rows
                    .into_iter()
                    .map($crate::ticker::store::breaking_from_row)
                    .collect())
            }

            async fn newest(
                &self,
                feed: &str,
                limit: i64,
            ) -> Result<Vec<$crate::ticker::store::FeedItem>, $crate::db::StoreError> {
                let $r = self;
                let rows: Vec<(String, String, String, Option<i64>, Option<String>)> =
                    sqlx::query_as(
                        "SELECT id, title, url, published_ms, section FROM ticker_items
                         WHERE feed = $1 ORDER BY sort_ms DESC, seq ASC LIMIT $2",
                    )
                    .bind(feed)
                    .bind(limit)
                    .fetch_all($read)
                    .await?;
                Ok(rows
                    .into_iter()
                    .map(|(id, title, url, published_ms, section)| {
                        $crate::ticker::store::FeedItem {
                            id,
                            title,
                            url,
                            published_ms,
                            section,
                        }
                    })
                    .collect())
            }

            async fn breaking_list(
                &self,
                limit: i64,
            ) -> Result<Vec<$crate::ticker::store::Breaking>, $crate::db::StoreError> {
                let $r = self;
                let sql = format!(
                    "SELECT {} FROM ticker_breaking ORDER BY id DESC LIMIT $1",
                    $crate::ticker::store::BREAKING_COLUMNS
                );
                let rows: Vec<$crate::ticker::store::BreakingRow> =
                    sqlx::query_as(&sql).bind(limit).fetch_all($read).await?;
                Ok(rows
                    .into_iter()
                    .map($crate::ticker::store::breaking_from_row)
                    .collect())
            }

            async fn breaking_create(
                &self,
                moderator: i64,
                new: &$crate::ticker::store::NewBreaking,
                now_ms: i64,
            ) -> Result<$crate::ticker::store::Breaking, $crate::db::StoreError> {
                let $w = self;
                let mut tx = $write.await?;
                let sql = format!(
                    "INSERT INTO ticker_breaking (title, url, feed, pinned, pinned_ms, expires_ms,
                         created_ms, updated_ms, moderator_id)
                     VALUES ($1, $2, $3, $4, $5, $6, $5, $5, $7) RETURNING {}",
                    $crate::ticker::store::BREAKING_COLUMNS
                );
                let row: $crate::ticker::store::BreakingRow = sqlx::query_as(&sql)
                    .bind(&new.title)
                    .bind(&new.url)
                    .bind(new.feed.as_deref())
                    .bind(i64::from(new.pinned))
                    .bind(now_ms)
                    .bind(new.expires_ms)
                    .bind(moderator)
                    .fetch_one(&mut *tx)
                    .await?;
                let item = $crate::ticker::store::breaking_from_row(row);
                Self::ticker_audit(&mut *tx, now_ms, moderator, "breaking_post", &item).await?;
                tx.commit().await?;
                Ok(item)
            }

            async fn breaking_update(
                &self,
                moderator: i64,
                id: i64,
                change: &$crate::ticker::store::BreakingChange,
                action: &str,
                now_ms: i64,
            ) -> Result<Option<$crate::ticker::store::Breaking>, $crate::db::StoreError> {
                let $w = self;
                let mut tx = $write.await?;
                // One statement: concurrent changes of one item apply one after the other.
                // Pinning (again) makes the item the newest pin.
                let sql = format!(
                    "UPDATE ticker_breaking SET
                         title = COALESCE($2, title),
                         url = COALESCE($3, url),
                         feed = CASE WHEN $4 = 1 THEN $5 ELSE feed END,
                         pinned_ms = CASE WHEN $6 = 1 THEN $9 ELSE pinned_ms END,
                         pinned = COALESCE($7, pinned),
                         expires_ms = COALESCE($8, expires_ms),
                         updated_ms = $9
                     WHERE id = $1 RETURNING {}",
                    $crate::ticker::store::BREAKING_COLUMNS
                );
                let row: Option<$crate::ticker::store::BreakingRow> = sqlx::query_as(&sql)
                    .bind(id)
                    .bind(change.title.as_deref())
                    .bind(change.url.as_deref())
                    .bind(i64::from(change.feed.is_some()))
                    .bind(change.feed.clone().flatten())
                    .bind(i64::from(change.pinned == Some(true)))
                    .bind(change.pinned.map(i64::from))
                    .bind(change.expires_ms)
                    .bind(now_ms)
                    .fetch_optional(&mut *tx)
                    .await?;
                let Some(row) = row else {
                    tx.commit().await?;
                    return Ok(None);
                };
                let item = $crate::ticker::store::breaking_from_row(row);
                Self::ticker_audit(&mut *tx, now_ms, moderator, action, &item).await?;
                tx.commit().await?;
                Ok(Some(item))
            }
        }

        impl $ty {
            /// Writes one line of the moderation audit log in `tx`: `b<id> <title>`.
            async fn ticker_audit<'c, E>(
                executor: E,
                at_ms: i64,
                moderator: i64,
                action: &str,
                item: &$crate::ticker::store::Breaking,
            ) -> Result<(), $crate::db::StoreError>
            where
                E: sqlx::Executor<'c, Database = <Self as $crate::ticker::store::Backend>::Database>,
            {
                sqlx::query(
                    "INSERT INTO moderation_audit (at_ms, moderator_id, action, feedback_id, detail)
                     VALUES ($1, $2, $3, NULL, $4)",
                )
                .bind(at_ms)
                .bind(moderator)
                .bind(action)
                .bind(format!("b{} {}", item.id, item.title))
                .execute(executor)
                .await?;
                Ok(())
            }
        }
    };
}
pub(super) use ticker_store;

#[cfg(test)]
mod tests {
    use super::*;

    fn item(id: &str, date: Option<i64>) -> FeedItem {
        FeedItem {
            id: id.to_owned(),
            title: id.to_owned(),
            url: format!("https://x.example/{id}"),
            published_ms: date,
            section: None,
        }
    }

    #[test]
    fn undated_items_sit_below_the_dated_item_above_them_or_keep_when_first_seen() {
        let items = [
            item("top", None),
            item("a", Some(500)),
            item("b", None),
            item("c", Some(300)),
        ];
        let known = std::collections::HashMap::from([("top".to_owned(), 900)]);
        assert_eq!(sort_keys(&items, &known, 1000), [900, 500, 500, 300]);
        assert_eq!(
            sort_keys(&items, &Default::default(), 1000),
            [1000, 500, 500, 300]
        );
    }
}

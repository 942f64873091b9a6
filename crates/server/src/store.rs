//! The storage interface the handlers use. Handlers hold an `Arc<dyn Store>`; [`open`] picks the
//! backend from the database URL: [`sqlite::SqliteStore`] or [`postgres::PostgresStore`].
//! Both behave the same; `tests/store.rs` runs one set of tests against each.

pub mod postgres;
pub mod sqlite;

use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use async_trait::async_trait;
use bangtin_api::{RatingKey, RatingSummary, Scale};

/// Why the storage failed; the detail is logged, never sent to clients (except which constraint
/// refused the data, see [`StoreError::Refused`]).
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("unsupported database url {0:?}: expected sqlite://... or postgres://...")]
    UnsupportedUrl(String),
    #[error("database error: {0}")]
    Database(sqlx::Error),
    /// A unique, check, not-null or foreign-key constraint refused the data. The handlers validate
    /// first, so this means a bug; it is still the request's data that was refused, so it
    /// answers 409/422 rather than 500 (see [`crate::error::AppError`]).
    #[error("the database refused the data ({constraint})")]
    Refused {
        kind: Violation,
        /// The constraint (PostgreSQL) or the columns or check (SQLite) that refused the data.
        constraint: String,
    },
    #[error("migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("cannot create the database directory: {0}")]
    Io(#[from] std::io::Error),
    #[error("unexpected data in the database: {0}")]
    Corrupt(String),
    /// The task running a write stopped without an answer (it panicked).
    #[error("the storage task stopped: {0}")]
    Task(String),
}

/// Which kind of constraint refused the data.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Violation {
    Unique,
    Check,
    NotNull,
    ForeignKey,
}

/// Sorts constraint violations from other database errors, the same way for every backend.
impl From<sqlx::Error> for StoreError {
    fn from(err: sqlx::Error) -> Self {
        let sqlx::Error::Database(db) = &err else {
            return StoreError::Database(err);
        };
        let kind = match db.kind() {
            sqlx::error::ErrorKind::UniqueViolation => Violation::Unique,
            sqlx::error::ErrorKind::CheckViolation => Violation::Check,
            sqlx::error::ErrorKind::NotNullViolation => Violation::NotNull,
            sqlx::error::ErrorKind::ForeignKeyViolation => Violation::ForeignKey,
            _ => return StoreError::Database(err),
        };
        // PostgreSQL names the constraint; SQLite says e.g.
        // "UNIQUE constraint failed: votes.article, votes.scale, votes.reader_hash".
        let constraint = db.constraint().map_or_else(
            || {
                let message = db.message();
                message
                    .split_once("constraint failed: ")
                    .map_or(message, |(_, what)| what)
                    .to_owned()
            },
            str::to_owned,
        );
        StoreError::Refused { kind, constraint }
    }
}

/// Where votes live. Article keys arrive validated and NFC-normalized; reader ids arrive
/// already hashed (see [`crate::ratings::ReaderHasher`]).
#[async_trait]
pub trait Store: Send + Sync {
    /// Records a vote, replacing the same reader's earlier vote on the same rating, and returns
    /// the new summary with `mine` set. The write is committed before this returns.
    async fn cast_vote(
        &self,
        article: &str,
        scale: Scale,
        reader_hash: &str,
        value: u8,
    ) -> Result<RatingSummary, StoreError>;

    /// One summary per key, in the order given (callers pass distinct keys); `mine` is the vote
    /// of `reader_hash`, if any. Unknown ratings have count 0.
    async fn summaries(
        &self,
        keys: &[RatingKey],
        reader_hash: Option<&str>,
    ) -> Result<Vec<RatingSummary>, StoreError>;

    /// The server's secret for hashing reader ids: 32 random bytes, generated on first start
    /// and kept in the database so hashes stay stable across restarts.
    async fn secret(&self) -> Result<Vec<u8>, StoreError>;

    /// Checks that the storage answers.
    async fn ping(&self) -> Result<(), StoreError>;
}

/// Opens and migrates the store at `url`: `sqlite:...` or `postgres://...` (`postgresql://...`).
pub async fn open(url: &str) -> Result<Arc<dyn Store>, StoreError> {
    let scheme = url.split_once(':').map(|(scheme, _)| scheme);
    match scheme {
        Some("sqlite") => Ok(Arc::new(sqlite::SqliteStore::open(url).await?)),
        Some("postgres" | "postgresql") => Ok(Arc::new(postgres::PostgresStore::open(url).await?)),
        _ => Err(StoreError::UnsupportedUrl(url.to_owned())),
    }
}

/// The `settings` key of the reader-hashing secret.
const SECRET_KEY: &str = "reader_hash_secret";

/// Seconds since the Unix epoch, for `created_at` and `updated_at`.
fn now_secs() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

/// What a vote does to its rating's totals, given the reader's previous vote on it (if any).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Change {
    /// The same value again: the totals stay.
    None,
    /// Add these to the totals' `count` and `sum` (`sum` may go down when a vote is replaced).
    Add { count: i64, sum: i64 },
}

impl Change {
    fn of(old: Option<i64>, new: u8) -> Change {
        let new = i64::from(new);
        match old {
            None => Change::Add { count: 1, sum: new },
            Some(old) if old == new => Change::None,
            Some(old) => Change::Add {
                count: 0,
                sum: new - old,
            },
        }
    }
}

/// Builds a summary from `(count, sum, mine)` as both backends return them (64-bit integers).
/// One row of a batch summary read, as both backends select it: the key's position in the
/// request, its count and sum, and the asking reader's vote.
type SummaryRow = (i64, i64, i64, Option<i64>);

/// Pairs the rows of a batch read (in request order) with the keys they answer.
fn summaries_in_order(
    keys: &[RatingKey],
    rows: Vec<SummaryRow>,
) -> Result<Vec<RatingSummary>, StoreError> {
    if rows.len() != keys.len() {
        return Err(StoreError::Corrupt(format!(
            "{} summaries for {} keys",
            rows.len(),
            keys.len()
        )));
    }
    keys.iter()
        .zip(rows)
        .map(|(key, (_, count, sum, mine))| summary(&key.article, key.scale, count, sum, mine))
        .collect()
}

fn summary(
    article: &str,
    scale: Scale,
    count: i64,
    sum: i64,
    mine: Option<i64>,
) -> Result<RatingSummary, StoreError> {
    let corrupt = |what: &str| StoreError::Corrupt(format!("{what} out of range"));
    Ok(RatingSummary {
        article: article.to_owned(),
        scale,
        count: u64::try_from(count).map_err(|_| corrupt("count"))?,
        sum: u64::try_from(sum).map_err(|_| corrupt("sum"))?,
        mine: mine
            .map(|m| u8::try_from(m).map_err(|_| corrupt("vote")))
            .transpose()?,
    })
}

#[cfg(test)]
mod tests {
    use super::Change;

    #[test]
    fn a_first_vote_counts_a_replaced_one_moves_the_sum_and_a_repeated_one_changes_nothing() {
        assert_eq!(Change::of(None, 4), Change::Add { count: 1, sum: 4 });
        assert_eq!(Change::of(None, 0), Change::Add { count: 1, sum: 0 });
        assert_eq!(Change::of(Some(4), 2), Change::Add { count: 0, sum: -2 });
        assert_eq!(Change::of(Some(0), 1), Change::Add { count: 0, sum: 1 });
        assert_eq!(Change::of(Some(3), 3), Change::None);
    }
}

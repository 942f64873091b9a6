//! The storage interface the handlers use, so another backend (PostgreSQL) can follow without
//! touching them. Handlers hold an `Arc<dyn Store>`; [`sqlite::SqliteStore`] is the one backend.

pub mod sqlite;

use async_trait::async_trait;
use bangtin_api::{RatingKey, RatingSummary, Scale};

/// Why the storage failed; the detail is logged, never sent to clients.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("cannot create the database directory: {0}")]
    Io(#[from] std::io::Error),
    #[error("unexpected data in the database: {0}")]
    Corrupt(String),
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

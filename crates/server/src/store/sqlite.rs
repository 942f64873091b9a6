//! The SQLite backend: WAL, `synchronous = FULL`, migrations embedded from `migrations/sqlite`.
//!
//! SQLite lets one connection write at a time. Several pooled connections writing at once would
//! wait for each other in `busy_timeout`'s sleep-and-retry (p99 in the hundreds of milliseconds
//! under load), so every write goes through one writer connection and queues for it in-process;
//! reads use a pool of their own, which WAL lets run beside the writer.

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use async_trait::async_trait;
use bangtin_api::{RatingKey, RatingSummary, Scale};
use rand::RngCore;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::SqlitePool;

use super::{
    now_secs, summaries_in_order, summary, Change, Store, StoreError, SummaryRow, SECRET_KEY,
};

/// Votes in one SQLite file.
#[derive(Clone, Debug)]
pub struct SqliteStore {
    /// Exactly one connection: every write goes through it.
    writer: SqlitePool,
    /// Connections for reads only. The same pool as `writer` for an in-memory database.
    readers: SqlitePool,
}

/// How many connections read at once.
const READERS: u32 = 8;

impl SqliteStore {
    /// Opens (creating the file and its directory if missing) and migrates the database at `url`
    /// (`sqlite://path/to/file.db`, `sqlite:file.db`, or `sqlite::memory:`).
    pub async fn open(url: &str) -> Result<Self, StoreError> {
        if let Some(parent) = file_path(url).as_deref().and_then(Path::parent) {
            if !parent.as_os_str().is_empty() {
                std::fs::create_dir_all(parent)?;
            }
        }
        let options = SqliteConnectOptions::from_str(url)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .busy_timeout(Duration::from_secs(5))
            .foreign_keys(true);
        // One connection, never closed for idleness or age: an in-memory database lives only as
        // long as its connection.
        let writer = SqlitePoolOptions::new()
            .max_connections(1)
            .min_connections(1)
            .idle_timeout(None)
            .max_lifetime(None)
            .connect_with(options.clone())
            .await?;
        migrate(&writer).await?;
        // An in-memory database exists once per connection: keep exactly one, for everything.
        let readers = if url.contains(":memory:") {
            writer.clone()
        } else {
            SqlitePoolOptions::new()
                .max_connections(READERS)
                .connect_with(options)
                .await?
        };
        Ok(Self { writer, readers })
    }
}

/// Applies the embedded migrations. sqlx takes no lock around SQLite migrations, so when another
/// server migrates the same new file at the same moment ours fails ("table votes already
/// exists"); once the other has committed, trying again finds nothing left to do.
async fn migrate(pool: &SqlitePool) -> Result<(), StoreError> {
    let migrator = sqlx::migrate!("./migrations/sqlite");
    let mut attempt = 1;
    loop {
        match migrator.run(pool).await {
            Ok(()) => return Ok(()),
            Err(err) if attempt < 5 => {
                tracing::debug!(error = %err, attempt, "migration failed; retrying");
                tokio::time::sleep(Duration::from_millis(50 * attempt)).await;
                attempt += 1;
            }
            Err(err) => return Err(err.into()),
        }
    }
}

/// The file behind a sqlite URL, if it names one.
fn file_path(url: &str) -> Option<std::path::PathBuf> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or_default();
    if path.is_empty() || path.starts_with(":memory:") {
        return None;
    }
    Some(path.into())
}

#[async_trait]
impl Store for SqliteStore {
    async fn cast_vote(
        &self,
        article: &str,
        scale: Scale,
        reader_hash: &str,
        value: u8,
    ) -> Result<RatingSummary, StoreError> {
        let now = now_secs();
        // IMMEDIATE takes the write lock up front: the transaction reads the old vote first, and
        // a read transaction cannot always become a write one (another process may have written).
        let mut tx = self.writer.begin_with("BEGIN IMMEDIATE").await?;
        let old: Option<i64> = sqlx::query_scalar(
            "SELECT value FROM votes WHERE article = ?1 AND scale = ?2 AND reader_hash = ?3",
        )
        .bind(article)
        .bind(scale.as_str())
        .bind(reader_hash)
        .fetch_optional(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO votes (article, scale, reader_hash, value, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?5)
             ON CONFLICT (article, scale, reader_hash)
             DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
        )
        .bind(article)
        .bind(scale.as_str())
        .bind(reader_hash)
        .bind(i64::from(value))
        .bind(now)
        .execute(&mut *tx)
        .await?;
        let (count, sum): (i64, i64) = match Change::of(old, value) {
            Change::None => {
                sqlx::query_as(
                    "SELECT count, sum FROM rating_totals WHERE article = ?1 AND scale = ?2",
                )
                .bind(article)
                .bind(scale.as_str())
                .fetch_one(&mut *tx)
                .await?
            }
            Change::Add { count, sum } => {
                // Created, then adjusted: an upsert checks its insert values against the
                // CHECK even when it updates, and a replaced vote may lower the sum.
                sqlx::query(
                    "INSERT INTO rating_totals (article, scale, count, sum) VALUES (?1, ?2, 0, 0)
                     ON CONFLICT (article, scale) DO NOTHING",
                )
                .bind(article)
                .bind(scale.as_str())
                .execute(&mut *tx)
                .await?;
                sqlx::query_as(
                    "UPDATE rating_totals SET count = count + ?3, sum = sum + ?4
                     WHERE article = ?1 AND scale = ?2 RETURNING count, sum",
                )
                .bind(article)
                .bind(scale.as_str())
                .bind(count)
                .bind(sum)
                .fetch_one(&mut *tx)
                .await?
            }
        };
        tx.commit().await?;
        summary(article, scale, count, sum, Some(i64::from(value)))
    }

    async fn summaries(
        &self,
        keys: &[RatingKey],
        reader_hash: Option<&str>,
    ) -> Result<Vec<RatingSummary>, StoreError> {
        if keys.is_empty() {
            return Ok(Vec::new());
        }
        // One statement for the whole batch: the wanted keys as a VALUES table, left-joined to
        // their totals and to the reader's vote (each one primary-key lookup). One statement
        // reads one snapshot: totals and `mine` agree.
        let mut sql = String::from("WITH wanted (idx, article, scale) AS (VALUES ");
        for i in 0..keys.len() {
            if i > 0 {
                sql.push_str(", ");
            }
            sql.push_str("(?, ?, ?)");
        }
        sql.push_str(
            ") SELECT w.idx, COALESCE(t.count, 0), COALESCE(t.sum, 0), v.value
               FROM wanted w
               LEFT JOIN rating_totals t ON t.article = w.article AND t.scale = w.scale
               LEFT JOIN votes v
                 ON v.article = w.article AND v.scale = w.scale AND v.reader_hash = ?
               ORDER BY w.idx",
        );
        let mut query = sqlx::query_as::<_, SummaryRow>(&sql);
        for (i, key) in keys.iter().enumerate() {
            let idx = i64::try_from(i).map_err(|_| StoreError::Corrupt("batch".into()))?;
            query = query
                .bind(idx)
                .bind(key.article.as_str())
                .bind(key.scale.as_str());
        }
        let rows = query.bind(reader_hash).fetch_all(&self.readers).await?;
        summaries_in_order(keys, rows)
    }

    async fn secret(&self) -> Result<Vec<u8>, StoreError> {
        let mut fresh = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut fresh);
        // Insert-if-absent then read: two servers starting at once agree on one secret.
        sqlx::query(
            "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO NOTHING",
        )
        .bind(SECRET_KEY)
        .bind(hex::encode(fresh))
        .execute(&self.writer)
        .await?;
        let stored: String = sqlx::query_scalar("SELECT value FROM settings WHERE key = ?1")
            .bind(SECRET_KEY)
            .fetch_one(&self.writer)
            .await?;
        hex::decode(stored).map_err(|_| StoreError::Corrupt("secret is not hex".into()))
    }

    async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1").execute(&self.readers).await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::file_path;

    #[test]
    fn file_path_finds_the_file_behind_a_sqlite_url() {
        assert_eq!(file_path("sqlite://data/b.db"), Some("data/b.db".into()));
        assert_eq!(file_path("sqlite:b.db?mode=rwc"), Some("b.db".into()));
        assert_eq!(
            file_path("sqlite:///tmp/x/b.db"),
            Some("/tmp/x/b.db".into())
        );
        assert_eq!(file_path("sqlite::memory:"), None);
        assert_eq!(file_path("postgres://x"), None);
    }
}

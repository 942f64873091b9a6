//! The SQLite backend: WAL, `synchronous = FULL`, migrations embedded from `migrations/sqlite`.

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use async_trait::async_trait;
use bangtin_api::{RatingKey, RatingSummary, Scale};
use rand::RngCore;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Row, SqlitePool};

use super::{now_secs, summary, Store, StoreError, SECRET_KEY};

/// Votes in one SQLite file.
#[derive(Clone, Debug)]
pub struct SqliteStore {
    pool: SqlitePool,
}

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
        // An in-memory database exists once per connection: keep exactly one.
        let max = if url.contains(":memory:") { 1 } else { 8 };
        let pool = SqlitePoolOptions::new()
            .max_connections(max)
            .connect_with(options)
            .await?;
        migrate(&pool).await?;
        Ok(Self { pool })
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
        let mut tx = self.pool.begin().await?;
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
        let row = sqlx::query(
            "SELECT COUNT(*), COALESCE(SUM(value), 0),
                    MAX(CASE WHEN reader_hash = ?3 THEN value END)
             FROM votes WHERE article = ?1 AND scale = ?2",
        )
        .bind(article)
        .bind(scale.as_str())
        .bind(reader_hash)
        .fetch_one(&mut *tx)
        .await?;
        tx.commit().await?;
        summary(
            article,
            scale,
            row.try_get(0)?,
            row.try_get(1)?,
            row.try_get(2)?,
        )
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
        // the votes (served by the primary key index).
        let mut sql = String::from("WITH wanted (idx, article, scale) AS (VALUES ");
        for i in 0..keys.len() {
            if i > 0 {
                sql.push_str(", ");
            }
            sql.push_str("(?, ?, ?)");
        }
        sql.push_str(
            ") SELECT w.idx, COUNT(v.value), COALESCE(SUM(v.value), 0),
                      MAX(CASE WHEN v.reader_hash = ? THEN v.value END)
               FROM wanted w
               LEFT JOIN votes v ON v.article = w.article AND v.scale = w.scale
               GROUP BY w.idx ORDER BY w.idx",
        );
        let mut query = sqlx::query(&sql);
        for (i, key) in keys.iter().enumerate() {
            let idx = i64::try_from(i).map_err(|_| StoreError::Corrupt("batch".into()))?;
            query = query
                .bind(idx)
                .bind(key.article.as_str())
                .bind(key.scale.as_str());
        }
        let rows = query.bind(reader_hash).fetch_all(&self.pool).await?;
        if rows.len() != keys.len() {
            return Err(StoreError::Corrupt(format!(
                "{} summaries for {} keys",
                rows.len(),
                keys.len()
            )));
        }
        keys.iter()
            .zip(rows)
            .map(|(key, row)| {
                summary(
                    &key.article,
                    key.scale,
                    row.try_get(1)?,
                    row.try_get(2)?,
                    row.try_get(3)?,
                )
            })
            .collect()
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
        .execute(&self.pool)
        .await?;
        let stored: String = sqlx::query_scalar("SELECT value FROM settings WHERE key = ?1")
            .bind(SECRET_KEY)
            .fetch_one(&self.pool)
            .await?;
        hex::decode(stored).map_err(|_| StoreError::Corrupt("secret is not hex".into()))
    }

    async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
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

//! The database every widget's store shares: SQLite (the default) or PostgreSQL, picked by the
//! URL's scheme. Each widget keeps its own store trait, tables and migrations in its own module
//! and implements the trait for [`SqliteDb`] and [`PgDb`]; this module only opens the connection,
//! applies a widget's migrations and sorts database errors.
//!
//! SQLite lets one connection write at a time. Several pooled connections writing at once would
//! wait for each other in `busy_timeout`'s sleep-and-retry (p99 in the hundreds of milliseconds
//! under load), so every write goes through one writer connection and queues for it in-process;
//! reads use a pool of their own, which WAL lets run beside the writer.

use std::path::Path;
use std::str::FromStr;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use sqlx::migrate::Migrator;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{PgPool, SqlitePool};

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

/// An open database.
#[derive(Clone, Debug)]
pub enum Db {
    Sqlite(SqliteDb),
    Postgres(PgDb),
}

/// One SQLite file.
#[derive(Clone, Debug)]
pub struct SqliteDb {
    /// Exactly one connection: every write goes through it.
    pub writer: SqlitePool,
    /// Connections for reads only. The same pool as `writer` for an in-memory database.
    pub readers: SqlitePool,
}

/// One PostgreSQL database.
#[derive(Clone, Debug)]
pub struct PgDb {
    pub pool: PgPool,
}

/// How many connections read a SQLite file at once.
const SQLITE_READERS: u32 = 8;

impl Db {
    /// Opens the database at `url`: `sqlite://path/to/file.db` (file and directory created if
    /// missing), `sqlite::memory:`, or `postgres://user:password@host:port/database` (the
    /// database must exist). Tables come with each widget's migrations ([`Db::migrate`]).
    pub async fn open(url: &str) -> Result<Db, StoreError> {
        let scheme = url.split_once(':').map(|(scheme, _)| scheme);
        match scheme {
            Some("sqlite") => Ok(Db::Sqlite(SqliteDb::open(url).await?)),
            Some("postgres" | "postgresql") => Ok(Db::Postgres(PgDb::open(url).await?)),
            _ => Err(StoreError::UnsupportedUrl(url.to_owned())),
        }
    }

    /// Applies one widget's migrations: `sqlite` or `postgres`, whichever this database is.
    /// Every widget records its migrations in the same `_sqlx_migrations` table under version
    /// numbers of its own, so each migrator ignores the versions the others applied.
    pub async fn migrate(
        &self,
        mut sqlite: Migrator,
        mut postgres: Migrator,
    ) -> Result<(), StoreError> {
        match self {
            Db::Sqlite(db) => {
                sqlite.set_ignore_missing(true);
                migrate_sqlite(&sqlite, &db.writer).await
            }
            Db::Postgres(db) => {
                postgres.set_ignore_missing(true);
                // sqlx takes an advisory lock around PostgreSQL migrations: servers starting at
                // once are safe.
                postgres.run(&db.pool).await.map_err(StoreError::from)
            }
        }
    }

    /// Checks that the database answers.
    pub async fn ping(&self) -> Result<(), StoreError> {
        match self {
            Db::Sqlite(db) => {
                sqlx::query("SELECT 1").execute(&db.readers).await?;
            }
            Db::Postgres(db) => {
                sqlx::query("SELECT 1").execute(&db.pool).await?;
            }
        }
        Ok(())
    }
}

impl SqliteDb {
    async fn open(url: &str) -> Result<Self, StoreError> {
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
        // An in-memory database exists once per connection: keep exactly one, for everything.
        let readers = if url.contains(":memory:") {
            writer.clone()
        } else {
            SqlitePoolOptions::new()
                .max_connections(SQLITE_READERS)
                .connect_with(options)
                .await?
        };
        Ok(Self { writer, readers })
    }
}

impl PgDb {
    async fn open(url: &str) -> Result<Self, StoreError> {
        let options = PgConnectOptions::from_str(url)?.application_name("bangtin-server");
        let pool = PgPoolOptions::new()
            .max_connections(8)
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(options)
            .await?;
        Ok(Self { pool })
    }
}

/// Applies migrations to SQLite. sqlx takes no lock around SQLite migrations, so when another
/// server migrates the same new file at the same moment ours fails ("table votes already
/// exists"); once the other has committed, trying again finds nothing left to do.
async fn migrate_sqlite(migrator: &Migrator, pool: &SqlitePool) -> Result<(), StoreError> {
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

/// Seconds since the Unix epoch, for `created_at` and `updated_at` columns.
pub fn now_secs() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

/// A 64-bit integer column as an unsigned count; a negative one means corrupt data.
pub fn count(value: i64, what: &str) -> Result<u64, StoreError> {
    u64::try_from(value).map_err(|_| StoreError::Corrupt(format!("{what} out of range")))
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

//! Shared helpers: a real app over a fresh database (a SQLite file in a temp dir, or a fresh
//! PostgreSQL database), request shortcuts, and [`on_both_backends!`], which runs one test body
//! against each backend.
//!
//! The hostile-world tests (issue 7) take each widget's cases from here: its write scenario for
//! the kill and shutdown tests ([`write_scenarios`]) and its endpoints for the randomized HTTP
//! test ([`endpoints`]), one line per widget; the machinery is in [`harness`] and [`random`].
#![allow(clippy::unwrap_used, dead_code, unused_macros, unused_imports)]

pub mod countdown;
pub mod feedback;
pub mod feeds;
pub mod harness;
pub mod random;
pub mod rating;
pub mod ticker;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::str::FromStr;

use axum::body::{Body, Bytes};
use axum::extract::connect_info::MockConnectInfo;
use axum::http::{header, HeaderMap, Request, StatusCode};
use axum::Router;
use bangtin_server::{build_app, Config};
use http_body_util::BodyExt;
use sqlx::{Connection, Executor, PgConnection};
use tempfile::TempDir;
use tower::ServiceExt;

/// Every widget's write scenario, for the kill and shutdown tests: one line per widget.
pub fn write_scenarios() -> Vec<Box<dyn harness::WriteScenario>> {
    vec![Box::new(rating::Votes), Box::new(feedback::Submits)]
}

/// Every endpoint of the randomized HTTP test: the server's own, then one line per widget.
pub fn endpoints() -> Vec<random::Endpoint> {
    let mut all = random::server_endpoints();
    all.extend(rating::endpoints());
    all.extend(feedback::endpoints());
    all.extend(ticker::endpoints());
    all.extend(countdown::endpoints());
    all
}

pub const READER_A: &str = "0123456789abcdef0123456789abcdef";
pub const READER_B: &str = "fedcba9876543210fedcba9876543210";
pub const PEER: [u8; 4] = [192, 0, 2, 77];

/// Where the admin URL of a PostgreSQL server for the tests comes from (`cargo xtask test` sets it).
pub const POSTGRES_URL_VAR: &str = "BANGTIN_TEST_POSTGRES_URL";
/// The reader-hash secret of every test server.
pub const SECRET: &[u8] = b"test-secret-test-secret-test-secret-0123456789";

/// Generates, for each listed `async fn name(db: TestDb)`, the tests `sqlite::name` and
/// `postgres::name`: the same body on a fresh SQLite file and on a fresh PostgreSQL database.
/// There is no silent skip: without a PostgreSQL server the `postgres::` tests fail and say how
/// to get one (run only `sqlite::` tests with a test-name filter when you mean to).
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test]
                async fn $name() {
                    super::$name($crate::common::TestDb::sqlite()).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test]
                async fn $name() {
                    super::$name($crate::common::TestDb::postgres().await).await;
                }
            )*
        }
    };
}
pub(crate) use on_both_backends;

/// A fresh, empty database for one test; dropping it drops a PostgreSQL database.
pub struct TestDb {
    pub url: String,
    /// Holds the SQLite file.
    dir: TempDir,
    /// `(admin url, database name)` of a PostgreSQL database made for this test.
    postgres: Option<(String, String)>,
}

impl TestDb {
    /// A SQLite file (not yet created) in a new temp dir.
    pub fn sqlite() -> TestDb {
        let dir = tempfile::tempdir().unwrap();
        let url = format!(
            "sqlite://{}",
            dir.path().join("db").join("bangtin.db").display()
        );
        TestDb {
            url,
            dir,
            postgres: None,
        }
    }

    /// A new database `t_<random>` on the server at `BANGTIN_TEST_POSTGRES_URL`, so that tests
    /// run in parallel. Without that variable the test fails, saying how to get a server.
    pub async fn postgres() -> TestDb {
        let Ok(admin) = std::env::var(POSTGRES_URL_VAR) else {
            panic!(
                "{POSTGRES_URL_VAR} is not set: run `cargo xtask test`, which starts a \
                 PostgreSQL server for these tests (or set {POSTGRES_URL_VAR}=postgres://... \
                 yourself; to run only the SQLite variants, filter: `cargo test sqlite::`)"
            );
        };
        let name = format!("t_{:016x}", rand::random::<u64>());
        let mut conn = PgConnection::connect(&admin)
            .await
            .unwrap_or_else(|e| panic!("cannot connect to {POSTGRES_URL_VAR}={admin}: {e}"));
        conn.execute(format!("CREATE DATABASE {name}").as_str())
            .await
            .unwrap();
        conn.close().await.unwrap();
        TestDb {
            url: with_database(&admin, &name),
            dir: tempfile::tempdir().unwrap(),
            postgres: Some((admin, name)),
        }
    }

    pub fn is_postgres(&self) -> bool {
        self.postgres.is_some()
    }

    /// Every vote row, sorted, read straight from the database.
    pub async fn vote_rows(&self) -> Vec<(String, String, String, i64)> {
        self.rows(
            "SELECT article, scale, reader_hash, CAST(value AS BIGINT) FROM votes \
             ORDER BY article, scale, reader_hash",
        )
        .await
    }

    /// Every row of `rating_totals`, sorted, read straight from the database.
    pub async fn totals_rows(&self) -> Vec<(String, String, i64, i64)> {
        self.rows(
            "SELECT article, scale, CAST(count AS BIGINT), CAST(sum AS BIGINT) \
             FROM rating_totals ORDER BY article, scale",
        )
        .await
    }

    /// The rows `sql` selects, on a fresh connection to whichever backend this is.
    async fn rows<T>(&self, sql: &'static str) -> Vec<T>
    where
        T: Send
            + Unpin
            + for<'r> sqlx::FromRow<'r, sqlx::postgres::PgRow>
            + for<'r> sqlx::FromRow<'r, sqlx::sqlite::SqliteRow>,
    {
        if self.is_postgres() {
            let mut conn = PgConnection::connect(&self.url).await.unwrap();
            let rows = sqlx::query_as(sql).fetch_all(&mut conn).await.unwrap();
            conn.close().await.unwrap();
            rows
        } else {
            let pool = sqlx::SqlitePool::connect(&self.url).await.unwrap();
            let rows = sqlx::query_as(sql).fetch_all(&pool).await.unwrap();
            pool.close().await;
            rows
        }
    }

    /// `PRAGMA integrity_check` of the SQLite file (`["ok"]` when sound).
    pub async fn sqlite_integrity_check(&self) -> Vec<String> {
        assert!(!self.is_postgres(), "a SQLite check");
        self.rows::<(String,)>("PRAGMA integrity_check")
            .await
            .into_iter()
            .map(|(line,)| line)
            .collect()
    }

    /// Creates the database as a server of the first release left it: only migration 0001
    /// applied (and recorded, so that opening a store applies the rest), then runs `sql` on it.
    pub async fn with_only_the_first_migration(&self, sql: &str) {
        let backend = if self.is_postgres() {
            "postgres"
        } else {
            "sqlite"
        };
        let first = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("src/rating/migrations")
            .join(backend)
            .join("0001_init.sql");
        let only_first = tempfile::tempdir().unwrap();
        std::fs::copy(&first, only_first.path().join("0001_init.sql")).unwrap();
        let migrator = sqlx::migrate::Migrator::new(only_first.path())
            .await
            .unwrap();
        if self.is_postgres() {
            let mut conn = PgConnection::connect(&self.url).await.unwrap();
            migrator.run(&mut conn).await.unwrap();
            conn.execute(sql).await.unwrap();
            conn.close().await.unwrap();
        } else {
            std::fs::create_dir_all(self.dir.path().join("db")).unwrap();
            let options = sqlx::sqlite::SqliteConnectOptions::from_str(&self.url)
                .unwrap()
                .create_if_missing(true);
            let mut conn = sqlx::SqliteConnection::connect_with(&options)
                .await
                .unwrap();
            migrator.run(&mut conn).await.unwrap();
            conn.execute(sql).await.unwrap();
            conn.close().await.unwrap();
        }
    }

    /// Everything the database keeps: the bytes of the SQLite files, or the text of every row
    /// of every PostgreSQL table.
    pub async fn stored_bytes(&self) -> Vec<u8> {
        let mut bytes = Vec::new();
        if self.is_postgres() {
            let mut conn = PgConnection::connect(&self.url).await.unwrap();
            let tables: Vec<String> = sqlx::query_scalar(
                "SELECT table_name::TEXT FROM information_schema.tables \
                 WHERE table_schema = 'public'",
            )
            .fetch_all(&mut conn)
            .await
            .unwrap();
            assert!(tables.iter().any(|t| t == "votes"), "{tables:?}");
            for table in tables {
                let text: String = sqlx::query_scalar(&format!(
                    "SELECT COALESCE(string_agg(t::TEXT, E'\\n'), '') FROM \"{table}\" t"
                ))
                .fetch_one(&mut conn)
                .await
                .unwrap();
                bytes.extend(text.into_bytes());
            }
            conn.close().await.unwrap();
        } else {
            for entry in std::fs::read_dir(self.dir.path().join("db")).unwrap() {
                bytes.extend(std::fs::read(entry.unwrap().path()).unwrap());
            }
        }
        bytes
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let Some((admin, name)) = self.postgres.take() else {
            return;
        };
        // Drop runs inside the test's runtime, which cannot block on a future: use another.
        let dropped = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()?;
            runtime.block_on(async {
                let mut conn = PgConnection::connect(&admin).await?;
                // FORCE: the app's pool may still hold connections.
                conn.execute(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str())
                    .await?;
                conn.close().await
            })?;
            Ok::<_, Box<dyn std::error::Error + Send + Sync>>(())
        })
        .join();
        if let Ok(Err(e)) = dropped {
            eprintln!("could not drop the test database: {e}");
        }
    }
}

/// `postgres://user@host:port/old?params` with the database `name` instead of `old`.
fn with_database(url: &str, name: &str) -> String {
    let (before_query, query) = url.split_once('?').map_or((url, ""), |(b, q)| (b, q));
    let authority_start = before_query.find("://").map_or(0, |i| i + 3);
    let base = match before_query[authority_start..].find('/') {
        Some(slash) => &before_query[..authority_start + slash],
        None => before_query,
    };
    if query.is_empty() {
        format!("{base}/{name}")
    } else {
        format!("{base}/{name}?{query}")
    }
}

pub struct TestApp {
    /// Holds `pkg/` and `www/`.
    pub dir: TempDir,
    pub app: Router,
    pub db: TestDb,
    /// What `app` was built from.
    pub config: Config,
}

/// The config of an app over `database_url`, serving `pkg/` and `www/` of `dir`.
pub fn config(dir: &TempDir, database_url: &str) -> Config {
    Config {
        database_url: database_url.to_owned(),
        assets_dir: dir.path().join("pkg"),
        www_dir: dir.path().join("www"),
        allowed_origins: vec!["https://news.example".to_owned()],
        write_rate_limit: 0,
        trusted_proxies: Vec::new(),
        secret: SECRET.to_vec(),
        timeouts: bangtin_server::Timeouts::default(),
        feedback: bangtin_server::feedback::Options::default(),
        ticker: ticker::test_options(),
    }
}

/// An app on `db`; `adjust` tweaks the config first.
pub async fn app_on(db: TestDb, adjust: impl FnOnce(&mut Config)) -> TestApp {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("pkg")).unwrap();
    std::fs::create_dir_all(dir.path().join("www")).unwrap();
    let mut config = config(&dir, &db.url);
    adjust(&mut config);
    let app = build_app(&config)
        .await
        .unwrap()
        .layer(MockConnectInfo(SocketAddr::from((PEER, 40000))));
    TestApp {
        dir,
        app,
        db,
        config,
    }
}

/// A second app (e.g. after a restart) on the database of `t`.
pub async fn another_app(t: &TestApp, adjust: impl FnOnce(&mut Config)) -> Router {
    let mut config = config(&t.dir, &t.db.url);
    adjust(&mut config);
    build_app(&config)
        .await
        .unwrap()
        .layer(MockConnectInfo(SocketAddr::from((PEER, 40000))))
}

/// An app on a fresh SQLite file, for tests that do not depend on the backend.
pub async fn app() -> TestApp {
    app_on(TestDb::sqlite(), |_| {}).await
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl Reply {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }

    pub fn code(&self) -> String {
        self.json()["error"]["code"]
            .as_str()
            .unwrap_or("")
            .to_owned()
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).map(|v| v.to_str().unwrap())
    }
}

pub async fn send(app: &Router, request: Request<Body>) -> Reply {
    let response = app.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let body = response.into_body().collect().await.unwrap().to_bytes();
    Reply {
        status,
        headers,
        body,
    }
}

pub fn post_json(path: &str, body: impl Into<String>) -> Request<Body> {
    Request::post(path)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body.into()))
        .unwrap()
}

pub fn vote_body(article: &str, scale: &str, value: u8, reader: &str) -> String {
    serde_json::json!({ "article": article, "scale": scale, "value": value, "reader": reader })
        .to_string()
}

pub async fn vote(app: &Router, article: &str, scale: &str, value: u8, reader: &str) -> Reply {
    send(
        app,
        post_json(
            bangtin_api::VOTES_PATH,
            vote_body(article, scale, value, reader),
        ),
    )
    .await
}

pub fn get(path: &str) -> Request<Body> {
    Request::get(path).body(Body::empty()).unwrap()
}

/// Reads ratings exactly as the widget asks for them.
pub async fn ratings(app: &Router, request: &bangtin_api::GetRatings) -> Reply {
    let path = format!("{}?{}", bangtin_api::RATINGS_PATH, request.query());
    send(app, get(&path)).await
}

/// The rating read for `items` (`(article, scale)`), by `reader`.
pub fn get_ratings(
    reader: Option<&str>,
    items: &[(&str, bangtin_api::Scale)],
) -> bangtin_api::GetRatings {
    bangtin_api::GetRatings {
        reader: reader.map(str::to_owned),
        items: items
            .iter()
            .map(|(article, scale)| bangtin_api::RatingKey {
                article: (*article).to_owned(),
                scale: *scale,
            })
            .collect(),
    }
}

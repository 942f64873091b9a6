//! Shared helpers: a real app over a fresh SQLite file in a temp dir, and request shortcuts.
#![allow(clippy::unwrap_used, dead_code)]

use std::net::SocketAddr;
use std::path::PathBuf;

use axum::body::{Body, Bytes};
use axum::extract::connect_info::MockConnectInfo;
use axum::http::{header, HeaderMap, Request, StatusCode};
use axum::Router;
use bangtin_server::{build_app, Config};
use http_body_util::BodyExt;
use tempfile::TempDir;
use tower::ServiceExt;

pub const READER_A: &str = "0123456789abcdef0123456789abcdef";
pub const READER_B: &str = "fedcba9876543210fedcba9876543210";
pub const PEER: [u8; 4] = [192, 0, 2, 77];

pub struct TestApp {
    pub dir: TempDir,
    pub app: Router,
    pub db_path: PathBuf,
}

pub fn config(dir: &TempDir) -> Config {
    let db_path = dir.path().join("db").join("bangtin.db");
    Config {
        database_url: format!("sqlite://{}", db_path.display()),
        assets_dir: dir.path().join("pkg"),
        www_dir: dir.path().join("www"),
        allowed_origins: vec!["https://news.example".to_owned()],
        vote_rate_limit: 0,
        trust_forwarded_for: false,
    }
}

/// An app on a fresh database; `adjust` tweaks the config first.
pub async fn app_with(adjust: impl FnOnce(&mut Config)) -> TestApp {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("pkg")).unwrap();
    std::fs::create_dir_all(dir.path().join("www")).unwrap();
    let mut config = config(&dir);
    adjust(&mut config);
    let db_path = dir.path().join("db").join("bangtin.db");
    let app = build_app(&config)
        .await
        .unwrap()
        .layer(MockConnectInfo(SocketAddr::from((PEER, 40000))));
    TestApp { dir, app, db_path }
}

pub async fn app() -> TestApp {
    app_with(|_| {}).await
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

pub async fn summaries(app: &Router, body: serde_json::Value) -> Reply {
    send(
        app,
        post_json(bangtin_api::RATINGS_SUMMARY_PATH, body.to_string()),
    )
    .await
}

/// Every vote row, sorted, read straight from the database file.
pub async fn vote_rows(db_path: &std::path::Path) -> Vec<(String, String, String, i64)> {
    let url = format!("sqlite://{}", db_path.display());
    let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
    let rows = sqlx::query_as(
        "SELECT article, scale, reader_hash, value FROM votes ORDER BY article, scale, reader_hash",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    pool.close().await;
    rows
}

//! The bangtin server: each widget's API (`/api/v1/...`) over a shared database (SQLite or
//! PostgreSQL), the widget bundle (`/bangtin.js`, `/pkg/*`) and the demo pages (`www/`).
//!
//! [`build_app`] builds the whole app from a [`Config`]; [`serve()`] runs it on a listener until
//! a shutdown future resolves, so tests run it in-process or on port 0. How connections are
//! served (timeouts for slow and idle clients, graceful shutdown with a deadline) is in
//! [`mod@serve`].
//!
//! A widget lives in its own module (`rating/`, …): routes, handlers, its store trait for both
//! backends and its migrations. It registers with one line in [`build_app`]. The checks every
//! write needs (origin, client address, write limit) are applied here, by the router.

pub mod assets;
pub mod boot;
pub mod countdown;
pub mod db;
pub mod error;
pub mod feedback;
pub mod limit;
pub mod origin;
pub mod rating;
pub mod reader;
pub mod serve;
pub mod state;
pub mod ticker;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{DefaultBodyLimit, State};
use axum::http::{header, HeaderName, HeaderValue, Method};
use axum::middleware::from_fn_with_state;
use axum::routing::{any, get};
use axum::{Json, Router};
use bangtin_api::MAX_BODY_BYTES;
use serde_json::{json, Value};
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

use crate::db::{Db, StoreError};
use crate::error::AppError;
use crate::limit::{TrustedProxies, WriteGuard, WriteLimiter};
use crate::origin::AllowedOrigins;
use crate::reader::{ReaderHasher, SecretError};
pub use crate::serve::{serve, serve_with, Timeouts};
use crate::state::Shared;

/// How the server runs.
#[derive(Clone, Debug)]
pub struct Config {
    /// `sqlite://path/to/file.db` or `postgres://user@host:port/database` (`postgresql://` too).
    pub database_url: String,
    /// The built widget bundle: `bangtin.js` and the content-hashed files served under `/pkg`.
    pub assets_dir: PathBuf,
    /// Demo pages and everything else served at the root.
    pub www_dir: PathBuf,
    /// Origins (`https://news.example`) allowed to write and to read the API cross-origin,
    /// besides the server's own.
    pub allowed_origins: Vec<String>,
    /// Writes per client (IPv4 address or IPv6 /64) per minute; 0 turns the limit off.
    pub write_rate_limit: u32,
    /// Proxies whose `X-Forwarded-For` is believed (addresses or CIDR networks).
    pub trusted_proxies: Vec<String>,
    /// The secret reader ids are hashed with (at least 32 bytes; see [`reader`]).
    pub secret: Vec<u8>,
    /// How long clients may take; the router applies the body timeout, [`serve_with`] the rest.
    pub timeouts: Timeouts,
    /// Reader feedback: auto-publish, the webhook, the public URL, the per-reader limit.
    pub feedback: feedback::Options,
    /// The ticker's feeds and how they are fetched.
    pub ticker: ticker::Options,
}

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(
        "unsupported database url {0:?}: expected sqlite://path/to/file.db or postgres://user@host/database"
    )]
    UnsupportedDatabase(String),
    #[error("cannot open the database: {0}")]
    Store(#[from] StoreError),
    #[error("{0}")]
    Secret(#[from] SecretError),
    #[error("--trusted-proxy {0:?} is not an address or a network like 10.0.0.0/8")]
    TrustedProxy(String),
    #[error("{0}")]
    Feedback(#[from] feedback::FeedbackStartError),
    #[error("{0}")]
    Ticker(#[from] ticker::TickerStartError),
}

/// Opens and migrates the database (the backend named by the URL scheme), then builds the router.
pub async fn build_app(config: &Config) -> Result<Router, StartError> {
    let readers = ReaderHasher::new(&config.secret)?;
    let proxies =
        TrustedProxies::parse(&config.trusted_proxies).map_err(StartError::TrustedProxy)?;
    let db = match Db::open(&config.database_url).await {
        Ok(db) => db,
        Err(StoreError::UnsupportedUrl(url)) => return Err(StartError::UnsupportedDatabase(url)),
        Err(err) => return Err(err.into()),
    };
    let shared = Shared {
        db: db.clone(),
        readers,
        proxies: Arc::new(proxies),
    };
    // The feedback also brings the moderation desk, served same-origin only (below); the
    // ticker adds its breaking items to the desk, under the desk's sessions.
    let (feedback, desk, sessions) = feedback::mount(&shared, &config.feedback).await?;
    let (ticker, breaking) =
        ticker::mount(&shared, &config.ticker, &config.www_dir, sessions).await?;
    let desk = desk.merge(breaking);
    // The widgets: one line each.
    let widgets = [
        rating::mount(&shared).await?,
        feedback,
        ticker,
        countdown::mount(),
    ];

    let mut firsts = Vec::new();
    let mut routes = Router::new();
    for widget in widgets {
        routes = routes.merge(widget.router);
        firsts.push(widget.first);
    }
    let routes = routes.merge(boot::router(firsts, shared.readers.clone()));

    let origins = Arc::new(AllowedOrigins::new(&config.allowed_origins));
    let guard = WriteGuard {
        origins: Arc::clone(&origins),
        proxies: Arc::clone(&shared.proxies),
        limiter: Arc::new(WriteLimiter::new(config.write_rate_limit)),
    };
    let api = routes
        .route("/api", any(error::api_not_found))
        .route("/api/", any(error::api_not_found))
        .route("/api/{*rest}", any(error::api_not_found))
        .route("/healthz", get(health_check).with_state(db))
        .method_not_allowed_fallback(error::method_not_allowed)
        .layer(from_fn_with_state(guard, limit::guard_writes))
        .layer(from_fn_with_state(
            config.timeouts.body_read,
            serve::body_deadline,
        ))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(cors(origins));
    // The moderation desk: no CORS and not under the readers' write limit (it checks its own
    // session, CSRF token and origin), but under the same body limit and timeout.
    let desk = desk
        .layer(from_fn_with_state(
            config.timeouts.body_read,
            serve::body_deadline,
        ))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES));
    let app = api
        .merge(desk)
        .merge(assets::admin_router(&config.www_dir))
        .merge(assets::bundle_router(&config.assets_dir));
    Ok(assets::with_www_fallback(app, &config.www_dir)
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(TraceLayer::new_for_http()))
}

fn cors(origins: Arc<AllowedOrigins>) -> CorsLayer {
    CorsLayer::new()
        .allow_origin(AllowOrigin::predicate(move |origin, parts| {
            origins.allows(origin, &parts.headers)
        }))
        .allow_methods([Method::GET, Method::POST, Method::OPTIONS])
        // `If-None-Match`: the ticker revalidates its news.
        .allow_headers([header::CONTENT_TYPE, header::IF_NONE_MATCH])
        .expose_headers([HeaderName::from_static("retry-after"), header::ETAG])
        .max_age(Duration::from_secs(60 * 60))
}

/// `GET /healthz`: `{"status":"ok"}` once the database answers.
async fn health_check(State(db): State<Db>) -> Result<Json<Value>, AppError> {
    db.ping().await?;
    Ok(Json(json!({ "status": "ok" })))
}

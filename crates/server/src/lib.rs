//! The bangtin server: the rating API (`/api/v1/...`) over a [`store::Store`] (SQLite or PostgreSQL), the widget bundle
//! (`/bangtin.js`, `/pkg/*`) and the demo pages (`www/`).
//!
//! [`build_app`] builds the whole app from a [`Config`]; [`serve`] runs it on a listener until a
//! shutdown future resolves, so tests run it in-process or on port 0.

pub mod assets;
pub mod error;
pub mod origin;
pub mod ratelimit;
pub mod ratings;
pub mod store;

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::DefaultBodyLimit;
use axum::http::{header, HeaderName, Method};
use axum::routing::{any, get, post};
use axum::Router;
use bangtin_api::{MAX_BODY_BYTES, RATINGS_SUMMARY_PATH, VOTES_PATH};
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::trace::TraceLayer;

use crate::origin::AllowedOrigins;
use crate::ratelimit::RateLimiter;
use crate::ratings::ReaderHasher;
use crate::store::{Store, StoreError};

/// How the server runs.
#[derive(Clone, Debug)]
pub struct Config {
    /// `sqlite://path/to/file.db` or `postgres://user@host:port/database` (`postgresql://` too).
    pub database_url: String,
    /// The built widget bundle: `bangtin.js` and the content-hashed files served under `/pkg`.
    pub assets_dir: PathBuf,
    /// Demo pages and everything else served at the root.
    pub www_dir: PathBuf,
    /// Origins (`https://news.example`) allowed to vote and to load the bundle cross-origin,
    /// besides the server's own.
    pub allowed_origins: Vec<String>,
    /// Votes per client IP per minute; 0 turns the limit off.
    pub vote_rate_limit: u32,
    /// Take the client IP from the first `X-Forwarded-For` address (only behind a proxy).
    pub trust_forwarded_for: bool,
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
}

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    pub store: Arc<dyn Store>,
    pub hasher: ReaderHasher,
    pub limiter: Arc<RateLimiter>,
    pub origins: Arc<AllowedOrigins>,
    pub trust_forwarded_for: bool,
}

/// Opens and migrates the database (the backend named by the URL scheme), then builds the router.
pub async fn build_app(config: &Config) -> Result<Router, StartError> {
    let store = match store::open(&config.database_url).await {
        Ok(store) => store,
        Err(StoreError::UnsupportedUrl(url)) => return Err(StartError::UnsupportedDatabase(url)),
        Err(err) => return Err(err.into()),
    };
    let hasher = ReaderHasher::new(store.secret().await?);
    let state = AppState {
        store,
        hasher,
        limiter: Arc::new(RateLimiter::new(config.vote_rate_limit)),
        origins: Arc::new(AllowedOrigins::new(&config.allowed_origins)),
        trust_forwarded_for: config.trust_forwarded_for,
    };
    Ok(router(state, config))
}

fn cors(origins: Arc<AllowedOrigins>) -> CorsLayer {
    CorsLayer::new()
        .allow_origin(AllowOrigin::predicate(move |origin, parts| {
            origins.allows(origin, &parts.headers)
        }))
        .allow_methods([Method::GET, Method::POST, Method::OPTIONS])
        .allow_headers([header::CONTENT_TYPE])
        .expose_headers([HeaderName::from_static("retry-after")])
        .max_age(Duration::from_secs(60 * 60))
}

fn router(state: AppState, config: &Config) -> Router {
    let cors = cors(state.origins.clone());
    let api = Router::new()
        .route(RATINGS_SUMMARY_PATH, post(ratings::ratings_summary))
        .route(VOTES_PATH, post(ratings::votes_cast))
        .route("/api", any(error::api_not_found))
        .route("/api/", any(error::api_not_found))
        .route("/api/{*rest}", any(error::api_not_found))
        .route("/healthz", get(ratings::health_check))
        .method_not_allowed_fallback(error::method_not_allowed)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .with_state(state);
    let app = api
        .merge(assets::bundle_router(&config.assets_dir))
        .layer(cors);
    assets::with_www_fallback(app, &config.www_dir).layer(TraceLayer::new_for_http())
}

/// Serves `app` on `listener` until `shutdown` resolves, then finishes in-flight requests.
pub async fn serve(
    listener: tokio::net::TcpListener,
    app: Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
}

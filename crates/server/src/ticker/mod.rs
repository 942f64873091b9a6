//! The ticker's server side ("Tin mới cập nhật"), issue 9: the latest headlines of the site's
//! own feeds, ingested in the background ([`ingest`]), served by `GET /api/v1/news` (with an
//! `ETag`) and in the boot request, with the newsroom's pinned breaking items first; moderators
//! post and manage those at the desk ([`admin`], `/api/v1/admin/breaking`). How each fetch went
//! is at `GET /api/v1/news/status`.
//!
//! Feeds are configured by the site owner ([`feeds`]); with none configured, the demo feeds of
//! `www/feeds/` are read from disk, so the demo works offline.

pub mod admin;
pub mod feeds;
pub mod ingest;
mod postgres;
mod sqlite;
pub mod store;
pub mod text;

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use async_trait::async_trait;
use axum::extract::{FromRef, RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use bangtin_api::ticker::{
    first_key, valid_feed_name, News, NewsItem, TickerFirst, FEED_NAME_MAX, LIMIT_DEFAULT,
    LIMIT_MAX, NEWS_PATH,
};
use bangtin_api::{BootWidget, ErrorDetail};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use crate::boot::{FirstData, Page};
use crate::db::{Db, StoreError};
use crate::error::AppError;
use crate::feedback::admin::DeskState;
use crate::state::{Mounted, Shared};
pub use feeds::{FeedSpec, Options, Source};
use store::TickerStore;

/// `GET` → how each feed's last fetch went.
pub const STATUS_PATH: &str = "/api/v1/news/status";

/// How long browsers and CDNs may reuse a news answer: short, because a breaking item must
/// reach readers within a refresh; the widget revalidates with `If-None-Match` (a `304` costs
/// no body) and a CDN in front takes the load of many readers.
const CACHE_CONTROL: &str = "public, max-age=30";

/// The configured feeds, the main one first.
#[derive(Clone, Debug)]
pub struct FeedNames(Arc<Vec<String>>);

impl FeedNames {
    /// The feed a request means: `None` or empty is the main feed.
    fn resolve(&self, asked: Option<&str>) -> Result<String, (&'static str, AppError)> {
        let asked = asked.unwrap_or_default();
        if asked.is_empty() {
            return self.0.first().cloned().ok_or_else(|| {
                (
                    "not_found",
                    AppError::Missing("no feed is configured on this server".to_owned()),
                )
            });
        }
        if !valid_feed_name(asked) {
            return Err((
                "invalid_feed",
                AppError::invalid(
                    "invalid_feed",
                    format!("feed must be 1 to {FEED_NAME_MAX} of a-z, 0-9 and -"),
                ),
            ));
        }
        if self.0.iter().any(|name| name == asked) {
            Ok(asked.to_owned())
        } else {
            Err((
                "not_found",
                AppError::Missing(format!(
                    "no feed {asked:?}; the feeds are: {}",
                    self.0.join(", ")
                )),
            ))
        }
    }

    /// Whether `name` is a configured feed.
    pub fn contains(&self, name: &str) -> bool {
        self.0.iter().any(|n| n == name)
    }
}

/// `limit` as asked: `None` is the default, otherwise 1 to [`LIMIT_MAX`].
fn resolve_limit(asked: Option<&str>) -> Result<u32, AppError> {
    match asked {
        None => Ok(LIMIT_DEFAULT),
        Some(text) => text
            .parse::<u32>()
            .ok()
            .filter(|n| (1..=LIMIT_MAX).contains(n))
            .ok_or_else(|| {
                AppError::invalid("invalid_limit", format!("limit must be 1 to {LIMIT_MAX}"))
            }),
    }
}

/// What the news handlers need.
#[derive(Clone, FromRef)]
pub struct TickerState {
    pub store: Arc<dyn TickerStore>,
    pub feeds: FeedNames,
    /// The fetching tasks end when the last app holding this is dropped.
    alive: Arc<()>,
}

/// Why the ticker cannot start.
#[derive(Debug, thiserror::Error)]
pub enum TickerStartError {
    #[error("{0}")]
    Client(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Creates or updates the ticker tables.
pub async fn migrate(db: &Db) -> Result<(), StoreError> {
    db.migrate(
        sqlx::migrate!("src/ticker/migrations/sqlite"),
        sqlx::migrate!("src/ticker/migrations/postgres"),
    )
    .await
}

/// The ticker store of `db` (migrated), for tests.
pub fn open_store(db: &Db) -> Arc<dyn TickerStore> {
    store::open(db)
}

/// The feeds the server shows: the configured ones, else the demo feeds of `www/feeds/`.
pub fn feeds_of(options: &Options, www_dir: &Path) -> Vec<FeedSpec> {
    if options.feeds.is_empty() {
        feeds::demo_feeds(&www_dir.join("feeds"))
    } else {
        options.feeds.clone()
    }
}

/// Migrates the ticker's tables, starts a fetching task per feed, and returns the ticker's
/// routes with its boot answer, and its routes of the moderation desk (breaking items).
pub async fn mount(
    shared: &Shared,
    options: &Options,
    www_dir: &Path,
    desk: DeskState,
) -> Result<(Mounted, Router), TickerStartError> {
    migrate(&shared.db).await?;
    let store = store::open(&shared.db);
    let feeds = feeds_of(options, www_dir);
    if options.feeds.is_empty() && !feeds.is_empty() {
        tracing::info!(
            feeds = %feeds.iter().map(|f| f.name.as_str()).collect::<Vec<_>>().join(", "),
            "no --feed given: the ticker shows the demo feeds of www/feeds"
        );
    }
    let names = FeedNames(Arc::new(feeds.iter().map(|f| f.name.clone()).collect()));
    let alive = Arc::new(());
    if options.background && !feeds.is_empty() {
        let ingester =
            ingest::Ingester::new(Arc::clone(&store), options).map_err(TickerStartError::Client)?;
        ingest::spawn(
            Arc::new(ingester),
            &feeds,
            options.interval,
            Arc::downgrade(&alive),
        );
    }
    let state = TickerState {
        store: Arc::clone(&store),
        feeds: names.clone(),
        alive,
    };
    let router = Router::new()
        .route(NEWS_PATH, get(news_read))
        .route(STATUS_PATH, get(news_status))
        .with_state(state.clone());
    let desk = admin::router(admin::BreakingState {
        store,
        feeds: names,
        desk,
    });
    Ok((
        Mounted {
            router,
            first: Arc::new(First(state)),
        },
        desk,
    ))
}

/// Milliseconds since the Unix epoch.
pub(crate) fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

fn millis(ms: i64) -> u64 {
    u64::try_from(ms).unwrap_or(0)
}

/// The news of `feed`: live pinned breaking items first (newest pin first), then the feed's
/// items newest first; `limit` in all.
async fn news_of(store: &dyn TickerStore, feed: &str, limit: u32) -> Result<News, StoreError> {
    let limit = i64::from(limit);
    let breaking = store.live_breaking(feed, now_ms(), limit).await?;
    let rest = limit - i64::try_from(breaking.len()).unwrap_or(limit);
    let items = if rest > 0 {
        store.newest(feed, rest).await?
    } else {
        Vec::new()
    };
    let mut all: Vec<NewsItem> = breaking
        .into_iter()
        .map(|b| NewsItem {
            id: format!("b{}", b.id),
            title: b.title,
            url: b.url,
            published_at: Some(millis(b.pinned_at)),
            section: None,
            breaking: true,
        })
        .collect();
    all.extend(items.into_iter().map(|item| NewsItem {
        id: item.id,
        title: item.title,
        url: item.url,
        published_at: item.published_ms.map(millis),
        section: item.section,
        breaking: false,
    }));
    Ok(News {
        feed: feed.to_owned(),
        items: all,
    })
}

/// The query of a news read: `feed` and `limit`, each at most once, nothing else.
fn news_query(query: Option<&str>) -> Result<(Option<String>, Option<String>), AppError> {
    let (mut feed, mut limit) = (None, None);
    for (name, value) in form_urlencoded::parse(query.unwrap_or_default().as_bytes()) {
        let slot = match name.as_ref() {
            "feed" => &mut feed,
            "limit" => &mut limit,
            other => {
                return Err(AppError::InvalidField(format!(
                    "unknown query parameter `{other}`, expected `feed` and `limit`"
                )))
            }
        };
        if slot.replace(value.into_owned()).is_some() {
            return Err(AppError::InvalidField(format!("{name} must be given once")));
        }
    }
    Ok((feed, limit))
}

/// `GET /api/v1/news?feed=NAME&limit=N`: [`News`], with a strong `ETag` over the body;
/// `If-None-Match` with it answers `304`.
pub async fn news_read(
    State(state): State<TickerState>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Result<Response, AppError> {
    let (feed, limit) = news_query(query.as_deref())?;
    let limit = resolve_limit(limit.as_deref())?;
    let feed = state
        .feeds
        .resolve(feed.as_deref())
        .map_err(|(_, err)| err)?;
    let news = news_of(state.store.as_ref(), &feed, limit).await?;
    let body = serde_json::to_vec(&news)
        .map_err(|e| AppError::Storage(StoreError::Corrupt(e.to_string())))?;
    let etag = format!("\"{}\"", &hex::encode(Sha256::digest(&body))[..32]);
    let matches = headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|tag| tag.trim().trim_start_matches("W/"))
        .any(|tag| tag == etag || tag == "*");
    let mut response = if matches {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        (
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            )],
            body,
        )
            .into_response()
    };
    let headers = response.headers_mut();
    headers.insert(
        header::ETAG,
        HeaderValue::from_str(&etag).map_err(|e| AppError::BadRequest(e.to_string()))?,
    );
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(CACHE_CONTROL),
    );
    Ok(response)
}

/// `GET /api/v1/news/status`: `{"feeds": [{name, main, fetched_at, outcome, error, last_ok_at,
/// items}]}` for every configured feed, the main one first (`outcome` is `ok`, `not_modified`,
/// `error`, or null before the first fetch).
pub async fn news_status(State(state): State<TickerState>) -> Result<Response, AppError> {
    let known: HashMap<String, store::FeedStatus> = state
        .store
        .statuses()
        .await?
        .into_iter()
        .map(|s| (s.name.clone(), s))
        .collect();
    let feeds: Vec<Value> = state
        .feeds
        .0
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let status = known.get(name);
            json!({
                "name": name,
                "main": i == 0,
                "fetched_at": status.and_then(|s| s.fetched_at),
                "outcome": status.and_then(|s| s.outcome.clone()),
                "error": status.and_then(|s| s.error.clone()),
                "last_ok_at": status.and_then(|s| s.last_ok_at),
                "items": status.map_or(0, |s| s.items),
            })
        })
        .collect();
    let mut response = Json(json!({ "feeds": feeds })).into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

/// The ticker's first data in a boot request: each widget's news under
/// `first_key(feed as given, limit)`, or the error that concerns it alone.
struct First(TickerState);

#[async_trait]
impl FirstData for First {
    fn kind(&self) -> &'static str {
        "ticker"
    }

    async fn first(
        &self,
        _page: &Page<'_>,
        widgets: &[&BootWidget],
    ) -> Result<Vec<Value>, AppError> {
        let mut answers = Vec::with_capacity(widgets.len());
        let mut done: HashMap<(String, u32), News> = HashMap::new();
        for widget in widgets {
            let asked_feed = widget.param("feed").unwrap_or_default();
            let asked_limit = widget.param("limit");
            let key_limit = asked_limit
                .and_then(|l| l.parse::<u32>().ok())
                .unwrap_or(LIMIT_DEFAULT);
            let key = first_key(asked_feed, key_limit);
            let resolved = resolve_limit(asked_limit)
                .map_err(|err| ("invalid_limit", err))
                .and_then(|limit| {
                    self.0
                        .feeds
                        .resolve(Some(asked_feed))
                        .map(|feed| (feed, limit))
                });
            let first = match resolved {
                Ok((feed, limit)) => {
                    let news = match done.get(&(feed.clone(), limit)) {
                        Some(news) => news.clone(),
                        None => {
                            let news = news_of(self.0.store.as_ref(), &feed, limit).await?;
                            done.insert((feed, limit), news.clone());
                            news
                        }
                    };
                    TickerFirst {
                        key,
                        news: Some(news),
                        error: None,
                    }
                }
                Err((code, err)) => TickerFirst {
                    key,
                    news: None,
                    error: Some(ErrorDetail {
                        code: code.to_owned(),
                        message: err.to_string(),
                    }),
                },
            };
            answers.push(
                serde_json::to_value(first)
                    .map_err(|e| AppError::Storage(StoreError::Corrupt(e.to_string())))?,
            );
        }
        Ok(answers)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &[&str]) -> FeedNames {
        FeedNames(Arc::new(list.iter().map(|s| (*s).to_owned()).collect()))
    }

    #[test]
    fn an_empty_feed_means_the_main_one_and_strangers_are_refused_by_name() {
        let feeds = names(&["tin-moi", "the-thao"]);
        assert_eq!(feeds.resolve(None).ok(), Some("tin-moi".to_owned()));
        assert_eq!(feeds.resolve(Some("")).ok(), Some("tin-moi".to_owned()));
        assert_eq!(
            feeds.resolve(Some("the-thao")).ok(),
            Some("the-thao".to_owned())
        );
        assert_eq!(
            feeds.resolve(Some("kinh-te")).err().map(|e| e.0),
            Some("not_found")
        );
        assert_eq!(
            feeds.resolve(Some("Thể thao")).err().map(|e| e.0),
            Some("invalid_feed")
        );
        assert!(names(&[]).resolve(None).is_err());
    }

    #[test]
    fn limits_are_one_to_fifty() {
        assert_eq!(resolve_limit(None).ok(), Some(LIMIT_DEFAULT));
        assert_eq!(resolve_limit(Some("50")).ok(), Some(50));
        for bad in ["0", "51", "-1", "x", "", "1e3"] {
            assert!(resolve_limit(Some(bad)).is_err(), "{bad}");
        }
    }
}

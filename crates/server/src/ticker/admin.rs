//! Breaking news ("Tin nóng") at the moderation desk: moderators post, edit, pin, unpin and
//! expire manual items; pinned ones that have not expired lead the ticker (`breaking: true`,
//! id `b<n>`). Same rules as the rest of the desk, through the feedback desk's own extractor
//! ([`Signed`]): a live session for every request; for writes also the CSRF token and the
//! server's own origin. Every change writes a line of the moderation audit log in its
//! transaction.
//!
//! | route | request | answer |
//! |---|---|---|
//! | `GET /api/v1/admin/breaking` | `limit=1..200` (50) | `{"items":[item…], "feeds":[names]}`, newest first |
//! | `POST /api/v1/admin/breaking` | `{"title","url","feed"?,"expires_at","pinned"?}` | `201` item |
//! | `PATCH /api/v1/admin/breaking/{id}` | any of `title`, `url`, `feed`, `pinned`, `expires_at` | item |
//! | `DELETE /api/v1/admin/breaking/{id}` | | the item, expired now |
//!
//! An item: `{"id","news_id":"b<id>","title","url","feed" (null: every feed),"pinned",
//! "pinned_at","expires_at","created_at","updated_at","live"}`.

use std::sync::Arc;

use axum::extract::{FromRef, Path, RawQuery, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, patch};
use axum::{Json, Router};
use serde::{Deserialize, Deserializer};
use serde_json::{json, Value};
use tower_http::set_header::SetResponseHeaderLayer;

use super::store::{Breaking, BreakingChange, NewBreaking, TickerStore};
use super::{now_ms, text, FeedNames};
use crate::db::StoreError;
use crate::error::{ApiJson, AppError};
use crate::feedback::admin::{DeskState, Signed};

/// `GET` → the breaking items; `POST` → a new one.
pub const BREAKING_PATH: &str = "/api/v1/admin/breaking";
/// Longest title, in characters.
pub const TITLE_MAX: usize = 200;
/// How far ahead an expiry may be.
pub const EXPIRY_MAX_MS: i64 = 30 * 24 * 60 * 60 * 1000;

/// What the breaking routes need: the ticker's store and feeds, and the desk (sessions, CSRF).
#[derive(Clone, FromRef)]
pub struct BreakingState {
    pub store: Arc<dyn TickerStore>,
    pub feeds: FeedNames,
    pub desk: DeskState,
}

/// The breaking routes of the desk. The caller adds the body limit and timeout.
pub fn router(state: BreakingState) -> Router {
    Router::new()
        .route(
            BREAKING_PATH,
            get(admin_breaking_list).post(admin_breaking_create),
        )
        .route(
            &format!("{BREAKING_PATH}/{{id}}"),
            patch(admin_breaking_update).delete(admin_breaking_expire),
        )
        .method_not_allowed_fallback(crate::error::method_not_allowed)
        .with_state(state)
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
}

fn item_json(item: &Breaking, now: i64) -> Value {
    json!({
        "id": item.id,
        "news_id": format!("b{}", item.id),
        "title": item.title,
        "url": item.url,
        "feed": item.feed,
        "pinned": item.pinned,
        "pinned_at": item.pinned_at,
        "expires_at": item.expires_at,
        "created_at": item.created_at,
        "updated_at": item.updated_at,
        "live": item.pinned && item.expires_at > now,
    })
}

fn check_title(raw: &str) -> Result<String, AppError> {
    let title = text::tidy(raw, usize::MAX);
    let chars = title.chars().count();
    if chars == 0 || chars > TITLE_MAX {
        return Err(AppError::invalid(
            "invalid_title",
            format!("title must be 1 to {TITLE_MAX} characters of plain text"),
        ));
    }
    Ok(title)
}

fn check_url(raw: &str) -> Result<String, AppError> {
    text::safe_link(raw, None).ok_or_else(|| {
        AppError::invalid(
            "invalid_url",
            "url must be an absolute http:// or https:// link".to_owned(),
        )
    })
}

/// `None` or `""`: every feed; otherwise a configured feed.
fn check_feed(feeds: &FeedNames, feed: Option<&str>) -> Result<Option<String>, AppError> {
    match feed.map(str::trim) {
        None | Some("") => Ok(None),
        Some(name) if feeds.contains(name) => Ok(Some(name.to_owned())),
        Some(_) => Err(AppError::invalid(
            "invalid_feed",
            "feed must be a configured feed's name, or empty for every feed".to_owned(),
        )),
    }
}

fn check_expiry(expires_at: i64, now: i64) -> Result<i64, AppError> {
    if expires_at > now && expires_at <= now.saturating_add(EXPIRY_MAX_MS) {
        Ok(expires_at)
    } else {
        Err(AppError::invalid(
            "invalid_expires_at",
            "expires_at must be a time in the next 30 days (milliseconds since the epoch)"
                .to_owned(),
        ))
    }
}

fn check_id(raw: &str) -> Result<i64, AppError> {
    raw.strip_prefix('b')
        .unwrap_or(raw)
        .parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .ok_or_else(|| {
            AppError::invalid(
                "invalid_id",
                "a breaking item's id is a positive number (or b<number>)".to_owned(),
            )
        })
}

async fn spawn_write<T: Send + 'static>(
    write: impl std::future::Future<Output = Result<T, StoreError>> + Send + 'static,
) -> Result<T, AppError> {
    // A client that hangs up must not cut a transaction in half (see `crate::rating`).
    tokio::spawn(write)
        .await
        .map_err(|err| AppError::Storage(StoreError::Task(err.to_string())))?
        .map_err(AppError::from)
}

/// `GET /api/v1/admin/breaking?limit=1..200`.
pub async fn admin_breaking_list(
    State(state): State<BreakingState>,
    _signed: Signed,
    RawQuery(query): RawQuery,
) -> Result<Json<Value>, AppError> {
    let mut limit = 50;
    for (name, value) in form_urlencoded::parse(query.unwrap_or_default().as_bytes()) {
        if name != "limit" {
            return Err(AppError::InvalidField(format!(
                "unknown query parameter `{name}`, expected limit"
            )));
        }
        limit = value
            .parse::<i64>()
            .ok()
            .filter(|n| (1..=200).contains(n))
            .ok_or_else(|| AppError::invalid("invalid_limit", "limit must be 1 to 200".into()))?;
    }
    let now = now_ms();
    let items = state.store.breaking_list(limit).await?;
    Ok(Json(json!({
        "items": items.iter().map(|i| item_json(i, now)).collect::<Vec<_>>(),
        "feeds": state.feeds.0.as_slice(),
    })))
}

/// A new breaking item, as the desk sends it.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PostBreaking {
    title: String,
    url: String,
    #[serde(default)]
    feed: Option<String>,
    expires_at: i64,
    #[serde(default = "yes")]
    pinned: bool,
}

fn yes() -> bool {
    true
}

/// `POST /api/v1/admin/breaking` → `201` and the item.
pub async fn admin_breaking_create(
    State(state): State<BreakingState>,
    signed: Signed,
    ApiJson(post): ApiJson<PostBreaking>,
) -> Result<Response, AppError> {
    let now = now_ms();
    let new = NewBreaking {
        title: check_title(&post.title)?,
        url: check_url(&post.url)?,
        feed: check_feed(&state.feeds, post.feed.as_deref())?,
        pinned: post.pinned,
        expires_ms: check_expiry(post.expires_at, now)?,
    };
    let store = Arc::clone(&state.store);
    let moderator = signed.moderator.id;
    let item =
        spawn_write(async move { store.breaking_create(moderator, &new, now).await }).await?;
    tracing::info!(moderator, item = item.id, "breaking item posted");
    Ok((StatusCode::CREATED, Json(item_json(&item, now))).into_response())
}

/// A change to a breaking item: the fields given change.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PatchBreaking {
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    url: Option<String>,
    /// Absent: unchanged; `null` or `""`: every feed.
    #[serde(default, deserialize_with = "present")]
    feed: Option<Option<String>>,
    #[serde(default)]
    pinned: Option<bool>,
    #[serde(default)]
    expires_at: Option<i64>,
}

/// A field that is present (perhaps `null`) is `Some`.
fn present<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Option<String>>, D::Error> {
    Option::<String>::deserialize(d).map(Some)
}

/// `PATCH /api/v1/admin/breaking/{id}` → the item.
pub async fn admin_breaking_update(
    State(state): State<BreakingState>,
    signed: Signed,
    Path(id): Path<String>,
    ApiJson(patch): ApiJson<PatchBreaking>,
) -> Result<Json<Value>, AppError> {
    let id = check_id(&id)?;
    let now = now_ms();
    let change = BreakingChange {
        title: patch.title.as_deref().map(check_title).transpose()?,
        url: patch.url.as_deref().map(check_url).transpose()?,
        feed: patch
            .feed
            .map(|feed| check_feed(&state.feeds, feed.as_deref()))
            .transpose()?,
        pinned: patch.pinned,
        expires_ms: patch
            .expires_at
            .map(|at| check_expiry(at, now))
            .transpose()?,
    };
    let only_pin = change.title.is_none()
        && change.url.is_none()
        && change.feed.is_none()
        && change.expires_ms.is_none();
    let action = match (only_pin, change.pinned) {
        (_, None) if only_pin => {
            return Err(AppError::InvalidField(
                "give at least one of title, url, feed, pinned, expires_at".to_owned(),
            ))
        }
        (true, Some(true)) => "breaking_pin",
        (true, Some(false)) => "breaking_unpin",
        _ => "breaking_edit",
    };
    update(&state, signed, id, change, action, now).await
}

/// `DELETE /api/v1/admin/breaking/{id}` → the item, expired now (it stays in the list and the
/// audit log).
pub async fn admin_breaking_expire(
    State(state): State<BreakingState>,
    signed: Signed,
    Path(id): Path<String>,
) -> Result<Json<Value>, AppError> {
    let id = check_id(&id)?;
    let now = now_ms();
    let change = BreakingChange {
        expires_ms: Some(now),
        ..BreakingChange::default()
    };
    update(&state, signed, id, change, "breaking_expire", now).await
}

async fn update(
    state: &BreakingState,
    signed: Signed,
    id: i64,
    change: BreakingChange,
    action: &'static str,
    now: i64,
) -> Result<Json<Value>, AppError> {
    let store = Arc::clone(&state.store);
    let moderator = signed.moderator.id;
    let item = spawn_write(async move {
        store
            .breaking_update(moderator, id, &change, action, now)
            .await
    })
    .await?
    .ok_or_else(|| AppError::Missing(format!("no breaking item {id}")))?;
    tracing::info!(moderator, item = item.id, action, "breaking item changed");
    Ok(Json(item_json(&item, now)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_are_one_clean_line_of_at_most_200_characters() {
        assert_eq!(
            check_title("  Vie\u{0302}\u{0323}t Nam\n<b>vô địch</b>  ").ok(),
            Some("Việt Nam <b>vô địch</b>".to_owned())
        );
        assert!(check_title(" \u{7} ").is_err());
        assert!(check_title(&"ạ".repeat(201)).is_err());
        assert!(check_title(&"ạ".repeat(200)).is_ok());
    }

    #[test]
    fn ids_are_numbers_with_or_without_their_b() {
        assert_eq!(check_id("7").ok(), Some(7));
        assert_eq!(check_id("b7").ok(), Some(7));
        for bad in ["0", "-1", "x", "", "b", "1.5"] {
            assert!(check_id(bad).is_err(), "{bad}");
        }
    }
}

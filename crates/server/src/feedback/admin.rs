//! The moderation desk's API (`/api/v1/admin/*`), for the `/admin` page of the server's own
//! origin. No CORS headers, not under the readers' write limit (a newsroom behind one address
//! would lock itself out), but under the body limit and body timeout, and `Cache-Control:
//! no-store` on every answer.
//!
//! - **Login** (`POST /api/v1/admin/login {token}`) uses up a moderator's one-time token and
//!   opens a session: a random id in the `bangtin_session` cookie (`HttpOnly; SameSite=Strict;
//!   Path=/`, `Secure` over https), of which the database keeps only the SHA-256. Sessions end
//!   after 12 h unused or 7 days in all, at logout, or when the moderator is revoked. Login
//!   attempts that fail are limited per client address (GCRA, 5 a minute, burst 5: then `429` +
//!   `Retry-After` even for a good token); a good login does not count.
//! - **Every request** needs a live session (`401 unauthorized`). **Every write** also needs the
//!   session's CSRF token in `X-Bangtin-CSRF` and, when the browser sends an `Origin`, the
//!   server's own origin (`403 csrf_failed`). The CSRF token is `HMAC(secret, session id)`:
//!   bound to the session and stored nowhere. The [`Signed`] extractor applies all of this, so a
//!   handler cannot forget it.
//! - Tokens travel only in bodies and the cookie; neither is ever logged.

use std::collections::HashSet;
use std::net::SocketAddr;
use std::sync::Arc;

use axum::extract::connect_info::{ConnectInfo, MockConnectInfo};
use axum::extract::{FromRef, FromRequestParts, Path, RawQuery, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use bangtin_api::feedback::MESSAGE_MAX;
use bangtin_api::valid_reader_id;
use serde::Deserialize;
use serde_json::{json, Value};
use tower_http::set_header::SetResponseHeaderLayer;

use super::export::{self, Format};
use super::store::{
    Action, AuditEntry, DeskQuery, Feedback, FeedbackStore, Moderator, Refused, Reply,
    SessionRules, State as ItemState,
};
use super::text;
use super::token::{csrf_token, now_db, random_secret, same, secret_hash};
use crate::error::{ApiJson, AppError};
use crate::limit::{FailureLimiter, TrustedProxies};
use crate::reader::ReaderHasher;

/// `POST {token}` → `{moderator, csrf}` and the session cookie.
pub const LOGIN_PATH: &str = "/api/v1/admin/login";
/// `GET` → `{moderator, csrf}` of the current session, or 401.
pub const SESSION_PATH: &str = "/api/v1/admin/session";
/// `POST` → 204: ends the session.
pub const LOGOUT_PATH: &str = "/api/v1/admin/logout";
/// `GET ?status&article&before&limit` → a page of the desk.
pub const FEEDBACK_DESK_PATH: &str = "/api/v1/admin/feedback";
/// `POST {action, ids}` → `{updated}`.
pub const ACTIONS_PATH: &str = "/api/v1/admin/feedback/actions";
/// `POST {ids, message}` → `{replies}`; `DELETE /{id}` → 204.
pub const REPLIES_PATH: &str = "/api/v1/admin/replies";
/// `GET ?limit` → `{entries}`.
pub const AUDIT_PATH: &str = "/api/v1/admin/audit";
/// `GET ?format=json|csv&include_deleted=true` → a download.
pub const EXPORT_PATH: &str = "/api/v1/admin/export";

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "bangtin_session";
/// The header every admin write carries its CSRF token in.
pub const CSRF_HEADER: &str = "x-bangtin-csrf";
/// Failed login attempts per client address per minute (and the burst).
pub const LOGINS_PER_MINUTE: u32 = 5;
/// Most items one action or reply may name.
pub const MAX_IDS: usize = 100;

const HOUR_MS: i64 = 60 * 60 * 1000;
/// How long sessions live.
pub const SESSION_RULES: SessionRules = SessionRules {
    idle_ms: 12 * HOUR_MS,
    absolute_ms: 7 * 24 * HOUR_MS,
    touch_every_ms: 60 * 1000,
};

/// What the desk's handlers need.
#[derive(Clone, FromRef)]
pub struct DeskState {
    pub store: Arc<dyn FeedbackStore>,
    pub readers: ReaderHasher,
    pub proxies: Arc<TrustedProxies>,
    /// `--public-url`'s origin, if given: the only origin admin writes may come from.
    pub public_origin: Option<String>,
    /// Failed logins per client address.
    pub logins: Arc<FailureLimiter>,
}

/// The desk's routes. The caller adds the body limit and timeout.
pub fn router(state: DeskState) -> Router {
    Router::new()
        .route(LOGIN_PATH, post(admin_login))
        .route(SESSION_PATH, get(admin_session))
        .route(LOGOUT_PATH, post(admin_logout))
        .route(FEEDBACK_DESK_PATH, get(admin_feedback_list))
        .route(ACTIONS_PATH, post(admin_feedback_act))
        .route(REPLIES_PATH, post(admin_replies_create))
        .route(
            &format!("{REPLIES_PATH}/{{id}}"),
            delete(admin_replies_delete),
        )
        .route(AUDIT_PATH, get(admin_audit_list))
        .route(EXPORT_PATH, get(admin_export))
        .method_not_allowed_fallback(crate::error::method_not_allowed)
        .with_state(state)
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
}

fn peer(parts_extensions: &axum::http::Extensions) -> Option<std::net::IpAddr> {
    parts_extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| addr.ip())
        .or_else(|| {
            parts_extensions
                .get::<MockConnectInfo<SocketAddr>>()
                .map(|MockConnectInfo(addr)| addr.ip())
        })
}

impl DeskState {
    /// A browser's `Origin`, when sent, must be the server's own: `--public-url`, else this
    /// request's `Host` over http or https.
    fn check_origin(&self, headers: &HeaderMap) -> Result<(), AppError> {
        let Some(origin) = headers.get(header::ORIGIN) else {
            return Ok(());
        };
        let origin = origin
            .to_str()
            .map_err(|_| AppError::CsrfFailed("the Origin is not the server's own"))?
            .to_ascii_lowercase();
        let own = match &self.public_origin {
            Some(public) => origin == *public,
            None => headers
                .get(header::HOST)
                .and_then(|h| h.to_str().ok())
                .map(str::to_ascii_lowercase)
                .is_some_and(|host| {
                    origin.strip_prefix("https://") == Some(host.as_str())
                        || origin.strip_prefix("http://") == Some(host.as_str())
                }),
        };
        if own {
            Ok(())
        } else {
            Err(AppError::CsrfFailed("the Origin is not the server's own"))
        }
    }

    /// Whether the browser reached us over https: `--public-url https://…`, or a trusted proxy
    /// (one that forwarded the client, see [`TrustedProxies`]) saying `X-Forwarded-Proto: https`.
    fn over_https(&self, parts: &Parts) -> bool {
        if let Some(public) = &self.public_origin {
            return public.starts_with("https://");
        }
        let Some(peer) = peer(&parts.extensions) else {
            return false;
        };
        let via_proxy = self
            .proxies
            .client_ip(Some(peer), &parts.headers)
            .is_some_and(|client| client != peer && Some(client) != ipv4_of(peer));
        via_proxy
            && parts
                .headers
                .get("x-forwarded-proto")
                .and_then(|v| v.to_str().ok())
                .is_some_and(|proto| proto.trim().eq_ignore_ascii_case("https"))
    }
}

fn ipv4_of(ip: std::net::IpAddr) -> Option<std::net::IpAddr> {
    match ip {
        std::net::IpAddr::V6(v6) => v6.to_ipv4_mapped().map(std::net::IpAddr::V4),
        std::net::IpAddr::V4(_) => None,
    }
}

/// The session id in the request's cookies (64 hex digits), if any.
fn session_cookie(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == SESSION_COOKIE)
        .map(|(_, value)| value.trim().to_owned())
        .filter(|value| value.len() == 64 && value.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// A logged-in moderator's request. For writes (anything but GET and HEAD) also: the `Origin`,
/// when sent, is the server's own, and `X-Bangtin-CSRF` holds the session's token.
pub struct Signed {
    pub moderator: Moderator,
    session_id: String,
}

impl<S> FromRequestParts<S> for Signed
where
    S: Send + Sync,
    DeskState: FromRef<S>,
{
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        let state = DeskState::from_ref(state);
        let writes = !matches!(parts.method, Method::GET | Method::HEAD);
        if writes {
            state.check_origin(&parts.headers)?;
        }
        let session_id = session_cookie(&parts.headers).ok_or(AppError::Unauthorized)?;
        // In a task of its own: looking a session up may write (`seen_ms`), and a client that
        // hangs up must not cut that write in half (see `super::spawn_write`).
        let store = Arc::clone(&state.store);
        let session_hash = secret_hash(&session_id);
        let moderator = super::spawn_write(async move {
            store.session(&session_hash, now_db(), &SESSION_RULES).await
        })
        .await?
        .ok_or(AppError::Unauthorized)?;
        if writes {
            let sent = parts
                .headers
                .get(HeaderName::from_static(CSRF_HEADER))
                .and_then(|v| v.to_str().ok())
                .ok_or(AppError::CsrfFailed("missing X-Bangtin-CSRF header"))?;
            if !same(sent, &csrf_token(&state.readers, &session_id)) {
                return Err(AppError::CsrfFailed("wrong X-Bangtin-CSRF token"));
            }
        }
        Ok(Signed {
            moderator,
            session_id,
        })
    }
}

/// `{moderator: {id, name}, csrf}`.
fn session_body(readers: &ReaderHasher, moderator: &Moderator, session_id: &str) -> Value {
    json!({ "moderator": moderator, "csrf": csrf_token(readers, session_id) })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Login {
    token: String,
}

/// `POST /api/v1/admin/login`.
pub async fn admin_login(
    State(state): State<DeskState>,
    parts: LoginParts,
    ApiJson(login): ApiJson<Login>,
) -> Result<Response, AppError> {
    let LoginParts(parts) = parts;
    state.check_origin(&parts.headers)?;
    let client = state
        .proxies
        .client_ip(peer(&parts.extensions), &parts.headers)
        .ok_or(AppError::NoClientAddress)?;
    if let Err(wait) = state.logins.check(client) {
        return Err(AppError::LoginRateLimited {
            retry_after_secs: wait.as_secs().max(1),
        });
    }
    // Only failed logins count against the limit: a newsroom behind one address logs in often.
    let token = login.token.trim();
    if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        state.logins.failed(client);
        return Err(AppError::InvalidToken);
    }
    let session_id = random_secret();
    let store = Arc::clone(&state.store);
    let (token_hash, session_hash) = (
        secret_hash(&token.to_ascii_lowercase()),
        secret_hash(&session_id),
    );
    let moderator =
        super::spawn_write(async move { store.login(&token_hash, &session_hash, now_db()).await })
            .await?;
    let Some(moderator) = moderator else {
        state.logins.failed(client);
        return Err(AppError::InvalidToken);
    };
    tracing::info!(moderator = moderator.id, "moderator logged in");
    let secure = if state.over_https(&parts) {
        "; Secure"
    } else {
        ""
    };
    let cookie = format!(
        "{SESSION_COOKIE}={session_id}; HttpOnly; SameSite=Strict; Path=/; Max-Age={}{secure}",
        SESSION_RULES.absolute_ms / 1000
    );
    let mut response = Json(session_body(&state.readers, &moderator, &session_id)).into_response();
    response.headers_mut().insert(
        header::SET_COOKIE,
        HeaderValue::from_str(&cookie).map_err(|e| AppError::BadRequest(e.to_string()))?,
    );
    Ok(response)
}

/// The request head, for the login (which has no session yet).
pub struct LoginParts(Parts);

impl<S: Send + Sync> FromRequestParts<S> for LoginParts {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(LoginParts(parts.clone()))
    }
}

/// `GET /api/v1/admin/session`.
pub async fn admin_session(State(state): State<DeskState>, signed: Signed) -> Json<Value> {
    Json(session_body(
        &state.readers,
        &signed.moderator,
        &signed.session_id,
    ))
}

/// `POST /api/v1/admin/logout`: 204, the session ended and the cookie cleared.
pub async fn admin_logout(
    State(state): State<DeskState>,
    signed: Signed,
) -> Result<Response, AppError> {
    let store = Arc::clone(&state.store);
    let session_hash = secret_hash(&signed.session_id);
    let moderator = signed.moderator.clone();
    super::spawn_write(async move { store.logout(&session_hash, &moderator, now_db()).await })
        .await?;
    let mut response = StatusCode::NO_CONTENT.into_response();
    response.headers_mut().insert(
        header::SET_COOKIE,
        HeaderValue::from_static("bangtin_session=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0"),
    );
    Ok(response)
}

/// The query's pairs, each name at most once and only the `known` ones.
fn query_pairs(
    query: Option<&str>,
    known: &[&str],
) -> Result<std::collections::HashMap<String, String>, AppError> {
    let mut pairs = std::collections::HashMap::new();
    for (name, value) in form_urlencoded::parse(query.unwrap_or_default().as_bytes()) {
        if !known.contains(&name.as_ref()) {
            return Err(AppError::InvalidField(format!(
                "unknown query parameter `{name}`, expected {}",
                known.join(", ")
            )));
        }
        if pairs.insert(name.to_string(), value.into_owned()).is_some() {
            return Err(AppError::InvalidField(format!("{name} must be given once")));
        }
    }
    Ok(pairs)
}

fn limit_param(value: Option<&String>, default: i64, max: i64) -> Result<i64, AppError> {
    match value {
        None => Ok(default),
        Some(v) => v
            .parse::<i64>()
            .ok()
            .filter(|n| (1..=max).contains(n))
            .ok_or_else(|| AppError::invalid("invalid_limit", format!("limit must be 1 to {max}"))),
    }
}

fn reply_json(reply: &Reply) -> Value {
    json!({
        "id": reply.id,
        "message": reply.message,
        "created_at": reply.created_ms,
        "moderator": reply.moderator,
    })
}

fn item_json(feedback: &Feedback, replies: &[Reply]) -> Value {
    json!({
        "id": feedback.id,
        "article": feedback.article,
        "name": feedback.name,
        "email": feedback.email,
        "message": feedback.message,
        "status": feedback.state(),
        "reasons": feedback.reasons,
        "created_at": feedback.created_ms,
        "updated_at": feedback.updated_ms,
        "deleted_at": feedback.deleted_ms,
        "likes": feedback.likes,
        "replies": replies.iter().map(reply_json).collect::<Vec<_>>(),
    })
}

/// `GET /api/v1/admin/feedback?status=pending|published|rejected|spam|deleted&article=…&
/// before=CURSOR&limit=1..100`: newest first, with the counts per status.
pub async fn admin_feedback_list(
    State(state): State<DeskState>,
    _signed: Signed,
    RawQuery(query): RawQuery,
) -> Result<Json<Value>, AppError> {
    let pairs = query_pairs(query.as_deref(), &["status", "article", "before", "limit"])?;
    let status = match pairs.get("status") {
        None => ItemState::Is(super::store::Status::Pending),
        Some(s) => ItemState::parse(s).ok_or_else(|| {
            AppError::invalid(
                "invalid_status",
                "status must be pending, published, rejected, spam or deleted".to_owned(),
            )
        })?,
    };
    let article = match pairs.get("article").filter(|a| !a.is_empty()) {
        Some(a) => Some(super::article_key(a)?),
        None => None,
    };
    let before = match pairs.get("before") {
        None => None,
        Some(b) => {
            let after =
                super::parse_cursor(bangtin_api::feedback::Sort::Newest, b).ok_or_else(|| {
                    AppError::invalid(
                        "invalid_before",
                        "before must be a cursor this server gave as `next`".to_owned(),
                    )
                })?;
            Some((after.created_ms, after.id))
        }
    };
    let limit = limit_param(pairs.get("limit"), 50, 100)?;
    let page = state
        .store
        .desk(&DeskQuery {
            state: status,
            article,
            before,
            limit,
        })
        .await?;
    let next = if page.more {
        page.items
            .last()
            .map(|(f, _)| format!("{}-{}", f.created_ms, f.id))
    } else {
        None
    };
    let [pending, published, rejected, spam, deleted] = page.counts;
    let mut body = json!({
        "items": page.items.iter().map(|(f, r)| item_json(f, r)).collect::<Vec<_>>(),
        "counts": {
            "pending": pending, "published": published, "rejected": rejected,
            "spam": spam, "deleted": deleted,
        },
    });
    if let Some(next) = next {
        body["next"] = Value::String(next);
    }
    Ok(Json(body))
}

/// Checks a list of item ids: 1 to [`MAX_IDS`], each 32 lowercase hex digits; repeats dropped.
fn checked_ids(ids: Vec<String>) -> Result<Vec<String>, AppError> {
    if ids.is_empty() || ids.len() > MAX_IDS {
        return Err(AppError::invalid(
            "invalid_ids",
            format!("ids must name 1 to {MAX_IDS} items"),
        ));
    }
    if let Some(bad) = ids.iter().find(|id| !valid_reader_id(id)) {
        return Err(AppError::invalid(
            "invalid_ids",
            format!(
                "ids must be 32 lowercase hex digits, got {:?}",
                bad.chars().take(40).collect::<String>()
            ),
        ));
    }
    let mut seen = HashSet::new();
    Ok(ids
        .into_iter()
        .filter(|id| seen.insert(id.clone()))
        .collect())
}

fn refused(refused: Refused) -> AppError {
    match refused {
        Refused::UnknownFeedback(_) | Refused::UnknownReply(_) | Refused::UnknownModerator(_) => {
            AppError::Missing(refused.to_string())
        }
        Refused::Deleted(_) => AppError::Conflict {
            code: "feedback_deleted",
            message: refused.to_string(),
        },
        Refused::Revoked(_) => AppError::Conflict {
            code: "moderator_revoked",
            message: refused.to_string(),
        },
        Refused::Store(err) => AppError::Storage(err),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Act {
    action: String,
    ids: Vec<String>,
}

/// `POST /api/v1/admin/feedback/actions {action, ids}` → `{updated: [{id, status, previous}]}`;
/// all or nothing.
pub async fn admin_feedback_act(
    State(state): State<DeskState>,
    signed: Signed,
    ApiJson(act): ApiJson<Act>,
) -> Result<Json<Value>, AppError> {
    let action = Action::parse(&act.action).ok_or_else(|| {
        AppError::invalid(
            "invalid_action",
            "action must be approve, reject, spam, pending, delete or restore".to_owned(),
        )
    })?;
    let ids = checked_ids(act.ids)?;
    let store = Arc::clone(&state.store);
    let moderator = signed.moderator;
    let updated = tokio::spawn(async move { store.act(&moderator, action, &ids, now_db()).await })
        .await
        .map_err(|e| AppError::Storage(crate::db::StoreError::Task(e.to_string())))?
        .map_err(refused)?;
    Ok(Json(json!({ "updated": updated })))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Respond {
    ids: Vec<String>,
    message: String,
}

/// `POST /api/v1/admin/replies {ids, message}` → `{replies: [{feedback_id, id, message,
/// created_at}]}`: the newsroom answers under each item; all or nothing.
pub async fn admin_replies_create(
    State(state): State<DeskState>,
    signed: Signed,
    ApiJson(respond): ApiJson<Respond>,
) -> Result<Json<Value>, AppError> {
    let ids = checked_ids(respond.ids)?;
    let message = text::clean_message(&respond.message);
    let chars = bangtin_api::feedback::char_count(&message);
    if chars == 0 || chars > MESSAGE_MAX {
        return Err(AppError::invalid(
            "invalid_message",
            format!("message must be 1 to {MESSAGE_MAX} characters"),
        ));
    }
    let store = Arc::clone(&state.store);
    let moderator = signed.moderator;
    let replies =
        tokio::spawn(async move { store.reply(&moderator, &ids, &message, now_db()).await })
            .await
            .map_err(|e| AppError::Storage(crate::db::StoreError::Task(e.to_string())))?
            .map_err(refused)?;
    let replies: Vec<Value> = replies
        .iter()
        .map(|r| {
            json!({
                "feedback_id": r.feedback_id,
                "id": r.id,
                "message": r.message,
                "created_at": r.created_ms,
            })
        })
        .collect();
    Ok(Json(json!({ "replies": replies })))
}

/// `DELETE /api/v1/admin/replies/{id}` → 204 (the undo of a reply).
pub async fn admin_replies_delete(
    State(state): State<DeskState>,
    signed: Signed,
    Path(id): Path<String>,
) -> Result<StatusCode, AppError> {
    if !valid_reader_id(&id) {
        return Err(AppError::invalid(
            "invalid_id",
            "a reply id is 32 lowercase hex digits".to_owned(),
        ));
    }
    let store = Arc::clone(&state.store);
    let moderator = signed.moderator;
    tokio::spawn(async move { store.delete_reply(&moderator, &id, now_db()).await })
        .await
        .map_err(|e| AppError::Storage(crate::db::StoreError::Task(e.to_string())))?
        .map_err(refused)?;
    Ok(StatusCode::NO_CONTENT)
}

fn audit_json(entry: &AuditEntry) -> Value {
    json!({
        "at": entry.at_ms,
        "moderator": entry.moderator,
        "action": entry.action,
        "feedback_id": entry.feedback_id,
        "detail": entry.detail,
    })
}

/// `GET /api/v1/admin/audit?limit=1..500` → `{entries}`, newest first.
pub async fn admin_audit_list(
    State(state): State<DeskState>,
    _signed: Signed,
    RawQuery(query): RawQuery,
) -> Result<Json<Value>, AppError> {
    let pairs = query_pairs(query.as_deref(), &["limit"])?;
    let limit = limit_param(pairs.get("limit"), 100, 500)?;
    let entries = state.store.audit(limit).await?;
    Ok(Json(json!({
        "entries": entries.iter().map(audit_json).collect::<Vec<_>>(),
    })))
}

/// `GET /api/v1/admin/export?format=json|csv&include_deleted=true|false`: every item as a
/// download (see [`export`]).
pub async fn admin_export(
    State(state): State<DeskState>,
    signed: Signed,
    RawQuery(query): RawQuery,
) -> Result<Response, AppError> {
    let pairs = query_pairs(query.as_deref(), &["format", "include_deleted"])?;
    let format = match pairs.get("format") {
        None => Format::Json,
        Some(f) => Format::parse(f).ok_or_else(|| {
            AppError::invalid("invalid_format", "format must be json or csv".to_owned())
        })?,
    };
    let include_deleted = match pairs.get("include_deleted").map(String::as_str) {
        None | Some("false") => false,
        Some("true") => true,
        Some(_) => {
            return Err(AppError::invalid(
                "invalid_include_deleted",
                "include_deleted must be true or false".to_owned(),
            ))
        }
    };
    let store = Arc::clone(&state.store);
    let moderator = signed.moderator;
    let now = now_db();
    let items =
        super::spawn_write(
            async move { store.export(Some(&moderator), include_deleted, now).await },
        )
        .await?;
    let body = export::render(format, &items, now);
    let disposition = format!(
        "attachment; filename=\"{}\"",
        export::file_name(format, now)
    );
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(format.content_type()),
    );
    headers.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_str(&disposition).map_err(|e| AppError::BadRequest(e.to_string()))?,
    );
    Ok(response)
}

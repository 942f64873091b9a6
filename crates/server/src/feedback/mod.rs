//! The feedback widget's server side ("Gửi phản hồi", "Xem phản hồi"), issue 8: readers send
//! feedback on an article (`POST /api/v1/feedback`), read what the newsroom published (every page
//! through the boot request, and `GET /api/v1/feedback` for API users) and like items
//! (`POST /api/v1/feedback/likes`). Moderators work at the desk ([`admin`], `/api/v1/admin/*`),
//! new pending items are announced to a webhook ([`webhook`]), and everything can be exported
//! ([`export`]).
//!
//! Text is cleaned ([`text`]) before the contract's checks. Spam is never dropped: it is stored
//! with status `spam` and its reasons, and the reader gets the same answer as for pending
//! feedback. The public routes never return an email address or an unpublished item.

pub mod admin;
pub mod export;
pub mod moderators;
mod postgres;
mod sqlite;
pub mod store;
pub mod text;
pub mod token;
pub mod webhook;

use std::num::NonZeroU32;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use async_trait::async_trait;
use axum::extract::{FromRef, RawQuery, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use bangtin_api::feedback::{
    check_email, check_message, check_name, first_key, valid_after, FeedbackFirst, FeedbackPage,
    Field, LikeFeedback, Liked, Problem, PublishedFeedback, Sort, SubmitFeedback, Submitted,
    SubmittedStatus, EMAIL_MAX, FEEDBACK_LIKES_PATH, FEEDBACK_PATH, MAX_LINKS, MESSAGE_MAX,
    MESSAGE_MIN, NAME_MAX, PAGE_SIZE,
};
use bangtin_api::{valid_reader_id, BootWidget, ErrorDetail, READER_ID_LEN, READER_PARAM};
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use tokio::sync::Notify;

use crate::boot::{FirstData, Page};
use crate::db::{Db, StoreError};
use crate::error::{ApiJson, AppError};
use crate::rating::normalize_article;
use crate::reader::ReaderHasher;
use crate::state::{Mounted, Shared};
use store::{After, Feedback, FeedbackStore, NewFeedback, Submission, SubmitRules};
use token::{check_form, form_token, now_db, now_ms, BadForm, FormCheck};

/// How the site runs its feedback (flags of `bangtin-server`).
#[derive(Clone, Debug)]
pub struct Options {
    /// Publish what is not spam at once (`--feedback-auto-publish`); otherwise moderators decide.
    pub auto_publish: bool,
    /// Where new pending items are announced (`--feedback-webhook`).
    pub webhook: Option<webhook::WebhookOptions>,
    /// The server's public URL (`--public-url https://bangtin.example`): the origin admin writes
    /// must come from, whether the session cookie is `Secure`, and the webhook's `admin_url`.
    pub public_url: Option<String>,
    /// Sends per reader per hour before `429` (`--feedback-reader-limit`, burst of the same
    /// size); 0 turns it off.
    pub reader_limit_per_hour: u32,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            auto_publish: false,
            webhook: None,
            public_url: None,
            reader_limit_per_hour: 10,
        }
    }
}

/// The same message on the same article, or from the same reader, within a day: a duplicate.
const DUPLICATE_WINDOW_MS: i64 = 24 * 60 * 60 * 1000;
/// A reader who already sent this many within [`BURST_WINDOW_MS`]: the next is spam.
const BURST_MAX: i64 = 3;
const BURST_WINDOW_MS: i64 = 10 * 60 * 1000;

/// What the feedback handlers need.
#[derive(Clone, FromRef)]
pub struct FeedbackState {
    pub store: Arc<dyn FeedbackStore>,
    pub readers: ReaderHasher,
    pub settings: Arc<Settings>,
}

/// The site's rules, fixed at start.
pub struct Settings {
    rules: SubmitRules,
    reader_limit: ReaderLimiter,
    /// Wakes the webhook task after a notification is stored.
    webhook_wake: Option<Arc<Notify>>,
}

/// Creates or updates the feedback tables.
pub async fn migrate(db: &Db) -> Result<(), StoreError> {
    db.migrate(
        sqlx::migrate!("src/feedback/migrations/sqlite"),
        sqlx::migrate!("src/feedback/migrations/postgres"),
    )
    .await
}

/// The feedback store of `db` (migrated), for the command line and tests.
pub fn open_store(db: &Db) -> Arc<dyn FeedbackStore> {
    store::open(db)
}

/// Why the feedback cannot start.
#[derive(Debug, thiserror::Error)]
pub enum FeedbackStartError {
    #[error("--public-url {0:?} must be an origin like https://bangtin.example")]
    PublicUrl(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Migrates the feedback tables, starts the webhook task (if configured), and returns the
/// widget's routes with its boot answer, the moderation desk's routes (same-origin only: the
/// caller serves them outside the public write guard and CORS), and the desk's state, which
/// other widgets' desk routes (the ticker's breaking items) take their sessions from.
pub async fn mount(
    shared: &Shared,
    options: &Options,
) -> Result<(Mounted, Router, admin::DeskState), FeedbackStartError> {
    let public_origin = match &options.public_url {
        Some(url) => {
            Some(origin_of(url).ok_or_else(|| FeedbackStartError::PublicUrl(url.clone()))?)
        }
        None => None,
    };
    migrate(&shared.db).await?;
    let store = store::open(&shared.db);
    let webhook_wake = options
        .webhook
        .clone()
        .map(|hook| webhook::spawn(Arc::clone(&store), hook));
    let admin_url = format!("{}/admin", public_origin.as_deref().unwrap_or(""));
    let settings = Arc::new(Settings {
        rules: SubmitRules {
            auto_publish: options.auto_publish,
            duplicate_window_ms: DUPLICATE_WINDOW_MS,
            burst_max: BURST_MAX,
            burst_window_ms: BURST_WINDOW_MS,
            webhook_admin_url: options.webhook.as_ref().map(|_| admin_url),
        },
        reader_limit: ReaderLimiter::new(options.reader_limit_per_hour),
        webhook_wake,
    });
    let state = FeedbackState {
        store: Arc::clone(&store),
        readers: shared.readers.clone(),
        settings,
    };
    let router = Router::new()
        .route(FEEDBACK_PATH, get(feedback_list).post(feedback_submit))
        .route(FEEDBACK_LIKES_PATH, post(feedback_like))
        .with_state(state.clone());
    let desk_state = admin::DeskState {
        store,
        readers: shared.readers.clone(),
        proxies: Arc::clone(&shared.proxies),
        public_origin,
        logins: Arc::new(crate::limit::FailureLimiter::new(admin::LOGINS_PER_MINUTE)),
    };
    let desk = admin::router(desk_state.clone());
    Ok((
        Mounted {
            router,
            first: Arc::new(First(state)),
        },
        desk,
        desk_state,
    ))
}

/// `https://host[:port]` of a URL (lowercase, no path); `None` if it is not an http(s) URL.
fn origin_of(url: &str) -> Option<String> {
    let uri: axum::http::Uri = url.trim().parse().ok()?;
    let scheme = uri.scheme_str()?.to_ascii_lowercase();
    if scheme != "http" && scheme != "https" {
        return None;
    }
    let authority = uri.authority()?.as_str().to_ascii_lowercase();
    if authority.contains('@') {
        return None;
    }
    Some(format!("{scheme}://{authority}"))
}

/// Sends per reader (keyed by the reader's hash), in memory; GCRA like the write limit.
struct ReaderLimiter {
    limiter: Option<DefaultKeyedRateLimiter<String>>,
    last_prune: Mutex<Instant>,
}

impl ReaderLimiter {
    fn new(per_hour: u32) -> ReaderLimiter {
        ReaderLimiter {
            limiter: NonZeroU32::new(per_hour).map(|n| RateLimiter::dashmap(Quota::per_hour(n))),
            last_prune: Mutex::new(Instant::now()),
        }
    }

    fn check(&self, reader_hash: &str) -> Result<(), Duration> {
        let Some(limiter) = &self.limiter else {
            return Ok(());
        };
        {
            let mut last = self
                .last_prune
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            if last.elapsed() >= Duration::from_secs(60) {
                limiter.retain_recent();
                *last = Instant::now();
            }
        }
        limiter
            .check_key(&reader_hash.to_owned())
            .map_err(|not_until| not_until.wait_time_from(DefaultClock::default().now()))
    }
}

fn field_problem(field: Field, problem: Problem) -> AppError {
    let what = match field {
        Field::Name => "name",
        Field::Email => "email",
        Field::Message => "message",
    };
    let message = match (field, problem) {
        (_, Problem::Missing) => format!("{what} must not be empty"),
        (_, Problem::TooShort) => format!("{what} must be at least {MESSAGE_MIN} characters"),
        (Field::Name, Problem::TooLong) => format!("name must be at most {NAME_MAX} characters"),
        (Field::Email, Problem::TooLong) => {
            format!("email must be at most {EMAIL_MAX} characters")
        }
        (_, Problem::TooLong) => format!("{what} must be at most {MESSAGE_MAX} characters"),
        (_, Problem::NotAnEmail) => "email must be an address like ten@bao.vn".to_owned(),
    };
    AppError::invalid(field.code(), message)
}

fn check_id(id: &str) -> Result<(), AppError> {
    if valid_reader_id(id) {
        Ok(())
    } else {
        Err(AppError::invalid(
            "invalid_id",
            format!("id must be {READER_ID_LEN} lowercase hex digits"),
        ))
    }
}

fn check_reader(reader: &str) -> Result<(), AppError> {
    if valid_reader_id(reader) {
        Ok(())
    } else {
        Err(AppError::invalid(
            "invalid_reader",
            format!("reader must be {READER_ID_LEN} lowercase hex digits"),
        ))
    }
}

fn article_key(article: &str) -> Result<String, AppError> {
    normalize_article(article).map_err(|_| {
        AppError::invalid(
            "invalid_article",
            format!(
                "article must be 1 to {} characters without control characters or surrounding \
                 whitespace",
                bangtin_api::MAX_ARTICLE_CHARS
            ),
        )
    })
}

/// A cleaned and checked message (feedback or reply).
pub fn clean_checked_message(message: &str) -> Result<String, AppError> {
    let message = text::clean_message(message);
    check_message(&message).map_err(|p| field_problem(Field::Message, p))?;
    Ok(message)
}

/// Runs a write in its own task: a reader hanging up cannot cut a SQLite transaction in half
/// (see `crate::rating::votes_cast`).
async fn spawn_write<T: Send + 'static>(
    write: impl std::future::Future<Output = Result<T, StoreError>> + Send + 'static,
) -> Result<T, AppError> {
    tokio::spawn(write)
        .await
        .map_err(|err| AppError::Storage(StoreError::Task(err.to_string())))?
        .map_err(AppError::from)
}

/// A published item as readers see it.
fn published(feedback: &Feedback, liked: bool, replies: &[(String, i64)]) -> PublishedFeedback {
    PublishedFeedback {
        id: feedback.id.clone(),
        name: feedback.name.clone(),
        message: feedback.message.clone(),
        created_at: u64::try_from(feedback.created_ms).unwrap_or(0),
        likes: feedback.likes,
        liked,
        replies: replies
            .iter()
            .map(|(message, created)| bangtin_api::feedback::NewsroomReply {
                message: message.clone(),
                created_at: u64::try_from(*created).unwrap_or(0),
            })
            .collect(),
    }
}

/// The answer to a send: published (with the item) or, for anything else, pending — spam and
/// rejected included, so a reader never learns how their message was judged.
fn submitted(feedback: &Feedback) -> Submitted {
    if feedback.is_public() {
        Submitted {
            id: feedback.id.clone(),
            status: SubmittedStatus::Published,
            item: Some(published(feedback, false, &[])),
        }
    } else {
        Submitted {
            id: feedback.id.clone(),
            status: SubmittedStatus::Pending,
            item: None,
        }
    }
}

/// A repeated send (same id): the answer for what is stored, if it is the same message.
fn repeated(stored: &Feedback, new: &NewFeedback) -> Result<Response, AppError> {
    let same = stored.article == new.article
        && stored.name == new.name
        && stored.message == new.message
        && stored.email == new.email;
    if !same {
        return Err(AppError::Conflict {
            code: "id_conflict",
            message: "this id was already used for another message; send it under a new id"
                .to_owned(),
        });
    }
    Ok((StatusCode::OK, Json(submitted(stored))).into_response())
}

/// `POST /api/v1/feedback`: cleans and checks the send, judges it (honeypot, time since the
/// form was shown, links, duplicates, bursts) and stores it once per id. `201` with the answer;
/// `200` with the same answer for a repeated id.
pub async fn feedback_submit(
    State(state): State<FeedbackState>,
    ApiJson(send): ApiJson<SubmitFeedback>,
) -> Result<Response, AppError> {
    let now = now_ms();
    check_id(&send.id)?;
    let article = article_key(&send.article)?;
    check_reader(&send.reader)?;
    let name = text::clean_line(&send.name);
    check_name(&name).map_err(|p| field_problem(Field::Name, p))?;
    let email = text::clean_line(send.email.as_deref().unwrap_or_default());
    check_email(&email).map_err(|p| field_problem(Field::Email, p))?;
    let message = clean_checked_message(&send.message)?;
    let new = NewFeedback {
        id: send.id,
        article,
        name,
        email: (!email.is_empty()).then_some(email),
        message,
        reader_hash: state.readers.hash(&send.reader),
        reasons: Vec::new(),
        now_ms: i64::try_from(now).unwrap_or(i64::MAX),
    };
    // A repeated send is answered before the form token and the limits: an outbox may resend
    // long after, and a resend is no new message.
    if let Some(stored) = state.store.find(&new.id).await? {
        return repeated(&stored, &new);
    }
    let mut new = new;
    match check_form(&state.readers, &send.form, now) {
        Ok(FormCheck::Fine) => {}
        Ok(FormCheck::TooFast) => new.reasons.push("too_fast"),
        Err(bad @ (BadForm::Forged | BadForm::Expired)) => {
            return Err(AppError::invalid("invalid_form", bad.to_string()))
        }
    }
    if !send.website.trim().is_empty() {
        new.reasons.insert(0, "honeypot");
    }
    if text::count_links(&new.message) > MAX_LINKS {
        new.reasons.push("links");
    }
    if let Err(wait) = state.settings.reader_limit.check(&new.reader_hash) {
        return Err(AppError::RateLimited {
            retry_after_secs: wait.as_secs().max(1),
        });
    }
    let store = Arc::clone(&state.store);
    let rules = state.settings.rules.clone();
    let copy = new.clone();
    let outcome = spawn_write(async move { store.submit(copy, &rules).await }).await?;
    match outcome {
        Submission::Stored(stored) => {
            if let (store::Status::Pending, Some(wake)) =
                (stored.status, &state.settings.webhook_wake)
            {
                wake.notify_one();
            }
            Ok((StatusCode::CREATED, Json(submitted(&stored))).into_response())
        }
        Submission::Existing(stored) => repeated(&stored, &new),
    }
}

/// `POST /api/v1/feedback/likes`: the reader likes a published item, once.
pub async fn feedback_like(
    State(state): State<FeedbackState>,
    ApiJson(like): ApiJson<LikeFeedback>,
) -> Result<Json<Liked>, AppError> {
    check_id(&like.id)?;
    check_reader(&like.reader)?;
    let reader_hash = state.readers.hash(&like.reader);
    let store = Arc::clone(&state.store);
    let id = like.id.clone();
    let likes = spawn_write(async move { store.like(&id, &reader_hash, now_db()).await }).await?;
    match likes {
        Some(likes) => Ok(Json(Liked {
            id: like.id,
            likes,
            liked: true,
        })),
        // The same answer whether the item is unknown or not published: nothing is revealed.
        None => Err(AppError::Missing(format!(
            "no published feedback {}",
            like.id
        ))),
    }
}

/// A page cursor: `<created_ms>-<id>` (newest) or `<likes>-<created_ms>-<id>` (liked).
fn cursor(sort: Sort, feedback: &Feedback) -> String {
    match sort {
        Sort::Newest => format!("{}-{}", feedback.created_ms, feedback.id),
        Sort::Liked => format!("{}-{}-{}", feedback.likes, feedback.created_ms, feedback.id),
    }
}

fn parse_cursor(sort: Sort, after: &str) -> Option<After> {
    if !valid_after(after) {
        return None;
    }
    let parts: Vec<&str> = after.split('-').collect();
    let number = |s: &str| -> Option<i64> {
        if s.is_empty() || s.len() > 18 || !s.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        s.parse().ok()
    };
    let (likes, created, id) = match (sort, parts.as_slice()) {
        (Sort::Newest, [created, id]) => (0, number(created)?, *id),
        (Sort::Liked, [likes, created, id]) => (number(likes)?, number(created)?, *id),
        _ => return None,
    };
    valid_reader_id(id).then(|| After {
        likes,
        created_ms: created,
        id: id.to_owned(),
    })
}

fn bad_after() -> ErrorDetail {
    ErrorDetail {
        code: "invalid_after".to_owned(),
        message: "after must be a cursor this server gave as `next`".to_owned(),
    }
}

impl FeedbackState {
    /// A page of the public list, with a fresh form token.
    async fn page(
        &self,
        article: &str,
        sort: Sort,
        after: Option<&After>,
        reader_hash: Option<&str>,
    ) -> Result<FeedbackPage, AppError> {
        let page = self
            .store
            .page(article, sort, after, PAGE_SIZE, reader_hash)
            .await?;
        let next = if page.more {
            page.items.last().map(|item| cursor(sort, &item.feedback))
        } else {
            None
        };
        Ok(FeedbackPage {
            article: article.to_owned(),
            total: page.total,
            items: page
                .items
                .iter()
                .map(|item| published(&item.feedback, item.liked, &item.replies))
                .collect(),
            next,
            form: form_token(&self.readers, now_ms()),
        })
    }
}

/// `GET /api/v1/feedback?article=…&sort=newest|liked&after=…&reader=…`: the page the boot
/// request gives the widget, for API users. Unlike the boot request (which falls back as the
/// widget does), every bad parameter is refused here, naming it.
pub async fn feedback_list(
    State(state): State<FeedbackState>,
    RawQuery(query): RawQuery,
) -> Result<Response, AppError> {
    let mut article = None;
    let mut sort = None;
    let mut after = None;
    let mut reader = None;
    for (name, value) in form_urlencoded::parse(query.unwrap_or_default().as_bytes()) {
        let slot = match name.as_ref() {
            "article" => &mut article,
            "sort" => &mut sort,
            "after" => &mut after,
            READER_PARAM => &mut reader,
            other => {
                return Err(AppError::InvalidField(format!(
                    "unknown query parameter `{other}`, expected article, sort, after and reader"
                )))
            }
        };
        if slot.replace(value.into_owned()).is_some() {
            return Err(AppError::InvalidField(format!("{name} must be given once")));
        }
    }
    let article = article_key(article.as_deref().unwrap_or_default())?;
    let sort = match sort.as_deref() {
        None => Sort::Newest,
        Some(s) => Sort::parse(s).ok_or_else(|| {
            AppError::invalid(
                "invalid_sort",
                "sort must be \"newest\" or \"liked\"".to_owned(),
            )
        })?,
    };
    let after = match after.as_deref() {
        None => None,
        Some(a) => Some(parse_cursor(sort, a).ok_or_else(|| {
            let bad = bad_after();
            AppError::invalid("invalid_after", bad.message)
        })?),
    };
    let reader_hash = match reader.as_deref().filter(|r| !r.is_empty()) {
        Some(r) => {
            check_reader(r)?;
            Some(state.readers.hash(r))
        }
        None => None,
    };
    let page = state
        .page(&article, sort, after.as_ref(), reader_hash.as_deref())
        .await?;
    let mut response = Json(page).into_response();
    let cache = if reader_hash.is_some() {
        "private, no-cache"
    } else {
        "public, max-age=10"
    };
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    Ok(response)
}

/// The feedback's first data in a boot request: the page each widget asks for
/// (`w=feedback&article=…&sort=…&after=…`), resolved as the widget resolves its options (a
/// missing or refused article means the page's own; an unknown sort means newest), under
/// [`first_key`]; a refused cursor is that widget's `invalid_after`.
struct First(FeedbackState);

#[async_trait]
impl FirstData for First {
    fn kind(&self) -> &'static str {
        "feedback"
    }

    async fn first(
        &self,
        page: &Page<'_>,
        widgets: &[&BootWidget],
    ) -> Result<Vec<serde_json::Value>, AppError> {
        let mut answers = Vec::with_capacity(widgets.len());
        for widget in widgets {
            let sort = widget
                .param("sort")
                .and_then(|s| Sort::parse(s.trim()))
                .unwrap_or_default();
            let after = widget.param("after");
            let article = widget
                .param("article")
                .map(str::trim)
                .filter(|a| bangtin_api::validate_article(a).is_ok())
                .or(page.page)
                .unwrap_or_default();
            let (key, outcome) = match normalize_article(article) {
                Err(_) => (
                    first_key(sort, after, article),
                    Err(ErrorDetail {
                        code: "invalid_article".to_owned(),
                        message: "the widget names no article and the page none either".to_owned(),
                    }),
                ),
                Ok(article) => {
                    let key = first_key(sort, after, &article);
                    match after.map(|a| parse_cursor(sort, a)) {
                        Some(None) => (key, Err(bad_after())),
                        Some(Some(after)) => (
                            key,
                            Ok(self
                                .0
                                .page(&article, sort, Some(&after), page.reader_hash)
                                .await?),
                        ),
                        None => (
                            key,
                            Ok(self.0.page(&article, sort, None, page.reader_hash).await?),
                        ),
                    }
                }
            };
            let first = match outcome {
                Ok(page) => FeedbackFirst {
                    key,
                    page: Some(page),
                    error: None,
                },
                Err(error) => FeedbackFirst {
                    key,
                    page: None,
                    error: Some(error),
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

    #[test]
    fn cursors_read_back_as_written_and_refuse_other_shapes() {
        let id = "0123456789abcdef0123456789abcdef";
        let a = parse_cursor(Sort::Newest, &format!("1764139560000-{id}")).expect("newest");
        assert_eq!((a.created_ms, a.id.as_str()), (1_764_139_560_000, id));
        let b = parse_cursor(Sort::Liked, &format!("7-1764139560000-{id}")).expect("liked");
        assert_eq!((b.likes, b.created_ms), (7, 1_764_139_560_000));
        assert_eq!(
            parse_cursor(Sort::Liked, &format!("1764139560000-{id}")),
            None
        );
        assert_eq!(parse_cursor(Sort::Newest, &format!("7-1-{id}")), None);
        assert_eq!(parse_cursor(Sort::Newest, "1-xyz"), None);
        assert_eq!(parse_cursor(Sort::Newest, &format!("-{id}")), None);
        assert_eq!(
            parse_cursor(Sort::Newest, &format!("{}-{id}", "9".repeat(19))),
            None
        );
    }

    #[test]
    fn public_urls_become_origins() {
        assert_eq!(
            origin_of("https://Bangtin.Example/").as_deref(),
            Some("https://bangtin.example")
        );
        assert_eq!(
            origin_of("http://127.0.0.1:8080").as_deref(),
            Some("http://127.0.0.1:8080")
        );
        assert_eq!(origin_of("bangtin.example"), None);
        assert_eq!(origin_of("ftp://x"), None);
    }
}

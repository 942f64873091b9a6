//! `GET /api/v1/boot`: the first data of every widget on a page, in one request the loader sends
//! while the widget code downloads (see [`bangtin_api::Boot`]). Each widget answers its own
//! share through [`FirstData`], implemented in its module; this route only splits the request by
//! kind, asks each widget once (so 50 ratings are one database read), and puts the answers back
//! in page order.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use async_trait::async_trait;
use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use bangtin_api::{BadBoot, Boot, BootWidget, BOOT_PATH, MAX_BOOT_WIDGETS};
use serde_json::{json, Value};

use crate::error::AppError;
use crate::reader::ReaderHasher;

/// What a widget's first data is asked with: the page's own article key and the reader.
#[derive(Clone, Debug)]
pub struct Page<'a> {
    /// The page's canonical URL or path, as the loader read it (unchecked).
    pub page: Option<&'a str>,
    /// The reader's id, hashed.
    pub reader_hash: Option<&'a str>,
}

/// A widget's answer to the boot request, implemented in its module.
#[async_trait]
pub trait FirstData: Send + Sync {
    /// As in `<bangtin-NAME>`.
    fn kind(&self) -> &'static str;
    /// One JSON answer per widget, in the order given. A widget whose attributes are refused
    /// answers `{"error": {…}}` (plus whatever key it resolved to); a failure of the whole
    /// (the database) is an `Err`.
    async fn first(&self, page: &Page<'_>, widgets: &[&BootWidget])
        -> Result<Vec<Value>, AppError>;
}

/// The boot route over every widget's [`FirstData`].
pub fn router(widgets: Vec<Arc<dyn FirstData>>, readers: ReaderHasher) -> Router {
    Router::new()
        .route(BOOT_PATH, get(boot_read))
        .with_state(Arc::new(BootState { widgets, readers }))
}

struct BootState {
    widgets: Vec<Arc<dyn FirstData>>,
    readers: ReaderHasher,
}

fn bad_boot(bad: BadBoot) -> AppError {
    let message = match bad {
        BadBoot::ParamBeforeWidget => "every attribute must follow the w=KIND it belongs to".into(),
        BadBoot::Repeated => "page and reader may be given once".into(),
        BadBoot::NoWidgets => "name at least one widget with w=KIND".into(),
        BadBoot::TooManyWidgets => format!("at most {MAX_BOOT_WIDGETS} widgets per request"),
    };
    AppError::InvalidField(message)
}

/// Answers `{"now": <server time, ms since the epoch>, "items": [one per widget]}`.
async fn boot_read(
    State(state): State<Arc<BootState>>,
    RawQuery(query): RawQuery,
) -> Result<Response, AppError> {
    let query = query.unwrap_or_default();
    let pairs: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes())
        .map(|(n, v)| (n.into_owned(), v.into_owned()))
        .collect();
    let boot =
        Boot::from_pairs(pairs.iter().map(|(n, v)| (n.as_str(), v.as_str()))).map_err(bad_boot)?;
    // An empty reader is no reader (the loader sends what the page's storage holds).
    let reader = boot.reader.as_deref().filter(|r| !r.is_empty());
    let reader_hash = match reader {
        Some(reader) if bangtin_api::valid_reader_id(reader) => Some(state.readers.hash(reader)),
        Some(_) => {
            return Err(AppError::invalid(
                "invalid_reader",
                format!(
                    "reader must be {} lowercase hex digits",
                    bangtin_api::READER_ID_LEN
                ),
            ))
        }
        None => None,
    };
    let page = Page {
        page: boot.page.as_deref(),
        reader_hash: reader_hash.as_deref(),
    };
    let mut by_kind: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, widget) in boot.widgets.iter().enumerate() {
        by_kind.entry(widget.kind.as_str()).or_default().push(i);
    }
    let mut items = vec![Value::Null; boot.widgets.len()];
    for (kind, indices) in by_kind {
        let Some(widget) = state.widgets.iter().find(|w| w.kind() == kind) else {
            let error = json!({"error": {"code": "unknown_widget", "message": format!("no widget {kind:?}")}});
            for i in indices {
                items[i] = error.clone();
            }
            continue;
        };
        let asked: Vec<&BootWidget> = indices.iter().map(|&i| &boot.widgets[i]).collect();
        let answers = widget.first(&page, &asked).await?;
        if answers.len() != indices.len() {
            return Err(AppError::Storage(crate::db::StoreError::Corrupt(format!(
                "{kind} answered {} of {} widgets",
                answers.len(),
                indices.len()
            ))));
        }
        for (i, answer) in indices.into_iter().zip(answers) {
            items[i] = answer;
        }
    }
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX));
    let mut response = Json(json!({ "now": now, "items": items })).into_response();
    let cache = if reader.is_some() {
        "private, no-cache"
    } else {
        "public, max-age=10"
    };
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    Ok(response)
}

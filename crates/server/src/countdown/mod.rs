//! The countdown widget's API: the server's clock, `GET /api/v1/time` → `{"now": ms}`, never
//! cached. The widget measures the round trip and corrects the reader's clock with it
//! (`offset = now + rtt/2 − local receive time`), so a banner is right when the reader's clock
//! is not. In a boot request each countdown gets the same `{"now": ms}`.
//!
//! No database, no state: the module only needs the system clock.

use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use async_trait::async_trait;
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use bangtin_api::countdown::{ServerTime, TIME_PATH};
use bangtin_api::BootWidget;

use crate::boot::{FirstData, Page};
use crate::error::AppError;
use crate::state::Mounted;

/// The countdown's routes and its share of the boot request.
pub fn mount() -> Mounted {
    Mounted {
        router: Router::new().route(TIME_PATH, get(time_read)),
        first: Arc::new(First),
    }
}

/// Milliseconds since the Unix epoch (0 for a clock before it).
fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

/// `GET /api/v1/time`: the server's time, `Cache-Control: no-store` (a cached time is a wrong
/// time).
async fn time_read() -> Response {
    let mut response = Json(ServerTime { now: now_ms() }).into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// Each countdown of a boot request gets the server's time (it has no other first data).
struct First;

#[async_trait]
impl FirstData for First {
    fn kind(&self) -> &'static str {
        "countdown"
    }

    async fn first(
        &self,
        _page: &Page<'_>,
        widgets: &[&BootWidget],
    ) -> Result<Vec<serde_json::Value>, AppError> {
        let now = serde_json::json!({ "now": now_ms() });
        Ok(widgets.iter().map(|_| now.clone()).collect())
    }
}

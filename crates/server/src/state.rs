//! What every widget's routes may take from the server: the database, the reader hasher and the
//! trusted proxies.
//! Each widget builds its own small state from this (axum `FromRef` sub-states), so a handler
//! sees only what it needs.

use std::sync::Arc;

use axum::Router;

use crate::boot::FirstData;
use crate::db::Db;
use crate::limit::TrustedProxies;
use crate::reader::ReaderHasher;

/// Shared by every widget when the server starts.
#[derive(Clone, Debug)]
pub struct Shared {
    pub db: Db,
    pub readers: ReaderHasher,
    /// Whose `X-Forwarded-For` is believed (`--trusted-proxy`).
    pub proxies: Arc<TrustedProxies>,
}

/// What a widget's module gives the server when it starts: its routes, and its answer to the
/// boot request.
pub struct Mounted {
    pub router: Router,
    pub first: Arc<dyn FirstData>,
}

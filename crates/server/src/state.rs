//! What every widget's routes may take from the server: the database and the reader hasher.
//! Each widget builds its own small state from this (axum `FromRef` sub-states), so a handler
//! sees only what it needs.

use std::sync::Arc;

use axum::Router;

use crate::boot::FirstData;
use crate::db::Db;
use crate::reader::ReaderHasher;

/// Shared by every widget when the server starts.
#[derive(Clone, Debug)]
pub struct Shared {
    pub db: Db,
    pub readers: ReaderHasher,
}

/// What a widget's module gives the server when it starts: its routes, and its answer to the
/// boot request.
pub struct Mounted {
    pub router: Router,
    pub first: Arc<dyn FirstData>,
}

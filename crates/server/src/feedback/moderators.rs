//! The newsroom's moderator accounts, managed on the command line (`bangtin-server moderator
//! add|list|token|revoke|export`): a new account or a fresh token prints a one-time login token
//! (256 random bits) once; the database keeps only its SHA-256, and the first login uses it up.

use super::export::{self, Format};
use super::store::{FeedbackStore, Moderator, ModeratorRecord, Refused};
use super::text::clean_line;
use super::token::{now_db, random_secret, secret_hash};
use crate::db::StoreError;

/// Why a moderator command failed.
#[derive(Debug, thiserror::Error)]
pub enum CommandError {
    #[error("the name must be 1 to {} characters", bangtin_api::feedback::NAME_MAX)]
    BadName,
    #[error("{0}")]
    Refused(#[from] Refused),
    #[error("{0}")]
    Store(#[from] StoreError),
}

/// A new moderator and their login token (shown once, never stored).
pub async fn add(
    store: &dyn FeedbackStore,
    name: &str,
) -> Result<(Moderator, String), CommandError> {
    let name = clean_line(name);
    bangtin_api::feedback::check_name(&name).map_err(|_| CommandError::BadName)?;
    let token = random_secret();
    let moderator = store
        .add_moderator(&name, &secret_hash(&token), now_db())
        .await?;
    Ok((moderator, token))
}

/// A fresh login token for moderator `id` (the earlier one, if unused, stops working).
pub async fn new_token(
    store: &dyn FeedbackStore,
    id: i64,
) -> Result<(Moderator, String), CommandError> {
    let token = random_secret();
    let moderator = store.set_token(id, &secret_hash(&token), now_db()).await?;
    Ok((moderator, token))
}

/// Every moderator, oldest first.
pub async fn list(store: &dyn FeedbackStore) -> Result<Vec<ModeratorRecord>, CommandError> {
    Ok(store.moderators().await?)
}

/// Revokes moderator `id` and ends their sessions.
pub async fn revoke(store: &dyn FeedbackStore, id: i64) -> Result<Moderator, CommandError> {
    Ok(store.revoke(id, now_db()).await?)
}

/// Every item (deleted ones if asked), as a file in `format`.
pub async fn export_all(
    store: &dyn FeedbackStore,
    format: Format,
    include_deleted: bool,
) -> Result<Vec<u8>, CommandError> {
    let now = now_db();
    let items = store.export(None, include_deleted, now).await?;
    Ok(export::render(format, &items, now))
}

/// `moderator list` as a table: id, name, created, last login, revoked (UTC times).
pub fn list_table(moderators: &[ModeratorRecord]) -> String {
    let when = |ms: Option<i64>| ms.map_or_else(|| "-".to_owned(), export::iso);
    let mut out = String::from("id\tname\tcreated\tlast login\trevoked\ttoken waiting\n");
    for m in moderators {
        out.push_str(&format!(
            "{}\t{}\t{}\t{}\t{}\t{}\n",
            m.id,
            m.name,
            export::iso(m.created_ms),
            when(m.last_login_ms),
            when(m.revoked_ms),
            if m.token_waiting { "yes" } else { "no" }
        ));
    }
    out
}

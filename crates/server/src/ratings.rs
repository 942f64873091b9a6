//! The rating API: batched summaries, votes, and the health check.

use std::collections::HashSet;

use axum::extract::State;
use axum::Json;
use bangtin_api::{
    valid_reader_id, validate_article, BadArticle, CastVote, GetRatings, RatingKey,
    RatingSummaries, RatingSummary, Scale, MAX_ARTICLE_CHARS, MAX_BATCH,
};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use unicode_normalization::UnicodeNormalization;

use crate::error::{ApiJson, AppError};
use crate::origin::OriginChecked;
use crate::ratelimit::ClientIp;
use crate::store::StoreError;
use crate::AppState;

/// Turns a reader id into what the database keeps: `hex(sha256(secret || reader_id))`.
#[derive(Clone)]
pub struct ReaderHasher {
    secret: Vec<u8>,
}

impl std::fmt::Debug for ReaderHasher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ReaderHasher { .. }")
    }
}

impl ReaderHasher {
    pub fn new(secret: Vec<u8>) -> Self {
        Self { secret }
    }

    pub fn hash(&self, reader_id: &str) -> String {
        let mut hasher = Sha256::new();
        hasher.update(&self.secret);
        hasher.update(reader_id.as_bytes());
        hex::encode(hasher.finalize())
    }
}

fn article_problem(bad: BadArticle) -> String {
    match bad {
        BadArticle::Empty => "article must not be empty".to_owned(),
        BadArticle::TooLong => format!("article must be at most {MAX_ARTICLE_CHARS} characters"),
        BadArticle::BadCharacters => {
            "article must not contain control characters or surrounding whitespace".to_owned()
        }
    }
}

/// Validates an article key and returns its NFC form (checked again: NFC can change the length).
fn normalize_article(article: &str) -> Result<String, BadArticle> {
    validate_article(article)?;
    let nfc: String = article.nfc().collect();
    validate_article(&nfc)?;
    Ok(nfc)
}

fn check_reader(reader: &str) -> Result<(), AppError> {
    if valid_reader_id(reader) {
        Ok(())
    } else {
        Err(AppError::InvalidReader)
    }
}

fn check_value(scale: Scale, value: u8) -> Result<(), AppError> {
    if scale.accepts(value) {
        Ok(())
    } else {
        Err(AppError::InvalidValue(format!(
            "value must be {}..={} for scale \"{}\", got {value}",
            scale.min(),
            scale.max(),
            scale.as_str()
        )))
    }
}

/// `POST /api/v1/ratings/summary`: one summary per distinct requested rating, in request order.
/// Each summary names the article as the request first spelled it.
pub async fn ratings_summary(
    State(state): State<AppState>,
    ApiJson(request): ApiJson<GetRatings>,
) -> Result<Json<RatingSummaries>, AppError> {
    let reader_hash = match &request.reader {
        Some(reader) => {
            check_reader(reader)?;
            Some(state.hasher.hash(reader))
        }
        None => None,
    };
    if request.items.is_empty() {
        return Err(AppError::InvalidItems("items must not be empty".to_owned()));
    }
    if request.items.len() > MAX_BATCH {
        return Err(AppError::InvalidItems(format!(
            "items must hold at most {MAX_BATCH} ratings, got {}",
            request.items.len()
        )));
    }
    let mut seen = HashSet::new();
    let mut keys = Vec::with_capacity(request.items.len());
    let mut spelled = Vec::with_capacity(request.items.len());
    for (i, item) in request.items.into_iter().enumerate() {
        let article = normalize_article(&item.article).map_err(|bad| {
            AppError::InvalidArticle(format!("items[{i}]: {}", article_problem(bad)))
        })?;
        if seen.insert((article.clone(), item.scale)) {
            keys.push(RatingKey {
                article,
                scale: item.scale,
            });
            spelled.push(item.article);
        }
    }
    let mut summaries = state.store.summaries(&keys, reader_hash.as_deref()).await?;
    for (summary, article) in summaries.iter_mut().zip(spelled) {
        summary.article = article;
    }
    Ok(Json(RatingSummaries { summaries }))
}

/// `POST /api/v1/votes`: records (or replaces) the reader's vote and returns the new summary.
/// Refuses foreign origins (403) before reading the body; only valid votes count against the
/// rate limit.
pub async fn votes_cast(
    State(state): State<AppState>,
    _origin: OriginChecked,
    ClientIp(ip): ClientIp,
    ApiJson(vote): ApiJson<CastVote>,
) -> Result<Json<RatingSummary>, AppError> {
    let article = normalize_article(&vote.article)
        .map_err(|bad| AppError::InvalidArticle(article_problem(bad)))?;
    check_value(vote.scale, vote.value)?;
    check_reader(&vote.reader)?;
    if let Some(ip) = ip {
        state
            .limiter
            .check(ip)
            .map_err(|wait| AppError::RateLimited {
                retry_after_secs: wait.as_secs().max(1),
            })?;
    }
    let reader_hash = state.hasher.hash(&vote.reader);
    // The write runs in its own task: when a reader hangs up, axum drops this handler, and a
    // transaction cut off there can leave the connection inside it (sqlx cannot cancel SQLite's
    // BEGIN safely: launchbadge/sqlx#2054), failing every later vote. A task finishes it.
    let store = state.store.clone();
    let (scale, value) = (vote.scale, vote.value);
    let mut summary =
        tokio::spawn(async move { store.cast_vote(&article, scale, &reader_hash, value).await })
            .await
            .map_err(|err| AppError::Storage(StoreError::Task(err.to_string())))??;
    summary.article = vote.article;
    Ok(Json(summary))
}

/// `GET /healthz`: `{"status":"ok"}` once the database answers.
pub async fn health_check(State(state): State<AppState>) -> Result<Json<Value>, AppError> {
    state.store.ping().await?;
    Ok(Json(json!({ "status": "ok" })))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nfd_and_nfc_article_keys_normalize_to_the_same_key() {
        let nfd = "Vie\u{0302}\u{0323}t";
        let nfc = "Việt";
        assert_ne!(nfd, nfc);
        assert_eq!(normalize_article(nfd), Ok(nfc.to_owned()));
        assert_eq!(normalize_article(nfc), Ok(nfc.to_owned()));
    }

    #[test]
    fn value_errors_name_the_scale_and_the_value() {
        let err = check_value(Scale::Stars, 7).expect_err("7 stars");
        assert_eq!(
            err.to_string(),
            "value must be 1..=5 for scale \"stars\", got 7"
        );
    }

    #[test]
    fn reader_hash_depends_on_the_secret() {
        let a = ReaderHasher::new(vec![1; 32]).hash("0123456789abcdef0123456789abcdef");
        let b = ReaderHasher::new(vec![2; 32]).hash("0123456789abcdef0123456789abcdef");
        assert_eq!(a.len(), 64);
        assert_ne!(a, b);
    }
}

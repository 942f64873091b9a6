//! The rating widget's API: the batched read `GET /api/v1/ratings` and the vote
//! `POST /api/v1/votes`, over its own store ([`store::RatingStore`]) and tables.
//!
//! The origin check and the write limit are applied by the router to every write route
//! (`crate::limit::guard_writes`); handlers here only validate and store.

mod postgres;
mod sqlite;
pub mod store;

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use async_trait::async_trait;
use axum::extract::{FromRef, RawQuery, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use bangtin_api::{
    parse_item, valid_reader_id, validate_article, BadArticle, BadItem, BootWidget, CastVote,
    ErrorDetail, ItemError, RatingFirst, RatingKey, RatingOutcome, RatingSummary, Ratings, Scale,
    ITEM_PARAM, MAX_ARTICLE_CHARS, MAX_BATCH, RATINGS_PATH, READER_PARAM, VOTES_PATH,
};
use unicode_normalization::UnicodeNormalization;

use crate::boot::{FirstData, Page};
use crate::db::{Db, StoreError};
use crate::error::{ApiJson, AppError};
use crate::reader::ReaderHasher;
use crate::state::{Mounted, Shared};
use store::RatingStore;

/// What the rating handlers need, and nothing else.
#[derive(Clone, FromRef)]
pub struct RatingState {
    pub store: Arc<dyn RatingStore>,
    pub readers: ReaderHasher,
}

/// Migrates the rating tables and returns the rating's routes and its share of the boot request.
pub async fn mount(shared: &Shared) -> Result<Mounted, StoreError> {
    migrate(&shared.db).await?;
    let state = RatingState {
        store: store::open(&shared.db),
        readers: shared.readers.clone(),
    };
    let router = Router::new()
        .route(RATINGS_PATH, get(ratings_read))
        .route(VOTES_PATH, post(votes_cast))
        .with_state(state.clone());
    Ok(Mounted {
        router,
        first: Arc::new(First(state)),
    })
}

/// The rating's first data in a boot request: each widget's counts, resolved the way the widget
/// resolves its options (a missing or refused `article` means the page's own key; an unknown
/// `scale` means stars), under the item key the widget will look for.
struct First(RatingState);

#[async_trait]
impl FirstData for First {
    fn kind(&self) -> &'static str {
        "rating"
    }

    async fn first(
        &self,
        page: &Page<'_>,
        widgets: &[&BootWidget],
    ) -> Result<Vec<serde_json::Value>, AppError> {
        let mut keys: Vec<RatingKey> = Vec::new();
        let mut resolved = Vec::with_capacity(widgets.len());
        for widget in widgets {
            let scale = widget
                .param("scale")
                .and_then(|s| Scale::parse(s.trim()))
                .unwrap_or(Scale::Stars);
            let article = widget
                .param("article")
                .map(str::trim)
                .filter(|a| validate_article(a).is_ok())
                .or(page.page)
                .unwrap_or_default();
            let slot = match normalize_article(article) {
                Ok(article) => {
                    let key = RatingKey { article, scale };
                    let at = keys.iter().position(|k| *k == key).unwrap_or_else(|| {
                        keys.push(key.clone());
                        keys.len() - 1
                    });
                    Ok((key.item(), at))
                }
                Err(bad) => Err((
                    RatingKey {
                        article: article.to_owned(),
                        scale,
                    }
                    .item(),
                    item_problem(BadItem::Article(bad)),
                )),
            };
            resolved.push(slot);
        }
        let counts = self.0.store.summaries(&keys, page.reader_hash).await?;
        resolved
            .into_iter()
            .map(|slot| {
                let first = match slot {
                    Ok((key, at)) => RatingFirst {
                        key,
                        outcome: RatingOutcome::Counts(counts.get(at).cloned().ok_or_else(
                            || AppError::Storage(StoreError::Corrupt("missing counts".into())),
                        )?),
                    },
                    Err((key, error)) => RatingFirst {
                        key,
                        outcome: RatingOutcome::Failed(ItemError { error }),
                    },
                };
                serde_json::to_value(first)
                    .map_err(|e| AppError::Storage(StoreError::Corrupt(e.to_string())))
            })
            .collect()
    }
}

/// Creates or updates the rating tables (`votes`, `rating_totals`).
pub async fn migrate(db: &Db) -> Result<(), StoreError> {
    db.migrate(
        sqlx::migrate!("src/rating/migrations/sqlite"),
        sqlx::migrate!("src/rating/migrations/postgres"),
    )
    .await
}

/// The rating store of `db` (migrated), for tests that drive it directly.
pub fn open_store(db: &Db) -> Arc<dyn RatingStore> {
    store::open(db)
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
pub fn normalize_article(article: &str) -> Result<String, BadArticle> {
    validate_article(article)?;
    let nfc: String = article.nfc().collect();
    validate_article(&nfc)?;
    Ok(nfc)
}

fn check_reader(reader: &str) -> Result<(), AppError> {
    if valid_reader_id(reader) {
        Ok(())
    } else {
        Err(AppError::invalid(
            "invalid_reader",
            format!(
                "reader must be {} lowercase hex digits",
                bangtin_api::READER_ID_LEN
            ),
        ))
    }
}

fn check_value(scale: Scale, value: u8) -> Result<(), AppError> {
    if scale.accepts(value) {
        Ok(())
    } else {
        Err(AppError::invalid(
            "invalid_value",
            format!(
                "value must be {}..={} for scale \"{}\", got {value}",
                scale.min(),
                scale.max(),
                scale.as_str()
            ),
        ))
    }
}

/// Why one item of a read is refused; the other items are still answered.
fn item_problem(bad: BadItem) -> ErrorDetail {
    match bad {
        BadItem::Scale => ErrorDetail {
            code: "invalid_item".to_owned(),
            message: "item must be SCALE:ARTICLE with SCALE \"stars\" or \"thumbs\"".to_owned(),
        },
        BadItem::Article(bad) => ErrorDetail {
            code: "invalid_article".to_owned(),
            message: article_problem(bad),
        },
    }
}

/// The parsed query of a read: the reader and the items, in order.
fn read_query(query: Option<&str>) -> Result<(Option<String>, Vec<String>), AppError> {
    let mut reader = None;
    let mut items = Vec::new();
    for (name, value) in form_urlencoded::parse(query.unwrap_or_default().as_bytes()) {
        match name.as_ref() {
            READER_PARAM if reader.is_some() => {
                return Err(AppError::InvalidField(
                    "reader must be given once".to_owned(),
                ))
            }
            READER_PARAM => reader = Some(value.into_owned()),
            ITEM_PARAM => items.push(value.into_owned()),
            other => {
                return Err(AppError::InvalidField(format!(
                    "unknown query parameter `{other}`, expected `reader` and `item`"
                )))
            }
        }
    }
    Ok((reader, items))
}

/// `GET /api/v1/ratings?reader=R&item=stars:ARTICLE&item=…`: every item answered by itself, keyed
/// as it was sent: its counts (with the reader's own vote), or the error that concerns it alone.
/// NFC and NFD spellings of one article are one rating.
pub async fn ratings_read(
    State(store): State<Arc<dyn RatingStore>>,
    State(readers): State<ReaderHasher>,
    RawQuery(query): RawQuery,
) -> Result<Response, AppError> {
    let (reader, items) = read_query(query.as_deref())?;
    let reader_hash = match &reader {
        Some(reader) => {
            check_reader(reader)?;
            Some(readers.hash(reader))
        }
        None => None,
    };
    if items.is_empty() {
        return Err(AppError::invalid(
            "invalid_items",
            "give at least one item=SCALE:ARTICLE".to_owned(),
        ));
    }
    if items.len() > MAX_BATCH {
        return Err(AppError::invalid(
            "invalid_items",
            format!("at most {MAX_BATCH} items per request, got {}", items.len()),
        ));
    }
    let mut keys: Vec<RatingKey> = Vec::new();
    let mut positions: HashMap<(String, Scale), usize> = HashMap::new();
    let mut wanted: Vec<(String, Result<usize, ErrorDetail>)> = Vec::with_capacity(items.len());
    for item in items {
        let parsed = parse_item(&item).and_then(|(scale, article)| {
            normalize_article(article)
                .map(|article| (scale, article))
                .map_err(BadItem::Article)
        });
        let slot =
            match parsed {
                Ok((scale, article)) => Ok(*positions
                    .entry((article.clone(), scale))
                    .or_insert_with(|| {
                        keys.push(RatingKey { article, scale });
                        keys.len() - 1
                    })),
                Err(bad) => Err(item_problem(bad)),
            };
        wanted.push((item, slot));
    }
    let counts = store.summaries(&keys, reader_hash.as_deref()).await?;
    let mut ratings = BTreeMap::new();
    for (item, slot) in wanted {
        let outcome = match slot {
            Ok(index) => match counts.get(index) {
                Some(counts) => RatingOutcome::Counts(counts.clone()),
                None => {
                    return Err(AppError::Storage(StoreError::Corrupt(format!(
                        "{} answers for {} ratings",
                        counts.len(),
                        keys.len()
                    ))))
                }
            },
            Err(error) => RatingOutcome::Failed(ItemError { error }),
        };
        ratings.insert(item, outcome);
    }
    let mut response = Json(Ratings { ratings }).into_response();
    // Anonymous counts are the same for everyone: caches may share them for a few seconds.
    // With a reader they carry that reader's vote: only their browser keeps them, revalidated.
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

/// `POST /api/v1/votes`: records (or replaces) the reader's vote and returns the new summary.
pub async fn votes_cast(
    State(store): State<Arc<dyn RatingStore>>,
    State(readers): State<ReaderHasher>,
    ApiJson(vote): ApiJson<CastVote>,
) -> Result<Json<RatingSummary>, AppError> {
    let article = normalize_article(&vote.article)
        .map_err(|bad| AppError::invalid("invalid_article", article_problem(bad)))?;
    check_value(vote.scale, vote.value)?;
    check_reader(&vote.reader)?;
    let reader_hash = readers.hash(&vote.reader);
    // The write runs in its own task: when a reader hangs up, axum drops this handler, and a
    // transaction cut off there can leave the connection inside it (sqlx cannot cancel SQLite's
    // BEGIN safely: launchbadge/sqlx#2054), failing every later vote. A task finishes it.
    let (scale, value) = (vote.scale, vote.value);
    let counts =
        tokio::spawn(async move { store.cast_vote(&article, scale, &reader_hash, value).await })
            .await
            .map_err(|err| AppError::Storage(StoreError::Task(err.to_string())))??;
    Ok(Json(RatingSummary {
        article: vote.article,
        scale,
        count: counts.count,
        sum: counts.sum,
        mine: counts.mine,
    }))
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
    fn the_query_keeps_item_order_and_refuses_strangers() {
        let (reader, items) =
            read_query(Some("reader=abc&item=stars%3A%2Fa&item=thumbs:/b+c")).expect("parses");
        assert_eq!(reader.as_deref(), Some("abc"));
        assert_eq!(items, ["stars:/a", "thumbs:/b c"]);
        assert!(read_query(Some("item=stars:/a&admin=1")).is_err());
        assert!(read_query(Some("reader=a&reader=b")).is_err());
        assert_eq!(read_query(None).expect("empty").1.len(), 0);
    }
}

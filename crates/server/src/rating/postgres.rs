//! The rating store on PostgreSQL: row locks on the totals make votes on one rating take turns.

use async_trait::async_trait;
use bangtin_api::{RatingCounts, RatingKey, Scale};
use sqlx::{Postgres, Transaction};

use super::store::{counts, counts_in_order, Change, RatingStore, SummaryRow};
use crate::db::{now_secs, PgDb, StoreError};

/// How often a vote is tried when PostgreSQL aborts it for a concurrent one (only possible when
/// the server runs at `SERIALIZABLE`/`REPEATABLE READ` isolation, or on a deadlock).
const VOTE_ATTEMPTS: usize = 3;

/// The vote transaction, on one PostgreSQL database.
struct Votes<'a>(&'a PgDb);

impl Votes<'_> {
    /// One attempt of [`RatingStore::cast_vote`]: upsert the vote and adjust the rating's totals in one
    /// transaction, returning `(count, sum)` after it.
    ///
    /// The totals row is locked before the reader's old vote is read: votes on one rating take
    /// turns (even two of the same reader at once), so the old value each one subtracts is the
    /// one it replaces and the totals stay equal to the aggregate of `votes`. Every vote locks
    /// the totals row first and its own vote row second, so votes cannot deadlock each other.
    async fn try_cast_vote(
        &self,
        article: &str,
        scale: Scale,
        reader_hash: &str,
        value: u8,
    ) -> Result<(i64, i64), sqlx::Error> {
        let now = now_secs();
        let mut tx: Transaction<'_, Postgres> = self.0.pool.begin().await?;
        sqlx::query(
            "INSERT INTO rating_totals (article, scale, count, sum) VALUES ($1, $2, 0, 0)
             ON CONFLICT (article, scale) DO NOTHING",
        )
        .bind(article)
        .bind(scale.as_str())
        .execute(&mut *tx)
        .await?;
        let (count, sum): (i64, i64) = sqlx::query_as(
            "SELECT count, sum FROM rating_totals WHERE article = $1 AND scale = $2 FOR UPDATE",
        )
        .bind(article)
        .bind(scale.as_str())
        .fetch_one(&mut *tx)
        .await?;
        let old: Option<i16> = sqlx::query_scalar(
            "SELECT value FROM votes WHERE article = $1 AND scale = $2 AND reader_hash = $3",
        )
        .bind(article)
        .bind(scale.as_str())
        .bind(reader_hash)
        .fetch_optional(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO votes (article, scale, reader_hash, value, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $5)
             ON CONFLICT (article, scale, reader_hash)
             DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
        )
        .bind(article)
        .bind(scale.as_str())
        .bind(reader_hash)
        .bind(i16::from(value))
        .bind(now)
        .execute(&mut *tx)
        .await?;
        let totals = match Change::of(old.map(i64::from), value) {
            Change::None => (count, sum),
            Change::Add { count: dc, sum: ds } => {
                sqlx::query_as(
                    "UPDATE rating_totals SET count = count + $3, sum = sum + $4
                     WHERE article = $1 AND scale = $2 RETURNING count, sum",
                )
                .bind(article)
                .bind(scale.as_str())
                .bind(dc)
                .bind(ds)
                .fetch_one(&mut *tx)
                .await?
            }
        };
        tx.commit().await?;
        Ok(totals)
    }
}

/// Whether PostgreSQL aborted the transaction for a concurrent one: trying again succeeds.
fn is_retryable(err: &sqlx::Error) -> bool {
    // 40001 serialization_failure, 40P01 deadlock_detected.
    matches!(err, sqlx::Error::Database(db) if matches!(db.code().as_deref(), Some("40001" | "40P01")))
}

#[async_trait]
impl RatingStore for PgDb {
    async fn cast_vote(
        &self,
        article: &str,
        scale: Scale,
        reader_hash: &str,
        value: u8,
    ) -> Result<RatingCounts, StoreError> {
        let mut attempt = 1;
        let (count, sum) = loop {
            match Votes(self)
                .try_cast_vote(article, scale, reader_hash, value)
                .await
            {
                Err(err) if attempt < VOTE_ATTEMPTS && is_retryable(&err) => {
                    tracing::debug!(error = %err, attempt, "vote aborted by a concurrent one; retrying");
                    attempt += 1;
                }
                other => break other?,
            }
        };
        counts(count, sum, Some(i64::from(value)))
    }

    async fn summaries(
        &self,
        keys: &[RatingKey],
        reader_hash: Option<&str>,
    ) -> Result<Vec<RatingCounts>, StoreError> {
        if keys.is_empty() {
            return Ok(Vec::new());
        }
        // One statement for the whole batch: the wanted keys as two arrays unnested side by side
        // (numbered in request order), left-joined to their totals and to the reader's vote (each
        // one primary-key lookup). One statement reads one snapshot: totals and `mine` agree.
        let articles: Vec<&str> = keys.iter().map(|key| key.article.as_str()).collect();
        let scales: Vec<&str> = keys.iter().map(|key| key.scale.as_str()).collect();
        let rows: Vec<SummaryRow> = sqlx::query_as(
            "SELECT w.idx, COALESCE(t.count, 0), COALESCE(t.sum, 0), v.value::BIGINT
             FROM UNNEST($1::TEXT[], $2::TEXT[]) WITH ORDINALITY AS w (article, scale, idx)
             LEFT JOIN rating_totals t ON t.article = w.article AND t.scale = w.scale
             LEFT JOIN votes v
               ON v.article = w.article AND v.scale = w.scale AND v.reader_hash = $3
             ORDER BY w.idx",
        )
        .bind(articles)
        .bind(scales)
        .bind(reader_hash)
        .fetch_all(&self.pool)
        .await?;
        counts_in_order(keys, rows)
    }
}

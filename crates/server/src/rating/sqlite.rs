//! The rating store on SQLite: one writer connection, `BEGIN IMMEDIATE`, totals kept in the same
//! transaction as each vote.

use async_trait::async_trait;
use bangtin_api::{RatingCounts, RatingKey, Scale};

use super::store::{counts, counts_in_order, Change, RatingStore, SummaryRow};
use crate::db::{now_secs, SqliteDb, StoreError};

#[async_trait]
impl RatingStore for SqliteDb {
    async fn cast_vote(
        &self,
        article: &str,
        scale: Scale,
        reader_hash: &str,
        value: u8,
    ) -> Result<RatingCounts, StoreError> {
        let now = now_secs();
        // IMMEDIATE takes the write lock up front: the transaction reads the old vote first, and
        // a read transaction cannot always become a write one (another process may have written).
        let mut tx = self.writer.begin_with("BEGIN IMMEDIATE").await?;
        let old: Option<i64> = sqlx::query_scalar(
            "SELECT value FROM votes WHERE article = ?1 AND scale = ?2 AND reader_hash = ?3",
        )
        .bind(article)
        .bind(scale.as_str())
        .bind(reader_hash)
        .fetch_optional(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO votes (article, scale, reader_hash, value, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?5)
             ON CONFLICT (article, scale, reader_hash)
             DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
        )
        .bind(article)
        .bind(scale.as_str())
        .bind(reader_hash)
        .bind(i64::from(value))
        .bind(now)
        .execute(&mut *tx)
        .await?;
        let (count, sum): (i64, i64) = match Change::of(old, value) {
            Change::None => {
                sqlx::query_as(
                    "SELECT count, sum FROM rating_totals WHERE article = ?1 AND scale = ?2",
                )
                .bind(article)
                .bind(scale.as_str())
                .fetch_one(&mut *tx)
                .await?
            }
            Change::Add { count, sum } => {
                // Created, then adjusted: an upsert checks its insert values against the
                // CHECK even when it updates, and a replaced vote may lower the sum.
                sqlx::query(
                    "INSERT INTO rating_totals (article, scale, count, sum) VALUES (?1, ?2, 0, 0)
                     ON CONFLICT (article, scale) DO NOTHING",
                )
                .bind(article)
                .bind(scale.as_str())
                .execute(&mut *tx)
                .await?;
                sqlx::query_as(
                    "UPDATE rating_totals SET count = count + ?3, sum = sum + ?4
                     WHERE article = ?1 AND scale = ?2 RETURNING count, sum",
                )
                .bind(article)
                .bind(scale.as_str())
                .bind(count)
                .bind(sum)
                .fetch_one(&mut *tx)
                .await?
            }
        };
        tx.commit().await?;
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
        // One statement for the whole batch: the wanted keys as a VALUES table, left-joined to
        // their totals and to the reader's vote (each one primary-key lookup). One statement
        // reads one snapshot: totals and `mine` agree.
        let mut sql = String::from("WITH wanted (idx, article, scale) AS (VALUES ");
        for i in 0..keys.len() {
            if i > 0 {
                sql.push_str(", ");
            }
            sql.push_str("(?, ?, ?)");
        }
        sql.push_str(
            ") SELECT w.idx, COALESCE(t.count, 0), COALESCE(t.sum, 0), v.value
               FROM wanted w
               LEFT JOIN rating_totals t ON t.article = w.article AND t.scale = w.scale
               LEFT JOIN votes v
                 ON v.article = w.article AND v.scale = w.scale AND v.reader_hash = ?
               ORDER BY w.idx",
        );
        let mut query = sqlx::query_as::<_, SummaryRow>(&sql);
        for (i, key) in keys.iter().enumerate() {
            let idx = i64::try_from(i).map_err(|_| StoreError::Corrupt("batch".into()))?;
            query = query
                .bind(idx)
                .bind(key.article.as_str())
                .bind(key.scale.as_str());
        }
        let rows = query.bind(reader_hash).fetch_all(&self.readers).await?;
        counts_in_order(keys, rows)
    }
}

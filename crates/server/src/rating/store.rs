//! Where votes live: the [`RatingStore`] trait, implemented for SQLite (`sqlite.rs`) and
//! PostgreSQL (`postgres.rs`). Both behave the same; `tests/rating_store.rs` runs one set of
//! tests against each.

use std::sync::Arc;

use async_trait::async_trait;
use bangtin_api::{RatingCounts, RatingKey, Scale};

use crate::db::{count, Db, StoreError};

/// Votes and their totals. Article keys arrive validated and NFC-normalized; reader ids arrive
/// already hashed (see [`crate::reader::ReaderHasher`]).
#[async_trait]
pub trait RatingStore: Send + Sync {
    /// Records a vote, replacing the same reader's earlier vote on the same rating, and returns
    /// the new counts with `mine` set. The write is committed before this returns.
    async fn cast_vote(
        &self,
        article: &str,
        scale: Scale,
        reader_hash: &str,
        value: u8,
    ) -> Result<RatingCounts, StoreError>;

    /// One answer per key, in the order given (callers pass distinct keys); `mine` is the vote
    /// of `reader_hash`, if any. Unknown ratings have count 0.
    async fn summaries(
        &self,
        keys: &[RatingKey],
        reader_hash: Option<&str>,
    ) -> Result<Vec<RatingCounts>, StoreError>;
}

/// The rating store over `db`.
pub fn open(db: &Db) -> Arc<dyn RatingStore> {
    match db {
        Db::Sqlite(db) => Arc::new(db.clone()),
        Db::Postgres(db) => Arc::new(db.clone()),
    }
}

/// What a vote does to its rating's totals, given the reader's previous vote on it (if any).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Change {
    /// The same value again: the totals stay.
    None,
    /// Add these to the totals' `count` and `sum` (`sum` may go down when a vote is replaced).
    Add { count: i64, sum: i64 },
}

impl Change {
    pub(super) fn of(old: Option<i64>, new: u8) -> Change {
        let new = i64::from(new);
        match old {
            None => Change::Add { count: 1, sum: new },
            Some(old) if old == new => Change::None,
            Some(old) => Change::Add {
                count: 0,
                sum: new - old,
            },
        }
    }
}

/// One row of a batch read, as both backends select it: the key's position in the request,
/// its count and sum, and the asking reader's vote.
pub(super) type SummaryRow = (i64, i64, i64, Option<i64>);

/// Pairs the rows of a batch read (in request order) with the keys they answer.
pub(super) fn counts_in_order(
    keys: &[RatingKey],
    rows: Vec<SummaryRow>,
) -> Result<Vec<RatingCounts>, StoreError> {
    if rows.len() != keys.len() {
        return Err(StoreError::Corrupt(format!(
            "{} summaries for {} keys",
            rows.len(),
            keys.len()
        )));
    }
    rows.into_iter()
        .map(|(_, count, sum, mine)| counts(count, sum, mine))
        .collect()
}

/// Builds the counts from the 64-bit integers both backends return.
pub(super) fn counts(
    count_value: i64,
    sum: i64,
    mine: Option<i64>,
) -> Result<RatingCounts, StoreError> {
    Ok(RatingCounts {
        count: count(count_value, "count")?,
        sum: count(sum, "sum")?,
        mine: mine
            .map(|m| u8::try_from(m).map_err(|_| StoreError::Corrupt("vote out of range".into())))
            .transpose()?,
    })
}

#[cfg(test)]
mod tests {
    use super::Change;

    #[test]
    fn a_first_vote_counts_a_replaced_one_moves_the_sum_and_a_repeated_one_changes_nothing() {
        assert_eq!(Change::of(None, 4), Change::Add { count: 1, sum: 4 });
        assert_eq!(Change::of(None, 0), Change::Add { count: 1, sum: 0 });
        assert_eq!(Change::of(Some(4), 2), Change::Add { count: 0, sum: -2 });
        assert_eq!(Change::of(Some(0), 1), Change::Add { count: 0, sum: 1 });
        assert_eq!(Change::of(Some(3), 3), Change::None);
    }
}

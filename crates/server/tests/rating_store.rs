//! The rating store's contract, straight against each backend (a real SQLite file, a real
//! PostgreSQL database): the HTTP tests in `rating.rs` cover the same through the handlers.
#![allow(clippy::unwrap_used)]

mod common;

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::response::IntoResponse;
use bangtin_api::{RatingCounts, RatingKey, Scale};
use bangtin_server::db::{Db, StoreError, Violation};
use bangtin_server::error::AppError;
use bangtin_server::rating::{self, store::RatingStore};
use common::{on_both_backends, TestDb};

on_both_backends!(
    a_second_vote_replaces_the_first_and_returns_the_new_summary,
    summaries_answer_in_the_order_given_with_mine_and_zero_for_unknown,
    no_keys_give_no_summaries,
    article_keys_are_compared_exactly,
    servers_starting_at_once_all_migrate,
    concurrent_votes_all_count,
    totals_equal_the_votes_after_new_replaced_and_repeated_votes,
    concurrent_votes_on_one_article_keep_the_totals_exact,
    votes_cast_before_the_totals_existed_are_counted_after_upgrading,
    a_value_the_schema_refuses_is_a_client_error_not_a_server_failure,
    ping_answers,
);

const HASH_A: &str = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const HASH_B: &str = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";

async fn open(db: &TestDb) -> Arc<dyn RatingStore> {
    open_url(&db.url).await.unwrap()
}

async fn open_url(url: &str) -> Result<Arc<dyn RatingStore>, StoreError> {
    let db = Db::open(url).await?;
    rating::migrate(&db).await?;
    Ok(rating::open_store(&db))
}

/// `(count, sum, mine)`.
fn cmine(c: &RatingCounts) -> (u64, u64, Option<u8>) {
    (c.count, c.sum, c.mine)
}

fn key(article: &str, scale: Scale) -> RatingKey {
    RatingKey {
        article: article.to_owned(),
        scale,
    }
}

/// Each key with its answer: `(article, scale, count, sum, mine)`.
fn counts<'k>(
    keys: &'k [RatingKey],
    got: &[RatingCounts],
) -> Vec<(&'k str, Scale, u64, u64, Option<u8>)> {
    assert_eq!(keys.len(), got.len(), "one answer per key");
    keys.iter()
        .zip(got)
        .map(|(k, c)| (k.article.as_str(), k.scale, c.count, c.sum, c.mine))
        .collect()
}

async fn a_second_vote_replaces_the_first_and_returns_the_new_summary(db: TestDb) {
    let store = open(&db).await;
    let first = store
        .cast_vote("/a", Scale::Stars, HASH_A, 2)
        .await
        .unwrap();
    assert_eq!(cmine(&first), (1, 2, Some(2)));
    store
        .cast_vote("/a", Scale::Stars, HASH_B, 4)
        .await
        .unwrap();
    let replaced = store
        .cast_vote("/a", Scale::Stars, HASH_A, 5)
        .await
        .unwrap();
    assert_eq!(cmine(&replaced), (2, 9, Some(5)));
    let rows = db.vote_rows().await;
    assert_eq!(rows.len(), 2, "{rows:?}");
}

async fn summaries_answer_in_the_order_given_with_mine_and_zero_for_unknown(db: TestDb) {
    let store = open(&db).await;
    store
        .cast_vote("/a", Scale::Stars, HASH_A, 3)
        .await
        .unwrap();
    store
        .cast_vote("/a", Scale::Stars, HASH_B, 5)
        .await
        .unwrap();
    store
        .cast_vote("/b", Scale::Thumbs, HASH_B, 0)
        .await
        .unwrap();
    store
        .cast_vote("/b", Scale::Thumbs, HASH_A, 1)
        .await
        .unwrap();
    let keys = [
        key("/unknown", Scale::Stars),
        key("/b", Scale::Thumbs),
        key("/a", Scale::Thumbs),
        key("/a", Scale::Stars),
    ];
    let mine = store.summaries(&keys, Some(HASH_B)).await.unwrap();
    assert_eq!(
        counts(&keys, &mine),
        [
            ("/unknown", Scale::Stars, 0, 0, None),
            ("/b", Scale::Thumbs, 2, 1, Some(0)),
            ("/a", Scale::Thumbs, 0, 0, None),
            ("/a", Scale::Stars, 2, 8, Some(5)),
        ]
    );
    let anonymous = store.summaries(&keys, None).await.unwrap();
    assert!(anonymous.iter().all(|s| s.mine.is_none()));
    let stranger = store.summaries(&keys, Some(&"c".repeat(64))).await.unwrap();
    assert!(stranger.iter().all(|s| s.mine.is_none()));

    let many: Vec<RatingKey> = (0..bangtin_api::MAX_BATCH)
        .map(|i| key(&format!("/{}", bangtin_api::MAX_BATCH - i), Scale::Stars))
        .collect();
    store
        .cast_vote("/7", Scale::Stars, HASH_A, 2)
        .await
        .unwrap();
    let answered = store.summaries(&many, None).await.unwrap();
    assert_eq!(answered.len(), many.len());
    let voted: Vec<usize> = answered
        .iter()
        .enumerate()
        .filter(|(_, c)| c.count == 1)
        .map(|(i, _)| i)
        .collect();
    let position_of_7 = many.iter().position(|k| k.article == "/7").unwrap();
    assert_eq!(voted, [position_of_7], "answers come in the order asked");
}

async fn no_keys_give_no_summaries(db: TestDb) {
    let store = open(&db).await;
    assert!(store.summaries(&[], Some(HASH_A)).await.unwrap().is_empty());
}

async fn article_keys_are_compared_exactly(db: TestDb) {
    let store = open(&db).await;
    let long = format!("/{}", "ệ".repeat(bangtin_api::MAX_ARTICLE_CHARS - 1));
    for article in ["/Bài", "/bài", "/bai", &long, "/a'); DROP TABLE votes; --"] {
        let summary = store
            .cast_vote(article, Scale::Stars, HASH_A, 4)
            .await
            .unwrap();
        assert_eq!(summary.count, 1, "{article:?} is a rating of its own");
    }
    let keys = [key("/Bài", Scale::Stars), key(&long, Scale::Stars)];
    let got = store.summaries(&keys, Some(HASH_A)).await.unwrap();
    assert!(got.iter().all(|s| s.count == 1 && s.mine == Some(4)));
    assert_eq!(db.vote_rows().await.len(), 5);
}

async fn servers_starting_at_once_all_migrate(db: TestDb) {
    let opened = open_concurrently(&db, 4).await;
    for (i, store) in opened.iter().enumerate() {
        let value = u8::try_from(i + 1).unwrap();
        store
            .cast_vote("/a", Scale::Stars, &format!("{i:064x}"), value)
            .await
            .unwrap();
    }
    let got = opened[0]
        .summaries(&[key("/a", Scale::Stars)], None)
        .await
        .unwrap();
    assert_eq!(cmine(&got[0]), (4, 10, None));
}

/// Opens (and so migrates) `n` stores on `db` concurrently.
async fn open_concurrently(db: &TestDb, n: usize) -> Vec<Arc<dyn RatingStore>> {
    let tasks: Vec<_> = (0..n)
        .map(|_| {
            let url = db.url.clone();
            tokio::spawn(async move { open_url(&url).await })
        })
        .collect();
    let mut stores = Vec::new();
    for task in tasks {
        stores.push(task.await.unwrap().unwrap());
    }
    stores
}

async fn concurrent_votes_all_count(db: TestDb) {
    let store = open(&db).await;
    let readers = 24;
    let tasks: Vec<_> = (0..readers)
        .map(|i| {
            let store = store.clone();
            tokio::spawn(async move {
                let reader = format!("{i:064x}");
                // Each reader changes their mind once: still one vote each.
                store.cast_vote("/hot", Scale::Stars, &reader, 1).await?;
                store.cast_vote("/hot", Scale::Stars, &reader, 5).await
            })
        })
        .collect();
    for task in tasks {
        task.await.unwrap().unwrap();
    }
    let got = store
        .summaries(&[key("/hot", Scale::Stars)], None)
        .await
        .unwrap();
    assert_eq!(cmine(&got[0]), (readers, 5 * readers, None));
}

/// Checks `rating_totals` against the aggregate of `votes`, row for row.
async fn assert_totals_match_votes(db: &TestDb) {
    let mut aggregate: BTreeMap<(String, String), (i64, i64)> = BTreeMap::new();
    for (article, scale, _reader, value) in db.vote_rows().await {
        let entry = aggregate.entry((article, scale)).or_default();
        entry.0 += 1;
        entry.1 += value;
    }
    let expected: Vec<(String, String, i64, i64)> = aggregate
        .into_iter()
        .map(|((article, scale), (count, sum))| (article, scale, count, sum))
        .collect();
    assert_eq!(db.totals_rows().await, expected);
}

async fn totals_equal_the_votes_after_new_replaced_and_repeated_votes(db: TestDb) {
    let store = open(&db).await;
    let steps = [
        ("/a", Scale::Stars, HASH_A, 3, (1, 3)),
        ("/a", Scale::Stars, HASH_B, 5, (2, 8)),
        // Replaced: down, then up.
        ("/a", Scale::Stars, HASH_A, 1, (2, 6)),
        ("/a", Scale::Stars, HASH_A, 4, (2, 9)),
        // The same value again changes nothing.
        ("/a", Scale::Stars, HASH_B, 5, (2, 9)),
        ("/a", Scale::Thumbs, HASH_A, 0, (1, 0)),
        ("/a", Scale::Thumbs, HASH_B, 1, (2, 1)),
        ("/a", Scale::Thumbs, HASH_A, 1, (2, 2)),
        ("/b", Scale::Thumbs, HASH_A, 0, (1, 0)),
    ];
    for (article, scale, reader, value, (count, sum)) in steps {
        let cast = store
            .cast_vote(article, scale, reader, value)
            .await
            .unwrap();
        assert_eq!(
            cmine(&cast),
            (count, sum, Some(value)),
            "after {reader} voted {value} on {article} {scale:?}"
        );
        let read = store
            .summaries(&[key(article, scale)], Some(reader))
            .await
            .unwrap();
        assert_eq!(cmine(&read[0]), (count, sum, Some(value)));
        assert_totals_match_votes(&db).await;
    }
    // A vote the schema refuses leaves the totals as they were.
    store
        .cast_vote("/c", Scale::Thumbs, HASH_A, 7)
        .await
        .expect_err("7 thumbs");
    store
        .cast_vote("/b", Scale::Thumbs, HASH_A, 7)
        .await
        .expect_err("7 thumbs");
    assert_totals_match_votes(&db).await;
    assert_eq!(db.totals_rows().await.len(), 3);
}

async fn concurrent_votes_on_one_article_keep_the_totals_exact(db: TestDb) {
    let store = open(&db).await;
    let readers: u8 = 12;
    let mut tasks = Vec::new();
    for i in 0..readers {
        let reader = format!("{i:064x}");
        // Every third reader votes once; the others send two different votes at the same time.
        let values: &[u8] = if i % 3 == 0 { &[4] } else { &[1, 5] };
        for &value in values {
            let store = store.clone();
            let reader = reader.clone();
            tasks.push(tokio::spawn(async move {
                store.cast_vote("/hot", Scale::Stars, &reader, value).await
            }));
        }
    }
    for task in tasks {
        task.await.unwrap().unwrap();
    }
    assert_totals_match_votes(&db).await;
    let got = store
        .summaries(&[key("/hot", Scale::Stars)], None)
        .await
        .unwrap();
    assert_eq!(got[0].count, u64::from(readers));
    let rows = db.vote_rows().await;
    let sum: i64 = rows.iter().map(|row| row.3).sum();
    assert_eq!(got[0].sum, u64::try_from(sum).unwrap());
}

async fn votes_cast_before_the_totals_existed_are_counted_after_upgrading(db: TestDb) {
    db.with_only_the_first_migration(&format!(
        "INSERT INTO votes (article, scale, reader_hash, value, created_at, updated_at) VALUES
           ('/a', 'stars', '{HASH_A}', 2, 1, 1),
           ('/a', 'stars', '{HASH_B}', 5, 1, 1),
           ('/a', 'thumbs', '{HASH_A}', 1, 1, 1),
           ('/a', 'thumbs', '{HASH_B}', 0, 1, 1),
           ('/a', 'thumbs', '{}', 0, 1, 1),
           ('/b', 'stars', '{HASH_B}', 3, 1, 1)",
        "c".repeat(64)
    ))
    .await;
    let store = open(&db).await;
    assert_totals_match_votes(&db).await;
    let keys = [
        key("/a", Scale::Stars),
        key("/a", Scale::Thumbs),
        key("/b", Scale::Stars),
        key("/c", Scale::Stars),
    ];
    let got = store.summaries(&keys, Some(HASH_A)).await.unwrap();
    assert_eq!(
        counts(&keys, &got),
        [
            ("/a", Scale::Stars, 2, 7, Some(2)),
            ("/a", Scale::Thumbs, 3, 1, Some(1)),
            ("/b", Scale::Stars, 1, 3, None),
            ("/c", Scale::Stars, 0, 0, None),
        ]
    );
    // Votes after the upgrade build on the copied totals.
    let replaced = store
        .cast_vote("/a", Scale::Stars, HASH_A, 4)
        .await
        .unwrap();
    assert_eq!(cmine(&replaced), (2, 9, Some(4)));
    let added = store
        .cast_vote("/b", Scale::Stars, HASH_A, 5)
        .await
        .unwrap();
    assert_eq!(cmine(&added), (2, 8, Some(5)));
    assert_totals_match_votes(&db).await;
}

/// An in-memory database keeps one connection for reads and writes: what is written is read.
#[tokio::test]
async fn an_in_memory_database_reads_its_own_votes() {
    let store = open_url("sqlite::memory:").await.unwrap();
    store
        .cast_vote("/a", Scale::Stars, HASH_A, 2)
        .await
        .unwrap();
    store
        .cast_vote("/a", Scale::Stars, HASH_B, 4)
        .await
        .unwrap();
    let got = store
        .summaries(&[key("/a", Scale::Stars)], Some(HASH_B))
        .await
        .unwrap();
    assert_eq!(cmine(&got[0]), (2, 6, Some(4)));
}

async fn a_value_the_schema_refuses_is_a_client_error_not_a_server_failure(db: TestDb) {
    let store = open(&db).await;
    // The handlers never pass this; the schema refuses it anyway.
    let err = store
        .cast_vote("/a", Scale::Thumbs, HASH_A, 7)
        .await
        .expect_err("7 thumbs");
    assert!(
        matches!(
            err,
            StoreError::Refused {
                kind: Violation::Check,
                ..
            }
        ),
        "{err:?}"
    );
    let response = AppError::from(err).into_response();
    assert_eq!(response.status(), 422);
    assert!(db.vote_rows().await.is_empty());
}

async fn ping_answers(db: TestDb) {
    Db::open(&db.url).await.unwrap().ping().await.unwrap();
}

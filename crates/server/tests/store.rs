//! The `Store` contract, straight against each backend (a real SQLite file, a real PostgreSQL
//! database): the HTTP tests cover the same through the handlers.
#![allow(clippy::unwrap_used)]

mod common;

use std::sync::Arc;

use axum::response::IntoResponse;
use bangtin_api::{RatingKey, RatingSummary, Scale};
use bangtin_server::error::AppError;
use bangtin_server::store::{self, Store, StoreError, Violation};
use common::{on_both_backends, TestDb};

on_both_backends!(
    a_second_vote_replaces_the_first_and_returns_the_new_summary,
    summaries_answer_in_the_order_given_with_mine_and_zero_for_unknown,
    no_keys_give_no_summaries,
    article_keys_are_compared_exactly,
    the_secret_is_created_once_and_kept_across_reopening,
    stores_opening_at_once_agree_on_one_secret,
    concurrent_votes_all_count,
    a_value_the_schema_refuses_is_a_client_error_not_a_server_failure,
    ping_answers,
);

const HASH_A: &str = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const HASH_B: &str = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";

async fn open(db: &TestDb) -> Arc<dyn Store> {
    store::open(&db.url).await.unwrap()
}

fn key(article: &str, scale: Scale) -> RatingKey {
    RatingKey {
        article: article.to_owned(),
        scale,
    }
}

fn counts(summaries: &[RatingSummary]) -> Vec<(&str, Scale, u64, u64, Option<u8>)> {
    summaries
        .iter()
        .map(|s| (s.article.as_str(), s.scale, s.count, s.sum, s.mine))
        .collect()
}

async fn a_second_vote_replaces_the_first_and_returns_the_new_summary(db: TestDb) {
    let store = open(&db).await;
    let first = store
        .cast_vote("/a", Scale::Stars, HASH_A, 2)
        .await
        .unwrap();
    assert_eq!(counts(&[first]), [("/a", Scale::Stars, 1, 2, Some(2))]);
    store
        .cast_vote("/a", Scale::Stars, HASH_B, 4)
        .await
        .unwrap();
    let replaced = store
        .cast_vote("/a", Scale::Stars, HASH_A, 5)
        .await
        .unwrap();
    assert_eq!(counts(&[replaced]), [("/a", Scale::Stars, 2, 9, Some(5))]);
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
        counts(&mine),
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
    let answered = store.summaries(&many, None).await.unwrap();
    let articles: Vec<&str> = answered.iter().map(|s| s.article.as_str()).collect();
    let asked: Vec<&str> = many.iter().map(|k| k.article.as_str()).collect();
    assert_eq!(articles, asked);
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
    assert_eq!(got[0].article, "/Bài");
    assert_eq!(got[1].article, long);
    assert!(got.iter().all(|s| s.count == 1 && s.mine == Some(4)));
    assert_eq!(db.vote_rows().await.len(), 5);
}

async fn the_secret_is_created_once_and_kept_across_reopening(db: TestDb) {
    let first = open(&db).await;
    let secret = first.secret().await.unwrap();
    assert_eq!(secret.len(), 32);
    assert_ne!(secret, vec![0; 32]);
    assert_eq!(first.secret().await.unwrap(), secret);
    drop(first);
    assert_eq!(open(&db).await.secret().await.unwrap(), secret);
}

async fn stores_opening_at_once_agree_on_one_secret(db: TestDb) {
    let opened = open_concurrently(&db, 4).await;
    let secrets: Vec<Vec<u8>> = {
        let mut secrets = Vec::new();
        for store in &opened {
            secrets.push(store.secret().await.unwrap());
        }
        secrets
    };
    assert!(secrets.windows(2).all(|w| w[0] == w[1]), "{secrets:?}");
}

/// Opens (and so migrates) `n` stores on `db` concurrently.
async fn open_concurrently(db: &TestDb, n: usize) -> Vec<Arc<dyn Store>> {
    let tasks: Vec<_> = (0..n)
        .map(|_| {
            let url = db.url.clone();
            tokio::spawn(async move { store::open(&url).await })
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
    assert_eq!(
        counts(&got),
        [("/hot", Scale::Stars, readers, 5 * readers, None)]
    );
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
    open(&db).await.ping().await.unwrap();
}

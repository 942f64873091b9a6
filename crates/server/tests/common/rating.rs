//! The rating's cases for the hostile-world tests: its vote as a [`WriteScenario`] (kill and
//! shutdown tests) and its endpoints for the randomized HTTP test.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use async_trait::async_trait;
use axum::http::Method;
use bangtin_api::{
    Boot, BootWidget, CastVote, GetRatings, RatingKey, RatingSummary, Scale, BOOT_PATH, MAX_BATCH,
    RATINGS_PATH, VOTES_PATH,
};
use bangtin_server::rating::normalize_article;
use bangtin_server::reader::ReaderHasher;

use super::harness::{HttpReply, RawRequest, WriteScenario};
use super::random::{Endpoint, Gen, Valid};
use super::{TestDb, SECRET};

/// The rating's write: the i-th vote is by a reader of its own, on one of a few articles (some
/// spelled in NFD), on either scale.
pub struct Votes;

impl Votes {
    pub fn vote(i: u64) -> CastVote {
        let scale = if i % 2 == 0 {
            Scale::Stars
        } else {
            Scale::Thumbs
        };
        let value = match scale {
            Scale::Stars => u8::try_from(i / 2 % 5).unwrap() + 1,
            Scale::Thumbs => u8::try_from(i / 2 % 2).unwrap(),
        };
        // Decomposed on purpose: the server stores and counts it under its NFC form.
        let article = if i % 3 == 0 {
            format!("/tin/Vie\u{0302}\u{0323}t-{}", i % 7)
        } else {
            format!("/tin/bai-{}", i % 7)
        };
        CastVote {
            article,
            scale,
            value,
            reader: format!("{:032x}", 0xbad0_0000_u64 + i),
        }
    }
}

#[async_trait]
impl WriteScenario for Votes {
    fn name(&self) -> &'static str {
        "rating"
    }

    fn write(&self, i: u64) -> RawRequest {
        RawRequest::post_json(VOTES_PATH, &serde_json::to_value(Votes::vote(i)).unwrap())
    }

    fn acknowledged(&self, i: u64, reply: &HttpReply) -> bool {
        let vote = Votes::vote(i);
        (200..300).contains(&reply.status)
            && serde_json::from_slice::<RatingSummary>(&reply.body).is_ok_and(|summary| {
                summary.article == vote.article
                    && summary.scale == vote.scale
                    && summary.mine == Some(vote.value)
                    && summary.count >= 1
            })
    }

    async fn verify(&self, db: &TestDb, sent: u64, acknowledged: &BTreeSet<u64>) -> u64 {
        let hasher = ReaderHasher::new(SECRET).unwrap();
        let rows = db.vote_rows().await;
        let stored: HashMap<(String, String, String), i64> = rows
            .iter()
            .map(|(a, s, r, v)| ((a.clone(), s.clone(), r.clone()), *v))
            .collect();
        let key = |vote: &CastVote| {
            (
                normalize_article(&vote.article).unwrap(),
                vote.scale.as_str().to_owned(),
                hasher.hash(&vote.reader),
            )
        };
        for &i in acknowledged {
            let vote = Votes::vote(i);
            assert_eq!(
                stored.get(&key(&vote)),
                Some(&i64::from(vote.value)),
                "acknowledged vote {i} ({vote:?}) is not stored as sent"
            );
        }
        let mut ours = 0;
        for i in 0..sent {
            let vote = Votes::vote(i);
            if let Some(&value) = stored.get(&key(&vote)) {
                assert_eq!(
                    value,
                    i64::from(vote.value),
                    "vote {i} stored with another value"
                );
                ours += 1;
            }
        }
        assert_totals_match_votes(db).await;
        ours
    }
}

/// `rating_totals` is exactly `COUNT(*), SUM(value)` of `votes` per rating: no vote is counted
/// without its row, no row without its count.
pub async fn assert_totals_match_votes(db: &TestDb) {
    let mut expected: BTreeMap<(String, String), (i64, i64)> = BTreeMap::new();
    for (article, scale, _, value) in db.vote_rows().await {
        let entry = expected.entry((article, scale)).or_default();
        entry.0 += 1;
        entry.1 += value;
    }
    let totals: BTreeMap<(String, String), (i64, i64)> = db
        .totals_rows()
        .await
        .into_iter()
        .map(|(article, scale, count, sum)| ((article, scale), (count, sum)))
        .collect();
    assert_eq!(totals, expected, "rating_totals against votes");
}

/// The rating's routes for the randomized HTTP test, each with requests as the widget (or the
/// loader) sends them; odd but valid article keys included.
pub fn endpoints() -> Vec<Endpoint> {
    vec![
        Endpoint {
            name: "boot",
            method: Method::GET,
            path: BOOT_PATH,
            valid: valid_boot,
        },
        Endpoint {
            name: "ratings",
            method: Method::GET,
            path: RATINGS_PATH,
            valid: valid_ratings,
        },
        Endpoint {
            name: "votes",
            method: Method::POST,
            path: VOTES_PATH,
            valid: valid_vote,
        },
    ]
}

fn scale(g: &mut Gen) -> Scale {
    *g.pick(&Scale::ALL)
}

/// A boot request: widget attributes may be anything (a refused one fails only its widget).
fn valid_boot(g: &mut Gen) -> Valid {
    let widgets = (0..g.between(1, 6))
        .map(|_| {
            let mut params = Vec::new();
            if g.chance(0.6) {
                let article = if g.chance(0.7) {
                    g.article()
                } else {
                    g.odd_text()
                };
                params.push(("article".to_owned(), article));
            }
            if g.chance(0.6) {
                let scale = if g.chance(0.8) {
                    scale(g).as_str().to_owned()
                } else {
                    g.odd_text()
                };
                params.push(("scale".to_owned(), scale));
            }
            let kind = if g.chance(0.9) { "rating" } else { "nope" };
            BootWidget {
                kind: kind.to_owned(),
                params,
            }
        })
        .collect();
    let boot = Boot {
        page: g.chance(0.8).then(|| {
            if g.chance(0.8) {
                g.article()
            } else {
                g.odd_text()
            }
        }),
        reader: g.chance(0.5).then(|| g.reader()),
        widgets,
    };
    Valid::query(boot.query())
}

/// A rating read: items may be anything (a refused one fails alone).
fn valid_ratings(g: &mut Gen) -> Valid {
    let count = if g.chance(0.1) {
        MAX_BATCH
    } else {
        g.between(1, 8)
    };
    let items = (0..count)
        .map(|_| RatingKey {
            article: if g.chance(0.85) {
                g.article()
            } else {
                g.odd_text()
            },
            scale: scale(g),
        })
        .collect();
    let read = GetRatings {
        reader: g.chance(0.5).then(|| g.reader()),
        items,
    };
    Valid::query(read.query())
}

fn valid_vote(g: &mut Gen) -> Valid {
    let scale = scale(g);
    let vote = CastVote {
        article: g.article(),
        scale,
        value: u8::try_from(g.between(usize::from(scale.min()), usize::from(scale.max()) + 1))
            .unwrap(),
        reader: g.reader(),
    };
    Valid::json(serde_json::to_value(vote).unwrap())
}

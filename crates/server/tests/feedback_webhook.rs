//! The webhook for new pending feedback (issue 8), against local receivers on loopback, on both
//! backends: one POST per pending item (none for spam, never an email), retried with doubling
//! delays until a 2xx, given up after the last attempt, and never in the reader's way.
#![allow(clippy::unwrap_used)]

mod common;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::post;
use axum::Router;
use bangtin_server::feedback::webhook::WebhookOptions;
use common::feedback::*;
use common::*;

on_both_backends!(
    each_pending_item_is_announced_once_without_its_email,
    a_failing_receiver_is_retried_with_doubling_delays_until_it_answers_2xx,
    a_hanging_receiver_never_delays_the_reader_and_is_given_up_after_the_last_attempt,
);

/// What a receiver saw: when each POST came, and its body.
#[derive(Clone, Default)]
struct Seen(Arc<Mutex<Vec<(Instant, serde_json::Value)>>>);

impl Seen {
    fn all(&self) -> Vec<(Instant, serde_json::Value)> {
        self.0.lock().unwrap().clone()
    }

    async fn wait_for(&self, count: usize, within: Duration) -> Vec<(Instant, serde_json::Value)> {
        let deadline = Instant::now() + within;
        while self.all().len() < count {
            assert!(
                Instant::now() < deadline,
                "only {} of {count} POSTs within {within:?}",
                self.all().len()
            );
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        self.all()
    }
}

/// A receiver on a free loopback port that fails the first `failures` POSTs with 503, or
/// never answers when `hang` is set. Returns its URL.
async fn receiver(seen: Seen, failures: usize, hang: bool) -> String {
    async fn hook(
        State((seen, failures, hang)): State<(Seen, usize, bool)>,
        body: Bytes,
    ) -> StatusCode {
        let count = {
            let mut all = seen.0.lock().unwrap();
            all.push((Instant::now(), serde_json::from_slice(&body).unwrap()));
            all.len()
        };
        if hang {
            tokio::time::sleep(Duration::from_secs(3600)).await;
        }
        if count <= failures {
            StatusCode::SERVICE_UNAVAILABLE
        } else {
            StatusCode::NO_CONTENT
        }
    }
    let app = Router::new()
        .route("/hook", post(hook))
        .with_state((seen, failures, hang));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    format!("http://{addr}/hook")
}

fn options(url: &str, first_delay_ms: u64, attempts: u32, timeout_ms: u64) -> WebhookOptions {
    let mut options = WebhookOptions::new(url).unwrap();
    options.first_delay = Duration::from_millis(first_delay_ms);
    options.attempts = attempts;
    options.timeout = Duration::from_millis(timeout_ms);
    options
}

async fn outbox(db: &TestDb) -> Vec<(String, String, i64)> {
    rows(
        db,
        "SELECT feedback_id, state, attempts FROM feedback_webhook_outbox ORDER BY id",
    )
    .await
}

async fn each_pending_item_is_announced_once_without_its_email(db: TestDb) {
    let seen = Seen::default();
    let url = receiver(seen.clone(), 0, false).await;
    let t = app_on(db, |c| {
        c.feedback.webhook = Some(options(&url, 50, 8, 2000));
        c.feedback.public_url = Some("https://bangtin.example".into());
    })
    .await;
    let mut body = send_body(&key(1), "/a", "An", "Một ý kiến cần duyệt.", READER_A);
    body.email = Some("an@bao.vn".into());
    submit(&t.app, &body).await;
    submit(&t.app, &body).await; // a repeat announces nothing new
    let mut spam = send_body(&key(2), "/a", "Bot", "Quảng cáo quảng cáo!", READER_B);
    spam.website = "x".into();
    submit(&t.app, &spam).await;
    let posts = seen.wait_for(1, Duration::from_secs(10)).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(seen.all().len(), 1, "one POST, for the pending item only");
    let payload = &posts[0].1;
    assert_eq!(payload["event"], "feedback.pending");
    assert_eq!(payload["id"], key(1));
    assert_eq!(payload["article"], "/a");
    assert_eq!(payload["name"], "An");
    assert_eq!(payload["message"], "Một ý kiến cần duyệt.");
    assert_eq!(payload["admin_url"], "https://bangtin.example/admin");
    assert!(payload["created_at"].as_i64().unwrap() > 1_700_000_000_000);
    assert!(!payload.to_string().contains('@'), "no email: {payload}");
    assert_eq!(outbox(&t.db).await, [(key(1), "delivered".into(), 1)]);
}

async fn a_failing_receiver_is_retried_with_doubling_delays_until_it_answers_2xx(db: TestDb) {
    let seen = Seen::default();
    let url = receiver(seen.clone(), 3, false).await;
    let t = app_on(db, |c| {
        c.feedback.webhook = Some(options(&url, 100, 8, 2000))
    })
    .await;
    submit(
        &t.app,
        &send_body(&key(1), "/a", "An", "Một ý kiến cần duyệt.", READER_A),
    )
    .await;
    let posts = seen.wait_for(4, Duration::from_secs(15)).await;
    let gaps: Vec<u128> = posts
        .windows(2)
        .map(|w| (w[1].0 - w[0].0).as_millis())
        .collect();
    eprintln!("webhook retry gaps (first delay 100 ms, 3 failures): {gaps:?} ms");
    for (gap, expected) in gaps.iter().zip([100u128, 200, 400]) {
        assert!(*gap >= expected && *gap < expected + 400, "gaps {gaps:?}");
    }
    assert!(posts.iter().all(|(_, p)| p["id"] == key(1)));
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(seen.all().len(), 4, "no POST after the 2xx");
    assert_eq!(outbox(&t.db).await, [(key(1), "delivered".into(), 4)]);
}

async fn a_hanging_receiver_never_delays_the_reader_and_is_given_up_after_the_last_attempt(
    db: TestDb,
) {
    let seen = Seen::default();
    let url = receiver(seen.clone(), 0, true).await;
    // Each attempt waits a whole second for the hanging receiver: a submit that waited for even
    // one attempt would take over 1,050 ms, so the 800 ms bound below leaves a busy machine room
    // without letting a waiting submit through.
    let t = app_on(db, |c| {
        c.feedback.webhook = Some(options(&url, 50, 2, 1000))
    })
    .await;
    let mut slowest = Duration::ZERO;
    for i in 0..3 {
        let started = Instant::now();
        let reply = submit(
            &t.app,
            &send_body(
                &key(i),
                "/a",
                "An",
                &format!("Ý kiến số {i} cần duyệt."),
                &reader(i),
            ),
        )
        .await;
        slowest = slowest.max(started.elapsed());
        assert_eq!(reply.status, StatusCode::CREATED);
    }
    eprintln!(
        "submits answered within {} ms while the receiver hangs",
        slowest.as_millis()
    );
    assert!(
        slowest < Duration::from_millis(800),
        "the reader waited {slowest:?}"
    );
    // 3 items × 2 attempts of 1 s each, then failed for good.
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let rows = outbox(&t.db).await;
        if rows.len() == 3 && rows.iter().all(|(_, state, _)| state == "failed") {
            assert!(
                rows.iter().all(|(_, _, attempts)| *attempts == 2),
                "{rows:?}"
            );
            break;
        }
        assert!(Instant::now() < deadline, "not given up in time: {rows:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(seen.all().len(), 6);
}

//! The randomized HTTP test (issue 7): thousands of generated requests, in-process, to every
//! endpoint of every widget (`common::endpoints`), on each backend. See `common/random.rs` for
//! what is generated and required.
#![allow(clippy::unwrap_used)]

mod common;

use std::collections::BTreeSet;
use std::time::Instant;

use common::harness::HttpReply;
use common::random::random_requests;
use common::*;

on_both_backends!(random_requests_never_get_a_5xx_and_every_4xx_says_why_in_json);

/// Requests per backend.
const REQUESTS: usize = 3_000;

async fn random_requests_never_get_a_5xx_and_every_4xx_says_why_in_json(db: TestDb) {
    let backend = if db.is_postgres() {
        "postgres"
    } else {
        "sqlite"
    };
    // The peer of every request (192.0.2.77) is a trusted proxy, so X-Forwarded-For is read.
    let t = app_on(db, |c| c.trusted_proxies = vec!["192.0.2.0/24".into()]).await;
    let seed = std::env::var("BANGTIN_TEST_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(rand::random);
    let started = Instant::now();
    let report = random_requests(&t.app, &endpoints(), REQUESTS, seed).await;
    eprintln!(
        "random HTTP ({backend}, seed {seed}, replay with BANGTIN_TEST_SEED={seed}): {} requests \
         sent, {} answered 5xx, {} broke a requirement, in {:.1} s; by status: {:?}",
        report.sent,
        report.server_errors,
        report.failed,
        started.elapsed().as_secs_f64(),
        report.statuses
    );
    assert_eq!(report.sent, REQUESTS);
    assert!(
        report.failures.is_empty(),
        "{} failures, the first ones:\n{}",
        report.failed,
        report.failures.join("\n")
    );
    assert_eq!(report.server_errors, 0);
    // The generator reaches every kind of answer, or it proves little.
    for status in [200, 400, 403, 404, 405, 413, 415, 422] {
        assert!(
            report.statuses.contains_key(&status),
            "no {status} among {:?}",
            report.statuses
        );
    }
    // Afterwards the server still takes each widget's write, stores it, and its totals agree.
    for scenario in write_scenarios() {
        let request = scenario.write(0).to_request().unwrap();
        let reply = send(&t.app, request).await;
        let reply = HttpReply {
            status: reply.status.as_u16(),
            headers: Vec::new(),
            body: reply.body.to_vec(),
        };
        assert!(
            scenario.acknowledged(0, &reply),
            "{}: {} {}",
            scenario.name(),
            reply.status,
            String::from_utf8_lossy(&reply.body)
        );
        let stored = scenario.verify(&t.db, 1, &BTreeSet::from([0])).await;
        assert_eq!(stored, 1, "{}", scenario.name());
    }
}

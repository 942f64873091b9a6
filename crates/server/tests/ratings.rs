//! The rating API end to end, over a real SQLite file and a real PostgreSQL database.
#![allow(clippy::unwrap_used)]

mod common;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use bangtin_api::{
    RatingSummaries, RatingSummary, Scale, MAX_BATCH, RATINGS_SUMMARY_PATH, VOTES_PATH,
};
use common::*;
use serde_json::json;

on_both_backends!(
    vote_then_summary_shows_count_sum_and_mine,
    second_vote_from_same_reader_replaces_first,
    votes_from_two_readers_add_up,
    thumbs_and_stars_on_one_article_are_separate_ratings,
    batch_summary_answers_each_distinct_key_once_in_request_order,
    nfd_and_nfc_spellings_of_an_article_are_the_same_rating,
    bad_requests_are_refused_and_store_nothing,
    error_messages_name_the_problem,
    votes_from_a_foreign_origin_are_forbidden_without_cors_headers,
    configured_and_own_origins_get_cors_headers,
    votes_over_the_rate_limit_get_429_with_retry_after,
    forwarded_for_is_the_client_only_when_trusted,
    unknown_api_routes_and_wrong_methods_answer_json,
    healthz_reports_ok,
    reader_ids_and_ips_never_reach_the_database,
    reader_hashes_survive_a_restart,
    readers_who_hang_up_mid_vote_do_not_break_later_votes,
);

fn summary(reply: &Reply) -> RatingSummary {
    serde_json::from_slice(&reply.body).unwrap()
}

fn batch(reply: &Reply) -> RatingSummaries {
    serde_json::from_slice(&reply.body).unwrap()
}

async fn vote_then_summary_shows_count_sum_and_mine(db: TestDb) {
    let t = app_on(db, |_| {}).await;
    let reply = vote(&t.app, "/bai-1", "stars", 4, READER_A).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(
        summary(&reply),
        RatingSummary {
            article: "/bai-1".into(),
            scale: Scale::Stars,
            count: 1,
            sum: 4,
            mine: Some(4)
        }
    );
    let reply = summaries(
        &t.app,
        json!({"reader": READER_A, "items": [{"article": "/bai-1", "scale": "stars"}]}),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(
        batch(&reply).summaries,
        vec![summary_of("/bai-1", 1, 4, Some(4))]
    );

    let anonymous = summaries(
        &t.app,
        json!({"items": [{"article": "/bai-1", "scale": "stars"}]}),
    )
    .await;
    assert_eq!(
        batch(&anonymous).summaries,
        vec![summary_of("/bai-1", 1, 4, None)]
    );
}

fn summary_of(article: &str, count: u64, sum: u64, mine: Option<u8>) -> RatingSummary {
    RatingSummary {
        article: article.into(),
        scale: Scale::Stars,
        count,
        sum,
        mine,
    }
}

async fn second_vote_from_same_reader_replaces_first(db: TestDb) {
    let t = app_on(db, |_| {}).await;
    vote(&t.app, "/bai-1", "stars", 2, READER_A).await;
    let reply = vote(&t.app, "/bai-1", "stars", 5, READER_A).await;
    assert_eq!(summary(&reply), summary_of("/bai-1", 1, 5, Some(5)));
    assert_eq!(t.db.vote_rows().await.len(), 1);
}

async fn votes_from_two_readers_add_up(db: TestDb) {
    let t = app_on(db, |_| {}).await;
    vote(&t.app, "/bai-1", "stars", 2, READER_A).await;
    let reply = vote(&t.app, "/bai-1", "stars", 5, READER_B).await;
    assert_eq!(summary(&reply), summary_of("/bai-1", 2, 7, Some(5)));
    let reply = summaries(
        &t.app,
        json!({"reader": READER_A, "items": [{"article": "/bai-1", "scale": "stars"}]}),
    )
    .await;
    assert_eq!(
        batch(&reply).summaries,
        vec![summary_of("/bai-1", 2, 7, Some(2))]
    );
}

async fn thumbs_and_stars_on_one_article_are_separate_ratings(db: TestDb) {
    let t = app_on(db, |_| {}).await;
    vote(&t.app, "/bai-1", "stars", 3, READER_A).await;
    let reply = vote(&t.app, "/bai-1", "thumbs", 0, READER_A).await;
    let s = summary(&reply);
    assert_eq!(
        (s.scale, s.count, s.sum, s.mine),
        (Scale::Thumbs, 1, 0, Some(0))
    );
}

async fn batch_summary_answers_each_distinct_key_once_in_request_order(db: TestDb) {
    let t = app_on(db, |_| {}).await;
    vote(&t.app, "/a", "stars", 5, READER_A).await;
    vote(&t.app, "/b", "thumbs", 1, READER_B).await;
    let mut items: Vec<_> = (0..90)
        .map(|i| json!({"article": format!("/unknown-{i}"), "scale": "stars"}))
        .collect();
    items.insert(3, json!({"article": "/a", "scale": "stars"}));
    items.push(json!({"article": "/b", "scale": "thumbs"}));
    items.push(json!({"article": "/a", "scale": "stars"}));
    items.push(json!({"article": "/unknown-0", "scale": "stars"}));
    items.push(json!({"article": "/a", "scale": "thumbs"}));
    assert!(items.len() <= MAX_BATCH);
    let reply = summaries(&t.app, json!({"reader": READER_B, "items": items})).await;
    assert_eq!(reply.status, StatusCode::OK);
    let got = batch(&reply).summaries;
    assert_eq!(got.len(), 90 + 3, "duplicates answered once");
    assert_eq!(got[0].article, "/unknown-0");
    assert_eq!((got[0].count, got[0].sum, got[0].mine), (0, 0, None));
    assert_eq!(got[3], summary_of("/a", 1, 5, None));
    let b = &got[91];
    assert_eq!(
        (b.article.as_str(), b.scale, b.count, b.sum, b.mine),
        ("/b", Scale::Thumbs, 1, 1, Some(1))
    );
    let a_thumbs = &got[92];
    assert_eq!(
        (a_thumbs.article.as_str(), a_thumbs.scale, a_thumbs.count),
        ("/a", Scale::Thumbs, 0)
    );
}

async fn nfd_and_nfc_spellings_of_an_article_are_the_same_rating(db: TestDb) {
    let t = app_on(db, |_| {}).await;
    let nfc = "/tin/Việt-Nam";
    let nfd = "/tin/Vie\u{0302}\u{0323}t-Nam";
    assert_ne!(nfc, nfd);
    vote(&t.app, nfd, "stars", 4, READER_A).await;
    let reply = vote(&t.app, nfc, "stars", 2, READER_B).await;
    assert_eq!(summary(&reply), summary_of(nfc, 2, 6, Some(2)));
    let reply = summaries(
        &t.app,
        json!({"reader": READER_A, "items": [{"article": nfc, "scale": "stars"}, {"article": nfd, "scale": "stars"}]}),
    )
    .await;
    assert_eq!(
        batch(&reply).summaries,
        vec![summary_of(nfc, 2, 6, Some(4))]
    );
    let rows = t.db.vote_rows().await;
    assert!(
        rows.iter().all(|row| row.0 == nfc),
        "stored in NFC: {rows:?}"
    );
}

/// (name, path, content type, body, expected status, expected error code)
type BadCase = (
    &'static str,
    &'static str,
    Option<&'static str>,
    String,
    StatusCode,
    &'static str,
);

async fn bad_requests_are_refused_and_store_nothing(db: TestDb) {
    let t = app_on(db, |_| {}).await;
    vote(&t.app, "/kept", "stars", 3, READER_A).await;
    let before = t.db.vote_rows().await;
    assert_eq!(before.len(), 1);

    let v = |article: &str, scale: &str, value: i64, reader: &str| {
        json!({"article": article, "scale": scale, "value": value, "reader": reader}).to_string()
    };
    let items = |n: usize| {
        json!({"items": (0..n).map(|i| json!({"article": format!("/x{i}"), "scale": "stars"})).collect::<Vec<_>>()})
            .to_string()
    };
    let json_ct = Some("application/json");
    let cases: Vec<BadCase> = vec![
        ("empty article", VOTES_PATH, json_ct, v("", "stars", 3, READER_A), StatusCode::UNPROCESSABLE_ENTITY, "invalid_article"),
        ("513-char article", VOTES_PATH, json_ct, v(&"a".repeat(513), "stars", 3, READER_A), StatusCode::UNPROCESSABLE_ENTITY, "invalid_article"),
        ("control char", VOTES_PATH, json_ct, v("/a\u{7}b", "stars", 3, READER_A), StatusCode::UNPROCESSABLE_ENTITY, "invalid_article"),
        ("surrounding space", VOTES_PATH, json_ct, v(" /a", "stars", 3, READER_A), StatusCode::UNPROCESSABLE_ENTITY, "invalid_article"),
        ("0 stars", VOTES_PATH, json_ct, v("/a", "stars", 0, READER_A), StatusCode::UNPROCESSABLE_ENTITY, "invalid_value"),
        ("6 stars", VOTES_PATH, json_ct, v("/a", "stars", 6, READER_A), StatusCode::UNPROCESSABLE_ENTITY, "invalid_value"),
        ("2 thumbs", VOTES_PATH, json_ct, v("/a", "thumbs", 2, READER_A), StatusCode::UNPROCESSABLE_ENTITY, "invalid_value"),
        ("value 300", VOTES_PATH, json_ct, v("/a", "stars", 300, READER_A), StatusCode::UNPROCESSABLE_ENTITY, "invalid_field"),
        ("value -1", VOTES_PATH, json_ct, v("/a", "stars", -1, READER_A), StatusCode::UNPROCESSABLE_ENTITY, "invalid_field"),
        ("bad reader", VOTES_PATH, json_ct, v("/a", "stars", 3, "0123456789ABCDEF0123456789ABCDEF"), StatusCode::UNPROCESSABLE_ENTITY, "invalid_reader"),
        ("short reader", VOTES_PATH, json_ct, v("/a", "stars", 3, "abc"), StatusCode::UNPROCESSABLE_ENTITY, "invalid_reader"),
        ("unknown scale", VOTES_PATH, json_ct, v("/a", "stras", 3, READER_A), StatusCode::UNPROCESSABLE_ENTITY, "invalid_field"),
        ("missing field", VOTES_PATH, json_ct, json!({"article": "/a", "scale": "stars", "value": 3}).to_string(), StatusCode::UNPROCESSABLE_ENTITY, "invalid_field"),
        ("extra field", VOTES_PATH, json_ct, json!({"article": "/a", "scale": "stars", "value": 3, "reader": READER_A, "admin": true}).to_string(), StatusCode::UNPROCESSABLE_ENTITY, "invalid_field"),
        ("wrong type", VOTES_PATH, json_ct, json!({"article": 7, "scale": "stars", "value": 3, "reader": READER_A}).to_string(), StatusCode::UNPROCESSABLE_ENTITY, "invalid_field"),
        ("malformed JSON", VOTES_PATH, json_ct, r#"{"article": "/a", "#.to_owned(), StatusCode::BAD_REQUEST, "malformed_json"),
        ("no content type", VOTES_PATH, None, v("/a", "stars", 3, READER_A), StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type"),
        ("text/plain", VOTES_PATH, Some("text/plain"), v("/a", "stars", 3, READER_A), StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type"),
        ("body over 64 KiB", VOTES_PATH, json_ct, v(&"a".repeat(70 * 1024), "stars", 3, READER_A), StatusCode::PAYLOAD_TOO_LARGE, "body_too_large"),
        ("empty items", RATINGS_SUMMARY_PATH, json_ct, items(0), StatusCode::UNPROCESSABLE_ENTITY, "invalid_items"),
        ("101 items", RATINGS_SUMMARY_PATH, json_ct, items(MAX_BATCH + 1), StatusCode::UNPROCESSABLE_ENTITY, "invalid_items"),
        ("summary bad article", RATINGS_SUMMARY_PATH, json_ct, json!({"items": [{"article": "", "scale": "stars"}]}).to_string(), StatusCode::UNPROCESSABLE_ENTITY, "invalid_article"),
        ("summary bad reader", RATINGS_SUMMARY_PATH, json_ct, json!({"reader": "x", "items": [{"article": "/a", "scale": "stars"}]}).to_string(), StatusCode::UNPROCESSABLE_ENTITY, "invalid_reader"),
        ("summary extra field", RATINGS_SUMMARY_PATH, json_ct, json!({"items": [], "more": 1}).to_string(), StatusCode::UNPROCESSABLE_ENTITY, "invalid_field"),
        ("summary malformed", RATINGS_SUMMARY_PATH, json_ct, "[".to_owned(), StatusCode::BAD_REQUEST, "malformed_json"),
    ];
    for (name, path, content_type, body, status, code) in cases {
        let mut request = Request::post(path);
        if let Some(ct) = content_type {
            request = request.header(header::CONTENT_TYPE, ct);
        }
        let reply = send(&t.app, request.body(Body::from(body)).unwrap()).await;
        assert_eq!(
            reply.status,
            status,
            "{name}: {}",
            String::from_utf8_lossy(&reply.body)
        );
        assert_eq!(reply.code(), code, "{name}");
        let message = reply.json()["error"]["message"]
            .as_str()
            .unwrap()
            .to_owned();
        assert!(!message.is_empty(), "{name}: message names the problem");
    }
    assert_eq!(t.db.vote_rows().await, before);
}

async fn error_messages_name_the_problem(db: TestDb) {
    let t = app_on(db, |_| {}).await;
    let cases = [
        (
            vote_body("", "stars", 3, READER_A),
            "article must not be empty",
        ),
        (
            vote_body(&"a".repeat(513), "stars", 3, READER_A),
            "article must be at most 512 characters",
        ),
        (
            vote_body("a\tb", "stars", 3, READER_A),
            "article must not contain control characters or surrounding whitespace",
        ),
        (
            vote_body("/a", "stars", 7, READER_A),
            "value must be 1..=5 for scale \"stars\", got 7",
        ),
        (
            vote_body("/a", "thumbs", 2, READER_A),
            "value must be 0..=1 for scale \"thumbs\", got 2",
        ),
        (
            vote_body("/a", "stars", 3, "nope"),
            "reader must be 32 lowercase hex digits",
        ),
    ];
    for (body, message) in cases {
        let reply = send(&t.app, post_json(VOTES_PATH, body)).await;
        assert_eq!(reply.json()["error"]["message"], message);
    }
    let reply = send(
        &t.app,
        post_json(
            VOTES_PATH,
            vote_body("/a", "stras", 3, READER_A).replace("stars", "stras"),
        ),
    )
    .await;
    let message = reply.json()["error"]["message"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(message.contains("unknown variant `stras`"), "{message}");
}

async fn votes_from_a_foreign_origin_are_forbidden_without_cors_headers(db: TestDb) {
    let t = app_on(db, |_| {}).await;
    let request = Request::post(VOTES_PATH)
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::HOST, "ratings.example:8080")
        .header(header::ORIGIN, "https://evil.example")
        .body(Body::from(vote_body("/a", "stars", 3, READER_A)))
        .unwrap();
    let reply = send(&t.app, request).await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    assert_eq!(reply.code(), "origin_not_allowed");
    assert_eq!(reply.header("access-control-allow-origin"), None);
    assert!(t.db.vote_rows().await.is_empty());

    let preflight = Request::options(VOTES_PATH)
        .header(header::ORIGIN, "https://evil.example")
        .header("access-control-request-method", "POST")
        .body(Body::empty())
        .unwrap();
    let reply = send(&t.app, preflight).await;
    assert_eq!(reply.header("access-control-allow-origin"), None);
}

async fn configured_and_own_origins_get_cors_headers(db: TestDb) {
    let t = app_on(db, |_| {}).await;
    for (origin, host) in [
        ("https://news.example", "ratings.example:8080"),
        ("http://ratings.example:8080", "ratings.example:8080"),
    ] {
        let request = Request::post(VOTES_PATH)
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::HOST, host)
            .header(header::ORIGIN, origin)
            .body(Body::from(vote_body("/a", "stars", 3, READER_A)))
            .unwrap();
        let reply = send(&t.app, request).await;
        assert_eq!(reply.status, StatusCode::OK, "{origin}");
        assert_eq!(reply.header("access-control-allow-origin"), Some(origin));

        let preflight = Request::options(RATINGS_SUMMARY_PATH)
            .header(header::HOST, host)
            .header(header::ORIGIN, origin)
            .header("access-control-request-method", "POST")
            .header("access-control-request-headers", "content-type")
            .body(Body::empty())
            .unwrap();
        let reply = send(&t.app, preflight).await;
        assert!(reply.status.is_success(), "{origin}: {}", reply.status);
        assert_eq!(reply.header("access-control-allow-origin"), Some(origin));
        assert_eq!(reply.header("access-control-max-age"), Some("3600"));
        let methods = reply.header("access-control-allow-methods").unwrap();
        assert!(
            methods.contains("POST") && methods.contains("GET"),
            "{methods}"
        );
    }
}

async fn votes_over_the_rate_limit_get_429_with_retry_after(db: TestDb) {
    let t = app_on(db, |c| c.vote_rate_limit = 2).await;
    assert_eq!(
        vote(&t.app, "/a", "stars", 1, READER_A).await.status,
        StatusCode::OK
    );
    assert_eq!(
        vote(&t.app, "/b", "stars", 1, READER_A).await.status,
        StatusCode::OK
    );
    let reply = vote(&t.app, "/c", "stars", 1, READER_A).await;
    assert_eq!(reply.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(reply.code(), "rate_limited");
    let retry: u64 = reply.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=60).contains(&retry), "{retry}");
    assert_eq!(t.db.vote_rows().await.len(), 2);
    // Reads are not limited.
    let read = summaries(
        &t.app,
        json!({"items": [{"article": "/a", "scale": "stars"}]}),
    )
    .await;
    assert_eq!(read.status, StatusCode::OK);
}

async fn forwarded_for_is_the_client_only_when_trusted(db: TestDb) {
    let forwarded = |ip: &str| {
        Request::post(VOTES_PATH)
            .header(header::CONTENT_TYPE, "application/json")
            .header("x-forwarded-for", format!("{ip}, 10.0.0.1"))
            .body(Body::from(vote_body("/a", "stars", 3, READER_A)))
            .unwrap()
    };
    let trusted = app_on(db, |c| {
        c.vote_rate_limit = 1;
        c.trust_forwarded_for = true;
    })
    .await;
    assert_eq!(
        send(&trusted.app, forwarded("198.51.100.1")).await.status,
        StatusCode::OK
    );
    assert_eq!(
        send(&trusted.app, forwarded("198.51.100.2")).await.status,
        StatusCode::OK
    );
    assert_eq!(
        send(&trusted.app, forwarded("198.51.100.1")).await.status,
        StatusCode::TOO_MANY_REQUESTS
    );

    let untrusted = another_app(&trusted, |c| c.vote_rate_limit = 1).await;
    assert_eq!(
        send(&untrusted, forwarded("198.51.100.1")).await.status,
        StatusCode::OK
    );
    assert_eq!(
        send(&untrusted, forwarded("198.51.100.2")).await.status,
        StatusCode::TOO_MANY_REQUESTS
    );
}

async fn unknown_api_routes_and_wrong_methods_answer_json(db: TestDb) {
    let t = app_on(db, |_| {}).await;
    for path in ["/api/v1/nothing", "/api/v2/votes", "/api"] {
        let reply = send(&t.app, Request::get(path).body(Body::empty()).unwrap()).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(reply.code(), "not_found");
    }
    for (method, path) in [
        ("GET", VOTES_PATH),
        ("DELETE", RATINGS_SUMMARY_PATH),
        ("POST", "/healthz"),
    ] {
        let request = Request::builder()
            .method(method)
            .uri(path)
            .body(Body::empty())
            .unwrap();
        let reply = send(&t.app, request).await;
        assert_eq!(
            reply.status,
            StatusCode::METHOD_NOT_ALLOWED,
            "{method} {path}"
        );
        assert_eq!(reply.code(), "method_not_allowed");
    }
}

async fn healthz_reports_ok(db: TestDb) {
    let t = app_on(db, |_| {}).await;
    let reply = send(
        &t.app,
        Request::get("/healthz").body(Body::empty()).unwrap(),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.json(), json!({"status": "ok"}));
}

async fn reader_ids_and_ips_never_reach_the_database(db: TestDb) {
    let t = app_on(db, |c| c.vote_rate_limit = 100).await;
    vote(&t.app, "/a", "stars", 3, READER_A).await;
    vote(&t.app, "/a", "thumbs", 1, READER_B).await;
    summaries(
        &t.app,
        json!({"reader": READER_A, "items": [{"article": "/a", "scale": "stars"}]}),
    )
    .await;
    let rows = t.db.vote_rows().await;
    assert_eq!(rows.len(), 2);
    assert!(rows
        .iter()
        .all(|r| r.2.len() == 64 && r.2 != READER_A && r.2 != READER_B));

    let ip = format!("{}.{}.{}.{}", PEER[0], PEER[1], PEER[2], PEER[3]);
    let bytes = t.db.stored_bytes().await;
    assert!(!bytes.is_empty());
    let contains = |needle: &[u8]| bytes.windows(needle.len()).any(|w| w == needle);
    assert!(contains(b"/a"), "sanity: the article is stored");
    for needle in [
        READER_A.as_bytes(),
        READER_B.as_bytes(),
        ip.as_bytes(),
        &PEER,
    ] {
        assert!(
            !contains(needle),
            "{:?} found in the database",
            String::from_utf8_lossy(needle)
        );
    }
}

async fn reader_hashes_survive_a_restart(db: TestDb) {
    let first = app_on(db, |_| {}).await;
    vote(&first.app, "/a", "stars", 3, READER_A).await;
    let second = another_app(&first, |_| {}).await;
    drop(first.app);
    let reply = vote(&second, "/a", "stars", 5, READER_A).await;
    assert_eq!(summary(&reply), summary_of("/a", 1, 5, Some(5)));
}

#[tokio::test]
async fn an_unknown_database_scheme_is_refused_naming_both_backends() {
    let dir = tempfile::tempdir().unwrap();
    let config = common::config(&dir, "mysql://localhost/bangtin");
    let err = bangtin_server::build_app(&config)
        .await
        .expect_err("mysql is not a backend");
    assert!(
        matches!(err, bangtin_server::StartError::UnsupportedDatabase(_)),
        "{err:?}"
    );
    let message = err.to_string();
    assert!(
        message.contains("mysql://localhost/bangtin")
            && message.contains("sqlite://")
            && message.contains("postgres://"),
        "{message}"
    );
}

/// A reader closing the page drops the request; the database work must not be cut in half, or
/// the connection is left inside a transaction and every later vote fails (seen under load).
async fn readers_who_hang_up_mid_vote_do_not_break_later_votes(db: TestDb) {
    let t = app_on(db, |_| {}).await;
    let reader = |i: u32| format!("{i:032x}");
    for i in 0..1000u32 {
        let id = reader(i);
        let request = vote(&t.app, "/hang-up", "stars", 3, &id);
        // Give up after a few microseconds, at a different point of the vote each time.
        let _ = tokio::time::timeout(
            std::time::Duration::from_micros(u64::from(i % 500)),
            request,
        )
        .await;
    }
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    let reply = vote(&t.app, "/after", "stars", 5, READER_B).await;
    assert_eq!(
        reply.status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&reply.body)
    );
    let rows = t.db.vote_rows().await;
    assert!(rows.iter().any(|row| row.0 == "/after"));
}

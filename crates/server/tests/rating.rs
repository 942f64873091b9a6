//! The rating API end to end, over a real SQLite file and a real PostgreSQL database. Requests
//! are built with the contract's own types, as the widget builds them.
#![allow(clippy::unwrap_used)]

mod common;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use bangtin_api::{
    Boot, BootWidget, RatingCounts, RatingFirst, RatingOutcome, RatingSummary, Ratings, Scale,
    BOOT_PATH, MAX_BATCH, RATINGS_PATH, VOTES_PATH,
};
use common::*;
use serde_json::json;

on_both_backends!(
    vote_then_summary_shows_count_sum_and_mine,
    second_vote_from_same_reader_replaces_first,
    votes_from_two_readers_add_up,
    thumbs_and_stars_on_one_article_are_separate_ratings,
    a_read_answers_every_item_under_the_key_it_was_sent_with,
    one_bad_item_fails_alone_and_the_others_are_answered,
    nfd_and_nfc_spellings_of_an_article_are_the_same_rating,
    bad_requests_are_refused_and_store_nothing,
    error_messages_name_the_problem,
    reads_are_shared_by_caches_only_when_anonymous,
    a_reader_id_replayed_on_another_article_touches_only_that_article,
    boot_answers_each_rating_under_the_key_the_widget_resolves,
    unknown_api_routes_and_wrong_methods_answer_json,
    healthz_reports_ok,
    reader_ids_and_ips_never_reach_the_database,
    reader_hashes_survive_a_restart,
    readers_who_hang_up_mid_vote_do_not_break_later_votes,
);

fn summary(reply: &Reply) -> RatingSummary {
    serde_json::from_slice(&reply.body).unwrap()
}

fn answer(reply: &Reply) -> Ratings {
    assert_eq!(
        reply.status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&reply.body)
    );
    serde_json::from_slice(&reply.body).unwrap()
}

fn ok(count: u64, sum: u64, mine: Option<u8>) -> RatingOutcome {
    RatingOutcome::Counts(RatingCounts { count, sum, mine })
}

/// The answer to one item of a read.
async fn read_one(t: &TestApp, reader: Option<&str>, article: &str, scale: Scale) -> RatingOutcome {
    let request = get_ratings(reader, &[(article, scale)]);
    let item = request.items[0].item();
    answer(&ratings(&t.app, &request).await).ratings[&item].clone()
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
    assert_eq!(
        read_one(&t, Some(READER_A), "/bai-1", Scale::Stars).await,
        ok(1, 4, Some(4))
    );
    assert_eq!(
        read_one(&t, None, "/bai-1", Scale::Stars).await,
        ok(1, 4, None)
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
    assert_eq!(
        read_one(&t, Some(READER_A), "/bai-1", Scale::Stars).await,
        ok(2, 7, Some(2))
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

async fn a_read_answers_every_item_under_the_key_it_was_sent_with(db: TestDb) {
    let t = app_on(db, |_| {}).await;
    vote(&t.app, "/a", "stars", 5, READER_A).await;
    vote(&t.app, "/b", "thumbs", 1, READER_B).await;
    let mut items: Vec<(String, Scale)> = (0..90)
        .map(|i| (format!("/unknown-{i}"), Scale::Stars))
        .collect();
    items.insert(3, ("/a".into(), Scale::Stars));
    items.push(("/b".into(), Scale::Thumbs));
    items.push(("/a".into(), Scale::Stars));
    items.push(("/unknown-0".into(), Scale::Stars));
    items.push(("/a".into(), Scale::Thumbs));
    assert!(items.len() <= MAX_BATCH);
    let borrowed: Vec<(&str, Scale)> = items.iter().map(|(a, s)| (a.as_str(), *s)).collect();
    let got = answer(&ratings(&t.app, &get_ratings(Some(READER_B), &borrowed)).await).ratings;
    assert_eq!(got.len(), 90 + 3, "duplicates answered once");
    assert_eq!(got["stars:/unknown-0"], ok(0, 0, None));
    assert_eq!(got["stars:/a"], ok(1, 5, None));
    assert_eq!(got["thumbs:/b"], ok(1, 1, Some(1)));
    assert_eq!(got["thumbs:/a"], ok(0, 0, None));
}

async fn one_bad_item_fails_alone_and_the_others_are_answered(db: TestDb) {
    let t = app_on(db, |_| {}).await;
    vote(&t.app, "/a", "stars", 4, READER_A).await;
    // A page path longer than the limit, used as the default key, must not blank the others.
    let long = format!("/{}", "x".repeat(600));
    let query = format!(
        "reader={READER_A}&item=stars:/a&item=stars:{long}&item=stras:/a&item=nokey\
         &item=stars:%20padded&item=thumbs:/a"
    );
    let reply = send(&t.app, get(&format!("{RATINGS_PATH}?{query}"))).await;
    let got = answer(&reply).ratings;
    assert_eq!(got.len(), 6);
    assert_eq!(got["stars:/a"], ok(1, 4, Some(4)));
    assert_eq!(got["thumbs:/a"], ok(0, 0, None));
    let code = |item: &str| match &got[item] {
        RatingOutcome::Failed(failed) => failed.error.code.clone(),
        other => panic!("{item}: {other:?}"),
    };
    assert_eq!(code(&format!("stars:{long}")), "invalid_article");
    assert_eq!(code("stras:/a"), "invalid_item");
    assert_eq!(code("nokey"), "invalid_item");
    assert_eq!(code("stars: padded"), "invalid_article");
    let RatingOutcome::Failed(failed) = &got[&format!("stars:{long}")] else {
        unreachable!()
    };
    assert_eq!(
        failed.error.message,
        "article must be at most 512 characters"
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
    let got = answer(
        &ratings(
            &t.app,
            &get_ratings(Some(READER_A), &[(nfc, Scale::Stars), (nfd, Scale::Stars)]),
        )
        .await,
    )
    .ratings;
    assert_eq!(got.len(), 2, "each spelling answered under its own key");
    assert_eq!(got[&format!("stars:{nfc}")], ok(2, 6, Some(4)));
    assert_eq!(got[&format!("stars:{nfd}")], ok(2, 6, Some(4)));
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

    let many: Vec<String> = (0..=MAX_BATCH)
        .map(|i| format!("item=stars:/x{i}"))
        .collect();
    let reads: Vec<(&str, String, &str)> = vec![
        ("no items", String::new(), "invalid_items"),
        (
            "only a reader",
            format!("reader={READER_A}"),
            "invalid_items",
        ),
        ("101 items", many.join("&"), "invalid_items"),
        (
            "bad reader",
            "reader=x&item=stars:/a".to_owned(),
            "invalid_reader",
        ),
        (
            "two readers",
            format!("reader={READER_A}&reader={READER_B}&item=stars:/a"),
            "invalid_field",
        ),
        (
            "unknown parameter",
            "item=stars:/a&admin=1".to_owned(),
            "invalid_field",
        ),
    ];
    for (name, query, code) in reads {
        let reply = send(&t.app, get(&format!("{RATINGS_PATH}?{query}"))).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{name}");
        assert_eq!(reply.code(), code, "{name}");
        assert!(!reply.json()["error"]["message"]
            .as_str()
            .unwrap()
            .is_empty());
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

async fn boot_answers_each_rating_under_the_key_the_widget_resolves(db: TestDb) {
    let t = app_on(db, |_| {}).await;
    let page = "https://bao.example/xa-hoi/cau.html";
    vote(&t.app, page, "stars", 4, READER_A).await;
    vote(&t.app, "/khac", "thumbs", 1, READER_B).await;
    let long = format!("/{}", "x".repeat(600));
    let widget = |params: &[(&str, &str)]| BootWidget {
        kind: "rating".into(),
        params: params
            .iter()
            .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
            .collect(),
    };
    let boot = Boot {
        page: Some(page.into()),
        reader: Some(READER_A.into()),
        widgets: vec![
            widget(&[]),
            widget(&[("article", "/khac"), ("scale", "thumbs")]),
            // A refused article falls back to the page, as in the widget; so does a bad scale.
            widget(&[("article", &long), ("scale", "stras")]),
            widget(&[("article", " /khac "), ("scale", "thumbs")]),
        ],
    };
    let reply = send(&t.app, get(&format!("{BOOT_PATH}?{}", boot.query()))).await;
    assert_eq!(
        reply.status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&reply.body)
    );
    assert_eq!(reply.header("cache-control"), Some("private, no-cache"));
    let body = reply.json();
    let items: Vec<RatingFirst> = serde_json::from_value(body["items"].clone()).unwrap();
    let stars_page = format!("stars:{page}");
    assert_eq!(items[0].key, stars_page);
    assert_eq!(items[0].outcome, ok(1, 4, Some(4)));
    assert_eq!(items[1].key, "thumbs:/khac");
    assert_eq!(items[1].outcome, ok(1, 1, None));
    assert_eq!(items[2].key, stars_page);
    assert_eq!(items[3].key, "thumbs:/khac");
    assert!(
        body["now"].as_u64().unwrap() > 1_700_000_000_000,
        "server time in ms"
    );

    // A page whose own key is refused fails only the widgets that fall back to it.
    let boot = Boot {
        page: Some(long.clone()),
        reader: None,
        widgets: vec![
            widget(&[]),
            widget(&[("article", "/khac"), ("scale", "thumbs")]),
        ],
    };
    let reply = send(&t.app, get(&format!("{BOOT_PATH}?{}", boot.query()))).await;
    let items: Vec<RatingFirst> = serde_json::from_value(reply.json()["items"].clone()).unwrap();
    assert!(
        matches!(&items[0].outcome, RatingOutcome::Failed(f) if f.error.code == "invalid_article")
    );
    assert_eq!(items[1].outcome, ok(1, 1, None));
}

async fn reads_are_shared_by_caches_only_when_anonymous(db: TestDb) {
    let t = app_on(db, |_| {}).await;
    let anonymous = ratings(&t.app, &get_ratings(None, &[("/a", Scale::Stars)])).await;
    assert_eq!(
        anonymous.header("cache-control"),
        Some("public, max-age=10")
    );
    let mine = ratings(
        &t.app,
        &get_ratings(Some(READER_A), &[("/a", Scale::Stars)]),
    )
    .await;
    assert_eq!(mine.header("cache-control"), Some("private, no-cache"));
}

async fn a_reader_id_replayed_on_another_article_touches_only_that_article(db: TestDb) {
    let t = app_on(db, |_| {}).await;
    vote(&t.app, "/a", "stars", 5, READER_A).await;
    vote(&t.app, "/b", "stars", 2, READER_B).await;
    // Someone replays reader A's id on /b: it is one more vote on /b, nothing else moves.
    assert_eq!(
        vote(&t.app, "/b", "stars", 1, READER_A).await.status,
        StatusCode::OK
    );
    assert_eq!(
        read_one(&t, Some(READER_A), "/a", Scale::Stars).await,
        ok(1, 5, Some(5))
    );
    assert_eq!(
        read_one(&t, Some(READER_B), "/b", Scale::Stars).await,
        ok(2, 3, Some(2))
    );
    // The same reader voting 1,000 times counts once.
    for i in 0..1000u32 {
        let value = u8::try_from(i % 5 + 1).unwrap();
        vote(&t.app, "/stuffed", "stars", value, READER_A).await;
    }
    assert_eq!(
        read_one(&t, None, "/stuffed", Scale::Stars).await,
        ok(1, 5, None)
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
        ("DELETE", RATINGS_PATH),
        ("POST", RATINGS_PATH),
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
    let t = app_on(db, |c| c.write_rate_limit = 100).await;
    vote(&t.app, "/a", "stars", 3, READER_A).await;
    vote(&t.app, "/a", "thumbs", 1, READER_B).await;
    ratings(
        &t.app,
        &get_ratings(Some(READER_A), &[("/a", Scale::Stars)]),
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

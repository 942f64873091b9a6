//! The ticker's server side (issue 9) on both backends: ingestion of realistic and hostile feeds
//! served by a local feed server (`common::feeds`), `GET /api/v1/news` (validation, ETag, order),
//! the boot share, the status of each feed, and the breaking items at the desk.
#![allow(clippy::unwrap_used)]

mod common;

use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use axum::Router;
use bangtin_api::ticker::{first_key, News, TickerFirst, NEWS_PATH};
use bangtin_api::{Boot, BootWidget, BOOT_PATH};
use bangtin_server::db::Db;
use bangtin_server::ticker::ingest::{Ingester, Outcome};
use bangtin_server::ticker::{open_store, FeedSpec, Options};
use common::feedback::{admin, rows, session, Session};
use common::feeds::*;
use common::*;
use serde_json::json;

on_both_backends!(
    vietnamese_rss_is_cleaned_dated_deduplicated_and_ordered,
    atom_and_json_feed_items_are_read_and_hostile_links_dropped,
    a_conditional_request_answered_304_keeps_the_items,
    items_are_deduplicated_across_fetches_and_only_the_newest_n_kept,
    a_bad_feed_keeps_its_last_good_items_and_never_touches_the_others,
    news_answers_carry_a_strong_etag_and_a_match_gets_304,
    pinned_breaking_items_lead_until_they_expire_or_are_unpinned,
    breaking_items_need_a_session_csrf_and_valid_fields,
    the_boot_request_answers_each_ticker_under_its_key,
);

const BREAKING: &str = "/api/v1/admin/breaking";
const STATUS: &str = "/api/v1/news/status";

fn spec(name: &str, url: &str) -> FeedSpec {
    FeedSpec::parse(&format!("{name}={url}")).unwrap()
}

/// An app whose feeds `tin-moi` and `the-thao` are the feed server's `tin-moi.rss` and
/// `the-thao.xml`, and an ingester with `limits` on its database.
async fn ticker_app(db: TestDb, server: &FeedServer, limits: Options) -> (TestApp, Ingester) {
    let feeds = vec![
        spec("tin-moi", &server.url_of("tin-moi.rss")),
        spec("the-thao", &server.url_of("the-thao.xml")),
    ];
    let t = app_on(db, |c| c.ticker.feeds = feeds).await;
    let store = open_store(&Db::open(&t.db.url).await.unwrap());
    let ingester = Ingester::new(store, &limits).unwrap();
    (t, ingester)
}

fn limits() -> Options {
    Options {
        timeout: Duration::from_millis(800),
        ..Options::default()
    }
}

async fn read_news(app: &Router, query: &str) -> News {
    let reply = send(app, get(&format!("{NEWS_PATH}?{query}"))).await;
    assert_eq!(
        reply.status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&reply.body)
    );
    serde_json::from_slice(&reply.body).unwrap()
}

fn ids(news: &News) -> Vec<&str> {
    news.items.iter().map(|i| i.id.as_str()).collect()
}

fn ms(rfc3339: &str) -> u64 {
    chrono::DateTime::parse_from_rfc3339(rfc3339)
        .unwrap()
        .timestamp_millis() as u64
}

async fn status_of(app: &Router, name: &str) -> serde_json::Value {
    let reply = send(app, get(STATUS)).await;
    assert_eq!(reply.status, StatusCode::OK);
    reply.json()["feeds"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["name"] == name)
        .cloned()
        .unwrap()
}

async fn vietnamese_rss_is_cleaned_dated_deduplicated_and_ordered(db: TestDb) {
    let server = FeedServer::start().await;
    server.rss("tin-moi.rss", VN_RSS, None);
    let (t, ingester) = ticker_app(db, &server, limits()).await;
    let feed = spec("tin-moi", &server.url_of("tin-moi.rss"));
    assert_eq!(ingester.fetch(&feed).await, Outcome::Stored { items: 5 });
    let news = read_news(&t.app, "feed=tin-moi&limit=50").await;
    assert_eq!(news.feed, "tin-moi");
    // Newest first; the undated item right below the dated one above it in the feed; the
    // repeated guid, the javascript: and the data: items gone.
    assert_eq!(
        ids(&news),
        ["a2", "https://bao.example/c.html", "a1", "a4", "a6"]
    );
    let by_id = |id: &str| news.items.iter().find(|i| i.id == id).unwrap().clone();
    let a1 = by_id("a1");
    assert_eq!(a1.title, "Khánh thành cầu & đường Bến Vân");
    assert_eq!(a1.section.as_deref(), Some("Thời sự"));
    assert_eq!(a1.published_at, Some(ms("2026-11-28T02:00:00Z")));
    assert!(!a1.breaking);
    let a2 = by_id("a2");
    assert_eq!(
        a2.title, "Nóng: Việt Nam vô địch",
        "HTML gone, NFD made NFC"
    );
    assert_eq!(
        a2.url,
        server.url_of("the-thao/a2.html"),
        "relative link resolved"
    );
    assert_eq!(a2.published_at, Some(ms("2026-11-28T03:00:00Z")), "GMT+7");
    assert_eq!(
        by_id("a4").published_at,
        Some(ms("2026-11-28T01:00:00Z")),
        "no zone is Vietnam's"
    );
    assert_eq!(by_id("a6").published_at, Some(ms("2026-11-28T00:30:00Z")));
    assert_eq!(by_id("https://bao.example/c.html").published_at, None);
    for item in &news.items {
        assert!(item.url.starts_with("http"), "{}", item.url);
    }
    // The default is the main feed, 10 items.
    assert_eq!(news_default(&t.app).await.feed, "tin-moi");
    let status = status_of(&t.app, "tin-moi").await;
    assert_eq!(status["outcome"], "ok");
    assert_eq!(status["items"], 5);
    assert_eq!(status["main"], true);
    assert!(status["fetched_at"].as_i64().unwrap() > 0);
}

async fn news_default(app: &Router) -> News {
    let reply = send(app, get(NEWS_PATH)).await;
    assert_eq!(reply.status, StatusCode::OK);
    serde_json::from_slice(&reply.body).unwrap()
}

async fn atom_and_json_feed_items_are_read_and_hostile_links_dropped(db: TestDb) {
    let server = FeedServer::start().await;
    server.set(
        "the-thao.xml",
        Mode::Feed {
            body: ATOM.to_owned(),
            content_type: "application/atom+xml",
            etag: None,
        },
    );
    server.set(
        "tin-moi.rss",
        Mode::Feed {
            body: JSON_FEED.to_owned(),
            content_type: "application/feed+json",
            etag: None,
        },
    );
    let (t, ingester) = ticker_app(db, &server, limits()).await;
    let atom = spec("the-thao", &server.url_of("the-thao.xml"));
    assert_eq!(ingester.fetch(&atom).await, Outcome::Stored { items: 2 });
    let news = read_news(&t.app, "feed=the-thao").await;
    assert_eq!(
        ids(&news),
        ["tag:bao.example,2026:1", "tag:bao.example,2026:2"]
    );
    assert_eq!(news.items[0].title, "Trực tiếp: Việt Nam & Thái Lan");
    assert_eq!(news.items[0].section.as_deref(), Some("Bóng đá"));
    assert_eq!(news.items[1].url, server.url_of("2.html"));
    assert_eq!(
        news.items[1].published_at,
        Some(ms("2026-11-28T01:35:00Z")),
        "published, not updated"
    );
    let json_feed = spec("tin-moi", &server.url_of("tin-moi.rss"));
    assert_eq!(
        ingester.fetch(&json_feed).await,
        Outcome::Stored { items: 2 }
    );
    let news = read_news(&t.app, "feed=tin-moi").await;
    assert_eq!(ids(&news), ["k1", "k3"]);
    assert_eq!(news.items[0].title, "Giá xăng giảm 500 đồng");
}

async fn a_conditional_request_answered_304_keeps_the_items(db: TestDb) {
    let server = FeedServer::start().await;
    server.rss("tin-moi.rss", VN_RSS, Some("\"v1\""));
    let (t, ingester) = ticker_app(db, &server, limits()).await;
    let feed = spec("tin-moi", &server.url_of("tin-moi.rss"));
    assert_eq!(ingester.fetch(&feed).await, Outcome::Stored { items: 5 });
    let before = read_news(&t.app, "limit=50").await;
    assert_eq!(ingester.fetch(&feed).await, Outcome::NotModified);
    assert_eq!(
        server.hits("tin-moi.rss"),
        [None, Some("\"v1\"".to_owned())],
        "the second request is conditional"
    );
    assert_eq!(read_news(&t.app, "limit=50").await, before);
    let status = status_of(&t.app, "tin-moi").await;
    assert_eq!(status["outcome"], "not_modified");
    assert_eq!(status["items"], 5);
    // A new version is fetched whole.
    server.rss(
        "tin-moi.rss",
        &numbered_rss("n", 3, 1_900_000_000),
        Some("\"v2\""),
    );
    assert_eq!(ingester.fetch(&feed).await, Outcome::Stored { items: 8 });
}

async fn items_are_deduplicated_across_fetches_and_only_the_newest_n_kept(db: TestDb) {
    let server = FeedServer::start().await;
    let keep = Options {
        keep: 5,
        ..limits()
    };
    let (t, ingester) = ticker_app(db, &server, keep).await;
    let feed = spec("tin-moi", &server.url_of("tin-moi.rss"));
    let start = 1_800_000_000;
    server.rss("tin-moi.rss", &numbered_rss("x", 4, start), None);
    assert_eq!(ingester.fetch(&feed).await, Outcome::Stored { items: 4 });
    // The same four again, plus three newer ones: seven distinct, five kept (the newest).
    let newer = numbered_rss("y", 3, start + 3600);
    let both = newer.replace(
        "</channel>",
        &format!(
            "{}</channel>",
            numbered_rss("x", 4, start)
                .split("<item>")
                .skip(1)
                .map(|i| format!("<item>{}", i.split("</channel>").next().unwrap()))
                .collect::<String>()
        ),
    );
    server.rss("tin-moi.rss", &both, None);
    assert_eq!(ingester.fetch(&feed).await, Outcome::Stored { items: 5 });
    let news = read_news(&t.app, "limit=50").await;
    assert_eq!(ids(&news), ["y0", "y1", "y2", "x0", "x1"]);
    let stored: Vec<(String,)> = rows(&t.db, "SELECT id FROM ticker_items").await;
    assert_eq!(stored.len(), 5, "no more than N rows in the database");
    // A feed of 500 items keeps 5 too.
    server.rss("tin-moi.rss", &numbered_rss("z", 500, start + 7200), None);
    assert_eq!(ingester.fetch(&feed).await, Outcome::Stored { items: 5 });
    assert_eq!(ids(&read_news(&t.app, "limit=3").await), ["z0", "z1", "z2"]);
}

async fn a_bad_feed_keeps_its_last_good_items_and_never_touches_the_others(db: TestDb) {
    let server = FeedServer::start().await;
    server.rss("tin-moi.rss", VN_RSS, None);
    server.rss("the-thao.xml", &numbered_rss("t", 3, 1_800_000_000), None);
    let small = Options {
        timeout: Duration::from_millis(700),
        max_bytes: 256 * 1024,
        ..Options::default()
    };
    let (t, ingester) = ticker_app(db, &server, small).await;
    let feed = spec("tin-moi", &server.url_of("tin-moi.rss"));
    let other = spec("the-thao", &server.url_of("the-thao.xml"));
    assert_eq!(ingester.fetch(&feed).await, Outcome::Stored { items: 5 });
    assert_eq!(ingester.fetch(&other).await, Outcome::Stored { items: 3 });
    let good = read_news(&t.app, "limit=50").await;
    let good_other = read_news(&t.app, "feed=the-thao").await;
    let half = &VN_RSS[..VN_RSS.len() / 2];
    let hostile: Vec<(&str, Mode, &str)> = vec![
        (
            "malformed",
            Mode::Feed {
                body: "<rss version=\"2.0\"><channel><item><title>x</title></channel></item></rss>"
                    .to_owned(),
                content_type: "application/rss+xml",
                etag: None,
            },
            "not a feed",
        ),
        (
            "not a feed at all",
            Mode::Feed {
                body: "<!doctype html><html><body>Lỗi 500</body></html>".to_owned(),
                content_type: "text/html",
                etag: None,
            },
            "not a feed",
        ),
        (
            "truncated",
            Mode::Feed {
                body: half.to_owned(),
                content_type: "application/rss+xml",
                etag: None,
            },
            "not a feed",
        ),
        (
            "oversized, announced",
            Mode::Huge {
                bytes: 3 << 20,
                length_header: true,
            },
            "larger than",
        ),
        (
            "oversized, streamed",
            Mode::Huge {
                bytes: 3 << 20,
                length_header: false,
            },
            "larger than",
        ),
        (
            "slow to answer",
            Mode::Slow {
                head: Duration::from_secs(5),
                every: Duration::ZERO,
            },
            "timeout",
        ),
        (
            "slow body",
            Mode::Slow {
                head: Duration::ZERO,
                every: Duration::from_millis(300),
            },
            "timeout",
        ),
        (
            "redirect loop",
            Mode::Redirect {
                to: "/tin-moi.rss".to_owned(),
            },
            "redirect",
        ),
        (
            "redirect to a file",
            Mode::Redirect {
                to: "file:///etc/passwd".to_owned(),
            },
            // Not followed: the redirect itself is the (refused) answer.
            "302",
        ),
        ("server error", Mode::Status(500), "500"),
    ];
    for (what, mode, says) in hostile {
        server.set("tin-moi.rss", mode);
        let started = Instant::now();
        let outcome = ingester.fetch(&feed).await;
        let took = started.elapsed();
        let Outcome::Failed(error) = &outcome else {
            panic!("{what}: {outcome:?}");
        };
        assert!(error.contains(says), "{what}: {error}");
        assert!(took < Duration::from_secs(3), "{what} took {took:?}");
        assert_eq!(
            read_news(&t.app, "limit=50").await,
            good,
            "{what}: items kept"
        );
        assert_eq!(
            read_news(&t.app, "feed=the-thao").await,
            good_other,
            "{what}"
        );
        let status = status_of(&t.app, "tin-moi").await;
        assert_eq!(status["outcome"], "error", "{what}");
        assert_eq!(status["error"], error.as_str(), "{what}");
        assert_eq!(status["items"], 5, "{what}");
        assert_eq!(status_of(&t.app, "the-thao").await["outcome"], "ok");
    }
    // It recovers with the next good answer.
    server.rss("tin-moi.rss", VN_RSS, None);
    assert_eq!(ingester.fetch(&feed).await, Outcome::Stored { items: 5 });
    assert_eq!(status_of(&t.app, "tin-moi").await["outcome"], "ok");
}

async fn news_answers_carry_a_strong_etag_and_a_match_gets_304(db: TestDb) {
    let server = FeedServer::start().await;
    server.rss("tin-moi.rss", VN_RSS, None);
    let (t, ingester) = ticker_app(db, &server, limits()).await;
    let reply = send(&t.app, get(&format!("{NEWS_PATH}?limit=3"))).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.json(), json!({"feed": "tin-moi", "items": []}));
    let empty_tag = reply.header("etag").unwrap().to_owned();
    ingester
        .fetch(&spec("tin-moi", &server.url_of("tin-moi.rss")))
        .await;
    let reply = send(&t.app, get(&format!("{NEWS_PATH}?limit=3"))).await;
    let etag = reply.header("etag").unwrap().to_owned();
    assert!(etag.starts_with('"') && etag.ends_with('"') && !etag.starts_with("W/"));
    assert_ne!(etag, empty_tag, "new items, new tag");
    assert_eq!(reply.header("cache-control"), Some("public, max-age=30"));
    assert_eq!(reply.header("content-type"), Some("application/json"));
    let conditional = |tag: &str| {
        Request::get(format!("{NEWS_PATH}?limit=3"))
            .header(header::IF_NONE_MATCH, tag)
            .body(Body::empty())
            .unwrap()
    };
    let again = send(&t.app, conditional(&etag)).await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    assert!(again.body.is_empty());
    assert_eq!(again.header("etag"), Some(etag.as_str()));
    let listed = send(&t.app, conditional(&format!("\"x\", W/{etag}"))).await;
    assert_eq!(listed.status, StatusCode::NOT_MODIFIED);
    assert_eq!(
        send(&t.app, conditional("\"old\"")).await.status,
        StatusCode::OK
    );
    // Another limit is another answer.
    let other = send(&t.app, get(&format!("{NEWS_PATH}?limit=4"))).await;
    assert_ne!(other.header("etag"), Some(etag.as_str()));
    // Cross-origin readers may send If-None-Match and read the ETag.
    let preflight = Request::builder()
        .method(Method::OPTIONS)
        .uri(NEWS_PATH)
        .header(header::ORIGIN, "https://news.example")
        .header(header::ACCESS_CONTROL_REQUEST_METHOD, "GET")
        .header(header::ACCESS_CONTROL_REQUEST_HEADERS, "if-none-match")
        .body(Body::empty())
        .unwrap();
    let preflight = send(&t.app, preflight).await;
    assert!(preflight
        .header("access-control-allow-headers")
        .unwrap()
        .contains("if-none-match"));
    // Refusals name what is wrong, in JSON, never 5xx.
    for (query, status, code, names) in [
        ("feed=kinh-te", 404, "not_found", "kinh-te"),
        ("feed=Th%E1%BB%83+thao", 422, "invalid_feed", "feed"),
        ("limit=0", 422, "invalid_limit", "limit"),
        ("limit=51", 422, "invalid_limit", "limit"),
        ("limit=abc", 422, "invalid_limit", "limit"),
        ("limit=5&limit=6", 422, "invalid_field", "limit"),
        ("page=2", 422, "invalid_field", "page"),
    ] {
        let reply = send(&t.app, get(&format!("{NEWS_PATH}?{query}"))).await;
        assert_eq!(reply.status.as_u16(), status, "{query}");
        assert_eq!(reply.code(), code, "{query}");
        let message = reply.json()["error"]["message"]
            .as_str()
            .unwrap()
            .to_owned();
        assert!(message.contains(names), "{query}: {message}");
    }
    let post = send(&t.app, post_json(NEWS_PATH, "{}")).await;
    assert_eq!(post.status, StatusCode::METHOD_NOT_ALLOWED);
}

fn in_minutes(minutes: i64) -> i64 {
    chrono::Utc::now().timestamp_millis() + minutes * 60_000
}

async fn post_breaking(t: &TestApp, s: &Session, body: serde_json::Value) -> Reply {
    send(&t.app, admin(Method::POST, BREAKING, Some(body), s)).await
}

async fn pinned_breaking_items_lead_until_they_expire_or_are_unpinned(db: TestDb) {
    let server = FeedServer::start().await;
    server.rss("tin-moi.rss", VN_RSS, None);
    let (t, ingester) = ticker_app(db, &server, limits()).await;
    ingester
        .fetch(&spec("tin-moi", &server.url_of("tin-moi.rss")))
        .await;
    let s = session(&t, "Trực ban").await;
    let first = post_breaking(
        &t,
        &s,
        json!({"title": "  Động đất 5,1 độ ở Kon Tum ", "url": "https://bao.example/dong-dat",
               "expires_at": in_minutes(60)}),
    )
    .await;
    assert_eq!(first.status, StatusCode::CREATED, "{:?}", first.json());
    let first = first.json();
    assert_eq!(first["title"], "Động đất 5,1 độ ở Kon Tum");
    assert_eq!(first["news_id"], format!("b{}", first["id"]));
    assert_eq!(first["live"], true);
    let second = post_breaking(
        &t,
        &s,
        json!({"title": "Chỉ ở Thể thao", "url": "https://bao.example/tt", "feed": "the-thao",
               "expires_at": in_minutes(60)}),
    )
    .await
    .json();
    let third = post_breaking(
        &t,
        &s,
        json!({"title": "Bão số 9 đổ bộ", "url": "https://bao.example/bao-so-9",
               "expires_at": in_minutes(60)}),
    )
    .await
    .json();
    let b = |item: &serde_json::Value| format!("b{}", item["id"]);
    // Newest pin first, then the feed's items; the item for another feed is not here.
    let news = read_news(&t.app, "limit=4").await;
    assert_eq!(
        ids(&news),
        [
            b(&third),
            b(&first),
            "a2".into(),
            "https://bao.example/c.html".into()
        ]
    );
    assert!(news.items[0].breaking && news.items[1].breaking && !news.items[2].breaking);
    assert_eq!(news.items[0].title, "Bão số 9 đổ bộ");
    assert_eq!(
        ids(&read_news(&t.app, "feed=the-thao").await),
        [b(&third), b(&second), b(&first)]
    );
    // Editing changes the text; pinning again makes it the newest pin.
    let path = |item: &serde_json::Value| format!("{BREAKING}/{}", item["id"]);
    let edited = send(
        &t.app,
        admin(
            Method::PATCH,
            &path(&first),
            Some(json!({"title": "Động đất 5,3 độ ở Kon Tum", "pinned": true})),
            &s,
        ),
    )
    .await;
    assert_eq!(edited.status, StatusCode::OK, "{:?}", edited.json());
    let news = read_news(&t.app, "limit=2").await;
    assert_eq!(ids(&news), [b(&first), b(&third)]);
    assert_eq!(news.items[0].title, "Động đất 5,3 độ ở Kon Tum");
    // Unpinned: gone from the ticker, still at the desk.
    let unpinned = send(
        &t.app,
        admin(
            Method::PATCH,
            &path(&third),
            Some(json!({"pinned": false})),
            &s,
        ),
    )
    .await;
    assert_eq!(unpinned.json()["live"], false);
    assert_eq!(
        ids(&read_news(&t.app, "limit=2").await),
        [b(&first), "a2".to_owned()]
    );
    // Expired: gone too.
    let expired = send(&t.app, admin(Method::DELETE, &path(&first), None, &s)).await;
    assert_eq!(expired.status, StatusCode::OK);
    assert_eq!(expired.json()["live"], false);
    assert_eq!(ids(&read_news(&t.app, "limit=1").await), ["a2"]);
    // An item whose expiry passes leaves by itself.
    assert_eq!(
        ids(&read_news(&t.app, "feed=the-thao&limit=1").await),
        [b(&second)]
    );
    exec_sql(
        &t.db,
        &format!(
            "UPDATE ticker_breaking SET expires_ms = {} WHERE id = {}",
            in_minutes(-1),
            second["id"]
        ),
    )
    .await;
    assert!(read_news(&t.app, "feed=the-thao&limit=1")
        .await
        .items
        .is_empty());
    // The desk lists them all, newest first; each change is in the audit log.
    let list = send(&t.app, admin(Method::GET, BREAKING, None, &s))
        .await
        .json();
    let listed: Vec<i64> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_i64().unwrap())
        .collect();
    assert_eq!(listed.len(), 3);
    assert!(listed.windows(2).all(|w| w[0] > w[1]));
    assert_eq!(list["feeds"], json!(["tin-moi", "the-thao"]));
    let audit: Vec<(String,)> = rows(
        &t.db,
        "SELECT action FROM moderation_audit WHERE action LIKE 'breaking%' ORDER BY id",
    )
    .await;
    let audit: Vec<&str> = audit.iter().map(|(a,)| a.as_str()).collect();
    assert_eq!(
        audit,
        [
            "breaking_post",
            "breaking_post",
            "breaking_post",
            "breaking_edit",
            "breaking_unpin",
            "breaking_expire"
        ]
    );
}

async fn exec_sql(db: &TestDb, sql: &str) {
    common::feedback::exec(db, sql).await;
}

async fn breaking_items_need_a_session_csrf_and_valid_fields(db: TestDb) {
    let t = app_on(db, |_| {}).await;
    let s = session(&t, "Trực ban").await;
    let good =
        json!({"title": "Tin nóng", "url": "https://bao.example/n", "expires_at": in_minutes(30)});
    // No session.
    let anonymous = send(&t.app, post_json(BREAKING, good.to_string())).await;
    assert_eq!(
        (anonymous.status, anonymous.code().as_str()),
        (StatusCode::UNAUTHORIZED, "unauthorized")
    );
    assert_eq!(
        send(&t.app, get(BREAKING)).await.status,
        StatusCode::UNAUTHORIZED
    );
    // A session without its CSRF token, or from a foreign origin.
    let mut no_csrf = admin(Method::POST, BREAKING, Some(good.clone()), &s);
    no_csrf.headers_mut().remove("x-bangtin-csrf");
    assert_eq!(send(&t.app, no_csrf).await.code(), "csrf_failed");
    let mut foreign = admin(Method::POST, BREAKING, Some(good.clone()), &s);
    foreign
        .headers_mut()
        .insert(header::ORIGIN, "https://evil.example".parse().unwrap());
    assert_eq!(send(&t.app, foreign).await.code(), "csrf_failed");
    let mut wrong = admin(Method::DELETE, &format!("{BREAKING}/1"), None, &s);
    wrong
        .headers_mut()
        .insert("x-bangtin-csrf", "0".repeat(64).parse().unwrap());
    assert_eq!(send(&t.app, wrong).await.code(), "csrf_failed");
    let stored: Vec<(i64,)> = rows(&t.db, "SELECT id FROM ticker_breaking").await;
    assert!(stored.is_empty(), "nothing stored by a refused write");
    // Bad fields, each named; nothing stored.
    let with = |key: &str, value: serde_json::Value| {
        let mut body = good.clone();
        body[key] = value;
        body
    };
    for (body, code) in [
        (with("title", json!("  ")), "invalid_title"),
        (with("title", json!("ạ".repeat(201))), "invalid_title"),
        (with("url", json!("javascript:alert(1)")), "invalid_url"),
        (with("url", json!("/relative")), "invalid_url"),
        (with("feed", json!("kinh-te")), "invalid_feed"),
        (
            with("expires_at", json!(in_minutes(-5))),
            "invalid_expires_at",
        ),
        (
            with("expires_at", json!(in_minutes(60 * 24 * 31))),
            "invalid_expires_at",
        ),
        (with("expires_at", json!("mai")), "invalid_field"),
        (with("extra", json!(1)), "invalid_field"),
    ] {
        let reply = post_breaking(&t, &s, body.clone()).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(reply.code(), code, "{body}");
    }
    let stored: Vec<(i64,)> = rows(&t.db, "SELECT id FROM ticker_breaking").await;
    assert!(stored.is_empty());
    let created = post_breaking(&t, &s, good.clone()).await;
    assert_eq!(created.status, StatusCode::CREATED);
    let id = created.json()["id"].as_i64().unwrap();
    for (method, path, body, status, code) in [
        (
            Method::PATCH,
            format!("{BREAKING}/{id}"),
            Some(json!({})),
            422,
            "invalid_field",
        ),
        (
            Method::PATCH,
            format!("{BREAKING}/{id}"),
            Some(json!({"url": "data:x"})),
            422,
            "invalid_url",
        ),
        (
            Method::PATCH,
            format!("{BREAKING}/999"),
            Some(json!({"pinned": true})),
            404,
            "not_found",
        ),
        (
            Method::PATCH,
            format!("{BREAKING}/abc"),
            Some(json!({"pinned": true})),
            422,
            "invalid_id",
        ),
        (
            Method::DELETE,
            format!("{BREAKING}/999"),
            None,
            404,
            "not_found",
        ),
        (
            Method::PUT,
            format!("{BREAKING}/{id}"),
            None,
            405,
            "method_not_allowed",
        ),
    ] {
        let reply = send(&t.app, admin(method.clone(), &path, body, &s)).await;
        assert_eq!(reply.status.as_u16(), status, "{method} {path}");
        assert_eq!(reply.code(), code, "{method} {path}");
    }
    // `feed: null` or "" means every feed; b-prefixed ids work too.
    let all = send(
        &t.app,
        admin(
            Method::PATCH,
            &format!("{BREAKING}/b{id}"),
            Some(json!({"feed": "the-thao"})),
            &s,
        ),
    )
    .await
    .json();
    assert_eq!(all["feed"], "the-thao");
    let all = send(
        &t.app,
        admin(
            Method::PATCH,
            &format!("{BREAKING}/{id}"),
            Some(json!({"feed": null})),
            &s,
        ),
    )
    .await
    .json();
    assert_eq!(all["feed"], serde_json::Value::Null);
    let answer = send(&t.app, admin(Method::GET, BREAKING, None, &s)).await;
    assert_eq!(answer.header("cache-control"), Some("no-store"));
    assert!(answer.header("access-control-allow-origin").is_none());
}

async fn the_boot_request_answers_each_ticker_under_its_key(db: TestDb) {
    let server = FeedServer::start().await;
    server.rss("tin-moi.rss", VN_RSS, None);
    let (t, ingester) = ticker_app(db, &server, limits()).await;
    ingester
        .fetch(&spec("tin-moi", &server.url_of("tin-moi.rss")))
        .await;
    let widget = |params: &[(&str, &str)]| BootWidget {
        kind: "ticker".into(),
        params: params
            .iter()
            .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
            .collect(),
    };
    let boot = Boot {
        page: Some("/bai-viet".into()),
        reader: None,
        widgets: vec![
            widget(&[]),
            widget(&[("feed", "tin-moi"), ("limit", "2")]),
            widget(&[("feed", "kinh-te")]),
            widget(&[("feed", "the-thao"), ("limit", "99")]),
            widget(&[("limit", "x")]),
        ],
    };
    let reply = send(&t.app, get(&format!("{BOOT_PATH}?{}", boot.query()))).await;
    assert_eq!(reply.status, StatusCode::OK);
    let items: Vec<TickerFirst> = serde_json::from_value(reply.json()["items"].clone()).unwrap();
    assert_eq!(items[0].key, first_key("", 10));
    let main = items[0].news.as_ref().unwrap();
    assert_eq!(main.feed, "tin-moi");
    assert_eq!(main.items.len(), 5);
    assert_eq!(items[1].key, "tin-moi:2");
    assert_eq!(
        ids(items[1].news.as_ref().unwrap()),
        ["a2", "https://bao.example/c.html"]
    );
    assert_eq!(items[2].key, "kinh-te:10");
    assert!(items[2].news.is_none());
    assert_eq!(items[2].error.as_ref().unwrap().code, "not_found");
    assert_eq!(items[3].key, "the-thao:99");
    assert_eq!(items[3].error.as_ref().unwrap().code, "invalid_limit");
    assert_eq!(items[4].key, ":10");
    assert_eq!(items[4].error.as_ref().unwrap().code, "invalid_limit");
    // The same answer as the news route.
    assert_eq!(
        items[1].news.as_ref().unwrap(),
        &read_news(&t.app, "feed=tin-moi&limit=2").await
    );
}

/// The demo: with no feed configured, the server reads `www/feeds/` from disk, with no network.
#[tokio::test]
async fn without_feeds_the_demo_feeds_of_www_are_shown_offline() {
    let www = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../www");
    let t = app_on(TestDb::sqlite(), |c| {
        c.www_dir = www.clone();
        c.ticker = Options {
            interval: Duration::from_secs(3600),
            ..Options::default()
        };
    })
    .await;
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let status = send(&t.app, get(STATUS)).await.json();
        let feeds = status["feeds"].as_array().unwrap().clone();
        assert_eq!(feeds[0]["name"], "tin-moi", "the main demo feed");
        if feeds.iter().all(|f| f["outcome"] == "ok") {
            assert!(feeds.iter().any(|f| f["name"] == "the-thao"));
            break;
        }
        assert!(Instant::now() < deadline, "demo feeds not read: {status}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let news = read_news(&t.app, "").await;
    assert_eq!(news.feed, "tin-moi");
    assert_eq!(news.items.len(), 10);
    assert!(news
        .items
        .iter()
        .all(|i| i.published_at.is_some() && i.section.is_some()));
    let sport = read_news(&t.app, "feed=the-thao").await;
    assert!(sport.items[0].title.starts_with("Trực tiếp: Việt Nam"));
}

/// A feed just under the 2 MiB limit (1,000 items with long descriptions) is read, parsed and
/// stored (the newest 100) in one fetch; the time is printed for the record.
#[tokio::test]
async fn a_feed_just_under_the_size_limit_is_ingested_whole() {
    let server = FeedServer::start().await;
    let description = "Nội dung mô tả dài của bài báo. ".repeat(40);
    let rss = numbered_rss("big", 1000, 1_800_000_000).replace(
        "</guid>",
        &format!("</guid><description><![CDATA[{description}]]></description>"),
    );
    assert!(
        rss.len() > (1 << 20) && rss.len() < (2 << 20),
        "{}",
        rss.len()
    );
    server.rss("tin-moi.rss", &rss, None);
    let (t, ingester) = ticker_app(TestDb::sqlite(), &server, limits_long()).await;
    let started = Instant::now();
    let outcome = ingester
        .fetch(&spec("tin-moi", &server.url_of("tin-moi.rss")))
        .await;
    let took = started.elapsed();
    eprintln!(
        "ingested a {:.2} MiB feed of 1,000 items (100 kept) in {} ms",
        rss.len() as f64 / 1048576.0,
        took.as_millis()
    );
    assert_eq!(outcome, Outcome::Stored { items: 100 });
    assert!(took < Duration::from_secs(10), "{took:?}");
    assert_eq!(ids(&read_news(&t.app, "limit=2").await), ["big0", "big1"]);
}

fn limits_long() -> Options {
    Options {
        timeout: Duration::from_secs(10),
        ..Options::default()
    }
}

//! The ticker's cases for the hostile-world tests (its news read and its boot share for the
//! randomized HTTP test; its breaking routes for `tests/admin_random.rs`), and what the ticker
//! tests share: the test feeds (configured, never fetched by a background task: tests fetch
//! with an [`Ingester`] of their own), a local feed server, and reads as the widget makes them.

use axum::http::Method;
use bangtin_api::ticker::NEWS_PATH;
use bangtin_api::{Boot, BootWidget, BOOT_PATH};
use bangtin_server::ticker::{FeedSpec, Options};

use super::random::{Endpoint, Gen, Valid};

/// The feeds every test server has (on a closed port: nothing is fetched unless a test asks).
pub const FEEDS: [&str; 2] = ["tin-moi", "the-thao"];

/// Options with [`FEEDS`], no background fetching.
pub fn test_options() -> Options {
    Options {
        feeds: FEEDS
            .iter()
            .map(|name| FeedSpec::parse(&format!("{name}=http://127.0.0.1:9/{name}.rss")).unwrap())
            .collect(),
        background: false,
        ..Options::default()
    }
}

/// The ticker's public routes for the randomized HTTP test, as the widget asks.
pub fn endpoints() -> Vec<Endpoint> {
    vec![
        Endpoint {
            name: "news",
            method: Method::GET,
            path: NEWS_PATH,
            valid: valid_news,
        },
        Endpoint {
            name: "news status",
            method: Method::GET,
            path: "/api/v1/news/status",
            valid: |_| Valid::empty(),
        },
        Endpoint {
            name: "boot (ticker)",
            method: Method::GET,
            path: BOOT_PATH,
            valid: valid_boot,
        },
    ]
}

fn feed(g: &mut Gen) -> Option<String> {
    match g.between(0, 4) {
        0 => None,
        1 => Some(String::new()),
        _ => Some((*g.pick(&FEEDS)).to_owned()),
    }
}

fn valid_news(g: &mut Gen) -> Valid {
    let mut pairs = Vec::new();
    if let Some(feed) = feed(g) {
        pairs.push(("feed", feed));
    }
    if g.chance(0.7) {
        pairs.push(("limit", g.between(1, 51).to_string()));
    }
    Valid::query(
        form_urlencoded::Serializer::new(String::new())
            .extend_pairs(pairs)
            .finish(),
    )
}

fn valid_boot(g: &mut Gen) -> Valid {
    let widgets = (0..g.between(1, 4))
        .map(|_| {
            let mut params = Vec::new();
            if let Some(feed) = feed(g) {
                // A widget's attributes may be anything: a refused one is answered for that
                // widget alone, inside a 200.
                let feed = if g.chance(0.8) { feed } else { g.odd_text() };
                params.push(("feed".to_owned(), feed));
            }
            if g.chance(0.7) {
                let limit = if g.chance(0.8) {
                    g.between(1, 51).to_string()
                } else {
                    g.odd_text()
                };
                params.push(("limit".to_owned(), limit));
            }
            BootWidget {
                kind: "ticker".to_owned(),
                params,
            }
        })
        .collect();
    let boot = Boot {
        page: g.chance(0.5).then(|| g.article()),
        reader: g.chance(0.3).then(|| g.reader()),
        widgets,
    };
    Valid::query(boot.query())
}

/// The breaking item the desk's random requests edit and expire (posted before they start).
pub const BREAKING_ONE: &str = "/api/v1/admin/breaking/1";

/// The breaking routes for `tests/admin_random.rs`, as the desk page sends them.
pub fn admin_endpoints() -> Vec<Endpoint> {
    vec![
        Endpoint {
            name: "breaking list",
            method: Method::GET,
            path: "/api/v1/admin/breaking",
            valid: |g| {
                Valid::query(if g.chance(0.5) {
                    format!("limit={}", g.between(1, 201))
                } else {
                    String::new()
                })
            },
        },
        Endpoint {
            name: "breaking post",
            method: Method::POST,
            path: "/api/v1/admin/breaking",
            valid: valid_breaking_post,
        },
        Endpoint {
            name: "breaking edit",
            method: Method::PATCH,
            path: BREAKING_ONE,
            valid: valid_breaking_patch,
        },
        Endpoint {
            name: "breaking expire",
            method: Method::DELETE,
            path: BREAKING_ONE,
            valid: |_| Valid::empty(),
        },
    ]
}

const TITLES: &[&str] = &[
    "Động đất 5,1 độ ở Kon Tum",
    "Vie\u{0302}\u{0323}t Nam vô địch",
    "  khoảng trắng  ",
    "<b>không</b> phải HTML",
    "\u{202E}bidi\u{202C} và zero\u{200B}width",
    "'; DROP TABLE ticker_breaking; --",
];

fn expiry(g: &mut Gen) -> i64 {
    chrono::Utc::now().timestamp_millis() + 60_000 * g.between(2, 60 * 24 * 29) as i64
}

fn valid_breaking_post(g: &mut Gen) -> Valid {
    let mut body = serde_json::json!({
        "title": format!("{} {}", g.pick(TITLES), g.between(0, 1000)),
        "url": format!("https://bao.example/tin-nong/{}", g.between(0, 1000)),
        "expires_at": expiry(g),
    });
    if g.chance(0.5) {
        body["feed"] =
            serde_json::json!(*g.pick(&[Some("tin-moi"), Some("the-thao"), Some(""), None]));
    }
    if g.chance(0.3) {
        body["pinned"] = serde_json::json!(g.chance(0.5));
    }
    Valid::json(body)
}

fn valid_breaking_patch(g: &mut Gen) -> Valid {
    let mut body = serde_json::json!({});
    while body.as_object().unwrap().is_empty() {
        if g.chance(0.3) {
            body["title"] = serde_json::json!(*g.pick(TITLES));
        }
        if g.chance(0.3) {
            body["url"] = serde_json::json!("http://bao.example/sua");
        }
        if g.chance(0.3) {
            body["feed"] = serde_json::json!(*g.pick(&[Some("tin-moi"), None]));
        }
        if g.chance(0.3) {
            body["pinned"] = serde_json::json!(g.chance(0.5));
        }
        if g.chance(0.3) {
            body["expires_at"] = serde_json::json!(expiry(g));
        }
    }
    Valid::json(body)
}

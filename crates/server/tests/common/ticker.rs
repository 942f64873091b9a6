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

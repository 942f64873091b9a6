//! The countdown's server part: the clock it corrects the reader's clock with.
#![allow(clippy::unwrap_used)]

mod common;

use std::time::{SystemTime, UNIX_EPOCH};

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use bangtin_api::countdown::{ServerTime, TIME_PATH};
use bangtin_api::BOOT_PATH;
use common::*;

fn now_ms() -> u64 {
    u64::try_from(
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_millis(),
    )
    .unwrap()
}

#[tokio::test]
async fn the_time_is_the_servers_clock_in_milliseconds_and_never_cached() {
    let t = app().await;
    let before = now_ms();
    let reply = send(&t.app, get(TIME_PATH)).await;
    let after = now_ms();
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.header("cache-control"), Some("no-store"));
    assert!(reply
        .header("content-type")
        .unwrap()
        .starts_with("application/json"));
    let time: ServerTime = serde_json::from_slice(&reply.body).unwrap();
    assert!(
        (before..=after).contains(&time.now),
        "{before} ≤ {} ≤ {after}",
        time.now
    );
    // A cache buster changes nothing.
    let reply = send(&t.app, get(&format!("{TIME_PATH}?t=123&x"))).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(reply.json()["now"].as_u64().unwrap() >= time.now);
}

#[tokio::test]
async fn the_time_is_read_only_and_refusals_say_why_in_json() {
    let t = app().await;
    let post = Request::builder()
        .method(Method::POST)
        .uri(TIME_PATH)
        .body(Body::empty())
        .unwrap();
    let reply = send(&t.app, post).await;
    assert_eq!(reply.status, StatusCode::METHOD_NOT_ALLOWED);
    assert!(!reply.code().is_empty());
    let reply = send(&t.app, get(&format!("{TIME_PATH}/x"))).await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert!(!reply.code().is_empty());
}

#[tokio::test]
async fn a_page_of_another_allowed_origin_may_read_the_time() {
    let t = app().await;
    let request = Request::get(TIME_PATH)
        .header(header::ORIGIN, "https://news.example")
        .body(Body::empty())
        .unwrap();
    let reply = send(&t.app, request).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(
        reply.header("access-control-allow-origin"),
        Some("https://news.example")
    );
    let request = Request::get(TIME_PATH)
        .header(header::ORIGIN, "https://elsewhere.example")
        .body(Body::empty())
        .unwrap();
    let reply = send(&t.app, request).await;
    assert_eq!(reply.header("access-control-allow-origin"), None);
}

#[tokio::test]
async fn countdowns_in_a_boot_request_get_the_servers_time() {
    let t = app().await;
    let before = now_ms();
    let reply = send(
        &t.app,
        get(&format!(
            "{BOOT_PATH}?page=%2Fa&w=countdown&lunar=01-01&w=rating&w=countdown&to=x"
        )),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK);
    let items = reply.json()["items"].clone();
    for i in [0, 2] {
        assert!(items[i]["now"].as_u64().unwrap() >= before, "{items}");
        assert!(items[i].get("error").is_none(), "{items}");
    }
    assert_eq!(items[1]["key"], "stars:/a");
}

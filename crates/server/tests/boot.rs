//! The boot route every widget answers through (`GET /api/v1/boot`): what it refuses as a whole,
//! and how it answers widgets it does not know. Each widget's own answers are tested with the
//! widget (`rating.rs`, …).
#![allow(clippy::unwrap_used)]

mod common;

use axum::http::StatusCode;
use bangtin_api::BOOT_PATH;
use common::*;

#[tokio::test]
async fn a_boot_request_is_refused_as_a_whole_only_for_its_shape() {
    let t = app().await;
    let cases = [
        ("", "invalid_field"),
        ("page=%2Fa", "invalid_field"),
        ("scale=stars&w=rating", "invalid_field"),
        ("page=a&page=b&w=rating", "invalid_field"),
        ("reader=nope&w=rating", "invalid_reader"),
    ];
    for (query, code) in cases {
        let reply = send(&t.app, get(&format!("{BOOT_PATH}?{query}"))).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{query}");
        assert_eq!(reply.code(), code, "{query}");
    }
    let many = vec!["w=rating"; bangtin_api::MAX_BOOT_WIDGETS + 1].join("&");
    let reply = send(&t.app, get(&format!("{BOOT_PATH}?{many}"))).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.json()["error"]["message"]
        .as_str()
        .unwrap()
        .contains("at most 200"));
}

#[tokio::test]
async fn a_widget_the_server_does_not_know_fails_alone() {
    let t = app().await;
    let reply = send(
        &t.app,
        get(&format!("{BOOT_PATH}?page=%2Fa&w=nope&w=rating")),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK);
    let items = reply.json()["items"].clone();
    assert_eq!(items[0]["error"]["code"], "unknown_widget");
    assert_eq!(items[1]["key"], "stars:/a");
    assert_eq!(items[1]["count"], 0);
    assert_eq!(reply.header("cache-control"), Some("public, max-age=10"));
}

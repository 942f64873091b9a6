//! The checks the router applies to every write, whichever widget it is for: the origin, the
//! client's address (behind proxies), the write limit, and the secret the server starts with.
//! Each test fails if the check it names is removed: the write it sends is otherwise valid.
#![allow(clippy::unwrap_used)]

mod common;

use std::net::SocketAddr;

use axum::body::Body;
use axum::extract::connect_info::ConnectInfo;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use bangtin_api::{Scale, VOTES_PATH};
use common::*;

/// A valid vote, sent with extra headers.
fn vote_with(headers: &[(&str, &str)], reader: &str) -> Request<Body> {
    let mut request = Request::post(VOTES_PATH).header(header::CONTENT_TYPE, "application/json");
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    request
        .body(Body::from(vote_body("/a", "stars", 3, reader)))
        .unwrap()
}

/// [`vote_with`], arriving over TCP from `peer` (what `serve` records for each connection).
fn vote_from(peer: &str, headers: &[(&str, &str)], reader: &str) -> Request<Body> {
    let addr: SocketAddr = peer.parse().unwrap();
    let mut request = vote_with(headers, reader);
    request.extensions_mut().insert(ConnectInfo(addr));
    request
}

/// A reader id of its own for each `i`.
fn reader(i: u32) -> String {
    format!("{i:032x}")
}

/// One app over a fresh SQLite file, without a fixed peer: each request says where it comes
/// from ([`vote_from`]), so that one limiter sees several clients.
async fn bare_app(adjust: impl FnOnce(&mut bangtin_server::Config)) -> (TestApp, Router) {
    let t = app_on(TestDb::sqlite(), adjust).await;
    let app = bangtin_server::build_app(&t.config).await.unwrap();
    (t, app)
}

#[tokio::test]
async fn a_valid_vote_from_a_foreign_origin_is_forbidden_and_not_stored() {
    let t = app().await;
    let request = vote_with(
        &[
            ("host", "ratings.example:8080"),
            ("origin", "https://evil.example"),
        ],
        READER_A,
    );
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

#[tokio::test]
async fn configured_and_own_origins_write_and_get_cors_headers() {
    let t = app().await;
    for (origin, host) in [
        ("https://news.example", "ratings.example:8080"),
        ("http://ratings.example:8080", "ratings.example:8080"),
    ] {
        let reply = send(
            &t.app,
            vote_with(&[("host", host), ("origin", origin)], READER_A),
        )
        .await;
        assert_eq!(reply.status, StatusCode::OK, "{origin}");
        assert_eq!(reply.header("access-control-allow-origin"), Some(origin));

        let preflight = Request::options(VOTES_PATH)
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
    }
    assert_eq!(t.db.vote_rows().await.len(), 1, "same reader: one vote");
}

#[tokio::test]
async fn writes_over_the_limit_get_429_with_retry_after_and_reads_go_on() {
    let t = app_on(TestDb::sqlite(), |c| c.write_rate_limit = 2).await;
    for i in 0..2 {
        assert_eq!(
            send(&t.app, vote_with(&[], &reader(i))).await.status,
            StatusCode::OK
        );
    }
    // A fresh reader id does not help: the limit is per client address.
    let reply = send(&t.app, vote_with(&[], &reader(99))).await;
    assert_eq!(reply.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(reply.code(), "rate_limited");
    let retry: u64 = reply.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=60).contains(&retry), "{retry}");
    assert_eq!(t.db.vote_rows().await.len(), 2);
    let read = ratings(&t.app, &get_ratings(None, &[("/a", Scale::Stars)])).await;
    assert_eq!(read.status, StatusCode::OK, "reads are not limited");
}

#[tokio::test]
async fn one_address_minting_fresh_reader_ids_is_cut_off_while_another_still_votes() {
    let (_t, app) = bare_app(|c| c.write_rate_limit = 30).await;
    let mut accepted = 0;
    for i in 0..1000 {
        let reply = send(&app, vote_from("198.51.100.9:5000", &[], &reader(i))).await;
        if reply.status == StatusCode::OK {
            accepted += 1;
        }
    }
    assert_eq!(accepted, 30, "the burst, then nothing");
    let neighbour = vote_from("198.51.100.10:1234", &[], &reader(5000));
    assert_eq!(send(&app, neighbour).await.status, StatusCode::OK);
}

#[tokio::test]
async fn behind_a_trusted_proxy_a_spoofed_leftmost_address_does_not_escape_the_limit() {
    let (_t, app) = bare_app(|c| {
        c.write_rate_limit = 1;
        c.trusted_proxies = vec!["10.0.0.0/8".into()];
    })
    .await;
    // The client writes any address it likes first; our proxy appends the one it saw.
    let spoofed = |fake: &str, i| {
        let chain = format!("{fake}, 203.0.113.5");
        vote_from("10.0.0.1:443", &[("x-forwarded-for", &chain)], &reader(i))
    };
    assert_eq!(
        send(&app, spoofed("198.51.100.1", 1)).await.status,
        StatusCode::OK
    );
    assert_eq!(
        send(&app, spoofed("198.51.100.2", 2)).await.status,
        StatusCode::TOO_MANY_REQUESTS,
        "the client is 203.0.113.5 both times"
    );
    let other = vote_from(
        "10.0.0.1:443",
        &[("x-forwarded-for", "203.0.113.6")],
        &reader(3),
    );
    assert_eq!(send(&app, other).await.status, StatusCode::OK);
}

#[tokio::test]
async fn forwarded_for_from_a_peer_that_is_not_a_trusted_proxy_is_ignored() {
    let (_t, app) = bare_app(|c| {
        c.write_rate_limit = 1;
        c.trusted_proxies = vec!["10.0.0.0/8".into()];
    })
    .await;
    let claiming = |ip: &str, i| vote_from("192.0.2.50:7", &[("x-forwarded-for", ip)], &reader(i));
    assert_eq!(
        send(&app, claiming("198.51.100.1", 1)).await.status,
        StatusCode::OK
    );
    assert_eq!(
        send(&app, claiming("198.51.100.2", 2)).await.status,
        StatusCode::TOO_MANY_REQUESTS
    );
}

#[tokio::test]
async fn ipv6_clients_are_limited_per_64() {
    let (_t, app) = bare_app(|c| c.write_rate_limit = 1).await;
    let from = |peer: &str, i| vote_from(peer, &[], &reader(i));
    assert_eq!(
        send(&app, from("[2001:db8:5:6::1]:1", 1)).await.status,
        StatusCode::OK
    );
    assert_eq!(
        send(&app, from("[2001:db8:5:6:ffff::2]:1", 2)).await.status,
        StatusCode::TOO_MANY_REQUESTS,
        "the same /64"
    );
    assert_eq!(
        send(&app, from("[2001:db8:5:7::1]:1", 3)).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn a_write_whose_client_address_is_unknown_is_refused_not_waved_through() {
    let t = app().await;
    // No ConnectInfo at all: the server cannot tell who writes.
    let bare = bangtin_server::build_app(&t.config).await.unwrap();
    let reply = send(&bare, vote_with(&[], READER_A)).await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    assert_eq!(reply.code(), "no_client_address");
    // Behind a trusted proxy, a garbled hop is no address either.
    let (_t, proxied) = bare_app(|c| c.trusted_proxies = vec!["10.0.0.1".into()]).await;
    let garbled = vote_from(
        "10.0.0.1:443",
        &[("x-forwarded-for", "1.2.3.4, garbage")],
        READER_A,
    );
    let reply = send(&proxied, garbled).await;
    assert_eq!(reply.code(), "no_client_address");
    assert!(t.db.vote_rows().await.is_empty());
    // Reads need no address.
    let read = ratings(&bare, &get_ratings(None, &[("/a", Scale::Stars)])).await;
    assert_eq!(read.status, StatusCode::OK);
}

#[tokio::test]
async fn a_missing_or_short_secret_refuses_to_start() {
    let dir = tempfile::tempdir().unwrap();
    let db = TestDb::sqlite();
    for (secret, expected) in [
        (&b""[..], "no reader-hash secret"),
        (&b"\n"[..], "no reader-hash secret"),
        (
            &b"hunter2"[..],
            "the reader-hash secret is 7 bytes; it must be at least 32",
        ),
    ] {
        let mut config = config(&dir, &db.url);
        config.secret = secret.to_vec();
        let err = bangtin_server::build_app(&config)
            .await
            .expect_err("refused");
        assert!(err.to_string().contains(expected), "{err}");
    }
}

#[tokio::test]
async fn a_bad_trusted_proxy_refuses_to_start_naming_it() {
    let t = app().await;
    let mut config = t.config.clone();
    config.trusted_proxies = vec!["10.0.0.0/8".into(), "proxy.internal".into()];
    let err = bangtin_server::build_app(&config)
        .await
        .expect_err("refused");
    assert!(err.to_string().contains("\"proxy.internal\""), "{err}");
}

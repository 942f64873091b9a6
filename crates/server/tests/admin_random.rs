//! The randomized HTTP test (issue 7's machinery, `common::random`) for the moderation desk and
//! the likes and the ticker's breaking items, on each backend: generated admin requests, as the desk page sends them, bent in
//! every way the harness bends requests, sent with a moderator's session (a layer adds the
//! cookie and CSRF token the page would send); then the same valid requests without a session
//! (every one 401) and without the CSRF token (every write 403).
#![allow(clippy::unwrap_used)]

mod common;

use std::time::Instant;

use axum::extract::Request;
use axum::http::{header, HeaderValue, Method};
use axum::middleware::Next;
use common::feedback::*;
use common::random::{random_requests, Endpoint, Gen, Valid};
use common::*;
use serde_json::json;

on_both_backends!(random_admin_requests_never_get_a_5xx_and_need_a_session_and_csrf);

/// Requests per backend.
const REQUESTS: usize = 2_000;

/// Items deleted and restored at random.
fn deletable(g: &mut Gen) -> String {
    key(g.between(0, 5) as u64)
}

/// Items whose status changes at random (never deleted).
fn movable(g: &mut Gen) -> String {
    key(10 + g.between(0, 5) as u64)
}

/// The published item readers like (never touched by the desk's generators).
const LIKED: u64 = 20;

fn ids(g: &mut Gen, pick: fn(&mut Gen) -> String) -> Vec<String> {
    (0..g.between(1, 6)).map(|_| pick(g)).collect()
}

fn valid_list(g: &mut Gen) -> Valid {
    let mut pairs = vec![(
        "status",
        (*g.pick(&["pending", "published", "rejected", "spam", "deleted"])).to_owned(),
    )];
    if g.chance(0.3) {
        pairs.push(("article", g.article()));
    }
    if g.chance(0.3) {
        pairs.push((
            "before",
            format!("{}-{}", g.between(0, 2_000_000_000), g.reader()),
        ));
    }
    if g.chance(0.5) {
        pairs.push(("limit", g.between(1, 101).to_string()));
    }
    Valid::query(
        form_urlencoded::Serializer::new(String::new())
            .extend_pairs(pairs)
            .finish(),
    )
}

fn valid_action(g: &mut Gen) -> Valid {
    if g.chance(0.4) {
        let action = *g.pick(&["delete", "restore"]);
        Valid::json(json!({"action": action, "ids": ids(g, deletable)}))
    } else {
        let action = *g.pick(&["approve", "reject", "spam", "pending"]);
        Valid::json(json!({"action": action, "ids": ids(g, movable)}))
    }
}

fn valid_reply(g: &mut Gen) -> Valid {
    let message = format!(
        "{} {}",
        g.pick(&[
            "Cảm ơn bạn.",
            "Tòa soạn\nđã sửa.",
            "<b>không</b> phải HTML",
            "\u{202E}bidi",
            "ạ"
        ]),
        g.between(0, 1000)
    );
    let pick = if g.chance(0.5) { deletable } else { movable };
    Valid::json(json!({"ids": ids(g, pick), "message": message}))
}

fn valid_audit(g: &mut Gen) -> Valid {
    Valid::query(if g.chance(0.5) {
        format!("limit={}", g.between(1, 501))
    } else {
        String::new()
    })
}

fn valid_export(g: &mut Gen) -> Valid {
    let format = *g.pick(&["json", "csv"]);
    let deleted = *g.pick(&["", "&include_deleted=true", "&include_deleted=false"]);
    Valid::query(format!("format={format}{deleted}"))
}

fn valid_like(g: &mut Gen) -> Valid {
    Valid::json(json!({"id": key(LIKED), "reader": g.reader()}))
}

/// The desk's routes (but logout and login, which end or need no session) and the likes.
fn endpoints() -> Vec<Endpoint> {
    vec![
        Endpoint {
            name: "admin session",
            method: Method::GET,
            path: ADMIN_SESSION,
            valid: |_| Valid::empty(),
        },
        Endpoint {
            name: "admin list",
            method: Method::GET,
            path: ADMIN_FEEDBACK,
            valid: valid_list,
        },
        Endpoint {
            name: "admin actions",
            method: Method::POST,
            path: ADMIN_ACTIONS,
            valid: valid_action,
        },
        Endpoint {
            name: "admin replies",
            method: Method::POST,
            path: ADMIN_REPLIES,
            valid: valid_reply,
        },
        Endpoint {
            name: "admin audit",
            method: Method::GET,
            path: ADMIN_AUDIT,
            valid: valid_audit,
        },
        Endpoint {
            name: "admin export",
            method: Method::GET,
            path: ADMIN_EXPORT,
            valid: valid_export,
        },
        Endpoint {
            name: "likes",
            method: Method::POST,
            path: LIKES_PATH,
            valid: valid_like,
        },
    ]
    .into_iter()
    .chain(common::ticker::admin_endpoints())
    .collect()
}

fn seed() -> u64 {
    std::env::var("BANGTIN_TEST_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(rand::random)
}

async fn random_admin_requests_never_get_a_5xx_and_need_a_session_and_csrf(db: TestDb) {
    let backend = if db.is_postgres() {
        "postgres"
    } else {
        "sqlite"
    };
    let t = app_on(db, |c| c.trusted_proxies = vec!["192.0.2.0/24".into()]).await;
    submit_many(&t.app, "/a", 0, 5).await;
    submit_many(&t.app, "/a", 10, 5).await;
    submit_many(&t.app, "/a", LIKED, 1).await;
    let s = session(&t, "Biên tập").await;
    // The breaking item the generated edits and expiries change.
    let first = json!({"title": "Tin nóng", "url": "https://bao.example/n",
                       "expires_at": chrono::Utc::now().timestamp_millis() + 3_600_000});
    let posted = send(
        &t.app,
        admin(Method::POST, "/api/v1/admin/breaking", Some(first), &s),
    )
    .await;
    assert_eq!(posted.json()["id"], 1);
    assert_eq!(
        act(&t.app, &s, "approve", &[&key(LIKED)])
            .await
            .status
            .as_u16(),
        200
    );
    // What the desk page adds to each of its requests: the cookie and the CSRF token.
    let (cookie, csrf) = (
        HeaderValue::from_str(&s.cookie).unwrap(),
        HeaderValue::from_str(&s.csrf).unwrap(),
    );
    let signed = t.app.clone().layer(axum::middleware::from_fn(
        move |mut request: Request, next: Next| {
            let (cookie, csrf) = (cookie.clone(), csrf.clone());
            async move {
                request
                    .headers_mut()
                    .entry(header::COOKIE)
                    .or_insert(cookie);
                request
                    .headers_mut()
                    .entry("x-bangtin-csrf")
                    .or_insert(csrf);
                next.run(request).await
            }
        },
    ));
    let seed = seed();
    let started = Instant::now();
    let report = random_requests(&signed, &endpoints(), REQUESTS, seed).await;
    eprintln!(
        "random admin HTTP ({backend}, seed {seed}, replay with BANGTIN_TEST_SEED={seed}): {} \
         requests sent, {} answered 5xx, {} broke a requirement, in {:.1} s; by status: {:?}",
        report.sent,
        report.server_errors,
        report.failed,
        started.elapsed().as_secs_f64(),
        report.statuses
    );
    assert!(
        report.failures.is_empty(),
        "{} failures, the first ones:\n{}",
        report.failed,
        report.failures.join("\n")
    );
    assert_eq!(report.server_errors, 0);
    for status in [200, 403, 404, 405, 413, 415, 422] {
        assert!(
            report.statuses.contains_key(&status),
            "no {status} among {:?}",
            report.statuses
        );
    }
    // The same valid requests without a session: 401 every one; with the session but without
    // the CSRF token: every write 403. Nothing changes either way.
    let before = snapshot(&t.db).await;
    let mut g = Gen::new(seed);
    let mut counted = (0, 0);
    for endpoint in endpoints().iter().filter(|e| e.path != LIKES_PATH) {
        for _ in 0..30 {
            let valid = (endpoint.valid)(&mut g);
            let target = if valid.query.is_empty() {
                endpoint.path.to_owned()
            } else {
                format!("{}?{}", endpoint.path, valid.query)
            };
            let build = |cookie: Option<&str>| {
                let mut request = axum::http::Request::builder()
                    .method(endpoint.method.clone())
                    .uri(&target);
                if let Some(cookie) = cookie {
                    request = request.header(header::COOKIE, cookie);
                }
                match &valid.json {
                    Some(json) => request
                        .header(header::CONTENT_TYPE, "application/json")
                        .body(axum::body::Body::from(json.to_string()))
                        .unwrap(),
                    None => request.body(axum::body::Body::empty()).unwrap(),
                }
            };
            let reply = send(&t.app, build(None)).await;
            assert_eq!(
                (reply.status.as_u16(), reply.code().as_str()),
                (401, "unauthorized"),
                "{} {target}",
                endpoint.method
            );
            counted.0 += 1;
            if endpoint.method != Method::GET {
                let reply = send(&t.app, build(Some(&s.cookie))).await;
                assert_eq!(
                    (reply.status.as_u16(), reply.code().as_str()),
                    (403, "csrf_failed"),
                    "{} {target}",
                    endpoint.method
                );
                counted.1 += 1;
            }
        }
    }
    // The login and logout without a session, too.
    for _ in 0..3 {
        let reply = send(&t.app, post_json(ADMIN_LOGOUT, "")).await;
        assert_eq!(reply.status.as_u16(), 401);
        let reply = send(&t.app, login_request(&g.reader().repeat(2))).await;
        assert_eq!(reply.status.as_u16(), 401);
    }
    eprintln!(
        "admin without a session: {} requests, all 401; without CSRF: {} writes, all 403",
        counted.0, counted.1
    );
    let mut after = snapshot(&t.db).await;
    assert_eq!(after.len(), before.len());
    after.retain(|l| !l.starts_with("s|"));
    let mut before = before;
    before.retain(|l| !l.starts_with("s|"));
    assert_eq!(after, before, "a refused request changed something");
}

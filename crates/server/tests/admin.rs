//! The moderation desk's API (issue 8), on both backends: who may use it (sessions, CSRF,
//! origin, login limits, one-time tokens, cookie attributes), what it does (the flow from a
//! reader's send to a published item with a reply, bulk actions and their undo, the audit log,
//! exports), what it refuses, and that no token reaches the logs.
#![allow(clippy::unwrap_used)]

mod common;

use std::sync::{Arc, Mutex};

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use bangtin_api::feedback::Sort;
use bangtin_server::db::Db;
use bangtin_server::feedback::{moderators, open_store};
use common::feedback::*;
use common::*;
use serde_json::{json, Value};

on_both_backends!(
    admin_routes_answer_401_without_a_live_session,
    admin_writes_need_the_csrf_token_and_the_servers_own_origin,
    login_tokens_work_once_and_failed_logins_are_limited,
    good_logins_never_count_against_the_login_limit,
    the_session_cookie_is_httponly_samesite_strict_and_secure_only_over_https,
    a_send_is_approved_replied_to_liked_undone_and_audited,
    bulk_actions_are_all_or_nothing,
    bad_admin_requests_get_a_4xx_naming_the_field_and_change_nothing,
    exports_hold_everything_with_quoting_a_bom_and_no_formulas,
);

fn text(reply: &Reply) -> String {
    String::from_utf8_lossy(&reply.body).into_owned()
}

/// Every admin route, as the desk page calls it (with the session and CSRF of `s`).
fn every_route(s: &Session, id: &str) -> Vec<Request<Body>> {
    vec![
        admin(Method::GET, ADMIN_SESSION, None, s),
        admin(Method::GET, ADMIN_FEEDBACK, None, s),
        admin(Method::GET, ADMIN_AUDIT, None, s),
        admin(Method::GET, &format!("{ADMIN_EXPORT}?format=csv"), None, s),
        admin(
            Method::POST,
            ADMIN_ACTIONS,
            Some(json!({"action": "approve", "ids": [id]})),
            s,
        ),
        admin(
            Method::POST,
            ADMIN_REPLIES,
            Some(json!({"ids": [id], "message": "Cảm ơn bạn."})),
            s,
        ),
        admin(
            Method::DELETE,
            &format!("{ADMIN_REPLIES}/{}", key(77)),
            None,
            s,
        ),
        admin(Method::POST, ADMIN_LOGOUT, None, s),
    ]
}

async fn assert_all_unauthorized(t: &TestApp, s: &Session, id: &str, why: &str) {
    let before = snapshot(&t.db).await;
    for request in every_route(s, id) {
        let what = format!("{} {} ({why})", request.method(), request.uri());
        let reply = send(&t.app, request).await;
        assert_eq!(
            reply.status,
            StatusCode::UNAUTHORIZED,
            "{what}: {}",
            text(&reply)
        );
        assert_eq!(reply.code(), "unauthorized", "{what}");
        assert_eq!(reply.header("cache-control"), Some("no-store"), "{what}");
        assert!(
            reply.header("access-control-allow-origin").is_none(),
            "{what}"
        );
    }
    assert_eq!(snapshot(&t.db).await, before, "{why}: something changed");
}

async fn admin_routes_answer_401_without_a_live_session(db: TestDb) {
    let t = app_on(db, |_| {}).await;
    let id = submit_many(&t.app, "/a", 0, 1).await.remove(0);
    let live = session(&t, "Biên tập").await;
    // The live session works everywhere (the last route logs it out).
    for request in every_route(&live, &id) {
        let what = format!("{} {}", request.method(), request.uri());
        let reply = send(&t.app, request).await;
        assert!(
            reply.status.is_success() || reply.status == StatusCode::NOT_FOUND,
            "{what}: {}",
            text(&reply)
        );
    }
    // Logged out: gone.
    assert_all_unauthorized(&t, &live, &id, "logged out").await;
    // No cookie, a made-up one, a malformed one.
    let nobody = Session {
        moderator: 0,
        cookie: "other=1".into(),
        csrf: "x".into(),
    };
    assert_all_unauthorized(&t, &nobody, &id, "no session").await;
    let made_up = Session {
        cookie: format!("bangtin_session={}", "ab".repeat(32)),
        ..nobody.clone()
    };
    assert_all_unauthorized(&t, &made_up, &id, "unknown session").await;
    let malformed = Session {
        cookie: "bangtin_session=../../etc".into(),
        ..nobody
    };
    assert_all_unauthorized(&t, &malformed, &id, "malformed session").await;
    // Idle for more than 12 hours.
    let idle = session(&t, "Ngủ quên").await;
    exec(
        &t.db,
        &format!(
            "UPDATE moderator_sessions SET seen_ms = seen_ms - 43200001 WHERE moderator_id = {}",
            idle.moderator
        ),
    )
    .await;
    assert_all_unauthorized(&t, &idle, &id, "idle session").await;
    // Older than 7 days, however busy.
    let old = session(&t, "Lâu năm").await;
    exec(&t.db, &format!("UPDATE moderator_sessions SET created_ms = created_ms - 604800001 WHERE moderator_id = {}", old.moderator)).await;
    assert_all_unauthorized(&t, &old, &id, "expired session").await;
    // Revoked: their live session ends at once.
    let revoked = session(&t, "Đã nghỉ").await;
    let store = open_store(&Db::open(&t.db.url).await.unwrap());
    moderators::revoke(store.as_ref(), revoked.moderator)
        .await
        .unwrap();
    assert_all_unauthorized(&t, &revoked, &id, "revoked moderator").await;
    // A session whose moderator is revoked behind its back (no session cleanup) is refused too.
    let sneaky = session(&t, "Lén").await;
    exec(
        &t.db,
        &format!(
            "UPDATE moderators SET revoked_ms = 1 WHERE id = {}",
            sneaky.moderator
        ),
    )
    .await;
    assert_all_unauthorized(&t, &sneaky, &id, "revoked in the database").await;
}

/// Changes a request the way an attacker (or a stale page) would.
type Bend<'a> = dyn Fn(Request<Body>) -> Request<Body> + 'a;

async fn admin_writes_need_the_csrf_token_and_the_servers_own_origin(db: TestDb) {
    let t = app_on(db, |_| {}).await;
    let id = submit_many(&t.app, "/a", 0, 1).await.remove(0);
    let s = session(&t, "Biên tập").await;
    let other = session(&t, "Người khác").await;
    let writes = |s: &Session| {
        vec![
            admin(
                Method::POST,
                ADMIN_ACTIONS,
                Some(json!({"action": "approve", "ids": [id]})),
                s,
            ),
            admin(
                Method::POST,
                ADMIN_REPLIES,
                Some(json!({"ids": [id], "message": "Cảm ơn."})),
                s,
            ),
            admin(
                Method::DELETE,
                &format!("{ADMIN_REPLIES}/{}", key(77)),
                None,
                s,
            ),
            admin(Method::POST, ADMIN_LOGOUT, None, s),
        ]
    };
    let before = snapshot(&t.db).await;
    let cases: Vec<(&str, Box<Bend<'_>>)> = vec![
        (
            "no CSRF header",
            Box::new(|mut r: Request<Body>| {
                r.headers_mut().remove("x-bangtin-csrf");
                r
            }),
        ),
        (
            "a wrong CSRF token",
            Box::new(|mut r: Request<Body>| {
                r.headers_mut()
                    .insert("x-bangtin-csrf", "0".repeat(32).parse().unwrap());
                r
            }),
        ),
        (
            "another session's CSRF token",
            Box::new(|mut r: Request<Body>| {
                r.headers_mut()
                    .insert("x-bangtin-csrf", other.csrf.parse().unwrap());
                r
            }),
        ),
        (
            "a foreign Origin",
            Box::new(|mut r: Request<Body>| {
                r.headers_mut()
                    .insert(header::HOST, "bangtin.example".parse().unwrap());
                r.headers_mut()
                    .insert(header::ORIGIN, "https://evil.example".parse().unwrap());
                r
            }),
        ),
        (
            "an allowed reader site as Origin",
            Box::new(|mut r: Request<Body>| {
                r.headers_mut()
                    .insert(header::HOST, "bangtin.example".parse().unwrap());
                r.headers_mut()
                    .insert(header::ORIGIN, "https://news.example".parse().unwrap());
                r
            }),
        ),
        (
            "Origin null",
            Box::new(|mut r: Request<Body>| {
                r.headers_mut()
                    .insert(header::ORIGIN, "null".parse().unwrap());
                r
            }),
        ),
    ];
    for (why, bend) in &cases {
        for request in writes(&s) {
            let what = format!("{} {} with {why}", request.method(), request.uri());
            let reply = send(&t.app, bend(request)).await;
            assert_eq!(
                reply.status,
                StatusCode::FORBIDDEN,
                "{what}: {}",
                text(&reply)
            );
            assert_eq!(reply.code(), "csrf_failed", "{what}");
        }
    }
    // The login refuses a foreign origin too (login CSRF).
    let (_, token) = add_moderator(&t.db, "Mới").await;
    let mut login = login_request(&token);
    login
        .headers_mut()
        .insert(header::ORIGIN, "https://evil.example".parse().unwrap());
    assert_eq!(send(&t.app, login).await.code(), "csrf_failed");
    let mut after = snapshot(&t.db).await;
    // Only the new moderator row differs.
    after.retain(|line| !line.starts_with("m|") && !line.starts_with("a|"));
    let mut before = before;
    before.retain(|line| !line.starts_with("m|") && !line.starts_with("a|"));
    assert_eq!(after, before, "a refused write changed something");
    // The server's own origin (Host over http or https) with the token is fine.
    let mut ok = admin(
        Method::POST,
        ADMIN_ACTIONS,
        Some(json!({"action": "approve", "ids": [id]})),
        &s,
    );
    ok.headers_mut()
        .insert(header::HOST, "bangtin.example".parse().unwrap());
    ok.headers_mut()
        .insert(header::ORIGIN, "https://bangtin.example".parse().unwrap());
    assert_eq!(send(&t.app, ok).await.status, StatusCode::OK);
    // With --public-url, only that origin.
    let app = another_app(&t, |c| {
        c.feedback.public_url = Some("https://desk.example".into())
    })
    .await;
    for (origin, status) in [
        ("https://desk.example", 200),
        ("http://desk.example", 403),
        ("https://bangtin.example", 403),
    ] {
        let mut r = admin(
            Method::POST,
            ADMIN_ACTIONS,
            Some(json!({"action": "approve", "ids": [id]})),
            &s,
        );
        r.headers_mut()
            .insert(header::HOST, "bangtin.example".parse().unwrap());
        r.headers_mut()
            .insert(header::ORIGIN, origin.parse().unwrap());
        assert_eq!(send(&app, r).await.status.as_u16(), status, "{origin}");
    }
}

async fn login_tokens_work_once_and_failed_logins_are_limited(db: TestDb) {
    let t = app_on(db, |_| {}).await;
    let (id, token) = add_moderator(&t.db, "Biên tập").await;
    let stored: Vec<(Option<String>,)> = rows(&t.db, "SELECT token_hash FROM moderators").await;
    assert_ne!(
        stored[0].0.as_deref(),
        Some(token.as_str()),
        "only the hash is stored"
    );
    let first = send(&t.app, login_request(&token)).await;
    assert_eq!(first.status, StatusCode::OK);
    assert_eq!(
        first.json()["moderator"],
        json!({"id": id, "name": "Biên tập"})
    );
    let again = send(&t.app, login_request(&token)).await;
    assert_eq!(
        (again.status, again.code().as_str()),
        (StatusCode::UNAUTHORIZED, "invalid_token")
    );
    // A fresh token for the same moderator works (once); the first session still does.
    let store = open_store(&Db::open(&t.db.url).await.unwrap());
    let (_, fresh) = moderators::new_token(store.as_ref(), id).await.unwrap();
    let app = another_app(&t, |_| {}).await;
    assert_eq!(
        send(&app, login_request(&fresh)).await.status,
        StatusCode::OK
    );
    // A revoked moderator's unused token is dead.
    let (gone, gone_token) = add_moderator(&t.db, "Đã nghỉ").await;
    moderators::revoke(store.as_ref(), gone).await.unwrap();
    assert_eq!(
        send(&app, login_request(&gone_token)).await.code(),
        "invalid_token"
    );
    // Five attempts a minute per client address, then 429 with Retry-After: even the right
    // token waits.
    let (_, good) = add_moderator(&t.db, "Kiên nhẫn").await;
    let app = another_app(&t, |_| {}).await;
    for i in 0..5 {
        let reply = send(&app, login_request(&"0".repeat(64))).await;
        assert_eq!(reply.code(), "invalid_token", "attempt {i}");
    }
    let limited = send(&app, login_request(&good)).await;
    assert_eq!(
        (limited.status, limited.code().as_str()),
        (StatusCode::TOO_MANY_REQUESTS, "rate_limited")
    );
    let wait: u64 = limited.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=60).contains(&wait), "{wait}");
    // Malformed tokens are refused like wrong ones (and counted).
    let fresh_app = another_app(&t, |_| {}).await;
    for bad in [json!({"token": "short"}), json!({"token": ""})] {
        let reply = send(&fresh_app, post_json(ADMIN_LOGIN, bad.to_string())).await;
        assert_eq!(reply.code(), "invalid_token", "{bad}");
    }
    // The good token was not used up by the refused attempt.
    assert_eq!(
        send(&fresh_app, login_request(&good)).await.status,
        StatusCode::OK
    );
}

async fn good_logins_never_count_against_the_login_limit(db: TestDb) {
    // A newsroom behind one address: ten moderators log in within a minute.
    let t = app_on(db, |_| {}).await;
    for i in 0..10 {
        let (_, token) = add_moderator(&t.db, &format!("Biên tập {i}")).await;
        let reply = send(&t.app, login_request(&token)).await;
        assert_eq!(reply.status, StatusCode::OK, "login {i}");
    }
    // Four failures still leave room for a good login, and then for one more failure.
    for i in 0..4 {
        let reply = send(&t.app, login_request(&"0".repeat(64))).await;
        assert_eq!(reply.code(), "invalid_token", "failure {i}");
    }
    let (_, token) = add_moderator(&t.db, "Kịp giờ").await;
    assert_eq!(
        send(&t.app, login_request(&token)).await.status,
        StatusCode::OK
    );
    assert_eq!(
        send(&t.app, login_request(&"1".repeat(64))).await.code(),
        "invalid_token"
    );
    // The fifth failure was the last: now even a good token waits.
    let (_, late) = add_moderator(&t.db, "Trễ").await;
    assert_eq!(
        send(&t.app, login_request(&late)).await.code(),
        "rate_limited"
    );
}

async fn the_session_cookie_is_httponly_samesite_strict_and_secure_only_over_https(db: TestDb) {
    let t = app_on(db, |_| {}).await;
    let cookie_of = |reply: &Reply| reply.header("set-cookie").unwrap().to_owned();
    let (_, token) = add_moderator(&t.db, "A").await;
    let plain = cookie_of(&send(&t.app, login_request(&token)).await);
    assert!(plain.starts_with("bangtin_session="), "{plain}");
    let attributes: Vec<&str> = plain.split("; ").skip(1).collect();
    assert!(
        attributes.contains(&"HttpOnly")
            && attributes.contains(&"SameSite=Strict")
            && attributes.contains(&"Path=/"),
        "{plain}"
    );
    assert!(!attributes.contains(&"Secure"), "plain http: {plain}");
    // --public-url https://…
    let https = another_app(&t, |c| {
        c.feedback.public_url = Some("https://bangtin.example".into())
    })
    .await;
    let (_, token) = add_moderator(&t.db, "B").await;
    let secure = cookie_of(&send(&https, login_request(&token)).await);
    assert!(secure.split("; ").any(|a| a == "Secure"), "{secure}");
    // Behind a trusted proxy that says https (the test peer is 192.0.2.77).
    let proxied = another_app(&t, |c| c.trusted_proxies = vec!["192.0.2.0/24".into()]).await;
    let (_, token) = add_moderator(&t.db, "C").await;
    let mut request = login_request(&token);
    request
        .headers_mut()
        .insert("x-forwarded-for", "203.0.113.5".parse().unwrap());
    request
        .headers_mut()
        .insert("x-forwarded-proto", "https".parse().unwrap());
    let cookie = cookie_of(&send(&proxied, request).await);
    assert!(cookie.split("; ").any(|a| a == "Secure"), "{cookie}");
    // The same header from a client that is not a trusted proxy is ignored.
    let (_, token) = add_moderator(&t.db, "D").await;
    let mut request = login_request(&token);
    request
        .headers_mut()
        .insert("x-forwarded-proto", "https".parse().unwrap());
    let cookie = cookie_of(&send(&t.app, request).await);
    assert!(!cookie.split("; ").any(|a| a == "Secure"), "{cookie}");
    // The session id is 256 random bits, stored only hashed.
    let id = plain
        .split(';')
        .next()
        .unwrap()
        .trim_start_matches("bangtin_session=");
    assert_eq!(id.len(), 64);
    let hashes: Vec<(String,)> = rows(&t.db, "SELECT id_hash FROM moderator_sessions").await;
    assert!(hashes.iter().all(|(h,)| h != id));
}

fn desk_items(reply: &Reply) -> Vec<Value> {
    reply.json()["items"].as_array().unwrap().clone()
}

async fn a_send_is_approved_replied_to_liked_undone_and_audited(db: TestDb) {
    let t = app_on(db, |_| {}).await;
    let mut body = send_body(
        &key(1),
        "/thoi-su/a",
        "Bạn đọc An",
        "Bài viết rất hữu ích, cảm ơn!",
        READER_A,
    );
    body.email = Some("an@bao.vn".into());
    assert_eq!(submit(&t.app, &body).await.status, StatusCode::CREATED);
    assert_eq!(
        public_page(&t.app, "/thoi-su/a", Sort::Newest, None, None).await["total"],
        0
    );
    let s = session(&t, "Biên tập viên").await;
    // The queue: newest first, with email and counts.
    let queue = send(&t.app, admin(Method::GET, ADMIN_FEEDBACK, None, &s)).await;
    assert_eq!(
        queue.json()["counts"],
        json!({"pending": 1, "published": 0, "rejected": 0, "spam": 0, "deleted": 0})
    );
    let item = &desk_items(&queue)[0];
    assert_eq!(
        (
            item["email"].clone(),
            item["status"].clone(),
            item["article"].clone()
        ),
        (json!("an@bao.vn"), json!("pending"), json!("/thoi-su/a"))
    );
    // Approve: public.
    let approved = act(&t.app, &s, "approve", &[&key(1)]).await;
    assert_eq!(
        approved.json(),
        json!({"updated": [{"id": key(1), "status": "published", "previous": "pending"}]})
    );
    let page = public_page(&t.app, "/thoi-su/a", Sort::Newest, None, None).await;
    assert_eq!(page["items"][0]["id"], key(1));
    // Reply: under the item.
    let reply = send(
        &t.app,
        admin(
            Method::POST,
            ADMIN_REPLIES,
            Some(json!({"ids": [key(1)], "message": " Tòa soạn\r\ncảm ơn bạn! "})),
            &s,
        ),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", text(&reply));
    let reply_id = reply.json()["replies"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(reply.json()["replies"][0]["feedback_id"], key(1));
    let page = public_page(&t.app, "/thoi-su/a", Sort::Newest, None, None).await;
    assert_eq!(
        page["items"][0]["replies"][0]["message"],
        "Tòa soạn\ncảm ơn bạn!"
    );
    // A second reader likes it once.
    let like = json!({"id": key(1), "reader": READER_B}).to_string();
    assert_eq!(
        send(&t.app, post_json(LIKES_PATH, like.clone()))
            .await
            .json()["likes"],
        1
    );
    assert_eq!(
        send(&t.app, post_json(LIKES_PATH, like)).await.json()["likes"],
        1
    );
    // Undo the approval (the inverse of `previous`): hidden again, the like kept.
    assert_eq!(
        act(&t.app, &s, "pending", &[&key(1)]).await.json()["updated"][0]["status"],
        "pending"
    );
    assert_eq!(
        public_page(&t.app, "/thoi-su/a", Sort::Newest, None, None).await["total"],
        0
    );
    act(&t.app, &s, "approve", &[&key(1)]).await;
    // Delete, then restore (the undo of delete), back to published.
    let deleted = act(&t.app, &s, "delete", &[&key(1)]).await;
    assert_eq!(
        deleted.json()["updated"][0],
        json!({"id": key(1), "status": "deleted", "previous": "published"})
    );
    assert_eq!(
        public_page(&t.app, "/thoi-su/a", Sort::Newest, None, None).await["total"],
        0
    );
    let listed = send(
        &t.app,
        admin(
            Method::GET,
            &format!("{ADMIN_FEEDBACK}?status=deleted"),
            None,
            &s,
        ),
    )
    .await;
    assert_eq!(desk_items(&listed).len(), 1);
    assert_eq!(listed.json()["counts"]["deleted"], 1);
    let restored = act(&t.app, &s, "restore", &[&key(1)]).await;
    assert_eq!(
        restored.json()["updated"][0],
        json!({"id": key(1), "status": "published", "previous": "deleted"})
    );
    // Undo of the reply.
    let gone = send(
        &t.app,
        admin(
            Method::DELETE,
            &format!("{ADMIN_REPLIES}/{reply_id}"),
            None,
            &s,
        ),
    )
    .await;
    assert_eq!(gone.status, StatusCode::NO_CONTENT);
    let page = public_page(&t.app, "/thoi-su/a", Sort::Newest, None, None).await;
    assert_eq!(
        (
            page["items"][0]["replies"].clone(),
            page["items"][0]["likes"].clone()
        ),
        (json!([]), json!(1))
    );
    // The audit log: every action, who, on what, newest first.
    let audit = send(&t.app, admin(Method::GET, ADMIN_AUDIT, None, &s))
        .await
        .json();
    let entries: Vec<(String, Value)> = audit["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["action"].as_str().unwrap().to_owned(),
                e["feedback_id"].clone(),
            )
        })
        .collect();
    let actions: Vec<&str> = entries.iter().map(|(a, _)| a.as_str()).collect();
    assert_eq!(
        actions,
        [
            "delete_reply",
            "restore",
            "delete",
            "approve",
            "pending",
            "reply",
            "approve",
            "login",
            "moderator_add"
        ]
    );
    assert!(entries[..7].iter().all(|(_, f)| *f == json!(key(1))));
    let first = &audit["entries"][0];
    assert_eq!(
        first["moderator"],
        json!({"id": s.moderator, "name": "Biên tập viên"})
    );
    assert!(first["at"].as_i64().unwrap() > 1_700_000_000_000);
    assert_eq!(
        audit["entries"][8]["moderator"],
        Value::Null,
        "the command line"
    );
    // Logout ends the session, and is audited.
    assert_eq!(
        send(&t.app, admin(Method::POST, ADMIN_LOGOUT, None, &s))
            .await
            .status,
        StatusCode::NO_CONTENT
    );
    let audited: Vec<(String,)> = rows(
        &t.db,
        "SELECT action FROM moderation_audit ORDER BY id DESC",
    )
    .await;
    assert_eq!(audited[0].0, "logout");
}

async fn bulk_actions_are_all_or_nothing(db: TestDb) {
    let t = app_on(db, |_| {}).await;
    let ids = submit_many(&t.app, "/a", 0, 4).await;
    let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
    let s = session(&t, "Biên tập").await;
    act(&t.app, &s, "delete", &[ids[3]]).await;
    let before = snapshot(&t.db).await;
    let unknown = key(404);
    let reply = act(&t.app, &s, "approve", &[ids[0], ids[1], &unknown]).await;
    assert_eq!(
        (reply.status, reply.code().as_str()),
        (StatusCode::NOT_FOUND, "not_found")
    );
    assert!(reply.json()["error"]["message"]
        .as_str()
        .unwrap()
        .contains(&unknown));
    let reply = act(&t.app, &s, "reject", &[ids[0], ids[3]]).await;
    assert_eq!(
        (reply.status, reply.code().as_str()),
        (StatusCode::CONFLICT, "feedback_deleted")
    );
    assert!(reply.json()["error"]["message"]
        .as_str()
        .unwrap()
        .contains(ids[3]));
    assert_eq!(
        snapshot(&t.db).await,
        before,
        "a refused bulk action changed something"
    );
    // All at once, a repeat named once.
    let reply = act(&t.app, &s, "approve", &[ids[0], ids[1], ids[2], ids[0]]).await;
    let updated = reply.json()["updated"].as_array().unwrap().clone();
    assert_eq!(updated.len(), 3);
    assert_eq!(
        public_page(&t.app, "/a", Sort::Newest, None, None).await["total"],
        3
    );
    // Undo of a bulk action: each back to its `previous`.
    act(&t.app, &s, "spam", &[ids[1]]).await;
    let bulk = act(&t.app, &s, "reject", &[ids[0], ids[1]]).await.json();
    assert_eq!(bulk["updated"][0]["previous"], "published");
    assert_eq!(bulk["updated"][1]["previous"], "spam");
    act(&t.app, &s, "approve", &[ids[0]]).await;
    act(&t.app, &s, "spam", &[ids[1]]).await;
    let states = feedback_states(&t.db).await;
    let state = |id: &str| states.iter().find(|(i, ..)| i == id).unwrap().1.clone();
    assert_eq!(
        (state(ids[0]), state(ids[1])),
        ("published".into(), "spam".into())
    );
    // Replies in bulk, all or nothing.
    let before = snapshot(&t.db).await;
    let reply = send(
        &t.app,
        admin(
            Method::POST,
            ADMIN_REPLIES,
            Some(json!({"ids": [ids[0], unknown], "message": "Xin cảm ơn."})),
            &s,
        ),
    )
    .await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert_eq!(snapshot(&t.db).await, before);
    let reply = send(
        &t.app,
        admin(
            Method::POST,
            ADMIN_REPLIES,
            Some(json!({"ids": [ids[0], ids[2]], "message": "Xin cảm ơn."})),
            &s,
        ),
    )
    .await;
    assert_eq!(reply.json()["replies"].as_array().unwrap().len(), 2);
}

async fn bad_admin_requests_get_a_4xx_naming_the_field_and_change_nothing(db: TestDb) {
    let t = app_on(db, |_| {}).await;
    let id = submit_many(&t.app, "/a", 0, 1).await.remove(0);
    let s = session(&t, "Biên tập").await;
    let before = snapshot(&t.db).await;
    let get = |path: &str| admin(Method::GET, path, None, &s);
    let post = |path: &str, body: Value| admin(Method::POST, path, Some(body), &s);
    let raw = |path: &str, body: &str, content_type: &str| {
        Request::post(path)
            .header(header::COOKIE, &s.cookie)
            .header("x-bangtin-csrf", &s.csrf)
            .header(header::CONTENT_TYPE, content_type)
            .body(Body::from(body.to_owned()))
            .unwrap()
    };
    let many: Vec<String> = (0..101).map(key).collect();
    let cases: Vec<(Request<Body>, u16, &str, &str)> = vec![
        (
            get(&format!("{ADMIN_FEEDBACK}?status=new")),
            422,
            "invalid_status",
            "status",
        ),
        (
            get(&format!("{ADMIN_FEEDBACK}?limit=0")),
            422,
            "invalid_limit",
            "limit",
        ),
        (
            get(&format!("{ADMIN_FEEDBACK}?limit=101")),
            422,
            "invalid_limit",
            "limit",
        ),
        (
            get(&format!("{ADMIN_FEEDBACK}?limit=x")),
            422,
            "invalid_limit",
            "limit",
        ),
        (
            get(&format!("{ADMIN_FEEDBACK}?before=x:y")),
            422,
            "invalid_before",
            "before",
        ),
        (
            get(&format!("{ADMIN_FEEDBACK}?article=%20x")),
            422,
            "invalid_article",
            "article",
        ),
        (
            get(&format!("{ADMIN_FEEDBACK}?sort=liked")),
            422,
            "invalid_field",
            "sort",
        ),
        (
            get(&format!("{ADMIN_FEEDBACK}?status=pending&status=spam")),
            422,
            "invalid_field",
            "status",
        ),
        (
            get(&format!("{ADMIN_AUDIT}?limit=501")),
            422,
            "invalid_limit",
            "limit",
        ),
        (
            get(&format!("{ADMIN_AUDIT}?x=1")),
            422,
            "invalid_field",
            "x",
        ),
        (
            get(&format!("{ADMIN_EXPORT}?format=xml")),
            422,
            "invalid_format",
            "format",
        ),
        (
            get(&format!("{ADMIN_EXPORT}?include_deleted=yes")),
            422,
            "invalid_include_deleted",
            "include_deleted",
        ),
        (
            post(ADMIN_ACTIONS, json!({"action": "publish", "ids": [id]})),
            422,
            "invalid_action",
            "action",
        ),
        (
            post(ADMIN_ACTIONS, json!({"action": "approve", "ids": []})),
            422,
            "invalid_ids",
            "ids",
        ),
        (
            post(ADMIN_ACTIONS, json!({"action": "approve", "ids": many})),
            422,
            "invalid_ids",
            "ids",
        ),
        (
            post(ADMIN_ACTIONS, json!({"action": "approve", "ids": ["x"]})),
            422,
            "invalid_ids",
            "ids",
        ),
        (
            post(ADMIN_ACTIONS, json!({"action": "approve"})),
            422,
            "invalid_field",
            "ids",
        ),
        (
            post(
                ADMIN_ACTIONS,
                json!({"action": "approve", "ids": [id], "all": true}),
            ),
            422,
            "invalid_field",
            "all",
        ),
        (
            post(ADMIN_ACTIONS, json!({"action": 1, "ids": [id]})),
            422,
            "invalid_field",
            "action",
        ),
        (
            post(
                ADMIN_REPLIES,
                json!({"ids": [id], "message": "  \r\n\u{0} "}),
            ),
            422,
            "invalid_message",
            "message",
        ),
        (
            post(
                ADMIN_REPLIES,
                json!({"ids": [id], "message": "ạ".repeat(3001)}),
            ),
            422,
            "invalid_message",
            "message",
        ),
        (
            post(ADMIN_REPLIES, json!({"ids": [], "message": "Cảm ơn"})),
            422,
            "invalid_ids",
            "ids",
        ),
        (
            post(ADMIN_REPLIES, json!({"ids": [id]})),
            422,
            "invalid_field",
            "message",
        ),
        (
            admin(Method::DELETE, &format!("{ADMIN_REPLIES}/nope"), None, &s),
            422,
            "invalid_id",
            "id",
        ),
        (
            admin(
                Method::DELETE,
                &format!("{ADMIN_REPLIES}/{}", key(5)),
                None,
                &s,
            ),
            404,
            "not_found",
            "reply",
        ),
        (
            raw(ADMIN_ACTIONS, "{\"action\":", "application/json"),
            400,
            "malformed_json",
            "",
        ),
        (
            raw(ADMIN_ACTIONS, "{}", "text/plain"),
            415,
            "unsupported_media_type",
            "",
        ),
        (
            raw(
                ADMIN_REPLIES,
                &json!({"ids": [id], "message": "x".repeat(70 * 1024)}).to_string(),
                "application/json",
            ),
            413,
            "body_too_large",
            "",
        ),
        (
            post(
                ADMIN_LOGIN,
                json!({"token": "0".repeat(64), "remember": true}),
            ),
            422,
            "invalid_field",
            "remember",
        ),
        (
            admin(Method::PUT, ADMIN_ACTIONS, Some(json!({})), &s),
            405,
            "method_not_allowed",
            "",
        ),
        (get("/api/v1/admin/nope"), 404, "not_found", ""),
    ];
    for (request, status, code, names) in cases {
        let what = format!("{} {}", request.method(), request.uri());
        let reply = send(&t.app, request).await;
        assert_eq!(
            (reply.status.as_u16(), reply.code().as_str()),
            (status, code),
            "{what}: {}",
            text(&reply)
        );
        let message = reply.json()["error"]["message"]
            .as_str()
            .unwrap()
            .to_owned();
        assert!(
            message.contains(names),
            "{what}: {message:?} should name {names:?}"
        );
    }
    assert_eq!(
        snapshot(&t.db).await,
        before,
        "a refused admin request changed something"
    );
}

async fn exports_hold_everything_with_quoting_a_bom_and_no_formulas(db: TestDb) {
    let t = app_on(db, |_| {}).await;
    let mut formula = send_body(
        &key(1),
        "/a,b",
        "=HYPERLINK(\"http://evil\",\"bấm\")",
        "+84 123, \"trích dẫn\"\ndòng hai",
        READER_A,
    );
    formula.email = Some("an@bao.vn".into());
    submit(&t.app, &formula).await;
    submit_many(&t.app, "/b", 10, 2).await;
    let s = session(&t, "Biên tập").await;
    send(
        &t.app,
        admin(
            Method::POST,
            ADMIN_REPLIES,
            Some(json!({"ids": [key(1)], "message": "@Tòa soạn: cảm ơn"})),
            &s,
        ),
    )
    .await;
    act(&t.app, &s, "delete", &[&key(11)]).await;
    let csv = send(
        &t.app,
        admin(Method::GET, &format!("{ADMIN_EXPORT}?format=csv"), None, &s),
    )
    .await;
    assert_eq!(csv.status, StatusCode::OK);
    assert_eq!(csv.header("content-type"), Some("text/csv; charset=utf-8"));
    let disposition = csv.header("content-disposition").unwrap();
    assert!(
        disposition.starts_with("attachment; filename=\"bangtin-feedback-2")
            && disposition.ends_with(".csv\""),
        "{disposition}"
    );
    assert_eq!(csv.header("cache-control"), Some("no-store"));
    let body = String::from_utf8(csv.body.to_vec()).unwrap();
    assert!(body.starts_with("\u{feff}id,article,status,deleted_at,name,email,message,reasons,created_at,updated_at,likes,replies\r\n"), "{body}");
    let line = body.lines().find(|l| l.starts_with(&key(1))).unwrap();
    assert!(line.contains(",\"/a,b\",pending,,\"'=HYPERLINK(\"\"http://evil\"\",\"\"bấm\"\")\",an@bao.vn,\"'+84 123, \"\"trích dẫn\"\""), "{line}");
    assert!(
        body.contains("dòng hai\",,"),
        "the newline stays inside the quoted cell"
    );
    assert!(body.contains("Biên tập] @Tòa soạn: cảm ơn"), "{body}");
    assert!(!body.contains(&key(11)), "deleted items only when asked");
    assert_eq!(
        body.matches("\r\n").count(),
        3,
        "a header and two rows (a line break inside a cell is a bare LF)"
    );
    let with_deleted = send(
        &t.app,
        admin(
            Method::GET,
            &format!("{ADMIN_EXPORT}?format=csv&include_deleted=true"),
            None,
            &s,
        ),
    )
    .await;
    assert!(String::from_utf8_lossy(&with_deleted.body).contains(&key(11)));
    let json_export = send(
        &t.app,
        admin(
            Method::GET,
            &format!("{ADMIN_EXPORT}?format=json"),
            None,
            &s,
        ),
    )
    .await;
    assert!(json_export
        .header("content-disposition")
        .unwrap()
        .ends_with(".json\""));
    let value = json_export.json();
    let items = value["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    let first = items.iter().find(|i| i["id"] == key(1)).unwrap();
    assert_eq!(first["email"], "an@bao.vn");
    assert_eq!(
        first["name"], "=HYPERLINK(\"http://evil\",\"bấm\")",
        "JSON keeps the text as it is"
    );
    assert_eq!(first["replies"][0]["moderator"], "Biên tập");
    let audited: Vec<(String,)> = rows(
        &t.db,
        "SELECT action FROM moderation_audit WHERE action = 'export'",
    )
    .await;
    assert_eq!(audited.len(), 3);
}

/// Collects every log line of this thread.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn logins_and_sessions_never_reach_the_logs() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    let t = app().await;
    let (id, token) = add_moderator(&t.db, "Biên tập").await;
    let s = login(&t.app, &token, id).await;
    let session_id = s.cookie.trim_start_matches("bangtin_session=").to_owned();
    send(&t.app, admin(Method::GET, ADMIN_FEEDBACK, None, &s)).await;
    send(
        &t.app,
        admin(
            Method::POST,
            ADMIN_ACTIONS,
            Some(json!({"action": "approve", "ids": [key(1)]})),
            &s,
        ),
    )
    .await;
    send(&t.app, login_request(&token)).await;
    send(&t.app, admin(Method::POST, ADMIN_LOGOUT, None, &s)).await;
    let logs = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(
        logs.contains("moderator logged in"),
        "the capture works: {logs}"
    );
    for secret in [&token, &session_id, &s.csrf] {
        assert!(!logs.contains(secret.as_str()), "a secret in the logs");
    }
    assert!(
        !logs.to_ascii_lowercase().contains("bangtin_session="),
        "the cookie in the logs"
    );
}

#[tokio::test]
async fn the_admin_page_is_served_under_its_own_csp_and_never_cached() {
    let t = app().await;
    let admin_dir = t.dir.path().join("www").join("admin");
    std::fs::create_dir_all(&admin_dir).unwrap();
    std::fs::write(
        admin_dir.join("index.html"),
        "<!doctype html><title>Bàn kiểm duyệt</title>",
    )
    .unwrap();
    std::fs::write(admin_dir.join("desk.js"), "export {};").unwrap();
    for path in ["/admin", "/admin/", "/admin/index.html"] {
        let reply = send(&t.app, get(path)).await;
        assert_eq!(reply.status, StatusCode::OK, "{path}");
        assert!(
            String::from_utf8_lossy(&reply.body).contains("Bàn kiểm duyệt"),
            "{path}"
        );
        let csp = reply.header("content-security-policy").unwrap();
        assert!(
            csp.contains("frame-ancestors 'none'") && csp.contains("script-src 'self';"),
            "{path}: {csp}"
        );
        assert!(!csp.contains("wasm-unsafe-eval"), "{csp}");
        assert_eq!(reply.header("cache-control"), Some("no-store"), "{path}");
        assert_eq!(reply.header("x-content-type-options"), Some("nosniff"));
    }
    let script = send(&t.app, get("/admin/desk.js")).await;
    assert_eq!(script.status, StatusCode::OK);
    assert!(script
        .header("content-type")
        .unwrap()
        .contains("javascript"));
    assert_eq!(script.header("x-content-type-options"), Some("nosniff"));
    assert_eq!(script.header("cache-control"), Some("no-store"));
    assert_eq!(
        send(&t.app, get("/admin/nope.js")).await.status,
        StatusCode::NOT_FOUND
    );
}

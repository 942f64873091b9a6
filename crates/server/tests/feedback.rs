//! The feedback's public API (issue 8), on both backends: sends stored clean and once, spam kept
//! with its reasons behind a normal answer, the reader's limit, bad input refused by field with
//! nothing stored, nothing unpublished or private ever shown, stable pages, likes once.
#![allow(clippy::unwrap_used)]

mod common;

use std::time::Duration;

use axum::http::StatusCode;
use bangtin_api::feedback::{Sort, FEEDBACK_PATH, MESSAGE_MAX};
use bangtin_api::BOOT_PATH;
use common::feedback::*;
use common::*;
use serde_json::{json, Value};

on_both_backends!(
    a_send_is_stored_clean_as_pending_and_not_shown,
    a_repeated_send_is_stored_once_also_when_sent_at_once,
    each_spam_rule_stores_spam_with_its_reason_and_answers_pending,
    the_reader_limit_answers_429_with_retry_after_and_stores_nothing,
    bad_sends_get_a_4xx_naming_the_field_and_store_nothing,
    bad_likes_reads_and_boot_params_get_a_4xx_naming_the_field_and_change_nothing,
    the_public_api_never_returns_emails_or_unpublished_feedback,
    pages_have_no_duplicates_or_gaps_while_new_items_arrive,
    auto_publish_publishes_at_once_and_answers_with_the_item,
    a_reader_likes_an_item_once,
);

fn text(reply: &Reply) -> String {
    String::from_utf8_lossy(&reply.body).into_owned()
}

async fn a_send_is_stored_clean_as_pending_and_not_shown(db: TestDb) {
    let t = app_on(db, |_| {}).await;
    let mut body = send_body(
        &key(1),
        "/xa-hoi/Vie\u{0302}\u{0323}t",
        "  Ngu\u{031B}o\u{031B}\u{0300}i\r\nđọc\u{0}  ",
        "\u{feff} Dòng một\r\nDòng\u{7} hai\rDòng ba\u{1b}[0m\t!  \n",
        READER_A,
    );
    body.email = Some(" doc.gia@bao.vn\n".into());
    let reply = submit(&t.app, &body).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", text(&reply));
    assert_eq!(reply.json(), json!({"id": key(1), "status": "pending"}));
    let stored: Vec<(String, String, String, Option<String>, String)> = rows(
        &t.db,
        "SELECT article, name, message, email, status FROM feedback",
    )
    .await;
    assert_eq!(
        stored,
        [(
            "/xa-hoi/Việt".to_owned(),
            "Người đọc".to_owned(),
            // U+FEFF is not a control character (it is a format character): kept, like
            // zero-width and bidi characters, which the widget shows as text.
            "\u{feff} Dòng một\nDòng hai\nDòng ba[0m !".to_owned(),
            Some("doc.gia@bao.vn".to_owned()),
            "pending".to_owned()
        )]
    );
    let page = public_page(&t.app, "/xa-hoi/Việt", Sort::Newest, None, Some(READER_A)).await;
    assert_eq!(page["total"], 0);
    assert_eq!(page["items"], json!([]));
    assert!(page["form"].as_str().unwrap().contains('-'));
}

async fn a_repeated_send_is_stored_once_also_when_sent_at_once(db: TestDb) {
    let t = app_on(db, |_| {}).await;
    let body = send_body(&key(1), "/a", "An", "Một ý kiến đủ dài.", READER_A);
    let first = submit(&t.app, &body).await;
    assert_eq!(first.status, StatusCode::CREATED);
    // The outbox resends later, with a fresher form token: the same answer, nothing new.
    let mut again = body.clone();
    again.form = form_issued(Duration::from_secs(5));
    let second = submit(&t.app, &again).await;
    assert_eq!(second.status, StatusCode::OK);
    assert_eq!(second.json(), first.json());
    // Even with an expired token: a repeat is answered before the token is looked at.
    again.form = form_issued(Duration::from_secs(31 * 24 * 3600));
    assert_eq!(submit(&t.app, &again).await.status, StatusCode::OK);
    // Ten copies of another send at once: one row, every answer the same.
    let body = send_body(&key(2), "/a", "Bình", "Một ý kiến khác, đủ dài.", READER_B);
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..10 {
        let (app, body) = (t.app.clone(), body.clone());
        tasks.spawn(async move { submit(&app, &body).await });
    }
    let mut statuses = Vec::new();
    while let Some(reply) = tasks.join_next().await {
        let reply = reply.unwrap();
        assert_eq!(reply.json(), json!({"id": key(2), "status": "pending"}));
        statuses.push(reply.status.as_u16());
    }
    statuses.sort_unstable();
    assert_eq!(
        statuses.iter().filter(|s| **s == 201).count(),
        1,
        "{statuses:?}"
    );
    assert_eq!(feedback_states(&t.db).await.len(), 2);
    // The same id for another text is refused: an id names one message.
    let mut other = body.clone();
    other.message = "Một nội dung hoàn toàn khác.".into();
    let reply = submit(&t.app, &other).await;
    assert_eq!(reply.status, StatusCode::CONFLICT);
    assert_eq!(reply.code(), "id_conflict");
    assert_eq!(feedback_states(&t.db).await.len(), 2);
}

async fn each_spam_rule_stores_spam_with_its_reason_and_answers_pending(db: TestDb) {
    let t = app_on(db, |_| {}).await;
    let normal = send_body(&key(0), "/a", "An", "Một ý kiến bình thường.", &reader(0));
    assert_eq!(submit(&t.app, &normal).await.status, StatusCode::CREATED);
    let mut honeypot = send_body(&key(1), "/a", "Bot", "Mua hàng giá rẻ ngay!", &reader(1));
    honeypot.website = "http://spam.example".into();
    let mut fast = send_body(
        &key(2),
        "/a",
        "Bot",
        "Gửi quá nhanh sau khi hiện.",
        &reader(2),
    );
    fast.form = form_issued(Duration::from_millis(200));
    let links = send_body(
        &key(3),
        "/a",
        "Bot",
        "xem http://a.vn www.b.vn https://c.vn nhé",
        &reader(3),
    );
    // The same text again on the same article (another reader), and by the same reader on
    // another article.
    let same_article = send_body(&key(4), "/a", "Khác", "Một ý kiến bình thường.", &reader(4));
    let same_reader = send_body(&key(5), "/b", "An", "Một ý kiến bình thường.", &reader(0));
    let cases = [
        (honeypot, "honeypot"),
        (fast, "too_fast"),
        (links, "links"),
        (same_article, "duplicate"),
        (same_reader, "duplicate"),
    ];
    for (body, reason) in &cases {
        let reply = submit(&t.app, body).await;
        assert_eq!(reply.status, StatusCode::CREATED, "{reason}");
        // Exactly what a pending send gets.
        assert_eq!(
            reply.json(),
            json!({"id": body.id, "status": "pending"}),
            "{reason}"
        );
    }
    // A burst: a reader's fourth message within ten minutes.
    for i in 0..4 {
        let body = send_body(
            &key(10 + i),
            "/c",
            "Nhiều lời",
            &format!("Ý kiến số {i} của tôi."),
            &reader(9),
        );
        let reply = submit(&t.app, &body).await;
        assert_eq!(reply.json()["status"], "pending");
    }
    let stored: Vec<(String, String, String)> = rows(
        &t.db,
        "SELECT id, status, reasons FROM feedback ORDER BY id",
    )
    .await;
    let reasons = |id: &str| {
        stored
            .iter()
            .find(|(i, ..)| i == id)
            .map(|(_, s, r)| (s.clone(), r.clone()))
            .unwrap()
    };
    assert_eq!(reasons(&key(0)), ("pending".into(), String::new()));
    for (i, (_, reason)) in cases.iter().enumerate() {
        assert_eq!(
            reasons(&key(1 + i as u64)),
            ("spam".into(), (*reason).to_owned())
        );
    }
    assert_eq!(reasons(&key(12)), ("pending".into(), String::new()));
    assert_eq!(reasons(&key(13)), ("spam".into(), "reader_burst".into()));
    // Moderators see why.
    let session = session(&t, "Biên tập").await;
    let desk = send(
        &t.app,
        admin(
            axum::http::Method::GET,
            &format!("{ADMIN_FEEDBACK}?status=spam"),
            None,
            &session,
        ),
    )
    .await;
    let desk = desk.json();
    let listed = desk["items"].as_array().unwrap();
    assert_eq!(listed.len(), 6);
    assert!(listed.iter().any(|i| i["reasons"] == json!(["honeypot"])));
    // Readers never see spam.
    for article in ["/a", "/b", "/c"] {
        let page = public_page(&t.app, article, Sort::Newest, None, None).await;
        assert_eq!(page["total"], 0, "{article}");
    }
}

async fn the_reader_limit_answers_429_with_retry_after_and_stores_nothing(db: TestDb) {
    let t = app_on(db, |c| c.feedback.reader_limit_per_hour = 4).await;
    for i in 0..4 {
        let body = send_body(
            &key(i),
            &format!("/bai-{i}"),
            "An",
            &format!("Ý kiến thứ {i} của tôi."),
            READER_A,
        );
        assert_eq!(submit(&t.app, &body).await.status, StatusCode::CREATED);
    }
    let before = snapshot(&t.db).await;
    let body = send_body(&key(9), "/bai-9", "An", "Ý kiến thứ năm của tôi.", READER_A);
    let reply = submit(&t.app, &body).await;
    assert_eq!(reply.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(reply.code(), "rate_limited");
    let wait: u64 = reply.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=900).contains(&wait), "{wait}");
    assert_eq!(snapshot(&t.db).await, before);
    // Another reader is not held back; a repeat of a stored send is not a new send.
    let other = send_body(
        &key(10),
        "/bai-9",
        "Bình",
        "Ý kiến của người khác.",
        READER_B,
    );
    assert_eq!(submit(&t.app, &other).await.status, StatusCode::CREATED);
    let repeat = send_body(&key(0), "/bai-0", "An", "Ý kiến thứ 0 của tôi.", READER_A);
    assert_eq!(submit(&t.app, &repeat).await.status, StatusCode::OK);
}

/// `(what, body, status, code)`: each must be refused with its status and code, storing nothing.
fn bad_sends() -> Vec<(&'static str, Value, u16, &'static str)> {
    let good = serde_json::to_value(send_body(
        &key(7),
        "/a",
        "An",
        "Một ý kiến đủ dài.",
        READER_A,
    ))
    .unwrap();
    let with = |field: &str, value: Value| {
        let mut body = good.clone();
        body[field] = value;
        body
    };
    let without = |field: &str| {
        let mut body = good.clone();
        body.as_object_mut().unwrap().remove(field);
        body
    };
    vec![
        ("short id", with("id", json!("abc")), 422, "invalid_id"),
        (
            "uppercase id",
            with("id", json!("0123456789ABCDEF0123456789abcdef")),
            422,
            "invalid_id",
        ),
        (
            "empty article",
            with("article", json!("")),
            422,
            "invalid_article",
        ),
        (
            "padded article",
            with("article", json!(" /a")),
            422,
            "invalid_article",
        ),
        (
            "article with a newline",
            with("article", json!("/a\nb")),
            422,
            "invalid_article",
        ),
        (
            "long article",
            with("article", json!("a".repeat(513))),
            422,
            "invalid_article",
        ),
        (
            "bad reader",
            with("reader", json!("nope")),
            422,
            "invalid_reader",
        ),
        ("empty name", with("name", json!("")), 422, "invalid_name"),
        (
            "name of spaces and controls",
            with("name", json!(" \u{0}\u{7}\r\n ")),
            422,
            "invalid_name",
        ),
        (
            "long name",
            with("name", json!("ễ".repeat(81))),
            422,
            "invalid_name",
        ),
        (
            "long NFD name",
            with("name", json!("e\u{0302}\u{0301}".repeat(81))),
            422,
            "invalid_name",
        ),
        (
            "not an email",
            with("email", json!("an@")),
            422,
            "invalid_email",
        ),
        (
            "email with a space",
            with("email", json!("an @bao.vn")),
            422,
            "invalid_email",
        ),
        (
            "long email",
            with("email", json!(format!("{}@bao.vn", "a".repeat(250)))),
            422,
            "invalid_email",
        ),
        (
            "empty message",
            with("message", json!("")),
            422,
            "invalid_message",
        ),
        (
            "short after trimming",
            with("message", json!("   ngắn   \n\n")),
            422,
            "invalid_message",
        ),
        (
            "short after cleaning",
            with(
                "message",
                json!("\u{0}\u{1}\u{2}\u{3}\u{4}\u{5}\u{6}\u{7}\u{8}abc"),
            ),
            422,
            "invalid_message",
        ),
        (
            "long message",
            with("message", json!("ạ".repeat(MESSAGE_MAX + 1))),
            422,
            "invalid_message",
        ),
        (
            "forged form token",
            with(
                "form",
                json!("1700000000000-00000000000000000000000000000000"),
            ),
            422,
            "invalid_form",
        ),
        (
            "garbage form token",
            with("form", json!("xyz")),
            422,
            "invalid_form",
        ),
        (
            "expired form token",
            with(
                "form",
                json!(form_issued(Duration::from_secs(31 * 24 * 3600))),
            ),
            422,
            "invalid_form",
        ),
        ("missing message", without("message"), 422, "invalid_field"),
        ("missing form", without("form"), 422, "invalid_field"),
        (
            "unknown field",
            with("admin", json!(true)),
            422,
            "invalid_field",
        ),
        (
            "number as name",
            with("name", json!(5)),
            422,
            "invalid_field",
        ),
        (
            "null email",
            with("email", json!(["x"])),
            422,
            "invalid_field",
        ),
    ]
}

async fn bad_sends_get_a_4xx_naming_the_field_and_store_nothing(db: TestDb) {
    let t = app_on(db, |_| {}).await;
    submit_many(&t.app, "/a", 100, 1).await;
    let before = snapshot(&t.db).await;
    for (what, body, status, code) in bad_sends() {
        let reply = submit_json(&t.app, &body).await;
        assert_eq!(reply.status.as_u16(), status, "{what}: {}", text(&reply));
        assert_eq!(reply.code(), code, "{what}");
        let message = reply.json()["error"]["message"]
            .as_str()
            .unwrap()
            .to_owned();
        assert!(!message.is_empty(), "{what}");
        if let Some(field) = code.strip_prefix("invalid_").filter(|f| *f != "field") {
            assert!(message.contains(field), "{what}: {message:?} names {field}");
        }
    }
    // Not JSON, not declared JSON, too large.
    let reply = send(&t.app, post_json(FEEDBACK_PATH, "{\"id\":")).await;
    assert_eq!(
        (reply.status.as_u16(), reply.code().as_str()),
        (400, "malformed_json")
    );
    let request = axum::http::Request::post(FEEDBACK_PATH)
        .header("content-type", "text/plain")
        .body(axum::body::Body::from("{}"))
        .unwrap();
    assert_eq!(send(&t.app, request).await.code(), "unsupported_media_type");
    let huge = json!({"message": "x".repeat(70 * 1024)}).to_string();
    assert_eq!(
        send(&t.app, post_json(FEEDBACK_PATH, huge)).await.code(),
        "body_too_large"
    );
    assert_eq!(
        snapshot(&t.db).await,
        before,
        "a refused send changed what is stored"
    );
}

async fn bad_likes_reads_and_boot_params_get_a_4xx_naming_the_field_and_change_nothing(db: TestDb) {
    let t = app_on(db, |_| {}).await;
    let ids = submit_many(&t.app, "/a", 0, 2).await;
    let s = session(&t, "Biên tập").await;
    act(&t.app, &s, "approve", &[&ids[0]]).await;
    let before = snapshot(&t.db).await;
    // Likes.
    let likes = [
        (json!({"id": "x", "reader": READER_A}), 422, "invalid_id"),
        (json!({"id": ids[0], "reader": "R"}), 422, "invalid_reader"),
        (json!({"id": ids[0]}), 422, "invalid_field"),
        (
            json!({"id": ids[0], "reader": READER_A, "n": 2}),
            422,
            "invalid_field",
        ),
        (
            json!({"id": key(999), "reader": READER_A}),
            404,
            "not_found",
        ),
        (json!({"id": ids[1], "reader": READER_A}), 404, "not_found"),
    ];
    for (body, status, code) in likes {
        let reply = send(&t.app, post_json(LIKES_PATH, body.to_string())).await;
        assert_eq!(
            (reply.status.as_u16(), reply.code().as_str()),
            (status, code),
            "{body}"
        );
    }
    // The list for API users: every bad parameter is named.
    let id = key(5);
    let reads = [
        ("".to_owned(), "invalid_article"),
        ("article=".to_owned(), "invalid_article"),
        ("article=%20a".to_owned(), "invalid_article"),
        ("article=/a&sort=oldest".to_owned(), "invalid_sort"),
        ("article=/a&after=x:y".to_owned(), "invalid_after"),
        (
            format!("article=/a&sort=liked&after=17-{id}"),
            "invalid_after",
        ),
        (format!("article=/a&after=1-2-{id}"), "invalid_after"),
        ("article=/a&after=17-notanid".to_owned(), "invalid_after"),
        ("article=/a&reader=R".to_owned(), "invalid_reader"),
        ("article=/a&page=2".to_owned(), "invalid_field"),
        ("article=/a&article=/b".to_owned(), "invalid_field"),
    ];
    for (query, code) in reads {
        let reply = send(&t.app, get(&format!("{FEEDBACK_PATH}?{query}"))).await;
        assert_eq!(
            (reply.status.as_u16(), reply.code().as_str()),
            (422, code),
            "{query}"
        );
        if code != "invalid_field" {
            let field = code.trim_start_matches("invalid_");
            assert!(
                reply.json()["error"]["message"]
                    .as_str()
                    .unwrap()
                    .contains(field),
                "{query}"
            );
        }
    }
    // Boot: a refused attribute fails only its own widget, under the key it asked for; the
    // others fall back as the widget does.
    let query = format!(
        "page=%2Fa&w=feedback&after=bad%3Acursor&w=feedback&sort=liked&after=17-{id}&w=feedback&sort=nope&w=rating"
    );
    let reply = send(&t.app, get(&format!("{BOOT_PATH}?{query}"))).await;
    assert_eq!(reply.status, StatusCode::OK);
    let items = reply.json()["items"].clone();
    assert_eq!(items[0]["key"], "newest@bad:cursor:/a");
    assert_eq!(items[0]["error"]["code"], "invalid_after");
    assert_eq!(items[1]["key"], format!("liked@17-{id}:/a"));
    assert_eq!(items[1]["error"]["code"], "invalid_after");
    assert_eq!(items[2]["key"], "newest:/a");
    assert_eq!(items[2]["total"], 1);
    assert!(items[2].get("error").is_none());
    let no_article = send(&t.app, get(&format!("{BOOT_PATH}?w=feedback"))).await;
    assert_eq!(
        no_article.json()["items"][0]["error"]["code"],
        "invalid_article"
    );
    let bad_reader = send(
        &t.app,
        get(&format!("{BOOT_PATH}?reader=R&w=feedback&article=/a")),
    )
    .await;
    assert_eq!(
        (bad_reader.status.as_u16(), bad_reader.code().as_str()),
        (422, "invalid_reader")
    );
    assert_eq!(
        snapshot(&t.db).await,
        before,
        "a refused request changed what is stored"
    );
}

async fn the_public_api_never_returns_emails_or_unpublished_feedback(db: TestDb) {
    let t = app_on(db, |_| {}).await;
    let s = session(&t, "Biên tập").await;
    let mut ids = Vec::new();
    for (i, state) in [
        "published",
        "pending",
        "rejected",
        "spam",
        "deleted",
        "published-then-deleted",
    ]
    .iter()
    .enumerate()
    {
        let mut body = send_body(
            &key(i as u64),
            "/a",
            &format!("Tên {state}"),
            &format!("Nội dung bí mật {state}"),
            &reader(i as u64),
        );
        body.email = Some(format!("bimat{i}@bao.vn"));
        assert_eq!(submit(&t.app, &body).await.status, StatusCode::CREATED);
        ids.push(key(i as u64));
    }
    let id = |i: usize| ids[i].as_str();
    act(&t.app, &s, "approve", &[id(0), id(5)]).await;
    act(&t.app, &s, "reject", &[id(2)]).await;
    act(&t.app, &s, "spam", &[id(3)]).await;
    act(&t.app, &s, "delete", &[id(4), id(5)]).await;
    let mut answers = Vec::new();
    for sort in [Sort::Newest, Sort::Liked] {
        for reader in [None, Some(READER_A)] {
            let page = public_page(&t.app, "/a", sort, None, reader).await;
            assert_eq!(page["total"], 1);
            assert_eq!(page["items"].as_array().unwrap().len(), 1);
            assert_eq!(page["items"][0]["id"], id(0));
            answers.push(page.to_string());
            let query = format!(
                "article=/a&sort={}{}",
                sort.as_str(),
                reader.map(|r| format!("&reader={r}")).unwrap_or_default()
            );
            let reply = send(&t.app, get(&format!("{FEEDBACK_PATH}?{query}"))).await;
            assert_eq!(reply.status, StatusCode::OK);
            answers.push(text(&reply));
        }
    }
    // Likes on what is not published answer exactly as for an unknown id.
    let unknown = send(
        &t.app,
        post_json(
            LIKES_PATH,
            json!({"id": key(99), "reader": READER_A}).to_string(),
        ),
    )
    .await;
    for i in 1..6 {
        let reply = send(
            &t.app,
            post_json(
                LIKES_PATH,
                json!({"id": id(i), "reader": READER_A}).to_string(),
            ),
        )
        .await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{i}");
        assert_eq!(
            text(&reply).replace(id(i), "ID"),
            text(&unknown).replace(&key(99), "ID")
        );
        answers.push(text(&reply));
    }
    let liked = send(
        &t.app,
        post_json(
            LIKES_PATH,
            json!({"id": id(0), "reader": READER_A}).to_string(),
        ),
    )
    .await;
    answers.push(text(&liked));
    // A repeated send of an unpublished item still answers pending, with no item.
    for i in [2, 3, 4] {
        let mut body = send_body(
            &ids[i],
            "/a",
            &format!("Tên {}", ["", "", "rejected", "spam", "deleted"][i]),
            "",
            &reader(i as u64),
        );
        body.message = format!(
            "Nội dung bí mật {}",
            ["", "", "rejected", "spam", "deleted"][i]
        );
        body.email = Some(format!("bimat{i}@bao.vn"));
        let reply = submit(&t.app, &body).await;
        assert_eq!(reply.json(), json!({"id": ids[i], "status": "pending"}));
    }
    let all = answers.join("\n");
    assert!(
        !all.contains('@'),
        "an email address in a public answer: {all}"
    );
    for secret in ["pending", "rejected", "spam", "deleted"] {
        assert!(
            !all.contains(&format!("bí mật {secret}")),
            "{secret} feedback shown: {all}"
        );
    }
    for i in 1..6 {
        assert!(
            !all.contains(&format!("\"id\":\"{}\"", id(i))),
            "item {i} listed"
        );
    }
}

/// Pages through `article` in `sort`, sending new items (and likes) between pages; returns
/// the ids seen, in order.
async fn page_through(t: &TestApp, sort: Sort, new_from: u64) -> Vec<String> {
    let mut seen = Vec::new();
    let mut after: Option<String> = None;
    let mut extra = new_from;
    loop {
        let page = public_page(&t.app, "/p", sort, after.as_deref(), None).await;
        for item in page["items"].as_array().unwrap() {
            seen.push(item["id"].as_str().unwrap().to_owned());
        }
        assert!(page["items"].as_array().unwrap().len() <= 10);
        // New items arrive (published at once) while the reader reads.
        submit_many(&t.app, "/p", extra, 3).await;
        extra += 3;
        match page["next"].as_str() {
            Some(next) => after = Some(next.to_owned()),
            None => break,
        }
    }
    seen
}

async fn pages_have_no_duplicates_or_gaps_while_new_items_arrive(db: TestDb) {
    let t = app_on(db, |c| c.feedback.auto_publish = true).await;
    let ids = submit_many(&t.app, "/p", 0, 25).await;
    // Likes for some: 3 for the 5th, 2 for the 10th and 20th, 1 for the 1st.
    let likes = [(4, 3), (9, 2), (19, 2), (0, 1)];
    for (item, count) in likes {
        for r in 0..count {
            let reply = send(
                &t.app,
                post_json(
                    LIKES_PATH,
                    json!({"id": ids[item], "reader": reader(500 + r)}).to_string(),
                ),
            )
            .await;
            assert_eq!(reply.status, StatusCode::OK);
        }
    }
    let newest = page_through(&t, Sort::Newest, 1000).await;
    let mut expected: Vec<String> = ids.iter().rev().cloned().collect();
    assert_eq!(newest, expected, "newest first, each once");
    let liked = page_through(&t, Sort::Liked, 2000).await;
    // Most liked first; ties newest first. The items that arrived during the first pass
    // (three a page) are older than those of this one, and newer than the first 25.
    let mut all = ids.clone();
    all.extend((1000..1009).map(key));
    expected = all.clone();
    expected.sort_by_key(|id| {
        let i = all.iter().position(|x| x == id).unwrap();
        let l = likes
            .iter()
            .find(|(item, _)| *item == i)
            .map_or(0, |(_, c)| *c);
        (std::cmp::Reverse(l), std::cmp::Reverse(i))
    });
    assert_eq!(liked, expected, "most liked first, each once");
}

async fn auto_publish_publishes_at_once_and_answers_with_the_item(db: TestDb) {
    let t = app_on(db, |c| c.feedback.auto_publish = true).await;
    let mut body = send_body(&key(1), "/a", "An", "Đăng ngay không cần chờ.", READER_A);
    body.email = Some("an@bao.vn".into());
    let reply = submit(&t.app, &body).await;
    assert_eq!(reply.status, StatusCode::CREATED);
    let answer = reply.json();
    assert_eq!(answer["status"], "published");
    assert_eq!(answer["item"]["id"], key(1));
    assert_eq!(answer["item"]["message"], "Đăng ngay không cần chờ.");
    assert!(!text(&reply).contains('@'));
    let page = public_page(&t.app, "/a", Sort::Newest, None, None).await;
    assert_eq!(page["items"][0]["id"], key(1));
    // Spam still waits, answered as pending.
    let mut spam = send_body(&key(2), "/a", "Bot", "Mua ngay hôm nay!!!", READER_B);
    spam.website = "x".into();
    assert_eq!(
        submit(&t.app, &spam).await.json(),
        json!({"id": key(2), "status": "pending"})
    );
    assert_eq!(
        public_page(&t.app, "/a", Sort::Newest, None, None).await["total"],
        1
    );
}

async fn a_reader_likes_an_item_once(db: TestDb) {
    let t = app_on(db, |c| c.feedback.auto_publish = true).await;
    let ids = submit_many(&t.app, "/a", 0, 1).await;
    let like = |reader: &str| {
        post_json(
            LIKES_PATH,
            json!({"id": ids[0], "reader": reader}).to_string(),
        )
    };
    let first = send(&t.app, like(READER_A)).await;
    assert_eq!(
        first.json(),
        json!({"id": ids[0], "likes": 1, "liked": true})
    );
    let again = send(&t.app, like(READER_A)).await;
    assert_eq!(again.json(), first.json());
    let other = send(&t.app, like(READER_B)).await;
    assert_eq!(other.json()["likes"], 2);
    let page = public_page(&t.app, "/a", Sort::Newest, None, Some(READER_A)).await;
    assert_eq!(
        (
            page["items"][0]["likes"].clone(),
            page["items"][0]["liked"].clone()
        ),
        (json!(2), json!(true))
    );
    let anonymous = public_page(&t.app, "/a", Sort::Newest, None, None).await;
    assert_eq!(anonymous["items"][0]["liked"], false);
    let likes: Vec<(String,)> = rows(&t.db, "SELECT reader_hash FROM feedback_likes").await;
    assert_eq!(likes.len(), 2);
    assert!(
        likes
            .iter()
            .all(|(h,)| h.len() == 64 && h != READER_A && h != READER_B),
        "hashed"
    );
}

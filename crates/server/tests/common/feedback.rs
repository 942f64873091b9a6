//! The feedback's cases for the hostile-world tests (its send as a [`WriteScenario`] for the kill
//! test; its public endpoints for the randomized HTTP test, and the moderation desk's for
//! `tests/admin_random.rs`), and the helpers the feedback and admin tests share: sends as the
//! widget makes them, form tokens, moderators and their sessions, and table snapshots.

use std::collections::{BTreeSet, HashMap};
use std::time::Duration;

use async_trait::async_trait;
use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use axum::Router;
use bangtin_api::feedback::{
    first_key, Sort, SubmitFeedback, Submitted, SubmittedStatus, FEEDBACK_PATH,
};
use bangtin_api::{Boot, BootWidget, BOOT_PATH};
use bangtin_server::db::Db;
use bangtin_server::feedback::token::{form_token, now_ms};
use bangtin_server::feedback::{moderators, open_store};
use bangtin_server::reader::ReaderHasher;
use sqlx::Connection;
use unicode_normalization::UnicodeNormalization;

use super::harness::{HttpReply, RawRequest, WriteScenario};
use super::random::{Endpoint, Gen, Valid};
use super::{send, Reply, TestApp, TestDb, SECRET};

pub const ADMIN_LOGIN: &str = "/api/v1/admin/login";
pub const ADMIN_SESSION: &str = "/api/v1/admin/session";
pub const ADMIN_LOGOUT: &str = "/api/v1/admin/logout";
pub const ADMIN_FEEDBACK: &str = "/api/v1/admin/feedback";
pub const ADMIN_ACTIONS: &str = "/api/v1/admin/feedback/actions";
pub const ADMIN_REPLIES: &str = "/api/v1/admin/replies";
pub const ADMIN_AUDIT: &str = "/api/v1/admin/audit";
pub const ADMIN_EXPORT: &str = "/api/v1/admin/export";
pub const LIKES_PATH: &str = bangtin_api::feedback::FEEDBACK_LIKES_PATH;

/// The reader-hash secret's hasher, as the test servers use it.
pub fn hasher() -> ReaderHasher {
    ReaderHasher::new(SECRET).unwrap()
}

/// A form token issued `ago` before now: as the widget holds it when the reader sends.
pub fn form_issued(ago: Duration) -> String {
    let ago = u64::try_from(ago.as_millis()).unwrap();
    form_token(&hasher(), now_ms() - ago)
}

/// A form token shown long enough ago (a minute).
pub fn form() -> String {
    form_issued(Duration::from_secs(60))
}

/// A key of its own for each `i` (32 hex digits), as the widget makes one per message.
pub fn key(i: u64) -> String {
    format!("{:032x}", 0xfeed_0000_0000_u64 + i)
}

/// A reader id of its own for each `i`.
pub fn reader(i: u64) -> String {
    format!("{:032x}", 0x00ab_cdef_0000_u64 + i)
}

/// A valid send, as the widget makes it.
pub fn send_body(
    id: &str,
    article: &str,
    name: &str,
    message: &str,
    reader: &str,
) -> SubmitFeedback {
    SubmitFeedback {
        id: id.to_owned(),
        article: article.to_owned(),
        name: name.to_owned(),
        email: None,
        message: message.to_owned(),
        reader: reader.to_owned(),
        form: form(),
        website: String::new(),
    }
}

/// POSTs a send.
pub async fn submit(app: &Router, body: &SubmitFeedback) -> Reply {
    submit_json(app, &serde_json::to_value(body).unwrap()).await
}

pub async fn submit_json(app: &Router, body: &serde_json::Value) -> Reply {
    send(app, super::post_json(FEEDBACK_PATH, body.to_string())).await
}

/// Submits `count` distinct valid messages on `article` (each by a reader of its own) and returns
/// their ids, oldest first.
pub async fn submit_many(app: &Router, article: &str, from: u64, count: u64) -> Vec<String> {
    let mut ids = Vec::new();
    for i in from..from + count {
        let id = key(i);
        let body = send_body(
            &id,
            article,
            &format!("Bạn đọc {i}"),
            &format!("Ý kiến thứ {i} về bài viết."),
            &reader(i),
        );
        let reply = submit(app, &body).await;
        assert_eq!(
            reply.status,
            StatusCode::CREATED,
            "{}",
            String::from_utf8_lossy(&reply.body)
        );
        ids.push(id);
    }
    ids
}

/// A moderator added through the store (as `moderator add` does): `(id, login token)`.
pub async fn add_moderator(db: &TestDb, name: &str) -> (i64, String) {
    let store = open_store(&Db::open(&db.url).await.unwrap());
    let (moderator, token) = moderators::add(store.as_ref(), name).await.unwrap();
    (moderator.id, token)
}

/// A logged-in moderator: the cookie to send and the CSRF token.
#[derive(Clone, Debug)]
pub struct Session {
    pub moderator: i64,
    pub cookie: String,
    pub csrf: String,
}

pub fn login_request(token: &str) -> Request<Body> {
    super::post_json(
        ADMIN_LOGIN,
        serde_json::json!({ "token": token }).to_string(),
    )
}

/// Adds a moderator and logs them in.
pub async fn session(t: &TestApp, name: &str) -> Session {
    let (id, token) = add_moderator(&t.db, name).await;
    login(&t.app, &token, id).await
}

pub async fn login(app: &Router, token: &str, id: i64) -> Session {
    let reply = send(app, login_request(token)).await;
    assert_eq!(
        reply.status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&reply.body)
    );
    let cookie = reply.header("set-cookie").unwrap();
    let pair = cookie.split(';').next().unwrap().to_owned();
    Session {
        moderator: id,
        cookie: pair,
        csrf: reply.json()["csrf"].as_str().unwrap().to_owned(),
    }
}

/// An admin request with the session's cookie and (for writes) its CSRF token.
pub fn admin(
    method: Method,
    path: &str,
    json: Option<serde_json::Value>,
    session: &Session,
) -> Request<Body> {
    let mut request = Request::builder()
        .method(method.clone())
        .uri(path)
        .header(header::COOKIE, &session.cookie);
    if method != Method::GET {
        request = request.header("x-bangtin-csrf", &session.csrf);
    }
    match json {
        Some(json) => request
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(json.to_string()))
            .unwrap(),
        None => request.body(Body::empty()).unwrap(),
    }
}

/// Runs `action` on `ids` and returns the answer.
pub async fn act(app: &Router, session: &Session, action: &str, ids: &[&str]) -> Reply {
    let body = serde_json::json!({ "action": action, "ids": ids });
    send(app, admin(Method::POST, ADMIN_ACTIONS, Some(body), session)).await
}

/// The public page of `article` (newest first), as the boot request answers it.
pub async fn public_page(
    app: &Router,
    article: &str,
    sort: Sort,
    after: Option<&str>,
    reader: Option<&str>,
) -> serde_json::Value {
    let mut params = vec![
        ("article".to_owned(), article.to_owned()),
        ("sort".to_owned(), sort.as_str().to_owned()),
    ];
    if let Some(after) = after {
        params.push(("after".to_owned(), after.to_owned()));
    }
    let boot = Boot {
        page: None,
        reader: reader.map(str::to_owned),
        widgets: vec![BootWidget {
            kind: "feedback".into(),
            params,
        }],
    };
    let reply = send(app, super::get(&format!("{BOOT_PATH}?{}", boot.query()))).await;
    assert_eq!(
        reply.status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&reply.body)
    );
    let item = reply.json()["items"][0].clone();
    let nfc: String = article.nfc().collect();
    assert_eq!(item["key"], first_key(sort, after, &nfc), "{item}");
    item
}

/// `(id, status, deleted)` of every stored item, by id.
pub async fn feedback_states(db: &TestDb) -> Vec<(String, String, bool)> {
    rows::<(String, String, i64)>(
        db,
        "SELECT id, status, CAST(CASE WHEN deleted_ms IS NULL THEN 0 ELSE 1 END AS BIGINT) FROM feedback ORDER BY id",
    )
    .await
    .into_iter()
    .map(|(id, status, deleted)| (id, status, deleted == 1))
    .collect()
}

/// Everything the feedback keeps, as text: feedback, likes, replies, the audit log, sessions,
/// moderators and the webhook outbox. Equal before and after means nothing changed.
pub async fn snapshot(db: &TestDb) -> Vec<String> {
    let mut all = Vec::new();
    for sql in [
        "SELECT 'f|' || id || '|' || article || '|' || name || '|' || COALESCE(email, '') || '|' \
         || message || '|' || status || '|' || reasons || '|' || CAST(likes AS TEXT) || '|' \
         || CAST(updated_ms AS TEXT) || '|' || COALESCE(CAST(deleted_ms AS TEXT), '') FROM feedback",
        "SELECT 'l|' || feedback_id || '|' || reader_hash FROM feedback_likes",
        "SELECT 'r|' || id || '|' || feedback_id || '|' || message FROM feedback_replies",
        "SELECT 'a|' || CAST(id AS TEXT) || '|' || action || '|' || COALESCE(feedback_id, '') FROM moderation_audit",
        "SELECT 's|' || id_hash || '|' || CAST(moderator_id AS TEXT) FROM moderator_sessions",
        "SELECT 'm|' || CAST(id AS TEXT) || '|' || COALESCE(token_hash, '') || '|' || COALESCE(CAST(revoked_ms AS TEXT), '') FROM moderators",
        "SELECT 'w|' || CAST(id AS TEXT) || '|' || state FROM feedback_webhook_outbox",
    ] {
        let mut lines: Vec<String> = rows::<(String,)>(db, sql).await.into_iter().map(|(l,)| l).collect();
        lines.sort();
        all.extend(lines);
    }
    all
}

/// Rows of `sql` on a fresh connection to the test database.
pub async fn rows<T>(db: &TestDb, sql: &str) -> Vec<T>
where
    T: Send
        + Unpin
        + for<'r> sqlx::FromRow<'r, sqlx::postgres::PgRow>
        + for<'r> sqlx::FromRow<'r, sqlx::sqlite::SqliteRow>,
{
    if db.is_postgres() {
        let mut conn = sqlx::PgConnection::connect(&db.url).await.unwrap();
        let rows = sqlx::query_as(sql).fetch_all(&mut conn).await.unwrap();
        conn.close().await.unwrap();
        rows
    } else {
        let pool = sqlx::SqlitePool::connect(&db.url).await.unwrap();
        let rows = sqlx::query_as(sql).fetch_all(&pool).await.unwrap();
        pool.close().await;
        rows
    }
}

/// Runs `sql` (a change made behind the server's back, e.g. to age a session).
pub async fn exec(db: &TestDb, sql: &str) {
    if db.is_postgres() {
        let mut conn = sqlx::PgConnection::connect(&db.url).await.unwrap();
        sqlx::query(sql).execute(&mut conn).await.unwrap();
        conn.close().await.unwrap();
    } else {
        let pool = sqlx::SqlitePool::connect(&db.url).await.unwrap();
        sqlx::query(sql).execute(&pool).await.unwrap();
        pool.close().await;
    }
}

/// The feedback's write for the kill test: sends come in pairs, the second a repeat of the
/// first (same id and text, as the outbox resends), so the two often race each other. Each pair
/// is by a reader of its own, on one of a few articles, with text in NFD.
pub struct Submits;

impl Submits {
    pub fn send(i: u64) -> SubmitFeedback {
        let k = i / 2;
        let mut body = send_body(
            &key(1_000_000 + k),
            &format!("/phan-hoi/bai-{}", k % 5),
            &format!("Ngu\u{031B}o\u{031B}\u{0300}i đọc {k}"),
            &format!("Ý kiến số {k}: Vie\u{0302}\u{0323}t Nam\nDòng thứ hai."),
            &reader(1_000_000 + k),
        );
        body.email = (k % 3 == 0).then(|| format!("doc.gia{k}@bao.vn"));
        body
    }
}

#[async_trait]
impl WriteScenario for Submits {
    fn name(&self) -> &'static str {
        "feedback"
    }

    fn write(&self, i: u64) -> RawRequest {
        RawRequest::post_json(
            FEEDBACK_PATH,
            &serde_json::to_value(Submits::send(i)).unwrap(),
        )
    }

    fn acknowledged(&self, i: u64, reply: &HttpReply) -> bool {
        (reply.status == 200 || reply.status == 201)
            && serde_json::from_slice::<Submitted>(&reply.body).is_ok_and(|answer| {
                answer.id == Submits::send(i).id && answer.status == SubmittedStatus::Pending
            })
    }

    async fn verify(&self, db: &TestDb, sent: u64, acknowledged: &BTreeSet<u64>) -> u64 {
        let stored: HashMap<String, (String, String, String, Option<String>, String)> =
            rows::<(String, String, String, String, Option<String>, String)>(
                db,
                "SELECT id, article, name, message, email, status FROM feedback",
            )
            .await
            .into_iter()
            .map(|(id, a, n, m, e, s)| (id, (a, n, m, e, s)))
            .collect();
        let expected = |send: &SubmitFeedback| {
            (
                send.article.nfc().collect::<String>(),
                send.name.nfc().collect::<String>(),
                send.message.nfc().collect::<String>(),
                send.email.clone(),
                "pending".to_owned(),
            )
        };
        for &i in acknowledged {
            let send = Submits::send(i);
            assert_eq!(
                stored.get(&send.id),
                Some(&expected(&send)),
                "acknowledged send {i} is not stored as sent"
            );
        }
        let ours: BTreeSet<String> = (0..sent).map(|i| Submits::send(i).id).collect();
        let mut count = 0;
        for i in 0..sent {
            let send = Submits::send(i);
            if let Some(row) = stored.get(&send.id) {
                assert_eq!(row, &expected(&send), "send {i} stored otherwise");
                count += 1;
            }
        }
        // Nothing but what was sent, each id once (the primary key), and no extra rows.
        let stray: Vec<&String> = stored
            .keys()
            .filter(|id| !ours.contains(*id) && id.starts_with("00000000000000000000feed"))
            .collect();
        assert!(stray.is_empty(), "rows nobody sent: {stray:?}");
        count
    }
}

/// The feedback's public routes for the randomized HTTP test, with requests as the widget sends
/// them. (Likes need a published item, so they are in `tests/admin_random.rs`, whose database
/// has one.)
pub fn endpoints() -> Vec<Endpoint> {
    vec![
        Endpoint {
            name: "boot (feedback)",
            method: Method::GET,
            path: BOOT_PATH,
            valid: valid_boot,
        },
        Endpoint {
            name: "feedback list",
            method: Method::GET,
            path: FEEDBACK_PATH,
            valid: valid_list,
        },
        Endpoint {
            name: "feedback send",
            method: Method::POST,
            path: FEEDBACK_PATH,
            valid: valid_send,
        },
    ]
}

const NAMES: &[&str] = &[
    "Nguyễn Văn An",
    "Ngu\u{031B}o\u{031B}\u{0300}i đọc",
    "Trần Thị B.",
    "an",
    "\u{202E}evil\u{202C}",
    "李小龍",
    "👩\u{200D}👩\u{200D}👧",
];
const MESSAGES: &[&str] = &[
    "Bài viết rất hay, cảm ơn tòa soạn!",
    "<script>alert(1)</script> thử xem",
    "Dòng một\r\nDòng hai\rDòng ba\n",
    "   khoảng trắng hai đầu   ",
    "Vie\u{0302}\u{0323}t Nam muôn năm",
    "zero\u{200B}width and \u{202E}bidi\u{202C} text",
    "xem https://a.vn https://b.vn https://c.vn",
    "'; DROP TABLE feedback; --",
];

fn sort(g: &mut Gen) -> Sort {
    *g.pick(&[Sort::Newest, Sort::Liked])
}

fn cursor(g: &mut Gen, sort: Sort) -> String {
    let id = g.reader();
    match sort {
        Sort::Newest => format!("{}-{id}", g.between(0, 2_000_000_000)),
        Sort::Liked => format!("{}-{}-{id}", g.between(0, 100), g.between(0, 2_000_000_000)),
    }
}

fn valid_boot(g: &mut Gen) -> Valid {
    let widgets = (0..g.between(1, 4))
        .map(|_| {
            let mut params = Vec::new();
            if g.chance(0.7) {
                let article = if g.chance(0.8) {
                    g.article()
                } else {
                    g.odd_text()
                };
                params.push(("article".to_owned(), article));
            }
            let sort = sort(g);
            if g.chance(0.6) {
                let text = if g.chance(0.8) {
                    sort.as_str().to_owned()
                } else {
                    g.odd_text()
                };
                params.push(("sort".to_owned(), text));
            }
            if g.chance(0.3) {
                let after = if g.chance(0.7) {
                    cursor(g, sort)
                } else {
                    g.odd_text()
                };
                params.push(("after".to_owned(), after));
            }
            BootWidget {
                kind: "feedback".to_owned(),
                params,
            }
        })
        .collect();
    let boot = Boot {
        page: g.chance(0.8).then(|| g.article()),
        reader: g.chance(0.5).then(|| g.reader()),
        widgets,
    };
    Valid::query(boot.query())
}

fn valid_list(g: &mut Gen) -> Valid {
    let sort = sort(g);
    let mut pairs = vec![("article", g.article()), ("sort", sort.as_str().to_owned())];
    if g.chance(0.3) {
        pairs.push(("after", cursor(g, sort)));
    }
    if g.chance(0.5) {
        pairs.push(("reader", g.reader()));
    }
    let query = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish();
    Valid::query(query)
}

fn valid_send(g: &mut Gen) -> Valid {
    let message = format!("{} #{}", g.pick::<&str>(MESSAGES), g.between(0, 1_000_000));
    let mut body = send_body(
        &g.reader(),
        &g.article(),
        g.pick::<&str>(NAMES),
        &message,
        &g.reader(),
    );
    if g.chance(0.3) {
        body.email = Some("ban.doc@bao.vn".to_owned());
    }
    if g.chance(0.1) {
        body.message = "ạ".repeat(bangtin_api::feedback::MESSAGE_MAX);
    }
    Valid::json(serde_json::to_value(body).unwrap())
}

//! `bangtin-server moderator add|list|token|revoke|export`, run as the built binary on each
//! backend: a token printed once that logs in once, the account list, revocation that ends
//! sessions, and the export of everything (CSV and JSON) to a file or standard output.
#![allow(clippy::unwrap_used)]

mod common;

use std::process::Output;

use axum::http::{Method, StatusCode};
use common::feedback::*;
use common::*;
use serde_json::json;

on_both_backends!(moderators_are_added_listed_given_tokens_and_revoked_on_the_command_line);

async fn run(db: &TestDb, args: &[&str]) -> Output {
    let output = tokio::process::Command::new(env!("CARGO_BIN_EXE_bangtin-server"))
        .args(["moderator"])
        .args(args)
        .args(["--database-url", &db.url])
        .env_remove("BANGTIN_SECRET")
        .env("RUST_LOG", "error")
        .output()
        .await
        .unwrap();
    output
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

/// The 64-hex-digit token in a command's output.
fn token_in(output: &Output) -> String {
    stdout(output)
        .split_whitespace()
        .find(|w| w.len() == 64 && w.bytes().all(|b| b.is_ascii_hexdigit()))
        .unwrap_or_else(|| panic!("no token in {:?}", stdout(output)))
        .to_owned()
}

async fn moderators_are_added_listed_given_tokens_and_revoked_on_the_command_line(db: TestDb) {
    // The command line works on a database no server has started on yet.
    let added = run(&db, &["add", "Nguyễn Thị Biên Tập"]).await;
    assert!(added.status.success(), "{added:?}");
    assert!(
        stdout(&added).starts_with("moderator 1 added: Nguyễn Thị Biên Tập\n"),
        "{}",
        stdout(&added)
    );
    let token = token_in(&added);
    let t = app_on(db, |_| {}).await;
    let s = login(&t.app, &token, 1).await;
    assert_eq!(
        send(&t.app, login_request(&token)).await.code(),
        "invalid_token",
        "used once"
    );
    // A fresh token; the old session lives on.
    let fresh = run(&t.db, &["token", "1"]).await;
    assert!(fresh.status.success(), "{fresh:?}");
    let fresh_token = token_in(&fresh);
    assert_ne!(fresh_token, token);
    let app = another_app(&t, |_| {}).await;
    let second = login(&app, &fresh_token, 1).await;
    // The list.
    let second_added = run(&t.db, &["add", "Trần Văn Trực"]).await;
    let list = run(&t.db, &["list"]).await;
    let text = stdout(&list);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        "id\tname\tcreated\tlast login\trevoked\ttoken waiting"
    );
    assert!(
        lines[1].starts_with("1\tNguyễn Thị Biên Tập\t20") && lines[1].ends_with("\t-\tno"),
        "{}",
        lines[1]
    );
    assert!(
        lines[2].starts_with("2\tTrần Văn Trực\t") && lines[2].contains("\t-\t-\tyes"),
        "{}",
        lines[2]
    );
    assert!(
        !text.contains(&token_in(&second_added)),
        "the list shows no token"
    );
    // Revoke: every session of theirs ends, and their tokens stop working.
    let revoked = run(&t.db, &["revoke", "1"]).await;
    assert!(revoked.status.success());
    assert!(stdout(&revoked).contains("revoked"));
    for session in [&s, &second] {
        let reply = send(&t.app, admin(Method::GET, ADMIN_SESSION, None, session)).await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    }
    let refused = run(&t.db, &["token", "1"]).await;
    assert!(
        !refused.status.success(),
        "no token for a revoked moderator"
    );
    let unknown = run(&t.db, &["revoke", "99"]).await;
    assert!(!unknown.status.success());
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("no moderator 99"));
    let list = stdout(&run(&t.db, &["list"]).await);
    assert!(
        list.lines().nth(1).unwrap().contains("\t20"),
        "revoked shows a date"
    );
    let bad = run(&t.db, &["add", "  "]).await;
    assert!(!bad.status.success());
    // Export: CSV to a file, JSON to standard output, with emails and replies.
    let mut body = send_body(
        &key(1),
        "/a",
        "=cmd|' /C calc'!A0",
        "Ý kiến, có \"dấu\" ngoặc.",
        READER_A,
    );
    body.email = Some("an@bao.vn".into());
    submit(&t.app, &body).await;
    let (id, token) = add_moderator(&t.db, "Trả lời").await;
    let desk = login(&t.app, &token, id).await;
    send(
        &t.app,
        admin(
            Method::POST,
            ADMIN_REPLIES,
            Some(json!({"ids": [key(1)], "message": "Cảm ơn bạn."})),
            &desk,
        ),
    )
    .await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("export.csv");
    let csv = run(
        &t.db,
        &["export", "--format", "csv", "--out", file.to_str().unwrap()],
    )
    .await;
    assert!(csv.status.success(), "{csv:?}");
    let written = std::fs::read_to_string(&file).unwrap();
    assert!(written.starts_with('\u{feff}'));
    assert!(
        written.contains(",'=cmd|' /C calc'!A0,an@bao.vn,\"Ý kiến, có \"\"dấu\"\" ngoặc.\""),
        "{written}"
    );
    assert!(written.contains("Trả lời] Cảm ơn bạn."));
    let json_out = run(&t.db, &["export", "--format", "json"]).await;
    let value: serde_json::Value = serde_json::from_slice(&json_out.stdout).unwrap();
    assert_eq!(value["items"][0]["email"], "an@bao.vn");
    assert_eq!(value["items"][0]["replies"][0]["message"], "Cảm ơn bạn.");
    let audited: Vec<(String,)> = rows(
        &t.db,
        "SELECT action FROM moderation_audit WHERE moderator_id IS NULL ORDER BY id",
    )
    .await;
    let audited: Vec<&str> = audited.iter().map(|(a,)| a.as_str()).collect();
    assert_eq!(
        audited,
        [
            "moderator_add",
            "moderator_token",
            "moderator_add",
            "moderator_revoke",
            "moderator_add",
            "export",
            "export"
        ]
    );
}

//! The server over real sockets: `serve` on port 0, and the binary's startup line and shutdown,
//! each on SQLite and on PostgreSQL.
#![allow(clippy::unwrap_used)]

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Command, Stdio};
use std::time::Duration;

use common::{on_both_backends, TestDb};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

on_both_backends!(
    serve_answers_over_tcp_and_stops_on_shutdown,
    binary_prints_its_address_and_exits_cleanly_on_sigterm,
);

async fn http(addr: std::net::SocketAddr, request: &str) -> String {
    let mut stream = TcpStream::connect(addr).await.unwrap();
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).await.unwrap();
    response
}

async fn serve_answers_over_tcp_and_stops_on_shutdown(db: TestDb) {
    let dir = tempfile::tempdir().unwrap();
    let config = common::config(&dir, &db.url);
    let app = bangtin_server::build_app(&config).await.unwrap();
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(bangtin_server::serve(listener, app, async {
        let _ = stopped.await;
    }));

    let health = http(
        addr,
        &format!("GET /healthz HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"),
    )
    .await;
    assert!(health.starts_with("HTTP/1.1 200"), "{health}");
    assert!(health.ends_with(r#"{"status":"ok"}"#), "{health}");

    let body = common::vote_body("/tcp", "thumbs", 1, common::READER_A);
    let voted = http(
        addr,
        &format!(
            "POST /api/v1/votes HTTP/1.1\r\nHost: {addr}\r\nOrigin: http://{addr}\r\n\
             Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        ),
    )
    .await;
    assert!(voted.starts_with("HTTP/1.1 200"), "{voted}");
    assert!(
        voted.contains(&format!("access-control-allow-origin: http://{addr}")),
        "{voted}"
    );
    assert!(voted.contains(r#""count":1,"sum":1,"mine":1"#), "{voted}");

    stop.send(()).unwrap();
    tokio::time::timeout(Duration::from_secs(10), server)
        .await
        .unwrap()
        .unwrap()
        .unwrap();
}

/// A blocking test inside the async harness: it runs the binary and waits on it.
async fn binary_prints_its_address_and_exits_cleanly_on_sigterm(db: TestDb) {
    tokio::task::spawn_blocking(move || run_binary_until_sigterm(&db))
        .await
        .unwrap();
}

fn run_binary_until_sigterm(db: &TestDb) {
    let dir = tempfile::tempdir().unwrap();
    // SQLite: a file under directories that do not exist yet.
    let sqlite_file = dir.path().join("new/dir/b.db");
    let database_url = if db.is_postgres() {
        db.url.clone()
    } else {
        format!("sqlite://{}", sqlite_file.display())
    };
    let secret_file = dir.path().join("secret");
    std::fs::write(&secret_file, [common::SECRET, b"\n"].concat()).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_bangtin-server"))
        .args(["--listen", "127.0.0.1:0", "--write-rate-limit", "5"])
        .arg("--secret-file")
        .arg(&secret_file)
        .arg("--database-url")
        .arg(&database_url)
        .arg("--assets")
        .arg(dir.path())
        .arg("--www")
        .arg(dir.path())
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let addr = line
        .strip_prefix("bangtin listening on http://")
        .and_then(|rest| rest.trim_end().strip_suffix('/'))
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"));
    let addr: std::net::SocketAddr = addr.parse().unwrap();
    assert_ne!(addr.port(), 0);

    let mut stream = std::net::TcpStream::connect(addr).unwrap();
    write!(
        stream,
        "GET /healthz HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut health = String::new();
    stream.read_to_string(&mut health).unwrap();
    assert!(health.starts_with("HTTP/1.1 200"), "{health}");
    if !db.is_postgres() {
        assert!(sqlite_file.exists(), "parent directory created");
    }

    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            assert!(status.success(), "{status}");
            break;
        }
        assert!(std::time::Instant::now() < deadline, "server did not stop");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn a_taken_port_is_reported_with_its_address() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_bangtin-server"))
        .args(["--listen", &addr.to_string(), "--database-url"])
        .arg(format!("sqlite://{}", dir.path().join("b.db").display()))
        .env(
            "BANGTIN_SECRET",
            std::str::from_utf8(common::SECRET).unwrap(),
        )
        .env("RUST_LOG", "error")
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(&format!("cannot listen on {addr}")),
        "{stderr}"
    );
    assert!(
        output.stdout.is_empty(),
        "no listening line when not listening"
    );
}

#[test]
fn the_binary_refuses_to_start_without_a_secret_and_says_how_to_make_one() {
    let dir = tempfile::tempdir().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_bangtin-server"))
        .args(["--listen", "127.0.0.1:0", "--database-url"])
        .arg(format!("sqlite://{}", dir.path().join("b.db").display()))
        .env_remove("BANGTIN_SECRET")
        .env_remove("BANGTIN_SECRET_FILE")
        .env("RUST_LOG", "error")
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("no reader-hash secret") && stderr.contains("--secret-file"),
        "{stderr}"
    );
    assert!(output.stdout.is_empty(), "never listened");
    assert!(
        !dir.path().join("b.db").exists(),
        "checked before touching the database"
    );
}

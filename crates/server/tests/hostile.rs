//! A hostile world (issue 7), over real sockets on loopback: the server killed with SIGKILL
//! under write load, stopped with SIGTERM with writes in flight, slow and idle clients,
//! oversized and deeply nested input. Every widget takes part through its write scenario
//! (`common::write_scenarios`).
#![allow(clippy::unwrap_used)]

mod common;

use std::io::ErrorKind;
use std::net::SocketAddr;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::http::StatusCode;
use bangtin_api::{Scale, RATINGS_PATH, VOTES_PATH};
use bangtin_server::{build_app, serve_with, Timeouts};
use common::harness::{
    kill_test, parse_reply, read_head, start_load, HttpReply, Ledger, RawRequest, ServerProcess,
};
use common::*;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::oneshot;

on_both_backends!(
    every_acknowledged_write_survives_sigkill_under_load,
    a_write_in_flight_at_sigterm_is_acknowledged_and_stored_or_refused_never_lost,
);

/// How many times the kill test kills the server.
const KILL_CYCLES: usize = 24;

/// A seed from `BANGTIN_TEST_SEED` (to replay a failure), else a fresh one; printed either way.
fn seed(test: &str) -> u64 {
    let seed = std::env::var("BANGTIN_TEST_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(rand::random);
    eprintln!("{test}: seed {seed} (replay with BANGTIN_TEST_SEED={seed})");
    seed
}

fn backend(db: &TestDb) -> &'static str {
    if db.is_postgres() {
        "postgres"
    } else {
        "sqlite"
    }
}

async fn every_acknowledged_write_survives_sigkill_under_load(db: TestDb) {
    let started = Instant::now();
    let report = kill_test(&db, write_scenarios(), KILL_CYCLES, seed("kill test")).await;
    assert_eq!(report.cycles, KILL_CYCLES);
    for (name, sent, acknowledged, stored) in &report.scenarios {
        eprintln!(
            "kill test ({}): {} SIGKILLs under load; {name}: {sent} writes sent, {acknowledged} \
             acknowledged, {stored} stored (every acknowledged one), in {:.1} s",
            backend(&db),
            report.cycles,
            started.elapsed().as_secs_f64()
        );
        assert!(
            *acknowledged >= KILL_CYCLES,
            "{name}: the load was too light to mean anything"
        );
    }
}

/// Connects until the server refuses: it has stopped accepting.
async fn wait_until_refused(addr: SocketAddr, within: Duration) {
    let deadline = Instant::now() + within;
    loop {
        match TcpStream::connect(addr).await {
            Err(err) if err.kind() == ErrorKind::ConnectionRefused => return,
            _ => {
                assert!(
                    Instant::now() < deadline,
                    "the server still accepts connections {within:?} after shutdown began"
                );
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
        }
    }
}

/// Sends the head of `request` with `Expect: 100-continue` and waits for `100 Continue`: the
/// server is then inside the handler, reading the body. Returns the open connection.
async fn hold_in_flight(addr: SocketAddr, request: &RawRequest) -> TcpStream {
    let mut stream = TcpStream::connect(addr).await.unwrap();
    stream
        .write_all(&request.head(addr, &[("Expect", "100-continue")]))
        .await
        .unwrap();
    let interim = tokio::time::timeout(Duration::from_secs(10), read_head(&mut stream))
        .await
        .unwrap()
        .expect("an interim answer");
    assert!(interim.starts_with("HTTP/1.1 100"), "{interim}");
    stream
}

/// Sends what is left of a held request and reads the answer, if one comes.
async fn finish(mut stream: TcpStream, body: &[u8]) -> Option<HttpReply> {
    stream.write_all(body).await.ok()?;
    let mut answer = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut answer)).await;
    parse_reply(&answer)
}

async fn a_write_in_flight_at_sigterm_is_acknowledged_and_stored_or_refused_never_lost(db: TestDb) {
    let scenarios = Arc::new(write_scenarios());
    let ledger = Arc::new(Ledger::new(scenarios.len()));
    let mut server = ServerProcess::start(&db, None).await;
    let addr = server.addr;
    // One write of each widget is inside its handler when the signal comes.
    let mut held = Vec::new();
    for scenario in 0..scenarios.len() {
        let i = ledger.reserve(scenario);
        let request = scenarios[scenario].write(i);
        let stream = hold_in_flight(addr, &request).await;
        held.push((scenario, i, request, stream));
    }
    // And writes keep coming from eight clients.
    let stop = Arc::new(AtomicBool::new(false));
    let mut load = start_load(&scenarios, &ledger, addr, 8, &stop);
    ledger.wait_for_acks(20, Duration::from_secs(30)).await;
    let before = ledger.acks();
    server.terminate();
    wait_until_refused(addr, Duration::from_secs(10)).await;
    // Still running, not accepting: the held writes are finished and acknowledged.
    for (scenario, i, request, stream) in held {
        let reply = finish(stream, &request.body).await.unwrap_or_else(|| {
            panic!(
                "{}: the write in flight at SIGTERM got no answer",
                scenarios[scenario].name()
            )
        });
        assert!(
            scenarios[scenario].acknowledged(i, &reply),
            "{}: {} {}",
            scenarios[scenario].name(),
            reply.status,
            String::from_utf8_lossy(&reply.body)
        );
        ledger.book(&scenarios, scenario, i, &reply);
    }
    // The clients stop by themselves: every new connection is refused.
    tokio::time::timeout(Duration::from_secs(30), async {
        while load.join_next().await.is_some() {}
    })
    .await
    .expect("clients stop once the server refuses them");
    let status = server.wait_exit(Duration::from_secs(30)).await;
    assert!(status.success(), "exit after SIGTERM: {status}");
    assert_eq!(ledger.failures(), Vec::<String>::new());
    for (index, scenario) in scenarios.iter().enumerate() {
        let acknowledged = ledger.acknowledged(index);
        let stored = scenario
            .verify(&db, ledger.sent(index), &acknowledged)
            .await;
        eprintln!(
            "SIGTERM ({}): {}: {} writes sent, {} acknowledged ({before} of all widgets' before \
             the signal), {stored} stored",
            backend(&db),
            scenario.name(),
            ledger.sent(index),
            acknowledged.len()
        );
    }
}

/// A server in this process on a fresh SQLite file, with `timeouts`; stops when the sender is
/// used or dropped.
async fn serve_in_process(
    timeouts: Timeouts,
) -> (
    TestApp,
    SocketAddr,
    oneshot::Sender<()>,
    tokio::task::JoinHandle<std::io::Result<()>>,
) {
    let t = app_on(TestDb::sqlite(), |c| c.timeouts = timeouts).await;
    let app = build_app(&t.config).await.unwrap();
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = oneshot::channel::<()>();
    let server = tokio::spawn(serve_with(
        listener,
        app,
        async {
            let _ = stopped.await;
        },
        timeouts,
    ));
    (t, addr, stop, server)
}

fn vote_request(article: &str, reader: &str) -> RawRequest {
    let body: serde_json::Value =
        serde_json::from_str(&vote_body(article, "stars", 4, reader)).unwrap();
    RawRequest::post_json(VOTES_PATH, &body)
}

#[tokio::test]
async fn a_client_that_never_finishes_cannot_hold_the_shutdown_past_its_deadline() {
    let grace = Duration::from_secs(2);
    let (t, addr, stop, server) = serve_in_process(Timeouts {
        header_read: Duration::from_secs(60),
        body_read: Duration::from_secs(60),
        shutdown_grace: grace,
    })
    .await;
    let hung = vote_request("/hung", READER_A);
    let mut hung_stream = hold_in_flight(addr, &hung).await;
    hung_stream.write_all(&hung.body[..5]).await.unwrap();
    let finishing = vote_request("/finishing", READER_B);
    let finishing_stream = hold_in_flight(addr, &finishing).await;

    stop.send(()).unwrap();
    let shutdown_began = Instant::now();
    wait_until_refused(addr, Duration::from_secs(10)).await;
    let reply = finish(finishing_stream, &finishing.body)
        .await
        .expect("the request in flight is finished");
    assert_eq!(
        reply.status,
        200,
        "{}",
        String::from_utf8_lossy(&reply.body)
    );
    // The other one never sends the rest of its body (whose own timeout is a minute away).
    tokio::time::timeout(Duration::from_secs(20), server)
        .await
        .expect("serve returns once the grace period is over")
        .unwrap()
        .unwrap();
    let took = shutdown_began.elapsed();
    assert!(took >= grace - Duration::from_millis(100), "{took:?}");
    let mut rest = Vec::new();
    let _ = hung_stream.read_to_end(&mut rest).await;
    assert!(
        parse_reply(&rest).is_none(),
        "the hung request got no answer"
    );
    let articles: Vec<String> = t.db.vote_rows().await.into_iter().map(|r| r.0).collect();
    assert_eq!(articles, ["/finishing"]);
    eprintln!(
        "shutdown with a hung client: serve returned {took:?} after the signal (grace {grace:?})"
    );
}

/// Short timeouts, for the slow-client tests.
const SHORT: Timeouts = Timeouts {
    header_read: Duration::from_secs(1),
    body_read: Duration::from_secs(1),
    shutdown_grace: Duration::from_secs(1),
};

/// Sends `prefix`, then `trickle` one byte every 100 ms, until the server closes the
/// connection; returns how long after the first byte it did, and what it answered.
async fn trickle_until_closed(
    addr: SocketAddr,
    prefix: &[u8],
    trickle: &[u8],
) -> (Duration, Vec<u8>) {
    let started = Instant::now();
    let stream = TcpStream::connect(addr).await.unwrap();
    let (mut reader, mut writer) = stream.into_split();
    writer.write_all(prefix).await.unwrap();
    let trickling = async {
        for byte in trickle.iter().cycle().take(200) {
            tokio::time::sleep(Duration::from_millis(100)).await;
            if writer.write_all(&[*byte]).await.is_err() {
                break;
            }
        }
        std::future::pending::<()>().await;
    };
    let mut answer = Vec::new();
    tokio::select! {
        () = trickling => unreachable!(),
        _ = reader.read_to_end(&mut answer) => {},
        () = tokio::time::sleep(Duration::from_secs(20)) => panic!("still open after 20 s"),
    }
    (started.elapsed(), answer)
}

#[tokio::test]
async fn a_client_trickling_its_headers_is_cut_off_at_the_header_timeout() {
    let (t, addr, _stop, _server) = serve_in_process(SHORT).await;
    let (took, answer) = trickle_until_closed(
        addr,
        format!("POST {VOTES_PATH} HTTP/1.1\r\nHost: {addr}\r\n").as_bytes(),
        b"X-Slow: loris\r\n",
    )
    .await;
    assert!(
        took >= Duration::from_millis(900) && took < Duration::from_secs(10),
        "{took:?}"
    );
    assert!(answer.is_empty(), "{}", String::from_utf8_lossy(&answer));
    assert!(t.db.vote_rows().await.is_empty());
}

#[tokio::test]
async fn idle_connections_are_closed_at_the_header_timeout_new_or_kept_alive() {
    let (_t, addr, _stop, _server) = serve_in_process(SHORT).await;
    // Never a byte.
    let (took, answer) = trickle_until_closed(addr, b"", b"").await;
    assert!(
        took >= Duration::from_millis(900) && took < Duration::from_secs(10),
        "{took:?}"
    );
    assert!(answer.is_empty());
    // One request, then nothing on the kept-alive connection.
    let mut stream = TcpStream::connect(addr).await.unwrap();
    stream
        .write_all(format!("GET /healthz HTTP/1.1\r\nHost: {addr}\r\n\r\n").as_bytes())
        .await
        .unwrap();
    let head = read_head(&mut stream).await.unwrap();
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    let answered = Instant::now();
    let mut rest = Vec::new();
    tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut rest))
        .await
        .expect("the idle kept-alive connection is closed")
        .unwrap();
    assert_eq!(
        rest, br#"{"status":"ok"}"#,
        "only the body was left to read"
    );
    assert!(
        answered.elapsed() >= Duration::from_millis(500),
        "{:?}",
        answered.elapsed()
    );
}

#[tokio::test]
async fn a_client_trickling_its_body_gets_408_request_timeout_and_nothing_is_stored() {
    let (t, addr, _stop, _server) = serve_in_process(SHORT).await;
    let vote = vote_request("/slow", READER_A);
    let (took, answer) = trickle_until_closed(addr, &vote.head(addr, &[]), &vote.body).await;
    let reply = parse_reply(&answer).expect("an answer");
    assert_eq!(
        reply.status,
        408,
        "{}",
        String::from_utf8_lossy(&reply.body)
    );
    assert_eq!(reply.code().as_deref(), Some("request_timeout"));
    assert_eq!(reply.header("connection"), Some("close"));
    assert!(
        took >= Duration::from_millis(900) && took < Duration::from_secs(10),
        "{took:?}"
    );
    assert!(t.db.vote_rows().await.is_empty());
    // Others are served as usual.
    let reply = common::harness::send_over_tcp(
        addr,
        &vote_request("/fast", READER_B),
        Duration::from_secs(10),
    )
    .await
    .unwrap();
    assert_eq!(reply.status, 200);
}

#[tokio::test]
async fn oversized_bodies_and_headers_are_refused_without_being_read() {
    let (t, addr, _stop, _server) = serve_in_process(Timeouts::default()).await;
    // A gigabyte announced, or sent in chunks without end: refused after at most the limit.
    let heads = [
        format!(
            "POST {VOTES_PATH} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\n\
             Content-Length: {}\r\n\r\n",
            1u64 << 30
        ),
        format!(
            "POST {VOTES_PATH} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\n\
             Transfer-Encoding: chunked\r\n\r\n"
        ),
    ];
    for (n, head) in heads.into_iter().enumerate() {
        let stream = TcpStream::connect(addr).await.unwrap();
        let (mut reader, mut writer) = stream.into_split();
        let chunked = n == 1;
        let sender = tokio::spawn(async move {
            let mut sent = 0usize;
            writer.write_all(head.as_bytes()).await.ok();
            let block = vec![b'['; 16 * 1024];
            while sent < (1 << 30) {
                let written = if chunked {
                    let mut chunk = format!("{:x}\r\n", block.len()).into_bytes();
                    chunk.extend_from_slice(&block);
                    chunk.extend_from_slice(b"\r\n");
                    writer.write_all(&chunk).await
                } else {
                    writer.write_all(&block).await
                };
                if written.is_err() {
                    break;
                }
                sent += block.len();
            }
            sent
        });
        let mut answer = Vec::new();
        let _ =
            tokio::time::timeout(Duration::from_secs(20), reader.read_to_end(&mut answer)).await;
        let reply = parse_reply(&answer).expect("an answer");
        assert_eq!(
            reply.status,
            413,
            "{}",
            String::from_utf8_lossy(&reply.body)
        );
        assert_eq!(reply.code().as_deref(), Some("body_too_large"));
        drop(reader);
        let sent = tokio::time::timeout(Duration::from_secs(20), sender)
            .await
            .expect("the server stops reading")
            .unwrap();
        assert!(
            sent < 64 << 20,
            "{sent} bytes went in before the server stopped reading"
        );
    }
    // A megabyte of headers.
    let mut stream = TcpStream::connect(addr).await.unwrap();
    let huge = format!(
        "GET /healthz HTTP/1.1\r\nHost: {addr}\r\nX-Huge: {}\r\n\r\n",
        "a".repeat(1 << 20)
    );
    let _ = stream.write_all(huge.as_bytes()).await;
    let mut answer = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(20), stream.read_to_end(&mut answer)).await;
    let head = String::from_utf8_lossy(&answer);
    assert!(
        head.is_empty() || head.starts_with("HTTP/1.1 431"),
        "{}",
        head.chars().take(200).collect::<String>()
    );
    assert!(t.db.vote_rows().await.is_empty());
    let health = common::harness::send_over_tcp(
        addr,
        &RawRequest {
            method: axum::http::Method::GET,
            target: "/healthz".into(),
            headers: Vec::new(),
            body: Vec::new(),
        },
        Duration::from_secs(10),
    )
    .await
    .unwrap();
    assert_eq!(health.status, 200);
}

#[tokio::test]
async fn deeply_nested_json_is_refused_with_a_json_error_and_stores_nothing() {
    let t = app().await;
    let deep = |depth: usize| format!("{}{}", "[".repeat(depth), "]".repeat(depth));
    let objects = |depth: usize| format!("{}1{}", "{\"a\":".repeat(depth), "}".repeat(depth));
    let bodies = [
        deep(30_000),
        objects(10_000),
        format!("{{\"article\":{}}}", deep(30_000)),
        // A valid vote, but for one deeply nested unknown field.
        vote_body("/a", "stars", 3, READER_A).replacen(
            '{',
            &format!("{{\"x\":{},", deep(20_000)),
            1,
        ),
        format!("{{\"x\":{}}}", objects(8_000)),
        "[".repeat(60_000),
    ];
    for body in bodies {
        let reply = send(&t.app, post_json(VOTES_PATH, body.clone())).await;
        assert!(
            matches!(reply.status.as_u16(), 400 | 422),
            "{}: {}",
            reply.status,
            &body[..40]
        );
        assert!(
            !reply.code().is_empty(),
            "{}",
            String::from_utf8_lossy(&reply.body)
        );
    }
    assert!(t.db.vote_rows().await.is_empty());
    assert_eq!(
        vote(&t.app, "/after", "stars", 5, READER_A).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn thousands_of_idle_connections_do_not_starve_a_normal_reader() {
    const IDLE: usize = 3_000;
    // This process holds the client side of every connection.
    let limit = bangtin_server::serve::raise_open_files_limit().unwrap();
    assert!(
        limit >= IDLE as u64 + 500,
        "this test needs {} open files; the hard limit allows {limit}",
        IDLE + 500
    );
    // The server starts with the common default soft limit of 1,024, as on many systems, and
    // must raise it itself.
    let db = TestDb::sqlite();
    let server = ServerProcess::start(&db, Some(1024)).await;
    let addr = server.addr;
    let opening = Instant::now();
    let mut idle = Vec::with_capacity(IDLE);
    // Fifty at a time: all of them well within the server's header timeout.
    for batch in 0..IDLE / 50 {
        let mut connecting = tokio::task::JoinSet::new();
        for _ in 0..50 {
            connecting.spawn(tokio::time::timeout(
                Duration::from_secs(5),
                TcpStream::connect(addr),
            ));
        }
        while let Some(connected) = connecting.join_next().await {
            let stream = connected.unwrap().unwrap_or_else(|_| {
                panic!(
                    "a connection of batch {batch} not accepted within 5 s: the server stopped \
                     accepting"
                )
            });
            idle.push(stream.unwrap());
        }
    }
    let opened_in = opening.elapsed();
    // A normal read, on a connection queued behind all of them, several times.
    let read = RawRequest {
        method: axum::http::Method::GET,
        target: format!(
            "{RATINGS_PATH}?{}",
            get_ratings(None, &[("/a", Scale::Stars)]).query()
        ),
        headers: Vec::new(),
        body: Vec::new(),
    };
    let mut latencies = Vec::new();
    for _ in 0..20 {
        let asked = Instant::now();
        let reply = common::harness::send_over_tcp(addr, &read, Duration::from_secs(30))
            .await
            .unwrap();
        latencies.push(asked.elapsed());
        assert_eq!(reply.status, 200);
    }
    // Every idle connection is still open (the server holds them; none was dropped).
    let mut open = 0;
    let mut buf = [0u8; 1];
    for stream in &idle {
        if matches!(stream.try_read(&mut buf), Err(e) if e.kind() == ErrorKind::WouldBlock) {
            open += 1;
        }
    }
    latencies.sort();
    let slowest = *latencies.last().unwrap();
    eprintln!(
        "{IDLE} idle connections opened in {opened_in:?}, {open} still open; normal read: \
         median {:?}, slowest {slowest:?} of {}",
        latencies[latencies.len() / 2],
        latencies.len()
    );
    assert_eq!(open, IDLE);
    assert!(slowest < Duration::from_secs(2), "{latencies:?}");
}

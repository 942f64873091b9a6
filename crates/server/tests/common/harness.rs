//! The hostile-world harness (issue 7), the same for every widget: the server binary as a child
//! process, a raw HTTP/1.1 client, and the kill test driven by each widget's [`WriteScenario`].
//!
//! A widget takes part with a [`WriteScenario`] (in `common/<widget>.rs`) listed in
//! `common::write_scenarios`, and with its endpoints for the randomized HTTP test
//! (`common::random`).

use std::collections::BTreeSet;
use std::net::SocketAddr;
use std::process::{ExitStatus, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use async_trait::async_trait;
use axum::body::Body;
use axum::http::{HeaderName, HeaderValue, Method, Request};
use rand::{Rng, SeedableRng};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;
use tokio::process::{Child, ChildStdout, Command};
use tokio::sync::Notify;

use super::{TestDb, SECRET};

/// One request, as the harness sends it over TCP or in-process. Header values are bytes, so
/// that garbage (non-ASCII, control characters) can be sent too.
#[derive(Clone, Debug)]
pub struct RawRequest {
    pub method: Method,
    /// `/api/v1/votes?x=y`
    pub target: String,
    pub headers: Vec<(String, Vec<u8>)>,
    pub body: Vec<u8>,
}

impl RawRequest {
    /// A `POST` of `json` with `Content-Type: application/json`, as the widget sends it.
    pub fn post_json(path: &str, json: &serde_json::Value) -> RawRequest {
        RawRequest {
            method: Method::POST,
            target: path.to_owned(),
            headers: vec![("content-type".into(), b"application/json".to_vec())],
            body: json.to_string().into_bytes(),
        }
    }

    /// The request head over HTTP/1.1 to `addr`: `Host`, the request's own headers,
    /// `Content-Length`, `extra` headers, and `Connection: close`.
    pub fn head(&self, addr: SocketAddr, extra: &[(&str, &str)]) -> Vec<u8> {
        let mut head = format!(
            "{} {} HTTP/1.1\r\nHost: {addr}\r\n",
            self.method, self.target
        )
        .into_bytes();
        for (name, value) in &self.headers {
            head.extend_from_slice(name.as_bytes());
            head.extend_from_slice(b": ");
            head.extend_from_slice(value);
            head.extend_from_slice(b"\r\n");
        }
        for (name, value) in extra {
            head.extend_from_slice(format!("{name}: {value}\r\n").as_bytes());
        }
        head.extend_from_slice(
            format!(
                "Content-Length: {}\r\nConnection: close\r\n\r\n",
                self.body.len()
            )
            .as_bytes(),
        );
        head
    }

    /// The same request for `tower::ServiceExt::oneshot`; `None` when the target or a header
    /// cannot be part of an `http::Request` at all (a client could not send it either).
    pub fn to_request(&self) -> Option<Request<Body>> {
        let mut request = Request::builder()
            .method(self.method.clone())
            .uri(self.target.as_str());
        for (name, value) in &self.headers {
            let name = HeaderName::from_bytes(name.as_bytes()).ok()?;
            let value = HeaderValue::from_bytes(value).ok()?;
            request = request.header(name, value);
        }
        request.body(Body::from(self.body.clone())).ok()
    }

    /// A short description for failure messages: method, target and the start of the body.
    pub fn describe(&self) -> String {
        let body = String::from_utf8_lossy(&self.body);
        let body: String = body.chars().take(300).collect();
        let headers: Vec<String> = self
            .headers
            .iter()
            .map(|(n, v)| format!("{n}: {}", String::from_utf8_lossy(v)))
            .collect();
        format!(
            "{} {} {headers:?} body({} bytes): {body}",
            self.method,
            self.target.chars().take(300).collect::<String>(),
            self.body.len()
        )
    }
}

/// A complete HTTP answer.
#[derive(Clone, Debug)]
pub struct HttpReply {
    pub status: u16,
    /// Names in lowercase.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl HttpReply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> Option<serde_json::Value> {
        serde_json::from_slice(&self.body).ok()
    }

    /// `error.code` of a JSON error body.
    pub fn code(&self) -> Option<String> {
        self.json()?["error"]["code"].as_str().map(str::to_owned)
    }
}

/// Parses one complete answer (status line, headers, a body of `Content-Length` bytes);
/// `None` when it is cut short.
pub fn parse_reply(bytes: &[u8]) -> Option<HttpReply> {
    let end = bytes.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = std::str::from_utf8(&bytes[..end]).ok()?;
    let mut lines = head.split("\r\n");
    let status: u16 = lines.next()?.split(' ').nth(1)?.parse().ok()?;
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let rest = &bytes[end + 4..];
    let length: usize = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .and_then(|(_, v)| v.parse().ok())?;
    if rest.len() < length {
        return None;
    }
    Some(HttpReply {
        status,
        headers,
        body: rest[..length].to_vec(),
    })
}

/// Reads up to the end of a response head (`\r\n\r\n`), one byte at a time so that nothing
/// after it is consumed; `None` if the connection ends first.
pub async fn read_head(stream: &mut TcpStream) -> Option<String> {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        match stream.read(&mut byte).await {
            Ok(1) => head.push(byte[0]),
            _ => return None,
        }
    }
    String::from_utf8(head).ok()
}

/// Sends `request` on a new connection and reads the whole answer (the server closes the
/// connection after it). `Err` says why there is no complete answer: the server refused the
/// connection, cut it, or did not answer within `within`.
pub async fn send_over_tcp(
    addr: SocketAddr,
    request: &RawRequest,
    within: Duration,
) -> Result<HttpReply, String> {
    let exchange = async {
        let mut stream = TcpStream::connect(addr)
            .await
            .map_err(|e| format!("connect: {e}"))?;
        let mut bytes = request.head(addr, &[]);
        bytes.extend_from_slice(&request.body);
        stream
            .write_all(&bytes)
            .await
            .map_err(|e| format!("write: {e}"))?;
        let mut answer = Vec::new();
        // A reset after a complete answer still leaves a complete answer.
        let read = stream.read_to_end(&mut answer).await;
        parse_reply(&answer).ok_or_else(|| format!("no complete answer ({read:?})"))
    };
    tokio::time::timeout(within, exchange)
        .await
        .map_err(|_| format!("no answer within {within:?}"))?
}

/// A widget's write, for the kill and shutdown tests: how to make the i-th write (each with a
/// reader or id of its own), how to tell it was acknowledged, and how to check that the database
/// kept every acknowledged one.
#[async_trait]
pub trait WriteScenario: Send + Sync {
    /// The widget, for messages.
    fn name(&self) -> &'static str;

    /// The i-th write, exactly as the widget sends it.
    fn write(&self, i: u64) -> RawRequest;

    /// Whether `reply` acknowledges the i-th write: a 2xx saying it was stored.
    fn acknowledged(&self, i: u64, reply: &HttpReply) -> bool;

    /// Reads the database (the server may be stopped) and panics unless every write in
    /// `acknowledged` is stored as it was sent, and whatever the widget keeps beside its records
    /// (totals, counters) agrees with them. Returns how many of the writes `0..sent` are stored:
    /// at least the acknowledged ones, at most all that were sent.
    async fn verify(&self, db: &TestDb, sent: u64, acknowledged: &BTreeSet<u64>) -> u64;
}

/// The server binary, running on a database of its own.
pub struct ServerProcess {
    child: Child,
    pub addr: SocketAddr,
    /// Kept open: the server prints to it.
    _stdout: BufReader<ChildStdout>,
    /// The empty `--assets` and `--www` directories.
    _dir: tempfile::TempDir,
}

impl ServerProcess {
    /// Starts `bangtin-server` on `db` on a free loopback port, with no write limit, and waits
    /// for its listening line. `soft_open_files` lowers the soft limit of open files it starts
    /// with (the hard one stays), as on systems whose default soft limit is low.
    pub async fn start(db: &TestDb, soft_open_files: Option<u64>) -> ServerProcess {
        let dir = tempfile::tempdir().unwrap();
        let binary = env!("CARGO_BIN_EXE_bangtin-server");
        let mut command = match soft_open_files {
            Some(limit) => {
                let mut sh = Command::new("sh");
                sh.arg("-c")
                    .arg(format!("ulimit -S -n {limit} && exec \"$0\" \"$@\""))
                    .arg(binary);
                sh
            }
            None => Command::new(binary),
        };
        command
            .args(["--listen", "127.0.0.1:0", "--write-rate-limit", "0"])
            .arg("--database-url")
            .arg(&db.url)
            .arg("--assets")
            .arg(dir.path())
            .arg("--www")
            .arg(dir.path())
            .env("BANGTIN_SECRET", std::str::from_utf8(SECRET).unwrap())
            .env_remove("BANGTIN_SECRET_FILE")
            .env("RUST_LOG", "error")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .kill_on_drop(true);
        let mut child = command.spawn().unwrap();
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        tokio::time::timeout(Duration::from_secs(60), stdout.read_line(&mut line))
            .await
            .expect("the server starts within 60 s")
            .unwrap();
        let addr = line
            .strip_prefix("bangtin listening on http://")
            .and_then(|rest| rest.trim_end().strip_suffix('/'))
            .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
            .parse()
            .unwrap();
        ServerProcess {
            child,
            addr,
            _stdout: stdout,
            _dir: dir,
        }
    }

    pub fn pid(&self) -> u32 {
        self.child.id().expect("still running")
    }

    /// SIGKILL, and wait until the process is gone.
    pub async fn kill(&mut self) {
        self.child.kill().await.unwrap();
    }

    /// SIGTERM: the server stops accepting, finishes what is in flight and exits.
    pub fn terminate(&self) {
        let status = std::process::Command::new("kill")
            .args(["-TERM", &self.pid().to_string()])
            .status()
            .unwrap();
        assert!(status.success(), "kill -TERM failed");
    }

    /// Waits for the process to exit; panics after `within`.
    pub async fn wait_exit(&mut self, within: Duration) -> ExitStatus {
        tokio::time::timeout(within, self.child.wait())
            .await
            .unwrap_or_else(|_| panic!("the server did not exit within {within:?}"))
            .unwrap()
    }
}

/// What writes a load sent and which were acknowledged, per scenario.
pub struct Ledger {
    /// The next index of each scenario: writes `0..next` were (maybe) sent.
    next: Vec<AtomicU64>,
    acknowledged: Vec<Mutex<BTreeSet<u64>>>,
    /// Answers that should never happen to a valid write: 5xx, other refusals, a 2xx that does
    /// not acknowledge it.
    failures: Mutex<Vec<String>>,
    acks: AtomicU64,
    acked: Notify,
}

impl Ledger {
    pub fn new(scenarios: usize) -> Ledger {
        Ledger {
            next: (0..scenarios).map(|_| AtomicU64::new(0)).collect(),
            acknowledged: (0..scenarios).map(|_| Mutex::default()).collect(),
            failures: Mutex::default(),
            acks: AtomicU64::new(0),
            acked: Notify::new(),
        }
    }

    pub fn sent(&self, scenario: usize) -> u64 {
        self.next[scenario].load(Ordering::SeqCst)
    }

    pub fn acknowledged(&self, scenario: usize) -> BTreeSet<u64> {
        self.acknowledged[scenario].lock().unwrap().clone()
    }

    pub fn acks(&self) -> u64 {
        self.acks.load(Ordering::SeqCst)
    }

    pub fn failures(&self) -> Vec<String> {
        self.failures.lock().unwrap().clone()
    }

    /// Waits until at least `count` writes are acknowledged in all; panics after `within`.
    pub async fn wait_for_acks(&self, count: u64, within: Duration) {
        let deadline = Instant::now() + within;
        loop {
            let notified = self.acked.notified();
            if self.acks() >= count {
                return;
            }
            let left = deadline.saturating_duration_since(Instant::now());
            assert!(
                tokio::time::timeout(left, notified).await.is_ok(),
                "only {} of {count} writes acknowledged within {within:?}; failures: {:?}",
                self.acks(),
                self.failures()
            );
        }
    }

    /// The index of a new write of `scenario`.
    pub fn reserve(&self, scenario: usize) -> u64 {
        self.next[scenario].fetch_add(1, Ordering::SeqCst)
    }

    /// Books the server's answer to the i-th write of `scenario`.
    pub fn book(
        &self,
        scenarios: &[Box<dyn WriteScenario>],
        scenario: usize,
        i: u64,
        reply: &HttpReply,
    ) {
        let s = &scenarios[scenario];
        if s.acknowledged(i, reply) {
            self.acknowledged[scenario].lock().unwrap().insert(i);
            self.acks.fetch_add(1, Ordering::SeqCst);
            self.acked.notify_waiters();
        } else {
            self.failures.lock().unwrap().push(format!(
                "{} write {i}: {} {}",
                s.name(),
                reply.status,
                String::from_utf8_lossy(&reply.body)
            ));
        }
    }

    /// Sends a new write of `scenario` on a new connection and books the answer. `false` when
    /// the server did not answer (it is gone, or going).
    pub async fn send_one(
        &self,
        scenarios: &[Box<dyn WriteScenario>],
        scenario: usize,
        addr: SocketAddr,
    ) -> bool {
        let i = self.reserve(scenario);
        let request = scenarios[scenario].write(i);
        match send_over_tcp(addr, &request, Duration::from_secs(30)).await {
            Ok(reply) => {
                self.book(scenarios, scenario, i, &reply);
                true
            }
            Err(_) => false,
        }
    }
}

/// Starts `workers` clients that send writes (each scenario in turn) to `addr` until the server
/// stops answering or `stop` is set.
pub fn start_load(
    scenarios: &Arc<Vec<Box<dyn WriteScenario>>>,
    ledger: &Arc<Ledger>,
    addr: SocketAddr,
    workers: usize,
    stop: &Arc<AtomicBool>,
) -> tokio::task::JoinSet<()> {
    let mut set = tokio::task::JoinSet::new();
    for worker in 0..workers {
        let (scenarios, ledger, stop) =
            (Arc::clone(scenarios), Arc::clone(ledger), Arc::clone(stop));
        set.spawn(async move {
            let mut turn = worker;
            while !stop.load(Ordering::SeqCst) {
                let scenario = turn % scenarios.len();
                turn += 1;
                if !ledger.send_one(&scenarios, scenario, addr).await {
                    break;
                }
            }
        });
    }
    set
}

/// What a kill test saw, per scenario: `(name, sent, acknowledged, stored)`.
pub struct KillReport {
    pub cycles: usize,
    pub scenarios: Vec<(&'static str, u64, usize, u64)>,
}

/// The kill test: `cycles` times, starts the server on `db`, puts every scenario's writes under
/// load from several clients, and SIGKILLs the server at a random moment (after a random number
/// of acknowledged writes, plus a random delay). Then a last server must still take every
/// scenario's write, and each scenario checks that every acknowledged write is stored. On SQLite
/// the file must also pass `PRAGMA integrity_check`.
pub async fn kill_test(
    db: &TestDb,
    scenarios: Vec<Box<dyn WriteScenario>>,
    cycles: usize,
    seed: u64,
) -> KillReport {
    let scenarios = Arc::new(scenarios);
    let ledger = Arc::new(Ledger::new(scenarios.len()));
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    for cycle in 0..cycles {
        let mut server = ServerProcess::start(db, None).await;
        let stop = Arc::new(AtomicBool::new(false));
        let mut load = start_load(&scenarios, &ledger, server.addr, 8, &stop);
        // Kill after 0..=40 more acknowledged writes and 0..2 ms: before, during and after
        // commits, with requests at every stage in flight.
        let more = rng.gen_range(0..=40u64);
        ledger
            .wait_for_acks(ledger.acks() + more, Duration::from_secs(30))
            .await;
        tokio::time::sleep(Duration::from_micros(rng.gen_range(0..2000))).await;
        server.kill().await;
        stop.store(true, Ordering::SeqCst);
        tokio::time::timeout(Duration::from_secs(30), async {
            while load.join_next().await.is_some() {}
        })
        .await
        .unwrap_or_else(|_| panic!("cycle {cycle}: clients still waiting 30 s after the kill"));
    }
    // The database as the kills left it: a new server starts on it and takes every widget's write.
    let mut server = ServerProcess::start(db, None).await;
    for scenario in 0..scenarios.len() {
        let before = ledger.acknowledged(scenario).len();
        assert!(ledger.send_one(&scenarios, scenario, server.addr).await);
        assert_eq!(
            ledger.acknowledged(scenario).len(),
            before + 1,
            "{}: a write after the kills is acknowledged; {:?}",
            scenarios[scenario].name(),
            ledger.failures()
        );
    }
    server.terminate();
    assert!(server.wait_exit(Duration::from_secs(30)).await.success());
    assert_eq!(
        ledger.failures(),
        Vec::<String>::new(),
        "valid writes refused"
    );
    if !db.is_postgres() {
        assert_eq!(db.sqlite_integrity_check().await, ["ok"]);
    }
    let mut report = KillReport {
        cycles,
        scenarios: Vec::new(),
    };
    for (index, scenario) in scenarios.iter().enumerate() {
        let acknowledged = ledger.acknowledged(index);
        let sent = ledger.sent(index);
        let stored = scenario.verify(db, sent, &acknowledged).await;
        assert!(
            acknowledged.len() as u64 <= stored && stored <= sent,
            "{}: {} acknowledged, {stored} stored, {sent} sent",
            scenario.name(),
            acknowledged.len()
        );
        report
            .scenarios
            .push((scenario.name(), sent, acknowledged.len(), stored));
    }
    report
}

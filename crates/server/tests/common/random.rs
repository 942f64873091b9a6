//! The randomized HTTP test: thousands of generated requests, sent in-process, to every
//! endpoint of every widget. Each widget lists its [`Endpoint`]s with a generator of requests as
//! the widget sends them; this module bends them: truncated and binary bodies, wrong JSON types,
//! unknown and repeated fields, huge numbers, deep nesting, odd Unicode (NFD, bidi overrides,
//! zero-width characters, escaped lone surrogates, very long text), odd query strings and headers
//! (content types, `Origin`, `X-Forwarded-For` garbage), wrong methods and unknown `/api` paths.
//!
//! It requires: no 5xx, ever; every 4xx carries `{"error":{"code","message"}}`; every request
//! left as the widget sends it gets a 2xx.

use std::collections::BTreeMap;

use axum::http::Method;
use axum::Router;
use bangtin_api::validate_article;
use bangtin_server::rating::normalize_article;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use super::harness::RawRequest;

/// One route of the API, with a generator of requests the server must accept.
pub struct Endpoint {
    /// For messages.
    pub name: &'static str,
    pub method: Method,
    pub path: &'static str,
    /// A request as the widget (or the loader) sends it: always answered with a 2xx.
    pub valid: fn(&mut Gen) -> Valid,
}

/// What a generator makes: a query string (without `?`) and a JSON body, either may be empty.
pub struct Valid {
    pub query: String,
    pub json: Option<serde_json::Value>,
}

impl Valid {
    pub fn query(query: String) -> Valid {
        Valid { query, json: None }
    }

    pub fn json(json: serde_json::Value) -> Valid {
        Valid {
            query: String::new(),
            json: Some(json),
        }
    }

    pub fn empty() -> Valid {
        Valid {
            query: String::new(),
            json: None,
        }
    }
}

/// The server's own routes (not a widget's).
pub fn server_endpoints() -> Vec<Endpoint> {
    vec![Endpoint {
        name: "healthz",
        method: Method::GET,
        path: "/healthz",
        valid: |_| Valid::empty(),
    }]
}

/// Random choices, from a seed (printed by the test, so that a failure can be replayed).
pub struct Gen {
    rng: StdRng,
}

/// Pieces of article keys the server must accept: odd, but no control characters and no
/// whitespace at either end.
const VALID_PIECES: &[&str] = &[
    "tin",
    "bai-viet-1.html",
    "Việt",
    "Vie\u{0302}\u{0323}t",
    "Tiếng Việt có dấu",
    "\u{202E}gpj.exe\u{202C}",
    "\u{202B}עברית\u{202C}",
    "a\u{200B}b",
    "\u{200D}",
    "\u{FEFF}",
    "\u{2066}x\u{2069}",
    "👩\u{200D}👩\u{200D}👧",
    "🇻🇳",
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
    "e\u{0301}\u{0301}\u{0301}",
    "日本語",
    "عربي",
    "?a=1&b=%20#x",
    ":",
    "stars:",
    "'; DROP TABLE votes; --",
    "\\",
    "\"",
    "<script>",
    "a\u{3000}b",
    "ǅ",
    "\u{E000}",
    "\u{FFFD}",
    "\u{FFFF}",
    "\u{10FFFF}",
];

/// Characters an article key must never contain.
const CONTROL: &[&str] = &[
    "\u{0}", "\u{1}", "\u{7}", "\t", "\n", "\r\n", "\u{1B}", "\u{7F}", "\u{85}", "\u{9F}",
];

impl Gen {
    pub fn new(seed: u64) -> Gen {
        Gen {
            rng: StdRng::seed_from_u64(seed),
        }
    }

    pub fn chance(&mut self, p: f64) -> bool {
        self.rng.gen_bool(p)
    }

    /// `low..high`
    pub fn between(&mut self, low: usize, high: usize) -> usize {
        self.rng.gen_range(low..high)
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.rng.gen_range(0..items.len())]
    }

    pub fn bytes(&mut self, len: usize) -> Vec<u8> {
        (0..len).map(|_| self.rng.gen()).collect()
    }

    /// A reader id the server accepts.
    pub fn reader(&mut self) -> String {
        format!("{:032x}", self.rng.gen::<u128>())
    }

    /// An article key the server must accept, often with odd but valid Unicode, sometimes
    /// exactly as long as allowed.
    pub fn article(&mut self) -> String {
        let mut article = String::from("/");
        for i in 0..self.between(1, 6) {
            if i > 0 {
                article.push(*self.pick(&['/', '-', ' ', '.']));
            }
            let piece = self.pick::<&str>(VALID_PIECES);
            article.push_str(piece);
        }
        if self.chance(0.05) {
            let chars = article.chars().count();
            let fill = bangtin_api::MAX_ARTICLE_CHARS.saturating_sub(chars);
            article.push_str(&"ă".repeat(fill));
        }
        let accepted = validate_article(&article).is_ok() && normalize_article(&article).is_ok();
        if accepted {
            article
        } else {
            "/fallback".to_owned()
        }
    }

    /// Any text: valid keys, empty, padded, with control characters, zero-width or bidi
    /// characters alone, combining marks, NFC expansions, or far too long.
    pub fn odd_text(&mut self) -> String {
        match self.between(0, 11) {
            0 => self.article(),
            1 => String::new(),
            2 => format!(" {}", self.article()),
            3 => format!("{}\u{3000}", self.article()),
            4 => {
                let article = self.article();
                let at = article
                    .char_indices()
                    .map(|(i, _)| i)
                    .nth(self.between(0, article.chars().count()))
                    .unwrap_or(0);
                let control = *self.pick(CONTROL);
                format!("{}{control}{}", &article[..at], &article[at..])
            }
            5 => self
                .pick(&[
                    "\u{202E}", "\u{200B}", "\u{FEFF}", "\u{2028}", "\u{0301}", "\u{FFFE}",
                ])
                .to_string(),
            6 => "\u{0301}".repeat(self.between(500, 700)),
            // U+0958 is excluded from composition: its NFC form is two characters.
            7 => format!("/{}", "\u{0958}".repeat(self.between(200, 400))),
            8 => format!("/{}", "x".repeat(self.between(512, 2000))),
            9 => "Vie\u{0302}\u{0323}t".repeat(self.between(80, 120)),
            _ => format!("/{}", "ầ".repeat(self.between(2_000, 6_000))),
        }
    }

    /// Any JSON value, as text: wrong types, numbers out of every range, escaped lone
    /// surrogates, deep nesting, odd strings.
    pub fn odd_json(&mut self) -> String {
        match self.between(0, 9) {
            0 => self
                .pick(&["null", "true", "false", "[]", "{}", "[1,2]", "{\"a\":1}"])
                .to_string(),
            1 => self
                .pick(&[
                    "0",
                    "-1",
                    "6",
                    "255",
                    "256",
                    "-0",
                    "1.5",
                    "1e2",
                    "1e400",
                    "-1e400",
                    "18446744073709551616",
                    "-9223372036854775809",
                    "340282366920938463463374607431768211456",
                    "0.0000000000000000000000000001",
                ])
                .to_string(),
            2 => serde_json::to_string(&self.odd_text()).unwrap(),
            3 => self
                .pick(&[
                    "\"\\ud800\"",
                    "\"\\udc00x\"",
                    "\"/a\\ud83d\"",
                    "\"\\u0000\"",
                    "\"\\u202e/a\"",
                    "\"stars\\u0000\"",
                ])
                .to_string(),
            4 => {
                let depth = *self.pick(&[2usize, 64, 127, 128, 129, 500, 5_000, 30_000]);
                format!("{}{}", "[".repeat(depth), "]".repeat(depth))
            }
            5 => {
                let depth = *self.pick(&[10usize, 128, 129, 3_000]);
                format!("{}1{}", "{\"a\":".repeat(depth), "}".repeat(depth))
            }
            6 => serde_json::to_string(&self.reader()).unwrap(),
            7 => serde_json::to_string(self.pick(&["stars", "thumbs", "Stars", "STARS", ""]))
                .unwrap(),
            _ => format!("\"{}\"", "x".repeat(70 * 1024)),
        }
    }
}

/// How a request was bent; `None` is as the widget sends it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Bend {
    None,
    Body,
    Query,
    Headers,
    Method,
    Path,
}

/// What the randomized HTTP test saw.
#[derive(Debug, Default)]
pub struct RandomReport {
    pub sent: usize,
    pub server_errors: usize,
    /// Answers by status code.
    pub statuses: BTreeMap<u16, usize>,
    /// Every broken requirement (5xx, a 4xx without the error body, a valid request refused),
    /// with the request; the first few only.
    pub failures: Vec<String>,
    /// How many requests broke a requirement.
    pub failed: usize,
}

/// Sends `count` generated requests to `app` (in-process, one at a time) and checks every
/// answer; see the module docs.
pub async fn random_requests(
    app: &Router,
    endpoints: &[Endpoint],
    count: usize,
    seed: u64,
) -> RandomReport {
    let mut g = Gen::new(seed);
    let mut report = RandomReport::default();
    while report.sent < count {
        let endpoint = g.pick(endpoints);
        let valid = (endpoint.valid)(&mut g);
        let mut request = RawRequest {
            method: endpoint.method.clone(),
            target: target(endpoint.path, &valid.query),
            headers: Vec::new(),
            body: Vec::new(),
        };
        if let Some(json) = &valid.json {
            request
                .headers
                .push(("content-type".into(), b"application/json".to_vec()));
            request.body = json.to_string().into_bytes();
        }
        let bends = if g.chance(0.25) {
            vec![Bend::None]
        } else {
            let all = [
                Bend::Body,
                Bend::Query,
                Bend::Headers,
                Bend::Method,
                Bend::Path,
            ];
            let mut bends: Vec<Bend> = (0..g.between(1, 3)).map(|_| *g.pick(&all)).collect();
            bends.sort();
            bends.dedup();
            bends
        };
        for bend in &bends {
            match bend {
                Bend::None => {}
                Bend::Body => bend_body(&mut g, &valid, &mut request),
                Bend::Query => {
                    request.target = target(endpoint.path, &bend_query(&mut g, &valid.query));
                }
                Bend::Headers => bend_headers(&mut g, &mut request),
                Bend::Method => {
                    let methods = [
                        Method::GET,
                        Method::POST,
                        Method::PUT,
                        Method::DELETE,
                        Method::PATCH,
                        Method::OPTIONS,
                        Method::HEAD,
                        Method::TRACE,
                        Method::from_bytes(b"FOO").unwrap(),
                    ];
                    request.method = g.pick(&methods).clone();
                }
                Bend::Path => {
                    let query = request.target.split_once('?').map(|(_, q)| q.to_owned());
                    let path = unknown_api_path(&mut g);
                    request.target = target(&path, query.as_deref().unwrap_or_default());
                }
            }
        }
        // Some bends make what no client can send (a header value with a newline): make another.
        let Some(http_request) = request.to_request() else {
            continue;
        };
        report.sent += 1;
        let reply = super::send(app, http_request).await;
        let status = reply.status.as_u16();
        *report.statuses.entry(status).or_default() += 1;
        let problem = if status >= 500 {
            report.server_errors += 1;
            Some("a 5xx")
        } else if (400..500).contains(&status)
            && request.method != Method::HEAD
            && !is_error_body(&reply.body)
        {
            Some("a 4xx without {\"error\":{\"code\",\"message\"}}")
        } else if bends == [Bend::None] && !(200..300).contains(&status) {
            Some("a request as the widget sends it, refused")
        } else {
            None
        };
        if let Some(problem) = problem {
            report.failed += 1;
            if report.failures.len() < 10 {
                report.failures.push(format!(
                    "{problem} ({} {status}, bent {bends:?}): {} -> {}",
                    endpoint.name,
                    request.describe(),
                    String::from_utf8_lossy(&reply.body)
                ));
            }
        }
    }
    report
}

fn target(path: &str, query: &str) -> String {
    if query.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{query}")
    }
}

fn is_error_body(body: &[u8]) -> bool {
    let Ok(json) = serde_json::from_slice::<serde_json::Value>(body) else {
        return false;
    };
    let error = &json["error"];
    error["code"].as_str().is_some_and(|code| !code.is_empty()) && error["message"].is_string()
}

/// Replaces the body: the valid JSON with fields changed, dropped, added or repeated, then
/// maybe cut, padded or re-encoded; or something that is not JSON at all.
fn bend_body(g: &mut Gen, valid: &Valid, request: &mut RawRequest) {
    let mut fields: Vec<(String, String)> = match &valid.json {
        Some(serde_json::Value::Object(map)) => map
            .iter()
            .map(|(k, v)| (serde_json::to_string(k).unwrap(), v.to_string()))
            .collect(),
        _ => Vec::new(),
    };
    for _ in 0..g.between(1, 4) {
        match g.between(0, 5) {
            0 if !fields.is_empty() => {
                let at = g.between(0, fields.len());
                fields[at].1 = g.odd_json();
            }
            1 if !fields.is_empty() => {
                let at = g.between(0, fields.len());
                fields.remove(at);
            }
            2 if !fields.is_empty() => {
                let at = g.between(0, fields.len());
                let key = fields[at].0.clone();
                fields.push((key, g.odd_json()));
            }
            3 => {
                let key = serde_json::to_string(&g.odd_text()).unwrap();
                fields.push((key, g.odd_json()));
            }
            _ => {
                let name = g.pick(&["\"admin\"", "\"__proto__\"", "\"value\"", "\"\""]);
                fields.push(((*name).to_owned(), g.odd_json()));
            }
        }
    }
    let object: Vec<String> = fields.iter().map(|(k, v)| format!("{k}:{v}")).collect();
    let mut body = format!("{{{}}}", object.join(",")).into_bytes();
    match g.between(0, 10) {
        0 => {
            let cut = g.between(0, body.len().max(1));
            body.truncate(cut);
        }
        1 => {
            let len = g.between(0, 300);
            body = g.bytes(len);
        }
        2 => body = g.odd_json().into_bytes(),
        3 => {
            let mut with_bom = "\u{FEFF}".as_bytes().to_vec();
            with_bom.append(&mut body);
            body = with_bom;
        }
        4 => {
            body = String::from_utf8_lossy(&body)
                .encode_utf16()
                .flat_map(u16::to_le_bytes)
                .collect();
        }
        5 => body.clear(),
        6 => {
            // Over the size limit.
            body = format!("{{\"article\":\"{}\"}}", "a".repeat(70 * 1024)).into_bytes();
        }
        _ => {}
    }
    request.body = body;
    let content_type: &[u8] = if g.chance(0.1) {
        let others: [&[u8]; 3] = [b"text/plain", b"application/x-www-form-urlencoded", b""];
        g.pick::<&[u8]>(&others)
    } else {
        b"application/json"
    };
    request
        .headers
        .retain(|(n, _)| !n.eq_ignore_ascii_case("content-type"));
    request
        .headers
        .push(("content-type".into(), content_type.to_vec()));
}

/// Changes the query's pairs (odd names and values, repeated, dropped, unknown), then maybe
/// mangles the encoding itself.
fn bend_query(g: &mut Gen, query: &str) -> String {
    let mut pairs: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes())
        .map(|(n, v)| (n.into_owned(), v.into_owned()))
        .collect();
    for _ in 0..g.between(1, 4) {
        match g.between(0, 6) {
            0 if !pairs.is_empty() => {
                let at = g.between(0, pairs.len());
                pairs[at].1 = g.odd_text();
            }
            1 if !pairs.is_empty() => {
                let at = g.between(0, pairs.len());
                let pair = pairs[at].clone();
                pairs.insert(at, pair);
            }
            2 if !pairs.is_empty() => {
                let at = g.between(0, pairs.len());
                pairs.remove(at);
            }
            3 => {
                let name = g.odd_text();
                let value = g.odd_text();
                pairs.push((name, value));
            }
            4 => {
                let name =
                    (*g.pick(&["w", "page", "reader", "item", "scale", "article"])).to_owned();
                let value = g.odd_text();
                let at = g.between(0, pairs.len() + 1);
                pairs.insert(at, (name, value));
            }
            _ => {
                let item = format!("item=stars:/x{}", g.between(0, 1000));
                for _ in 0..bangtin_api::MAX_BATCH + 1 {
                    let (n, v) = item.split_once('=').unwrap();
                    pairs.push((n.to_owned(), v.to_owned()));
                }
            }
        }
    }
    let mut encoded = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(&pairs)
        .finish();
    if g.chance(0.3) {
        let garbage = *g.pick(&[
            "%",
            "%zz",
            "%FF%FE%FD",
            "&&&",
            "=",
            "&=&",
            ";x=1",
            "%C0%AF",
            "%ED%A0%80",
            "+%2B+",
            "w",
            "w=",
            "=rating",
            "%00",
        ]);
        let at = g.between(0, encoded.len() + 1);
        // The serializer writes ASCII only: every index is a boundary.
        encoded.insert_str(at, garbage);
    }
    encoded
}

/// Adds or replaces headers with odd content types, origins, forwarded-for chains and such.
fn bend_headers(g: &mut Gen, request: &mut RawRequest) {
    for _ in 0..g.between(1, 4) {
        let (name, values): (&str, &[&[u8]]) = match g.between(0, 5) {
            0 => (
                "content-type",
                &[
                    b"application/json",
                    b"application/json; charset=utf-8",
                    b"application/json; charset=utf-16",
                    b"text/plain",
                    b"application/x-www-form-urlencoded",
                    b"multipart/form-data; boundary=x",
                    b"application/problem+json",
                    b"application/jsonx",
                    b"APPLICATION/JSON",
                    b"",
                    b"*/*",
                    b"application/\xff\xfe",
                ],
            ),
            1 => (
                "origin",
                &[
                    b"https://news.example",
                    b"https://evil.example",
                    b"null",
                    b"",
                    b"https://news.example/",
                    b"HTTPS://NEWS.EXAMPLE",
                    b"http://localhost",
                    b"https://\xff\xfe.example",
                    b"https://news.example.evil.example",
                ],
            ),
            2 => (
                "x-forwarded-for",
                &[
                    b"garbage",
                    b"1.2.3.4, garbage",
                    b"unknown",
                    b"",
                    b",,,",
                    b"999.1.1.1",
                    b"[::1]:80",
                    b"::ffff:1.2.3.4",
                    b"1.2.3.4:99999",
                    b"2001:db8::1%eth0",
                    b"\xc0\x80",
                    b"203.0.113.9",
                    b"198.51.100.1, 192.0.2.1",
                ],
            ),
            3 => (
                "host",
                &[b"", b"evil.example", b"[::1]", b"news.example", b"\xff"],
            ),
            _ => (
                "accept",
                &[b"*/*", b"text/html", b"application/json;q=0", b"\xfe"],
            ),
        };
        let value = g.pick(values).to_vec();
        if name == "x-forwarded-for" && g.chance(0.2) {
            let long = vec!["1.2.3.4"; 2000].join(", ").into_bytes();
            request.headers.push((name.into(), long));
            continue;
        }
        if g.chance(0.5) {
            request
                .headers
                .retain(|(n, _)| !n.eq_ignore_ascii_case(name));
        }
        request.headers.push((name.into(), value));
    }
}

/// A path under `/api` that no route serves.
fn unknown_api_path(g: &mut Gen) -> String {
    match g.between(0, 4) {
        0 => (*g.pick(&[
            "/api",
            "/api/",
            "/api/v1",
            "/api/v1/",
            "/api/v2/votes",
            "/api/v1/votes/",
            "/api/v1/VOTES",
            "/api//v1/votes",
            "/api/v1/votes/../ratings",
            "/api/v1/ratings;x",
            "/api/%FF%FE",
            "/api/v1/%E2%80%AE",
            "/api/v1/ratings%00",
            "/api/v1/boot/extra",
        ]))
        .to_owned(),
        1 => {
            let text = g.odd_text();
            let encoded: String = form_urlencoded::byte_serialize(text.as_bytes()).collect();
            format!("/api/v1/{encoded}")
        }
        2 => format!("/api/{}", "a/".repeat(g.between(1, 2000))),
        _ => format!("/api/v1/votes/{}", g.between(0, 1_000_000)),
    }
}

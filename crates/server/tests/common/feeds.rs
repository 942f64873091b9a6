//! A feed server on a free loopback port for the ticker's ingestion tests: it answers each path
//! with what its [`Mode`] says (a realistic feed, or something hostile), counts requests, and
//! honours `If-None-Match` like a newspaper's CDN.

use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use http_body::Frame;

/// What a path answers.
#[derive(Clone, Debug)]
pub enum Mode {
    /// The body with this ETag (and `304` to a request that has it).
    Feed {
        body: String,
        content_type: &'static str,
        etag: Option<String>,
    },
    /// `n` bytes of a never-ending item, announced with a `Content-Length`.
    Huge {
        bytes: usize,
        length_header: bool,
    },
    /// Headers after `head`, then the body a chunk every `every`.
    Slow {
        head: Duration,
        every: Duration,
    },
    /// A redirect to `to` (a path or a URL).
    Redirect {
        to: String,
    },
    Status(u16),
}

/// Each request's path and `If-None-Match`.
type Hits = Arc<Mutex<Vec<(String, Option<String>)>>>;

#[derive(Clone, Default)]
pub struct FeedServer {
    modes: Arc<Mutex<Vec<(String, Mode)>>>,
    hits: Hits,
    pub url: String,
}

impl FeedServer {
    pub async fn start() -> FeedServer {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let server = FeedServer {
            url: format!("http://{addr}"),
            ..FeedServer::default()
        };
        let app = Router::new()
            .route("/{*path}", get(answer))
            .with_state(server.clone());
        tokio::spawn(async move { axum::serve(listener, app).await });
        server
    }

    /// Makes `path` (without its leading `/`) answer `mode`.
    pub fn set(&self, path: &str, mode: Mode) {
        let mut modes = self.modes.lock().unwrap();
        modes.retain(|(p, _)| p != path);
        modes.push((path.to_owned(), mode));
    }

    /// `path` serves `body` as RSS with `etag`.
    pub fn rss(&self, path: &str, body: &str, etag: Option<&str>) {
        self.set(
            path,
            Mode::Feed {
                body: body.to_owned(),
                content_type: "application/rss+xml; charset=utf-8",
                etag: etag.map(str::to_owned),
            },
        );
    }

    pub fn url_of(&self, path: &str) -> String {
        format!("{}/{path}", self.url)
    }

    /// The requests to `path` so far, each with the `If-None-Match` it sent.
    pub fn hits(&self, path: &str) -> Vec<Option<String>> {
        self.hits
            .lock()
            .unwrap()
            .iter()
            .filter(|(p, _)| p == path)
            .map(|(_, inm)| inm.clone())
            .collect()
    }
}

async fn answer(
    State(server): State<FeedServer>,
    Path(path): Path<String>,
    headers: HeaderMap,
) -> Response {
    let inm = headers
        .get(header::IF_NONE_MATCH)
        .map(|v| v.to_str().unwrap().to_owned());
    server
        .hits
        .lock()
        .unwrap()
        .push((path.clone(), inm.clone()));
    let mode = server
        .modes
        .lock()
        .unwrap()
        .iter()
        .find(|(p, _)| *p == path)
        .map(|(_, m)| m.clone());
    match mode {
        None => StatusCode::NOT_FOUND.into_response(),
        Some(Mode::Status(code)) => StatusCode::from_u16(code).unwrap().into_response(),
        Some(Mode::Feed {
            body,
            content_type,
            etag,
        }) => {
            if etag.is_some() && inm == etag {
                return (
                    StatusCode::NOT_MODIFIED,
                    [(header::ETAG, etag.unwrap_or_default())],
                )
                    .into_response();
            }
            let mut response = ([(header::CONTENT_TYPE, content_type)], body).into_response();
            if let Some(etag) = etag {
                response
                    .headers_mut()
                    .insert(header::ETAG, etag.parse().unwrap());
            }
            response
        }
        Some(Mode::Huge {
            bytes,
            length_header,
        }) => {
            let chunk = 64 * 1024;
            let head = "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><item><title>";
            let mut first = head.as_bytes().to_vec();
            first.resize(chunk, b'a');
            let body = Trickle {
                chunks_left: bytes.div_ceil(chunk),
                first: Some(Bytes::from(first)),
                chunk: Bytes::from(vec![b'a'; chunk]),
                every: Duration::ZERO,
                wait: None,
            };
            let mut response = Response::new(Body::new(body));
            if length_header {
                response.headers_mut().insert(
                    header::CONTENT_LENGTH,
                    (bytes.div_ceil(chunk) * chunk).to_string().parse().unwrap(),
                );
            }
            response
        }
        Some(Mode::Slow { head, every }) => {
            tokio::time::sleep(head).await;
            Response::new(Body::new(Trickle {
                chunks_left: 20,
                first: Some(Bytes::from_static(
                    b"<?xml version=\"1.0\"?><rss version=\"2.0\">",
                )),
                chunk: Bytes::from_static(b"<channel></channel>"),
                every,
                wait: None,
            }))
        }
        Some(Mode::Redirect { to }) => {
            (StatusCode::FOUND, [(header::LOCATION, to)], "moved").into_response()
        }
    }
}

/// A body of `chunks_left` chunks (the first one `first`), one every `every`, without a length.
struct Trickle {
    chunks_left: usize,
    first: Option<Bytes>,
    chunk: Bytes,
    every: Duration,
    wait: Option<Pin<Box<tokio::time::Sleep>>>,
}

impl http_body::Body for Trickle {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        if self.chunks_left == 0 {
            return Poll::Ready(None);
        }
        if let Some(wait) = self.wait.as_mut() {
            if wait.as_mut().poll(cx).is_pending() {
                return Poll::Pending;
            }
        }
        let every = self.every;
        self.wait = (!every.is_zero()).then(|| Box::pin(tokio::time::sleep(every)));
        self.chunks_left -= 1;
        let data = self.first.take().unwrap_or_else(|| self.chunk.clone());
        Poll::Ready(Some(Ok(Frame::data(data))))
    }
}

/// RSS 2.0 the way Vietnamese newspapers write it: CDATA titles, entities, `+0700` and `GMT+7`
/// dates and one without a zone, Vietnamese in NFC and NFD, relative and absolute links, an item
/// without a guid or a date, a repeated guid, and `javascript:` and `data:` links.
pub const VN_RSS: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0">
  <channel>
    <title><![CDATA[Tin mới nhất - Báo Mẫu]]></title>
    <link>https://bao.example/</link>
    <description>Tin mới</description>
    <item>
      <title><![CDATA[Khánh thành cầu &amp; đường <b>Bến Vân</b>]]></title>
      <link>https://bao.example/thoi-su/a1.html</link>
      <guid isPermaLink="false">a1</guid>
      <category><![CDATA[Thời sự]]></category>
      <pubDate>Sat, 28 Nov 2026 09:00:00 +0700</pubDate>
    </item>
    <item>
      <title>&lt;b&gt;Nóng:&lt;/b&gt; Vie&#x302;&#x323;t Nam vô địch</title>
      <link>/the-thao/a2.html</link>
      <guid isPermaLink="false">a2</guid>
      <category>Thể thao</category>
      <pubDate>Sat, 28 Nov 2026 10:00:00 GMT+7</pubDate>
    </item>
    <item>
      <title><![CDATA[Không có ngày đăng]]></title>
      <link>https://bao.example/c.html</link>
    </item>
    <item>
      <title><![CDATA[Giờ không ghi múi]]></title>
      <link>https://bao.example/a4.html</link>
      <guid>a4</guid>
      <pubDate>2026-11-28 08:00:00</pubDate>
    </item>
    <item>
      <title><![CDATA[Cùng guid với tin đầu]]></title>
      <link>https://bao.example/thoi-su/a1-khac.html</link>
      <guid isPermaLink="false">a1</guid>
      <pubDate>Sat, 28 Nov 2026 11:00:00 +0700</pubDate>
    </item>
    <item>
      <title><![CDATA[Giờ RFC 3339]]></title>
      <link>https://bao.example/a6.html</link>
      <guid>a6</guid>
      <pubDate>2026-11-28T07:30:00+07:00</pubDate>
    </item>
    <item>
      <title><![CDATA[Bấm vào đây]]></title>
      <link>javascript:alert(document.cookie)</link>
      <guid>evil-js</guid>
      <pubDate>Sat, 28 Nov 2026 12:00:00 +0700</pubDate>
    </item>
    <item>
      <title><![CDATA[Ảnh nhúng]]></title>
      <link>data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==</link>
      <guid>evil-data</guid>
      <pubDate>Sat, 28 Nov 2026 12:00:00 +0700</pubDate>
    </item>
  </channel>
</rss>
"#;

pub const ATOM: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Thể thao</title>
  <id>https://bao.example/the-thao/</id>
  <updated>2026-11-28T09:10:00+07:00</updated>
  <entry>
    <title type="html">&lt;b&gt;Trực tiếp:&lt;/b&gt; Việt Nam &amp;amp; Thái Lan</title>
    <id>tag:bao.example,2026:1</id>
    <link rel="alternate" href="https://bao.example/the-thao/1.html"/>
    <category term="bong-da" label="Bóng đá"/>
    <updated>2026-11-28T09:10:00+07:00</updated>
  </entry>
  <entry>
    <title>Kỷ lục SEA Games</title>
    <id>tag:bao.example,2026:2</id>
    <link rel="alternate" href="2.html"/>
    <published>2026-11-28T01:35:00Z</published>
    <updated>2026-11-28T01:36:00Z</updated>
  </entry>
</feed>
"#;

pub const JSON_FEED: &str = r#"{
  "version": "https://jsonfeed.org/version/1.1",
  "title": "Kinh tế",
  "home_page_url": "https://bao.example/kinh-te/",
  "items": [
    {"id": "k1", "url": "https://bao.example/kinh-te/k1.html", "title": "Giá xăng giảm 500 đồng", "date_published": "2026-11-28T08:00:00+07:00", "tags": ["Kinh tế"]},
    {"id": "k2", "url": "javascript:void(0)", "title": "Mã độc", "date_published": "2026-11-28T09:00:00+07:00"},
    {"id": "k3", "url": "https://bao.example/kinh-te/k3.html", "title": "Lãi suất ổn định", "date_published": "2026-11-28T07:00:00+07:00"}
  ]
}"#;

/// An RSS feed of `count` dated items `prefix0..`, newest first, one minute apart from `start`
/// (seconds since the epoch, counting down).
pub fn numbered_rss(prefix: &str, count: usize, start: i64) -> String {
    let mut items = String::new();
    for i in 0..count {
        let date = chrono::DateTime::from_timestamp(start - 60 * i as i64, 0)
            .unwrap()
            .to_rfc2822();
        items.push_str(&format!(
            "<item><title>Tin {prefix}{i}</title><link>https://bao.example/{prefix}{i}.html</link>\
             <guid>{prefix}{i}</guid><pubDate>{date}</pubDate></item>\n"
        ));
    }
    format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>T</title>\
         <link>https://bao.example/</link><description>d</description>{items}</channel></rss>"
    )
}

//! Fetching feeds: one task per feed on a jittered schedule. Each fetch is a conditional
//! request (the `ETag` and `Last-Modified` of the last good answer; `304` keeps the items) with
//! a timeout, a body limit enforced while the body streams in, at most 3 redirects and only to
//! http(s). The answer is parsed with feed-rs (RSS 0.9–2.0, Atom, JSON Feed), cleaned
//! ([`super::text`]) and stored in one transaction. A bad feed (malformed, truncated, huge,
//! slow, looping, hostile) logs one error naming the feed and keeps its last good items; the
//! other feeds never wait on it.

use std::collections::HashSet;
use std::sync::{Arc, Weak};
use std::time::Duration;

use rand::Rng;
use reqwest::header::{HeaderValue, ACCEPT, ETAG, IF_MODIFIED_SINCE, IF_NONE_MATCH, LAST_MODIFIED};
use reqwest::redirect;
use reqwest::StatusCode;
use url::Url;

use super::feeds::{FeedSpec, Options, Source};
use super::store::{FeedItem, Fetched, TickerStore, Unchanged, Validators};
use super::{now_ms, text};

/// Redirects followed at most.
pub const MAX_REDIRECTS: usize = 3;
/// Entries read from one answer at most (a feed is a list of headlines, not an archive).
const MAX_ENTRIES: usize = 1000;

/// How one fetch ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// A good answer; the feed now keeps this many items.
    Stored { items: i64 },
    /// `304 Not Modified` (or a demo file unchanged): the items stay.
    NotModified,
    /// Why nothing was stored; the last good items stay.
    Failed(String),
}

/// Fetches feeds into the store.
pub struct Ingester {
    store: Arc<dyn TickerStore>,
    client: reqwest::Client,
    keep: i64,
    max_bytes: u64,
}

impl Ingester {
    /// An ingester with the limits of `options`.
    pub fn new(store: Arc<dyn TickerStore>, options: &Options) -> Result<Ingester, String> {
        let client = reqwest::Client::builder()
            .timeout(options.timeout)
            .connect_timeout(options.timeout)
            .redirect(redirect::Policy::custom(|attempt| {
                if attempt.previous().len() > MAX_REDIRECTS {
                    attempt.error(format!("more than {MAX_REDIRECTS} redirects"))
                } else if !matches!(attempt.url().scheme(), "http" | "https") {
                    let refused = format!("a redirect to {}: is refused", attempt.url().scheme());
                    attempt.error(refused)
                } else {
                    attempt.follow()
                }
            }))
            .user_agent(concat!(
                "bangtin-server/",
                env!("CARGO_PKG_VERSION"),
                " (ticker)"
            ))
            .build()
            .map_err(|e| format!("cannot make the feed client: {e}"))?;
        Ok(Ingester {
            store,
            client,
            keep: i64::from(options.keep.max(1)),
            max_bytes: options.max_bytes,
        })
    }

    /// Fetches `feed` once and records how it went (one log line when it failed).
    pub async fn fetch(&self, feed: &FeedSpec) -> Outcome {
        let source = feed.source.describe();
        let outcome = match self.fetch_and_store(feed, &source).await {
            Ok(outcome) => outcome,
            Err(error) => Outcome::Failed(error),
        };
        let now = now_ms();
        let recorded = match &outcome {
            Outcome::Stored { .. } => Ok(()),
            Outcome::NotModified => {
                self.store
                    .record_unchanged(&feed.name, &source, &Unchanged::NotModified, now)
                    .await
            }
            Outcome::Failed(error) => {
                tracing::error!(feed = %feed.name, source = %source, error = %error, "feed fetch failed; its last good items stay");
                self.store
                    .record_unchanged(&feed.name, &source, &Unchanged::Failed(error.clone()), now)
                    .await
            }
        };
        if let Err(err) = recorded {
            tracing::error!(feed = %feed.name, error = %err, "cannot record the feed's fetch");
        }
        outcome
    }

    async fn fetch_and_store(&self, feed: &FeedSpec, source: &str) -> Result<Outcome, String> {
        let known = self
            .store
            .validators(&feed.name)
            .await
            .map_err(|e| format!("cannot read the feed's state: {e}"))?
            .filter(|v| v.source == source)
            .unwrap_or_default();
        let body = match &feed.source {
            Source::Http(url) => self.get(url, &known).await?,
            Source::File(path) => read_file(path, &known, self.max_bytes).await?,
        };
        let Some(Body {
            bytes,
            base,
            etag,
            last_modified,
        }) = body
        else {
            return Ok(Outcome::NotModified);
        };
        let items = tokio::task::spawn_blocking(move || parse(&bytes, base.as_ref()))
            .await
            .map_err(|e| format!("the parser stopped: {e}"))??;
        let fetched = Fetched {
            source: source.to_owned(),
            etag,
            last_modified,
            items,
        };
        let items = self
            .store
            .store_fetch(&feed.name, &fetched, self.keep, now_ms())
            .await
            .map_err(|e| format!("cannot store the items: {e}"))?;
        Ok(Outcome::Stored { items })
    }

    /// A conditional GET; `None` for `304`.
    async fn get(&self, url: &Url, known: &Validators) -> Result<Option<Body>, String> {
        let mut request = self.client.get(url.clone()).header(
            ACCEPT,
            HeaderValue::from_static(
                "application/rss+xml, application/atom+xml, application/feed+json, \
                 application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5",
            ),
        );
        if let Some(etag) = known.etag.as_deref() {
            request = request.header(IF_NONE_MATCH, etag);
        }
        if let Some(since) = known.last_modified.as_deref() {
            request = request.header(IF_MODIFIED_SINCE, since);
        }
        let mut response = request.send().await.map_err(|e| describe(&e))?;
        let status = response.status();
        if status == StatusCode::NOT_MODIFIED {
            return Ok(None);
        }
        if !status.is_success() {
            return Err(format!("answered {status}"));
        }
        if response
            .content_length()
            .is_some_and(|n| n > self.max_bytes)
        {
            return Err(format!("larger than {} bytes", self.max_bytes));
        }
        let header = |name| {
            response
                .headers()
                .get(name)
                .and_then(|v: &HeaderValue| v.to_str().ok())
                .filter(|v| !v.is_empty() && v.len() <= 256)
                .map(str::to_owned)
        };
        let (etag, last_modified) = (header(ETAG), header(LAST_MODIFIED));
        // Relative links are relative to where the feed finally came from.
        let base = response.url().clone();
        let mut bytes = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(|e| describe(&e))? {
            if u64::try_from(bytes.len() + chunk.len()).unwrap_or(u64::MAX) > self.max_bytes {
                return Err(format!("larger than {} bytes", self.max_bytes));
            }
            bytes.extend_from_slice(&chunk);
        }
        Ok(Some(Body {
            bytes,
            base: Some(base),
            etag,
            last_modified,
        }))
    }
}

/// A feed's answer.
struct Body {
    bytes: Vec<u8>,
    base: Option<Url>,
    etag: Option<String>,
    last_modified: Option<String>,
}

/// A demo feed file, unless its size and modification time are those of the last read.
async fn read_file(
    path: &std::path::Path,
    known: &Validators,
    max_bytes: u64,
) -> Result<Option<Body>, String> {
    let meta = tokio::fs::metadata(path)
        .await
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    if meta.len() > max_bytes {
        return Err(format!("larger than {max_bytes} bytes"));
    }
    let modified = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos());
    let stamp = format!("{}-{modified}", meta.len());
    if known.last_modified.as_deref() == Some(stamp.as_str()) {
        return Ok(None);
    }
    let bytes = tokio::fs::read(path)
        .await
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    Ok(Some(Body {
        bytes,
        base: None,
        etag: None,
        last_modified: Some(stamp),
    }))
}

/// reqwest's error and its causes, in one line.
fn describe(err: &reqwest::Error) -> String {
    if err.is_timeout() {
        return "no complete answer within the timeout".to_owned();
    }
    let mut text = if err.is_redirect() {
        "redirect refused".to_owned()
    } else if err.is_connect() {
        "cannot connect".to_owned()
    } else if err.is_body() || err.is_decode() {
        "the body broke off".to_owned()
    } else {
        "request failed".to_owned()
    };
    let mut source = std::error::Error::source(err);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// The items of a feed document, cleaned, in the feed's order, deduplicated (by guid, else
/// link; the first one wins). Items without a title or an http(s) link are dropped.
pub fn parse(bytes: &[u8], base: Option<&Url>) -> Result<Vec<FeedItem>, String> {
    check_complete(bytes)?;
    let parser = feed_rs::parser::Builder::new()
        .base_uri(base.map(Url::as_str))
        // No made-up ids: an item without a guid is known by its link.
        .id_generator(|_, _, _| String::new())
        .timestamp_parser(text::parse_date)
        .sanitize_content(false)
        .build();
    let feed = parser
        .parse(bytes)
        .map_err(|e| format!("not a feed: {e}"))?;
    let mut seen = HashSet::new();
    let mut items = Vec::new();
    for entry in feed.entries.into_iter().take(MAX_ENTRIES) {
        let Some(title) = entry
            .title
            .as_ref()
            .map(|t| text::plain_text(&t.content, text::TITLE_MAX))
            .filter(|t| !t.is_empty())
        else {
            continue;
        };
        let link = entry
            .links
            .iter()
            .filter(|l| l.rel.as_deref().is_none_or(|rel| rel == "alternate"))
            .chain(entry.links.iter())
            .find_map(|l| text::safe_link(&l.href, base));
        let Some(url) = link else {
            continue;
        };
        let guid = entry.id.trim();
        let id = if guid.is_empty() || guid.len() > text::ID_MAX {
            url.clone()
        } else {
            guid.to_owned()
        };
        if !seen.insert(id.clone()) {
            continue;
        }
        let section = entry
            .categories
            .first()
            .map(|c| text::plain_text(c.label.as_deref().unwrap_or(&c.term), text::SECTION_MAX))
            .filter(|s| !s.is_empty());
        items.push(FeedItem {
            id,
            title,
            url,
            published_ms: entry
                .published
                .or(entry.updated)
                .map(|d| d.timestamp_millis()),
            section,
        });
    }
    Ok(items)
}

/// An XML feed cut off before its end (a dropped connection, a full disk upstream) parses as
/// far as it goes; such an answer is refused, not taken as a shorter feed.
fn check_complete(bytes: &[u8]) -> Result<(), String> {
    let text = bytes.trim_ascii();
    let xml = text.first() == Some(&b'<') || text.starts_with(b"\xEF\xBB\xBF<");
    if !xml {
        return Ok(());
    }
    let tail = &text[text.len().saturating_sub(64)..];
    let closes = tail.ends_with(b">")
        && [&b"</rss>"[..], b"</feed>", b"RDF>"]
            .iter()
            .any(|end| tail.windows(end.len()).any(|w| w == *end));
    if closes {
        Ok(())
    } else {
        Err("not a feed: the document ends before its root element closes".to_owned())
    }
}

/// Starts one task per feed: a first fetch within a second, then one every `interval`
/// (±10 %). A task ends when `alive` has no strong holder left (its app was dropped).
pub fn spawn(ingester: Arc<Ingester>, feeds: &[FeedSpec], interval: Duration, alive: Weak<()>) {
    for feed in feeds.iter().cloned() {
        let ingester = Arc::clone(&ingester);
        let alive = alive.clone();
        tokio::spawn(async move {
            let mut wait = jitter(Duration::from_secs(1), 0.0, 1.0);
            loop {
                tokio::time::sleep(wait).await;
                if alive.upgrade().is_none() {
                    return;
                }
                match ingester.fetch(&feed).await {
                    Outcome::Stored { items } => {
                        tracing::debug!(feed = %feed.name, items, "feed fetched");
                    }
                    Outcome::NotModified => {
                        tracing::debug!(feed = %feed.name, "feed not modified");
                    }
                    Outcome::Failed(_) => {}
                }
                wait = jitter(interval, 0.9, 1.1);
            }
        });
    }
}

/// `base` times a random factor in `low..high`: servers that start together spread out.
fn jitter(base: Duration, low: f64, high: f64) -> Duration {
    base.mul_f64(rand::thread_rng().gen_range(low..high))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cut_off_xml_feed_is_refused_and_a_complete_one_taken() {
        assert!(check_complete(b"<rss version=\"2.0\"><channel><item><title>a").is_err());
        assert!(check_complete(b"<rss version=\"2.0\"><channel></channel></rss>\n").is_ok());
        assert!(check_complete(b"<feed xmlns=\"http://www.w3.org/2005/Atom\"></feed>").is_ok());
        assert!(check_complete(b"{\"version\": \"https://jsonfeed.org/version/1.1\"}").is_ok());
    }
}

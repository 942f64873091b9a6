//! Notifications of new pending feedback (`--feedback-webhook URL`): a `POST` of JSON
//! `{"event":"feedback.pending","id","article","name","message","created_at","admin_url"}` (never
//! the email address) for each new pending item.
//!
//! Durable and out of the reader's way: the submit writes the notification into
//! `feedback_webhook_outbox` in the same transaction as the feedback, and wakes a background task
//! that delivers it. Any 2xx answer delivers it; anything else (an error status, a refused
//! connection, no answer within the timeout) is tried again after 1 s, 2 s, 4 s … (doubling, at
//! most 5 min apart), 8 attempts in all; then it is marked `failed` and logged once. A server that
//! stops mid-way leaves the row pending, and the next one to start delivers it. Several servers on
//! one PostgreSQL database take each attempt in turn (a row is claimed before it is sent).
//!
//! Plain `http://` only: the server carries no TLS client. Point it at a relay on the same host
//! or network for an `https://` service.

use std::sync::Arc;
use std::time::Duration;

use axum::http::Uri;
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::sync::Notify;

use super::store::{Attempt, FeedbackStore, Outgoing};
use super::token::now_db;

/// Where and how notifications go.
#[derive(Clone, Debug)]
pub struct WebhookOptions {
    pub target: Target,
    /// The wait before the first retry; each later one doubles it (up to [`Self::max_delay`]).
    pub first_delay: Duration,
    pub max_delay: Duration,
    /// Attempts in all, the first included.
    pub attempts: u32,
    /// How long one attempt may take, connecting included.
    pub timeout: Duration,
}

impl WebhookOptions {
    /// The defaults for `url`: 1 s doubling to at most 5 min, 8 attempts, 10 s each.
    pub fn new(url: &str) -> Result<WebhookOptions, String> {
        Ok(WebhookOptions {
            target: Target::parse(url)?,
            first_delay: Duration::from_secs(1),
            max_delay: Duration::from_secs(300),
            attempts: 8,
            timeout: Duration::from_secs(10),
        })
    }

    /// The wait after the `attempt`-th failed attempt (1-based).
    pub fn delay_after(&self, attempt: u32) -> Duration {
        let factor = 1u32
            .checked_shl(attempt.saturating_sub(1))
            .unwrap_or(u32::MAX);
        self.first_delay
            .checked_mul(factor)
            .unwrap_or(self.max_delay)
            .min(self.max_delay)
    }
}

/// An `http://host[:port]/path` URL, parsed once at start.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    pub host: String,
    pub port: u16,
    /// `Host:` as sent.
    pub authority: String,
    pub path: String,
    /// The URL as configured, for messages.
    pub url: String,
}

impl Target {
    pub fn parse(url: &str) -> Result<Target, String> {
        let uri: Uri = url
            .parse()
            .map_err(|_| format!("--feedback-webhook {url:?} is not a URL"))?;
        match uri.scheme_str() {
            Some("http") => {}
            Some("https") => {
                return Err(format!(
                    "--feedback-webhook {url:?}: https is not supported (the server has no TLS \
                     client); use an http:// relay"
                ))
            }
            _ => {
                return Err(format!(
                    "--feedback-webhook {url:?} must start with http://"
                ))
            }
        }
        let authority = uri
            .authority()
            .ok_or_else(|| format!("--feedback-webhook {url:?} names no host"))?;
        if authority.as_str().contains('@') {
            return Err(format!(
                "--feedback-webhook {url:?}: credentials in the URL are not supported"
            ));
        }
        let host = authority.host().trim_matches(['[', ']']).to_owned();
        Ok(Target {
            host,
            port: authority.port_u16().unwrap_or(80),
            authority: authority.as_str().to_owned(),
            path: uri
                .path_and_query()
                .map_or_else(|| "/".to_owned(), |p| p.as_str().to_owned()),
            url: url.to_owned(),
        })
    }
}

/// The JSON a new pending item is announced with.
pub fn payload(
    id: &str,
    article: &str,
    name: &str,
    message: &str,
    created_ms: i64,
    admin_url: &str,
) -> String {
    json!({
        "event": "feedback.pending",
        "id": id,
        "article": article,
        "name": name,
        "message": message,
        "created_at": created_ms,
        "admin_url": admin_url,
    })
    .to_string()
}

/// Starts the delivery task; notify the returned handle after storing a notification.
pub fn spawn(store: Arc<dyn FeedbackStore>, options: WebhookOptions) -> Arc<Notify> {
    let wake = Arc::new(Notify::new());
    tokio::spawn(deliver_forever(store, options, Arc::clone(&wake)));
    wake
}

/// Longest sleep between looks at the outbox: another server may have written to it.
const IDLE_LOOK: Duration = Duration::from_secs(30);

async fn deliver_forever(
    store: Arc<dyn FeedbackStore>,
    options: WebhookOptions,
    wake: Arc<Notify>,
) {
    loop {
        if let Err(err) = deliver_due(store.as_ref(), &options).await {
            tracing::warn!(error = %err, "webhook outbox unreadable; trying again shortly");
            tokio::time::sleep(Duration::from_secs(1)).await;
            continue;
        }
        let wait = match store.next_due().await {
            Ok(Some(next)) => {
                Duration::from_millis(u64::try_from(next - now_db()).unwrap_or(0)).min(IDLE_LOOK)
            }
            Ok(None) => IDLE_LOOK,
            Err(_) => Duration::from_secs(1),
        };
        if wait.is_zero() {
            continue;
        }
        tokio::select! {
            () = wake.notified() => {}
            () = tokio::time::sleep(wait) => {}
        }
    }
}

/// Attempts every notification that is due.
async fn deliver_due(
    store: &dyn FeedbackStore,
    options: &WebhookOptions,
) -> Result<(), crate::db::StoreError> {
    loop {
        let now = now_db();
        let due = store.due(now, 16).await?;
        if due.is_empty() {
            return Ok(());
        }
        for out in due {
            let lease = i64::try_from(options.timeout.as_millis()).unwrap_or(i64::MAX / 2) + 5_000;
            if !store.claim(&out, now_db().saturating_add(lease)).await? {
                continue;
            }
            attempt(store, options, &out).await?;
        }
    }
}

async fn attempt(
    store: &dyn FeedbackStore,
    options: &WebhookOptions,
    out: &Outgoing,
) -> Result<(), crate::db::StoreError> {
    let number = u32::try_from(out.attempts + 1).unwrap_or(u32::MAX);
    let result = post(&options.target, &out.payload, options.timeout).await;
    let (outcome, error) = match result {
        Ok(status) if (200..300).contains(&status) => (Attempt::Delivered, String::new()),
        other => {
            let error = match other {
                Ok(status) => format!("answered {status}"),
                Err(err) => err,
            };
            if number >= options.attempts {
                tracing::warn!(
                    feedback = %out.feedback_id,
                    attempts = number,
                    error = %error,
                    webhook = %options.target.url,
                    "webhook notification failed for good"
                );
                (Attempt::Failed, error)
            } else {
                let delay = i64::try_from(options.delay_after(number).as_millis()).unwrap_or(0);
                tracing::debug!(feedback = %out.feedback_id, attempt = number, error = %error, "webhook attempt failed");
                (
                    Attempt::Retry {
                        retry_at: now_db().saturating_add(delay),
                    },
                    error,
                )
            }
        }
    };
    store.attempted(out.id, outcome, &error).await
}

/// POSTs `body` as JSON to `target` over HTTP/1.1 and returns the answer's status code.
async fn post(target: &Target, body: &str, timeout: Duration) -> Result<u16, String> {
    let exchange = async {
        let mut stream = TcpStream::connect((target.host.as_str(), target.port))
            .await
            .map_err(|e| format!("cannot connect: {e}"))?;
        let head = format!(
            "POST {} HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\n\
             Content-Length: {}\r\nUser-Agent: bangtin-server\r\nConnection: close\r\n\r\n",
            target.path,
            target.authority,
            body.len()
        );
        stream
            .write_all(head.as_bytes())
            .await
            .map_err(|e| format!("cannot send: {e}"))?;
        stream
            .write_all(body.as_bytes())
            .await
            .map_err(|e| format!("cannot send: {e}"))?;
        // Only the status line matters.
        let mut answer = Vec::new();
        let mut chunk = [0u8; 512];
        while !answer.windows(2).any(|w| w == b"\r\n") && answer.len() < 8192 {
            let n = stream
                .read(&mut chunk)
                .await
                .map_err(|e| format!("cannot read the answer: {e}"))?;
            if n == 0 {
                break;
            }
            answer.extend_from_slice(&chunk[..n]);
        }
        let line = answer.split(|b| *b == b'\r').next().unwrap_or_default();
        let status = std::str::from_utf8(line)
            .ok()
            .and_then(|line| line.split(' ').nth(1))
            .and_then(|code| code.parse::<u16>().ok())
            .ok_or_else(|| "no HTTP answer".to_owned())?;
        Ok(status)
    };
    tokio::time::timeout(timeout, exchange)
        .await
        .map_err(|_| format!("no answer within {} ms", timeout.as_millis()))?
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_double_from_one_second_up_to_the_cap() {
        let options = WebhookOptions::new("http://127.0.0.1:9/hook").expect("valid");
        let delays: Vec<u64> = (1..=8).map(|n| options.delay_after(n).as_secs()).collect();
        assert_eq!(delays, [1, 2, 4, 8, 16, 32, 64, 128]);
        assert_eq!(options.delay_after(40), Duration::from_secs(300));
        assert_eq!(options.attempts, 8);
    }

    #[test]
    fn only_plain_http_urls_are_taken() {
        let target = Target::parse("http://hooks.internal:8081/bangtin?x=1").expect("valid");
        assert_eq!(target.host, "hooks.internal");
        assert_eq!(target.port, 8081);
        assert_eq!(target.path, "/bangtin?x=1");
        assert_eq!(Target::parse("http://[::1]/").expect("v6").host, "::1");
        assert!(Target::parse("https://hooks.example/").is_err());
        assert!(Target::parse("ftp://x/").is_err());
        assert!(Target::parse("http://user:pw@x/").is_err());
        assert!(Target::parse("not a url").is_err());
    }

    #[test]
    fn the_payload_never_carries_an_email() {
        let body = payload("ab", "/a", "An", "Xin chào", 17, "https://x/admin");
        let value: serde_json::Value = serde_json::from_str(&body).expect("json");
        assert_eq!(value["event"], "feedback.pending");
        assert_eq!(value["created_at"], 17);
        assert!(value.get("email").is_none());
    }
}

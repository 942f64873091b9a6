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
//! `http://` or `https://` (reqwest over rustls, with the compiled-in Mozilla roots); redirects
//! are not followed (a redirect answer is a failed attempt).

use std::sync::Arc;
use std::time::Duration;

use serde_json::json;
use tokio::sync::Notify;
use url::Url;

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

/// An `http(s)://host[:port]/path` URL, checked once at start.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    pub url: Url,
}

impl Target {
    pub fn parse(url: &str) -> Result<Target, String> {
        let parsed =
            Url::parse(url).map_err(|_| format!("--feedback-webhook {url:?} is not a URL"))?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(format!(
                "--feedback-webhook {url:?} must start with http:// or https://"
            ));
        }
        if parsed.host_str().is_none() {
            return Err(format!("--feedback-webhook {url:?} names no host"));
        }
        if !parsed.username().is_empty() || parsed.password().is_some() {
            return Err(format!(
                "--feedback-webhook {url:?}: credentials in the URL are not supported"
            ));
        }
        Ok(Target { url: parsed })
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
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(concat!("bangtin-server/", env!("CARGO_PKG_VERSION")))
        .build();
    match client {
        Ok(client) => {
            tokio::spawn(deliver_forever(store, client, options, Arc::clone(&wake)));
        }
        // Only a broken TLS setup fails here; the notifications wait in the outbox.
        Err(err) => tracing::error!(error = %err, "cannot start the webhook client"),
    }
    wake
}

/// Longest sleep between looks at the outbox: another server may have written to it.
const IDLE_LOOK: Duration = Duration::from_secs(30);

async fn deliver_forever(
    store: Arc<dyn FeedbackStore>,
    client: reqwest::Client,
    options: WebhookOptions,
    wake: Arc<Notify>,
) {
    loop {
        if let Err(err) = deliver_due(store.as_ref(), &client, &options).await {
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
    client: &reqwest::Client,
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
            attempt(store, client, options, &out).await?;
        }
    }
}

async fn attempt(
    store: &dyn FeedbackStore,
    client: &reqwest::Client,
    options: &WebhookOptions,
    out: &Outgoing,
) -> Result<(), crate::db::StoreError> {
    let number = u32::try_from(out.attempts + 1).unwrap_or(u32::MAX);
    let result = post(client, &options.target, &out.payload, options.timeout).await;
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

/// POSTs `body` as JSON to `target` and returns the answer's status code (the body is not
/// read). `timeout` covers connecting, TLS, sending and the answer's head.
async fn post(
    client: &reqwest::Client,
    target: &Target,
    body: &str,
    timeout: Duration,
) -> Result<u16, String> {
    let response = client
        .post(target.url.clone())
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .body(body.to_owned())
        .timeout(timeout)
        .send()
        .await
        .map_err(|err| {
            if err.is_timeout() {
                format!("no answer within {} ms", timeout.as_millis())
            } else if err.is_connect() {
                "cannot connect".to_owned()
            } else {
                format!("cannot send: {err}")
            }
        })?;
    Ok(response.status().as_u16())
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
    fn http_and_https_urls_are_taken_and_nothing_else() {
        let target = Target::parse("http://hooks.internal:8081/bangtin?x=1").expect("valid");
        assert_eq!(target.url.host_str(), Some("hooks.internal"));
        assert_eq!(target.url.port(), Some(8081));
        assert_eq!(target.url.path(), "/bangtin");
        assert!(Target::parse("http://[::1]/").is_ok());
        assert!(Target::parse("https://hooks.example/bangtin").is_ok());
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

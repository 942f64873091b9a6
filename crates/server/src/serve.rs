//! How connections are served, with a hostile world in mind (issue 7): every connection is run
//! here rather than by `axum::serve`, which has no header-read timeout and no deadline for
//! in-flight requests at shutdown.
//!
//! - A client must send its request headers within [`Timeouts::header_read`] of connecting (or of
//!   the previous answer on a kept-alive connection); otherwise the connection is closed. Idle and
//!   slow-loris connections cost a file descriptor for that long, no more.
//! - A request body must arrive within [`Timeouts::body_read`] of its headers; otherwise the
//!   answer is `408 request_timeout` ([`body_deadline`], applied by the router to the API).
//! - When the shutdown future resolves, the listener is closed (new connections are refused),
//!   idle connections are closed, and requests in flight are finished, for at most
//!   [`Timeouts::shutdown_grace`]; then the remaining connections are cut. A write is acknowledged
//!   only once committed, so a cut one is refused, never acknowledged and lost.
//! - [`raise_open_files_limit`] lets the process hold as many connections as the system allows.

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::connect_info::ConnectInfo;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Router;
use http_body::{Frame, SizeHint};
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::task::JoinSet;
use tower::ServiceExt;

use crate::error::AppError;

/// How long the server waits on clients.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Timeouts {
    /// From a connection's start (or its previous answer) to the end of the next request's
    /// headers. Closes idle keep-alive connections too.
    pub header_read: Duration,
    /// From a request's headers to the end of its body.
    pub body_read: Duration,
    /// After shutdown begins, how long requests in flight may take before their connections are
    /// cut.
    pub shutdown_grace: Duration,
}

impl Default for Timeouts {
    /// 10 s each: a vote is a few hundred bytes, and a stopping server should not keep a
    /// deployment waiting.
    fn default() -> Self {
        Timeouts {
            header_read: Duration::from_secs(10),
            body_read: Duration::from_secs(10),
            shutdown_grace: Duration::from_secs(10),
        }
    }
}

/// How long to wait after an accept error that is not about one connection (out of file
/// descriptors, say) before accepting again: connections closing meanwhile free what it needs.
const ACCEPT_BACKOFF: Duration = Duration::from_millis(100);

/// The most open files this process asks for; Linux refuses more than `fs.nr_open` (1,048,576
/// by default) even when the hard limit is "unlimited".
const WANTED_OPEN_FILES: u64 = 1 << 20;

/// Raises the soft limit of open files (`RLIMIT_NOFILE`) to the hard limit, so that many idle
/// connections cannot exhaust descriptors at the common default soft limit of 1,024; returns the
/// limit now in force.
pub fn raise_open_files_limit() -> io::Result<u64> {
    rlimit::increase_nofile_limit(WANTED_OPEN_FILES)
}

/// Serves `app` on `listener` with the default [`Timeouts`] until `shutdown` resolves; see
/// [`serve_with`].
pub async fn serve(
    listener: TcpListener,
    app: Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    serve_with(listener, app, shutdown, Timeouts::default()).await
}

/// Serves `app` (HTTP/1.1) on `listener` until `shutdown` resolves, then stops accepting and
/// finishes the requests in flight, for at most `timeouts.shutdown_grace`. Each request carries
/// its peer as `ConnectInfo<SocketAddr>` (the write guard reads it). Returns once every connection
/// is closed; errors of single connections are logged, never returned.
pub async fn serve_with(
    listener: TcpListener,
    app: Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
    timeouts: Timeouts,
) -> io::Result<()> {
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(timeouts.header_read);
    let graceful = GracefulShutdown::new();
    let mut connections = JoinSet::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            biased;
            () = &mut shutdown => break,
            // Reap finished connections, so the set does not grow with every client.
            Some(_) = connections.join_next(), if !connections.is_empty() => continue,
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(err) if is_connection_error(&err) => continue,
                Err(err) => {
                    tracing::warn!(error = %err, "cannot accept a connection; retrying shortly");
                    tokio::time::sleep(ACCEPT_BACKOFF).await;
                    continue;
                }
            },
        };
        if let Err(err) = stream.set_nodelay(true) {
            tracing::debug!(error = %err, "cannot set TCP_NODELAY");
        }
        let service =
            app.clone()
                .map_request(move |mut request: Request<hyper::body::Incoming>| {
                    request.extensions_mut().insert(ConnectInfo(peer));
                    request
                });
        let connection =
            http.serve_connection(TokioIo::new(stream), TowerToHyperService::new(service));
        let connection = graceful.watch(connection);
        connections.spawn(async move {
            if let Err(err) = connection.await {
                tracing::debug!(%peer, error = %err, "connection ended with an error");
            }
        });
    }
    // New connections are refused from here on.
    drop(listener);
    let open = connections.len();
    tracing::info!(open, "shutting down: finishing requests in flight");
    if tokio::time::timeout(timeouts.shutdown_grace, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!(
            open = connections.len(),
            grace = ?timeouts.shutdown_grace,
            "requests still in flight after the shutdown grace period; closing their connections"
        );
    }
    // Aborts what is left (connections past the grace period) and waits for it.
    connections.shutdown().await;
    Ok(())
}

/// Errors that concern one connection only (it was reset before it could be accepted).
fn is_connection_error(err: &io::Error) -> bool {
    matches!(
        err.kind(),
        io::ErrorKind::ConnectionRefused
            | io::ErrorKind::ConnectionAborted
            | io::ErrorKind::ConnectionReset
    )
}

/// Router middleware: the request's body must arrive within `limit` of this request reaching
/// the router, or the answer is `408 request_timeout` (and the connection is closed), whatever
/// the handler made of the cut-off body. A slow-loris client trickling its body cannot hold a
/// handler longer.
pub async fn body_deadline(
    State(limit): State<Duration>,
    request: Request,
    next: Next,
) -> Response {
    if http_body::Body::is_end_stream(request.body()) {
        return next.run(request).await;
    }
    let expired = Arc::new(AtomicBool::new(false));
    let request = request.map(|body| {
        Body::new(DeadlineBody {
            inner: body,
            deadline: Box::pin(tokio::time::sleep(limit)),
            expired: Arc::clone(&expired),
        })
    });
    let response = next.run(request).await;
    if !expired.load(Ordering::Acquire) {
        return response;
    }
    let mut response = AppError::RequestTimeout(limit).into_response();
    // The rest of the body may still be on its way: do not read it as the next request.
    response
        .headers_mut()
        .insert(header::CONNECTION, HeaderValue::from_static("close"));
    response
}

/// A request body that fails once its deadline has passed, and says so through `expired`.
struct DeadlineBody {
    inner: Body,
    deadline: Pin<Box<tokio::time::Sleep>>,
    expired: Arc<AtomicBool>,
}

impl http_body::Body for DeadlineBody {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, axum::Error>>> {
        let this = self.get_mut();
        // What has arrived is delivered even when the handler reads it late.
        if let Poll::Ready(frame) = Pin::new(&mut this.inner).poll_frame(cx) {
            return Poll::Ready(frame);
        }
        match this.deadline.as_mut().poll(cx) {
            Poll::Ready(()) => {
                this.expired.store(true, Ordering::Release);
                Poll::Ready(Some(Err(axum::Error::new(
                    "the request body did not arrive in time",
                ))))
            }
            Poll::Pending => Poll::Pending,
        }
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

//! Which web origins may write and read cross-origin: the configured list plus the server's own.
//! `crate::limit::guard_writes` refuses writes from others; the CORS layer answers reads.

use axum::http::{header, HeaderMap, HeaderValue};

/// The configured origins (`https://news.example`), compared without a trailing slash and
/// ignoring ASCII case.
#[derive(Clone, Debug, Default)]
pub struct AllowedOrigins {
    origins: Vec<String>,
}

impl AllowedOrigins {
    pub fn new(origins: &[String]) -> Self {
        Self {
            origins: origins
                .iter()
                .map(|o| o.trim().trim_end_matches('/').to_ascii_lowercase())
                .filter(|o| !o.is_empty())
                .collect(),
        }
    }

    /// Whether `origin` may use the API: a configured origin, or the server's own origin
    /// (`http://` or `https://` plus the request's `Host`, so it also works behind a TLS proxy).
    pub fn allows(&self, origin: &HeaderValue, headers: &HeaderMap) -> bool {
        let Ok(origin) = origin.to_str() else {
            return false;
        };
        let origin = origin.to_ascii_lowercase();
        if self.origins.contains(&origin) {
            return true;
        }
        let Some(host) = headers.get(header::HOST).and_then(|h| h.to_str().ok()) else {
            return false;
        };
        let host = host.to_ascii_lowercase();
        ["http://", "https://"]
            .iter()
            .any(|scheme| origin.strip_prefix(scheme) == Some(host.as_str()))
    }
}

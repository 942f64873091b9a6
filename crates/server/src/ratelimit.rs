//! Votes per client IP per minute, in memory. IPs are never stored: the map is keyed by
//! `sha256(salt || ip)`, and the random salt is replaced (and the map emptied) every 24 hours.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use axum::extract::connect_info::ConnectInfo;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use rand::RngCore;
use sha2::{Digest, Sha256};

use crate::AppState;

const WINDOW: Duration = Duration::from_secs(60);
const SALT_LIFETIME: Duration = Duration::from_secs(24 * 60 * 60);

/// A fixed-window limiter: at most `per_minute` hits per client per window; 0 disables it.
#[derive(Debug)]
pub struct RateLimiter {
    per_minute: u32,
    inner: Mutex<Inner>,
}

#[derive(Debug)]
struct Inner {
    salt: [u8; 32],
    salt_born: Instant,
    last_prune: Instant,
    windows: HashMap<[u8; 32], Window>,
}

#[derive(Debug, Clone, Copy)]
struct Window {
    start: Instant,
    hits: u32,
}

fn fresh_salt() -> [u8; 32] {
    let mut salt = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut salt);
    salt
}

impl RateLimiter {
    pub fn new(per_minute: u32) -> Self {
        let now = Instant::now();
        Self {
            per_minute,
            inner: Mutex::new(Inner {
                salt: fresh_salt(),
                salt_born: now,
                last_prune: now,
                windows: HashMap::new(),
            }),
        }
    }

    /// Counts one hit for `ip` now; `Err(wait)` when over the limit.
    pub fn check(&self, ip: IpAddr) -> Result<(), Duration> {
        self.check_at(ip, Instant::now())
    }

    /// [`Self::check`] at a given instant (for tests).
    pub fn check_at(&self, ip: IpAddr, now: Instant) -> Result<(), Duration> {
        if self.per_minute == 0 {
            return Ok(());
        }
        // A panic elsewhere while holding the lock leaves only counters behind: keep going.
        let mut inner = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        if now.saturating_duration_since(inner.salt_born) >= SALT_LIFETIME {
            inner.salt = fresh_salt();
            inner.salt_born = now;
            inner.windows.clear();
        }
        if now.saturating_duration_since(inner.last_prune) >= WINDOW {
            inner
                .windows
                .retain(|_, w| now.saturating_duration_since(w.start) < WINDOW);
            inner.last_prune = now;
        }
        let key = hash_ip(&inner.salt, ip);
        let window = inner.windows.entry(key).or_insert(Window {
            start: now,
            hits: 0,
        });
        if now.saturating_duration_since(window.start) >= WINDOW {
            *window = Window {
                start: now,
                hits: 0,
            };
        }
        if window.hits >= self.per_minute {
            return Err(WINDOW.saturating_sub(now.saturating_duration_since(window.start)));
        }
        window.hits += 1;
        Ok(())
    }

    /// How many clients are being tracked (for tests).
    pub fn tracked(&self) -> usize {
        self.inner
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .windows
            .len()
    }
}

fn hash_ip(salt: &[u8; 32], ip: IpAddr) -> [u8; 32] {
    let mut hasher = Sha256::new();
    hasher.update(salt);
    match ip {
        IpAddr::V4(v4) => hasher.update(v4.octets()),
        IpAddr::V6(v6) => hasher.update(v6.octets()),
    }
    hasher.finalize().into()
}

/// The client's IP: the first `X-Forwarded-For` address when the server is configured to trust
/// it (behind a proxy), else the TCP peer. `None` when neither is known.
#[derive(Debug, Clone, Copy)]
pub struct ClientIp(pub Option<IpAddr>);

impl FromRequestParts<AppState> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        if state.trust_forwarded_for {
            let forwarded = parts
                .headers
                .get("x-forwarded-for")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.split(',').next())
                .and_then(|first| first.trim().parse::<IpAddr>().ok());
            if forwarded.is_some() {
                return Ok(ClientIp(forwarded));
            }
        }
        // Also finds `MockConnectInfo`, which in-process tests install.
        let peer = ConnectInfo::<std::net::SocketAddr>::from_request_parts(parts, state)
            .await
            .ok()
            .map(|ConnectInfo(addr)| addr.ip());
        Ok(ClientIp(peer))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: IpAddr = IpAddr::V4(std::net::Ipv4Addr::new(192, 0, 2, 1));
    const B: IpAddr = IpAddr::V4(std::net::Ipv4Addr::new(192, 0, 2, 2));

    #[test]
    fn limit_applies_per_client_and_resets_after_a_minute() {
        let limiter = RateLimiter::new(2);
        let t0 = Instant::now();
        assert!(limiter.check_at(A, t0).is_ok());
        assert!(limiter.check_at(A, t0).is_ok());
        let wait = limiter.check_at(A, t0 + Duration::from_secs(10));
        assert_eq!(wait, Err(Duration::from_secs(50)));
        assert!(limiter.check_at(B, t0).is_ok());
        assert!(limiter.check_at(A, t0 + WINDOW).is_ok());
    }

    #[test]
    fn zero_disables_the_limit() {
        let limiter = RateLimiter::new(0);
        assert!((0..1000).all(|_| limiter.check(A).is_ok()));
        assert_eq!(limiter.tracked(), 0);
    }

    #[test]
    fn salt_rotation_forgets_every_client() {
        let limiter = RateLimiter::new(1);
        let t0 = Instant::now();
        assert!(limiter.check_at(A, t0).is_ok());
        assert!(limiter.check_at(A, t0).is_err());
        assert_eq!(limiter.tracked(), 1);
        let later = t0 + SALT_LIFETIME;
        assert!(limiter.check_at(B, later).is_ok());
        assert_eq!(limiter.tracked(), 1, "old entries dropped on rotation");
        assert!(limiter.check_at(A, later).is_ok());
    }
}

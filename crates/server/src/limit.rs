//! Who is writing, and how often: the client address behind proxies, and a GCRA rate limit per
//! client (an IPv4 address or an IPv6 /64), applied by the router to every write route.
//!
//! Addresses are never stored: the limiter is keyed by a salted hash of the address, in memory
//! only, and the salt is replaced (forgetting every client) once a day.

use std::net::{IpAddr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use axum::extract::connect_info::{ConnectInfo, MockConnectInfo};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use governor::clock::{Clock, DefaultClock, QuantaClock};
use governor::middleware::NoOpMiddleware;
use governor::state::keyed::DefaultKeyedStateStore;
use governor::{Quota, RateLimiter};
use hmac::{Hmac, Mac};
use ipnet::IpNet;
use rand::RngCore;
use sha2::Sha256;

use crate::error::AppError;
use crate::origin::AllowedOrigins;

/// How long one salt lives; replacing it forgets every client.
const SALT_LIFETIME: Duration = Duration::from_secs(24 * 60 * 60);
/// How often idle clients are dropped from memory.
const PRUNE_EVERY: Duration = Duration::from_secs(60);
/// Past this many tracked clients that pruning cannot drop, the limiter starts afresh, so an
/// attacker cycling through addresses cannot grow the server's memory without bound (about
/// 100 bytes a client).
pub const MAX_TRACKED: usize = 100_000;

/// The proxies whose `X-Forwarded-For` entries are believed (`--trusted-proxy`).
#[derive(Clone, Debug, Default)]
pub struct TrustedProxies(Vec<IpNet>);

impl TrustedProxies {
    /// Parses `10.0.0.0/8`, `192.0.2.7` or `2001:db8::/32`; `Err` names the entry.
    pub fn parse(entries: &[String]) -> Result<TrustedProxies, String> {
        entries
            .iter()
            .map(|raw| raw.trim())
            .filter(|raw| !raw.is_empty())
            .map(|raw| {
                raw.parse::<IpNet>()
                    .or_else(|_| raw.parse::<IpAddr>().map(IpNet::from))
                    .map_err(|_| raw.to_owned())
            })
            .collect::<Result<_, _>>()
            .map(TrustedProxies)
    }

    fn trusts(&self, ip: IpAddr) -> bool {
        self.0.iter().any(|net| net.contains(&ip))
    }

    /// The client's address: the TCP peer, unless the peer is a trusted proxy; then the
    /// rightmost `X-Forwarded-For` entry that is not a trusted proxy (entries further left were
    /// written by whoever sent the request and prove nothing). `None` when the peer is unknown,
    /// or an entry the walk reaches is not an address.
    pub fn client_ip(&self, peer: Option<IpAddr>, headers: &HeaderMap) -> Option<IpAddr> {
        let peer = canonical(peer?);
        if !self.trusts(peer) {
            return Some(peer);
        }
        // Split as bytes: entries left of the client's own address are whatever the client
        // wrote, non-ASCII bytes included, and must not matter; only the entries reached are read.
        let mut entries: Vec<&[u8]> = Vec::new();
        for value in headers.get_all("x-forwarded-for") {
            entries.extend(
                value
                    .as_bytes()
                    .split(|byte| *byte == b',')
                    .map(<[u8]>::trim_ascii)
                    .filter(|e| !e.is_empty()),
            );
        }
        let mut client = peer;
        for entry in entries.iter().rev() {
            client = canonical(parse_forwarded(std::str::from_utf8(entry).ok()?)?);
            if !self.trusts(client) {
                return Some(client);
            }
        }
        // Every hop is trusted (or the proxy itself asked): the leftmost one is the client.
        Some(client)
    }
}

/// `198.51.100.7`, `2001:db8::1`, and the `[2001:db8::1]:443` / `198.51.100.7:443` forms some
/// proxies write.
fn parse_forwarded(entry: &str) -> Option<IpAddr> {
    if let Ok(ip) = entry.parse() {
        return Some(ip);
    }
    entry.parse::<SocketAddr>().ok().map(|addr| addr.ip())
}

/// IPv4-mapped IPv6 addresses (`::ffff:192.0.2.1`) are the IPv4 client they map.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(IpAddr::V6(v6), IpAddr::V4),
        v4 => v4,
    }
}

/// What one client is counted as: the IPv4 address, or the /64 network of an IPv6 address
/// (one subscriber usually holds a whole /64).
pub fn client_key(ip: IpAddr) -> [u8; 16] {
    match canonical(ip) {
        IpAddr::V4(v4) => v4.to_ipv6_mapped().octets(),
        IpAddr::V6(v6) => {
            let mut octets = v6.octets();
            octets[8..].fill(0);
            octets
        }
    }
}

type Keyed<C> = RateLimiter<
    [u8; 16],
    DefaultKeyedStateStore<[u8; 16]>,
    C,
    NoOpMiddleware<<C as Clock>::Instant>,
>;

/// Writes per client: GCRA (no double bursts at window edges), `per_minute` sustained with a
/// burst of the same size; 0 turns it off.
pub struct WriteLimiter<C: Clock = DefaultClock> {
    quota: Option<Quota>,
    clock: C,
    inner: Mutex<Inner<C>>,
}

struct Inner<C: Clock> {
    salt: [u8; 32],
    salt_born: Instant,
    last_prune: Instant,
    limiter: Arc<Keyed<C>>,
}

impl std::fmt::Debug for WriteLimiter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WriteLimiter")
            .field("quota", &self.quota)
            .finish_non_exhaustive()
    }
}

fn fresh_salt() -> [u8; 32] {
    let mut salt = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut salt);
    salt
}

impl WriteLimiter<QuantaClock> {
    /// `per_minute` writes per client per minute; 0 turns the limit off.
    pub fn new(per_minute: u32) -> Self {
        Self::with_clock(per_minute, QuantaClock::default())
    }
}

impl<C: Clock + Clone> WriteLimiter<C> {
    /// [`WriteLimiter::new`] on another clock (tests use a fake one).
    pub fn with_clock(per_minute: u32, clock: C) -> Self {
        let quota = NonZeroU32::new(per_minute).map(Quota::per_minute);
        let now = Instant::now();
        let limiter = Arc::new(Self::fresh(quota, &clock));
        Self {
            quota,
            clock,
            inner: Mutex::new(Inner {
                salt: fresh_salt(),
                salt_born: now,
                last_prune: now,
                limiter,
            }),
        }
    }

    fn fresh(quota: Option<Quota>, clock: &C) -> Keyed<C> {
        let quota = quota.unwrap_or_else(|| Quota::per_minute(NonZeroU32::MIN));
        RateLimiter::dashmap_with_clock(quota, clock.clone())
    }

    /// Counts one write for `ip`; `Err(wait)` when it is over the limit.
    pub fn check(&self, ip: IpAddr) -> Result<(), Duration> {
        self.check_at(ip, Instant::now())
    }

    /// [`Self::check`], with `now` deciding salt rotation and pruning (tests move it).
    pub fn check_at(&self, ip: IpAddr, now: Instant) -> Result<(), Duration> {
        if self.quota.is_none() {
            return Ok(());
        }
        let (limiter, key) = {
            // A panic elsewhere while holding the lock leaves only counters behind: keep going.
            let mut inner = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
            if now.saturating_duration_since(inner.salt_born) >= SALT_LIFETIME {
                inner.salt = fresh_salt();
                inner.salt_born = now;
                inner.limiter = Arc::new(Self::fresh(self.quota, &self.clock));
            }
            let since_prune = now.saturating_duration_since(inner.last_prune);
            // Full: prune at most once a second, so a flood of new addresses costs no more.
            if since_prune >= PRUNE_EVERY
                || (inner.limiter.len() >= MAX_TRACKED && since_prune >= Duration::from_secs(1))
            {
                inner.limiter.retain_recent();
                inner.limiter.shrink_to_fit();
                inner.last_prune = now;
                if inner.limiter.len() >= MAX_TRACKED {
                    tracing::warn!(
                        tracked = inner.limiter.len(),
                        "write limiter full of active clients; starting afresh"
                    );
                    inner.limiter = Arc::new(Self::fresh(self.quota, &self.clock));
                }
            }
            let key = hashed(&inner.salt, &client_key(ip));
            (Arc::clone(&inner.limiter), key)
        };
        limiter
            .check_key(&key)
            .map_err(|not_until| not_until.wait_time_from(self.clock.now()))
    }

    /// How many clients are in memory now.
    pub fn tracked(&self) -> usize {
        self.inner
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .limiter
            .len()
    }
}

fn hashed(salt: &[u8; 32], key: &[u8; 16]) -> [u8; 16] {
    // HMAC accepts keys of any length: `new_from_slice` cannot fail.
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(salt) else {
        return *key;
    };
    mac.update(key);
    let mut out = [0u8; 16];
    out.copy_from_slice(&mac.finalize().into_bytes()[..16]);
    out
}

/// What the write guard needs: which origins may write, which proxies to believe, the limiter.
#[derive(Clone)]
pub struct WriteGuard {
    pub origins: Arc<AllowedOrigins>,
    pub proxies: Arc<TrustedProxies>,
    pub limiter: Arc<WriteLimiter>,
}

/// Whether a method changes anything (GET, HEAD and OPTIONS never do here).
fn is_write(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// Router middleware for every API route: a write is refused unless its `Origin` (when sent) is
/// allowed (403), its client address is known (403), and the client is under the write limit
/// (429 with `Retry-After`). Reads pass untouched. Because the router applies it, no handler can
/// forget it.
pub async fn guard_writes(
    State(guard): State<WriteGuard>,
    request: Request,
    next: Next,
) -> Response {
    if !is_write(request.method()) {
        return next.run(request).await;
    }
    if let Some(origin) = request.headers().get(axum::http::header::ORIGIN) {
        if !guard.origins.allows(origin, request.headers()) {
            return AppError::OriginNotAllowed.into_response();
        }
    }
    // In-process tests install `MockConnectInfo` instead of serving over TCP.
    let extensions = request.extensions();
    let peer = extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| addr.ip())
        .or_else(|| {
            extensions
                .get::<MockConnectInfo<SocketAddr>>()
                .map(|MockConnectInfo(addr)| addr.ip())
        });
    let Some(ip) = guard.proxies.client_ip(peer, request.headers()) else {
        return AppError::NoClientAddress.into_response();
    };
    if let Err(wait) = guard.limiter.check(ip) {
        return AppError::RateLimited {
            retry_after_secs: wait.as_secs().max(1),
        }
        .into_response();
    }
    next.run(request).await
}

/// Failures per client (the moderators' logins): only a failure counts, and a client with too
/// many recent failures is refused before it tries again. GCRA like [`WriteLimiter`]: `per_minute`
/// failures in a burst, then one every 60/`per_minute` s. Keyed like the write limit (a salted
/// hash of the IPv4 address or IPv6 /64), in memory only.
pub struct FailureLimiter {
    /// Time between two failures at the sustained rate.
    interval: Duration,
    /// How far ahead of now a client's next allowed time may run before it is refused.
    tolerance: Duration,
    inner: Mutex<Failures>,
}

struct Failures {
    salt: [u8; 32],
    /// The theoretical arrival time (GCRA) of each client's next failure.
    next: std::collections::HashMap<[u8; 16], Instant>,
    last_prune: Instant,
}

impl std::fmt::Debug for FailureLimiter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FailureLimiter")
            .field("interval", &self.interval)
            .finish_non_exhaustive()
    }
}

impl FailureLimiter {
    /// `per_minute` failures per client per minute (at least 1).
    pub fn new(per_minute: u32) -> Self {
        let per_minute = per_minute.max(1);
        let interval = Duration::from_secs(60) / per_minute;
        FailureLimiter {
            interval,
            tolerance: interval * (per_minute - 1),
            inner: Mutex::new(Failures {
                salt: fresh_salt(),
                next: std::collections::HashMap::new(),
                last_prune: Instant::now(),
            }),
        }
    }

    /// `Err(wait)` when `ip` has failed too often lately; counts nothing.
    pub fn check(&self, ip: IpAddr) -> Result<(), Duration> {
        self.check_at(ip, Instant::now())
    }

    /// [`Self::check`] at `now` (tests move it).
    pub fn check_at(&self, ip: IpAddr, now: Instant) -> Result<(), Duration> {
        let inner = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        let key = hashed(&inner.salt, &client_key(ip));
        match inner.next.get(&key) {
            Some(&next) if next > now + self.tolerance => {
                Err(next.saturating_duration_since(now + self.tolerance))
            }
            _ => Ok(()),
        }
    }

    /// Counts a failure of `ip`.
    pub fn failed(&self, ip: IpAddr) {
        self.failed_at(ip, Instant::now());
    }

    /// [`Self::failed`] at `now`.
    pub fn failed_at(&self, ip: IpAddr, now: Instant) {
        let mut inner = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        if now.saturating_duration_since(inner.last_prune) >= PRUNE_EVERY
            || inner.next.len() >= MAX_TRACKED
        {
            inner.next.retain(|_, next| *next > now);
            if inner.next.len() >= MAX_TRACKED {
                inner.next.clear();
            }
            inner.last_prune = now;
        }
        let key = hashed(&inner.salt, &client_key(ip));
        let next = inner.next.get(&key).copied().unwrap_or(now).max(now) + self.interval;
        inner.next.insert(key, next);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;
    use governor::clock::FakeRelativeClock;

    fn ip(s: &str) -> IpAddr {
        s.parse().expect("an address")
    }

    fn forwarded(values: &[&str]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for value in values {
            headers.append(
                "x-forwarded-for",
                HeaderValue::from_str(value).expect("header"),
            );
        }
        headers
    }

    fn proxies(list: &[&str]) -> TrustedProxies {
        let list: Vec<String> = list.iter().map(|s| (*s).to_owned()).collect();
        TrustedProxies::parse(&list).expect("valid proxies")
    }

    #[test]
    fn the_client_is_the_rightmost_untrusted_forwarded_address_never_the_spoofable_leftmost() {
        let trusted = proxies(&["10.0.0.0/8"]);
        // The client sent "1.1.1.1" itself; the proxy appended the address it saw.
        let headers = forwarded(&["1.1.1.1, 203.0.113.9"]);
        assert_eq!(
            trusted.client_ip(Some(ip("10.0.0.2")), &headers),
            Some(ip("203.0.113.9"))
        );
        // Two proxies of ours, split over two headers.
        let headers = forwarded(&["1.1.1.1, 203.0.113.9", "10.0.0.5"]);
        assert_eq!(
            trusted.client_ip(Some(ip("10.0.0.2")), &headers),
            Some(ip("203.0.113.9"))
        );
    }

    #[test]
    fn forwarded_for_is_ignored_unless_the_peer_is_a_trusted_proxy() {
        let headers = forwarded(&["198.51.100.1"]);
        assert_eq!(
            TrustedProxies::default().client_ip(Some(ip("192.0.2.5")), &headers),
            Some(ip("192.0.2.5"))
        );
        assert_eq!(
            proxies(&["10.0.0.0/8"]).client_ip(Some(ip("192.0.2.5")), &headers),
            Some(ip("192.0.2.5"))
        );
    }

    #[test]
    fn no_peer_or_a_garbled_hop_means_no_client_address() {
        let trusted = proxies(&["127.0.0.1"]);
        assert_eq!(trusted.client_ip(None, &HeaderMap::new()), None);
        let headers = forwarded(&["198.51.100.1, not-an-ip"]);
        assert_eq!(trusted.client_ip(Some(ip("127.0.0.1")), &headers), None);
        // A garbled entry left of the first untrusted one is never reached, even when it is
        // not ASCII.
        let headers = forwarded(&["garbage, 198.51.100.1"]);
        assert_eq!(
            trusted.client_ip(Some(ip("127.0.0.1")), &headers),
            Some(ip("198.51.100.1"))
        );
        let mut headers = HeaderMap::new();
        headers.append(
            "x-forwarded-for",
            HeaderValue::from_bytes(b"\xff\xfe, 198.51.100.1").expect("obs-text is allowed"),
        );
        assert_eq!(
            trusted.client_ip(Some(ip("127.0.0.1")), &headers),
            Some(ip("198.51.100.1"))
        );
        let headers = {
            let mut headers = HeaderMap::new();
            headers.append(
                "x-forwarded-for",
                HeaderValue::from_bytes(b"198.51.100.1, \xc3\xbc").expect("obs-text"),
            );
            headers
        };
        assert_eq!(trusted.client_ip(Some(ip("127.0.0.1")), &headers), None);
    }

    #[test]
    fn forwarded_entries_with_ports_and_mapped_ipv6_are_read() {
        let trusted = proxies(&["127.0.0.1"]);
        let headers = forwarded(&["[2001:db8::7]:443"]);
        assert_eq!(
            trusted.client_ip(Some(ip("127.0.0.1")), &headers),
            Some(ip("2001:db8::7"))
        );
        let headers = forwarded(&["::ffff:198.51.100.4"]);
        assert_eq!(
            trusted.client_ip(Some(ip("::ffff:127.0.0.1")), &headers),
            Some(ip("198.51.100.4"))
        );
    }

    #[test]
    fn only_the_proxy_itself_is_its_own_client() {
        let trusted = proxies(&["127.0.0.1"]);
        assert_eq!(
            trusted.client_ip(Some(ip("127.0.0.1")), &HeaderMap::new()),
            Some(ip("127.0.0.1"))
        );
    }

    #[test]
    fn bad_proxy_entries_are_named() {
        let list = vec!["10.0.0.0/8".to_owned(), "10.0.0.0/99".to_owned()];
        assert_eq!(
            TrustedProxies::parse(&list).err(),
            Some("10.0.0.0/99".into())
        );
    }

    #[test]
    fn ipv6_clients_are_counted_per_64() {
        assert_eq!(
            client_key(ip("2001:db8:1:2:aaaa::1")),
            client_key(ip("2001:db8:1:2:bbbb::9"))
        );
        assert_ne!(
            client_key(ip("2001:db8:1:2::1")),
            client_key(ip("2001:db8:1:3::1"))
        );
        assert_eq!(
            client_key(ip("198.51.100.4")),
            client_key(ip("::ffff:198.51.100.4"))
        );
    }

    #[test]
    fn gcra_allows_the_burst_then_one_write_per_interval_without_a_double_burst() {
        let clock = FakeRelativeClock::default();
        let limiter = WriteLimiter::with_clock(60, clock.clone());
        let a = ip("192.0.2.1");
        let now = Instant::now();
        for _ in 0..60 {
            assert!(limiter.check_at(a, now).is_ok());
        }
        let wait = limiter.check_at(a, now).expect_err("over the burst");
        assert!(wait <= Duration::from_secs(1), "{wait:?}");
        // A fixed window would allow another 60 at the minute's edge; GCRA allows one a second.
        clock.advance(Duration::from_secs(1));
        assert!(limiter.check_at(a, now).is_ok());
        assert!(limiter.check_at(a, now).is_err());
        assert!(
            limiter.check_at(ip("192.0.2.2"), now).is_ok(),
            "others unaffected"
        );
    }

    #[test]
    fn one_ipv6_subscriber_cannot_escape_the_limit_by_changing_addresses() {
        let limiter = WriteLimiter::with_clock(2, FakeRelativeClock::default());
        let now = Instant::now();
        assert!(limiter.check_at(ip("2001:db8::1"), now).is_ok());
        assert!(limiter.check_at(ip("2001:db8::2"), now).is_ok());
        assert!(limiter.check_at(ip("2001:db8::ffff:3"), now).is_err());
        assert!(limiter.check_at(ip("2001:db8:0:1::1"), now).is_ok());
    }

    #[test]
    fn zero_turns_the_limit_off_and_tracks_nobody() {
        let limiter = WriteLimiter::new(0);
        assert!((0..1000).all(|_| limiter.check(ip("192.0.2.1")).is_ok()));
        assert_eq!(limiter.tracked(), 0);
    }

    #[test]
    fn memory_stays_bounded_when_clients_come_and_go() {
        let clock = FakeRelativeClock::default();
        let limiter = WriteLimiter::with_clock(10, clock.clone());
        let t0 = Instant::now();
        let t1 = t0 + Duration::from_secs(1);
        for i in 0..(MAX_TRACKED as u32 + 5_000) {
            let _ = limiter.check_at(IpAddr::from(i.to_be_bytes()), t1);
        }
        assert!(limiter.tracked() <= MAX_TRACKED, "{}", limiter.tracked());
        // Once their buckets are full again, idle clients are forgotten.
        clock.advance(Duration::from_secs(120));
        let _ = limiter.check_at(ip("192.0.2.1"), t1 + PRUNE_EVERY);
        assert!(limiter.tracked() <= 2, "{}", limiter.tracked());
    }

    #[test]
    fn salt_rotation_forgets_every_client() {
        let limiter = WriteLimiter::with_clock(1, FakeRelativeClock::default());
        let t0 = Instant::now();
        assert!(limiter.check_at(ip("192.0.2.1"), t0).is_ok());
        assert!(limiter.check_at(ip("192.0.2.1"), t0).is_err());
        assert!(limiter
            .check_at(ip("192.0.2.1"), t0 + SALT_LIFETIME)
            .is_ok());
    }

    #[test]
    fn only_failures_count_and_five_a_minute_lock_a_client_out() {
        let limiter = FailureLimiter::new(5);
        let start = Instant::now();
        let client = ip("198.51.100.9");
        // Checks alone never count.
        for _ in 0..50 {
            assert!(limiter.check_at(client, start).is_ok());
        }
        for _ in 0..5 {
            assert!(limiter.check_at(client, start).is_ok());
            limiter.failed_at(client, start);
        }
        let wait = limiter.check_at(client, start).expect_err("locked out");
        assert_eq!(wait, Duration::from_secs(12));
        assert!(
            limiter.check_at(ip("198.51.100.10"), start).is_ok(),
            "others are not"
        );
        assert!(limiter
            .check_at(client, start + Duration::from_secs(12))
            .is_ok());
    }
}

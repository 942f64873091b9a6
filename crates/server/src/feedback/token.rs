//! Server-signed values: the form token a page of the list carries (when the form was shown),
//! the CSRF token of a moderator's session, and the random secrets of the moderation desk.
//!
//! Signatures are `HMAC-SHA256(server secret, purpose ":" value)` through
//! [`ReaderHasher`], whose secret is the server's (see [`crate::reader`]): reader ids are hex
//! digits only, so a purpose prefix never collides with a reader's hash.

use std::time::{SystemTime, UNIX_EPOCH};

use bangtin_api::feedback::MIN_SUBMIT_MS;
use rand::RngCore;
use sha2::{Digest, Sha256};

use crate::reader::ReaderHasher;

/// How old a form token may be: an outbox may send a message days after the form was shown.
pub const FORM_MAX_AGE_MS: u64 = 30 * 24 * 60 * 60 * 1000;
/// A form token issued this far in the future (clock skew between servers) is still accepted.
const FORM_SKEW_MS: u64 = 60 * 1000;

/// Milliseconds since the Unix epoch.
pub fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

/// [`now_ms`] as a database integer.
pub fn now_db() -> i64 {
    i64::try_from(now_ms()).unwrap_or(i64::MAX)
}

/// What a form token says about a send.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FormCheck {
    /// Shown long enough before the send.
    Fine,
    /// Sent sooner than [`MIN_SUBMIT_MS`] after the form was shown: a bot, probably.
    TooFast,
}

/// Why a form token is refused (`invalid_form`: the widget fetches a fresh one).
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum BadForm {
    #[error("the form token is not one this server issued")]
    Forged,
    #[error("the form token is older than 30 days; reload the list for a fresh one")]
    Expired,
}

fn sign(readers: &ReaderHasher, purpose: &str, value: &str) -> String {
    let mut mac = readers.hash(&[purpose, ":", value].concat());
    // 128 bits are plenty for a token that is checked online.
    mac.truncate(32);
    mac
}

/// A form token issued at `issued_ms`: `<issued_ms>-<signature>`.
pub fn form_token(readers: &ReaderHasher, issued_ms: u64) -> String {
    let issued = issued_ms.to_string();
    let signature = sign(readers, "form", &issued);
    [issued, signature].join("-")
}

/// Checks a form token at `now_ms`.
pub fn check_form(readers: &ReaderHasher, token: &str, now_ms: u64) -> Result<FormCheck, BadForm> {
    let (issued, signature) = token.split_once('-').ok_or(BadForm::Forged)?;
    if issued.is_empty() || issued.len() > 20 || !issued.bytes().all(|b| b.is_ascii_digit()) {
        return Err(BadForm::Forged);
    }
    if !same(&sign(readers, "form", issued), signature) {
        return Err(BadForm::Forged);
    }
    let issued: u64 = issued.parse().map_err(|_| BadForm::Forged)?;
    if issued > now_ms.saturating_add(FORM_SKEW_MS) {
        return Err(BadForm::Forged);
    }
    if now_ms.saturating_sub(issued) > FORM_MAX_AGE_MS {
        return Err(BadForm::Expired);
    }
    if now_ms.saturating_sub(issued) < MIN_SUBMIT_MS {
        Ok(FormCheck::TooFast)
    } else {
        Ok(FormCheck::Fine)
    }
}

/// The CSRF token of a session: bound to it, and never stored.
pub fn csrf_token(readers: &ReaderHasher, session_id: &str) -> String {
    sign(readers, "csrf", session_id)
}

/// Compares two secrets in time independent of where they differ.
pub fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// 256 random bits from the operating system, as 64 hex digits: login tokens, session ids.
pub fn random_secret() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// 128 random bits as 32 hex digits: ids of replies.
pub fn random_id() -> String {
    let mut bytes = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// What the database keeps of a random secret: `hex(SHA-256(secret))`. Enough for 256 random
/// bits (no dictionary to try), and a leaked table logs nobody in.
pub fn secret_hash(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn readers() -> ReaderHasher {
        ReaderHasher::new(&[b'k'; 32]).expect("long enough")
    }

    #[test]
    fn a_form_token_is_fine_after_the_minimum_time_and_for_30_days() {
        let r = readers();
        let token = form_token(&r, 1_000_000);
        assert_eq!(check_form(&r, &token, 1_000_000), Ok(FormCheck::TooFast));
        assert_eq!(
            check_form(&r, &token, 1_000_000 + MIN_SUBMIT_MS - 1),
            Ok(FormCheck::TooFast)
        );
        assert_eq!(
            check_form(&r, &token, 1_000_000 + MIN_SUBMIT_MS),
            Ok(FormCheck::Fine)
        );
        assert_eq!(
            check_form(&r, &token, 1_000_000 + FORM_MAX_AGE_MS),
            Ok(FormCheck::Fine)
        );
        assert_eq!(
            check_form(&r, &token, 1_000_001 + FORM_MAX_AGE_MS),
            Err(BadForm::Expired)
        );
    }

    #[test]
    fn forged_and_future_form_tokens_are_refused() {
        let r = readers();
        let token = form_token(&r, 5_000_000);
        let other = ReaderHasher::new(&[b'j'; 32]).expect("ok");
        assert_eq!(check_form(&other, &token, 9_000_000), Err(BadForm::Forged));
        let moved = token.replacen('5', "4", 1);
        assert_eq!(check_form(&r, &moved, 9_000_000), Err(BadForm::Forged));
        for bad in ["", "-", "x-y", "12", "-abc", "1-2-3"] {
            assert_eq!(
                check_form(&r, bad, 9_000_000),
                Err(BadForm::Forged),
                "{bad}"
            );
        }
        assert_eq!(check_form(&r, &token, 1_000_000), Err(BadForm::Forged));
    }

    #[test]
    fn secrets_are_long_random_and_hashed() {
        let a = random_secret();
        assert_eq!(a.len(), 64);
        assert_ne!(a, random_secret());
        assert_eq!(secret_hash(&a).len(), 64);
        assert_ne!(secret_hash(&a), a);
        assert!(same(&a, &a.clone()));
        assert!(!same(&a, &random_secret()));
        assert!(!same("ab", "abc"));
    }
}

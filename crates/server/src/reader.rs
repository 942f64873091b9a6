//! Readers are known by a random id their browser keeps; the database keeps only
//! `hex(HMAC-SHA256(secret, id))`. The secret is configured (a file or the environment), checked
//! at start, and shared by every server process of a site.

use hmac::{Hmac, Mac};
use sha2::Sha256;

/// The shortest secret accepted, in bytes (`openssl rand -hex 32` writes 64).
pub const MIN_SECRET_BYTES: usize = 32;

/// Why a secret is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SecretError {
    #[error(
        "no reader-hash secret: create one with `openssl rand -hex 32 > /etc/bangtin/secret` \
         and pass --secret-file /etc/bangtin/secret (or set BANGTIN_SECRET); \
         every server of a site must use the same one"
    )]
    Missing,
    #[error(
        "the reader-hash secret is {0} bytes; it must be at least {MIN_SECRET_BYTES} \
         (`openssl rand -hex 32` makes a good one)"
    )]
    TooShort(usize),
    #[error("cannot read the secret file {path}: {reason}")]
    Unreadable { path: String, reason: String },
}

/// Turns reader ids into what the database keeps.
#[derive(Clone)]
pub struct ReaderHasher {
    key: Hmac<Sha256>,
}

impl std::fmt::Debug for ReaderHasher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ReaderHasher { .. }")
    }
}

impl ReaderHasher {
    /// A hasher over `secret` (surrounding whitespace ignored, so a file may end in a newline);
    /// refuses an empty or short secret.
    pub fn new(secret: &[u8]) -> Result<Self, SecretError> {
        let secret = secret.trim_ascii();
        if secret.is_empty() {
            return Err(SecretError::Missing);
        }
        if secret.len() < MIN_SECRET_BYTES {
            return Err(SecretError::TooShort(secret.len()));
        }
        let key = Hmac::<Sha256>::new_from_slice(secret).map_err(|_| SecretError::Missing)?;
        Ok(Self { key })
    }

    /// `hex(HMAC-SHA256(secret, reader_id))`.
    pub fn hash(&self, reader_id: &str) -> String {
        let mut mac = self.key.clone();
        mac.update(reader_id.as_bytes());
        hex::encode(mac.finalize().into_bytes())
    }
}

/// Reads the secret from `file` if given, else from `env` (the value of `BANGTIN_SECRET`).
pub fn load_secret(
    file: Option<&std::path::Path>,
    env: Option<String>,
) -> Result<Vec<u8>, SecretError> {
    if let Some(path) = file {
        return std::fs::read(path).map_err(|err| SecretError::Unreadable {
            path: path.display().to_string(),
            reason: err.to_string(),
        });
    }
    env.map(String::into_bytes).ok_or(SecretError::Missing)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ID: &str = "0123456789abcdef0123456789abcdef";

    #[test]
    fn the_hash_is_hmac_sha256_of_the_id() {
        // RFC 4231-style check through an independent computation of the same HMAC.
        let secret = [7u8; 32];
        let mut mac = Hmac::<Sha256>::new_from_slice(&secret).expect("any key length");
        mac.update(ID.as_bytes());
        let expected = hex::encode(mac.finalize().into_bytes());
        assert_eq!(
            ReaderHasher::new(&secret).expect("long enough").hash(ID),
            expected
        );
        assert_eq!(expected.len(), 64);
    }

    #[test]
    fn the_hash_depends_on_the_secret() {
        let a = ReaderHasher::new(&[1; 32]).expect("ok").hash(ID);
        let b = ReaderHasher::new(&[2; 32]).expect("ok").hash(ID);
        assert_ne!(a, b);
    }

    #[test]
    fn missing_empty_and_short_secrets_are_refused() {
        assert_eq!(ReaderHasher::new(b"").err(), Some(SecretError::Missing));
        assert_eq!(ReaderHasher::new(b" \n").err(), Some(SecretError::Missing));
        assert_eq!(
            ReaderHasher::new(b"correct horse battery\n").err(),
            Some(SecretError::TooShort(21))
        );
        assert!(ReaderHasher::new(&[b'x'; MIN_SECRET_BYTES]).is_ok());
        assert_eq!(load_secret(None, None), Err(SecretError::Missing));
    }

    #[test]
    fn a_trailing_newline_in_the_secret_file_does_not_change_the_hash() {
        let plain = ReaderHasher::new(&[b'k'; 40]).expect("ok").hash(ID);
        let mut with_newline = vec![b'k'; 40];
        with_newline.push(b'\n');
        assert_eq!(
            ReaderHasher::new(&with_newline).expect("ok").hash(ID),
            plain
        );
    }

    #[test]
    fn the_secret_comes_from_the_file_before_the_environment() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("secret");
        std::fs::write(&path, "f".repeat(64)).expect("write");
        let from_file = load_secret(Some(&path), Some("e".repeat(64))).expect("read");
        assert_eq!(from_file, "f".repeat(64).into_bytes());
        let missing = load_secret(Some(&dir.path().join("nope")), None);
        assert!(matches!(missing, Err(SecretError::Unreadable { .. })));
        assert_eq!(
            load_secret(None, Some("e".repeat(64))).expect("env"),
            "e".repeat(64).into_bytes()
        );
    }
}

//! Secrets of the newsroom: random tokens (sessions, CSRF, reset links) stored only as their
//! hashes, one-time passwords, and passwords hashed with argon2id off the async threads.

/// A random token of 256 bits, URL-safe.
pub fn token() -> String {
    use ring::rand::SecureRandom;
    let mut bytes = [0u8; 32];
    // The system's random source failing leaves nothing safe to do.
    #[allow(clippy::expect_used)]
    ring::rand::SystemRandom::new().fill(&mut bytes).expect("the system random source works");
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The SHA-256 of a token, as stored: the database never holds a usable token.
pub fn token_hash(token: &str) -> String {
    ring::digest::digest(&ring::digest::SHA256, token.as_bytes()).as_ref().iter().map(|b| format!("{b:02x}")).collect()
}

/// At most this many argon2 computations run at once: each takes 19 MiB and a core for tens of
/// milliseconds, so a burst of logins waits in line instead of taking the process's memory and
/// every core from readers (with two at once, 100 logins after a crawl of the archive took the
/// process to 421 MB; bench/README.md).
static HASHING: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(1);

/// Hashes a password with argon2id and a random salt (on a blocking thread: it is slow on purpose).
pub async fn hash_password(password: String) -> std::io::Result<String> {
    let _turn = HASHING.acquire().await.map_err(std::io::Error::other)?;
    tokio::task::spawn_blocking(move || {
        use argon2::password_hash::{PasswordHasher, SaltString};
        let salt = SaltString::encode_b64(&token().as_bytes()[..16]).map_err(|e| e.to_string())?;
        argon2::Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| e.to_string())
    })
    .await
    .map_err(std::io::Error::other)?
    .map_err(std::io::Error::other)
}

/// Checks a password against a stored hash (on a blocking thread).
pub async fn verify_password(password: String, hash: String) -> bool {
    let Ok(_turn) = HASHING.acquire().await else { return false };
    tokio::task::spawn_blocking(move || {
        use argon2::password_hash::{PasswordHash, PasswordVerifier};
        PasswordHash::new(&hash)
            .is_ok_and(|h| argon2::Argon2::default().verify_password(password.as_bytes(), &h).is_ok())
    })
    .await
    .unwrap_or(false)
}

/// A password for a new account or a reset: 20 characters from a 32-letter alphabet (100 bits).
pub fn one_time_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789-";
    token()
        .as_bytes()
        .chunks(2)
        .take(20)
        .map(|pair| ALPHABET[(pair[0] as usize + pair[1] as usize * 7) % 32] as char)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn passwords_hash_and_verify() {
        let hash = hash_password("correct horse battery".into()).await.expect("hash");
        assert!(hash.starts_with("$argon2id$"), "{hash}");
        assert!(verify_password("correct horse battery".into(), hash.clone()).await);
        assert!(!verify_password("wrong horse battery".into(), hash).await);
    }

    #[test]
    fn tokens_and_one_time_passwords_are_random_and_long() {
        assert_ne!(token(), token());
        assert_eq!(token().len(), 64);
        assert_eq!(token_hash("x").len(), 64);
        let p = one_time_password();
        assert_eq!(p.chars().count(), 20);
        assert!(courant_core::check_password(&p).is_ok());
    }
}

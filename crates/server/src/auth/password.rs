//! Argon2id password hashes (PHC strings, salt inside).

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use rand::RngCore;

/// Hashes a password with Argon2id and a random salt.
pub fn hash(password: &str) -> String {
    let mut bytes = [0u8; 16];
    rand::rng().fill_bytes(&mut bytes);
    let Ok(salt) = SaltString::encode_b64(&bytes) else {
        return String::new();
    };
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        // Only fails for absurd parameters, which the defaults are not.
        .unwrap_or_default()
}

/// Checks a password against a stored hash; a malformed hash never matches.
pub fn verify(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored)
        .map(|h| {
            Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false)
}

/// [`verify`] off the async runtime, at most one per core at a time.
///
/// Each Argon2id check holds its 19 MiB memory cost for its whole run; a
/// thousand agents signing in at once would otherwise run hundreds of them
/// side by side on the blocking pool (the server's RSS peaked at 1.5 GB in
/// `make bench`, and the allocator keeps much of that). Queued checks wait
/// for a permit instead: sign-ins are no slower overall, since the cores
/// were the limit anyway.
pub async fn verify_bounded(password: String, stored: String) -> bool {
    static PERMITS: std::sync::OnceLock<tokio::sync::Semaphore> = std::sync::OnceLock::new();
    let permits = PERMITS.get_or_init(|| {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        tokio::sync::Semaphore::new(cores)
    });
    let Ok(_permit) = permits.acquire().await else {
        return false;
    };
    tokio::task::spawn_blocking(move || verify(&password, &stored))
        .await
        .unwrap_or(false)
}

/// A hash of a random password, checked against when the e-mail is unknown so
/// that the time taken does not tell which e-mails exist.
pub fn decoy() -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| hash(&uuid::Uuid::new_v4().to_string()))
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_hash_verifies_only_its_password() {
        let h = super::hash("correct horse");
        assert!(h.starts_with("$argon2id$"));
        assert!(super::verify("correct horse", &h));
        assert!(!super::verify("wrong", &h));
        assert!(!super::verify("x", "not a hash"));
    }
}

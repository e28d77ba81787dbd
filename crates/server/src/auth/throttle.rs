//! Sign-in throttling: too many failed attempts for one account or from one
//! address within a window answers 429 until the window passes.
//!
//! Kept in memory per replica: an attacker spreading guesses over N replicas
//! gets N times the budget, still far too little to guess an Argon2id-hashed
//! password, and no shared state is needed.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub struct Throttle {
    window: Duration,
    per_account: u32,
    per_address: u32,
    failures: Mutex<HashMap<String, Vec<Instant>>>,
}

impl Throttle {
    pub fn new(window: Duration, per_account: u32, per_address: u32) -> Self {
        Throttle {
            window,
            per_account,
            per_address,
            failures: Mutex::new(HashMap::new()),
        }
    }

    fn keys(email: &str, addr: &str) -> [String; 2] {
        [
            format!("account:{}", email.to_lowercase()),
            format!("address:{addr}"),
        ]
    }

    /// `Some(seconds to wait)` when either key has used up its attempts.
    pub fn blocked(&self, email: &str, addr: &str) -> Option<u64> {
        let now = Instant::now();
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        map.retain(|_, v| {
            v.retain(|t| now.duration_since(*t) < self.window);
            !v.is_empty()
        });
        let [acct, addr] = Self::keys(email, addr);
        [(acct, self.per_account), (addr, self.per_address)]
            .into_iter()
            .find_map(|(k, limit)| {
                let v = map.get(&k)?;
                (v.len() as u32 >= limit).then(|| {
                    let oldest = v.first().copied().unwrap_or(now);
                    self.window
                        .saturating_sub(now.duration_since(oldest))
                        .as_secs()
                        .max(1)
                })
            })
    }

    pub fn failed(&self, email: &str, addr: &str) {
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        for k in Self::keys(email, addr) {
            map.entry(k).or_default().push(Instant::now());
        }
    }

    /// A successful sign-in clears the account's failures (not the address's).
    pub fn succeeded(&self, email: &str, addr: &str) {
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        map.remove(&Self::keys(email, addr)[0]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_account_is_blocked_after_its_limit_and_others_are_not() {
        let t = Throttle::new(Duration::from_secs(60), 3, 100);
        for _ in 0..3 {
            assert!(t.blocked("a@x.io", "1.2.3.4").is_none());
            t.failed("a@x.io", "1.2.3.4");
        }
        assert!(t.blocked("A@x.io", "5.6.7.8").is_some());
        assert!(t.blocked("b@x.io", "1.2.3.4").is_none());
    }

    #[test]
    fn an_address_is_blocked_across_accounts() {
        let t = Throttle::new(Duration::from_secs(60), 100, 2);
        t.failed("a@x.io", "9.9.9.9");
        t.failed("b@x.io", "9.9.9.9");
        assert!(t.blocked("c@x.io", "9.9.9.9").is_some());
        t.succeeded("c@x.io", "9.9.9.9");
        assert!(t.blocked("c@x.io", "9.9.9.9").is_some());
    }
}

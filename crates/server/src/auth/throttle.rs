//! Sign-in throttling that protects owners, not attackers.
//!
//! Failed sign-ins are counted per (account, client address) and per client
//! address, never per account alone: a stranger's wrong guesses for your
//! e-mail block that stranger's address for your account, and you still
//! sign in from yours. The per-address count spans accounts, so one address
//! spraying a common password over many accounts is stopped too. Who the
//! client is comes from [`TrustedProxies`] (`--trust-proxy`), so behind a
//! reverse proxy each person has their own budget instead of all sharing
//! the proxy's. IPv6 clients are counted per /64, the block one host
//! usually holds, so rotating through it buys nothing.
//!
//! An attempt is counted when it starts, not when its password check
//! fails: password checks queue (see `auth::password`), and counting late
//! would let a burst of concurrent guesses all pass the check before the
//! first failure was recorded. A success takes its attempt back.
//!
//! Counts live in memory per replica: an attacker spreading guesses over N
//! replicas gets N times the budget, still far too little to guess an
//! Argon2id-hashed password, and no shared state is needed. Memory is
//! bounded: a count is forgotten when its window ends, and at
//! [`CAPACITY`] counts the oldest goes first, so a flood of made-up e-mails
//! cannot grow the map (it can only give the flooder's own counts back).

use std::collections::{HashMap, VecDeque};
use std::hash::{BuildHasher, RandomState};
use std::net::{IpAddr, Ipv6Addr};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::client_addr::TrustedProxies;
use crate::error::AppError;

/// Most counts kept at once (about 100 bytes each).
pub const CAPACITY: usize = 50_000;

pub struct Throttle {
    window: Duration,
    per_account_address: u32,
    per_address: u32,
    capacity: usize,
    proxies: TrustedProxies,
    /// Keys accounts by a keyed hash: fixed-size keys however long the
    /// e-mail, and no e-mail addresses kept in memory.
    hasher: RandomState,
    book: Mutex<Book>,
}

#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
enum Key {
    /// One account from one client address.
    Pair(u64, IpAddr),
    /// One client address, over all accounts.
    Address(IpAddr),
}

/// A sign-in refused because its budget is used up; answers 429 with
/// `Retry-After`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Throttled {
    /// Whole seconds until an attempt is taken again (at least 1).
    pub retry_after: u64,
    /// Whether the address is blocked for every account, not just this one.
    pub whole_address: bool,
}

impl IntoResponse for Throttled {
    fn into_response(self) -> Response {
        let whom = if self.whole_address {
            "from your address"
        } else {
            "to this account from your address"
        };
        let message = format!(
            "too many failed sign-ins {whom}, try again in {} s",
            self.retry_after
        );
        let mut res = AppError::new(StatusCode::TOO_MANY_REQUESTS, message).into_response();
        res.headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(self.retry_after));
        res
    }
}

/// A sign-in attempt under way. It is already counted as a failure; say
/// [`Attempt::succeeded`] or [`Attempt::refund`] to take that back.
#[must_use = "an attempt dropped counts as a failed sign-in"]
pub struct Attempt<'a> {
    throttle: &'a Throttle,
    pair: Key,
    address: Key,
}

impl Attempt<'_> {
    /// The right password: this account's failures from this address are
    /// forgiven. The address's own count keeps its other failures, so one
    /// valid account does not reset a spraying budget.
    pub fn succeeded(self) {
        let mut book = self.throttle.lock();
        book.counts.remove(&self.pair);
        book.take_back(self.address);
    }

    /// The attempt said nothing about the password (the store failed):
    /// it does not count.
    pub fn refund(self) {
        let mut book = self.throttle.lock();
        book.take_back(self.pair);
        book.take_back(self.address);
    }
}

impl Throttle {
    /// `per_account_address` failures for one account from one client
    /// address, and `per_address` from one address over all accounts, per
    /// `window`.
    pub fn new(window: Duration, per_account_address: u32, per_address: u32) -> Self {
        Throttle {
            window,
            per_account_address,
            per_address,
            capacity: CAPACITY,
            proxies: TrustedProxies::default(),
            hasher: RandomState::new(),
            book: Mutex::new(Book::default()),
        }
    }

    /// Takes client addresses from these proxies' `X-Forwarded-For`.
    pub fn with_proxies(mut self, proxies: TrustedProxies) -> Self {
        self.proxies = proxies;
        self
    }

    /// Keeps at most `capacity` counts (tests use small ones).
    pub fn with_capacity(mut self, capacity: usize) -> Self {
        self.capacity = capacity.max(1);
        self
    }

    /// The proxies whose `X-Forwarded-For` names the client. They live here
    /// because the throttle is what client addresses are for.
    pub fn proxies(&self) -> &TrustedProxies {
        &self.proxies
    }

    /// Starts a sign-in to `account` (its normalized e-mail) from `client`,
    /// counting it as failed until told otherwise, or refuses it.
    pub fn begin(&self, account: &str, client: IpAddr) -> Result<Attempt<'_>, Throttled> {
        self.begin_at(account, client, Instant::now())
    }

    fn begin_at(
        &self,
        account: &str,
        client: IpAddr,
        now: Instant,
    ) -> Result<Attempt<'_>, Throttled> {
        let client = bucket(client);
        let pair = Key::Pair(self.hasher.hash_one(account.to_lowercase()), client);
        let address = Key::Address(client);
        let mut book = self.lock();
        book.expire(now, self.window);
        let used_up = |key, limit| {
            let count: &Count = book.counts.get(&key)?;
            (count.n >= limit).then(|| self.window.saturating_sub(now - count.since))
        };
        let by_address = used_up(address, self.per_address);
        let by_pair = used_up(pair, self.per_account_address);
        if by_address.is_some() || by_pair.is_some() {
            let wait = by_address.max(by_pair).unwrap_or_default();
            return Err(Throttled {
                retry_after: whole_seconds(wait),
                whole_address: by_address.is_some(),
            });
        }
        for key in [pair, address] {
            book.add(key, now, self.capacity);
        }
        Ok(Attempt {
            throttle: self,
            pair,
            address,
        })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Book> {
        self.book.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// The address counted for a client: IPv6 by its /64.
fn bucket(ip: IpAddr) -> IpAddr {
    match ip.to_canonical() {
        IpAddr::V6(v6) => IpAddr::V6(Ipv6Addr::from(u128::from(v6) & !(u64::MAX as u128))),
        v4 => v4,
    }
}

/// Rounded up, and at least 1: `Retry-After: 0` would invite a retry loop.
fn whole_seconds(d: Duration) -> u64 {
    (d.as_secs() + u64::from(d.subsec_nanos() > 0)).max(1)
}

/// Attempts since `since`, the start of this count's window.
struct Count {
    since: Instant,
    n: u32,
}

/// The counts, and their keys in the order they were created (oldest
/// first), which is also the order their windows end in. A key whose count
/// was removed early (a success) leaves a stale entry in `order`; it is
/// recognized by its `since` and skipped, and `order` is capped like
/// `counts`, so neither grows without bound.
#[derive(Default)]
struct Book {
    counts: HashMap<Key, Count>,
    order: VecDeque<(Key, Instant)>,
}

impl Book {
    /// Forgets every count whose window has ended.
    fn expire(&mut self, now: Instant, window: Duration) {
        while self
            .order
            .front()
            .is_some_and(|&(_, since)| now - since >= window)
        {
            self.pop_oldest();
        }
    }

    fn pop_oldest(&mut self) {
        if let Some((key, since)) = self.order.pop_front()
            && self.counts.get(&key).is_some_and(|c| c.since == since)
        {
            self.counts.remove(&key);
        }
    }

    /// One more attempt for `key`. Only called after [`Book::expire`], so
    /// any count still here is inside its window.
    fn add(&mut self, key: Key, now: Instant, capacity: usize) {
        if let Some(count) = self.counts.get_mut(&key) {
            count.n = count.n.saturating_add(1);
            return;
        }
        while self.order.len() >= capacity {
            self.pop_oldest();
        }
        self.counts.insert(key, Count { since: now, n: 1 });
        self.order.push_back((key, now));
    }

    fn take_back(&mut self, key: Key) {
        if let Some(count) = self.counts.get_mut(&key) {
            count.n = count.n.saturating_sub(1);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const WINDOW: Duration = Duration::from_secs(900);

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    /// `n` failed attempts.
    fn fail(t: &Throttle, account: &str, client: &str, n: u32, now: Instant) {
        for i in 0..n {
            let attempt = t.begin_at(account, ip(client), now);
            assert!(
                attempt.is_ok(),
                "attempt {i} of {n} for {account} from {client}"
            );
        }
    }

    #[test]
    fn a_strangers_failures_do_not_lock_the_owner_out() {
        let t = Throttle::new(WINDOW, 10, 100);
        let now = Instant::now();
        fail(&t, "victim@x.io", "203.0.113.7", 10, now);
        let refused = t.begin_at("VICTIM@x.io", ip("203.0.113.7"), now).err();
        assert_eq!(
            refused,
            Some(Throttled {
                retry_after: 900,
                whole_address: false
            })
        );
        // The owner, from another address, is not affected.
        t.begin_at("victim@x.io", ip("198.51.100.2"), now)
            .expect("owner's own address")
            .succeeded();
        // The attacker's address still reaches other accounts.
        assert!(t.begin_at("other@x.io", ip("203.0.113.7"), now).is_ok());
    }

    #[test]
    fn an_address_is_capped_across_accounts_and_a_success_does_not_reset_it() {
        let t = Throttle::new(WINDOW, 10, 5);
        let now = Instant::now();
        for i in 0..4 {
            fail(&t, &format!("user{i}@x.io"), "9.9.9.9", 1, now);
        }
        // A success in between takes back only its own attempt.
        t.begin_at("mine@x.io", ip("9.9.9.9"), now)
            .unwrap()
            .succeeded();
        fail(&t, "user4@x.io", "9.9.9.9", 1, now);
        let refused = t.begin_at("fresh@x.io", ip("9.9.9.9"), now).err();
        assert!(refused.is_some_and(|r| r.whole_address), "{refused:?}");
        assert!(t.begin_at("fresh@x.io", ip("9.9.9.10"), now).is_ok());
    }

    #[test]
    fn successes_and_refunds_do_not_count() {
        let t = Throttle::new(WINDOW, 2, 3);
        let now = Instant::now();
        for _ in 0..10 {
            t.begin_at("a@x.io", ip("1.2.3.4"), now)
                .unwrap()
                .succeeded();
            t.begin_at("b@x.io", ip("1.2.3.4"), now).unwrap().refund();
        }
        fail(&t, "a@x.io", "1.2.3.4", 2, now);
        assert!(t.begin_at("a@x.io", ip("1.2.3.4"), now).is_err());
        // The right password forgives the pair once it is let in again.
        let later = now + WINDOW;
        t.begin_at("a@x.io", ip("1.2.3.4"), later)
            .unwrap()
            .succeeded();
        fail(&t, "a@x.io", "1.2.3.4", 2, later);
    }

    #[test]
    fn concurrent_attempts_count_before_they_finish() {
        let t = Throttle::new(WINDOW, 3, 100);
        let now = Instant::now();
        let in_flight: Vec<_> = (0..3)
            .map(|_| t.begin_at("a@x.io", ip("1.2.3.4"), now).unwrap())
            .collect();
        assert!(t.begin_at("a@x.io", ip("1.2.3.4"), now).is_err());
        drop(in_flight);
    }

    #[test]
    fn a_window_ends_and_retry_after_says_when() {
        let t = Throttle::new(WINDOW, 1, 100);
        let now = Instant::now();
        fail(&t, "a@x.io", "1.2.3.4", 1, now);
        let wait = |at| t.begin_at("a@x.io", ip("1.2.3.4"), at).err();
        let at = now + Duration::from_millis(100_500);
        assert_eq!(wait(at).map(|w| w.retry_after), Some(800));
        assert!(wait(now + WINDOW).is_none());
    }

    #[test]
    fn ipv6_clients_are_counted_per_64() {
        let t = Throttle::new(WINDOW, 2, 100);
        let now = Instant::now();
        fail(&t, "a@x.io", "2001:db8:1:2::1", 1, now);
        fail(&t, "a@x.io", "2001:db8:1:2:ffff::9", 1, now);
        assert!(t.begin_at("a@x.io", ip("2001:db8:1:2::77"), now).is_err());
        assert!(t.begin_at("a@x.io", ip("2001:db8:1:3::1"), now).is_ok());
        // A v4 client on a dual-stack socket is the same v4 client.
        fail(&t, "a@x.io", "10.0.0.1", 2, now);
        assert!(t.begin_at("a@x.io", ip("::ffff:10.0.0.1"), now).is_err());
    }

    #[test]
    fn memory_is_bounded_by_capacity_and_windows() {
        let t = Throttle::new(WINDOW, 10, 1_000_000).with_capacity(100);
        let now = Instant::now();
        for i in 0..10_000 {
            let client = format!("10.0.{}.{}", i / 250, i % 250);
            let attempt = t.begin_at(&format!("made-up-{i}@x.io"), ip(&client), now);
            if i % 2 == 0 {
                attempt.unwrap().succeeded();
            }
        }
        {
            let book = t.lock();
            assert!(book.order.len() <= 100, "{}", book.order.len());
            assert!(book.counts.len() <= 100, "{}", book.counts.len());
        }
        let _ = t.begin_at("x@x.io", ip("1.1.1.1"), now + WINDOW);
        let book = t.lock();
        assert_eq!(
            book.counts.len(),
            2,
            "only the last attempt's counts remain"
        );
        assert_eq!(book.order.len(), 2);
    }
}

//! Live sessions remembered for a few seconds.
//!
//! Every signed-in request proves that its bearer token verifies (signature
//! and expiry, checked in memory each time) and that its session is still
//! live in the store (revocation is stored, so logout works on every
//! replica). The second was a store read of the session and one of the user
//! per request; here the answer (the session's user) is kept for
//! [`CALLER_TTL`]:
//!
//! - a logout, a refresh that found a copied token, or any other revocation
//!   made through this replica forgets the session at once
//!   ([`CallerCache::forget`]), so on this replica the token stops working
//!   immediately;
//! - on another replica the session stays usable for at most
//!   [`CALLER_TTL`] after the revocation, and a change to the user made
//!   elsewhere is seen within the same window.
//!
//! The organization is not kept: its settings (which projects everyone may
//! use, say) are read on every request, so `stint org set` takes effect at
//! once.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use stint_model::User;
use uuid::Uuid;

/// How long a live session is taken from memory before the store is asked
/// again: the longest a revocation made through another replica takes to
/// reach this one. Access tokens live far longer (their `exp`), so this is
/// the window that matters for logout.
pub const CALLER_TTL: Duration = Duration::from_secs(5);

/// Expired entries are swept when the map has doubled since the last sweep
/// (and never below this size), so memory follows the number of sessions
/// active within the window.
const SWEEP_AT_LEAST: usize = 1024;

pub struct CallerCache {
    ttl: Duration,
    inner: Mutex<Maps>,
}

struct Maps {
    /// Session id to when it was found live, and its user.
    live: HashMap<Uuid, (Instant, User)>,
    /// Sessions forgotten within the window: a request that checked one
    /// just before its logout must not put it back.
    forgotten: HashMap<Uuid, Instant>,
    sweep_at: usize,
}

impl Default for CallerCache {
    fn default() -> Self {
        CallerCache::new(CALLER_TTL)
    }
}

impl CallerCache {
    pub fn new(ttl: Duration) -> CallerCache {
        CallerCache {
            ttl,
            inner: Mutex::new(Maps {
                live: HashMap::new(),
                forgotten: HashMap::new(),
                sweep_at: SWEEP_AT_LEAST,
            }),
        }
    }

    fn maps(&self) -> std::sync::MutexGuard<'_, Maps> {
        // A panic elsewhere cannot leave the maps half-written.
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The user of session `sid` if it was found live within the window
    /// and the token names the same user and organization.
    pub fn user(&self, sid: Uuid, org: Uuid, user: Uuid) -> Option<User> {
        let maps = self.maps();
        let (at, u) = maps.live.get(&sid)?;
        (at.elapsed() < self.ttl && u.id == user && u.org_id == org).then(|| u.clone())
    }

    /// Remembers that session `sid` of `user` was just found live.
    pub fn remember(&self, sid: Uuid, user: &User) {
        let mut maps = self.maps();
        if maps.forgotten.contains_key(&sid) {
            return;
        }
        maps.live.insert(sid, (Instant::now(), user.clone()));
        if maps.live.len() >= maps.sweep_at {
            let ttl = self.ttl;
            maps.live.retain(|_, (at, _)| at.elapsed() < ttl);
            maps.forgotten.retain(|_, at| at.elapsed() < ttl);
            maps.sweep_at = (2 * maps.live.len()).max(SWEEP_AT_LEAST);
        }
    }

    /// Forgets session `sid`: its next request on this replica asks the
    /// store, which knows it was revoked.
    pub fn forget(&self, sid: Uuid) {
        let mut maps = self.maps();
        maps.live.remove(&sid);
        maps.forgotten.insert(sid, Instant::now());
        if maps.forgotten.len() >= SWEEP_AT_LEAST {
            let ttl = self.ttl;
            maps.forgotten.retain(|_, at| at.elapsed() < ttl);
        }
    }
}

#[cfg(test)]
mod tests {
    use stint_model::Role;

    use super::*;

    fn user() -> User {
        User {
            id: Uuid::now_v7(),
            seq: 1,
            org_id: Uuid::now_v7(),
            email: "omar@acme.example".into(),
            name: "Omar".into(),
            password_hash: String::new(),
            role: Role::Employee,
            supervisor_id: None,
            timezone: "UTC".into(),
        }
    }

    #[test]
    fn a_session_is_kept_for_the_window_and_only_for_its_own_token() {
        let cache = CallerCache::new(Duration::from_millis(200));
        let (sid, u) = (Uuid::now_v7(), user());
        assert!(cache.user(sid, u.org_id, u.id).is_none());
        cache.remember(sid, &u);
        assert_eq!(cache.user(sid, u.org_id, u.id), Some(u.clone()));
        // A token naming someone else in that session is not taken from here.
        assert!(cache.user(sid, u.org_id, Uuid::now_v7()).is_none());
        assert!(cache.user(sid, Uuid::now_v7(), u.id).is_none());
        std::thread::sleep(Duration::from_millis(250));
        assert!(
            cache.user(sid, u.org_id, u.id).is_none(),
            "the window is over"
        );
    }

    #[test]
    fn a_forgotten_session_is_asked_again_at_once() {
        let cache = CallerCache::default();
        let (sid, u) = (Uuid::now_v7(), user());
        cache.remember(sid, &u);
        cache.forget(sid);
        assert!(cache.user(sid, u.org_id, u.id).is_none());
        // A request that found the session live just before the logout.
        cache.remember(sid, &u);
        assert!(cache.user(sid, u.org_id, u.id).is_none());
    }

    #[test]
    fn expired_sessions_are_swept() {
        let cache = CallerCache::new(Duration::ZERO);
        for _ in 0..3 * SWEEP_AT_LEAST {
            cache.remember(Uuid::now_v7(), &user());
        }
        assert!(cache.maps().live.len() <= SWEEP_AT_LEAST);
    }
}

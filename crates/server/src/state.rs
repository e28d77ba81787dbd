//! What every handler shares. Nothing here must be shared between replicas:
//! durable state lives in the store and the blob store (the caller cache
//! only remembers for a few seconds what the store said).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use stint_store::Store;

use crate::auth::caller_cache::CallerCache;
use crate::auth::throttle::Throttle;
use crate::auth::tokens::Keys;
use crate::blobs::Blobs;

#[derive(Clone)]
pub struct AppState(Arc<Inner>);

pub struct Inner {
    pub store: Arc<dyn Store>,
    pub keys: Keys,
    pub throttle: Throttle,
    pub blobs: Arc<dyn Blobs>,
    /// Live sessions for a few seconds; see [`crate::auth::caller_cache`].
    pub callers: CallerCache,
    /// Set when a stop begins; see [`AppState::drain`].
    draining: AtomicBool,
}

impl AppState {
    pub fn new(
        store: Arc<dyn Store>,
        keys: Keys,
        throttle: Throttle,
        blobs: Arc<dyn Blobs>,
    ) -> Self {
        AppState(Arc::new(Inner {
            store,
            keys,
            throttle,
            blobs,
            callers: CallerCache::default(),
            draining: AtomicBool::new(false),
        }))
    }

    /// This replica is stopping: `/readyz` answers 503 from now on, while
    /// requests are still served, so that a load balancer stops sending
    /// here before the listener closes.
    pub fn drain(&self) {
        self.draining.store(true, Ordering::Relaxed);
    }

    pub fn draining(&self) -> bool {
        self.draining.load(Ordering::Relaxed)
    }
}

impl std::ops::Deref for AppState {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}

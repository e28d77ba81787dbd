//! What every handler shares. Nothing here must be shared between replicas:
//! durable state lives in the store and the blob store (the caller cache
//! only remembers for a few seconds what the store said).

use std::sync::Arc;

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
        }))
    }
}

impl std::ops::Deref for AppState {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}

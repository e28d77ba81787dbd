//! The outbox is SQLite behind a mutex: every call blocks. Async code (the
//! tracking loop, the sync loop, the app's commands) reaches it through
//! [`with`], which on a multi-threaded runtime tells tokio that this worker
//! is about to block (`block_in_place`), so timers, HTTP calls and the
//! window's other commands go on on the other workers instead of waiting
//! behind a write. Elsewhere (plain threads, a current-thread runtime in
//! tests) the closure just runs.

use std::sync::Mutex;

use tokio::runtime::{Handle, RuntimeFlavor};

use super::{Outbox, lock};

/// Runs `f` on the outbox, off the async runtime's workers.
pub fn with<R>(outbox: &Mutex<Outbox>, f: impl FnOnce(&mut Outbox) -> R) -> R {
    let run = || f(&mut lock(outbox));
    match Handle::try_current() {
        Ok(h) if h.runtime_flavor() == RuntimeFlavor::MultiThread => {
            tokio::task::block_in_place(run)
        }
        _ => run(),
    }
}

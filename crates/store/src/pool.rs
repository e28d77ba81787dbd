//! What a store says about its connections, for the server's metrics.
//!
//! The pool's size is read on demand ([`Store::pool_status`](crate::Store::pool_status)).
//! The wait for a connection happens inside every call, where the server
//! cannot time it: sqlx times each acquire itself and reports it only as a
//! tracing event (`sqlx::pool::acquire`, field `acquired_after_secs`, once
//! `PgPoolOptions::acquire_time_level` is on), so the SQLite backend reports
//! its own wait the same way and the server turns both into one histogram
//! without timing each of the many call sites.

/// The tracing targets of the acquire events: sqlx's (PostgreSQL) and the
/// SQLite backend's.
pub const ACQUIRE_TARGETS: [&str; 2] = ["sqlx::pool::acquire", SQLITE_ACQUIRE_TARGET];

/// The field holding the wait, in seconds (`f64`), in both.
pub const ACQUIRE_FIELD: &str = "acquired_after_secs";

/// The SQLite backend's target.
pub(crate) const SQLITE_ACQUIRE_TARGET: &str = "stint_store::pool::acquire";

/// A store's connections at one moment.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PoolStatus {
    /// Connections open now.
    pub size: u32,
    /// Of those, how many a call holds.
    pub in_use: u32,
    /// The most it opens.
    pub max: u32,
}

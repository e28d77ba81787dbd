//! What the server counts for Prometheus, recorded in one place.
//!
//! Handlers and services call the small functions below; with the `metrics`
//! feature off (the desktop app's embedded server) they compile to nothing,
//! so no call site needs a `cfg`. With it on they record through the
//! `metrics` facade, which costs next to nothing until `stint serve
//! --metrics-listen` installs the Prometheus recorder ([`export`]).
//!
//! Every name is a constant here and listed in `docs/deploy.md`; labels take
//! only a few fixed values (route templates, never raw URLs with ids), so
//! the number of series stays bounded whatever clients send.

use std::sync::Arc;

use async_trait::async_trait;
use stint_model::SyncStatus;

use crate::blobs::Blobs;

#[cfg(feature = "metrics")]
pub mod export;

/// `stint_http_requests_total{method, route, status}`: answers given.
pub const HTTP_REQUESTS: &str = "stint_http_requests_total";
/// `stint_http_request_duration_seconds{method, route, status}`: time to
/// the answer's head (a streamed CSV export's body is not included).
pub const HTTP_DURATION: &str = "stint_http_request_duration_seconds";
/// `stint_sync_logs_total{outcome}`: the agent's synced logs, per outcome
/// (`created`, `updated`, `unchanged`, `failed`: [`SyncStatus`]).
pub const SYNC_LOGS: &str = "stint_sync_logs_total";
/// `stint_sign_ins_total{result}`: `ok`, `failed` (wrong e-mail or
/// password), `throttled` (429 before any check), `error` (the store).
pub const SIGN_INS: &str = "stint_sign_ins_total";
/// `stint_blob_errors_total{op}`: failed `put`, `get` or `delete` on the
/// blob store (`/readyz`'s probe included).
pub const BLOB_ERRORS: &str = "stint_blob_errors_total";
/// `stint_db_pool_connections{state}`: the store's connections, `idle` or
/// `in_use`, as of the scrape.
pub const DB_POOL_CONNECTIONS: &str = "stint_db_pool_connections";
/// `stint_db_pool_max_connections`: the pool's limit.
pub const DB_POOL_MAX: &str = "stint_db_pool_max_connections";
/// `stint_db_pool_acquire_wait_seconds`: how long each store call waited
/// for a connection.
pub const DB_POOL_WAIT: &str = "stint_db_pool_acquire_wait_seconds";

/// The route label of a request no route matched: one series for every
/// unknown path, whatever its text.
pub const UNMATCHED: &str = "unmatched";

/// How a sign-in ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignIn {
    Ok,
    Failed,
    Throttled,
    Error,
}

impl SignIn {
    pub fn as_str(self) -> &'static str {
        match self {
            SignIn::Ok => "ok",
            SignIn::Failed => "failed",
            SignIn::Throttled => "throttled",
            SignIn::Error => "error",
        }
    }
}

/// Counts one sign-in.
pub fn sign_in(result: SignIn) {
    #[cfg(feature = "metrics")]
    ::metrics::counter!(SIGN_INS, "result" => result.as_str()).increment(1);
    #[cfg(not(feature = "metrics"))]
    let _ = result;
}

/// Counts a sync batch's outcomes, one per log.
pub fn sync_outcomes(outcomes: impl IntoIterator<Item = SyncStatus>) {
    let mut counts = [0u64; SyncStatus::ALL.len()];
    for status in outcomes {
        let at = SyncStatus::ALL.iter().position(|s| *s == status);
        counts[at.unwrap_or_default()] += 1;
    }
    #[cfg(feature = "metrics")]
    for (status, n) in SyncStatus::ALL.iter().zip(counts) {
        if n > 0 {
            ::metrics::counter!(SYNC_LOGS, "outcome" => status.as_str()).increment(n);
        }
    }
    #[cfg(not(feature = "metrics"))]
    let _ = counts;
}

/// Counts a failed blob store operation.
pub fn blob_error(op: &'static str) {
    #[cfg(feature = "metrics")]
    ::metrics::counter!(BLOB_ERRORS, "op" => op).increment(1);
    #[cfg(not(feature = "metrics"))]
    let _ = op;
}

/// A [`Blobs`] that counts its failures ([`BLOB_ERRORS`]). `stint serve`
/// wraps its blob store in it, so uploads, image reads, deletions, the
/// purge and `/readyz`'s probe are all counted, whichever backend it is.
pub struct CountedBlobs(pub Arc<dyn Blobs>);

impl CountedBlobs {
    pub fn wrap(inner: Arc<dyn Blobs>) -> Arc<dyn Blobs> {
        Arc::new(CountedBlobs(inner))
    }
}

fn counted<T>(op: &'static str, result: std::io::Result<T>) -> std::io::Result<T> {
    if result.is_err() {
        blob_error(op);
    }
    result
}

#[async_trait]
impl Blobs for CountedBlobs {
    async fn put(&self, key: &str, bytes: &[u8]) -> std::io::Result<()> {
        counted("put", self.0.put(key, bytes).await)
    }

    async fn get(&self, key: &str) -> std::io::Result<Option<Vec<u8>>> {
        counted("get", self.0.get(key).await)
    }

    async fn delete(&self, key: &str) -> std::io::Result<()> {
        counted("delete", self.0.delete(key).await)
    }
}

/// Counts and times every answer by method, route template and status
/// (`axum::middleware::from_fn`; [`crate::app`] adds it with the feature).
#[cfg(feature = "metrics")]
pub async fn track_http(
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let started = std::time::Instant::now();
    // The router sets the matched template (`/api/timesheet/time-log/{id}`)
    // before route layers run; a request no route took has none.
    let route = req
        .extensions()
        .get::<axum::extract::MatchedPath>()
        .map_or(UNMATCHED.to_string(), |p| p.as_str().to_string());
    let method = method_label(req.method());
    let res = next.run(req).await;
    let labels = [
        ("method", method.to_string()),
        ("route", route),
        ("status", res.status().as_str().to_string()),
    ];
    ::metrics::counter!(HTTP_REQUESTS, &labels).increment(1);
    ::metrics::histogram!(HTTP_DURATION, &labels).record(started.elapsed().as_secs_f64());
    res
}

/// The standard methods by name; any other is `other`, so a client cannot
/// make up a series per request.
#[cfg(feature = "metrics")]
fn method_label(method: &axum::http::Method) -> &'static str {
    use axum::http::Method;
    let known = [
        (Method::GET, "GET"),
        (Method::POST, "POST"),
        (Method::PUT, "PUT"),
        (Method::PATCH, "PATCH"),
        (Method::DELETE, "DELETE"),
        (Method::HEAD, "HEAD"),
        (Method::OPTIONS, "OPTIONS"),
    ];
    known
        .into_iter()
        .find(|(m, _)| m == method)
        .map_or("other", |(_, name)| name)
}

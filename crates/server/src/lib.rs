//! The Stint server: the Ever Gauzy and IceHrm time-tracking APIs over one
//! service layer and one [`Store`](stint_store::Store).
//!
//! - `auth`: passwords, tokens, sessions and the `Caller` extractor;
//! - `service`: the rules (who may do what, locking, totals), dialect-free;
//! - `api`: one module per dialect, parsing and spelling only;
//! - `blobs`: where screenshot images live.

pub mod api;
pub mod auth;
pub mod blobs;
pub mod error;
mod headers;
pub mod listener;
pub mod local;
pub mod metrics;
pub mod routes;
pub mod service;
pub mod state;
pub mod wire;

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use stint_store::Store;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

pub use error::{AppError, AppResult};
pub use listener::Limits;
pub use state::AppState;

/// Largest JSON body (a sync batch of 5,000 logs fits comfortably).
pub const JSON_LIMIT: usize = 8 * 1024 * 1024;

/// Longest a handler may take, reading the body included (then 408).
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(60);

pub struct Config {
    /// How long an access token lives (refresh tokens live 30 days).
    pub access_ttl: chrono::Duration,
    /// How long a rotated-out refresh token is still taken, once: default
    /// [`auth::sessions::REFRESH_GRACE`].
    pub refresh_grace: chrono::Duration,
    /// Failed sign-ins allowed in 15 minutes for one account from one
    /// client address, and from one client address over all accounts.
    /// Never per account alone: that would let anyone lock its owner out.
    pub login_attempts_per_account_address: u32,
    pub login_attempts_per_address: u32,
    /// Reverse proxies whose `X-Forwarded-For` names the client (none by
    /// default: the TCP peer is the client).
    pub trusted_proxies: auth::client_addr::TrustedProxies,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            access_ttl: chrono::Duration::hours(12),
            refresh_grace: auth::sessions::REFRESH_GRACE,
            login_attempts_per_account_address: 10,
            login_attempts_per_address: 100,
            trusted_proxies: Default::default(),
        }
    }
}

/// Builds the shared state: the signing secret is created once per database
/// so that every replica on it signs and checks the same tokens.
pub async fn state(
    store: Arc<dyn Store>,
    blobs: Arc<dyn blobs::Blobs>,
    config: &Config,
) -> anyhow::Result<AppState> {
    let secret = store
        .setting_or_init("jwt_secret", &auth::tokens::random_secret())
        .await?;
    let mut keys = auth::tokens::Keys::new(secret.as_bytes(), config.access_ttl);
    keys.refresh_grace = config.refresh_grace;
    let throttle = auth::throttle::Throttle::new(
        Duration::from_secs(15 * 60),
        config.login_attempts_per_account_address,
        config.login_attempts_per_address,
    )
    .with_proxies(config.trusted_proxies.clone());
    Ok(AppState::new(store, keys, throttle, blobs))
}

async fn not_found() -> AppError {
    AppError::not_found("route")
}

fn panic_response(_: Box<dyn std::any::Any + Send + 'static>) -> axum::response::Response {
    tracing::error!("a request handler panicked");
    axum::response::IntoResponse::into_response(AppError::new(
        StatusCode::INTERNAL_SERVER_ERROR,
        "internal error",
    ))
}

/// The whole HTTP application.
pub fn app(state: AppState) -> Router {
    let router = Router::new()
        .merge(routes::router(routes::endpoints()))
        .fallback(not_found)
        .method_not_allowed_fallback(|| async {
            AppError::new(StatusCode::METHOD_NOT_ALLOWED, "method not allowed")
        })
        .layer(DefaultBodyLimit::max(JSON_LIMIT))
        .layer(CompressionLayer::new())
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            REQUEST_TIMEOUT,
        ))
        .layer(CatchPanicLayer::custom(panic_response));
    let router = headers::secure(router).layer(TraceLayer::new_for_http());
    #[cfg(feature = "metrics")]
    let router = router.layer(axum::middleware::from_fn(crate::metrics::track_http));
    router.with_state(state)
}

/// Serves `app` on `listener` until `shutdown` resolves, with the default
/// [`Limits`].
pub async fn serve(
    listener: tokio::net::TcpListener,
    app: Router,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    serve_with(listener, app, shutdown, &Limits::default()).await
}

/// Serves `app` on `listener` until `shutdown` resolves; `limits` bound how
/// long a client may take to send a request head and how many connections
/// are open at once (see [`listener`]).
pub async fn serve_with(
    listener: tokio::net::TcpListener,
    app: Router,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
    limits: &Limits,
) -> std::io::Result<()> {
    return_large_blocks();
    listener::run(listener, app, shutdown, limits).await
}

/// Makes glibc give blocks of 4 MiB and more back to the system when they
/// are freed.
///
/// Every sign-in runs Argon2id, which allocates and frees 19 MiB. By default
/// glibc raises its mmap threshold to the size of such a freed block, so
/// from the second sign-in on those blocks come from its heaps, one per
/// thread, and stay there: `make bench` saw the server's RSS climb to
/// 1.5 GB over 1,000 sign-ins (about 1 MB more per sign-in, never
/// returned). With a fixed threshold the RSS after 400 sign-ins stays at
/// 16 MB (peak 55 MB: two checks at a time, see `auth::password`).
fn return_large_blocks() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        const THRESHOLD: libc::c_int = 4 << 20;
        // SAFETY: mallopt only changes allocator parameters; it is safe to
        // call at any time from any thread.
        #[allow(unsafe_code)]
        let _ = unsafe { libc::mallopt(libc::M_MMAP_THRESHOLD, THRESHOLD) };
    }
}

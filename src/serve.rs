//! `stint serve`: open the data, bind, say where, serve until a signal.

use std::io::Write;
use std::sync::Arc;

use anyhow::Context;
use stint_server::auth::client_addr::TrustedProxies;
use stint_server::blobs::S3Url;

use crate::cli::DataOpts;
use crate::data;

pub async fn run(
    listen: &str,
    token_ttl: std::time::Duration,
    refresh_grace: std::time::Duration,
    trusted_proxies: TrustedProxies,
    limits: &stint_server::Limits,
    blobs: Option<&S3Url>,
    opts: &DataOpts,
) -> anyhow::Result<()> {
    let store = data::open(opts).await?;
    let blobs = data::blobs(blobs, opts)?;
    stint_server::service::retention::spawn(Arc::clone(&store), Arc::clone(&blobs));
    let config = stint_server::Config {
        access_ttl: chrono::Duration::from_std(token_ttl).unwrap_or(chrono::Duration::hours(12)),
        refresh_grace: chrono::Duration::from_std(refresh_grace)
            .unwrap_or(stint_server::auth::sessions::REFRESH_GRACE),
        trusted_proxies,
        ..Default::default()
    };
    let state = stint_server::state(store, blobs, &config).await?;
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .with_context(|| format!("could not listen on {listen}"))?;
    let addr = listener.local_addr()?;
    // Tests and scripts wait for exactly this line.
    println!("listening on http://{addr}");
    std::io::stdout().flush()?;
    tracing::info!(%addr, "stint server ready");
    let app = stint_server::app(state);
    stint_server::serve_with(listener, app, shutdown_signal(), limits).await?;
    tracing::info!("stint server stopped");
    Ok(())
}

/// Resolves on SIGINT or SIGTERM, so in-flight requests finish cleanly.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
}

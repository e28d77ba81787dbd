//! `stint serve`: open the data, bind, say where, serve until a signal.

use std::io::Write;
use std::sync::Arc;

use anyhow::Context;
use stint_server::auth::client_addr::TrustedProxies;
use stint_server::blobs::S3Url;

use crate::cli::DataOpts;
use crate::data;

/// What `stint serve` was told, beside where its data is.
pub struct Options<'a> {
    pub listen: &'a str,
    pub metrics_listen: Option<&'a str>,
    pub token_ttl: std::time::Duration,
    pub refresh_grace: std::time::Duration,
    pub trusted_proxies: TrustedProxies,
    pub limits: stint_server::Limits,
    pub drain_delay: std::time::Duration,
    pub blobs: Option<&'a S3Url>,
}

pub async fn run(o: &Options<'_>, opts: &DataOpts) -> anyhow::Result<()> {
    // Before anything records: earlier counts would go nowhere.
    let recorder = o
        .metrics_listen
        .map(|_| stint_server::metrics::export::install())
        .transpose()?;
    let store = data::open(opts).await?;
    let blobs = stint_server::metrics::CountedBlobs::wrap(data::blobs(o.blobs, opts)?);
    stint_server::service::retention::spawn(Arc::clone(&store), Arc::clone(&blobs));
    let config = stint_server::Config {
        access_ttl: chrono::Duration::from_std(o.token_ttl).unwrap_or(chrono::Duration::hours(12)),
        refresh_grace: chrono::Duration::from_std(o.refresh_grace)
            .unwrap_or(stint_server::auth::sessions::REFRESH_GRACE),
        trusted_proxies: o.trusted_proxies.clone(),
        ..Default::default()
    };
    let state = stint_server::state(Arc::clone(&store), blobs, &config).await?;
    let metrics = match (o.metrics_listen, recorder) {
        (Some(addr), Some(recorder)) => {
            let listener = bind(addr).await?;
            println!("metrics on http://{}", listener.local_addr()?);
            Some((
                listener,
                stint_server::metrics::export::router(recorder, store),
            ))
        }
        _ => None,
    };
    let listener = bind(o.listen).await?;
    let addr = listener.local_addr()?;
    // Tests and scripts wait for exactly this line (after the metrics one).
    println!("listening on http://{addr}");
    std::io::stdout().flush()?;
    tracing::info!(%addr, "stint server ready");
    // The metrics listener answers until the API's has stopped.
    let (api_stopped, stop_metrics) = tokio::sync::oneshot::channel::<()>();
    let metrics = metrics.map(|(listener, router)| {
        tokio::spawn(stint_server::serve(listener, router, async {
            let _ = stop_metrics.await;
        }))
    });
    let app = stint_server::app(state.clone());
    let shutdown = drain(state, o.drain_delay);
    stint_server::serve_with(listener, app, shutdown, &o.limits).await?;
    drop(api_stopped);
    if let Some(task) = metrics {
        task.await??;
    }
    tracing::info!("stint server stopped");
    Ok(())
}

async fn bind(addr: &str) -> anyhow::Result<tokio::net::TcpListener> {
    tokio::net::TcpListener::bind(addr)
        .await
        .with_context(|| format!("could not listen on {addr}"))
}

/// Resolves when the listener should close: on a first signal `/readyz`
/// turns 503 and requests are still served for `delay`, long enough for a
/// load balancer's checks to notice and send new requests elsewhere; a
/// second signal cuts the wait short.
async fn drain(state: stint_server::AppState, delay: std::time::Duration) {
    shutdown_signal().await;
    state.drain();
    tracing::info!(
        ?delay,
        "stopping: /readyz answers 503; the listener closes after the delay (a second signal closes it now)"
    );
    tokio::select! {
        () = tokio::time::sleep(delay) => {},
        () = shutdown_signal() => {},
    }
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

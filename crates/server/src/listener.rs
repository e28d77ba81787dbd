//! Accepting connections, with limits a stalled client cannot get around.
//!
//! `axum::serve` has no header read timeout: a client that sends half its
//! headers and stops held its connection (a task and a socket) for as long
//! as it liked, and enough of them exhaust the process's file descriptors.
//! So connections are served here with hyper directly: HTTP/1.1 only, as
//! before (axum's `http2` feature was never on, and HTTP/2 would need
//! stall limits of its own), each one bounded in time by
//! [`Limits::header_read_timeout`] and in number by
//! [`Limits::max_connections`].

use std::net::SocketAddr;
use std::pin::pin;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::ConnectInfo;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tower::Layer;

/// How long and how many connections the server keeps open.
#[derive(Clone, Debug)]
pub struct Limits {
    /// How long a client has to send a request's complete head (request
    /// line and headers), counted from the moment the server waits for it:
    /// from the connection's start, or from the end of the previous answer
    /// on a kept-alive connection. So it is also the idle keep-alive
    /// timeout: an idle connection is closed after this long. hyper counts
    /// from a fixed deadline, so a client dribbling a byte at a time does
    /// not extend it.
    pub header_read_timeout: Duration,
    /// Connections open at once. When all are taken the accept loop waits
    /// for one to close, and new connections wait in the kernel's backlog
    /// instead of being closed: a flood of stalled connections then delays
    /// a real client by at most [`Self::header_read_timeout`] (when the
    /// stalled ones are cut) instead of failing it, and a burst of real
    /// clients is served in turn instead of refused.
    pub max_connections: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            header_read_timeout: Duration::from_secs(30),
            max_connections: 1024,
        }
    }
}

/// How long a stop waits for open connections: every answer in progress
/// can finish in this time, since no handler takes longer.
const DRAIN: Duration = crate::REQUEST_TIMEOUT;

/// Serves `app` on `listener` until `shutdown` resolves; then stops
/// accepting, closes idle connections, and waits for answers in progress.
///
/// That wait is bounded: a connection still sending its head is cut by the
/// header timeout, a handler by [`crate::REQUEST_TIMEOUT`], but a client
/// that never reads its answer would hold the stop forever. So after
/// [`DRAIN`] the remaining connections are closed.
pub(crate) async fn run(
    listener: TcpListener,
    app: Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
    limits: &Limits,
) -> std::io::Result<()> {
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout);
    let slots = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    let graceful = GracefulShutdown::new();
    // Dropping `close_all` ends every connection still open.
    let (close_all, closed) = tokio::sync::watch::channel(());
    let mut shutdown = pin!(shutdown);
    loop {
        let (slot, stream, addr) = tokio::select! {
            () = &mut shutdown => break,
            accepted = accept(&listener, &slots) => accepted,
        };
        // Handlers read the client's address through `ConnectInfo`.
        let service = axum::Extension(ConnectInfo(addr)).layer(app.clone());
        let connection = graceful
            .watch(http.serve_connection(TokioIo::new(stream), TowerToHyperService::new(service)));
        let mut closed = closed.clone();
        tokio::spawn(async move {
            tokio::select! {
                ended = connection => if let Err(e) = ended {
                    tracing::debug!(%addr, error = %e, "connection ended with an error");
                },
                _ = closed.changed() => {}
            }
            drop(slot);
        });
    }
    drop(listener);
    if tokio::time::timeout(DRAIN, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!("connections still open after {DRAIN:?} of shutdown; closing them");
    }
    drop(close_all);
    Ok(())
}

/// The next connection, once a slot is free. Errors that concern one
/// connection are skipped; others (out of file descriptors) are logged and
/// retried after a pause rather than ending the server.
async fn accept(
    listener: &TcpListener,
    slots: &Arc<Semaphore>,
) -> (OwnedSemaphorePermit, TcpStream, SocketAddr) {
    let slot = Arc::clone(slots)
        .acquire_owned()
        .await
        .expect("the connection semaphore is never closed");
    loop {
        match listener.accept().await {
            Ok((stream, addr)) => return (slot, stream, addr),
            Err(e) if is_connection_error(&e) => {}
            Err(e) => {
                tracing::error!(error = %e, "accepting a connection failed; retrying in 1 s");
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        }
    }
}

fn is_connection_error(e: &std::io::Error) -> bool {
    use std::io::ErrorKind::*;
    matches!(
        e.kind(),
        ConnectionRefused | ConnectionAborted | ConnectionReset
    )
}

//! Serving the metrics (`stint serve --metrics-listen`): the process-wide
//! Prometheus recorder, `GET /metrics` as a router of its own (never on the
//! API's listener, so the API's clients cannot read it), and the store's
//! pool figures.

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use stint_model::SyncStatus;
use stint_store::Store;
use stint_store::pool::{ACQUIRE_FIELD, ACQUIRE_TARGETS};
use tracing::field::{Field, Visit};
use tracing_subscriber::Layer;
use tracing_subscriber::filter::Targets;

use super::*;

/// Request latency buckets, seconds: a sync answers in milliseconds, a
/// sign-in's password check takes a few hundred, an export seconds.
const HTTP_BUCKETS: &[f64] = &[
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0,
];

/// Connection wait buckets, seconds: zero when the pool has a free one, up
/// to the pool's 10 s acquire timeout when the database is saturated.
const WAIT_BUCKETS: &[f64] = &[
    0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1.0, 5.0, 10.0,
];

/// How often histograms are folded and idle entries dropped, scraped or not.
const UPKEEP: Duration = Duration::from_secs(5);

/// Installs the recorder every `metrics::*` call in the process records to.
/// Call once, in a Tokio runtime, before serving.
pub fn install() -> anyhow::Result<PrometheusHandle> {
    let handle = PrometheusBuilder::new()
        .set_buckets_for_metric(Matcher::Full(HTTP_DURATION.into()), HTTP_BUCKETS)?
        .set_buckets_for_metric(Matcher::Full(DB_POOL_WAIT.into()), WAIT_BUCKETS)?
        .install_recorder()?;
    describe();
    let upkeep = handle.clone();
    tokio::spawn(async move {
        loop {
            tokio::time::sleep(UPKEEP).await;
            upkeep.run_upkeep();
        }
    });
    Ok(handle)
}

/// Help texts, and a zero for each counter's known labels, so a dashboard
/// or an alert on "throttled sign-ins" has a series before the first one.
fn describe() {
    use ::metrics::{counter, describe_counter, describe_gauge, describe_histogram};
    describe_counter!(
        HTTP_REQUESTS,
        "HTTP answers by method, route template and status"
    );
    describe_histogram!(
        HTTP_DURATION,
        ::metrics::Unit::Seconds,
        "Time to the answer's head by method, route template and status"
    );
    describe_counter!(SYNC_LOGS, "Logs of the agent's sync batches, by outcome");
    describe_counter!(SIGN_INS, "Sign-ins by result: ok, failed, throttled, error");
    describe_counter!(BLOB_ERRORS, "Failed blob store operations by op");
    describe_gauge!(DB_POOL_CONNECTIONS, "Database connections, idle or in use");
    describe_gauge!(DB_POOL_MAX, "Most database connections the pool opens");
    describe_histogram!(
        DB_POOL_WAIT,
        ::metrics::Unit::Seconds,
        "Wait for a database connection, per store call"
    );
    for result in [SignIn::Ok, SignIn::Failed, SignIn::Throttled, SignIn::Error] {
        counter!(SIGN_INS, "result" => result.as_str()).increment(0);
    }
    for status in SyncStatus::ALL {
        counter!(SYNC_LOGS, "outcome" => status.as_str()).increment(0);
    }
    for op in ["put", "get", "delete"] {
        counter!(BLOB_ERRORS, "op" => op).increment(0);
    }
}

#[derive(Clone)]
struct Scrape {
    handle: PrometheusHandle,
    store: Arc<dyn Store>,
}

/// `GET /metrics` in the Prometheus text format; every other path is 404.
pub fn router(handle: PrometheusHandle, store: Arc<dyn Store>) -> Router {
    Router::new()
        .route("/metrics", get(scrape))
        .with_state(Scrape { handle, store })
}

async fn scrape(State(s): State<Scrape>) -> impl IntoResponse {
    // The pool is read when asked rather than on every change.
    let pool = s.store.pool_status();
    let in_use = f64::from(pool.in_use);
    let idle = f64::from(pool.size.saturating_sub(pool.in_use));
    ::metrics::gauge!(DB_POOL_CONNECTIONS, "state" => "in_use").set(in_use);
    ::metrics::gauge!(DB_POOL_CONNECTIONS, "state" => "idle").set(idle);
    ::metrics::gauge!(DB_POOL_MAX).set(f64::from(pool.max));
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        s.handle.render(),
    )
}

/// A tracing layer that turns the stores' acquire events into
/// [`DB_POOL_WAIT`] (see `stint_store::pool` for why events). Its own
/// filter takes only those targets, whatever `STINT_LOG` lets through to
/// the log.
pub fn pool_wait_layer<S>() -> impl Layer<S>
where
    S: tracing::Subscriber + for<'a> tracing_subscriber::registry::LookupSpan<'a>,
{
    let targets = ACQUIRE_TARGETS.iter().fold(Targets::new(), |t, target| {
        t.with_target(*target, tracing::Level::TRACE)
    });
    PoolWait.with_filter(targets)
}

struct PoolWait;

impl<S: tracing::Subscriber> Layer<S> for PoolWait {
    fn on_event(&self, event: &tracing::Event<'_>, _: tracing_subscriber::layer::Context<'_, S>) {
        let mut wait = Wait(None);
        event.record(&mut wait);
        if let Some(secs) = wait.0 {
            ::metrics::histogram!(DB_POOL_WAIT).record(secs);
        }
    }
}

struct Wait(Option<f64>);

impl Visit for Wait {
    fn record_f64(&mut self, field: &Field, value: f64) {
        if field.name() == ACQUIRE_FIELD {
            self.0 = Some(value);
        }
    }

    fn record_debug(&mut self, _: &Field, _: &dyn std::fmt::Debug) {}
}

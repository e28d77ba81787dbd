//! `stint serve --metrics-listen ADDR`: Prometheus text at `/metrics` on a
//! listener of its own. A story of sign-ins, a sync and its replay and two
//! kinds of 404, then one scrape whose series, labels and counts must say
//! exactly that; the API's port has no `/metrics`.

#[macro_use]
mod util;

use serde_json::Value;
use util::*;

const SYNC: &str = "/api/timesheet/time-log/sync";

/// The sum of the samples of `name` whose labels include all of `labels`
/// (`None` when there is no such sample). Enough of the text format for
/// what the server writes: `name{k="v",...} value` or `name value`.
fn sample(text: &str, name: &str, labels: &[(&str, &str)]) -> Option<f64> {
    let mut found = None;
    for line in text.lines().filter(|l| !l.starts_with('#')) {
        let Some((series, value)) = line.rsplit_once(' ') else {
            continue;
        };
        let (metric, tags) = match series.split_once('{') {
            Some((m, rest)) => (m, rest.trim_end_matches('}')),
            None => (series, ""),
        };
        let pairs: Vec<(&str, &str)> = tags
            .split("\",")
            .filter_map(|kv| kv.split_once("=\""))
            .map(|(k, v)| (k, v.trim_end_matches('"')))
            .collect();
        if metric == name && labels.iter().all(|l| pairs.contains(l)) {
            let v: f64 = value.parse().unwrap_or_else(|_| panic!("value of {line}"));
            *found.get_or_insert(0.0) += v;
        }
    }
    found
}

/// `GET /metrics` on the metrics listener: its text.
async fn scrape(server: &Server) -> String {
    let base = server.metrics.as_deref().expect("a `metrics on` line");
    let res = reqwest::get(format!("{base}/metrics"))
        .await
        .expect("the metrics listener answers");
    assert_eq!(res.status(), 200);
    let kind = res.headers()["content-type"].to_str().unwrap().to_string();
    assert!(kind.starts_with("text/plain"), "{kind}");
    res.text().await.expect("a body")
}

fn new_log() -> Value {
    json!({
        "id": uuid::Uuid::now_v7().to_string(),
        "startedAt": "2024-01-15T09:00:00.000Z",
        "stoppedAt": "2024-01-15T10:00:00.000Z",
        "logType": "TRACKED",
        "source": "DESKTOP",
        "version": 1,
    })
}

both!(a_scrape_counts_what_the_server_did, |backend| async move {
    let server = Server::start_with(backend, &["--metrics-listen", "127.0.0.1:0"]).await;
    let metrics = server.metrics.clone().expect("printed `metrics on`");
    assert!(metrics.starts_with("http://127.0.0.1:"), "{metrics}");
    assert_ne!(metrics, server.base, "a listener of its own");

    // Sign-ins: one good, ten wrong (the budget), one throttled.
    server.user(OMAR, &[]).await;
    let omar = server.login(OMAR, PASSWORD).await;
    let wrong = json!({ "email": OMAR, "password": "not-it" });
    for _ in 0..10 {
        let (status, body) = server.anon().post("/api/auth/login", wrong.clone()).await;
        assert_eq!(status, 401, "{body}");
    }
    let (status, body) = server.anon().post("/api/auth/login", wrong).await;
    assert_eq!(status, 429, "{body}");

    // A sync with a new log, then its replay.
    let batch = json!({ "timeLogs": [new_log()] });
    for expected in ["created", "unchanged"] {
        let (status, body) = omar.post(SYNC, batch.clone()).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["timeLogs"][0]["status"], expected, "{body}");
    }

    // A route's 404 (no such log) and a path no route takes.
    let missing = uuid::Uuid::new_v4().to_string();
    let (status, _) = omar
        .get(&format!("/api/timesheet/time-log/{missing}"))
        .await;
    assert_eq!(status, 404);
    let (status, _) = server.anon().get(&format!("/no/such/{missing}")).await;
    assert_eq!(status, 404);

    // The API's port does not serve the metrics.
    let (status, _) = server.anon().get("/metrics").await;
    assert_eq!(status, 404);

    let text = scrape(&server).await;
    let count = |name: &str, labels: &[(&str, &str)]| {
        sample(&text, name, labels).unwrap_or_else(|| panic!("no {name} {labels:?} in:\n{text}"))
    };
    let sign_ins = "stint_sign_ins_total";
    assert_eq!(count(sign_ins, &[("result", "ok")]), 1.0);
    assert_eq!(count(sign_ins, &[("result", "failed")]), 10.0);
    assert_eq!(count(sign_ins, &[("result", "throttled")]), 1.0);
    assert_eq!(count(sign_ins, &[("result", "error")]), 0.0);

    let synced = "stint_sync_logs_total";
    assert_eq!(count(synced, &[("outcome", "created")]), 1.0);
    assert_eq!(count(synced, &[("outcome", "unchanged")]), 1.0);
    assert_eq!(count(synced, &[("outcome", "failed")]), 0.0);

    // Requests by route template and status, never by raw URL.
    let requests = "stint_http_requests_total";
    let sync = [("method", "POST"), ("route", SYNC), ("status", "200")];
    assert_eq!(count(requests, &sync), 2.0);
    let log_404 = [
        ("method", "GET"),
        ("route", "/api/timesheet/time-log/{id}"),
        ("status", "404"),
    ];
    assert_eq!(count(requests, &log_404), 1.0);
    let login = [("route", "/api/auth/login")];
    assert_eq!(count(requests, &login), 12.0);
    assert_eq!(
        count(requests, &[("route", "/api/auth/login"), ("status", "429")]),
        1.0
    );
    // Unknown paths share one series: the API's /metrics and /no/such/...
    assert_eq!(
        count(requests, &[("route", "unmatched"), ("status", "404")]),
        2.0
    );
    assert!(!text.contains(&missing), "a raw id became a label:\n{text}");
    let latency = "stint_http_request_duration_seconds";
    assert_eq!(count(&format!("{latency}_count"), &sync), 2.0);
    let all = [("le", "+Inf")];
    assert_eq!(
        count(
            &format!("{latency}_bucket"),
            &[sync.as_slice(), &all].concat()
        ),
        2.0
    );
    assert!(count(&format!("{latency}_sum"), &sync) > 0.0);

    // The database pool, as each backend has it.
    let max = count("stint_db_pool_max_connections", &[]);
    let open = count("stint_db_pool_connections", &[]);
    match backend {
        Backend::Sqlite => {
            assert_eq!(max, 1.0);
            assert_eq!(open, 1.0);
        }
        Backend::Postgres => {
            assert_eq!(max, 16.0);
            assert!((1.0..=16.0).contains(&open), "{open} connections");
        }
    }
    let waits = count("stint_db_pool_acquire_wait_seconds_count", &[]);
    assert!(waits >= 10.0, "{waits} store calls timed");

    // No blob store operation failed; the series are there to alert on.
    assert_eq!(count("stint_blob_errors_total", &[]), 0.0);
    assert!(sample(&text, "stint_blob_errors_total", &[("op", "put")]).is_some());
});

both!(the_blob_store_errors_are_counted, |backend| async move {
    let server = Server::start_with(backend, &["--metrics-listen", "127.0.0.1:0"]).await;
    // The blob store's directory replaced by a file: /readyz's probe
    // cannot store its object.
    let blobs = server.data_dir().join("blobs");
    let _ = std::fs::remove_dir_all(&blobs);
    std::fs::write(&blobs, b"not a directory").expect("write");
    let res = reqwest::get(format!("{}/readyz", server.base))
        .await
        .expect("an answer");
    assert_eq!(res.status(), 503);
    let text = scrape(&server).await;
    assert_eq!(
        sample(&text, "stint_blob_errors_total", &[("op", "put")]),
        Some(1.0)
    );
});

#[tokio::test]
async fn without_the_flag_there_is_no_metrics_listener() {
    let server = Server::start(Backend::Sqlite).await;
    assert_eq!(server.metrics, None);
    let (status, _) = server.anon().get("/metrics").await;
    assert_eq!(status, 404);
}

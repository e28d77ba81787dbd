//! `/readyz` answers 200 only while the database and the blob store answer;
//! `/healthz` stays a liveness check that needs neither.

#[macro_use]
mod util;

use util::*;

/// A plain GET: the harness's client fails a test on any 5xx, and here a
/// 503 is the answer wanted.
async fn get(server: &Server, path: &str) -> (u16, String) {
    let res = reqwest::get(format!("{}{path}", server.base))
        .await
        .expect("an answer");
    let status = res.status().as_u16();
    (status, res.text().await.expect("a body"))
}

both!(
    ready_only_while_the_blob_store_answers,
    |backend| async move {
        let server = Server::start(backend).await;
        assert_eq!(get(&server, "/readyz").await, (200, "ready".into()));

        // The blob store's directory replaced by a file: nothing can be stored.
        let blobs = server.data_dir().join("blobs");
        let _ = std::fs::remove_dir_all(&blobs);
        std::fs::write(&blobs, b"not a directory").expect("write");
        let (status, body) = get(&server, "/readyz").await;
        assert_eq!(status, 503, "{body}");
        assert!(body.contains("blob store"), "{body}");
        assert_eq!(get(&server, "/healthz").await, (200, "ok".into()));

        std::fs::remove_file(&blobs).expect("remove");
        std::fs::create_dir(&blobs).expect("mkdir");
        assert_eq!(get(&server, "/readyz").await, (200, "ready".into()));
    }
);

both!(not_ready_once_it_begins_to_stop, |backend| async move {
    let mut server = Server::start_with(backend, &["--drain-delay", "30s"]).await;
    assert_eq!(get(&server, "/readyz").await, (200, "ready".into()));
    server.user(OMAR, &[]).await;

    server.terminate();
    // The signal is handled by the server's runtime, a moment later.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    let body = loop {
        let (status, body) = get(&server, "/readyz").await;
        if status == 503 {
            break body;
        }
        assert_eq!(status, 200, "{body}");
        assert!(std::time::Instant::now() < deadline, "/readyz stayed 200");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    };
    assert!(body.contains("stopping"), "{body}");

    // Still serving while the load balancer takes it out: new connections
    // are accepted and answered.
    assert_eq!(get(&server, "/healthz").await, (200, "ok".into()));
    let omar = server.login(OMAR, PASSWORD).await;
    let (status, body) = omar.get("/api/timesheet/time-log").await;
    assert_eq!(status, 200, "{body}");

    // A second signal stops it now rather than after the 30 s.
    server.terminate();
    let exited = server.exited_within(std::time::Duration::from_secs(15));
    assert!(exited.is_some_and(|s| s.success()), "{exited:?}");
});

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

//! The desktop app keeps the data directory it shares with `stint track`
//! private: opening a directory an older version left readable corrects it,
//! and "this computer only" adds the embedded server's database and blobs,
//! private too.
#![cfg(unix)]

mod common;

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .permissions()
        .mode()
        & 0o777
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_app_keeps_its_data_directory_private() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let data = tmp.path().join("stint");
    std::fs::create_dir(&data).expect("mkdir");
    std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o755)).expect("chmod");

    let (app, _notices) = common::open(&data).await;
    assert_eq!(mode(&data), 0o700);
    assert_eq!(mode(&data.join("outbox.db")), 0o600);

    app.use_this_computer_only()
        .await
        .expect("this computer only");
    assert_eq!(mode(&data.join("stint.db")), 0o600);
    assert_eq!(mode(&data.join("blobs")), 0o700);
    // Both databases are open, so SQLite's -wal and -shm are there.
    for f in [
        "outbox.db-wal",
        "outbox.db-shm",
        "stint.db-wal",
        "stint.db-shm",
    ] {
        assert_eq!(mode(&data.join(f)), 0o600, "{f}");
    }
}

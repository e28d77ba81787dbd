//! Another user of the same computer reads nothing of Stint's: the data
//! directory is 0700 and the tokens, the embedded server's password, the
//! JWT secret, password hashes and screenshots in it are 0600 — when the
//! real binary creates them, and after it opens an install an older version
//! left readable (`stint login --embedded`, `status`, `sync`, `serve`).
#![cfg(unix)]

#[path = "util/desktop.rs"]
mod desktop;
#[macro_use]
mod util;

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;

use reqwest::Method;
use reqwest::multipart::{Form, Part};
use serde_json::json;

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .permissions()
        .mode()
        & 0o777
}

/// `root` and every directory and file below it.
fn walk(root: &Path) -> Vec<PathBuf> {
    let mut all = vec![root.to_path_buf()];
    if root.is_dir() {
        for entry in std::fs::read_dir(root).expect("read dir") {
            all.extend(walk(&entry.expect("entry").path()));
        }
    }
    all
}

/// Fails listing whatever under `root` group or others may use.
fn assert_private(root: &Path) {
    let open: Vec<String> = walk(root)
        .iter()
        .filter(|p| mode(p) & 0o077 != 0)
        .map(|p| format!("{} {:o}", p.display(), mode(p)))
        .collect();
    assert!(open.is_empty(), "readable by others: {open:#?}");
}

/// What an older version left: directories 0755, files 0644.
fn loosen(root: &Path) {
    for p in walk(root) {
        let m = if p.is_dir() { 0o755 } else { 0o644 };
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(m)).expect("chmod");
    }
}

/// Runs `stint ARGS --data-dir DIR`, which must succeed.
fn stint(dir: &Path, args: &[&str]) -> String {
    let out = Command::new(util::stint_bin())
        .args(args)
        .arg("--data-dir")
        .arg(dir)
        .env_remove("STINT_DATA_DIR")
        .env_remove("STINT_DATABASE_URL")
        .output()
        .expect("run stint");
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert!(out.status.success(), "stint {args:?}:\n{stdout}\n{stderr}");
    stdout.into_owned()
}

#[test]
fn an_embedded_sign_in_keeps_its_data_private() {
    let tmp = tempfile::tempdir().expect("temp dir");
    // Not there yet: stint creates it.
    let data = tmp.path().join("stint");
    stint(&data, &["login", "--embedded"]);
    assert_eq!(mode(&data), 0o700);
    for f in ["outbox.db", "stint.db"] {
        assert_eq!(mode(&data.join(f)), 0o600, "{f}");
    }
    assert_eq!(mode(&data.join("blobs")), 0o700);
    assert_private(&data);
}

#[test]
fn an_install_left_readable_is_corrected_on_the_next_open() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let data = tmp.path().join("stint");
    stint(&data, &["login", "--embedded"]);
    loosen(&data);

    // The tracker alone: its directory and outbox.
    let out = stint(&data, &["status"]);
    assert!(out.contains("on this computer only"), "{out}");
    assert_eq!(mode(&data), 0o700);
    assert_eq!(mode(&data.join("outbox.db")), 0o600);

    // With the embedded server: its database and screenshots too.
    stint(&data, &["sync"]);
    assert_private(&data);
}

#[tokio::test]
async fn serve_keeps_its_database_and_screenshots_private() {
    let mut server = desktop::Restartable::start();
    server.admin(&[
        "user",
        "add",
        "--email",
        "eve@acme.test",
        "--name",
        "Eve",
        "--password",
        util::PASSWORD,
    ]);
    let anon = util::Api::new(&server.url(), None);
    let (status, body) = anon
        .post(
            "/api/auth/login",
            json!({"email": "eve@acme.test", "password": util::PASSWORD}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    upload_screenshot(&anon.with_token(body["token"].as_str())).await;

    // While it runs: the database with its -wal and -shm, and the blobs.
    let data = server.dir.path().to_path_buf();
    for f in ["stint.db", "stint.db-wal", "stint.db-shm"] {
        assert_eq!(mode(&data.join(f)), 0o600, "{f}");
    }
    let blobs = walk(&data.join("blobs"));
    assert!(blobs.iter().any(|p| p.is_file()), "no blob in {blobs:?}");
    assert_private(&data);

    // Killed, it leaves its -wal and -shm; an older version left all of it
    // readable; the next start corrects everything.
    server.stop();
    assert!(data.join("stint.db-wal").exists());
    loosen(&data);
    server.restart();
    assert_eq!(mode(&data), 0o700);
    for f in ["stint.db", "stint.db-wal", "stint.db-shm"] {
        assert_eq!(mode(&data.join(f)), 0o600, "{f}");
    }
    assert_eq!(mode(&data.join("blobs")), 0o700);
}

/// Uploads a small screenshot as `who`.
async fn upload_screenshot(who: &util::Api) {
    let png = Part::bytes(util::png(64, 48))
        .file_name("screenshot.png")
        .mime_str("image/png")
        .expect("mime");
    let (status, body) = who
        .send(
            who.request(Method::POST, "/api/timesheet/screenshot")
                .multipart(Form::new().part("file", png)),
        )
        .await;
    assert_eq!(status, 201, "{body}");
}

both!(
    screenshots_are_private_whatever_the_database,
    |backend| async move {
        let server = util::Server::start(backend).await;
        server.user("eve@acme.test", &[]).await;
        let eve = server.login("eve@acme.test", util::PASSWORD).await;
        upload_screenshot(&eve.api).await;
        let blobs = server.data_dir().join("blobs");
        assert!(walk(&blobs).iter().any(|p| p.is_file()), "no blob");
        assert_private(&blobs);
    }
);

//! `stint serve --blobs s3://BUCKET/PREFIX`: screenshots in S3-compatible
//! object storage (moto's server from PyPI, on loopback, installed by
//! `scripts/ensure-moto.sh`). Two replicas on one database and one bucket
//! serve each other's images, nothing lands on their disks, a deletion
//! removes the objects, and a bad `--blobs` stops the server at start.

#[macro_use]
mod util;

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use util::*;

const SHOTS: &str = "/api/timesheet/screenshot";
const BUCKET: &str = "stint-shots";
const PREFIX: &str = "acme/prod";

/// moto's S3 server on a free loopback port, killed when dropped.
struct Moto {
    child: Child,
    endpoint: String,
}

impl Moto {
    async fn start() -> Moto {
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/ensure-moto.sh");
        let out = Command::new("bash")
            .arg(script)
            .output()
            .expect("run ensure-moto.sh");
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "ensure-moto.sh failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let server = stdout.lines().last().expect("moto_server path").trim();
        // A port the kernel just handed out and we let go: free unless
        // someone takes it in the next instant.
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let child = Command::new(server)
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start moto_server");
        let moto = Moto {
            child,
            endpoint: format!("http://127.0.0.1:{port}"),
        };
        for _ in 0..300 {
            if reqwest::get(&moto.endpoint).await.is_ok() {
                return moto;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("moto_server did not answer on {}", moto.endpoint);
    }

    /// The variables `stint serve` reads its object store from.
    fn env(&self) -> Vec<(&'static str, String)> {
        vec![
            ("AWS_ENDPOINT", self.endpoint.clone()),
            ("AWS_ALLOW_HTTP", "true".into()),
            ("AWS_ACCESS_KEY_ID", "stint-test".into()),
            ("AWS_SECRET_ACCESS_KEY", "stint-test-secret".into()),
            ("AWS_REGION", "us-east-1".into()),
        ]
    }

    /// moto takes unsigned requests: its REST API stands in for an
    /// operator's S3 console.
    async fn create_bucket(&self, bucket: &str) {
        let client = reqwest::Client::new();
        let res = client
            .put(format!("{}/{bucket}", self.endpoint))
            .send()
            .await
            .expect("create bucket");
        assert!(res.status().is_success(), "create bucket: {}", res.status());
    }

    /// The keys of the bucket's objects under `prefix`.
    async fn keys(&self, bucket: &str, prefix: &str) -> Vec<String> {
        let url = format!("{}/{bucket}?list-type=2&prefix={prefix}", self.endpoint);
        let xml = reqwest::get(url).await.expect("list").text().await.unwrap();
        xml.split("<Key>")
            .skip(1)
            .filter_map(|s| s.split("</Key>").next())
            .map(str::to_string)
            .collect()
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// GETs an image: status and bytes.
async fn get(who: &Session, path: &str) -> (u16, Vec<u8>) {
    let (status, bytes) = who
        .send_bytes(who.request(reqwest::Method::GET, path))
        .await;
    (status.as_u16(), bytes)
}

/// Every file below `dir` (recursively).
fn files(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(files(&p));
        } else {
            out.push(p);
        }
    }
    out
}

both!(
    replicas_share_screenshots_through_one_bucket,
    |backend| async move {
        let moto = Moto::start().await;
        moto.create_bucket(BUCKET).await;
        let blobs = format!("s3://{BUCKET}/{PREFIX}/");
        let a = Server::start_env(backend, &["--blobs", &blobs], &moto.env()).await;
        // The second replica reads the same setting from its variable.
        let mut env_b = moto.env();
        env_b.push(("STINT_BLOBS", blobs.clone()));
        let b = a.replica(&[], &env_b).await;
        a.user(OMAR, &[]).await;
        a.user(JANE, &[]).await;
        let omar_a = a.login(OMAR, PASSWORD).await;
        let omar_b = b.login(OMAR, PASSWORD).await;
        let jane_b = b.login(JANE, PASSWORD).await;

        let png = png(640, 360);
        let (status, shot) = omar_a.upload_shot(png_form(png.clone())).await;
        assert_eq!(status, 201, "{shot}");
        let file = shot["file"].as_str().unwrap().to_string();
        let thumb = shot["thumb"].as_str().unwrap().to_string();

        // The other replica serves both, to the owner only.
        let (status, bytes) = get(&omar_b, &file).await;
        assert_eq!((status, bytes == png), (200, true));
        let (status, bytes) = get(&omar_b, &thumb).await;
        assert_eq!(status, 200);
        assert_eq!(image::load_from_memory(&bytes).unwrap().width(), 320);
        assert_eq!(get(&jane_b, &file).await.0, 403);

        // Two objects under the prefix, none on either replica's disk.
        let keys = moto.keys(BUCKET, PREFIX).await;
        assert_eq!(keys.len(), 2, "{keys:?}");
        assert!(keys.iter().all(|k| k.starts_with("acme/prod/screenshots/")));
        for server in [&a, &b] {
            let blobs = files(&server.data_dir().join("blobs"));
            assert!(blobs.is_empty(), "files on local disk: {blobs:?}");
        }
        let (status, body) = b
            .anon()
            .send(b.anon().request(reqwest::Method::GET, "/readyz"))
            .await;
        assert_eq!(status, 200, "{body}");

        // Deleted through one replica: the objects are gone, and the other
        // replica no longer serves the image.
        let id = shot["id"].as_str().unwrap();
        let (status, body) = omar_b.delete(&format!("{SHOTS}/{id}")).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(moto.keys(BUCKET, PREFIX).await, Vec::<String>::new());
        assert_eq!(get(&omar_a, &file).await.0, 404);
        drop(b);
    }
);

/// A `--blobs` that is not `s3://BUCKET[/PREFIX]` stops `stint serve` at
/// once with a message saying what was expected (exit code 2, no panic).
#[test]
fn a_bad_blobs_url_is_a_startup_error() {
    let dir = tempfile::tempdir().unwrap();
    for (how, value) in [
        ("flag", "gs://bucket/prefix"),
        ("flag", "s3://"),
        ("flag", "/var/lib/stint/blobs"),
        ("env", "ftp://bucket"),
    ] {
        let mut cmd = stint();
        cmd.args(["serve", "--listen", "127.0.0.1:0", "--data-dir"])
            .arg(dir.path());
        if how == "flag" {
            cmd.args(["--blobs", value]);
        } else {
            cmd.env("STINT_BLOBS", value);
        }
        let out = cmd.stdin(Stdio::null()).output().expect("run stint serve");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{value}: {err}");
        assert!(err.contains("s3://BUCKET"), "{value}: {err}");
        assert!(!err.contains("panicked"), "{value}: {err}");
    }
}

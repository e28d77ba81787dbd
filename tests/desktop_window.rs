//! The real desktop app in a real X server: the built `stint-app` starts
//! against its embedded server (signed in with `stint login --embedded` on
//! the same data directory, as a person who used the CLI first would be),
//! its window renders, and Start / Stop typed on the keyboard create and
//! end a running log that the server's API shows.

#[path = "util/desktop.rs"]
mod desktop;
#[allow(unused_macros)]
mod util;

use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

use desktop::{Display, Tracker};
use serde_json::{Value, json};
use x11rb::protocol::xproto::{ConnectionExt, ImageFormat};

/// The app binary beside this test's (built by the workspace's test build);
/// built on demand when only this package's tests were compiled.
fn app_bin() -> PathBuf {
    let exe = std::env::current_exe().expect("test exe");
    let dir = exe.parent().and_then(|d| d.parent()).expect("target dir");
    let bin = dir.join("stint-app");
    if !bin.exists() {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let ok = Command::new(cargo)
            .args(["build", "-p", "stint-app"])
            .status()
            .is_ok_and(|s| s.success());
        assert!(ok, "cargo build -p stint-app failed");
    }
    bin
}

fn xdotool(display: &str, args: &[&str]) -> String {
    let out = Command::new("xdotool")
        .args(args)
        .env("DISPLAY", display)
        .output()
        .expect("xdotool");
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// How many distinct colours the window shows: a blank or unpainted
/// webview has one or two.
fn colours(display: &str, window: u32) -> usize {
    let Ok((conn, _)) = x11rb::connect(Some(display)) else {
        return 0;
    };
    let Ok(Ok(geo)) = conn.get_geometry(window).map(|c| c.reply()) else {
        return 0;
    };
    let image = conn
        .get_image(
            ImageFormat::Z_PIXMAP,
            window,
            0,
            0,
            geo.width,
            geo.height,
            !0,
        )
        .ok()
        .and_then(|c| c.reply().ok());
    let Some(image) = image else { return 0 };
    let mut seen = std::collections::HashSet::new();
    let mut rgba = Vec::with_capacity(image.data.len());
    for px in image.data.chunks_exact(4) {
        seen.insert((px[0], px[1], px[2]));
        rgba.extend_from_slice(&[px[2], px[1], px[0], 255]);
    }
    // Kept for a person to look at when the test fails.
    if let Some(img) = image::RgbaImage::from_raw(geo.width.into(), geo.height.into(), rgba) {
        let _ = img.save(std::env::temp_dir().join("stint-desktop-window.png"));
    }
    seen.len()
}

fn wait<T>(secs: u64, what: &str, log: impl Fn() -> String, mut f: impl FnMut() -> Option<T>) -> T {
    let end = Instant::now() + Duration::from_secs(secs);
    while Instant::now() < end {
        if let Some(v) = f() {
            return v;
        }
        std::thread::sleep(Duration::from_millis(250));
    }
    panic!(
        "{what} did not happen in {secs} s; the app said:\n{}",
        log()
    );
}

async fn server_logs(url: &str, password: &str) -> Vec<Value> {
    let http = reqwest::Client::new();
    let login: Value = http
        .post(format!("{url}/api/auth/login"))
        .json(&json!({ "email": "me@localhost", "password": password }))
        .send()
        .await
        .expect("login")
        .json()
        .await
        .expect("login body");
    let token = login["token"].as_str().unwrap_or_default().to_string();
    let page: Value = http
        .get(format!("{url}/api/timesheet/time-log"))
        .bearer_auth(token)
        .send()
        .await
        .expect("list")
        .json()
        .await
        .expect("list body");
    page["items"].as_array().cloned().unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_window_renders_and_start_stop_reach_the_embedded_server() {
    let Some(x) = Display::start() else { return };
    let dir = tempfile::tempdir().unwrap();
    let mut app = Tracker::new(dir.path());
    let login = app.cmd(&["login", "--embedded"]);
    assert!(login.status.success(), "{login:?}");

    // No session bus here: single-instance and notifications step aside.
    let mut cmd = Command::new(app_bin());
    cmd.env("DISPLAY", &x.name)
        .env("STINT_DATA_DIR", dir.path())
        .env("RUST_LOG", "info")
        // Software rendering: no GPU here.
        .env("WEBKIT_DISABLE_DMABUF_RENDERER", "1")
        .env("WEBKIT_DISABLE_COMPOSITING_MODE", "1")
        .env("LIBGL_ALWAYS_SOFTWARE", "1")
        .env_remove("WAYLAND_DISPLAY");
    app.spawn(cmd);
    let log = || app.output();

    let window: u32 = wait(90, "the Stint window", log, || {
        xdotool(&x.name, &["search", "--onlyvisible", "--name", "^Stint$"])
            .lines()
            .next()
            .and_then(|w| w.parse().ok())
    });
    // The page paints: more than a handful of colours (text, buttons).
    let shown = wait(90, "the window painting", log, || {
        let n = colours(&x.name, window);
        (n > 20).then_some(n)
    });
    assert!(shown > 20);
    let url: String = wait(30, "the embedded server", log, || {
        let out = app.output();
        let at = out.find("http://127.0.0.1:")?;
        let rest = &out[at..];
        let end = rest.find(|c: char| !(c.is_ascii_alphanumeric() || ":/.".contains(c)))?;
        Some(rest[..end].to_string())
    });
    let password = {
        let o = stint_agent::outbox::Outbox::open(&dir.path().join("outbox.db")).unwrap();
        o.get("embedded_password")
            .unwrap()
            .expect("embedded password")
    };

    // The description has the focus when the window opens: type, Enter.
    xdotool(&x.name, &["windowfocus", "--sync", &window.to_string()]);
    std::thread::sleep(Duration::from_millis(500));
    xdotool(&x.name, &["type", "--delay", "40", "Window test"]);
    xdotool(&x.name, &["key", "Return"]);
    let deadline = Instant::now() + Duration::from_secs(60);
    let running = loop {
        let logs = server_logs(&url, &password).await;
        if let Some(l) = logs.iter().find(|l| l["isRunning"] == true) {
            break l.clone();
        }
        assert!(
            Instant::now() < deadline,
            "no running log on the server:\n{}",
            app.output()
        );
        tokio::time::sleep(Duration::from_millis(500)).await;
    };
    assert_eq!(running["description"], "Window test", "{running}");
    assert_eq!(running["source"], "DESKTOP");

    // Stop has the focus now: Enter stops.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    xdotool(&x.name, &["key", "Return"]);
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let logs = server_logs(&url, &password).await;
        let this = logs.iter().find(|l| l["id"] == running["id"]).cloned();
        if this.as_ref().is_some_and(|l| l["stoppedAt"].is_string()) {
            let l = this.unwrap();
            assert!(l["duration"].as_i64().unwrap_or(0) >= 1, "{l}");
            assert_eq!(logs.len(), 1, "one log, not duplicated: {logs:#?}");
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the log never stopped:\n{}",
            app.output()
        );
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
}

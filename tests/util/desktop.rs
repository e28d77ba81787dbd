//! A real X server (Xvfb) with scripted input (xdotool), and a `stint serve`
//! that can be stopped and started again on the same port, for the
//! tracker's end-to-end stories.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// An Xvfb display, killed on drop. `None` when Xvfb is not installed
/// (outside CI only: under `CI=true` that fails the test).
pub struct Display {
    child: Child,
    pub name: String,
}

impl Display {
    pub fn start() -> Option<Display> {
        let have = Command::new("sh")
            .args(["-c", "command -v Xvfb && command -v xdotool"])
            .output();
        if !have.is_ok_and(|o| o.status.success()) {
            if std::env::var("CI").as_deref() == Ok("true") {
                panic!("Xvfb and xdotool are required under CI (make setup installs them)");
            }
            eprintln!("skipping: Xvfb/xdotool not installed (make setup installs them)");
            return None;
        }
        // Parallel tests each take a free display number; a taken one makes
        // Xvfb exit at once, and we try the next.
        let first = 100 + (std::process::id() % 400);
        for n in first..first + 100 {
            if Path::new(&format!("/tmp/.X{n}-lock")).exists() {
                continue;
            }
            let mut child = Command::new("Xvfb")
                .args([
                    format!(":{n}").as_str(),
                    "-screen",
                    "0",
                    "1280x800x24",
                    "-nolisten",
                    "tcp",
                ])
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("start Xvfb");
            let socket = format!("/tmp/.X11-unix/X{n}");
            for _ in 0..100 {
                if let Ok(Some(_)) = child.try_wait() {
                    break;
                }
                if Path::new(&socket).exists() {
                    return Some(Display {
                        child,
                        name: format!(":{n}"),
                    });
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            let _ = child.kill();
            let _ = child.wait();
        }
        panic!("could not start Xvfb on any display");
    }

    /// Moves the pointer: real input the X server counts.
    pub fn move_mouse(&self, x: u32, y: u32) {
        let ok = Command::new("xdotool")
            .args(["mousemove", &x.to_string(), &y.to_string()])
            .env("DISPLAY", &self.name)
            .status()
            .is_ok_and(|s| s.success());
        assert!(ok, "xdotool mousemove failed");
    }
}

impl Display {
    /// Turns the X screensaver on, as a screen locker does (the X server
    /// reports it to every client until the next input).
    pub fn lock_screen(&self) {
        use x11rb::protocol::xproto::{ConnectionExt as _, ScreenSaver};
        let (conn, _) = x11rb::connect(Some(&self.name)).expect("connect to Xvfb");
        conn.force_screen_saver(ScreenSaver::ACTIVE)
            .expect("send ForceScreenSaver")
            .check()
            .expect("force the screensaver on");
    }
}

impl Tracker {
    /// Keeps the screen locked, as a screen locker does, until the tracker
    /// says `text` (at most 10 s): a late input event (an xdotool move
    /// still queued) can switch a saver forced once off again at once.
    pub fn locked_until(&self, x: &Display, text: &str) {
        let end = std::time::Instant::now() + Duration::from_secs(10);
        while !self.output().contains(text) && std::time::Instant::now() < end {
            x.lock_screen();
            std::thread::sleep(Duration::from_millis(300));
        }
    }
}

/// A window in front, as a window manager would say (`_NET_ACTIVE_WINDOW`
/// on the root), with an application class and a title; gone when dropped.
pub struct Front {
    _conn: x11rb::rust_connection::RustConnection,
}

impl Display {
    pub fn front_window(&self, class: &str, title: &str) -> Front {
        use x11rb::connection::Connection as _;
        use x11rb::protocol::xproto::{
            AtomEnum, ConnectionExt as _, CreateWindowAux, PropMode, WindowClass,
        };
        use x11rb::wrapper::ConnectionExt as _;
        let (conn, screen) = x11rb::connect(Some(&self.name)).expect("connect to Xvfb");
        let root = conn.setup().roots[screen].root;
        let w = conn.generate_id().expect("a window id");
        conn.create_window(
            x11rb::COPY_DEPTH_FROM_PARENT,
            w,
            root,
            0,
            0,
            200,
            100,
            0,
            WindowClass::INPUT_OUTPUT,
            0,
            &CreateWindowAux::new(),
        )
        .expect("send CreateWindow")
        .check()
        .expect("create a window");
        let class = format!("{}\0{class}\0", class.to_lowercase());
        let set = |prop: AtomEnum, value: &[u8]| {
            conn.change_property8(PropMode::REPLACE, w, prop, AtomEnum::STRING, value)
                .expect("send ChangeProperty")
                .check()
                .expect("set a window property");
        };
        set(AtomEnum::WM_CLASS, class.as_bytes());
        set(AtomEnum::WM_NAME, title.as_bytes());
        conn.map_window(w).expect("map the window");
        let active = conn
            .intern_atom(false, b"_NET_ACTIVE_WINDOW")
            .expect("send InternAtom")
            .reply()
            .expect("_NET_ACTIVE_WINDOW")
            .atom;
        conn.change_property32(PropMode::REPLACE, root, active, AtomEnum::WINDOW, &[w])
            .expect("send ChangeProperty")
            .check()
            .expect("make the window the active one");
        Front { _conn: conn }
    }
}

/// A server with one employee (and these projects), a tracker signed in as
/// them, and their own API client: where every tracker story starts.
pub async fn signed_in(
    email: &str,
    password: &str,
    projects: &[&str],
) -> (Restartable, Tracker, tempfile::TempDir, crate::util::Api) {
    let server = Restartable::start();
    server.admin(&[
        "user",
        "add",
        "--email",
        email,
        "--name",
        email,
        "--password",
        password,
    ]);
    for p in projects {
        server.admin(&["project", "add", "--name", p]);
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let tracker = Tracker::new(dir.path());
    let url = server.url();
    let out = tracker.cmd(&[
        "login",
        "--server",
        &url,
        "--email",
        email,
        "--password",
        password,
    ]);
    assert!(
        out.status.success(),
        "login: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (_, body) = crate::util::Api::new(&url, None)
        .post(
            "/api/auth/login",
            serde_json::json!({"email": email, "password": password}),
        )
        .await;
    let token = body["token"].as_str().map(str::to_string);
    (server, tracker, dir, crate::util::Api::new(&url, token))
}

/// Moves the mouse every 300 ms until dropped: someone at work.
pub struct Working {
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Display {
    pub fn keep_moving(&self) -> Working {
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let (flag, display) = (stop.clone(), self.name.clone());
        let thread = std::thread::spawn(move || {
            let mut i = 0u32;
            while !flag.load(std::sync::atomic::Ordering::Relaxed) {
                i += 1;
                let _ = Command::new("xdotool")
                    .args(["mousemove", &(100 + i % 50).to_string(), "100"])
                    .env("DISPLAY", &display)
                    .status();
                std::thread::sleep(Duration::from_millis(300));
            }
        });
        Working {
            stop,
            thread: Some(thread),
        }
    }
}

impl Drop for Working {
    fn drop(&mut self) {
        self.stop.store(true, std::sync::atomic::Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Drop for Display {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A SQLite `stint serve` that can go down and come back on the same port.
pub struct Restartable {
    pub dir: tempfile::TempDir,
    pub addr: String,
    child: Option<Child>,
}

fn serve(dir: &Path, listen: &str) -> (Child, String) {
    use std::io::BufRead;
    let mut child = Command::new(crate::util::stint_bin())
        .args(["serve", "--listen", listen, "--data-dir"])
        .arg(dir)
        .env_remove("STINT_DATABASE_URL")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn stint serve");
    let out = child.stdout.take().expect("stdout");
    let mut lines = std::io::BufReader::new(out).lines();
    let addr = loop {
        match lines.next() {
            Some(Ok(l)) => {
                if let Some(a) = l.strip_prefix("listening on http://") {
                    break a.trim().to_string();
                }
            }
            _ => panic!("stint serve did not start"),
        }
    };
    std::thread::spawn(move || for _ in lines {});
    (child, addr)
}

impl Restartable {
    pub fn start() -> Restartable {
        let dir = tempfile::tempdir().expect("temp dir");
        let (child, addr) = serve(dir.path(), "127.0.0.1:0");
        Restartable {
            dir,
            addr,
            child: Some(child),
        }
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Runs an admin command on this server's data.
    pub fn admin(&self, args: &[&str]) {
        let ok = Command::new(crate::util::stint_bin())
            .args(args)
            .arg("--data-dir")
            .arg(self.dir.path())
            .stdout(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        assert!(ok, "stint {args:?} failed");
    }

    pub fn stop(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }

    pub fn restart(&mut self) {
        self.stop();
        let (child, _) = serve(self.dir.path(), &self.addr);
        self.child = Some(child);
    }
}

impl Drop for Restartable {
    fn drop(&mut self) {
        self.stop();
    }
}

/// A `stint track` process with its own outbox directory.
pub struct Tracker {
    pub dir: PathBuf,
    child: Option<Child>,
    log: PathBuf,
}

impl Tracker {
    pub fn new(dir: &Path) -> Tracker {
        Tracker {
            dir: dir.to_path_buf(),
            child: None,
            log: dir.join("track.log"),
        }
    }

    pub fn cmd(&self, args: &[&str]) -> std::process::Output {
        Command::new(crate::util::stint_bin())
            .args(args)
            .arg("--data-dir")
            .arg(&self.dir)
            .output()
            .expect("run stint")
    }

    pub fn start(&mut self, display: &str, args: &[&str]) {
        let mut cmd = Command::new(crate::util::stint_bin());
        cmd.arg("track")
            .args(args)
            .arg("--data-dir")
            .arg(&self.dir)
            .env("DISPLAY", display);
        self.spawn(cmd);
    }

    /// Starts `stint track` on `x` with `args` and, once it says it
    /// started, works: the mouse moves every half second, `moves` times.
    pub fn start_and_work(&mut self, x: &Display, args: &[&str], moves: u32) {
        self.start(&x.name, args);
        self.wait_for("started tracking", 20);
        for i in 0..moves {
            x.move_mouse(10 + i * 5, 10);
            sleep(0.5);
        }
    }

    /// Runs `cmd` as this tracker's process (the desktop app, say): its
    /// output goes to the log, and it is killed on drop.
    pub fn spawn(&mut self, mut cmd: Command) {
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.log)
            .expect("log");
        let child = cmd
            .stdin(Stdio::null())
            .stdout(Stdio::from(log.try_clone().expect("log")))
            .stderr(Stdio::from(log))
            .spawn()
            .expect("spawn the tracker");
        self.child = Some(child);
    }

    /// SIGINT, as Ctrl-C: the tracker stops the timer and syncs.
    pub fn interrupt(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = Command::new("kill")
                .args(["-INT", &c.id().to_string()])
                .status();
            let waited = wait_timeout(&mut c, Duration::from_secs(20));
            assert!(
                waited,
                "stint track did not stop on SIGINT:\n{}",
                self.output()
            );
        }
    }

    /// SIGKILL: no chance to clean up.
    pub fn kill9(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }

    pub fn output(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// Waits until the output contains `text` (at most `secs`).
    pub fn wait_for(&self, text: &str, secs: u64) {
        let end = std::time::Instant::now() + Duration::from_secs(secs);
        while std::time::Instant::now() < end {
            if self.output().contains(text) {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!("tracker never said {text:?}:\n{}", self.output());
    }
}

impl Drop for Tracker {
    fn drop(&mut self) {
        self.kill9();
    }
}

fn wait_timeout(c: &mut Child, d: Duration) -> bool {
    let end = std::time::Instant::now() + d;
    while std::time::Instant::now() < end {
        if let Ok(Some(_)) = c.try_wait() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = c.kill();
    false
}

/// The employee's time logs on the server, oldest first.
pub async fn server_logs(api: &crate::util::Api) -> Vec<serde_json::Value> {
    let (status, body) = api.get("/api/timesheet/time-log").await;
    assert_eq!(status, 200, "{body}");
    body["items"].as_array().cloned().unwrap_or_default()
}

pub fn kinds(logs: &[serde_json::Value]) -> Vec<&str> {
    logs.iter()
        .map(|l| l["logType"].as_str().unwrap_or("?"))
        .collect()
}

pub fn sleep(secs: f64) {
    std::thread::sleep(Duration::from_secs_f64(secs));
}

/// No two logs overlap, none is running, ids are unique.
pub fn assert_clean(logs: &[serde_json::Value]) {
    let instant = crate::util::instant;
    let mut ids: Vec<&str> = logs
        .iter()
        .map(|l| l["id"].as_str().unwrap_or(""))
        .collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), logs.len(), "duplicate logs: {logs:#?}");
    for w in logs.windows(2) {
        let stop = instant(w[0]["stoppedAt"].as_str().expect("stopped"));
        assert!(
            stop <= instant(w[1]["startedAt"].as_str().unwrap_or_default()),
            "overlap: {w:#?}"
        );
    }
    assert!(
        logs.iter().all(|l| l["isRunning"] == false),
        "a log is left running: {logs:#?}"
    );
}

/// The log's `field` ("startedAt", "stoppedAt") as an instant.
pub fn at_of(log: &serde_json::Value, field: &str) -> chrono::DateTime<chrono::Utc> {
    crate::util::instant(log[field].as_str().unwrap_or_default())
}

/// Fails unless `a` is within two seconds of `b` (a poll and a sync's
/// worth of slack), saying `what`.
pub fn assert_near(a: chrono::DateTime<chrono::Utc>, b: chrono::DateTime<chrono::Utc>, what: &str) {
    assert!(
        (a - b).num_milliseconds().abs() <= 2000,
        "{what}: {a} is not within 2 s of {b}"
    );
}

/// After the tracker went idle: waits for it to say so, comes back (the
/// mouse moves), waits for "resumed", stops it with Ctrl-C and returns the
/// server's logs, checked to be TRACKED, IDLE, RESUMED and clean, with
/// the moment of coming back.
pub async fn away_and_back(
    x: &Display,
    tracker: &mut Tracker,
    api: &crate::util::Api,
) -> (Vec<serde_json::Value>, chrono::DateTime<chrono::Utc>) {
    tracker.wait_for("idle since", 10);
    sleep(1.0);
    x.move_mouse(400, 300);
    let came_back = chrono::Utc::now();
    tracker.wait_for("resumed", 10);
    sleep(1.5);
    tracker.interrupt();
    let logs = server_logs(api).await;
    assert_eq!(
        kinds(&logs),
        vec!["TRACKED", "IDLE", "RESUMED"],
        "{}",
        tracker.output()
    );
    assert_clean(&logs);
    (logs, came_back)
}

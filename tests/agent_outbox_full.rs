//! The tracking loop when the outbox cannot be written: a full disk (SQLite
//! says SQLITE_FULL: the database may not grow), then a read-only database
//! (SQLITE_READONLY). Tracking goes on through both, says so once per
//! streak, and once writing works again every log is in the outbox, with
//! the right start and stop, and syncs to a real server exactly once.
//!
//! Root ignores file permissions, so the faults are SQLite's own limits on
//! the tracker's connection (`max_page_count`, `query_only`), the errors a
//! full disk and a read-only data directory give.

#[allow(unused_macros)]
mod util;

use std::collections::{HashSet, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use stint_agent::idle::{IdleSource, Scripted};
use stint_agent::outbox::{LogContext, Outbox, lock};
use stint_agent::runner::{self, Event, TrackOptions};
use stint_agent::tracker::{IdleAnswer, TrackerConfig};
use util::{Backend, PASSWORD, Server};

const POLL: Duration = Duration::from_millis(50);

#[derive(Clone, Copy, Debug)]
enum Fault {
    DiskFull,
    ReadOnly,
}

/// A [`Scripted`] idle source that also switches faults on and off at given
/// ticks (before the tick's write) and ends tracking when the script does.
struct Drill {
    script: Scripted,
    tick: usize,
    faults: Vec<(usize, Option<Fault>)>,
    outbox: Arc<Mutex<Outbox>>,
    end: Option<tokio::sync::oneshot::Sender<()>>,
}

impl IdleSource for Drill {
    fn idle_time(&mut self) -> Result<Duration, String> {
        for (_, f) in self.faults.iter().filter(|(t, _)| *t == self.tick) {
            let o = lock(&self.outbox);
            let set = match f {
                Some(Fault::DiskFull) => o.cap_pages(true),
                Some(Fault::ReadOnly) => o.set_read_only(true),
                None => o.cap_pages(false).and_then(|()| o.set_read_only(false)),
            };
            set.expect("switch the fault");
        }
        self.tick += 1;
        if self.script.0.is_empty()
            && let Some(end) = self.end.take()
        {
            let _ = end.send(());
        }
        self.script.idle_time()
    }
    fn name(&self) -> &'static str {
        "drill"
    }
}

/// `n` ticks of input, then `n` ticks of an idle stretch past the threshold.
fn active(n: usize) -> impl Iterator<Item = Duration> {
    std::iter::repeat_n(Duration::ZERO, n)
}
fn idle(n: usize) -> impl Iterator<Item = Duration> {
    (0..n).map(|i| Duration::from_millis(400) + POLL * i as u32)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tracking_survives_a_full_disk_and_a_read_only_outbox() {
    let server = Server::start(Backend::Sqlite).await;
    server.user("eve@acme.test", &[]).await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("outbox.db");
    let outbox = Arc::new(Mutex::new(Outbox::open(&path).unwrap()));

    // 0..10 input; 10: disk full; 14..20 idle (a new IDLE log: its row,
    // with this long description, near the server's 10,000-character
    // limit, needs pages the database may not add);
    // 20..26 input again (the idle time discarded); 26: room again;
    // 36: read-only; 40..44 idle; 48: writable; 56: stop.
    let script: VecDeque<Duration> = active(14)
        .chain(idle(6))
        .chain(active(20))
        .chain(idle(4))
        .chain(active(12))
        .collect();
    let (end_tx, end_rx) = tokio::sync::oneshot::channel();
    let drill = Drill {
        script: Scripted(script),
        tick: 0,
        faults: vec![
            (10, Some(Fault::DiskFull)),
            (26, None),
            (36, Some(Fault::ReadOnly)),
            (48, None),
        ],
        outbox: outbox.clone(),
        end: Some(end_tx),
    };
    let events = Arc::new(Mutex::new(Vec::new()));
    let seen = events.clone();
    let on_event: runner::OnEvent = Arc::new(move |e| seen.lock().unwrap().push(e));
    let (_control, requests) = runner::channel();
    let opts = TrackOptions {
        outbox: outbox.clone(),
        context: LogContext {
            description: "a long description ".repeat(520),
            ..LogContext::default()
        },
        tracker: TrackerConfig {
            idle_threshold: Duration::from_millis(300),
            poll: POLL,
        },
        idle_answer: Some(IdleAnswer::Discard),
        shots: None,
        still_working: None,
        private: Default::default(),
    };
    let tracked = tokio::time::timeout(
        Duration::from_secs(60),
        runner::track(opts, Box::new(drill), None, on_event, requests, async {
            let _ = end_rx.await;
        }),
    )
    .await
    .expect("tracking ended by itself");
    tracked.expect("tracking survived both faults");

    let events = events.lock().unwrap().clone();
    let warnings: Vec<&str> = events
        .iter()
        .filter_map(|e| match e {
            Event::Warning(m) => Some(m.as_str()),
            _ => None,
        })
        .collect();
    let cant: Vec<_> = warnings
        .iter()
        .filter(|w| w.starts_with("Can't save to"))
        .collect();
    assert_eq!(cant.len(), 2, "once per failure streak: {warnings:#?}");
    assert!(cant[0].contains(&path.display().to_string()), "{}", cant[0]);
    assert!(cant[0].contains("full"), "{}", cant[0]);
    assert!(cant[1].contains("readonly"), "{}", cant[1]);
    assert!(
        cant.iter()
            .all(|w| w.ends_with("tracking goes on and will be saved when it can")),
        "{cant:?}"
    );
    let again = warnings
        .iter()
        .filter(|w| w.contains("works again"))
        .count();
    assert_eq!(again, 2, "{warnings:#?}");
    // Tracking went on: both idle stretches were seen and answered.
    let idles = events
        .iter()
        .filter(|e| matches!(e, Event::IdleSince(_)))
        .count();
    let resumed = events
        .iter()
        .filter(|e| matches!(e, Event::Resumed { .. }))
        .count();
    assert_eq!((idles, resumed), (2, 2), "{events:#?}");
    assert!(matches!(events.last(), Some(Event::Stopped { .. })));

    // In the outbox: the tracked stretches, one after another, all closed.
    let logs = lock(&outbox).logs().unwrap();
    assert!(logs.len() >= 3, "{logs:#?}");
    assert!(logs.iter().all(|l| l.stopped_at.is_some()), "{logs:#?}");
    for w in logs.windows(2) {
        assert!(
            w[0].stopped_at.unwrap() <= w[1].started_at,
            "overlap: {w:#?}"
        );
    }
    assert_eq!(lock(&outbox).open_log().unwrap(), None);

    // And they sync, each once.
    let mut api = stint_agent::api::Api::login(&server.base, "eve@acme.test", PASSWORD)
        .await
        .expect("sign in");
    let report = stint_agent::sync::sync_once(&outbox, &mut api, Duration::ZERO)
        .await
        .expect("sync");
    assert_eq!(report.failed, 0, "{report:?}");
    assert_eq!(lock(&outbox).backlog().unwrap().pending, 0);
    let eve = server.login("eve@acme.test", PASSWORD).await;
    let (status, page) = eve.api.get("/api/timesheet/time-log").await;
    assert_eq!(status, 200, "{page}");
    let on_server: Vec<_> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["id"].as_str().unwrap().to_string(),
                util::instant(l["startedAt"].as_str().unwrap()),
                l["stoppedAt"].as_str().map(util::instant),
            )
        })
        .collect();
    let ids: HashSet<_> = on_server.iter().map(|(id, ..)| id.clone()).collect();
    assert_eq!(ids.len(), on_server.len(), "a log twice: {on_server:#?}");
    let mut local: Vec<_> = logs
        .iter()
        .map(|l| {
            (
                l.id.to_string(),
                trunc(l.started_at),
                l.stopped_at.map(trunc),
            )
        })
        .collect();
    let mut on_server = on_server;
    local.sort();
    on_server.sort();
    assert_eq!(local, on_server);
}

/// The server keeps milliseconds.
fn trunc(t: chrono::DateTime<chrono::Utc>) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::from_timestamp_millis(t.timestamp_millis()).unwrap()
}

/// Files and directories no one may write, root included (`chattr +i`;
/// where that is not allowed, permissions, which bind a non-root user),
/// until dropped. `None` where neither holds here.
struct Unwritable(Vec<std::path::PathBuf>);

impl Unwritable {
    fn make(paths: &[&std::path::Path]) -> Option<Unwritable> {
        use std::os::unix::fs::PermissionsExt;
        let guard = Unwritable(paths.iter().map(|p| p.to_path_buf()).collect());
        for p in paths {
            let immutable = std::process::Command::new("chattr")
                .arg("+i")
                .arg(p)
                .stderr(std::process::Stdio::null())
                .status()
                .is_ok_and(|s| s.success());
            if !immutable {
                let mode = if p.is_dir() { 0o555 } else { 0o444 };
                std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode)).unwrap();
            }
        }
        // Is it real? A write must fail.
        let probe = paths[0];
        let writable = if probe.is_dir() {
            std::fs::write(probe.join("probe"), b"x").is_ok()
        } else {
            std::fs::OpenOptions::new().append(true).open(probe).is_ok()
        };
        if writable {
            eprintln!("skipping: cannot make {} unwritable here", probe.display());
            let _ = std::fs::remove_file(probe.join("probe"));
            return None;
        }
        Some(guard)
    }
}

impl Drop for Unwritable {
    fn drop(&mut self) {
        use std::os::unix::fs::PermissionsExt;
        for p in &self.0 {
            let _ = std::process::Command::new("chattr")
                .arg("-i")
                .arg(p)
                .stderr(std::process::Stdio::null())
                .status();
            let mode = if p.is_dir() { 0o755 } else { 0o644 };
            let _ = std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode));
        }
    }
}

fn status(dir: &std::path::Path) -> (bool, String, String) {
    let out = std::process::Command::new(util::stint_bin())
        .args(["status", "--data-dir"])
        .arg(dir)
        .env_remove("STINT_DATA_DIR")
        .output()
        .expect("run stint status");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn status_says_when_the_outbox_cannot_be_written() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let (ok, out, err) = status(&data);
    assert!(ok, "{out}{err}");
    assert!(out.contains("not signed in"), "{out}");
    let db = data.join("outbox.db");
    for leftover in ["outbox.db-wal", "outbox.db-shm"] {
        let _ = std::fs::remove_file(data.join(leftover));
    }

    // A read-only database file: what is there is shown, then the fault.
    {
        let Some(_ro) = Unwritable::make(&[&db]) else {
            return;
        };
        let (ok, out, err) = status(&data);
        assert!(!ok, "exits non-zero: {out}{err}");
        assert!(out.contains("not signed in"), "{out}");
        let line = format!("error: cannot write the outbox at {}: ", db.display());
        assert!(err.contains(&line), "{err}");
        assert!(!err.contains("panicked"), "{err}");
    }

    // A read-only directory as well: the outbox cannot even be opened.
    for leftover in ["outbox.db-wal", "outbox.db-shm"] {
        let _ = std::fs::remove_file(data.join(leftover));
    }
    let Some(_ro) = Unwritable::make(&[&data, &db]) else {
        return;
    };
    let (ok, out, err) = status(&data);
    assert!(!ok, "exits non-zero: {out}{err}");
    let at = format!("the outbox at {}: ", db.display());
    assert!(
        err.contains(&format!("error: cannot open {at}"))
            || err.contains(&format!("error: cannot write {at}")),
        "{err}"
    );
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn status_says_when_the_data_directory_is_not_a_directory() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a-file");
    std::fs::write(&file, b"not a directory").unwrap();
    let (ok, out, err) = status(&file);
    assert!(!ok, "{out}{err}");
    let line = format!(
        "error: cannot open the outbox at {}: ",
        file.join("outbox.db").display()
    );
    assert!(err.contains(&line), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}

//! The tracker as an employee meets it: `stint track` on a real X server,
//! syncing to a real `stint serve` over TCP.

#[path = "util/desktop.rs"]
mod desktop;
#[allow(unused_macros)]
mod util;

use desktop::{
    Display, Restartable, Tracker, assert_clean, assert_near, at_of, away_and_back, kinds,
    server_logs, sleep,
};
use util::{Api, instant};

const PASSWORD: &str = "correct-horse-1";

/// A server with Eve on it, and a tracker signed in as her.
async fn setup() -> (Restartable, Tracker, tempfile::TempDir, Api) {
    desktop::signed_in("eve@acme.test", PASSWORD, &["Website"]).await
}

#[tokio::test]
async fn eve_goes_idle_and_comes_back() {
    let Some(x) = Display::start() else { return };
    let (_server, mut tracker, _dir, api) = setup().await;
    // Working: the mouse moves every half second for 3 s.
    tracker.start_and_work(
        &x,
        &[
            "--project",
            "Website",
            "--idle-threshold",
            "2s",
            "--idle-answer",
            "discard",
        ],
        6,
    );
    let stopped_input = chrono::Utc::now();
    let (logs, came_back) = away_and_back(&x, &mut tracker, &api).await;
    assert_near(
        at_of(&logs[1], "startedAt"),
        stopped_input,
        "idle began when input stopped",
    );
    assert_near(
        at_of(&logs[2], "startedAt"),
        came_back,
        "resumed when input came back",
    );
    assert!(
        logs.iter()
            .all(|l| l["projectId"] == logs[0]["projectId"] && !l["projectId"].is_null())
    );
    // The working seconds became activity slots naming their logs.
    let (status, slots) = api.get("/api/timesheet/time-slot").await;
    assert_eq!(status, 200, "{slots}");
    let slots = slots["items"].as_array().cloned().unwrap_or_default();
    assert!(
        !slots.is_empty(),
        "no slot reached the server: {}",
        tracker.output()
    );
    assert!(
        slots.iter().any(|s| s["mouse"].as_i64().unwrap_or(0) > 0),
        "{slots:#?}"
    );
    let tracked: i64 = slots
        .iter()
        .map(|s| s["duration"].as_i64().unwrap_or(0))
        .sum();
    assert!(tracked >= 3, "slots hold the tracked seconds: {slots:#?}");
    assert!(
        slots
            .iter()
            .all(|s| !s["timeLogs"].as_array().is_none_or(Vec::is_empty))
    );
    // Discarded idle time is reported but not counted.
    let (_, counts) = api.get("/api/timesheet/statistics/counts").await;
    let counted =
        logs[0]["duration"].as_i64().unwrap_or(0) + logs[2]["duration"].as_i64().unwrap_or(0);
    assert!(
        (counts["todayDuration"].as_i64().unwrap_or(-1) - counted).abs() <= 1,
        "{counts} vs {logs:#?}"
    );
}

#[tokio::test]
async fn a_server_outage_loses_and_duplicates_nothing() {
    let Some(x) = Display::start() else { return };
    let (mut server, mut tracker, _dir, api) = setup().await;
    server.stop();
    // At work from the first tick: a display started seconds ago on a busy
    // machine has already been idle longer than the threshold.
    let warm = x.keep_moving();
    tracker.start(
        &x.name,
        &["--idle-threshold", "2s", "--idle-answer", "keep"],
    );
    tracker.wait_for("offline", 20);
    drop(warm);
    // Work, then go idle once, all while the server is down.
    for i in 0..4 {
        x.move_mouse(20 + i, 20);
        sleep(0.5);
    }
    tracker.wait_for("idle since", 10);
    x.move_mouse(500, 500);
    tracker.wait_for("resumed", 10);
    // Back at work: input keeps coming while the server returns.
    let working = x.keep_moving();
    let status = String::from_utf8_lossy(&tracker.cmd(&["status"]).stdout).to_string();
    assert!(
        !status.contains("pending: 0,"),
        "work waits in the outbox while offline: {status}"
    );
    server.restart();
    tracker.wait_for("synced", 40);
    sleep(1.0);
    tracker.interrupt();
    drop(working);
    let logs = server_logs(&api).await;
    assert_eq!(
        kinds(&logs),
        vec!["TRACKED", "TRACKED", "RESUMED"],
        "kept idle is TRACKED: {}",
        tracker.output()
    );
    assert_clean(&logs);
    let status = String::from_utf8_lossy(&tracker.cmd(&["status"]).stdout).to_string();
    assert!(status.contains("pending: 0, failed: 0"), "{status}");
    // Syncing again sends nothing new.
    let again = tracker.cmd(&["sync"]);
    assert!(String::from_utf8_lossy(&again.stdout).contains("synced 0"));
    assert_eq!(server_logs(&api).await.len(), 3);
}

#[tokio::test]
async fn kill_9_loses_at_most_a_poll_and_leaves_nothing_running() {
    let Some(x) = Display::start() else { return };
    let (_server, mut tracker, _dir, api) = setup().await;
    tracker.start(&x.name, &["--idle-threshold", "60s"]);
    tracker.wait_for("synced", 20);
    x.move_mouse(1, 1);
    sleep(2.0);
    let killed_at = chrono::Utc::now();
    tracker.kill9();
    tracker.start(&x.name, &["--idle-threshold", "60s"]);
    tracker.wait_for("recovered", 20);
    tracker.wait_for("synced", 20);
    sleep(1.0);
    tracker.interrupt();
    let logs = server_logs(&api).await;
    assert_eq!(logs.len(), 2, "{logs:#?}\n{}", tracker.output());
    assert_clean(&logs);
    let first_stop = instant(logs[0]["stoppedAt"].as_str().unwrap_or_default());
    let lost = (killed_at - first_stop).num_milliseconds();
    assert!(
        (0..=1500).contains(&lost),
        "lost {lost} ms of tracked time (poll is 1 s)"
    );
}

#[tokio::test]
async fn screenshots_are_real_images_taken_only_while_working() {
    let Some(x) = Display::start() else { return };
    let (_server, mut tracker, _dir, api) = setup().await;
    let working = x.keep_moving();
    tracker.start(
        &x.name,
        &[
            "--idle-threshold",
            "2s",
            "--screenshot-interval",
            "2s",
            "--screens",
            "all",
        ],
    );
    tracker.wait_for("screenshot taken", 20);
    tracker.wait_for("synced", 20);
    sleep(2.5);
    drop(working);
    tracker.wait_for("idle since", 10);
    let during_work = tracker.output().matches("screenshot taken").count();
    // Idle for three more intervals: no screenshot.
    sleep(6.0);
    assert_eq!(
        tracker.output().matches("screenshot taken").count(),
        during_work,
        "{}",
        tracker.output()
    );
    tracker.interrupt();
    let (status, page) = api.get("/api/timesheet/screenshot").await;
    assert_eq!(status, 200, "{page}");
    let shots = page["items"].as_array().cloned().unwrap_or_default();
    // Screenshots of the seconds that turned out idle were dropped; the
    // rest arrived once each.
    assert!(
        !shots.is_empty() && shots.len() <= during_work,
        "{page}\n{}",
        tracker.output()
    );
    let idle_from = instant(
        server_logs(&api)
            .await
            .iter()
            .find(|l| l["logType"] == "IDLE")
            .expect("an IDLE log")["startedAt"]
            .as_str()
            .unwrap_or_default(),
    );
    for s in &shots {
        assert!(
            instant(s["recordedAt"].as_str().unwrap_or_default())
                <= idle_from + chrono::TimeDelta::seconds(1),
            "{s}"
        );
        assert_eq!(
            (s["width"].as_i64(), s["height"].as_i64()),
            (Some(1280), Some(800)),
            "{s}"
        );
        let (status, thumb) = api
            .send_bytes(api.request(
                reqwest::Method::GET,
                s["thumb"].as_str().unwrap_or_default(),
            ))
            .await;
        assert_eq!(status, 200);
        let thumb = image::load_from_memory(&thumb).expect("the thumbnail is an image");
        assert_eq!(thumb.width(), 320);
        let (status, full) = api
            .send_bytes(api.request(reqwest::Method::GET, s["file"].as_str().unwrap_or_default()))
            .await;
        assert_eq!(status, 200);
        assert_eq!(
            image::guess_format(&full).ok(),
            Some(image::ImageFormat::Jpeg)
        );
    }
}

#[tokio::test]
async fn a_timer_started_on_another_device_stops_this_one_and_says_why() {
    let Some(x) = Display::start() else { return };
    let (_server, mut tracker, _dir, api) = setup().await;
    let working = x.keep_moving();
    tracker.start(&x.name, &["--screenshot-interval", "off"]);
    tracker.wait_for("synced", 20);
    // Eve forgot this one and starts the timer on her laptop.
    let (status, laptop) = api
        .post(
            "/api/timesheet/timer/start",
            serde_json::json!({"source": "DESKTOP"}),
        )
        .await;
    assert_eq!(status, 201, "{laptop}");
    tracker.wait_for("stopped: stopped at", 30);
    drop(working);
    tracker.interrupt();
    let logs = server_logs(&api).await;
    assert_eq!(logs.len(), 2, "{logs:#?}");
    assert_eq!(
        logs[0]["stoppedAt"], laptop["startedAt"],
        "the desktop's log ends where the laptop's begins"
    );
    assert!(
        logs[0]["stoppedReason"]
            .as_str()
            .is_some_and(|r| r.contains("another device"))
    );
    assert_eq!(logs[1]["id"], laptop["id"]);
    assert_eq!(logs[1]["isRunning"], true, "the laptop's timer runs on");
    let status = String::from_utf8_lossy(&tracker.cmd(&["status"]).stdout).to_string();
    assert!(
        status.contains("stopped\n") && status.contains("pending: 0, failed: 0"),
        "{status}"
    );
}

//! The employee's side of the tracker (issue 18), as they meet it:
//! `stint track` on a real X server with real input (xdotool) and real
//! windows, syncing to a real `stint serve`.
//! - A locked screen is idle from the moment it locked.
//! - A timer nobody confirms ("Still working?") stops at the last input.
//! - A never-capture application in front is not captured, and its
//!   seconds say "private application".

#[path = "util/desktop.rs"]
mod desktop;
#[allow(unused_macros)]
mod util;

use desktop::{
    Display, Restartable, Tracker, assert_clean, assert_near, at_of, away_and_back, kinds,
    server_logs, sleep,
};
use util::{Api, instant};

/// A server with Pia on it, and a tracker signed in as her.
async fn setup() -> (Restartable, Tracker, tempfile::TempDir, Api) {
    desktop::signed_in("pia@acme.test", "correct-horse-3", &["Website"]).await
}

/// A locked screen is away time from the moment it locked, long before the
/// idle threshold; the first input after it comes back as after any idle.
#[tokio::test]
async fn a_locked_screen_is_idle_from_the_lock() {
    let Some(x) = Display::start() else { return };
    let (_server, mut tracker, _dir, api) = setup().await;
    tracker.start_and_work(
        &x,
        &[
            "--project",
            "Website",
            "--idle-threshold",
            "10m",
            "--idle-answer",
            "discard",
        ],
        4,
    );
    let locked = chrono::Utc::now();
    tracker.locked_until(&x, "idle since");
    let (logs, _) = away_and_back(&x, &mut tracker, &api).await;
    assert_near(
        at_of(&logs[1], "startedAt"),
        locked,
        "idle began at the lock",
    );
}

/// A timer nobody confirms ("Still working?" unanswered) stops at the last
/// input, so the time after the person left counts nothing.
#[tokio::test]
async fn an_unanswered_still_working_stops_at_the_last_input() {
    let Some(x) = Display::start() else { return };
    let (_server, mut tracker, _dir, api) = setup().await;
    tracker.start_and_work(
        &x,
        &[
            "--project",
            "Website",
            "--idle-threshold",
            "10m",
            "--still-working-after",
            "4s",
            "--still-working-grace",
            "3s",
        ],
        4,
    );
    let last_input = chrono::Utc::now();
    tracker.wait_for("still working?", 10);
    tracker.wait_for("stopping at your last input", 10);
    tracker.wait_for("stopped at", 10);
    tracker.interrupt();
    let logs = server_logs(&api).await;
    assert_eq!(kinds(&logs), vec!["TRACKED"], "{}", tracker.output());
    assert_clean(&logs);
    assert_near(
        at_of(&logs[0], "stoppedAt"),
        last_input,
        &format!("stopped at the last input: {}", tracker.output()),
    );
}
/// While a listed application is in front no screenshot is taken, and the
/// activity names it "private application"; another one in front is
/// captured as usual.
#[tokio::test]
async fn a_never_capture_application_in_front_is_not_captured() {
    let Some(x) = Display::start() else { return };
    let (server, mut tracker, _dir, api) = setup().await;
    // The organization's list, and the person's own on the command line.
    server.admin(&[
        "org",
        "set",
        "--name",
        "Default",
        "--never-capture",
        "KeePassXC",
    ]);
    let (status, policy) = api.get("/api/privacy/policy").await;
    assert_eq!(status, 200, "{policy}");
    assert_eq!(policy["neverCapture"], "KeePassXC");
    let vault = x.front_window("KeePassXC", "Passwords.kdbx - KeePassXC");
    let working = x.keep_moving();
    tracker.start(
        &x.name,
        &[
            "--idle-threshold",
            "10m",
            "--screenshot-interval",
            "1s",
            "--never-capture",
            "title:online banking",
        ],
    );
    tracker.wait_for("started tracking", 20);
    tracker.wait_for("screenshot skipped", 10);
    sleep(1.5);
    assert!(
        !tracker.output().contains("screenshot taken"),
        "{}",
        tracker.output()
    );
    let editor = x.front_window("Gedit", "notes.txt");
    drop(vault);
    let switched = chrono::Utc::now();
    tracker.wait_for("screenshot taken", 10);
    sleep(1.5);
    drop(working);
    tracker.interrupt();
    drop(editor);
    let (status, page) = api.get("/api/timesheet/screenshot").await;
    assert_eq!(status, 200, "{page}");
    let shots = page["items"].as_array().cloned().unwrap_or_default();
    assert!(!shots.is_empty(), "{}", tracker.output());
    for s in &shots {
        let at = instant(s["recordedAt"].as_str().unwrap_or_default());
        assert!(
            at >= switched - chrono::TimeDelta::milliseconds(1500),
            "a screenshot of the vault at {at} (switched at {switched}): {}",
            tracker.output()
        );
    }
    let today = chrono::Utc::now().date_naive();
    let (status, page) = api
        .get(&format!(
            "/api/timesheet/activity?startDate={today}&endDate={today}"
        ))
        .await;
    assert_eq!(status, 200, "{page}");
    let titles: Vec<&str> = page["items"]
        .as_array()
        .map(|a| a.iter().filter_map(|x| x["title"].as_str()).collect())
        .unwrap_or_default();
    assert!(titles.contains(&"private application"), "{page}");
    assert!(titles.contains(&"Gedit"), "{page}");
    assert!(
        !titles.iter().any(|t| t.to_lowercase().contains("keepass")),
        "{page}"
    );
}

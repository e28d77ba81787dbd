//! Issue 15, points 3 and 4, as an employee meets them: `stint track` on a
//! real X server with real input (xdotool), syncing to a real `stint serve`.
//! - Screenshots of work reach the server, also after coming back from
//!   idle and right before a stop; only those of the idle time do not.
//! - `kill -9` in the middle of a ten-minute slot loses none of its
//!   activity, and the restarted tracker counts nothing twice.

#[path = "util/desktop.rs"]
mod desktop;
#[allow(unused_macros)]
mod util;

use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use desktop::{Display, Restartable, Tracker};
use serde_json::Value;
use util::{Api, instant};

const EMAIL: &str = "ida@acme.test";
const PASSWORD: &str = "correct-horse-2";

/// A server with Ida on it, a tracker signed in as her, and her own client.
async fn signed_in() -> (Restartable, Tracker, tempfile::TempDir, Api) {
    desktop::signed_in(EMAIL, PASSWORD, &[]).await
}

/// A list endpoint's items.
async fn items(api: &Api, path: &str) -> Vec<Value> {
    let (status, body) = api.get(path).await;
    assert_eq!(status, 200, "{path}: {body}");
    body["items"].as_array().cloned().unwrap_or_default()
}

fn at(v: &Value, field: &str) -> DateTime<Utc> {
    instant(v[field].as_str().unwrap_or_default())
}

fn sleep(secs: f64) {
    std::thread::sleep(Duration::from_secs_f64(secs));
}

/// `stint sync` after the tracker stopped: pushes whatever is left.
fn sync(tracker: &Tracker) {
    let out = tracker.cmd(&["sync"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[tokio::test]
async fn screenshots_of_work_reach_the_server_before_and_after_idle_and_at_the_stop() {
    let Some(x) = Display::start() else { return };
    let (_server, mut tracker, _dir, api) = signed_in().await;
    let working = x.keep_moving();
    tracker.start(
        &x.name,
        &[
            "--idle-threshold",
            "3s",
            "--screenshot-interval",
            "2s",
            "--idle-answer",
            "discard",
        ],
    );
    tracker.wait_for("started tracking", 20);
    sleep(8.0);
    drop(working);
    tracker.wait_for("idle since", 10);
    // Away for about 5 s in all (3 s of it before idle is noticed).
    sleep(2.0);
    let working = x.keep_moving();
    tracker.wait_for("resumed", 10);
    sleep(8.0);
    let stopping = Utc::now();
    tracker.interrupt();
    drop(working);
    sync(&tracker);

    let output = tracker.output();
    // Taken, less those dropped when idle was noticed after them.
    let dropped: usize = output
        .lines()
        .filter_map(|l| l.strip_prefix("warning: "))
        .filter_map(|l| l.strip_suffix(" screenshot(s) of the idle time not kept"))
        .filter_map(|n| n.parse::<usize>().ok())
        .sum();
    let kept = output.matches("screenshot taken").count() - dropped;
    let shots = items(&api, "/api/timesheet/screenshot").await;
    let logs = items(&api, "/api/timesheet/time-log").await;
    let idle = logs
        .iter()
        .find(|l| l["logType"] == "IDLE")
        .unwrap_or_else(|| panic!("an IDLE log: {logs:#?}\n{output}"));
    let (idle_from, idle_to) = (at(idle, "startedAt"), at(idle, "stoppedAt"));
    let mut moments: Vec<_> = shots.iter().map(|s| at(s, "recordedAt")).collect();
    moments.sort();
    eprintln!(
        "{} screenshots on the server of {kept} kept; idle {idle_from} .. {idle_to}; {moments:?}",
        shots.len()
    );
    assert_eq!(
        shots.len(),
        kept,
        "every screenshot kept reached the server\n{output}"
    );
    for m in &moments {
        assert!(
            *m < idle_from || *m >= idle_to,
            "a screenshot of the idle time ({m}) reached the server\n{output}"
        );
    }
    let before = moments.iter().filter(|m| **m < idle_from).count();
    let after = moments.iter().filter(|m| **m >= idle_to).count();
    // About 8 s of work on each side at one per 2 s: four each, give or
    // take the random moment inside each interval.
    assert!(
        before >= 2 && after >= 2,
        "{before} before idle, {after} after\n{output}"
    );
    // The last interval before the stop is not held back.
    let last = moments.last().copied().unwrap_or_default();
    assert!(
        stopping - last <= TimeDelta::milliseconds(4500),
        "the last screenshot ({last}) is far from the stop ({stopping})\n{output}"
    );
    let (_, back) = output.split_once("resumed").unwrap_or_default();
    assert!(
        !back.contains("not kept"),
        "nothing after coming back is taken for idle time\n{output}"
    );
}

#[tokio::test]
async fn kill_9_in_the_middle_of_a_slot_keeps_its_activity_once() {
    let Some(x) = Display::start() else { return };
    let (_server, mut tracker, _dir, api) = signed_in().await;
    let args = ["--idle-threshold", "60s", "--screenshot-interval", "off"];
    let working = x.keep_moving();
    tracker.start(&x.name, &args);
    tracker.wait_for("started tracking", 20);
    sleep(5.0);
    tracker.kill9();
    tracker.start(&x.name, &args);
    tracker.wait_for("recovered", 20);
    sleep(5.0);
    tracker.interrupt();
    drop(working);
    sync(&tracker);

    let output = tracker.output();
    let logs = items(&api, "/api/timesheet/time-log").await;
    assert_eq!(logs.len(), 2, "{logs:#?}\n{output}");
    let tracked: f64 = logs
        .iter()
        .map(|l| (at(l, "stoppedAt") - at(l, "startedAt")).num_milliseconds() as f64 / 1000.0)
        .sum();
    let slots = items(&api, "/api/timesheet/time-slot").await;
    let seconds: i64 = slots.iter().filter_map(|s| s["duration"].as_i64()).sum();
    eprintln!("logs hold {tracked:.1} s, slots {seconds} s: {slots:#?}");
    // One second is counted per poll, the first at the start: each run
    // counts up to a poll more than it lasted, and the kill loses what came
    // after the last heartbeat from both.
    assert!(
        (seconds as f64 - tracked).abs() <= 2.5,
        "the slots hold {seconds} s of {tracked:.1} s tracked in two runs: {slots:#?}\n{output}"
    );
    assert!(tracked >= 8.0, "{logs:#?}");
    for s in &slots {
        assert!(
            s["mouse"].as_i64().unwrap_or(0) > 0 && s["overall"].as_i64().unwrap_or(0) > 0,
            "the activity survived: {s}"
        );
    }
    // A slot that ended while both runs were in it names both logs; one
    // crossing the ten minutes splits them, never repeats them.
    let named: usize = slots
        .iter()
        .map(|s| s["timeLogs"].as_array().map_or(0, Vec::len))
        .sum();
    assert!(
        (2..=3).contains(&named),
        "both runs' logs named, none twice over: {slots:#?}"
    );
}

//! Deleting a screenshot before it is uploaded takes the time it stood for
//! out of the logs (since the screenshot before it), here and then on the
//! server; where the organization keeps the time, only the picture goes.

mod common;

use std::time::Duration;

use chrono::Utc;
use common::{PASSWORD, Server, all_synced, eventually, open, server_logs, tracked};
use image::{Rgb, RgbImage};
use stint_agent::capture::{Captured, Format, Screens, ShotConfig, encode};
use stint_agent::outbox::Outbox;
use stint_desktop::Desktop;
use stint_desktop::dto::LogEntry;
use stint_model::{Instant, Role, SCREENSHOT_REMOVED, ScreenshotDeletion};

const EVE: &str = "eve@acme.test";

/// Puts a small solid screenshot taken at `at` into the app's outbox, as
/// the tracking loop would (through a second connection to the file).
fn add_shot(dir: &std::path::Path, at: Instant) -> String {
    let shot = Captured {
        monitor: "screen-1".into(),
        image: RgbImage::from_pixel(64, 48, Rgb([30, 120, 200])),
    };
    let cfg = ShotConfig {
        interval: Duration::from_secs(600),
        screens: Screens::All,
        blur: false,
        format: Format::Jpeg,
    };
    let encoded = encode(shot, &cfg).expect("encode");
    let mut outbox = Outbox::open(&dir.join("outbox.db")).expect("outbox");
    outbox
        .add_shot(at, &encoded)
        .expect("add shot")
        .id
        .to_string()
}

fn millis(logs: &[&LogEntry]) -> i64 {
    logs.iter()
        .map(|l| (l.stopped_at.expect("closed") - l.started_at).num_milliseconds())
        .sum()
}

async fn signed_in(server: &Server, dir: &std::path::Path) -> Desktop {
    server.user(EVE, "Eve Example", Role::Employee, None).await;
    let (app, _) = open(dir).await;
    app.sign_in(&server.url, EVE, PASSWORD)
        .await
        .expect("sign in");
    app
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deleting_a_screenshot_cuts_its_time_out_of_a_closed_log() {
    let mut server = Server::start().await;
    let dir = tempfile::tempdir().expect("temp dir");
    let app = signed_in(&server, dir.path()).await;

    let s = app.start(None, "design".into()).await.expect("start");
    let log_id = s.tracking.log_id.expect("running log");
    tokio::time::sleep(Duration::from_millis(1000)).await;
    let t1 = Utc::now();
    tokio::time::sleep(Duration::from_millis(1000)).await;
    let t2 = Utc::now();
    tokio::time::sleep(Duration::from_millis(1000)).await;
    app.stop().await.expect("stop");
    let before = all_synced(&app).await;
    let before = tracked(&before);
    assert_eq!(before.len(), 1, "{before:?}");
    assert_eq!(before[0].id, log_id);
    let whole = millis(&before);

    // Offline, so these stay local: a screenshot of a stopped log is
    // uploaded at the next sync (a stop is not idle).
    server.stop().await;
    let first = add_shot(dir.path(), t1);
    let second = add_shot(dir.path(), t2);
    let shots = app.recent_screenshots().await.expect("screenshots");
    let ids: Vec<&str> = shots.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, [second.as_str(), first.as_str()], "newest first");
    assert!(shots.iter().all(|s| !s.uploaded));
    assert!(
        shots[0].thumbnail.starts_with("data:image/jpeg;base64,") && shots[0].thumbnail.len() > 40,
        "a thumbnail to show"
    );
    assert_eq!(
        app.status().await.unwrap().sync.pending,
        2,
        "two shots wait"
    );

    app.delete_screenshot(&second).await.expect("delete");
    let shots = app.recent_screenshots().await.expect("screenshots");
    let ids: Vec<&str> = shots.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, [first.as_str()], "the deleted one is gone");

    // The log is split around [t1, t2): the time since the screenshot before.
    let logs = app.recent_logs().await.expect("recent logs");
    let mut parts = tracked(&logs);
    parts.sort_by_key(|l| l.started_at);
    assert_eq!(parts.len(), 2, "split in two: {logs:?}");
    let ms = |t: Instant| t.timestamp_millis();
    assert_eq!(parts[0].id, log_id, "the log keeps its start");
    assert_eq!(parts[0].started_at, before[0].started_at);
    assert_eq!(parts[0].stopped_at.map(ms), Some(ms(t1)));
    assert_eq!(ms(parts[1].started_at), ms(t2));
    assert_eq!(parts[1].stopped_at, before[0].stopped_at);
    assert_eq!(parts[1].description, "design", "the rest keeps its context");
    let cut = ms(t2) - ms(t1);
    assert_eq!(millis(&parts), whole - cut, "{parts:?}");
    assert!(cut <= 600_000, "at most one interval");

    // The server ends up with the same two pieces.
    server.restart().await;
    all_synced(&app).await;
    let token = server.token(EVE).await;
    let rows = eventually("the cut on the server", || async {
        let rows = server_logs(&server.url, &token).await;
        (rows.len() == 2).then_some(rows)
    })
    .await;
    let mut seconds: Vec<i64> = rows
        .iter()
        .map(|r| r["duration"].as_i64().expect("duration"))
        .collect();
    seconds.sort();
    let mut want: Vec<i64> = parts.iter().map(|l| l.seconds).collect();
    want.sort();
    assert_eq!(seconds, want, "{rows:?}");
    assert!(rows.iter().any(|r| r["id"] == log_id.as_str()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deleting_a_screenshot_while_tracking_cuts_the_running_log() {
    let mut server = Server::start().await;
    let dir = tempfile::tempdir().expect("temp dir");
    let app = signed_in(&server, dir.path()).await;
    let s = app.start(None, "review".into()).await.expect("start");
    // Offline, so these stay local: input after a screenshot lets it go at
    // the next sync.
    server.stop().await;
    let log_id = s.tracking.log_id.expect("running log");
    tokio::time::sleep(Duration::from_millis(1000)).await;
    let t1 = Utc::now();
    let first = add_shot(dir.path(), t1);
    tokio::time::sleep(Duration::from_millis(1000)).await;
    let t2 = Utc::now();
    let second = add_shot(dir.path(), t2);
    tokio::time::sleep(Duration::from_millis(300)).await;

    app.delete_screenshot(&second).await.expect("delete");
    let s = app.status().await.expect("status");
    assert_eq!(
        s.tracking.state,
        stint_desktop::dto::TrackingState::Tracking,
        "the timer runs on: {s:?}"
    );
    let logs = app.recent_logs().await.expect("recent logs");
    let mut parts = tracked(&logs);
    parts.sort_by_key(|l| l.started_at);
    assert_eq!(parts.len(), 2, "{logs:?}");
    assert_eq!(parts[0].id, log_id);
    let ms = |t: Instant| t.timestamp_millis();
    assert_eq!(parts[0].stopped_at.map(ms), Some(ms(t1)));
    assert_eq!(ms(parts[1].started_at), ms(t2));
    assert_eq!(parts[1].stopped_at, None, "the rest is the running log");
    assert_eq!(s.tracking.log_id.as_deref(), Some(parts[1].id.as_str()));
    let shots = app.recent_screenshots().await.expect("screenshots");
    assert_eq!(shots.len(), 1);
    assert_eq!(shots[0].id, first);

    server.restart().await;
    app.stop().await.expect("stop");
    let logs = all_synced(&app).await;
    assert_eq!(tracked(&logs).len(), 2, "{logs:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_and_malformed_screenshot_ids() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (app, _) = open(dir.path()).await;
    app.use_this_computer_only().await.expect("sign in");
    let e = app
        .delete_screenshot(&uuid::Uuid::now_v7().to_string())
        .await
        .unwrap_err();
    assert_eq!(e.code, "notFound", "{e:?}");
    let e = app.delete_screenshot("shot-1").await.unwrap_err();
    assert_eq!(e.code, "invalid", "{e:?}");
    assert!(app.recent_screenshots().await.unwrap().is_empty());
}

/// Where the organization keeps the time (`keep-time`), deleting a
/// screenshot takes only the picture: the logs stay whole, and the server's
/// slot says "screenshot removed by the employee" for the manager.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_keep_time_deleting_a_screenshot_keeps_its_time_and_says_so() {
    let mut server = Server::start().await;
    let org = server
        .store
        .org_by_name(stint_server::local::DEFAULT_ORG)
        .await
        .expect("the organization");
    server
        .store
        .set_screenshot_deletion(org.id, ScreenshotDeletion::KeepTime)
        .await
        .expect("keep-time");
    let dir = tempfile::tempdir().expect("temp dir");
    let app = signed_in(&server, dir.path()).await;
    let outbox = dir.path().join("outbox.db");
    eventually("the organization's rule, saved at sign-in", || async {
        let o = Outbox::open(&outbox).expect("outbox");
        (stint_agent::policy::screenshot_deletion(&o) == ScreenshotDeletion::KeepTime).then_some(())
    })
    .await;

    app.start(None, "design".into()).await.expect("start");
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let t1 = Utc::now();
    tokio::time::sleep(Duration::from_millis(500)).await;
    app.stop().await.expect("stop");
    let before = all_synced(&app).await;
    let whole = millis(&tracked(&before));

    // Offline, so the screenshot stays here to be deleted.
    server.stop().await;
    let shot = add_shot(dir.path(), t1);
    let shots = app.recent_screenshots().await.expect("screenshots");
    assert!(shots[0].delete_keeps_time, "the window can say so");
    app.delete_screenshot(&shot).await.expect("delete");
    assert!(
        app.recent_screenshots()
            .await
            .expect("screenshots")
            .is_empty()
    );
    let after = app.recent_logs().await.expect("recent logs");
    assert_eq!(millis(&tracked(&after)), whole, "the time stays: {after:?}");

    server.restart().await;
    let token = server.token(EVE).await;
    let day = t1.date_naive();
    let path = format!("/api/timesheet/activity?startDate={day}&endDate={day}");
    eventually("the note in the slot on the server", || async {
        let page = server.get(&token, &path).await;
        page["items"]
            .as_array()?
            .iter()
            .any(|a| a["title"] == SCREENSHOT_REMOVED)
            .then_some(())
    })
    .await;
}

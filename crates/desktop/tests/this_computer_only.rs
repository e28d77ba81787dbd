//! "This computer only": the embedded server started in-process, a timer
//! run synced to it over loopback, the week's timesheet submitted, and the
//! session remembered when the app opens again.

mod common;

use std::time::Duration;

use common::{all_synced, open, tracked};
use stint_desktop::dto::{LogKind, SyncState, TimesheetStatus, TrackingState};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn track_sync_and_submit_on_this_computer() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (app, _notices) = open(dir.path()).await;

    let s = app.status().await.expect("status");
    assert!(!s.signed_in, "a fresh app is signed out: {s:?}");
    assert_eq!(s.tracking.state, TrackingState::Stopped);

    let s = app
        .use_this_computer_only()
        .await
        .expect("this computer only");
    assert!(s.signed_in);
    let user = s.user.expect("a user");
    assert_eq!(
        user.server, None,
        "the embedded server has no address to show"
    );
    assert_eq!(user.email, stint_server::local::LOCAL_EMAIL);
    assert!(!user.can_approve, "nobody to approve on this computer");

    let s = app
        .start(None, "writing".into())
        .await
        .expect("start the timer");
    assert_eq!(s.tracking.state, TrackingState::Tracking, "{s:?}");
    let log_id = s.tracking.log_id.clone().expect("the running log's id");
    assert_eq!(s.tracking.description.as_deref(), Some("writing"));

    tokio::time::sleep(Duration::from_millis(1500)).await;
    let s = app.stop().await.expect("stop the timer");
    assert_eq!(s.tracking.state, TrackingState::Stopped, "{s:?}");
    assert_eq!(s.tracking.log_id, None);

    let logs = all_synced(&app).await;
    let mine: Vec<_> = tracked(&logs);
    assert_eq!(mine.len(), 1, "one tracked log: {logs:?}");
    let log = mine[0];
    assert_eq!(log.id, log_id);
    assert_eq!(log.description, "writing");
    assert_eq!(log.kind, LogKind::Tracked);
    assert_eq!(log.sync, SyncState::Synced);
    assert!(log.stopped_at.is_some(), "{log:?}");
    assert!(log.seconds >= 1, "{log:?}");
    let s = app.status().await.expect("status");
    assert!(
        s.today_seconds >= 1 && s.week_seconds >= s.today_seconds,
        "{s:?}"
    );

    let week = app.timesheet(None).await.expect("this week's timesheet");
    let sheet_id = week.id.clone().expect("the server made this week's sheet");
    assert_eq!(week.status, TimesheetStatus::Draft);
    assert_eq!(week.entries.len(), 1, "{week:?}");
    assert_eq!(week.entries[0].id, log_id);
    assert_eq!(week.entries[0].description, "writing");
    assert!(week.total_seconds >= 1, "{week:?}");

    let week = app.submit_timesheet(&sheet_id).await.expect("submit");
    assert_eq!(week.id.as_deref(), Some(sheet_id.as_str()));
    // The local user is an admin with no supervisor: the server approves
    // such a user's own submission at once (IceHrm's rule), so "submitted"
    // goes straight on to approved here.
    assert_eq!(week.status, TimesheetStatus::Approved, "{week:?}");
    assert_eq!(
        app.timesheet(None).await.expect("timesheet").status,
        TimesheetStatus::Approved
    );
    app.shutdown().await;
    drop(app);

    // The app opens again on the same data: still signed in, same log.
    let (again, _) = open(dir.path()).await;
    let s = again.status().await.expect("status");
    assert!(s.signed_in, "the session is remembered: {s:?}");
    assert_eq!(s.user.expect("user").server, None);
    assert_eq!(s.tracking.state, TrackingState::Stopped);
    let logs = again.recent_logs().await.expect("recent logs");
    assert!(logs.iter().any(|l| l.id == log_id), "{logs:?}");
    let week = again
        .timesheet(None)
        .await
        .expect("the timesheet through the restarted embedded server");
    assert_eq!(week.id.as_deref(), Some(sheet_id.as_str()));
    assert_eq!(week.entries.len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn commands_that_need_a_session_say_signed_out() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (app, _) = open(dir.path()).await;
    let e = app.start(None, "x".into()).await.unwrap_err();
    assert_eq!(e.code, "signedOut", "{e:?}");
    let e = app.timesheet(None).await.unwrap_err();
    assert_eq!(e.code, "signedOut", "{e:?}");
    let e = app.pending_approvals().await.unwrap_err();
    assert_eq!(e.code, "signedOut", "{e:?}");
    let s = app.stop().await.expect("stop when nothing runs");
    assert_eq!(s.tracking.state, TrackingState::Stopped);
}

//! Signing out keeps what has not reached the server yet, for the person
//! who tracked it: nobody else may sign in here until it is sent.

mod common;

use std::time::Duration;

use common::{PASSWORD, Server, all_synced, eventually, open, server_logs, tracked};
use stint_desktop::dto::{SyncState, TrackingState};
use stint_model::Role;

const EVE: &str = "eve@acme.test";
const BOB: &str = "bob@other.test";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unsent_time_waits_for_its_owner() {
    let mut a = Server::start().await;
    a.user(EVE, "Eve Example", Role::Employee, None).await;
    let b = Server::start().await;
    b.user(BOB, "Bob Other", Role::Employee, None).await;
    let dir = tempfile::tempdir().expect("temp dir");
    let (app, _) = open(dir.path()).await;
    app.sign_in(&a.url, EVE, PASSWORD)
        .await
        .expect("eve signs in");

    // Eve's server goes away; she tracks all the same.
    a.stop().await;
    let s = app.start(None, "on the train".into()).await.expect("start");
    let log_id = s.tracking.log_id.expect("running log");
    tokio::time::sleep(Duration::from_millis(1200)).await;
    let s = app.stop().await.expect("stop");
    assert_eq!(s.tracking.state, TrackingState::Stopped);
    let s = eventually("the app to notice the server is away", || async {
        let s = app.status().await.expect("status");
        s.sync.offline.then_some(s)
    })
    .await;
    assert!(s.sync.pending >= 1, "{s:?}");
    assert!(s.sync.message.is_some(), "says why: {s:?}");

    let s = app.sign_out().await.expect("sign out");
    assert!(!s.signed_in, "{s:?}");
    assert!(s.sync.pending >= 1, "unsent time is kept: {s:?}");
    let logs = app.recent_logs().await.expect("recent logs");
    let log = logs.iter().find(|l| l.id == log_id).expect("the log stays");
    assert_eq!(log.sync, SyncState::Pending);

    // Someone else may not sign in here while Eve's time waits.
    let e = app.sign_in(&b.url, BOB, PASSWORD).await.unwrap_err();
    assert_eq!(e.code, "conflict", "{e:?}");
    assert!(e.message.contains(EVE), "names whose time it is: {e:?}");
    let e = app.use_this_computer_only().await.unwrap_err();
    assert_eq!(e.code, "conflict", "{e:?}");
    let s = app.status().await.expect("status");
    assert!(!s.signed_in, "still signed out: {s:?}");
    let e = app.start(None, "x".into()).await.unwrap_err();
    assert_eq!(e.code, "signedOut", "{e:?}");

    // Eve's server is back; she signs in and her time is sent.
    a.restart().await;
    let s = app.sign_in(&a.url, EVE, PASSWORD).await.expect("eve again");
    assert_eq!(s.user.expect("user").email, EVE);
    let logs = all_synced(&app).await;
    assert_eq!(tracked(&logs).len(), 1, "{logs:?}");
    let token = a.token(EVE).await;
    let rows = server_logs(&a.url, &token).await;
    assert!(
        rows.iter().any(|r| r["id"] == log_id.as_str()),
        "on Eve's server: {rows:?}"
    );

    // Now nothing waits: Bob may use this computer.
    app.sign_out().await.expect("sign out");
    let s = app
        .sign_in(&b.url, BOB, PASSWORD)
        .await
        .expect("bob signs in");
    assert_eq!(s.user.expect("user").email, BOB);
    assert_eq!(s.today_seconds, 0, "Eve's hours are not Bob's");
    assert!(
        app.recent_logs().await.expect("recent logs").is_empty(),
        "Bob does not see Eve's logs"
    );
    let token = b.token(BOB).await;
    assert!(
        server_logs(&b.url, &token).await.is_empty(),
        "none of Eve's time reached Bob's server"
    );
}

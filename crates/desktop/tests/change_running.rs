//! Changing what the running timer is about: its project, task and
//! description change on the running log, which reaches the server with
//! them, without stopping the timer.

mod common;

use std::time::Duration;

use common::{all_synced, manager_app, server_log, tracked};
use stint_desktop::dto::TrackingState;

const MAYA: &str = "maya@acme.test";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_running_log_takes_a_new_project_task_and_description() {
    let (server, app, _dir) = manager_app(MAYA).await;
    let website = app
        .create_project("Website")
        .await
        .expect("project")
        .project;
    let checkout = app
        .create_task(&website.id, "Checkout page")
        .await
        .expect("task");

    let e = app
        .change_running(None, None, "nothing runs".into())
        .await
        .unwrap_err();
    assert_eq!(e.code, "conflict", "{e:?}");

    let s = app.start(None, "emails".into()).await.expect("start");
    let log_id = s.tracking.log_id.expect("running log");
    tokio::time::sleep(Duration::from_millis(600)).await;
    let s = app
        .change_running(
            Some(website.id.clone()),
            Some(checkout.id.clone()),
            "cart button".into(),
        )
        .await
        .expect("change while running");
    assert_eq!(s.tracking.state, TrackingState::Tracking, "{s:?}");
    assert_eq!(
        s.tracking.log_id.as_deref(),
        Some(log_id.as_str()),
        "same log"
    );
    assert_eq!(s.tracking.project_name.as_deref(), Some("Website"));
    assert_eq!(s.tracking.description.as_deref(), Some("cart button"));
    let e = app
        .change_running(None, Some(checkout.id.clone()), "x".into())
        .await
        .unwrap_err();
    assert_eq!(e.code, "invalid", "a task needs its project: {e:?}");

    tokio::time::sleep(Duration::from_millis(600)).await;
    app.stop().await.expect("stop");
    let logs = all_synced(&app).await;
    assert_eq!(tracked(&logs).len(), 1, "still one log: {logs:?}");
    let row = server_log(&server, MAYA, &log_id).await;
    assert_eq!(row["projectId"], website.id.as_str(), "{row}");
    assert_eq!(row["taskId"], checkout.id.as_str(), "{row}");
    assert_eq!(row["description"], "cart button", "{row}");
}

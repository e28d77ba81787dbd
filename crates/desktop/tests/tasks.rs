//! The task picker: a project's tasks from the server, "New task…" made
//! there (an existing title chosen, not doubled), and a start on a task
//! that reaches the server with the log.

mod common;

use std::time::Duration;

use common::{all_synced, manager_app, server_log, tracked};

const MAYA: &str = "maya@acme.test";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_task_is_picked_and_its_time_reaches_the_server_on_it() {
    let (server, app, _dir) = manager_app(MAYA).await;
    let website = app
        .create_project("Website")
        .await
        .expect("project")
        .project;
    let docs = app.create_project("Docs").await.expect("project").project;
    assert!(app.tasks(&website.id).await.expect("tasks").is_empty());

    let checkout = app
        .create_task(&website.id, " Checkout page ")
        .await
        .expect("new task");
    assert_eq!(checkout.title, "Checkout page");
    assert_eq!(checkout.project_id, website.id);
    let again = app
        .create_task(&website.id, "checkout page")
        .await
        .expect("same title");
    assert_eq!(again.id, checkout.id, "not a second one");
    let e = app.create_task(&website.id, "  ").await.unwrap_err();
    assert_eq!(e.code, "invalid", "{e:?}");
    let listed = app.tasks(&website.id).await.expect("tasks");
    assert_eq!(listed, std::slice::from_ref(&checkout));
    assert!(app.tasks(&docs.id).await.expect("tasks").is_empty());

    // A task of another project, or without one, does not start.
    let e = app
        .start_on(Some(docs.id.clone()), Some(checkout.id.clone()), "x".into())
        .await
        .unwrap_err();
    assert_eq!(e.code, "invalid", "{e:?}");
    let e = app
        .start_on(None, Some(checkout.id.clone()), "x".into())
        .await
        .unwrap_err();
    assert_eq!(e.code, "invalid", "{e:?}");

    let s = app
        .start_on(
            Some(website.id.clone()),
            Some(checkout.id.clone()),
            "cart".into(),
        )
        .await
        .expect("start on the task");
    let log_id = s.tracking.log_id.expect("running log");
    tokio::time::sleep(Duration::from_millis(1200)).await;
    app.stop().await.expect("stop");
    let logs = all_synced(&app).await;
    assert_eq!(tracked(&logs).len(), 1, "{logs:?}");
    let row = server_log(&server, MAYA, &log_id).await;
    assert_eq!(row["taskId"], checkout.id.as_str(), "{row}");
    assert_eq!(row["projectId"], website.id.as_str(), "{row}");
}

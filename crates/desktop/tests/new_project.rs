//! "New project…" in the window: made on the server when it answers, made
//! on this computer when it does not (and sent before the time tracked on
//! it), never twice, and refused with the server's words when the person
//! may not create projects.

mod common;

use std::time::Duration;

use common::{PASSWORD, Server, all_synced, open, server_log, tracked};
use stint_desktop::dto::Made;
use stint_model::Role;

const MAYA: &str = "maya@acme.test";
const EMP: &str = "emp@acme.test";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_this_computer_only_a_new_project_takes_time_at_once() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (app, _) = open(dir.path()).await;
    app.use_this_computer_only()
        .await
        .expect("this computer only");
    assert!(app.projects().await.expect("projects").is_empty());

    let made = app.create_project(" Website ").await.expect("new project");
    assert_eq!(made.made, Made::Created, "{made:?}");
    assert_eq!(made.project.name, "Website");
    let again = app.create_project("website").await.expect("same name");
    assert_eq!(again.made, Made::Existing, "{again:?}");
    assert_eq!(again.project.id, made.project.id, "not a second one");
    let e = app.create_project("   ").await.unwrap_err();
    assert_eq!(e.code, "invalid", "{e:?}");
    let names: Vec<String> = app
        .projects()
        .await
        .expect("projects")
        .into_iter()
        .map(|p| p.name)
        .collect();
    assert_eq!(names, ["Website"]);

    app.start(Some(made.project.id.clone()), "landing page".into())
        .await
        .expect("start on it");
    tokio::time::sleep(Duration::from_millis(1200)).await;
    app.stop().await.expect("stop");
    let logs = all_synced(&app).await;
    let mine = tracked(&logs);
    assert_eq!(mine.len(), 1, "{logs:?}");
    assert_eq!(mine[0].project_name.as_deref(), Some("Website"));

    // The embedded server has the one log, on that project.
    let store = stint_server::local::open_store(None, dir.path())
        .await
        .expect("the embedded server's store");
    let org = store
        .org_by_name(stint_server::local::DEFAULT_ORG)
        .await
        .expect("its organization");
    let on_server = store
        .list_logs(&stint_store::Filter::org(org.id))
        .await
        .expect("its logs");
    let tracked_there: Vec<_> = on_server
        .iter()
        .filter(|l| l.log_type == stint_model::LogType::Tracked)
        .collect();
    assert_eq!(tracked_there.len(), 1, "{on_server:?}");
    assert_eq!(
        tracked_there[0].project_id.map(|p| p.to_string()),
        Some(made.project.id.clone())
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn offline_a_new_project_waits_and_reaches_the_server_once_before_its_time() {
    let mut server = Server::start().await;
    server.user(MAYA, "Maya Manager", Role::Manager, None).await;
    server.user(EMP, "Emp Loyee", Role::Employee, None).await;

    // An employee may not create projects on this company's server: the
    // server's words come back at once, nothing waits.
    let dir = tempfile::tempdir().expect("temp dir");
    let (app, _) = open(dir.path()).await;
    app.sign_in(&server.url, EMP, PASSWORD).await.expect("emp");
    let e = app.create_project("Side project").await.unwrap_err();
    assert_eq!(e.code, "refused", "{e:?}");
    assert!(app.projects().await.expect("projects").is_empty());
    app.sign_out().await.expect("sign out");
    drop(app);

    let dir = tempfile::tempdir().expect("temp dir");
    let (app, _) = open(dir.path()).await;
    app.sign_in(&server.url, MAYA, PASSWORD)
        .await
        .expect("maya");
    server.stop().await;
    let made = app.create_project("Docs").await.expect("made offline");
    assert_eq!(made.made, Made::Queued, "{made:?}");
    let listed = app.projects().await.expect("the saved list");
    assert!(listed.iter().any(|p| p.id == made.project.id), "{listed:?}");
    let s = app
        .start(Some(made.project.id.clone()), "outline".into())
        .await
        .expect("start on it offline");
    let log_id = s.tracking.log_id.expect("running log");
    tokio::time::sleep(Duration::from_millis(1200)).await;
    app.stop().await.expect("stop");

    server.restart().await;
    let logs = all_synced(&app).await;
    assert_eq!(tracked(&logs).len(), 1, "{logs:?}");
    let row = server_log(&server, MAYA, &log_id).await;
    assert_eq!(row["projectId"], made.project.id.as_str(), "{row}");
    let token = server.token(MAYA).await;
    let projects = server.get(&token, "/api/organization-projects").await;
    let docs: Vec<_> = projects["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter(|p| p["name"] == "Docs")
        .collect();
    assert_eq!(docs.len(), 1, "one Docs: {projects}");
    assert_eq!(docs[0]["id"], made.project.id.as_str());
}

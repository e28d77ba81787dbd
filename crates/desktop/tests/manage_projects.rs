//! Settings → Projects against a real server: a manager renames and
//! archives, and the timer's picker follows (online, and from the saved
//! list when the server is gone); a taken name is a `conflict`; an
//! employee neither sees the section nor gets a change past the server.

mod common;

use common::{PASSWORD, Server, open};
use stint_desktop::Desktop;
use stint_model::Role;

const MAYA: &str = "maya@acme.test";
const EMP: &str = "emp@acme.test";

async fn names(app: &Desktop) -> Vec<String> {
    let mut names: Vec<String> = app
        .projects()
        .await
        .expect("projects")
        .into_iter()
        .map(|p| p.name)
        .collect();
    names.sort();
    names
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_manager_renames_and_archives_and_the_picker_follows() {
    let mut server = Server::start().await;
    server.user(MAYA, "Maya Manager", Role::Manager, None).await;
    server.user(EMP, "Emp Loyee", Role::Employee, None).await;

    let dir = tempfile::tempdir().expect("temp dir");
    let (app, _) = open(dir.path()).await;
    let s = app
        .sign_in(&server.url, MAYA, PASSWORD)
        .await
        .expect("maya");
    assert!(s.user.expect("user").can_manage_projects, "a manager does");
    let website = app
        .create_project("Website")
        .await
        .expect("website")
        .project;
    let docs = app.create_project("Docs").await.expect("docs").project;

    let e = app.rename_project(&website.id, "Docs").await.unwrap_err();
    assert_eq!(e.code, "conflict", "{e:?}");
    let e = app.rename_project(&website.id, "  ").await.unwrap_err();
    assert_eq!(e.code, "invalid", "checked before sending: {e:?}");
    let e = app
        .rename_project(&uuid::Uuid::now_v7().to_string(), "Elsewhere")
        .await
        .unwrap_err();
    assert_eq!(e.code, "notFound", "{e:?}");

    let renamed = app
        .rename_project(&website.id, " Web site ")
        .await
        .expect("rename");
    assert_eq!(
        (renamed.id.as_str(), renamed.name.as_str()),
        (website.id.as_str(), "Web site")
    );
    app.archive_project(&docs.id).await.expect("archive");
    assert_eq!(names(&app).await, ["Web site"]);

    // The saved list had the changes too: with the server gone, the picker
    // still offers the new name and not the archived project.
    server.stop().await;
    assert_eq!(names(&app).await, ["Web site"]);
    server.restart().await;
    app.sign_out().await.expect("sign out");
    drop(app);

    // An employee does not see Projects, and the server refuses them in
    // its own words even when the call is made.
    let dir = tempfile::tempdir().expect("temp dir");
    let (app, _) = open(dir.path()).await;
    let s = app.sign_in(&server.url, EMP, PASSWORD).await.expect("emp");
    assert!(
        !s.user.expect("user").can_manage_projects,
        "an employee does not"
    );
    let e = app.rename_project(&website.id, "Mine").await.unwrap_err();
    assert_eq!(e.code, "refused", "{e:?}");
    assert!(e.message.contains("only managers and admins"), "{e:?}");
    let e = app.archive_project(&website.id).await.unwrap_err();
    assert_eq!(e.code, "refused", "{e:?}");

    let token = server.token(MAYA).await;
    let listed = server.get(&token, "/api/organization-projects").await;
    let names: Vec<&str> = listed["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|p| p["name"].as_str())
        .collect();
    assert_eq!(names, ["Web site"], "{listed}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_this_computer_only_the_one_person_manages_projects() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (app, _) = open(dir.path()).await;
    let s = app
        .use_this_computer_only()
        .await
        .expect("this computer only");
    assert!(s.user.expect("user").can_manage_projects);
    let p = app.create_project("Website").await.expect("new").project;
    app.rename_project(&p.id, "Site").await.expect("rename");
    assert_eq!(names(&app).await, ["Site"]);
    app.archive_project(&p.id).await.expect("archive");
    assert!(names(&app).await.is_empty());
}

//! Who is signed in on the computer, told by the real `stint` binary under
//! Xvfb against a real `stint serve` that hangs (SIGSTOP) when the story
//! says so: unsent time reaches only the person who tracked it, and a
//! hanging server does not hold up `stint track --project`.

#[path = "util/desktop.rs"]
mod desktop;
#[allow(unused_macros)]
mod util;

use std::process::Output;
use std::time::{Duration, Instant};

use desktop::{Display, Tracker};
use serde_json::Value;
use util::{Backend, PASSWORD, Server};

const EMP: &str = "emp@acme.test";
const EMP2: &str = "emp2@acme.test";

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn login(tracker: &Tracker, server: &Server, email: &str) -> Output {
    tracker.cmd(&[
        "login",
        "--server",
        &server.base,
        "--email",
        email,
        "--password",
        PASSWORD,
    ])
}

fn status(tracker: &Tracker) -> String {
    text(&tracker.cmd(&["status"]))
}

/// A server with emp, emp2 and the project Website; a tracker signed in
/// as emp while the server answered.
async fn setup() -> (Server, Tracker, tempfile::TempDir) {
    let server = Server::start(Backend::Sqlite).await;
    server.user(EMP, &[]).await;
    server.user(EMP2, &[]).await;
    server.project("Website", &[]).await;
    let dir = tempfile::tempdir().expect("temp dir");
    let tracker = Tracker::new(dir.path());
    let out = login(&tracker, &server, EMP);
    assert!(out.status.success(), "login: {}", text(&out));
    (server, tracker, dir)
}

/// `email`'s logs as the server has them.
async fn server_logs(server: &Server, email: &str) -> Vec<Value> {
    let me = server.login(email, PASSWORD).await;
    let (status, body) = me.get("/api/timesheet/time-log").await;
    assert_eq!(status, 200, "{body}");
    body["items"].as_array().cloned().unwrap_or_default()
}

#[tokio::test]
async fn unsent_time_is_sent_as_its_owners_before_anyone_else_signs_in() {
    let Some(x) = Display::start() else { return };
    let (server, mut tracker, _dir) = setup().await;
    // emp works a few seconds while the server hangs: it all waits here.
    server.pause();
    let working = x.keep_moving();
    tracker.start(
        &x.name,
        &["--idle-threshold", "60s", "--screenshot-interval", "off"],
    );
    tracker.wait_for("started tracking", 20);
    std::thread::sleep(Duration::from_secs(3));
    tracker.interrupt();
    drop(working);
    server.resume();
    let before = status(&tracker);
    assert!(
        before.contains(&format!("signed in as {EMP}")) && !before.contains("pending: 0,"),
        "{before}\n{}",
        tracker.output()
    );

    // emp2 on the same computer is refused, told whom to ask, and nothing changes.
    let refused = login(&tracker, &server, EMP2);
    assert_eq!(refused.status.code(), Some(1), "{}", text(&refused));
    let said = text(&refused);
    assert!(
        said.contains(&format!("tracked by {EMP} on this computer"))
            && said.contains(&format!("Sign in as {EMP} to send them first")),
        "{said}"
    );
    assert_eq!(
        status(&tracker),
        before,
        "a refused sign-in changes nothing"
    );

    // emp sends it; then emp2 signs in to an empty local history.
    let synced = tracker.cmd(&["sync"]);
    assert!(synced.status.success(), "{}", text(&synced));
    let out = login(&tracker, &server, EMP2);
    assert!(out.status.success(), "{}", text(&out));
    let after = status(&tracker);
    assert!(
        after.contains(&format!("signed in as {EMP2}")) && after.contains("pending: 0, failed: 0"),
        "{after}"
    );
    let emps = server_logs(&server, EMP).await;
    assert!(!emps.is_empty(), "emp's time reached emp's account");
    assert!(
        server_logs(&server, EMP2).await.is_empty(),
        "none of it went to emp2"
    );
    let synced_again = tracker.cmd(&["sync"]);
    assert!(
        text(&synced_again).contains("synced 0"),
        "{}",
        text(&synced_again)
    );
    assert_eq!(server_logs(&server, EMP).await.len(), emps.len());
}

#[tokio::test]
async fn a_hanging_server_does_not_hold_up_a_start_with_a_project() {
    let Some(x) = Display::start() else { return };
    let (server, mut tracker, _dir) = setup().await;
    // The list the sign-in saved is all there is while the server hangs.
    server.pause();
    let began = Instant::now();
    let unknown = tracker.cmd(&["track", "--project", "Apollo"]);
    assert_eq!(unknown.status.code(), Some(2), "{}", text(&unknown));
    let said = text(&unknown);
    assert!(
        said.contains("no project 'Apollo'") && said.contains("(yours: Website)"),
        "{said}"
    );
    assert!(
        began.elapsed() < Duration::from_secs(8),
        "{:?}",
        began.elapsed()
    );

    let working = x.keep_moving();
    let began = Instant::now();
    tracker.start(
        &x.name,
        &["--project", "website", "--screenshot-interval", "off"],
    );
    tracker.wait_for("started tracking", 10);
    assert!(
        began.elapsed() < Duration::from_secs(8),
        "{:?}",
        began.elapsed()
    );
    assert!(
        tracker
            .output()
            .contains("server unreachable: using the project list saved at "),
        "{}",
        tracker.output()
    );
    std::thread::sleep(Duration::from_secs(2));
    tracker.interrupt();
    drop(working);

    // Back online, the time arrives on Website.
    server.resume();
    let synced = tracker.cmd(&["sync"]);
    assert!(synced.status.success(), "{}", text(&synced));
    let (_, projects) = server
        .login(EMP, PASSWORD)
        .await
        .get("/api/organization-projects")
        .await;
    let website = projects["items"][0]["id"].clone();
    let logs = server_logs(&server, EMP).await;
    assert!(
        !logs.is_empty() && logs.iter().all(|l| l["projectId"] == website),
        "{logs:#?}"
    );
}

#[tokio::test]
async fn a_task_is_tracked_by_its_title_online_and_from_the_saved_list_while_the_server_hangs() {
    let Some(x) = Display::start() else { return };
    let (server, mut tracker, _dir) = setup().await;
    let checkout = server.task("Website", "Checkout page", &[]).await;
    // Signed in before the task existed: the next sign-in saves it.
    let out = login(&tracker, &server, EMP);
    assert!(out.status.success(), "login: {}", text(&out));

    let unknown = tracker.cmd(&["track", "--project", "Website", "--task", "Cart"]);
    assert_eq!(unknown.status.code(), Some(2), "{}", text(&unknown));
    assert!(
        text(&unknown).contains("no task 'Cart' in that project (its tasks: Checkout page)"),
        "{}",
        text(&unknown)
    );

    server.pause();
    let working = x.keep_moving();
    tracker.start(
        &x.name,
        &[
            "--project",
            "Website",
            "--task",
            "checkout page",
            "--screenshot-interval",
            "off",
        ],
    );
    tracker.wait_for("started tracking", 10);
    assert!(
        tracker
            .output()
            .contains("server unreachable: using the task list saved at "),
        "{}",
        tracker.output()
    );
    std::thread::sleep(Duration::from_secs(2));
    tracker.interrupt();
    drop(working);

    server.resume();
    let synced = tracker.cmd(&["sync"]);
    assert!(synced.status.success(), "{}", text(&synced));
    let logs = server_logs(&server, EMP).await;
    assert!(
        !logs.is_empty() && logs.iter().all(|l| l["taskId"] == checkout.as_str()),
        "{logs:#?}"
    );
}

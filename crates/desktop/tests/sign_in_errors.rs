//! Signing in to a server, and the ways it fails: each failure says why in
//! a code the window understands and leaves the app signed out.

mod common;

use common::{PASSWORD, Server, dead_port, open};
use stint_desktop::Desktop;
use stint_model::Role;

async fn still_signed_out(app: &Desktop) {
    let s = app.status().await.expect("status");
    assert!(!s.signed_in, "{s:?}");
    assert_eq!(s.user, None);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bad_address_is_invalid() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (app, _) = open(dir.path()).await;
    for server in [
        "stint.example.com",
        "ftp://stint.example.com",
        "http://",
        "",
    ] {
        let e = app
            .sign_in(server, "eve@acme.test", PASSWORD)
            .await
            .unwrap_err();
        assert_eq!(e.code, "invalid", "{server:?}: {e:?}");
        assert!(!e.message.is_empty());
        still_signed_out(&app).await;
    }
    let e = app
        .sign_in("http://127.0.0.1:1", "not an email", PASSWORD)
        .await
        .unwrap_err();
    assert_eq!(e.code, "invalid", "{e:?}");
    let e = app
        .sign_in("http://127.0.0.1:1", "eve@acme.test", "")
        .await
        .unwrap_err();
    assert_eq!(e.code, "invalid", "{e:?}");
    still_signed_out(&app).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_password_is_refused_then_the_right_one_signs_in() {
    let server = Server::start().await;
    server
        .user("eve@acme.test", "Eve Example", Role::Employee, None)
        .await;
    let dir = tempfile::tempdir().expect("temp dir");
    let (app, _) = open(dir.path()).await;

    let e = app
        .sign_in(&server.url, "eve@acme.test", "not-her-password")
        .await
        .unwrap_err();
    assert_eq!(e.code, "refused", "{e:?}");
    assert!(!e.message.trim().is_empty(), "a message to show: {e:?}");
    still_signed_out(&app).await;

    let e = app
        .sign_in(&server.url, "nobody@acme.test", PASSWORD)
        .await
        .unwrap_err();
    assert_eq!(e.code, "refused", "{e:?}");
    still_signed_out(&app).await;

    // A trailing slash and spaces are forgiven.
    let s = app
        .sign_in(&format!(" {}/ ", server.url), "eve@acme.test", PASSWORD)
        .await
        .expect("the right password");
    assert!(s.signed_in);
    let user = s.user.expect("user");
    assert_eq!(user.email, "eve@acme.test");
    assert_eq!(user.name, "Eve Example");
    assert_eq!(user.server.as_deref(), Some(server.url.as_str()));
    assert!(!user.can_approve, "an employee approves nothing");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_nobody_answers_is_offline() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (app, _) = open(dir.path()).await;
    let url = format!("http://127.0.0.1:{}", dead_port());
    let e = app
        .sign_in(&url, "eve@acme.test", PASSWORD)
        .await
        .unwrap_err();
    assert_eq!(e.code, "offline", "{e:?}");
    assert!(e.message.contains("127.0.0.1"), "names the server: {e:?}");
    still_signed_out(&app).await;
    let s = app.status().await.expect("status");
    assert_eq!(s.sync.pending, 0);
}

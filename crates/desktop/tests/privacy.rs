//! Omar's Privacy tab: his manager opens one of his screenshots on the
//! server, and Omar's app lists it with her name, newest first (DESIGN.md
//! story 7). Nobody else's views and none of his own are listed.

mod common;

use common::{PASSWORD, Server, open};
use reqwest::multipart::{Form, Part};
use serde_json::Value;
use stint_desktop::dto::ViewKind;
use stint_model::Role;

const BOSS: &str = "lena@acme.test";
const EMPLOYEE: &str = "omar@acme.test";

/// A small PNG, as any screenshot upload would carry.
fn png() -> Vec<u8> {
    let img = image::RgbImage::from_pixel(16, 9, image::Rgb([40, 90, 160]));
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png)
        .expect("encode png");
    out.into_inner()
}

/// Uploads a screenshot as the holder of `token`; returns the server's row.
async fn upload(server: &Server, token: &str) -> Value {
    let file = Part::bytes(png())
        .file_name("s.png")
        .mime_str("image/png")
        .expect("mime");
    let r = reqwest::Client::new()
        .post(format!("{}/api/timesheet/screenshot", server.url))
        .bearer_auth(token)
        .multipart(Form::new().part("file", file))
        .send()
        .await
        .expect("upload");
    assert_eq!(r.status(), 201, "upload");
    r.json().await.expect("the uploaded screenshot")
}

/// Opens `path` (a screenshot's image or thumbnail) as the holder of `token`.
async fn look(server: &Server, token: &str, path: &Value) {
    let path = path.as_str().expect("a link");
    let r = reqwest::Client::new()
        .get(format!("{}{path}", server.url))
        .bearer_auth(token)
        .send()
        .await
        .expect("open the screenshot");
    assert_eq!(r.status(), 200, "GET {path}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_manager_opens_a_screenshot_and_the_employee_sees_who() {
    let server = Server::start().await;
    let boss = server
        .user(BOSS, "Lena Lind", Role::Manager, None)
        .await
        .to_string();
    server
        .user(
            EMPLOYEE,
            "Omar Odeh",
            Role::Employee,
            Some(boss.parse().unwrap()),
        )
        .await;
    let (dir_a, dir_b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let (omar, _) = open(dir_a.path()).await;
    let (lena, _) = open(dir_b.path()).await;
    omar.sign_in(&server.url, EMPLOYEE, PASSWORD)
        .await
        .expect("Omar signs in");
    lena.sign_in(&server.url, BOSS, PASSWORD)
        .await
        .expect("Lena signs in");
    assert!(omar.screenshot_views().await.expect("views").is_empty());

    let omar_token = server.token(EMPLOYEE).await;
    let shot = upload(&server, &omar_token).await;
    // Omar looking at his own screenshot is nobody else's view.
    look(&server, &omar_token, &shot["thumb"]).await;
    assert!(omar.screenshot_views().await.expect("views").is_empty());

    let lena_token = server.token(BOSS).await;
    look(&server, &lena_token, &shot["thumb"]).await;
    look(&server, &lena_token, &shot["file"]).await;

    let views = omar.screenshot_views().await.expect("views");
    assert_eq!(views.len(), 2, "{views:?}");
    assert_eq!(
        views.iter().map(|v| v.kind).collect::<Vec<_>>(),
        [ViewKind::File, ViewKind::Thumb],
        "newest first: {views:?}"
    );
    for v in &views {
        assert_eq!(v.viewer_name, "Lena Lind");
        assert_eq!(v.viewer_id, boss);
        assert_eq!(Some(v.screenshot_id.as_str()), shot["id"].as_str());
        assert!(v.viewed_at <= chrono::Utc::now());
    }
    // Lena's own list holds nothing: the views were of Omar's screenshots.
    assert!(lena.screenshot_views().await.expect("views").is_empty());

    // Signed out, the tab says so rather than showing an empty list.
    omar.sign_out().await.expect("sign out");
    let e = omar.screenshot_views().await.unwrap_err();
    assert_eq!(e.code, "signedOut", "{e:?}");

    // The server gone: an error in words, not an empty list.
    omar.sign_in(&server.url, EMPLOYEE, PASSWORD)
        .await
        .expect("Omar signs in again");
    let mut server = server;
    server.stop().await;
    let e = omar.screenshot_views().await.unwrap_err();
    assert_eq!(e.code, "offline", "{e:?}");
    assert!(e.message.contains("Can't reach"), "{e:?}");
}

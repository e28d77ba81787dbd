//! "Download my data" from the Privacy tab: Omar's app fetches the zip of
//! his data from the server he is signed in to and saves it in his
//! downloads folder under today's name, never over an earlier download;
//! the zip holds his screenshot as uploaded and his manager's view of it.

mod common;

use std::io::Read;

use common::{PASSWORD, Server, open};
use reqwest::multipart::{Form, Part};
use serde_json::Value;
use stint_model::Role;

const BOSS: &str = "lena@acme.test";
const EMPLOYEE: &str = "omar@acme.test";

fn png() -> Vec<u8> {
    let img = image::RgbImage::from_pixel(16, 9, image::Rgb([200, 90, 40]));
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png)
        .expect("encode png");
    out.into_inner()
}

/// The entries of the zip at `path`, by name.
fn entries(path: &str) -> Vec<(String, Vec<u8>)> {
    let file = std::fs::File::open(path).expect("the saved zip");
    let mut zip = zip::ZipArchive::new(file).expect("a zip");
    (0..zip.len())
        .map(|i| {
            let mut e = zip.by_index(i).expect("entry");
            let mut bytes = Vec::new();
            e.read_to_end(&mut bytes).expect("read");
            (e.name().to_string(), bytes)
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn omar_downloads_his_data_into_his_downloads_folder() {
    let server = Server::start().await;
    let boss = server.user(BOSS, "Lena Lind", Role::Manager, None).await;
    server
        .user(EMPLOYEE, "Omar Odeh", Role::Employee, Some(boss))
        .await;
    let data = tempfile::tempdir().unwrap();
    let downloads = tempfile::tempdir().unwrap();
    let (omar, _) = open(data.path()).await;

    // Signed out, there is nothing to download from.
    let e = omar.download_my_data(downloads.path()).await.unwrap_err();
    assert_eq!(e.code, "signedOut", "{e:?}");
    omar.sign_in(&server.url, EMPLOYEE, PASSWORD)
        .await
        .expect("Omar signs in");

    // A screenshot of his, which Lena opens.
    let image = png();
    let shot: Value = reqwest::Client::new()
        .post(format!("{}/api/timesheet/screenshot", server.url))
        .bearer_auth(server.token(EMPLOYEE).await)
        .multipart(
            Form::new().part(
                "file",
                Part::bytes(image.clone())
                    .file_name("s.png")
                    .mime_str("image/png")
                    .unwrap(),
            ),
        )
        .send()
        .await
        .expect("upload")
        .json()
        .await
        .expect("the screenshot");
    let lena = server.token(BOSS).await;
    let seen = reqwest::Client::new()
        .get(format!("{}{}", server.url, shot["file"].as_str().unwrap()))
        .bearer_auth(&lena)
        .send()
        .await
        .expect("Lena opens it");
    assert_eq!(seen.status(), 200);

    let saved = omar
        .download_my_data(downloads.path())
        .await
        .expect("download");
    let today = chrono::Local::now().date_naive();
    let expected = downloads.path().join(format!("stint-my-data-{today}.zip"));
    assert_eq!(saved.path, expected.display().to_string());
    assert!(saved.shown.ends_with(&format!("stint-my-data-{today}.zip")));

    let all = entries(&saved.path);
    let names: Vec<&str> = all.iter().map(|e| e.0.as_str()).collect();
    for name in [
        "README.txt",
        "time-logs.csv",
        "time-logs.json",
        "activity-slots.json",
        "activities.json",
        "screenshots.json",
        "screenshot-views.json",
    ] {
        assert!(names.contains(&name), "{name} in {names:?}");
    }
    let id = shot["id"].as_str().unwrap();
    let (_, bytes) = all
        .iter()
        .find(|(n, _)| n.starts_with("screenshots/") && n.ends_with(&format!("{id}.png")))
        .unwrap_or_else(|| panic!("his screenshot in {names:?}"));
    assert_eq!(bytes, &image);
    let views: Vec<Value> = serde_json::from_slice(
        &all.iter()
            .find(|(n, _)| n == "screenshot-views.json")
            .unwrap()
            .1,
    )
    .unwrap();
    assert_eq!(views.len(), 1, "{views:?}");
    assert_eq!(views[0]["viewer_name"], "Lena Lind");
    assert_eq!(views[0]["kind"], "file");

    // Again the same day: a second file beside the first, which stays.
    let before = std::fs::read(&expected).unwrap();
    let again = omar
        .download_my_data(downloads.path())
        .await
        .expect("download again");
    assert!(
        again
            .path
            .ends_with(&format!("stint-my-data-{today}-2.zip")),
        "{again:?}"
    );
    assert_eq!(std::fs::read(&expected).unwrap(), before);

    // The server gone: an error in words, and no half-written file.
    let mut server = server;
    server.stop().await;
    let e = omar.download_my_data(downloads.path()).await.unwrap_err();
    assert_eq!(e.code, "offline", "{e:?}");
    assert!(e.message.contains("Can't reach"), "{e:?}");
    assert_eq!(std::fs::read_dir(downloads.path()).unwrap().count(), 2);
}

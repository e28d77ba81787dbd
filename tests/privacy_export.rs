//! "My data" (issue 18): `GET /api/privacy/export` gives the signed-in
//! person a zip of everything the server holds about them — their time
//! logs (CSV and JSON), activity slots, activities, screenshots' images
//! and thumbnails as uploaded, and who else opened those screenshots —
//! and nothing of anyone else's, whatever the caller's role.

#[macro_use]
mod util;
#[path = "util/icehrm.rs"]
mod icehrm;

use std::io::Read;

use reqwest::Method;
use serde_json::{Value, json};
use util::*;

const EXPORT: &str = "/api/privacy/export";

/// The entries of a zip, by name, with their bytes.
fn entries(zip: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip)).expect("a zip");
    (0..archive.len())
        .map(|i| {
            let mut f = archive.by_index(i).expect("entry");
            let mut bytes = Vec::new();
            f.read_to_end(&mut bytes).expect("read entry");
            (f.name().to_string(), bytes)
        })
        .collect()
}

fn entry<'a>(all: &'a [(String, Vec<u8>)], name: &str) -> &'a [u8] {
    &all.iter()
        .find(|(n, _)| n == name)
        .unwrap_or_else(|| {
            panic!(
                "{name} in {:?}",
                all.iter().map(|e| &e.0).collect::<Vec<_>>()
            )
        })
        .1
}

fn json_of(all: &[(String, Vec<u8>)], name: &str) -> Vec<Value> {
    serde_json::from_slice(entry(all, name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// Two logs (one in 2024, one this year: the CSV spans more than one
/// export's 400 days) and a slot with two activities; the logs' ids.
async fn track(who: &Session, tag: &str) -> Vec<String> {
    let mut ids = Vec::new();
    for (a, b) in [
        ("2024-01-15T09:00:00.000Z", "2024-01-15T10:00:00.000Z"),
        (&*iso(now_plus(-7200)), &*iso(now_plus(-3600))),
    ] {
        let log = icehrm::gauzy_log(
            who,
            a,
            b,
            json!({ "logType": "TRACKED", "source": "DESKTOP", "description": format!("{tag} {a}") }),
        )
        .await;
        ids.push(log["id"].as_str().expect("id").to_string());
    }
    let (status, slot) = who
        .post(
            "/api/timesheet/time-slot",
            json!({
                "employeeId": who.employee_id(), "duration": 300,
                "keyboard": 40, "mouse": 60, "overall": 50,
                "startedAt": "2024-01-15T09:10:00.000Z", "recordedAt": "2024-01-15T09:10:00.000Z",
                "timeLogId": ids[0],
                "activities": [
                    { "title": format!("{tag} editor"), "date": "2024-01-15", "time": "09:10:00", "duration": 120, "type": "APP" },
                    { "title": "https://docs.rs", "date": "2024-01-15", "time": "09:10:00", "duration": 60, "type": "URL" },
                ],
            }),
        )
        .await;
    assert_eq!(status, 201, "{slot}");
    ids
}

async fn export(who: &Api) -> (reqwest::StatusCode, reqwest::header::HeaderMap, Vec<u8>) {
    export_at(who, EXPORT).await
}

async fn export_at(
    who: &Api,
    path: &str,
) -> (reqwest::StatusCode, reqwest::header::HeaderMap, Vec<u8>) {
    let res = who.request(Method::GET, path).send().await.expect("export");
    let status = res.status();
    let headers = res.headers().clone();
    (status, headers, res.bytes().await.expect("body").to_vec())
}

both!(an_employee_downloads_their_own_data, |backend| async move {
    let server = Server::start(backend).await;
    let t = server.team().await;
    let omar_logs = track(&t.omar, "omar").await;
    let jane_logs = track(&t.jane, "jane").await;

    // Two screenshots through the real upload, one with its own thumbnail;
    // a colleague's too.
    let (first, second, thumb) = (png(32, 18), png(48, 27), png(16, 9));
    let (status, shot_a) = t
        .omar
        .upload_shot(
            png_form(first.clone()).part(
                "thumb",
                reqwest::multipart::Part::bytes(thumb.clone())
                    .file_name("thumb.png")
                    .mime_str("image/png")
                    .expect("mime"),
            ),
        )
        .await;
    assert_eq!(status, 201, "{shot_a}");
    let (status, shot_b) = t.omar.upload_shot(png_form(second.clone())).await;
    assert_eq!(status, 201, "{shot_b}");
    let (status, jane_shot) = t.jane.upload_shot(png_form(png(20, 20))).await;
    assert_eq!(status, 201, "{jane_shot}");
    // The thumbnail the server made for the second, as Omar sees it.
    let (status, made_thumb) = t
        .omar
        .send_bytes(
            t.omar
                .request(Method::GET, shot_b["thumb"].as_str().expect("thumb")),
        )
        .await;
    assert_eq!(status, 200);

    // Lena, his supervisor, opens the first one's thumbnail: a view.
    let (status, _) = t
        .lena
        .send_bytes(
            t.lena
                .request(Method::GET, shot_a["thumb"].as_str().expect("thumb")),
        )
        .await;
    assert_eq!(status, 200);

    let (status, headers, zip) = export(&t.omar).await;
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&zip));
    assert_eq!(headers["content-type"], "application/zip");
    let disposition = headers["content-disposition"].to_str().expect("ascii");
    let today = chrono::Utc::now().date_naive();
    assert!(
        disposition.starts_with("attachment; filename=\"stint-my-data-")
            && disposition.contains(&format!("{}", today.format("%Y-")))
            && disposition.ends_with(".zip\""),
        "{disposition}"
    );
    let all = entries(&zip);
    let readme = String::from_utf8(entry(&all, "README.txt").to_vec()).expect("utf-8");
    for name in [
        "time-logs.csv",
        "time-logs.json",
        "activity-slots.json",
        "activities.json",
        "screenshots.json",
        "screenshot-views.json",
    ] {
        assert!(readme.contains(name), "README.txt explains {name}");
    }

    // Exactly his logs, in the CSV (header and one row each) and the JSON.
    let csv = String::from_utf8(entry(&all, "time-logs.csv").to_vec()).expect("utf-8");
    let rows: Vec<&str> = csv.lines().collect();
    assert!(rows[0].starts_with("date,employee,email,project"), "{csv}");
    assert_eq!(rows.len(), 3, "{csv}");
    assert!(
        rows[1..]
            .iter()
            .all(|r| r.contains(OMAR) && r.contains("omar ")),
        "{csv}"
    );
    let logs = json_of(&all, "time-logs.json");
    let ids: Vec<&str> = logs.iter().map(|l| l["id"].as_str().expect("id")).collect();
    assert_eq!(
        ids,
        omar_logs.iter().map(String::as_str).collect::<Vec<_>>()
    );
    assert!(jane_logs.iter().all(|j| !csv.contains(j.as_str())));

    // His slot and its activities, not Jane's.
    let slots = json_of(&all, "activity-slots.json");
    assert_eq!(slots.len(), 1, "{slots:?}");
    assert_eq!(slots[0]["employee_id"], t.omar.employee_id().as_str());
    assert_eq!(slots[0]["keyboard"], 40);
    let acts = json_of(&all, "activities.json");
    let mut titles: Vec<&str> = acts
        .iter()
        .map(|a| a["title"].as_str().expect("title"))
        .collect();
    titles.sort();
    assert_eq!(titles, ["https://docs.rs", "omar editor"]);

    // The images and thumbnails, byte for byte as uploaded (or as served
    // to him), under screenshots/<date>/; none of Jane's.
    let shots = json_of(&all, "screenshots.json");
    assert_eq!(shots.len(), 2, "{shots:?}");
    for (shot, image, small) in [(&shot_a, &first, &thumb), (&shot_b, &second, &made_thumb)] {
        let line = shots
            .iter()
            .find(|s| s["id"] == shot["id"])
            .expect("listed");
        let path = line["image"].as_str().expect("image path");
        assert!(
            path.starts_with("screenshots/")
                && path.ends_with(&format!("/{}.png", shot["id"].as_str().unwrap())),
            "{path}"
        );
        assert_eq!(entry(&all, path), image.as_slice());
        assert_eq!(
            entry(&all, line["thumbnail"].as_str().expect("thumb path")),
            small.as_slice()
        );
    }
    let jane_id = jane_shot["id"].as_str().expect("id");
    assert!(all.iter().all(|(n, _)| !n.contains(jane_id)));
    assert_eq!(
        all.iter()
            .filter(|(n, _)| n.starts_with("screenshots/"))
            .count(),
        4
    );

    // Lena's view is in the access log; his own openings (and this
    // download) are not views.
    let views = json_of(&all, "screenshot-views.json");
    assert_eq!(views.len(), 1, "{views:?}");
    assert_eq!(views[0]["screenshot_id"], shot_a["id"]);
    assert_eq!(views[0]["viewer_id"], t.lena.user["id"]);
    assert_eq!(views[0]["viewer_name"], "Lena Acme");
    assert_eq!(views[0]["kind"], "thumb");
    let (_, listed) = t.omar.get("/api/privacy/screenshot-views").await;
    assert_eq!(listed["items"].as_array().expect("items").len(), 1);
});

both!(
    only_ones_own_data_and_only_signed_in,
    |backend| async move {
        let server = Server::start(backend).await;
        let t = server.team().await;
        track(&t.omar, "omar").await;

        // The admin's and the supervisor's exports are their own: empty.
        for who in [&t.ada, &t.lena] {
            let (status, _, zip) = export(who).await;
            assert_eq!(status, 200);
            let all = entries(&zip);
            assert_eq!(json_of(&all, "time-logs.json"), Vec::<Value>::new());
            assert_eq!(json_of(&all, "activity-slots.json"), Vec::<Value>::new());
            let csv = String::from_utf8(entry(&all, "time-logs.csv").to_vec()).expect("utf-8");
            assert_eq!(csv.lines().count(), 1, "the header alone: {csv}");
        }
        // Naming someone else changes nothing: there is no such parameter.
        let (status, _, zip) =
            export_at(&t.ada, &format!("{EXPORT}?employeeId={}", t.omar.id())).await;
        assert_eq!(status, 200);
        assert_eq!(
            json_of(&entries(&zip), "time-logs.json"),
            Vec::<Value>::new()
        );

        let (status, _, body) = export(&server.anon()).await;
        assert_eq!(status, 401, "{}", String::from_utf8_lossy(&body));
    }
);

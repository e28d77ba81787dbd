//! `/api/timesheet/screenshot`: multipart uploads as the desktop timer sends
//! them, server-made thumbnails, and images served only to the people who
//! may see them.

#[macro_use]
mod util;

use reqwest::Method;
use reqwest::multipart::{Form, Part};
use serde_json::Value;
use util::*;

const SHOTS: &str = "/api/timesheet/screenshot";

fn file_part(bytes: Vec<u8>, name: &str, mime: &str) -> Part {
    Part::bytes(bytes)
        .file_name(name.to_string())
        .mime_str(mime)
        .expect("mime")
}

/// Uploads `form`: status and body.
async fn upload(who: &Api, form: Form) -> (u16, Value) {
    let (status, body) = who
        .send(who.request(Method::POST, SHOTS).multipart(form))
        .await;
    (status.as_u16(), body)
}

/// A multipart body with only `file`, as the desktop timer sends it, plus
/// any text fields.
fn only_file(png: Vec<u8>, fields: &[(&str, String)]) -> Form {
    let mut form = Form::new().part("file", file_part(png, "screenshot.png", "image/png"));
    for (k, v) in fields {
        form = form.text(k.to_string(), v.clone());
    }
    form
}

/// GETs an image path: status and bytes.
async fn image(who: &Api, path: &str) -> (u16, Vec<u8>) {
    let (status, bytes) = who.send_bytes(who.request(Method::GET, path)).await;
    (status.as_u16(), bytes)
}

both!(
    the_server_makes_the_thumbnail_and_guards_the_images,
    |backend| async move {
        let server = Server::start(backend).await;
        let t = server.team().await;
        let png = png(1280, 720);
        let (status, shot) = upload(&t.omar, only_file(png.clone(), &[])).await;
        assert_eq!(status, 201, "{shot}");
        for k in ["id", "file", "thumb", "fullUrl", "thumbUrl", "recordedAt"] {
            assert!(shot[k].is_string(), "{k}: {shot}");
        }
        assert!(shot.get("timeSlotId").is_some(), "{shot}");
        assert!(is_iso_millis(shot["recordedAt"].as_str().unwrap()));
        assert_eq!(shot["width"], 1280);
        assert_eq!(shot["height"], 720);
        let file = shot["file"].as_str().unwrap().to_string();
        let thumb = shot["thumb"].as_str().unwrap().to_string();

        // The full image comes back byte for byte; the thumbnail is 320 px wide.
        let (status, bytes) = image(&t.omar, &file).await;
        assert_eq!(status, 200);
        assert_eq!(bytes, png);
        let (status, bytes) = image(&t.omar, &thumb).await;
        assert_eq!(status, 200);
        let small = image::load_from_memory(&bytes).expect("thumbnail decodes");
        assert_eq!((small.width(), small.height()), (320, 180));

        // Signed URLs work without a token; a tampered one does not.
        let anon = server.anon();
        let full_url = shot["fullUrl"].as_str().unwrap().to_string();
        let thumb_url = shot["thumbUrl"].as_str().unwrap().to_string();
        assert_eq!(image(&anon, &full_url).await, (200, png.clone()));
        let (status, bytes) = image(&anon, &thumb_url).await;
        assert_eq!(status, 200);
        assert_eq!(image::load_from_memory(&bytes).unwrap().width(), 320);
        let mut tampered = full_url.clone();
        let last = tampered.pop().unwrap();
        tampered.push(if last == 'A' { 'B' } else { 'A' });
        assert_eq!(image(&anon, &tampered).await.0, 401);
        // A signature is for one image and one size only.
        let token = full_url.split("token=").nth(1).unwrap();
        assert_eq!(image(&anon, &format!("{thumb}?token={token}")).await.0, 401);
        assert_eq!(image(&anon, &file).await.0, 401);

        // Owner, supervisor and admin: yes. A colleague: no. Another
        // organization: no such thing.
        for who in [&t.omar, &t.lena, &t.ada] {
            assert_eq!(image(who, &file).await.0, 200);
        }
        assert_eq!(image(&t.jane, &file).await.0, 403);
        assert_eq!(image(&t.max, &thumb).await.0, 403);
        assert_eq!(image(&t.gus, &file).await.0, 404);
        assert_eq!(image(&t.gus, &thumb).await.0, 404);
        let id = shot["id"].as_str().unwrap();
        assert_eq!(image(&t.omar, &format!("{SHOTS}/{id}/poster")).await.0, 404);

        // Lists follow the same rule.
        let list = |who: &Session| {
            let who = who.clone();
            async move {
                let (status, page) = who.get(SHOTS).await;
                assert_eq!(status, 200, "{page}");
                ids(&page)
            }
        };
        assert_eq!(list(&t.omar).await, vec![id.to_string()]);
        assert_eq!(list(&t.lena).await.len(), 1);
        assert!(list(&t.jane).await.is_empty());
        assert!(list(&t.gus).await.is_empty());

        // Deleting: not a colleague, not another org; the owner may.
        let path = format!("{SHOTS}/{id}");
        assert_eq!(t.jane.delete(&path).await.0, 403);
        assert_eq!(t.gus.delete(&path).await.0, 404);
        let (status, body) = t.omar.delete(&path).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(image(&t.omar, &file).await.0, 404);
        assert_eq!(image(&anon, &full_url).await.0, 404);
        assert!(list(&t.omar).await.is_empty());
    }
);

both!(
    uploads_are_checked_and_replays_are_one_screenshot,
    |backend| async move {
        let server = Server::start(backend).await;
        server.user(OMAR, &[]).await;
        let omar = server.login(OMAR, PASSWORD).await;

        let (status, body) = upload(
            &omar,
            Form::new().part(
                "file",
                file_part(b"hello, not an image".to_vec(), "a.png", "image/png"),
            ),
        )
        .await;
        assert_eq!(status, 400, "{body}");
        assert!(body["message"].is_string());
        let (status, _) = upload(
            &omar,
            Form::new().part("file", file_part(Vec::new(), "a.png", "image/png")),
        )
        .await;
        assert_eq!(status, 400);
        let (status, _) = upload(
            &omar,
            Form::new().text("recordedAt", "2024-01-15T09:00:00Z"),
        )
        .await;
        assert_eq!(status, 400);
        // A GIF is an image, but not one we keep.
        let mut gif = std::io::Cursor::new(Vec::new());
        image::RgbImage::new(4, 4)
            .write_to(&mut gif, image::ImageFormat::Gif)
            .unwrap_or(());
        if !gif.get_ref().is_empty() {
            let (status, _) = upload(
                &omar,
                Form::new().part("file", file_part(gif.into_inner(), "a.gif", "image/gif")),
            )
            .await;
            assert_eq!(status, 400);
        }
        let fields = [
            ("recordedAt", "not a time".to_string()),
            ("timeSlotId", "nope".to_string()),
            ("timeSlotId", uuid::Uuid::new_v4().to_string()),
            ("organizationId", uuid::Uuid::new_v4().to_string()),
        ];
        for (expected, field) in [400, 400, 404, 403].into_iter().zip(fields) {
            let (status, body) =
                upload(&omar, only_file(png(64, 48), std::slice::from_ref(&field))).await;
            assert_eq!(status, expected, "{field:?}: {body}");
        }
        let (status, page) = omar.get(SHOTS).await;
        assert_eq!(status, 200);
        assert!(ids(&page).is_empty(), "{page}");
        // A request that is not multipart at all.
        let (status, _) = omar.post(SHOTS, json!({ "file": "aGVsbG8=" })).await;
        assert!(status.is_client_error(), "{status}");

        // The same client id twice is one screenshot.
        let id = uuid::Uuid::now_v7().to_string();
        let fields = [
            ("id", id.clone()),
            ("recordedAt", "2024-01-15T09:12:00.000Z".to_string()),
            ("tenantId", omar.org_id()),
            ("organizationId", omar.org_id()),
        ];
        let (status, first) = upload(&omar, only_file(png(200, 100), &fields)).await;
        assert_eq!(status, 201, "{first}");
        assert_eq!(first["id"], id.as_str());
        assert_eq!(first["recordedAt"], "2024-01-15T09:12:00.000Z");
        let (status, again) = upload(&omar, only_file(png(300, 100), &fields)).await;
        assert_eq!(status, 201, "{again}");
        assert_eq!(again["id"], id.as_str());
        assert_eq!(again["width"], 200);
        let (_, page) = omar
            .get(&format!("{SHOTS}?startDate=2024-01-15&endDate=2024-01-15"))
            .await;
        assert_eq!(ids(&page), vec![id.clone()]);

        // A thumbnail sent by the client is kept as it is.
        let (status, shot) = upload(
            &omar,
            only_file(png(800, 600), &[])
                .part("thumb", file_part(png(100, 75), "t.png", "image/png")),
        )
        .await;
        assert_eq!(status, 201, "{shot}");
        let (_, bytes) = image(&omar, shot["thumb"].as_str().unwrap()).await;
        assert_eq!(image::load_from_memory(&bytes).unwrap().width(), 100);
    }
);

both!(screenshots_belong_to_their_slot, |backend| async move {
    let server = Server::start(backend).await;
    let t = server.team().await;
    let (status, slot) = t
        .omar
        .post(
            "/api/timesheet/time-slot",
            json!({ "startedAt": "2024-01-15T09:10:00.000Z", "duration": 600, "keyboard": 10,
                    "mouse": 10, "overall": 10, "timeLogId": null }),
        )
        .await;
    assert_eq!(status, 201, "{slot}");
    let slot_id = slot["id"].as_str().unwrap().to_string();

    // Named explicitly, or found by the instant it was taken.
    let (status, named) = upload(
        &t.omar,
        only_file(png(64, 48), &[("timeSlotId", slot_id.clone())]),
    )
    .await;
    assert_eq!(status, 201, "{named}");
    assert_eq!(named["timeSlotId"], slot_id.as_str());
    let (status, found) = upload(
        &t.omar,
        only_file(
            png(64, 48),
            &[("recordedAt", "2024-01-15T09:14:00.000Z".into())],
        ),
    )
    .await;
    assert_eq!(status, 201, "{found}");
    assert_eq!(found["timeSlotId"], slot_id.as_str());
    // Someone else's slot is not Jane's to put screenshots in.
    let (status, _) = upload(
        &t.jane,
        only_file(png(64, 48), &[("timeSlotId", slot_id.clone())]),
    )
    .await;
    assert_eq!(status, 403);

    let (status, got) = t
        .omar
        .get(&format!("/api/timesheet/time-slot/{slot_id}"))
        .await;
    assert_eq!(status, 200, "{got}");
    let mut shots: Vec<&str> = got["screenshots"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    shots.sort();
    let mut expected = vec![named["id"].as_str().unwrap(), found["id"].as_str().unwrap()];
    expected.sort();
    assert_eq!(shots, expected);
    assert!(got["screenshots"][0]["thumbUrl"].is_string());

    // Deleting the slot takes its screenshots with it.
    let (status, _) = t
        .omar
        .delete(&format!("/api/timesheet/time-slot?ids[0]={slot_id}"))
        .await;
    assert_eq!(status, 200);
    assert_eq!(image(&t.omar, named["file"].as_str().unwrap()).await.0, 404);
    let (_, page) = t.omar.get(SHOTS).await;
    assert!(ids(&page).is_empty(), "{page}");
});

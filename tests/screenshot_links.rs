//! Screenshot links: a signed `fullUrl`/`thumbUrl` opens its own image at
//! its own size only; tampered, foreign-signed and expired links are 401;
//! the plain `file`/`thumb` paths need a bearer token of someone who may see
//! the image; a deleted image is 404. A link is its viewer's: it dies when
//! the viewer signs out, and each fetch checks again that the viewer may
//! still see the image.

#[macro_use]
mod util;
#[path = "util/authz.rs"]
mod authz;

use authz::*;
use reqwest::Method;
use serde_json::Value;
use util::*;
use uuid::Uuid;

/// Uploads a PNG as `who`: the screenshot as the server spells it.
async fn upload_png(who: &Api, png: Vec<u8>) -> Value {
    let (status, shot) = who.upload_shot(png_form(png)).await;
    assert_eq!(status, 201, "{shot}");
    shot
}

/// GET `path`: the status and the bytes.
async fn image(who: &Api, path: &str) -> (u16, Vec<u8>) {
    let (status, bytes) = who.send_bytes(who.request(Method::GET, path)).await;
    (status.as_u16(), bytes)
}

fn field<'a>(shot: &'a Value, k: &str) -> &'a str {
    shot[k].as_str().unwrap_or_else(|| panic!("{k}: {shot}"))
}

/// `path?token=...` → (path, token).
fn split_link(url: &str) -> (&str, &str) {
    url.split_once("?token=")
        .unwrap_or_else(|| panic!("no token in {url}"))
}

/// `token` with one character of its `part`-th dot-separated part changed.
fn tampered(token: &str, part: usize) -> String {
    let mut parts: Vec<String> = token.split('.').map(str::to_string).collect();
    let p = &mut parts[part];
    let mid = p.len() / 2;
    let c = p.as_bytes()[mid];
    let swap = if c == b'A' { "B" } else { "A" };
    p.replace_range(mid..mid + 1, swap);
    parts.join(".")
}

both!(screenshot_links_open_one_image_only, |backend| async move {
    let server = Server::start(backend).await;
    let t = server.team().await;
    let keys = expired_keys(&server).await;
    let (a_png, b_png) = (png(40, 30), png(24, 12));
    let a = upload_png(&t.omar, a_png.clone()).await;
    let b = upload_png(&t.omar, b_png.clone()).await;
    let g = upload_png(&t.gina, png(12, 12)).await;
    let anon = server.anon();

    // The signed links open their image without a bearer token.
    assert_eq!(
        image(&anon, field(&a, "fullUrl")).await,
        (200, a_png.clone())
    );
    assert_eq!(image(&anon, field(&b, "fullUrl")).await, (200, b_png));
    let (status, thumb) = image(&anon, field(&a, "thumbUrl")).await;
    assert_eq!(status, 200);
    image::load_from_memory(&thumb).expect("the thumbnail is an image");
    let (status, _) = image(&anon, field(&g, "fullUrl")).await;
    assert_eq!(status, 200);

    // A link is for one image and one size: its token opens nothing else.
    let (a_file, a_full) = split_link(field(&a, "fullUrl"));
    let (a_thumb, a_small) = split_link(field(&a, "thumbUrl"));
    let (b_file, b_thumb, g_file) = (field(&b, "file"), field(&b, "thumb"), field(&g, "file"));
    for (path, token) in [
        (b_file, a_full),
        (b_thumb, a_small),
        (a_thumb, a_full),
        (a_file, a_small),
        (g_file, a_full),
    ] {
        let url = format!("{path}?token={token}");
        assert_eq!(image(&anon, &url).await.0, 401, "{url}");
    }

    // A tampered link (header, claims or signature), one signed with
    // another secret, an expired one, or garbage: 401.
    let id = Uuid::parse_str(field(&a, "id")).expect("id");
    let omar = grant_of(&t.omar);
    let foreign =
        stint_server::auth::tokens::Keys::new(b"another secret", chrono::Duration::hours(1));
    let mut bad: Vec<String> = (0..3).map(|p| tampered(a_full, p)).collect();
    bad.push(foreign.sign_url(&omar, id, "file"));
    bad.push(keys.sign_url(&omar, id, "file"));
    bad.extend(["".into(), "x".into(), "a.b.c".into(), "%00".into()]);
    for token in &bad {
        let url = format!("{a_file}?token={token}");
        let (status, body) = anon.get(&url).await;
        assert_eq!(status, 401, "{url}: {body}");
        assert!(body["message"].is_string(), "{body}");
    }
    // (The expired link above really had expired.)
    assert!(
        claims(&keys.sign_url(&omar, id, "file"))["exp"].as_i64()
            < Some(chrono::Utc::now().timestamp())
    );

    // The plain paths need a bearer token of someone who may see the image.
    let expired = anon.with_token(Some(&expired_token(&keys, &t.omar)));
    let garbage = anon.with_token(Some("not-a-token"));
    for who in [&anon, &expired, &garbage] {
        assert_eq!(image(who, a_file).await.0, 401);
        assert_eq!(image(who, a_thumb).await.0, 401);
    }
    for who in [&t.omar, &t.lena, &t.ada] {
        assert_eq!(image(who, a_file).await, (200, a_png.clone()));
        assert_eq!(image(who, a_thumb).await.0, 200);
    }
    for who in [&t.jane, &t.max] {
        assert_eq!(image(who, a_file).await.0, 403);
        assert_eq!(image(who, a_thumb).await.0, 403);
    }
    assert_eq!(image(&t.gus, a_file).await.0, 404);
    assert_eq!(image(&t.ada, g_file).await.0, 404);
    assert_eq!(image(&t.gus, g_file).await.0, 200);
    // An unknown id is 404; what is no id at all (an encoded path) is 400.
    let unknown = format!("/api/timesheet/screenshot/{}/file", Uuid::now_v7());
    assert_eq!(image(&t.ada, &unknown).await.0, 404);
    let (status, _) = image(
        &t.omar,
        "/api/timesheet/screenshot/..%2F..%2Fetc%2Fpasswd/file",
    )
    .await;
    assert_eq!(status, 400);

    // A deleted screenshot is gone for links and tokens alike.
    let (status, body) = t
        .omar
        .delete(&format!("/api/timesheet/screenshot/{id}"))
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(image(&anon, field(&a, "fullUrl")).await.0, 404);
    assert_eq!(image(&anon, field(&a, "thumbUrl")).await.0, 404);
    assert_eq!(image(&t.omar, a_file).await.0, 404);
});

both!(screenshot_links_die_with_access, |backend| async move {
    let server = Server::start(backend).await;
    let t = server.team().await;
    let keys = server_keys(&server).await;
    let anon = server.anon();
    let omar_png = png(20, 10);
    let shot = upload_png(&t.omar, omar_png.clone()).await;
    let id = Uuid::parse_str(field(&shot, "id")).expect("id");

    // Lena, Omar's supervisor, lists his screenshots: her links open them,
    // and every image answer is kept by nobody.
    let lena = server.login(LENA, PASSWORD).await;
    let (status, listed) = lena
        .get(&format!(
            "/api/timesheet/screenshot?employeeId={}",
            field(&shot, "employeeId")
        ))
        .await;
    assert_eq!(status, 200, "{listed}");
    let mine = listed["items"]
        .as_array()
        .and_then(|v| v.iter().find(|s| s["id"] == shot["id"]))
        .unwrap_or_else(|| panic!("Lena sees Omar's screenshot: {listed}"))
        .clone();
    let link = field(&mine, "fullUrl").to_string();
    let rb = anon.request(Method::GET, &link);
    let answer = rb.send().await.expect("the image answer");
    assert_eq!(answer.status(), 200);
    assert_eq!(
        answer.headers()["cache-control"].to_str().ok(),
        Some("private, no-store")
    );
    assert_eq!(answer.bytes().await.expect("bytes").to_vec(), omar_png);

    // Signed out, her links die at once (not 15 minutes later).
    let (status, body) = anon
        .post(
            "/api/auth/logout",
            json!({ "refresh_token": lena.refresh_token }),
        )
        .await;
    assert!(status.is_success(), "{status}: {body}");
    assert_eq!(image(&anon, &link).await.0, 401);

    // A link is checked against its viewer's access on every fetch: one
    // made (with the server's own secret) for Jane's live session opens
    // nothing of Omar's, as her bearer token would not.
    let jane_link = keys.sign_url(&grant_of(&t.jane), id, "file");
    let url = format!("{}?token={jane_link}", field(&shot, "file"));
    assert_eq!(image(&anon, &url).await.0, 403);
    // The same link made for Omar's own session opens it.
    let omar_link = keys.sign_url(&grant_of(&t.omar), id, "file");
    let url = format!("{}?token={omar_link}", field(&shot, "file"));
    assert_eq!(image(&anon, &url).await, (200, omar_png));
});

//! Who opened my screenshots: every view of a screenshot by someone other
//! than its owner is recorded and shown to the owner (DESIGN.md, trust
//! rules; story 7). Nobody can change or delete the record.

#[macro_use]
mod util;

use reqwest::Method;
use serde_json::Value;
use util::*;

const VIEWS: &str = "/api/privacy/screenshot-views";

async fn upload(who: &Session) -> Value {
    let (status, shot) = who.upload_shot(png_form(png(16, 9))).await;
    assert_eq!(status, 201, "{shot}");
    shot
}

async fn open(who: &Api, path: &str) -> u16 {
    who.send_bytes(who.request(Method::GET, path))
        .await
        .0
        .as_u16()
}

/// The views `who` is shown (for `employee`, when given).
async fn views(who: &Session, employee: Option<&Value>) -> Vec<Value> {
    let path = match employee {
        Some(id) => format!("{VIEWS}?employeeId={}", id.as_str().expect("id")),
        None => VIEWS.to_string(),
    };
    let (status, body) = who.get(&path).await;
    assert_eq!(status, 200, "{body}");
    body["items"].as_array().expect("items").clone()
}

both!(
    the_owner_sees_who_opened_their_screenshots,
    |backend| async move {
        let server = Server::start(backend).await;
        let t = server.team().await;
        let shot = upload(&t.omar).await;
        let omar_id = &shot["employeeId"];

        // Omar looks at his own screenshot: not a view of anyone else's.
        assert_eq!(
            open(&t.omar, shot["thumb"].as_str().expect("thumb")).await,
            200
        );
        assert!(views(&t.omar, None).await.is_empty());

        // Lena, his supervisor, opens the thumbnail, then the full image
        // through its signed link; Jane is refused and nothing is recorded.
        assert_eq!(
            open(&t.lena, shot["thumb"].as_str().expect("thumb")).await,
            200
        );
        let (_, listed) = t
            .lena
            .get(&format!(
                "/api/timesheet/screenshot?employeeId={}",
                omar_id.as_str().expect("id")
            ))
            .await;
        let link = listed["items"][0]["fullUrl"]
            .as_str()
            .expect("fullUrl")
            .to_string();
        assert_eq!(open(&server.anon(), &link).await, 200);
        assert_eq!(
            open(&t.jane, shot["file"].as_str().expect("file")).await,
            403
        );

        let seen = views(&t.omar, None).await;
        assert_eq!(seen.len(), 2, "{seen:?}");
        assert_eq!(seen[0]["kind"], "thumb");
        assert_eq!(seen[1]["kind"], "file");
        for v in &seen {
            assert_eq!(v["screenshotId"], shot["id"]);
            assert_eq!(v["employeeId"], *omar_id);
            assert_eq!(v["viewerId"], t.lena.user["id"]);
            assert!(
                v["viewerName"].as_str().is_some_and(|n| !n.is_empty()),
                "the viewer is named: {v}"
            );
            assert!(v["viewedAt"].is_string());
        }

        // An admin of the organization sees them; colleagues, the supervisor
        // and other organizations are told nothing about Omar's.
        assert_eq!(views(&t.ada, Some(omar_id)).await, seen);
        for who in [&t.jane, &t.lena, &t.max, &t.gus] {
            assert!(views(who, Some(omar_id)).await.is_empty());
        }

        // The record outlives the screenshot and cannot be changed or deleted.
        let (status, body) = t
            .omar
            .delete(&format!(
                "/api/timesheet/screenshot/{}",
                shot["id"].as_str().expect("id")
            ))
            .await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(views(&t.omar, None).await, seen);
        for method in [Method::DELETE, Method::PUT, Method::POST] {
            let (status, _) = t.ada.send(t.ada.request(method.clone(), VIEWS)).await;
            assert_eq!(status, 405, "{method}");
        }
        assert_eq!(views(&t.omar, None).await, seen);

        // A range narrows the list (views are all of today).
        let (status, body) = t
            .omar
            .get(&format!("{VIEWS}?startDate=2001-01-01&endDate=2001-01-31"))
            .await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["items"], serde_json::json!([]));
    }
);

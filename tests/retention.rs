//! Screenshot retention: `stint org set --screenshot-retention-days N`, and
//! `stint purge` removing older screenshots (rows and both images) of that
//! organization only, saying what it removed.

#[macro_use]
mod util;

use reqwest::Method;
use util::*;

const SHOTS: &str = "/api/timesheet/screenshot";

/// Uploads a screenshot recorded `days_ago`: its id and its images' paths.
async fn shot(who: &Session, days_ago: i64) -> (String, [String; 2]) {
    let recorded = iso(now_plus(-days_ago * 86_400));
    let (status, s) = who
        .upload_shot(png_form(png(64, 48)).text("recordedAt", recorded))
        .await;
    assert_eq!(status, 201, "{s}");
    let path = |k: &str| s[k].as_str().unwrap().to_string();
    (path("id"), [path("file"), path("thumb")])
}

/// `stint org set --name Default --screenshot-retention-days DAYS`: what it
/// printed.
async fn set_retention(server: &Server, days: &str) -> String {
    let args = ["--name", "Default", "--screenshot-retention-days", days];
    server.ok(&[&["org", "set"][..], &args].concat()).await
}

async fn status_of(who: &Session, path: &str) -> u16 {
    who.send_bytes(who.request(Method::GET, path))
        .await
        .0
        .as_u16()
}

/// Files in the server's local blob store.
fn blob_files(server: &Server) -> usize {
    fn count(dir: &std::path::Path) -> usize {
        std::fs::read_dir(dir).map_or(0, |entries| {
            entries
                .flatten()
                .map(|e| match e.path() {
                    p if p.is_dir() => count(&p),
                    _ => 1,
                })
                .sum()
        })
    }
    count(&server.data_dir().join("blobs"))
}

both!(
    purge_removes_screenshots_past_the_retention,
    |backend| async move {
        let server = Server::start(backend).await;
        let (omar, gina) = server.omar_and_gina().await;

        // Off by default; bad values change nothing.
        let out = server.ok(&["org", "list"]).await;
        assert!(out.contains("screenshot_retention=off"), "{out}");
        for bad in [&["0"][..], &["soon"], &["-3"]] {
            let mut args = vec!["org", "set", "--name", "Default"];
            args.push("--screenshot-retention-days");
            args.extend_from_slice(bad);
            let (code, _, err) = server.admin(&args).await;
            assert_eq!(code, 2, "{bad:?}: {err}");
        }
        let (code, _, err) = server.admin(&["org", "set", "--name", "Default"]).await;
        assert_eq!(code, 2, "nothing to set: {err}");
        let out = set_retention(&server, "30").await;
        assert!(out.contains("screenshot retention = 30 days"), "{out}");

        let (old, old_images) = shot(&omar, 40).await;
        let (recent, recent_images) = shot(&omar, 1).await;
        // Globex keeps its screenshots: no retention there.
        let (globex_old, _) = shot(&gina, 400).await;
        assert_eq!(blob_files(&server), 6);

        let out = server.ok(&["purge"]).await;
        assert!(
            out.contains("organization 'Default' (keeps 30 days): removed 1 screenshots"),
            "{out}"
        );
        assert!(!out.contains("Globex"), "{out}");

        // Gone from the API and from the blob store; the newer one stays.
        let (status, page) = omar.get(SHOTS).await;
        assert_eq!(status, 200, "{page}");
        assert_eq!(ids(&page), vec![recent.clone()]);
        for image in &old_images {
            assert_eq!(status_of(&omar, image).await, 404, "{image}");
        }
        for image in &recent_images {
            assert_eq!(status_of(&omar, image).await, 200, "{image}");
        }
        assert_eq!(blob_files(&server), 4);
        let (_, page) = gina.get(SHOTS).await;
        assert_eq!(ids(&page), vec![globex_old]);
        assert_ne!(old, recent);

        // Nothing more to do; switched off, nothing is removed.
        let out = server.ok(&["purge"]).await;
        assert!(out.contains("removed 0 screenshots, 0 bytes"), "{out}");
        set_retention(&server, "off").await;
        let out = server.ok(&["purge"]).await;
        assert!(
            out.contains("no organization has a screenshot retention"),
            "{out}"
        );
    }
);

//! `/api/organization-projects`: managers and admins create, rename and
//! archive projects (employees too when the organization lets them); an
//! archived project keeps its time but pickers hide it and it takes no new
//! time; another organization's project is 404; a project made offline and
//! sent twice is made once, and its id is nobody else's.

#[macro_use]
mod util;

use serde_json::Value;
use util::*;

const PROJECTS: &str = "/api/organization-projects";
const START: &str = "/api/timesheet/timer/start";
const STOP: &str = "/api/timesheet/timer/stop";
const LOGS: &str = "/api/timesheet/time-log";

/// The names a project list answers (a page or a plain array).
fn names(v: &Value) -> Vec<String> {
    let list = v["items"]
        .as_array()
        .or_else(|| v["data"].as_array())
        .or_else(|| v.as_array())
        .expect("a list");
    list.iter()
        .map(|p| p["name"].as_str().expect("name").to_string())
        .collect()
}

both!(
    a_manager_creates_renames_and_archives_a_project,
    |backend| async move {
        let server = Server::start(backend).await;
        let t = server.team().await;

        let (status, p) = t
            .lena
            .post(
                PROJECTS,
                json!({ "name": "  Website ", "organizationId": t.lena.org_id() }),
            )
            .await;
        assert_eq!(status, 201, "{p}");
        assert_eq!(p["name"], "Website", "names are trimmed");
        assert_eq!(p["organizationId"], t.lena.org_id());
        assert_eq!(p["isArchived"], false);
        let id = p["id"].as_str().unwrap().to_string();
        let one = format!("{PROJECTS}/{id}");

        // Employees may not, until the organization says so.
        let (status, body) = t.omar.post(PROJECTS, json!({ "name": "Mine" })).await;
        assert_eq!(status, 403, "{body}");
        assert!(
            body["message"]
                .as_str()
                .unwrap()
                .contains("managers and admins")
        );
        let (status, _) = t.omar.put(&one, json!({ "name": "Hijacked" })).await;
        assert_eq!(status, 403);
        let (status, _) = t.omar.delete(&one).await;
        assert_eq!(status, 403);

        // Bad input is 400 with a message.
        for bad in [
            json!({}),
            json!({ "name": "   " }),
            json!({ "name": 7 }),
            json!({ "name": "x", "id": "nope" }),
        ] {
            let (status, body) = t.ada.post(PROJECTS, bad.clone()).await;
            assert_eq!(status, 400, "{bad}: {body}");
            assert!(body["message"].is_string(), "{body}");
        }
        let (status, _) = t
            .ada
            .put(&format!("{PROJECTS}/not-a-uuid"), json!({ "name": "x" }))
            .await;
        assert_eq!(status, 400);

        // Rename; a name taken is 409.
        let (status, renamed) = t.ada.put(&one, json!({ "name": "Web site" })).await;
        assert_eq!(status, 202, "{renamed}");
        assert_eq!(
            (renamed["id"].as_str(), renamed["name"].as_str()),
            (Some(id.as_str()), Some("Web site"))
        );
        t.ada.post(PROJECTS, json!({ "name": "App" })).await;
        let (status, body) = t.ada.put(&one, json!({ "name": "App" })).await;
        assert_eq!(status, 409, "{body}");
        let (status, body) = t.lena.post(PROJECTS, json!({ "name": "App" })).await;
        assert_eq!(status, 409, "{body}");

        // Another organization's project is not found, whoever asks.
        let (status, _) = t.gus.put(&one, json!({ "name": "Stolen" })).await;
        assert_eq!(status, 404);
        let (status, _) = t.gus.delete(&one).await;
        assert_eq!(status, 404);
        let (status, _) = t.gus.post(PROJECTS, json!({ "name": "Web site" })).await;
        assert_eq!(status, 201, "names are per organization");

        // Time on it before it is archived, and a timer still running.
        let day = "2024-03-05";
        let (status, old) = t
            .omar
            .post(LOGS, json!({ "projectId": id, "startedAt": format!("{day}T09:00:00.000Z"), "stoppedAt": format!("{day}T10:00:00.000Z") }))
            .await;
        assert_eq!(status, 201, "{old}");
        let (status, running) = t.jane.post(START, json!({ "projectId": id })).await;
        assert_eq!(status, 201, "{running}");

        let (status, body) = t.lena.delete(&one).await;
        assert_eq!(status, 204, "{body}");
        let (status, _) = t.lena.delete(&one).await;
        assert_eq!(status, 204, "archiving twice is harmless");

        // Pickers hide it, in both dialects.
        for who in [&t.omar, &t.ada] {
            let (_, list) = who.get(PROJECTS).await;
            assert_eq!(names(&list), ["App"], "{list}");
            let (_, ice) = who.get("/timesheets/projects").await;
            assert_eq!(names(&ice), ["App"], "{ice}");
        }
        let (_, mine) = t
            .omar
            .get(&format!("{PROJECTS}/employee/{}", t.omar.employee_id()))
            .await;
        assert_eq!(names(&mine), ["App"], "{mine}");

        // It takes no new time: 409 naming it.
        let (status, body) = t.omar.post(START, json!({ "projectId": id })).await;
        assert_eq!(status, 409, "{body}");
        assert!(
            body["message"]
                .as_str()
                .unwrap()
                .contains("'Web site' is archived"),
            "{body}"
        );
        let (status, body) = t
            .omar
            .post(LOGS, json!({ "projectId": id, "startedAt": format!("{day}T11:00:00.000Z"), "stoppedAt": format!("{day}T12:00:00.000Z") }))
            .await;
        assert_eq!(status, 409, "{body}");

        // History keeps it: the old log is listed on it, the running timer stops.
        let (_, logs) = t
            .omar
            .get(&format!("{LOGS}?startDate={day}&endDate={day}"))
            .await;
        assert_eq!(ids(&logs), [old["id"].as_str().unwrap()]);
        assert_eq!(logs["items"][0]["projectId"], id.as_str());
        let (status, stopped) = t.jane.post(STOP, json!({})).await;
        assert!(status.is_success(), "{status} {stopped}");
        assert_eq!(stopped["projectId"], id.as_str());

        // Restored, it takes time again.
        let (status, back) = t.ada.put(&one, json!({ "isArchived": false })).await;
        assert_eq!(status, 202, "{back}");
        assert_eq!(back["isArchived"], false);
        let (status, body) = t.omar.post(START, json!({ "projectId": id })).await;
        assert_eq!(status, 201, "{body}");
    }
);

both!(
    employees_create_projects_when_the_organization_lets_them,
    |backend| async move {
        let server = Server::start(backend).await;
        let t = server.team().await;
        // Settings first: a server may take a few seconds to see an
        // organization's settings change (it keeps callers briefly).
        let out = server
            .ok(&[
                "org",
                "set",
                "--name",
                "Default",
                "--members-create-projects",
                "true",
                "--all-projects-available",
                "false",
            ])
            .await;
        assert!(out.contains("members create projects = true"), "{out}");

        let (status, p) = t.omar.post(PROJECTS, json!({ "name": "Research" })).await;
        assert_eq!(status, 201, "{p}");
        let one = format!("{PROJECTS}/{}", p["id"].as_str().unwrap());
        let (status, _) = t.jane.put(&one, json!({ "name": "Research 2" })).await;
        assert_eq!(status, 202);
        let (status, _) = t.gina.post(PROJECTS, json!({ "name": "Elsewhere" })).await;
        assert_eq!(status, 403, "Globex keeps the default");

        // Where projects are assigned one by one, the creator gets theirs.
        let (status, p) = t.jane.post(PROJECTS, json!({ "name": "Jane's" })).await;
        assert_eq!(status, 201, "{p}");
        let (_, list) = t.jane.get(PROJECTS).await;
        assert_eq!(names(&list), ["Jane's"]);
        let (_, list) = t.omar.get(PROJECTS).await;
        assert_eq!(names(&list), ["Research 2"]);
    }
);

both!(
    a_project_made_offline_and_sent_twice_is_made_once,
    |backend| async move {
        let server = Server::start(backend).await;
        let t = server.team().await;
        server.members_create_projects().await;
        let id = uuid::Uuid::now_v7().to_string();
        let made = json!({ "id": id, "name": "Train ride" });

        let (status, first) = t.omar.post(PROJECTS, made.clone()).await;
        assert_eq!(status, 201, "{first}");
        assert_eq!(first["id"], id.as_str());
        let (status, again) = t.omar.post(PROJECTS, made.clone()).await;
        assert_eq!(status, 201, "{again}");
        assert_eq!(again, first, "the replay answers the same project");
        let (_, list) = t.omar.get(PROJECTS).await;
        assert_eq!(names(&list), ["Train ride"]);

        // Someone else naming that id gets an error, never the project.
        for other in [&t.jane, &t.ada] {
            let (status, body) = other
                .post(PROJECTS, json!({ "id": id, "name": "Other" }))
                .await;
            assert_eq!(status, 409, "{body}");
            assert!(!body.to_string().contains("Train ride"), "{body}");
        }
        let (status, body) = t
            .gus
            .post(PROJECTS, json!({ "id": id, "name": "Globex" }))
            .await;
        assert!(status == 409 || status == 201, "{status} {body}");
        assert!(!body.to_string().contains("Train ride"), "{body}");
        let (_, list) = t.omar.get(PROJECTS).await;
        assert_eq!(names(&list), ["Train ride"]);
    }
);

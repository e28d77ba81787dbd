//! `/api/timesheet/time-log`: create, read, list, update, delete, the rules
//! every write obeys, and who sees what. (The bulk sync: gauzy_sync.rs.)

#[macro_use]
mod util;

use reqwest::Method;
use serde_json::Value;
use util::*;

const LOGS: &str = "/api/timesheet/time-log";

fn log(start: &str, stop: &str) -> Value {
    json!({
        "startedAt": format!("2024-01-15T{start}:00.000Z"),
        "stoppedAt": format!("2024-01-15T{stop}:00.000Z"),
        "logType": "MANUAL",
        "source": "WEB_TIMER",
    })
}

/// Creates a log that must be accepted; its JSON.
async fn created(who: &Api, body: Value) -> Value {
    let (status, out) = who.post(LOGS, body.clone()).await;
    assert_eq!(status, 201, "{body} -> {out}");
    out
}

both!(
    a_log_is_created_read_listed_changed_and_deleted,
    |backend| async move {
        let server = Server::start(backend).await;
        server.user(OMAR, &[]).await;
        let (website, intranet) = tokio::join!(
            server.project("Website", &[]),
            server.project("Intranet", &[])
        );
        let omar = server.login(OMAR, PASSWORD).await;

        let task = server.task("Website", "Feature X", &[]).await;
        let out = created(
            &omar,
            json!({
                "startedAt": "2024-01-15T09:00:00.000Z",
                "stoppedAt": "2024-01-15T17:00:00Z",
                "logType": "MANUAL",
                "source": "WEB_TIMER",
                "description": "Working on feature X",
                "projectId": website,
                "taskId": task,
                "organizationId": omar.org_id(),
                "isBillable": true,
                "somethingUnknown": [1, 2, 3],
            }),
        )
        .await;
        let id = out["id"].as_str().expect("id").to_string();
        assert_eq!(out["startedAt"], "2024-01-15T09:00:00.000Z");
        assert_eq!(out["stoppedAt"], "2024-01-15T17:00:00.000Z");
        assert_eq!(out["duration"], 28800);
        assert_eq!(out["logType"], "MANUAL");
        assert_eq!(out["source"], "WEB_TIMER");
        assert_eq!(out["description"], "Working on feature X");
        assert_eq!(out["employeeId"], omar.employee_id());
        assert_eq!(out["projectId"], website.as_str());
        assert_eq!(out["taskId"], task.as_str());
        assert_eq!(out["organizationId"], omar.org_id());
        assert_eq!(out["tenantId"], omar.org_id());
        assert_eq!(out["isBillable"], true);
        assert_eq!(out["isRunning"], false);
        assert!(out["timesheetId"].is_string(), "{out}");
        for k in ["createdAt", "updatedAt", "startedAt", "stoppedAt"] {
            assert!(is_iso_millis(out[k].as_str().unwrap()), "{k}: {out}");
        }

        let (status, got) = omar.get(&format!("{LOGS}/{id}")).await;
        assert_eq!(status, 200);
        assert_eq!(got, out);

        // A second log on another project, the next day.
        let other = created(
            &omar,
            json!({
                "startedAt": "2024-01-16T09:00:00.000Z",
                "stoppedAt": "2024-01-16T10:00:00.000Z",
                "projectId": intranet,
            }),
        )
        .await;
        assert_eq!(other["logType"], "MANUAL", "{other}");
        let other_id = other["id"].as_str().unwrap().to_string();

        let list = |q: String| {
            let omar = omar.clone();
            async move {
                let (status, page) = omar.get(&format!("{LOGS}?{q}")).await;
                assert_eq!(status, 200, "{q}: {page}");
                ids(&page)
            }
        };
        assert_eq!(
            list("startDate=2024-01-01&endDate=2024-01-31".into())
                .await
                .len(),
            2
        );
        assert_eq!(
            list("startDate=2024-01-15&endDate=2024-01-15".into()).await,
            vec![id.clone()]
        );
        assert_eq!(
            list("startDate=2024-01-16T00:00:00.000Z&endDate=2024-01-17T00:00:00.000Z".into())
                .await,
            vec![other_id.clone()]
        );
        assert!(
            list("startDate=2024-02-01&endDate=2024-02-29".into())
                .await
                .is_empty()
        );
        assert_eq!(
            list(format!("projectId={intranet}")).await,
            vec![other_id.clone()]
        );
        assert_eq!(
            list(format!("projectIds[0]={website}&projectIds[1]={intranet}"))
                .await
                .len(),
            2
        );
        assert_eq!(
            list(format!(
                "employeeId={}&unknown=1&relations[]=project",
                omar.employee_id()
            ))
            .await
            .len(),
            2
        );

        let (status, changed) = omar
        .put(
            &format!("{LOGS}/{id}"),
            json!({ "stoppedAt": "2024-01-15T18:00:00.000Z", "description": "Updated description" }),
        )
        .await;
        assert_eq!(status, 200, "{changed}");
        assert_eq!(changed["duration"], 32400);
        assert_eq!(changed["description"], "Updated description");
        assert_eq!(changed["projectId"], website.as_str());
        assert_eq!(changed["startedAt"], "2024-01-15T09:00:00.000Z");

        let (status, body) = omar.delete(&format!("{LOGS}/{id}")).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(omar.get(&format!("{LOGS}/{id}")).await.0, 404);
        assert_eq!(omar.delete(&format!("{LOGS}/{id}")).await.0, 404);
        assert_eq!(list(String::new()).await, vec![other_id]);
    }
);

both!(a_client_id_makes_creates_idempotent, |backend| async move {
    let server = Server::start(backend).await;
    server.user(OMAR, &[]).await;
    let omar = server.login(OMAR, PASSWORD).await;
    let id = uuid::Uuid::now_v7().to_string();
    let mut body = log("09:00", "10:00");
    body["id"] = json!(id);

    let first = created(&omar, body.clone()).await;
    assert_eq!(first["id"], id.as_str());
    // The replay (even with other content) answers the stored log.
    body["description"] = json!("changed on the way");
    let second = created(&omar, body).await;
    assert_eq!(second["id"], id.as_str());
    assert_eq!(second["description"], "");
    let (_, page) = omar.get(LOGS).await;
    assert_eq!(ids(&page), vec![id.clone()]);

    // The desktop timer's offline queue: PUT with the id in the body.
    let queued = uuid::Uuid::now_v7().to_string();
    let mut body = log("11:00", "12:00");
    body["id"] = json!(queued);
    body["logType"] = json!("TRACKED");
    body["source"] = json!("DESKTOP");
    body["employeeId"] = json!(omar.employee_id());
    let (status, out) = omar.put(LOGS, body.clone()).await;
    assert_eq!(status, 200, "{out}");
    assert_eq!(out["id"], queued.as_str());
    body["stoppedAt"] = json!("2024-01-15T12:30:00.000Z");
    let (status, out) = omar.put(LOGS, body).await;
    assert_eq!(status, 200, "{out}");
    assert_eq!(out["duration"], 5400);
    let (_, page) = omar.get(LOGS).await;
    assert_eq!(ids(&page).len(), 2);
});

both!(
    overlaps_are_409_and_bad_intervals_400,
    |backend| async move {
        let server = Server::start(backend).await;
        server.user(OMAR, &[]).await;
        let omar = server.login(OMAR, PASSWORD).await;
        let first = created(&omar, log("09:00", "10:00")).await;
        let first_id = first["id"].as_str().unwrap();

        for (a, b) in [("09:30", "10:30"), ("08:00", "09:01"), ("08:00", "11:00")] {
            let (status, body) = omar.post(LOGS, log(a, b)).await;
            assert_eq!(status, 409, "{a}-{b}: {body}");
            let msg = body["message"].as_str().unwrap();
            assert!(msg.contains(first_id), "{msg}");
        }
        // Touching ends are fine.
        let second = created(&omar, log("10:00", "11:00")).await;
        let second_id = second["id"].as_str().unwrap();
        // Moving the second into the first is a clash too.
        let (status, body) = omar
            .put(
                &format!("{LOGS}/{second_id}"),
                json!({ "startedAt": "2024-01-15T09:59:00.000Z" }),
            )
            .await;
        assert_eq!(status, 409, "{body}");
        assert!(body["message"].as_str().unwrap().contains(first_id));

        for (a, b) in [("12:00", "12:00"), ("13:00", "12:00")] {
            let (status, body) = omar.post(LOGS, log(a, b)).await;
            assert_eq!(status, 400, "{a}-{b}: {body}");
            assert!(body["message"].is_string());
        }
        let (status, _) = omar
            .put(
                &format!("{LOGS}/{second_id}"),
                json!({ "stoppedAt": "2024-01-15T09:00:00.000Z" }),
            )
            .await;
        assert_eq!(status, 400);
        let (_, page) = omar.get(LOGS).await;
        assert_eq!(ids(&page).len(), 2);
    }
);

both!(bad_requests_are_400_with_a_message, |backend| async move {
    let server = Server::start(backend).await;
    server.user(OMAR, &[]).await;
    let omar = server.login(OMAR, PASSWORD).await;

    let with = |k: &str, v: Value| {
        let mut b = log("09:00", "10:00");
        b[k] = v;
        b.to_string()
    };
    let bodies = [
        "{".to_string(),
        "not json".to_string(),
        "[1,2]".to_string(),
        r#"{"startedAt": "2024-01-15T09:00:00.000Z"} trailing"#.to_string(),
        with("isBillable", json!("yes")),
        with("startedAt", json!(5)),
        with("description", json!({"a": 1})),
        with("logType", json!("SLEEPING")),
        with("source", json!("FAX")),
        with("startedAt", json!("yesterday")),
        with("stoppedAt", json!("2024-13-45T99:00:00Z")),
        with("projectId", json!("not-a-uuid")),
        with("employeeId", json!(42)),
        json!({ "stoppedAt": "2024-01-15T10:00:00.000Z" }).to_string(),
        // Centuries away, or a single log over years, is a mistake.
        json!({ "startedAt": "1900-01-01T09:00:00Z", "stoppedAt": "1900-01-01T10:00:00Z" })
            .to_string(),
        json!({ "startedAt": "2100-01-01T09:00:00Z", "stoppedAt": "2100-01-01T10:00:00Z" })
            .to_string(),
        json!({ "startedAt": "2020-01-01T09:00:00Z", "stoppedAt": "2024-01-01T10:00:00Z" })
            .to_string(),
    ];
    for body in &bodies {
        let (status, answer) = omar.raw(Method::POST, LOGS, body).await;
        assert_eq!(status, 400, "{body}: {answer}");
        assert!(
            answer["message"].as_str().is_some_and(|m| !m.is_empty()),
            "{body}: {answer}"
        );
    }
    let (status, _) = omar.put(&format!("{LOGS}/not-a-uuid"), json!({})).await;
    assert_eq!(status, 400);
    let (status, _) = omar.get(&format!("{LOGS}/not-a-uuid")).await;
    assert_eq!(status, 400);
    let (status, _) = omar.get(&format!("{LOGS}?startDate=soon")).await;
    assert_eq!(status, 400);
    let (status, _) = omar.get(&format!("{LOGS}?employeeId=bob")).await;
    assert_eq!(status, 400);

    // An unknown project is 404; every documented source and Gauzy's extra
    // ones are accepted.
    let (status, _) = omar
        .raw(
            Method::POST,
            LOGS,
            &with("projectId", json!(uuid::Uuid::new_v4().to_string())),
        )
        .await;
    assert_eq!(status, 404);
    let sources = [
        "WEB_TIMER",
        "DESKTOP",
        "MOBILE",
        "BROWSER_EXTENSION",
        "HUBSTAFF",
        "UPWORK",
        "BROWSER",
        "TEAMS",
        "CLOC",
    ];
    for (i, source) in sources.iter().enumerate() {
        let mut b = log(&format!("{:02}:00", 10 + i), &format!("{:02}:30", 10 + i));
        b["source"] = json!(source);
        b["logType"] = json!(["TRACKED", "MANUAL", "IDLE", "RESUMED"][i % 4]);
        let out = created(&omar, b).await;
        assert_eq!(out["source"], *source);
    }
});

both!(
    employees_see_their_own_supervisors_their_reports_admins_all,
    |backend| async move {
        let server = Server::start(backend).await;
        let t = server.team().await;
        let omars = created(&t.omar, log("09:00", "10:00")).await;
        let janes = created(&t.jane, log("09:00", "10:00")).await;
        let (omar_log, jane_log) = (
            omars["id"].as_str().unwrap().to_string(),
            janes["id"].as_str().unwrap().to_string(),
        );
        let visible = |who: &Session, q: &str| {
            let (who, q) = (who.clone(), q.to_string());
            async move {
                let (status, page) = who.get(&format!("{LOGS}{q}")).await;
                assert_eq!(status, 200, "{page}");
                let mut v = ids(&page);
                v.sort();
                v
            }
        };
        let sorted = |mut v: Vec<String>| {
            v.sort();
            v
        };

        assert_eq!(visible(&t.omar, "").await, vec![omar_log.clone()]);
        let q = format!("?employeeId={}", t.jane.employee_id());
        assert!(visible(&t.omar, &q).await.is_empty());
        assert_eq!(visible(&t.lena, "").await, vec![omar_log.clone()]);
        assert!(visible(&t.lena, &q).await.is_empty());
        assert_eq!(visible(&t.max, "").await, vec![jane_log.clone()]);
        assert_eq!(
            visible(&t.ada, "").await,
            sorted(vec![omar_log.clone(), jane_log.clone()])
        );
        assert_eq!(visible(&t.ada, &q).await, vec![jane_log.clone()]);
        assert!(visible(&t.gus, "").await.is_empty());
        let q = format!("?employeeId={}", t.omar.employee_id());
        assert!(visible(&t.gus, &q).await.is_empty());

        // By id: a colleague's log is 403, another organization's 404.
        let path = format!("{LOGS}/{jane_log}");
        let change = json!({ "description": "mine now" });
        assert_eq!(t.omar.get(&path).await.0, 403);
        assert_eq!(t.omar.put(&path, change.clone()).await.0, 403);
        assert_eq!(t.omar.delete(&path).await.0, 403);
        assert_eq!(t.lena.get(&path).await.0, 403);
        assert_eq!(t.max.get(&path).await.0, 200);
        assert_eq!(t.ada.get(&path).await.0, 200);
        let path = format!("{LOGS}/{omar_log}");
        for (status, body) in [
            t.gus.get(&path).await,
            t.gus.put(&path, change.clone()).await,
            t.gus.delete(&path).await,
        ] {
            assert_eq!(status, 404, "{body}");
        }
        assert_eq!(t.lena.get(&path).await.0, 200);

        // Writing for someone else: a colleague 403, another org's person 404.
        let mut b = log("11:00", "12:00");
        b["employeeId"] = json!(t.jane.employee_id());
        assert_eq!(t.omar.post(LOGS, b.clone()).await.0, 403);
        b["employeeId"] = json!(t.omar.employee_id());
        assert_eq!(t.gus.post(LOGS, b.clone()).await.0, 404);
        // A supervisor reviews but does not rewrite a report's time
        // (DESIGN.md: entries are the owner's); an admin may.
        assert_eq!(t.lena.post(LOGS, b.clone()).await.0, 403);
        let checked = json!({ "description": "checked" });
        assert_eq!(t.lena.put(&path, checked.clone()).await.0, 403);
        assert_eq!(t.lena.delete(&path).await.0, 403);
        let made = created(&t.ada, b).await;
        assert_eq!(made["employeeId"], t.omar.employee_id());
        let (status, _) = t.ada.put(&path, checked).await;
        assert_eq!(status, 200);
        assert_eq!(t.jane.get(&path).await.0, 403);
    }
);

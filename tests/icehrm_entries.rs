//! IceHrm time entries: add, update, delete, and every way to get one
//! wrong (400), overlapping (409), and projects the employee may not use.

#[macro_use]
mod util;
#[path = "util/icehrm.rs"]
mod icehrm;

use icehrm::*;
use serde_json::Value;
use util::*;

/// The 400 answer's message, which must mention `word`.
fn says(body: &Value, word: &str) {
    let m = body["message"].as_str().unwrap_or_default();
    assert!(
        m.to_lowercase().contains(&word.to_lowercase()),
        "message should mention '{word}': {body}"
    );
    assert!(body["error"].is_string(), "{body}");
}

both!(
    an_employee_adds_changes_and_removes_entries,
    |backend| async move {
        let server = Server::start(backend).await;
        server.user(OMAR, &[]).await;
        server.project("Website", &[]).await;
        let omar = server.login(OMAR, PASSWORD).await;
        let sheet = current(&omar).await;
        let id = int(&sheet["id"]);
        let website = project_id(&omar, "Website").await;
        let monday = day(&sheet, 1);

        let mut body = entry_body(&monday, "09:00:00", "12:00:00");
        body["project"] = json!(website);
        body["details"] = json!("Landing page");
        let (status, e) = add(&omar, id, body).await;
        assert_eq!(status, 201, "{e}");
        assert_eq!(e["timesheet"], id);
        assert_eq!(e["date_start"], format!("{monday} 09:00:00"));
        assert_eq!(e["date_end"], format!("{monday} 12:00:00"));
        assert_eq!(e["duration_minutes"], 180);
        assert_eq!(e["duration_hours"], 3.0);
        assert_eq!(e["project"]["id"], website);
        assert_eq!(e["details"], "Landing page");
        let entry = int(&e["id"]);

        // Any subset: only the details, then only the end, then the day.
        let (status, e) = update(&omar, entry, json!({ "details": "Landing page v2" })).await;
        assert_eq!(status, 200, "{e}");
        assert_eq!(e["details"], "Landing page v2");
        assert_eq!(e["date_start"], format!("{monday} 09:00:00"));
        assert_eq!(e["project"]["id"], website);
        let (status, e) = update(&omar, entry, json!({ "end_time": "12:30:00" })).await;
        assert_eq!(status, 200, "{e}");
        assert_eq!(e["duration_minutes"], 210);
        let tuesday = day(&sheet, 2);
        let (status, e) = update(
            &omar,
            entry,
            json!({ "date": tuesday, "start_time": "10:00", "project": null }),
        )
        .await;
        assert_eq!(status, 200, "{e}");
        assert_eq!(e["date_start"], format!("{tuesday} 10:00:00"));
        assert_eq!(e["date_end"], format!("{tuesday} 12:30:00"));
        assert_eq!(e["project"], Value::Null);
        assert_eq!(e["details"], "Landing page v2");
        assert_eq!(e["duration_minutes"], 150);

        let d = details(&omar, id).await;
        assert_eq!(d["entries"].as_array().unwrap().len(), 1);
        assert_eq!(d["entries"][0], e);
        assert_eq!(minutes(&d["timesheet"]), 150);

        let (status, body) = delete(&omar, entry).await;
        assert_eq!(status, 200, "{body}");
        let d = details(&omar, id).await;
        assert!(d["entries"].as_array().unwrap().is_empty(), "{d}");
        assert_eq!(minutes(&d["timesheet"]), 0);
        assert_eq!(delete(&omar, entry).await.0, 404);
        assert_eq!(update(&omar, entry, json!({ "details": "x" })).await.0, 404);
        assert_eq!(
            add(&omar, 999999, entry_body(&monday, "09:00", "10:00"))
                .await
                .0,
            404
        );
        assert_eq!(delete(&omar, 999999).await.0, 404);
    }
);

both!(a_wrong_entry_is_400_with_a_message, |backend| async move {
    let server = Server::start(backend).await;
    server.user(OMAR, &[]).await;
    let omar = server.login(OMAR, PASSWORD).await;
    let sheet = current(&omar).await;
    let id = int(&sheet["id"]);
    let monday = day(&sheet, 1);

    let missing = [
        (
            json!({ "start_time": "09:00:00", "end_time": "10:00:00" }),
            "date",
        ),
        (
            json!({ "date": monday, "end_time": "10:00:00" }),
            "start_time",
        ),
        (
            json!({ "date": monday, "start_time": "09:00:00" }),
            "end_time",
        ),
        (
            json!({ "date": "", "start_time": "09:00:00", "end_time": "10:00:00" }),
            "date",
        ),
        (json!({}), "date"),
    ];
    for (body, field) in missing {
        let (status, answer) = add(&omar, id, body.clone()).await;
        assert_eq!(status, 400, "{body}: {answer}");
        says(&answer, field);
    }

    let malformed = [
        (entry_body("2026/04/07", "09:00:00", "10:00:00"), "date"),
        (entry_body("next monday", "09:00:00", "10:00:00"), "date"),
        (entry_body(&monday, "9am", "10:00:00"), "start_time"),
        (entry_body(&monday, "09:00:00", "25:00:00"), "end_time"),
        (
            json!({ "date": 20260407, "start_time": "09:00", "end_time": "10:00" }),
            "date",
        ),
    ];
    for (body, field) in malformed {
        let (status, answer) = add(&omar, id, body.clone()).await;
        assert_eq!(status, 400, "{body}: {answer}");
        if field != "date" || body["date"].is_string() {
            says(&answer, field);
        }
    }

    for (start, end) in [("10:00:00", "10:00:00"), ("17:00:00", "09:00:00")] {
        let (status, answer) = add(&omar, id, entry_body(&monday, start, end)).await;
        assert_eq!(status, 400, "{start}-{end}: {answer}");
        says(&answer, "end_time");
    }

    for outside in [day(&sheet, -1), day(&sheet, 7), "2020-01-01".to_string()] {
        let (status, answer) = add(&omar, id, entry_body(&outside, "09:00", "10:00")).await;
        assert_eq!(status, 400, "{outside}: {answer}");
        says(&answer, "outside");
    }

    for project in [json!("abc"), json!(999999), json!({ "id": 1 })] {
        let mut body = entry_body(&monday, "09:00:00", "10:00:00");
        body["project"] = project.clone();
        let (status, answer) = add(&omar, id, body).await;
        assert_eq!(status, 400, "{project}: {answer}");
        says(&answer, "project");
    }

    let (status, answer) = omar
        .raw(
            reqwest::Method::POST,
            &format!("/timesheets/{id}/entries"),
            "{\"date\": ",
        )
        .await;
    assert_eq!(status, 400, "{answer}");

    // The same rules hold for a change; nothing was stored on the way.
    let e = add_ok(&omar, id, &monday, "09:00:00", "10:00:00").await;
    let entry = int(&e["id"]);
    for (body, word) in [
        (json!({ "end_time": "08:00:00" }), "end_time"),
        (json!({ "start_time": "10:00:00" }), "end_time"),
        (json!({ "date": day(&sheet, 7) }), "outside"),
        (json!({ "date": "07.04.2026" }), "date"),
        (json!({ "start_time": "nine" }), "start_time"),
        (json!({ "project": 999999 }), "project"),
    ] {
        let (status, answer) = update(&omar, entry, body.clone()).await;
        assert_eq!(status, 400, "{body}: {answer}");
        says(&answer, word);
    }
    let d = details(&omar, id).await;
    assert_eq!(d["entries"].as_array().unwrap().len(), 1);
    assert_eq!(d["entries"][0], e);
});

both!(overlapping_entries_are_409, |backend| async move {
    let server = Server::start(backend).await;
    server.user(OMAR, &[]).await;
    server.user(JANE, &[]).await;
    let (omar, jane) = tokio::join!(server.login(OMAR, PASSWORD), server.login(JANE, PASSWORD));
    let sheet = current(&omar).await;
    let id = int(&sheet["id"]);
    let monday = day(&sheet, 1);

    let first = add_ok(&omar, id, &monday, "09:00:00", "12:00:00").await;
    for (start, end) in [
        ("11:00:00", "13:00:00"),
        ("08:00:00", "09:30:00"),
        ("10:00:00", "11:00:00"),
        ("08:00:00", "13:00:00"),
        ("09:00:00", "12:00:00"),
    ] {
        let (status, body) = add(&omar, id, entry_body(&monday, start, end)).await;
        assert_eq!(status, 409, "{start}-{end}: {body}");
        assert!(
            body["message"].as_str().is_some_and(|m| !m.is_empty()),
            "{body}"
        );
    }
    // Touching is not overlapping.
    let before = add_ok(&omar, id, &monday, "08:00:00", "09:00:00").await;
    add_ok(&omar, id, &monday, "12:00:00", "13:00:00").await;

    // A change into another entry is refused too, and changes nothing.
    let (status, body) = update(&omar, int(&before["id"]), json!({ "end_time": "09:30:00" })).await;
    assert_eq!(status, 409, "{body}");
    let (status, body) = update(&omar, int(&first["id"]), json!({ "date": monday })).await;
    assert_eq!(status, 200, "its own time is no clash: {body}");

    // A log made through Gauzy clashes the same way.
    let tuesday = day(&sheet, 2);
    let log = gauzy_log(
        &omar,
        &format!("{tuesday}T14:00:00.000Z"),
        &format!("{tuesday}T15:00:00.000Z"),
        json!({}),
    )
    .await;
    let (status, body) = add(&omar, id, entry_body(&tuesday, "14:30", "16:00")).await;
    assert_eq!(status, 409, "{body}");
    let message = body["message"].as_str().unwrap_or_default();
    assert!(
        message.contains(log["id"].as_str().unwrap()),
        "names the clash: {body}"
    );

    // Another employee's time never clashes with Omar's.
    let theirs = current(&jane).await;
    add_ok(&jane, int(&theirs["id"]), &monday, "09:00:00", "12:00:00").await;
    assert_eq!(minutes(&details(&omar, id).await["timesheet"]), 5 * 60 + 60);
});

both!(
    projects_follow_the_all_projects_setting,
    |backend| async move {
        let server = Server::start(backend).await;
        server.ok(&["org", "add", "--name", "Other"]).await;
        server.user(OMAR, &[]).await;
        server.project("Website", &["--assign", OMAR]).await;
        server.project("Backoffice", &[]).await;
        server.project("Other HQ", &["--org", "Other"]).await;
        let omar = server.login(OMAR, PASSWORD).await;

        // By default every project of the organization is available.
        let (status, all) = omar.get("/timesheets/projects").await;
        assert_eq!(status, 200, "{all}");
        let mut names: Vec<&str> = all["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["name"].as_str().unwrap())
            .collect();
        names.sort();
        assert_eq!(names, ["Backoffice", "Website"], "{all}");
        assert!(
            all["data"]
                .as_array()
                .unwrap()
                .iter()
                .all(|p| p["id"].is_i64())
        );
        let website = project_id(&omar, "Website").await;
        let backoffice = project_id(&omar, "Backoffice").await;

        let sheet = current(&omar).await;
        let id = int(&sheet["id"]);
        let mut body = entry_body(&day(&sheet, 1), "09:00", "10:00");
        body["project"] = json!(backoffice);
        let (status, early) = add(&omar, id, body.clone()).await;
        assert_eq!(status, 201, "{early}");

        server
            .ok(&[
                "org",
                "set",
                "--name",
                "Default",
                "--all-projects-available",
                "false",
            ])
            .await;
        let (_, mine) = omar.get("/timesheets/projects").await;
        assert_eq!(
            mine["data"],
            json!([{ "id": website, "name": "Website" }]),
            "{mine}"
        );

        body["start_time"] = json!("11:00");
        body["end_time"] = json!("12:00");
        let (status, answer) = add(&omar, id, body.clone()).await;
        assert_eq!(status, 400, "{answer}");
        says(&answer, "project");
        body["project"] = json!(website);
        let (status, ok) = add(&omar, id, body).await;
        assert_eq!(status, 201, "{ok}");
        let (status, answer) =
            update(&omar, int(&ok["id"]), json!({ "project": backoffice })).await;
        assert_eq!(status, 400, "{answer}");
        says(&answer, "project");
        // The earlier entry keeps its project; its other fields still change.
        let (status, e) = update(&omar, int(&early["id"]), json!({ "details": "kept" })).await;
        assert_eq!(status, 200, "{e}");
        assert_eq!(e["project"]["id"], backoffice);
        assert_eq!(
            details(&omar, id).await["entries"]
                .as_array()
                .unwrap()
                .len(),
            2
        );
    }
);

both!(
    a_log_across_midnight_keeps_its_times,
    |backend| async move {
        let server = Server::start(backend).await;
        server.user(OMAR, &[]).await;
        server.project("Website", &[]).await;
        let omar = server.login(OMAR, PASSWORD).await;
        // Wednesday 22:00 to Thursday 02:00, logged through Gauzy.
        gauzy_log(
            &omar,
            "2026-04-08T22:00:00.000Z",
            "2026-04-09T02:00:00.000Z",
            json!({}),
        )
        .await;
        let sheet = sheet_starting(&omar, "2026-04-05").await;
        let e = entries(&omar, int(&sheet["id"])).await.remove(0);
        assert_eq!(e["date_start"], "2026-04-08 22:00:00");
        assert_eq!(e["date_end"], "2026-04-09 02:00:00");
        assert_eq!(e["duration_minutes"], 240);

        // New details or a project leave its times alone.
        let website = project_id(&omar, "Website").await;
        let (status, changed) = update(
            &omar,
            int(&e["id"]),
            json!({ "details": "release night", "project": website }),
        )
        .await;
        assert_eq!(status, 200, "{changed}");
        assert_eq!(changed["date_start"], e["date_start"]);
        assert_eq!(changed["date_end"], e["date_end"]);
        assert_eq!(changed["duration_minutes"], 240);
        assert_eq!(changed["details"], "release night");

        // Times given make it an ordinary one-day entry.
        let (status, changed) =
            update(&omar, int(&e["id"]), json!({ "end_time": "23:30:00" })).await;
        assert_eq!(status, 200, "{changed}");
        assert_eq!(changed["date_end"], "2026-04-08 23:30:00");
        assert_eq!(changed["duration_minutes"], 90);
        assert_eq!(
            minutes(&details(&omar, int(&sheet["id"])).await["timesheet"]),
            90
        );
    }
);

//! One data model, two spellings: what is written through IceHrm reads the
//! same through Gauzy and back, statuses map (Pending↔DRAFT,
//! Submitted↔PENDING, Approved↔APPROVED, Rejected↔DENIED), totals agree,
//! and IDLE time is listed by Gauzy but counted by neither.

#[macro_use]
mod util;
#[path = "util/icehrm.rs"]
mod icehrm;

use icehrm::*;
use serde_json::Value;
use util::*;

/// Omar's IceHrm week starting on `start` and the same week in Gauzy.
async fn both_views(api: &Session, start: &str) -> (Value, Value) {
    let ice = sheet_starting(api, start).await;
    let gauzy = gauzy_sheet(api, &api.employee_id(), start).await;
    (ice, gauzy)
}

/// The Gauzy status of Omar's week starting on `start`.
async fn gauzy_status(api: &Session, start: &str) -> String {
    both_views(api, start).await.1["status"]
        .as_str()
        .expect("status")
        .to_string()
}

both!(
    an_icehrm_entry_is_a_manual_gauzy_log,
    |backend| async move {
        let server = Server::start(backend).await;
        server.user(OMAR, &[]).await;
        server.project("Mobile App Development", &[]).await;
        let omar = server.login(OMAR, PASSWORD).await;
        let sheet = current(&omar).await;
        let project = project_id(&omar, "Mobile App Development").await;
        let monday = day(&sheet, 1);

        let mut body = entry_body(&monday, "09:00:00", "17:30:00");
        body["project"] = json!(project);
        body["details"] = json!("Implemented timesheet API");
        let (status, e) = add(&omar, int(&sheet["id"]), body).await;
        assert_eq!(status, 201, "{e}");

        let logs = gauzy_logs(&omar).await;
        assert_eq!(logs.len(), 1, "{logs:?}");
        let log = &logs[0];
        assert_eq!(log["logType"], "MANUAL");
        assert_eq!(log["startedAt"], format!("{monday}T09:00:00.000Z"));
        assert_eq!(log["stoppedAt"], format!("{monday}T17:30:00.000Z"));
        assert_eq!(log["duration"], 510 * 60);
        assert_eq!(log["description"], "Implemented timesheet API");
        assert_eq!(log["employeeId"], omar.employee_id());
        let (status, projects) = omar.get("/api/organization-projects").await;
        assert_eq!(status, 200, "{projects}");
        let gauzy_project = projects["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == "Mobile App Development")
            .expect("the project in Gauzy");
        assert_eq!(log["projectId"], gauzy_project["id"]);
        let (_, gauzy) = both_views(&omar, sheet["date_start"].as_str().unwrap()).await;
        assert_eq!(log["timesheetId"], gauzy["id"]);

        // A change in IceHrm is the same log changed; a delete removes it.
        let (status, _) = update(&omar, int(&e["id"]), json!({ "end_time": "12:00:00" })).await;
        assert_eq!(status, 200);
        let (status, log) = omar
            .get(&format!(
                "/api/timesheet/time-log/{}",
                log["id"].as_str().unwrap()
            ))
            .await;
        assert_eq!(status, 200, "{log}");
        assert_eq!(log["duration"], 3 * 3600);
        assert_eq!(log["stoppedAt"], format!("{monday}T12:00:00.000Z"));
        assert_eq!(delete(&omar, int(&e["id"])).await.0, 200);
        assert!(gauzy_logs(&omar).await.is_empty());
    }
);

both!(
    gauzy_logs_and_timers_are_icehrm_entries,
    |backend| async move {
        let server = Server::start(backend).await;
        server.user(OMAR, &["--timezone", "Europe/Berlin"]).await;
        let omar = server.login(OMAR, PASSWORD).await;

        // A log posted through Gauzy and a desktop timer run, both in the week
        // of Sunday 2026-04-05 (Berlin, CEST = UTC+2).
        gauzy_log(
            &omar,
            "2026-04-06T07:00:00.000Z",
            "2026-04-06T09:15:00.000Z",
            json!({ "description": "from Gauzy", "logType": "TRACKED" }),
        )
        .await;
        let (status, started) = omar
        .post(
            "/api/timesheet/timer/start",
            json!({ "startedAt": "2026-04-07T12:00:00.000Z", "source": "DESKTOP", "description": "timer" }),
        )
        .await;
        assert_eq!(status, 201, "{started}");
        let (status, stopped) = omar
            .post(
                "/api/timesheet/timer/stop",
                json!({ "stoppedAt": "2026-04-07T12:45:30.000Z" }),
            )
            .await;
        assert_eq!(status, 201, "{stopped}");
        assert_eq!(stopped["duration"], 45 * 60 + 30);

        let (ice, gauzy) = both_views(&omar, "2026-04-05").await;
        let d = details(&omar, int(&ice["id"])).await;
        let entries = d["entries"].as_array().unwrap();
        assert_eq!(entries.len(), 2, "{d}");
        let by = |what: &str| {
            entries
                .iter()
                .find(|e| e["details"] == what)
                .cloned()
                .unwrap()
        };
        let posted = by("from Gauzy");
        assert_eq!(posted["date_start"], "2026-04-06 09:00:00");
        assert_eq!(posted["date_end"], "2026-04-06 11:15:00");
        assert_eq!(posted["duration_minutes"], 135);
        assert_eq!(posted["duration_hours"], 2.25);
        assert_eq!(posted["timesheet"], ice["id"]);
        let timed = by("timer");
        assert_eq!(timed["date_start"], "2026-04-07 14:00:00");
        assert_eq!(timed["date_end"], "2026-04-07 14:45:30");
        assert_eq!(timed["duration_minutes"], 45);

        // Totals agree: whole minutes of the same seconds.
        assert_eq!(gauzy["duration"], 135 * 60 + 45 * 60 + 30);
        assert_eq!(minutes(&d["timesheet"]), 180);
        assert_eq!(minutes(&ice), int(&gauzy["duration"]) / 60);

        // The IceHrm entry id reaches the same log Gauzy changes.
        let (status, body) = update(
            &omar,
            int(&timed["id"]),
            json!({ "details": "timer, renamed" }),
        )
        .await;
        assert_eq!(status, 200, "{body}");
        let (_, log) = omar
            .get(&format!(
                "/api/timesheet/time-log/{}",
                started["id"].as_str().unwrap()
            ))
            .await;
        assert_eq!(log["description"], "timer, renamed");
        assert_eq!(log["logType"], "TRACKED");
        assert_eq!(log["source"], "DESKTOP");
    }
);

both!(statuses_map_between_the_dialects, |backend| async move {
    let server = Server::start(backend).await;
    let team = server.team().await;
    let (omar, lena) = (&team.omar, &team.lena);
    let sheet = current(omar).await;
    let id = int(&sheet["id"]);
    let start = sheet["date_start"].as_str().unwrap().to_string();
    add_ok(omar, id, &day(&sheet, 1), "09:00", "12:00").await;
    let gauzy_id = both_views(omar, &start).await.1["id"].clone();
    assert_eq!(gauzy_status(omar, &start).await, "DRAFT");

    // Gauzy submit → IceHrm Submitted; Gauzy recall → Pending.
    let put = |api: &Session, what: &'static str, body: Value| {
        let api = api.clone();
        async move {
            let (status, answer) = api.put(&format!("/api/timesheet/{what}"), body).await;
            assert_eq!(status, 200, "{what}: {answer}");
            answer
        }
    };
    put(
        omar,
        "submit",
        json!({ "ids": [gauzy_id], "status": "PENDING" }),
    )
    .await;
    assert_eq!(details(omar, id).await["timesheet"]["status"], "Submitted");
    put(
        omar,
        "submit",
        json!({ "ids": [gauzy_id], "status": "DRAFT" }),
    )
    .await;
    assert_eq!(details(omar, id).await["timesheet"]["status"], "Pending");

    // IceHrm submit → PENDING; Gauzy deny → Rejected.
    assert_eq!(act_ok(omar, id, "submit").await, "Submitted");
    assert_eq!(gauzy_status(omar, &start).await, "PENDING");
    let pending = page(lena, "/timesheets/direct-reports/pending").await;
    assert_eq!(row_ids(&pending), vec![id]);
    let denied = put(
        lena,
        "deny",
        json!({ "ids": [gauzy_id], "reason": REJECTION }),
    )
    .await;
    assert_eq!(denied[0]["status"], "DENIED");
    assert_eq!(details(omar, id).await["timesheet"]["status"], "Rejected");
    assert_eq!(page(omar, "/timesheets?status=Rejected").await["total"], 1);

    // IceHrm resubmit and reject → DENIED; Gauzy resubmit → Submitted.
    assert_eq!(act_ok(omar, id, "submit").await, "Submitted");
    assert_eq!(act_ok(lena, id, "reject").await, "Rejected");
    assert_eq!(gauzy_status(omar, &start).await, "DENIED");
    put(omar, "submit", json!({ "ids": [gauzy_id] })).await;
    assert_eq!(details(lena, id).await["timesheet"]["status"], "Submitted");

    // IceHrm approve → APPROVED, and Gauzy cannot change the locked week.
    assert_eq!(act_ok(lena, id, "approve").await, "Approved");
    assert_eq!(gauzy_status(omar, &start).await, "APPROVED");
    let (status, body) = lena
        .put("/api/timesheet/approve", json!({ "ids": [gauzy_id] }))
        .await;
    assert_eq!(status, 409, "{body}");

    // The other way round on Jane's week: Gauzy approve → IceHrm Approved.
    let jane_sheet = current(&team.jane).await;
    let jane_start = jane_sheet["date_start"].as_str().unwrap().to_string();
    let jane_gauzy = both_views(&team.jane, &jane_start).await.1["id"].clone();
    put(&team.jane, "submit", json!({ "ids": [jane_gauzy] })).await;
    let approved = put(&team.max, "approve", json!({ "ids": [jane_gauzy] })).await;
    assert_eq!(approved[0]["status"], "APPROVED");
    let jid = int(&jane_sheet["id"]);
    assert_eq!(
        details(&team.jane, jid).await["timesheet"]["status"],
        "Approved"
    );
    let (status, body) = act(&team.jane, jid, "submit").await;
    assert_eq!(status, 409, "{body}");
    let (status, body) = add(
        &team.jane,
        jid,
        entry_body(&day(&jane_sheet, 1), "09:00", "10:00"),
    )
    .await;
    assert_eq!(status, 400, "locked: {body}");
});

both!(idle_time_is_listed_but_not_counted, |backend| async move {
    let server = Server::start(backend).await;
    server.user(LENA, &["--role", "manager"]).await;
    server.user(OMAR, &["--supervisor", LENA]).await;
    let (omar, lena) = tokio::join!(server.login(OMAR, PASSWORD), server.login(LENA, PASSWORD));

    // Week of Sunday 2026-04-05, Omar in UTC: an hour tracked, twelve idle
    // minutes, then resumed for half an hour.
    gauzy_log(
        &omar,
        "2026-04-06T09:00:00.000Z",
        "2026-04-06T10:00:00.000Z",
        json!({ "logType": "TRACKED" }),
    )
    .await;
    let idle = gauzy_log(
        &omar,
        "2026-04-06T10:00:00.000Z",
        "2026-04-06T10:12:00.000Z",
        json!({ "logType": "IDLE" }),
    )
    .await;
    gauzy_log(
        &omar,
        "2026-04-06T10:12:00.000Z",
        "2026-04-06T10:42:00.000Z",
        json!({ "logType": "RESUMED" }),
    )
    .await;

    let logs = gauzy_logs(&omar).await;
    assert_eq!(logs.len(), 3);
    assert!(
        logs.iter()
            .any(|l| l["logType"] == "IDLE" && l["duration"] == 720)
    );

    let (ice, gauzy) = both_views(&omar, "2026-04-05").await;
    assert_eq!(gauzy["duration"], 90 * 60, "IDLE not counted: {gauzy}");
    assert_eq!(minutes(&ice), 90);
    let d = details(&omar, int(&ice["id"])).await;
    let entries = d["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 2, "IDLE is no entry: {d}");
    assert!(entries.iter().all(|e| e["id"] != idle["id"]));
    assert!(
        entries
            .iter()
            .all(|e| e["date_start"] != "2026-04-06 10:00:00"),
        "{d}"
    );
    let report = &page(&lena, "/timesheets/direct-reports").await["data"][0];
    assert_eq!(report["total_minutes"], 90);

    // An IceHrm entry cannot be put on top of the idle stretch either.
    let (status, body) = add(
        &omar,
        int(&ice["id"]),
        entry_body("2026-04-06", "10:05", "10:10"),
    )
    .await;
    assert_eq!(status, 409, "{body}");

    // Kept: the idle stretch becomes TRACKED and counts in both.
    let (status, kept) = omar
        .put(
            &format!("/api/timesheet/time-log/{}", idle["id"].as_str().unwrap()),
            json!({ "logType": "TRACKED" }),
        )
        .await;
    assert_eq!(status, 200, "{kept}");
    let (ice, gauzy) = both_views(&omar, "2026-04-05").await;
    assert_eq!(gauzy["duration"], 102 * 60);
    assert_eq!(minutes(&ice), 102);
    assert_eq!(entries_of(&omar, &ice).await, 3);
});

async fn entries_of(api: &Session, sheet: &Value) -> usize {
    entries(api, int(&sheet["id"])).await.len()
}

both!(totals_agree_across_many_weeks, |backend| async move {
    let server = Server::start(backend).await;
    server.user(LENA, &["--role", "manager"]).await;
    server
        .user(
            OMAR,
            &["--supervisor", LENA, "--timezone", "America/New_York"],
        )
        .await;
    let (omar, lena) = tokio::join!(server.login(OMAR, PASSWORD), server.login(LENA, PASSWORD));

    // Three weeks around the spring change, written through both dialects.
    gauzy_log(
        &omar,
        "2026-03-02T14:00:00.000Z",
        "2026-03-02T16:20:00.000Z",
        json!({}),
    )
    .await;
    gauzy_log(
        &omar,
        "2026-03-08T06:00:00.000Z",
        "2026-03-08T08:00:00.000Z",
        json!({}),
    )
    .await;
    gauzy_log(
        &omar,
        "2026-03-21T03:00:00.000Z",
        "2026-03-22T05:00:00.000Z",
        json!({}),
    )
    .await;
    let march8 = sheet_starting(&omar, "2026-03-08").await;
    add_ok(
        &omar,
        int(&march8["id"]),
        "2026-03-10",
        "09:10:00",
        "18:05:00",
    )
    .await;
    let march1 = sheet_starting(&omar, "2026-03-01").await;
    add_ok(
        &omar,
        int(&march1["id"]),
        "2026-03-07",
        "22:00:00",
        "23:59:00",
    )
    .await;

    let (status, gauzy) = lena
        .get(&format!("/api/timesheet?employeeId={}", omar.employee_id()))
        .await;
    assert_eq!(status, 200, "{gauzy}");
    let gauzy = gauzy["items"].as_array().unwrap().clone();
    let reports = page(&lena, "/timesheets/direct-reports").await;
    let mine = page(&omar, "/timesheets").await;
    assert_eq!(gauzy.len(), 4, "{gauzy:?}");
    assert_eq!(reports["total"], 4);
    assert_eq!(mine["total"], 4);
    for g in &gauzy {
        let start = g["startDate"].as_str().unwrap();
        let seconds = int(&g["duration"]);
        for list in [&reports, &mine] {
            let row = list["data"]
                .as_array()
                .unwrap()
                .iter()
                .find(|r| r["date_start"] == start)
                .unwrap_or_else(|| panic!("{start} missing from {list}"));
            assert_eq!(minutes(row), seconds / 60, "{start}: {row} vs {g}");
        }
        let d = details(&omar, int(&sheet_starting(&omar, start).await["id"])).await;
        assert_eq!(int(&d["timesheet"]["total_minutes"]), seconds / 60);
    }
    let total: i64 = gauzy.iter().map(|g| int(&g["duration"])).sum();
    // 140 + 120 + 535 + 119 minutes, and the 26-hour log split over two weeks.
    assert_eq!(total, (140 + 120 + 535 + 119 + 26 * 60) * 60);
});

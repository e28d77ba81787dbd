//! IceHrm timesheets (`/timesheets...`) against the real `stint serve`, on
//! SQLite and PostgreSQL: creating weeks, listing and paging them, and
//! reading one with its entries.

#[macro_use]
mod util;
#[path = "util/icehrm.rs"]
mod icehrm;

use icehrm::*;
use serde_json::Value;
use util::*;

both!(
    an_employee_creates_this_weeks_timesheet_once,
    |backend| async move {
        let server = Server::start(backend).await;
        server.user(OMAR, &[]).await;
        let omar = server.login(OMAR, PASSWORD).await;

        let (status, sheet, created) = create_current(&omar).await;
        assert_eq!(status, 201, "{sheet}");
        assert!(created);
        assert_week(&sheet);
        assert_eq!(sheet["status"], "Pending");
        assert_eq!(sheet["total_time"], "00:00");
        assert_eq!(sheet["total_minutes"], 0);
        assert!(
            sheet["id"].is_i64() && sheet["employee"].is_i64(),
            "{sheet}"
        );
        // Omar works in UTC: today lies in the week.
        let today = chrono::Utc::now().date_naive().to_string();
        assert!(
            day(&sheet, 0) <= today && today <= day(&sheet, 6),
            "{sheet}"
        );

        let (status, again, created) = create_current(&omar).await;
        assert_eq!(status, 200, "{again}");
        assert!(!created);
        assert_eq!(again["id"], sheet["id"]);
        assert_week(&again);
    }
);

both!(
    previous_and_next_weeks_hang_off_any_timesheet,
    |backend| async move {
        let server = Server::start(backend).await;
        server.user(OMAR, &[]).await;
        let omar = server.login(OMAR, PASSWORD).await;
        let this = current(&omar).await;
        let this_id = int(&this["id"]);

        let (status, prev, created) = beside(&omar, this_id, "create-previous").await;
        assert_eq!((status.as_u16(), created), (201, true), "{prev}");
        assert_week(&prev);
        assert_eq!(prev["date_start"], day(&this, -7));
        assert_eq!(prev["status"], "Pending");
        assert_ne!(prev["id"], this["id"]);

        let (status, again, created) = beside(&omar, this_id, "create-previous").await;
        assert_eq!((status.as_u16(), created), (200, false), "{again}");
        assert_eq!(again["id"], prev["id"]);

        // The week after last week is this week, which already exists.
        let (status, back, created) = beside(&omar, int(&prev["id"]), "create-next").await;
        assert_eq!((status.as_u16(), created), (200, false), "{back}");
        assert_eq!(back["id"], this["id"]);

        let (status, next, created) = beside(&omar, this_id, "create-next").await;
        assert_eq!((status.as_u16(), created), (201, true), "{next}");
        assert_week(&next);
        assert_eq!(next["date_start"], day(&this, 7));

        let mine = page(&omar, "/timesheets").await;
        assert_eq!(mine["total"], 3, "{mine}");

        for bad in [
            "/timesheets/999999/create-previous",
            "/timesheets/999999/create-next",
        ] {
            let (status, body) = omar.post(bad, json!({})).await;
            assert_eq!(status, 404, "{bad}: {body}");
        }
        let (status, body) = omar.post("/timesheets/abc/create-next", json!({})).await;
        assert_eq!(status, 400, "{body}");
    }
);

both!(my_timesheets_page_and_filter, |backend| async move {
    let server = Server::start(backend).await;
    server.user(OMAR, &[]).await;
    server.user(JANE, &[]).await;
    let (omar, jane) = tokio::join!(server.login(OMAR, PASSWORD), server.login(JANE, PASSWORD));
    // 51 weeks: this one and the fifty before it.
    let mut sheet = current(&omar).await;
    for _ in 0..50 {
        sheet = beside(&omar, int(&sheet["id"]), "create-previous").await.1;
    }
    current(&jane).await;

    let first = page(&omar, "/timesheets").await;
    assert_eq!(
        first["data"].as_array().unwrap().len(),
        50,
        "default limit is 50"
    );
    assert_eq!(
        (first["total"].as_i64(), first["page"].as_i64()),
        (Some(51), Some(1))
    );
    assert_eq!(first["nextPage"], 2);
    let second = page(&omar, "/timesheets?page=2").await;
    assert_eq!(row_ids(&second).len(), 1);
    assert_eq!(second["nextPage"], Value::Null);
    assert_eq!(second["data"][0]["id"], sheet["id"], "oldest last");

    // Newest first, every week once across the pages.
    let mut seen = Vec::new();
    let mut next = Some(1);
    while let Some(n) = next {
        let p = page(&omar, &format!("/timesheets?limit=20&page={n}")).await;
        assert_eq!(
            (p["total"].as_i64(), p["page"].as_i64()),
            (Some(51), Some(n))
        );
        seen.extend(p["data"].as_array().unwrap().iter().cloned());
        next = p["nextPage"].as_i64();
        assert!(next.is_none() || next == Some(n + 1), "{p}");
    }
    assert_eq!(seen.len(), 51);
    for pair in seen.windows(2) {
        assert_eq!(
            pair[1]["date_start"],
            plus_days(pair[0]["date_start"].as_str().unwrap(), -7)
        );
    }
    for row in &seen {
        assert_week(row);
        assert_eq!(row["employee"], seen[0]["employee"], "only Omar's: {row}");
        assert_eq!(row["total_time"], "00:00");
    }
    let beyond = page(&omar, "/timesheets?limit=20&page=4").await;
    assert!(row_ids(&beyond).is_empty());
    assert_eq!(
        (beyond["total"].as_i64(), beyond["nextPage"].clone()),
        (Some(51), Value::Null)
    );

    // Status filter: submit two weeks.
    for s in &seen[..2] {
        assert_eq!(act_ok(&omar, int(&s["id"]), "submit").await, "Submitted");
    }
    let submitted = page(&omar, "/timesheets?status=Submitted").await;
    assert_eq!(submitted["total"], 2, "{submitted}");
    assert_eq!(
        row_ids(&submitted),
        vec![int(&seen[0]["id"]), int(&seen[1]["id"])]
    );
    let pending = page(&omar, "/timesheets?status=Pending&limit=5").await;
    assert_eq!(
        (pending["total"].as_i64(), pending["nextPage"].as_i64()),
        (Some(49), Some(2))
    );
    assert!(
        pending["data"]
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["status"] == "Pending")
    );
    for none in ["Approved", "Rejected"] {
        let p = page(&omar, &format!("/timesheets?status={none}")).await;
        assert_eq!(p["total"], 0, "{p}");
    }

    // Jane sees only her own.
    assert_eq!(page(&jane, "/timesheets").await["total"], 1);

    for bad in [
        "/timesheets?status=Draft",
        "/timesheets?limit=0",
        "/timesheets?limit=abc",
        "/timesheets?page=0",
        "/timesheets?page=-1",
    ] {
        let (status, body) = omar.get(bad).await;
        assert_eq!(status, 400, "{bad}: {body}");
        assert!(
            body["message"].as_str().is_some_and(|m| !m.is_empty()),
            "{body}"
        );
    }
});

both!(
    details_show_entries_days_and_employee,
    |backend| async move {
        let server = Server::start(backend).await;
        server.user(OMAR, &[]).await;
        server.project("Mobile App Development", &[]).await;
        let omar = server.login(OMAR, PASSWORD).await;
        let sheet = current(&omar).await;
        let id = int(&sheet["id"]);
        let project = project_id(&omar, "Mobile App Development").await;

        let mut body = entry_body(&day(&sheet, 1), "09:00:00", "17:30:00");
        body["project"] = json!(project);
        body["details"] = json!("Implemented timesheet API");
        let (status, first) = add(&omar, id, body).await;
        assert_eq!(status, 201, "{first}");
        add_ok(&omar, id, &day(&sheet, 2), "08:00", "16:00").await;

        let d = details(&omar, id).await;
        let t = &d["timesheet"];
        assert_eq!(t["id"], id);
        assert_eq!(t["date_start"], sheet["date_start"]);
        assert_eq!(t["status"], "Pending");
        assert_week(t);
        assert_eq!(minutes(t), 510 + 480);
        assert_eq!(t["total_time"], "16:30");
        assert_eq!(d["employee"]["id"], sheet["employee"]);
        assert_eq!(d["employee"]["name"], "Omar Acme");

        let entries = d["entries"].as_array().unwrap();
        assert_eq!(entries.len(), 2, "{d}");
        let e = entries
            .iter()
            .find(|e| e["id"] == first["id"])
            .expect("the first entry");
        assert_eq!(e["timesheet"], id);
        assert_eq!(
            e["project"],
            json!({ "type": "Project", "id": project, "display": "Mobile App Development" })
        );
        assert_eq!(e["date_start"], format!("{} 09:00:00", day(&sheet, 1)));
        assert_eq!(e["date_end"], format!("{} 17:30:00", day(&sheet, 1)));
        assert_eq!(e["details"], "Implemented timesheet API");
        assert_eq!(e["duration_minutes"], 510);
        assert_eq!(e["duration_hours"], 8.5);
        let other = entries.iter().find(|e| e["id"] != first["id"]).unwrap();
        assert_eq!(other["project"], Value::Null);
        assert_eq!(other["duration_minutes"], 480);
        assert_eq!(other["date_start"], format!("{} 08:00:00", day(&sheet, 2)));

        // The list row carries the same totals.
        let row = &page(&omar, "/timesheets").await["data"][0];
        assert_eq!(
            (row["total_time"].clone(), row["total_minutes"].clone()),
            (json!("16:30"), json!(990))
        );

        // Hours beyond a day keep counting: 16:30 + 3 × 10 h.
        for n in 3..6 {
            add_ok(&omar, id, &day(&sheet, n), "07:00:00", "17:00:00").await;
        }
        assert_eq!(details(&omar, id).await["timesheet"]["total_time"], "46:30");

        for bad in ["/timesheets/999999", "/timesheets/abc"] {
            let (status, body) = omar.get(bad).await;
            assert!(status == 404 || status == 400, "{bad}: {status} {body}");
        }
        assert_eq!(omar.get("/timesheets/999999").await.0, 404);
        let (status, _) = server.anon().get(&format!("/timesheets/{id}")).await;
        assert_eq!(status, 401);
    }
);

both!(actions_need_no_body_but_a_token, |backend| async move {
    let server = Server::start(backend).await;
    server.user(ADA, &["--role", "admin"]).await;
    let ada = server.login(ADA, PASSWORD).await;
    let bare = |path: &str| ada.request(reqwest::Method::POST, path);

    // IceHrm clients POST actions with no body and no content type.
    let (status, body) = ada.send(bare("/timesheets/create-current")).await;
    assert_eq!(status, 201, "{body}");
    let id = int(&body["timesheet"]["id"]);
    let (status, body) = ada
        .send(bare(&format!("/timesheets/{id}/create-next")))
        .await;
    assert_eq!(status, 201, "{body}");
    let e = add_ok(&ada, id, &day(&body["timesheet"], -6), "09:00", "10:00").await;
    let (status, body) = ada
        .send(bare(&format!("/timesheets/entries/{}/delete", e["id"])))
        .await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = ada.send(bare(&format!("/timesheets/{id}/submit"))).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["timesheet"]["status"], "Approved");

    // Without a token every endpoint is 401.
    let anon = server.anon();
    for path in [
        "/timesheets",
        "/timesheets/direct-reports",
        "/timesheets/direct-reports/pending",
        "/timesheets/projects",
        &format!("/timesheets/{id}"),
    ] {
        assert_eq!(anon.get(path).await.0, 401, "GET {path}");
    }
    for path in [
        "/timesheets/create-current".to_string(),
        format!("/timesheets/{id}/create-previous"),
        format!("/timesheets/{id}/create-next"),
        format!("/timesheets/{id}/submit"),
        format!("/timesheets/{id}/approve"),
        format!("/timesheets/{id}/reject"),
        format!("/timesheets/{id}/entries"),
        format!("/timesheets/entries/{}/update", e["id"]),
        format!("/timesheets/entries/{}/delete", e["id"]),
    ] {
        let (status, body) = anon.post(&path, json!({})).await;
        assert_eq!(status, 401, "POST {path}: {body}");
    }
});

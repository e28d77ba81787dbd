//! IceHrm approval: submit, approve, reject, resubmit; who may do which;
//! supervisors' direct-reports views; and another organization's
//! timesheets and entries, which do not exist for anyone else (404).

#[macro_use]
mod util;
#[path = "util/icehrm.rs"]
mod icehrm;

use icehrm::*;
use serde_json::Value;
use util::*;

/// The caller's current week with one 8-hour Monday entry: (sheet id,
/// entry id, the sheet).
async fn a_week_of_work(api: &Api) -> (i64, i64, Value) {
    let sheet = current(api).await;
    let id = int(&sheet["id"]);
    let e = add_ok(api, id, &day(&sheet, 1), "09:00:00", "17:00:00").await;
    (id, int(&e["id"]), sheet)
}

both!(omar_submits_and_lena_approves, |backend| async move {
    let server = Server::start(backend).await;
    let team = server.team().await;
    let (omar, lena) = (&team.omar, &team.lena);
    let (id, entry, sheet) = a_week_of_work(omar).await;

    let (status, body) = act(omar, id, "submit").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body,
        json!({ "message": "Timesheet Submitted",
                "timesheet": { "id": id, "status": "Submitted", "total_time": "08:00" } })
    );
    let (status, body) = act(omar, id, "submit").await;
    assert_eq!(status, 409, "already submitted: {body}");

    // Submitted stays editable by its owner.
    add_ok(omar, id, &day(&sheet, 2), "09:00:00", "10:00:00").await;
    let (status, body) = update(omar, entry, json!({ "details": "reviewed" })).await;
    assert_eq!(status, 200, "{body}");

    let pending = page(lena, "/timesheets/direct-reports/pending").await;
    assert_eq!(row_ids(&pending), vec![id], "{pending}");
    assert_eq!(pending["data"][0]["employee_name"], "Omar Acme");
    assert_eq!(pending["data"][0]["status"], "Submitted");
    assert_eq!(pending["data"][0]["total_time"], "09:00");

    // Only Omar's supervisor (or an admin) decides.
    for (who, name) in [(&team.max, "max"), (&team.jane, "jane"), (omar, "omar")] {
        for action in ["approve", "reject"] {
            let (status, body) = act(who, id, action).await;
            assert_eq!(status, 403, "{name} {action}: {body}");
        }
    }
    assert_eq!(details(omar, id).await["timesheet"]["status"], "Submitted");

    let (status, body) = act(lena, id, "approve").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body,
        json!({ "message": "Timesheet Approved",
                "timesheet": { "id": id, "status": "Approved", "total_time": "09:00" } })
    );
    for (who, action) in [(lena, "approve"), (lena, "reject"), (omar, "submit")] {
        let (status, body) = act(who, id, action).await;
        assert_eq!(status, 409, "{action} an approved one: {body}");
    }
    assert!(row_ids(&page(lena, "/timesheets/direct-reports/pending").await).is_empty());

    // Approved is locked: every change to its entries is 400 and says why.
    let tries = [
        add(omar, id, entry_body(&day(&sheet, 3), "09:00", "10:00")).await,
        update(omar, entry, json!({ "details": "too late" })).await,
        delete(omar, entry).await,
        update(&team.ada, entry, json!({ "end_time": "18:00:00" })).await,
    ];
    for (status, body) in tries {
        assert_eq!(status, 400, "{body}");
        assert!(
            body["message"].as_str().unwrap().contains("approved"),
            "{body}"
        );
    }
    let d = details(omar, id).await;
    assert_eq!(d["timesheet"]["status"], "Approved");
    assert_eq!(minutes(&d["timesheet"]), 9 * 60);
    assert_eq!(d["entries"].as_array().unwrap().len(), 2);
});

both!(
    rejected_is_corrected_and_resubmitted,
    |backend| async move {
        let server = Server::start(backend).await;
        let team = server.team().await;
        let (omar, lena) = (&team.omar, &team.lena);
        let (id, entry, sheet) = a_week_of_work(omar).await;

        // Nothing to decide on a draft yet.
        for action in ["approve", "reject"] {
            let (status, body) = act(lena, id, action).await;
            assert_eq!(status, 409, "{action} a draft: {body}");
        }
        assert_eq!(act_ok(omar, id, "submit").await, "Submitted");
        let (status, body) = act(lena, id, "reject").await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["message"], "Timesheet Rejected");
        assert_eq!(body["timesheet"]["status"], "Rejected");

        let rejected = page(omar, "/timesheets?status=Rejected").await;
        assert_eq!(row_ids(&rejected), vec![id]);
        for action in ["approve", "reject"] {
            assert_eq!(
                act(lena, id, action).await.0,
                409,
                "{action} a rejected one"
            );
        }

        // Omar corrects the week and sends it again.
        let (status, body) = update(omar, entry, json!({ "end_time": "17:30:00" })).await;
        assert_eq!(status, 200, "{body}");
        add_ok(omar, id, &day(&sheet, 2), "09:00:00", "17:00:00").await;
        assert_eq!(act_ok(omar, id, "submit").await, "Submitted");
        let submitted = page(lena, "/timesheets/direct-reports?status=Submitted").await;
        assert_eq!(row_ids(&submitted), vec![id]);
        assert_eq!(submitted["data"][0]["total_time"], "16:30");
        assert_eq!(act_ok(lena, id, "approve").await, "Approved");
        assert_eq!(page(omar, "/timesheets?status=Approved").await["total"], 1);
    }
);

both!(
    an_admin_without_a_supervisor_is_auto_approved,
    |backend| async move {
        let server = Server::start(backend).await;
        let team = server.team().await;
        let ada = &team.ada;
        let (id, _, _) = a_week_of_work(ada).await;
        let (status, body) = act(ada, id, "submit").await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["message"], "Timesheet Approved");
        assert_eq!(body["timesheet"]["status"], "Approved");
        assert_eq!(body["timesheet"]["total_time"], "08:00");
        assert_eq!(details(ada, id).await["timesheet"]["status"], "Approved");

        // An admin who has a supervisor waits like everyone else.
        server
            .user("ann@acme.test", &["--role", "admin", "--supervisor", ADA])
            .await;
        let ann = server.login("ann@acme.test", PASSWORD).await;
        let (id, _, _) = a_week_of_work(&ann).await;
        assert_eq!(act_ok(&ann, id, "submit").await, "Submitted");
        assert_eq!(act_ok(ada, id, "approve").await, "Approved");

        // An admin decides for anyone in the organization.
        let (id, _, _) = a_week_of_work(&team.jane).await;
        assert_eq!(act_ok(&team.jane, id, "submit").await, "Submitted");
        assert_eq!(act_ok(ada, id, "reject").await, "Rejected");
        // And may submit for them.
        assert_eq!(act_ok(ada, id, "submit").await, "Submitted");
        // An employee may not submit a colleague's.
        assert_eq!(act(&team.omar, id, "submit").await.0, 403);
    }
);

both!(
    direct_reports_are_the_supervisors_team,
    |backend| async move {
        let server = Server::start(backend).await;
        let team = server.team().await;
        server.user("olga@acme.test", &["--supervisor", LENA]).await;
        let olga = server.login("olga@acme.test", PASSWORD).await;
        let (lena, max, ada) = (&team.lena, &team.max, &team.ada);

        let omar_now = current(&team.omar).await;
        let omar_before = beside(&team.omar, int(&omar_now["id"]), "create-previous")
            .await
            .1;
        let (olga_now, _, _) = a_week_of_work(&olga).await;
        let jane_now = current(&team.jane).await;
        current(lena).await;
        current(ada).await;
        current(&team.gina).await;

        let all = page(lena, "/timesheets/direct-reports").await;
        assert_eq!(all["total"], 3, "{all}");
        let mut names: Vec<&str> = all["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["employee_name"].as_str().unwrap())
            .collect();
        names.sort();
        assert_eq!(names, ["Olga Acme", "Omar Acme", "Omar Acme"]);
        for row in all["data"].as_array().unwrap() {
            assert_week(row);
            assert!(
                row["employee"].is_i64() && row["total_time"].is_string(),
                "{row}"
            );
        }

        let first = page(lena, "/timesheets/direct-reports?limit=2").await;
        assert_eq!(
            (row_ids(&first).len(), first["nextPage"].as_i64()),
            (2, Some(2))
        );
        let second = page(lena, "/timesheets/direct-reports?limit=2&page=2").await;
        assert_eq!(
            (row_ids(&second).len(), second["nextPage"].clone()),
            (1, Value::Null)
        );
        assert_eq!(second["total"], 3);

        let omars = page(lena, "/timesheets/direct-reports?employee_name=omar").await;
        let mut want = vec![int(&omar_now["id"]), int(&omar_before["id"])];
        want.sort_unstable_by(|a, b| b.cmp(a));
        let mut got = row_ids(&omars);
        got.sort_unstable_by(|a, b| b.cmp(a));
        assert_eq!(got, want, "{omars}");
        let olgas = page(lena, "/timesheets/direct-reports?employee_name=OLG").await;
        assert_eq!(row_ids(&olgas), vec![olga_now]);
        let nobody = page(lena, "/timesheets/direct-reports?employee_name=jane").await;
        assert_eq!(nobody["total"], 0, "Jane is Max's: {nobody}");

        assert_eq!(act_ok(&olga, olga_now, "submit").await, "Submitted");
        let submitted = page(lena, "/timesheets/direct-reports?status=Submitted").await;
        assert_eq!(row_ids(&submitted), vec![olga_now]);
        assert_eq!(submitted["data"][0]["total_time"], "08:00");
        let drafts = page(lena, "/timesheets/direct-reports?status=Pending&limit=1").await;
        assert_eq!(
            (drafts["total"].as_i64(), drafts["nextPage"].as_i64()),
            (Some(2), Some(2))
        );
        let pending = page(lena, "/timesheets/direct-reports/pending").await;
        assert_eq!(row_ids(&pending), vec![olga_now]);
        assert_eq!(pending["data"][0]["employee_name"], "Olga Acme");

        // Max sees Jane's only; an employee has no reports.
        assert_eq!(
            row_ids(&page(max, "/timesheets/direct-reports").await),
            vec![int(&jane_now["id"])]
        );
        assert_eq!(
            page(max, "/timesheets/direct-reports/pending").await["total"],
            0
        );
        let none = page(&team.omar, "/timesheets/direct-reports").await;
        assert_eq!(
            (none["total"].as_i64(), none["nextPage"].clone()),
            (Some(0), Value::Null)
        );

        // An admin reviews the whole organization except themself.
        let everyone = page(ada, "/timesheets/direct-reports").await;
        assert_eq!(everyone["total"], 5, "{everyone}");
        let janes = page(ada, "/timesheets/direct-reports?employee_name=Jane").await;
        assert_eq!(row_ids(&janes), vec![int(&jane_now["id"])]);
        assert_eq!(
            page(ada, "/timesheets/direct-reports/pending").await["total"],
            1
        );
        // Another organization's admin sees none of it.
        let globex = page(&team.gus, "/timesheets/direct-reports").await;
        assert_eq!(globex["total"], 1, "Gina's only: {globex}");
        assert_eq!(globex["data"][0]["employee_name"], "Gina Globex");

        for bad in ["status=Draft", "limit=0", "page=0", "limit=x"] {
            let (status, body) = lena.get(&format!("/timesheets/direct-reports?{bad}")).await;
            assert_eq!(status, 400, "{bad}: {body}");
        }
    }
);

both!(
    another_organizations_sheets_do_not_exist,
    |backend| async move {
        let server = Server::start(backend).await;
        server.ok(&["org", "add", "--name", "Other"]).await;
        server.user(ADA, &["--role", "admin"]).await;
        server.user(LENA, &["--role", "manager"]).await;
        server.user(OMAR, &["--supervisor", LENA]).await;
        server
            .user("oz@other.test", &["--role", "admin", "--org", "Other"])
            .await;
        server
            .user(
                "otto@other.test",
                &["--org", "Other", "--supervisor", "oz@other.test"],
            )
            .await;
        let ada = server.login(ADA, PASSWORD).await;
        let lena = server.login(LENA, PASSWORD).await;
        let omar = server.login(OMAR, PASSWORD).await;
        let otto = server.login("otto@other.test", PASSWORD).await;
        let (id, entry, sheet) = a_week_of_work(&otto).await;
        assert_eq!(act_ok(&otto, id, "submit").await, "Submitted");

        let monday = day(&sheet, 1);
        for who in [&ada, &lena, &omar] {
            let tries = [
                who.get(&format!("/timesheets/{id}")).await,
                who.post(&format!("/timesheets/{id}/create-previous"), json!({}))
                    .await,
                who.post(&format!("/timesheets/{id}/create-next"), json!({}))
                    .await,
                act(who, id, "submit").await,
                act(who, id, "approve").await,
                act(who, id, "reject").await,
                add(who, id, entry_body(&monday, "18:00", "19:00")).await,
                update(who, entry, json!({ "details": "mine now" })).await,
                delete(who, entry).await,
            ];
            for (i, (status, body)) in tries.into_iter().enumerate() {
                assert_eq!(status, 404, "try {i}: {body}");
                assert!(!body.to_string().contains("Otto"), "nothing leaks: {body}");
            }
            assert_eq!(page(who, "/timesheets/direct-reports").await["total"], 0);
            assert_eq!(
                page(who, "/timesheets/direct-reports/pending").await["total"],
                0
            );
            assert_eq!(page(who, "/timesheets").await["total"], 0);
        }

        // Nothing changed for Otto.
        let d = details(&otto, id).await;
        assert_eq!(d["timesheet"]["status"], "Submitted");
        assert_eq!(d["entries"].as_array().unwrap().len(), 1);
        assert_eq!(d["entries"][0]["details"], "");
        assert_eq!(minutes(&d["timesheet"]), 480);
        assert_eq!(page(&otto, "/timesheets").await["total"], 1);

        // Inside one organization a colleague's week is forbidden, not hidden.
        let (mine, mine_entry, _) = a_week_of_work(&omar).await;
        server.user(JANE, &[]).await;
        let jane = server.login(JANE, PASSWORD).await;
        assert_eq!(jane.get(&format!("/timesheets/{mine}")).await.0, 403);
        assert_eq!(
            update(&jane, mine_entry, json!({ "details": "x" })).await.0,
            403
        );
        assert_eq!(details(&lena, mine).await["employee"]["name"], "Omar Acme");
    }
);

both!(
    a_log_reaching_into_an_approved_week_is_locked,
    |backend| async move {
        let server = Server::start(backend).await;
        let team = server.team().await;
        let (omar, lena) = (&team.omar, &team.lena);
        // Saturday 23:00 to Sunday 01:00 (UTC): an hour in each week.
        gauzy_log(
            omar,
            "2026-04-11T23:00:00.000Z",
            "2026-04-12T01:00:00.000Z",
            json!({}),
        )
        .await;
        let before = sheet_starting(omar, "2026-04-05").await;
        let after = sheet_starting(omar, "2026-04-12").await;
        assert_eq!((minutes(&before), minutes(&after)), (60, 60));
        assert_eq!(act_ok(omar, int(&after["id"]), "submit").await, "Submitted");
        assert_eq!(act_ok(lena, int(&after["id"]), "approve").await, "Approved");

        // The week it starts in is still Pending, but the log is partly
        // approved time: IceHrm refuses to change it, as for any approved entry.
        let e = entries(omar, int(&before["id"])).await.remove(0);
        for (status, body) in [
            update(omar, int(&e["id"]), json!({ "details": "moved" })).await,
            update(omar, int(&e["id"]), json!({ "start_time": "22:00:00" })).await,
            delete(omar, int(&e["id"])).await,
        ] {
            assert_eq!(status, 400, "{body}");
            assert!(
                body["message"].as_str().unwrap().contains("approved"),
                "{body}"
            );
        }
        // The rest of the open week stays editable.
        add_ok(omar, int(&before["id"]), "2026-04-11", "09:00", "10:00").await;
        assert_eq!(minutes(&sheet_starting(omar, "2026-04-05").await), 120);
    }
);

//! Week arithmetic of IceHrm timesheets: weeks run Sunday to Saturday in the
//! employee's own time zone, entry times are local, and a week with a
//! daylight-saving change totals real time.

#[macro_use]
mod util;
#[path = "util/icehrm.rs"]
mod icehrm;

use chrono::{Duration, Utc};
use icehrm::*;
use util::*;

/// The log Gauzy lists with this start instant.
async fn gauzy_log_at(api: &Api, started_at: &str) -> serde_json::Value {
    gauzy_logs(api)
        .await
        .into_iter()
        .find(|l| l["startedAt"] == started_at)
        .unwrap_or_else(|| panic!("no Gauzy log from {started_at}"))
}

both!(this_week_is_the_employees_own_week, |backend| async move {
    let server = Server::start(backend).await;
    server
        .user("kiri@acme.test", &["--timezone", "Pacific/Auckland"])
        .await;
    server
        .user("lou@acme.test", &["--timezone", "America/Los_Angeles"])
        .await;
    let (kiri, lou) = tokio::join!(
        server.login("kiri@acme.test", PASSWORD),
        server.login("lou@acme.test", PASSWORD)
    );

    // Whatever the season, Auckland is 12 or 13 hours ahead of UTC and Los
    // Angeles 7 or 8 hours behind: "today" in each zone lies in its week.
    let nz = current(&kiri).await;
    let la = current(&lou).await;
    for (sheet, offsets) in [(&nz, [12, 13]), (&la, [-7, -8])] {
        assert_week(sheet);
        for h in offsets {
            let today = (Utc::now() + Duration::hours(h)).date_naive().to_string();
            assert!(
                day(sheet, 0) <= today && today <= day(sheet, 6),
                "{h}: {sheet}"
            );
        }
    }

    // A Sunday-morning entry in Auckland starts on Saturday in UTC.
    let e = add_ok(&kiri, int(&nz["id"]), &day(&nz, 0), "09:00:00", "10:00:00").await;
    assert_eq!(e["date_start"], format!("{} 09:00:00", day(&nz, 0)));
    let log = gauzy_logs(&kiri).await.remove(0);
    assert_eq!(
        log["startedAt"].as_str().unwrap()[..10],
        day(&nz, -1),
        "{log}"
    );

    // A Saturday-evening one in Los Angeles ends on Sunday in UTC.
    let e = add_ok(&lou, int(&la["id"]), &day(&la, 6), "20:00:00", "23:00:00").await;
    assert_eq!(e["date_end"], format!("{} 23:00:00", day(&la, 6)));
    let log = gauzy_logs(&lou).await.remove(0);
    assert_eq!(
        log["stoppedAt"].as_str().unwrap()[..10],
        day(&la, 7),
        "{log}"
    );
});

both!(
    one_instant_falls_in_different_weeks_by_zone,
    |backend| async move {
        let server = Server::start(backend).await;
        server
            .user("kiri@acme.test", &["--timezone", "Pacific/Auckland"])
            .await;
        server
            .user("lou@acme.test", &["--timezone", "America/Los_Angeles"])
            .await;
        server.user(OMAR, &[]).await;
        let (kiri, lou, omar) = tokio::join!(
            server.login("kiri@acme.test", PASSWORD),
            server.login("lou@acme.test", PASSWORD),
            server.login(OMAR, PASSWORD)
        );

        // Saturday 2026-03-14 20:00 UTC is Sunday 09:00 in Auckland (NZDT,
        // +13): a new week there, the old one in UTC.
        gauzy_log(
            &kiri,
            "2026-03-14T20:00:00.000Z",
            "2026-03-14T22:30:00.000Z",
            json!({}),
        )
        .await;
        gauzy_log(
            &omar,
            "2026-03-14T20:00:00.000Z",
            "2026-03-14T22:30:00.000Z",
            json!({}),
        )
        .await;
        let nz = sheet_starting(&kiri, "2026-03-15").await;
        assert_week(&nz);
        assert_eq!(minutes(&nz), 150);
        let utc = sheet_starting(&omar, "2026-03-08").await;
        assert_eq!(minutes(&utc), 150);

        let d = details(&kiri, int(&nz["id"])).await;
        let e = &d["entries"][0];
        assert_eq!(e["date_start"], "2026-03-15 09:00:00", "{d}");
        assert_eq!(e["date_end"], "2026-03-15 11:30:00");
        assert_eq!(e["duration_minutes"], 150);
        assert_eq!(d["timesheet"]["days"][0]["display"], "(Sun) 15 Mar");

        // Kiri's Monday 09:00 is Sunday 20:00 UTC for Gauzy.
        add_ok(&kiri, int(&nz["id"]), "2026-03-16", "09:00:00", "17:00:00").await;
        let log = gauzy_log_at(&kiri, "2026-03-15T20:00:00.000Z").await;
        assert_eq!(log["stoppedAt"], "2026-03-16T04:00:00.000Z");
        assert_eq!(log["logType"], "MANUAL");
        let gz = gauzy_sheet(&kiri, &kiri.employee_id(), "2026-03-15").await;
        assert_eq!(
            gz["startedAt"], "2026-03-14T11:00:00.000Z",
            "Auckland midnight: {gz}"
        );
        assert_eq!(log["timesheetId"], gz["id"]);
        assert_eq!(gz["duration"], (150 + 480) * 60);

        // Sunday 2026-03-15 05:00 UTC is still Saturday 22:00 in Los Angeles
        // (PDT, -7): the week that began on 2026-03-08 there.
        gauzy_log(
            &lou,
            "2026-03-15T05:00:00.000Z",
            "2026-03-15T06:00:00.000Z",
            json!({}),
        )
        .await;
        let la = sheet_starting(&lou, "2026-03-08").await;
        assert_eq!(minutes(&la), 60);
        let e = &entries(&lou, int(&la["id"])).await[0];
        assert_eq!(e["date_start"], "2026-03-14 22:00:00");
        assert_eq!(e["date_end"], "2026-03-14 23:00:00");
        // An entry on Saturday 2026-03-14 belongs there; Sunday 15th does not.
        add_ok(&lou, int(&la["id"]), "2026-03-14", "18:00:00", "20:00:00").await;
        let (status, body) = add(
            &lou,
            int(&la["id"]),
            entry_body("2026-03-15", "01:00", "02:00"),
        )
        .await;
        assert_eq!(status, 400, "{body}");
        let gz = gauzy_sheet(&lou, &lou.employee_id(), "2026-03-08").await;
        // Midnight of 2026-03-08 was still PST (-8); the 15th's is PDT (-7).
        assert_eq!(gz["startedAt"], "2026-03-08T08:00:00.000Z", "{gz}");
        assert_eq!(gz["stoppedAt"], "2026-03-15T07:00:00.000Z", "{gz}");
        assert_eq!(gz["duration"], 180 * 60);
        assert_eq!(minutes(&sheet_starting(&lou, "2026-03-08").await), 180);
        assert_eq!(page(&lou, "/timesheets").await["total"], 1);
    }
);

both!(
    a_spring_forward_week_totals_real_time,
    |backend| async move {
        let server = Server::start(backend).await;
        server
            .user("nia@acme.test", &["--timezone", "America/New_York"])
            .await;
        let nia = server.login("nia@acme.test", PASSWORD).await;

        // New York springs forward at 02:00 on Sunday 2026-03-08. From 01:00
        // EST to 04:00 EDT is three hours on the clock, two of real time.
        gauzy_log(
            &nia,
            "2026-03-08T06:00:00.000Z",
            "2026-03-08T08:00:00.000Z",
            json!({}),
        )
        .await;
        let sheet = sheet_starting(&nia, "2026-03-08").await;
        assert_week(&sheet);
        let id = int(&sheet["id"]);
        let e = &entries(&nia, id).await[0];
        assert_eq!(e["date_start"], "2026-03-08 01:00:00");
        assert_eq!(e["date_end"], "2026-03-08 04:00:00");
        assert_eq!(e["duration_minutes"], 120);
        assert_eq!(e["duration_hours"], 2.0);

        // Corrected through IceHrm: from 01:30 to 03:30 on the clock is one
        // hour of real time.
        let (status, body) = delete(&nia, int(&e["id"])).await;
        assert_eq!(status, 200, "{body}");
        let across = add_ok(&nia, id, "2026-03-08", "01:30:00", "03:30:00").await;
        assert_eq!(across["duration_minutes"], 60, "{across}");
        let log = gauzy_log_at(&nia, "2026-03-08T06:30:00.000Z").await;
        assert_eq!(log["stoppedAt"], "2026-03-08T07:30:00.000Z");
        let later = add_ok(&nia, id, "2026-03-09", "09:00:00", "17:00:00").await;
        assert_eq!(later["duration_minutes"], 480);
        let log = gauzy_log_at(&nia, "2026-03-09T13:00:00.000Z").await;
        assert_eq!(log["duration"], 8 * 3600, "EDT is -4: {log}");

        // A log from Saturday 23:00 to Sunday 01:00 counts an hour in each week.
        gauzy_log(
            &nia,
            "2026-03-15T03:00:00.000Z",
            "2026-03-15T05:00:00.000Z",
            json!({}),
        )
        .await;
        let sheet = details(&nia, id).await;
        assert_eq!(minutes(&sheet["timesheet"]), 60 + 480 + 60);
        assert_eq!(sheet["timesheet"]["total_time"], "10:00");
        assert_eq!(sheet["entries"].as_array().unwrap().len(), 3, "{sheet}");
        let next = sheet_starting(&nia, "2026-03-15").await;
        assert_eq!(minutes(&next), 60);
        let crossing = entries(&nia, int(&next["id"])).await;
        assert_eq!(crossing.len(), 1);
        assert_eq!(crossing[0]["date_start"], "2026-03-14 23:00:00");
        assert_eq!(crossing[0]["date_end"], "2026-03-15 01:00:00");

        // Gauzy sees the same 167-hour week with the same total.
        let gz = gauzy_sheet(&nia, &nia.employee_id(), "2026-03-08").await;
        assert_eq!(gz["startedAt"], "2026-03-08T05:00:00.000Z", "{gz}");
        assert_eq!(gz["stoppedAt"], "2026-03-15T04:00:00.000Z", "{gz}");
        assert_eq!(gz["duration"], 600 * 60);
        let gz = gauzy_sheet(&nia, &nia.employee_id(), "2026-03-15").await;
        assert_eq!(gz["duration"], 3600);
    }
);

both!(a_fall_back_week_totals_real_time, |backend| async move {
    let server = Server::start(backend).await;
    server
        .user("nia@acme.test", &["--timezone", "America/New_York"])
        .await;
    let nia = server.login("nia@acme.test", PASSWORD).await;

    // Monday 2026-11-02 09:00 EST makes the week of Sunday 2026-11-01.
    gauzy_log(
        &nia,
        "2026-11-02T14:00:00.000Z",
        "2026-11-02T15:00:00.000Z",
        json!({}),
    )
    .await;
    let sheet = sheet_starting(&nia, "2026-11-01").await;
    let id = int(&sheet["id"]);
    let (status, prev, _) = beside(&nia, id, "create-previous").await;
    assert_eq!(
        (status.as_u16(), prev["date_start"].clone()),
        (201, json!("2026-10-25"))
    );
    let (_, back, created) = beside(&nia, int(&prev["id"]), "create-next").await;
    assert_eq!((back["id"].clone(), created), (sheet["id"].clone(), false));

    // The clocks go back at 02:00: 00:30 to 03:30 is four hours of work.
    let e = add_ok(&nia, id, "2026-11-01", "00:30:00", "03:30:00").await;
    assert_eq!(e["duration_minutes"], 240, "{e}");
    assert_eq!(e["date_start"], "2026-11-01 00:30:00");
    assert_eq!(e["date_end"], "2026-11-01 03:30:00");
    let log = gauzy_log_at(&nia, "2026-11-01T04:30:00.000Z").await;
    assert_eq!(log["stoppedAt"], "2026-11-01T08:30:00.000Z");

    let d = details(&nia, id).await;
    assert_eq!(minutes(&d["timesheet"]), 300);
    assert_eq!(d["timesheet"]["total_time"], "05:00");
    assert_eq!(d["timesheet"]["days"][0]["display"], "(Sun) 01 Nov");
    let gz = gauzy_sheet(&nia, &nia.employee_id(), "2026-11-01").await;
    assert_eq!(gz["startedAt"], "2026-11-01T04:00:00.000Z", "{gz}");
    assert_eq!(gz["stoppedAt"], "2026-11-08T05:00:00.000Z", "{gz}");
    assert_eq!(gz["duration"], 300 * 60);
});

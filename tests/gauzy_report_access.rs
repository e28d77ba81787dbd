//! Gauzy's time reports (`report/daily`, `report/weekly`,
//! `report/time-limit`): who sees whose time in them (the list rule:
//! yourself, a supervisor's reports, an admin's organization; another
//! organization's ids 404), and bad queries (400 naming the parameter).

#[macro_use]
mod util;
#[path = "util/icehrm.rs"]
mod icehrm;
#[path = "util/reports.rs"]
mod reports;

use reports::{REPORT, logs, report};
use serde_json::Value;
use util::*;

both!(who_sees_whose_reports, |backend| async move {
    let server = Server::start(backend).await;
    let t = server.team().await;
    let globex = server.project("Globex Site", &["--org", "Globex"]).await;
    for who in [&t.omar, &t.jane] {
        logs(
            who,
            &[(
                "2024-01-15T09:00:00Z",
                "2024-01-15T10:00:00Z",
                "TRACKED",
                None,
            )],
        )
        .await;
    }
    let week = "startDate=2024-01-14&endDate=2024-01-20";
    let emails = |v: &Value| -> Vec<String> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|r| r["employee"]["user"]["email"].as_str().unwrap().to_string())
            .collect()
    };
    // By default: whoever the caller may see.
    assert_eq!(emails(&report(&t.lena, "weekly", week).await), [OMAR]);
    assert_eq!(emails(&report(&t.max, "weekly", week).await), [JANE]);
    assert_eq!(emails(&report(&t.omar, "weekly", week).await), [OMAR]);
    assert_eq!(emails(&report(&t.ada, "weekly", week).await), [JANE, OMAR]);
    assert!(emails(&report(&t.gus, "weekly", week).await).is_empty());
    // Another team's manager and a colleague asking for Omar: left out.
    let omar_q = format!("{week}&employeeIds[]={}", t.omar.employee_id());
    for who in [&t.max, &t.jane] {
        for path in ["daily", "weekly", "daily?groupBy=employee"] {
            let (path, extra) = path.split_once('?').unwrap_or((path, ""));
            let body = report(who, path, &format!("{omar_q}&{extra}")).await;
            assert_eq!(body, json!([]), "{}: {path}", who.user["email"]);
        }
        let limits = report(who, "time-limit", &omar_q).await;
        assert!(
            limits
                .as_array()
                .unwrap()
                .iter()
                .all(|p| p["employees"] == json!([])),
            "{limits}"
        );
    }
    assert_eq!(emails(&report(&t.lena, "weekly", &omar_q).await), [OMAR]);
    // Another organization's ids are 404; no token is 401.
    for (who, q) in [
        (&t.gus, omar_q.clone()),
        (
            &t.ada,
            format!("{week}&employeeIds[]={}", t.gina.employee_id()),
        ),
        (&t.ada, format!("{week}&projectIds[]={globex}")),
    ] {
        for path in ["daily", "weekly", "time-limit"] {
            let (status, body) = who.get(&format!("{REPORT}/{path}?{q}")).await;
            assert_eq!(status, 404, "{path}?{q}: {body}");
        }
    }
    let (status, _) = server.anon().get(&format!("{REPORT}/daily?{week}")).await;
    assert_eq!(status, 401);
});

both!(bad_queries_are_400, |backend| async move {
    let server = Server::start(backend).await;
    let t = server.team().await;
    let week = "startDate=2024-01-14&endDate=2024-01-20";
    for (path, query, says) in [
        ("daily", "endDate=2024-01-20".to_string(), "startDate"),
        ("weekly", "startDate=2024-01-14".to_string(), "endDate"),
        (
            "daily",
            "startDate=banana&endDate=2024-01-20".to_string(),
            "startDate",
        ),
        (
            "weekly",
            "startDate=2024-01-14&endDate=2024-02-31".to_string(),
            "endDate",
        ),
        (
            "time-limit",
            "startDate=2024-01-20&endDate=2024-01-14".to_string(),
            "before",
        ),
        (
            "daily",
            "startDate=2020-01-01&endDate=2024-01-01".to_string(),
            "400 days",
        ),
        ("daily", format!("{week}&groupBy=client"), "groupBy"),
        ("time-limit", format!("{week}&duration=year"), "duration"),
        (
            "weekly",
            format!("{week}&timeZone=Mars/Olympus"),
            "timeZone",
        ),
        (
            "daily",
            format!("{week}&employeeIds[]=nobody"),
            "employeeIds",
        ),
        (
            "weekly",
            format!("{week}&projectIds[]=nothing"),
            "projectIds",
        ),
        ("time-limit", format!("{week}&logType[]=NAP"), "logType"),
        ("daily", format!("{week}&source[]=PIGEON"), "source"),
    ] {
        let (status, body) = t.ada.get(&format!("{REPORT}/{path}?{query}")).await;
        assert_eq!(status, 400, "{path}?{query}: {body}");
        let message = body["message"].as_str().unwrap_or_default();
        assert!(message.contains(says), "{path}?{query}: {body}");
    }
});

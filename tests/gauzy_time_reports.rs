//! Gauzy's time reports — `report/daily` (by date, employee or project),
//! `report/weekly`, `report/time-limit` — against everything else that
//! totals the same weeks: the CSV export, IceHrm's timesheet details and
//! the Gauzy timesheet list, for an employee in UTC, one in
//! Pacific/Auckland and one across Berlin's switch to summer time.

#[macro_use]
mod util;
#[path = "util/icehrm.rs"]
mod icehrm;
#[path = "util/reports.rs"]
mod reports;

use std::collections::BTreeMap;

use reports::{REPORT, logs, report};
use serde_json::Value;
use util::*;

const KIRI: &str = "kiri@acme.test";
const BERTA: &str = "berta@acme.test";

struct Week {
    who: &'static str,
    first: &'static str,
    last: &'static str,
    /// Counted seconds per local day with any.
    days: &'static [(&'static str, i64)],
}

impl Week {
    fn total(&self) -> i64 {
        self.days.iter().map(|d| d.1).sum()
    }

    fn query(&self, id: &str) -> String {
        format!(
            "startDate={}&endDate={}&employeeIds[]={id}",
            self.first, self.last
        )
    }
}

/// `{date: sum}` of a list of groups.
fn sums(groups: &Value, key: &str, sum: &str) -> BTreeMap<String, i64> {
    groups
        .as_array()
        .expect("a list")
        .iter()
        .map(|g| {
            (
                g[key].as_str().unwrap().to_string(),
                g[sum].as_i64().unwrap(),
            )
        })
        .collect()
}

/// Counted seconds of an export: the rows that are not IDLE.
fn csv_counted(raw: &str) -> i64 {
    let mut r = csv::Reader::from_reader(raw.as_bytes());
    r.records()
        .map(|row| row.expect("a record"))
        .filter(|row| &row[8] != "IDLE")
        .map(|row| (row[7].parse::<f64>().expect("minutes") * 60.0).round() as i64)
        .sum()
}

/// Every view of `week` agrees: the supervisor's reports and the
/// employee's own export, IceHrm week and Gauzy timesheet.
async fn views_agree(lena: &Session, own: &Session, week: &Week) {
    let q = week.query(&own.employee_id());
    let want: BTreeMap<String, i64> = week.days.iter().map(|(d, s)| (d.to_string(), *s)).collect();
    let daily = report(lena, "daily", &q).await;
    assert_eq!(sums(&daily, "date", "sum"), want, "{}: {daily}", week.who);
    for by in ["employee", "project"] {
        let grouped = report(lena, "daily", &format!("{q}&groupBy={by}")).await;
        let total: i64 = grouped
            .as_array()
            .unwrap()
            .iter()
            .map(|g| g["sum"].as_i64().unwrap())
            .sum();
        assert_eq!(total, week.total(), "{} by {by}: {grouped}", week.who);
    }
    let weekly = report(lena, "weekly", &q).await;
    assert_eq!(weekly.as_array().unwrap().len(), 1, "{weekly}");
    let row = &weekly[0];
    assert_eq!(row["employee"]["user"]["email"], week.who);
    assert_eq!(row["sum"], week.total(), "{row}");
    let dates = row["dates"].as_object().expect("dates");
    assert_eq!(dates.len(), 7, "every day of the week: {row}");
    for (d, v) in dates {
        let secs = v["sum"]
            .as_i64()
            .unwrap_or_else(|| v.as_i64().expect("0 or {sum}"));
        assert_eq!(
            secs,
            want.get(d).copied().unwrap_or(0),
            "{}: {d} in {row}",
            week.who
        );
    }
    let limits = report(lena, "time-limit", &format!("{q}&duration=week")).await;
    assert_eq!(limits.as_array().unwrap().len(), 1, "{limits}");
    assert_eq!(limits[0]["date"], week.first, "{limits}");
    let line = &limits[0]["employees"][0];
    assert_eq!(line["duration"], week.total(), "{limits}");
    assert!(line["limit"].is_null() && line["durationPercentage"].is_null());
    let per_day = report(lena, "time-limit", &format!("{q}&duration=day")).await;
    let per_day: BTreeMap<String, i64> = per_day
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|p| {
            Some((
                p["date"].as_str()?.to_string(),
                p["employees"][0]["duration"].as_i64()?,
            ))
        })
        .collect();
    assert_eq!(per_day, want, "{}", week.who);

    let export = own
        .request(
            reqwest::Method::GET,
            &format!(
                "{REPORT}/export?startDate={}&endDate={}",
                week.first, week.last
            ),
        )
        .send()
        .await
        .expect("export");
    assert_eq!(export.status(), 200);
    assert_eq!(
        csv_counted(&export.text().await.unwrap()),
        week.total(),
        "{} CSV",
        week.who
    );
    let ice = icehrm::sheet_starting(own, week.first).await;
    assert_eq!(
        icehrm::minutes(&ice) * 60,
        week.total(),
        "{} IceHrm: {ice}",
        week.who
    );
    let gauzy = icehrm::gauzy_sheet(own, &own.employee_id(), week.first).await;
    assert_eq!(
        gauzy["duration"],
        week.total(),
        "{} Gauzy: {gauzy}",
        week.who
    );
}

both!(every_report_adds_up_the_same, |backend| async move {
    let server = Server::start(backend).await;
    let t = server.team().await;
    tokio::join!(
        server.user(
            KIRI,
            &["--timezone", "Pacific/Auckland", "--supervisor", LENA]
        ),
        server.user(
            BERTA,
            &["--timezone", "Europe/Berlin", "--supervisor", LENA]
        ),
    );
    let (kiri, berta) = tokio::join!(server.login(KIRI, PASSWORD), server.login(BERTA, PASSWORD));
    let (web, intra) = tokio::join!(
        server.project("Website", &[]),
        server.project("Intranet", &[])
    );
    let (web, intra) = (Some(web.as_str()), Some(intra.as_str()));
    logs(
        &t.omar,
        &[
            (
                "2024-01-15T09:00:00Z",
                "2024-01-15T10:00:00Z",
                "TRACKED",
                web,
            ),
            ("2024-01-15T10:00:00Z", "2024-01-15T10:30:00Z", "IDLE", web),
            (
                "2024-01-15T13:00:00Z",
                "2024-01-15T14:30:00Z",
                "MANUAL",
                intra,
            ),
            (
                "2024-01-16T09:00:00Z",
                "2024-01-16T09:45:00Z",
                "RESUMED",
                None,
            ),
            (
                "2024-01-17T23:00:00Z",
                "2024-01-18T01:00:00Z",
                "TRACKED",
                web,
            ),
        ],
    )
    .await;
    for (at, duration, overall) in [
        ("2024-01-15T09:10:00Z", 600, 50),
        ("2024-01-15T09:20:00Z", 300, 100),
    ] {
        let (status, out) = t
            .omar
            .post("/api/timesheet/time-slot", json!({ "startedAt": at, "duration": duration, "keyboard": 0, "mouse": 0, "overall": overall }))
            .await;
        assert_eq!(status, 201, "{out}");
    }
    // Kiri's Monday 09:00 (NZDT, +13:00) is Sunday 20:00 UTC; her Tuesday
    // 23:00–01:00 crosses her midnight.
    logs(
        &kiri,
        &[
            (
                "2024-01-14T20:00:00Z",
                "2024-01-14T23:00:00Z",
                "TRACKED",
                web,
            ),
            ("2024-01-14T23:00:00Z", "2024-01-14T23:30:00Z", "IDLE", web),
            (
                "2024-01-16T10:00:00Z",
                "2024-01-16T12:00:00Z",
                "TRACKED",
                intra,
            ),
        ],
    )
    .await;
    // Berlin skips 02:00–03:00 on Sunday 2024-03-31: 01:30–03:30 is an hour.
    logs(
        &berta,
        &[
            (
                "2024-03-31T00:30:00Z",
                "2024-03-31T01:30:00Z",
                "TRACKED",
                web,
            ),
            (
                "2024-04-01T08:00:00Z",
                "2024-04-01T09:00:00Z",
                "MANUAL",
                intra,
            ),
            (
                "2024-04-06T20:00:00Z",
                "2024-04-06T21:00:00Z",
                "TRACKED",
                None,
            ),
        ],
    )
    .await;
    let omar_week = Week {
        who: OMAR,
        first: "2024-01-14",
        last: "2024-01-20",
        days: &[
            ("2024-01-15", 9000),
            ("2024-01-16", 2700),
            ("2024-01-17", 3600),
            ("2024-01-18", 3600),
        ],
    };
    let kiri_week = Week {
        who: KIRI,
        first: "2024-01-14",
        last: "2024-01-20",
        days: &[
            ("2024-01-15", 10800),
            ("2024-01-16", 3600),
            ("2024-01-17", 3600),
        ],
    };
    let berta_week = Week {
        who: BERTA,
        first: "2024-03-31",
        last: "2024-04-06",
        days: &[
            ("2024-03-31", 3600),
            ("2024-04-01", 3600),
            ("2024-04-06", 3600),
        ],
    };
    views_agree(&t.lena, &t.omar, &omar_week).await;
    views_agree(&t.lena, &kiri, &kiri_week).await;
    views_agree(&t.lena, &berta, &berta_week).await;

    // The web app's query: the local week as UTC instants and the zone.
    let web_app = format!(
        "startDate=2024-01-13 11:00:00&endDate=2024-01-20 10:59:59&timeZone=Pacific/Auckland&employeeIds[]={}",
        kiri.employee_id()
    );
    let daily = report(&t.ada, "daily", &web_app).await;
    assert_eq!(
        sums(&daily, "date", "sum"),
        sums(
            &report(&kiri, "daily", &kiri_week.query(&kiri.employee_id())).await,
            "date",
            "sum"
        )
    );

    // Gauzy's nesting and names: a day → its projects → their people.
    let daily = report(&t.omar, "daily", "startDate=2024-01-15&endDate=2024-01-15").await;
    let day = &daily[0];
    assert_eq!(day["date"], "2024-01-15");
    assert_eq!(day["activity"], 66.67, "slots weighted by seconds: {day}");
    let names: Vec<&str> = day["logs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["project"]["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Intranet", "Website"], "{day}");
    let line = &day["logs"][1]["employeeLogs"][0];
    assert_eq!(line["employee"]["user"]["firstName"], "Omar", "{line}");
    assert_eq!(line["sum"], 3600, "IDLE is not counted: {line}");
    assert_eq!(
        line["tasks"][0]["description"],
        "TRACKED 2024-01-15T09:00:00Z"
    );
    assert_eq!(line["tasks"].as_array().unwrap().len(), 1, "{line}");
    let by_employee = report(
        &t.omar,
        "daily",
        "startDate=2024-01-16&endDate=2024-01-16&groupBy=employee",
    )
    .await;
    let project_logs = &by_employee[0]["logs"][0]["projectLogs"][0];
    assert!(
        project_logs["project"].is_null(),
        "no project: {by_employee}"
    );
    assert_eq!(project_logs["sum"], 2700);
    // A logType filter, and Gauzy's own path of the time-limit report.
    let tracked = report(
        &t.omar,
        "daily",
        "startDate=2024-01-14&endDate=2024-01-20&logType[]=TRACKED",
    )
    .await;
    assert_eq!(
        sums(&tracked, "date", "sum").values().sum::<i64>(),
        3600 + 7200
    );
    let (status, limits) = t.omar.get("/api/timesheet/time-log/time-limit?startDate=2024-01-14&endDate=2024-01-20&duration=week").await;
    assert_eq!(status, 200, "{limits}");
    assert_eq!(limits[0]["employees"][0]["duration"], omar_week.total());
});

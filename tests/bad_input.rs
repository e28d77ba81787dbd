//! A corpus of bad inputs against the running server: bodies over the
//! limits, deep and broken JSON, bytes that are not UTF-8, dates out of
//! range, negative durations, SQL and path injection in every string and
//! every path id, files that are not images, wrong content types, unknown
//! enum values and integers too big for any id. Every one is a 4xx with a
//! message, never a 5xx (the harness fails on those), and nothing is
//! written (checked by listing afterwards). Text that is merely odd is
//! stored literally and read back the same, in both dialects.

#[macro_use]
mod util;

use reqwest::multipart::{Form, Part};
use reqwest::{Method, StatusCode};
use serde_json::Value;
use util::*;

const LOGS: &str = "/api/timesheet/time-log";
const SLOTS: &str = "/api/timesheet/time-slot";
const SHOTS: &str = "/api/timesheet/screenshot";

/// Strings that would do harm if they were pasted into SQL, a path or a
/// page instead of being treated as data.
const INJECTIONS: &[&str] = &[
    "' OR 1=1 --",
    "'; DROP TABLE time_logs; --",
    "\" OR \"\"=\"",
    "1; SELECT pg_sleep(10)",
    "Robert'); DROP TABLE users;--",
    "../../etc/passwd",
    "..\\..\\windows\\win.ini",
    "%00",
    "%2e%2e%2f",
    "<script>alert(1)</script>",
    "${jndi:ldap://127.0.0.1/x}",
    "{{7*7}}",
];

/// An answer that refuses: a 4xx among `allowed`, with a message.
fn refused(what: &str, (status, body): (StatusCode, Value), allowed: &[u16]) {
    assert!(
        allowed.contains(&status.as_u16()),
        "{what}: {status} {body} (wanted one of {allowed:?})"
    );
    let message = body["message"].as_str().unwrap_or_default();
    assert!(!message.is_empty(), "{what}: no message in {body}");
}

fn items(page: &Value) -> &[Value] {
    page["items"]
        .as_array()
        .or_else(|| page["data"].as_array())
        .map(Vec::as_slice)
        .unwrap_or_else(|| panic!("not a list: {page}"))
}

/// Nothing of `who` is stored: no logs, timesheets, slots, activities or
/// screenshots in either dialect.
async fn nothing_written(server: &Server, who: &Session) {
    let me = format!("employeeId={}", who.id());
    for list in [
        LOGS,
        "/api/timesheet",
        SLOTS,
        "/api/timesheet/activity",
        SHOTS,
    ] {
        let (status, page) = who.get(&format!("{list}?{me}")).await;
        assert_eq!(status, 200, "{list}: {page}");
        assert!(items(&page).is_empty(), "{list} has {page}");
    }
    let (status, page) = who.get("/timesheets?limit=1000").await;
    assert_eq!(status, 200, "{page}");
    assert!(items(&page).is_empty(), "/timesheets has {page}");
    let mine = who.id().replace('-', "");
    let files: Vec<_> = walk(&server.data_dir().join("blobs"))
        .into_iter()
        .filter(|f| f.to_string_lossy().contains(&mine))
        .collect();
    assert!(files.is_empty(), "images left behind: {files:?}");
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return vec![];
    };
    entries
        .flatten()
        .flat_map(|e| {
            let p = e.path();
            if p.is_dir() { walk(&p) } else { vec![p] }
        })
        .collect()
}

/// Percent-encodes everything but unreserved characters, so a payload
/// stays one path segment or one query value.
fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A body of raw bytes with a content type.
async fn bytes(
    who: &Api,
    method: Method,
    path: &str,
    ct: &str,
    body: Vec<u8>,
) -> (StatusCode, Value) {
    who.send(
        who.request(method, path)
            .header("content-type", ct)
            .body(body),
    )
    .await
}

async fn upload(who: &Api, form: Form) -> (StatusCode, Value) {
    who.send(who.request(Method::POST, SHOTS).multipart(form))
        .await
}

fn file(bytes: Vec<u8>, mime: &str) -> Part {
    Part::bytes(bytes)
        .file_name("screenshot.png")
        .mime_str(mime)
        .expect("mime")
}

/// Omar (who is refused everything and must end with nothing) and Jane (who
/// stores the odd-but-valid text), both employees of `Default`.
async fn start(backend: Backend) -> (Server, Session, Session) {
    let server = Server::start(backend).await;
    tokio::join!(server.user(OMAR, &[]), server.user(JANE, &[]));
    let (omar, jane) = tokio::join!(server.login(OMAR, PASSWORD), server.login(JANE, PASSWORD));
    (server, omar, jane)
}

/// Every endpoint that reads a JSON body (ids that do not exist where a
/// path needs one: the body is read, and refused, first).
fn json_endpoints() -> Vec<(Method, String)> {
    let none = "01900000-0000-7000-8000-000000000000";
    vec![
        (Method::POST, "/api/auth/signin.email.password".into()),
        (Method::POST, "/api/auth/login".into()),
        (Method::POST, "/api/auth/refresh-token".into()),
        (Method::POST, "/api/auth/logout".into()),
        (Method::PUT, "/api/timesheet/submit".into()),
        (Method::PUT, "/api/timesheet/approve".into()),
        (Method::PUT, "/api/timesheet/deny".into()),
        (Method::POST, LOGS.into()),
        (Method::PUT, LOGS.into()),
        (Method::PUT, format!("{LOGS}/{none}")),
        (Method::POST, format!("{LOGS}/sync")),
        (Method::POST, "/api/timesheet/timer/start".into()),
        (Method::POST, "/api/timesheet/timer/stop".into()),
        (Method::POST, "/api/timesheet/timer/toggle".into()),
        (Method::POST, SLOTS.into()),
        (Method::POST, "/api/timesheet/activity/bulk".into()),
        (Method::POST, "/timesheets/999999999/entries".into()),
        (Method::POST, "/timesheets/entries/999999999/update".into()),
    ]
}

#[tokio::test]
async fn bodies_over_the_limits_are_413_and_store_nothing() {
    let (server, omar, _) = start(Backend::Sqlite).await;

    // 9 MiB of JSON: over the 8 MiB limit, on every JSON endpoint.
    let big = format!(
        r#"{{"startedAt":"2024-01-01T09:00:00Z","stoppedAt":"2024-01-01T10:00:00Z","description":"{}"}}"#,
        "x".repeat(9 << 20)
    );
    // (The server reads such a body to its end before it answers, so a
    // client still sending gets the 413, not a reset connection.)
    for (method, path) in json_endpoints() {
        let r = omar.raw(method.clone(), &path, &big).await;
        refused(&format!("9 MiB to {method} {path}"), r, &[413]);
    }

    // A 70 MB upload (over the 60 MiB multipart limit) and a 30 MB image
    // (over the 25 MiB one).
    for size in [70_000_000, 30_000_000] {
        let form = Form::new().part("file", file(vec![0x89; size], "image/png"));
        refused(
            &format!("a {size}-byte upload"),
            upload(&omar, form).await,
            &[413],
        );
    }

    nothing_written(&server, &omar).await;
}

both!(broken_json_is_400_or_415, |backend| async move {
    let (server, omar, _) = start(backend).await;
    // Closed, so only a depth limit (not a syntax error) stops them.
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let deep_inside = [
        "version",
        "project",
        "activities",
        "refresh_token",
        "ids",
        "email",
        "date",
        "startedAt",
        "description",
    ]
    .iter()
    .map(|k| format!(r#""{k}":{deep}"#))
    .collect::<Vec<_>>()
    .join(",");
    let deep_inside = format!(r#"{{{deep_inside},"timeLogs":[{{"version":{deep}}}]}}"#);
    let bodies: Vec<(&str, &str, Vec<u8>)> = vec![
        ("100k nested arrays", "application/json", deep.clone().into_bytes()),
        ("100k nested arrays in fields", "application/json", deep_inside.into_bytes()),
        ("truncated", "application/json", br#"{"startedAt": "2024-01-01T09:00:00Z""#.to_vec()),
        ("not JSON", "application/json", b"startedAt=yesterday".to_vec()),
        ("an array", "application/json", b"[]".to_vec()),
        ("a number", "application/json", b"42".to_vec()),
        ("null", "application/json", b"null".to_vec()),
        ("two values", "application/json", b"{} {}".to_vec()),
        (
            "wrong types",
            "application/json",
            br#"{"email":5,"refresh_token":5,"ids":5,"description":5,"startedAt":5,"timeLogs":5,"activities":5,"date":5}"#
                .to_vec(),
        ),
        ("not UTF-8 at the top", "application/json", b"\xff\xfe{}".to_vec()),
        ("not UTF-8 in a key", "application/json", b"{\"\xff\":1}".to_vec()),
        ("not UTF-8 in an ignored value", "application/json", b"{\"zz\":\"\xff\xfe\"}".to_vec()),
        ("a NUL character", "application/json", br#"{"description":"a\u0000b","details":"\u0000","email":"\u0000"}"#.to_vec()),
        ("JSON as text/plain", "text/plain", br#"{"description":"x"}"#.to_vec()),
        ("JSON as a form", "application/x-www-form-urlencoded", br#"{"description":"x"}"#.to_vec()),
        ("XML", "application/xml", b"<timeLog/>".to_vec()),
        ("a form", "application/x-www-form-urlencoded", b"email=a&password=b".to_vec()),
    ];
    for (method, path) in json_endpoints() {
        for (what, ct, body) in &bodies {
            let r = bytes(&omar, method.clone(), &path, ct, body.clone()).await;
            refused(&format!("{what} to {method} {path}"), r, &[400, 415]);
        }
    }
    // The screenshot upload wants multipart: JSON, a form without a
    // boundary and a broken multipart body are refused.
    for (ct, body) in [
        ("application/json", br#"{"file":"x"}"#.to_vec()),
        ("multipart/form-data", b"--x\r\n".to_vec()),
        (
            "multipart/form-data; boundary=x",
            b"--x\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nunterminated".to_vec(),
        ),
        ("text/plain", b"hello".to_vec()),
    ] {
        let r = bytes(&omar, Method::POST, SHOTS, ct, body).await;
        refused(&format!("{ct} upload"), r, &[400, 415]);
    }
    // Nobody was signed out by a broken logout, and nothing was written.
    assert_eq!(omar.get("/api/user/me").await.0, 200);
    nothing_written(&server, &omar).await;
});

both!(
    dates_out_of_range_and_negative_durations_are_400,
    |backend| async move {
        let (server, omar, jane) = start(backend).await;

        // Gauzy time logs: the same stretches through create, upsert, the
        // timer and the sync batch (whose per-log outcome is the 400).
        let stretches = [
            ("0000-01-01T09:00:00Z", "0000-01-01T10:00:00Z"),
            ("+99999-01-01T09:00:00Z", "+99999-01-01T10:00:00Z"),
            ("99999-01-01T09:00:00Z", "99999-01-01T10:00:00Z"),
            ("1969-12-31T09:00:00Z", "1969-12-31T10:00:00Z"),
            ("2100-01-01T09:00:00Z", "2100-01-01T10:00:00Z"),
            ("2024-02-30T09:00:00Z", "2024-02-30T10:00:00Z"),
            ("2024-13-01T09:00:00Z", "2024-13-01T10:00:00Z"),
            ("2024-01-01T25:00:00Z", "2024-01-01T26:00:00Z"),
            ("2024-01-01T10:00:00Z", "2024-01-01T09:00:00Z"),
            ("2024-01-01T10:00:00Z", "2024-01-01T10:00:00Z"),
            ("2024-01-01T10:00:00Z", "2026-01-01T10:00:00Z"),
            ("-2024-01-01T10:00:00Z", "2024-01-01T10:00:00Z"),
            ("1704099600", "1704103200"),
            ("", "2024-01-01T10:00:00Z"),
        ];
        for (start, stop) in stretches {
            let log = json!({ "startedAt": start, "stoppedAt": stop });
            refused(
                &format!("create {start}..{stop}"),
                omar.post(LOGS, log.clone()).await,
                &[400],
            );
            refused(
                &format!("upsert {start}..{stop}"),
                omar.put(LOGS, log.clone()).await,
                &[400],
            );
            let batch = json!({ "timeLogs": [{ "id": uuid::Uuid::now_v7(), "startedAt": start, "stoppedAt": stop }] });
            let (status, body) = omar.post(&format!("{LOGS}/sync"), batch).await;
            assert_eq!(status, 200, "{body}");
            assert_eq!(
                body["timeLogs"][0]["status"], "failed",
                "{start}..{stop}: {body}"
            );
            assert_eq!(body["timeLogs"][0]["statusCode"], 400, "{body}");
        }
        for start in [
            "0000-01-01T09:00:00Z",
            "+99999-01-01T09:00:00Z",
            "1969-12-31T09:00:00Z",
            "2100-01-01T09:00:00Z",
            "2024-02-30T09:00:00Z",
            "2024-01-01T25:00:00Z",
            "1704099600",
        ] {
            let r = omar
                .post("/api/timesheet/timer/start", json!({ "startedAt": start }))
                .await;
            refused(&format!("timer at {start}"), r, &[400]);
        }
        // Slots, activities and screenshots: negative or impossible numbers,
        // dates out of range.
        for slot in [
            json!({ "startedAt": "2024-01-01T09:00:00Z", "duration": -5 }),
            json!({ "startedAt": "2024-01-01T09:00:00Z", "duration": 60, "keyboard": -1 }),
            json!({ "startedAt": "2024-01-01T09:00:00Z", "duration": 60, "overall": 101 }),
            json!({ "startedAt": "2024-01-01T09:00:00Z", "duration": 1e300 }),
            json!({ "startedAt": "2024-01-01T09:00:00Z", "duration": 99999999999999999999u128 as f64 }),
            json!({ "startedAt": "0000-01-01T09:00:00Z", "duration": 60 }),
            json!({ "startedAt": "2999-01-01T09:00:00Z", "duration": 60 }),
            json!({ "startedAt": "2024-02-30T09:00:00Z", "duration": 60 }),
            json!({ "startedAt": "2024-01-01T09:00:00Z", "duration": 60,
                "activities": [{ "title": "editor", "duration": -1 }] }),
        ] {
            refused(
                &format!("slot {slot}"),
                omar.post(SLOTS, slot).await,
                &[400],
            );
        }
        for activity in [
            json!({ "title": "editor", "duration": -1, "date": "2024-01-01", "time": "09:00:00" }),
            json!({ "title": "editor", "duration": 5, "date": "0000-01-01", "time": "09:00:00" }),
            json!({ "title": "editor", "duration": 5, "date": "99999-01-01", "time": "09:00:00" }),
            json!({ "title": "editor", "duration": 5, "date": "2024-02-30", "time": "09:00:00" }),
            json!({ "title": "editor", "duration": 5, "recordedAt": "2024-01-01T24:61:00Z" }),
        ] {
            let body = json!({ "activities": [activity] });
            refused(
                &format!("activity {body}"),
                omar.post("/api/timesheet/activity/bulk", body).await,
                &[400],
            );
        }
        for at in [
            "0000-01-01T09:00:00Z",
            "2999-01-01T09:00:00Z",
            "2024-02-30T09:00:00Z",
        ] {
            let form = Form::new()
                .part("file", file(png(8, 8), "image/png"))
                .text("recordedAt", at);
            refused(
                &format!("screenshot at {at}"),
                upload(&omar, form).await,
                &[400],
            );
        }
        // Query dates.
        for q in [
            "/api/timesheet/time-log?startDate=99999-01-01",
            "/api/timesheet/time-log?startDate=2024-02-30",
            "/api/timesheet/time-log?endDate=2024-13-01",
            "/api/timesheet?startDate=2024-02-30",
            "/api/timesheet/time-slot?startDate=yesterday",
            "/api/timesheet/statistics/counts?startDate=2024-02-30&endDate=2024-03-01",
            "/api/timesheet/time-log/report/daily-chart?startDate=0001-01-01&endDate=9999-12-31",
            "/api/timesheet/time-log/report/daily-chart?startDate=2024-03-01&endDate=2024-02-01",
            "/api/timesheet/timer/status?todayStart=2024-02-30&todayEnd=2024-03-01",
        ] {
            refused(q, omar.get(q).await, &[400]);
        }
        nothing_written(&server, &omar).await;

        // IceHrm entries (on Jane's sheet, which must stay empty): dates out
        // of range or outside the week, impossible times, end before start.
        let (status, body) = jane.post("/timesheets/create-current", json!({})).await;
        assert!(status.is_success(), "{body}");
        let sheet = body["timesheet"]["id"].as_i64().expect("id");
        let day = body["timesheet"]["date_start"]
            .as_str()
            .expect("date")
            .to_string();
        for (date, start, end) in [
            ("0000-01-01", "09:00", "10:00"),
            ("99999-01-01", "09:00", "10:00"),
            ("2024-02-30", "09:00", "10:00"),
            ("2001-01-01", "09:00", "10:00"),
            (day.as_str(), "24:00:00", "25:00:00"),
            (day.as_str(), "-01:00", "10:00"),
            (day.as_str(), "10:00", "09:00"),
            (day.as_str(), "10:00", "10:00"),
            (day.as_str(), "9am", "5pm"),
        ] {
            let body = json!({ "date": date, "start_time": start, "end_time": end });
            let r = jane
                .post(&format!("/timesheets/{sheet}/entries"), body)
                .await;
            refused(&format!("entry {date} {start}-{end}"), r, &[400]);
        }
        let (_, details) = jane.get(&format!("/timesheets/{sheet}")).await;
        assert_eq!(details["entries"], json!([]), "{details}");

        // A timer cannot stop before it started; it keeps running.
        let (status, log) = jane.post("/api/timesheet/timer/start", json!({})).await;
        assert_eq!(status, 201, "{log}");
        let before =
            instant(log["startedAt"].as_str().expect("startedAt")) - chrono::Duration::hours(1);
        let r = jane
            .post(
                "/api/timesheet/timer/stop",
                json!({ "stoppedAt": iso(before) }),
            )
            .await;
        refused("stop before start", r, &[400]);
        let (_, status_now) = jane.get("/api/timesheet/timer/status").await;
        assert_eq!(status_now["running"], true, "{status_now}");
    }
);

both!(
    injection_strings_are_data_or_refused,
    |backend| async move {
        let (server, omar, jane) = start(backend).await;

        // Free text is stored literally and reads back the same, in both
        // dialects: a log's description, an activity's title, an entry's details.
        let mut hour = 0;
        for s in INJECTIONS {
            hour += 1;
            let (a, b) = (
                format!("2024-01-0{}T{:02}:00:00Z", 1 + hour / 20, hour % 20),
                format!("2024-01-0{}T{:02}:30:00Z", 1 + hour / 20, hour % 20),
            );
            let (status, log) = jane
                .post(
                    LOGS,
                    json!({ "startedAt": a, "stoppedAt": b, "description": s }),
                )
                .await;
            assert_eq!(status, 201, "{s}: {log}");
            let (_, back) = jane
                .get(&format!("{LOGS}/{}", log["id"].as_str().unwrap()))
                .await;
            assert_eq!(back["description"], *s, "{back}");
            let slot = json!({ "startedAt": a, "duration": 60, "activities": [{ "title": s, "duration": 5 }] });
            let (status, body) = jane.post(SLOTS, slot).await;
            assert_eq!(status, 201, "{s}: {body}");
        }
        let (_, acts) = jane.get("/api/timesheet/activity").await;
        for s in INJECTIONS {
            assert!(
                items(&acts).iter().any(|a| a["title"] == *s),
                "{s} not in {acts}"
            );
        }
        // The IceHrm view of the same week shows the same text.
        let (_, sheets) = jane.get("/timesheets?limit=1000").await;
        let sheet = items(&sheets)
            .iter()
            .find(|s| s["date_start"] == "2023-12-31")
            .unwrap_or_else(|| panic!("no sheet of that week: {sheets}"))["id"]
            .as_i64()
            .expect("id");
        let (_, details) = jane.get(&format!("/timesheets/{sheet}")).await;
        for s in INJECTIONS {
            let found = details["entries"]
                .as_array()
                .expect("entries")
                .iter()
                .any(|e| e["details"] == *s);
            assert!(found, "{s} not in {details}");
        }
        let entry = details["entries"][0]["id"].as_i64().expect("entry id");
        for s in INJECTIONS {
            let (status, e) = jane
                .post(
                    &format!("/timesheets/entries/{entry}/update"),
                    json!({ "details": s }),
                )
                .await;
            assert_eq!(status, 200, "{e}");
            assert_eq!(e["details"], *s, "{e}");
        }

        // Every structured string field refuses them (ids, instants, enums,
        // organizations).
        for s in INJECTIONS {
            let base =
                json!({ "startedAt": "2024-01-01T09:00:00Z", "stoppedAt": "2024-01-01T10:00:00Z" });
            for field in [
                "id",
                "employeeId",
                "projectId",
                "taskId",
                "organizationId",
                "tenantId",
                "startedAt",
                "stoppedAt",
                "logType",
                "source",
            ] {
                let mut body = base.clone();
                body[field] = json!(s);
                refused(
                    &format!("log {field}={s}"),
                    omar.post(LOGS, body.clone()).await,
                    &[400, 403],
                );
                refused(
                    &format!("upsert {field}={s}"),
                    omar.put(LOGS, body).await,
                    &[400, 403],
                );
            }
            for field in [
                "id",
                "employeeId",
                "projectId",
                "startedAt",
                "timeLogId",
                "organizationId",
            ] {
                let mut body = json!({ "startedAt": "2024-01-01T09:00:00Z", "duration": 60 });
                body[field] = json!(s);
                refused(
                    &format!("slot {field}={s}"),
                    omar.post(SLOTS, body).await,
                    &[400, 403],
                );
            }
            for field in ["type", "employeeId", "date", "timeSlotId"] {
                let mut a = json!({ "title": "editor", "duration": 5, "date": "2024-01-01", "time": "09:00:00" });
                a[field] = json!(s);
                let body = json!({ "activities": [a] });
                refused(
                    &format!("activity {field}={s}"),
                    omar.post("/api/timesheet/activity/bulk", body).await,
                    &[400, 403],
                );
            }
            for field in [
                "projectId",
                "logType",
                "source",
                "startedAt",
                "organizationId",
            ] {
                let mut body = json!({});
                body[field] = json!(s);
                refused(
                    &format!("timer {field}={s}"),
                    omar.post("/api/timesheet/timer/start", body).await,
                    &[400, 403],
                );
            }
            for field in ["id", "timeSlotId", "recordedAt", "organizationId"] {
                let form = Form::new()
                    .part("file", file(png(8, 8), "image/png"))
                    .text(field, s.to_string());
                refused(
                    &format!("screenshot {field}={s}"),
                    upload(&omar, form).await,
                    &[400, 403],
                );
            }
            let r = omar
                .put("/api/timesheet/submit", json!({ "ids": [s] }))
                .await;
            refused(&format!("submit {s}"), r, &[400]);
            let r = omar
                .post("/api/auth/login", json!({ "email": s, "password": s }))
                .await;
            refused(&format!("login {s}"), r, &[400, 401]);
            for q in [
                format!("{LOGS}?employeeId={}", encode(s)),
                format!("{LOGS}?projectIds[0]={}", encode(s)),
                format!("{LOGS}?startDate={}", encode(s)),
                format!("/api/timesheet?status={}", encode(s)),
                format!("{SLOTS}?employeeIds[]={}", encode(s)),
                format!("/timesheets?status={}", encode(s)),
                format!("/timesheets?limit={}", encode(s)),
                format!("/timesheets/direct-reports?page={}", encode(s)),
            ] {
                refused(&q, omar.get(&q).await, &[400]);
            }
            let r = omar.delete(&format!("{SLOTS}?ids[0]={}", encode(s))).await;
            refused("slot delete", r, &[400]);
            let r = omar
                .delete(&format!("{LOGS}?logIds[0]={}", encode(s)))
                .await;
            refused("log delete", r, &[400]);
            // A name filter is only compared, never run: nothing matches.
            let q = format!("/timesheets/direct-reports?employee_name={}", encode(s));
            let (status, page) = omar.get(&q).await;
            assert_eq!(status, 200, "{page}");
            assert!(items(&page).is_empty(), "{page}");
        }

        // Every path id of every route in the table, in both dialects: 400
        // (not an id) or 404 (no such thing), never anything done.
        let mut ids: Vec<String> = INJECTIONS.iter().map(|s| encode(s)).collect();
        ids.extend([
            "%00".into(),
            "..%2F..%2Fetc%2Fpasswd".into(),
            "%FF%FE".into(),
            "99999999999999999999".into(),
            "-1".into(),
            "0".into(),
            "1e3".into(),
            "0x10".into(),
            "%201".into(),
        ]);
        for route in stint_server::routes::table() {
            if !route.path.contains('{') {
                continue;
            }
            for id in &ids {
                let path = route.path.replace("{id}", id).replace("{kind}", "file");
                let rb = omar.request(route.method.clone(), &path);
                let rb = if route.method == Method::GET || route.method == Method::DELETE {
                    rb
                } else {
                    rb.json(&json!({ "details": "x", "description": "x" }))
                };
                let r = omar.send(rb).await;
                refused(&format!("{} {path}", route.method), r, &[400, 404]);
            }
        }
        // The {kind} of an image, too.
        let (status, shot) = upload(
            &jane,
            Form::new().part("file", file(png(8, 8), "image/png")),
        )
        .await;
        assert_eq!(status, 201, "{shot}");
        for kind in &ids {
            let path = format!("{SHOTS}/{}/{kind}", shot["id"].as_str().unwrap());
            refused(&path, jane.get(&path).await, &[400, 404]);
        }

        nothing_written(&server, &omar).await;
        // The tables are all still there.
        let (status, page) = jane.get(LOGS).await;
        assert_eq!(status, 200);
        assert_eq!(items(&page).len(), INJECTIONS.len());
        server.login(OMAR, PASSWORD).await;
    }
);

/// A PNG that claims 60000×60000 pixels (a "decompression bomb").
fn png_bomb() -> Vec<u8> {
    fn crc32(data: &[u8]) -> u32 {
        let mut c = 0xffff_ffffu32;
        for &b in data {
            c ^= b as u32;
            for _ in 0..8 {
                c = if c & 1 != 0 {
                    0xedb8_8320 ^ (c >> 1)
                } else {
                    c >> 1
                };
            }
        }
        !c
    }
    fn chunk(out: &mut Vec<u8>, kind: &[u8], data: &[u8]) {
        out.extend((data.len() as u32).to_be_bytes());
        let mut c = kind.to_vec();
        c.extend(data);
        out.extend(&c);
        out.extend(crc32(&c).to_be_bytes());
    }
    let mut v = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = Vec::new();
    ihdr.extend(60_000u32.to_be_bytes());
    ihdr.extend(60_000u32.to_be_bytes());
    ihdr.extend([8, 2, 0, 0, 0]);
    chunk(&mut v, b"IHDR", &ihdr);
    chunk(
        &mut v,
        b"IDAT",
        &[0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01],
    );
    chunk(&mut v, b"IEND", &[]);
    v
}

both!(uploads_that_are_not_images_are_400, |backend| async move {
    let (server, omar, _) = start(backend).await;
    let good = png(64, 48);
    let gif = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;".to_vec();
    let svg = br#"<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>"#.to_vec();
    let mut junk_png = good[..16].to_vec();
    junk_png.extend(b"not really a png at all");
    let cases: Vec<(&str, Form)> = vec![
        (
            "text as a PNG",
            Form::new().part("file", file(b"hello, world".to_vec(), "image/png")),
        ),
        (
            "an empty file",
            Form::new().part("file", file(vec![], "image/png")),
        ),
        (
            "half a PNG",
            Form::new().part("file", file(good[..good.len() / 2].to_vec(), "image/png")),
        ),
        (
            "a PNG header and junk",
            Form::new().part("file", file(junk_png, "image/png")),
        ),
        ("a GIF", Form::new().part("file", file(gif, "image/gif"))),
        (
            "an SVG",
            Form::new().part("file", file(svg, "image/svg+xml")),
        ),
        (
            "a PNG bomb",
            Form::new().part("file", file(png_bomb(), "image/png")),
        ),
        (
            "an ELF binary",
            Form::new().part(
                "file",
                file(
                    b"\x7fELF\x02\x01\x01\0\0\0\0\0".to_vec(),
                    "application/octet-stream",
                ),
            ),
        ),
        (
            "a thumb that is text",
            Form::new()
                .part("file", file(good.clone(), "image/png"))
                .part("thumb", file(b"text".to_vec(), "image/png")),
        ),
        (
            "no file",
            Form::new().text("recordedAt", "2024-01-01T09:00:00Z"),
        ),
        (
            "a file under another name",
            Form::new().part("image", file(good.clone(), "image/png")),
        ),
        (
            "a field that is not UTF-8",
            Form::new()
                .part("file", file(good.clone(), "image/png"))
                .part("recordedAt", Part::bytes(vec![0xff, 0xfe])),
        ),
        (
            "a client id that is not UTF-8",
            Form::new()
                .part("file", file(good.clone(), "image/png"))
                .part("id", Part::bytes(vec![0xc3, 0x28])),
        ),
    ];
    for (what, form) in cases {
        refused(what, upload(&omar, form).await, &[400]);
    }
    nothing_written(&server, &omar).await;
});

both!(
    unknown_enums_and_impossible_numbers_are_400,
    |backend| async move {
        let (server, omar, _) = start(backend).await;
        let base =
            json!({ "startedAt": "2024-01-01T09:00:00Z", "stoppedAt": "2024-01-01T10:00:00Z" });
        for (field, value) in [
            ("logType", json!("SLEEPING")),
            ("logType", json!(7)),
            ("source", json!("FAX")),
            ("isBillable", json!("maybe")),
            ("startedAt", json!(true)),
            ("description", json!({ "nested": 1 })),
        ] {
            let mut body = base.clone();
            body[field] = value;
            refused(&format!("log {body}"), omar.post(LOGS, body).await, &[400]);
        }
        let activity = json!({ "activities": [{ "title": "x", "duration": 5, "date": "2024-01-01", "type": "VIDEO" }] });
        refused(
            "activity type",
            omar.post("/api/timesheet/activity/bulk", activity).await,
            &[400],
        );
        let r = omar
            .put(
                "/api/timesheet/submit",
                json!({ "ids": [uuid::Uuid::now_v7()], "status": "LATER" }),
            )
            .await;
        refused("submit status", r, &[400]);
        for q in [
            "/api/timesheet?status=MAYBE",
            "/timesheets?status=Maybe",
            "/timesheets/direct-reports?status=Maybe",
            "/timesheets?limit=99999999999999999999",
            "/timesheets?limit=0",
            "/timesheets?limit=-5",
            "/timesheets?page=0",
            "/timesheets?page=1.5",
            "/timesheets/direct-reports/pending?limit=1001",
        ] {
            refused(q, omar.get(q).await, &[400]);
        }
        // A page far past the end is just empty.
        let (status, page) = omar
            .get("/timesheets?page=9223372036854775807&limit=1000")
            .await;
        assert_eq!(status, 200, "{page}");
        assert!(items(&page).is_empty());
        // Integers too big for any id, in IceHrm paths and bodies.
        for path in [
            "/timesheets/99999999999999999999",
            "/timesheets/9223372036854775807",
            "/timesheets/-9223372036854775808",
        ] {
            refused(path, omar.get(path).await, &[400, 404]);
        }
        let r = omar
        .post("/timesheets/99999999999999999999/entries", json!({ "date": "2024-01-01", "start_time": "09:00", "end_time": "10:00", "project": 99999999999999999999u128 as f64 }))
        .await;
        refused("huge sheet id", r, &[400, 404]);
        // The method, too, must be one the route has.
        let (status, body) = omar.send(omar.request(Method::PATCH, LOGS)).await;
        refused("PATCH", (status, body), &[405]);
        nothing_written(&server, &omar).await;
    }
);

//! IceHrm helpers for the end-to-end stories: integer ids, local dates, and
//! the Gauzy views of the same timesheets for the parity stories.
//!
//! Declared from a test file next to `util`:
//!
//! ```ignore
//! #[macro_use]
//! mod util;
//! #[path = "util/icehrm.rs"]
//! mod icehrm;
//! ```
#![allow(dead_code)]

use chrono::{Datelike, NaiveDate, Weekday};
use reqwest::StatusCode;
use serde_json::Value;

use crate::util::{Api, REJECTION, json};

/// An integer id from a JSON field.
pub fn int(v: &Value) -> i64 {
    v.as_i64()
        .unwrap_or_else(|| panic!("not an integer id: {v}"))
}

/// A `YYYY-MM-DD` date.
pub fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_else(|e| panic!("'{s}' is no date: {e}"))
}

/// The date `days` after `d` (`YYYY-MM-DD`).
pub fn plus_days(d: &str, days: i64) -> String {
    (date(d) + chrono::Duration::days(days)).to_string()
}

/// The `n`th day (0 = Sunday) of a timesheet.
pub fn day(sheet: &Value, n: i64) -> String {
    plus_days(sheet["date_start"].as_str().expect("date_start"), n)
}

/// Checks the week shape every timesheet has: Sunday to Saturday, seven
/// `days` labelled like `(Sun) 05 Apr` when they are present.
pub fn assert_week(sheet: &Value) {
    let start = date(sheet["date_start"].as_str().expect("date_start"));
    let end = date(sheet["date_end"].as_str().expect("date_end"));
    assert_eq!(start.weekday(), Weekday::Sun, "{sheet}");
    assert_eq!(end, start + chrono::Duration::days(6), "{sheet}");
    if let Some(days) = sheet.get("days") {
        let days = days.as_array().expect("days");
        assert_eq!(days.len(), 7, "{sheet}");
        for (i, d) in days.iter().enumerate() {
            let want = start + chrono::Duration::days(i as i64);
            assert_eq!(d["date"], want.to_string(), "{sheet}");
            assert_eq!(d["display"], want.format("(%a) %d %b").to_string());
        }
        assert!(days[0]["display"].as_str().unwrap().starts_with("(Sun) "));
    }
}

/// `POST /timesheets/create-current`: (status, the timesheet, created).
pub async fn create_current(api: &Api) -> (StatusCode, Value, bool) {
    let (status, body) = api.post("/timesheets/create-current", json!({})).await;
    assert!(status.is_success(), "create-current: {status} {body}");
    let created = body["created"].as_bool().expect("created");
    (status, body["timesheet"].clone(), created)
}

/// This week's timesheet (created if needed).
pub async fn current(api: &Api) -> Value {
    create_current(api).await.1
}

/// `POST /timesheets/{id}/create-previous|create-next`: (status, sheet,
/// created).
pub async fn beside(api: &Api, id: i64, which: &str) -> (StatusCode, Value, bool) {
    let (status, body) = api
        .post(&format!("/timesheets/{id}/{which}"), json!({}))
        .await;
    assert!(status.is_success(), "{which} of {id}: {status} {body}");
    let created = body["created"].as_bool().expect("created");
    (status, body["timesheet"].clone(), created)
}

/// `GET /timesheets/{id}`, which must answer 200.
pub async fn details(api: &Api, id: i64) -> Value {
    let (status, body) = api.get(&format!("/timesheets/{id}")).await;
    assert_eq!(status, 200, "details of {id}: {body}");
    body
}

/// The entries of a timesheet.
pub async fn entries(api: &Api, id: i64) -> Vec<Value> {
    details(api, id).await["entries"]
        .as_array()
        .expect("entries")
        .clone()
}

/// `{date, start_time, end_time}`.
pub fn entry_body(date: &str, start: &str, end: &str) -> Value {
    json!({ "date": date, "start_time": start, "end_time": end })
}

/// `POST /timesheets/{id}/entries` with any body.
pub async fn add(api: &Api, sheet: i64, body: Value) -> (StatusCode, Value) {
    api.post(&format!("/timesheets/{sheet}/entries"), body)
        .await
}

/// Adds an entry that must be created (201); the entry.
pub async fn add_ok(api: &Api, sheet: i64, date: &str, start: &str, end: &str) -> Value {
    let (status, body) = add(api, sheet, entry_body(date, start, end)).await;
    assert_eq!(status, 201, "add {date} {start}-{end}: {body}");
    body
}

/// `POST /timesheets/entries/{id}/update`.
pub async fn update(api: &Api, entry: i64, body: Value) -> (StatusCode, Value) {
    api.post(&format!("/timesheets/entries/{entry}/update"), body)
        .await
}

/// `POST /timesheets/entries/{id}/delete`.
pub async fn delete(api: &Api, entry: i64) -> (StatusCode, Value) {
    api.post(&format!("/timesheets/entries/{entry}/delete"), json!({}))
        .await
}

/// `POST /timesheets/{id}/submit|approve|reject`; a rejection says why
/// ([`REJECTION`]).
pub async fn act(api: &Api, sheet: i64, action: &str) -> (StatusCode, Value) {
    let body = if action == "reject" {
        json!({ "reason": REJECTION })
    } else {
        json!({})
    };
    api.post(&format!("/timesheets/{sheet}/{action}"), body)
        .await
}

/// `act` that must succeed; the new IceHrm status.
pub async fn act_ok(api: &Api, sheet: i64, action: &str) -> String {
    let (status, body) = act(api, sheet, action).await;
    assert_eq!(status, 200, "{action} {sheet}: {body}");
    assert_eq!(int(&body["timesheet"]["id"]), sheet, "{body}");
    body["timesheet"]["status"]
        .as_str()
        .expect("status")
        .to_string()
}

/// A list envelope `{data, total, page, nextPage}` from `path`.
pub async fn page(api: &Api, path: &str) -> Value {
    let (status, body) = api.get(path).await;
    assert_eq!(status, 200, "{path}: {body}");
    assert!(body["data"].is_array(), "{path}: {body}");
    assert!(body["total"].is_i64() && body["page"].is_i64(), "{body}");
    body
}

/// The ids in a list envelope.
pub fn row_ids(page: &Value) -> Vec<i64> {
    page["data"]
        .as_array()
        .expect("data")
        .iter()
        .map(|r| int(&r["id"]))
        .collect()
}

/// The caller's timesheet of the week starting `start` (it must exist).
pub async fn sheet_starting(api: &Api, start: &str) -> Value {
    let all = page(api, "/timesheets?limit=1000").await;
    all["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["date_start"] == start)
        .cloned()
        .unwrap_or_else(|| panic!("no timesheet from {start} in {all}"))
}

/// The integer id of the project called `name` in `GET /timesheets/projects`.
pub async fn project_id(api: &Api, name: &str) -> i64 {
    let (status, body) = api.get("/timesheets/projects").await;
    assert_eq!(status, 200, "{body}");
    body["data"]
        .as_array()
        .expect("data")
        .iter()
        .find(|p| p["name"] == name)
        .map(|p| int(&p["id"]))
        .unwrap_or_else(|| panic!("no project '{name}' in {body}"))
}

/// A Gauzy `POST /api/timesheet/time-log` from `start` to `stop` (UTC
/// instants) with extra fields; the created log.
pub async fn gauzy_log(api: &Api, start: &str, stop: &str, extra: Value) -> Value {
    let mut body = json!({ "startedAt": start, "stoppedAt": stop });
    if let Value::Object(m) = extra {
        for (k, v) in m {
            body[k] = v;
        }
    }
    let (status, log) = api.post("/api/timesheet/time-log", body).await;
    assert_eq!(status, 201, "gauzy time-log {start}..{stop}: {log}");
    log
}

/// The Gauzy time logs the caller sees.
pub async fn gauzy_logs(api: &Api) -> Vec<Value> {
    let (status, body) = api.get("/api/timesheet/time-log").await;
    assert_eq!(status, 200, "{body}");
    body["items"].as_array().expect("items").clone()
}

/// The Gauzy timesheet of `employee_id` starting on `start`.
pub async fn gauzy_sheet(api: &Api, employee_id: &str, start: &str) -> Value {
    let (status, body) = api
        .get(&format!("/api/timesheet?employeeId={employee_id}"))
        .await;
    assert_eq!(status, 200, "{body}");
    body["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|s| s["startDate"] == start)
        .cloned()
        .unwrap_or_else(|| panic!("no Gauzy timesheet from {start} in {body}"))
}

/// `total_minutes` of an IceHrm timesheet, checked against its `total_time`.
pub fn minutes(sheet: &Value) -> i64 {
    let m = int(&sheet["total_minutes"]);
    assert_eq!(
        sheet["total_time"],
        format!("{:02}:{:02}", m / 60, m % 60),
        "{sheet}"
    );
    m
}

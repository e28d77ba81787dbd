//! "My data": everything the server holds about the signed-in person, as
//! one zip (DESIGN.md, trust rules: an employee can see what is recorded
//! about them). Only the caller's own data, whatever their role: there is
//! no way to ask for someone else's through it.
//!
//! The archive is built into a temp file page by page (logs by keyset,
//! the rest a month at a time, screenshots one image at a time) and then
//! streamed back, so a year of screenshots never sits in memory. Building
//! it reads every image, so a person builds one at a time (409 while one
//! is under way, per replica). Reading one's own screenshots is not a
//! view to record: the access log stays the record of others' views.

use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::io;
use std::sync::{LazyLock, Mutex};

use chrono::{Duration, NaiveDate, Utc};
use chrono_tz::Tz;
use futures_util::StreamExt;
use serde::Serialize;
use stint_model::{Instant, Screenshot, local_midnight};
use stint_store::Filter;
use uuid::Uuid;

use super::export::{self, ExportQuery};
use super::reports::MAX_DAYS;
use super::zip_sink::{JsonArray, ZipSink};
use crate::auth::Caller;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// Slots, activities, screenshots and views are read a month at a time.
const WINDOW_DAYS: i64 = 31;

/// What README.txt says, in the archive's order: in a file of its own so
/// it reads as the person downloading it will read it.
const README: &str = include_str!("my_data_readme.txt");

/// People whose export is being built on this replica.
static BUILDING: LazyLock<Mutex<HashSet<Uuid>>> = LazyLock::new(Mutex::default);

/// Marks one person's export as under way until dropped.
struct Building(Uuid);

impl Building {
    fn start(who: Uuid) -> AppResult<Building> {
        let mut set = BUILDING.lock().unwrap_or_else(|e| e.into_inner());
        if !set.insert(who) {
            return Err(AppError::conflict(
                "your data is already being prepared; wait for that download to finish",
            ));
        }
        Ok(Building(who))
    }
}

impl Drop for Building {
    fn drop(&mut self) {
        BUILDING
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(&self.0);
    }
}

/// A finished archive: its file (at its start), length and name.
pub struct MyData {
    pub file: File,
    pub len: u64,
    /// `stint-my-data-YYYY-MM-DD.zip`, the caller's local date.
    pub filename: String,
}

/// Builds the caller's archive (409 while another of theirs is built).
pub async fn export(state: &AppState, caller: &Caller) -> AppResult<MyData> {
    let _building = Building::start(caller.id())?;
    let tz = caller.user.tz();
    let today = Utc::now().with_timezone(&tz).date_naive();
    let sink = ZipSink::new().map_err(failed)?;
    let written = write(state, caller, tz, today, &sink).await;
    let file = sink.finish().await;
    // The writer's own error explains a failed write better than the
    // closed channel the reader saw.
    let file = match (written, file) {
        (Ok(()), Ok(file)) => file,
        (_, Err(e)) | (Err(e), _) => return Err(failed(e)),
    };
    let len = file.metadata().map_err(failed)?.len();
    tracing::info!(user = %caller.id(), bytes = len, "built a My data export");
    Ok(MyData {
        file,
        len,
        filename: format!("stint-my-data-{today}.zip"),
    })
}

fn failed(e: io::Error) -> AppError {
    tracing::error!(error = %e, "could not build a My data export");
    AppError::new(
        axum::http::StatusCode::SERVICE_UNAVAILABLE,
        "could not prepare your data; try again",
    )
}

async fn write(
    state: &AppState,
    caller: &Caller,
    tz: Tz,
    today: NaiveDate,
    sink: &ZipSink,
) -> io::Result<()> {
    sink.entry("README.txt", true, README).await?;
    let mine = Filter {
        org_id: caller.org.id,
        employee_ids: Some(vec![caller.id()]),
        ..Filter::default()
    };
    let first = first_date(state, &mine, tz).await?.unwrap_or(today);
    csv(state, caller, sink, first, today + Duration::days(1)).await?;
    logs_json(state, &mine, sink).await?;
    let windows = windows(local_midnight(first, tz));

    let mut slots = JsonArray::start(sink, "activity-slots.json").await?;
    for w in &windows {
        slots
            .page(
                &state
                    .store
                    .list_slots(&w.of(&mine))
                    .await
                    .map_err(io::Error::other)?,
            )
            .await?;
    }
    slots.end().await?;

    let mut acts = JsonArray::start(sink, "activities.json").await?;
    for w in &windows {
        acts.page(
            &state
                .store
                .list_activities(&w.of(&mine))
                .await
                .map_err(io::Error::other)?,
        )
        .await?;
    }
    acts.end().await?;

    screenshots(state, sink, &mine, &windows, tz).await?;
    views(state, sink, &mine, &windows).await
}

/// The local date of the caller's first time log, if any.
async fn first_date(state: &AppState, mine: &Filter, tz: Tz) -> io::Result<Option<NaiveDate>> {
    let first = state
        .store
        .page_logs(mine, None, 1)
        .await
        .map_err(io::Error::other)?;
    Ok(first
        .first()
        .map(|l| l.started_at.with_timezone(&tz).date_naive()))
}

/// time-logs.csv through the time report export's writer (one CSV format),
/// in spans of the most days one export covers (one span for anyone with
/// less than 400 days of time): the header once, then each span's rows. A
/// log running across the midnight between two spans is a row of both, as
/// it would be in two downloads of the time report.
async fn csv(
    state: &AppState,
    caller: &Caller,
    sink: &ZipSink,
    first: NaiveDate,
    last: NaiveDate,
) -> io::Result<()> {
    sink.start("time-logs.csv", true).await?;
    let mut from = first;
    let mut header = true;
    while from <= last {
        let to = (from + Duration::days(MAX_DAYS - 1)).min(last);
        let q = ExportQuery {
            first: from,
            last: to,
            employee_ids: vec![caller.id()],
            project_ids: vec![],
        };
        let out = export::export(state, caller, q)
            .await
            .map_err(|e| io::Error::other(e.to_string()))?;
        let mut body = out.body;
        // The first chunk is the header row.
        let mut chunk_no = 0;
        while let Some(chunk) = body.next().await {
            let chunk = chunk?;
            if chunk_no > 0 || header {
                sink.write(chunk.to_vec()).await?;
            }
            chunk_no += 1;
        }
        header = false;
        from = to + Duration::days(1);
    }
    Ok(())
}

/// time-logs.json: every stored field, a page of the export's size at a time.
async fn logs_json(state: &AppState, mine: &Filter, sink: &ZipSink) -> io::Result<()> {
    let mut arr = JsonArray::start(sink, "time-logs.json").await?;
    let mut after = None;
    loop {
        let page = state
            .store
            .page_logs(mine, after, export::PAGE)
            .await
            .map_err(io::Error::other)?;
        arr.page(&page).await?;
        match page.last() {
            Some(l) if page.len() == export::PAGE as usize => after = Some((l.started_at, l.seq)),
            _ => break,
        }
    }
    arr.end().await
}

/// `[from, to)`; `None` is open.
struct Window(Option<Instant>, Option<Instant>);

impl Window {
    fn of(&self, mine: &Filter) -> Filter {
        Filter {
            from: self.0,
            to: self.1,
            ..mine.clone()
        }
    }
}

/// Everything before `start`, then a month at a time up to tomorrow,
/// then everything after: each row in exactly one window.
fn windows(start: Instant) -> Vec<Window> {
    let end = Utc::now() + Duration::days(1);
    let mut out = vec![Window(None, Some(start))];
    let mut from = start;
    while from < end {
        let to = from + Duration::days(WINDOW_DAYS);
        out.push(Window(Some(from), Some(to)));
        from = to;
    }
    out.push(Window(Some(from), None));
    out
}

/// One line of screenshots.json.
#[derive(Serialize)]
struct ShotLine {
    id: Uuid,
    recorded_at: Instant,
    time_slot_id: Option<Uuid>,
    width: i64,
    height: i64,
    size: i64,
    sha256: String,
    /// Paths inside the zip; `null` when the stored image is missing.
    image: Option<String>,
    thumbnail: Option<String>,
}

/// Each screenshot's image and thumbnail, one blob in memory at a time,
/// then screenshots.json naming them.
async fn screenshots(
    state: &AppState,
    sink: &ZipSink,
    mine: &Filter,
    windows: &[Window],
    tz: Tz,
) -> io::Result<()> {
    let mut lines = Vec::new();
    for w in windows {
        for shot in state
            .store
            .list_screenshots(&w.of(mine))
            .await
            .map_err(io::Error::other)?
        {
            lines.push(screenshot(state, sink, &shot, tz).await?);
        }
    }
    let mut arr = JsonArray::start(sink, "screenshots.json").await?;
    arr.page(&lines).await?;
    arr.end().await
}

async fn screenshot(
    state: &AppState,
    sink: &ZipSink,
    shot: &Screenshot,
    tz: Tz,
) -> io::Result<ShotLine> {
    let date = shot.recorded_at.with_timezone(&tz).date_naive();
    let mut paths = [None, None];
    for (i, (key, suffix)) in [(&shot.file_key, ""), (&shot.thumb_key, "-thumb")]
        .into_iter()
        .enumerate()
    {
        let Some(bytes) = state.blobs.get(key).await? else {
            tracing::warn!(screenshot = %shot.id, key, "a screenshot's image is missing from the blob store");
            continue;
        };
        let ext = image::guess_format(&bytes)
            .ok()
            .and_then(|f| f.extensions_str().first().copied())
            .map(|e| if e == "jpeg" { "jpg" } else { e })
            .unwrap_or("bin");
        let path = format!("screenshots/{date}/{}{suffix}.{ext}", shot.id);
        sink.entry(path.clone(), false, bytes).await?;
        paths[i] = Some(path);
    }
    let [image, thumbnail] = paths;
    Ok(ShotLine {
        id: shot.id,
        recorded_at: shot.recorded_at,
        time_slot_id: shot.time_slot_id,
        width: shot.width,
        height: shot.height,
        size: shot.size,
        sha256: shot.sha256.clone(),
        image,
        thumbnail,
    })
}

/// One line of screenshot-views.json.
#[derive(Serialize)]
struct ViewLine<'a> {
    screenshot_id: Uuid,
    viewer_id: Uuid,
    /// "" for someone no longer in the organization.
    viewer_name: &'a str,
    viewed_at: Instant,
    /// `file` (the full image) or `thumb`.
    kind: &'static str,
}

/// screenshot-views.json: the access log of the caller's screenshots.
async fn views(
    state: &AppState,
    sink: &ZipSink,
    mine: &Filter,
    windows: &[Window],
) -> io::Result<()> {
    let names: HashMap<Uuid, String> = state
        .store
        .list_users(mine.org_id)
        .await
        .map_err(io::Error::other)?
        .into_iter()
        .map(|u| (u.id, u.name))
        .collect();
    let mut arr = JsonArray::start(sink, "screenshot-views.json").await?;
    for w in windows {
        let page = state
            .store
            .list_screenshot_views(&w.of(mine))
            .await
            .map_err(io::Error::other)?;
        let lines: Vec<ViewLine> = page
            .iter()
            .map(|v| ViewLine {
                screenshot_id: v.screenshot_id,
                viewer_id: v.viewer_id,
                viewer_name: names
                    .get(&v.viewer_id)
                    .map(String::as_str)
                    .unwrap_or_default(),
                viewed_at: v.viewed_at,
                kind: if v.thumb { "thumb" } else { "file" },
            })
            .collect();
        arr.page(&lines).await?;
    }
    arr.end().await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_export_at_a_time_per_person() {
        let (omar, jane) = (Uuid::now_v7(), Uuid::now_v7());
        let first = Building::start(omar).expect("the first");
        let again = Building::start(omar).err().expect("a second at once");
        assert_eq!(again.status, axum::http::StatusCode::CONFLICT);
        assert!(again.message.contains("already being prepared"));
        // Someone else's is not held up.
        let _other = Building::start(jane).expect("another person's");
        drop(first);
        Building::start(omar).expect("once the first is done");
    }
}

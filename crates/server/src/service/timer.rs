//! The running timer: one per employee across all their devices.
//!
//! Starting a timer while one runs (on this or another device) stops the
//! running one at the new start, as Toggl, Hubstaff and Gauzy do; the stopped
//! log keeps a `stopped_reason` so the other device can tell its user why.

use chrono::{Duration, Utc};
use stint_model::{Instant, LogSource, LogType, TimeLog, counted_seconds};
use stint_store::Filter;
use uuid::Uuid;

use super::logs::{self, LogInput, LogPatch};
use crate::auth::Caller;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::wire::iso;

#[derive(Debug, Clone)]
pub struct TimerStart {
    pub id: Option<Uuid>,
    pub project_id: Option<Uuid>,
    pub task_id: Option<Uuid>,
    pub description: String,
    pub is_billable: bool,
    pub source: LogSource,
    pub log_type: LogType,
    pub started_at: Option<Instant>,
}

pub async fn start(state: &AppState, caller: &Caller, t: TimerStart) -> AppResult<TimeLog> {
    let started_at = t
        .started_at
        .unwrap_or_else(|| stint_model::to_millis_precision(Utc::now()));
    let reason = format!(
        "stopped at {} because a timer was started on another device",
        iso(started_at)
    );
    let input = LogInput {
        id: t.id,
        employee_id: None,
        project_id: t.project_id,
        task_id: t.task_id,
        started_at,
        stopped_at: None,
        log_type: t.log_type,
        source: t.source,
        description: t.description,
        is_billable: t.is_billable,
        version: 0,
    };
    Ok(logs::create(state, caller, input, Some(reason)).await?.0)
}

/// Why a running log was stopped by a start elsewhere (shown to its device).
pub fn stop_reason(at: Instant) -> String {
    format!(
        "stopped at {} because a timer was started on another device",
        iso(at)
    )
}

/// Stops the caller's running log at `stopped_at` (now by default; a past
/// instant is how the desktop timer cuts idle time off).
pub async fn stop(
    state: &AppState,
    caller: &Caller,
    stopped_at: Option<Instant>,
) -> AppResult<TimeLog> {
    let running = state.store.running_log(caller.org.id, caller.id()).await?;
    let log = running.ok_or_else(|| {
        AppError::new(
            axum::http::StatusCode::NOT_ACCEPTABLE,
            "No running log found",
        )
    })?;
    let at = stopped_at.unwrap_or_else(|| stint_model::to_millis_precision(Utc::now()));
    let patch = LogPatch {
        stopped_at: Some(Some(at)),
        ..LogPatch::default()
    };
    logs::update(state, caller, log.id, patch).await
}

pub struct TimerStatus {
    /// Counted seconds inside the day asked about (today by default).
    pub duration: i64,
    pub running: Option<TimeLog>,
    pub last_log: Option<TimeLog>,
}

/// Today's total and the latest log. `day` is `[start, end]` as the client
/// gives it; by default the caller's local today.
pub async fn status(
    state: &AppState,
    caller: &Caller,
    day: Option<(Instant, Instant)>,
) -> AppResult<TimerStatus> {
    let now = Utc::now();
    let (from, to) = day.unwrap_or_else(|| {
        let today = now.with_timezone(&caller.user.tz()).date_naive();
        let start = stint_model::local_midnight(today, caller.user.tz());
        (start, start + Duration::days(1))
    });
    let mut filter = Filter::org(caller.org.id);
    filter.employee_ids = Some(vec![caller.id()]);
    filter.from = Some(from.min(now - Duration::days(7)));
    filter.to = Some(to.max(now));
    let recent = state.store.list_logs(&filter).await?;
    let duration = counted_seconds(&recent, from, to, now);
    let running = recent.iter().find(|l| l.is_running()).cloned();
    let last_log = recent.iter().max_by_key(|l| (l.started_at, l.seq)).cloned();
    Ok(TimerStatus {
        duration,
        running,
        last_log,
    })
}

//! Totals over a range: the dashboard counts and the per-day chart.

use std::collections::BTreeMap;

use chrono::{Duration, NaiveDate, Utc};
use stint_model::{Instant, TimeLog, TimeSlot, Week, counted_seconds, local_midnight};
use uuid::Uuid;

use super::{WEEK_START, access};
use crate::auth::Caller;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// Longest range a chart covers, so one request cannot ask for millennia.
pub const MAX_DAYS: i64 = 400;

pub struct Counts {
    pub weekly_duration: i64,
    pub weekly_activities: i64,
    pub today_duration: i64,
    pub today_activities: i64,
}

/// Average overall activity (%) of slots, weighted by tracked seconds.
fn activity_percent(slots: &[TimeSlot], from: Instant, to: Instant) -> i64 {
    let inside = slots
        .iter()
        .filter(|s| s.started_at >= from && s.started_at < to);
    let (weighted, secs) = inside.fold((0, 0), |(w, t), s| {
        (w + s.overall * s.duration, t + s.duration)
    });
    if secs == 0 {
        0
    } else {
        (weighted + secs / 2) / secs
    }
}

async fn logs_and_slots(
    state: &AppState,
    caller: &Caller,
    employee_ids: &[Uuid],
    from: Instant,
    to: Instant,
) -> AppResult<(Vec<TimeLog>, Vec<TimeSlot>)> {
    let Some(filter) =
        access::filter_for(state, caller, employee_ids, Some(from), Some(to)).await?
    else {
        return Ok((vec![], vec![]));
    };
    Ok((
        state.store.list_logs(&filter).await?,
        state.store.list_slots(&filter).await?,
    ))
}

/// "Weekly" covers the range asked for (the caller's current week by
/// default); "today" is the caller's local today.
pub async fn counts(
    state: &AppState,
    caller: &Caller,
    employee_ids: &[Uuid],
    range: Option<(Instant, Instant)>,
) -> AppResult<Counts> {
    let (now, tz) = (Utc::now(), caller.user.tz());
    let (from, to) = range.unwrap_or_else(|| Week::at(now, tz, WEEK_START).bounds(tz));
    let day_start = local_midnight(now.with_timezone(&tz).date_naive(), tz);
    let day_end = day_start + Duration::days(1);
    let (logs, slots) = logs_and_slots(
        state,
        caller,
        employee_ids,
        from.min(day_start),
        to.max(day_end),
    )
    .await?;
    Ok(Counts {
        weekly_duration: counted_seconds(&logs, from, to, now),
        weekly_activities: activity_percent(&slots, from, to),
        today_duration: counted_seconds(&logs, day_start, day_end, now),
        today_activities: activity_percent(&slots, day_start, day_end),
    })
}

pub struct Day {
    pub date: NaiveDate,
    pub duration: i64,
    /// Counted seconds per project (`None`: no project).
    pub projects: BTreeMap<Option<Uuid>, i64>,
}

/// Counted seconds per local day of the caller, split by project. Logs
/// crossing midnight count in each day for their part of it.
pub async fn daily(
    state: &AppState,
    caller: &Caller,
    employee_ids: &[Uuid],
    first: NaiveDate,
    last: NaiveDate,
) -> AppResult<Vec<Day>> {
    let days = (last - first).num_days() + 1;
    if days < 1 {
        return Err(AppError::bad_request(
            "endDate must not be before startDate",
        ));
    }
    if days > MAX_DAYS {
        return Err(AppError::bad_request(format!(
            "a chart covers at most {MAX_DAYS} days"
        )));
    }
    let (now, tz) = (Utc::now(), caller.user.tz());
    let (from, to) = (
        local_midnight(first, tz),
        local_midnight(last + Duration::days(1), tz),
    );
    let (logs, _) = logs_and_slots(state, caller, employee_ids, from, to).await?;
    let mut out = Vec::with_capacity(days as usize);
    for date in first.iter_days().take(days as usize) {
        let (a, b) = (
            local_midnight(date, tz),
            local_midnight(date + Duration::days(1), tz),
        );
        let mut projects = BTreeMap::new();
        for l in &logs {
            let s = counted_seconds([l], a, b, now);
            if s > 0 {
                *projects.entry(l.project_id).or_insert(0) += s;
            }
        }
        out.push(Day {
            date,
            duration: projects.values().sum(),
            projects,
        });
    }
    Ok(out)
}

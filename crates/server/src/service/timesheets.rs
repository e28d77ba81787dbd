//! Weekly timesheets: totals, listing, and status changes.

use std::collections::HashMap;

use chrono::{NaiveDate, Utc};
use stint_model::{TimeLog, Timesheet, TimesheetStatus, Transition, User, Week, counted_seconds};
use stint_store::{Filter, TimesheetFilter};
use uuid::Uuid;

use super::{WEEK_START, access};
use crate::auth::Caller;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// A timesheet with its owner and what counts towards its total.
#[derive(Debug, Clone)]
pub struct SheetView {
    pub sheet: Timesheet,
    pub employee: User,
    /// TRACKED + MANUAL + RESUMED seconds inside the week (IDLE excluded).
    pub counted_seconds: i64,
    /// The week's logs, IDLE included (clipped to nothing: whole logs).
    pub logs: Vec<TimeLog>,
}

/// The employee's timesheet of `week`, made now if missing (`true`).
pub async fn ensure_week(
    state: &AppState,
    employee: &User,
    week: Week,
) -> AppResult<(Timesheet, bool)> {
    Ok(state
        .store
        .ensure_timesheet(
            Uuid::now_v7(),
            employee.org_id,
            employee.id,
            week.start,
            week.end(),
        )
        .await?)
}

/// Loads the logs of `sheet`'s week and totals them.
pub async fn view(state: &AppState, sheet: Timesheet, employee: User) -> AppResult<SheetView> {
    let (from, to) = Week {
        start: sheet.start_date,
    }
    .bounds(employee.tz());
    let filter = Filter {
        org_id: sheet.org_id,
        employee_ids: Some(vec![employee.id]),
        project_ids: None,
        from: Some(from),
        to: Some(to),
    };
    let logs = state.store.list_logs(&filter).await?;
    let counted_seconds = counted_seconds(&logs, from, to, Utc::now());
    Ok(SheetView {
        sheet,
        employee,
        counted_seconds,
        logs,
    })
}

#[derive(Debug, Clone, Default)]
pub struct SheetQuery {
    pub employee_ids: Vec<Uuid>,
    pub statuses: Option<Vec<TimesheetStatus>>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub limit: Option<i64>,
    pub offset: i64,
    /// Without explicit employees: the caller's own sheets only.
    pub own_by_default: bool,
    /// Leave the caller's own sheets out (a manager's review list).
    pub exclude_own: bool,
}

/// Sheets the caller may see, with totals, and the count without paging.
pub async fn list(
    state: &AppState,
    caller: &Caller,
    q: &SheetQuery,
) -> AppResult<(Vec<SheetView>, i64)> {
    let mut employees =
        access::selected_employees(state, caller, &q.employee_ids, q.own_by_default).await?;
    if q.exclude_own {
        employees.remove(&caller.id());
    }
    if employees.is_empty() {
        return Ok((vec![], 0));
    }
    let filter = TimesheetFilter {
        org_id: caller.org.id,
        employee_ids: Some(employees.keys().copied().collect()),
        statuses: q.statuses.clone(),
        from: q.from,
        to: q.to,
        limit: q.limit,
        offset: q.offset,
    };
    let (sheets, total) = state.store.list_timesheets(&filter).await?;
    let mut views = Vec::with_capacity(sheets.len());
    for s in sheets {
        let Some(e) = employees.get(&s.employee_id).cloned() else {
            continue;
        };
        views.push(view(state, s, e).await?);
    }
    Ok((views, total))
}

/// A sheet the caller may see (404 for other organizations, 403 for a
/// colleague's).
pub async fn get(state: &AppState, caller: &Caller, sheet: Timesheet) -> AppResult<SheetView> {
    let employee = state.store.user(caller.org.id, sheet.employee_id).await?;
    if !access::may_see(caller, &employee) {
        return Err(AppError::forbidden(
            "this timesheet belongs to another employee",
        ));
    }
    view(state, sheet, employee).await
}

/// Applies one status change to several sheets, all or nothing: every sheet
/// is found, authorized and allowed before any is written.
///
/// Submit and recall: the owner or an admin. Approve, reject, review: the
/// owner's direct supervisor or an admin. An owner without a supervisor who
/// is an admin and submits is approved at once (IceHrm's rule).
///
/// A rejection needs `reason` ([`stint_model::rejection_reason`]: the
/// employee must learn what to fix); every other change clears the sheet's
/// reason, so a resubmitted week no longer shows the old one. The reason is
/// checked after who may do it and whether the sheets allow it: a stranger
/// learns 403, not what a good reason is.
pub async fn transition(
    state: &AppState,
    caller: &Caller,
    sheets: Vec<Timesheet>,
    t: Transition,
    reason: Option<&str>,
) -> AppResult<Vec<SheetView>> {
    let now = Utc::now();
    let mut changed = Vec::with_capacity(sheets.len());
    for mut sheet in sheets {
        let employee = state.store.user(caller.org.id, sheet.employee_id).await?;
        let is_owner = employee.id == caller.id();
        let allowed = match t {
            Transition::Submit | Transition::Recall => is_owner || caller.is_admin(),
            Transition::Approve | Transition::Reject | Transition::Review => {
                access::may_approve(caller, &employee)
            }
            Transition::Reopen => caller.is_admin(),
        };
        if !allowed {
            let who = match t {
                Transition::Submit | Transition::Recall => "only its owner or an admin",
                Transition::Reopen => "only an admin",
                _ => "only the employee's supervisor or an admin",
            };
            return Err(AppError::forbidden(format!(
                "{who} may do that to this timesheet"
            )));
        }
        let mut next = sheet.status.apply(t).map_err(AppError::conflict)?;
        if t == Transition::Submit
            && employee.supervisor_id.is_none()
            && employee.role == stint_model::Role::Admin
        {
            next = TimesheetStatus::Approved;
        }
        match next {
            TimesheetStatus::Submitted => sheet.submitted_at = Some(now),
            TimesheetStatus::Approved => {
                sheet.approved_at = Some(now);
                sheet.approved_by = Some(caller.id());
                sheet.submitted_at = sheet.submitted_at.or(Some(now));
            }
            TimesheetStatus::Draft => {
                sheet.approved_at = None;
                sheet.approved_by = None;
            }
            _ => {}
        }
        sheet.status = next;
        sheet.updated_at = now;
        changed.push((sheet, employee));
    }
    let reason = stint_model::rejection_reason(t, reason)?;
    for (sheet, _) in &mut changed {
        sheet.rejection_reason = reason.clone();
    }
    let sheets: Vec<Timesheet> = changed.iter().map(|(s, _)| s.clone()).collect();
    state.store.update_timesheets(&sheets).await?;
    if t == Transition::Reject {
        tracing::info!(by = %caller.id(), sheets = sheets.len(), "timesheets rejected with a reason");
    }
    let mut out = Vec::with_capacity(changed.len());
    for (s, e) in changed {
        out.push(view(state, s, e).await?);
    }
    Ok(out)
}

/// The timesheet each log belongs to (the week it starts in).
pub async fn sheet_ids(
    state: &AppState,
    logs: &[TimeLog],
    employees: &[User],
) -> AppResult<HashMap<Uuid, Uuid>> {
    let Some(first) = logs.first() else {
        return Ok(HashMap::new());
    };
    let by_id: HashMap<Uuid, &User> = employees.iter().map(|u| (u.id, u)).collect();
    let week_of = |l: &TimeLog| {
        by_id
            .get(&l.employee_id)
            .map(|u| Week::at(l.started_at, u.tz(), WEEK_START).start)
    };
    let dates: Vec<NaiveDate> = logs.iter().filter_map(week_of).collect();
    let filter = TimesheetFilter {
        org_id: first.org_id,
        employee_ids: Some(by_id.keys().copied().collect()),
        from: dates.iter().min().copied(),
        to: dates.iter().max().map(|d| *d + chrono::Duration::days(6)),
        ..TimesheetFilter::default()
    };
    let (sheets, _) = state.store.list_timesheets(&filter).await?;
    let sheet_of: HashMap<(Uuid, NaiveDate), Uuid> = sheets
        .iter()
        .map(|s| ((s.employee_id, s.start_date), s.id))
        .collect();
    Ok(logs
        .iter()
        .filter_map(|l| Some((l.id, *sheet_of.get(&(l.employee_id, week_of(l)?))?)))
        .collect())
}

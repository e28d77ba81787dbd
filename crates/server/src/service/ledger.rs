//! The counted time behind every report: who is in it (the list rule), and
//! each log's counted seconds per local day, with the activity of its slots.
//!
//! Reports group these entries in different ways (by day, employee,
//! project, week, period); because they all add up the same entries, the
//! daily report, the weekly report, the time-limit report and `stint
//! report` cannot disagree, and each agrees with the timesheets: a log is
//! split at local midnight (as at a week's boundary) and IDLE time is not
//! counted ([`counted_seconds`]).

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{Duration, NaiveDate, Utc};
use chrono_tz::Tz;
use stint_model::{
    Instant, LogSource, LogType, Project, TimeLog, TimeSlot, User, counted_seconds, local_midnight,
};
use stint_store::{Filter, Store, TaskFilter};
use uuid::Uuid;

use super::{access, reports};
use crate::auth::Caller;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// Who and what a report or an export may cover, after the access rule.
#[derive(Clone)]
pub struct Scope {
    pub org_id: Uuid,
    /// The people in it, by id.
    pub employees: HashMap<Uuid, User>,
    /// Every project of the organization, by id (to name them).
    pub projects: HashMap<Uuid, Project>,
    /// Only these projects' time (empty: all).
    pub project_ids: Vec<Uuid>,
}

impl Scope {
    /// The caller's view, by the list rule ([`access::selected_employees`]):
    /// the people asked for whom the caller may see (or everyone visible),
    /// others left out; an employee or project id that is no one's or
    /// nothing in the caller's organization (another organization's) is 404.
    pub async fn of_caller(
        state: &AppState,
        caller: &Caller,
        employee_ids: Vec<Uuid>,
        project_ids: Vec<Uuid>,
    ) -> AppResult<Scope> {
        let asked = access::people_among(state, caller, employee_ids).await?;
        let employees = access::selected_employees(state, caller, &asked, false).await?;
        Scope::with(&*state.store, caller.org.id, employees, project_ids).await
    }

    /// `employees` of `org_id` (already decided by whoever builds it, such
    /// as the admin CLI on the server machine) and the organization's
    /// projects; a project id not among them is 404.
    pub async fn with(
        store: &dyn Store,
        org_id: Uuid,
        employees: HashMap<Uuid, User>,
        project_ids: Vec<Uuid>,
    ) -> AppResult<Scope> {
        let projects: HashMap<Uuid, Project> = store
            .list_projects(org_id)
            .await?
            .into_iter()
            .map(|p| (p.id, p))
            .collect();
        if project_ids.iter().any(|id| !projects.contains_key(id)) {
            return Err(AppError::not_found("project"));
        }
        Ok(Scope {
            org_id,
            employees,
            projects,
            project_ids,
        })
    }

    pub fn project_name(&self, id: Option<Uuid>) -> Option<&str> {
        id.and_then(|i| self.projects.get(&i))
            .map(|p| p.name.as_str())
    }
}

/// What a report covers: local dates, both included.
#[derive(Clone)]
pub struct Range {
    pub first: NaiveDate,
    pub last: NaiveDate,
    /// Whose days: `None` dates each person's time in their own zone (the
    /// zone of their timesheets), `Some` in one zone for everybody.
    pub zone: Option<Tz>,
    /// Only logs of these types / sources (empty: all). IDLE time is never
    /// counted, so asking only for IDLE gives an empty report.
    pub log_types: Vec<LogType>,
    pub sources: Vec<LogSource>,
}

impl Range {
    /// A checked range: the end not before the start, at most
    /// [`reports::MAX_DAYS`] days (400 otherwise).
    pub fn new(first: NaiveDate, last: NaiveDate, zone: Option<Tz>) -> AppResult<Range> {
        let days = (last - first).num_days() + 1;
        if days < 1 {
            return Err(AppError::bad_request(
                "endDate must not be before startDate",
            ));
        }
        if days > reports::MAX_DAYS {
            return Err(AppError::bad_request(format!(
                "startDate to endDate covers at most {} days",
                reports::MAX_DAYS
            )));
        }
        Ok(Range {
            first,
            last,
            zone,
            log_types: vec![],
            sources: vec![],
        })
    }

    pub fn days(&self) -> impl Iterator<Item = NaiveDate> + '_ {
        self.first.iter_days().take_while(|d| *d <= self.last)
    }

    /// The zone `u`'s days are counted in.
    pub fn zone_of(&self, u: &User) -> Tz {
        self.zone.unwrap_or_else(|| u.tz())
    }

    /// `[from, to)` of the range in `tz`.
    fn bounds(&self, tz: Tz) -> (Instant, Instant) {
        (
            local_midnight(self.first, tz),
            local_midnight(self.last + Duration::days(1), tz),
        )
    }

    fn keeps(&self, l: &TimeLog) -> bool {
        (self.log_types.is_empty() || self.log_types.contains(&l.log_type))
            && (self.sources.is_empty() || self.sources.contains(&l.source))
    }
}

/// One log's counted seconds on one local day of its employee.
pub struct Entry {
    pub employee_id: Uuid,
    pub date: NaiveDate,
    pub project_id: Option<Uuid>,
    pub task_id: Option<Uuid>,
    pub log_id: Uuid,
    pub description: String,
    pub seconds: i64,
    /// Σ overall % × seconds of the slots of this log on this day, and
    /// their seconds: activity averages weighted by tracked time.
    pub activity_weighted: i64,
    pub activity_seconds: i64,
}

/// The entries of a range, in order of start, with the names reports show.
pub struct Ledger {
    pub scope: Scope,
    pub range: Range,
    pub entries: Vec<Entry>,
    /// Task titles by id.
    pub tasks: HashMap<Uuid, String>,
}

/// Reads the logs and slots of `scope` in `range` (one read each) and
/// splits every counted log into its local days.
pub async fn ledger(store: &Arc<dyn Store>, scope: Scope, range: Range) -> AppResult<Ledger> {
    let windows: HashMap<Uuid, (Tz, Instant, Instant)> = scope
        .employees
        .values()
        .map(|u| {
            let tz = range.zone_of(u);
            let (a, b) = range.bounds(tz);
            (u.id, (tz, a, b))
        })
        .collect();
    let (Some(from), Some(to)) = (
        windows.values().map(|w| w.1).min(),
        windows.values().map(|w| w.2).max(),
    ) else {
        return Ok(Ledger {
            scope,
            range,
            entries: vec![],
            tasks: HashMap::new(),
        });
    };
    let filter = Filter {
        org_id: scope.org_id,
        employee_ids: Some(windows.keys().copied().collect()),
        project_ids: (!scope.project_ids.is_empty()).then(|| scope.project_ids.clone()),
        from: Some(from),
        to: Some(to),
    };
    let (logs, slots) = tokio::try_join!(store.list_logs(&filter), store.list_slots(&filter))?;
    let now = Utc::now();
    let mut entries = Vec::new();
    let mut at: HashMap<(Uuid, NaiveDate), usize> = HashMap::new();
    for l in logs.iter().filter(|l| range.keeps(l)) {
        let Some(&(tz, a, b)) = windows.get(&l.employee_id) else {
            continue;
        };
        let first = l.started_at.max(a).with_timezone(&tz).date_naive();
        let last = l
            .stopped_at
            .unwrap_or(now)
            .min(b)
            .with_timezone(&tz)
            .date_naive();
        for date in first.iter_days().take_while(|d| *d <= last) {
            let (da, db) = (
                local_midnight(date, tz),
                local_midnight(date + Duration::days(1), tz),
            );
            let seconds = counted_seconds([l], da.max(a), db.min(b), now);
            if seconds == 0 {
                continue;
            }
            at.insert((l.id, date), entries.len());
            entries.push(Entry {
                employee_id: l.employee_id,
                date,
                project_id: l.project_id,
                task_id: l.task_id,
                log_id: l.id,
                description: l.description.clone(),
                seconds,
                activity_weighted: 0,
                activity_seconds: 0,
            });
        }
    }
    let slot_logs = SlotLogs::new(&logs);
    for s in &slots {
        let Some(&(tz, ..)) = windows.get(&s.employee_id) else {
            continue;
        };
        let date = s.started_at.with_timezone(&tz).date_naive();
        let entry = slot_logs.of(s).and_then(|id| at.get(&(id, date)));
        if let Some(&i) = entry {
            entries[i].activity_weighted += s.overall * s.duration;
            entries[i].activity_seconds += s.duration;
        }
    }
    let tasks = if entries.iter().any(|e| e.task_id.is_some()) {
        store
            .list_tasks(&TaskFilter {
                org_id: scope.org_id,
                ..TaskFilter::default()
            })
            .await?
            .into_iter()
            .map(|t| (t.id, t.title))
            .collect()
    } else {
        HashMap::new()
    };
    Ok(Ledger {
        scope,
        range,
        entries,
        tasks,
    })
}

/// Which log a slot's activity belongs to.
struct SlotLogs<'a> {
    by_id: HashMap<Uuid, &'a TimeLog>,
    /// Each employee's logs by start (as the store lists them).
    by_employee: HashMap<Uuid, Vec<&'a TimeLog>>,
}

impl<'a> SlotLogs<'a> {
    fn new(logs: &'a [TimeLog]) -> Self {
        let mut by_employee: HashMap<Uuid, Vec<&TimeLog>> = HashMap::new();
        for l in logs {
            by_employee.entry(l.employee_id).or_default().push(l);
        }
        SlotLogs {
            by_id: logs.iter().map(|l| (l.id, l)).collect(),
            by_employee,
        }
    }

    /// A log of the slot's employee that the slot names, else the one
    /// covering the slot's start (one employee's logs never overlap).
    fn of(&self, s: &TimeSlot) -> Option<Uuid> {
        let named = s.time_log_ids.iter().find(|id| {
            self.by_id
                .get(id)
                .is_some_and(|l| l.employee_id == s.employee_id)
        });
        if let Some(id) = named {
            return Some(*id);
        }
        let mine = self.by_employee.get(&s.employee_id)?;
        let before = mine.partition_point(|l| l.started_at <= s.started_at);
        let l = mine.get(before.checked_sub(1)?)?;
        l.stopped_at
            .is_none_or(|b| s.started_at < b)
            .then_some(l.id)
    }
}

/// Counted seconds and weighted activity of some entries.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Total {
    pub seconds: i64,
    weighted: i64,
    slot_seconds: i64,
}

impl Total {
    pub fn of<'a>(entries: impl IntoIterator<Item = &'a Entry>) -> Total {
        entries.into_iter().fold(Total::default(), |t, e| Total {
            seconds: t.seconds + e.seconds,
            weighted: t.weighted + e.activity_weighted,
            slot_seconds: t.slot_seconds + e.activity_seconds,
        })
    }

    /// Average overall activity (%) of the slots, weighted by their
    /// seconds, with two decimals (Gauzy's `activity`); 0 without slots.
    pub fn activity(&self) -> f64 {
        if self.slot_seconds == 0 {
            return 0.0;
        }
        let pct = self.weighted as f64 / self.slot_seconds as f64;
        (pct * 100.0).round() / 100.0
    }
}

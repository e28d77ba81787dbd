//! An agent's sync of one employee's new logs as one store call
//! ([`Store::sync_logs`](crate::Store::sync_logs)).
//!
//! Beside the rules of [`Store::insert_logs`](crate::Store::insert_logs)
//! (overlap, one running timer, idempotent replays), such a write must keep
//! three more: a client id belongs to the employee who first used it, time
//! in an approved week is locked, and every week with time has its
//! timesheet. Asked one at a time they cost a dozen round trips and three
//! commits per request, which is what kept PostgreSQL from serving 1,000
//! agents (issue 14); as one call a backend decides them in one
//! transaction. This module holds what every backend shares: the request,
//! its outcomes, and the steps that need no database ([`screen`],
//! [`sheet_weeks`]); [`reference`] composes the other store calls one after
//! the other, as the default and as the conformance suite's yardstick.

use std::collections::{BTreeSet, HashSet};

use chrono::{NaiveDate, Utc};
use stint_model::{Instant, TimeLog, Timesheet, TimesheetStatus, User, WEEK_START, Week};
use uuid::Uuid;

use crate::{IdKind, Result, Store, StoreError, TimesheetFilter};

/// One employee's new logs from a sync request.
#[derive(Debug, Clone)]
pub struct LogRun {
    /// Whose logs these are; their time zone places the logs in weeks.
    pub employee: User,
    /// Client ids the request named for this employee that are claimed
    /// for them (see [`Store::claim_ids`](crate::Store::claim_ids)) besides
    /// the ids of `logs`: those of logs the server refused before the
    /// store (a bad project, say), which one write at a time claims too.
    pub claim: Vec<Uuid>,
    /// The logs in the request's order, each with the stop reason when it
    /// is a timer start (see [`Store::insert_log`](crate::Store::insert_log)).
    pub logs: Vec<(TimeLog, Option<String>)>,
}

/// What became of one log of a [`LogRun`].
#[derive(Debug)]
pub enum RunLog {
    /// Inserted (`created`), or already stored under its id (a replay).
    Stored { log: TimeLog, created: bool },
    /// Its id belongs to another employee: nothing was written.
    Taken,
    /// It touches the week `[start_date, end_date]`, whose timesheet is
    /// approved: nothing was written.
    Locked {
        start_date: NaiveDate,
        end_date: NaiveDate,
    },
    /// Refused as [`Store::insert_log`](crate::Store::insert_log) refuses
    /// (an overlap; `NotFound` for an employee outside the organization).
    Refused(StoreError),
}

/// The outcome of a [`LogRun`].
#[derive(Debug)]
pub struct RunOutcome {
    /// The ids among the claimed ones that belong to someone else.
    pub taken: Vec<Uuid>,
    /// One per log of the run, in its order.
    pub logs: Vec<RunLog>,
}

impl LogRun {
    /// Every id to claim, sorted and once each (claims that always run in
    /// one order cannot deadlock each other).
    pub(crate) fn ids_to_claim(&self) -> Vec<Uuid> {
        let mut ids: Vec<Uuid> = self.claim.clone();
        ids.extend(self.logs.iter().map(|(l, _)| l.id));
        ids.sort_unstable();
        ids.dedup();
        ids
    }

    /// The weeks `[start, stop)` touches in the employee's zone (a running
    /// log up to `now`).
    fn weeks(&self, log: &TimeLog, now: Instant) -> Vec<Week> {
        weeks_of(&self.employee, log, now)
    }

    /// From the first day of the first week a log touches to the last day
    /// of the last: where an approved sheet could lock one of them.
    pub(crate) fn span(&self, now: Instant) -> Option<(NaiveDate, NaiveDate)> {
        let weeks = self.logs.iter().flat_map(|(l, _)| self.weeks(l, now));
        let (lo, hi) = weeks.fold((None::<Week>, None::<Week>), |(lo, hi), w| {
            (
                Some(lo.map_or(w, |l| l.min(w))),
                Some(hi.map_or(w, |h| h.max(w))),
            )
        });
        Some((lo?.start, hi?.end()))
    }

    /// The employee's approved sheets inside [`span`](Self::span), as a
    /// store filter; `None` for an empty run.
    pub(crate) fn approved_filter(&self, now: Instant) -> Option<TimesheetFilter> {
        let (from, to) = self.span(now)?;
        Some(TimesheetFilter {
            org_id: self.employee.org_id,
            employee_ids: Some(vec![self.employee.id]),
            statuses: Some(vec![TimesheetStatus::Approved]),
            from: Some(from),
            to: Some(to),
            ..TimesheetFilter::default()
        })
    }
}

fn weeks_of(employee: &User, log: &TimeLog, now: Instant) -> Vec<Week> {
    Week::spanned(
        log.started_at,
        log.stopped_at,
        now,
        employee.tz(),
        WEEK_START,
    )
}

/// A run after its claims and its approved weeks are known: the logs that
/// go on to the insert, and the outcome of every other one.
#[derive(Debug)]
pub(crate) struct Screened {
    outcomes: Vec<Option<RunLog>>,
    positions: Vec<usize>,
    /// What goes on to [`Store::insert_logs`](crate::Store::insert_logs),
    /// in the run's order.
    pub insert: Vec<(TimeLog, Option<String>)>,
}

/// Refuses the logs whose id is `taken` and those touching an `approved`
/// week (`(start_date, end_date)` of each approved sheet); the others go on.
pub(crate) fn screen(
    run: &LogRun,
    taken: &HashSet<Uuid>,
    approved: &[(NaiveDate, NaiveDate)],
    now: Instant,
) -> Screened {
    let mut s = Screened {
        outcomes: Vec::with_capacity(run.logs.len()),
        positions: Vec::with_capacity(run.logs.len()),
        insert: Vec::with_capacity(run.logs.len()),
    };
    for (log, stop) in &run.logs {
        let weeks = run.weeks(log, now);
        let locked = approved
            .iter()
            .find(|(from, to)| weeks.iter().any(|w| *from <= w.end() && *to >= w.start));
        let refused = match locked {
            _ if taken.contains(&log.id) => Some(RunLog::Taken),
            Some(&(start_date, end_date)) => Some(RunLog::Locked {
                start_date,
                end_date,
            }),
            None => None,
        };
        if refused.is_none() {
            s.positions.push(s.outcomes.len());
            s.insert.push((log.clone(), stop.clone()));
        }
        s.outcomes.push(refused);
    }
    s
}

impl Screened {
    /// Every log's outcome, given the insert's (one per log sent on).
    pub(crate) fn finish(self, inserted: Vec<Result<(TimeLog, bool)>>) -> Vec<RunLog> {
        let mut outcomes = self.outcomes;
        for (at, result) in self.positions.into_iter().zip(inserted) {
            outcomes[at] = Some(match result {
                Ok((log, created)) => RunLog::Stored { log, created },
                Err(e) => RunLog::Refused(e),
            });
        }
        outcomes
            .into_iter()
            .map(|o| {
                o.unwrap_or_else(|| {
                    RunLog::Refused(StoreError::Backend("log left undecided".into()))
                })
            })
            .collect()
    }
}

/// `(start_date, end_date)` of each sheet, as [`screen`] takes them.
pub(crate) fn dates(sheets: &[Timesheet]) -> Vec<(NaiveDate, NaiveDate)> {
    sheets.iter().map(|s| (s.start_date, s.end_date)).collect()
}

/// The logs an insert created, as stored.
pub(crate) fn created(inserted: &[Result<(TimeLog, bool)>]) -> impl Iterator<Item = &TimeLog> {
    inserted.iter().filter_map(|r| match r {
        Ok((log, true)) => Some(log),
        _ => None,
    })
}

/// The weeks whose timesheets must exist once `created` (the logs the run
/// inserted, as stored) are in: each week any of them touches.
pub(crate) fn sheet_weeks<'a>(
    employee: &User,
    created: impl IntoIterator<Item = &'a TimeLog>,
    now: Instant,
) -> BTreeSet<Week> {
    created
        .into_iter()
        .flat_map(|l| weeks_of(employee, l, now))
        .collect()
}

/// The run as separate store calls, one after the other: the claims, the
/// approved sheets, [`Store::insert_logs`](crate::Store::insert_logs), then
/// a sheet per week. The default for backends that need nothing better,
/// and what the conformance suite compares the others with.
pub async fn reference<S: Store + ?Sized>(store: &S, run: LogRun) -> Result<RunOutcome> {
    let now = Utc::now();
    let e = &run.employee;
    let taken = store
        .claim_ids(e.org_id, IdKind::Log, e.id, &run.ids_to_claim())
        .await?;
    let approved = match run.approved_filter(now) {
        Some(f) => store.list_timesheets(&f).await?.0,
        None => Vec::new(),
    };
    let mut screened = screen(
        &run,
        &taken.iter().copied().collect(),
        &dates(&approved),
        now,
    );
    let inserted = store
        .insert_logs(std::mem::take(&mut screened.insert))
        .await?;
    for week in sheet_weeks(e, created(&inserted), now) {
        store
            .ensure_timesheet(Uuid::now_v7(), e.org_id, e.id, week.start, week.end())
            .await?;
    }
    Ok(RunOutcome {
        taken,
        logs: screened.finish(inserted),
    })
}

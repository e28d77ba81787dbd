//! An agent's sync of new logs (`Store::sync_logs`) in one write
//! transaction: the claims, the approved weeks, the inserts and the week's
//! sheets are each a call of their own module on the same transaction, so
//! the run takes the connection once instead of four times.

use chrono::Utc;
use rusqlite::Transaction;
use uuid::Uuid;

use super::{client_ids, logs, timesheets};
use crate::log_run::{LogRun, RunOutcome, created, dates, screen, sheet_weeks};
use crate::{IdKind, Result};

pub(super) fn sync_logs(tx: &Transaction<'_>, run: LogRun) -> Result<RunOutcome> {
    let now = Utc::now();
    let e = &run.employee;
    let taken = client_ids::claim_ids(tx, e.org_id, IdKind::Log, e.id, &run.ids_to_claim())?;
    let approved = match run.approved_filter(now) {
        Some(f) => timesheets::list_timesheets(tx, &f)?.0,
        None => Vec::new(),
    };
    let mut screened = screen(
        &run,
        &taken.iter().copied().collect(),
        &dates(&approved),
        now,
    );
    let inserted = logs::insert_logs(tx, std::mem::take(&mut screened.insert))?;
    for week in sheet_weeks(e, created(&inserted), now) {
        let (start, end) = (week.start, week.end());
        timesheets::ensure_timesheet(tx, Uuid::now_v7(), e.org_id, e.id, start, end)?;
    }
    Ok(RunOutcome {
        taken,
        logs: screened.finish(inserted),
    })
}

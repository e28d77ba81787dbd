//! The CSV export: one row per time log of a range, streamed a page at a
//! time from the store, so a year of a large company never sits in memory.
//!
//! Who is in it follows the list rule ([`Scope::of_caller`]):
//! yourself, a supervisor's direct reports, an admin's organization; ids
//! the caller may not see are left out, and an id that is no one in the
//! caller's organization (another organization's) is 404, as is a project
//! that is not the organization's.
//!
//! IDLE logs are rows like the others, marked by their log type; the
//! export has no total row, and a total made from it must leave IDLE rows
//! out (DESIGN.md: IDLE time is reported, not counted).

use std::collections::{HashMap, HashSet};
use std::io;
use std::sync::Arc;

use bytes::Bytes;
use chrono::{Duration, NaiveDate, SecondsFormat, Utc};
use chrono_tz::Tz;
use futures_util::{Stream, StreamExt};
use stint_model::{Instant, TimeLog, TimesheetStatus, User, Week, local_midnight};
use stint_store::{Filter, Store, TimesheetFilter};
use uuid::Uuid;

use super::WEEK_START;
use super::ledger::{Range, Scope};
use crate::auth::Caller;
use crate::error::AppResult;
use crate::state::AppState;

/// Logs read from the store per page (and written per body chunk).
pub const PAGE: u32 = 1000;

/// The header row, in column order.
pub const HEADER: [&str; 11] = [
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

/// What an export covers: local dates of the caller, both included.
pub struct ExportQuery {
    pub first: NaiveDate,
    pub last: NaiveDate,
    pub employee_ids: Vec<Uuid>,
    pub project_ids: Vec<Uuid>,
}

/// A checked export, ready to stream.
pub struct Export {
    /// `stint-YYYY-MM-DD-YYYY-MM-DD.csv`.
    pub filename: String,
    pub body: std::pin::Pin<Box<dyn Stream<Item = io::Result<Bytes>> + Send>>,
}

impl Export {
    /// The whole body written to `out`, a chunk at a time (what `stint
    /// report --csv` saves); the bytes written.
    pub async fn write_to(mut self, out: &mut impl io::Write) -> io::Result<u64> {
        let mut bytes = 0;
        while let Some(chunk) = self.body.next().await {
            let chunk = chunk?;
            out.write_all(&chunk)?;
            bytes += chunk.len() as u64;
        }
        out.flush()?;
        Ok(bytes)
    }
}

/// Checks the request (400 for a bad range, 404 for another
/// organization's ids) and returns the stream of CSV chunks: the header
/// row, then one chunk per page of logs.
pub async fn export(state: &AppState, caller: &Caller, q: ExportQuery) -> AppResult<Export> {
    let range = Range::new(q.first, q.last, None)?;
    let scope = Scope::of_caller(state, caller, q.employee_ids, q.project_ids).await?;
    Ok(csv(state.store.clone(), scope, &range, caller.user.tz()))
}

/// The export of `scope`'s logs overlapping `range`'s dates in `tz`: what
/// the endpoint streams, and what `stint report --csv` writes.
pub fn csv(store: Arc<dyn Store>, scope: Scope, range: &Range, tz: Tz) -> Export {
    let filter = Filter {
        org_id: scope.org_id,
        employee_ids: Some(scope.employees.keys().copied().collect()),
        project_ids: (!scope.project_ids.is_empty()).then(|| scope.project_ids.clone()),
        from: Some(local_midnight(range.first, tz)),
        to: Some(local_midnight(range.last + Duration::days(1), tz)),
    };
    let pages = Pages {
        store,
        done: scope.employees.is_empty(),
        filter,
        projects: scope
            .projects
            .iter()
            .map(|(id, p)| (*id, p.name.clone()))
            .collect(),
        employees: scope.employees,
        after: None,
        header_sent: false,
    };
    // Fused: a body wrapper (the gzip layer) may poll again after the end,
    // which a bare `unfold` answers with a panic.
    let body = futures_util::stream::unfold(pages, |mut p| async move {
        let chunk = p.next_chunk().await?;
        Some((chunk, p))
    })
    .fuse();
    Export {
        filename: format!("stint-{}-{}.csv", range.first, range.last),
        body: Box::pin(body),
    }
}

/// The export's reading position.
struct Pages {
    store: Arc<dyn Store>,
    filter: Filter,
    employees: HashMap<Uuid, User>,
    projects: HashMap<Uuid, String>,
    /// `(started_at, seq)` of the last log written.
    after: Option<(Instant, i64)>,
    header_sent: bool,
    done: bool,
}

impl Pages {
    /// The next chunk of the body; `None` at the end. A failure after the
    /// status line has gone out can only cut the body short: the error is
    /// logged and the connection is closed without the final chunk, so the
    /// client sees an incomplete download, never a truncated "success".
    async fn next_chunk(&mut self) -> Option<io::Result<Bytes>> {
        if !self.header_sent {
            self.header_sent = true;
            return Some(csv_chunk(|w| w.write_record(HEADER)));
        }
        if self.done {
            return None;
        }
        match self.page().await {
            Ok(Some(bytes)) => Some(Ok(bytes)),
            Ok(None) => None,
            Err(e) => {
                self.done = true;
                tracing::error!(error = %e, "CSV export failed mid-stream");
                Some(Err(e))
            }
        }
    }

    async fn page(&mut self) -> io::Result<Option<Bytes>> {
        let logs = self
            .store
            .page_logs(&self.filter, self.after, PAGE)
            .await
            .map_err(io::Error::other)?;
        if logs.len() < PAGE as usize {
            self.done = true;
        }
        let Some(last) = logs.last() else {
            return Ok(None);
        };
        self.after = Some((last.started_at, last.seq));
        let statuses = self.statuses(&logs).await.map_err(io::Error::other)?;
        let now = Utc::now();
        csv_chunk(|w| {
            logs.iter()
                .try_for_each(|l| w.write_record(self.row(l, &statuses, now)))
        })
        .map(Some)
    }

    fn week_of(&self, l: &TimeLog) -> Option<(Uuid, NaiveDate)> {
        let u = self.employees.get(&l.employee_id)?;
        Some((
            l.employee_id,
            Week::at(l.started_at, u.tz(), WEEK_START).start,
        ))
    }

    /// The status of the timesheet of each log's week (the week it starts
    /// in, in its employee's zone): one read per page.
    async fn statuses(
        &self,
        logs: &[TimeLog],
    ) -> stint_store::Result<HashMap<(Uuid, NaiveDate), TimesheetStatus>> {
        let weeks: HashSet<(Uuid, NaiveDate)> =
            logs.iter().filter_map(|l| self.week_of(l)).collect();
        let (Some(from), Some(to)) = (
            weeks.iter().map(|w| w.1).min(),
            weeks.iter().map(|w| w.1).max(),
        ) else {
            return Ok(HashMap::new());
        };
        let people: HashSet<Uuid> = weeks.iter().map(|w| w.0).collect();
        let (sheets, _) = self
            .store
            .list_timesheets(&TimesheetFilter {
                org_id: self.filter.org_id,
                employee_ids: Some(people.into_iter().collect()),
                from: Some(from),
                to: Some(to + Duration::days(6)),
                ..TimesheetFilter::default()
            })
            .await?;
        Ok(sheets
            .into_iter()
            .map(|s| ((s.employee_id, s.start_date), s.status))
            .filter(|(k, _)| weeks.contains(k))
            .collect())
    }

    fn row(
        &self,
        l: &TimeLog,
        statuses: &HashMap<(Uuid, NaiveDate), TimesheetStatus>,
        now: Instant,
    ) -> [String; 11] {
        let who = self.employees.get(&l.employee_id);
        let tz = who.map(User::tz).unwrap_or(chrono_tz::UTC);
        let local = |t: Instant| {
            t.with_timezone(&tz)
                .to_rfc3339_opts(SecondsFormat::Secs, false)
        };
        let seconds = (l.stopped_at.unwrap_or(now) - l.started_at)
            .num_seconds()
            .max(0);
        [
            l.started_at.with_timezone(&tz).date_naive().to_string(),
            safe(who.map(|u| u.name.as_str()).unwrap_or_default()),
            safe(who.map(|u| u.email.as_str()).unwrap_or_default()),
            safe(
                l.project_id
                    .and_then(|p| self.projects.get(&p))
                    .map(String::as_str)
                    .unwrap_or_default(),
            ),
            safe(&l.description),
            local(l.started_at),
            l.stopped_at.map(local).unwrap_or_default(),
            minutes(seconds),
            l.log_type.as_str().to_string(),
            l.source.as_str().to_string(),
            self.week_of(l)
                .and_then(|k| statuses.get(&k))
                .map(|s| s.gauzy().to_string())
                .unwrap_or_default(),
        ]
    }
}

/// Seconds as minutes with two decimals (`90` → `1.50`).
pub fn minutes(seconds: i64) -> String {
    format!("{}.{:02}", seconds / 60, (seconds % 60) * 100 / 60)
}

/// A text value a spreadsheet will not run: one beginning with `=`, `+`,
/// `-`, `@`, a tab or a carriage return gets a leading `'` (OWASP's advice
/// against CSV injection).
pub fn safe(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

/// Records written by `f` as RFC 4180 CSV (quoted where needed, CRLF).
fn csv_chunk(f: impl FnOnce(&mut csv::Writer<Vec<u8>>) -> csv::Result<()>) -> io::Result<Bytes> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::with_capacity(64 * 1024));
    f(&mut w).map_err(io::Error::other)?;
    let bytes = w
        .into_inner()
        .map_err(|e| io::Error::other(e.to_string()))?;
    Ok(Bytes::from(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised() {
        for s in ["=HYPERLINK(\"x\")", "+1", "-1", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(safe(s), format!("'{s}"));
        }
        assert_eq!(safe("plain -1"), "plain -1");
        assert_eq!(safe(""), "");
    }

    #[test]
    fn minutes_have_two_decimals() {
        assert_eq!(minutes(0), "0.00");
        assert_eq!(minutes(90), "1.50");
        assert_eq!(minutes(3600), "60.00");
        assert_eq!(minutes(61), "1.01");
    }
}

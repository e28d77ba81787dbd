//! Gauzy's time reports (daily, weekly, time limits) and `stint report`,
//! as groupings of one [`Ledger`]: the same entries grouped by date,
//! employee, project or period, so every report's totals add up alike.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};
use uuid::Uuid;

use super::WEEK_START;
use super::ledger::{Entry, Ledger, Range, Scope, Total, ledger};
use crate::auth::Caller;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// The caller's ledger: the list rule's people ([`Scope::of_caller`]) in
/// `range`.
pub async fn for_caller(
    state: &AppState,
    caller: &Caller,
    employee_ids: Vec<Uuid>,
    project_ids: Vec<Uuid>,
    range: Range,
) -> AppResult<Ledger> {
    let scope = Scope::of_caller(state, caller, employee_ids, project_ids).await?;
    let out = ledger(&state.store, scope, range).await?;
    tracing::debug!(entries = out.entries.len(), "report read");
    Ok(out)
}

/// Gauzy's `groupBy` of the daily report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupBy {
    Date,
    Employee,
    Project,
}

impl GroupBy {
    /// `date` (Gauzy's default), `employee` or `project`. Gauzy's `client`
    /// has no counterpart: Stint has no clients.
    pub fn parse(s: Option<&str>) -> AppResult<GroupBy> {
        match s.map(str::to_ascii_lowercase).as_deref() {
            None | Some("date") => Ok(GroupBy::Date),
            Some("employee") => Ok(GroupBy::Employee),
            Some("project") => Ok(GroupBy::Project),
            Some(other) => Err(AppError::bad_request(format!(
                "groupBy must be date, employee or project, got '{other}'"
            ))),
        }
    }

    /// The nesting of the daily report, outermost first, as Gauzy nests it:
    /// date → project → employee, employee → date → project, project →
    /// date → employee.
    pub fn levels(self) -> [Level; 3] {
        match self {
            GroupBy::Date => [Level::Date, Level::Project, Level::Employee],
            GroupBy::Employee => [Level::Employee, Level::Date, Level::Project],
            GroupBy::Project => [Level::Project, Level::Date, Level::Employee],
        }
    }
}

/// The time-limit report's period (Gauzy's `duration`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    Day,
    Week,
    Month,
}

impl Period {
    pub fn parse(s: Option<&str>) -> AppResult<Period> {
        match s.map(str::to_ascii_lowercase).as_deref() {
            None | Some("day") => Ok(Period::Day),
            Some("week") => Ok(Period::Week),
            Some("month") => Ok(Period::Month),
            Some(other) => Err(AppError::bad_request(format!(
                "duration must be day, week or month, got '{other}'"
            ))),
        }
    }

    /// The first day of the period holding `d` (weeks start on
    /// [`WEEK_START`], as timesheets do).
    pub fn start(self, d: NaiveDate) -> NaiveDate {
        match self {
            Period::Day => d,
            Period::Week => stint_model::Week::containing(d, WEEK_START).start,
            Period::Month => d.with_day(1).unwrap_or(d),
        }
    }
}

/// One way to group entries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Date,
    Employee,
    Project,
    Period(Period),
}

/// What a group is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Key {
    Date(NaiveDate),
    Employee(Uuid),
    /// `None`: time on no project.
    Project(Option<Uuid>),
}

/// A group of entries: its key, total, the groups inside it (by the next
/// level) and, at the innermost level, its entries.
pub struct Node<'a> {
    pub key: Key,
    pub total: Total,
    pub children: Vec<Node<'a>>,
    pub entries: Vec<&'a Entry>,
}

/// The ledger's entries grouped by `levels`, outermost first. Dates come
/// in order, people by name, projects by name with no project last.
pub fn tree<'a>(ledger: &'a Ledger, levels: &[Level]) -> Vec<Node<'a>> {
    nest(ledger, ledger.entries.iter().collect(), levels)
}

fn nest<'a>(ledger: &'a Ledger, entries: Vec<&'a Entry>, levels: &[Level]) -> Vec<Node<'a>> {
    let Some((level, inner)) = levels.split_first() else {
        return vec![];
    };
    let key = |e: &Entry| match level {
        Level::Date => Key::Date(e.date),
        Level::Period(p) => Key::Date(p.start(e.date)),
        Level::Employee => Key::Employee(e.employee_id),
        Level::Project => Key::Project(e.project_id),
    };
    let mut groups: HashMap<Key, Vec<&Entry>> = HashMap::new();
    for e in entries {
        groups.entry(key(e)).or_default().push(e);
    }
    let mut nodes: Vec<Node> = groups
        .into_iter()
        .map(|(key, entries)| Node {
            key,
            total: Total::of(entries.iter().copied()),
            children: nest(ledger, entries.clone(), inner),
            entries: if inner.is_empty() { entries } else { vec![] },
        })
        .collect();
    nodes.sort_by_cached_key(|n| order(ledger, n.key));
    nodes
}

/// How groups are ordered in a report.
fn order(ledger: &Ledger, key: Key) -> (NaiveDate, u8, String, Uuid) {
    let scope = &ledger.scope;
    match key {
        Key::Date(d) => (d, 0, String::new(), Uuid::nil()),
        Key::Employee(id) => {
            let name = scope.employees.get(&id).map(|u| u.name.to_lowercase());
            (NaiveDate::MIN, 0, name.unwrap_or_default(), id)
        }
        Key::Project(id) => match scope.project_name(id) {
            Some(n) => (NaiveDate::MIN, 0, n.to_lowercase(), id.unwrap_or_default()),
            None => (NaiveDate::MIN, 1, String::new(), Uuid::nil()),
        },
    }
}

/// Counted seconds per local day of the range, every day present (0 for
/// none): the weekly report's columns for one employee's entries.
pub fn per_day(range: &Range, node: &Node) -> Vec<(NaiveDate, i64)> {
    range
        .days()
        .map(|d| {
            let secs = node
                .children
                .iter()
                .find(|c| c.key == Key::Date(d))
                .map_or(0, |c| c.total.seconds);
            (d, secs)
        })
        .collect()
}

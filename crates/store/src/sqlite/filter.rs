//! Builds the WHERE clause of list queries from a [`Filter`]: each rule
//! adds a condition and its parameters, so the SQL text never contains
//! caller data.

use rusqlite::types::Value;
use uuid::Uuid;

use super::rows::{id, ms};
use crate::Filter;

/// Conditions joined with AND, with their positional parameters.
#[derive(Default)]
pub(super) struct Where {
    conds: Vec<String>,
    pub(super) params: Vec<Value>,
}

impl Where {
    /// `cond` with `?` placeholders for `params`, in order.
    pub(super) fn and(&mut self, cond: impl Into<String>, params: impl IntoIterator<Item = Value>) {
        self.conds.push(cond.into());
        self.params.extend(params);
    }

    /// `column IN (ids)`; an empty list matches nothing.
    pub(super) fn any_of(&mut self, column: &str, ids: &[Uuid]) {
        if ids.is_empty() {
            self.and("0", []);
            return;
        }
        let marks = vec!["?"; ids.len()].join(", ");
        self.and(
            format!("{column} IN ({marks})"),
            ids.iter().map(|u| Value::Text(id(*u))),
        );
    }

    /// Organization, employees and projects of `f` (range rules differ per
    /// table and are added by the caller).
    pub(super) fn scope(f: &Filter, employee_col: &str, project_col: Option<&str>) -> Where {
        let mut w = Where::default();
        w.and("org_id = ?", [Value::Text(id(f.org_id))]);
        if let Some(ids) = &f.employee_ids {
            w.any_of(employee_col, ids);
        }
        if let (Some(col), Some(ids)) = (project_col, &f.project_ids) {
            w.any_of(col, ids);
        }
        w
    }

    /// Point-in-time rows: `from <= column < to`.
    pub(super) fn instant_in_range(&mut self, column: &str, f: &Filter) {
        if let Some(from) = f.from {
            self.and(format!("{column} >= ?"), [Value::Integer(ms(from))]);
        }
        if let Some(to) = f.to {
            self.and(format!("{column} < ?"), [Value::Integer(ms(to))]);
        }
    }

    /// ` WHERE a AND b` (or nothing).
    pub(super) fn sql(&self) -> String {
        if self.conds.is_empty() {
            String::new()
        } else {
            format!(" WHERE {}", self.conds.join(" AND "))
        }
    }
}

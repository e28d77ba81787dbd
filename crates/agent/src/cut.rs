//! Taking a stretch of time out of the logs: what deleting a screenshot
//! before upload does to the time it stood for (as Hubstaff does). Pure:
//! it answers with the [`Change`]s to write, each with the log's own
//! project and description.

use stint_model::{Instant, LogType};
use uuid::Uuid;

use crate::outbox::{LocalLog, LogContext};
use crate::tracker::Change;

/// The changes that remove `[from, to)` from a closed log; a running log is
/// the tracker's to cut (see `Tracker::cut`), so it is left alone here.
pub fn cut_log(log: &LocalLog, from: Instant, to: Instant) -> (Vec<Change>, LogContext) {
    let ctx = LogContext {
        project_id: log.project_id,
        task_id: log.task_id,
        description: log.description.clone(),
    };
    let Some(stopped) = log.stopped_at else {
        return (vec![], ctx);
    };
    if from >= to || stopped <= from || log.started_at >= to {
        return (vec![], ctx);
    }
    let mut out = Vec::new();
    if log.started_at < from {
        out.push(Change::Closed {
            id: log.id,
            at: from,
        });
    } else {
        out.push(Change::Deleted { id: log.id });
    }
    if stopped > to {
        out.extend(rest(log.log_type, to, Some(stopped)));
    }
    (out, ctx)
}

/// A new log of `log_type` from `at` (closed at `stopped` when given):
/// what is left after the cut.
pub fn rest(log_type: LogType, at: Instant, stopped: Option<Instant>) -> Vec<Change> {
    let id = Uuid::now_v7();
    let mut out = vec![Change::Opened { id, log_type, at }];
    out.extend(stopped.map(|at| Change::Closed { id, at }));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};

    fn t(min: u32) -> Instant {
        Utc.with_ymd_and_hms(2026, 6, 8, 9, min, 0).unwrap()
    }

    fn log(from: u32, to: Option<u32>) -> LocalLog {
        LocalLog {
            description: "work".into(),
            ..LocalLog::new(LogType::Tracked, t(from), to.map(t))
        }
    }

    #[test]
    fn a_log_around_the_window_is_split_in_two() {
        let l = log(0, Some(30));
        let (c, ctx) = cut_log(&l, t(10), t(20));
        assert_eq!(ctx.description, "work");
        assert_eq!(
            c[0],
            Change::Closed {
                id: l.id,
                at: t(10)
            }
        );
        assert!(
            matches!(c[1], Change::Opened { at, log_type: LogType::Tracked, .. } if at == t(20))
        );
        assert!(matches!(c[2], Change::Closed { at, .. } if at == t(30)));
    }

    #[test]
    fn a_log_inside_the_window_goes_and_edges_are_trimmed() {
        let inside = log(12, Some(18));
        assert_eq!(
            cut_log(&inside, t(10), t(20)).0,
            vec![Change::Deleted { id: inside.id }]
        );
        let before = log(0, Some(15));
        assert_eq!(
            cut_log(&before, t(10), t(20)).0,
            vec![Change::Closed {
                id: before.id,
                at: t(10)
            }]
        );
        let after = log(15, Some(30));
        let c = cut_log(&after, t(10), t(20)).0;
        assert_eq!(c[0], Change::Deleted { id: after.id });
        assert!(matches!(c[1], Change::Opened { at, .. } if at == t(20)));
    }

    #[test]
    fn logs_outside_the_window_and_running_logs_are_left() {
        assert!(cut_log(&log(0, Some(10)), t(10), t(20)).0.is_empty());
        assert!(cut_log(&log(20, Some(30)), t(10), t(20)).0.is_empty());
        assert!(cut_log(&log(0, None), t(10), t(20)).0.is_empty());
    }
}

//! Deciding a batch of one employee's log inserts in memory (see
//! [`crate::Store::insert_logs`]), for both backends; the reference is
//! [`crate::one_by_one`].
//!
//! The agent syncs hundreds of logs a request. Deciding them one by one in
//! the database costs a handful of statements each (on PostgreSQL round
//! trips and a commit; on SQLite a savepoint, an overlap query and a read
//! back); instead a backend locks the employee once, loads what the batch could touch (the
//! logs with the batch's ids, the employee's live logs near the batch's time
//! span, the running ones) and lets [`plan`] decide every log in order, as
//! `insert_log` would one after the other. It then writes the plan: the
//! stops of stored running logs and one multi-row insert.
//!
//! Why loading "near" logs is enough: an employee's live logs never overlap
//! each other (every write is checked under the employee lock), so the
//! earliest log clashing with `[start, stop)` is either the last one
//! starting at or before `start` or else the first one starting inside
//! `(start, stop)`. [`near_bounds`] gives the bounds that cover every log of
//! the batch that way, and the same two probes run here on a sorted map.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use stint_model::{Instant, TimeLog};
use uuid::Uuid;

use crate::{Result, StoreError};

/// What a log of the batch became.
#[derive(Debug)]
pub(crate) enum Decision {
    /// Inserted by this batch (`true`), or a repeated id of a log inserted
    /// earlier in this batch (`false`): the row comes from the insert.
    Batch { id: Uuid, created: bool },
    /// Already stored (deleted or not): nothing is written.
    Known(TimeLog),
    /// Refused (an overlap); nothing of it is written.
    Refused(StoreError),
}

/// A stored running log to stop where a newer running log starts.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Stop {
    pub seq: i64,
    pub at: Instant,
    pub reason: String,
}

#[derive(Debug)]
pub(crate) struct Plan {
    /// One per log of the batch, in its order.
    pub decisions: Vec<Decision>,
    /// Stored logs to stop, in the order they were stopped.
    pub stops: Vec<Stop>,
    /// The logs to insert as they end the batch (a later log of the batch
    /// may have stopped an earlier running one).
    pub inserts: Vec<TimeLog>,
}

/// The employee's live logs a batch must be checked against: the last one
/// starting before `from`, all starting in `[from, to)` (`to = None`: no
/// end), and every running one.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct NearBounds {
    pub from: Instant,
    pub to: Option<Instant>,
}

/// The bounds covering every log of `logs`; `None` for an empty batch.
pub(crate) fn near_bounds(logs: &[(TimeLog, Option<String>)]) -> Option<NearBounds> {
    let from = logs.iter().map(|(l, _)| l.started_at).min()?;
    let to = logs
        .iter()
        .map(|(l, _)| l.stopped_at)
        .try_fold(Instant::MIN_UTC, |hi, s| s.map(|s| hi.max(s)));
    Some(NearBounds { from, to })
}

/// Position of a log in `(started_at, seq)` order; logs of the batch come
/// after every stored one (they get higher seqs), in batch order.
type Key = (i64, i64);
const BATCH_ORDER: i64 = 1 << 62;

/// The employee's live logs as the batch goes on.
struct Timeline {
    logs: BTreeMap<Key, TimeLog>,
    running: BTreeSet<Key>,
}

impl Timeline {
    fn new(near: Vec<TimeLog>) -> Timeline {
        let mut t = Timeline {
            logs: BTreeMap::new(),
            running: BTreeSet::new(),
        };
        for log in near {
            t.add((millis(log.started_at), log.seq), log);
        }
        t
    }

    fn add(&mut self, key: Key, log: TimeLog) {
        if log.stopped_at.is_none() {
            self.running.insert(key);
        }
        self.logs.insert(key, log);
    }

    /// The running logs stopping at `start` would stop, or the first one
    /// that starts at or after it (the new log lies inside it).
    fn to_stop(&self, start: i64) -> Result<Vec<Key>, &TimeLog> {
        let mut keys = Vec::new();
        for key in &self.running {
            if key.0 >= start {
                return Err(&self.logs[key]);
            }
            keys.push(*key);
        }
        Ok(keys)
    }

    /// The earliest log sharing time with `[start, stop)`, counting the
    /// logs in `stopping` as ending at `start`. Touching ends do not clash.
    fn first_clash(&self, start: i64, stop: Option<i64>, stopping: &[Key]) -> Option<&TimeLog> {
        let ends_after_start = |key: &Key, log: &TimeLog| {
            !stopping.contains(key) && log.stopped_at.is_none_or(|s| millis(s) > start)
        };
        let before = self.logs.range(..=(start, i64::MAX)).next_back();
        if let Some((key, log)) = before
            && ends_after_start(key, log)
        {
            return Some(log);
        }
        self.logs
            .range((start + 1, i64::MIN)..)
            .next()
            .filter(|(key, _)| stop.is_none_or(|s| key.0 < s))
            .map(|(_, log)| log)
    }
}

/// Decides `logs` in order against the stored logs with their ids (`known`,
/// deleted or not) and the employee's live logs inside [`near_bounds`]
/// (`near`). `now` stamps the logs it stops.
pub(crate) fn plan(
    logs: Vec<(TimeLog, Option<String>)>,
    known: Vec<TimeLog>,
    near: Vec<TimeLog>,
    now: Instant,
) -> Plan {
    let known: HashMap<Uuid, TimeLog> = known.into_iter().map(|l| (l.id, l)).collect();
    let mut timeline = Timeline::new(near);
    let mut in_batch: HashMap<Uuid, Key> = HashMap::new();
    let mut decisions = Vec::with_capacity(logs.len());
    let mut stops = Vec::new();
    for (i, (log, stop_reason)) in logs.into_iter().enumerate() {
        if let Some(stored) = known.get(&log.id) {
            decisions.push(Decision::Known(stored.clone()));
            continue;
        }
        if in_batch.contains_key(&log.id) {
            decisions.push(Decision::Batch {
                id: log.id,
                created: false,
            });
            continue;
        }
        let start = millis(log.started_at);
        let stopping = match stop_reason.as_ref().map(|_| timeline.to_stop(start)) {
            None => Vec::new(),
            Some(Ok(keys)) => keys,
            Some(Err(inside)) => {
                decisions.push(overlap(inside));
                continue;
            }
        };
        if let Some(clash) = timeline.first_clash(start, log.stopped_at.map(millis), &stopping) {
            decisions.push(overlap(clash));
            continue;
        }
        for key in stopping {
            timeline.running.remove(&key);
            let stopped = timeline
                .logs
                .get_mut(&key)
                .expect("a running log is on the timeline");
            stopped.stopped_at = Some(log.started_at);
            stopped.stopped_reason = stop_reason.clone();
            stopped.updated_at = now;
            if key.1 < BATCH_ORDER {
                stops.push(Stop {
                    seq: key.1,
                    at: log.started_at,
                    reason: stop_reason.clone().unwrap_or_default(),
                });
            }
        }
        let key = (start, BATCH_ORDER + i as i64);
        in_batch.insert(log.id, key);
        decisions.push(Decision::Batch {
            id: log.id,
            created: true,
        });
        timeline.add(key, log);
    }
    let mut inserts: Vec<(i64, TimeLog)> = timeline
        .logs
        .into_iter()
        .filter(|(key, _)| key.1 >= BATCH_ORDER)
        .map(|(key, log)| (key.1, log))
        .collect();
    inserts.sort_by_key(|(order, _)| *order);
    Plan {
        decisions,
        stops,
        inserts: inserts.into_iter().map(|(_, log)| log).collect(),
    }
}

/// `log` as its row reads back once inserted with `seq`: the columns keep
/// instants to the millisecond. Backends answer what they wrote without
/// reading it back.
pub(crate) fn as_stored(log: TimeLog, seq: i64) -> TimeLog {
    use stint_model::to_millis_precision as ms;
    TimeLog {
        seq,
        started_at: ms(log.started_at),
        stopped_at: log.stopped_at.map(ms),
        created_at: ms(log.created_at),
        updated_at: ms(log.updated_at),
        ..log
    }
}

/// Each log's outcome, in the batch's order, once the plan's inserts are
/// written (`inserted`: those rows as stored, in any order).
pub(crate) fn outcomes(
    decisions: Vec<Decision>,
    inserted: Vec<TimeLog>,
) -> Vec<Result<(TimeLog, bool)>> {
    let by_id: HashMap<Uuid, TimeLog> = inserted.into_iter().map(|l| (l.id, l)).collect();
    decisions
        .into_iter()
        .map(|d| match d {
            Decision::Batch { id, created } => {
                by_id
                    .get(&id)
                    .cloned()
                    .map(|l| (l, created))
                    .ok_or(StoreError::Backend(format!(
                        "inserted log {id} not returned"
                    )))
            }
            Decision::Known(log) => Ok((log, false)),
            Decision::Refused(e) => Err(e),
        })
        .collect()
}

fn overlap(with: &TimeLog) -> Decision {
    Decision::Refused(StoreError::Overlap(Box::new(with.clone())))
}

fn millis(t: Instant) -> i64 {
    t.timestamp_millis()
}

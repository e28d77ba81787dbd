//! `insert_logs`: a batch decides exactly what one `insert_log` after the
//! other would, each log with its own outcome.

use stint_model::{TimeLog, User};
use uuid::Uuid;

use super::{Shared, World, assert_not_found, at, log_of, ok};
use crate::{Filter, Result, StoreError};

/// What a test compares of an outcome: created, already there, or an
/// overlap naming the clash (by its position in the script, so that two
/// employees' runs of the same script compare equal).
#[derive(Debug, PartialEq)]
enum Seen {
    Created,
    Known(usize),
    Overlap(usize),
    Other(String),
}

/// Omar's stored history, then one batch exercising every rule: new logs,
/// an id sent twice, a log already stored, clashes with stored logs and
/// with earlier logs of the same batch, timers stopping a stored running
/// log and a running log of the batch, a timer inside the running one.
/// Jane gets the same history and the same logs one `insert_log` at a
/// time: outcomes and the resulting logs must be the same.
pub async fn insert_logs_decides_as_one_insert_after_another(store: Shared) {
    let w = World::new(&*store).await;
    let stop = Some("started elsewhere".to_string());
    // (start, stop, stop_running) by minute of day 0; the first three are stored.
    let script: Vec<(u32, Option<u32>, bool)> = vec![
        (8 * 60, Some(9 * 60), false),             // 0 stored
        (9 * 60 + 30, Some(10 * 60), false),       // 1 stored
        (11 * 60, None, false),                    // 2 stored, running
        (7 * 60, Some(8 * 60), false),             // 3 new, touches 0
        (8 * 60 + 30, Some(8 * 60 + 45), false),   // 4 inside 0
        (9 * 60, Some(9 * 60 + 30), false),        // 5 fills the gap exactly
        (10 * 60, Some(10 * 60 + 30), false),      // 6 new
        (10 * 60 + 15, Some(10 * 60 + 40), false), // 7 clashes with 6 (batch)
        (12 * 60, Some(13 * 60), false),           // 8 after the running 2
        (10 * 60 + 50, None, true),                // 9 timer inside... before 2: overlap 2
        (12 * 60, None, true),                     // 10 timer: stops 2 at 12:00
        (13 * 60, None, true),                     // 11 timer: stops 10 (batch) at 13:00
        (12 * 60 + 30, Some(12 * 60 + 40), false), // 12 inside 10 (now 12:00–13:00)
        (14 * 60, Some(15 * 60), false),           // 13 inside running 11
    ];
    let make = |who: &User, (start, stop_at, _): (u32, Option<u32>, bool)| {
        let t = |m: u32| at(0, m / 60, m % 60);
        log_of(who, None, t(start), stop_at.map(t))
    };
    let run = |who: User, one_by_one: bool| {
        let store = store.clone();
        let script = script.clone();
        let stop = stop.clone();
        async move {
            let logs: Vec<TimeLog> = script.iter().map(|s| make(&who, *s)).collect();
            for log in &logs[..3] {
                ok(store.insert_log(log.clone(), None).await);
            }
            let mut batch: Vec<(TimeLog, Option<String>)> = logs[3..]
                .iter()
                .zip(&script[3..])
                .map(|(l, s)| (l.clone(), s.2.then(|| stop.clone().unwrap_or_default())))
                .collect();
            // Sent twice in the batch, and a stored one sent again.
            batch.insert(4, batch[0].clone());
            batch.push((logs[1].clone(), None));
            let outcomes = if one_by_one {
                let mut out = Vec::new();
                for (log, reason) in batch {
                    out.push(store.insert_log(log, reason).await);
                }
                out
            } else {
                ok(store.insert_logs(batch).await)
            };
            let seen: Vec<Seen> = outcomes.iter().map(|o| seen(o, &logs)).collect();
            let after = ok(store
                .list_logs(&Filter {
                    employee_ids: Some(vec![who.id]),
                    ..Filter::org(who.org_id)
                })
                .await);
            let shape: Vec<_> = after
                .iter()
                .map(|l| {
                    let i = logs
                        .iter()
                        .position(|x| x.id == l.id)
                        .expect("a script log");
                    (i, l.started_at, l.stopped_at, l.stopped_reason.clone())
                })
                .collect();
            (seen, shape)
        }
    };
    let (batch_seen, batch_logs) = run(w.omar.clone(), false).await;
    let (single_seen, single_logs) = run(w.jane.clone(), true).await;
    assert_eq!(batch_seen, single_seen, "outcomes, batch vs one by one");
    assert_eq!(batch_logs, single_logs, "stored logs, batch vs one by one");
    use Seen::*;
    assert_eq!(
        batch_seen,
        vec![
            Created,
            Overlap(0),
            Created,
            Created,
            Known(3),
            Overlap(6),
            Overlap(2),
            Overlap(2),
            Created,
            Created,
            Overlap(10),
            Overlap(11),
            Known(1),
        ]
    );
    let stopped: Vec<_> = batch_logs
        .iter()
        .filter(|l| l.3.is_some())
        .map(|l| (l.0, l.2))
        .collect();
    assert_eq!(
        stopped,
        vec![(2, Some(at(0, 12, 0))), (10, Some(at(0, 13, 0)))],
        "the stored timer and the batch's first timer were stopped"
    );
}

fn seen(outcome: &Result<(TimeLog, bool)>, script: &[TimeLog]) -> Seen {
    let index = |id: Uuid| {
        script
            .iter()
            .position(|l| l.id == id)
            .expect("a script log")
    };
    match outcome {
        Ok((log, true)) => {
            assert!(log.seq > 0, "a created log comes back as stored");
            Seen::Created
        }
        Ok((log, false)) => Seen::Known(index(log.id)),
        Err(StoreError::Overlap(clash)) => Seen::Overlap(index(clash.id)),
        Err(e) => Seen::Other(e.to_string()),
    }
}

/// A sync of many logs at once (the agent's batch after a day offline):
/// all stored, each once; sending the batch again creates nothing.
pub async fn insert_logs_takes_a_large_batch_once(store: Shared) {
    let w = World::new(&*store).await;
    let batch: Vec<(TimeLog, Option<String>)> = (0..1500)
        .map(|i| {
            let start = at(0, 0, 0) + chrono::Duration::minutes(i);
            let stop = start + chrono::Duration::seconds(50);
            (log_of(&w.omar, Some(&w.website), start, Some(stop)), None)
        })
        .collect();
    let first = ok(store.insert_logs(batch.clone()).await);
    assert_eq!(first.len(), 1500);
    for (o, (sent, _)) in first.iter().zip(&batch) {
        let (log, created) = o.as_ref().expect("every log is created");
        assert!(*created);
        assert_eq!(
            TimeLog {
                seq: 0,
                ..log.clone()
            },
            *sent,
            "stored as given"
        );
    }
    let again = ok(store.insert_logs(batch.clone()).await);
    assert!(again.iter().all(|o| matches!(o, Ok((_, false)))));
    let stored = ok(store.list_logs(&Filter::org(w.acme.id)).await);
    assert_eq!(stored.len(), 1500);

    // `logs` finds the live ones among ids, in this organization only.
    let mut ids: Vec<Uuid> = batch.iter().map(|(l, _)| l.id).take(10).collect();
    ok(store.delete_log(w.acme.id, ids[0]).await);
    ids.push(Uuid::now_v7());
    let mut found: Vec<Uuid> = ok(store.logs(w.acme.id, &ids).await)
        .iter()
        .map(|l| l.id)
        .collect();
    found.sort();
    assert_eq!(found, ids[1..10].to_vec(), "live, known ids only");
    assert!(ok(store.logs(w.globex.id, &ids).await).is_empty());
    assert!(ok(store.insert_logs(vec![]).await).is_empty());
}

/// Logs for an employee of another organization (or nobody): every log is
/// NotFound and nothing is written.
pub async fn insert_logs_for_a_stranger_finds_nobody(store: Shared) {
    let w = World::new(&*store).await;
    let mut strays = vec![];
    for who in [&w.omar, &w.eve] {
        let mut log = log_of(who, None, at(0, 9, 0), Some(at(0, 10, 0)));
        log.org_id = w.globex.id;
        log.employee_id = if who.id == w.eve.id {
            Uuid::now_v7()
        } else {
            who.id
        };
        strays.push(log);
    }
    for log in strays {
        let out = ok(store
            .insert_logs(vec![(log.clone(), None), (log, None)])
            .await);
        assert_eq!(out.len(), 2);
        for o in out {
            assert_not_found(o);
        }
    }
    assert!(ok(store.list_logs(&Filter::org(w.globex.id)).await).is_empty());
    assert!(ok(store.list_logs(&Filter::org(w.acme.id)).await).is_empty());
}

//! `sync_logs`: a run of new logs decides exactly what the reference (the
//! claims, the approved weeks, `insert_logs`, the sheets, one call after the
//! other) decides, each log with its own outcome, and claims ids atomically.

use chrono::NaiveDate;
use stint_model::{TimeLog, Timesheet, TimesheetStatus, User};
use uuid::Uuid;

use super::{Shared, World, at, date, log_of, ok};
use crate::log_run::reference;
use crate::{Filter, IdKind, LogRun, RunLog, RunOutcome, Store, StoreError, TimesheetFilter};

/// What a test compares of an outcome, by positions in the script so that
/// two employees' runs of one script compare equal.
#[derive(Debug, PartialEq)]
enum Seen {
    Created,
    Known(usize),
    Taken,
    Locked(NaiveDate, NaiveDate),
    Overlap(usize),
    Other(String),
}

/// One employee's stored history and run, built the same for anyone.
struct Script {
    /// Stored before the run: 08:00–09:00 and a timer running since 11:00.
    stored: Vec<TimeLog>,
    /// The run's logs in order (see [`run_of`]).
    run: Vec<(TimeLog, Option<String>)>,
    /// An id only claimed (a log the server refused before the store).
    claim_only: Uuid,
}

/// Omar and Jane, each with the same history, each run once through the
/// backend's `sync_logs` and once through the reference: the outcomes, the
/// stored logs, the sheets and the claims must be the same.
pub async fn sync_logs_decides_as_the_reference(store: Shared) {
    let w = World::new(&*store).await;
    let mut seen = Vec::new();
    let mut claimed = Vec::new();
    for (who, by_reference) in [(&w.omar, false), (&w.jane, true)] {
        let script = script_for(&*store, &w, who).await;
        claimed.push(script.claim_only);
        let run = LogRun {
            employee: who.clone(),
            claim: vec![script.claim_only],
            logs: script.run.clone(),
        };
        let outcome = if by_reference {
            ok(reference(&*store, run).await)
        } else {
            ok(store.sync_logs(run).await)
        };
        let all: Vec<&TimeLog> = script
            .stored
            .iter()
            .chain(script.run.iter().map(|(l, _)| l))
            .collect();
        let outcomes: Vec<Seen> = outcome.logs.iter().map(|o| seen_of(o, &all)).collect();
        let taken: Vec<bool> = [script.run[2].0.id, script.claim_only]
            .iter()
            .map(|id| outcome.taken.contains(id))
            .collect();
        let logs = ok(store
            .list_logs(&Filter {
                employee_ids: Some(vec![who.id]),
                ..Filter::org(w.acme.id)
            })
            .await);
        let shape: Vec<_> = logs
            .iter()
            .map(|l| {
                let i = all.iter().position(|x| x.id == l.id).expect("a script log");
                (i, l.started_at, l.stopped_at, l.stopped_reason.clone())
            })
            .collect();
        let weeks: Vec<(NaiveDate, TimesheetStatus)> = sheets(&*store, who)
            .await
            .iter()
            .map(|s| (s.start_date, s.status))
            .collect();
        seen.push((outcomes, taken, shape, weeks));
    }
    let (backend, reference) = (&seen[0], &seen[1]);
    assert_eq!(backend.0, reference.0, "outcomes, sync_logs vs reference");
    assert_eq!(backend.1, reference.1, "taken ids");
    assert_eq!(backend.2, reference.2, "stored logs");
    assert_eq!(backend.3, reference.3, "sheets");
    use Seen::*;
    assert_eq!(
        backend.0,
        vec![
            Created,
            Locked(date(2026, 3, 22), date(2026, 3, 28)),
            Taken,
            Overlap(0),
            Created,
            Created,
            Known(1),
            Created,
        ]
    );
    assert_eq!(backend.1, vec![true, false], "the claim-only id was new");
    let weeks: Vec<NaiveDate> = backend.3.iter().map(|w| w.0).collect();
    assert_eq!(
        weeks,
        [date(2026, 3, 22), date(2026, 3, 29), date(2026, 4, 5)],
        "the approved week, then both weeks of the log crossing midnight"
    );
    // The claim-only ids are now Omar's and Jane's.
    let lenas = ok(store
        .claim_ids(w.acme.id, IdKind::Log, w.lena.id, &claimed)
        .await);
    assert_eq!(lenas.len(), 2, "{lenas:?}");
}

/// The run for `who`: new 07:00–08:00 (touching the stored 08:00), a log in
/// the approved week, a log whose id Lena holds, a clash with 08:00–09:00,
/// a log crossing midnight into a new week (Saturday to Sunday in Berlin),
/// a timer start at 12:00 (stopping the stored 11:00 timer), the stored
/// timer sent again (a replay), and a log whose id `who` claimed before.
async fn script_for(store: &dyn Store, w: &World, who: &User) -> Script {
    let stop = Some("started elsewhere".to_string());
    let stored = vec![
        log_of(who, None, at(0, 8, 0), Some(at(0, 9, 0))),
        log_of(who, None, at(0, 11, 0), None),
    ];
    for log in &stored {
        ok(store.insert_log(log.clone(), None).await);
    }
    // The week of 22 March is approved.
    let (mut sheet, _) = ok(store
        .ensure_timesheet(
            Uuid::now_v7(),
            who.org_id,
            who.id,
            date(2026, 3, 22),
            date(2026, 3, 28),
        )
        .await);
    sheet.status = TimesheetStatus::Approved;
    ok(store.update_timesheets(&[sheet]).await);
    let lenas = Uuid::now_v7();
    ok(store
        .claim_ids(w.acme.id, IdKind::Log, w.lena.id, &[lenas])
        .await);
    let mine = Uuid::now_v7();
    ok(store
        .claim_ids(w.acme.id, IdKind::Log, who.id, &[mine])
        .await);
    let t = |d: i64, h: u32, m: u32| at(d, h, m);
    let mut taken = log_of(who, None, t(0, 5, 0), Some(t(0, 6, 0)));
    taken.id = lenas;
    let mut claimed_before = log_of(who, None, t(0, 6, 0), Some(t(0, 6, 30)));
    claimed_before.id = mine;
    let run = vec![
        (log_of(who, None, t(0, 7, 0), Some(t(0, 8, 0))), None),
        (log_of(who, None, t(-13, 10, 0), Some(t(-13, 11, 0))), None),
        (taken, None),
        (log_of(who, None, t(0, 8, 30), Some(t(0, 8, 45))), None),
        // Saturday 4 April 23:30 to Sunday 00:30 in Berlin (UTC+2).
        (log_of(who, None, t(-3, 21, 30), Some(t(-3, 22, 30))), None),
        (log_of(who, None, t(0, 12, 0), None), stop.clone()),
        (stored[1].clone(), None),
        (claimed_before, None),
    ];
    Script {
        stored,
        run,
        claim_only: Uuid::now_v7(),
    }
}

async fn sheets(store: &dyn Store, who: &User) -> Vec<Timesheet> {
    let mut all = ok(store
        .list_timesheets(&TimesheetFilter {
            org_id: who.org_id,
            employee_ids: Some(vec![who.id]),
            ..TimesheetFilter::default()
        })
        .await)
    .0;
    all.sort_by_key(|s| s.start_date);
    // Only up to the run's last week: the running timer's weeks reach today.
    all.retain(|s| s.start_date <= date(2026, 4, 5));
    all
}

fn seen_of(outcome: &RunLog, script: &[&TimeLog]) -> Seen {
    let index = |id: Uuid| {
        script
            .iter()
            .position(|l| l.id == id)
            .expect("a script log")
    };
    match outcome {
        RunLog::Stored { log, created: true } => {
            assert!(log.seq > 0, "a created log comes back as stored");
            Seen::Created
        }
        RunLog::Stored { log, .. } => Seen::Known(index(log.id)),
        RunLog::Taken => Seen::Taken,
        RunLog::Locked {
            start_date,
            end_date,
        } => Seen::Locked(*start_date, *end_date),
        RunLog::Refused(StoreError::Overlap(clash)) => Seen::Overlap(index(clash.id)),
        RunLog::Refused(e) => Seen::Other(e.to_string()),
    }
}

/// Two people syncing a log with the same new id at once: exactly one of
/// them gets it, the other is told it is taken, and one log is stored.
pub async fn concurrent_runs_claim_an_id_once(store: Shared) {
    let w = World::new(&*store).await;
    for round in 0..5 {
        let id = Uuid::now_v7();
        let mut tasks = Vec::new();
        for who in [&w.omar, &w.jane] {
            let mut log = log_of(who, None, at(round, 9, 0), Some(at(round, 10, 0)));
            log.id = id;
            let run = LogRun {
                employee: who.clone(),
                claim: Vec::new(),
                logs: vec![(log, None)],
            };
            let store = store.clone();
            tasks.push(tokio::spawn(async move { ok(store.sync_logs(run).await) }));
        }
        let mut created = 0;
        for t in tasks {
            let RunOutcome { taken, logs } = t.await.expect("the task ran");
            match &logs[..] {
                [RunLog::Stored { created: true, .. }] => created += 1,
                [RunLog::Taken] => assert_eq!(taken, vec![id]),
                other => panic!("expected created or taken, got {other:?}"),
            }
        }
        assert_eq!(created, 1, "round {round}: one winner");
        assert_eq!(ok(store.logs(w.acme.id, &[id]).await).len(), 1);
    }
}

/// A replayed run changes nothing: every created log comes back as stored,
/// no sheet is added, and an empty run still claims its ids.
pub async fn a_replayed_run_changes_nothing(store: Shared) {
    let w = World::new(&*store).await;
    let logs: Vec<(TimeLog, Option<String>)> = (0..20)
        .map(|i| {
            let start = at(0, 0, 0) + chrono::Duration::minutes(i);
            let stop = start + chrono::Duration::seconds(50);
            (log_of(&w.omar, Some(&w.website), start, Some(stop)), None)
        })
        .collect();
    let run = LogRun {
        employee: w.omar.clone(),
        claim: Vec::new(),
        logs,
    };
    let first = ok(store.sync_logs(run.clone()).await);
    assert!(
        first
            .logs
            .iter()
            .all(|o| matches!(o, RunLog::Stored { created: true, .. }))
    );
    let sheets_before = sheets(&*store, &w.omar).await;
    assert_eq!(sheets_before.len(), 1, "one week, one sheet");
    let again = ok(store.sync_logs(run.clone()).await);
    assert!(
        again
            .logs
            .iter()
            .all(|o| matches!(o, RunLog::Stored { created: false, .. }))
    );
    assert_eq!(sheets(&*store, &w.omar).await, sheets_before);
    assert_eq!(ok(store.list_logs(&Filter::org(w.acme.id)).await).len(), 20);
    let only_claims = LogRun {
        claim: vec![Uuid::now_v7()],
        logs: Vec::new(),
        ..run
    };
    let id = only_claims.claim[0];
    assert!(ok(store.sync_logs(only_claims).await).logs.is_empty());
    assert_eq!(
        ok(store
            .claim_ids(w.acme.id, IdKind::Log, w.jane.id, &[id])
            .await),
        vec![id],
        "claimed for Omar"
    );
}

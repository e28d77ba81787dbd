//! Time logs: idempotent replays, the no-overlap rule, one running timer
//! per employee, soft delete.

use stint_model::{LogType, TimeLog};
use uuid::Uuid;

use super::{Shared, World, assert_not_found, assert_overlap, at, log_of, ok};
use crate::StoreError;

/// Omar's agent sends the same log twice (the first answer was lost): one
/// row, and the second call reports it already existed, unchanged.
pub async fn replayed_log_insert_changes_nothing(store: Shared) {
    let w = World::new(&*store).await;
    let mut first = log_of(&w.omar, Some(&w.website), at(0, 9, 0), Some(at(0, 10, 0)));
    first.description = "landing page".into();
    first.log_type = LogType::Manual;
    let (stored, created) = ok(store.insert_log(first.clone(), None).await);
    assert!(created);
    assert!(stored.seq > 0);
    assert_eq!(
        TimeLog {
            seq: 0,
            ..stored.clone()
        },
        first,
        "stored as given"
    );

    let mut replay = first.clone();
    replay.description = "changed on the way".into();
    let (again, created) = ok(store.insert_log(replay, None).await);
    assert!(!created);
    assert_eq!(again, stored);
    assert_eq!(ok(store.log(w.acme.id, first.id).await), stored);
    assert_eq!(ok(store.log_by_seq(w.acme.id, stored.seq).await), stored);
    let all = ok(store.list_logs(&crate::Filter::org(w.acme.id)).await);
    assert_eq!(all, vec![stored.clone()]);

    // Another organization sees nothing of it.
    assert_not_found(store.log(w.globex.id, first.id).await);
    assert_not_found(store.log_by_seq(w.globex.id, stored.seq).await);
}

/// A manual entry that would overlap an existing log is refused and the
/// error names that log; a running log blocks everything after its start.
/// Other employees are not affected.
pub async fn overlapping_log_is_rejected_naming_the_clash(store: Shared) {
    let w = World::new(&*store).await;
    let morning = log_of(&w.omar, None, at(0, 9, 0), Some(at(0, 10, 0)));
    ok(store.insert_log(morning.clone(), None).await);

    let late = log_of(&w.omar, None, at(0, 9, 30), Some(at(0, 10, 30)));
    let reported = assert_overlap(store.insert_log(late, None).await, morning.id);
    assert_eq!(reported.started_at, morning.started_at);
    let inside = log_of(&w.omar, None, at(0, 9, 10), Some(at(0, 9, 20)));
    assert_overlap(store.insert_log(inside, None).await, morning.id);
    let around = log_of(&w.omar, None, at(0, 8, 0), Some(at(0, 11, 0)));
    assert_overlap(store.insert_log(around, None).await, morning.id);
    let running_inside = log_of(&w.omar, None, at(0, 9, 59), None);
    assert_overlap(store.insert_log(running_inside, None).await, morning.id);

    let timer = log_of(&w.omar, None, at(0, 11, 0), None);
    ok(store.insert_log(timer.clone(), None).await);
    let afternoon = log_of(&w.omar, None, at(0, 14, 0), Some(at(0, 15, 0)));
    assert_overlap(store.insert_log(afternoon, None).await, timer.id);
    let second_timer = log_of(&w.omar, None, at(0, 12, 0), None);
    assert_overlap(store.insert_log(second_timer, None).await, timer.id);

    // Jane works the same hours.
    let jane = log_of(&w.jane, None, at(0, 9, 0), Some(at(0, 10, 0)));
    assert!(ok(store.insert_log(jane, None).await).1);
    let logs = ok(store.list_logs(&crate::Filter::org(w.acme.id)).await);
    assert_eq!(logs.len(), 3, "refused logs leave no rows: {logs:?}");
}

/// Consecutive logs share an end: one stops when the next starts.
pub async fn touching_logs_are_accepted(store: Shared) {
    let w = World::new(&*store).await;
    let nine = log_of(&w.omar, None, at(0, 9, 0), Some(at(0, 10, 0)));
    let ten = log_of(&w.omar, None, at(0, 10, 0), Some(at(0, 11, 0)));
    let eight = log_of(&w.omar, None, at(0, 8, 0), Some(at(0, 9, 0)));
    let timer = log_of(&w.omar, None, at(0, 11, 0), None);
    for l in [nine, ten, eight, timer] {
        assert!(ok(store.insert_log(l, None).await).1);
    }
    let logs = ok(store.list_logs(&crate::Filter::org(w.acme.id)).await);
    let starts: Vec<_> = logs.iter().map(|l| l.started_at).collect();
    assert_eq!(
        starts,
        vec![at(0, 8, 0), at(0, 9, 0), at(0, 10, 0), at(0, 11, 0)]
    );
}

/// Story 5: Jane's desktop timer runs since 9:00; she starts the timer on
/// her laptop at 9:30. The desktop log stops at 9:30 and says why.
pub async fn starting_a_timer_stops_the_running_one_with_a_reason(store: Shared) {
    let w = World::new(&*store).await;
    let desktop = log_of(&w.jane, Some(&w.website), at(0, 9, 0), None);
    ok(store.insert_log(desktop.clone(), None).await);
    let mut laptop = log_of(&w.jane, Some(&w.app), at(0, 9, 30), None);
    laptop.source = stint_model::LogSource::WebTimer;
    let reason = "started on another device".to_string();
    let (started, created) = ok(store.insert_log(laptop.clone(), Some(reason.clone())).await);
    assert!(created && started.is_running());

    let stopped = ok(store.log(w.acme.id, desktop.id).await);
    assert_eq!(stopped.stopped_at, Some(at(0, 9, 30)));
    assert_eq!(stopped.stopped_reason, Some(reason.clone()));
    assert_eq!(stopped.started_at, desktop.started_at);
    let running = ok(store.running_log(w.acme.id, w.jane.id).await);
    assert_eq!(running.map(|l| l.id), Some(laptop.id));

    // Without stop_running a second timer is an overlap with the running one.
    let third = log_of(&w.jane, None, at(0, 10, 0), None);
    assert_overlap(store.insert_log(third, None).await, laptop.id);

    // With no timer running, stop_running just inserts.
    let omar = log_of(&w.omar, None, at(0, 9, 0), None);
    assert!(ok(store.insert_log(omar, Some(reason)).await).1);
}

/// A start at or before the running log's start cannot stop it (that would
/// give it no length): it is an overlap, and nothing is changed.
pub async fn stop_running_never_stops_a_log_that_starts_later(store: Shared) {
    let w = World::new(&*store).await;
    let timer = log_of(&w.jane, None, at(0, 10, 0), None);
    ok(store.insert_log(timer.clone(), None).await);
    for start in [at(0, 9, 30), at(0, 10, 0)] {
        let earlier = log_of(&w.jane, None, start, None);
        let reason = Some("started on another device".to_string());
        assert_overlap(store.insert_log(earlier.clone(), reason).await, timer.id);
        assert_not_found(store.log(w.acme.id, earlier.id).await);
    }
    let still = ok(store.log(w.acme.id, timer.id).await);
    assert!(still.is_running() && still.stopped_reason.is_none());
}

/// Moving a log checks overlap against the others, not against itself;
/// the stored row takes the new values and keeps its identity.
pub async fn update_log_checks_overlap_except_with_itself(store: Shared) {
    let w = World::new(&*store).await;
    let (nine, _) = ok(store
        .insert_log(log_of(&w.omar, None, at(0, 9, 0), Some(at(0, 10, 0))), None)
        .await);
    let (ten, _) = ok(store
        .insert_log(
            log_of(&w.omar, None, at(0, 10, 0), Some(at(0, 11, 0))),
            None,
        )
        .await);

    let longer = TimeLog {
        stopped_at: Some(at(0, 10, 30)),
        ..nine.clone()
    };
    assert_overlap(store.update_log(longer).await, ten.id);
    assert_eq!(ok(store.log(w.acme.id, nine.id).await), nine, "unchanged");

    let moved = TimeLog {
        started_at: at(0, 8, 30),
        stopped_at: Some(at(0, 9, 45)),
        project_id: Some(w.app.id),
        description: "moved".into(),
        log_type: LogType::Manual,
        is_billable: false,
        version: 2,
        stopped_reason: Some("edited".into()),
        updated_at: at(0, 12, 0),
        ..nine.clone()
    };
    let stored = ok(store.update_log(moved.clone()).await);
    assert_eq!(stored, moved);
    assert_eq!(stored.seq, nine.seq);
    assert_eq!(stored.created_at, nine.created_at);
    assert_eq!(ok(store.log(w.acme.id, nine.id).await), moved);

    // Make it run again: it would reach into 10:00-11:00.
    let reopened = TimeLog {
        stopped_at: None,
        ..moved.clone()
    };
    assert_overlap(store.update_log(reopened).await, ten.id);

    let unknown = TimeLog {
        id: Uuid::now_v7(),
        ..moved.clone()
    };
    assert_not_found(store.update_log(unknown).await);
    let foreign = TimeLog {
        org_id: w.globex.id,
        ..moved
    };
    assert_not_found(store.update_log(foreign).await);
}

/// Omar deletes a log; it disappears everywhere, frees its time, and the
/// agent replaying the original create does not bring it back.
pub async fn deleted_log_is_hidden_and_a_replay_does_not_resurrect_it(store: Shared) {
    let w = World::new(&*store).await;
    let timer = log_of(&w.omar, None, at(0, 9, 0), None);
    let (stored, _) = ok(store.insert_log(timer.clone(), None).await);
    assert_not_found(store.delete_log(w.globex.id, timer.id).await);
    ok(store.delete_log(w.acme.id, timer.id).await);

    assert_not_found(store.log(w.acme.id, timer.id).await);
    assert_not_found(store.log_by_seq(w.acme.id, stored.seq).await);
    assert!(ok(store.running_log(w.acme.id, w.omar.id).await).is_none());
    assert!(ok(store.list_logs(&crate::Filter::org(w.acme.id)).await).is_empty());
    assert_not_found(store.delete_log(w.acme.id, timer.id).await);

    let (replayed, created) = ok(store.insert_log(timer.clone(), None).await);
    assert!(
        !created,
        "a replayed create must not resurrect a deleted log"
    );
    assert_eq!(replayed.id, timer.id);
    assert_not_found(store.log(w.acme.id, timer.id).await);

    // Its time is free again.
    let redo = log_of(&w.omar, None, at(0, 9, 0), Some(at(0, 10, 0)));
    assert!(ok(store.insert_log(redo, None).await).1);
}

/// Twenty devices start Omar's timer at once (no stop_running): exactly
/// one start wins, every other one is told which log it clashes with.
pub async fn concurrent_timer_starts_leave_exactly_one_running(store: Shared) {
    let w = World::new(&*store).await;
    let tasks: Vec<_> = (0..20)
        .map(|i| {
            let store = store.clone();
            let log = log_of(&w.omar, None, at(0, 9, i), None);
            tokio::spawn(async move { store.insert_log(log, None).await })
        })
        .collect();
    let mut winners = Vec::new();
    for t in tasks {
        match t.await.expect("task panicked") {
            Ok((log, true)) => winners.push(log),
            Ok((log, false)) => panic!("a fresh id reported as a replay: {log:?}"),
            Err(StoreError::Overlap(_)) => {}
            Err(e) => panic!("expected Overlap for the losers, got {e:?}"),
        }
    }
    assert_eq!(winners.len(), 1, "exactly one timer start may win");
    let running = ok(store.running_log(w.acme.id, w.omar.id).await);
    assert_eq!(running.as_ref(), winners.first());
    assert_eq!(
        ok(store.list_logs(&crate::Filter::org(w.acme.id)).await).len(),
        1
    );
}

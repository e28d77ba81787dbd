//! Reading logs back: by range, employee and project; the running timer.

use stint_model::{LogSource, LogType, TimeLog};
use uuid::Uuid;

use super::{Shared, World, at, log_ids, log_of, ok};
use crate::Filter;

/// Lena looks at different stretches of the day. A log touching the edge
/// of a range is outside it, a log crossing an edge is inside, a running
/// log reaches to the end of time. Results come by start time.
pub async fn list_logs_filters_by_range_employee_and_project(store: Shared) {
    let w = World::new(&*store).await;
    let a = log_of(&w.omar, None, at(0, 8, 0), Some(at(0, 9, 0)));
    let b = log_of(&w.omar, Some(&w.website), at(0, 9, 30), Some(at(0, 10, 30)));
    let c = log_of(&w.omar, Some(&w.app), at(0, 11, 0), Some(at(0, 12, 0)));
    let d = log_of(&w.omar, None, at(0, 13, 0), None);
    let e = log_of(&w.jane, Some(&w.website), at(0, 9, 0), Some(at(0, 10, 0)));
    let x = log_of(&w.eve, None, at(0, 9, 0), Some(at(0, 10, 0)));
    for l in [&d, &c, &b, &a, &e, &x] {
        ok(store.insert_log(l.clone(), None).await);
    }
    let list = |f: Filter| {
        let store = store.clone();
        async move { log_ids(&ok(store.list_logs(&f).await)) }
    };
    let acme = Filter::org(w.acme.id);

    assert_eq!(list(acme.clone()).await, vec![a.id, e.id, b.id, c.id, d.id]);
    let nine_to_eleven = Filter {
        from: Some(at(0, 9, 0)),
        to: Some(at(0, 11, 0)),
        ..acme.clone()
    };
    assert_eq!(list(nine_to_eleven.clone()).await, vec![e.id, b.id]);
    let omar_from_ten = Filter {
        employee_ids: Some(vec![w.omar.id]),
        from: Some(at(0, 10, 0)),
        to: Some(at(0, 14, 0)),
        ..acme.clone()
    };
    assert_eq!(list(omar_from_ten).await, vec![b.id, c.id, d.id]);
    let gap = Filter {
        from: Some(at(0, 12, 0)),
        to: Some(at(0, 13, 0)),
        ..acme.clone()
    };
    assert!(list(gap).await.is_empty());
    let tomorrow = Filter {
        from: Some(at(1, 0, 0)),
        ..acme.clone()
    };
    assert_eq!(list(tomorrow).await, vec![d.id], "a running log goes on");
    let until_nine = Filter {
        to: Some(at(0, 9, 0)),
        ..acme.clone()
    };
    assert_eq!(list(until_nine).await, vec![a.id]);

    let website = Filter {
        project_ids: Some(vec![w.website.id]),
        ..acme.clone()
    };
    assert_eq!(list(website).await, vec![e.id, b.id]);
    let both = Filter {
        project_ids: Some(vec![w.website.id, w.app.id]),
        employee_ids: Some(vec![w.omar.id, w.jane.id]),
        ..nine_to_eleven
    };
    assert_eq!(list(both).await, vec![e.id, b.id]);
    let nobody = Filter {
        employee_ids: Some(vec![]),
        ..acme.clone()
    };
    assert!(list(nobody).await.is_empty());

    // Globex sees only its own, even when naming Acme's people.
    assert_eq!(list(Filter::org(w.globex.id)).await, vec![x.id]);
    let snooping = Filter {
        employee_ids: Some(vec![w.omar.id]),
        ..Filter::org(w.globex.id)
    };
    assert!(list(snooping).await.is_empty());
}

/// The running log is the employee's log without a stop, in their
/// organization only.
pub async fn running_log_is_the_one_without_a_stop(store: Shared) {
    let w = World::new(&*store).await;
    assert!(ok(store.running_log(w.acme.id, w.omar.id).await).is_none());
    let done = log_of(&w.omar, None, at(0, 8, 0), Some(at(0, 9, 0)));
    ok(store.insert_log(done, None).await);
    assert!(ok(store.running_log(w.acme.id, w.omar.id).await).is_none());

    let timer = log_of(&w.omar, Some(&w.website), at(0, 9, 0), None);
    let (stored, _) = ok(store.insert_log(timer, None).await);
    assert_eq!(
        ok(store.running_log(w.acme.id, w.omar.id).await),
        Some(stored.clone())
    );
    assert!(ok(store.running_log(w.acme.id, w.jane.id).await).is_none());
    assert!(ok(store.running_log(w.globex.id, w.omar.id).await).is_none());
    assert!(ok(store.running_log(w.acme.id, Uuid::now_v7()).await).is_none());

    let stopped = TimeLog {
        stopped_at: Some(at(0, 10, 0)),
        version: 2,
        ..stored
    };
    ok(store.update_log(stopped).await);
    assert!(ok(store.running_log(w.acme.id, w.omar.id).await).is_none());
}

/// Every log type and source, and every optional field, reads back exactly
/// as written (the backends spell enums in their own columns).
pub async fn every_log_type_and_source_round_trips(store: Shared) {
    let w = World::new(&*store).await;
    let types = [
        LogType::Tracked,
        LogType::Manual,
        LogType::Idle,
        LogType::Resumed,
    ];
    let mut written = Vec::new();
    for (i, source) in (0u32..).zip(LogSource::ALL) {
        let start = at(0, 8 + i, 0);
        let mut l = log_of(&w.omar, Some(&w.app), start, Some(at(0, 8 + i, 59)));
        l.log_type = types[i as usize % types.len()];
        l.source = source;
        l.task_id = Some(Uuid::now_v7());
        l.description = format!("entry {i}: ünïcode, 'quotes' and \"more\"");
        l.is_billable = i % 2 == 0;
        l.version = i64::from(i) + 7;
        l.stopped_reason = Some(format!("reason {i}"));
        l.updated_at = at(1, 0, i);
        let (stored, _) = ok(store.insert_log(l.clone(), None).await);
        assert_eq!(
            TimeLog {
                seq: 0,
                ..stored.clone()
            },
            l
        );
        written.push(stored);
    }
    assert_eq!(ok(store.list_logs(&Filter::org(w.acme.id)).await), written);
}

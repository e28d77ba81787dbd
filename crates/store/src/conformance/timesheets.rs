//! Weekly timesheets: one per employee and week, listed newest first,
//! updated all together or not at all.

use chrono::NaiveDate;
use stint_model::{Timesheet, TimesheetStatus};
use uuid::Uuid;

use super::{Shared, World, assert_not_found, at, date, ok};
use crate::{Store, TimesheetFilter};

/// The sheet for (employee, week starting `start`), created if missing.
async fn sheet(store: &dyn Store, org: Uuid, who: Uuid, start: NaiveDate) -> Timesheet {
    let end = start + chrono::Duration::days(6);
    ok(store
        .ensure_timesheet(Uuid::now_v7(), org, who, start, end)
        .await)
    .0
}

/// Omar's first log of the week creates his sheet; the next call finds it.
/// Ten requests racing for a new week create exactly one sheet.
pub async fn ensure_timesheet_creates_one_sheet_per_week(store: Shared) {
    let w = World::new(&*store).await;
    let (sun, sat) = (date(2026, 4, 5), date(2026, 4, 11));
    let id = Uuid::now_v7();
    let (made, created) = ok(store
        .ensure_timesheet(id, w.acme.id, w.omar.id, sun, sat)
        .await);
    assert!(created);
    assert_eq!(
        (made.id, made.org_id, made.employee_id),
        (id, w.acme.id, w.omar.id)
    );
    assert_eq!((made.start_date, made.end_date), (sun, sat));
    assert_eq!(made.status, TimesheetStatus::Draft);
    assert!(made.seq > 0);
    assert!(made.submitted_at.is_none() && made.approved_at.is_none());
    assert!(made.approved_by.is_none());

    let (found, created) = ok(store
        .ensure_timesheet(Uuid::now_v7(), w.acme.id, w.omar.id, sun, sat)
        .await);
    assert!(!created);
    assert_eq!(found, made);
    assert_eq!(ok(store.timesheet(w.acme.id, id).await), made);
    assert_eq!(ok(store.timesheet_by_seq(w.acme.id, made.seq).await), made);
    assert_not_found(store.timesheet(w.globex.id, id).await);
    assert_not_found(store.timesheet_by_seq(w.globex.id, made.seq).await);
    assert_not_found(store.timesheet(w.acme.id, Uuid::now_v7()).await);

    // Jane's week is her own sheet.
    let (janes, created) = ok(store
        .ensure_timesheet(Uuid::now_v7(), w.acme.id, w.jane.id, sun, sat)
        .await);
    assert!(created && janes.id != made.id);

    let next = date(2026, 4, 12);
    let tasks: Vec<_> = (0..10)
        .map(|_| {
            let store = store.clone();
            let (org, who) = (w.acme.id, w.omar.id);
            tokio::spawn(async move {
                let end = next + chrono::Duration::days(6);
                store
                    .ensure_timesheet(Uuid::now_v7(), org, who, next, end)
                    .await
            })
        })
        .collect();
    let mut results = Vec::new();
    for t in tasks {
        results.push(ok(t.await.expect("task panicked")));
    }
    assert_eq!(results.iter().filter(|(_, c)| *c).count(), 1, "one creator");
    assert!(results.iter().all(|(s, _)| s.id == results[0].0.id));
}

/// Lena's list: newest week first, filtered by people, status and dates
/// (a week is in when it overlaps them), paged, with the full count.
pub async fn list_timesheets_filters_pages_and_counts(store: Shared) {
    let w = World::new(&*store).await;
    let weeks = [
        date(2026, 3, 15),
        date(2026, 3, 22),
        date(2026, 3, 29),
        date(2026, 4, 5),
    ];
    let mut omar = Vec::new();
    for start in weeks {
        omar.push(sheet(&*store, w.acme.id, w.omar.id, start).await);
    }
    let jane_late = sheet(&*store, w.acme.id, w.jane.id, weeks[3]).await;
    let eve = sheet(&*store, w.globex.id, w.eve.id, weeks[3]).await;
    let submitted = Timesheet {
        status: TimesheetStatus::Submitted,
        submitted_at: Some(at(0, 9, 0)),
        ..omar[1].clone()
    };
    ok(store.update_timesheets(&[submitted]).await);

    let list = |f: TimesheetFilter| {
        let store = store.clone();
        async move {
            let (page, total) = ok(store.list_timesheets(&f).await);
            (page.iter().map(|s| s.id).collect::<Vec<_>>(), total)
        }
    };
    let acme = TimesheetFilter {
        org_id: w.acme.id,
        ..TimesheetFilter::default()
    };
    let (all, total) = list(acme.clone()).await;
    assert_eq!(total, 5);
    assert_eq!(all.len(), 5);
    let mut newest_two = vec![omar[3].id, jane_late.id];
    newest_two.sort();
    let mut got = all[..2].to_vec();
    got.sort();
    assert_eq!(got, newest_two, "the newest week comes first");
    assert_eq!(&all[2..], &[omar[2].id, omar[1].id, omar[0].id]);

    let omars = TimesheetFilter {
        employee_ids: Some(vec![w.omar.id]),
        ..acme.clone()
    };
    let paged = TimesheetFilter {
        limit: Some(2),
        offset: 1,
        ..omars.clone()
    };
    assert_eq!(list(paged).await, (vec![omar[2].id, omar[1].id], 4));
    let past_end = TimesheetFilter {
        limit: Some(2),
        offset: 10,
        ..omars.clone()
    };
    assert_eq!(list(past_end).await, (vec![], 4));

    let pending = TimesheetFilter {
        statuses: Some(vec![TimesheetStatus::Submitted, TimesheetStatus::InReview]),
        ..acme.clone()
    };
    assert_eq!(list(pending).await, (vec![omar[1].id], 1));

    // 2026-03-28 is the last day of the second week, 2026-03-29 the first
    // day of the third: both weeks overlap the range.
    let dates = TimesheetFilter {
        from: Some(date(2026, 3, 28)),
        to: Some(date(2026, 3, 29)),
        ..omars.clone()
    };
    assert_eq!(list(dates).await, (vec![omar[2].id, omar[1].id], 2));
    let since = TimesheetFilter {
        from: Some(date(2026, 4, 6)),
        ..omars
    };
    assert_eq!(list(since).await, (vec![omar[3].id], 1));

    let globex = TimesheetFilter {
        org_id: w.globex.id,
        ..TimesheetFilter::default()
    };
    assert_eq!(list(globex).await, (vec![eve.id], 1));
    let snooping = TimesheetFilter {
        org_id: w.globex.id,
        employee_ids: Some(vec![w.omar.id]),
        ..TimesheetFilter::default()
    };
    assert_eq!(list(snooping).await, (vec![], 0));
}

/// Lena approves two weeks at once; if one of them cannot be written (here:
/// it does not exist in her organization), neither changes.
pub async fn update_timesheets_is_all_or_nothing(store: Shared) {
    let w = World::new(&*store).await;
    let first = sheet(&*store, w.acme.id, w.omar.id, date(2026, 3, 29)).await;
    let second = sheet(&*store, w.acme.id, w.omar.id, date(2026, 4, 5)).await;
    let eve = sheet(&*store, w.globex.id, w.eve.id, date(2026, 4, 5)).await;
    let approve = |s: &Timesheet| Timesheet {
        status: TimesheetStatus::Approved,
        submitted_at: Some(at(0, 9, 0)),
        approved_at: Some(at(0, 10, 0)),
        approved_by: Some(w.lena.id),
        updated_at: at(0, 10, 0),
        ..s.clone()
    };

    let unknown = Timesheet {
        id: Uuid::now_v7(),
        ..approve(&second)
    };
    assert!(
        store
            .update_timesheets(&[approve(&first), unknown])
            .await
            .is_err()
    );
    let foreign = Timesheet {
        org_id: w.acme.id,
        ..approve(&eve)
    };
    assert!(
        store
            .update_timesheets(&[approve(&first), foreign])
            .await
            .is_err()
    );
    assert_eq!(ok(store.timesheet(w.acme.id, first.id).await), first);
    assert_eq!(ok(store.timesheet(w.globex.id, eve.id).await), eve);

    ok(store
        .update_timesheets(&[approve(&first), approve(&second)])
        .await);
    assert_eq!(
        ok(store.timesheet(w.acme.id, first.id).await),
        approve(&first)
    );
    assert_eq!(
        ok(store.timesheet(w.acme.id, second.id).await),
        approve(&second)
    );
    ok(store.update_timesheets(&[]).await);

    // Every status reads back as written.
    for status in TimesheetStatus::ALL {
        let s = Timesheet {
            status,
            ..approve(&first)
        };
        ok(store.update_timesheets(std::slice::from_ref(&s)).await);
        assert_eq!(ok(store.timesheet(w.acme.id, first.id).await), s);
    }
}

/// Lena rejects Omar's week saying why: the reason reads back (Unicode and
/// line breaks as written) by id, by integer id and in the list; Omar
/// resubmits and it is gone. Nothing of it reaches Jane's sheet.
pub async fn a_rejection_reason_is_kept_listed_and_cleared(store: Shared) {
    let w = World::new(&*store).await;
    let week = date(2026, 4, 5);
    let omars = sheet(&*store, w.acme.id, w.omar.id, week).await;
    let janes = sheet(&*store, w.acme.id, w.jane.id, week).await;
    assert_eq!(omars.rejection_reason, None, "a new sheet has no reason");
    let why = "Dienstag fehlt — add Tuesday's 4 h,\nthen submit again ✓".to_string();
    let rejected = Timesheet {
        status: TimesheetStatus::Rejected,
        submitted_at: Some(at(0, 9, 0)),
        updated_at: at(0, 10, 0),
        rejection_reason: Some(why.clone()),
        ..omars.clone()
    };
    ok(store
        .update_timesheets(std::slice::from_ref(&rejected))
        .await);
    assert_eq!(ok(store.timesheet(w.acme.id, omars.id).await), rejected);
    let by_seq = ok(store.timesheet_by_seq(w.acme.id, omars.seq).await);
    assert_eq!(by_seq.rejection_reason.as_deref(), Some(why.as_str()));
    let (listed, _) = ok(store
        .list_timesheets(&TimesheetFilter {
            org_id: w.acme.id,
            ..TimesheetFilter::default()
        })
        .await);
    let reason_of = |id: Uuid| {
        listed
            .iter()
            .find(|s| s.id == id)
            .map(|s| s.rejection_reason.clone())
    };
    assert_eq!(reason_of(omars.id), Some(Some(why)));
    assert_eq!(reason_of(janes.id), Some(None));
    // The week made again (a late log of it) keeps its reason.
    let again = sheet(&*store, w.acme.id, w.omar.id, week).await;
    assert_eq!(again, rejected);

    let resubmitted = Timesheet {
        status: TimesheetStatus::Submitted,
        updated_at: at(0, 11, 0),
        rejection_reason: None,
        ..rejected
    };
    ok(store
        .update_timesheets(std::slice::from_ref(&resubmitted))
        .await);
    assert_eq!(ok(store.timesheet(w.acme.id, omars.id).await), resubmitted);
}

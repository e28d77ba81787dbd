//! Ten-minute slots, their activities, and screenshots.

use stint_model::{Activity, Instant, Screenshot, SlotPart, TimeSlot, User};
use uuid::Uuid;

use super::{Shared, World, assert_not_found, at, ok};
use crate::{Filter, Store};

fn part(duration: i64, keyboard: i64, mouse: i64, overall: i64) -> SlotPart {
    SlotPart {
        id: Uuid::now_v7(),
        duration,
        keyboard,
        mouse,
        overall,
    }
}

/// Adds one part to `who`'s slot at `start` (no project, no logs).
async fn add(store: &dyn Store, who: &User, start: Instant, p: SlotPart) -> TimeSlot {
    ok(store
        .add_slot_part(Uuid::now_v7(), who.org_id, who.id, None, start, p, vec![])
        .await)
}

fn activity(who: &User, slot: Option<&TimeSlot>, title: &str, t: Instant) -> Activity {
    Activity {
        id: Uuid::now_v7(),
        org_id: who.org_id,
        employee_id: who.id,
        time_slot_id: slot.map(|s| s.id),
        project_id: slot.and_then(|s| s.project_id),
        title: title.into(),
        kind: "APP".into(),
        recorded_at: t,
        duration: 60,
    }
}

/// Omar's desktop and laptop both report 9:00-9:10: the parts merge into
/// one slot (seconds add up, percentages weighted by seconds), the log ids
/// are united, and a replayed part changes nothing.
pub async fn slot_parts_merge_and_replayed_parts_change_nothing(store: Shared) {
    let w = World::new(&*store).await;
    let (log_a, log_b, log_c) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
    let (org, who, nine) = (w.acme.id, w.omar.id, at(0, 9, 0));
    let slot_id = Uuid::now_v7();
    let desktop = part(300, 100, 0, 100);
    let first = ok(store
        .add_slot_part(
            slot_id,
            org,
            who,
            Some(w.website.id),
            nine,
            desktop.clone(),
            vec![log_a],
        )
        .await);
    assert_eq!(
        (first.id, first.org_id, first.employee_id),
        (slot_id, org, who)
    );
    assert_eq!(
        (first.started_at, first.project_id),
        (nine, Some(w.website.id))
    );
    assert_eq!(
        (first.duration, first.keyboard, first.mouse, first.overall),
        (300, 100, 0, 100)
    );
    assert_eq!(first.time_log_ids, vec![log_a]);

    let laptop = part(100, 0, 100, 0);
    let merged = ok(store
        .add_slot_part(
            Uuid::now_v7(),
            org,
            who,
            Some(w.website.id),
            nine,
            laptop,
            vec![log_b, log_a],
        )
        .await);
    assert_eq!(merged.id, slot_id, "the slot keeps its first id");
    assert_eq!(
        (
            merged.duration,
            merged.keyboard,
            merged.mouse,
            merged.overall
        ),
        (400, 75, 25, 75)
    );
    let mut linked = merged.time_log_ids.clone();
    linked.sort();
    let mut want = vec![log_a, log_b];
    want.sort();
    assert_eq!(linked, want, "log ids are a set");

    let replay = ok(store
        .add_slot_part(
            Uuid::now_v7(),
            org,
            who,
            Some(w.website.id),
            nine,
            desktop,
            vec![log_c],
        )
        .await);
    assert_eq!(replay, merged, "a replayed part changes nothing");
    assert_eq!(ok(store.slot(org, slot_id).await), merged);
    assert_not_found(store.slot(w.globex.id, slot_id).await);

    // The next ten minutes are a slot of their own; Jane's too.
    let later = add(&*store, &w.omar, at(0, 9, 10), part(600, 10, 20, 30)).await;
    assert_ne!(later.id, slot_id);
    let janes = add(&*store, &w.jane, nine, part(60, 50, 50, 50)).await;
    assert_eq!((janes.duration, janes.overall), (60, 50));

    let omar_slots = Filter {
        employee_ids: Some(vec![who]),
        ..Filter::org(org)
    };
    let listed = ok(store.list_slots(&omar_slots).await);
    assert_eq!(listed, vec![merged.clone(), later.clone()]);
    let from_nine_ten = Filter {
        from: Some(at(0, 9, 10)),
        ..Filter::org(org)
    };
    assert_eq!(
        ok(store.list_slots(&from_nine_ten).await),
        vec![later.clone()]
    );
    let until_nine_ten = Filter {
        to: Some(at(0, 9, 10)),
        employee_ids: Some(vec![who]),
        ..Filter::org(org)
    };
    assert_eq!(ok(store.list_slots(&until_nine_ten).await), vec![merged]);
    let website = Filter {
        project_ids: Some(vec![w.website.id]),
        ..Filter::org(org)
    };
    assert_eq!(ok(store.list_slots(&website).await).len(), 1);
    assert!(ok(store.list_slots(&Filter::org(w.globex.id)).await).is_empty());
}

/// Lena deletes two of Omar's slots, passing a Globex slot id by mistake:
/// only Acme's go, with their activities; the Globex slot stays.
pub async fn delete_slots_removes_own_slots_and_their_activities(store: Shared) {
    let w = World::new(&*store).await;
    let nine = add(&*store, &w.omar, at(0, 9, 0), part(600, 1, 1, 1)).await;
    let ten = add(&*store, &w.omar, at(0, 9, 10), part(600, 2, 2, 2)).await;
    let kept = add(&*store, &w.omar, at(0, 9, 20), part(600, 3, 3, 3)).await;
    let foreign = add(&*store, &w.eve, at(0, 9, 0), part(600, 4, 4, 4)).await;
    let acts = [
        activity(&w.omar, Some(&nine), "editor", at(0, 9, 1)),
        activity(&w.omar, Some(&ten), "browser", at(0, 9, 11)),
        activity(&w.omar, Some(&kept), "terminal", at(0, 9, 21)),
        activity(&w.eve, Some(&foreign), "mail", at(0, 9, 1)),
    ];
    assert_eq!(ok(store.insert_activities(&acts).await), 4);

    let gone = ok(store
        .delete_slots(w.acme.id, &[nine.id, foreign.id, ten.id, Uuid::now_v7()])
        .await);
    let mut gone_ids: Vec<_> = gone.iter().map(|s| s.id).collect();
    gone_ids.sort();
    let mut want = vec![nine.id, ten.id];
    want.sort();
    assert_eq!(gone_ids, want);
    assert_not_found(store.slot(w.acme.id, nine.id).await);
    assert_not_found(store.slot(w.acme.id, ten.id).await);
    assert_eq!(ok(store.slot(w.acme.id, kept.id).await), kept);
    assert_eq!(ok(store.slot(w.globex.id, foreign.id).await), foreign);

    let left = ok(store.list_activities(&Filter::org(w.acme.id)).await);
    assert_eq!(left, vec![acts[2].clone()]);
    let globex = ok(store.list_activities(&Filter::org(w.globex.id)).await);
    assert_eq!(globex, vec![acts[3].clone()]);
    assert!(ok(store.delete_slots(w.acme.id, &[]).await).is_empty());
}

/// A replayed batch of activities adds only what is new; activities are
/// listed by time inside `[from, to)`, per employee and project.
pub async fn insert_activities_skips_known_ids(store: Shared) {
    let w = World::new(&*store).await;
    let slot = ok(store
        .add_slot_part(
            Uuid::now_v7(),
            w.acme.id,
            w.omar.id,
            Some(w.app.id),
            at(0, 9, 0),
            part(600, 1, 1, 1),
            vec![],
        )
        .await);
    let a = activity(&w.omar, Some(&slot), "editor", at(0, 9, 0));
    let b = activity(&w.omar, Some(&slot), "browser", at(0, 9, 5));
    let c = activity(&w.jane, None, "mail", at(0, 9, 10));
    assert_eq!(
        ok(store.insert_activities(&[b.clone(), a.clone()]).await),
        2
    );
    let renamed = Activity {
        title: "renamed".into(),
        ..a.clone()
    };
    assert_eq!(
        ok(store
            .insert_activities(&[renamed, b.clone(), c.clone()])
            .await),
        1
    );
    assert_eq!(ok(store.insert_activities(&[]).await), 0);

    let all = ok(store.list_activities(&Filter::org(w.acme.id)).await);
    assert_eq!(all, vec![a.clone(), b.clone(), c.clone()]);
    let window = Filter {
        from: Some(at(0, 9, 5)),
        to: Some(at(0, 9, 10)),
        ..Filter::org(w.acme.id)
    };
    assert_eq!(ok(store.list_activities(&window).await), vec![b.clone()]);
    let janes = Filter {
        employee_ids: Some(vec![w.jane.id]),
        ..Filter::org(w.acme.id)
    };
    assert_eq!(ok(store.list_activities(&janes).await), vec![c]);
    let app = Filter {
        project_ids: Some(vec![w.app.id]),
        ..Filter::org(w.acme.id)
    };
    assert_eq!(ok(store.list_activities(&app).await), vec![a, b]);
    assert!(ok(store.list_activities(&Filter::org(w.globex.id)).await).is_empty());
}

pub(super) fn shot(who: &User, t: Instant) -> Screenshot {
    let id = Uuid::now_v7();
    Screenshot {
        id,
        org_id: who.org_id,
        employee_id: who.id,
        time_slot_id: None,
        recorded_at: t,
        width: 1920,
        height: 1080,
        size: 123_456,
        sha256: "ab".repeat(32),
        file_key: format!("{}/{id}.png", who.org_id),
        thumb_key: format!("{}/{id}-thumb.jpg", who.org_id),
        content_type: "image/png".into(),
    }
}

/// An upload retried after a timeout stores one record; screenshots are
/// listed by time in `[from, to)` and per employee, never across
/// organizations, and can be deleted once.
pub async fn screenshots_are_idempotent_listed_and_deleted(store: Shared) {
    let w = World::new(&*store).await;
    let first = shot(&w.omar, at(0, 9, 0));
    let (stored, created) = ok(store.insert_screenshot(first.clone()).await);
    assert!(created);
    assert_eq!(stored, first);
    let retry = Screenshot {
        size: 1,
        ..first.clone()
    };
    assert_eq!(
        ok(store.insert_screenshot(retry).await),
        (first.clone(), false)
    );
    assert_eq!(ok(store.screenshot(w.acme.id, first.id).await), first);
    assert_not_found(store.screenshot(w.globex.id, first.id).await);

    let second = shot(&w.omar, at(0, 9, 10));
    let janes = shot(&w.jane, at(0, 9, 5));
    let eves = shot(&w.eve, at(0, 9, 5));
    for s in [&second, &janes, &eves] {
        assert!(ok(store.insert_screenshot(s.clone()).await).1);
    }
    let acme = Filter::org(w.acme.id);
    let all = ok(store.list_screenshots(&acme).await);
    assert_eq!(all, vec![first.clone(), janes.clone(), second.clone()]);
    let window = Filter {
        from: Some(at(0, 9, 0)),
        to: Some(at(0, 9, 10)),
        employee_ids: Some(vec![w.omar.id]),
        ..acme.clone()
    };
    assert_eq!(
        ok(store.list_screenshots(&window).await),
        vec![first.clone()]
    );
    assert_eq!(
        ok(store.list_screenshots(&Filter::org(w.globex.id)).await),
        vec![eves]
    );

    assert_not_found(store.delete_screenshot(w.globex.id, first.id).await);
    ok(store.delete_screenshot(w.acme.id, first.id).await);
    assert_not_found(store.screenshot(w.acme.id, first.id).await);
    assert_not_found(store.delete_screenshot(w.acme.id, first.id).await);
    assert_eq!(
        ok(store.list_screenshots(&acme).await),
        vec![janes.clone(), second.clone()]
    );

    // What a retention purge reads: the organization's oldest first,
    // strictly before the cutoff, at most `limit`.
    let old = |before, limit| store.screenshots_recorded_before(w.acme.id, before, limit);
    assert_eq!(ok(old(at(0, 9, 10), 10).await), vec![janes.clone()]);
    assert_eq!(ok(old(at(1, 0, 0), 10).await), vec![janes.clone(), second]);
    assert_eq!(ok(old(at(1, 0, 0), 1).await), vec![janes]);
    assert!(ok(old(at(0, 9, 0), 10).await).is_empty());
}

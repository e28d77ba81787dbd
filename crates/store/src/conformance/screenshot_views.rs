//! Who opened whose screenshots: views are added, listed by owner and
//! time, and kept until a year after their screenshot is gone.

use stint_model::ScreenshotView;
use uuid::Uuid;

use super::slots::shot;
use super::{Shared, World, at, ok};
use crate::Filter;

fn view(w: &World, owner: Uuid, viewer: Uuid, day: i64, thumb: bool) -> ScreenshotView {
    ScreenshotView {
        id: Uuid::now_v7(),
        org_id: w.acme.id,
        screenshot_id: Uuid::now_v7(),
        owner_id: owner,
        viewer_id: viewer,
        viewed_at: at(day, 14, 2),
        thumb,
    }
}

/// Views come back per owner, in time order, inside the range, with every
/// field as recorded; another organization's filter finds none.
pub async fn screenshot_views_are_listed_by_owner_and_time(store: Shared) {
    let w = World::new(&*store).await;
    let later = view(&w, w.omar.id, w.lena.id, 2, false);
    let first = view(&w, w.omar.id, w.lena.id, 0, true);
    let janes = view(&w, w.jane.id, w.lena.id, 1, true);
    for v in [&later, &first, &janes] {
        ok(store.record_screenshot_view(v.clone()).await);
    }
    let mut f = Filter::org(w.acme.id);
    f.employee_ids = Some(vec![w.omar.id]);
    assert_eq!(
        ok(store.list_screenshot_views(&f).await),
        vec![first.clone(), later.clone()]
    );
    f.from = Some(at(1, 0, 0));
    assert_eq!(ok(store.list_screenshot_views(&f).await), vec![later]);
    let mut all = Filter::org(w.acme.id);
    all.to = Some(at(2, 0, 0));
    assert_eq!(
        ok(store.list_screenshot_views(&all).await),
        vec![first, janes]
    );
    let globex = Filter::org(w.globex.id);
    assert!(ok(store.list_screenshot_views(&globex).await).is_empty());
}

/// A deleted screenshot's views stay until a year after it went (the
/// purge is told the cut-off); a live screenshot's views are never purged.
pub async fn views_go_only_a_year_after_their_screenshot(store: Shared) {
    let w = World::new(&*store).await;
    let gone = shot(&w.omar, at(0, 9, 0));
    let kept = shot(&w.omar, at(0, 9, 10));
    let mut views = Vec::new();
    for s in [&gone, &kept] {
        ok(store.insert_screenshot(s.clone()).await);
        let v = ScreenshotView {
            screenshot_id: s.id,
            ..view(&w, w.omar.id, w.lena.id, 0, false)
        };
        ok(store.record_screenshot_view(v.clone()).await);
        views.push(v);
    }
    let deleted_at = chrono::Utc::now();
    ok(store.delete_screenshot(w.acme.id, gone.id).await);
    let acme = Filter::org(w.acme.id);
    assert_eq!(
        ok(store.list_screenshot_views(&acme).await).len(),
        2,
        "kept after deletion"
    );
    // Not a year yet.
    let year_ago = deleted_at - chrono::Duration::days(365);
    assert_eq!(ok(store.purge_screenshot_views(year_ago).await), 0);
    assert_eq!(ok(store.list_screenshot_views(&acme).await).len(), 2);
    // A year later: the deleted one's view goes, the live one's stays.
    let year_later = chrono::Utc::now() + chrono::Duration::seconds(1);
    assert_eq!(ok(store.purge_screenshot_views(year_later).await), 1);
    assert_eq!(
        ok(store.list_screenshot_views(&acme).await),
        vec![views[1].clone()]
    );
    assert_eq!(ok(store.purge_screenshot_views(year_later).await), 0);
}

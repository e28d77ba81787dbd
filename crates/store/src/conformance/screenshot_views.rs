//! Who opened whose screenshots: views are added, listed by owner and
//! time, and never lost.

use stint_model::ScreenshotView;
use uuid::Uuid;

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

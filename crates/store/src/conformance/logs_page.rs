//! Reading a long listing a page at a time (the CSV export).

use super::{Shared, World, at, log_ids, log_of, ok};
use crate::Filter;

/// Pages of any size, each after the last log of the one before, add up
/// to [`list_logs`](crate::Store::list_logs) exactly: every log once, in
/// its order, also where several logs start at the same instant (the
/// tie is broken by seq) and with range, employee and project filters.
pub async fn page_logs_pages_through_list_logs(store: Shared) {
    let w = World::new(&*store).await;
    let mut logs = Vec::new();
    for h in 0..5 {
        // Omar and Jane start at the same instants: ties on started_at.
        logs.push(log_of(
            &w.omar,
            None,
            at(0, 8 + h, 0),
            Some(at(0, 8 + h, 30)),
        ));
        logs.push(log_of(
            &w.jane,
            Some(&w.website),
            at(0, 8 + h, 0),
            Some(at(0, 8 + h, 45)),
        ));
    }
    logs.push(log_of(&w.eve, None, at(0, 9, 0), Some(at(0, 10, 0))));
    for l in &logs {
        ok(store.insert_log(l.clone(), None).await);
    }
    let acme = Filter::org(w.acme.id);
    let filters = [
        acme.clone(),
        Filter {
            from: Some(at(0, 9, 10)),
            to: Some(at(0, 11, 0)),
            ..acme.clone()
        },
        Filter {
            employee_ids: Some(vec![w.jane.id]),
            ..acme.clone()
        },
        Filter {
            project_ids: Some(vec![w.website.id]),
            to: Some(at(0, 10, 0)),
            ..acme.clone()
        },
        Filter {
            employee_ids: Some(vec![]),
            ..acme.clone()
        },
    ];
    for f in filters {
        let all = log_ids(&ok(store.list_logs(&f).await));
        for size in [1, 3, 10, 100] {
            let (mut paged, mut after) = (Vec::new(), None);
            loop {
                let page = ok(store.page_logs(&f, after, size).await);
                assert!(
                    page.len() <= size as usize,
                    "a page holds at most its limit"
                );
                paged.extend(log_ids(&page));
                match page.last() {
                    Some(l) if page.len() == size as usize => after = Some((l.started_at, l.seq)),
                    _ => break,
                }
            }
            assert_eq!(paged, all, "pages of {size} with {f:?}");
        }
    }
}

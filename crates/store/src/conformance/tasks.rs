//! Projects renamed and archived, the members-create-projects setting, and
//! tasks with their assignees: kept inside their organization.

use chrono::Utc;
use stint_model::{Task, TaskStatus, to_millis_precision};
use uuid::Uuid;

use super::{Shared, World, assert_conflict, assert_not_found, ok};
use crate::TaskFilter;

/// A task of `project` in `org` titled `title`, assigned to `assignees`.
pub fn task_of(org: Uuid, project: Uuid, title: &str, assignees: &[Uuid]) -> Task {
    let now = to_millis_precision(Utc::now());
    Task {
        id: Uuid::now_v7(),
        seq: 0,
        org_id: org,
        project_id: project,
        title: title.into(),
        status: TaskStatus::Open,
        estimate: Some(3600),
        assignee_ids: assignees.to_vec(),
        created_at: now,
        updated_at: now,
    }
}

/// A project is renamed (a name taken is a conflict) and archived, which
/// keeps it in the list with its archive time; restoring clears it. Another
/// organization's project is not found. Employees' right to create projects
/// is off until the organization turns it on.
pub async fn projects_are_renamed_and_archived_in_their_org(store: Shared) {
    let w = World::new(&*store).await;
    assert!(!w.acme.members_create_projects, "off by default");
    let on = ok(store.set_members_create_projects(w.acme.id, true).await);
    assert!(on.members_create_projects);
    assert!(on.all_projects_available, "other settings stay");
    assert!(!ok(store.org(w.globex.id).await).members_create_projects);
    assert_not_found(
        store
            .set_members_create_projects(Uuid::now_v7(), true)
            .await,
    );

    let renamed = ok(store
        .rename_project(w.acme.id, w.app.id, "Mobile app")
        .await);
    assert_eq!((renamed.id, renamed.seq), (w.app.id, w.app.seq));
    assert_eq!(renamed.name, "Mobile app");
    assert_eq!(ok(store.project(w.acme.id, w.app.id).await), renamed);
    assert_conflict(store.rename_project(w.acme.id, w.app.id, "Website").await);
    assert_not_found(store.rename_project(w.globex.id, w.app.id, "Stolen").await);

    assert_eq!(w.website.archived_at, None);
    let at = to_millis_precision(Utc::now());
    let archived = ok(store
        .set_project_archived(w.acme.id, w.website.id, Some(at))
        .await);
    assert_eq!(archived.archived_at, Some(at));
    assert!(archived.is_archived());
    let listed = ok(store.list_projects(w.acme.id).await);
    assert!(
        listed.contains(&archived),
        "archived projects stay listed: {listed:?}"
    );
    assert_eq!(
        ok(store.project_by_name(w.acme.id, "Website").await),
        archived
    );
    assert_not_found(
        store
            .set_project_archived(w.globex.id, w.website.id, Some(at))
            .await,
    );
    assert!(!ok(store.project(w.globex.id, w.globex_website.id).await).is_archived());
    let restored = ok(store
        .set_project_archived(w.acme.id, w.website.id, None)
        .await);
    assert_eq!(restored.archived_at, None);
}

/// A task comes back as written with a seq; it is found only in its own
/// organization; its project and assignees must be of that organization;
/// an id used twice is a conflict; an update replaces the assignees.
pub async fn tasks_round_trip_and_stay_in_their_org(store: Shared) {
    let w = World::new(&*store).await;
    let written = task_of(
        w.acme.id,
        w.website.id,
        "Landing page",
        &[w.omar.id, w.jane.id],
    );
    let stored = ok(store.create_task(written.clone()).await);
    assert!(stored.seq > 0);
    let mut expected = written.clone();
    expected.seq = stored.seq;
    expected.assignee_ids.sort();
    assert_eq!(stored, expected);
    assert_eq!(ok(store.task(w.acme.id, stored.id).await), stored);
    assert_not_found(store.task(w.globex.id, stored.id).await);

    // Same id again (in any organization): a conflict, nothing changed.
    assert_conflict(store.create_task(written.clone()).await);
    let mut elsewhere = task_of(w.globex.id, w.globex_website.id, "Copy", &[]);
    elsewhere.id = written.id;
    assert!(store.create_task(elsewhere).await.is_err());
    assert_eq!(ok(store.task(w.acme.id, stored.id).await), stored);

    // Another organization's project or person is not found.
    let foreign_project = task_of(w.acme.id, w.globex_website.id, "Nope", &[]);
    assert_not_found(store.create_task(foreign_project).await);
    let foreign_person = task_of(w.acme.id, w.app.id, "Nope", &[w.eve.id]);
    assert_not_found(store.create_task(foreign_person.clone()).await);
    assert_not_found(store.task(w.acme.id, foreign_person.id).await);

    let mut changed = stored.clone();
    changed.project_id = w.app.id;
    changed.title = "Store listing".into();
    changed.status = TaskStatus::InProgress;
    changed.estimate = None;
    changed.assignee_ids = vec![w.lena.id];
    changed.updated_at = to_millis_precision(Utc::now());
    let updated = ok(store.update_task(changed.clone()).await);
    assert_eq!(updated, changed);

    let mut bad = changed.clone();
    bad.assignee_ids = vec![w.eve.id];
    assert_not_found(store.update_task(bad).await);
    assert_eq!(
        ok(store.task(w.acme.id, stored.id).await),
        changed,
        "a refused update changes nothing"
    );
    let mut stolen = changed.clone();
    stolen.org_id = w.globex.id;
    stolen.project_id = w.globex_website.id;
    assert_not_found(store.update_task(stolen).await);
}

/// Tasks list by seq, filtered by project and by assignee, never across
/// organizations.
pub async fn list_tasks_filters_by_project_and_assignee(store: Shared) {
    let w = World::new(&*store).await;
    let a = ok(store
        .create_task(task_of(w.acme.id, w.website.id, "A", &[w.omar.id]))
        .await);
    let b = ok(store
        .create_task(task_of(w.acme.id, w.app.id, "B", &[w.jane.id, w.omar.id]))
        .await);
    let c = ok(store
        .create_task(task_of(w.acme.id, w.website.id, "C", &[]))
        .await);
    ok(store
        .create_task(task_of(w.globex.id, w.globex_website.id, "G", &[w.eve.id]))
        .await);
    let ids = |ts: Vec<Task>| ts.into_iter().map(|t| t.id).collect::<Vec<_>>();
    let all = TaskFilter {
        org_id: w.acme.id,
        ..TaskFilter::default()
    };
    assert_eq!(
        ids(ok(store.list_tasks(&all).await)),
        vec![a.id, b.id, c.id]
    );
    let website = TaskFilter {
        project_ids: Some(vec![w.website.id]),
        ..all.clone()
    };
    assert_eq!(ids(ok(store.list_tasks(&website).await)), vec![a.id, c.id]);
    let omars = TaskFilter {
        assignee_id: Some(w.omar.id),
        ..all.clone()
    };
    assert_eq!(ids(ok(store.list_tasks(&omars).await)), vec![a.id, b.id]);
    let none = TaskFilter {
        project_ids: Some(vec![]),
        ..all.clone()
    };
    assert!(ok(store.list_tasks(&none).await).is_empty());
    let foreign = TaskFilter {
        project_ids: Some(vec![w.globex_website.id]),
        ..all
    };
    assert!(ok(store.list_tasks(&foreign).await).is_empty());
}

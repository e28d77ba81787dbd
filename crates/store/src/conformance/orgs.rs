//! Organizations, users and projects: created, found, unique, and never
//! visible from another organization.

use uuid::Uuid;

use super::{Shared, World, assert_conflict, assert_not_found, new_user, ok};
use stint_model::{Organization, Role, ScreenshotDeletion};

/// Acme is created with all projects available, found by id and by name;
/// a second "Acme" is a conflict; unknown ids and names are not found; the
/// IceHrm setting can be switched off.
pub async fn orgs_are_unique_by_name_and_found_by_id_and_name(store: Shared) {
    let id = Uuid::now_v7();
    let acme = ok(store.create_org(id, "Acme").await);
    assert_eq!(
        acme,
        Organization {
            id,
            name: "Acme".into(),
            all_projects_available: true,
            screenshot_retention_days: None,
            members_create_projects: false,
            never_capture: String::new(),
            screenshot_deletion: ScreenshotDeletion::WithTime,
        }
    );
    let keep = ok(store
        .set_screenshot_deletion(id, ScreenshotDeletion::KeepTime)
        .await);
    assert_eq!(keep.screenshot_deletion, ScreenshotDeletion::KeepTime);
    assert_eq!(
        ok(store.org(id).await).screenshot_deletion,
        ScreenshotDeletion::KeepTime
    );
    ok(store
        .set_screenshot_deletion(id, ScreenshotDeletion::WithTime)
        .await);
    let private = ok(store.set_never_capture(id, "keepassxc, title:bank").await);
    assert_eq!(private.never_capture, "keepassxc, title:bank");
    assert_eq!(
        ok(store.org(id).await).never_capture,
        "keepassxc, title:bank"
    );
    let acme = ok(store.set_never_capture(id, "").await);
    assert_not_found(store.set_never_capture(Uuid::now_v7(), "x").await);
    assert_eq!(ok(store.org(id).await), acme);
    assert_eq!(ok(store.org_by_name("Acme").await), acme);
    assert_conflict(store.create_org(Uuid::now_v7(), "Acme").await);

    let globex = ok(store.create_org(Uuid::now_v7(), "Globex").await);
    let mut all = ok(store.list_orgs().await);
    all.sort_by_key(|o| o.name.clone());
    assert_eq!(all, vec![acme.clone(), globex]);

    assert_not_found(store.org(Uuid::now_v7()).await);
    assert_not_found(store.org_by_name("Initech").await);

    let off = ok(store.set_all_projects_available(id, false).await);
    assert!(!off.all_projects_available);
    assert!(!ok(store.org(id).await).all_projects_available);
    assert_not_found(store.set_all_projects_available(Uuid::now_v7(), true).await);

    let kept = ok(store.set_screenshot_retention(id, Some(30)).await);
    assert_eq!(kept.screenshot_retention_days, Some(30));
    assert!(!kept.all_projects_available, "other settings stay");
    assert_eq!(ok(store.org(id).await), kept);
    let forever = ok(store.set_screenshot_retention(id, None).await);
    assert_eq!(forever.screenshot_retention_days, None);
    assert_not_found(
        store
            .set_screenshot_retention(Uuid::now_v7(), Some(1))
            .await,
    );
}

/// E-mails are the sign-in name, unique across the server. A user is found
/// in their own organization by id and by seq, and nowhere else.
pub async fn users_are_unique_by_email_and_scoped_to_their_org(store: Shared) {
    let w = World::new(&*store).await;
    let omar = &w.omar;
    assert_eq!(omar.org_id, w.acme.id);
    assert_eq!(omar.email, "omar@acme.example");
    assert_eq!(omar.role, Role::Employee);
    assert_eq!(omar.supervisor_id, Some(w.lena.id));
    assert_eq!(omar.timezone, "Europe/Berlin");
    assert!(omar.password_hash.contains("omar"));
    assert!(w.lena.seq > 0 && omar.seq > w.lena.seq && w.jane.seq > omar.seq);

    assert_eq!(ok(store.user(w.acme.id, omar.id).await), *omar);
    assert_eq!(ok(store.user_by_seq(w.acme.id, omar.seq).await), *omar);
    assert_eq!(ok(store.user_by_email("omar@acme.example").await), *omar);
    assert_eq!(ok(store.user_by_id(omar.id).await), *omar);
    assert_not_found(store.user_by_id(Uuid::now_v7()).await);

    // Another organization cannot even tell the ids exist.
    assert_not_found(store.user(w.globex.id, omar.id).await);
    assert_not_found(store.user_by_seq(w.globex.id, omar.seq).await);
    assert_not_found(store.user(w.acme.id, Uuid::now_v7()).await);
    assert_not_found(store.user_by_email("nobody@acme.example").await);

    // The same address in another organization is still taken.
    let mut again = new_user(&w.globex, "x", Role::Employee, None);
    again.email = omar.email.clone();
    assert_conflict(store.create_user(again).await);

    let acme_people = ok(store.list_users(w.acme.id).await);
    assert_eq!(
        acme_people,
        vec![w.lena.clone(), w.omar.clone(), w.jane.clone()]
    );
    assert_eq!(ok(store.list_users(w.globex.id).await), vec![w.eve.clone()]);
}

/// Project names are unique inside an organization only; projects are
/// found by id, seq and name in their organization only.
pub async fn projects_are_unique_per_org_and_scoped_to_it(store: Shared) {
    let w = World::new(&*store).await;
    assert_eq!(w.website.name, "Website");
    assert_eq!(w.website.org_id, w.acme.id);
    assert_eq!(w.globex_website.name, "Website");
    assert!(w.app.seq > w.website.seq);

    assert_conflict(
        store
            .create_project(Uuid::now_v7(), w.acme.id, "Website")
            .await,
    );

    assert_eq!(ok(store.project(w.acme.id, w.app.id).await), w.app);
    assert_eq!(ok(store.project_by_seq(w.acme.id, w.app.seq).await), w.app);
    assert_eq!(
        ok(store.project_by_name(w.acme.id, "Website").await),
        w.website
    );
    assert_eq!(
        ok(store.project_by_name(w.globex.id, "Website").await),
        w.globex_website
    );

    assert_not_found(store.project(w.globex.id, w.app.id).await);
    assert_not_found(store.project_by_seq(w.globex.id, w.app.seq).await);
    assert_not_found(store.project_by_name(w.globex.id, "App").await);

    assert_eq!(
        ok(store.list_projects(w.acme.id).await),
        vec![w.website.clone(), w.app.clone()]
    );
    assert_eq!(
        ok(store.list_projects(w.globex.id).await),
        vec![w.globex_website.clone()]
    );
}

/// Assigning twice is the same as once; a project of another organization
/// cannot be assigned.
pub async fn project_assignment_is_idempotent_and_stays_in_the_org(store: Shared) {
    let w = World::new(&*store).await;
    assert!(ok(store.assigned_projects(w.omar.id).await).is_empty());
    ok(store.assign_project(w.website.id, w.omar.id).await);
    ok(store.assign_project(w.website.id, w.omar.id).await);
    assert_eq!(
        ok(store.assigned_projects(w.omar.id).await),
        vec![w.website.id]
    );

    ok(store.assign_project(w.app.id, w.omar.id).await);
    let mut mine = ok(store.assigned_projects(w.omar.id).await);
    mine.sort();
    let mut want = vec![w.website.id, w.app.id];
    want.sort();
    assert_eq!(mine, want);
    assert!(ok(store.assigned_projects(w.jane.id).await).is_empty());

    let cross = store.assign_project(w.globex_website.id, w.omar.id).await;
    assert!(cross.is_err(), "cross-organization assignment must fail");
    assert_eq!(ok(store.assigned_projects(w.omar.id).await).len(), 2);
}

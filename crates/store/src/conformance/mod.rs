//! The one test suite every [`Store`] backend must pass.
//!
//! Each case is a short story written against the trait only, so the rest
//! of the server can rely on exactly what passes here, whichever backend
//! runs. A backend's test file runs them all with one line:
//!
//! ```ignore
//! stint_store::conformance_tests!(async { Arc::new(MyStore::new()) as Arc<dyn Store> });
//! ```
//!
//! The expression is evaluated once per case and must give a fresh, empty
//! store. Cases panic (with a message saying what was expected) on failure;
//! this module is compiled into the library so backends in other crates can
//! use it, and needs no test-only dependencies.

use std::fmt::Debug;
use std::sync::Arc;

use chrono::{NaiveDate, TimeZone, Utc};
use stint_model::{Instant, LogSource, LogType, Organization, Project, Role, TimeLog, User};
use uuid::Uuid;

use crate::{NewUser, Result, Store, StoreError};

mod client_ids;
mod log_runs;
mod logs;
mod logs_batch;
mod logs_list;
mod logs_page;
mod orgs;
mod screenshot_views;
mod sessions;
mod slots;
mod tasks;
mod timesheets;

pub use client_ids::*;
pub use log_runs::*;
pub use logs::*;
pub use logs_batch::*;
pub use logs_list::*;
pub use logs_page::*;
pub use orgs::*;
pub use screenshot_views::*;
pub use sessions::*;
pub use slots::*;
pub use tasks::*;
pub use timesheets::*;

/// Runs every conformance case as its own `#[tokio::test]` (multi-threaded
/// runtime, so concurrency cases really run in parallel). `$make` is an
/// async expression giving a fresh `Arc<dyn Store>`; the calling crate needs
/// `tokio` with the `macros` and `rt-multi-thread` features.
#[macro_export]
macro_rules! conformance_tests {
    ($make:expr) => {
        $crate::conformance_tests!(@cases $make;
            orgs_are_unique_by_name_and_found_by_id_and_name,
            users_are_unique_by_email_and_scoped_to_their_org,
            projects_are_unique_per_org_and_scoped_to_it,
            project_assignment_is_idempotent_and_stays_in_the_org,
            replayed_log_insert_changes_nothing,
            overlapping_log_is_rejected_naming_the_clash,
            touching_logs_are_accepted,
            starting_a_timer_stops_the_running_one_with_a_reason,
            stop_running_never_stops_a_log_that_starts_later,
            update_log_checks_overlap_except_with_itself,
            deleted_log_is_hidden_and_a_replay_does_not_resurrect_it,
            list_logs_filters_by_range_employee_and_project,
            page_logs_pages_through_list_logs,
            running_log_is_the_one_without_a_stop,
            every_log_type_and_source_round_trips,
            concurrent_timer_starts_leave_exactly_one_running,
            insert_logs_decides_as_one_insert_after_another,
            insert_logs_takes_a_large_batch_once,
            insert_logs_for_a_stranger_finds_nobody,
            sync_logs_decides_as_the_reference,
            concurrent_runs_claim_an_id_once,
            a_replayed_run_changes_nothing,
            ensure_timesheet_creates_one_sheet_per_week,
            list_timesheets_filters_pages_and_counts,
            update_timesheets_is_all_or_nothing,
            a_rejection_reason_is_kept_listed_and_cleared,
            slot_parts_merge_and_replayed_parts_change_nothing,
            delete_slots_removes_own_slots_and_their_activities,
            insert_activities_skips_known_ids,
            screenshots_are_idempotent_listed_and_deleted,
            sessions_rotate_once_and_revoke,
            session_user_is_the_live_sessions_user,
            a_lost_refresh_is_taken_once_inside_its_grace,
            a_retried_refresh_wins_once_across_replicas,
            first_setting_writer_wins,
            client_ids_belong_to_their_first_user,
            concurrent_claims_of_one_id_have_one_winner,
            screenshot_views_are_listed_by_owner_and_time,
            views_go_only_a_year_after_their_screenshot,
            projects_are_renamed_and_archived_in_their_org,
            tasks_round_trip_and_stay_in_their_org,
            list_tasks_filters_by_project_and_assignee,
        );
    };
    (@cases $make:expr; $($case:ident),* $(,)?) => {
        $(
            #[::tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $case() {
                let store: ::std::sync::Arc<dyn $crate::Store> = $make.await;
                $crate::conformance::$case(store).await;
            }
        )*
    };
}

/// Two organizations with people and projects, the cast of most stories.
pub struct World {
    pub acme: Organization,
    /// Another company on the same server: must never see Acme's rows.
    pub globex: Organization,
    /// Acme's manager and the supervisor of Omar and Jane.
    pub lena: User,
    pub omar: User,
    pub jane: User,
    /// Globex's admin.
    pub eve: User,
    pub website: Project,
    pub app: Project,
    /// Globex's project of the same name as Acme's.
    pub globex_website: Project,
}

impl World {
    pub async fn new(store: &dyn Store) -> World {
        let acme = ok(store.create_org(Uuid::now_v7(), "Acme").await);
        let globex = ok(store.create_org(Uuid::now_v7(), "Globex").await);
        let lena = ok(store
            .create_user(new_user(&acme, "lena", Role::Manager, None))
            .await);
        let omar = ok(store
            .create_user(new_user(&acme, "omar", Role::Employee, Some(lena.id)))
            .await);
        let jane = ok(store
            .create_user(new_user(&acme, "jane", Role::Employee, Some(lena.id)))
            .await);
        let eve = ok(store
            .create_user(new_user(&globex, "eve", Role::Admin, None))
            .await);
        let website = ok(store
            .create_project(Uuid::now_v7(), acme.id, "Website")
            .await);
        let app = ok(store.create_project(Uuid::now_v7(), acme.id, "App").await);
        let globex_website = ok(store
            .create_project(Uuid::now_v7(), globex.id, "Website")
            .await);
        World {
            acme,
            globex,
            lena,
            omar,
            jane,
            eve,
            website,
            app,
            globex_website,
        }
    }
}

/// A user `name@<org>.example` in Berlin.
pub fn new_user(org: &Organization, name: &str, role: Role, supervisor: Option<Uuid>) -> NewUser {
    NewUser {
        id: Uuid::now_v7(),
        org_id: org.id,
        email: format!("{name}@{}.example", org.name.to_lowercase()),
        name: name.to_string(),
        password_hash: format!("$argon2id$v=19$fake${name}"),
        role,
        supervisor_id: supervisor,
        timezone: "Europe/Berlin".into(),
    }
}

/// `hh:mm` UTC on Tuesday 2026-04-07 (`day` days later); whole
/// milliseconds, as stored.
pub fn at(day: i64, h: u32, m: u32) -> Instant {
    Utc.with_ymd_and_hms(2026, 4, 7, h, m, 0)
        .single()
        .expect("a valid time")
        + chrono::Duration::days(day)
}

pub fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a valid date")
}

/// A TRACKED desktop log of `who` on `project` (`stop = None`: running).
pub fn log_of(
    who: &User,
    project: Option<&Project>,
    start: Instant,
    stop: Option<Instant>,
) -> TimeLog {
    TimeLog {
        id: Uuid::now_v7(),
        seq: 0,
        org_id: who.org_id,
        employee_id: who.id,
        project_id: project.map(|p| p.id),
        task_id: None,
        started_at: start,
        stopped_at: stop,
        log_type: LogType::Tracked,
        source: LogSource::Desktop,
        description: String::new(),
        is_billable: true,
        version: 1,
        stopped_reason: None,
        created_at: start,
        updated_at: start,
    }
}

/// The value, or a panic naming the error.
#[track_caller]
pub fn ok<T>(r: Result<T>) -> T {
    match r {
        Ok(v) => v,
        Err(e) => panic!("expected success, got {e:?}"),
    }
}

#[track_caller]
pub fn assert_not_found<T: Debug>(r: Result<T>) {
    assert!(
        matches!(r, Err(StoreError::NotFound)),
        "expected NotFound, got {r:?}"
    );
}

/// A Conflict whose message reads "... already exists".
#[track_caller]
pub fn assert_conflict<T: Debug>(r: Result<T>) {
    match r {
        Err(StoreError::Conflict(msg)) => assert!(
            msg.contains("already exists"),
            "conflict message should say what already exists: {msg:?}"
        ),
        other => panic!("expected Conflict, got {other:?}"),
    }
}

/// An Overlap naming `clash`; returns the reported log.
#[track_caller]
pub fn assert_overlap<T: Debug>(r: Result<T>, clash: Uuid) -> TimeLog {
    match r {
        Err(StoreError::Overlap(other)) => {
            assert_eq!(other.id, clash, "the overlap must name the clashing log");
            *other
        }
        other => panic!("expected Overlap with {clash}, got {other:?}"),
    }
}

/// Log ids in order, to compare lists.
pub fn log_ids(logs: &[TimeLog]) -> Vec<Uuid> {
    logs.iter().map(|l| l.id).collect()
}

/// Shared handle for cases that spawn tasks.
pub type Shared = Arc<dyn Store>;

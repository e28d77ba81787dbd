//! The outbox keeps every step until the server acknowledges it.

use super::*;
use chrono::{TimeDelta, TimeZone, Utc};

fn at(s: i64) -> Instant {
    Utc.with_ymd_and_hms(2026, 4, 6, 9, 0, 0).unwrap() + TimeDelta::seconds(s)
}

fn ctx() -> LogContext {
    LogContext {
        project_id: Some(Uuid::now_v7()),
        task_id: Some(Uuid::now_v7()),
        description: "Website".into(),
    }
}

#[test]
fn a_step_and_its_heartbeat_are_written_together() {
    let mut o = Outbox::in_memory().unwrap();
    let id = Uuid::now_v7();
    o.apply(
        &[Change::Opened {
            id,
            log_type: LogType::Tracked,
            at: at(0),
        }],
        &ctx(),
        Some(at(0)),
    )
    .unwrap();
    o.apply(&[], &ctx(), Some(at(5))).unwrap();
    assert_eq!(o.last_heartbeat().unwrap(), Some(at(5)));
    let open = o.open_log().unwrap().unwrap();
    assert_eq!(
        (open.id, open.description.as_str(), open.stopped_at),
        (id, "Website", None)
    );
    assert_eq!(
        o.backlog().unwrap(),
        Backlog {
            pending: 1,
            failed: 0
        }
    );
}

#[test]
fn a_log_stays_pending_until_its_newest_version_is_acknowledged() {
    let mut o = Outbox::in_memory().unwrap();
    let id = Uuid::now_v7();
    o.apply(
        &[Change::Opened {
            id,
            log_type: LogType::Tracked,
            at: at(0),
        }],
        &ctx(),
        None,
    )
    .unwrap();
    let sent = o.pending(10).unwrap();
    assert_eq!(sent[0].version, 1);
    // The log closes while version 1 is on its way.
    o.apply(&[Change::Closed { id, at: at(60) }], &ctx(), None)
        .unwrap();
    o.acknowledged(id, 1).unwrap();
    let again = o.pending(10).unwrap();
    assert_eq!(
        (again.len(), again[0].version, again[0].stopped_at),
        (1, 2, Some(at(60)))
    );
    o.acknowledged(id, 2).unwrap();
    assert!(o.pending(10).unwrap().is_empty());
    assert_eq!(
        o.logs().unwrap().len(),
        1,
        "acknowledged logs are kept for the day's totals"
    );
}

#[test]
fn a_refused_log_is_kept_with_the_message_and_does_not_block_others() {
    let mut o = Outbox::in_memory().unwrap();
    let (a, b) = (Uuid::now_v7(), Uuid::now_v7());
    o.apply(
        &[
            Change::Opened {
                id: a,
                log_type: LogType::Tracked,
                at: at(0),
            },
            Change::Closed { id: a, at: at(10) },
            Change::Opened {
                id: b,
                log_type: LogType::Tracked,
                at: at(20),
            },
        ],
        &ctx(),
        None,
    )
    .unwrap();
    o.failed(a, 2, "overlaps time log x").unwrap();
    let pending = o.pending(10).unwrap();
    assert_eq!(pending.iter().map(|l| l.id).collect::<Vec<_>>(), vec![b]);
    assert_eq!(
        o.backlog().unwrap(),
        Backlog {
            pending: 1,
            failed: 1
        }
    );
    assert_eq!(
        o.log(a).unwrap().unwrap().failed_message.as_deref(),
        Some("overlaps time log x")
    );
}

#[test]
fn a_deleted_log_is_sent_as_a_deletion_then_forgotten() {
    let mut o = Outbox::in_memory().unwrap();
    let id = Uuid::now_v7();
    o.apply(
        &[Change::Opened {
            id,
            log_type: LogType::Resumed,
            at: at(0),
        }],
        &ctx(),
        None,
    )
    .unwrap();
    o.apply(&[Change::Deleted { id }], &ctx(), None).unwrap();
    let p = o.pending(10).unwrap();
    assert!(p[0].deleted);
    o.acknowledged(id, p[0].version).unwrap();
    assert!(o.log(id).unwrap().is_none());
    assert!(o.open_log().unwrap().is_none());
}

#[test]
fn the_outbox_survives_reopening() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("outbox.db");
    let id = Uuid::now_v7();
    {
        let mut o = Outbox::open(&path).unwrap();
        o.apply(
            &[Change::Opened {
                id,
                log_type: LogType::Tracked,
                at: at(0),
            }],
            &ctx(),
            Some(at(7)),
        )
        .unwrap();
        o.put("server", "http://127.0.0.1:1").unwrap();
    }
    let o = Outbox::open(&path).unwrap();
    assert_eq!(o.open_log().unwrap().unwrap().id, id);
    assert_eq!(o.last_heartbeat().unwrap(), Some(at(7)));
    assert_eq!(
        o.get("server").unwrap().as_deref(),
        Some("http://127.0.0.1:1")
    );
}

#[test]
fn retyping_and_stops_from_elsewhere_are_recorded() {
    let mut o = Outbox::in_memory().unwrap();
    let id = Uuid::now_v7();
    o.apply(
        &[
            Change::Opened {
                id,
                log_type: LogType::Idle,
                at: at(0),
            },
            Change::Closed { id, at: at(600) },
        ],
        &ctx(),
        None,
    )
    .unwrap();
    o.apply(
        &[Change::Retyped {
            id,
            to: LogType::Tracked,
        }],
        &ctx(),
        None,
    )
    .unwrap();
    let l = o.log(id).unwrap().unwrap();
    assert_eq!((l.log_type, l.version), (LogType::Tracked, 3));
    let run = Uuid::now_v7();
    o.apply(
        &[Change::Opened {
            id: run,
            log_type: LogType::Tracked,
            at: at(700),
        }],
        &ctx(),
        None,
    )
    .unwrap();
    o.stopped_elsewhere(run, at(800), "started elsewhere")
        .unwrap();
    assert_eq!(o.log(run).unwrap().unwrap().stopped_at, Some(at(800)));
    assert!(o.open_log().unwrap().is_none());
}

#[test]
fn finished_slots_wait_with_the_step_until_acknowledged_or_refused() {
    let mut o = Outbox::in_memory().unwrap();
    let log = Uuid::now_v7();
    let mut b = crate::slots::SlotBuilder::default();
    b.add(
        at(0),
        log,
        &crate::slots::Sample {
            keyboard: true,
            ..Default::default()
        },
    );
    let r = b.finish().unwrap();
    let changes = [Change::Opened {
        id: log,
        log_type: LogType::Tracked,
        at: at(0),
    }];
    o.apply_with_slots(
        &changes,
        std::slice::from_ref(&r),
        &ctx(),
        Some(at(1)),
        None,
    )
    .unwrap();
    assert_eq!(o.pending_slots(10).unwrap(), vec![r.clone()]);
    assert_eq!(o.backlog().unwrap().pending, 2);
    o.slot_failed(r.id, "404: time log not found").unwrap();
    assert!(o.pending_slots(10).unwrap().is_empty());
    assert_eq!(
        o.backlog().unwrap(),
        Backlog {
            pending: 1,
            failed: 1
        }
    );
    // Replaying the same step stores the slot once.
    o.apply_with_slots(&[], std::slice::from_ref(&r), &ctx(), None, None)
        .unwrap();
    assert_eq!(o.backlog().unwrap().failed, 1);
}

/// Issue 15, point 4: the slot being built is saved with each heartbeat,
/// carried on after a kill while its ten minutes last, and queued as it was
/// once they are over; a slot that finishes leaves no saved copy behind.
#[test]
fn the_open_slot_is_saved_with_the_heartbeat_and_outlives_a_kill() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("outbox.db");
    let mut o = Outbox::open(&path).unwrap();
    let log = Uuid::now_v7();
    let mut b = crate::slots::SlotBuilder::default();
    let typing = crate::slots::Sample {
        keyboard: true,
        ..Default::default()
    };
    for s in 0..20 {
        b.add(at(s), log, &typing);
        let live = Live {
            input_seen: Some(at(s)),
            slot: Some(b.clone()),
        };
        o.apply_with_slots(&[], &[], &ctx(), Some(at(s)), Some(&live))
            .unwrap();
    }
    drop(o);
    // kill -9: the next start finds the slot as of the last heartbeat.
    let mut o = Outbox::open(&path).unwrap();
    assert_eq!(o.input_seen().unwrap(), Some(at(19)));
    let resumed = o.resume_slot(at(30)).unwrap();
    assert_eq!(resumed, b, "carried on in its ten minutes");
    assert!(o.pending_slots(10).unwrap().is_empty());
    // Started again only at 09:10: the slot is queued as it was, once.
    let fresh = o.resume_slot(at(600)).unwrap();
    assert!(!fresh.is_open());
    let queued = o.pending_slots(10).unwrap();
    let expected = b.clone().finish().unwrap();
    assert_eq!(queued, vec![expected.clone()]);
    assert_eq!(o.open_slot().unwrap(), None);
    o.resume_slot(at(601)).unwrap();
    assert_eq!(o.pending_slots(10).unwrap().len(), 1, "queued once");
    // A step that finishes the slot removes the saved one with it.
    let mut b = crate::slots::SlotBuilder::default();
    b.add(at(700), log, &typing);
    let live = |slot| Live {
        input_seen: None,
        slot: Some(slot),
    };
    o.apply_with_slots(&[], &[], &ctx(), Some(at(700)), Some(&live(b.clone())))
        .unwrap();
    assert!(o.open_slot().unwrap().is_some());
    let done = b.finish().unwrap();
    o.apply_with_slots(&[], &[done], &ctx(), Some(at(701)), Some(&live(b)))
        .unwrap();
    assert_eq!(o.open_slot().unwrap(), None);
    assert_eq!(o.pending_slots(10).unwrap().len(), 2);
}

/// Issue 15, point 3: a screenshot waits only until input is seen after it
/// (then it is of work), and not at all once no log runs.
#[test]
fn screenshots_wait_for_input_after_them_or_a_stop() {
    let mut o = Outbox::in_memory().unwrap();
    let e = crate::capture::Encoded::tiny();
    let id = Uuid::now_v7();
    let opened = Change::Opened {
        id,
        log_type: LogType::Tracked,
        at: at(0),
    };
    o.apply(&[opened], &ctx(), Some(at(0))).unwrap();
    for s in [5, 10, 15] {
        o.add_shot(at(s), &e).unwrap();
    }
    let ready = |o: &Outbox, settled| -> Vec<Instant> {
        o.shots_to_upload(10, settled, at(1000))
            .unwrap()
            .iter()
            .map(|s| s.recorded_at)
            .collect()
    };
    assert!(ready(&o, at(-300)).is_empty(), "no input seen yet");
    let seen = |s| Live {
        input_seen: Some(at(s)),
        slot: None,
    };
    o.apply_with_slots(&[], &[], &ctx(), Some(at(12)), Some(&seen(12)))
        .unwrap();
    assert_eq!(ready(&o, at(-300)), [at(5), at(10)]);
    assert_eq!(ready(&o, at(20)), [at(5), at(10), at(15)], "the cap");
    // The employee's review window: none younger than it goes yet.
    let reviewed = o.shots_to_upload(10, at(-300), at(8)).unwrap();
    assert_eq!(reviewed.len(), 1, "only the 5 s one is past its review");
    // Input stopped at 12 s and idle is noticed: the 15 s one goes.
    assert_eq!(o.drop_shots_since(at(12)).unwrap(), 1);
    o.add_shot(at(30), &e).unwrap();
    assert_eq!(ready(&o, at(-300)), [at(5), at(10)]);
    // Stopped: nothing waits.
    o.apply(&[Change::Closed { id, at: at(31) }], &ctx(), Some(at(31)))
        .unwrap();
    assert_eq!(ready(&o, at(-300)), [at(5), at(10), at(30)]);
}

#[test]
fn uploaded_screenshots_keep_only_the_last_thumbnails() {
    let dir = tempfile::tempdir().unwrap();
    let mut o = Outbox::open(&dir.path().join("outbox.db")).unwrap();
    let e = crate::capture::Encoded::tiny();
    let start = chrono::Utc::now();
    let shots: Vec<_> = (0..8)
        .map(|i| {
            o.add_shot(start + chrono::TimeDelta::seconds(i), &e)
                .unwrap()
        })
        .collect();
    for s in &shots {
        o.shot_acknowledged(s).unwrap();
    }
    assert!(shots.iter().all(|s| !s.file.exists()), "uploaded images go");
    let kept: Vec<bool> = shots.iter().map(|s| s.thumb.exists()).collect();
    assert_eq!(kept, [false, false, true, true, true, true, true, true]);
    let recent = o.recent_shots(6).unwrap();
    assert!(
        recent
            .iter()
            .all(|(s, uploaded)| *uploaded && s.thumb.exists())
    );
    o.forget_tracked().unwrap();
    assert!(shots.iter().all(|s| !s.thumb.exists()));
    assert!(o.recent_shots(6).unwrap().is_empty());
}

/// The outbox holds tokens and screenshots: its directory, database (with
/// `-wal` and `-shm`) and screenshot files are this user's only, and an
/// outbox an older version left readable is corrected when opened.
#[cfg(unix)]
#[test]
fn the_outbox_and_its_screenshots_are_private() {
    use std::os::unix::fs::PermissionsExt;
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    let chmod =
        |p: &Path, m: u32| std::fs::set_permissions(p, std::fs::Permissions::from_mode(m)).unwrap();
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("data");
    let path = dir.join("outbox.db");
    let mut o = Outbox::open(&path).unwrap();
    o.put("refresh_token", "secret").unwrap();
    let shot = o.add_shot(at(0), &crate::capture::Encoded::tiny()).unwrap();
    let files = [
        path.clone(),
        dir.join("outbox.db-wal"),
        dir.join("outbox.db-shm"),
        shot.file.clone(),
        shot.thumb.clone(),
    ];
    let dirs = [dir.clone(), dir.join("shots")];
    for f in &files {
        assert_eq!(mode(f), 0o600, "{}", f.display());
    }
    for d in &dirs {
        assert_eq!(mode(d), 0o700, "{}", d.display());
    }

    for f in &files {
        chmod(f, 0o644);
    }
    for d in &dirs {
        chmod(d, 0o755);
    }
    let _again = Outbox::open(&path).unwrap();
    for f in &files {
        assert_eq!(mode(f), 0o600, "corrected: {}", f.display());
    }
    for d in &dirs {
        assert_eq!(mode(d), 0o700, "corrected: {}", d.display());
    }
    drop(o);
}

#[test]
fn an_outbox_from_before_tasks_is_upgraded_and_keeps_its_logs() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("outbox.db");
    let id = Uuid::now_v7();
    {
        let old = Connection::open(&path).unwrap();
        old.execute_batch(
            "CREATE TABLE logs (id TEXT PRIMARY KEY, project_id TEXT, description TEXT NOT NULL DEFAULT '', \
             log_type TEXT NOT NULL, started_at INTEGER NOT NULL, stopped_at INTEGER, deleted INTEGER NOT NULL DEFAULT 0, \
             version INTEGER NOT NULL DEFAULT 1, synced_version INTEGER NOT NULL DEFAULT 0, failed_version INTEGER, \
             failed_message TEXT, stopped_reason TEXT);",
        )
        .unwrap();
        old.execute(
            "INSERT INTO logs (id, description, log_type, started_at) VALUES (?1, 'before', 'TRACKED', 0)",
            [id.to_string()],
        )
        .unwrap();
    }
    let mut o = Outbox::open(&path).unwrap();
    let before = o.log(id).unwrap().expect("the old log is kept");
    assert_eq!(
        (before.description.as_str(), before.task_id),
        ("before", None)
    );
    let c = ctx();
    let new = Uuid::now_v7();
    o.apply(
        &[Change::Opened {
            id: new,
            log_type: LogType::Tracked,
            at: at(0),
        }],
        &c,
        None,
    )
    .unwrap();
    assert_eq!(o.log(new).unwrap().unwrap().task_id, c.task_id);
    drop(o);
    Outbox::open(&path).expect("opening again changes nothing");
}

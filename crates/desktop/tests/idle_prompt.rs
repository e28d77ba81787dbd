//! The idle prompt: two minutes without input (scripted) while the timer
//! runs, input back, and the user's answer: Keep counts the stretch,
//! Discard leaves it idle, Stop also ends the timer.

mod common;

use std::time::Duration;

use common::{Notices, eventually, open_with, platform};
use stint_desktop::Desktop;
use stint_desktop::Notice;
use stint_desktop::dto::{IdleAnswer, IdlePrompt, LogKind, Settings, TrackingState};

/// Three polls with input, two minutes away, then input again.
fn away_two_minutes() -> Vec<Duration> {
    let mut s = vec![Duration::ZERO; 3];
    s.push(Duration::from_secs(120));
    s
}

async fn app() -> (tempfile::TempDir, Desktop, Notices) {
    let dir = tempfile::tempdir().expect("temp dir");
    let (app, notices) = open_with(dir.path(), platform(&away_two_minutes(), None)).await;
    app.use_this_computer_only().await.expect("sign in");
    let s = app
        .save_settings(Settings {
            idle_threshold_seconds: 60,
            screenshot_interval_seconds: None,
            ..Settings::default()
        })
        .await
        .expect("settings");
    assert_eq!(app.settings().await.expect("settings"), s);
    (dir, app, notices)
}

/// Starts the timer and waits for the prompt about the scripted absence.
async fn start_and_wait_for_prompt(app: &Desktop, notices: &Notices) -> IdlePrompt {
    let before = notices.all().len();
    app.start(None, "deep work".into()).await.expect("start");
    let prompt = eventually("an idle prompt notice", || async {
        notices.all()[before..].iter().find_map(|n| match n {
            Notice::IdlePrompt(p) => Some(p.clone()),
            _ => None,
        })
    })
    .await;
    assert!(prompt.from < prompt.to, "{prompt:?}");
    let states: Vec<TrackingState> = notices.all()[before..]
        .iter()
        .filter_map(|n| match n {
            Notice::Tracking(t) => Some(t.state),
            _ => None,
        })
        .collect();
    let idle_at = states.iter().position(|s| *s == TrackingState::Idle);
    assert!(
        idle_at.is_some_and(|i| states[i..].contains(&TrackingState::Tracking)),
        "the window saw idle, then tracking again: {states:?}"
    );
    let s = app.status().await.expect("status");
    assert!(s.idle_prompts.contains(&prompt), "{s:?}");
    assert_eq!(s.tracking.state, TrackingState::Tracking, "{s:?}");
    assert_eq!(
        kind_of(app, &prompt.idle_log_id).await,
        Some(LogKind::Idle),
        "the absence is an idle log until answered"
    );
    prompt
}

async fn kind_of(app: &Desktop, id: &str) -> Option<LogKind> {
    let logs = app.recent_logs().await.expect("recent logs");
    logs.iter().find(|l| l.id == id).map(|l| l.kind)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn keep_counts_the_idle_time() {
    let (_dir, app, notices) = app().await;
    let prompt = start_and_wait_for_prompt(&app, &notices).await;

    let s = app
        .answer_idle(&prompt.idle_log_id, IdleAnswer::Keep)
        .await
        .expect("keep");
    assert!(!s.idle_prompts.contains(&prompt), "answered: {s:?}");
    assert_eq!(s.tracking.state, TrackingState::Tracking);
    eventually("the idle log counted as tracked", || async {
        (kind_of(&app, &prompt.idle_log_id).await == Some(LogKind::Tracked)).then_some(())
    })
    .await;

    let e = app
        .answer_idle(&prompt.idle_log_id, IdleAnswer::Keep)
        .await
        .unwrap_err();
    assert_eq!(e.code, "notFound", "answered twice: {e:?}");
    let s = app.stop().await.expect("stop");
    assert_eq!(s.tracking.state, TrackingState::Stopped);
    assert_eq!(
        kind_of(&app, &prompt.idle_log_id).await,
        Some(LogKind::Tracked)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn discard_leaves_it_idle_and_stop_ends_the_timer() {
    let (_dir, app, notices) = app().await;

    let first = start_and_wait_for_prompt(&app, &notices).await;
    let s = app
        .answer_idle(&first.idle_log_id, IdleAnswer::Discard)
        .await
        .expect("discard");
    assert!(!s.idle_prompts.contains(&first), "{s:?}");
    assert_eq!(s.tracking.state, TrackingState::Tracking, "{s:?}");
    let s = app.stop().await.expect("stop");
    assert_eq!(s.tracking.state, TrackingState::Stopped);
    assert_eq!(kind_of(&app, &first.idle_log_id).await, Some(LogKind::Idle));

    // A second run (the script plays again): this time Stop.
    let second = start_and_wait_for_prompt(&app, &notices).await;
    assert_ne!(second.idle_log_id, first.idle_log_id);
    let s = app
        .answer_idle(&second.idle_log_id, IdleAnswer::Stop)
        .await
        .expect("stop from the prompt");
    assert!(!s.idle_prompts.contains(&second), "{s:?}");
    eventually("the timer to end", || async {
        let s = app.status().await.expect("status");
        (s.tracking.state == TrackingState::Stopped).then_some(())
    })
    .await;
    assert_eq!(
        kind_of(&app, &second.idle_log_id).await,
        Some(LogKind::Idle)
    );
    let logs = app.recent_logs().await.expect("recent logs");
    assert!(
        logs.iter().all(|l| l.stopped_at.is_some()),
        "nothing left running: {logs:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn answering_an_unknown_prompt_is_not_found() {
    let (_dir, app, _) = app().await;
    let e = app
        .answer_idle(&uuid::Uuid::now_v7().to_string(), IdleAnswer::Keep)
        .await
        .unwrap_err();
    assert_eq!(e.code, "notFound", "{e:?}");
    let e = app
        .answer_idle("not-an-id", IdleAnswer::Discard)
        .await
        .unwrap_err();
    assert_eq!(e.code, "notFound", "{e:?}");
    let s = app.status().await.expect("status");
    assert!(s.idle_prompts.is_empty());
    assert_eq!(s.tracking.state, TrackingState::Stopped);
}

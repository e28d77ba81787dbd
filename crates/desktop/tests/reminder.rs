//! "Forgot to start" (issue 18): work without a timer is reminded of, at
//! most once an hour, never while a timer runs or when turned off. A
//! minute of the settings lasts 20 ms here (`Platform::minute`), and the
//! scripted idle source says the person never stops typing.

mod common;

use std::sync::Arc;
use std::time::Duration;

use common::{Notices, eventually, open};
use stint_desktop::Notice;
use stint_desktop::dto::Settings;

fn reminders(n: &Notices) -> Vec<String> {
    n.all()
        .into_iter()
        .filter_map(|n| match n {
            Notice::Reminder(t) => Some(t),
            _ => None,
        })
        .collect()
}

#[tokio::test]
async fn work_without_a_timer_is_reminded_of_once_an_hour_and_never_while_tracking() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (app, notices) = open(dir.path()).await;
    let app = Arc::new(app);
    app.use_this_computer_only().await.expect("sign in");
    assert_eq!(
        app.settings().await.unwrap().remind_to_start_minutes,
        Some(5)
    );
    let watcher = tokio::spawn(app.clone().remind_to_start());
    let said = eventually("a reminder", || async {
        reminders(&notices).first().cloned()
    })
    .await;
    assert_eq!(
        said,
        "You've been working for 5 min, but Stint isn't tracking. Start the timer?"
    );
    // An "hour" is 1.2 s here: nothing more within half of it.
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert_eq!(reminders(&notices).len(), 1);

    // Tracking: no reminder however long it runs.
    app.start(None, "Docs".into()).await.expect("start");
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(reminders(&notices).len(), 1, "none while the timer runs");

    // Turned off (before the timer stops): none after it either.
    let off = Settings {
        remind_to_start_minutes: None,
        ..app.settings().await.unwrap()
    };
    app.save_settings(off).await.expect("settings");
    app.stop().await.expect("stop");
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(reminders(&notices).len(), 1, "none when turned off");
    watcher.abort();
}

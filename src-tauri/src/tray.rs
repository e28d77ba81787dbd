//! The tray: an icon for stopped / running / idle, and a menu with
//! Start/Stop, the current project, today's total, Open and Quit. It is
//! redrawn from the same notices the window gets, and once a minute.

use std::sync::Arc;
use std::time::Duration;

use stint_desktop::Desktop;
use stint_desktop::dto::{Status, TrackingState};
use tauri::image::Image;
use tauri::menu::{Menu, MenuItem, PredefinedMenuItem};
use tauri::tray::TrayIconBuilder;
use tauri::{AppHandle, Manager, Runtime};

const TRAY: &str = "stint";

fn icon(state: TrackingState) -> Option<Image<'static>> {
    let bytes: &'static [u8] = match state {
        TrackingState::Stopped => include_bytes!("../icons/tray-stopped.png"),
        TrackingState::Tracking => include_bytes!("../icons/tray-running.png"),
        TrackingState::Idle => include_bytes!("../icons/tray-idle.png"),
    };
    Image::from_bytes(bytes).ok()
}

/// "3 h 05 min", "12 min".
pub fn hours(seconds: i64) -> String {
    let m = seconds.max(0) / 60;
    if m >= 60 {
        format!("{} h {:02} min", m / 60, m % 60)
    } else {
        format!("{m} min")
    }
}

/// The tray's tooltip: what runs and for how long, then today's total.
/// It is redrawn once a minute, so the elapsed time is in whole minutes.
pub fn tooltip(s: &Status) -> String {
    let today = hours(s.today_seconds);
    match s.tracking.state {
        TrackingState::Stopped => format!("Stint — not tracking · today {today}"),
        TrackingState::Idle => format!("Stint — away, not counted · today {today}"),
        TrackingState::Tracking => {
            let m = s.tracking.elapsed_seconds.unwrap_or(0).max(0) / 60;
            let what = s.tracking.project_name.as_deref().unwrap_or("no project");
            format!("Stint — {what} {}:{:02} · today {today}", m / 60, m % 60)
        }
    }
}

fn menu<R: Runtime>(app: &AppHandle<R>, s: &Status) -> tauri::Result<Menu<R>> {
    let running = s.tracking.state != TrackingState::Stopped;
    let toggle = MenuItem::with_id(
        app,
        "toggle",
        if running { "Stop" } else { "Start" },
        s.signed_in,
        None::<&str>,
    )?;
    let project = match (&s.tracking.state, &s.tracking.project_name) {
        (TrackingState::Stopped, _) => "Not tracking".to_string(),
        (TrackingState::Idle, _) => "Idle — open Stint to answer".to_string(),
        (_, Some(p)) => format!("Tracking: {p}"),
        (_, None) => "Tracking: no project".to_string(),
    };
    let project = MenuItem::with_id(app, "project", project, false, None::<&str>)?;
    let today = MenuItem::with_id(
        app,
        "today",
        format!("Today: {}", hours(s.today_seconds)),
        false,
        None::<&str>,
    )?;
    let open = MenuItem::with_id(app, "open", "Open Stint", true, None::<&str>)?;
    let quit = MenuItem::with_id(app, "quit", "Quit", true, None::<&str>)?;
    let sep = PredefinedMenuItem::separator(app)?;
    let sep2 = PredefinedMenuItem::separator(app)?;
    Menu::with_items(app, &[&toggle, &project, &today, &sep, &open, &sep2, &quit])
}

/// Redraws icon, tooltip and menu from the current status.
pub fn refresh<R: Runtime>(app: &AppHandle<R>) {
    let (app, desktop) = (app.clone(), app.state::<Arc<Desktop>>().inner().clone());
    tauri::async_runtime::spawn(async move {
        let Ok(s) = desktop.status().await else {
            return;
        };
        let Some(tray) = app.tray_by_id(TRAY) else {
            return;
        };
        let _ = tray.set_icon(icon(s.tracking.state));
        let _ = tray.set_tooltip(Some(tooltip(&s)));
        if let Ok(m) = menu(&app, &s) {
            let _ = tray.set_menu(Some(m));
        }
    });
}

fn on_menu<R: Runtime>(app: &AppHandle<R>, id: &str) {
    let desktop = app.state::<Arc<Desktop>>().inner().clone();
    let app = app.clone();
    match id {
        "open" => crate::window::open(&app),
        "toggle" => {
            tauri::async_runtime::spawn(async move {
                let running = desktop
                    .status()
                    .await
                    .is_ok_and(|s| s.tracking.state != TrackingState::Stopped);
                let done = if running {
                    desktop.stop().await
                } else {
                    desktop.start(None, String::new()).await
                };
                if let Err(e) = done {
                    tracing::warn!("tray: {e}");
                }
                refresh(&app);
            });
        }
        "quit" => {
            tauri::async_runtime::spawn(async move {
                desktop.shutdown().await;
                app.exit(0);
            });
        }
        _ => {}
    }
}

/// Builds the tray and keeps today's total current.
pub fn create<R: Runtime>(app: &AppHandle<R>) -> tauri::Result<()> {
    let placeholder = Menu::with_items(
        app,
        &[&MenuItem::with_id(
            app,
            "open",
            "Open Stint",
            true,
            None::<&str>,
        )?],
    )?;
    let mut b = TrayIconBuilder::with_id(TRAY)
        .tooltip("Stint")
        .menu(&placeholder)
        .on_menu_event(|app, e| on_menu(app, e.id.as_ref()));
    if let Some(i) = icon(TrackingState::Stopped) {
        b = b.icon(i);
    }
    b.build(app)?;
    refresh(app);
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        let mut every = tokio::time::interval(Duration::from_secs(60));
        loop {
            every.tick().await;
            refresh(&app);
        }
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use stint_desktop::dto::Tracking;

    #[test]
    fn the_tooltip_says_what_runs_and_for_how_long() {
        let mut s = Status {
            signed_in: true,
            user: None,
            tracking: Tracking::stopped(None),
            today_seconds: 2 * 3600 + 52 * 60,
            week_seconds: 0,
            sync: Default::default(),
            idle_prompts: vec![],
            still_working: None,
        };
        assert_eq!(tooltip(&s), "Stint — not tracking · today 2 h 52 min");
        s.tracking = Tracking {
            state: TrackingState::Tracking,
            elapsed_seconds: Some(47 * 60 + 13),
            project_name: Some("Website".into()),
            ..Tracking::stopped(None)
        };
        assert_eq!(tooltip(&s), "Stint — Website 0:47 · today 2 h 52 min");
        s.tracking.project_name = None;
        s.tracking.elapsed_seconds = Some(3600 * 3 + 60 * 5);
        assert_eq!(tooltip(&s), "Stint — no project 3:05 · today 2 h 52 min");
        s.tracking.state = TrackingState::Idle;
        assert_eq!(tooltip(&s), "Stint — away, not counted · today 2 h 52 min");
    }
}

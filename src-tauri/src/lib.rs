//! Stint's desktop app: a thin Tauri 2 shell over `stint-desktop`.
//!
//! Everything the app does is in [`stint_desktop::Desktop`]; this crate
//! registers its commands, turns its notices into window events, a tray and
//! notifications, and manages the window's lifetime: closing the window
//! keeps tracking in the tray, Quit stops the timer cleanly.

pub mod commands;
pub mod tray;
pub mod window;

use std::path::PathBuf;
use std::sync::Arc;

use stint_desktop::{Desktop, EmbeddedFns, EmbeddedServer, Notice, Platform};
use stint_server::local;
use tauri::{Emitter, Manager, RunEvent, Runtime};
use tauri_plugin_notification::NotificationExt;

/// The commands the window may call (the app and the tests register these).
pub fn with_commands<R: Runtime>(b: tauri::Builder<R>) -> tauri::Builder<R> {
    b.invoke_handler(tauri::generate_handler![
        commands::status,
        commands::sign_in,
        commands::use_this_computer_only,
        commands::sign_out,
        commands::projects,
        commands::create_project,
        commands::rename_project,
        commands::archive_project,
        commands::start,
        commands::change_running,
        commands::tasks,
        commands::create_task,
        commands::stop,
        commands::answer_idle,
        commands::still_working,
        commands::recent_logs,
        commands::recent_screenshots,
        commands::delete_screenshot,
        commands::settings,
        commands::save_settings,
        commands::timesheet,
        commands::submit_timesheet,
        commands::pending_approvals,
        commands::approve,
        commands::reject,
        commands::approval_week,
        commands::screenshot_views,
        commands::download_my_data,
    ])
}

/// `STINT_DATA_DIR`, else the same directory `stint track` uses.
pub fn data_dir() -> PathBuf {
    std::env::var_os("STINT_DATA_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            dirs::data_dir()
                .unwrap_or_else(|| PathBuf::from("."))
                .join("stint")
        })
}

/// Passes a notice to the window, the tray, and (for an idle prompt) the
/// user's attention: the window comes to front and a notification says why.
fn tell<R: Runtime>(app: &tauri::AppHandle<R>, n: Notice) {
    let _ = app.emit(n.name(), n.payload());
    match &n {
        Notice::Tracking(_) => tray::refresh(app),
        Notice::IdlePrompt(p) => {
            crate::window::open(app);
            let minutes = (p.to - p.from).num_minutes().max(1);
            let _ = app
                .notification()
                .builder()
                .title("Stint: you were idle")
                .body(format!(
                    "You were idle for {minutes} min — keep it, discard it, or stop?"
                ))
                .show();
        }
        Notice::StillWorking(q) => {
            crate::window::open(app);
            let _ = app
                .notification()
                .builder()
                .title("Stint: still working?")
                .body(format!(
                    "Your timer has run since {}. Answer in the window, or it stops at your last input.",
                    q.running_since.with_timezone(&chrono::Local).format("%H:%M")
                ))
                .show();
        }
        // Not a reason to pull the window up: a notification is enough.
        Notice::Reminder(text) => {
            let _ = app
                .notification()
                .builder()
                .title("Stint isn't tracking")
                .body(text)
                .show();
        }
        Notice::Sync(_) => {}
    }
}

pub fn run() {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .init();
    let hidden = std::env::args().any(|a| a == "--hidden");
    let builder = tauri::Builder::default()
        .plugin(tauri_plugin_single_instance::init(|app, _, _| {
            window::open(app)
        }))
        .plugin(tauri_plugin_autostart::init(
            tauri_plugin_autostart::MacosLauncher::LaunchAgent,
            Some(vec!["--hidden"]),
        ))
        .plugin(tauri_plugin_notification::init())
        .setup(move |app| {
            let handle = app.handle().clone();
            let notify: stint_desktop::NoticeFn = Arc::new(move |n| tell(&handle, n));
            let dir = data_dir();
            let platform = Platform::native(Some(embedded(dir.clone())));
            let desktop = tauri::async_runtime::block_on(Desktop::open(&dir, platform, notify))?;
            tracing::info!(data = %dir.display(), "stint desktop ready");
            let desktop = Arc::new(desktop);
            tauri::async_runtime::spawn(desktop.clone().remind_to_start());
            app.manage(desktop);
            let launcher = app.handle().clone();
            app.manage(commands::Autostart(Box::new(move |on| {
                use tauri_plugin_autostart::ManagerExt;
                let l = launcher.autolaunch();
                if on { l.enable() } else { l.disable() }.map_err(|e| e.to_string())
            })));
            tray::create(app.handle())?;
            if !hidden {
                window::open(app.handle());
            }
            Ok(())
        });
    let app = with_commands(builder)
        .build(tauri::generate_context!())
        .unwrap_or_else(|e| {
            eprintln!("Stint could not start: {e}");
            std::process::exit(1);
        });
    app.run(|_, event| {
        // The last window closed: keep tracking in the tray. Quit exits
        // with a code, which is let through.
        if let RunEvent::ExitRequested {
            api, code: None, ..
        } = event
        {
            api.prevent_exit();
        }
    });
}

/// "This computer only": stint-server's embedded server on `data_dir`,
/// handed in so that the desktop crate does not link the server.
pub fn embedded(data_dir: std::path::PathBuf) -> Arc<dyn EmbeddedServer> {
    Arc::new(EmbeddedFns::new(
        data_dir,
        local::start_embedded,
        local::create_local_user,
    ))
}

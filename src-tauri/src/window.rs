//! The one window. Closing it destroys the webview (WebKit alone holds
//! 160+ MB) while tracking goes on in the tray; Open builds it again.

use tauri::{AppHandle, Manager, Runtime, WebviewUrl, WebviewWindowBuilder};

pub const MAIN: &str = "main";

/// Shows the window, creating it if it was closed, and brings it to front.
pub fn open<R: Runtime>(app: &AppHandle<R>) {
    if let Some(w) = app.get_webview_window(MAIN) {
        let _ = w.unminimize();
        let _ = w.show();
        let _ = w.set_focus();
        return;
    }
    let built = WebviewWindowBuilder::new(app, MAIN, WebviewUrl::App("index.html".into()))
        .title("Stint")
        .inner_size(440.0, 720.0)
        .min_inner_size(360.0, 480.0)
        // The page sets its title to the running time ("0:47:13 · Website — Stint"),
        // so the taskbar shows the timer runs; Tauri does not follow it by itself.
        .on_document_title_changed(|w, title| {
            let _ = w.set_title(&title);
        })
        .build();
    match built {
        Ok(w) => {
            let _ = w.set_focus();
        }
        Err(e) => tracing::error!("cannot open the window: {e}"),
    }
}

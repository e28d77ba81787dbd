//! The IPC commands through Tauri's own invoke path (mock runtime): the
//! names, the camelCase arguments, the `{code, message}` errors, exactly as
//! the window calls them. The desktop logic behind them runs for real, with
//! the embedded server on loopback.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{Value, json};
use stint_app::commands::Autostart;
use stint_desktop::{Desktop, Notice, Platform};
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{
    INVOKE_KEY, MockRuntime, get_ipc_response, mock_builder, mock_context, noop_assets,
};
use tauri::webview::InvokeRequest;
use tauri::{WebviewWindow, WebviewWindowBuilder};

struct Harness {
    window: WebviewWindow<MockRuntime>,
    notices: Arc<Mutex<Vec<&'static str>>>,
    autostart: Arc<Mutex<Vec<bool>>>,
    _dir: tempfile::TempDir,
    _app: tauri::App<MockRuntime>,
}

fn harness() -> Harness {
    let dir = tempfile::tempdir().unwrap();
    let notices = Arc::new(Mutex::new(Vec::new()));
    let seen = notices.clone();
    let platform = Platform {
        idle: Box::new(|| Box::new(stint_agent::idle::NoIdle)),
        capturer: Box::new(|| None),
        poll: Duration::from_millis(50),
        sync_every: Duration::from_millis(200),
        minute: Duration::from_secs(60),
        embedded: Some(stint_app::embedded(dir.path().to_path_buf())),
    };
    let desktop = tauri::async_runtime::block_on(Desktop::open(
        dir.path(),
        platform,
        Arc::new(move |n: Notice| seen.lock().unwrap().push(n.name())),
    ))
    .unwrap();
    let autostart = Arc::new(Mutex::new(Vec::new()));
    let calls = autostart.clone();
    let app = stint_app::with_commands(mock_builder())
        .manage(Arc::new(desktop))
        .manage(Autostart(Box::new(move |on| {
            calls.lock().unwrap().push(on);
            Ok(())
        })))
        .build(mock_context(noop_assets()))
        .unwrap();
    let window = WebviewWindowBuilder::new(&app, "main", Default::default())
        .build()
        .unwrap();
    Harness {
        window,
        notices,
        autostart,
        _dir: dir,
        _app: app,
    }
}

impl Harness {
    fn invoke(&self, cmd: &str, args: Value) -> Result<Value, Value> {
        get_ipc_response(
            &self.window,
            InvokeRequest {
                cmd: cmd.into(),
                callback: CallbackFn(0),
                error: CallbackFn(1),
                url: "tauri://localhost".parse().unwrap(),
                body: InvokeBody::Json(args),
                headers: Default::default(),
                invoke_key: INVOKE_KEY.to_string(),
            },
        )
        .map(|b| b.deserialize::<Value>().unwrap())
    }

    fn ok(&self, cmd: &str, args: Value) -> Value {
        self.invoke(cmd, args)
            .unwrap_or_else(|e| panic!("{cmd} failed: {e}"))
    }

    fn err(&self, cmd: &str, args: Value) -> Value {
        match self.invoke(cmd, args) {
            Ok(v) => panic!("{cmd} should fail, answered {v}"),
            Err(e) => e,
        }
    }
}

#[test]
fn signed_out_until_this_computer_only_then_start_and_stop() {
    let h = harness();
    let s = h.ok("status", json!({}));
    assert_eq!(s["signedIn"], false);
    assert_eq!(s["tracking"]["state"], "stopped");
    assert_eq!(
        h.err("start", json!({ "projectId": null, "description": "x" }))["code"],
        "signedOut"
    );
    assert_eq!(h.err("screenshot_views", json!({}))["code"], "signedOut");
    assert_eq!(h.err("download_my_data", json!({}))["code"], "signedOut");

    let s = h.ok("use_this_computer_only", json!({}));
    assert_eq!(s["signedIn"], true);
    assert_eq!(s["user"]["server"], Value::Null, "{s}");
    assert_eq!(h.ok("projects", json!({})), json!([]));

    let s = h.ok(
        "start",
        json!({ "projectId": null, "description": "Writing the report" }),
    );
    assert_eq!(s["tracking"]["state"], "tracking", "{s}");
    assert_eq!(s["tracking"]["description"], "Writing the report");
    assert!(s["tracking"]["logId"].is_string());
    std::thread::sleep(Duration::from_millis(1100));
    let s = h.ok("stop", json!({}));
    assert_eq!(s["tracking"]["state"], "stopped", "{s}");
    assert!(s["todaySeconds"].as_i64().unwrap() >= 1, "{s}");

    // Nobody else has opened this person's screenshots.
    assert_eq!(h.ok("screenshot_views", json!({})), json!([]));

    let logs = h.ok("recent_logs", json!({}));
    assert_eq!(logs.as_array().unwrap().len(), 1, "{logs}");
    assert_eq!(logs[0]["kind"], "tracked");
    assert!(
        h.notices.lock().unwrap().contains(&"tracking-changed"),
        "the window hears about the timer"
    );
}

#[test]
fn bad_input_comes_back_as_code_and_message() {
    let h = harness();
    let e = h.err(
        "sign_in",
        json!({ "server": "not a url", "email": "a@b.c", "password": "x" }),
    );
    assert_eq!(e["code"], "invalid", "{e}");
    assert!(
        e["message"]
            .as_str()
            .unwrap()
            .contains("not a server address")
    );
    h.ok("use_this_computer_only", json!({}));
    let e = h.err("start", json!({ "projectId": "nope", "description": "" }));
    assert_eq!(e["code"], "invalid", "{e}");
    let e = h.err(
        "answer_idle",
        json!({ "idleLogId": "0190e1a0-0000-7000-8000-000000000000", "answer": "keep" }),
    );
    assert_eq!(e["code"], "notFound", "{e}");
    let e = h.err(
        "delete_screenshot",
        json!({ "id": "0190e1a0-0000-7000-8000-000000000000" }),
    );
    assert_eq!(e["code"], "notFound", "{e}");
    let e = h.err("timesheet", json!({ "weekStart": "2026-13-45" }));
    assert_eq!(e["code"], "invalid", "{e}");
    // An argument of the wrong shape is Tauri's own refusal, still an error.
    assert!(
        h.invoke(
            "answer_idle",
            json!({ "idleLogId": "x", "answer": "maybe" })
        )
        .is_err()
    );
}

#[test]
fn settings_are_validated_kept_and_start_at_login_reaches_the_os() {
    let h = harness();
    let s = h.ok("settings", json!({}));
    assert_eq!(s["idleThresholdSeconds"], 300);
    let mut bad = s.clone();
    bad["idleThresholdSeconds"] = json!(5);
    let e = h.err("save_settings", json!({ "settings": bad }));
    assert_eq!(e["code"], "invalid");
    assert!(h.autostart.lock().unwrap().is_empty());
    let mut good = s.clone();
    good["startAtLogin"] = json!(true);
    good["screenshotIntervalSeconds"] = Value::Null;
    assert_eq!(h.ok("save_settings", json!({ "settings": good })), good);
    assert_eq!(h.ok("settings", json!({})), good);
    assert_eq!(*h.autostart.lock().unwrap(), vec![true]);
}

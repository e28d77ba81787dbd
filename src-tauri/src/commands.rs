//! The IPC commands of `ui/src/ipc.ts`, each forwarding to one method of
//! [`Desktop`]: no logic lives here. Arguments arrive camelCase and Tauri
//! maps them onto these snake_case names; failures cross as `{code, message}`.

use std::sync::Arc;

use stint_desktop::dto::{
    IdleAnswer, LogEntry, NewProject, PendingTimesheet, Project, SavedFile, Screenshot,
    ScreenshotView, Settings, Status, Task, Timesheet,
};
use stint_desktop::week_details::WeekDetails;
use stint_desktop::{Desktop, IpcError};
use tauri::State;

type App<'a> = State<'a, Arc<Desktop>>;
type Answer<T> = Result<T, IpcError>;

/// Turns "start at login" on or off with the OS (the autostart plugin in
/// the app, a recorder in tests).
pub struct Autostart(pub Box<dyn Fn(bool) -> Result<(), String> + Send + Sync>);

#[tauri::command]
pub async fn status(app: App<'_>) -> Answer<Status> {
    app.status().await
}

#[tauri::command]
pub async fn sign_in(
    app: App<'_>,
    server: String,
    email: String,
    password: String,
) -> Answer<Status> {
    app.sign_in(&server, &email, &password).await
}

#[tauri::command]
pub async fn use_this_computer_only(app: App<'_>) -> Answer<Status> {
    app.use_this_computer_only().await
}

#[tauri::command]
pub async fn sign_out(app: App<'_>) -> Answer<Status> {
    app.sign_out().await
}

#[tauri::command]
pub async fn projects(app: App<'_>) -> Answer<Vec<Project>> {
    app.projects().await
}

#[tauri::command]
pub async fn create_project(app: App<'_>, name: String) -> Answer<NewProject> {
    app.create_project(&name).await
}

#[tauri::command]
pub async fn rename_project(app: App<'_>, id: String, name: String) -> Answer<Project> {
    app.rename_project(&id, &name).await
}

#[tauri::command]
pub async fn archive_project(app: App<'_>, id: String) -> Answer<()> {
    app.archive_project(&id).await
}

#[tauri::command]
pub async fn start(
    app: App<'_>,
    project_id: Option<String>,
    task_id: Option<String>,
    description: Option<String>,
) -> Answer<Status> {
    app.start_on(project_id, task_id, description.unwrap_or_default())
        .await
}

#[tauri::command]
pub async fn change_running(
    app: App<'_>,
    project_id: Option<String>,
    task_id: Option<String>,
    description: Option<String>,
) -> Answer<Status> {
    app.change_running(project_id, task_id, description.unwrap_or_default())
        .await
}

#[tauri::command]
pub async fn tasks(app: App<'_>, project_id: String) -> Answer<Vec<Task>> {
    app.tasks(&project_id).await
}

#[tauri::command]
pub async fn create_task(app: App<'_>, project_id: String, title: String) -> Answer<Task> {
    app.create_task(&project_id, &title).await
}

#[tauri::command]
pub async fn stop(app: App<'_>) -> Answer<Status> {
    app.stop().await
}

#[tauri::command]
pub async fn answer_idle(app: App<'_>, idle_log_id: String, answer: IdleAnswer) -> Answer<Status> {
    app.answer_idle(&idle_log_id, answer).await
}

#[tauri::command]
pub async fn still_working(app: App<'_>) -> Answer<Status> {
    app.still_working().await
}

#[tauri::command]
pub async fn recent_logs(app: App<'_>) -> Answer<Vec<LogEntry>> {
    app.recent_logs().await
}

#[tauri::command]
pub async fn recent_screenshots(app: App<'_>) -> Answer<Vec<Screenshot>> {
    app.recent_screenshots().await
}

#[tauri::command]
pub async fn delete_screenshot(app: App<'_>, id: String) -> Answer<()> {
    app.delete_screenshot(&id).await
}

#[tauri::command]
pub async fn settings(app: App<'_>) -> Answer<Settings> {
    app.settings().await
}

#[tauri::command]
pub async fn save_settings(
    app: App<'_>,
    autostart: State<'_, Autostart>,
    settings: Settings,
) -> Answer<Settings> {
    let before = app.settings().await?;
    let saved = app.save_settings(settings).await?;
    if saved.start_at_login != before.start_at_login {
        (autostart.0)(saved.start_at_login).map_err(|e| {
            IpcError::internal(format!(
                "Settings saved, but starting at login could not be changed: {e}"
            ))
        })?;
    }
    Ok(saved)
}

#[tauri::command]
pub async fn timesheet(app: App<'_>, week_start: Option<String>) -> Answer<Timesheet> {
    app.timesheet(week_start).await
}

#[tauri::command]
pub async fn submit_timesheet(app: App<'_>, id: String) -> Answer<Timesheet> {
    app.submit_timesheet(&id).await
}

#[tauri::command]
pub async fn pending_approvals(app: App<'_>) -> Answer<Vec<PendingTimesheet>> {
    app.pending_approvals().await
}

#[tauri::command]
pub async fn approve(app: App<'_>, id: String) -> Answer<()> {
    app.approve(&id).await
}

#[tauri::command]
pub async fn reject(app: App<'_>, id: String, reason: String) -> Answer<()> {
    app.reject(&id, &reason).await
}

#[tauri::command]
pub async fn approval_week(app: App<'_>, id: String) -> Answer<WeekDetails> {
    app.approval_week(&id).await
}

#[tauri::command]
pub async fn screenshot_views(app: App<'_>) -> Answer<Vec<ScreenshotView>> {
    app.screenshot_views().await
}

/// "Download my data": saved in the Downloads folder (the data directory
/// where the system has none).
#[tauri::command]
pub async fn download_my_data(app: App<'_>) -> Answer<SavedFile> {
    let dir = stint_desktop::downloads_dir(&crate::data_dir());
    app.download_my_data(&dir).await
}

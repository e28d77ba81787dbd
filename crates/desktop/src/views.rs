//! What the window lists from this computer's outbox: recent logs, the last
//! screenshots, and the settings.

use base64::Engine;
use chrono::{TimeDelta, Utc};
use stint_agent::outbox::{LocalLog, with};
use stint_model::{LogType, local_midnight};

use crate::app::Desktop;
use crate::dto::{LogEntry, LogKind, Screenshot, Settings, SyncState};
use crate::error::IpcResult;

const RECENT_LOGS: usize = 50;
const RECENT_SHOTS: usize = 6;

fn entry(l: &LocalLog, project_name: Option<String>) -> LogEntry {
    let now = Utc::now();
    LogEntry {
        id: l.id.to_string(),
        project_name,
        description: l.description.clone(),
        started_at: l.started_at,
        stopped_at: l.stopped_at,
        kind: if l.log_type == LogType::Idle {
            LogKind::Idle
        } else {
            LogKind::Tracked
        },
        seconds: (l.stopped_at.unwrap_or(now) - l.started_at)
            .num_seconds()
            .max(0),
        sync: if l.failed_message.is_some() {
            SyncState::Refused
        } else if l.synced_version >= l.version {
            SyncState::Synced
        } else {
            SyncState::Pending
        },
        sync_message: l.failed_message.clone(),
    }
}

impl Desktop {
    /// Today's and yesterday's logs, newest first, at most 50.
    pub async fn recent_logs(&self) -> IpcResult<Vec<LogEntry>> {
        let tz = self.live.zone();
        let today = Utc::now().with_timezone(&tz).date_naive();
        let since = local_midnight(today - TimeDelta::days(1), tz);
        let logs = with(&self.outbox, |o| o.logs_since(since))?;
        let names = self.cached_projects()?;
        Ok(logs
            .iter()
            .rev()
            .take(RECENT_LOGS)
            .map(|l| {
                let name = l
                    .project_id
                    .and_then(|p| names.iter().find(|x| x.id == p.to_string()))
                    .map(|p| p.name.clone());
                entry(l, name)
            })
            .collect())
    }

    /// The last screenshots, newest first, with their thumbnails.
    pub async fn recent_screenshots(&self) -> IpcResult<Vec<Screenshot>> {
        let (shots, rule) = with(&self.outbox, |o| {
            let rule = stint_agent::policy::screenshot_deletion(o);
            o.recent_shots(RECENT_SHOTS).map(|s| (s, rule))
        })?;
        let keeps_time = rule == stint_model::ScreenshotDeletion::KeepTime;
        Ok(shots
            .into_iter()
            .filter_map(|(s, uploaded)| {
                let thumb = std::fs::read(&s.thumb).ok()?;
                Some(Screenshot {
                    id: s.id.to_string(),
                    taken_at: s.recorded_at,
                    thumbnail: format!(
                        "data:image/jpeg;base64,{}",
                        base64::engine::general_purpose::STANDARD.encode(thumb)
                    ),
                    uploaded,
                    delete_keeps_time: keeps_time,
                })
            })
            .collect())
    }

    pub async fn settings(&self) -> IpcResult<Settings> {
        Ok(with(&self.outbox, |o| Settings::load(o))?)
    }

    /// Validates and keeps; the tracking loop uses them from the next Start.
    pub async fn save_settings(&self, s: Settings) -> IpcResult<Settings> {
        s.validate()?;
        with(&self.outbox, |o| s.save(o))?;
        Ok(s)
    }
}

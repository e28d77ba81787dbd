//! Pushing the outbox to the server: batches, acknowledgements, refusals
//! kept with the server's message, and backoff while the server is away.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use rand::Rng;
use stint_model::SyncStatus;
use uuid::Uuid;

use crate::api::{Api, ApiError};
use crate::outbox::{Outbox, OutboxError, with};
use crate::runner::{Event, OnEvent};
use crate::session::save_tokens;
use crate::wire::SyncOutcome;

/// When the outbox was last found empty after a push (`stint status`).
pub const LAST_SYNC_KEY: &str = "last_sync";

/// Logs per sync request.
pub const BATCH: usize = 500;

#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error(transparent)]
    Api(#[from] ApiError),
    #[error(transparent)]
    Outbox(#[from] OutboxError),
}

#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct SyncReport {
    pub acknowledged: usize,
    pub failed: usize,
    /// Logs the server stopped because a timer was started elsewhere:
    /// `(log, reason)`.
    pub stopped_elsewhere: Vec<(Uuid, String)>,
}

/// Pushes everything pending, batch after batch, until nothing is left or
/// the server stops answering. The outbox is locked only between requests.
///
/// A screenshot taken while a log runs stays back until input is seen after
/// it (until then it may turn out to show idle time), or at most `hold`
/// (the idle threshold: by then idle would have been noticed and the
/// picture dropped); see `Outbox::shots_to_upload`.
pub async fn sync_once(
    outbox: &Mutex<Outbox>,
    api: &mut Api,
    hold: Duration,
) -> Result<SyncReport, SyncError> {
    let mut report = SyncReport::default();
    // Projects made here first: the logs that name them come after.
    report.failed += crate::projects::send_queued(outbox, api).await?;
    loop {
        let batch = with(outbox, |o| o.pending(BATCH))?;
        if batch.is_empty() {
            with(outbox, |o| {
                o.put(LAST_SYNC_KEY, &chrono::Utc::now().to_rfc3339())
            })?;
            check_running(outbox, api, &mut report).await?;
            // Logs first: a slot names its logs, which must be there; a
            // screenshot then finds its slot.
            push_slots(outbox, api, &mut report).await?;
            push_shots(outbox, api, &mut report, hold).await?;
            return Ok(report);
        }
        let (deleted, live): (Vec<_>, Vec<_>) = batch.into_iter().partition(|l| l.deleted);
        for l in &deleted {
            api.delete_log(l.id).await?;
            with(outbox, |o| o.acknowledged(l.id, l.version))?;
            report.acknowledged += 1;
        }
        if live.is_empty() {
            continue;
        }
        let outcomes = match api.push_logs(&live).await {
            Ok(o) => o,
            // The whole batch was refused: keep each log with the message
            // rather than retrying it forever.
            Err(ApiError::Refused { status, message }) => live
                .iter()
                .map(|l| SyncOutcome {
                    id: l.id,
                    status: SyncStatus::Failed,
                    message: Some(format!("{status}: {message}")),
                    stopped_at: None,
                    stopped_reason: None,
                })
                .collect(),
            Err(e) => return Err(e.into()),
        };
        with(outbox, |o| {
            for l in &live {
                let Some(out) = outcomes.iter().find(|x| x.id == l.id) else {
                    continue;
                };
                if !out.status.acknowledged() {
                    o.failed(
                        l.id,
                        l.version,
                        out.message.as_deref().unwrap_or("refused by the server"),
                    )?;
                    report.failed += 1;
                    continue;
                }
                o.acknowledged(l.id, l.version)?;
                report.acknowledged += 1;
                if let (Some(at), Some(reason)) = (out.stopped_at, &out.stopped_reason) {
                    o.stopped_elsewhere(l.id, at, reason)?;
                    report.stopped_elsewhere.push((l.id, reason.clone()));
                }
            }
            Ok::<_, OutboxError>(())
        })?;
    }
}

/// Asks the server whether our running log is still running there: a timer
/// started on another device stops it, and this device must hear of it even
/// though it has nothing new to send.
async fn check_running(
    outbox: &Mutex<Outbox>,
    api: &mut Api,
    report: &mut SyncReport,
) -> Result<(), SyncError> {
    let open = with(outbox, |o| o.open_log())?;
    let Some(open) = open.filter(|l| l.synced_version >= 1) else {
        return Ok(());
    };
    if let Some((at, reason)) = api.stopped_elsewhere(open.id).await? {
        with(outbox, |o| o.stopped_elsewhere(open.id, at, &reason))?;
        report.stopped_elsewhere.push((open.id, reason));
    }
    Ok(())
}

async fn push_slots(
    outbox: &Mutex<Outbox>,
    api: &mut Api,
    report: &mut SyncReport,
) -> Result<(), SyncError> {
    loop {
        let slots = with(outbox, |o| o.pending_slots(BATCH))?;
        if slots.is_empty() {
            return Ok(());
        }
        for s in &slots {
            match api.push_slot(s).await {
                Ok(()) => {
                    with(outbox, |o| o.slot_acknowledged(s.id))?;
                    report.acknowledged += 1;
                }
                Err(ApiError::Refused { status, message }) => {
                    with(outbox, |o| {
                        o.slot_failed(s.id, &format!("{status}: {message}"))
                    })?;
                    report.failed += 1;
                }
                Err(e) => return Err(e.into()),
            }
        }
    }
}

/// While tracking, a screenshot stays on the computer at least this long
/// (or the idle threshold, if shorter): the employee's moment to see it in
/// the app and delete it, with the time it stood for, before it is
/// uploaded. Once tracking stops nothing waits.
pub const REVIEW: Duration = Duration::from_secs(60);

async fn push_shots(
    outbox: &Mutex<Outbox>,
    api: &mut Api,
    report: &mut SyncReport,
    hold: Duration,
) -> Result<(), SyncError> {
    let now = chrono::Utc::now();
    let settled = now - chrono::TimeDelta::from_std(hold).unwrap_or_default();
    let reviewed = now - chrono::TimeDelta::from_std(REVIEW.min(hold)).unwrap_or_default();
    loop {
        let shots = with(outbox, |o| o.shots_to_upload(20, settled, reviewed))?;
        if shots.is_empty() {
            return Ok(());
        }
        for s in &shots {
            match api.push_shot(s).await {
                Ok(()) => {
                    with(outbox, |o| o.shot_acknowledged(s))?;
                    report.acknowledged += 1;
                }
                Err(ApiError::Refused { status, message }) => {
                    with(outbox, |o| {
                        o.shot_failed(s.id, &format!("{status}: {message}"))
                    })?;
                    report.failed += 1;
                }
                Err(e) => return Err(e.into()),
            }
        }
    }
}

/// Exponential backoff with jitter: 1 s, 2 s, 4 s ... up to 5 minutes, each
/// randomised down to half so a fleet of agents does not return in step.
#[derive(Debug, Clone)]
pub struct Backoff {
    attempt: u32,
    pub max: Duration,
}

impl Default for Backoff {
    fn default() -> Self {
        Backoff {
            attempt: 0,
            max: Duration::from_secs(300),
        }
    }
}

impl Backoff {
    pub fn next_delay(&mut self) -> Duration {
        let base = Duration::from_secs(1)
            .saturating_mul(1u32 << self.attempt.min(16))
            .min(self.max);
        self.attempt = self.attempt.saturating_add(1);
        base.mul_f64(rand::rng().random_range(0.5..=1.0))
    }

    pub fn reset(&mut self) {
        self.attempt = 0;
    }
}

/// One client per session, shared by the sync loop and the app's own calls:
/// refresh tokens rotate, so two clients refreshing on their own would sign
/// each other out.
pub type SharedApi = Arc<tokio::sync::Mutex<Api>>;

/// Syncs every `every` while the server answers (or sooner when `wake` is
/// notified), backing off while it does not; a signed-out session waits for
/// a new sign-in, keeping every log. Runs until its task is aborted.
pub async fn run(
    outbox: Arc<Mutex<Outbox>>,
    api: SharedApi,
    every: Duration,
    hold_shots: Duration,
    on_event: OnEvent,
    wake: Arc<tokio::sync::Notify>,
) {
    let mut backoff = Backoff::default();
    loop {
        let result = {
            let mut api = api.lock().await;
            let r = sync_once(&outbox, &mut api, hold_shots).await;
            let _ = with(&outbox, |o| save_tokens(o, &api.session));
            r
        };
        let pause = match result {
            Ok(r) => {
                backoff.reset();
                on_event(Event::Synced {
                    acknowledged: r.acknowledged,
                    failed: r.failed,
                });
                for (log, reason) in r.stopped_elsewhere {
                    on_event(Event::ServerStopped { log, reason });
                }
                every
            }
            Err(SyncError::Api(ApiError::SignedOut(m))) => {
                on_event(Event::SignedOut(m));
                Duration::from_secs(60)
            }
            Err(SyncError::Api(e)) => {
                let d = backoff.next_delay();
                on_event(Event::Offline {
                    error: e.to_string(),
                    retry_in: d,
                });
                d
            }
            Err(SyncError::Outbox(e)) => {
                on_event(Event::Warning(e.to_string()));
                every
            }
        };
        tokio::select! {
            _ = tokio::time::sleep(pause) => {}
            _ = wake.notified() => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_to_its_cap_with_jitter() {
        let mut b = Backoff::default();
        let first = b.next_delay();
        assert!(first >= Duration::from_millis(500) && first <= Duration::from_secs(1));
        for _ in 0..30 {
            assert!(b.next_delay() <= Duration::from_secs(300));
        }
        assert!(b.next_delay() >= Duration::from_secs(150));
        b.reset();
        assert!(b.next_delay() <= Duration::from_secs(1));
    }
}

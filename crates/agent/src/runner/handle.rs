//! A timer run as its owner holds it. [`start`] returns a [`RunHandle`] at
//! once; [`RunHandle::started`] completes when the run's first log is
//! written, [`Controls::send`] when the change it asks for is written, and
//! [`RunHandle::stop`] when the last write is done. So Start, an idle
//! answer, a cut and Stop are acknowledged by the loop that does them:
//! nobody polls the outbox or sleeps to let the loop catch up.

use std::future::Future;

use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinHandle;

use super::{Control, Event, OnEvent, TrackOptions, track};
use crate::capture::Capturer;
use crate::idle::IdleSource;
use crate::outbox::OutboxError;

/// Why a run ended badly.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error(transparent)]
    Outbox(#[from] OutboxError),
    /// The tracking loop panicked. Everything it wrote is in the outbox; its
    /// open log is closed at the last heartbeat when tracking next starts,
    /// as after a crash of the whole program.
    #[error("tracking stopped unexpectedly ({0}); what was tracked is kept")]
    Crashed(String),
}

/// One control and who waits for it to be written.
pub(super) struct Request {
    pub control: Control,
    pub written: Option<oneshot::Sender<()>>,
}

/// Tells a run things. Cheap to clone: the sync loop's event handler holds
/// one to pass on the server's stops.
#[derive(Clone)]
pub struct Controls(mpsc::Sender<Request>);

/// The run's end of [`Controls`], and who waits for its start.
pub struct Requests {
    pub(super) rx: mpsc::Receiver<Request>,
    pub(super) started: Option<oneshot::Sender<()>>,
}

impl Requests {
    /// The first log is written.
    pub(super) fn started(&mut self) {
        if let Some(s) = self.started.take() {
            let _ = s.send(());
        }
    }
}

/// A channel to a run that is not started yet, so that an event handler
/// made before the run (and shared with the sync loop) can reach it.
pub fn channel() -> (Controls, Requests) {
    let (tx, rx) = mpsc::channel(8);
    (Controls(tx), Requests { rx, started: None })
}

impl Controls {
    /// Sends `control` and waits until the run has written what it changes.
    /// False when the run has ended (nothing was changed by it).
    pub async fn send(&self, control: Control) -> bool {
        let (written, done) = oneshot::channel();
        let request = Request {
            control,
            written: Some(written),
        };
        self.0.send(request).await.is_ok() && done.await.is_ok()
    }

    /// Passes the sync loop's [`Event::ServerStopped`] on to the run, from
    /// an event handler, which must not wait.
    pub fn bridge(&self, e: &Event) {
        if let Event::ServerStopped { log, reason } = e {
            let control = Control::StoppedElsewhere {
                log: *log,
                reason: reason.clone(),
            };
            let _ = self.0.try_send(Request {
                control,
                written: None,
            });
        }
    }
}

/// A run in progress. Dropping it closes its stop channel, so the run stops
/// without anyone waiting for its last write: owners keep it until they
/// [`stop`](RunHandle::stop) it, or until it has ended on its own.
pub struct RunHandle {
    controls: Controls,
    stop: Option<oneshot::Sender<()>>,
    started: Option<oneshot::Receiver<()>>,
    /// `None` once awaited: a finished task is not polled again.
    task: Option<JoinHandle<Result<(), RunError>>>,
}

/// Starts tracking in a task of its own, told things through `controls`
/// (made with `requests` by [`channel`]). A run that ends with steps it
/// could not save says so through `on_event` as well as to [`RunHandle::stop`].
pub fn start(
    opts: TrackOptions,
    idle: Box<dyn IdleSource>,
    capturer: Option<Box<dyn Capturer>>,
    on_event: OnEvent,
    (controls, mut requests): (Controls, Requests),
) -> RunHandle {
    let (started_tx, started) = oneshot::channel();
    requests.started = Some(started_tx);
    let (stop, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        // The loop runs in a task of its own so that a panic in it ends
        // this run like an error does (the owner is told, the window stops
        // showing a timer) instead of leaving a handle to a dead loop.
        let shutdown = async {
            let _ = stopped.await;
        };
        let run = tokio::spawn(track(
            opts,
            idle,
            capturer,
            on_event.clone(),
            requests,
            shutdown,
        ));
        let tracked = match run.await {
            Ok(tracked) => tracked.map_err(RunError::from),
            Err(e) => Err(RunError::Crashed(panic_message(e))),
        };
        if let Err(e) = &tracked {
            tracing::error!("the tracking loop stopped: {e}");
            on_event(Event::Warning(format!("Tracking stopped: {e}")));
            if matches!(e, RunError::Crashed(_)) {
                on_event(Event::Stopped {
                    at: chrono::Utc::now(),
                });
            }
        }
        tracked
    });
    RunHandle {
        controls,
        stop: Some(stop),
        started: Some(started),
        task: Some(task),
    }
}

impl RunHandle {
    pub fn controls(&self) -> Controls {
        self.controls.clone()
    }

    /// Completes when the first log is written (at once if the run failed
    /// before it, or when asked again).
    pub fn started(&mut self) -> impl Future<Output = ()> + Send + 'static {
        let started = self.started.take();
        async move {
            if let Some(s) = started {
                let _ = s.await;
            }
        }
    }

    /// Completes when the run ends on its own (Discard & stop, stopped on
    /// another device, the idle source gone).
    pub async fn ended(&mut self) -> Result<(), RunError> {
        let Some(task) = self.task.as_mut() else {
            return Ok(());
        };
        let ended = task.await;
        self.task = None;
        // The outer task only awaits the loop and reports: it fails only if
        // the runtime is shutting down under it.
        ended.unwrap_or_else(|e| Err(RunError::Crashed(panic_message(e))))
    }

    /// Stops the timer and completes when the run's last write is done.
    pub async fn stop(mut self) -> Result<(), RunError> {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        self.ended().await
    }
}

/// What a failed task says: its panic's message, or that it was cancelled.
fn panic_message(e: tokio::task::JoinError) -> String {
    if !e.is_panic() {
        return e.to_string();
    }
    let payload = e.into_panic();
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic".into())
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};
    use std::time::Duration;

    use super::*;
    use crate::outbox::{LogContext, Outbox};
    use crate::runner::TrackOptions;

    /// An idle source that fails the way a bug would.
    struct Broken;

    impl IdleSource for Broken {
        fn idle_time(&mut self) -> Result<Duration, String> {
            panic!("idle source broke")
        }
        fn name(&self) -> &'static str {
            "broken"
        }
    }

    #[tokio::test]
    async fn a_panicking_loop_ends_the_run_with_an_error_and_says_it_stopped() {
        let events = Arc::new(Mutex::new(Vec::new()));
        let seen = events.clone();
        let on_event: OnEvent = Arc::new(move |e| seen.lock().unwrap().push(e));
        let opts = TrackOptions {
            outbox: Arc::new(Mutex::new(Outbox::in_memory().unwrap())),
            context: LogContext::default(),
            tracker: Default::default(),
            idle_answer: None,
            shots: None,
            still_working: None,
            private: Default::default(),
        };
        let mut run = start(opts, Box::new(Broken), None, on_event, channel());
        let ended = tokio::time::timeout(Duration::from_secs(10), run.ended())
            .await
            .expect("the run ends");
        match ended {
            Err(RunError::Crashed(why)) => assert!(why.contains("idle source broke"), "{why}"),
            other => panic!("expected a crash, got {other:?}"),
        }
        let stopped = events
            .lock()
            .unwrap()
            .iter()
            .any(|e| matches!(e, Event::Stopped { .. }));
        assert!(stopped, "the window hears the run stopped");
        let now = chrono::Utc::now();
        let cut = Control::Cut { from: now, to: now };
        assert!(!run.controls().send(cut).await, "nothing runs to tell");
    }
}

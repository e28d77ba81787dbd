//! What `stint track` tells the person running it: one line per event.

use std::io::Write;

use chrono::Local;
use stint_agent::runner::Event;
use stint_agent::tracker::IdleAnswer;

pub fn print(e: Event) {
    let t = |i: stint_model::Instant| i.with_timezone(&Local).format("%H:%M:%S").to_string();
    let line = match e {
        Event::Recovered { closed_at, .. } => format!(
            "recovered: the log left open by the last run was closed at {}",
            t(closed_at)
        ),
        Event::Started { at, .. } => format!("started tracking at {}", t(at)),
        Event::IdleSince(at) => format!("idle since {}", t(at)),
        Event::Resumed {
            idle_from,
            idle_to,
            answer,
        } => format!(
            "resumed at {}: idle for {} min, {}",
            t(idle_to),
            (idle_to - idle_from).num_minutes(),
            match answer {
                IdleAnswer::Keep => "kept",
                IdleAnswer::Discard => "discarded",
                IdleAnswer::DiscardAndStop => "discarded, stopping",
            }
        ),
        Event::Stopped { at } => format!("stopped at {}", t(at)),
        Event::StoppedElsewhere { reason } => format!("stopped: {reason}"),
        Event::Screenshot { at, monitors } => {
            format!(
                "screenshot taken at {} ({monitors} screen{})",
                t(at),
                if monitors == 1 { "" } else { "s" }
            )
        }
        // Quiet rounds, prompts (answered by --idle-answer) and the server's
        // stops (announced as StoppedElsewhere by the loop) say nothing new.
        Event::Synced {
            acknowledged: 0,
            failed: 0,
        }
        | Event::IdlePrompt(_)
        | Event::ServerStopped { .. } => return,
        Event::Synced {
            acknowledged,
            failed,
        } => format!(
            "synced {acknowledged}{}",
            if failed > 0 {
                format!(", {failed} refused")
            } else {
                String::new()
            }
        ),
        Event::Offline { error, retry_in } => format!(
            "offline ({error}); retrying in {} s",
            retry_in.as_secs().max(1)
        ),
        Event::SignedOut(m) => {
            format!("signed out ({m}): run `stint login` again; nothing is lost")
        }
        Event::Warning(m) => format!("warning: {m}"),
        Event::ScreenshotSkipped { at } => format!(
            "screenshot skipped at {}: a never-capture application was in front",
            t(at)
        ),
        Event::StillWorking {
            running_since,
            stops_at,
        } => format!(
            "still working? The timer has run since {}: press Enter to go on, or it stops at your last input at {}",
            t(running_since),
            t(stops_at)
        ),
        Event::StoppedUnanswered { at } => format!(
            "nobody answered \"still working?\": stopping at your last input, {}",
            t(at)
        ),
    };
    // A closed pipe (`stint track | head`) is not worth a panic.
    let _ = writeln!(std::io::stdout(), "{line}");
}

//! `stint-bench outbox | capture | poll-only`: one benchmark per call,
//! printing its figures as JSON (bench/run.sh collects them into
//! bench/results/latest.json). Each figure comes with a baseline measured in
//! the same run, so the ratio means something on any machine.

mod capture;
mod outbox;
mod stats;

fn main() {
    let what = std::env::args().nth(1).unwrap_or_default();
    let out = match what.as_str() {
        "outbox" => outbox::run(),
        "capture" => capture::run(),
        // The tracker's idle polling alone, as a footprint baseline.
        "poll-only" => {
            let (mut idle, _) = stint_agent::idle::detect();
            loop {
                let _ = idle.idle_time();
                std::thread::sleep(std::time::Duration::from_secs(1));
            }
        }
        _ => {
            eprintln!("usage: stint-bench outbox|capture|poll-only");
            std::process::exit(2);
        }
    };
    println!("{out}");
}

//! `stint-bench outbox | capture | poll-only | ingest STINT | latency STINT |
//! reads STINT` (STINT: the release `stint` binary): one benchmark per call,
//! printing its figures as JSON (bench/run.sh collects them into
//! bench/results/latest.json). Each figure comes with a baseline measured in
//! the same run, so the ratio means something on any machine.

mod bare;
mod capture;
mod ingest;
mod ingest_one;
mod latency;
mod outbox;
mod reads;
mod server;
mod stats;

/// Runs a server benchmark against the `stint` binary named after it.
fn served<F: std::future::Future<Output = serde_json::Value>>(
    f: impl FnOnce(String) -> F,
) -> serde_json::Value {
    let bin = std::env::args()
        .nth(2)
        .unwrap_or_else(|| "target/release/stint".into());
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime")
        .block_on(f(bin))
}

fn main() {
    let what = std::env::args().nth(1).unwrap_or_default();
    let out = match what.as_str() {
        "outbox" => outbox::run(),
        "capture" => capture::run(),
        "ingest" => served(|bin| async move { ingest::run(&bin).await }),
        "latency" => served(|bin| async move { latency::run(&bin).await }),
        "reads" => served(|bin| async move { reads::run(&bin).await }),
        // The tracker's idle polling alone, as a footprint baseline.
        "poll-only" => {
            let (mut idle, _) = stint_agent::idle::detect();
            loop {
                let _ = idle.idle_time();
                std::thread::sleep(std::time::Duration::from_secs(1));
            }
        }
        _ => {
            eprintln!("usage: stint-bench outbox|capture|poll-only|ingest|latency|reads [STINT]");
            std::process::exit(2);
        }
    };
    println!("{out}");
}

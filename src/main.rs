//! `stint`: the server, its admin commands, and the headless tracker.
//! This file only parses arguments and wires the crates together.

mod admin;
mod cli;
mod data;
mod progress;
mod purge;
mod report;
mod serve;
mod tasks;
mod track;

use clap::Parser;
use cli::{Cli, Command};

fn main() -> std::process::ExitCode {
    use tracing_subscriber::prelude::*;
    let filter = tracing_subscriber::EnvFilter::try_from_env("STINT_LOG")
        .unwrap_or_else(|_| "warn,stint=info,stint_server=info".into());
    // The log's filter is the log layer's own, so the pool-wait metric sees
    // the store's acquire events whatever STINT_LOG says.
    tracing_subscriber::registry()
        .with(
            tracing_subscriber::fmt::layer()
                .with_writer(std::io::stderr)
                .with_filter(filter),
        )
        .with(stint_server::metrics::export::pool_wait_layer())
        .init();
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: could not start: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli.command)) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) if e.downcast_ref::<admin::Usage>().is_some() => {
            eprintln!("error: {e}");
            std::process::ExitCode::from(2)
        }
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run(command: Command) -> anyhow::Result<()> {
    match command {
        Command::Serve {
            listen,
            token_ttl,
            refresh_grace,
            trust_proxy,
            metrics_listen,
            drain_delay,
            connections,
            blobs,
            data,
        } => {
            let options = serve::Options {
                listen: &listen,
                metrics_listen: metrics_listen.as_deref(),
                token_ttl,
                refresh_grace,
                trusted_proxies: trust_proxy.unwrap_or_default(),
                limits: connections.limits(),
                drain_delay,
                blobs: blobs.blobs.as_ref(),
            };
            serve::run(&options, &data).await
        }
        Command::Login {
            server,
            email,
            password,
            embedded,
            agent,
        } => track::login(server, email, password, embedded, &agent).await,
        Command::Track {
            project,
            task,
            description,
            idle_threshold,
            idle_answer,
            poll,
            screenshot_interval,
            screens,
            blur,
            still_working_after,
            still_working_grace,
            never_capture,
            agent,
        } => {
            let args = track::TrackArgs {
                project,
                task,
                description,
                idle_threshold,
                idle_answer,
                poll,
                screenshot_interval,
                screens,
                blur,
                still_working: (!still_working_after.is_zero()).then_some(
                    stint_agent::runner::StillWorking {
                        after: still_working_after,
                        grace: still_working_grace,
                    },
                ),
                never_capture,
            };
            track::track(args, &agent).await
        }
        Command::Status { agent } => track::status(&agent).await,
        Command::Sync { agent } => track::sync(&agent).await,
        Command::Org { cmd, data } => admin::org_cmd(data::open(&data).await?, cmd).await,
        Command::User { cmd, data } => admin::user_cmd(data::open(&data).await?, cmd).await,
        Command::Project { cmd, data } => admin::project_cmd(data::open(&data).await?, cmd).await,
        Command::Task { cmd, data } => tasks::task_cmd(data::open(&data).await?, cmd).await,
        Command::Purge { blobs, data } => purge::run(&blobs, &data).await,
        Command::Report { args, data } => report::run(data::open(&data).await?, args).await,
    }
}

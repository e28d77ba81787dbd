//! `stint login | track | status | sync`: the headless tracker.
//!
//! All the logic lives in stint-agent; this wires it to the command line,
//! the process's signals, and (for "this computer only") a server started
//! in-process on loopback that the agent reaches over HTTP like any other.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use anyhow::Context;
use chrono::Local;
use stint_agent::account::{Account, EmbeddedFns, SignInError};
use stint_agent::api::Api;
use stint_agent::capture::{Format, Screens, ShotConfig};
use stint_agent::outbox::{LogContext, Outbox};
use stint_agent::projects;
use stint_agent::runner::{self, TrackOptions};
use stint_agent::session::{EMBEDDED, load_session, save_tokens};
use stint_agent::sync::SharedApi;
use stint_agent::tasks;
use stint_agent::tracker::{IdleAnswer, TrackerConfig};
use stint_server::local;

use crate::admin::Usage;
use crate::cli::{AgentOpts, DataOpts};
use crate::data;

fn data_opts(a: &AgentOpts) -> DataOpts {
    DataOpts {
        database: None,
        data_dir: a.data_dir.clone(),
    }
}

fn outbox_path(a: &AgentOpts) -> PathBuf {
    data::data_dir(&data_opts(a)).join("outbox.db")
}

fn open_outbox(a: &AgentOpts) -> anyhow::Result<Outbox> {
    let p = outbox_path(a);
    Outbox::open(&p).with_context(|| format!("cannot open the outbox at {}", p.display()))
}

/// Signing in on this data directory, with the embedded server of
/// "this computer only" started in this process when needed.
fn account(a: &AgentOpts, outbox: Arc<Mutex<Outbox>>) -> Account {
    let data_dir = data::data_dir(&data_opts(a));
    let embedded = EmbeddedFns::new(data_dir, local::start_embedded, local::create_local_user);
    Account::new(outbox, Some(Arc::new(embedded)))
}

pub async fn login(
    server: Option<String>,
    email: Option<String>,
    password: Option<String>,
    embedded: bool,
    a: &AgentOpts,
) -> anyhow::Result<()> {
    let outbox = Arc::new(Mutex::new(open_outbox(a)?));
    let account = account(a, outbox.clone());
    let signed = if embedded {
        account.sign_in_here().await
    } else {
        let (server, email) = (server.unwrap_or_default(), email.unwrap_or_default());
        account
            .sign_in(&server, &email, &password.unwrap_or_default())
            .await
    };
    // Someone else's unsent work refuses this sign-in: exit 1, nothing
    // changed (see stint_agent::session::adopt).
    let signed = signed.map_err(|e| match e {
        SignInError::Invalid(_) | SignInError::Refused(_) => Usage(e.to_string()).into(),
        e => anyhow::Error::from(e),
    })?;
    let (email, server) = (
        signed.api.session.email.clone(),
        signed.api.session.server.clone(),
    );
    // Saved now, so the first `stint track --project --task` can start offline.
    let api = tokio::sync::Mutex::new(signed.api);
    let _ = projects::list(&outbox, &api, projects::START_WAIT).await;
    let _ = tasks::list(&outbox, &api, projects::START_WAIT).await;
    let place = if embedded {
        "this computer only"
    } else {
        &server
    };
    println!("signed in as {email} to {place}");
    Ok(())
}

/// A client for the stored session (starting the embedded server for
/// one), or a usage error saying how to sign in.
async fn connect(a: &AgentOpts, outbox: &Arc<Mutex<Outbox>>) -> anyhow::Result<Api> {
    account(a, outbox.clone()).resume().await?.ok_or_else(|| {
        Usage("not signed in: run `stint login --server URL --email E --password P` or `stint login --embedded`".into()).into()
    })
}

/// Pushes everything pending once; keeps rotated tokens.
async fn push_once(a: &AgentOpts) -> anyhow::Result<stint_agent::sync::SyncReport> {
    let outbox = Arc::new(Mutex::new(open_outbox(a)?));
    let mut api = connect(a, &outbox).await?;
    let r = stint_agent::sync::sync_once(&outbox, &mut api, std::time::Duration::ZERO).await;
    save_tokens(
        &mut outbox.lock().unwrap_or_else(|p| p.into_inner()),
        &api.session,
    )?;
    Ok(r?)
}

pub struct TrackArgs {
    pub project: Option<String>,
    /// A task of `project`, by title.
    pub task: Option<String>,
    pub description: String,
    pub idle_threshold: std::time::Duration,
    pub idle_answer: String,
    pub poll: std::time::Duration,
    pub screenshot_interval: String,
    pub screens: String,
    pub blur: bool,
    pub still_working: Option<runner::StillWorking>,
    pub never_capture: stint_model::private_apps::PrivateApps,
}

/// `--screenshot-interval`, `--screens`, `--blur` as a capture plan.
fn shot_config(args: &TrackArgs) -> anyhow::Result<Option<ShotConfig>> {
    if args.screenshot_interval.eq_ignore_ascii_case("off") {
        return Ok(None);
    }
    let interval = crate::cli::parse_duration(&args.screenshot_interval).map_err(Usage)?;
    if interval.as_secs() < 1 {
        return Err(Usage("--screenshot-interval must be at least 1s, or off".into()).into());
    }
    let screens = if args.screens == "active" {
        Screens::Active
    } else {
        Screens::All
    };
    Ok(Some(ShotConfig {
        interval,
        screens,
        blur: args.blur,
        format: Format::Jpeg,
    }))
}

/// When a saved list was fetched, in local time ("14:05", or with the
/// date when not today).
fn saved_at(fetched_at: stint_model::Instant) -> String {
    let at = fetched_at.with_timezone(&Local);
    if at.date_naive() == Local::now().date_naive() {
        at.format("%H:%M").to_string()
    } else {
        at.format("%Y-%m-%d %H:%M").to_string()
    }
}

/// The id of the project called `name`: from the server if it answers
/// within [`projects::START_WAIT`], else from the list saved when it last
/// did, so a hanging server never holds up the start.
async fn project_named(
    outbox: &Mutex<Outbox>,
    api: &tokio::sync::Mutex<Api>,
    name: &str,
) -> anyhow::Result<uuid::Uuid> {
    let list = projects::list(outbox, api, projects::START_WAIT)
        .await
        .map_err(|e| anyhow::anyhow!("cannot list projects: {e}"))?;
    let saved = list.offline.is_some().then(|| saved_at(list.fetched_at));
    if let Some(at) = &saved {
        println!("server unreachable: using the project list saved at {at}");
    }
    match (list.named(name), saved) {
        (Some(p), _) => Ok(p.id),
        (None, None) => Err(Usage(format!("no project '{name}' (yours: {})", list.names())).into()),
        (None, Some(at)) => Err(Usage(format!(
            "no project '{name}' in the list saved at {at} (yours: {})",
            list.names()
        ))
        .into()),
    }
}

/// The id of `project`'s task titled `title`, found as projects are (the
/// server's list within [`projects::START_WAIT`], else the saved one).
async fn task_titled(
    outbox: &Mutex<Outbox>,
    api: &tokio::sync::Mutex<Api>,
    project: uuid::Uuid,
    title: &str,
) -> anyhow::Result<uuid::Uuid> {
    let list = tasks::list(outbox, api, projects::START_WAIT)
        .await
        .map_err(|e| anyhow::anyhow!("cannot list tasks: {e}"))?;
    if list.offline.is_some() {
        let at = saved_at(list.fetched_at);
        println!("server unreachable: using the task list saved at {at}");
    }
    match list.titled(project, title) {
        Some(t) => Ok(t.id),
        None => Err(Usage(format!(
            "no task '{title}' in that project (its tasks: {})",
            list.titles(project)
        ))
        .into()),
    }
}

pub async fn track(args: TrackArgs, a: &AgentOpts) -> anyhow::Result<()> {
    if !(1..=3600).contains(&args.idle_threshold.as_secs()) {
        return Err(Usage("--idle-threshold must be between 1s and 60m".into()).into());
    }
    let shots = shot_config(&args)?;
    let answer = match args.idle_answer.as_str() {
        "keep" => IdleAnswer::Keep,
        "stop" => IdleAnswer::DiscardAndStop,
        _ => IdleAnswer::Discard,
    };
    let outbox = Arc::new(Mutex::new(open_outbox(a)?));
    let api: SharedApi = Arc::new(tokio::sync::Mutex::new(connect(a, &outbox).await?));
    let project_id = match &args.project {
        Some(name) => Some(project_named(&outbox, &api, name).await?),
        None => None,
    };
    let task_id = match (&args.task, project_id) {
        (Some(title), Some(project)) => Some(task_titled(&outbox, &api, project, title).await?),
        _ => None,
    };
    // The organization's never-capture list, added to this run's own.
    let org_rules = stint_agent::policy::refresh(&outbox, &api, projects::START_WAIT).await;
    let (idle, warning) = stint_agent::idle::detect();
    if let Some(w) = warning {
        println!("warning: {w}");
    }
    let opts = TrackOptions {
        outbox: outbox.clone(),
        context: LogContext {
            project_id,
            task_id,
            description: args.description,
        },
        tracker: TrackerConfig {
            idle_threshold: args.idle_threshold,
            poll: args.poll,
        },
        idle_answer: Some(answer),
        shots,
        still_working: args.still_working,
        private: args.never_capture.and(&org_rules),
    };
    // The sync loop runs beside the tracking loop; a stop it learns of from
    // the server is passed on to the tracking loop.
    let (controls, requests) = runner::channel();
    let bridge = controls.clone();
    let on_event: runner::OnEvent = Arc::new(move |e| {
        bridge.bridge(&e);
        crate::progress::print(e)
    });
    let syncer = tokio::spawn(stint_agent::sync::run(
        outbox,
        api,
        std::time::Duration::from_secs(5),
        args.idle_threshold,
        on_event.clone(),
        Arc::default(),
    ));
    let capturer = stint_agent::capture::native();
    answer_from_stdin(controls.clone());
    let mut run = runner::start(opts, idle, capturer, on_event, (controls, requests));
    let ended = tokio::select! {
        _ = crate::serve::shutdown_signal() => None,
        ended = run.ended() => Some(ended),
    };
    let tracked = match ended {
        Some(ended) => ended,
        None => run.stop().await,
    };
    syncer.abort();
    tracked?;
    // One last push so a clean stop leaves nothing pending when the server is up.
    match tokio::time::timeout(std::time::Duration::from_secs(10), push_once(a)).await {
        Ok(Ok(r)) => println!("synced {}", r.acknowledged),
        Ok(Err(e)) => {
            println!("not synced yet ({e:#}); `stint sync` or the next `stint track` will send it")
        }
        Err(_) => println!("not synced yet (the server is slow); the next run will send it"),
    }
    Ok(())
}

/// Enter on the terminal answers "Still working?" (a line read while
/// nothing asks is ignored by the run). Without a terminal nothing answers,
/// and an unanswered question stops the run at the last input. A plain
/// thread, not tokio's stdin: its read cannot be cancelled and would hold
/// up the exit until Enter.
fn answer_from_stdin(controls: runner::Controls) {
    let rt = tokio::runtime::Handle::current();
    std::thread::spawn(move || {
        for line in std::io::stdin().lines() {
            if line.is_err() {
                break;
            }
            rt.block_on(controls.send(runner::Control::StillWorking));
        }
    });
}

pub async fn status(a: &AgentOpts) -> anyhow::Result<()> {
    let mut o = open_outbox(a)?;
    let local = |t: stint_model::Instant| {
        t.with_timezone(&Local)
            .format("%Y-%m-%d %H:%M:%S")
            .to_string()
    };
    match load_session(&o)? {
        Some(s) if s.server == EMBEDDED => {
            println!("signed in as {} on this computer only", s.email)
        }
        Some(s) => println!("signed in as {} to {}", s.email, s.server),
        None => println!("not signed in"),
    }
    match o.open_log()? {
        Some(l) => println!(
            "running: {} log since {}",
            l.log_type.as_str(),
            local(l.started_at)
        ),
        None => println!("stopped"),
    }
    let b = o.backlog()?;
    println!("pending: {}, failed: {}", b.pending, b.failed);
    for l in o.logs()?.iter().filter(|l| l.failed_message.is_some()) {
        println!(
            "  failed {}: {}",
            l.id,
            l.failed_message.as_deref().unwrap_or_default()
        );
    }
    match o
        .get(stint_agent::sync::LAST_SYNC_KEY)?
        .and_then(|s| chrono::DateTime::parse_from_rfc3339(&s).ok())
    {
        Some(t) => println!("last sync: {}", local(t.to_utc())),
        None => println!("last sync: never"),
    }
    if let Some(hb) = o.last_heartbeat()? {
        println!("last heartbeat: {}", local(hb));
    }
    // Read-only data directory, full disk: tracking keeps what it cannot
    // save in memory until it can, but the user should know.
    o.check_writable().map_err(|e| {
        anyhow::anyhow!(
            "cannot write the outbox at {}: {e}",
            outbox_path(a).display()
        )
    })?;
    Ok(())
}

pub async fn sync(a: &AgentOpts) -> anyhow::Result<()> {
    let r = push_once(a)
        .await
        .map_err(|e| anyhow::anyhow!("sync failed: {e:#}"))?;
    println!("synced {}, refused {}", r.acknowledged, r.failed);
    for (_, reason) in r.stopped_elsewhere {
        println!("stopped: {reason}");
    }
    Ok(())
}

//! `stint login | track | status | sync`: the headless tracker.
//!
//! All the logic lives in stint-agent; this wires it to the command line,
//! the process's signals, and (for "this computer only") a server started
//! in-process on loopback that the agent reaches over HTTP like any other.

use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Context;
use chrono::Local;
use stint_agent::api::{Api, Session};
use stint_agent::capture::{Format, Screens, ShotConfig};
use stint_agent::outbox::{LogContext, Outbox};
use stint_agent::runner::{self, TrackOptions, load_session, save_session, save_tokens};
use stint_agent::tracker::{IdleAnswer, TrackerConfig};
use stint_model::Role;
use stint_store::{NewUser, StoreError};

use crate::admin::Usage;
use crate::cli::{AgentOpts, DataOpts};
use crate::data;

/// The embedded server's one user.
pub const LOCAL_EMAIL: &str = "me@localhost";
/// `Session::server` of an embedded sign-in: resolved at each start.
pub const EMBEDDED: &str = "embedded";

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
    Outbox::open(&p).with_context(|| format!("cannot open the outbox {}", p.display()))
}

/// Starts the embedded server on a free loopback port; returns its URL.
async fn start_embedded(a: &AgentOpts) -> anyhow::Result<String> {
    let opts = data_opts(a);
    let store = data::open(&opts).await?;
    let blobs = Arc::new(stint_server::blobs::LocalDir::new(
        data::data_dir(&opts).join("blobs"),
    ));
    let state = stint_server::state(store, blobs, &stint_server::Config::default()).await?;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("http://{}", listener.local_addr()?);
    tokio::spawn(stint_server::serve(
        listener,
        stint_server::app(state),
        std::future::pending(),
    ));
    Ok(url)
}

/// The local user of the embedded server, created on first use with a
/// random password kept in the outbox.
async fn local_password(a: &AgentOpts, outbox: &mut Outbox) -> anyhow::Result<String> {
    if let Some(p) = outbox.get("embedded_password")? {
        return Ok(p);
    }
    let store = data::open(&data_opts(a)).await?;
    let org = store.org_by_name(data::DEFAULT_ORG).await?;
    let password = uuid::Uuid::new_v4().simple().to_string();
    let user = NewUser {
        id: uuid::Uuid::now_v7(),
        org_id: org.id,
        email: LOCAL_EMAIL.into(),
        name: whoami(),
        password_hash: stint_server::auth::password::hash(&password),
        role: Role::Admin,
        supervisor_id: None,
        timezone: local_zone(),
    };
    match store.create_user(user).await {
        Ok(_) => {}
        Err(StoreError::Conflict(_)) => anyhow::bail!(
            "the embedded server already has a local user whose password is not in this outbox"
        ),
        Err(e) => return Err(e.into()),
    }
    outbox.put("embedded_password", &password)?;
    Ok(password)
}

fn whoami() -> String {
    std::env::var("USER")
        .ok()
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "Me".into())
}

/// The machine's IANA zone if it can be told, else UTC.
fn local_zone() -> String {
    std::env::var("TZ")
        .ok()
        .or_else(|| {
            std::fs::read_link("/etc/localtime").ok().and_then(|p| {
                p.to_str()
                    .and_then(|s| s.split("zoneinfo/").nth(1))
                    .map(str::to_string)
            })
        })
        .filter(|z| stint_model::parse_timezone(z).is_ok())
        .unwrap_or_else(|| "UTC".into())
}

pub async fn login(
    server: Option<String>,
    email: Option<String>,
    password: Option<String>,
    embedded: bool,
    a: &AgentOpts,
) -> anyhow::Result<()> {
    let mut outbox = open_outbox(a)?;
    let (url, email, password) = if embedded {
        let password = local_password(a, &mut outbox).await?;
        (start_embedded(a).await?, LOCAL_EMAIL.to_string(), password)
    } else {
        (
            server.unwrap_or_default(),
            email.unwrap_or_default(),
            password.unwrap_or_default(),
        )
    };
    let api = Api::login(&url, &email, &password)
        .await
        .map_err(|e| match e {
            stint_agent::api::ApiError::Refused { message, .. }
            | stint_agent::api::ApiError::SignedOut(message) => {
                anyhow::Error::from(Usage(format!("sign-in refused: {message}")))
            }
            e => anyhow::anyhow!("cannot reach {url}: {e}"),
        })?;
    let mut session = api.session;
    if embedded {
        session.server = EMBEDDED.into();
    }
    save_session(&mut outbox, &session)?;
    println!(
        "signed in as {} to {}",
        session.email,
        if embedded {
            "this computer only"
        } else {
            &session.server
        }
    );
    Ok(())
}

/// The stored session, or a usage error saying how to sign in.
fn session(outbox: &Outbox) -> anyhow::Result<Session> {
    load_session(outbox)?.ok_or_else(|| {
        Usage("not signed in: run `stint login --server URL --email E --password P` or `stint login --embedded`".into()).into()
    })
}

/// A client for the session's server (starting the embedded one).
async fn connect(a: &AgentOpts, mut session: Session) -> anyhow::Result<Api> {
    if session.server == EMBEDDED {
        session.server = start_embedded(a).await?;
    }
    Ok(Api::resume(session))
}

/// Pushes everything pending once; keeps rotated tokens.
async fn push_once(a: &AgentOpts) -> anyhow::Result<stint_agent::sync::SyncReport> {
    let outbox = open_outbox(a)?;
    let mut api = connect(a, session(&outbox)?).await?;
    let outbox = std::sync::Mutex::new(outbox);
    let r = stint_agent::sync::sync_once(&outbox, &mut api, std::time::Duration::ZERO).await;
    save_tokens(
        &mut outbox.lock().unwrap_or_else(|p| p.into_inner()),
        &api.session,
    )?;
    Ok(r?)
}

/// This platform's screen capture.
fn capturer() -> Option<Box<dyn stint_agent::capture::Capturer>> {
    #[cfg(target_os = "linux")]
    return Some(Box::new(stint_agent::capture::xcap_capture::XcapCapturer));
    #[cfg(not(target_os = "linux"))]
    None
}

pub struct TrackArgs {
    pub project: Option<String>,
    pub description: String,
    pub idle_threshold: std::time::Duration,
    pub idle_answer: String,
    pub poll: std::time::Duration,
    pub screenshot_interval: String,
    pub screens: String,
    pub blur: bool,
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
    let mut api = connect(a, session(&open_outbox(a)?)?).await?;
    let project_id = match &args.project {
        Some(name) => {
            let projects = api
                .projects()
                .await
                .map_err(|e| anyhow::anyhow!("cannot list projects: {e}"))?;
            let found = projects.iter().find(|(_, n)| n.eq_ignore_ascii_case(name));
            let names: Vec<_> = projects.iter().map(|(_, n)| n.as_str()).collect();
            Some(
                found
                    .ok_or_else(|| {
                        Usage(format!("no project '{name}' (yours: {})", names.join(", ")))
                    })?
                    .0,
            )
        }
        None => None,
    };
    let (idle, warning) = stint_agent::idle::detect();
    if let Some(w) = warning {
        println!("warning: {w}");
    }
    let opts = TrackOptions {
        outbox: outbox_path(a),
        context: LogContext {
            project_id,
            description: args.description,
        },
        tracker: TrackerConfig {
            idle_threshold: args.idle_threshold,
            poll: args.poll,
        },
        idle_answer: answer,
        sync_every: std::time::Duration::from_secs(5),
        shots,
    };
    let capturer: Option<Box<dyn stint_agent::capture::Capturer>> = capturer();
    runner::track(
        opts,
        idle,
        capturer,
        Some(api),
        Arc::new(crate::progress::print),
        crate::serve::shutdown_signal(),
    )
    .await?;
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

pub async fn status(a: &AgentOpts) -> anyhow::Result<()> {
    let o = open_outbox(a)?;
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

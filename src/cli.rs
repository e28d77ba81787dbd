//! The command line, exactly as the README and the tests use it.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

#[derive(Parser, Debug)]
#[command(
    name = "stint",
    version,
    about = "Stint: time tracking for teams — server, admin and tracker"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

/// Where the server's data lives; shared by `serve` and the admin commands.
#[derive(Args, Debug, Clone)]
pub struct DataOpts {
    /// `postgres://...` for PostgreSQL, otherwise a SQLite file path
    /// (default: stint.db in the data directory).
    #[arg(long, env = "STINT_DATABASE_URL", global = true)]
    pub database: Option<String>,
    /// Directory for the SQLite database and screenshots (default: the
    /// platform's data directory, e.g. ~/.local/share/stint).
    #[arg(long, env = "STINT_DATA_DIR", global = true)]
    pub data_dir: Option<PathBuf>,
}

/// Where screenshot images go; shared by `serve` and `purge`, which must
/// agree (a purge deletes the images the server stored).
#[derive(Args, Debug, Clone)]
pub struct BlobOpts {
    /// S3-compatible object storage for screenshots, `s3://BUCKET/PREFIX`,
    /// so that several replicas share them; endpoint, region and
    /// credentials come from AWS_ENDPOINT, AWS_REGION, AWS_ACCESS_KEY_ID,
    /// AWS_SECRET_ACCESS_KEY (AWS_ALLOW_HTTP=true for plain http). Default:
    /// blobs/ in the data directory.
    #[arg(long, env = "STINT_BLOBS", value_name = "s3://BUCKET/PREFIX")]
    pub blobs: Option<stint_server::blobs::S3Url>,
}

/// How long and how many connections `stint serve` keeps open (see
/// `stint_server::Limits`).
#[derive(Args, Debug, Clone)]
pub struct ConnectionOpts {
    /// Time a client has to send a request's headers, and to send the next
    /// request on an idle kept-alive connection, before it is closed.
    #[arg(long, env = "STINT_HEADER_TIMEOUT", default_value = "30s", value_parser = parse_positive_duration)]
    pub header_timeout: std::time::Duration,
    /// Connections open at once; further ones wait until one closes.
    #[arg(long, env = "STINT_MAX_CONNECTIONS", default_value_t = 1024, value_parser = clap::value_parser!(u32).range(1..))]
    pub max_connections: u32,
}

impl ConnectionOpts {
    pub fn limits(&self) -> stint_server::Limits {
        stint_server::Limits {
            header_read_timeout: self.header_timeout,
            max_connections: self.max_connections as usize,
        }
    }
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Run the server (Ever Gauzy and IceHrm APIs).
    Serve {
        /// Address to listen on; port 0 picks a free port.
        #[arg(long, env = "STINT_LISTEN", default_value = "127.0.0.1:8080")]
        listen: String,
        /// Access-token lifetime, e.g. 12h, 30m, 90s.
        #[arg(long, env = "STINT_TOKEN_TTL", default_value = "12h", value_parser = parse_duration)]
        token_ttl: std::time::Duration,
        /// How long a rotated-out refresh token is still taken, once (an
        /// agent retrying after a lost refresh answer); later it revokes.
        #[arg(long, env = "STINT_REFRESH_GRACE", default_value = "60s", value_parser = parse_duration)]
        refresh_grace: std::time::Duration,
        /// Reverse proxies (CIDR[,CIDR...]) whose X-Forwarded-For names the
        /// client, for sign-in throttling; other peers' header is ignored.
        #[arg(long, env = "STINT_TRUST_PROXY", value_name = "CIDR[,CIDR]")]
        trust_proxy: Option<stint_server::auth::client_addr::TrustedProxies>,
        /// Serve Prometheus metrics at /metrics on this address, a listener
        /// of its own (not the API's); port 0 picks a free port.
        #[arg(long, env = "STINT_METRICS_LISTEN", value_name = "ADDR")]
        metrics_listen: Option<String>,
        /// On SIGTERM or SIGINT, how long /readyz answers 503 while requests
        /// are still served, before the listener closes; a second signal
        /// stops at once.
        #[arg(long, env = "STINT_DRAIN_DELAY", default_value = "5s", value_parser = parse_duration)]
        drain_delay: std::time::Duration,
        #[command(flatten)]
        connections: ConnectionOpts,
        #[command(flatten)]
        blobs: BlobOpts,
        #[command(flatten)]
        data: DataOpts,
    },
    /// Sign the tracker in to a server, or to the embedded one.
    Login {
        /// Server URL, e.g. https://stint.example.com
        #[arg(
            long,
            required_unless_present = "embedded",
            conflicts_with = "embedded"
        )]
        server: Option<String>,
        #[arg(long, required_unless_present = "embedded")]
        email: Option<String>,
        #[arg(long, required_unless_present = "embedded")]
        password: Option<String>,
        /// Use the server built into this program ("this computer only").
        #[arg(long)]
        embedded: bool,
        #[command(flatten)]
        agent: AgentOpts,
    },
    /// Track time in the foreground until Ctrl-C / SIGTERM.
    Track {
        /// Project name (as listed by the server).
        #[arg(long)]
        project: Option<String>,
        /// Task title, one of the project's tasks.
        #[arg(long, requires = "project")]
        task: Option<String>,
        #[arg(long, default_value = "", value_parser = parse_description)]
        description: String,
        /// No input for this long is idle (1s to 60m).
        #[arg(long, default_value = "5m", value_parser = parse_duration)]
        idle_threshold: std::time::Duration,
        /// What to do with idle time when input returns (the UI asks).
        #[arg(long, default_value = "discard", value_parser = ["keep", "discard", "stop"])]
        idle_answer: String,
        /// How often to poll the idle time.
        #[arg(long, default_value = "1s", value_parser = parse_duration, hide = true)]
        poll: std::time::Duration,
        /// Screenshot interval (1m, 5m, 10m, 15m, 30m, or any duration), or `off`.
        #[arg(long, default_value = "10m")]
        screenshot_interval: String,
        /// Capture every monitor or only the active one.
        #[arg(long, default_value = "all", value_parser = ["all", "active"])]
        screens: String,
        /// Blur screenshots so text cannot be read.
        #[arg(long)]
        blur: bool,
        /// Ask "Still working?" once the timer has run this long (answer
        /// with Enter); unanswered, it stops at your last input. `off`
        /// never asks.
        #[arg(long, default_value = "10h", value_parser = parse_still_working)]
        still_working_after: std::time::Duration,
        /// How long "Still working?" waits for an answer.
        #[arg(long, default_value = "15m", value_parser = parse_positive_duration)]
        still_working_grace: std::time::Duration,
        /// Applications never captured while in front, comma-separated:
        /// `keepassxc` (its class), `title:bank` (a window title part),
        /// `blur:` before either for a blurred screenshot instead of none.
        #[arg(long, default_value = "", value_parser = parse_never_capture)]
        never_capture: stint_model::private_apps::PrivateApps,
        #[command(flatten)]
        agent: AgentOpts,
    },
    /// Show the tracker's state: running log, pending and failed items.
    Status {
        #[command(flatten)]
        agent: AgentOpts,
    },
    /// Push everything pending to the server once, and report.
    Sync {
        #[command(flatten)]
        agent: AgentOpts,
    },
    /// Manage organizations.
    Org {
        #[command(subcommand)]
        cmd: OrgCmd,
        #[command(flatten)]
        data: DataOpts,
    },
    /// Manage users (employees, managers, admins).
    User {
        #[command(subcommand)]
        cmd: UserCmd,
        #[command(flatten)]
        data: DataOpts,
    },
    /// Manage projects.
    Project {
        #[command(subcommand)]
        cmd: ProjectCmd,
        #[command(flatten)]
        data: DataOpts,
    },
    /// Manage tasks (each belongs to a project).
    Task {
        #[command(subcommand)]
        cmd: TaskCmd,
        #[command(flatten)]
        data: DataOpts,
    },
    /// Delete screenshots older than their organization's retention now
    /// (the server also does it every hour), and print what went.
    Purge {
        #[command(flatten)]
        blobs: BlobOpts,
        #[command(flatten)]
        data: DataOpts,
    },
    /// Counted time per person and per project over a range (IDLE
    /// excluded), read from the server's store; --csv also writes the CSV
    /// export's rows.
    Report {
        #[command(flatten)]
        args: crate::report::ReportArgs,
        #[command(flatten)]
        data: DataOpts,
    },
}

/// Where the tracker keeps its outbox and session.
#[derive(Args, Debug, Clone)]
pub struct AgentOpts {
    /// Directory of the tracker's outbox (default: the platform's data
    /// directory, e.g. ~/.local/share/stint).
    #[arg(long, env = "STINT_DATA_DIR")]
    pub data_dir: Option<PathBuf>,
}

#[derive(Subcommand, Debug)]
pub enum OrgCmd {
    /// Create an organization.
    Add {
        #[arg(long)]
        name: String,
    },
    /// Change an organization's settings.
    Set {
        #[arg(long)]
        name: String,
        /// IceHrm's "Make All Projects Available to Employees".
        #[arg(long, action = clap::ArgAction::Set,
              required_unless_present_any = ["screenshot_retention_days", "members_create_projects", "never_capture", "screenshot_deletion"])]
        all_projects_available: Option<bool>,
        /// Let employees create and edit projects and tasks too (off by
        /// default: managers and admins only).
        #[arg(long, action = clap::ArgAction::Set)]
        members_create_projects: Option<bool>,
        /// Delete screenshots older than this many days (1 to 36500), or
        /// `off` to keep them (the default).
        #[arg(long, value_name = "DAYS|off", value_parser = parse_retention)]
        screenshot_retention_days: Option<Retention>,
        /// Applications nobody's tracker captures while in front, on top
        /// of each person's own list: `keepassxc,1password,title:bank`
        /// (`blur:` before one for a blurred screenshot); "" for none.
        #[arg(long, value_name = "LIST", value_parser = parse_never_capture_list)]
        never_capture: Option<String>,
        /// What deleting a screenshot before upload does to its time:
        /// `with-time` (it goes too; the default) or `keep-time` (it stays,
        /// and the manager sees "screenshot removed by the employee").
        #[arg(long, value_name = "with-time|keep-time", value_parser = parse_screenshot_deletion)]
        screenshot_deletion: Option<stint_model::ScreenshotDeletion>,
    },
    /// List organizations.
    List,
}

#[derive(Subcommand, Debug)]
pub enum UserCmd {
    /// Create a user.
    Add {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        #[arg(long)]
        password: String,
        #[arg(long, default_value = "employee", value_parser = ["employee", "manager", "admin"])]
        role: String,
        /// E-mail of the user's supervisor (who approves their timesheets).
        #[arg(long)]
        supervisor: Option<String>,
        /// Organization name (default: Default).
        #[arg(long)]
        org: Option<String>,
        /// IANA time zone, e.g. Europe/Berlin (default: UTC).
        #[arg(long, default_value = "UTC")]
        timezone: String,
    },
    /// List users of an organization.
    List {
        #[arg(long)]
        org: Option<String>,
    },
}

#[derive(Subcommand, Debug)]
pub enum ProjectCmd {
    /// Create a project, optionally assigning it to users.
    Add {
        #[arg(long)]
        name: String,
        #[arg(long)]
        org: Option<String>,
        /// E-mail of a user to assign (repeatable).
        #[arg(long)]
        assign: Vec<String>,
    },
    /// Rename a project.
    Rename {
        /// The project's current name.
        #[arg(long)]
        name: String,
        /// Its new name.
        #[arg(long)]
        to: String,
        #[arg(long)]
        org: Option<String>,
    },
    /// Archive a project: its time stays in history and reports, pickers
    /// hide it and it takes no new time. Projects are never deleted.
    Archive {
        #[arg(long)]
        name: String,
        #[arg(long)]
        org: Option<String>,
    },
    /// List projects of an organization (archived ones marked).
    List {
        #[arg(long)]
        org: Option<String>,
    },
}

#[derive(Subcommand, Debug)]
pub enum TaskCmd {
    /// Create a task in a project.
    Add {
        /// The project's name.
        #[arg(long)]
        project: String,
        #[arg(long)]
        title: String,
        /// E-mail of a user to assign (repeatable).
        #[arg(long)]
        assign: Vec<String>,
        /// Estimated effort, e.g. 90m or 2h.
        #[arg(long, value_parser = parse_duration)]
        estimate: Option<std::time::Duration>,
        #[arg(long)]
        org: Option<String>,
    },
    /// List tasks, of one project or of all.
    List {
        /// The project's name.
        #[arg(long)]
        project: Option<String>,
        #[arg(long)]
        org: Option<String>,
    },
}

/// A description the server will take (refused at once, not log by log
/// once tracked).
fn parse_description(s: &str) -> Result<String, String> {
    stint_model::validate_description(s).map_err(|e| e.0)?;
    Ok(s.to_string())
}

/// `--screenshot-retention-days`: `Retention(None)` is `off`.
#[derive(Debug, Clone, Copy)]
pub struct Retention(pub Option<u32>);

fn parse_retention(s: &str) -> Result<Retention, String> {
    stint_model::org::parse_retention_days(s)
        .map(Retention)
        .map_err(|e| e.0)
}

/// `90s`, `5m`, `12h`, `1d`, or plain seconds.
pub fn parse_duration(s: &str) -> Result<std::time::Duration, String> {
    let s = s.trim();
    let split = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    let (n, unit) = s.split_at(split);
    let n: u64 = n
        .parse()
        .map_err(|_| format!("'{s}' is not a duration like 30s, 5m or 12h"))?;
    let secs = match unit {
        "" | "s" => n,
        "m" => n * 60,
        "h" => n * 3600,
        "d" => n * 86_400,
        _ => return Err(format!("'{s}' is not a duration like 30s, 5m or 12h")),
    };
    Ok(std::time::Duration::from_secs(secs))
}

/// A duration of at least one second (a zero timeout would cut every
/// connection at once).
fn parse_screenshot_deletion(s: &str) -> Result<stint_model::ScreenshotDeletion, String> {
    stint_model::ScreenshotDeletion::parse(s).map_err(|e| e.0)
}

/// The list as typed, once it parses (stored as given, read by every tracker).
fn parse_never_capture_list(s: &str) -> Result<String, String> {
    parse_never_capture(s).map(|_| s.trim().to_string())
}

fn parse_never_capture(s: &str) -> Result<stint_model::private_apps::PrivateApps, String> {
    stint_model::private_apps::PrivateApps::parse(s)
}

/// A duration of at least a second, or `off` (zero: never ask).
fn parse_still_working(s: &str) -> Result<std::time::Duration, String> {
    if s.eq_ignore_ascii_case("off") {
        return Ok(std::time::Duration::ZERO);
    }
    parse_positive_duration(s)
}

fn parse_positive_duration(s: &str) -> Result<std::time::Duration, String> {
    match parse_duration(s)? {
        d if d.is_zero() => Err(format!("'{s}' must be at least 1s")),
        d => Ok(d),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn durations_parse_with_units() {
        assert_eq!(super::parse_duration("90").unwrap().as_secs(), 90);
        assert_eq!(super::parse_duration("5m").unwrap().as_secs(), 300);
        assert_eq!(super::parse_duration("12h").unwrap().as_secs(), 43_200);
        assert!(super::parse_duration("5 weeks").is_err());
        assert!(super::parse_duration("m").is_err());
    }
}

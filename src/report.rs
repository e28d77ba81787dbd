//! `stint report`: an organization's counted time over a range (IDLE
//! excluded), per person and per project, as an aligned table, read from
//! the server's store on the server machine like the other admin
//! commands; `--csv FILE` also writes the rows of the CSV export
//! (`stint_server::service::export::csv`, the endpoint's writer).

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Context;
use chrono::NaiveDate;
use clap::Args;
use stint_model::{User, parse_timezone};
use stint_server::AppError;
use stint_server::service::export;
use stint_server::service::ledger::{Ledger, Range, Scope, ledger};
use stint_server::service::time_reports::{Key, Level, Node, tree};
use stint_store::Store;

use crate::admin::{self, usage};

#[derive(Args, Debug)]
pub struct ReportArgs {
    /// First day, YYYY-MM-DD.
    #[arg(long)]
    pub from: NaiveDate,
    /// Last day, YYYY-MM-DD (included; at most 400 days after --from).
    #[arg(long)]
    pub to: NaiveDate,
    /// Only this person (e-mail).
    #[arg(long)]
    pub employee: Option<String>,
    /// Only this project (name).
    #[arg(long)]
    pub project: Option<String>,
    /// Also write the export's CSV rows for the same people, project and
    /// days to FILE.
    #[arg(long, value_name = "FILE")]
    pub csv: Option<PathBuf>,
    /// The zone of the days, for everyone (an IANA name).
    #[arg(long, default_value = "UTC")]
    pub timezone: String,
    /// The organization (default: Default).
    #[arg(long)]
    pub org: Option<String>,
}

/// A service error: a client error is the user's (exit code 2).
fn app(e: AppError) -> anyhow::Error {
    if e.status.is_client_error() {
        usage(e.message)
    } else {
        anyhow::anyhow!(e.message)
    }
}

pub async fn run(store: Arc<dyn Store>, a: ReportArgs) -> anyhow::Result<()> {
    let tz = parse_timezone(&a.timezone).map_err(|e| usage(format!("--timezone: {}", e.0)))?;
    let range = Range::new(a.from, a.to, Some(tz)).map_err(|e| {
        usage(
            e.message
                .replace("startDate", "--from")
                .replace("endDate", "--to"),
        )
    })?;
    let o = admin::org(&store, a.org.as_deref()).await?;
    let people: Vec<User> = match &a.employee {
        Some(e) => admin::members(&store, &o, std::slice::from_ref(e)).await?,
        None => store.list_users(o.id).await?,
    };
    let project_ids = match &a.project {
        Some(name) => vec![admin::project(&store, &o, name).await?.id],
        None => vec![],
    };
    let employees: HashMap<_, _> = people.into_iter().map(|u| (u.id, u)).collect();
    let scope = Scope::with(&*store, o.id, employees, project_ids)
        .await
        .map_err(app)?;
    if let Some(path) = &a.csv {
        let mut out = std::fs::File::create(path)
            .with_context(|| format!("could not create {}", path.display()))?;
        let bytes = export::csv(store.clone(), scope.clone(), &range, tz)
            .write_to(&mut out)
            .await
            .with_context(|| format!("could not write {}", path.display()))?;
        println!("wrote {} ({bytes} bytes of CSV)", path.display());
    }
    let l = ledger(&store, scope, range).await.map_err(app)?;
    print!("{}", table(&l, &a.timezone));
    Ok(())
}

/// `H:MM:SS` of whole seconds.
fn hms(secs: i64) -> String {
    format!("{}:{:02}:{:02}", secs / 3600, secs / 60 % 60, secs % 60)
}

/// Rows of text cells as columns padded to their widest cell; the last
/// column (the time) right-aligned.
fn aligned(rows: &[Vec<String>]) -> String {
    let cols = rows.first().map_or(0, Vec::len);
    let width: Vec<usize> = (0..cols)
        .map(|c| rows.iter().map(|r| r[c].chars().count()).max().unwrap_or(0))
        .collect();
    let mut out = String::new();
    for r in rows {
        let mut line = String::new();
        for (c, cell) in r.iter().enumerate() {
            if c + 1 == cols {
                line.push_str(&format!("{cell:>w$}", w = width[c]));
            } else {
                line.push_str(&format!("{cell:<w$}  ", w = width[c]));
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// The report as printed: a line saying what it covers, the people, then
/// the projects, each with a total.
fn table(l: &Ledger, zone: &str) -> String {
    let total = hms(l.entries.iter().map(|e| e.seconds).sum());
    let people = tree(l, &[Level::Employee]);
    let mut rows = vec![vec!["PERSON".into(), "EMAIL".into(), "TIME".into()]];
    rows.extend(people.iter().map(|n: &Node| {
        let u = match n.key {
            Key::Employee(id) => l.scope.employees.get(&id),
            _ => None,
        };
        vec![
            u.map(|u| u.name.clone()).unwrap_or_default(),
            u.map(|u| u.email.clone()).unwrap_or_default(),
            hms(n.total.seconds),
        ]
    }));
    rows.push(vec!["TOTAL".into(), String::new(), total.clone()]);
    let mut projects = vec![vec!["PROJECT".into(), "TIME".into()]];
    projects.extend(tree(l, &[Level::Project]).iter().map(|n| {
        let name = match n.key {
            Key::Project(id) => l.scope.project_name(id).unwrap_or("(no project)"),
            _ => "",
        };
        vec![name.to_string(), hms(n.total.seconds)]
    }));
    projects.push(vec!["TOTAL".into(), total]);
    format!(
        "Counted time {} to {} (days in {zone}; IDLE excluded)\n\n{}\n{}",
        l.range.first,
        l.range.last,
        aligned(&rows),
        aligned(&projects)
    )
}

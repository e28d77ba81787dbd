//! `stint org|user|project ...`: set up a server's organizations, people and
//! projects. Each command prints what it did; a bad argument is a
//! [`Usage`] error (exit code 2) and writes nothing.

use std::sync::Arc;

use stint_model::{
    Organization, Project, Role, User, normalize_email, parse_timezone, validate_name,
};
use stint_store::{NewUser, Store, StoreError};
use uuid::Uuid;

use crate::cli::{OrgCmd, ProjectCmd, Retention, UserCmd};
use crate::data::DEFAULT_ORG;

/// A mistake in the command line: reported with exit code 2.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct Usage(pub String);

pub(crate) fn usage(msg: impl Into<String>) -> anyhow::Error {
    Usage(msg.into()).into()
}

/// Store errors that are the user's doing (a name taken, a missing row)
/// become usage errors.
pub(crate) fn user_error(e: StoreError, what: &str) -> anyhow::Error {
    match e {
        StoreError::Conflict(m) => usage(m),
        StoreError::NotFound => usage(format!("{what} not found")),
        e => e.into(),
    }
}

pub(crate) async fn org(
    store: &Arc<dyn Store>,
    name: Option<&str>,
) -> anyhow::Result<Organization> {
    let name = name.unwrap_or(DEFAULT_ORG);
    store
        .org_by_name(name)
        .await
        .map_err(|e| user_error(e, &format!("organization '{name}'")))
}

pub async fn org_cmd(store: Arc<dyn Store>, cmd: OrgCmd) -> anyhow::Result<()> {
    match cmd {
        OrgCmd::Add { name } => {
            let name = name.trim();
            if name.is_empty() {
                return Err(usage("--name must not be empty"));
            }
            let o = store
                .create_org(Uuid::now_v7(), name)
                .await
                .map_err(|e| user_error(e, "organization"))?;
            println!("created organization '{}' ({})", o.name, o.id);
        }
        OrgCmd::Set {
            name,
            all_projects_available,
            members_create_projects,
            screenshot_retention_days,
            never_capture,
            screenshot_deletion,
        } => {
            let mut o = org(&store, Some(&name)).await?;
            if let Some(on) = all_projects_available {
                o = store.set_all_projects_available(o.id, on).await?;
            }
            if let Some(on) = members_create_projects {
                o = store.set_members_create_projects(o.id, on).await?;
            }
            if let Some(Retention(days)) = screenshot_retention_days {
                o = store.set_screenshot_retention(o.id, days).await?;
            }
            if let Some(list) = never_capture {
                o = store.set_never_capture(o.id, &list).await?;
            }
            if let Some(rule) = screenshot_deletion {
                o = store.set_screenshot_deletion(o.id, rule).await?;
            }
            println!(
                "organization '{}': all projects available = {}, members create projects = {}, \
                 screenshot retention = {}, never capture = {}, screenshot deletion = {}",
                o.name,
                o.all_projects_available,
                o.members_create_projects,
                retention(&o),
                never_capture_text(&o),
                o.screenshot_deletion.as_str()
            );
        }
        OrgCmd::List => {
            for o in store.list_orgs().await? {
                println!(
                    "{}\t{}\tall_projects_available={}\tscreenshot_retention={}\t\
                     members_create_projects={}\tnever_capture={}",
                    o.id,
                    o.name,
                    o.all_projects_available,
                    retention(&o),
                    o.members_create_projects,
                    never_capture_text(&o)
                );
            }
        }
    }
    Ok(())
}

/// `30 days`, or `off`.
/// The never-capture list as the CLI prints it ("none" when empty).
fn never_capture_text(o: &stint_model::Organization) -> &str {
    if o.never_capture.is_empty() {
        "none"
    } else {
        &o.never_capture
    }
}

fn retention(o: &Organization) -> String {
    match o.screenshot_retention_days {
        Some(d) => format!("{d} days"),
        None => "off".into(),
    }
}

pub async fn user_cmd(store: Arc<dyn Store>, cmd: UserCmd) -> anyhow::Result<()> {
    match cmd {
        UserCmd::Add {
            email,
            name,
            password,
            role,
            supervisor,
            org: org_name,
            timezone,
        } => {
            let email = normalize_email(&email).map_err(|e| usage(e.0))?;
            let role = Role::parse(&role).map_err(|e| usage(e.0))?;
            parse_timezone(&timezone).map_err(|e| usage(e.0))?;
            if name.trim().is_empty() {
                return Err(usage("--name must not be empty"));
            }
            if password.chars().count() < 8 {
                return Err(usage("--password must have at least 8 characters"));
            }
            let o = org(&store, org_name.as_deref()).await?;
            let supervisor = match supervisor {
                Some(s) => {
                    let s = normalize_email(&s).map_err(|e| usage(e.0))?;
                    let sup = store
                        .user_by_email(&s)
                        .await
                        .map_err(|e| user_error(e, &format!("supervisor '{s}'")))?;
                    if sup.org_id != o.id {
                        return Err(usage(format!(
                            "supervisor '{s}' is not in organization '{}'",
                            o.name
                        )));
                    }
                    Some(sup.id)
                }
                None => None,
            };
            let hash = stint_server::auth::password::hash(&password);
            let u = store
                .create_user(NewUser {
                    id: Uuid::now_v7(),
                    org_id: o.id,
                    email,
                    name: name.trim().to_string(),
                    password_hash: hash,
                    role,
                    supervisor_id: supervisor,
                    timezone,
                })
                .await
                .map_err(|e| user_error(e, "user"))?;
            println!(
                "created {} '{}' <{}> in '{}' ({})",
                u.role.as_str(),
                u.name,
                u.email,
                o.name,
                u.id
            );
        }
        UserCmd::List { org: org_name } => {
            let o = org(&store, org_name.as_deref()).await?;
            let users = store.list_users(o.id).await?;
            for u in &users {
                let sup = u
                    .supervisor_id
                    .and_then(|s| users.iter().find(|x| x.id == s))
                    .map(|x| x.email.as_str());
                println!(
                    "{}\t{}\t{}\t{}\t{}\tsupervisor={}",
                    u.id,
                    u.email,
                    u.name,
                    u.role.as_str(),
                    u.timezone,
                    sup.unwrap_or("-")
                );
            }
        }
    }
    Ok(())
}

pub async fn project_cmd(store: Arc<dyn Store>, cmd: ProjectCmd) -> anyhow::Result<()> {
    match cmd {
        ProjectCmd::Add {
            name,
            org: org_name,
            assign,
        } => {
            let name = validate_name(&name, "--name").map_err(|e| usage(e.0))?;
            let o = org(&store, org_name.as_deref()).await?;
            // Check every assignee before writing anything.
            let users = members(&store, &o, &assign).await?;
            let p = store
                .create_project(Uuid::now_v7(), o.id, &name)
                .await
                .map_err(|e| user_error(e, "project"))?;
            for u in &users {
                store.assign_project(p.id, u.id).await?;
            }
            let names: Vec<_> = users.iter().map(|u| u.email.as_str()).collect();
            println!(
                "created project '{}' in '{}' ({}){}",
                p.name,
                o.name,
                p.id,
                if names.is_empty() {
                    String::new()
                } else {
                    format!(", assigned to {}", names.join(", "))
                }
            );
        }
        ProjectCmd::Rename {
            name,
            to,
            org: org_name,
        } => {
            let to = validate_name(&to, "--to").map_err(|e| usage(e.0))?;
            let o = org(&store, org_name.as_deref()).await?;
            let p = project(&store, &o, &name).await?;
            let renamed = store
                .rename_project(o.id, p.id, &to)
                .await
                .map_err(|e| user_error(e, "project"))?;
            println!(
                "renamed project '{}' to '{}' ({})",
                p.name, renamed.name, p.id
            );
        }
        ProjectCmd::Archive {
            name,
            org: org_name,
        } => {
            let o = org(&store, org_name.as_deref()).await?;
            let p = project(&store, &o, &name).await?;
            if !p.is_archived() {
                let now = stint_model::to_millis_precision(chrono::Utc::now());
                store.set_project_archived(o.id, p.id, Some(now)).await?;
            }
            println!(
                "archived project '{}' ({}): its time stays, it takes no new time",
                p.name, p.id
            );
        }
        ProjectCmd::List { org: org_name } => {
            let o = org(&store, org_name.as_deref()).await?;
            for p in store.list_projects(o.id).await? {
                let archived = if p.is_archived() { "\tarchived" } else { "" };
                println!("{}\t{}\t{}{archived}", p.id, p.seq, p.name);
            }
        }
    }
    Ok(())
}

/// The organization's project named `name`; a missing one is a usage error.
pub(crate) async fn project(
    store: &Arc<dyn Store>,
    o: &Organization,
    name: &str,
) -> anyhow::Result<Project> {
    store
        .project_by_name(o.id, name.trim())
        .await
        .map_err(|e| user_error(e, &format!("project '{}' in '{}'", name.trim(), o.name)))
}

/// The users with these e-mails, all of organization `o`, checked before
/// anything is written.
pub(crate) async fn members(
    store: &Arc<dyn Store>,
    o: &Organization,
    emails: &[String],
) -> anyhow::Result<Vec<User>> {
    let mut users = Vec::new();
    for e in emails {
        let e = normalize_email(e).map_err(|x| usage(x.0))?;
        let u = store
            .user_by_email(&e)
            .await
            .map_err(|x| user_error(x, &format!("user '{e}'")))?;
        if u.org_id != o.id {
            return Err(usage(format!(
                "user '{e}' is not in organization '{}'",
                o.name
            )));
        }
        users.push(u);
    }
    Ok(users)
}

//! `stint task add|list`: tasks of a server's projects, from its data dir
//! like `stint project`. A bad argument is a usage error (exit code 2) and
//! writes nothing.

use std::sync::Arc;

use chrono::Utc;
use stint_model::{Task, TaskStatus, to_millis_precision, validate_estimate, validate_name};
use stint_store::{Store, TaskFilter};
use uuid::Uuid;

use crate::admin::{members, org, project, usage, user_error};
use crate::cli::TaskCmd;

pub async fn task_cmd(store: Arc<dyn Store>, cmd: TaskCmd) -> anyhow::Result<()> {
    match cmd {
        TaskCmd::Add {
            project: project_name,
            title,
            assign,
            estimate,
            org: org_name,
        } => {
            let title = validate_name(&title, "--title").map_err(|e| usage(e.0))?;
            let estimate = estimate
                .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
                .map(validate_estimate)
                .transpose()
                .map_err(|e| usage(e.0))?;
            let o = org(&store, org_name.as_deref()).await?;
            let p = project(&store, &o, &project_name).await?;
            if p.is_archived() {
                return Err(usage(format!(
                    "project '{}' is archived: it takes no new tasks",
                    p.name
                )));
            }
            let users = members(&store, &o, &assign).await?;
            let now = to_millis_precision(Utc::now());
            let task = Task {
                id: Uuid::now_v7(),
                seq: 0,
                org_id: o.id,
                project_id: p.id,
                title,
                status: TaskStatus::Open,
                estimate,
                assignee_ids: users.iter().map(|u| u.id).collect(),
                created_at: now,
                updated_at: now,
            };
            let t = store
                .create_task(task)
                .await
                .map_err(|e| user_error(e, "task"))?;
            println!(
                "created task '{}' in project '{}' ({})",
                t.title, p.name, t.id
            );
        }
        TaskCmd::List {
            project: project_name,
            org: org_name,
        } => {
            let o = org(&store, org_name.as_deref()).await?;
            let mut filter = TaskFilter {
                org_id: o.id,
                ..TaskFilter::default()
            };
            if let Some(name) = project_name {
                filter.project_ids = Some(vec![project(&store, &o, &name).await?.id]);
            }
            let projects = store.list_projects(o.id).await?;
            for t in store.list_tasks(&filter).await? {
                let p = projects
                    .iter()
                    .find(|p| p.id == t.project_id)
                    .map_or("", |p| p.name.as_str());
                println!(
                    "{}\t{}\t{}\t{}\t{}",
                    t.id,
                    p,
                    t.title,
                    t.status.as_str(),
                    t.estimate.map_or("-".into(), |s| format!("{s}s"))
                );
            }
        }
    }
    Ok(())
}

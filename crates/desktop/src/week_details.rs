//! A submitted week opened by the manager who decides it: per day the
//! projects with their time, the logs (time range, description) and how
//! many screenshots were taken, so the decision is made knowing where the
//! time went rather than from a total.
//!
//! Days are the employee's local days (their zone comes with the sheet), so
//! a manager elsewhere sees the same Monday the employee worked.

use std::collections::HashMap;

use chrono::Utc;
use serde::{Deserialize, Serialize};
use stint_agent::wire;
use stint_model::{Instant, Week, local_midnight};
use uuid::Uuid;

use crate::app::Desktop;
use crate::error::{IpcError, IpcResult, parse_id};

/// One submitted week, day by day (all seven, empty ones too).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct WeekDetails {
    pub id: String,
    /// The employee's IANA zone the days are cut in.
    pub time_zone: String,
    pub days: Vec<DayDetails>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct DayDetails {
    /// `YYYY-MM-DD`, the employee's local date.
    pub date: String,
    /// Time that counts (IDLE left out) inside this day.
    pub total_seconds: i64,
    pub screenshots: u32,
    /// Most time first.
    pub projects: Vec<ProjectTime>,
    /// In the order they started.
    pub logs: Vec<DayLog>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct ProjectTime {
    /// `None`: time on no project.
    pub name: Option<String>,
    pub seconds: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct DayLog {
    pub id: String,
    pub project_name: Option<String>,
    pub description: String,
    pub started_at: Instant,
    /// `None` while it runs.
    pub stopped_at: Option<Instant>,
    /// Its time inside this day (a log over midnight shows in both days).
    pub seconds: i64,
}

/// What a project the employee can no longer pick (archived) is called.
const GONE_PROJECT: &str = "Archived project";

impl Desktop {
    /// The details of submitted week `id` of someone this user approves:
    /// their logs, screenshot list and project names, read from the server
    /// when the manager opens the week.
    pub async fn approval_week(&self, id: &str) -> IpcResult<WeekDetails> {
        let id = parse_id(id, "timesheet")?;
        let me = self.me().await?;
        let sheets = self
            .call(async |api| api.submitted_timesheets().await)
            .await?;
        // As in the approvals list: the user's own submitted week is not
        // theirs to decide.
        let sheet = sheets
            .into_iter()
            .find(|s| s.id == id && s.employee_id != me)
            .ok_or_else(|| IpcError::not_found("That week is no longer waiting for a decision."))?;
        let tz = sheet
            .employee
            .user
            .time_zone
            .parse()
            .unwrap_or_else(|_| self.live.zone());
        let week = Week {
            start: sheet.start_date,
        };
        let (from, to) = week.bounds(tz);
        let who = sheet.employee_id;
        let (logs, shots, projects) = self
            .call(async |api| {
                let logs = api.logs_between(who, from, to).await?;
                let shots = api.screenshots_between(who, from, to).await?;
                Ok((logs, shots, api.employee_projects(who).await?))
            })
            .await?;
        let names = projects.into_iter().map(|p| (p.id, p.name)).collect();
        Ok(WeekDetails {
            id: id.to_string(),
            time_zone: tz.name().to_string(),
            days: days_of(week, tz, &logs, &shots, &names, Utc::now()),
        })
    }
}

/// Cuts a week's logs and screenshots into its seven local days; IDLE
/// time is left out, as from every total.
pub fn days_of(
    week: Week,
    tz: chrono_tz::Tz,
    logs: &[wire::TimeLog],
    shots: &[wire::ShotRef],
    names: &HashMap<Uuid, String>,
    now: Instant,
) -> Vec<DayDetails> {
    let name_of = |p: Option<Uuid>| {
        p.map(|id| {
            names
                .get(&id)
                .cloned()
                .unwrap_or_else(|| GONE_PROJECT.into())
        })
    };
    let mut logs: Vec<&wire::TimeLog> = logs.iter().filter(|l| l.log_type.counts()).collect();
    logs.sort_by_key(|l| l.started_at);
    week.days()
        .map(|date| {
            let (a, b) = (
                local_midnight(date, tz),
                local_midnight(date.succ_opt().unwrap_or(date), tz),
            );
            let day_logs: Vec<DayLog> = logs
                .iter()
                .filter_map(|l| {
                    let end = l.stopped_at.unwrap_or(now);
                    let seconds = (end.min(b) - l.started_at.max(a)).num_seconds();
                    (seconds > 0).then(|| DayLog {
                        id: l.id.to_string(),
                        project_name: name_of(l.project_id),
                        description: l.description.clone(),
                        started_at: l.started_at,
                        stopped_at: l.stopped_at,
                        seconds,
                    })
                })
                .collect();
            let mut by_project: Vec<ProjectTime> = Vec::new();
            for l in &day_logs {
                match by_project.iter_mut().find(|p| p.name == l.project_name) {
                    Some(p) => p.seconds += l.seconds,
                    None => by_project.push(ProjectTime {
                        name: l.project_name.clone(),
                        seconds: l.seconds,
                    }),
                }
            }
            by_project.sort_by_key(|p| std::cmp::Reverse(p.seconds));
            DayDetails {
                date: date.to_string(),
                total_seconds: day_logs.iter().map(|l| l.seconds).sum(),
                screenshots: shots
                    .iter()
                    .filter(|s| s.recorded_at >= a && s.recorded_at < b)
                    .count() as u32,
                projects: by_project,
                logs: day_logs,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use chrono::{NaiveDate, TimeZone};
    use stint_model::LogType;

    use super::*;

    fn log(
        kind: LogType,
        project: Option<Uuid>,
        from: (u32, u32, u32),
        to: (u32, u32, u32),
    ) -> wire::TimeLog {
        let at = |(d, h, m): (u32, u32, u32)| Utc.with_ymd_and_hms(2026, 3, d, h, m, 0).unwrap();
        wire::TimeLog {
            id: Uuid::now_v7(),
            project_id: project,
            log_type: kind,
            started_at: at(from),
            stopped_at: Some(at(to)),
            duration: 0,
            description: format!("{kind:?}"),
            stopped_reason: None,
        }
    }

    /// Omar in Berlin, the week of the change to summer time (Sunday 29
    /// March 2026): a log over midnight is split between its days, IDLE
    /// time and other weeks' shots are left out, projects add up, an
    /// archived project keeps its time under a name.
    #[test]
    fn a_week_is_cut_into_the_employees_local_days() {
        let tz: chrono_tz::Tz = "Europe/Berlin".parse().unwrap();
        let week = Week {
            start: NaiveDate::from_ymd_opt(2026, 3, 29).unwrap(),
        };
        let (web, gone) = (Uuid::now_v7(), Uuid::now_v7());
        let names = HashMap::from([(web, "Website".to_string())]);
        let logs = vec![
            // Monday 09:00–11:00 and 13:00–13:30 Berlin (UTC+2).
            log(LogType::Tracked, Some(web), (30, 7, 0), (30, 9, 0)),
            log(LogType::Tracked, Some(gone), (30, 11, 0), (30, 11, 30)),
            log(LogType::Idle, Some(web), (30, 9, 0), (30, 10, 0)),
            // Tuesday 23:00 to Wednesday 01:00 Berlin.
            log(LogType::Tracked, None, (31, 21, 0), (31, 23, 0)),
        ];
        let shot = |d, h| wire::ShotRef {
            id: Uuid::now_v7(),
            recorded_at: Utc.with_ymd_and_hms(2026, 3, d, h, 0, 0).unwrap(),
        };
        let shots = vec![shot(30, 8), shot(30, 8), shot(28, 8)];
        let days = days_of(week, tz, &logs, &shots, &names, Utc::now());
        assert_eq!(days.len(), 7);
        assert_eq!(days[0].date, "2026-03-29");
        let monday = &days[1];
        assert_eq!((monday.total_seconds, monday.screenshots), (9000, 2));
        assert_eq!(
            monday.projects,
            vec![
                ProjectTime {
                    name: Some("Website".into()),
                    seconds: 7200
                },
                ProjectTime {
                    name: Some(GONE_PROJECT.into()),
                    seconds: 1800
                },
            ]
        );
        assert_eq!(monday.logs.len(), 2, "IDLE is not listed");
        assert_eq!((days[2].total_seconds, days[3].total_seconds), (3600, 3600));
        assert_eq!(
            days[2].projects,
            vec![ProjectTime {
                name: None,
                seconds: 3600
            }]
        );
        assert_eq!(days[0].screenshots + days[0].total_seconds as u32, 0);
    }
}

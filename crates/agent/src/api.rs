//! The agent's HTTP client for a Stint server (embedded or remote): sign-in,
//! token refresh, and the Gauzy-style write endpoints it syncs through.

use std::time::Duration;

use reqwest::StatusCode;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use stint_model::Role;
use uuid::Uuid;

use crate::outbox::LocalLog;
use crate::wire::{self, Page, ProjectRef, SyncOutcome, TaskRef, gauzy_role};

/// Why a request did not go through.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// No answer, or the server could not serve it now: try again later.
    #[error("server unreachable: {0}")]
    Offline(String),
    /// The session has ended: the user must sign in again.
    #[error("signed out: {0}")]
    SignedOut(String),
    /// The server refused the request (a 4xx with its message).
    #[error("{status}: {message}")]
    Refused { status: u16, message: String },
}

/// A signed-in session, stored in the outbox between runs.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Session {
    pub server: String,
    pub token: String,
    pub refresh_token: String,
    pub employee_id: Uuid,
    pub org_id: Uuid,
    pub email: String,
    /// Display name, role (stored as `ADMIN`, `MANAGER`, `EMPLOYEE`) and
    /// IANA zone, as the server said at sign-in (older stored sessions lack
    /// them; their role reads as an employee's).
    #[serde(default)]
    pub name: String,
    #[serde(default = "gauzy_role::missing", with = "gauzy_role")]
    pub role: Role,
    #[serde(default)]
    pub timezone: String,
}

pub struct Api {
    http: reqwest::Client,
    pub session: Session,
}

fn http() -> reqwest::Client {
    reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(5))
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap_or_default()
}

/// An error and what caused it, outermost first: reqwest's own message
/// ("error sending request for url …") hides the reason a person can act
/// on, such as "invalid peer certificate: UnknownIssuer" or "Connection refused".
pub(crate) fn with_causes(e: &(dyn std::error::Error + 'static)) -> String {
    let mut said = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        let more = c.to_string();
        if !said.contains(&more) {
            said = format!("{said}: {more}");
        }
        cause = c.source();
    }
    said
}

pub(crate) async fn answer(
    r: Result<reqwest::Response, reqwest::Error>,
) -> Result<Value, ApiError> {
    let r = r.map_err(|e| ApiError::Offline(with_causes(&e)))?;
    let status = r.status();
    let body: Value = r.json().await.unwrap_or(Value::Null);
    let message = body
        .get("message")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    match status {
        s if s.is_success() => Ok(body),
        StatusCode::UNAUTHORIZED => Err(ApiError::SignedOut(message)),
        StatusCode::TOO_MANY_REQUESTS | StatusCode::REQUEST_TIMEOUT => {
            Err(ApiError::Offline(message))
        }
        s if s.is_server_error() => Err(ApiError::Offline(format!("{s} {message}"))),
        s => Err(ApiError::Refused {
            status: s.as_u16(),
            message,
        }),
    }
}

impl Api {
    /// Signs in with e-mail and password.
    pub async fn login(server: &str, email: &str, password: &str) -> Result<Api, ApiError> {
        let server = server.trim_end_matches('/').to_string();
        let http = http();
        let body = answer(
            http.post(format!("{server}/api/auth/login"))
                .json(&json!({ "email": email, "password": password }))
                .send()
                .await,
        )
        .await?;
        let field = |v: &Value, k: &str| {
            v.get(k)
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string()
        };
        let user = body.get("user").cloned().unwrap_or(Value::Null);
        let employee = user.get("employee").cloned().unwrap_or(Value::Null);
        let id = |v: &Value, k: &str| {
            Uuid::parse_str(&field(v, k))
                .map_err(|_| ApiError::Offline(format!("the server's login answer has no {k}")))
        };
        let session = Session {
            server,
            token: field(&body, "token"),
            refresh_token: field(&body, "refresh_token"),
            employee_id: id(&employee, "id")?,
            org_id: id(&employee, "organizationId")?,
            email: field(&user, "email"),
            name: field(&user, "name"),
            role: wire::role_named(&field(&user, "roleName")),
            timezone: field(&user, "timeZone"),
        };
        Ok(Api { http, session })
    }

    pub fn resume(session: Session) -> Api {
        Api {
            http: http(),
            session,
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.session.server)
    }

    /// Trades the refresh token for new tokens (they rotate).
    pub async fn refresh(&mut self) -> Result<(), ApiError> {
        let body = json!({ "refresh_token": self.session.refresh_token });
        let r = answer(
            self.http
                .post(self.url("/api/auth/refresh-token"))
                .json(&body)
                .send()
                .await,
        )
        .await?;
        let get = |k: &str| r.get(k).and_then(Value::as_str).map(str::to_string);
        match (get("token"), get("refresh_token")) {
            (Some(t), Some(rt)) => {
                self.session.token = t;
                self.session.refresh_token = rt;
                Ok(())
            }
            _ => Err(ApiError::SignedOut("the server sent no new token".into())),
        }
    }

    /// Sends a request with the bearer token; on 401 refreshes once and retries.
    async fn send(
        &mut self,
        make: impl Fn(&reqwest::Client, &str) -> reqwest::RequestBuilder,
    ) -> Result<Value, ApiError> {
        match answer(make(&self.http, &self.session.token).send().await).await {
            Err(ApiError::SignedOut(_)) => {
                self.refresh().await?;
                answer(make(&self.http, &self.session.token).send().await).await
            }
            other => other,
        }
    }

    /// Upserts logs through the idempotent sync endpoint.
    pub async fn push_logs(&mut self, logs: &[LocalLog]) -> Result<Vec<SyncOutcome>, ApiError> {
        let items: Vec<Value> = logs
            .iter()
            .map(|l| {
                json!({
                    "id": l.id,
                    "projectId": l.project_id,
                    "taskId": l.task_id,
                    "description": l.description,
                    "logType": l.log_type.as_str(),
                    "source": "DESKTOP",
                    "startedAt": l.started_at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
                    "stoppedAt": l.stopped_at.map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)),
                    "version": l.version,
                })
            })
            .collect();
        let path = "/api/timesheet/time-log/sync";
        let url = self.url(path);
        let body = json!({ "timeLogs": items });
        let r = self
            .send(|c, t| c.post(&url).bearer_auth(t).json(&body))
            .await?;
        typed(path, r.get("timeLogs").cloned().unwrap_or(Value::Null))
    }

    /// Sends one finished slot as Gauzy's time-slot body, activities inline.
    pub async fn push_slot(&mut self, r: &crate::slots::SlotReport) -> Result<(), ApiError> {
        let iso = |t: stint_model::Instant| t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
        let activities: Vec<Value> = r
            .apps
            .iter()
            .map(|(title, secs)| json!({ "title": title, "duration": secs, "type": "APP", "recordedAt": iso(r.started_at) }))
            .collect();
        let body = json!({
            "id": r.id,
            "startedAt": iso(r.started_at),
            "duration": r.duration,
            "keyboard": r.keyboard,
            "mouse": r.mouse,
            "overall": r.overall,
            "timeLogId": r.time_log_ids,
            "activities": activities,
        });
        let url = self.url("/api/timesheet/time-slot");
        self.send(|c, t| c.post(&url).bearer_auth(t).json(&body))
            .await
            .map(|_| ())
    }

    /// Uploads one screenshot as Gauzy's multipart form plus our client id
    /// and thumbnail (a replayed upload stores nothing new).
    pub async fn push_shot(&mut self, shot: &crate::outbox::LocalShot) -> Result<(), ApiError> {
        let read = |p: &std::path::Path| {
            std::fs::read(p).map_err(|e| ApiError::Refused {
                status: 0,
                message: format!("screenshot file {}: {e}", p.display()),
            })
        };
        let (file, thumb) = (read(&shot.file)?, read(&shot.thumb)?);
        let name = |p: &std::path::Path| {
            p.file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default()
        };
        let (file_name, thumb_name) = (name(&shot.file), name(&shot.thumb));
        let recorded = shot
            .recorded_at
            .to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
        let url = self.url("/api/timesheet/screenshot");
        let id = shot.id.to_string();
        self.send(|c, t| {
            let form = reqwest::multipart::Form::new()
                .text("id", id.clone())
                .text("recordedAt", recorded.clone())
                .part(
                    "file",
                    reqwest::multipart::Part::bytes(file.clone()).file_name(file_name.clone()),
                )
                .part(
                    "thumb",
                    reqwest::multipart::Part::bytes(thumb.clone()).file_name(thumb_name.clone()),
                );
            c.post(&url).bearer_auth(t).multipart(form)
        })
        .await
        .map(|_| ())
    }

    /// Whether the server stopped this log on its own (a timer started on
    /// another device): `(stopped at, why)`.
    pub async fn stopped_elsewhere(
        &mut self,
        id: Uuid,
    ) -> Result<Option<(stint_model::Instant, String)>, ApiError> {
        let log: wire::TimeLog = match self.get(&format!("/api/timesheet/time-log/{id}")).await {
            Ok(l) => l,
            Err(ApiError::Refused { status: 404, .. }) => return Ok(None),
            Err(e) => return Err(e),
        };
        Ok(log.stopped_at.zip(log.stopped_reason))
    }

    /// Deletes a log on the server; one it never had counts as deleted.
    pub async fn delete_log(&mut self, id: Uuid) -> Result<(), ApiError> {
        match self.delete(&format!("/api/timesheet/time-log/{id}")).await {
            Ok(_) | Err(ApiError::Refused { status: 404, .. }) => Ok(()),
            Err(e) => Err(e),
        }
    }

    /// `GET path` (with its query), read as `T` ([`crate::wire`]).
    pub async fn get<T: DeserializeOwned>(&mut self, path: &str) -> Result<T, ApiError> {
        let url = self.url(path);
        let r = self.send(|c, t| c.get(&url).bearer_auth(t)).await?;
        typed(path, r)
    }

    /// `DELETE path`; whatever the server answers besides success is not
    /// needed.
    pub async fn delete(&mut self, path: &str) -> Result<(), ApiError> {
        let url = self.url(path);
        self.send(|c, t| c.delete(&url).bearer_auth(t))
            .await
            .map(|_| ())
    }

    /// `PUT path` with a JSON body, the answer read as `T`.
    pub async fn put<T: DeserializeOwned>(
        &mut self,
        path: &str,
        body: &Value,
    ) -> Result<T, ApiError> {
        self.with_body(reqwest::Method::PUT, path, body).await
    }

    /// `POST path` with a JSON body, the answer read as `T`.
    pub async fn post<T: DeserializeOwned>(
        &mut self,
        path: &str,
        body: &Value,
    ) -> Result<T, ApiError> {
        self.with_body(reqwest::Method::POST, path, body).await
    }

    async fn with_body<T: DeserializeOwned>(
        &mut self,
        method: reqwest::Method,
        path: &str,
        body: &Value,
    ) -> Result<T, ApiError> {
        let url = self.url(path);
        let r = self
            .send(|c, t| c.request(method.clone(), &url).bearer_auth(t).json(body))
            .await?;
        typed(path, r)
    }

    /// Ends the session on the server (its refresh token stops working).
    pub async fn logout(&mut self) -> Result<(), ApiError> {
        let url = self.url("/api/auth/logout");
        let body = json!({ "refresh_token": self.session.refresh_token });
        self.send(|c, t| c.post(&url).bearer_auth(t).json(&body))
            .await
            .map(|_| ())
    }

    /// Projects the employee may track time on: `(id, name)`.
    pub async fn projects(&mut self) -> Result<Vec<(Uuid, String)>, ApiError> {
        let page: Page<ProjectRef> = self.get("/api/organization-projects").await?;
        Ok(page.items.into_iter().map(|p| (p.id, p.name)).collect())
    }

    /// Every task the person may track time on, of every project.
    pub async fn tasks(&mut self) -> Result<Vec<crate::tasks::Task>, ApiError> {
        let page: Page<TaskRef> = self.get("/api/tasks").await?;
        Ok(page
            .items
            .into_iter()
            .map(|t| crate::tasks::Task {
                id: t.id,
                title: t.title,
                project_id: t.project_id,
            })
            .collect())
    }

    /// Creates project `name` with the client id `id`; sent again (an
    /// answer lost, a retried sync), it answers the same project.
    pub async fn create_project(
        &mut self,
        id: Uuid,
        name: &str,
    ) -> Result<(Uuid, String), ApiError> {
        let body = json!({ "id": id, "name": name });
        let p: ProjectRef = self.post("/api/organization-projects", &body).await?;
        Ok((p.id, p.name))
    }
}

/// A success answer read as `T`. One that does not read is the server's
/// fault, not the request's: like no answer, it is worth trying again.
fn typed<T: DeserializeOwned>(path: &str, body: Value) -> Result<T, ApiError> {
    serde_json::from_value(body).map_err(|e| {
        let path = path.split('?').next().unwrap_or(path);
        ApiError::Offline(format!("unexpected answer from {path}: {e}"))
    })
}

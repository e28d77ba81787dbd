//! The OpenAPI 3.1 document, generated from the handlers' annotations and
//! served at `/api/openapi.json`.

use serde::Serialize;
use utoipa::openapi::path::Operation;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{ContentBuilder, Ref, RefOr, Response, ResponseBuilder};
use utoipa::{OpenApi, ToSchema};

use super::gauzy::{
    auth, dto, export, policy, privacy, projects, reports, screenshots, slots, tasks, time_log,
    time_reports, timer, timesheet,
};
use super::icehrm::{entries, schema as ice, sheets};

#[derive(OpenApi)]
#[openapi(
    info(title = "Stint", description = "Ever Gauzy time-tracking endpoints, Stint's sync endpoint, and the IceHrm Timesheets endpoints."),
    paths(
        auth::signin_workspaces, auth::login, auth::refresh, auth::logout, auth::me,
        projects::list, projects::of_employee, projects::create, projects::update, projects::archive,
        tasks::list, tasks::of_employee, tasks::create, tasks::update,
        reports::counts, reports::daily_chart, export::export,
        time_reports::daily, time_reports::weekly, time_reports::time_limit, time_reports::time_limit_gauzy,
        timesheet::list, timesheet::submit, timesheet::approve, timesheet::deny, timesheet::get,
        time_log::list, time_log::list_slash, time_log::create, time_log::upsert, time_log::get, time_log::update, time_log::delete, time_log::delete_many,
        time_log::sync,
        timer::start, timer::stop, timer::toggle, timer::status,
        slots::create, slots::get, slots::list, slots::delete, slots::activities, slots::bulk,
        screenshots::upload, screenshots::list, screenshots::image, screenshots::delete,
        privacy::screenshot_views, privacy::export, policy::policy,
        sheets::mine, sheets::create_current, sheets::direct_reports, sheets::pending, sheets::projects,
        sheets::details, sheets::create_previous, sheets::create_next, sheets::submit, sheets::approve, sheets::reject,
        entries::add, entries::update, entries::delete,
        healthz, readyz,
    ),
    components(schemas(dto::TimeLogOut, dto::TimesheetOut, dto::ActivityOut, dto::ScreenshotOut, dto::TimeSlotOut, privacy::ScreenshotViewOut, policy::PolicyOut,
        ice::IceError, ice::SheetPage, ice::SheetCreated, ice::SheetDetails, ice::SheetChanged, ice::ProjectList,
        ice::Entry, ice::EntryIn, ice::EntryDeleted, ErrorOut)),
    modifiers(&Bearer, &Errors),
    security(("bearer" = [])),
)]
pub struct ApiDoc;

struct Bearer;

impl utoipa::Modify for Bearer {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let scheme = SecurityScheme::Http(
            HttpBuilder::new()
                .scheme(HttpAuthScheme::Bearer)
                .bearer_format("JWT")
                .build(),
        );
        openapi
            .components
            .get_or_insert_with(Default::default)
            .add_security_scheme("bearer", scheme);
    }
}

/// `GET /healthz`: the process is up (no database round trip).
#[utoipa::path(get, path = "/healthz", tag = "health", security(()),
    responses((status = 200, description = "ok", body = String, content_type = "text/plain")))]
pub async fn healthz() -> &'static str {
    "ok"
}

/// `GET /readyz`: this replica can serve: it is not stopping, and the
/// database and the blob store answer (each within 5 s). 503 naming what
/// is wrong, so a load balancer sends no traffic here meanwhile; `/healthz`
/// stays a liveness check.
#[utoipa::path(get, path = "/readyz", tag = "health", security(()),
    responses((status = 200, description = "ready", body = String, content_type = "text/plain"),
              (status = 503, description = "Stopping, or the database or the blob store does not answer", body = ErrorOut)))]
pub async fn readyz(
    axum::extract::State(st): axum::extract::State<crate::state::AppState>,
) -> Result<&'static str, crate::AppError> {
    if st.draining() {
        return Err(crate::AppError::new(
            axum::http::StatusCode::SERVICE_UNAVAILABLE,
            "not ready: this replica is stopping",
        ));
    }
    let limit = std::time::Duration::from_secs(5);
    let unavailable = |what: &str, e: String| {
        tracing::warn!(error = %e, "not ready: {what}");
        crate::AppError::new(
            axum::http::StatusCode::SERVICE_UNAVAILABLE,
            format!("not ready: the {what} does not answer"),
        )
    };
    // Any answer from the database will do, "not found" included.
    match tokio::time::timeout(limit, st.store.org(uuid::Uuid::nil())).await {
        Ok(Ok(_) | Err(stint_store::StoreError::NotFound)) => {}
        Ok(Err(e)) => return Err(unavailable("database", e.to_string())),
        Err(_) => return Err(unavailable("database", "timed out".into())),
    }
    match tokio::time::timeout(limit, st.blobs.check()).await {
        Ok(Ok(())) => Ok("ready"),
        Ok(Err(e)) => Err(unavailable("blob store", e.to_string())),
        Err(_) => Err(unavailable("blob store", "timed out".into())),
    }
}

/// Every Gauzy error: `{statusCode, message, error}`.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ErrorOut {
    pub status_code: u16,
    /// What was wrong, for a person to read.
    pub message: String,
    /// The HTTP reason phrase, e.g. "Bad Request".
    pub error: String,
}

/// The answers every handler shares, added to each operation rather than
/// repeated in every annotation: 401 where a bearer token is required (the
/// `Caller` extractor), 400 where there is a parameter or a body to get
/// wrong (every parser answers 400), and the error body on each 4xx.
struct Errors;

fn error_response(description: &str, schema: &str) -> Response {
    let content = ContentBuilder::new()
        .schema(Some(Ref::from_schema_name(schema)))
        .build();
    ResponseBuilder::new()
        .description(description)
        .content("application/json", content)
        .build()
}

fn public(op: &Operation) -> bool {
    op.security.as_ref().is_some_and(|s| {
        s.iter()
            .all(|r| serde_json::to_value(r).is_ok_and(|v| v == serde_json::json!({})))
    })
}

impl utoipa::Modify for Errors {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        for (path, item) in openapi.paths.paths.iter_mut() {
            let schema = if path.starts_with("/timesheets") {
                "IceError"
            } else {
                "ErrorOut"
            };
            let ops = [
                &mut item.get,
                &mut item.post,
                &mut item.put,
                &mut item.delete,
                &mut item.patch,
            ];
            for op in ops.into_iter().flatten() {
                let public = public(op);
                let has_input = op.request_body.is_some()
                    || op.parameters.as_ref().is_some_and(|p| !p.is_empty());
                let r = &mut op.responses.responses;
                if !public {
                    r.entry("401".into())
                        .or_insert_with(|| RefOr::T(error_response("Not signed in", schema)));
                }
                if has_input {
                    r.entry("400".into())
                        .or_insert_with(|| RefOr::T(error_response("Bad input", schema)));
                }
                for (code, resp) in r.iter_mut() {
                    if let RefOr::T(resp) = resp
                        && code.starts_with('4')
                        && resp.content.is_empty()
                    {
                        *resp = error_response(&resp.description, schema);
                    }
                }
            }
        }
    }
}

pub async fn document() -> axum::Json<utoipa::openapi::OpenApi> {
    axum::Json(ApiDoc::openapi())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every route the server answers is in the document (but the document
    /// itself): a new route without `#[utoipa::path]` fails here.
    #[test]
    fn every_route_is_documented() {
        let doc = ApiDoc::openapi();
        let mut missing = Vec::new();
        for r in crate::routes::table() {
            if r.path == "/api/openapi.json" {
                continue;
            }
            let method = r.method.as_str().to_lowercase();
            let documented = doc.paths.paths.get(r.path).is_some_and(|item| {
                let v = serde_json::to_value(item).unwrap_or_default();
                v.get(&method).is_some()
            });
            if !documented {
                missing.push(format!("{} {}", r.method, r.path));
            }
        }
        assert!(
            missing.is_empty(),
            "routes missing from the OpenAPI document: {missing:?}"
        );
    }

    /// And nothing is documented that the server does not answer.
    #[test]
    fn every_documented_operation_is_a_route() {
        let table = crate::routes::table();
        let doc = serde_json::to_value(ApiDoc::openapi()).unwrap();
        for (path, item) in doc["paths"].as_object().unwrap() {
            for method in item.as_object().unwrap().keys() {
                assert!(
                    table
                        .iter()
                        .any(|r| r.path == path && r.method.as_str().eq_ignore_ascii_case(method)),
                    "{method} {path} is documented but not routed"
                );
            }
        }
    }
}

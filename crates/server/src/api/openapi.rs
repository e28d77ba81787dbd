//! The OpenAPI 3.1 document, generated from the handlers' annotations and
//! served at `/api/openapi.json`.

use utoipa::OpenApi;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};

use super::gauzy::{auth, dto, reports, screenshots, slots, time_log, timer, timesheet};

#[derive(OpenApi)]
#[openapi(
    info(title = "Stint", description = "Ever Gauzy time-tracking endpoints and Stint's sync endpoint."),
    paths(
        auth::signin_workspaces, auth::login, auth::refresh, auth::logout, auth::me,
        reports::projects, reports::employee_projects, reports::counts, reports::daily_chart,
        timesheet::list, timesheet::submit, timesheet::approve, timesheet::deny,
        time_log::list, time_log::create, time_log::upsert, time_log::get, time_log::update, time_log::delete, time_log::delete_many,
        time_log::sync,
        timer::start, timer::stop, timer::toggle, timer::status,
        slots::create, slots::get, slots::list, slots::delete, slots::activities, slots::bulk,
        screenshots::upload, screenshots::list, screenshots::image, screenshots::delete,
    ),
    components(schemas(dto::TimeLogOut, dto::TimesheetOut, dto::ActivityOut, dto::ScreenshotOut, dto::TimeSlotOut)),
    modifiers(&Bearer),
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

pub async fn document() -> axum::Json<utoipa::openapi::OpenApi> {
    axum::Json(ApiDoc::openapi())
}

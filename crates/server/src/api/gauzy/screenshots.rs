//! `/api/timesheet/screenshot`: multipart upload, list, images, delete.
//!
//! Images are never public: the `file`/`thumb` paths need the bearer token
//! of someone who may see the screenshot, and `fullUrl`/`thumbUrl` carry a
//! short-lived signature bound to that one image.

use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::dto::{Page, ScreenshotOut, opt_uuid};
use super::slots::range_filter;
use crate::auth::Caller;
use crate::error::{AppError, AppResult};
use crate::service::privacy;
use crate::service::screenshots::{self, MAX_BYTES, Upload};
use crate::state::AppState;
use crate::wire::{Json, Path, Query, parse_instant, parse_uuid, read_body};

fn multipart_err(e: axum::extract::multipart::MultipartError) -> AppError {
    AppError::new(
        e.status(),
        format!("invalid multipart body: {}", e.body_text()),
    )
}

/// Form fields: `file` (required), optional `thumb`, `timeSlotId`,
/// `recordedAt`, `id` (client id: a replay stores nothing new),
/// `organizationId`, `tenantId`.
#[utoipa::path(post, path = "/api/timesheet/screenshot", tag = "screenshot",
    request_body(content_type = "multipart/form-data", description = "file, thumb, timeSlotId, recordedAt, id"),
    responses((status = 201, body = ScreenshotOut), (status = 400), (status = 403, description = "Another organization's id, or another employee's slot"), (status = 404), (status = 409, description = "The id is already used by another employee"), (status = 413)))]
pub async fn upload(
    State(st): State<AppState>,
    caller: Caller,
    req: axum::extract::Request,
) -> AppResult<(StatusCode, Json<ScreenshotOut>)> {
    // The whole body first (it is kept in memory anyway), so one over the
    // limit is read to its end and the client gets the 413.
    let (parts, body) = req.into_parts();
    let body = read_body(body, super::UPLOAD_LIMIT).await?;
    let req = axum::extract::Request::from_parts(parts, axum::body::Body::from(body));
    let form = <Multipart as axum::extract::FromRequest<AppState>>::from_request(req, &st).await;
    let mut form = form.map_err(|e: MultipartRejection| {
        AppError::new(
            e.status(),
            format!("expected a multipart/form-data body: {}", e.body_text()),
        )
    })?;
    let (mut file, mut thumb, mut fields) = (None, None, Vec::<(String, String)>::new());
    while let Some(field) = form.next_field().await.map_err(multipart_err)? {
        let name = field.name().unwrap_or_default().to_string();
        match name.as_str() {
            "file" | "thumb" => {
                let bytes = field.bytes().await.map_err(multipart_err)?;
                if bytes.len() > MAX_BYTES {
                    return Err(AppError::new(
                        StatusCode::PAYLOAD_TOO_LARGE,
                        format!("{name} is larger than 25 MiB"),
                    ));
                }
                if name == "file" {
                    file = Some(bytes.to_vec())
                } else {
                    thumb = Some(bytes.to_vec())
                }
            }
            _ => {
                // Not `text()`: it would quietly turn bytes that are not
                // UTF-8 into something else.
                let bytes = field.bytes().await.map_err(multipart_err)?;
                let text = String::from_utf8(bytes.to_vec())
                    .map_err(|_| AppError::bad_request(format!("{name} must be UTF-8 text")))?;
                fields.push((name, text));
            }
        }
    }
    let get = |k: &str| {
        fields
            .iter()
            .find(|(n, v)| n == k && !v.is_empty())
            .map(|(_, v)| v.clone())
    };
    caller.check_org(get("organizationId").as_deref(), "organizationId")?;
    caller.check_org(get("tenantId").as_deref(), "tenantId")?;
    let recorded_at = get("recordedAt")
        .map(|s| parse_instant(&s, "recordedAt", caller.user.tz()))
        .transpose()?;
    let up = Upload {
        id: opt_uuid(&get("id"), "id")?,
        time_slot_id: opt_uuid(&get("timeSlotId"), "timeSlotId")?,
        recorded_at,
        file: file.ok_or_else(|| AppError::bad_request("file is required"))?,
        thumb: thumb.filter(|t| !t.is_empty()),
    };
    let shot = screenshots::upload(&st, &caller, up).await?;
    Ok((
        StatusCode::CREATED,
        Json(ScreenshotOut::new(&shot, &st.keys, &caller)),
    ))
}

#[utoipa::path(get, path = "/api/timesheet/screenshot", tag = "screenshot",
    params(("startDate" = Option<String>, Query), ("endDate" = Option<String>, Query), ("employeeId" = Option<String>, Query)),
    responses((status = 200, body = Page<ScreenshotOut>)))]
pub async fn list(
    State(st): State<AppState>,
    caller: Caller,
    q: Query,
) -> AppResult<Json<Page<ScreenshotOut>>> {
    let Some(filter) = range_filter(&st, &caller, &q).await? else {
        return Ok(Json(Page::of(vec![])));
    };
    let shots = st.store.list_screenshots(&filter).await?;
    Ok(Json(Page::of(
        shots
            .iter()
            .map(|s| ScreenshotOut::new(s, &st.keys, &caller))
            .collect(),
    )))
}

/// The image itself: with a bearer token that may see it, or with the
/// signed `token` of its `fullUrl`/`thumbUrl`.
#[utoipa::path(get, path = "/api/timesheet/screenshot/{id}/{kind}", tag = "screenshot",
    params(("id" = String, Path), ("kind" = String, Path, description = "file or thumb"), ("token" = Option<String>, Query)),
    responses((status = 200, content_type = "image/*"), (status = 401), (status = 403), (status = 404), (status = 503, description = "The view could not be recorded")))]
pub async fn image(
    State(st): State<AppState>,
    caller: Option<Caller>,
    Path((id, kind)): Path<(String, String)>,
    q: Query,
) -> AppResult<Response> {
    let id = parse_uuid(&id, "id")?;
    let thumb = match kind.as_str() {
        "file" => false,
        "thumb" => true,
        _ => return Err(AppError::not_found("screenshot image")),
    };
    // A signed link stands for the viewer it was made for: their session
    // must still be live and they must still be allowed to see the image,
    // checked on every fetch like a bearer token.
    let viewer = match (caller, q.get("token")) {
        (Some(c), _) => c,
        (None, Some(t)) => {
            let expired = || AppError::unauthorized("this image link has expired or is not valid");
            let g = st.keys.verify_url(t, id, &kind).ok_or_else(expired)?;
            Caller::of_session(&st, g.org, g.viewer, g.session)
                .await
                .map_err(|_| expired())?
        }
        (None, None) => {
            return Err(AppError::unauthorized(
                "sign in first: missing bearer token",
            ));
        }
    };
    let shot = screenshots::get(&st, &viewer, id).await?.0;
    let (bytes, ct) = screenshots::image(&st, &shot, thumb).await?;
    // Shown to the owner; never served unrecorded.
    privacy::record_view(&st, &viewer, &shot, thumb).await?;
    Ok((
        [
            (header::CONTENT_TYPE, ct),
            // Personal data: never kept by a browser or a shared cache.
            (header::CACHE_CONTROL, "private, no-store".to_string()),
        ],
        bytes,
    )
        .into_response())
}

#[utoipa::path(delete, path = "/api/timesheet/screenshot/{id}", tag = "screenshot",
    params(("id" = uuid::Uuid, Path)),
    responses((status = 200), (status = 403), (status = 404)))]
pub async fn delete(
    State(st): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> AppResult<Json<Value>> {
    let shot = screenshots::delete(&st, &caller, parse_uuid(&id, "id")?).await?;
    Ok(Json(json!({ "id": shot.id, "deleted": true })))
}

//! Screenshots: measured and decoded within bounds (see [`images`]),
//! thumbnailed, stored as blobs, and served only to the employee, their
//! supervisor and admins of their organization.

use std::io::Cursor;

use chrono::Duration;
use image::ImageFormat;
use sha2::{Digest, Sha256};
use stint_model::{Instant, Screenshot, User, slot_start};
use stint_store::{Filter, Store, StoreError};
use uuid::Uuid;

use super::access;
use super::client_ids::{self, IdKind};
use super::images::{self, Measured};
use crate::auth::Caller;
use crate::blobs::Blobs;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// Thumbnails are 320 px wide, as the desktop timers show them.
pub const THUMB_WIDTH: u32 = 320;
/// Largest image accepted (a 4K PNG is well under this).
pub const MAX_BYTES: usize = 25 * 1024 * 1024;

pub struct Upload {
    pub id: Option<Uuid>,
    pub time_slot_id: Option<Uuid>,
    /// When it was taken; by default now, or, when the named slot is long
    /// past (a late upload), that slot's start.
    pub recorded_at: Option<Instant>,
    pub file: Vec<u8>,
    pub thumb: Option<Vec<u8>>,
}

fn mime(f: ImageFormat) -> &'static str {
    f.to_mime_type()
}

fn ext(f: ImageFormat) -> &'static str {
    f.extensions_str().first().copied().unwrap_or("bin")
}

/// The thumbnail to store, and its format.
struct Thumb {
    bytes: Vec<u8>,
    format: ImageFormat,
}

/// Decodes the screenshot once (proving it is an image) and the client's
/// thumbnail once, or makes a thumbnail when the client sent none. Both
/// were measured already; this blocks and runs inside
/// [`images::decoding`].
fn decode(file: &Measured, thumb: Option<Measured>) -> AppResult<Thumb> {
    let img = file.decode()?;
    if let Some(thumb) = thumb {
        thumb.decode()?;
        return Ok(Thumb {
            format: thumb.format,
            bytes: thumb.bytes,
        });
    }
    let h = ((img.height() as u64 * THUMB_WIDTH as u64) / img.width().max(1) as u64).max(1) as u32;
    let small = img.thumbnail(THUMB_WIDTH, h).to_rgb8();
    drop(img);
    let mut out = Cursor::new(Vec::new());
    small
        .write_to(&mut out, ImageFormat::Jpeg)
        .map_err(|e| AppError::bad_request(format!("no thumbnail could be made: {e}")))?;
    Ok(Thumb {
        bytes: out.into_inner(),
        format: ImageFormat::Jpeg,
    })
}

/// Stores a screenshot of the caller (idempotent on the client id).
pub async fn upload(state: &AppState, caller: &Caller, up: Upload) -> AppResult<Screenshot> {
    if up.file.is_empty() {
        return Err(AppError::bad_request("file is required"));
    }
    if up.file.len() > MAX_BYTES {
        return Err(AppError::new(
            axum::http::StatusCode::PAYLOAD_TOO_LARGE,
            "file is larger than 25 MiB",
        ));
    }
    // Measured before anything is claimed or stored: a bomb costs a header
    // read, no more.
    let file = Measured::new("file", up.file, images::SCREENSHOT)?;
    let thumb = up
        .thumb
        .map(|t| Measured::new("thumb", t, images::THUMBNAIL))
        .transpose()?;
    let id = up.id.unwrap_or_else(Uuid::now_v7);
    client_ids::claim(state, caller.org.id, IdKind::Screenshot, caller.id(), &[id]).await?;
    match state.store.screenshot(caller.org.id, id).await {
        // The owner's replay: the claim says the id is theirs.
        Ok(s) if s.employee_id == caller.id() => return Ok(s),
        Ok(_) => return Err(client_ids::taken(IdKind::Screenshot, id)),
        Err(StoreError::NotFound) => {}
        Err(e) => return Err(e.into()),
    }
    let now = stint_model::to_millis_precision(chrono::Utc::now());
    let (time_slot_id, recorded_at) = match up.time_slot_id {
        Some(sid) => {
            let slot = state
                .store
                .slot(caller.org.id, sid)
                .await
                .map_err(AppError::naming("time slot"))?;
            if slot.employee_id != caller.id() {
                return Err(AppError::forbidden(
                    "that time slot belongs to another employee",
                ));
            }
            let near =
                (now - slot.started_at).num_hours().abs() < super::slots::ATTACHED_WINDOW_HOURS;
            let at = up
                .recorded_at
                .unwrap_or(if near { now } else { slot.started_at });
            (Some(sid), at)
        }
        None => {
            let at = up.recorded_at.unwrap_or(now);
            (slot_of(state, caller, at).await?, at)
        }
    };
    super::logs::check_instant("recordedAt", recorded_at)?;
    let (file, thumb) = images::decoding(move || decode(&file, thumb).map(|t| (file, t))).await?;
    let base = format!(
        "screenshots/{}/{}/{}",
        caller.org.id.simple(),
        caller.id().simple(),
        id.simple()
    );
    let file_key = format!("{base}.{}", ext(file.format));
    let thumb_key = format!("{base}-thumb.{}", ext(thumb.format));
    let blob_err = |e: std::io::Error| {
        tracing::error!(error = %e, "blob store failure");
        AppError::new(
            axum::http::StatusCode::SERVICE_UNAVAILABLE,
            "screenshot storage is unavailable, try again",
        )
    };
    for (key, bytes) in [(&file_key, &file.bytes), (&thumb_key, &thumb.bytes)] {
        state.blobs.put(key, bytes).await.map_err(blob_err)?;
    }
    let shot = Screenshot {
        id,
        org_id: caller.org.id,
        employee_id: caller.id(),
        time_slot_id,
        recorded_at,
        width: file.width.into(),
        height: file.height.into(),
        size: file.bytes.len() as i64,
        sha256: hex::encode(Sha256::digest(&file.bytes)),
        file_key,
        thumb_key,
        content_type: mime(file.format).to_string(),
    };
    Ok(state.store.insert_screenshot(shot).await?.0)
}

/// The caller's slot containing `t`, if one was reported.
async fn slot_of(state: &AppState, caller: &Caller, t: Instant) -> AppResult<Option<Uuid>> {
    let start = slot_start(t);
    let filter = Filter {
        org_id: caller.org.id,
        employee_ids: Some(vec![caller.id()]),
        project_ids: None,
        from: Some(start),
        to: Some(start + Duration::seconds(1)),
    };
    Ok(state.store.list_slots(&filter).await?.first().map(|s| s.id))
}

/// A screenshot the caller may see: other organizations' are 404, a
/// colleague's is 403.
pub async fn get(state: &AppState, caller: &Caller, id: Uuid) -> AppResult<(Screenshot, User)> {
    let shot = state
        .store
        .screenshot(caller.org.id, id)
        .await
        .map_err(AppError::naming("screenshot"))?;
    let employee = state.store.user(caller.org.id, shot.employee_id).await?;
    if !access::may_see(caller, &employee) {
        return Err(AppError::forbidden(
            "this screenshot belongs to another employee",
        ));
    }
    Ok((shot, employee))
}

/// The bytes and content type of a screenshot's full image or thumbnail.
pub async fn image(
    state: &AppState,
    shot: &Screenshot,
    thumb: bool,
) -> AppResult<(Vec<u8>, String)> {
    let key = if thumb {
        &shot.thumb_key
    } else {
        &shot.file_key
    };
    let bytes = state.blobs.get(key).await.map_err(|e| {
        tracing::error!(error = %e, "blob store failure");
        AppError::new(
            axum::http::StatusCode::SERVICE_UNAVAILABLE,
            "screenshot storage is unavailable",
        )
    })?;
    let bytes = bytes.ok_or_else(|| AppError::not_found("screenshot image"))?;
    let ct = image::guess_format(&bytes)
        .map(mime)
        .unwrap_or("application/octet-stream");
    Ok((bytes, ct.to_string()))
}

/// Deletes a screenshot: its owner or an admin.
pub async fn delete(state: &AppState, caller: &Caller, id: Uuid) -> AppResult<Screenshot> {
    let (shot, employee) = get(state, caller, id).await?;
    if employee.id != caller.id() && !caller.is_admin() {
        return Err(AppError::forbidden(
            "only its owner or an admin may delete a screenshot",
        ));
    }
    remove(state, &shot).await?;
    Ok(shot)
}

/// Deletes the row, then the images (see [`remove_from`]).
pub async fn remove(state: &AppState, shot: &Screenshot) -> AppResult<()> {
    Ok(remove_from(&*state.store, &*state.blobs, shot).await?)
}

/// Deletes the row, then the images (a leftover image without a row is
/// unreachable; a row without its image would be a broken link). The one
/// way a screenshot goes, by hand or by the retention purge: its client id
/// stays claimed and the record of its views stays with its owner.
pub async fn remove_from(
    store: &dyn Store,
    blobs: &dyn Blobs,
    shot: &Screenshot,
) -> Result<(), StoreError> {
    store.delete_screenshot(shot.org_id, shot.id).await?;
    for key in [&shot.file_key, &shot.thumb_key] {
        if let Err(e) = blobs.delete(key).await {
            tracing::warn!(error = %e, key, "could not delete screenshot blob");
        }
    }
    Ok(())
}

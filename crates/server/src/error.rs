//! One error type for every handler, rendered as the dialect expects.
//!
//! Handlers and services return [`AppError`]; it never carries a database
//! message to the client (those go to the log) and never becomes a panic.
//! Gauzy endpoints answer `{statusCode, message}`; IceHrm endpoints wrap the
//! same error in [`IceHrmError`] and answer `{error, message}`.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;
use stint_model::Invalid;
use stint_store::StoreError;

#[derive(Debug, Clone)]
pub struct AppError {
    pub status: StatusCode,
    pub message: String,
}

pub type AppResult<T> = Result<T, AppError>;

impl AppError {
    pub fn new(status: StatusCode, message: impl Into<String>) -> Self {
        AppError {
            status,
            message: message.into(),
        }
    }
    pub fn bad_request(m: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, m)
    }
    pub fn unauthorized(m: impl Into<String>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, m)
    }
    pub fn forbidden(m: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, m)
    }
    pub fn not_found(what: &str) -> Self {
        Self::new(StatusCode::NOT_FOUND, format!("{what} not found"))
    }
    pub fn conflict(m: impl Into<String>) -> Self {
        Self::new(StatusCode::CONFLICT, m)
    }
    /// Turns a store "not found" into a 404 that names the kind of object.
    pub fn naming(what: &'static str) -> impl Fn(StoreError) -> AppError {
        move |e| match e {
            StoreError::NotFound => AppError::not_found(what),
            other => other.into(),
        }
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => AppError::not_found("object"),
            StoreError::Conflict(m) => AppError::conflict(m),
            StoreError::Overlap(log) => AppError::conflict(format!(
                "overlaps time log {} ({} to {})",
                log.id,
                crate::wire::iso(log.started_at),
                log.stopped_at
                    .map(crate::wire::iso)
                    .unwrap_or_else(|| "running".into())
            )),
            StoreError::Backend(m) => {
                tracing::error!(error = %m, "store failure");
                AppError::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "the database is unavailable, try again",
                )
            }
        }
    }
}

impl From<Invalid> for AppError {
    fn from(e: Invalid) -> Self {
        AppError::bad_request(e.0)
    }
}

impl std::fmt::Display for AppError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.status.as_u16(), self.message)
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let body = json!({
            "statusCode": self.status.as_u16(),
            "message": self.message,
            "error": self.status.canonical_reason().unwrap_or("Error"),
        });
        (self.status, axum::Json(body)).into_response()
    }
}

/// The same error in IceHrm's spelling.
#[derive(Debug)]
pub struct IceHrmError(pub AppError);

impl<E: Into<AppError>> From<E> for IceHrmError {
    fn from(e: E) -> Self {
        IceHrmError(e.into())
    }
}

impl IntoResponse for IceHrmError {
    fn into_response(self) -> Response {
        let e = self.0;
        let body = json!({
            "error": e.status.canonical_reason().unwrap_or("Error"),
            "message": e.message,
        });
        (e.status, axum::Json(body)).into_response()
    }
}

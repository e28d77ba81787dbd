//! Errors as they cross IPC: `{code, message}`, the message in words a
//! person can read, the code one of `ipc.ts`'s `ErrorCode`s.

use serde::Serialize;
use stint_agent::account::SignInError;
use stint_agent::api::ApiError;
use stint_agent::outbox::OutboxError;
use stint_agent::session::SessionError;

#[derive(Debug, Clone, Serialize, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct IpcError {
    pub code: &'static str,
    pub message: String,
}

pub type IpcResult<T> = Result<T, IpcError>;

/// An id from the window: `invalid`, naming what it should have been.
pub fn parse_id(id: &str, what: &str) -> IpcResult<uuid::Uuid> {
    uuid::Uuid::parse_str(id.trim())
        .map_err(|_| IpcError::invalid(format!("\"{id}\" is not a {what} id")))
}

impl IpcError {
    pub fn new(code: &'static str, message: impl Into<String>) -> IpcError {
        IpcError {
            code,
            message: message.into(),
        }
    }
    pub fn invalid(m: impl Into<String>) -> IpcError {
        IpcError::new("invalid", m)
    }
    pub fn not_found(m: impl Into<String>) -> IpcError {
        IpcError::new("notFound", m)
    }
    pub fn conflict(m: impl Into<String>) -> IpcError {
        IpcError::new("conflict", m)
    }
    pub fn signed_out() -> IpcError {
        IpcError::new("signedOut", "You are signed out: sign in again.")
    }
    pub fn internal(m: impl Into<String>) -> IpcError {
        IpcError::new("internal", m)
    }

    /// A failed call to `server`, in words.
    pub fn from_api(server: &str, e: ApiError) -> IpcError {
        match e {
            ApiError::Offline(why) => {
                IpcError::new("offline", format!("Can't reach {server} ({why})."))
            }
            ApiError::SignedOut(_) => {
                IpcError::new("signedOut", "Your session has ended: sign in again.")
            }
            ApiError::Refused { status, message } => {
                let code = match status {
                    400 | 422 => "invalid",
                    404 => "notFound",
                    409 => "conflict",
                    _ => "refused",
                };
                let message = if message.is_empty() {
                    format!("The server refused ({status}).")
                } else {
                    message
                };
                IpcError::new(code, message)
            }
        }
    }
}

impl From<OutboxError> for IpcError {
    fn from(e: OutboxError) -> Self {
        IpcError::internal(format!("The tracker's local data could not be used: {e}"))
    }
}

impl From<SignInError> for IpcError {
    fn from(e: SignInError) -> Self {
        match e {
            SignInError::Invalid(m) => IpcError::invalid(m),
            SignInError::Refused(m) => IpcError::new("refused", m),
            SignInError::Unreachable { server, error } => {
                IpcError::from_api(&crate::app::host(&server), error)
            }
            e @ SignInError::Session(SessionError::Unsent { .. }) => {
                IpcError::conflict(e.to_string())
            }
            SignInError::Session(SessionError::Outbox(e)) | SignInError::Outbox(e) => e.into(),
            e @ SignInError::Embedded(_) => IpcError::internal(e.to_string()),
        }
    }
}

impl From<anyhow::Error> for IpcError {
    fn from(e: anyhow::Error) -> Self {
        IpcError::internal(format!("{e:#}"))
    }
}

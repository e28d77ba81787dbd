//! The desktop app without its window.
//!
//! [`Desktop`] holds everything the tray app does: sign-in (to a server, or
//! to the embedded one for "this computer only"), the timer run over
//! `stint_agent`'s tracking loop, idle prompts answered by the user, the
//! outbox views, and the server's timesheets. Each method is one command of
//! `ui/src/ipc.ts`; `src-tauri` only forwards to them and turns [`Notice`]s
//! into window events. Being free of Tauri, it is tested here against a
//! real embedded server over loopback HTTP.

mod app;
pub mod dto;
pub mod error;
mod live;
mod my_data;
mod projects;
mod reminder;
mod remote;
mod settings;
mod tasks;
mod timer;
mod views;
pub mod week_details;

pub use app::{Desktop, EMBEDDED, Platform, host};
pub use dto::Notice;
pub use error::{IpcError, IpcResult};
pub use live::NoticeFn;
pub use my_data::downloads_dir;
pub use stint_agent::account::{EmbeddedFns, EmbeddedServer};

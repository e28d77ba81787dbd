//! The rules of the product, spoken in neither dialect.
//!
//! A dialect module parses its own spelling, calls one of these functions
//! with a [`Caller`](crate::auth::Caller), and spells the answer back. Who
//! may do what, timesheet locking, week bookkeeping and totals are decided
//! here only, so the Gauzy and IceHrm views cannot disagree.

pub mod access;
pub mod client_ids;
pub mod export;
pub mod images;
pub mod ledger;
pub mod limits;
pub mod logs;
pub mod my_data;
pub mod privacy;
pub mod projects;
pub mod reports;
pub mod retention;
pub mod screenshots;
pub mod slots;
pub mod sync;
pub mod tasks;
pub mod time_reports;
pub mod timer;
pub mod timesheets;
pub mod zip_sink;

/// Weeks start on the model's day (Sunday, as IceHrm's), the one the
/// desktop app's "this week" starts on too.
pub use stint_model::WEEK_START;

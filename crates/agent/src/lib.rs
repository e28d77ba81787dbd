//! The tracker that runs on an employee's computer.
//!
//! [`tracker::Tracker`] is the pure state machine (Stopped → Tracking → Idle
//! → Tracking/Stopped) that turns clicks, clock ticks and the OS idle time
//! into time-log changes exactly as Gauzy's log types say: TRACKED until
//! input stops, IDLE from the moment it stopped, RESUMED from the first input
//! after. Platform idle sources, capture, the outbox and sync sit around it.

pub mod account;
pub mod api;
pub mod capture;
pub mod client;
pub mod cut;
pub mod idle;
pub mod outbox;
pub mod pending_writes;
pub mod policy;
pub mod projects;
pub mod reminders;
pub mod runner;
pub mod saved_list;
pub mod session;
pub mod slots;
pub mod sync;
pub mod tasks;
pub mod tracker;
pub mod wire;

pub use tracker::{Change, IdleAnswer, IdlePrompt, Phase, Tracker, TrackerConfig};

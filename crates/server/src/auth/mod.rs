//! Who is calling: passwords, tokens, sessions, throttling, and the
//! [`Caller`] extractor every protected handler takes.

pub mod caller;
pub mod caller_cache;
pub mod client_addr;
pub mod password;
pub mod sessions;
pub mod throttle;
pub mod tokens;

pub use caller::Caller;

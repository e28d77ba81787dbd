//! The HTTP dialects. Each parses its own spelling, calls the service layer
//! and spells the answer back; no rule lives here.

pub mod gauzy;
pub mod icehrm;
pub mod openapi;

//! SQLite backend (rusqlite). Work in progress.

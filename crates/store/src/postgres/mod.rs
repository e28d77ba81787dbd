//! PostgreSQL backend (sqlx). Work in progress.

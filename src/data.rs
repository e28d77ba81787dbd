//! Opening the server's data: the store (SQLite or PostgreSQL) and the
//! screenshot directory, and the `Default` organization of a fresh database.

use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Context;
use stint_store::postgres::PgStore;
use stint_store::sqlite::SqliteStore;
use stint_store::{Store, StoreError};

use crate::cli::DataOpts;

pub const DEFAULT_ORG: &str = "Default";

pub fn data_dir(opts: &DataOpts) -> PathBuf {
    opts.data_dir.clone().unwrap_or_else(|| {
        dirs::data_dir()
            .unwrap_or_else(|| PathBuf::from("."))
            .join("stint")
    })
}

/// Opens the store named by `--database` (or the SQLite file in the data
/// directory) and makes sure the `Default` organization exists.
pub async fn open(opts: &DataOpts) -> anyhow::Result<Arc<dyn Store>> {
    let store: Arc<dyn Store> = match opts.database.as_deref() {
        Some(url) if url.starts_with("postgres://") || url.starts_with("postgresql://") => {
            Arc::new(
                PgStore::connect(url)
                    .await
                    .with_context(|| "could not open the PostgreSQL database".to_string())?,
            )
        }
        other => {
            let path = match other {
                Some(p) => PathBuf::from(p.strip_prefix("sqlite://").unwrap_or(p)),
                None => data_dir(opts).join("stint.db"),
            };
            Arc::new(
                SqliteStore::open(&path)
                    .with_context(|| format!("could not open {}", path.display()))?,
            )
        }
    };
    if store.list_orgs().await?.is_empty() {
        match store.create_org(uuid::Uuid::now_v7(), DEFAULT_ORG).await {
            Ok(_) | Err(StoreError::Conflict(_)) => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(store)
}

//! Where the CLI's data lives: the data directory (`--data-dir`, else the
//! OS's data directory) and the store in it (see `stint_server::local`).

use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Context;
use stint_server::blobs::{Blobs, S3Url};
use stint_store::Store;

use crate::cli::DataOpts;

pub use stint_server::local::DEFAULT_ORG;

pub fn data_dir(opts: &DataOpts) -> PathBuf {
    opts.data_dir.clone().unwrap_or_else(|| {
        dirs::data_dir()
            .unwrap_or_else(|| PathBuf::from("."))
            .join("stint")
    })
}

/// The blob store of `--blobs`, or `blobs/` in the data directory.
pub fn blobs(url: Option<&S3Url>, opts: &DataOpts) -> anyhow::Result<Arc<dyn Blobs>> {
    stint_server::blobs::open(url, &data_dir(opts)).context("could not open the blob store")
}

/// Opens the store named by `--database`, or the SQLite file in the data
/// directory, with its `Default` organization.
pub async fn open(opts: &DataOpts) -> anyhow::Result<Arc<dyn Store>> {
    stint_server::local::open_store(opts.database.as_deref(), &data_dir(opts)).await
}

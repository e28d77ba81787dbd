//! `stint purge`: the retention purge the server runs every hour, now,
//! saying what it removed per organization.

use crate::cli::{BlobOpts, DataOpts};
use crate::data;
use stint_server::service::retention;

pub async fn run(blobs: &BlobOpts, opts: &DataOpts) -> anyhow::Result<()> {
    let store = data::open(opts).await?;
    let blobs = data::blobs(blobs.blobs.as_ref(), opts)?;
    let Some(purged) = retention::purge(&*store, &*blobs, chrono::Utc::now()).await? else {
        anyhow::bail!("a server is purging screenshots right now; try again in a minute");
    };
    if purged.is_empty() {
        println!(
            "no organization has a screenshot retention (stint org set --screenshot-retention-days N)"
        );
    }
    for p in purged {
        println!(
            "organization '{}' (keeps {} days): removed {} screenshots, {} bytes of images",
            p.org.name,
            p.org.screenshot_retention_days.unwrap_or_default(),
            p.screenshots,
            p.bytes
        );
    }
    Ok(())
}

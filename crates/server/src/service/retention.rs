//! Screenshot retention: an organization that sets
//! `--screenshot-retention-days N` keeps screenshots for N days; older ones
//! go, rows and images, through the same path as a deletion by hand
//! ([`screenshots::remove_from`]).
//!
//! The same purge removes the record of who opened a screenshot a year
//! after the screenshot went, whatever the organization's retention.
//!
//! Every `stint serve` purges once an hour ([`spawn`]); with several
//! replicas on one PostgreSQL database an advisory lock lets one of them at
//! a time do it (the others skip that round). `stint purge` runs it now.

use std::sync::Arc;
use std::time::Duration;

use stint_model::{Instant, Organization};
use stint_store::{Store, StoreError};

use super::screenshots;
use crate::blobs::Blobs;

/// How often the server purges.
pub const EVERY: Duration = Duration::from_secs(60 * 60);

/// The advisory lock key of the purge ("stint-purge" in ASCII, so that it
/// is recognisable in `pg_locks`).
const LOCK: i64 = 0x7374_696e_7470_7267;

/// How long the record of who opened a screenshot outlives it (issue 18).
pub const VIEWS_OUTLIVE_DAYS: i64 = 365;

/// Screenshots read per query: a first purge of years of images never
/// holds more than this many records at once.
const BATCH: u32 = 500;

/// What one purge removed from one organization that has a retention.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Purged {
    pub org: Organization,
    pub screenshots: u64,
    /// Of the full images (thumbnails are not measured).
    pub bytes: u64,
}

/// Removes every screenshot older than its organization's retention, as of
/// `now`. `Ok(None)`: another replica is purging right now.
pub async fn purge(
    store: &dyn Store,
    blobs: &dyn Blobs,
    now: Instant,
) -> Result<Option<Vec<Purged>>, StoreError> {
    let mut result = Ok(Vec::new());
    let job = async {
        result = purge_all(store, blobs, now).await;
    };
    if !store.run_exclusive(LOCK, Box::pin(job)).await? {
        return Ok(None);
    }
    result.map(Some)
}

async fn purge_all(
    store: &dyn Store,
    blobs: &dyn Blobs,
    now: Instant,
) -> Result<Vec<Purged>, StoreError> {
    // Who looked at a screenshot stays known for a year after it is gone.
    let views = store
        .purge_screenshot_views(now - chrono::Duration::days(VIEWS_OUTLIVE_DAYS))
        .await?;
    if views > 0 {
        tracing::info!(
            views,
            "screenshot views a year past their screenshot removed"
        );
    }
    let mut out = Vec::new();
    for org in store.list_orgs().await? {
        let Some(days) = org.screenshot_retention_days else {
            continue;
        };
        let cutoff = now - chrono::Duration::days(days.into());
        let mut purged = Purged {
            org,
            screenshots: 0,
            bytes: 0,
        };
        loop {
            let old = store
                .screenshots_recorded_before(purged.org.id, cutoff, BATCH)
                .await?;
            for shot in &old {
                match screenshots::remove_from(store, blobs, shot).await {
                    Ok(()) => {
                        purged.screenshots += 1;
                        purged.bytes += shot.size.max(0) as u64;
                    }
                    // Deleted by its owner meanwhile.
                    Err(StoreError::NotFound) => {}
                    Err(e) => return Err(e),
                }
            }
            if old.len() < BATCH as usize {
                break;
            }
        }
        out.push(purged);
    }
    Ok(out)
}

/// Purges now and then every [`EVERY`] until the process ends; failures
/// are logged and the next round tries again.
pub fn spawn(store: Arc<dyn Store>, blobs: Arc<dyn Blobs>) {
    tokio::spawn(async move {
        let mut every = tokio::time::interval(EVERY);
        every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            every.tick().await;
            match purge(&*store, &*blobs, chrono::Utc::now()).await {
                Ok(Some(purged)) => {
                    for p in purged.iter().filter(|p| p.screenshots > 0) {
                        tracing::info!(
                            org = %p.org.name,
                            screenshots = p.screenshots,
                            bytes = p.bytes,
                            "purged screenshots past their retention"
                        );
                    }
                }
                Ok(None) => tracing::debug!("another replica is purging screenshots"),
                Err(e) => tracing::warn!(error = %e, "screenshot purge failed"),
            }
        }
    });
}

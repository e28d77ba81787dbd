//! A list the server gave, saved in the outbox's key-value table, so that
//! starting the timer never waits on the network: the CLI and the app ask
//! the server for a short while and otherwise start from the list saved
//! when it last answered. The project list ([`crate::projects`]) and the
//! task list ([`crate::tasks`]) are kept this way.

use std::future::Future;
use std::sync::Mutex;
use std::time::Duration;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use stint_model::Instant;

use crate::api::ApiError;
use crate::outbox::{Outbox, OutboxError, with};

#[derive(Deserialize)]
struct Saved<T> {
    fetched_at: Instant,
    /// Older outboxes saved the project list as `projects`.
    #[serde(alias = "projects")]
    items: Vec<T>,
}

/// [`Saved`] as written, borrowing the list.
#[derive(Serialize)]
struct Saving<'a, T> {
    fetched_at: Instant,
    items: &'a [T],
}

/// The list saved under `key` and when the server gave it, if any (a list
/// that no longer reads is as good as none: it is only a cache).
pub fn load<T: DeserializeOwned>(
    o: &Outbox,
    key: &str,
) -> Result<Option<(Vec<T>, Instant)>, OutboxError> {
    Ok(o.get(key)?
        .and_then(|s| serde_json::from_str::<Saved<T>>(&s).ok())
        .map(|s| (s.items, s.fetched_at)))
}

pub fn store<T: Serialize>(
    o: &mut Outbox,
    key: &str,
    items: &[T],
    fetched_at: Instant,
) -> Result<(), OutboxError> {
    let saved = Saving { fetched_at, items };
    o.put(key, &serde_json::to_string(&saved).unwrap_or_default())
}

/// Adds `item` to the list saved under `key` unless `same` finds it there
/// (the server has just made it). With no list saved yet, it starts one.
pub fn add<T: Serialize + DeserializeOwned>(
    o: &mut Outbox,
    key: &str,
    item: T,
    same: impl Fn(&T, &T) -> bool,
) -> Result<(), OutboxError> {
    let (mut items, fetched_at) =
        load::<T>(o, key)?.unwrap_or_else(|| (Vec::new(), chrono::Utc::now()));
    if !items.iter().any(|i| same(i, &item)) {
        items.push(item);
    }
    store(o, key, &items, fetched_at)
}

/// Changes the list saved under `key` in place, keeping when the server
/// gave it (the rest of it is no newer than that); with no list saved
/// there is nothing to change.
pub fn edit<T: Serialize + DeserializeOwned>(
    o: &mut Outbox,
    key: &str,
    change: impl FnOnce(&mut Vec<T>),
) -> Result<(), OutboxError> {
    let Some((mut items, fetched_at)) = load::<T>(o, key)? else {
        return Ok(());
    };
    change(&mut items);
    store(o, key, &items, fetched_at)
}

/// Forgets the list saved under `key` (someone else signs in).
pub fn forget(o: &mut Outbox, key: &str) -> Result<(), OutboxError> {
    o.put(key, "null")
}

/// What the server said within the wait.
pub enum Answer<T> {
    /// Its list, saved already.
    Fresh(Vec<T>, Instant),
    /// Nothing usable in time: why, for the caller to fall back on the
    /// saved list.
    Offline(ApiError),
}

/// Asks `fetch` for at most `wait` and saves what it gives under `key`. A
/// refusal (signed out, 4xx) is passed on: a saved list would hide it. The
/// wait covers taking the client too, which a sync stuck on a hanging
/// server may hold.
pub async fn ask<T: Serialize>(
    outbox: &Mutex<Outbox>,
    key: &str,
    wait: Duration,
    fetch: impl Future<Output = Result<Vec<T>, ApiError>>,
) -> Result<Answer<T>, ApiError> {
    match tokio::time::timeout(wait, fetch).await {
        Ok(Ok(items)) => {
            let fetched_at = chrono::Utc::now();
            if let Err(e) = with(outbox, |o| store(o, key, &items, fetched_at)) {
                tracing::warn!("could not save the list {key}: {e}");
            }
            Ok(Answer::Fresh(items, fetched_at))
        }
        Ok(Err(e @ ApiError::Offline(_))) => Ok(Answer::Offline(e)),
        Ok(Err(e)) => Err(e),
        Err(_) => Ok(Answer::Offline(ApiError::Offline(format!(
            "no answer within {} s",
            wait.as_secs()
        )))),
    }
}

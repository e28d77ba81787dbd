//! The organization's privacy policy (`GET /api/privacy/policy`): today
//! its never-capture list, which every tracker adds to the person's own.
//! Saved like the project list ([`crate::saved_list`]), so a start while
//! the server is away still respects the last policy it gave.

use std::sync::Mutex;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use stint_model::ScreenshotDeletion;
use stint_model::private_apps::PrivateApps;

use crate::api::Api;
use crate::outbox::{Outbox, OutboxError, with};
use crate::saved_list::{self, Answer};

/// Where the last policy is saved in the outbox's key-value table.
pub const POLICY_KEY: &str = "org_policy";

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Policy {
    #[serde(default)]
    pub never_capture: String,
    /// `with-time` or `keep-time` (stint_model::ScreenshotDeletion); an
    /// older server says nothing: `with-time`.
    #[serde(default)]
    pub screenshot_deletion: ScreenshotDeletion,
}

/// The organization's never-capture rules: the server's within `wait`
/// (saved for next time), else the saved ones, else none (a server too old
/// to have a policy answers 404: none either).
pub async fn refresh(
    outbox: &Mutex<Outbox>,
    api: &tokio::sync::Mutex<Api>,
    wait: Duration,
) -> PrivateApps {
    let fetch = async {
        let mut api = api.lock().await;
        api.get::<Policy>("/api/privacy/policy")
            .await
            .map(|p| vec![p])
    };
    match saved_list::ask(outbox, POLICY_KEY, wait, fetch).await {
        Ok(Answer::Fresh(list, _)) => rules(list.last()),
        Ok(Answer::Offline(e)) | Err(e) => {
            tracing::info!("the organization's policy as last saved ({e})");
            with(outbox, |o| saved(o))
        }
    }
}

/// The never-capture rules saved when the server last gave its policy: no
/// network, for the timer's start.
pub fn saved(o: &Outbox) -> PrivateApps {
    let policy = saved_list::load::<Policy>(o, POLICY_KEY).ok().flatten();
    rules(policy.as_ref().and_then(|(list, _)| list.last()))
}

/// What deleting a screenshot does to its time, as the saved policy says
/// (`with-time` when none is saved).
pub fn screenshot_deletion(o: &Outbox) -> ScreenshotDeletion {
    saved_list::load::<Policy>(o, POLICY_KEY)
        .ok()
        .flatten()
        .and_then(|(list, _)| list.last().map(|p| p.screenshot_deletion))
        .unwrap_or_default()
}

/// The server checked the list when it was set; one that no longer parses
/// here (a newer syntax) is ignored rather than half-applied.
fn rules(policy: Option<&Policy>) -> PrivateApps {
    policy
        .and_then(|p| PrivateApps::parse(&p.never_capture).ok())
        .unwrap_or_default()
}

/// Forgets the saved policy (someone else signs in).
pub fn forget(o: &mut Outbox) -> Result<(), OutboxError> {
    saved_list::forget(o, POLICY_KEY)
}

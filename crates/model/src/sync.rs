//! What the server decided about one log of the agent's sync batch. The
//! server writes it and the agent acts on it, so both ends spell it with
//! this one enum and cannot drift apart.

use serde::{Deserialize, Serialize};

/// One log's outcome, on the wire as `created`, `updated`, `unchanged` or
/// `failed`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SyncStatus {
    /// A log the server did not have.
    Created,
    /// A newer version of a log it had.
    Updated,
    /// Nothing new: a replay, or a version it already had.
    Unchanged,
    /// Refused (its message says why); sending it again will not help.
    Failed,
}

impl SyncStatus {
    pub const ALL: [SyncStatus; 4] = [
        SyncStatus::Created,
        SyncStatus::Updated,
        SyncStatus::Unchanged,
        SyncStatus::Failed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SyncStatus::Created => "created",
            SyncStatus::Updated => "updated",
            SyncStatus::Unchanged => "unchanged",
            SyncStatus::Failed => "failed",
        }
    }

    /// The server holds the log as sent, so the agent stops sending it.
    pub fn acknowledged(self) -> bool {
        self != SyncStatus::Failed
    }
}

#[cfg(test)]
mod tests {
    use super::SyncStatus;

    #[test]
    fn statuses_keep_their_wire_spelling() {
        for s in SyncStatus::ALL {
            let json = serde_json::to_string(&s).unwrap();
            assert_eq!(json, format!("\"{}\"", s.as_str()));
            assert_eq!(serde_json::from_str::<SyncStatus>(&json).unwrap(), s);
        }
        assert!(serde_json::from_str::<SyncStatus>("\"lost\"").is_err());
    }

    #[test]
    fn only_a_refused_log_is_not_acknowledged() {
        let acknowledged: Vec<_> = SyncStatus::ALL
            .into_iter()
            .filter(|s| s.acknowledged())
            .collect();
        assert_eq!(
            acknowledged,
            [
                SyncStatus::Created,
                SyncStatus::Updated,
                SyncStatus::Unchanged
            ]
        );
    }
}

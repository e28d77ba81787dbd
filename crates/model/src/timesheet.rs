//! Weekly timesheets and the one status table both dialects spell.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::{Instant, Invalid};

/// Canonical status. Gauzy and IceHrm each have their own spelling; the
/// mapping is here and nowhere else.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum TimesheetStatus {
    Draft,
    Submitted,
    InReview,
    Approved,
    Rejected,
}

/// What someone asks to do to a timesheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transition {
    Submit,
    /// The owner takes a submitted timesheet back to draft.
    Recall,
    Review,
    Approve,
    Reject,
    /// An admin unlocks an approved timesheet.
    Reopen,
}

impl TimesheetStatus {
    pub const ALL: [TimesheetStatus; 5] = [
        TimesheetStatus::Draft,
        TimesheetStatus::Submitted,
        TimesheetStatus::InReview,
        TimesheetStatus::Approved,
        TimesheetStatus::Rejected,
    ];

    /// Storage spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            TimesheetStatus::Draft => "draft",
            TimesheetStatus::Submitted => "submitted",
            TimesheetStatus::InReview => "in_review",
            TimesheetStatus::Approved => "approved",
            TimesheetStatus::Rejected => "rejected",
        }
    }

    pub fn from_storage(s: &str) -> Option<TimesheetStatus> {
        Self::ALL.into_iter().find(|v| v.as_str() == s)
    }

    pub fn gauzy(self) -> &'static str {
        match self {
            TimesheetStatus::Draft => "DRAFT",
            TimesheetStatus::Submitted => "PENDING",
            TimesheetStatus::InReview => "IN_REVIEW",
            TimesheetStatus::Approved => "APPROVED",
            TimesheetStatus::Rejected => "DENIED",
        }
    }

    pub fn from_gauzy(s: &str) -> Result<TimesheetStatus, Invalid> {
        Self::ALL
            .into_iter()
            .find(|v| v.gauzy() == s)
            .ok_or_else(|| {
                Invalid::new(format!(
                    "unknown status '{s}' (expected DRAFT, PENDING, IN_REVIEW, APPROVED or DENIED)"
                ))
            })
    }

    /// IceHrm has four words: both Submitted and InReview read "Submitted".
    pub fn icehrm(self) -> &'static str {
        match self {
            TimesheetStatus::Draft => "Pending",
            TimesheetStatus::Submitted | TimesheetStatus::InReview => "Submitted",
            TimesheetStatus::Approved => "Approved",
            TimesheetStatus::Rejected => "Rejected",
        }
    }

    /// The canonical statuses an IceHrm status filter matches.
    pub fn from_icehrm(s: &str) -> Result<&'static [TimesheetStatus], Invalid> {
        match s {
            "Pending" => Ok(&[TimesheetStatus::Draft]),
            "Submitted" => Ok(&[TimesheetStatus::Submitted, TimesheetStatus::InReview]),
            "Approved" => Ok(&[TimesheetStatus::Approved]),
            "Rejected" => Ok(&[TimesheetStatus::Rejected]),
            other => Err(Invalid::new(format!(
                "unknown status '{other}' (expected Pending, Submitted, Approved or Rejected)"
            ))),
        }
    }

    /// Approved timesheets are locked: nobody edits their entries.
    pub fn is_locked(self) -> bool {
        self == TimesheetStatus::Approved
    }

    /// Waiting for a supervisor's decision.
    pub fn awaits_approval(self) -> bool {
        matches!(self, TimesheetStatus::Submitted | TimesheetStatus::InReview)
    }

    /// The status after `t`, or why `t` is not allowed from here.
    pub fn apply(self, t: Transition) -> Result<TimesheetStatus, String> {
        use TimesheetStatus as S;
        use Transition as T;
        let next = match (self, t) {
            (S::Draft | S::Rejected, T::Submit) => S::Submitted,
            (S::Submitted, T::Recall) => S::Draft,
            (S::Submitted, T::Review) => S::InReview,
            (S::Submitted | S::InReview, T::Approve) => S::Approved,
            (S::Submitted | S::InReview, T::Reject) => S::Rejected,
            (S::Approved, T::Reopen) => S::Draft,
            (from, t) => {
                let why = match (from, t) {
                    (S::Approved, _) => "it is approved and locked",
                    (S::Submitted | S::InReview, T::Submit) => "it is already submitted",
                    (_, T::Approve | T::Reject | T::Review) => "it has not been submitted",
                    (_, T::Recall) => "only a submitted timesheet can be recalled",
                    (_, T::Reopen) => "only an approved timesheet can be reopened",
                    _ => "that change is not allowed",
                };
                return Err(format!(
                    "timesheet is {}: {why}",
                    from.icehrm_or_gauzy_words()
                ));
            }
        };
        Ok(next)
    }

    fn icehrm_or_gauzy_words(self) -> &'static str {
        match self {
            TimesheetStatus::Draft => "a draft",
            TimesheetStatus::Submitted => "submitted",
            TimesheetStatus::InReview => "in review",
            TimesheetStatus::Approved => "approved",
            TimesheetStatus::Rejected => "rejected",
        }
    }
}

/// One employee's week. It comes into being with the first log of the week or
/// when asked for explicitly (IceHrm's create-current/previous/next).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Timesheet {
    pub id: Uuid,
    /// Stable integer id for the IceHrm dialect.
    pub seq: i64,
    pub org_id: Uuid,
    pub employee_id: Uuid,
    /// First and last day of the week in the employee's time zone.
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    pub status: TimesheetStatus,
    pub submitted_at: Option<Instant>,
    pub approved_at: Option<Instant>,
    pub approved_by: Option<Uuid>,
    pub created_at: Instant,
    pub updated_at: Instant,
    /// Why the supervisor rejected the week; only a Rejected sheet has one
    /// (see [`rejection_reason`]), so the employee knows what to fix.
    #[serde(default)]
    pub rejection_reason: Option<String>,
}

/// Longest rejection reason, in characters: a sentence or a short list of
/// what to fix, not a document.
pub const MAX_REJECTION_REASON: usize = 1_000;

/// The reason a sheet holds after `t`, from the reason the request gave.
///
/// A rejection must say why (trimmed, 1 to [`MAX_REJECTION_REASON`]
/// characters), so the employee is never left guessing what to fix; every
/// other change clears it, so a resubmitted week no longer carries the old
/// complaint. A reason given with another change is ignored.
pub fn rejection_reason(t: Transition, reason: Option<&str>) -> Result<Option<String>, Invalid> {
    if t != Transition::Reject {
        return Ok(None);
    }
    let text = reason.map(str::trim).unwrap_or_default();
    if text.is_empty() {
        return Err(Invalid::new(
            "reason is required to reject a timesheet: say what the employee should fix",
        ));
    }
    let n = text.chars().count();
    if n > MAX_REJECTION_REASON {
        return Err(Invalid::new(format!(
            "reason may hold at most {MAX_REJECTION_REASON} characters, got {n}"
        )));
    }
    Ok(Some(text.to_string()))
}

#[cfg(test)]
mod tests {
    use super::TimesheetStatus as S;
    use super::Transition as T;
    use super::{MAX_REJECTION_REASON, rejection_reason};

    #[test]
    fn a_rejection_says_why_and_other_changes_clear_it() {
        assert_eq!(
            rejection_reason(T::Reject, Some("  Tuesday is missing \n")),
            Ok(Some("Tuesday is missing".into()))
        );
        for blank in [None, Some(""), Some(" \t\n ")] {
            let e = rejection_reason(T::Reject, blank).unwrap_err();
            assert!(e.0.contains("reason is required"), "{e}");
        }
        let longest = "é".repeat(MAX_REJECTION_REASON);
        assert_eq!(
            rejection_reason(T::Reject, Some(&longest)),
            Ok(Some(longest.clone()))
        );
        let e = rejection_reason(T::Reject, Some(&format!("{longest}x"))).unwrap_err();
        assert!(e.0.contains("at most 1000 characters, got 1001"), "{e}");
        for t in [T::Submit, T::Recall, T::Review, T::Approve, T::Reopen] {
            assert_eq!(rejection_reason(t, Some("ignored")), Ok(None));
        }
    }

    #[test]
    fn the_status_table_is_followed() {
        assert_eq!(S::Draft.apply(T::Submit), Ok(S::Submitted));
        assert_eq!(S::Rejected.apply(T::Submit), Ok(S::Submitted));
        assert_eq!(S::Submitted.apply(T::Recall), Ok(S::Draft));
        assert_eq!(S::Submitted.apply(T::Approve), Ok(S::Approved));
        assert_eq!(S::InReview.apply(T::Reject), Ok(S::Rejected));
        assert_eq!(S::Approved.apply(T::Reopen), Ok(S::Draft));
        assert!(
            S::Approved
                .apply(T::Submit)
                .unwrap_err()
                .contains("approved")
        );
        assert!(
            S::Draft
                .apply(T::Approve)
                .unwrap_err()
                .contains("not been submitted")
        );
        assert!(
            S::Submitted
                .apply(T::Submit)
                .unwrap_err()
                .contains("already")
        );
        assert!(S::InReview.apply(T::Recall).is_err());
    }

    #[test]
    fn every_transition_from_every_status_is_decided() {
        for s in S::ALL {
            for t in [
                T::Submit,
                T::Recall,
                T::Review,
                T::Approve,
                T::Reject,
                T::Reopen,
            ] {
                if let Ok(next) = s.apply(t) {
                    assert_ne!(next, s, "{s:?} {t:?} must change something");
                }
            }
        }
    }

    #[test]
    fn both_spellings_map_to_one_status() {
        for s in S::ALL {
            assert_eq!(S::from_gauzy(s.gauzy()).unwrap(), s);
            assert!(S::from_icehrm(s.icehrm()).unwrap().contains(&s));
            assert_eq!(S::from_storage(s.as_str()), Some(s));
        }
        assert!(S::from_gauzy("pending").is_err());
        assert!(S::from_icehrm("Lost").is_err());
        assert!(S::Approved.is_locked() && !S::Rejected.is_locked());
    }
}

//! A rejected week says why: the supervisor must give a reason (trimmed, at
//! most 1,000 characters) through either dialect, the employee and the
//! supervisor read it in both, and submitting the week again clears it.

#[macro_use]
mod util;
#[path = "util/icehrm.rs"]
mod icehrm;

use icehrm::*;
use serde_json::Value;
use util::*;

const WEEK: &str = "2024-01-14";

/// `PUT /api/timesheet/deny` of one sheet with `body`'s extra fields.
async fn deny(who: &Session, id: &str, extra: Value) -> (u16, Value) {
    let mut body = json!({ "ids": [id] });
    if let Value::Object(m) = extra {
        for (k, v) in m {
            body[k] = v;
        }
    }
    let (code, out) = who.put("/api/timesheet/deny", body).await;
    (code.as_u16(), out)
}

/// The reason as each view shows it: Gauzy's sheet and list (Omar's and
/// Lena's), IceHrm's details, Omar's own list and Lena's direct reports.
async fn reasons(t: &Team, seq: i64) -> Vec<Value> {
    let omar = t.omar.employee_id();
    let mut out = vec![];
    let id = gauzy_sheet(&t.omar, &omar, WEEK).await["id"].clone();
    for who in [&t.omar, &t.lena] {
        let (code, one) = who
            .get(&format!("/api/timesheet/{}", id.as_str().unwrap()))
            .await;
        assert_eq!(code, 200, "{one}");
        out.push(one["rejectionReason"].clone());
        out.push(gauzy_sheet(who, &omar, WEEK).await["rejectionReason"].clone());
        out.push(details(who, seq).await["timesheet"]["rejection_reason"].clone());
    }
    out.push(sheet_starting(&t.omar, WEEK).await["rejection_reason"].clone());
    let reports = page(&t.lena, "/timesheets/direct-reports").await;
    let row = reports["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| int(&r["id"]) == seq);
    out.push(row.expect("Omar's week in Lena's list")["rejection_reason"].clone());
    out
}

both!(
    a_rejection_says_why_in_both_dialects_until_resubmitted,
    |backend| async move {
        let server = Server::start(backend).await;
        let t = server.team().await;
        let log = gauzy_log(
            &t.omar,
            "2024-01-15T09:00:00.000Z",
            "2024-01-15T10:00:00.000Z",
            json!({}),
        )
        .await;
        let id = log["timesheetId"]
            .as_str()
            .expect("timesheetId")
            .to_string();
        let seq = int(&sheet_starting(&t.omar, WEEK).await["id"]);
        assert_eq!(act_ok(&t.omar, seq, "submit").await, "Submitted");
        assert_eq!(reasons(&t, seq).await, vec![Value::Null; 8]);

        // No reason, a blank one, one too long: 400 naming the field, and
        // the week stays submitted.
        let long = "x".repeat(1001);
        for extra in [
            json!({}),
            json!({ "reason": " \n\t" }),
            json!({ "reason": long }),
        ] {
            let (code, out) = deny(&t.lena, &id, extra.clone()).await;
            assert_eq!(code, 400, "{extra}: {out}");
            assert!(out["message"].as_str().unwrap().contains("reason"), "{out}");
        }
        let (code, out) = t
            .lena
            .post(&format!("/timesheets/{seq}/reject"), json!({}))
            .await;
        assert_eq!(code, 400, "{out}");
        assert!(
            out["message"]
                .as_str()
                .unwrap()
                .contains("reason is required"),
            "{out}"
        );
        // IceHrm's documented call has no body at all: still 400, not 415.
        let bare = t
            .lena
            .request(reqwest::Method::POST, &format!("/timesheets/{seq}/reject"));
        let (code, out) = t.lena.send(bare).await;
        assert_eq!(code, 400, "{out}");
        assert_eq!(
            gauzy_sheet(&t.omar, &t.omar.employee_id(), WEEK).await["status"],
            "PENDING"
        );
        // Who may not decide hears that first, reason or not.
        assert_eq!(deny(&t.jane, &id, json!({})).await.0, 403);
        assert_eq!(deny(&t.gus, &id, json!({ "reason": "no" })).await.0, 404);

        // Gauzy: trimmed, stored, shown everywhere; 1,000 characters fit.
        let (code, out) = deny(&t.lena, &id, json!({ "reason": "  Tuesday is missing.\n" })).await;
        assert_eq!(code, 200, "{out}");
        assert_eq!(out[0]["status"], "DENIED");
        assert_eq!(out[0]["rejectionReason"], "Tuesday is missing.");
        assert_eq!(
            reasons(&t, seq).await,
            vec![json!("Tuesday is missing."); 8]
        );

        // IceHrm resubmit clears it; an IceHrm rejection sets a new one.
        assert_eq!(act_ok(&t.omar, seq, "submit").await, "Submitted");
        assert_eq!(reasons(&t, seq).await, vec![Value::Null; 8]);
        let longest = "é".repeat(1000);
        let (code, out) = t
            .lena
            .post(
                &format!("/timesheets/{seq}/reject"),
                json!({ "reason": longest }),
            )
            .await;
        assert_eq!(code, 200, "{out}");
        assert_eq!(out["timesheet"]["status"], "Rejected");
        assert_eq!(out["timesheet"]["rejection_reason"], json!(longest));
        assert_eq!(reasons(&t, seq).await, vec![json!(longest); 8]);

        // Gauzy resubmit clears it too.
        let (code, out) = t
            .omar
            .put("/api/timesheet/submit", json!({ "ids": [id] }))
            .await;
        assert_eq!(code, 200, "{out}");
        assert!(out[0]["rejectionReason"].is_null(), "{out}");
        assert_eq!(reasons(&t, seq).await, vec![Value::Null; 8]);
    }
);

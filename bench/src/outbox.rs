//! Outbox write rate: tracker steps through `Outbox::apply_with_slots`
//! against a bare rusqlite insert loop into the same file.

use serde_json::{Value, json};
use stint_agent::outbox::{LogContext, Outbox};
use stint_agent::tracker::Change;
use stint_model::LogType;
use uuid::Uuid;

use crate::stats::timed;

const ROWS: usize = 200_000;
const BATCH: usize = 1_000;

pub fn run() -> Value {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("outbox.db");
    let mut outbox = Outbox::open(&path).expect("outbox");
    let ctx = LogContext::default();
    let now = chrono::Utc::now();
    let ((), outbox_ms) = timed(|| {
        for b in 0..ROWS / BATCH {
            let changes: Vec<Change> = (0..BATCH)
                .map(|i| Change::Opened {
                    id: Uuid::now_v7(),
                    log_type: LogType::Tracked,
                    at: now + chrono::TimeDelta::seconds((b * BATCH + i) as i64),
                })
                .collect();
            outbox.apply(&changes, &ctx, Some(now)).expect("apply");
        }
    });
    drop(outbox);
    // The baseline: the same rows, the same file, the same transactions,
    // with nothing but a prepared INSERT.
    let conn = rusqlite::Connection::open(&path).expect("open");
    conn.execute_batch(
        "CREATE TABLE bare (id TEXT PRIMARY KEY, log_type TEXT, started_at INTEGER, description TEXT);",
    )
    .expect("table");
    let mut conn = conn;
    let ((), bare_ms) = timed(|| {
        for b in 0..ROWS / BATCH {
            let tx = conn.transaction().expect("tx");
            {
                let mut st = tx
                    .prepare_cached("INSERT INTO bare VALUES (?1, 'TRACKED', ?2, '')")
                    .expect("prepare");
                for i in 0..BATCH {
                    st.execute(rusqlite::params![
                        Uuid::now_v7().to_string(),
                        (b * BATCH + i) as i64
                    ])
                    .expect("insert");
                }
            }
            tx.commit().expect("commit");
        }
    });
    let rate = |ms: f64| ROWS as f64 / (ms / 1000.0);
    json!({
        "rows": ROWS,
        "batch": BATCH,
        "outbox_rows_per_s": rate(outbox_ms).round(),
        "bare_rusqlite_rows_per_s": rate(bare_ms).round(),
        "ratio_to_bare": (rate(outbox_ms) / rate(bare_ms) * 1000.0).round() / 1000.0,
        "target_rows_per_s": 100_000,
    })
}

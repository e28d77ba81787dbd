//! Read paths at 10M logs on PostgreSQL: a fresh database filled by SQL
//! (1,000 employees × 10,000 logs of 14 min every 15 min up to now, and the
//! weekly timesheets they make), then ~200 requests each, one at a time,
//! of one employee's week of logs, an IceHrm timesheet's details and the
//! dashboard counts, against the store's own SQL for the same answers run
//! directly through sqlx (the server's overhead). The plans of that SQL
//! (EXPLAIN ANALYZE, BUFFERS) go to bench/results/explain.txt.

use std::time::Instant;

use chrono::{Datelike, Duration, NaiveDate};
use serde_json::{Value, json};
use sqlx::postgres::PgPoolOptions;
use sqlx::{Connection, PgPool};
use uuid::Uuid;

use crate::server::{self, Server, env_usize, r1};
use crate::stats::{ms, percentile};

const EMPLOYEES: usize = 1000;
const REQUESTS: usize = 200;
/// Employees whose reads are measured, in turn.
const READERS: usize = 10;
const STEP_MS: i64 = 15 * 60_000;
const LEN_MS: i64 = 14 * 60_000;

/// The store's range listing of one employee's logs (`list_logs`).
const LIST_LOGS: &str = "SELECT * FROM time_logs WHERE deleted_at IS NULL AND org_id = $1 \
     AND employee_id = ANY($2) AND (stopped_at IS NULL OR stopped_at > $3) AND started_at < $4 \
     ORDER BY started_at, seq";
/// `list_slots` for the same employee and range (counts' activity).
const LIST_SLOTS: &str = "SELECT * FROM time_slots WHERE org_id = $1 AND employee_id = ANY($2) \
     AND started_at >= $3 AND started_at < $4 ORDER BY started_at, seq";
const SHEET_BY_SEQ: &str = "SELECT * FROM timesheets WHERE org_id = $1 AND seq = $2";

struct Reader {
    id: Uuid,
    token: String,
    sheet_seq: i64,
    week: NaiveDate,
}

pub async fn run(bin: &str) -> Value {
    let logs = env_usize("BENCH_READ_LOGS", 10_000_000);
    let per = (logs / EMPLOYEES).max(1);
    let url = server::fresh_db("reads").await;
    let dir = tempfile::tempdir().expect("temp dir");
    let (org, project, emails) = {
        let store = server::open(Some(&url), dir.path()).await;
        let seeded = server::seed(&store, EMPLOYEES).await;
        add_admin(&store, seeded.0).await;
        seeded
    };
    let pool = PgPoolOptions::new()
        .max_connections(2)
        .connect(&url)
        .await
        .expect("pool");
    let t = Instant::now();
    fill(&url, project, per).await;
    let fill_s = t.elapsed().as_secs_f64();
    let srv = Server::start(bin, dir.path(), Some(&url)).await;
    let http = server::client();
    let tokens = server::login_all(&http, &srv.url, &emails[..READERS], 2).await;
    let mut readers = Vec::new();
    for (i, token) in tokens.into_iter().enumerate() {
        // The last full week (the newest when there is only one).
        let weeks: Vec<(Uuid, i64, NaiveDate)> = sqlx::query_as(
            "SELECT u.id, t.seq, t.start_date FROM users u JOIN timesheets t ON t.employee_id = u.id
             WHERE u.email = $1 ORDER BY t.start_date DESC LIMIT 2",
        )
        .bind(&emails[i])
        .fetch_all(&pool)
        .await
        .expect("reader's weeks");
        let (id, sheet_seq, week) = *weeks.last().expect("a timesheet");
        readers.push(Reader {
            id,
            token,
            sheet_seq,
            week,
        });
    }
    let today = chrono::Utc::now().date_naive();
    let this_week = today - Duration::days(today.weekday().num_days_from_sunday().into());
    let ms_of = |d: NaiveDate| {
        d.and_hms_opt(0, 0, 0)
            .expect("midnight")
            .and_utc()
            .timestamp_millis()
    };
    // Server and SQL, interleaved request by request so that both see the
    // same machine.
    let (mut served, mut direct) = (vec![vec![]; 3], vec![vec![]; 3]);
    for n in 0..REQUESTS {
        let r = &readers[n % READERS];
        let (from, to) = (ms_of(r.week), ms_of(r.week + Duration::days(7)));
        let week_url = format!(
            "{}/api/timesheet/time-log?startDate={}&endDate={}&employeeId={}",
            srv.url,
            r.week,
            r.week + Duration::days(6),
            r.id
        );
        let sheet_url = format!("{}/timesheets/{}", srv.url, r.sheet_seq);
        let counts_url = format!("{}/api/timesheet/statistics/counts", srv.url);
        for (k, u) in [week_url, sheet_url, counts_url].iter().enumerate() {
            let t = Instant::now();
            let resp = http.get(u).bearer_auth(&r.token).send().await.expect("get");
            assert!(resp.status().is_success(), "{u}: {}", resp.status());
            let _ = resp.bytes().await.expect("body");
            served[k].push(ms(t.elapsed()));
        }
        let t = Instant::now();
        logs_sql(&pool, org, r.id, from, to).await;
        direct[0].push(ms(t.elapsed()));
        let t = Instant::now();
        sqlx::query(SHEET_BY_SEQ)
            .bind(org)
            .bind(r.sheet_seq)
            .fetch_one(&pool)
            .await
            .expect("sheet");
        logs_sql(&pool, org, r.id, from, to).await;
        direct[1].push(ms(t.elapsed()));
        let t = Instant::now();
        let (cf, ct) = (ms_of(this_week), ms_of(this_week + Duration::days(7)));
        logs_sql(&pool, org, r.id, cf, ct).await;
        sqlx::query(LIST_SLOTS)
            .bind(org)
            .bind(vec![r.id])
            .bind(cf)
            .bind(ct)
            .fetch_all(&pool)
            .await
            .expect("slots");
        direct[2].push(ms(t.elapsed()));
    }
    let rss = srv.mem_mb("VmHWM");
    let export = export_all(&srv, &http, &pool).await;
    srv.stop().await;
    let r = &readers[0];
    let explain = explain(
        &pool,
        org,
        r,
        ms_of(r.week),
        ms_of(r.week + Duration::days(7)),
    )
    .await;
    let out =
        std::env::var("BENCH_EXPLAIN_OUT").unwrap_or_else(|_| "bench/results/explain.txt".into());
    std::fs::write(
        &out,
        format!("-- {logs} logs, {EMPLOYEES} employees\n{explain}"),
    )
    .expect("explain.txt");
    let (total,): (i64,) = sqlx::query_as("SELECT count(*) FROM time_logs")
        .fetch_one(&pool)
        .await
        .expect("count");
    pool.close().await;
    server::drop_db(&url).await;
    let figure = |k: usize| {
        let (s, d) = (&served[k], &direct[k]);
        json!({
            "p50_ms": r1(percentile(s, 50.0)), "p99_ms": r1(percentile(s, 99.0)),
            "sql_p50_ms": r1(percentile(d, 50.0)), "sql_p99_ms": r1(percentile(d, 99.0)),
            "ratio_p50_to_sql": r1(percentile(s, 50.0) / percentile(d, 50.0)),
        })
    };
    json!({
        "logs": total,
        "employees": EMPLOYEES,
        "fill_s": r1(fill_s),
        "requests_each": REQUESTS,
        "week_of_logs": figure(0),
        "icehrm_timesheet": figure(1),
        "statistics_counts": figure(2),
        "rss_peak_mb": rss,
        "csv_export": export,
        "target_p99_ms": 20,
    })
}

const ADMIN: &str = "admin@bench.test";

async fn add_admin(store: &std::sync::Arc<dyn stint_store::Store>, org: Uuid) {
    store
        .create_user(stint_store::NewUser {
            id: Uuid::now_v7(),
            org_id: org,
            email: ADMIN.into(),
            name: "Admin".into(),
            password_hash: stint_server::auth::password::hash(server::PASSWORD),
            role: stint_model::Role::Admin,
            supervisor_id: None,
            timezone: "UTC".into(),
        })
        .await
        .expect("admin");
}

/// The CSV export of every log in the database (an admin, the whole
/// organization, from the first log's day to today), read as it streams:
/// the server's peak RSS during it (VmHWM reset before) against its RSS
/// just before, the rows and the time.
async fn export_all(srv: &Server, http: &reqwest::Client, pool: &PgPool) -> Value {
    let (first,): (i64,) = sqlx::query_as("SELECT min(started_at) FROM time_logs")
        .fetch_one(pool)
        .await
        .expect("first log");
    let first = chrono::DateTime::from_timestamp_millis(first)
        .expect("instant")
        .date_naive();
    let today = chrono::Utc::now().date_naive();
    let token = server::login_all(http, &srv.url, &[ADMIN.to_string()], 1)
        .await
        .remove(0);
    let before = srv.mem_mb("VmRSS");
    srv.reset_peak();
    let t = Instant::now();
    // Its own client: a long export outlasts the shared client's timeout
    // for a whole request; a stalled body still fails after a minute.
    let long = reqwest::Client::builder()
        .read_timeout(std::time::Duration::from_secs(60))
        .build()
        .expect("client");
    let mut resp = long
        .get(format!(
            "{}/api/timesheet/time-log/report/export?startDate={first}&endDate={today}",
            srv.url
        ))
        .bearer_auth(&token)
        .send()
        .await
        .expect("export");
    assert!(resp.status().is_success(), "export: {}", resp.status());
    let (mut bytes, mut lines, mut chunks) = (0usize, 0usize, 0usize);
    while let Some(c) = resp.chunk().await.expect("export chunk") {
        bytes += c.len();
        chunks += 1;
        lines += c.iter().filter(|b| **b == b'\n').count();
    }
    let secs = t.elapsed().as_secs_f64();
    json!({
        "rows": lines.saturating_sub(1),
        "mb": r1(bytes as f64 / 1e6),
        "chunks": chunks,
        "seconds": r1(secs),
        "rows_per_s": (lines as f64 / secs).round(),
        "rss_before_mb": before,
        "rss_peak_mb": srv.mem_mb("VmHWM"),
        "target_rss_mb": 100,
    })
}

async fn logs_sql(pool: &PgPool, org: Uuid, employee: Uuid, from: i64, to: i64) -> usize {
    sqlx::query(LIST_LOGS)
        .bind(org)
        .bind(vec![employee])
        .bind(from)
        .bind(to)
        .fetch_all(pool)
        .await
        .expect("logs")
        .len()
}

/// Every employee's logs back from the last quarter hour, straight into the
/// table (foreign-key triggers off: the rows are consistent by
/// construction), then the timesheet of every week they touch (weeks start
/// on Sunday, the users are in UTC), as the server would have made them.
async fn fill(url: &str, project: Uuid, per: usize) {
    let mut c = sqlx::PgConnection::connect(url).await.expect("connect");
    sqlx::raw_sql("SET session_replication_role = replica")
        .execute(&mut c)
        .await
        .expect("role");
    let now = chrono::Utc::now().timestamp_millis();
    let end = now / STEP_MS * STEP_MS;
    let users: Vec<(Uuid, Uuid)> = sqlx::query_as("SELECT org_id, id FROM users ORDER BY seq")
        .fetch_all(&mut c)
        .await
        .expect("users");
    for chunk in users.chunks(100) {
        let ids: Vec<Uuid> = chunk.iter().map(|u| u.1).collect();
        sqlx::query(
            "INSERT INTO time_logs (id, org_id, employee_id, project_id, started_at, stopped_at,
                 log_type, source, description, is_billable, version, created_at, updated_at)
             SELECT gen_random_uuid(), u.org_id, u.id, $1, $2 - g * $3, $2 - g * $3 + $4,
                 'TRACKED', 'DESKTOP', 'bench', TRUE, 1, $5, $5
             FROM users u CROSS JOIN generate_series(1, $6::bigint) g
             WHERE u.id = ANY($7)",
        )
        .bind(project)
        .bind(end)
        .bind(STEP_MS)
        .bind(LEN_MS)
        .bind(now)
        .bind(per as i64)
        .bind(ids)
        .execute(&mut c)
        .await
        .expect("fill logs");
    }
    sqlx::query(
        "INSERT INTO timesheets (id, org_id, employee_id, start_date, end_date, status,
             created_at, updated_at)
         SELECT gen_random_uuid(), org_id, employee_id, w, w + 6, 'draft', $1, $1 FROM (
             SELECT DISTINCT org_id, employee_id,
                 (date_trunc('week', to_timestamp(started_at / 1000.0) AT TIME ZONE 'UTC'
                     + interval '1 day') - interval '1 day')::date AS w
             FROM time_logs) weeks",
    )
    .bind(now)
    .execute(&mut c)
    .await
    .expect("fill timesheets");
    for table in ["time_logs", "timesheets", "users"] {
        sqlx::raw_sql(sqlx::AssertSqlSafe(format!("VACUUM ANALYZE {table}")))
            .execute(&mut c)
            .await
            .expect("analyze");
    }
}

/// EXPLAIN (ANALYZE, BUFFERS) of the store's SQL behind the three reads.
async fn explain(pool: &PgPool, org: Uuid, r: &Reader, from: i64, to: i64) -> String {
    let lit = |sql: &str, args: &[String]| {
        let mut s = sql.to_string();
        for (i, a) in args.iter().enumerate().rev() {
            s = s.replace(&format!("${}", i + 1), a);
        }
        s
    };
    let ids = format!("ARRAY['{}']::uuid[]", r.id);
    let org = format!("'{org}'::uuid");
    let queries = [
        (
            "list_logs: one employee's week (time-log list, timesheet details, counts)",
            lit(
                LIST_LOGS,
                &[org.clone(), ids.clone(), from.to_string(), to.to_string()],
            ),
        ),
        (
            "timesheet_by_seq (IceHrm /timesheets/{id})",
            lit(SHEET_BY_SEQ, &[org.clone(), r.sheet_seq.to_string()]),
        ),
        (
            "list_slots (counts)",
            lit(
                LIST_SLOTS,
                &[org.clone(), ids.clone(), from.to_string(), to.to_string()],
            ),
        ),
        (
            "ensure_unlocked's approved-sheet lookup (list_timesheets)",
            format!(
                "SELECT * FROM timesheets WHERE org_id = {org} AND employee_id = ANY({ids}) \
             AND status = ANY(ARRAY['approved']) AND end_date >= '{}' AND start_date <= '{}' \
             ORDER BY start_date DESC, seq DESC",
                r.week,
                r.week + Duration::days(6)
            ),
        ),
    ];
    let mut out = String::new();
    for (what, sql) in queries {
        let plan: Vec<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "EXPLAIN (ANALYZE, BUFFERS) {sql}"
        )))
        .fetch_all(pool)
        .await
        .expect("explain");
        out.push_str(&format!("\n-- {what}\n{sql};\n{}\n", plan.join("\n")));
    }
    out
}

//! `stint report` on the server machine: counted time per person and per
//! project as an aligned table (IDLE excluded), the same totals as the
//! Gauzy reports; `--csv` writes exactly what the export endpoint sends an
//! admin; bad arguments exit with code 2.

#[macro_use]
mod util;
#[path = "util/icehrm.rs"]
mod icehrm;
#[path = "util/reports.rs"]
mod reports;

use reports::{REPORT, logs, report};
use util::*;

const WEEK: [&str; 4] = ["--from", "2024-01-14", "--to", "2024-01-20"];

/// The line of `out` that starts with `first`, split on runs of spaces.
fn line<'a>(out: &'a str, first: &str) -> Vec<&'a str> {
    let l = out
        .lines()
        .find(|l| l.starts_with(first))
        .unwrap_or_else(|| panic!("no line '{first}' in:\n{out}"));
    l.split("  ")
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .collect()
}

both!(totals_a_table_and_the_csv, |backend| async move {
    let server = Server::start(backend).await;
    let t = server.team().await;
    let (web, intra) = tokio::join!(
        server.project("Website", &[]),
        server.project("Intranet", &[])
    );
    let (w, i) = (Some(web.as_str()), Some(intra.as_str()));
    logs(
        &t.omar,
        &[
            ("2024-01-15T09:00:00Z", "2024-01-15T10:00:00Z", "TRACKED", w),
            ("2024-01-15T10:00:00Z", "2024-01-15T10:30:00Z", "IDLE", w),
            ("2024-01-15T13:00:00Z", "2024-01-15T14:30:00Z", "MANUAL", i),
            (
                "2024-01-16T09:00:00Z",
                "2024-01-16T09:45:00Z",
                "RESUMED",
                None,
            ),
            ("2024-01-17T23:00:00Z", "2024-01-18T01:00:00Z", "TRACKED", w),
        ],
    )
    .await;
    logs(
        &t.jane,
        &[(
            "2024-01-15T09:00:00Z",
            "2024-01-15T10:00:00Z",
            "TRACKED",
            None,
        )],
    )
    .await;
    logs(
        &t.gina,
        &[(
            "2024-01-15T09:00:00Z",
            "2024-01-15T12:00:00Z",
            "TRACKED",
            None,
        )],
    )
    .await;

    let mut args = vec!["report"];
    args.extend(WEEK);
    let out = server.ok(&args).await;
    assert_eq!(
        line(&out, "Omar Acme"),
        ["Omar Acme", OMAR, "5:15:00"],
        "{out}"
    );
    assert_eq!(
        line(&out, "Jane Acme"),
        ["Jane Acme", JANE, "1:00:00"],
        "{out}"
    );
    assert!(!out.contains("gina"), "another organization's time: {out}");
    assert_eq!(line(&out, "Website"), ["Website", "3:00:00"]);
    assert_eq!(line(&out, "Intranet"), ["Intranet", "1:30:00"]);
    assert_eq!(line(&out, "(no project)"), ["(no project)", "1:45:00"]);
    let totals: Vec<_> = out.lines().filter(|l| l.starts_with("TOTAL")).collect();
    assert_eq!(totals.len(), 2, "{out}");
    assert!(totals.iter().all(|l| l.ends_with("6:15:00")), "{out}");
    // Aligned: the people's lines end in one column.
    let widths: Vec<usize> = out
        .lines()
        .skip_while(|l| !l.starts_with("PERSON"))
        .take(4)
        .map(|l| l.chars().count())
        .collect();
    assert!(widths.windows(2).all(|w| w[0] == w[1]), "{out}");

    // The same totals as the Gauzy weekly report of the admin.
    let weekly = report(&t.ada, "weekly", "startDate=2024-01-14&endDate=2024-01-20").await;
    let sums: Vec<i64> = weekly
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["sum"].as_i64().unwrap())
        .collect();
    assert_eq!(sums, [3600, 18900], "Jane, then Omar: {weekly}");

    // One person, one project, and the export's rows in a file.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("omar.csv");
    let file_arg = file.to_str().unwrap();
    let mut args = vec!["report", "--employee", OMAR, "--project", "Website"];
    args.extend(WEEK);
    args.extend(["--csv", file_arg]);
    let out = server.ok(&args).await;
    assert_eq!(
        line(&out, "Omar Acme"),
        ["Omar Acme", OMAR, "3:00:00"],
        "{out}"
    );
    assert!(!out.contains("Jane"), "{out}");
    assert!(out.contains("omar.csv"), "{out}");
    let written = std::fs::read_to_string(&file).unwrap();
    let sent = t
        .ada
        .request(
            reqwest::Method::GET,
            &format!(
                "{REPORT}/export?startDate=2024-01-14&endDate=2024-01-20&employeeIds[]={}&projectIds[]={web}",
                t.omar.employee_id()
            ),
        )
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(written, sent, "the endpoint's rows");
    assert_eq!(
        written.lines().count(),
        4,
        "header, two TRACKED, one IDLE: {written}"
    );

    // Bad arguments: exit code 2, a message, no file.
    let nothing = dir.path().join("nothing.csv");
    for (extra, says) in [
        (vec!["--employee", GINA], "not in organization"),
        (vec!["--project", "Nope"], "Nope"),
        (vec!["--timezone", "Mars/Olympus"], "--timezone"),
    ] {
        let mut args = vec!["report"];
        args.extend(WEEK);
        args.extend(extra);
        args.extend(["--csv", nothing.to_str().unwrap()]);
        let (code, out, err) = server.admin(&args).await;
        assert_eq!(code, 2, "{args:?}: {out}{err}");
        assert!(err.contains(says), "{args:?}: {err}");
        assert!(!nothing.exists(), "{args:?} wrote a file");
    }
    for (args, says) in [
        (
            vec!["report", "--from", "2024-01-20", "--to", "2024-01-14"],
            "before",
        ),
        (
            vec!["report", "--from", "2020-01-01", "--to", "2024-01-14"],
            "400 days",
        ),
        (
            vec!["report", "--from", "banana", "--to", "2024-01-14"],
            "--from",
        ),
    ] {
        let (code, out, err) = server.admin(&args).await;
        assert_eq!(code, 2, "{args:?}: {out}{err}");
        assert!(err.contains(says), "{args:?}: {err}");
    }
});

//! The deployment files (deploy/stint.service, deploy/stint.env.example)
//! stay usable: systemd accepts the unit, and every option and variable
//! they use is one `stint serve --help` lists, so docs/deploy.md cannot
//! drift from the CLI.

mod util;

use std::process::Command;

use util::*;

const UNIT: &str = include_str!("../deploy/stint.service");
const ENV_EXAMPLE: &str = include_str!("../deploy/stint.env.example");
const README: &str = include_str!("../README.md");
const DEPLOY_MD: &str = include_str!("../docs/deploy.md");

/// Read by the logger, not by clap, so `--help` does not list it; the
/// README's server section names it instead.
const NOT_IN_HELP: &[&str] = &["STINT_LOG"];

fn on_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true")
}

/// `systemd-analyze`, or `None` (with a note) where it is not installed;
/// under `CI=true` its absence is a failure.
fn systemd_analyze() -> Option<&'static str> {
    let found = Command::new("systemd-analyze")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    match found {
        true => Some("systemd-analyze"),
        false if on_ci() => panic!("systemd-analyze is not installed, and CI=true"),
        false => {
            eprintln!("skipping: systemd-analyze is not installed (apt-get install systemd)");
            None
        }
    }
}

/// The unit's `Key=value` lines (comments and sections left out).
fn unit_settings(unit: &str) -> Vec<(&str, &str)> {
    unit.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#') && !l.starts_with(';'))
        .filter(|l| !l.starts_with('['))
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.trim(), v.trim()))
        .collect()
}

/// The unit's `ExecStart=`; there is exactly one.
fn exec_start(unit: &str) -> &str {
    let exec: Vec<&str> = unit_settings(unit)
        .into_iter()
        .filter(|(k, _)| *k == "ExecStart")
        .map(|(_, v)| v)
        .collect();
    assert_eq!(exec.len(), 1, "one ExecStart= in deploy/stint.service");
    exec[0]
}

#[test]
fn systemd_accepts_the_unit() {
    let Some(analyze) = systemd_analyze() else {
        return;
    };
    let exec = exec_start(UNIT);
    let (program, args) = exec.split_once(' ').unwrap_or((exec, ""));
    assert_eq!(
        program, "/usr/local/bin/stint",
        "the documented install path"
    );
    let dir = tempfile::tempdir().expect("temp dir");
    let unit_path = dir.path().join("stint.service");
    // The same unit, starting the `stint` this test was built with.
    let unit = UNIT.replace(
        &format!("ExecStart={exec}"),
        &format!("ExecStart={} {args}", stint_bin()),
    );
    assert_ne!(unit, UNIT);
    std::fs::write(&unit_path, unit).expect("write the unit");

    let out = Command::new(analyze)
        .arg("verify")
        .arg(&unit_path)
        .env("SYSTEMD_LOG_COLOR", "0")
        .output()
        .expect("run systemd-analyze verify");
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.status.success() && said.trim().is_empty(),
        "systemd-analyze verify {} ({}) complains:\n{said}",
        unit_path.display(),
        out.status
    );
}

#[test]
fn systemd_analyze_verify_catches_a_bad_unit() {
    // The check above is only as good as verify's complaints: a misspelled
    // setting and a missing program must make it say something.
    let Some(analyze) = systemd_analyze() else {
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let unit_path = dir.path().join("stint.service");
    let bad = UNIT
        .replace("ProtectSystem=strict", "ProtectSystem=stricter")
        .replace(
            "/usr/local/bin/stint",
            &dir.path().join("nope").display().to_string(),
        );
    std::fs::write(&unit_path, bad).expect("write the unit");
    let out = Command::new(analyze)
        .arg("verify")
        .arg(&unit_path)
        .output()
        .expect("run systemd-analyze verify");
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{said}");
    assert!(
        said.contains("ProtectSystem") || said.contains("protect system"),
        "{said}"
    );
}

/// `stint serve --help`, with no inherited configuration.
fn serve_help() -> String {
    let out = stint()
        .args(["serve", "--help"])
        .output()
        .expect("run stint serve --help");
    assert!(out.status.success(), "{out:?}");
    String::from_utf8(out.stdout).expect("utf-8")
}

/// The variables the env example sets or shows commented out.
fn env_example_names() -> Vec<&'static str> {
    ENV_EXAMPLE
        .lines()
        .map(|l| l.trim().trim_start_matches('#').trim_start())
        .filter_map(|l| l.split_once('='))
        .map(|(name, _)| name)
        .filter(|name| {
            !name.is_empty()
                && name
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
        })
        .collect()
}

#[test]
fn serve_help_lists_everything_the_unit_and_env_example_use() {
    let help = serve_help();

    // Options on the unit's command line.
    let exec = exec_start(UNIT);
    let mut words = exec.split_whitespace().skip(1);
    assert_eq!(words.next(), Some("serve"), "{exec}");
    for word in words.filter(|w| w.starts_with("--")) {
        let option = word.split('=').next().unwrap_or(word);
        assert!(
            help.contains(&format!("{option} ")),
            "deploy/stint.service passes {option}, which `stint serve --help` does not list:\n{help}"
        );
    }

    // Variables: the unit's Environment= lines and the env example.
    let mut names: Vec<&str> = unit_settings(UNIT)
        .into_iter()
        .filter(|(k, _)| *k == "Environment")
        .filter_map(|(_, v)| v.split_once('=').map(|(name, _)| name))
        .collect();
    let example = env_example_names();
    for name in [
        "STINT_DATABASE_URL",
        "STINT_BLOBS",
        "STINT_TRUST_PROXY",
        "AWS_ACCESS_KEY_ID",
    ] {
        assert!(
            example.contains(&name),
            "{name} in deploy/stint.env.example"
        );
    }
    names.extend(example);
    for name in names {
        if NOT_IN_HELP.contains(&name) {
            assert!(README.contains(name), "{name} is documented in README.md");
            continue;
        }
        let listed = if name.starts_with("STINT_") {
            help.contains(&format!("[env: {name}="))
        } else {
            // The AWS_* variables: named in --blobs' help.
            help.contains(name)
        };
        assert!(
            listed,
            "{name} is set by deploy/, but `stint serve --help` does not list it:\n{help}"
        );
    }

    // The unit reads the env file the docs tell people to write.
    assert!(
        unit_settings(UNIT).contains(&("EnvironmentFile", "-/etc/stint/stint.env")),
        "EnvironmentFile=-/etc/stint/stint.env"
    );
}

/// The `STINT_*` names in `text`.
fn stint_vars(text: &str) -> Vec<&str> {
    let mut names = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find("STINT_") {
        let tail = &rest[at..];
        let end = tail
            .find(|c: char| !(c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_'))
            .unwrap_or(tail.len());
        names.push(&tail[..end]);
        rest = &tail[end..];
    }
    names
}

#[test]
fn the_deployment_page_names_only_variables_serve_knows() {
    let help = serve_help();
    let names = stint_vars(DEPLOY_MD);
    assert!(names.contains(&"STINT_TRUST_PROXY"), "{names:?}");
    for name in names {
        assert!(
            NOT_IN_HELP.contains(&name) || help.contains(&format!("[env: {name}=")),
            "docs/deploy.md names {name}, which `stint serve --help` does not list:\n{help}"
        );
    }
    for option in [
        "--trust-proxy",
        "--header-timeout",
        "--blobs",
        "--max-connections",
    ] {
        assert!(
            DEPLOY_MD.contains(option),
            "docs/deploy.md explains {option}"
        );
        assert!(help.contains(&format!("{option} ")), "{option} in:\n{help}");
    }
}

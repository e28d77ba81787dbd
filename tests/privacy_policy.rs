//! The organization's privacy policy (issue 18): `stint org set
//! --never-capture` and `--screenshot-deletion`, checked before anything
//! is stored, and `GET /api/privacy/policy`, which every signed-in person's
//! tracker reads for its own organization only.

#[macro_use]
mod util;

use util::*;

const POLICY: &str = "/api/privacy/policy";

both!(
    the_policy_is_set_by_the_cli_and_read_by_each_organizations_people,
    |backend| async move {
        let server = Server::start(backend).await;
        let (omar, gina) = server.omar_and_gina().await;

        // Nothing set: everything is captured, and deleting takes the time.
        let (status, policy) = omar.get(POLICY).await;
        assert_eq!(status, 200, "{policy}");
        assert_eq!(policy["neverCapture"], "");
        assert_eq!(policy["screenshotDeletion"], "with-time");

        // Bad values are refused and change nothing.
        for bad in [
            &["--never-capture", "keepassxc, title:"][..],
            &["--screenshot-deletion", "sometimes"],
        ] {
            let args = [&["org", "set", "--name", "Default"][..], bad].concat();
            let (code, _, err) = server.admin(&args).await;
            assert_eq!(code, 2, "{bad:?}: {err}");
        }
        assert_eq!(omar.get(POLICY).await.1["neverCapture"], "");

        let out = server
            .ok(&[
                "org",
                "set",
                "--name",
                "Default",
                "--never-capture",
                " keepassxc, title:bank ",
                "--screenshot-deletion",
                "keep-time",
            ])
            .await;
        assert!(
            out.contains("never capture = keepassxc, title:bank, screenshot deletion = keep-time"),
            "{out}"
        );
        let (_, policy) = omar.get(POLICY).await;
        assert_eq!(policy["neverCapture"], "keepassxc, title:bank");
        assert_eq!(policy["screenshotDeletion"], "keep-time");
        // Another organization's people read their own.
        let (_, policy) = gina.get(POLICY).await;
        assert_eq!(policy["neverCapture"], "");
        assert_eq!(policy["screenshotDeletion"], "with-time");
        let out = server.ok(&["org", "list"]).await;
        assert!(out.contains("never_capture=keepassxc, title:bank"), "{out}");
        // Without a session: 401.
        let (status, _) = server.anon().get(POLICY).await;
        assert_eq!(status, 401);
    }
);

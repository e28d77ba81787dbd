//! The admin CLI (`stint org|user|project ...`) against a running server's
//! data, on both backends.

#[macro_use]
mod util;

use util::*;

both!(an_admin_sets_up_a_company, |backend| async move {
    let server = Server::start(backend).await;

    let out = server.ok(&["org", "add", "--name", "Globex"]).await;
    assert!(out.contains("created organization 'Globex'"), "{out}");

    let out = server
        .user(LENA, &["--role", "manager", "--timezone", "Europe/Berlin"])
        .await;
    assert!(out.contains("created manager"), "{out}");
    assert!(out.contains(LENA) && out.contains("'Default'"), "{out}");
    server.user(ADA, &["--role", "admin"]).await;
    let out = server.user(OMAR, &["--supervisor", LENA]).await;
    assert!(out.contains("created employee"), "{out}");
    let out = server
        .user(GUS, &["--role", "admin", "--org", "Globex"])
        .await;
    assert!(out.contains("in 'Globex'"), "{out}");

    let out = server
        .ok(&[
            "project", "add", "--name", "Website", "--assign", OMAR, "--assign", LENA,
        ])
        .await;
    assert!(out.contains("created project 'Website'"), "{out}");
    assert!(
        out.contains("assigned to omar@acme.test, lena@acme.test"),
        "{out}"
    );
    server.project("Backoffice", &[]).await;
    server.project("Globex HQ", &["--org", "Globex"]).await;

    let out = server
        .ok(&[
            "org",
            "set",
            "--name",
            "Default",
            "--all-projects-available",
            "false",
        ])
        .await;
    assert!(out.contains("all projects available = false"), "{out}");

    let users = server.ok(&["user", "list"]).await;
    let lines: Vec<&str> = users.lines().collect();
    assert_eq!(lines.len(), 3, "{users}");
    let line = |email: &str| {
        *lines
            .iter()
            .find(|l| l.contains(email))
            .unwrap_or_else(|| panic!("{email} missing from {users}"))
    };
    assert!(line(LENA).contains("\tmanager\tEurope/Berlin\tsupervisor=-"));
    assert!(line(ADA).contains("\tadmin\tUTC\t"));
    assert!(line(OMAR).contains("\temployee\tUTC\tsupervisor=lena@acme.test"));
    let globex = server.ok(&["user", "list", "--org", "Globex"]).await;
    assert_eq!(globex.lines().count(), 1, "{globex}");
    assert!(globex.contains(GUS));

    let projects = server.ok(&["project", "list"]).await;
    assert_eq!(projects.lines().count(), 2, "{projects}");
    assert!(projects.contains("Website") && projects.contains("Backoffice"));
    assert!(!projects.contains("Globex HQ"));
    let orgs = server.ok(&["org", "list"]).await;
    assert!(
        orgs.contains("Default\tall_projects_available=false"),
        "{orgs}"
    );
    assert!(
        orgs.contains("Globex\tall_projects_available=true"),
        "{orgs}"
    );

    // The people the CLI made can sign in to the running server.
    let omar = server.login(OMAR, PASSWORD).await;
    assert_eq!(omar.user["email"], OMAR);
    assert_eq!(omar.user["employee"]["organization"]["name"], "Default");
});

/// Runs a bad command: exit code 2, a message naming the problem, and the
/// user list unchanged.
async fn refused(server: &Server, args: &[&str], says: &str) {
    let before = server.ok(&["user", "list"]).await;
    let (code, out, err) = server.admin(args).await;
    assert_eq!(code, 2, "stint {args:?}: stdout {out} stderr {err}");
    assert!(
        err.to_lowercase().contains(&says.to_lowercase()),
        "stint {args:?}: expected '{says}' in: {err}"
    );
    assert_eq!(server.ok(&["user", "list"]).await, before, "{args:?}");
}

both!(
    bad_arguments_exit_2_and_write_nothing,
    |backend| async move {
        let server = Server::start(backend).await;
        server.user(OMAR, &[]).await;
        let add = |email: &'static str, extra: &'static [&'static str]| {
            let mut v = vec![
                "user",
                "add",
                "--email",
                email,
                "--name",
                "Someone",
                "--password",
                PASSWORD,
            ];
            v.extend_from_slice(extra);
            v
        };

        refused(&server, &add("not-an-email", &[]), "e-mail").await;
        refused(
            &server,
            &add("kim@acme.test", &["--org", "Nowhere"]),
            "Nowhere",
        )
        .await;
        refused(
            &server,
            &add("kim@acme.test", &["--timezone", "Mars/Olympus"]),
            "Mars/Olympus",
        )
        .await;
        refused(&server, &add(OMAR, &[]), "omar@acme.test").await;
        refused(
            &server,
            &add("kim@acme.test", &["--supervisor", "ghost@acme.test"]),
            "ghost@acme.test",
        )
        .await;
        refused(
            &server,
            &add("kim@acme.test", &["--role", "overlord"]),
            "overlord",
        )
        .await;
        refused(
            &server,
            &[
                "user",
                "add",
                "--email",
                "kim@acme.test",
                "--name",
                "Kim",
                "--password",
                "short",
            ],
            "password",
        )
        .await;

        // A project with one unknown assignee is not created at all.
        let before = server.ok(&["project", "list"]).await;
        let (code, _, err) = server
            .admin(&[
                "project",
                "add",
                "--name",
                "Website",
                "--assign",
                OMAR,
                "--assign",
                "ghost@acme.test",
            ])
            .await;
        assert_eq!(code, 2, "{err}");
        assert!(err.contains("ghost@acme.test"), "{err}");
        assert_eq!(server.ok(&["project", "list"]).await, before);

        let (code, _, err) = server
            .admin(&[
                "org",
                "set",
                "--name",
                "Nowhere",
                "--all-projects-available",
                "false",
            ])
            .await;
        assert_eq!(code, 2, "{err}");
        assert!(err.contains("Nowhere"), "{err}");

        // A duplicate organization name is refused too.
        let (code, _, err) = server.admin(&["org", "add", "--name", "Default"]).await;
        assert_eq!(code, 2, "{err}");
        assert_eq!(server.ok(&["org", "list"]).await.lines().count(), 1);
    }
);

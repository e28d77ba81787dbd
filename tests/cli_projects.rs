//! `stint project add|rename|archive|list`, `stint task add|list` and
//! `stint org set --members-create-projects` on a server's data, seen
//! through the API the clients use.

#[macro_use]
mod util;

use util::*;

both!(
    an_admin_keeps_projects_and_tasks_from_the_shell,
    |backend| async move {
        let server = Server::start(backend).await;
        server.user(OMAR, &[]).await;
        server.user(JANE, &[]).await;
        server.project("Website", &[]).await;
        server.project("Intranet", &[]).await;
        // Settings first: a server may take a few seconds to see an
        // organization's settings change (it keeps callers briefly).
        let out = server
            .ok(&[
                "org",
                "set",
                "--name",
                "Default",
                "--members-create-projects",
                "true",
            ])
            .await;
        assert!(out.contains("members create projects = true"), "{out}");
        let orgs = server.ok(&["org", "list"]).await;
        assert!(orgs.contains("members_create_projects=true"), "{orgs}");

        let out = server
            .ok(&["project", "rename", "--name", "Website", "--to", "Web site"])
            .await;
        assert!(
            out.contains("renamed project 'Website' to 'Web site'"),
            "{out}"
        );
        let out = server
            .ok(&[
                "task",
                "add",
                "--project",
                "Web site",
                "--title",
                "Landing page",
                "--assign",
                OMAR,
                "--estimate",
                "90m",
            ])
            .await;
        assert!(
            out.contains("created task 'Landing page' in project 'Web site'"),
            "{out}"
        );
        server
            .ok(&["task", "add", "--project", "Intranet", "--title", "Wiki"])
            .await;

        let tasks = server.ok(&["task", "list"]).await;
        assert_eq!(tasks.lines().count(), 2, "{tasks}");
        assert!(
            tasks.contains("Web site\tLanding page\topen\t5400s"),
            "{tasks}"
        );
        let tasks = server.ok(&["task", "list", "--project", "Intranet"]).await;
        assert_eq!(tasks.lines().count(), 1, "{tasks}");
        assert!(tasks.contains("Wiki"), "{tasks}");

        // The clients see the same tasks.
        let omar = server.login(OMAR, PASSWORD).await;
        let (status, mine) = omar
            .get(&format!("/api/tasks/employee/{}", omar.employee_id()))
            .await;
        assert_eq!(status, 200, "{mine}");
        let titles: Vec<&str> = mine
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["title"].as_str().unwrap())
            .collect();
        assert_eq!(titles, ["Landing page", "Wiki"]);
        assert_eq!(mine[0]["estimate"], 5400);

        let out = server
            .ok(&["project", "archive", "--name", "Intranet"])
            .await;
        assert!(out.contains("archived project 'Intranet'"), "{out}");
        let list = server.ok(&["project", "list"]).await;
        assert!(
            list.lines().any(|l| l.ends_with("\tIntranet\tarchived")),
            "{list}"
        );
        assert!(list.lines().any(|l| l.ends_with("\tWeb site")), "{list}");
        let (_, projects) = omar.get("/api/organization-projects").await;
        assert_eq!(projects["total"], 1, "{projects}");

        // Refused, exit 2: an archived or unknown project, a name taken.
        for (args, says) in [
            (
                vec!["task", "add", "--project", "Intranet", "--title", "Late"],
                "archived",
            ),
            (
                vec!["task", "add", "--project", "Nowhere", "--title", "x"],
                "Nowhere",
            ),
            (
                vec!["task", "add", "--project", "Web site", "--title", "  "],
                "title",
            ),
            (
                vec![
                    "task",
                    "add",
                    "--project",
                    "Web site",
                    "--title",
                    "x",
                    "--assign",
                    "ghost@acme.test",
                ],
                "ghost@acme.test",
            ),
            (
                vec![
                    "project", "rename", "--name", "Web site", "--to", "Intranet",
                ],
                "Intranet",
            ),
            (vec!["project", "archive", "--name", "Nowhere"], "Nowhere"),
        ] {
            let (code, out, err) = server.admin(&args).await;
            assert_eq!(code, 2, "stint {args:?}: {out} {err}");
            assert!(
                err.contains(says),
                "stint {args:?}: expected '{says}' in {err}"
            );
        }
        assert_eq!(server.ok(&["task", "list"]).await.lines().count(), 2);

        // Employees create projects: set before any request (above).
        let (status, body) = omar
            .post("/api/organization-projects", json!({ "name": "Mine" }))
            .await;
        assert_eq!(status, 201, "{body}");
    }
);

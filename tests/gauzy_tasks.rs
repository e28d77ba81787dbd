//! `/api/tasks`: tasks in projects, made and changed by managers and admins,
//! offered to employees by the desktop timer's picker
//! (`/api/tasks/employee/{id}`, `where[projectId]`), and a time log's task
//! checked like its project: of the caller's organization, and on the
//! log's own project.

#[macro_use]
mod util;

use serde_json::Value;
use util::*;

const PROJECTS: &str = "/api/organization-projects";
const TASKS: &str = "/api/tasks";
const START: &str = "/api/timesheet/timer/start";
const LOGS: &str = "/api/timesheet/time-log";

fn titles(v: &Value) -> Vec<String> {
    let list = v["items"]
        .as_array()
        .or_else(|| v.as_array())
        .expect("a list");
    list.iter()
        .map(|t| t["title"].as_str().expect("title").to_string())
        .collect()
}

async fn project(who: &Session, name: &str) -> String {
    let (status, p) = who.post(PROJECTS, json!({ "name": name })).await;
    assert_eq!(status, 201, "{p}");
    p["id"].as_str().unwrap().to_string()
}

async fn task(who: &Session, body: Value) -> Value {
    let (status, t) = who.post(TASKS, body).await;
    assert_eq!(status, 202, "{t}");
    t
}

both!(
    managers_make_tasks_and_employees_pick_theirs,
    |backend| async move {
        let server = Server::start(backend).await;
        let t = server.team().await;
        let web = project(&t.lena, "Website").await;
        let app = project(&t.lena, "App").await;

        // Exactly what the Gauzy desktop timer sends for "add task".
        let landing = task(
            &t.lena,
            json!({
                "title": "Landing page", "organizationId": t.lena.org_id(), "tenantId": t.lena.org_id(),
                "taskStatus": null, "status": "in-progress", "dueDate": "2024-03-06T10:00:00.000Z",
                "estimate": 3600, "members": [{ "id": t.omar.employee_id(), "fullName": "Omar Acme" }],
                "projectId": web,
            }),
        )
        .await;
        assert_eq!(landing["status"], "in-progress");
        assert_eq!(landing["estimate"], 3600);
        assert_eq!(landing["projectId"], web.as_str());
        assert_eq!(landing["project"]["name"], "Website");
        assert_eq!(landing["members"][0]["id"], t.omar.employee_id());
        assert_eq!(landing["members"][0]["fullName"], "Omar Acme");
        assert!(landing["number"].as_i64().unwrap() > 0);
        let open = task(
            &t.ada,
            json!({ "title": "Open to anyone", "projectId": web }),
        )
        .await;
        assert_eq!(open["status"], "open", "the default status");
        assert!(open["estimate"].is_null());
        task(
            &t.ada,
            json!({ "title": "Jane's", "projectId": app, "memberIds": [t.jane.id()] }),
        )
        .await;

        // The desktop timer's picker: Omar's and nobody's, filtered by project.
        let picker = format!("{TASKS}/employee/{}", t.omar.employee_id());
        let (status, mine) = t.omar.get(&picker).await;
        assert_eq!(status, 200, "{mine}");
        assert_eq!(titles(&mine), ["Landing page", "Open to anyone"]);
        let q = format!(
            "{picker}?where%5BorganizationId%5D={org}&where%5BtenantId%5D={org}&where%5BprojectId%5D={app}&relations%5B0%5D=project",
            org = t.omar.org_id()
        );
        let (status, none) = t.omar.get(&q).await;
        assert_eq!(status, 200, "{none}");
        assert!(titles(&none).is_empty(), "{none}");
        let (status, _) = t.jane.get(&picker).await;
        assert_eq!(status, 403, "a colleague's picker");
        let (status, _) = t.lena.get(&picker).await;
        assert_eq!(status, 200, "the supervisor's");
        let (status, _) = t.gus.get(&picker).await;
        assert_eq!(status, 404, "another organization's employee");

        // The web app's list, by project.
        let (status, page) = t.omar.get(&format!("{TASKS}?where[projectId]={app}")).await;
        assert_eq!(status, 200, "{page}");
        assert_eq!(titles(&page), ["Jane's"]);
        assert_eq!(page["total"], 1);
        let (_, all) = t.omar.get(TASKS).await;
        assert_eq!(all["total"], 3);
        let (_, theirs) = t.gus.get(TASKS).await;
        assert_eq!(theirs["total"], 0, "{theirs}");

        // Changes: title, project, status, estimate, assignees.
        let one = format!("{TASKS}/{}", landing["id"].as_str().unwrap());
        let (status, changed) = t
            .max
            .put(&one, json!({ "title": "Store page", "projectId": app, "status": "Done", "estimate": null, "members": [{ "id": t.jane.id() }] }))
            .await;
        assert_eq!(status, 202, "{changed}");
        assert_eq!(changed["title"], "Store page");
        assert_eq!(changed["projectId"], app.as_str());
        assert_eq!(changed["status"], "done");
        assert!(changed["estimate"].is_null(), "{changed}");
        assert_eq!(changed["members"][0]["id"], t.jane.id());
        assert_eq!(changed["id"], landing["id"]);
        let (_, mine) = t.omar.get(&picker).await;
        assert_eq!(titles(&mine), ["Open to anyone"]);

        // Who may, and what is refused.
        let (status, body) = t.omar.put(&one, json!({ "title": "Mine" })).await;
        assert_eq!(status, 403, "{body}");
        let (status, _) = t
            .omar
            .post(TASKS, json!({ "title": "Mine", "projectId": web }))
            .await;
        assert_eq!(status, 403);
        let (status, _) = t.gus.put(&one, json!({ "title": "Stolen" })).await;
        assert_eq!(status, 404);
        let globex = project(&t.gus, "Globex site").await;
        let (status, _) = t
            .ada
            .post(TASKS, json!({ "title": "x", "projectId": globex }))
            .await;
        assert_eq!(status, 404, "another organization's project");
        let (status, _) = t.ada.put(&one, json!({ "projectId": globex })).await;
        assert_eq!(status, 404);
        let (status, _) = t
            .ada
            .put(&one, json!({ "members": [{ "id": t.gina.id() }] }))
            .await;
        assert_eq!(status, 404, "another organization's person");
        for bad in [
            json!({ "title": "x" }),
            json!({ "projectId": web }),
            json!({ "title": "x", "projectId": web, "status": "someday" }),
            json!({ "title": "x", "projectId": web, "estimate": -5 }),
            json!({ "title": "x", "projectId": web, "estimate": "1h" }),
            json!({ "title": "x", "projectId": "nope" }),
            json!({ "title": "x", "projectId": web, "members": [{ "id": "nope" }] }),
        ] {
            let (status, body) = t.ada.post(TASKS, bad.clone()).await;
            assert_eq!(status, 400, "{bad}: {body}");
            assert!(body["message"].is_string(), "{body}");
        }

        // An archived project takes no new tasks, and its tasks leave the pickers.
        let (status, _) = t.ada.delete(&format!("{PROJECTS}/{web}")).await;
        assert_eq!(status, 204);
        let (status, body) = t
            .ada
            .post(TASKS, json!({ "title": "Late", "projectId": web }))
            .await;
        assert_eq!(status, 409, "{body}");
        assert!(
            body["message"]
                .as_str()
                .unwrap()
                .contains("'Website' is archived"),
            "{body}"
        );
        let (status, _) = t.ada.put(&one, json!({ "projectId": web })).await;
        assert_eq!(status, 409);
        let (_, mine) = t.omar.get(&picker).await;
        assert!(titles(&mine).is_empty(), "{mine}");
    }
);

both!(
    a_tasks_project_must_be_the_logs_project,
    |backend| async move {
        let server = Server::start(backend).await;
        let t = server.team().await;
        let web = project(&t.ada, "Website").await;
        let app = project(&t.ada, "App").await;
        let copy = task(&t.ada, json!({ "title": "Copy", "projectId": web })).await;
        let copy_id = copy["id"].as_str().unwrap().to_string();
        let globex = project(&t.gus, "Globex site").await;
        let foreign = task(&t.gus, json!({ "title": "Theirs", "projectId": globex })).await;

        let (status, body) = t
            .omar
            .post(START, json!({ "projectId": app, "taskId": copy_id }))
            .await;
        assert_eq!(status, 409, "{body}");
        let msg = body["message"].as_str().unwrap();
        assert!(
            msg.contains("'Copy'") && msg.contains("'Website'") && msg.contains("'App'"),
            "{msg}"
        );
        let (status, body) = t.omar.post(START, json!({ "taskId": copy_id })).await;
        assert_eq!(status, 409, "{body}");
        assert!(
            body["message"].as_str().unwrap().contains("has no project"),
            "{body}"
        );
        let (status, _) = t
            .omar
            .post(START, json!({ "projectId": web, "taskId": foreign["id"] }))
            .await;
        assert_eq!(status, 404, "another organization's task");
        let unknown = uuid::Uuid::now_v7().to_string();
        let (status, body) = t
            .omar
            .post(START, json!({ "projectId": web, "taskId": unknown }))
            .await;
        assert_eq!(status, 404, "{body}");
        assert!(body["message"].as_str().unwrap().contains("task"), "{body}");

        // On its own project it is fine, and stays checked on every change.
        let day = "2024-03-05";
        let (status, log) = t
            .omar
            .post(LOGS, json!({ "projectId": web, "taskId": copy_id, "startedAt": format!("{day}T09:00:00.000Z"), "stoppedAt": format!("{day}T10:00:00.000Z") }))
            .await;
        assert_eq!(status, 201, "{log}");
        assert_eq!(log["taskId"], copy_id.as_str());
        let one = format!("{LOGS}/{}", log["id"].as_str().unwrap());
        let (status, body) = t.omar.put(&one, json!({ "projectId": app })).await;
        assert_eq!(
            status, 409,
            "moving the log away from its task's project: {body}"
        );
        let icons = task(&t.ada, json!({ "title": "Icons", "projectId": app })).await;
        let (status, moved) = t
            .omar
            .put(&one, json!({ "projectId": app, "taskId": icons["id"] }))
            .await;
        assert_eq!(status, 200, "{moved}");
        assert_eq!(moved["taskId"], icons["id"]);
        let (status, body) = t.omar.put(&one, json!({ "taskId": copy_id })).await;
        assert_eq!(status, 409, "{body}");

        // A sync batch decides each log alone.
        let log_of = |hour: u32, project: &str, task: &str| {
            json!({
                "id": uuid::Uuid::now_v7().to_string(), "projectId": project, "taskId": task,
                "startedAt": format!("{day}T{hour:02}:00:00.000Z"), "stoppedAt": format!("{day}T{hour:02}:30:00.000Z"),
                "logType": "TRACKED", "source": "DESKTOP", "version": 1,
            })
        };
        let batch = json!({ "timeLogs": [log_of(12, &web, &copy_id), log_of(13, &app, &copy_id), log_of(14, &web, &copy_id)] });
        let (status, body) = t.omar.post(&format!("{LOGS}/sync"), batch).await;
        assert_eq!(status, 200, "{body}");
        let outcomes: Vec<(String, Value)> = body["timeLogs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| {
                (
                    o["status"].as_str().unwrap().to_string(),
                    o["statusCode"].clone(),
                )
            })
            .collect();
        assert_eq!(outcomes[0].0, "created");
        assert_eq!(outcomes[1], ("failed".to_string(), json!(409)), "{body}");
        assert_eq!(outcomes[2].0, "created");
    }
);

both!(
    a_task_made_offline_and_sent_twice_is_made_once,
    |backend| async move {
        let server = Server::start(backend).await;
        let t = server.team().await;
        let web = project(&t.lena, "Website").await;
        let id = uuid::Uuid::now_v7().to_string();
        let made = json!({ "id": id, "title": "On the train", "projectId": web });
        let first = task(&t.lena, made.clone()).await;
        let again = task(&t.lena, made.clone()).await;
        assert_eq!(again["id"], first["id"]);
        assert_eq!(again["number"], first["number"]);
        let (_, all) = t.lena.get(TASKS).await;
        assert_eq!(all["total"], 1);
        let (status, body) = t
            .max
            .post(
                TASKS,
                json!({ "id": id, "title": "Mine", "projectId": web }),
            )
            .await;
        assert_eq!(status, 409, "{body}");
        assert!(!body.to_string().contains("On the train"), "{body}");
    }
);

//! The Ever Gauzy desktop timer's own request sequence, replayed in order
//! with the shapes its source sends: headers, nulls, app-version strings,
//! bracketed query arrays, multipart screenshots.

#[macro_use]
mod util;

use reqwest::{Method, StatusCode};
use serde_json::Value;
use util::*;

/// The desktop's HTTP habits: bearer token plus `Tenant-Id` on everything.
struct Desktop {
    api: Api,
    tenant: String,
}

impl Desktop {
    fn req(&self, method: Method, path: &str) -> reqwest::RequestBuilder {
        self.api
            .request(method, path)
            .header("Tenant-Id", self.tenant.as_str())
    }
    async fn get(&self, path: &str) -> (StatusCode, Value) {
        self.api.send(self.req(Method::GET, path)).await
    }
    async fn post(&self, path: &str, body: Value) -> (StatusCode, Value) {
        self.api
            .send(self.req(Method::POST, path).json(&body))
            .await
    }
    async fn delete(&self, path: &str) -> (StatusCode, Value) {
        self.api.send(self.req(Method::DELETE, path)).await
    }
}

/// `YYYY-MM-DD HH:mm:ss`, as the desktop spells `todayStart`/`todayEnd`.
fn plain(t: chrono::DateTime<chrono::Utc>) -> String {
    t.format("%Y-%m-%d %H:%M:%S").to_string()
}

both!(
    the_gauzy_desktop_timer_works_unchanged,
    |backend| async move {
        let server = Server::start(backend).await;
        server.user(OMAR, &["--timezone", "Europe/Berlin"]).await;
        let anon = server.anon();
        let creds = json!({ "email": OMAR, "password": PASSWORD });

        // 1. Sign in: the workspace probe, then login.
        let (status, probe) = anon
            .post("/api/auth/signin.email.password", creds.clone())
            .await;
        assert_eq!(status, 200, "{probe}");
        assert_eq!(probe["total_workspaces"], 1);
        let (status, login) = anon.post("/api/auth/login", creds).await;
        assert_eq!(status, 200, "{login}");
        let user = login["user"].clone();
        let org = user["employee"]["organizationId"]
            .as_str()
            .unwrap()
            .to_string();
        let tenant = user["tenantId"].as_str().unwrap().to_string();
        let employee = user["employee"]["id"].as_str().unwrap().to_string();
        let token = login["token"].as_str().unwrap().to_string();
        let refresh = login["refresh_token"].as_str().unwrap().to_string();
        let desk = Desktop {
            api: anon.with_token(Some(&token)),
            tenant: tenant.clone(),
        };

        let (status, me) = desk
        .get("/api/user/me?relations[0]=tenant&relations[1]=employee&relations[2]=employee.organization&relations[3]=role")
        .await;
        assert_eq!(status, 200, "{me}");
        assert_eq!(me["employee"]["id"], employee.as_str());

        // 2. Timer status for today, nothing running yet.
        let now = now_plus(0);
        let midnight = now.date_naive().and_hms_opt(0, 0, 0).unwrap().and_utc();
        let status_path = format!(
            "/api/timesheet/timer/status?source=DESKTOP&tenantId={tenant}&organizationId={org}\
         &relations=employee&relations=employee.user&todayStart={}&todayEnd={}",
            plain(midnight).replace(' ', "%20"),
            plain(midnight + chrono::Duration::seconds(86_399)).replace(' ', "%20"),
        );
        let (status, s) = desk.get(&status_path).await;
        assert_eq!(status, 200, "{s}");
        assert_eq!(s["running"], false);
        assert_eq!(s["duration"], 0);
        assert!(s["lastLog"].is_null());

        // 3. Start, with every field the desktop sends, ids null.
        let started = now_plus(-900);
        let (status, log) = desk
            .post(
                "/api/timesheet/timer/start",
                json!({
                    "description": "", "isBillable": true, "logType": "TRACKED",
                    "projectId": null, "taskId": null, "source": "DESKTOP",
                    "organizationId": org, "tenantId": tenant,
                    "organizationContactId": null, "organizationTeamId": null,
                    "isRunning": true, "version": "1.0.1",
                    "startedAt": iso(started), "manualTimeSlot": null,
                }),
            )
            .await;
        assert_eq!(status, 201, "{log}");
        let log_id = log["id"].as_str().unwrap().to_string();
        assert_eq!(log["isRunning"], true);
        assert!(log["timesheetId"].is_string());
        assert!(log["duration"].is_i64());
        assert_eq!(log["startedAt"], iso(started).as_str());

        // 4. The first slot, with the activities the desktop collected.
        let (status, slot) = desk
        .post(
            "/api/timesheet/time-slot",
            json!({
                "employeeId": employee, "projectId": null, "duration": 300,
                "keyboard": 30, "mouse": 70, "overall": 55,
                "startedAt": iso(started),
                "activities": [
                    { "title": "Visual Studio Code", "date": started.format("%Y-%m-%d").to_string(),
                      "time": started.format("%H:%M:%S").to_string(), "duration": 240, "type": "APP",
                      "taskId": null, "projectId": null, "organizationContactId": null,
                      "organizationId": org, "employeeId": employee, "source": "DESKTOP" },
                    { "title": "https://github.com", "date": started.format("%Y-%m-%d").to_string(),
                      "time": started.format("%H:%M:%S").to_string(), "duration": 0, "type": "URL",
                      "organizationId": org, "employeeId": employee,
                      "metaData": "{\"type\":\"browser\"}" },
                ],
                "timeLogId": log_id, "organizationId": org, "tenantId": tenant,
                "organizationContactId": null,
                "recordedAt": iso(started), "version": "1.0.1",
            }),
        )
        .await;
        assert_eq!(status, 201, "{slot}");
        let slot_id = slot["id"].as_str().unwrap().to_string();
        assert_eq!(slot["timeLogs"][0]["id"], log_id.as_str());
        let (status, got) = desk
        .get(&format!(
            "/api/timesheet/time-slot/{slot_id}?relations[]=screenshots&relations[]=activities&relations[]=employee"
        ))
        .await;
        assert_eq!(status, 200, "{got}");

        // 5. Screenshots: one with only `file`, one as the desktop's form sends it.
        let only_file = reqwest::multipart::Form::new().part(
            "file",
            reqwest::multipart::Part::bytes(png(640, 400))
                .file_name("screenshot.png")
                .mime_str("image/png")
                .unwrap(),
        );
        let (status, shot) = desk
            .api
            .send(
                desk.req(Method::POST, "/api/timesheet/screenshot")
                    .multipart(only_file),
            )
            .await;
        assert_eq!(status, 201, "{shot}");
        assert!(shot["thumb"].is_string());
        let form = reqwest::multipart::Form::new()
            .part(
                "file",
                reqwest::multipart::Part::bytes(png(640, 400))
                    .file_name("screenshot-2.png")
                    .mime_str("image/png")
                    .unwrap(),
            )
            .text("timeSlotId", slot_id.clone())
            .text("tenantId", tenant.clone())
            .text("organizationId", org.clone())
            .text("recordedAt", iso(started + chrono::Duration::seconds(30)));
        let (status, shot) = desk
            .api
            .send(
                desk.req(Method::POST, "/api/timesheet/screenshot")
                    .multipart(form),
            )
            .await;
        assert_eq!(status, 201, "{shot}");
        assert_eq!(shot["timeSlotId"], slot_id.as_str());
        let (status, got) = desk
            .get(&format!("/api/timesheet/time-slot/{slot_id}"))
            .await;
        assert_eq!(status, 200);
        assert_eq!(got["screenshots"].as_array().unwrap().len(), 1, "{got}");

        // 6. Idle for the last five minutes: stop in the past.
        let stopped = started + chrono::Duration::seconds(600);
        let (status, log) = desk
            .post(
                "/api/timesheet/timer/stop",
                json!({
                    "description": "", "isBillable": true, "logType": "TRACKED",
                    "projectId": null, "taskId": null, "source": "DESKTOP",
                    "manualTimeSlot": true, "organizationId": org, "tenantId": tenant,
                    "organizationContactId": null, "isRunning": false,
                    "stoppedAt": iso(stopped),
                }),
            )
            .await;
        assert_eq!(status, 201, "{log}");
        assert_eq!(log["id"], log_id.as_str());
        assert_eq!(log["isRunning"], false);
        assert_eq!(log["duration"], 600);

        // 7. The user deletes the slot with the idle screenshot.
        let (status, body) = desk
            .delete(&format!(
                "/api/timesheet/time-slot?ids[0]={slot_id}&tenantId={tenant}"
            ))
            .await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body, json!(true));
        assert_eq!(
            desk.get(&format!("/api/timesheet/time-slot/{slot_id}"))
                .await
                .0,
            404
        );

        // 8. The offline queue catches up with a log made while offline.
        let (a, b) = (now_plus(-7200), now_plus(-3600));
        let (status, offline) = desk
            .post(
                "/api/timesheet/time-log",
                json!({
                    "startedAt": iso(a), "stoppedAt": iso(b), "logType": "TRACKED",
                    "source": "DESKTOP", "employeeId": employee, "organizationId": org,
                    "tenantId": tenant, "projectId": null, "taskId": null,
                    "description": "offline", "isBillable": true, "version": "1.0.1",
                    "isRunning": false, "organizationContactId": null,
                }),
            )
            .await;
        assert_eq!(status, 201, "{offline}");
        assert_eq!(offline["duration"], 3600);
        assert_eq!(offline["source"], "DESKTOP");

        let (status, counts) = desk
        .get(&format!(
            "/api/timesheet/statistics/counts?tenantId={tenant}&organizationId={org}&employeeIds[0]={employee}"
        ))
        .await;
        assert_eq!(status, 200, "{counts}");
        assert!(counts["weeklyDuration"].as_i64().unwrap() > 0, "{counts}");
        let (status, s) = desk.get(&status_path).await;
        assert_eq!(status, 200);
        assert_eq!(s["running"], false);
        assert!(s["lastLog"].is_object());

        // 9. Refresh, then sign out.
        let (status, fresh) = anon
            .post(
                "/api/auth/refresh-token",
                json!({ "refresh_token": refresh }),
            )
            .await;
        assert_eq!(status, 200, "{fresh}");
        let new_token = fresh["token"].as_str().unwrap().to_string();
        let new_refresh = fresh["refresh_token"].as_str().unwrap().to_string();
        let desk = Desktop {
            api: anon.with_token(Some(&new_token)),
            tenant,
        };
        assert_eq!(desk.get(&status_path).await.0, 200);
        let (status, body) = desk
            .post("/api/auth/logout", json!({ "refresh_token": new_refresh }))
            .await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(desk.get(&status_path).await.0, 401);
    }
);

both!(
    the_desktop_s_undefined_fields_mean_absent,
    |backend| async move {
        // JavaScript's FormData and HttpParams spell a missing value as the
        // string "undefined"; it means "none", never a 400 or a 403.
        let server = Server::start(backend).await;
        server.user(OMAR, &[]).await;
        let omar = server.login(OMAR, PASSWORD).await;
        let form = reqwest::multipart::Form::new()
            .part(
                "file",
                reqwest::multipart::Part::bytes(png(64, 40))
                    .file_name("s.png")
                    .mime_str("image/png")
                    .unwrap(),
            )
            .text("timeSlotId", "undefined")
            .text("organizationId", omar.org_id())
            .text("tenantId", omar.org_id());
        let (status, shot) = omar
            .send(
                omar.request(Method::POST, "/api/timesheet/screenshot")
                    .multipart(form),
            )
            .await;
        assert_eq!(status, 201, "{shot}");
        let (status, log) = omar
        .post(
            "/api/timesheet/time-log",
            json!({ "startedAt": "2024-01-15T09:00:00.000Z", "stoppedAt": "2024-01-15T10:00:00.000Z",
                    "projectId": "undefined", "taskId": "undefined" }),
        )
        .await;
        assert_eq!(status, 201, "{log}");
        assert!(log["projectId"].is_null());
        // The desktop's "invalid time logs" query ends in a slash.
        let (status, page) = omar
        .get(&format!(
            "/api/timesheet/time-log/?tenantId={0}&organizationId={0}&employeeId={1}&source=DESKTOP",
            omar.org_id(),
            omar.employee_id()
        ))
        .await;
        assert_eq!(status, 200, "{page}");
        assert_eq!(ids(&page).len(), 1);
    }
);

both!(
    the_desktop_s_project_picker_and_clean_up,
    |backend| async move {
        let server = Server::start(backend).await;
        let t = server.team().await;
        server.project("Website", &["--assign", OMAR]).await;
        server.project("Intranet", &[]).await;
        server
            .ok(&[
                "org",
                "set",
                "--name",
                "Default",
                "--all-projects-available",
                "false",
            ])
            .await;
        let picker = format!(
            "/api/organization-projects/employee/{}",
            t.omar.employee_id()
        );
        for who in [&t.omar, &t.lena, &t.ada] {
            let (status, list) = who.get(&picker).await;
            assert_eq!(status, 200, "{list}");
            let names: Vec<&str> = list
                .as_array()
                .expect("a plain array")
                .iter()
                .map(|p| p["name"].as_str().unwrap())
                .collect();
            assert_eq!(names, ["Website"]);
        }
        assert_eq!(t.jane.get(&picker).await.0, 403);
        assert_eq!(t.gus.get(&picker).await.0, 404);
        assert_eq!(
            t.omar.get("/api/organization-projects/employee/me").await.0,
            400
        );

        // Deleting invalid logs in one request: all of them or none.
        let mut mine = Vec::new();
        for (who, hour) in [(&t.omar, "09"), (&t.omar, "11"), (&t.jane, "09")] {
            let (status, log) = who
                .post(
                    "/api/timesheet/time-log",
                    json!({ "startedAt": format!("2024-01-15T{hour}:00:00Z"),
                        "stoppedAt": format!("2024-01-15T{hour}:30:00Z") }),
                )
                .await;
            assert_eq!(status, 201, "{log}");
            mine.push(log["id"].as_str().unwrap().to_string());
        }
        let path = |ids: &[&String]| {
            let q: Vec<String> = ids
                .iter()
                .enumerate()
                .map(|(i, id)| format!("logIds[{i}]={id}"))
                .collect();
            format!("/api/timesheet/time-log?{}", q.join("&"))
        };
        let (status, body) = t.omar.delete(&path(&[&mine[0], &mine[2]])).await;
        assert_eq!(status, 403, "{body}");
        assert_eq!(
            t.omar
                .get(&format!("/api/timesheet/time-log/{}", mine[0]))
                .await
                .0,
            200
        );
        assert_eq!(t.omar.delete("/api/timesheet/time-log").await.0, 400);
        let (status, body) = t.omar.delete(&path(&[&mine[0], &mine[1]])).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["affected"], 2);
        let (_, page) = t.omar.get("/api/timesheet/time-log").await;
        assert!(ids(&page).is_empty(), "{page}");
        assert_eq!(
            t.jane
                .get(&format!("/api/timesheet/time-log/{}", mine[2]))
                .await
                .0,
            200
        );
    }
);

both!(
    the_desktop_s_new_project_task_picker_and_new_task,
    |backend| async move {
        // The desktop timer's project and task calls, in its order and with
        // its shapes (desktop-ui-lib: project-selector, task-selector,
        // time-tracker.service): an employee of an organization that lets
        // its members create projects adds one, adds a task under it, and
        // starts on both.
        let server = Server::start(backend).await;
        let t = server.team().await;
        server.members_create_projects().await;
        let org = t.omar.org_id();
        let employee = t.omar.employee_id();
        let desk = Desktop {
            api: t.omar.api.clone(),
            tenant: org.clone(),
        };

        // getProjects: the picker, empty at first.
        let projects = format!(
            "/api/organization-projects/employee/{employee}?organizationId={org}&employeeId={employee}&tenantId={org}"
        );
        let (status, list) = desk.get(&projects).await;
        assert_eq!(status, 200, "{list}");
        assert_eq!(list, json!([]));

        // addProject: "New project" in the picker.
        let (status, project) = desk
            .post(
                "/api/organization-projects",
                json!({ "name": "Website", "organizationId": org, "tenantId": org,
                        "owner": "CLIENT", "memberIds": [employee] }),
            )
            .await;
        assert_eq!(status, 201, "{project}");
        let project_id = project["id"].as_str().unwrap().to_string();
        let (_, list) = desk.get(&projects).await;
        assert_eq!(list[0]["id"], project_id.as_str(), "{list}");

        // getTasks: the task picker for the chosen project, with the
        // TypeORM-style where/relations/join parameters toParams makes.
        let tasks = format!(
            "/api/tasks/employee/{employee}?where[organizationId]={org}&where[tenantId]={org}\
             &where[projectId]={project_id}&relations[0]=project&relations[1]=tags&relations[2]=teams\
             &relations[3]=teams.members&relations[4]=teams.members.employee\
             &relations[5]=teams.members.employee.user&relations[6]=organizationSprint\
             &relations[7]=taskStatus&relations[8]=taskSize&relations[9]=taskPriority\
             &join[alias]=task&join[leftJoinAndSelect][members]=task.members\
             &join[leftJoinAndSelect][user]=members.user"
        );
        let (status, list) = desk.get(&tasks).await;
        assert_eq!(status, 200, "{list}");
        assert_eq!(list, json!([]));

        // saveNewTask: "New task", assigned to the employee, in progress.
        let due = now_plus(86_400);
        let (status, task) = desk
            .post(
                "/api/tasks",
                json!({ "title": "Landing page", "organizationId": org, "tenantId": org,
                        "taskStatus": null, "status": "in-progress", "dueDate": iso(due),
                        "estimate": 3600, "members": [t.omar.user["employee"].clone()],
                        "projectId": project_id }),
            )
            .await;
        assert_eq!(status, 202, "{task}");
        let task_id = task["id"].as_str().unwrap().to_string();
        let (_, list) = desk.get(&tasks).await;
        assert_eq!(list[0]["id"], task_id.as_str(), "{list}");
        assert_eq!(list[0]["title"], "Landing page");
        assert_eq!(list[0]["status"], "in-progress");
        assert_eq!(list[0]["project"]["name"], "Website");

        // Start on the project and the task.
        let (status, log) = desk
            .post(
                "/api/timesheet/timer/start",
                json!({ "description": "", "isBillable": true, "logType": "TRACKED",
                        "projectId": project_id, "taskId": task_id, "source": "DESKTOP",
                        "organizationId": org, "tenantId": org, "organizationContactId": null,
                        "organizationTeamId": null, "isRunning": true, "version": "1.0.1",
                        "startedAt": iso(now_plus(-60)), "manualTimeSlot": null }),
            )
            .await;
        assert_eq!(status, 201, "{log}");
        assert_eq!(log["taskId"], task_id.as_str());

        // updateTask: the progress column changes the estimate, the status
        // column the status (with the status object it picked).
        let (status, changed) = desk
            .api
            .send(
                desk.req(Method::PUT, &format!("/api/tasks/{task_id}"))
                    .json(
                        &json!({ "organizationId": org, "tenantId": org, "estimate": 7200,
                                   "status": "in-progress", "title": "Landing page" }),
                    ),
            )
            .await;
        assert_eq!(status, 202, "{changed}");
        assert_eq!(changed["estimate"], 7200);
        let (status, changed) = desk
            .api
            .send(
                desk.req(Method::PUT, &format!("/api/tasks/{task_id}"))
                    .json(
                        &json!({ "organizationId": org, "tenantId": org, "status": "done",
                                   "title": "Landing page",
                                   "taskStatus": { "name": "done", "value": "done" } }),
                    ),
            )
            .await;
        assert_eq!(status, 202, "{changed}");
        assert_eq!(changed["status"], "done");
        assert_eq!(changed["estimate"], 7200, "a field left out stays");
    }
);

//! `POST /api/timesheet/time-log/sync`: Stint's own idempotent bulk upsert
//! keyed by client ids. Replays create nothing; newer versions replace; one
//! bad log fails alone.

#[macro_use]
mod util;

use serde_json::Value;
use util::*;

const LOGS: &str = "/api/timesheet/time-log";

fn log(start: &str, stop: &str) -> Value {
    json!({
        "startedAt": format!("2024-01-15T{start}:00.000Z"),
        "stoppedAt": format!("2024-01-15T{stop}:00.000Z"),
        "logType": "MANUAL",
        "source": "WEB_TIMER",
    })
}

both!(
    a_sync_batch_replays_without_duplicates,
    |backend| async move {
        let server = Server::start(backend).await;
        server.user(OMAR, &[]).await;
        let omar = server.login(OMAR, PASSWORD).await;
        let batch: Vec<Value> = (0..3)
            .map(|i| {
                let mut l = log(&format!("0{}:00", 6 + i), &format!("0{}:45", 6 + i));
                l["id"] = json!(uuid::Uuid::now_v7().to_string());
                l["logType"] = json!("TRACKED");
                l["source"] = json!("DESKTOP");
                l["version"] = json!(1);
                l
            })
            .collect();
        let sync = |logs: Vec<Value>| {
            let omar = omar.clone();
            async move {
                let (status, body) = omar
                    .post(&format!("{LOGS}/sync"), json!({ "timeLogs": logs }))
                    .await;
                assert_eq!(status, 200, "{body}");
                let outcomes = body["timeLogs"].as_array().expect("timeLogs").clone();
                assert_eq!(outcomes.len(), logs.len(), "{body}");
                outcomes
            }
        };
        let statuses = |o: &[Value]| -> Vec<String> {
            o.iter()
                .map(|x| x["status"].as_str().unwrap().to_string())
                .collect()
        };

        let first = sync(batch.clone()).await;
        assert_eq!(statuses(&first), ["created", "created", "created"]);
        for (o, l) in first.iter().zip(&batch) {
            assert_eq!(o["id"], l["id"]);
        }
        let again = sync(batch.clone()).await;
        assert_eq!(statuses(&again), ["unchanged", "unchanged", "unchanged"]);
        let (_, page) = omar.get(LOGS).await;
        assert_eq!(ids(&page).len(), 3);

        // A newer version replaces; an older or equal one changes nothing.
        let mut newer = batch.clone();
        newer[1]["version"] = json!(2);
        newer[1]["description"] = json!("after lunch");
        newer[1]["stoppedAt"] = json!("2024-01-15T07:50:00.000Z");
        let third = sync(newer).await;
        assert_eq!(statuses(&third), ["unchanged", "updated", "unchanged"]);
        let (_, got) = omar
            .get(&format!("{LOGS}/{}", batch[1]["id"].as_str().unwrap()))
            .await;
        assert_eq!(got["description"], "after lunch");
        assert_eq!(got["duration"], 3000);

        // One bad log fails with its reason; the others land.
        let mut mixed = Vec::new();
        for (start, stop, kind) in [
            ("12:00", "13:00", "TRACKED"),
            ("14:00", "13:00", "TRACKED"),
            ("15:00", "16:00", "NAPPING"),
            ("06:30", "06:40", "TRACKED"),
            ("17:00", "18:00", "IDLE"),
        ] {
            let mut l = log(start, stop);
            l["id"] = json!(uuid::Uuid::now_v7().to_string());
            l["logType"] = json!(kind);
            mixed.push(l);
        }
        let out = sync(mixed.clone()).await;
        for (o, l) in out.iter().zip(&mixed) {
            assert_eq!(o["id"], l["id"], "outcomes follow the batch order: {out:?}");
        }
        assert_eq!(
            statuses(&out),
            ["created", "failed", "failed", "failed", "created"]
        );
        assert_eq!(out[1]["statusCode"], 400);
        assert_eq!(out[2]["statusCode"], 400);
        assert!(
            out[2]["message"].as_str().unwrap().contains("NAPPING"),
            "{out:?}"
        );
        assert_eq!(out[3]["statusCode"], 409);
        assert!(
            out[3]["message"]
                .as_str()
                .unwrap()
                .contains(batch[0]["id"].as_str().unwrap())
        );
        let (_, page) = omar.get(LOGS).await;
        assert_eq!(ids(&page).len(), 5);
        let replay = sync(mixed).await;
        assert_eq!(
            statuses(&replay),
            ["unchanged", "failed", "failed", "failed", "unchanged"]
        );
    }
);

both!(
    the_same_batch_sent_four_times_at_once_lands_once,
    |backend| async move {
        let server = Server::start(backend).await;
        server.user(OMAR, &[]).await;
        let omar = server.login(OMAR, PASSWORD).await;
        let batch: Vec<Value> = (1..=5)
            .map(|d| {
                json!({
                    "id": uuid::Uuid::now_v7().to_string(),
                    "startedAt": format!("2024-04-0{d}T09:00:00.000Z"),
                    "stoppedAt": format!("2024-04-0{d}T10:00:00.000Z"),
                    "logType": "TRACKED", "source": "DESKTOP", "version": 1,
                })
            })
            .collect();
        let mut tasks = Vec::new();
        for _ in 0..4 {
            let (omar, batch) = (omar.clone(), batch.clone());
            tasks.push(tokio::spawn(async move {
                omar.post(&format!("{LOGS}/sync"), json!({ "timeLogs": batch }))
                    .await
            }));
        }
        let mut created = 0;
        for t in tasks {
            let (status, body) = t.await.unwrap();
            assert_eq!(status, 200, "{body}");
            for o in body["timeLogs"].as_array().unwrap() {
                match o["status"].as_str().unwrap() {
                    "created" => created += 1,
                    "unchanged" => {}
                    other => panic!("{other}: {body}"),
                }
            }
        }
        assert_eq!(created, 5);
        let (_, page) = omar
            .get(&format!("{LOGS}?startDate=2024-04-01&endDate=2024-04-30"))
            .await;
        assert_eq!(ids(&page).len(), 5);
    }
);

both!(
    a_colleague_s_log_id_in_a_batch_is_403,
    |backend| async move {
        let server = Server::start(backend).await;
        tokio::join!(server.user(OMAR, &[]), server.user(JANE, &[]));
        let (omar, jane) = tokio::join!(server.login(OMAR, PASSWORD), server.login(JANE, PASSWORD));
        let (status, janes) = jane.post(LOGS, log("09:00", "10:00")).await;
        assert_eq!(status, 201, "{janes}");
        for version in [0, 5] {
            let mut l = log("11:00", "12:00");
            l["id"] = janes["id"].clone();
            l["version"] = json!(version);
            let (status, body) = omar
                .post(&format!("{LOGS}/sync"), json!({ "timeLogs": [l] }))
                .await;
            assert_eq!(status, 200, "{body}");
            assert_eq!(body["timeLogs"][0]["status"], "failed", "{body}");
            assert_eq!(body["timeLogs"][0]["statusCode"], 403, "v{version}: {body}");
        }
        let (_, got) = jane
            .get(&format!("{LOGS}/{}", janes["id"].as_str().unwrap()))
            .await;
        assert_eq!(got["startedAt"], "2024-01-15T09:00:00.000Z");
    }
);

both!(a_batch_is_decided_in_its_order, |backend| async move {
    let server = Server::start(backend).await;
    server.user(OMAR, &[]).await;
    let omar = server.login(OMAR, PASSWORD).await;
    let with_id = |start: &str, stop: Option<&str>| {
        let mut l = log(start, stop.unwrap_or("00:00"));
        l["id"] = json!(uuid::Uuid::now_v7().to_string());
        l["logType"] = json!("TRACKED");
        l["source"] = json!("DESKTOP");
        l["version"] = json!(1);
        if stop.is_none() {
            l.as_object_mut().unwrap().remove("stoppedAt");
        }
        l
    };
    let a = with_id("09:00", Some("10:00"));
    let clash = with_id("09:30", Some("09:45"));
    let mut a_later = a.clone();
    a_later["version"] = json!(2);
    a_later["stoppedAt"] = json!("2024-01-15T10:30:00.000Z");
    let first_timer = with_id("11:00", None);
    let second_timer = with_id("12:00", None);
    let inside_timer = with_id("12:30", Some("12:40"));
    let batch = vec![
        a.clone(),
        clash,
        a_later,
        first_timer.clone(),
        second_timer,
        inside_timer,
    ];
    let (status, body) = omar
        .post(&format!("{LOGS}/sync"), json!({ "timeLogs": batch }))
        .await;
    assert_eq!(status, 200, "{body}");
    let out = body["timeLogs"].as_array().unwrap();
    let statuses: Vec<&str> = out.iter().map(|o| o["status"].as_str().unwrap()).collect();
    assert_eq!(
        statuses,
        [
            "created", "failed", "updated", "created", "created", "failed"
        ],
        "{body}"
    );
    // The clash is with a log of the same batch, named by its id.
    assert_eq!(out[1]["statusCode"], 409);
    assert!(
        out[1]["message"]
            .as_str()
            .unwrap()
            .contains(a["id"].as_str().unwrap())
    );
    assert_eq!(out[5]["statusCode"], 409);

    let get = |l: &Value| format!("{LOGS}/{}", l["id"].as_str().unwrap());
    let (_, got) = omar.get(&get(&a)).await;
    assert_eq!(
        got["stoppedAt"], "2024-01-15T10:30:00.000Z",
        "the later version won"
    );
    let (_, got) = omar.get(&get(&first_timer)).await;
    assert_eq!(
        got["stoppedAt"], "2024-01-15T12:00:00.000Z",
        "the second timer stopped the first"
    );
    let (_, page) = omar.get(LOGS).await;
    assert_eq!(ids(&page).len(), 3);
});

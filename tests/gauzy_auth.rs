//! Signing in as the Ever Gauzy desktop timer does, token lifetimes and
//! revocation (and the grace for a lost refresh answer), throttling, and
//! organization scoping of every request.

#[macro_use]
mod util;

use base64::Engine;
use reqwest::Method;
use util::*;

/// The JSON payload of a JWT.
fn jwt_payload(token: &str) -> serde_json::Value {
    let parts: Vec<&str> = token.split('.').collect();
    assert_eq!(parts.len(), 3, "not a JWT: {token}");
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(parts[1])
        .expect("base64url payload");
    serde_json::from_slice(&bytes).expect("JSON payload")
}

both!(the_desktop_timer_signs_in, |backend| async move {
    let server = Server::start(backend).await;
    server.user(OMAR, &["--timezone", "Europe/Berlin"]).await;
    let anon = server.anon();
    let creds = json!({ "email": OMAR, "password": PASSWORD });

    let (status, body) = anon
        .post("/api/auth/signin.email.password", creds.clone())
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["total_workspaces"], 1);
    assert_eq!(body["confirmed_email"], true);
    assert_eq!(body["show_popup"], false);
    assert_eq!(
        body["workspaces"].as_array().map(Vec::len),
        Some(1),
        "{body}"
    );

    let (status, body) = anon.post("/api/auth/login", creds).await;
    assert_eq!(status, 200, "{body}");
    let user = &body["user"];
    assert!(user["id"].is_string());
    assert_eq!(user["email"], OMAR);
    assert_eq!(user["name"], "Omar Acme");
    assert!(!user["role"].is_null(), "{user}");
    assert_eq!(user["timeZone"], "Europe/Berlin");
    let org = &user["employee"]["organization"];
    assert_eq!(org["name"], "Default");
    assert_eq!(user["employee"]["organizationId"], org["id"]);
    assert_eq!(user["tenantId"], org["id"]);
    assert!(user["employee"]["id"].is_string());
    assert!(
        body["refresh_token"]
            .as_str()
            .is_some_and(|t| !t.is_empty())
    );

    let token = body["token"].as_str().unwrap();
    let claims = jwt_payload(token);
    let exp = claims["exp"].as_i64().expect("exp");
    let now = chrono::Utc::now().timestamp();
    assert!(
        exp > now + 3600 && exp <= now + 13 * 3600,
        "exp {exp}, now {now}"
    );

    // The token works; a missing, garbage or tampered one does not.
    let omar = anon.with_token(Some(token));
    let (status, me) = omar.get("/api/user/me").await;
    assert_eq!(status, 200, "{me}");
    assert_eq!(me["email"], OMAR);
    assert_eq!(anon.get("/api/user/me").await.0, 401);
    assert_eq!(
        anon.with_token(Some("garbage")).get("/api/user/me").await.0,
        401
    );
    let mut forged = token.to_string();
    forged.pop();
    forged.push(if token.ends_with('A') { 'B' } else { 'A' });
    let (status, body) = anon.with_token(Some(&forged)).get("/api/user/me").await;
    assert_eq!(status, 401, "{body}");
    assert_eq!(body["statusCode"], 401);
    let (status, _) = anon
        .send(
            anon.request(Method::GET, "/api/timesheet/time-log")
                .header("authorization", "Basic b21hcjpwdw=="),
        )
        .await;
    assert_eq!(status, 401);
});

both!(
    wrong_credentials_are_401_then_throttled,
    |backend| async move {
        let server = Server::start(backend).await;
        tokio::join!(server.user(OMAR, &[]), server.user(JANE, &[]));
        let anon = server.anon();
        let wrong = json!({ "email": OMAR, "password": "not-the-password" });

        let (status, body) = anon
            .post(
                "/api/auth/login",
                json!({ "email": "nobody@acme.test", "password": PASSWORD }),
            )
            .await;
        assert_eq!(status, 401, "{body}");
        let (status, _) = anon
            .post("/api/auth/signin.email.password", wrong.clone())
            .await;
        assert_eq!(status, 401);
        for attempt in 2..=10 {
            let (status, body) = anon.post("/api/auth/login", wrong.clone()).await;
            assert_eq!(status, 401, "attempt {attempt}: {body}");
        }
        let (status, body) = anon.post("/api/auth/login", wrong.clone()).await;
        assert_eq!(status, 429, "{body}");
        assert!(body["message"].is_string());
        // Blocked for Omar from this address, even with the right password;
        // other accounts from here are not, nor Omar from elsewhere (see
        // tests/sign_in_throttle.rs).
        let (status, _) = anon
            .post(
                "/api/auth/login",
                json!({ "email": OMAR, "password": PASSWORD }),
            )
            .await;
        assert_eq!(status, 429);
        server.login(JANE, PASSWORD).await;

        // Bodies that are not credentials are 400, not 500.
        for body in [
            "{",
            "[]",
            r#"{"email": 5}"#,
            r#"{"email": "jane@acme.test"}"#,
        ] {
            let (status, answer) = anon.raw(Method::POST, "/api/auth/login", body).await;
            assert_eq!(status, 400, "{body}: {answer}");
            assert!(answer["message"].is_string(), "{answer}");
        }
    }
);

both!(
    refresh_tokens_rotate_and_a_replay_revokes,
    |backend| async move {
        let server = Server::start(backend).await;
        server.user(OMAR, &[]).await;
        let omar = server.login(OMAR, PASSWORD).await;
        let anon = server.anon();

        let (status, one) = anon
            .post(
                "/api/auth/refresh-token",
                json!({ "refresh_token": omar.refresh_token }),
            )
            .await;
        assert_eq!(status, 200, "{one}");
        let (token1, refresh1) = (
            one["token"].as_str().unwrap().to_string(),
            one["refresh_token"].as_str().unwrap().to_string(),
        );
        assert_ne!(refresh1, omar.refresh_token);
        assert!(jwt_payload(&token1)["exp"].is_i64());
        assert_eq!(
            anon.with_token(Some(&token1)).get("/api/user/me").await.0,
            200
        );

        let (status, two) = anon
            .post(
                "/api/auth/refresh-token",
                json!({ "refresh_token": refresh1 }),
            )
            .await;
        assert_eq!(status, 200, "{two}");
        let token2 = two["token"].as_str().unwrap().to_string();
        let refresh2 = two["refresh_token"].as_str().unwrap().to_string();
        assert_eq!(
            anon.with_token(Some(&token2)).get("/api/user/me").await.0,
            200
        );

        // Someone replays a refresh token older than the one just replaced
        // (which a lost answer's retry could still use): refused, and the
        // whole session ends, so the newest tokens stop working too.
        let (status, body) = anon
            .post(
                "/api/auth/refresh-token",
                json!({ "refresh_token": omar.refresh_token }),
            )
            .await;
        assert_eq!(status, 401, "{body}");
        assert_eq!(
            anon.with_token(Some(&token2)).get("/api/user/me").await.0,
            401
        );
        let (status, _) = anon
            .post(
                "/api/auth/refresh-token",
                json!({ "refresh_token": refresh2 }),
            )
            .await;
        assert_eq!(status, 401);

        // Garbage and missing refresh tokens.
        let (status, _) = anon
            .post("/api/auth/refresh-token", json!({ "refresh_token": "x.y" }))
            .await;
        assert_eq!(status, 401);
        let (status, _) = anon.post("/api/auth/refresh-token", json!({})).await;
        assert_eq!(status, 400);
    }
);

/// Trades `refresh_token` for new tokens: the answer's status and its
/// `(token, refresh_token)` when it is 200.
async fn refresh(anon: &Api, refresh_token: &str) -> (u16, Option<(String, String)>) {
    let (status, body) = anon
        .post(
            "/api/auth/refresh-token",
            json!({ "refresh_token": refresh_token }),
        )
        .await;
    let tokens = (status == 200).then(|| {
        let field = |k: &str| body[k].as_str().expect(k).to_string();
        (field("token"), field("refresh_token"))
    });
    (status.as_u16(), tokens)
}

/// The status of `/api/user/me` with `token`.
async fn me(anon: &Api, token: &str) -> u16 {
    anon.with_token(Some(token))
        .get("/api/user/me")
        .await
        .0
        .as_u16()
}

both!(
    a_lost_refresh_answer_is_forgiven_once,
    |backend| async move {
        let server = Server::start(backend).await;
        server.user(OMAR, &[]).await;
        let anon = server.anon();

        // The agent refreshes and the answer is lost: it still holds the token
        // the server has just rotated out, and retries with it. Taken, once.
        let a = server.login(OMAR, PASSWORD).await;
        let (status, _lost) = refresh(&anon, &a.refresh_token).await;
        assert_eq!(status, 200);
        let (status, retry) = refresh(&anon, &a.refresh_token).await;
        assert_eq!(
            status, 200,
            "the retry after a lost answer signs nobody out"
        );
        let (token, next) = retry.expect("tokens");
        assert_ne!(next, a.refresh_token);
        assert_eq!(me(&anon, &token).await, 200);
        // The same token a second time is a replay: the session ends.
        assert_eq!(refresh(&anon, &a.refresh_token).await.0, 401);
        assert_eq!(me(&anon, &token).await, 401);
        assert_eq!(refresh(&anon, &next).await.0, 401);

        // After the retry the agent carries on. The lost answer's token is
        // forgotten: if someone did receive it, its use ends the session.
        let b = server.login(OMAR, PASSWORD).await;
        let (_, lost) = refresh(&anon, &b.refresh_token).await;
        let (_, lost_refresh) = lost.expect("tokens");
        let (status, retry) = refresh(&anon, &b.refresh_token).await;
        assert_eq!(status, 200);
        let (_, retry_refresh) = retry.expect("tokens");
        let (status, carried_on) = refresh(&anon, &retry_refresh).await;
        assert_eq!(status, 200);
        let (token, _) = carried_on.expect("tokens");
        assert_eq!(me(&anon, &token).await, 200);
        assert_eq!(refresh(&anon, &lost_refresh).await.0, 401);
        assert_eq!(me(&anon, &token).await, 401);

        // An agent whose refresh answer was lost can still sign out with the
        // token it holds.
        let c = server.login(OMAR, PASSWORD).await;
        let (_, lost) = refresh(&anon, &c.refresh_token).await;
        let (lost_token, lost_refresh) = lost.expect("tokens");
        let (status, body) = anon
            .post(
                "/api/auth/logout",
                json!({ "refresh_token": c.refresh_token }),
            )
            .await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(me(&anon, &lost_token).await, 401);
        assert_eq!(refresh(&anon, &lost_refresh).await.0, 401);
        assert_eq!(refresh(&anon, &c.refresh_token).await.0, 401);
    }
);

both!(
    a_lost_refresh_answer_retried_after_the_grace_revokes,
    |backend| async move {
        let server = Server::start_with(backend, &["--refresh-grace", "1s"]).await;
        server.user(OMAR, &[]).await;
        let anon = server.anon();
        let a = server.login(OMAR, PASSWORD).await;
        let (status, lost) = refresh(&anon, &a.refresh_token).await;
        assert_eq!(status, 200);
        let (lost_token, lost_refresh) = lost.expect("tokens");
        assert_eq!(me(&anon, &lost_token).await, 200);
        tokio::time::sleep(std::time::Duration::from_millis(2100)).await;
        assert_eq!(refresh(&anon, &a.refresh_token).await.0, 401);
        assert_eq!(me(&anon, &lost_token).await, 401, "the session ended");
        assert_eq!(refresh(&anon, &lost_refresh).await.0, 401);
    }
);

both!(logout_revokes_the_session, |backend| async move {
    let server = Server::start(backend).await;
    server.user(OMAR, &[]).await;
    let (a, b) = tokio::join!(server.login(OMAR, PASSWORD), server.login(OMAR, PASSWORD));

    let (status, body) = a
        .post(
            "/api/auth/logout",
            json!({ "refresh_token": a.refresh_token }),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(a.get("/api/user/me").await.0, 401);
    let (status, _) = server
        .anon()
        .post(
            "/api/auth/refresh-token",
            json!({ "refresh_token": a.refresh_token }),
        )
        .await;
    assert_eq!(status, 401);

    // The other device's session lives on until it signs out with its
    // bearer token alone.
    assert_eq!(b.get("/api/user/me").await.0, 200);
    let (status, body) = b.post("/api/auth/logout", json!({})).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(b.get("/api/user/me").await.0, 401);
});

// A replica remembers a live session for a few seconds (the caller cache,
// `CALLER_TTL`, 5 s), so a sign-out reaches the replica that served it at
// once and every other replica within that window.
both!(
    logout_reaches_other_replicas_within_seconds,
    |backend| async move {
        let server = Server::start(backend).await;
        let other = server.replica(&[], &[]).await;
        server.user(OMAR, &[]).await;
        let a = server.login(OMAR, PASSWORD).await;
        let there = Api::new(&other.base, Some(a.token.clone()));
        // Both replicas have seen the session live (and remember it).
        assert_eq!(a.get("/api/user/me").await.0, 200);
        assert_eq!(there.get("/api/user/me").await.0, 200);

        let (status, body) = a.post("/api/auth/logout", json!({})).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(a.get("/api/user/me").await.0, 401, "at once where it ended");
        tokio::time::sleep(std::time::Duration::from_millis(5500)).await;
        assert_eq!(
            there.get("/api/user/me").await.0,
            401,
            "on the other replica within the window"
        );
        let sync = json!({ "timeLogs": [] });
        let (status, _) = there.post("/api/timesheet/time-log/sync", sync).await;
        assert_eq!(status, 401);
    }
);

both!(an_expired_token_is_401, |backend| async move {
    let server = Server::start_with(backend, &["--token-ttl", "1s"]).await;
    server.user(OMAR, &[]).await;
    let omar = server.login(OMAR, PASSWORD).await;
    let claims = jwt_payload(&omar.token);
    assert!(claims["exp"].as_i64().unwrap() - claims["iat"].as_i64().unwrap() <= 1);
    tokio::time::sleep(std::time::Duration::from_secs(2)).await;
    let (status, body) = omar.get("/api/timesheet/time-log").await;
    assert_eq!(status, 401, "{body}");
    assert!(
        body["message"].as_str().unwrap().contains("expired"),
        "{body}"
    );
    // The refresh token still trades for a fresh access token.
    let (status, body) = server
        .anon()
        .post(
            "/api/auth/refresh-token",
            json!({ "refresh_token": omar.refresh_token }),
        )
        .await;
    assert_eq!(status, 200, "{body}");
});

both!(
    another_organization_named_anywhere_is_403,
    |backend| async move {
        let server = Server::start(backend).await;
        let t = server.team().await;
        let (own, other) = (t.omar.org_id(), t.gus.org_id());
        assert_ne!(own, other);
        let path = "/api/timesheet/time-log";

        for header in ["Tenant-Id", "Organization-Id"] {
            let (status, body) = t
                .omar
                .send(
                    t.omar
                        .request(Method::GET, path)
                        .header(header, own.as_str()),
                )
                .await;
            assert_eq!(status, 200, "{header}: {body}");
            let (status, body) = t
                .omar
                .send(
                    t.omar
                        .request(Method::GET, path)
                        .header(header, other.as_str()),
                )
                .await;
            assert_eq!(status, 403, "{header}: {body}");
            assert_eq!(body["statusCode"], 403);
        }
        for key in ["organizationId", "tenantId"] {
            let (status, _) = t.omar.get(&format!("{path}?{key}={own}")).await;
            assert_eq!(status, 200, "{key}");
            let (status, _) = t.omar.get(&format!("{path}?{key}={other}")).await;
            assert_eq!(status, 403, "{key}");
            let (status, _) = t.omar.get(&format!("{path}?{key}=not-a-uuid")).await;
            assert_eq!(status, 403, "{key}");
        }
        let log = |key: &str, org: &str| {
            json!({
                "startedAt": "2024-01-15T09:00:00.000Z",
                "stoppedAt": "2024-01-15T10:00:00.000Z",
                key: org,
            })
        };
        for key in ["organizationId", "tenantId"] {
            let (status, body) = t.omar.post(path, log(key, &other)).await;
            assert_eq!(status, 403, "{key}: {body}");
        }
        let (status, body) = t.omar.post(path, log("organizationId", &own)).await;
        assert_eq!(status, 201, "{body}");
        let sheet = body["timesheetId"].as_str().unwrap().to_string();

        // Every other body that may carry the ids checks them too.
        let (status, body) = t.omar.post("/api/timesheet/timer/start", json!({})).await;
        assert_eq!(status, 201, "{body}");
        for key in ["organizationId", "tenantId"] {
            let other_org = json!({ key: other });
            for (p, b) in [
                ("/api/timesheet/timer/stop", other_org.clone()),
                ("/api/timesheet/timer/toggle", other_org.clone()),
                (
                    "/api/timesheet/time-log/sync",
                    json!({ key: other, "timeLogs": [] }),
                ),
                (
                    "/api/timesheet/activity/bulk",
                    json!({ key: other, "activities": [] }),
                ),
            ] {
                let (status, body) = t.omar.post(p, b).await;
                assert_eq!(status, 403, "{p} {key}: {body}");
            }
            let (status, body) = t
                .omar
                .put(
                    "/api/timesheet/submit",
                    json!({ "ids": [sheet], key: other }),
                )
                .await;
            assert_eq!(status, 403, "submit {key}: {body}");
        }
        let (_, s) = t.omar.get("/api/timesheet/timer/status").await;
        assert_eq!(s["running"], true, "the refused stops stopped nothing");
        // Nothing of Acme's shows through Globex's eyes.
        let (status, page) = t.gus.get(path).await;
        assert_eq!(status, 200);
        assert!(ids(&page).is_empty(), "{page}");
    }
);

//! Sign-in throttling protects owners, not attackers: failures count per
//! (account, client address) and per client address, so a stranger's wrong
//! passwords never keep the owner out, while guessing and spraying from one
//! address still end in 429 with `Retry-After`. The client address comes
//! from `X-Forwarded-For` only when the peer is a `--trust-proxy` range;
//! the tests trust loopback to play clients at different addresses.

#[macro_use]
mod util;

use reqwest::{Method, StatusCode};
use serde_json::Value;
use util::*;

const ATTACKER: &str = "203.0.113.7";
const OWNER_AT_HOME: &str = "198.51.100.2";
/// The failed sign-ins one address gets per account, and over all
/// accounts, in 15 minutes (the server's defaults).
const PER_ACCOUNT_ADDRESS: usize = 10;
const PER_ADDRESS: usize = 100;

/// A sign-in through `path` claiming to come from `forwarded_for` (as a
/// proxy would say it), with its `Retry-After` header.
async fn sign_in(
    server: &Server,
    path: &str,
    email: &str,
    password: &str,
    forwarded_for: Option<&str>,
) -> (StatusCode, Value, Option<u64>) {
    let anon = server.anon();
    let mut rb = anon
        .request(Method::POST, path)
        .json(&json!({ "email": email, "password": password }));
    if let Some(xff) = forwarded_for {
        rb = rb.header("x-forwarded-for", xff);
    }
    let res = rb.send().await.expect("sign-in request");
    let status = res.status();
    let retry_after = res.headers().get("retry-after").map(|v| {
        v.to_str()
            .expect("ASCII")
            .parse()
            .expect("Retry-After in seconds")
    });
    let body = res.json().await.unwrap_or(Value::Null);
    assert!(
        !status.is_server_error(),
        "{path} answered {status}: {body}"
    );
    (status, body, retry_after)
}

async fn login(server: &Server, email: &str, password: &str, from: Option<&str>) -> StatusCode {
    sign_in(server, "/api/auth/login", email, password, from)
        .await
        .0
}

/// `n` wrong passwords for `email` from `from`, each 401.
async fn guess(server: &Server, email: &str, from: Option<&str>, n: usize) {
    for attempt in 1..=n {
        let status = login(server, email, "not-the-password", from).await;
        assert_eq!(status, 401, "wrong password {attempt} of {n} for {email}");
    }
}

/// The answer when throttled: 429, a message, and when to come back.
fn assert_throttled((status, body, retry_after): (StatusCode, Value, Option<u64>), what: &str) {
    assert_eq!(status, 429, "{what}: {body}");
    let message = body["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("too many failed sign-ins"),
        "{what}: {body}"
    );
    let wait = retry_after.unwrap_or_else(|| panic!("{what}: no Retry-After"));
    assert!((1..=15 * 60).contains(&wait), "{what}: Retry-After {wait}");
}

both!(
    a_strangers_wrong_passwords_do_not_lock_the_owner_out,
    |backend| async move {
        let server = Server::start_with(backend, &["--trust-proxy", "127.0.0.1/32"]).await;
        server.user(ADA, &["--role", "admin"]).await;

        guess(&server, ADA, Some(ATTACKER), PER_ACCOUNT_ADDRESS).await;
        for path in ["/api/auth/login", "/api/auth/signin.email.password"] {
            // Blocked for this account from the attacker's address, even
            // with the right password or a forged entry the proxy passed on.
            for (password, xff) in [
                ("not-the-password", ATTACKER.to_string()),
                (PASSWORD, ATTACKER.to_string()),
                (PASSWORD, format!("{OWNER_AT_HOME}, {ATTACKER}")),
            ] {
                let answer = sign_in(&server, path, ADA, password, Some(&xff)).await;
                assert_throttled(answer, &format!("{path} from {xff}"));
            }
            // The owner, from elsewhere, signs in.
            let (status, body, _) =
                sign_in(&server, path, ADA, PASSWORD, Some(OWNER_AT_HOME)).await;
            assert_eq!(status, 200, "{path}: the owner from home: {body}");
        }
        // Also from the proxy's own address (nothing forwarded).
        assert_eq!(login(&server, ADA, PASSWORD, None).await, 200);
        // The attacker's address is not blocked for other accounts.
        server.user(OMAR, &[]).await;
        assert_eq!(login(&server, OMAR, PASSWORD, Some(ATTACKER)).await, 200);
    }
);

both!(
    x_forwarded_for_is_ignored_unless_the_peer_is_a_trusted_proxy,
    |backend| async move {
        // No proxy trusted, and a trusted range that loopback is not in.
        for extra in [&[][..], &["--trust-proxy", "10.0.0.0/8"][..]] {
            let server = Server::start_with(backend, extra).await;
            server.user(OMAR, &[]).await;
            guess(&server, OMAR, Some(ATTACKER), PER_ACCOUNT_ADDRESS).await;
            // Another claimed address is the same peer: no fresh budget.
            for from in [Some(OWNER_AT_HOME), Some("10.0.0.1"), None] {
                let answer = sign_in(&server, "/api/auth/login", OMAR, PASSWORD, from).await;
                assert_throttled(answer, &format!("{extra:?}: claiming {from:?}"));
            }
        }
    }
);

both!(
    one_address_spraying_many_accounts_is_stopped,
    |backend| async move {
        let server = Server::start_with(backend, &["--trust-proxy", "127.0.0.1/32"]).await;
        server.user(JANE, &[]).await;
        // One guess each for many accounts, sent at once: every attempt is
        // counted when it starts, so none slips past the cap.
        let mut sent = tokio::task::JoinSet::new();
        for i in 0..PER_ADDRESS {
            let server = server.anon();
            sent.spawn(async move {
                let body = json!({ "email": format!("user{i}@acme.test"), "password": PASSWORD });
                let rb = server
                    .request(Method::POST, "/api/auth/login")
                    .header("x-forwarded-for", ATTACKER)
                    .json(&body);
                server.send(rb).await
            });
        }
        while let Some(answer) = sent.join_next().await {
            let (status, body) = answer.expect("request task");
            assert_eq!(status, 401, "{body}");
        }
        // Now the address is refused for every account, real ones too.
        for email in ["someone-new@acme.test", JANE] {
            let answer = sign_in(&server, "/api/auth/login", email, PASSWORD, Some(ATTACKER)).await;
            assert_throttled(answer, email);
        }
        // Everyone else is not.
        assert_eq!(
            login(&server, JANE, PASSWORD, Some(OWNER_AT_HOME)).await,
            200
        );
    }
);

/// Runs `stint serve` with `args` and `env`, which must refuse to start:
/// its exit code and stderr. A server that starts anyway is killed.
fn refused_serve(args: &[&str], env: &[(&str, &str)]) -> (Option<i32>, String) {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut child = stint()
        .args(["serve", "--listen", "127.0.0.1:0", "--data-dir"])
        .arg(dir.path())
        .args(args)
        .envs(env.iter().copied())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run stint serve");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while child.try_wait().expect("wait").is_none() {
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let out = child.wait_with_output().expect("stint serve output");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn a_bad_trust_proxy_range_is_a_usage_error() {
    for bad in ["10.0.0.0/33", "example.com", "10.0.0.1/8,nope", ""] {
        let (code, stderr) = refused_serve(&["--trust-proxy", bad], &[]);
        assert_eq!(code, Some(2), "--trust-proxy {bad:?}: {stderr}");
        assert!(stderr.contains("--trust-proxy"), "{bad:?}: {stderr}");
    }
    // The environment variable is checked the same way.
    let (code, stderr) = refused_serve(&[], &[("STINT_TRUST_PROXY", "10.0.0.0/99")]);
    assert_eq!(code, Some(2), "STINT_TRUST_PROXY: {stderr}");
}

//! Connections a client stalls are cut, and do not crowd out the others;
//! every answer carries the safe headers.
//!
//! The connection stories talk raw TCP, since an HTTP client cannot send
//! half a request; they only need one backend. A short `--header-timeout`
//! keeps them quick, and one story checks the 30 s default.

#[macro_use]
mod util;

use std::time::{Duration, Instant};

use reqwest::Method;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use util::*;

/// A request head cut off before its blank line.
const HALF_HEAD: &[u8] = b"GET /healthz HTTP/1.1\r\nHost: x\r\n";

async fn connect(server: &Server) -> TcpStream {
    let addr = server.base.trim_start_matches("http://");
    TcpStream::connect(addr).await.expect("connect")
}

/// A connection that sent [`HALF_HEAD`] and nothing more.
async fn stalled(server: &Server) -> TcpStream {
    let mut conn = connect(server).await;
    conn.write_all(HALF_HEAD).await.expect("send half a head");
    conn
}

/// Reads until the server closes `conn`: how long that took, from now.
/// Fails the test when it stays open longer than `limit`.
async fn closed_within(conn: &mut TcpStream, limit: Duration) -> Duration {
    let start = Instant::now();
    let mut buf = [0u8; 1024];
    let closed = tokio::time::timeout(limit, async {
        // Ok(0) is the server's FIN; an error (reset) is a close too.
        while let Ok(n) = conn.read(&mut buf).await
            && n > 0
        {}
    })
    .await;
    assert!(
        closed.is_ok(),
        "the connection is still open after {limit:?}"
    );
    start.elapsed()
}

/// One `GET /healthz` on a fresh connection: its status line, and how long
/// it took from connecting to the last byte.
async fn health_check(server: &Server) -> (String, Duration) {
    let start = Instant::now();
    let mut conn = connect(server).await;
    conn.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .await
        .expect("send request");
    let mut answer = Vec::new();
    conn.read_to_end(&mut answer).await.expect("read answer");
    let answer = String::from_utf8_lossy(&answer);
    let status = answer.lines().next().unwrap_or_default().to_string();
    (status, start.elapsed())
}

#[tokio::test]
async fn a_stalled_request_head_is_cut_after_the_header_timeout() {
    let server = Server::start_with(Backend::Sqlite, &["--header-timeout", "2s"]).await;
    let mut conn = stalled(&server).await;
    let took = closed_within(&mut conn, Duration::from_secs(15)).await;
    assert!(
        took >= Duration::from_millis(1500),
        "cut too early: {took:?}"
    );

    // A client that sends nothing at all is cut the same way.
    let mut silent = connect(&server).await;
    closed_within(&mut silent, Duration::from_secs(15)).await;

    // Dribbling a header line now and then does not extend the deadline.
    let mut dribbler = stalled(&server).await;
    let start = Instant::now();
    let cut = loop {
        tokio::time::sleep(Duration::from_millis(300)).await;
        if dribbler.write_all(b"X-a: b\r\n").await.is_err() {
            break start.elapsed();
        }
        let mut probe = [0u8; 1];
        if let Ok(Ok(0) | Err(_)) =
            tokio::time::timeout(Duration::from_millis(1), dribbler.read(&mut probe)).await
        {
            break start.elapsed();
        }
        assert!(
            start.elapsed() < Duration::from_secs(15),
            "a dribbler is never cut"
        );
    };
    assert!(cut < Duration::from_secs(10), "the dribbler lasted {cut:?}");
}

#[tokio::test]
async fn the_default_header_timeout_is_30_s() {
    let server = Server::start(Backend::Sqlite).await;
    let mut conn = stalled(&server).await;
    let took = closed_within(&mut conn, Duration::from_secs(45)).await;
    assert!(took >= Duration::from_secs(25), "cut too early: {took:?}");
}

#[tokio::test]
async fn an_idle_kept_alive_connection_is_closed() {
    let server = Server::start_with(Backend::Sqlite, &["--header-timeout", "2s"]).await;
    let mut conn = connect(&server).await;
    conn.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .expect("send request");
    let mut answer = Vec::new();
    let mut buf = [0u8; 1024];
    while !answer.ends_with(b"\r\n\r\nok") {
        let n = conn.read(&mut buf).await.expect("read answer");
        assert!(n > 0, "closed before answering: {answer:?}");
        answer.extend_from_slice(&buf[..n]);
    }
    assert!(answer.starts_with(b"HTTP/1.1 200"), "{answer:?}");
    let took = closed_within(&mut conn, Duration::from_secs(15)).await;
    assert!(
        took >= Duration::from_millis(1500),
        "closed too early: {took:?}"
    );
}

#[tokio::test]
async fn dribbling_connections_do_not_stop_normal_requests() {
    let server = Server::start(Backend::Sqlite).await;
    let mut dribblers = Vec::new();
    for _ in 0..200 {
        let mut conn = stalled(&server).await;
        dribblers.push(tokio::spawn(async move {
            // One header line a second, never the blank line.
            while conn.write_all(b"X-a: b\r\n").await.is_ok() {
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        }));
    }

    // Spread over two seconds, so the dribblers dribble meanwhile.
    let mut took = Vec::new();
    for _ in 0..100 {
        let (status, t) = health_check(&server).await;
        assert!(status.starts_with("HTTP/1.1 200"), "{status}");
        took.push(t);
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    took.sort();
    let p99 = took[98];
    eprintln!(
        "GET /healthz under 200 dribbling connections: p50 {:?}, p99 {p99:?}, max {:?}",
        took[49], took[99]
    );
    assert!(p99 < Duration::from_secs(1), "p99 {p99:?}");
    assert!(
        dribblers.iter().all(|d| !d.is_finished()),
        "the dribblers were cut before the requests ran: the story tested nothing"
    );
    for d in dribblers {
        d.abort();
    }
}

#[tokio::test]
async fn a_full_server_makes_new_connections_wait_not_fail() {
    let server = Server::start_with(
        Backend::Sqlite,
        &["--max-connections", "8", "--header-timeout", "2s"],
    )
    .await;
    let mut held = Vec::new();
    for _ in 0..8 {
        held.push(stalled(&server).await);
    }
    // Let the server take all eight before the ninth knocks.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let (status, took) = tokio::time::timeout(Duration::from_secs(15), health_check(&server))
        .await
        .expect("the ninth connection was never served");
    assert!(status.starts_with("HTTP/1.1 200"), "{status}");
    assert!(
        took >= Duration::from_secs(1),
        "served in {took:?}: the cap of 8 did not hold it back"
    );
}

/// The value of `name` in an answer, or "".
fn header(answer: &reqwest::Response, name: &str) -> String {
    answer
        .headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string()
}

/// Sends `rb` and checks the headers every answer carries; the answer.
async fn safe(rb: reqwest::RequestBuilder) -> reqwest::Response {
    let answer = rb.send().await.expect("send");
    let what = answer.url().path().to_string();
    assert!(
        !answer.status().is_server_error(),
        "{what}: {}",
        answer.status()
    );
    assert_eq!(
        header(&answer, "x-content-type-options"),
        "nosniff",
        "{what}"
    );
    assert_eq!(
        header(&answer, "content-security-policy"),
        "default-src 'none'; frame-ancestors 'none'",
        "{what}"
    );
    assert_eq!(header(&answer, "referrer-policy"), "no-referrer", "{what}");
    answer
}

/// [`safe`], and no cache may keep the answer.
async fn unstored(rb: reqwest::RequestBuilder) -> reqwest::Response {
    let answer = safe(rb).await;
    let what = answer.url().path().to_string();
    assert_eq!(header(&answer, "cache-control"), "no-store", "{what}");
    answer
}

both!(answers_carry_the_safe_headers, |backend| async move {
    let server = Server::start(backend).await;
    server.user(OMAR, &[]).await;
    let anon = server.anon();
    let login = |password: &str| {
        anon.request(Method::POST, "/api/auth/login")
            .json(&json!({ "email": OMAR, "password": password }))
    };

    let wrong = unstored(login("not-the-password")).await;
    assert_eq!(wrong.status(), 401);
    let right = unstored(login(PASSWORD)).await;
    assert_eq!(right.status(), 200);
    let body: serde_json::Value = right.json().await.expect("login JSON");
    let omar = Session::from_login(&server.base, body);

    let list = unstored(omar.request(Method::GET, "/api/timesheet/time-log")).await;
    assert_eq!(list.status(), 200);
    let sheets = unstored(omar.request(Method::GET, "/timesheets")).await;
    assert_eq!(sheets.status(), 200);
    let refused = unstored(anon.request(Method::GET, "/api/timesheet/time-log")).await;
    assert_eq!(refused.status(), 401);
    let missing = unstored(anon.request(Method::GET, "/no/such/route")).await;
    assert_eq!(missing.status(), 404);
    safe(anon.request(Method::GET, "/healthz")).await;
    safe(anon.request(Method::GET, "/api/openapi.json")).await;

    // An image keeps the Cache-Control its handler chose.
    let upload = omar
        .request(Method::POST, "/api/timesheet/screenshot")
        .multipart(png_form(png(64, 48)));
    let shot: serde_json::Value = unstored(upload).await.json().await.expect("shot JSON");
    let link = shot["fullUrl"].as_str().unwrap_or_else(|| panic!("{shot}"));
    let image = safe(anon.request(Method::GET, link)).await;
    assert_eq!(image.status(), 200);
    let cache = header(&image, "cache-control");
    assert!(cache.starts_with("private"), "image Cache-Control: {cache}");
});

//! The HTTP side of the harness: a client with or without a bearer token
//! that fails the test on any 5xx, signed-in sessions, and small helpers for
//! instants, pages and images.
#![allow(dead_code)]

use std::time::Duration;

use reqwest::{Method, StatusCode};
use serde_json::Value;

/// An HTTP client for one server, with or without a bearer token.
#[derive(Clone)]
pub struct Api {
    http: reqwest::Client,
    pub base: String,
    pub token: Option<String>,
}

impl Api {
    pub fn new(base: &str, token: Option<String>) -> Api {
        let http = reqwest::Client::builder()
            .no_proxy()
            .timeout(Duration::from_secs(60))
            .build()
            .expect("http client");
        Api {
            http,
            base: base.to_string(),
            token,
        }
    }

    /// The same server with another token (or none).
    pub fn with_token(&self, token: Option<&str>) -> Api {
        Api {
            http: self.http.clone(),
            base: self.base.clone(),
            token: token.map(str::to_string),
        }
    }

    /// A request with the bearer token, for headers and raw bodies.
    pub fn request(&self, method: Method, path: &str) -> reqwest::RequestBuilder {
        let rb = self.http.request(method, format!("{}{path}", self.base));
        match &self.token {
            Some(t) => rb.bearer_auth(t),
            None => rb,
        }
    }

    /// Sends a request: the status and the body as JSON (a non-JSON body
    /// becomes a JSON string, an empty one `null`). A 5xx fails the test.
    pub async fn send(&self, rb: reqwest::RequestBuilder) -> (StatusCode, Value) {
        let (status, bytes) = self.send_bytes(rb).await;
        let body = if bytes.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&bytes)
                .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned()))
        };
        (status, body)
    }

    /// Like [`Api::send`], with the raw body.
    pub async fn send_bytes(&self, rb: reqwest::RequestBuilder) -> (StatusCode, Vec<u8>) {
        let req = rb.build().expect("request");
        let what = format!("{} {}", req.method(), req.url());
        let res = self
            .http
            .execute(req)
            .await
            .unwrap_or_else(|e| panic!("{what}: {e}"));
        let status = res.status();
        let bytes = res.bytes().await.expect("body").to_vec();
        assert!(
            !status.is_server_error(),
            "{what} answered {status}: {}",
            String::from_utf8_lossy(&bytes)
        );
        (status, bytes)
    }

    pub async fn get(&self, path: &str) -> (StatusCode, Value) {
        self.send(self.request(Method::GET, path)).await
    }

    pub async fn delete(&self, path: &str) -> (StatusCode, Value) {
        self.send(self.request(Method::DELETE, path)).await
    }

    pub async fn post(&self, path: &str, body: Value) -> (StatusCode, Value) {
        self.send(self.request(Method::POST, path).json(&body))
            .await
    }

    pub async fn put(&self, path: &str, body: Value) -> (StatusCode, Value) {
        self.send(self.request(Method::PUT, path).json(&body)).await
    }

    /// A raw body with a content type (malformed JSON and the like).
    pub async fn raw(&self, method: Method, path: &str, body: &str) -> (StatusCode, Value) {
        let rb = self
            .request(method, path)
            .header("content-type", "application/json")
            .body(body.to_string());
        self.send(rb).await
    }
}

/// A signed-in user: their tokens, the `user` object of the login answer,
/// and an [`Api`] carrying the access token.
#[derive(Clone)]
pub struct Session {
    pub token: String,
    pub refresh_token: String,
    pub user: Value,
    pub api: Api,
}

impl Session {
    pub fn from_login(base: &str, body: Value) -> Session {
        let token = body["token"].as_str().expect("token").to_string();
        let refresh_token = body["refresh_token"]
            .as_str()
            .expect("refresh_token")
            .to_string();
        Session {
            api: Api::new(base, Some(token.clone())),
            token,
            refresh_token,
            user: body["user"].clone(),
        }
    }

    /// The user's (and employee's) id.
    pub fn id(&self) -> String {
        self.user["id"].as_str().expect("user.id").to_string()
    }

    /// The employee id Gauzy clients send.
    pub fn employee_id(&self) -> String {
        self.user["employee"]["id"]
            .as_str()
            .expect("employee.id")
            .to_string()
    }

    pub fn org_id(&self) -> String {
        self.user["employee"]["organizationId"]
            .as_str()
            .expect("organizationId")
            .to_string()
    }
}

impl std::ops::Deref for Session {
    type Target = Api;
    fn deref(&self) -> &Api {
        &self.api
    }
}

/// Is `s` an ISO-8601 UTC instant with milliseconds, `2024-01-15T09:00:00.000Z`?
pub fn is_iso_millis(s: &str) -> bool {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| r.into_iter().all(|i| b[i].is_ascii_digit());
    b.len() == 24
        && digits(0..4)
        && b[4] == b'-'
        && digits(5..7)
        && b[7] == b'-'
        && digits(8..10)
        && b[10] == b'T'
        && digits(11..13)
        && b[13] == b':'
        && digits(14..16)
        && b[16] == b':'
        && digits(17..19)
        && b[19] == b'.'
        && digits(20..23)
        && b[23] == b'Z'
}

/// The instant `iso` (any RFC 3339) as chrono's UTC time.
pub fn instant(iso: &str) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::parse_from_rfc3339(iso)
        .unwrap_or_else(|e| panic!("'{iso}' is not RFC 3339: {e}"))
        .to_utc()
}

/// `t` spelled as Gauzy does.
pub fn iso(t: chrono::DateTime<chrono::Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// Now, to the millisecond, shifted by `secs`.
pub fn now_plus(secs: i64) -> chrono::DateTime<chrono::Utc> {
    let now = chrono::Utc::now();
    let now = chrono::DateTime::from_timestamp_millis(now.timestamp_millis()).unwrap_or(now);
    now + chrono::Duration::seconds(secs)
}

/// The ids of a `{items, total}` page, checking `total` matches.
pub fn ids(page: &Value) -> Vec<String> {
    let items = page["items"]
        .as_array()
        .unwrap_or_else(|| panic!("not a page: {page}"));
    assert_eq!(page["total"].as_u64(), Some(items.len() as u64), "{page}");
    items
        .iter()
        .map(|i| i["id"].as_str().expect("id").to_string())
        .collect()
}

/// A multipart form holding `png` as a screenshot's `file` (add fields with
/// `.text(..)`).
pub fn png_form(png: Vec<u8>) -> reqwest::multipart::Form {
    let file = reqwest::multipart::Part::bytes(png)
        .file_name("screenshot.png")
        .mime_str("image/png")
        .expect("mime");
    reqwest::multipart::Form::new().part("file", file)
}

impl Api {
    /// `POST /api/timesheet/screenshot` with `form`: the status and the
    /// screenshot as the server spells it.
    pub async fn upload_shot(&self, form: reqwest::multipart::Form) -> (StatusCode, Value) {
        let rb = self
            .request(Method::POST, "/api/timesheet/screenshot")
            .multipart(form);
        self.send(rb).await
    }
}

/// A PNG of `w`×`h` pixels, made with the `image` crate.
pub fn png(w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(w, h, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, ((x + y) % 256) as u8])
    });
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png)
        .expect("encode png");
    out.into_inner()
}

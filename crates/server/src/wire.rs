//! Parsing and spelling shared by both dialects: instants, query strings and
//! JSON bodies, each failing with a 400 that says what was wrong.

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use chrono::{NaiveDate, NaiveDateTime, SecondsFormat};
use serde::de::DeserializeOwned;
use stint_model::Instant;
use uuid::Uuid;

use crate::error::AppError;

/// Gauzy's instant spelling: `2024-01-15T09:00:00.000Z`.
pub fn iso(t: Instant) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// Parses an instant as clients send it: RFC 3339 (`...Z` or with offset),
/// `YYYY-MM-DD HH:mm:ss` / `YYYY-MM-DDTHH:mm:ss(.sss)` without zone (UTC, as
/// the Gauzy desktop timer sends `todayStart`), or a bare date (its start in
/// `tz`).
pub fn parse_instant(s: &str, field: &str, tz: chrono_tz::Tz) -> Result<Instant, AppError> {
    let s = s.trim();
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(s) {
        return Ok(stint_model::to_millis_precision(t.to_utc()));
    }
    for fmt in [
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M",
    ] {
        if let Ok(t) = NaiveDateTime::parse_from_str(s, fmt) {
            return Ok(stint_model::to_millis_precision(t.and_utc()));
        }
    }
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return Ok(stint_model::local_midnight(d, tz));
    }
    Err(AppError::bad_request(format!(
        "{field} must be an ISO-8601 instant such as 2024-01-15T09:00:00.000Z, got '{s}'"
    )))
}

/// The end of a range given as `endDate`: a bare date means the whole day.
pub fn parse_range_end(s: &str, field: &str, tz: chrono_tz::Tz) -> Result<Instant, AppError> {
    match NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d") {
        Ok(d) => Ok(stint_model::local_midnight(d.succ_opt().unwrap_or(d), tz)),
        Err(_) => parse_instant(s, field, tz),
    }
}

pub fn parse_uuid(s: &str, field: &str) -> Result<Uuid, AppError> {
    Uuid::parse_str(s.trim())
        .map_err(|_| AppError::bad_request(format!("{field} must be a UUID, got '{s}'")))
}

/// A query string as a list of pairs. Unknown, repeated and bracketed keys
/// (`ids[0]=..`, `relations[]=..`) all parse; they are never a 400 by
/// themselves.
#[derive(Debug, Default, Clone)]
pub struct Query(pub Vec<(String, String)>);

impl Query {
    pub fn parse(raw: &str) -> Query {
        Query(
            form_urlencoded::parse(raw.as_bytes())
                .into_owned()
                .collect(),
        )
    }

    /// Values that mean "not given": empty, or JavaScript's spelling of a
    /// missing value (`HttpParams` turns `undefined` into the string).
    fn blank(v: &str) -> bool {
        v.is_empty() || v == "undefined" || v == "null"
    }

    /// The key without any `[..]` suffix.
    fn base(key: &str) -> &str {
        key.split('[').next().unwrap_or(key)
    }

    /// First non-empty value of `key` (bracketed forms included).
    pub fn get(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, v)| Self::base(k) == key && !Self::blank(v))
            .map(|(_, v)| v.as_str())
    }

    /// Every value of any of `keys`, bracketed or repeated, comma lists split.
    pub fn all(&self, keys: &[&str]) -> Vec<&str> {
        self.0
            .iter()
            .filter(|(k, _)| keys.contains(&Self::base(k)))
            .flat_map(|(_, v)| v.split(','))
            .map(str::trim)
            .filter(|v| !Self::blank(v))
            .collect()
    }

    pub fn uuids(&self, keys: &[&str]) -> Result<Vec<Uuid>, AppError> {
        self.all(keys)
            .into_iter()
            .map(|v| parse_uuid(v, keys[0]))
            .collect()
    }

    /// The pairs nested under `outer` (`where[projectId]=..` becomes
    /// `projectId=..`, `where[teams][id]=..` becomes `teams[id]=..`), for
    /// the TypeORM-style `where` objects Gauzy's clients send.
    pub fn inner(&self, outer: &str) -> Query {
        let prefix = format!("{outer}[");
        Query(
            self.0
                .iter()
                .filter_map(|(k, v)| {
                    let rest = k.strip_prefix(&prefix)?;
                    Some((rest.replacen(']', "", 1), v.clone()))
                })
                .collect(),
        )
    }

    pub fn int(&self, key: &str) -> Result<Option<i64>, AppError> {
        self.get(key)
            .map(|v| {
                v.parse::<i64>().map_err(|_| {
                    AppError::bad_request(format!("{key} must be a whole number, got '{v}'"))
                })
            })
            .transpose()
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Query {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Query::parse(parts.uri.query().unwrap_or("")))
    }
}

/// A JSON body whose every failure (not JSON, wrong types, unknown enum
/// values, missing fields) is a 400 naming the problem, never a 500.
pub struct Json<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for Json<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, _: &S) -> Result<Self, Self::Rejection> {
        let content_type = req
            .headers()
            .get(axum::http::header::CONTENT_TYPE)
            .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
        let bytes = read_body(req.into_body(), crate::JSON_LIMIT).await?;
        let bytes: &[u8] = if bytes.iter().all(u8::is_ascii_whitespace) {
            b"{}"
        } else {
            // A body that says it is something else is not read as JSON
            // (no header at all is taken as JSON).
            if let Some(ct) = content_type.filter(|ct| !is_json(ct)) {
                return Err(AppError::new(
                    axum::http::StatusCode::UNSUPPORTED_MEDIA_TYPE,
                    format!("the body must be JSON (Content-Type: application/json), got '{ct}'"),
                ));
            }
            &bytes
        };
        // serde_json checks only the strings it keeps; an ignored field
        // could still carry bytes that are not UTF-8.
        if std::str::from_utf8(bytes).is_err() {
            return Err(AppError::bad_request("invalid JSON body: it is not UTF-8"));
        }
        // PostgreSQL cannot store a NUL character, so no backend gets one.
        if escapes_nul(bytes) {
            return Err(AppError::bad_request(
                "invalid JSON body: text must not contain NUL (\\u0000) characters",
            ));
        }
        let de = &mut serde_json::Deserializer::from_slice(bytes);
        let value = deserialize_body(de)?;
        Ok(Json(value))
    }
}

impl<T: serde::Serialize> axum::response::IntoResponse for Json<T> {
    fn into_response(self) -> axum::response::Response {
        axum::Json(self.0).into_response()
    }
}

/// Most of an over-limit body the server still reads, and throws away,
/// before it answers 413: a client is usually still sending, and a server
/// that closes the connection on unread data resets it, so the client would
/// see a broken connection instead of the answer.
pub const DRAIN_LIMIT: usize = 256 * 1024 * 1024;

/// Reads a request body of at most `limit` bytes; a longer one is 413 (read
/// to its end first, up to [`DRAIN_LIMIT`]).
pub async fn read_body(mut body: axum::body::Body, limit: usize) -> Result<Bytes, AppError> {
    use axum::body::HttpBody;
    let too_large = || {
        AppError::new(
            axum::http::StatusCode::PAYLOAD_TOO_LARGE,
            format!("the body is larger than {} MiB", limit >> 20),
        )
    };
    if body.size_hint().lower() > DRAIN_LIMIT as u64 {
        return Err(too_large());
    }
    let mut kept = Vec::new();
    let mut seen = 0usize;
    while let Some(frame) =
        std::future::poll_fn(|cx| std::pin::Pin::new(&mut body).poll_frame(cx)).await
    {
        let frame =
            frame.map_err(|e| AppError::bad_request(format!("could not read the body: {e}")))?;
        let Ok(data) = frame.into_data() else {
            continue;
        };
        seen = seen.saturating_add(data.len());
        if seen <= limit {
            kept.extend_from_slice(&data);
        } else if seen > DRAIN_LIMIT {
            break;
        }
    }
    if seen > limit {
        return Err(too_large());
    }
    Ok(Bytes::from(kept))
}

/// Does a JSON text escape a NUL character (`\u0000`)? A backslash only
/// appears in strings, where it escapes the character after it.
fn escapes_nul(json: &[u8]) -> bool {
    let mut i = 0;
    while i < json.len() {
        if json[i] == b'\\' {
            if json.get(i + 1..i + 6) == Some(&b"u0000"[..]) {
                return true;
            }
            i += 2;
        } else {
            i += 1;
        }
    }
    false
}

/// `application/json` or any `+json` type, parameters aside.
fn is_json(content_type: &str) -> bool {
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    essence == "application/json" || essence.ends_with("+json")
}

/// Path parameters whose rejection (say invalid UTF-8 in a segment) is a
/// 400 in the dialects' JSON error shape, like every other error.
pub struct Path<T>(pub T);

impl<T, S> FromRequestParts<S> for Path<T>
where
    T: DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Path::<T>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Path(v)| Path(v))
            .map_err(|e| AppError::new(e.status(), e.body_text()))
    }
}

/// Deserialises with serde_json's own line/column message, prefixed so a
/// client knows it was the body.
fn deserialize_body<T: DeserializeOwned>(
    de: &mut serde_json::Deserializer<serde_json::de::SliceRead<'_>>,
) -> Result<T, AppError> {
    let v = T::deserialize(&mut *de)
        .map_err(|e| AppError::bad_request(format!("invalid JSON body: {e}")))?;
    de.end()
        .map_err(|e| AppError::bad_request(format!("invalid JSON body: {e}")))?;
    Ok(v)
}

/// A JSON field that may be absent, `null`, a string or an array of strings
/// (Gauzy's `timeLogId` is any of these).
#[derive(Debug, Default, Clone, serde::Deserialize)]
#[serde(untagged)]
pub enum OneOrMany {
    #[default]
    None,
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    pub fn uuids(&self, field: &str) -> Result<Vec<Uuid>, AppError> {
        match self {
            OneOrMany::None => Ok(vec![]),
            OneOrMany::One(s) if s.is_empty() => Ok(vec![]),
            OneOrMany::One(s) => Ok(vec![parse_uuid(s, field)?]),
            OneOrMany::Many(v) => v.iter().map(|s| parse_uuid(s, field)).collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bracketed_repeated_and_unknown_keys_parse() {
        let q = Query::parse(
            "ids[0]=a&ids[1]=b&relations=employee&relations=employee.user&x=&weird[]=1",
        );
        assert_eq!(q.all(&["ids"]), vec!["a", "b"]);
        assert_eq!(q.all(&["relations"]).len(), 2);
        assert_eq!(q.get("x"), None);
        assert_eq!(q.get("weird"), Some("1"));
        let q = Query::parse("employeeId=undefined&projectIds[0]=null&x=1");
        assert!(q.all(&["employeeId", "projectIds"]).is_empty());
    }

    #[test]
    fn nul_escapes_are_found_and_escaped_backslashes_are_not() {
        assert!(escapes_nul(br#"{"a":"x\u0000"}"#));
        assert!(escapes_nul(br#"{"a":"\\\u0000"}"#));
        assert!(!escapes_nul(br#"{"a":"\\u0000"}"#));
        assert!(escapes_nul(br#"{"a":"\u00001"}"#));
        assert!(!escapes_nul(br#"{"a":"u0000 \u0001"}"#));
    }

    #[test]
    fn json_content_types() {
        for ct in [
            "application/json",
            "Application/JSON; charset=utf-8",
            "application/vnd.api+json",
        ] {
            assert!(is_json(ct), "{ct}");
        }
        for ct in [
            "text/plain",
            "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=x",
            "",
        ] {
            assert!(!is_json(ct), "{ct}");
        }
    }

    #[test]
    fn instants_parse_in_the_forms_clients_send() {
        let utc = chrono_tz::UTC;
        let a = parse_instant("2024-01-15T09:00:00.000Z", "t", utc).unwrap();
        assert_eq!(iso(a), "2024-01-15T09:00:00.000Z");
        assert_eq!(parse_instant("2024-01-15 09:00:00", "t", utc).unwrap(), a);
        assert_eq!(
            parse_instant("2024-01-15T10:00:00+01:00", "t", utc).unwrap(),
            a
        );
        assert!(
            parse_instant("yesterday", "startedAt", utc)
                .unwrap_err()
                .message
                .contains("startedAt")
        );
        let end = parse_range_end("2024-01-15", "endDate", utc).unwrap();
        assert_eq!(iso(end), "2024-01-16T00:00:00.000Z");
    }
}

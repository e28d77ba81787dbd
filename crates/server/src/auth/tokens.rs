//! Signed tokens: access JWTs (the Gauzy desktop timer reads their `exp`),
//! rotating refresh tokens, and short-lived signed screenshot URLs.
//!
//! An access token names its session (`sid`); every request checks the
//! session is still live, so logout and refresh-token theft detection revoke
//! tokens before they expire.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::error::AppError;

#[derive(Debug, Serialize, Deserialize)]
pub struct AccessClaims {
    pub sub: Uuid,
    pub sid: Uuid,
    pub org: Uuid,
    pub iat: i64,
    pub exp: i64,
}

/// Grants reading one screenshot image until `exp`, to one viewer in one
/// session: the link dies when that session ends, and every fetch checks
/// again that the viewer may still see the image.
#[derive(Debug, Serialize, Deserialize)]
struct UrlClaims {
    org: Uuid,
    shot: Uuid,
    kind: String,
    /// The viewer the link was made for, and their session.
    sub: Uuid,
    sid: Uuid,
    exp: i64,
}

/// Who a verified image link was made for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UrlGrant {
    pub org: Uuid,
    pub viewer: Uuid,
    pub session: Uuid,
}

pub struct Keys {
    enc: EncodingKey,
    dec: DecodingKey,
    pub access_ttl: chrono::Duration,
    pub refresh_ttl: chrono::Duration,
    /// How long a rotated-out refresh token is still taken, once (see
    /// [`REFRESH_GRACE`](crate::auth::sessions::REFRESH_GRACE)).
    pub refresh_grace: chrono::Duration,
    pub url_ttl: chrono::Duration,
}

impl Keys {
    pub fn new(secret: &[u8], access_ttl: chrono::Duration) -> Keys {
        Keys {
            enc: EncodingKey::from_secret(secret),
            dec: DecodingKey::from_secret(secret),
            access_ttl,
            refresh_ttl: chrono::Duration::days(30),
            refresh_grace: crate::auth::sessions::REFRESH_GRACE,
            url_ttl: chrono::Duration::minutes(15),
        }
    }

    fn validation() -> Validation {
        let mut v = Validation::new(Algorithm::HS256);
        v.leeway = 0;
        v.required_spec_claims = ["exp"].into_iter().map(String::from).collect();
        v
    }

    pub fn access(&self, user_id: Uuid, org_id: Uuid, sid: Uuid) -> String {
        let now = chrono::Utc::now().timestamp();
        let claims = AccessClaims {
            sub: user_id,
            sid,
            org: org_id,
            iat: now,
            exp: now + self.access_ttl.num_seconds(),
        };
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.enc).unwrap_or_default()
    }

    pub fn verify_access(&self, token: &str) -> Result<AccessClaims, AppError> {
        jsonwebtoken::decode::<AccessClaims>(token, &self.dec, &Self::validation())
            .map(|d| d.claims)
            .map_err(|e| match e.kind() {
                jsonwebtoken::errors::ErrorKind::ExpiredSignature => {
                    AppError::unauthorized("token expired, sign in again")
                }
                _ => AppError::unauthorized("invalid token"),
            })
    }

    /// A query token that lets a browser `<img>` load one screenshot image
    /// for a few minutes without the bearer header, for `viewer` only.
    pub fn sign_url(&self, viewer: &UrlGrant, shot: Uuid, kind: &str) -> String {
        let exp = chrono::Utc::now().timestamp() + self.url_ttl.num_seconds();
        let claims = UrlClaims {
            org: viewer.org,
            shot,
            kind: kind.to_string(),
            sub: viewer.viewer,
            sid: viewer.session,
            exp,
        };
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.enc).unwrap_or_default()
    }

    /// Whom `token` was made for, if it grants reading this image. The
    /// caller still checks that session and that viewer's access.
    pub fn verify_url(&self, token: &str, shot: Uuid, kind: &str) -> Option<UrlGrant> {
        let d = jsonwebtoken::decode::<UrlClaims>(token, &self.dec, &Self::validation()).ok()?;
        let c = d.claims;
        (c.shot == shot && c.kind == kind).then_some(UrlGrant {
            org: c.org,
            viewer: c.sub,
            session: c.sid,
        })
    }
}

/// A new refresh token for a session, `sid.secret`, and the hash we store.
pub fn new_refresh(sid: Uuid) -> (String, String) {
    let mut secret = [0u8; 32];
    rand::rng().fill_bytes(&mut secret);
    let token = format!("{}.{}", sid.simple(), URL_SAFE_NO_PAD.encode(secret));
    let hash = hash_refresh(&token);
    (token, hash)
}

/// The session a refresh token claims to belong to.
pub fn refresh_session(token: &str) -> Option<Uuid> {
    Uuid::try_parse(token.split_once('.')?.0).ok()
}

pub fn hash_refresh(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// A fresh random secret for signing, stored once per server database.
pub fn random_secret() -> String {
    let mut secret = [0u8; 48];
    rand::rng().fill_bytes(&mut secret);
    URL_SAFE_NO_PAD.encode(secret)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn access_tokens_verify_and_tampering_fails() {
        let k = Keys::new(b"secret", chrono::Duration::hours(1));
        let (u, o, s) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
        let t = k.access(u, o, s);
        let c = k.verify_access(&t).unwrap();
        assert_eq!((c.sub, c.org, c.sid), (u, o, s));
        let other = Keys::new(b"other", chrono::Duration::hours(1));
        assert!(other.verify_access(&t).is_err());
    }

    #[test]
    fn expired_tokens_are_refused() {
        let k = Keys::new(b"secret", chrono::Duration::seconds(-5));
        let t = k.access(Uuid::nil(), Uuid::nil(), Uuid::nil());
        assert!(k.verify_access(&t).unwrap_err().message.contains("expired"));
    }

    #[test]
    fn url_tokens_are_bound_to_one_image() {
        let k = Keys::new(b"secret", chrono::Duration::hours(1));
        let shot = Uuid::now_v7();
        let viewer = UrlGrant {
            org: Uuid::now_v7(),
            viewer: Uuid::now_v7(),
            session: Uuid::now_v7(),
        };
        let t = k.sign_url(&viewer, shot, "thumb");
        assert_eq!(k.verify_url(&t, shot, "thumb"), Some(viewer));
        assert!(k.verify_url(&t, shot, "file").is_none());
        assert!(k.verify_url(&t, Uuid::now_v7(), "thumb").is_none());
    }

    #[test]
    fn refresh_tokens_name_their_session() {
        let sid = Uuid::now_v7();
        let (t, h) = new_refresh(sid);
        assert_eq!(refresh_session(&t), Some(sid));
        assert_eq!(hash_refresh(&t), h);
        assert_eq!(refresh_session("garbage"), None);
    }
}

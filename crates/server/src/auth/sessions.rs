//! Sign-in, refresh and sign-out, dialect-free.

use stint_model::{Organization, User};
use stint_store::{Session, StoreError};
use uuid::Uuid;

use super::{password, tokens};
use crate::error::{AppError, AppResult};
use crate::state::AppState;

pub struct SignedIn {
    pub user: User,
    pub org: Organization,
    pub token: String,
    pub refresh_token: String,
}

/// Checks e-mail and password (throttled per account and per address) and
/// opens a session.
pub async fn login(state: &AppState, email: &str, pass: &str, addr: &str) -> AppResult<SignedIn> {
    let email = email.trim().to_lowercase();
    if let Some(wait) = state.throttle.blocked(&email, addr) {
        return Err(AppError::new(
            axum::http::StatusCode::TOO_MANY_REQUESTS,
            format!("too many failed sign-ins, try again in {wait} s"),
        ));
    }
    let user = match state.store.user_by_email(&email).await {
        Ok(u) => Some(u),
        Err(StoreError::NotFound) => None,
        Err(e) => return Err(e.into()),
    };
    let hash = user
        .as_ref()
        .map(|u| u.password_hash.clone())
        .unwrap_or_else(|| password::decoy().to_string());
    let pass = pass.to_string();
    let ok = tokio::task::spawn_blocking(move || password::verify(&pass, &hash))
        .await
        .unwrap_or(false);
    let user = match (ok, user) {
        (true, Some(u)) => u,
        _ => {
            state.throttle.failed(&email, addr);
            return Err(AppError::unauthorized("wrong e-mail or password"));
        }
    };
    state.throttle.succeeded(&email, addr);
    let org = state.store.org(user.org_id).await?;
    let sid = Uuid::now_v7();
    let (refresh_token, refresh_hash) = tokens::new_refresh(sid);
    let expires_at = chrono::Utc::now() + state.keys.refresh_ttl;
    state
        .store
        .create_session(Session {
            id: sid,
            user_id: user.id,
            refresh_hash,
            expires_at,
            revoked: false,
        })
        .await?;
    let token = state.keys.access(user.id, org.id, sid);
    Ok(SignedIn {
        user,
        org,
        token,
        refresh_token,
    })
}

/// Trades a refresh token for a new access and refresh token. Presenting an
/// already-rotated refresh token means it was copied: the session is revoked.
pub async fn refresh(state: &AppState, refresh_token: &str) -> AppResult<SignedIn> {
    let invalid = || AppError::unauthorized("invalid refresh token, sign in again");
    let sid = tokens::refresh_session(refresh_token).ok_or_else(invalid)?;
    let session = state.store.session(sid).await.map_err(|_| invalid())?;
    if session.revoked || session.expires_at < chrono::Utc::now() {
        return Err(invalid());
    }
    let old = tokens::hash_refresh(refresh_token);
    let (new_token, new_hash) = tokens::new_refresh(sid);
    let expires_at = chrono::Utc::now() + state.keys.refresh_ttl;
    if old != session.refresh_hash
        || !state
            .store
            .rotate_session(sid, &old, &new_hash, expires_at)
            .await?
    {
        tracing::warn!(session = %sid, "refresh token replayed; revoking the session");
        state.store.revoke_session(sid).await?;
        return Err(invalid());
    }
    let user = state
        .store
        .user_by_id(session.user_id)
        .await
        .map_err(|_| AppError::unauthorized("user no longer exists"))?;
    let org = state.store.org(user.org_id).await?;
    let token = state.keys.access(user.id, org.id, sid);
    Ok(SignedIn {
        user,
        org,
        token,
        refresh_token: new_token,
    })
}

/// Ends the session named by a refresh token (only if the token is its
/// current one, so a guessed session id ends nothing) or the caller's own.
pub async fn logout(
    state: &AppState,
    refresh_token: Option<&str>,
    current: Option<Uuid>,
) -> AppResult<()> {
    let by_token = match refresh_token.filter(|t| !t.is_empty()) {
        Some(t) => match tokens::refresh_session(t).map(|sid| (sid, state.store.session(sid))) {
            Some((sid, fut)) => match fut.await {
                Ok(s) if s.refresh_hash == tokens::hash_refresh(t) => Some(sid),
                Ok(_) | Err(StoreError::NotFound) => None,
                Err(e) => return Err(e.into()),
            },
            None => None,
        },
        None => None,
    };
    match by_token.or(current) {
        Some(sid) => Ok(state.store.revoke_session(sid).await?),
        None if refresh_token.is_some() => Err(AppError::unauthorized("invalid refresh token")),
        None => Err(AppError::bad_request("refresh_token is required")),
    }
}

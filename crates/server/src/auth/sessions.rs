//! Sign-in, refresh and sign-out, dialect-free.

use std::net::IpAddr;

use axum::response::{IntoResponse, Response};
use stint_model::{Organization, User};
use stint_store::{Rotated, Session, StoreError};
use uuid::Uuid;

use super::throttle::Throttled;
use super::{password, tokens};
use crate::error::{AppError, AppResult};
use crate::metrics;
use crate::state::AppState;

/// How long after a refresh the refresh token it replaced is still taken,
/// and then only once. A refresh whose answer is lost on the way (network
/// drop, proxy, crash) leaves the agent holding the token the server has
/// just rotated out; without a grace its retry looks like a stolen token
/// replayed, the session is revoked and the person must sign in again. A
/// minute covers an agent's retries with backoff; an old token presented
/// later than that is still treated as theft.
pub const REFRESH_GRACE: chrono::Duration = chrono::Duration::seconds(60);

pub struct SignedIn {
    pub user: User,
    pub org: Organization,
    pub token: String,
    pub refresh_token: String,
}

/// Why a sign-in was refused: throttled (429 with `Retry-After`), or any
/// other error.
#[derive(Debug)]
pub enum SignInError {
    Throttled(Throttled),
    Other(AppError),
}

impl From<Throttled> for SignInError {
    fn from(t: Throttled) -> Self {
        SignInError::Throttled(t)
    }
}

impl From<AppError> for SignInError {
    fn from(e: AppError) -> Self {
        SignInError::Other(e)
    }
}

impl From<StoreError> for SignInError {
    fn from(e: StoreError) -> Self {
        SignInError::Other(e.into())
    }
}

impl IntoResponse for SignInError {
    fn into_response(self) -> Response {
        match self {
            SignInError::Throttled(t) => t.into_response(),
            SignInError::Other(e) => e.into_response(),
        }
    }
}

/// Checks e-mail and password and opens a session. Throttled per account
/// and client address and per client address (see [`super::throttle`]), so
/// others' failures never keep the owner out.
pub async fn login(
    state: &AppState,
    email: &str,
    pass: &str,
    client: IpAddr,
) -> Result<SignedIn, SignInError> {
    let email = email.trim().to_lowercase();
    let attempt = match state.throttle.begin(&email, client) {
        Ok(a) => a,
        Err(t) => {
            metrics::sign_in(metrics::SignIn::Throttled);
            return Err(t.into());
        }
    };
    let user = match state.store.user_by_email(&email).await {
        Ok(u) => Some(u),
        Err(StoreError::NotFound) => None,
        Err(e) => {
            attempt.refund();
            metrics::sign_in(metrics::SignIn::Error);
            return Err(e.into());
        }
    };
    let hash = user
        .as_ref()
        .map(|u| u.password_hash.clone())
        .unwrap_or_else(|| password::decoy().to_string());
    let ok = password::verify_bounded(pass.to_string(), hash).await;
    let user = match (ok, user) {
        (true, Some(u)) => u,
        // The attempt stays counted.
        _ => {
            metrics::sign_in(metrics::SignIn::Failed);
            return Err(AppError::unauthorized("wrong e-mail or password").into());
        }
    };
    attempt.succeeded();
    metrics::sign_in(metrics::SignIn::Ok);
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
            previous_hash: None,
            rotated_at: None,
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

/// Trades a refresh token for a new access and refresh token.
///
/// Refresh tokens rotate on every use. The token a rotation replaced (the
/// previous one) is taken once more within the grace
/// ([`REFRESH_GRACE`], `Keys::refresh_grace`): that is the agent retrying
/// after a lost answer. It rotates again, and the token the lost answer
/// carried is forgotten, not kept as the previous one. Of the two who may
/// hold a token now, the agent that lost an answer and whoever received
/// that answer if it was stolen rather than lost, one holds the newest
/// token and the other a forgotten one, whose next use revokes the session
/// (the thief is found out at the latest when the agent next refreshes).
/// Keeping the lost answer's token as the previous one instead would let
/// the two take turns for ever, each refreshing within the other's grace.
///
/// Anything else (the previous token a second time or after its grace, an
/// older one, or the forgotten one) means a token was copied: the session
/// is revoked, so every token of it stops working. The store decides with
/// one compare-and-set, so of replicas receiving the same token at once
/// exactly one wins.
pub async fn refresh(state: &AppState, refresh_token: &str) -> AppResult<SignedIn> {
    let invalid = || AppError::unauthorized("invalid refresh token, sign in again");
    let sid = tokens::refresh_session(refresh_token).ok_or_else(invalid)?;
    let session = state.store.session(sid).await.map_err(|_| invalid())?;
    let now = chrono::Utc::now();
    if session.revoked || session.expires_at < now {
        return Err(invalid());
    }
    let presented = tokens::hash_refresh(refresh_token);
    let (new_token, new_hash) = tokens::new_refresh(sid);
    let rotated = state
        .store
        .rotate_session(
            sid,
            &presented,
            &new_hash,
            now,
            now - state.keys.refresh_grace,
            now + state.keys.refresh_ttl,
        )
        .await?;
    match rotated {
        Rotated::Current => {}
        Rotated::Previous => tracing::info!(
            session = %sid,
            "previous refresh token inside its grace (an answer was lost); rotated again"
        ),
        Rotated::Refused => {
            tracing::warn!(session = %sid, "refresh token replayed; revoking the session");
            revoke(state, sid).await?;
            return Err(invalid());
        }
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
/// current or its previous one, so a guessed session id ends nothing) or
/// the caller's own. The previous token is taken whether or not its refresh
/// grace is over: an agent whose refresh answer was lost signs out with the
/// token it has, and anyone else holding that token could end the session
/// anyway by presenting it to refresh (a replay revokes).
pub async fn logout(
    state: &AppState,
    refresh_token: Option<&str>,
    current: Option<Uuid>,
) -> AppResult<()> {
    let by_token = match refresh_token.filter(|t| !t.is_empty()) {
        Some(t) => match tokens::refresh_session(t).map(|sid| (sid, state.store.session(sid))) {
            Some((sid, fut)) => match fut.await {
                Ok(s) if is_current_or_previous(&s, &tokens::hash_refresh(t)) => Some(sid),
                Ok(_) | Err(StoreError::NotFound) => None,
                Err(e) => return Err(e.into()),
            },
            None => None,
        },
        None => None,
    };
    match by_token.or(current) {
        Some(sid) => revoke(state, sid).await,
        None if refresh_token.is_some() => Err(AppError::unauthorized("invalid refresh token")),
        None => Err(AppError::bad_request("refresh_token is required")),
    }
}

/// Ends session `sid`: stored, so every replica refuses it once its caller
/// cache forgets it (within `CALLER_TTL`), and forgotten here now, so this
/// replica refuses its next request.
async fn revoke(state: &AppState, sid: Uuid) -> AppResult<()> {
    let revoked = state.store.revoke_session(sid).await;
    state.callers.forget(sid);
    Ok(revoked?)
}

fn is_current_or_previous(session: &Session, hash: &str) -> bool {
    session.refresh_hash == hash || session.previous_hash.as_deref() == Some(hash)
}

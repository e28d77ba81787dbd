//! Sign-in as the Ever Gauzy desktop timer does it: the workspace probe,
//! login, refresh-token rotation and logout.

use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use serde_json::{Value, json};
use stint_model::{Organization, User};
use utoipa::ToSchema;

use crate::auth::Caller;
use crate::auth::client_addr::ClientAddr;
use crate::auth::sessions::{self, SignInError};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::wire::Json;

#[derive(Deserialize, ToSchema)]
pub struct Credentials {
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub password: String,
}

#[derive(Deserialize, ToSchema)]
pub struct RefreshBody {
    pub refresh_token: Option<String>,
}

/// The user object the desktop timer reads after login.
pub fn user_json(user: &User, org: &Organization) -> Value {
    let (first, last) = user.name.split_once(' ').unwrap_or((&user.name, ""));
    json!({
        "id": user.id,
        "email": user.email,
        "name": user.name,
        "firstName": first,
        "lastName": last,
        "role": { "name": user.role.gauzy_name() },
        "roleName": user.role.gauzy_name(),
        "tenantId": org.id,
        "timeZone": user.timezone,
        "imageUrl": null,
        "employee": {
            "id": user.id,
            "userId": user.id,
            "organizationId": org.id,
            "tenantId": org.id,
            "supervisorId": user.supervisor_id,
            "organization": { "id": org.id, "name": org.name },
        },
    })
}

fn required(c: &Credentials) -> AppResult<()> {
    if c.email.trim().is_empty() || c.password.is_empty() {
        return Err(AppError::bad_request("email and password are required"));
    }
    Ok(())
}

/// The workspace probe the desktop timer sends before logging in.
#[utoipa::path(post, path = "/api/auth/signin.email.password", tag = "auth", request_body = Credentials,
    responses((status = 200, description = "Workspaces of this account"), (status = 401),
        (status = 429, description = "Too many failed sign-ins from this address; Retry-After says when to try again")))]
pub async fn signin_workspaces(
    State(st): State<AppState>,
    ClientAddr(client): ClientAddr,
    Json(c): Json<Credentials>,
) -> Result<Json<Value>, SignInError> {
    required(&c)?;
    let s = sessions::login(&st, &c.email, &c.password, client).await?;
    st.store
        .revoke_session(crate::auth::tokens::refresh_session(&s.refresh_token).unwrap_or_default())
        .await?;
    Ok(Json(json!({
        "total_workspaces": 1,
        "workspaces": [{ "user": user_json(&s.user, &s.org) }],
        "confirmed_email": true,
        "show_popup": false,
    })))
}

#[utoipa::path(post, path = "/api/auth/login", tag = "auth", request_body = Credentials,
    responses((status = 200, description = "{user, token, refresh_token}"), (status = 401),
        (status = 429, description = "Too many failed sign-ins from this address; Retry-After says when to try again")))]
pub async fn login(
    State(st): State<AppState>,
    ClientAddr(client): ClientAddr,
    Json(c): Json<Credentials>,
) -> Result<Json<Value>, SignInError> {
    required(&c)?;
    let s = sessions::login(&st, &c.email, &c.password, client).await?;
    Ok(Json(
        json!({ "user": user_json(&s.user, &s.org), "token": s.token, "refresh_token": s.refresh_token }),
    ))
}

#[utoipa::path(post, path = "/api/auth/refresh-token", tag = "auth", request_body = RefreshBody,
    responses((status = 200, description = "{token, refresh_token}"), (status = 401)))]
pub async fn refresh(
    State(st): State<AppState>,
    Json(b): Json<RefreshBody>,
) -> AppResult<Json<Value>> {
    let token = b
        .refresh_token
        .filter(|t| !t.is_empty())
        .ok_or_else(|| AppError::bad_request("refresh_token is required"))?;
    let s = sessions::refresh(&st, &token).await?;
    Ok(Json(
        json!({ "token": s.token, "refresh_token": s.refresh_token, "user": user_json(&s.user, &s.org) }),
    ))
}

/// Ends the session of the given refresh token, or the caller's own.
#[utoipa::path(post, path = "/api/auth/logout", tag = "auth", request_body = RefreshBody,
    responses((status = 200), (status = 400)))]
pub async fn logout(
    State(st): State<AppState>,
    caller: Option<Caller>,
    Json(b): Json<RefreshBody>,
) -> AppResult<(StatusCode, Json<Value>)> {
    sessions::logout(
        &st,
        b.refresh_token.as_deref(),
        caller.map(|c| c.session_id),
    )
    .await?;
    Ok((StatusCode::OK, Json(json!({ "message": "signed out" }))))
}

#[utoipa::path(get, path = "/api/user/me", tag = "auth", responses((status = 200), (status = 401)))]
pub async fn me(caller: Caller) -> Json<Value> {
    Json(user_json(&caller.user, &caller.org))
}

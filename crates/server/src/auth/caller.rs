//! The signed-in caller of a request.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use stint_model::{Organization, Role, User};
use stint_store::StoreError;
use uuid::Uuid;

use crate::error::AppError;
use crate::state::AppState;
use crate::wire::Query;

/// A caller whose bearer token verified, whose session is live and whose
/// user exists. Everything they touch is scoped to `org`.
#[derive(Debug, Clone)]
pub struct Caller {
    pub user: User,
    pub org: Organization,
    pub session_id: Uuid,
}

impl Caller {
    pub fn id(&self) -> Uuid {
        self.user.id
    }

    pub fn is_admin(&self) -> bool {
        self.user.role == Role::Admin
    }

    /// The caller behind a token naming `user` of `org` in session `sid`:
    /// 401 once the session has ended or the user is gone. Bearer tokens and
    /// signed image links both come through here, so a link dies with the
    /// session it was made in.
    ///
    /// That the session is live is remembered for
    /// [`CALLER_TTL`](crate::auth::caller_cache::CALLER_TTL) (5 s): a session
    /// revoked through this replica ends here at once, one revoked through
    /// another replica within that window (see [`crate::auth::caller_cache`]).
    /// The organization is read every time, so its settings apply at once.
    pub async fn of_session(
        state: &AppState,
        org: Uuid,
        user: Uuid,
        sid: Uuid,
    ) -> Result<Caller, AppError> {
        let user = match state.callers.user(sid, org, user) {
            Some(u) => u,
            None => match state.store.session_user(sid, org, user).await {
                Ok(u) => {
                    state.callers.remember(sid, &u);
                    u
                }
                Err(StoreError::NotFound) => {
                    return Err(AppError::unauthorized("session ended, sign in again"));
                }
                Err(e) => return Err(e.into()),
            },
        };
        let org = state.store.org(user.org_id).await?;
        Ok(Caller {
            user,
            org,
            session_id: sid,
        })
    }

    /// What an image link made for this caller names.
    pub fn url_grant(&self) -> crate::auth::tokens::UrlGrant {
        crate::auth::tokens::UrlGrant {
            org: self.org.id,
            viewer: self.id(),
            session: self.session_id,
        }
    }

    /// Gauzy clients repeat `organizationId` / `tenantId` in bodies and
    /// queries. They must name the caller's own organization: a different
    /// value is refused (403), never a way into another organization.
    pub fn check_org(&self, value: Option<&str>, field: &str) -> Result<(), AppError> {
        match value
            .map(str::trim)
            .filter(|v| !v.is_empty() && *v != "null" && *v != "undefined")
        {
            Some(v) if Uuid::try_parse(v).ok() != Some(self.org.id) => Err(AppError::forbidden(
                format!("{field} is not your organization"),
            )),
            _ => Ok(()),
        }
    }
}

fn bearer(parts: &Parts) -> Option<&str> {
    let h = parts
        .headers
        .get(axum::http::header::AUTHORIZATION)?
        .to_str()
        .ok()?;
    let (scheme, token) = h.trim().split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let token = bearer(parts)
            .ok_or_else(|| AppError::unauthorized("sign in first: missing bearer token"))?;
        let claims = state.keys.verify_access(token)?;
        let caller = Caller::of_session(state, claims.org, claims.sub, claims.sid).await?;
        for (header, name) in [
            ("tenant-id", "Tenant-Id"),
            ("organization-id", "Organization-Id"),
        ] {
            caller.check_org(
                parts.headers.get(header).and_then(|v| v.to_str().ok()),
                name,
            )?;
        }
        let q = Query::parse(parts.uri.query().unwrap_or(""));
        for key in ["tenantId", "organizationId"] {
            for v in q.all(&[key]) {
                caller.check_org(Some(v), key)?;
            }
        }
        Ok(caller)
    }
}

/// For endpoints that work with or without a signed-in caller.
impl axum::extract::OptionalFromRequestParts<AppState> for Caller {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Option<Self>, Self::Rejection> {
        Ok(
            <Caller as FromRequestParts<AppState>>::from_request_parts(parts, state)
                .await
                .ok(),
        )
    }
}

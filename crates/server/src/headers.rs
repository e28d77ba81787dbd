//! Response headers every answer carries, whatever the handler.
//!
//! Every answer of this server is an API answer (JSON, or a screenshot for
//! a signed-in viewer); none is a page meant for a browser. So:
//!
//! - `X-Content-Type-Options: nosniff`: a browser never guesses a type, so
//!   an uploaded "PNG" can never be run as HTML or script;
//! - `Content-Security-Policy: default-src 'none'; frame-ancestors 'none'`:
//!   should an answer be opened in a browser anyway, it may load nothing
//!   and be framed by no one;
//! - `Referrer-Policy: no-referrer`: a signed screenshot link never leaks
//!   through a `Referer`;
//! - `Cache-Control: no-store`, unless the handler chose its own: answers
//!   carry tokens (sign-in, refresh) or someone's time and screenshots, so no
//!   shared or browser cache may keep them. Being the default for every
//!   route, a new route cannot forget it; the few public answers
//!   (`/healthz`, `/api/openapi.json`) lose nothing by not being cached.
//!
//! The first three replace whatever a handler set: they are the server's
//! policy, not a handler's choice.

use axum::Router;
use axum::http::{HeaderName, HeaderValue, header};
use tower::ServiceBuilder;
use tower_http::set_header::SetResponseHeaderLayer;

/// `router` with the headers above on every answer, including errors,
/// timeouts and caught panics (so add this after the layers making those).
pub fn secure<S: Clone + Send + Sync + 'static>(router: Router<S>) -> Router<S> {
    let policy = |name: HeaderName, value: &'static str| {
        SetResponseHeaderLayer::overriding(name, HeaderValue::from_static(value))
    };
    router.layer(
        ServiceBuilder::new()
            .layer(policy(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
            .layer(policy(
                header::CONTENT_SECURITY_POLICY,
                "default-src 'none'; frame-ancestors 'none'",
            ))
            .layer(policy(header::REFERRER_POLICY, "no-referrer"))
            .layer(SetResponseHeaderLayer::if_not_present(
                header::CACHE_CONTROL,
                HeaderValue::from_static("no-store"),
            )),
    )
}

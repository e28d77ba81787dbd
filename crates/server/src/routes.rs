//! The route table: every endpoint the server answers, listed once per
//! dialect. The router is built from the same lists, so the table can never
//! miss a route; `tests/authz_matrix.rs` walks it and fails on a route that
//! has no row in its authorization matrix.

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::handler::Handler;
use axum::http::Method;
use axum::routing::{self, MethodRouter};

use crate::state::AppState;

/// One endpoint: a method and an axum path (`{id}` for path parameters).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Route {
    pub method: Method,
    pub path: &'static str,
}

/// A [`Route`] with its handler, as a dialect lists it.
pub struct Endpoint {
    pub route: Route,
    handler: MethodRouter<AppState>,
}

macro_rules! constructors {
    ($($name:ident => $method:ident),*) => {$(
        pub fn $name<H, T>(path: &'static str, handler: H) -> Endpoint
        where
            H: Handler<T, AppState>,
            T: 'static,
        {
            Endpoint {
                route: Route { method: Method::$method, path },
                handler: routing::$name(handler),
            }
        }
    )*};
}

impl Endpoint {
    constructors!(get => GET, post => POST, put => PUT, delete => DELETE);

    /// This endpoint with its own body limit instead of the JSON one.
    pub fn body_limit(mut self, bytes: usize) -> Endpoint {
        self.handler = self.handler.layer(DefaultBodyLimit::max(bytes));
        self
    }
}

/// A router serving `endpoints` (several methods on one path merge).
pub fn router(endpoints: Vec<Endpoint>) -> Router<AppState> {
    endpoints
        .into_iter()
        .fold(Router::new(), |r, e| r.route(e.route.path, e.handler))
}

/// Endpoints outside the dialects: the OpenAPI document (feature
/// `openapi`), liveness and readiness.
pub fn common() -> Vec<Endpoint> {
    let mut common = vec![
        Endpoint::get("/healthz", crate::api::openapi::healthz),
        Endpoint::get("/readyz", crate::api::openapi::readyz),
    ];
    // Nothing else calls `ApiDoc::openapi()`: without this route the
    // linker drops every operation and schema builder utoipa generated.
    if cfg!(feature = "openapi") {
        common.insert(
            0,
            Endpoint::get("/api/openapi.json", crate::api::openapi::document),
        );
    }
    common
}

/// Every endpoint of the server, in the order it is listed.
pub fn endpoints() -> Vec<Endpoint> {
    let mut all = crate::api::gauzy::endpoints();
    all.extend(crate::api::icehrm::endpoints());
    all.extend(common());
    all
}

/// Every route the server answers.
pub fn table() -> Vec<Route> {
    endpoints().into_iter().map(|e| e.route).collect()
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    #[test]
    fn every_route_is_listed_once() {
        let table = table();
        let unique: HashSet<_> = table.iter().collect();
        assert_eq!(unique.len(), table.len(), "a route is listed twice");
        for r in &table {
            assert!(r.path.starts_with('/'), "{r:?}");
        }
        // Both dialects are in it.
        assert!(table.iter().any(|r| r.path == "/api/timesheet/time-log"));
        assert!(table.iter().any(|r| r.path == "/timesheets/{id}/approve"));
    }
}

//! Who is who in [`Server::team`] for the authorization matrix, what
//! DESIGN.md lets each of them do, and tokens that have expired.
//!
//! Declared from a test file next to `util`:
//!
//! ```ignore
//! #[macro_use]
//! mod util;
//! #[path = "util/authz.rs"]
//! mod authz;
//! ```
#![allow(dead_code)]

use std::sync::Arc;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::Value;
use stint_server::auth::tokens::Keys;
use stint_store::Store;
use uuid::Uuid;

use crate::util::{Server, Session, Team};

/// The people of [`Server::team`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Person {
    Omar,
    Jane,
    Max,
    Lena,
    Ada,
    Gus,
    Gina,
}

impl Person {
    /// In `Globex` (everyone else is in `Default`).
    pub fn globex(self) -> bool {
        matches!(self, Person::Gus | Person::Gina)
    }

    pub fn admin(self) -> bool {
        matches!(self, Person::Ada | Person::Gus)
    }

    pub fn supervisor(self) -> Option<Person> {
        match self {
            Person::Omar => Some(Person::Lena),
            Person::Jane => Some(Person::Max),
            Person::Gina => Some(Person::Gus),
            _ => None,
        }
    }

    /// Lower-case first name, as `name_of` spells it ("Omar Acme").
    pub fn first_name(self) -> &'static str {
        match self {
            Person::Omar => "omar",
            Person::Jane => "jane",
            Person::Max => "max",
            Person::Lena => "lena",
            Person::Ada => "ada",
            Person::Gus => "gus",
            Person::Gina => "gina",
        }
    }

    pub fn session(self, t: &Team) -> &Session {
        match self {
            Person::Omar => &t.omar,
            Person::Jane => &t.jane,
            Person::Max => &t.max,
            Person::Lena => &t.lena,
            Person::Ada => &t.ada,
            Person::Gus => &t.gus,
            Person::Gina => &t.gina,
        }
    }

    pub fn same_org(self, other: Person) -> bool {
        self.globex() == other.globex()
    }

    /// Sees `owner`'s time: their own, their direct reports', an admin
    /// everyone's in the organization.
    pub fn may_see(self, owner: Person) -> bool {
        self.same_org(owner) && (self == owner || self.admin() || owner.supervisor() == Some(self))
    }

    /// Changes `owner`'s time: the owner or an admin (a supervisor reviews
    /// but does not rewrite).
    pub fn may_edit(self, owner: Person) -> bool {
        self.same_org(owner) && (self == owner || self.admin())
    }

    /// Creates and changes projects and tasks: managers and admins (the
    /// team's organizations leave employees out, the default).
    pub fn manages(self) -> bool {
        matches!(self, Person::Max | Person::Lena | Person::Ada | Person::Gus)
    }

    /// Approves or rejects `owner`'s timesheets: the direct supervisor or an
    /// admin.
    pub fn may_approve(self, owner: Person) -> bool {
        self.same_org(owner) && (self.admin() || owner.supervisor() == Some(self))
    }
}

/// Who sends a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Caller {
    Anonymous,
    /// Omar's token, expired.
    Expired,
    As(Person),
}

/// The matrix's columns, with their headings.
pub const CALLERS: [(Caller, &str); 8] = [
    (Caller::Anonymous, "anon"),
    (Caller::Expired, "expired"),
    (Caller::As(Person::Omar), "owner"),
    (Caller::As(Person::Jane), "colleague"),
    (Caller::As(Person::Max), "other-mgr"),
    (Caller::As(Person::Lena), "supervisor"),
    (Caller::As(Person::Ada), "admin"),
    (Caller::As(Person::Gus), "other-admin"),
];

/// Whose object a request is about: the owner's (Omar's, so it is the
/// "owner" column's own), a colleague's (Jane's), another organization's
/// (Gina's).
pub const OWNERS: [(Person, &str); 3] = [
    (Person::Omar, "own"),
    (Person::Jane, "other's"),
    (Person::Gina, "other org's"),
];

/// The server's signing secret, read from its database.
pub async fn signing_secret(server: &Server) -> String {
    let args = server.data_args();
    let store: Arc<dyn Store> = match args.iter().position(|a| a == "--database") {
        Some(i) => Arc::new(
            stint_store::postgres::PgStore::connect(&args[i + 1])
                .await
                .expect("open the server's PostgreSQL database"),
        ),
        None => Arc::new(
            stint_store::sqlite::SqliteStore::open(&server.data_dir().join("stint.db"))
                .expect("open the server's SQLite database"),
        ),
    };
    store
        .setting_or_init("jwt_secret", "not-the-server's-secret")
        .await
        .expect("jwt_secret")
}

/// Keys that sign exactly as the server does (its own secret, its TTLs).
pub async fn server_keys(server: &Server) -> Keys {
    let secret = signing_secret(server).await;
    Keys::new(secret.as_bytes(), chrono::Duration::hours(1))
}

/// The image-link grant for `session`'s viewer, as the server makes it.
pub fn grant_of(session: &Session) -> stint_server::auth::tokens::UrlGrant {
    let c = claims(&session.token);
    stint_server::auth::tokens::UrlGrant {
        org: claim_uuid(&c, "org"),
        viewer: claim_uuid(&c, "sub"),
        session: claim_uuid(&c, "sid"),
    }
}

/// Keys that sign as the server does, but whose access tokens and image
/// links expired a minute before they were made.
pub async fn expired_keys(server: &Server) -> Keys {
    let secret = signing_secret(server).await;
    let mut keys = Keys::new(secret.as_bytes(), chrono::Duration::seconds(-60));
    keys.url_ttl = chrono::Duration::seconds(-60);
    keys
}

/// The claims of a JWT, unverified.
pub fn claims(token: &str) -> Value {
    let payload = token.split('.').nth(1).expect("a JWT has three parts");
    let bytes = URL_SAFE_NO_PAD.decode(payload).expect("base64url payload");
    serde_json::from_slice(&bytes).expect("JSON claims")
}

pub fn claim_uuid(c: &Value, k: &str) -> Uuid {
    Uuid::parse_str(c[k].as_str().unwrap_or_default()).unwrap_or_else(|_| panic!("{k}: {c}"))
}

/// `session`'s access token as it will be once expired: same user,
/// organization and live session, signed with the server's secret, `exp`
/// a minute ago. Only its age makes it invalid.
pub fn expired_token(keys: &Keys, session: &Session) -> String {
    let c = claims(&session.token);
    let token = keys.access(
        claim_uuid(&c, "sub"),
        claim_uuid(&c, "org"),
        claim_uuid(&c, "sid"),
    );
    assert!(
        claims(&token)["exp"].as_i64() < Some(chrono::Utc::now().timestamp()),
        "not expired"
    );
    token
}

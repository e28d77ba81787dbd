//! The server on this computer: opening its data (SQLite file or a
//! PostgreSQL URL, with the `Default` organization of a fresh database), and
//! the embedded server the tracker starts on loopback for "this computer
//! only", with its one local user. `stint serve`, `stint login --embedded`
//! and the desktop app all start from here.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::Context;
use stint_model::Role;
use stint_store::{NewUser, Store, StoreError};

/// The organization a fresh database starts with.
pub const DEFAULT_ORG: &str = "Default";
/// The embedded server's one user.
pub use stint_model::org::LOCAL_EMAIL;

/// Opens the store named by `database` (a `postgres://` URL or a SQLite
/// path), or `stint.db` in `data_dir`, and makes sure an organization exists.
/// A data directory holding the database is made private to this user (it
/// also holds the screenshots and, for the tracker, its tokens).
pub async fn open_store(database: Option<&str>, data_dir: &Path) -> anyhow::Result<Arc<dyn Store>> {
    let store = match database {
        Some(url) if url.starts_with("postgres://") || url.starts_with("postgresql://") => {
            open_postgres(url).await?
        }
        other => {
            let path = match other {
                Some(p) => PathBuf::from(p.strip_prefix("sqlite://").unwrap_or(p)),
                None => {
                    stint_private::dir(data_dir)?;
                    data_dir.join("stint.db")
                }
            };
            open_sqlite(&path)?
        }
    };
    if store.list_orgs().await?.is_empty() {
        match store.create_org(uuid::Uuid::now_v7(), DEFAULT_ORG).await {
            Ok(_) | Err(StoreError::Conflict(_)) => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(store)
}

// Each backend is a cargo feature (see Cargo.toml): the desktop app builds
// without PostgreSQL, and a URL for a backend this build lacks is refused
// with a message saying so rather than treated as a file name.

#[cfg(feature = "postgres")]
async fn open_postgres(url: &str) -> anyhow::Result<Arc<dyn Store>> {
    let store = stint_store::postgres::PgStore::connect(url)
        .await
        .context("could not open the PostgreSQL database")?;
    Ok(Arc::new(store))
}

#[cfg(not(feature = "postgres"))]
async fn open_postgres(_url: &str) -> anyhow::Result<Arc<dyn Store>> {
    anyhow::bail!(
        "this build has no PostgreSQL support (stint-server was built without its `postgres` feature); use a SQLite database or the full `stint` server"
    )
}

#[cfg(feature = "sqlite")]
fn open_sqlite(path: &Path) -> anyhow::Result<Arc<dyn Store>> {
    let store = stint_store::sqlite::SqliteStore::open(path)
        .with_context(|| format!("could not open {}", path.display()))?;
    Ok(Arc::new(store))
}

#[cfg(not(feature = "sqlite"))]
fn open_sqlite(path: &Path) -> anyhow::Result<Arc<dyn Store>> {
    anyhow::bail!(
        "this build has no SQLite support (stint-server was built without its `sqlite` feature); cannot open {}",
        path.display()
    )
}

/// Starts the embedded server on a free loopback port, its data in
/// `data_dir`; returns its URL. It serves until the process ends.
pub async fn start_embedded(data_dir: PathBuf) -> anyhow::Result<String> {
    let data_dir = data_dir.as_path();
    let store = open_store(None, data_dir).await?;
    // Its one person adds their own projects (also in data made before
    // the setting existed).
    let org = store.org_by_name(DEFAULT_ORG).await?;
    if !org.members_create_projects {
        store.set_members_create_projects(org.id, true).await?;
    }
    let blobs = Arc::new(crate::blobs::LocalDir::open(data_dir.join("blobs"))?);
    let state = crate::state(store, blobs, &crate::Config::default()).await?;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("http://{}", listener.local_addr()?);
    tracing::info!(%url, "embedded server listening");
    tokio::spawn(crate::serve(
        listener,
        crate::app(state),
        std::future::pending(),
    ));
    Ok(url)
}

/// Creates the embedded server's local user (an admin of the default
/// organization, named after the OS user, in the machine's time zone) with
/// a random password, which the caller keeps: nobody types it.
pub async fn create_local_user(data_dir: PathBuf) -> anyhow::Result<String> {
    let store = open_store(None, &data_dir).await?;
    let org = store.org_by_name(DEFAULT_ORG).await?;
    let password = uuid::Uuid::new_v4().simple().to_string();
    let user = NewUser {
        id: uuid::Uuid::now_v7(),
        org_id: org.id,
        email: LOCAL_EMAIL.into(),
        name: whoami(),
        password_hash: crate::auth::password::hash(&password),
        role: Role::Admin,
        supervisor_id: None,
        timezone: local_zone(),
    };
    match store.create_user(user).await {
        Ok(_) => Ok(password),
        Err(StoreError::Conflict(_)) => anyhow::bail!(
            "the embedded server already has a local user whose password is not in this outbox"
        ),
        Err(e) => Err(e.into()),
    }
}

fn whoami() -> String {
    std::env::var("USER")
        .ok()
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "Me".into())
}

/// The machine's IANA zone if it can be told, else UTC.
pub fn local_zone() -> String {
    std::env::var("TZ")
        .ok()
        .or_else(|| {
            std::fs::read_link("/etc/localtime").ok().and_then(|p| {
                p.to_str()
                    .and_then(|s| s.split("zoneinfo/").nth(1))
                    .map(str::to_string)
            })
        })
        .filter(|z| stint_model::parse_timezone(z).is_ok())
        .unwrap_or_else(|| "UTC".into())
}

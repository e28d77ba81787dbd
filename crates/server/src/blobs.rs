//! Where screenshot images live. The store keeps only their keys; the bytes
//! go to a [`Blobs`] backend: a local directory by default, or S3-compatible
//! object storage ([`S3Blobs`]) so that several replicas share them.

use std::path::{Path, PathBuf};

use async_trait::async_trait;

#[cfg(feature = "s3")]
mod s3;

#[cfg(feature = "s3")]
pub use s3::{S3Blobs, S3Url};

/// The blob store `stint serve` and `stint purge` use: the bucket of
/// `--blobs` if given, else `blobs/` in the data directory.
#[cfg(feature = "s3")]
pub fn open(url: Option<&S3Url>, data_dir: &Path) -> std::io::Result<std::sync::Arc<dyn Blobs>> {
    use std::sync::Arc;
    Ok(match url {
        Some(url) => Arc::new(S3Blobs::from_env(url)?),
        None => Arc::new(LocalDir::open(data_dir.join("blobs"))?),
    })
}

#[async_trait]
pub trait Blobs: Send + Sync + 'static {
    /// Writes atomically: readers see the whole object or none.
    async fn put(&self, key: &str, bytes: &[u8]) -> std::io::Result<()>;
    /// `Ok(None)` when there is no such object.
    async fn get(&self, key: &str) -> std::io::Result<Option<Vec<u8>>>;
    async fn delete(&self, key: &str) -> std::io::Result<()>;

    /// Stores, reads back and deletes a small object: what "the blob store
    /// answers" means for `/readyz` (a replica that cannot store
    /// screenshots must not be sent uploads).
    async fn check(&self) -> std::io::Result<()> {
        let key = format!("readyz/{}", uuid::Uuid::new_v4().simple());
        self.put(&key, b"ready").await?;
        let back = self.get(&key).await;
        self.delete(&key).await?;
        match back? {
            Some(b) if b == b"ready" => Ok(()),
            _ => Err(std::io::Error::other("a stored object did not come back")),
        }
    }
}

/// Blobs as files under one directory. Screenshots are for their owner and
/// those who supervise them, not for other users of the server's computer:
/// directories are private (0700) and files too (0600), see `stint_private`.
pub struct LocalDir {
    root: PathBuf,
}

impl LocalDir {
    /// Blobs under `root`, which is created when the first one is stored.
    pub fn new(root: impl Into<PathBuf>) -> Self {
        LocalDir { root: root.into() }
    }

    /// Blobs under `root`, created private now, or made private if an older
    /// version left it readable. Only the root is corrected, not each file
    /// below it (there may be millions): a private root already keeps every
    /// other user out of all of them.
    pub fn open(root: impl Into<PathBuf>) -> std::io::Result<Self> {
        let root = root.into();
        stint_private::dir(&root)?;
        Ok(LocalDir { root })
    }

    /// Keys are built by the server from uuids, never from client input, but
    /// refuse anything that could leave the root all the same.
    fn path(&self, key: &str) -> std::io::Result<PathBuf> {
        let ok = !key.is_empty()
            && key
                .split('/')
                .all(|p| !p.is_empty() && p != "." && p != "..")
            && key
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_./".contains(c));
        if ok {
            Ok(self.root.join(Path::new(key)))
        } else {
            Err(std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                format!("bad blob key {key:?}"),
            ))
        }
    }
}

#[async_trait]
impl Blobs for LocalDir {
    async fn put(&self, key: &str, bytes: &[u8]) -> std::io::Result<()> {
        let path = self.path(key)?;
        // One blocking task for the whole write (tokio::fs copies the bytes
        // into one per call as well).
        let bytes = bytes.to_vec();
        tokio::task::spawn_blocking(move || {
            if let Some(dir) = path.parent() {
                stint_private::create_dir_all(dir)?;
            }
            let tmp = path.with_extension(format!("tmp-{}", uuid::Uuid::new_v4().simple()));
            stint_private::write(&tmp, &bytes)?;
            std::fs::rename(&tmp, &path)
        })
        .await
        .map_err(std::io::Error::other)?
    }

    async fn get(&self, key: &str) -> std::io::Result<Option<Vec<u8>>> {
        match tokio::fs::read(self.path(key)?).await {
            Ok(b) => Ok(Some(b)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }

    async fn delete(&self, key: &str) -> std::io::Result<()> {
        match tokio::fs::remove_file(self.path(key)?).await {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn blobs_round_trip_and_keys_cannot_escape() {
        let dir = tempfile::tempdir().unwrap();
        let b = LocalDir::new(dir.path());
        b.put("screenshots/a/b.png", b"png").await.unwrap();
        assert_eq!(b.get("screenshots/a/b.png").await.unwrap().unwrap(), b"png");
        b.delete("screenshots/a/b.png").await.unwrap();
        assert!(b.get("screenshots/a/b.png").await.unwrap().is_none());
        assert!(b.put("../escape", b"x").await.is_err());
        assert!(b.get("/etc/passwd").await.is_err());
    }

    #[cfg(unix)]
    #[tokio::test]
    async fn blobs_are_private_and_open_corrects_a_readable_root() {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("blobs");
        let b = LocalDir::open(&root).unwrap();
        b.put("screenshots/a/b.png", b"png").await.unwrap();
        assert_eq!(mode(&root), 0o700);
        assert_eq!(mode(&root.join("screenshots/a")), 0o700);
        assert_eq!(mode(&root.join("screenshots/a/b.png")), 0o600);
        std::fs::set_permissions(&root, std::fs::Permissions::from_mode(0o755)).unwrap();
        LocalDir::open(&root).unwrap();
        assert_eq!(mode(&root), 0o700);
    }
}

//! Private local files. Stint's data directory holds what lets anyone act
//! as its user: the tracker's tokens and the embedded server's password
//! (`outbox.db`), the server's JWT secret and password hashes (`stint.db`),
//! and screenshots. Another user of the same computer must read none of it
//! (DESIGN.md, "Trust rules": data dir 0700, files 0600).
//!
//! Every place that creates such a directory or file goes through here, and
//! every open corrects what an older version left readable. It is done path
//! by path rather than with the process umask, which would also change the
//! files the desktop app's webview and plugins create for the user.
//!
//! "Private" on Unix means no permission bits for group and others; the
//! owner's own bits are left alone (a read-only file stays read-only).
//! Elsewhere these functions only create: on Windows the data directory
//! lives in the user's profile, which its ACL already keeps to the user.
//!
//! A crate of its own because both the store (stint-store) and the tracker
//! (stint-agent) need it and neither depends on the other; stint-model does
//! no I/O.

use std::io;
use std::path::{Path, PathBuf};

#[cfg(test)]
mod tests;

/// Creates `path` and its missing parents, each new one private. Existing
/// directories are left as they are: a parent may be shared on purpose
/// (the directory someone put a `--database` file in).
pub fn create_dir_all(path: &Path) -> io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(path).map_err(|e| context(e, "create", path))
}

/// Makes the directory `path` private, creating it (and its missing
/// parents, privately) if needed.
pub fn dir(path: &Path) -> io::Result<()> {
    create_dir_all(path)?;
    restrict(path)
}

/// Makes the file `path` private if it exists.
pub fn file(path: &Path) -> io::Result<()> {
    match restrict(path) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        r => r,
    }
}

/// Makes the directory `path` and everything below it private, if it
/// exists. It visits every entry, so it is for small trees only (the
/// tracker's few waiting screenshots), not for the server's blobs.
pub fn tree(path: &Path) -> io::Result<()> {
    let entries = match std::fs::read_dir(path) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        r => r.map_err(|e| context(e, "read", path))?,
    };
    restrict(path)?;
    for entry in entries {
        let entry = entry.map_err(|e| context(e, "read", path))?;
        if entry.file_type().is_ok_and(|t| t.is_dir()) {
            tree(&entry.path())?;
        } else {
            file(&entry.path())?;
        }
    }
    Ok(())
}

/// Writes `bytes` to `path`, a file that is private from its creation on
/// (an existing one is truncated and made private).
pub fn write(path: &Path, bytes: &[u8]) -> io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut f = options.open(path).map_err(|e| context(e, "create", path))?;
    f.write_all(bytes).map_err(|e| context(e, "write", path))?;
    restrict(path)
}

/// Makes the SQLite database `path` private before it is opened: creates
/// it empty and private if it is missing (SQLite takes an empty file for an
/// empty database), and makes it and any `-wal`, `-shm` or `-journal` beside
/// it private. SQLite creates those later with the database file's
/// permissions, so from then on they are born private too.
pub fn sqlite(path: &Path) -> io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    // Never open an existing database for writing here: it may be one we
    // may only read.
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    match options.open(path) {
        Err(e) if e.kind() != io::ErrorKind::AlreadyExists => {
            return Err(context(e, "create", path));
        }
        _ => {}
    }
    file(path)?;
    for suffix in ["-wal", "-shm", "-journal"] {
        file(&beside(path, suffix))?;
    }
    Ok(())
}

/// `path` with `suffix` appended to its file name, as SQLite names the
/// files next to a database.
fn beside(path: &Path, suffix: &str) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

/// Takes group's and others' permissions away from `path`, touching it
/// only if it has any, so that opening an already private file that
/// belongs to someone else (root, say) is not a failed chmod.
///
/// A path this process may not change (another user's, immutable, on a
/// read-only file system) is left with a warning: refusing to open it
/// would not make what is already in it any less readable, and the user
/// could no longer see their own data.
#[cfg(unix)]
fn restrict(path: &Path) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(path)
        .map_err(|e| context(e, "read the permissions of", path))?
        .permissions()
        .mode();
    if mode & 0o077 == 0 {
        return Ok(());
    }
    match std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode & 0o7700)) {
        Err(e)
            if matches!(
                e.kind(),
                io::ErrorKind::PermissionDenied | io::ErrorKind::ReadOnlyFilesystem
            ) =>
        {
            tracing::warn!(
                path = %path.display(),
                error = %e,
                "cannot make this private: other users of this computer may read it"
            );
            Ok(())
        }
        r => r.map_err(|e| context(e, "change the permissions of", path)),
    }
}

/// See the module: nothing to take away outside Unix, but a missing path
/// is still reported as on Unix.
#[cfg(not(unix))]
fn restrict(path: &Path) -> io::Result<()> {
    std::fs::metadata(path)
        .map(drop)
        .map_err(|e| context(e, "read the permissions of", path))
}

/// `e` with what was being done to which path, keeping its kind.
fn context(e: io::Error, doing: &str, path: &Path) -> io::Error {
    io::Error::new(e.kind(), format!("cannot {doing} {}: {e}", path.display()))
}

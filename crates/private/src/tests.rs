//! Each function on fresh and on loose ("installed by an older version")
//! paths. Unix only: elsewhere there are no mode bits to check.
#![cfg(unix)]

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use super::*;

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o7777
}

fn chmod(path: &Path, mode: u32) {
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

#[test]
fn dir_creates_private_parents_and_corrects_an_existing_one() {
    let root = tempfile::tempdir().unwrap();
    let d = root.path().join("a").join("b");
    dir(&d).unwrap();
    assert_eq!(mode(&root.path().join("a")), 0o700);
    assert_eq!(mode(&d), 0o700);
    chmod(&d, 0o755);
    dir(&d).unwrap();
    assert_eq!(mode(&d), 0o700);
}

#[test]
fn create_dir_all_leaves_existing_directories_alone() {
    let root = tempfile::tempdir().unwrap();
    chmod(root.path(), 0o755);
    create_dir_all(&root.path().join("new")).unwrap();
    assert_eq!(mode(root.path()), 0o755);
    assert_eq!(mode(&root.path().join("new")), 0o700);
}

#[test]
fn file_takes_only_group_and_other_bits_and_skips_missing_files() {
    let root = tempfile::tempdir().unwrap();
    let f = root.path().join("f");
    std::fs::write(&f, b"x").unwrap();
    chmod(&f, 0o644);
    file(&f).unwrap();
    assert_eq!(mode(&f), 0o600);
    chmod(&f, 0o444);
    file(&f).unwrap();
    assert_eq!(mode(&f), 0o400, "read-only stays read-only");
    file(&root.path().join("missing")).unwrap();
}

#[test]
fn write_creates_private_files_and_corrects_an_existing_one() {
    let root = tempfile::tempdir().unwrap();
    let f = root.path().join("shot.png");
    write(&f, b"one").unwrap();
    assert_eq!(mode(&f), 0o600);
    chmod(&f, 0o664);
    write(&f, b"two").unwrap();
    assert_eq!(mode(&f), 0o600);
    assert_eq!(std::fs::read(&f).unwrap(), b"two");
}

#[test]
fn tree_corrects_a_directory_and_everything_below() {
    let root = tempfile::tempdir().unwrap();
    let shots = root.path().join("shots");
    std::fs::create_dir_all(shots.join("old")).unwrap();
    for f in [shots.join("a.png"), shots.join("old").join("b.jpg")] {
        std::fs::write(&f, b"x").unwrap();
        chmod(&f, 0o644);
    }
    chmod(&shots.join("old"), 0o755);
    chmod(&shots, 0o755);
    tree(&shots).unwrap();
    assert_eq!(mode(&shots), 0o700);
    assert_eq!(mode(&shots.join("old")), 0o700);
    assert_eq!(mode(&shots.join("a.png")), 0o600);
    assert_eq!(mode(&shots.join("old").join("b.jpg")), 0o600);
    tree(&root.path().join("missing")).unwrap();
}

/// Opens `db` with SQLite in WAL mode and writes to it, so that SQLite
/// creates the `-wal` and `-shm` beside it; they stay while the connection
/// is open.
fn write_in_wal_mode(db: &Path) -> rusqlite::Connection {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.pragma_update(None, "journal_mode", "WAL").unwrap();
    conn.execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);")
        .unwrap();
    conn
}

#[test]
fn sqlite_gives_its_wal_and_shm_the_database_files_mode() {
    // The claim `sqlite` rests on. An unusual mode shows that it is copied
    // from the database file, not derived from the umask.
    let root = tempfile::tempdir().unwrap();
    let db = root.path().join("odd.db");
    std::fs::write(&db, b"").unwrap();
    chmod(&db, 0o604);
    let _open = write_in_wal_mode(&db);
    for f in ["odd.db-wal", "odd.db-shm"] {
        assert_eq!(mode(&root.path().join(f)), 0o604, "{f}");
    }
}

#[test]
fn a_new_database_and_its_wal_and_shm_are_private() {
    let root = tempfile::tempdir().unwrap();
    let db = root.path().join("stint.db");
    sqlite(&db).unwrap();
    assert_eq!(mode(&db), 0o600);
    let _open = write_in_wal_mode(&db);
    for f in ["stint.db", "stint.db-wal", "stint.db-shm"] {
        assert_eq!(mode(&root.path().join(f)), 0o600, "{f}");
    }
}

#[test]
fn sqlite_corrects_an_existing_database_and_the_files_beside_it() {
    let root = tempfile::tempdir().unwrap();
    let db = root.path().join("outbox.db");
    let files = [
        "outbox.db",
        "outbox.db-wal",
        "outbox.db-shm",
        "outbox.db-journal",
    ];
    for f in files {
        std::fs::write(root.path().join(f), b"").unwrap();
        chmod(&root.path().join(f), 0o644);
    }
    sqlite(&db).unwrap();
    for f in files {
        assert_eq!(mode(&root.path().join(f)), 0o600, "{f}");
    }
}

#[test]
fn sqlite_does_not_need_write_access_to_an_existing_database() {
    let root = tempfile::tempdir().unwrap();
    let db = root.path().join("ro.db");
    std::fs::write(&db, b"").unwrap();
    chmod(&db, 0o444);
    sqlite(&db).unwrap();
    assert_eq!(mode(&db), 0o400);
}

#[test]
fn errors_name_the_path() {
    let root = tempfile::tempdir().unwrap();
    let f = root.path().join("file");
    std::fs::write(&f, b"").unwrap();
    let e = dir(&f.join("below")).unwrap_err();
    assert!(e.to_string().contains("below"), "{e}");
}

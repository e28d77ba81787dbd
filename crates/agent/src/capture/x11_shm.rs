//! The shared memory the X server writes screenshots into (MIT-SHM): one
//! segment per capturer, made once and reused, grown only when a monitor
//! needs more. An 8 MB screen then crosses no socket and costs no
//! allocation per shot.
//!
//! The memory is a memfd handed to the server with `ShmAttachFd` (MIT-SHM
//! 1.2, which Xorg and Xvfb have), not a System V segment: it goes away
//! with the last mapping, even after a crash, and needs no IPC permissions.

use std::os::fd::{FromRawFd, OwnedFd};

use x11rb::connection::{Connection, RequestConnection};
use x11rb::protocol::shm::{ConnectionExt as _, Seg};
use x11rb::rust_connection::RustConnection;

/// A segment attached to one connection, mapped read-only here.
pub struct Segment {
    pub id: Seg,
    ptr: *mut libc::c_void,
    len: usize,
}

// The mapping is plain memory owned by this value; only the X server
// writes it, and only while a request of ours waits for its reply.
#[allow(unsafe_code)]
unsafe impl Send for Segment {}

/// Whether the server can share memory with us: the extension at version
/// 1.2 or later (fd passing).
pub fn available(conn: &RustConnection) -> bool {
    let present = conn
        .extension_information(x11rb::protocol::shm::X11_EXTENSION_NAME)
        .ok()
        .flatten()
        .is_some();
    present
        && conn
            .shm_query_version()
            .ok()
            .and_then(|c| c.reply().ok())
            .is_some_and(|v| (v.major_version, v.minor_version) >= (1, 2))
}

impl Segment {
    /// A new segment of `len` bytes, attached; an error when the server
    /// refuses it (for instance over TCP, where no fd can be passed).
    #[allow(unsafe_code)] // memfd_create, ftruncate and mmap on our own fd
    pub fn attach(conn: &RustConnection, len: usize) -> Result<Segment, String> {
        let os = |what: &str| format!("{what}: {}", std::io::Error::last_os_error());
        // SAFETY: a NUL-terminated name and flags; the fd is checked.
        let raw = unsafe { libc::memfd_create(c"stint-capture".as_ptr(), libc::MFD_CLOEXEC) };
        if raw < 0 {
            return Err(os("memfd_create"));
        }
        // SAFETY: `raw` is a fresh fd nobody else owns.
        let fd = unsafe { OwnedFd::from_raw_fd(raw) };
        // SAFETY: a valid fd and a length.
        if unsafe { libc::ftruncate(raw, len as libc::off_t) } != 0 {
            return Err(os("ftruncate"));
        }
        // SAFETY: a shared read-only mapping of `len` bytes of our memfd,
        // unmapped in Drop; it stays valid after the fd is closed.
        let ptr = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                len,
                libc::PROT_READ,
                libc::MAP_SHARED,
                raw,
                0,
            )
        };
        if ptr == libc::MAP_FAILED {
            return Err(os("mmap"));
        }
        // Owned from here, so an error below unmaps it.
        let mut segment = Segment { id: 0, ptr, len };
        segment.id = conn.generate_id().map_err(|e| e.to_string())?;
        // The server writes into it: not read-only on its side.
        conn.shm_attach_fd(segment.id, fd, false)
            .map_err(|e| e.to_string())?
            .check()
            .map_err(|e| format!("the X server cannot attach shared memory: {e:?}"))?;
        Ok(segment)
    }

    pub fn size(&self) -> usize {
        self.len
    }

    /// The first `n` bytes, as the server last wrote them.
    #[allow(unsafe_code)]
    pub fn bytes(&self, n: usize) -> &[u8] {
        // SAFETY: the mapping lives as long as `self`, `n` is bounded by its
        // length, and the server does not write while we read (each write
        // is a request we wait on, and `&self` here rules out a new one).
        unsafe { std::slice::from_raw_parts(self.ptr.cast::<u8>(), n.min(self.len)) }
    }

    /// Lets the server let go of it (before a bigger one replaces it).
    pub fn detach(self, conn: &RustConnection) {
        let _ = conn.shm_detach(self.id);
        let _ = conn.flush();
    }
}

impl Drop for Segment {
    #[allow(unsafe_code)] // unmapping what attach mapped
    fn drop(&mut self) {
        // SAFETY: `ptr` and `len` are exactly attach's mapping; no slice of
        // it outlives `self`.
        unsafe { libc::munmap(self.ptr, self.len) };
    }
}

//! An exclusive lock on a lock file (flock through `File::lock`): the kernel drops it when a
//! process dies, so a killed kanbao never leaves it stuck. Waits are bounded.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{self, ErrorKind};
use std::path::Path;
use std::sync::mpsc;
use std::time::Duration;

/// Held until dropped.
pub struct Lock {
    _file: Option<File>,
}

/// Why no lock was had.
#[derive(Debug)]
pub enum LockError {
    /// Another process held it for the whole wait.
    Busy,
    Io(io::Error),
}

impl Lock {
    /// Locks `lock_path` (created if needed), waiting up to `wait` for another holder.
    /// Filesystems without locks (some network mounts) give an unlocked `Lock`: going on beats
    /// stopping, and writes are atomic anyway.
    pub fn acquire(lock_path: &Path, wait: Duration) -> Result<Lock, LockError> {
        let file =
            OpenOptions::new().create(true).truncate(false).write(true).open(lock_path).map_err(LockError::Io)?;
        let file = match file.try_lock() {
            Ok(()) => return Ok(Lock { _file: Some(file) }),
            Err(TryLockError::WouldBlock) => file,
            Err(TryLockError::Error(e)) => return Lock::unsupported(e),
        };
        // Block in a helper thread so the wait is bounded; a blocked flock is woken as soon as
        // the holder lets go, which polling would miss under contention. If we stop waiting,
        // the thread's send fails when it does get the lock, and dropping the file releases it.
        let (tx, rx) = mpsc::sync_channel::<io::Result<File>>(1);
        std::thread::Builder::new()
            .name("kanbao-lock".into())
            .spawn(move || {
                let _ = tx.send(file.lock().map(|()| file));
            })
            .map_err(LockError::Io)?;
        match rx.recv_timeout(wait) {
            Ok(Ok(file)) => Ok(Lock { _file: Some(file) }),
            Ok(Err(e)) => Lock::unsupported(e),
            Err(_) => Err(LockError::Busy),
        }
    }

    fn unsupported(e: io::Error) -> Result<Lock, LockError> {
        if no_locks(&e) { Ok(Lock { _file: None }) } else { Err(LockError::Io(e)) }
    }
}

#[cfg(unix)]
fn no_locks(e: &io::Error) -> bool {
    e.kind() == ErrorKind::Unsupported || e.raw_os_error() == Some(libc::ENOLCK)
}

#[cfg(not(unix))]
fn no_locks(e: &io::Error) -> bool {
    e.kind() == ErrorKind::Unsupported
}

//! Network namespaces: where a batch is sent.
//!
//! A netlink socket talks to the namespace of the thread that opened it. These helpers move
//! the *calling thread* into a namespace (`unshare(2)` / `setns(2)` with `CLONE_NEWNET`, which
//! Linux allows per thread), so tests and the command-line tool never touch the host's own
//! firewall unless asked to.

use std::fs::File;
use std::io;
use std::os::fd::AsRawFd;
use std::path::{Path, PathBuf};

/// Where to send: a fresh private namespace, an existing one, or the current one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A new, empty network namespace, private to this thread; gone when the thread ends.
    Private,
    /// An existing namespace: a name under `/run/netns` (as `ip netns add` makes) or a path
    /// such as `/proc/PID/ns/net`.
    Existing(PathBuf),
    /// The namespace the thread already runs in (for the tool, the host's own).
    Current,
}

impl Target {
    /// A target from a `--netns` argument: a path if it contains `/`, otherwise a name under
    /// `/run/netns`.
    pub fn from_arg(arg: &str) -> Target {
        if arg.contains('/') {
            Target::Existing(PathBuf::from(arg))
        } else {
            Target::Existing(Path::new("/run/netns").join(arg))
        }
    }
}

/// Errors of namespace handling.
#[derive(Debug, thiserror::Error)]
pub enum NetnsError {
    /// `unshare(CLONE_NEWNET)` failed: usually no `CAP_SYS_ADMIN`.
    #[error(
        "cannot create a private network namespace (unshare: {0}); run as root or with \
         CAP_SYS_ADMIN"
    )]
    Unshare(#[source] io::Error),
    /// The namespace file does not exist (or its path does not lead to a file).
    #[error("no such network namespace {path}: {source}")]
    Open {
        /// The path tried.
        path: PathBuf,
        /// Why it failed.
        #[source]
        source: io::Error,
    },
    /// The namespace file exists but may not be opened (`EACCES`, `EPERM`).
    #[error("cannot open network namespace {path}: {source}; run as root")]
    OpenDenied {
        /// The path tried.
        path: PathBuf,
        /// Why it failed.
        #[source]
        source: io::Error,
    },
    /// The path exists but is not a network namespace (`setns(2)` answered `EINVAL`).
    #[error(
        "{path} is not a network namespace (setns: {source}); give a name under /run/netns \
         (ip netns add NAME) or a path such as /proc/PID/ns/net"
    )]
    NotANamespace {
        /// The path given.
        path: PathBuf,
        /// Why it failed.
        #[source]
        source: io::Error,
    },
    /// `setns(2)` failed.
    #[error("cannot enter network namespace {path} (setns: {source}); run as root")]
    Setns {
        /// The namespace's path.
        path: PathBuf,
        /// Why it failed.
        #[source]
        source: io::Error,
    },
}

impl NetnsError {
    /// The errno under the error.
    pub fn raw_os_error(&self) -> Option<i32> {
        match self {
            NetnsError::Unshare(e) => e.raw_os_error(),
            NetnsError::Open { source, .. }
            | NetnsError::OpenDenied { source, .. }
            | NetnsError::NotANamespace { source, .. }
            | NetnsError::Setns { source, .. } => source.raw_os_error(),
        }
    }
}

/// Moves the calling thread into a new, empty network namespace (with only a down `lo`).
pub fn enter_private() -> Result<(), NetnsError> {
    // SAFETY: `unshare` takes a flag word and touches no memory of ours.
    let rc = unsafe { libc::unshare(libc::CLONE_NEWNET) };
    if rc != 0 {
        return Err(NetnsError::Unshare(io::Error::last_os_error()));
    }
    log::debug!("entered a private network namespace");
    Ok(())
}

/// Moves the calling thread into the namespace at `path`.
pub fn enter_path(path: &Path) -> Result<(), NetnsError> {
    let file = File::open(path).map_err(|source| {
        let path = path.into();
        match source.kind() {
            io::ErrorKind::PermissionDenied => NetnsError::OpenDenied { path, source },
            _ => NetnsError::Open { path, source },
        }
    })?;
    // SAFETY: `file` is an open descriptor for the duration of the call.
    let rc = unsafe { libc::setns(file.as_raw_fd(), libc::CLONE_NEWNET) };
    if rc != 0 {
        let source = io::Error::last_os_error();
        if source.raw_os_error() == Some(libc::EINVAL) {
            // setns refuses a descriptor of anything but a namespace of the asked type.
            return Err(NetnsError::NotANamespace {
                path: path.into(),
                source,
            });
        }
        return Err(NetnsError::Setns {
            path: path.into(),
            source,
        });
    }
    log::debug!("entered network namespace {}", path.display());
    Ok(())
}

/// The network namespace of process 1: the host's own (or, in a container, the container's).
pub const HOST_NAMESPACE: &str = "/proc/1/ns/net";

/// True when `a` and `b` are the same namespace (the same file: device and inode). False when
/// either cannot be read, so a caller that cannot tell is not stopped by this check alone.
pub fn same_namespace(a: &Path, b: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    let key = |p: &Path| std::fs::metadata(p).ok().map(|m| (m.dev(), m.ino()));
    match (key(a), key(b)) {
        (Some(a), Some(b)) => a == b,
        _ => false,
    }
}

/// Moves the calling thread to `target`.
pub fn enter(target: &Target) -> Result<(), NetnsError> {
    match target {
        Target::Private => enter_private(),
        Target::Existing(path) => enter_path(path),
        Target::Current => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_namespace_compares_the_namespace_files() {
        let own = Path::new("/proc/thread-self/ns/net");
        assert!(same_namespace(own, Path::new("/proc/self/ns/net")));
        assert!(!same_namespace(own, Path::new("/nonexistent")));
        // Another kind of namespace of the same thread is another file.
        assert!(!same_namespace(own, Path::new("/proc/thread-self/ns/uts")));
    }
}

//! Helpers shared by the kernel tests: a private network namespace per test, and `nft` as the
//! independent oracle.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The real public blocklists: `$NLBATCH_REALWORLD/blocklists` when that variable is set,
/// else `../shared/data/realworld/blocklists` beside the checkout (as in CI); the directory's
/// `SOURCES.md` says what they are. Panics naming the directory when it is missing.
pub fn blocklists_dir() -> PathBuf {
    let dir = match std::env::var_os("NLBATCH_REALWORLD") {
        Some(root) => PathBuf::from(root).join("blocklists"),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/realworld/blocklists"),
    };
    assert!(
        dir.is_dir(),
        "real-world blocklists missing at {}: these tests read public blocklists (a data \
         directory beside the checkout in CI); set NLBATCH_REALWORLD to the directory that \
         holds blocklists/",
        dir.display()
    );
    dir
}

/// Runs `f` in a new thread moved into a fresh, private network namespace, so that nothing the
/// test does reaches the host's firewall.
///
/// When the namespace cannot be made (not root), the test is reported as skipped on standard
/// error with the reason and `None` is returned — unless `NLBATCH_REQUIRE_KERNEL=1` is set, as
/// CI sets it, in which case the test fails.
pub fn in_netns<T: Send + 'static>(
    name: &str,
    f: impl FnOnce() -> T + Send + 'static,
) -> Option<T> {
    let name = name.to_string();
    let handle = std::thread::Builder::new()
        .name(name.clone())
        .spawn(move || {
            if let Err(e) = nlbatch::netns::enter_private() {
                if std::env::var("NLBATCH_REQUIRE_KERNEL").as_deref() == Ok("1") {
                    panic!("kernel test {name} cannot run and NLBATCH_REQUIRE_KERNEL=1: {e}");
                }
                eprintln!("SKIPPED kernel test {name}: {e}");
                return None;
            }
            Some(f())
        })
        .expect("spawn test thread");
    match handle.join() {
        Ok(v) => v,
        Err(panic) => std::panic::resume_unwind(panic),
    }
}

/// Runs `nft` with `args` in the calling thread's namespace and returns its standard output;
/// panics with its standard error when it fails.
pub fn nft(args: &[&str]) -> String {
    let out = Command::new("nft")
        .args(args)
        .output()
        .expect("run nft (package nftables)");
    assert!(
        out.status.success(),
        "nft {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("nft prints UTF-8")
}

/// `nft list ruleset`, with tabs and blank lines normalised away.
pub fn ruleset() -> String {
    normalise(&nft(&["list", "ruleset"]))
}

/// Trims each line and drops empty ones, so expected texts can be written indented.
pub fn normalise(text: &str) -> String {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The path of the calling thread's network namespace, as another process can open it.
pub fn thread_netns() -> String {
    // SAFETY: gettid has no preconditions.
    let tid = unsafe { libc::gettid() };
    format!("/proc/{}/task/{tid}/ns/net", std::process::id())
}

/// Runs the tool's `load` with `args` in the calling thread's namespace (`--netns`).
pub fn tool(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_nlbatch"))
        .arg("load")
        .args(["--netns", &thread_netns()])
        .args(args)
        .output()
        .expect("run nlbatch")
}

/// A fresh directory for one test's files, named after it and this process.
pub fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("nlbatch-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Writes `text` to the file `name` in `dir`; returns its path.
pub fn write_list(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.to_string_lossy().into_owned()
}

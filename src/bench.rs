//! Benchmarks of whole transactions against the kernel: what `nlbatch bench` runs.
//!
//! Two workloads, each at several sizes: `N` IPv4 addresses into one set declared
//! `type ipv4_addr; size N` (a hash set), and `N` rules `ip saddr ADDR counter drop` in one
//! regular chain. Each workload is sent four ways, on the same content:
//!
//! - **nlbatch**: encoded into the pages of a reused arena, one `sendmsg` of the pages
//!   ([`Nftables::commit`]);
//! - **contiguous**: the same bytes copied into one `Vec<u8>`, one `sendmsg` of one iovec (what
//!   most netlink libraries do);
//! - **per_message**: every message copied into a `Vec<u8>` of its own, one iovec per message
//!   (refused by the kernel beyond [`UIO_MAXIOV`] messages);
//! - **nft_file**: `nft -f` on the equivalent text file.
//!
//! Measured for each: encode time, kernel time (the `sendmsg`), reply time, total time, peak
//! resident memory (`VmHWM`, reset through `/proc/self/clear_refs` before each run) and
//! allocations (through a counter the binary provides). Sweeps then vary one choice at a time
//! (declared set size, set policy, elements per message, ACK strategy, page size, set type)
//! to show what each costs the kernel.
//!
//! Every run happens in the calling thread's network namespace, which [`run`] makes private;
//! between runs the benchmark table is deleted outside the timed region.
//!
//! # Limitations
//!
//! - The kernel time of `nft -f` cannot be separated from its parsing: its `sys_ms` (system
//!   time from `wait4`) stands in for it.
//! - Times are wall-clock times on a shared machine; compare medians of several repeats.

use std::io::{IoSlice, Write};
use std::net::{IpAddr, Ipv4Addr};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use crate::addr::V4Range;
use crate::arena::{ArenaConfig, DEFAULT_PAGE_SIZE, UIO_MAXIOV};
use crate::message::{BatchConfig, NLM_F_ACK, NLM_F_CREATE, NLM_F_REQUEST};
use crate::nft::wire::*;
use crate::nft::{
    describe, Chain, Delete, Expr, Family, KeyType, NftError, Nftables, Rule, Set, SetTarget,
    Table, Transaction,
};
use crate::socket::{Replies, Socket, TransportError, NETLINK_NETFILTER, RCVBUF_PER_REPLY};

/// Set elements of the default run.
pub const DEFAULT_ELEMENTS: [u64; 3] = [10_000, 100_000, 1_000_000];
/// Rules of the default run.
pub const DEFAULT_RULES: [u64; 2] = [10_000, 100_000];
/// Largest element count the sweeps use (larger runs sweep at this size).
pub const SWEEP_ELEMENTS: u64 = 1_000_000;
/// Largest rule count the ACK sweep uses.
pub const SWEEP_RULES: u64 = 100_000;
/// Table every run creates (family `ip`) and deletes.
pub const TABLE: &str = "nlbench";
/// Most plain IPv4 elements one NEWSETELEM holds: 4,095 of 16 bytes in a 16-bit nest.
pub const MAX_ELEMENTS_PER_MESSAGE: u16 = 4095;
/// First address of the generated keys and rules (10.0.0.0).
const FIRST_ADDR: u32 = 0x0a00_0000;
/// `NFT_SET_POL_MEMORY` (`NFT_SET_POL_PERFORMANCE` is 0, the kernel's default).
const NFT_SET_POL_MEMORY: u32 = 1;
/// Set id of a set written by hand (with a policy).
const POLICY_SET_ID: u32 = 0x7f00_0001;

/// Errors of a benchmark run.
#[derive(Debug, thiserror::Error)]
pub enum BenchError {
    /// The private namespace could not be made.
    #[error(transparent)]
    Namespace(#[from] crate::netns::NetnsError),
    /// The socket could not be opened, or a clean-up failed.
    #[error(transparent)]
    Nft(#[from] NftError),
    /// A case description could not be parsed.
    #[error("bad case description {0:?}")]
    Spec(String),
    /// A worker process failed or printed something unexpected.
    #[error("benchmark worker: {0}")]
    Worker(String),
    /// Reading /proc or writing a file failed.
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

/// What is loaded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Workload {
    /// `N` distinct IPv4 addresses (10.0.0.0 upwards) into one set.
    Elements(u64),
    /// `N` rules `ip saddr ADDR counter drop` in one regular chain.
    Rules(u64),
}

impl Workload {
    /// `elements` or `rules`.
    pub fn kind(self) -> &'static str {
        match self {
            Workload::Elements(_) => "elements",
            Workload::Rules(_) => "rules",
        }
    }

    /// The count `N`.
    pub fn n(self) -> u64 {
        match self {
            Workload::Elements(n) | Workload::Rules(n) => n,
        }
    }
}

/// How the transaction reaches the kernel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Approach {
    /// The arena's pages as the iovecs of one `sendmsg`.
    Nlbatch,
    /// One contiguous copy, one iovec.
    Contiguous,
    /// One buffer per message, one iovec per message.
    PerMessage,
    /// `nft -f` on the equivalent file.
    NftFile,
}

impl Approach {
    /// Every approach, in report order.
    pub const ALL: [Approach; 4] = [
        Approach::Nlbatch,
        Approach::Contiguous,
        Approach::PerMessage,
        Approach::NftFile,
    ];

    /// Name used in reports and JSON.
    pub fn name(self) -> &'static str {
        match self {
            Approach::Nlbatch => "nlbatch",
            Approach::Contiguous => "contiguous",
            Approach::PerMessage => "per_message",
            Approach::NftFile => "nft_file",
        }
    }

    fn parse(s: &str) -> Option<Approach> {
        Approach::ALL.into_iter().find(|a| a.name() == s)
    }
}

/// Which messages ask for an acknowledgement (`NLM_F_ACK`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ack {
    /// Only BATCH_END: one ACK confirms the commit (nlbatch's choice).
    End,
    /// None: success is silent and cannot be confirmed.
    Never,
    /// Every message: one ACK per message, each taking receive-buffer room.
    Every,
}

impl Ack {
    fn name(self) -> &'static str {
        match self {
            Ack::End => "end",
            Ack::Never => "none",
            Ack::Every => "every",
        }
    }
}

/// The declared size of the set (`NFTA_SET_DESC_SIZE`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SetSize {
    /// No size: the kernel picks a resizable backend.
    Undeclared,
    /// `size N`, as many as the elements loaded.
    Exact,
    /// `size 2N`.
    Double,
}

impl SetSize {
    fn name(self) -> &'static str {
        match self {
            SetSize::Undeclared => "none",
            SetSize::Exact => "n",
            SetSize::Double => "2n",
        }
    }

    fn of(self, n: u64) -> Option<u32> {
        let n = u32::try_from(n).unwrap_or(u32::MAX);
        match self {
            SetSize::Undeclared => None,
            SetSize::Exact => Some(n),
            SetSize::Double => Some(n.saturating_mul(2)),
        }
    }
}

/// The set's policy (`NFTA_SET_POLICY`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SetPolicy {
    /// Not sent: the kernel uses `performance` (what nft sends unless told otherwise).
    Unset,
    /// `policy performance`, sent explicitly.
    Performance,
    /// `policy memory`.
    Memory,
}

impl SetPolicy {
    fn name(self) -> &'static str {
        match self {
            SetPolicy::Unset => "unset",
            SetPolicy::Performance => "performance",
            SetPolicy::Memory => "memory",
        }
    }
}

/// The choices one case makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Variant {
    /// Encoder page size, in bytes.
    pub page_size: usize,
    /// Declared set size.
    pub size: SetSize,
    /// Set policy.
    pub policy: SetPolicy,
    /// Elements per NEWSETELEM message, 1 to [`MAX_ELEMENTS_PER_MESSAGE`].
    pub per_message: u16,
    /// Which messages ask for an ACK (honoured by the copying approaches only; nlbatch always
    /// acknowledges BATCH_END alone).
    pub ack: Ack,
    /// An interval set (`flags interval`) holding `N/2` single-address ranges, as `load`
    /// makes, instead of a hash set of `N` addresses.
    pub interval: bool,
}

impl Default for Variant {
    fn default() -> Self {
        Variant {
            page_size: DEFAULT_PAGE_SIZE,
            size: SetSize::Exact,
            policy: SetPolicy::Unset,
            per_message: MAX_ELEMENTS_PER_MESSAGE,
            ack: Ack::End,
            interval: false,
        }
    }
}

/// One workload sent one way with one set of choices.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Case {
    /// `main` for the comparison of approaches, else the name of the sweep point.
    pub label: String,
    /// What is loaded.
    pub workload: Workload,
    /// How it is sent.
    pub approach: Approach,
    /// The choices.
    pub variant: Variant,
}

impl Case {
    /// The case as one line of `key=value` pairs separated by `;`, for a worker process.
    pub fn spec(&self) -> String {
        let v = &self.variant;
        format!(
            "label={};workload={};n={};approach={};page={};size={};policy={};epm={};ack={};\
             interval={}",
            self.label,
            self.workload.kind(),
            self.workload.n(),
            self.approach.name(),
            v.page_size,
            v.size.name(),
            v.policy.name(),
            v.per_message,
            v.ack.name(),
            u8::from(v.interval)
        )
    }

    /// Parses [`Case::spec`]'s format.
    pub fn parse(spec: &str) -> Result<Case, BenchError> {
        let bad = || BenchError::Spec(spec.to_string());
        let mut case = Case {
            label: "main".into(),
            workload: Workload::Elements(0),
            approach: Approach::Nlbatch,
            variant: Variant::default(),
        };
        let (mut kind, mut n) = ("elements", 0u64);
        for pair in spec.split(';') {
            let (key, value) = pair.split_once('=').ok_or_else(bad)?;
            let v = &mut case.variant;
            match key {
                "label" => case.label = value.to_string(),
                "workload" if value == "elements" || value == "rules" => {
                    kind = if value == "rules" {
                        "rules"
                    } else {
                        "elements"
                    }
                }
                "n" => n = value.parse().map_err(|_| bad())?,
                "approach" => case.approach = Approach::parse(value).ok_or_else(bad)?,
                "page" => v.page_size = value.parse().map_err(|_| bad())?,
                "size" => {
                    v.size = [SetSize::Undeclared, SetSize::Exact, SetSize::Double]
                        .into_iter()
                        .find(|s| s.name() == value)
                        .ok_or_else(bad)?
                }
                "policy" => {
                    v.policy = [SetPolicy::Unset, SetPolicy::Performance, SetPolicy::Memory]
                        .into_iter()
                        .find(|p| p.name() == value)
                        .ok_or_else(bad)?
                }
                "epm" => {
                    v.per_message = value.parse().map_err(|_| bad())?;
                    if v.per_message == 0 || v.per_message > MAX_ELEMENTS_PER_MESSAGE {
                        return Err(bad());
                    }
                }
                "ack" => {
                    v.ack = [Ack::End, Ack::Never, Ack::Every]
                        .into_iter()
                        .find(|a| a.name() == value)
                        .ok_or_else(bad)?
                }
                "interval" => v.interval = value == "1",
                _ => return Err(bad()),
            }
        }
        case.workload = if kind == "rules" {
            Workload::Rules(n)
        } else {
            Workload::Elements(n)
        };
        Ok(case)
    }
}

/// What one run (or the median of several) measured. Times in milliseconds.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Sample {
    /// Bytes of the datagram (unknown for `nft -f`).
    pub bytes: Option<u64>,
    /// Iovecs of the datagram.
    pub pages: Option<u64>,
    /// Messages in the transaction.
    pub messages: Option<u64>,
    /// Encoding, plus the copy for the copying approaches.
    pub encode_ms: Option<f64>,
    /// The copy into one buffer, or into one buffer per message.
    pub copy_ms: Option<f64>,
    /// Time inside `sendmsg`: the kernel's processing of the transaction.
    pub kernel_ms: Option<f64>,
    /// Draining and checking the replies.
    pub reply_ms: Option<f64>,
    /// Everything from the first byte encoded to the last reply checked; for `nft -f`, the
    /// wall time of the process.
    pub total_ms: Option<f64>,
    /// User time of `nft -f`.
    pub user_ms: Option<f64>,
    /// System time of `nft -f` (mostly the kernel processing its transaction).
    pub sys_ms: Option<f64>,
    /// Peak resident memory of the process doing the work, in bytes.
    pub peak_rss_bytes: Option<u64>,
    /// Heap allocations during the run (not counted for `nft -f`).
    pub allocations: Option<u64>,
    /// True when the kernel took the transaction (confirmed, or without error when no ACK was
    /// asked for).
    pub committed: bool,
    /// Why the run failed, if it did.
    pub error: Option<String>,
}

fn ms(d: Duration) -> f64 {
    (d.as_secs_f64() * 1e6).round() / 1e3
}

impl Sample {
    /// The sample as a JSON object, with the field names of `nlbatch load --json` where they
    /// apply; unknown values are `null`.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "bytes": self.bytes,
            "pages": self.pages,
            "messages": self.messages,
            "encode_ms": self.encode_ms,
            "copy_ms": self.copy_ms,
            "kernel_ms": self.kernel_ms,
            "reply_ms": self.reply_ms,
            "total_ms": self.total_ms,
            "user_ms": self.user_ms,
            "sys_ms": self.sys_ms,
            "peak_rss_bytes": self.peak_rss_bytes,
            "allocations": self.allocations,
            "committed": self.committed,
            "error": self.error,
        })
    }

    /// Reads [`Sample::to_json`]'s output back.
    pub fn from_json(v: &serde_json::Value) -> Sample {
        let u = |k: &str| v.get(k).and_then(serde_json::Value::as_u64);
        let f = |k: &str| v.get(k).and_then(serde_json::Value::as_f64);
        Sample {
            bytes: u("bytes"),
            pages: u("pages"),
            messages: u("messages"),
            encode_ms: f("encode_ms"),
            copy_ms: f("copy_ms"),
            kernel_ms: f("kernel_ms"),
            reply_ms: f("reply_ms"),
            total_ms: f("total_ms"),
            user_ms: f("user_ms"),
            sys_ms: f("sys_ms"),
            peak_rss_bytes: u("peak_rss_bytes"),
            allocations: u("allocations"),
            committed: v.get("committed").and_then(serde_json::Value::as_bool) == Some(true),
            error: v.get("error").and_then(|e| e.as_str()).map(str::to_owned),
        }
    }

    /// The median of each field over `runs` (the first error, if any run failed).
    pub fn median(runs: &[Sample]) -> Sample {
        fn mid<T: Copy + PartialOrd>(mut v: Vec<T>) -> Option<T> {
            v.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
            v.get(v.len().saturating_sub(1) / 2).copied()
        }
        let f = |get: fn(&Sample) -> Option<f64>| mid(runs.iter().filter_map(get).collect());
        let u = |get: fn(&Sample) -> Option<u64>| mid(runs.iter().filter_map(get).collect());
        Sample {
            bytes: u(|s| s.bytes),
            pages: u(|s| s.pages),
            messages: u(|s| s.messages),
            encode_ms: f(|s| s.encode_ms),
            copy_ms: f(|s| s.copy_ms),
            kernel_ms: f(|s| s.kernel_ms),
            reply_ms: f(|s| s.reply_ms),
            total_ms: f(|s| s.total_ms),
            user_ms: f(|s| s.user_ms),
            sys_ms: f(|s| s.sys_ms),
            peak_rss_bytes: u(|s| s.peak_rss_bytes),
            allocations: u(|s| s.allocations),
            committed: !runs.is_empty() && runs.iter().all(|s| s.committed),
            error: runs.iter().find_map(|s| s.error.clone()),
        }
    }
}

/// The runs of one case and their median.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseResult {
    /// The case.
    pub case: Case,
    /// Every run, in order.
    pub runs: Vec<Sample>,
    /// The median of the runs.
    pub median: Sample,
}

impl CaseResult {
    /// The result as a JSON object: the case's fields, `repeat`, and the median's fields.
    pub fn to_json(&self) -> serde_json::Value {
        let mut json = self.median.to_json();
        let v = &self.case.variant;
        if let Some(obj) = json.as_object_mut() {
            obj.insert("label".into(), self.case.label.clone().into());
            obj.insert("workload".into(), self.case.workload.kind().into());
            obj.insert("n".into(), self.case.workload.n().into());
            obj.insert("approach".into(), self.case.approach.name().into());
            obj.insert("page_size".into(), v.page_size.into());
            obj.insert("set_size".into(), v.size.name().into());
            obj.insert("policy".into(), v.policy.name().into());
            obj.insert("elements_per_message".into(), v.per_message.into());
            obj.insert("ack".into(), v.ack.name().into());
            obj.insert("interval".into(), v.interval.into());
            obj.insert("repeat".into(), self.runs.len().into());
            obj.insert(
                "kernel_ms_runs".into(),
                self.runs
                    .iter()
                    .map(|s| s.kernel_ms)
                    .collect::<Vec<_>>()
                    .into(),
            );
            obj.insert(
                "total_ms_runs".into(),
                self.runs
                    .iter()
                    .map(|s| s.total_ms)
                    .collect::<Vec<_>>()
                    .into(),
            );
        }
        json
    }
}

/// Where the measurements go and what is counted.
#[derive(Debug, Clone)]
pub struct BenchOptions {
    /// Element counts of the set workload.
    pub elements: Vec<u64>,
    /// Rule counts of the rule workload.
    pub rules: Vec<u64>,
    /// Encoder page size of the comparison (the page-size sweep varies it).
    pub page_size: usize,
    /// Runs of every case; the median is reported.
    pub repeat: usize,
    /// Encode only: nothing is sent, no namespace is needed, only the nlbatch approach runs.
    pub encode_only: bool,
    /// Compare with contiguous, per-message and `nft -f` sends.
    pub alternatives: bool,
    /// Include `nft -f` among the alternatives.
    pub nft: bool,
    /// Run the sweeps of the kernel's cost per choice.
    pub sweeps: bool,
    /// Run every case in its own process (this executable, `bench --case SPEC`), so that peak
    /// memory and allocations belong to that case alone. `None`: in this process.
    pub worker: Option<PathBuf>,
    /// Counter of heap allocations (a counting global allocator), if the program has one.
    pub allocations: Option<fn() -> u64>,
}

impl Default for BenchOptions {
    fn default() -> Self {
        BenchOptions {
            elements: DEFAULT_ELEMENTS.to_vec(),
            rules: DEFAULT_RULES.to_vec(),
            page_size: DEFAULT_PAGE_SIZE,
            repeat: 3,
            encode_only: false,
            alternatives: true,
            nft: true,
            sweeps: true,
            worker: None,
            allocations: None,
        }
    }
}

/// The cases a run consists of, in order: the comparison of approaches for every workload,
/// then the sweeps.
pub fn cases(opts: &BenchOptions) -> Vec<Case> {
    let base = Variant {
        page_size: opts.page_size,
        ..Variant::default()
    };
    let mut out = Vec::new();
    let workloads = opts
        .elements
        .iter()
        .map(|&n| Workload::Elements(n))
        .chain(opts.rules.iter().map(|&n| Workload::Rules(n)));
    for workload in workloads {
        for approach in Approach::ALL {
            let wanted = match approach {
                Approach::Nlbatch => true,
                Approach::NftFile => opts.alternatives && opts.nft && !opts.encode_only,
                _ => opts.alternatives && !opts.encode_only,
            };
            if wanted {
                out.push(Case {
                    label: "main".into(),
                    workload,
                    approach,
                    variant: base,
                });
            }
        }
    }
    if opts.sweeps && !opts.encode_only {
        out.extend(sweep_cases(opts, base));
    }
    out
}

fn sweep_cases(opts: &BenchOptions, base: Variant) -> Vec<Case> {
    let mut out = Vec::new();
    let case = |label: &str, workload, approach, variant| Case {
        label: label.to_string(),
        workload,
        approach,
        variant,
    };
    if let Some(&max) = opts.elements.iter().max() {
        let w = Workload::Elements(max.min(SWEEP_ELEMENTS));
        let nl = Approach::Nlbatch;
        let sizes = [SetSize::Undeclared, SetSize::Double];
        for size in sizes {
            let label = format!("set size {}", size.name());
            out.push(case(&label, w, nl, Variant { size, ..base }));
        }
        for policy in [SetPolicy::Performance, SetPolicy::Memory] {
            let label = format!("policy {}", policy.name());
            out.push(case(&label, w, nl, Variant { policy, ..base }));
        }
        let v = Variant {
            policy: SetPolicy::Memory,
            size: SetSize::Undeclared,
            ..base
        };
        out.push(case("policy memory, size none", w, nl, v));
        for per_message in [64, 512] {
            let label = format!("{per_message} elements per message");
            out.push(case(
                &label,
                w,
                nl,
                Variant {
                    per_message,
                    ..base
                },
            ));
        }
        for page_size in [4096, 64 << 10, 16 << 20] {
            let label = format!("page size {}", human_bytes(page_size as u64));
            out.push(case(&label, w, nl, Variant { page_size, ..base }));
        }
        for size in [SetSize::Undeclared, SetSize::Double] {
            let label = format!("interval set, size {}", size.name());
            let v = Variant {
                size,
                interval: true,
                ..base
            };
            out.push(case(&label, w, nl, v));
        }
    }
    if let Some(&max) = opts.rules.iter().max() {
        let w = Workload::Rules(max.min(SWEEP_RULES));
        for ack in [Ack::Never, Ack::Every] {
            let label = format!("ACK {}", ack.name());
            out.push(case(
                &label,
                w,
                Approach::Contiguous,
                Variant { ack, ..base },
            ));
        }
    }
    out
}

/// `4 KiB`, `2 MiB`, ... for page sizes.
pub fn human_bytes(b: u64) -> String {
    if b >= 1 << 20 && b % (1 << 20) == 0 {
        format!("{} MiB", b >> 20)
    } else if b >= 1 << 10 && b % (1 << 10) == 0 {
        format!("{} KiB", b >> 10)
    } else {
        format!("{b} B")
    }
}

/// Runs every case of `opts` in a fresh private network namespace entered by the calling
/// thread (unless encoding only), calling `progress` after each case.
pub fn run(
    opts: &BenchOptions,
    mut progress: impl FnMut(&CaseResult),
) -> Result<Vec<CaseResult>, BenchError> {
    if !opts.encode_only {
        crate::netns::enter_private()?;
    }
    let mut results = Vec::new();
    for case in cases(opts) {
        let result = match &opts.worker {
            Some(exe) => run_worker(exe, &case, opts.repeat, opts.encode_only)?,
            None => run_case(&case, opts.repeat, opts.encode_only, opts.allocations),
        };
        progress(&result);
        results.push(result);
    }
    Ok(results)
}

/// Runs `case` in a process of its own: `exe bench --case SPEC --repeat R [--encode-only]`,
/// which prints one JSON object per run.
fn run_worker(
    exe: &std::path::Path,
    case: &Case,
    repeat: usize,
    encode_only: bool,
) -> Result<CaseResult, BenchError> {
    let mut command = std::process::Command::new(exe);
    command.args([
        "bench",
        "--case",
        &case.spec(),
        "--repeat",
        &repeat.to_string(),
    ]);
    if encode_only {
        command.arg("--encode-only");
    }
    let out = command.stderr(std::process::Stdio::inherit()).output()?;
    if !out.status.success() {
        return Err(BenchError::Worker(format!(
            "{} exited with {} for case {}",
            exe.display(),
            out.status,
            case.spec()
        )));
    }
    let text = String::from_utf8_lossy(&out.stdout);
    let mut runs = Vec::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let value: serde_json::Value = serde_json::from_str(line)
            .map_err(|e| BenchError::Worker(format!("unreadable output {line:?}: {e}")))?;
        runs.push(Sample::from_json(&value));
    }
    let median = Sample::median(&runs);
    Ok(CaseResult {
        case: case.clone(),
        runs,
        median,
    })
}

/// Runs `case` `repeat` times in this process and thread (which must be in the namespace to
/// load into, unless `encode_only`). Failures are recorded in the samples, never returned.
pub fn run_case(
    case: &Case,
    repeat: usize,
    encode_only: bool,
    allocations: Option<fn() -> u64>,
) -> CaseResult {
    let mut runs = Vec::new();
    let mut state = None;
    for _ in 0..repeat.max(1) {
        let sample = match case.approach {
            Approach::NftFile => run_nft(case),
            _ => run_encoded(case, encode_only, allocations, &mut state),
        };
        let failed = sample.error.is_some();
        runs.push(sample);
        if failed {
            break;
        }
    }
    let median = Sample::median(&runs);
    CaseResult {
        case: case.clone(),
        runs,
        median,
    }
}

/// The reusable parts of a run: the transaction (arena) and the sockets.
struct State {
    tx: Transaction,
    nft: Option<Nftables>,
    socket: Option<Socket>,
    replies: Replies,
}

fn state_for(variant: &Variant, encode_only: bool) -> Result<State, NftError> {
    let config = BatchConfig {
        arena: ArenaConfig::with_page_size(variant.page_size),
        ..BatchConfig::default()
    };
    let tx = Transaction::new(config)?;
    let (nft, socket) = if encode_only {
        (None, None)
    } else {
        (
            Some(Nftables::open()?),
            Some(Socket::open(NETLINK_NETFILTER)?),
        )
    };
    Ok(State {
        tx,
        nft,
        socket,
        replies: Replies::default(),
    })
}

fn run_encoded(
    case: &Case,
    encode_only: bool,
    allocations: Option<fn() -> u64>,
    state: &mut Option<State>,
) -> Sample {
    let mut sample = Sample::default();
    if state.is_none() {
        match state_for(&case.variant, encode_only) {
            Ok(s) => *state = Some(s),
            Err(e) => {
                sample.error = Some(e.to_string());
                return sample;
            }
        }
    }
    let Some(st) = state.as_mut() else {
        return sample;
    };
    if let Some(nft) = st.nft.as_mut() {
        if let Err(e) = clean(nft, case.workload.n()) {
            sample.error = Some(format!("cannot delete the table before the run: {e}"));
            return sample;
        }
    }
    reset_peak_rss();
    let count = || allocations.map(|f| f());
    let allocs_before = count();
    if let Err(e) = send_case(case, st, &mut sample) {
        sample.error = Some(e);
    }
    sample.allocations = match (allocs_before, count()) {
        (Some(a), Some(b)) => Some(b.saturating_sub(a)),
        _ => None,
    };
    sample.peak_rss_bytes = peak_rss();
    sample
}

/// Encodes and sends one run; fills `sample` as far as it gets.
fn send_case(case: &Case, st: &mut State, sample: &mut Sample) -> Result<(), String> {
    let start = Instant::now();
    st.tx.reset();
    encode(&mut st.tx, case.workload, &case.variant).map_err(|e| e.to_string())?;
    let encoded = start.elapsed();
    let batch = st.tx.batch();
    sample.bytes = Some(batch.len() as u64);
    sample.messages = Some(u64::from(batch.message_count()));
    sample.pages = Some(batch.page_count() as u64);
    sample.encode_ms = Some(ms(encoded));
    let (Some(nft), Some(socket)) = (st.nft.as_mut(), st.socket.as_mut()) else {
        sample.total_ms = Some(ms(encoded));
        return Ok(());
    };
    if case.approach == Approach::Nlbatch {
        let report = nft.commit(&mut st.tx).map_err(|e| e.to_string())?;
        sample.kernel_ms = Some(ms(report.send.kernel_time));
        sample.reply_ms = Some(ms(report.reply_time));
        sample.total_ms = Some(ms(start.elapsed()));
        sample.committed = report.confirmed;
        return Ok(());
    }

    let copy_start = Instant::now();
    let batch = st.tx.batch();
    let mut whole = Vec::new();
    let mut each: Vec<Vec<u8>> = Vec::new();
    if case.approach == Approach::Contiguous {
        whole = batch.to_vec();
        set_ack_flags(&mut whole, case.variant.ack);
    } else {
        each = batch.messages().map(|m| m.bytes().to_vec()).collect();
        for msg in &mut each {
            set_ack_flags(msg, case.variant.ack);
        }
    }
    let copied = copy_start.elapsed();
    sample.copy_ms = Some(ms(copied));
    sample.encode_ms = Some(ms(encoded + copied));
    sample.pages = Some(if each.is_empty() {
        1
    } else {
        each.len() as u64
    });

    let replies_wanted = match case.variant.ack {
        Ack::Every => batch.message_count() as usize,
        _ => 1,
    };
    let want =
        (replies_wanted.max(batch.message_count() as usize) * RCVBUF_PER_REPLY).max(256 * 1024);
    socket.ensure_recv_buffer(want).map_err(|e| e.to_string())?;
    let sent = if case.approach == Approach::Contiguous {
        socket.send_bytes(&whole)
    } else {
        let slices: Vec<IoSlice<'_>> = each.iter().map(|m| IoSlice::new(m)).collect();
        socket.send_slices(&slices)
    };
    let sent = sent.map_err(|e| match e {
        TransportError::TooManyIovecs { count } => {
            format!("EMSGSIZE: {count} iovecs, more than the kernel's {UIO_MAXIOV} (UIO_MAXIOV)")
        }
        e => e.to_string(),
    })?;
    sample.kernel_ms = Some(ms(sent.kernel_time));
    let reply_start = Instant::now();
    st.replies.clear();
    socket
        .drain(batch, NFGENMSG_LEN, &mut st.replies)
        .map_err(|e| e.to_string())?;
    sample.reply_ms = Some(ms(reply_start.elapsed()));
    sample.total_ms = Some(ms(start.elapsed()));
    if let Some(e) = st.replies.errors.first() {
        return Err(describe(batch, e).to_string());
    }
    if st.replies.lost {
        return Err("replies were lost (receive queue overflowed)".into());
    }
    let end_seq = batch.next_seq().wrapping_sub(1);
    sample.committed = case.variant.ack == Ack::Never || st.replies.acked(end_seq);
    drop(whole);
    drop(each);
    Ok(())
}

/// Sets or clears `NLM_F_ACK` in the headers of the messages in `bytes` (host byte order, at
/// bytes 6..8 of each header), as `ack` asks; BATCH_END keeps its ACK unless `Never`.
fn set_ack_flags(bytes: &mut [u8], ack: Ack) {
    if ack == Ack::End {
        return;
    }
    let mut at = 0;
    while at + 16 <= bytes.len() {
        let len = u32::from_ne_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]]);
        let msg_type = u16::from_ne_bytes([bytes[at + 4], bytes[at + 5]]);
        let mut flags = u16::from_ne_bytes([bytes[at + 6], bytes[at + 7]]);
        match ack {
            Ack::Every => flags |= NLM_F_ACK,
            _ if msg_type == NFNL_MSG_BATCH_END => flags &= !NLM_F_ACK,
            _ => {}
        }
        bytes[at + 6..at + 8].copy_from_slice(&flags.to_ne_bytes());
        let len = (len as usize + 3) & !3;
        if len < 16 {
            break;
        }
        at += len;
    }
}

/// Writes the whole transaction of `workload` with the choices of `variant`.
pub fn encode(tx: &mut Transaction, workload: Workload, variant: &Variant) -> Result<(), NftError> {
    tx.begin(None)?;
    tx.add_table(&Table::new(Family::Ip, TABLE))?;
    match workload {
        Workload::Elements(n) if variant.interval => encode_intervals(tx, n, variant)?,
        Workload::Elements(n) => encode_elements(tx, n, variant)?,
        Workload::Rules(n) => encode_rules(tx, n)?,
    }
    tx.end()?;
    Ok(())
}

fn encode_elements(tx: &mut Transaction, n: u64, variant: &Variant) -> Result<(), NftError> {
    let mut set = Set::new(Family::Ip, TABLE, "s", KeyType::Ipv4Addr);
    set.size = variant.size.of(n);
    let target = match variant.policy {
        SetPolicy::Unset => tx.add_set(&set)?,
        SetPolicy::Performance => add_set_with_policy(tx, &set, 0)?,
        SetPolicy::Memory => add_set_with_policy(tx, &set, NFT_SET_POL_MEMORY)?,
    };
    let per_message = u64::from(variant.per_message.clamp(1, MAX_ELEMENTS_PER_MESSAGE));
    let mut keys = Vec::with_capacity(per_message as usize);
    let mut next = 0u64;
    while next < n {
        let count = per_message.min(n - next);
        keys.clear();
        keys.extend((next..next + count).map(|i| (FIRST_ADDR + i as u32).to_be_bytes()));
        tx.add_keys(&target, keys.iter().map(|k| &k[..]))?;
        next += count;
    }
    Ok(())
}

fn encode_intervals(tx: &mut Transaction, n: u64, variant: &Variant) -> Result<(), NftError> {
    let mut set = Set::new(Family::Ip, TABLE, "s", KeyType::Ipv4Addr).interval();
    set.size = variant.size.of(n);
    let target = tx.add_set(&set)?;
    let ranges: Vec<V4Range> = (0..n.div_ceil(2))
        .map(|i| {
            let a = FIRST_ADDR + 2 * i as u32;
            V4Range { lo: a, hi: a }
        })
        .collect();
    tx.add_v4_intervals(&target, &ranges)?;
    Ok(())
}

/// NEWSET with `NFTA_SET_POLICY`, written by hand (the set type has no policy field).
fn add_set_with_policy(
    tx: &mut Transaction,
    set: &Set,
    policy: u32,
) -> Result<SetTarget, NftError> {
    let mut msg = tx
        .batch_mut()
        .message(msg_type(NFT_MSG_NEWSET), NLM_F_REQUEST | NLM_F_CREATE)?;
    msg.family_header(&[set.family.nfproto(), 0, 0, 0])?;
    msg.put_strz(NFTA_SET_TABLE, &set.table)?;
    msg.put_strz(NFTA_SET_NAME, &set.name)?;
    msg.put_be32(NFTA_SET_FLAGS, set.wire_flags())?;
    msg.put_be32(NFTA_SET_KEY_TYPE, set.key.id())?;
    msg.put_be32(NFTA_SET_KEY_LEN, set.key.len())?;
    msg.put_be32(NFTA_SET_ID, POLICY_SET_ID)?;
    msg.put_be32(NFTA_SET_POLICY, policy)?;
    if let Some(size) = set.size {
        let desc = msg.begin_nest(NFTA_SET_DESC)?;
        msg.put_be32(NFTA_SET_DESC_SIZE, size)?;
        msg.end_nest(desc)?;
    }
    msg.finish()?;
    Ok(SetTarget::of(set, Some(POLICY_SET_ID)))
}

fn encode_rules(tx: &mut Transaction, n: u64) -> Result<(), NftError> {
    tx.add_chain(&Chain::regular(Family::Ip, TABLE, "c"))?;
    let addr = IpAddr::V4(Ipv4Addr::from(FIRST_ADDR));
    let mut rule = Rule::new(Family::Ip, TABLE, "c")
        .saddr(addr)
        .counter()
        .drop();
    let cmp = rule
        .exprs
        .iter()
        .rposition(|e| matches!(e, Expr::Cmp { .. }));
    for i in 0..n {
        if let Some(Expr::Cmp { data, .. }) = cmp.and_then(|at| rule.exprs.get_mut(at)) {
            data.clear();
            data.extend_from_slice(&(FIRST_ADDR + i as u32).to_be_bytes());
        }
        tx.add_rule(&rule)?;
    }
    Ok(())
}

/// Deletes the benchmark table if it exists (outside any timed region), then gives the
/// kernel's deferred destruction of a big set a moment so that it does not overlap the next
/// run.
fn clean(nft: &mut Nftables, n: u64) -> Result<(), NftError> {
    let config = BatchConfig {
        arena: ArenaConfig::with_page_size(crate::arena::MIN_PAGE_SIZE),
        ..BatchConfig::default()
    };
    let mut tx = Transaction::new(config)?;
    tx.begin(None)?;
    tx.delete(Delete::Table(Family::Ip, TABLE))?;
    tx.end()?;
    match nft.commit(&mut tx) {
        Ok(_) => {
            let pause = Duration::from_millis(50 + n / 5_000);
            log::debug!("deleted table {TABLE}; pausing {pause:?} for its destruction");
            std::thread::sleep(pause);
            Ok(())
        }
        Err(e) if e.errno() == Some(libc::ENOENT) => Ok(()),
        Err(e) => Err(e),
    }
}

/// Resets the peak resident memory (`VmHWM`) to the current resident memory.
fn reset_peak_rss() {
    if let Err(e) = std::fs::write("/proc/self/clear_refs", "5") {
        log::debug!("cannot reset VmHWM through /proc/self/clear_refs: {e}");
    }
}

/// Peak resident memory (`VmHWM`) in bytes.
pub fn peak_rss() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

/// The `nft -f` file equivalent to the workload (set declared the same way).
pub fn nft_file(workload: Workload, variant: &Variant) -> String {
    let mut out = String::new();
    out.push_str(&format!("add table ip {TABLE}\n"));
    match workload {
        Workload::Elements(n) => {
            let size = variant
                .size
                .of(n)
                .map_or(String::new(), |s| format!(" size {s};"));
            out.push_str(&format!(
                "add set ip {TABLE} s {{ type ipv4_addr;{size} }}\n"
            ));
            let mut i = 0;
            while i < n {
                let end = (i + 4096).min(n);
                out.push_str(&format!("add element ip {TABLE} s {{ "));
                for k in i..end {
                    if k > i {
                        out.push_str(", ");
                    }
                    out.push_str(&Ipv4Addr::from(FIRST_ADDR + k as u32).to_string());
                }
                out.push_str(" }\n");
                i = end;
            }
        }
        Workload::Rules(n) => {
            out.push_str(&format!("add chain ip {TABLE} c\n"));
            for k in 0..n {
                let a = Ipv4Addr::from(FIRST_ADDR + k as u32);
                out.push_str(&format!(
                    "add rule ip {TABLE} c ip saddr {a} counter drop\n"
                ));
            }
        }
    }
    out
}

/// One `nft -f` run: the table is deleted first, the file written outside the timing; the
/// process is timed from spawn to exit, and its peak memory and CPU times come from `wait4`.
fn run_nft(case: &Case) -> Sample {
    let mut sample = Sample::default();
    if let Err(e) = Nftables::open().and_then(|mut nft| clean(&mut nft, case.workload.n())) {
        sample.error = Some(format!("cannot delete the table before the run: {e}"));
        return sample;
    }
    let dir = std::env::temp_dir();
    let path = dir.join(format!("nlbatch-bench-{}.nft", std::process::id()));
    let errors = dir.join(format!("nlbatch-bench-{}.err", std::process::id()));
    let result = (|| -> Result<(), String> {
        std::fs::File::create(&path)
            .and_then(|mut f| f.write_all(nft_file(case.workload, &case.variant).as_bytes()))
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        let stderr = std::fs::File::create(&errors).map_err(|e| e.to_string())?;
        let start = Instant::now();
        let child = std::process::Command::new("nft")
            .arg("-f")
            .arg(&path)
            .stdout(std::process::Stdio::null())
            .stderr(stderr)
            .spawn()
            .map_err(|e| format!("cannot run nft (package nftables): {e}"))?;
        let (status, usage) = wait4(child.id())?;
        sample.total_ms = Some(ms(start.elapsed()));
        let tv = |t: libc::timeval| t.tv_sec as f64 * 1e3 + t.tv_usec as f64 / 1e3;
        sample.user_ms = Some((tv(usage.ru_utime) * 1e3).round() / 1e3);
        sample.sys_ms = Some((tv(usage.ru_stime) * 1e3).round() / 1e3);
        sample.peak_rss_bytes = Some(usage.ru_maxrss.max(0) as u64 * 1024);
        if !(libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0) {
            let text = std::fs::read_to_string(&errors).unwrap_or_default();
            let first: String = text.lines().take(3).collect::<Vec<_>>().join(" / ");
            return Err(format!("nft -f failed (status {status:#x}): {first}"));
        }
        sample.committed = true;
        Ok(())
    })();
    let _ = std::fs::remove_file(&path);
    let _ = std::fs::remove_file(&errors);
    if let Err(e) = result {
        sample.error = Some(e);
    }
    sample
}

/// Waits for child `pid` and returns its wait status and resource usage.
fn wait4(pid: u32) -> Result<(i32, libc::rusage), String> {
    let mut status = 0;
    // SAFETY: `rusage` is plain data; all-zero is a valid value that `wait4` overwrites.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        // SAFETY: `status` and `usage` are valid for writes for the duration of the call; the
        // child is ours and is not waited for anywhere else (its `Child` handle is dropped
        // without `wait`).
        let rc = unsafe { libc::wait4(pid as libc::pid_t, &mut status, 0, &mut usage) };
        if rc == pid as libc::pid_t {
            return Ok((status, usage));
        }
        let e = std::io::Error::last_os_error();
        if e.kind() != std::io::ErrorKind::Interrupted {
            return Err(format!("wait4: {e}"));
        }
    }
}

/// The median of the main (comparison) case of `approach` on `workload`.
fn main_case(results: &[CaseResult], workload: Workload, approach: Approach) -> Option<&Sample> {
    results
        .iter()
        .find(|r| {
            r.case.label == "main" && r.case.workload == workload && r.case.approach == approach
        })
        .map(|r| &r.median)
}

fn ratio(a: Option<f64>, b: Option<f64>) -> Option<f64> {
    match (a, b) {
        (Some(a), Some(b)) if b > 0.0 => Some((a / b * 100.0).round() / 100.0),
        _ => None,
    }
}

/// For every workload, each alternative against nlbatch: how many times nlbatch's total time,
/// kernel time and peak memory it took.
pub fn ratios(results: &[CaseResult]) -> Vec<serde_json::Value> {
    let mut out = Vec::new();
    let mut seen = Vec::new();
    for r in results.iter().filter(|r| r.case.label == "main") {
        let w = r.case.workload;
        if seen.contains(&w) {
            continue;
        }
        seen.push(w);
        let Some(base) = main_case(results, w, Approach::Nlbatch) else {
            continue;
        };
        for approach in &Approach::ALL[1..] {
            let Some(other) = main_case(results, w, *approach) else {
                continue;
            };
            let peak = |s: &Sample| s.peak_rss_bytes.map(|b| b as f64);
            out.push(serde_json::json!({
                "workload": w.kind(),
                "n": w.n(),
                "versus": approach.name(),
                "total_ratio": other.error.is_none().then(|| ratio(other.total_ms, base.total_ms)),
                "kernel_ratio": ratio(other.kernel_ms, base.kernel_ms),
                "peak_rss_ratio": ratio(peak(other), peak(base)),
                "error": other.error,
            }));
        }
    }
    out
}

/// One target of the benchmark, checked against the measurements.
#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    /// What the target asks.
    pub name: String,
    /// The measured value, in words and numbers.
    pub measured: String,
    /// `Some(true)` met, `Some(false)` missed, `None` not measured in this run.
    pub met: Option<bool>,
}

/// Checks the targets: end to end within 1.05× the kernel time and at least 2× faster than
/// `nft -f` for 1M elements, peak memory within 1.2× the bytes plus 8 MiB, and a transaction
/// of 10M elements committing.
pub fn targets(results: &[CaseResult]) -> Vec<Target> {
    let w = Workload::Elements(1_000_000);
    let nl = main_case(results, w, Approach::Nlbatch).filter(|s| s.error.is_none());
    let nft = main_case(results, w, Approach::NftFile).filter(|s| s.error.is_none());
    let mut out = Vec::new();
    let unmeasured = match nl {
        // The case ran but sent nothing: `--encode-only`.
        Some(_) => "not measured (the 1M-element case was only encoded: run without \
                    --encode-only)"
            .to_string(),
        None => "not measured (run with --elements 1000000)".to_string(),
    };
    out.push(match nl.and_then(|s| Some((s.total_ms?, s.kernel_ms?))) {
        Some((total, kernel)) => Target {
            name: "1M elements: total time <= 1.05 x kernel time".into(),
            measured: format!(
                "total {total:.1} ms, kernel {kernel:.1} ms: {:.3} x",
                total / kernel
            ),
            met: Some(total <= 1.05 * kernel),
        },
        None => Target {
            name: "1M elements: total time <= 1.05 x kernel time".into(),
            measured: unmeasured.clone(),
            met: None,
        },
    });
    let speedup = nl
        .zip(nft)
        .and_then(|(a, b)| Some((a.total_ms?, b.total_ms?)));
    out.push(Target {
        name: "1M elements: at least 2 x faster than nft -f".into(),
        measured: speedup.map_or(unmeasured.clone(), |(a, b)| {
            format!("nlbatch {a:.1} ms, nft -f {b:.1} ms: {:.2} x", b / a)
        }),
        met: speedup.map(|(a, b)| b >= 2.0 * a),
    });
    let memory = nl.and_then(|s| Some((s.peak_rss_bytes?, s.bytes?)));
    out.push(Target {
        name: "1M elements: peak memory <= 1.2 x bytes + 8 MiB".into(),
        measured: memory.map_or(unmeasured, |(peak, bytes)| {
            let limit = 1.2 * bytes as f64 + 8.0 * 1048576.0;
            format!(
                "peak {:.1} MiB, bytes {:.1} MiB, limit {:.1} MiB",
                peak as f64 / 1048576.0,
                bytes as f64 / 1048576.0,
                limit / 1048576.0
            )
        }),
        met: memory.map(|(peak, bytes)| peak as f64 <= 1.2 * bytes as f64 + 8.0 * 1048576.0),
    });
    let big: Vec<&CaseResult> = results
        .iter()
        .filter(|r| {
            r.case.approach == Approach::Nlbatch
                && matches!(r.case.workload, Workload::Elements(n) if n >= 10_000_000)
        })
        .collect();
    // Cases only encoded (`--encode-only`: no kernel time, no error) commit nothing.
    let ran = big.len();
    let big: Vec<&CaseResult> = big
        .into_iter()
        .filter(|r| r.median.kernel_ms.is_some() || r.median.error.is_some())
        .collect();
    let encoded_only = ran > 0 && big.is_empty();
    let run_10m = "--elements 10000000 --page-size 4096 --no-alternatives --no-sweep --repeat 1";
    out.push(Target {
        name: "10M elements commit in one transaction at any page size from 4 KiB".into(),
        measured: if encoded_only {
            format!("not measured (the 10M case was only encoded: run {run_10m})")
        } else if big.is_empty() {
            format!("not measured (run with {run_10m})")
        } else {
            big.iter()
                .map(|r| {
                    format!(
                        "{} at {} pages: {}",
                        r.case.workload.n(),
                        human_bytes(r.case.variant.page_size as u64),
                        r.median.error.clone().unwrap_or_else(|| format!(
                            "committed, kernel {:.0} ms",
                            r.median.kernel_ms.unwrap_or(0.0)
                        ))
                    )
                })
                .collect::<Vec<_>>()
                .join("; ")
        },
        met: (!big.is_empty()).then(|| big.iter().all(|r| r.median.committed)),
    });
    out
}

/// The whole run as one JSON object: `cases` (every case, with the median of its runs),
/// `ratios` and `targets`.
pub fn report_json(results: &[CaseResult]) -> serde_json::Value {
    serde_json::json!({
        "cases": results.iter().map(CaseResult::to_json).collect::<Vec<_>>(),
        "ratios": ratios(results),
        "targets": targets(results).iter().map(|t| serde_json::json!({
            "name": t.name,
            "measured": t.measured,
            "met": t.met,
        })).collect::<Vec<_>>(),
    })
}

fn cell(v: Option<f64>) -> String {
    match v {
        Some(v) if v >= 100.0 => format!("{v:.0}"),
        Some(v) => format!("{v:.1}"),
        None => "-".into(),
    }
}

fn mib(v: Option<u64>) -> String {
    v.map_or("-".into(), |b| format!("{:.1}", b as f64 / 1048576.0))
}

/// One table row of a result, with the columns of [`report_text`].
pub fn row(r: &CaseResult) -> String {
    let s = &r.median;
    let outcome = match &s.error {
        Some(e) => format!("failed: {}", e.chars().take(150).collect::<String>()),
        None if s.committed => "committed".into(),
        None if s.kernel_ms.is_none() => "encoded only".into(),
        None => "not confirmed".into(),
    };
    let label = if r.case.label == "main" {
        r.case.approach.name().to_string()
    } else {
        format!("{} ({})", r.case.label, r.case.approach.name())
    };
    format!(
        "| {} {} | {label} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
        r.case.workload.n(),
        r.case.workload.kind(),
        s.bytes.map_or("-".into(), |b| b.to_string()),
        s.messages.map_or("-".into(), |b| b.to_string()),
        s.pages.map_or("-".into(), |b| b.to_string()),
        cell(s.encode_ms),
        cell(
            s.kernel_ms
                .or(s.sys_ms.map(|_| f64::NAN))
                .filter(|v| !v.is_nan())
        ),
        cell(s.reply_ms),
        cell(s.total_ms),
        mib(s.peak_rss_bytes),
        s.allocations.map_or("-".into(), |a| a.to_string()),
        outcome
    )
}

/// The run as Markdown: a table of every case, the ratios and the targets.
pub fn report_text(results: &[CaseResult]) -> String {
    let mut out = String::new();
    out.push_str(
        "| workload | approach | bytes | messages | iovecs | encode ms | kernel ms | reply ms \
         | total ms | peak MiB | allocations | outcome |\n",
    );
    out.push_str("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
    for r in results {
        out.push_str(&row(r));
        out.push('\n');
    }
    let ratios = ratios(results);
    if ratios.is_empty() {
        out.push_str("\nNo alternative ran beside nlbatch, so there are no ratios.\n");
    } else {
        out.push_str("\n| workload | versus | total × | kernel × | peak memory × |\n");
        out.push_str("| --- | --- | --- | --- | --- |\n");
    }
    for r in ratios {
        let f = |k: &str| r.get(k).and_then(serde_json::Value::as_f64);
        let total = match r.get("error").and_then(|e| e.as_str()) {
            Some(e) => format!("fails: {}", e.chars().take(60).collect::<String>()),
            None => cell(f("total_ratio")),
        };
        out.push_str(&format!(
            "| {} {} | {} | {total} | {} | {} |\n",
            r["n"],
            r["workload"].as_str().unwrap_or(""),
            r["versus"].as_str().unwrap_or(""),
            cell(f("kernel_ratio")),
            cell(f("peak_rss_ratio")),
        ));
    }
    out.push_str("\n| target | measured | met |\n| --- | --- | --- |\n");
    for t in targets(results) {
        let met = match t.met {
            Some(true) => "yes",
            Some(false) => "no",
            None => "-",
        };
        out.push_str(&format!("| {} | {} | {met} |\n", t.name, t.measured));
    }
    out
}

/// One line of the plot: name, colour, dashed, points.
type Series = (String, &'static str, bool, Vec<(f64, f64)>);

/// An SVG plot of total time against N (both axes logarithmic) for each approach on the set
/// workload, with nlbatch's kernel time as a dashed line; `None` without two sizes measured.
pub fn svg(results: &[CaseResult]) -> Option<String> {
    let mut sizes: Vec<u64> = results
        .iter()
        .filter(|r| r.case.label == "main" && r.case.workload.kind() == "elements")
        .map(|r| r.case.workload.n())
        .collect();
    sizes.sort_unstable();
    sizes.dedup();
    if sizes.len() < 2 {
        return None;
    }
    let point = |n: u64, a: Approach, kernel: bool| {
        let s = main_case(results, Workload::Elements(n), a)?;
        if s.error.is_some() {
            return None;
        }
        let v = if kernel { s.kernel_ms } else { s.total_ms }?;
        (v > 0.0).then_some((n as f64, v))
    };
    let mut series: Vec<Series> = Vec::new();
    let colours = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728"];
    for (a, colour) in Approach::ALL.iter().zip(colours) {
        let pts: Vec<_> = sizes.iter().filter_map(|&n| point(n, *a, false)).collect();
        series.push((format!("{} total", a.name()), colour, false, pts));
    }
    let kernel: Vec<_> = sizes
        .iter()
        .filter_map(|&n| point(n, Approach::Nlbatch, true))
        .collect();
    series.push(("nlbatch kernel (sendmsg)".into(), "#444444", true, kernel));
    let all: Vec<(f64, f64)> = series.iter().flat_map(|s| s.3.iter().copied()).collect();
    let (w, h, left, right, top, bottom) = (760.0, 480.0, 70.0, 230.0, 30.0, 50.0);
    let x0 = (sizes[0] as f64).log10().floor();
    let x1 = (sizes[sizes.len() - 1] as f64).log10().ceil();
    let y0 = all
        .iter()
        .map(|p| p.1.log10())
        .fold(f64::MAX, f64::min)
        .floor();
    let y1 = all
        .iter()
        .map(|p| p.1.log10())
        .fold(f64::MIN, f64::max)
        .ceil();
    let (y1, x1) = (y1.max(y0 + 1.0), x1.max(x0 + 1.0));
    let px = |x: f64| left + (x.log10() - x0) / (x1 - x0) * (w - left - right);
    let py = |y: f64| h - bottom - (y.log10() - y0) / (y1 - y0) * (h - top - bottom);
    let mut s = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" \
         font-family=\"sans-serif\" font-size=\"12\">\n<rect width=\"100%\" height=\"100%\" \
         fill=\"white\"/>\n"
    );
    for e in x0 as i32..=x1 as i32 {
        let x = px(10f64.powi(e));
        s.push_str(&format!(
            "<line x1=\"{x:.1}\" y1=\"{top}\" x2=\"{x:.1}\" y2=\"{}\" stroke=\"#ddd\"/>\n\
             <text x=\"{x:.1}\" y=\"{}\" text-anchor=\"middle\">1e{e}</text>\n",
            h - bottom,
            h - bottom + 16.0
        ));
    }
    for e in y0 as i32..=y1 as i32 {
        let y = py(10f64.powi(e));
        let label = if e >= 3 {
            format!("{} s", 10f64.powi(e - 3))
        } else {
            format!("{} ms", 10f64.powi(e))
        };
        s.push_str(&format!(
            "<line x1=\"{left}\" y1=\"{y:.1}\" x2=\"{}\" y2=\"{y:.1}\" stroke=\"#ddd\"/>\n\
             <text x=\"{}\" y=\"{:.1}\" text-anchor=\"end\">{label}</text>\n",
            w - right,
            left - 6.0,
            y + 4.0
        ));
    }
    s.push_str(&format!(
        "<text x=\"{:.1}\" y=\"{}\" text-anchor=\"middle\">N (set elements)</text>\n\
         <text x=\"16\" y=\"{:.1}\" text-anchor=\"middle\" transform=\"rotate(-90 16 {:.1})\">\
         time (log scale)</text>\n<text x=\"{left}\" y=\"18\">nlbatch bench: time to load N \
         IPv4 elements into one set</text>\n",
        (left + w - right) / 2.0,
        h - 12.0,
        h / 2.0,
        h / 2.0
    ));
    for (i, (name, colour, dashed, pts)) in series.iter().enumerate() {
        let dash = if *dashed {
            " stroke-dasharray=\"6 4\""
        } else {
            ""
        };
        if pts.len() > 1 {
            let path: Vec<String> = pts
                .iter()
                .map(|&(x, y)| format!("{:.1},{:.1}", px(x), py(y)))
                .collect();
            s.push_str(&format!(
                "<polyline points=\"{}\" fill=\"none\" stroke=\"{colour}\" \
                 stroke-width=\"2\"{dash}/>\n",
                path.join(" ")
            ));
        }
        for &(x, y) in pts {
            s.push_str(&format!(
                "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"3\" fill=\"{colour}\"/>\n",
                px(x),
                py(y)
            ));
        }
        let ly = top + 20.0 + 20.0 * i as f64;
        let lx = w - right + 15.0;
        s.push_str(&format!(
            "<line x1=\"{lx}\" y1=\"{ly}\" x2=\"{}\" y2=\"{ly}\" stroke=\"{colour}\" \
             stroke-width=\"2\"{dash}/>\n<text x=\"{}\" y=\"{}\">{name}</text>\n",
            lx + 25.0,
            lx + 32.0,
            ly + 4.0
        ));
    }
    s.push_str("</svg>\n");
    Some(s)
}

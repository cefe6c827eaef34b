//! The `nlbatch` command-line tool: loads blocklists into nftables as one atomic transaction.
//!
//! Exit codes: 0 success, 2 bad input or usage, 3 rejected by the kernel, 4 no privileges or no
//! such namespace, 1 anything else.

use std::io::{BufReader, Write};
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, Subcommand};
use nlbatch::blocklist::{self, Entries, ReadOptions};
use nlbatch::load::{sample_list, LoadError, LoadOptions, Loader, Summary};
use nlbatch::netns::{self, Target};
use nlbatch::nft::{Family, Hook};

/// Very large atomic nftables loads over netlink.
#[derive(Parser, Debug)]
#[command(version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Load address lists (addresses, prefixes, ranges; IPv4 and IPv6) into nftables sets as
    /// one atomic transaction that replaces their contents.
    ///
    /// By default the target is a fresh private network namespace, so trying it changes
    /// nothing on the machine; use --netns or --host for a real one.
    Load(LoadArgs),
    /// Measure whole transactions in a private network namespace: nlbatch against one
    /// contiguous buffer, one buffer per message and `nft -f`, then the kernel's cost of each
    /// choice (set size and policy, elements per message, ACKs, page size).
    Bench(BenchArgs),
}

#[derive(clap::Args, Debug)]
struct BenchArgs {
    /// Set elements, one or more counts separated by commas (default 10000,100000,1000000).
    /// Given without --rules, only the set workload runs.
    #[arg(long, value_delimiter = ',')]
    elements: Vec<u64>,
    /// Rules, one or more counts separated by commas (default 10000,100000). Given without
    /// --elements, only the rule workload runs.
    #[arg(long, value_delimiter = ',')]
    rules: Vec<u64>,
    /// Encoder page size, in bytes, of the comparison (the sweep varies it).
    #[arg(long, default_value_t = nlbatch::arena::DEFAULT_PAGE_SIZE)]
    page_size: usize,
    /// Runs of every case (at least 1); the median is reported.
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u64).range(1..))]
    repeat: u64,
    /// Only encode (nothing is sent, no namespace or privilege needed).
    #[arg(long)]
    encode_only: bool,
    /// Print one JSON object (cases, ratios, targets) instead of Markdown tables.
    #[arg(long)]
    json: bool,
    /// Write an SVG plot of time against N to this file.
    #[arg(long)]
    svg: Option<std::path::PathBuf>,
    /// Leave out `nft -f`.
    #[arg(long)]
    no_nft: bool,
    /// Leave out the contiguous, per-message and `nft -f` alternatives.
    #[arg(long)]
    no_alternatives: bool,
    /// Leave out the sweeps of the kernel's cost per choice.
    #[arg(long)]
    no_sweep: bool,
    /// Run every case in this process instead of a process of its own (peak memory and
    /// allocations then include earlier cases).
    #[arg(long)]
    in_process: bool,
    /// Internal: run one case (as a worker process) and print one JSON object per run.
    #[arg(long, hide = true)]
    case: Option<String>,
}

/// Counts heap allocations for `nlbatch bench`: the system allocator plus one relaxed atomic
/// add per allocation (and per reallocation), a cost of a few nanoseconds each.
struct CountingAllocator;

static ALLOCATIONS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

// SAFETY: every call is forwarded unchanged to `System`, which upholds the `GlobalAlloc`
// contract; the counter has no effect on the memory handed out.
unsafe impl std::alloc::GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: std::alloc::Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        // SAFETY: the caller's guarantees for `layout` are passed on unchanged.
        unsafe { std::alloc::System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: std::alloc::Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        // SAFETY: as for `alloc`.
        unsafe { std::alloc::System.alloc_zeroed(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: std::alloc::Layout) {
        // SAFETY: `ptr` was allocated by `System` with `layout` (every allocation goes there).
        unsafe { std::alloc::System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: std::alloc::Layout, size: usize) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        // SAFETY: `ptr` came from `System` with `layout`; the caller's guarantees for `size`
        // are passed on unchanged.
        unsafe { std::alloc::System.realloc(ptr, layout, size) }
    }
}

#[global_allocator]
static GLOBAL: CountingAllocator = CountingAllocator;

fn allocations() -> u64 {
    ALLOCATIONS.load(std::sync::atomic::Ordering::Relaxed)
}

fn run_bench(args: &BenchArgs) -> Result<(), String> {
    if let Some(spec) = &args.case {
        let case = nlbatch::bench::Case::parse(spec).map_err(|e| e.to_string())?;
        let result = nlbatch::bench::run_case(
            &case,
            args.repeat as usize,
            args.encode_only,
            Some(allocations),
        );
        let mut out = std::io::stdout().lock();
        for run in &result.runs {
            writeln!(out, "{}", run.to_json()).map_err(|e| e.to_string())?;
        }
        return Ok(());
    }
    let (elements, rules) = match (args.elements.is_empty(), args.rules.is_empty()) {
        (true, true) => (
            nlbatch::bench::DEFAULT_ELEMENTS.to_vec(),
            nlbatch::bench::DEFAULT_RULES.to_vec(),
        ),
        _ => (args.elements.clone(), args.rules.clone()),
    };
    let worker = if args.in_process {
        None
    } else {
        Some(std::env::current_exe().map_err(|e| format!("cannot find this program: {e}"))?)
    };
    let opts = nlbatch::bench::BenchOptions {
        elements,
        rules,
        page_size: args.page_size,
        repeat: args.repeat as usize,
        encode_only: args.encode_only,
        alternatives: !args.no_alternatives,
        nft: !args.no_nft,
        sweeps: !args.no_sweep,
        worker,
        allocations: Some(allocations),
    };
    let results = nlbatch::bench::run(&opts, |r| eprintln!("{}", nlbatch::bench::row(r)))
        .map_err(|e| e.to_string())?;
    if let Some(path) = &args.svg {
        let svg = nlbatch::bench::svg(&results)
            .ok_or("the plot needs the set workload at two sizes or more")?;
        std::fs::write(path, svg).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    let text = if args.json {
        format!("{}\n", nlbatch::bench::report_json(&results))
    } else {
        nlbatch::bench::report_text(&results)
    };
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .map_err(|e| format!("cannot write the report: {e}"))?;
    // The alternatives may fail by design (one iovec per message beyond 1,024 messages), and
    // a sweep may find a choice the kernel refuses; nlbatch's own main cases may not fail.
    let failed: Vec<String> = results
        .iter()
        .filter(|r| r.case.label == "main" && r.case.approach == nlbatch::bench::Approach::Nlbatch)
        .filter_map(|r| Some(format!("{}: {}", r.case.spec(), r.median.error.as_ref()?)))
        .collect();
    match failed.is_empty() {
        true => Ok(()),
        false => Err(format!(
            "{} nlbatch case(s) failed: {}",
            failed.len(),
            failed.join("; ")
        )),
    }
}

#[derive(clap::Args, Debug)]
struct LoadArgs {
    /// Files to read, `-` for standard input. Without any, a built-in sample list of
    /// --sample addresses is loaded.
    files: Vec<String>,
    /// Size of the built-in sample list when no file is given.
    #[arg(long, default_value_t = 100_000)]
    sample: usize,
    /// Network namespace to load into: a name under /run/netns or a path.
    #[arg(long, conflicts_with = "host")]
    netns: Option<String>,
    /// Load into the host's own network namespace (its real firewall).
    #[arg(long)]
    host: bool,
    /// Table family: inet (IPv4 and IPv6), ip or ip6.
    #[arg(long, default_value = "inet", value_parser = parse_load_family)]
    family: Family,
    /// Table name.
    #[arg(long, default_value = "nlbatch")]
    table: String,
    /// Base name of the sets: NAME_v4 and NAME_v6.
    #[arg(long, default_value = "blocklist")]
    set: String,
    /// Base chain for the drop rules.
    #[arg(long, default_value = "input")]
    chain: String,
    /// Hook of the base chain.
    #[arg(long, default_value = "input")]
    hook: Hook,
    /// Priority of the base chain.
    #[arg(long, default_value_t = -10, allow_hyphen_values = true)]
    priority: i32,
    /// Make no chain and no rule, only the table and the sets.
    #[arg(long)]
    no_rule: bool,
    /// Element timeout, in seconds (elements expire unless reloaded).
    #[arg(long)]
    timeout: Option<u64>,
    /// Declared size of each set: a hard limit on its elements.
    #[arg(long)]
    size: Option<u32>,
    /// Page size of the encoder, in bytes.
    #[arg(long, default_value_t = nlbatch::arena::DEFAULT_PAGE_SIZE)]
    page_size: usize,
    /// Validate in the kernel without committing.
    #[arg(long)]
    dry_run: bool,
    /// Skip invalid lines (counted and shown) instead of failing the load.
    #[arg(long)]
    skip_invalid: bool,
    /// Do not merge overlapping or adjacent entries: overlapping input is then refused by the
    /// kernel, naming the element and both input lines, and nothing is committed.
    #[arg(long)]
    no_merge: bool,
    /// Load an input that holds no address at all, emptying the sets. Without it such an
    /// input (an empty file, a truncated download, every line invalid) is refused, so that a
    /// broken list never silently clears a blocklist.
    #[arg(long)]
    allow_empty: bool,
    /// Print the summary as one JSON object (and a failure as one JSON object with `error`
    /// and `exit_code`).
    #[arg(long)]
    json: bool,
}

/// The families a load can use: those whose tables hold IP addresses.
fn parse_load_family(text: &str) -> Result<Family, String> {
    match text.parse::<Family>() {
        Ok(f @ (Family::Inet | Family::Ip | Family::Ip6)) => Ok(f),
        _ => Err(format!("{text:?}: a load uses an inet, ip or ip6 table")),
    }
}

/// A failure as one JSON object on standard output, for `--json`.
fn print_json_error(error: &str, exit_code: i32) {
    let json = serde_json::json!({ "error": error, "exit_code": exit_code });
    // The error is on standard error already; a closed stdout changes nothing.
    let _ = writeln!(std::io::stdout(), "{json}");
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // A script that asked for JSON gets the usage error as JSON too, also when the
            // error is the flag's own (`--json=true`: the flag takes no value). Arguments after
            // `--` are file names, not flags.
            let json = std::env::args()
                .take_while(|a| a != "--")
                .any(|a| a == "--json" || a.starts_with("--json="));
            if json && e.use_stderr() {
                // The error itself, without clap's prefix and the usage lines after it.
                let text = e.to_string();
                let first = text.lines().next().unwrap_or_default();
                print_json_error(first.strip_prefix("error: ").unwrap_or(first), 2);
            }
            e.exit()
        }
    };
    match cli.command {
        Command::Load(args) => match run_load(&args) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("nlbatch: {e}");
                if args.json {
                    print_json_error(&e.to_string(), e.exit_code());
                }
                ExitCode::from(e.exit_code() as u8)
            }
        },
        Command::Bench(args) => match run_bench(&args) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("nlbatch bench: {e}");
                ExitCode::FAILURE
            }
        },
    }
}

fn run_load(args: &LoadArgs) -> Result<(), LoadError> {
    let start = Instant::now();
    let read = ReadOptions {
        skip_invalid: args.skip_invalid,
        ..ReadOptions::default()
    };
    let entries = if args.files.is_empty() {
        let mut entries = Entries::default();
        let text = sample_list(args.sample);
        blocklist::read_list(
            "<built-in sample>",
            BufReader::new(text.as_bytes()),
            &read,
            &mut entries,
        )
        .map_err(|e| LoadError::Input(e.to_string()))?;
        entries
    } else {
        blocklist::read_files(&args.files, &read).map_err(|e| LoadError::Input(e.to_string()))?
    };
    if entries.v4.is_empty() && entries.v6.is_empty() && !args.allow_empty {
        return Err(LoadError::Input(format!(
            "the input holds no address ({} lines read, {} invalid): refusing to empty the \
             sets; pass --allow-empty to load an empty list",
            entries.lines, entries.invalid_count
        )));
    }

    let target = match (&args.netns, args.host) {
        (Some(name), _) => Target::from_arg(name),
        (None, true) => Target::Current,
        (None, false) => Target::Private,
    };
    // The host's firewall is changed only with --host.
    if let Target::Existing(path) = &target {
        if netns::same_namespace(path, std::path::Path::new(netns::HOST_NAMESPACE)) {
            return Err(LoadError::Input(format!(
                "{} is the host's own network namespace (that of process 1): use --host to \
                 load into the host's firewall",
                path.display()
            )));
        }
    }
    netns::enter(&target)?;

    let opts = LoadOptions {
        family: args.family,
        table: args.table.clone(),
        set: args.set.clone(),
        chain: args.chain.clone(),
        hook: args.hook,
        priority: args.priority,
        no_rule: args.no_rule,
        timeout_ms: args.timeout.map(|s| s.saturating_mul(1000)),
        size: args.size,
        dry_run: args.dry_run,
        merge: !args.no_merge,
        ..LoadOptions::default()
    };
    let mut loader = Loader::new(args.page_size)?;
    let summary = loader.load(&entries, &opts)?;
    print_summary(args, &target, &entries, &summary, start.elapsed()).map_err(LoadError::Output)
}

fn ms(d: std::time::Duration) -> f64 {
    (d.as_secs_f64() * 1e6).round() / 1e3
}

fn print_summary(
    args: &LoadArgs,
    target: &Target,
    entries: &Entries,
    s: &Summary,
    total: std::time::Duration,
) -> std::io::Result<()> {
    if args.json {
        let json = serde_json::json!({
            "lines": s.lines,
            "invalid": s.invalid,
            "entries": s.entries,
            "ranges": s.ranges,
            "elements": s.elements,
            "messages": s.messages,
            "pages": s.pages,
            "bytes": s.bytes,
            "encode_ms": ms(s.encode),
            "kernel_ms": ms(s.kernel),
            "reply_ms": ms(s.reply),
            "total_ms": ms(total),
            "committed": s.committed,
            "dry_run": args.dry_run,
        });
        writeln!(std::io::stdout(), "{json}")?;
        return std::io::stdout().flush();
    }
    let place = match target {
        Target::Private => "a fresh private network namespace (gone when nlbatch exits)".into(),
        Target::Existing(p) => format!("network namespace {}", p.display()),
        Target::Current => "the host's network namespace".into(),
    };
    let mut out = std::io::stdout().lock();
    let outcome = if args.dry_run {
        "validated by the kernel, not committed (dry run)"
    } else if s.committed {
        "committed, confirmed by the kernel"
    } else {
        "committed (no error reported; this kernel does not confirm commits)"
    };
    writeln!(out, "nlbatch load: {outcome}")?;
    writeln!(
        out,
        "  target          {place}, table {} {}",
        args.family.name(),
        args.table
    )?;
    writeln!(out, "  lines read      {}", s.lines)?;
    writeln!(out, "  invalid lines   {}", s.invalid)?;
    for bad in entries.invalid.iter().take(5) {
        writeln!(out, "    {}: {}", bad.origin, bad.reason)?;
    }
    writeln!(out, "  entries         {}", s.entries)?;
    writeln!(out, "  merged ranges   {}", s.ranges)?;
    writeln!(out, "  elements        {}", s.elements)?;
    writeln!(out, "  messages        {}", s.messages)?;
    writeln!(out, "  pages           {}", s.pages)?;
    writeln!(out, "  bytes           {}", s.bytes)?;
    writeln!(out, "  encode time     {:.3} ms", ms(s.encode))?;
    writeln!(out, "  kernel time     {:.3} ms", ms(s.kernel))?;
    writeln!(out, "  reply time      {:.3} ms", ms(s.reply))?;
    writeln!(out, "  total time      {:.3} ms", ms(total))?;
    drop(out);
    std::io::stdout().flush()
}

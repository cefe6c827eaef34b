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
    #[arg(long, default_value = "inet")]
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
    /// Print the summary as one JSON object.
    #[arg(long)]
    json: bool,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Load(args) => match run_load(&args) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("nlbatch: {e}");
                ExitCode::from(e.exit_code() as u8)
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

    let target = match (&args.netns, args.host) {
        (Some(name), _) => Target::from_arg(name),
        (None, true) => Target::Current,
        (None, false) => Target::Private,
    };
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

//! A long-running loader, the way a firewall daemon embeds nlbatch: it re-reads a list every
//! few seconds and reloads it atomically, reusing one socket and one arena for every batch, so
//! once warm it allocates nothing for encoding.
//!
//! Runs in a fresh private network namespace (root needed) unless `--netns NAME` is given, and
//! until it is stopped unless `--rounds N` is given. A list that cannot be read or that the
//! kernel refuses leaves the last good one loaded. Exits 1 when no round loaded anything.
//!
//! ```sh
//! cargo run --release --example reload_daemon -- LIST [--interval SECS] [--rounds N] \
//!     [--netns NAME]
//! ```

use std::process::ExitCode;
use std::time::Duration;

use nlbatch::blocklist::{read_files, ReadOptions};
use nlbatch::load::{LoadOptions, Loader};
use nlbatch::netns::{self, Target};

const USAGE: &str = "usage: reload_daemon LIST [--interval SECS] [--rounds N] [--netns NAME]";

/// What the command line asks for.
struct Args {
    list: String,
    interval: u64,
    /// `None`: until stopped.
    rounds: Option<u64>,
    target: Target,
}

fn parse_args() -> Result<Args, String> {
    let mut args = std::env::args().skip(1);
    let (mut list, mut interval, mut rounds, mut target) = (None, 5, None, Target::Private);
    let number = |v: Option<String>, what: &str| -> Result<u64, String> {
        let v = v.ok_or(format!("{what} needs a number"))?;
        v.parse()
            .map_err(|_| format!("{what}: {v:?} is not a number"))
    };
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--interval" => interval = number(args.next(), "--interval")?,
            "--rounds" => rounds = Some(number(args.next(), "--rounds")?),
            "--netns" => target = Target::from_arg(&args.next().ok_or("--netns needs a name")?),
            "-h" | "--help" => {
                println!("{USAGE}");
                std::process::exit(0);
            }
            a if a.starts_with("--") => return Err(format!("unknown option {a}\n{USAGE}")),
            _ if list.is_some() => return Err(format!("one LIST only\n{USAGE}")),
            _ => list = Some(arg),
        }
    }
    Ok(Args {
        list: list.ok_or(USAGE)?,
        interval,
        rounds,
        target,
    })
}

fn run(args: &Args) -> Result<u64, String> {
    netns::enter(&args.target).map_err(|e| e.to_string())?;
    let mut loader = Loader::new(nlbatch::arena::DEFAULT_PAGE_SIZE).map_err(|e| e.to_string())?;
    let opts = LoadOptions::default();
    let mut loaded = 0u64;
    let mut round = 0u64;
    while args.rounds.map_or(true, |n| round < n) {
        round += 1;
        let kept = if loaded > 0 {
            "keeping the last good list"
        } else {
            "nothing loaded yet"
        };
        match read_files(&[&args.list], &ReadOptions::default()) {
            Err(e) => eprintln!("round {round}: {kept}: {e}"),
            Ok(entries) => match loader.load(&entries, &opts) {
                Ok(s) => {
                    loaded += 1;
                    println!(
                        "round {round}: {} entries, {} ranges, {} bytes, kernel {:?}",
                        s.entries, s.ranges, s.bytes, s.kernel
                    );
                }
                Err(e) => eprintln!("round {round}: refused, nothing changed ({kept}): {e}"),
            },
        }
        if args.rounds.map_or(true, |n| round < n) {
            std::thread::sleep(Duration::from_secs(args.interval));
        }
    }
    Ok(loaded)
}

fn main() -> ExitCode {
    let result = parse_args().and_then(|args| run(&args));
    match result {
        Ok(0) => {
            eprintln!("reload_daemon: no round loaded the list");
            ExitCode::FAILURE
        }
        Ok(_) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("reload_daemon: {e}");
            ExitCode::from(2)
        }
    }
}

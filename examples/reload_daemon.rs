//! A long-running loader, the way a firewall daemon embeds nlbatch: it re-reads a list every
//! few seconds and reloads it atomically, reusing one socket and one arena for every batch, so
//! once warm it allocates nothing for encoding.
//!
//! Runs in a fresh private network namespace (root needed) unless `--netns NAME` is given.
//!
//! ```sh
//! cargo run --release --example reload_daemon -- LIST [--interval SECS] [--rounds N]
//! ```

use std::time::Duration;

use nlbatch::blocklist::{read_files, ReadOptions};
use nlbatch::load::{LoadOptions, Loader};
use nlbatch::netns::{self, Target};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let (mut list, mut interval, mut rounds, mut target) = (None, 5u64, 3u64, Target::Private);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--interval" => interval = args.next().ok_or("--interval SECS")?.parse()?,
            "--rounds" => rounds = args.next().ok_or("--rounds N")?.parse()?,
            "--netns" => target = Target::from_arg(&args.next().ok_or("--netns NAME")?),
            _ => list = Some(arg),
        }
    }
    let list = list.ok_or("usage: reload_daemon LIST [--interval SECS] [--rounds N]")?;
    netns::enter(&target)?;

    let mut loader = Loader::new(nlbatch::arena::DEFAULT_PAGE_SIZE)?;
    let opts = LoadOptions::default();
    for round in 1..=rounds {
        // A list that cannot be read or parsed is reported and the last good one stays loaded.
        match read_files(&[&list], &ReadOptions::default()) {
            Err(e) => eprintln!("round {round}: keeping the loaded list: {e}"),
            Ok(entries) => match loader.load(&entries, &opts) {
                Ok(s) => println!(
                    "round {round}: {} entries, {} ranges, {} bytes, kernel {:?}",
                    s.entries, s.ranges, s.bytes, s.kernel
                ),
                Err(e) => eprintln!("round {round}: load rejected, nothing changed: {e}"),
            },
        }
        if round < rounds {
            std::thread::sleep(Duration::from_secs(interval));
        }
    }
    Ok(())
}

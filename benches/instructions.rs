//! Instructions per item of the encoders, counted with `valgrind --tool=callgrind`.
//!
//! Callgrind counts executed instructions, not seconds, so the figure is the same on a busy
//! machine. Each shape is run twice under callgrind, once with one batch and once with three
//! batches of the same content into the same reused `Batch` (or `Transaction`); the difference
//! divided by two batches and by the items per batch is the cost of one item in a warm batch,
//! with start-up, first-batch allocation and clean-up cancelled out.
//!
//! Shapes:
//!
//! - `elements`, `elements_vec`: 1,000,000 IPv4 set elements, raw [`Message`] calls
//!   (`put_nested`) and the plain `Vec` encoder of `benches/shapes.rs`;
//! - `rules`, `rules_vec`: 100,000 rules `ip saddr ADDR counter drop`, likewise;
//! - `add_keys`: the same elements through [`Transaction::add_keys`];
//! - `add_rule`: the same rules as typed [`Rule`] values through [`Transaction::add_rule`]
//!   (validation included; the rules are built before the first batch);
//! - `intervals`: 500,000 disjoint IPv4 ranges through [`Transaction::add_v4_intervals`], the
//!   encoder of `nlbatch load`: two elements (start and end) per range, counted per element.
//!
//! Run all with `cargo bench --bench instructions` (needs `valgrind`); at another page size,
//! `NLBATCH_PAGE_SIZE=4096 cargo bench --bench instructions`; one shape alone, not counted:
//! `target/release/deps/instructions-HASH SHAPE BATCHES`.
//!
//! [`Message`]: nlbatch::message::Message

#[path = "shapes.rs"]
mod shapes;

use std::hint::black_box;
use std::net::{IpAddr, Ipv4Addr};
use std::process::Command;

use nlbatch::addr::V4Range;
use nlbatch::arena::ArenaConfig;
use nlbatch::message::{Batch, BatchConfig};
use nlbatch::nft::{Family, KeyType, Rule, Set, SetTarget, Transaction, Verdict};

/// Set elements per batch.
const ELEMENTS: u32 = 1_000_000;
/// Rules per batch.
const RULES: u32 = 100_000;
/// Ranges per batch of the `intervals` shape.
const RANGES: u32 = 500_000;
/// Every shape: name, items per batch.
const SHAPES: [(&str, u32); 7] = [
    ("elements", ELEMENTS),
    ("elements_vec", ELEMENTS),
    ("add_keys", ELEMENTS),
    ("rules", RULES),
    ("rules_vec", RULES),
    ("add_rule", RULES),
    ("intervals", 2 * RANGES),
];

/// Encodes `batches` batches of `shape` at `page_size` (the default when `None`); returns a
/// checksum so nothing is optimised away.
fn run(shape: &str, batches: u32, page_size: Option<usize>) -> usize {
    let config = BatchConfig {
        arena: page_size.map_or_else(ArenaConfig::default, ArenaConfig::with_page_size),
        ..BatchConfig::default()
    };
    let mut batch = Batch::new(config).expect("a valid page size");
    let mut tx = Transaction::new(config).expect("a valid page size");
    let keys: Vec<[u8; 4]> = (0..ELEMENTS)
        .map(|i| (shapes::FIRST_ADDR + i).to_be_bytes())
        .collect();
    let rules: Vec<Rule> = if shape == "add_rule" {
        (0..RULES)
            .map(|i| {
                let addr = Ipv4Addr::from(shapes::FIRST_ADDR + i);
                Rule::new(Family::Inet, "t", "c")
                    .saddr(IpAddr::V4(addr))
                    .counter()
                    .verdict(Verdict::Drop)
            })
            .collect()
    } else {
        Vec::new()
    };
    // Ranges of two addresses with a gap between them, so that none merge.
    let ranges: Vec<V4Range> = (0..RANGES)
        .map(|i| {
            let lo = shapes::FIRST_ADDR + 4 * i;
            V4Range { lo, hi: lo + 1 }
        })
        .collect();
    let set = Set::new(Family::Inet, "t", "s", KeyType::Ipv4Addr);
    let mut sum = 0;
    for _ in 0..batches {
        batch.reset_with_seq(0);
        tx.reset();
        match shape {
            "elements" => shapes::elements_batch(&mut batch, ELEMENTS).unwrap(),
            "rules" => shapes::rules_batch(&mut batch, RULES).unwrap(),
            "elements_vec" => sum += black_box(shapes::elements_vec(0, ELEMENTS)).len(),
            "rules_vec" => sum += black_box(shapes::rules_vec(0, RULES)).len(),
            "add_keys" => {
                tx.begin(None).unwrap();
                let target = SetTarget::of(&set, None);
                tx.add_keys(&target, keys.iter().map(|k| &k[..])).unwrap();
                tx.end().unwrap();
            }
            "add_rule" => {
                tx.begin(None).unwrap();
                for rule in &rules {
                    tx.add_rule(rule).unwrap();
                }
                tx.end().unwrap();
            }
            "intervals" => {
                tx.begin(None).unwrap();
                let target = SetTarget::of(&set, None);
                tx.add_v4_intervals(&target, &ranges).unwrap();
                tx.end().unwrap();
            }
            other => panic!("unknown shape {other:?}; one of {SHAPES:?}"),
        }
        sum += batch.len() + tx.batch().len();
    }
    sum
}

/// Instructions callgrind counts for `batches` batches of `shape` in a child process, at the
/// page size given in `NLBATCH_PAGE_SIZE` (the default when unset).
fn count(exe: &str, shape: &str, batches: u32) -> Result<u64, String> {
    let out = Command::new("valgrind")
        .args([
            "--tool=callgrind",
            "--callgrind-out-file=/dev/null",
            exe,
            shape,
        ])
        .arg(batches.to_string())
        .output()
        .map_err(|e| format!("cannot run valgrind (Debian package valgrind): {e}"))?;
    let stderr = String::from_utf8_lossy(&out.stderr);
    if !out.status.success() {
        return Err(format!("valgrind failed for {shape}: {stderr}"));
    }
    stderr
        .lines()
        .find_map(|l| l.split("Collected : ").nth(1))
        .and_then(|n| n.trim().parse().ok())
        .ok_or_else(|| format!("no instruction count in valgrind's output: {stderr}"))
}

fn report() -> Result<(), String> {
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let exe = exe.to_string_lossy();
    println!("| shape | items per batch | instructions per item (warm batch) |");
    println!("| --- | --- | --- |");
    for (shape, items) in SHAPES {
        let one = count(&exe, shape, 1)?;
        let three = count(&exe, shape, 3)?;
        let per_item = three.saturating_sub(one) as f64 / 2.0 / f64::from(items);
        println!("| {shape} | {items} | {per_item:.1} |");
    }
    Ok(())
}

fn main() {
    // `cargo bench` passes `--bench`; the child runs get a shape and a batch count, and the
    // page size, if not the default, in `NLBATCH_PAGE_SIZE` (inherited from the report's run).
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let page_size = std::env::var("NLBATCH_PAGE_SIZE")
        .ok()
        .map(|v| v.parse().expect("NLBATCH_PAGE_SIZE: a page size in bytes"));
    match args.as_slice() {
        [shape, batches] => {
            let batches = batches.parse().expect("a batch count");
            black_box(run(shape, batches, page_size));
        }
        [] => {
            if let Err(e) = report() {
                eprintln!("instructions: {e}");
                std::process::exit(1);
            }
        }
        _ => {
            eprintln!("usage: instructions [SHAPE BATCHES]");
            std::process::exit(2);
        }
    }
}

//! A long run: one [`Loader`] — one socket, one arena — for 10,000 loads, about a quarter of
//! them refused by the kernel (overlapping input with merging off, a full set). Memory stays
//! flat, no reply of one load is taken for another's, and no descriptor leaks.
//!
//! Memory is the process's resident set (`VmRSS` in /proc/self/status), read after a warm-up
//! of 1,000 loads and at the end; this file holds a single test, so the figure is this test's.
//! The figures are printed on standard error (`cargo test --release --test long_run --
//! --nocapture`).

mod common;

use std::net::{Ipv4Addr, Ipv6Addr};

use nlbatch::blocklist::{read_list, Entries, ReadOptions};
use nlbatch::load::{LoadError, LoadOptions, Loader};

const LOADS: u32 = 10_000;
const WARM_UP: u32 = 1_000;
/// Declared size of the sets: a normal load stays far below, a "big" one goes past it.
const SIZE: u32 = 1_000;

/// What load `i` sends and how it should end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// 50 to 99 addresses, sometimes an IPv6 one: commits.
    Good,
    /// Merging off and an address inside a prefix of the same list: `EEXIST`.
    Overlapping,
    /// 1,500 addresses into a set of size 1,000 (the kernel counts interval starts): `ENFILE`.
    Full,
}

fn kind(i: u32) -> Kind {
    if i % 7 == 3 {
        Kind::Overlapping
    } else if i % 13 == 5 {
        Kind::Full
    } else {
        Kind::Good
    }
}

/// The list of load `i`: distinct addresses, every third one, so none merge.
fn list(i: u32) -> (String, Vec<Ipv4Addr>, Option<Ipv6Addr>) {
    let n = match kind(i) {
        Kind::Full => 1_500,
        _ => 50 + i % 50,
    };
    let addrs: Vec<Ipv4Addr> = (0..n)
        .map(|k| Ipv4Addr::from(0x0b00_0000 + (i * 1000 + k) * 3))
        .collect();
    let mut text = String::from("# generated\n");
    for a in &addrs {
        text.push_str(&format!("{a}\n"));
    }
    if kind(i) == Kind::Overlapping {
        text.push_str(&format!("{}/30\n", addrs[0]));
    }
    let v6 = (i % 5 == 0).then(|| Ipv6Addr::from(0x2001_0db8_u128 << 96 | u128::from(i)));
    if let Some(a) = v6 {
        text.push_str(&format!("{a}\n"));
    }
    (text, addrs, v6)
}

fn status_kib(field: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let line = status
        .lines()
        .find(|l| l.starts_with(field))
        .unwrap_or_else(|| panic!("{field} in /proc/self/status"));
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

fn open_fds() -> usize {
    std::fs::read_dir("/proc/self/fd").unwrap().count()
}

/// The set's elements as `nft` prints them (plain addresses), in order.
fn elements(set: &str) -> Vec<String> {
    let out = std::process::Command::new("nft")
        .args(["-j", "list", "set", "inet", "nlbatch", set])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let set = json["nftables"]
        .as_array()
        .unwrap()
        .iter()
        .find_map(|o| o.get("set"))
        .unwrap();
    set["elem"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or(&[])
        .iter()
        .map(|e| e.as_str().expect("a plain address").to_string())
        .collect()
}

#[test]
fn ten_thousand_loads_on_one_socket_and_arena_keep_memory_and_descriptors_flat() {
    common::in_netns("long_run", || {
        let fds_before = open_fds();
        let mut loader = Loader::new(nlbatch::arena::DEFAULT_PAGE_SIZE).unwrap();
        let fds_open = open_fds();
        assert_eq!(fds_open, fds_before + 1, "one socket");

        let mut last_good = None;
        let (mut rss_warm, mut hwm_warm) = (0, 0);
        let mut refused = [0u32; 2];
        let mut entries = Entries::default();
        for i in 0..LOADS {
            let (text, addrs, v6) = list(i);
            entries.v4.clear();
            entries.v6.clear();
            entries.v4_lines.clear();
            entries.v6_lines.clear();
            entries.files.clear();
            entries.lines = 0;
            read_list(
                "list.txt",
                text.as_bytes(),
                &ReadOptions::default(),
                &mut entries,
            )
            .unwrap();
            let opts = LoadOptions {
                size: Some(SIZE),
                merge: kind(i) != Kind::Overlapping,
                ..LoadOptions::default()
            };
            match (kind(i), loader.load(&entries, &opts)) {
                (Kind::Good, Ok(s)) => {
                    assert!(s.committed, "load {i}");
                    assert_eq!(s.stale_replies, 0, "load {i} saw another load's reply");
                    assert_eq!(s.ranges as usize, addrs.len() + v6.iter().len(), "load {i}");
                    last_good = Some(i);
                }
                (Kind::Overlapping, Err(LoadError::Rejected(r))) => {
                    let text = r.join("\n");
                    assert!(text.contains("File exists"), "load {i}: {text}");
                    assert!(text.contains("(merging is off)"), "load {i}: {text}");
                    refused[0] += 1;
                }
                (Kind::Full, Err(LoadError::Rejected(r))) => {
                    let text = r.join("\n");
                    assert!(
                        text.contains(&format!("declared size is {SIZE}")),
                        "load {i}: {text}"
                    );
                    refused[1] += 1;
                }
                (k, other) => panic!("load {i} ({k:?}): {other:?}"),
            }
            if i == WARM_UP {
                rss_warm = status_kib("VmRSS:");
                hwm_warm = status_kib("VmHWM:");
            }
            if i % 2_500 == 2_499 || i == LOADS - 1 {
                // The kernel holds exactly the last successful load: no failed load left a
                // trace, no reply was misattributed.
                let good = last_good.unwrap();
                let (_, addrs, v6) = list(good);
                let want: Vec<String> = addrs.iter().map(ToString::to_string).collect();
                assert_eq!(elements("blocklist_v4"), want, "after load {i}");
                let want6: Vec<String> = v6.iter().map(ToString::to_string).collect();
                assert_eq!(elements("blocklist_v6"), want6, "after load {i}");
            }
        }
        let rss_end = status_kib("VmRSS:");
        let hwm_end = status_kib("VmHWM:");
        let fds_end = open_fds();
        drop(loader);
        let fds_after = open_fds();
        eprintln!(
            "long_run: {LOADS} loads, {} refused for overlap and {} for a full set; VmRSS \
             {rss_warm} KiB after {WARM_UP} loads, {rss_end} KiB after {LOADS}; VmHWM \
             {hwm_warm} -> {hwm_end} KiB; descriptors {fds_before} before, {fds_open} with the \
             socket, {fds_end} at the end, {fds_after} after dropping it",
            refused[0], refused[1]
        );
        assert_eq!(fds_end, fds_open, "no descriptor leaked during the run");
        assert_eq!(fds_after, fds_before, "the socket is closed on drop");
        assert!(refused[0] > 1000 && refused[1] > 500, "{refused:?}");
        // 9,000 loads after the warm-up: 2 MiB of growth would be about 230 bytes per load.
        assert!(
            rss_end <= rss_warm + 2048,
            "memory grew from {rss_warm} KiB to {rss_end} KiB"
        );
    });
}

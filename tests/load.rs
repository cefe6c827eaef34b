//! The main job against the real kernel: real blocklists load atomically, replace what was
//! there, and bad input changes nothing. `nft` is the oracle; the expected coverage is merged
//! here independently (with ipnet's aggregation), not with nlbatch's own merge.

mod common;

use std::net::IpAddr;
use std::process::Command;

use ipnet::{IpNet, Ipv4Net, Ipv6Net};
use nlbatch::blocklist::{read_files, ReadOptions};
use nlbatch::load::{LoadOptions, Loader};

fn all_blocklists() -> Vec<String> {
    let mut files: Vec<String> = std::fs::read_dir(common::blocklists_dir())
        .unwrap()
        .map(|e| e.unwrap().path().to_string_lossy().into_owned())
        .collect();
    files.sort();
    assert!(
        files.len() >= 10,
        "expected the real-world lists, found {files:?}"
    );
    files
}

/// Inclusive ranges as u128, sorted and merged: one representation for both families.
type Coverage = Vec<(u128, u128)>;

fn merge(mut ranges: Coverage) -> Coverage {
    ranges.sort_unstable();
    let mut out: Coverage = Vec::with_capacity(ranges.len());
    for (lo, hi) in ranges {
        match out.last_mut() {
            Some(last) if lo <= last.1.saturating_add(1) => last.1 = last.1.max(hi),
            _ => out.push((lo, hi)),
        }
    }
    out
}

/// The input's coverage per family, parsed with a minimal reader of its own and aggregated
/// with ipnet.
fn expected_coverage(files: &[String]) -> (Coverage, Coverage) {
    let (mut v4, mut v6) = (Vec::new(), Vec::new());
    for file in files {
        for line in std::fs::read_to_string(file).unwrap().lines() {
            let field = line
                .split(['#', ';'])
                .next()
                .unwrap()
                .split_whitespace()
                .next();
            let Some(field) = field else { continue };
            let net: IpNet = field
                .parse()
                .or_else(|_| field.parse::<IpAddr>().map(IpNet::from))
                .unwrap_or_else(|_| panic!("{file}: unexpected entry {field:?}"));
            match net {
                IpNet::V4(n) => v4.push(n.trunc()),
                IpNet::V6(n) => v6.push(n.trunc()),
            }
        }
    }
    let v4 = Ipv4Net::aggregate(&v4)
        .iter()
        .map(|n| {
            (
                u32::from(n.network()) as u128,
                u32::from(n.broadcast()) as u128,
            )
        })
        .collect();
    let v6 = Ipv6Net::aggregate(&v6)
        .iter()
        .map(|n| (u128::from(n.network()), u128::from(n.broadcast())))
        .collect();
    (merge(v4), merge(v6))
}

fn addr_value(text: &str) -> u128 {
    match text.parse::<IpAddr>().unwrap() {
        IpAddr::V4(a) => u32::from(a) as u128,
        IpAddr::V6(a) => u128::from(a),
    }
}

/// What the kernel holds in a set, as `nft -j list set` prints it.
fn kernel_coverage(set: &str) -> Coverage {
    let out = Command::new("nft")
        .args(["-j", "list", "set", "inet", "nlbatch", set])
        .output();
    let out = out.expect("run nft");
    if !out.status.success() {
        return Vec::new();
    }
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("nft -j prints JSON");
    let set = json["nftables"]
        .as_array()
        .unwrap()
        .iter()
        .find_map(|o| o.get("set"))
        .expect("a set object");
    let mut ranges = Vec::new();
    for elem in set["elem"].as_array().map(Vec::as_slice).unwrap_or(&[]) {
        let range = if let Some(text) = elem.as_str() {
            (addr_value(text), addr_value(text))
        } else if let Some(prefix) = elem.get("prefix") {
            let net: IpNet = format!("{}/{}", prefix["addr"].as_str().unwrap(), prefix["len"])
                .parse()
                .unwrap();
            (
                addr_value(&net.network().to_string()),
                addr_value(&net.broadcast().to_string()),
            )
        } else if let Some(r) = elem.get("range") {
            (
                addr_value(r[0].as_str().unwrap()),
                addr_value(r[1].as_str().unwrap()),
            )
        } else {
            panic!("unexpected element {elem}");
        };
        ranges.push(range);
    }
    merge(ranges)
}

fn load(files: &[String], opts: &LoadOptions) -> nlbatch::load::Summary {
    let entries = read_files(files, &ReadOptions::default()).expect("lists read");
    let mut loader = Loader::new(nlbatch::arena::DEFAULT_PAGE_SIZE).unwrap();
    loader
        .load(&entries, opts)
        .unwrap_or_else(|e| panic!("load of {files:?} failed: {e}"))
}

#[test]
fn every_real_blocklist_alone_and_all_together_loads_with_the_same_coverage() {
    let files = all_blocklists();
    let mut cases: Vec<Vec<String>> = files.iter().map(|f| vec![f.clone()]).collect();
    cases.push(files.clone());
    for case in cases {
        let case_for_thread = case.clone();
        common::in_netns("real_blocklists", move || {
            let summary = load(&case_for_thread, &LoadOptions::default());
            assert!(summary.committed, "{case_for_thread:?}: commit confirmed");
            let (v4, v6) = expected_coverage(&case_for_thread);
            assert_eq!(
                kernel_coverage("blocklist_v4"),
                v4,
                "IPv4 of {case_for_thread:?}"
            );
            assert_eq!(
                kernel_coverage("blocklist_v6"),
                v6,
                "IPv6 of {case_for_thread:?}"
            );
            assert_eq!(summary.ranges as usize, v4.len() + v6.len());
        });
        eprintln!("loaded and compared {} list(s)", case.len());
    }
}
#[test]
fn mixed_list_makes_two_sets_and_one_rule_per_set() {
    let dir = common::temp_dir("mixed");
    let list = common::write_list(
        &dir,
        "mixed.txt",
        "# mixed\r\n192.0.2.1\r\n2001:db8::/48 ; doc\r\n198.51.100.0/24 7 extra\r\n\r\n",
    );
    common::in_netns("mixed", move || {
        load(&[list], &LoadOptions::default());
        let expected = common::normalise(
            "table inet nlbatch {
                set blocklist_v4 {
                    type ipv4_addr
                    flags interval
                    elements = { 192.0.2.1, 198.51.100.0/24 }
                }
                set blocklist_v6 {
                    type ipv6_addr
                    flags interval
                    elements = { 2001:db8::/48 }
                }
                chain input {
                    type filter hook input priority filter - 10; policy accept;
                    ip saddr @blocklist_v4 counter packets 0 bytes 0 drop
                    ip6 saddr @blocklist_v6 counter packets 0 bytes 0 drop
                }
            }",
        );
        assert_eq!(common::ruleset(), expected);
    });
}

#[test]
fn loading_replaces_contents_and_never_duplicates_rules() {
    let dir = common::temp_dir("replace");
    let big = common::write_list(&dir, "big.txt", "10.0.0.0/8\n192.0.2.0/24\n2001:db8::1\n");
    let small = common::write_list(&dir, "small.txt", "192.0.2.0/25\n");
    common::in_netns("replace", move || {
        load(std::slice::from_ref(&big), &LoadOptions::default());
        let first = common::ruleset();
        load(&[big], &LoadOptions::default());
        assert_eq!(
            common::ruleset(),
            first,
            "loading the same list twice changes nothing"
        );

        load(&[small], &LoadOptions::default());
        assert_eq!(
            kernel_coverage("blocklist_v4"),
            vec![(0xc000_0200, 0xc000_027f)]
        );
        assert_eq!(kernel_coverage("blocklist_v6"), vec![], "IPv6 entries gone");
        let rules = common::nft(&["list", "chain", "inet", "nlbatch", "input"]);
        assert_eq!(rules.matches("saddr @blocklist_v4").count(), 1, "{rules}");
        assert_eq!(rules.matches("saddr @blocklist_v6").count(), 1, "{rules}");
    });
}

#[test]
fn one_invalid_line_deep_inside_leaves_the_namespace_exactly_as_it_was() {
    let dir = common::temp_dir("invalid");
    let good = common::write_list(&dir, "good.txt", "203.0.113.0/24\n");
    let mut text = String::new();
    for i in 0..50_000u32 {
        text.push_str(&format!(
            "{}\n",
            std::net::Ipv4Addr::from(0x0b00_0000 + i * 3)
        ));
    }
    text.push_str("11.2.3.400\n");
    text.push_str("11.9.9.9\n");
    let bad = common::write_list(&dir, "bad.txt", &text);
    common::in_netns("invalid", move || {
        let out = common::tool(&[&good]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let before = common::ruleset();

        let out = common::tool(&[&bad]);
        assert_eq!(out.status.code(), Some(2), "bad input exits with 2");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("bad.txt:50001"),
            "names file and line: {stderr}"
        );
        assert!(stderr.contains("11.2.3.400"), "shows the text: {stderr}");
        assert_eq!(common::ruleset(), before, "nothing sent");

        let out = common::tool(&["--skip-invalid", "--json", &bad]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(json["invalid"], 1);
        assert_eq!(json["lines"], 50_002);
        assert_eq!(json["entries"], 50_001);
        for field in [
            "elements",
            "messages",
            "pages",
            "bytes",
            "encode_ms",
            "kernel_ms",
        ] {
            assert!(json[field].is_number(), "{field} in {json}");
        }
        assert!(json["total_ms"].as_f64().unwrap() >= json["kernel_ms"].as_f64().unwrap());
    });
}

#[test]
fn an_input_without_addresses_is_refused_unless_allowed_and_never_empties_a_set_by_accident() {
    let dir = common::temp_dir("empty");
    let good = common::write_list(&dir, "good.txt", "203.0.113.0/24\n2001:db8::/32\n");
    let empty = common::write_list(&dir, "empty.txt", "");
    let garbage = common::write_list(
        &dir,
        "garbage.txt",
        "# only junk\nnot-an-address\n10.0.0.300\n",
    );
    common::in_netns("empty", move || {
        let out = common::tool(&[&good]);
        assert!(out.status.success(), "{out:?}");
        let before = common::ruleset();

        for args in [
            vec![empty.as_str()],
            vec!["--skip-invalid", garbage.as_str()],
        ] {
            let out = common::tool(&[&args[..], &["--json"]].concat());
            assert_eq!(out.status.code(), Some(2), "{args:?}: {out:?}");
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(stderr.contains("holds no address"), "{stderr}");
            assert!(stderr.contains("--allow-empty"), "{stderr}");
            let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
            assert_eq!(json["exit_code"], 2, "{json}");
            assert!(json["error"].as_str().unwrap().contains("holds no address"));
            assert_eq!(common::ruleset(), before, "{args:?}: nothing sent");
        }
        let out = common::tool(&["--skip-invalid", &garbage]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("3 lines read, 2 invalid"), "{stderr}");

        let out = common::tool(&["--allow-empty", &empty]);
        assert!(out.status.success(), "{out:?}");
        assert_eq!(
            kernel_coverage("blocklist_v4"),
            vec![],
            "emptied on request"
        );
        assert_eq!(
            kernel_coverage("blocklist_v6"),
            vec![],
            "emptied on request"
        );
    });
}

#[test]
fn a_full_set_is_rejected_naming_its_size_and_the_element_and_changes_nothing() {
    let dir = common::temp_dir("full");
    let mut text = String::new();
    // 3,000 ranges: 6,000 elements in four messages, the set full inside the first.
    for i in 0..3000u32 {
        text.push_str(&format!(
            "{}\n",
            std::net::Ipv4Addr::from(0x0c00_0000 + i * 4)
        ));
    }
    let list = common::write_list(&dir, "full.txt", &text);
    common::in_netns("full", move || {
        let before = common::ruleset();
        let out = common::tool(&["--size", "100", &list]);
        assert_eq!(
            out.status.code(),
            Some(3),
            "rejected by the kernel exits with 3"
        );
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("declared size is 100"), "{stderr}");
        assert!(stderr.contains("NEWSETELEM"), "{stderr}");
        assert!(
            stderr.contains("key 12.0.1.144: Too many open files in system"),
            "names the element: {stderr}"
        );
        assert!(
            stderr.contains("from input line") && stderr.contains("full.txt:101;"),
            "names the input line: {stderr}"
        );
        // What the kernel reports after the set is full is counted, not listed as faults.
        assert!(!stderr.contains("File exists (os error"), "{stderr}");
        assert!(stderr.lines().count() <= 3, "{stderr}");
        assert_eq!(common::ruleset(), before, "nothing committed");
    });
}

/// The ruleset without the time left to each element (`expires ...`), which runs down.
fn ruleset_without_expiry() -> String {
    let text = common::ruleset();
    let mut words = text.split(' ');
    let mut out = Vec::new();
    while let Some(w) = words.next() {
        match w {
            "expires" => drop(words.next()),
            w => out.push(w),
        }
    }
    out.join(" ")
}

#[test]
fn a_set_whose_elements_carry_statements_is_refused_before_sending() {
    let dir = common::temp_dir("set_statements");
    let list = common::write_list(&dir, "one.txt", "192.0.2.9\n");
    common::in_netns("set_statements", move || {
        common::nft(&["add", "table", "inet", "nlbatch"]);
        // A set the load would fill, then (an IPv4-only input) one it would empty.
        for (set, definition, wanted) in [
            (
                "blocklist_v4",
                "{ type ipv4_addr ; flags interval ; counter ; }",
                "blocklist_v4 already exists with a counter statement on every element",
            ),
            (
                "blocklist_v6",
                "{ type ipv6_addr ; flags interval ; counter ; quota 5 mbytes ; }",
                "counter and quota statements on every element",
            ),
        ] {
            common::nft(&["add", "set", "inet", "nlbatch", set, definition]);
            let before = common::ruleset();
            let out = common::tool(&[&list]);
            assert_eq!(out.status.code(), Some(2), "{set}: {out:?}");
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(stderr.contains(wanted), "{stderr}");
            assert!(stderr.contains("on every element"), "{stderr}");
            assert_eq!(common::ruleset(), before, "{set}: nothing sent");
            common::nft(&["delete", "set", "inet", "nlbatch", set]);
        }
    });
}

#[test]
fn a_reload_that_would_change_the_timeout_or_move_the_chain_is_refused_before_sending() {
    let dir = common::temp_dir("reload_changes");
    let list = common::write_list(&dir, "one.txt", "192.0.2.9\n");
    common::in_netns("reload_changes", move || {
        let out = common::tool(&["--timeout", "600", &list]);
        assert!(out.status.success(), "{out:?}");
        // The operator tightens the chain's policy; reloads must leave it so.
        common::nft(&[
            "add",
            "chain",
            "inet",
            "nlbatch",
            "input",
            "{ policy drop ; }",
        ]);
        let before = ruleset_without_expiry();
        assert!(before.contains("policy drop"), "{before}");

        for (args, wanted) in [
            (vec!["--timeout", "30"], "already exists with timeout 600 s"),
            (
                vec![],
                "with flags interval, timeout; this load needs a set of type ipv4_addr with \
                 flags interval:",
            ),
            (
                vec!["--timeout", "600", "--priority", "5"],
                "priority -10, and this load",
            ),
            (
                vec!["--timeout", "600", "--hook", "forward"],
                "cannot change a chain's",
            ),
        ] {
            let out = common::tool(&[&args[..], &[list.as_str()]].concat());
            assert_eq!(out.status.code(), Some(2), "{args:?}: {out:?}");
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(stderr.contains(wanted), "{args:?}: {stderr}");
            assert_eq!(ruleset_without_expiry(), before, "{args:?}: nothing sent");
        }

        let out = common::tool(&["--timeout", "600", &list]);
        assert!(out.status.success(), "the same options reload: {out:?}");
        let after = common::ruleset();
        assert!(
            after.contains("policy drop"),
            "the chain is left as it was: {after}"
        );
        assert_eq!(after.matches("@blocklist_v4").count(), 1, "{after}");
    });
}

#[test]
fn only_the_loads_own_drop_rule_counts_and_foreign_sets_are_refused_before_sending() {
    let dir = common::temp_dir("own_rule");
    let list = common::write_list(&dir, "one.txt", "192.0.2.9\n");
    common::in_netns("own_rule", move || {
        // An operator's rules that look the set up but drop nothing.
        let setup = dir.join("setup.nft");
        std::fs::write(
            &setup,
            "table inet lg {
                set blocklist_v4 { type ipv4_addr; flags interval; }
                chain input {
                    type filter hook input priority -10; policy accept;
                    ip daddr @blocklist_v4 counter
                    ip saddr @blocklist_v4 log prefix \"bl \"
                }
            }
            table inet fx {
                set blocklist_v4 { type ipv4_addr; flags interval,constant; }
                map blocklist_v6 { type ipv6_addr : verdict; flags interval; }
            }
            table inet fm {
                map blocklist_v6 { type ipv6_addr : verdict; flags interval; }
            }
            table inet mp {
                map blocklist_v6 { type ipv6_addr : verdict; elements = { ::1 : accept }; }
            }",
        )
        .unwrap();
        common::nft(&["-f", &setup.to_string_lossy()]);

        let out = common::tool(&["--table", "lg", &list]);
        assert!(out.status.success(), "{out:?}");
        let chain = common::nft(&["list", "chain", "inet", "lg", "input"]);
        assert!(
            chain.contains("ip daddr @blocklist_v4 counter"),
            "kept: {chain}"
        );
        assert!(chain.contains("log prefix"), "kept: {chain}");
        assert_eq!(
            chain
                .matches("ip saddr @blocklist_v4 counter packets 0 bytes 0 drop")
                .count(),
            1,
            "the drop rule is added once: {chain}"
        );
        let out = common::tool(&["--table", "lg", &list]);
        assert!(out.status.success(), "{out:?}");
        let again = common::nft(&["list", "chain", "inet", "lg", "input"]);
        assert_eq!(again, chain, "a reload adds no second drop rule");

        common::nft(&["add", "table", "inet", "sleepy", "{ flags dormant; }"]);
        // A table owned by this socket, which stays open while the tool runs.
        let mut owner = nlbatch::nft::Nftables::open().unwrap();
        let mut tx = nlbatch::nft::Transaction::new(Default::default()).unwrap();
        tx.begin(None).unwrap();
        let mut owned = nlbatch::nft::Table::new(nlbatch::nft::Family::Inet, "owned");
        owned.flags = nlbatch::nft::wire::NFT_TABLE_F_OWNER;
        tx.add_table(&owned).unwrap();
        tx.end().unwrap();
        owner.commit(&mut tx).unwrap();
        let before = common::ruleset();
        for (args, wanted) in [
            (vec!["--table", "sleepy"], "is dormant"),
            (vec!["--table", "owned"], "owned by another process"),
            (
                vec!["--table", "mp"],
                "would be emptied (the input has no IPv6 address)",
            ),
            (vec!["--table", "."], "is not one nft can read back"),
            (vec!["--table", "fx"], "flags constant, interval"),
            (
                vec!["--table", "fm", "--set", "blocklist", "-"],
                "a map of type ipv6_addr",
            ),
            (vec!["--hook", "ingress"], "the ingress hook needs a device"),
        ] {
            let mut child = Command::new(env!("CARGO_BIN_EXE_nlbatch"));
            let ns = common::thread_netns();
            let file_args: Vec<&str> = if args.last() == Some(&"-") {
                vec![]
            } else {
                vec![&list]
            };
            child
                .args(["load", "--netns", &ns])
                .args(&args)
                .args(&file_args);
            child
                .stdin(std::process::Stdio::piped())
                .stdout(std::process::Stdio::piped());
            child.stderr(std::process::Stdio::piped());
            let mut child = child.spawn().unwrap();
            use std::io::Write as _;
            // A load refused before reading its standard input may exit before this write:
            // a closed pipe here is no failure.
            let _ = child.stdin.take().unwrap().write_all(b"2001:db8::1\n");
            let out = child.wait_with_output().unwrap();
            assert_eq!(out.status.code(), Some(2), "{args:?}: {out:?}");
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(stderr.contains(wanted), "{args:?}: {stderr}");
            assert_eq!(common::ruleset(), before, "{args:?}: nothing sent");
        }
    });
}

#[test]
fn names_nft_cannot_read_back_and_a_zero_size_are_refused() {
    let dir = common::temp_dir("names");
    let list = common::write_list(&dir, "one.txt", "192.0.2.9\n");
    common::in_netns("names", move || {
        for args in [
            vec!["--set", "a b"],
            vec!["--set", ""],
            vec!["--table", "t;x"],
            vec!["--chain", "9in"],
            vec!["--table", "counter"],
            vec!["--chain", "drop"],
            vec!["--size", "0"],
        ] {
            let out = common::tool(&[&args[..], &[list.as_str()]].concat());
            assert_eq!(out.status.code(), Some(2), "{args:?}: {out:?}");
            assert_eq!(common::ruleset(), "", "{args:?}: nothing sent");
        }
        let out = common::tool(&["--table", "fw.v2", "--set", "bad-hosts/2", &list]);
        assert!(out.status.success(), "{out:?}");
        // What nlbatch made lists back as text nft reads again.
        let text = common::nft(&["list", "ruleset"]);
        common::nft(&["flush", "ruleset"]);
        let path = dir.join("ruleset.nft");
        std::fs::write(&path, &text).unwrap();
        common::nft(&["-f", &path.to_string_lossy()]);
        assert_eq!(common::nft(&["list", "ruleset"]), text);

        // The keyword list against the installed nft: each keyword, as a table or chain name,
        // makes text nft cannot parse; ordinary names parse.
        let parses = |text: String| {
            std::fs::write(&path, text).unwrap();
            Command::new("nft")
                .args(["-c", "-f", &path.to_string_lossy()])
                .output()
                .unwrap()
                .status
                .success()
        };
        for word in nlbatch::nft::keywords::KEYWORDS {
            assert!(
                !parses(format!("table inet {word} {{\n}}\n")),
                "table {word}"
            );
            let chain = format!("table inet t {{\n\tchain {word} {{\n\t}}\n}}\n");
            assert!(!parses(chain), "chain {word}");
        }
        for name in ["nlbatch", "input", "filter", "saddr", "fw.v2"] {
            assert!(parses(format!("table inet {name} {{\n}}\n")), "{name}");
        }
    });
}

#[test]
fn dry_run_validates_without_committing() {
    let dir = common::temp_dir("dry");
    let list = common::write_list(&dir, "dry.txt", "192.0.2.0/24\n");
    common::in_netns("dry", move || {
        let out = common::tool(&["--dry-run", &list]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(String::from_utf8_lossy(&out.stdout).contains("dry run"));
        assert_eq!(common::ruleset(), "", "nothing committed");
    });
}

#[test]
fn a_changed_size_or_a_foreign_set_is_refused_before_sending() {
    let dir = common::temp_dir("conflict");
    let list = common::write_list(&dir, "conflict.txt", "1.0.0.0-1.0.0.5\n1.0.0.7-1.0.0.9\n");
    common::in_netns("conflict", move || {
        assert!(common::tool(&[&list]).status.success());
        let before = common::ruleset();
        let out = common::tool(&["--size", "1", &list]);
        assert_eq!(out.status.code(), Some(2));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("already exists with no size"), "{stderr}");
        assert_eq!(common::ruleset(), before, "nothing sent");

        common::nft(&["add", "table", "inet", "other"]);
        common::nft(&[
            "add",
            "set",
            "inet",
            "other",
            "blocklist_v4",
            "{ type ipv4_addr; }",
        ]);
        let before = common::ruleset();
        let out = common::tool(&["--table", "other", &list]);
        assert_eq!(out.status.code(), Some(2));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("already exists as type ipv4_addr with flags none; this load needs"),
            "{stderr}"
        );
        assert_eq!(common::ruleset(), before, "nothing sent");

        let long = "a".repeat(256);
        let out = common::tool(&["--table", &long, &list]);
        assert_eq!(
            out.status.code(),
            Some(2),
            "names are checked before sending"
        );
    });
}

/// One million overlapping entries (addresses and small prefixes crowded into 10.0.0.0/10, so
/// most of them overlap or touch) load in one transaction into an interval set, and what the kernel
/// holds equals ipnet's aggregation of the input.
#[test]
fn a_million_overlapping_entries_load_in_one_transaction_with_the_same_coverage() {
    let dir = common::temp_dir("million");
    let mut text = String::with_capacity(20 << 20);
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut nets = Vec::with_capacity(1_000_000);
    for i in 0..1_000_000u32 {
        // xorshift64: a fixed, portable sequence.
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let addr = 0x0a00_0000 | (x as u32 & 0x003f_ffff);
        let len = if i % 4 == 0 {
            26 + (x >> 40) as u8 % 6
        } else {
            32
        };
        let net = Ipv4Net::new(std::net::Ipv4Addr::from(addr), len).unwrap();
        text.push_str(&format!("{net}\n"));
        nets.push(net.trunc());
    }
    let list = common::write_list(&dir, "million.txt", &text);
    let expected: Coverage = Ipv4Net::aggregate(&nets)
        .iter()
        .map(|n| {
            (
                u32::from(n.network()) as u128,
                u32::from(n.broadcast()) as u128,
            )
        })
        .collect();
    let expected = merge(expected);
    common::in_netns("million", move || {
        let summary = load(&[list], &LoadOptions::default());
        assert!(summary.committed);
        assert_eq!(summary.entries, 1_000_000);
        assert_eq!(summary.ranges as usize, expected.len());
        assert!(summary.ranges > 100_000, "many ranges left: {summary:?}");
        assert!(
            summary.messages > 10,
            "split across many messages: {summary:?}"
        );
        eprintln!("1M overlapping entries: {summary:?}");
        assert_eq!(kernel_coverage("blocklist_v4"), expected);
    });
}

/// Without `CAP_NET_ADMIN` (dropped from the bounding set by `setpriv`, from util-linux), the
/// tool still makes its private namespace but the kernel refuses the load: exit 4, said as
/// missing privilege, never a hang.
#[test]
fn without_cap_net_admin_the_tool_exits_4_naming_the_privilege() {
    common::in_netns("no_net_admin_tool", || {
        let out = Command::new("setpriv")
            .args(["--inh-caps=-net_admin", "--bounding-set=-net_admin"])
            .arg(env!("CARGO_BIN_EXE_nlbatch"))
            .args(["load", "--sample", "10", "--json"])
            .output()
            .expect("run setpriv (util-linux)");
        assert_eq!(out.status.code(), Some(4), "{out:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("no privilege"), "{stderr}");
        assert!(stderr.contains("Operation not permitted"), "{stderr}");
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(json["exit_code"], 4, "{json}");
    });
}

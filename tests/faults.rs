//! Faults, each in its own private network namespace: an error at the first and at the last
//! message of a million, a transaction past the largest datagram, overlapping ranges with
//! merging off, over-long names and comments, a generation that changed between reading and
//! writing, two writers at once, and a `--netns` path that is not a namespace.
//!
//! Every test checks two things: the error says what failed, and nothing was half-applied.
//! Faults already covered elsewhere (no `CAP_NET_ADMIN`, an unraisable send buffer, a tiny
//! receive buffer, an error at message 500,000, a full set) are listed with their tests in
//! `docs/reliability.md`.

mod common;

use std::cell::Cell;
use std::net::Ipv4Addr;
use std::path::PathBuf;
use std::process::Command;
use std::sync::{Arc, Barrier};

use nlbatch::arena::{ArenaError, MAX_DATAGRAM};
use nlbatch::blocklist::{read_list, Entries, ReadOptions};
use nlbatch::load::{LoadError, LoadOptions, Loader};
use nlbatch::message::{EncodeError, Message, NLM_F_CREATE, NLM_F_REQUEST};
use nlbatch::nft::wire::*;
use nlbatch::nft::Transaction;
use nlbatch::nft::{Family, KeyType, NftError, Nftables, Rejection, Set, SetTarget, Table};
use nlbatch::socket::{Socket, TransportError, NETLINK_NETFILTER};

const MILLION: u32 = 1_000_000;

/// The `i`-th test address: 10.0.0.0 + 7 i.
fn spread(i: u32) -> [u8; 4] {
    (0x0a00_0000 + i * 7).to_be_bytes()
}

/// One element `{ KEY { VALUE key } }` numbered `number`, with a key of any length.
fn put_element(msg: &mut Message<'_>, number: u16, key: &[u8]) -> Result<(), EncodeError> {
    let elem = msg.begin_nest(number)?;
    let k = msg.begin_nest(NFTA_SET_ELEM_KEY)?;
    msg.put(NFTA_DATA_VALUE, key)?;
    msg.end_nest(k)?;
    msg.end_nest(elem)
}

/// The rejections of a commit that must have been rejected.
fn rejected(result: Result<nlbatch::nft::CommitReport, NftError>) -> Vec<Rejection> {
    match result {
        Err(NftError::Rejected(r)) => r,
        other => panic!("expected NftError::Rejected, got {other:?}"),
    }
}

/// Commits table `inet t` with the hash set `s` holding `keys`.
fn make_set(nft: &mut Nftables, keys: &[[u8; 4]]) {
    let mut tx = Transaction::new(Default::default()).unwrap();
    tx.begin(None).unwrap();
    tx.add_table(&Table::new(Family::Inet, "t")).unwrap();
    let mut set = Set::new(Family::Inet, "t", "s", KeyType::Ipv4Addr);
    set.size = Some(2 * MILLION);
    let target = tx.add_set(&set).unwrap();
    tx.add_keys(&target, keys.iter().map(|k| &k[..])).unwrap();
    tx.end().unwrap();
    assert!(nft.commit(&mut tx).unwrap().confirmed);
}

/// A million-message transaction (BATCH_BEGIN, 999,998 NEWSETELEM of one element each into
/// the existing set `s`, BATCH_END) whose message at index `bad` carries a 5-byte key.
fn million_with_bad_message(tx: &mut Transaction, bad: u32) -> Option<u32> {
    tx.reset();
    tx.begin(None).unwrap();
    let target = SetTarget {
        family: Family::Inet,
        table: "t".into(),
        set: "s".into(),
        id: None,
    };
    let mut bad_seq = None;
    for i in 0..MILLION - 2 {
        tx.add_element_groups(&target, [i], |msg, number, &i| {
            if msg.index() == bad {
                bad_seq = Some(msg.seq());
                put_element(msg, number, &[10, 9, 9, 9, 0x55])?;
            } else {
                put_element(msg, number, &spread(i + 10))?;
            }
            Ok(1)
        })
        .unwrap();
    }
    tx.end().unwrap();
    assert_eq!(tx.batch().message_count(), MILLION);
    bad_seq
}

#[test]
fn an_error_at_the_first_or_the_last_message_of_a_million_is_named_and_nothing_is_committed() {
    common::in_netns("first_and_last_of_a_million", || {
        let mut nft = Nftables::open().unwrap();
        make_set(&mut nft, &[spread(0), spread(1), spread(2)]);
        let before = common::nft(&["list", "set", "inet", "t", "s"]);
        let mut tx = Transaction::new(Default::default()).unwrap();
        // Index 0 is BATCH_BEGIN and MILLION - 1 is BATCH_END: the first and the last body
        // messages are 1 and MILLION - 2. (Message 500,000: tests/kernel_transport.rs.)
        for bad in [1, MILLION - 2] {
            let bad_seq = million_with_bad_message(&mut tx, bad);
            let rejections = rejected(nft.commit(&mut tx));
            assert_eq!(rejections.len(), 1, "message {bad}: {rejections:?}");
            let r = &rejections[0];
            assert_eq!((r.error.index, Some(r.error.seq)), (bad, bad_seq), "{r}");
            assert_eq!(r.error.errno, libc::EINVAL, "{r}");
            assert_eq!(r.key.as_deref(), Some(&[10, 9, 9, 9, 0x55][..]), "{r}");
            assert!(
                r.what.starts_with(&format!("NEWSETELEM #{bad} ")),
                "{}",
                r.what
            );
            assert!(
                r.what.contains("[set t s], element 1 of the list"),
                "{}",
                r.what
            );
            assert_eq!(
                common::nft(&["list", "set", "inet", "t", "s"]),
                before,
                "message {bad}: not one of the 999,997 good elements was committed"
            );
        }
    });
}

#[test]
fn a_transaction_past_the_largest_datagram_is_refused_while_encoding_and_nothing_is_sent() {
    common::in_netns("past_max_datagram", || {
        let mut nft = Nftables::open().unwrap();
        let mut tx = Transaction::new(Default::default()).unwrap();
        tx.begin(None).unwrap();
        tx.add_table(&Table::new(Family::Inet, "t")).unwrap();
        // NEWSETELEM messages of 16 raw 64 KiB attributes each (about 1 MiB): about 2,050 of
        // them reach MAX_DATAGRAM. They are never sent, so their content does not matter.
        let chunk = vec![0x5a_u8; 65_000];
        let mut error = None;
        let mut messages = 0u32;
        while error.is_none() {
            let batch = tx.batch_mut();
            let result = (|| {
                let flags = NLM_F_REQUEST | NLM_F_CREATE;
                let mut msg = batch.message(msg_type(NFT_MSG_NEWSETELEM), flags)?;
                msg.family_header(&[NFPROTO_INET, 0, 0, 0])?;
                for _ in 0..16 {
                    msg.put(NFTA_SET_ELEM_LIST_ELEMENTS, &chunk)?;
                }
                msg.finish()
            })();
            match result {
                Ok(_) => messages += 1,
                Err(e) => error = Some(e),
            }
        }
        let size = match error {
            Some(EncodeError::Arena(ArenaError::TooLarge { size })) => size,
            other => panic!("expected ArenaError::TooLarge, got {other:?}"),
        };
        assert!(size > MAX_DATAGRAM, "{size}");
        assert!(tx.batch().len() <= MAX_DATAGRAM);
        assert!(tx.batch().len() + 16 * 65_004 + 20 > MAX_DATAGRAM);
        let text = EncodeError::Arena(ArenaError::TooLarge { size }).to_string();
        assert!(text.contains(&MAX_DATAGRAM.to_string()), "{text}");
        assert!(
            text.contains("split it into several transactions"),
            "{text}"
        );
        eprintln!(
            "past_max_datagram: refused after {messages} messages, {} bytes: {text}",
            tx.batch().len()
        );

        // The second guard, at the socket: a datagram past the limit is refused before
        // sendmsg, whatever the send buffer.
        let socket = Socket::open(NETLINK_NETFILTER).unwrap();
        assert!(matches!(
            socket.ensure_send_buffer(MAX_DATAGRAM + 1),
            Err(TransportError::DatagramTooLarge { .. })
        ));
        assert_eq!(common::ruleset(), "", "nothing was sent");

        // The arena is not poisoned: the same transaction, reset, commits.
        tx.reset();
        tx.begin(None).unwrap();
        tx.add_table(&Table::new(Family::Inet, "t")).unwrap();
        tx.end().unwrap();
        assert!(nft.commit(&mut tx).unwrap().confirmed);
        assert_eq!(common::ruleset(), "table inet t {\n}");
    });
}
#[test]
fn overlapping_ranges_with_merging_off_fail_naming_element_and_lines_and_change_nothing() {
    let dir = common::temp_dir("no_merge");
    let good = common::write_list(&dir, "good.txt", "192.0.2.0/24\n");
    let overlapping = common::write_list(
        &dir,
        "overlap.txt",
        "# two prefixes, the second inside the first\n10.0.0.0/24\n198.51.100.7\n\
         10.0.0.128/25\n",
    );
    let partial = common::write_list(&dir, "partial.txt", "10.0.0.0/16\n10.0.5.0-10.1.0.0\n");
    let benign = common::write_list(
        &dir,
        "benign.txt",
        "10.0.0.0/24\n10.0.1.0/24\n10.0.2.5\n10.0.2.5\n",
    );
    common::in_netns("no_merge", move || {
        let out = common::tool(&["--no-merge", &good]);
        assert!(out.status.success(), "{out:?}");
        let before = common::ruleset();

        let out = common::tool(&["--no-merge", &overlapping]);
        assert_eq!(out.status.code(), Some(3), "{out:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("File exists"), "{stderr}");
        assert!(stderr.contains("key 10.0.0.128"), "{stderr}");
        assert!(
            stderr.contains("overlap.txt:4, which overlaps input line"),
            "{stderr}"
        );
        assert!(
            stderr.contains("overlap.txt:2 (merging is off)"),
            "{stderr}"
        );
        assert_eq!(common::ruleset(), before, "nothing committed");

        let out = common::tool(&["--no-merge", &partial]);
        assert_eq!(out.status.code(), Some(3), "{out:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("partial.txt:2, which overlaps input line") && stderr.contains(":1"),
            "{stderr}"
        );
        assert_eq!(common::ruleset(), before, "nothing committed");

        // Merging on, the same input loads, as the union of its entries.
        let out = common::tool(&[&overlapping]);
        assert!(out.status.success(), "{out:?}");
        let set = common::nft(&["list", "set", "inet", "nlbatch", "blocklist_v4"]);
        assert!(
            set.contains("elements = { 10.0.0.0/24, 198.51.100.7 }"),
            "{set}"
        );

        // Merging off, adjacent ranges and exact duplicates are no overlap for the kernel
        // (elements are added without NLM_F_EXCL): they load as given.
        let out = common::tool(&["--no-merge", &benign]);
        assert!(out.status.success(), "{out:?}");
        let set = common::nft(&["list", "set", "inet", "nlbatch", "blocklist_v4"]);
        let set = set.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(
            set.contains("elements = { 10.0.0.0/24, 10.0.1.0/24, 10.0.2.5 }"),
            "{set}"
        );
    });
}

#[test]
fn over_long_names_and_comments_are_refused_before_sending_or_by_the_kernel_atomically() {
    common::in_netns("long_names", || {
        let mut nft = Nftables::open().unwrap();
        let mut tx = Transaction::new(Default::default()).unwrap();
        let long = "n".repeat(256);

        // The library refuses before encoding: nothing is sent.
        tx.begin(None).unwrap();
        tx.add_table(&Table::new(Family::Inet, "t")).unwrap();
        let e = tx
            .add_set(&Set::new(Family::Inet, "t", &long, KeyType::Ipv4Addr))
            .unwrap_err();
        assert!(matches!(e, NftError::Invalid { .. }), "{e:?}");
        assert!(e.to_string().contains("255"), "names the limit: {e}");
        let mut set = Set::new(Family::Inet, "t", "s", KeyType::Ipv4Addr);
        set.comment = Some("c".repeat(300));
        let e = tx.add_set(&set).unwrap_err();
        assert!(matches!(e, NftError::Invalid { .. }), "{e:?}");
        assert!(e.to_string().contains("set"), "names the object: {e}");

        // The kernel refuses what slips past (written by hand here): the whole transaction,
        // naming the attribute, with the table made in it gone too.
        tx.reset();
        tx.begin(None).unwrap();
        tx.add_table(&Table::new(Family::Inet, "t")).unwrap();
        let index = tx.batch().message_count();
        let mut msg = tx
            .batch_mut()
            .message(msg_type(NFT_MSG_NEWSET), NLM_F_REQUEST | NLM_F_CREATE)
            .unwrap();
        msg.family_header(&[NFPROTO_INET, 0, 0, 0]).unwrap();
        msg.put_strz(NFTA_SET_TABLE, "t").unwrap();
        msg.put_strz(NFTA_SET_NAME, &long).unwrap();
        msg.put_be32(NFTA_SET_KEY_TYPE, 7).unwrap();
        msg.put_be32(NFTA_SET_KEY_LEN, 4).unwrap();
        msg.put_be32(NFTA_SET_ID, 1).unwrap();
        msg.finish().unwrap();
        tx.end().unwrap();
        let rejections = rejected(nft.commit(&mut tx));
        assert_eq!(rejections.len(), 1, "{rejections:?}");
        let r = &rejections[0];
        assert_eq!(r.error.index, index, "{r}");
        assert_eq!(r.error.errno, libc::ERANGE, "{r}");
        assert!(r.what.contains("attribute type 2"), "{}", r.what);
        assert_eq!(
            common::ruleset(),
            "",
            "the table of the same transaction is gone"
        );

        // A table comment past the kernel's 256 bytes of userdata, written by hand.
        tx.reset();
        tx.begin(None).unwrap();
        tx.add_table(&Table::new(Family::Inet, "ok")).unwrap();
        let mut msg = tx
            .batch_mut()
            .message(msg_type(NFT_MSG_NEWTABLE), NLM_F_REQUEST)
            .unwrap();
        msg.family_header(&[NFPROTO_INET, 0, 0, 0]).unwrap();
        msg.put_strz(NFTA_TABLE_NAME, "t").unwrap();
        msg.put(NFTA_TABLE_USERDATA, &[b'c'; 300]).unwrap();
        msg.finish().unwrap();
        tx.end().unwrap();
        let rejections = rejected(nft.commit(&mut tx));
        let r = &rejections[0];
        assert_eq!(r.error.errno, libc::ERANGE, "{r}");
        assert!(r.what.contains("[table t]"), "{}", r.what);
        assert_eq!(common::ruleset(), "", "nothing committed");
    });
}

/// Commits a table named `name` over a socket of its own: another writer's change.
fn other_writer_adds_table(name: &str) {
    let mut nft = Nftables::open().unwrap();
    let mut tx = Transaction::new(Default::default()).unwrap();
    tx.begin(None).unwrap();
    tx.add_table(&Table::new(Family::Inet, name)).unwrap();
    tx.end().unwrap();
    nft.commit(&mut tx).unwrap();
}

/// Retries `commit_with_generation_retry` with a build that lets another writer commit in
/// the first `changes` attempts, between reading the generation and committing.
fn commit_racing(retries: u32, changes: u32) -> (Result<(), NftError>, u32) {
    let mut nft = Nftables::open().unwrap();
    let mut tx = Transaction::new(Default::default()).unwrap();
    let attempts = Cell::new(0);
    let result = nft.commit_with_generation_retry(&mut tx, retries, |_, tx| {
        let n = attempts.get();
        attempts.set(n + 1);
        if n < changes {
            // A table of a new name: re-adding an existing one changes no generation.
            other_writer_adds_table(&format!("other{retries}_{changes}_{n}"));
        }
        tx.add_table(&Table::new(Family::Inet, "mine"))?;
        tx.end()?;
        Ok::<(), NftError>(())
    });
    (result.map(|r| assert!(r.confirmed)), attempts.get())
}

#[test]
fn a_generation_changed_between_reading_and_writing_fails_clearly_or_is_retried() {
    common::in_netns("generation", || {
        // No retry: ERESTART, said plainly, and nothing of the transaction applied.
        let (result, attempts) = commit_racing(0, 1);
        assert_eq!(attempts, 1);
        let Err(NftError::Rejected(r)) = result else {
            panic!("expected ERESTART, got {result:?}");
        };
        assert_eq!(r.len(), 1, "{r:?}");
        assert_eq!(r[0].error.errno, libc::ERESTART, "{}", r[0]);
        assert!(nlbatch::nft::generation_changed(&r));
        let text = r[0].to_string();
        assert!(
            text.contains("the ruleset changed since its generation was read"),
            "{text}"
        );
        assert!(text.starts_with("the transaction"), "{text}");
        let ruleset = common::ruleset();
        assert!(ruleset.contains("table inet other0_1_0"), "{ruleset}");
        assert!(!ruleset.contains("mine"), "nothing applied: {ruleset}");

        // Retried: the second attempt reads the new generation and commits.
        let (result, attempts) = commit_racing(2, 1);
        result.unwrap();
        assert_eq!(attempts, 2);
        assert!(common::ruleset().contains("table inet mine"));
        common::nft(&["delete", "table", "inet", "mine"]);

        // Retries used up: the last ERESTART is returned.
        let (result, attempts) = commit_racing(2, 5);
        assert_eq!(attempts, 3);
        assert!(
            matches!(&result, Err(NftError::Rejected(r)) if r[0].error.errno == libc::ERESTART),
            "{result:?}"
        );
        assert!(!common::ruleset().contains("mine"));
    });
}

/// A list of `n` addresses 10.`net`.x.y, every third one.
fn list_of(net: u8, n: u32) -> Entries {
    let mut text = String::new();
    for i in 0..n {
        let a = u32::from_be_bytes([10, net, 0, 0]) + i * 3;
        text.push_str(&format!("{}\n", Ipv4Addr::from(a)));
    }
    let mut entries = Entries::default();
    read_list(
        &format!("list{net}"),
        text.as_bytes(),
        &ReadOptions::default(),
        &mut entries,
    )
    .unwrap();
    entries
}

/// The set's elements as `nft` prints them, sorted.
fn elements(table: &str) -> Vec<String> {
    let out = common::nft(&["-j", "list", "set", "inet", table, "blocklist_v4"]);
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    let set = json["nftables"]
        .as_array()
        .unwrap()
        .iter()
        .find_map(|o| o.get("set"))
        .unwrap();
    let mut found: Vec<String> = set["elem"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or(&[])
        .iter()
        .map(|e| e.as_str().unwrap_or_default().to_string())
        .collect();
    found.sort();
    found
}

fn sorted_addresses(entries: &Entries) -> Vec<String> {
    let mut v: Vec<String> = entries
        .v4
        .iter()
        .map(|r| Ipv4Addr::from(r.lo).to_string())
        .collect();
    v.sort();
    v
}

/// Two threads of the same namespace (the second joins the first's with setns) each load
/// their list `rounds` times into `tables`, starting together each round.
fn two_writers(
    tables: [&'static str; 2],
    retries: Option<u32>,
    rounds: usize,
) -> Vec<Result<(), String>> {
    // SAFETY: gettid has no preconditions.
    let tid = unsafe { libc::gettid() };
    let ns = PathBuf::from(format!("/proc/self/task/{tid}/ns/net"));
    let barrier = Arc::new(Barrier::new(2));
    let run = move |writer: usize, barrier: Arc<Barrier>| {
        let entries = list_of(writer as u8 + 1, 20_000);
        let opts = LoadOptions {
            table: tables[writer].into(),
            retries_on_generation_change: retries,
            ..LoadOptions::default()
        };
        let mut loader = Loader::new(nlbatch::arena::DEFAULT_PAGE_SIZE).unwrap();
        let mut outcomes = Vec::new();
        for _ in 0..rounds {
            barrier.wait();
            outcomes.push(loader.load(&entries, &opts).map(|_| ()).map_err(|e| {
                assert!(matches!(e, LoadError::Rejected(_)), "{e:?}");
                e.to_string()
            }));
        }
        outcomes
    };
    let second = {
        let (ns, barrier) = (ns.clone(), barrier.clone());
        std::thread::spawn(move || {
            nlbatch::netns::enter_path(&ns).expect("join the first writer's namespace");
            let here = std::fs::read_link("/proc/thread-self/ns/net").unwrap();
            (here, run(1, barrier))
        })
    };
    let mut outcomes = run(0, barrier);
    let (there, second) = second.join().unwrap();
    let here = std::fs::read_link("/proc/thread-self/ns/net").unwrap();
    assert_eq!(here, there, "both writers in one namespace");
    outcomes.extend(second);
    outcomes
}

#[test]
fn two_writers_in_one_namespace_commit_atomically_and_fail_clearly() {
    common::in_netns("two_writers", || {
        let lists = [
            sorted_addresses(&list_of(1, 20_000)),
            sorted_addresses(&list_of(2, 20_000)),
        ];

        // Different tables: no conflict, every load commits whole.
        let outcomes = two_writers(["a", "b"], Some(3), 10);
        assert!(outcomes.iter().all(Result::is_ok), "{outcomes:?}");
        assert_eq!(elements("a"), lists[0]);
        assert_eq!(elements("b"), lists[1]);

        // One table, no retry: each load either commits whole or fails with ERESTART, said
        // plainly; the set always holds exactly one writer's list, never a mix.
        let outcomes = two_writers(["c", "c"], Some(0), 10);
        let failed: Vec<&String> = outcomes.iter().filter_map(|o| o.as_ref().err()).collect();
        for text in &failed {
            assert!(
                text.contains("the ruleset changed since its generation was read"),
                "{text}"
            );
        }
        assert!(failed.len() < outcomes.len(), "{outcomes:?}");
        let now = elements("c");
        assert!(now == lists[0] || now == lists[1], "a mix of both lists");
        let chain = common::nft(&["list", "chain", "inet", "c", "input"]);
        assert_eq!(chain.matches("@blocklist_v4").count(), 1, "{chain}");

        // One table, with retries: every load commits.
        let outcomes = two_writers(["d", "d"], Some(20), 10);
        assert!(outcomes.iter().all(Result::is_ok), "{outcomes:?}");
        let now = elements("d");
        assert!(now == lists[0] || now == lists[1], "a mix of both lists");
        let chain = common::nft(&["list", "chain", "inet", "d", "input"]);
        assert_eq!(chain.matches("@blocklist_v4").count(), 1, "{chain}");
        eprintln!(
            "two_writers: {} of {} loads without retry met a changed generation",
            failed.len(),
            outcomes.len()
        );
    });
}

#[test]
fn a_netns_path_that_is_not_a_namespace_is_named_as_such() {
    let dir = common::temp_dir("not_netns");
    let file = common::write_list(&dir, "plain-file", "");
    let list = common::write_list(&dir, "list.txt", "192.0.2.1\n");
    let out = Command::new(env!("CARGO_BIN_EXE_nlbatch"))
        .args(["load", "--netns", &file, &list])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(4));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!("{file} is not a network namespace")),
        "{stderr}"
    );
    assert!(!stderr.contains("run as root"), "{stderr}");
    let out = Command::new(env!("CARGO_BIN_EXE_nlbatch"))
        .args(["load", "--netns", "/nonexistent/ns", &list])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(4));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("no such network namespace /nonexistent/ns"),
        "{stderr}"
    );

    // The host's namespace (process 1's) is reached only with --host: naming it with --netns
    // is refused before anything is sent (exit 2), or, where even root may not open it (in
    // some sandboxes), fails to open (exit 4). It never loads.
    let out = Command::new(env!("CARGO_BIN_EXE_nlbatch"))
        .args(["load", "--netns", "/proc/1/ns/net", &list])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    match out.status.code() {
        Some(2) => assert!(stderr.contains("use --host"), "{stderr}"),
        Some(4) => assert!(stderr.contains("cannot open network namespace"), "{stderr}"),
        other => panic!("exit {other:?}: {stderr}"),
    }

    // A usage error of a run that asked for JSON comes as JSON too.
    let out = Command::new(env!("CARGO_BIN_EXE_nlbatch"))
        .args(["load", "--json", "--family", "foo", &list])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["exit_code"], 2, "{json}");
    assert!(json["error"].as_str().unwrap().contains("foo"), "{json}");

    // `--json=true` is itself a usage error (the flag takes no value), reported as JSON.
    let out = Command::new(env!("CARGO_BIN_EXE_nlbatch"))
        .args(["load", "--json=true", &list])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(json["error"].as_str().unwrap().contains("--json"), "{json}");
}

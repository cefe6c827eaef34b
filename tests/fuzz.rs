//! Fuzzing, driven by proptest, of the three parsers that read bytes nlbatch does not control:
//! the decoder (`decode`), the reply parser and error attribution (`reply`,
//! `socket::attribute_path`, `nft::describe`), and the blocklist reader (`blocklist`).
//!
//! Inputs are seeds from `tests/corpus/` mutated byte by byte (flips, length fields set to edge
//! values, truncation, insertion, removal, splices of two seeds), plus plain random bytes.
//! The seeds are real: `corpus/replies/*.bin` are reply datagrams captured from the kernel by
//! [`corpus_replies_match_what_the_kernel_sends`] (concatenated per scenario), and
//! the list seeds are the hand-written hostile lines of `corpus/lists/` plus the start of every
//! real blocklist in `../shared/data/realworld/blocklists`.
//!
//! Properties: no panic, every iterator ends, every view stays inside its buffer, the work and
//! memory per input are bounded by its length, and the list reader agrees with itself with and
//! without skipping invalid lines.
//!
//! `cargo test --release` runs a few thousand cases per target (seconds). A longer run:
//! `PROPTEST_CASES=1000000 cargo test --release --test fuzz`. Rewrite the reply seeds from
//! the running kernel: `NLBATCH_WRITE_CORPUS=1 cargo test --release --test fuzz corpus_`.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use nlbatch::blocklist::{read_list, Entries, ListError, ReadOptions};
use nlbatch::decode::{AttrIter, MessageIter};
use nlbatch::message::{Batch, BatchConfig, NLMSG_DONE, NLMSG_ERROR, NLM_F_DUMP, NLM_F_REQUEST};
use nlbatch::nft::wire::*;
use nlbatch::nft::{Chain, Family, Hook, KeyType, Nftables, Rule, Set, SetRef, SetTarget};
use nlbatch::nft::{Table, Transaction, Verdict};
use nlbatch::reply;
use nlbatch::socket::{attribute_path, KernelError, Socket, NETLINK_NETFILTER};
use proptest::prelude::*;
use proptest::test_runner::Config;

fn corpus_dir(kind: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/corpus")
        .join(kind)
}

/// The files of `tests/corpus/<kind>`, sorted by name. The list seeds add the first 4 KiB
/// (cut at a line end) of every real blocklist of `../shared/data/realworld/blocklists`.
fn corpus(kind: &str) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(corpus_dir(kind))
        .unwrap_or_else(|e| panic!("tests/corpus/{kind}: {e}"))
        .map(|e| {
            let path = e.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read(&path).unwrap())
        })
        .collect();
    if kind == "lists" {
        for e in std::fs::read_dir(common::blocklists_dir()).unwrap() {
            let path = e.unwrap().path();
            let mut bytes = std::fs::read(&path).unwrap();
            bytes.truncate(4096);
            let end = bytes.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
            bytes.truncate(end);
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            files.push((name, bytes));
        }
    }
    files.sort();
    assert!(files.len() >= 5, "tests/corpus/{kind} holds too few seeds");
    files
}

/// Cases per target: `PROPTEST_CASES` when set, else `default`.
fn config(default: u32) -> Config {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default);
    Config {
        cases,
        ..Config::default()
    }
}

/// One change to a seed; positions are taken modulo the current length.
#[derive(Debug, Clone)]
enum Mutation {
    Flip(usize, u8),
    SetU16(usize, u16),
    SetU32(usize, u32),
    Truncate(usize),
    Insert(usize, Vec<u8>),
    Remove(usize, usize),
    Splice(usize, usize, usize, usize),
}

fn edge_u32() -> impl Strategy<Value = u32> {
    prop_oneof![
        Just(0u32),
        Just(3),
        Just(4),
        Just(15),
        Just(16),
        Just(20),
        Just(0xffff),
        Just(0x1_0000),
        Just(u32::MAX),
        Just(0x8000_0000),
        (-4096i32..0).prop_map(|e| e as u32),
        any::<u32>(),
    ]
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), 1u8..=255).prop_map(|(p, x)| Mutation::Flip(p, x)),
        (any::<usize>(), edge_u32()).prop_map(|(p, v)| Mutation::SetU16(p, v as u16)),
        (any::<usize>(), edge_u32()).prop_map(|(p, v)| Mutation::SetU32(p, v)),
        any::<usize>().prop_map(Mutation::Truncate),
        (
            any::<usize>(),
            proptest::collection::vec(any::<u8>(), 1..24)
        )
            .prop_map(|(p, b)| Mutation::Insert(p, b)),
        (any::<usize>(), 1usize..64).prop_map(|(p, n)| Mutation::Remove(p, n)),
        (any::<usize>(), any::<usize>(), 1usize..512, any::<usize>())
            .prop_map(|(s, f, n, a)| Mutation::Splice(s, f, n, a)),
    ]
}

fn apply(seed: &[u8], mutations: &[Mutation], seeds: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut b = seed.to_vec();
    for m in mutations {
        let at = |p: usize, len: usize| if len == 0 { 0 } else { p % len };
        match m {
            Mutation::Flip(p, x) if !b.is_empty() => {
                let i = at(*p, b.len());
                b[i] ^= x;
            }
            Mutation::SetU16(p, v) if b.len() >= 2 => {
                let i = at(*p, b.len() - 1);
                b[i..i + 2].copy_from_slice(&v.to_ne_bytes());
            }
            Mutation::SetU32(p, v) if b.len() >= 4 => {
                // Aligned, so it lands on a header field.
                let i = at(*p, b.len() / 4) * 4;
                b[i..i + 4].copy_from_slice(&v.to_ne_bytes());
            }
            Mutation::Truncate(p) => b.truncate(at(*p, b.len() + 1)),
            Mutation::Insert(p, bytes) => {
                let i = at(*p, b.len() + 1);
                b.splice(i..i, bytes.iter().copied());
            }
            Mutation::Remove(p, n) if !b.is_empty() => {
                let i = at(*p, b.len());
                let end = (i + n).min(b.len());
                b.drain(i..end);
            }
            Mutation::Splice(s, f, n, a) => {
                let other = &seeds[s % seeds.len()].1;
                if !other.is_empty() {
                    let from = f % other.len();
                    let part = &other[from..(from + n).min(other.len())];
                    let i = at(*a, b.len() + 1);
                    b.splice(i..i, part.iter().copied());
                }
            }
            _ => {}
        }
    }
    b
}

/// Inputs: a mutated seed of `kind`, or plain random bytes.
fn input(kind: &'static str) -> impl Strategy<Value = Vec<u8>> {
    let seeds = corpus(kind);
    let n = seeds.len();
    prop_oneof![
        8 => (0..n, proptest::collection::vec(mutation(), 0..8))
            .prop_map(move |(i, m)| apply(&seeds[i].1, &m, &seeds)),
        1 => proptest::collection::vec(any::<u8>(), 0..512),
    ]
}

/// Walks attributes and their nests down to `depth`, checking bounds; returns how many.
fn walk_attrs(attrs: AttrIter<'_>, msg_len: usize, depth: u32) -> usize {
    let mut count = 0;
    for attr in attrs {
        let Ok(attr) = attr else { break };
        count += 1;
        assert!(count <= msg_len / 4 + 1, "attribute iterator does not end");
        assert!(attr.offset() + 4 + attr.data().len() <= msg_len);
        let _ = (attr.str(), attr.be32(), attr.u64(), attr.u8(), attr.kind());
        if depth < 16 {
            count += walk_attrs(attr.nested(), msg_len, depth + 1);
        }
    }
    count
}

/// Decodes everything in `buf`; returns the number of messages.
fn decode_all(buf: &[u8]) -> usize {
    let mut messages = 0;
    for msg in MessageIter::new(buf) {
        let Ok(msg) = msg else { break };
        messages += 1;
        assert!(
            messages <= buf.len() / 16 + 1,
            "message iterator does not end"
        );
        assert!(msg.offset() + msg.len() <= buf.len());
        assert!(msg.len() >= 16);
        let attrs = walk_attrs(msg.attrs(4), msg.len(), 0);
        assert!(attrs <= 17 * (msg.len() / 4 + 1), "work bounded by length");
        if let Ok(Some(r)) = reply::parse(&msg) {
            assert!(r.errno >= 0, "errno is positive: {r:?}");
            assert!(matches!(r.msg_type, NLMSG_ERROR | NLMSG_DONE));
            if let Some(text) = r.ext.message {
                assert!(!text.contains('\0'));
            }
        }
        for offset in [0u32, 16, 20, 24, msg.len() as u32 - 4, u32::MAX] {
            let path = attribute_path(msg.bytes(), 4, offset);
            assert!(path.len() <= msg.len() / 4, "path bounded by nesting");
            for w in path.windows(2) {
                assert!(w[0].offset <= w[1].offset);
            }
        }
    }
    messages
}

proptest! {
    #![proptest_config(config(4000))]

    #[test]
    fn decoder_and_reply_parser_never_panic_and_stay_in_bounds(bytes in input("replies")) {
        decode_all(&bytes);
    }

    #[test]
    fn reply_parser_handles_any_error_or_done_payload(
        msg_type in prop_oneof![Just(NLMSG_ERROR), Just(NLMSG_DONE)],
        flags in any::<u16>(),
        payload in proptest::collection::vec(any::<u8>(), 0..200),
        tlvs in proptest::collection::vec(
            (1u16..8, proptest::collection::vec(any::<u8>(), 0..12)),
            0..4,
        ),
        request_len in edge_u32(),
    ) {
        let mut p = payload;
        if p.len() >= 8 {
            p[4..8].copy_from_slice(&request_len.to_ne_bytes());
        }
        for (kind, data) in &tlvs {
            p.extend_from_slice(&((4 + data.len()) as u16).to_ne_bytes());
            p.extend_from_slice(&kind.to_ne_bytes());
            p.extend_from_slice(data);
            p.resize(p.len().next_multiple_of(4), 0);
        }
        let mut m = Vec::new();
        m.extend_from_slice(&((16 + p.len()) as u32).to_ne_bytes());
        m.extend_from_slice(&msg_type.to_ne_bytes());
        m.extend_from_slice(&flags.to_ne_bytes());
        m.extend_from_slice(&[0; 8]);
        m.extend_from_slice(&p);
        prop_assert_eq!(decode_all(&m), 1);
    }
}

/// A transaction like a load's: table, chain, interval set, elements, a rule.
fn sample_transaction() -> Transaction {
    let mut tx = Transaction::new(BatchConfig::default()).unwrap();
    tx.begin(None).unwrap();
    tx.add_table(&Table::new(Family::Inet, "t")).unwrap();
    tx.add_chain(&Chain::filter(Family::Inet, "t", "input", Hook::Input, 0))
        .unwrap();
    let set = Set::new(Family::Inet, "t", "s", KeyType::Ipv4Addr).interval();
    let target = tx.add_set(&set).unwrap();
    let ranges: Vec<_> = (0..300u32)
        .map(|i| nlbatch::addr::V4Range {
            lo: 0x0a00_0000 + i * 16,
            hi: 0x0a00_0000 + i * 16 + 3,
        })
        .collect();
    tx.add_v4_intervals(&target, &ranges).unwrap();
    let set_ref = SetRef::NameAndId("s".into(), target.id.unwrap());
    let rule = Rule::saddr_in_set(Family::Inet, "t", "input", set_ref, false, Verdict::Drop);
    tx.add_rule(&rule).unwrap();
    tx.end().unwrap();
    tx
}

proptest! {
    #![proptest_config(config(2000))]

    #[test]
    fn attribution_of_any_error_offset_never_panics(
        index in 0u32..12,
        offset in prop_oneof![0u32..400, any::<u32>()],
        errno in prop_oneof![Just(libc::EEXIST), Just(libc::ENFILE), Just(libc::ERESTART), 0..200],
        msg_type in any::<u16>(),
    ) {
        thread_local! {
            static TX: Transaction = sample_transaction();
        }
        TX.with(|tx| {
            let batch = tx.batch();
            let bytes = batch.message_bytes(index).unwrap_or(&[]);
            let path = attribute_path(bytes, 4, offset);
            let error = KernelError {
                errno,
                seq: batch.seq_start().wrapping_add(index),
                index,
                msg_type,
                message: None,
                offset: Some(offset),
                path,
                missing_type: None,
            };
            let r = nlbatch::nft::describe(batch, &error);
            assert!(!r.what.is_empty());
            let _ = r.to_string();
            if let Some(key) = &r.key {
                assert!(key.len() <= bytes.len());
            }
        });
    }
}

/// Reads `bytes` as one list, skipping invalid lines or not.
fn read(bytes: &[u8], skip_invalid: bool) -> Result<Entries, ListError> {
    let opts = ReadOptions {
        skip_invalid,
        ..ReadOptions::default()
    };
    let mut e = Entries::default();
    read_list("fuzz.txt", bytes, &opts, &mut e)?;
    Ok(e)
}

proptest! {
    #![proptest_config(config(4000))]

    #[test]
    fn blocklist_reader_never_panics_and_agrees_with_itself(bytes in input("lists")) {
        let lines = bytes.split(|&b| b == b'\n').count() as u64
            - u64::from(bytes.is_empty() || bytes.ends_with(b"\n"));
        let skipped = read(&bytes, true).unwrap();
        prop_assert_eq!(skipped.lines, lines);
        prop_assert!(skipped.invalid.len() <= 10, "kept invalid lines are bounded");
        let entries = (skipped.v4.len() + skipped.v6.len()) as u64;
        prop_assert!(entries + skipped.invalid_count <= lines);
        prop_assert!(skipped.v4.iter().all(|r| r.lo <= r.hi));
        prop_assert!(skipped.v6.iter().all(|r| r.lo <= r.hi));
        for i in 0..skipped.v4.len() {
            let line = skipped.v4_origin(i).unwrap().line;
            prop_assert!(line >= 1 && line <= lines);
        }
        for i in 0..skipped.v6.len() {
            prop_assert!(skipped.v6_origin(i).is_some());
        }
        match read(&bytes, false) {
            Ok(all) => {
                prop_assert_eq!(skipped.invalid_count, 0);
                prop_assert_eq!(all.v4, skipped.v4);
                prop_assert_eq!(all.v6, skipped.v6);
            }
            Err(ListError::Invalid { origin, text, .. }) => {
                prop_assert_eq!(Some(&origin), skipped.invalid.first().map(|i| &i.origin));
                prop_assert!(text.chars().count() <= 83, "excerpt bounded");
            }
            Err(e) => prop_assert!(false, "{}", e),
        }
    }
}

/// What a reply stream says, without port ids: (type, seq, errno, extended-ACK offset and
/// whether it carried a text).
type Summary = Vec<(u16, u32, Option<i32>, Option<u32>, bool)>;

fn summarise(buf: &[u8]) -> Summary {
    MessageIter::new(buf)
        .map(|m| {
            let m = m.expect("a captured reply decodes");
            let r = reply::parse(&m).expect("a captured reply parses");
            (
                m.msg_type(),
                m.seq(),
                r.map(|r| r.errno),
                r.and_then(|r| r.ext.offset),
                r.is_some_and(|r| r.ext.message.is_some()),
            )
        })
        .collect()
}

#[test]
fn corpus_seeds_are_well_formed_replies_of_every_kind() {
    let seeds = corpus("replies");
    let mut errnos = BTreeMap::new();
    for (name, bytes) in &seeds {
        assert!(bytes.len() <= 32 * 1024, "{name}: seeds stay small");
        assert!(decode_all(bytes) > 0, "{name}");
        for (_, _, errno, offset, _) in summarise(bytes) {
            if let Some(e) = errno {
                *errnos.entry(e).or_insert(0) += 1;
                if e != 0 && e != libc::ERESTART && e != libc::EPERM {
                    assert!(offset.is_some() || name.contains("dump"), "{name}: ext ACK");
                }
            }
        }
    }
    for e in [
        0,
        libc::ENOENT,
        libc::EINVAL,
        libc::EEXIST,
        libc::ENFILE,
        libc::ERESTART,
        libc::ERANGE,
    ] {
        assert!(
            errnos.contains_key(&e),
            "no seed carries errno {e}: {errnos:?}"
        );
    }
}

/// Sends `batch` and returns every reply datagram, concatenated, until none comes for 100 ms.
fn exchange(socket: &mut Socket, batch: &mut Batch) -> Vec<u8> {
    socket.send(batch).unwrap();
    let mut out = Vec::new();
    while socket.wait_readable(Duration::from_millis(100)).unwrap() {
        if let Some(d) = socket.recv().unwrap() {
            out.extend_from_slice(d);
        }
    }
    out
}

/// A request batch of one message (`cmd`, `flags`) built by `build`.
fn request(cmd: u16, flags: u16, build: impl FnOnce(&mut nlbatch::message::Message<'_>)) -> Batch {
    let mut batch = Batch::new(BatchConfig::default()).unwrap();
    let mut msg = batch.message(msg_type(cmd), NLM_F_REQUEST | flags).unwrap();
    msg.family_header(&[NFPROTO_INET, 0, 0, 0]).unwrap();
    build(&mut msg);
    msg.finish().unwrap();
    batch
}

/// The same request over a socket without `NETLINK_CAP_ACK`: errors echo the request.
fn exchange_uncapped(batch: &Batch) -> Vec<u8> {
    let bytes = batch.to_vec();
    // SAFETY: plain system calls on a descriptor this function owns and closes; every buffer
    // passed is valid for the length given.
    unsafe {
        let fd = libc::socket(
            libc::AF_NETLINK,
            libc::SOCK_RAW | libc::SOCK_CLOEXEC,
            NETLINK_NETFILTER,
        );
        assert!(fd >= 0);
        let one: i32 = 1;
        let len = std::mem::size_of::<i32>() as libc::socklen_t;
        let opt = libc::NETLINK_EXT_ACK;
        libc::setsockopt(fd, libc::SOL_NETLINK, opt, (&one as *const i32).cast(), len);
        assert_eq!(
            libc::send(fd, bytes.as_ptr().cast(), bytes.len(), 0),
            bytes.len() as isize
        );
        let mut buf = vec![0u8; 65536];
        let n = libc::recv(fd, buf.as_mut_ptr().cast(), buf.len(), 0);
        libc::close(fd);
        assert!(n > 0);
        buf.truncate(n as usize);
        buf
    }
}

/// Reply streams of the scenarios that make every kind of reply nlbatch reads.
fn capture() -> Vec<(&'static str, Vec<u8>)> {
    let mut socket = Socket::open(NETLINK_NETFILTER).unwrap();
    let mut out = Vec::new();
    let mut tx = Transaction::new(BatchConfig::default()).unwrap();
    let target = SetTarget {
        family: Family::Inet,
        table: "t".into(),
        set: "s".into(),
        id: None,
    };

    // A commit with its BATCH_END acknowledged.
    let mut t = sample_transaction();
    out.push(("ack_commit", exchange(&mut socket, t.batch_mut())));

    // Elements into a missing set: ENOENT.
    tx.begin(None).unwrap();
    tx.add_keys(
        &SetTarget {
            set: "missing".into(),
            ..target.clone()
        },
        [&[10, 0, 0, 1][..]],
    )
    .unwrap();
    tx.end().unwrap();
    out.push(("enoent_missing_set", exchange(&mut socket, tx.batch_mut())));

    // A 5-byte key at element 3: EINVAL pointing inside the element list.
    tx.reset();
    tx.begin(None).unwrap();
    let plain = tx
        .add_set(&Set::new(Family::Inet, "t", "plain", KeyType::Ipv4Addr))
        .unwrap();
    tx.add_element_groups(&plain, 0..5u8, |msg, number, &i| {
        let key: &[u8] = if i == 2 {
            &[10, 0, 0, 2, 9]
        } else {
            &[10, 0, 0, i]
        };
        msg.put_nested(&[number, NFTA_SET_ELEM_KEY], NFTA_DATA_VALUE, key)?;
        Ok(1)
    })
    .unwrap();
    tx.end().unwrap();
    out.push(("einval_bad_key", exchange(&mut socket, tx.batch_mut())));

    // An interval overlapping one already in the set: EEXIST.
    tx.reset();
    tx.begin(None).unwrap();
    let overlap = [nlbatch::addr::V4Range {
        lo: 0x0a00_0001,
        hi: 0x0a00_0002,
    }];
    tx.add_v4_intervals(&target, &overlap).unwrap();
    tx.end().unwrap();
    out.push(("eexist_overlap", exchange(&mut socket, tx.batch_mut())));

    // A set of declared size 2 given three elements: ENFILE.
    tx.reset();
    tx.begin(None).unwrap();
    let mut small = Set::new(Family::Inet, "t", "small", KeyType::Ipv4Addr);
    small.size = Some(2);
    let small = tx.add_set(&small).unwrap();
    tx.add_keys(
        &small,
        [[1u8, 1, 1, 1], [2, 2, 2, 2], [3, 3, 3, 3]]
            .iter()
            .map(|k| &k[..]),
    )
    .unwrap();
    tx.end().unwrap();
    out.push(("enfile_full_set", exchange(&mut socket, tx.batch_mut())));

    // A set name of 300 bytes, written by hand: ERANGE from the attribute policy.
    tx.reset();
    tx.begin(None).unwrap();
    let mut msg = tx
        .batch_mut()
        .message(msg_type(NFT_MSG_NEWSET), NLM_F_REQUEST)
        .unwrap();
    msg.family_header(&[NFPROTO_INET, 0, 0, 0]).unwrap();
    msg.put_strz(NFTA_SET_TABLE, "t").unwrap();
    msg.put_strz(NFTA_SET_NAME, &"n".repeat(300)).unwrap();
    msg.finish().unwrap();
    tx.end().unwrap();
    out.push(("erange_long_name", exchange(&mut socket, tx.batch_mut())));

    // A stale generation id: ERESTART on BATCH_BEGIN.
    let mut nft = Nftables::open().unwrap();
    let genid = nft.generation().unwrap();
    let mut other = Transaction::new(BatchConfig::default()).unwrap();
    other.begin(None).unwrap();
    other.add_table(&Table::new(Family::Inet, "other")).unwrap();
    other.end().unwrap();
    nft.commit(&mut other).unwrap();
    tx.reset();
    tx.begin(Some(genid)).unwrap();
    tx.add_table(&Table::new(Family::Inet, "late")).unwrap();
    tx.end().unwrap();
    out.push((
        "erestart_stale_generation",
        exchange(&mut socket, tx.batch_mut()),
    ));

    // Requests and dumps: the generation, one set, all sets, the elements, the rules, and
    // a dump of a table that does not exist.
    let mut b = request(NFT_MSG_GETGEN, 0, |_| {});
    out.push(("getgen", exchange(&mut socket, &mut b)));
    let mut b = request(NFT_MSG_GETSET, 0, |m| {
        m.put_strz(NFTA_SET_TABLE, "t").unwrap();
        m.put_strz(NFTA_SET_NAME, "s").unwrap();
    });
    out.push(("getset", exchange(&mut socket, &mut b)));
    let mut b = request(NFT_MSG_GETSET, NLM_F_DUMP, |_| {});
    out.push(("dump_sets", exchange(&mut socket, &mut b)));
    let mut b = request(NFT_MSG_GETSETELEM, NLM_F_DUMP, |m| {
        m.put_strz(NFTA_SET_ELEM_LIST_TABLE, "t").unwrap();
        m.put_strz(NFTA_SET_ELEM_LIST_SET, "s").unwrap();
    });
    out.push(("dump_elements", exchange(&mut socket, &mut b)));
    let mut b = request(NFT_MSG_GETRULE, NLM_F_DUMP, |m| {
        m.put_strz(NFTA_RULE_TABLE, "t").unwrap();
    });
    out.push(("dump_rules", exchange(&mut socket, &mut b)));
    let mut b = request(NFT_MSG_GETRULE, NLM_F_DUMP, |m| {
        m.put_strz(NFTA_RULE_TABLE, "missing").unwrap();
    });
    out.push(("dump_missing_table", exchange(&mut socket, &mut b)));

    // Without NETLINK_CAP_ACK the error echoes the whole request.
    let b = request(NFT_MSG_GETSET, 0, |m| {
        m.put_strz(NFTA_SET_TABLE, "t").unwrap();
        m.put_strz(NFTA_SET_NAME, "missing").unwrap();
    });
    out.push(("enoent_uncapped_echo", exchange_uncapped(&b)));
    out
}

#[test]
fn corpus_replies_match_what_the_kernel_sends() {
    let captured = common::in_netns("corpus_capture", capture);
    let Some(captured) = captured else { return };
    let write = std::env::var("NLBATCH_WRITE_CORPUS").as_deref() == Ok("1");
    let dir = corpus_dir("replies");
    for (name, bytes) in captured {
        assert!(!bytes.is_empty(), "{name}: the kernel answered");
        let path = dir.join(format!("{name}.bin"));
        if write {
            std::fs::write(&path, &bytes).unwrap();
            continue;
        }
        let stored = std::fs::read(&path).unwrap_or_else(|e| {
            panic!(
                "{}: {e}; write the seeds with NLBATCH_WRITE_CORPUS=1",
                path.display()
            )
        });
        assert_eq!(
            summarise(&stored),
            summarise(&bytes),
            "{name}: the stored seed no longer matches the kernel's reply"
        );
    }
}

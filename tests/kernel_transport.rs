//! The transport under real load: million-element and million-message transactions, errors
//! planted deep inside them, lost replies, socket reuse, and missing privileges.
//!
//! Each test runs in its own private network namespace; `nft` is the independent oracle.
//! Huge sets are checked by looking up a few elements and by the set's declared size (the
//! kernel refuses one element more with `ENFILE`), never by dumping them: a dump of a big set
//! is quadratic in the kernel.

mod common;

use std::collections::BTreeSet;
use std::fs::File;
use std::net::Ipv4Addr;
use std::path::PathBuf;

use nlbatch::arena::ArenaConfig;
use nlbatch::message::{BatchConfig, EncodeError, Message};
use nlbatch::nft::wire::{msg_type, NFTA_DATA_VALUE, NFTA_SET_ELEM_KEY, NFT_MSG_NEWSETELEM};
use nlbatch::nft::Transaction;
use nlbatch::nft::{Family, KeyType, NftError, Nftables, Rejection, Set, SetTarget, Table};
use nlbatch::socket::TransportError;

const MILLION: u32 = 1_000_000;

/// The `i`-th test address: 10.0.0.0 + 7 i, so neighbours differ in more than the last bit.
fn spread(i: u32) -> [u8; 4] {
    (0x0a00_0000 + i * 7).to_be_bytes()
}

fn addr(i: u32) -> String {
    Ipv4Addr::from(spread(i)).to_string()
}

/// One element `{ KEY { VALUE key } }` numbered `number`, with a key of any length.
fn put_element(msg: &mut Message<'_>, number: u16, key: &[u8]) -> Result<(), EncodeError> {
    let elem = msg.begin_nest(number)?;
    let k = msg.begin_nest(NFTA_SET_ELEM_KEY)?;
    msg.put(NFTA_DATA_VALUE, key)?;
    msg.end_nest(k)?;
    msg.end_nest(elem)
}

/// A transaction that begins with table `inet t` and its set `s` of IPv4 addresses (declared
/// size `size`); returns the target for elements, by name only.
fn table_and_set(tx: &mut Transaction, size: Option<u32>) -> SetTarget {
    tx.begin(None).unwrap();
    tx.add_table(&Table::new(Family::Inet, "t")).unwrap();
    let mut set = Set::new(Family::Inet, "t", "s", KeyType::Ipv4Addr);
    set.size = size;
    tx.add_set(&set).unwrap();
    SetTarget::of(&set, None)
}

/// Runs `nft` and returns whether it succeeded, with its standard output and error.
fn nft_status(args: &[&str]) -> (bool, String) {
    let out = std::process::Command::new("nft")
        .args(args)
        .output()
        .expect("run nft");
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    (out.status.success(), text)
}

/// The rejections of a commit that must have been rejected.
fn rejected(result: Result<nlbatch::nft::CommitReport, NftError>) -> Vec<Rejection> {
    match result {
        Err(NftError::Rejected(r)) => r,
        other => panic!("expected NftError::Rejected, got {other:?}"),
    }
}

/// The calling thread's network namespace, held open so it outlives the thread.
fn this_netns() -> File {
    File::open("/proc/thread-self/ns/net").expect("open /proc/thread-self/ns/net")
}

/// Runs `f` in a new thread, spawned by the caller (so with the caller's capabilities), that
/// first joins the network namespace `netns`.
fn in_netns_of<T: Send + 'static>(netns: &File, f: impl FnOnce() -> T + Send + 'static) -> T {
    use std::os::fd::AsRawFd;
    let path = PathBuf::from(format!("/proc/self/fd/{}", netns.as_raw_fd()));
    std::thread::spawn(move || {
        nlbatch::netns::enter_path(&path).expect("join the test's namespace");
        f()
    })
    .join()
    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
}

/// `struct __user_cap_header_struct`.
#[repr(C)]
struct CapHeader {
    version: u32,
    pid: libc::c_int,
}

/// `struct __user_cap_data_struct`; version 3 uses two of them (capabilities 0-31, 32-63).
#[repr(C)]
#[derive(Debug, Clone, Copy, Default)]
struct CapData {
    effective: u32,
    permitted: u32,
    inheritable: u32,
}

const LINUX_CAPABILITY_VERSION_3: u32 = 0x2008_0522;
const CAP_NET_ADMIN: u32 = 12;

fn capget() -> [CapData; 2] {
    let mut header = CapHeader {
        version: LINUX_CAPABILITY_VERSION_3,
        pid: 0,
    };
    let mut data = [CapData::default(); 2];
    // SAFETY: `header` and the two `data` entries are valid for the kernel to read and write,
    // as version 3 of the interface requires.
    let rc = unsafe {
        libc::syscall(
            libc::SYS_capget,
            &mut header as *mut CapHeader,
            data.as_mut_ptr(),
        )
    };
    assert_eq!(rc, 0, "capget: {}", std::io::Error::last_os_error());
    data
}

/// Removes `CAP_NET_ADMIN` from the effective and permitted sets of the calling thread only.
///
/// Linux keeps credentials per thread and `capset` with pid 0 changes the caller's, so the
/// test's own thread (made by `common::in_netns`, gone when the test ends) loses the
/// capability while the harness and the other tests keep it: no child process is needed.
/// Threads spawned from this thread inherit the reduced set; the root user regains it across
/// `execve` (as a program such as `nft` started from here would), which is why emptiness is
/// checked from a thread spawned by the harness's thread instead (see [`in_netns_of`]).
fn drop_net_admin() {
    let mut data = capget();
    data[0].effective &= !(1 << CAP_NET_ADMIN);
    data[0].permitted &= !(1 << CAP_NET_ADMIN);
    let mut header = CapHeader {
        version: LINUX_CAPABILITY_VERSION_3,
        pid: 0,
    };
    // SAFETY: `header` and the two `data` entries are valid for the kernel to read.
    let rc = unsafe {
        libc::syscall(
            libc::SYS_capset,
            &mut header as *mut CapHeader,
            data.as_ptr(),
        )
    };
    assert_eq!(rc, 0, "capset: {}", std::io::Error::last_os_error());
    let now = capget();
    assert_eq!(
        now[0].effective & (1 << CAP_NET_ADMIN),
        0,
        "CAP_NET_ADMIN still effective"
    );
}

#[test]
fn million_elements_commit_in_one_transaction_and_nft_finds_them() {
    common::in_netns("million_elements", || {
        let mut nft = Nftables::open().unwrap();
        let mut tx = Transaction::new(Default::default()).unwrap();
        // Size exactly the load: a hint that picks a fixed-size hash and makes the kernel
        // fast, and a hard limit that turns "one more element" into a count check below.
        let target = table_and_set(&mut tx, Some(MILLION));
        let keys: Vec<[u8; 4]> = (0..MILLION).map(spread).collect();
        let stats = tx.add_keys(&target, keys.iter().map(|k| &k[..])).unwrap();
        assert_eq!(stats.elements, u64::from(MILLION));
        assert_eq!(
            stats.messages,
            MILLION.div_ceil(4095),
            "4095 IPv4 elements per message"
        );
        tx.end().unwrap();

        let report = nft.commit(&mut tx).unwrap();
        assert!(report.confirmed, "Linux 6.10+ acknowledges BATCH_END");
        assert_eq!(report.send.bytes, tx.batch().len());
        assert_eq!(report.send.iovecs, tx.batch().page_count());

        // Membership, element by element and without a dump: a dry run (`-c`: validated by
        // the kernel, then aborted) deleting elements succeeds only if each is in the set.
        // (`nft get element` would do, but nft 1.0.6 first fetches the whole set: 20 s here.)
        let present = format!(
            "{{ {}, {}, {} }}",
            addr(0),
            addr(MILLION / 2),
            addr(MILLION - 1)
        );
        let (ok, text) = nft_status(&["-c", "delete", "element", "inet", "t", "s", &present]);
        assert!(ok, "{present} should all be in the set: {text}");
        for absent in ["10.0.0.1".to_string(), addr(MILLION)] {
            let elements = format!("{{ {}, {absent} }}", addr(1));
            let (ok, text) = nft_status(&["-c", "delete", "element", "inet", "t", "s", &elements]);
            assert!(!ok, "{absent} was never added, yet nft found it: {text}");
            assert!(
                text.contains("No such file or directory"),
                "ENOENT expected: {text}"
            );
        }

        // The count, without a dump: the set is declared `size 1000000`, so a dry run adding
        // one new element is refused as full (ENFILE) exactly when it holds a million, while
        // re-adding an existing element is still accepted.
        let (ok, text) = nft_status(&["-c", "add", "element", "inet", "t", "s", "{ 10.0.0.1 }"]);
        assert!(!ok, "the set should be full at a million elements: {text}");
        assert!(
            text.contains("Too many open files"),
            "ENFILE expected: {text}"
        );
        let (ok, text) = nft_status(&[
            "-c",
            "add",
            "element",
            "inet",
            "t",
            "s",
            &format!("{{ {} }}", addr(7)),
        ]);
        assert!(
            ok,
            "re-adding an element of a full set is no growth: {text}"
        );
    });
}

#[test]
fn a_transaction_cannot_be_split_and_leaves_as_one_datagram() {
    common::in_netns("one_datagram", || {
        let mut nft = Nftables::open().unwrap();
        // Small pages, so that the transaction spans several of them.
        let config = BatchConfig {
            arena: ArenaConfig::with_page_size(4096),
            ..Default::default()
        };
        let mut tx = Transaction::new(config).unwrap();
        let target = table_and_set(&mut tx, None);
        assert!(
            matches!(tx.begin(None), Err(NftError::Closed)),
            "begin twice must fail"
        );
        let keys: Vec<[u8; 4]> = (0..20_000).map(spread).collect();
        tx.add_keys(&target, keys.iter().map(|k| &k[..])).unwrap();

        let sent_before = tx.batch().len();
        assert!(
            matches!(nft.commit(&mut tx), Err(NftError::Closed)),
            "open: no commit"
        );
        assert_eq!(
            tx.batch().len(),
            sent_before,
            "a refused commit leaves the batch as it is"
        );
        assert_eq!(common::ruleset(), "", "a refused commit sends nothing");

        tx.end().unwrap();
        assert!(
            matches!(tx.end(), Err(NftError::Closed)),
            "end twice must fail"
        );
        assert!(
            matches!(tx.begin(None), Err(NftError::Closed)),
            "begin after end must fail"
        );
        assert!(
            tx.batch().page_count() > 1,
            "the test needs a multi-page transaction"
        );

        let report = nft.commit(&mut tx).unwrap();
        assert!(report.confirmed);
        assert_eq!(
            report.send.iovecs,
            tx.batch().page_count(),
            "one iovec per page"
        );
        assert_eq!(
            report.send.bytes,
            tx.batch().len(),
            "every byte in one sendmsg"
        );
        // Had the pages left as separate datagrams, the first would lack BATCH_END (a silent
        // abort) and the rest BATCH_BEGIN (EINVAL each): the last element proves otherwise.
        let last = format!("{{ {}, {} }}", addr(0), addr(19_999));
        let out = common::nft(&["get", "element", "inet", "t", "s", &last]);
        assert!(out.contains(&addr(19_999)), "{out}");
    });
}

#[test]
fn bad_key_at_message_500000_of_a_million_is_named_and_nothing_is_committed() {
    common::in_netns("million_messages", || {
        let mut nft = Nftables::open().unwrap();
        let mut tx = Transaction::new(Default::default()).unwrap();
        let target = table_and_set(&mut tx, Some(2 * MILLION));
        let first = tx.batch().message_count();
        let bad = first + 500_000;
        let mut bad_seq = None;
        // One element per NEWSETELEM message; the one at index `bad` has a 5-byte key.
        for i in 0..MILLION - first - 1 {
            tx.add_element_groups(&target, [i], |msg, number, &i| {
                if msg.index() == bad {
                    bad_seq = Some(msg.seq());
                    put_element(msg, number, &[10, 0, 8, 0, 0x55])?;
                } else {
                    put_element(msg, number, &spread(i))?;
                }
                Ok(1)
            })
            .unwrap();
        }
        tx.end().unwrap();
        assert_eq!(tx.batch().message_count(), MILLION);

        let rejections = rejected(nft.commit(&mut tx));
        assert_eq!(
            rejections.len(),
            1,
            "only the bad message fails: {rejections:?}"
        );
        let r = &rejections[0];
        assert_eq!(r.error.index, bad);
        assert_eq!(Some(r.error.seq), bad_seq);
        assert_eq!(r.error.errno, libc::EINVAL, "{r}");
        assert_eq!(r.error.msg_type, msg_type(NFT_MSG_NEWSETELEM));
        assert_eq!(r.key.as_deref(), Some(&[10, 0, 8, 0, 0x55][..]), "{r}");
        assert!(
            r.what.starts_with(&format!("NEWSETELEM #{bad} ")),
            "{}",
            r.what
        );
        assert!(r.what.contains("[set t s]"), "{}", r.what);
        assert!(
            r.what.contains("element 1 of the list, key 0a00080055"),
            "{}",
            r.what
        );
        assert_eq!(
            common::ruleset(),
            "",
            "an aborted transaction leaves nothing"
        );
    });
}

#[test]
fn bad_key_at_element_2048_of_a_full_message_is_named_and_nothing_is_committed() {
    common::in_netns("element_2048", || {
        let mut nft = Nftables::open().unwrap();
        let mut tx = Transaction::new(Default::default()).unwrap();
        let target = table_and_set(&mut tx, None);
        let index = tx.batch().message_count();
        // 4095 elements fill one message (4 + 4094 * 16 + 20 bytes of list); the 2048th, at
        // position 2047, has a 5-byte key.
        let stats = tx
            .add_element_groups(&target, 0..4095u32, |msg, number, &i| {
                assert_eq!(u32::from(number), i + 1, "elements are numbered from 1");
                match i {
                    2047 => put_element(msg, number, &[10, 0, 8, 0, 0x55])?,
                    _ => put_element(msg, number, &spread(i))?,
                }
                Ok(1)
            })
            .unwrap();
        assert_eq!(
            stats.messages, 1,
            "the test needs all elements in one message"
        );
        tx.end().unwrap();

        let rejections = rejected(nft.commit(&mut tx));
        assert_eq!(rejections.len(), 1, "{rejections:?}");
        let r = &rejections[0];
        assert_eq!(r.error.index, index);
        assert_eq!(r.error.errno, libc::EINVAL, "{r}");
        let step = r.error.path.get(1).copied();
        assert_eq!(
            step.map(|s| s.position),
            Some(2047),
            "path {:?}",
            r.error.path
        );
        assert_eq!(
            r.error.offset,
            step.map(|s| s.offset),
            "the offset names the element"
        );
        assert!(
            r.what.contains("element 2048 of the list, key 0a00080055"),
            "{}",
            r.what
        );
        assert_eq!(r.key.as_deref(), Some(&[10, 0, 8, 0, 0x55][..]));
        assert_eq!(
            common::ruleset(),
            "",
            "an aborted transaction leaves nothing"
        );
    });
}

#[test]
fn thousands_of_errors_into_a_small_receive_buffer_are_lost_replies_never_success() {
    common::in_netns("replies_lost", || {
        let mut nft = Nftables::open().unwrap();
        // Commit would raise the buffer to 1 KiB per message; capped, it stays at the
        // kernel's default (rmem_default), room for a few hundred errors.
        nft.set_recv_buffer_limit(Some(4096));
        let mut tx = Transaction::new(Default::default()).unwrap();
        let target = table_and_set(&mut tx, None);
        let missing = SetTarget {
            set: "missing".into(),
            ..target.clone()
        };
        let first = tx.batch().message_count();
        const FAILING: u32 = 5000;
        for i in 0..FAILING {
            tx.add_keys(&missing, [&spread(i)[..]]).unwrap();
        }
        tx.end().unwrap();

        let buffer = nft.socket().recv_buffer().unwrap();
        let result = nft.commit(&mut tx);
        assert_eq!(
            nft.socket().recv_buffer().unwrap(),
            buffer,
            "the cap kept the buffer"
        );
        let Err(NftError::RepliesLost { errors, committed }) = result else {
            panic!("{FAILING} errors into a {buffer}-byte buffer must be lost: {result:?}");
        };
        assert!(!committed);
        assert!(
            !errors.is_empty() && errors.len() < FAILING as usize,
            "{}",
            errors.len()
        );
        // The queue keeps the first errors in order and drops the rest.
        for (k, r) in errors.iter().enumerate() {
            assert_eq!(r.error.errno, libc::ENOENT, "{r}");
            assert_eq!(r.error.index, first + k as u32, "{r}");
        }
        assert_eq!(
            common::ruleset(),
            "",
            "an aborted transaction leaves nothing"
        );

        // The socket recovers: the next transaction sees only its own replies.
        nft.set_recv_buffer_limit(None);
        tx.reset();
        let target = table_and_set(&mut tx, None);
        tx.add_keys(&target, [&spread(1)[..]]).unwrap();
        tx.end().unwrap();
        let report = nft.commit(&mut tx).unwrap();
        assert!(report.confirmed);
        assert_eq!(report.stale, 0);
        eprintln!(
            "replies_lost: {} of {FAILING} errors arrived in {buffer} bytes",
            errors.len()
        );
    });
}

#[test]
fn one_socket_for_a_thousand_transactions_never_mixes_replies() {
    common::in_netns("socket_reuse", || {
        let mut nft = Nftables::open().unwrap();
        let mut tx = Transaction::new(Default::default()).unwrap();
        let target = table_and_set(&mut tx, None);
        tx.end().unwrap();
        nft.commit(&mut tx).unwrap();
        let missing = SetTarget {
            set: "missing".into(),
            ..target.clone()
        };

        let mut expected = BTreeSet::new();
        for i in 0..1000u32 {
            tx.reset();
            tx.begin(None).unwrap();
            let mut keys = Vec::new();
            // 0 to 2 good messages, then maybe the bad one, then one more good message.
            for j in 0..i % 3 {
                keys.push(spread(i * 4 + j));
                tx.add_keys(&target, [&spread(i * 4 + j)[..]]).unwrap();
            }
            let fails = i % 7 == 0;
            let bad = tx.batch().message_count();
            let bad_seq = tx.batch().next_seq();
            if fails {
                tx.add_keys(&missing, [&spread(i * 4 + 3)[..]]).unwrap();
            }
            keys.push(spread(i * 4 + 3));
            tx.add_keys(&target, [&spread(i * 4 + 3)[..]]).unwrap();
            tx.end().unwrap();

            match nft.commit(&mut tx) {
                Ok(report) => {
                    assert!(!fails, "transaction {i} should have failed");
                    assert!(report.confirmed, "transaction {i}");
                    assert_eq!(report.stale, 0, "transaction {i} saw another batch's reply");
                    expected.extend(keys.iter().map(|k| Ipv4Addr::from(*k)));
                }
                Err(NftError::Rejected(r)) => {
                    assert!(fails, "transaction {i} should have succeeded: {r:?}");
                    assert_eq!(r.len(), 1, "transaction {i}: {r:?}");
                    assert_eq!(
                        (r[0].error.index, r[0].error.seq),
                        (bad, bad_seq),
                        "{}",
                        r[0]
                    );
                    assert_eq!(r[0].error.errno, libc::ENOENT, "{}", r[0]);
                    assert!(r[0].what.contains("[set t missing]"), "{}", r[0].what);
                }
                Err(e) => panic!("transaction {i}: {e}"),
            }
        }

        let listed = common::nft(&["list", "set", "inet", "t", "s"]);
        let found: BTreeSet<Ipv4Addr> = listed
            .split(|c: char| c.is_whitespace() || c == ',' || c == '{' || c == '}')
            .filter_map(|word| word.parse().ok())
            .collect();
        assert_eq!(found.len(), expected.len());
        assert!(
            found == expected,
            "the set holds exactly the successful transactions' keys"
        );
    });
}

#[test]
fn without_cap_net_admin_a_commit_fails_at_once_with_eperm() {
    let netns = common::in_netns("no_cap_net_admin", || {
        let netns = this_netns();
        drop_net_admin();
        let mut nft = Nftables::open().unwrap();
        let mut tx = Transaction::new(Default::default()).unwrap();
        let target = table_and_set(&mut tx, None);
        tx.add_keys(&target, [&spread(0)[..]]).unwrap();
        tx.end().unwrap();

        // The kernel answers the whole datagram with one EPERM on its first message; the
        // drain never waits for more, so this returns.
        let rejections = rejected(nft.commit(&mut tx));
        assert_eq!(rejections.len(), 1, "{rejections:?}");
        let r = &rejections[0];
        assert_eq!(r.error.errno, libc::EPERM, "{r}");
        assert_eq!(r.error.index, 0, "reported on BATCH_BEGIN: {r}");
        assert_eq!(r.error.seq, tx.begin_seq());
        assert!(r.what.starts_with("the transaction"), "{}", r.what);
        assert!(r.to_string().contains("Operation not permitted"), "{r}");
        netns
    });
    if let Some(netns) = netns {
        assert_eq!(
            in_netns_of(&netns, common::ruleset),
            "",
            "nothing was committed"
        );
    }
}

#[test]
fn a_batch_larger_than_the_unraisable_send_buffer_is_refused_before_sending() {
    let netns = common::in_netns("send_buffer_too_small", || {
        let wmem_max: usize = std::fs::read_to_string("/proc/sys/net/core/wmem_max")
            .unwrap()
            .trim()
            .parse()
            .unwrap();
        let netns = this_netns();
        drop_net_admin();
        let mut nft = Nftables::open().unwrap();

        // Without CAP_NET_ADMIN the send buffer stops at twice wmem_max: go past it.
        let mut tx = Transaction::new(Default::default()).unwrap();
        let target = table_and_set(&mut tx, None);
        let mut next = 0u32;
        while tx.batch().len() <= 2 * wmem_max + 64 * 1024 {
            let keys: Vec<[u8; 4]> = (next..next + 100_000).map(spread).collect();
            tx.add_keys(&target, keys.iter().map(|k| &k[..])).unwrap();
            next += 100_000;
        }
        tx.end().unwrap();
        let size = tx.batch().len();

        let error = match nft.commit(&mut tx) {
            Err(NftError::Transport(e @ TransportError::SendBufferTooSmall { .. })) => e,
            other => panic!("expected SendBufferTooSmall for {size} bytes, got {other:?}"),
        };
        let TransportError::SendBufferTooSmall {
            size: told,
            limit,
            wmem_max: read,
            ..
        } = &error
        else {
            unreachable!()
        };
        assert_eq!(*told, size);
        assert!(*limit < size && *limit <= 2 * wmem_max, "limit {limit}");
        assert_eq!(*read, wmem_max);
        let text = error.to_string();
        assert!(text.contains(&size.to_string()), "{text}");
        assert!(text.contains("wmem_max"), "{text}");
        assert!(text.contains(&format!("wmem_max = {wmem_max}")), "{text}");
        eprintln!("send_buffer_too_small: {next} elements, {text}");
        netns
    });
    if let Some(netns) = netns {
        assert_eq!(in_netns_of(&netns, common::ruleset), "", "nothing was sent");
    }
}

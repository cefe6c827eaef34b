//! A warm batch encodes without touching the global allocator: 1M set elements through raw
//! `Message` calls, and a transaction of 10k typed rules (`Transaction::add_rule`, validation
//! included), 10k set keys (`Transaction::add_keys`) and 10k ranges
//! (`Transaction::add_v4_intervals`, as `nlbatch load` writes them).
//!
//! A counting allocator wraps the system one. This test binary holds this one test only, so no
//! other test thread allocates while it counts; the harness's own allocations happen before
//! the test starts or after it returns, outside the counted stretch.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicU64, Ordering};

use std::net::{IpAddr, Ipv4Addr};

use nlbatch::addr::V4Range;
use nlbatch::message::{Batch, BatchConfig, Message, NLA_MAX_LEN, NLM_F_CREATE, NLM_F_REQUEST};
use nlbatch::nft::{Family, KeyType, Rule, Set, SetTarget, Transaction, Verdict};

/// The system allocator, counting every call that can hand out new memory.
struct Counting;

/// Calls to `alloc`, `alloc_zeroed` and `realloc` so far.
static ALLOCATIONS: AtomicU64 = AtomicU64::new(0);

// SAFETY: every method forwards to `System` with the caller's arguments unchanged, so the
// contract `System` fulfils is the one required here; the counter has no effect on memory.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: forwarded as received (see the impl).
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: forwarded as received (see the impl).
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: forwarded as received (see the impl).
        unsafe { System.realloc(ptr, layout, new_size) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: forwarded as received (see the impl).
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// `NFNL_MSG_BATCH_BEGIN`.
const NFNL_MSG_BATCH_BEGIN: u16 = 0x10;
/// `NFNL_MSG_BATCH_END`.
const NFNL_MSG_BATCH_END: u16 = 0x11;
/// `NFNL_SUBSYS_NFTABLES << 8 | NFT_MSG_NEWSETELEM`.
const NEWSETELEM: u16 = 0x0a0c;
/// nfgenmsg of the batch messages: `AF_UNSPEC`, version 0, `res_id` = big-endian 10.
const BATCH_NFGENMSG: [u8; 4] = [0, 0, 0, 10];
/// nfgenmsg of the body: `NFPROTO_INET`, version 0, `res_id` 0.
const INET_NFGENMSG: [u8; 4] = [1, 0, 0, 0];
/// `NFTA_SET_ELEM_LIST_TABLE`: table name.
const LIST_TABLE: u16 = 1;
/// `NFTA_SET_ELEM_LIST_SET`: set name.
const LIST_SET: u16 = 2;
/// `NFTA_SET_ELEM_LIST_ELEMENTS`: nest of elements.
const LIST_ELEMENTS: u16 = 3;
/// `NFTA_LIST_ELEM`: one element.
const LIST_ELEM: u16 = 1;
/// `NFTA_SET_ELEM_KEY`: nest holding the key.
const ELEM_KEY: u16 = 1;
/// `NFTA_DATA_VALUE`: the key's bytes, an IPv4 address in network order.
const DATA_VALUE: u16 = 1;

/// Elements in the batch.
const ELEMENTS: u32 = 1_000_000;
/// Most plain IPv4 elements (16 bytes each) that one 16-bit `ELEMENTS` nest holds.
const MAX_PER_MESSAGE: usize = 4095;

/// Starts a NEWSETELEM message for set `s` of table `t` and opens its element list.
fn start_list(batch: &mut Batch) -> (Message<'_>, nlbatch::message::Nest) {
    let mut m = batch
        .message(NEWSETELEM, NLM_F_REQUEST | NLM_F_CREATE)
        .unwrap();
    m.family_header(&INET_NFGENMSG).unwrap();
    m.put_strz(LIST_TABLE, "t").unwrap();
    m.put_strz(LIST_SET, "s").unwrap();
    let list = m.begin_nest(LIST_ELEMENTS).unwrap();
    (m, list)
}

/// Writes one `BATCH_BEGIN` or `BATCH_END` message.
fn marker(batch: &mut Batch, msg_type: u16) {
    let mut m = batch.message(msg_type, NLM_F_REQUEST).unwrap();
    m.family_header(&BATCH_NFGENMSG).unwrap();
    m.finish().unwrap();
}

/// Encodes the whole transaction: 10.0.0.0 onwards, split into messages whose element list
/// stays within `nla_len`. Returns the element count of each NEWSETELEM message.
fn encode(batch: &mut Batch, per_message: &mut Vec<usize>) {
    per_message.clear();
    marker(batch, NFNL_MSG_BATCH_BEGIN);
    let (mut m, mut list) = start_list(batch);
    let mut in_list = 0;
    for i in 0..ELEMENTS {
        let addr = (0x0a00_0000 + i).to_be_bytes();
        let mark = m.mark();
        let elem = m.begin_nest(LIST_ELEM).unwrap();
        let key = m.begin_nest(ELEM_KEY).unwrap();
        m.put(DATA_VALUE, &addr).unwrap();
        m.end_nest(key).unwrap();
        m.end_nest(elem).unwrap();
        if m.nest_len(&list) > NLA_MAX_LEN {
            // The list is full: take this element back, close the message, start another.
            m.rollback(mark);
            m.end_nest(list).unwrap();
            m.finish().unwrap();
            per_message.push(in_list);
            (m, list) = start_list(batch);
            let elem = m.begin_nest(LIST_ELEM).unwrap();
            let key = m.begin_nest(ELEM_KEY).unwrap();
            m.put(DATA_VALUE, &addr).unwrap();
            m.end_nest(key).unwrap();
            m.end_nest(elem).unwrap();
            in_list = 0;
        }
        in_list += 1;
    }
    m.end_nest(list).unwrap();
    m.finish().unwrap();
    per_message.push(in_list);
    marker(batch, NFNL_MSG_BATCH_END);
}

/// Typed rules in a batch of the typed path.
const RULES: u32 = 10_000;

/// The typed path: a transaction of `rules` (built beforehand) through
/// `Transaction::add_rule` and the same addresses as set keys through `Transaction::add_keys`.
fn encode_typed(
    tx: &mut Transaction,
    rules: &[Rule],
    keys: &[[u8; 4]],
    ranges: &[V4Range],
    target: &SetTarget,
) {
    tx.reset();
    // The same seq numbers each time, so that the batches can be compared byte for byte.
    tx.batch_mut().reset_with_seq(1);
    tx.begin(None).unwrap();
    for rule in rules {
        tx.add_rule(rule).unwrap();
    }
    tx.add_keys(target, keys.iter().map(|k| &k[..])).unwrap();
    tx.add_v4_intervals(target, ranges).unwrap();
    tx.end().unwrap();
}

/// Allocations of the third of three identical typed transactions, with validation.
fn typed_third_batch_allocations() -> u64 {
    let rules: Vec<Rule> = (0..RULES)
        .map(|i| {
            Rule::new(Family::Inet, "t", "c")
                .saddr(IpAddr::V4(Ipv4Addr::from(0x0a00_0000 + i)))
                .counter()
                .verdict(Verdict::Drop)
        })
        .collect();
    let keys: Vec<[u8; 4]> = (0..RULES)
        .map(|i| (0x0a00_0000 + i).to_be_bytes())
        .collect();
    let ranges: Vec<V4Range> = (0..RULES)
        .map(|i| V4Range {
            lo: 0x0b00_0000 + 4 * i,
            hi: 0x0b00_0000 + 4 * i + 1,
        })
        .collect();
    // Built once: a `SetTarget` owns copies of the names.
    let set = Set::new(Family::Inet, "t", "s", KeyType::Ipv4Addr);
    let target = SetTarget::of(&set, None);
    let mut tx = Transaction::new(BatchConfig::default()).unwrap();
    encode_typed(&mut tx, &rules, &keys, &ranges, &target);
    let first = tx.batch().to_vec();
    encode_typed(&mut tx, &rules, &keys, &ranges, &target);
    let before = ALLOCATIONS.load(Ordering::Relaxed);
    encode_typed(&mut tx, &rules, &keys, &ranges, &target);
    let allocations = ALLOCATIONS.load(Ordering::Relaxed) - before;
    let key_lists = (RULES as usize).div_ceil(MAX_PER_MESSAGE) as u32;
    assert!(tx.batch().message_count() > 1 + RULES + key_lists + 1);
    assert!(
        tx.batch().to_vec() == first,
        "the third typed batch differs"
    );
    allocations
}

#[test]
fn third_batch_allocates_nothing() {
    // Both paths in one test, one after the other: nothing else allocates while they count.
    let typed = typed_third_batch_allocations();
    eprintln!("third typed batch: {typed} allocations");
    assert_eq!(typed, 0, "the typed path allocated in a warm batch");

    let mut batch = Batch::new(BatchConfig::default()).unwrap();
    let page_size = batch.arena().config().page_size;
    let mut per_message = Vec::with_capacity(1024);

    encode(&mut batch, &mut per_message);
    assert!(!batch.iovecs().is_empty());
    let first = batch.to_vec();
    let seq_start = batch.seq_start();
    let messages = batch.message_count();
    let expected_lists = (ELEMENTS as usize).div_ceil(MAX_PER_MESSAGE);
    assert_eq!(per_message.len(), expected_lists);
    assert!(per_message.iter().all(|&n| n <= MAX_PER_MESSAGE));
    assert_eq!(
        per_message[..expected_lists - 1],
        vec![MAX_PER_MESSAGE; expected_lists - 1][..]
    );
    assert_eq!(per_message.iter().sum::<usize>(), ELEMENTS as usize);
    assert_eq!(messages as usize, expected_lists + 2);

    batch.reset_with_seq(seq_start);
    encode(&mut batch, &mut per_message);
    assert!(!batch.iovecs().is_empty());

    let before = ALLOCATIONS.load(Ordering::Relaxed);
    batch.reset_with_seq(seq_start);
    encode(&mut batch, &mut per_message);
    let iovecs = batch.iovecs().len();
    let allocations = ALLOCATIONS.load(Ordering::Relaxed) - before;

    let encoded = batch.len();
    let allocated = batch.arena().allocated_bytes();
    eprintln!(
        "third batch: {allocations} allocations, {encoded} bytes encoded in {messages} \
         messages and {iovecs} iovecs of {page_size}-byte pages, {allocated} bytes held by \
         the arena"
    );
    assert_eq!(allocations, 0);
    assert_eq!(batch.message_count(), messages);
    assert_eq!(iovecs, batch.page_count());
    assert!(
        batch.to_vec() == first,
        "the third batch differs from the first"
    );

    // After a batch that grew it, the arena keeps one chunk holding that batch's pages plus
    // one page; with pages much larger than the largest message (a full element list is
    // 65,560 bytes), the pages' unused tails stay under one page in all.
    assert!(
        allocated <= encoded + 2 * page_size,
        "{allocated} bytes held for {encoded} encoded bytes with {page_size}-byte pages"
    );
}

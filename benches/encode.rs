//! Encoding speed: nlbatch's pages against a plain encoder into one growing `Vec<u8>`.
//!
//! Two nftables workloads, each one whole transaction (`BATCH_BEGIN` ... `BATCH_END`):
//!
//! - 1,000,000 IPv4 set elements (16 bytes each) in NEWSETELEM messages of at most 4,095;
//! - 100,000 rules shaped like nft's `ip saddr 10.0.0.1 counter drop` in an inet table
//!   (284 bytes and 39 attributes each; the address differs per rule).
//!
//! nlbatch reuses one [`Batch`] across iterations (`reset_with_seq`), at page sizes from 4 KiB
//! to 4 MiB. The plain encoder starts a new `Vec` per transaction and appends every field with
//! `extend_from_slice`, as most netlink libraries do. Both produce the same bytes, checked once
//! before timing.
//!
//! Run with `cargo bench --bench encode`. The encoders live in [`shapes`], which depends on
//! nothing but nlbatch, so it can be copied into a small binary to count instructions with
//! `valgrind --tool=callgrind`.

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use nlbatch::arena::ArenaConfig;
use nlbatch::message::{Batch, BatchConfig};

/// The two workloads, encoded by nlbatch and by a plain `Vec` encoder.
pub mod shapes {
    use nlbatch::message::{
        Batch, EncodeError, Message, NLA_F_NESTED, NLM_F_APPEND, NLM_F_CREATE, NLM_F_REQUEST,
    };

    /// `NFNL_MSG_BATCH_BEGIN`.
    pub const BATCH_BEGIN: u16 = 0x10;
    /// `NFNL_MSG_BATCH_END`.
    pub const BATCH_END: u16 = 0x11;
    /// `NFNL_SUBSYS_NFTABLES << 8 | NFT_MSG_NEWSETELEM`.
    pub const NEWSETELEM: u16 = 0x0a0c;
    /// `NFNL_SUBSYS_NFTABLES << 8 | NFT_MSG_NEWRULE`.
    pub const NEWRULE: u16 = 0x0a06;
    /// nfgenmsg of the batch messages: `AF_UNSPEC`, version 0, `res_id` = big-endian 10.
    pub const BATCH_NFGENMSG: [u8; 4] = [0, 0, 0, 10];
    /// nfgenmsg of the body: `NFPROTO_INET`, version 0, `res_id` 0.
    pub const INET_NFGENMSG: [u8; 4] = [1, 0, 0, 0];
    /// Most plain IPv4 elements (16 bytes each) one 16-bit element list holds.
    pub const ELEMENTS_PER_MESSAGE: u32 = 4095;
    /// First address of both workloads: 10.0.0.1.
    pub const FIRST_ADDR: u32 = 0x0a00_0001;

    /// `NFTA_SET_ELEM_LIST_TABLE` / `NFTA_RULE_TABLE`.
    const TABLE: u16 = 1;
    /// `NFTA_SET_ELEM_LIST_SET` / `NFTA_RULE_CHAIN`.
    const SET_OR_CHAIN: u16 = 2;
    /// `NFTA_SET_ELEM_LIST_ELEMENTS`.
    const LIST_ELEMENTS: u16 = 3;
    /// `NFTA_RULE_EXPRESSIONS`.
    const RULE_EXPRESSIONS: u16 = 4;
    /// `NFTA_LIST_ELEM`.
    const LIST_ELEM: u16 = 1;
    /// `NFTA_SET_ELEM_KEY`.
    const ELEM_KEY: u16 = 1;
    /// `NFTA_DATA_VALUE`.
    const DATA_VALUE: u16 = 1;
    /// `NFTA_DATA_VERDICT`.
    const DATA_VERDICT: u16 = 2;
    /// `NFTA_VERDICT_CODE`: big-endian verdict, here `NF_DROP` (0).
    const VERDICT_CODE: u16 = 1;
    /// `NFTA_EXPR_NAME`.
    const EXPR_NAME: u16 = 1;
    /// `NFTA_EXPR_DATA`.
    const EXPR_DATA: u16 = 2;
    /// `NFT_META_NFPROTO`: the meta key for the packet's family.
    const META_NFPROTO: u32 = 15;
    /// `NFPROTO_IPV4`.
    const NFPROTO_IPV4: u8 = 2;
    /// `NFT_PAYLOAD_NETWORK_HEADER`.
    const NETWORK_HEADER: u32 = 1;
    /// `NFT_REG_VERDICT`.
    const REG_VERDICT: u32 = 0;
    /// `NFT_REG_1`.
    const REG_1: u32 = 1;
    /// `NFT_CMP_EQ`.
    const CMP_EQ: u32 = 0;

    /// Writes `BATCH_BEGIN` or `BATCH_END`.
    pub fn marker(batch: &mut Batch, msg_type: u16) -> Result<u32, EncodeError> {
        let mut m = batch.message(msg_type, NLM_F_REQUEST)?;
        m.family_header(&BATCH_NFGENMSG)?;
        m.finish()
    }

    /// One transaction adding `count` addresses from [`FIRST_ADDR`] to set `s` of table `t`.
    pub fn elements_batch(batch: &mut Batch, count: u32) -> Result<(), EncodeError> {
        marker(batch, BATCH_BEGIN)?;
        let mut next = 0;
        while next < count {
            let n = (count - next).min(ELEMENTS_PER_MESSAGE);
            // A full element list is about 64 KiB: start it on a page with that much room.
            let flags = NLM_F_REQUEST | NLM_F_CREATE;
            let mut m = batch.message_sized(NEWSETELEM, flags, 16 * n as usize + 64)?;
            m.family_header(&INET_NFGENMSG)?;
            m.put_strz(TABLE, "t")?;
            m.put_strz(SET_OR_CHAIN, "s")?;
            let list = m.begin_nest(LIST_ELEMENTS)?;
            for i in next..next + n {
                // element { KEY { VALUE } } in one reservation
                let key = (FIRST_ADDR + i).to_be_bytes();
                m.put_nested(&[LIST_ELEM, ELEM_KEY], DATA_VALUE, &key)?;
            }
            m.end_nest(list)?;
            m.finish()?;
            next += n;
        }
        marker(batch, BATCH_END)?;
        Ok(())
    }

    /// Opens an expression of the rule: a list element with its name and an open data nest.
    fn expr_start(
        m: &mut Message<'_>,
        name: &str,
    ) -> Result<(nlbatch::message::Nest, nlbatch::message::Nest), EncodeError> {
        let elem = m.begin_nest(LIST_ELEM)?;
        m.put_strz(EXPR_NAME, name)?;
        let data = m.begin_nest(EXPR_DATA)?;
        Ok((elem, data))
    }

    /// `cmp eq` of register 1 against `value`.
    fn cmp_eq(m: &mut Message<'_>, value: &[u8]) -> Result<(), EncodeError> {
        let (elem, data) = expr_start(m, "cmp")?;
        m.put_be32(1, REG_1)?; // NFTA_CMP_SREG
        m.put_be32(2, CMP_EQ)?; // NFTA_CMP_OP
        let cmp_data = m.begin_nest(3)?; // NFTA_CMP_DATA
        m.put(DATA_VALUE, value)?;
        m.end_nest(cmp_data)?;
        m.end_nest(data)?;
        m.end_nest(elem)
    }

    /// One NEWRULE message: `ip saddr <addr> counter drop` in chain `c` of inet table `t`.
    pub fn rule(batch: &mut Batch, addr: u32) -> Result<u32, EncodeError> {
        let flags = NLM_F_REQUEST | NLM_F_CREATE | NLM_F_APPEND;
        let mut m = batch.message(NEWRULE, flags)?;
        m.family_header(&INET_NFGENMSG)?;
        m.put_strz(TABLE, "t")?;
        m.put_strz(SET_OR_CHAIN, "c")?;
        let exprs = m.begin_nest(RULE_EXPRESSIONS)?;

        let (elem, data) = expr_start(&mut m, "meta")?;
        m.put_be32(2, META_NFPROTO)?; // NFTA_META_KEY
        m.put_be32(1, REG_1)?; // NFTA_META_DREG
        m.end_nest(data)?;
        m.end_nest(elem)?;
        cmp_eq(&mut m, &[NFPROTO_IPV4])?;

        let (elem, data) = expr_start(&mut m, "payload")?;
        m.put_be32(1, REG_1)?; // NFTA_PAYLOAD_DREG
        m.put_be32(2, NETWORK_HEADER)?; // NFTA_PAYLOAD_BASE
        m.put_be32(3, 12)?; // NFTA_PAYLOAD_OFFSET: saddr
        m.put_be32(4, 4)?; // NFTA_PAYLOAD_LEN
        m.end_nest(data)?;
        m.end_nest(elem)?;
        cmp_eq(&mut m, &addr.to_be_bytes())?;

        let (elem, data) = expr_start(&mut m, "counter")?;
        m.end_nest(data)?;
        m.end_nest(elem)?;

        let (elem, data) = expr_start(&mut m, "immediate")?;
        m.put_be32(1, REG_VERDICT)?; // NFTA_IMMEDIATE_DREG
        let imm = m.begin_nest(2)?; // NFTA_IMMEDIATE_DATA
        let verdict = m.begin_nest(DATA_VERDICT)?;
        m.put_be32(VERDICT_CODE, 0)?; // NF_DROP
        m.end_nest(verdict)?;
        m.end_nest(imm)?;
        m.end_nest(data)?;
        m.end_nest(elem)?;

        m.end_nest(exprs)?;
        m.finish()
    }

    /// One transaction of `count` rules, addresses counting up from [`FIRST_ADDR`].
    pub fn rules_batch(batch: &mut Batch, count: u32) -> Result<(), EncodeError> {
        marker(batch, BATCH_BEGIN)?;
        for i in 0..count {
            rule(batch, FIRST_ADDR + i)?;
        }
        marker(batch, BATCH_END)?;
        Ok(())
    }

    /// A plain netlink encoder into one growing `Vec<u8>`, every field appended with
    /// `extend_from_slice` and lengths patched in place.
    pub struct VecEncoder {
        /// The bytes so far.
        pub buf: Vec<u8>,
        seq: u32,
    }

    impl VecEncoder {
        /// An empty buffer; the first message gets seq `seq_start`.
        pub fn new(seq_start: u32) -> Self {
            VecEncoder {
                buf: Vec::new(),
                seq: seq_start,
            }
        }

        /// Starts a message; returns its offset for [`VecEncoder::end_message`].
        pub fn begin_message(&mut self, msg_type: u16, flags: u16, family: &[u8; 4]) -> usize {
            let at = self.buf.len();
            self.buf.extend_from_slice(&0u32.to_ne_bytes());
            self.buf.extend_from_slice(&msg_type.to_ne_bytes());
            self.buf.extend_from_slice(&flags.to_ne_bytes());
            self.buf.extend_from_slice(&self.seq.to_ne_bytes());
            self.buf.extend_from_slice(&0u32.to_ne_bytes());
            self.buf.extend_from_slice(family);
            self.seq = self.seq.wrapping_add(1);
            at
        }

        /// Writes `nlmsg_len` of the message started at `at`.
        pub fn end_message(&mut self, at: usize) {
            let len = (self.buf.len() - at) as u32;
            self.buf[at..at + 4].copy_from_slice(&len.to_ne_bytes());
        }

        /// An attribute, zero padded to 4 bytes.
        pub fn put(&mut self, attr_type: u16, payload: &[u8]) {
            let len = 4 + payload.len();
            assert!(len <= u16::MAX as usize, "attribute too long");
            self.buf.extend_from_slice(&(len as u16).to_ne_bytes());
            self.buf.extend_from_slice(&attr_type.to_ne_bytes());
            self.buf.extend_from_slice(payload);
            self.buf.extend_from_slice(&[0; 3][..(4 - len % 4) % 4]);
        }

        /// A NUL-terminated string attribute.
        pub fn put_strz(&mut self, attr_type: u16, value: &str) {
            let len = 4 + value.len() + 1;
            assert!(len <= u16::MAX as usize, "attribute too long");
            self.buf.extend_from_slice(&(len as u16).to_ne_bytes());
            self.buf.extend_from_slice(&attr_type.to_ne_bytes());
            self.buf.extend_from_slice(value.as_bytes());
            self.buf.extend_from_slice(&[0; 4][..1 + (4 - len % 4) % 4]);
        }

        /// A big-endian `u32` attribute.
        pub fn put_be32(&mut self, attr_type: u16, value: u32) {
            self.put(attr_type, &value.to_be_bytes());
        }

        /// Opens a nest; returns its offset for [`VecEncoder::end_nest`].
        pub fn begin_nest(&mut self, attr_type: u16) -> usize {
            let at = self.buf.len();
            self.buf.extend_from_slice(&0u16.to_ne_bytes());
            self.buf
                .extend_from_slice(&(attr_type | NLA_F_NESTED).to_ne_bytes());
            at
        }

        /// Writes the length of the nest opened at `at`.
        pub fn end_nest(&mut self, at: usize) {
            let len = self.buf.len() - at;
            assert!(len <= u16::MAX as usize, "nest too long");
            self.buf[at..at + 2].copy_from_slice(&(len as u16).to_ne_bytes());
        }

        /// Writes `BATCH_BEGIN` or `BATCH_END`.
        pub fn marker(&mut self, msg_type: u16) {
            let at = self.begin_message(msg_type, NLM_F_REQUEST, &BATCH_NFGENMSG);
            self.end_message(at);
        }

        fn expr_start(&mut self, name: &str) -> (usize, usize) {
            let elem = self.begin_nest(LIST_ELEM);
            self.put_strz(EXPR_NAME, name);
            (elem, self.begin_nest(EXPR_DATA))
        }

        fn expr_end(&mut self, (elem, data): (usize, usize)) {
            self.end_nest(data);
            self.end_nest(elem);
        }

        fn cmp_eq(&mut self, value: &[u8]) {
            let expr = self.expr_start("cmp");
            self.put_be32(1, REG_1);
            self.put_be32(2, CMP_EQ);
            let cmp_data = self.begin_nest(3);
            self.put(DATA_VALUE, value);
            self.end_nest(cmp_data);
            self.expr_end(expr);
        }

        /// One NEWRULE message, the same as [`rule`].
        pub fn rule(&mut self, addr: u32) {
            let flags = NLM_F_REQUEST | NLM_F_CREATE | NLM_F_APPEND;
            let msg = self.begin_message(NEWRULE, flags, &INET_NFGENMSG);
            self.put_strz(TABLE, "t");
            self.put_strz(SET_OR_CHAIN, "c");
            let exprs = self.begin_nest(RULE_EXPRESSIONS);

            let expr = self.expr_start("meta");
            self.put_be32(2, META_NFPROTO);
            self.put_be32(1, REG_1);
            self.expr_end(expr);
            self.cmp_eq(&[NFPROTO_IPV4]);

            let expr = self.expr_start("payload");
            self.put_be32(1, REG_1);
            self.put_be32(2, NETWORK_HEADER);
            self.put_be32(3, 12);
            self.put_be32(4, 4);
            self.expr_end(expr);
            self.cmp_eq(&addr.to_be_bytes());

            let expr = self.expr_start("counter");
            self.expr_end(expr);

            let expr = self.expr_start("immediate");
            self.put_be32(1, REG_VERDICT);
            let imm = self.begin_nest(2);
            let verdict = self.begin_nest(DATA_VERDICT);
            self.put_be32(VERDICT_CODE, 0);
            self.end_nest(verdict);
            self.end_nest(imm);
            self.expr_end(expr);

            self.end_nest(exprs);
            self.end_message(msg);
        }
    }

    /// The same transaction as [`elements_batch`], in a new `Vec`.
    pub fn elements_vec(seq_start: u32, count: u32) -> Vec<u8> {
        let mut e = VecEncoder::new(seq_start);
        e.marker(BATCH_BEGIN);
        let mut next = 0;
        while next < count {
            let n = (count - next).min(ELEMENTS_PER_MESSAGE);
            let msg = e.begin_message(NEWSETELEM, NLM_F_REQUEST | NLM_F_CREATE, &INET_NFGENMSG);
            e.put_strz(TABLE, "t");
            e.put_strz(SET_OR_CHAIN, "s");
            let list = e.begin_nest(LIST_ELEMENTS);
            for i in next..next + n {
                let elem = e.begin_nest(LIST_ELEM);
                let key = e.begin_nest(ELEM_KEY);
                e.put(DATA_VALUE, &(FIRST_ADDR + i).to_be_bytes());
                e.end_nest(key);
                e.end_nest(elem);
            }
            e.end_nest(list);
            e.end_message(msg);
            next += n;
        }
        e.marker(BATCH_END);
        e.buf
    }

    /// The same transaction as [`rules_batch`], in a new `Vec`.
    pub fn rules_vec(seq_start: u32, count: u32) -> Vec<u8> {
        let mut e = VecEncoder::new(seq_start);
        e.marker(BATCH_BEGIN);
        for i in 0..count {
            e.rule(FIRST_ADDR + i);
        }
        e.marker(BATCH_END);
        e.buf
    }
}

/// Set elements per transaction.
const ELEMENTS: u32 = 1_000_000;
/// Rules per transaction.
const RULES: u32 = 100_000;
/// Page sizes compared, with their labels.
const PAGE_SIZES: [(usize, &str); 5] = [
    (4 << 10, "4KiB"),
    (64 << 10, "64KiB"),
    (256 << 10, "256KiB"),
    (1 << 20, "1MiB"),
    (4 << 20, "4MiB"),
];

/// The NEWRULE message nft 1.0.6 sends for `add rule inet t c ip saddr 10.0.0.1 counter drop`
/// (x86_64), captured with
/// `strace -f -e trace=sendmsg -e write=3 -xx -s 4096 nft add rule inet t c ip saddr 10.0.0.1
/// counter drop` inside `unshare -n` after creating table `t` and chain `c`.
#[cfg(target_endian = "little")]
const NFT_RULE: &[u8] = b"\
    \x1c\x01\x00\x00\x06\x0a\x01\x0c\x01\x00\x00\x00\x00\x00\x00\x00\
    \x01\x00\x00\x00\x06\x00\x01\x00\x74\x00\x00\x00\x06\x00\x02\x00\
    \x63\x00\x00\x00\xf8\x00\x04\x80\x24\x00\x01\x80\x09\x00\x01\x00\
    \x6d\x65\x74\x61\x00\x00\x00\x00\x14\x00\x02\x80\x08\x00\x02\x00\
    \x00\x00\x00\x0f\x08\x00\x01\x00\x00\x00\x00\x01\x2c\x00\x01\x80\
    \x08\x00\x01\x00\x63\x6d\x70\x00\x20\x00\x02\x80\x08\x00\x01\x00\
    \x00\x00\x00\x01\x08\x00\x02\x00\x00\x00\x00\x00\x0c\x00\x03\x80\
    \x05\x00\x01\x00\x02\x00\x00\x00\x34\x00\x01\x80\x0c\x00\x01\x00\
    \x70\x61\x79\x6c\x6f\x61\x64\x00\x24\x00\x02\x80\x08\x00\x01\x00\
    \x00\x00\x00\x01\x08\x00\x02\x00\x00\x00\x00\x01\x08\x00\x03\x00\
    \x00\x00\x00\x0c\x08\x00\x04\x00\x00\x00\x00\x04\x2c\x00\x01\x80\
    \x08\x00\x01\x00\x63\x6d\x70\x00\x20\x00\x02\x80\x08\x00\x01\x00\
    \x00\x00\x00\x01\x08\x00\x02\x00\x00\x00\x00\x00\x0c\x00\x03\x80\
    \x08\x00\x01\x00\x0a\x00\x00\x01\x14\x00\x01\x80\x0c\x00\x01\x00\
    \x63\x6f\x75\x6e\x74\x65\x72\x00\x04\x00\x02\x80\x30\x00\x01\x80\
    \x0e\x00\x01\x00\x69\x6d\x6d\x65\x64\x69\x61\x74\x65\x00\x00\x00\
    \x1c\x00\x02\x80\x08\x00\x01\x00\x00\x00\x00\x00\x10\x00\x02\x80\
    \x0c\x00\x02\x80\x08\x00\x01\x00\x00\x00\x00\x00";

/// A batch numbered from 0 with the given page size (and the default ceiling for grown pages).
fn batch(page_size: usize) -> Batch {
    let arena = ArenaConfig::with_page_size(page_size);
    Batch::new(BatchConfig {
        arena,
        seq_start: 0,
        port_id: 0,
    })
    .expect("valid page size")
}

/// Before any timing: both encoders agree at every page size, and a rule is nft's rule.
fn check_same_bytes() {
    let elements = shapes::elements_vec(0, ELEMENTS);
    let rules = shapes::rules_vec(0, RULES);
    assert_eq!(elements.len(), 40 + 244 * 65_560 + (40 + 820 * 16));
    assert_eq!(rules.len(), 40 + RULES as usize * 284);
    for (page_size, label) in PAGE_SIZES {
        let mut b = batch(page_size);
        shapes::elements_batch(&mut b, ELEMENTS).unwrap();
        assert!(
            b.to_vec() == elements,
            "set elements differ at {label} pages"
        );
        b.reset_with_seq(0);
        shapes::rules_batch(&mut b, RULES).unwrap();
        assert!(b.to_vec() == rules, "rules differ at {label} pages");
    }
    #[cfg(target_endian = "little")]
    {
        let mut b = batch(4 << 10);
        let seq = shapes::rule(&mut b, shapes::FIRST_ADDR).unwrap();
        let mut expected = NFT_RULE.to_vec();
        expected[8..12].copy_from_slice(&seq.to_ne_bytes());
        assert_eq!(b.to_vec(), expected, "the rule is not the one nft sends");
    }
}

/// Runs one workload at every page size and with the `Vec` encoder.
fn workload(
    c: &mut Criterion,
    name: &str,
    count: u32,
    paged: fn(&mut Batch, u32) -> Result<(), nlbatch::message::EncodeError>,
    plain: fn(u32, u32) -> Vec<u8>,
) {
    let mut group = c.benchmark_group(name);
    group.sample_size(10);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(3));
    group.throughput(Throughput::Elements(count.into()));
    for (page_size, label) in PAGE_SIZES {
        let mut b = batch(page_size);
        group.bench_function(BenchmarkId::new("nlbatch", label), |bench| {
            bench.iter(|| {
                b.reset_with_seq(0);
                paged(&mut b, black_box(count)).unwrap();
                black_box(b.iovecs().len())
            })
        });
    }
    group.bench_function(BenchmarkId::new("vec", "growing"), |bench| {
        bench.iter(|| plain(0, black_box(count)))
    });
    group.finish();
}

fn benches(c: &mut Criterion) {
    check_same_bytes();
    workload(
        c,
        "set_elements_1M",
        ELEMENTS,
        shapes::elements_batch,
        shapes::elements_vec,
    );
    workload(
        c,
        "rules_100k",
        RULES,
        shapes::rules_batch,
        shapes::rules_vec,
    );
}

criterion_group!(encode, benches);
criterion_main!(encode);

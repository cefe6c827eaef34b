//! The two workloads of the encoder benchmarks, encoded by nlbatch and by a plain `Vec`
//! encoder producing the same bytes: shared by `benches/encode.rs` (time) and
//! `benches/instructions.rs` (instructions counted by callgrind).

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
#[inline(always)]
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
#[inline(always)]
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

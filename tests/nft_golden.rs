//! Golden tests: for one command of each kind, the messages nlbatch encodes are, byte for byte,
//! the messages nft 1.0.6 sends for the same command.
//!
//! Each expected array below is the body of one transaction (everything between BATCH_BEGIN
//! and BATCH_END) that nft sent in one `sendmsg`, captured on x86_64 (little endian) in a
//! private network namespace with the command written above it: strace's `-e write=3` dumps
//! the bytes of every iovec sent on the netlink socket (fd 3) to standard error, and the
//! capture is the `sendmsg` whose first message is BATCH_BEGIN. The arrays were annotated field
//! by field from the nf_tables attribute layouts, so that a mismatch points at a field.
//!
//! What is set aside: nft numbers its messages from seq 0 and gives the first set it makes in a
//! run id 1; the transactions here are built with `seq_start` 0 and get the same ids. nft also
//! sends `NFTA_SET_ELEM_LIST_SET_ID` and `NFTA_LOOKUP_SET_ID` for sets that already exist (the
//! kernel looks sets up by name first), so those tests name the set with id 1 as nft does. The
//! one deliberate difference is BATCH_END's flags: nlbatch adds `NLM_F_ACK` to have the commit
//! confirmed (see [`batch_end`]).
//!
//! Every rule capture is also decoded with `Expr::decode`, which must give back the rule's
//! expressions: the decoder is checked against the same truth.

use std::net::{IpAddr, Ipv4Addr};

use nlbatch::addr::V4Range;
use nlbatch::decode::MessageIter;
use nlbatch::message::BatchConfig;
use nlbatch::nft::wire::{NFPROTO_IPV4, NFTA_RULE_EXPRESSIONS, NFT_MSG_NEWRULE, NFT_REG_1};
use nlbatch::nft::{
    Chain, CtState, Element, ElementData, Expr, Family, Hook, KeyType, Limit, LimitUnit, Log,
    LogLevel, NftError, PayloadBase, Placement, Rule, Set, SetRef, SetTarget, Table, Transaction,
    Verdict, IPPROTO_ICMP,
};

/// One capture: the body of the transaction, and the seq nft gave BATCH_END.
struct Capture {
    /// Seq of BATCH_END: the number of body messages plus one.
    end_seq: u32,
    /// The messages between BATCH_BEGIN and BATCH_END.
    body: &'static [u8],
}

/// BATCH_BEGIN exactly as nft sends it at the start of every capture.
#[rustfmt::skip]
const BATCH_BEGIN: &[u8] = &[
    0x14, 0x00, 0x00, 0x00, // nlmsg_len 20
    0x10, 0x00, // nlmsg_type NFNL_MSG_BATCH_BEGIN
    0x01, 0x00, // nlmsg_flags NLM_F_REQUEST
    0x00, 0x00, 0x00, 0x00, // nlmsg_seq 0
    0x00, 0x00, 0x00, 0x00, // nlmsg_pid 0
    0x00, 0x00, // nfgen_family AF_UNSPEC, version NFNETLINK_V0
    0x00, 0x0a, // res_id NFNL_SUBSYS_NFTABLES (be16)
];

/// BATCH_END as nft sends it with seq `seq`, but for its flags: nft sends `NLM_F_REQUEST`
/// (0x0001) alone, nlbatch adds `NLM_F_ACK` (0x0004) so that Linux 6.10 and later confirm the
/// commit.
fn batch_end(seq: u32) -> Vec<u8> {
    let seq = seq.to_le_bytes();
    #[rustfmt::skip]
    let end = [
        0x14, 0x00, 0x00, 0x00, // nlmsg_len 20
        0x11, 0x00, // nlmsg_type NFNL_MSG_BATCH_END
        0x05, 0x00, // nlmsg_flags NLM_F_REQUEST | NLM_F_ACK (nft: NLM_F_REQUEST)
        seq[0], seq[1], seq[2], seq[3], // nlmsg_seq
        0x00, 0x00, 0x00, 0x00, // nlmsg_pid 0
        0x00, 0x00, // nfgen_family AF_UNSPEC, version NFNETLINK_V0
        0x00, 0x0a, // res_id NFNL_SUBSYS_NFTABLES (be16)
    ];
    end.to_vec()
}

/// Bytes as rows of 4, each with its offset, so that a failed comparison shows where.
fn rows(bytes: &[u8]) -> Vec<String> {
    bytes
        .chunks(4)
        .enumerate()
        .map(|(i, c)| {
            let hex: Vec<String> = c.iter().map(|b| format!("{b:02x}")).collect();
            format!("{:#06x}: {}", i * 4, hex.join(" "))
        })
        .collect()
}

/// Encodes a transaction (seq from 0) with what `build` adds, and compares it with `capture`.
fn check(capture: &Capture, build: impl FnOnce(&mut Transaction) -> Result<(), NftError>) {
    let config = BatchConfig {
        seq_start: 0,
        ..BatchConfig::default()
    };
    let mut tx = Transaction::new(config).unwrap();
    tx.begin(None).unwrap();
    build(&mut tx).unwrap();
    tx.end().unwrap();
    let bytes = tx.batch().to_vec();
    assert!(
        bytes.len() >= 40,
        "a transaction holds at least BEGIN and END"
    );
    let (begin, rest) = bytes.split_at(20);
    let (body, end) = rest.split_at(rest.len() - 20);
    assert_eq!(rows(begin), rows(BATCH_BEGIN), "BATCH_BEGIN");
    assert_eq!(
        rows(body),
        rows(capture.body),
        "messages between BATCH_BEGIN and BATCH_END"
    );
    assert_eq!(rows(end), rows(&batch_end(capture.end_seq)), "BATCH_END");
}

/// Checks a one-rule capture, then decodes the encoded rule back to its expressions.
fn check_rule(capture: &Capture, rule: Rule) {
    check(capture, |tx| tx.add_rule(&rule).map(drop));
    let mut decoded = Vec::new();
    for msg in MessageIter::new(capture.body) {
        let msg = msg.unwrap();
        assert_eq!(msg.msg_type(), 0x0a00 | NFT_MSG_NEWRULE);
        let list = msg
            .attrs(4)
            .flatten()
            .find(|a| a.kind() == NFTA_RULE_EXPRESSIONS)
            .unwrap();
        decoded.extend(list.nested().map(|elem| Expr::decode(&elem.unwrap())));
    }
    assert_eq!(
        decoded,
        by_name(&rule.exprs),
        "expressions decoded from nft's bytes"
    );
}

/// The expressions with every set named only by name, as [`Expr::decode`] gives them.
fn by_name(exprs: &[Expr]) -> Vec<Expr> {
    let name = |set: &SetRef| SetRef::Name(set.name().to_string());
    exprs
        .iter()
        .map(|e| match e {
            Expr::Lookup { set, sreg, invert } => Expr::Lookup {
                set: name(set),
                sreg: *sreg,
                invert: *invert,
            },
            Expr::MapLookup { set, sreg, dreg } => Expr::MapLookup {
                set: name(set),
                sreg: *sreg,
                dreg: *dreg,
            },
            other => other.clone(),
        })
        .collect()
}

fn inet(chain: &str) -> Rule {
    Rule::new(Family::Inet, "t", chain)
}

fn nat(chain: &str) -> Rule {
    Rule::new(Family::Ip, "n", chain)
}

/// A set made by an earlier nft run: nft still sends id 1 with its name.
fn existing(set: &str) -> SetTarget {
    SetTarget {
        family: Family::Inet,
        table: "t".into(),
        set: set.into(),
        id: Some(1),
    }
}

fn v4(a: [u8; 4]) -> u32 {
    u32::from_be_bytes(a)
}

#[test]
fn table() {
    check(&TABLE, |tx| {
        tx.add_table(&Table::new(Family::Inet, "t")).map(drop)
    });
}

#[test]
fn base_chain() {
    let chain = Chain::filter(Family::Inet, "t", "c", Hook::Input, 0);
    check(&BASE_CHAIN, |tx| tx.add_chain(&chain).map(drop));
}

#[test]
fn interval_set() {
    let set = Set::new(Family::Inet, "t", "s", KeyType::Ipv4Addr).interval();
    check(&INTERVAL_SET, |tx| tx.add_set(&set).map(drop));
}

#[test]
fn interval_elements() {
    let ranges = [
        V4Range {
            lo: v4([10, 0, 0, 0]),
            hi: v4([10, 255, 255, 255]),
        },
        V4Range {
            lo: v4([192, 168, 1, 1]),
            hi: v4([192, 168, 1, 5]),
        },
    ];
    check(&INTERVAL_ELEMENTS, |tx| {
        tx.add_v4_intervals(&existing("s"), &ranges).map(drop)
    });
}

#[test]
fn payload_cmp_lookup_counter_immediate_rule() {
    let set = SetRef::NameAndId("s".into(), 1);
    check_rule(
        &SADDR_LOOKUP_RULE,
        inet("c").ip_saddr_in(set).counter().drop(),
    );
}

#[test]
fn ct_state_rule() {
    let rule = inet("c")
        .ct_state(CtState::ESTABLISHED | CtState::RELATED)
        .accept();
    check_rule(&CT_STATE_RULE, rule);
}

#[test]
fn limit_rule() {
    let limit = Limit::packets(10, LimitUnit::Second);
    check_rule(
        &LIMIT_RULE,
        inet("c").meta_l4proto(IPPROTO_ICMP).limit(limit).accept(),
    );
}

#[test]
fn log_rule() {
    check_rule(
        &LOG_RULE,
        inet("c")
            .log(Log::prefix("in: ").level(LogLevel::Warn))
            .drop(),
    );
}

#[test]
fn reject_tcp_reset_rule() {
    check_rule(&REJECT_TCP_RESET_RULE, inet("c").reject_tcp_reset());
}

#[test]
fn reject_rule() {
    check_rule(&REJECT_RULE, inet("c").reject());
}

#[test]
fn dnat_rule() {
    let to = IpAddr::V4(Ipv4Addr::new(10, 0, 0, 1));
    check_rule(&DNAT_RULE, nat("pre").tcp_dport(80).dnat(to, Some(8080)));
}

#[test]
fn masquerade_rule() {
    check_rule(&MASQUERADE_RULE, nat("post").oifname("eth0").masquerade());
}

#[test]
fn redirect_rule() {
    check_rule(
        &REDIRECT_RULE,
        nat("pre").tcp_dport(80).redirect(Some(8080)),
    );
}

#[test]
fn rule_with_position_and_comment() {
    let rule = inet("c").iifname("lo").accept().comment("loopback");
    check_rule(&POSITION_COMMENT_RULE, rule.placed(Placement::After(2)));
}

#[test]
fn rule_replacing_a_handle() {
    check_rule(
        &REPLACE_RULE,
        inet("c").drop().placed(Placement::Replace(2)),
    );
}

#[test]
fn range_and_quota_rule() {
    let rule = inet("c")
        .tcp_dport_range(1000, 2000, true)
        .quota(100 << 20, true)
        .drop();
    check_rule(&QUOTA_RANGE_RULE, rule);
}

#[test]
fn mark_set_and_jump_rule() {
    check_rule(&MARK_JUMP_RULE, inet("c").set_mark(0x10).jump("other"));
}

#[test]
fn verdict_map_rule() {
    let saddr = Expr::Payload {
        base: PayloadBase::Network,
        offset: 12,
        len: 4,
        dreg: NFT_REG_1,
    };
    let rule = inet("c").only_family(NFPROTO_IPV4).with(saddr);
    check_rule(&VMAP_RULE, rule.vmap(SetRef::NameAndId("m".into(), 1)));
}

#[test]
fn verdict_map_elements() {
    let elements = [
        Element::key(&[1, 2, 3, 4]).with_data(ElementData::Verdict(Verdict::Jump("other".into()))),
        Element::key(&[5, 6, 7, 8]).with_data(ElementData::Verdict(Verdict::Drop)),
    ];
    check(&VMAP_ELEMENTS, |tx| {
        tx.add_elements(&existing("m"), &elements).map(drop)
    });
}

#[test]
fn element_with_timeout_and_comment() {
    let element = Element::key(&[1, 2, 3, 4])
        .with_timeout_ms(10_000)
        .with_comment("x");
    check(&TIMEOUT_ELEMENT, |tx| {
        tx.add_elements(&existing("s"), &[element]).map(drop)
    });
}

#[test]
fn delete_rule() {
    check(&DELETE_RULE, |tx| {
        tx.delete_rule(Family::Inet, "t", "c", 2).map(drop)
    });
}

#[test]
fn flush_chain() {
    check(&FLUSH_CHAIN, |tx| {
        tx.flush_rules(Family::Inet, "t", Some("c")).map(drop)
    });
}

/// Decodes every expression of every rule message in `bytes`, whatever the bytes are.
fn decode_all(bytes: &[u8]) -> usize {
    let mut count = 0;
    for msg in MessageIter::new(bytes).flatten() {
        for attr in msg.attrs(4).flatten() {
            for elem in attr.nested().flatten() {
                let _ = Expr::decode(&elem);
                count += 1;
            }
        }
    }
    count
}

#[test]
fn decoding_damaged_captures_never_panics() {
    let rules = [
        &SADDR_LOOKUP_RULE,
        &CT_STATE_RULE,
        &LIMIT_RULE,
        &LOG_RULE,
        &REJECT_TCP_RESET_RULE,
        &DNAT_RULE,
        &MASQUERADE_RULE,
        &REDIRECT_RULE,
        &POSITION_COMMENT_RULE,
        &QUOTA_RANGE_RULE,
        &MARK_JUMP_RULE,
        &VMAP_RULE,
    ];
    for capture in rules {
        assert!(decode_all(capture.body) > 0);
        for cut in 0..capture.body.len() {
            decode_all(&capture.body[..cut]);
        }
        let mut damaged = capture.body.to_vec();
        for at in 0..damaged.len() {
            let original = damaged[at];
            for value in [0x00, 0x01, 0x04, 0x7f, 0x80, 0xff] {
                damaged[at] = value;
                decode_all(&damaged);
            }
            damaged[at] = original;
        }
    }
}

/// `nft add table inet t`
///
/// Captured with:
///
/// ```text
/// unshare -n sh -c '
///   strace -f -e trace=sendmsg -e write=3 -xx -s 65535 \
///     nft add table inet t
/// '
/// ```
#[rustfmt::skip]
const TABLE: Capture = Capture { end_seq: 2, body: &[
    // NFT_MSG_NEWTABLE
    0x24, 0x00, 0x00, 0x00, // nlmsg_len 36
    0x00, 0x0a, // nlmsg_type NFT_MSG_NEWTABLE | NFNL_SUBSYS_NFTABLES << 8
    0x01, 0x00, // nlmsg_flags NLM_F_REQUEST
    0x01, 0x00, 0x00, 0x00, // nlmsg_seq 1
    0x00, 0x00, 0x00, 0x00, // nlmsg_pid 0
    0x01, 0x00, // nfgen_family NFPROTO_INET, version NFNETLINK_V0
    0x00, 0x00, // res_id 0 (be16)
    0x06, 0x00, 0x01, 0x00, // nla_len 6, NFTA_TABLE_NAME
    0x74, 0x00, 0x00, 0x00, // "t\0"
    0x08, 0x00, 0x02, 0x00, // nla_len 8, NFTA_TABLE_FLAGS
    0x00, 0x00, 0x00, 0x00, // 0 (be32)
] };

/// `nft add chain inet t c { type filter hook input priority 0; policy accept; }`
///
/// Captured with:
///
/// ```text
/// unshare -n sh -c '
///   nft add table inet t
///   strace -f -e trace=sendmsg -e write=3 -xx -s 65535 \
///     nft add chain inet t c "{ type filter hook input priority 0; policy accept; }"
/// '
/// ```
#[rustfmt::skip]
const BASE_CHAIN: Capture = Capture { end_seq: 2, body: &[
    // NFT_MSG_NEWCHAIN
    0x4c, 0x00, 0x00, 0x00, // nlmsg_len 76
    0x03, 0x0a, // nlmsg_type NFT_MSG_NEWCHAIN | NFNL_SUBSYS_NFTABLES << 8
    0x01, 0x04, // nlmsg_flags NLM_F_REQUEST | NLM_F_CREATE
    0x01, 0x00, 0x00, 0x00, // nlmsg_seq 1
    0x00, 0x00, 0x00, 0x00, // nlmsg_pid 0
    0x01, 0x00, // nfgen_family NFPROTO_INET, version NFNETLINK_V0
    0x00, 0x00, // res_id 0 (be16)
    0x06, 0x00, 0x01, 0x00, // nla_len 6, NFTA_CHAIN_TABLE
    0x74, 0x00, 0x00, 0x00, // "t\0"
    0x06, 0x00, 0x03, 0x00, // nla_len 6, NFTA_CHAIN_NAME
    0x63, 0x00, 0x00, 0x00, // "c\0"
    0x0b, 0x00, 0x07, 0x00, // nla_len 11, NFTA_CHAIN_TYPE
    0x66, 0x69, 0x6c, 0x74, 0x65, 0x72, 0x00, 0x00, // "filter\0"
    0x08, 0x00, 0x05, 0x00, // nla_len 8, NFTA_CHAIN_POLICY
    0x00, 0x00, 0x00, 0x01, // 1 (be32)
    0x14, 0x00, 0x04, 0x80, // nla_len 20, NFTA_CHAIN_HOOK | NLA_F_NESTED
        0x08, 0x00, 0x01, 0x00, // nla_len 8, NFTA_HOOK_HOOKNUM
        0x00, 0x00, 0x00, 0x01, // 1 (be32)
        0x08, 0x00, 0x02, 0x00, // nla_len 8, NFTA_HOOK_PRIORITY
        0x00, 0x00, 0x00, 0x00, // 0 (be32)
] };

/// `nft add set inet t s { type ipv4_addr; flags interval; }`
///
/// Captured with:
///
/// ```text
/// unshare -n sh -c '
///   nft add table inet t
///   nft add chain inet t c "{ type filter hook input priority 0; policy accept; }"
///   strace -f -e trace=sendmsg -e write=3 -xx -s 65535 \
///     nft add set inet t s "{ type ipv4_addr; flags interval; }"
/// '
/// ```
#[rustfmt::skip]
const INTERVAL_SET: Capture = Capture { end_seq: 2, body: &[
    // NFT_MSG_NEWSET
    0x50, 0x00, 0x00, 0x00, // nlmsg_len 80
    0x09, 0x0a, // nlmsg_type NFT_MSG_NEWSET | NFNL_SUBSYS_NFTABLES << 8
    0x01, 0x04, // nlmsg_flags NLM_F_REQUEST | NLM_F_CREATE
    0x01, 0x00, 0x00, 0x00, // nlmsg_seq 1
    0x00, 0x00, 0x00, 0x00, // nlmsg_pid 0
    0x01, 0x00, // nfgen_family NFPROTO_INET, version NFNETLINK_V0
    0x00, 0x00, // res_id 0 (be16)
    0x06, 0x00, 0x01, 0x00, // nla_len 6, NFTA_SET_TABLE
    0x74, 0x00, 0x00, 0x00, // "t\0"
    0x06, 0x00, 0x02, 0x00, // nla_len 6, NFTA_SET_NAME
    0x73, 0x00, 0x00, 0x00, // "s\0"
    0x08, 0x00, 0x03, 0x00, // nla_len 8, NFTA_SET_FLAGS
    0x00, 0x00, 0x00, 0x04, // 4 (be32)
    0x08, 0x00, 0x04, 0x00, // nla_len 8, NFTA_SET_KEY_TYPE
    0x00, 0x00, 0x00, 0x07, // 7 (be32)
    0x08, 0x00, 0x05, 0x00, // nla_len 8, NFTA_SET_KEY_LEN
    0x00, 0x00, 0x00, 0x04, // 4 (be32)
    0x08, 0x00, 0x0a, 0x00, // nla_len 8, NFTA_SET_ID
    0x00, 0x00, 0x00, 0x01, // 1 (be32)
    0x0a, 0x00, 0x0d, 0x00, // nla_len 10, NFTA_SET_USERDATA
    0x00, 0x04, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, // 00 04 02 00 00 00
] };

/// `nft add element inet t s { 10.0.0.0/8, 192.168.1.1-192.168.1.5 }`
///
/// Captured with:
///
/// ```text
/// unshare -n sh -c '
///   nft add table inet t
///   nft add chain inet t c "{ type filter hook input priority 0; policy accept; }"
///   nft add set inet t s "{ type ipv4_addr; flags interval; }"
///   strace -f -e trace=sendmsg -e write=3 -xx -s 65535 \
///     nft add element inet t s "{ 10.0.0.0/8, 192.168.1.1-192.168.1.5 }"
/// '
/// ```
#[rustfmt::skip]
const INTERVAL_ELEMENTS: Capture = Capture { end_seq: 2, body: &[
    // NFT_MSG_NEWSETELEM
    0x98, 0x00, 0x00, 0x00, // nlmsg_len 152
    0x0c, 0x0a, // nlmsg_type NFT_MSG_NEWSETELEM | NFNL_SUBSYS_NFTABLES << 8
    0x01, 0x04, // nlmsg_flags NLM_F_REQUEST | NLM_F_CREATE
    0x01, 0x00, 0x00, 0x00, // nlmsg_seq 1
    0x00, 0x00, 0x00, 0x00, // nlmsg_pid 0
    0x01, 0x00, // nfgen_family NFPROTO_INET, version NFNETLINK_V0
    0x00, 0x00, // res_id 0 (be16)
    0x06, 0x00, 0x01, 0x00, // nla_len 6, NFTA_SET_ELEM_LIST_TABLE
    0x74, 0x00, 0x00, 0x00, // "t\0"
    0x06, 0x00, 0x02, 0x00, // nla_len 6, NFTA_SET_ELEM_LIST_SET
    0x73, 0x00, 0x00, 0x00, // "s\0"
    0x08, 0x00, 0x04, 0x00, // nla_len 8, NFTA_SET_ELEM_LIST_SET_ID
    0x00, 0x00, 0x00, 0x01, // 1 (be32)
    0x6c, 0x00, 0x03, 0x80, // nla_len 108, NFTA_SET_ELEM_LIST_ELEMENTS | NLA_F_NESTED
        0x18, 0x00, 0x01, 0x80, // nla_len 24, element 1 | NLA_F_NESTED
            0x08, 0x00, 0x03, 0x00, // nla_len 8, NFTA_SET_ELEM_FLAGS
            0x00, 0x00, 0x00, 0x01, // 1 (be32)
            0x0c, 0x00, 0x01, 0x80, // nla_len 12, NFTA_SET_ELEM_KEY | NLA_F_NESTED
                0x08, 0x00, 0x01, 0x00, // nla_len 8, NFTA_DATA_VALUE
                0x00, 0x00, 0x00, 0x00, // 00 00 00 00
        0x10, 0x00, 0x02, 0x80, // nla_len 16, element 2 | NLA_F_NESTED
            0x0c, 0x00, 0x01, 0x80, // nla_len 12, NFTA_SET_ELEM_KEY | NLA_F_NESTED
                0x08, 0x00, 0x01, 0x00, // nla_len 8, NFTA_DATA_VALUE
                0x0a, 0x00, 0x00, 0x00, // 0a 00 00 00
        0x18, 0x00, 0x03, 0x80, // nla_len 24, element 3 | NLA_F_NESTED
            0x08, 0x00, 0x03, 0x00, // nla_len 8, NFTA_SET_ELEM_FLAGS
            0x00, 0x00, 0x00, 0x01, // 1 (be32)
            0x0c, 0x00, 0x01, 0x80, // nla_len 12, NFTA_SET_ELEM_KEY | NLA_F_NESTED
                0x08, 0x00, 0x01, 0x00, // nla_len 8, NFTA_DATA_VALUE
                0x0b, 0x00, 0x00, 0x00, // 0b 00 00 00
        0x10, 0x00, 0x04, 0x80, // nla_len 16, element 4 | NLA_F_NESTED
            0x0c, 0x00, 0x01, 0x80, // nla_len 12, NFTA_SET_ELEM_KEY | NLA_F_NESTED
                0x08, 0x00, 0x01, 0x00, // nla_len 8, NFTA_DATA_VALUE
                0xc0, 0xa8, 0x01, 0x01, // c0 a8 01 01
        0x18, 0x00, 0x05, 0x80, // nla_len 24, element 5 | NLA_F_NESTED
            0x08, 0x00, 0x03, 0x00, // nla_len 8, NFTA_SET_ELEM_FLAGS
            0x00, 0x00, 0x00, 0x01, // 1 (be32)
            0x0c, 0x00, 0x01, 0x80, // nla_len 12, NFTA_SET_ELEM_KEY | NLA_F_NESTED
                0x08, 0x00, 0x01, 0x00, // nla_len 8, NFTA_DATA_VALUE
                0xc0, 0xa8, 0x01, 0x06, // c0 a8 01 06
] };

/// `nft add rule inet t c ip saddr @s counter drop`
///
/// Captured with:
///
/// ```text
/// unshare -n sh -c '
///   nft add table inet t
///   nft add chain inet t c "{ type filter hook input priority 0; policy accept; }"
///   nft add set inet t s "{ type ipv4_addr; flags interval; }"
///   strace -f -e trace=sendmsg -e write=3 -xx -s 65535 \
///     nft add rule inet t c ip saddr @s counter drop
/// '
/// ```
#[rustfmt::skip]
const SADDR_LOOKUP_RULE: Capture = Capture { end_seq: 2, body: &[
    // NFT_MSG_NEWRULE
    0x1c, 0x01, 0x00, 0x00, // nlmsg_len 284
    0x06, 0x0a, // nlmsg_type NFT_MSG_NEWRULE | NFNL_SUBSYS_NFTABLES << 8
    0x01, 0x0c, // nlmsg_flags NLM_F_REQUEST | NLM_F_CREATE | NLM_F_APPEND
    0x01, 0x00, 0x00, 0x00, // nlmsg_seq 1
    0x00, 0x00, 0x00, 0x00, // nlmsg_pid 0
    0x01, 0x00, // nfgen_family NFPROTO_INET, version NFNETLINK_V0
    0x00, 0x00, // res_id 0 (be16)
    0x06, 0x00, 0x01, 0x00, // nla_len 6, NFTA_RULE_TABLE
    0x74, 0x00, 0x00, 0x00, // "t\0"
    0x06, 0x00, 0x02, 0x00, // nla_len 6, NFTA_RULE_CHAIN
    0x63, 0x00, 0x00, 0x00, // "c\0"
    0xf8, 0x00, 0x04, 0x80, // nla_len 248, NFTA_RULE_EXPRESSIONS | NLA_F_NESTED
        0x24, 0x00, 0x01, 0x80, // nla_len 36, NFTA_LIST_ELEM | NLA_F_NESTED
            0x09, 0x00, 0x01, 0x00, // nla_len 9, NFTA_EXPR_NAME
            0x6d, 0x65, 0x74, 0x61, 0x00, 0x00, 0x00, 0x00, // "meta\0"
            0x14, 0x00, 0x02, 0x80, // nla_len 20, NFTA_EXPR_DATA | NLA_F_NESTED
                0x08, 0x00, 0x02, 0x00, // nla_len 8, NFTA_META_KEY
                0x00, 0x00, 0x00, 0x0f, // 15 (be32, 0xf)
                0x08, 0x00, 0x01, 0x00, // nla_len 8, NFTA_META_DREG
                0x00, 0x00, 0x00, 0x01, // 1 (be32)
        0x2c, 0x00, 0x01, 0x80, // nla_len 44, NFTA_LIST_ELEM | NLA_F_NESTED
            0x08, 0x00, 0x01, 0x00, // nla_len 8, NFTA_EXPR_NAME
            0x63, 0x6d, 0x70, 0x00, // "cmp\0"
            0x20, 0x00, 0x02, 0x80, // nla_len 32, NFTA_EXPR_DATA | NLA_F_NESTED
                0x08, 0x00, 0x01, 0x00, // nla_len 8, NFTA_CMP_SREG
                0x00, 0x00, 0x00, 0x01, // 1 (be32)
                0x08, 0x00, 0x02, 0x00, // nla_len 8, NFTA_CMP_OP
                0x00, 0x00, 0x00, 0x00, // 0 (be32)
                0x0c, 0x00, 0x03, 0x80, // nla_len 12, NFTA_CMP_DATA | NLA_F_NESTED
                    0x05, 0x00, 0x01, 0x00, // nla_len 5, NFTA_DATA_VALUE
                    0x02, 0x00, 0x00, 0x00, // 02
        0x34, 0x00, 0x01, 0x80, // nla_len 52, NFTA_LIST_ELEM | NLA_F_NESTED
            0x0c, 0x00, 0x01, 0x00, // nla_len 12, NFTA_EXPR_NAME
            0x70, 0x61, 0x79, 0x6c, 0x6f, 0x61, 0x64, 0x00, // "payload\0"
            0x24, 0x00, 0x02, 0x80, // nla_len 36, NFTA_EXPR_DATA | NLA_F_NESTED
                0x08, 0x00, 0x01, 0x00, // nla_len 8, NFTA_PAYLOAD_DREG
                0x00, 0x00, 0x00, 0x01, // 1 (be32)
                0x08, 0x00, 0x02, 0x00, // nla_len 8, NFTA_PAYLOAD_BASE
                0x00, 0x00, 0x00, 0x01, // 1 (be32)
                0x08, 0x00, 0x03, 0x00, // nla_len 8, NFTA_PAYLOAD_OFFSET
                0x00, 0x00, 0x00, 0x0c, // 12 (be32, 0xc)
                0x08, 0x00, 0x04, 0x00, // nla_len 8, NFTA_PAYLOAD_LEN
                0x00, 0x00, 0x00, 0x04, // 4 (be32)
        0x2c, 0x00, 0x01, 0x80, // nla_len 44, NFTA_LIST_ELEM | NLA_F_NESTED
            0x0b, 0x00, 0x01, 0x00, // nla_len 11, NFTA_EXPR_NAME
            0x6c, 0x6f, 0x6f, 0x6b, 0x75, 0x70, 0x00, 0x00, // "lookup\0"
            0x1c, 0x00, 0x02, 0x80, // nla_len 28, NFTA_EXPR_DATA | NLA_F_NESTED
                0x08, 0x00, 0x02, 0x00, // nla_len 8, NFTA_LOOKUP_SREG
                0x00, 0x00, 0x00, 0x01, // 1 (be32)
                0x06, 0x00, 0x01, 0x00, // nla_len 6, NFTA_LOOKUP_SET
                0x73, 0x00, 0x00, 0x00, // "s\0"
                0x08, 0x00, 0x04, 0x00, // nla_len 8, NFTA_LOOKUP_SET_ID
                0x00, 0x00, 0x00, 0x01, // 1 (be32)
        0x14, 0x00, 0x01, 0x80, // nla_len 20, NFTA_LIST_ELEM | NLA_F_NESTED
            0x0c, 0x00, 0x01, 0x00, // nla_len 12, NFTA_EXPR_NAME
            0x63, 0x6f, 0x75, 0x6e, 0x74, 0x65, 0x72, 0x00, // "counter\0"
            0x04, 0x00, 0x02, 0x80, // nla_len 4, NFTA_EXPR_DATA | NLA_F_NESTED
        0x30, 0x00, 0x01, 0x80, // nla_len 48, NFTA_LIST_ELEM | NLA_F_NESTED
            0x0e, 0x00, 0x01, 0x00, // nla_len 14, NFTA_EXPR_NAME
            0x69, 0x6d, 0x6d, 0x65, 0x64, 0x69, 0x61, 0x74, // "immediate\0"
            0x65, 0x00, 0x00, 0x00, // ...
            0x1c, 0x00, 0x02, 0x80, // nla_len 28, NFTA_EXPR_DATA | NLA_F_NESTED
                0x08, 0x00, 0x01, 0x00, // nla_len 8, NFTA_IMMEDIATE_DREG
                0x00, 0x00, 0x00, 0x00, // 0 (be32)
                0x10, 0x00, 0x02, 0x80, // nla_len 16, NFTA_IMMEDIATE_DATA | NLA_F_NESTED
                    0x0c, 0x00, 0x02, 0x80, // nla_len 12, NFTA_DATA_VERDICT | NLA_F_NESTED
                        0x08, 0x00, 0x01, 0x00, // nla_len 8, NFTA_VERDICT_CODE
                        0x00, 0x00, 0x00, 0x00, // 0 (be32)
] };

/// `nft add rule inet t c ct state established,related accept`
///
/// Captured with:
///
/// ```text
/// unshare -n sh -c '
///   nft add table inet t
///   nft add chain inet t c "{ type filter hook input priority 0; policy accept; }"
///   strace -f -e trace=sendmsg -e write=3 -xx -s 65535 \
///     nft add rule inet t c ct state established,related accept
/// '
/// ```
#[rustfmt::skip]
const CT_STATE_RULE: Capture = Capture { end_seq: 2, body: &[
    // NFT_MSG_NEWRULE
    0xe8, 0x00, 0x00, 0x00, // nlmsg_len 232
    0x06, 0x0a, // nlmsg_type NFT_MSG_NEWRULE | NFNL_SUBSYS_NFTABLES << 8
    0x01, 0x0c, // nlmsg_flags NLM_F_REQUEST | NLM_F_CREATE | NLM_F_APPEND
    0x01, 0x00, 0x00, 0x00, // nlmsg_seq 1
    0x00, 0x00, 0x00, 0x00, // nlmsg_pid 0
    0x01, 0x00, // nfgen_family NFPROTO_INET, version NFNETLINK_V0
    0x00, 0x00, // res_id 0 (be16)
    0x06, 0x00, 0x01, 0x00, // nla_len 6, NFTA_RULE_TABLE
    0x74, 0x00, 0x00, 0x00, // "t\0"
    0x06, 0x00, 0x02, 0x00, // nla_len 6, NFTA_RULE_CHAIN
    0x63, 0x00, 0x00, 0x00, // "c\0"
    0xc4, 0x00, 0x04, 0x80, // nla_len 196, NFTA_RULE_EXPRESSIONS | NLA_F_NESTED
        0x20, 0x00, 0x01, 0x80, // nla_len 32, NFTA_LIST_ELEM | NLA_F_NESTED
            0x07, 0x00, 0x01, 0x00, // nla_len 7, NFTA_EXPR_NAME
            0x63, 0x74, 0x00, 0x00, // "ct\0"
            0x14, 0x00, 0x02, 0x80, // nla_len 20, NFTA_EXPR_DATA | NLA_F_NESTED
                0x08, 0x00, 0x02, 0x00, // nla_len 8, NFTA_CT_KEY
                0x00, 0x00, 0x00, 0x00, // 0 (be32)
                0x08, 0x00, 0x01, 0x00, // nla_len 8, NFTA_CT_DREG
                0x00, 0x00, 0x00, 0x01, // 1 (be32)
        0x44, 0x00, 0x01, 0x80, // nla_len 68, NFTA_LIST_ELEM | NLA_F_NESTED
            0x0c, 0x00, 0x01, 0x00, // nla_len 12, NFTA_EXPR_NAME
            0x62, 0x69, 0x74, 0x77, 0x69, 0x73, 0x65, 0x00, // "bitwise\0"
            0x34, 0x00, 0x02, 0x80, // nla_len 52, NFTA_EXPR_DATA | NLA_F_NESTED
                0x08, 0x00, 0x01, 0x00, // nla_len 8, NFTA_BITWISE_SREG
                0x00, 0x00, 0x00, 0x01, // 1 (be32)
                0x08, 0x00, 0x02, 0x00, // nla_len 8, NFTA_BITWISE_DREG
                0x00, 0x00, 0x00, 0x01, // 1 (be32)
                0x08, 0x00, 0x03, 0x00, // nla_len 8, NFTA_BITWISE_LEN
                0x00, 0x00, 0x00, 0x04, // 4 (be32)
                0x0c, 0x00, 0x04, 0x80, // nla_len 12, NFTA_BITWISE_MASK | NLA_F_NESTED
                    0x08, 0x00, 0x01, 0x00, // nla_len 8, NFTA_DATA_VALUE
                    0x06, 0x00, 0x00, 0x00, // 06 00 00 00
                0x0c, 0x00, 0x05, 0x80, // nla_len 12, NFTA_BITWISE_XOR | NLA_F_NESTED
                    0x08, 0x00, 0x01, 0x00, // nla_len 8, NFTA_DATA_VALUE
                    0x00, 0x00, 0x00, 0x00, // 00 00 00 00
        0x2c, 0x00, 0x01, 0x80, // nla_len 44, NFTA_LIST_ELEM | NLA_F_NESTED
            0x08, 0x00, 0x01, 0x00, // nla_len 8, NFTA_EXPR_NAME
            0x63, 0x6d, 0x70, 0x00, // "cmp\0"
            0x20, 0x00, 0x02, 0x80, // nla_len 32, NFTA_EXPR_DATA | NLA_F_NESTED
                0x08, 0x00, 0x01, 0x00, // nla_len 8, NFTA_CMP_SREG
                0x00, 0x00, 0x00, 0x01, // 1 (be32)
                0x08, 0x00, 0x02, 0x00, // nla_len 8, NFTA_CMP_OP
                0x00, 0x00, 0x00, 0x01, // 1 (be32)
                0x0c, 0x00, 0x03, 0x80, // nla_len 12, NFTA_CMP_DATA | NLA_F_NESTED
                    0x08, 0x00, 0x01, 0x00, // nla_len 8, NFTA_DATA_VALUE
                    0x00, 0x00, 0x00, 0x00, // 00 00 00 00
        0x30, 0x00, 0x01, 0x80, // nla_len 48, NFTA_LIST_ELEM | NLA_F_NESTED
            0x0e, 0x00, 0x01, 0x00, // nla_len 14, NFTA_EXPR_NAME
            0x69, 0x6d, 0x6d, 0x65, 0x64, 0x69, 0x61, 0x74, // "immediate\0"
            0x65, 0x00, 0x00, 0x00, // ...
            0x1c, 0x00, 0x02, 0x80, // nla_len 28, NFTA_EXPR_DATA | NLA_F_NESTED
                0x08, 0x00, 0x01, 0x00, // nla_len 8, NFTA_IMMEDIATE_DREG
                0x00, 0x00, 0x00, 0x00, // 0 (be32)
                0x10, 0x00, 0x02, 0x80, // nla_len 16, NFTA_IMMEDIATE_DATA | NLA_F_NESTED
                    0x0c, 0x00, 0x02, 0x80, // nla_len 12, NFTA_DATA_VERDICT | NLA_F_NESTED
                        0x08, 0x00, 0x01, 0x00, // nla_len 8, NFTA_VERDICT_CODE
                        0x00, 0x00, 0x00, 0x01, // 1 (be32)
] };

/// `nft add rule inet t c meta l4proto icmp limit rate 10/second accept`
///
/// Captured with:
///
/// ```text
/// unshare -n sh -c '
///   nft add table inet t
///   nft add chain inet t c "{ type filter hook input priority 0; policy accept; }"
///   strace -f -e trace=sendmsg -e write=3 -xx -s 65535 \
///     nft add rule inet t c meta l4proto icmp limit rate 10/second accept
/// '
/// ```
#[rustfmt::skip]
const LIMIT_RULE: Capture = Capture { end_seq: 2, body: &[
    // NFT_MSG_NEWRULE
    0xec, 0x00, 0x00, 0x00, // nlmsg_len 236
    0x06, 0x0a, // nlmsg_type NFT_MSG_NEWRULE | NFNL_SUBSYS_NFTABLES << 8
    0x01, 0x0c, // nlmsg_flags NLM_F_REQUEST | NLM_F_CREATE | NLM_F_APPEND
    0x01, 0x00, 0x00, 0x00, // nlmsg_seq 1
    0x00, 0x00, 0x00, 0x00, // nlmsg_pid 0
    0x01, 0x00, // nfgen_family NFPROTO_INET, version NFNETLINK_V0
    0x00, 0x00, // res_id 0 (be16)
    0x06, 0x00, 0x01, 0x00, // nla_len 6, NFTA_RULE_TABLE
    0x74, 0x00, 0x00, 0x00, // "t\0"
    0x06, 0x00, 0x02, 0x00, // nla_len 6, NFTA_RULE_CHAIN
    0x63, 0x00, 0x00, 0x00, // "c\0"
    0xc8, 0x00, 0x04, 0x80, // nla_len 200, NFTA_RULE_EXPRESSIONS | NLA_F_NESTED
        0x24, 0x00, 0x01, 0x80, // nla_len 36, NFTA_LIST_ELEM | NLA_F_NESTED
            0x09, 0x00, 0x01, 0x00, // nla_len 9, NFTA_EXPR_NAME
            0x6d, 0x65, 0x74, 0x61, 0x00, 0x00, 0x00, 0x00, // "meta\0"
            0x14, 0x00, 0x02, 0x80, // nla_len 20, NFTA_EXPR_DATA | NLA_F_NESTED
                0x08, 0x00, 0x02, 0x00, // nla_len 8, NFTA_META_KEY
                0x00, 0x00, 0x00, 0x10, // 16 (be32, 0x10)
                0x08, 0x00, 0x01, 0x00, // nla_len 8, NFTA_META_DREG
                0x00, 0x00, 0x00, 0x01, // 1 (be32)
        0x2c, 0x00, 0x01, 0x80, // nla_len 44, NFTA_LIST_ELEM | NLA_F_NESTED
            0x08, 0x00, 0x01, 0x00, // nla_len 8, NFTA_EXPR_NAME
            0x63, 0x6d, 0x70, 0x00, // "cmp\0"
            0x20, 0x00, 0x02, 0x80, // nla_len 32, NFTA_EXPR_DATA | NLA_F_NESTED
                0x08, 0x00, 0x01, 0x00, // nla_len 8, NFTA_CMP_SREG
                0x00, 0x00, 0x00, 0x01, // 1 (be32)
                0x08, 0x00, 0x02, 0x00, // nla_len 8, NFTA_CMP_OP
                0x00, 0x00, 0x00, 0x00, // 0 (be32)
                0x0c, 0x00, 0x03, 0x80, // nla_len 12, NFTA_CMP_DATA | NLA_F_NESTED
                    0x05, 0x00, 0x01, 0x00, // nla_len 5, NFTA_DATA_VALUE
                    0x01, 0x00, 0x00, 0x00, // 01
        0x44, 0x00, 0x01, 0x80, // nla_len 68, NFTA_LIST_ELEM | NLA_F_NESTED
            0x0a, 0x00, 0x01, 0x00, // nla_len 10, NFTA_EXPR_NAME
            0x6c, 0x69, 0x6d, 0x69, 0x74, 0x00, 0x00, 0x00, // "limit\0"
            0x34, 0x00, 0x02, 0x80, // nla_len 52, NFTA_EXPR_DATA | NLA_F_NESTED
                0x0c, 0x00, 0x01, 0x00, // nla_len 12, NFTA_LIMIT_RATE
                0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0a, // 10 (be64)
                0x0c, 0x00, 0x02, 0x00, // nla_len 12, NFTA_LIMIT_UNIT
                0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, // 1 (be64)
                0x08, 0x00, 0x03, 0x00, // nla_len 8, NFTA_LIMIT_BURST
                0x00, 0x00, 0x00, 0x05, // 5 (be32)
                0x08, 0x00, 0x04, 0x00, // nla_len 8, NFTA_LIMIT_TYPE
                0x00, 0x00, 0x00, 0x00, // 0 (be32)
                0x08, 0x00, 0x05, 0x00, // nla_len 8, NFTA_LIMIT_FLAGS
                0x00, 0x00, 0x00, 0x00, // 0 (be32)
        0x30, 0x00, 0x01, 0x80, // nla_len 48, NFTA_LIST_ELEM | NLA_F_NESTED
            0x0e, 0x00, 0x01, 0x00, // nla_len 14, NFTA_EXPR_NAME
            0x69, 0x6d, 0x6d, 0x65, 0x64, 0x69, 0x61, 0x74, // "immediate\0"
            0x65, 0x00, 0x00, 0x00, // ...
            0x1c, 0x00, 0x02, 0x80, // nla_len 28, NFTA_EXPR_DATA | NLA_F_NESTED
                0x08, 0x00, 0x01, 0x00, // nla_len 8, NFTA_IMMEDIATE_DREG
                0x00, 0x00, 0x00, 0x00, // 0 (be32)
                0x10, 0x00, 0x02, 0x80, // nla_len 16, NFTA_IMMEDIATE_DATA | NLA_F_NESTED
                    0x0c, 0x00, 0x02, 0x80, // nla_len 12, NFTA_DATA_VERDICT | NLA_F_NESTED
                        0x08, 0x00, 0x01, 0x00, // nla_len 8, NFTA_VERDICT_CODE
                        0x00, 0x00, 0x00, 0x01, // 1 (be32)
] };

/// `nft add rule inet t c log prefix "in: " level warn drop`
///
/// Captured with:
///
/// ```text
/// unshare -n sh -c '
///   nft add table inet t
///   nft add chain inet t c "{ type filter hook input priority 0; policy accept; }"
///   strace -f -e trace=sendmsg -e write=3 -xx -s 65535 \
///     nft add rule inet t c log prefix \"in: \" level warn drop
/// '
/// ```
#[rustfmt::skip]
const LOG_RULE: Capture = Capture { end_seq: 2, body: &[
    // NFT_MSG_NEWRULE
    0x7c, 0x00, 0x00, 0x00, // nlmsg_len 124
    0x06, 0x0a, // nlmsg_type NFT_MSG_NEWRULE | NFNL_SUBSYS_NFTABLES << 8
    0x01, 0x0c, // nlmsg_flags NLM_F_REQUEST | NLM_F_CREATE | NLM_F_APPEND
    0x01, 0x00, 0x00, 0x00, // nlmsg_seq 1
    0x00, 0x00, 0x00, 0x00, // nlmsg_pid 0
    0x01, 0x00, // nfgen_family NFPROTO_INET, version NFNETLINK_V0
    0x00, 0x00, // res_id 0 (be16)
    0x06, 0x00, 0x01, 0x00, // nla_len 6, NFTA_RULE_TABLE
    0x74, 0x00, 0x00, 0x00, // "t\0"
    0x06, 0x00, 0x02, 0x00, // nla_len 6, NFTA_RULE_CHAIN
    0x63, 0x00, 0x00, 0x00, // "c\0"
    0x58, 0x00, 0x04, 0x80, // nla_len 88, NFTA_RULE_EXPRESSIONS | NLA_F_NESTED
        0x24, 0x00, 0x01, 0x80, // nla_len 36, NFTA_LIST_ELEM | NLA_F_NESTED
            0x08, 0x00, 0x01, 0x00, // nla_len 8, NFTA_EXPR_NAME
            0x6c, 0x6f, 0x67, 0x00, // "log\0"
            0x18, 0x00, 0x02, 0x80, // nla_len 24, NFTA_EXPR_DATA | NLA_F_NESTED
                0x09, 0x00, 0x02, 0x00, // nla_len 9, NFTA_LOG_PREFIX
                0x69, 0x6e, 0x3a, 0x20, 0x00, 0x00, 0x00, 0x00, // "in: \0"
                0x08, 0x00, 0x05, 0x00, // nla_len 8, NFTA_LOG_LEVEL
                0x00, 0x00, 0x00, 0x04, // 4 (be32)
        0x30, 0x00, 0x01, 0x80, // nla_len 48, NFTA_LIST_ELEM | NLA_F_NESTED
            0x0e, 0x00, 0x01, 0x00, // nla_len 14, NFTA_EXPR_NAME
            0x69, 0x6d, 0x6d, 0x65, 0x64, 0x69, 0x61, 0x74, // "immediate\0"
            0x65, 0x00, 0x00, 0x00, // ...
            0x1c, 0x00, 0x02, 0x80, // nla_len 28, NFTA_EXPR_DATA | NLA_F_NESTED
                0x08, 0x00, 0x01, 0x00, // nla_len 8, NFTA_IMMEDIATE_DREG
                0x00, 0x00, 0x00, 0x00, // 0 (be32)
                0x10, 0x00, 0x02, 0x80, // nla_len 16, NFTA_IMMEDIATE_DATA | NLA_F_NESTED
                    0x0c, 0x00, 0x02, 0x80, // nla_len 12, NFTA_DATA_VERDICT | NLA_F_NESTED
                        0x08, 0x00, 0x01, 0x00, // nla_len 8, NFTA_VERDICT_CODE
                        0x00, 0x00, 0x00, 0x00, // 0 (be32)
] };

/// `nft add rule inet t c reject with tcp reset`
///
/// Captured with:
///
/// ```text
/// unshare -n sh -c '
///   nft add table inet t
///   nft add chain inet t c "{ type filter hook input priority 0; policy accept; }"
///   strace -f -e trace=sendmsg -e write=3 -xx -s 65535 \
///     nft add rule inet t c reject with tcp reset
/// '
/// ```
#[rustfmt::skip]
const REJECT_TCP_RESET_RULE: Capture = Capture { end_seq: 2, body: &[
    // NFT_MSG_NEWRULE
    0x9c, 0x00, 0x00, 0x00, // nlmsg_len 156
    0x06, 0x0a, // nlmsg_type NFT_MSG_NEWRULE | NFNL_SUBSYS_NFTABLES << 8
    0x01, 0x0c, // nlmsg_flags NLM_F_REQUEST | NLM_F_CREATE | NLM_F_APPEND
    0x01, 0x00, 0x00, 0x00, // nlmsg_seq 1
    0x00, 0x00, 0x00, 0x00, // nlmsg_pid 0
    0x01, 0x00, // nfgen_family NFPROTO_INET, version NFNETLINK_V0
    0x00, 0x00, // res_id 0 (be16)
    0x06, 0x00, 0x01, 0x00, // nla_len 6, NFTA_RULE_TABLE
    0x74, 0x00, 0x00, 0x00, // "t\0"
    0x06, 0x00, 0x02, 0x00, // nla_len 6, NFTA_RULE_CHAIN
    0x63, 0x00, 0x00, 0x00, // "c\0"
    0x78, 0x00, 0x04, 0x80, // nla_len 120, NFTA_RULE_EXPRESSIONS | NLA_F_NESTED
        0x24, 0x00, 0x01, 0x80, // nla_len 36, NFTA_LIST_ELEM | NLA_F_NESTED
            0x09, 0x00, 0x01, 0x00, // nla_len 9, NFTA_EXPR_NAME
            0x6d, 0x65, 0x74, 0x61, 0x00, 0x00, 0x00, 0x00, // "meta\0"
            0x14, 0x00, 0x02, 0x80, // nla_len 20, NFTA_EXPR_DATA | NLA_F_NESTED
                0x08, 0x00, 0x02, 0x00, // nla_len 8, NFTA_META_KEY
                0x00, 0x00, 0x00, 0x10, // 16 (be32, 0x10)
                0x08, 0x00, 0x01, 0x00, // nla_len 8, NFTA_META_DREG
                0x00, 0x00, 0x00, 0x01, // 1 (be32)
        0x2c, 0x00, 0x01, 0x80, // nla_len 44, NFTA_LIST_ELEM | NLA_F_NESTED
            0x08, 0x00, 0x01, 0x00, // nla_len 8, NFTA_EXPR_NAME
            0x63, 0x6d, 0x70, 0x00, // "cmp\0"
            0x20, 0x00, 0x02, 0x80, // nla_len 32, NFTA_EXPR_DATA | NLA_F_NESTED
                0x08, 0x00, 0x01, 0x00, // nla_len 8, NFTA_CMP_SREG
                0x00, 0x00, 0x00, 0x01, // 1 (be32)
                0x08, 0x00, 0x02, 0x00, // nla_len 8, NFTA_CMP_OP
                0x00, 0x00, 0x00, 0x00, // 0 (be32)
                0x0c, 0x00, 0x03, 0x80, // nla_len 12, NFTA_CMP_DATA | NLA_F_NESTED
                    0x05, 0x00, 0x01, 0x00, // nla_len 5, NFTA_DATA_VALUE
                    0x06, 0x00, 0x00, 0x00, // 06
        0x24, 0x00, 0x01, 0x80, // nla_len 36, NFTA_LIST_ELEM | NLA_F_NESTED
            0x0b, 0x00, 0x01, 0x00, // nla_len 11, NFTA_EXPR_NAME
            0x72, 0x65, 0x6a, 0x65, 0x63, 0x74, 0x00, 0x00, // "reject\0"
            0x14, 0x00, 0x02, 0x80, // nla_len 20, NFTA_EXPR_DATA | NLA_F_NESTED
                0x08, 0x00, 0x01, 0x00, // nla_len 8, NFTA_REJECT_TYPE
                0x00, 0x00, 0x00, 0x01, // 1 (be32)
                0x05, 0x00, 0x02, 0x00, // nla_len 5, NFTA_REJECT_ICMP_CODE
                0x00, 0x00, 0x00, 0x00, // 0 (u8)
] };

/// `nft add rule inet t c reject`
///
/// Captured with:
///
/// ```text
/// unshare -n sh -c '
///   nft add table inet t
///   nft add chain inet t c "{ type filter hook input priority 0; policy accept; }"
///   strace -f -e trace=sendmsg -e write=3 -xx -s 65535 \
///     nft add rule inet t c reject
/// '
/// ```
#[rustfmt::skip]
const REJECT_RULE: Capture = Capture { end_seq: 2, body: &[
    // NFT_MSG_NEWRULE
    0x4c, 0x00, 0x00, 0x00, // nlmsg_len 76
    0x06, 0x0a, // nlmsg_type NFT_MSG_NEWRULE | NFNL_SUBSYS_NFTABLES << 8
    0x01, 0x0c, // nlmsg_flags NLM_F_REQUEST | NLM_F_CREATE | NLM_F_APPEND
    0x01, 0x00, 0x00, 0x00, // nlmsg_seq 1
    0x00, 0x00, 0x00, 0x00, // nlmsg_pid 0
    0x01, 0x00, // nfgen_family NFPROTO_INET, version NFNETLINK_V0
    0x00, 0x00, // res_id 0 (be16)
    0x06, 0x00, 0x01, 0x00, // nla_len 6, NFTA_RULE_TABLE
    0x74, 0x00, 0x00, 0x00, // "t\0"
    0x06, 0x00, 0x02, 0x00, // nla_len 6, NFTA_RULE_CHAIN
    0x63, 0x00, 0x00, 0x00, // "c\0"
    0x28, 0x00, 0x04, 0x80, // nla_len 40, NFTA_RULE_EXPRESSIONS | NLA_F_NESTED
        0x24, 0x00, 0x01, 0x80, // nla_len 36, NFTA_LIST_ELEM | NLA_F_NESTED
            0x0b, 0x00, 0x01, 0x00, // nla_len 11, NFTA_EXPR_NAME
            0x72, 0x65, 0x6a, 0x65, 0x63, 0x74, 0x00, 0x00, // "reject\0"
            0x14, 0x00, 0x02, 0x80, // nla_len 20, NFTA_EXPR_DATA | NLA_F_NESTED
                0x08, 0x00, 0x01, 0x00, // nla_len 8, NFTA_REJECT_TYPE
                0x00, 0x00, 0x00, 0x02, // 2 (be32)
                0x05, 0x00, 0x02, 0x00, // nla_len 5, NFTA_REJECT_ICMP_CODE
                0x01, 0x00, 0x00, 0x00, // 1 (u8)
] };

/// `nft add rule ip n pre tcp dport 80 dnat to 10.0.0.1:8080`
///
/// Captured with:
///
/// ```text
/// unshare -n sh -c '
///   nft add table ip n
///   nft add chain ip n pre "{ type nat hook prerouting priority -100; }"
///   nft add chain ip n post "{ type nat hook postrouting priority 100; }"
///   strace -f -e trace=sendmsg -e write=3 -xx -s 65535 \
///     nft add rule ip n pre tcp dport 80 dnat to 10.0.0.1:8080
/// '
/// ```
#[rustfmt::skip]
const DNAT_RULE: Capture = Capture { end_seq: 2, body: &[
    // NFT_MSG_NEWRULE
    0x68, 0x01, 0x00, 0x00, // nlmsg_len 360
    0x06, 0x0a, // nlmsg_type NFT_MSG_NEWRULE | NFNL_SUBSYS_NFTABLES << 8
    0x01, 0x0c, // nlmsg_flags NLM_F_REQUEST | NLM_F_CREATE | NLM_F_APPEND
    0x01, 0x00, 0x00, 0x00, // nlmsg_seq 1
    0x00, 0x00, 0x00, 0x00, // nlmsg_pid 0
    0x02, 0x00, // nfgen_family NFPROTO_IPV4, version NFNETLINK_V0
    0x00, 0x00, // res_id 0 (be16)
    0x06, 0x00, 0x01, 0x00, // nla_len 6, NFTA_RULE_TABLE
    0x6e, 0x00, 0x00, 0x00, // "n\0"
    0x08, 0x00, 0x02, 0x00, // nla_len 8, NFTA_RULE_CHAIN
    0x70, 0x72, 0x65, 0x00, // "pre\0"
    0x44, 0x01, 0x04, 0x80, // nla_len 324, NFTA_RULE_EXPRESSIONS | NLA_F_NESTED
        0x24, 0x00, 0x01, 0x80, // nla_len 36, NFTA_LIST_ELEM | NLA_F_NESTED
            0x09, 0x00, 0x01, 0x00, // nla_len 9, NFTA_EXPR_NAME
            0x6d, 0x65, 0x74, 0x61, 0x00, 0x00, 0x00, 0x00, // "meta\0"
            0x14, 0x00, 0x02, 0x80, // nla_len 20, NFTA_EXPR_DATA | NLA_F_NESTED
                0x08, 0x00, 0x02, 0x00, // nla_len 8, NFTA_META_KEY
                0x00, 0x00, 0x00, 0x10, // 16 (be32, 0x10)
                0x08, 0x00, 0x01, 0x00, // nla_len 8, NFTA_META_DREG
                0x00, 0x00, 0x00, 0x01, // 1 (be32)
        0x2c, 0x00, 0x01, 0x80, // nla_len 44, NFTA_LIST_ELEM | NLA_F_NESTED
            0x08, 0x00, 0x01, 0x00, // nla_len 8, NFTA_EXPR_NAME
            0x63, 0x6d, 0x70, 0x00, // "cmp\0"
            0x20, 0x00, 0x02, 0x80, // nla_len 32, NFTA_EXPR_DATA | NLA_F_NESTED
                0x08, 0x00, 0x01, 0x00, // nla_len 8, NFTA_CMP_SREG
                0x00, 0x00, 0x00, 0x01, // 1 (be32)
                0x08, 0x00, 0x02, 0x00, // nla_len 8, NFTA_CMP_OP
                0x00, 0x00, 0x00, 0x00, // 0 (be32)
                0x0c, 0x00, 0x03, 0x80, // nla_len 12, NFTA_CMP_DATA | NLA_F_NESTED
                    0x05, 0x00, 0x01, 0x00, // nla_len 5, NFTA_DATA_VALUE
                    0x06, 0x00, 0x00, 0x00, // 06
        0x34, 0x00, 0x01, 0x80, // nla_len 52, NFTA_LIST_ELEM | NLA_F_NESTED
            0x0c, 0x00, 0x01, 0x00, // nla_len 12, NFTA_EXPR_NAME
            0x70, 0x61, 0x79, 0x6c, 0x6f, 0x61, 0x64, 0x00, // "payload\0"
            0x24, 0x00, 0x02, 0x80, // nla_len 36, NFTA_EXPR_DATA | NLA_F_NESTED
                0x08, 0x00, 0x01, 0x00, // nla_len 8, NFTA_PAYLOAD_DREG
                0x00, 0x00, 0x00, 0x01, // 1 (be32)
                0x08, 0x00, 0x02, 0x00, // nla_len 8, NFTA_PAYLOAD_BASE
                0x00, 0x00, 0x00, 0x02, // 2 (be32)
                0x08, 0x00, 0x03, 0x00, // nla_len 8, NFTA_PAYLOAD_OFFSET
                0x00, 0x00, 0x00, 0x02, // 2 (be32)
                0x08, 0x00, 0x04, 0x00, // nla_len 8, NFTA_PAYLOAD_LEN
                0x00, 0x00, 0x00, 0x02, // 2 (be32)
        0x2c, 0x00, 0x01, 0x80, // nla_len 44, NFTA_LIST_ELEM | NLA_F_NESTED
            0x08, 0x00, 0x01, 0x00, // nla_len 8, NFTA_EXPR_NAME
            0x63, 0x6d, 0x70, 0x00, // "cmp\0"
            0x20, 0x00, 0x02, 0x80, // nla_len 32, NFTA_EXPR_DATA | NLA_F_NESTED
                0x08, 0x00, 0x01, 0x00, // nla_len 8, NFTA_CMP_SREG
                0x00, 0x00, 0x00, 0x01, // 1 (be32)
                0x08, 0x00, 0x02, 0x00, // nla_len 8, NFTA_CMP_OP
                0x00, 0x00, 0x00, 0x00, // 0 (be32)
                0x0c, 0x00, 0x03, 0x80, // nla_len 12, NFTA_CMP_DATA | NLA_F_NESTED
                    0x06, 0x00, 0x01, 0x00, // nla_len 6, NFTA_DATA_VALUE
                    0x00, 0x50, 0x00, 0x00, // 00 50
        0x2c, 0x00, 0x01, 0x80, // nla_len 44, NFTA_LIST_ELEM | NLA_F_NESTED
            0x0e, 0x00, 0x01, 0x00, // nla_len 14, NFTA_EXPR_NAME
            0x69, 0x6d, 0x6d, 0x65, 0x64, 0x69, 0x61, 0x74, // "immediate\0"
            0x65, 0x00, 0x00, 0x00, // ...
            0x18, 0x00, 0x02, 0x80, // nla_len 24, NFTA_EXPR_DATA | NLA_F_NESTED
                0x08, 0x00, 0x01, 0x00, // nla_len 8, NFTA_IMMEDIATE_DREG
                0x00, 0x00, 0x00, 0x01, // 1 (be32)
                0x0c, 0x00, 0x02, 0x80, // nla_len 12, NFTA_IMMEDIATE_DATA | NLA_F_NESTED
                    0x08, 0x00, 0x01, 0x00, // nla_len 8, NFTA_DATA_VALUE
                    0x0a, 0x00, 0x00, 0x01, // 0a 00 00 01
        0x2c, 0x00, 0x01, 0x80, // nla_len 44, NFTA_LIST_ELEM | NLA_F_NESTED
            0x0e, 0x00, 0x01, 0x00, // nla_len 14, NFTA_EXPR_NAME
            0x69, 0x6d, 0x6d, 0x65, 0x64, 0x69, 0x61, 0x74, // "immediate\0"
            0x65, 0x00, 0x00, 0x00, // ...
            0x18, 0x00, 0x02, 0x80, // nla_len 24, NFTA_EXPR_DATA | NLA_F_NESTED
                0x08, 0x00, 0x01, 0x00, // nla_len 8, NFTA_IMMEDIATE_DREG
                0x00, 0x00, 0x00, 0x02, // 2 (be32)
                0x0c, 0x00, 0x02, 0x80, // nla_len 12, NFTA_IMMEDIATE_DATA | NLA_F_NESTED
                    0x06, 0x00, 0x01, 0x00, // nla_len 6, NFTA_DATA_VALUE
                    0x1f, 0x90, 0x00, 0x00, // 1f 90
        0x38, 0x00, 0x01, 0x80, // nla_len 56, NFTA_LIST_ELEM | NLA_F_NESTED
            0x08, 0x00, 0x01, 0x00, // nla_len 8, NFTA_EXPR_NAME
            0x6e, 0x61, 0x74, 0x00, // "nat\0"
            0x2c, 0x00, 0x02, 0x80, // nla_len 44, NFTA_EXPR_DATA | NLA_F_NESTED
                0x08, 0x00, 0x01, 0x00, // nla_len 8, NFTA_NAT_TYPE
                0x00, 0x00, 0x00, 0x01, // 1 (be32)
                0x08, 0x00, 0x02, 0x00, // nla_len 8, NFTA_NAT_FAMILY
                0x00, 0x00, 0x00, 0x02, // 2 (be32)
                0x08, 0x00, 0x03, 0x00, // nla_len 8, NFTA_NAT_REG_ADDR_MIN
                0x00, 0x00, 0x00, 0x01, // 1 (be32)
                0x08, 0x00, 0x05, 0x00, // nla_len 8, NFTA_NAT_REG_PROTO_MIN
                0x00, 0x00, 0x00, 0x02, // 2 (be32)
                0x08, 0x00, 0x07, 0x00, // nla_len 8, NFTA_NAT_FLAGS
                0x00, 0x00, 0x00, 0x02, // 2 (be32)
] };

/// `nft add rule ip n post oifname eth0 masquerade`
///
/// Captured with:
///
/// ```text
/// unshare -n sh -c '
///   nft add table ip n
///   nft add chain ip n pre "{ type nat hook prerouting priority -100; }"
///   nft add chain ip n post "{ type nat hook postrouting priority 100; }"
///   strace -f -e trace=sendmsg -e write=3 -xx -s 65535 \
///     nft add rule ip n post oifname eth0 masquerade
/// '
/// ```
#[rustfmt::skip]
const MASQUERADE_RULE: Capture = Capture { end_seq: 2, body: &[
    // NFT_MSG_NEWRULE
    0x9c, 0x00, 0x00, 0x00, // nlmsg_len 156
    0x06, 0x0a, // nlmsg_type NFT_MSG_NEWRULE | NFNL_SUBSYS_NFTABLES << 8
    0x01, 0x0c, // nlmsg_flags NLM_F_REQUEST | NLM_F_CREATE | NLM_F_APPEND
    0x01, 0x00, 0x00, 0x00, // nlmsg_seq 1
    0x00, 0x00, 0x00, 0x00, // nlmsg_pid 0
    0x02, 0x00, // nfgen_family NFPROTO_IPV4, version NFNETLINK_V0
    0x00, 0x00, // res_id 0 (be16)
    0x06, 0x00, 0x01, 0x00, // nla_len 6, NFTA_RULE_TABLE
    0x6e, 0x00, 0x00, 0x00, // "n\0"
    0x09, 0x00, 0x02, 0x00, // nla_len 9, NFTA_RULE_CHAIN
    0x70, 0x6f, 0x73, 0x74, 0x00, 0x00, 0x00, 0x00, // "post\0"
    0x74, 0x00, 0x04, 0x80, // nla_len 116, NFTA_RULE_EXPRESSIONS | NLA_F_NESTED
        0x24, 0x00, 0x01, 0x80, // nla_len 36, NFTA_LIST_ELEM | NLA_F_NESTED
            0x09, 0x00, 0x01, 0x00, // nla_len 9, NFTA_EXPR_NAME
            0x6d, 0x65, 0x74, 0x61, 0x00, 0x00, 0x00, 0x00, // "meta\0"
            0x14, 0x00, 0x02, 0x80, // nla_len 20, NFTA_EXPR_DATA | NLA_F_NESTED
                0x08, 0x00, 0x02, 0x00, // nla_len 8, NFTA_META_KEY
                0x00, 0x00, 0x00, 0x07, // 7 (be32)
                0x08, 0x00, 0x01, 0x00, // nla_len 8, NFTA_META_DREG
                0x00, 0x00, 0x00, 0x01, // 1 (be32)
        0x38, 0x00, 0x01, 0x80, // nla_len 56, NFTA_LIST_ELEM | NLA_F_NESTED
            0x08, 0x00, 0x01, 0x00, // nla_len 8, NFTA_EXPR_NAME
            0x63, 0x6d, 0x70, 0x00, // "cmp\0"
            0x2c, 0x00, 0x02, 0x80, // nla_len 44, NFTA_EXPR_DATA | NLA_F_NESTED
                0x08, 0x00, 0x01, 0x00, // nla_len 8, NFTA_CMP_SREG
                0x00, 0x00, 0x00, 0x01, // 1 (be32)
                0x08, 0x00, 0x02, 0x00, // nla_len 8, NFTA_CMP_OP
                0x00, 0x00, 0x00, 0x00, // 0 (be32)
                0x18, 0x00, 0x03, 0x80, // nla_len 24, NFTA_CMP_DATA | NLA_F_NESTED
                    0x14, 0x00, 0x01, 0x00, // nla_len 20, NFTA_DATA_VALUE
                    0x65, 0x74, 0x68, 0x30, 0x00, 0x00, 0x00, 0x00, // 65 74 68 30 00 00 00 00
                    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, // 00 00 00 00 00 00 00 00
        0x14, 0x00, 0x01, 0x80, // nla_len 20, NFTA_LIST_ELEM | NLA_F_NESTED
            0x09, 0x00, 0x01, 0x00, // nla_len 9, NFTA_EXPR_NAME
            0x6d, 0x61, 0x73, 0x71, 0x00, 0x00, 0x00, 0x00, // "masq\0"
            0x04, 0x00, 0x02, 0x80, // nla_len 4, NFTA_EXPR_DATA | NLA_F_NESTED
] };

/// `nft add rule ip n pre tcp dport 80 redirect to :8080`
///
/// Captured with:
///
/// ```text
/// unshare -n sh -c '
///   nft add table ip n
///   nft add chain ip n pre "{ type nat hook prerouting priority -100; }"
///   nft add chain ip n post "{ type nat hook postrouting priority 100; }"
///   strace -f -e trace=sendmsg -e write=3 -xx -s 65535 \
///     nft add rule ip n pre tcp dport 80 redirect to :8080
/// '
/// ```
#[rustfmt::skip]
const REDIRECT_RULE: Capture = Capture { end_seq: 2, body: &[
    // NFT_MSG_NEWRULE
    0x28, 0x01, 0x00, 0x00, // nlmsg_len 296
    0x06, 0x0a, // nlmsg_type NFT_MSG_NEWRULE | NFNL_SUBSYS_NFTABLES << 8
    0x01, 0x0c, // nlmsg_flags NLM_F_REQUEST | NLM_F_CREATE | NLM_F_APPEND
    0x01, 0x00, 0x00, 0x00, // nlmsg_seq 1
    0x00, 0x00, 0x00, 0x00, // nlmsg_pid 0
    0x02, 0x00, // nfgen_family NFPROTO_IPV4, version NFNETLINK_V0
    0x00, 0x00, // res_id 0 (be16)
    0x06, 0x00, 0x01, 0x00, // nla_len 6, NFTA_RULE_TABLE
    0x6e, 0x00, 0x00, 0x00, // "n\0"
    0x08, 0x00, 0x02, 0x00, // nla_len 8, NFTA_RULE_CHAIN
    0x70, 0x72, 0x65, 0x00, // "pre\0"
    0x04, 0x01, 0x04, 0x80, // nla_len 260, NFTA_RULE_EXPRESSIONS | NLA_F_NESTED
        0x24, 0x00, 0x01, 0x80, // nla_len 36, NFTA_LIST_ELEM | NLA_F_NESTED
            0x09, 0x00, 0x01, 0x00, // nla_len 9, NFTA_EXPR_NAME
            0x6d, 0x65, 0x74, 0x61, 0x00, 0x00, 0x00, 0x00, // "meta\0"
            0x14, 0x00, 0x02, 0x80, // nla_len 20, NFTA_EXPR_DATA | NLA_F_NESTED
                0x08, 0x00, 0x02, 0x00, // nla_len 8, NFTA_META_KEY
                0x00, 0x00, 0x00, 0x10, // 16 (be32, 0x10)
                0x08, 0x00, 0x01, 0x00, // nla_len 8, NFTA_META_DREG
                0x00, 0x00, 0x00, 0x01, // 1 (be32)
        0x2c, 0x00, 0x01, 0x80, // nla_len 44, NFTA_LIST_ELEM | NLA_F_NESTED
            0x08, 0x00, 0x01, 0x00, // nla_len 8, NFTA_EXPR_NAME
            0x63, 0x6d, 0x70, 0x00, // "cmp\0"
            0x20, 0x00, 0x02, 0x80, // nla_len 32, NFTA_EXPR_DATA | NLA_F_NESTED
                0x08, 0x00, 0x01, 0x00, // nla_len 8, NFTA_CMP_SREG
                0x00, 0x00, 0x00, 0x01, // 1 (be32)
                0x08, 0x00, 0x02, 0x00, // nla_len 8, NFTA_CMP_OP
                0x00, 0x00, 0x00, 0x00, // 0 (be32)
                0x0c, 0x00, 0x03, 0x80, // nla_len 12, NFTA_CMP_DATA | NLA_F_NESTED
                    0x05, 0x00, 0x01, 0x00, // nla_len 5, NFTA_DATA_VALUE
                    0x06, 0x00, 0x00, 0x00, // 06
        0x34, 0x00, 0x01, 0x80, // nla_len 52, NFTA_LIST_ELEM | NLA_F_NESTED
            0x0c, 0x00, 0x01, 0x00, // nla_len 12, NFTA_EXPR_NAME
            0x70, 0x61, 0x79, 0x6c, 0x6f, 0x61, 0x64, 0x00, // "payload\0"
            0x24, 0x00, 0x02, 0x80, // nla_len 36, NFTA_EXPR_DATA | NLA_F_NESTED
                0x08, 0x00, 0x01, 0x00, // nla_len 8, NFTA_PAYLOAD_DREG
                0x00, 0x00, 0x00, 0x01, // 1 (be32)
                0x08, 0x00, 0x02, 0x00, // nla_len 8, NFTA_PAYLOAD_BASE
                0x00, 0x00, 0x00, 0x02, // 2 (be32)
                0x08, 0x00, 0x03, 0x00, // nla_len 8, NFTA_PAYLOAD_OFFSET
                0x00, 0x00, 0x00, 0x02, // 2 (be32)
                0x08, 0x00, 0x04, 0x00, // nla_len 8, NFTA_PAYLOAD_LEN
                0x00, 0x00, 0x00, 0x02, // 2 (be32)
        0x2c, 0x00, 0x01, 0x80, // nla_len 44, NFTA_LIST_ELEM | NLA_F_NESTED
            0x08, 0x00, 0x01, 0x00, // nla_len 8, NFTA_EXPR_NAME
            0x63, 0x6d, 0x70, 0x00, // "cmp\0"
            0x20, 0x00, 0x02, 0x80, // nla_len 32, NFTA_EXPR_DATA | NLA_F_NESTED
                0x08, 0x00, 0x01, 0x00, // nla_len 8, NFTA_CMP_SREG
                0x00, 0x00, 0x00, 0x01, // 1 (be32)
                0x08, 0x00, 0x02, 0x00, // nla_len 8, NFTA_CMP_OP
                0x00, 0x00, 0x00, 0x00, // 0 (be32)
                0x0c, 0x00, 0x03, 0x80, // nla_len 12, NFTA_CMP_DATA | NLA_F_NESTED
                    0x06, 0x00, 0x01, 0x00, // nla_len 6, NFTA_DATA_VALUE
                    0x00, 0x50, 0x00, 0x00, // 00 50
        0x2c, 0x00, 0x01, 0x80, // nla_len 44, NFTA_LIST_ELEM | NLA_F_NESTED
            0x0e, 0x00, 0x01, 0x00, // nla_len 14, NFTA_EXPR_NAME
            0x69, 0x6d, 0x6d, 0x65, 0x64, 0x69, 0x61, 0x74, // "immediate\0"
            0x65, 0x00, 0x00, 0x00, // ...
            0x18, 0x00, 0x02, 0x80, // nla_len 24, NFTA_EXPR_DATA | NLA_F_NESTED
                0x08, 0x00, 0x01, 0x00, // nla_len 8, NFTA_IMMEDIATE_DREG
                0x00, 0x00, 0x00, 0x01, // 1 (be32)
                0x0c, 0x00, 0x02, 0x80, // nla_len 12, NFTA_IMMEDIATE_DATA | NLA_F_NESTED
                    0x06, 0x00, 0x01, 0x00, // nla_len 6, NFTA_DATA_VALUE
                    0x1f, 0x90, 0x00, 0x00, // 1f 90
        0x24, 0x00, 0x01, 0x80, // nla_len 36, NFTA_LIST_ELEM | NLA_F_NESTED
            0x0a, 0x00, 0x01, 0x00, // nla_len 10, NFTA_EXPR_NAME
            0x72, 0x65, 0x64, 0x69, 0x72, 0x00, 0x00, 0x00, // "redir\0"
            0x14, 0x00, 0x02, 0x80, // nla_len 20, NFTA_EXPR_DATA | NLA_F_NESTED
                0x08, 0x00, 0x01, 0x00, // nla_len 8, NFTA_REDIR_REG_PROTO_MIN
                0x00, 0x00, 0x00, 0x01, // 1 (be32)
                0x08, 0x00, 0x03, 0x00, // nla_len 8, NFTA_REDIR_FLAGS
                0x00, 0x00, 0x00, 0x02, // 2 (be32)
] };

/// `nft add rule inet t c position 2 iifname lo accept comment "loopback"`
///
/// Captured with:
///
/// ```text
/// unshare -n sh -c '
///   nft add table inet t
///   nft add chain inet t c "{ type filter hook input priority 0; policy accept; }"
///   nft add rule inet t c accept
///   strace -f -e trace=sendmsg -e write=3 -xx -s 65535 \
///     nft add rule inet t c position 2 iifname lo accept comment \"loopback\"
/// '
/// ```
#[rustfmt::skip]
const POSITION_COMMENT_RULE: Capture = Capture { end_seq: 2, body: &[
    // NFT_MSG_NEWRULE
    0xd0, 0x00, 0x00, 0x00, // nlmsg_len 208
    0x06, 0x0a, // nlmsg_type NFT_MSG_NEWRULE | NFNL_SUBSYS_NFTABLES << 8
    0x01, 0x0c, // nlmsg_flags NLM_F_REQUEST | NLM_F_CREATE | NLM_F_APPEND
    0x01, 0x00, 0x00, 0x00, // nlmsg_seq 1
    0x00, 0x00, 0x00, 0x00, // nlmsg_pid 0
    0x01, 0x00, // nfgen_family NFPROTO_INET, version NFNETLINK_V0
    0x00, 0x00, // res_id 0 (be16)
    0x06, 0x00, 0x01, 0x00, // nla_len 6, NFTA_RULE_TABLE
    0x74, 0x00, 0x00, 0x00, // "t\0"
    0x06, 0x00, 0x02, 0x00, // nla_len 6, NFTA_RULE_CHAIN
    0x63, 0x00, 0x00, 0x00, // "c\0"
    0x90, 0x00, 0x04, 0x80, // nla_len 144, NFTA_RULE_EXPRESSIONS | NLA_F_NESTED
        0x24, 0x00, 0x01, 0x80, // nla_len 36, NFTA_LIST_ELEM | NLA_F_NESTED
            0x09, 0x00, 0x01, 0x00, // nla_len 9, NFTA_EXPR_NAME
            0x6d, 0x65, 0x74, 0x61, 0x00, 0x00, 0x00, 0x00, // "meta\0"
            0x14, 0x00, 0x02, 0x80, // nla_len 20, NFTA_EXPR_DATA | NLA_F_NESTED
                0x08, 0x00, 0x02, 0x00, // nla_len 8, NFTA_META_KEY
                0x00, 0x00, 0x00, 0x06, // 6 (be32)
                0x08, 0x00, 0x01, 0x00, // nla_len 8, NFTA_META_DREG
                0x00, 0x00, 0x00, 0x01, // 1 (be32)
        0x38, 0x00, 0x01, 0x80, // nla_len 56, NFTA_LIST_ELEM | NLA_F_NESTED
            0x08, 0x00, 0x01, 0x00, // nla_len 8, NFTA_EXPR_NAME
            0x63, 0x6d, 0x70, 0x00, // "cmp\0"
            0x2c, 0x00, 0x02, 0x80, // nla_len 44, NFTA_EXPR_DATA | NLA_F_NESTED
                0x08, 0x00, 0x01, 0x00, // nla_len 8, NFTA_CMP_SREG
                0x00, 0x00, 0x00, 0x01, // 1 (be32)
                0x08, 0x00, 0x02, 0x00, // nla_len 8, NFTA_CMP_OP
                0x00, 0x00, 0x00, 0x00, // 0 (be32)
                0x18, 0x00, 0x03, 0x80, // nla_len 24, NFTA_CMP_DATA | NLA_F_NESTED
                    0x14, 0x00, 0x01, 0x00, // nla_len 20, NFTA_DATA_VALUE
                    0x6c, 0x6f, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, // 6c 6f 00 00 00 00 00 00
                    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, // 00 00 00 00 00 00 00 00
        0x30, 0x00, 0x01, 0x80, // nla_len 48, NFTA_LIST_ELEM | NLA_F_NESTED
            0x0e, 0x00, 0x01, 0x00, // nla_len 14, NFTA_EXPR_NAME
            0x69, 0x6d, 0x6d, 0x65, 0x64, 0x69, 0x61, 0x74, // "immediate\0"
            0x65, 0x00, 0x00, 0x00, // ...
            0x1c, 0x00, 0x02, 0x80, // nla_len 28, NFTA_EXPR_DATA | NLA_F_NESTED
                0x08, 0x00, 0x01, 0x00, // nla_len 8, NFTA_IMMEDIATE_DREG
                0x00, 0x00, 0x00, 0x00, // 0 (be32)
                0x10, 0x00, 0x02, 0x80, // nla_len 16, NFTA_IMMEDIATE_DATA | NLA_F_NESTED
                    0x0c, 0x00, 0x02, 0x80, // nla_len 12, NFTA_DATA_VERDICT | NLA_F_NESTED
                        0x08, 0x00, 0x01, 0x00, // nla_len 8, NFTA_VERDICT_CODE
                        0x00, 0x00, 0x00, 0x01, // 1 (be32)
    0x0c, 0x00, 0x06, 0x00, // nla_len 12, NFTA_RULE_POSITION
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, // 2 (be64)
    0x0f, 0x00, 0x07, 0x00, // nla_len 15, NFTA_RULE_USERDATA
    0x00, 0x09, 0x6c, 0x6f, 0x6f, 0x70, 0x62, 0x61, // 00 09 6c 6f 6f 70 62 61
    0x63, 0x6b, 0x00, 0x00, // 63 6b 00
] };

/// `nft replace rule inet t c handle 2 drop`
///
/// Captured with:
///
/// ```text
/// unshare -n sh -c '
///   nft add table inet t
///   nft add chain inet t c "{ type filter hook input priority 0; policy accept; }"
///   nft add rule inet t c accept
///   strace -f -e trace=sendmsg -e write=3 -xx -s 65535 \
///     nft replace rule inet t c handle 2 drop
/// '
/// ```
#[rustfmt::skip]
const REPLACE_RULE: Capture = Capture { end_seq: 2, body: &[
    // NFT_MSG_NEWRULE
    0x64, 0x00, 0x00, 0x00, // nlmsg_len 100
    0x06, 0x0a, // nlmsg_type NFT_MSG_NEWRULE | NFNL_SUBSYS_NFTABLES << 8
    0x01, 0x01, // nlmsg_flags NLM_F_REQUEST | NLM_F_REPLACE
    0x01, 0x00, 0x00, 0x00, // nlmsg_seq 1
    0x00, 0x00, 0x00, 0x00, // nlmsg_pid 0
    0x01, 0x00, // nfgen_family NFPROTO_INET, version NFNETLINK_V0
    0x00, 0x00, // res_id 0 (be16)
    0x06, 0x00, 0x01, 0x00, // nla_len 6, NFTA_RULE_TABLE
    0x74, 0x00, 0x00, 0x00, // "t\0"
    0x06, 0x00, 0x02, 0x00, // nla_len 6, NFTA_RULE_CHAIN
    0x63, 0x00, 0x00, 0x00, // "c\0"
    0x0c, 0x00, 0x03, 0x00, // nla_len 12, NFTA_RULE_HANDLE
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, // 2 (be64)
    0x34, 0x00, 0x04, 0x80, // nla_len 52, NFTA_RULE_EXPRESSIONS | NLA_F_NESTED
        0x30, 0x00, 0x01, 0x80, // nla_len 48, NFTA_LIST_ELEM | NLA_F_NESTED
            0x0e, 0x00, 0x01, 0x00, // nla_len 14, NFTA_EXPR_NAME
            0x69, 0x6d, 0x6d, 0x65, 0x64, 0x69, 0x61, 0x74, // "immediate\0"
            0x65, 0x00, 0x00, 0x00, // ...
            0x1c, 0x00, 0x02, 0x80, // nla_len 28, NFTA_EXPR_DATA | NLA_F_NESTED
                0x08, 0x00, 0x01, 0x00, // nla_len 8, NFTA_IMMEDIATE_DREG
                0x00, 0x00, 0x00, 0x00, // 0 (be32)
                0x10, 0x00, 0x02, 0x80, // nla_len 16, NFTA_IMMEDIATE_DATA | NLA_F_NESTED
                    0x0c, 0x00, 0x02, 0x80, // nla_len 12, NFTA_DATA_VERDICT | NLA_F_NESTED
                        0x08, 0x00, 0x01, 0x00, // nla_len 8, NFTA_VERDICT_CODE
                        0x00, 0x00, 0x00, 0x00, // 0 (be32)
] };

/// `nft add rule inet t c tcp dport != 1000-2000 quota over 100 mbytes drop`
///
/// Captured with:
///
/// ```text
/// unshare -n sh -c '
///   nft add table inet t
///   nft add chain inet t c "{ type filter hook input priority 0; policy accept; }"
///   strace -f -e trace=sendmsg -e write=3 -xx -s 65535 \
///     nft add rule inet t c tcp dport != 1000-2000 quota over 100 mbytes drop
/// '
/// ```
#[rustfmt::skip]
const QUOTA_RANGE_RULE: Capture = Capture { end_seq: 2, body: &[
    // NFT_MSG_NEWRULE
    0x4c, 0x01, 0x00, 0x00, // nlmsg_len 332
    0x06, 0x0a, // nlmsg_type NFT_MSG_NEWRULE | NFNL_SUBSYS_NFTABLES << 8
    0x01, 0x0c, // nlmsg_flags NLM_F_REQUEST | NLM_F_CREATE | NLM_F_APPEND
    0x01, 0x00, 0x00, 0x00, // nlmsg_seq 1
    0x00, 0x00, 0x00, 0x00, // nlmsg_pid 0
    0x01, 0x00, // nfgen_family NFPROTO_INET, version NFNETLINK_V0
    0x00, 0x00, // res_id 0 (be16)
    0x06, 0x00, 0x01, 0x00, // nla_len 6, NFTA_RULE_TABLE
    0x74, 0x00, 0x00, 0x00, // "t\0"
    0x06, 0x00, 0x02, 0x00, // nla_len 6, NFTA_RULE_CHAIN
    0x63, 0x00, 0x00, 0x00, // "c\0"
    0x28, 0x01, 0x04, 0x80, // nla_len 296, NFTA_RULE_EXPRESSIONS | NLA_F_NESTED
        0x24, 0x00, 0x01, 0x80, // nla_len 36, NFTA_LIST_ELEM | NLA_F_NESTED
            0x09, 0x00, 0x01, 0x00, // nla_len 9, NFTA_EXPR_NAME
            0x6d, 0x65, 0x74, 0x61, 0x00, 0x00, 0x00, 0x00, // "meta\0"
            0x14, 0x00, 0x02, 0x80, // nla_len 20, NFTA_EXPR_DATA | NLA_F_NESTED
                0x08, 0x00, 0x02, 0x00, // nla_len 8, NFTA_META_KEY
                0x00, 0x00, 0x00, 0x10, // 16 (be32, 0x10)
                0x08, 0x00, 0x01, 0x00, // nla_len 8, NFTA_META_DREG
                0x00, 0x00, 0x00, 0x01, // 1 (be32)
        0x2c, 0x00, 0x01, 0x80, // nla_len 44, NFTA_LIST_ELEM | NLA_F_NESTED
            0x08, 0x00, 0x01, 0x00, // nla_len 8, NFTA_EXPR_NAME
            0x63, 0x6d, 0x70, 0x00, // "cmp\0"
            0x20, 0x00, 0x02, 0x80, // nla_len 32, NFTA_EXPR_DATA | NLA_F_NESTED
                0x08, 0x00, 0x01, 0x00, // nla_len 8, NFTA_CMP_SREG
                0x00, 0x00, 0x00, 0x01, // 1 (be32)
                0x08, 0x00, 0x02, 0x00, // nla_len 8, NFTA_CMP_OP
                0x00, 0x00, 0x00, 0x00, // 0 (be32)
                0x0c, 0x00, 0x03, 0x80, // nla_len 12, NFTA_CMP_DATA | NLA_F_NESTED
                    0x05, 0x00, 0x01, 0x00, // nla_len 5, NFTA_DATA_VALUE
                    0x06, 0x00, 0x00, 0x00, // 06
        0x34, 0x00, 0x01, 0x80, // nla_len 52, NFTA_LIST_ELEM | NLA_F_NESTED
            0x0c, 0x00, 0x01, 0x00, // nla_len 12, NFTA_EXPR_NAME
            0x70, 0x61, 0x79, 0x6c, 0x6f, 0x61, 0x64, 0x00, // "payload\0"
            0x24, 0x00, 0x02, 0x80, // nla_len 36, NFTA_EXPR_DATA | NLA_F_NESTED
                0x08, 0x00, 0x01, 0x00, // nla_len 8, NFTA_PAYLOAD_DREG
                0x00, 0x00, 0x00, 0x01, // 1 (be32)
                0x08, 0x00, 0x02, 0x00, // nla_len 8, NFTA_PAYLOAD_BASE
                0x00, 0x00, 0x00, 0x02, // 2 (be32)
                0x08, 0x00, 0x03, 0x00, // nla_len 8, NFTA_PAYLOAD_OFFSET
                0x00, 0x00, 0x00, 0x02, // 2 (be32)
                0x08, 0x00, 0x04, 0x00, // nla_len 8, NFTA_PAYLOAD_LEN
                0x00, 0x00, 0x00, 0x02, // 2 (be32)
        0x3c, 0x00, 0x01, 0x80, // nla_len 60, NFTA_LIST_ELEM | NLA_F_NESTED
            0x0a, 0x00, 0x01, 0x00, // nla_len 10, NFTA_EXPR_NAME
            0x72, 0x61, 0x6e, 0x67, 0x65, 0x00, 0x00, 0x00, // "range\0"
            0x2c, 0x00, 0x02, 0x80, // nla_len 44, NFTA_EXPR_DATA | NLA_F_NESTED
                0x08, 0x00, 0x01, 0x00, // nla_len 8, NFTA_RANGE_SREG
                0x00, 0x00, 0x00, 0x01, // 1 (be32)
                0x08, 0x00, 0x02, 0x00, // nla_len 8, NFTA_RANGE_OP
                0x00, 0x00, 0x00, 0x01, // 1 (be32)
                0x0c, 0x00, 0x03, 0x80, // nla_len 12, NFTA_RANGE_FROM_DATA | NLA_F_NESTED
                    0x06, 0x00, 0x01, 0x00, // nla_len 6, NFTA_DATA_VALUE
                    0x03, 0xe8, 0x00, 0x00, // 03 e8
                0x0c, 0x00, 0x04, 0x80, // nla_len 12, NFTA_RANGE_TO_DATA | NLA_F_NESTED
                    0x06, 0x00, 0x01, 0x00, // nla_len 6, NFTA_DATA_VALUE
                    0x07, 0xd0, 0x00, 0x00, // 07 d0
        0x34, 0x00, 0x01, 0x80, // nla_len 52, NFTA_LIST_ELEM | NLA_F_NESTED
            0x0a, 0x00, 0x01, 0x00, // nla_len 10, NFTA_EXPR_NAME
            0x71, 0x75, 0x6f, 0x74, 0x61, 0x00, 0x00, 0x00, // "quota\0"
            0x24, 0x00, 0x02, 0x80, // nla_len 36, NFTA_EXPR_DATA | NLA_F_NESTED
                0x0c, 0x00, 0x01, 0x00, // nla_len 12, NFTA_QUOTA_BYTES
                0x00, 0x00, 0x00, 0x00, 0x06, 0x40, 0x00, 0x00, // 104857600 (be64)
                0x0c, 0x00, 0x04, 0x00, // nla_len 12, NFTA_QUOTA_CONSUMED
                0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, // 0 (be64)
                0x08, 0x00, 0x02, 0x00, // nla_len 8, NFTA_QUOTA_FLAGS
                0x00, 0x00, 0x00, 0x01, // 1 (be32)
        0x30, 0x00, 0x01, 0x80, // nla_len 48, NFTA_LIST_ELEM | NLA_F_NESTED
            0x0e, 0x00, 0x01, 0x00, // nla_len 14, NFTA_EXPR_NAME
            0x69, 0x6d, 0x6d, 0x65, 0x64, 0x69, 0x61, 0x74, // "immediate\0"
            0x65, 0x00, 0x00, 0x00, // ...
            0x1c, 0x00, 0x02, 0x80, // nla_len 28, NFTA_EXPR_DATA | NLA_F_NESTED
                0x08, 0x00, 0x01, 0x00, // nla_len 8, NFTA_IMMEDIATE_DREG
                0x00, 0x00, 0x00, 0x00, // 0 (be32)
                0x10, 0x00, 0x02, 0x80, // nla_len 16, NFTA_IMMEDIATE_DATA | NLA_F_NESTED
                    0x0c, 0x00, 0x02, 0x80, // nla_len 12, NFTA_DATA_VERDICT | NLA_F_NESTED
                        0x08, 0x00, 0x01, 0x00, // nla_len 8, NFTA_VERDICT_CODE
                        0x00, 0x00, 0x00, 0x00, // 0 (be32)
] };

/// `nft add rule inet t c meta mark set 0x10 jump other`
///
/// Captured with:
///
/// ```text
/// unshare -n sh -c '
///   nft add table inet t
///   nft add chain inet t c "{ type filter hook input priority 0; policy accept; }"
///   nft add chain inet t other
///   strace -f -e trace=sendmsg -e write=3 -xx -s 65535 \
///     nft add rule inet t c meta mark set 0x10 jump other
/// '
/// ```
#[rustfmt::skip]
const MARK_JUMP_RULE: Capture = Capture { end_seq: 2, body: &[
    // NFT_MSG_NEWRULE
    0xb4, 0x00, 0x00, 0x00, // nlmsg_len 180
    0x06, 0x0a, // nlmsg_type NFT_MSG_NEWRULE | NFNL_SUBSYS_NFTABLES << 8
    0x01, 0x0c, // nlmsg_flags NLM_F_REQUEST | NLM_F_CREATE | NLM_F_APPEND
    0x01, 0x00, 0x00, 0x00, // nlmsg_seq 1
    0x00, 0x00, 0x00, 0x00, // nlmsg_pid 0
    0x01, 0x00, // nfgen_family NFPROTO_INET, version NFNETLINK_V0
    0x00, 0x00, // res_id 0 (be16)
    0x06, 0x00, 0x01, 0x00, // nla_len 6, NFTA_RULE_TABLE
    0x74, 0x00, 0x00, 0x00, // "t\0"
    0x06, 0x00, 0x02, 0x00, // nla_len 6, NFTA_RULE_CHAIN
    0x63, 0x00, 0x00, 0x00, // "c\0"
    0x90, 0x00, 0x04, 0x80, // nla_len 144, NFTA_RULE_EXPRESSIONS | NLA_F_NESTED
        0x2c, 0x00, 0x01, 0x80, // nla_len 44, NFTA_LIST_ELEM | NLA_F_NESTED
            0x0e, 0x00, 0x01, 0x00, // nla_len 14, NFTA_EXPR_NAME
            0x69, 0x6d, 0x6d, 0x65, 0x64, 0x69, 0x61, 0x74, // "immediate\0"
            0x65, 0x00, 0x00, 0x00, // ...
            0x18, 0x00, 0x02, 0x80, // nla_len 24, NFTA_EXPR_DATA | NLA_F_NESTED
                0x08, 0x00, 0x01, 0x00, // nla_len 8, NFTA_IMMEDIATE_DREG
                0x00, 0x00, 0x00, 0x01, // 1 (be32)
                0x0c, 0x00, 0x02, 0x80, // nla_len 12, NFTA_IMMEDIATE_DATA | NLA_F_NESTED
                    0x08, 0x00, 0x01, 0x00, // nla_len 8, NFTA_DATA_VALUE
                    0x10, 0x00, 0x00, 0x00, // 10 00 00 00
        0x24, 0x00, 0x01, 0x80, // nla_len 36, NFTA_LIST_ELEM | NLA_F_NESTED
            0x09, 0x00, 0x01, 0x00, // nla_len 9, NFTA_EXPR_NAME
            0x6d, 0x65, 0x74, 0x61, 0x00, 0x00, 0x00, 0x00, // "meta\0"
            0x14, 0x00, 0x02, 0x80, // nla_len 20, NFTA_EXPR_DATA | NLA_F_NESTED
                0x08, 0x00, 0x02, 0x00, // nla_len 8, NFTA_META_KEY
                0x00, 0x00, 0x00, 0x03, // 3 (be32)
                0x08, 0x00, 0x03, 0x00, // nla_len 8, NFTA_META_SREG
                0x00, 0x00, 0x00, 0x01, // 1 (be32)
        0x3c, 0x00, 0x01, 0x80, // nla_len 60, NFTA_LIST_ELEM | NLA_F_NESTED
            0x0e, 0x00, 0x01, 0x00, // nla_len 14, NFTA_EXPR_NAME
            0x69, 0x6d, 0x6d, 0x65, 0x64, 0x69, 0x61, 0x74, // "immediate\0"
            0x65, 0x00, 0x00, 0x00, // ...
            0x28, 0x00, 0x02, 0x80, // nla_len 40, NFTA_EXPR_DATA | NLA_F_NESTED
                0x08, 0x00, 0x01, 0x00, // nla_len 8, NFTA_IMMEDIATE_DREG
                0x00, 0x00, 0x00, 0x00, // 0 (be32)
                0x1c, 0x00, 0x02, 0x80, // nla_len 28, NFTA_IMMEDIATE_DATA | NLA_F_NESTED
                    0x18, 0x00, 0x02, 0x80, // nla_len 24, NFTA_DATA_VERDICT | NLA_F_NESTED
                        0x08, 0x00, 0x01, 0x00, // nla_len 8, NFTA_VERDICT_CODE
                        0xff, 0xff, 0xff, 0xfd, // -3 (be32, 0xfffffffd)
                        0x0a, 0x00, 0x02, 0x00, // nla_len 10, NFTA_VERDICT_CHAIN
                        0x6f, 0x74, 0x68, 0x65, 0x72, 0x00, 0x00, 0x00, // "other\0"
] };

/// `nft add rule inet t c ip saddr vmap @m`
///
/// Captured with:
///
/// ```text
/// unshare -n sh -c '
///   nft add table inet t
///   nft add chain inet t c "{ type filter hook input priority 0; policy accept; }"
///   nft add map inet t m "{ type ipv4_addr : verdict; }"
///   strace -f -e trace=sendmsg -e write=3 -xx -s 65535 \
///     nft add rule inet t c ip saddr vmap @m
/// '
/// ```
#[rustfmt::skip]
const VMAP_RULE: Capture = Capture { end_seq: 2, body: &[
    // NFT_MSG_NEWRULE
    0xe0, 0x00, 0x00, 0x00, // nlmsg_len 224
    0x06, 0x0a, // nlmsg_type NFT_MSG_NEWRULE | NFNL_SUBSYS_NFTABLES << 8
    0x01, 0x0c, // nlmsg_flags NLM_F_REQUEST | NLM_F_CREATE | NLM_F_APPEND
    0x01, 0x00, 0x00, 0x00, // nlmsg_seq 1
    0x00, 0x00, 0x00, 0x00, // nlmsg_pid 0
    0x01, 0x00, // nfgen_family NFPROTO_INET, version NFNETLINK_V0
    0x00, 0x00, // res_id 0 (be16)
    0x06, 0x00, 0x01, 0x00, // nla_len 6, NFTA_RULE_TABLE
    0x74, 0x00, 0x00, 0x00, // "t\0"
    0x06, 0x00, 0x02, 0x00, // nla_len 6, NFTA_RULE_CHAIN
    0x63, 0x00, 0x00, 0x00, // "c\0"
    0xbc, 0x00, 0x04, 0x80, // nla_len 188, NFTA_RULE_EXPRESSIONS | NLA_F_NESTED
        0x24, 0x00, 0x01, 0x80, // nla_len 36, NFTA_LIST_ELEM | NLA_F_NESTED
            0x09, 0x00, 0x01, 0x00, // nla_len 9, NFTA_EXPR_NAME
            0x6d, 0x65, 0x74, 0x61, 0x00, 0x00, 0x00, 0x00, // "meta\0"
            0x14, 0x00, 0x02, 0x80, // nla_len 20, NFTA_EXPR_DATA | NLA_F_NESTED
                0x08, 0x00, 0x02, 0x00, // nla_len 8, NFTA_META_KEY
                0x00, 0x00, 0x00, 0x0f, // 15 (be32, 0xf)
                0x08, 0x00, 0x01, 0x00, // nla_len 8, NFTA_META_DREG
                0x00, 0x00, 0x00, 0x01, // 1 (be32)
        0x2c, 0x00, 0x01, 0x80, // nla_len 44, NFTA_LIST_ELEM | NLA_F_NESTED
            0x08, 0x00, 0x01, 0x00, // nla_len 8, NFTA_EXPR_NAME
            0x63, 0x6d, 0x70, 0x00, // "cmp\0"
            0x20, 0x00, 0x02, 0x80, // nla_len 32, NFTA_EXPR_DATA | NLA_F_NESTED
                0x08, 0x00, 0x01, 0x00, // nla_len 8, NFTA_CMP_SREG
                0x00, 0x00, 0x00, 0x01, // 1 (be32)
                0x08, 0x00, 0x02, 0x00, // nla_len 8, NFTA_CMP_OP
                0x00, 0x00, 0x00, 0x00, // 0 (be32)
                0x0c, 0x00, 0x03, 0x80, // nla_len 12, NFTA_CMP_DATA | NLA_F_NESTED
                    0x05, 0x00, 0x01, 0x00, // nla_len 5, NFTA_DATA_VALUE
                    0x02, 0x00, 0x00, 0x00, // 02
        0x34, 0x00, 0x01, 0x80, // nla_len 52, NFTA_LIST_ELEM | NLA_F_NESTED
            0x0c, 0x00, 0x01, 0x00, // nla_len 12, NFTA_EXPR_NAME
            0x70, 0x61, 0x79, 0x6c, 0x6f, 0x61, 0x64, 0x00, // "payload\0"
            0x24, 0x00, 0x02, 0x80, // nla_len 36, NFTA_EXPR_DATA | NLA_F_NESTED
                0x08, 0x00, 0x01, 0x00, // nla_len 8, NFTA_PAYLOAD_DREG
                0x00, 0x00, 0x00, 0x01, // 1 (be32)
                0x08, 0x00, 0x02, 0x00, // nla_len 8, NFTA_PAYLOAD_BASE
                0x00, 0x00, 0x00, 0x01, // 1 (be32)
                0x08, 0x00, 0x03, 0x00, // nla_len 8, NFTA_PAYLOAD_OFFSET
                0x00, 0x00, 0x00, 0x0c, // 12 (be32, 0xc)
                0x08, 0x00, 0x04, 0x00, // nla_len 8, NFTA_PAYLOAD_LEN
                0x00, 0x00, 0x00, 0x04, // 4 (be32)
        0x34, 0x00, 0x01, 0x80, // nla_len 52, NFTA_LIST_ELEM | NLA_F_NESTED
            0x0b, 0x00, 0x01, 0x00, // nla_len 11, NFTA_EXPR_NAME
            0x6c, 0x6f, 0x6f, 0x6b, 0x75, 0x70, 0x00, 0x00, // "lookup\0"
            0x24, 0x00, 0x02, 0x80, // nla_len 36, NFTA_EXPR_DATA | NLA_F_NESTED
                0x08, 0x00, 0x02, 0x00, // nla_len 8, NFTA_LOOKUP_SREG
                0x00, 0x00, 0x00, 0x01, // 1 (be32)
                0x08, 0x00, 0x03, 0x00, // nla_len 8, NFTA_LOOKUP_DREG
                0x00, 0x00, 0x00, 0x00, // 0 (be32)
                0x06, 0x00, 0x01, 0x00, // nla_len 6, NFTA_LOOKUP_SET
                0x6d, 0x00, 0x00, 0x00, // "m\0"
                0x08, 0x00, 0x04, 0x00, // nla_len 8, NFTA_LOOKUP_SET_ID
                0x00, 0x00, 0x00, 0x01, // 1 (be32)
] };

/// `nft add element inet t m { 1.2.3.4 : jump other, 5.6.7.8 : drop }`
///
/// Captured with:
///
/// ```text
/// unshare -n sh -c '
///   nft add table inet t
///   nft add chain inet t c "{ type filter hook input priority 0; policy accept; }"
///   nft add chain inet t other
///   nft add map inet t m "{ type ipv4_addr : verdict; }"
///   strace -f -e trace=sendmsg -e write=3 -xx -s 65535 \
///     nft add element inet t m "{ 1.2.3.4 : jump other, 5.6.7.8 : drop }"
/// '
/// ```
#[rustfmt::skip]
const VMAP_ELEMENTS: Capture = Capture { end_seq: 2, body: &[
    // NFT_MSG_NEWSETELEM
    0x7c, 0x00, 0x00, 0x00, // nlmsg_len 124
    0x0c, 0x0a, // nlmsg_type NFT_MSG_NEWSETELEM | NFNL_SUBSYS_NFTABLES << 8
    0x01, 0x04, // nlmsg_flags NLM_F_REQUEST | NLM_F_CREATE
    0x01, 0x00, 0x00, 0x00, // nlmsg_seq 1
    0x00, 0x00, 0x00, 0x00, // nlmsg_pid 0
    0x01, 0x00, // nfgen_family NFPROTO_INET, version NFNETLINK_V0
    0x00, 0x00, // res_id 0 (be16)
    0x06, 0x00, 0x01, 0x00, // nla_len 6, NFTA_SET_ELEM_LIST_TABLE
    0x74, 0x00, 0x00, 0x00, // "t\0"
    0x06, 0x00, 0x02, 0x00, // nla_len 6, NFTA_SET_ELEM_LIST_SET
    0x6d, 0x00, 0x00, 0x00, // "m\0"
    0x08, 0x00, 0x04, 0x00, // nla_len 8, NFTA_SET_ELEM_LIST_SET_ID
    0x00, 0x00, 0x00, 0x01, // 1 (be32)
    0x50, 0x00, 0x03, 0x80, // nla_len 80, NFTA_SET_ELEM_LIST_ELEMENTS | NLA_F_NESTED
        0x2c, 0x00, 0x01, 0x80, // nla_len 44, element 1 | NLA_F_NESTED
            0x0c, 0x00, 0x01, 0x80, // nla_len 12, NFTA_SET_ELEM_KEY | NLA_F_NESTED
                0x08, 0x00, 0x01, 0x00, // nla_len 8, NFTA_DATA_VALUE
                0x01, 0x02, 0x03, 0x04, // 01 02 03 04
            0x1c, 0x00, 0x02, 0x80, // nla_len 28, NFTA_SET_ELEM_DATA | NLA_F_NESTED
                0x18, 0x00, 0x02, 0x80, // nla_len 24, NFTA_DATA_VERDICT | NLA_F_NESTED
                    0x08, 0x00, 0x01, 0x00, // nla_len 8, NFTA_VERDICT_CODE
                    0xff, 0xff, 0xff, 0xfd, // -3 (be32, 0xfffffffd)
                    0x0a, 0x00, 0x02, 0x00, // nla_len 10, NFTA_VERDICT_CHAIN
                    0x6f, 0x74, 0x68, 0x65, 0x72, 0x00, 0x00, 0x00, // "other\0"
        0x20, 0x00, 0x02, 0x80, // nla_len 32, element 2 | NLA_F_NESTED
            0x0c, 0x00, 0x01, 0x80, // nla_len 12, NFTA_SET_ELEM_KEY | NLA_F_NESTED
                0x08, 0x00, 0x01, 0x00, // nla_len 8, NFTA_DATA_VALUE
                0x05, 0x06, 0x07, 0x08, // 05 06 07 08
            0x10, 0x00, 0x02, 0x80, // nla_len 16, NFTA_SET_ELEM_DATA | NLA_F_NESTED
                0x0c, 0x00, 0x02, 0x80, // nla_len 12, NFTA_DATA_VERDICT | NLA_F_NESTED
                    0x08, 0x00, 0x01, 0x00, // nla_len 8, NFTA_VERDICT_CODE
                    0x00, 0x00, 0x00, 0x00, // 0 (be32)
] };

/// `nft add element inet t s { 1.2.3.4 timeout 10s comment "x" }`
///
/// Captured with:
///
/// ```text
/// unshare -n sh -c '
///   nft add table inet t
///   nft add chain inet t c "{ type filter hook input priority 0; policy accept; }"
///   nft add set inet t s "{ type ipv4_addr; flags timeout; }"
///   strace -f -e trace=sendmsg -e write=3 -xx -s 65535 \
///     nft add element inet t s "{ 1.2.3.4 timeout 10s comment \"x\" }"
/// '
/// ```
#[rustfmt::skip]
const TIMEOUT_ELEMENT: Capture = Capture { end_seq: 2, body: &[
    // NFT_MSG_NEWSETELEM
    0x54, 0x00, 0x00, 0x00, // nlmsg_len 84
    0x0c, 0x0a, // nlmsg_type NFT_MSG_NEWSETELEM | NFNL_SUBSYS_NFTABLES << 8
    0x01, 0x04, // nlmsg_flags NLM_F_REQUEST | NLM_F_CREATE
    0x01, 0x00, 0x00, 0x00, // nlmsg_seq 1
    0x00, 0x00, 0x00, 0x00, // nlmsg_pid 0
    0x01, 0x00, // nfgen_family NFPROTO_INET, version NFNETLINK_V0
    0x00, 0x00, // res_id 0 (be16)
    0x06, 0x00, 0x01, 0x00, // nla_len 6, NFTA_SET_ELEM_LIST_TABLE
    0x74, 0x00, 0x00, 0x00, // "t\0"
    0x06, 0x00, 0x02, 0x00, // nla_len 6, NFTA_SET_ELEM_LIST_SET
    0x73, 0x00, 0x00, 0x00, // "s\0"
    0x08, 0x00, 0x04, 0x00, // nla_len 8, NFTA_SET_ELEM_LIST_SET_ID
    0x00, 0x00, 0x00, 0x01, // 1 (be32)
    0x28, 0x00, 0x03, 0x80, // nla_len 40, NFTA_SET_ELEM_LIST_ELEMENTS | NLA_F_NESTED
        0x24, 0x00, 0x01, 0x80, // nla_len 36, element 1 | NLA_F_NESTED
            0x0c, 0x00, 0x04, 0x00, // nla_len 12, NFTA_SET_ELEM_TIMEOUT
            0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x27, 0x10, // 10000 (be64)
            0x0c, 0x00, 0x01, 0x80, // nla_len 12, NFTA_SET_ELEM_KEY | NLA_F_NESTED
                0x08, 0x00, 0x01, 0x00, // nla_len 8, NFTA_DATA_VALUE
                0x01, 0x02, 0x03, 0x04, // 01 02 03 04
            0x08, 0x00, 0x06, 0x00, // nla_len 8, NFTA_SET_ELEM_USERDATA
            0x00, 0x02, 0x78, 0x00, // 00 02 78 00
] };

/// `nft delete rule inet t c handle 2`
///
/// Captured with:
///
/// ```text
/// unshare -n sh -c '
///   nft add table inet t
///   nft add chain inet t c "{ type filter hook input priority 0; policy accept; }"
///   nft add rule inet t c accept
///   strace -f -e trace=sendmsg -e write=3 -xx -s 65535 \
///     nft delete rule inet t c handle 2
/// '
/// ```
#[rustfmt::skip]
const DELETE_RULE: Capture = Capture { end_seq: 2, body: &[
    // NFT_MSG_DELRULE
    0x30, 0x00, 0x00, 0x00, // nlmsg_len 48
    0x08, 0x0a, // nlmsg_type NFT_MSG_DELRULE | NFNL_SUBSYS_NFTABLES << 8
    0x01, 0x00, // nlmsg_flags NLM_F_REQUEST
    0x01, 0x00, 0x00, 0x00, // nlmsg_seq 1
    0x00, 0x00, 0x00, 0x00, // nlmsg_pid 0
    0x01, 0x00, // nfgen_family NFPROTO_INET, version NFNETLINK_V0
    0x00, 0x00, // res_id 0 (be16)
    0x06, 0x00, 0x01, 0x00, // nla_len 6, NFTA_RULE_TABLE
    0x74, 0x00, 0x00, 0x00, // "t\0"
    0x06, 0x00, 0x02, 0x00, // nla_len 6, NFTA_RULE_CHAIN
    0x63, 0x00, 0x00, 0x00, // "c\0"
    0x0c, 0x00, 0x03, 0x00, // nla_len 12, NFTA_RULE_HANDLE
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, // 2 (be64)
] };

/// `nft flush chain inet t c`
///
/// Captured with:
///
/// ```text
/// unshare -n sh -c '
///   nft add table inet t
///   nft add chain inet t c "{ type filter hook input priority 0; policy accept; }"
///   nft add rule inet t c accept
///   strace -f -e trace=sendmsg -e write=3 -xx -s 65535 \
///     nft flush chain inet t c
/// '
/// ```
#[rustfmt::skip]
const FLUSH_CHAIN: Capture = Capture { end_seq: 2, body: &[
    // NFT_MSG_DELRULE
    0x24, 0x00, 0x00, 0x00, // nlmsg_len 36
    0x08, 0x0a, // nlmsg_type NFT_MSG_DELRULE | NFNL_SUBSYS_NFTABLES << 8
    0x01, 0x00, // nlmsg_flags NLM_F_REQUEST
    0x01, 0x00, 0x00, 0x00, // nlmsg_seq 1
    0x00, 0x00, 0x00, 0x00, // nlmsg_pid 0
    0x01, 0x00, // nfgen_family NFPROTO_INET, version NFNETLINK_V0
    0x00, 0x00, // res_id 0 (be16)
    0x06, 0x00, 0x01, 0x00, // nla_len 6, NFTA_RULE_TABLE
    0x74, 0x00, 0x00, 0x00, // "t\0"
    0x06, 0x00, 0x02, 0x00, // nla_len 6, NFTA_RULE_CHAIN
    0x63, 0x00, 0x00, 0x00, // "c\0"
] };

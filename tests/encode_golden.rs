//! Golden tests: the batch encoder must produce, byte for byte, what nft 1.0.6 sends.
//!
//! The expected bytes below were captured on x86_64 (little endian) from nft 1.0.6, in a
//! private network namespace so that the host's ruleset is not touched:
//!
//! ```text
//! unshare -n sh -c '
//!     strace -f -e trace=sendmsg -e write=3 -xx -s 4096 nft add table inet t2
//!     nft add table inet t
//!     nft add set inet t s "{ type ipv4_addr; }"
//!     strace -f -e trace=sendmsg -e write=3 -xx -s 4096 nft add element inet t s "{ 10.0.0.1 }"
//! '
//! ```
//!
//! `-e write=3` makes strace dump the raw bytes of every iovec sent on the netlink socket
//! (fd 3); without it strace prints the same datagram decoded field by field. Each capture is
//! one `sendmsg` of one iovec. The arrays are written out field by field so that a mismatch
//! points at the field, and each is also decoded with `nlbatch::decode` to check the decoder
//! against the same truth.

use nlbatch::arena::{ArenaConfig, DEFAULT_PAGE_SIZE};
use nlbatch::decode::{Attr, MessageIter, MessageView};
use nlbatch::message::{Batch, BatchConfig, NLA_F_NESTED, NLM_F_CREATE, NLM_F_REQUEST};

/// `NFNL_MSG_BATCH_BEGIN`: opens an nfnetlink transaction.
const NFNL_MSG_BATCH_BEGIN: u16 = 0x10;
/// `NFNL_MSG_BATCH_END`: commits an nfnetlink transaction.
const NFNL_MSG_BATCH_END: u16 = 0x11;
/// `NFNL_SUBSYS_NFTABLES`: the nf_tables subsystem, carried in `res_id` of the batch messages
/// and in the high byte of every nf_tables message type.
const NFNL_SUBSYS_NFTABLES: u16 = 10;
/// `NFT_MSG_NEWTABLE`.
const NFT_MSG_NEWTABLE: u16 = 0;
/// `NFT_MSG_NEWSETELEM`.
const NFT_MSG_NEWSETELEM: u16 = 12;
/// `NFPROTO_INET`: the `inet` family (IPv4 and IPv6).
const NFPROTO_INET: u8 = 1;
/// `AF_UNSPEC`: the family of the batch messages.
const AF_UNSPEC: u8 = 0;
/// `NFNETLINK_V0`: the only nfgenmsg version.
const NFNETLINK_V0: u8 = 0;

/// `NFTA_TABLE_NAME`: string.
const NFTA_TABLE_NAME: u16 = 1;
/// `NFTA_TABLE_FLAGS`: big-endian u32.
const NFTA_TABLE_FLAGS: u16 = 2;
/// `NFTA_SET_ELEM_LIST_TABLE`: string.
const NFTA_SET_ELEM_LIST_TABLE: u16 = 1;
/// `NFTA_SET_ELEM_LIST_SET`: string.
const NFTA_SET_ELEM_LIST_SET: u16 = 2;
/// `NFTA_SET_ELEM_LIST_ELEMENTS`: nest of `NFTA_LIST_ELEM`.
const NFTA_SET_ELEM_LIST_ELEMENTS: u16 = 3;
/// `NFTA_SET_ELEM_LIST_SET_ID`: big-endian u32.
const NFTA_SET_ELEM_LIST_SET_ID: u16 = 4;
/// `NFTA_LIST_ELEM`: one element of a list nest.
const NFTA_LIST_ELEM: u16 = 1;
/// `NFTA_SET_ELEM_KEY`: nest holding the element's key as `NFTA_DATA_VALUE`.
const NFTA_SET_ELEM_KEY: u16 = 1;
/// `NFTA_DATA_VALUE`: raw bytes of a value, here an IPv4 address in network order.
const NFTA_DATA_VALUE: u16 = 1;

/// Host-order u16, as in `nlmsghdr` and `nlattr`.
fn ne16(v: u16) -> [u8; 2] {
    v.to_ne_bytes()
}

/// Host-order u32, as in `nlmsghdr`.
fn ne32(v: u32) -> [u8; 4] {
    v.to_ne_bytes()
}

/// Concatenates the fields of a capture.
fn bytes(fields: &[&[u8]]) -> Vec<u8> {
    fields.concat()
}

/// The 20-byte `BATCH_BEGIN` or `BATCH_END` message that frames every nft transaction.
fn batch_marker(msg_type: u16, seq: u32) -> Vec<u8> {
    bytes(&[
        &ne32(20),                           // nlmsg_len
        &ne16(msg_type),                     // nlmsg_type
        &ne16(NLM_F_REQUEST),                // nlmsg_flags
        &ne32(seq),                          // nlmsg_seq
        &ne32(0),                            // nlmsg_pid: the kernel
        &[AF_UNSPEC],                        // nfgen_family
        &[NFNETLINK_V0],                     // version
        &NFNL_SUBSYS_NFTABLES.to_be_bytes(), // res_id, big-endian
    ])
}

/// `nft add table inet t2`: 76 bytes.
fn add_table_capture() -> Vec<u8> {
    let newtable = bytes(&[
        &ne32(36),                                           // nlmsg_len
        &ne16(NFNL_SUBSYS_NFTABLES << 8 | NFT_MSG_NEWTABLE), // nlmsg_type 0x0a00
        &ne16(NLM_F_REQUEST),                                // nlmsg_flags
        &ne32(1),                                            // nlmsg_seq
        &ne32(0),                                            // nlmsg_pid
        &[NFPROTO_INET, NFNETLINK_V0, 0, 0],                 // nfgenmsg, res_id 0
        &ne16(7),                                            // nla_len: 4 + "t2\0", unpadded
        &ne16(NFTA_TABLE_NAME),                              // nla_type
        b"t2\0",                                             // name
        &[0],                                                // padding to 4
        &ne16(8),                                            // nla_len
        &ne16(NFTA_TABLE_FLAGS),                             // nla_type
        &0u32.to_be_bytes(),                                 // flags, big-endian
    ]);
    let out = bytes(&[
        &batch_marker(NFNL_MSG_BATCH_BEGIN, 0),
        &newtable,
        &batch_marker(NFNL_MSG_BATCH_END, 2),
    ]);
    assert_eq!(out.len(), 76);
    out
}

/// `nft add element inet t s { 10.0.0.1 }` with `s` of type `ipv4_addr`: 104 bytes.
fn add_element_capture() -> Vec<u8> {
    let newsetelem = bytes(&[
        &ne32(64),                                             // nlmsg_len
        &ne16(NFNL_SUBSYS_NFTABLES << 8 | NFT_MSG_NEWSETELEM), // nlmsg_type 0x0a0c
        &ne16(NLM_F_REQUEST | NLM_F_CREATE),                   // nlmsg_flags 0x401
        &ne32(1),                                              // nlmsg_seq
        &ne32(0),                                              // nlmsg_pid
        &[NFPROTO_INET, NFNETLINK_V0, 0, 0],                   // nfgenmsg
        &ne16(6),                                              // nla_len: 4 + "t\0"
        &ne16(NFTA_SET_ELEM_LIST_TABLE),                       // nla_type
        b"t\0",                                                // table name
        &[0, 0],                                               // padding
        &ne16(6),                                              // nla_len: 4 + "s\0"
        &ne16(NFTA_SET_ELEM_LIST_SET),                         // nla_type
        b"s\0",                                                // set name
        &[0, 0],                                               // padding
        &ne16(8),                                              // nla_len
        &ne16(NFTA_SET_ELEM_LIST_SET_ID),                      // nla_type
        &1u32.to_be_bytes(),                                   // set id, big-endian
        &ne16(20),                                             // nla_len of the list nest
        &ne16(NLA_F_NESTED | NFTA_SET_ELEM_LIST_ELEMENTS),     // nla_type 0x8003
        &ne16(16),                                             // nla_len of the element nest
        &ne16(NLA_F_NESTED | NFTA_LIST_ELEM),                  // nla_type 0x8001
        &ne16(12),                                             // nla_len of the key nest
        &ne16(NLA_F_NESTED | NFTA_SET_ELEM_KEY),               // nla_type 0x8001
        &ne16(8),                                              // nla_len
        &ne16(NFTA_DATA_VALUE),                                // nla_type
        &[10, 0, 0, 1],                                        // 10.0.0.1, network order
    ]);
    let out = bytes(&[
        &batch_marker(NFNL_MSG_BATCH_BEGIN, 0),
        &newsetelem,
        &batch_marker(NFNL_MSG_BATCH_END, 2),
    ]);
    assert_eq!(out.len(), 104);
    out
}

/// The page sizes every golden test runs at: smallest, common, default.
const PAGE_SIZES: [usize; 3] = [4096, 65536, DEFAULT_PAGE_SIZE];

/// An empty batch numbered from 0, as in the captures.
fn batch(page_size: usize) -> Batch {
    let config = BatchConfig {
        arena: ArenaConfig::with_page_size(page_size),
        seq_start: 0,
        ..BatchConfig::default()
    };
    Batch::new(config).expect("valid page size")
}

/// Appends a `BATCH_BEGIN` or `BATCH_END` message.
fn put_marker(batch: &mut Batch, msg_type: u16) {
    let mut msg = batch.message(msg_type, NLM_F_REQUEST).unwrap();
    let mut nfgenmsg = [AF_UNSPEC, NFNETLINK_V0, 0, 0];
    nfgenmsg[2..].copy_from_slice(&NFNL_SUBSYS_NFTABLES.to_be_bytes());
    msg.family_header(&nfgenmsg).unwrap();
    msg.finish().unwrap();
}

#[test]
fn add_table_matches_nft() {
    for page_size in PAGE_SIZES {
        let mut batch = batch(page_size);
        put_marker(&mut batch, NFNL_MSG_BATCH_BEGIN);
        let newtable = NFNL_SUBSYS_NFTABLES << 8 | NFT_MSG_NEWTABLE;
        let mut msg = batch.message(newtable, NLM_F_REQUEST).unwrap();
        msg.family_header(&[NFPROTO_INET, NFNETLINK_V0, 0, 0])
            .unwrap();
        msg.put_strz(NFTA_TABLE_NAME, "t2").unwrap();
        msg.put_be32(NFTA_TABLE_FLAGS, 0).unwrap();
        assert_eq!(msg.finish().unwrap(), 1);
        put_marker(&mut batch, NFNL_MSG_BATCH_END);

        assert_eq!(batch.to_vec(), add_table_capture(), "page size {page_size}");
        assert_eq!(
            (batch.message_count(), batch.len(), batch.page_count()),
            (3, 76, 1)
        );
        assert_eq!(batch.iovecs().len(), 1);
    }
}

#[test]
fn add_element_matches_nft() {
    for page_size in PAGE_SIZES {
        let mut batch = batch(page_size);
        put_marker(&mut batch, NFNL_MSG_BATCH_BEGIN);
        let newsetelem = NFNL_SUBSYS_NFTABLES << 8 | NFT_MSG_NEWSETELEM;
        let mut msg = batch
            .message(newsetelem, NLM_F_REQUEST | NLM_F_CREATE)
            .unwrap();
        msg.family_header(&[NFPROTO_INET, NFNETLINK_V0, 0, 0])
            .unwrap();
        msg.put_strz(NFTA_SET_ELEM_LIST_TABLE, "t").unwrap();
        msg.put_strz(NFTA_SET_ELEM_LIST_SET, "s").unwrap();
        msg.put_be32(NFTA_SET_ELEM_LIST_SET_ID, 1).unwrap();
        // The encoder ORs NLA_F_NESTED in itself: pass the bare types.
        let list = msg.begin_nest(NFTA_SET_ELEM_LIST_ELEMENTS).unwrap();
        let elem = msg.begin_nest(NFTA_LIST_ELEM).unwrap();
        let key = msg.begin_nest(NFTA_SET_ELEM_KEY).unwrap();
        msg.put(NFTA_DATA_VALUE, &[10, 0, 0, 1]).unwrap();
        msg.end_nest(key).unwrap();
        msg.end_nest(elem).unwrap();
        msg.end_nest(list).unwrap();
        assert_eq!(msg.finish().unwrap(), 1);
        put_marker(&mut batch, NFNL_MSG_BATCH_END);

        assert_eq!(
            batch.to_vec(),
            add_element_capture(),
            "page size {page_size}"
        );
        assert_eq!(
            (batch.message_count(), batch.len(), batch.page_count()),
            (3, 104, 1)
        );
        assert_eq!(
            batch.message_bytes_by_seq(1),
            Some(&add_element_capture()[20..84])
        );
    }
}

/// The captures as strace's `-e write=3` dumped them, little endian. The field-by-field
/// builders above must agree with these raw bytes, so a slip in a builder cannot hide behind
/// the same slip in the encoder.
#[cfg(target_endian = "little")]
const RAW_DUMPS: [&[u8]; 2] = [
    b"\x14\x00\x00\x00\x10\x00\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\
      \x00\x00\x00\x0a\x24\x00\x00\x00\x00\x0a\x01\x00\x01\x00\x00\x00\
      \x00\x00\x00\x00\x01\x00\x00\x00\x07\x00\x01\x00\x74\x32\x00\x00\
      \x08\x00\x02\x00\x00\x00\x00\x00\x14\x00\x00\x00\x11\x00\x01\x00\
      \x02\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x0a",
    b"\x14\x00\x00\x00\x10\x00\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\
      \x00\x00\x00\x0a\x40\x00\x00\x00\x0c\x0a\x01\x04\x01\x00\x00\x00\
      \x00\x00\x00\x00\x01\x00\x00\x00\x06\x00\x01\x00\x74\x00\x00\x00\
      \x06\x00\x02\x00\x73\x00\x00\x00\x08\x00\x04\x00\x00\x00\x00\x01\
      \x14\x00\x03\x80\x10\x00\x01\x80\x0c\x00\x01\x80\x08\x00\x01\x00\
      \x0a\x00\x00\x01\x14\x00\x00\x00\x11\x00\x01\x00\x02\x00\x00\x00\
      \x00\x00\x00\x00\x00\x00\x00\x0a",
];

#[cfg(target_endian = "little")]
#[test]
fn field_by_field_builders_match_raw_dumps() {
    assert_eq!(add_table_capture(), RAW_DUMPS[0]);
    assert_eq!(add_element_capture(), RAW_DUMPS[1]);
}

/// Checks the header of a decoded message.
fn assert_header(msg: &MessageView<'_>, len: usize, msg_type: u16, flags: u16, seq: u32) {
    assert_eq!(msg.len(), len, "nlmsg_len");
    assert_eq!(msg.msg_type(), msg_type, "nlmsg_type");
    assert_eq!(msg.flags(), flags, "nlmsg_flags");
    assert_eq!(msg.seq(), seq, "nlmsg_seq");
    assert_eq!(msg.port_id(), 0, "nlmsg_pid");
}

/// Checks a decoded `BATCH_BEGIN` or `BATCH_END` message.
fn assert_marker(msg: &MessageView<'_>, msg_type: u16, seq: u32) {
    assert_header(msg, 20, msg_type, NLM_F_REQUEST, seq);
    assert_eq!(
        msg.payload(),
        [AF_UNSPEC, NFNETLINK_V0, 0, 10],
        "nfgenmsg, res_id big-endian"
    );
    assert_eq!(msg.attrs(4).count(), 0);
}

/// The attributes of a run, all of them well formed.
fn attrs<'a>(
    iter: impl Iterator<Item = Result<Attr<'a>, nlbatch::decode::DecodeError>>,
) -> Vec<Attr<'a>> {
    iter.collect::<Result<_, _>>()
        .expect("well-formed attributes")
}

#[test]
fn add_table_capture_decodes() {
    let capture = add_table_capture();
    let msgs: Vec<_> = MessageIter::new(&capture)
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(msgs.len(), 3);
    assert_marker(&msgs[0], NFNL_MSG_BATCH_BEGIN, 0);
    assert_marker(&msgs[2], NFNL_MSG_BATCH_END, 2);

    let newtable = &msgs[1];
    assert_header(newtable, 36, 0x0a00, NLM_F_REQUEST, 1);
    assert_eq!(newtable.offset(), 20);
    assert_eq!(newtable.payload()[..4], [NFPROTO_INET, NFNETLINK_V0, 0, 0]);
    let list = attrs(newtable.attrs(4));
    assert_eq!(list.len(), 2);
    assert_eq!(
        (list[0].kind(), list[0].raw_type()),
        (NFTA_TABLE_NAME, NFTA_TABLE_NAME)
    );
    assert_eq!(list[0].data(), b"t2\0", "payload without padding");
    assert_eq!(list[0].str(), Some("t2"));
    assert_eq!(list[0].offset(), 20, "from the message header");
    assert_eq!(list[1].kind(), NFTA_TABLE_FLAGS);
    assert_eq!(list[1].be32(), Some(0));
    assert_eq!(list[1].offset(), 28, "after the padded name");
}

#[test]
fn add_element_capture_decodes() {
    let capture = add_element_capture();
    let msgs: Vec<_> = MessageIter::new(&capture)
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(msgs.len(), 3);
    assert_marker(&msgs[0], NFNL_MSG_BATCH_BEGIN, 0);
    assert_marker(&msgs[2], NFNL_MSG_BATCH_END, 2);

    let newsetelem = &msgs[1];
    assert_header(newsetelem, 64, 0x0a0c, 0x401, 1);
    assert_eq!(
        newsetelem.payload()[..4],
        [NFPROTO_INET, NFNETLINK_V0, 0, 0]
    );
    let top = attrs(newsetelem.attrs(4));
    assert_eq!(top.len(), 4);
    assert_eq!(
        (top[0].kind(), top[0].str()),
        (NFTA_SET_ELEM_LIST_TABLE, Some("t"))
    );
    assert_eq!(
        (top[1].kind(), top[1].str()),
        (NFTA_SET_ELEM_LIST_SET, Some("s"))
    );
    assert_eq!(
        (top[2].kind(), top[2].be32()),
        (NFTA_SET_ELEM_LIST_SET_ID, Some(1))
    );

    let elements = &top[3];
    assert_eq!(elements.kind(), NFTA_SET_ELEM_LIST_ELEMENTS);
    assert_eq!(elements.raw_type(), 0x8003);
    assert!(elements.has_nested_flag());
    assert_eq!((elements.offset(), elements.data().len()), (44, 16));

    let elem = attrs(elements.nested());
    assert_eq!(elem.len(), 1);
    assert_eq!((elem[0].raw_type(), elem[0].offset()), (0x8001, 48));
    let key = attrs(elem[0].nested());
    assert_eq!(key.len(), 1);
    assert_eq!((key[0].raw_type(), key[0].offset()), (0x8001, 52));
    let value = attrs(key[0].nested());
    assert_eq!(value.len(), 1);
    assert_eq!(value[0].kind(), NFTA_DATA_VALUE);
    assert!(!value[0].has_nested_flag());
    assert_eq!(
        (value[0].data(), value[0].offset()),
        (&[10u8, 0, 0, 1][..], 56)
    );
}

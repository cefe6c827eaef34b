//! Property tests: whatever the messages and the page size, the pages of a batch hold exactly
//! the bytes a plain contiguous netlink encoder produces, every page holds whole messages, and
//! the decoder gives the messages back. The decoder must also survive any bytes.

use nlbatch::arena::{ArenaConfig, DEFAULT_PAGE_SIZE, MIN_PAGE_SIZE};
use nlbatch::decode::{Attr, AttrIter, MessageIter};
use nlbatch::message::{
    align, Batch, BatchConfig, EncodeError, Message, NLA_F_NESTED, NLA_F_NET_BYTEORDER, NLA_HDRLEN,
    NLA_MAX_LEN, NLA_TYPE_MASK, NLMSG_HDRLEN,
};
use proptest::prelude::*;

/// Length of the family header every generated message carries (an nfgenmsg).
const FAMILY_LEN: usize = 4;

/// One attribute of a generated message.
#[derive(Debug, Clone)]
enum Node {
    /// Raw payload; the type may carry `NLA_F_NET_BYTEORDER`.
    Raw { attr_type: u16, payload: Vec<u8> },
    /// A string without NUL, written with its terminating NUL.
    Str { attr_type: u16, value: String },
    /// A nest; the type is given without flags.
    Nest { attr_type: u16, children: Vec<Node> },
}

/// One generated message.
#[derive(Debug, Clone)]
struct Msg {
    msg_type: u16,
    flags: u16,
    family: [u8; FAMILY_LEN],
    attrs: Vec<Node>,
    /// Written, then dropped unfinished instead of finished.
    abandon: bool,
}

fn node() -> impl Strategy<Value = Node> {
    let raw = (
        0..=NLA_TYPE_MASK,
        any::<bool>(),
        prop::collection::vec(any::<u8>(), 0..300),
    )
        .prop_map(|(t, byteorder, payload)| {
            let attr_type = if byteorder {
                t | NLA_F_NET_BYTEORDER
            } else {
                t
            };
            Node::Raw { attr_type, payload }
        });
    let string = (0..=NLA_TYPE_MASK, "[a-z0-9_.-]{0,40}")
        .prop_map(|(attr_type, value)| Node::Str { attr_type, value });
    let leaf = prop_oneof![4 => raw, 1 => string];
    // Depth 3 and at most 48 nodes keep every nest far below the 16-bit length.
    leaf.prop_recursive(3, 48, 6, |inner| {
        (0..=NLA_TYPE_MASK, prop::collection::vec(inner, 0..6)).prop_map(|(attr_type, children)| {
            Node::Nest {
                attr_type,
                children,
            }
        })
    })
}

fn msg() -> impl Strategy<Value = Msg> {
    let attrs = prop::collection::vec(node(), 0..8);
    (
        any::<u16>(),
        any::<u16>(),
        any::<[u8; FAMILY_LEN]>(),
        attrs,
        prop::bool::weighted(0.1),
    )
        .prop_map(|(msg_type, flags, family, attrs, abandon)| Msg {
            msg_type,
            flags,
            family,
            attrs,
            abandon,
        })
}

/// Page sizes from the smallest to 1 MiB, biased to small pages so that batches span many.
fn page_size() -> impl Strategy<Value = usize> {
    prop_oneof![
        Just(MIN_PAGE_SIZE),
        MIN_PAGE_SIZE..=4 * MIN_PAGE_SIZE,
        MIN_PAGE_SIZE..=1 << 20,
        Just(DEFAULT_PAGE_SIZE),
    ]
}

/// Reference encoder: one attribute appended to a contiguous buffer, by the netlink rules.
fn ref_node(out: &mut Vec<u8>, node: &Node) {
    let start = out.len();
    match node {
        Node::Raw { attr_type, payload } => {
            out.extend_from_slice(&((NLA_HDRLEN + payload.len()) as u16).to_ne_bytes());
            out.extend_from_slice(&attr_type.to_ne_bytes());
            out.extend_from_slice(payload);
        }
        Node::Str { attr_type, value } => {
            out.extend_from_slice(&((NLA_HDRLEN + value.len() + 1) as u16).to_ne_bytes());
            out.extend_from_slice(&attr_type.to_ne_bytes());
            out.extend_from_slice(value.as_bytes());
            out.push(0);
        }
        Node::Nest {
            attr_type,
            children,
        } => {
            out.extend_from_slice(&[0, 0]); // nla_len, patched below
            out.extend_from_slice(&(attr_type | NLA_F_NESTED).to_ne_bytes());
            for child in children {
                ref_node(out, child);
            }
            let len = (out.len() - start) as u16;
            out[start..start + 2].copy_from_slice(&len.to_ne_bytes());
        }
    }
    // nla_len stays unpadded; the zero padding to 4 follows it.
    out.resize(start + align(out.len() - start), 0);
}

/// Reference encoder: one message appended to a contiguous buffer.
fn ref_msg(out: &mut Vec<u8>, msg: &Msg, seq: u32, port_id: u32) {
    let start = out.len();
    out.extend_from_slice(&[0; 4]); // nlmsg_len, patched below
    out.extend_from_slice(&msg.msg_type.to_ne_bytes());
    out.extend_from_slice(&msg.flags.to_ne_bytes());
    out.extend_from_slice(&seq.to_ne_bytes());
    out.extend_from_slice(&port_id.to_ne_bytes());
    out.extend_from_slice(&msg.family);
    for node in &msg.attrs {
        ref_node(out, node);
    }
    let len = (out.len() - start) as u32;
    out[start..start + 4].copy_from_slice(&len.to_ne_bytes());
}

/// Writes one attribute with the batch encoder.
fn put_node(m: &mut Message<'_>, node: &Node) -> Result<(), EncodeError> {
    match node {
        Node::Raw { attr_type, payload } => m.put(*attr_type, payload),
        Node::Str { attr_type, value } => m.put_strz(*attr_type, value),
        Node::Nest {
            attr_type,
            children,
        } => {
            let nest = m.begin_nest(*attr_type)?;
            for child in children {
                put_node(m, child)?;
            }
            m.end_nest(nest)
        }
    }
}

/// Writes one message with the batch encoder, leaving it open.
fn put_msg<'b>(batch: &'b mut Batch, msg: &Msg) -> Message<'b> {
    let mut m = batch.message(msg.msg_type, msg.flags).unwrap();
    m.family_header(&msg.family).unwrap();
    for node in &msg.attrs {
        put_node(&mut m, node).unwrap();
    }
    m
}

/// Checks that a decoded run of attributes is the generated tree.
fn check_attrs<'a>(
    iter: impl Iterator<Item = Result<Attr<'a>, nlbatch::decode::DecodeError>>,
    nodes: &[Node],
) -> Result<(), TestCaseError> {
    let attrs: Vec<Attr<'a>> = iter
        .collect::<Result<_, _>>()
        .map_err(|e| TestCaseError::fail(format!("decode error in encoder output: {e}")))?;
    prop_assert_eq!(attrs.len(), nodes.len());
    for (attr, node) in attrs.iter().zip(nodes) {
        match node {
            Node::Raw { attr_type, payload } => {
                prop_assert_eq!(attr.kind(), attr_type & NLA_TYPE_MASK);
                prop_assert_eq!(attr.raw_type(), *attr_type);
                prop_assert_eq!(attr.data(), &payload[..]);
            }
            Node::Str { attr_type, value } => {
                prop_assert_eq!(attr.kind(), *attr_type);
                prop_assert_eq!(attr.str(), Some(value.as_str()));
                prop_assert_eq!(attr.data().len(), value.len() + 1);
            }
            Node::Nest {
                attr_type,
                children,
            } => {
                prop_assert_eq!(attr.kind(), *attr_type);
                prop_assert!(attr.has_nested_flag());
                check_attrs(attr.nested(), children)?;
            }
        }
    }
    Ok(())
}

/// Reads the bytes an iovec of a batch points to.
fn iov_bytes(iov: &libc::iovec) -> &[u8] {
    // SAFETY: the iovecs come from `Batch::iovecs` on a batch that the caller still borrows,
    // so each points at `iov_len` initialised bytes of a live page.
    unsafe { std::slice::from_raw_parts(iov.iov_base as *const u8, iov.iov_len) }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn pages_equal_contiguous_encoding(
        msgs in prop::collection::vec(msg(), 1..40),
        page_size in page_size(),
        seq_start in any::<u32>(),
        port_id in any::<u32>(),
    ) {
        let arena = ArenaConfig::with_page_size(page_size);
        let mut batch = Batch::new(BatchConfig { arena, seq_start, port_id }).unwrap();
        let mut reference = Vec::new();
        let mut kept = Vec::new();
        let mut offsets = Vec::new();
        for msg in &msgs {
            if msg.abandon {
                let (before, count) = (batch.to_vec(), batch.message_count());
                drop(put_msg(&mut batch, msg));
                prop_assert_eq!(batch.to_vec(), before);
                prop_assert_eq!(batch.message_count(), count);
                prop_assert_eq!(batch.len(), reference.len());
                continue;
            }
            let seq = seq_start.wrapping_add(kept.len() as u32);
            prop_assert_eq!(put_msg(&mut batch, msg).finish().unwrap(), seq);
            offsets.push(reference.len());
            ref_msg(&mut reference, msg, seq, port_id);
            kept.push(msg);
        }
        offsets.push(reference.len());

        prop_assert_eq!(batch.to_vec(), reference.clone());
        prop_assert_eq!(batch.len(), reference.len());
        prop_assert_eq!(batch.message_count() as usize, kept.len());
        for i in 0..kept.len() {
            let expected = &reference[offsets[i]..offsets[i + 1]];
            let seq = seq_start.wrapping_add(i as u32);
            prop_assert_eq!(batch.message_bytes(i as u32), Some(expected));
            prop_assert_eq!(batch.message_bytes_by_seq(seq), Some(expected));
        }
        prop_assert_eq!(batch.message_bytes(kept.len() as u32), None);
        let after_last = seq_start.wrapping_add(kept.len() as u32);
        prop_assert_eq!(batch.message_bytes_by_seq(after_last), None);
        prop_assert_eq!(batch.message_bytes_by_seq(seq_start.wrapping_sub(1)), None);

        let decoded: Vec<_> = MessageIter::new(&reference).collect::<Result<_, _>>().unwrap();
        prop_assert_eq!(decoded.len(), kept.len());
        for (i, (view, msg)) in decoded.iter().zip(&kept).enumerate() {
            prop_assert_eq!(view.msg_type(), msg.msg_type);
            prop_assert_eq!(view.flags(), msg.flags);
            prop_assert_eq!(view.seq(), seq_start.wrapping_add(i as u32));
            prop_assert_eq!(view.port_id(), port_id);
            prop_assert_eq!(view.offset(), offsets[i]);
            prop_assert_eq!(&view.payload()[..FAMILY_LEN], &msg.family[..]);
            check_attrs(view.attrs(FAMILY_LEN), &msg.attrs)?;
        }
        prop_assert_eq!(batch.messages().count(), kept.len());
    }

    #[test]
    fn every_iovec_holds_whole_messages(
        msgs in prop::collection::vec(msg(), 1..60),
        page_size in page_size(),
    ) {
        let arena = ArenaConfig::with_page_size(page_size);
        let config = BatchConfig { arena, ..BatchConfig::default() };
        let mut batch = Batch::new(config).unwrap();
        for msg in msgs.iter().filter(|m| !m.abandon) {
            put_msg(&mut batch, msg).finish().unwrap();
        }
        let whole = batch.to_vec();
        let count = batch.message_count();
        let page_count = batch.page_count();
        let iovecs = batch.iovecs();
        prop_assert_eq!(iovecs.len(), page_count);

        let mut joined = Vec::new();
        let mut next_seq = config.seq_start;
        for iov in iovecs {
            let bytes = iov_bytes(iov);
            prop_assert!(!bytes.is_empty());
            let mut end = 0;
            for view in MessageIter::new(bytes) {
                let view = view.map_err(|e| TestCaseError::fail(format!("straddling: {e}")))?;
                prop_assert_eq!(view.seq(), next_seq);
                next_seq = next_seq.wrapping_add(1);
                end = view.offset() + align(view.len());
            }
            prop_assert_eq!(end, bytes.len(), "the page ends on a message boundary");
            joined.extend_from_slice(bytes);
        }
        prop_assert_eq!(next_seq.wrapping_sub(config.seq_start), count);
        prop_assert_eq!(joined, whole);
    }

    #[test]
    fn random_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        walk_everything(&bytes);
    }

    #[test]
    fn corrupted_batches_never_panic(
        msgs in prop::collection::vec(msg(), 1..6),
        flips in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..16),
        cut in any::<prop::sample::Index>(),
    ) {
        // Mostly valid input reaches deeper into the decoder than random bytes do.
        let mut bytes = Vec::new();
        for (i, msg) in msgs.iter().enumerate() {
            ref_msg(&mut bytes, msg, i as u32, 0);
        }
        for (at, value) in flips {
            let at = at.index(bytes.len());
            bytes[at] = value;
        }
        bytes.truncate(cut.index(bytes.len() + 1));
        walk_everything(&bytes);
    }
}

/// Walks every message and, for several family header lengths, every attribute recursively,
/// calling every accessor. Must not panic whatever the bytes.
fn walk_everything(bytes: &[u8]) {
    for item in MessageIter::new(bytes) {
        let Ok(view) = item else { continue };
        assert!(view.len() >= NLMSG_HDRLEN && view.offset() + view.len() <= bytes.len());
        let _ = (
            view.msg_type(),
            view.flags(),
            view.seq(),
            view.port_id(),
            view.payload(),
        );
        for family_len in [0, 1, 4, 8, 1 << 20] {
            walk_attrs(view.attrs(family_len), 0);
        }
    }
    walk_attrs(AttrIter::new(bytes, 0), 0);
}

/// Walks a run of attributes, descending into each as if it were a nest, down to depth 8.
fn walk_attrs(iter: AttrIter<'_>, depth: usize) {
    for item in iter {
        let Ok(attr) = item else { continue };
        assert!(attr.data().len() <= NLA_MAX_LEN - NLA_HDRLEN);
        let _ = (
            attr.kind(),
            attr.raw_type(),
            attr.has_nested_flag(),
            attr.offset(),
        );
        let _ = (attr.u8(), attr.u16(), attr.u32(), attr.u64());
        let _ = (attr.be16(), attr.be32(), attr.be64(), attr.str());
        if depth < 8 {
            walk_attrs(attr.nested(), depth + 1);
        }
    }
}

/// A batch of small pages with one finished message before the one under test, so that the
/// message under test does not start at the beginning of a page.
fn batch_with_one_message() -> Batch {
    let config = BatchConfig {
        arena: ArenaConfig::with_page_size(4096),
        ..Default::default()
    };
    let mut batch = Batch::new(config).unwrap();
    let mut m = batch.message(0x0a0c, 1).unwrap();
    m.family_header(&[1, 0, 0, 0]).unwrap();
    m.put_strz(1, "t").unwrap();
    m.finish().unwrap();
    batch
}

#[test]
fn overflowing_nest_fails_then_closes_after_rollback() {
    let mut batch = batch_with_one_message();
    let mut m = batch.message(0x0a0c, 1).unwrap();
    m.family_header(&[1, 0, 0, 0]).unwrap();
    let nest = m.begin_nest(3).unwrap();
    let child = [0xa5u8; 1000];
    let mut last_mark = m.mark();
    let mut children = 0;
    while m.nest_len(&nest) <= NLA_MAX_LEN {
        last_mark = m.mark();
        m.put(1, &child).unwrap();
        children += 1;
    }
    let too_long = m.nest_len(&nest);
    assert_eq!(
        m.end_nest(nest),
        Err(EncodeError::AttrTooLong {
            attr_type: 3,
            len: too_long
        })
    );

    m.rollback(last_mark);
    children -= 1;
    assert!(m.nest_len(&nest) <= NLA_MAX_LEN);
    m.end_nest(nest).unwrap();
    let seq = m.finish().unwrap();

    let bytes = batch.message_bytes_by_seq(seq).unwrap();
    let view = MessageIter::new(bytes).next().unwrap().unwrap();
    assert_eq!(view.len(), bytes.len());
    let attrs: Vec<_> = view.attrs(4).collect::<Result<_, _>>().unwrap();
    assert_eq!(attrs.len(), 1);
    assert_eq!(attrs[0].raw_type(), NLA_F_NESTED | 3);
    assert_eq!(
        attrs[0].data().len(),
        children * NLA_HDRLEN + children * 1000
    );
    let inner: Vec<_> = attrs[0].nested().collect::<Result<_, _>>().unwrap();
    assert_eq!(inner.len(), children);
    assert!(inner.iter().all(|a| a.kind() == 1 && a.data() == child));
    assert_eq!(batch.message_count(), 2);
}

#[test]
fn nest_boundary_is_the_last_aligned_length() {
    // A nest's length counts its children's padding, so the largest nest is 65,532 bytes.
    let mut batch = batch_with_one_message();
    let mut m = batch.message(0x0a0c, 1).unwrap();
    m.family_header(&[1, 0, 0, 0]).unwrap();
    let nest = m.begin_nest(3).unwrap();
    let mark = m.mark();
    m.put(1, &vec![7; 65_525]).unwrap();
    let len = NLA_HDRLEN + NLA_HDRLEN + align(65_525);
    assert_eq!(
        m.end_nest(nest),
        Err(EncodeError::AttrTooLong { attr_type: 3, len })
    );
    m.rollback(mark);
    m.put(1, &vec![7; 65_524]).unwrap();
    m.end_nest(nest).unwrap();
    let seq = m.finish().unwrap();

    let bytes = batch.message_bytes_by_seq(seq).unwrap();
    let view = MessageIter::new(bytes).next().unwrap().unwrap();
    let nest = view.attrs(4).next().unwrap().unwrap();
    assert_eq!(nest.data().len() + NLA_HDRLEN, 65_532);
    let child = nest.nested().next().unwrap().unwrap();
    assert_eq!(child.data(), &vec![7; 65_524][..]);
}

#[test]
fn attribute_boundary_is_u16_max() {
    let mut batch = batch_with_one_message();
    let mut m = batch.message(0x0a0c, 1).unwrap();
    m.family_header(&[1, 0, 0, 0]).unwrap();
    m.put_u32(9, 42).unwrap();
    let before = m.bytes().to_vec();

    let err = m.put(5, &vec![1; 65_532]);
    assert_eq!(
        err,
        Err(EncodeError::AttrTooLong {
            attr_type: 5,
            len: 65_536
        })
    );
    assert_eq!(
        m.bytes(),
        &before[..],
        "a refused attribute leaves no byte behind"
    );
    let long = "x".repeat(65_531);
    let err = m.put_strz(6, &long);
    assert_eq!(
        err,
        Err(EncodeError::AttrTooLong {
            attr_type: 6,
            len: 65_536
        })
    );
    assert_eq!(m.bytes(), &before[..]);

    m.put(5, &vec![1; 65_531]).unwrap();
    m.put_u32(9, 43).unwrap();
    let seq = m.finish().unwrap();

    let bytes = batch.message_bytes_by_seq(seq).unwrap();
    assert_eq!(bytes.len(), NLMSG_HDRLEN + 4 + 8 + 65_536 + 8);
    let view = MessageIter::new(bytes).next().unwrap().unwrap();
    let attrs: Vec<_> = view.attrs(4).collect::<Result<_, _>>().unwrap();
    assert_eq!(attrs.len(), 3);
    assert_eq!(attrs[1].kind(), 5);
    assert_eq!(
        attrs[1].data().len(),
        65_531,
        "nla_len 65,535, not truncated"
    );
    assert_eq!(&bytes[attrs[1].offset()..][..2], &65_535u16.to_ne_bytes());
    assert_eq!(attrs[2].u32(), Some(43));
}

#[test]
fn dropped_message_leaves_the_batch_unchanged() {
    let mut batch = batch_with_one_message();
    let (bytes, count, len, pages) = (
        batch.to_vec(),
        batch.message_count(),
        batch.len(),
        batch.page_count(),
    );
    let next_seq = batch.next_seq();

    // Large enough to move to a page of its own before it is dropped.
    let mut m = batch.message(0x0a0c, 1).unwrap();
    m.family_header(&[1, 0, 0, 0]).unwrap();
    for _ in 0..20 {
        m.put(1, &[3; 1000]).unwrap();
    }
    let _unclosed = m.begin_nest(2).unwrap();
    m.put(1, &[4; 10]).unwrap();
    drop(m);

    assert_eq!(batch.to_vec(), bytes);
    assert_eq!((batch.message_count(), batch.len()), (count, len));
    assert_eq!(batch.page_count(), pages);
    assert_eq!(batch.next_seq(), next_seq);
    assert_eq!(batch.iovecs().iter().map(|v| v.iov_len).sum::<usize>(), len);

    // The next message takes the dropped one's seq and finds its place.
    let mut m = batch.message(0x0a0c, 1).unwrap();
    m.family_header(&[1, 0, 0, 0]).unwrap();
    assert_eq!(m.finish(), Ok(next_seq));
    assert_eq!(
        batch.message_bytes_by_seq(next_seq).map(<[u8]>::len),
        Some(20)
    );
    assert_eq!(batch.to_vec()[..bytes.len()], bytes[..]);
}

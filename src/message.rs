//! Netlink messages and attributes, encoded straight into the pages of an [`Arena`].
//!
//! ```text
//!  0        4        6        8                12               16
//!  ┌────────┬────────┬────────┬────────────────┬────────────────┐
//!  │ len    │ type   │ flags  │ seq            │ port id        │  nlmsghdr, host order
//!  ├────────┴────────┴────────┴────────────────┴────────────────┤
//!  │ family header (nfgenmsg: family, version, res_id), padded   │
//!  ├────────┬────────┬──────────────────────────────────────────┤
//!  │ nla_len│ nla_typ│ payload ... zero padding to 4            │  attribute
//!  ├────────┼────────┼──────────────────────────────────────────┤
//!  │ nla_len│ N|type │ ┌ attribute ┐┌ attribute ┐ ...            │  nest (NLA_F_NESTED)
//!  └────────┴────────┴──────────────────────────────────────────┘
//! ```
//!
//! A [`Batch`] numbers its messages: message `i` gets seq `seq_start + i` (wrapping), so a
//! message is found again from its seq or index without any per-message record (see
//! [`Batch::message_bytes`]). A [`Message`] fills in `nlmsg_len` when finished; attribute and
//! nest lengths are checked against the 16-bit `nla_len`, and a failed nest can be rolled back
//! with [`Message::mark`] / [`Message::rollback`] so the caller can close the message and go on
//! in a new one.

use crate::arena::{Arena, ArenaConfig, ArenaError, ArenaMark};
use crate::decode::{self, MessageIter};

/// Size of `struct nlmsghdr`.
pub const NLMSG_HDRLEN: usize = 16;
/// Size of an attribute header (`struct nlattr`).
pub const NLA_HDRLEN: usize = 4;
/// Largest value of the 16-bit `nla_len`: an attribute or nest, header included.
pub const NLA_MAX_LEN: usize = u16::MAX as usize;
/// Nest flag in `nla_type`.
pub const NLA_F_NESTED: u16 = 1 << 15;
/// Byte-order flag in `nla_type`.
pub const NLA_F_NET_BYTEORDER: u16 = 1 << 14;
/// Mask of the attribute type without its flags.
pub const NLA_TYPE_MASK: u16 = !(NLA_F_NESTED | NLA_F_NET_BYTEORDER);

/// Message flag: a request (mandatory for nfnetlink batch members).
pub const NLM_F_REQUEST: u16 = 0x1;
/// Message flag: part of a multipart reply.
pub const NLM_F_MULTI: u16 = 0x2;
/// Message flag: ask for an acknowledgement.
pub const NLM_F_ACK: u16 = 0x4;
/// Message flag: echo the request.
pub const NLM_F_ECHO: u16 = 0x8;
/// GET flag: return the whole table (with `NLM_F_MATCH`, a dump).
pub const NLM_F_DUMP: u16 = 0x300;
/// NEW flag: replace an existing object.
pub const NLM_F_REPLACE: u16 = 0x100;
/// NEW flag: fail if the object exists.
pub const NLM_F_EXCL: u16 = 0x200;
/// NEW flag: create the object if it does not exist.
pub const NLM_F_CREATE: u16 = 0x400;
/// NEW flag: add to the end of a list.
pub const NLM_F_APPEND: u16 = 0x800;
/// ACK flag: the echoed request was cut to its header (`NETLINK_CAP_ACK`).
pub const NLM_F_CAPPED: u16 = 0x100;
/// ACK flag: extended-ACK attributes follow.
pub const NLM_F_ACK_TLVS: u16 = 0x200;

/// Message type: no operation.
pub const NLMSG_NOOP: u16 = 1;
/// Message type: an error or an acknowledgement (`struct nlmsgerr`).
pub const NLMSG_ERROR: u16 = 2;
/// Message type: end of a multipart reply.
pub const NLMSG_DONE: u16 = 3;
/// First message type free for protocols.
pub const NLMSG_MIN_TYPE: u16 = 0x10;

/// Rounds `len` up to the netlink alignment of 4 bytes.
#[inline(always)]
pub const fn align(len: usize) -> usize {
    (len + 3) & !3
}

/// Bytes an attribute with `payload` bytes takes in a message: header, payload and padding.
#[inline(always)]
pub const fn attr_len(payload: usize) -> usize {
    align(NLA_HDRLEN + payload)
}

/// Copies `src` to `dst` word by word: attribute payloads are mostly a few bytes, where a call
/// to `memcpy` costs more than the copy.
///
/// # Safety
///
/// `dst` must be valid for writing `src.len()` bytes and must not overlap `src`.
#[inline(always)]
unsafe fn copy_small(src: &[u8], dst: *mut u8) {
    let (n, p) = (src.len(), src.as_ptr());
    // SAFETY (every block below): reads stay inside `src` and writes inside `dst`'s `n` bytes;
    // overlapping head and tail copies write the same bytes twice, which is harmless.
    unsafe {
        match n {
            0 => {}
            1..=3 => {
                *dst = src[0];
                *dst.add(n / 2) = src[n / 2];
                *dst.add(n - 1) = src[n - 1];
            }
            4..=8 => {
                let head = std::ptr::read_unaligned(p.cast::<[u8; 4]>());
                let tail = std::ptr::read_unaligned(p.add(n - 4).cast::<[u8; 4]>());
                std::ptr::write_unaligned(dst.cast::<[u8; 4]>(), head);
                std::ptr::write_unaligned(dst.add(n - 4).cast::<[u8; 4]>(), tail);
            }
            9..=16 => {
                let head = std::ptr::read_unaligned(p.cast::<[u8; 8]>());
                let tail = std::ptr::read_unaligned(p.add(n - 8).cast::<[u8; 8]>());
                std::ptr::write_unaligned(dst.cast::<[u8; 8]>(), head);
                std::ptr::write_unaligned(dst.add(n - 8).cast::<[u8; 8]>(), tail);
            }
            _ => std::ptr::copy_nonoverlapping(p, dst, n),
        }
    }
}

/// True when `bytes` holds a zero byte. Names are short: up to 16 bytes are tested as two
/// overlapping words (a word has a zero byte when `(w - 0x01..01) & !w & 0x80..80` is not
/// zero), longer ones with `memchr`.
#[inline(always)]
pub(crate) fn has_nul(b: &[u8]) -> bool {
    #[inline(always)]
    fn zero32(w: u32) -> bool {
        w.wrapping_sub(0x0101_0101) & !w & 0x8080_8080 != 0
    }
    #[inline(always)]
    fn zero64(w: u64) -> bool {
        w.wrapping_sub(0x0101_0101_0101_0101) & !w & 0x8080_8080_8080_8080 != 0
    }
    let n = b.len();
    match n {
        0 => false,
        1..=3 => b[0] == 0 || b[n / 2] == 0 || b[n - 1] == 0,
        4..=7 => {
            let head = u32::from_ne_bytes([b[0], b[1], b[2], b[3]]);
            let tail = u32::from_ne_bytes([b[n - 4], b[n - 3], b[n - 2], b[n - 1]]);
            zero32(head) || zero32(tail)
        }
        8..=16 => {
            let word = |at: usize| {
                let mut w = [0u8; 8];
                w.copy_from_slice(&b[at..at + 8]);
                u64::from_ne_bytes(w)
            };
            zero64(word(0)) || zero64(word(n - 8))
        }
        _ => b.contains(&0),
    }
}

/// The 4-byte header of an attribute (`nla_len`, `nla_type`), in host order, built as one
/// 32-bit word so that a header with a variable type is one store, not one per byte.
#[inline(always)]
fn hdr_word(len: u16, attr_type: u16) -> [u8; 4] {
    let (len, attr_type) = (u32::from(len), u32::from(attr_type));
    // `nla_len` comes first in memory: the low half of the word on a little-endian host.
    let word = if cfg!(target_endian = "little") {
        len | attr_type << 16
    } else {
        len << 16 | attr_type
    };
    word.to_ne_bytes()
}

/// Writes one attribute, header, `payload`, then `extra_zeros` zero bytes (a string's NUL) and
/// zero padding, into the `align(NLA_HDRLEN + payload.len() + extra_zeros)` bytes at `dst`.
///
/// # Safety
///
/// `dst` must be valid for writing that many bytes and must not overlap `payload`;
/// `extra_zeros` is at most 3 and the length at most [`NLA_MAX_LEN`].
#[inline(always)]
unsafe fn write_attr(dst: *mut u8, attr_type: u16, payload: &[u8], extra_zeros: usize) {
    let len = NLA_HDRLEN + payload.len() + extra_zeros;
    let padded = align(len);
    // SAFETY (the block): the caller's room holds `padded >= len >= NLA_HDRLEN` bytes. The
    // last 4-byte word is zeroed first and the header and payload are written over it, so the
    // `extra_zeros` bytes (at `len - extra_zeros >= padded - 4`) and the padding are zero and
    // every byte of the room is written.
    unsafe {
        std::ptr::write_unaligned(dst.add(padded - 4).cast::<[u8; 4]>(), [0; 4]);
        std::ptr::write_unaligned(dst.cast::<[u8; 4]>(), hdr_word(len as u16, attr_type));
        copy_small(payload, dst.add(NLA_HDRLEN));
    }
}

/// Writes an attribute with a fixed-size payload of `N` bytes into the `align(NLA_HDRLEN + N)`
/// bytes at `dst`.
///
/// # Safety
///
/// `dst` must be valid for writing that many bytes.
#[inline(always)]
unsafe fn write_fixed<const N: usize>(dst: *mut u8, attr_type: u16, payload: [u8; N]) {
    let len = NLA_HDRLEN + N;
    let padded = align(len);
    // SAFETY (the block): the last word is zeroed, then the header and the `N` payload bytes
    // are written, covering the caller's `padded` bytes.
    unsafe {
        std::ptr::write_unaligned(dst.add(padded - 4).cast::<[u8; 4]>(), [0; 4]);
        std::ptr::write_unaligned(dst.cast::<[u8; 4]>(), hdr_word(len as u16, attr_type));
        std::ptr::write_unaligned(dst.add(NLA_HDRLEN).cast::<[u8; N]>(), payload);
    }
}

/// Errors of the encoding layer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EncodeError {
    /// The pages could not take the bytes (see [`ArenaError`]).
    #[error(transparent)]
    Arena(#[from] ArenaError),
    /// An attribute or nest would exceed the 16-bit `nla_len`.
    #[error(
        "attribute type {attr_type} would be {len} bytes, more than the {NLA_MAX_LEN} bytes \
         a netlink attribute can hold"
    )]
    AttrTooLong {
        /// Attribute type, without flags.
        attr_type: u16,
        /// Length it would have had, header included, in bytes.
        len: usize,
    },
    /// A string attribute contains a NUL byte, which would cut it short in the kernel.
    #[error("string for attribute type {attr_type} contains a NUL byte")]
    NulInString {
        /// Attribute type, without flags.
        attr_type: u16,
    },
    /// A message would exceed the 32-bit `nlmsg_len`.
    #[error("message would be {len} bytes, more than nlmsg_len can hold")]
    MessageTooLong {
        /// Length it would have had, in bytes.
        len: usize,
    },
}

/// Settings of a [`Batch`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BatchConfig {
    /// Page sizes.
    pub arena: ArenaConfig,
    /// Seq of the first message.
    pub seq_start: u32,
    /// Port id written in every header (0 addresses the kernel).
    pub port_id: u32,
}

impl Default for BatchConfig {
    fn default() -> Self {
        BatchConfig {
            arena: ArenaConfig::default(),
            seq_start: 1,
            port_id: 0,
        }
    }
}

/// A batch of netlink messages in the pages of an arena, ready to send as one datagram.
///
/// ```
/// use nlbatch::message::{Batch, BatchConfig, NLM_F_REQUEST};
///
/// let mut batch = Batch::new(BatchConfig::default())?;
/// let mut msg = batch.message(0x0a00, NLM_F_REQUEST)?;
/// msg.family_header(&[2, 0, 0, 0])?;
/// msg.put_strz(1, "filter")?;
/// let seq = msg.finish()?;
/// assert_eq!(batch.message_bytes_by_seq(seq).unwrap().len(), 16 + 4 + 12);
/// # Ok::<(), nlbatch::message::EncodeError>(())
/// ```
#[derive(Debug)]
pub struct Batch {
    arena: Arena,
    seq_start: u32,
    port_id: u32,
    count: u32,
}

impl Batch {
    /// An empty batch.
    pub fn new(config: BatchConfig) -> Result<Batch, EncodeError> {
        Ok(Batch {
            arena: Arena::new(config.arena)?,
            seq_start: config.seq_start,
            port_id: config.port_id,
            count: 0,
        })
    }

    /// Empties the batch, keeping its memory. Seq numbers continue after the last message
    /// of the batch, so replies to an earlier batch can never match this one.
    pub fn reset(&mut self) {
        self.seq_start = self.next_seq();
        self.count = 0;
        self.arena.reset();
    }

    /// Empties the batch, keeping its memory, and numbers the next message `seq_start`.
    pub fn reset_with_seq(&mut self, seq_start: u32) {
        self.reset();
        self.seq_start = seq_start;
    }

    /// The position after the last finished message, to go back to with
    /// [`Batch::rollback`] (valid until the batch is reset).
    pub fn mark(&mut self) -> BatchMark {
        BatchMark {
            arena: self.arena.mark(),
            count: self.count,
        }
    }

    /// Removes every message finished after `mark`, so that a job that fails midway (one
    /// element list of many messages) leaves the batch as it was before it.
    ///
    /// # Panics
    ///
    /// When `mark` is from another batch or from before the last reset: a caller's bug.
    pub fn rollback(&mut self, mark: BatchMark) {
        self.arena.rollback(mark.arena);
        self.count = mark.count;
    }

    /// Starts a message of type `msg_type` with `flags`; the header is filled in.
    #[inline]
    pub fn message(&mut self, msg_type: u16, flags: u16) -> Result<Message<'_>, EncodeError> {
        let seq = self.next_seq();
        let port_id = self.port_id;
        let ptr = self.arena.reserve(NLMSG_HDRLEN, self.count)?;
        let mut header = [0u8; NLMSG_HDRLEN];
        header[4..6].copy_from_slice(&msg_type.to_ne_bytes());
        header[6..8].copy_from_slice(&flags.to_ne_bytes());
        header[8..12].copy_from_slice(&seq.to_ne_bytes());
        header[12..16].copy_from_slice(&port_id.to_ne_bytes());
        // SAFETY: `reserve` returned room for `NLMSG_HDRLEN` bytes at `ptr`.
        unsafe { std::ptr::copy_nonoverlapping(header.as_ptr(), ptr, NLMSG_HDRLEN) };
        // The header is the whole open region: it starts at `ptr`.
        let (base, room) = self.arena.open_region();
        debug_assert_eq!(base, ptr);
        Ok(Message {
            batch: self,
            base,
            len: NLMSG_HDRLEN,
            room,
            done: false,
        })
    }

    /// Starts a message like [`Batch::message`], expected to grow to about `expected_len`
    /// bytes: if the current page lacks that room, the message starts on a fresh page, which
    /// saves moving it there later. A message expected to be larger than a page gets a page of
    /// its own sized to fit (at most [`ArenaConfig::max_page_size`]), so that it never moves
    /// and leaves no abandoned page behind. The expectation is only a hint; the message may be
    /// longer or shorter.
    ///
    /// [`ArenaConfig::max_page_size`]: crate::arena::ArenaConfig::max_page_size
    #[inline]
    pub fn message_sized(
        &mut self,
        msg_type: u16,
        flags: u16,
        expected_len: usize,
    ) -> Result<Message<'_>, EncodeError> {
        let room = expected_len.min(self.arena.config().max_page_size);
        self.arena.ensure_room(room, self.count)?;
        self.message(msg_type, flags)
    }

    /// Seq the next message will get.
    #[inline]
    pub fn next_seq(&self) -> u32 {
        self.seq_start.wrapping_add(self.count)
    }

    /// Seq of the first message.
    pub fn seq_start(&self) -> u32 {
        self.seq_start
    }

    /// Port id written in every header.
    pub fn port_id(&self) -> u32 {
        self.port_id
    }

    /// Sets the port id written in the headers of messages started from now on.
    pub fn set_port_id(&mut self, port_id: u32) {
        self.port_id = port_id;
    }

    /// Number of finished messages.
    pub fn message_count(&self) -> u32 {
        self.count
    }

    /// Bytes of finished messages: the size of the datagram.
    pub fn len(&self) -> usize {
        self.arena.len()
    }

    /// True when no message is finished.
    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// Number of pages holding messages: the iovec count.
    pub fn page_count(&self) -> usize {
        self.arena.page_count()
    }

    /// The arena under the batch.
    pub fn arena(&self) -> &Arena {
        &self.arena
    }

    /// The pages as iovecs for one `sendmsg(2)`, in order. No allocation once warm.
    pub fn iovecs(&mut self) -> &[libc::iovec] {
        self.arena.iovecs()
    }

    /// Index in the batch of the message with this seq, if the batch has one.
    #[inline]
    pub fn index_of_seq(&self, seq: u32) -> Option<u32> {
        let index = seq.wrapping_sub(self.seq_start);
        (index < self.count).then_some(index)
    }

    /// The bytes of finished message `index`, found by walking the headers of its page.
    pub fn message_bytes(&self, index: u32) -> Option<&[u8]> {
        if index >= self.count {
            return None;
        }
        let (page, first) = self.arena.page_of_message(index)?;
        let bytes = self.arena.page(page)?;
        let found = MessageIter::new(bytes).nth((index - first) as usize)?;
        found.ok().map(|m| m.bytes())
    }

    /// The bytes of the finished message with this seq.
    pub fn message_bytes_by_seq(&self, seq: u32) -> Option<&[u8]> {
        self.message_bytes(self.index_of_seq(seq)?)
    }

    /// Every finished message in order, page by page.
    pub fn messages(&self) -> impl Iterator<Item = decode::MessageView<'_>> + '_ {
        (0..self.arena.pages_len())
            .filter_map(|p| self.arena.page(p))
            .flat_map(|bytes| MessageIter::new(bytes).map_while(Result::ok))
    }

    /// All finished bytes copied into one buffer (for tests and comparisons, not for sending).
    pub fn to_vec(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.len());
        for p in 0..self.arena.pages_len() {
            out.extend_from_slice(self.arena.page(p).unwrap_or(&[]));
        }
        out
    }
}

/// A position between the finished messages of a batch, to roll back to with
/// [`Batch::rollback`].
#[derive(Debug, Clone, Copy)]
pub struct BatchMark {
    arena: ArenaMark,
    count: u32,
}

/// A position inside a message, to roll back to with [`Message::rollback`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mark(usize);

/// An open nest, closed with [`Message::end_nest`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[must_use = "a nest must be closed with end_nest"]
pub struct Nest {
    offset: usize,
    attr_type: u16,
}

/// A message being written. Dropping it unfinished removes it from the batch.
///
/// The message keeps its own write position (`base`, `len`, `room`) while it is open, so
/// that writing an attribute is a compare, a few stores and an add, with no field of the
/// arena read or written; the arena learns the length when the message is finished, dropped
/// or moved to a fresh page.
#[derive(Debug)]
pub struct Message<'a> {
    batch: &'a mut Batch,
    /// First byte of the message, in the current page.
    base: *mut u8,
    /// Bytes written so far.
    len: usize,
    /// Bytes the message may hold before the page is full.
    room: usize,
    done: bool,
}

impl<'a> Message<'a> {
    /// Seq of this message.
    #[inline]
    pub fn seq(&self) -> u32 {
        self.batch.next_seq()
    }

    /// Index of this message in the batch.
    #[inline]
    pub fn index(&self) -> u32 {
        self.batch.count
    }

    /// Bytes written so far, header included.
    #[inline(always)]
    pub fn len(&self) -> usize {
        self.len
    }

    /// Always false: a message holds at least its header.
    pub fn is_empty(&self) -> bool {
        false
    }

    /// The bytes written so far (`nlmsg_len` is filled in by [`Message::finish`]).
    pub fn bytes(&mut self) -> &[u8] {
        // SAFETY: the `len` bytes at `base` were written through `reserve` and lie inside the
        // current page; `&mut self` keeps them from changing while they are borrowed.
        unsafe { std::slice::from_raw_parts(self.base, self.len) }
    }

    /// Room for `n` more bytes at the end of the message: where they go. The caller must write
    /// all `n` bytes before the message is read back or finished.
    #[inline(always)]
    fn reserve(&mut self, n: usize) -> Result<*mut u8, EncodeError> {
        if self.room - self.len < n {
            let index = self.batch.count;
            let (base, room) = self.batch.arena.grow_open(self.len, n, index)?;
            self.base = base;
            self.room = room;
        }
        // SAFETY: `len + n <= room`, checked above or made so by `grow_open`: the offset stays
        // inside the current page.
        let ptr = unsafe { self.base.add(self.len) };
        self.len += n;
        Ok(ptr)
    }

    /// Shortens the message to `len` bytes (rolls back what came after).
    #[inline(always)]
    fn truncate(&mut self, len: usize) {
        self.len = self.len.min(len);
    }

    /// Appends `data` and zero padding to the next 4-byte boundary.
    #[inline(always)]
    fn append(&mut self, data: &[u8]) -> Result<(), EncodeError> {
        let padded = align(data.len());
        let ptr = self.reserve(padded)?;
        // SAFETY: `reserve` returned room for `padded >= data.len()` bytes at `ptr`, in a page
        // that `data` (a caller's slice) cannot overlap; the padding is zeroed after it.
        unsafe {
            std::ptr::copy_nonoverlapping(data.as_ptr(), ptr, data.len());
            std::ptr::write_bytes(ptr.add(data.len()), 0, padded - data.len());
        }
        Ok(())
    }

    /// Writes the family header (for nfnetlink, the 4-byte `nfgenmsg`), padded to 4 bytes.
    #[inline(always)]
    pub fn family_header(&mut self, header: &[u8]) -> Result<(), EncodeError> {
        self.append(header)
    }

    /// Writes one attribute in a single reservation: header, `payload` and, after it,
    /// `extra_zeros` zero bytes (a string's NUL) and zero padding to 4 bytes.
    #[inline(always)]
    fn put_attr(
        &mut self,
        attr_type: u16,
        payload: &[u8],
        extra_zeros: usize,
    ) -> Result<(), EncodeError> {
        let len = NLA_HDRLEN + payload.len() + extra_zeros;
        if len > NLA_MAX_LEN {
            let attr_type = attr_type & NLA_TYPE_MASK;
            return Err(EncodeError::AttrTooLong { attr_type, len });
        }
        let ptr = self.reserve(align(len))?;
        // SAFETY: `reserve` returned room for the attribute's padded length at `ptr`, in a page
        // that `payload` (a caller's slice) cannot overlap; `len <= NLA_MAX_LEN`, checked above.
        unsafe { write_attr(ptr, attr_type, payload, extra_zeros) };
        Ok(())
    }

    /// Attribute with a fixed-size payload of `N` bytes, in one reservation.
    #[inline(always)]
    fn put_fixed<const N: usize>(
        &mut self,
        attr_type: u16,
        payload: [u8; N],
    ) -> Result<(), EncodeError> {
        let ptr = self.reserve(align(NLA_HDRLEN + N))?;
        // SAFETY: `reserve` returned room for the attribute's padded length at `ptr`.
        unsafe { write_fixed(ptr, attr_type, payload) };
        Ok(())
    }

    /// Attribute with raw bytes as payload, padded with zeros.
    #[inline(always)]
    pub fn put(&mut self, attr_type: u16, payload: &[u8]) -> Result<(), EncodeError> {
        self.put_attr(attr_type, payload, 0)
    }

    /// An attribute wrapped in a chain of nests, each holding only the next: `nests[0]`
    /// outermost, then `nests[1]`, ..., then the attribute `attr_type` with `payload`. Written
    /// in one reservation; the same bytes as `begin_nest` for each, `put`, then `end_nest` for
    /// each. Every nest gets `NLA_F_NESTED`. This is the shape of a set element
    /// (`element { KEY { VALUE } }`), and the fast path for long element lists.
    #[inline(always)]
    pub fn put_nested(
        &mut self,
        nests: &[u16],
        attr_type: u16,
        payload: &[u8],
    ) -> Result<(), EncodeError> {
        let inner = NLA_HDRLEN + payload.len();
        let total = align(inner) + nests.len() * NLA_HDRLEN;
        if total > NLA_MAX_LEN {
            let attr_type = nests.first().copied().unwrap_or(attr_type) & NLA_TYPE_MASK;
            return Err(EncodeError::AttrTooLong {
                attr_type,
                len: total,
            });
        }
        let ptr = self.reserve(total)?;
        let mut at = 0;
        for &nest in nests {
            let header = hdr_word((total - at) as u16, nest | NLA_F_NESTED);
            // SAFETY: `at + NLA_HDRLEN <= total - inner`, inside the reserved room.
            unsafe { std::ptr::write_unaligned(ptr.add(at).cast::<[u8; 4]>(), header) };
            at += NLA_HDRLEN;
        }
        // SAFETY: the attribute's `align(inner)` bytes start at `at` and end at `total`, inside
        // the reserved room; `payload` cannot overlap a page of the arena, and `inner <= total`
        // is within `NLA_MAX_LEN`, checked above.
        unsafe { write_attr(ptr.add(at), attr_type, payload, 0) };
        Ok(())
    }

    /// Attribute without payload (a flag).
    #[inline(always)]
    pub fn put_flag(&mut self, attr_type: u16) -> Result<(), EncodeError> {
        self.put(attr_type, &[])
    }

    /// `u8` attribute.
    #[inline(always)]
    pub fn put_u8(&mut self, attr_type: u16, value: u8) -> Result<(), EncodeError> {
        self.put_fixed(attr_type, [value])
    }

    /// `u16` attribute in host byte order.
    #[inline(always)]
    pub fn put_u16(&mut self, attr_type: u16, value: u16) -> Result<(), EncodeError> {
        self.put_fixed(attr_type, value.to_ne_bytes())
    }

    /// `u32` attribute in host byte order.
    #[inline(always)]
    pub fn put_u32(&mut self, attr_type: u16, value: u32) -> Result<(), EncodeError> {
        self.put_fixed(attr_type, value.to_ne_bytes())
    }

    /// `u64` attribute in host byte order.
    #[inline(always)]
    pub fn put_u64(&mut self, attr_type: u16, value: u64) -> Result<(), EncodeError> {
        self.put_fixed(attr_type, value.to_ne_bytes())
    }

    /// `u16` attribute in big-endian (network) byte order.
    #[inline(always)]
    pub fn put_be16(&mut self, attr_type: u16, value: u16) -> Result<(), EncodeError> {
        self.put_fixed(attr_type, value.to_be_bytes())
    }

    /// `u32` attribute in big-endian (network) byte order, as nf_tables wants every integer.
    #[inline(always)]
    pub fn put_be32(&mut self, attr_type: u16, value: u32) -> Result<(), EncodeError> {
        self.put_fixed(attr_type, value.to_be_bytes())
    }

    /// `u64` attribute in big-endian (network) byte order.
    #[inline(always)]
    pub fn put_be64(&mut self, attr_type: u16, value: u64) -> Result<(), EncodeError> {
        self.put_fixed(attr_type, value.to_be_bytes())
    }

    /// NUL-terminated string attribute. Fails on a string that contains a NUL byte, leaving
    /// the message as it was.
    #[inline(always)]
    pub fn put_strz(&mut self, attr_type: u16, value: &str) -> Result<(), EncodeError> {
        let before = self.len();
        self.put_attr(attr_type, value.as_bytes(), 1)?;
        // Checked after the copy, on bytes already in cache: names are short, and a failure
        // only rolls the attribute back.
        if has_nul(value.as_bytes()) {
            self.truncate(before);
            let attr_type = attr_type & NLA_TYPE_MASK;
            return Err(EncodeError::NulInString { attr_type });
        }
        Ok(())
    }

    /// Reserves `len` bytes for a [`Run`]: the attribute `attr_type`, nests and all, whose
    /// length is known before it is written. One room check serves every write in it.
    ///
    /// Fails with [`EncodeError::AttrTooLong`] when `len` exceeds [`NLA_MAX_LEN`], so that no
    /// attribute or nest inside the run can overflow its 16-bit length.
    #[inline(always)]
    pub fn run(&mut self, attr_type: u16, len: usize) -> Result<Run<'_, 'a>, EncodeError> {
        if len > NLA_MAX_LEN {
            let attr_type = attr_type & NLA_TYPE_MASK;
            return Err(EncodeError::AttrTooLong { attr_type, len });
        }
        let ptr = self.reserve(len)?;
        Ok(Run {
            msg: self,
            ptr,
            at: 0,
            len,
        })
    }

    /// Opens a nest of `attr_type`; `NLA_F_NESTED` is OR-ed into the type.
    #[inline(always)]
    pub fn begin_nest(&mut self, attr_type: u16) -> Result<Nest, EncodeError> {
        let offset = self.len();
        let attr_type = attr_type | NLA_F_NESTED;
        let mut header = [0u8; NLA_HDRLEN];
        header[2..].copy_from_slice(&attr_type.to_ne_bytes());
        self.append(&header)?;
        Ok(Nest { offset, attr_type })
    }

    /// Bytes the nest holds so far, its header included.
    #[inline(always)]
    pub fn nest_len(&self, nest: &Nest) -> usize {
        self.len() - nest.offset
    }

    /// Closes a nest by writing its length.
    ///
    /// Fails with [`EncodeError::AttrTooLong`] when the nest holds more than [`NLA_MAX_LEN`]
    /// bytes; the nest then stays open, so the caller can [`Message::rollback`] to a mark taken
    /// inside it and close it again.
    ///
    /// # Panics
    ///
    /// When the nest is not inside the message (rolled back past, or from another message):
    /// a caller's bug, never input-dependent.
    #[inline(always)]
    pub fn end_nest(&mut self, nest: Nest) -> Result<(), EncodeError> {
        assert!(
            nest.offset + NLA_HDRLEN <= self.len,
            "nest outside the message"
        );
        let len = self.nest_len(&nest);
        if len > NLA_MAX_LEN {
            let attr_type = nest.attr_type & NLA_TYPE_MASK;
            return Err(EncodeError::AttrTooLong { attr_type, len });
        }
        // SAFETY: checked just above: the nest's length field lies inside the written bytes.
        unsafe {
            let at = self.base.add(nest.offset);
            std::ptr::write_unaligned(at.cast::<[u8; 2]>(), (len as u16).to_ne_bytes());
        }
        Ok(())
    }

    /// Removes an open nest and everything written inside it.
    pub fn cancel_nest(&mut self, nest: Nest) {
        self.truncate(nest.offset);
    }

    /// The current position, to return to with [`Message::rollback`].
    #[inline(always)]
    pub fn mark(&self) -> Mark {
        Mark(self.len())
    }

    /// Removes everything written after `mark`. Nests opened after it must not be used again.
    #[inline(always)]
    pub fn rollback(&mut self, mark: Mark) {
        self.truncate(mark.0);
    }

    /// Writes `nlmsg_len` and adds the message to the batch; returns its seq.
    ///
    /// Fails when the message exceeds the 32-bit length or the batch would exceed the largest
    /// datagram ([`ArenaError::TooLarge`]); the message is then removed and the batch is
    /// unchanged.
    #[inline(always)]
    pub fn finish(mut self) -> Result<u32, EncodeError> {
        let len = self.len();
        let len32 = u32::try_from(len).map_err(|_| EncodeError::MessageTooLong { len })?;
        // SAFETY: the message holds at least its 16-byte header at `base`.
        unsafe { std::ptr::write_unaligned(self.base.cast::<[u8; 4]>(), len32.to_ne_bytes()) };
        self.batch.arena.set_open_len(len);
        self.batch.arena.finish_open()?;
        self.done = true;
        let seq = self.batch.next_seq();
        self.batch.count += 1;
        Ok(seq)
    }
}

/// Bytes reserved in a [`Message`] for attributes whose length is known before they are
/// written ([`Message::run`]). Writes need no room check of their own, and a nest's header is
/// written with its final length, so there is no nest to close afterwards: a run of constant
/// shape compiles to stores at constant offsets.
///
/// Every write checks that it stays inside the run (a check the compiler drops when the
/// lengths are constants); writing past the end, or finishing before it, is the caller's bug,
/// never input-dependent, and panics. A run dropped before [`Run::finish`] (an error while it
/// was written) takes its bytes out of the message again.
///
/// ```
/// use nlbatch::message::{attr_len, Batch, BatchConfig, NLA_HDRLEN, NLM_F_REQUEST};
///
/// let mut batch = Batch::new(BatchConfig::default())?;
/// let mut msg = batch.message(0x0a06, NLM_F_REQUEST)?;
/// msg.family_header(&[2, 0, 0, 0])?;
/// let nest = NLA_HDRLEN + attr_len(4);
/// let mut run = msg.run(1, nest)?;
/// run.nest(1, nest); // type 1 { type 2 = 7 }
/// run.put_be32(2, 7);
/// run.finish();
/// assert_eq!(&msg.bytes()[20..], &[12, 0, 1, 0x80, 8, 0, 2, 0, 0, 0, 0, 7]);
/// # Ok::<(), nlbatch::message::EncodeError>(())
/// ```
#[derive(Debug)]
pub struct Run<'r, 'a> {
    msg: &'r mut Message<'a>,
    /// First byte of the run.
    ptr: *mut u8,
    /// Bytes written so far.
    at: usize,
    /// Bytes reserved.
    len: usize,
}

impl Run<'_, '_> {
    /// The next `n` bytes of the run, to be written in full by the caller.
    #[inline(always)]
    fn take(&mut self, n: usize) -> *mut u8 {
        assert!(n <= self.len - self.at, "run written past its end");
        // SAFETY: `at + n <= len`: the bytes lie inside the room `Message::run` reserved.
        let ptr = unsafe { self.ptr.add(self.at) };
        self.at += n;
        ptr
    }

    /// The header of a nest of `attr_type` (`NLA_F_NESTED` is OR-ed in) that is `len` bytes
    /// long, its header included; its attributes are the run's next writes. That `len` is
    /// right is the caller's to ensure (debug builds check that the nest fits in the run);
    /// whatever it is, nothing is written outside the run.
    #[inline(always)]
    pub fn nest(&mut self, attr_type: u16, len: usize) {
        debug_assert!(
            NLA_HDRLEN <= len && len <= self.len - self.at,
            "nest does not fit in the run"
        );
        // `len` fits in `nla_len` when it fits in the run, which `Message::run` keeps to
        // `NLA_MAX_LEN`.
        let header = hdr_word(len as u16, attr_type | NLA_F_NESTED);
        // SAFETY: `take` returned room for the 4-byte header.
        unsafe { std::ptr::write_unaligned(self.take(NLA_HDRLEN).cast::<[u8; 4]>(), header) };
    }

    /// Attribute with `payload` and `extra_zeros` zero bytes after it (a string's NUL), padded.
    #[inline(always)]
    fn attr(&mut self, attr_type: u16, payload: &[u8], extra_zeros: usize) {
        let ptr = self.take(align(NLA_HDRLEN + payload.len() + extra_zeros));
        // SAFETY: `take` returned room for the attribute's padded length, in a page that
        // `payload` (a caller's slice) cannot overlap; having fitted in the run, the attribute
        // is at most `NLA_MAX_LEN` bytes, which `Message::run` keeps runs to.
        unsafe { write_attr(ptr, attr_type, payload, extra_zeros) };
    }

    /// Attribute with a fixed-size payload of `N` bytes.
    #[inline(always)]
    fn fixed<const N: usize>(&mut self, attr_type: u16, payload: [u8; N]) {
        let ptr = self.take(align(NLA_HDRLEN + N));
        // SAFETY: `take` returned room for the attribute's padded length.
        unsafe { write_fixed(ptr, attr_type, payload) };
    }

    /// Attribute with raw bytes as payload, padded with zeros ([`attr_len`]`(payload.len())`
    /// bytes of the run).
    #[inline(always)]
    pub fn put(&mut self, attr_type: u16, payload: &[u8]) {
        self.attr(attr_type, payload, 0);
    }

    /// NUL-terminated string attribute ([`attr_len`]`(value.len() + 1)` bytes of the run).
    /// Fails on a string that contains a NUL byte; the run is then left unfinished.
    #[inline(always)]
    pub fn put_strz(&mut self, attr_type: u16, value: &str) -> Result<(), EncodeError> {
        if has_nul(value.as_bytes()) {
            let attr_type = attr_type & NLA_TYPE_MASK;
            return Err(EncodeError::NulInString { attr_type });
        }
        self.attr(attr_type, value.as_bytes(), 1);
        Ok(())
    }

    /// `u8` attribute (8 bytes of the run).
    #[inline(always)]
    pub fn put_u8(&mut self, attr_type: u16, value: u8) {
        self.fixed(attr_type, [value]);
    }

    /// `u16` attribute in big-endian byte order (8 bytes of the run).
    #[inline(always)]
    pub fn put_be16(&mut self, attr_type: u16, value: u16) {
        self.fixed(attr_type, value.to_be_bytes());
    }

    /// `u32` attribute in big-endian byte order (8 bytes of the run).
    #[inline(always)]
    pub fn put_be32(&mut self, attr_type: u16, value: u32) {
        self.fixed(attr_type, value.to_be_bytes());
    }

    /// `u64` attribute in big-endian byte order (12 bytes of the run).
    #[inline(always)]
    pub fn put_be64(&mut self, attr_type: u16, value: u64) {
        self.fixed(attr_type, value.to_be_bytes());
    }

    /// Ends the run, which must be written in full.
    ///
    /// # Panics
    ///
    /// When bytes of the run are left unwritten.
    #[inline(always)]
    pub fn finish(self) {
        assert_eq!(self.at, self.len, "run finished before its end");
        // Nothing to undo: the bytes stay in the message.
        std::mem::forget(self);
    }
}

impl Drop for Run<'_, '_> {
    /// An unfinished run leaves the message as it was before [`Message::run`].
    fn drop(&mut self) {
        let before = self.msg.len - self.len;
        self.msg.truncate(before);
    }
}

impl Drop for Message<'_> {
    #[inline(always)]
    fn drop(&mut self) {
        if !self.done {
            self.batch.arena.set_open_len(0);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// A message with its 4-byte family header, for the tests of runs.
    fn with_message(f: impl FnOnce(&mut Message<'_>)) {
        let mut batch = Batch::new(BatchConfig::default()).unwrap();
        let mut msg = batch.message(0x0a06, NLM_F_REQUEST).unwrap();
        msg.family_header(&[2, 0, 0, 0]).unwrap();
        f(&mut msg);
    }

    #[test]
    fn a_run_writes_the_same_bytes_as_the_checked_calls() {
        let mut batch = Batch::new(BatchConfig::default()).unwrap();
        let mut checked = batch.message(0x0a06, NLM_F_REQUEST).unwrap();
        let outer = checked.begin_nest(1).unwrap();
        checked.put_strz(2, "filter").unwrap();
        let inner = checked.begin_nest(3).unwrap();
        checked.put_u8(4, 9).unwrap();
        checked.put_be16(5, 0x1234).unwrap();
        checked.put_be64(6, 7).unwrap();
        checked.put(7, &[1, 2, 3, 4, 5]).unwrap();
        checked.end_nest(inner).unwrap();
        checked.end_nest(outer).unwrap();
        let want = checked.bytes()[16..].to_vec();
        drop(checked);

        let inner = NLA_HDRLEN + 2 * attr_len(1) + attr_len(8) + attr_len(5);
        let outer = NLA_HDRLEN + attr_len(7) + inner;
        let mut msg = batch.message(0x0a06, NLM_F_REQUEST).unwrap();
        let mut run = msg.run(1, outer).unwrap();
        run.nest(1, outer);
        run.put_strz(2, "filter").unwrap();
        run.nest(3, inner);
        run.put_u8(4, 9);
        run.put_be16(5, 0x1234);
        run.put_be64(6, 7);
        run.put(7, &[1, 2, 3, 4, 5]);
        run.finish();
        assert_eq!(&msg.bytes()[16..], &want[..]);
    }

    #[test]
    fn a_run_dropped_unfinished_leaves_the_message_as_it_was() {
        with_message(|msg| {
            let mut run = msg.run(1, 2 * attr_len(4)).unwrap();
            run.put_be32(1, 1);
            assert_eq!(
                run.put_strz(2, "a\0b"),
                Err(EncodeError::NulInString { attr_type: 2 })
            );
            drop(run);
            assert_eq!(msg.len(), 20);
            msg.put_be32(3, 3).unwrap();
            assert_eq!(&msg.bytes()[20..], &[8, 0, 3, 0, 0, 0, 0, 3]);
        });
    }

    #[test]
    fn a_run_longer_than_nla_len_is_refused() {
        with_message(|msg| {
            let err = msg.run(5 | NLA_F_NESTED, NLA_MAX_LEN + 1).unwrap_err();
            let want = EncodeError::AttrTooLong {
                attr_type: 5,
                len: NLA_MAX_LEN + 1,
            };
            assert_eq!(err, want);
            assert_eq!(msg.len(), 20);
        });
    }

    /// The finished messages' tags (their payload's first byte, one message per tag).
    fn tags(batch: &Batch) -> Vec<u8> {
        batch.messages().map(|m| m.bytes()[20]).collect()
    }

    #[test]
    fn nested_marks_unwind_newest_first_and_a_mark_serves_twice() {
        let config = BatchConfig {
            arena: ArenaConfig::with_page_size(4096),
            ..BatchConfig::default()
        };
        let mut batch = Batch::new(config).unwrap();
        write_message(&mut batch, 1, 100, false);
        let outer = batch.mark();
        write_message(&mut batch, 2, 3000, false);
        let inner = batch.mark();
        write_message(&mut batch, 3, 3000, false);
        batch.rollback(inner);
        assert_eq!(tags(&batch), [1, 2]);
        batch.rollback(outer);
        assert_eq!(tags(&batch), [1]);
        write_message(&mut batch, 4, 5000, true);
        batch.rollback(outer);
        write_message(&mut batch, 5, 10, false);
        assert_eq!(tags(&batch), [1, 5]);
        assert_eq!(batch.message_count(), 2);
    }

    #[test]
    #[should_panic(expected = "mark of messages an earlier rollback removed")]
    fn a_mark_taken_after_the_target_of_a_rollback_is_refused() {
        let mut batch = Batch::new(BatchConfig::default()).unwrap();
        write_message(&mut batch, 1, 100, false);
        let older = batch.mark();
        write_message(&mut batch, 2, 200, false);
        let newer = batch.mark();
        batch.rollback(older);
        write_message(&mut batch, 3, 20, false);
        // `newer` marked a place after message 2, which is gone.
        batch.rollback(newer);
    }

    #[test]
    #[should_panic(expected = "mark from another arena or an earlier batch")]
    fn a_mark_from_before_a_reset_is_refused() {
        let mut batch = Batch::new(BatchConfig::default()).unwrap();
        write_message(&mut batch, 1, 10, false);
        let mark = batch.mark();
        batch.reset();
        batch.rollback(mark);
    }

    #[test]
    #[should_panic(expected = "mark from another arena or an earlier batch")]
    fn a_mark_from_another_batch_is_refused() {
        let mut one = Batch::new(BatchConfig::default()).unwrap();
        let mut other = Batch::new(BatchConfig::default()).unwrap();
        other.rollback(one.mark());
    }

    #[test]
    #[should_panic(expected = "run written past its end")]
    fn writing_past_a_run_panics() {
        with_message(|msg| {
            let mut run = msg.run(1, attr_len(4)).unwrap();
            run.put_be64(1, 1);
        });
    }

    #[test]
    #[should_panic(expected = "run finished before its end")]
    fn finishing_a_run_short_panics() {
        with_message(|msg| {
            let mut run = msg.run(1, 2 * attr_len(4)).unwrap();
            run.put_be32(1, 1);
            run.finish();
        });
    }

    /// Writes a message of type `0x10 + tag` holding one attribute of `len` bytes of `tag`;
    /// `sized` starts it with its size announced, as element lists do.
    fn write_message(batch: &mut Batch, tag: u8, len: usize, sized: bool) {
        let mut msg = match sized {
            true => batch.message_sized(0x10 + u16::from(tag), NLM_F_REQUEST, len + 24),
            false => batch.message(0x10 + u16::from(tag), NLM_F_REQUEST),
        }
        .unwrap();
        msg.put(1, &vec![tag; len]).unwrap();
        msg.finish().unwrap();
    }

    proptest! {
        /// Rolling a batch back to a mark leaves it as if the messages after the mark had
        /// never been written, whatever pages they took (4 KiB pages, messages from a few
        /// bytes to several pages, some growing alone in a page), and the batch goes on from
        /// there: the same bytes, messages, seqs and iovecs as a batch that wrote only the
        /// kept messages.
        #[test]
        fn rollback_to_a_mark_forgets_what_came_after(
            before in proptest::collection::vec((0usize..9000, any::<bool>()), 0..12),
            dropped in proptest::collection::vec((0usize..20000, any::<bool>()), 1..12),
            after in proptest::collection::vec((0usize..9000, any::<bool>()), 0..12),
            abandoned in proptest::option::of(0usize..20000),
        ) {
            let config = BatchConfig {
                arena: ArenaConfig::with_page_size(4096),
                ..BatchConfig::default()
            };
            let mut batch = Batch::new(config).unwrap();
            let mut model = Batch::new(config).unwrap();
            for (i, &(len, sized)) in before.iter().enumerate() {
                write_message(&mut batch, i as u8, len, sized);
                write_message(&mut model, i as u8, len, sized);
            }
            if let Some(len) = abandoned {
                // A message started with its size announced and dropped: the mark is then
                // taken with an empty page last, which the next message may replace.
                drop(batch.message_sized(0x10, NLM_F_REQUEST, len).unwrap());
            }
            let mark = batch.mark();
            for (i, &(len, sized)) in dropped.iter().enumerate() {
                write_message(&mut batch, 100 + i as u8, len, sized);
            }
            batch.rollback(mark);
            prop_assert_eq!(batch.len(), model.len());
            prop_assert_eq!(batch.message_count(), model.message_count());
            for (i, &(len, sized)) in after.iter().enumerate() {
                write_message(&mut batch, 200 + i as u8, len, sized);
                write_message(&mut model, 200 + i as u8, len, sized);
            }
            prop_assert_eq!(batch.to_vec(), model.to_vec());
            prop_assert_eq!(batch.next_seq(), model.next_seq());
            for index in 0..model.message_count() {
                prop_assert_eq!(batch.message_bytes(index), model.message_bytes(index));
            }
            let sent: usize = batch.iovecs().iter().map(|v| v.iov_len).sum();
            prop_assert_eq!(sent, model.len());
        }

        /// The word-wise NUL test agrees with a plain search, whatever the length and place.
        #[test]
        fn has_nul_agrees_with_contains(bytes in proptest::collection::vec(any::<u8>(), 0..40)) {
            prop_assert_eq!(has_nul(&bytes), bytes.contains(&0));
        }

        /// Mostly non-zero bytes with at most one NUL at any position, the case that matters.
        #[test]
        fn has_nul_finds_a_single_nul(len in 0usize..40, at in 0usize..40) {
            let mut bytes = vec![b'a'; len];
            if at < len {
                bytes[at] = 0;
            }
            prop_assert_eq!(has_nul(&bytes), at < len);
        }

        /// Small copies write exactly the source bytes.
        #[test]
        fn copy_small_copies(src in proptest::collection::vec(any::<u8>(), 0..64)) {
            let mut dst = vec![0xa5u8; src.len()];
            // SAFETY: `dst` holds `src.len()` writable bytes and is a separate allocation.
            unsafe { copy_small(&src, dst.as_mut_ptr()) };
            prop_assert_eq!(dst, src);
        }
    }
}

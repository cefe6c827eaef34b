//! Zero-copy decoding of netlink messages and attributes.
//!
//! The iterators borrow the buffer they walk, check every length before using it and stop at
//! the first malformed item, which they yield as an error: whatever the bytes, they never panic
//! and never read out of bounds.
//!
//! ```
//! use nlbatch::decode::MessageIter;
//!
//! // One message: header (16 bytes, host order), a 4-byte family header, one u32 attribute.
//! let mut buf = Vec::new();
//! buf.extend_from_slice(&28u32.to_ne_bytes()); // nlmsg_len
//! buf.extend_from_slice(&0x0a00u16.to_ne_bytes()); // nlmsg_type
//! buf.extend_from_slice(&1u16.to_ne_bytes()); // nlmsg_flags
//! buf.extend_from_slice(&7u32.to_ne_bytes()); // nlmsg_seq
//! buf.extend_from_slice(&0u32.to_ne_bytes()); // nlmsg_pid
//! buf.extend_from_slice(&[2, 0, 0, 0]); // nfgenmsg
//! buf.extend_from_slice(&8u16.to_ne_bytes()); // nla_len
//! buf.extend_from_slice(&3u16.to_ne_bytes()); // nla_type
//! buf.extend_from_slice(&5u32.to_be_bytes()); // payload
//! let msg = MessageIter::new(&buf).next().unwrap().unwrap();
//! assert_eq!(msg.seq(), 7);
//! let attr = msg.attrs(4).next().unwrap().unwrap();
//! assert_eq!((attr.kind(), attr.be32()), (3, Some(5)));
//! ```

use crate::message::{align, NLA_F_NESTED, NLA_HDRLEN, NLA_TYPE_MASK, NLMSG_HDRLEN};

/// Errors of the decoding layer: what was malformed and where.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    /// Fewer bytes remain than a header needs.
    #[error("truncated {what} header at byte {offset}: {available} bytes left")]
    Truncated {
        /// "message" or "attribute".
        what: &'static str,
        /// Offset of the header in the buffer walked.
        offset: usize,
        /// Bytes left from that offset.
        available: usize,
    },
    /// A length field is smaller than its header or larger than the bytes left.
    #[error("bad {what} length {len} at byte {offset}: {available} bytes left")]
    BadLength {
        /// "message" or "attribute".
        what: &'static str,
        /// Offset of the header in the buffer walked.
        offset: usize,
        /// The length field.
        len: usize,
        /// Bytes left from that offset.
        available: usize,
    },
}

/// Iterator over the messages of a buffer.
#[derive(Debug, Clone)]
pub struct MessageIter<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> MessageIter<'a> {
    /// Walks `buf` from its start.
    pub fn new(buf: &'a [u8]) -> Self {
        MessageIter { buf, pos: 0 }
    }
}

impl<'a> Iterator for MessageIter<'a> {
    type Item = Result<MessageView<'a>, DecodeError>;

    fn next(&mut self) -> Option<Self::Item> {
        let rest = self.buf.get(self.pos..).filter(|r| !r.is_empty())?;
        let offset = self.pos;
        if rest.len() < NLMSG_HDRLEN {
            self.pos = self.buf.len();
            return Some(Err(DecodeError::Truncated {
                what: "message",
                offset,
                available: rest.len(),
            }));
        }
        let len = u32::from_ne_bytes([rest[0], rest[1], rest[2], rest[3]]) as usize;
        if len < NLMSG_HDRLEN || len > rest.len() {
            self.pos = self.buf.len();
            let available = rest.len();
            return Some(Err(DecodeError::BadLength {
                what: "message",
                offset,
                len,
                available,
            }));
        }
        self.pos = offset.saturating_add(align(len)).min(self.buf.len());
        Some(Ok(MessageView {
            bytes: &rest[..len],
            offset,
        }))
    }
}

/// A message in a buffer: its header fields and payload.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MessageView<'a> {
    bytes: &'a [u8],
    offset: usize,
}

impl<'a> MessageView<'a> {
    /// A view over `bytes` when they hold exactly one well-formed message header.
    pub fn parse(bytes: &'a [u8]) -> Result<Self, DecodeError> {
        match MessageIter::new(bytes).next() {
            Some(result) => result,
            None => Err(DecodeError::Truncated {
                what: "message",
                offset: 0,
                available: 0,
            }),
        }
    }

    /// The message's bytes, `nlmsg_len` long.
    pub fn bytes(&self) -> &'a [u8] {
        self.bytes
    }

    /// Offset of the message in the buffer it was read from.
    pub fn offset(&self) -> usize {
        self.offset
    }

    fn u16_at(&self, at: usize) -> u16 {
        u16::from_ne_bytes([self.bytes[at], self.bytes[at + 1]])
    }

    fn u32_at(&self, at: usize) -> u32 {
        let b = self.bytes;
        u32::from_ne_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
    }

    /// `nlmsg_len`: length in bytes, header included.
    pub fn len(&self) -> usize {
        self.bytes.len()
    }

    /// Always false: a message holds at least its header.
    pub fn is_empty(&self) -> bool {
        false
    }

    /// `nlmsg_type`.
    pub fn msg_type(&self) -> u16 {
        self.u16_at(4)
    }

    /// `nlmsg_flags`.
    pub fn flags(&self) -> u16 {
        self.u16_at(6)
    }

    /// `nlmsg_seq`.
    pub fn seq(&self) -> u32 {
        self.u32_at(8)
    }

    /// `nlmsg_pid`: the port id.
    pub fn port_id(&self) -> u32 {
        self.u32_at(12)
    }

    /// The bytes after the header.
    pub fn payload(&self) -> &'a [u8] {
        &self.bytes[NLMSG_HDRLEN..]
    }

    /// Attributes after a family header of `family_header_len` bytes (padded to 4); offsets
    /// are counted from the start of the message header.
    pub fn attrs(&self, family_header_len: usize) -> AttrIter<'a> {
        let start = NLMSG_HDRLEN.saturating_add(align(family_header_len));
        let buf = self.bytes.get(start..).unwrap_or(&[]);
        AttrIter {
            buf,
            pos: 0,
            base: start.min(self.bytes.len()),
        }
    }
}

/// Iterator over a run of attributes (a message's, or a nest's payload).
#[derive(Debug, Clone)]
pub struct AttrIter<'a> {
    buf: &'a [u8],
    pos: usize,
    base: usize,
}

impl<'a> AttrIter<'a> {
    /// Walks the attributes in `buf`; `base` is the offset of `buf` in its message, added to
    /// every [`Attr::offset`].
    pub fn new(buf: &'a [u8], base: usize) -> Self {
        AttrIter { buf, pos: 0, base }
    }
}

impl<'a> Iterator for AttrIter<'a> {
    type Item = Result<Attr<'a>, DecodeError>;

    fn next(&mut self) -> Option<Self::Item> {
        let rest = self.buf.get(self.pos..).filter(|r| !r.is_empty())?;
        let offset = self.base + self.pos;
        if rest.len() < NLA_HDRLEN {
            self.pos = self.buf.len();
            let available = rest.len();
            return Some(Err(DecodeError::Truncated {
                what: "attribute",
                offset,
                available,
            }));
        }
        let len = u16::from_ne_bytes([rest[0], rest[1]]) as usize;
        let attr_type = u16::from_ne_bytes([rest[2], rest[3]]);
        if len < NLA_HDRLEN || len > rest.len() {
            self.pos = self.buf.len();
            let available = rest.len();
            return Some(Err(DecodeError::BadLength {
                what: "attribute",
                offset,
                len,
                available,
            }));
        }
        self.pos = self.pos.saturating_add(align(len)).min(self.buf.len());
        Some(Ok(Attr {
            attr_type,
            data: &rest[NLA_HDRLEN..len],
            offset,
        }))
    }
}

/// One attribute: its type with flags, its payload and where it sits in its message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Attr<'a> {
    attr_type: u16,
    data: &'a [u8],
    offset: usize,
}

impl<'a> Attr<'a> {
    /// Type without the nest and byte-order flags.
    pub fn kind(&self) -> u16 {
        self.attr_type & NLA_TYPE_MASK
    }

    /// Type as written, flags included.
    pub fn raw_type(&self) -> u16 {
        self.attr_type
    }

    /// True when `NLA_F_NESTED` is set (the kernel does not always set it on dumps).
    pub fn has_nested_flag(&self) -> bool {
        self.attr_type & NLA_F_NESTED != 0
    }

    /// Payload, without padding.
    pub fn data(&self) -> &'a [u8] {
        self.data
    }

    /// Offset of the attribute header from the start of its message header.
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// Attributes inside this one, read as a nest whatever its flags say.
    pub fn nested(&self) -> AttrIter<'a> {
        AttrIter {
            buf: self.data,
            pos: 0,
            base: self.offset + NLA_HDRLEN,
        }
    }

    /// Payload as `u8`, if exactly 1 byte.
    pub fn u8(&self) -> Option<u8> {
        <[u8; 1]>::try_from(self.data).ok().map(|b| b[0])
    }

    /// Payload as host-order `u16`, if exactly 2 bytes.
    pub fn u16(&self) -> Option<u16> {
        self.data.try_into().ok().map(u16::from_ne_bytes)
    }

    /// Payload as host-order `u32`, if exactly 4 bytes.
    pub fn u32(&self) -> Option<u32> {
        self.data.try_into().ok().map(u32::from_ne_bytes)
    }

    /// Payload as host-order `u64`, if exactly 8 bytes.
    pub fn u64(&self) -> Option<u64> {
        self.data.try_into().ok().map(u64::from_ne_bytes)
    }

    /// Payload as big-endian `u16`, if exactly 2 bytes.
    pub fn be16(&self) -> Option<u16> {
        self.data.try_into().ok().map(u16::from_be_bytes)
    }

    /// Payload as big-endian `u32`, if exactly 4 bytes.
    pub fn be32(&self) -> Option<u32> {
        self.data.try_into().ok().map(u32::from_be_bytes)
    }

    /// Payload as big-endian `u64`, if exactly 8 bytes.
    pub fn be64(&self) -> Option<u64> {
        self.data.try_into().ok().map(u64::from_be_bytes)
    }

    /// Payload as a NUL-terminated UTF-8 string (the NUL and anything after it dropped).
    pub fn str(&self) -> Option<&'a str> {
        let end = self
            .data
            .iter()
            .position(|&b| b == 0)
            .unwrap_or(self.data.len());
        std::str::from_utf8(&self.data[..end]).ok()
    }
}

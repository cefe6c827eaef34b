//! Replies from the kernel: acknowledgements, errors and extended ACKs.
//!
//! ```text
//!  NLMSG_ERROR                                    NLMSG_DONE (end of a dump)
//!  ┌ nlmsghdr (type 2, seq = request's) ┐         ┌ nlmsghdr (type 3) ┐
//!  │ error: i32, 0 or -errno            │         │ error: i32         │
//!  │ request's nlmsghdr (16 bytes)      │         │ extended-ACK TLVs  │  if NLM_F_ACK_TLVS
//!  │ request's payload                  │  unless NLM_F_CAPPED
//!  │ extended-ACK TLVs                  │  if NLM_F_ACK_TLVS
//!  └────────────────────────────────────┘
//! ```
//!
//! The extended-ACK attributes (`NLMSGERR_ATTR_*`) carry a text message and the byte offset,
//! from the failing request's header, of the attribute the kernel objected to.

use crate::decode::{AttrIter, DecodeError, MessageView};
use crate::message::{align, NLMSG_DONE, NLMSG_ERROR, NLMSG_HDRLEN, NLM_F_ACK_TLVS, NLM_F_CAPPED};

/// Extended-ACK attribute: text message.
pub const NLMSGERR_ATTR_MSG: u16 = 1;
/// Extended-ACK attribute: offset of the bad attribute from the request's header (u32).
pub const NLMSGERR_ATTR_OFFS: u16 = 2;
/// Extended-ACK attribute: cookie.
pub const NLMSGERR_ATTR_COOKIE: u16 = 3;
/// Extended-ACK attribute: the policy the bad attribute broke.
pub const NLMSGERR_ATTR_POLICY: u16 = 4;
/// Extended-ACK attribute: type of a missing attribute (u32).
pub const NLMSGERR_ATTR_MISS_TYPE: u16 = 5;
/// Extended-ACK attribute: offset of the nest that lacks an attribute (u32).
pub const NLMSGERR_ATTR_MISS_NEST: u16 = 6;

/// Size of `struct nlmsgerr`: the error and the request's header.
const NLMSGERR_LEN: usize = 4 + NLMSG_HDRLEN;

/// What the extended ACK says, borrowed from the reply.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ExtAck<'a> {
    /// `NLMSGERR_ATTR_MSG`: the kernel's text, often absent for nf_tables.
    pub message: Option<&'a str>,
    /// `NLMSGERR_ATTR_OFFS`: offset of the bad attribute from the request's header.
    pub offset: Option<u32>,
    /// `NLMSGERR_ATTR_MISS_TYPE`: type of an attribute the request lacked.
    pub missing_type: Option<u32>,
    /// `NLMSGERR_ATTR_MISS_NEST`: offset of the nest that lacked it.
    pub missing_nest: Option<u32>,
}

/// An `NLMSG_ERROR` or `NLMSG_DONE` reply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reply<'a> {
    /// `NLMSG_ERROR` or `NLMSG_DONE`.
    pub msg_type: u16,
    /// Seq of the reply: the request's seq.
    pub seq: u32,
    /// Port id the reply was addressed to.
    pub port_id: u32,
    /// Positive errno, or 0 for an acknowledgement.
    pub errno: i32,
    /// Type of the request it answers (`NLMSG_ERROR` only).
    pub request_type: Option<u16>,
    /// The extended ACK.
    pub ext: ExtAck<'a>,
}

impl Reply<'_> {
    /// True for a positive acknowledgement.
    pub fn is_ack(&self) -> bool {
        self.errno == 0
    }
}

/// Parses an `NLMSG_ERROR` or `NLMSG_DONE` message; `Ok(None)` for any other type.
///
/// Both extended-ACK layouts are handled: after the (possibly echoed) request in
/// `NLMSG_ERROR`, and directly after the errno in `NLMSG_DONE`.
pub fn parse<'a>(msg: &MessageView<'a>) -> Result<Option<Reply<'a>>, DecodeError> {
    let payload = msg.payload();
    let offset = msg.offset() + NLMSG_HDRLEN;
    let truncated = |available| DecodeError::Truncated {
        what: "error reply",
        offset,
        available,
    };
    let errno_of = |p: &[u8]| {
        // The kernel writes 0 or a negative errno; a positive value is taken as it is.
        let raw = i32::from_ne_bytes([p[0], p[1], p[2], p[3]]);
        raw.checked_neg().unwrap_or(i32::MAX).max(raw)
    };
    let (errno, request_type, tlv_start) = match msg.msg_type() {
        NLMSG_ERROR => {
            if payload.len() < NLMSGERR_LEN {
                return Err(truncated(payload.len()));
            }
            let request_len = u32::from_ne_bytes([payload[4], payload[5], payload[6], payload[7]]);
            let request_type = u16::from_ne_bytes([payload[8], payload[9]]);
            let echoed = if msg.flags() & NLM_F_CAPPED != 0 {
                0
            } else {
                align((request_len as usize).saturating_sub(NLMSG_HDRLEN))
            };
            (
                errno_of(payload),
                Some(request_type),
                NLMSGERR_LEN.saturating_add(echoed),
            )
        }
        NLMSG_DONE => {
            if payload.len() < 4 {
                // A dump's end without an errno word is a plain success.
                let ext = ExtAck::default();
                let (seq, port_id) = (msg.seq(), msg.port_id());
                let reply = Reply {
                    msg_type: NLMSG_DONE,
                    seq,
                    port_id,
                    errno: 0,
                    request_type: None,
                    ext,
                };
                return Ok(Some(reply));
            }
            (errno_of(payload), None, 4)
        }
        _ => return Ok(None),
    };
    let mut ext = ExtAck::default();
    if msg.flags() & NLM_F_ACK_TLVS != 0 {
        let tlvs = payload.get(tlv_start..).unwrap_or(&[]);
        for attr in AttrIter::new(tlvs, NLMSG_HDRLEN + tlv_start) {
            let attr = attr?;
            match attr.kind() {
                NLMSGERR_ATTR_MSG => ext.message = attr.str(),
                NLMSGERR_ATTR_OFFS => ext.offset = attr.u32(),
                NLMSGERR_ATTR_MISS_TYPE => ext.missing_type = attr.u32(),
                NLMSGERR_ATTR_MISS_NEST => ext.missing_nest = attr.u32(),
                _ => {}
            }
        }
    }
    Ok(Some(Reply {
        msg_type: msg.msg_type(),
        seq: msg.seq(),
        port_id: msg.port_id(),
        errno,
        request_type,
        ext,
    }))
}

/// Text for a positive errno, as `strerror(3)` gives it.
pub fn errno_text(errno: i32) -> String {
    std::io::Error::from_raw_os_error(errno).to_string()
}

//! The netlink socket: one `sendmsg(2)` per batch, replies drained and attributed.
//!
//! A batch leaves as exactly one datagram whose iovecs are the arena's pages: nothing is
//! copied in user space and nothing is allocated per send. Before sending, the send buffer is
//! raised to fit the datagram (`SO_SNDBUFFORCE`, else `SO_SNDBUF`), or the send is refused with
//! the sizes involved. After sending, the socket is drained without blocking — nfnetlink
//! processes a batch synchronously inside `sendmsg`, so every reply is queued by then — and each
//! error is matched to its message by seq and port id, then to the attribute the kernel named
//! in its extended ACK.

use std::io;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::time::{Duration, Instant};

use crate::arena::{MAX_DATAGRAM, UIO_MAXIOV};
use crate::decode::{DecodeError, MessageIter, MessageView};
use crate::message::Batch;
use crate::reply::{self, Reply};

/// Netlink protocol of nftables and the other netfilter subsystems.
pub const NETLINK_NETFILTER: i32 = libc::NETLINK_NETFILTER;
/// Netlink protocol of routes, links and addresses.
pub const NETLINK_ROUTE: i32 = libc::NETLINK_ROUTE;
/// Netlink protocol of generic netlink families.
pub const NETLINK_GENERIC: i32 = libc::NETLINK_GENERIC;

/// What the kernel keeps of `SO_SNDBUF` for its own bookkeeping: a datagram must be at most
/// the send buffer minus this.
const SNDBUF_OVERHEAD: usize = 32;
/// Largest value worth passing to `SO_SNDBUF(FORCE)`: the kernel doubles it, and a value of
/// 2 GiB or more wraps negative as a C `int` and is silently replaced by the minimum.
const MAX_BUF_REQUEST: usize = 0x3FFF_FFFF;
/// Receive buffer for one reply datagram; a dump's datagrams are at most about 32 KiB and an
/// error with `NETLINK_CAP_ACK` is tiny, but an echoed request can reach 64 KiB.
const RECV_BUF_LEN: usize = 128 * 1024;
/// Receive-buffer space the kernel charges for one queued error (`skb` truesize), measured at
/// about 832 bytes; rounded up.
pub const RCVBUF_PER_REPLY: usize = 1024;

/// One error the kernel reported for a batch, attributed to its message and attribute.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KernelError {
    /// Positive errno.
    pub errno: i32,
    /// Seq of the failing message.
    pub seq: u32,
    /// Index of the failing message in the batch.
    pub index: u32,
    /// Type of the failing message.
    pub msg_type: u16,
    /// The extended ACK's text, when the kernel gave one.
    pub message: Option<String>,
    /// The extended ACK's offset of the offending attribute from the message header.
    pub offset: Option<u32>,
    /// The path of attributes from the message down to that offset.
    pub path: Vec<PathStep>,
    /// Type of an attribute the kernel found missing (extended ACK), if any.
    pub missing_type: Option<u32>,
}

impl KernelError {
    /// The errno as an [`io::Error`].
    pub fn io_error(&self) -> io::Error {
        io::Error::from_raw_os_error(self.errno)
    }
}

impl std::fmt::Display for KernelError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "message #{} (seq {}, type {:#06x}): {}",
            self.index,
            self.seq,
            self.msg_type,
            reply::errno_text(self.errno)
        )?;
        if let Some(text) = &self.message {
            write!(f, ": {text}")?;
        }
        if let Some(offset) = self.offset {
            write!(f, " (attribute at byte {offset}")?;
            for step in &self.path {
                write!(f, " > type {} #{}", step.attr_type, step.position)?;
            }
            write!(f, ")")?;
        }
        Ok(())
    }
}

/// One step of a path through nested attributes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PathStep {
    /// Attribute type, without flags.
    pub attr_type: u16,
    /// Position among its siblings, from 0.
    pub position: u32,
    /// Offset of the attribute from the message header.
    pub offset: u32,
}

/// Walks `message` (with a family header of `family_header_len` bytes) to the attribute that
/// starts at `offset`, returning the attributes passed through, outermost first.
///
/// Stops where the bytes stop making sense: the path then ends at the deepest attribute that
/// contains the offset.
pub fn attribute_path(message: &[u8], family_header_len: usize, offset: u32) -> Vec<PathStep> {
    let mut path = Vec::new();
    let Ok(view) = MessageView::parse(message) else {
        return path;
    };
    let target = offset as usize;
    let mut attrs = view.attrs(family_header_len);
    'level: loop {
        for (position, attr) in attrs.clone().enumerate() {
            let Ok(attr) = attr else { break 'level };
            let end = attr.offset() + 4 + attr.data().len();
            if attr.offset() > target || target >= end {
                continue;
            }
            path.push(PathStep {
                attr_type: attr.kind(),
                position: position as u32,
                offset: attr.offset() as u32,
            });
            if attr.offset() == target {
                break 'level;
            }
            attrs = attr.nested();
            continue 'level;
        }
        break;
    }
    path
}

/// Errors of the transport layer, each with what an operator needs to act on it.
#[derive(Debug, thiserror::Error)]
pub enum TransportError {
    /// A system call on the socket failed.
    #[error("netlink {op} failed: {source}")]
    Os {
        /// The operation (`socket`, `bind`, `sendmsg`, ...).
        op: &'static str,
        /// The errno.
        #[source]
        source: io::Error,
    },
    /// The send buffer cannot be made large enough for the batch; nothing was sent.
    #[error(
        "the batch is {size} bytes but the send buffer could only be raised to {limit} bytes \
         (SO_SNDBUFFORCE: {force}; net.core.wmem_max = {wmem_max}); nothing was sent. Run with \
         CAP_NET_ADMIN, or raise the limit: sysctl -w net.core.wmem_max={wanted}"
    )]
    SendBufferTooSmall {
        /// Datagram size in bytes.
        size: usize,
        /// Largest datagram the buffer allows, in bytes.
        limit: usize,
        /// What `SO_SNDBUFFORCE` answered.
        force: String,
        /// `net.core.wmem_max`, as read from /proc (0 if unreadable).
        wmem_max: usize,
        /// A `wmem_max` that would be enough.
        wanted: usize,
    },
    /// The batch has more pages than the kernel takes iovecs (`UIO_MAXIOV`); nothing was sent.
    #[error("the batch has {count} pages, more than the {UIO_MAXIOV} iovecs one sendmsg takes")]
    TooManyIovecs {
        /// Pages in the batch.
        count: usize,
    },
    /// The batch exceeds the kernel's largest datagram; nothing was sent.
    #[error("the batch is {size} bytes, more than the {MAX_DATAGRAM} bytes of one datagram")]
    DatagramTooLarge {
        /// Datagram size in bytes.
        size: usize,
    },
    /// The kernel refused the datagram as larger than the send buffer (`EMSGSIZE`).
    #[error("the kernel refused a {size}-byte datagram: larger than the send buffer ({sndbuf})")]
    SendBufferExceeded {
        /// Datagram size in bytes.
        size: usize,
        /// The send buffer in force, in bytes.
        sndbuf: usize,
    },
    /// `sendmsg` took fewer bytes than the batch holds: the kernel dropped the transaction.
    #[error("short write: the kernel took {sent} of {size} bytes and dropped the batch")]
    ShortWrite {
        /// Bytes taken.
        sent: usize,
        /// Datagram size in bytes.
        size: usize,
    },
    /// The batch holds no message; nothing was sent.
    #[error("the batch is empty: nothing to send")]
    EmptyBatch,
    /// A reply could not be parsed.
    #[error("malformed reply from the kernel: {0}")]
    Decode(#[from] DecodeError),
    /// No reply arrived in time.
    #[error("no reply from the kernel within {0:?}")]
    Timeout(Duration),
}

impl TransportError {
    /// The errno under the error, when there is one.
    pub fn raw_os_error(&self) -> Option<i32> {
        match self {
            TransportError::Os { source, .. } => source.raw_os_error(),
            TransportError::SendBufferExceeded { .. }
            | TransportError::TooManyIovecs { .. }
            | TransportError::DatagramTooLarge { .. } => Some(libc::EMSGSIZE),
            TransportError::SendBufferTooSmall { .. } => Some(libc::EPERM),
            _ => None,
        }
    }
}

fn os_error(op: &'static str) -> TransportError {
    TransportError::Os {
        op,
        source: io::Error::last_os_error(),
    }
}

/// What came back for one batch.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Replies {
    /// Errors, attributed, in the order received.
    pub errors: Vec<KernelError>,
    /// Seqs of positive acknowledgements.
    pub acks: Vec<u32>,
    /// True when the receive queue overflowed (`ENOBUFS`): some replies were lost.
    pub lost: bool,
    /// Replies that matched no message of the batch (another batch's, or another port's).
    pub stale: u64,
}

impl Replies {
    /// Empties the lists, keeping their memory.
    pub fn clear(&mut self) {
        self.errors.clear();
        self.acks.clear();
        self.lost = false;
        self.stale = 0;
    }

    /// True when message `seq` was acknowledged.
    pub fn acked(&self, seq: u32) -> bool {
        self.acks.contains(&seq)
    }
}

/// Timing and size of one send.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct SendStats {
    /// Bytes in the datagram.
    pub bytes: usize,
    /// Iovecs (pages) in the datagram.
    pub iovecs: usize,
    /// Time spent inside `sendmsg`: for nfnetlink, the kernel's processing of the batch.
    pub kernel_time: Duration,
}

/// A bound netlink socket with extended ACKs and capped error echoes.
#[derive(Debug)]
pub struct Socket {
    fd: OwnedFd,
    protocol: i32,
    port_id: u32,
    recv_buf: Vec<u8>,
}

impl Socket {
    /// Opens, binds and configures a socket for netlink `protocol` in the calling thread's
    /// network namespace: close-on-exec, non-blocking, `NETLINK_EXT_ACK` and `NETLINK_CAP_ACK`
    /// on, port id assigned by the kernel and read back.
    pub fn open(protocol: i32) -> Result<Socket, TransportError> {
        let flags = libc::SOCK_RAW | libc::SOCK_CLOEXEC | libc::SOCK_NONBLOCK;
        // SAFETY: plain system call with integer arguments.
        let fd = unsafe { libc::socket(libc::AF_NETLINK, flags, protocol) };
        if fd < 0 {
            return Err(os_error("socket"));
        }
        // SAFETY: `fd` was just returned by `socket` and is owned by nothing else.
        let fd = unsafe { OwnedFd::from_raw_fd(fd) };
        let mut socket = Socket {
            fd,
            protocol,
            port_id: 0,
            recv_buf: vec![0; RECV_BUF_LEN],
        };
        let addr = sockaddr_nl(0);
        let len = std::mem::size_of::<libc::sockaddr_nl>() as libc::socklen_t;
        // SAFETY: `addr` is a valid `sockaddr_nl` of `len` bytes for the duration of the call.
        let rc = unsafe {
            libc::bind(
                socket.raw(),
                (&addr as *const libc::sockaddr_nl).cast(),
                len,
            )
        };
        if rc != 0 {
            return Err(os_error("bind"));
        }
        let mut bound = sockaddr_nl(0);
        let mut len = std::mem::size_of::<libc::sockaddr_nl>() as libc::socklen_t;
        // SAFETY: `bound` is writable for `len` bytes; the kernel writes at most that many.
        let rc = unsafe {
            libc::getsockname(
                socket.raw(),
                (&mut bound as *mut libc::sockaddr_nl).cast(),
                &mut len,
            )
        };
        if rc != 0 {
            return Err(os_error("getsockname"));
        }
        socket.port_id = bound.nl_pid;
        socket.set_int(
            libc::SOL_NETLINK,
            libc::NETLINK_EXT_ACK,
            1,
            "setsockopt(NETLINK_EXT_ACK)",
        )?;
        socket.set_int(
            libc::SOL_NETLINK,
            libc::NETLINK_CAP_ACK,
            1,
            "setsockopt(NETLINK_CAP_ACK)",
        )?;
        log::debug!(
            "netlink socket protocol {protocol} bound, port id {}",
            socket.port_id
        );
        Ok(socket)
    }

    /// The netlink protocol the socket was opened with.
    pub fn protocol(&self) -> i32 {
        self.protocol
    }

    /// Port id the kernel assigned; replies carry it.
    pub fn port_id(&self) -> u32 {
        self.port_id
    }

    fn raw(&self) -> libc::c_int {
        self.fd.as_raw_fd()
    }

    fn set_int(
        &self,
        level: i32,
        name: i32,
        value: i32,
        op: &'static str,
    ) -> Result<(), TransportError> {
        let len = std::mem::size_of::<i32>() as libc::socklen_t;
        // SAFETY: `value` is a live `i32` of `len` bytes for the duration of the call.
        let rc = unsafe {
            libc::setsockopt(self.raw(), level, name, (&value as *const i32).cast(), len)
        };
        if rc != 0 {
            return Err(os_error(op));
        }
        Ok(())
    }

    fn get_int(&self, level: i32, name: i32, op: &'static str) -> Result<i32, TransportError> {
        let mut value: i32 = 0;
        let mut len = std::mem::size_of::<i32>() as libc::socklen_t;
        // SAFETY: `value` is writable for `len` bytes; the kernel writes at most that many.
        let rc = unsafe {
            libc::getsockopt(
                self.raw(),
                level,
                name,
                (&mut value as *mut i32).cast(),
                &mut len,
            )
        };
        if rc != 0 {
            return Err(os_error(op));
        }
        Ok(value)
    }

    /// The send buffer in force, in bytes (as the kernel reports it: twice what was asked).
    pub fn send_buffer(&self) -> Result<usize, TransportError> {
        let value = self.get_int(libc::SOL_SOCKET, libc::SO_SNDBUF, "getsockopt(SO_SNDBUF)")?;
        Ok(value.max(0) as usize)
    }

    /// The receive buffer in force, in bytes.
    pub fn recv_buffer(&self) -> Result<usize, TransportError> {
        let value = self.get_int(libc::SOL_SOCKET, libc::SO_RCVBUF, "getsockopt(SO_RCVBUF)")?;
        Ok(value.max(0) as usize)
    }

    /// Raises a buffer so that it holds at least `want` bytes; returns what is in force, which
    /// may be less when neither the forced nor the plain option could give enough.
    fn raise_buffer(&self, want: usize, force: i32, plain: i32, current: usize) -> (usize, String) {
        if current >= want {
            return (current, "not needed".into());
        }
        // The kernel doubles the value it is given.
        let request = want.div_ceil(2).min(MAX_BUF_REQUEST) as i32;
        let forced = match self.set_int(libc::SOL_SOCKET, force, request, "setsockopt") {
            Ok(()) => "ok".to_string(),
            Err(e) => {
                let text = e
                    .raw_os_error()
                    .map_or_else(|| e.to_string(), reply::errno_text);
                let _ = self.set_int(libc::SOL_SOCKET, plain, request, "setsockopt");
                text
            }
        };
        let now = self
            .get_int(libc::SOL_SOCKET, plain, "getsockopt")
            .map_or(0, |v| v.max(0));
        log::debug!("socket buffer {plain}: wanted {want} bytes, now {now} (force: {forced})");
        (now as usize, forced)
    }

    /// Makes the send buffer large enough for a datagram of `size` bytes.
    ///
    /// Fails with [`TransportError::SendBufferTooSmall`] when it cannot: no `CAP_NET_ADMIN` for
    /// `SO_SNDBUFFORCE` and `net.core.wmem_max` too low.
    pub fn ensure_send_buffer(&self, size: usize) -> Result<(), TransportError> {
        if size > MAX_DATAGRAM {
            return Err(TransportError::DatagramTooLarge { size });
        }
        let want = size + SNDBUF_OVERHEAD;
        let (now, force) = self.raise_buffer(
            want,
            libc::SO_SNDBUFFORCE,
            libc::SO_SNDBUF,
            self.send_buffer()?,
        );
        if now >= want {
            return Ok(());
        }
        Err(TransportError::SendBufferTooSmall {
            size,
            limit: now.saturating_sub(SNDBUF_OVERHEAD),
            force,
            wmem_max: read_sysctl("/proc/sys/net/core/wmem_max").unwrap_or(0),
            wanted: want.div_ceil(2).next_power_of_two(),
        })
    }

    /// Raises the receive buffer towards `size` bytes, as far as the kernel allows; returns
    /// the buffer in force. Falling short is not an error: lost replies are detected.
    pub fn ensure_recv_buffer(&self, size: usize) -> Result<usize, TransportError> {
        let (now, _) = self.raise_buffer(
            size.min(MAX_BUF_REQUEST * 2),
            libc::SO_RCVBUFFORCE,
            libc::SO_RCVBUF,
            self.recv_buffer()?,
        );
        Ok(now)
    }

    /// Sends the batch as one datagram: one `sendmsg` whose iovecs are the batch's pages.
    ///
    /// The send buffer is raised first ([`Socket::ensure_send_buffer`]). Nothing is copied or
    /// allocated. A short write is an error, and the two causes of `EMSGSIZE` (too many iovecs,
    /// datagram larger than the send buffer) are told apart.
    pub fn send(&mut self, batch: &mut Batch) -> Result<SendStats, TransportError> {
        let size = batch.len();
        if size == 0 {
            return Err(TransportError::EmptyBatch);
        }
        self.ensure_send_buffer(size)?;
        let iov = batch.iovecs();
        if iov.len() > UIO_MAXIOV {
            return Err(TransportError::TooManyIovecs { count: iov.len() });
        }
        self.sendmsg(iov, size)
    }

    /// Sends `bytes` as one datagram with one `sendmsg` of a single iovec: the way most
    /// netlink libraries send a batch they built in one contiguous buffer.
    ///
    /// For comparisons (the `bench` module); [`Socket::send`] sends a [`Batch`] without
    /// copying it. The send buffer is raised first, as for [`Socket::send`], and the errors are
    /// the same.
    pub fn send_bytes(&mut self, bytes: &[u8]) -> Result<SendStats, TransportError> {
        self.send_slices(&[io::IoSlice::new(bytes)])
    }

    /// Sends `slices` as one datagram, one iovec per slice, in one `sendmsg`.
    ///
    /// Unlike [`Socket::send`], the iovec count is not checked first: the kernel itself
    /// refuses more than [`UIO_MAXIOV`] iovecs with `EMSGSIZE`, which is returned as
    /// [`TransportError::TooManyIovecs`] (an `EMSGSIZE` with fewer iovecs is
    /// [`TransportError::SendBufferExceeded`]). The concatenation of the slices must be a run
    /// of netlink messages; the kernel sees no boundary between slices.
    pub fn send_slices(&mut self, slices: &[io::IoSlice<'_>]) -> Result<SendStats, TransportError> {
        let size: usize = slices.iter().map(|s| s.len()).sum();
        if size == 0 {
            return Err(TransportError::EmptyBatch);
        }
        self.ensure_send_buffer(size)?;
        // SAFETY: `IoSlice` is guaranteed ABI-compatible with `struct iovec` on Unix, so the
        // slice can be viewed as `slices.len()` iovecs, borrowed for as long as `slices`.
        let iov = unsafe { std::slice::from_raw_parts(slices.as_ptr().cast(), slices.len()) };
        self.sendmsg(iov, size)
    }

    /// One `sendmsg` of `iov` (`size` bytes in all), with its errors told apart: `EMSGSIZE`
    /// with more than [`UIO_MAXIOV`] iovecs, `EMSGSIZE` otherwise, a short write.
    fn sendmsg(&mut self, iov: &[libc::iovec], size: usize) -> Result<SendStats, TransportError> {
        let addr = sockaddr_nl(0);
        // SAFETY: an all-zero `msghdr` is a valid empty header; the fields are set below.
        let mut hdr: libc::msghdr = unsafe { std::mem::zeroed() };
        hdr.msg_name = (&addr as *const libc::sockaddr_nl).cast_mut().cast();
        hdr.msg_namelen = std::mem::size_of::<libc::sockaddr_nl>() as libc::socklen_t;
        hdr.msg_iov = iov.as_ptr().cast_mut();
        hdr.msg_iovlen = iov.len();
        let iovecs = iov.len();
        let start = Instant::now();
        // SAFETY: `hdr` points at `addr` and at `iovecs` iovecs, each naming bytes borrowed by
        // the caller for the duration of the call, which only reads them.
        let sent = unsafe { libc::sendmsg(self.raw(), &hdr, 0) };
        let kernel_time = start.elapsed();
        if sent < 0 {
            let source = io::Error::last_os_error();
            if source.raw_os_error() == Some(libc::EMSGSIZE) {
                if iovecs > UIO_MAXIOV {
                    return Err(TransportError::TooManyIovecs { count: iovecs });
                }
                return Err(TransportError::SendBufferExceeded {
                    size,
                    sndbuf: self.send_buffer()?,
                });
            }
            return Err(TransportError::Os {
                op: "sendmsg",
                source,
            });
        }
        if sent as usize != size {
            return Err(TransportError::ShortWrite {
                sent: sent as usize,
                size,
            });
        }
        log::debug!("sent {size} bytes in {iovecs} iovecs, {kernel_time:?} in sendmsg");
        Ok(SendStats {
            bytes: size,
            iovecs,
            kernel_time,
        })
    }

    /// Receives one datagram without blocking; `Ok(None)` when the queue is empty.
    ///
    /// `ENOBUFS` (replies lost to a full receive queue) is returned as an error with that errno;
    /// the queue can still be read afterwards.
    pub fn recv(&mut self) -> Result<Option<&[u8]>, TransportError> {
        // SAFETY: `recv_buf` is writable for its length; the kernel writes at most that many
        // bytes and reports the datagram's full length with MSG_TRUNC.
        let n = unsafe {
            libc::recv(
                self.raw(),
                self.recv_buf.as_mut_ptr().cast(),
                self.recv_buf.len(),
                libc::MSG_TRUNC | libc::MSG_DONTWAIT,
            )
        };
        if n < 0 {
            let source = io::Error::last_os_error();
            if source.kind() == io::ErrorKind::WouldBlock {
                return Ok(None);
            }
            return Err(TransportError::Os { op: "recv", source });
        }
        let n = n as usize;
        if n > self.recv_buf.len() {
            let source = io::Error::from_raw_os_error(libc::ENOSPC);
            log::debug!("reply of {n} bytes truncated to {}", self.recv_buf.len());
            return Err(TransportError::Os {
                op: "recv (reply larger than buffer)",
                source,
            });
        }
        Ok(Some(&self.recv_buf[..n]))
    }

    /// Waits up to `timeout` for the socket to become readable; false on time-out.
    pub fn wait_readable(&self, timeout: Duration) -> Result<bool, TransportError> {
        let mut pfd = libc::pollfd {
            fd: self.raw(),
            events: libc::POLLIN,
            revents: 0,
        };
        let ms = timeout.as_millis().min(i32::MAX as u128) as i32;
        // SAFETY: `pfd` is one valid `pollfd` for the duration of the call.
        let rc = unsafe { libc::poll(&mut pfd, 1, ms) };
        if rc < 0 {
            return Err(os_error("poll"));
        }
        Ok(rc > 0)
    }

    /// Drains every queued reply without blocking and records those of `batch` in `replies`.
    ///
    /// A reply belongs to the batch when its port id is this socket's and its seq is one of the
    /// batch's; others are counted as stale and ignored. Errors are attributed by walking the
    /// failing message, still in the arena, to the extended ACK's offset;
    /// `family_header_len` is the size of the protocol's family header (4 for nfnetlink).
    pub fn drain(
        &mut self,
        batch: &Batch,
        family_header_len: usize,
        replies: &mut Replies,
    ) -> Result<(), TransportError> {
        let port_id = self.port_id;
        loop {
            let datagram = match self.recv() {
                Ok(Some(d)) => d,
                Ok(None) => return Ok(()),
                Err(e) if e.raw_os_error() == Some(libc::ENOBUFS) => {
                    log::debug!("receive queue overflowed: replies were lost");
                    replies.lost = true;
                    continue;
                }
                Err(e) => return Err(e),
            };
            for msg in MessageIter::new(datagram) {
                let msg = msg?;
                let Some(reply) = reply::parse(&msg)? else {
                    continue;
                };
                record(batch, port_id, family_header_len, &reply, replies);
            }
        }
    }
}

/// Adds one reply to `replies` if it belongs to `batch`.
fn record(
    batch: &Batch,
    port_id: u32,
    family_header_len: usize,
    reply: &Reply<'_>,
    replies: &mut Replies,
) {
    let index = match batch.index_of_seq(reply.seq) {
        Some(index) if reply.port_id == port_id => index,
        _ => {
            replies.stale += 1;
            return;
        }
    };
    if reply.is_ack() {
        replies.acks.push(reply.seq);
        return;
    }
    let bytes = batch.message_bytes(index).unwrap_or(&[]);
    let msg_type = MessageView::parse(bytes).map_or(0, |m| m.msg_type());
    let path = match reply.ext.offset {
        Some(offset) => attribute_path(bytes, family_header_len, offset),
        None => Vec::new(),
    };
    replies.errors.push(KernelError {
        errno: reply.errno,
        seq: reply.seq,
        index,
        msg_type: reply.request_type.unwrap_or(msg_type),
        message: reply.ext.message.map(str::to_owned),
        offset: reply.ext.offset,
        path,
        missing_type: reply.ext.missing_type,
    });
}

fn sockaddr_nl(pid: u32) -> libc::sockaddr_nl {
    // SAFETY: `sockaddr_nl` is plain data; all-zero is valid (padding included).
    let mut addr: libc::sockaddr_nl = unsafe { std::mem::zeroed() };
    addr.nl_family = libc::AF_NETLINK as libc::sa_family_t;
    addr.nl_pid = pid;
    addr
}

fn read_sysctl(path: &str) -> Option<usize> {
    std::fs::read_to_string(path).ok()?.trim().parse().ok()
}

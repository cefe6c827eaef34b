//! The nftables vocabulary: transactions, tables, chains, sets, elements and rules, and the
//! commit of a transaction over a netfilter socket with every kernel error described.
//!
//! ```no_run
//! use nlbatch::nft::{Family, Hook, Chain, KeyType, Nftables, Rule, Set, Table, Transaction};
//! use nlbatch::nft::{SetRef, Verdict};
//!
//! let mut nft = Nftables::open()?;
//! let mut tx = Transaction::new(Default::default())?;
//! tx.begin(None)?;
//! tx.add_table(&Table::new(Family::Inet, "fw"))?;
//! tx.add_chain(&Chain::filter(Family::Inet, "fw", "input", Hook::Input, 0))?;
//! let set = Set::new(Family::Inet, "fw", "bad4", KeyType::Ipv4Addr).interval();
//! let target = tx.add_set(&set)?;
//! tx.add_rule(&Rule::saddr_in_set(Family::Inet, "fw", "input",
//!     SetRef::NameAndId("bad4".into(), target.id.unwrap()), false, Verdict::Drop))?;
//! tx.end()?;
//! let report = nft.commit(&mut tx)?;
//! assert!(report.confirmed);
//! # Ok::<(), nlbatch::nft::NftError>(())
//! ```

mod dump;
mod expr;
pub mod keywords;
mod objects;
mod transaction;
pub mod wire;

pub use dump::{ChainInfo, ElementInfo, RuleInfo, SetInfo, TableInfo};
pub use expr::{CmpOp, Expr, MetaKey, PayloadBase, Rule, SetRef, Verdict};
pub use expr::{CtDirection, CtKey, CtState, Limit, LimitUnit, Log, LogLevel, Nat, NatKind};
pub use expr::{NatPorts, Placement, RejectKind, IFNAMSIZ, NFT_DATA_VALUE_MAXLEN};
pub use expr::{IPPROTO_ICMP, IPPROTO_ICMPV6, IPPROTO_TCP, IPPROTO_UDP, NF_LOG_PREFIXLEN};
pub use expr::{NFT_REG32_00, NFT_REG_2, NFT_REG_3, NFT_REG_4};
pub use expr::{NF_NAT_RANGE_MAP_IPS, NF_NAT_RANGE_PERSISTENT, NF_NAT_RANGE_PROTO_RANDOM};
pub use expr::{NF_NAT_RANGE_PROTO_RANDOM_FULLY, NF_NAT_RANGE_PROTO_SPECIFIED};
pub use objects::{check_comment, check_name, BaseChain, Chain, Family, Hook, Key, KeyType};
pub use objects::{Set, Table};
pub use transaction::{Delete, ElementStats, Ending, SetTarget, Transaction};
pub use transaction::{Element, ElementData};

use std::time::Duration;

use crate::decode::MessageView;
use crate::message::{Batch, EncodeError, NLM_F_REQUEST};
use crate::reply::errno_text;
use crate::socket::{KernelError, Replies, SendStats, Socket, TransportError, NETLINK_NETFILTER};
use wire::*;

/// Errors of the nftables layer.
#[derive(Debug, thiserror::Error)]
pub enum NftError {
    /// An object failed validation before encoding; nothing was sent.
    #[error("{object}: {reason}")]
    Invalid {
        /// The object, named.
        object: String,
        /// What is wrong with it.
        reason: String,
    },
    /// Encoding failed (see [`EncodeError`]).
    #[error(transparent)]
    Encode(#[from] EncodeError),
    /// Sending or receiving failed (see [`TransportError`]).
    #[error(transparent)]
    Transport(#[from] TransportError),
    /// The transaction was already ended (or a begin came after other messages).
    #[error("the transaction is closed: begin it once, end it once, then reset it")]
    Closed,
    /// The kernel rejected the transaction; nothing was committed.
    #[error("the kernel rejected the transaction, nothing was committed: {}", describe_all(.0))]
    Rejected(Vec<Rejection>),
    /// Replies were lost to a full receive queue, so the outcome is not fully known.
    #[error(
        "replies were lost (receive queue overflowed): {}; {} error(s) arrived{}",
        if *.committed { "the commit was confirmed" } else { "the commit was NOT confirmed" },
        .errors.len(),
        .errors.first().map(|e| format!(", first: {e}")).unwrap_or_default()
    )]
    RepliesLost {
        /// The errors that did arrive.
        errors: Vec<Rejection>,
        /// True when the commit acknowledgement arrived anyway.
        committed: bool,
    },
}

impl NftError {
    /// The errno of the first kernel error, or of the system call that failed.
    pub fn errno(&self) -> Option<i32> {
        match self {
            NftError::Rejected(r) | NftError::RepliesLost { errors: r, .. } => {
                r.first().map(|r| r.error.errno)
            }
            NftError::Transport(t) => t.raw_os_error(),
            _ => None,
        }
    }
}

/// True when the kernel refused a transaction because its generation id is stale (`ERESTART`).
pub fn generation_changed(rejections: &[Rejection]) -> bool {
    rejections.iter().any(|r| r.error.errno == libc::ERESTART)
}

fn describe_all(rejections: &[Rejection]) -> String {
    let mut text = String::new();
    for (i, r) in rejections.iter().take(5).enumerate() {
        if i > 0 {
            text.push_str("; ");
        }
        text.push_str(&r.to_string());
    }
    if rejections.len() > 5 {
        text.push_str(&format!("; and {} more", rejections.len() - 5));
    }
    text
}

/// One kernel error with a description of what it points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    /// The error, attributed to its message and attribute.
    pub error: KernelError,
    /// What the error points at, in nft's terms: "NEWSETELEM #212 (set inet t s), element 2048
    /// of the list, key 10.1.2.3"; for batch-level errors, the transaction.
    pub what: String,
    /// The key of the element the error points at, when it points inside an element list.
    pub key: Option<Vec<u8>>,
}

impl std::fmt::Display for Rejection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.what, errno_text(self.error.errno))?;
        if self.error.errno == libc::ENFILE && self.key.is_some() {
            write!(
                f,
                " (the set is full: it holds as many elements as its declared size)"
            )?;
        }
        if self.error.errno == libc::ERESTART {
            write!(f, " (the ruleset changed since its generation was read)")?;
        }
        if let Some(text) = &self.error.message {
            write!(f, " ({text})")?;
        }
        Ok(())
    }
}

/// Name of an nf_tables message type.
pub fn msg_type_name(msg_type: u16) -> String {
    const NAMES: [&str; 17] = [
        "NEWTABLE",
        "GETTABLE",
        "DELTABLE",
        "NEWCHAIN",
        "GETCHAIN",
        "DELCHAIN",
        "NEWRULE",
        "GETRULE",
        "DELRULE",
        "NEWSET",
        "GETSET",
        "DELSET",
        "NEWSETELEM",
        "GETSETELEM",
        "DELSETELEM",
        "NEWGEN",
        "GETGEN",
    ];
    match msg_type {
        NFNL_MSG_BATCH_BEGIN => "BATCH_BEGIN".into(),
        NFNL_MSG_BATCH_END => "BATCH_END".into(),
        t if t >> 8 == NFNL_SUBSYS_NFTABLES && ((t & 0xff) as usize) < NAMES.len() => {
            NAMES[(t & 0xff) as usize].into()
        }
        t => format!("type {t:#06x}"),
    }
}

/// Formats key bytes as an address when they have an address's length.
pub fn format_key(key: &[u8]) -> String {
    if let Ok(b) = <[u8; 4]>::try_from(key) {
        return std::net::Ipv4Addr::from(b).to_string();
    }
    if let Ok(b) = <[u8; 16]>::try_from(key) {
        return std::net::Ipv6Addr::from(b).to_string();
    }
    key.iter().map(|b| format!("{b:02x}")).collect()
}

/// Describes what a kernel error points at, by reading the failing message in the batch.
pub fn describe(batch: &Batch, error: &KernelError) -> Rejection {
    let bytes = batch.message_bytes(error.index).unwrap_or(&[]);
    let view = MessageView::parse(bytes).ok();
    let cmd = error.msg_type & 0xff;
    let name = msg_type_name(error.msg_type);
    let mut what = format!("{name} #{} (seq {})", error.index, error.seq);
    if error.msg_type == NFNL_MSG_BATCH_BEGIN {
        what = format!("the transaction (error reported on {what})");
    }
    if let Some(view) = view {
        let attrs = |ty: u16| {
            view.attrs(NFGENMSG_LEN)
                .flatten()
                .find(|a| a.kind() == ty)
                .and_then(|a| a.str())
        };
        let object = match cmd {
            NFT_MSG_NEWSETELEM | NFT_MSG_DELSETELEM | NFT_MSG_NEWSET | NFT_MSG_DELSET => {
                attrs(2).map(|s| format!("set {} {}", attrs(1).unwrap_or("?"), s))
            }
            NFT_MSG_NEWCHAIN | NFT_MSG_DELCHAIN => attrs(3).map(|c| format!("chain {c}")),
            NFT_MSG_NEWRULE | NFT_MSG_DELRULE => attrs(2).map(|c| format!("rule in chain {c}")),
            NFT_MSG_NEWTABLE | NFT_MSG_DELTABLE => attrs(1).map(|t| format!("table {t}")),
            _ => None,
        };
        if let (Some(object), false) = (object, error.msg_type == NFNL_MSG_BATCH_BEGIN) {
            what.push_str(&format!(" [{object}]"));
        }
    }
    let mut key = None;
    let path = &error.path;
    match (cmd, path.as_slice()) {
        (NFT_MSG_NEWSETELEM | NFT_MSG_DELSETELEM, [list, elem, rest @ ..])
            if list.attr_type == NFTA_SET_ELEM_LIST_ELEMENTS =>
        {
            what.push_str(&format!(", element {} of the list", elem.position + 1));
            key = element_key(bytes, elem.offset as usize);
            if let Some(k) = &key {
                what.push_str(&format!(", key {}", format_key(k)));
            }
            if let Some(attr) = rest.first() {
                let part = match attr.attr_type {
                    NFTA_SET_ELEM_KEY => "key".to_string(),
                    NFTA_SET_ELEM_FLAGS => "flags".into(),
                    NFTA_SET_ELEM_TIMEOUT => "timeout".into(),
                    NFTA_SET_ELEM_DATA => "data".into(),
                    NFTA_SET_ELEM_USERDATA => "userdata".into(),
                    t => format!("attribute {t}"),
                };
                what.push_str(&format!(" ({part})"));
            }
        }
        (NFT_MSG_NEWRULE, [list, expr, ..]) if list.attr_type == NFTA_RULE_EXPRESSIONS => {
            what.push_str(&format!(", expression {}", expr.position + 1));
        }
        (_, [.., last]) => what.push_str(&format!(", attribute type {}", last.attr_type)),
        _ => {}
    }
    Rejection {
        error: error.clone(),
        what,
        key,
    }
}

/// The `NFTA_DATA_VALUE` of the element nest at `offset` in `message`.
fn element_key(message: &[u8], offset: usize) -> Option<Vec<u8>> {
    let elem = crate::decode::AttrIter::new(message.get(offset..)?, offset)
        .next()?
        .ok()?;
    let k = elem
        .nested()
        .flatten()
        .find(|a| a.kind() == NFTA_SET_ELEM_KEY)?;
    let v = k.nested().flatten().find(|a| a.kind() == NFTA_DATA_VALUE)?;
    Some(v.data().to_vec())
}

/// What a commit did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct CommitReport {
    /// The send: bytes, iovecs and the time inside `sendmsg` (the kernel's processing).
    pub send: SendStats,
    /// True when the kernel acknowledged BATCH_END (Linux 6.10 and later): committed for sure.
    /// False after a dry run, or on older kernels where no error is the only sign of success.
    pub confirmed: bool,
    /// Time spent draining replies.
    pub reply_time: Duration,
    /// Replies from earlier batches that were skipped.
    pub stale: u64,
}

/// A netfilter socket for nftables transactions and requests, with reusable reply lists.
#[derive(Debug)]
pub struct Nftables {
    socket: Socket,
    replies: Replies,
    request: Batch,
    recv_buffer_limit: Option<usize>,
}

impl Nftables {
    /// Opens a netfilter socket in the calling thread's network namespace.
    pub fn open() -> Result<Nftables, NftError> {
        let socket = Socket::open(NETLINK_NETFILTER)?;
        let config = crate::message::BatchConfig {
            arena: crate::arena::ArenaConfig::with_page_size(crate::arena::MIN_PAGE_SIZE),
            seq_start: 0x4000_0000,
            port_id: 0,
        };
        let replies = Replies::default();
        Ok(Nftables {
            socket,
            replies,
            request: Batch::new(config)?,
            recv_buffer_limit: None,
        })
    }

    /// Caps the receive buffer, in bytes, that [`Nftables::commit`] asks for; `None` (the
    /// default) lets it ask for room for every message's error.
    ///
    /// The buffer is only ever raised, never lowered: a cap below the buffer in force (the
    /// kernel's default is `net.core.rmem_default`, typically 212,992 bytes) leaves it as it
    /// is. A capped buffer saves kernel memory on huge batches, at the price that a batch with
    /// more failing messages than the buffer holds ends in [`NftError::RepliesLost`].
    pub fn set_recv_buffer_limit(&mut self, limit: Option<usize>) {
        self.recv_buffer_limit = limit;
    }

    /// The socket under it.
    pub fn socket(&self) -> &Socket {
        &self.socket
    }

    /// Sends an ended transaction as one datagram and checks every reply.
    ///
    /// The receive buffer is sized first for the worst case (every message failing), as far
    /// as the kernel and [`Nftables::set_recv_buffer_limit`] allow. Success needs no error and,
    /// on kernels that give one, the ACK of BATCH_END; if replies were lost, the result says
    /// so and never reports plain success.
    pub fn commit(&mut self, tx: &mut Transaction) -> Result<CommitReport, NftError> {
        if tx.ending() == Ending::Open {
            return Err(NftError::Closed);
        }
        let messages = tx.batch().message_count() as usize;
        let want = messages
            .saturating_mul(crate::socket::RCVBUF_PER_REPLY)
            .max(256 * 1024);
        let want = self.recv_buffer_limit.map_or(want, |limit| want.min(limit));
        self.socket.ensure_recv_buffer(want)?;
        let send = self.socket.send(tx.batch_mut())?;
        let start = std::time::Instant::now();
        self.replies.clear();
        self.socket
            .drain(tx.batch(), NFGENMSG_LEN, &mut self.replies)?;
        let reply_time = start.elapsed();
        let end_seq = tx.batch().next_seq().wrapping_sub(1);
        let acked = tx.ending() == Ending::Commit && self.replies.acked(end_seq);
        let errors: Vec<Rejection> = self
            .replies
            .errors
            .iter()
            .map(|e| describe(tx.batch(), e))
            .collect();
        if self.replies.lost {
            let committed = acked && errors.is_empty();
            return Err(NftError::RepliesLost { errors, committed });
        }
        if !errors.is_empty() {
            return Err(NftError::Rejected(errors));
        }
        Ok(CommitReport {
            send,
            confirmed: acked,
            reply_time,
            stale: self.replies.stale,
        })
    }

    /// Reads the ruleset's generation id (`NFT_MSG_GETGEN`), for [`Transaction::begin`].
    pub fn generation(&mut self) -> Result<u32, NftError> {
        let mut genid = None;
        self.request(
            msg_type(NFT_MSG_GETGEN),
            0,
            Family::Ip,
            |_| Ok(()),
            |msg| {
                if msg.msg_type() == msg_type(NFT_MSG_NEWGEN) {
                    genid = msg
                        .attrs(NFGENMSG_LEN)
                        .flatten()
                        .find(|a| a.kind() == NFTA_GEN_ID)
                        .and_then(|a| a.be32());
                }
            },
        )?;
        genid.ok_or_else(|| NftError::Invalid {
            object: "GETGEN reply".into(),
            reason: "no generation id".into(),
        })
    }

    /// Builds and commits a transaction that carries the ruleset's generation id, starting
    /// over when the ruleset changed between reading it and committing.
    ///
    /// Each attempt reads the generation ([`Nftables::generation`]), resets `tx`, begins it
    /// with that generation and calls `build` with this socket (to read whatever the
    /// transaction depends on) and the transaction, which `build` fills and ends (or closes as
    /// a dry run). When the kernel refuses the commit with `ERESTART` (another writer committed
    /// since the generation was read; nothing of this transaction was applied), the attempt is
    /// repeated, at most `retries` times. With `retries` 0, or when the retries are used up,
    /// the `ERESTART` rejection is returned; it reads "the ruleset changed since its generation
    /// was read".
    ///
    /// Errors of `build`, of reading the generation and of the commit are returned as `E`.
    pub fn commit_with_generation_retry<E: From<NftError>>(
        &mut self,
        tx: &mut Transaction,
        retries: u32,
        mut build: impl FnMut(&mut Nftables, &mut Transaction) -> Result<(), E>,
    ) -> Result<CommitReport, E> {
        let mut attempt = 0;
        loop {
            let genid = self.generation()?;
            tx.reset();
            tx.begin(Some(genid))?;
            build(self, tx)?;
            match self.commit(tx) {
                Err(NftError::Rejected(r)) if attempt < retries && generation_changed(&r) => {
                    attempt += 1;
                    log::debug!(
                        "the ruleset changed since generation {genid} was read: attempt {} of {}",
                        attempt + 1,
                        retries + 1
                    );
                }
                other => return Ok(other?),
            }
        }
    }

    /// Sends one request (a GET or a dump, with `flags` such as `NLM_F_DUMP`) built by `build`,
    /// and hands every reply message but errors and the end of the dump to `on_reply`.
    ///
    /// Waits at most 5 seconds for each reply datagram.
    pub fn request(
        &mut self,
        msg_type: u16,
        flags: u16,
        family: Family,
        build: impl FnOnce(&mut crate::message::Message<'_>) -> Result<(), EncodeError>,
        mut on_reply: impl FnMut(&MessageView<'_>),
    ) -> Result<(), NftError> {
        self.request.reset();
        let mut msg = self
            .request
            .message(msg_type, NLM_F_REQUEST | crate::message::NLM_F_ACK | flags)?;
        msg.family_header(&[family.nfproto(), 0, 0, 0])?;
        build(&mut msg)?;
        let seq = msg.finish()?;
        self.socket.send(&mut self.request)?;
        let port_id = self.socket.port_id();
        let timeout = Duration::from_secs(5);
        loop {
            if !self.socket.wait_readable(timeout)? {
                return Err(TransportError::Timeout(timeout).into());
            }
            let Some(datagram) = self.socket.recv()? else {
                continue;
            };
            for msg in crate::decode::MessageIter::new(datagram) {
                let msg = msg.map_err(TransportError::from)?;
                if msg.seq() != seq || msg.port_id() != port_id {
                    continue;
                }
                match crate::reply::parse(&msg).map_err(TransportError::from)? {
                    Some(r) if r.errno != 0 => {
                        let error = KernelError {
                            errno: r.errno,
                            seq,
                            index: 0,
                            msg_type,
                            message: r.ext.message.map(str::to_owned),
                            offset: r.ext.offset,
                            path: Vec::new(),
                            missing_type: r.ext.missing_type,
                        };
                        return Err(NftError::Rejected(vec![describe(&self.request, &error)]));
                    }
                    Some(_) => return Ok(()),
                    None => on_reply(&msg),
                }
            }
        }
    }
}

//! Rule expressions and rules.
//!
//! Each [`Expr`] is one element of a rule's expression list:
//!
//! ```text
//!  NFTA_LIST_ELEM
//!  ├ NFTA_EXPR_NAME  "payload", "cmp", "lookup", ...  (NUL-terminated)
//!  └ NFTA_EXPR_DATA  the expression's attributes: registers, offsets, lengths and flags
//!                    as big-endian u32 (u64 for rates, quotas and counters), values as
//!                    NFTA_DATA_VALUE nests in the register's byte order
//! ```
//!
//! Attributes are written in the order nft 1.0.6 writes them, so that encoded rules equal
//! nft's byte for byte. [`Expr::decode`] reads an expression back from a rule dump; whatever
//! it does not understand comes back as [`Expr::Raw`].
//!
//! [`Rule`] has builder methods for the matches and statements firewalls use most, so that
//! common rules read like nft's syntax:
//!
//! ```
//! use nlbatch::nft::{CtState, Family, Limit, LimitUnit, Rule, IPPROTO_ICMP};
//!
//! let t = |chain| Rule::new(Family::Inet, "filter", chain);
//! let rules = [
//!     t("input").ct_state(CtState::ESTABLISHED | CtState::RELATED).accept(),
//!     t("input").iifname("lo").accept(),
//!     t("input").ip_saddr_in("blocklist").counter().drop(),
//!     t("input").tcp_dport_in("ports").accept(),
//!     t("input").meta_l4proto(IPPROTO_ICMP).limit(Limit::packets(10, LimitUnit::Second)).accept(),
//! ];
//! for rule in &rules {
//!     rule.validate()?;
//! }
//! # Ok::<(), nlbatch::nft::NftError>(())
//! ```

use std::net::IpAddr;

use super::objects::{check_comment, check_name, Family, Key, Set};
use super::transaction::{SetTarget, Transaction};
use super::wire::*;
use super::NftError;
use crate::decode::{Attr, AttrIter};
use crate::message::{
    attr_len, has_nul, EncodeError, Message, Run, NLA_F_NESTED, NLA_HDRLEN, NLM_F_APPEND,
    NLM_F_CREATE, NLM_F_REPLACE,
};

// Expression attributes, as in the kernel's `linux/netfilter/nf_tables.h`.
const NFTA_PAYLOAD_DREG: u16 = 1;
const NFTA_PAYLOAD_BASE: u16 = 2;
const NFTA_PAYLOAD_OFFSET: u16 = 3;
const NFTA_PAYLOAD_LEN: u16 = 4;
const NFTA_PAYLOAD_SREG: u16 = 5;
const NFTA_CMP_SREG: u16 = 1;
const NFTA_CMP_OP: u16 = 2;
const NFTA_CMP_DATA: u16 = 3;
const NFTA_META_DREG: u16 = 1;
const NFTA_META_KEY: u16 = 2;
const NFTA_META_SREG: u16 = 3;
const NFTA_LOOKUP_SET: u16 = 1;
const NFTA_LOOKUP_SREG: u16 = 2;
const NFTA_LOOKUP_DREG: u16 = 3;
const NFTA_LOOKUP_SET_ID: u16 = 4;
const NFTA_LOOKUP_FLAGS: u16 = 5;
const NFT_LOOKUP_F_INV: u32 = 1;
pub(crate) const NFTA_COUNTER_BYTES: u16 = 1;
pub(crate) const NFTA_COUNTER_PACKETS: u16 = 2;
const NFTA_IMMEDIATE_DREG: u16 = 1;
const NFTA_IMMEDIATE_DATA: u16 = 2;
const NFTA_BITWISE_SREG: u16 = 1;
const NFTA_BITWISE_DREG: u16 = 2;
const NFTA_BITWISE_LEN: u16 = 3;
const NFTA_BITWISE_MASK: u16 = 4;
const NFTA_BITWISE_XOR: u16 = 5;
const NFTA_BITWISE_OP: u16 = 6;
const NFTA_RANGE_SREG: u16 = 1;
const NFTA_RANGE_OP: u16 = 2;
const NFTA_RANGE_FROM_DATA: u16 = 3;
const NFTA_RANGE_TO_DATA: u16 = 4;
const NFTA_CT_DREG: u16 = 1;
const NFTA_CT_KEY: u16 = 2;
const NFTA_CT_DIRECTION: u16 = 3;
const NFTA_CT_SREG: u16 = 4;
const NFTA_LIMIT_RATE: u16 = 1;
const NFTA_LIMIT_UNIT: u16 = 2;
const NFTA_LIMIT_BURST: u16 = 3;
const NFTA_LIMIT_TYPE: u16 = 4;
const NFTA_LIMIT_FLAGS: u16 = 5;
const NFT_LIMIT_F_INV: u32 = 1;
const NFTA_LOG_GROUP: u16 = 1;
const NFTA_LOG_PREFIX: u16 = 2;
const NFTA_LOG_SNAPLEN: u16 = 3;
const NFTA_LOG_QTHRESHOLD: u16 = 4;
const NFTA_LOG_LEVEL: u16 = 5;
const NFTA_LOG_FLAGS: u16 = 6;
const NFTA_QUOTA_BYTES: u16 = 1;
const NFTA_QUOTA_FLAGS: u16 = 2;
const NFTA_QUOTA_CONSUMED: u16 = 4;
const NFT_QUOTA_F_INV: u32 = 1;
const NFTA_REJECT_TYPE: u16 = 1;
const NFTA_REJECT_ICMP_CODE: u16 = 2;
const NFTA_NAT_TYPE: u16 = 1;
const NFTA_NAT_FAMILY: u16 = 2;
const NFTA_NAT_REG_ADDR_MIN: u16 = 3;
const NFTA_NAT_REG_ADDR_MAX: u16 = 4;
const NFTA_NAT_REG_PROTO_MIN: u16 = 5;
const NFTA_NAT_REG_PROTO_MAX: u16 = 6;
const NFTA_NAT_FLAGS: u16 = 7;
const NFTA_MASQ_FLAGS: u16 = 1;
const NFTA_MASQ_REG_PROTO_MIN: u16 = 2;
const NFTA_MASQ_REG_PROTO_MAX: u16 = 3;
const NFTA_REDIR_REG_PROTO_MIN: u16 = 1;
const NFTA_REDIR_REG_PROTO_MAX: u16 = 2;
const NFTA_REDIR_FLAGS: u16 = 3;

/// Longest value of one `NFTA_DATA_VALUE`, in bytes (`NFT_DATA_VALUE_MAXLEN`).
pub const NFT_DATA_VALUE_MAXLEN: usize = 64;
/// Longest log prefix, in bytes, NUL excluded (`NF_LOG_PREFIXLEN - 1`).
pub const NF_LOG_PREFIXLEN: usize = 127;
/// Longest interface name, in bytes, NUL excluded (`IFNAMSIZ - 1`).
pub const IFNAMSIZ: usize = 15;

/// Data register 2 (16 bytes; `NFT_REG_1` and the verdict register are in [`super::wire`]).
pub const NFT_REG_2: u32 = 2;
/// Data register 3 (16 bytes).
pub const NFT_REG_3: u32 = 3;
/// Data register 4 (16 bytes).
pub const NFT_REG_4: u32 = 4;
/// The first 4-byte register, `NFT_REG32_00`; the 16 of them are numbered 8 to 23 and overlay
/// the 16-byte registers (a concatenated key is loaded into consecutive 4-byte registers).
pub const NFT_REG32_00: u32 = 8;

/// Protocol number of ICMP, for [`Rule::meta_l4proto`].
pub const IPPROTO_ICMP: u8 = 1;
/// Protocol number of TCP.
pub const IPPROTO_TCP: u8 = 6;
/// Protocol number of UDP.
pub const IPPROTO_UDP: u8 = 17;
/// Protocol number of ICMPv6.
pub const IPPROTO_ICMPV6: u8 = 58;

/// NAT flag: an address range is given (`NF_NAT_RANGE_MAP_IPS`; the kernel sets it itself
/// when an address register is).
pub const NF_NAT_RANGE_MAP_IPS: u32 = 0x1;
/// NAT flag: a port range is given (`NF_NAT_RANGE_PROTO_SPECIFIED`), as nft sends with ports.
pub const NF_NAT_RANGE_PROTO_SPECIFIED: u32 = 0x2;
/// NAT flag: `random`.
pub const NF_NAT_RANGE_PROTO_RANDOM: u32 = 0x4;
/// NAT flag: `persistent`.
pub const NF_NAT_RANGE_PERSISTENT: u32 = 0x8;
/// NAT flag: `fully-random`.
pub const NF_NAT_RANGE_PROTO_RANDOM_FULLY: u32 = 0x10;

/// Payload bases: which header an offset counts from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PayloadBase {
    /// Link-layer header.
    Link = 0,
    /// Network header (IPv4, IPv6).
    Network = 1,
    /// Transport header (TCP, UDP, ...).
    Transport = 2,
}

impl PayloadBase {
    fn from_u32(n: u32) -> Option<PayloadBase> {
        Some(match n {
            0 => PayloadBase::Link,
            1 => PayloadBase::Network,
            2 => PayloadBase::Transport,
            _ => return None,
        })
    }
}

/// Comparison operators of `cmp`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CmpOp {
    /// `==`.
    Eq = 0,
    /// `!=`.
    Neq = 1,
    /// `<`.
    Lt = 2,
    /// `<=`.
    Lte = 3,
    /// `>`.
    Gt = 4,
    /// `>=`.
    Gte = 5,
}

impl CmpOp {
    fn from_u32(n: u32) -> Option<CmpOp> {
        use CmpOp::*;
        [Eq, Neq, Lt, Lte, Gt, Gte]
            .into_iter()
            .find(|op| *op as u32 == n)
    }
}

/// Meta keys (`NFT_META_*`): properties of the packet that are not in its headers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MetaKey {
    /// Packet length.
    Len = 0,
    /// Ethertype.
    Protocol = 1,
    /// Queueing priority.
    Priority = 2,
    /// Packet mark (4 bytes, host order).
    Mark = 3,
    /// Input interface index.
    Iif = 4,
    /// Output interface index.
    Oif = 5,
    /// Input interface name (16 bytes, NUL-padded).
    Iifname = 6,
    /// Output interface name (16 bytes, NUL-padded).
    Oifname = 7,
    /// Input interface type.
    Iiftype = 8,
    /// Output interface type.
    Oiftype = 9,
    /// User id of the socket.
    Skuid = 10,
    /// Group id of the socket.
    Skgid = 11,
    /// Trace flag.
    Nftrace = 12,
    /// Netfilter family of the packet (ipv4 2, ipv6 10), for inet tables.
    Nfproto = 15,
    /// Layer 4 protocol number.
    L4proto = 16,
    /// Packet type (unicast, broadcast, multicast).
    Pkttype = 19,
    /// CPU number.
    Cpu = 20,
    /// Input interface group.
    Iifgroup = 21,
    /// Output interface group.
    Oifgroup = 22,
    /// Control group id.
    Cgroup = 23,
}

impl MetaKey {
    fn from_u32(n: u32) -> Option<MetaKey> {
        use MetaKey::*;
        [
            Len, Protocol, Priority, Mark, Iif, Oif, Iifname, Oifname, Iiftype, Oiftype, Skuid,
            Skgid, Nftrace, Nfproto, L4proto, Pkttype, Cpu, Iifgroup, Oifgroup, Cgroup,
        ]
        .into_iter()
        .find(|k| *k as u32 == n)
    }
}

/// Conntrack keys (`NFT_CT_*`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CtKey {
    /// Connection state bits ([`CtState`]), 4 bytes host order.
    State = 0,
    /// Direction of the packet (0 original, 1 reply), 1 byte.
    Direction = 1,
    /// Status bits (`IPS_*`).
    Status = 2,
    /// Connection mark, 4 bytes host order.
    Mark = 3,
    /// Security mark.
    Secmark = 4,
    /// Time to expiry, in milliseconds.
    Expiration = 5,
    /// Helper name.
    Helper = 6,
    /// Layer 3 protocol of the connection.
    L3Protocol = 7,
    /// Layer 4 protocol of the connection, 1 byte.
    Protocol = 10,
    /// Source port (needs a direction).
    ProtoSrc = 11,
    /// Destination port (needs a direction).
    ProtoDst = 12,
    /// Packets seen.
    Packets = 14,
    /// Bytes seen.
    Bytes = 15,
    /// Zone.
    Zone = 17,
    /// IPv4 source address (needs a direction).
    SrcIp = 19,
    /// IPv4 destination address (needs a direction).
    DstIp = 20,
    /// IPv6 source address (needs a direction).
    SrcIp6 = 21,
    /// IPv6 destination address (needs a direction).
    DstIp6 = 22,
    /// Connection id.
    Id = 23,
}

impl CtKey {
    fn from_u32(n: u32) -> Option<CtKey> {
        use CtKey::*;
        [
            State, Direction, Status, Mark, Secmark, Expiration, Helper, L3Protocol, Protocol,
            ProtoSrc, ProtoDst, Packets, Bytes, Zone, SrcIp, DstIp, SrcIp6, DstIp6, Id,
        ]
        .into_iter()
        .find(|k| *k as u32 == n)
    }
}

/// Direction of a conntrack key that has one (`IP_CT_DIR_*`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CtDirection {
    /// As the connection was opened.
    Original = 0,
    /// The answers.
    Reply = 1,
}

/// Conntrack state bits, as `ct state` compares them (4 bytes, host order).
///
/// ```
/// use nlbatch::nft::CtState;
/// assert_eq!((CtState::ESTABLISHED | CtState::RELATED).0, 0x6);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CtState(pub u32);

impl CtState {
    /// `invalid`.
    pub const INVALID: CtState = CtState(1);
    /// `established`.
    pub const ESTABLISHED: CtState = CtState(2);
    /// `related`.
    pub const RELATED: CtState = CtState(4);
    /// `new`.
    pub const NEW: CtState = CtState(8);
    /// `untracked`.
    pub const UNTRACKED: CtState = CtState(64);
}

impl std::ops::BitOr for CtState {
    type Output = CtState;

    fn bitor(self, other: CtState) -> CtState {
        CtState(self.0 | other.0)
    }
}

/// Verdicts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// `accept`.
    Accept,
    /// `drop`.
    Drop,
    /// `continue`.
    Continue,
    /// `return`.
    Return,
    /// `jump CHAIN`.
    Jump(String),
    /// `goto CHAIN`.
    Goto(String),
}

impl Verdict {
    /// The verdict code (`NF_ACCEPT`, `NF_DROP`, `NFT_JUMP`, ...).
    pub fn code(&self) -> i32 {
        match self {
            Verdict::Accept => NF_ACCEPT,
            Verdict::Drop => NF_DROP,
            Verdict::Continue => NFT_CONTINUE,
            Verdict::Return => NFT_RETURN,
            Verdict::Jump(_) => NFT_JUMP,
            Verdict::Goto(_) => NFT_GOTO,
        }
    }

    /// The verdict with this code, and the chain for jump and goto; `None` for other codes
    /// (`NFT_BREAK`, queue verdicts) or a jump without a chain.
    pub fn from_code(code: i32, chain: Option<&str>) -> Option<Verdict> {
        Some(match code {
            NF_ACCEPT => Verdict::Accept,
            NF_DROP => Verdict::Drop,
            NFT_CONTINUE => Verdict::Continue,
            NFT_RETURN => Verdict::Return,
            NFT_JUMP => Verdict::Jump(chain?.to_string()),
            NFT_GOTO => Verdict::Goto(chain?.to_string()),
            _ => return None,
        })
    }

    /// Writes the verdict as the data nest `attr_type { NFTA_DATA_VERDICT { NFTA_VERDICT_CODE,
    /// NFTA_VERDICT_CHAIN } }`, as an immediate's data or a verdict map element's data.
    #[inline(always)]
    pub fn encode(&self, msg: &mut Message<'_>, attr_type: u16) -> Result<(), EncodeError> {
        let chain = self.chain();
        let mut run = msg.run(attr_type, verdict_len(chain))?;
        write_verdict(&mut run, attr_type, self.code(), chain)?;
        run.finish();
        Ok(())
    }

    /// Reads a verdict from a data nest written as by [`Verdict::encode`]; `None` when it holds
    /// no verdict this type can represent.
    pub fn decode(data: &Attr<'_>) -> Option<Verdict> {
        let verdict = data
            .nested()
            .flatten()
            .find(|a| a.kind() == NFTA_DATA_VERDICT)?;
        let fields = Fields::of(&verdict)?;
        let code = fields.be32(NFTA_VERDICT_CODE)? as i32;
        Verdict::from_code(code, fields.str(NFTA_VERDICT_CHAIN))
    }

    fn chain(&self) -> Option<&str> {
        match self {
            Verdict::Jump(chain) | Verdict::Goto(chain) => Some(chain),
            _ => None,
        }
    }
}

/// Which set a lookup uses: by name (an existing set, or one made in the same transaction) or
/// by the id given to a set made in the same transaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SetRef {
    /// By name.
    Name(String),
    /// By name, and by the `NFTA_SET_ID` it was given in this transaction (what nft sends).
    NameAndId(String, u32),
}

impl SetRef {
    /// The set's name.
    pub fn name(&self) -> &str {
        match self {
            SetRef::Name(name) | SetRef::NameAndId(name, _) => name,
        }
    }

    /// Adds an anonymous constant set of `key` holding `keys` (each in the key's byte order
    /// and length) to the transaction, as nft does for `tcp dport { 22, 443 }`, and returns the
    /// reference for the rule that uses it.
    ///
    /// The kernel names the set (`__set0`, ...) and binds it to the first rule that looks it
    /// up; a rule must do so in the same transaction, or the commit fails.
    ///
    /// ```
    /// use nlbatch::nft::{Family, KeyType, Rule, SetRef, Transaction};
    ///
    /// let mut tx = Transaction::new(Default::default())?;
    /// tx.begin(None)?;
    /// let keys = [22u16.to_be_bytes(), 443u16.to_be_bytes()];
    /// let ports = SetRef::anonymous(&mut tx, Family::Inet, "t", KeyType::InetService,
    ///     keys.iter().map(|k| &k[..]))?;
    /// tx.add_rule(&Rule::new(Family::Inet, "t", "input").tcp_dport_in(ports).accept())?;
    /// # Ok::<(), nlbatch::nft::NftError>(())
    /// ```
    pub fn anonymous<'k>(
        tx: &mut Transaction,
        family: Family,
        table: &str,
        key: impl Into<Key>,
        keys: impl IntoIterator<Item = &'k [u8]>,
    ) -> Result<SetRef, NftError> {
        let keys: Vec<&[u8]> = keys.into_iter().collect();
        let mut set = Set::new(family, table, "__set%d", key);
        set.flags |= NFT_SET_ANONYMOUS | NFT_SET_CONSTANT;
        set.size = u32::try_from(keys.len()).ok();
        let target = tx.add_set(&set)?;
        tx.add_keys(&target, keys)?;
        Ok(SetRef::from(&target))
    }
}

impl From<&str> for SetRef {
    fn from(name: &str) -> SetRef {
        SetRef::Name(name.to_string())
    }
}

impl From<&SetTarget> for SetRef {
    /// By name, and by id when the set was made in the same transaction.
    fn from(target: &SetTarget) -> SetRef {
        match target.id {
            Some(id) => SetRef::NameAndId(target.set.clone(), id),
            None => SetRef::Name(target.set.clone()),
        }
    }
}

/// Time unit of a [`Limit`] rate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LimitUnit {
    /// Per second.
    Second,
    /// Per minute.
    Minute,
    /// Per hour.
    Hour,
    /// Per day.
    Day,
    /// Per week.
    Week,
}

impl LimitUnit {
    /// The unit in seconds, as `NFTA_LIMIT_UNIT` carries it.
    pub fn seconds(self) -> u64 {
        match self {
            LimitUnit::Second => 1,
            LimitUnit::Minute => 60,
            LimitUnit::Hour => 3600,
            LimitUnit::Day => 86_400,
            LimitUnit::Week => 604_800,
        }
    }

    fn from_seconds(s: u64) -> Option<LimitUnit> {
        use LimitUnit::*;
        [Second, Minute, Hour, Day, Week]
            .into_iter()
            .find(|u| u.seconds() == s)
    }
}

/// `limit rate [over] RATE/UNIT [burst N packets|bytes]`: a token bucket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    /// Packets (or bytes) per unit.
    pub rate: u64,
    /// Time unit.
    pub unit: LimitUnit,
    /// Bucket depth beyond the rate, in packets (or bytes).
    pub burst: u32,
    /// Count bytes instead of packets.
    pub bytes: bool,
    /// `over`: match packets beyond the rate instead of within it.
    pub over: bool,
}

impl Limit {
    /// `limit rate RATE/UNIT`: packets, with nft's default burst of 5 packets.
    pub fn packets(rate: u64, unit: LimitUnit) -> Limit {
        Limit {
            rate,
            unit,
            burst: 5,
            bytes: false,
            over: false,
        }
    }

    /// `limit rate RATE bytes/UNIT`, with nft's default burst of 0 bytes.
    pub fn bytes(rate: u64, unit: LimitUnit) -> Limit {
        Limit {
            rate,
            unit,
            burst: 0,
            bytes: true,
            over: false,
        }
    }

    /// The same limit with `over`.
    pub fn over(self) -> Limit {
        Limit { over: true, ..self }
    }
}

/// Syslog levels of `log level`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogLevel {
    /// `emerg`.
    Emerg = 0,
    /// `alert`.
    Alert = 1,
    /// `crit`.
    Crit = 2,
    /// `err`.
    Err = 3,
    /// `warn`, the kernel's default.
    Warn = 4,
    /// `notice`.
    Notice = 5,
    /// `info`.
    Info = 6,
    /// `debug`.
    Debug = 7,
    /// `audit`.
    Audit = 8,
}

impl LogLevel {
    fn from_u32(n: u32) -> Option<LogLevel> {
        use LogLevel::*;
        [Emerg, Alert, Crit, Err, Warn, Notice, Info, Debug, Audit]
            .into_iter()
            .find(|l| *l as u32 == n)
    }
}

/// `log`: to the kernel log (with a level) or to an nflog group.
///
/// The kernel reports the level of every kernel-log `log` when dumped, `warn` when none was
/// given, so a read-back `Log` may have a level the loaded one had not.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Log {
    /// `prefix`: at most 127 bytes.
    pub prefix: Option<String>,
    /// `level` (kernel log only).
    pub level: Option<LogLevel>,
    /// `group`: send to this nflog group instead of the kernel log.
    pub group: Option<u16>,
    /// `snaplen`: bytes of the packet to copy (nflog only).
    pub snaplen: Option<u32>,
    /// `queue-threshold`: packets to batch (nflog only).
    pub qthreshold: Option<u16>,
    /// `flags` (`NF_LOG_*`: tcp sequence 0x1, tcp options 0x2, ip options 0x4, uid 0x8,
    /// macdecode 0x20; kernel log only).
    pub flags: u32,
}

impl Log {
    /// `log prefix PREFIX`.
    pub fn prefix(prefix: &str) -> Log {
        Log {
            prefix: Some(prefix.to_string()),
            ..Log::default()
        }
    }

    /// The same log with `level`.
    pub fn level(self, level: LogLevel) -> Log {
        Log {
            level: Some(level),
            ..self
        }
    }

    /// `log group GROUP`.
    pub fn group(group: u16) -> Log {
        Log {
            group: Some(group),
            ..Log::default()
        }
    }
}

/// Reject types (`NFT_REJECT_*`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RejectKind {
    /// An ICMP (or ICMPv6, by the packet's family) destination-unreachable with a code.
    IcmpUnreach = 0,
    /// A TCP reset.
    TcpReset = 1,
    /// An ICMP or ICMPv6 unreachable from a family-independent code (`NFT_REJECT_ICMPX_*`:
    /// 0 no route, 1 port unreachable, 2 host unreachable, 3 administratively prohibited).
    IcmpxUnreach = 2,
}

/// NAT types (`NFT_NAT_*`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NatKind {
    /// `snat`: rewrite the source.
    Snat = 0,
    /// `dnat`: rewrite the destination.
    Dnat = 1,
}

/// `snat`/`dnat`: addresses and ports come from registers loaded just before (immediates).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Nat {
    /// Source or destination.
    pub kind: NatKind,
    /// Address family of the addresses: [`Family::Ip`] or [`Family::Ip6`].
    pub family: Family,
    /// Register holding the lowest address.
    pub reg_addr_min: Option<u32>,
    /// Register holding the highest address (the kernel reports the lowest when none).
    pub reg_addr_max: Option<u32>,
    /// Register holding the lowest port.
    pub reg_proto_min: Option<u32>,
    /// Register holding the highest port.
    pub reg_proto_max: Option<u32>,
    /// `NF_NAT_RANGE_*` flags.
    pub flags: u32,
}

/// The port registers and flags of `masquerade` and `redirect`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NatPorts {
    /// Register holding the lowest port.
    pub reg_proto_min: Option<u32>,
    /// Register holding the highest port.
    pub reg_proto_max: Option<u32>,
    /// `NF_NAT_RANGE_*` flags.
    pub flags: u32,
}

/// One expression of a rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expr {
    /// Load `len` bytes at `offset` of a header into register `dreg`.
    Payload {
        /// Header.
        base: PayloadBase,
        /// Offset in bytes.
        offset: u32,
        /// Length in bytes.
        len: u32,
        /// Destination register.
        dreg: u32,
    },
    /// Compare register `sreg` with `data`.
    Cmp {
        /// Source register.
        sreg: u32,
        /// Operator.
        op: CmpOp,
        /// Value, in the register's byte order.
        data: Vec<u8>,
    },
    /// Load a meta key into register `dreg`.
    Meta {
        /// Key.
        key: MetaKey,
        /// Destination register.
        dreg: u32,
    },
    /// Set a meta key (such as the mark) from register `sreg`.
    MetaSet {
        /// Key.
        key: MetaKey,
        /// Source register.
        sreg: u32,
    },
    /// Look register `sreg` up in a set; `invert` matches when absent.
    Lookup {
        /// The set.
        set: SetRef,
        /// Source register.
        sreg: u32,
        /// `!=` lookup.
        invert: bool,
    },
    /// Look register `sreg` up in a map and load the value into `dreg`; with
    /// [`NFT_REG_VERDICT`], a verdict map (`vmap`).
    MapLookup {
        /// The map.
        set: SetRef,
        /// Source register.
        sreg: u32,
        /// Destination register.
        dreg: u32,
    },
    /// Count packets and bytes.
    Counter,
    /// Set the verdict.
    Verdict(Verdict),
    /// Load `data` into register `dreg`.
    Immediate {
        /// Destination register (not the verdict register: use [`Expr::Verdict`]).
        dreg: u32,
        /// Value, in the register's byte order.
        data: Vec<u8>,
    },
    /// `dreg = (sreg & mask) ^ xor`, over `mask.len()` bytes.
    Bitwise {
        /// Source register.
        sreg: u32,
        /// Destination register.
        dreg: u32,
        /// Mask; its length is the operation's length.
        mask: Vec<u8>,
        /// Value XOR-ed in, as long as `mask`.
        xor: Vec<u8>,
    },
    /// Compare register `sreg` with the inclusive range `from..=to` (`invert`: outside it).
    Range {
        /// Source register.
        sreg: u32,
        /// Match outside the range.
        invert: bool,
        /// Lowest value, in the register's byte order.
        from: Vec<u8>,
        /// Highest value.
        to: Vec<u8>,
    },
    /// Load a conntrack key into register `dreg`.
    Ct {
        /// Key.
        key: CtKey,
        /// Destination register.
        dreg: u32,
        /// Direction, for the keys that need one.
        direction: Option<CtDirection>,
    },
    /// Set a conntrack key (such as the mark) from register `sreg`.
    CtSet {
        /// Key.
        key: CtKey,
        /// Source register.
        sreg: u32,
    },
    /// Rate limit.
    Limit(Limit),
    /// Log the packet.
    Log(Log),
    /// `quota [over] BYTES`: match until (or, `over`, after) that many bytes.
    Quota {
        /// Bytes.
        bytes: u64,
        /// Match after the quota is used up.
        over: bool,
    },
    /// Reject the packet with an ICMP error or a TCP reset.
    Reject {
        /// Type.
        kind: RejectKind,
        /// ICMP code (ICMPX code for [`RejectKind::IcmpxUnreach`]; 0 for a reset).
        code: u8,
    },
    /// Source or destination NAT.
    Nat(Nat),
    /// `masquerade`: source NAT to the output interface's address.
    Masquerade(NatPorts),
    /// `redirect`: destination NAT to the machine itself.
    Redirect(NatPorts),
    /// An expression this crate does not model, as its name and the attributes of its
    /// `NFTA_EXPR_DATA`; read back from dumps, and written back as is.
    Raw {
        /// `NFTA_EXPR_NAME`.
        name: String,
        /// Payload of `NFTA_EXPR_DATA`.
        data: Vec<u8>,
    },
}

impl Expr {
    /// The expression's name (`NFTA_EXPR_NAME`).
    pub fn name(&self) -> &str {
        match self {
            Expr::Payload { .. } => "payload",
            Expr::Cmp { .. } => "cmp",
            Expr::Meta { .. } | Expr::MetaSet { .. } => "meta",
            Expr::Lookup { .. } | Expr::MapLookup { .. } => "lookup",
            Expr::Counter => "counter",
            Expr::Verdict(_) | Expr::Immediate { .. } => "immediate",
            Expr::Bitwise { .. } => "bitwise",
            Expr::Range { .. } => "range",
            Expr::Ct { .. } | Expr::CtSet { .. } => "ct",
            Expr::Limit(_) => "limit",
            Expr::Log(_) => "log",
            Expr::Quota { .. } => "quota",
            Expr::Reject { .. } => "reject",
            Expr::Nat(_) => "nat",
            Expr::Masquerade(_) => "masq",
            Expr::Redirect(_) => "redir",
            Expr::Raw { name, .. } => name,
        }
    }

    /// Writes the expression as one element of a rule's expression list:
    /// `NFTA_LIST_ELEM { NFTA_EXPR_NAME, NFTA_EXPR_DATA { ... } }`, the data attributes in
    /// nft's order.
    ///
    /// Each arm states the length of its data first, so the element is one [`Run`]: a single
    /// room check, nest headers written with their final lengths, and for the fixed shapes
    /// (`payload`, `meta`, `counter`, ...) stores at constant offsets.
    #[inline(always)]
    pub fn encode(&self, msg: &mut Message<'_>) -> Result<(), EncodeError> {
        match self {
            Expr::Payload {
                base,
                offset,
                len,
                dreg,
            } => {
                let mut run = expr_run(msg, b"payload\0", 4 * BE32)?;
                run.put_be32(NFTA_PAYLOAD_DREG, *dreg);
                run.put_be32(NFTA_PAYLOAD_BASE, *base as u32);
                run.put_be32(NFTA_PAYLOAD_OFFSET, *offset);
                run.put_be32(NFTA_PAYLOAD_LEN, *len);
                run.finish();
            }
            Expr::Cmp { sreg, op, data } => {
                // Protocol numbers, ports and IPv4 and IPv6 addresses each get a copy of the
                // writer in which the value's length, and every length that follows from it,
                // is a constant.
                let (sreg, op) = (*sreg, *op);
                match data.len() {
                    1 => put_cmp(msg, sreg, op, &data[..1])?,
                    2 => put_cmp(msg, sreg, op, &data[..2])?,
                    4 => put_cmp(msg, sreg, op, &data[..4])?,
                    16 => put_cmp(msg, sreg, op, &data[..16])?,
                    _ => put_cmp(msg, sreg, op, data)?,
                }
            }
            Expr::Meta { key, dreg } => {
                let mut run = expr_run(msg, b"meta\0", 2 * BE32)?;
                run.put_be32(NFTA_META_KEY, *key as u32);
                run.put_be32(NFTA_META_DREG, *dreg);
                run.finish();
            }
            Expr::MetaSet { key, sreg } => {
                let mut run = expr_run(msg, b"meta\0", 2 * BE32)?;
                run.put_be32(NFTA_META_KEY, *key as u32);
                run.put_be32(NFTA_META_SREG, *sreg);
                run.finish();
            }
            Expr::Lookup { set, sreg, invert } => {
                let flags = if *invert { BE32 } else { 0 };
                let mut run = expr_run(msg, b"lookup\0", BE32 + set_ref_len(set) + flags)?;
                run.put_be32(NFTA_LOOKUP_SREG, *sreg);
                put_set_ref(&mut run, set)?;
                if *invert {
                    run.put_be32(NFTA_LOOKUP_FLAGS, NFT_LOOKUP_F_INV);
                }
                run.finish();
            }
            Expr::MapLookup { set, sreg, dreg } => {
                let mut run = expr_run(msg, b"lookup\0", 2 * BE32 + set_ref_len(set))?;
                run.put_be32(NFTA_LOOKUP_SREG, *sreg);
                run.put_be32(NFTA_LOOKUP_DREG, *dreg);
                put_set_ref(&mut run, set)?;
                run.finish();
            }
            Expr::Counter => expr_run(msg, b"counter\0", 0)?.finish(),
            // A verdict without a chain (accept, drop, ...) gets a copy of the writer of
            // constant shape.
            Expr::Verdict(verdict) => match verdict.chain() {
                None => put_verdict(msg, verdict.code(), None)?,
                chain => put_verdict(msg, verdict.code(), chain)?,
            },
            Expr::Immediate { dreg, data } => {
                let mut run = expr_run(msg, b"immediate\0", BE32 + value_len(data))?;
                run.put_be32(NFTA_IMMEDIATE_DREG, *dreg);
                put_value(&mut run, NFTA_IMMEDIATE_DATA, data);
                run.finish();
            }
            Expr::Bitwise {
                sreg,
                dreg,
                mask,
                xor,
            } => {
                let data_len = 3 * BE32 + value_len(mask) + value_len(xor);
                let mut run = expr_run(msg, b"bitwise\0", data_len)?;
                run.put_be32(NFTA_BITWISE_SREG, *sreg);
                run.put_be32(NFTA_BITWISE_DREG, *dreg);
                run.put_be32(NFTA_BITWISE_LEN, mask.len() as u32);
                put_value(&mut run, NFTA_BITWISE_MASK, mask);
                put_value(&mut run, NFTA_BITWISE_XOR, xor);
                run.finish();
            }
            Expr::Range {
                sreg,
                invert,
                from,
                to,
            } => {
                let data_len = 2 * BE32 + value_len(from) + value_len(to);
                let mut run = expr_run(msg, b"range\0", data_len)?;
                run.put_be32(NFTA_RANGE_SREG, *sreg);
                run.put_be32(NFTA_RANGE_OP, u32::from(*invert));
                put_value(&mut run, NFTA_RANGE_FROM_DATA, from);
                put_value(&mut run, NFTA_RANGE_TO_DATA, to);
                run.finish();
            }
            Expr::Ct {
                key,
                dreg,
                direction,
            } => {
                let data_len = 2 * BE32 + if direction.is_some() { U8 } else { 0 };
                let mut run = expr_run(msg, b"ct\0", data_len)?;
                run.put_be32(NFTA_CT_KEY, *key as u32);
                run.put_be32(NFTA_CT_DREG, *dreg);
                if let Some(direction) = direction {
                    run.put_u8(NFTA_CT_DIRECTION, *direction as u8);
                }
                run.finish();
            }
            Expr::CtSet { key, sreg } => {
                let mut run = expr_run(msg, b"ct\0", 2 * BE32)?;
                run.put_be32(NFTA_CT_KEY, *key as u32);
                run.put_be32(NFTA_CT_SREG, *sreg);
                run.finish();
            }
            Expr::Limit(limit) => {
                let mut run = expr_run(msg, b"limit\0", 2 * BE64 + 3 * BE32)?;
                run.put_be64(NFTA_LIMIT_RATE, limit.rate);
                run.put_be64(NFTA_LIMIT_UNIT, limit.unit.seconds());
                run.put_be32(NFTA_LIMIT_BURST, limit.burst);
                run.put_be32(NFTA_LIMIT_TYPE, u32::from(limit.bytes));
                let flags = if limit.over { NFT_LIMIT_F_INV } else { 0 };
                run.put_be32(NFTA_LIMIT_FLAGS, flags);
                run.finish();
            }
            Expr::Log(log) => {
                let mut run = expr_run(msg, b"log\0", log.data_len())?;
                log.write(&mut run)?;
                run.finish();
            }
            Expr::Quota { bytes, over } => {
                let mut run = expr_run(msg, b"quota\0", 2 * BE64 + BE32)?;
                run.put_be64(NFTA_QUOTA_BYTES, *bytes);
                run.put_be64(NFTA_QUOTA_CONSUMED, 0);
                run.put_be32(NFTA_QUOTA_FLAGS, if *over { NFT_QUOTA_F_INV } else { 0 });
                run.finish();
            }
            Expr::Reject { kind, code } => {
                let mut run = expr_run(msg, b"reject\0", BE32 + U8)?;
                run.put_be32(NFTA_REJECT_TYPE, *kind as u32);
                run.put_u8(NFTA_REJECT_ICMP_CODE, *code);
                run.finish();
            }
            Expr::Nat(nat) => {
                let regs = [
                    nat.reg_addr_min,
                    nat.reg_addr_max,
                    nat.reg_proto_min,
                    nat.reg_proto_max,
                ];
                let data_len = 2 * BE32 + regs_len(&regs) + flags_len(nat.flags);
                let mut run = expr_run(msg, b"nat\0", data_len)?;
                run.put_be32(NFTA_NAT_TYPE, nat.kind as u32);
                run.put_be32(NFTA_NAT_FAMILY, u32::from(nat.family.nfproto()));
                put_reg(&mut run, NFTA_NAT_REG_ADDR_MIN, nat.reg_addr_min);
                put_reg(&mut run, NFTA_NAT_REG_ADDR_MAX, nat.reg_addr_max);
                put_reg(&mut run, NFTA_NAT_REG_PROTO_MIN, nat.reg_proto_min);
                put_reg(&mut run, NFTA_NAT_REG_PROTO_MAX, nat.reg_proto_max);
                put_flags(&mut run, NFTA_NAT_FLAGS, nat.flags);
                run.finish();
            }
            Expr::Masquerade(ports) => {
                let mut run = expr_run(msg, b"masq\0", ports.data_len())?;
                put_flags(&mut run, NFTA_MASQ_FLAGS, ports.flags);
                put_reg(&mut run, NFTA_MASQ_REG_PROTO_MIN, ports.reg_proto_min);
                put_reg(&mut run, NFTA_MASQ_REG_PROTO_MAX, ports.reg_proto_max);
                run.finish();
            }
            Expr::Redirect(ports) => {
                let mut run = expr_run(msg, b"redir\0", ports.data_len())?;
                put_reg(&mut run, NFTA_REDIR_REG_PROTO_MIN, ports.reg_proto_min);
                put_reg(&mut run, NFTA_REDIR_REG_PROTO_MAX, ports.reg_proto_max);
                put_flags(&mut run, NFTA_REDIR_FLAGS, ports.flags);
                run.finish();
            }
            Expr::Raw { name, data } => {
                let len = NLA_HDRLEN + strz_len(name) + attr_len(data.len());
                let mut run = msg.run(NFTA_LIST_ELEM, len)?;
                run.nest(NFTA_LIST_ELEM, len);
                run.put_strz(NFTA_EXPR_NAME, name)?;
                run.put(NFTA_EXPR_DATA | NLA_F_NESTED, data);
                run.finish();
            }
        }
        Ok(())
    }

    /// Reads one `NFTA_LIST_ELEM` of a rule's expression list, as the kernel dumps it.
    ///
    /// Never fails: an expression this crate does not model, or one whose attributes are not
    /// what it expects, comes back as [`Expr::Raw`]. Lookups come back by name only, and
    /// counters without their values (see [`super::RuleInfo::counter`]).
    pub fn decode(elem: &Attr<'_>) -> Expr {
        let mut name = "";
        let mut data: Option<Attr<'_>> = None;
        for attr in elem.nested().flatten() {
            match attr.kind() {
                NFTA_EXPR_NAME => name = attr.str().unwrap_or(""),
                NFTA_EXPR_DATA => data = Some(attr),
                _ => {}
            }
        }
        let raw = || Expr::Raw {
            name: name.to_string(),
            data: data.map(|d| d.data().to_vec()).unwrap_or_default(),
        };
        match data.as_ref().and_then(Fields::of) {
            Some(fields) => Expr::decode_data(name, &fields).unwrap_or_else(raw),
            None if name == "counter" => Expr::Counter,
            None => raw(),
        }
    }

    fn decode_data(name: &str, f: &Fields<'_>) -> Option<Expr> {
        Some(match name {
            "payload" if !f.has(NFTA_PAYLOAD_SREG) => Expr::Payload {
                base: PayloadBase::from_u32(f.be32(NFTA_PAYLOAD_BASE)?)?,
                offset: f.be32(NFTA_PAYLOAD_OFFSET)?,
                len: f.be32(NFTA_PAYLOAD_LEN)?,
                dreg: f.be32(NFTA_PAYLOAD_DREG)?,
            },
            "cmp" => Expr::Cmp {
                sreg: f.be32(NFTA_CMP_SREG)?,
                op: CmpOp::from_u32(f.be32(NFTA_CMP_OP)?)?,
                data: f.value(NFTA_CMP_DATA)?,
            },
            "meta" => {
                let key = MetaKey::from_u32(f.be32(NFTA_META_KEY)?)?;
                match (f.be32(NFTA_META_DREG), f.be32(NFTA_META_SREG)) {
                    (Some(dreg), None) => Expr::Meta { key, dreg },
                    (None, Some(sreg)) => Expr::MetaSet { key, sreg },
                    _ => return None,
                }
            }
            "lookup" => {
                let set = SetRef::Name(f.str(NFTA_LOOKUP_SET)?.to_string());
                let sreg = f.be32(NFTA_LOOKUP_SREG)?;
                let flags = f.be32(NFTA_LOOKUP_FLAGS).unwrap_or(0);
                match f.be32(NFTA_LOOKUP_DREG) {
                    Some(dreg) if flags == 0 => Expr::MapLookup { set, sreg, dreg },
                    Some(_) => return None,
                    None if flags & !NFT_LOOKUP_F_INV == 0 => Expr::Lookup {
                        set,
                        sreg,
                        invert: flags != 0,
                    },
                    None => return None,
                }
            }
            "counter" => Expr::Counter,
            "immediate" => match f.be32(NFTA_IMMEDIATE_DREG)? {
                NFT_REG_VERDICT => Expr::Verdict(Verdict::decode(f.get(NFTA_IMMEDIATE_DATA)?)?),
                dreg => Expr::Immediate {
                    dreg,
                    data: f.value(NFTA_IMMEDIATE_DATA)?,
                },
            },
            "bitwise" if f.be32(NFTA_BITWISE_OP).unwrap_or(0) == 0 => {
                let mask = f.value(NFTA_BITWISE_MASK)?;
                let xor = f.value(NFTA_BITWISE_XOR)?;
                let len = f.be32(NFTA_BITWISE_LEN)? as usize;
                if mask.len() != len || xor.len() != len {
                    return None;
                }
                let (sreg, dreg) = (f.be32(NFTA_BITWISE_SREG)?, f.be32(NFTA_BITWISE_DREG)?);
                Expr::Bitwise {
                    sreg,
                    dreg,
                    mask,
                    xor,
                }
            }
            "range" => Expr::Range {
                sreg: f.be32(NFTA_RANGE_SREG)?,
                invert: match f.be32(NFTA_RANGE_OP)? {
                    0 => false,
                    1 => true,
                    _ => return None,
                },
                from: f.value(NFTA_RANGE_FROM_DATA)?,
                to: f.value(NFTA_RANGE_TO_DATA)?,
            },
            "ct" => {
                let key = CtKey::from_u32(f.be32(NFTA_CT_KEY)?)?;
                let direction = match f.u8(NFTA_CT_DIRECTION) {
                    None => None,
                    Some(0) => Some(CtDirection::Original),
                    Some(1) => Some(CtDirection::Reply),
                    Some(_) => return None,
                };
                match (f.be32(NFTA_CT_DREG), f.be32(NFTA_CT_SREG)) {
                    (Some(dreg), None) => Expr::Ct {
                        key,
                        dreg,
                        direction,
                    },
                    (None, Some(sreg)) if direction.is_none() => Expr::CtSet { key, sreg },
                    _ => return None,
                }
            }
            "limit" => Expr::Limit(Limit {
                rate: f.be64(NFTA_LIMIT_RATE)?,
                unit: LimitUnit::from_seconds(f.be64(NFTA_LIMIT_UNIT)?)?,
                burst: f.be32(NFTA_LIMIT_BURST).unwrap_or(0),
                bytes: match f.be32(NFTA_LIMIT_TYPE).unwrap_or(0) {
                    0 => false,
                    1 => true,
                    _ => return None,
                },
                over: inverted(f.be32(NFTA_LIMIT_FLAGS), NFT_LIMIT_F_INV)?,
            }),
            "log" => Expr::Log(Log {
                prefix: f.str(NFTA_LOG_PREFIX).map(str::to_string),
                level: match f.be32(NFTA_LOG_LEVEL) {
                    Some(level) => Some(LogLevel::from_u32(level)?),
                    None => None,
                },
                group: f.be16(NFTA_LOG_GROUP),
                snaplen: f.be32(NFTA_LOG_SNAPLEN),
                qthreshold: f.be16(NFTA_LOG_QTHRESHOLD),
                flags: f.be32(NFTA_LOG_FLAGS).unwrap_or(0),
            }),
            "quota" => Expr::Quota {
                bytes: f.be64(NFTA_QUOTA_BYTES)?,
                over: inverted(f.be32(NFTA_QUOTA_FLAGS), NFT_QUOTA_F_INV)?,
            },
            "reject" => Expr::Reject {
                kind: match f.be32(NFTA_REJECT_TYPE)? {
                    0 => RejectKind::IcmpUnreach,
                    1 => RejectKind::TcpReset,
                    2 => RejectKind::IcmpxUnreach,
                    _ => return None,
                },
                code: f.u8(NFTA_REJECT_ICMP_CODE).unwrap_or(0),
            },
            "nat" => Expr::Nat(Nat {
                kind: match f.be32(NFTA_NAT_TYPE)? {
                    0 => NatKind::Snat,
                    1 => NatKind::Dnat,
                    _ => return None,
                },
                family: Family::from_nfproto(u8::try_from(f.be32(NFTA_NAT_FAMILY)?).ok()?)?,
                reg_addr_min: f.be32(NFTA_NAT_REG_ADDR_MIN),
                reg_addr_max: f.be32(NFTA_NAT_REG_ADDR_MAX),
                reg_proto_min: f.be32(NFTA_NAT_REG_PROTO_MIN),
                reg_proto_max: f.be32(NFTA_NAT_REG_PROTO_MAX),
                flags: f.be32(NFTA_NAT_FLAGS).unwrap_or(0),
            }),
            "masq" => Expr::Masquerade(NatPorts {
                reg_proto_min: f.be32(NFTA_MASQ_REG_PROTO_MIN),
                reg_proto_max: f.be32(NFTA_MASQ_REG_PROTO_MAX),
                flags: f.be32(NFTA_MASQ_FLAGS).unwrap_or(0),
            }),
            "redir" => Expr::Redirect(NatPorts {
                reg_proto_min: f.be32(NFTA_REDIR_REG_PROTO_MIN),
                reg_proto_max: f.be32(NFTA_REDIR_REG_PROTO_MAX),
                flags: f.be32(NFTA_REDIR_FLAGS).unwrap_or(0),
            }),
            _ => return None,
        })
    }

    /// Checks the expression before encoding; `previous` is the expression before it in its
    /// rule. Fails with what is wrong (a name's error included, as `check_name` words it). One
    /// match over the variants, its error paths out of line.
    #[inline(always)]
    fn check(&self, previous: Option<&Expr>) -> Result<(), String> {
        let long = |v: &[u8]| v.len() > NFT_DATA_VALUE_MAXLEN;
        match self {
            // An empty value and one as long as an interface name or longer (every value after
            // an interface-name load is: names are padded; IFNAMSIZ + 1 < 64) get a closer
            // look, with one compare for all of them.
            Expr::Cmp { sreg, data, .. } if data.len().wrapping_sub(1) >= IFNAMSIZ => {
                Expr::check_cmp(*sreg, data, previous)
            }
            Expr::Immediate { data, .. } | Expr::Bitwise { mask: data, .. } if data.is_empty() => {
                Err("an empty value".into())
            }
            Expr::Immediate { dreg, .. } if *dreg == NFT_REG_VERDICT => Err(
                "an immediate value into the verdict register (a verdict is Expr::Verdict)".into(),
            ),
            Expr::Immediate { data, .. } if long(data) => Err(value_too_long()),
            Expr::Bitwise { mask, xor, .. } if long(mask) || long(xor) => Err(value_too_long()),
            Expr::Bitwise { mask, xor, .. } if mask.len() != xor.len() => Err(format!(
                "a mask of {} bytes and a xor of {}",
                mask.len(),
                xor.len()
            )),
            Expr::Range { from, to, .. } if long(from) || long(to) => Err(value_too_long()),
            Expr::Range { from, to, .. } if from.len() != to.len() || from.is_empty() => {
                Err(format!(
                    "a range from {} bytes to {} bytes (both ends as long, not empty)",
                    from.len(),
                    to.len()
                ))
            }
            Expr::Log(Log {
                prefix: Some(prefix),
                ..
            }) if prefix.len() > NF_LOG_PREFIXLEN || has_nul(prefix.as_bytes()) => Err(format!(
                "a log prefix over {NF_LOG_PREFIXLEN} bytes or with a NUL"
            )),
            Expr::Verdict(Verdict::Jump(chain) | Verdict::Goto(chain)) => {
                check_name("target chain", chain).map_err(|e| e.to_string())
            }
            Expr::Lookup { set, .. } | Expr::MapLookup { set, .. } => {
                check_name("set", set.name()).map_err(|e| e.to_string())
            }
            Expr::Raw { name, data } => Expr::check_raw(name, data),
            _ => Ok(()),
        }
    }

    /// The closer look at a `cmp` value: empty, too long for a register, or, after an
    /// interface-name load, an interface name too long for the kernel or with a NUL inside
    /// (the kernel would compare the bytes after it too: the rule could never match).
    #[inline]
    fn check_cmp(sreg: u32, data: &[u8], previous: Option<&Expr>) -> Result<(), String> {
        if data.is_empty() {
            return Err("an empty value".into());
        }
        if data.len() > NFT_DATA_VALUE_MAXLEN {
            return Err(value_too_long());
        }
        if loads_ifname(previous, sreg) {
            let name_len = data
                .iter()
                .rposition(|&b| b != 0)
                .map_or(0, |last| last + 1);
            if data[..name_len].contains(&0) {
                return Err("an interface name with a NUL byte inside".into());
            }
            if data.len() > IFNAMSIZ + 1 {
                let n = data.len() - 1;
                let reason = format!("an interface name of {n} bytes, at most {IFNAMSIZ}");
                return Err(reason);
            }
        }
        Ok(())
    }

    /// The closer look at an expression this crate does not model: its name must be a name,
    /// and its data a list of netlink attributes, as the kernel parses it.
    #[cold]
    fn check_raw(name: &str, data: &[u8]) -> Result<(), String> {
        check_name("expression", name).map_err(|e| e.to_string())?;
        if AttrIter::new(data, 0).any(|attr| attr.is_err()) {
            return Err("raw data that is not a list of netlink attributes".into());
        }
        Ok(())
    }
}

/// True when `previous` loads an interface name (`iifname`, `oifname`) into register `reg`.
#[inline(always)]
fn loads_ifname(previous: Option<&Expr>, reg: u32) -> bool {
    matches!(
        previous,
        Some(Expr::Meta {
            key: MetaKey::Iifname | MetaKey::Oifname,
            dreg,
        }) if *dreg == reg
    )
}

/// The reason for a value longer than a register holds.
#[cold]
fn value_too_long() -> String {
    format!("a value longer than {NFT_DATA_VALUE_MAXLEN} bytes")
}

/// Bytes of a `u8` attribute in a message.
const U8: usize = attr_len(1);
/// Bytes of a `u16` attribute.
const BE16: usize = attr_len(2);
/// Bytes of a `u32` attribute.
const BE32: usize = attr_len(4);
/// Bytes of a `u64` attribute.
const BE64: usize = attr_len(8);

/// Bytes of a NUL-terminated string attribute holding `s`.
#[inline(always)]
fn strz_len(s: &str) -> usize {
    attr_len(s.len() + 1)
}

/// Starts the run of one expression element whose `NFTA_EXPR_DATA` holds `data_len` bytes of
/// attributes, and writes its frame: the element's nest header, `NFTA_EXPR_NAME` (`name`, NUL
/// included) and the data's nest header. Fails when the element would not fit in
/// `nla_len`.
#[inline(always)]
fn expr_run<'r, 'a>(
    msg: &'r mut Message<'a>,
    name: &'static [u8],
    data_len: usize,
) -> Result<Run<'r, 'a>, EncodeError> {
    let len = NLA_HDRLEN + attr_len(name.len()) + NLA_HDRLEN + data_len;
    let mut run = msg.run(NFTA_LIST_ELEM, len)?;
    run.nest(NFTA_LIST_ELEM, len);
    run.put(NFTA_EXPR_NAME, name);
    run.nest(NFTA_EXPR_DATA, NLA_HDRLEN + data_len);
    Ok(run)
}

/// Writes a `cmp` of register `sreg` with `data`.
#[inline(always)]
fn put_cmp(msg: &mut Message<'_>, sreg: u32, op: CmpOp, data: &[u8]) -> Result<(), EncodeError> {
    let mut run = expr_run(msg, b"cmp\0", 2 * BE32 + value_len(data))?;
    run.put_be32(NFTA_CMP_SREG, sreg);
    run.put_be32(NFTA_CMP_OP, op as u32);
    put_value(&mut run, NFTA_CMP_DATA, data);
    run.finish();
    Ok(())
}

/// Writes an `immediate` setting the verdict `code`, with `chain` for a jump or goto.
#[inline(always)]
fn put_verdict(msg: &mut Message<'_>, code: i32, chain: Option<&str>) -> Result<(), EncodeError> {
    let data_len = BE32 + verdict_len(chain);
    let mut run = expr_run(msg, b"immediate\0", data_len)?;
    run.put_be32(NFTA_IMMEDIATE_DREG, NFT_REG_VERDICT);
    write_verdict(&mut run, NFTA_IMMEDIATE_DATA, code, chain)?;
    run.finish();
    Ok(())
}

/// Bytes of a verdict's data nest, `attr_type { NFTA_DATA_VERDICT { NFTA_VERDICT_CODE,
/// NFTA_VERDICT_CHAIN } }`.
#[inline(always)]
fn verdict_len(chain: Option<&str>) -> usize {
    2 * NLA_HDRLEN + BE32 + chain.map_or(0, strz_len)
}

/// Writes a verdict's data nest ([`verdict_len`] bytes).
#[inline(always)]
fn write_verdict(
    run: &mut Run<'_, '_>,
    attr_type: u16,
    code: i32,
    chain: Option<&str>,
) -> Result<(), EncodeError> {
    let len = verdict_len(chain);
    run.nest(attr_type, len);
    run.nest(NFTA_DATA_VERDICT, len - NLA_HDRLEN);
    run.put_be32(NFTA_VERDICT_CODE, code as u32);
    if let Some(chain) = chain {
        run.put_strz(NFTA_VERDICT_CHAIN, chain)?;
    }
    Ok(())
}

/// Bytes of `attr_type { NFTA_DATA_VALUE value }`.
#[inline(always)]
fn value_len(value: &[u8]) -> usize {
    NLA_HDRLEN + attr_len(value.len())
}

/// Writes `attr_type { NFTA_DATA_VALUE value }` ([`value_len`] bytes).
#[inline(always)]
fn put_value(run: &mut Run<'_, '_>, attr_type: u16, value: &[u8]) {
    run.nest(attr_type, value_len(value));
    run.put(NFTA_DATA_VALUE, value);
}

/// Bytes of the register attributes present in `regs`.
#[inline(always)]
fn regs_len(regs: &[Option<u32>]) -> usize {
    regs.iter().filter(|r| r.is_some()).count() * BE32
}

/// Writes a register attribute when there is a register.
#[inline(always)]
fn put_reg(run: &mut Run<'_, '_>, attr_type: u16, reg: Option<u32>) {
    if let Some(reg) = reg {
        run.put_be32(attr_type, reg);
    }
}

/// Bytes of a flags attribute, which is left out when no flag is set.
#[inline(always)]
fn flags_len(flags: u32) -> usize {
    if flags != 0 {
        BE32
    } else {
        0
    }
}

/// Writes a flags attribute when a flag is set ([`flags_len`] bytes).
#[inline(always)]
fn put_flags(run: &mut Run<'_, '_>, attr_type: u16, flags: u32) {
    if flags != 0 {
        run.put_be32(attr_type, flags);
    }
}

/// Bytes of `NFTA_LOOKUP_SET` and, for a set of this transaction, `NFTA_LOOKUP_SET_ID`.
#[inline(always)]
fn set_ref_len(set: &SetRef) -> usize {
    strz_len(set.name())
        + if matches!(set, SetRef::NameAndId(..)) {
            BE32
        } else {
            0
        }
}

/// Writes `NFTA_LOOKUP_SET` and, for a set of this transaction, `NFTA_LOOKUP_SET_ID`.
#[inline(always)]
fn put_set_ref(run: &mut Run<'_, '_>, set: &SetRef) -> Result<(), EncodeError> {
    run.put_strz(NFTA_LOOKUP_SET, set.name())?;
    if let SetRef::NameAndId(_, id) = set {
        run.put_be32(NFTA_LOOKUP_SET_ID, *id);
    }
    Ok(())
}

impl Log {
    /// Bytes of the attributes [`Log::write`] writes.
    #[inline(always)]
    fn data_len(&self) -> usize {
        let opt = |present: bool, len: usize| if present { len } else { 0 };
        self.prefix.as_deref().map_or(0, strz_len)
            + opt(self.group.is_some(), BE16)
            + opt(self.snaplen.is_some(), BE32)
            + opt(self.qthreshold.is_some(), BE16)
            + opt(self.level.is_some(), BE32)
            + flags_len(self.flags)
    }

    /// Writes the log statement's attributes, in nft's order.
    #[inline(always)]
    fn write(&self, run: &mut Run<'_, '_>) -> Result<(), EncodeError> {
        if let Some(prefix) = &self.prefix {
            run.put_strz(NFTA_LOG_PREFIX, prefix)?;
        }
        if let Some(group) = self.group {
            run.put_be16(NFTA_LOG_GROUP, group);
        }
        if let Some(snaplen) = self.snaplen {
            run.put_be32(NFTA_LOG_SNAPLEN, snaplen);
        }
        if let Some(qthreshold) = self.qthreshold {
            run.put_be16(NFTA_LOG_QTHRESHOLD, qthreshold);
        }
        if let Some(level) = self.level {
            run.put_be32(NFTA_LOG_LEVEL, level as u32);
        }
        put_flags(run, NFTA_LOG_FLAGS, self.flags);
        Ok(())
    }
}

impl NatPorts {
    /// Bytes of the port registers and flags.
    #[inline(always)]
    fn data_len(&self) -> usize {
        regs_len(&[self.reg_proto_min, self.reg_proto_max]) + flags_len(self.flags)
    }
}

/// Reads an optional flags attribute whose only known bit is `inv`.
fn inverted(flags: Option<u32>, inv: u32) -> Option<bool> {
    match flags.unwrap_or(0) {
        0 => Some(false),
        f if f == inv => Some(true),
        _ => None,
    }
}

/// The attributes of one nest, by type (types 1 to 31: every nf_tables object has fewer).
pub(crate) struct Fields<'a>([Option<Attr<'a>>; 32]);

impl<'a> Fields<'a> {
    /// Indexes the attributes nested in `nest`; `None` when they are malformed.
    pub(crate) fn of(nest: &Attr<'a>) -> Option<Fields<'a>> {
        Fields::of_attrs(nest.nested())
    }

    /// Indexes a run of attributes; `None` when they are malformed.
    pub(crate) fn of_attrs(attrs: AttrIter<'a>) -> Option<Fields<'a>> {
        let mut fields = [None; 32];
        for attr in attrs {
            let attr = attr.ok()?;
            if let Some(slot) = fields.get_mut(attr.kind() as usize) {
                *slot = Some(attr);
            }
        }
        Some(Fields(fields))
    }

    pub(crate) fn get(&self, t: u16) -> Option<&Attr<'a>> {
        self.0.get(t as usize)?.as_ref()
    }

    pub(crate) fn has(&self, t: u16) -> bool {
        self.get(t).is_some()
    }

    pub(crate) fn u8(&self, t: u16) -> Option<u8> {
        self.get(t)?.u8()
    }

    pub(crate) fn be16(&self, t: u16) -> Option<u16> {
        self.get(t)?.be16()
    }

    pub(crate) fn be32(&self, t: u16) -> Option<u32> {
        self.get(t)?.be32()
    }

    pub(crate) fn be64(&self, t: u16) -> Option<u64> {
        self.get(t)?.be64()
    }

    pub(crate) fn str(&self, t: u16) -> Option<&'a str> {
        self.get(t)?.str()
    }

    pub(crate) fn bytes(&self, t: u16) -> Option<&'a [u8]> {
        Some(self.get(t)?.data())
    }

    /// The `NFTA_DATA_VALUE` inside nest `t`.
    pub(crate) fn value(&self, t: u16) -> Option<Vec<u8>> {
        let nest = self.get(t)?;
        let value = nest
            .nested()
            .flatten()
            .find(|a| a.kind() == NFTA_DATA_VALUE)?;
        Some(value.data().to_vec())
    }
}

/// Where a new rule goes in its chain, or which rule it replaces.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Placement {
    /// At the end of the chain (`add rule`).
    #[default]
    Append,
    /// At the start of the chain (`insert rule`).
    Prepend,
    /// Right after the rule with this handle (`add rule ... position HANDLE`).
    After(u64),
    /// Right before the rule with this handle (`insert rule ... position HANDLE`).
    Before(u64),
    /// In place of the rule with this handle (`replace rule ... handle HANDLE`).
    Replace(u64),
}

/// A rule: a chain, its expressions, where it goes and an optional comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    /// Family of its table.
    pub family: Family,
    /// Table name.
    pub table: String,
    /// Chain name.
    pub chain: String,
    /// Expressions, run in order.
    pub exprs: Vec<Expr>,
    /// Where it goes.
    pub placement: Placement,
    /// Comment, kept in userdata (at most 253 bytes).
    pub comment: Option<String>,
}

impl Rule {
    /// An empty rule appended to `chain`.
    pub fn new(family: Family, table: &str, chain: &str) -> Rule {
        Rule {
            family,
            table: table.into(),
            chain: chain.into(),
            exprs: Vec::new(),
            placement: Placement::Append,
            comment: None,
        }
    }

    /// Adds an expression.
    pub fn with(mut self, expr: Expr) -> Rule {
        self.exprs.push(expr);
        self
    }

    /// In an inet table, match only packets of `nfproto` (what nft adds before `ip` or `ip6`
    /// matches); elsewhere nothing.
    pub fn only_family(self, nfproto: u8) -> Rule {
        if self.family != Family::Inet {
            return self;
        }
        self.with(Expr::Meta {
            key: MetaKey::Nfproto,
            dreg: NFT_REG_1,
        })
        .with(Expr::Cmp {
            sreg: NFT_REG_1,
            op: CmpOp::Eq,
            data: vec![nfproto],
        })
    }

    /// `ip saddr @set` (or `ip6 saddr @set` when `ipv6`), then `counter` and `verdict`:
    /// the rule a blocklist needs.
    pub fn saddr_in_set(
        family: Family,
        table: &str,
        chain: &str,
        set: SetRef,
        ipv6: bool,
        verdict: Verdict,
    ) -> Rule {
        let rule = Rule::new(family, table, chain);
        let rule = if ipv6 {
            rule.ip6_saddr_in(set)
        } else {
            rule.ip_saddr_in(set)
        };
        rule.counter().verdict(verdict)
    }

    /// Loads a header field into register 1 (after `only_family` for network fields).
    fn load(self, base: PayloadBase, offset: u32, len: u32) -> Rule {
        self.with(Expr::Payload {
            base,
            offset,
            len,
            dreg: NFT_REG_1,
        })
    }

    /// Compares register 1 with `data`.
    fn equals(self, data: Vec<u8>) -> Rule {
        self.with(Expr::Cmp {
            sreg: NFT_REG_1,
            op: CmpOp::Eq,
            data,
        })
    }

    /// Looks register 1 up in `set`.
    fn in_set(self, set: impl Into<SetRef>) -> Rule {
        self.with(Expr::Lookup {
            set: set.into(),
            sreg: NFT_REG_1,
            invert: false,
        })
    }

    fn ip_field(self, offset: u32) -> Rule {
        self.only_family(NFPROTO_IPV4)
            .load(PayloadBase::Network, offset, 4)
    }

    fn ip6_field(self, offset: u32) -> Rule {
        self.only_family(NFPROTO_IPV6)
            .load(PayloadBase::Network, offset, 16)
    }

    fn port_field(self, proto: u8, offset: u32) -> Rule {
        self.meta_l4proto(proto)
            .load(PayloadBase::Transport, offset, 2)
    }

    /// `ip saddr @set`.
    pub fn ip_saddr_in(self, set: impl Into<SetRef>) -> Rule {
        self.ip_field(12).in_set(set)
    }

    /// `ip daddr @set`.
    pub fn ip_daddr_in(self, set: impl Into<SetRef>) -> Rule {
        self.ip_field(16).in_set(set)
    }

    /// `ip6 saddr @set`.
    pub fn ip6_saddr_in(self, set: impl Into<SetRef>) -> Rule {
        self.ip6_field(8).in_set(set)
    }

    /// `ip6 daddr @set`.
    pub fn ip6_daddr_in(self, set: impl Into<SetRef>) -> Rule {
        self.ip6_field(24).in_set(set)
    }

    /// `ip saddr ADDR` or `ip6 saddr ADDR`.
    pub fn saddr(self, addr: IpAddr) -> Rule {
        match addr {
            IpAddr::V4(a) => self.ip_field(12).equals(a.octets().to_vec()),
            IpAddr::V6(a) => self.ip6_field(8).equals(a.octets().to_vec()),
        }
    }

    /// `ip daddr ADDR` or `ip6 daddr ADDR`.
    pub fn daddr(self, addr: IpAddr) -> Rule {
        match addr {
            IpAddr::V4(a) => self.ip_field(16).equals(a.octets().to_vec()),
            IpAddr::V6(a) => self.ip6_field(24).equals(a.octets().to_vec()),
        }
    }

    /// `meta l4proto PROTO` (nft's dependency for port matches in every family).
    pub fn meta_l4proto(self, proto: u8) -> Rule {
        self.with(Expr::Meta {
            key: MetaKey::L4proto,
            dreg: NFT_REG_1,
        })
        .equals(vec![proto])
    }

    /// `tcp dport PORT`.
    pub fn tcp_dport(self, port: u16) -> Rule {
        self.port_field(IPPROTO_TCP, 2)
            .equals(port.to_be_bytes().to_vec())
    }

    /// `udp dport PORT`.
    pub fn udp_dport(self, port: u16) -> Rule {
        self.port_field(IPPROTO_UDP, 2)
            .equals(port.to_be_bytes().to_vec())
    }

    /// `tcp dport @set`, or `tcp dport { ... }` with a set from [`SetRef::anonymous`].
    pub fn tcp_dport_in(self, set: impl Into<SetRef>) -> Rule {
        self.port_field(IPPROTO_TCP, 2).in_set(set)
    }

    /// `udp dport @set`, or `udp dport { ... }` with a set from [`SetRef::anonymous`].
    pub fn udp_dport_in(self, set: impl Into<SetRef>) -> Rule {
        self.port_field(IPPROTO_UDP, 2).in_set(set)
    }

    /// `tcp dport != FROM-TO`: outside an inclusive port range (`invert` false: inside).
    pub fn tcp_dport_range(self, from: u16, to: u16, invert: bool) -> Rule {
        let (from, to) = (from.to_be_bytes().to_vec(), to.to_be_bytes().to_vec());
        self.port_field(IPPROTO_TCP, 2).with(Expr::Range {
            sreg: NFT_REG_1,
            invert,
            from,
            to,
        })
    }

    /// `ct state STATES`: any of the given states.
    pub fn ct_state(self, states: CtState) -> Rule {
        let zero = vec![0; 4];
        self.with(Expr::Ct {
            key: CtKey::State,
            dreg: NFT_REG_1,
            direction: None,
        })
        .with(Expr::Bitwise {
            sreg: NFT_REG_1,
            dreg: NFT_REG_1,
            mask: states.0.to_ne_bytes().to_vec(),
            xor: zero.clone(),
        })
        .with(Expr::Cmp {
            sreg: NFT_REG_1,
            op: CmpOp::Neq,
            data: zero,
        })
    }

    /// `iifname NAME`: the input interface's name, exactly.
    ///
    /// Names longer than 15 bytes are refused by [`Rule::validate`].
    pub fn iifname(self, name: &str) -> Rule {
        self.ifname(MetaKey::Iifname, name)
    }

    /// `oifname NAME`: the output interface's name, exactly.
    pub fn oifname(self, name: &str) -> Rule {
        self.ifname(MetaKey::Oifname, name)
    }

    fn ifname(self, key: MetaKey, name: &str) -> Rule {
        let mut data = name.as_bytes().to_vec();
        data.push(0);
        data.resize(data.len().max(IFNAMSIZ + 1), 0);
        self.with(Expr::Meta {
            key,
            dreg: NFT_REG_1,
        })
        .equals(data)
    }

    /// `meta mark MARK`.
    pub fn mark(self, mark: u32) -> Rule {
        self.with(Expr::Meta {
            key: MetaKey::Mark,
            dreg: NFT_REG_1,
        })
        .equals(mark.to_ne_bytes().to_vec())
    }

    /// `meta mark set MARK`.
    pub fn set_mark(self, mark: u32) -> Rule {
        self.with(Expr::Immediate {
            dreg: NFT_REG_1,
            data: mark.to_ne_bytes().to_vec(),
        })
        .with(Expr::MetaSet {
            key: MetaKey::Mark,
            sreg: NFT_REG_1,
        })
    }

    /// `ct mark set MARK`.
    pub fn set_ct_mark(self, mark: u32) -> Rule {
        self.with(Expr::Immediate {
            dreg: NFT_REG_1,
            data: mark.to_ne_bytes().to_vec(),
        })
        .with(Expr::CtSet {
            key: CtKey::Mark,
            sreg: NFT_REG_1,
        })
    }

    /// `counter`.
    pub fn counter(self) -> Rule {
        self.with(Expr::Counter)
    }

    /// `limit rate ...`.
    pub fn limit(self, limit: Limit) -> Rule {
        self.with(Expr::Limit(limit))
    }

    /// `log ...`.
    pub fn log(self, log: Log) -> Rule {
        self.with(Expr::Log(log))
    }

    /// `quota [over] BYTES bytes`.
    pub fn quota(self, bytes: u64, over: bool) -> Rule {
        self.with(Expr::Quota { bytes, over })
    }

    /// `reject`: port unreachable, as nft picks it for the family (ICMPX in inet, bridge
    /// and netdev tables).
    pub fn reject(self) -> Rule {
        match self.family {
            Family::Ip => self.with(Expr::Reject {
                kind: RejectKind::IcmpUnreach,
                code: 3,
            }),
            Family::Ip6 => self.with(Expr::Reject {
                kind: RejectKind::IcmpUnreach,
                code: 4,
            }),
            _ => self.with(Expr::Reject {
                kind: RejectKind::IcmpxUnreach,
                code: 1,
            }),
        }
    }

    /// `reject with tcp reset`, with nft's `meta l4proto tcp` dependency.
    pub fn reject_tcp_reset(self) -> Rule {
        self.meta_l4proto(IPPROTO_TCP).with(Expr::Reject {
            kind: RejectKind::TcpReset,
            code: 0,
        })
    }

    /// `reject with icmp type CODE` (IPv4 packets only in an inet table; `CODE` is the ICMP
    /// destination-unreachable code, such as 10 for host-prohibited).
    pub fn reject_icmp(self, code: u8) -> Rule {
        self.only_family(NFPROTO_IPV4).with(Expr::Reject {
            kind: RejectKind::IcmpUnreach,
            code,
        })
    }

    /// `reject with icmpv6 type CODE` (IPv6 packets only in an inet table).
    pub fn reject_icmpv6(self, code: u8) -> Rule {
        self.only_family(NFPROTO_IPV6).with(Expr::Reject {
            kind: RejectKind::IcmpUnreach,
            code,
        })
    }

    /// `snat to ADDR[:PORT]` (in a nat chain; in inet tables, `snat ip to ...`).
    pub fn snat(self, addr: IpAddr, port: Option<u16>) -> Rule {
        self.nat(NatKind::Snat, addr, port)
    }

    /// `dnat to ADDR[:PORT]` (in a nat chain; in inet tables, `dnat ip to ...`).
    pub fn dnat(self, addr: IpAddr, port: Option<u16>) -> Rule {
        self.nat(NatKind::Dnat, addr, port)
    }

    fn nat(self, kind: NatKind, addr: IpAddr, port: Option<u16>) -> Rule {
        let (family, bytes) = match addr {
            IpAddr::V4(a) => (Family::Ip, a.octets().to_vec()),
            IpAddr::V6(a) => (Family::Ip6, a.octets().to_vec()),
        };
        let mut rule = self.with(Expr::Immediate {
            dreg: NFT_REG_1,
            data: bytes,
        });
        let mut nat = Nat {
            kind,
            family,
            reg_addr_min: Some(NFT_REG_1),
            reg_addr_max: None,
            reg_proto_min: None,
            reg_proto_max: None,
            flags: 0,
        };
        if let Some(port) = port {
            rule = rule.with(Expr::Immediate {
                dreg: NFT_REG_2,
                data: port.to_be_bytes().into(),
            });
            nat.reg_proto_min = Some(NFT_REG_2);
            nat.flags = NF_NAT_RANGE_PROTO_SPECIFIED;
        }
        rule.with(Expr::Nat(nat))
    }

    /// `masquerade`.
    pub fn masquerade(self) -> Rule {
        self.with(Expr::Masquerade(NatPorts::default()))
    }

    /// `redirect [to :PORT]`.
    pub fn redirect(self, port: Option<u16>) -> Rule {
        match port {
            None => self.with(Expr::Redirect(NatPorts::default())),
            Some(port) => self
                .with(Expr::Immediate {
                    dreg: NFT_REG_1,
                    data: port.to_be_bytes().to_vec(),
                })
                .with(Expr::Redirect(NatPorts {
                    reg_proto_min: Some(NFT_REG_1),
                    reg_proto_max: None,
                    flags: NF_NAT_RANGE_PROTO_SPECIFIED,
                })),
        }
    }

    /// Ends with `verdict`.
    pub fn verdict(self, verdict: Verdict) -> Rule {
        self.with(Expr::Verdict(verdict))
    }

    /// `accept`.
    pub fn accept(self) -> Rule {
        self.verdict(Verdict::Accept)
    }

    /// `drop`.
    pub fn drop(self) -> Rule {
        self.verdict(Verdict::Drop)
    }

    /// `jump CHAIN`.
    pub fn jump(self, chain: &str) -> Rule {
        self.verdict(Verdict::Jump(chain.into()))
    }

    /// `goto CHAIN`.
    pub fn goto(self, chain: &str) -> Rule {
        self.verdict(Verdict::Goto(chain.into()))
    }

    /// `vmap @map` on register 1: the verdict comes from the map.
    pub fn vmap(self, map: impl Into<SetRef>) -> Rule {
        self.with(Expr::MapLookup {
            set: map.into(),
            sreg: NFT_REG_1,
            dreg: NFT_REG_VERDICT,
        })
    }

    /// The same rule with `comment`.
    pub fn comment(mut self, comment: &str) -> Rule {
        self.comment = Some(comment.to_string());
        self
    }

    /// The same rule placed as given.
    pub fn placed(mut self, placement: Placement) -> Rule {
        self.placement = placement;
        self
    }

    /// The `nlmsg_flags` of this rule's NEWRULE besides `NLM_F_REQUEST`: create and append,
    /// create only (insert), or replace.
    pub fn message_flags(&self) -> u16 {
        match self.placement {
            Placement::Append | Placement::After(_) => NLM_F_CREATE | NLM_F_APPEND,
            Placement::Prepend | Placement::Before(_) => NLM_F_CREATE,
            Placement::Replace(_) => NLM_F_REPLACE,
        }
    }

    /// Writes the rule's attributes after the family header, in nft's order: table, chain,
    /// handle (replace), expressions, position, userdata. It does not validate the rule (see
    /// [`Rule::validate`]); on an error the message holds part of the rule and is to be
    /// dropped, as [`Transaction::add_rule`] does.
    #[inline(always)]
    pub fn encode(&self, msg: &mut Message<'_>) -> Result<(), EncodeError> {
        msg.put_strz(NFTA_RULE_TABLE, &self.table)?;
        msg.put_strz(NFTA_RULE_CHAIN, &self.chain)?;
        if let Placement::Replace(handle) = self.placement {
            msg.put_be64(NFTA_RULE_HANDLE, handle)?;
        }
        let list = msg.begin_nest(NFTA_RULE_EXPRESSIONS)?;
        for expr in &self.exprs {
            expr.encode(msg)?;
        }
        msg.end_nest(list)?;
        if let Placement::After(handle) | Placement::Before(handle) = self.placement {
            msg.put_be64(NFTA_RULE_POSITION, handle)?;
        }
        if let Some(comment) = &self.comment {
            msg.put(NFTA_RULE_USERDATA, &comment_udata(comment))?;
        }
        Ok(())
    }

    /// Checks names, the comment, the expression count and value lengths before encoding.
    #[inline(always)]
    pub fn validate(&self) -> Result<(), NftError> {
        check_name("table", &self.table)?;
        check_name("chain", &self.chain)?;
        if self.exprs.len() > NFT_RULE_MAXEXPRS {
            let n = self.exprs.len();
            return Err(self.invalid(format!("{n} expressions, at most {NFT_RULE_MAXEXPRS}")));
        }
        if let Some(comment) = &self.comment {
            check_comment(&format!("rule in chain {}", self.chain), comment)?;
        }
        let mut previous = None;
        for (i, expr) in self.exprs.iter().enumerate() {
            match expr.check(previous) {
                Ok(()) => previous = Some(expr),
                Err(problem) => {
                    return Err(self.invalid(format!("expression {}: {problem}", i + 1)))
                }
            }
        }
        Ok(())
    }

    /// The error for a rule that [`Rule::validate`] refuses, for `reason`.
    #[cold]
    fn invalid(&self, reason: String) -> NftError {
        let object = format!("rule in chain {}", self.chain);
        NftError::Invalid { object, reason }
    }
}

/// Userdata holding one comment TLV (libnftnl's `NFTNL_UDATA_RULE_COMMENT`), NUL-terminated.
fn comment_udata(comment: &str) -> Vec<u8> {
    let mut udata = Vec::with_capacity(comment.len() + 3);
    udata.push(NFTNL_UDATA_COMMENT);
    udata.push(comment.len().saturating_add(1).min(u8::MAX as usize) as u8);
    udata.extend_from_slice(comment.as_bytes());
    udata.push(0);
    udata
}

#[cfg(test)]
mod tests {
    use super::*;

    fn invalid(rule: Rule) -> String {
        match rule.validate() {
            Err(NftError::Invalid { reason, .. }) => reason,
            other => panic!("expected Invalid, got {other:?}"),
        }
    }

    #[test]
    fn validation_names_each_problem_and_passes_the_common_rules() {
        let base = || Rule::new(Family::Inet, "t", "c");
        base()
            .saddr("10.0.0.1".parse().unwrap())
            .counter()
            .drop()
            .validate()
            .unwrap();

        let long = vec![0u8; NFT_DATA_VALUE_MAXLEN + 1];
        let cmp = Expr::Cmp {
            sreg: NFT_REG_1,
            op: CmpOp::Eq,
            data: long.clone(),
        };
        assert!(invalid(base().with(cmp)).contains("a value longer than 64 bytes"));
        let imm = Expr::Immediate {
            dreg: NFT_REG_1,
            data: long.clone(),
        };
        assert!(invalid(base().with(imm)).starts_with("expression 1: a value longer"));
        let range = Expr::Range {
            sreg: NFT_REG_1,
            invert: false,
            from: vec![0],
            to: long,
        };
        assert!(invalid(base().with(range)).contains("a value longer"));

        // A long value after an interface-name load is an interface name too long; the same
        // bytes after another load are fine.
        let name = |key| Expr::Meta {
            key,
            dreg: NFT_REG_1,
        };
        let cmp17 = || Expr::Cmp {
            sreg: NFT_REG_1,
            op: CmpOp::Eq,
            data: vec![b'x'; 17],
        };
        let rule = base().with(name(MetaKey::Iifname)).with(cmp17());
        assert!(invalid(rule).contains("expression 2: an interface name of 16 bytes"));
        base()
            .with(name(MetaKey::Mark))
            .with(cmp17())
            .validate()
            .unwrap();

        let log = Log {
            prefix: Some("p".repeat(NF_LOG_PREFIXLEN + 1)),
            ..Log::default()
        };
        assert!(invalid(base().log(log)).contains("a log prefix over"));

        // A NUL inside an interface name would make the rule never match.
        let reason = invalid(base().iifname("eth\0x").accept());
        assert_eq!(
            reason,
            "expression 2: an interface name with a NUL byte inside"
        );
        base().iifname("eth0").accept().validate().unwrap();

        // Names a rule refers to are said of the rule and the expression.
        match base().counter().jump("").validate() {
            Err(NftError::Invalid { object, reason }) => {
                assert_eq!(object, "rule in chain c");
                assert_eq!(reason, "expression 2: target chain \"\": is empty");
            }
            other => panic!("expected Invalid, got {other:?}"),
        }
        let lookup = Expr::Lookup {
            set: SetRef::Name("s\0".into()),
            sreg: NFT_REG_1,
            invert: false,
        };
        let reason = invalid(base().with(lookup));
        assert_eq!(reason, "expression 1: set \"s\\0\": contains a NUL byte");

        // Expressions this crate does not model: a name, and data the kernel can parse.
        let raw = |name: &str, data: Vec<u8>| Expr::Raw {
            name: name.into(),
            data,
        };
        let reason = invalid(base().with(raw("co\0unter", vec![])));
        assert!(
            reason.starts_with("expression 1: expression \"co\\0unter\""),
            "{reason}"
        );
        let reason = invalid(base().with(raw("cmp", vec![1, 2, 3])));
        assert_eq!(
            reason,
            "expression 1: raw data that is not a list of netlink attributes"
        );
        base()
            .with(raw("fib", vec![8, 0, 1, 0, 0, 0, 0, 1]))
            .validate()
            .unwrap();

        // Values the kernel refuses (EINVAL) and that would not read back as written.
        let imm = Expr::Immediate {
            dreg: NFT_REG_VERDICT,
            data: vec![1],
        };
        assert!(invalid(base().with(imm)).contains("into the verdict register"));
        let bitwise = Expr::Bitwise {
            sreg: NFT_REG_1,
            dreg: NFT_REG_1,
            mask: vec![0xff; 4],
            xor: vec![0; 2],
        };
        assert!(invalid(base().with(bitwise)).contains("a mask of 4 bytes and a xor of 2"));
        let empty = Expr::Cmp {
            sreg: NFT_REG_1,
            op: CmpOp::Eq,
            data: vec![],
        };
        assert_eq!(invalid(base().with(empty)), "expression 1: an empty value");
        let imm = Expr::Immediate {
            dreg: NFT_REG_1,
            data: vec![],
        };
        assert_eq!(invalid(base().with(imm)), "expression 1: an empty value");
        let range = Expr::Range {
            sreg: NFT_REG_1,
            invert: false,
            from: vec![0, 1],
            to: vec![0, 0, 0, 9],
        };
        assert!(invalid(base().with(range)).contains("a range from 2 bytes to 4 bytes"));

        // A value compared in another register than the interface name went to is not a name:
        // an IPv6 address (16 bytes, with zeros) loaded before, compared after the name load.
        let v6 = Expr::Payload {
            base: PayloadBase::Network,
            offset: 8,
            len: 16,
            dreg: NFT_REG_2,
        };
        let mut addr = vec![0u8; 16];
        addr[..2].copy_from_slice(&[0x20, 0x01]);
        addr[15] = 1;
        let cmp_v6 = Expr::Cmp {
            sreg: NFT_REG_2,
            op: CmpOp::Eq,
            data: addr,
        };
        base()
            .with(v6)
            .with(name(MetaKey::Iifname))
            .with(cmp_v6)
            .validate()
            .unwrap();
    }

    mod runs {
        //! Every expression's writer states its length before writing (see [`Expr::encode`]):
        //! for every variant and option, with values and names of any length, the stated
        //! length must be what is written, and the bytes must read back as the expression.

        use super::*;
        use crate::decode::AttrIter;
        use crate::message::{Batch, BatchConfig, NLM_F_REQUEST};
        use proptest::collection::vec;
        use proptest::prelude::*;

        fn value() -> impl Strategy<Value = Vec<u8>> {
            prop_oneof![vec(any::<u8>(), 0..20), vec(any::<u8>(), 0..400)]
        }

        /// Names of every length up to past the 255-byte limit, NUL bytes included.
        fn name() -> impl Strategy<Value = String> {
            prop_oneof![
                "[a-z]{1,20}",
                "[a-z0-9_]{1,300}",
                "[a-z]{0,3}\\x00[a-z]{0,3}"
            ]
        }

        fn reg() -> impl Strategy<Value = Option<u32>> {
            proptest::option::of(0u32..24)
        }

        fn set_ref() -> impl Strategy<Value = SetRef> {
            prop_oneof![
                name().prop_map(SetRef::Name),
                (name(), any::<u32>()).prop_map(|(n, id)| SetRef::NameAndId(n, id)),
            ]
        }

        fn verdict() -> impl Strategy<Value = Verdict> {
            prop_oneof![
                Just(Verdict::Accept),
                Just(Verdict::Drop),
                Just(Verdict::Continue),
                Just(Verdict::Return),
                name().prop_map(Verdict::Jump),
                name().prop_map(Verdict::Goto),
            ]
        }

        fn ports() -> impl Strategy<Value = NatPorts> {
            (reg(), reg(), 0u32..0x20).prop_map(|(reg_proto_min, reg_proto_max, flags)| NatPorts {
                reg_proto_min,
                reg_proto_max,
                flags,
            })
        }

        fn expr() -> impl Strategy<Value = Expr> {
            let key = |n: u32| (0..n).prop_filter_map("a known key", MetaKey::from_u32);
            let ct_key = (0u32..40).prop_filter_map("a known key", CtKey::from_u32);
            let op = (0u32..6).prop_filter_map("an operator", CmpOp::from_u32);
            let base = (0u32..3).prop_filter_map("a base", PayloadBase::from_u32);
            let direction = proptest::option::of(prop_oneof![
                Just(CtDirection::Original),
                Just(CtDirection::Reply)
            ]);
            let unit = prop_oneof![
                Just(LimitUnit::Second),
                Just(LimitUnit::Minute),
                Just(LimitUnit::Hour),
                Just(LimitUnit::Day),
                Just(LimitUnit::Week),
            ];
            let log = (
                proptest::option::of(name()),
                proptest::option::of((0u32..8).prop_filter_map("a level", LogLevel::from_u32)),
                proptest::option::of(any::<u16>()),
                proptest::option::of(any::<u32>()),
                proptest::option::of(any::<u16>()),
                0u32..0x40,
            )
                .prop_map(|(prefix, level, group, snaplen, qthreshold, flags)| Log {
                    prefix,
                    level,
                    group,
                    snaplen,
                    qthreshold,
                    flags,
                });
            let reject = prop_oneof![
                Just(RejectKind::IcmpUnreach),
                Just(RejectKind::TcpReset),
                Just(RejectKind::IcmpxUnreach)
            ];
            let nat = (
                prop_oneof![Just(NatKind::Snat), Just(NatKind::Dnat)],
                prop_oneof![Just(Family::Ip), Just(Family::Ip6)],
                (reg(), reg(), reg(), reg()),
                0u32..0x20,
            )
                .prop_map(|(kind, family, (a, b, c, d), flags)| {
                    Expr::Nat(Nat {
                        kind,
                        family,
                        reg_addr_min: a,
                        reg_addr_max: b,
                        reg_proto_min: c,
                        reg_proto_max: d,
                        flags,
                    })
                });
            prop_oneof![
                (base, any::<u32>(), any::<u32>(), 0u32..24).prop_map(
                    |(base, offset, len, dreg)| Expr::Payload {
                        base,
                        offset,
                        len,
                        dreg
                    }
                ),
                (0u32..24, op, value()).prop_map(|(sreg, op, data)| Expr::Cmp { sreg, op, data }),
                (key(64), 0u32..24).prop_map(|(key, dreg)| Expr::Meta { key, dreg }),
                (key(64), 0u32..24).prop_map(|(key, sreg)| Expr::MetaSet { key, sreg }),
                (set_ref(), 0u32..24, any::<bool>()).prop_map(|(set, sreg, invert)| Expr::Lookup {
                    set,
                    sreg,
                    invert
                }),
                (set_ref(), 0u32..24, 0u32..24).prop_map(|(set, sreg, dreg)| Expr::MapLookup {
                    set,
                    sreg,
                    dreg
                }),
                Just(Expr::Counter),
                verdict().prop_map(Expr::Verdict),
                (1u32..24, value()).prop_map(|(dreg, data)| Expr::Immediate { dreg, data }),
                // `xor` as long as `mask`, as the kernel wants it.
                (0u32..24, 0u32..24, value(), any::<u8>()).prop_map(|(sreg, dreg, mask, x)| {
                    Expr::Bitwise {
                        sreg,
                        dreg,
                        xor: mask.iter().map(|m| m ^ x).collect(),
                        mask,
                    }
                }),
                (0u32..24, any::<bool>(), value(), value()).prop_map(|(sreg, invert, from, to)| {
                    Expr::Range {
                        sreg,
                        invert,
                        from,
                        to,
                    }
                }),
                (ct_key.clone(), 0u32..24, direction).prop_map(|(key, dreg, direction)| {
                    Expr::Ct {
                        key,
                        dreg,
                        direction,
                    }
                }),
                (ct_key, 0u32..24).prop_map(|(key, sreg)| Expr::CtSet { key, sreg }),
                (
                    any::<u64>(),
                    unit,
                    any::<u32>(),
                    any::<bool>(),
                    any::<bool>()
                )
                    .prop_map(|(rate, unit, burst, bytes, over)| Expr::Limit(
                        Limit {
                            rate,
                            unit,
                            burst,
                            bytes,
                            over
                        }
                    )),
                log.prop_map(Expr::Log),
                (any::<u64>(), any::<bool>()).prop_map(|(bytes, over)| Expr::Quota { bytes, over }),
                (reject, any::<u8>()).prop_map(|(kind, code)| Expr::Reject { kind, code }),
                nat,
                ports().prop_map(Expr::Masquerade),
                ports().prop_map(Expr::Redirect),
                // Names no expression of this crate has, so that they read back as raw.
                (name(), vec(any::<u8>(), 0..400)).prop_map(|(name, data)| Expr::Raw {
                    name: format!("x{name}"),
                    data
                }),
            ]
        }

        /// What [`Expr::decode`] gives back for `expr`: sets by name only.
        fn as_decoded(expr: Expr) -> Expr {
            match expr {
                Expr::Lookup { set, sreg, invert } => Expr::Lookup {
                    set: SetRef::Name(set.name().into()),
                    sreg,
                    invert,
                },
                Expr::MapLookup { set, sreg, dreg } => Expr::MapLookup {
                    set: SetRef::Name(set.name().into()),
                    sreg,
                    dreg,
                },
                other => other,
            }
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(2000))]

            #[test]
            fn every_expression_writes_what_it_states_and_reads_back(expr in expr()) {
                let mut batch = Batch::new(BatchConfig::default()).unwrap();
                let mut msg = batch.message(0x0a06, NLM_F_REQUEST).unwrap();
                msg.family_header(&[2, 0, 0, 0]).unwrap();
                match expr.encode(&mut msg) {
                    Ok(()) => {
                        let bytes = msg.bytes()[20..].to_vec();
                        let mut attrs = AttrIter::new(&bytes, 0);
                        let elem = attrs.next().unwrap().unwrap();
                        prop_assert!(attrs.next().is_none());
                        prop_assert_eq!(elem.kind(), NFTA_LIST_ELEM);
                        prop_assert_eq!(crate::message::align(elem.data().len() + 4), bytes.len());
                        prop_assert_eq!(Expr::decode(&elem), as_decoded(expr));
                    }
                    // Only a name with a NUL, or an element past `nla_len`, is refused, and
                    // the message is left as it was.
                    Err(EncodeError::NulInString { .. }) | Err(EncodeError::AttrTooLong { .. }) => {
                        prop_assert_eq!(msg.len(), 20);
                    }
                    Err(other) => prop_assert!(false, "unexpected {other:?}"),
                }
            }
        }
    }
}

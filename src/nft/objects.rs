//! Tables, chains and sets: what they are made of and how each is checked before encoding.

use super::wire::*;
use super::NftError;

/// An nftables address family.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Family {
    /// `ip`: IPv4.
    Ip,
    /// `ip6`: IPv6.
    Ip6,
    /// `inet`: IPv4 and IPv6 together.
    Inet,
    /// `arp`.
    Arp,
    /// `bridge`.
    Bridge,
    /// `netdev`: ingress and egress of devices.
    Netdev,
}

impl Family {
    /// The `nfgenmsg` family number (`NFPROTO_*`).
    pub fn nfproto(self) -> u8 {
        match self {
            Family::Ip => NFPROTO_IPV4,
            Family::Ip6 => NFPROTO_IPV6,
            Family::Inet => NFPROTO_INET,
            Family::Arp => NFPROTO_ARP,
            Family::Bridge => NFPROTO_BRIDGE,
            Family::Netdev => NFPROTO_NETDEV,
        }
    }

    /// The family with this `NFPROTO_*` number.
    pub fn from_nfproto(n: u8) -> Option<Family> {
        Some(match n {
            NFPROTO_IPV4 => Family::Ip,
            NFPROTO_IPV6 => Family::Ip6,
            NFPROTO_INET => Family::Inet,
            NFPROTO_ARP => Family::Arp,
            NFPROTO_BRIDGE => Family::Bridge,
            NFPROTO_NETDEV => Family::Netdev,
            _ => return None,
        })
    }

    /// The name nft uses.
    pub fn name(self) -> &'static str {
        match self {
            Family::Ip => "ip",
            Family::Ip6 => "ip6",
            Family::Inet => "inet",
            Family::Arp => "arp",
            Family::Bridge => "bridge",
            Family::Netdev => "netdev",
        }
    }
}

impl std::str::FromStr for Family {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        [
            Family::Ip,
            Family::Ip6,
            Family::Inet,
            Family::Arp,
            Family::Bridge,
            Family::Netdev,
        ]
        .into_iter()
        .find(|f| f.name() == s)
        .ok_or_else(|| format!("unknown family {s:?}: ip, ip6, inet, arp, bridge or netdev"))
    }
}

/// Checks an object name: not empty, at most 255 bytes, no NUL.
#[inline]
pub fn check_name(what: &'static str, name: &str) -> Result<(), NftError> {
    if name.is_empty() || name.len() > NFT_NAME_MAXLEN || crate::message::has_nul(name.as_bytes()) {
        return Err(bad_name(what, name));
    }
    Ok(())
}

/// The error for a name [`check_name`] refuses, its first 40 characters shown.
#[cold]
fn bad_name(what: &'static str, name: &str) -> NftError {
    let reason = if name.is_empty() {
        "is empty"
    } else if name.len() > NFT_NAME_MAXLEN {
        "is longer than 255 bytes"
    } else {
        "contains a NUL byte"
    };
    NftError::Invalid {
        object: format!(
            "{what} {:?}{}",
            name.chars().take(40).collect::<String>(),
            if name.chars().count() > 40 { "..." } else { "" }
        ),
        reason: reason.into(),
    }
}

/// Checks a comment: it travels in userdata, at most 256 bytes with its TLV header and NUL.
pub fn check_comment(what: &str, comment: &str) -> Result<(), NftError> {
    if comment.len() + 3 > NFT_USERDATA_MAXLEN || comment.contains('\0') {
        return Err(NftError::Invalid {
            object: what.to_string(),
            reason: format!(
                "comment of {} bytes: at most 253 bytes, no NUL",
                comment.len()
            ),
        });
    }
    Ok(())
}

/// A table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    /// Family.
    pub family: Family,
    /// Name.
    pub name: String,
    /// `NFTA_TABLE_FLAGS` (`NFT_TABLE_F_DORMANT` = 1, ...).
    pub flags: u32,
    /// Comment, kept in userdata.
    pub comment: Option<String>,
}

impl Table {
    /// A table with no flags and no comment.
    pub fn new(family: Family, name: impl Into<String>) -> Table {
        Table {
            family,
            name: name.into(),
            flags: 0,
            comment: None,
        }
    }
}

/// Hook points of a base chain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hook {
    /// `prerouting`.
    Prerouting,
    /// `input`.
    Input,
    /// `forward`.
    Forward,
    /// `output`.
    Output,
    /// `postrouting`.
    Postrouting,
    /// `ingress` (netdev, inet).
    Ingress,
}

impl Hook {
    /// The hook number in `family`: `NF_NETDEV_INGRESS` (0) in a netdev table, otherwise
    /// `NF_INET_*` (ingress is 5 there).
    pub fn number(self, family: Family) -> u32 {
        if family == Family::Netdev && self == Hook::Ingress {
            return 0;
        }
        match self {
            Hook::Prerouting => 0,
            Hook::Input => 1,
            Hook::Forward => 2,
            Hook::Output => 3,
            Hook::Postrouting => 4,
            Hook::Ingress => 5,
        }
    }

    /// Name as nft spells it.
    pub fn name(self) -> &'static str {
        match self {
            Hook::Prerouting => "prerouting",
            Hook::Input => "input",
            Hook::Forward => "forward",
            Hook::Output => "output",
            Hook::Postrouting => "postrouting",
            Hook::Ingress => "ingress",
        }
    }
}

impl std::str::FromStr for Hook {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        use Hook::*;
        [Prerouting, Input, Forward, Output, Postrouting, Ingress]
            .into_iter()
            .find(|h| h.name() == s)
            .ok_or_else(|| format!("unknown hook {s:?}"))
    }
}

/// What a base chain is attached to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseChain {
    /// `filter`, `nat` or `route`.
    pub chain_type: String,
    /// Hook point.
    pub hook: Hook,
    /// Priority (signed; lower runs first).
    pub priority: i32,
    /// Verdict for packets no rule decided: `true` accept, `false` drop.
    pub policy_accept: bool,
    /// Device, for netdev and ingress chains.
    pub device: Option<String>,
}

/// A chain: a base chain when `base` is set, a regular chain otherwise.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chain {
    /// Family of its table.
    pub family: Family,
    /// Table name.
    pub table: String,
    /// Chain name.
    pub name: String,
    /// Hook, type, priority and policy of a base chain.
    pub base: Option<BaseChain>,
    /// Comment, kept in userdata.
    pub comment: Option<String>,
}

impl Chain {
    /// A regular chain (reached by jump or goto).
    pub fn regular(family: Family, table: &str, name: &str) -> Chain {
        Chain {
            family,
            table: table.into(),
            name: name.into(),
            base: None,
            comment: None,
        }
    }

    /// A `filter` base chain at `hook` and `priority` with policy accept.
    pub fn filter(family: Family, table: &str, name: &str, hook: Hook, priority: i32) -> Chain {
        let base = BaseChain {
            chain_type: "filter".into(),
            hook,
            priority,
            policy_accept: true,
            device: None,
        };
        Chain {
            base: Some(base),
            ..Chain::regular(family, table, name)
        }
    }
}

/// A basic data type of set keys and map values, with nft's type id and length.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KeyType {
    /// `ipv4_addr`, 4 bytes, network order.
    Ipv4Addr,
    /// `ipv6_addr`, 16 bytes, network order.
    Ipv6Addr,
    /// `inet_service` (a port), 2 bytes, network order.
    InetService,
    /// `inet_proto`, 1 byte.
    InetProto,
    /// `ether_addr`, 6 bytes.
    EtherAddr,
    /// `mark`, 4 bytes, host order.
    Mark,
    /// `ifname`, 16 bytes, NUL-padded.
    Ifname,
    /// `verdict` (map values only).
    Verdict,
}

impl KeyType {
    /// nft's datatype id.
    pub fn id(self) -> u32 {
        match self {
            KeyType::Verdict => 1,
            KeyType::Ipv4Addr => 7,
            KeyType::Ipv6Addr => 8,
            KeyType::EtherAddr => 9,
            KeyType::InetProto => 12,
            KeyType::InetService => 13,
            KeyType::Mark => 19,
            KeyType::Ifname => 41,
        }
    }

    /// Length of a value in bytes (verdicts have none in a key).
    #[allow(clippy::len_without_is_empty)] // a type's length, not a collection's
    pub fn len(self) -> u32 {
        match self {
            KeyType::Ipv4Addr | KeyType::Mark => 4,
            KeyType::Ipv6Addr | KeyType::Ifname => 16,
            KeyType::InetService => 2,
            KeyType::InetProto => 1,
            KeyType::EtherAddr => 6,
            KeyType::Verdict => 0,
        }
    }

    /// Name as nft spells it.
    pub fn name(self) -> &'static str {
        match self {
            KeyType::Ipv4Addr => "ipv4_addr",
            KeyType::Ipv6Addr => "ipv6_addr",
            KeyType::InetService => "inet_service",
            KeyType::InetProto => "inet_proto",
            KeyType::EtherAddr => "ether_addr",
            KeyType::Mark => "mark",
            KeyType::Ifname => "ifname",
            KeyType::Verdict => "verdict",
        }
    }

    /// True when values are kept in host byte order (nft's `BYTEORDER_HOST_ENDIAN`).
    pub fn host_order(self) -> bool {
        matches!(self, KeyType::Mark | KeyType::Ifname | KeyType::InetProto)
    }
}

/// The type of a set's keys: one basic type or a concatenation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Key(pub Vec<KeyType>);

impl Key {
    /// nft's datatype id: for a concatenation, the ids joined 6 bits apiece.
    pub fn id(&self) -> u32 {
        self.0.iter().fold(0, |acc, t| (acc << 6) | t.id())
    }

    /// Key length in bytes: each part padded to 4 bytes when concatenated.
    pub fn len(&self) -> u32 {
        match self.0.as_slice() {
            [single] => single.len(),
            parts => parts.iter().map(|t| t.len().div_ceil(4) * 4).sum(),
        }
    }

    /// True for a key with no part.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl From<KeyType> for Key {
    fn from(t: KeyType) -> Key {
        Key(vec![t])
    }
}

/// A set, or a map when `data` is set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Set {
    /// Family of its table.
    pub family: Family,
    /// Table name.
    pub table: String,
    /// Set name.
    pub name: String,
    /// Key type.
    pub key: Key,
    /// Value type for a map; `Verdict` for a verdict map.
    pub data: Option<KeyType>,
    /// `NFT_SET_*` flags (interval, timeout, constant; map and concat are added as needed).
    pub flags: u32,
    /// Declared size (`size N`): a hard limit on elements, and a hint for the backend.
    pub size: Option<u32>,
    /// Default element timeout in milliseconds (needs `NFT_SET_TIMEOUT`).
    pub timeout_ms: Option<u64>,
    /// Comment, kept in userdata.
    pub comment: Option<String>,
}

impl Set {
    /// A plain set of `key` with no flags.
    pub fn new(family: Family, table: &str, name: &str, key: impl Into<Key>) -> Set {
        Set {
            family,
            table: table.into(),
            name: name.into(),
            key: key.into(),
            data: None,
            flags: 0,
            size: None,
            timeout_ms: None,
            comment: None,
        }
    }

    /// The same set with `flags interval`.
    pub fn interval(mut self) -> Set {
        self.flags |= NFT_SET_INTERVAL;
        self
    }

    /// The flags as sent: the given ones plus map, concat and timeout where implied.
    pub fn wire_flags(&self) -> u32 {
        let mut flags = self.flags;
        if self.data.is_some() {
            flags |= NFT_SET_MAP;
        }
        if self.key.0.len() > 1 && flags & NFT_SET_INTERVAL != 0 {
            flags |= NFT_SET_CONCAT;
        }
        if self.timeout_ms.is_some() {
            flags |= NFT_SET_TIMEOUT;
        }
        flags
    }

    /// Checks names, comment and key before encoding.
    pub fn validate(&self) -> Result<(), NftError> {
        check_name("table", &self.table)?;
        check_name("set", &self.name)?;
        let object = || format!("set {}", self.name);
        if self.key.is_empty() || self.key.len() > 64 || self.key.0.contains(&KeyType::Verdict) {
            let reason = "key must be 1 to 64 bytes of non-verdict types".into();
            return Err(NftError::Invalid {
                object: object(),
                reason,
            });
        }
        if let Some(comment) = &self.comment {
            check_comment(&object(), comment)?;
        }
        Ok(())
    }
}

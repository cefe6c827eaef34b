//! Reading the ruleset back: tables, chains, sets, set elements and rules, dumped by the kernel
//! (`NFT_MSG_GET*` with `NLM_F_DUMP`) and decoded into typed values.
//!
//! ```text
//!  GETTABLE | GETCHAIN | GETSET | GETRULE   (NLM_F_DUMP, family or one per family)
//!  GETSETELEM                               (NLM_F_DUMP, table and set named)
//!        ──▶  NEWTABLE | NEWCHAIN | NEWSET | NEWRULE | NEWSETELEM ... NLMSG_DONE
//! ```
//!
//! Every reply is read with the bounds-checked decoder: malformed replies are errors, never
//! panics, and attributes this crate does not know are skipped (expressions it does not model
//! come back as [`Expr::Raw`]). A dump the kernel marks as interrupted (`NLM_F_DUMP_INTR`: the
//! ruleset changed while it was read) is retried.
//!
//! ```no_run
//! use nlbatch::nft::{Family, Nftables};
//!
//! let mut nft = Nftables::open()?;
//! for set in nft.list_sets(Some(Family::Inet), Some("filter"))? {
//!     let elements = nft.list_elements(Family::Inet, "filter", &set.name)?;
//!     println!("{} holds {} elements", set.name, elements.len());
//! }
//! # Ok::<(), nlbatch::nft::NftError>(())
//! ```
//!
//! # Limitations
//!
//! - Dumping a large set is slow in the kernel itself: each reply datagram restarts the walk
//!   of the set from its first element, so a dump is quadratic in the number of elements
//!   (about 30 s for a million hash elements). Do not confirm huge loads by listing them.
//! - `NFPROTO_UNSPEC` cannot be asked for through [`Nftables::request`], so listing every
//!   family takes one dump per family.
//! - Chains are filtered by table here, after the dump: the kernel dumps every chain of the
//!   family.

use super::expr::{Expr, Fields, Verdict, NFTA_COUNTER_BYTES, NFTA_COUNTER_PACKETS};
use super::objects::{BaseChain, Family, Hook, Key, KeyType};
use super::transaction::ElementData;
use super::wire::*;
use super::{NftError, Nftables};
use crate::decode::{Attr, MessageView};
use crate::message::{EncodeError, Message, NLM_F_DUMP};
use crate::socket::TransportError;

/// Flag on a dump reply: the ruleset changed while it was dumped (`NLM_F_DUMP_INTR`).
const NLM_F_DUMP_INTR: u16 = 0x10;
/// Times an interrupted dump is tried again before giving up.
const DUMP_ATTEMPTS: usize = 3;

const NFTA_HOOK_DEVS: u16 = 4;
const NFTA_DEVICE_NAME: u16 = 1;

/// Userdata TLV of a set as nft 1.0.6 writes it: comment (`NFTNL_UDATA_SET_COMMENT`).
const UDATA_SET_COMMENT: u8 = 7;

/// A table, as dumped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableInfo {
    /// Family.
    pub family: Family,
    /// Name.
    pub name: String,
    /// Handle, unique in the family.
    pub handle: u64,
    /// `NFT_TABLE_F_*` flags (dormant 0x1, owner 0x2, persist 0x4).
    pub flags: u32,
    /// The kernel's use count of the table (`NFTA_TABLE_USE`: chains, named sets and other
    /// objects that hold a reference to it).
    pub uses: u32,
    /// Comment from userdata.
    pub comment: Option<String>,
}

/// A chain, as dumped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainInfo {
    /// Family of its table.
    pub family: Family,
    /// Table name.
    pub table: String,
    /// Name.
    pub name: String,
    /// Handle, unique in the table.
    pub handle: u64,
    /// Hook, type, priority, policy and device of a base chain; `None` for a regular chain,
    /// or for a base chain on a hook [`Hook`] cannot name (see `hook_number`).
    pub base: Option<BaseChain>,
    /// The raw hook number of a base chain.
    pub hook_number: Option<u32>,
    /// The kernel's use count of the chain (`NFTA_CHAIN_USE`: rules, and jumps to it).
    pub uses: u32,
    /// `NFT_CHAIN_*` flags (base 0x1, hw offload 0x2, binding 0x4).
    pub flags: u32,
    /// Comment from userdata.
    pub comment: Option<String>,
}

/// A set or map, as dumped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetInfo {
    /// Family of its table.
    pub family: Family,
    /// Table name.
    pub table: String,
    /// Name (`__set0` and the like for anonymous sets).
    pub name: String,
    /// Handle, unique in the table.
    pub handle: u64,
    /// `NFT_SET_*` flags (anonymous 0x1, constant 0x2, interval 0x4, map 0x8, timeout 0x10,
    /// eval 0x20, object 0x40, concat 0x80).
    pub flags: u32,
    /// nft's key datatype id (concatenations: ids joined 6 bits apiece).
    pub key_type: u32,
    /// Key length in bytes.
    pub key_len: u32,
    /// The key type, when every part of `key_type` is a [`KeyType`].
    pub key: Option<Key>,
    /// nft's data datatype id of a map (`0xffffff00` for verdicts).
    pub data_type: Option<u32>,
    /// Data length of a map, in bytes.
    pub data_len: Option<u32>,
    /// The data type, when it is a [`KeyType`].
    pub data: Option<KeyType>,
    /// Declared size (`NFTA_SET_DESC_SIZE`).
    pub size: Option<u32>,
    /// Default element timeout in milliseconds.
    pub timeout_ms: Option<u64>,
    /// Garbage collection interval in milliseconds.
    pub gc_interval_ms: Option<u32>,
    /// Lengths of the fields of a concatenated key, in bytes.
    pub field_lengths: Vec<u32>,
    /// Comment from userdata.
    pub comment: Option<String>,
    /// Names of the statements every element carries (`counter`, `quota`, ...: the set's
    /// `NFTA_SET_EXPR` or `NFTA_SET_EXPRESSIONS`), in order; empty for most sets.
    pub expressions: Vec<String>,
}

/// A set element, as dumped.
///
/// Interval sets list each range as the kernel stores it: a start element, then an end
/// element one past the range flagged [`NFT_SET_ELEM_INTERVAL_END`]; concatenated ranges have
/// `key_end` instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ElementInfo {
    /// Key, in the set's byte order.
    pub key: Vec<u8>,
    /// Inclusive end of a concatenated range.
    pub key_end: Option<Vec<u8>>,
    /// `NFT_SET_ELEM_*` flags.
    pub flags: u32,
    /// Value of a map element.
    pub data: Option<ElementData>,
    /// Timeout in milliseconds, when the element has one.
    pub timeout_ms: Option<u64>,
    /// Milliseconds left before the element expires.
    pub expires_ms: Option<u64>,
    /// Comment from userdata.
    pub comment: Option<String>,
}

/// A rule, as dumped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleInfo {
    /// Family of its table.
    pub family: Family,
    /// Table name.
    pub table: String,
    /// Chain name.
    pub chain: String,
    /// Handle, unique in the table.
    pub handle: u64,
    /// Handle of the rule before it, if any (`NFTA_RULE_POSITION`).
    pub position: Option<u64>,
    /// Expressions, decoded where this crate models them (lookups by set name).
    pub exprs: Vec<Expr>,
    /// Packets and bytes of the first `counter` expression.
    pub counter: Option<(u64, u64)>,
    /// Comment from userdata.
    pub comment: Option<String>,
}

impl RuleInfo {
    /// The names of the expressions, in order (`"payload"`, `"lookup"`, ...).
    pub fn expr_names(&self) -> Vec<&str> {
        self.exprs.iter().map(Expr::name).collect()
    }
}

impl Nftables {
    /// Lists the tables of `family`, or of every family.
    pub fn list_tables(&mut self, family: Option<Family>) -> Result<Vec<TableInfo>, NftError> {
        let mut tables = Vec::new();
        for family in families(family) {
            tables.extend(self.dump(
                NFT_MSG_GETTABLE,
                family,
                |_| Ok(()),
                |msg, out| {
                    out.push(table_info(msg, family)?);
                    Ok(())
                },
            )?);
        }
        Ok(tables)
    }

    /// Lists the chains of `family` (or every family), of one table when `table` is given.
    pub fn list_chains(
        &mut self,
        family: Option<Family>,
        table: Option<&str>,
    ) -> Result<Vec<ChainInfo>, NftError> {
        let mut chains = Vec::new();
        for family in families(family) {
            chains.extend(self.dump(
                NFT_MSG_GETCHAIN,
                family,
                |_| Ok(()),
                |msg, out| {
                    let chain = chain_info(msg, family)?;
                    if table.map_or(true, |t| t == chain.table) {
                        out.push(chain);
                    }
                    Ok(())
                },
            )?);
        }
        Ok(chains)
    }

    /// Lists the sets and maps of `family` (or every family), of one table when `table` is
    /// given (a family without that table has none).
    pub fn list_sets(
        &mut self,
        family: Option<Family>,
        table: Option<&str>,
    ) -> Result<Vec<SetInfo>, NftError> {
        let mut sets = Vec::new();
        let build = |msg: &mut Message<'_>| match table {
            Some(table) => msg.put_strz(NFTA_SET_TABLE, table),
            None => Ok(()),
        };
        for family in families(family) {
            let found = self.dump(NFT_MSG_GETSET, family, build, |msg, out| {
                out.push(set_info(msg, family)?);
                Ok(())
            });
            match found {
                Ok(found) => sets.extend(found),
                // The kernel looks the table up first: ENOENT when the family has no such table.
                Err(e) if table.is_some() && e.errno() == Some(libc::ENOENT) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(sets)
    }

    /// Lists the elements of one set.
    ///
    /// # Limitations
    ///
    /// The kernel's set dump is quadratic in the number of elements (each reply datagram
    /// walks the set again from its start): about 30 s for a million hash elements. Use it on
    /// small sets, or to sample, not to confirm huge loads.
    pub fn list_elements(
        &mut self,
        family: Family,
        table: &str,
        set: &str,
    ) -> Result<Vec<ElementInfo>, NftError> {
        let build = |msg: &mut Message<'_>| {
            msg.put_strz(NFTA_SET_ELEM_LIST_TABLE, table)?;
            msg.put_strz(NFTA_SET_ELEM_LIST_SET, set)
        };
        self.dump(NFT_MSG_GETSETELEM, family, build, element_infos)
    }

    /// Lists the rules of `family` (or every family), of one table, and one chain of it, when
    /// given.
    pub fn list_rules(
        &mut self,
        family: Option<Family>,
        table: Option<&str>,
        chain: Option<&str>,
    ) -> Result<Vec<RuleInfo>, NftError> {
        let mut rules = Vec::new();
        let build = |msg: &mut Message<'_>| {
            if let Some(table) = table {
                msg.put_strz(NFTA_RULE_TABLE, table)?;
                if let Some(chain) = chain {
                    msg.put_strz(NFTA_RULE_CHAIN, chain)?;
                }
            }
            Ok(())
        };
        for family in families(family) {
            rules.extend(self.dump(NFT_MSG_GETRULE, family, build, |msg, out| {
                let rule = rule_info(msg, family)?;
                let wanted = table.map_or(true, |t| t == rule.table)
                    && chain.map_or(true, |c| c == rule.chain);
                if wanted {
                    out.push(rule);
                }
                Ok(())
            })?);
        }
        Ok(rules)
    }

    /// Runs one dump of `cmd` for `family` and hands each reply of the matching NEW type to
    /// `parse`; a dump the kernel marks as interrupted is thrown away and run again.
    ///
    /// The dump is always read to its end, even after `parse` fails, so that no reply is left
    /// for the next request.
    fn dump<T>(
        &mut self,
        cmd: u16,
        family: Family,
        build: impl Fn(&mut Message<'_>) -> Result<(), EncodeError>,
        mut parse: impl FnMut(&MessageView<'_>, &mut Vec<T>) -> Result<(), NftError>,
    ) -> Result<Vec<T>, NftError> {
        // Replies to a GET command are of the NEW command just below it.
        let reply_type = msg_type(cmd - 1);
        for attempt in 1..=DUMP_ATTEMPTS {
            let mut out = Vec::new();
            let mut error = None;
            let mut interrupted = false;
            self.request(msg_type(cmd), NLM_F_DUMP, family, &build, |msg| {
                interrupted |= msg.flags() & NLM_F_DUMP_INTR != 0;
                if error.is_none() && msg.msg_type() == reply_type {
                    error = parse(msg, &mut out).err();
                }
            })?;
            if let Some(error) = error {
                return Err(error);
            }
            if !interrupted {
                return Ok(out);
            }
            log::debug!(
                "dump of {} interrupted (attempt {attempt})",
                msg_type_name(cmd)
            );
        }
        Err(NftError::Invalid {
            object: format!("{} dump", msg_type_name(cmd)),
            reason: format!("interrupted {DUMP_ATTEMPTS} times: the ruleset kept changing"),
        })
    }
}

/// Name of the nf_tables command `cmd`.
fn msg_type_name(cmd: u16) -> String {
    super::msg_type_name(msg_type(cmd))
}

/// The families to dump: the one given, or all of them.
fn families(family: Option<Family>) -> Vec<Family> {
    match family {
        Some(family) => vec![family],
        None => {
            use Family::*;
            vec![Ip, Ip6, Inet, Arp, Bridge, Netdev]
        }
    }
}

/// The family in a reply's nfgenmsg, or `fallback` (the family asked for).
fn reply_family(msg: &MessageView<'_>, fallback: Family) -> Family {
    msg.payload()
        .first()
        .and_then(|&n| Family::from_nfproto(n))
        .unwrap_or(fallback)
}

/// The attributes of a reply, indexed by type.
fn fields<'a>(msg: &MessageView<'a>) -> Result<Fields<'a>, NftError> {
    if let Some(Err(e)) = msg.attrs(NFGENMSG_LEN).find(Result::is_err) {
        return Err(TransportError::from(e).into());
    }
    Fields::of_attrs(msg.attrs(NFGENMSG_LEN)).ok_or_else(|| missing(msg, "well-formed attributes"))
}

/// The error for a reply that lacks `what`.
fn missing(msg: &MessageView<'_>, what: &str) -> NftError {
    NftError::Invalid {
        object: format!("{} reply", msg_type_name(msg.msg_type())),
        reason: format!("no {what}"),
    }
}

fn required_str(
    msg: &MessageView<'_>,
    f: &Fields<'_>,
    t: u16,
    what: &str,
) -> Result<String, NftError> {
    f.str(t)
        .map(str::to_string)
        .ok_or_else(|| missing(msg, what))
}

/// The comment TLV (of type `tlv`) in a userdata attribute, if any.
fn udata_comment(udata: Option<&[u8]>, tlv: u8) -> Option<String> {
    let mut rest = udata?;
    while let [t, len, tail @ ..] = rest {
        let value = tail.get(..usize::from(*len))?;
        if *t == tlv {
            let end = value.iter().position(|&b| b == 0).unwrap_or(value.len());
            return std::str::from_utf8(&value[..end]).ok().map(str::to_string);
        }
        rest = &tail[usize::from(*len)..];
    }
    None
}

fn table_info(msg: &MessageView<'_>, family: Family) -> Result<TableInfo, NftError> {
    let f = fields(msg)?;
    Ok(TableInfo {
        family: reply_family(msg, family),
        name: required_str(msg, &f, NFTA_TABLE_NAME, "table name")?,
        handle: f.be64(NFTA_TABLE_HANDLE).unwrap_or(0),
        flags: f.be32(NFTA_TABLE_FLAGS).unwrap_or(0),
        uses: f.be32(NFTA_TABLE_USE).unwrap_or(0),
        comment: udata_comment(f.bytes(NFTA_TABLE_USERDATA), NFTNL_UDATA_COMMENT),
    })
}

fn chain_info(msg: &MessageView<'_>, family: Family) -> Result<ChainInfo, NftError> {
    let f = fields(msg)?;
    let family = reply_family(msg, family);
    let mut hook_number = None;
    let mut base = None;
    if let Some(hook) = f.get(NFTA_CHAIN_HOOK).and_then(Fields::of) {
        hook_number = hook.be32(NFTA_HOOK_HOOKNUM);
        let named = hook_number.and_then(|n| hook_of(family, n));
        let device = hook.str(NFTA_HOOK_DEV).map(str::to_string).or_else(|| {
            let devs = hook.get(NFTA_HOOK_DEVS)?;
            let first = devs
                .nested()
                .flatten()
                .find(|a| a.kind() == NFTA_DEVICE_NAME)?;
            first.str().map(str::to_string)
        });
        if let (Some(hook), Some(priority)) = (named, hook.be32(NFTA_HOOK_PRIORITY)) {
            base = Some(BaseChain {
                chain_type: f.str(NFTA_CHAIN_TYPE).unwrap_or("filter").to_string(),
                hook,
                priority: priority as i32,
                policy_accept: f
                    .be32(NFTA_CHAIN_POLICY)
                    .map_or(true, |p| p == NF_ACCEPT as u32),
                device,
            });
        }
    }
    Ok(ChainInfo {
        family,
        table: required_str(msg, &f, NFTA_CHAIN_TABLE, "chain table")?,
        name: required_str(msg, &f, NFTA_CHAIN_NAME, "chain name")?,
        handle: f.be64(NFTA_CHAIN_HANDLE).unwrap_or(0),
        base,
        hook_number,
        uses: f.be32(NFTA_CHAIN_USE).unwrap_or(0),
        flags: f.be32(NFTA_CHAIN_FLAGS).unwrap_or(0),
        comment: udata_comment(f.bytes(NFTA_CHAIN_USERDATA), NFTNL_UDATA_COMMENT),
    })
}

/// The hook with number `n` in `family` (netdev numbers its ingress hook 0).
fn hook_of(family: Family, n: u32) -> Option<Hook> {
    if family == Family::Netdev {
        return (n == 0).then_some(Hook::Ingress);
    }
    use Hook::*;
    [Prerouting, Input, Forward, Output, Postrouting, Ingress]
        .into_iter()
        .find(|h| h.number(family) == n)
}

/// The basic type with nft's datatype id `id`.
fn key_type_of(id: u32) -> Option<KeyType> {
    use KeyType::*;
    [
        Ipv4Addr,
        Ipv6Addr,
        InetService,
        InetProto,
        EtherAddr,
        Mark,
        Ifname,
        Verdict,
    ]
    .into_iter()
    .find(|t| t.id() == id)
}

/// The key type of a set: one basic type, or a concatenation (ids joined 6 bits apiece).
fn key_of(id: u32, len: u32) -> Option<Key> {
    if let Some(single) = key_type_of(id).filter(|t| t.len() == len) {
        return Some(Key(vec![single]));
    }
    let mut parts = Vec::new();
    let mut rest = id;
    while rest != 0 {
        parts.push(key_type_of(rest & 0x3f)?);
        rest >>= 6;
    }
    parts.reverse();
    let key = Key(parts);
    (key.0.len() > 1 && key.len() == len).then_some(key)
}

fn set_info(msg: &MessageView<'_>, family: Family) -> Result<SetInfo, NftError> {
    let f = fields(msg)?;
    let key_type = f.be32(NFTA_SET_KEY_TYPE).unwrap_or(0);
    let key_len = f
        .be32(NFTA_SET_KEY_LEN)
        .ok_or_else(|| missing(msg, "key length"))?;
    let data_type = f.be32(NFTA_SET_DATA_TYPE);
    let desc = f.get(NFTA_SET_DESC).and_then(Fields::of);
    let field_lengths = desc
        .as_ref()
        .and_then(|d| d.get(NFTA_SET_DESC_CONCAT))
        .map(|concat| {
            let fields = concat.nested().flatten().filter_map(|e| Fields::of(&e));
            fields
                .filter_map(|field| field.be32(NFTA_SET_FIELD_LEN))
                .collect()
        })
        .unwrap_or_default();
    Ok(SetInfo {
        family: reply_family(msg, family),
        table: required_str(msg, &f, NFTA_SET_TABLE, "set table")?,
        name: required_str(msg, &f, NFTA_SET_NAME, "set name")?,
        handle: f.be64(NFTA_SET_HANDLE).unwrap_or(0),
        flags: f.be32(NFTA_SET_FLAGS).unwrap_or(0),
        key_type,
        key_len,
        key: key_of(key_type, key_len),
        data_type,
        data_len: f.be32(NFTA_SET_DATA_LEN),
        data: data_type.and_then(|t| match t {
            0xffff_ff00 => Some(KeyType::Verdict),
            t => key_type_of(t),
        }),
        size: desc.as_ref().and_then(|d| d.be32(NFTA_SET_DESC_SIZE)),
        timeout_ms: f.be64(NFTA_SET_TIMEOUT),
        gc_interval_ms: f.be32(NFTA_SET_GC_INTERVAL),
        field_lengths,
        comment: udata_comment(f.bytes(NFTA_SET_USERDATA), UDATA_SET_COMMENT),
        expressions: set_expressions(&f),
    })
}

/// The names of a set's per-element statements: one expression in `NFTA_SET_EXPR` (older
/// kernels and single statements) or a list in `NFTA_SET_EXPRESSIONS`.
fn set_expressions(f: &Fields<'_>) -> Vec<String> {
    let name = |expr: &Attr<'_>| {
        let found = expr.nested().flatten().find(|a| a.kind() == NFTA_EXPR_NAME);
        found.and_then(|a| a.str()).unwrap_or("?").to_string()
    };
    match (f.get(NFTA_SET_EXPR), f.get(NFTA_SET_EXPRESSIONS)) {
        (_, Some(list)) => list.nested().flatten().map(|e| name(&e)).collect(),
        (Some(expr), None) => vec![name(expr)],
        (None, None) => Vec::new(),
    }
}

/// Adds the elements of one NEWSETELEM reply to `out`.
fn element_infos(msg: &MessageView<'_>, out: &mut Vec<ElementInfo>) -> Result<(), NftError> {
    let f = fields(msg)?;
    let Some(list) = f.get(NFTA_SET_ELEM_LIST_ELEMENTS) else {
        return Ok(());
    };
    for elem in list.nested() {
        let elem = elem.map_err(TransportError::from)?;
        out.push(element_info(msg, &elem)?);
    }
    Ok(())
}

fn element_info(msg: &MessageView<'_>, elem: &Attr<'_>) -> Result<ElementInfo, NftError> {
    let e = Fields::of(elem).ok_or_else(|| missing(msg, "well-formed element"))?;
    let data = match e.get(NFTA_SET_ELEM_DATA) {
        None => None,
        Some(data) => match e.value(NFTA_SET_ELEM_DATA) {
            Some(value) => Some(ElementData::Value(value)),
            None => Some(ElementData::Verdict(
                Verdict::decode(data).ok_or_else(|| missing(msg, "element data"))?,
            )),
        },
    };
    Ok(ElementInfo {
        key: e
            .value(NFTA_SET_ELEM_KEY)
            .ok_or_else(|| missing(msg, "element key"))?,
        key_end: e.value(NFTA_SET_ELEM_KEY_END),
        flags: e.be32(NFTA_SET_ELEM_FLAGS).unwrap_or(0),
        data,
        timeout_ms: e.be64(NFTA_SET_ELEM_TIMEOUT),
        expires_ms: e.be64(NFTA_SET_ELEM_EXPIRATION),
        comment: udata_comment(
            e.bytes(NFTA_SET_ELEM_USERDATA),
            NFTNL_UDATA_SET_ELEM_COMMENT,
        ),
    })
}

fn rule_info(msg: &MessageView<'_>, family: Family) -> Result<RuleInfo, NftError> {
    let f = fields(msg)?;
    let mut exprs = Vec::new();
    let mut counter = None;
    if let Some(list) = f.get(NFTA_RULE_EXPRESSIONS) {
        for elem in list.nested() {
            let elem = elem.map_err(TransportError::from)?;
            let expr = Expr::decode(&elem);
            if counter.is_none() && expr == Expr::Counter {
                counter = counter_values(&elem);
            }
            exprs.push(expr);
        }
    }
    Ok(RuleInfo {
        family: reply_family(msg, family),
        table: required_str(msg, &f, NFTA_RULE_TABLE, "rule table")?,
        chain: required_str(msg, &f, NFTA_RULE_CHAIN, "rule chain")?,
        handle: f.be64(NFTA_RULE_HANDLE).unwrap_or(0),
        position: f.be64(NFTA_RULE_POSITION),
        exprs,
        counter,
        comment: udata_comment(f.bytes(NFTA_RULE_USERDATA), NFTNL_UDATA_COMMENT),
    })
}

/// Packets and bytes of a dumped `counter` expression.
fn counter_values(elem: &Attr<'_>) -> Option<(u64, u64)> {
    let data = elem
        .nested()
        .flatten()
        .find(|a| a.kind() == NFTA_EXPR_DATA)?;
    let f = Fields::of(&data)?;
    Some((f.be64(NFTA_COUNTER_PACKETS)?, f.be64(NFTA_COUNTER_BYTES)?))
}

//! Rule expressions and rules.
//!
//! Each [`Expr`] is one `NFTA_LIST_ELEM { NFTA_EXPR_NAME, NFTA_EXPR_DATA { ... } }` of a rule's
//! expression list; every integer in `NFTA_EXPR_DATA` is big-endian. [`Rule`] has shorthands
//! for the rules firewalls use most.

use super::objects::Family;
use super::wire::*;
use super::NftError;
use crate::message::{EncodeError, Message};

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

/// Meta keys (`NFT_META_*`) the common rules need.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MetaKey {
    /// Packet length.
    Len = 0,
    /// Ethertype.
    Protocol = 1,
    /// Packet mark.
    Mark = 3,
    /// Input interface index.
    Iif = 4,
    /// Output interface index.
    Oif = 5,
    /// Input interface name.
    Iifname = 6,
    /// Output interface name.
    Oifname = 7,
    /// Netfilter family of the packet (ipv4 2, ipv6 10), for inet tables.
    Nfproto = 15,
    /// Layer 4 protocol number.
    L4proto = 16,
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
    fn code(&self) -> i32 {
        match self {
            Verdict::Accept => NF_ACCEPT,
            Verdict::Drop => NF_DROP,
            Verdict::Continue => NFT_CONTINUE,
            Verdict::Return => NFT_RETURN,
            Verdict::Jump(_) => NFT_JUMP,
            Verdict::Goto(_) => NFT_GOTO,
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
    /// Look register `sreg` up in a set; `invert` matches when absent.
    Lookup {
        /// The set.
        set: SetRef,
        /// Source register.
        sreg: u32,
        /// `!=` lookup.
        invert: bool,
    },
    /// Count packets and bytes.
    Counter,
    /// Set the verdict.
    Verdict(Verdict),
}

impl Expr {
    /// The expression's name (`NFTA_EXPR_NAME`).
    pub fn name(&self) -> &'static str {
        match self {
            Expr::Payload { .. } => "payload",
            Expr::Cmp { .. } => "cmp",
            Expr::Meta { .. } => "meta",
            Expr::Lookup { .. } => "lookup",
            Expr::Counter => "counter",
            Expr::Verdict(_) => "immediate",
        }
    }

    /// Writes the expression as one element of a rule's expression list.
    pub fn encode(&self, msg: &mut Message<'_>) -> Result<(), EncodeError> {
        let elem = msg.begin_nest(NFTA_LIST_ELEM)?;
        msg.put_strz(NFTA_EXPR_NAME, self.name())?;
        let data = msg.begin_nest(NFTA_EXPR_DATA)?;
        match self {
            Expr::Payload { base, offset, len, dreg } => {
                msg.put_be32(1, *dreg)?; // NFTA_PAYLOAD_DREG
                msg.put_be32(2, *base as u32)?; // NFTA_PAYLOAD_BASE
                msg.put_be32(3, *offset)?; // NFTA_PAYLOAD_OFFSET
                msg.put_be32(4, *len)?; // NFTA_PAYLOAD_LEN
            }
            Expr::Cmp { sreg, op, data } => {
                msg.put_be32(1, *sreg)?; // NFTA_CMP_SREG
                msg.put_be32(2, *op as u32)?; // NFTA_CMP_OP
                let value = msg.begin_nest(3)?; // NFTA_CMP_DATA
                msg.put(NFTA_DATA_VALUE, data)?;
                msg.end_nest(value)?;
            }
            Expr::Meta { key, dreg } => {
                msg.put_be32(2, *key as u32)?; // NFTA_META_KEY
                msg.put_be32(1, *dreg)?; // NFTA_META_DREG
            }
            Expr::Lookup { set, sreg, invert } => {
                msg.put_be32(2, *sreg)?; // NFTA_LOOKUP_SREG
                match set {
                    SetRef::Name(name) => msg.put_strz(1, name)?, // NFTA_LOOKUP_SET
                    SetRef::NameAndId(name, id) => {
                        msg.put_strz(1, name)?;
                        msg.put_be32(4, *id)?; // NFTA_LOOKUP_SET_ID
                    }
                }
                if *invert {
                    msg.put_be32(5, 1)?; // NFTA_LOOKUP_FLAGS: NFT_LOOKUP_F_INV
                }
            }
            Expr::Counter => {}
            Expr::Verdict(verdict) => {
                msg.put_be32(1, NFT_REG_VERDICT)?; // NFTA_IMMEDIATE_DREG
                let imm = msg.begin_nest(2)?; // NFTA_IMMEDIATE_DATA
                let v = msg.begin_nest(NFTA_DATA_VERDICT)?;
                msg.put_be32(NFTA_VERDICT_CODE, verdict.code() as u32)?;
                if let Verdict::Jump(chain) | Verdict::Goto(chain) = verdict {
                    msg.put_strz(NFTA_VERDICT_CHAIN, chain)?;
                }
                msg.end_nest(v)?;
                msg.end_nest(imm)?;
            }
        }
        msg.end_nest(data)?;
        msg.end_nest(elem)
    }
}

/// A rule: a chain and its expressions.
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
}

impl Rule {
    /// An empty rule in `chain`.
    pub fn new(family: Family, table: &str, chain: &str) -> Rule {
        Rule { family, table: table.into(), chain: chain.into(), exprs: Vec::new() }
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
        self.with(Expr::Meta { key: MetaKey::Nfproto, dreg: NFT_REG_1 })
            .with(Expr::Cmp { sreg: NFT_REG_1, op: CmpOp::Eq, data: vec![nfproto] })
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
        let (nfproto, offset, len) = if ipv6 { (NFPROTO_IPV6, 8, 16) } else { (NFPROTO_IPV4, 12, 4) };
        Rule::new(family, table, chain)
            .only_family(nfproto)
            .with(Expr::Payload { base: PayloadBase::Network, offset, len, dreg: NFT_REG_1 })
            .with(Expr::Lookup { set, sreg: NFT_REG_1, invert: false })
            .with(Expr::Counter)
            .with(Expr::Verdict(verdict))
    }

    /// Checks names and the expression count before encoding.
    pub fn validate(&self) -> Result<(), NftError> {
        super::objects::check_name("table", &self.table)?;
        super::objects::check_name("chain", &self.chain)?;
        if self.exprs.len() > NFT_RULE_MAXEXPRS {
            return Err(NftError::Invalid {
                object: format!("rule in chain {}", self.chain),
                reason: format!("{} expressions, at most {NFT_RULE_MAXEXPRS}", self.exprs.len()),
            });
        }
        Ok(())
    }
}

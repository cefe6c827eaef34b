//! nf_tables and nfnetlink numbers, spelled as in the kernel's uapi headers
//! (`linux/netfilter/nfnetlink.h`, `linux/netfilter/nf_tables.h`).
#![allow(missing_docs)]

/// nfnetlink subsystem id of nf_tables.
pub const NFNL_SUBSYS_NFTABLES: u16 = 10;
/// Batch framing: begin.
pub const NFNL_MSG_BATCH_BEGIN: u16 = 0x10;
/// Batch framing: end.
pub const NFNL_MSG_BATCH_END: u16 = 0x11;
/// `NFNL_BATCH_GENID` attribute of BATCH_BEGIN (be32).
pub const NFNL_BATCH_GENID: u16 = 1;
/// Size of `struct nfgenmsg`.
pub const NFGENMSG_LEN: usize = 4;

/// Message type of an nf_tables command.
pub const fn msg_type(cmd: u16) -> u16 {
    (NFNL_SUBSYS_NFTABLES << 8) | cmd
}

pub const NFT_MSG_NEWTABLE: u16 = 0;
pub const NFT_MSG_GETTABLE: u16 = 1;
pub const NFT_MSG_DELTABLE: u16 = 2;
pub const NFT_MSG_NEWCHAIN: u16 = 3;
pub const NFT_MSG_GETCHAIN: u16 = 4;
pub const NFT_MSG_DELCHAIN: u16 = 5;
pub const NFT_MSG_NEWRULE: u16 = 6;
pub const NFT_MSG_GETRULE: u16 = 7;
pub const NFT_MSG_DELRULE: u16 = 8;
pub const NFT_MSG_NEWSET: u16 = 9;
pub const NFT_MSG_GETSET: u16 = 10;
pub const NFT_MSG_DELSET: u16 = 11;
pub const NFT_MSG_NEWSETELEM: u16 = 12;
pub const NFT_MSG_GETSETELEM: u16 = 13;
pub const NFT_MSG_DELSETELEM: u16 = 14;
pub const NFT_MSG_NEWGEN: u16 = 15;
pub const NFT_MSG_GETGEN: u16 = 16;

pub const NFTA_LIST_ELEM: u16 = 1;

pub const NFTA_TABLE_NAME: u16 = 1;
pub const NFTA_TABLE_FLAGS: u16 = 2;
pub const NFTA_TABLE_USE: u16 = 3;
pub const NFTA_TABLE_HANDLE: u16 = 4;
pub const NFTA_TABLE_USERDATA: u16 = 6;

pub const NFTA_CHAIN_TABLE: u16 = 1;
pub const NFTA_CHAIN_HANDLE: u16 = 2;
pub const NFTA_CHAIN_NAME: u16 = 3;
pub const NFTA_CHAIN_HOOK: u16 = 4;
pub const NFTA_CHAIN_POLICY: u16 = 5;
pub const NFTA_CHAIN_USE: u16 = 6;
pub const NFTA_CHAIN_TYPE: u16 = 7;
pub const NFTA_CHAIN_FLAGS: u16 = 10;
pub const NFTA_CHAIN_ID: u16 = 11;
pub const NFTA_CHAIN_USERDATA: u16 = 12;

pub const NFTA_HOOK_HOOKNUM: u16 = 1;
pub const NFTA_HOOK_PRIORITY: u16 = 2;
pub const NFTA_HOOK_DEV: u16 = 3;

pub const NFTA_RULE_TABLE: u16 = 1;
pub const NFTA_RULE_CHAIN: u16 = 2;
pub const NFTA_RULE_HANDLE: u16 = 3;
pub const NFTA_RULE_EXPRESSIONS: u16 = 4;
pub const NFTA_RULE_POSITION: u16 = 6;
pub const NFTA_RULE_USERDATA: u16 = 7;
pub const NFTA_RULE_ID: u16 = 9;
pub const NFTA_RULE_CHAIN_ID: u16 = 11;

pub const NFTA_EXPR_NAME: u16 = 1;
pub const NFTA_EXPR_DATA: u16 = 2;

pub const NFTA_SET_TABLE: u16 = 1;
pub const NFTA_SET_NAME: u16 = 2;
pub const NFTA_SET_FLAGS: u16 = 3;
pub const NFTA_SET_KEY_TYPE: u16 = 4;
pub const NFTA_SET_KEY_LEN: u16 = 5;
pub const NFTA_SET_DATA_TYPE: u16 = 6;
pub const NFTA_SET_DATA_LEN: u16 = 7;
pub const NFTA_SET_POLICY: u16 = 8;
pub const NFTA_SET_DESC: u16 = 9;
pub const NFTA_SET_ID: u16 = 10;
pub const NFTA_SET_TIMEOUT: u16 = 11;
pub const NFTA_SET_GC_INTERVAL: u16 = 12;
pub const NFTA_SET_USERDATA: u16 = 13;
pub const NFTA_SET_HANDLE: u16 = 16;
pub const NFTA_SET_EXPR: u16 = 17;
pub const NFTA_SET_EXPRESSIONS: u16 = 18;

pub const NFTA_SET_DESC_SIZE: u16 = 1;
pub const NFTA_SET_DESC_CONCAT: u16 = 2;
pub const NFTA_SET_FIELD_LEN: u16 = 1;

pub const NFTA_SET_ELEM_LIST_TABLE: u16 = 1;
pub const NFTA_SET_ELEM_LIST_SET: u16 = 2;
pub const NFTA_SET_ELEM_LIST_ELEMENTS: u16 = 3;
pub const NFTA_SET_ELEM_LIST_SET_ID: u16 = 4;

pub const NFTA_SET_ELEM_KEY: u16 = 1;
pub const NFTA_SET_ELEM_DATA: u16 = 2;
pub const NFTA_SET_ELEM_FLAGS: u16 = 3;
pub const NFTA_SET_ELEM_TIMEOUT: u16 = 4;
pub const NFTA_SET_ELEM_EXPIRATION: u16 = 5;
pub const NFTA_SET_ELEM_USERDATA: u16 = 6;
pub const NFTA_SET_ELEM_KEY_END: u16 = 10;

pub const NFTA_DATA_VALUE: u16 = 1;
pub const NFTA_DATA_VERDICT: u16 = 2;
pub const NFTA_VERDICT_CODE: u16 = 1;
pub const NFTA_VERDICT_CHAIN: u16 = 2;
pub const NFTA_VERDICT_CHAIN_ID: u16 = 3;

pub const NFTA_GEN_ID: u16 = 1;

pub const NFT_TABLE_F_DORMANT: u32 = 0x1;
pub const NFT_TABLE_F_OWNER: u32 = 0x2;

pub const NFT_SET_ANONYMOUS: u32 = 0x1;
pub const NFT_SET_CONSTANT: u32 = 0x2;
pub const NFT_SET_INTERVAL: u32 = 0x4;
pub const NFT_SET_MAP: u32 = 0x8;
pub const NFT_SET_TIMEOUT: u32 = 0x10;
pub const NFT_SET_EVAL: u32 = 0x20;
pub const NFT_SET_OBJECT: u32 = 0x40;
pub const NFT_SET_CONCAT: u32 = 0x80;
pub const NFT_SET_ELEM_INTERVAL_END: u32 = 0x1;

/// Userdata TLV of a set (libnftnl): key byte order.
pub const NFTNL_UDATA_SET_KEYBYTEORDER: u8 = 0;
/// Userdata TLV of a set (libnftnl): data byte order.
pub const NFTNL_UDATA_SET_DATABYTEORDER: u8 = 1;
/// Userdata TLV of a set (libnftnl): comment, as nft 1.0.6 writes and reads it.
pub const NFTNL_UDATA_SET_COMMENT: u8 = 7;
/// Userdata TLV of an element (libnftnl): flags.
pub const NFTNL_UDATA_SET_ELEM_FLAGS: u8 = 1;
/// Userdata TLV of an element (libnftnl): comment.
pub const NFTNL_UDATA_SET_ELEM_COMMENT: u8 = 0;
/// Element userdata flag: an interval open at the top of the address space.
pub const NFTNL_SET_ELEM_F_INTERVAL_OPEN: u32 = 0x1;
/// Userdata TLV of a table, a chain and a rule (libnftnl): comment.
pub const NFTNL_UDATA_COMMENT: u8 = 0;
/// nft's byte order code for big-endian keys.
pub const BYTEORDER_BIG_ENDIAN: u32 = 2;
/// nft's byte order code for host-order keys.
pub const BYTEORDER_HOST_ENDIAN: u32 = 1;

pub const NFT_REG_VERDICT: u32 = 0;
pub const NFT_REG_1: u32 = 1;

pub const NF_DROP: i32 = 0;
pub const NF_ACCEPT: i32 = 1;
pub const NFT_CONTINUE: i32 = -1;
pub const NFT_BREAK: i32 = -2;
pub const NFT_JUMP: i32 = -3;
pub const NFT_GOTO: i32 = -4;
pub const NFT_RETURN: i32 = -5;

pub const NFPROTO_UNSPEC: u8 = 0;
pub const NFPROTO_INET: u8 = 1;
pub const NFPROTO_IPV4: u8 = 2;
pub const NFPROTO_ARP: u8 = 3;
pub const NFPROTO_NETDEV: u8 = 5;
pub const NFPROTO_BRIDGE: u8 = 7;
pub const NFPROTO_IPV6: u8 = 10;

/// Longest name the kernel accepts, NUL excluded (`NFT_NAME_MAXLEN - 1`).
pub const NFT_NAME_MAXLEN: usize = 255;
/// Longest userdata (comments live there), in bytes (`NFT_USERDATA_MAXLEN`).
pub const NFT_USERDATA_MAXLEN: usize = 256;
/// Most expressions in one rule (`NFT_RULE_MAXEXPRS`).
pub const NFT_RULE_MAXEXPRS: usize = 128;

//! The words nft's parser reads as keywords where a table or chain name stands.
//!
//! `nft list ruleset` prints names without quotes, so a table or chain named after one of these
//! words (`table`, `counter`, `drop`, ...) makes a listing that `nft -f` cannot read back. The
//! list was measured against nft 1.0.6: every word its scanner knows was tried as the name in
//! `table inet NAME { }` and `table inet t { chain NAME { } }` with `nft -c -f`, and these
//! are the 153 that failed in both places (`tests/load.rs` checks them against the
//! installed nft). Words a parser treats as keywords only in other contexts (`saddr` after
//! `ip`, say) read back fine.
//!
//! # Limitations
//!
//! Newer nft versions know more keywords; a name that is a keyword only there is not caught.

/// The keywords, sorted (for [`is_keyword`]'s binary search).
pub const KEYWORDS: &[&str] = &[
    "accept",
    "add",
    "ah",
    "all",
    "and",
    "arp",
    "auto-merge",
    "bridge",
    "cgroup",
    "chain",
    "comment",
    "comp",
    "constant",
    "continue",
    "counter",
    "cpu",
    "create",
    "ct",
    "day",
    "dccp",
    "define",
    "delete",
    "describe",
    "device",
    "devices",
    "dnat",
    "drop",
    "dst",
    "dup",
    "dynamic",
    "ecn",
    "element",
    "elements",
    "eq",
    "esp",
    "ether",
    "exists",
    "expires",
    "export",
    "exthdr",
    "fib",
    "flags",
    "flow",
    "flowtable",
    "flush",
    "frag",
    "fwd",
    "gc-interval",
    "ge",
    "get",
    "goto",
    "gt",
    "handle",
    "hbh",
    "hook",
    "hour",
    "ibriport",
    "ibrname",
    "icmp",
    "icmpv6",
    "igmp",
    "iif",
    "iifgroup",
    "iifname",
    "iiftype",
    "import",
    "include",
    "index",
    "inet",
    "insert",
    "interval",
    "ip",
    "ip6",
    "ipsec",
    "jhash",
    "jump",
    "le",
    "limit",
    "list",
    "log",
    "lshift",
    "lt",
    "map",
    "mark",
    "masquerade",
    "meta",
    "meter",
    "mh",
    "missing",
    "monitor",
    "ne",
    "netdev",
    "nftrace",
    "not",
    "notrack",
    "numgen",
    "obriport",
    "obrname",
    "offload",
    "oif",
    "oifgroup",
    "oifname",
    "oiftype",
    "or",
    "osf",
    "pkttype",
    "policy",
    "position",
    "priority",
    "queue",
    "quota",
    "random",
    "redefine",
    "redirect",
    "reject",
    "rename",
    "replace",
    "reset",
    "return",
    "rshift",
    "rt",
    "rt0",
    "rt2",
    "rtclassid",
    "rule",
    "ruleset",
    "sctp",
    "secmark",
    "set",
    "size",
    "skgid",
    "skuid",
    "snat",
    "socket",
    "srh",
    "symhash",
    "synproxy",
    "table",
    "tcp",
    "th",
    "time",
    "timeout",
    "tproxy",
    "type",
    "typeof",
    "udp",
    "udplite",
    "undefine",
    "update",
    "vlan",
    "vmap",
    "xor",
    "xt",
];

/// True when `name` is one of [`KEYWORDS`].
pub fn is_keyword(name: &str) -> bool {
    KEYWORDS.binary_search(&name).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorted_and_found() {
        assert!(
            KEYWORDS.windows(2).all(|w| w[0] < w[1]),
            "sorted, no duplicates"
        );
        for word in [
            "table", "chain", "counter", "drop", "accept", "ip", "inet", "log",
        ] {
            assert!(is_keyword(word), "{word}");
        }
        for name in [
            "nlbatch",
            "input",
            "blocklist",
            "fw",
            "filter",
            "saddr",
            "counters",
        ] {
            assert!(!is_keyword(name), "{name}");
        }
    }
}

//! Kernel tests of the nftables vocabulary: every object and expression is committed in a
//! private network namespace, and `nft list ruleset` (nft 1.0.6, the independent oracle) must
//! print what was meant. Read-back tests compare what the dump API returns with what was
//! loaded.

mod common;

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use nlbatch::addr::{V4Range, V6Range};
use nlbatch::nft::wire::{
    NFPROTO_IPV4, NFT_REG_1, NFT_SET_CONSTANT, NFT_SET_ELEM_INTERVAL_END, NFT_SET_INTERVAL,
    NFT_SET_TIMEOUT,
};
use nlbatch::nft::{
    BaseChain, Chain, CmpOp, CtState, Delete, Element, ElementData, ElementInfo, Expr, Family,
    Hook, Key, KeyType, Limit, LimitUnit, Log, LogLevel, MetaKey, NftError, Nftables, PayloadBase,
    Placement, Rule, Set, SetRef, SetTarget, Table, Transaction, Verdict, IPPROTO_ICMP,
    IPPROTO_TCP, IPPROTO_UDP, NF_NAT_RANGE_PROTO_RANDOM,
};

/// An open transaction.
fn transaction() -> Transaction {
    let mut tx = Transaction::new(Default::default()).unwrap();
    tx.begin(None).unwrap();
    tx
}

/// Ends and commits `tx`, which must be confirmed (Linux 6.10 and later acknowledge
/// BATCH_END).
fn commit(nft: &mut Nftables, mut tx: Transaction) {
    tx.end().unwrap();
    let report = nft.commit(&mut tx).unwrap();
    assert!(report.confirmed, "the kernel confirms the commit");
}

/// Opens a socket and commits one transaction built by `build`.
fn load(build: impl FnOnce(&mut Transaction) -> Result<(), NftError>) -> Nftables {
    let mut nft = Nftables::open().unwrap();
    let mut tx = transaction();
    build(&mut tx).unwrap();
    commit(&mut nft, tx);
    nft
}

/// Table `t` of `family` with the base chain `c` (filter, input, priority 0, accept).
fn filter_table(tx: &mut Transaction, family: Family) -> Result<(), NftError> {
    tx.add_table(&Table::new(family, "t"))?;
    tx.add_chain(&Chain::filter(family, "t", "c", Hook::Input, 0))?;
    Ok(())
}

/// A rule in chain `c` of the inet table `t`.
fn rule() -> Rule {
    Rule::new(Family::Inet, "t", "c")
}

/// `nft -s list ruleset`: stateless, so that elements show no time left to expire.
fn stateless_ruleset() -> String {
    common::normalise(&common::nft(&["-s", "list", "ruleset"]))
}

/// Expected `nft list ruleset` text, indentation and blank lines removed.
fn expect(text: &str) -> String {
    common::normalise(text)
}

fn v4(a: [u8; 4]) -> u32 {
    u32::from_be_bytes(a)
}

fn ip(a: [u8; 4]) -> IpAddr {
    IpAddr::V4(Ipv4Addr::from(a))
}

#[test]
fn tables_and_chains() {
    common::in_netns("tables_and_chains", || {
        let mut nft = load(|tx| {
            let mut table = Table::new(Family::Inet, "t");
            table.comment = Some("edge firewall".into());
            tx.add_table(&table)?;
            let mut input = Chain::filter(Family::Inet, "t", "c", Hook::Input, -10);
            if let Some(base) = input.base.as_mut() {
                base.policy_accept = false;
            }
            input.comment = Some("from outside".into());
            tx.add_chain(&input)?;
            tx.add_chain(&Chain::regular(Family::Inet, "t", "other"))?;
            tx.add_table(&Table::new(Family::Ip6, "t6"))?;
            tx.add_chain(&Chain::filter(Family::Ip6, "t6", "out", Hook::Output, 100))?;
            Ok(())
        });
        let expected = expect(
            r#"table inet t {
                comment "edge firewall"
                chain c {
                    comment "from outside"
                    type filter hook input priority filter - 10; policy drop;
                }
                chain other {
                }
            }
            table ip6 t6 {
                chain out {
                    type filter hook output priority 100; policy accept;
                }
            }"#,
        );
        assert_eq!(common::ruleset(), expected);

        let tables = nft.list_tables(None).unwrap();
        let names: Vec<_> = tables.iter().map(|t| (t.family, t.name.as_str())).collect();
        assert_eq!(names, [(Family::Ip6, "t6"), (Family::Inet, "t")]);
        let t = tables.iter().find(|t| t.name == "t").unwrap();
        assert_eq!((t.flags, t.comment.as_deref()), (0, Some("edge firewall")));

        let chains = nft.list_chains(Some(Family::Inet), Some("t")).unwrap();
        assert_eq!(chains.len(), 2);
        let c = chains.iter().find(|c| c.name == "c").unwrap();
        let base = BaseChain {
            chain_type: "filter".into(),
            hook: Hook::Input,
            priority: -10,
            policy_accept: false,
            device: None,
        };
        assert_eq!(c.base.as_ref(), Some(&base));
        assert_eq!(
            (c.hook_number, c.comment.as_deref()),
            (Some(1), Some("from outside"))
        );
        let other = chains.iter().find(|c| c.name == "other").unwrap();
        assert_eq!((other.base.as_ref(), other.hook_number), (None, None));
        assert!(nft.list_chains(Some(Family::Ip), None).unwrap().is_empty());
    });
}

#[test]
fn sets_of_every_key_type() {
    common::in_netns("sets_of_every_key_type", || {
        let cases: [(&str, Key, Vec<Vec<u8>>); 8] = [
            ("v4", KeyType::Ipv4Addr.into(), vec![vec![192, 0, 2, 1]]),
            (
                "v6",
                KeyType::Ipv6Addr.into(),
                vec!["2001:db8::1".parse::<Ipv6Addr>().unwrap().octets().to_vec()],
            ),
            (
                "ports",
                KeyType::InetService.into(),
                vec![22u16.to_be_bytes().to_vec(), 443u16.to_be_bytes().to_vec()],
            ),
            (
                "protos",
                KeyType::InetProto.into(),
                vec![vec![IPPROTO_TCP], vec![IPPROTO_UDP]],
            ),
            (
                "macs",
                KeyType::EtherAddr.into(),
                vec![vec![0x02, 0, 0, 0, 0, 0x01]],
            ),
            (
                "marks",
                KeyType::Mark.into(),
                vec![0x10u32.to_ne_bytes().to_vec()],
            ),
            ("ifaces", KeyType::Ifname.into(), vec![ifname("eth0")]),
            (
                "pairs",
                Key(vec![KeyType::Ipv4Addr, KeyType::InetService]),
                vec![[&[10, 0, 0, 1][..], &[0, 22, 0, 0]].concat()],
            ),
        ];
        let mut nft = load(|tx| {
            tx.add_table(&Table::new(Family::Inet, "t"))?;
            for (name, key, keys) in &cases {
                let target = tx.add_set(&Set::new(Family::Inet, "t", name, key.clone()))?;
                tx.add_keys(&target, keys.iter().map(Vec::as_slice))?;
            }
            Ok(())
        });
        let expected = expect(
            r#"table inet t {
                set v4 {
                    type ipv4_addr
                    elements = { 192.0.2.1 }
                }
                set v6 {
                    type ipv6_addr
                    elements = { 2001:db8::1 }
                }
                set ports {
                    type inet_service
                    elements = { 22, 443 }
                }
                set protos {
                    type inet_proto
                    elements = { tcp, udp }
                }
                set macs {
                    type ether_addr
                    elements = { 02:00:00:00:00:01 }
                }
                set marks {
                    type mark
                    elements = { 0x00000010 }
                }
                set ifaces {
                    type ifname
                    elements = { "eth0" }
                }
                set pairs {
                    type ipv4_addr . inet_service
                    elements = { 10.0.0.1 . 22 }
                }
            }"#,
        );
        assert_eq!(common::ruleset(), expected);

        let sets = nft.list_sets(Some(Family::Inet), Some("t")).unwrap();
        assert_eq!(sets.len(), cases.len());
        assert_eq!(
            nft.list_sets(None, Some("t")).unwrap(),
            sets,
            "other families have no t"
        );
        for (name, key, keys) in &cases {
            let set = sets.iter().find(|s| s.name == *name).unwrap();
            assert_eq!(set.key.as_ref(), Some(key), "key of set {name}");
            assert_eq!(set.key_len, key.len(), "key length of set {name}");
            let mut found: Vec<Vec<u8>> = nft
                .list_elements(Family::Inet, "t", name)
                .unwrap()
                .into_iter()
                .map(|e| e.key)
                .collect();
            found.sort();
            assert_eq!(&found, keys, "elements of set {name}");
        }
        let pairs = sets.iter().find(|s| s.name == "pairs").unwrap();
        assert!(
            pairs.field_lengths.is_empty(),
            "field lengths go with intervals only"
        );
    });
}

/// An interface name as an `ifname` key: NUL-padded to 16 bytes.
fn ifname(name: &str) -> Vec<u8> {
    let mut key = name.as_bytes().to_vec();
    key.resize(16, 0);
    key
}

#[test]
fn set_flags_size_and_timeouts() {
    common::in_netns("set_flags_size_and_timeouts", || {
        let mut constant = Set::new(Family::Inet, "t", "fixed", KeyType::InetService);
        constant.flags = NFT_SET_CONSTANT;
        let mut timed = Set::new(Family::Inet, "t", "recent", KeyType::Ipv4Addr);
        timed.timeout_ms = Some(3_600_000);
        timed.size = Some(1000);
        let mut bare_timeout = Set::new(Family::Inet, "t", "bare", KeyType::Ipv4Addr);
        bare_timeout.flags = NFT_SET_TIMEOUT;
        let v6 = Set::new(Family::Inet, "t", "nets6", KeyType::Ipv6Addr).interval();
        let mut nft = load(|tx| {
            tx.add_table(&Table::new(Family::Inet, "t"))?;
            let fixed = tx.add_set(&constant)?;
            tx.add_keys(&fixed, [&22u16.to_be_bytes()[..]])?;
            let recent = tx.add_set(&timed)?;
            let elements = [
                Element::key(&[192, 0, 2, 1])
                    .with_timeout_ms(7_200_000)
                    .with_comment("scanner"),
                Element::key(&[192, 0, 2, 2]),
            ];
            tx.add_elements(&recent, &elements)?;
            let bare = tx.add_set(&bare_timeout)?;
            tx.add_elements(
                &bare,
                &[Element::key(&[192, 0, 2, 3]).with_timeout_ms(60_000)],
            )?;
            let nets6 = tx.add_set(&v6)?;
            let lo = u128::from("2001:db8::".parse::<Ipv6Addr>().unwrap());
            tx.add_v6_intervals(
                &nets6,
                &[V6Range {
                    lo,
                    hi: lo + 0xffff,
                }],
            )?;
            Ok(())
        });
        let expected = expect(
            r#"table inet t {
                set fixed {
                    type inet_service
                    flags constant
                    elements = { 22 }
                }
                set recent {
                    type ipv4_addr
                    size 1000
                    timeout 1h
                    elements = { 192.0.2.1 timeout 2h comment "scanner", 192.0.2.2 }
                }
                set bare {
                    type ipv4_addr
                    flags timeout
                    elements = { 192.0.2.3 timeout 1m }
                }
                set nets6 {
                    type ipv6_addr
                    flags interval
                    elements = { 2001:db8::/112 }
                }
            }"#,
        );
        assert_eq!(stateless_ruleset(), expected);

        let sets = nft.list_sets(Some(Family::Inet), None).unwrap();
        let recent = sets.iter().find(|s| s.name == "recent").unwrap();
        assert_eq!(recent.flags, NFT_SET_TIMEOUT);
        assert_eq!(
            (recent.size, recent.timeout_ms),
            (Some(1000), Some(3_600_000))
        );
        let fixed = sets.iter().find(|s| s.name == "fixed").unwrap();
        assert_eq!(fixed.flags, NFT_SET_CONSTANT);
        let nets6 = sets.iter().find(|s| s.name == "nets6").unwrap();
        assert_eq!(nets6.flags, NFT_SET_INTERVAL);

        let mut elements = nft.list_elements(Family::Inet, "t", "recent").unwrap();
        elements.sort_by(|a, b| a.key.cmp(&b.key));
        let first = &elements[0];
        assert_eq!(first.key, [192, 0, 2, 1]);
        assert_eq!(first.timeout_ms, Some(7_200_000));
        assert_eq!(first.comment.as_deref(), Some("scanner"));
        assert!(first
            .expires_ms
            .is_some_and(|left| left <= 7_200_000 && left > 7_000_000));
        let second = &elements[1];
        assert_eq!((second.timeout_ms, second.comment.as_deref()), (None, None));
        assert!(second.expires_ms.is_some_and(|left| left <= 3_600_000));
    });
}

#[test]
fn maps_and_verdict_maps() {
    common::in_netns("maps_and_verdict_maps", || {
        let mut vmap = Set::new(Family::Inet, "t", "dispatch", KeyType::Ipv4Addr);
        vmap.data = Some(KeyType::Verdict);
        let mut marks = Set::new(Family::Inet, "t", "marks", KeyType::Ipv4Addr);
        marks.data = Some(KeyType::Mark);
        let ranges = Set::new(
            Family::Inet,
            "t",
            "svc",
            Key(vec![KeyType::Ipv4Addr, KeyType::InetService]),
        )
        .interval();
        let vmap_elements = [
            Element::key(&[10, 0, 0, 1])
                .with_data(ElementData::Verdict(Verdict::Jump("other".into()))),
            Element::key(&[10, 0, 0, 2]).with_data(ElementData::Verdict(Verdict::Drop)),
            Element::key(&[10, 0, 0, 3]).with_data(ElementData::Verdict(Verdict::Accept)),
        ];
        let mark_elements = [Element::key(&[10, 0, 0, 1])
            .with_data(ElementData::Value(0x10u32.to_ne_bytes().into()))];
        let svc_elements = [
            Element::key(&[10, 0, 0, 0, 0, 22, 0, 0]).with_end(&[10, 255, 255, 255, 0, 25, 0, 0])
        ];
        let mut nft = load(|tx| {
            filter_table(tx, Family::Inet)?;
            tx.add_chain(&Chain::regular(Family::Inet, "t", "other"))?;
            let dispatch = tx.add_set(&vmap)?;
            tx.add_elements(&dispatch, &vmap_elements)?;
            let target = tx.add_set(&marks)?;
            tx.add_elements(&target, &mark_elements)?;
            let svc = tx.add_set(&ranges)?;
            tx.add_elements(&svc, &svc_elements)?;
            let saddr = Expr::Payload {
                base: PayloadBase::Network,
                offset: 12,
                len: 4,
                dreg: NFT_REG_1,
            };
            tx.add_rule(&rule().only_family(NFPROTO_IPV4).with(saddr).vmap(&dispatch))?;
            Ok(())
        });
        let expected = expect(
            r#"table inet t {
                map dispatch {
                    type ipv4_addr : verdict
                    elements = { 10.0.0.1 : jump other, 10.0.0.2 : drop,
                                 10.0.0.3 : accept }
                }
                map marks {
                    type ipv4_addr : mark
                    elements = { 10.0.0.1 : 0x00000010 }
                }
                set svc {
                    type ipv4_addr . inet_service
                    flags interval
                    elements = { 10.0.0.0/8 . 22-25 }
                }
                chain c {
                    type filter hook input priority filter; policy accept;
                    ip saddr vmap @dispatch
                }
                chain other {
                }
            }"#,
        );
        assert_eq!(common::ruleset(), expected);

        let sets = nft.list_sets(Some(Family::Inet), Some("t")).unwrap();
        let dispatch = sets.iter().find(|s| s.name == "dispatch").unwrap();
        assert_eq!(
            (dispatch.data, dispatch.data_type),
            (Some(KeyType::Verdict), Some(0xffff_ff00))
        );
        let marks_info = sets.iter().find(|s| s.name == "marks").unwrap();
        assert_eq!(
            (marks_info.data, marks_info.data_len),
            (Some(KeyType::Mark), Some(4))
        );

        let mut found = nft.list_elements(Family::Inet, "t", "dispatch").unwrap();
        found.sort_by(|a, b| a.key.cmp(&b.key));
        let data: Vec<_> = found
            .iter()
            .map(|e| (e.key.clone(), e.data.clone()))
            .collect();
        let loaded: Vec<_> = vmap_elements
            .iter()
            .map(|e| (e.key.clone(), e.data.clone()))
            .collect();
        assert_eq!(data, loaded);
        let marks_found = nft.list_elements(Family::Inet, "t", "marks").unwrap();
        assert_eq!(marks_found[0].data, mark_elements[0].data);
        let svc = sets.iter().find(|s| s.name == "svc").unwrap();
        assert_eq!(svc.field_lengths, [4, 2]);
        let svc_found = nft.list_elements(Family::Inet, "t", "svc").unwrap();
        assert_eq!(svc_found.len(), 1);
        assert_eq!(svc_found[0].key, svc_elements[0].key);
        assert_eq!(svc_found[0].key_end, svc_elements[0].key_end);
    });
}

#[test]
fn interval_elements_read_back_as_starts_and_ends() {
    common::in_netns("interval_elements_read_back", || {
        let set = Set::new(Family::Ip, "t", "nets", KeyType::Ipv4Addr).interval();
        let mut nft = load(|tx| {
            tx.add_table(&Table::new(Family::Ip, "t"))?;
            let target = tx.add_set(&set)?;
            let ranges = [
                V4Range {
                    lo: v4([10, 0, 0, 0]),
                    hi: v4([10, 255, 255, 255]),
                },
                V4Range {
                    lo: v4([192, 168, 1, 1]),
                    hi: v4([192, 168, 1, 5]),
                },
            ];
            tx.add_v4_intervals(&target, &ranges)?;
            Ok(())
        });
        let mut found: Vec<(Vec<u8>, u32)> = nft
            .list_elements(Family::Ip, "t", "nets")
            .unwrap()
            .into_iter()
            .map(|ElementInfo { key, flags, .. }| (key, flags))
            .collect();
        found.sort();
        let end = NFT_SET_ELEM_INTERVAL_END;
        let expected = [
            (vec![0, 0, 0, 0], end),
            (vec![10, 0, 0, 0], 0),
            (vec![11, 0, 0, 0], end),
            (vec![192, 168, 1, 1], 0),
            (vec![192, 168, 1, 6], end),
        ];
        assert_eq!(found, expected);
    });
}

#[test]
fn match_expressions() {
    common::in_netns("match_expressions", || {
        let mut nft = load(|tx| {
            filter_table(tx, Family::Inet)?;
            let blocklist =
                tx.add_set(&Set::new(Family::Inet, "t", "blocklist", KeyType::Ipv4Addr))?;
            tx.add_keys(&blocklist, [&[192, 0, 2, 1][..]])?;
            let blocklist6 = tx.add_set(&Set::new(
                Family::Inet,
                "t",
                "blocklist6",
                KeyType::Ipv6Addr,
            ))?;
            let ports = [22u16.to_be_bytes(), 443u16.to_be_bytes()];
            let ports = SetRef::anonymous(
                tx,
                Family::Inet,
                "t",
                KeyType::InetService,
                ports.iter().map(|p| &p[..]),
            )?;
            let states = CtState::ESTABLISHED | CtState::RELATED;
            let rules = [
                rule().ct_state(states).accept(),
                rule().ct_state(CtState::INVALID).drop(),
                rule().iifname("lo").accept(),
                rule().oifname("eth0").mark(0x10).accept(),
                rule().ip_saddr_in(&blocklist).counter().drop(),
                rule().ip6_saddr_in(&blocklist6).drop(),
                rule().ip_daddr_in("blocklist").drop(),
                rule().tcp_dport_in(ports).accept(),
                rule().tcp_dport(22).accept(),
                rule().udp_dport(53).accept(),
                rule().tcp_dport_range(1000, 2000, true).drop(),
                rule().tcp_dport_range(3000, 4000, false).accept(),
                rule().saddr(ip([10, 0, 0, 1])).accept(),
                rule().daddr("2001:db8::1".parse().unwrap()).accept(),
                rule()
                    .meta_l4proto(IPPROTO_ICMP)
                    .limit(Limit::packets(10, LimitUnit::Second))
                    .accept(),
                rule()
                    .with(Expr::Meta {
                        key: MetaKey::Len,
                        dreg: NFT_REG_1,
                    })
                    .with(Expr::Cmp {
                        sreg: NFT_REG_1,
                        op: CmpOp::Gt,
                        data: 1000u32.to_ne_bytes().to_vec(),
                    })
                    .drop(),
            ];
            for rule in &rules {
                tx.add_rule(rule)?;
            }
            Ok(())
        });
        let expected = expect(
            r#"table inet t {
                set blocklist {
                    type ipv4_addr
                    elements = { 192.0.2.1 }
                }
                set blocklist6 {
                    type ipv6_addr
                }
                chain c {
                    type filter hook input priority filter; policy accept;
                    ct state established,related accept
                    ct state invalid drop
                    iifname "lo" accept
                    oifname "eth0" meta mark 0x00000010 accept
                    ip saddr @blocklist counter packets 0 bytes 0 drop
                    ip6 saddr @blocklist6 drop
                    ip daddr @blocklist drop
                    tcp dport { 22, 443 } accept
                    tcp dport 22 accept
                    udp dport 53 accept
                    tcp dport != 1000-2000 drop
                    tcp dport 3000-4000 accept
                    ip saddr 10.0.0.1 accept
                    ip6 daddr 2001:db8::1 accept
                    meta l4proto icmp limit rate 10/second accept
                    meta length > 1000 drop
                }
            }"#,
        );
        assert_eq!(common::ruleset(), expected);
        let rules = nft
            .list_rules(Some(Family::Inet), Some("t"), Some("c"))
            .unwrap();
        assert_eq!(rules.len(), 16);
        assert_eq!(rules[4].counter, Some((0, 0)));
        assert_eq!(
            rules[7].expr_names(),
            ["meta", "cmp", "payload", "lookup", "immediate"]
        );
    });
}

#[test]
fn statement_expressions() {
    common::in_netns("statement_expressions", || {
        load(|tx| {
            filter_table(tx, Family::Inet)?;
            tx.add_chain(&Chain::regular(Family::Inet, "t", "other"))?;
            let group = Log {
                group: Some(2),
                snaplen: Some(128),
                ..Log::default()
            };
            let rules = [
                rule().counter(),
                rule()
                    .limit(Limit::packets(3, LimitUnit::Minute).over())
                    .drop(),
                rule()
                    .limit(Limit {
                        burst: 1_048_576,
                        ..Limit::bytes(1_048_576, LimitUnit::Second)
                    })
                    .accept(),
                rule().log(Log::prefix("in: ").level(LogLevel::Info)).drop(),
                rule().log(group),
                rule().log(Log::default()),
                rule().quota(100 << 20, true).drop(),
                rule().quota(5_000_000, false).accept(),
                rule().reject(),
                rule().reject_tcp_reset(),
                rule().reject_icmp(10),
                rule().reject_icmpv6(1),
                rule().set_mark(0x10),
                rule().set_ct_mark(0x20),
                rule().jump("other"),
                rule().goto("other"),
                Rule::new(Family::Inet, "t", "other").verdict(Verdict::Return),
                Rule::new(Family::Inet, "t", "other").verdict(Verdict::Continue),
            ];
            for rule in &rules {
                tx.add_rule(rule)?;
            }
            Ok(())
        });
        let expected = expect(
            r#"table inet t {
                chain c {
                    type filter hook input priority filter; policy accept;
                    counter packets 0 bytes 0
                    limit rate over 3/minute drop
                    limit rate 1 mbytes/second burst 1 mbytes accept
                    log prefix "in: " level info drop
                    log group 2 snaplen 128
                    log
                    quota over 100 mbytes drop
                    quota 5000000 bytes accept
                    reject
                    meta l4proto tcp reject with tcp reset
                    reject with icmp host-prohibited
                    reject with icmpv6 admin-prohibited
                    meta mark set 0x00000010
                    ct mark set 0x00000020
                    jump other
                    goto other
                }
                chain other {
                    return
                    continue
                }
            }"#,
        );
        assert_eq!(common::ruleset(), expected);
    });
}

#[test]
fn nat_expressions() {
    common::in_netns("nat_expressions", || {
        let nat_chain = |name: &str, hook: Hook, priority: i32| {
            let mut chain = Chain::filter(Family::Ip, "n", name, hook, priority);
            if let Some(base) = chain.base.as_mut() {
                base.chain_type = "nat".into();
            }
            chain
        };
        let pre = || Rule::new(Family::Ip, "n", "pre");
        let post = || Rule::new(Family::Ip, "n", "post");
        let random = nlbatch::nft::NatPorts {
            flags: NF_NAT_RANGE_PROTO_RANDOM,
            ..Default::default()
        };
        let mut nft = load(|tx| {
            tx.add_table(&Table::new(Family::Ip, "n"))?;
            tx.add_chain(&nat_chain("pre", Hook::Prerouting, -100))?;
            tx.add_chain(&nat_chain("post", Hook::Postrouting, 100))?;
            let rules = [
                pre().tcp_dport(80).dnat(ip([10, 0, 0, 1]), Some(8080)),
                pre()
                    .daddr(ip([192, 0, 2, 1]))
                    .dnat(ip([10, 0, 0, 2]), None),
                pre().tcp_dport(8081).redirect(Some(8080)),
                pre().udp_dport(53).redirect(None),
                post().oifname("eth0").masquerade(),
                post().oifname("eth1").with(Expr::Masquerade(random)),
                post()
                    .saddr(ip([10, 0, 0, 0]))
                    .snat(ip([192, 0, 2, 9]), None),
            ];
            for rule in &rules {
                tx.add_rule(rule)?;
            }
            Ok(())
        });
        let expected = expect(
            r#"table ip n {
                chain pre {
                    type nat hook prerouting priority dstnat; policy accept;
                    tcp dport 80 dnat to 10.0.0.1:8080
                    ip daddr 192.0.2.1 dnat to 10.0.0.2
                    tcp dport 8081 redirect to :8080
                    udp dport 53 redirect
                }
                chain post {
                    type nat hook postrouting priority srcnat; policy accept;
                    oifname "eth0" masquerade
                    oifname "eth1" masquerade random
                    ip saddr 10.0.0.0 snat to 192.0.2.9
                }
            }"#,
        );
        assert_eq!(common::ruleset(), expected);
        let rules = nft
            .list_rules(Some(Family::Ip), Some("n"), Some("pre"))
            .unwrap();
        assert_eq!(
            rules[0].expr_names(),
            [
                "meta",
                "cmp",
                "payload",
                "cmp",
                "immediate",
                "immediate",
                "nat"
            ]
        );
    });
}

#[test]
fn rule_placement_comments_replace_and_delete() {
    common::in_netns("rule_placement", || {
        let mut nft = load(|tx| {
            filter_table(tx, Family::Inet)?;
            tx.add_rule(&rule().tcp_dport(1).accept())?;
            tx.add_rule(&rule().tcp_dport(2).accept())?;
            Ok(())
        });
        let handles = |nft: &mut Nftables| -> Vec<u64> {
            let rules = nft
                .list_rules(Some(Family::Inet), Some("t"), Some("c"))
                .unwrap();
            rules.iter().map(|r| r.handle).collect()
        };
        let [first, second] = handles(&mut nft)[..] else {
            panic!("two rules")
        };

        let mut tx = transaction();
        tx.add_rule(&rule().tcp_dport(3).accept().placed(Placement::After(first)))?;
        tx.add_rule(
            &rule()
                .tcp_dport(4)
                .accept()
                .placed(Placement::Before(second)),
        )?;
        tx.add_rule(&rule().tcp_dport(5).accept().placed(Placement::Prepend))?;
        tx.add_rule(&rule().iifname("lo").accept().comment("loopback"))?;
        tx.add_rule(
            &rule()
                .tcp_dport(6)
                .drop()
                .placed(Placement::Replace(second)),
        )?;
        commit(&mut nft, tx);
        let expected = expect(
            r#"table inet t {
                chain c {
                    type filter hook input priority filter; policy accept;
                    tcp dport 5 accept
                    tcp dport 1 accept
                    tcp dport 3 accept
                    tcp dport 4 accept
                    tcp dport 6 drop
                    iifname "lo" accept comment "loopback"
                }
            }"#,
        );
        assert_eq!(common::ruleset(), expected);

        let rules = nft
            .list_rules(Some(Family::Inet), Some("t"), Some("c"))
            .unwrap();
        assert_eq!(rules.last().unwrap().comment.as_deref(), Some("loopback"));
        assert_eq!(rules[4].handle, second, "a replaced rule keeps its handle");
        let third = rules[2].handle;
        let mut tx = transaction();
        tx.delete_rule(Family::Inet, "t", "c", third)?;
        commit(&mut nft, tx);
        let rules = nft
            .list_rules(Some(Family::Inet), Some("t"), Some("c"))
            .unwrap();
        assert_eq!(rules.len(), 5);
        assert!(rules.iter().all(|r| r.handle != third));
        Ok::<(), NftError>(())
    })
    .transpose()
    .unwrap();
}

#[test]
fn flush_and_delete_objects() {
    common::in_netns("flush_and_delete_objects", || {
        let plain = Set::new(Family::Inet, "t", "plain", KeyType::Ipv4Addr);
        let keep = Set::new(Family::Inet, "t", "keep", KeyType::Ipv4Addr);
        let gone = Set::new(Family::Inet, "t", "gone", KeyType::Ipv4Addr);
        let keys: [&[u8]; 3] = [&[10, 0, 0, 1], &[10, 0, 0, 2], &[10, 0, 0, 3]];
        let mut nft = load(|tx| {
            filter_table(tx, Family::Inet)?;
            tx.add_chain(&Chain::regular(Family::Inet, "t", "other"))?;
            tx.add_chain(&Chain::regular(Family::Inet, "t", "spare"))?;
            let target = tx.add_set(&plain)?;
            tx.add_keys(&target, keys)?;
            let target = tx.add_set(&keep)?;
            tx.add_keys(&target, keys)?;
            tx.add_set(&gone)?;
            tx.add_rule(&rule().counter().accept())?;
            tx.add_rule(&Rule::new(Family::Inet, "t", "other").counter().drop())?;
            Ok(())
        });

        let mut tx = transaction();
        tx.flush_rules(Family::Inet, "t", Some("c"))?;
        tx.flush_set(&SetTarget::of(&plain, None))?;
        tx.delete_keys(&SetTarget::of(&keep, None), [&[10, 0, 0, 2][..]])?;
        tx.delete(Delete::Set(Family::Inet, "t", "gone"))?;
        tx.delete(Delete::Chain(Family::Inet, "t", "spare"))?;
        commit(&mut nft, tx);
        let expected = expect(
            r#"table inet t {
                set plain {
                    type ipv4_addr
                }
                set keep {
                    type ipv4_addr
                    elements = { 10.0.0.1, 10.0.0.3 }
                }
                chain c {
                    type filter hook input priority filter; policy accept;
                }
                chain other {
                    counter packets 0 bytes 0 drop
                }
            }"#,
        );
        assert_eq!(common::ruleset(), expected);

        let mut tx = transaction();
        tx.flush_rules(Family::Inet, "t", None)?;
        commit(&mut nft, tx);
        assert!(
            nft.list_rules(None, None, None)?.is_empty(),
            "flush table removes every rule"
        );
        assert_eq!(
            nft.list_elements(Family::Inet, "t", "keep")?.len(),
            2,
            "but no element"
        );

        let mut tx = transaction();
        tx.delete(Delete::Table(Family::Inet, "t"))?;
        commit(&mut nft, tx);
        assert_eq!(common::ruleset(), "");
        assert!(nft.list_tables(None)?.is_empty());
        Ok::<(), NftError>(())
    })
    .transpose()
    .unwrap();
}

#[test]
fn rules_read_back_as_loaded() {
    common::in_netns("rules_read_back_as_loaded", || {
        let states = CtState::ESTABLISHED | CtState::RELATED;
        let rules = vec![
            rule().ct_state(states).accept(),
            rule().iifname("lo").accept().comment("loopback"),
            rule().ip_saddr_in("blocklist").counter().drop(),
            rule()
                .meta_l4proto(IPPROTO_ICMP)
                .limit(Limit::packets(10, LimitUnit::Second))
                .accept(),
            rule()
                .tcp_dport_range(1000, 2000, true)
                .quota(1 << 20, true)
                .drop(),
            rule()
                .log(Log::prefix("x ").level(LogLevel::Notice))
                .reject_tcp_reset(),
            rule().reject(),
            rule().set_mark(7).set_ct_mark(9).jump("other"),
            rule().saddr("2001:db8::1".parse().unwrap()).goto("other"),
        ];
        let mut nft = load(|tx| {
            filter_table(tx, Family::Inet)?;
            tx.add_chain(&Chain::regular(Family::Inet, "t", "other"))?;
            let set = tx.add_set(&Set::new(Family::Inet, "t", "blocklist", KeyType::Ipv4Addr))?;
            tx.add_keys(&set, [&[192, 0, 2, 1][..]])?;
            for rule in &rules {
                tx.add_rule(rule)?;
            }
            Ok(())
        });
        let found = nft
            .list_rules(Some(Family::Inet), Some("t"), Some("c"))
            .unwrap();
        assert_eq!(found.len(), rules.len());
        for (loaded, dumped) in rules.iter().zip(&found) {
            assert_eq!((dumped.family, dumped.table.as_str()), (Family::Inet, "t"));
            assert_eq!(dumped.exprs, loaded.exprs);
            assert_eq!(dumped.comment, loaded.comment);
        }
        assert_eq!(found[0].position, None);
        assert_eq!(found[1].position, Some(found[0].handle));
        let all = nft.list_rules(None, None, None).unwrap();
        assert_eq!(all.len(), rules.len());
    });
}

#[test]
fn nat_rules_read_back_with_the_kernels_defaults() {
    common::in_netns("nat_rules_read_back", || {
        let mut chain = Chain::filter(Family::Ip, "n", "pre", Hook::Prerouting, -100);
        if let Some(base) = chain.base.as_mut() {
            base.chain_type = "nat".into();
        }
        let loaded = Rule::new(Family::Ip, "n", "pre")
            .tcp_dport(80)
            .dnat(ip([10, 0, 0, 1]), Some(8080));
        let mut nft = load(|tx| {
            tx.add_table(&Table::new(Family::Ip, "n"))?;
            tx.add_chain(&chain)?;
            tx.add_rule(&loaded)?;
            Ok(())
        });
        let found = nft.list_rules(Some(Family::Ip), None, None).unwrap();
        let Some(Expr::Nat(nat)) = found[0].exprs.last() else {
            panic!("a nat expression")
        };
        let Some(Expr::Nat(sent)) = loaded.exprs.last() else {
            panic!("a nat expression")
        };
        // The kernel reports the highest address and port as the lowest when none was given,
        // and adds NF_NAT_RANGE_MAP_IPS to the flags.
        assert_eq!(nat.reg_addr_max, sent.reg_addr_min);
        assert_eq!(nat.reg_proto_max, sent.reg_proto_min);
        assert_eq!(nat.flags, sent.flags | nlbatch::nft::NF_NAT_RANGE_MAP_IPS);
        let body = &found[0].exprs[..found[0].exprs.len() - 1];
        assert_eq!(body, &loaded.exprs[..loaded.exprs.len() - 1]);
    });
}

#[test]
fn expressions_the_crate_does_not_model_come_back_raw() {
    common::in_netns("raw_expressions", || {
        common::nft(&["add table inet t"]);
        common::nft(&["add chain inet t c { type filter hook input priority 0; }"]);
        common::nft(&["add rule inet t c ip dscp cs1 notrack"]);
        let mut nft = Nftables::open().unwrap();
        let rules = nft.list_rules(Some(Family::Inet), None, None).unwrap();
        assert_eq!(rules.len(), 1);
        let names = rules[0].expr_names();
        assert_eq!(
            names,
            ["meta", "cmp", "payload", "bitwise", "cmp", "notrack"]
        );
        assert!(matches!(&rules[0].exprs[5], Expr::Raw { name, .. } if name == "notrack"));

        // A raw expression is written back as it was read.
        let mut tx = transaction();
        let mut copy = rule();
        copy.exprs = rules[0].exprs.clone();
        tx.add_rule(&copy).unwrap();
        commit(&mut nft, tx);
        let text = common::ruleset();
        assert_eq!(text.matches("ip dscp cs1 notrack").count(), 2, "{text}");
    });
}

#[test]
fn kernel_errors_name_the_rule() {
    common::in_netns("kernel_errors_name_the_rule", || {
        let mut nft = load(|tx| filter_table(tx, Family::Inet));
        let mut tx = transaction();
        tx.add_rule(&rule().ip_saddr_in("missing").drop()).unwrap();
        tx.end().unwrap();
        let err = nft.commit(&mut tx).unwrap_err();
        assert_eq!(err.errno(), Some(libc::ENOENT), "{err}");
        assert!(err.to_string().contains("rule in chain c"), "{err}");
        let too_long = Rule {
            exprs: vec![Expr::Counter; 129],
            ..rule()
        };
        let err = transaction().add_rule(&too_long).unwrap_err();
        assert!(
            err.to_string().contains("129 expressions, at most 128"),
            "{err}"
        );
        let long_name = rule().iifname("a-sixteen-bytes!").accept();
        let err = transaction().add_rule(&long_name).unwrap_err();
        assert!(
            err.to_string().contains("interface name of 16 bytes"),
            "{err}"
        );
    });
}

#[test]
fn set_comment() {
    common::in_netns("set_comment", || {
        let mut set = Set::new(Family::Inet, "t", "s", KeyType::Ipv4Addr);
        set.comment = Some("bad hosts".into());
        let mut nft = load(|tx| {
            tx.add_table(&Table::new(Family::Inet, "t"))?;
            tx.add_set(&set).map(drop)
        });
        let expected = expect(
            r#"table inet t {
                set s {
                    type ipv4_addr
                    comment "bad hosts"
                }
            }"#,
        );
        assert_eq!(common::ruleset(), expected);
        let sets = nft.list_sets(None, None).unwrap();
        assert_eq!(sets[0].comment.as_deref(), Some("bad hosts"));
    });
}

#[test]
fn netdev_ingress_chain_on_a_device() {
    common::in_netns("netdev_ingress", || {
        load(|tx| {
            tx.add_table(&Table::new(Family::Netdev, "n"))?;
            let mut chain = Chain::filter(Family::Netdev, "n", "in", Hook::Ingress, -5);
            if let Some(base) = chain.base.as_mut() {
                base.device = Some("lo".into());
            }
            tx.add_chain(&chain)?;
            Ok(())
        });
        let expected = expect(
            "table netdev n {
                chain in {
                    type filter hook ingress device \"lo\" priority filter - 5; policy accept;
                }
            }",
        );
        assert_eq!(common::ruleset(), expected);
    });
}

//! A first transaction through the real kernel, checked with `nft list ruleset`.

mod common;

use nlbatch::addr::V4Range;
use nlbatch::nft::{Chain, Family, Hook, KeyType, Nftables, Rule, Set, SetRef, Table};
use nlbatch::nft::{Transaction, Verdict};

#[test]
fn table_set_intervals_and_rule_list_back_as_nft_prints_them() {
    common::in_netns("smoke", || {
        let mut nft = Nftables::open().unwrap();
        let mut tx = Transaction::new(Default::default()).unwrap();
        tx.begin(None).unwrap();
        tx.add_table(&Table::new(Family::Inet, "t")).unwrap();
        tx.add_chain(&Chain::filter(Family::Inet, "t", "c", Hook::Input, 0))
            .unwrap();
        let set = Set::new(Family::Inet, "t", "s", KeyType::Ipv4Addr).interval();
        let target = tx.add_set(&set).unwrap();
        let ranges = [
            V4Range {
                lo: 0x0a00_0000,
                hi: 0x0aff_ffff,
            },
            V4Range {
                lo: 0xc0a8_0101,
                hi: 0xc0a8_0105,
            },
            V4Range {
                lo: 0xffff_ff00,
                hi: 0xffff_ffff,
            },
        ];
        tx.add_v4_intervals(&target, &ranges).unwrap();
        let set_ref = SetRef::NameAndId("s".into(), target.id.unwrap());
        let rule = Rule::saddr_in_set(Family::Inet, "t", "c", set_ref, false, Verdict::Drop);
        tx.add_rule(&rule).unwrap();
        tx.end().unwrap();
        let report = nft.commit(&mut tx).unwrap();
        assert!(report.confirmed, "Linux 6.10+ acknowledges BATCH_END");
        let expected = common::normalise(
            "table inet t {
                set s {
                    type ipv4_addr
                    flags interval
                    elements = { 10.0.0.0/8, 192.168.1.1-192.168.1.5,
                                 255.255.255.0/24 }
                }
                chain c {
                    type filter hook input priority filter; policy accept;
                    ip saddr @s counter packets 0 bytes 0 drop
                }
            }",
        );
        assert_eq!(common::ruleset(), expected);
    });
}

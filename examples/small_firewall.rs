//! A complete small firewall built in one transaction through the library: a base chain with
//! policy drop, a blocklist set, and the handful of rules every host needs. Runs in a fresh
//! private network namespace (root needed) and prints what `nft list ruleset` sees there.
//!
//! ```sh
//! cargo run --example small_firewall
//! ```

use nlbatch::addr::V4Range;
use nlbatch::nft::wire::NFT_REG_1;
use nlbatch::nft::{
    Chain, CmpOp, Expr, Family, Hook, KeyType, MetaKey, NftError, Nftables, PayloadBase, Rule, Set,
    SetRef, Table, Transaction, Verdict,
};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    nlbatch::netns::enter_private()?;
    let (fam, table, chain) = (Family::Inet, "fw", "input");

    let mut tx = Transaction::new(Default::default())?;
    tx.begin(None)?;
    tx.add_table(&Table::new(fam, table))?;
    let mut input = Chain::filter(fam, table, chain, Hook::Input, 0);
    if let Some(base) = input.base.as_mut() {
        base.policy_accept = false;
    }
    tx.add_chain(&input)?;

    let blocklist = Set::new(fam, table, "blocklist", KeyType::Ipv4Addr).interval();
    let target = tx.add_set(&blocklist)?;
    let ranges = [V4Range {
        lo: 0xc633_6400,
        hi: 0xc633_64ff,
    }]; // 198.51.100.0/24
    tx.add_v4_intervals(&target, &ranges)?;

    // iifname "lo" accept
    let lo = Rule::new(fam, table, chain)
        .with(Expr::Meta {
            key: MetaKey::Iifname,
            dreg: NFT_REG_1,
        })
        .with(Expr::Cmp {
            sreg: NFT_REG_1,
            op: CmpOp::Eq,
            data: b"lo\0".to_vec(),
        })
        .with(Expr::Verdict(Verdict::Accept));
    tx.add_rule(&lo)?;

    // ip saddr @blocklist counter drop
    let set_ref = SetRef::NameAndId("blocklist".into(), target.id.unwrap_or(0));
    tx.add_rule(&Rule::saddr_in_set(
        fam,
        table,
        chain,
        set_ref,
        false,
        Verdict::Drop,
    ))?;

    // tcp dport 22 accept, tcp dport 443 accept
    for port in [22u16, 443] {
        let rule = Rule::new(fam, table, chain)
            .with(Expr::Meta {
                key: MetaKey::L4proto,
                dreg: NFT_REG_1,
            })
            .with(Expr::Cmp {
                sreg: NFT_REG_1,
                op: CmpOp::Eq,
                data: vec![6],
            })
            .with(Expr::Payload {
                base: PayloadBase::Transport,
                offset: 2,
                len: 2,
                dreg: 1,
            })
            .with(Expr::Cmp {
                sreg: NFT_REG_1,
                op: CmpOp::Eq,
                data: port.to_be_bytes().into(),
            })
            .with(Expr::Verdict(Verdict::Accept));
        tx.add_rule(&rule)?;
    }
    tx.end()?;

    let mut nft = Nftables::open()?;
    let report = nft.commit(&mut tx).map_err(|e: NftError| e.to_string())?;
    println!(
        "committed {} messages, {} bytes in {} page(s), kernel time {:?}",
        tx.batch().message_count(),
        report.send.bytes,
        report.send.iovecs,
        report.send.kernel_time
    );
    let listing = std::process::Command::new("nft")
        .args(["list", "ruleset"])
        .output()?;
    print!("{}", String::from_utf8_lossy(&listing.stdout));
    Ok(())
}

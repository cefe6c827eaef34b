//! Encoding speed: nlbatch's pages against a plain encoder into one growing `Vec<u8>`.
//!
//! Two nftables workloads, each one whole transaction (`BATCH_BEGIN` ... `BATCH_END`):
//!
//! - 1,000,000 IPv4 set elements (16 bytes each) in NEWSETELEM messages of at most 4,095;
//! - 100,000 rules shaped like nft's `ip saddr 10.0.0.1 counter drop` in an inet table
//!   (284 bytes and 39 attributes each; the address differs per rule).
//!
//! nlbatch reuses one [`Batch`] across iterations (`reset_with_seq`), at page sizes from 4 KiB
//! to 4 MiB. The plain encoder starts a new `Vec` per transaction and appends every field with
//! `extend_from_slice`, as most netlink libraries do. Both produce the same bytes, checked once
//! before timing.
//!
//! Run with `cargo bench --bench encode`. The encoders live in `benches/shapes.rs`, shared with
//! `benches/instructions.rs`, which counts their instructions per item with callgrind.

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use nlbatch::arena::ArenaConfig;
use nlbatch::message::{Batch, BatchConfig};

#[path = "shapes.rs"]
mod shapes;

/// Set elements per transaction.
const ELEMENTS: u32 = 1_000_000;
/// Rules per transaction.
const RULES: u32 = 100_000;
/// Page sizes compared, with their labels.
const PAGE_SIZES: [(usize, &str); 5] = [
    (4 << 10, "4KiB"),
    (64 << 10, "64KiB"),
    (256 << 10, "256KiB"),
    (1 << 20, "1MiB"),
    (4 << 20, "4MiB"),
];

/// The NEWRULE message nft 1.0.6 sends for `add rule inet t c ip saddr 10.0.0.1 counter drop`
/// (x86_64), captured with
/// `strace -f -e trace=sendmsg -e write=3 -xx -s 4096 nft add rule inet t c ip saddr 10.0.0.1
/// counter drop` inside `unshare -n` after creating table `t` and chain `c`.
#[cfg(target_endian = "little")]
const NFT_RULE: &[u8] = b"\
    \x1c\x01\x00\x00\x06\x0a\x01\x0c\x01\x00\x00\x00\x00\x00\x00\x00\
    \x01\x00\x00\x00\x06\x00\x01\x00\x74\x00\x00\x00\x06\x00\x02\x00\
    \x63\x00\x00\x00\xf8\x00\x04\x80\x24\x00\x01\x80\x09\x00\x01\x00\
    \x6d\x65\x74\x61\x00\x00\x00\x00\x14\x00\x02\x80\x08\x00\x02\x00\
    \x00\x00\x00\x0f\x08\x00\x01\x00\x00\x00\x00\x01\x2c\x00\x01\x80\
    \x08\x00\x01\x00\x63\x6d\x70\x00\x20\x00\x02\x80\x08\x00\x01\x00\
    \x00\x00\x00\x01\x08\x00\x02\x00\x00\x00\x00\x00\x0c\x00\x03\x80\
    \x05\x00\x01\x00\x02\x00\x00\x00\x34\x00\x01\x80\x0c\x00\x01\x00\
    \x70\x61\x79\x6c\x6f\x61\x64\x00\x24\x00\x02\x80\x08\x00\x01\x00\
    \x00\x00\x00\x01\x08\x00\x02\x00\x00\x00\x00\x01\x08\x00\x03\x00\
    \x00\x00\x00\x0c\x08\x00\x04\x00\x00\x00\x00\x04\x2c\x00\x01\x80\
    \x08\x00\x01\x00\x63\x6d\x70\x00\x20\x00\x02\x80\x08\x00\x01\x00\
    \x00\x00\x00\x01\x08\x00\x02\x00\x00\x00\x00\x00\x0c\x00\x03\x80\
    \x08\x00\x01\x00\x0a\x00\x00\x01\x14\x00\x01\x80\x0c\x00\x01\x00\
    \x63\x6f\x75\x6e\x74\x65\x72\x00\x04\x00\x02\x80\x30\x00\x01\x80\
    \x0e\x00\x01\x00\x69\x6d\x6d\x65\x64\x69\x61\x74\x65\x00\x00\x00\
    \x1c\x00\x02\x80\x08\x00\x01\x00\x00\x00\x00\x00\x10\x00\x02\x80\
    \x0c\x00\x02\x80\x08\x00\x01\x00\x00\x00\x00\x00";

/// A batch numbered from 0 with the given page size (and the default ceiling for grown pages).
fn batch(page_size: usize) -> Batch {
    let arena = ArenaConfig::with_page_size(page_size);
    Batch::new(BatchConfig {
        arena,
        seq_start: 0,
        port_id: 0,
    })
    .expect("valid page size")
}

/// Before any timing: both encoders agree at every page size, and a rule is nft's rule.
fn check_same_bytes() {
    let elements = shapes::elements_vec(0, ELEMENTS);
    let rules = shapes::rules_vec(0, RULES);
    assert_eq!(elements.len(), 40 + 244 * 65_560 + (40 + 820 * 16));
    assert_eq!(rules.len(), 40 + RULES as usize * 284);
    for (page_size, label) in PAGE_SIZES {
        let mut b = batch(page_size);
        shapes::elements_batch(&mut b, ELEMENTS).unwrap();
        assert!(
            b.to_vec() == elements,
            "set elements differ at {label} pages"
        );
        b.reset_with_seq(0);
        shapes::rules_batch(&mut b, RULES).unwrap();
        assert!(b.to_vec() == rules, "rules differ at {label} pages");
    }
    #[cfg(target_endian = "little")]
    {
        let mut b = batch(4 << 10);
        let seq = shapes::rule(&mut b, shapes::FIRST_ADDR).unwrap();
        let mut expected = NFT_RULE.to_vec();
        expected[8..12].copy_from_slice(&seq.to_ne_bytes());
        assert_eq!(b.to_vec(), expected, "the rule is not the one nft sends");
    }
}

/// Runs one workload at every page size and with the `Vec` encoder.
fn workload(
    c: &mut Criterion,
    name: &str,
    count: u32,
    paged: fn(&mut Batch, u32) -> Result<(), nlbatch::message::EncodeError>,
    plain: fn(u32, u32) -> Vec<u8>,
) {
    let mut group = c.benchmark_group(name);
    group.sample_size(10);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(3));
    group.throughput(Throughput::Elements(count.into()));
    for (page_size, label) in PAGE_SIZES {
        let mut b = batch(page_size);
        group.bench_function(BenchmarkId::new("nlbatch", label), |bench| {
            bench.iter(|| {
                b.reset_with_seq(0);
                paged(&mut b, black_box(count)).unwrap();
                black_box(b.iovecs().len())
            })
        });
    }
    group.bench_function(BenchmarkId::new("vec", "growing"), |bench| {
        bench.iter(|| plain(0, black_box(count)))
    });
    group.finish();
}

fn benches(c: &mut Criterion) {
    check_same_bytes();
    workload(
        c,
        "set_elements_1M",
        ELEMENTS,
        shapes::elements_batch,
        shapes::elements_vec,
    );
    workload(
        c,
        "rules_100k",
        RULES,
        shapes::rules_batch,
        shapes::rules_vec,
    );
}

criterion_group!(encode, benches);
criterion_main!(encode);

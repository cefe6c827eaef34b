//! IPv4 and IPv6 addresses, prefixes and ranges as inclusive integer intervals, and their merging.
//!
//! Every entry of a blocklist (a single address, a CIDR prefix or an explicit range) becomes an
//! inclusive interval of host-order integers: [`V4Range`] for IPv4, [`V6Range`] for IPv6.
//! Sorted, merged intervals are what an nftables interval set holds, so [`merge_v4`] and
//! [`merge_v6`] collapse overlapping and adjacent intervals into the smallest equivalent list.
//!
//! Accepted forms (see [`parse_entry`]): `1.2.3.4`, `1.2.3.0/24`, `1.2.3.4-1.2.3.9`,
//! `2001:db8::/32`, `2001:db8::1-2001:db8::ff`.
//!
//! # Choices for ambiguous input
//!
//! - **Host bits set**: `10.0.0.1/24` is not an error; it is taken as the whole prefix
//!   `10.0.0.0/24`, which is what `nft` and iptables-style tools do.
//! - **Prefix length `/0`** is accepted and means the whole address family.
//! - **Prefix length too long** (`/33` for IPv4, `/129` for IPv6) is an error that names the
//!   maximum for the family. A prefix length must be written as decimal digits only, without
//!   leading zeros (`/08` is refused, like `010.1.1.1`).
//! - **Reversed range** (`1.2.3.9-1.2.3.4`, end below start) is an error, not silently swapped.
//! - **Mixed families** in a range (`1.2.3.4-::1`) is an error.
//! - **IPv6 zone ids** (`fe80::1%eth0`) are refused: a zone names a link on one host and has no
//!   meaning in a set.
//! - **IPv4 with leading zeros** (`010.1.1.1`) is refused, as the standard library parser does:
//!   some tools read such octets as octal and others as decimal, so the address is ambiguous.
//! - **IPv4-mapped IPv6** (`::ffff:1.2.3.4`) stays IPv6; it is not turned into IPv4.
//! - Whitespace around an entry is not accepted here; trimming is the caller's job.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use ipnet::{Ipv4Net, Ipv6Net};

/// The most characters of offending input that an error message keeps.
pub(crate) const EXCERPT_CHARS: usize = 80;

/// An inclusive range of IPv4 addresses as host-order integers: `lo <= hi`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct V4Range {
    /// First address of the range.
    pub lo: u32,
    /// Last address of the range (inclusive).
    pub hi: u32,
}

/// An inclusive range of IPv6 addresses as host-order integers: `lo <= hi`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct V6Range {
    /// First address of the range.
    pub lo: u128,
    /// Last address of the range (inclusive).
    pub hi: u128,
}

/// One parsed entry: a single address, a prefix or a range, of either family.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Entry {
    /// An IPv4 address, prefix or range.
    V4(V4Range),
    /// An IPv6 address, prefix or range.
    V6(V6Range),
}

/// Why a piece of text is not a usable address, prefix or range.
///
/// Each variant carries the offending text, cut to at most 80 characters.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AddrError {
    /// The text is not an IPv4 or IPv6 address.
    #[error("{text:?}: not an IPv4 or IPv6 address")]
    NotAnAddress {
        /// The offending text.
        text: String,
    },
    /// An IPv4 address written with leading zeros, such as `010.1.1.1`.
    #[error(
        "{text:?}: IPv4 address with leading zeros refused \
         (ambiguous: octal or decimal)"
    )]
    LeadingZeros {
        /// The offending text.
        text: String,
    },
    /// An IPv6 address with a zone id, such as `fe80::1%eth0`.
    #[error("{text:?}: IPv6 zone id (%...) refused: a zone has no meaning in a set")]
    ZoneId {
        /// The offending text.
        text: String,
    },
    /// The part after `/` is not a decimal prefix length.
    #[error("{text:?}: prefix length is not a decimal number")]
    BadPrefixLength {
        /// The offending text.
        text: String,
    },
    /// A prefix length written with leading zeros, such as `1.2.3.0/08`, refused as IPv4
    /// addresses with leading zeros are.
    #[error("{text:?}: prefix length with leading zeros refused")]
    PrefixLeadingZeros {
        /// The offending text.
        text: String,
    },
    /// The prefix length exceeds the address width of the family.
    #[error("{text:?}: prefix length too long: {family} allows at most /{max}")]
    PrefixTooLong {
        /// The offending text.
        text: String,
        /// `"IPv4"` or `"IPv6"`.
        family: &'static str,
        /// The longest prefix length of the family (32 or 128).
        max: u8,
    },
    /// A range whose end address is below its start address.
    #[error("{text:?}: reversed range: the end address is below the start address")]
    ReversedRange {
        /// The offending text.
        text: String,
    },
    /// A range with one IPv4 end and one IPv6 end.
    #[error("{text:?}: range mixes an IPv4 and an IPv6 address")]
    MixedFamilies {
        /// The offending text.
        text: String,
    },
}

impl AddrError {
    /// The offending text carried by the error (at most 80 characters).
    pub fn text(&self) -> &str {
        match self {
            AddrError::NotAnAddress { text }
            | AddrError::LeadingZeros { text }
            | AddrError::ZoneId { text }
            | AddrError::BadPrefixLength { text }
            | AddrError::PrefixLeadingZeros { text }
            | AddrError::PrefixTooLong { text, .. }
            | AddrError::ReversedRange { text }
            | AddrError::MixedFamilies { text } => text,
        }
    }
}

/// Cuts `text` to at most [`EXCERPT_CHARS`] characters (on a character boundary), marking a cut
/// with a trailing `...`.
pub(crate) fn excerpt(text: &str) -> String {
    match text.char_indices().nth(EXCERPT_CHARS) {
        Some((cut, _)) => format!("{}...", &text[..cut]),
        None => text.to_owned(),
    }
}

impl V4Range {
    /// Number of addresses covered (0 if `lo > hi`, which a well-formed range never has).
    pub fn len(&self) -> u64 {
        if self.lo > self.hi {
            0
        } else {
            u64::from(self.hi - self.lo) + 1
        }
    }

    /// Whether the range covers no address, which only happens when `lo > hi`.
    pub fn is_empty(&self) -> bool {
        self.lo > self.hi
    }

    /// Whether address `a` lies in the range.
    pub fn contains(&self, a: u32) -> bool {
        self.lo <= a && a <= self.hi
    }
}

impl V6Range {
    /// Number of addresses covered, saturating: the whole space (`::/0`) reports `u128::MAX`.
    /// Returns 0 if `lo > hi`, which a well-formed range never has.
    pub fn len(&self) -> u128 {
        if self.lo > self.hi {
            0
        } else {
            (self.hi - self.lo).saturating_add(1)
        }
    }

    /// Whether the range covers no address, which only happens when `lo > hi`.
    pub fn is_empty(&self) -> bool {
        self.lo > self.hi
    }

    /// Whether address `a` lies in the range.
    pub fn contains(&self, a: u128) -> bool {
        self.lo <= a && a <= self.hi
    }
}

/// Parses one entry from text: `"1.2.3.4"`, `"1.2.3.0/24"`, `"1.2.3.4-1.2.3.9"`,
/// `"2001:db8::/32"`, `"2001:db8::1-2001:db8::ff"`.
///
/// Whitespace around the entry is trimmed by the caller, not here. See the module documentation
/// (`# Choices for ambiguous input`) for host bits, `/0`, zone ids, leading zeros and mapped
/// addresses.
///
/// # Errors
///
/// An [`AddrError`] naming the problem and carrying the offending text.
pub fn parse_entry(text: &str) -> Result<Entry, AddrError> {
    if let Some((lo, hi)) = text.split_once('-') {
        return parse_range(lo, hi, text);
    }
    if let Some((addr, len)) = text.split_once('/') {
        return parse_prefix(addr, len, text);
    }
    Ok(match parse_addr(text, text)? {
        IpAddr::V4(a) => {
            let a = u32::from(a);
            Entry::V4(V4Range { lo: a, hi: a })
        }
        IpAddr::V6(a) => {
            let a = u128::from(a);
            Entry::V6(V6Range { lo: a, hi: a })
        }
    })
}

/// Parses the range `lo-hi`; `whole` is the full entry text for error messages.
fn parse_range(lo: &str, hi: &str, whole: &str) -> Result<Entry, AddrError> {
    let lo = parse_addr(lo, whole)?;
    let hi = parse_addr(hi, whole)?;
    let text = || excerpt(whole);
    match (lo, hi) {
        (IpAddr::V4(lo), IpAddr::V4(hi)) => {
            let (lo, hi) = (u32::from(lo), u32::from(hi));
            if hi < lo {
                return Err(AddrError::ReversedRange { text: text() });
            }
            Ok(Entry::V4(V4Range { lo, hi }))
        }
        (IpAddr::V6(lo), IpAddr::V6(hi)) => {
            let (lo, hi) = (u128::from(lo), u128::from(hi));
            if hi < lo {
                return Err(AddrError::ReversedRange { text: text() });
            }
            Ok(Entry::V6(V6Range { lo, hi }))
        }
        _ => Err(AddrError::MixedFamilies { text: text() }),
    }
}

/// Parses the prefix `addr/len`; `whole` is the full entry text for error messages.
fn parse_prefix(addr: &str, len: &str, whole: &str) -> Result<Entry, AddrError> {
    let addr = parse_addr(addr, whole)?;
    if len.is_empty() || !len.bytes().all(|b| b.is_ascii_digit()) {
        return Err(AddrError::BadPrefixLength {
            text: excerpt(whole),
        });
    }
    if len.len() > 1 && len.starts_with('0') {
        return Err(AddrError::PrefixLeadingZeros {
            text: excerpt(whole),
        });
    }
    let (family, max) = match addr {
        IpAddr::V4(_) => ("IPv4", 32u8),
        IpAddr::V6(_) => ("IPv6", 128u8),
    };
    // Only digits are left, so a failed parse means the number does not fit: too long.
    let too_long = || AddrError::PrefixTooLong {
        text: excerpt(whole),
        family,
        max,
    };
    let len = match len.parse::<u8>() {
        Ok(len) if len <= max => len,
        _ => return Err(too_long()),
    };
    match addr {
        IpAddr::V4(a) => {
            let net = Ipv4Net::new(a, len).map_err(|_| too_long())?.trunc();
            Ok(Entry::V4(V4Range {
                lo: u32::from(net.network()),
                hi: u32::from(net.broadcast()),
            }))
        }
        IpAddr::V6(a) => {
            let net = Ipv6Net::new(a, len).map_err(|_| too_long())?.trunc();
            Ok(Entry::V6(V6Range {
                lo: u128::from(net.network()),
                hi: u128::from(net.broadcast()),
            }))
        }
    }
}

/// Parses a bare address; `whole` is the full entry text for error messages.
fn parse_addr(text: &str, whole: &str) -> Result<IpAddr, AddrError> {
    if text.contains('%') {
        return Err(AddrError::ZoneId {
            text: excerpt(whole),
        });
    }
    if let Ok(a) = text.parse::<Ipv4Addr>() {
        return Ok(IpAddr::V4(a));
    }
    if let Ok(a) = text.parse::<Ipv6Addr>() {
        return Ok(IpAddr::V6(a));
    }
    if has_leading_zero_octet(text) {
        return Err(AddrError::LeadingZeros {
            text: excerpt(whole),
        });
    }
    Err(AddrError::NotAnAddress {
        text: excerpt(whole),
    })
}

/// Whether `text` is shaped like a dotted-quad IPv4 address with an octet such as `010`.
fn has_leading_zero_octet(text: &str) -> bool {
    let mut octets = 0;
    let mut leading_zero = false;
    for part in text.split('.') {
        octets += 1;
        if part.is_empty() || !part.bytes().all(|b| b.is_ascii_digit()) {
            return false;
        }
        if part.len() > 1 && part.starts_with('0') {
            leading_zero = true;
        }
    }
    octets == 4 && leading_zero
}

/// Sorts `ranges` and merges overlapping and adjacent ranges, in place and without allocating.
///
/// Afterwards the ranges are sorted, non-overlapping and non-adjacent (`next.lo > prev.hi + 1`)
/// and cover exactly the addresses the input covered. Ranges with `lo > hi` cover nothing and
/// are dropped.
pub fn merge_v4(ranges: &mut Vec<V4Range>) {
    ranges.sort_unstable();
    let mut kept = 0usize;
    for i in 0..ranges.len() {
        let cur = ranges[i];
        if cur.lo > cur.hi {
            continue;
        }
        if kept > 0 {
            let last = &mut ranges[kept - 1];
            // Saturating: a range ending at u32::MAX absorbs everything after it.
            if cur.lo <= last.hi.saturating_add(1) {
                last.hi = last.hi.max(cur.hi);
                continue;
            }
        }
        ranges[kept] = cur;
        kept += 1;
    }
    ranges.truncate(kept);
}

/// Sorts `ranges` and merges overlapping and adjacent ranges, in place and without allocating.
///
/// Afterwards the ranges are sorted, non-overlapping and non-adjacent (`next.lo > prev.hi + 1`)
/// and cover exactly the addresses the input covered. Ranges with `lo > hi` cover nothing and
/// are dropped.
pub fn merge_v6(ranges: &mut Vec<V6Range>) {
    ranges.sort_unstable();
    let mut kept = 0usize;
    for i in 0..ranges.len() {
        let cur = ranges[i];
        if cur.lo > cur.hi {
            continue;
        }
        if kept > 0 {
            let last = &mut ranges[kept - 1];
            // Saturating: a range ending at u128::MAX absorbs everything after it.
            if cur.lo <= last.hi.saturating_add(1) {
                last.hi = last.hi.max(cur.hi);
                continue;
            }
        }
        ranges[kept] = cur;
        kept += 1;
    }
    ranges.truncate(kept);
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn v4(text: &str) -> V4Range {
        match parse_entry(text) {
            Ok(Entry::V4(r)) => r,
            other => panic!("{text}: expected IPv4, got {other:?}"),
        }
    }

    fn v6(text: &str) -> V6Range {
        match parse_entry(text) {
            Ok(Entry::V6(r)) => r,
            other => panic!("{text}: expected IPv6, got {other:?}"),
        }
    }

    fn a4(text: &str) -> u32 {
        u32::from(text.parse::<Ipv4Addr>().unwrap())
    }

    fn a6(text: &str) -> u128 {
        u128::from(text.parse::<Ipv6Addr>().unwrap())
    }

    #[test]
    fn single_addresses() {
        let a = a4("1.2.3.4");
        assert_eq!(v4("1.2.3.4"), V4Range { lo: a, hi: a });
        assert_eq!(v4("0.0.0.0"), V4Range { lo: 0, hi: 0 });
        assert_eq!(
            v4("255.255.255.255"),
            V4Range {
                lo: u32::MAX,
                hi: u32::MAX
            }
        );
        let b = a6("2001:db8::1");
        assert_eq!(v6("2001:db8::1"), V6Range { lo: b, hi: b });
        assert_eq!(v6("::"), V6Range { lo: 0, hi: 0 });
    }

    #[test]
    fn prefixes() {
        assert_eq!(
            v4("1.2.3.0/24"),
            V4Range {
                lo: a4("1.2.3.0"),
                hi: a4("1.2.3.255")
            }
        );
        assert_eq!(
            v4("1.2.3.4/32"),
            V4Range {
                lo: a4("1.2.3.4"),
                hi: a4("1.2.3.4")
            }
        );
        assert_eq!(v4("1.2.3.4/32").len(), 1);
        assert_eq!(v4("1.2.3.0/24").len(), 256);
        let r = v6("2001:db8::/32");
        assert_eq!(r.lo, a6("2001:db8::"));
        assert_eq!(r.hi, a6("2001:db8:ffff:ffff:ffff:ffff:ffff:ffff"));
        assert_eq!(r.len(), 1u128 << 96);
        assert_eq!(v6("2001:db8::1/128").len(), 1);
    }

    #[test]
    fn ranges() {
        assert_eq!(
            v4("1.2.3.4-1.2.3.9"),
            V4Range {
                lo: a4("1.2.3.4"),
                hi: a4("1.2.3.9")
            }
        );
        assert_eq!(v4("1.2.3.4-1.2.3.4").len(), 1);
        assert_eq!(v4("1.2.3.4-1.2.3.9").len(), 6);
        let r = v6("2001:db8::1-2001:db8::ff");
        assert_eq!(
            r,
            V6Range {
                lo: a6("2001:db8::1"),
                hi: a6("2001:db8::ff")
            }
        );
        assert_eq!(r.len(), 255);
    }

    #[test]
    fn host_bits_set_take_the_whole_prefix() {
        assert_eq!(v4("10.0.0.1/24"), v4("10.0.0.0/24"));
        assert_eq!(
            v4("10.0.0.1/24"),
            V4Range {
                lo: a4("10.0.0.0"),
                hi: a4("10.0.0.255")
            }
        );
        assert_eq!(v6("2001:db8::1/32"), v6("2001:db8::/32"));
    }

    #[test]
    fn slash_zero_is_the_whole_family() {
        assert_eq!(
            v4("0.0.0.0/0"),
            V4Range {
                lo: 0,
                hi: u32::MAX
            }
        );
        assert_eq!(
            v4("1.2.3.4/0"),
            V4Range {
                lo: 0,
                hi: u32::MAX
            }
        );
        assert_eq!(v4("0.0.0.0/0").len(), 1u64 << 32);
        assert_eq!(
            v6("::/0"),
            V6Range {
                lo: 0,
                hi: u128::MAX
            }
        );
        assert_eq!(v6("::/0").len(), u128::MAX);
    }

    #[test]
    fn prefix_too_long_names_the_maximum() {
        let e = parse_entry("1.2.3.0/33").unwrap_err();
        assert_eq!(
            e,
            AddrError::PrefixTooLong {
                text: "1.2.3.0/33".into(),
                family: "IPv4",
                max: 32
            }
        );
        assert_eq!(
            e.to_string(),
            "\"1.2.3.0/33\": prefix length too long: IPv4 allows at most /32"
        );
        let e = parse_entry("2001:db8::/129").unwrap_err();
        assert_eq!(
            e.to_string(),
            "\"2001:db8::/129\": prefix length too long: IPv6 allows at most /128"
        );
        assert!(matches!(
            parse_entry("1.2.3.0/99999999999999999999"),
            Err(AddrError::PrefixTooLong { max: 32, .. })
        ));
        assert!(matches!(
            parse_entry("1.2.3.0/256"),
            Err(AddrError::PrefixTooLong { .. })
        ));
    }

    #[test]
    fn bad_prefix_lengths() {
        for text in [
            "1.2.3.0/",
            "1.2.3.0/x",
            "1.2.3.0/+24",
            "1.2.3.0/24/24",
            "::/ 64",
        ] {
            assert_eq!(
                parse_entry(text),
                Err(AddrError::BadPrefixLength { text: text.into() }),
                "{text:?}"
            );
        }
        // A `-` makes it a range, whose start is then not an address.
        assert_eq!(
            parse_entry("1.2.3.0/-1"),
            Err(AddrError::NotAnAddress {
                text: "1.2.3.0/-1".into()
            })
        );
        assert_eq!(
            parse_entry("1.2.3.0/x").unwrap_err().to_string(),
            "\"1.2.3.0/x\": prefix length is not a decimal number"
        );
        assert_eq!(
            parse_entry("1.2.3.0/08").unwrap_err().to_string(),
            "\"1.2.3.0/08\": prefix length with leading zeros refused"
        );
        assert!(parse_entry("1.2.3.0/0").is_ok());
    }

    #[test]
    fn reversed_range_is_an_error() {
        let e = parse_entry("1.2.3.9-1.2.3.4").unwrap_err();
        assert_eq!(
            e,
            AddrError::ReversedRange {
                text: "1.2.3.9-1.2.3.4".into()
            }
        );
        assert_eq!(
            e.to_string(),
            "\"1.2.3.9-1.2.3.4\": reversed range: the end address is below the start address"
        );
        assert!(matches!(
            parse_entry("2001:db8::ff-2001:db8::1"),
            Err(AddrError::ReversedRange { .. })
        ));
    }

    #[test]
    fn mixed_families_in_a_range() {
        let e = parse_entry("1.2.3.4-::1").unwrap_err();
        assert_eq!(
            e,
            AddrError::MixedFamilies {
                text: "1.2.3.4-::1".into()
            }
        );
        assert_eq!(
            e.to_string(),
            "\"1.2.3.4-::1\": range mixes an IPv4 and an IPv6 address"
        );
        assert!(matches!(
            parse_entry("::1-1.2.3.4"),
            Err(AddrError::MixedFamilies { .. })
        ));
    }

    #[test]
    fn not_an_address() {
        for text in [
            "",
            "10.0.0.300",
            "1.2.3",
            "1.2.3.4.5",
            "host.example",
            "1.2.3.4-",
            "-1.2.3.4",
            "1.2.3.4-1.2.3.5-1.2.3.6",
            "::g",
            "1.2.3.0/24-1.2.4.0",
            " 1.2.3.4",
        ] {
            assert_eq!(
                parse_entry(text),
                Err(AddrError::NotAnAddress { text: text.into() }),
                "{text:?}"
            );
        }
        assert_eq!(
            parse_entry("10.0.0.300").unwrap_err().to_string(),
            "\"10.0.0.300\": not an IPv4 or IPv6 address"
        );
    }

    #[test]
    fn zone_ids_are_refused() {
        let e = parse_entry("fe80::1%eth0").unwrap_err();
        assert_eq!(
            e,
            AddrError::ZoneId {
                text: "fe80::1%eth0".into()
            }
        );
        assert_eq!(
            e.to_string(),
            "\"fe80::1%eth0\": IPv6 zone id (%...) refused: a zone has no meaning in a set"
        );
        assert!(matches!(
            parse_entry("fe80::%1/64"),
            Err(AddrError::ZoneId { .. })
        ));
    }

    #[test]
    fn leading_zeros_are_refused() {
        let e = parse_entry("010.1.1.1").unwrap_err();
        assert_eq!(
            e,
            AddrError::LeadingZeros {
                text: "010.1.1.1".into()
            }
        );
        assert_eq!(
            e.to_string(),
            "\"010.1.1.1\": IPv4 address with leading zeros refused (ambiguous: octal or decimal)"
        );
        assert!(matches!(
            parse_entry("1.2.3.00/24"),
            Err(AddrError::LeadingZeros { .. })
        ));
        assert!(matches!(
            parse_entry("1.1.1.1-1.1.1.08"),
            Err(AddrError::LeadingZeros { .. })
        ));
    }

    #[test]
    fn ipv4_mapped_ipv6_stays_ipv6() {
        let r = v6("::ffff:1.2.3.4");
        assert_eq!(r.lo, 0xffff_0102_0304);
        assert_eq!(r.lo, r.hi);
        assert_eq!(v6("::ffff:1.2.3.0/120").len(), 256);
    }

    #[test]
    fn long_text_is_cut_in_errors() {
        let long = "é".repeat(1000);
        let e = parse_entry(&long).unwrap_err();
        assert_eq!(e.text().chars().count(), EXCERPT_CHARS + 3);
        assert!(e.text().ends_with("..."));
    }

    #[test]
    fn len_and_contains() {
        let r = V4Range { lo: 10, hi: 20 };
        assert_eq!(r.len(), 11);
        assert!(!r.is_empty());
        assert!(r.contains(10) && r.contains(20) && !r.contains(9) && !r.contains(21));
        assert_eq!(
            V4Range {
                lo: 0,
                hi: u32::MAX
            }
            .len(),
            1 << 32
        );
        assert_eq!(V4Range { lo: 5, hi: 4 }.len(), 0);
        assert!(V4Range { lo: 5, hi: 4 }.is_empty());
        let r = V6Range { lo: 10, hi: 20 };
        assert_eq!(r.len(), 11);
        assert!(r.contains(15) && !r.contains(21));
        assert_eq!(
            V6Range {
                lo: 1,
                hi: u128::MAX
            }
            .len(),
            u128::MAX
        );
        assert_eq!(
            V6Range {
                lo: 0,
                hi: u128::MAX - 1
            }
            .len(),
            u128::MAX
        );
        assert_eq!(V6Range { lo: 5, hi: 4 }.len(), 0);
    }

    #[test]
    fn merge_examples() {
        let mut v = vec![
            V4Range { lo: 20, hi: 30 },
            V4Range { lo: 0, hi: 5 },
            V4Range { lo: 6, hi: 8 },
            V4Range { lo: 25, hi: 26 },
            V4Range { lo: 31, hi: 31 },
            V4Range { lo: 40, hi: 50 },
            V4Range { lo: 9, hi: 3 },
        ];
        merge_v4(&mut v);
        assert_eq!(
            v,
            [
                V4Range { lo: 0, hi: 8 },
                V4Range { lo: 20, hi: 31 },
                V4Range { lo: 40, hi: 50 }
            ]
        );
        let mut v = vec![
            V4Range {
                lo: u32::MAX,
                hi: u32::MAX,
            },
            V4Range {
                lo: u32::MAX - 1,
                hi: u32::MAX,
            },
            V4Range {
                lo: 0,
                hi: u32::MAX - 2,
            },
        ];
        merge_v4(&mut v);
        assert_eq!(
            v,
            [V4Range {
                lo: 0,
                hi: u32::MAX
            }]
        );
        let mut v = vec![
            V6Range {
                lo: u128::MAX,
                hi: u128::MAX,
            },
            V6Range {
                lo: 0,
                hi: u128::MAX - 1,
            },
            V6Range { lo: 7, hi: 9 },
        ];
        merge_v6(&mut v);
        assert_eq!(
            v,
            [V6Range {
                lo: 0,
                hi: u128::MAX
            }]
        );
        let mut empty: Vec<V6Range> = Vec::new();
        merge_v6(&mut empty);
        assert!(empty.is_empty());
    }

    /// Whether any of `ranges` contains `a`: the naive reference for merging.
    fn naive_v4(ranges: &[V4Range], a: u32) -> bool {
        ranges.iter().any(|r| r.contains(a))
    }

    fn naive_v6(ranges: &[V6Range], a: u128) -> bool {
        ranges.iter().any(|r| r.contains(a))
    }

    fn value_v4() -> impl Strategy<Value = u32> {
        prop_oneof![
            any::<u32>(),
            0u32..64,
            (u32::MAX - 64)..=u32::MAX,
            Just(u32::MAX),
            Just(0u32),
        ]
    }

    fn range_v4() -> impl Strategy<Value = V4Range> {
        prop_oneof![
            (value_v4(), value_v4()).prop_map(|(a, b)| V4Range {
                lo: a.min(b),
                hi: a.max(b)
            }),
            (value_v4(), 0u32..16).prop_map(|(lo, n)| V4Range {
                lo,
                hi: lo.saturating_add(n)
            }),
        ]
    }

    fn value_v6() -> impl Strategy<Value = u128> {
        prop_oneof![
            any::<u128>(),
            0u128..64,
            (u128::MAX - 64)..=u128::MAX,
            Just(u128::MAX),
            Just(0u128),
        ]
    }

    fn range_v6() -> impl Strategy<Value = V6Range> {
        prop_oneof![
            (value_v6(), value_v6()).prop_map(|(a, b)| V6Range {
                lo: a.min(b),
                hi: a.max(b)
            }),
            (value_v6(), 0u128..16).prop_map(|(lo, n)| V6Range {
                lo,
                hi: lo.saturating_add(n)
            }),
        ]
    }

    proptest! {
        #[test]
        fn merge_v4_is_sorted_disjoint_and_covers_the_same(
            input in proptest::collection::vec(range_v4(), 0..40),
            samples in proptest::collection::vec(any::<u32>(), 0..64),
        ) {
            let mut merged = input.clone();
            merge_v4(&mut merged);
            for r in &merged {
                prop_assert!(r.lo <= r.hi);
            }
            for w in merged.windows(2) {
                // Sorted, disjoint and non-adjacent: a gap of at least one address.
                prop_assert!(w[0].hi < w[1].lo && w[1].lo - w[0].hi >= 2, "{:?}", w);
            }
            let mut points = samples;
            for r in input.iter().chain(merged.iter()) {
                for p in [r.lo, r.hi] {
                    points.extend([p.wrapping_sub(1), p, p.wrapping_add(1)]);
                }
            }
            for p in points {
                prop_assert_eq!(naive_v4(&input, p), naive_v4(&merged, p), "address {}", p);
            }
            let total: u64 = merged.iter().map(V4Range::len).sum();
            prop_assert!(total <= 1u64 << 32);
        }

        #[test]
        fn merge_v6_is_sorted_disjoint_and_covers_the_same(
            input in proptest::collection::vec(range_v6(), 0..40),
            samples in proptest::collection::vec(any::<u128>(), 0..64),
        ) {
            let mut merged = input.clone();
            merge_v6(&mut merged);
            for r in &merged {
                prop_assert!(r.lo <= r.hi);
            }
            for w in merged.windows(2) {
                prop_assert!(w[0].hi < w[1].lo && w[1].lo - w[0].hi >= 2, "{:?}", w);
            }
            let mut points = samples;
            for r in input.iter().chain(merged.iter()) {
                for p in [r.lo, r.hi] {
                    points.extend([p.wrapping_sub(1), p, p.wrapping_add(1)]);
                }
            }
            for p in points {
                prop_assert_eq!(naive_v6(&input, p), naive_v6(&merged, p), "address {}", p);
            }
        }

        #[test]
        fn v4_prefix_text_matches_ipnet(a in any::<u32>(), len in 0u8..=32) {
            let net = Ipv4Net::new(Ipv4Addr::from(a), len).unwrap().trunc();
            let r = v4(&format!("{}/{}", Ipv4Addr::from(a), len));
            prop_assert_eq!(r.lo, u32::from(net.network()));
            prop_assert_eq!(r.hi, u32::from(net.broadcast()));
            prop_assert_eq!(r.len(), 1u64 << (32 - len));
        }

        #[test]
        fn v6_prefix_text_matches_ipnet(a in any::<u128>(), len in 0u8..=128) {
            let net = Ipv6Net::new(Ipv6Addr::from(a), len).unwrap().trunc();
            let r = v6(&format!("{}/{}", Ipv6Addr::from(a), len));
            prop_assert_eq!(r.lo, u128::from(net.network()));
            prop_assert_eq!(r.hi, u128::from(net.broadcast()));
        }

        #[test]
        fn parse_entry_never_panics(text in "\\PC{0,60}") {
            let _ = parse_entry(&text);
        }
    }
}

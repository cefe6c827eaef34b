//! Hostile lists: binary garbage, NUL bytes, invalid UTF-8, ten million lines, a line of a
//! megabyte, zone ids, leading zeros, host bits, `/0`, `/33`, `/129`, reversed ranges, a
//! prefix length after a space, duplicate and nested prefixes.
//!
//! Each either loads correctly (checked in the kernel, in a private network namespace) or
//! fails with an error naming file and line; the ambiguous ones follow the choices documented
//! in the README and in `docs/reliability.md`.

mod common;

use std::io::{BufRead, BufReader, Read};

use nlbatch::blocklist::{read_list, Entries, LineError, ListError, ReadOptions};
use nlbatch::load::{LoadOptions, Loader};

/// Reads `text` as the list `hostile.txt`.
fn read(text: &[u8], opts: &ReadOptions) -> Result<Entries, ListError> {
    let mut entries = Entries::default();
    read_list("hostile.txt", text, opts, &mut entries)?;
    Ok(entries)
}

/// The error of reading `text`, which must fail; checks that it names `hostile.txt:line`.
fn fails_at(text: &[u8], line: u64) -> ListError {
    let err = match read(text, &ReadOptions::default()) {
        Ok(e) => panic!(
            "{:?} should fail, read {e:?}",
            String::from_utf8_lossy(text)
        ),
        Err(err) => err,
    };
    let shown = err.to_string();
    assert!(
        shown.starts_with(&format!("hostile.txt:{line}: ")),
        "{shown}"
    );
    assert!(
        shown.len() < 300,
        "error text stays short: {} bytes",
        shown.len()
    );
    err
}

fn reason(err: &ListError) -> &LineError {
    match err {
        ListError::Invalid { reason, .. } => reason,
        other => panic!("expected an invalid line, got {other:?}"),
    }
}

/// Deterministic pseudo-random bytes (a 64-bit LCG, top byte).
fn garbage(n: usize, seed: u64) -> Vec<u8> {
    let mut x = seed;
    (0..n)
        .map(|_| {
            x = x
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (x >> 56) as u8
        })
        .collect()
}

#[test]
fn binary_garbage_nul_bytes_and_invalid_utf8_name_file_and_line() {
    let mut text = b"# header\n1.2.3.4\n".to_vec();
    text.extend(garbage(64 * 1024, 7));
    let err = fails_at(&text, 3);
    assert!(matches!(
        reason(&err),
        LineError::NotUtf8 { .. } | LineError::Nul { .. } | LineError::Addr(_)
    ));

    let err = fails_at(b"1.2.3.4\n5.6.7.8\0\n", 2);
    assert!(matches!(reason(&err), LineError::Nul { .. }), "{err}");
    assert!(err.to_string().contains("NUL byte"), "{err}");

    // Invalid UTF-8 even inside a comment: the line cannot be trusted.
    let err = fails_at(b"1.2.3.4\n\n5.6.7.8 # caf\xe9\n", 3);
    assert!(matches!(reason(&err), LineError::NotUtf8 { .. }), "{err}");
    assert!(err.to_string().contains("not valid UTF-8"), "{err}");

    // Skipping, garbage is counted and only the first lines are kept: memory stays bounded.
    let mut text = Vec::new();
    for seed in 0..200_000u64 {
        // Six bytes without a line end: one line each.
        text.extend(
            garbage(6, seed)
                .iter()
                .map(|&b| if b == b'\n' { 0 } else { b }),
        );
        text.push(b'\n');
    }
    text.extend_from_slice(b"9.9.9.9\n");
    let skip = ReadOptions {
        skip_invalid: true,
        ..ReadOptions::default()
    };
    let e = read(&text, &skip).unwrap();
    assert_eq!(e.invalid.len(), 10);
    assert!(e.invalid_count > 190_000, "{}", e.invalid_count);
    assert!(e.v4.len() as u64 + e.invalid_count <= e.lines);
    assert_eq!(
        e.v4_origin(e.v4.len() - 1).unwrap().line,
        200_001,
        "the address after the garbage keeps its line"
    );
}

/// A reader that produces `lines` lines `a.b.c.d\n` without holding them in memory.
struct Lines {
    next: u64,
    lines: u64,
    pending: Vec<u8>,
    at: usize,
}

impl Read for Lines {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.at == self.pending.len() {
            self.pending.clear();
            self.at = 0;
            while self.pending.len() < 64 * 1024 && self.next < self.lines {
                let a = std::net::Ipv4Addr::from(0x0100_0000 + (self.next as u32) * 3);
                self.pending.extend_from_slice(a.to_string().as_bytes());
                self.pending.push(b'\n');
                self.next += 1;
            }
        }
        let n = buf.len().min(self.pending.len() - self.at);
        buf[..n].copy_from_slice(&self.pending[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

#[test]
fn ten_million_lines_are_read_with_one_line_run_and_exact_origins() {
    const LINES: u64 = 10_000_000;
    let reader = BufReader::with_capacity(
        1 << 16,
        Lines {
            next: 0,
            lines: LINES,
            pending: Vec::new(),
            at: 0,
        },
    );
    let mut e = Entries::default();
    read_list("ten-million.txt", reader, &ReadOptions::default(), &mut e).unwrap();
    assert_eq!(e.lines, LINES);
    assert_eq!(e.v4.len() as u64, LINES);
    assert_eq!(e.v4_lines.len(), 1, "one run of lines: no per-entry origin");
    let last = e.v4_origin(e.v4.len() - 1).unwrap();
    assert_eq!(last.to_string(), "ten-million.txt:10000000");
    assert_eq!(e.v4[9_999_999].lo, 0x0100_0000 + 9_999_999 * 3);
    let mut merged = e.v4.clone();
    nlbatch::addr::merge_v4(&mut merged);
    assert_eq!(
        merged.len() as u64,
        LINES,
        "every third address: nothing merges"
    );
}

#[test]
fn a_line_of_a_megabyte_is_read_whole_and_reported_in_short() {
    let mut text = b"1.2.3.4 # ".to_vec();
    text.extend(std::iter::repeat(b'x').take(1 << 20));
    text.extend_from_slice(b"\n5.6.7.8\n");
    let e = read(&text, &ReadOptions::default()).unwrap();
    assert_eq!(e.v4.len(), 2, "a long comment is still a comment");

    let mut text = b"1.2.3.4\n".to_vec();
    text.extend(std::iter::repeat(b'7').take(1 << 20));
    text.push(b'\n');
    let err = fails_at(&text, 2);
    assert!(err.to_string().contains("..."), "excerpt cut short: {err}");
}

/// An endless line: `byte` forever, never a line end (what `/dev/zero` gives).
struct Endless(u8);

impl Read for Endless {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        buf.fill(self.0);
        Ok(buf.len())
    }
}

#[test]
fn an_endless_line_is_refused_after_a_bounded_read() {
    use nlbatch::blocklist::MAX_LINE_BYTES;
    for byte in [0u8, b'7'] {
        let mut e = Entries::default();
        let reader = BufReader::new(Endless(byte));
        let err = read_list("zero", reader, &ReadOptions::default(), &mut e).unwrap_err();
        assert!(matches!(reason(&err), LineError::TooLong { .. }), "{err}");
        assert!(err.to_string().starts_with("zero:1: "), "{err}");
        assert!(
            err.to_string().contains("line longer than 16777216 bytes"),
            "{err}"
        );
        assert!(err.to_string().len() < 300, "reported in short: {err}");
    }

    // Skipping invalid lines, a line past the limit still stops the reading: its end may never
    // come. The lines before it are not loaded either.
    let mut text = b"1.2.3.4\n".to_vec();
    text.extend(std::iter::repeat(b'x').take(2 * MAX_LINE_BYTES + 5));
    text.extend_from_slice(b"\n5.6.7.8\n");
    let skip = ReadOptions {
        skip_invalid: true,
        ..ReadOptions::default()
    };
    let err = read(&text, &skip).unwrap_err();
    assert!(matches!(reason(&err), LineError::TooLong { .. }), "{err}");
    assert!(err.to_string().starts_with("hostile.txt:2: "), "{err}");
    let mut e = Entries::default();
    let endless = BufReader::new(Endless(0));
    let err = read_list("zero", endless, &skip, &mut e).unwrap_err();
    assert!(matches!(reason(&err), LineError::TooLong { .. }), "{err}");
}

#[test]
fn ambiguous_and_malformed_entries_fail_naming_file_and_line() {
    for (entry, wanted) in [
        ("fe80::1%eth0", "zone id"),
        ("fe80::%1/64", "zone id"),
        ("010.1.1.1", "leading zeros"),
        ("10.1.1.01/32", "leading zeros"),
        ("1.2.3.0/33", "at most /32"),
        ("2001:db8::/129", "at most /128"),
        ("1.2.3.9-1.2.3.4", "reversed range"),
        ("2001:db8::ff - 2001:db8::1", "reversed range"),
        ("7.0.0.0 /8", "separated from the address"),
        ("1.2.3.4-::1", "mixes"),
        ("1.2.3.0/-1", "not an IPv4 or IPv6 address"),
        ("1.2.3.0/x", "not a decimal number"),
        ("1.2.3.0/08", "leading zeros"),
    ] {
        let text = format!("# list\n192.0.2.1\n{entry} # hostile\n");
        let err = fails_at(text.as_bytes(), 3);
        assert!(err.to_string().contains(wanted), "{entry:?}: {err}");
    }
}

/// The set's elements as `nft` prints them, whitespace collapsed.
fn set_text(set: &str) -> String {
    let out = common::nft(&["list", "set", "inet", "nlbatch", set]);
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn load_text(loader: &mut Loader, text: &str) -> nlbatch::load::Summary {
    let e = read(text.as_bytes(), &ReadOptions::default()).unwrap();
    loader.load(&e, &LoadOptions::default()).unwrap()
}

#[test]
fn host_bits_slash_zero_duplicates_and_nested_prefixes_load_as_their_union() {
    common::in_netns("hostile_loads", || {
        let mut loader = Loader::new(nlbatch::arena::DEFAULT_PAGE_SIZE).unwrap();

        // Host bits mean the whole prefix; duplicates and nested prefixes merge.
        let s = load_text(
            &mut loader,
            "10.9.8.7/8\n10.0.0.0/8\n10.1.0.0/16\n10.1.2.3\n192.0.2.1\n192.0.2.1\n\
             192.0.2.0/31\n2001:db8::1/32\n2001:db8:5::/48\n2001:db8::/32\n",
        );
        assert_eq!((s.entries, s.ranges), (10, 3));
        assert!(s.committed);
        assert!(
            set_text("blocklist_v4").contains("elements = { 10.0.0.0/8, 192.0.2.0/31 }"),
            "{}",
            set_text("blocklist_v4")
        );
        assert!(
            set_text("blocklist_v6").contains("elements = { 2001:db8::/32 }"),
            "{}",
            set_text("blocklist_v6")
        );

        // /0 is the whole family: one interval with no end element.
        let s = load_text(&mut loader, "1.2.3.4/0\n5.6.7.8\n::/0\n");
        assert_eq!((s.ranges, s.elements), (2, 2));
        assert!(
            set_text("blocklist_v4").contains("elements = { 0.0.0.0/0 }"),
            "{}",
            set_text("blocklist_v4")
        );
        assert!(
            set_text("blocklist_v6").contains("elements = { ::/0 }"),
            "{}",
            set_text("blocklist_v6")
        );
        let probe = common::nft(&[
            "get",
            "element",
            "inet",
            "nlbatch",
            "blocklist_v4",
            "{ 255.255.255.255 }",
        ]);
        assert!(probe.contains("0.0.0.0/0"), "{probe}");
    });
}

#[test]
fn the_tool_refuses_a_garbage_file_naming_it_and_sends_nothing() {
    let dir = std::env::temp_dir().join(format!("nlbatch-hostile-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("garbage.bin");
    let mut bytes = b"192.0.2.1\n".to_vec();
    bytes.extend(garbage(4096, 11));
    std::fs::write(&path, &bytes).unwrap();
    let path = path.to_string_lossy().into_owned();
    common::in_netns("hostile_tool", move || {
        let out = common::tool(&[&path]);
        assert_eq!(out.status.code(), Some(2), "{out:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(&format!("{path}:2: ")), "{stderr}");
        assert!(stderr.lines().count() <= 2, "{stderr}");
        assert_eq!(common::ruleset(), "", "nothing sent");
        let first_line = BufReader::new(&bytes[..]).lines().next().unwrap().unwrap();
        assert_eq!(first_line, "192.0.2.1");
    });
}

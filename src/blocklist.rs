//! Reading real-world blocklists: one entry per line, with comments, extra columns and mess.
//!
//! # Accepted line format
//!
//! - One entry per line, in any form [`parse_entry`](crate::addr::parse_entry) accepts
//!   (address, CIDR prefix or `lo-hi` range), IPv4 and IPv6 mixed freely.
//! - Comments start with `#` or `;`, either on a whole line or trailing an entry
//!   (`1.2.3.4 # bad host`, `1.2.3.0/24 ; SBL123`).
//! - Extra columns after the entry, separated by whitespace (tab or spaces), are ignored
//!   (`1.2.3.4\t7` from ipsum lists). The one exception is a column starting with `-`: it is
//!   read as the end of a range written with spaces (`1.2.3.4 - 1.2.3.9`), so that such a range
//!   is not silently taken as its first address. A column right after the entry that starts
//!   with `/` is an error ([`LineError::DetachedPrefix`]): `7.0.0.0 /8` is a prefix written with
//!   a space, and loading only its first address would silently block far less than meant.
//! - Blank lines, leading and trailing whitespace and CRLF line ends are accepted.
//! - A UTF-8 byte order mark at the start of a file is ignored.
//! - Lines are read as bytes: invalid UTF-8 or a NUL byte anywhere in a line (comment
//!   included) makes that line invalid; it never fails the whole file or panics.
//!
//! # Where an entry came from
//!
//! Keeping an [`Origin`] per entry would cost tens of bytes for each of millions of entries.
//! Instead, [`Entries`] keeps, per family, a list of [`LineRun`]s: a run records that entries
//! `first, first + 1, ...` came from consecutive lines `line, line + 1, ...` of one file. A
//! typical list (a comment header, then one entry per line) needs one run per file and family;
//! the worst case (every entry separated by comments or lines of the other family) is one run
//! per entry. [`Entries::v4_origin`] and [`Entries::v6_origin`] find the origin of any entry.

use std::fmt;
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::sync::Arc;

use crate::addr::{self, AddrError, Entry, EXCERPT_CHARS};

/// The UTF-8 encoding of U+FEFF, the byte order mark.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// The longest line the reader holds in memory: 16 MiB. A longer one (an endless stream such
/// as `/dev/zero`, or a file that is not a list) stops the reading with an error naming its
/// line, even when invalid lines are skipped, and is read no further than this: memory and
/// time stay bounded whatever the input.
pub const MAX_LINE_BYTES: usize = 16 << 20;

/// Where an input item came from: file name (as given, `-` for standard input) and 1-based line.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Origin {
    /// The file name as given by the caller; `-` for standard input.
    pub file: Arc<str>,
    /// The 1-based line number.
    pub line: u64,
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.file, self.line)
    }
}

/// Why one line of a list could not be read as an entry.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LineError {
    /// The entry text is not a usable address, prefix or range.
    #[error(transparent)]
    Addr(#[from] AddrError),
    /// The line is not valid UTF-8.
    #[error("{text:?}: line is not valid UTF-8")]
    NotUtf8 {
        /// An excerpt of the line, invalid bytes shown as U+FFFD.
        text: String,
    },
    /// The line contains a NUL byte.
    #[error("{text:?}: line contains a NUL byte")]
    Nul {
        /// An excerpt of the line.
        text: String,
    },
    /// The line is longer than [`MAX_LINE_BYTES`]; only its start was read.
    #[error("{text:?}: line longer than {max} bytes: not an address list", max = MAX_LINE_BYTES)]
    TooLong {
        /// An excerpt of the line's start.
        text: String,
    },
    /// The column after the entry starts with `/`: a prefix length cut off from its address
    /// by whitespace (`7.0.0.0 /8`), refused rather than loading the address alone.
    #[error(
        "{text:?}: prefix length separated from the address by whitespace \
         (write ADDRESS/LENGTH without spaces)"
    )]
    DetachedPrefix {
        /// An excerpt of the line, comment removed.
        text: String,
    },
}

/// A line that could not be read as an entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidLine {
    /// Where the line is.
    pub origin: Origin,
    /// An excerpt of the line (at most 80 characters, invalid bytes shown as U+FFFD).
    pub text: String,
    /// Why the line is invalid.
    pub reason: LineError,
}

/// A run of consecutive entries of one family that came from consecutive lines of one file.
///
/// Entry `first + k` of the family's list came from line `line + k` of file `file`, for every
/// `k` up to the start of the next run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct LineRun {
    /// Index of the run's first entry in [`Entries::v4`] or [`Entries::v6`].
    pub first: usize,
    /// Index of the file in [`Entries::files`].
    pub file: usize,
    /// 1-based line number of the run's first entry.
    pub line: u64,
}

/// The outcome of reading one or more lists.
#[derive(Debug, Default, Clone)]
pub struct Entries {
    /// IPv4 entries in input order, not merged.
    pub v4: Vec<addr::V4Range>,
    /// IPv6 entries in input order, not merged.
    pub v6: Vec<addr::V6Range>,
    /// Where the IPv4 entries came from, as runs sorted by [`LineRun::first`].
    pub v4_lines: Vec<LineRun>,
    /// Where the IPv6 entries came from, as runs sorted by [`LineRun::first`].
    pub v6_lines: Vec<LineRun>,
    /// Lines read in total, over all files.
    pub lines: u64,
    /// The first invalid lines, at most [`ReadOptions::keep_invalid`] of them.
    pub invalid: Vec<InvalidLine>,
    /// The number of invalid lines, including those not kept in [`Entries::invalid`].
    pub invalid_count: u64,
    /// The names of the lists read, in order; [`LineRun::file`] indexes this.
    pub files: Vec<Arc<str>>,
}

impl Entries {
    /// Where IPv4 entry `index` (an index into [`Entries::v4`]) came from.
    pub fn v4_origin(&self, index: usize) -> Option<Origin> {
        if index >= self.v4.len() {
            return None;
        }
        self.origin(&self.v4_lines, index)
    }

    /// Where IPv6 entry `index` (an index into [`Entries::v6`]) came from.
    pub fn v6_origin(&self, index: usize) -> Option<Origin> {
        if index >= self.v6.len() {
            return None;
        }
        self.origin(&self.v6_lines, index)
    }

    fn origin(&self, runs: &[LineRun], index: usize) -> Option<Origin> {
        let after = runs.partition_point(|run| run.first <= index);
        let run = runs.get(after.checked_sub(1)?)?;
        let offset = u64::try_from(index.checked_sub(run.first)?).ok()?;
        Some(Origin {
            file: self.files.get(run.file)?.clone(),
            line: run.line.checked_add(offset)?,
        })
    }
}

/// Records that the entry about to be pushed at `index` came from `file`, `line`.
fn note_line(runs: &mut Vec<LineRun>, index: usize, file: usize, line: u64) {
    if let Some(run) = runs.last() {
        let continues = run.file == file
            && index
                .checked_sub(run.first)
                .and_then(|offset| u64::try_from(offset).ok())
                .and_then(|offset| run.line.checked_add(offset))
                == Some(line);
        if continues {
            return;
        }
    }
    runs.push(LineRun {
        first: index,
        file,
        line,
    });
}

/// How to read lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadOptions {
    /// Count and skip invalid lines instead of failing on the first one.
    pub skip_invalid: bool,
    /// How many invalid lines to keep in [`Entries::invalid`] (default 10).
    pub keep_invalid: usize,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            skip_invalid: false,
            keep_invalid: 10,
        }
    }
}

/// Why a list could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ListError {
    /// The list could not be opened or read.
    #[error("cannot read {file}: {source}")]
    Io {
        /// The file name as given (`-` for standard input).
        file: Arc<str>,
        /// The underlying I/O error.
        source: std::io::Error,
    },
    /// A line is invalid and [`ReadOptions::skip_invalid`] is off.
    #[error("{origin}: {reason}")]
    Invalid {
        /// Where the line is.
        origin: Origin,
        /// An excerpt of the line (at most 80 characters).
        text: String,
        /// Why the line is invalid.
        reason: LineError,
    },
}

/// An excerpt of raw line bytes: at most [`EXCERPT_CHARS`] characters, invalid UTF-8 shown as
/// U+FFFD. Only a bounded prefix of the bytes is looked at, however long the line.
fn excerpt_bytes(bytes: &[u8]) -> String {
    // Every character takes at most 4 bytes, so this window holds more characters than are
    // kept, and a sequence cut at the window's end is never shown.
    let window = &bytes[..bytes.len().min(4 * (EXCERPT_CHARS + 1))];
    addr::excerpt(&String::from_utf8_lossy(window))
}

/// Strips ASCII whitespace (including `\r` and `\n`) from both ends of `bytes`.
fn trim_bytes(bytes: &[u8]) -> &[u8] {
    let start = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(bytes.len());
    let end = bytes
        .iter()
        .rposition(|b| !b.is_ascii_whitespace())
        .map_or(start, |i| i + 1);
    &bytes[start..end]
}

/// Parses one line of a list: `Ok(None)` for a blank or comment-only line.
///
/// The line may still carry its `\n` or `\r\n` end. A byte order mark is not stripped here;
/// [`read_list`] does that for the first line of a file. See the module documentation for the
/// accepted format.
///
/// # Errors
///
/// [`LineError::Nul`] or [`LineError::NotUtf8`] for such lines, [`LineError::Addr`] when the
/// first column is not a usable entry.
pub fn parse_line(line: &[u8]) -> Result<Option<Entry>, LineError> {
    if line.contains(&0) {
        return Err(LineError::Nul {
            text: excerpt_bytes(trim_bytes(line)),
        });
    }
    let Ok(text) = std::str::from_utf8(line) else {
        return Err(LineError::NotUtf8 {
            text: excerpt_bytes(trim_bytes(line)),
        });
    };
    let data = match text.find(['#', ';']) {
        Some(comment) => &text[..comment],
        None => text,
    };
    let mut columns = data.split_whitespace();
    let Some(first) = columns.next() else {
        return Ok(None);
    };
    let second = columns.next();
    if second.is_some_and(|c| c.starts_with('/')) {
        return Err(LineError::DetachedPrefix {
            text: addr::excerpt(data.trim()),
        });
    }
    let entry = match (first.strip_suffix('-'), second) {
        // `lo- hi`
        (Some(lo), Some(hi)) if !lo.is_empty() => addr::parse_entry(&format!("{lo}-{hi}"))?,
        // `lo - hi` and `lo -hi`
        (None, Some(second)) if second.starts_with('-') => {
            let hi = match &second[1..] {
                "" => columns.next().unwrap_or(""),
                rest => rest,
            };
            addr::parse_entry(&format!("{first}-{hi}"))?
        }
        _ => addr::parse_entry(first)?,
    };
    Ok(Some(entry))
}

/// Reads one list from any reader into `into`; `name` is used in [`Origin`]s and errors.
///
/// With [`ReadOptions::skip_invalid`] off, the first invalid line ends reading with
/// [`ListError::Invalid`]; `into` then holds the entries read before it and must be discarded
/// by a caller that wants all or nothing. With it on, invalid lines are counted in
/// [`Entries::invalid_count`] and the first [`ReadOptions::keep_invalid`] are kept.
///
/// # Errors
///
/// [`ListError::Io`] if reading fails; [`ListError::Invalid`] as described above.
pub fn read_list<R: BufRead>(
    name: &str,
    mut reader: R,
    opts: &ReadOptions,
    into: &mut Entries,
) -> Result<(), ListError> {
    let file: Arc<str> = Arc::from(name);
    let file_index = into.files.len();
    into.files.push(file.clone());
    let mut buf = Vec::new();
    let mut line_no = 0u64;
    let io = |source| ListError::Io {
        file: file.clone(),
        source,
    };
    let limit = MAX_LINE_BYTES as u64 + 1;
    loop {
        buf.clear();
        let read = reader
            .by_ref()
            .take(limit)
            .read_until(b'\n', &mut buf)
            .map_err(io)?;
        if read == 0 {
            return Ok(());
        }
        line_no += 1;
        into.lines += 1;
        let too_long = buf.len() > MAX_LINE_BYTES && buf.last() != Some(&b'\n');
        if too_long {
            // Fatal even when skipping invalid lines: its end may never come (`/dev/zero`).
            buf.truncate(EXCERPT_CHARS * 4);
            let text = excerpt_bytes(trim_bytes(&buf));
            return Err(ListError::Invalid {
                origin: Origin {
                    file: file.clone(),
                    line: line_no,
                },
                text: text.clone(),
                reason: LineError::TooLong { text },
            });
        }
        let mut line = buf.as_slice();
        if line_no == 1 {
            line = line.strip_prefix(BOM).unwrap_or(line);
        }
        match parse_line(line) {
            Ok(None) => {}
            Ok(Some(Entry::V4(r))) => {
                note_line(&mut into.v4_lines, into.v4.len(), file_index, line_no);
                into.v4.push(r);
            }
            Ok(Some(Entry::V6(r))) => {
                note_line(&mut into.v6_lines, into.v6.len(), file_index, line_no);
                into.v6.push(r);
            }
            Err(reason) => {
                let origin = Origin {
                    file: file.clone(),
                    line: line_no,
                };
                let text = excerpt_bytes(trim_bytes(line));
                if !opts.skip_invalid {
                    return Err(ListError::Invalid {
                        origin,
                        text,
                        reason,
                    });
                }
                into.invalid_count += 1;
                if into.invalid.len() < opts.keep_invalid {
                    into.invalid.push(InvalidLine {
                        origin,
                        text,
                        reason,
                    });
                }
            }
        }
    }
}

/// Reads files by path (`-` means standard input), in order, into one [`Entries`].
///
/// # Errors
///
/// [`ListError::Io`] if a file cannot be opened or read; [`ListError::Invalid`] as for
/// [`read_list`]. Reading stops at the first error.
pub fn read_files<P: AsRef<str>>(paths: &[P], opts: &ReadOptions) -> Result<Entries, ListError> {
    let mut entries = Entries::default();
    for path in paths {
        let path = path.as_ref();
        if path == "-" {
            let stdin = std::io::stdin();
            read_list(path, stdin.lock(), opts, &mut entries)?;
        } else {
            let file = File::open(path).map_err(|source| ListError::Io {
                file: Arc::from(path),
                source,
            })?;
            let reader = BufReader::with_capacity(1 << 16, file);
            read_list(path, reader, opts, &mut entries)?;
        }
    }
    Ok(entries)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::addr::{merge_v4, merge_v6, V4Range, V6Range};
    use ipnet::{Ipv4Net, Ipv6Net};
    use proptest::prelude::*;
    use std::net::{Ipv4Addr, Ipv6Addr};

    fn a4(text: &str) -> u32 {
        u32::from(text.parse::<Ipv4Addr>().unwrap())
    }

    fn a6(text: &str) -> u128 {
        u128::from(text.parse::<Ipv6Addr>().unwrap())
    }

    fn one4(text: &str) -> V4Range {
        V4Range {
            lo: a4(text),
            hi: a4(text),
        }
    }

    fn line(bytes: &[u8]) -> Option<Entry> {
        match parse_line(bytes) {
            Ok(e) => e,
            Err(e) => panic!("{:?}: {e}", String::from_utf8_lossy(bytes)),
        }
    }

    fn read(text: &[u8], opts: &ReadOptions) -> Result<Entries, ListError> {
        let mut entries = Entries::default();
        read_list("blocked.txt", text, opts, &mut entries)?;
        Ok(entries)
    }

    fn skipping() -> ReadOptions {
        ReadOptions {
            skip_invalid: true,
            ..ReadOptions::default()
        }
    }

    #[test]
    fn blank_and_comment_lines() {
        for text in [
            &b""[..],
            b"   ",
            b"\t \r\n",
            b"\n",
            b"# comment",
            b"; comment",
            b"   # indented comment",
            b"#1.2.3.4",
            b";1.2.3.4",
        ] {
            assert_eq!(line(text), None, "{:?}", String::from_utf8_lossy(text));
        }
    }

    #[test]
    fn entries_with_trailing_comments_and_columns() {
        let want = Some(Entry::V4(one4("1.2.3.4")));
        for text in [
            &b"1.2.3.4"[..],
            b"1.2.3.4 # bad host",
            b"1.2.3.4 ; x",
            b"1.2.3.4#x",
            b"1.2.3.4;x",
            b"1.2.3.4\t7",
            b"1.2.3.4   7 extra columns",
            b"  \t1.2.3.4  \t",
            b"1.2.3.4\r\n",
            b"1.2.3.4\n",
            b"1.2.3.4\t7\r\n",
        ] {
            assert_eq!(line(text), want, "{:?}", String::from_utf8_lossy(text));
        }
        assert_eq!(
            line(b"1.2.3.0/24 ; SBL123"),
            Some(Entry::V4(V4Range {
                lo: a4("1.2.3.0"),
                hi: a4("1.2.3.255")
            }))
        );
        let v6 = a6("2001:db8::1");
        assert_eq!(
            line(b"2001:db8::1 # v6 host\r\n"),
            Some(Entry::V6(V6Range { lo: v6, hi: v6 }))
        );
    }

    #[test]
    fn ranges_written_with_spaces() {
        let want = Some(Entry::V4(V4Range {
            lo: a4("1.2.3.4"),
            hi: a4("1.2.3.9"),
        }));
        for text in [
            &b"1.2.3.4-1.2.3.9"[..],
            b"1.2.3.4 - 1.2.3.9",
            b"1.2.3.4 -1.2.3.9",
            b"1.2.3.4- 1.2.3.9",
            b"1.2.3.4\t-\t1.2.3.9 # range",
        ] {
            assert_eq!(line(text), want, "{:?}", String::from_utf8_lossy(text));
        }
        assert!(matches!(
            parse_line(b"1.2.3.4 - "),
            Err(LineError::Addr(AddrError::NotAnAddress { .. }))
        ));
        assert!(matches!(
            parse_line(b"1.2.3.9 - 1.2.3.4"),
            Err(LineError::Addr(AddrError::ReversedRange { .. }))
        ));
    }

    #[test]
    fn a_prefix_length_after_a_space_is_an_error() {
        for text in [
            &b"7.0.0.0 /8"[..],
            b"7.0.0.0\t/8 # comment",
            b"7.0.0.0 / 8",
            b"2001:db8:: /32",
        ] {
            let err = parse_line(text).unwrap_err();
            assert!(
                matches!(err, LineError::DetachedPrefix { .. }),
                "{:?}: {err:?}",
                String::from_utf8_lossy(text)
            );
        }
        assert_eq!(
            parse_line(b"7.0.0.0 /8 # x").unwrap_err().to_string(),
            "\"7.0.0.0 /8\": prefix length separated from the address by whitespace \
             (write ADDRESS/LENGTH without spaces)"
        );
        let e = read(b"1.2.3.4\n7.0.0.0 /8\n", &ReadOptions::default()).unwrap_err();
        assert!(e.to_string().starts_with("blocked.txt:2: "), "{e}");
        // A `/` further right is just another extra column.
        assert_eq!(line(b"1.2.3.4 7 /x"), Some(Entry::V4(one4("1.2.3.4"))));
    }

    #[test]
    fn invalid_lines() {
        assert_eq!(
            parse_line(b"10.0.0.300 # typo"),
            Err(LineError::Addr(AddrError::NotAnAddress {
                text: "10.0.0.300".into()
            }))
        );
        assert_eq!(
            parse_line(b"1.2.3.4\0"),
            Err(LineError::Nul {
                text: "1.2.3.4\0".into()
            })
        );
        assert_eq!(
            parse_line(b"1.2.3.4 # caf\xE9"),
            Err(LineError::NotUtf8 {
                text: "1.2.3.4 # caf\u{FFFD}".into()
            })
        );
        assert_eq!(
            parse_line(b"\xFF\xFE1.2.3.4").unwrap_err().to_string(),
            "\"\u{FFFD}\u{FFFD}1.2.3.4\": line is not valid UTF-8"
        );
        assert_eq!(
            parse_line(b"1.2.3.4\0").unwrap_err().to_string(),
            "\"1.2.3.4\\0\": line contains a NUL byte"
        );
    }

    #[test]
    fn read_a_messy_list() {
        let text = b"\xEF\xBB\xBF# header\r\n\
            1.2.3.4\t7\r\n\
            \r\n\
            2001:db8::/32 ; doc\r\n\
            \x20 10.0.0.1/24  # host bits\r\n\
            5.6.7.8\n\
            ::ffff:1.2.3.4\n\
            9.9.9.9-9.9.9.10";
        let e = read(text, &ReadOptions::default()).unwrap();
        assert_eq!(e.lines, 8);
        assert_eq!(e.invalid_count, 0);
        assert!(e.invalid.is_empty());
        assert_eq!(e.files, vec![Arc::<str>::from("blocked.txt")]);
        assert_eq!(
            e.v4,
            vec![
                one4("1.2.3.4"),
                V4Range {
                    lo: a4("10.0.0.0"),
                    hi: a4("10.0.0.255")
                },
                one4("5.6.7.8"),
                V4Range {
                    lo: a4("9.9.9.9"),
                    hi: a4("9.9.9.10")
                },
            ]
        );
        assert_eq!(
            e.v6,
            vec![
                V6Range {
                    lo: a6("2001:db8::"),
                    hi: a6("2001:db8:ffff:ffff:ffff:ffff:ffff:ffff")
                },
                V6Range {
                    lo: a6("::ffff:1.2.3.4"),
                    hi: a6("::ffff:1.2.3.4")
                },
            ]
        );
        let lines4: Vec<u64> = (0..4).map(|i| e.v4_origin(i).unwrap().line).collect();
        assert_eq!(lines4, [2, 5, 6, 8]);
        let lines6: Vec<u64> = (0..2).map(|i| e.v6_origin(i).unwrap().line).collect();
        assert_eq!(lines6, [4, 7]);
        assert_eq!(e.v4_origin(0).unwrap().to_string(), "blocked.txt:2");
        assert_eq!(e.v4_origin(4), None);
        assert_eq!(e.v6_origin(2), None);
    }

    #[test]
    fn bom_only_at_the_start_of_a_file() {
        let e = read(b"\xEF\xBB\xBF1.2.3.4\n", &ReadOptions::default()).unwrap();
        assert_eq!(e.v4, [one4("1.2.3.4")]);
        let e = read(b"1.2.3.4\n\xEF\xBB\xBF5.6.7.8\n", &skipping()).unwrap();
        assert_eq!(e.v4, [one4("1.2.3.4")]);
        assert_eq!(e.invalid_count, 1);
        assert_eq!(e.invalid[0].origin.line, 2);
    }

    #[test]
    fn first_invalid_line_fails_when_not_skipping() {
        let text = b"1.2.3.4\n# fine\n10.0.0.300 # typo\n\xFF\n";
        let err = read(text, &ReadOptions::default()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "blocked.txt:3: \"10.0.0.300\": not an IPv4 or IPv6 address"
        );
        match err {
            ListError::Invalid {
                origin,
                text,
                reason,
            } => {
                assert_eq!(
                    origin,
                    Origin {
                        file: "blocked.txt".into(),
                        line: 3
                    }
                );
                assert_eq!(text, "10.0.0.300 # typo");
                assert!(matches!(
                    reason,
                    LineError::Addr(AddrError::NotAnAddress { .. })
                ));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn invalid_lines_are_counted_and_the_first_kept() {
        let mut text = Vec::new();
        for i in 0..25 {
            text.extend_from_slice(format!("10.0.0.{}\nbad{i}\n", i).as_bytes());
        }
        text.extend_from_slice(b"1.2.3.4\0\n\xC3\x28\n");
        let opts = ReadOptions {
            skip_invalid: true,
            keep_invalid: 3,
        };
        let e = read(&text, &opts).unwrap();
        assert_eq!(e.v4.len(), 25);
        assert_eq!(e.lines, 52);
        assert_eq!(e.invalid_count, 27);
        assert_eq!(e.invalid.len(), 3);
        assert_eq!(e.invalid[0].origin.line, 2);
        assert_eq!(e.invalid[0].text, "bad0");
        assert_eq!(
            e.invalid[0].reason,
            LineError::Addr(AddrError::NotAnAddress {
                text: "bad0".into()
            })
        );
        assert_eq!(e.invalid[2].origin.to_string(), "blocked.txt:6");
        let e = read(&text, &skipping()).unwrap();
        assert_eq!(e.invalid.len(), 10);
        // Entries are interleaved with invalid lines: one run per entry.
        assert_eq!(e.v4_lines.len(), 25);
        assert_eq!(e.v4_origin(24).unwrap().line, 49);
    }

    #[test]
    fn very_long_lines() {
        let mut text = b"1.2.3.4 # ".to_vec();
        text.extend(std::iter::repeat(b'x').take(1 << 20));
        text.extend_from_slice(b"\n");
        text.extend(std::iter::repeat(b'y').take(1 << 20));
        text.extend_from_slice(b"\n5.6.7.8\n");
        let e = read(&text, &skipping()).unwrap();
        assert_eq!(e.v4, [one4("1.2.3.4"), one4("5.6.7.8")]);
        assert_eq!(e.lines, 3);
        assert_eq!(e.invalid_count, 1);
        let bad = &e.invalid[0];
        assert_eq!(bad.origin.line, 2);
        assert_eq!(bad.text, format!("{}...", "y".repeat(EXCERPT_CHARS)));
        assert!(bad.reason.to_string().len() < 200);
        // A cut inside multi-byte characters stays on a character boundary.
        let mut wide = "é".repeat(1 << 16).into_bytes();
        wide.push(0xFF);
        let e = read(&wide, &skipping()).unwrap();
        assert_eq!(
            e.invalid[0].text,
            format!("{}...", "é".repeat(EXCERPT_CHARS))
        );
    }

    #[test]
    fn origins_over_several_lists() {
        let mut e = Entries::default();
        let opts = ReadOptions::default();
        read_list(
            "a.txt",
            &b"# a\n1.0.0.1\n1.0.0.2\n::1\n1.0.0.3\n"[..],
            &opts,
            &mut e,
        )
        .unwrap();
        read_list("-", &b"2.0.0.1\n2.0.0.2\n::2\n"[..], &opts, &mut e).unwrap();
        assert_eq!(e.lines, 8);
        assert_eq!(e.v4.len(), 5);
        let got: Vec<String> = (0..5)
            .map(|i| e.v4_origin(i).unwrap().to_string())
            .collect();
        assert_eq!(got, ["a.txt:2", "a.txt:3", "a.txt:5", "-:1", "-:2"]);
        assert_eq!(e.v6_origin(0).unwrap().to_string(), "a.txt:4");
        assert_eq!(e.v6_origin(1).unwrap().to_string(), "-:3");
        assert_eq!(e.v4_lines.len(), 3);
        assert_eq!(e.v6_lines.len(), 2);
    }

    #[test]
    fn missing_file_names_the_file() {
        let path = "/nonexistent/nlbatch/blocked.txt";
        let err = read_files(&[path], &ReadOptions::default()).unwrap_err();
        assert!(matches!(err, ListError::Io { .. }));
        let msg = err.to_string();
        assert!(
            msg.starts_with("cannot read /nonexistent/nlbatch/blocked.txt: "),
            "{msg}"
        );
    }

    /// A real public blocklist: in `$NLBATCH_REALWORLD/blocklists` when that variable is set,
    /// else in `../shared/data/realworld/blocklists` beside the checkout (as in CI).
    fn data_file(name: &str) -> String {
        let dir = match std::env::var_os("NLBATCH_REALWORLD") {
            Some(root) => std::path::PathBuf::from(root).join("blocklists"),
            None => std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../shared/data/realworld/blocklists"),
        };
        assert!(
            dir.is_dir(),
            "real-world blocklists missing at {}: these tests read public blocklists (a data \
             directory beside the checkout in CI); set NLBATCH_REALWORLD to the directory that \
             holds blocklists/",
            dir.display()
        );
        dir.join(name).display().to_string()
    }

    fn read_real(name: &str) -> Entries {
        let path = data_file(name);
        match read_files(&[&path], &skipping()) {
            Ok(e) => e,
            Err(err) => panic!("{err}"),
        }
    }

    #[test]
    fn real_ipsum_and_firehol_level1() {
        let e = read_real("stamparm_ipsum.txt");
        assert_eq!(e.invalid_count, 0, "{:?}", e.invalid);
        assert_eq!(e.v4.len(), 120_430);
        assert!(e.v6.is_empty());
        assert_eq!(e.v4_lines.len(), 1);
        assert_eq!(e.v4_origin(0).unwrap().line, 8);
        let e = read_real("firehol_level1.netset");
        assert_eq!(e.invalid_count, 0, "{:?}", e.invalid);
        assert_eq!(e.v4.len(), 2_744);
        assert!(e.v6.is_empty());
        // Already aggregated upstream, so merging leaves every entry apart or adjacent.
        let mut merged = e.v4.clone();
        merge_v4(&mut merged);
        let total: u64 = merged.iter().map(V4Range::len).sum();
        assert_eq!(total, e.v4.iter().map(V4Range::len).sum::<u64>());
    }

    #[test]
    fn real_lists_entry_counts() {
        for (name, v4, v6) in [
            ("firehol_level2.netset", 18_112, 0),
            ("firehol_level3.netset", 20_391, 0),
            ("spamhaus_drop.netset", 926, 0),
            ("lord-alfred_ipranges_all_ipv4.txt", 111_110, 0),
            ("lord-alfred_ipranges_all_ipv6_merged.txt", 0, 12_872),
            ("lord-alfred_ipranges_microsoft_ipv6.txt", 0, 18_510),
            ("country-ip-blocks_ipv4_us.cidr", 27_769, 0),
            ("country-ip-blocks_ipv4_cn.cidr", 5_493, 0),
            ("country-ip-blocks_ipv6_us.cidr", 0, 10_009),
        ] {
            let e = read_real(name);
            assert_eq!(e.invalid_count, 0, "{name}: {:?}", e.invalid);
            assert_eq!((e.v4.len(), e.v6.len()), (v4, v6), "{name}");
        }
    }

    /// The prefix length of a range that is exactly one prefix, as read from a CIDR list.
    fn prefix_len(size: u128, bits: u32) -> u8 {
        let len = if size == u128::MAX {
            0
        } else {
            bits - size.trailing_zeros()
        };
        u8::try_from(len).unwrap()
    }

    #[test]
    fn real_overlapping_lists_merge_like_ipnet_aggregate() {
        let e = read_real("lord-alfred_ipranges_all_ipv4.txt");
        let nets: Vec<Ipv4Net> =
            e.v4.iter()
                .map(|r| {
                    let len = prefix_len(u128::from(r.len()), 32);
                    Ipv4Net::new(Ipv4Addr::from(r.lo), len).unwrap()
                })
                .collect();
        let mut want: Vec<V4Range> = Ipv4Net::aggregate(&nets)
            .iter()
            .map(|n| V4Range {
                lo: u32::from(n.network()),
                hi: u32::from(n.broadcast()),
            })
            .collect();
        merge_v4(&mut want);
        let mut merged = e.v4.clone();
        merge_v4(&mut merged);
        assert!(merged.len() < e.v4.len() - 50_000);
        assert_eq!(merged, want);

        let e = read_real("lord-alfred_ipranges_microsoft_ipv6.txt");
        let nets: Vec<Ipv6Net> =
            e.v6.iter()
                .map(|r| Ipv6Net::new(Ipv6Addr::from(r.lo), prefix_len(r.len(), 128)).unwrap())
                .collect();
        let mut want: Vec<V6Range> = Ipv6Net::aggregate(&nets)
            .iter()
            .map(|n| V6Range {
                lo: u128::from(n.network()),
                hi: u128::from(n.broadcast()),
            })
            .collect();
        merge_v6(&mut want);
        let mut merged = e.v6.clone();
        merge_v6(&mut merged);
        assert!(merged.len() < e.v6.len());
        assert_eq!(merged, want);
    }

    proptest! {
        #[test]
        fn parse_line_never_panics_on_bytes(
            bytes in proptest::collection::vec(any::<u8>(), 0..200),
        ) {
            let _ = parse_line(&bytes);
        }

        #[test]
        fn parse_line_never_panics_on_address_like_text(
            text in "[0-9a-fA-F:.%/# ;\t\r\n-]{0,80}",
        ) {
            let _ = parse_line(text.as_bytes());
        }

        #[test]
        fn read_list_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
            let e = read(&bytes, &skipping()).unwrap();
            prop_assert_eq!(e.v4_origin(e.v4.len()), None);
            for i in 0..e.v4.len() {
                prop_assert!(e.v4_origin(i).is_some());
            }
        }
    }
}

//! The main job: load address lists into nftables sets as one atomic transaction.
//!
//! One transaction creates what is missing (the table, one interval set per family present,
//! the base chain and one drop rule per set), empties the sets and adds the merged ranges:
//! there is never a moment with an empty or partial list, and a failure leaves everything as
//! it was. A [`Loader`] keeps one socket and one arena across loads, as a daemon that reloads
//! a list every few minutes would.
//!
//! # Limitations
//!
//! - The sets are interval sets keyed by address; per-address counters or maps are not made.
//! - A transaction holds the namespace's nftables lock and a CPU for its whole kernel time
//!   (about 8 µs per prefix): tens of millions of ranges in one load can stall the CPU long
//!   enough for the kernel to log a soft lockup.

use std::time::{Duration, Instant};

use crate::addr::{merge_v4, merge_v6, V4Range, V6Range};
use crate::blocklist::{Entries, Origin};
use crate::message::BatchConfig;
use crate::nft::wire::*;
use crate::nft::{
    Chain, ChainInfo, CommitReport, Family, Hook, KeyType, NftError, Nftables, Rejection, Rule,
    Set, SetInfo, SetRef, SetTarget, Table, Transaction, Verdict,
};

/// What to load into, and how.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadOptions {
    /// Table family: `inet` (both address families), `ip` or `ip6`.
    pub family: Family,
    /// Table name.
    pub table: String,
    /// Base name of the sets: `NAME_v4` and `NAME_v6`.
    pub set: String,
    /// Base chain holding the drop rules.
    pub chain: String,
    /// Hook of the base chain.
    pub hook: Hook,
    /// Priority of the base chain.
    pub priority: i32,
    /// Make no chain and no rule: only the table and the sets.
    pub no_rule: bool,
    /// Default timeout of the sets' elements, in milliseconds.
    pub timeout_ms: Option<u64>,
    /// Declared size of each set (a hard limit on its elements).
    pub size: Option<u32>,
    /// Validate in the kernel but do not commit.
    pub dry_run: bool,
    /// Merge overlapping and adjacent entries before loading (default). Without merging, the
    /// entries are only sorted, and input that overlaps or repeats itself is refused by the
    /// kernel (`EEXIST`) naming the element and its input line: nothing is committed.
    pub merge: bool,
    /// What to do when another writer changes the ruleset between the load reading it (the
    /// sets and rules that exist) and committing: `None` sends no generation id, so the kernel
    /// applies the transaction whatever changed; `Some(n)` sends the generation id read first,
    /// so the kernel refuses a transaction built on a stale view (`ERESTART`, nothing
    /// applied), and the load starts over at most `n` times before failing with "the ruleset
    /// changed since its generation was read". Default `Some(3)`.
    pub retries_on_generation_change: Option<u32>,
}

impl Default for LoadOptions {
    fn default() -> Self {
        LoadOptions {
            family: Family::Inet,
            table: "nlbatch".into(),
            set: "blocklist".into(),
            chain: "input".into(),
            hook: Hook::Input,
            priority: -10,
            no_rule: false,
            timeout_ms: None,
            size: None,
            dry_run: false,
            merge: true,
            retries_on_generation_change: Some(3),
        }
    }
}

impl LoadOptions {
    /// Name of the set for one address family.
    pub fn set_name(&self, ipv6: bool) -> String {
        format!("{}_{}", self.set, if ipv6 { "v6" } else { "v4" })
    }
}

/// What a load did, with the field names of the tool's JSON output.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Summary {
    /// Lines read.
    pub lines: u64,
    /// Invalid lines (skipped; a load without skipping fails on the first).
    pub invalid: u64,
    /// Entries read (addresses, prefixes, ranges).
    pub entries: u64,
    /// Ranges after merging overlaps and neighbours, both families.
    pub ranges: u64,
    /// Set elements sent (interval starts and ends).
    pub elements: u64,
    /// Messages in the transaction.
    pub messages: u32,
    /// Pages (iovecs) of the datagram.
    pub pages: usize,
    /// Bytes of the datagram.
    pub bytes: usize,
    /// Time to merge and encode.
    pub encode: Duration,
    /// Time inside `sendmsg`: the kernel's processing of the transaction.
    pub kernel: Duration,
    /// Time to drain the replies.
    pub reply: Duration,
    /// True when the kernel confirmed the commit (false for a dry run).
    pub committed: bool,
    /// Replies that belonged to no message of this load (left over from earlier batches on the
    /// socket) and were skipped; 0 in normal operation.
    pub stale_replies: u64,
}

/// Errors of a load, each with the exit code the tool returns for it.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The options or the input do not make a valid transaction; nothing was sent.
    #[error("{0}")]
    Input(String),
    /// The kernel refused the transaction; nothing was committed.
    #[error("the kernel rejected the load, nothing was changed:\n{}", .0.join("\n"))]
    Rejected(Vec<String>),
    /// The kernel refused for lack of privilege (`EPERM`, `EACCES`: no `CAP_NET_ADMIN` in the
    /// user namespace that owns the network namespace); nothing was changed.
    #[error(
        "no privilege to change this namespace's firewall (it needs CAP_NET_ADMIN; run as \
         root), nothing was changed:\n{}",
        .0.join("\n")
    )]
    Denied(Vec<String>),
    /// The network namespace could not be made or entered.
    #[error(transparent)]
    Namespace(#[from] crate::netns::NetnsError),
    /// The load succeeded (committed, or validated in a dry run) but its summary could not
    /// be written (standard output closed or full).
    #[error("the load succeeded, but its summary cannot be written: {0}")]
    Output(std::io::Error),
    /// No privileges, or another failure to talk to the kernel.
    #[error(transparent)]
    Nft(NftError),
}

impl LoadError {
    /// Exit code: 2 bad input, 3 rejected by the kernel, 4 no privileges, 1 anything else.
    pub fn exit_code(&self) -> i32 {
        match self {
            LoadError::Input(_) => 2,
            LoadError::Rejected(_) => 3,
            LoadError::Denied(_) => 4,
            LoadError::Namespace(_) => 4,
            LoadError::Output(_) => 1,
            LoadError::Nft(e) if matches!(e.errno(), Some(libc::EPERM | libc::EACCES)) => 4,
            LoadError::Nft(NftError::Rejected(_)) => 3,
            LoadError::Nft(_) => 1,
        }
    }
}

/// The most kernel errors a failed load lists one by one; the rest are counted.
const MAX_ERRORS_SHOWN: usize = 10;

/// One socket and one transaction, reused for every load.
#[derive(Debug)]
pub struct Loader {
    nft: Nftables,
    tx: Transaction,
    v4: Vec<V4Range>,
    v6: Vec<V6Range>,
}

impl Loader {
    /// Opens a netfilter socket in the calling thread's namespace, with `page_size`-byte
    /// pages for the transaction.
    pub fn new(page_size: usize) -> Result<Loader, LoadError> {
        let config = BatchConfig {
            arena: crate::arena::ArenaConfig::with_page_size(page_size),
            ..BatchConfig::default()
        };
        let tx = Transaction::new(config).map_err(|e| LoadError::Input(e.to_string()))?;
        let nft = Nftables::open().map_err(LoadError::Nft)?;
        Ok(Loader {
            nft,
            tx,
            v4: Vec::new(),
            v6: Vec::new(),
        })
    }

    /// The socket, for other requests.
    pub fn nftables(&mut self) -> &mut Nftables {
        &mut self.nft
    }

    /// Loads `entries` as one transaction replacing the sets' contents.
    pub fn load(&mut self, entries: &Entries, opts: &LoadOptions) -> Result<Summary, LoadError> {
        let start = Instant::now();
        check_options(opts)?;
        let families = families_for(entries, opts)?;
        self.v4.clear();
        self.v4.extend_from_slice(&entries.v4);
        self.v6.clear();
        self.v6.extend_from_slice(&entries.v6);
        if opts.merge {
            merge_v4(&mut self.v4);
            merge_v6(&mut self.v6);
        } else {
            self.v4.sort_unstable_by_key(|r| (r.lo, r.hi));
            self.v6.sort_unstable_by_key(|r| (r.lo, r.hi));
        }

        let (mut elements, mut encode) = (0, Duration::ZERO);
        let (v4, v6) = (&self.v4, &self.v6);
        let mut build = |nft: &mut Nftables, tx: &mut Transaction| -> Result<(), Attempt> {
            let existing = existing(nft, opts, families).map_err(Attempt::Load)?;
            elements = encode_load(tx, opts, families, &existing, v4, v6).map_err(|e| match e {
                NftError::Invalid { .. } | NftError::Encode(_) => {
                    Attempt::Load(LoadError::Input(e.to_string()))
                }
                other => Attempt::Load(LoadError::Nft(other)),
            })?;
            encode = start.elapsed();
            Ok(())
        };
        let result = match opts.retries_on_generation_change {
            Some(retries) => self
                .nft
                .commit_with_generation_retry(&mut self.tx, retries, build),
            None => (|| {
                self.tx.reset();
                self.tx.begin(None)?;
                build(&mut self.nft, &mut self.tx)?;
                Ok(self.nft.commit(&mut self.tx)?)
            })(),
        };
        let report = match result {
            Ok(report) => report,
            Err(Attempt::Commit(NftError::Rejected(rejections))) => {
                let denied = |r: &Rejection| matches!(r.error.errno, libc::EPERM | libc::EACCES);
                let lines = self.explain(entries, opts, &rejections);
                if rejections.iter().any(denied) {
                    return Err(LoadError::Denied(lines));
                }
                return Err(LoadError::Rejected(lines));
            }
            Err(Attempt::Commit(e)) => return Err(LoadError::Nft(e)),
            Err(Attempt::Load(e)) => return Err(e),
        };
        Ok(self.summary(entries, elements, encode, &report))
    }

    fn summary(&self, e: &Entries, elements: u64, encode: Duration, r: &CommitReport) -> Summary {
        Summary {
            lines: e.lines,
            invalid: e.invalid_count,
            entries: (e.v4.len() + e.v6.len()) as u64,
            ranges: (self.v4.len() + self.v6.len()) as u64,
            elements,
            messages: self.tx.batch().message_count(),
            pages: r.send.iovecs,
            bytes: r.send.bytes,
            encode,
            kernel: r.send.kernel_time,
            reply: r.reply_time,
            committed: r.confirmed,
            stale_replies: r.stale,
        }
    }

    /// Turns kernel rejections into lines an operator can act on, naming the input line of
    /// an element where one is found.
    fn explain(
        &self,
        entries: &Entries,
        opts: &LoadOptions,
        rejections: &[Rejection],
    ) -> Vec<String> {
        // Once a set is full, the kernel goes on through the later messages and refuses some
        // of their elements as existing ones: with merged input (no overlaps) those errors
        // follow from the full set and are counted, not listed.
        let first_full = rejections
            .iter()
            .find(|r| r.error.errno == libc::ENFILE)
            .map(|r| r.error.index);
        let follows_full = |r: &Rejection| {
            opts.merge
                && r.error.errno == libc::EEXIST
                && first_full.is_some_and(|full| r.error.index > full)
        };
        let listed: Vec<&Rejection> = rejections.iter().filter(|r| !follows_full(r)).collect();
        let consequences = rejections.len() - listed.len();
        let mut lines: Vec<String> = listed
            .iter()
            .take(MAX_ERRORS_SHOWN)
            .map(|r| {
                let mut line = r.to_string();
                let key = r.key.as_deref();
                let overlap = key
                    .filter(|_| !opts.merge && r.error.errno == libc::EEXIST)
                    .and_then(|k| overlap_of_key(entries, k));
                if let Some((own, other)) = overlap {
                    line.push_str(&format!("; from input line {own}"));
                    if let Some(other) = other {
                        line.push_str(&format!(", which overlaps input line {other}"));
                    }
                    line.push_str(" (merging is off)");
                } else if let Some(origin) = key.and_then(|k| self.origin_of_key(entries, k)) {
                    line.push_str(&format!("; from input line {origin}"));
                }
                if r.error.errno == libc::ENFILE {
                    if let Some(size) = opts.size {
                        line.push_str(&format!(
                            "; the set's declared size is {size} elements: raise --size"
                        ));
                    }
                }
                line
            })
            .collect();
        if listed.len() > MAX_ERRORS_SHOWN {
            lines.push(format!(
                "... and {} more errors",
                listed.len() - MAX_ERRORS_SHOWN
            ));
        }
        if consequences > 0 {
            let (noun, verb) = match consequences {
                1 => ("error", "follows"),
                _ => ("errors", "follow"),
            };
            lines.push(format!(
                "{consequences} later {noun} (File exists) {verb} from the full set, not listed"
            ));
        }
        lines
    }

    /// The input line of the first entry that the element `key` (a range start, or the
    /// address after a range end) belongs to.
    fn origin_of_key(&self, entries: &Entries, key: &[u8]) -> Option<Origin> {
        if let Ok(b) = <[u8; 4]>::try_from(key) {
            let k = u32::from_be_bytes(b);
            let hit = |r: &V4Range| r.contains(k) || (k > 0 && r.contains(k - 1));
            let range = *self.v4.iter().find(|r| hit(r))?;
            let i = entries
                .v4
                .iter()
                .position(|e| e.lo <= range.hi && e.hi >= range.lo)?;
            return entries.v4_origin(i);
        }
        let k = u128::from_be_bytes(<[u8; 16]>::try_from(key).ok()?);
        let hit = |r: &V6Range| r.contains(k) || (k > 0 && r.contains(k - 1));
        let range = *self.v6.iter().find(|r| hit(r))?;
        let i = entries
            .v6
            .iter()
            .position(|e| e.lo <= range.hi && e.hi >= range.lo)?;
        entries.v6_origin(i)
    }
}

/// With merging off, for an element `key` the kernel refused as overlapping: the input line
/// of the entry that starts at `key` (or ends just below it), and the line of another entry
/// that overlaps that entry.
fn overlap_of_key(entries: &Entries, key: &[u8]) -> Option<(Origin, Option<Origin>)> {
    let v6 = key.len() == 16;
    let k = match <[u8; 4]>::try_from(key) {
        Ok(b) => u128::from(u32::from_be_bytes(b)),
        Err(_) => u128::from_be_bytes(<[u8; 16]>::try_from(key).ok()?),
    };
    let ranges: Vec<(u128, u128)> = if v6 {
        entries.v6.iter().map(|r| (r.lo, r.hi)).collect()
    } else {
        let wide = |r: &V4Range| (u128::from(r.lo), u128::from(r.hi));
        entries.v4.iter().map(wide).collect()
    };
    let origin = |i| {
        if v6 {
            entries.v6_origin(i)
        } else {
            entries.v4_origin(i)
        }
    };
    let own = ranges
        .iter()
        .position(|&(lo, hi)| lo == k || hi.checked_add(1) == Some(k))?;
    let (lo, hi) = ranges[own];
    let other = ranges
        .iter()
        .enumerate()
        .find(|&(i, &(l, h))| i != own && l <= hi && h >= lo)
        .and_then(|(i, _)| origin(i));
    Some((origin(own)?, other))
}

/// Why one attempt of a load failed: before the commit (reading what exists, encoding) or in
/// the commit itself, whose rejections are explained with the input's lines.
enum Attempt {
    Load(LoadError),
    Commit(NftError),
}

impl From<NftError> for Attempt {
    fn from(e: NftError) -> Self {
        Attempt::Commit(e)
    }
}

/// What already exists: the sets of each family, the chain, and which sets the chain's rules
/// use. Refuses, before anything is sent, a set or a chain that the load cannot take over.
fn existing(
    nft: &mut Nftables,
    opts: &LoadOptions,
    families: [bool; 2],
) -> Result<Existing, LoadError> {
    let mut found = Existing::default();
    let tables = nft.list_tables(Some(opts.family)).map_err(LoadError::Nft)?;
    if let Some(table) = tables.iter().find(|t| t.name == opts.table) {
        // An existing table is not sent again: its flags stay as they are.
        found.table = true;
        if table.flags & NFT_TABLE_F_OWNER != 0 {
            return Err(LoadError::Input(format!(
                "table {} {} is owned by another process (flags owner): only its owner may \
                 change it; choose another --table",
                opts.family.name(),
                opts.table
            )));
        }
        if table.flags & NFT_TABLE_F_DORMANT != 0 {
            let (family, name) = (opts.family.name(), &opts.table);
            return Err(LoadError::Input(format!(
                "table {family} {name} is dormant (switched off, flags dormant): a load does not \
                 wake it. Wake it first (nft add table {family} {name} '{{ }}') or choose \
                 another --table"
            )));
        }
    }
    let sets = nft
        .list_sets(Some(opts.family), Some(&opts.table))
        .map_err(LoadError::Nft)?;
    for ipv6 in [false, true] {
        let name = opts.set_name(ipv6);
        let Some(set) = sets.iter().find(|s| s.name == name) else {
            continue;
        };
        found.stale_set[ipv6 as usize] = !families[ipv6 as usize];
        if families[ipv6 as usize] {
            check_existing_set(opts, ipv6, set)?;
        } else {
            // To be emptied: only a set an earlier load could have made.
            check_stale_set(opts, ipv6, set)?;
        }
    }
    if !opts.no_rule {
        let chains = match nft.list_chains(Some(opts.family), Some(&opts.table)) {
            Err(e) if e.errno() == Some(libc::ENOENT) => Vec::new(),
            other => other.map_err(LoadError::Nft)?,
        };
        if let Some(chain) = chains.iter().find(|c| c.name == opts.chain) {
            check_existing_chain(opts, chain)?;
            found.chain = true;
        }
        let rules = match nft.list_rules(Some(opts.family), Some(&opts.table), Some(&opts.chain)) {
            Err(e) if e.errno() == Some(libc::ENOENT) => Vec::new(),
            other => other.map_err(LoadError::Nft)?,
        };
        for ipv6 in [false, true] {
            let name = opts.set_name(ipv6);
            // Only the rule this load would make counts: another rule that looks the set up
            // (a log, a daddr match, an accept) drops nothing.
            let own = Rule::saddr_in_set(
                opts.family,
                &opts.table,
                &opts.chain,
                SetRef::Name(name.clone()),
                ipv6,
                Verdict::Drop,
            );
            if rules.iter().any(|r| r.exprs == own.exprs) {
                found.rule_lookups.push(name);
            }
        }
    }
    Ok(found)
}

/// Writes the whole transaction after its BATCH_BEGIN; returns the number of set elements.
fn encode_load(
    tx: &mut Transaction,
    opts: &LoadOptions,
    families: [bool; 2],
    existing: &Existing,
    v4: &[V4Range],
    v6: &[V6Range],
) -> Result<u64, NftError> {
    if !existing.table {
        tx.add_table(&Table::new(opts.family, opts.table.clone()))?;
    }
    // An existing chain is left as it is (its policy stays the operator's).
    if !opts.no_rule && !existing.chain {
        let chain = Chain::filter(
            opts.family,
            &opts.table,
            &opts.chain,
            opts.hook,
            opts.priority,
        );
        tx.add_chain(&chain)?;
    }
    let mut elements = 0;
    for ipv6 in [false, true] {
        let name = opts.set_name(ipv6);
        if !families[ipv6 as usize] {
            if existing.stale_set[ipv6 as usize] {
                let target = SetTarget {
                    family: opts.family,
                    table: opts.table.clone(),
                    set: name,
                    id: None,
                };
                tx.flush_set(&target)?;
            }
            continue;
        }
        let key = address_key(ipv6);
        let mut set = Set::new(opts.family, &opts.table, &name, key).interval();
        set.size = opts.size;
        set.timeout_ms = opts.timeout_ms;
        let target = tx.add_set(&set)?;
        tx.flush_set(&target)?;
        let stats = if ipv6 {
            tx.add_v6_intervals(&target, v6)?
        } else {
            tx.add_v4_intervals(&target, v4)?
        };
        elements += stats.elements;
        if !opts.no_rule && !existing.rule_lookups.contains(&name) {
            let set_ref = SetRef::NameAndId(name.clone(), target.id.unwrap_or(0));
            let rule = Rule::saddr_in_set(
                opts.family,
                &opts.table,
                &opts.chain,
                set_ref,
                ipv6,
                Verdict::Drop,
            );
            tx.add_rule(&rule)?;
        }
    }
    if opts.dry_run {
        tx.dry_run()?;
    } else {
        tx.end()?;
    }
    Ok(elements)
}

/// What exists before a load.
#[derive(Debug, Default)]
struct Existing {
    /// Per family (v4, v6): a set from an earlier load exists.
    stale_set: [bool; 2],
    /// The table exists (and is neither dormant nor owned by another process).
    table: bool,
    /// The base chain exists (and was checked to be the one this load would make).
    chain: bool,
    /// Names of the sets that already have this load's drop rule in the chain.
    rule_lookups: Vec<String>,
}

/// Refuses, before anything is sent, a load into an existing set that differs from what the
/// load would make: the kernel keeps an existing set's type and flags, applies a new declared
/// size only at commit, after the elements were checked against the old one, and gives the
/// elements added in the same transaction the old default timeout.
fn check_existing_set(opts: &LoadOptions, ipv6: bool, set: &SetInfo) -> Result<(), LoadError> {
    let key = address_key(ipv6);
    let object = format!("set {} {} {}", opts.family.name(), opts.table, set.name);
    let delete_first = format!(
        "delete the table first (nft delete table {} {})",
        opts.family.name(),
        opts.table
    );
    if !set.expressions.is_empty() {
        return Err(LoadError::Input(format!(
            "{object} already exists with {} on every element, which this load does not \
             declare: the kernel refuses to declare the set again without them. Delete it, \
             choose another --set, or {delete_first}",
            statement_names(&set.expressions),
        )));
    }
    let wanted = NFT_SET_INTERVAL | opts.timeout_ms.map_or(0, |_| NFT_SET_TIMEOUT);
    if !load_shaped(set, ipv6) || set.flags != wanted {
        let found_key = match set.key.as_ref().map(|k| k.0.as_slice()) {
            Some([single]) => format!("type {}", single.name()),
            _ => format!("key type id {}", set.key_type),
        };
        return Err(LoadError::Input(format!(
            "{object} already exists as {}{found_key} with flags {}; this load needs a set of \
             type {} with flags {}: the kernel cannot change them. Delete it, choose another \
             --set, or {delete_first}",
            if set.data_type.is_some() {
                "a map of "
            } else {
                ""
            },
            set_flag_names(set.flags),
            key.name(),
            set_flag_names(wanted),
        )));
    }
    let size = set.size.filter(|&s| s != 0);
    if size != opts.size {
        let show = |s: Option<u32>| s.map_or("no size".to_string(), |s| format!("size {s}"));
        return Err(LoadError::Input(format!(
            "{object} already exists with {}, and this load asks for {}: the kernel would check \
             the elements against the old size. Load with the same --size, or {delete_first}",
            show(size),
            show(opts.size),
        )));
    }
    if set.timeout_ms != opts.timeout_ms {
        let show = |t: Option<u64>| t.map_or("none".to_string(), |t| format!("{} s", t / 1000));
        return Err(LoadError::Input(format!(
            "{object} already exists with timeout {}, and this load asks for {}: the kernel \
             would give the new elements the old timeout. Load with the same --timeout, or \
             {delete_first}",
            show(set.timeout_ms),
            show(opts.timeout_ms),
        )));
    }
    Ok(())
}

/// Refuses, before anything is sent, to empty a set of a family the input no longer has unless
/// an earlier load could have made it: an interval set of that family's addresses, with or
/// without a timeout, not a map.
fn check_stale_set(opts: &LoadOptions, ipv6: bool, set: &SetInfo) -> Result<(), LoadError> {
    if load_shaped(set, ipv6) {
        return Ok(());
    }
    let statements = match set.expressions.is_empty() {
        true => String::new(),
        false => format!(
            " and {} on every element",
            statement_names(&set.expressions)
        ),
    };
    Err(LoadError::Input(format!(
        "set {} {} {} would be emptied (the input has no {} address), but it is {} with \
         flags {}{statements}, not a set a load makes: remove it, or choose another --set",
        opts.family.name(),
        opts.table,
        set.name,
        if ipv6 { "IPv6" } else { "IPv4" },
        if set.data_type.is_some() {
            "a map"
        } else {
            "a set"
        },
        set_flag_names(set.flags),
    )))
}

/// "a counter statement", "counter and quota statements": a set's per-element statements.
fn statement_names(names: &[String]) -> String {
    match names {
        [] => "no statement".into(),
        [one] => format!("a {one} statement"),
        [first @ .., last] => format!("{} and {last} statements", first.join(", ")),
    }
}

/// True when `set` has the shape of a load's set for one family: an interval set (with or
/// without the timeout flag) of that family's addresses, not a map, with no statement on its
/// elements.
fn load_shaped(set: &SetInfo, ipv6: bool) -> bool {
    set.flags & !NFT_SET_TIMEOUT == NFT_SET_INTERVAL
        && set.key_type == address_key(ipv6).id()
        && set.data_type.is_none()
        && set.expressions.is_empty()
}

/// `interval, timeout` and the like: the names nft gives a set's flags.
fn set_flag_names(flags: u32) -> String {
    const NAMES: [(u32, &str); 8] = [
        (NFT_SET_ANONYMOUS, "anonymous"),
        (NFT_SET_CONSTANT, "constant"),
        (NFT_SET_INTERVAL, "interval"),
        (NFT_SET_MAP, "map"),
        (NFT_SET_TIMEOUT, "timeout"),
        (NFT_SET_EVAL, "dynamic"),
        (NFT_SET_OBJECT, "object"),
        (NFT_SET_CONCAT, "concat"),
    ];
    let names: Vec<&str> = NAMES
        .iter()
        .filter(|(bit, _)| flags & bit != 0)
        .map(|&(_, name)| name)
        .collect();
    match names.is_empty() {
        true => "none".into(),
        false => names.join(", "),
    }
}

/// Refuses, before anything is sent, a load whose base chain exists with another type, hook
/// or priority: the kernel cannot move a base chain (`EOPNOTSUPP`).
fn check_existing_chain(opts: &LoadOptions, chain: &ChainInfo) -> Result<(), LoadError> {
    let object = format!("chain {} {} {}", opts.family.name(), opts.table, chain.name);
    let wanted = format!(
        "type filter hook {} priority {}",
        opts.hook.name(),
        opts.priority
    );
    let found = match &chain.base {
        None if chain.hook_number.is_none() => "no hook (a regular chain)".to_string(),
        None => format!("hook number {}", chain.hook_number.unwrap_or(0)),
        Some(b)
            if b.chain_type == "filter" && b.hook == opts.hook && b.priority == opts.priority =>
        {
            return Ok(())
        }
        Some(b) => format!(
            "type {} hook {} priority {}",
            b.chain_type,
            b.hook.name(),
            b.priority
        ),
    };
    Err(LoadError::Input(format!(
        "{object} already exists with {found}, and this load asks for {wanted}: the kernel \
         cannot change a chain's type, hook or priority. Load with the chain's own --hook and \
         --priority, choose another --chain, or use --no-rule"
    )))
}

/// The key type of a load's set for one address family.
fn address_key(ipv6: bool) -> KeyType {
    if ipv6 {
        KeyType::Ipv6Addr
    } else {
        KeyType::Ipv4Addr
    }
}

/// Largest timeout the kernel converts without `ERANGE`, in milliseconds.
const MAX_TIMEOUT_MS: u64 = u64::MAX / 1_000_000;

/// Checks names and the timeout before anything is sent.
fn check_options(opts: &LoadOptions) -> Result<(), LoadError> {
    let input = |e: NftError| LoadError::Input(e.to_string());
    crate::nft::check_name("table", &opts.table).map_err(input)?;
    crate::nft::check_name("chain", &opts.chain).map_err(input)?;
    for ipv6 in [false, true] {
        crate::nft::check_name("set", &opts.set_name(ipv6)).map_err(input)?;
    }
    for (what, name) in [
        ("table", &opts.table),
        ("chain", &opts.chain),
        ("set", &opts.set),
    ] {
        if !is_nft_identifier(name) {
            return Err(LoadError::Input(format!(
                "{what} name {name:?} is not one nft can read back: use letters, digits and \
                 _ . / - only, starting with a letter, _ or ."
            )));
        }
    }
    // Set names carry a `_v4` or `_v6` suffix, which no keyword has.
    for (what, name) in [("table", &opts.table), ("chain", &opts.chain)] {
        if crate::nft::keywords::is_keyword(name) {
            return Err(LoadError::Input(format!(
                "{what} name {name:?} is an nft keyword: nft would list it unquoted and could \
                 not read the ruleset back; choose another name"
            )));
        }
    }
    if opts.hook == Hook::Ingress && !opts.no_rule {
        return Err(LoadError::Input(
            "the ingress hook needs a device, which a load does not make: use prerouting (the \
             earliest hook of an inet, ip or ip6 table), or --no-rule and a chain of your own"
                .into(),
        ));
    }
    if opts.size == Some(0) {
        return Err(LoadError::Input(
            "size must be at least 1 (leave --size out for no limit)".into(),
        ));
    }
    if opts
        .timeout_ms
        .is_some_and(|t| t == 0 || t >= MAX_TIMEOUT_MS)
    {
        return Err(LoadError::Input(format!(
            "timeout must be between 1 ms and {} s",
            MAX_TIMEOUT_MS / 1000 - 1
        )));
    }
    Ok(())
}

/// True when `name` is a bare identifier in nft's syntax (`nft list ruleset` prints names
/// unquoted, so any other name makes a ruleset that `nft -f` cannot read back).
fn is_nft_identifier(name: &str) -> bool {
    if name == "." {
        // nft's scanner reads a lone dot as the concatenation operator.
        return false;
    }
    let mut bytes = name.bytes();
    let first_ok = bytes
        .next()
        .is_some_and(|b| b.is_ascii_alphabetic() || b == b'_' || b == b'.');
    first_ok && bytes.all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'/' | b'-'))
}

/// Which families the load has sets for: `[v4, v6]`.
fn families_for(entries: &Entries, opts: &LoadOptions) -> Result<[bool; 2], LoadError> {
    let (has4, has6) = (!entries.v4.is_empty(), !entries.v6.is_empty());
    match opts.family {
        Family::Inet => Ok([has4, has6]),
        Family::Ip if has6 => Err(LoadError::Input(format!(
            "{} IPv6 entries cannot go into an ip table (first at {}); use --family inet",
            entries.v6.len(),
            entries.v6_origin(0).map_or("?".into(), |o| o.to_string())
        ))),
        Family::Ip6 if has4 => Err(LoadError::Input(format!(
            "{} IPv4 entries cannot go into an ip6 table (first at {}); use --family inet",
            entries.v4.len(),
            entries.v4_origin(0).map_or("?".into(), |o| o.to_string())
        ))),
        Family::Ip => Ok([true, false]),
        Family::Ip6 => Ok([false, true]),
        f => Err(LoadError::Input(format!(
            "family {} has no IP addresses: use inet, ip or ip6",
            f.name()
        ))),
    }
}

/// A deterministic sample list: `count` IPv4 addresses spread over the public space (some
/// adjacent, so merging has work), a few prefixes and ranges, and IPv6 prefixes; written in
/// the blocklist format, for the tool's default run and for tests.
pub fn sample_list(count: usize) -> String {
    let mut out = String::with_capacity(count * 16 + 256);
    out.push_str("# nlbatch built-in sample list (generated, not real addresses of anyone)\n");
    out.push_str("198.51.100.0/24 ; documentation prefix\n203.0.113.10-203.0.113.20\n");
    out.push_str("2001:db8::/32\n2001:db8:1::1 # a host inside it\n");
    let mut x: u32 = 0x1234_5678;
    for i in 0..count {
        // A 32-bit LCG (Numerical Recipes constants): fixed, portable, good enough spread.
        x = x.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
        let a = if i % 10 == 0 { x & !0xff } else { x };
        let a = std::net::Ipv4Addr::from(a | 0x0100_0000);
        if i % 10 == 0 {
            out.push_str(&format!("{a}/24\n"));
        } else {
            out.push_str(&format!("{a}\n"));
        }
    }
    out
}

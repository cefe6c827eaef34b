//! Transactions: nf_tables messages framed by BATCH_BEGIN and BATCH_END in one [`Batch`].
//!
//! ```text
//!  BATCH_BEGIN (res_id = htons(10), optional generation id)
//!  NEWTABLE | NEWCHAIN | NEWSET | NEWSETELEM ... | NEWRULE | DEL... (NLM_F_REQUEST each)
//!  BATCH_END   (NLM_F_ACK: the kernel confirms the commit, Linux 6.10 and later)
//! ```
//!
//! Without BATCH_END the kernel validates every message and then aborts: a dry run.

use super::expr::{Rule, Verdict};
use super::objects::{check_comment, check_name, Chain, Family, Set, Table};
use super::wire::*;
use super::NftError;
use crate::addr::{V4Range, V6Range};
use crate::message::{
    align, attr_len, Batch, BatchConfig, EncodeError, Message, Run, NLA_HDRLEN, NLA_MAX_LEN,
    NLM_F_ACK, NLM_F_CREATE, NLM_F_REQUEST,
};

/// How a transaction ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    /// Still open: objects can be added.
    Open,
    /// BATCH_END written: the kernel commits if every message is valid.
    Commit,
    /// No BATCH_END: the kernel validates every message, then aborts.
    DryRun,
}

/// The set a list of elements goes to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetTarget {
    /// Family of the table.
    pub family: Family,
    /// Table name.
    pub table: String,
    /// Set name.
    pub set: String,
    /// `NFTA_SET_ID` when the set is made in the same transaction.
    pub id: Option<u32>,
}

impl SetTarget {
    /// The target for `set`, made in this transaction with `id` (or existing, with `None`).
    pub fn of(set: &Set, id: Option<u32>) -> SetTarget {
        SetTarget {
            family: set.family,
            table: set.table.clone(),
            set: set.name.clone(),
            id,
        }
    }
}

/// Counts of what one element list became.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct ElementStats {
    /// Elements written (for intervals, start and end elements).
    pub elements: u64,
    /// NEWSETELEM messages written.
    pub messages: u32,
}

/// An nf_tables transaction being built in a reusable [`Batch`].
///
/// ```
/// use nlbatch::nft::{Family, KeyType, Set, Table, Transaction};
///
/// let mut tx = Transaction::new(Default::default())?;
/// tx.begin(None)?;
/// tx.add_table(&Table::new(Family::Inet, "filter"))?;
/// let set = Set::new(Family::Inet, "filter", "blocklist", KeyType::Ipv4Addr);
/// let target = tx.add_set(&set)?;
/// tx.add_keys(&target, [[10, 0, 0, 1], [10, 0, 0, 2]].iter().map(|k| &k[..]))?;
/// tx.end()?;
/// assert_eq!(tx.batch().message_count(), 5);
/// # Ok::<(), nlbatch::nft::NftError>(())
/// ```
#[derive(Debug)]
pub struct Transaction {
    batch: Batch,
    next_id: u32,
    begin_seq: u32,
    ending: Ending,
}

impl Transaction {
    /// An empty transaction over a new batch.
    pub fn new(config: BatchConfig) -> Result<Transaction, NftError> {
        Ok(Transaction {
            batch: Batch::new(config)?,
            next_id: 1,
            begin_seq: 0,
            ending: Ending::Open,
        })
    }

    /// The batch holding the messages.
    pub fn batch(&self) -> &Batch {
        &self.batch
    }

    /// The batch, mutable (for sending).
    pub fn batch_mut(&mut self) -> &mut Batch {
        &mut self.batch
    }

    /// Seq of BATCH_BEGIN: batch-level errors carry it.
    pub fn begin_seq(&self) -> u32 {
        self.begin_seq
    }

    /// How the transaction ends.
    pub fn ending(&self) -> Ending {
        self.ending
    }

    /// Empties the transaction, keeping its memory; seq numbers and ids keep counting.
    pub fn reset(&mut self) {
        self.batch.reset();
        self.ending = Ending::Open;
    }

    /// Runs `job`, which may finish several messages; when it fails, every message it
    /// finished is taken back out of the batch, so that no part of a failed list is sent.
    fn all_or_nothing<R>(
        &mut self,
        job: impl FnOnce(&mut Transaction) -> Result<R, NftError>,
    ) -> Result<R, NftError> {
        let mark = self.batch.mark();
        let result = job(self);
        if result.is_err() {
            self.batch.rollback(mark);
        }
        result
    }

    fn check_open(&self) -> Result<(), NftError> {
        if self.ending != Ending::Open {
            return Err(NftError::Closed);
        }
        Ok(())
    }

    fn id(&mut self) -> u32 {
        let id = self.next_id;
        self.next_id = self.next_id.wrapping_add(1).max(1);
        id
    }

    /// Starts a message of nf_tables command `cmd` for `family`, expected to be about
    /// `expected_len` bytes long (a hint for page placement).
    #[inline(always)]
    fn message(
        &mut self,
        cmd: u16,
        flags: u16,
        family: Family,
        expected_len: usize,
    ) -> Result<Message<'_>, NftError> {
        let flags = NLM_F_REQUEST | flags;
        let mut msg = self
            .batch
            .message_sized(msg_type(cmd), flags, expected_len)?;
        msg.family_header(&[family.nfproto(), 0, 0, 0])?;
        Ok(msg)
    }

    /// Writes BATCH_BEGIN; with `genid`, the kernel refuses the transaction (`ERESTART`) if the
    /// ruleset's generation has changed since it was read.
    pub fn begin(&mut self, genid: Option<u32>) -> Result<(), NftError> {
        if !self.batch.is_empty() {
            return Err(NftError::Closed);
        }
        let mut msg = self.batch.message(NFNL_MSG_BATCH_BEGIN, NLM_F_REQUEST)?;
        msg.family_header(&res_id_header())?;
        if let Some(genid) = genid {
            msg.put_be32(NFNL_BATCH_GENID, genid)?;
        }
        self.begin_seq = msg.finish()?;
        self.ending = Ending::Open;
        Ok(())
    }

    /// Writes BATCH_END with `NLM_F_ACK`, so that the kernel confirms the commit.
    pub fn end(&mut self) -> Result<u32, NftError> {
        self.check_open()?;
        let mut msg = self
            .batch
            .message(NFNL_MSG_BATCH_END, NLM_F_REQUEST | NLM_F_ACK)?;
        msg.family_header(&res_id_header())?;
        let seq = msg.finish()?;
        self.ending = Ending::Commit;
        Ok(seq)
    }

    /// Closes the transaction without BATCH_END: the kernel validates, then aborts.
    pub fn dry_run(&mut self) -> Result<(), NftError> {
        self.check_open()?;
        self.ending = Ending::DryRun;
        Ok(())
    }

    /// NEWTABLE: creates the table, or leaves an existing one as it is. Sent without
    /// `NLM_F_CREATE`, as nft sends it: the kernel creates tables without that flag.
    pub fn add_table(&mut self, table: &Table) -> Result<u32, NftError> {
        self.check_open()?;
        check_name("table", &table.name)?;
        if let Some(c) = &table.comment {
            check_comment(&format!("table {}", table.name), c)?;
        }
        let mut msg = self.message(NFT_MSG_NEWTABLE, 0, table.family, 0)?;
        msg.put_strz(NFTA_TABLE_NAME, &table.name)?;
        msg.put_be32(NFTA_TABLE_FLAGS, table.flags)?;
        if let Some(comment) = &table.comment {
            put_comment(&mut msg, NFTA_TABLE_USERDATA, NFTNL_UDATA_COMMENT, comment)?;
        }
        Ok(msg.finish()?)
    }

    /// NEWCHAIN: creates the chain, or leaves an existing one as it is.
    pub fn add_chain(&mut self, chain: &Chain) -> Result<u32, NftError> {
        self.check_open()?;
        check_name("table", &chain.table)?;
        check_name("chain", &chain.name)?;
        if let Some(c) = &chain.comment {
            check_comment(&format!("chain {}", chain.name), c)?;
        }
        let mut msg = self.message(NFT_MSG_NEWCHAIN, NLM_F_CREATE, chain.family, 0)?;
        msg.put_strz(NFTA_CHAIN_TABLE, &chain.table)?;
        msg.put_strz(NFTA_CHAIN_NAME, &chain.name)?;
        if let Some(base) = &chain.base {
            msg.put_strz(NFTA_CHAIN_TYPE, &base.chain_type)?;
            msg.put_be32(NFTA_CHAIN_POLICY, u32::from(base.policy_accept))?;
            let hook = msg.begin_nest(NFTA_CHAIN_HOOK)?;
            msg.put_be32(NFTA_HOOK_HOOKNUM, base.hook.number(chain.family))?;
            msg.put_be32(NFTA_HOOK_PRIORITY, base.priority as u32)?;
            if let Some(dev) = &base.device {
                msg.put_strz(NFTA_HOOK_DEV, dev)?;
            }
            msg.end_nest(hook)?;
        }
        if let Some(comment) = &chain.comment {
            put_comment(&mut msg, NFTA_CHAIN_USERDATA, NFTNL_UDATA_COMMENT, comment)?;
        }
        Ok(msg.finish()?)
    }

    /// NEWSET: creates the set (or keeps an identical existing one); returns the target for its
    /// elements, with the `NFTA_SET_ID` it was given.
    pub fn add_set(&mut self, set: &Set) -> Result<SetTarget, NftError> {
        self.check_open()?;
        set.validate()?;
        let id = self.id();
        let mut msg = self.message(NFT_MSG_NEWSET, NLM_F_CREATE, set.family, 0)?;
        msg.put_strz(NFTA_SET_TABLE, &set.table)?;
        msg.put_strz(NFTA_SET_NAME, &set.name)?;
        msg.put_be32(NFTA_SET_FLAGS, set.wire_flags())?;
        msg.put_be32(NFTA_SET_KEY_TYPE, set.key.id())?;
        msg.put_be32(NFTA_SET_KEY_LEN, set.key.len())?;
        if let Some(data) = set.data {
            let data_len = if data == super::KeyType::Verdict {
                0
            } else {
                data.len()
            };
            msg.put_be32(
                NFTA_SET_DATA_TYPE,
                if data_len == 0 { 0xffffff00 } else { data.id() },
            )?;
            msg.put_be32(NFTA_SET_DATA_LEN, data_len)?;
        }
        msg.put_be32(NFTA_SET_ID, id)?;
        if let Some(timeout) = set.timeout_ms {
            msg.put_be64(NFTA_SET_TIMEOUT, timeout)?;
        }
        // Field lengths go only with NFT_SET_CONCAT (interval concatenations), as nft sends
        // them: the kernel refuses them on a set without that flag (EINVAL).
        let concat = set.wire_flags() & NFT_SET_CONCAT != 0;
        if set.size.is_some() || concat {
            let desc = msg.begin_nest(NFTA_SET_DESC)?;
            if let Some(size) = set.size {
                msg.put_be32(NFTA_SET_DESC_SIZE, size)?;
            }
            if concat {
                let concat = msg.begin_nest(NFTA_SET_DESC_CONCAT)?;
                for part in &set.key.0 {
                    let field = msg.begin_nest(NFTA_LIST_ELEM)?;
                    msg.put_be32(NFTA_SET_FIELD_LEN, part.len())?;
                    msg.end_nest(field)?;
                }
                msg.end_nest(concat)?;
            }
            msg.end_nest(desc)?;
        }
        let order = |t: super::KeyType| {
            if t.host_order() {
                BYTEORDER_HOST_ENDIAN
            } else {
                BYTEORDER_BIG_ENDIAN
            }
        };
        let mut udata = [0u8; 6 + 6 + NFT_USERDATA_MAXLEN];
        let mut n = put_udata(
            &mut udata,
            0,
            NFTNL_UDATA_SET_KEYBYTEORDER,
            &order(set.key.0[0]).to_ne_bytes(),
        );
        if let Some(data) = set.data.filter(|d| *d != super::KeyType::Verdict) {
            n = put_udata(
                &mut udata,
                n,
                NFTNL_UDATA_SET_DATABYTEORDER,
                &order(data).to_ne_bytes(),
            );
        }
        if let Some(comment) = &set.comment {
            n = put_udata_str(&mut udata, n, NFTNL_UDATA_SET_COMMENT, comment);
        }
        msg.put(NFTA_SET_USERDATA, &udata[..n])?;
        msg.finish()?;
        Ok(SetTarget::of(set, Some(id)))
    }

    /// DELSETELEM without elements: empties the set (inside this transaction, so a flush
    /// followed by adds replaces the contents atomically).
    pub fn flush_set(&mut self, target: &SetTarget) -> Result<u32, NftError> {
        self.check_open()?;
        let mut msg = self.message(NFT_MSG_DELSETELEM, 0, target.family, 0)?;
        msg.put_strz(NFTA_SET_ELEM_LIST_SET, &target.set)?;
        msg.put_strz(NFTA_SET_ELEM_LIST_TABLE, &target.table)?;
        Ok(msg.finish()?)
    }

    /// DELSET, DELCHAIN or DELTABLE by name.
    pub fn delete(&mut self, what: Delete<'_>) -> Result<u32, NftError> {
        self.check_open()?;
        let (cmd, family, table, name_attr, name) = match what {
            Delete::Table(f, t) => (NFT_MSG_DELTABLE, f, t, None, ""),
            Delete::Chain(f, t, c) => (NFT_MSG_DELCHAIN, f, t, Some(NFTA_CHAIN_NAME), c),
            Delete::Set(f, t, s) => (NFT_MSG_DELSET, f, t, Some(NFTA_SET_NAME), s),
        };
        let mut msg = self.message(cmd, 0, family, 0)?;
        msg.put_strz(1, table)?; // NFTA_{TABLE_NAME,CHAIN_TABLE,SET_TABLE} are all 1
        if let Some(attr) = name_attr {
            msg.put_strz(attr, name)?;
        }
        Ok(msg.finish()?)
    }

    /// NEWRULE: appends the rule to its chain.
    pub fn add_rule(&mut self, rule: &Rule) -> Result<u32, NftError> {
        self.check_open()?;
        rule.validate()?;
        let mut msg = self.message(NFT_MSG_NEWRULE, rule.message_flags(), rule.family, 0)?;
        rule.encode(&mut msg)?;
        Ok(msg.finish()?)
    }

    /// DELRULE: removes the rule with `handle` (as `nft -a list ruleset` shows it) from `chain`.
    pub fn delete_rule(
        &mut self,
        family: Family,
        table: &str,
        chain: &str,
        handle: u64,
    ) -> Result<u32, NftError> {
        self.check_open()?;
        let mut msg = self.message(NFT_MSG_DELRULE, 0, family, 0)?;
        msg.put_strz(NFTA_RULE_TABLE, table)?;
        msg.put_strz(NFTA_RULE_CHAIN, chain)?;
        msg.put_be64(NFTA_RULE_HANDLE, handle)?;
        Ok(msg.finish()?)
    }

    /// DELRULE without a handle: removes every rule of `chain` (`flush chain`), or of every
    /// chain of the table when `chain` is `None` (`flush table`; sets keep their elements).
    pub fn flush_rules(
        &mut self,
        family: Family,
        table: &str,
        chain: Option<&str>,
    ) -> Result<u32, NftError> {
        self.check_open()?;
        let mut msg = self.message(NFT_MSG_DELRULE, 0, family, 0)?;
        msg.put_strz(NFTA_RULE_TABLE, table)?;
        if let Some(chain) = chain {
            msg.put_strz(NFTA_RULE_CHAIN, chain)?;
        }
        Ok(msg.finish()?)
    }

    /// Adds elements that carry more than a key: map values and verdicts, timeouts, comments,
    /// and the inclusive ends of concatenated ranges. Split across messages as needed.
    pub fn add_elements(
        &mut self,
        target: &SetTarget,
        elements: &[Element],
    ) -> Result<ElementStats, NftError> {
        for (index, element) in elements.iter().enumerate() {
            element.validate().map_err(|e| match e {
                NftError::Invalid { object, reason } => NftError::Invalid {
                    object: format!("item {} of the list for set {}", index + 1, target.set),
                    reason: format!("{object}: {reason}"),
                },
                other => other,
            })?;
        }
        self.add_element_groups(target, elements, |msg, number, element| {
            put_element(msg, number, element)?;
            Ok(1)
        })
    }

    /// DELSETELEM: removes the elements with these keys (each in the set's key byte order and
    /// length). Split across messages as needed; a missing key fails the transaction.
    pub fn delete_keys<'k>(
        &mut self,
        target: &SetTarget,
        keys: impl IntoIterator<Item = &'k [u8]>,
    ) -> Result<ElementStats, NftError> {
        self.all_or_nothing(|tx| {
            tx.check_open()?;
            let mut stats = ElementStats::default();
            let mut keys = keys.into_iter().peekable();
            while keys.peek().is_some() {
                let mut msg = tx.message(NFT_MSG_DELSETELEM, 0, target.family, 0)?;
                msg.put_strz(NFTA_SET_ELEM_LIST_TABLE, &target.table)?;
                msg.put_strz(NFTA_SET_ELEM_LIST_SET, &target.set)?;
                let list = msg.begin_nest(NFTA_SET_ELEM_LIST_ELEMENTS)?;
                let mut number: u16 = 1;
                while let Some(key) = keys.peek() {
                    let mark = msg.mark();
                    put_key_element(&mut msg, number, key, 0)
                        .map_err(|e| item_error(target, stats.elements, e))?;
                    if msg.nest_len(&list) > NLA_MAX_LEN {
                        if number == 1 {
                            let len = msg.nest_len(&list);
                            let attr_type = NFTA_SET_ELEM_LIST_ELEMENTS;
                            let error = EncodeError::AttrTooLong { attr_type, len };
                            return Err(item_error(target, stats.elements, error));
                        }
                        msg.rollback(mark);
                        break;
                    }
                    number += 1;
                    stats.elements += 1;
                    keys.next();
                }
                msg.end_nest(list)?;
                msg.finish()?;
                stats.messages += 1;
            }
            Ok(stats)
        })
    }

    /// Starts a NEWSETELEM message for `target`, expected to carry about `expected_len` bytes
    /// of elements, and opens its element list.
    fn elements_message(
        &mut self,
        target: &SetTarget,
        expected_len: usize,
    ) -> Result<(Message<'_>, Nest), NftError> {
        let expected_len = expected_len.min(NLA_MAX_LEN) + 128;
        let mut msg = self.message(
            NFT_MSG_NEWSETELEM,
            NLM_F_CREATE,
            target.family,
            expected_len,
        )?;
        msg.put_strz(NFTA_SET_ELEM_LIST_TABLE, &target.table)?;
        msg.put_strz(NFTA_SET_ELEM_LIST_SET, &target.set)?;
        if let Some(id) = target.id {
            msg.put_be32(NFTA_SET_ELEM_LIST_SET_ID, id)?;
        }
        let list = msg.begin_nest(NFTA_SET_ELEM_LIST_ELEMENTS)?;
        Ok((msg, list))
    }

    /// Adds elements, each written by `write` as one group that stays in one message; lists
    /// are split across NEWSETELEM messages where the 16-bit nest length would overflow.
    ///
    /// `write` gets the message and the 1-based number of the next element in it, and returns
    /// how many elements it wrote.
    pub fn add_element_groups<T>(
        &mut self,
        target: &SetTarget,
        groups: impl IntoIterator<Item = T>,
        mut write: impl FnMut(&mut Message<'_>, u16, &T) -> Result<u16, EncodeError>,
    ) -> Result<ElementStats, NftError> {
        self.all_or_nothing(|tx| {
            tx.check_open()?;
            let mut stats = ElementStats::default();
            let mut groups = groups.into_iter().peekable();
            // Groups taken from the list so far: the index of the next one.
            let mut index: u64 = 0;
            while groups.peek().is_some() {
                let expected = groups.size_hint().0.saturating_mul(16);
                let (mut msg, list) = tx.elements_message(target, expected)?;
                let mut number: u16 = 1;
                while let Some(group) = groups.peek() {
                    let mark = msg.mark();
                    let written =
                        write(&mut msg, number, group).map_err(|e| item_error(target, index, e))?;
                    if msg.nest_len(&list) > NLA_MAX_LEN {
                        if number == 1 {
                            // Not even one group fits an empty list: it can never be sent.
                            let len = msg.nest_len(&list);
                            let attr_type = NFTA_SET_ELEM_LIST_ELEMENTS;
                            let error = EncodeError::AttrTooLong { attr_type, len };
                            return Err(item_error(target, index, error));
                        }
                        msg.rollback(mark);
                        break;
                    }
                    number += written;
                    stats.elements += u64::from(written);
                    index += 1;
                    groups.next();
                }
                msg.end_nest(list)?;
                msg.finish()?;
                stats.messages += 1;
            }
            log_split(target, &stats);
            Ok(stats)
        })
    }

    /// Adds plain keys (each in the set's key byte order and length).
    ///
    /// The fast path for long lists: every element is `{ KEY { VALUE } }`, whose size is known
    /// before it is written, so a message is closed when the next element would not fit its
    /// 16-bit element list, without writing and rolling back.
    pub fn add_keys<'k>(
        &mut self,
        target: &SetTarget,
        keys: impl IntoIterator<Item = &'k [u8]>,
    ) -> Result<ElementStats, NftError> {
        self.all_or_nothing(|tx| tx.write_keys(target, keys))
    }

    /// The body of [`Transaction::add_keys`], which takes its messages back when it fails.
    /// Compiled on its own: inlined beside the mark, its loop took 5 more instructions per key
    /// (`cargo bench --bench instructions`, `add_keys`).
    #[inline(never)]
    fn write_keys<'k>(
        &mut self,
        target: &SetTarget,
        keys: impl IntoIterator<Item = &'k [u8]>,
    ) -> Result<ElementStats, NftError> {
        self.check_open()?;
        let mut stats = ElementStats::default();
        let mut keys = keys.into_iter().peekable();
        while let Some(first) = keys.peek() {
            let each = 3 * NLA_HDRLEN + align(first.len());
            let expected = keys.size_hint().0.saturating_mul(each);
            let (mut msg, list) = self.elements_message(target, expected)?;
            let mut room = NLA_MAX_LEN - NLA_HDRLEN;
            let mut number: u16 = 1;
            while let Some(key) = keys.peek() {
                let size = 3 * NLA_HDRLEN + align(key.len());
                if size > room {
                    if number == 1 {
                        let attr_type = NFTA_SET_ELEM_LIST_ELEMENTS;
                        // The list's own header and this one element.
                        let len = NLA_HDRLEN + size;
                        let error = EncodeError::AttrTooLong { attr_type, len };
                        return Err(item_error(target, stats.elements, error));
                    }
                    break;
                }
                msg.put_nested(&[number, NFTA_SET_ELEM_KEY], NFTA_DATA_VALUE, key)?;
                room -= size;
                number += 1;
                keys.next();
            }
            msg.end_nest(list)?;
            msg.finish()?;
            stats.elements += u64::from(number - 1);
            stats.messages += 1;
        }
        Ok(stats)
    }

    /// Adds sorted, merged IPv4 ranges to an interval set, as nft encodes them.
    pub fn add_v4_intervals(
        &mut self,
        target: &SetTarget,
        ranges: &[V4Range],
    ) -> Result<ElementStats, NftError> {
        self.add_intervals(target, ranges, |r| {
            let end = (r.hi != u32::MAX).then(|| (r.hi + 1).to_be_bytes());
            (r.lo.to_be_bytes(), end)
        })
    }

    /// Adds sorted, merged IPv6 ranges to an interval set, as nft encodes them.
    pub fn add_v6_intervals(
        &mut self,
        target: &SetTarget,
        ranges: &[V6Range],
    ) -> Result<ElementStats, NftError> {
        self.add_intervals(target, ranges, |r| {
            let end = (r.hi != u128::MAX).then(|| (r.hi + 1).to_be_bytes());
            (r.lo.to_be_bytes(), end)
        })
    }

    /// Adds ranges given as `bounds(range) = (start key, end key unless the range reaches the
    /// family's highest address)`, each range's elements in one message.
    fn add_intervals<R, const N: usize>(
        &mut self,
        target: &SetTarget,
        ranges: &[R],
        bounds: impl Fn(&R) -> ([u8; N], Option<[u8; N]>),
    ) -> Result<ElementStats, NftError> {
        self.all_or_nothing(|tx| tx.write_intervals(target, ranges, bounds))
    }

    /// The body of [`Transaction::add_intervals`]. Like [`Transaction::add_keys`], it knows
    /// each range's size before writing it (keys of `N` bytes), so a message is closed when
    /// the next range would not fit its 16-bit element list, and each range is one [`Run`].
    #[inline(never)]
    fn write_intervals<R, const N: usize>(
        &mut self,
        target: &SetTarget,
        ranges: &[R],
        bounds: impl Fn(&R) -> ([u8; N], Option<[u8; N]>),
    ) -> Result<ElementStats, NftError> {
        self.check_open()?;
        let mut stats = ElementStats::default();
        // The next range to write.
        let mut at = 0;
        while at < ranges.len() {
            let expected = (ranges.len() - at).saturating_mul(Interval::<N>::CLOSED);
            let (mut msg, list) = self.elements_message(target, expected)?;
            let mut room = NLA_MAX_LEN - NLA_HDRLEN;
            let mut number: u16 = 1;
            while let Some(range) = ranges.get(at) {
                let (lo, end) = bounds(range);
                // nft marks the space below the first range (unless it starts at zero) with a
                // zero key flagged as an end.
                let lead = at == 0 && lo != [0; N];
                let put = match (lead, end) {
                    // The usual range, start and end: a copy of the writer in which the size
                    // and the shape are constants.
                    (false, Some(end)) => Interval { lo, end: Some(end) }.put(
                        &mut msg,
                        number,
                        false,
                        Interval::<N>::CLOSED,
                        &mut room,
                    )?,
                    _ => {
                        let interval = Interval { lo, end };
                        let size = interval.size(lead);
                        interval.put(&mut msg, number, lead, size, &mut room)?
                    }
                };
                let Some(written) = put else {
                    break;
                };
                number += written;
                stats.elements += u64::from(written);
                at += 1;
            }
            // At most 108 bytes for 16-byte keys: a range always fits an empty list.
            debug_assert!(number > 1, "a range larger than an element list");
            msg.end_nest(list)?;
            msg.finish()?;
            stats.messages += 1;
        }
        log_split(target, &stats);
        Ok(stats)
    }
}

/// The elements of one range of an interval set, with keys of `N` bytes: the start, and the
/// end (`hi + 1`, flagged `NFT_SET_ELEM_INTERVAL_END`) unless the range reaches the family's
/// highest address, which nft flags as open in the start element's userdata instead.
struct Interval<const N: usize> {
    lo: [u8; N],
    end: Option<[u8; N]>,
}

impl<const N: usize> Interval<N> {
    /// `KEY { VALUE }` of an element.
    const KEY: usize = NLA_HDRLEN + attr_len(N);
    /// An element `{ KEY { VALUE } }`.
    const START: usize = NLA_HDRLEN + Self::KEY;
    /// An element `{ FLAGS, KEY { VALUE } }`.
    const END: usize = Self::START + attr_len(4);
    /// An element `{ KEY { VALUE }, USERDATA }` (the open flag: a 6-byte TLV).
    const OPEN: usize = Self::START + attr_len(6);
    /// The usual range: a start and an end.
    const CLOSED: usize = Self::START + Self::END;

    /// Bytes of the range's elements, with a leading zero end element when `lead`.
    #[inline(always)]
    fn size(&self, lead: bool) -> usize {
        let lead = if lead { Self::END } else { 0 };
        lead + if self.end.is_some() {
            Self::CLOSED
        } else {
            Self::OPEN
        }
    }

    /// Writes the range's elements, numbered from `number`, as one run of `size` bytes (its
    /// [`Interval::size`]) taken from the `room` left in the element list; returns how many it
    /// wrote, or `None`, writing nothing, when they do not fit.
    #[inline(always)]
    fn put(
        &self,
        msg: &mut Message<'_>,
        number: u16,
        lead: bool,
        size: usize,
        room: &mut usize,
    ) -> Result<Option<u16>, EncodeError> {
        if size > *room {
            return Ok(None);
        }
        *room -= size;
        let mut run = msg.run(number, size)?;
        let written = self.write(&mut run, number, lead);
        run.finish();
        Ok(Some(written))
    }

    /// Writes the elements, numbered from `number`, into a run of [`Interval::size`] bytes;
    /// returns how many it wrote.
    #[inline(always)]
    fn write(&self, run: &mut Run<'_, '_>, number: u16, lead: bool) -> u16 {
        let mut n = number;
        if lead {
            Self::write_end(run, n, &[0; N]);
            n += 1;
        }
        match &self.end {
            Some(end) => {
                Self::write_start(run, n, &self.lo, Self::START);
                Self::write_end(run, n + 1, end);
                n += 2;
            }
            None => {
                Self::write_start(run, n, &self.lo, Self::OPEN);
                let open = NFTNL_SET_ELEM_F_INTERVAL_OPEN.to_ne_bytes();
                let mut udata = [0u8; 6];
                put_udata(&mut udata, 0, NFTNL_UDATA_SET_ELEM_FLAGS, &open);
                run.put(NFTA_SET_ELEM_USERDATA, &udata);
                n += 1;
            }
        }
        n - number
    }

    /// The element's header (`len` bytes in all) and its key.
    #[inline(always)]
    fn write_start(run: &mut Run<'_, '_>, number: u16, key: &[u8; N], len: usize) {
        run.nest(number, len);
        run.nest(NFTA_SET_ELEM_KEY, Self::KEY);
        run.put(NFTA_DATA_VALUE, key);
    }

    /// An end element: `{ FLAGS interval-end, KEY { VALUE } }`.
    #[inline(always)]
    fn write_end(run: &mut Run<'_, '_>, number: u16, key: &[u8; N]) {
        run.nest(number, Self::END);
        run.put_be32(NFTA_SET_ELEM_FLAGS, NFT_SET_ELEM_INTERVAL_END);
        run.nest(NFTA_SET_ELEM_KEY, Self::KEY);
        run.put(NFTA_DATA_VALUE, key);
    }
}

use crate::message::Nest;

/// A set or map element with everything it can carry besides its key.
///
/// ```
/// use nlbatch::nft::{Element, ElementData, Verdict};
///
/// let entry = Element::key(&[192, 0, 2, 1])
///     .with_data(ElementData::Verdict(Verdict::Drop))
///     .with_timeout_ms(60_000)
///     .with_comment("seen scanning");
/// assert_eq!(entry.timeout_ms, Some(60_000));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Element {
    /// Key, in the set's key byte order and length.
    pub key: Vec<u8>,
    /// Inclusive end of a range, for concatenated interval sets (one element per range).
    pub key_end: Option<Vec<u8>>,
    /// Value of a map element.
    pub data: Option<ElementData>,
    /// Timeout in milliseconds (the set needs `NFT_SET_TIMEOUT`); without one, the set's
    /// default timeout applies.
    pub timeout_ms: Option<u64>,
    /// Comment, kept in the element's userdata (at most 253 bytes).
    pub comment: Option<String>,
}

impl Element {
    /// An element with only a key.
    pub fn key(key: &[u8]) -> Element {
        Element {
            key: key.to_vec(),
            ..Element::default()
        }
    }

    /// The same element as a map entry with `data`.
    pub fn with_data(self, data: ElementData) -> Element {
        Element {
            data: Some(data),
            ..self
        }
    }

    /// The same element as the range from its key to `end`, inclusive.
    pub fn with_end(self, end: &[u8]) -> Element {
        Element {
            key_end: Some(end.to_vec()),
            ..self
        }
    }

    /// The same element with a timeout.
    pub fn with_timeout_ms(self, timeout_ms: u64) -> Element {
        Element {
            timeout_ms: Some(timeout_ms),
            ..self
        }
    }

    /// The same element with a comment.
    pub fn with_comment(self, comment: &str) -> Element {
        Element {
            comment: Some(comment.to_string()),
            ..self
        }
    }

    /// Checks the comment and a verdict's chain name.
    pub fn validate(&self) -> Result<(), NftError> {
        if let Some(comment) = &self.comment {
            check_comment("set element", comment)?;
        }
        if let Some(ElementData::Verdict(Verdict::Jump(chain) | Verdict::Goto(chain))) = &self.data
        {
            check_name("chain", chain)?;
        }
        Ok(())
    }
}

/// The value of a map element.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ElementData {
    /// A value, in the map's data byte order and length.
    Value(Vec<u8>),
    /// A verdict, for verdict maps.
    Verdict(Verdict),
}

/// One element `{ [TIMEOUT], KEY { VALUE }, [KEY_END], [DATA], [USERDATA] }`, in nft's order.
fn put_element(msg: &mut Message<'_>, number: u16, element: &Element) -> Result<(), EncodeError> {
    let elem = msg.begin_nest(number)?;
    if let Some(timeout) = element.timeout_ms {
        msg.put_be64(NFTA_SET_ELEM_TIMEOUT, timeout)?;
    }
    msg.put_nested(&[NFTA_SET_ELEM_KEY], NFTA_DATA_VALUE, &element.key)?;
    if let Some(end) = &element.key_end {
        msg.put_nested(&[NFTA_SET_ELEM_KEY_END], NFTA_DATA_VALUE, end)?;
    }
    match &element.data {
        Some(ElementData::Value(value)) => {
            msg.put_nested(&[NFTA_SET_ELEM_DATA], NFTA_DATA_VALUE, value)?;
        }
        Some(ElementData::Verdict(verdict)) => verdict.encode(msg, NFTA_SET_ELEM_DATA)?,
        None => {}
    }
    if let Some(comment) = &element.comment {
        let mut udata = [0u8; NFT_USERDATA_MAXLEN + 3];
        let n = put_udata_str(&mut udata, 0, NFTNL_UDATA_SET_ELEM_COMMENT, comment);
        msg.put(NFTA_SET_ELEM_USERDATA, &udata[..n])?;
    }
    msg.end_nest(elem)
}

/// Logs (at debug level) a list for `target` that took more than one message.
fn log_split(target: &SetTarget, stats: &ElementStats) {
    if stats.messages > 1 {
        log::debug!(
            "{} elements for set {} split into {} messages",
            stats.elements,
            target.set,
            stats.messages
        );
    }
}

/// The error for item `index` (from 0) of a list for `target` that cannot be written: too
/// long for a netlink attribute, or a string with a NUL byte. Other failures (the batch too
/// large, memory) are not the item's and pass through as they are.
#[cold]
fn item_error(target: &SetTarget, index: u64, error: EncodeError) -> NftError {
    let reason = match error {
        EncodeError::AttrTooLong { len, .. } => format!(
            "alone in an element list it makes the list {len} bytes, more than the \
             {NLA_MAX_LEN} one netlink attribute can hold"
        ),
        EncodeError::NulInString { .. } => "a string in it contains a NUL byte".to_string(),
        other => return other.into(),
    };
    NftError::Invalid {
        object: format!("item {} of the list for set {}", index + 1, target.set),
        reason,
    }
}

/// What [`Transaction::delete`] removes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delete<'a> {
    /// A table and everything in it.
    Table(Family, &'a str),
    /// A chain (family, table, chain).
    Chain(Family, &'a str, &'a str),
    /// A set (family, table, set).
    Set(Family, &'a str, &'a str),
}

/// The `nfgenmsg` of BATCH_BEGIN and BATCH_END: `AF_UNSPEC`, version 0, big-endian subsystem.
fn res_id_header() -> [u8; 4] {
    let res_id = NFNL_SUBSYS_NFTABLES.to_be_bytes();
    [0, 0, res_id[0], res_id[1]]
}

/// One element `{ [FLAGS], KEY { VALUE } }` numbered `number` in its list.
#[inline]
fn put_key_element(
    msg: &mut Message<'_>,
    number: u16,
    key: &[u8],
    flags: u32,
) -> Result<(), EncodeError> {
    if flags == 0 {
        return msg.put_nested(&[number, NFTA_SET_ELEM_KEY], NFTA_DATA_VALUE, key);
    }
    let elem = msg.begin_nest(number)?;
    msg.put_be32(NFTA_SET_ELEM_FLAGS, flags)?;
    msg.put_nested(&[NFTA_SET_ELEM_KEY], NFTA_DATA_VALUE, key)?;
    msg.end_nest(elem)
}

/// Writes a libnftnl userdata TLV (`type: u8, len: u8, value`) at `at`; returns the new end.
/// `buf` must have room (callers size it for the longest value).
fn put_udata(buf: &mut [u8], at: usize, tlv_type: u8, value: &[u8]) -> usize {
    buf[at] = tlv_type;
    buf[at + 1] = value.len() as u8;
    buf[at + 2..at + 2 + value.len()].copy_from_slice(value);
    at + 2 + value.len()
}

/// Writes a NUL-terminated string TLV (a comment), as nft does.
fn put_udata_str(buf: &mut [u8], at: usize, tlv_type: u8, value: &str) -> usize {
    let end = put_udata(buf, at, tlv_type, value.as_bytes());
    buf[at + 1] += 1;
    buf[end] = 0;
    end + 1
}

/// A userdata attribute holding only a comment TLV.
fn put_comment(msg: &mut Message<'_>, attr: u16, tlv: u8, comment: &str) -> Result<(), NftError> {
    let mut udata = [0u8; NFT_USERDATA_MAXLEN + 3];
    let n = put_udata_str(&mut udata, 0, tlv, comment);
    Ok(msg.put(attr, &udata[..n])?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nft::KeyType;

    fn target() -> SetTarget {
        SetTarget::of(&Set::new(Family::Inet, "t", "s", KeyType::Ipv4Addr), None)
    }

    /// An open transaction holding BATCH_BEGIN and one table.
    fn started() -> Transaction {
        let mut tx = Transaction::new(BatchConfig::default()).unwrap();
        tx.begin(None).unwrap();
        tx.add_table(&Table::new(Family::Inet, "t")).unwrap();
        tx
    }

    /// Runs `job`, which must fail after finishing messages, and checks that the batch is
    /// left as it was, names item `item` in the error, and takes more afterwards.
    fn fails_whole(
        item: u64,
        job: impl FnOnce(&mut Transaction) -> Result<ElementStats, NftError>,
    ) {
        let mut tx = started();
        let (len, count, bytes) = (
            tx.batch().len(),
            tx.batch().message_count(),
            tx.batch().to_vec(),
        );
        match job(&mut tx) {
            Err(NftError::Invalid { object, reason }) => {
                assert_eq!(object, format!("item {item} of the list for set s"));
                assert!(reason.contains("more than the 65535"), "{reason}");
                let len: usize = reason.split(' ').find_map(|w| w.parse().ok()).unwrap();
                assert!(len > 65535, "{reason}");
            }
            other => panic!("expected Invalid, got {other:?}"),
        }
        assert_eq!(tx.batch().len(), len);
        assert_eq!(tx.batch().message_count(), count);
        assert!(tx.batch().to_vec() == bytes, "the batch changed");
        tx.add_keys(&target(), [&[10, 0, 0, 1][..]]).unwrap();
        tx.end().unwrap();
        assert_eq!(tx.batch().message_count(), count + 2);
    }

    #[test]
    fn an_invalid_element_is_named_by_its_place_in_the_list() {
        let mut elements: Vec<Element> =
            (0..3u32).map(|i| Element::key(&i.to_be_bytes())).collect();
        elements[2].comment = Some("a\0b".into());
        let mut tx = started();
        match tx.add_elements(&target(), &elements) {
            Err(NftError::Invalid { object, reason }) => {
                assert_eq!(object, "item 3 of the list for set s");
                assert!(reason.contains("no NUL"), "{reason}");
            }
            other => panic!("expected Invalid, got {other:?}"),
        }
    }

    #[test]
    fn failed_lists_do_not_make_the_arena_keep_their_memory_past_a_reset() {
        let mut keys: Vec<Vec<u8>> = (0..300_000u32).map(|i| i.to_be_bytes().to_vec()).collect();
        keys.push(vec![7; 65_600]);
        let mut tx = started();
        for _ in 0..10 {
            let result = tx.add_keys(&target(), keys.iter().map(Vec::as_slice));
            assert!(result.is_err());
        }
        // Ten failed lists of 4.8 MB each went through the arena; the batch kept a table.
        assert!(tx.batch().arena().allocated_bytes() > 40 << 20);
        tx.reset();
        let mut tx2 = tx;
        tx2.begin(None).unwrap();
        tx2.end().unwrap();
        tx2.reset();
        let kept = tx2.batch().arena().allocated_bytes();
        assert!(kept <= 8 << 20, "{kept} bytes kept after the reset");
    }

    #[test]
    fn a_list_that_fails_midway_leaves_nothing_in_the_batch() {
        // 5000 good keys fill more than one message before the one that cannot be written.
        let mut keys: Vec<Vec<u8>> = (0..5000u32).map(|i| i.to_be_bytes().to_vec()).collect();
        keys.push(vec![7; 65_600]);
        let list = keys.clone();
        fails_whole(5001, move |tx| {
            tx.add_keys(&target(), list.iter().map(Vec::as_slice))
        });
        fails_whole(5001, move |tx| {
            tx.delete_keys(&target(), keys.iter().map(Vec::as_slice))
        });
        let mut elements: Vec<Element> = (0..5000u32)
            .map(|i| Element::key(&i.to_be_bytes()).with_data(ElementData::Verdict(Verdict::Drop)))
            .collect();
        elements.push(Element::key(&[9; 65_520]));
        fails_whole(5001, move |tx| tx.add_elements(&target(), &elements));
    }
}

//! The kernel takes at most `UIO_MAXIOV` (1024) iovecs in one `sendmsg(2)`. A batch of small
//! pages must grow its pages to stay under that, refuse cleanly when it cannot, and give a
//! message larger than a page a page of its own.

use nlbatch::arena::{ArenaConfig, ArenaError, GROW_AFTER_PAGES, UIO_MAXIOV};
use nlbatch::decode::MessageIter;
use nlbatch::message::{align, Batch, BatchConfig, EncodeError, NLM_F_CREATE, NLM_F_REQUEST};

/// `NFNL_MSG_BATCH_BEGIN`.
const NFNL_MSG_BATCH_BEGIN: u16 = 0x10;
/// `NFNL_MSG_BATCH_END`.
const NFNL_MSG_BATCH_END: u16 = 0x11;
/// `NFNL_SUBSYS_NFTABLES << 8 | NFT_MSG_NEWSETELEM`.
const NEWSETELEM: u16 = 0x0a0c;
/// nfgenmsg of the batch messages: `AF_UNSPEC`, version 0, `res_id` = big-endian 10.
const BATCH_NFGENMSG: [u8; 4] = [0, 0, 0, 10];
/// nfgenmsg of the body: `NFPROTO_INET`, version 0, `res_id` 0.
const INET_NFGENMSG: [u8; 4] = [1, 0, 0, 0];

/// The smallest page size.
const PAGE: usize = 4096;
/// Elements per NEWSETELEM message: 40 + 250 × 16 = 4,040 bytes, so one message per page.
const PER_MESSAGE: u32 = 250;
/// Elements in the large batch: 10,000 messages, about 40 MB, 10,000 pages of 4 KiB.
const ELEMENTS: u32 = 2_500_000;

/// Bytes of one NEWSETELEM message of [`PER_MESSAGE`] elements.
const MESSAGE_LEN: usize = 16 + 4 + 8 + 8 + 4 + PER_MESSAGE as usize * 16;

/// Writes one `BATCH_BEGIN` or `BATCH_END` message.
fn marker(batch: &mut Batch, msg_type: u16) -> Result<u32, EncodeError> {
    let mut m = batch.message(msg_type, NLM_F_REQUEST)?;
    m.family_header(&BATCH_NFGENMSG)?;
    m.finish()
}

/// Writes one NEWSETELEM message with the IPv4 addresses `first..first + count`.
fn set_elements(batch: &mut Batch, first: u32, count: u32) -> Result<u32, EncodeError> {
    let mut m = batch.message(NEWSETELEM, NLM_F_REQUEST | NLM_F_CREATE)?;
    m.family_header(&INET_NFGENMSG)?;
    m.put_strz(1, "t")?; // NFTA_SET_ELEM_LIST_TABLE
    m.put_strz(2, "s")?; // NFTA_SET_ELEM_LIST_SET
    let list = m.begin_nest(3)?; // NFTA_SET_ELEM_LIST_ELEMENTS
    for addr in first..first + count {
        let elem = m.begin_nest(1)?; // NFTA_LIST_ELEM
        let key = m.begin_nest(1)?; // NFTA_SET_ELEM_KEY
        m.put(1, &addr.to_be_bytes())?; // NFTA_DATA_VALUE
        m.end_nest(key)?;
        m.end_nest(elem)?;
    }
    m.end_nest(list)?;
    m.finish()
}

/// Encodes BEGIN, the elements, END; stops at the first error.
fn encode(batch: &mut Batch) -> Result<(), EncodeError> {
    marker(batch, NFNL_MSG_BATCH_BEGIN)?;
    for first in (0..ELEMENTS).step_by(PER_MESSAGE as usize) {
        set_elements(batch, 0x0a00_0000 + first, PER_MESSAGE)?;
    }
    marker(batch, NFNL_MSG_BATCH_END)?;
    Ok(())
}

/// Reads the bytes an iovec of a batch points to.
fn iov_bytes(iov: &libc::iovec) -> &[u8] {
    // SAFETY: the iovecs come from `Batch::iovecs` on a batch that the caller still borrows,
    // so each points at `iov_len` initialised bytes of a live page.
    unsafe { std::slice::from_raw_parts(iov.iov_base as *const u8, iov.iov_len) }
}

/// Checks that every iovec holds whole messages numbered on from the previous one's, and that
/// together they are the batch. Returns the number of messages seen.
fn check_iovecs(batch: &mut Batch) -> usize {
    let whole = batch.to_vec();
    let mut seq = batch.seq_start();
    let mut joined = Vec::with_capacity(whole.len());
    for (i, iov) in batch.iovecs().iter().enumerate() {
        let bytes = iov_bytes(iov);
        let mut end = 0;
        for view in MessageIter::new(bytes) {
            let view =
                view.unwrap_or_else(|e| panic!("iovec {i} does not hold whole messages: {e}"));
            assert_eq!(view.seq(), seq, "iovec {i}");
            seq = seq.wrapping_add(1);
            end = view.offset() + align(view.len());
        }
        assert_eq!(end, bytes.len(), "iovec {i} ends inside a message");
        joined.extend_from_slice(bytes);
    }
    assert!(joined == whole, "the iovecs are not the batch");
    seq.wrapping_sub(batch.seq_start()) as usize
}

#[test]
fn small_pages_grow_to_stay_within_the_iovec_limit() {
    let config = BatchConfig {
        arena: ArenaConfig::with_page_size(PAGE),
        ..Default::default()
    };
    let mut batch = Batch::new(config).unwrap();
    encode(&mut batch).unwrap();

    let messages = (ELEMENTS / PER_MESSAGE) as usize + 2;
    assert_eq!(batch.message_count() as usize, messages);
    assert_eq!(batch.len(), 2 * 20 + (messages - 2) * MESSAGE_LEN);
    assert!(
        batch.len().div_ceil(PAGE) > 9_000,
        "the batch must need thousands of 4 KiB pages"
    );

    let iovecs = batch.iovecs().len();
    assert!(iovecs <= UIO_MAXIOV, "{iovecs} iovecs");
    assert!(
        iovecs > GROW_AFTER_PAGES,
        "pages grow only after the first {GROW_AFTER_PAGES}"
    );
    let lens: Vec<usize> = batch.iovecs().iter().map(|v| v.iov_len).collect();
    eprintln!(
        "{} bytes in {} messages: {iovecs} iovecs, largest {} bytes; arena holds {} bytes",
        batch.len(),
        messages,
        lens.iter().max().unwrap(),
        batch.arena().allocated_bytes()
    );
    assert!(lens[..GROW_AFTER_PAGES].iter().all(|&len| len <= PAGE));
    assert!(lens[GROW_AFTER_PAGES..].iter().any(|&len| len > PAGE));
    assert_eq!(check_iovecs(&mut batch), messages);
}

#[test]
fn pages_that_may_not_grow_fail_cleanly_at_the_limit() {
    let arena = ArenaConfig {
        page_size: PAGE,
        max_page_size: PAGE,
    };
    let mut batch = Batch::new(BatchConfig {
        arena,
        ..Default::default()
    })
    .unwrap();

    marker(&mut batch, NFNL_MSG_BATCH_BEGIN).unwrap();
    let mut error = None;
    for first in (0..ELEMENTS).step_by(PER_MESSAGE as usize) {
        let (len, count) = (batch.len(), batch.message_count());
        if let Err(e) = set_elements(&mut batch, 0x0a00_0000 + first, PER_MESSAGE) {
            // The failed message is gone: the batch is as it was before it.
            assert_eq!((batch.len(), batch.message_count()), (len, count));
            error = Some(e);
            break;
        }
    }
    assert_eq!(error, Some(EncodeError::Arena(ArenaError::TooManyPages)));
    assert_eq!(batch.page_count(), UIO_MAXIOV);

    // Still usable: a small END fits in the last page, and every page holds whole messages.
    let count = batch.message_count();
    let end_seq = marker(&mut batch, NFNL_MSG_BATCH_END).unwrap();
    assert_eq!(batch.index_of_seq(end_seq), Some(count));
    assert_eq!(batch.page_count(), UIO_MAXIOV);
    assert_eq!(check_iovecs(&mut batch), count as usize + 1);

    // And after a reset it takes a batch that fits.
    batch.reset();
    marker(&mut batch, NFNL_MSG_BATCH_BEGIN).unwrap();
    set_elements(&mut batch, 0x0a00_0000, PER_MESSAGE).unwrap();
    marker(&mut batch, NFNL_MSG_BATCH_END).unwrap();
    assert_eq!(batch.len(), 2 * 20 + MESSAGE_LEN);
    assert_eq!(check_iovecs(&mut batch), 3);
}

/// Writes a message of `attrs` attributes of 1,000 bytes each, every byte its attribute's
/// index, and returns its seq.
fn big_message(batch: &mut Batch, attrs: u16) -> u32 {
    let mut m = batch.message(NEWSETELEM, NLM_F_REQUEST).unwrap();
    m.family_header(&INET_NFGENMSG).unwrap();
    for i in 0..attrs {
        m.put(i + 1, &[i as u8; 1000]).unwrap();
    }
    m.finish().unwrap()
}

#[test]
fn a_message_larger_than_a_page_gets_a_page_of_its_own() {
    let grown = ArenaConfig::with_page_size(PAGE);
    let fixed = ArenaConfig {
        page_size: PAGE,
        max_page_size: PAGE,
    };
    for arena in [grown, fixed] {
        let mut batch = Batch::new(BatchConfig {
            arena,
            ..Default::default()
        })
        .unwrap();
        // Large as the first message, then after small ones, then again back to back.
        let mut big = vec![big_message(&mut batch, 100)];
        marker(&mut batch, NFNL_MSG_BATCH_BEGIN).unwrap();
        set_elements(&mut batch, 0x0a00_0000, 100).unwrap();
        big.push(big_message(&mut batch, 100));
        big.push(big_message(&mut batch, 120));
        marker(&mut batch, NFNL_MSG_BATCH_END).unwrap();

        let count = batch.message_count() as usize;
        assert_eq!(check_iovecs(&mut batch), count);
        for (n, &seq) in big.iter().enumerate() {
            let attrs = if n == 2 { 120 } else { 100 };
            let bytes = batch.message_bytes_by_seq(seq).unwrap().to_vec();
            assert_eq!(bytes.len(), 16 + 4 + attrs * 1004);
            let view = MessageIter::new(&bytes).next().unwrap().unwrap();
            assert_eq!(view.seq(), seq);
            let decoded: Vec<_> = view.attrs(4).collect::<Result<_, _>>().unwrap();
            assert_eq!(decoded.len(), attrs);
            for (i, attr) in decoded.iter().enumerate() {
                assert_eq!(attr.kind() as usize, i + 1);
                assert_eq!(attr.data(), &[i as u8; 1000][..]);
            }

            // The iovec that holds it starts with it.
            let starts_a_page = batch
                .iovecs()
                .iter()
                .any(|iov| iov_bytes(iov).starts_with(&bytes));
            assert!(starts_a_page, "message {seq} does not start a page");
        }
    }
}

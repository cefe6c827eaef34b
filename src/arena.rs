//! Pages of a bump arena: where a batch's bytes live until they are sent.
//!
//! ```text
//!  bumpalo::Bump (chunks kept across reset)
//!  ┌──────────── page 0 ─────────────┐┌──────────── page 1 ─────────────┐
//!  │ msg 0 │ msg 1 │ ... │ msg k │ ··· ││ msg k+1 │ msg k+2 │ ...   │ ··· │
//!  └─────────────────────────────────┘└─────────────────────────────────┘
//!   iovec[0] = (page 0, bytes used)     iovec[1] = (page 1, bytes used)
//! ```
//!
//! Every page is one iovec of the `sendmsg(2)` that carries the batch. Pages hold whole
//! messages only: a message that outgrows the room left in its page is moved, whole, to a fresh
//! page. Page capacity is fixed by [`ArenaConfig::page_size`], except that
//!
//! - a message that does not fit an empty page gets a page of its own, sized to fit it, and
//! - after [`GROW_AFTER_PAGES`] pages each new page doubles in size, up to
//!   [`ArenaConfig::max_page_size`], so that a batch never needs more than the kernel's
//!   [`UIO_MAXIOV`] iovecs.
//!
//! [`Arena::reset`] keeps the memory, re-sized once to what the batch needed, so a program that
//! sends batches of similar size stops allocating after its first batch.

use std::alloc::Layout;
use std::ptr::NonNull;
use std::sync::atomic::{AtomicU64, Ordering};

use bumpalo::Bump;

/// The kernel's limit on iovecs in one `sendmsg(2)` (`UIO_MAXIOV`).
pub const UIO_MAXIOV: usize = 1024;

/// Largest datagram the kernel accepts in one `sendmsg(2)` on this machine class, in bytes.
///
/// Beyond it the kernel shortens the write (`MAX_RW_COUNT`) and the batch is aborted silently,
/// so larger batches are refused before they are sent.
pub const MAX_DATAGRAM: usize = 2_147_479_552;

/// Smallest page size accepted, in bytes.
pub const MIN_PAGE_SIZE: usize = 4096;

/// Largest page size accepted, in bytes (1 GiB).
pub const MAX_PAGE_SIZE: usize = 1 << 30;

/// Default page size, in bytes (2 MiB, as nft uses).
///
/// Chosen with `cargo bench --bench encode` and the arena's own accounting: encoding speed is
/// flat within noise from 4 KiB to 4 MiB, but the memory a page leaves unused at its end is up
/// to one whole message, and nftables' largest message (a full element list) is 65,560 bytes.
/// A 256 KiB page holds only three of them (75% used); a 2 MiB page holds 31 (97%).
pub const DEFAULT_PAGE_SIZE: usize = 2 << 20;

/// Default ceiling for grown pages, in bytes (64 MiB).
pub const DEFAULT_MAX_PAGE_SIZE: usize = 64 << 20;

/// Pages kept at the configured size before later pages start to double.
pub const GROW_AFTER_PAGES: usize = UIO_MAXIOV / 2;

/// Alignment of every page: netlink messages are 4-byte aligned.
const PAGE_ALIGN: usize = 4;

/// Page sizes of an [`Arena`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ArenaConfig {
    /// Capacity of an ordinary page in bytes, between [`MIN_PAGE_SIZE`] and [`MAX_PAGE_SIZE`].
    pub page_size: usize,
    /// Largest capacity a grown page reaches, in bytes; at least `page_size`.
    pub max_page_size: usize,
}

impl Default for ArenaConfig {
    fn default() -> Self {
        ArenaConfig {
            page_size: DEFAULT_PAGE_SIZE,
            max_page_size: DEFAULT_MAX_PAGE_SIZE,
        }
    }
}

impl ArenaConfig {
    /// A configuration with the given page size and the default ceiling for grown pages
    /// (raised to `page_size` when smaller).
    pub fn with_page_size(page_size: usize) -> Self {
        ArenaConfig {
            page_size,
            max_page_size: DEFAULT_MAX_PAGE_SIZE.max(page_size),
        }
    }

    /// Checks the bounds stated on each field.
    pub fn validate(&self) -> Result<(), ArenaError> {
        if !(MIN_PAGE_SIZE..=MAX_PAGE_SIZE).contains(&self.page_size) {
            return Err(ArenaError::PageSize(self.page_size));
        }
        if self.max_page_size < self.page_size || self.max_page_size > MAX_PAGE_SIZE {
            return Err(ArenaError::MaxPageSize(self.max_page_size));
        }
        Ok(())
    }

    /// Capacity of the page with this index when a message of `need` bytes must fit in it.
    fn capacity(&self, index: usize, previous: usize, need: usize) -> usize {
        let regular = if index < GROW_AFTER_PAGES {
            self.page_size
        } else {
            previous
                .saturating_mul(2)
                .clamp(self.page_size, self.max_page_size)
        };
        regular.max(need)
    }
}

/// Errors of the arena layer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ArenaError {
    /// The page size is outside the accepted bounds.
    #[error("page size {0} bytes is outside {MIN_PAGE_SIZE}..={MAX_PAGE_SIZE} bytes")]
    PageSize(usize),
    /// The ceiling for grown pages is below the page size or above the bound.
    #[error(
        "maximum page size {0} bytes must be at least the page size and at most \
         {MAX_PAGE_SIZE} bytes"
    )]
    MaxPageSize(usize),
    /// The batch would need more iovecs than the kernel takes in one `sendmsg(2)`.
    #[error(
        "the batch needs more than {UIO_MAXIOV} pages (the kernel's iovec limit); \
         raise the maximum page size"
    )]
    TooManyPages,
    /// The batch would exceed the largest datagram the kernel accepts.
    #[error(
        "the batch would be {size} bytes, more than the {MAX_DATAGRAM} bytes the kernel \
         accepts in one datagram; split it into several transactions"
    )]
    TooLarge {
        /// Size the batch would have reached, in bytes.
        size: usize,
    },
    /// The global allocator refused memory for a page.
    #[error("out of memory allocating a page of {0} bytes")]
    OutOfMemory(usize),
}

/// One page: a region of the bump and how many of its bytes hold finished messages.
#[derive(Debug, Clone, Copy)]
struct Page {
    ptr: NonNull<u8>,
    len: usize,
    /// Index in the batch of the first message that starts in this page.
    first_message: u32,
}

/// A position between finished messages of one arena, to go back to with
/// [`Arena::rollback`]; valid until the arena is reset.
#[derive(Debug, Clone, Copy)]
pub struct ArenaMark {
    /// The arena and the batch (resets so far) the mark belongs to.
    arena: u64,
    resets: u64,
    /// Which mark of the batch it is (from 1).
    seq: u64,
    pages: usize,
    /// The last page as it was, and the current page's capacity.
    last: Option<Page>,
    cur_cap: usize,
    finished: usize,
    carved: usize,
}

/// Source of the ids that tie an [`ArenaMark`] to its arena.
static NEXT_ARENA_ID: AtomicU64 = AtomicU64::new(0);

/// Pages carved from a bump arena, written forward, reused after [`Arena::reset`].
///
/// The arena knows nothing of netlink beyond alignment; [`crate::message::Batch`] writes
/// messages into it. Bytes are appended to the *open region*: the tail of the current page
/// after the last finished message. [`Arena::reserve`] guarantees room there, moving the open
/// region whole to a fresh page when needed.
pub struct Arena {
    bump: Bump,
    config: ArenaConfig,
    pages: Vec<Page>,
    iov: Vec<libc::iovec>,
    /// Current page: base pointer, capacity, bytes written (finished and open).
    cur: NonNull<u8>,
    cur_cap: usize,
    cur_len: usize,
    /// Offset in the current page where the open region starts.
    open_start: usize,
    /// Bytes of finished messages in all pages.
    finished: usize,
    /// Capacity of every page carved in this batch, abandoned ones included.
    carved: usize,
    /// The bump's size at the last reset: if it grew, the next reset re-sizes it.
    bump_size: usize,
    /// This arena's id and its resets so far: a mark is valid only for both.
    id: u64,
    resets: u64,
    /// Marks taken so far (a mark's `seq`), and the marks each rollback of this batch killed:
    /// `(after, upto)` for a rollback to mark `after` when `upto` marks had been taken, so that
    /// marks `after + 1 ..= upto` name messages that are gone.
    marks: u64,
    dead: Vec<(u64, u64)>,
}

// SAFETY: every raw pointer in `Arena` (`cur`, `Page::ptr`, `iov[..].iov_base`) points into
// memory owned by `self.bump`, which moves with the arena and is `Send`. Nothing is shared with
// another thread: all access goes through `&self` / `&mut self` of the arena, and `Arena` is not
// `Sync` because `Bump` is not.
unsafe impl Send for Arena {}

impl std::fmt::Debug for Arena {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Arena")
            .field("config", &self.config)
            .field("pages", &self.pages.len())
            .field("finished", &self.finished)
            .field("allocated", &self.bump.allocated_bytes())
            .finish()
    }
}

impl Arena {
    /// An empty arena; no page is allocated until the first byte is written.
    pub fn new(config: ArenaConfig) -> Result<Arena, ArenaError> {
        config.validate()?;
        Ok(Arena {
            bump: Bump::new(),
            config,
            pages: Vec::new(),
            iov: Vec::new(),
            cur: NonNull::dangling(),
            cur_cap: 0,
            cur_len: 0,
            open_start: 0,
            finished: 0,
            carved: 0,
            bump_size: 0,
            id: NEXT_ARENA_ID.fetch_add(1, Ordering::Relaxed),
            resets: 0,
            marks: 0,
            dead: Vec::new(),
        })
    }

    /// The page sizes in force.
    pub fn config(&self) -> ArenaConfig {
        self.config
    }

    /// Forgets every page but keeps the memory (and the page and iovec lists' capacity) for
    /// the next batch.
    ///
    /// When the bump had to grow during the batch, its chunks are replaced by one chunk that
    /// holds every page this batch carved plus one page: a batch of the same shape then
    /// allocates nothing, and the memory kept is the batch's pages plus one page. Otherwise the
    /// bump is rewound in place.
    pub fn reset(&mut self) {
        self.pages.clear();
        self.iov.clear();
        if self.bump.allocated_bytes() != self.bump_size {
            let want = self.carved.saturating_add(self.config.page_size);
            log::debug!("arena re-sized to one chunk of {want} bytes for the next batch");
            self.bump = Bump::with_capacity(want);
            self.bump_size = self.bump.allocated_bytes();
        } else {
            self.bump.reset();
        }
        self.carved = 0;
        self.resets += 1;
        self.dead.clear();
        self.cur = NonNull::dangling();
        self.cur_cap = 0;
        self.cur_len = 0;
        self.open_start = 0;
        self.finished = 0;
    }

    /// The position after the last finished message, to go back to with
    /// [`Arena::rollback`].
    ///
    /// # Panics
    ///
    /// When a message is open: a mark lies between finished messages.
    pub fn mark(&mut self) -> ArenaMark {
        assert_eq!(self.open_len(), 0, "mark taken with a message open");
        self.marks += 1;
        ArenaMark {
            arena: self.id,
            resets: self.resets,
            seq: self.marks,
            pages: self.pages.len(),
            last: self.pages.last().copied(),
            cur_cap: self.cur_cap,
            finished: self.finished,
            carved: self.carved,
        }
    }

    /// Removes every message finished after `mark`: the arena is as it was when the mark was
    /// taken. The memory of pages carved since stays in the bump, unused, until the next reset,
    /// which then sizes the arena by the pages kept.
    ///
    /// # Panics
    ///
    /// When a message is open, or `mark` is from another arena, from before the last reset, or
    /// was taken after the mark of an earlier rollback and before that rollback (what it marked
    /// is gone): a caller's bug. Rolling back to the same mark again, or to an older one after a
    /// newer one, is fine.
    pub fn rollback(&mut self, mark: ArenaMark) {
        assert_eq!(self.open_len(), 0, "rollback with a message open");
        assert!(
            mark.arena == self.id && mark.resets == self.resets && mark.pages <= self.pages.len(),
            "mark from another arena or an earlier batch"
        );
        assert!(
            !self
                .dead
                .iter()
                .any(|&(after, upto)| after < mark.seq && mark.seq <= upto),
            "mark of messages an earlier rollback removed"
        );
        self.dead.push((mark.seq, self.marks));
        self.carved = mark.carved;
        self.pages.truncate(mark.pages);
        match mark.last {
            // The page the mark was taken in is current again, with its length of then. The
            // whole record is restored: a page that was empty at the mark may have been
            // replaced by a larger one since (a message growing alone in its page).
            Some(last) => {
                *self.pages.last_mut().expect("the mark's pages are kept") = last;
                self.cur = last.ptr;
                self.cur_cap = mark.cur_cap;
                self.cur_len = last.len;
            }
            None => {
                self.cur = NonNull::dangling();
                self.cur_cap = 0;
                self.cur_len = 0;
            }
        }
        self.open_start = self.cur_len;
        self.finished = mark.finished;
    }

    /// Bytes of finished messages.
    #[inline]
    pub fn len(&self) -> usize {
        self.finished
    }

    /// True when no message has been finished.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.finished == 0
    }

    /// Pages holding at least one finished message: the iovec count of the batch.
    pub fn page_count(&self) -> usize {
        self.pages.iter().filter(|p| p.len > 0).count()
    }

    /// Bytes the bump holds from the global allocator, used or not.
    pub fn allocated_bytes(&self) -> usize {
        self.bump.allocated_bytes()
    }

    /// Length of the open region (the message being written).
    #[inline]
    pub fn open_len(&self) -> usize {
        self.cur_len - self.open_start
    }

    /// Makes room for `n` more bytes in the open region and returns a pointer to where they go.
    ///
    /// The caller must write all `n` bytes before reading the region back. `message` is the
    /// index the open region will have once finished, recorded when it moves to a new page.
    #[inline]
    pub fn reserve(&mut self, n: usize, message: u32) -> Result<*mut u8, ArenaError> {
        self.ensure_room(n, message)?;
        // SAFETY: `cur_len + n <= cur_cap`, made so by `ensure_room`, so the
        // offset stays inside the page, which is one allocation of `cur_cap` bytes (or the
        // dangling pointer with `n == 0` and `cur_cap == 0`).
        let ptr = unsafe { self.cur.as_ptr().add(self.cur_len) };
        self.cur_len += n;
        Ok(ptr)
    }

    /// Makes sure `n` bytes fit after the open region without moving it later: when they do
    /// not fit in the current page, the open region moves to a fresh page now. Used before a
    /// message whose size is known to be large, so that it starts on a page with room instead
    /// of being copied there when it outgrows the current one.
    #[inline]
    pub fn ensure_room(&mut self, n: usize, message: u32) -> Result<(), ArenaError> {
        if self.cur_cap - self.cur_len < n {
            self.move_open(n, message)?;
        }
        Ok(())
    }

    /// The open region as a writer sees it: a pointer to its first byte and the bytes it may
    /// hold before the current page is full (its length included).
    ///
    /// A writer that keeps its own length ([`crate::message::Message`] does, so that the hot
    /// path touches no field of the arena) writes below `ptr + room` and reports its length
    /// back with [`Arena::set_open_len`] before anything else reads or moves the region.
    #[inline]
    pub fn open_region(&mut self) -> (*mut u8, usize) {
        // SAFETY: `open_start <= cur_cap`: the offset stays inside (or one past) the page.
        let ptr = unsafe { self.cur.as_ptr().add(self.open_start) };
        (ptr, self.cur_cap - self.open_start)
    }

    /// Records that the open region holds `len` bytes, all written by the caller below the
    /// room given by [`Arena::open_region`].
    ///
    /// # Panics
    ///
    /// When `len` is beyond the room of the open region: a caller's bug.
    #[inline]
    pub fn set_open_len(&mut self, len: usize) {
        assert!(
            len <= self.cur_cap - self.open_start,
            "open region beyond its page"
        );
        self.cur_len = self.open_start + len;
    }

    /// Slow path of a writer that keeps its own length: the open region holds `len` bytes and
    /// needs `n` more. Moves it whole to a fresh page, as [`Arena::reserve`] does, and returns
    /// the new [`Arena::open_region`].
    #[cold]
    #[inline(never)]
    pub fn grow_open(
        &mut self,
        len: usize,
        n: usize,
        message: u32,
    ) -> Result<(*mut u8, usize), ArenaError> {
        self.set_open_len(len);
        self.ensure_room(n, message)?;
        Ok(self.open_region())
    }

    /// Slow path of [`Arena::reserve`]: a new page that holds the open region plus `n` bytes.
    #[cold]
    fn move_open(&mut self, n: usize, message: u32) -> Result<(), ArenaError> {
        let open = self.open_len();
        let need = open
            .checked_add(n)
            .ok_or(ArenaError::OutOfMemory(usize::MAX))?;
        let alone = self.open_start == 0 && !self.pages.is_empty();
        let index = if alone {
            self.pages.len() - 1
        } else {
            self.pages.len()
        };
        if index >= UIO_MAXIOV {
            return Err(ArenaError::TooManyPages);
        }
        let previous = self
            .pages
            .last()
            .map_or(self.config.page_size, |_| self.cur_cap);
        let mut cap = self.config.capacity(index, previous, need);
        if alone && cap < need.saturating_mul(2) {
            // A message growing alone in its page: double, so repeated growth stays linear.
            cap = need.saturating_mul(2).max(cap);
        }
        let cap = cap
            .checked_next_multiple_of(PAGE_ALIGN)
            .ok_or(ArenaError::OutOfMemory(cap))?;
        let layout =
            Layout::from_size_align(cap, PAGE_ALIGN).map_err(|_| ArenaError::OutOfMemory(cap))?;
        let ptr = self
            .bump
            .try_alloc_layout(layout)
            .map_err(|_| ArenaError::OutOfMemory(cap))?;
        if open > 0 {
            // SAFETY: the source is the open region of the current page (initialised bytes that
            // the caller wrote), the destination a fresh allocation of `cap >= open` bytes; the
            // two are distinct allocations of the bump, so they do not overlap.
            unsafe {
                let src = self.cur.as_ptr().add(self.open_start);
                std::ptr::copy_nonoverlapping(src, ptr.as_ptr(), open);
            }
        }
        if alone {
            self.pages.pop();
        } else if let Some(last) = self.pages.last_mut() {
            last.len = self.open_start;
        }
        self.carved += cap;
        self.pages.push(Page {
            ptr,
            len: 0,
            first_message: message,
        });
        if cap > self.config.page_size {
            log::debug!("page {index} grown to {cap} bytes (open message {open} + {n} bytes)");
        }
        self.cur = ptr;
        self.cur_cap = cap;
        self.cur_len = open;
        self.open_start = 0;
        Ok(())
    }

    /// Turns the open region into a finished message.
    ///
    /// Fails, leaving the region open, when the batch would exceed [`MAX_DATAGRAM`].
    #[inline]
    pub fn finish_open(&mut self) -> Result<(), ArenaError> {
        let open = self.open_len();
        let size = self.finished + open;
        if size > MAX_DATAGRAM {
            return Err(ArenaError::TooLarge { size });
        }
        self.finished = size;
        self.open_start = self.cur_len;
        if let Some(last) = self.pages.last_mut() {
            last.len = self.cur_len;
        }
        Ok(())
    }

    /// The pages as iovecs for `sendmsg(2)`, in order, skipping empty pages.
    ///
    /// Built into a list kept across batches: no allocation once warm. The open region (a
    /// message not finished) is not included.
    pub fn iovecs(&mut self) -> &[libc::iovec] {
        self.iov.clear();
        for page in self.pages.iter().filter(|p| p.len > 0) {
            self.iov.push(libc::iovec {
                iov_base: page.ptr.as_ptr().cast(),
                iov_len: page.len,
            });
        }
        &self.iov
    }

    /// The finished bytes of page `index`.
    pub fn page(&self, index: usize) -> Option<&[u8]> {
        let page = self.pages.get(index)?;
        if page.len == 0 {
            return Some(&[]);
        }
        // SAFETY: `page.len` bytes from `page.ptr` were written and finished; they stay valid
        // and unchanged while `&self` is borrowed (writes need `&mut self`).
        Some(unsafe { std::slice::from_raw_parts(page.ptr.as_ptr(), page.len) })
    }

    /// Number of pages, including an empty last one.
    pub(crate) fn pages_len(&self) -> usize {
        self.pages.len()
    }

    /// The page holding message `index`, and the index of that page's first message.
    pub(crate) fn page_of_message(&self, index: u32) -> Option<(usize, u32)> {
        let after = self.pages.partition_point(|p| p.first_message <= index);
        let page = after.checked_sub(1)?;
        Some((page, self.pages[page].first_message))
    }
}

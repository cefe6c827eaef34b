//! nlbatch: very large atomic netlink batches, encoded into the pages of a reusable bump arena
//! and sent to the kernel as one datagram.
//!
//! The layers, bottom up:
//!
//! - [`arena`]: fixed-size pages carved from a `bumpalo::Bump`, reused between batches;
//! - [`message`]: netlink messages and attributes written straight into those pages;
//! - [`decode`]: zero-copy, bounds-checked iterators over messages and attributes;
//! - [`socket`] and [`reply`]: one `sendmsg(2)` per batch, replies drained and every kernel
//!   error attributed to its message and attribute;
//! - [`nft`]: the nftables vocabulary (tables, chains, sets, elements, rules, transactions);
//! - [`addr`] and [`blocklist`]: addresses, ranges and merging, and the reader of real
//!   blocklists;
//! - [`load`]: the main job, loading blocklists atomically, as the tool does it;
//! - [`netns`]: network namespaces, so nothing touches the host's firewall unless asked;
//! - [`bench`](mod@bench): whole transactions measured against the kernel and against other
//!   ways to send them, as `nlbatch bench` runs them.
#![deny(missing_docs)]
#![forbid(unsafe_op_in_unsafe_fn)]

pub mod addr;
pub mod arena;
pub mod bench;
pub mod blocklist;
pub mod decode;
pub mod load;
pub mod message;
pub mod netns;
pub mod nft;
pub mod reply;
pub mod socket;

/// The README's library example, compiled as a doctest so that it cannot go stale.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;

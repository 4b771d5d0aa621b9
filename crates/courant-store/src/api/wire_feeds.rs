//! The feeds the wire desk polls. The SQL is in `src/wire_feeds.rs`.

use crate::types::{NewWireFeed, WireFeed, WirePoll};
use crate::{Backend, Store, StoreError};
use time::OffsetDateTime;

impl Store {
    /// Adds a feed (an http(s) address not yet polled, a source, every 1 minute to 24 hours),
    /// polled first right away; returns its id.
    pub async fn add_wire_feed(&self, new: &NewWireFeed, at: OffsetDateTime) -> Result<i64, StoreError> {
        on_backend!(self, b => b.add_wire_feed(new, at).await)
    }

    /// Every feed, by address, with how many items it gave since `since`.
    pub async fn wire_feeds(&self, since: OffsetDateTime) -> Result<Vec<(WireFeed, i64)>, StoreError> {
        on_backend!(self, b => b.wire_feeds(since).await)
    }

    /// Pauses a feed, or resumes it (polled at once).
    pub async fn pause_wire_feed(&self, id: i64, paused: bool, at: OffsetDateTime) -> Result<(), StoreError> {
        on_backend!(self, b => b.pause_wire_feed(id, paused, at).await)
    }

    /// Removes a feed; the items it gave stay.
    pub async fn delete_wire_feed(&self, id: i64) -> Result<(), StoreError> {
        on_backend!(self, b => b.delete_wire_feed(id).await)
    }

    /// Claims, until `until`, at most `limit` feeds due at `now` that no node holds: each feed
    /// is polled by one node at a time.
    pub async fn claim_wire_feeds(
        &self,
        now: OffsetDateTime,
        until: OffsetDateTime,
        limit: i64,
    ) -> Result<Vec<WireFeed>, StoreError> {
        on_backend!(self, b => b.claim_wire_feeds(now, until, limit).await)
    }

    /// Keeps what a poll of a feed found and when to poll it next; releases its claim.
    pub async fn record_wire_poll(&self, id: i64, poll: &WirePoll, at: OffsetDateTime) -> Result<(), StoreError> {
        on_backend!(self, b => b.record_wire_poll(id, poll, at).await)
    }
}

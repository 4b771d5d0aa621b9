//! Webhook deliveries and the change events they come from. The SQL is in `src/webhooks.rs`.

use crate::types::*;
use crate::{Backend, Store, StoreError};
use time::OffsetDateTime;

impl Store {
    /// Logged changes after change number `after`, with their kinds, in order, at most
    /// `limit`.
    pub async fn events_since(&self, after: i64, limit: i64) -> Result<Vec<ChangeEvent>, StoreError> {
        on_backend!(self, b => b.events_since(after, limit).await)
    }

    /// A named counter (0 when never set).
    pub async fn cursor(&self, name: &str) -> Result<i64, StoreError> {
        on_backend!(self, b => b.cursor(name).await)
    }

    /// Queues deliveries (url, event, article, payload) for a change and moves the named cursor
    /// past it, in one transaction: a change is queued exactly once, even across restarts.
    pub async fn queue_deliveries(
        &self,
        cursor: &str,
        change_seq: i64,
        deliveries: &[NewDelivery],
        now: OffsetDateTime,
    ) -> Result<(), StoreError> {
        on_backend!(self, b => b.queue_deliveries(cursor, change_seq, deliveries, now).await)
    }

    /// How many deliveries wait to be sent (due or retrying later).
    pub async fn pending_deliveries(&self) -> Result<i64, StoreError> {
        on_backend!(self, b => b.pending_deliveries().await)
    }

    /// Claims the pending deliveries whose next attempt is due at `now`, oldest first, at most
    /// `limit`: they are not due again for a minute, so that of several nodes only the claiming
    /// one sends them (and another takes over after that if the claiming one stopped).
    pub async fn due_deliveries(&self, now: OffsetDateTime, limit: i64) -> Result<Vec<Delivery>, StoreError> {
        on_backend!(self, b => b.due_deliveries(now, limit).await)
    }

    /// Records an attempt at delivery `id`: delivered, retried at `retry_at`, or given up when
    /// `retry_at` is None.
    pub async fn record_attempt(
        &self,
        id: i64,
        outcome: Result<(), String>,
        retry_at: Option<OffsetDateTime>,
        now: OffsetDateTime,
    ) -> Result<(), StoreError> {
        on_backend!(self, b => b.record_attempt(id, outcome, retry_at, now).await)
    }

    /// The latest deliveries, newest first, at most `limit`: the delivery log.
    pub async fn deliveries(&self, limit: i64) -> Result<Vec<Delivery>, StoreError> {
        on_backend!(self, b => b.deliveries(limit).await)
    }
}

//! The wire desk's items. The SQL is in `src/wire.rs`.

use crate::types::{StoredWireItem, WireFilter, WireOutcome};
use crate::{Backend, Store, StoreError};
use courant_core::{ArticleId, ArticleSummary, WireItem};
use time::OffsetDateTime;

impl Store {
    /// Stores the items of one file or one answer of a feed, received `at`, in one transaction:
    /// all or none. An item is known by its source and guid: a higher version, or the same
    /// version made later, replaces it in place; the same version again is left as it was.
    /// Says for each item its row and what was done, in order.
    pub async fn ingest_wire_items(
        &self,
        items: &[WireItem],
        format: &str,
        at: OffsetDateTime,
    ) -> Result<Vec<(i64, WireOutcome)>, StoreError> {
        on_backend!(self, b => b.ingest_wire_items(items, format, at, None).await)
    }

    /// [`Store::ingest_wire_items`] for an answer of feed `feed` (its items count as the
    /// feed's).
    pub async fn ingest_feed_items(
        &self,
        items: &[WireItem],
        format: &str,
        at: OffsetDateTime,
        feed: i64,
    ) -> Result<Vec<(i64, WireOutcome)>, StoreError> {
        on_backend!(self, b => b.ingest_wire_items(items, format, at, Some(feed)).await)
    }

    /// The newest items first (by their last version) that `filter` lets through, at most
    /// `limit`, after the item `before` of the previous page when given.
    pub async fn wire_items(
        &self,
        filter: &WireFilter,
        limit: i64,
        before: Option<i64>,
    ) -> Result<Vec<StoredWireItem>, StoreError> {
        on_backend!(self, b => b.wire_items(filter, limit, before).await)
    }

    /// Every source items came from, by name.
    pub async fn wire_sources(&self) -> Result<Vec<String>, StoreError> {
        on_backend!(self, b => b.wire_sources().await)
    }

    /// The stories written from an item, newest first.
    pub async fn stories_from_wire(&self, item: i64) -> Result<Vec<ArticleSummary>, StoreError> {
        on_backend!(self, b => b.stories_from_wire(item).await)
    }

    /// The items a story was written from (its provenance).
    pub async fn wire_items_of(&self, article: ArticleId) -> Result<Vec<StoredWireItem>, StoreError> {
        on_backend!(self, b => b.wire_items_of(article).await)
    }

    /// Deletes the items last changed before `before` that no story was written from (wire
    /// copy is kept for a while under its licence); says how many.
    pub async fn delete_wire_items_before(&self, before: OffsetDateTime) -> Result<u64, StoreError> {
        on_backend!(self, b => b.delete_wire_items_before(before).await)
    }

    /// One item.
    pub async fn wire_item(&self, id: i64) -> Result<Option<StoredWireItem>, StoreError> {
        on_backend!(self, b => b.wire_item(id).await)
    }
}

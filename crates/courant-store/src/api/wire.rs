//! The wire desk's items. The SQL is in `src/wire.rs`.

use crate::types::{StoredWireItem, WireOutcome};
use crate::{Backend, Store, StoreError};
use courant_core::WireItem;
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
        on_backend!(self, b => b.ingest_wire_items(items, format, at).await)
    }

    /// The newest items first (by their last version), at most `limit`, after the item `before`
    /// of the previous page when given.
    pub async fn wire_items(&self, limit: i64, before: Option<i64>) -> Result<Vec<StoredWireItem>, StoreError> {
        on_backend!(self, b => b.wire_items(limit, before).await)
    }

    /// One item.
    pub async fn wire_item(&self, id: i64) -> Result<Option<StoredWireItem>, StoreError> {
        on_backend!(self, b => b.wire_item(id).await)
    }
}

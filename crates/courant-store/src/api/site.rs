//! The store as a whole: what it holds, whether it answers, and the site's settings. The SQL is
//! in `src/site.rs`.

use crate::{Backend, Counts, Store, StoreError};
use time::OffsetDateTime;

impl Store {
    /// How much the store holds: articles by status, and sections, authors, tags, sources and
    /// images.
    pub async fn counts(&self) -> Result<Counts, StoreError> {
        on_backend!(self, b => b.counts().await)
    }

    /// True when the store holds no section and no article: a new publication.
    pub async fn is_empty(&self) -> Result<bool, StoreError> {
        on_backend!(self, b => b.is_empty().await)
    }

    /// Succeeds when the database can be read.
    pub async fn ping(&self) -> Result<(), StoreError> {
        on_backend!(self, b => b.ping().await)
    }

    /// A stored setting (a JSON document), if an admin ever saved it.
    pub async fn setting(&self, key: &str) -> Result<Option<String>, StoreError> {
        on_backend!(self, b => b.setting(key).await)
    }

    /// Stores a setting, logged in the audit log as changed by `by`; every page counts as
    /// changed.
    pub async fn set_setting(
        &self,
        key: &str,
        value: &str,
        by: courant_core::UserId,
        at: OffsetDateTime,
    ) -> Result<(), StoreError> {
        on_backend!(self, b => b.set_setting(key, value, by, at).await)
    }
}

//! The publication's own pages. The SQL is in `src/pages.rs`.

use crate::types::{PageDraft, SitePage};
use crate::{Backend, Store, StoreError};
use courant_core::UserId;
use time::OffsetDateTime;

impl Store {
    /// Every page, in the footer's order.
    pub async fn site_pages(&self) -> Result<Vec<SitePage>, StoreError> {
        on_backend!(self, b => b.site_pages().await)
    }

    /// The page at `/{slug}`, if there is one.
    pub async fn site_page(&self, slug: &str) -> Result<Option<SitePage>, StoreError> {
        on_backend!(self, b => b.site_page(slug).await)
    }

    /// Saves a page (a new one without `id`), logged as done by `by`; says its id. A slug a
    /// section, another page or the site itself has is refused (`Invalid` naming `slug`).
    pub async fn save_site_page(
        &self,
        id: Option<i64>,
        draft: &PageDraft,
        by: Option<UserId>,
        at: OffsetDateTime,
    ) -> Result<i64, StoreError> {
        on_backend!(self, b => b.save_site_page(id, draft, by, at).await)
    }

    /// Deletes a page (`NotFound` if there is none).
    pub async fn delete_site_page(&self, id: i64, by: Option<UserId>, at: OffsetDateTime) -> Result<(), StoreError> {
        on_backend!(self, b => b.delete_site_page(id, by, at).await)
    }
}

//! Related stories found by the search index, kept for every published story so that its page
//! reads them instead of searching. The SQL is in `src/related.rs`.

use crate::{Backend, Store, StoreError};
use courant_core::ArticleId;
use time::OffsetDateTime;

impl Store {
    /// Enlists every published story whose related stories were never looked for; returns how
    /// many.
    pub async fn enlist_related_searches(&self) -> Result<u64, StoreError> {
        on_backend!(self, b => b.enlist_related_searches().await)
    }

    /// Marks these stories' related stories as to be found again (they changed), enlisting
    /// those never looked for, and voids any claim on them: a search begun before the change
    /// is not saved. Their stories found so far are shown meanwhile.
    pub async fn research_related(&self, ids: &[ArticleId]) -> Result<(), StoreError> {
        on_backend!(self, b => b.research_related(ids).await)
    }

    /// Claims, until `until`, at most `limit` published stories whose related stories are to
    /// be found: first those never found (newest first), then those found before
    /// `stale_before` (longest ago first). Stories another node has claimed until after `now`
    /// are left to it.
    pub async fn claim_related_searches(
        &self,
        now: OffsetDateTime,
        until: OffsetDateTime,
        stale_before: OffsetDateTime,
        limit: i64,
    ) -> Result<Vec<ArticleId>, StoreError> {
        on_backend!(self, b => b.claim_related_searches(now, until, stale_before, limit).await)
    }

    /// Saves a story's related stories, best first, found under the claim that lasts until
    /// `claimed_until`. Returns false, saving nothing, when the claim was voided meanwhile
    /// (the story changed: they are to be found again).
    pub async fn save_found_related(
        &self,
        id: ArticleId,
        related: &[ArticleId],
        claimed_until: OffsetDateTime,
        now: OffsetDateTime,
    ) -> Result<bool, StoreError> {
        on_backend!(self, b => b.save_found_related(id, related, claimed_until, now).await)
    }

    /// A story's related stories as last found, best first; `None` when they were never found.
    pub async fn found_related(&self, id: ArticleId) -> Result<Option<Vec<ArticleId>>, StoreError> {
        on_backend!(self, b => b.found_related(id).await)
    }
}

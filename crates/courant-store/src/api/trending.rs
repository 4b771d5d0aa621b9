//! View counts per article and minute, for "Others are reading now". The SQL is in
//! `src/trending.rs`.

use crate::types::*;
use crate::{Backend, Store, StoreError};
use courant_core::*;

impl Store {
    /// Adds view counts: (article, minute since the Unix epoch, views). Counts for the same
    /// article and minute add up, whichever node sends them.
    pub async fn add_views(&self, views: &[MinuteViews]) -> Result<(), StoreError> {
        on_backend!(self, b => b.add_views(views).await)
    }

    /// View counts of published articles from `since_minute` on: (article, minute, views).
    pub async fn views_since(&self, since_minute: i64) -> Result<Vec<MinuteViews>, StoreError> {
        on_backend!(self, b => b.views_since(since_minute).await)
    }

    /// Forgets view counts older than `before_minute`; returns how many (article, minute) counts
    /// it forgot.
    pub async fn prune_views(&self, before_minute: i64) -> Result<u64, StoreError> {
        on_backend!(self, b => b.prune_views(before_minute).await)
    }

    /// The status of an article and the id of its top-level section, if the article exists (one
    /// cheap query, for beacons).
    pub async fn article_status(&self, id: ArticleId) -> Result<Option<ArticlePlace>, StoreError> {
        on_backend!(self, b => b.article_status(id).await)
    }
}

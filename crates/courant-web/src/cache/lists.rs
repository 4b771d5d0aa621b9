//! Lists that most pages show, read from the store once per change of the store instead of once
//! per page: the sections (every page's menu), the latest stories (an article's side rail) and
//! the summaries of the most read (its "Others are reading now"). A crawl of the archive renders
//! page after page the cache does not hold, and each would read the same lists again.
//!
//! The change follower moves the generation on before it purges the pages a change touches
//! ([`PageCache::sync`](super::PageCache::sync)): a page rendered from a list of the generation
//! before is purged or not kept, as a page rendered from the store before the change would be.

use courant_core::{ArticleId, ArticleSummary, Section};
use courant_store::{ArticleFilter, Store, StoreError};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

/// How many lists of summaries are kept (one per section's "most read" and the site's).
const SUMMARY_LISTS: usize = 64;

/// The lists, each with the generation it was read in.
#[derive(Default)]
pub struct SharedLists {
    generation: AtomicU64,
    sections: Mutex<Option<(u64, Arc<Vec<Section>>)>>,
    latest: Mutex<Option<(u64, i64, Arc<Vec<ArticleSummary>>)>>,
    summaries: Mutex<(u64, HashMap<Vec<ArticleId>, Arc<Vec<ArticleSummary>>>)>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl SharedLists {
    /// The store changed: every list is read again on its next use.
    pub(super) fn changed(&self) {
        self.generation.fetch_add(1, Ordering::AcqRel);
    }

    /// All sections, as [`Store::sections`].
    pub async fn sections(&self, store: &Store) -> Result<Arc<Vec<Section>>, StoreError> {
        let generation = self.generation.load(Ordering::Acquire);
        if let Some((read_in, list)) = lock(&self.sections).as_ref()
            && *read_in == generation
        {
            return Ok(list.clone());
        }
        let list = Arc::new(store.sections().await?);
        *lock(&self.sections) = Some((generation, list.clone()));
        Ok(list)
    }

    /// The `n` latest published stories, as [`Store::latest`] over the whole site.
    pub async fn latest(&self, store: &Store, n: i64) -> Result<Arc<Vec<ArticleSummary>>, StoreError> {
        let generation = self.generation.load(Ordering::Acquire);
        if let Some((read_in, of, list)) = lock(&self.latest).as_ref()
            && (*read_in, *of) == (generation, n)
        {
            return Ok(list.clone());
        }
        let list = Arc::new(store.latest(&ArticleFilter::All, n, 0).await?);
        *lock(&self.latest) = Some((generation, n, list.clone()));
        Ok(list)
    }

    /// The summaries of the published stories among `ids`, in their order, as
    /// [`Store::published_summaries`].
    pub async fn summaries(&self, store: &Store, ids: &[ArticleId]) -> Result<Arc<Vec<ArticleSummary>>, StoreError> {
        let generation = self.generation.load(Ordering::Acquire);
        {
            let kept = lock(&self.summaries);
            if kept.0 == generation
                && let Some(list) = kept.1.get(ids)
            {
                return Ok(list.clone());
            }
        }
        let list = Arc::new(store.published_summaries(ids).await?);
        let mut kept = lock(&self.summaries);
        if kept.0 != generation || kept.1.len() >= SUMMARY_LISTS {
            *kept = (generation, HashMap::new());
        }
        kept.1.insert(ids.to_vec(), list.clone());
        Ok(list)
    }
}

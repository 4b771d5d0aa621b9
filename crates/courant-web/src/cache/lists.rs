//! Lists that many pages show, read from the store once per change of the store instead of once
//! per page: the sections (every page's menu), the latest stories (an article's side rail), the
//! summaries of the most read (its "Others are reading now"), and the stories of each section,
//! tag, author and source whose pages are asked for. A crawl of the archive renders page after page
//! the cache does not hold, and each would read the same lists again.
//!
//! The change follower moves the generation on before it purges the pages a change touches
//! ([`PageCache::sync`](super::PageCache::sync)): a page rendered from a list of the generation
//! before is purged or not kept, as a page rendered from the store before the change would be.

use courant_core::{ArticleId, ArticleSummary, AuthorId, Section, SectionId, SourceId, TagId};
use courant_store::{ArticleFilter, Page, Store, StoreError};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

/// How many lists of summaries are kept (one per section's "most read" and the site's).
const SUMMARY_LISTS: usize = 64;

/// How many ids the listings of sections, tags, authors and sources keep in all (8 MB). Past it, other
/// listings are let go, one by one, until the newest fits; one larger than this is kept alone.
const LISTED_IDS: usize = 1 << 20;

/// The lists, each with the generation it was read in.
#[derive(Default)]
pub struct SharedLists {
    generation: AtomicU64,
    sections: Mutex<Option<(u64, Arc<Vec<Section>>)>>,
    latest: Mutex<Option<(u64, i64, Arc<Vec<ArticleSummary>>)>>,
    summaries: Mutex<(u64, HashMap<Vec<ArticleId>, Arc<Vec<ArticleSummary>>>)>,
    listings: Mutex<(u64, HashMap<Listing, ListedIds>)>,
}

/// A listing's ids, read once however many pages of it are asked for at the same time.
type ListedIds = Arc<tokio::sync::OnceCell<Arc<Vec<ArticleId>>>>;

/// A listing kept whole (see [`SharedLists::published`]).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum Listing {
    /// A section with the sections below it (the filter's first is the section itself).
    Section(SectionId),
    Tag(TagId),
    Author(AuthorId),
    Source(SourceId),
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

    /// A page of published stories, as [`Store::published`]. A section's (with the sections
    /// below it), a tag's, an author's or a source's stories are listed whole once per change
    /// of the store, and their pages cut from that list: in SQL a deep page of a tag of 6,000
    /// stories among 100,000 took 150 ms of CPU, walking every published story to skip to it,
    /// and a section's page 4.8 ms (counting its stories, and sorting those of its subsections
    /// together). The front page's latest and other filters page in SQL.
    pub async fn published(
        &self,
        store: &Store,
        filter: &ArticleFilter,
        limit: i64,
        offset: i64,
    ) -> Result<Page<ArticleSummary>, StoreError> {
        let listing = match filter {
            ArticleFilter::Tag(id) => Listing::Tag(*id),
            ArticleFilter::Author(id) => Listing::Author(*id),
            ArticleFilter::Source(id) => Listing::Source(*id),
            ArticleFilter::Sections(ids) if !ids.is_empty() => Listing::Section(ids[0]),
            _ => return store.published(filter, limit, offset).await,
        };
        let generation = self.generation.load(Ordering::Acquire);
        let cell = {
            let mut kept = lock(&self.listings);
            // A request that began before a change another has seen uses the newer lists.
            if kept.0 < generation {
                *kept = (generation, HashMap::new());
            }
            kept.1.entry(listing).or_default().clone()
        };
        // The first to ask reads it; the others wait for that read (a crawler asks for many
        // pages of one tag at once). A failed read leaves the cell empty for the next.
        let ids = cell
            .get_or_try_init(|| async {
                let ids = Arc::new(store.published_ids(filter).await?);
                self.make_room(listing, ids.len());
                Ok::<_, StoreError>(ids)
            })
            .await?
            .clone();
        let total = ids.len() as i64;
        let from = usize::try_from(offset.max(0)).unwrap_or(usize::MAX).min(ids.len());
        let to = from.saturating_add(usize::try_from(limit.max(0)).unwrap_or(0)).min(ids.len());
        let items = store.published_summaries(&ids[from..to]).await?;
        Ok(Page { items, total })
    }

    /// Lets listings other than `listing` go until `adding` more ids fit in [`LISTED_IDS`].
    fn make_room(&self, listing: Listing, adding: usize) {
        let mut kept = lock(&self.listings);
        let mut held: usize = kept.1.values().filter_map(|cell| cell.get()).map(|ids| ids.len()).sum();
        while held + adding > LISTED_IDS {
            let Some((other, len)) = kept
                .1
                .iter()
                .find_map(|(key, cell)| Some((*key, cell.get()?.len())).filter(|(key, _)| *key != listing))
            else {
                break;
            };
            kept.1.remove(&other);
            held -= len;
        }
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

//! The page cache: public responses kept as finished bytes (as rendered, and gzip and brotli
//! once a page is read again), served from memory with a strong ETag, `304 Not Modified`, and
//! headers a CDN can follow. Misses of one key render once however many requests wait (single
//! flight); the cache holds at most a byte budget and evicts pages read once before pages read
//! again (see [`evict`]).
//!
//! Entries carry tags naming what they show (`a:42` for an article, `latest` for the latest
//! stories); [`follow_changes`] reads the store's change log and drops exactly the entries a
//! change touches. Pages showing "Others are reading now" carry the trending epoch they were
//! rendered in; once it has moved on they are served while a fresh copy renders behind them.
//!
//! The files:
//! - `pages.rs`: the page cache proper: [`PageCache`] (stored pages, the byte budget, purges,
//!   single flight), the keys, and [`serve`], the middleware that answers hits before routing.
//! - `encoding.rs`: a page's stored encodings: content negotiation (`Accept-Encoding`), the
//!   gzip and brotli copies of a body read again with their ETags, and answers with
//!   `304 Not Modified` per encoding.
//! - `files.rs`: [`FileCache`], pictures and their scaled copies in memory.
//! - `lists.rs`: [`SharedLists`], the lists many pages show (sections, latest, most read, and
//!   the stories of each tag, author and source asked for), read once per change of the store.
//! - `follow.rs`: the change follower: [`follow_changes`] and the [`PageCache`] methods that
//!   read the store's change log and purge what it touches.
//!
//! Here: the settings, the tags handlers give pages ([`PageTags`], [`LATEST`], [`ANY`]), and
//! the eviction both caches share. Dependencies point one way: `follow` -> `pages` ->
//! `encoding`; `files` uses only this file.

mod encoding;
mod files;
mod follow;
mod lists;
mod pages;

pub(crate) use encoding::body_hash;
pub use files::FileCache;
pub use follow::follow_changes;
pub use lists::SharedLists;
pub(crate) use pages::serve;
pub use pages::{CacheStats, PageCache, RateChecked};

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};

/// The cache's settings (`[cache]` in `courant.toml`).
#[derive(Debug, Clone, PartialEq, serde::Deserialize, serde::Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct CacheSettings {
    /// Serve public pages from memory. Off, every request renders.
    pub enabled: bool,
    /// The most memory cached pages may take, in megabytes (every byte of them counted).
    pub budget_mb: usize,
    /// How long a page's "Others are reading now" stays current, in seconds.
    pub trending_seconds: u64,
    /// What CDNs may keep a page for without asking (`s-maxage`), in seconds.
    pub cdn_seconds: u64,
    /// The most memory pictures and their scaled copies may take, in megabytes (0: read from
    /// disk on each request).
    pub media_mb: usize,
}

impl Default for CacheSettings {
    fn default() -> Self {
        CacheSettings { enabled: true, budget_mb: 256, trending_seconds: 30, cdn_seconds: 300, media_mb: 64 }
    }
}

/// What a response shows, for exact invalidation: set by handlers as a response extension.
/// Pages without it are dropped on every change (see [`ANY`]).
#[derive(Clone, Debug, Default)]
pub struct PageTags {
    pub tags: Vec<String>,
    /// The page shows "Others are reading now" and follows the trending epoch.
    pub trending: bool,
    /// For a page of a listing (a section, tag, author or source): the listing's tags. When a
    /// story it shows changes, every page of the listing goes (the pages after it shift too).
    pub listing: Vec<String>,
    /// The page reads `?page=`: each page number is a page of its own.
    pub paged: bool,
    /// The page stands in for a complete one (a part of it was not ready): it is served, and
    /// rendered again on the next request.
    pub provisional: bool,
}

impl PageTags {
    /// The tag of an article: pages showing it carry it.
    pub fn article(id: i64) -> String {
        format!("a:{id}")
    }

    /// The tags of a listing of stories: `s:` per section, `t:`, `u:` (author), `src:`, or
    /// [`LATEST`] for all stories.
    pub fn listing(filter: &courant_store::ArticleFilter) -> Vec<String> {
        use courant_store::ArticleFilter::*;
        match filter {
            All => vec![LATEST.to_string()],
            Sections(ids) => ids.iter().map(|id| format!("s:{id}")).collect(),
            Tag(id) => vec![format!("t:{id}")],
            Author(id) => vec![format!("u:{id}")],
            Source(id) => vec![format!("src:{id}")],
            PublishedBetween { .. } => vec![ANY.to_string()],
        }
    }

    /// A listing page showing `stories` (ids).
    pub fn of_listing(filter: &courant_store::ArticleFilter, stories: impl IntoIterator<Item = i64>) -> PageTags {
        let listing = PageTags::listing(filter);
        let mut tags: Vec<String> = stories.into_iter().map(PageTags::article).collect();
        tags.extend(listing.iter().cloned());
        PageTags { tags, trending: false, listing, paged: true, provisional: false }
    }

    /// Every tag of the page, sorted (the listing's own too; [`ANY`] when it names none), and
    /// the listing's tags.
    fn flatten(self) -> (Vec<String>, Vec<String>) {
        let cascade = self.listing;
        let mut all = self.tags;
        all.extend(cascade.iter().cloned());
        if all.is_empty() {
            all.push(ANY.to_string());
        }
        all.sort_unstable();
        all.dedup();
        (all, cascade)
    }

    /// The listings a story belongs to (its sections with their parents, tags, authors and
    /// sources): pages of these must go when it changes, wherever it now appears.
    pub fn memberships(article: &courant_core::Article) -> Vec<String> {
        let mut tags: Vec<String> = article.section_path.iter().map(|s| format!("s:{}", s.id)).collect();
        tags.extend(article.tags.iter().map(|t| format!("t:{}", t.id)));
        tags.extend(article.authors.iter().map(|a| format!("u:{}", a.id)));
        tags.extend(article.sources.iter().map(|s| format!("src:{}", s.id)));
        tags
    }
}

/// Pages that show the latest stories: dropped when a story is published or withdrawn.
pub const LATEST: &str = "latest";
/// Pages that name no tags: dropped on every change.
pub const ANY: &str = "any";

/// Over `budget` bytes, drops entries down to 90% of it, in one pass: first those read once
/// (least recently kept first), then those read again (least recently read first). Of the
/// entries read again, the most recently read, up to 80% of the budget, count as such; the
/// rest as read once. So a crawl, reading many pages once each, evicts its own pages and not
/// the front page and the stories readers come back to; and a page readers have stopped
/// reading still goes in time. `age` gives an entry's last read, its size and whether it
/// was read again.
fn evict<V>(
    map: &mut HashMap<String, V>,
    bytes: &AtomicUsize,
    budget: usize,
    age: impl Fn(&V) -> (u64, usize, bool),
) -> usize {
    if bytes.load(Ordering::Relaxed) <= budget {
        return 0;
    }
    let mut by_age: Vec<(u64, String, usize, bool)> = map
        .iter()
        .map(|(k, v)| {
            let (used, size, reused) = age(v);
            (used, k.clone(), size, reused)
        })
        .collect();
    // Newest first, to find which pages read again stay protected.
    by_age.sort_unstable_by_key(|(used, ..)| std::cmp::Reverse(*used));
    let protected_budget = budget / 5 * 4;
    let mut protected_bytes = 0;
    for (_, _, size, reused) in by_age.iter_mut() {
        if *reused && protected_bytes + *size <= protected_budget {
            protected_bytes += *size;
        } else {
            *reused = false;
        }
    }
    by_age.sort_by_key(|(used, _, _, protected)| (*protected, *used));
    let target = budget / 10 * 9;
    let mut evicted = 0;
    for (_, k, size, _) in by_age {
        if bytes.load(Ordering::Relaxed) <= target {
            break;
        }
        if map.remove(&k).is_some() {
            bytes.fetch_sub(size, Ordering::Relaxed);
            evicted += 1;
        }
    }
    evicted
}

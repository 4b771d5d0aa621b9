//! Keeps the search index in step with the store: a full rebuild when the index is new, then a
//! follower that applies the store's change log every fraction of a second, so an article
//! published, corrected or withdrawn is found (or gone) within a second, whichever process
//! wrote it. Each story changed is also enlisted to have its related stories found again (see
//! [`crate::related`]).

use courant_core::{ArticleId, Status};
use courant_search::{IndexedArticle, SearchError, SearchIndex};
use courant_store::{ArticleText, Store, StoreError};
use std::time::Duration;

/// How often the follower looks for changes.
const FOLLOW_EVERY: Duration = Duration::from_millis(200);
/// Articles loaded per query while rebuilding.
const REBUILD_BATCH: i64 = 500;

/// What can go wrong while indexing.
#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Search(#[from] SearchError),
}

/// The index's view of an article's text.
pub fn indexed(t: &ArticleText) -> IndexedArticle {
    IndexedArticle {
        id: t.id,
        headline: t.headline.clone(),
        standfirst: t.standfirst.clone(),
        body: courant_render::markdown::plain_text(&t.body),
        tags: t.tags.iter().map(|x| x.1.clone()).collect(),
        tag_slugs: t.tags.iter().map(|x| x.0.clone()).collect(),
        author_names: t.authors.iter().map(|x| x.1.clone()).collect(),
        author_slugs: t.authors.iter().map(|x| x.0.clone()).collect(),
        section_ids: t.section_ids.iter().map(|s| s.0).collect(),
        source_slugs: t.sources.iter().map(|x| x.0.clone()).collect(),
        published_at: t.published_at,
    }
}

/// Indexes every published article anew (after clearing the index), calling
/// `progress(done, total)` as it goes. Returns how many were indexed.
pub async fn rebuild(
    store: &Store,
    index: &SearchIndex,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<usize, IndexError> {
    let change = store.last_change().await?;
    let total = store.count_published(&courant_store::ArticleFilter::All).await?.max(0) as usize;
    index.clear()?;
    let mut after = ArticleId(0);
    let mut done = 0;
    loop {
        let batch = store.texts_for_index(after, REBUILD_BATCH).await?;
        let Some(last) = batch.last() else { break };
        after = last.id;
        for t in &batch {
            index.upsert(&indexed(t))?;
        }
        done += batch.len();
        progress(done, total);
    }
    index.commit(change)?;
    Ok(done)
}

/// Applies the changes logged since the index's last commit; returns how many articles changed.
pub async fn apply_changes(store: &Store, index: &SearchIndex) -> Result<usize, IndexError> {
    let mut applied = index.applied_change();
    let mut count = 0;
    loop {
        let changes = store.changes_since(applied, 1000).await?;
        let Some(last) = changes.last().map(|c| c.seq) else { break };
        let mut ids: Vec<ArticleId> = changes.iter().map(|c| c.article).collect();
        ids.sort_unstable();
        ids.dedup();
        for id in &ids {
            match store.article(*id).await? {
                Some(a) if a.status == Status::Published => index.upsert(&indexed(&ArticleText::of(&a)))?,
                _ => index.remove(*id),
            }
        }
        index.commit(last)?;
        // What a story is about may have changed, and a story just published has none yet.
        store.research_related(&ids).await?;
        applied = last;
        count += ids.len();
    }
    Ok(count)
}

/// Follows the store's changes for as long as the task runs: at once when PostgreSQL tells of
/// another node's write, else every [`FOLLOW_EVERY`].
pub async fn follow(store: Store, index: std::sync::Arc<SearchIndex>) {
    let mut listener = None;
    loop {
        match apply_changes(&store, &index).await {
            Ok(0) => {}
            Ok(n) => tracing::debug!(articles = n, "search index updated"),
            Err(e) => tracing::warn!(error = %e, "search index could not follow the store; retrying"),
        }
        store.wait_for_writes(&mut listener, FOLLOW_EVERY).await;
    }
}

//! Finds every published story's related stories behind the site and keeps them in the store,
//! so that a page reads them (one query) instead of searching: the search took a fifth of the
//! processor time of a cold article page (issue 18). A story is looked at once it is published
//! or changes (the search index's follower enlists it, see [`crate::indexer`]), and again a day
//! after it was last looked at (stories published since may be closer). Nodes sharing a store
//! share the work: each claims a batch at a time.

use crate::indexer::{IndexError, indexed};
use courant_search::SearchIndex;
use courant_store::{ArticleText, Store};
use std::sync::Arc;
use std::time::Duration;
use time::OffsetDateTime;

/// Related stories kept per story: one more than a page shows, as one may be withdrawn later
/// (the search's work grows with how many it keeps).
const KEPT: usize = 5;
/// Stories claimed at once.
const BATCH: i64 = 50;
/// How long a claim holds: far longer than a batch takes, so that a node that stopped
/// mid-batch leaves its stories to another only after a while.
const CLAIM: time::Duration = time::Duration::minutes(10);
/// After how long a story's related stories are found again.
const REFRESH_AFTER: time::Duration = time::Duration::days(1);
/// How often stories never looked at are enlisted (those published by other means than the
/// change log follows, such as a store filled before this version).
const ENLIST_EVERY: Duration = Duration::from_secs(600);
/// How long the finder waits when nothing is left to find.
const IDLE: Duration = Duration::from_secs(2);

/// Finds related stories for as long as the task runs, taking at most half a processor (it
/// rests as long as each search took).
pub async fn run(store: Store, index: Arc<SearchIndex>) {
    let mut listener = None;
    let mut enlisted: Option<std::time::Instant> = None;
    loop {
        if enlisted.is_none_or(|at| at.elapsed() >= ENLIST_EVERY) {
            match store.enlist_related_searches().await {
                Ok(0) => {}
                Ok(n) => tracing::info!(stories = n, "finding related stories"),
                Err(e) => tracing::warn!(error = %e, "related stories: cannot enlist stories"),
            }
            enlisted = Some(std::time::Instant::now());
        }
        match find_batch(&store, &index, true).await {
            Ok(0) => store.wait_for_writes(&mut listener, IDLE).await,
            Ok(n) => tracing::debug!(stories = n, "related stories found"),
            Err(e) => {
                tracing::warn!(error = %e, "related stories: cannot find them now; retrying");
                tokio::time::sleep(IDLE).await;
            }
        }
    }
}

/// Enlists and finds the related stories of every story that needs them, at once, with
/// `workers` searches at a time (for a publication made at once, and tests); calls
/// `progress(done, total)` as it goes and returns how many stories it looked at.
pub async fn find_all(
    store: &Store,
    index: &Arc<SearchIndex>,
    workers: usize,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<usize, IndexError> {
    let total = store.enlist_related_searches().await? as usize;
    let done = std::sync::atomic::AtomicUsize::new(0);
    // Each worker claims its own batches: the claims keep them apart.
    let worker = async || -> Result<(), IndexError> {
        loop {
            match find_batch(store, index, false).await? {
                0 => return Ok(()),
                n => {
                    let done = done.fetch_add(n, std::sync::atomic::Ordering::Relaxed) + n;
                    progress(done, total.max(done));
                }
            }
        }
    };
    futures_util::future::try_join_all((0..workers.max(1)).map(|_| worker())).await?;
    Ok(done.into_inner())
}

/// Claims a batch of stories and finds their related stories; returns how many it claimed.
async fn find_batch(store: &Store, index: &Arc<SearchIndex>, rest: bool) -> Result<usize, IndexError> {
    let now = OffsetDateTime::now_utc();
    let until = now + CLAIM;
    let ids = store.claim_related_searches(now, until, now - REFRESH_AFTER, BATCH).await?;
    for &id in &ids {
        let Some(article) = store.article(id).await? else { continue };
        let pinned: Vec<_> = article.related.iter().map(|r| r.id).collect();
        let text = indexed(&ArticleText::of(&article));
        let started = std::time::Instant::now();
        let search = index.clone();
        let found = match tokio::task::spawn_blocking(move || search.related(&text, KEPT, &pinned)).await {
            Ok(found) => found?,
            Err(e) => {
                // Left claimed: another attempt comes when the claim runs out.
                tracing::warn!(error = %e, article = id.0, "related stories: the search stopped");
                continue;
            }
        };
        let took = started.elapsed();
        store.save_found_related(id, &found, until, OffsetDateTime::now_utc()).await?;
        if rest {
            tokio::time::sleep(took).await;
        }
    }
    Ok(ids.len())
}

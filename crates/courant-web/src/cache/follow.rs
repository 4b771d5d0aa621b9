//! The change follower: reads the store's change log and drops the pages each change touches.

use super::pages::PageCache;
use super::{ANY, LATEST, PageTags};
use crate::AppState;
use std::sync::atomic::Ordering;
use std::time::Duration;

impl PageCache {
    /// Starts following the store's change log from its current end (the cache is empty).
    pub async fn start(&self, store: &courant_store::Store) -> Result<(), courant_store::StoreError> {
        let mut cursor = self.cursor.lock().await;
        self.seen_writes.store(store.local_writes(), Ordering::Release);
        *cursor = store.last_change().await?;
        Ok(())
    }

    /// Applies the changes logged since the last call: drops the pages each one touches. Says
    /// whether one of them changed the whole site (settings, sections, the site's own pages).
    pub async fn sync(&self, store: &courant_store::Store) -> Result<bool, courant_store::StoreError> {
        let mut cursor = self.cursor.lock().await;
        let mut site = false;
        if *cursor < 0 {
            return Ok(site);
        }
        // Counted before reading: a write committed after this is seen by the next call.
        let writes = store.local_writes();
        loop {
            let events = store.events_since(*cursor, 1000).await?;
            let Some(last) = events.last().map(|e| e.seq) else {
                break;
            };
            // The lists first, then the pages: a page rendered from the lists before is purged.
            self.lists.changed();
            for event in &events {
                if event.article_id.0 == 0 || event.kind == "site" {
                    self.clear();
                    site = true;
                    continue;
                }
                let mut tags = vec![PageTags::article(event.article_id.0), ANY.to_string()];
                if matches!(event.kind.as_str(), "published" | "unpublished" | "created") {
                    tags.push(LATEST.to_string());
                }
                // The listings it belongs to now, and those it belonged to before the change.
                if let Some(article) = store.article(event.article_id).await? {
                    tags.extend(PageTags::memberships(&article));
                }
                tags.extend(event.before.split_whitespace().map(str::to_string));
                let dropped = self.purge(&tags);
                tracing::debug!(article = event.article_id.0, kind = event.kind, dropped, "pages dropped");
            }
            *cursor = last;
        }
        self.seen_writes.store(writes, Ordering::Release);
        Ok(site)
    }

    /// Whether this process wrote since the change log was last read.
    pub(super) fn behind(&self, store: &courant_store::Store) -> bool {
        store.local_writes() != self.seen_writes.load(Ordering::Acquire)
    }
}

/// Follows the store's change log: this process's writes are applied before the next request
/// is served ([`serve`](super::serve) checks), other processes' within a few tens of
/// milliseconds: SQLite's log is read every 20 ms; PostgreSQL's when it notifies of a write,
/// and every half second in case a notification was lost with its connection.
pub async fn follow_changes(app: AppState) {
    let poll = Duration::from_millis(if app.store.is_shared() { 500 } else { 20 });
    let mut listener = None;
    loop {
        app.store.wait_for_writes(&mut listener, poll).await;
        match app.cache.sync(&app.store).await {
            Ok(false) => {}
            Ok(true) => reload_footer(&app).await,
            Err(e) => tracing::warn!(error = %e, "the page cache cannot read the change log; retrying"),
        }
    }
}

/// After a change of the whole site: the footer's pages again.
pub(crate) async fn reload_footer(app: &AppState) {
    if let Err(e) = app.reload_footer().await {
        tracing::warn!(error = %e, "the site's own pages could not be read for the footer");
    }
}

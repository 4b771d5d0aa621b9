//! Background work of a serving node: storing view counts and reloading every node's totals,
//! publishing scheduled articles, forgetting expired sessions.

use crate::AppState;
use courant_store::StoreError;
use std::time::Duration;

/// How often view counts are written to the store and every node's totals reloaded.
const TRENDING_EVERY: Duration = Duration::from_secs(5);

/// Writes this node's new view counts to the store (putting them back if it cannot).
pub async fn flush_trending(app: &AppState) -> Result<(), StoreError> {
    let pending = app.trending.take_pending();
    if pending.is_empty() {
        return Ok(());
    }
    if let Err(e) = app.store.add_views(&pending).await {
        app.trending.restore_pending(&pending);
        return Err(e);
    }
    Ok(())
}

/// Loads the last day's view counts of every node, with the articles' top-level sections.
pub async fn load_trending(app: &AppState) -> Result<(), StoreError> {
    let now = time::OffsetDateTime::now_utc();
    let since = crate::trending::minute_of(now) - 24 * 60;
    let views = app.store.views_since(since).await?;
    let sections = app.store.sections().await?;
    let mut ids: Vec<_> = views.iter().map(|v| v.article).collect();
    ids.sort_unstable();
    ids.dedup();
    let mut tops = std::collections::HashMap::new();
    for s in app.store.published_summaries(&ids).await? {
        if let Some(section) = sections.iter().find(|x| x.slug == s.section_slug) {
            let root = courant_store::section_path(&sections, section.id).first().map_or(section.id.0, |r| r.id.0);
            tops.insert(s.id, root);
        }
    }
    app.trending.load(views, tops);
    Ok(())
}

/// Every few seconds: store new counts, reload the totals, forget what no longer weighs.
pub async fn keep_trending(app: AppState) {
    loop {
        tokio::time::sleep(TRENDING_EVERY).await;
        let result = async {
            flush_trending(&app).await?;
            load_trending(&app).await?;
            let now = time::OffsetDateTime::now_utc();
            app.trending.prune(now);
            app.store.prune_views(crate::trending::minute_of(now) - 24 * 60).await?;
            Ok::<(), StoreError>(())
        }
        .await;
        if let Err(e) = result {
            tracing::warn!(error = %e, "view counts could not be stored; keeping them in memory and retrying");
        }
    }
}

/// How often the scheduler looks for articles whose time has come: well within the promise
/// that a scheduled story goes live within a second of its time.
const SCHEDULE_EVERY: Duration = Duration::from_millis(250);

/// Publishes scheduled articles when their time comes, and takes front page pins off when
/// theirs ends. The first pass, at start-up, catches up
/// on any whose time passed while the server was down; each goes live exactly once.
pub async fn publish_scheduled(app: AppState) {
    let mut last_prune = std::time::Instant::now();
    loop {
        let now = time::OffsetDateTime::now_utc();
        match app.store.publish_due(now).await {
            Ok(published) => {
                for id in published {
                    tracing::info!(article = id.0, "scheduled article published");
                }
            }
            Err(e) => tracing::warn!(error = %e, "scheduled publishing failed; retrying"),
        }
        match app.store.expire_front_pins(now).await {
            Ok(ended) => {
                for id in ended {
                    tracing::info!(article = id.0, "the story's time on the front page ended");
                }
            }
            Err(e) => tracing::warn!(error = %e, "front page pins could not be ended; retrying"),
        }
        if last_prune.elapsed() > Duration::from_secs(3600) {
            last_prune = std::time::Instant::now();
            if let Err(e) = app.store.prune_sessions(now).await {
                tracing::warn!(error = %e, "expired sessions could not be pruned");
            }
        }
        tokio::time::sleep(SCHEDULE_EVERY).await;
    }
}

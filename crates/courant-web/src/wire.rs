//! The wire desk's background work: the drop folder agencies deliver files to (FTP, SFTP),
//! watched and emptied, and the retention of wire copy.
//!
//! Each file dropped is claimed by moving it into `processing/` (a rename: of several nodes
//! sharing the folder, one wins), read whole, ingested in one transaction, and moved to
//! `done/`, or to `failed/` with `NAME.error` saying why. A file still being written (changed
//! in the last two seconds) is left for the next look.

use courant_store::Store;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::time::Duration;
use time::OffsetDateTime;

/// `[wire]` in `courant.toml`.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct WireSettings {
    /// The folder agencies deliver files to; absent: no drop folder.
    pub drop_dir: Option<PathBuf>,
    /// The source credited for dropped items that name none.
    pub drop_source: String,
    /// Wire copy older than this many days is deleted, unless a story was written from it.
    pub retention_days: u32,
}

impl Default for WireSettings {
    fn default() -> Self {
        WireSettings { drop_dir: None, drop_source: "Unnamed wire".into(), retention_days: 30 }
    }
}

/// How often the drop folder is looked at.
const LOOK_EVERY: Duration = Duration::from_secs(1);
/// How often old copy is deleted.
const RETAIN_EVERY: Duration = Duration::from_secs(3600);
/// A file changed more recently than this may still be arriving.
const SETTLE: Duration = Duration::from_secs(2);
/// The largest file ingested; larger ones fail.
const MAX_FILE: u64 = 32 * 1024 * 1024;

/// Watches the drop folder and deletes old copy, until the task is aborted.
pub async fn run(store: Store, settings: WireSettings) {
    let mut last_retention: Option<std::time::Instant> = None;
    loop {
        if let Some(dir) = &settings.drop_dir
            && let Err(e) = drop_folder(&store, dir, &settings.drop_source).await
        {
            tracing::warn!(error = %e, dir = %dir.display(), "the wire drop folder could not be read");
        }
        if last_retention.is_none_or(|t| t.elapsed() >= RETAIN_EVERY) {
            last_retention = Some(std::time::Instant::now());
            let before = OffsetDateTime::now_utc() - time::Duration::days(i64::from(settings.retention_days));
            match store.delete_wire_items_before(before).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(deleted = n, days = settings.retention_days, "old wire copy deleted"),
                Err(e) => tracing::warn!(error = %e, "old wire copy could not be deleted"),
            }
        }
        tokio::time::sleep(LOOK_EVERY).await;
    }
}

/// Ingests every settled file of `dir`; returns how many were handled.
pub async fn drop_folder(store: &Store, dir: &Path, source: &str) -> std::io::Result<usize> {
    for sub in ["processing", "done", "failed"] {
        tokio::fs::create_dir_all(dir.join(sub)).await?;
    }
    let mut handled = 0;
    let mut entries = tokio::fs::read_dir(dir).await?;
    while let Some(entry) = entries.next_entry().await? {
        let name = entry.file_name().to_string_lossy().into_owned();
        // Hidden and partial files are uploads in progress by convention.
        if name.starts_with('.') || name.ends_with(".part") || name.ends_with(".tmp") {
            continue;
        }
        let meta = entry.metadata().await?;
        if !meta.is_file() || meta.modified().ok().and_then(|m| m.elapsed().ok()).is_some_and(|age| age < SETTLE) {
            continue;
        }
        let claimed = dir.join("processing").join(&name);
        // Another node took it first.
        if tokio::fs::rename(entry.path(), &claimed).await.is_err() {
            continue;
        }
        handled += 1;
        let outcome = ingest_file(store, &claimed, meta.len(), source).await;
        match outcome {
            Ok(summary) => {
                tracing::info!(file = %name, %summary, "wire file ingested");
                move_to(&claimed, &dir.join("done"), &name).await?;
            }
            Err(why) => {
                tracing::warn!(file = %name, reason = %why, "wire file refused");
                let kept = move_to(&claimed, &dir.join("failed"), &name).await?;
                let mut note = kept.into_os_string();
                note.push(".error");
                tokio::fs::write(PathBuf::from(note), format!("{why}\n")).await?;
            }
        }
    }
    Ok(handled)
}

/// Reads and ingests one file; says what it gave, or why it was refused.
async fn ingest_file(store: &Store, path: &Path, size: u64, source: &str) -> Result<String, String> {
    if size > MAX_FILE {
        return Err(format!("the file is {size} bytes; the most a wire file may be is {MAX_FILE}"));
    }
    let bytes = tokio::fs::read(path).await.map_err(|e| format!("it could not be read: {e}"))?;
    let (format, items) = courant_ingest::read(&bytes, source).map_err(|e| e.to_string())?;
    let outcomes = store
        .ingest_wire_items(&items, format.name(), OffsetDateTime::now_utc())
        .await
        .map_err(|e| format!("the store failed, nothing of it was kept: {e}"))?;
    let new = outcomes.iter().filter(|(_, o)| *o == courant_store::WireOutcome::New).count();
    let updated = outcomes.iter().filter(|(_, o)| *o == courant_store::WireOutcome::Updated).count();
    Ok(format!("{} items ({}): {new} new, {updated} updated", items.len(), format.name()))
}

/// Moves `from` into `folder` as `name`, or as `name.N` when that is taken; answers where.
async fn move_to(from: &Path, folder: &Path, name: &str) -> std::io::Result<PathBuf> {
    let mut to = folder.join(name);
    let mut n = 1;
    while tokio::fs::try_exists(&to).await.unwrap_or(false) {
        to = folder.join(format!("{name}.{n}"));
        n += 1;
    }
    tokio::fs::rename(from, &to).await?;
    Ok(to)
}

//! The wire desk's background work: the feeds it polls, the drop folder agencies deliver files
//! to (FTP, SFTP), watched and emptied, and the retention of wire copy.
//!
//! Feeds are polled when due, each by one node at a time (a lease in the store), with the
//! server's `ETag` and `Last-Modified` sent back, a timeout, a size limit, and a wait that
//! doubles with each failure in a row (to an hour); what failed is kept on the feed, in words.
//!
//! Each file dropped is claimed by moving it into `processing/` (a rename: of several nodes
//! sharing the folder, one wins), read whole, ingested in one transaction, and moved to
//! `done/`, or to `failed/` with `NAME.error` saying why. A file still being written (changed
//! in the last two seconds) is left for the next look.

use courant_store::{Store, WirePoll};
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
    /// How long a feed's server has to answer, in seconds.
    pub feed_timeout_seconds: u64,
}

impl Default for WireSettings {
    fn default() -> Self {
        WireSettings {
            drop_dir: None,
            drop_source: "Unnamed wire".into(),
            retention_days: 30,
            feed_timeout_seconds: 20,
        }
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
/// The largest answer of a feed read; larger ones fail.
const MAX_FEED: usize = 5 * 1024 * 1024;
/// Feeds polled at once by a node.
const POLLS_AT_ONCE: usize = 4;
/// The longest wait after failures in a row.
const MAX_BACKOFF_SECONDS: i64 = 3600;

/// Polls feeds, watches the drop folder and deletes old copy, until the task is aborted. Feeds
/// and files go on side by side: a slow feed server never holds up a delivered file.
pub async fn run(store: Store, settings: WireSettings) {
    let feeds = async {
        let Some(client) = feed_client(&settings) else { return };
        loop {
            if let Err(e) = poll_feeds(&store, &client).await {
                tracing::warn!(error = %e, "wire feeds could not be polled");
            }
            tokio::time::sleep(LOOK_EVERY).await;
        }
    };
    let files = async {
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
    };
    tokio::join!(feeds, files);
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

/// The HTTP client feeds are polled with; none (and no polling) if it cannot be made.
pub fn feed_client(settings: &WireSettings) -> Option<reqwest::Client> {
    crate::webhooks::ensure_tls();
    let built = reqwest::Client::builder()
        .timeout(Duration::from_secs(settings.feed_timeout_seconds.max(1)))
        .redirect(reqwest::redirect::Policy::limited(5))
        .user_agent(concat!("Courant wire desk/", env!("CARGO_PKG_VERSION")))
        .build();
    match built {
        Ok(client) => Some(client),
        Err(e) => {
            tracing::error!(error = %e, "cannot make the client feeds are polled with; feeds are not polled");
            None
        }
    }
}

/// Polls the feeds due now that no other node holds; says how many.
pub async fn poll_feeds(store: &Store, client: &reqwest::Client) -> Result<usize, courant_store::StoreError> {
    use futures_util::StreamExt;
    let now = OffsetDateTime::now_utc();
    // Held long enough for a slow answer and its ingest; released when recorded.
    let until = now + time::Duration::minutes(5);
    let feeds = store.claim_wire_feeds(now, until, 16).await?;
    let n = feeds.len();
    futures_util::stream::iter(feeds)
        .for_each_concurrent(POLLS_AT_ONCE, |feed| async move { poll_one(store, client, &feed).await })
        .await;
    Ok(n)
}

/// What asking a feed's server gave.
enum Answer {
    NotModified,
    Body { bytes: Vec<u8>, etag: String, last_modified: String },
}

async fn poll_one(store: &Store, client: &reqwest::Client, feed: &courant_store::WireFeed) {
    let now = OffsetDateTime::now_utc();
    let next = now + time::Duration::seconds(feed.interval_seconds);
    let poll = match fetch(client, feed).await {
        Ok(Answer::NotModified) => WirePoll::Unchanged { next },
        Ok(Answer::Body { bytes, etag, last_modified }) => match courant_ingest::read(&bytes, &feed.source) {
            Ok((format, items)) => match store.ingest_feed_items(&items, format.name(), now, feed.id).await {
                Ok(outcomes) => {
                    let new = outcomes.iter().filter(|(_, o)| *o == courant_store::WireOutcome::New).count();
                    tracing::debug!(feed = %feed.url, items = items.len(), new, "feed polled");
                    WirePoll::Fetched { etag, last_modified, next }
                }
                Err(e) => {
                    tracing::warn!(feed = %feed.url, error = %e, "a feed's items could not be stored");
                    failed(feed, now, "its items could not be stored; the next poll tries again".into())
                }
            },
            Err(e) => failed(feed, now, e.to_string()),
        },
        Err(why) => failed(feed, now, why),
    };
    if let WirePoll::Failed { error, .. } = &poll {
        tracing::info!(feed = %feed.url, error = %error, "a feed failed");
    }
    if let Err(e) = store.record_wire_poll(feed.id, &poll, now).await {
        tracing::warn!(feed = %feed.url, error = %e, "a feed's poll could not be recorded");
    }
}

/// A failure, and the next poll after a wait that doubles with each failure in a row.
fn failed(feed: &courant_store::WireFeed, now: OffsetDateTime, error: String) -> WirePoll {
    // Twice the interval after one failure, four times after two, and so on.
    let doubled = feed.interval_seconds.saturating_mul(1i64 << (feed.failures + 1).clamp(1, 11));
    let wait = doubled.clamp(feed.interval_seconds, MAX_BACKOFF_SECONDS.max(feed.interval_seconds));
    WirePoll::Failed { error, next: now + time::Duration::seconds(wait) }
}

/// Asks a feed's server for its answer (conditionally), read up to [`MAX_FEED`] bytes.
async fn fetch(client: &reqwest::Client, feed: &courant_store::WireFeed) -> Result<Answer, String> {
    use reqwest::header;
    let mut request = client.get(&feed.url);
    if !feed.etag.is_empty() {
        request = request.header(header::IF_NONE_MATCH, &feed.etag);
    }
    if !feed.last_modified.is_empty() {
        request = request.header(header::IF_MODIFIED_SINCE, &feed.last_modified);
    }
    let mut response = request.send().await.map_err(|e| {
        if e.is_timeout() {
            "no answer in time (the server is slow or down)".to_string()
        } else if e.is_connect() {
            "the server could not be reached".to_string()
        } else {
            format!("the request failed: {e}")
        }
    })?;
    let status = response.status();
    if status == reqwest::StatusCode::NOT_MODIFIED {
        return Ok(Answer::NotModified);
    }
    if !status.is_success() {
        return Err(format!("the server answered {status}"));
    }
    if response.content_length().is_some_and(|n| n > MAX_FEED as u64) {
        return Err(format!("the answer is over {} MB", MAX_FEED / (1024 * 1024)));
    }
    let text = |name: header::HeaderName| {
        response.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_string()
    };
    let (etag, last_modified) = (text(header::ETAG), text(header::LAST_MODIFIED));
    let mut bytes = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(|e| {
        if e.is_timeout() {
            "the answer did not arrive in time".to_string()
        } else {
            format!("the answer broke off: {e}")
        }
    })? {
        if bytes.len() + chunk.len() > MAX_FEED {
            return Err(format!("the answer is over {} MB", MAX_FEED / (1024 * 1024)));
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(Answer::Body { bytes, etag, last_modified })
}

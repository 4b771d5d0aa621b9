//! The page cache: public responses kept as finished bytes (identity, gzip and brotli, each
//! compressed once), served from memory with a strong ETag, `304 Not Modified`, and headers a
//! CDN can follow. Misses of one key render once however many requests wait (single flight);
//! the cache holds at most a byte budget and evicts what was read least recently.
//!
//! Entries carry tags naming what they show (`a:42` for an article, `latest` for the latest
//! stories); [`follow_changes`] reads the store's change log and drops exactly the entries a
//! change touches. Pages showing "Others are reading now" carry the trending epoch they were
//! rendered in; once it has moved on they are served while a fresh copy renders behind them.

use crate::AppState;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::collections::HashMap;
use std::io::Write;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

/// The cache's settings (`[cache]` in `courant.toml`).
#[derive(Debug, Clone, PartialEq, serde::Deserialize, serde::Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct CacheSettings {
    /// Serve public pages from memory. Off, every request renders.
    pub enabled: bool,
    /// The most memory cached pages may take, in megabytes (all three encodings counted).
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

/// Marks an API request whose client the cache has counted against the rate limit already.
#[derive(Clone, Copy, Debug)]
pub struct RateChecked;

/// Pages that show the latest stories: dropped when a story is published or withdrawn.
pub const LATEST: &str = "latest";
/// Pages that name no tags: dropped on every change.
pub const ANY: &str = "any";

/// gzip level: 6 costs a fifth of 9's time for 1-2% more bytes on our pages.
const GZIP_LEVEL: u32 = 6;
/// brotli quality: 6 is within 3% of 9's size at a quarter of its time on a 60 KB page.
const BROTLI_QUALITY: u32 = 6;

struct Entry {
    /// Content type, last modified and the handler's own headers (CORS and the like).
    headers: HeaderMap,
    identity: Bytes,
    gzip: Bytes,
    br: Bytes,
    /// Strong ETags of the three encodings.
    etags: [HeaderValue; 3],
    tags: Vec<String>,
    /// The listing's own tags, for a listing page (see [`PageTags::listing`]).
    cascade: Vec<String>,
    surrogate_key: HeaderValue,
    /// The trending epoch it was rendered in, when it shows trending.
    epoch: Option<u64>,
    size: usize,
    last_used: AtomicU64,
}

/// Public pages as finished bytes.
pub struct PageCache {
    settings: CacheSettings,
    map: RwLock<HashMap<String, Arc<Entry>>>,
    bytes: AtomicUsize,
    clock: AtomicU64,
    /// Counts purges: a page rendered across a purge that touches it may show what was purged,
    /// so it is served but not kept.
    purges: AtomicU64,
    /// The latest purges, newest last: their number and tags (none for "everything").
    recent: Mutex<std::collections::VecDeque<(u64, Option<Vec<String>>)>>,
    flights: Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>,
    /// The last change of the store's log applied (-1 until [`PageCache::start`]).
    cursor: tokio::sync::Mutex<i64>,
    /// The store's count of this process's writes when the log was last read.
    seen_writes: AtomicU64,
    started: std::time::Instant,
    /// Where purged tags go on to (the CDN purger, see [`PageCache::purges_to_cdn`]).
    cdn: std::sync::OnceLock<tokio::sync::mpsc::UnboundedSender<Vec<String>>>,
}

impl PageCache {
    pub fn new(settings: CacheSettings) -> PageCache {
        PageCache {
            settings,
            map: RwLock::new(HashMap::new()),
            bytes: AtomicUsize::new(0),
            clock: AtomicU64::new(0),
            purges: AtomicU64::new(0),
            recent: Mutex::new(std::collections::VecDeque::new()),
            flights: Mutex::new(HashMap::new()),
            cursor: tokio::sync::Mutex::new(-1),
            seen_writes: AtomicU64::new(0),
            started: std::time::Instant::now(),
            cdn: std::sync::OnceLock::new(),
        }
    }

    /// From now on, the tags of every purge are also sent to the returned receiver (once: a
    /// second call gets `None`).
    pub fn purges_to_cdn(&self) -> Option<tokio::sync::mpsc::UnboundedReceiver<Vec<String>>> {
        let (sender, receiver) = tokio::sync::mpsc::unbounded_channel();
        self.cdn.set(sender).ok().map(|()| receiver)
    }

    fn tell_cdn(&self, tags: &[String]) {
        if let Some(cdn) = self.cdn.get() {
            // The purger gone means the server is stopping.
            let _ = cdn.send(tags.to_vec());
        }
    }

    pub fn settings(&self) -> &CacheSettings {
        &self.settings
    }

    /// The current trending epoch.
    fn epoch(&self) -> u64 {
        self.started.elapsed().as_secs() / self.settings.trending_seconds.max(1)
    }

    /// How many bytes the cached pages take.
    pub fn size(&self) -> usize {
        self.bytes.load(Ordering::Relaxed)
    }

    /// How many pages are cached.
    pub fn len(&self) -> usize {
        self.map.read().unwrap_or_else(|e| e.into_inner()).len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn get(&self, key: &str) -> Option<Arc<Entry>> {
        let entry = self.map.read().unwrap_or_else(|e| e.into_inner()).get(key).cloned()?;
        entry.last_used.store(self.clock.fetch_add(1, Ordering::Relaxed), Ordering::Relaxed);
        Some(entry)
    }

    /// Whether a purge since `purges_before` touched a page with these tags.
    fn purged_since(&self, purges_before: u64, tags: &[String]) -> bool {
        if self.purges.load(Ordering::Acquire) == purges_before {
            return false;
        }
        let recent = self.recent.lock().unwrap_or_else(|e| e.into_inner());
        // Purges beyond what is remembered may have touched it.
        if recent.front().is_none_or(|(n, _)| *n > purges_before + 1) {
            return true;
        }
        recent.iter().filter(|(n, _)| *n > purges_before).any(|(_, purged)| match purged {
            None => true,
            Some(purged) => purged.iter().any(|t| tags.contains(t)),
        })
    }

    fn record_purge(&self, tags: Option<Vec<String>>) {
        let mut recent = self.recent.lock().unwrap_or_else(|e| e.into_inner());
        let n = self.purges.fetch_add(1, Ordering::AcqRel) + 1;
        recent.push_back((n, tags));
        if recent.len() > 1024 {
            recent.pop_front();
        }
    }

    fn insert(&self, key: String, entry: Arc<Entry>, purges_before: u64) {
        let budget = self.settings.budget_mb * 1024 * 1024;
        if entry.size > budget / 8 {
            return;
        }
        let mut map = self.map.write().unwrap_or_else(|e| e.into_inner());
        // Under the map's lock, so no purge can slip between this check and the insert.
        if self.purged_since(purges_before, &entry.tags) {
            return;
        }
        entry.last_used.store(self.clock.fetch_add(1, Ordering::Relaxed), Ordering::Relaxed);
        self.bytes.fetch_add(entry.size, Ordering::Relaxed);
        if let Some(old) = map.insert(key, entry) {
            self.bytes.fetch_sub(old.size, Ordering::Relaxed);
        }
        evict(&mut map, &self.bytes, budget, |e| (e.last_used.load(Ordering::Relaxed), e.size));
    }

    /// Drops every page carrying one of `tags`, and with a listing page every page of its
    /// listing; returns how many.
    pub fn purge(&self, tags: &[String]) -> usize {
        let mut map = self.map.write().unwrap_or_else(|e| e.into_inner());
        let before = map.len();
        let mut cascade: std::collections::HashSet<String> = std::collections::HashSet::new();
        map.retain(|_, e| {
            let keep = !e.tags.iter().any(|t| tags.contains(t));
            if !keep {
                self.bytes.fetch_sub(e.size, Ordering::Relaxed);
                cascade.extend(e.cascade.iter().filter(|t| !tags.contains(t)).cloned());
            }
            keep
        });
        if !cascade.is_empty() {
            map.retain(|_, e| {
                let keep = !e.tags.iter().any(|t| cascade.contains(t));
                if !keep {
                    self.bytes.fetch_sub(e.size, Ordering::Relaxed);
                }
                keep
            });
        }
        let mut all = tags.to_vec();
        all.extend(cascade);
        self.tell_cdn(&all);
        self.record_purge(Some(all));
        before - map.len()
    }

    /// Drops every page (a change the whole site shows: sections, settings).
    pub fn clear(&self) {
        let mut map = self.map.write().unwrap_or_else(|e| e.into_inner());
        self.record_purge(None);
        self.tell_cdn(&[crate::cdn::SITE_KEY.to_string()]);
        map.clear();
        self.bytes.store(0, Ordering::Relaxed);
    }

    fn flight(&self, key: &str) -> Arc<tokio::sync::Mutex<()>> {
        let mut flights = self.flights.lock().unwrap_or_else(|e| e.into_inner());
        flights.entry(key.to_string()).or_default().clone()
    }

    /// Forgets a key's lock once nobody waits for it: `held` more references than the map's
    /// are the caller's own.
    fn land_with(&self, key: &str, flight: &Arc<tokio::sync::Mutex<()>>, held: usize) {
        let mut flights = self.flights.lock().unwrap_or_else(|e| e.into_inner());
        if Arc::strong_count(flight) <= 1 + held {
            flights.remove(key);
        }
    }

    fn land(&self, key: &str, flight: Arc<tokio::sync::Mutex<()>>) {
        self.land_with(key, &flight, 1);
    }
}

/// Over `budget` bytes, drops the least recently read entries down to 90% of it, in one pass.
/// `age` gives an entry's last read and its size.
fn evict<V>(map: &mut HashMap<String, V>, bytes: &AtomicUsize, budget: usize, age: impl Fn(&V) -> (u64, usize)) {
    if bytes.load(Ordering::Relaxed) <= budget {
        return;
    }
    let mut by_age: Vec<(u64, String, usize)> = map
        .iter()
        .map(|(k, v)| {
            let (used, size) = age(v);
            (used, k.clone(), size)
        })
        .collect();
    by_age.sort_unstable_by_key(|(used, _, _)| *used);
    let target = budget / 10 * 9;
    for (_, k, size) in by_age {
        if bytes.load(Ordering::Relaxed) <= target {
            break;
        }
        if map.remove(&k).is_some() {
            bytes.fetch_sub(size, Ordering::Relaxed);
        }
    }
}

/// Media files (pictures and their scaled copies) in memory, up to a byte budget, least
/// recently read evicted first. Their names derive from their content, so a kept copy never
/// goes stale and nothing needs purging.
pub struct FileCache {
    budget: usize,
    map: RwLock<HashMap<String, (Bytes, AtomicU64)>>,
    bytes: AtomicUsize,
    clock: AtomicU64,
}

impl FileCache {
    pub fn new(budget_mb: usize) -> FileCache {
        FileCache {
            budget: budget_mb * 1024 * 1024,
            map: RwLock::new(HashMap::new()),
            bytes: AtomicUsize::new(0),
            clock: AtomicU64::new(0),
        }
    }

    pub fn get(&self, name: &str) -> Option<Bytes> {
        let map = self.map.read().unwrap_or_else(|e| e.into_inner());
        let (bytes, used) = map.get(name)?;
        used.store(self.clock.fetch_add(1, Ordering::Relaxed), Ordering::Relaxed);
        Some(bytes.clone())
    }

    /// Keeps a file (not one larger than an eighth of the budget: it would push out many).
    pub fn insert(&self, name: &str, file: Bytes) {
        if file.len() > self.budget / 8 {
            return;
        }
        let mut map = self.map.write().unwrap_or_else(|e| e.into_inner());
        let used = AtomicU64::new(self.clock.fetch_add(1, Ordering::Relaxed));
        self.bytes.fetch_add(file.len(), Ordering::Relaxed);
        if let Some((old, _)) = map.insert(name.to_string(), (file, used)) {
            self.bytes.fetch_sub(old.len(), Ordering::Relaxed);
        }
        evict(&mut map, &self.bytes, self.budget, |(b, used)| (used.load(Ordering::Relaxed), b.len()));
    }

    /// How many bytes the kept files take.
    pub fn size(&self) -> usize {
        self.bytes.load(Ordering::Relaxed)
    }
}

/// Whether a path is a public page the cache keeps.
fn cacheable_path(path: &str) -> bool {
    !(path.starts_with("/newsroom")
        || path.starts_with("/beacon")
        || path.starts_with("/media/")
        || path.starts_with("/static/")
        || path == "/healthz"
        // Search follows the index, which lags the store by a moment; it is fast uncached.
        || path == "/search"
        || path.starts_with("/api/v1/search"))
}

/// The key of a page: its path, and of its query only what pages read (`page`; the API reads
/// all of its own). Tracking parameters (`?utm_source=...`) and other noise share the page's
/// entry instead of making new ones: nobody can make the server render a page again at will.
fn cache_key(path: &str, query: Option<&str>) -> String {
    let Some(query) = query.filter(|q| !q.is_empty()) else {
        return path.to_string();
    };
    if path.starts_with("/api/") {
        return format!("{path}?{query}");
    }
    match query.split('&').find_map(|pair| pair.strip_prefix("page=")) {
        // One key per number, however it is spelt (`page=002`).
        Some(page) => match page.parse::<u64>() {
            Ok(n) => format!("{path}?page={n}"),
            Err(_) => format!("{path}?page={page}"),
        },
        None => path.to_string(),
    }
}

/// Which stored encoding a request accepts best: 2 brotli, 1 gzip, 0 identity.
fn encoding(headers: &HeaderMap) -> usize {
    let Some(accept) = headers.get(header::ACCEPT_ENCODING).and_then(|v| v.to_str().ok()) else {
        return 0;
    };
    let accepts = |name: &str| {
        accept.split(',').any(|part| {
            let mut it = part.split(';');
            let coding = it.next().unwrap_or("").trim();
            let refused = it.any(|p| {
                let p = p.trim();
                p.strip_prefix("q=").is_some_and(|q| q.trim().parse::<f32>().is_ok_and(|q| q == 0.0))
            });
            coding.eq_ignore_ascii_case(name) && !refused
        })
    };
    if accepts("br") {
        2
    } else if accepts("gzip") {
        1
    } else {
        0
    }
}

/// `X-Cache`: whether the page was rendered for this request, served from memory, or served
/// from memory while a fresh copy renders.
const MISS: HeaderValue = HeaderValue::from_static("miss");
/// The epoch of a provisional page: never the current one, so its next request renders it again.
const PROVISIONAL: u64 = u64::MAX;
/// `Cache-Control` of a page CDNs must not keep (browsers revalidate every page anyway).
const NOT_FOR_CDNS: HeaderValue = HeaderValue::from_static("public, max-age=0, s-maxage=0");
const HIT: HeaderValue = HeaderValue::from_static("hit");
const STALE: HeaderValue = HeaderValue::from_static("stale");

fn respond(
    entry: &Entry,
    request: &HeaderMap,
    cache_control: &HeaderValue,
    head: bool,
    state: HeaderValue,
) -> Response {
    let which = encoding(request);
    let not_modified = match request.get(header::IF_NONE_MATCH).and_then(|v| v.to_str().ok()) {
        Some(tags) => tags
            .split(',')
            .map(|t| t.trim().trim_start_matches("W/"))
            // Only this encoding's ETag: a cache holding another encoding's copy gets this one.
            .any(|t| t == "*" || entry.etags[which].as_bytes() == t.as_bytes()),
        None => match (
            request.get(header::IF_MODIFIED_SINCE).and_then(|v| v.to_str().ok()),
            entry.headers.get(header::LAST_MODIFIED).and_then(|v| v.to_str().ok()),
        ) {
            (Some(since), Some(modified)) => since == modified,
            _ => false,
        },
    };
    let body = match (not_modified || head, which) {
        (true, _) => Body::empty(),
        (false, 2) => Body::from(entry.br.clone()),
        (false, 1) => Body::from(entry.gzip.clone()),
        (false, _) => Body::from(entry.identity.clone()),
    };
    let mut response = Response::new(body);
    if not_modified {
        *response.status_mut() = StatusCode::NOT_MODIFIED;
    }
    let h = response.headers_mut();
    for (name, value) in &entry.headers {
        if !(not_modified && name == header::CONTENT_TYPE) {
            h.insert(name.clone(), value.clone());
        }
    }
    h.insert(header::ETAG, entry.etags[which].clone());
    h.insert(header::VARY, HeaderValue::from_static("Accept-Encoding"));
    h.insert(
        header::CACHE_CONTROL,
        if entry.epoch == Some(PROVISIONAL) { NOT_FOR_CDNS } else { cache_control.clone() },
    );
    h.insert(HeaderName::from_static("surrogate-key"), entry.surrogate_key.clone());
    h.insert(HeaderName::from_static("x-cache"), state);
    if !not_modified {
        match which {
            2 => drop(h.insert(header::CONTENT_ENCODING, HeaderValue::from_static("br"))),
            1 => drop(h.insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"))),
            _ => {}
        }
        if head {
            let len = [&entry.identity, &entry.gzip, &entry.br][which].len();
            h.insert(header::CONTENT_LENGTH, HeaderValue::from(len));
        }
    }
    response
}

/// Compresses a rendered page into an entry (on a blocking thread: brotli takes a few ms).
async fn make_entry(headers: HeaderMap, body: Bytes, tags: PageTags, epoch: u64) -> Option<Entry> {
    tokio::task::spawn_blocking(move || {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::new(GZIP_LEVEL));
        gz.write_all(&body).ok()?;
        let gzip = gz.finish().ok()?;
        let mut br = Vec::new();
        {
            let params = brotli::enc::BrotliEncoderParams { quality: BROTLI_QUALITY as i32, ..Default::default() };
            brotli::BrotliCompress(&mut &body[..], &mut br, &params).ok()?;
        }
        let hash = courant_media::content_hash(&body);
        let etag = |suffix: &str| HeaderValue::from_str(&format!("\"{hash}{suffix}\"")).ok();
        let mut kept = HeaderMap::new();
        for (name, value) in &headers {
            let dropped = [
                header::ETAG,
                header::CONTENT_LENGTH,
                header::CONTENT_ENCODING,
                header::CACHE_CONTROL,
                header::VARY,
                header::DATE,
                header::TRANSFER_ENCODING,
            ];
            if !dropped.contains(name) {
                kept.insert(name.clone(), value.clone());
            }
        }
        // A provisional page is always of a past epoch, so its next request renders it again.
        let epoch = match (tags.provisional, tags.trending) {
            (true, _) => Some(PROVISIONAL),
            (false, true) => Some(epoch),
            (false, false) => None,
        };
        let (all_tags, cascade) = tags.flatten();
        let surrogate_key = surrogate_key(&all_tags)?;
        let size = body.len() + gzip.len() + br.len() + all_tags.iter().map(String::len).sum::<usize>() + 512;
        Some(Entry {
            headers: kept,
            etags: [etag("")?, etag("-gz")?, etag("-br")?],
            identity: body,
            gzip: Bytes::from(gzip),
            br: Bytes::from(br),
            tags: all_tags,
            cascade,
            surrogate_key,
            epoch,
            size,
            last_used: AtomicU64::new(0),
        })
    })
    .await
    .ok()
    .flatten()
}

/// The `Surrogate-Key` of a page with these tags: they and [`crate::cdn::SITE_KEY`].
fn surrogate_key(tags: &[String]) -> Option<HeaderValue> {
    HeaderValue::from_str(&format!("{} {}", tags.join(" "), crate::cdn::SITE_KEY)).ok()
}

/// Keeps a re-rendered response in the cache (see [`keepable`]).
async fn keep(cache: &PageCache, key: String, response: Response, purges_before: u64) {
    if !keepable(&key, &response) {
        return;
    }
    let tags = response.extensions().get::<PageTags>().cloned().unwrap_or_default();
    let (parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 32 * 1024 * 1024).await else {
        return;
    };
    if let Some(entry) = make_entry(parts.headers, bytes, tags, cache.epoch()).await {
        cache.insert(key, Arc::new(entry), purges_before);
    }
}

/// Whether a rendered response becomes an entry: a public 200 without a cookie. A `page` the
/// page does not read makes no entry of its own (see `cache_key`), nor do the API's open-ended
/// parameters (every cursor and date is another answer).
fn keepable(key: &str, response: &Response) -> bool {
    let paged = response.extensions().get::<PageTags>().is_some_and(|t| t.paged);
    let open_ended = key.starts_with("/api/") && ["cursor=", "since=", "until="].iter().any(|p| key.contains(p));
    response.status() == StatusCode::OK
        && !response.headers().contains_key(header::SET_COOKIE)
        && (paged || !key.contains("?page="))
        && !open_ended
}

/// The cache in front of the public routes. `inner` is the application without this layer,
/// for re-rendering pages in the background.
pub(crate) async fn serve(
    State((app, inner)): State<(AppState, axum::Router)>,
    request: Request,
    next: Next,
) -> Response {
    let cache = &app.cache;
    let head = request.method() == Method::HEAD;
    if !cache.settings.enabled || !(request.method() == Method::GET || head) || !cacheable_path(request.uri().path()) {
        return next.run(request).await;
    }
    let mut request = request;
    if request.uri().path().starts_with("/api/") {
        // The API's rate limit holds for cached answers too; over it, the API answers 429.
        let peer = request.extensions().get::<axum::extract::ConnectInfo<std::net::SocketAddr>>();
        let ip = peer.map_or(std::net::IpAddr::from([0, 0, 0, 0]), |c| c.0.ip());
        if app.api_limiter.check(ip).is_err() {
            return next.run(request).await;
        }
        request.extensions_mut().insert(RateChecked);
    }
    let key = cache_key(request.uri().path(), request.uri().query());
    let cache_control = app.cache_control.clone();
    if cache.behind(&app.store)
        && let Err(e) = cache.sync(&app.store).await
    {
        // Without the change log the cache cannot know what is current: render.
        tracing::warn!(error = %e, "the page cache cannot read the change log");
        return next.run(request).await;
    }
    if let Some(entry) = cache.get(&key) {
        if entry.epoch.is_some_and(|e| e != cache.epoch()) {
            refresh(app.clone(), inner, key);
            return respond(&entry, request.headers(), &cache_control, head, STALE);
        }
        return respond(&entry, request.headers(), &cache_control, head, HIT);
    }
    if head {
        return next.run(request).await;
    }
    let mut landing = Landing::new(app.clone(), key.clone()).await;
    // Another request of this key may have rendered it while this one waited.
    if let Some(entry) = cache.get(&key) {
        return respond(&entry, request.headers(), &cache_control, false, HIT);
    }
    let purges_before = cache.purges.load(Ordering::Acquire);
    let rendered = next.run(request).await;
    if !keepable(&key, &rendered) {
        return rendered;
    }
    let tags = rendered.extensions().get::<PageTags>().cloned().unwrap_or_default();
    // The page goes out as rendered at once; it is compressed and kept behind the answer, while
    // other requests for it wait for the kept copy (they hold on the flight's lock).
    let (mut parts, body) = rendered.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 32 * 1024 * 1024).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let kept_headers = parts.headers.clone();
    let body_copy = bytes.clone();
    let all_tags = tags.clone().flatten().0;
    let surrogate = surrogate_key(&all_tags);
    // A page that stands in for a complete one, or that a purge may have overtaken while it
    // rendered, is not for CDNs to keep (no purge would reach their copy).
    let cache_control =
        if tags.provisional || cache.purged_since(purges_before, &all_tags) { NOT_FOR_CDNS } else { cache_control };
    let landed = landing.take();
    tokio::spawn(async move {
        let cache = &landed.app.cache;
        if let Some(entry) = make_entry(kept_headers, body_copy, tags, cache.epoch()).await {
            cache.insert(landed.key.clone(), Arc::new(entry), purges_before);
        }
        drop(landed);
    });
    let h = &mut parts.headers;
    if let Ok(etag) = HeaderValue::from_str(&format!("\"{}\"", courant_media::content_hash(&bytes))) {
        h.insert(header::ETAG, etag);
    }
    h.insert(header::VARY, HeaderValue::from_static("Accept-Encoding"));
    h.insert(header::CACHE_CONTROL, cache_control);
    h.insert(HeaderName::from_static("x-cache"), MISS);
    if let Some(keys) = surrogate {
        h.insert(HeaderName::from_static("surrogate-key"), keys);
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// A request's turn to render a key: holds the key's lock, and gives it back (forgetting the
/// key when nobody else waits) when dropped, also when the client goes away mid-render.
struct Landing {
    app: AppState,
    key: String,
    flight: Arc<tokio::sync::Mutex<()>>,
    guard: Option<tokio::sync::OwnedMutexGuard<()>>,
}

impl Landing {
    async fn new(app: AppState, key: String) -> Landing {
        let flight = app.cache.flight(&key);
        let guard = Some(flight.clone().lock_owned().await);
        Landing { app, key, flight, guard }
    }

    /// Hands the turn on (to the task that keeps the page).
    fn take(&mut self) -> Landing {
        Landing { app: self.app.clone(), key: self.key.clone(), flight: self.flight.clone(), guard: self.guard.take() }
    }
}

impl Drop for Landing {
    fn drop(&mut self) {
        if self.guard.is_none() {
            // Handed on: the new holder lands.
            return;
        }
        drop(self.guard.take());
        self.app.cache.land_with(&self.key, &self.flight, 1);
    }
}

/// Renders a page again behind the stale copy readers are served (once per key at a time).
fn refresh(app: AppState, inner: axum::Router, key: String) {
    let flight = app.cache.flight(&key);
    let Ok(guard) = flight.clone().try_lock_owned() else {
        return;
    };
    tokio::spawn(async move {
        use tower::ServiceExt;
        let purges_before = app.cache.purges.load(Ordering::Acquire);
        let Ok(request) = Request::builder().uri(&key).body(Body::empty()) else {
            return;
        };
        let Ok(response) = inner.oneshot(request).await;
        keep(&app.cache, key.clone(), response, purges_before).await;
        drop(guard);
        app.cache.land(&key, flight);
    });
}

impl PageCache {
    /// Starts following the store's change log from its current end (the cache is empty).
    pub async fn start(&self, store: &courant_store::Store) -> Result<(), courant_store::StoreError> {
        let mut cursor = self.cursor.lock().await;
        self.seen_writes.store(store.local_writes(), Ordering::Release);
        *cursor = store.last_change().await?;
        Ok(())
    }

    /// Applies the changes logged since the last call: drops the pages each one touches.
    pub async fn sync(&self, store: &courant_store::Store) -> Result<(), courant_store::StoreError> {
        let mut cursor = self.cursor.lock().await;
        if *cursor < 0 {
            return Ok(());
        }
        // Counted before reading: a write committed after this is seen by the next call.
        let writes = store.local_writes();
        loop {
            let events = store.events_since(*cursor, 1000).await?;
            let Some(last) = events.last().map(|e| e.seq) else {
                break;
            };
            for event in &events {
                if event.article_id.0 == 0 || event.kind == "site" {
                    self.clear();
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
        Ok(())
    }

    /// Whether this process wrote since the change log was last read.
    fn behind(&self, store: &courant_store::Store) -> bool {
        store.local_writes() != self.seen_writes.load(Ordering::Acquire)
    }
}

/// Follows the store's change log: this process's writes are applied before the next request
/// is served ([`serve`] checks), other processes' within a few tens of milliseconds: SQLite's
/// log is read every 20 ms; PostgreSQL's when it notifies of a write, and every half second
/// in case a notification was lost with its connection.
pub async fn follow_changes(app: AppState) {
    let poll = Duration::from_millis(if app.store.is_shared() { 500 } else { 20 });
    let mut listener = None;
    loop {
        app.store.wait_for_writes(&mut listener, poll).await;
        if let Err(e) = app.cache.sync(&app.store).await {
            tracing::warn!(error = %e, "the page cache cannot read the change log; retrying");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_keep_only_what_pages_read() {
        assert_eq!(cache_key("/", None), "/");
        assert_eq!(cache_key("/", Some("utm_source=x&fbclid=y")), "/");
        assert_eq!(cache_key("/news", Some("utm=1&page=2")), "/news?page=2");
        assert_eq!(cache_key("/news", Some("page=0002")), "/news?page=2");
        assert_eq!(
            cache_key("/api/v1/articles", Some("limit=5&section=news")),
            "/api/v1/articles?limit=5&section=news"
        );
    }

    #[test]
    fn encodings_follow_accept_encoding() {
        let with = |v: &str| {
            let mut h = HeaderMap::new();
            h.insert(header::ACCEPT_ENCODING, HeaderValue::from_str(v).expect("header"));
            encoding(&h)
        };
        assert_eq!(encoding(&HeaderMap::new()), 0);
        assert_eq!(with("gzip, deflate, br"), 2);
        assert_eq!(with("gzip"), 1);
        assert_eq!(with("br;q=0, gzip"), 1);
        assert_eq!(with("identity"), 0);
        assert_eq!(with("BR"), 2);
    }

    fn entry(tags: &[&str], size: usize) -> Arc<Entry> {
        let v = HeaderValue::from_static("\"x\"");
        Arc::new(Entry {
            headers: HeaderMap::new(),
            identity: Bytes::new(),
            gzip: Bytes::new(),
            br: Bytes::new(),
            etags: [v.clone(), v.clone(), v.clone()],
            tags: tags.iter().map(|t| t.to_string()).collect(),
            cascade: tags.iter().filter(|t| t.starts_with("s:")).map(|t| t.to_string()).collect(),
            surrogate_key: v,
            epoch: None,
            size,
            last_used: AtomicU64::new(0),
        })
    }

    #[test]
    fn purges_drop_exactly_the_tagged_pages_and_the_budget_evicts_the_least_read() {
        let cache = PageCache::new(CacheSettings { budget_mb: 1, ..CacheSettings::default() });
        cache.insert("/a".into(), entry(&["a:1", "latest"], 1000), 0);
        cache.insert("/b".into(), entry(&["a:2"], 1000), 0);
        cache.insert("/c".into(), entry(&["any"], 1000), 0);
        assert_eq!(cache.purge(&["a:1".to_string()]), 1);
        assert!(cache.get("/a").is_none() && cache.get("/b").is_some() && cache.get("/c").is_some());
        assert_eq!(cache.size(), 2000);
        cache.purge(&["a:2".to_string(), "any".to_string()]);
        assert!(cache.is_empty());
        // A story on page 1 of a listing changes: page 2 goes too (its stories shift).
        cache.insert("/s".into(), entry(&["a:7", "s:3"], 100), cache.purges.load(Ordering::Acquire));
        cache.insert("/s?page=2".into(), entry(&["a:8", "s:3"], 100), cache.purges.load(Ordering::Acquire));
        cache.insert("/t".into(), entry(&["a:9", "t:1"], 100), cache.purges.load(Ordering::Acquire));
        assert_eq!(cache.purge(&["a:7".to_string()]), 2);
        assert!(cache.get("/t").is_some());
        // A render that began before a purge touching it is not kept; one that began before
        // an unrelated purge is.
        let before = cache.purges.load(Ordering::Acquire);
        cache.purge(&["a:3".to_string()]);
        cache.insert("/d".into(), entry(&["a:3"], 1000), before);
        assert!(cache.get("/d").is_none());
        cache.insert("/e".into(), entry(&["a:4"], 1000), before);
        assert!(cache.get("/e").is_some());
        let before = cache.purges.load(Ordering::Acquire);
        cache.clear();
        cache.insert("/f".into(), entry(&["a:5"], 1000), before);
        assert!(cache.get("/f").is_none(), "everything was purged");
        // Over budget: the least recently read go first.
        cache.clear();
        let twentieth = 1024 * 1024 / 20;
        for i in 0..19 {
            cache.insert(format!("/{i}"), entry(&["x"], twentieth), cache.purges.load(Ordering::Acquire));
        }
        assert!(cache.get("/0").is_some(), "read, so kept");
        cache.insert("/new".into(), entry(&["x"], twentieth * 2), cache.purges.load(Ordering::Acquire));
        assert!(cache.size() <= 1024 * 1024 / 10 * 9);
        assert!(cache.get("/0").is_some() && cache.get("/new").is_some(), "recently read and new pages stay");
        assert!(cache.get("/1").is_none(), "the least recently read went");
    }
}

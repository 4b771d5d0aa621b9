//! The page cache proper: stored pages by key, the byte budget, purges, single-flight renders,
//! and [`serve`], the middleware that answers hits before any route is matched.

use super::encoding::{Entry, NOT_FOR_CDNS, entry, respond, surrogate_key};
use super::{CacheSettings, PageTags, evict};
use crate::AppState;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderName, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, RwLock};

/// Marks an API request whose client the cache has counted against the rate limit already.
#[derive(Clone, Copy, Debug)]
pub struct RateChecked;

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
    pub(super) cursor: tokio::sync::Mutex<i64>,
    /// The store's count of this process's writes when the log was last read.
    pub(super) seen_writes: AtomicU64,
    started: std::time::Instant,
    /// Where purged tags go on to (the CDN purger, see [`PageCache::purges_to_cdn`]).
    cdn: std::sync::OnceLock<tokio::sync::mpsc::UnboundedSender<Vec<String>>>,
    /// Answers from memory, fresh and stale; renders; pages evicted (for `/metrics`).
    hits: AtomicU64,
    stale: AtomicU64,
    misses: AtomicU64,
    evictions: AtomicU64,
    /// How long the pages the cache did not hold took to render.
    pub renders: crate::metrics::Histogram,
    /// The lists most pages show, read once per change of the store.
    pub lists: super::SharedLists,
}

/// What the page cache has done and holds, for `/metrics`.
pub struct CacheStats {
    pub hits: u64,
    pub stale: u64,
    pub misses: u64,
    pub evictions: u64,
    pub entries: usize,
    pub bytes: usize,
    pub budget: usize,
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
            hits: AtomicU64::new(0),
            stale: AtomicU64::new(0),
            misses: AtomicU64::new(0),
            evictions: AtomicU64::new(0),
            renders: crate::metrics::Histogram::default(),
            lists: super::SharedLists::default(),
        }
    }

    /// What the cache has done since it started, and holds.
    pub fn stats(&self) -> CacheStats {
        CacheStats {
            hits: self.hits.load(Ordering::Relaxed),
            stale: self.stale.load(Ordering::Relaxed),
            misses: self.misses.load(Ordering::Relaxed),
            evictions: self.evictions.load(Ordering::Relaxed),
            entries: self.len(),
            bytes: self.size(),
            budget: self.settings.budget_mb * 1024 * 1024,
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
        if let Some(old) = map.get(&key)
            && old.reused.load(Ordering::Relaxed)
        {
            // A new render of a page readers come back to is one they come back to.
            entry.reused.store(true, Ordering::Relaxed);
        }
        if let Some(old) = map.insert(key, entry) {
            self.bytes.fetch_sub(old.size, Ordering::Relaxed);
        }
        self.evict(&mut map);
    }

    fn evict(&self, map: &mut HashMap<String, Arc<Entry>>) {
        let budget = self.settings.budget_mb * 1024 * 1024;
        let evicted = evict(map, &self.bytes, budget, |e| {
            (e.last_used.load(Ordering::Relaxed), e.size, e.reused.load(Ordering::Relaxed))
        });
        self.evictions.fetch_add(evicted as u64, Ordering::Relaxed);
    }

    /// A kept page read again. The first time, it is compressed and kept so (readers asking
    /// for gzip or brotli get them from then on); a page read once stays uncompressed.
    async fn reread(&self, key: &str, entry: Arc<Entry>) -> Arc<Entry> {
        if entry.reused.swap(true, Ordering::Relaxed) || entry.compressed.is_some() {
            return entry;
        }
        let Some(compressed) = entry.compressed().await else {
            return entry;
        };
        let compressed = Arc::new(compressed);
        let mut map = self.map.write().unwrap_or_else(|e| e.into_inner());
        // Unless a purge or a new render replaced it meanwhile.
        if let Some(kept) = map.get_mut(key)
            && Arc::ptr_eq(kept, &entry)
        {
            self.bytes.fetch_add(compressed.size - entry.size, Ordering::Relaxed);
            *kept = compressed.clone();
            self.evict(&mut map);
        }
        compressed
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

/// Whether a path is a public page the cache keeps.
fn cacheable_path(path: &str) -> bool {
    !(path.starts_with("/newsroom")
        || path.starts_with("/beacon")
        || path.starts_with("/media/")
        || path.starts_with("/static/")
        || path == "/healthz"
        // A reader's own: an address typed, a signed link's preferences.
        || path == "/newsletters"
        || path.starts_with("/newsletters/")
        // Search follows the index, which lags the store by a moment; it is fast uncached.
        || path == "/search"
        || path.starts_with("/api/v1/search"))
}

/// The key of a page: its path, and of its query only what pages read (`page`; the API reads
/// all of its own, in one spelling: see [`api_key`]). Tracking parameters (`?utm_source=...`)
/// and other noise share the page's entry instead of making new ones: nobody can make the
/// server render a page again at will.
fn cache_key(path: &str, query: Option<&str>) -> String {
    let Some(query) = query.filter(|q| !q.is_empty()) else {
        return path.to_string();
    };
    if path.starts_with("/api/") {
        return api_key(path, query);
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

/// The key of an API answer: its parameters decoded, in order of name (repeated ones in the
/// order sent, as the last one counts), encoded one way, and `limit` as a plain number. However
/// a client spells a query (`%73ection=`, `limit=05`, parameters swapped), one answer is kept.
/// (Unknown parameters are refused by the API with 400, which is never kept.)
fn api_key(path: &str, query: &str) -> String {
    let mut pairs: Vec<_> = form_urlencoded::parse(query.as_bytes()).collect();
    pairs.sort_by(|a, b| a.0.cmp(&b.0));
    let mut key = form_urlencoded::Serializer::for_suffix(format!("{path}?"), path.len() + 1);
    for (name, value) in &pairs {
        match value.parse::<u64>() {
            Ok(n) if name == "limit" => key.append_pair(name, &n.to_string()),
            _ => key.append_pair(name, value),
        };
    }
    key.finish()
}

/// `X-Cache`: whether the page was rendered for this request, served from memory, or served
/// from memory while a fresh copy renders.
const MISS: HeaderValue = HeaderValue::from_static("miss");
const HIT: HeaderValue = HeaderValue::from_static("hit");
const STALE: HeaderValue = HeaderValue::from_static("stale");

/// Keeps a page rendered again behind its stale copy (see [`keepable`]): one being read, so
/// compressed at once.
async fn keep(cache: &PageCache, key: String, response: Response, purges_before: u64) {
    if !keepable(&key, &response) {
        return;
    }
    let tags = response.extensions().get::<PageTags>().cloned().unwrap_or_default();
    let (parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 32 * 1024 * 1024).await else {
        return;
    };
    let hash = super::encoding::body_hash(&bytes);
    let Some(entry) = entry(&parts.headers, bytes, &hash, tags, cache.epoch(), key.len()) else {
        return;
    };
    if let Some(compressed) = Arc::new(entry).compressed().await {
        cache.insert(key, Arc::new(compressed), purges_before);
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
    if let Some(moved) = crate::canonical::redirect(&request) {
        return moved;
    }
    let cache = &app.cache;
    let head = request.method() == Method::HEAD;
    if !cache.settings.enabled
        || !(request.method() == Method::GET || head)
        || !cacheable_path(request.uri().path())
        || crate::routes::site::old_post_query(request.uri()).is_some()
    {
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
    if cache.behind(&app.store) {
        match cache.sync(&app.store).await {
            Ok(false) => {}
            Ok(true) => super::follow::reload_footer(&app).await,
            Err(e) => {
                // Without the change log the cache cannot know what is current: render.
                tracing::warn!(error = %e, "the page cache cannot read the change log");
                return next.run(request).await;
            }
        }
    }
    if let Some(entry) = cache.get(&key) {
        if entry.epoch.is_some_and(|e| e != cache.epoch()) {
            cache.stale.fetch_add(1, Ordering::Relaxed);
            entry.reused.store(true, Ordering::Relaxed);
            refresh(app.clone(), inner, key);
            return respond(&entry, request.headers(), &cache_control, head, STALE);
        }
        cache.hits.fetch_add(1, Ordering::Relaxed);
        let entry = cache.reread(&key, entry).await;
        return respond(&entry, request.headers(), &cache_control, head, HIT);
    }
    if head {
        return next.run(request).await;
    }
    let landing = Landing::new(app.clone(), key.clone()).await;
    // Another request of this key may have rendered it while this one waited.
    if let Some(entry) = cache.get(&key) {
        drop(landing);
        cache.hits.fetch_add(1, Ordering::Relaxed);
        let entry = cache.reread(&key, entry).await;
        return respond(&entry, request.headers(), &cache_control, false, HIT);
    }
    let purges_before = cache.purges.load(Ordering::Acquire);
    cache.misses.fetch_add(1, Ordering::Relaxed);
    let started = std::time::Instant::now();
    let rendered = next.run(request).await;
    cache.renders.observe(started.elapsed());
    if !keepable(&key, &rendered) {
        return rendered;
    }
    let tags = rendered.extensions().get::<PageTags>().cloned().unwrap_or_default();
    // The page goes out as rendered, and is kept as it is: compressed only if it is read again.
    let (mut parts, body) = rendered.into_parts();
    let bytes = match axum::body::to_bytes(body, 32 * 1024 * 1024).await {
        Ok(bytes) => bytes,
        Err(e) => return crate::AppError::internal("reading a rendered page", e).into_response(),
    };
    let hash = super::encoding::body_hash(&bytes);
    let all_tags = tags.clone().flatten().0;
    let surrogate = surrogate_key(&all_tags);
    // A page that stands in for a complete one, or that a purge may have overtaken while it
    // rendered, is not for CDNs to keep (no purge would reach their copy).
    let cache_control =
        if tags.provisional || cache.purged_since(purges_before, &all_tags) { NOT_FOR_CDNS } else { cache_control };
    if let Some(entry) = entry(&parts.headers, bytes.clone(), &hash, tags, cache.epoch(), key.len()) {
        cache.insert(key, Arc::new(entry), purges_before);
    }
    drop(landing);
    let h = &mut parts.headers;
    if let Ok(etag) = HeaderValue::from_str(&format!("\"{hash}\"")) {
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
}

impl Drop for Landing {
    fn drop(&mut self) {
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

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Bytes;
    use axum::http::HeaderMap;

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
        for spelling in ["section=news&limit=5", "%73ection=n%65ws&limit=005", "limit=5&section=news"] {
            assert_eq!(
                cache_key("/api/v1/articles", Some(spelling)),
                "/api/v1/articles?limit=5&section=news",
                "{spelling}"
            );
        }
        assert_eq!(
            cache_key("/api/v1/articles", Some("limit=6&tag=a&limit=5")),
            "/api/v1/articles?limit=6&limit=5&tag=a",
            "repeated parameters keep their order (the last counts)"
        );
    }

    fn entry(tags: &[&str], size: usize) -> Arc<Entry> {
        let v = HeaderValue::from_static("\"x\"");
        Arc::new(Entry {
            headers: HeaderMap::new(),
            identity: Bytes::new(),
            etag: v.clone(),
            compressed: None,
            tags: tags.iter().map(|t| t.to_string()).collect(),
            cascade: tags.iter().filter(|t| t.starts_with("s:")).map(|t| t.to_string()).collect(),
            surrogate_key: v,
            epoch: None,
            size,
            last_used: AtomicU64::new(0),
            reused: std::sync::atomic::AtomicBool::new(false),
        })
    }

    // Issue #18: a crawl reading thousands of pages once must not evict the pages readers
    // come back to; and those go too once readers stop reading them.
    #[test]
    fn a_crawl_does_not_evict_the_pages_read_again() {
        let cache = PageCache::new(CacheSettings { budget_mb: 1, ..CacheSettings::default() });
        let fiftieth = 1024 * 1024 / 50;
        let now = || cache.purges.load(Ordering::Acquire);
        for hot in ["/", "/news", "/latest-story"] {
            cache.insert(hot.into(), entry(&["x"], fiftieth), now());
            cache.get(hot).expect("kept").reused.store(true, Ordering::Relaxed);
        }
        for i in 0..500 {
            cache.insert(format!("/archive/{i}"), entry(&["x"], fiftieth), now());
        }
        assert!(cache.size() <= 1024 * 1024);
        for hot in ["/", "/news", "/latest-story"] {
            assert!(cache.get(hot).is_some(), "{hot} was evicted by pages read once");
        }
        assert!(cache.get("/archive/499").is_some() && cache.get("/archive/0").is_none());
        // Pages read again take at most 80% of the budget: past it, the least recently read
        // of them go like pages read once.
        for i in 0..60 {
            let key = format!("/popular/{i}");
            cache.insert(key.clone(), entry(&["x"], fiftieth), now());
            cache.get(&key).expect("kept").reused.store(true, Ordering::Relaxed);
        }
        assert!(cache.get("/popular/59").is_some());
        assert!(cache.get("/").is_none(), "a page no longer read goes in time");
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

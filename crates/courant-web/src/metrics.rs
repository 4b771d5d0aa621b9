//! `GET /metrics` in Prometheus' text format, served on an address of its own (`[metrics]
//! listen`), never on the public one: requests and their latency by kind of route, the page
//! cache (hits, misses, bytes, evictions), render time, the store's round trip, the scheduler's
//! and the webhooks' queues, how far the search index lags the store, and the process's memory.
//! Off unless configured; when off, no request pays for it.

use crate::AppState;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::fmt::Write as _;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// Upper bounds of the latency buckets, in seconds.
const BOUNDS: [f64; 14] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0];

/// A latency histogram: counts per bucket (not cumulative here; written cumulatively), count
/// and sum.
pub struct Histogram {
    buckets: [AtomicU64; BOUNDS.len()],
    count: AtomicU64,
    sum_nanos: AtomicU64,
}

impl Default for Histogram {
    fn default() -> Self {
        Histogram::new()
    }
}

/// How long the store's statements took, from sqlx's own timing of each (see
/// [`time_store_queries`]); empty until metrics are on.
pub static STORE_QUERIES: Histogram = Histogram::new();
static STORE_TIMING: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Starts (or stops) timing the store's statements into [`STORE_QUERIES`]: sqlx reports each
/// statement's time as a `sqlx::query` event, which the binary's log subscriber hands to
/// [`STORE_QUERIES`] while this is on (and sqlx does not even make the event while it is off).
pub fn time_store_queries(on: bool) {
    STORE_TIMING.store(on, Ordering::Relaxed);
}

/// Whether the store's statements are being timed.
pub fn timing_store_queries() -> bool {
    STORE_TIMING.load(Ordering::Relaxed)
}

impl Histogram {
    pub const fn new() -> Histogram {
        Histogram {
            buckets: [const { AtomicU64::new(0) }; BOUNDS.len()],
            count: AtomicU64::new(0),
            sum_nanos: AtomicU64::new(0),
        }
    }

    pub fn observe(&self, took: Duration) {
        let seconds = took.as_secs_f64();
        if let Some(i) = BOUNDS.iter().position(|b| seconds <= *b) {
            self.buckets[i].fetch_add(1, Ordering::Relaxed);
        }
        self.count.fetch_add(1, Ordering::Relaxed);
        self.sum_nanos.fetch_add(u64::try_from(took.as_nanos()).unwrap_or(u64::MAX), Ordering::Relaxed);
    }

    /// Writes the histogram's `_bucket`, `_sum` and `_count` lines; `labels` is empty or
    /// `name="value",` pairs each ending in a comma.
    fn write(&self, out: &mut String, name: &str, labels: &str) {
        let mut cumulative = 0;
        for (bound, n) in BOUNDS.iter().zip(&self.buckets) {
            cumulative += n.load(Ordering::Relaxed);
            let _ = writeln!(out, "{name}_bucket{{{labels}le=\"{bound}\"}} {cumulative}");
        }
        let count = self.count.load(Ordering::Relaxed);
        let _ = writeln!(out, "{name}_bucket{{{labels}le=\"+Inf\"}} {count}");
        let sum = self.sum_nanos.load(Ordering::Relaxed) as f64 / 1e9;
        let labels = match labels.trim_end_matches(',') {
            "" => String::new(),
            some => format!("{{{some}}}"),
        };
        let _ = writeln!(out, "{name}_sum{labels} {sum}");
        let _ = writeln!(out, "{name}_count{labels} {count}");
    }
}

/// The kinds of route requests are counted by.
const KINDS: [&str; 11] =
    ["home", "article", "listing", "search", "feed", "api", "newsroom", "media", "static", "beacon", "other"];

/// What kind of route a path is (an index into [`KINDS`]), from its shape alone: counting must
/// cost next to nothing, and cannot wait for routing.
fn kind(path: &str) -> usize {
    let find = |k: &str| KINDS.iter().position(|x| *x == k).unwrap_or(KINDS.len() - 1);
    if path == "/" {
        return find("home");
    }
    for (prefix, k) in [
        ("/api/", "api"),
        ("/newsroom", "newsroom"),
        ("/media/", "media"),
        ("/static/", "static"),
        ("/beacon", "beacon"),
        ("/search", "search"),
        ("/healthz", "other"),
    ] {
        if path.starts_with(prefix) {
            return find(k);
        }
    }
    if path.ends_with(".xml") || path.ends_with(".json") || path.ends_with(".txt") {
        return find("feed");
    }
    // `/{section}/{yyyy}/{mm}/{dd}/{slug}`: a year four segments from the end.
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    let article = segments.len() >= 5 && {
        let year = segments[segments.len() - 4];
        year.len() == 4 && year.bytes().all(|b| b.is_ascii_digit())
    };
    if article { find("article") } else { find("listing") }
}

/// Requests counted by kind of route and class of status, with their latency.
pub struct Metrics {
    requests: [[AtomicU64; 5]; KINDS.len()],
    latency: [Histogram; KINDS.len()],
}

impl Default for Metrics {
    fn default() -> Self {
        Metrics { requests: Default::default(), latency: Default::default() }
    }
}

/// Counts and times every request (the outermost layer, so hits are timed too).
pub async fn measure(State(metrics): State<Arc<Metrics>>, request: Request, next: Next) -> Response {
    let started = Instant::now();
    let k = kind(request.uri().path());
    let response = next.run(request).await;
    let class = usize::from(response.status().as_u16() / 100).clamp(1, 5) - 1;
    metrics.requests[k][class].fetch_add(1, Ordering::Relaxed);
    metrics.latency[k].observe(started.elapsed());
    response
}

/// `GET /metrics` on the metrics address.
pub fn router(app: AppState, metrics: Arc<Metrics>) -> axum::Router {
    axum::Router::new().route("/metrics", axum::routing::get(move || scrape(app.clone(), metrics.clone())))
}

async fn scrape(app: AppState, metrics: Arc<Metrics>) -> Response {
    let mut out = String::with_capacity(16 * 1024);
    family(&mut out, "courant_http_requests_total", "counter", "Requests answered, by kind of route and status class.");
    for (k, counts) in KINDS.iter().zip(&metrics.requests) {
        for (class, n) in counts.iter().enumerate() {
            let n = n.load(Ordering::Relaxed);
            let _ = writeln!(out, "courant_http_requests_total{{kind=\"{k}\",status=\"{}xx\"}} {n}", class + 1);
        }
    }
    family(
        &mut out,
        "courant_http_request_duration_seconds",
        "histogram",
        "Time from a request's headers to its answer's, by kind of route.",
    );
    for (k, h) in KINDS.iter().zip(&metrics.latency) {
        h.write(&mut out, "courant_http_request_duration_seconds", &format!("kind=\"{k}\","));
    }

    let cache = app.cache.stats();
    for (name, kind, help, value) in [
        ("courant_cache_hits_total", "counter", "Pages answered from the page cache.", cache.hits),
        (
            "courant_cache_stale_total",
            "counter",
            "Pages answered from the cache while a fresh copy renders.",
            cache.stale,
        ),
        ("courant_cache_misses_total", "counter", "Cacheable requests that rendered their page.", cache.misses),
        (
            "courant_cache_evictions_total",
            "counter",
            "Pages dropped to keep the cache within its budget.",
            cache.evictions,
        ),
        ("courant_cache_entries", "gauge", "Pages in the page cache.", cache.entries as u64),
        (
            "courant_cache_bytes",
            "gauge",
            "Bytes the page cache holds (every encoding, key and tag).",
            cache.bytes as u64,
        ),
        ("courant_cache_budget_bytes", "gauge", "The page cache's budget.", cache.budget as u64),
        ("courant_media_cache_bytes", "gauge", "Bytes of pictures kept in memory.", app.media.size() as u64),
    ] {
        family(&mut out, name, kind, help);
        let _ = writeln!(out, "{name} {value}");
    }
    family(&mut out, "courant_render_duration_seconds", "histogram", "Time to render a page the cache did not hold.");
    app.cache.renders.write(&mut out, "courant_render_duration_seconds", "");

    family(&mut out, "courant_store_query_duration_seconds", "histogram", "Time the store's statements took.");
    STORE_QUERIES.write(&mut out, "courant_store_query_duration_seconds", "");

    // The store: its round trip, and the queues and lag it holds. A store that does not
    // answer leaves these out (and says so), rather than failing the scrape.
    let started = Instant::now();
    match app.store.ping().await {
        Ok(()) => {
            family(&mut out, "courant_store_up", "gauge", "Whether the store answers.");
            let _ = writeln!(out, "courant_store_up 1");
            gauge(
                &mut out,
                "courant_store_ping_seconds",
                "Round trip of a trivial query to the store.",
                started.elapsed().as_secs_f64(),
            );
        }
        Err(e) => {
            tracing::warn!(error = %e, "metrics: the store does not answer");
            family(&mut out, "courant_store_up", "gauge", "Whether the store answers.");
            let _ = writeln!(out, "courant_store_up 0");
        }
    }
    if let Ok(counts) = app.store.counts().await {
        gauge(&mut out, "courant_scheduled_articles", "Articles scheduled to publish.", counts.scheduled as f64);
    }
    if let Ok(next) = app.store.next_scheduled().await {
        let overdue = next.map_or(0.0, |at| (time::OffsetDateTime::now_utc() - at).as_seconds_f64().max(0.0));
        gauge(&mut out, "courant_scheduler_overdue_seconds", "How late the oldest due scheduled article is.", overdue);
    }
    if let Ok(pending) = app.store.pending_deliveries().await {
        gauge(&mut out, "courant_webhook_deliveries_pending", "Webhook deliveries waiting to be sent.", pending as f64);
    }
    if let Ok(last) = app.store.last_change().await {
        let lag = (last - app.search.applied_change()).max(0);
        gauge(
            &mut out,
            "courant_search_index_lag_changes",
            "Changes of the store the search index has not applied.",
            lag as f64,
        );
    }
    if let Some(bytes) = resident_bytes() {
        gauge(&mut out, "process_resident_memory_bytes", "Resident memory of the process.", bytes as f64);
    }
    let mut response = out.into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"));
    response
}

fn family(out: &mut String, name: &str, kind: &str, help: &str) {
    let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} {kind}");
}

fn gauge(out: &mut String, name: &str, help: &str, value: f64) {
    family(out, name, "gauge", help);
    let _ = writeln!(out, "{name} {value}");
}

/// The process's resident memory, from `/proc/self/statm` (Linux).
fn resident_bytes() -> Option<u64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * 4096)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_told_apart_by_their_shape() {
        let of = |p: &str| KINDS[kind(p)];
        assert_eq!(of("/"), "home");
        assert_eq!(of("/news/2026/11/25/a-story"), "article");
        assert_eq!(of("/news/europe/2026/11/25/a-story"), "article");
        assert_eq!(of("/news"), "listing");
        assert_eq!(of("/tag/public-spending"), "listing");
        assert_eq!(of("/rss.xml"), "feed");
        assert_eq!(of("/sitemaps/articles-2026-11.xml"), "feed");
        assert_eq!(of("/api/v1/articles"), "api");
        assert_eq!(of("/newsroom/articles/4"), "newsroom");
        assert_eq!(of("/media/ab/abcdef.jpg"), "media");
        assert_eq!(of("/healthz"), "other");
    }

    #[test]
    fn histograms_are_written_cumulatively() {
        let h = Histogram::default();
        for ms in [0.2, 0.7, 3.0, 3.5, 20_000.0] {
            h.observe(Duration::from_secs_f64(ms / 1000.0));
        }
        let mut out = String::new();
        h.write(&mut out, "x", "kind=\"home\",");
        assert!(out.contains("x_bucket{kind=\"home\",le=\"0.0005\"} 1\n"), "{out}");
        assert!(out.contains("x_bucket{kind=\"home\",le=\"0.001\"} 2\n"), "{out}");
        assert!(out.contains("x_bucket{kind=\"home\",le=\"0.005\"} 4\n"), "{out}");
        assert!(out.contains("x_bucket{kind=\"home\",le=\"10\"} 4\n"), "{out}");
        assert!(out.contains("x_bucket{kind=\"home\",le=\"+Inf\"} 5\n"), "{out}");
        assert!(out.contains("x_count{kind=\"home\"} 5\n"), "{out}");
    }
}

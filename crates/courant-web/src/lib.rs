//! The web application: the public site, the newsroom and the API as an axum
//! router over the store and the renderer. Handlers are thin: parse, load, render.

pub mod cache;
mod canonical;
pub mod cdn;
mod error;
mod error_pages;
pub mod files;
pub mod indexer;
mod limit;
pub mod metrics;
pub mod newsletters;
pub mod newsroom;
pub mod proxy;
pub mod related;
mod respond;
mod routes;
pub mod server;
pub mod tasks;
pub mod trending;
pub mod webhooks;
pub mod wire;

pub use error::AppError;
pub use limit::{ApiSettings, RateLimiter};

use axum::Router;
use axum::extract::Request;
use axum::middleware::{self, Next};
use axum::response::Response;
use courant_render::Renderer;
use courant_store::Store;
use std::sync::Arc;
use std::time::Instant;

/// The site's one stylesheet, embedded in the binary.
const SITE_CSS: &str = include_str!("../../../static/css/site.css");
/// The view beacon's script, embedded in the binary.
const BEACON_JS: &str = include_str!("../../../static/js/beacon.js");
/// The newsroom's stylesheet and script.
const NEWSROOM_CSS: &str = include_str!("../../../static/css/newsroom.css");
const NEWSROOM_JS: &str = include_str!("../../../static/js/newsroom.js");
/// The visual editor (ProseMirror), built from `editor/` by `scripts/build-editor`.
const EDITOR_JS: &str = include_str!("../../../static/js/editor.js");

/// The static files, by their content-hashed names: (name, content, content type). Named once
/// per process (hashing the editor's script takes a while; pages link these names).
pub(crate) fn static_assets() -> &'static [(String, &'static str, &'static str); 5] {
    static ASSETS: std::sync::LazyLock<[(String, &'static str, &'static str); 5]> = std::sync::LazyLock::new(|| {
        [
            (hashed("site", SITE_CSS, "css"), SITE_CSS, "text/css; charset=utf-8"),
            (hashed("beacon", BEACON_JS, "js"), BEACON_JS, "text/javascript; charset=utf-8"),
            (hashed("newsroom", NEWSROOM_CSS, "css"), NEWSROOM_CSS, "text/css; charset=utf-8"),
            (hashed("newsroom", NEWSROOM_JS, "js"), NEWSROOM_JS, "text/javascript; charset=utf-8"),
            (hashed("editor", EDITOR_JS, "js"), EDITOR_JS, "text/javascript; charset=utf-8"),
        ]
    });
    &ASSETS
}

/// The address of static file `i` of [`static_assets`].
fn static_url(i: usize) -> String {
    format!("/static/{}", static_assets()[i].0)
}

fn hashed(stem: &str, content: &str, extension: &str) -> String {
    format!("{stem}.{}.{extension}", courant_media::content_hash(content.as_bytes()))
}

/// Everything a request handler may use, shared by all requests.
#[derive(Clone)]
pub struct AppState(Arc<Inner>);

/// The parts of [`AppState`].
pub struct Inner {
    pub store: Store,
    /// The pages' renderer; replaced whole when an admin changes the publication's settings.
    renderer: std::sync::RwLock<Arc<Renderer>>,
    /// The settings of `courant.toml`, under what admins change in the newsroom.
    pub file_settings: courant_render::Settings,
    /// Where the picture files named in the store live: a folder or a bucket.
    pub files: files::MediaFiles,
    /// Requests per client address to the content API.
    pub api_limiter: RateLimiter,
    /// Views per client address a minute; a reader does not open more, a script does.
    pub beacon_limiter: RateLimiter,
    /// Full-text search and related articles.
    pub search: Arc<courant_search::SearchIndex>,
    /// View counts for "Others are reading now".
    pub trending: Arc<trending::Trending>,
    /// The newsroom's actions (every write the newsroom makes goes through them).
    pub newsroom: courant_newsroom::Newsroom,
    /// The newsroom's settings and pages.
    pub newsroom_settings: newsroom::NewsroomSettings,
    pub newsroom_templates: courant_render::newsroom::NewsroomTemplates,
    /// Public pages as finished bytes.
    pub cache: cache::PageCache,
    /// Pictures and their scaled copies, in memory.
    pub media: cache::FileCache,
    /// The `Cache-Control` of public pages: browsers revalidate, CDNs keep them a while.
    pub cache_control: axum::http::HeaderValue,
    /// The import admins started from the newsroom on this node.
    pub imports: newsroom::Imports,
    /// Newsletters: where mail goes, the email templates, the links' key.
    pub newsletters: newsletters::Newsletters,
}

impl AppState {
    /// State over an open store. `renderer` should be built with [`AppState::css_url`] as its
    /// stylesheet address.
    pub fn new(
        store: Store,
        renderer: Renderer,
        file_settings: courant_render::Settings,
        files: files::MediaFiles,
        api: &ApiSettings,
        search: Arc<courant_search::SearchIndex>,
        trending: trending::TrendingSettings,
        newsroom_settings: newsroom::NewsroomSettings,
        cache: cache::CacheSettings,
        newsletters: newsletters::Newsletters,
    ) -> Result<AppState, courant_render::RenderError> {
        let api_limiter = RateLimiter::new(api.requests_per_minute);
        let beacon_limiter = RateLimiter::new(60);
        let trending = Arc::new(trending::Trending::new(trending));
        let newsroom_templates = courant_render::newsroom::NewsroomTemplates::new()?;
        let cache_control = axum::http::HeaderValue::from_str(&format!(
            "public, max-age=0, s-maxage={}, stale-while-revalidate=30",
            cache.cdn_seconds
        ))
        .unwrap_or_else(|_| axum::http::HeaderValue::from_static("public, max-age=0"));
        let media = cache::FileCache::new(if cache.enabled { cache.media_mb } else { 0 });
        let cache = cache::PageCache::new(cache);
        let newsroom = courant_newsroom::Newsroom::new(store.clone(), Arc::new(files.clone()));
        Ok(AppState(Arc::new(Inner {
            store,
            renderer: std::sync::RwLock::new(Arc::new(renderer)),
            file_settings,
            files,
            api_limiter,
            beacon_limiter,
            search,
            trending,
            newsroom,
            newsroom_settings,
            newsroom_templates,
            cache,
            media,
            cache_control,
            imports: newsroom::Imports::default(),
            newsletters,
        })))
    }

    /// The address of the stylesheet, which changes whenever its content does.
    pub fn css_url() -> String {
        format!("/static/{}", css_name())
    }

    /// The address of the view beacon's script, which changes whenever its content does.
    pub fn beacon_url() -> String {
        static_url(1)
    }
}

impl AppState {
    /// The renderer in force.
    pub fn renderer(&self) -> Arc<Renderer> {
        self.0.renderer.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Puts an admin's settings in force over the file's: the next page rendered shows them.
    pub fn apply_settings(
        &self,
        settings: &courant_render::PublicationSettings,
    ) -> Result<(), courant_render::RenderError> {
        let renderer = Renderer::new(settings.apply(&self.file_settings), AppState::css_url(), AppState::beacon_url())?;
        renderer.set_footer(&self.renderer().footer());
        *self.0.renderer.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(renderer);
        Ok(())
    }

    /// Reads the publication's own pages the footer links: when the server starts, and when the
    /// change log says the site changed (on every node).
    pub async fn reload_footer(&self) -> Result<(), courant_store::StoreError> {
        let pages = self.store.site_pages().await?;
        let links: Vec<(String, String)> =
            pages.into_iter().filter(|p| p.in_footer).map(|p| (p.title, p.slug)).collect();
        self.renderer().set_footer(&links);
        Ok(())
    }

    /// The address of the newsroom's stylesheet.
    pub fn newsroom_css_url() -> String {
        static_url(2)
    }

    /// The address of the newsroom's script.
    pub fn newsroom_js_url() -> String {
        static_url(3)
    }

    /// The address of the visual editor's script.
    pub fn editor_js_url() -> String {
        static_url(4)
    }
}

impl std::ops::Deref for AppState {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}

fn css_name() -> String {
    static_assets()[0].0.clone()
}

/// The whole application: every route, with error pages, the page cache and request logging
/// applied once.
pub fn router(state: AppState) -> Router {
    let inner: Router = routes::routes(state.clone())
        .layer(middleware::from_fn_with_state(state.clone(), error_pages::render))
        .with_state(state.clone());
    // The cache answers before any route is matched: a hit costs no path parsing.
    Router::new()
        .fallback_service(inner.clone())
        .layer(middleware::from_fn_with_state((state, inner), cache::serve))
        .layer(middleware::from_fn(security_headers))
        .layer(middleware::from_fn(log_request))
}

/// Headers every response carries: no content-type sniffing, no framing by other sites, and
/// referrers that do not leak full URLs to other origins.
async fn security_headers(request: Request, next: Next) -> Response {
    use axum::http::{HeaderValue, header};
    let mut response = next.run(request).await;
    let h = response.headers_mut();
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("SAMEORIGIN"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("strict-origin-when-cross-origin"));
    response
}

/// One log line per request: method, path (never the query, which may carry secrets later),
/// status and duration.
async fn log_request(request: Request, next: Next) -> Response {
    // Nothing is copied when the line would not be written (a page served from memory takes
    // a few microseconds; the log is off in benchmarks, as nginx's access log is).
    if !tracing::enabled!(target: "courant::request", tracing::Level::INFO) {
        return next.run(request).await;
    }
    let started = Instant::now();
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let response = next.run(request).await;
    tracing::info!(
        target: "courant::request",
        %method,
        path,
        status = response.status().as_u16(),
        micros = started.elapsed().as_micros() as u64,
        "request"
    );
    response
}

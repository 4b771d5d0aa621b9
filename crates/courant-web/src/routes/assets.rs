//! Files that are not pages: the stylesheet, stored images, and the health check.

use crate::{AppError, AppState};
use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

/// Content-hashed files never change under their name.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/static/logo.svg", get(logo))
        .route("/static/logo.png", get(mark))
        .route("/static/social.png", get(mark))
        .route("/static/icon-192.png", get(mark))
        .route("/static/icon-512.png", get(mark))
        .route("/apple-touch-icon.png", get(mark))
        .route("/favicon.ico", get(mark))
        .route("/manifest.webmanifest", get(manifest))
        .route("/static/{file}", get(stylesheet))
        .route("/media/{*file}", get(media))
}

/// `GET /healthz`: 200 when the store answers, 503 otherwise.
async fn healthz(State(app): State<AppState>) -> Result<Response, AppError> {
    // Whatever keeps the store from answering, this node cannot serve: unavailable.
    app.store.ping().await.map_err(|e| AppError::Unavailable(Box::new(e)))?;
    Ok((StatusCode::OK, "ok\n").into_response())
}

/// `GET /static/{name}.{hash}.{ext}`: the stylesheet and scripts, under their current names only.
async fn stylesheet(Path(file): Path<String>) -> Result<Response, AppError> {
    let (_, content, content_type) =
        crate::static_assets().iter().find(|(name, _, _)| *name == file).ok_or(AppError::NotFound)?;
    let (content, content_type): (&'static str, &'static str) = (content, content_type);
    Ok((
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
            (header::CACHE_CONTROL, HeaderValue::from_static(IMMUTABLE)),
        ],
        content,
    )
        .into_response())
}

/// `GET /static/logo.svg`: the publication's name as a wordmark, for structured data.
async fn logo(State(app): State<AppState>) -> Response {
    let title = app.renderer().site().title.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
    let svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"600\" height=\"60\" viewBox=\"0 0 600 60\">\
         <rect width=\"600\" height=\"60\" fill=\"#ffffff\"/>\
         <text x=\"300\" y=\"42\" text-anchor=\"middle\" font-family=\"Georgia, serif\" font-size=\"36\" \
         font-weight=\"bold\" fill=\"#1a1a1a\" textLength=\"560\" lengthAdjust=\"spacingAndGlyphs\">{title}</text></svg>"
    );
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static("image/svg+xml")),
            (header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=3600")),
        ],
        svg,
    )
        .into_response()
}

/// The publication's generated marks (see `courant_media::brand`), made from its name the first
/// time one is asked for and again when the name changes.
struct Marks {
    name: String,
    files: Vec<(&'static str, &'static str, Bytes)>,
}

fn marks(name: &str) -> Result<std::sync::Arc<Marks>, AppError> {
    use courant_media::brand;
    static MADE: std::sync::Mutex<Option<std::sync::Arc<Marks>>> = std::sync::Mutex::new(None);
    let mut made = MADE.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(m) = made.as_ref().filter(|m| m.name == name) {
        return Ok(m.clone());
    }
    let failed = |e| AppError::internal("drawing the publication's icons", e);
    let png = |e: courant_media::Encoded| Bytes::from(e.bytes);
    let mut files = vec![
        ("/static/social.png", "image/png", png(brand::social_png(name).map_err(failed)?)),
        ("/static/icon-192.png", "image/png", png(brand::icon_png(name, 192).map_err(failed)?)),
        ("/static/icon-512.png", "image/png", png(brand::icon_png(name, 512).map_err(failed)?)),
        ("/apple-touch-icon.png", "image/png", png(brand::icon_png(name, 180).map_err(failed)?)),
        ("/favicon.ico", "image/x-icon", Bytes::from(brand::favicon_ico(name).map_err(failed)?)),
    ];
    // A name the font cannot draw has the SVG wordmark only (see `Renderer::new`).
    if brand::can_draw(name) {
        files.push(("/static/logo.png", "image/png", png(brand::logo_png(name).map_err(failed)?)));
    }
    let m = std::sync::Arc::new(Marks { name: name.to_string(), files });
    *made = Some(m.clone());
    Ok(m)
}

/// `GET /favicon.ico`, `/apple-touch-icon.png`, `/static/icon-{192,512}.png`,
/// `/static/logo.png` and `/static/social.png`: the publication's generated marks.
async fn mark(State(app): State<AppState>, uri: axum::http::Uri) -> Result<Response, AppError> {
    let marks = marks(&app.renderer().site().title)?;
    let (_, content_type, bytes) =
        marks.files.iter().find(|(path, _, _)| *path == uri.path()).ok_or(AppError::NotFound)?;
    Ok((
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
            (header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=86400")),
        ],
        bytes.clone(),
    )
        .into_response())
}

/// `GET /manifest.webmanifest`: what a phone needs to put the site on its home screen.
async fn manifest(State(app): State<AppState>) -> Response {
    let renderer = app.renderer();
    let site = renderer.site();
    let icon = |side: u32| serde_json::json!({ "src": format!("/static/icon-{side}.png"), "sizes": format!("{side}x{side}"), "type": "image/png" });
    let body = serde_json::json!({
        "name": site.title,
        "short_name": site.title,
        "description": site.description,
        "lang": site.locale,
        "start_url": "/",
        "scope": "/",
        "display": "minimal-ui",
        "background_color": "#ffffff",
        "theme_color": "#b00020",
        "icons": [icon(192), icon(512)],
    });
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static("application/manifest+json")),
            (header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=3600")),
        ],
        body.to_string(),
    )
        .into_response()
}

/// `GET /media/{file}`: a stored image, or a crop (`file.jpg.16x9.jpg`) or scaled copy
/// (`file.jpg.w640.jpg`) of one, made on first request and kept beside the original. Names
/// derive from content, so they are cached forever, here in memory (up to `cache.media_mb`)
/// and by browsers.
async fn media(
    State(app): State<AppState>,
    Path(file): Path<String>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let safe = !file.is_empty()
        && file.len() < 200
        && !file.contains("..")
        && !file.starts_with('/')
        && file.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'/' | b'.' | b'-' | b'_'));
    let content_type = courant_media::content_type(&file).filter(|_| safe).ok_or(AppError::NotFound)?;
    // The name is the content's, so it is the ETag: a client that has it has this very file,
    // and is answered before any reading or scaling.
    let etag = HeaderValue::from_str(&format!("\"{file}\"")).map_err(|_| AppError::NotFound)?;
    let revalidated = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|tags| tags.split(',').any(|t| t.trim().trim_start_matches("W/").as_bytes() == etag.as_bytes()));
    if revalidated {
        let mut response = StatusCode::NOT_MODIFIED.into_response();
        response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static(IMMUTABLE));
        response.headers_mut().insert(header::ETAG, etag);
        return Ok(response);
    }
    let bytes = match app.media.get(&file) {
        Some(bytes) => bytes,
        None => {
            let bytes = match app.files.read(&file).await {
                Ok(Some(b)) => b,
                Ok(None) => match courant_media::parse_derived_file_name(&file) {
                    Some((original, derived)) => make_derived(&app, original, derived, &file).await?,
                    None => return Err(AppError::NotFound),
                },
                Err(e) => return Err(AppError::internal(format!("reading media {file}"), e)),
            };
            let bytes = Bytes::from(bytes);
            app.media.insert(&file, bytes.clone());
            bytes
        }
    };
    let mut response = Body::from(bytes).into_response();
    let h = response.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(IMMUTABLE));
    h.insert(header::ETAG, etag);
    Ok(response)
}

/// Makes a derived picture from its original and stores it (whole: a concurrent reader never
/// sees half a file).
async fn make_derived(
    app: &AppState,
    original: &str,
    derived: courant_media::Derived,
    target: &str,
) -> Result<Vec<u8>, AppError> {
    // Decoding and scaling is the costliest thing a reader can ask for: two at a time.
    static DERIVING: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(2);
    let _permit = DERIVING.acquire().await.map_err(|e| AppError::internal("the derivation queue is closed", e))?;
    // Another request may have made it while this one waited.
    if let Ok(Some(done)) = app.files.read(target).await {
        return Ok(done);
    }
    let source = match app.files.read(original).await {
        Ok(Some(b)) => b,
        Ok(None) => return Err(AppError::NotFound),
        Err(e) => return Err(AppError::internal(format!("reading media {original}"), e)),
    };
    let encoded = tokio::task::spawn_blocking(move || courant_media::make_derived(&source, derived))
        .await
        .map_err(|e| AppError::internal("the crop task failed", e))?
        .map_err(|e| AppError::internal(format!("deriving a picture from {original}"), e))?;
    if let Err(e) = app.files.write(target, &encoded.bytes).await {
        // Serving the crop matters more than keeping it; the next request tries again.
        tracing::warn!(error = %e, file = target, "could not store a crop");
    }
    Ok(encoded.bytes)
}

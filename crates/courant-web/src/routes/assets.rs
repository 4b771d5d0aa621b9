//! Files that are not pages: the stylesheet, stored images, and the health check.

use crate::{AppError, AppState, SITE_CSS};
use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

/// Content-hashed files never change under their name.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/static/{file}", get(stylesheet))
        .route("/media/{*file}", get(media))
}

/// `GET /healthz`: 200 when the store answers, 503 otherwise.
async fn healthz(State(app): State<AppState>) -> Response {
    match app.store.ping().await {
        Ok(()) => (StatusCode::OK, "ok\n").into_response(),
        Err(e) => {
            tracing::warn!(error = %e, "health check failed");
            (StatusCode::SERVICE_UNAVAILABLE, "store unavailable\n").into_response()
        }
    }
}

/// `GET /static/site.{hash}.css`: the stylesheet under its current name only.
async fn stylesheet(State(app): State<AppState>, Path(file): Path<String>) -> Result<Response, AppError> {
    if file != app.css_name {
        return Err(AppError::NotFound);
    }
    Ok((
        [
            (header::CONTENT_TYPE, HeaderValue::from_static("text/css; charset=utf-8")),
            (header::CACHE_CONTROL, HeaderValue::from_static(IMMUTABLE)),
        ],
        SITE_CSS,
    )
        .into_response())
}

/// `GET /media/{file}`: a stored image. Names are content hashes, so they are cached forever.
async fn media(State(app): State<AppState>, Path(file): Path<String>) -> Result<Response, AppError> {
    let safe = !file.is_empty()
        && file.len() < 200
        && !file.contains("..")
        && !file.starts_with('/')
        && file.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'/' | b'.' | b'-' | b'_'));
    let content_type = courant_media::content_type(&file).filter(|_| safe).ok_or(AppError::NotFound)?;
    let bytes = match tokio::fs::read(app.media_dir.join(&file)).await {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(AppError::NotFound),
        Err(e) => return Err(AppError::Internal(format!("reading media {file}: {e}"))),
    };
    Ok((
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
            (header::CACHE_CONTROL, HeaderValue::from_static(IMMUTABLE)),
        ],
        bytes,
    )
        .into_response())
}

//! The one place that maps failures to HTTP statuses and error pages.

use crate::AppState;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// Why a request failed, as far as the reader is concerned.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    /// The content existed and was withdrawn.
    #[error("gone")]
    Gone,
    #[error("bad request: {0}")]
    BadRequest(String),
    /// The store cannot be reached; the reader should retry.
    #[error("unavailable: {0}")]
    Unavailable(String),
    #[error("internal error: {0}")]
    Internal(String),
}

impl AppError {
    fn status(&self) -> StatusCode {
        match self {
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Gone => StatusCode::GONE,
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl From<courant_store::StoreError> for AppError {
    fn from(e: courant_store::StoreError) -> Self {
        if e.is_unavailable() { AppError::Unavailable(e.to_string()) } else { AppError::Internal(e.to_string()) }
    }
}

impl From<courant_render::RenderError> for AppError {
    fn from(e: courant_render::RenderError) -> Self {
        AppError::Internal(e.to_string())
    }
}

/// Marks a response as an error still to be turned into a page.
#[derive(Clone, Copy)]
struct Unrendered;

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        match &self {
            AppError::Internal(cause) | AppError::Unavailable(cause) => {
                tracing::error!(error = %cause, "request failed");
            }
            AppError::BadRequest(why) => tracing::debug!(why, "bad request"),
            AppError::NotFound | AppError::Gone => {}
        }
        let status = self.status();
        let mut response = match self {
            AppError::BadRequest(why) => (status, why).into_response(),
            _ => status.into_response(),
        };
        response.extensions_mut().insert(Unrendered);
        response
    }
}

/// Gives every error response the site's error page, with the sections to find a way back.
/// Bad requests keep their own message, which says what was wrong.
pub(crate) async fn render_error_pages(State(app): State<AppState>, request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    if response.extensions().get::<Unrendered>().is_none() {
        return response;
    }
    let status = response.status();
    if status == StatusCode::BAD_REQUEST {
        let mut r = response;
        r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain; charset=utf-8"));
        return r;
    }
    // An error page must not fail for the reason the page failed: without sections, show none.
    let nav = app.store.sections().await.unwrap_or_default();
    match app.renderer.error_page(status.as_u16(), &nav) {
        Ok(html) => crate::routes::html_response(status, html),
        Err(e) => {
            tracing::error!(error = %e, "error page failed to render");
            (status, "This page is not available.").into_response()
        }
    }
}

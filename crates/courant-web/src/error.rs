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
    /// A query parameter of the API is malformed; names the parameter.
    #[error("invalid parameter {name}: {message}")]
    InvalidParameter { name: &'static str, message: String },
    /// The client sent too many requests; it may try again after this many seconds.
    #[error("rate limited")]
    TooManyRequests { retry_after: u64 },
    /// The store cannot be reached; the reader should retry.
    #[error("unavailable: {0}")]
    Unavailable(String),
    #[error("internal error: {0}")]
    Internal(String),
}

impl AppError {
    /// The stable code clients of the API test for.
    fn code(&self) -> &'static str {
        match self {
            AppError::NotFound => "not_found",
            AppError::Gone => "gone",
            AppError::BadRequest(_) => "bad_request",
            AppError::InvalidParameter { .. } => "invalid_parameter",
            AppError::TooManyRequests { .. } => "rate_limited",
            AppError::Unavailable(_) => "unavailable",
            AppError::Internal(_) => "internal",
        }
    }

    /// What the client is told: never internal causes.
    fn public_message(&self) -> String {
        match self {
            AppError::NotFound => "Nothing is published at this address.".into(),
            AppError::Gone => "This story has been withdrawn.".into(),
            AppError::BadRequest(why) => why.clone(),
            AppError::InvalidParameter { name, message } => format!("The parameter `{name}` {message}"),
            AppError::TooManyRequests { retry_after } => {
                format!("Too many requests from your address; try again in {retry_after} seconds.")
            }
            AppError::Unavailable(_) => "The service is briefly unavailable; try again in a moment.".into(),
            AppError::Internal(_) => "Something went wrong on our side.".into(),
        }
    }

    fn status(&self) -> StatusCode {
        match self {
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Gone => StatusCode::GONE,
            AppError::BadRequest(_) | AppError::InvalidParameter { .. } => StatusCode::BAD_REQUEST,
            AppError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
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

/// Marks a response as an error still to be turned into a page (or, for the API, JSON).
#[derive(Clone)]
struct Unrendered {
    code: &'static str,
    message: String,
    parameter: Option<&'static str>,
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        match &self {
            AppError::Internal(cause) | AppError::Unavailable(cause) => {
                tracing::error!(error = %cause, "request failed");
            }
            AppError::BadRequest(why) => tracing::debug!(why, "bad request"),
            AppError::InvalidParameter { name, message } => tracing::debug!(name, message, "bad parameter"),
            AppError::NotFound | AppError::Gone | AppError::TooManyRequests { .. } => {}
        }
        let status = self.status();
        let unrendered = Unrendered {
            code: self.code(),
            message: self.public_message(),
            parameter: match &self {
                AppError::InvalidParameter { name, .. } => Some(name),
                _ => None,
            },
        };
        let mut response = match &self {
            AppError::BadRequest(why) => (status, why.clone()).into_response(),
            _ => status.into_response(),
        };
        if let AppError::TooManyRequests { retry_after } = self {
            response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(retry_after));
        }
        response.extensions_mut().insert(unrendered);
        response
    }
}

/// Gives every error response the site's error page, with the sections to find a way back.
/// Bad requests keep their own message, which says what was wrong.
pub(crate) async fn render_error_pages(State(app): State<AppState>, request: Request, next: Next) -> Response {
    let api = request.uri().path().starts_with("/api/");
    let mut response = next.run(request).await;
    let Some(error) = response.extensions_mut().remove::<Unrendered>() else {
        return response;
    };
    let status = response.status();
    if api {
        // The API answers in JSON, with a code clients can test and never a page.
        let mut body = serde_json::json!({ "error": error.code, "message": error.message });
        if let Some(p) = error.parameter {
            body["parameter"] = serde_json::Value::from(p);
        }
        let mut json = (status, body.to_string()).into_response();
        for (name, value) in response.headers() {
            if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
                json.headers_mut().insert(name.clone(), value.clone());
            }
        }
        json.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
        return json;
    }
    if status == StatusCode::BAD_REQUEST {
        // The message says what was wrong and how to ask instead.
        let mut r = (status, error.message).into_response();
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

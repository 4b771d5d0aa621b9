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
    /// The user may not do this; says why.
    #[error("forbidden: {0}")]
    Forbidden(String),
    /// A request the newsroom refuses with a status of its own (409, 413, 422), a heading, a
    /// message and what it concerns (what uses a thing, what an article lacks).
    #[error("refused ({status}): {message}")]
    Refused { status: u16, heading: String, message: String, items: Vec<String> },
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
            AppError::Forbidden(_) => "forbidden",
            AppError::Refused { status: 409, .. } => "conflict",
            AppError::Refused { status: 413, .. } => "too_large",
            AppError::Refused { .. } => "refused",
            AppError::Unavailable(_) => "unavailable",
            AppError::Internal(_) => "internal",
        }
    }

    /// What the client is told: never internal causes.
    fn public_message(&self) -> String {
        match self {
            AppError::NotFound => "Nothing is published at this address.".into(),
            AppError::Gone => "This story has been withdrawn.".into(),
            AppError::BadRequest(why) | AppError::Forbidden(why) => why.clone(),
            AppError::Refused { message, .. } => message.clone(),
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
            AppError::Forbidden(_) => StatusCode::FORBIDDEN,
            AppError::Refused { status, .. } => StatusCode::from_u16(*status).unwrap_or(StatusCode::BAD_REQUEST),
            AppError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl From<courant_store::StoreError> for AppError {
    fn from(e: courant_store::StoreError) -> Self {
        use courant_store::StoreError as S;
        match e {
            e if e.is_unavailable() => AppError::Unavailable(e.to_string()),
            S::NotFound(what) => AppError::Refused {
                status: 404,
                heading: "Not found".into(),
                message: format!("The {what} does not exist (any more)."),
                items: Vec::new(),
            },
            S::Invalid(invalid) => AppError::Refused {
                status: 422,
                heading: "Not saved".into(),
                message: invalid.to_string(),
                items: Vec::new(),
            },
            S::InUse { what, used_by } => AppError::Refused {
                status: 409,
                heading: format!("The {what} is in use"),
                message: format!("The {what} cannot be deleted while these use it:"),
                items: used_by,
            },
            S::Transition { from, to } => AppError::Refused {
                status: 409,
                heading: "Not possible".into(),
                message: format!("An article cannot go from {from} to {to}."),
                items: Vec::new(),
            },
            e => AppError::Internal(e.to_string()),
        }
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
    /// For the newsroom's page: a heading and a list.
    heading: Option<String>,
    items: Vec<String>,
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        match &self {
            AppError::Internal(cause) | AppError::Unavailable(cause) => {
                tracing::error!(error = %cause, "request failed");
            }
            AppError::BadRequest(why) => tracing::debug!(why, "bad request"),
            AppError::InvalidParameter { name, message } => tracing::debug!(name, message, "bad parameter"),
            AppError::Forbidden(why) => tracing::info!(why, "forbidden"),
            AppError::Refused { status, message, .. } => tracing::debug!(status, message, "refused"),
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
            heading: match &self {
                AppError::Refused { heading, .. } => Some(heading.clone()),
                AppError::Forbidden(_) => Some("Not allowed".into()),
                _ => None,
            },
            items: match &self {
                AppError::Refused { items, .. } => items.clone(),
                _ => Vec::new(),
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
    let newsroom = request.uri().path().starts_with("/newsroom");
    let mut response = next.run(request).await;
    let Some(error) = response.extensions_mut().remove::<Unrendered>() else {
        return response;
    };
    let status = response.status();
    if newsroom {
        let heading = error.heading.clone().unwrap_or_else(|| match status {
            StatusCode::NOT_FOUND => "Not found".into(),
            StatusCode::BAD_REQUEST => "Not understood".into(),
            _ => "Something went wrong".into(),
        });
        return crate::newsroom::message_page(&app, status, &heading, &error.message, &error.items);
    }
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
    match app.renderer().error_page(status.as_u16(), &nav) {
        Ok(html) => crate::routes::html_response(status, html),
        Err(e) => {
            tracing::error!(error = %e, "error page failed to render");
            (status, "This page is not available.").into_response()
        }
    }
}

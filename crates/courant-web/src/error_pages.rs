//! The pages errors are shown on: the site's error page (with the sections, to find a way
//! back), the newsroom's message page, and JSON for the API and for scripts that ask for it.
//! A layer over every route: handlers return an [`AppError`](crate::AppError), which chose the
//! status and left what to say on the response; this layer chooses the page.

use crate::AppState;
use crate::error::Unrendered;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// Gives every error response its page. Bad requests on the site keep their own message (in
/// plain text), which says what was wrong.
pub(crate) async fn render(State(app): State<AppState>, request: Request, next: Next) -> Response {
    let path = request.uri().path();
    let newsroom = path.starts_with("/newsroom");
    // The API answers in JSON, and so does the newsroom to its own scripts (autosave, lookups).
    let json = path.starts_with("/api/")
        || (newsroom
            && request
                .headers()
                .get(header::ACCEPT)
                .is_some_and(|v| v.to_str().is_ok_and(|a| a.starts_with("application/json"))));
    // An address the site does not know may be an imported story's old one.
    let old = (!newsroom && !json && matches!(*request.method(), Method::GET | Method::HEAD))
        .then(|| request.uri().path().trim_end_matches('/').to_string());
    let mut response = next.run(request).await;
    let Some(error) = response.extensions_mut().remove::<Unrendered>() else {
        return response;
    };
    let status = response.status();
    if status == StatusCode::NOT_FOUND
        && let Some(old) = old
    {
        match crate::routes::site::old_address(&app, &old).await {
            Ok(Some(moved)) => return moved,
            Ok(None) => {}
            Err(e) => tracing::warn!(error = %e, "cannot look up old addresses"),
        }
    }
    if json {
        // A code clients can test, and never a page.
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
    if newsroom {
        let heading = error.heading.clone().unwrap_or_else(|| match status {
            StatusCode::NOT_FOUND => "Not found".into(),
            StatusCode::BAD_REQUEST => "Not understood".into(),
            _ => "Something went wrong".into(),
        });
        let message = match error.code {
            "not_found" => "Nothing is at this address (any more): it may have been deleted.".into(),
            _ => error.message,
        };
        return crate::newsroom::message_page(&app, status, &heading, &message, &error.items);
    }
    if status == StatusCode::BAD_REQUEST {
        // The message says what was wrong and how to ask instead.
        let mut r = (status, error.message).into_response();
        r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain; charset=utf-8"));
        return r;
    }
    // An error page must not fail for the reason the page failed: without sections, show none.
    let nav = app.cache.lists.sections(&app.store).await.map(|s| s.to_vec()).unwrap_or_default();
    match app.renderer().error_page(status.as_u16(), &nav) {
        Ok(html) => crate::respond::html(status, html),
        Err(e) => {
            tracing::error!(error = %e, "error page failed to render");
            (status, "This page is not available.").into_response()
        }
    }
}

//! Small builders of responses that every layer uses (pages, JSON, redirects after a post).
//! They depend on nothing of the application, so any module may use them.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

/// An HTML page with its status.
pub(crate) fn html(status: StatusCode, html: String) -> Response {
    with_type((status, html).into_response(), "text/html; charset=utf-8")
}

/// A JSON document (already serialised) with 200 OK.
pub(crate) fn json(body: String) -> Response {
    with_type(body.into_response(), "application/json")
}

/// A 303 See Other to `to`: after a post, the browser loads the result with GET.
pub(crate) fn see_other(to: &str) -> Response {
    let mut r = StatusCode::SEE_OTHER.into_response();
    if let Ok(v) = HeaderValue::from_str(to) {
        r.headers_mut().insert(header::LOCATION, v);
    }
    r
}

fn with_type(mut r: Response, content_type: &'static str) -> Response {
    r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    r
}

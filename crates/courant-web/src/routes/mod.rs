//! Routes of the application, one module per area, merged here.

mod assets;
mod site;

use crate::AppState;
use axum::Router;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

pub(crate) fn routes() -> Router<AppState> {
    Router::new().merge(assets::routes()).merge(site::routes())
}

/// An HTML page with its status.
pub(crate) fn html_response(status: StatusCode, html: String) -> Response {
    let mut r = (status, html).into_response();
    r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
    r
}

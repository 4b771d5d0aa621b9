//! Routes of the application, one module per area, merged here.

mod api;
mod assets;
mod beacon;
mod feeds;
mod search;
pub(crate) mod site;

use crate::AppState;
use axum::Router;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

pub(crate) fn routes(state: AppState) -> Router<AppState> {
    Router::new()
        .merge(api::routes(state.clone()))
        .merge(assets::routes())
        .merge(beacon::routes())
        .merge(feeds::routes())
        .merge(search::routes())
        .merge(crate::newsroom::routes(state.clone()))
        .merge(crate::newsletters::public::routes())
        .merge(site::routes())
}

/// The format of HTTP dates (IMF-fixdate), e.g. `Wed, 25 Nov 2026 22:00:00 GMT`.
const HTTP_DATE: &[time::format_description::BorrowedFormatItem<'static>] = time::macros::format_description!(
    "[weekday repr:short], [day] [month repr:short] [year] [hour]:[minute]:[second] GMT"
);

/// A response that validates: a strong ETag from the body, Last-Modified when known, and 304
/// Not Modified when the request's `If-None-Match` (or, without it, `If-Modified-Since`)
/// shows the client already has it.
pub(crate) fn cacheable(
    request: &HeaderMap,
    body: Vec<u8>,
    content_type: &'static str,
    last_modified: Option<time::OffsetDateTime>,
) -> Response {
    let etag = format!("\"{}\"", crate::cache::body_hash(&body));
    let last_modified = last_modified.map(|t| t.to_offset(time::UtcOffset::UTC).replace_nanosecond(0).unwrap_or(t));
    let not_modified = match request.get(header::IF_NONE_MATCH).and_then(|v| v.to_str().ok()) {
        Some(tags) => tags.split(',').any(|t| {
            let t = t.trim();
            t == "*" || t.trim_start_matches("W/") == etag
        }),
        None => match (request.get(header::IF_MODIFIED_SINCE).and_then(|v| v.to_str().ok()), last_modified) {
            (Some(since), Some(modified)) => time::PrimitiveDateTime::parse(since, HTTP_DATE)
                .map(|since| modified <= since.assume_utc())
                .unwrap_or(false),
            _ => false,
        },
    };
    let mut response =
        if not_modified { StatusCode::NOT_MODIFIED.into_response() } else { (StatusCode::OK, body).into_response() };
    let h = response.headers_mut();
    if !not_modified {
        h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    }
    if let Ok(v) = HeaderValue::from_str(&etag) {
        h.insert(header::ETAG, v);
    }
    if let Some(v) = last_modified.and_then(|t| t.format(HTTP_DATE).ok()).and_then(|s| HeaderValue::from_str(&s).ok()) {
        h.insert(header::LAST_MODIFIED, v);
    }
    response
}

//! The view beacon: `POST /beacon` from the page's script, `GET /beacon.gif?a=ID` from the
//! `<noscript>` image. Both answer at once and tell nothing back; whether a view counted is
//! decided by `trending` (see there for what is ignored and why).

use crate::trending::{BEACON_TYPE, Reader, is_bot};
use crate::{AppError, AppState};
use axum::Router;
use axum::body::Bytes;
use axum::extract::{ConnectInfo, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use courant_core::{ArticleId, Status};
use courant_store::ArticlePlace;
use std::collections::HashMap;
use std::net::SocketAddr;

/// The smallest transparent GIF.
const PIXEL: &[u8] = &[
    0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x01, 0x00, 0x01, 0x00, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff,
    0x21, 0xf9, 0x04, 0x01, 0x00, 0x00, 0x00, 0x00, 0x2c, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x02,
    0x02, 0x44, 0x01, 0x00, 0x3b,
];

pub(super) fn routes() -> Router<AppState> {
    Router::new().route("/beacon", post(beacon)).route("/beacon.gif", get(pixel))
}

fn header<'a>(headers: &'a HeaderMap, name: &str) -> &'a str {
    headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or("")
}

/// Counts the view if it is one: a person's browser, not a prefetch, a published article.
async fn count(app: &AppState, headers: &HeaderMap, peer: Option<SocketAddr>, id: &str) -> Result<(), AppError> {
    let user_agent = header(headers, "user-agent");
    let prefetch = ["sec-purpose", "purpose", "x-moz", "x-purpose"]
        .iter()
        .any(|h| header(headers, h).contains("prefetch") || header(headers, h).contains("prerender"));
    if is_bot(user_agent) || prefetch {
        return Ok(());
    }
    let address = peer.map_or(std::net::IpAddr::from([0, 0, 0, 0]), |p| p.ip());
    if app.beacon_limiter.check(address).is_err() {
        // More views a minute than anyone reads: not counted, and not told.
        return Ok(());
    }
    let Ok(id) = id.trim().parse::<i64>() else { return Ok(()) };
    let Some(ArticlePlace { status: Status::Published, root_section: root }) =
        app.store.article_status(ArticleId(id)).await?
    else {
        return Ok(());
    };
    let reader = Reader { address, user_agent };
    app.trending.record(ArticleId(id), root, &reader, time::OffsetDateTime::now_utc());
    Ok(())
}

/// `POST /beacon` with the article id as a body of type `application/x-courant-view`.
async fn beacon(
    State(app): State<AppState>,
    peer: Option<axum::Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    if header(&headers, "content-type").starts_with(BEACON_TYPE) && body.len() <= 32 {
        count(&app, &headers, peer.map(|p| (p.0).0), &String::from_utf8_lossy(&body)).await?;
    }
    Ok(no_store(StatusCode::NO_CONTENT.into_response()))
}

/// `GET /beacon.gif?a=ID`: the same, for browsers without JavaScript (which fetch images with
/// `Sec-Fetch-Dest: image`; scripts and crawlers fetching the URL do not).
async fn pixel(
    State(app): State<AppState>,
    peer: Option<axum::Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    if header(&headers, "sec-fetch-dest") == "image"
        && let Some(id) = q.get("a")
    {
        count(&app, &headers, peer.map(|p| (p.0).0), id).await?;
    }
    Ok(no_store(([(header::CONTENT_TYPE, HeaderValue::from_static("image/gif"))], PIXEL).into_response()))
}

fn no_store(mut r: Response) -> Response {
    r.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

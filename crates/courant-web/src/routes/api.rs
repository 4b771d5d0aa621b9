//! The content API: read-only JSON for partners and apps, under `/api/v1/`. Every answer has an
//! ETag (304 on a match), CORS headers for browsers, and a per-address rate limit; errors are
//! JSON with a stable code (see `error.rs`). The OpenAPI document at `/api/v1/openapi.json`
//! describes all of it, and the tests validate real answers against it.

use super::cacheable;
use crate::{AppError, AppState};
use axum::Router;
use axum::extract::{ConnectInfo, Path, Query, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use courant_core::{Article, ArticleId, Status};
use courant_render::view::{author_url, media_url, section_url, source_url, tag_url};
use courant_store::ArticleQuery;
use serde::Serialize;
use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// The OpenAPI 3.1 description of this API; `{server}` is replaced by the site's address.
const OPENAPI: &str = include_str!("openapi.json");
/// Articles per page unless `limit` says otherwise, and the most it may say.
const DEFAULT_LIMIT: i64 = 20;
const MAX_LIMIT: i64 = 100;

pub(super) fn routes(state: AppState) -> Router<AppState> {
    Router::new()
        .route("/api/v1/articles", get(list_articles))
        .route("/api/v1/articles/by-path", get(article_by_path))
        .route("/api/v1/articles/{id}", get(article_by_id))
        .route("/api/v1/sections", get(sections))
        .route("/api/v1/tags", get(tags))
        .route("/api/v1/authors", get(authors))
        .route("/api/v1/sources", get(sources))
        .route("/api/v1/search", get(super::search::api))
        .route("/api/v1/openapi.json", get(openapi))
        .route_layer(middleware::from_fn_with_state(state, rate_limit))
        .route_layer(middleware::from_fn(cors))
}

/// Lets any web page read the API (it is public and read-only), and answers preflights.
async fn cors(request: Request, next: Next) -> Response {
    let preflight = request.method() == Method::OPTIONS;
    let mut response = if preflight { StatusCode::NO_CONTENT.into_response() } else { next.run(request).await };
    let h = response.headers_mut();
    h.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*"));
    h.insert(header::ACCESS_CONTROL_EXPOSE_HEADERS, HeaderValue::from_static("ETag, Last-Modified, Retry-After"));
    if preflight {
        h.insert(header::ACCESS_CONTROL_ALLOW_METHODS, HeaderValue::from_static("GET, HEAD, OPTIONS"));
        h.insert(header::ACCESS_CONTROL_ALLOW_HEADERS, HeaderValue::from_static("If-None-Match, If-Modified-Since"));
        h.insert(header::ACCESS_CONTROL_MAX_AGE, HeaderValue::from_static("86400"));
    }
    response
}

/// Refuses a client address that has used up its allowance, with 429 and `Retry-After`.
async fn rate_limit(State(app): State<AppState>, request: Request, next: Next) -> Response {
    // The page cache in front took this request's token already.
    if request.extensions().get::<crate::cache::RateChecked>().is_some() {
        return next.run(request).await;
    }
    let ip = request.extensions().get::<ConnectInfo<SocketAddr>>().map_or(IpAddr::from([0, 0, 0, 0]), |c| c.0.ip());
    match app.api_limiter.check(ip) {
        Ok(()) => next.run(request).await,
        Err(retry_after) => AppError::TooManyRequests { retry_after }.into_response(),
    }
}

#[derive(Serialize)]
struct Link {
    slug: String,
    name: String,
    url: String,
}

#[derive(Serialize)]
struct ImageVariant {
    /// `original`, `16x9`, `4x3` or `1x1`.
    name: String,
    url: String,
    width: u32,
    height: u32,
}

#[derive(Serialize)]
struct ImageJson {
    url: String,
    width: u32,
    height: u32,
    alt: String,
    caption: String,
    credit: String,
    variants: Vec<ImageVariant>,
}

#[derive(Serialize)]
struct AuthorJson {
    slug: String,
    name: String,
    title: String,
    url: String,
}

#[derive(Serialize)]
struct SourceJson {
    slug: String,
    name: String,
    url: String,
    website: String,
}

#[derive(Serialize)]
struct RelatedJson {
    id: i64,
    headline: String,
    url: String,
}

#[derive(Serialize)]
struct CorrectionJson {
    text: String,
    published_at: String,
}

#[derive(Serialize)]
struct ArticleJson {
    id: i64,
    slug: String,
    url: String,
    path: String,
    headline: String,
    standfirst: String,
    body_html: String,
    body_markdown: String,
    section: Link,
    section_path: Vec<Link>,
    authors: Vec<AuthorJson>,
    tags: Vec<Link>,
    sources: Vec<SourceJson>,
    related: Vec<RelatedJson>,
    image: Option<ImageJson>,
    published_at: String,
    updated_at: String,
    corrections: Vec<CorrectionJson>,
}

fn rfc3339(t: OffsetDateTime) -> String {
    courant_render::clock::iso(t)
}

fn article_json(app: &AppState, a: &Article) -> ArticleJson {
    let r = app.renderer();
    let path = a.path().unwrap_or_default();
    let link =
        |slug: &str, name: &str, url: String| Link { slug: slug.into(), name: name.into(), url: r.absolute(&url) };
    ArticleJson {
        id: a.id.0,
        slug: a.slug.clone(),
        url: r.absolute(&path),
        path,
        headline: a.headline.clone(),
        standfirst: a.standfirst.clone(),
        body_html: r.absolute_links(&courant_render::markdown::render_body_html(&a.body)),
        body_markdown: a.body.clone(),
        section: link(&a.section.slug, &a.section.name, section_url(&a.section.slug)),
        section_path: a.section_path.iter().map(|s| link(&s.slug, &s.name, section_url(&s.slug))).collect(),
        authors: a
            .authors
            .iter()
            .map(|au| AuthorJson {
                slug: au.slug.clone(),
                name: au.name.clone(),
                title: au.title.clone(),
                url: r.absolute(&author_url(&au.slug)),
            })
            .collect(),
        tags: a.tags.iter().map(|t| link(&t.slug, &t.name, tag_url(&t.slug))).collect(),
        sources: a
            .sources
            .iter()
            .map(|s| SourceJson {
                slug: s.slug.clone(),
                name: s.name.clone(),
                url: r.absolute(&source_url(&s.slug)),
                website: s.url.clone(),
            })
            .collect(),
        related: a
            .related
            .iter()
            .map(|s| RelatedJson {
                id: s.id.0,
                headline: s.headline.clone(),
                url: r.absolute(&s.path().unwrap_or_default()),
            })
            .collect(),
        image: a.hero.as_ref().map(|h| {
            let mut variants = vec![ImageVariant {
                name: "original".into(),
                url: r.absolute(&media_url(&h.file)),
                width: h.width,
                height: h.height,
            }];
            variants.extend(courant_media::CROPS.iter().map(|(name, rw, rh)| {
                let (width, height) = courant_media::crop_size(h.width, h.height, *rw, *rh);
                let url =
                    r.absolute(&media_url(&courant_media::crop_file_name(&h.file, name, h.focal.map(|f| (f.x, f.y)))));
                ImageVariant { name: (*name).into(), url, width, height }
            }));
            ImageJson {
                url: r.absolute(&media_url(&h.file)),
                width: h.width,
                height: h.height,
                alt: h.alt.clone(),
                caption: h.caption.clone(),
                credit: h.credit.clone(),
                variants,
            }
        }),
        published_at: a.published_at.map(rfc3339).unwrap_or_default(),
        updated_at: rfc3339(a.updated_at),
        corrections: a
            .corrections
            .iter()
            .map(|c| CorrectionJson { text: c.text.clone(), published_at: rfc3339(c.published_at) })
            .collect(),
    }
}

fn json_response(headers: &HeaderMap, value: &impl Serialize, last_modified: Option<OffsetDateTime>) -> Response {
    let body = serde_json::to_vec(value).unwrap_or_default();
    cacheable(headers, body, "application/json", last_modified)
}

type Params = Result<Query<HashMap<String, String>>, axum::extract::rejection::QueryRejection>;

fn params(raw: Params, allowed: &[&'static str]) -> Result<HashMap<String, String>, AppError> {
    let Query(map) = raw.map_err(|e| AppError::BadRequest(format!("The query string is malformed: {e}")))?;
    if let Some(unknown) = map.keys().find(|k| !allowed.contains(&k.as_str())) {
        return Err(AppError::BadRequest(format!(
            "Unknown parameter `{unknown}`; this endpoint takes {}.",
            allowed.iter().map(|a| format!("`{a}`")).collect::<Vec<_>>().join(", ")
        )));
    }
    Ok(map)
}

fn invalid(name: &'static str, message: impl Into<String>) -> AppError {
    AppError::InvalidParameter { name, message: message.into() }
}

fn time_param(map: &HashMap<String, String>, name: &'static str) -> Result<Option<OffsetDateTime>, AppError> {
    map.get(name)
        .map(|v| {
            OffsetDateTime::parse(v, &Rfc3339)
                .map_err(|_| invalid(name, "must be an RFC 3339 date and time, e.g. 2026-11-25T08:00:00Z."))
        })
        .transpose()
}

/// `{unix seconds}.{id}` of the last article of a page: where the next page starts.
fn encode_cursor(at: OffsetDateTime, id: ArticleId) -> String {
    format!("{}.{}", at.unix_timestamp(), id.0)
}

fn decode_cursor(cursor: &str) -> Result<(OffsetDateTime, ArticleId), AppError> {
    let bad = || invalid("cursor", "is not a cursor this API handed out; use `next_cursor` from a previous page.");
    let (at, id) = cursor.split_once('.').ok_or_else(bad)?;
    let at = at.parse::<i64>().ok().and_then(|s| OffsetDateTime::from_unix_timestamp(s).ok()).ok_or_else(bad)?;
    let id = id.parse::<i64>().map_err(|_| bad())?;
    Ok((at, ArticleId(id)))
}

#[derive(Serialize)]
struct ArticleList {
    articles: Vec<ArticleJson>,
    next_cursor: Option<String>,
}

/// `GET /api/v1/articles`: published articles, newest first, filtered by `section` (with its
/// subsections), `tag`, `author`, `source`, `since`, `until`; `limit` per page (1-100) and
/// `cursor` from the previous page's `next_cursor`, stable while new articles are published.
async fn list_articles(State(app): State<AppState>, headers: HeaderMap, raw: Params) -> Result<Response, AppError> {
    let map = params(raw, &["section", "tag", "author", "source", "since", "until", "limit", "cursor"])?;
    let limit = match map.get("limit") {
        None => DEFAULT_LIMIT,
        Some(v) => v
            .parse::<i64>()
            .ok()
            .filter(|n| (1..=MAX_LIMIT).contains(n))
            .ok_or_else(|| invalid("limit", format!("must be a whole number from 1 to {MAX_LIMIT}.")))?,
    };
    let mut query = ArticleQuery {
        since: time_param(&map, "since")?,
        until: time_param(&map, "until")?,
        after: map.get("cursor").map(|c| decode_cursor(c)).transpose()?,
        ..ArticleQuery::default()
    };
    if let Some(slug) = map.get("section") {
        let sections = app.store.sections().await?;
        let section =
            sections.iter().find(|s| &s.slug == slug).ok_or_else(|| invalid("section", "names no section."))?;
        query.sections = Some(super::site::descendants(&sections, section.id));
    }
    if let Some(slug) = map.get("tag") {
        query.tag = Some(app.store.tag_by_slug(slug).await?.ok_or_else(|| invalid("tag", "names no tag."))?.id);
    }
    if let Some(slug) = map.get("author") {
        query.author =
            Some(app.store.author_by_slug(slug).await?.ok_or_else(|| invalid("author", "names no author."))?.id);
    }
    if let Some(slug) = map.get("source") {
        query.source =
            Some(app.store.source_by_slug(slug).await?.ok_or_else(|| invalid("source", "names no source."))?.id);
    }
    let mut page = app.store.query_published(&query, limit + 1, 0).await?;
    let more = page.len() as i64 > limit;
    page.truncate(limit as usize);
    let next_cursor =
        more.then(|| page.last().and_then(|last| last.published_at.map(|at| encode_cursor(at, last.id)))).flatten();
    let ids: Vec<ArticleId> = page.iter().map(|s| s.id).collect();
    let loaded = app.store.articles(&ids).await?;
    let last_modified = loaded.iter().map(|a| a.updated_at).max();
    let articles: Vec<ArticleJson> = loaded.iter().map(|a| article_json(&app, a)).collect();
    Ok(json_response(&headers, &ArticleList { articles, next_cursor }, last_modified))
}

fn published_json(app: &AppState, headers: &HeaderMap, article: Option<Article>) -> Result<Response, AppError> {
    let a = article.ok_or(AppError::NotFound)?;
    match a.status {
        Status::Published => Ok(json_response(headers, &article_json(app, &a), Some(a.updated_at))),
        Status::Unpublished => Err(AppError::Gone),
        Status::Draft | Status::Review | Status::Scheduled => Err(AppError::NotFound),
    }
}

/// `GET /api/v1/articles/{id}`: one published article.
async fn article_by_id(
    State(app): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let id = id.parse::<i64>().map_err(|_| AppError::NotFound)?;
    let article = app.store.article(ArticleId(id)).await?;
    published_json(&app, &headers, article)
}

/// `GET /api/v1/articles/by-path?path=/section/yyyy/mm/dd/slug`: the article at a site address
/// (old addresses of renamed articles included).
async fn article_by_path(State(app): State<AppState>, headers: HeaderMap, raw: Params) -> Result<Response, AppError> {
    let map = params(raw, &["path"])?;
    let path = map.get("path").ok_or_else(|| invalid("path", "is required, e.g. ?path=/world/2026/11/24/a-story."))?;
    let path = path.split_once("://").map_or(path.as_str(), |(_, rest)| rest.find('/').map_or("/", |i| &rest[i..]));
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    if segments.len() != 5 {
        return Err(invalid("path", "is not the address of an article (/section/yyyy/mm/dd/slug)."));
    }
    let slug = segments[4];
    let article = match app.store.article_by_slug(slug).await? {
        Some(a) => Some(a),
        None => match app.store.renamed_article(slug).await? {
            Some(moved) => app.store.article(moved.id).await?,
            None => None,
        },
    };
    published_json(&app, &headers, article)
}

/// `GET /api/v1/sections`: the section tree, parents before children.
async fn sections(State(app): State<AppState>, headers: HeaderMap) -> Result<Response, AppError> {
    let all = app.store.sections().await?;
    let list: Vec<_> = all
        .iter()
        .map(|s| {
            serde_json::json!({
                "slug": s.slug, "name": s.name, "description": s.description,
                "parent": s.parent_id.and_then(|p| all.iter().find(|x| x.id == p)).map(|p| p.slug.clone()),
                "url": app.renderer().absolute(&section_url(&s.slug)),
            })
        })
        .collect();
    Ok(json_response(&headers, &serde_json::json!({ "sections": list }), None))
}

/// `GET /api/v1/tags`.
async fn tags(State(app): State<AppState>, headers: HeaderMap) -> Result<Response, AppError> {
    let list: Vec<_> = app
        .store
        .tags()
        .await?
        .into_iter()
        .map(|t| serde_json::json!({ "slug": t.slug, "name": t.name, "url": app.renderer().absolute(&tag_url(&t.slug)) }))
        .collect();
    Ok(json_response(&headers, &serde_json::json!({ "tags": list }), None))
}

/// `GET /api/v1/authors`.
async fn authors(State(app): State<AppState>, headers: HeaderMap) -> Result<Response, AppError> {
    let list: Vec<_> = app
        .store
        .authors()
        .await?
        .into_iter()
        .map(|a| {
            serde_json::json!({
                "slug": a.slug, "name": a.name, "title": a.title, "bio": a.bio,
                "url": app.renderer().absolute(&author_url(&a.slug)),
                "photo": a.photo.map(|p| app.renderer().absolute(&media_url(&p.file))),
            })
        })
        .collect();
    Ok(json_response(&headers, &serde_json::json!({ "authors": list }), None))
}

/// `GET /api/v1/sources`.
async fn sources(State(app): State<AppState>, headers: HeaderMap) -> Result<Response, AppError> {
    let list: Vec<_> = app
        .store
        .sources()
        .await?
        .into_iter()
        .map(|s| {
            serde_json::json!({
                "slug": s.slug, "name": s.name, "website": s.url,
                "url": app.renderer().absolute(&source_url(&s.slug)),
            })
        })
        .collect();
    Ok(json_response(&headers, &serde_json::json!({ "sources": list }), None))
}

/// `GET /api/v1/openapi.json`: this API described in OpenAPI 3.1.
async fn openapi(State(app): State<AppState>, headers: HeaderMap) -> Response {
    let doc = OPENAPI.replace("{server}", &app.renderer().absolute("/api/v1"));
    cacheable(&headers, doc.into_bytes(), "application/json", None)
}

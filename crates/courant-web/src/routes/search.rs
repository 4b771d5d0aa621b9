//! Search: the reader's page `/search` and the API's `GET /api/v1/search`. The reader's words
//! are treated as hostile: control characters are dropped, overlong queries refused with a
//! message, and the parser reads unbalanced quotes and stray operators leniently.

use crate::respond::html as html_response;
use crate::{AppError, AppState};
use axum::Router;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::get;
use courant_core::{ArticleId, Status};
use courant_render::{SearchHit, SearchPage};
use courant_search::{SearchQuery, Sort};
use courant_store::ArticleFilter;
use std::collections::HashMap;
use time::OffsetDateTime;

/// The longest query we take, in characters.
const MAX_QUERY_CHARS: usize = 200;
/// Results per page.
const PER_PAGE: usize = 10;
const SNIPPET_CHARS: usize = 220;

pub(super) fn routes() -> Router<AppState> {
    Router::new().route("/search", get(page))
}

type Params = Result<Query<HashMap<String, String>>, axum::extract::rejection::QueryRejection>;

/// The reader's words without control characters, or a bad request when they are too long.
fn clean_query(raw: Option<&String>) -> Result<String, AppError> {
    let text: String = raw.map(String::as_str).unwrap_or("").chars().filter(|c| !c.is_control()).collect();
    let text = text.trim().to_string();
    if text.chars().count() > MAX_QUERY_CHARS {
        return Err(AppError::InvalidParameter {
            name: "q",
            message: format!("is too long; use at most {MAX_QUERY_CHARS} characters."),
        });
    }
    Ok(text)
}

/// A date (`2026-11-25`) or an RFC 3339 time; a date's `until` includes that whole day.
fn time_param(
    map: &HashMap<String, String>,
    name: &'static str,
    end_of_day: bool,
) -> Result<Option<OffsetDateTime>, AppError> {
    let Some(v) = map.get(name).filter(|v| !v.is_empty()) else { return Ok(None) };
    if let Ok(t) = OffsetDateTime::parse(v, &time::format_description::well_known::Rfc3339) {
        return Ok(Some(t));
    }
    let format = time::macros::format_description!("[year]-[month]-[day]");
    let date = time::Date::parse(v, format).map_err(|_| AppError::InvalidParameter {
        name,
        message: "must be a date such as 2026-11-25 or an RFC 3339 time.".into(),
    })?;
    let date = if end_of_day { date.next_day().unwrap_or(date) } else { date };
    Ok(Some(date.midnight().assume_utc()))
}

/// Turns parameters into a search; `strict` (the API) refuses unknown parameters.
async fn build_query(app: &AppState, map: &HashMap<String, String>, strict: bool) -> Result<SearchQuery, AppError> {
    let allowed = ["q", "section", "tag", "author", "since", "until", "sort", "page", "limit"];
    if strict && let Some(unknown) = map.keys().find(|k| !allowed.contains(&k.as_str())) {
        return Err(AppError::BadRequest(format!("Unknown parameter `{unknown}`.")));
    }
    let text = clean_query(map.get("q"))?;
    let page = match map.get("page").filter(|p| !p.is_empty()) {
        None => 1,
        Some(p) => p.parse::<usize>().ok().filter(|n| (1..=1000).contains(n)).ok_or(AppError::InvalidParameter {
            name: "page",
            message: "must be a whole number from 1 to 1000.".into(),
        })?,
    };
    let limit = match map.get("limit").filter(|_| strict) {
        None => PER_PAGE,
        Some(l) => l.parse::<usize>().ok().filter(|n| (1..=50).contains(n)).ok_or(AppError::InvalidParameter {
            name: "limit",
            message: "must be a whole number from 1 to 50.".into(),
        })?,
    };
    let sort = match map.get("sort").map(String::as_str) {
        None | Some("") | Some("relevance") => Sort::Relevance,
        Some("newest") => Sort::Newest,
        Some(_) => {
            return Err(AppError::InvalidParameter {
                name: "sort",
                message: "must be `relevance` or `newest`.".into(),
            });
        }
    };
    let mut q = SearchQuery {
        text,
        sort,
        offset: (page - 1) * limit,
        limit,
        since: time_param(map, "since", false)?,
        until: time_param(map, "until", true)?,
        ..SearchQuery::default()
    };
    if let Some(slug) = map.get("section").filter(|s| !s.is_empty()) {
        let sections = app.store.sections().await?;
        let section = sections
            .iter()
            .find(|s| &s.slug == slug)
            .ok_or(AppError::InvalidParameter { name: "section", message: "names no section.".into() })?;
        q.section_id = Some(section.id.0);
    }
    q.tag_slug = map.get("tag").filter(|s| !s.is_empty()).cloned();
    q.author_slug = map.get("author").filter(|s| !s.is_empty()).cloned();
    Ok(q)
}

/// Runs a search and loads what each hit shows, with its snippet.
async fn run(app: &AppState, q: &SearchQuery) -> Result<(Vec<SearchHit>, usize), AppError> {
    let results = app.search.search(q).map_err(|e| AppError::internal("the search failed", e))?;
    let mut hits = Vec::with_capacity(results.ids.len());
    // The index follows the store within a fraction of a second; the store has the last word.
    for article in app.store.articles(&results.ids).await?.into_iter().filter(|a| a.status == Status::Published) {
        let story = article.summary();
        let text = format!("{}\n{}", article.standfirst, courant_render::markdown::plain_text(&article.body));
        let snippet_html =
            app.search.snippet(&q.text, &text, SNIPPET_CHARS).map_err(|e| AppError::internal("a snippet failed", e))?;
        hits.push(SearchHit { story, snippet_html });
    }
    Ok((hits, results.total))
}

/// `GET /search?q=...&section=...&sort=newest&page=N`: the search page.
async fn page(State(app): State<AppState>, raw: Params) -> Result<Response, AppError> {
    let Query(map) = raw.map_err(|e| AppError::BadRequest(format!("The query string is malformed: {e}")))?;
    let q = build_query(&app, &map, false).await?;
    let sections = app.store.sections().await?;
    let (hits, total) = if q.text.is_empty() { (Vec::new(), 0) } else { run(&app, &q).await? };
    // Nothing found: offer what others are reading now, or else the latest stories.
    let suggestions = if hits.is_empty() {
        let reading: Vec<ArticleId> =
            app.trending.top(OffsetDateTime::now_utc(), None, None).into_iter().map(|(id, _)| id).collect();
        let reading = app.store.published_summaries(&reading).await?;
        if reading.is_empty() { app.store.latest(&ArticleFilter::All, 5, 0).await? } else { reading }
    } else {
        Vec::new()
    };
    let page = SearchPage {
        query: q.text.clone(),
        section: map.get("section").filter(|s| !s.is_empty()).cloned(),
        newest_first: q.sort == Sort::Newest,
        since: map.get("since").cloned().unwrap_or_default(),
        until: map.get("until").cloned().unwrap_or_default(),
        author: map.get("author").cloned().unwrap_or_default(),
        tag: map.get("tag").cloned().unwrap_or_default(),
        hits,
        total,
        page: (q.offset / PER_PAGE) as i64 + 1,
        total_pages: total.div_ceil(PER_PAGE).max(1) as i64,
        suggestions: &suggestions,
    };
    Ok(html_response(StatusCode::OK, app.renderer().search_page(&page, &sections)?))
}

/// `GET /api/v1/search?q=...`: results as JSON, with HTML snippets (matches in `<mark>`).
pub(super) async fn api(State(app): State<AppState>, headers: HeaderMap, raw: Params) -> Result<Response, AppError> {
    let Query(map) = raw.map_err(|e| AppError::BadRequest(format!("The query string is malformed: {e}")))?;
    let q = build_query(&app, &map, true).await?;
    if q.text.is_empty() {
        return Err(AppError::InvalidParameter { name: "q", message: "is required: the words to search for.".into() });
    }
    let (hits, total) = run(&app, &q).await?;
    let results: Vec<serde_json::Value> = hits
        .iter()
        .map(|h| {
            serde_json::json!({
                "id": h.story.id.0,
                "headline": h.story.headline,
                "standfirst": h.story.standfirst,
                "url": app.renderer().absolute(&h.story.path().unwrap_or_default()),
                "section": h.story.section_name,
                "published_at": h.story.published_at.map(courant_render::clock::iso),
                "snippet_html": h.snippet_html,
            })
        })
        .collect();
    let body = serde_json::json!({ "query": q.text, "total": total, "offset": q.offset, "results": results });
    Ok(super::cacheable(&headers, body.to_string().into_bytes(), "application/json", None))
}

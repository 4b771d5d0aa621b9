//! What machines read: feeds for the site and each section, tag, author and source; sitemaps;
//! `robots.txt` and `ads.txt`. Every answer carries an ETag and a Last-Modified date and answers
//! conditional requests with 304.

use super::cacheable;
use crate::{AppError, AppState};
use axum::Router;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::get;
use courant_core::{Article, Section};
use courant_render::{FeedFormat, FeedSource, SitemapUrl};
use courant_store::ArticleFilter;
use time::{Duration, OffsetDateTime};

/// The most URLs one sitemap file lists. Sitemaps.org allows 50,000, but a file of 50,000 stories
/// took 300 MB to make at 100,000 stories (every story's summary is loaded at once), and
/// crawlers fetch all of them at once; 5,000 keeps a file near a megabyte (WordPress lists
/// 2,000 per file).
const SITEMAP_URLS: i64 = 5_000;
/// Google News takes articles of the last two days, at most a thousand.
const NEWS_WINDOW: Duration = Duration::hours(48);
const NEWS_MAX: i64 = 1000;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/rss.xml", get(site_feed))
        .route("/atom.xml", get(site_feed))
        .route("/feed.json", get(site_feed))
        .route("/{section}/{file}", get(section_feed))
        .route("/tag/{slug}/{file}", get(tag_feed))
        .route("/author/{slug}/{file}", get(author_feed))
        .route("/source/{slug}/{file}", get(source_feed))
        .route("/sitemap.xml", get(sitemap_index))
        .route("/sitemaps/{file}", get(sitemap))
        .route("/sitemap-news.xml", get(news_sitemap))
        .route("/robots.txt", get(robots))
        .route("/ads.txt", get(ads_txt))
}

fn format_of(file: &str) -> Result<FeedFormat, AppError> {
    FeedFormat::from_file_name(file).ok_or(AppError::NotFound)
}

/// `GET /rss.xml`, `/atom.xml`, `/feed.json`: the whole site's latest stories.
async fn site_feed(
    State(app): State<AppState>,
    uri: axum::http::Uri,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let format = format_of(uri.path().trim_start_matches('/'))?;
    let renderer = app.renderer();
    let site = renderer.site();
    let (title, description) = (site.title.clone(), site.description.clone());
    feed(&app, &headers, format, title, description, "/".into(), "/".into(), &ArticleFilter::All).await
}

/// `GET /{section}/rss.xml` (and `atom.xml`, `feed.json`): a section with its subsections.
async fn section_feed(
    State(app): State<AppState>,
    Path((slug, file)): Path<(String, String)>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let format = format_of(&file)?;
    let sections = app.store.sections().await?;
    let section = sections.iter().find(|s| s.slug == slug).ok_or(AppError::NotFound)?;
    let filter = ArticleFilter::Sections(super::site::descendants(&sections, section.id));
    let title = format!("{}: {}", app.renderer().site().title, section.name);
    let page = format!("/{slug}");
    feed(&app, &headers, format, title, section.description.clone(), page.clone(), format!("{page}/"), &filter).await
}

/// `GET /tag/{slug}/rss.xml` (and the other formats).
async fn tag_feed(
    State(app): State<AppState>,
    Path((slug, file)): Path<(String, String)>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let format = format_of(&file)?;
    let tag = app.store.tag_by_slug(&slug).await?.ok_or(AppError::NotFound)?;
    let title = format!("{}: {}", app.renderer().site().title, tag.name);
    let page = format!("/tag/{slug}");
    feed(&app, &headers, format, title, tag.name.clone(), page.clone(), format!("{page}/"), &ArticleFilter::Tag(tag.id))
        .await
}

/// `GET /author/{slug}/rss.xml` (and the other formats).
async fn author_feed(
    State(app): State<AppState>,
    Path((slug, file)): Path<(String, String)>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let format = format_of(&file)?;
    let author = app.store.author_by_slug(&slug).await?.ok_or(AppError::NotFound)?;
    let title = format!("{}: {}", app.renderer().site().title, author.name);
    let page = format!("/author/{slug}");
    let filter = ArticleFilter::Author(author.id);
    feed(&app, &headers, format, title, author.title.clone(), page.clone(), format!("{page}/"), &filter).await
}

/// `GET /source/{slug}/rss.xml` (and the other formats).
async fn source_feed(
    State(app): State<AppState>,
    Path((slug, file)): Path<(String, String)>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let format = format_of(&file)?;
    let source = app.store.source_by_slug(&slug).await?.ok_or(AppError::NotFound)?;
    let title = format!("{}: {}", app.renderer().site().title, source.name);
    let page = format!("/source/{slug}");
    let filter = ArticleFilter::Source(source.id);
    feed(&app, &headers, format, title, source.name.clone(), page.clone(), format!("{page}/"), &filter).await
}

#[allow(clippy::too_many_arguments)]
async fn feed(
    app: &AppState,
    headers: &HeaderMap,
    format: FeedFormat,
    title: String,
    description: String,
    page_path: String,
    feed_dir: String,
    filter: &ArticleFilter,
) -> Result<Response, AppError> {
    let items = app.renderer().settings().feeds.items as i64;
    let ids: Vec<_> = app.store.latest(filter, items, 0).await?.iter().map(|s| s.id).collect();
    let articles: Vec<Article> = app.store.articles(&ids).await?;
    let last_modified = articles.iter().map(|a| a.updated_at).max();
    let source = FeedSource { title, description, page_path, feed_dir, articles: &articles };
    // The pictures' sizes for the enclosures, asked for side by side (a bucket answers each over HTTP).
    let files: Vec<&str> = articles.iter().filter_map(|a| a.hero.as_ref().map(|h| h.file.as_str())).collect();
    let sizes: std::collections::HashMap<&str, u64> =
        futures_util::future::join_all(files.iter().map(|f| async { (*f, app.files.size(f).await) }))
            .await
            .into_iter()
            .filter_map(|(f, size)| Some((f, size?)))
            .collect();
    let size = |file: &str| sizes.get(file).copied();
    let body = app.renderer().feed(format, &source, &size)?;
    let mut response = cacheable(headers, body.into_bytes(), format.content_type(), last_modified);
    let mut tags = crate::cache::PageTags::of_listing(filter, ids.iter().map(|id| id.0));
    tags.paged = false;
    response.extensions_mut().insert(tags);
    Ok(response)
}

/// `GET /sitemap.xml`: the index of the page sitemap and one article sitemap per month (split
/// further when a month has more than [`SITEMAP_URLS`] articles).
async fn sitemap_index(State(app): State<AppState>, headers: HeaderMap) -> Result<Response, AppError> {
    let months = app.store.published_months().await?;
    let newest = months.iter().map(|m| m.last_updated).max();
    let mut maps = vec![("/sitemaps/pages.xml".to_string(), newest)];
    for m in &months {
        let chunks = (m.articles + SITEMAP_URLS - 1) / SITEMAP_URLS;
        for chunk in 1..=chunks.max(1) {
            let suffix = if chunk == 1 { String::new() } else { format!("-{chunk}") };
            maps.push((format!("/sitemaps/articles-{:04}-{:02}{suffix}.xml", m.year, m.month), Some(m.last_updated)));
        }
    }
    let body = app.renderer().sitemap_index(&maps)?;
    Ok(cacheable(&headers, body.into_bytes(), "application/xml; charset=utf-8", newest))
}

/// `GET /sitemaps/pages.xml` and `/sitemaps/articles-YYYY-MM[-N].xml`.
async fn sitemap(
    State(app): State<AppState>,
    Path(file): Path<String>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let name = file.strip_suffix(".xml").ok_or(AppError::NotFound)?;
    let (urls, last_modified) = if name == "pages" {
        pages_sitemap(&app).await?
    } else {
        let (year, month, chunk) = parse_month_sitemap(name).ok_or(AppError::NotFound)?;
        let from = time::Date::from_calendar_date(year, month, 1).map_err(|_| AppError::NotFound)?;
        let until = if month == time::Month::December {
            time::Date::from_calendar_date(year + 1, time::Month::January, 1)
        } else {
            time::Date::from_calendar_date(year, month.next(), 1)
        }
        .map_err(|_| AppError::NotFound)?;
        let filter = ArticleFilter::PublishedBetween {
            from: from.midnight().assume_utc(),
            until: until.midnight().assume_utc(),
        };
        let articles = app.store.latest(&filter, SITEMAP_URLS, (chunk - 1) * SITEMAP_URLS).await?;
        if articles.is_empty() {
            return Err(AppError::NotFound);
        }
        let last = articles.iter().map(|a| a.updated_at).max();
        let urls = articles
            .into_iter()
            .filter_map(|a| {
                Some(SitemapUrl { path: a.path()?, lastmod: Some(a.updated_at), image: a.hero.map(|h| h.file) })
            })
            .collect();
        (urls, last)
    };
    let body = app.renderer().sitemap(&urls)?;
    Ok(cacheable(&headers, body.into_bytes(), "application/xml; charset=utf-8", last_modified))
}

/// `articles-2026-11` or `articles-2026-11-2` as (year, month, chunk).
fn parse_month_sitemap(name: &str) -> Option<(i32, time::Month, i64)> {
    let rest = name.strip_prefix("articles-")?;
    let mut parts = rest.split('-');
    let year: i32 = parts.next()?.parse().ok()?;
    let month: u8 = parts.next()?.parse().ok()?;
    let chunk: i64 = match parts.next() {
        // No month holds more than a thousand sitemaps' worth (50 million stories).
        Some(c) => c.parse().ok().filter(|c| (2..=1000).contains(c))?,
        None => 1,
    };
    if parts.next().is_some() || !(1970..=9999).contains(&year) {
        return None;
    }
    Some((year, time::Month::try_from(month).ok()?, chunk))
}

async fn pages_sitemap(app: &AppState) -> Result<(Vec<SitemapUrl>, Option<OffsetDateTime>), AppError> {
    let newest = app.store.latest(&ArticleFilter::All, 1, 0).await?.into_iter().next().map(|a| a.updated_at);
    let mut urls = vec![SitemapUrl { path: "/".into(), lastmod: newest, image: None }];
    let sections: Vec<Section> = app.store.sections().await?;
    urls.extend(sections.iter().map(|s| SitemapUrl { path: format!("/{}", s.slug), lastmod: None, image: None }));
    urls.extend(app.store.tags().await?.into_iter().map(|t| SitemapUrl {
        path: format!("/tag/{}", t.slug),
        lastmod: None,
        image: None,
    }));
    urls.extend(app.store.authors().await?.into_iter().map(|a| SitemapUrl {
        path: format!("/author/{}", a.slug),
        lastmod: None,
        image: a.photo.map(|p| p.file),
    }));
    urls.extend(app.store.sources().await?.into_iter().map(|s| SitemapUrl {
        path: format!("/source/{}", s.slug),
        lastmod: None,
        image: None,
    }));
    Ok((urls, newest))
}

/// `GET /sitemap-news.xml`: articles of the last 48 hours for Google News, newest first.
async fn news_sitemap(State(app): State<AppState>, headers: HeaderMap) -> Result<Response, AppError> {
    let now = OffsetDateTime::now_utc();
    let filter = ArticleFilter::PublishedBetween { from: now - NEWS_WINDOW, until: now + Duration::seconds(1) };
    let articles = app.store.latest(&filter, NEWS_MAX, 0).await?;
    let last = articles.iter().map(|a| a.updated_at).max();
    let body = app.renderer().news_sitemap(&articles)?;
    Ok(cacheable(&headers, body.into_bytes(), "application/xml; charset=utf-8", last))
}

/// `GET /robots.txt`: crawlers welcome, except in the newsroom and configured paths; where
/// the sitemaps are.
async fn robots(State(app): State<AppState>, headers: HeaderMap) -> Response {
    let mut lines = vec!["User-agent: *".to_string(), "Disallow: /newsroom/".to_string()];
    lines.extend(app.renderer().settings().robots.disallow.iter().map(|p| format!("Disallow: {p}")));
    lines.push(String::new());
    lines.push(format!("Sitemap: {}", app.renderer().absolute("/sitemap.xml")));
    lines.push(format!("Sitemap: {}", app.renderer().absolute("/sitemap-news.xml")));
    lines.push(String::new());
    cacheable(&headers, lines.join("\n").into_bytes(), "text/plain; charset=utf-8", None)
}

/// `GET /ads.txt`: the configured records; 404 when there are none.
async fn ads_txt(State(app): State<AppState>, headers: HeaderMap) -> Result<Response, AppError> {
    let renderer = app.renderer();
    let records = &renderer.settings().ads.txt;
    if records.is_empty() {
        return Err(AppError::NotFound);
    }
    let body = format!("{}\n", records.join("\n"));
    Ok(cacheable(&headers, body.into_bytes(), "text/plain; charset=utf-8", None))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn month_sitemap_names() {
        assert_eq!(parse_month_sitemap("articles-2026-11"), Some((2026, time::Month::November, 1)));
        assert_eq!(parse_month_sitemap("articles-2026-01-3"), Some((2026, time::Month::January, 3)));
        assert_eq!(parse_month_sitemap("articles-2026-13"), None);
        assert_eq!(parse_month_sitemap("articles-2026-11-1"), None);
        assert_eq!(parse_month_sitemap("articles-2026-11-2-4"), None);
        assert_eq!(parse_month_sitemap("pages-2026-11"), None);
        assert_eq!(parse_month_sitemap("articles-2026-11-9223372036854775807"), None);
    }
}

//! The reader's site: home, sections, articles, tags, authors and sources.

use crate::respond::html as html_response;
use crate::{AppError, AppState};
use axum::Router;
use axum::extract::{OriginalUri, Path, RawQuery, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use courant_core::{Article, ArticleId, ArticleSummary, Section, SectionId, Status};
use courant_render::{HomeBlock, Listing, ListingIntro};
use courant_store::ArticleFilter;

/// Stories per listing page.
const PER_PAGE: i64 = 20;
/// The highest page number we answer; deeper pages are a crawler's loop, not a reader.
const MAX_PAGE: i64 = 10_000;
/// Stories in the "Latest" box of an article page.
const LATEST: i64 = 6;
/// Related stories an article page suggests (pinned and found).
const RELATED: usize = 4;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(home))
        .route("/tag/{slug}", get(tag))
        .route("/author/{slug}", get(author))
        .route("/source/{slug}", get(source))
        .route("/{section}", get(section))
        .route("/{section}/{year}/{month}/{day}/{slug}", get(article))
        .fallback(not_found)
}

async fn not_found() -> AppError {
    AppError::NotFound
}

fn page_ok(html: String) -> Response {
    html_response(StatusCode::OK, html)
}

/// The old address of an imported WordPress story asked for on the home page (`/?p=123`,
/// `/?page_id=7`), as its redirect is stored; none for any other request.
pub(crate) fn old_post_query(uri: &axum::http::Uri) -> Option<String> {
    if uri.path() != "/" {
        return None;
    }
    form_urlencoded::parse(uri.query()?.as_bytes()).find_map(|(name, value)| {
        let id = value.trim().parse::<u64>().ok()?;
        matches!(name.as_ref(), "p" | "page_id").then(|| format!("/?{name}={id}"))
    })
}

/// A stored old address of an imported story (see [`courant_store::Store::redirect`]): 301 to
/// where the story is now, when it is published.
pub(crate) async fn old_address(app: &AppState, path: &str) -> Result<Option<Response>, AppError> {
    if path.is_empty() || path.len() > 1000 {
        return Ok(None);
    }
    let moved = app.store.redirect(path).await?;
    Ok(moved.filter(|m| m.status == Status::Published).and_then(|m| m.path()).map(redirect))
}

/// How many featured stories the front page shows beside its lead.
pub const FEATURED: usize = 4;
/// How many of the latest stories the front page lists after the lead and the featured.
const FRONT_LATEST: usize = 8;
/// How many of the most read stories the front page lists.
const FRONT_MOST_READ: usize = 5;
/// How many of its most read stories a section's page lists.
const SECTION_MOST_READ: usize = 5;

/// `GET /`: the lead story (the one editors pinned, else the newest) with the featured ones
/// beside it (pinned, then the newest), the latest, the most read, and a block per top-level
/// section; no story twice. An old WordPress address (`/?p=123`) of an imported story
/// redirects to it.
async fn home(State(app): State<AppState>, OriginalUri(uri): OriginalUri) -> Result<Response, AppError> {
    if let Some(old) = old_post_query(&uri) {
        return old_address(&app, &old).await?.ok_or(AppError::NotFound);
    }
    let now = time::OffsetDateTime::now_utc();
    let (sections, pins) = tokio::try_join!(app.cache.lists.sections(&app.store), app.store.front_pins())?;
    let pins: Vec<_> = pins.into_iter().filter(|p| p.expires_at.is_none_or(|e| e > now)).collect();
    let pinned = app.store.published_summaries(&pins.iter().map(|p| p.article_id).collect::<Vec<_>>()).await?;
    let is_lead = |id: ArticleId| pins.iter().any(|p| p.article_id == id && p.slot == courant_store::FrontSlot::Lead);
    let mut front = courant_render::Front::default();
    let mut shown: Vec<ArticleId> = Vec::new();
    let take = |stories: Vec<ArticleSummary>, n: usize, shown: &mut Vec<ArticleId>| {
        let kept: Vec<ArticleSummary> = stories.into_iter().filter(|s| !shown.contains(&s.id)).take(n).collect();
        shown.extend(kept.iter().map(|s| s.id));
        kept
    };
    front.lead = take(pinned.iter().filter(|s| is_lead(s.id)).cloned().collect(), 1, &mut shown).pop();
    front.featured = take(pinned.into_iter().filter(|s| !is_lead(s.id)).collect(), FEATURED, &mut shown);
    let newest = app.store.latest(&ArticleFilter::All, (1 + FEATURED + FRONT_LATEST + shown.len()) as i64, 0).await?;
    if front.lead.is_none() {
        front.lead = take(newest.clone(), 1, &mut shown).pop();
    }
    let missing = FEATURED - front.featured.len();
    front.featured.extend(take(newest.clone(), missing, &mut shown));
    front.latest = take(newest, FRONT_LATEST, &mut shown);
    let most_read = app.trending.top_n(now, None, None, FRONT_MOST_READ + shown.len());
    let top: Vec<ArticleId> = most_read.into_iter().map(|(id, _)| id).collect();
    front.most_read = take(app.cache.lists.summaries(&app.store, &top).await?.to_vec(), FRONT_MOST_READ, &mut shown);
    let per_block = app.renderer().site().home_section_stories;
    for top in sections.iter().filter(|s| s.parent_id.is_none()) {
        let filter = ArticleFilter::Sections(descendants(&sections, top.id));
        let stories = app.store.latest(&filter, (per_block + shown.len()) as i64, 0).await?;
        let stories = take(stories, per_block, &mut shown);
        front.blocks.push(HomeBlock { section: top.clone(), stories });
    }
    // Every story shown, the latest stories, each block's section listing, and the pins.
    let mut tags = crate::cache::PageTags::of_listing(&ArticleFilter::All, shown.iter().map(|id| id.0));
    tags.tags.extend(sections.iter().map(|s| format!("s:{}", s.id)));
    tags.tags.push(courant_store::FRONT_TAG.to_string());
    tags.listing.clear();
    tags.paged = false;
    tags.trending = true;
    let mut response = page_ok(app.renderer().home_page(&front, &sections)?);
    response.extensions_mut().insert(tags);
    Ok(response)
}

/// `GET /{section}/{yyyy}/{mm}/{dd}/{slug}`: an article. A published article under another
/// address (renamed slug, moved section) redirects to its canonical one with 301; a withdrawn
/// one answers 410; drafts and scheduled stories do not exist for readers.
async fn article(
    State(app): State<AppState>,
    OriginalUri(uri): OriginalUri,
    Path((_section, _y, _m, _d, slug)): Path<(String, String, String, String, String)>,
) -> Result<Response, AppError> {
    let mut sections = app.cache.lists.sections(&app.store).await?;
    let found = match app.store.article_page_by_slug(&slug, &sections).await {
        // In a section newer than the sections in memory (made a moment ago, maybe on another
        // node): read with the store's own.
        Err(courant_store::StoreError::NotFound(_)) => {
            sections = std::sync::Arc::new(app.store.sections().await?);
            app.store.article_page_by_slug(&slug, &sections).await?
        }
        other => other?,
    };
    let Some(courant_store::ArticleRead { article, found_related }) = found else {
        return match app.store.renamed_article(&slug).await? {
            Some(moved) if moved.status == Status::Published => moved.path().map(redirect).ok_or(AppError::NotFound),
            Some(moved) if moved.status == Status::Unpublished => Err(AppError::Gone),
            _ => Err(AppError::NotFound),
        };
    };
    match article.status {
        Status::Published => {}
        Status::Unpublished => return Err(AppError::Gone),
        Status::Draft | Status::Review | Status::Scheduled => return Err(AppError::NotFound),
    }
    let canonical = article.path().ok_or(AppError::NotFound)?;
    if uri.path() != canonical {
        return Ok(redirect(canonical));
    }
    // The page's lists, mostly from memory (the shared lists), side by side where one reads the store.
    let (latest, (related, related_found), reading_now) = tokio::try_join!(
        async { Ok::<_, AppError>(app.cache.lists.latest(&app.store, LATEST).await?) },
        related_stories(&app, &article, found_related),
        reading_now(&app, &article),
    )?;
    let html =
        app.renderer().article_page(&article, &related.stories, related.inline, &reading_now, &latest, &sections)?;
    let related = related.stories;
    // What the page shows, for the page cache: the story, the stories it lists, and the
    // latest stories' rail; "Others are reading now" follows the trending epoch.
    let shown =
        std::iter::once(article.id).chain(related.iter().chain(&reading_now).chain(latest.iter()).map(|s| s.id));
    let mut tags: Vec<String> = shown.map(|id| crate::cache::PageTags::article(id.0)).collect();
    tags.push(crate::cache::LATEST.to_string());
    let mut response = page_ok(html);
    response.extensions_mut().insert(crate::cache::PageTags {
        tags,
        trending: true,
        listing: Vec::new(),
        paged: false,
        provisional: !related_found,
    });
    Ok(response)
}

/// Stories to suggest beside an article: the editor's pinned ones, then those the search index
/// found closest (`found`, kept in the store by [`crate::related`] and read with the article),
/// four in all at least; and whether those were found. A story whose related stories are not
/// found yet (just published, or not reached yet in a new archive) suggests the latest stories
/// of its section meanwhile, and its page is marked provisional, so the cache renders it again
/// on the next request.
pub(crate) async fn related_stories(
    app: &AppState,
    article: &Article,
    found: Option<Vec<ArticleSummary>>,
) -> Result<(Related, bool), AppError> {
    let mut related = article.related.clone();
    if related.len() >= RELATED {
        let inline = related.len();
        return Ok((Related { stories: related, inline }, true));
    }
    let want = RELATED - related.len();
    let (complete, mut summaries) = match found {
        Some(found) => (true, found),
        None => {
            let section = ArticleFilter::Sections(vec![article.section.id]);
            (false, app.store.latest(&section, (RELATED + related.len() + 1) as i64, 0).await?)
        }
    };
    // Without the story and the pinned ones (the editor may have pinned one since they were
    // found); those withdrawn since are not among them.
    summaries.retain(|s| s.id != article.id && !related.iter().any(|r| r.id == s.id));
    summaries.truncate(want);
    // The pinned and the found stories are related; the section's latest, standing in until
    // they are found, are listed at the end only, never set in the body as "Also read".
    let inline = if complete { related.len() + summaries.len() } else { related.len() };
    related.extend(summaries);
    Ok((Related { stories: related, inline }, complete))
}

/// An article's related stories: the first `inline` may go into the body's "Also read" boxes.
pub(crate) struct Related {
    pub stories: Vec<ArticleSummary>,
    pub inline: usize,
}

/// "Others are reading now" for an article's page: the most read stories of the hour, across
/// the site or within the article's top-level section, without the article itself.
async fn reading_now(app: &AppState, article: &Article) -> Result<Vec<ArticleSummary>, AppError> {
    let root = article.section_path.first().map_or(article.section.id.0, |s| s.id.0);
    let same_root = move |s: i64| s == root;
    let filter: Option<&dyn Fn(i64) -> bool> =
        if app.trending.settings().per_section { Some(&same_root) } else { None };
    let top = app.trending.top(time::OffsetDateTime::now_utc(), Some(article.id), filter);
    let ids: Vec<ArticleId> = top.into_iter().map(|(id, _)| id).collect();
    Ok(app.cache.lists.summaries(&app.store, &ids).await?.to_vec())
}

/// A permanent redirect (301, which every crawler and reader understands).
fn redirect(to: String) -> Response {
    let mut r = StatusCode::MOVED_PERMANENTLY.into_response();
    if let Ok(v) = HeaderValue::from_str(&to) {
        r.headers_mut().insert(header::LOCATION, v);
    }
    r
}

/// `GET /{section}?page=N`: the section's stories and its subsections', newest first.
async fn section(
    State(app): State<AppState>,
    Path(slug): Path<String>,
    RawQuery(query): RawQuery,
) -> Result<Response, AppError> {
    let mut sections = app.cache.lists.sections(&app.store).await?;
    if !sections.iter().any(|s| s.slug == slug) {
        // Maybe a section newer than those in memory (made a moment ago, maybe on another node).
        sections = std::sync::Arc::new(app.store.sections().await?);
    }
    let Some(section) = sections.iter().find(|s| s.slug == slug).cloned() else {
        return site_page(&app, &slug, &sections).await;
    };
    let page = page_number(query.as_deref())?;
    let filter = ArticleFilter::Sections(descendants(&sections, section.id));
    let path = courant_store::section_path(&sections, section.id);
    let children = sections.iter().filter(|s| s.parent_id == Some(section.id)).cloned().collect();
    let siblings =
        sections.iter().filter(|s| s.parent_id == section.parent_id && s.id != section.id).cloned().collect();
    // The section's most read: stories of it and of its subsections. The counts know each
    // story's top-level section; a subsection keeps its own among them.
    let root = path.first().map_or(section.id, |s| s.id).0;
    let same_root = move |s: i64| s == root;
    let now = time::OffsetDateTime::now_utc();
    let top: Vec<ArticleId> =
        app.trending.top_n(now, None, Some(&same_root), 50).into_iter().map(|(id, _)| id).collect();
    let within: Vec<&str> = match &filter {
        ArticleFilter::Sections(ids) => {
            sections.iter().filter(|s| ids.contains(&s.id)).map(|s| s.slug.as_str()).collect()
        }
        _ => Vec::new(),
    };
    let mut most_read = app.cache.lists.summaries(&app.store, &top).await?.to_vec();
    most_read.retain(|s| within.contains(&s.section_slug.as_str()));
    most_read.truncate(SECTION_MOST_READ);
    let intro = ListingIntro::Section { section, path, children, siblings };
    let mut response = listing(&app, intro, &filter, page, &sections, most_read).await?;
    if let Some(tags) = response.extensions_mut().get_mut::<crate::cache::PageTags>() {
        tags.trending = true;
    }
    Ok(response)
}

/// `GET /{slug}` where no section is: one of the publication's own pages (About, Contact...).
async fn site_page(app: &AppState, slug: &str, sections: &[Section]) -> Result<Response, AppError> {
    let page = app.store.site_page(slug).await?.ok_or(AppError::NotFound)?;
    let html = app.renderer().site_page(&page.slug, &page.title, &page.body, sections)?;
    let mut response = page_ok(html);
    // Pages change with the site (a change of the whole site drops every cached page), not
    // with stories.
    response.extensions_mut().insert(crate::cache::PageTags { tags: vec!["page".into()], ..Default::default() });
    Ok(response)
}

/// `GET /tag/{slug}?page=N`.
async fn tag(
    State(app): State<AppState>,
    Path(slug): Path<String>,
    RawQuery(q): RawQuery,
) -> Result<Response, AppError> {
    let page = page_number(q.as_deref())?;
    let tag = app.store.tag_by_slug(&slug).await?.ok_or(AppError::NotFound)?;
    let filter = ArticleFilter::Tag(tag.id);
    listing(&app, ListingIntro::Tag(tag), &filter, page, &app.cache.lists.sections(&app.store).await?, Vec::new()).await
}

/// `GET /author/{slug}?page=N`: the author's profile and stories.
async fn author(
    State(app): State<AppState>,
    Path(slug): Path<String>,
    RawQuery(q): RawQuery,
) -> Result<Response, AppError> {
    let page = page_number(q.as_deref())?;
    let author = app.store.author_by_slug(&slug).await?.ok_or(AppError::NotFound)?;
    let filter = ArticleFilter::Author(author.id);
    listing(&app, ListingIntro::Author(author), &filter, page, &app.cache.lists.sections(&app.store).await?, Vec::new())
        .await
}

/// `GET /source/{slug}?page=N`: stories based on this source's reporting.
async fn source(
    State(app): State<AppState>,
    Path(slug): Path<String>,
    RawQuery(q): RawQuery,
) -> Result<Response, AppError> {
    let page = page_number(q.as_deref())?;
    let source = app.store.source_by_slug(&slug).await?.ok_or(AppError::NotFound)?;
    let filter = ArticleFilter::Source(source.id);
    listing(&app, ListingIntro::Source(source), &filter, page, &app.cache.lists.sections(&app.store).await?, Vec::new())
        .await
}

/// One page of a listing; past the last page is 404.
async fn listing(
    app: &AppState,
    intro: ListingIntro,
    filter: &ArticleFilter,
    page: i64,
    sections: &[Section],
    most_read: Vec<ArticleSummary>,
) -> Result<Response, AppError> {
    let found = app.cache.lists.published(&app.store, filter, PER_PAGE, (page - 1) * PER_PAGE).await?;
    let total_pages = ((found.total + PER_PAGE - 1) / PER_PAGE).max(1);
    if page > total_pages {
        return Err(AppError::NotFound);
    }
    let tags = crate::cache::PageTags::of_listing(filter, found.items.iter().map(|s| s.id.0));
    let listing = Listing { intro, stories: found.items, most_read, page, total_pages };
    let mut response = page_ok(app.renderer().listing_page(&listing, sections)?);
    response.extensions_mut().insert(tags);
    Ok(response)
}

/// The `page` parameter of a listing: absent means 1; a whole number past [`MAX_PAGE`] is a
/// page that does not exist (404, like any page past the end); anything but a whole number
/// from 1 is a bad request that says so. Other parameters are ignored.
fn page_number(query: Option<&str>) -> Result<i64, AppError> {
    let Some(query) = query else { return Ok(1) };
    let Some(value) = query.split('&').find_map(|pair| pair.strip_prefix("page=")) else {
        return Ok(1);
    };
    match value.parse::<u64>() {
        Ok(n) if (1..=MAX_PAGE as u64).contains(&n) => Ok(n as i64),
        Ok(n) if n > MAX_PAGE as u64 => Err(AppError::NotFound),
        _ => Err(AppError::BadRequest(format!(
            "The page number must be a whole number from 1 to {MAX_PAGE}, for example ?page=2."
        ))),
    }
}

/// The section and every section below it.
pub(crate) fn descendants(sections: &[Section], root: SectionId) -> Vec<SectionId> {
    let mut ids = vec![root];
    let mut i = 0;
    while i < ids.len() {
        let parent = ids[i];
        ids.extend(sections.iter().filter(|s| s.parent_id == Some(parent)).map(|s| s.id));
        i += 1;
    }
    ids
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_numbers() {
        assert_eq!(page_number(None).ok(), Some(1));
        assert_eq!(page_number(Some("page=3")).ok(), Some(3));
        assert_eq!(page_number(Some("utm=x&page=2")).ok(), Some(2));
        assert!(page_number(Some("page=0")).is_err());
        assert!(page_number(Some("page=-1")).is_err());
        assert!(page_number(Some("page=abc")).is_err());
        assert!(page_number(Some("page=99999999999999999999")).is_err());
    }
}

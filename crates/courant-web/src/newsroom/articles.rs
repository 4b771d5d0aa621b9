//! Articles in the newsroom: the dashboard, the list with its filters, and the headline lookup
//! the editor uses to pin related stories. The editor itself is `editor.rs` (the page) and
//! `writing.rs` (what its buttons do).

use super::{Choice, Me, Page, Pagination, page_number};
use crate::{AppError, AppState};
use axum::Extension;
use axum::extract::{Query, State};
use axum::response::Response;
use courant_core::*;
use courant_store::{NewsroomFilter, NewsroomItem};
use serde::Serialize;
use std::collections::HashMap;

/// Articles per page of the newsroom list.
const PER_PAGE: i64 = 50;

#[derive(Serialize)]
pub(super) struct ArticleRow {
    id: i64,
    headline: String,
    status: &'static str,
    status_label: &'static str,
    section_name: String,
    authors: String,
    owner_name: String,
    updated: String,
    updated_iso: String,
    /// The publication time, in the site's zone (the planned one for a scheduled story).
    published: String,
    published_iso: String,
    /// What the publication time is, said before it ("Scheduled for" a scheduled story's,
    /// never a date to come that looks as if it had passed); empty for a published story.
    publication: &'static str,
    public_url: Option<String>,
    edit_url: String,
}

fn row(app: &AppState, item: NewsroomItem) -> ArticleRow {
    let s = item.summary;
    let published = s.published_at.map(|t| app.renderer().format_time(t)).unwrap_or_default();
    let publication = match s.status {
        Status::Scheduled => "Scheduled for",
        Status::Published => "",
        // Unpublished, or back in the newsroom: the date of its earlier publication.
        _ => "First published",
    };
    ArticleRow {
        id: s.id.0,
        public_url: (s.status == Status::Published).then(|| s.path()).flatten(),
        headline: s.headline,
        status: s.status.as_str(),
        status_label: s.status.label(),
        section_name: s.section_name,
        authors: item.authors.join(", "),
        owner_name: item.owner_name.unwrap_or_default(),
        updated: app.renderer().format_time(s.updated_at),
        updated_iso: courant_render::clock::iso(s.updated_at),
        published,
        published_iso: s.published_at.map(courant_render::clock::iso).unwrap_or_default(),
        publication,
        edit_url: format!("/newsroom/articles/{}", s.id.0),
    }
}

async fn rows(app: &AppState, filter: NewsroomFilter, limit: i64) -> Result<Vec<ArticleRow>, AppError> {
    let page = app.store.newsroom_articles(&filter, limit, 0).await?;
    Ok(page.items.into_iter().map(|i| row(app, i)).collect())
}

#[derive(Serialize)]
struct Dashboard {
    review: Vec<ArticleRow>,
    scheduled: Vec<ArticleRow>,
    mine: Vec<ArticleRow>,
    show_queue: bool,
}

/// `GET /newsroom/`: what waits for review and what is scheduled (editors), and one's own work.
pub(super) async fn dashboard(
    State(app): State<AppState>,
    Extension(me): Extension<Me>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let show_queue = me.user.is(Role::Editor);
    let queue = |status| NewsroomFilter { status: Some(status), ..Default::default() };
    let view = Dashboard {
        review: if show_queue { rows(&app, queue(Status::Review), 50).await? } else { Vec::new() },
        scheduled: if show_queue { rows(&app, queue(Status::Scheduled), 50).await? } else { Vec::new() },
        mine: rows(&app, NewsroomFilter { owner: Some(me.user.id), ..Default::default() }, 20).await?,
        show_queue,
    };
    Page::of("dashboard", "Dashboard").response(&app, &me, view, Vec::new(), q.get("done").map(String::as_str))
}

#[derive(Serialize)]
struct ListView {
    rows: Vec<ArticleRow>,
    total: i64,
    pagination: Pagination,
    filters: ListFilters,
    statuses: Vec<Choice>,
    sections: Vec<Choice>,
    authors: Vec<Choice>,
    /// The site's time zone, which the list's times are in.
    timezone: String,
}

#[derive(Serialize)]
struct ListFilters {
    text: String,
}

/// `GET /newsroom/articles?text=&status=&section=&author=&page=`: every article in any status,
/// last changed first (contributors see their own).
pub(super) async fn list(
    State(app): State<AppState>,
    Extension(me): Extension<Me>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let get = |k: &str| q.get(k).map(String::as_str).unwrap_or("");
    let status = Status::parse(get("status"));
    let section = get("section").parse().ok().map(SectionId);
    let author = get("author").parse().ok().map(AuthorId);
    let text: String = get("text").chars().take(200).collect();
    let filter = NewsroomFilter {
        status,
        section,
        author,
        owner: (!me.user.is(Role::Editor)).then_some(me.user.id),
        text: text.clone(),
    };
    let page_no = page_number(q.get("page").map(String::as_str));
    let found = app.store.newsroom_articles(&filter, PER_PAGE, (page_no - 1) * PER_PAGE).await?;
    let base = format!(
        "/newsroom/articles?text={}&status={}&section={}&author={}",
        form_urlencoded::byte_serialize(text.as_bytes()).collect::<String>(),
        status.map_or("", Status::as_str),
        section.map(|s| s.0.to_string()).unwrap_or_default(),
        author.map(|a| a.0.to_string()).unwrap_or_default(),
    );
    let sections = app.store.sections().await?;
    let authors = app.store.authors().await?;
    let view = ListView {
        timezone: app.renderer().site().timezone.clone(),
        total: found.total,
        pagination: Pagination::new(page_no, PER_PAGE, found.total, |n| format!("{base}&page={n}")),
        rows: found.items.into_iter().map(|i| row(&app, i)).collect(),
        filters: ListFilters { text },
        statuses: std::iter::once(Choice::new("", "Any status", status.is_none()))
            .chain(Status::ALL.iter().map(|s| Choice::new(s.as_str(), s.label(), status == Some(*s))))
            .collect(),
        sections: std::iter::once(Choice::new("", "Any section", section.is_none()))
            .chain(section_choices(&sections, section))
            .collect(),
        authors: std::iter::once(Choice::new("", "Any author", author.is_none()))
            .chain(authors.iter().map(|a| Choice::new(a.id.0, a.name.clone(), author == Some(a.id))))
            .collect(),
    };
    Page::of("articles", "Articles").response(&app, &me, view, Vec::new(), None)
}

/// Sections as options, children indented under their parents.
pub(super) fn section_choices(sections: &[Section], selected: Option<SectionId>) -> Vec<Choice> {
    sections
        .iter()
        .map(|s| {
            let depth = courant_store::section_path(sections, s.id).len().saturating_sub(1);
            Choice::new(s.id.0, format!("{}{}", "— ".repeat(depth), s.name), selected == Some(s.id))
        })
        .collect()
}

#[derive(Serialize)]
struct Found {
    id: i64,
    headline: String,
}

/// `GET /newsroom/lookup/articles?q=`: published articles whose headline contains the words,
/// newest first, for pinning as related (JSON for the editor's script).
pub(super) async fn lookup(
    State(app): State<AppState>,
    Extension(_me): Extension<Me>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let text = super::search_words(&q);
    let found: Vec<Found> = if text.trim().chars().count() < 2 {
        Vec::new()
    } else {
        app.store
            .find_headlines(&text, 10)
            .await?
            .into_iter()
            .map(|s| Found { id: s.id.0, headline: s.headline })
            .collect()
    };
    let json = serde_json::to_string(&found).map_err(|e| AppError::internal("headlines as JSON", e))?;
    Ok(crate::respond::json(json))
}

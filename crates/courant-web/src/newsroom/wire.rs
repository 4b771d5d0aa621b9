//! The wire desk, `/newsroom/wire`: agency copy and feed entries newest first, filtered by
//! agency, subject and time; an item's whole copy with what the agency says of it (an embargo
//! in red); and "Write a story from this", which starts a draft crediting the agency and keeps
//! the item as the story's provenance.

use super::form::Form;
use super::{Choice, Me, Page, redirect};
use crate::{AppError, AppState};
use axum::Extension;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use courant_core::SectionId;
use courant_newsroom::Refusal;
use courant_store::{StoredWireItem, WireFilter};
use serde::Serialize;
use std::collections::HashMap;
use std::sync::Arc;
use time::OffsetDateTime;

/// Items per page of the desk.
const PER_PAGE: i64 = 50;

/// The time windows the desk filters by, in hours.
const WINDOWS: &[(i64, &str)] = &[(1, "Last hour"), (6, "Last 6 hours"), (24, "Last 24 hours"), (168, "Last week")];

#[derive(Serialize)]
struct Row {
    id: i64,
    url: String,
    headline: String,
    source: String,
    when: String,
    iso: String,
    urgency: Option<i64>,
    embargoed: Option<String>,
    updated: bool,
}

#[derive(Serialize)]
struct DeskView {
    items: Vec<Row>,
    /// The sections a story from the chosen items may go in.
    sections: Vec<Choice>,
    sources: Vec<Choice>,
    windows: Vec<Choice>,
    q: String,
    subject: String,
    this_url: String,
    /// Where the desk's script asks for newer items (none on pages of older items).
    rows_url: Option<String>,
    /// The desk's time when it has no items yet: the script asks for items after it.
    since: String,
    older_url: Option<String>,
    filtered: bool,
    empty: &'static str,
}

/// The desk's filters, from its query string.
struct DeskQuery {
    q: Option<String>,
    source: Option<String>,
    subject: Option<String>,
    hours: Option<i64>,
    before: Option<i64>,
}

impl DeskQuery {
    fn parse(q: &HashMap<String, String>) -> DeskQuery {
        let text = |name: &str| {
            let value: String = q.get(name)?.trim().chars().take(200).collect();
            (!value.is_empty()).then_some(value)
        };
        DeskQuery {
            q: text("q"),
            source: text("source"),
            subject: text("subject"),
            hours: q.get("hours").and_then(|h| h.parse::<i64>().ok()).filter(|h| WINDOWS.iter().any(|(w, _)| w == h)),
            before: q.get("before").and_then(|b| b.parse::<i64>().ok()),
        }
    }

    fn filter(&self, now: OffsetDateTime, after: Option<OffsetDateTime>) -> WireFilter {
        WireFilter {
            source: self.source.clone(),
            subject: self.subject.clone(),
            since: self.hours.map(|h| now - time::Duration::hours(h)),
            after,
            text: self.q.clone(),
        }
    }

    fn filtered(&self) -> bool {
        self.q.is_some() || self.source.is_some() || self.subject.is_some() || self.hours.is_some()
    }

    /// `path` with these filters (not the page) and then `more`.
    fn url(&self, path: &str, more: &[(&str, String)]) -> String {
        let mut query = form_urlencoded::Serializer::new(String::new());
        for (name, value) in [("q", &self.q), ("source", &self.source), ("subject", &self.subject)] {
            if let Some(v) = value {
                query.append_pair(name, v);
            }
        }
        if let Some(h) = self.hours {
            query.append_pair("hours", &h.to_string());
        }
        for (name, value) in more {
            query.append_pair(name, value);
        }
        let query = query.finish();
        if query.is_empty() { path.to_string() } else { format!("{path}?{query}") }
    }
}

fn rows(app: &AppState, items: &[StoredWireItem], now: OffsetDateTime) -> Vec<Row> {
    let renderer = app.renderer();
    items
        .iter()
        .map(|s| Row {
            id: s.id,
            url: format!("/newsroom/wire/{}", s.id),
            headline: s.item.headline.clone(),
            source: s.item.source.clone(),
            when: renderer.format_time(s.updated_at),
            iso: courant_render::clock::iso(s.updated_at),
            urgency: s.item.urgency,
            embargoed: s.item.embargo.filter(|e| *e > now).map(|e| renderer.format_time(e)),
            updated: s.updated_at > s.received_at,
        })
        .collect()
}

/// `GET /newsroom/wire?q=WORDS&source=S&subject=T&hours=H&before=ID`: the desk, newest first;
/// its script adds new items at the top as they come (see [`new_rows`]).
pub(super) async fn desk(
    State(app): State<AppState>,
    Extension(me): Extension<Me>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let now = OffsetDateTime::now_utc();
    let query = DeskQuery::parse(&q);
    let items = app.store.wire_items(&query.filter(now, None), PER_PAGE, query.before).await?;
    let older_url = (items.len() as i64 == PER_PAGE)
        .then(|| items.last().map(|last| query.url("/newsroom/wire", &[("before", last.id.to_string())])))
        .flatten();
    let mut sources = vec![Choice::new("", "All agencies", query.source.is_none())];
    sources.extend(app.store.wire_sources().await?.into_iter().map(|s| {
        let chosen = query.source.as_deref() == Some(s.as_str());
        Choice::new(&s, s.clone(), chosen)
    }));
    let mut windows = vec![Choice::new("", "Any time", query.hours.is_none())];
    windows.extend(WINDOWS.iter().map(|(h, label)| Choice::new(h, *label, query.hours == Some(*h))));
    let view = DeskView {
        items: rows(&app, &items, now),
        sections: super::articles::section_choices(&app.store.sections().await?, None),
        sources,
        windows,
        q: query.q.clone().unwrap_or_default(),
        subject: query.subject.clone().unwrap_or_default(),
        this_url: query.url("/newsroom/wire", &[]),
        rows_url: query.before.is_none().then(|| query.url("/newsroom/wire/rows", &[])),
        since: courant_render::clock::iso(now),
        older_url,
        filtered: query.filtered(),
        empty: if query.filtered() {
            "No item matches: try fewer words or another filter."
        } else {
            "No wire copy yet: add files with courant wire ingest, the drop folder or a feed."
        },
    };
    Page::of("wire", "Wire").response(&app, &me, view, Vec::new(), None)
}

/// `GET /newsroom/wire/rows?after=TIME&q=...`: the desk's rows of the items received or updated
/// after `after` that its filters let through, newest first (at most a page), for the desk's
/// script to put at the top.
pub(super) async fn new_rows(
    State(app): State<AppState>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let now = OffsetDateTime::now_utc();
    let after = q.get("after").map(|a| {
        OffsetDateTime::parse(a, &time::format_description::well_known::Rfc3339)
            .map_err(|_| AppError::BadRequest(format!("after: {a:?} is not an RFC 3339 time")))
    });
    let after = after.transpose()?;
    let query = DeskQuery::parse(&q);
    let items = app.store.wire_items(&query.filter(now, after), PER_PAGE, None).await?;
    #[derive(Serialize)]
    struct RowsView {
        items: Vec<Row>,
    }
    let html = app.newsroom_templates.render("wire_rows", &RowsView { items: rows(&app, &items, now) })?;
    Ok(crate::respond::html(axum::http::StatusCode::OK, html))
}

#[derive(Serialize)]
struct ItemView {
    id: i64,
    headline: String,
    source: String,
    byline: String,
    dateline: String,
    format: String,
    version: i64,
    received: String,
    updated: Option<String>,
    first_created: Option<String>,
    version_created: Option<String>,
    embargo: Option<String>,
    under_embargo: bool,
    urgency: Option<i64>,
    subjects: Vec<String>,
    link: String,
    language: String,
    pictures: Vec<String>,
    /// Already sanitised when it came in; cleaned again here all the same.
    body_html: String,
    sections: Vec<Choice>,
    stories: Vec<(String, String)>,
}

/// `GET /newsroom/wire/{id}`: the whole copy with its metadata, the stories written from it,
/// and the form that starts one.
pub(super) async fn item(
    State(app): State<AppState>,
    Extension(me): Extension<Me>,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    item_page(&app, &me, id, Vec::new()).await
}

async fn item_page(app: &AppState, me: &Me, id: i64, errors: Vec<String>) -> Result<Response, AppError> {
    let stored = app.store.wire_item(id).await?.ok_or(AppError::NotFound)?;
    let sections = app.store.sections().await?;
    let stories = app.store.stories_from_wire(id).await?;
    let view = item_view(app, &stored, &sections, stories);
    Page::within("wire_item", "wire", &stored.item.headline).response(app, me, view, errors, None)
}

fn item_view(
    app: &AppState,
    stored: &StoredWireItem,
    sections: &[courant_core::Section],
    stories: Vec<courant_core::ArticleSummary>,
) -> ItemView {
    let renderer = app.renderer();
    let now = OffsetDateTime::now_utc();
    let item = &stored.item;
    ItemView {
        id: stored.id,
        headline: item.headline.clone(),
        source: item.source.clone(),
        byline: item.byline.clone(),
        dateline: item.dateline.clone(),
        format: stored.format.clone(),
        version: item.version,
        received: renderer.format_time(stored.received_at),
        updated: (stored.updated_at > stored.received_at).then(|| renderer.format_time(stored.updated_at)),
        first_created: item.first_created.map(|t| renderer.format_time(t)),
        version_created: item.version_created.map(|t| renderer.format_time(t)),
        embargo: item.embargo.map(|t| renderer.format_time(t)),
        under_embargo: item.embargo.is_some_and(|e| e > now),
        urgency: item.urgency,
        subjects: item.subjects.clone(),
        link: item.link.clone(),
        language: item.language.clone(),
        pictures: item.pictures.clone(),
        body_html: courant_render::markdown::sanitise_html(&item.body_html),
        sections: super::articles::section_choices(sections, None),
        stories: stories.iter().map(|s| (format!("/newsroom/articles/{}", s.id), s.headline.clone())).collect(),
    }
}

/// `POST /newsroom/wire/{id}/write`: starts a draft from the item (its headline and first
/// paragraph, the agency as a source, the item as provenance) in the section chosen, and opens
/// it in the editor.
pub(super) async fn write(
    State(app): State<AppState>,
    Extension(me): Extension<Me>,
    Extension(form): Extension<Arc<Form>>,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let section = form.get("section").parse::<i64>().ok().map(SectionId);
    let written = match section {
        Some(section) => app.newsroom.write_from_wire(&me.user, &[id], section).await,
        None => Err(Refusal::invalid("Section", "choose the section the story goes in.")),
    };
    match written {
        Ok(article) => Ok(redirect(&format!("/newsroom/articles/{article}?done=from_wire"))),
        Err(Refusal::Invalid(errors)) => {
            let errors = super::messages(&errors);
            let stored = app.store.wire_item(id).await?.ok_or(AppError::NotFound)?;
            let sections = app.store.sections().await?;
            let stories = app.store.stories_from_wire(id).await?;
            let view = item_view(&app, &stored, &sections, stories);
            let page =
                Page::within("wire_item", "wire", &stored.item.headline).html(&app, &me, view, errors.clone(), None)?;
            Err(AppError::invalid(errors).with_page(page))
        }
        Err(refusal) => Err(refusal.into()),
    }
}

/// The most items one story is started from.
const MOST_ITEMS: usize = 20;

/// `POST /newsroom/wire/write`: starts one draft from the items chosen on the desk (the first
/// one's headline and first paragraph, every agency a source, every item its provenance).
pub(super) async fn write_selected(
    State(app): State<AppState>,
    Extension(me): Extension<Me>,
    Extension(form): Extension<Arc<Form>>,
) -> Result<Response, AppError> {
    let mut errors = Vec::new();
    let mut items: Vec<i64> = Vec::new();
    for value in form.all("item") {
        match value.parse::<i64>() {
            Ok(id) if !items.contains(&id) => items.push(id),
            Ok(_) => {}
            Err(_) => errors.push(format!("Wire copy: {value:?} is not an item of the desk.")),
        }
    }
    if items.is_empty() {
        errors.push("Wire copy: tick the items to write from.".into());
    }
    if items.len() > MOST_ITEMS {
        errors.push(format!("Wire copy: a story is started from at most {MOST_ITEMS} items."));
    }
    let section = form.get("section").parse::<i64>().ok().map(SectionId);
    if section.is_none() {
        errors.push("Section: choose the section the story goes in.".into());
    }
    let Some(section) = section.filter(|_| errors.is_empty()) else {
        return Err(AppError::invalid(errors));
    };
    match app.newsroom.write_from_wire(&me.user, &items, section).await {
        Ok(article) => Ok(redirect(&format!("/newsroom/articles/{article}?done=from_wire"))),
        Err(Refusal::Invalid(errors)) => Err(AppError::invalid(super::messages(&errors))),
        Err(refusal) => Err(refusal.into()),
    }
}

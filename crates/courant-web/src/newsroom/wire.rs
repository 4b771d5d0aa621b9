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
    subject: String,
    older_url: Option<String>,
    filtered: bool,
}

/// `GET /newsroom/wire?source=S&subject=T&hours=H&before=ID`: the desk, newest first. The page
/// reloads itself every minute, so new items appear without a click.
pub(super) async fn desk(
    State(app): State<AppState>,
    Extension(me): Extension<Me>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let now = OffsetDateTime::now_utc();
    let source = q.get("source").map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
    let subject = q.get("subject").map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
    let hours = q.get("hours").and_then(|h| h.parse::<i64>().ok()).filter(|h| WINDOWS.iter().any(|(w, _)| w == h));
    let before = q.get("before").and_then(|b| b.parse::<i64>().ok());
    let filter = WireFilter {
        source: source.clone(),
        subject: subject.clone(),
        since: hours.map(|h| now - time::Duration::hours(h)),
    };
    let items = app.store.wire_items(&filter, PER_PAGE, before).await?;
    let renderer = app.renderer();
    let rows = items
        .iter()
        .map(|s| Row {
            id: s.id,
            url: format!("/newsroom/wire/{}", s.id),
            headline: s.item.headline.clone(),
            source: s.item.source.clone(),
            when: renderer.format_time(s.updated_at),
            iso: s.updated_at.format(&time::format_description::well_known::Rfc3339).unwrap_or_default(),
            urgency: s.item.urgency,
            embargoed: s.item.embargo.filter(|e| *e > now).map(|e| renderer.format_time(e)),
            updated: s.updated_at > s.received_at,
        })
        .collect();
    let older_url = (items.len() as i64 == PER_PAGE).then(|| {
        let mut query = form_urlencoded::Serializer::new(String::new());
        if let Some(s) = &source {
            query.append_pair("source", s);
        }
        if let Some(s) = &subject {
            query.append_pair("subject", s);
        }
        if let Some(h) = hours {
            query.append_pair("hours", &h.to_string());
        }
        if let Some(last) = items.last() {
            query.append_pair("before", &last.id.to_string());
        }
        format!("/newsroom/wire?{}", query.finish())
    });
    let mut sources = vec![Choice::new("", "All agencies", source.is_none())];
    sources.extend(app.store.wire_sources().await?.into_iter().map(|s| {
        let chosen = source.as_deref() == Some(s.as_str());
        Choice::new(&s, s.clone(), chosen)
    }));
    let mut windows = vec![Choice::new("", "Any time", hours.is_none())];
    windows.extend(WINDOWS.iter().map(|(h, label)| Choice::new(h, *label, hours == Some(*h))));
    let view = DeskView {
        items: rows,
        sections: super::articles::section_choices(&app.store.sections().await?, None),
        sources,
        windows,
        subject: subject.clone().unwrap_or_default(),
        older_url,
        filtered: source.is_some() || subject.is_some() || hours.is_some(),
    };
    Page::of("wire", "Wire").response(&app, &me, view, Vec::new(), None)
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

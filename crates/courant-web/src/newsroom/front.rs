//! `/newsroom/front`: the front page as editors curate it. They pin a published story as the
//! lead or as a featured story, order the featured, give a pin an end time, and unpin; the
//! page shows what readers see now. Without pins the newest stories fill the places.

use super::form::{Form, local_time};
use super::{Me, Page, redirect};
use crate::routes::site::FEATURED;
use crate::{AppError, AppState};
use axum::Extension;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use courant_core::{ArticleId, ArticleSummary};
use courant_store::{FrontSlot, StoreError};
use serde::Serialize;
use std::collections::HashMap;
use std::sync::Arc;
use time::OffsetDateTime;

#[derive(Serialize)]
struct PinRow {
    id: i64,
    headline: String,
    url: String,
    edit_url: String,
    lead: bool,
    /// Why readers do not see it, if they do not.
    hidden: Option<&'static str>,
    until: String,
    first: bool,
    last: bool,
}

#[derive(Serialize)]
struct Candidate {
    id: i64,
    headline: String,
    section: String,
    published: String,
    pinned: bool,
}

#[derive(Serialize)]
struct FrontView {
    pins: Vec<PinRow>,
    featured_max: usize,
    q: String,
    candidates: Vec<Candidate>,
    timezone: String,
}

/// `GET /newsroom/front?q=WORDS`: editors only. The pins, and published stories to pin (the
/// newest, or those whose headline holds the words).
pub(super) async fn front(
    State(app): State<AppState>,
    Extension(me): Extension<Me>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let words: String = q.get("q").map(String::as_str).unwrap_or("").trim().chars().take(200).collect();
    let view = front_view(&app, &words).await?;
    Page::within("front", "front", "Front page").response(
        &app,
        &me,
        view,
        Vec::new(),
        q.get("done").map(String::as_str),
    )
}

async fn front_view(app: &AppState, words: &str) -> Result<FrontView, AppError> {
    let now = OffsetDateTime::now_utc();
    let renderer = app.renderer();
    let pins = app.store.front_pins().await?;
    let ids: Vec<ArticleId> = pins.iter().map(|p| p.article_id).collect();
    let published = app.store.published_summaries(&ids).await?;
    let featured_count = pins.iter().filter(|p| p.slot == FrontSlot::Featured).count();
    let mut featured_seen = 0;
    let mut rows = Vec::new();
    for pin in &pins {
        let story = published.iter().find(|s| s.id == pin.article_id);
        let lead = pin.slot == FrontSlot::Lead;
        let index = featured_seen;
        if !lead {
            featured_seen += 1;
        }
        let hidden = if story.is_none() {
            Some("not published: readers do not see it")
        } else if !lead && index >= FEATURED {
            Some("waiting: the front page shows the first featured stories only")
        } else {
            None
        };
        let headline = match story {
            Some(s) => s.headline.clone(),
            None => app.store.article(pin.article_id).await?.map(|a| a.headline).unwrap_or_default(),
        };
        rows.push(PinRow {
            id: pin.article_id.0,
            headline,
            url: story.and_then(|s| s.path()).unwrap_or_default(),
            edit_url: format!("/newsroom/articles/{}", pin.article_id.0),
            lead,
            hidden,
            until: pin.expires_at.filter(|e| *e > now).map(|e| renderer.format_time(e)).unwrap_or_default(),
            first: !lead && index == 0,
            last: !lead && index + 1 == featured_count,
        });
    }
    let stories: Vec<ArticleSummary> = if words.chars().count() >= 2 {
        app.store.find_headlines(words, 20).await?
    } else {
        app.store.latest(&courant_store::ArticleFilter::All, 20, 0).await?
    };
    let candidates = stories
        .into_iter()
        .map(|s| Candidate {
            id: s.id.0,
            pinned: ids.contains(&s.id),
            section: s.section_name.clone(),
            published: s.published_at.map(|t| renderer.format_time(t)).unwrap_or_default(),
            headline: s.headline,
        })
        .collect();
    Ok(FrontView {
        pins: rows,
        featured_max: FEATURED,
        q: words.to_string(),
        candidates,
        timezone: renderer.site().timezone.clone(),
    })
}

/// `POST /newsroom/front/pins`: editors only. Pins `article` as `slot` (`lead` or `featured`),
/// until `until` (site time) when given.
pub(super) async fn pin(
    State(app): State<AppState>,
    Extension(me): Extension<Me>,
    Extension(form): Extension<Arc<Form>>,
) -> Result<Response, AppError> {
    let article = form.get("article").trim().parse::<i64>().map(ArticleId).map_err(|_| AppError::NotFound)?;
    let slot = FrontSlot::parse(form.get("slot").trim()).unwrap_or(FrontSlot::Featured);
    let raw_until = form.get("until").trim();
    let until = if raw_until.is_empty() { None } else { local_time(raw_until, app.renderer().clock()) };
    let mut errors = Vec::new();
    if !raw_until.is_empty() && until.is_none() {
        errors.push(format!("Until: “{raw_until}” is not a date and time."));
    } else {
        match app.store.pin_front(article, slot, until, Some(me.user.id), OffsetDateTime::now_utc()).await {
            Ok(()) => return Ok(redirect("/newsroom/front?done=pinned")),
            Err(StoreError::Invalid(e)) => errors.push(e.message),
            // Not found answers 404 (see `AppError`'s `From<StoreError>`).
            Err(e) => return Err(e.into()),
        }
    }
    let view = front_view(&app, "").await?;
    let page = Page::within("front", "front", "Front page").html(&app, &me, view, errors.clone(), None)?;
    Err(AppError::invalid(errors).with_page(page))
}

/// `POST /newsroom/front/pins/{id}/unpin`: editors only.
pub(super) async fn unpin(
    State(app): State<AppState>,
    Extension(me): Extension<Me>,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    app.store.unpin_front(ArticleId(id), Some(me.user.id), OffsetDateTime::now_utc()).await?;
    Ok(redirect("/newsroom/front?done=unpinned"))
}

/// `POST /newsroom/front/pins/{id}/up` and `.../down`: editors only. Moves a featured story.
pub(super) async fn up(
    State(app): State<AppState>,
    me: Extension<Me>,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    move_pin(&app, &me, id, true).await
}

pub(super) async fn down(
    State(app): State<AppState>,
    me: Extension<Me>,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    move_pin(&app, &me, id, false).await
}

async fn move_pin(app: &AppState, me: &Me, id: i64, up: bool) -> Result<Response, AppError> {
    app.store.move_front_pin(ArticleId(id), up, Some(me.user.id), OffsetDateTime::now_utc()).await?;
    Ok(redirect("/newsroom/front?done=moved"))
}

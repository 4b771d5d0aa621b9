//! `/newsroom/wire/feeds`: the feeds the wire desk polls, with their health (last success,
//! last error in words, items in the last 24 hours); editors add, pause, resume and remove
//! them.

use super::form::Form;
use super::{Me, Page, redirect};
use crate::{AppError, AppState};
use axum::Extension;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use courant_store::NewWireFeed;
use serde::Serialize;
use std::collections::HashMap;
use std::sync::Arc;
use time::OffsetDateTime;

#[derive(Serialize)]
struct FeedRow {
    id: i64,
    url: String,
    source: String,
    every: String,
    paused: bool,
    last_success: String,
    last_error: String,
    last_error_at: String,
    failing: bool,
    recent: i64,
}

#[derive(Serialize)]
struct FeedsView {
    feeds: Vec<FeedRow>,
    url: String,
    source: String,
    minutes: String,
}

/// `GET /newsroom/wire/feeds`: editors only.
pub(super) async fn feeds(
    State(app): State<AppState>,
    Extension(me): Extension<Me>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let view = feeds_view(&app, "", "", "5").await?;
    Page::within("wire_feeds", "wire", "Wire feeds").response(
        &app,
        &me,
        view,
        Vec::new(),
        q.get("done").map(String::as_str),
    )
}

async fn feeds_view(app: &AppState, url: &str, source: &str, minutes: &str) -> Result<FeedsView, AppError> {
    let now = OffsetDateTime::now_utc();
    let renderer = app.renderer();
    let feeds = app.store.wire_feeds(now - time::Duration::hours(24)).await?;
    Ok(FeedsView {
        feeds: feeds
            .into_iter()
            .map(|(f, recent)| FeedRow {
                id: f.id,
                every: every(f.interval_seconds),
                paused: f.paused,
                last_success: f.last_success_at.map(|t| renderer.format_time(t)).unwrap_or_else(|| "never".into()),
                failing: f.failures > 0,
                last_error_at: f.last_error_at.map(|t| renderer.format_time(t)).unwrap_or_default(),
                last_error: f.last_error,
                url: f.url,
                source: f.source,
                recent,
            })
            .collect(),
        url: url.to_string(),
        source: source.to_string(),
        minutes: minutes.to_string(),
    })
}

fn every(seconds: i64) -> String {
    match seconds {
        s if s % 3600 == 0 => format!("every {} h", s / 3600),
        s => format!("every {} min", s / 60),
    }
}

/// `POST /newsroom/wire/feeds`: editors only. Adds a feed, polled at once.
pub(super) async fn add(
    State(app): State<AppState>,
    Extension(me): Extension<Me>,
    Extension(form): Extension<Arc<Form>>,
) -> Result<Response, AppError> {
    let (url, source, minutes) = (form.get("url").trim(), form.get("source").trim(), form.get("minutes").trim());
    let interval_seconds = minutes.parse::<i64>().map(|m| m.saturating_mul(60)).unwrap_or(0);
    let new = NewWireFeed { url: url.to_string(), source: source.to_string(), interval_seconds };
    match app.store.add_wire_feed(&new, OffsetDateTime::now_utc()).await {
        Ok(_) => Ok(redirect("/newsroom/wire/feeds?done=feed_added")),
        Err(courant_store::StoreError::Invalid(e)) => {
            let field = match e.field {
                "url" => "Address",
                "source" => "Source",
                _ => "Every",
            };
            let errors = vec![format!("{field}: {}", e.message)];
            let view = feeds_view(&app, url, source, minutes).await?;
            let page = Page::within("wire_feeds", "wire", "Wire feeds").html(&app, &me, view, errors.clone(), None)?;
            Err(AppError::invalid(errors).with_page(page))
        }
        Err(e) => Err(e.into()),
    }
}

/// `POST /newsroom/wire/feeds/{id}/pause`: editors only.
pub(super) async fn pause(State(app): State<AppState>, Path(id): Path<i64>) -> Result<Response, AppError> {
    app.store.pause_wire_feed(id, true, OffsetDateTime::now_utc()).await?;
    Ok(redirect("/newsroom/wire/feeds?done=feed_paused"))
}

/// `POST /newsroom/wire/feeds/{id}/resume`: editors only. The feed is polled at once.
pub(super) async fn resume(State(app): State<AppState>, Path(id): Path<i64>) -> Result<Response, AppError> {
    app.store.pause_wire_feed(id, false, OffsetDateTime::now_utc()).await?;
    Ok(redirect("/newsroom/wire/feeds?done=feed_resumed"))
}

/// `POST /newsroom/wire/feeds/{id}/delete`: editors only. The items it gave stay.
pub(super) async fn delete(State(app): State<AppState>, Path(id): Path<i64>) -> Result<Response, AppError> {
    app.store.delete_wire_feed(id).await?;
    Ok(redirect("/newsroom/wire/feeds?done=feed_removed"))
}

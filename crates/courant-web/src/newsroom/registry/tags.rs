//! Tags: how often each is used; rename, merge into another, delete (`/newsroom/tags`). Tags
//! are made on the fly by writers, so there is no form to add one and no page of one's own.

use super::super::form::Form;
use super::super::{Me, Page, redirect};
use super::done;
use crate::{AppError, AppState};
use axum::Extension;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use courant_core::*;
use courant_newsroom::Refusal;
use serde::Serialize;
use std::collections::HashMap;
use std::sync::Arc;

#[derive(Serialize)]
struct TagRow {
    id: i64,
    name: String,
    slug: String,
    uses: i64,
}

#[derive(Serialize)]
struct TagsView {
    tags: Vec<TagRow>,
    q: String,
    used_by: Vec<String>,
}

/// `GET /newsroom/tags?q=`: tags with how often they are used; rename, merge, delete.
pub(in crate::newsroom) async fn tags(
    State(app): State<AppState>,
    Extension(me): Extension<Me>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let text = q.get("q").cloned().unwrap_or_default();
    let html = tags_page(&app, &me, &text, Vec::new(), Vec::new(), done(&q)).await?;
    Ok(crate::respond::html(StatusCode::OK, html))
}

async fn tags_page(
    app: &AppState,
    me: &Me,
    text: &str,
    errors: Vec<String>,
    used_by: Vec<String>,
    done: Option<&str>,
) -> Result<String, AppError> {
    let needle = text.trim().to_lowercase();
    let tags = app
        .store
        .tags_with_counts()
        .await?
        .into_iter()
        .filter(|u| needle.is_empty() || u.tag.name.to_lowercase().contains(&needle))
        .map(|u| TagRow { id: u.tag.id.0, name: u.tag.name, slug: u.tag.slug, uses: u.articles })
        .collect();
    let view = TagsView { tags, q: text.chars().take(100).collect(), used_by };
    Page::of("tags", "Tags").html(app, me, view, errors, done)
}

/// The tags page again with why the action was refused; anything else as it is.
async fn refused(app: &AppState, me: &Me, refusal: Refusal) -> AppError {
    let (error, errors, used_by) = match refusal {
        Refusal::Invalid(errors) => {
            let errors = crate::newsroom::messages(&errors);
            (AppError::invalid(errors.clone()), errors, Vec::new())
        }
        Refusal::InUse { what, used_by } => {
            let message = vec!["This tag cannot be deleted while articles carry it.".to_string()];
            (AppError::from(Refusal::InUse { what, used_by: used_by.clone() }), message, used_by)
        }
        other => return other.into(),
    };
    match tags_page(app, me, "", errors, used_by, None).await {
        Ok(page) => error.with_page(page),
        Err(e) => e,
    }
}

/// Where the tags page is, with what was done.
fn to_tags(outcome: Result<(), Refusal>, done: &str) -> Result<Response, Refusal> {
    outcome.map(|()| redirect(&format!("/newsroom/tags?done={done}")))
}

/// `POST /newsroom/tags/{id}`: renames a tag (its address stays).
pub(in crate::newsroom) async fn rename_tag(
    State(app): State<AppState>,
    Extension(me): Extension<Me>,
    Extension(form): Extension<Arc<Form>>,
    Path(id): Path<TagId>,
) -> Result<Response, AppError> {
    match to_tags(app.newsroom.rename_tag(&me.user, id, form.get("name")).await, "saved") {
        Ok(r) => Ok(r),
        Err(refusal) => Err(refused(&app, &me, refusal).await),
    }
}

/// `POST /newsroom/tags/{id}/merge`: moves every article of this tag to the tag named `into`,
/// then deletes this one.
pub(in crate::newsroom) async fn merge_tag(
    State(app): State<AppState>,
    Extension(me): Extension<Me>,
    Extension(form): Extension<Arc<Form>>,
    Path(id): Path<TagId>,
) -> Result<Response, AppError> {
    match to_tags(app.newsroom.merge_tag(&me.user, id, form.get("into")).await, "merged") {
        Ok(r) => Ok(r),
        Err(refusal) => Err(refused(&app, &me, refusal).await),
    }
}

/// `POST /newsroom/tags/{id}/delete`: deletes a tag no article carries.
pub(in crate::newsroom) async fn delete_tag(
    State(app): State<AppState>,
    Extension(me): Extension<Me>,
    Path(id): Path<TagId>,
) -> Result<Response, AppError> {
    match to_tags(app.newsroom.delete_tag(&me.user, id).await, "deleted") {
        Ok(r) => Ok(r),
        Err(refusal) => Err(refused(&app, &me, refusal).await),
    }
}

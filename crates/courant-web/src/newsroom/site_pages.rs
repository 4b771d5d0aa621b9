//! `/newsroom/pages`: the publication's own pages (About, Contact, the corrections policy,
//! terms, privacy), which Google News and readers look for. Editors write them in Markdown
//! like a story, choose their address and whether the footer links them.

use super::form::Form;
use super::{Me, Page, redirect};
use crate::{AppError, AppState};
use axum::Extension;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use courant_store::{PageDraft, SitePage, StoreError};
use serde::Serialize;
use std::collections::HashMap;
use std::sync::Arc;
use time::OffsetDateTime;

#[derive(Serialize)]
struct PageRow {
    id: i64,
    title: String,
    url: String,
    edit_url: String,
    in_footer: bool,
    updated: String,
}

/// What the page form shows: the page as stored, or as sent when refused.
#[derive(Serialize, Default)]
struct PageFields {
    slug: String,
    title: String,
    body: String,
    in_footer: bool,
    position: String,
}

#[derive(Serialize)]
struct PagesView {
    pages: Vec<PageRow>,
    new: PageFields,
}

#[derive(Serialize)]
struct PageView {
    id: i64,
    url: String,
    page: PageFields,
}

/// `GET /newsroom/pages`: editors only.
pub(super) async fn list(
    State(app): State<AppState>,
    Extension(me): Extension<Me>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let new = PageFields { in_footer: true, position: "0".into(), ..PageFields::default() };
    let view = pages_view(&app, new).await?;
    Page::within("site_pages", "pages", "Pages").response(
        &app,
        &me,
        view,
        Vec::new(),
        q.get("done").map(String::as_str),
    )
}

async fn pages_view(app: &AppState, new: PageFields) -> Result<PagesView, AppError> {
    let renderer = app.renderer();
    let pages = app.store.site_pages().await?;
    Ok(PagesView {
        pages: pages
            .into_iter()
            .map(|p| PageRow {
                id: p.id,
                url: format!("/{}", p.slug),
                edit_url: format!("/newsroom/pages/{}", p.id),
                in_footer: p.in_footer,
                updated: renderer.format_time(p.updated_at),
                title: p.title,
            })
            .collect(),
        new,
    })
}

/// `GET /newsroom/pages/{id}`: editors only.
pub(super) async fn item(
    State(app): State<AppState>,
    Extension(me): Extension<Me>,
    Path(id): Path<i64>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let page = find(&app, id).await?;
    let view = PageView { id, url: format!("/{}", page.slug), page: fields_of(&page) };
    Page::within("site_page", "pages", &page.title).response(
        &app,
        &me,
        view,
        Vec::new(),
        q.get("done").map(String::as_str),
    )
}

/// `POST /newsroom/pages`: editors only. Adds a page.
pub(super) async fn create(
    State(app): State<AppState>,
    Extension(me): Extension<Me>,
    Extension(form): Extension<Arc<Form>>,
) -> Result<Response, AppError> {
    save(&app, &me, None, &form).await
}

/// `POST /newsroom/pages/{id}`: editors only.
pub(super) async fn update(
    State(app): State<AppState>,
    Extension(me): Extension<Me>,
    Extension(form): Extension<Arc<Form>>,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    find(&app, id).await?;
    save(&app, &me, Some(id), &form).await
}

/// `POST /newsroom/pages/{id}/delete`: editors only.
pub(super) async fn delete(
    State(app): State<AppState>,
    Extension(me): Extension<Me>,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    app.store.delete_site_page(id, Some(me.user.id), OffsetDateTime::now_utc()).await?;
    Ok(redirect("/newsroom/pages?done=deleted"))
}

async fn save(app: &AppState, me: &Me, id: Option<i64>, form: &Form) -> Result<Response, AppError> {
    let sent = PageFields {
        slug: form.get("slug").trim().to_string(),
        title: form.get("title").trim().to_string(),
        body: form.get("body").replace("\r\n", "\n"),
        in_footer: !form.get("in_footer").is_empty(),
        position: form.get("position").trim().to_string(),
    };
    let mut errors = Vec::new();
    let position = match sent.position.as_str() {
        "" => 0,
        p => p.parse::<i64>().ok().filter(|p| (0..=1000).contains(p)).unwrap_or_else(|| {
            errors.push("Order in the footer: a number from 0 to 1000.".to_string());
            0
        }),
    };
    if errors.is_empty() {
        let draft = PageDraft {
            slug: sent.slug.clone(),
            title: sent.title.clone(),
            body: sent.body.clone(),
            in_footer: sent.in_footer,
            position,
        };
        match app.store.save_site_page(id, &draft, Some(me.user.id), OffsetDateTime::now_utc()).await {
            Ok(saved) => return Ok(redirect(&format!("/newsroom/pages/{saved}?done=saved"))),
            Err(StoreError::Invalid(e)) => {
                let field = match e.field {
                    "slug" => "Address",
                    "title" => "Title",
                    _ => "Text",
                };
                errors.push(format!("{field}: {}", e.message));
            }
            Err(e) => return Err(e.into()),
        }
    }
    let page = match id {
        None => Page::within("site_pages", "pages", "Pages").html(
            app,
            me,
            pages_view(app, sent).await?,
            errors.clone(),
            None,
        )?,
        Some(id) => {
            let view = PageView { id, url: format!("/{}", sent.slug), page: sent };
            Page::within("site_page", "pages", "Page").html(app, me, view, errors.clone(), None)?
        }
    };
    Err(AppError::invalid(errors).with_page(page))
}

async fn find(app: &AppState, id: i64) -> Result<SitePage, AppError> {
    app.store.site_pages().await?.into_iter().find(|p| p.id == id).ok_or(AppError::NotFound)
}

fn fields_of(p: &SitePage) -> PageFields {
    PageFields {
        slug: p.slug.clone(),
        title: p.title.clone(),
        body: p.body.clone(),
        in_footer: p.in_footer,
        position: p.position.to_string(),
    }
}

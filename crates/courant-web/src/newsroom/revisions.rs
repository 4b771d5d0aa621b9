//! An article's history: every save with who made it and when, and what changed between two
//! revisions, word by word. (Restoring one is an action of the editor: `writing.rs`.)

use super::editor::{Names, fields_of};
use super::{Me, Page};
use crate::{AppError, AppState};
use axum::Extension;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use courant_core::*;
use serde::Serialize;
use std::collections::HashMap;

#[derive(Serialize)]
struct ArticleHead {
    id: i64,
    headline: String,
    edit_url: String,
}

#[derive(Serialize)]
struct RevisionRow {
    id: i64,
    version: i64,
    user_name: String,
    created: String,
    note: String,
    conflict: bool,
}

#[derive(Serialize)]
struct RevisionsView {
    article: ArticleHead,
    revisions: Vec<RevisionRow>,
    restore_allowed: bool,
}

/// `GET /newsroom/articles/{id}/revisions`: every save, who made it and when.
pub(super) async fn revisions(
    State(app): State<AppState>,
    Extension(me): Extension<Me>,
    Path(id): Path<ArticleId>,
) -> Result<Response, AppError> {
    let (article, meta) = app.newsroom.open(&me.user, id).await?;
    let revisions = app.store.revisions(article.id).await?;
    let view = RevisionsView {
        article: head(&article),
        revisions: revisions
            .into_iter()
            .map(|r| RevisionRow {
                id: r.id,
                version: r.version,
                user_name: r.user_name.unwrap_or_else(|| "system".into()),
                created: app.renderer().format_time(r.created_at),
                note: r.note,
                conflict: r.conflict,
            })
            .collect(),
        restore_allowed: me.user.may_edit(meta.owner_id, meta.status),
    };
    Page::within("revisions", "articles", &format!("Revisions: {}", article.headline)).response(
        &app,
        &me,
        view,
        Vec::new(),
        None,
    )
}

fn head(a: &Article) -> ArticleHead {
    ArticleHead { id: a.id.0, headline: a.headline.clone(), edit_url: format!("/newsroom/articles/{}", a.id) }
}

#[derive(Serialize)]
struct DiffView {
    article: ArticleHead,
    from: RevisionLabel,
    to: RevisionLabel,
    fields: Vec<DiffField>,
}

#[derive(Serialize)]
struct RevisionLabel {
    id: i64,
    label: String,
}

#[derive(Serialize)]
struct DiffField {
    label: &'static str,
    changed: bool,
    html: String,
}

/// `GET /newsroom/articles/{id}/diff?from=&to=`: what changed between two revisions, word by word.
pub(super) async fn diff(
    State(app): State<AppState>,
    Extension(me): Extension<Me>,
    Path(id): Path<ArticleId>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let (article, _) = app.newsroom.open(&me.user, id).await?;
    let revision = |key: &str| q.get(key).and_then(|v| v.parse::<i64>().ok());
    let (Some(from), Some(to)) = (revision("from"), revision("to")) else {
        return Err(AppError::BadRequest("Choose two revisions to compare.".into()));
    };
    let from = app.store.revision(article.id, from).await?.ok_or(AppError::NotFound)?;
    let to = app.store.revision(article.id, to).await?.ok_or(AppError::NotFound)?;
    let names = Names::load(&app).await?;
    let fields = fields_of(&from.content, &names)
        .into_iter()
        .zip(fields_of(&to.content, &names))
        .map(|(a, b)| DiffField {
            label: a.label,
            changed: a.value != b.value,
            html: courant_render::newsroom::diff_html(&a.value, &b.value),
        })
        .collect();
    let label = |r: &courant_store::Revision| RevisionLabel {
        id: r.info.id,
        label: format!(
            "v{} · {} · {}",
            r.info.version,
            app.renderer().format_time(r.info.created_at),
            r.info.user_name.clone().unwrap_or_else(|| "system".into())
        ),
    };
    let view = DiffView { article: head(&article), from: label(&from), to: label(&to), fields };
    Page::within("diff", "articles", &format!("Changes: {}", article.headline)).response(
        &app,
        &me,
        view,
        Vec::new(),
        None,
    )
}

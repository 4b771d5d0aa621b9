//! What the editor's buttons do: each handler reads its form once, asks the newsroom service
//! (`courant-newsroom`) to act, and shows the outcome: the next page, the form again with what
//! was wrong, or the two versions of a conflict.

use super::editor::Editor;
use super::form::{ArticleForm, Form};
use super::{Me, redirect};
use crate::error::Explained;
use crate::{AppError, AppState};
use axum::Extension;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use courant_core::*;
use courant_newsroom::{Autosaved, Refusal, Saved};
use std::collections::HashMap;
use std::sync::Arc;
use time::OffsetDateTime;

/// `GET /newsroom/articles/new`: an empty editor, the writer's byline filled in.
pub(super) async fn new_form(State(app): State<AppState>, Extension(me): Extension<Me>) -> Result<Response, AppError> {
    let html = Editor::new_article(&app, &me).page(None).await?;
    Ok(crate::respond::html(StatusCode::OK, html))
}

/// `GET /newsroom/articles/{id}`: the editor for one article.
pub(super) async fn edit_form(
    State(app): State<AppState>,
    Extension(me): Extension<Me>,
    Path(id): Path<ArticleId>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let html = Editor::open(&app, &me, id).await?.page(q.get("done").map(String::as_str)).await?;
    Ok(crate::respond::html(StatusCode::OK, html))
}

/// `POST /newsroom/articles`: creates a draft from the editor (and moves it on when another
/// button than "Save" was pressed).
pub(super) async fn create(
    State(app): State<AppState>,
    Extension(me): Extension<Me>,
    Extension(form): Extension<Arc<Form>>,
) -> Result<Response, AppError> {
    let sent = ArticleForm::read(&form, app.renderer().clock());
    let outcome = match sent.readable() {
        Ok(()) => app.newsroom.create(&me.user, sent.input.clone(), sent.intent).await,
        Err(refusal) => Err(refusal),
    };
    answer(&app, &me, &sent, None, outcome).await
}

/// `POST /newsroom/articles/{id}`: saves the editor over the version it was opened at, then
/// applies the button pressed (send for review, schedule, publish, ...). Everything is checked
/// before anything is written. A stale version is not saved over: the writer gets 409 with both
/// versions side by side, and their text is kept as a revision.
pub(super) async fn save(
    State(app): State<AppState>,
    Extension(me): Extension<Me>,
    Extension(form): Extension<Arc<Form>>,
    Path(id): Path<ArticleId>,
) -> Result<Response, AppError> {
    let sent = ArticleForm::read(&form, app.renderer().clock());
    let outcome = match sent.readable() {
        Ok(()) => app.newsroom.save(&me.user, id, sent.version, sent.input.clone(), sent.intent).await,
        Err(refusal) => Err(refusal),
    };
    answer(&app, &me, &sent, Some(id), outcome).await
}

/// The answer to a create or save of article `id` (none for a new one): the editor with what
/// was done; the editor again with what was wrong, or with both versions of a conflict; or,
/// when the button's move was refused (the content is saved), the editor saying why.
async fn answer(
    app: &AppState,
    me: &Me,
    sent: &ArticleForm,
    id: Option<ArticleId>,
    outcome: Result<Saved, Refusal>,
) -> Result<Response, AppError> {
    let editor = async || match id {
        Some(id) => Editor::open(app, me, id).await,
        None => Ok(Editor::new_article(app, me)),
    };
    match outcome {
        Ok(Saved { id, move_refused, .. }) if !move_refused.is_empty() => {
            let why = super::messages(&move_refused);
            Err(Editor::open(app, me, id).await?.move_refused(sent, why).await)
        }
        Ok(saved) => Ok(redirect(&format!("/newsroom/articles/{}?done={}", saved.id, saved.done.code()))),
        Err(Refusal::Invalid(errors)) => Err(editor().await?.refused(sent, super::messages(&errors)).await),
        Err(Refusal::Conflict(conflict)) => Err(editor().await?.conflict(sent, &conflict).await),
        Err(refusal) => Err(refusal.into()),
    }
}

/// `POST /newsroom/articles/{id}/autosave`: the editor's script saves drafts every few seconds
/// and when the tab closes. JSON answers: the new version, or 409 when someone else saved.
/// Published articles are never autosaved (half-typed text would go live).
pub(super) async fn autosave(
    State(app): State<AppState>,
    Extension(me): Extension<Me>,
    Extension(form): Extension<Arc<Form>>,
    Path(id): Path<ArticleId>,
) -> Result<Response, AppError> {
    let sent = ArticleForm::read(&form, app.renderer().clock());
    sent.readable()?;
    let answer = match app.newsroom.autosave(&me.user, id, sent.version, sent.input).await {
        Ok(Autosaved::Unchanged { version }) => serde_json::json!({"version": version, "saved_at": "no changes"}),
        Ok(Autosaved::Saved { version, at }) => {
            serde_json::json!({"version": version, "saved_at": time_of_day(&app, at)})
        }
        Err(Refusal::Conflict(_)) => {
            return Err(AppError::Conflict(Explained::new(
                "Saved by someone else",
                "Someone else saved this article; autosave stopped. Your text is kept as a revision. \
                 Save to compare both versions.",
            )));
        }
        Err(refusal) => return Err(refusal.into()),
    };
    Ok(crate::respond::json(answer.to_string()))
}

/// `POST /newsroom/articles/new/autosave`: the first autosave of a story not saved yet creates
/// its draft, owned by the writer (its text only: pictures and new sources wait for a real
/// save). JSON answers: the draft's id and version, and the addresses the editor's script
/// continues with, so that the next saves update this draft instead of creating another.
pub(super) async fn autosave_new(
    State(app): State<AppState>,
    Extension(me): Extension<Me>,
    Extension(form): Extension<Arc<Form>>,
) -> Result<Response, AppError> {
    let sent = ArticleForm::read(&form, app.renderer().clock());
    sent.readable()?;
    let (id, saved) = app.newsroom.autosave_new(&me.user, sent.input).await?;
    let (version, saved_at) = match saved {
        Autosaved::Saved { version, at } => (version, time_of_day(&app, at)),
        Autosaved::Unchanged { version } => (version, "no changes".to_string()),
    };
    let answer = serde_json::json!({
        "id": id.0,
        "version": version,
        "saved_at": saved_at,
        "edit_url": format!("/newsroom/articles/{id}"),
        "autosave_url": format!("/newsroom/articles/{id}/autosave"),
        "preview_url": super::editor::preview_url(Some(id)),
    });
    Ok(crate::respond::json(answer.to_string()))
}

/// When an autosave happened, as the writer's clock on the wall shows it.
fn time_of_day(app: &AppState, at: OffsetDateTime) -> String {
    let local = app.renderer().clock().local(at);
    format!("{:02}:{:02}:{:02}", local.hour(), local.minute(), local.second())
}

/// `POST /newsroom/preview?article={id}`: the editor's content rendered by the public article
/// template, without saving anything. Its hero is the article's current picture (none for a
/// new story), or the library's picture `hero_image_id` names, with the picture's texts as the
/// form has them (as a save would apply them): cropped and captioned as readers would see it.
pub(super) async fn preview(
    State(app): State<AppState>,
    Extension(me): Extension<Me>,
    Extension(form): Extension<Arc<Form>>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let sent = ArticleForm::read(&form, app.renderer().clock());
    let chosen = form.get("hero_image_id").parse().ok().map(ImageId);
    let current = match q.get("article").and_then(|id| id.parse().ok()) {
        Some(id) => app.newsroom.open(&me.user, ArticleId(id)).await?.0.hero,
        None => None,
    };
    let draft = sent.input.as_typed(chosen.or(current.as_ref().map(|h| h.id)));
    let sections = app.store.sections().await?;
    let section_id = draft.section_id.or(sections.first().map(|s| s.id)).ok_or(AppError::NotFound)?;
    let section_path = courant_store::section_path(&sections, section_id);
    let section = section_path.last().cloned().ok_or(AppError::NotFound)?;
    let authors = app.store.authors().await?;
    let all_sources = app.store.sources().await?;
    let mut hero = match chosen {
        Some(id) => app.store.image(id).await?.map(|stored| stored.image),
        None => current,
    };
    if let (Some(hero), Some(texts)) = (hero.as_mut(), &sent.input.hero_texts) {
        hero.alt.clone_from(&texts.alt);
        hero.caption.clone_from(&texts.caption);
        hero.credit.clone_from(&texts.credit);
    }
    let now = OffsetDateTime::now_utc();
    let article = Article {
        id: ArticleId(0),
        slug: if draft.slug.is_empty() { "preview".into() } else { draft.slug.clone() },
        headline: draft.headline.clone(),
        standfirst: draft.standfirst.clone(),
        body: draft.body.clone(),
        hero,
        section,
        section_path,
        authors: draft.author_ids.iter().filter_map(|id| authors.iter().find(|a| a.id == *id).cloned()).collect(),
        tags: draft.tags.iter().map(|t| Tag { id: TagId(0), slug: slugify(t), name: t.clone() }).collect(),
        sources: draft.source_ids.iter().filter_map(|id| all_sources.iter().find(|s| s.id == *id).cloned()).collect(),
        related: Vec::new(),
        status: Status::Draft,
        created_at: now,
        published_at: Some(now),
        updated_at: now,
        corrections: Vec::new(),
    };
    let html = app.renderer().article_page(&article, &[], 0, &[], &[], &sections)?;
    Ok(crate::respond::html(StatusCode::OK, html))
}

/// `POST /newsroom/articles/{id}/corrections`: editors append a dated correction to a
/// published article; it shows at the article's foot and in its structured data.
pub(super) async fn correct(
    State(app): State<AppState>,
    Extension(me): Extension<Me>,
    Extension(form): Extension<Arc<Form>>,
    Path(id): Path<ArticleId>,
) -> Result<Response, AppError> {
    app.newsroom.correct(&me.user, id, form.get("text")).await?;
    Ok(redirect(&format!("/newsroom/articles/{id}?done=corrected")))
}

/// `POST /newsroom/articles/{id}/unpublish`: editors only. Takes a published story off the site
/// when the form gives a reason (kept in the audit log) and the confirmation box is ticked;
/// otherwise the editor again (422) saying everything missing, with the reason as typed.
pub(super) async fn unpublish(
    State(app): State<AppState>,
    Extension(me): Extension<Me>,
    Extension(form): Extension<Arc<Form>>,
    Path(id): Path<ArticleId>,
) -> Result<Response, AppError> {
    let reason = form.get("reason").to_string();
    let request = courant_newsroom::Unpublishing { reason, confirmed: form.has("confirm") };
    match app.newsroom.unpublish(&me.user, id, &request).await {
        Ok(()) => Ok(redirect(&format!("/newsroom/articles/{id}?done=unpublished"))),
        Err(Refusal::Invalid(errors)) => {
            Err(Editor::open(&app, &me, id).await?.unpublish_refused(&request, super::messages(&errors)).await)
        }
        Err(refusal) => Err(refusal.into()),
    }
}

/// `POST /newsroom/articles/{id}/hero`: uses a picture of the library as the article's hero
/// (a save like any other: a new version and revision).
pub(super) async fn set_hero(
    State(app): State<AppState>,
    Extension(me): Extension<Me>,
    Extension(form): Extension<Arc<Form>>,
    Path(id): Path<ArticleId>,
) -> Result<Response, AppError> {
    let image = form
        .get("image_id")
        .parse()
        .ok()
        .map(ImageId)
        .ok_or_else(|| AppError::BadRequest("Choose a picture.".into()))?;
    app.newsroom.set_hero(&me.user, id, image).await?;
    Ok(redirect(&format!("/newsroom/articles/{id}?done=saved")))
}

/// `POST /newsroom/articles/{id}/revisions/{rev}/restore`: saves an old revision's content as
/// a new version (nothing is rewritten; the history only grows).
pub(super) async fn restore(
    State(app): State<AppState>,
    Extension(me): Extension<Me>,
    Path((id, revision)): Path<(ArticleId, i64)>,
) -> Result<Response, AppError> {
    app.newsroom.restore(&me.user, id, revision).await?;
    Ok(redirect(&format!("/newsroom/articles/{id}?done=restored")))
}

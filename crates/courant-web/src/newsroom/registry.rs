//! Editors' registries: sections (a tree with order and descriptions), tags (rename, merge,
//! delete), authors (profile and photo) and sources (name, address, kind). Deleting what is
//! still used is refused with the list of what uses it.

use super::articles::section_choices;
use super::form::Form;
use super::{Choice, Me, page, page_in, redirect};
use crate::{AppError, AppState};
use axum::Extension;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use courant_core::*;
use courant_store::StoreError;
use serde::Serialize;
use std::collections::HashMap;
use std::sync::Arc;
use time::OffsetDateTime;

/// Articles per section, author and source.
async fn counts(app: &AppState) -> Result<HashMap<(String, i64), i64>, AppError> {
    Ok(app.store.usage_counts().await?.into_iter().map(|(kind, id, n)| ((kind, id), n)).collect())
}

/// A store refusal to delete, shown on the page it came from.
fn used_by(e: StoreError) -> Result<Vec<String>, AppError> {
    match e {
        StoreError::InUse { used_by, .. } => Ok(used_by),
        e => Err(e.into()),
    }
}

fn done(q: &HashMap<String, String>) -> Option<&str> {
    q.get("done").map(String::as_str)
}

// ---- Sections ---------------------------------------------------------------------------

#[derive(Serialize)]
struct SectionRow {
    id: i64,
    name: String,
    slug: String,
    description: String,
    depth: usize,
    position: i64,
    edit_url: String,
    articles: i64,
}

#[derive(Serialize)]
struct SectionsView {
    sections: Vec<SectionRow>,
    parents: Vec<Choice>,
}

/// `GET /newsroom/sections`: the section tree and a form to add one.
pub(super) async fn sections(
    State(app): State<AppState>,
    Extension(me): Extension<Me>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    sections_page(&app, &me, Vec::new(), done(&q)).await
}

async fn sections_page(app: &AppState, me: &Me, errors: Vec<String>, done: Option<&str>) -> Result<Response, AppError> {
    let all = app.store.sections().await?;
    let counts = counts(app).await?;
    let view = SectionsView {
        sections: all
            .iter()
            .map(|s| SectionRow {
                id: s.id.0,
                name: s.name.clone(),
                slug: s.slug.clone(),
                description: s.description.clone(),
                depth: courant_store::section_path(&all, s.id).len().saturating_sub(1),
                position: s.position,
                edit_url: format!("/newsroom/sections/{}", s.id),
                articles: counts.get(&("section".into(), s.id.0)).copied().unwrap_or(0),
            })
            .collect(),
        parents: std::iter::once(Choice::new("", "Top level", true)).chain(section_choices(&all, None)).collect(),
    };
    page(app, Some(me), "sections", "Sections", view, errors, done)
}

fn parent_of(form: &Form) -> Option<SectionId> {
    form.get("parent").parse().ok().map(SectionId)
}

/// `POST /newsroom/sections`: adds a section.
pub(super) async fn create_section(
    State(app): State<AppState>,
    Extension(me): Extension<Me>,
    Extension(form): Extension<Arc<Form>>,
) -> Result<Response, AppError> {
    let new = NewSection {
        slug: None,
        name: form.get("name").trim().to_string(),
        description: form.get("description").trim().to_string(),
        parent_id: parent_of(&form),
        position: form.get("position").parse().unwrap_or(0),
    };
    match app.store.insert_section(new).await {
        Ok(_) => Ok(redirect("/newsroom/sections?done=created")),
        Err(StoreError::Invalid(e)) => sections_page(&app, &me, vec![e.to_string()], None).await,
        Err(e) => Err(e.into()),
    }
}

#[derive(Serialize)]
struct SectionView {
    section: SectionFields,
    parents: Vec<Choice>,
    used_by: Vec<String>,
}

#[derive(Serialize)]
struct SectionFields {
    id: i64,
    name: String,
    slug: String,
    description: String,
    position: i64,
}

/// `GET /newsroom/sections/{id}`: one section's form.
pub(super) async fn section(
    State(app): State<AppState>,
    Extension(me): Extension<Me>,
    Path(id): Path<i64>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    section_page(&app, &me, id, Vec::new(), Vec::new(), done(&q)).await
}

async fn section_page(
    app: &AppState,
    me: &Me,
    id: i64,
    errors: Vec<String>,
    used_by: Vec<String>,
    done: Option<&str>,
) -> Result<Response, AppError> {
    let all = app.store.sections().await?;
    let s = all.iter().find(|s| s.id.0 == id).cloned().ok_or(AppError::NotFound)?;
    let parents = std::iter::once(Choice::new("", "Top level", s.parent_id.is_none()))
        .chain(section_choices(&all, s.parent_id).into_iter().filter(|c| c.value() != id.to_string()))
        .collect();
    let view = SectionView {
        section: SectionFields {
            id,
            name: s.name.clone(),
            slug: s.slug,
            description: s.description,
            position: s.position,
        },
        parents,
        used_by,
    };
    page_in(app, me, "section", "sections", &s.name, view, errors, done)
}

/// `POST /newsroom/sections/{id}`: renames, describes, moves or reorders a section (its
/// address stays).
pub(super) async fn update_section(
    State(app): State<AppState>,
    Extension(me): Extension<Me>,
    Extension(form): Extension<Arc<Form>>,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let position = form.get("position").parse().unwrap_or(0);
    match app
        .store
        .update_section(SectionId(id), form.get("name"), form.get("description"), parent_of(&form), position)
        .await
    {
        Ok(()) => Ok(redirect(&format!("/newsroom/sections/{id}?done=saved"))),
        Err(StoreError::Invalid(e)) => section_page(&app, &me, id, vec![e.to_string()], Vec::new(), None).await,
        Err(e) => Err(e.into()),
    }
}

/// `POST /newsroom/sections/{id}/delete`: deletes a section nothing uses.
pub(super) async fn delete_section(
    State(app): State<AppState>,
    Extension(me): Extension<Me>,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    match app.store.delete_section(SectionId(id), me.user.id, OffsetDateTime::now_utc()).await {
        Ok(()) => Ok(redirect("/newsroom/sections?done=deleted")),
        Err(e) => {
            let uses = used_by(e)?;
            let message = "This section cannot be deleted while it is used.".to_string();
            section_page(&app, &me, id, vec![message], uses, None).await
        }
    }
}

// ---- Tags -------------------------------------------------------------------------------

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
pub(super) async fn tags(
    State(app): State<AppState>,
    Extension(me): Extension<Me>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let text = q.get("q").cloned().unwrap_or_default();
    tags_page(&app, &me, &text, Vec::new(), Vec::new(), done(&q)).await
}

async fn tags_page(
    app: &AppState,
    me: &Me,
    text: &str,
    errors: Vec<String>,
    used_by: Vec<String>,
    done: Option<&str>,
) -> Result<Response, AppError> {
    let needle = text.trim().to_lowercase();
    let tags = app
        .store
        .tags_with_counts()
        .await?
        .into_iter()
        .filter(|(t, _)| needle.is_empty() || t.name.to_lowercase().contains(&needle))
        .map(|(t, uses)| TagRow { id: t.id.0, name: t.name, slug: t.slug, uses })
        .collect();
    let view = TagsView { tags, q: text.chars().take(100).collect(), used_by };
    page(app, Some(me), "tags", "Tags", view, errors, done)
}

/// `POST /newsroom/tags/{id}`: renames a tag (its address stays).
pub(super) async fn rename_tag(
    State(app): State<AppState>,
    Extension(me): Extension<Me>,
    Extension(form): Extension<Arc<Form>>,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    match app.store.rename_tag(TagId(id), form.get("name")).await {
        Ok(()) => Ok(redirect("/newsroom/tags?done=saved")),
        Err(StoreError::Invalid(e)) => tags_page(&app, &me, "", vec![e.to_string()], Vec::new(), None).await,
        Err(e) => Err(e.into()),
    }
}

/// `POST /newsroom/tags/{id}/merge`: moves every article of this tag to the tag named `into`,
/// then deletes this one.
pub(super) async fn merge_tag(
    State(app): State<AppState>,
    Extension(me): Extension<Me>,
    Extension(form): Extension<Arc<Form>>,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let into = form.get("into").trim();
    let target = app.store.tags().await?.into_iter().find(|t| t.name.eq_ignore_ascii_case(into) || t.slug == into);
    let Some(target) = target else {
        return tags_page(&app, &me, "", vec![format!("No tag is named {into:?}.")], Vec::new(), None).await;
    };
    match app.store.merge_tags(TagId(id), target.id, me.user.id, OffsetDateTime::now_utc()).await {
        Ok(()) => Ok(redirect("/newsroom/tags?done=merged")),
        Err(StoreError::Invalid(e)) => tags_page(&app, &me, "", vec![e.to_string()], Vec::new(), None).await,
        Err(e) => Err(e.into()),
    }
}

/// `POST /newsroom/tags/{id}/delete`: deletes a tag no article carries.
pub(super) async fn delete_tag(
    State(app): State<AppState>,
    Extension(me): Extension<Me>,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    match app.store.delete_tag(TagId(id), me.user.id, OffsetDateTime::now_utc()).await {
        Ok(()) => Ok(redirect("/newsroom/tags?done=deleted")),
        Err(e) => {
            let uses = used_by(e)?;
            tags_page(&app, &me, "", vec!["This tag cannot be deleted while articles carry it.".into()], uses, None)
                .await
        }
    }
}

// ---- Authors ----------------------------------------------------------------------------

#[derive(Serialize)]
struct AuthorRow {
    id: i64,
    name: String,
    slug: String,
    title: String,
    photo_url: Option<String>,
    edit_url: String,
    articles: i64,
}

#[derive(Serialize)]
struct AuthorsView {
    authors: Vec<AuthorRow>,
}

fn photo_url(a: &Author) -> Option<String> {
    a.photo.as_ref().map(|p| super::media::ImageView::of(p).thumb_url().to_string())
}

/// `GET /newsroom/authors`: bylines and a form to add one.
pub(super) async fn authors(
    State(app): State<AppState>,
    Extension(me): Extension<Me>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    authors_page(&app, &me, Vec::new(), done(&q)).await
}

async fn authors_page(app: &AppState, me: &Me, errors: Vec<String>, done: Option<&str>) -> Result<Response, AppError> {
    let counts = counts(app).await?;
    let authors = app
        .store
        .authors()
        .await?
        .into_iter()
        .map(|a| AuthorRow {
            id: a.id.0,
            photo_url: photo_url(&a),
            edit_url: format!("/newsroom/authors/{}", a.id),
            articles: counts.get(&("author".into(), a.id.0)).copied().unwrap_or(0),
            name: a.name,
            slug: a.slug,
            title: a.title,
        })
        .collect();
    page(app, Some(me), "authors", "Authors", AuthorsView { authors }, errors, done)
}

/// `POST /newsroom/authors`: adds a byline.
pub(super) async fn create_author(
    State(app): State<AppState>,
    Extension(me): Extension<Me>,
    Extension(form): Extension<Arc<Form>>,
) -> Result<Response, AppError> {
    let new = NewAuthor {
        slug: None,
        name: form.get("name").trim().to_string(),
        title: form.get("title").trim().to_string(),
        bio: form.get("bio").trim().to_string(),
        photo_id: None,
    };
    match app.store.insert_author(new).await {
        Ok(a) => Ok(redirect(&format!("/newsroom/authors/{}?done=created", a.id))),
        Err(StoreError::Invalid(e)) => authors_page(&app, &me, vec![e.to_string()], None).await,
        Err(e) => Err(e.into()),
    }
}

#[derive(Serialize)]
struct AuthorView {
    author: AuthorFields,
    used_by: Vec<String>,
}

#[derive(Serialize)]
struct AuthorFields {
    id: i64,
    name: String,
    slug: String,
    title: String,
    bio: String,
    photo_id: String,
    photo_url: Option<String>,
}

/// `GET /newsroom/authors/{id}`: one byline's profile.
pub(super) async fn author(
    State(app): State<AppState>,
    Extension(me): Extension<Me>,
    Path(id): Path<i64>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    author_page(&app, &me, id, Vec::new(), Vec::new(), done(&q)).await
}

async fn author_page(
    app: &AppState,
    me: &Me,
    id: i64,
    errors: Vec<String>,
    used_by: Vec<String>,
    done: Option<&str>,
) -> Result<Response, AppError> {
    let a = app.store.author(AuthorId(id)).await?.ok_or(AppError::NotFound)?;
    let fields = AuthorFields {
        id,
        photo_url: photo_url(&a),
        photo_id: a.photo.as_ref().map(|p| p.id.0.to_string()).unwrap_or_default(),
        name: a.name.clone(),
        slug: a.slug,
        title: a.title,
        bio: a.bio,
    };
    page_in(app, me, "author", "authors", &a.name, AuthorView { author: fields, used_by }, errors, done)
}

/// `POST /newsroom/authors/{id}`: changes a profile (its address stays).
pub(super) async fn update_author(
    State(app): State<AppState>,
    Extension(me): Extension<Me>,
    Extension(form): Extension<Arc<Form>>,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let photo = match form.get("photo_id").trim() {
        "" => None,
        raw => match raw.parse() {
            Ok(n) => Some(ImageId(n)),
            Err(_) => {
                return author_page(&app, &me, id, vec!["Photo: give a picture's number.".into()], Vec::new(), None)
                    .await;
            }
        },
    };
    match app.store.update_author(AuthorId(id), form.get("name"), form.get("title"), form.get("bio"), photo).await {
        Ok(()) => Ok(redirect(&format!("/newsroom/authors/{id}?done=saved"))),
        Err(StoreError::Invalid(e)) => author_page(&app, &me, id, vec![e.to_string()], Vec::new(), None).await,
        Err(StoreError::NotFound(what)) if what == "photo" => {
            author_page(&app, &me, id, vec!["Photo: no picture has that number.".into()], Vec::new(), None).await
        }
        Err(e) => Err(e.into()),
    }
}

/// `POST /newsroom/authors/{id}/delete`: deletes a byline no article and no user uses.
pub(super) async fn delete_author(
    State(app): State<AppState>,
    Extension(me): Extension<Me>,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    match app.store.delete_author(AuthorId(id), me.user.id, OffsetDateTime::now_utc()).await {
        Ok(()) => Ok(redirect("/newsroom/authors?done=deleted")),
        Err(e) => {
            let uses = used_by(e)?;
            author_page(&app, &me, id, vec!["This author cannot be deleted while used.".into()], uses, None).await
        }
    }
}

// ---- Sources ----------------------------------------------------------------------------

#[derive(Serialize)]
struct SourceRow {
    id: i64,
    name: String,
    slug: String,
    url: String,
    kind: String,
    edit_url: String,
    articles: i64,
}

#[derive(Serialize)]
struct SourcesView {
    sources: Vec<SourceRow>,
    kinds: Vec<Choice>,
}

fn kinds(selected: &str) -> Vec<Choice> {
    SOURCE_KINDS.iter().map(|k| Choice::new(k, *k, *k == selected)).collect()
}

/// `GET /newsroom/sources`: the agencies and outlets stories credit, and a form to add one.
pub(super) async fn sources(
    State(app): State<AppState>,
    Extension(me): Extension<Me>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    sources_page(&app, &me, Vec::new(), done(&q)).await
}

async fn sources_page(app: &AppState, me: &Me, errors: Vec<String>, done: Option<&str>) -> Result<Response, AppError> {
    let counts = counts(app).await?;
    let sources = app
        .store
        .sources()
        .await?
        .into_iter()
        .map(|s| SourceRow {
            id: s.id.0,
            edit_url: format!("/newsroom/sources/{}", s.id),
            articles: counts.get(&("source".into(), s.id.0)).copied().unwrap_or(0),
            name: s.name,
            slug: s.slug,
            url: s.url,
            kind: s.kind,
        })
        .collect();
    page(app, Some(me), "sources", "Sources", SourcesView { sources, kinds: kinds("agency") }, errors, done)
}

/// `POST /newsroom/sources`: adds a source to the registry.
pub(super) async fn create_source(
    State(app): State<AppState>,
    Extension(me): Extension<Me>,
    Extension(form): Extension<Arc<Form>>,
) -> Result<Response, AppError> {
    let new = NewSource {
        slug: None,
        name: form.get("name").trim().to_string(),
        url: form.get("url").trim().to_string(),
        kind: form.get("kind").to_string(),
    };
    match app.store.insert_source(new).await {
        Ok(_) => Ok(redirect("/newsroom/sources?done=created")),
        Err(StoreError::Invalid(e)) => sources_page(&app, &me, vec![e.to_string()], None).await,
        Err(e) => Err(e.into()),
    }
}

#[derive(Serialize)]
struct SourceView {
    source: Source,
    kinds: Vec<Choice>,
    used_by: Vec<String>,
}

/// `GET /newsroom/sources/{id}`: one source's form.
pub(super) async fn source(
    State(app): State<AppState>,
    Extension(me): Extension<Me>,
    Path(id): Path<i64>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    source_page(&app, &me, id, Vec::new(), Vec::new(), done(&q)).await
}

async fn source_page(
    app: &AppState,
    me: &Me,
    id: i64,
    errors: Vec<String>,
    used_by: Vec<String>,
    done: Option<&str>,
) -> Result<Response, AppError> {
    let s = app.store.source(SourceId(id)).await?.ok_or(AppError::NotFound)?;
    let title = s.name.clone();
    let view = SourceView { kinds: kinds(&s.kind), source: s, used_by };
    page_in(app, me, "source", "sources", &title, view, errors, done)
}

/// `POST /newsroom/sources/{id}`: changes a source's name, address or kind.
pub(super) async fn update_source(
    State(app): State<AppState>,
    Extension(me): Extension<Me>,
    Extension(form): Extension<Arc<Form>>,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    match app.store.update_source(SourceId(id), form.get("name"), form.get("url"), form.get("kind")).await {
        Ok(()) => Ok(redirect(&format!("/newsroom/sources/{id}?done=saved"))),
        Err(StoreError::Invalid(e)) => source_page(&app, &me, id, vec![e.to_string()], Vec::new(), None).await,
        Err(e) => Err(e.into()),
    }
}

/// `POST /newsroom/sources/{id}/delete`: deletes a source no article cites.
pub(super) async fn delete_source(
    State(app): State<AppState>,
    Extension(me): Extension<Me>,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    match app.store.delete_source(SourceId(id), me.user.id, OffsetDateTime::now_utc()).await {
        Ok(()) => Ok(redirect("/newsroom/sources?done=deleted")),
        Err(e) => {
            let uses = used_by(e)?;
            source_page(&app, &me, id, vec!["This source cannot be deleted while stories cite it.".into()], uses, None)
                .await
        }
    }
}

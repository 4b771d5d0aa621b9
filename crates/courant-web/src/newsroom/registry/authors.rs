//! Authors: bylines with a title, a biography and a portrait (`/newsroom/authors`).

use super::super::form::Form;
use super::super::{Me, Page};
use super::{Registry, counts};
use crate::{AppError, AppState};
use courant_core::*;
use courant_newsroom::{AuthorFields, Refusal};
use serde::Serialize;

/// The bylines of the publication.
pub(in crate::newsroom) struct Authors;

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

#[derive(Serialize)]
struct AuthorView {
    author: AuthorShown,
    used_by: Vec<String>,
}

#[derive(Serialize)]
struct AuthorShown {
    id: i64,
    name: String,
    slug: String,
    title: String,
    bio: String,
    photo_id: String,
    photo_url: Option<String>,
}

fn photo_url(a: &Author) -> Option<String> {
    a.photo.as_ref().map(|p| super::super::media::ImageView::of(p).thumb_url().to_string())
}

/// The author form's fields; the photo is a picture's number.
fn fields(form: &Form) -> Result<AuthorFields, Refusal> {
    let photo = match form.get("photo_id").trim() {
        "" => None,
        raw => Some(ImageId(raw.parse().map_err(|_| Refusal::invalid("Photo", "give a picture's number."))?)),
    };
    Ok(AuthorFields {
        name: form.get("name").to_string(),
        title: form.get("title").to_string(),
        bio: form.get("bio").to_string(),
        photo,
    })
}

impl Registry for Authors {
    type Id = AuthorId;
    const MANY: &'static str = "authors";
    const IN_USE: &'static str = "This author cannot be deleted while used.";

    async fn list_page(app: &AppState, me: &Me, errors: Vec<String>, done: Option<&str>) -> Result<String, AppError> {
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
        Page::of("authors", "Authors").html(app, me, AuthorsView { authors }, errors, done)
    }

    async fn item_page(
        app: &AppState,
        me: &Me,
        id: AuthorId,
        errors: Vec<String>,
        used_by: Vec<String>,
        done: Option<&str>,
    ) -> Result<String, AppError> {
        let a = app.store.author(id).await?.ok_or(AppError::NotFound)?;
        let author = AuthorShown {
            id: id.0,
            photo_url: photo_url(&a),
            photo_id: a.photo.as_ref().map(|p| p.id.0.to_string()).unwrap_or_default(),
            name: a.name.clone(),
            slug: a.slug,
            title: a.title,
            bio: a.bio,
        };
        Page::within("author", "authors", &a.name).html(app, me, AuthorView { author, used_by }, errors, done)
    }

    async fn create(app: &AppState, me: &Me, form: &Form) -> Result<String, Refusal> {
        let new = AuthorFields { photo: None, ..fields(form)? };
        let author = app.newsroom.create_author(&me.user, new).await?;
        Ok(format!("/newsroom/authors/{}?done=created", author.id))
    }

    async fn update(app: &AppState, me: &Me, id: AuthorId, form: &Form) -> Result<(), Refusal> {
        app.newsroom.update_author(&me.user, id, fields(form)?).await
    }

    async fn delete(app: &AppState, me: &Me, id: AuthorId) -> Result<(), Refusal> {
        app.newsroom.delete_author(&me.user, id).await
    }
}

//! The picture library: uploads (checked by content, stripped of metadata, stored under
//! content-hashed names with the original kept aside), search, and editing what readers are
//! told about a picture and where its crops centre.

use super::form::{Form, PictureForm};
use super::{Me, Page, Pagination, page_number, redirect};
use crate::{AppError, AppState};
use axum::Extension;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use courant_core::*;
use courant_newsroom::{Refusal, Upload};
use serde::Serialize;
use std::collections::HashMap;
use std::sync::Arc;

const PER_PAGE: i64 = 40;

/// A picture as the newsroom's pages show it.
#[derive(Serialize)]
pub(crate) struct ImageView {
    id: i64,
    thumb_url: String,
    alt: String,
    caption: String,
    credit: String,
    keywords: String,
    width: u32,
    height: u32,
    edit_url: String,
    focal_x: Option<f32>,
    focal_y: Option<f32>,
}

impl ImageView {
    /// The address of a small copy.
    pub(crate) fn thumb_url(&self) -> &str {
        &self.thumb_url
    }

    pub(crate) fn of(i: &Image) -> ImageView {
        // Shown at most 480 wide: the 640 copy stays sharp on dense screens.
        let thumb = if i.width > 640 { courant_media::width_file_name(&i.file, 640) } else { i.file.clone() };
        let shown_width = i.width.min(480);
        ImageView {
            id: i.id.0,
            thumb_url: format!("/media/{thumb}"),
            alt: i.alt.clone(),
            caption: i.caption.clone(),
            credit: i.credit.clone(),
            keywords: i.keywords.join(", "),
            width: shown_width,
            height: ((u64::from(i.height) * u64::from(shown_width)) / u64::from(i.width.max(1))).max(1) as u32,
            edit_url: format!("/newsroom/media/{}", i.id),
            focal_x: i.focal.map(|f| (f.x * 1000.0).round() / 10.0),
            focal_y: i.focal.map(|f| (f.y * 1000.0).round() / 10.0),
        }
    }
}

#[derive(Serialize)]
struct LibraryView {
    images: Vec<ImageView>,
    q: String,
    total: i64,
    pagination: Pagination,
    pick: Option<Pick>,
}

#[derive(Serialize)]
struct Pick {
    article_id: i64,
    headline: String,
}

/// `GET /newsroom/media?q=&page=&pick=`: the library, searchable by caption, credit, alt text
/// and keywords; with `pick`, choosing a hero picture for that article.
pub(super) async fn library(
    State(app): State<AppState>,
    Extension(me): Extension<Me>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    Ok(crate::respond::html(StatusCode::OK, library_page(&app, &me, &q, Vec::new()).await?))
}

async fn library_page(
    app: &AppState,
    me: &Me,
    q: &HashMap<String, String>,
    errors: Vec<String>,
) -> Result<String, AppError> {
    let text = super::search_words(&q);
    let page_no = page_number(q.get("page").map(String::as_str));
    let found = app.store.images_page(&text, PER_PAGE, (page_no - 1) * PER_PAGE).await?;
    let pick = match q.get("pick").and_then(|p| p.parse::<i64>().ok()) {
        Some(id) => {
            let meta = app.store.article_meta(ArticleId(id)).await?.ok_or(AppError::NotFound)?;
            if !me.user.may_open(meta.owner_id) {
                return Err(AppError::Forbidden("Contributors choose pictures for their own articles only.".into()));
            }
            Some(Pick { article_id: meta.id.0, headline: meta.headline })
        }
        None => None,
    };
    let encoded: String = form_urlencoded::byte_serialize(text.as_bytes()).collect();
    let pick_param = pick.as_ref().map(|p| format!("&pick={}", p.article_id)).unwrap_or_default();
    let view = LibraryView {
        images: found.items.iter().map(ImageView::of).collect(),
        total: found.total,
        pagination: Pagination::new(page_no, PER_PAGE, found.total, |n| {
            format!("/newsroom/media?q={encoded}{pick_param}&page={n}")
        }),
        q: text,
        pick,
    };
    Page::of("media", "Media library").html(app, me, view, errors, q.get("done").map(String::as_str))
}

/// A library picture as the visual editor puts it in a body.
#[derive(Serialize)]
struct Found {
    id: i64,
    thumb_url: String,
    /// What the body's Markdown points at: the file and its size (`/media/FILE#WxH`).
    src: String,
    alt: String,
    caption: String,
    credit: String,
}

/// `GET /newsroom/lookup/pictures?q=`: library pictures matching the words (newest first, all of
/// them for no words), at most 24, for the visual editor's picture chooser (JSON).
pub(super) async fn lookup(
    State(app): State<AppState>,
    Extension(_me): Extension<Me>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let text = super::search_words(&q);
    let found: Vec<Found> = app
        .store
        .images_page(text.trim(), 24, 0)
        .await?
        .items
        .iter()
        .map(|i| Found {
            id: i.id.0,
            thumb_url: ImageView::of(i).thumb_url,
            src: format!("/media/{}#{}x{}", i.file, i.width, i.height),
            alt: i.alt.clone(),
            caption: i.caption.clone(),
            credit: i.credit.clone(),
        })
        .collect();
    let json = serde_json::to_string(&found).map_err(|e| AppError::internal("pictures as JSON", e))?;
    Ok(crate::respond::json(json))
}

/// `POST /newsroom/media`: uploads a picture into the library. Anything but a JPEG, PNG, WebP
/// or GIF (by content), a damaged file or a decompression bomb is refused with 422 and a message.
pub(super) async fn upload(
    State(app): State<AppState>,
    Extension(me): Extension<Me>,
    Extension(form): Extension<Arc<Form>>,
) -> Result<Response, AppError> {
    let mut q = HashMap::new();
    if !form.get("pick").is_empty() {
        q.insert("pick".to_string(), form.get("pick").to_string());
    }
    let uploaded = match form.file("file") {
        None => Err(Refusal::invalid("Picture", "choose a picture to upload.")),
        Some(file) => {
            let upload = Upload { file_name: file.file_name.clone(), bytes: file.bytes.clone() };
            app.newsroom.upload_picture(&me.user, &upload, PictureForm::texts(&form, "")).await
        }
    };
    match uploaded {
        Ok(image) => {
            let pick = form.get("pick");
            Ok(redirect(&if pick.is_empty() {
                format!("/newsroom/media/{}?done=uploaded", image.id)
            } else {
                format!("/newsroom/media?pick={pick}&done=uploaded")
            }))
        }
        Err(Refusal::Invalid(errors)) => {
            let errors = super::messages(&errors);
            let page = library_page(&app, &me, &q, errors.clone()).await?;
            Err(AppError::invalid(errors).with_page(page))
        }
        Err(refusal) => Err(refusal.into()),
    }
}

#[derive(Serialize)]
struct ImagePage {
    image: ImageView,
    uses: Vec<Use>,
    other_uses: usize,
    can_edit: bool,
    original_url: String,
}

#[derive(Serialize)]
struct Use {
    headline: String,
    edit_url: String,
}

/// `GET /newsroom/media/{id}`: one picture, what uses it, and its texts and focal point.
pub(super) async fn image_form(
    State(app): State<AppState>,
    Extension(me): Extension<Me>,
    Path(id): Path<ImageId>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let html = image_page(&app, &me, id, Vec::new(), q.get("done").map(String::as_str)).await?;
    Ok(crate::respond::html(StatusCode::OK, html))
}

async fn image_page(
    app: &AppState,
    me: &Me,
    id: ImageId,
    errors: Vec<String>,
    done: Option<&str>,
) -> Result<String, AppError> {
    let courant_store::StoredImage { image, uploaded_by: by } = app.store.image(id).await?.ok_or(AppError::NotFound)?;
    // Contributors see the headlines of their own articles only; the others are counted.
    let (mine, others): (Vec<_>, Vec<_>) =
        app.store.articles_with_hero(image.id).await?.into_iter().partition(|a| me.user.may_open(a.owner_id));
    let uses = mine
        .into_iter()
        .map(|a| Use { headline: a.headline, edit_url: format!("/newsroom/articles/{}", a.id) })
        .collect();
    let view = ImagePage {
        other_uses: others.len(),
        original_url: format!("/media/{}", image.file),
        image: ImageView::of(&image),
        uses,
        can_edit: me.user.may_edit_picture(by),
    };
    Page::within("image", "media", "Picture").html(app, me, view, errors, done)
}

/// `POST /newsroom/media/{id}`: saves alt text, caption, credit, keywords and focal point;
/// articles showing the picture are re-rendered.
pub(super) async fn update(
    State(app): State<AppState>,
    Extension(me): Extension<Me>,
    Extension(form): Extension<Arc<Form>>,
    Path(id): Path<ImageId>,
) -> Result<Response, AppError> {
    let updated = match PictureForm::read(&form) {
        Ok(update) => app.newsroom.update_picture(&me.user, id, update).await,
        Err(unreadable) => Err(Refusal::Invalid(vec![unreadable])),
    };
    match updated {
        Ok(()) => Ok(redirect(&format!("/newsroom/media/{id}?done=saved"))),
        Err(Refusal::Invalid(errors)) => {
            let errors = super::messages(&errors);
            let page = image_page(&app, &me, id, errors.clone(), None).await?;
            Err(AppError::invalid(errors).with_page(page))
        }
        Err(refusal) => Err(refusal.into()),
    }
}

//! The picture library: uploads (checked by content, stripped of metadata, stored under
//! content-hashed names with the original kept aside), search, and editing what readers are
//! told about a picture and where its crops centre.

use super::form::{Form, UploadedFile};
use super::{Me, Pagination, page, page_in, page_number, redirect};
use crate::{AppError, AppState};
use axum::Extension;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use courant_core::*;
use serde::Serialize;
use std::collections::HashMap;
use std::sync::Arc;
use time::OffsetDateTime;

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

/// The texts of a picture as typed in a form, its field names starting with `prefix`.
pub(crate) struct ImageTexts {
    pub alt: String,
    pub caption: String,
    pub credit: String,
    pub keywords: Vec<String>,
}

impl ImageTexts {
    pub(crate) fn of(form: &Form, prefix: &str) -> ImageTexts {
        let field = |name: &str| form.get(&format!("{prefix}{name}")).trim().to_string();
        ImageTexts {
            alt: field("alt"),
            caption: field("caption"),
            credit: field("credit"),
            keywords: field("keywords")
                .split(',')
                .map(str::trim)
                .filter(|k| !k.is_empty())
                .map(str::to_string)
                .collect(),
        }
    }
}

/// Checks an uploaded file, writes the picture to serve (and the original, kept aside and
/// never served) and records it. The error is a message for the writer; nothing is stored then.
pub(crate) async fn store_upload(
    app: &AppState,
    me: &Me,
    file: &UploadedFile,
    texts: ImageTexts,
) -> Result<Image, String> {
    let bytes = file.bytes.clone();
    let upload = tokio::task::spawn_blocking(move || courant_media::ingest(&bytes))
        .await
        .map_err(|e| format!("The picture could not be processed: {e}"))?
        .map_err(|e| format!("{}: {e}", file_label(&file.file_name)))?;
    let name = upload.served.file_name();
    let original = format!("{}.{}", courant_media::content_hash(&file.bytes), upload.original_extension);
    let write = async {
        app.files.write_original(&original, &file.bytes).await?;
        app.files.write(&name, &upload.served.bytes).await
    };
    if let Err(e) = write.await {
        tracing::error!(error = %e, file = %name, "could not store an upload");
        return Err("The picture could not be stored; try again, or tell an admin the disk may be full.".into());
    }
    let new = NewImage {
        file: name,
        width: upload.served.width,
        height: upload.served.height,
        alt: texts.alt,
        caption: texts.caption,
        credit: texts.credit,
        keywords: texts.keywords,
    };
    let image = app.store.insert_upload(new, me.user.id, OffsetDateTime::now_utc()).await.map_err(|e| e.to_string())?;
    tracing::info!(image = image.id.0, user = me.user.id.0, bytes = file.bytes.len(), "picture uploaded");
    Ok(image)
}

fn file_label(name: &str) -> String {
    let name: String = name.chars().filter(|c| !c.is_control()).take(80).collect();
    if name.is_empty() { "The file".into() } else { name }
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
    library_page(&app, &me, &q, Vec::new(), StatusCode::OK).await
}

async fn library_page(
    app: &AppState,
    me: &Me,
    q: &HashMap<String, String>,
    errors: Vec<String>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let text: String = q.get("q").map(String::as_str).unwrap_or("").chars().take(200).collect();
    let page_no = page_number(q.get("page").map(String::as_str));
    let found = app.store.images_page(&text, PER_PAGE, (page_no - 1) * PER_PAGE).await?;
    let pick = match q.get("pick").and_then(|p| p.parse::<i64>().ok()) {
        Some(id) => {
            app.store.article_meta(ArticleId(id)).await?.map(|m| Pick { article_id: m.id.0, headline: m.headline })
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
    let mut r = page(app, Some(me), "media", "Media library", view, errors, q.get("done").map(String::as_str))?;
    *r.status_mut() = status;
    Ok(r)
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
    let Some(file) = form.file("file") else {
        return library_page(
            &app,
            &me,
            &q,
            vec!["Choose a picture to upload.".into()],
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    match store_upload(&app, &me, file, ImageTexts::of(&form, "")).await {
        Ok(image) => {
            let pick = form.get("pick");
            Ok(redirect(&if pick.is_empty() {
                format!("/newsroom/media/{}?done=uploaded", image.id)
            } else {
                format!("/newsroom/media?pick={pick}&done=uploaded")
            }))
        }
        Err(message) => library_page(&app, &me, &q, vec![message], StatusCode::UNPROCESSABLE_ENTITY).await,
    }
}

#[derive(Serialize)]
struct ImagePage {
    image: ImageView,
    uses: Vec<Use>,
    can_edit: bool,
    original_url: String,
}

#[derive(Serialize)]
struct Use {
    headline: String,
    edit_url: String,
}

/// Editors change any picture; contributors the ones they uploaded.
pub(crate) fn may_edit_image(me: &Me, uploaded_by: Option<UserId>) -> bool {
    me.user.is(Role::Editor) || uploaded_by == Some(me.user.id)
}

/// `GET /newsroom/media/{id}`: one picture, what uses it, and its texts and focal point.
pub(super) async fn image_form(
    State(app): State<AppState>,
    Extension(me): Extension<Me>,
    Path(id): Path<i64>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    image_page(&app, &me, id, Vec::new(), q.get("done").map(String::as_str)).await
}

async fn image_page(
    app: &AppState,
    me: &Me,
    id: i64,
    errors: Vec<String>,
    done: Option<&str>,
) -> Result<Response, AppError> {
    let (image, by) = app.store.image(ImageId(id)).await?.ok_or(AppError::NotFound)?;
    let uses = app
        .store
        .articles_with_hero(image.id)
        .await?
        .into_iter()
        .map(|(aid, headline)| Use { headline, edit_url: format!("/newsroom/articles/{aid}") })
        .collect();
    let view = ImagePage {
        original_url: format!("/media/{}", image.file),
        image: ImageView::of(&image),
        uses,
        can_edit: may_edit_image(me, by),
    };
    page_in(app, me, "image", "media", "Picture", view, errors, done)
}

/// `POST /newsroom/media/{id}`: saves alt text, caption, credit, keywords and focal point;
/// articles showing the picture are re-rendered.
pub(super) async fn update(
    State(app): State<AppState>,
    Extension(me): Extension<Me>,
    Extension(form): Extension<Arc<Form>>,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let (_, by) = app.store.image(ImageId(id)).await?.ok_or(AppError::NotFound)?;
    if !may_edit_image(&me, by) {
        return Err(AppError::Forbidden("Contributors change the pictures they uploaded; ask an editor.".into()));
    }
    let texts = ImageTexts::of(&form, "");
    let percent = |name: &str| form.get(name).trim().parse::<f32>().ok();
    let focal = match (percent("focal_x"), percent("focal_y")) {
        (Some(x), Some(y)) => match Focal::new(x / 100.0, y / 100.0) {
            Some(f) => Some(f),
            None => {
                return image_page(&app, &me, id, vec!["Focal point: use percentages from 0 to 100.".into()], None)
                    .await;
            }
        },
        _ => None,
    };
    if texts.alt.is_empty() {
        return image_page(
            &app,
            &me,
            id,
            vec!["Alt text: describe the picture for readers who cannot see it.".into()],
            None,
        )
        .await;
    }
    let update = courant_store::ImageUpdate {
        alt: texts.alt,
        caption: texts.caption,
        credit: texts.credit,
        keywords: texts.keywords,
        focal,
    };
    app.store.update_image(ImageId(id), &update).await?;
    Ok(redirect(&format!("/newsroom/media/{id}?done=saved")))
}

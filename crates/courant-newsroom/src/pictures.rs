//! Pictures: uploads (checked by content, stripped of metadata, stored under content-hashed
//! names with the original kept aside) and what readers are told about a picture.

use crate::{Newsroom, Refusal};
use courant_core::{Focal, Image, ImageId, NewImage, User};
use courant_store::{ImageUpdate, Write};
use std::future::Future;
use std::pin::Pin;
use time::OffsetDateTime;

/// Where picture files go (a folder or a bucket; the web crate knows which).
pub trait PictureFiles: Send + Sync {
    /// Writes the file to serve under `name`.
    fn write<'a>(&'a self, name: &'a str, bytes: &'a [u8]) -> BoxFuture<'a, std::io::Result<()>>;
    /// Writes an original, kept aside and never served, under `name`.
    fn write_original<'a>(&'a self, name: &'a str, bytes: &'a [u8]) -> BoxFuture<'a, std::io::Result<()>>;
}

/// The future a [`PictureFiles`] method returns.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// A file sent with a form (cheap to clone: the bytes are shared).
#[derive(Clone)]
pub struct Upload {
    /// The name the writer's computer gave it (shown in messages only).
    pub file_name: String,
    pub bytes: bytes::Bytes,
}

impl std::fmt::Debug for Upload {
    /// The name and size, never the content.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Upload").field("file_name", &self.file_name).field("bytes", &self.bytes.len()).finish()
    }
}

/// What readers and search engines are told about a picture.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PictureTexts {
    pub alt: String,
    pub caption: String,
    pub credit: String,
    pub keywords: Vec<String>,
}

/// A picture's texts and focal point, as an editor changes them.
#[derive(Debug, Clone, Default)]
pub struct PictureUpdate {
    pub texts: PictureTexts,
    /// Where crops centre, as fractions of width and height; `None` is the centre.
    pub focal: Option<Focal>,
}

/// A picture checked and written to the files, not yet recorded in the store.
#[derive(Debug)]
pub struct Prepared(NewImage);

impl Prepared {
    /// The record to store (imports store it in their own transaction).
    pub fn into_image(self) -> NewImage {
        self.0
    }
}

impl Newsroom {
    /// Uploads a picture into the library. Anything but a JPEG, PNG, WebP or GIF (by content), a
    /// damaged file or a decompression bomb is refused with what is wrong.
    pub async fn upload_picture(&self, by: &User, upload: &Upload, texts: PictureTexts) -> Result<Image, Refusal> {
        let prepared = self.prepare_picture(upload, texts).await?;
        let mut write = self.store.write().await?;
        let image = record(&mut write, prepared, by).await?;
        write.commit().await?;
        tracing::info!(image = image.id.0, user = by.id.0, bytes = upload.bytes.len(), "picture uploaded");
        Ok(image)
    }

    /// Changes a picture's alt text, caption, credit, keywords and focal point; the articles
    /// showing it are re-rendered. Editors change any picture, contributors their own.
    pub async fn update_picture(&self, by: &User, id: ImageId, update: PictureUpdate) -> Result<(), Refusal> {
        let uploaded_by = self.store.image(id).await?.ok_or(Refusal::NotFound("picture"))?.uploaded_by;
        if !by.may_edit_picture(uploaded_by) {
            return Err(Refusal::Forbidden("Contributors change the pictures they uploaded; ask an editor.".into()));
        }
        if update.texts.alt.is_empty() {
            return Err(Refusal::invalid("Alt text", "describe the picture for readers who cannot see it."));
        }
        let t = update.texts;
        let update =
            ImageUpdate { alt: t.alt, caption: t.caption, credit: t.credit, keywords: t.keywords, focal: update.focal };
        let mut write = self.store.write().await?;
        write.update_image(id, &update).await.map_err(Refusal::from_store)?;
        Ok(write.commit().await?)
    }

    /// Checks an upload and writes its files (the served copy and the original). Files are
    /// named by content, so a file written for an action that is refused later is harmless.
    pub async fn prepare_picture(&self, upload: &Upload, texts: PictureTexts) -> Result<Prepared, Refusal> {
        let bytes = upload.bytes.clone();
        let ingested = tokio::task::spawn_blocking(move || courant_media::ingest(&bytes))
            .await
            .map_err(|e| Refusal::invalid("Picture", format!("it could not be processed: {e}")))?
            .map_err(|e| Refusal::invalid(file_label(&upload.file_name), e.to_string()))?;
        let name = ingested.served.file_name();
        let original = format!("{}.{}", courant_media::content_hash(&upload.bytes), ingested.original_extension);
        let written = async {
            self.files.write_original(&original, &upload.bytes).await?;
            self.files.write(&name, &ingested.served.bytes).await
        };
        if let Err(e) = written.await {
            tracing::error!(error = %e, file = %name, "could not store an upload");
            return Err(Refusal::invalid(
                "Picture",
                "it could not be stored; try again, or tell an admin the disk may be full.",
            ));
        }
        Ok(Prepared(NewImage {
            file: name,
            width: ingested.served.width,
            height: ingested.served.height,
            alt: texts.alt,
            caption: texts.caption,
            credit: texts.credit,
            keywords: texts.keywords,
        }))
    }
}

/// Records a prepared picture as uploaded by `by`, inside `write`.
pub(crate) async fn record(write: &mut Write, prepared: Prepared, by: &User) -> Result<Image, Refusal> {
    write.insert_upload(prepared.0, by.id, OffsetDateTime::now_utc()).await.map_err(Refusal::from_store)
}

/// The file's name as a field label, without control characters and at most 80 characters.
fn file_label(name: &str) -> String {
    let name: String = name.chars().filter(|c| !c.is_control()).take(80).collect();
    if name.is_empty() { "The file".into() } else { name }
}

//! Sections, authors, tags, sources and images: creating them and reading them. The SQL is in
//! `src/taxonomy.rs`.

use crate::{Backend, Store, StoreError};
use courant_core::*;

impl Store {
    /// Creates a section under its parent (or at the top). Its slug is its own when given, else
    /// derived from its name, and made unique.
    pub async fn insert_section(&self, new: NewSection) -> Result<Section, StoreError> {
        on_backend!(self, b => b.insert_section(new).await)
    }

    /// Every section, parents before children, siblings in their order.
    pub async fn sections(&self) -> Result<Vec<Section>, StoreError> {
        on_backend!(self, b => b.sections().await)
    }

    /// Records an image whose file is already in the media folder.
    pub async fn insert_image(&self, new: NewImage) -> Result<Image, StoreError> {
        on_backend!(self, b => b.insert_image(new).await)
    }

    /// Records many images in one transaction (imports, the demo), in order: all or none.
    pub async fn insert_images(&self, new: Vec<NewImage>) -> Result<Vec<Image>, StoreError> {
        on_backend!(self, b => b.insert_images(new).await)
    }

    /// Creates an author profile. Its slug is its own when given, else derived from the name,
    /// and made unique.
    pub async fn insert_author(&self, new: NewAuthor) -> Result<Author, StoreError> {
        on_backend!(self, b => b.insert_author(new).await)
    }

    /// The author with this slug.
    pub async fn author_by_slug(&self, slug: &str) -> Result<Option<Author>, StoreError> {
        on_backend!(self, b => b.author_by_slug(slug).await)
    }

    /// Every author, by name.
    pub async fn authors(&self) -> Result<Vec<Author>, StoreError> {
        on_backend!(self, b => b.authors().await)
    }

    /// The tag named `name` (compared by slug), created when it does not exist yet.
    pub async fn tag_named(&self, name: &str) -> Result<Tag, StoreError> {
        on_backend!(self, b => b.tag_named(name).await)
    }

    /// Every tag, by name.
    pub async fn tags(&self) -> Result<Vec<Tag>, StoreError> {
        on_backend!(self, b => b.tags().await)
    }

    /// Every source, by name.
    pub async fn sources(&self) -> Result<Vec<Source>, StoreError> {
        on_backend!(self, b => b.sources().await)
    }

    /// The tag with this slug.
    pub async fn tag_by_slug(&self, slug: &str) -> Result<Option<Tag>, StoreError> {
        on_backend!(self, b => b.tag_by_slug(slug).await)
    }

    /// Adds a source to the registry, in one transaction. Its slug is its own when given, else
    /// derived from its name, and made unique.
    pub async fn insert_source(&self, new: NewSource) -> Result<Source, StoreError> {
        on_backend!(self, b => b.insert_source(new).await)
    }

    /// The source with this slug.
    pub async fn source_by_slug(&self, slug: &str) -> Result<Option<Source>, StoreError> {
        on_backend!(self, b => b.source_by_slug(slug).await)
    }
}

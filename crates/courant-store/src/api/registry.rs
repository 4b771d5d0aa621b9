//! Editors' management of what articles refer to: changing and deleting sections, authors,
//! sources and tags (merging tags), and the picture library. The SQL is in `src/registry.rs`.

use crate::types::*;
use crate::{Backend, Store, StoreError};
use courant_core::*;
use time::OffsetDateTime;

impl Store {
    /// Changes a section's name, description, parent and order. Its slug (its URLs) stays. A
    /// section cannot be put inside itself or one of its descendants.
    pub async fn update_section(
        &self,
        id: SectionId,
        name: &str,
        description: &str,
        parent: Option<SectionId>,
        position: i64,
    ) -> Result<(), StoreError> {
        on_backend!(self, b => b.update_section(id, name, description, parent, position).await)
    }

    /// Deletes a section no article and no other section uses, logged in the audit log as done
    /// by `by`. A section still in use is refused, with what uses it.
    pub async fn delete_section(&self, id: SectionId, by: UserId, at: OffsetDateTime) -> Result<(), StoreError> {
        on_backend!(self, b => b.delete_section(id, by, at).await)
    }

    /// Changes an author's profile; their slug (their page's URL) stays.
    pub async fn update_author(
        &self,
        id: AuthorId,
        name: &str,
        title: &str,
        bio: &str,
        photo: Option<ImageId>,
    ) -> Result<(), StoreError> {
        on_backend!(self, b => b.update_author(id, name, title, bio, photo).await)
    }

    /// The author with this id.
    pub async fn author(&self, id: AuthorId) -> Result<Option<Author>, StoreError> {
        on_backend!(self, b => b.author(id).await)
    }

    /// Deletes an author no article byline and no user uses, logged in the audit log as done by
    /// `by`. An author still in use is refused, with what uses them.
    pub async fn delete_author(&self, id: AuthorId, by: UserId, at: OffsetDateTime) -> Result<(), StoreError> {
        on_backend!(self, b => b.delete_author(id, by, at).await)
    }

    /// The source with this id.
    pub async fn source(&self, id: SourceId) -> Result<Option<Source>, StoreError> {
        on_backend!(self, b => b.source(id).await)
    }

    /// Changes a source's name, address and kind; its slug (its page's URL) stays.
    pub async fn update_source(&self, id: SourceId, name: &str, url: &str, kind: &str) -> Result<(), StoreError> {
        on_backend!(self, b => b.update_source(id, name, url, kind).await)
    }

    /// Deletes a source no article cites, logged in the audit log as done by `by`. A source
    /// still cited is refused, with the articles that cite it.
    pub async fn delete_source(&self, id: SourceId, by: UserId, at: OffsetDateTime) -> Result<(), StoreError> {
        on_backend!(self, b => b.delete_source(id, by, at).await)
    }

    /// Every tag with how many articles carry it, by name.
    pub async fn tags_with_counts(&self) -> Result<Vec<TagUse>, StoreError> {
        on_backend!(self, b => b.tags_with_counts().await)
    }

    /// Renames a tag; its slug (its page's URL) stays.
    pub async fn rename_tag(&self, id: TagId, name: &str) -> Result<(), StoreError> {
        on_backend!(self, b => b.rename_tag(id, name).await)
    }

    /// Merges tag `from` into `into`, in one transaction: every article tagged `from` is tagged
    /// `into` (once), and `from` is deleted. Logged in the audit log as done by `by`.
    pub async fn merge_tags(&self, from: TagId, into: TagId, by: UserId, at: OffsetDateTime) -> Result<(), StoreError> {
        on_backend!(self, b => b.merge_tags(from, into, by, at).await)
    }

    /// Deletes a tag no article carries, logged in the audit log as done by `by`. A tag still
    /// carried is refused, with the articles that carry it.
    pub async fn delete_tag(&self, id: TagId, by: UserId, at: OffsetDateTime) -> Result<(), StoreError> {
        on_backend!(self, b => b.delete_tag(id, by, at).await)
    }

    /// Records a picture uploaded by `by` at `at`, its file already in the media folder.
    pub async fn insert_upload(&self, new: NewImage, by: UserId, at: OffsetDateTime) -> Result<Image, StoreError> {
        on_backend!(self, b => b.insert_upload(new, by, at).await)
    }

    /// The picture with this id, and who uploaded it (none when no user did).
    pub async fn image(&self, id: ImageId) -> Result<Option<StoredImage>, StoreError> {
        on_backend!(self, b => b.image(id).await)
    }

    /// Pictures whose caption, credit, alt text or keywords contain `text` (all when empty),
    /// newest first: `limit` of them after skipping `offset`, with how many match in all.
    pub async fn images_page(&self, text: &str, limit: i64, offset: i64) -> Result<Page<Image>, StoreError> {
        on_backend!(self, b => b.images_page(text, limit, offset).await)
    }

    /// The articles showing a picture as their hero (what the newsroom needs to decide who may see them), last changed first, at
    /// most 50.
    pub async fn articles_with_hero(&self, image: ImageId) -> Result<Vec<ArticleMeta>, StoreError> {
        on_backend!(self, b => b.articles_with_hero(image).await)
    }

    /// How many articles each section, author and source has: (kind, id, count), the kind being
    /// `section`, `author` or `source`. Those no article uses are left out.
    pub async fn usage_counts(&self) -> Result<Vec<Usage>, StoreError> {
        on_backend!(self, b => b.usage_counts().await)
    }

    /// Changes what readers are told about a picture (alt text, caption, credit, keywords) and
    /// where its crops centre, in one transaction; every article showing it as its hero counts as
    /// changed.
    pub async fn update_image(&self, id: ImageId, update: &ImageUpdate) -> Result<(), StoreError> {
        on_backend!(self, b => b.update_image(id, update).await)
    }
}

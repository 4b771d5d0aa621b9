//! The registries editors keep: sections (a tree with order and descriptions), authors
//! (bylines with a photo), sources (the agencies and outlets stories credit) and tags. Every
//! action is an editor's; deleting what is still used is refused with the list of what uses it.
//! Each action is one store transaction, with its audit and change-log entries.

use crate::{Newsroom, Refusal};
use courant_core::*;
use courant_store::StoreError;
use time::OffsetDateTime;

/// A section's editable fields (its address stays when they change).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SectionFields {
    pub name: String,
    pub description: String,
    pub parent: Option<SectionId>,
    pub position: i64,
}

/// An author's editable fields (the byline's address stays when they change).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuthorFields {
    pub name: String,
    pub title: String,
    pub bio: String,
    /// The portrait, a picture of the library.
    pub photo: Option<ImageId>,
}

/// A source's editable fields.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SourceFields {
    pub name: String,
    pub url: String,
    /// One of [`SOURCE_KINDS`].
    pub kind: String,
}

impl Newsroom {
    /// Adds a section.
    pub async fn create_section(&self, by: &User, new: SectionFields) -> Result<Section, Refusal> {
        editor(by)?;
        let new = NewSection {
            slug: None,
            name: new.name.trim().to_string(),
            description: new.description.trim().to_string(),
            parent_id: new.parent,
            position: new.position,
        };
        self.store.insert_section(new).await.map_err(Refusal::from_store)
    }

    /// Renames, describes, moves or reorders a section.
    pub async fn update_section(&self, by: &User, id: SectionId, f: SectionFields) -> Result<(), Refusal> {
        editor(by)?;
        let done = self.store.update_section(id, &f.name, &f.description, f.parent, f.position).await;
        done.map_err(Refusal::from_store)
    }

    /// Deletes a section no article uses.
    pub async fn delete_section(&self, by: &User, id: SectionId) -> Result<(), Refusal> {
        editor(by)?;
        self.store.delete_section(id, by.id, OffsetDateTime::now_utc()).await.map_err(Refusal::from_store)
    }

    /// Adds a byline.
    pub async fn create_author(&self, by: &User, new: AuthorFields) -> Result<Author, Refusal> {
        editor(by)?;
        let new = NewAuthor {
            slug: None,
            name: new.name.trim().to_string(),
            title: new.title.trim().to_string(),
            bio: new.bio.trim().to_string(),
            photo_id: new.photo,
        };
        self.store.insert_author(new).await.map_err(Refusal::from_store)
    }

    /// Changes a byline's name, title, biography or portrait.
    pub async fn update_author(&self, by: &User, id: AuthorId, f: AuthorFields) -> Result<(), Refusal> {
        editor(by)?;
        match self.store.update_author(id, &f.name, &f.title, &f.bio, f.photo).await {
            Err(StoreError::NotFound("photo")) => Err(Refusal::invalid("Photo", "no picture has that number.")),
            done => done.map_err(Refusal::from_store),
        }
    }

    /// Deletes a byline no article and no user uses.
    pub async fn delete_author(&self, by: &User, id: AuthorId) -> Result<(), Refusal> {
        editor(by)?;
        self.store.delete_author(id, by.id, OffsetDateTime::now_utc()).await.map_err(Refusal::from_store)
    }

    /// Adds a source to the registry.
    pub async fn create_source(&self, by: &User, new: SourceFields) -> Result<Source, Refusal> {
        editor(by)?;
        let new = NewSource {
            slug: None,
            name: new.name.trim().to_string(),
            url: new.url.trim().to_string(),
            kind: new.kind,
        };
        self.store.insert_source(new).await.map_err(Refusal::from_store)
    }

    /// Changes a source's name, address or kind.
    pub async fn update_source(&self, by: &User, id: SourceId, f: SourceFields) -> Result<(), Refusal> {
        editor(by)?;
        self.store.update_source(id, &f.name, &f.url, &f.kind).await.map_err(Refusal::from_store)
    }

    /// Deletes a source no story cites.
    pub async fn delete_source(&self, by: &User, id: SourceId) -> Result<(), Refusal> {
        editor(by)?;
        self.store.delete_source(id, by.id, OffsetDateTime::now_utc()).await.map_err(Refusal::from_store)
    }

    /// Renames a tag (its address stays).
    pub async fn rename_tag(&self, by: &User, id: TagId, name: &str) -> Result<(), Refusal> {
        editor(by)?;
        self.store.rename_tag(id, name).await.map_err(Refusal::from_store)
    }

    /// Moves every article of tag `from` to the tag named (or with the address) `into`, then
    /// deletes `from`.
    pub async fn merge_tag(&self, by: &User, from: TagId, into: &str) -> Result<(), Refusal> {
        editor(by)?;
        let into = into.trim();
        let tags = self.store.tags().await?;
        let Some(target) = tags.into_iter().find(|t| t.name.eq_ignore_ascii_case(into) || t.slug == into) else {
            return Err(Refusal::invalid("Into", format!("no tag is named {into:?}.")));
        };
        let done = self.store.merge_tags(from, target.id, by.id, OffsetDateTime::now_utc()).await;
        done.map_err(Refusal::from_store)
    }

    /// Deletes a tag no article carries.
    pub async fn delete_tag(&self, by: &User, id: TagId) -> Result<(), Refusal> {
        editor(by)?;
        self.store.delete_tag(id, by.id, OffsetDateTime::now_utc()).await.map_err(Refusal::from_store)
    }
}

/// Registries are kept by editors.
fn editor(by: &User) -> Result<(), Refusal> {
    if by.is(Role::Editor) {
        Ok(())
    } else {
        Err(Refusal::Forbidden(format!("The registries are kept by editors; you are {}.", by.role)))
    }
}

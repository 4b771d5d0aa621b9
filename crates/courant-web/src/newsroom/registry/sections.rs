//! Sections: a tree with order and descriptions (`/newsroom/sections`).

use super::super::articles::section_choices;
use super::super::form::Form;
use super::super::{Choice, Me, Page};
use super::{Registry, counts};
use crate::{AppError, AppState};
use courant_core::*;
use courant_newsroom::{Refusal, SectionFields};
use serde::Serialize;

/// The sections of the publication.
pub(in crate::newsroom) struct Sections;

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

#[derive(Serialize)]
struct SectionView {
    section: SectionShown,
    parents: Vec<Choice>,
    used_by: Vec<String>,
}

#[derive(Serialize)]
struct SectionShown {
    id: i64,
    name: String,
    slug: String,
    description: String,
    position: i64,
}

/// The section form's fields.
fn fields(form: &Form) -> SectionFields {
    SectionFields {
        name: form.get("name").to_string(),
        description: form.get("description").to_string(),
        parent: form.get("parent").parse().ok().map(SectionId),
        position: form.get("position").parse().unwrap_or(0),
    }
}

impl Registry for Sections {
    type Id = SectionId;
    const MANY: &'static str = "sections";
    const IN_USE: &'static str = "This section cannot be deleted while it is used.";

    async fn list_page(app: &AppState, me: &Me, errors: Vec<String>, done: Option<&str>) -> Result<String, AppError> {
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
        Page::of("sections", "Sections").html(app, me, view, errors, done)
    }

    async fn item_page(
        app: &AppState,
        me: &Me,
        id: SectionId,
        errors: Vec<String>,
        used_by: Vec<String>,
        done: Option<&str>,
    ) -> Result<String, AppError> {
        let all = app.store.sections().await?;
        let s = all.iter().find(|s| s.id == id).cloned().ok_or(AppError::NotFound)?;
        let parents = std::iter::once(Choice::new("", "Top level", s.parent_id.is_none()))
            .chain(section_choices(&all, s.parent_id).into_iter().filter(|c| c.value() != id.to_string()))
            .collect();
        let section = SectionShown {
            id: id.0,
            name: s.name.clone(),
            slug: s.slug,
            description: s.description,
            position: s.position,
        };
        let view = SectionView { section, parents, used_by };
        Page::within("section", "sections", &s.name).html(app, me, view, errors, done)
    }

    async fn create(app: &AppState, me: &Me, form: &Form) -> Result<String, Refusal> {
        app.newsroom.create_section(&me.user, fields(form)).await?;
        Ok("/newsroom/sections?done=created".into())
    }

    async fn update(app: &AppState, me: &Me, id: SectionId, form: &Form) -> Result<(), Refusal> {
        app.newsroom.update_section(&me.user, id, fields(form)).await
    }

    async fn delete(app: &AppState, me: &Me, id: SectionId) -> Result<(), Refusal> {
        app.newsroom.delete_section(&me.user, id).await
    }
}

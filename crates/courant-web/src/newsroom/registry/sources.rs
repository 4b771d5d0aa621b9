//! Sources: the agencies and outlets stories credit, with an address and a kind
//! (`/newsroom/sources`).

use super::super::form::Form;
use super::super::{Choice, Me, Page};
use super::{Registry, counts};
use crate::{AppError, AppState};
use courant_core::*;
use courant_newsroom::{Refusal, SourceFields};
use serde::Serialize;

/// The sources stories credit.
pub(in crate::newsroom) struct Sources;

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

#[derive(Serialize)]
struct SourceView {
    source: Source,
    kinds: Vec<Choice>,
    used_by: Vec<String>,
}

fn kinds(selected: &str) -> Vec<Choice> {
    SOURCE_KINDS.iter().map(|k| Choice::new(k, *k, *k == selected)).collect()
}

/// The source form's fields.
fn fields(form: &Form) -> SourceFields {
    SourceFields {
        name: form.get("name").to_string(),
        url: form.get("url").to_string(),
        kind: form.get("kind").to_string(),
    }
}

impl Registry for Sources {
    type Id = SourceId;
    const MANY: &'static str = "sources";
    const IN_USE: &'static str = "This source cannot be deleted while stories cite it.";

    async fn list_page(app: &AppState, me: &Me, errors: Vec<String>, done: Option<&str>) -> Result<String, AppError> {
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
        let view = SourcesView { sources, kinds: kinds("agency") };
        Page::of("sources", "Sources").html(app, me, view, errors, done)
    }

    async fn item_page(
        app: &AppState,
        me: &Me,
        id: SourceId,
        errors: Vec<String>,
        used_by: Vec<String>,
        done: Option<&str>,
    ) -> Result<String, AppError> {
        let s = app.store.source(id).await?.ok_or(AppError::NotFound)?;
        let title = s.name.clone();
        let view = SourceView { kinds: kinds(&s.kind), source: s, used_by };
        Page::within("source", "sources", &title).html(app, me, view, errors, done)
    }

    async fn create(app: &AppState, me: &Me, form: &Form) -> Result<String, Refusal> {
        app.newsroom.create_source(&me.user, fields(form)).await?;
        Ok("/newsroom/sources?done=created".into())
    }

    async fn update(app: &AppState, me: &Me, id: SourceId, form: &Form) -> Result<(), Refusal> {
        app.newsroom.update_source(&me.user, id, fields(form)).await
    }

    async fn delete(app: &AppState, me: &Me, id: SourceId) -> Result<(), Refusal> {
        app.newsroom.delete_source(&me.user, id).await
    }
}

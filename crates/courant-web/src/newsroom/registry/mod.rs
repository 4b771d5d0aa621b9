//! Editors' registries: sections (a tree with order and descriptions), authors (profile and
//! photo), sources (name, address, kind) and tags (rename, merge, delete). The first three share
//! one implementation of their five routes (list, add, one entry, change, delete), generic over
//! a [`Registry`]; each kind says only what differs: its pages and its form. Deleting what is
//! still used is refused with the list of what uses it.

mod authors;
mod sections;
mod sources;
pub(super) mod tags;

pub(super) use authors::Authors;
pub(super) use sections::Sections;
pub(super) use sources::Sources;

use super::form::Form;
use super::{Me, redirect};
use crate::{AppError, AppState};
use axum::Extension;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use courant_newsroom::Refusal;
use serde::de::DeserializeOwned;
use std::collections::HashMap;
use std::fmt::Display;
use std::future::Future;
use std::sync::Arc;

/// One kind of registry entry: its address, pages and form. The routes are the same for all
/// (see the module's comment).
pub(super) trait Registry: Send + Sync + 'static {
    /// The entry's id as its address carries it.
    type Id: DeserializeOwned + Copy + Display + Send + Sync + 'static;
    /// The plural in addresses and the name of the list's template (`sections`).
    const MANY: &'static str;
    /// Why an entry in use cannot be deleted, in words.
    const IN_USE: &'static str;

    /// The list of entries with a form to add one.
    fn list_page(
        app: &AppState,
        me: &Me,
        errors: Vec<String>,
        done: Option<&str>,
    ) -> impl Future<Output = Result<String, AppError>> + Send;

    /// One entry's form, with `used_by` listing what keeps it from being deleted.
    fn item_page(
        app: &AppState,
        me: &Me,
        id: Self::Id,
        errors: Vec<String>,
        used_by: Vec<String>,
        done: Option<&str>,
    ) -> impl Future<Output = Result<String, AppError>> + Send;

    /// Adds the entry the form describes; answers with the address to go to.
    fn create(app: &AppState, me: &Me, form: &Form) -> impl Future<Output = Result<String, Refusal>> + Send;

    /// Changes an entry as the form says.
    fn update(app: &AppState, me: &Me, id: Self::Id, form: &Form) -> impl Future<Output = Result<(), Refusal>> + Send;

    /// Deletes an entry.
    fn delete(app: &AppState, me: &Me, id: Self::Id) -> impl Future<Output = Result<(), Refusal>> + Send;
}

/// `GET /newsroom/{MANY}`: the entries and a form to add one.
pub(super) async fn list<R: Registry>(
    State(app): State<AppState>,
    Extension(me): Extension<Me>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let html = R::list_page(&app, &me, Vec::new(), done(&q)).await?;
    Ok(crate::respond::html(StatusCode::OK, html))
}

/// `POST /newsroom/{MANY}`: adds an entry.
pub(super) async fn create<R: Registry>(
    State(app): State<AppState>,
    Extension(me): Extension<Me>,
    Extension(form): Extension<Arc<Form>>,
) -> Result<Response, AppError> {
    match R::create(&app, &me, &form).await {
        Ok(location) => Ok(redirect(&location)),
        Err(Refusal::Invalid(errors)) => {
            let errors = crate::newsroom::messages(&errors);
            Err(AppError::invalid(errors.clone()).with_page(R::list_page(&app, &me, errors, None).await?))
        }
        Err(refusal) => Err(refusal.into()),
    }
}

/// `GET /newsroom/{MANY}/{id}`: one entry's form.
pub(super) async fn item<R: Registry>(
    State(app): State<AppState>,
    Extension(me): Extension<Me>,
    Path(id): Path<R::Id>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let html = R::item_page(&app, &me, id, Vec::new(), Vec::new(), done(&q)).await?;
    Ok(crate::respond::html(StatusCode::OK, html))
}

/// `POST /newsroom/{MANY}/{id}`: changes an entry (its address stays).
pub(super) async fn update<R: Registry>(
    State(app): State<AppState>,
    Extension(me): Extension<Me>,
    Extension(form): Extension<Arc<Form>>,
    Path(id): Path<R::Id>,
) -> Result<Response, AppError> {
    match R::update(&app, &me, id, &form).await {
        Ok(()) => Ok(redirect(&format!("/newsroom/{}/{id}?done=saved", R::MANY))),
        Err(Refusal::Invalid(errors)) => {
            let errors = crate::newsroom::messages(&errors);
            let page = R::item_page(&app, &me, id, errors.clone(), Vec::new(), None).await?;
            Err(AppError::invalid(errors).with_page(page))
        }
        Err(refusal) => Err(refusal.into()),
    }
}

/// `POST /newsroom/{MANY}/{id}/delete`: deletes an entry nothing uses; otherwise shows what
/// uses it.
pub(super) async fn delete<R: Registry>(
    State(app): State<AppState>,
    Extension(me): Extension<Me>,
    Path(id): Path<R::Id>,
) -> Result<Response, AppError> {
    match R::delete(&app, &me, id).await {
        Ok(()) => Ok(redirect(&format!("/newsroom/{}?done=deleted", R::MANY))),
        Err(Refusal::InUse { what, used_by }) => {
            let page = R::item_page(&app, &me, id, vec![R::IN_USE.to_string()], used_by.clone(), None).await?;
            Err(AppError::from(Refusal::InUse { what, used_by }).with_page(page))
        }
        Err(refusal) => Err(refusal.into()),
    }
}

/// Articles per section, author and source.
async fn counts(app: &AppState) -> Result<HashMap<(String, i64), i64>, AppError> {
    Ok(app.store.usage_counts().await?.into_iter().map(|u| ((u.kind, u.id), u.articles)).collect())
}

fn done(q: &HashMap<String, String>) -> Option<&str> {
    q.get("done").map(String::as_str)
}

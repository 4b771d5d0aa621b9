//! Admins' pages for users (roles, bylines, disabling, one-time reset links) and the
//! publication's settings, and editors' audit log of what was published, unpublished, corrected and who changed whose role.

use super::form::Form;
use super::{Choice, Me, Page, redirect};
use crate::{AppError, AppState};
use axum::Extension;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use courant_core::*;
use courant_newsroom::{MemberFields, NewMember, Refusal};
use serde::Serialize;
use std::collections::HashMap;
use std::sync::Arc;

/// Entries per page of the audit log.
const AUDIT_PAGE: i64 = 100;

#[derive(Serialize)]
struct UserRow {
    id: i64,
    name: String,
    email: String,
    role: &'static str,
    disabled: bool,
    author_name: String,
    edit_url: String,
}

#[derive(Serialize)]
struct UsersView {
    users: Vec<UserRow>,
    roles: Vec<Choice>,
    created: Option<Created>,
}

#[derive(Serialize)]
struct Created {
    email: String,
    password: String,
}

fn roles(selected: Role) -> Vec<Choice> {
    Role::ALL.iter().map(|r| Choice::new(r.as_str(), r.as_str(), *r == selected)).collect()
}

/// `GET /newsroom/users`: everyone in the newsroom, and a form to add someone.
pub(super) async fn users(State(app): State<AppState>, Extension(me): Extension<Me>) -> Result<Response, AppError> {
    Ok(crate::respond::html(StatusCode::OK, users_page(&app, &me, Vec::new(), None).await?))
}

async fn users_page(
    app: &AppState,
    me: &Me,
    errors: Vec<String>,
    created: Option<Created>,
) -> Result<String, AppError> {
    let authors = app.store.authors().await?;
    let users = app
        .store
        .users()
        .await?
        .into_iter()
        .map(|u| UserRow {
            id: u.id.0,
            author_name: u
                .author_id
                .and_then(|a| authors.iter().find(|x| x.id == a))
                .map(|a| a.name.clone())
                .unwrap_or_default(),
            edit_url: format!("/newsroom/users/{}", u.id),
            name: u.name,
            email: u.email,
            role: u.role.as_str(),
            disabled: u.disabled,
        })
        .collect();
    let view = UsersView { users, roles: roles(Role::Contributor), created };
    Page::of("users", "Users").html(app, me, view, errors, None)
}

/// `POST /newsroom/users`: adds a user with a one-time password, shown once on the page that
/// answers; they choose their own at first login.
pub(super) async fn create_user(
    State(app): State<AppState>,
    Extension(me): Extension<Me>,
    Extension(form): Extension<Arc<Form>>,
) -> Result<Response, AppError> {
    let created = match Role::parse(form.get("role")) {
        None => Err(Refusal::invalid("Role", "choose contributor, editor or admin.")),
        Some(role) => {
            let new = NewMember { email: form.get("email").to_string(), name: form.get("name").to_string(), role };
            app.newsroom.create_user(Some(&me.user), new).await
        }
    };
    match created {
        // The password is shown once, on this page (never in a URL).
        Ok((user, password)) => {
            let html = users_page(&app, &me, Vec::new(), Some(Created { email: user.email, password })).await?;
            Ok(crate::respond::html(StatusCode::OK, html))
        }
        Err(Refusal::Invalid(errors)) => {
            let errors = super::messages(&errors);
            Err(AppError::invalid(errors.clone()).with_page(users_page(&app, &me, errors, None).await?))
        }
        Err(refusal) => Err(refusal.into()),
    }
}

#[derive(Serialize)]
struct UserView {
    user: UserFields,
    roles: Vec<Choice>,
    authors: Vec<Choice>,
    reset_link: Option<String>,
}

#[derive(Serialize)]
struct UserFields {
    id: i64,
    name: String,
    email: String,
    role: &'static str,
    disabled: bool,
}

/// `GET /newsroom/users/{id}`: one user's role, byline and status.
pub(super) async fn user(
    State(app): State<AppState>,
    Extension(me): Extension<Me>,
    Path(id): Path<UserId>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let html = user_page(&app, &me, id, Vec::new(), None, q.get("done").map(String::as_str)).await?;
    Ok(crate::respond::html(StatusCode::OK, html))
}

async fn user_page(
    app: &AppState,
    me: &Me,
    id: UserId,
    errors: Vec<String>,
    reset_link: Option<String>,
    done: Option<&str>,
) -> Result<String, AppError> {
    let u = app.store.user(id).await?.ok_or(AppError::NotFound)?;
    let authors = app.store.authors().await?;
    let view = UserView {
        roles: roles(u.role),
        authors: std::iter::once(Choice::new("", "No byline", u.author_id.is_none()))
            .chain(authors.iter().map(|a| Choice::new(a.id.0, a.name.clone(), u.author_id == Some(a.id))))
            .collect(),
        reset_link,
        user: UserFields {
            id: id.0,
            name: u.name.clone(),
            email: u.email,
            role: u.role.as_str(),
            disabled: u.disabled,
        },
    };
    Page::within("user", "users", &u.name).html(app, me, view, errors, done)
}

/// `POST /newsroom/users/{id}`: changes name, role, byline, or disables the account (its
/// sessions end at once). An admin cannot demote or disable themselves: someone must stay admin.
pub(super) async fn update_user(
    State(app): State<AppState>,
    Extension(me): Extension<Me>,
    Extension(form): Extension<Arc<Form>>,
    Path(id): Path<UserId>,
) -> Result<Response, AppError> {
    let updated = match Role::parse(form.get("role")) {
        None => Err(Refusal::invalid("Role", "choose contributor, editor or admin.")),
        Some(role) => {
            let fields = MemberFields {
                name: form.get("name").to_string(),
                role,
                author: form.get("author").parse().ok().map(AuthorId),
                disabled: form.get("disabled") == "1",
            };
            app.newsroom.update_user(&me.user, id, fields).await
        }
    };
    match updated {
        Ok(_) => Ok(redirect(&format!("/newsroom/users/{id}?done=saved"))),
        Err(Refusal::Invalid(errors)) => {
            let errors = super::messages(&errors);
            Err(AppError::invalid(errors.clone()).with_page(user_page(&app, &me, id, errors, None, None).await?))
        }
        Err(refusal) => Err(refusal.into()),
    }
}

/// `POST /newsroom/users/{id}/reset`: issues a one-time link (valid 24 hours) for the user to
/// choose a new password; shown once to the admin, who hands it over.
pub(super) async fn reset_link(
    State(app): State<AppState>,
    Extension(me): Extension<Me>,
    Path(id): Path<UserId>,
) -> Result<Response, AppError> {
    let u = app.store.user(id).await?.ok_or(AppError::NotFound)?;
    let token = app.newsroom.password_link(Some(&me.user), &u).await?;
    let link = format!("{}/newsroom/reset/{token}", app.renderer().site().url.trim_end_matches('/'));
    Ok(crate::respond::html(StatusCode::OK, user_page(&app, &me, id, Vec::new(), Some(link), None).await?))
}

#[derive(Serialize)]
struct AuditRow {
    at: String,
    user: String,
    action: String,
    subject: String,
    detail: String,
    article_url: Option<String>,
}

#[derive(Serialize)]
struct AuditView {
    entries: Vec<AuditRow>,
    older_url: Option<String>,
}

/// `GET /newsroom/audit?before=`: the newest entries of the audit log, then older ones.
pub(super) async fn audit(
    State(app): State<AppState>,
    Extension(me): Extension<Me>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let before = q.get("before").and_then(|b| b.parse().ok());
    let entries = app.store.audit_log(AUDIT_PAGE, before).await?;
    let older_url = (entries.len() as i64 == AUDIT_PAGE)
        .then(|| entries.last().map(|e| format!("/newsroom/audit?before={}", e.id)))
        .flatten();
    let entries = entries
        .into_iter()
        .map(|e| AuditRow {
            at: app.renderer().format_time(e.at),
            user: e.user_name.unwrap_or_default(),
            action: e.action.replace('_', " "),
            subject: e.subject,
            detail: e.detail,
            article_url: e.article_id.map(|a| format!("/newsroom/articles/{a}")),
        })
        .collect();
    Page::of("audit", "Audit log").response(&app, &me, AuditView { entries, older_url }, Vec::new(), None)
}

#[derive(Serialize)]
struct SettingsView {
    settings: courant_render::PublicationSettings,
    file_title: String,
    site_url: String,
    timezone: String,
}

/// `GET /newsroom/settings`: what admins may change about the publication here (the rest is in
/// `courant.toml`).
pub(super) async fn settings(
    State(app): State<AppState>,
    Extension(me): Extension<Me>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let current = courant_render::PublicationSettings::of(app.renderer().settings());
    settings_page(&app, &me, current, Vec::new(), q.get("done").map(String::as_str))
}

fn settings_page(
    app: &AppState,
    me: &Me,
    settings: courant_render::PublicationSettings,
    errors: Vec<String>,
    done: Option<&str>,
) -> Result<Response, AppError> {
    let renderer = app.renderer();
    let site = renderer.site();
    let view = SettingsView {
        settings,
        file_title: app.file_settings.site.title.clone(),
        site_url: site.url.clone(),
        timezone: site.timezone.clone(),
    };
    Page::of("settings", "Settings").response(app, me, view, errors, done)
}

/// `POST /newsroom/settings`: checks and stores the publication's settings, then puts them in
/// force at once (every page rendered after shows them).
pub(super) async fn save_settings(
    State(app): State<AppState>,
    Extension(me): Extension<Me>,
    Extension(form): Extension<Arc<Form>>,
) -> Result<Response, AppError> {
    let number = |name: &str| form.get(name).trim().parse::<u32>().ok();
    let (Some(stories), Some(height), Some(items)) =
        (number("home_section_stories"), number("ads_height"), number("feed_items"))
    else {
        let current = courant_render::PublicationSettings::of(app.renderer().settings());
        return settings_page(
            &app,
            &me,
            current,
            vec!["Use whole numbers for the counts and the height.".into()],
            None,
        );
    };
    let wanted = courant_render::PublicationSettings {
        title: form.get("title").trim().to_string(),
        description: form.get("description").trim().to_string(),
        home_section_stories: stories as usize,
        ads_label: form.get("ads_label").trim().to_string(),
        ads_html: form.get("ads_html").trim().to_string(),
        ads_height: height,
        feed_items: items as usize,
    };
    if let Some((key, what)) = wanted.problem() {
        return settings_page(&app, &me, wanted, vec![format!("{key}: {what}")], None);
    }
    let json =
        serde_json::to_string(&wanted).map_err(|e| AppError::internal("the settings could not be written", e))?;
    // The new renderer first: once the change is logged, every page rendered is of the new
    // settings, and a page rendered before is refused by the cache (the change clears it).
    let previous = courant_render::PublicationSettings::of(app.renderer().settings());
    app.apply_settings(&wanted)?;
    if let Err(e) = app.newsroom.save_setting(&me.user, super::SETTINGS_KEY, &json).await {
        app.apply_settings(&previous)?;
        return Err(e.into());
    }
    app.cache.clear();
    tracing::info!(user = me.user.id.0, "publication settings changed");
    Ok(redirect("/newsroom/settings?done=saved"))
}

//! The reader's side of newsletters, all of it working without JavaScript:
//!
//! - `GET /newsletters` lists the newsletters with a sign-up form (the footer's and the end of
//!   an article's forms come here with the address typed);
//! - `POST /newsletters/subscribe` asks the address to confirm (double opt-in), whatever it
//!   is, and says the same thing whatever it is, so nobody learns who subscribes; a honeypot
//!   field, a limit per reader address and limits per email address keep bots out;
//! - `GET /newsletters/confirm?t=` shows a button that confirms (`POST`): mail scanners that
//!   open links do not confirm anybody;
//! - `GET|POST /newsletters/manage?t=` is the preferences page of a signed link;
//! - `GET /newsletters/unsubscribe?t=&list=` shows one button; `POST` to the same address
//!   unsubscribes at once: the button, and mail programs' one-click (RFC 8058).
//!
//! None of these pages is cached (see `cache::pages`) or indexed, and none sends a Referer.

use super::ask_to_confirm;
use crate::{AppError, AppState};
use axum::Router;
use axum::body::Bytes;
use axum::extract::{ConnectInfo, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;
use axum::routing::{get, post};
use courant_core::check_email;
use courant_mail::links;
use courant_render::{NewsletterChoice, NewslettersPage};
use courant_store::{NewsletterList, Subscriber, SubscriberState};
use std::collections::HashMap;
use std::net::SocketAddr;
use time::OffsetDateTime;

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/newsletters", get(signup_page))
        .route("/newsletters/subscribe", post(subscribe))
        .route("/newsletters/confirm", get(confirm_page).post(confirm))
        .route("/newsletters/manage", get(manage_page).post(manage))
        .route("/newsletters/unsubscribe", get(unsubscribe_page).post(unsubscribe))
}

/// The page, never stored by a cache nor followed by a Referer.
async fn page(app: &AppState, status: StatusCode, p: NewslettersPage) -> Result<Response, AppError> {
    let nav = app.store.sections().await?;
    let html = app.renderer().newsletters_page(&p, &nav)?;
    let mut r = crate::respond::html(status, html);
    r.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r.headers_mut().insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    Ok(r)
}

/// The fields of a posted form (a repeated name gives several pairs).
fn fields(body: &Bytes) -> Vec<(String, String)> {
    form_urlencoded::parse(body).map(|(k, v)| (k.into_owned(), v.into_owned())).collect()
}

fn field<'a>(fields: &'a [(String, String)], name: &str) -> &'a str {
    fields.iter().find(|(k, _)| k == name).map_or("", |(_, v)| v.as_str())
}

/// The list ids chosen in a form, of the lists offered (others are ignored).
fn chosen(fields: &[(String, String)], offered: &[NewsletterList]) -> Vec<i64> {
    let mut ids: Vec<i64> = fields
        .iter()
        .filter(|(k, _)| k == "list")
        .filter_map(|(_, v)| v.trim().parse().ok())
        .filter(|id| offered.iter().any(|l| l.id == *id))
        .collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}

/// "Weekdays at 07:00", "Daily at 18:30", "Mondays at 08:00", or nothing for lists by hand.
pub fn when(list: &NewsletterList) -> String {
    let Some(minute) = list.send_minute else { return String::new() };
    let at = format!("{:02}:{:02}", minute / 60, minute % 60);
    let mut days = list.days.clone();
    days.sort_unstable();
    let names = ["Mondays", "Tuesdays", "Wednesdays", "Thursdays", "Fridays", "Saturdays", "Sundays"];
    let which = match days.as_slice() {
        [1, 2, 3, 4, 5, 6, 7] => "Daily".to_string(),
        [1, 2, 3, 4, 5] => "Weekdays".to_string(),
        [6, 7] => "Weekends".to_string(),
        d => {
            d.iter().filter_map(|n| names.get(usize::from(*n).wrapping_sub(1))).copied().collect::<Vec<_>>().join(", ")
        }
    };
    format!("{which} at {at}")
}

fn choices(lists: &[NewsletterList], checked: impl Fn(&NewsletterList) -> bool) -> Vec<NewsletterChoice> {
    lists
        .iter()
        .map(|l| NewsletterChoice {
            id: l.id,
            name: l.name.clone(),
            description: l.description.clone(),
            when: when(l),
            checked: checked(l),
        })
        .collect()
}

async fn active_lists(app: &AppState) -> Result<Vec<NewsletterList>, AppError> {
    Ok(app.store.newsletter_lists().await?.into_iter().filter(|l| l.active).collect())
}

fn signup(lists: &[NewsletterList], email: &str, picked: &[i64]) -> NewslettersPage {
    let message = if lists.is_empty() {
        "This publication has no newsletters yet.".to_string()
    } else {
        "Our journalism in your inbox: choose your newsletters.".to_string()
    };
    NewslettersPage {
        state: "signup",
        title: "Newsletters".into(),
        message,
        // With nothing chosen yet, every list is ticked: a reader unticks what they do not want.
        lists: choices(lists, |l| picked.is_empty() || picked.contains(&l.id)),
        email: email.to_string(),
        ..NewslettersPage::default()
    }
}

/// `GET /newsletters?email=`: the lists and the form.
async fn signup_page(
    State(app): State<AppState>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let lists = active_lists(&app).await?;
    let email: String = q.get("email").map(|e| e.trim().chars().take(254).collect()).unwrap_or_default();
    page(&app, StatusCode::OK, signup(&lists, &email, &[])).await
}

/// Whether a form post comes from another site (a browser says so): refused, as a sign-up
/// form on a cached page carries no per-reader token.
fn cross_site(headers: &HeaderMap, site_url: &str) -> bool {
    let value = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or("");
    if value("sec-fetch-site") == "cross-site" {
        return true;
    }
    // The site's own address, or the host asked for (a proxy may rewrite either).
    let origin = value("origin");
    !origin.is_empty()
        && origin != "null"
        && origin != site_url.trim_end_matches('/')
        && origin.split("://").nth(1) != Some(value("host"))
}

/// `POST /newsletters/subscribe`: email, list (repeated), website (the honeypot).
async fn subscribe(
    State(app): State<AppState>,
    peer: Option<axum::Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    if cross_site(&headers, &app.renderer().site().url) {
        return Err(AppError::Forbidden("sign up on this site's own page".into()));
    }
    let address = peer.map_or(std::net::IpAddr::from([0, 0, 0, 0]), |p| p.0.0.ip());
    if let Err(retry_after) = app.newsletters.signups.check(address) {
        return Err(AppError::TooManyRequests { retry_after });
    }
    let form = fields(&body);
    let lists = active_lists(&app).await?;
    let email = field(&form, "email").trim().to_lowercase();
    let picked = chosen(&form, &lists);
    let mut errors = Vec::new();
    if let Err(e) = check_email(&email) {
        errors.push(format!("Email address: {}", e.message));
    }
    if picked.is_empty() {
        errors.push("Newsletters: tick at least one.".to_string());
    }
    if !errors.is_empty() {
        let mut p = signup(&lists, &email, &picked);
        p.errors = errors;
        return page(&app, StatusCode::UNPROCESSABLE_ENTITY, p).await;
    }
    let sent = NewslettersPage {
        state: "sent",
        title: "Check your inbox".into(),
        message: format!(
            "If {email} can receive our newsletters, an email is on its way with a link to confirm. \
             Nothing else is sent to it until you do."
        ),
        ..NewslettersPage::default()
    };
    // A bot filled the field people do not see: it is told what a person is told, and nothing
    // is sent.
    if !field(&form, "website").is_empty() {
        tracing::info!("a sign-up with the honeypot field filled was ignored");
        return page(&app, StatusCode::OK, sent).await;
    }
    let chosen_lists: Vec<NewsletterList> = lists.into_iter().filter(|l| picked.contains(&l.id)).collect();
    match ask_to_confirm(&app, &email, &chosen_lists).await {
        Ok(_) => page(&app, StatusCode::OK, sent).await,
        Err(super::NotSent(why)) => {
            let p = NewslettersPage {
                state: "unavailable",
                title: "Not sent".into(),
                message: why,
                ..NewslettersPage::default()
            };
            page(&app, StatusCode::SERVICE_UNAVAILABLE, p).await
        }
    }
}

fn invalid() -> NewslettersPage {
    NewslettersPage {
        state: "invalid",
        title: "This link does not work".into(),
        message:
            "It is incomplete, expired, used already or not one of ours. Sign up again from the newsletters page, \
                  or use the link at the foot of a newsletter you received."
                .into(),
        ..NewslettersPage::default()
    }
}

/// The subscriber a confirmation token is good for, with what it confirms.
async fn confirmation(app: &AppState, token: &str) -> Result<Option<(Subscriber, links::Confirmation)>, AppError> {
    let Some(id) = links::subscriber_of(token) else { return Ok(None) };
    let Some(subscriber) = app.store.subscriber(id).await? else { return Ok(None) };
    let key = app.newsletters.key(&app.store).await?;
    let now = OffsetDateTime::now_utc().unix_timestamp();
    let Some(c) = links::check_confirm(key, token, &subscriber.email, now) else { return Ok(None) };
    // A link works once: consent given since it was sent used it (replayed after leaving, it
    // would subscribe the address again).
    let sent = c.expires - super::CONFIRM_HOURS * 3600;
    if subscriber.consented_at.is_some_and(|t| t.unix_timestamp() >= sent) {
        return Ok(None);
    }
    Ok(Some((subscriber, c)))
}

/// The subscriber a preferences token is good for.
async fn managed(app: &AppState, token: &str) -> Result<Option<Subscriber>, AppError> {
    let Some(id) = links::subscriber_of(token) else { return Ok(None) };
    let Some(subscriber) = app.store.subscriber(id).await? else { return Ok(None) };
    let key = app.newsletters.key(&app.store).await?;
    Ok(links::check_manage(key, token, &subscriber.email).then_some(subscriber))
}

/// `GET /newsletters/confirm?t=`: a button to confirm.
async fn confirm_page(
    State(app): State<AppState>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let token = q.get("t").map(String::as_str).unwrap_or("");
    let Some((subscriber, c)) = confirmation(&app, token).await? else {
        return page(&app, StatusCode::NOT_FOUND, invalid()).await;
    };
    let lists = app.store.newsletter_lists().await?;
    let names: Vec<String> = lists.iter().filter(|l| c.lists.contains(&l.id)).map(|l| l.name.clone()).collect();
    let p = NewslettersPage {
        state: "confirm",
        title: "Confirm your subscription".into(),
        message: format!("{} will receive {}.", subscriber.email, names.join(", ")),
        token: token.to_string(),
        ..NewslettersPage::default()
    };
    page(&app, StatusCode::OK, p).await
}

/// `POST /newsletters/confirm` (t): the address confirms; it receives the lists it asked for.
async fn confirm(State(app): State<AppState>, body: Bytes) -> Result<Response, AppError> {
    let form = fields(&body);
    let token = field(&form, "t");
    let Some((subscriber, c)) = confirmation(&app, token).await? else {
        return page(&app, StatusCode::NOT_FOUND, invalid()).await;
    };
    let mut lists = subscriber.lists.clone();
    lists.extend(c.lists.iter().copied());
    lists.sort_unstable();
    lists.dedup();
    let subscriber = app.store.confirm_subscription(subscriber.id, &lists, OffsetDateTime::now_utc()).await?;
    tracing::info!(subscriber = subscriber.id, "newsletter subscription confirmed");
    let p = NewslettersPage {
        state: "confirmed",
        title: "You are subscribed".into(),
        message: "Thank you. Every newsletter has a link at its foot to change your choices or leave.".into(),
        ..NewslettersPage::default()
    };
    page(&app, StatusCode::OK, p).await
}

fn manage_view(subscriber: &Subscriber, lists: &[NewsletterList], token: &str, saved: Option<&str>) -> NewslettersPage {
    let receiving = subscriber.state == SubscriberState::Confirmed;
    NewslettersPage {
        state: if saved.is_some() { "saved" } else { "manage" },
        title: "Your newsletters".into(),
        message: saved.map(str::to_string).unwrap_or_else(|| {
            if receiving {
                "Tick what you want to receive; untick what you do not.".into()
            } else {
                "You receive nothing from us at the moment. Tick a newsletter to subscribe again.".into()
            }
        }),
        lists: choices(lists, |l| receiving && subscriber.lists.contains(&l.id)),
        email: subscriber.email.clone(),
        token: token.to_string(),
        ..NewslettersPage::default()
    }
}

/// `GET /newsletters/manage?t=`: the preferences of the address the link was sent to.
async fn manage_page(
    State(app): State<AppState>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let token = q.get("t").map(String::as_str).unwrap_or("");
    let Some(subscriber) = managed(&app, token).await? else {
        return page(&app, StatusCode::NOT_FOUND, invalid()).await;
    };
    let lists = active_lists(&app).await?;
    page(&app, StatusCode::OK, manage_view(&subscriber, &lists, token, None)).await
}

/// `POST /newsletters/manage` (t, list..., or leave=all).
async fn manage(State(app): State<AppState>, body: Bytes) -> Result<Response, AppError> {
    let form = fields(&body);
    let token = field(&form, "t").to_string();
    let Some(subscriber) = managed(&app, &token).await? else {
        return page(&app, StatusCode::NOT_FOUND, invalid()).await;
    };
    let lists = active_lists(&app).await?;
    let picked = if field(&form, "leave") == "all" { Vec::new() } else { chosen(&form, &lists) };
    let subscriber = app.store.set_subscriptions(subscriber.id, &picked, OffsetDateTime::now_utc()).await?;
    let said = if picked.is_empty() {
        "You are unsubscribed from everything: nothing more will be sent to you."
    } else {
        "Saved: you receive the newsletters ticked below."
    };
    page(&app, StatusCode::OK, manage_view(&subscriber, &lists, &token, Some(said))).await
}

/// `GET /newsletters/unsubscribe?t=&list=`: one button.
async fn unsubscribe_page(
    State(app): State<AppState>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let token = q.get("t").map(String::as_str).unwrap_or("");
    let list = q.get("list").and_then(|l| l.parse::<i64>().ok());
    let Some(subscriber) = managed(&app, token).await? else {
        return page(&app, StatusCode::NOT_FOUND, invalid()).await;
    };
    let lists = app.store.newsletter_lists().await?;
    let name = list.and_then(|id| lists.iter().find(|l| l.id == id)).map(|l| l.name.clone());
    let p = NewslettersPage {
        state: "unsubscribe",
        title: "Unsubscribe".into(),
        message: match &name {
            Some(n) => format!("{} will no longer receive {n}.", subscriber.email),
            None => format!("{} will no longer receive any newsletter.", subscriber.email),
        },
        token: token.to_string(),
        list,
        ..NewslettersPage::default()
    };
    page(&app, StatusCode::OK, p).await
}

/// `POST /newsletters/unsubscribe?t=&list=`: leaves the list (every list without `list`) at
/// once, from the page's button or a mail program's one-click (its body,
/// `List-Unsubscribe=One-Click`, is not needed).
async fn unsubscribe(
    State(app): State<AppState>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let token = q.get("t").map(String::as_str).unwrap_or("");
    let Some(subscriber) = managed(&app, token).await? else {
        return page(&app, StatusCode::NOT_FOUND, invalid()).await;
    };
    // Leaving one list changes nothing else (a bounced address stays bounced); without a list,
    // every list.
    let subscriber = match q.get("list").and_then(|l| l.parse::<i64>().ok()) {
        Some(list) => app.store.leave_list(subscriber.id, list).await?,
        None => app.store.set_subscriptions(subscriber.id, &[], OffsetDateTime::now_utc()).await?,
    };
    let keep = &subscriber.lists;
    tracing::info!(subscriber = subscriber.id, "unsubscribed from a newsletter");
    let lists = active_lists(&app).await?;
    let said = if keep.is_empty() {
        "You are unsubscribed: nothing more will be sent to you."
    } else {
        "You are unsubscribed from that newsletter. You still receive those ticked below."
    };
    page(&app, StatusCode::OK, manage_view(&subscriber, &lists, token, Some(said))).await
}

//! The newsroom's newsletters: editors keep the lists (`/newsroom/newsletters`: name, address,
//! rule, schedule), compose, test, schedule and send their editions (`/newsroom/editions/{id}`)
//! and watch them go out; admins look after the subscribers (`/newsroom/subscribers`), erase an
//! address or export them all as CSV. Rendering and sending are `crate::newsletters`'.

use super::form::Form;
use super::{Choice, Me, Page, Pagination, page_number, redirect};
use crate::error::Explained;
use crate::newsletters as service;
use crate::{AppError, AppState};
use axum::Extension;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use courant_core::AuditAction;
use courant_core::{ArticleId, ArticleSummary, Section, SectionId};
use courant_render::{Renderer, SiteClock};
use courant_store::{
    ArticleFilter, Edition, EditionDraft, EditionProgress, EditionState, ListDraft, ListRule, NewsletterList,
    StoreError, Subscriber, SubscriberState,
};
use serde::Serialize;
use std::collections::HashMap;
use std::sync::Arc;
use time::OffsetDateTime;

/// Subscribers per page.
const PER_PAGE: i64 = 50;
/// Subscribers read at a time for the export.
const EXPORT_BATCH: i64 = 1000;
/// The newest published stories offered when composing an edition.
const OFFERED: i64 = 40;
/// Editions shown on a newsletter's page.
const EDITIONS: i64 = 50;
/// Messages that did not go out shown on an edition's page.
const FAILURES: i64 = 50;
const MAX_NAME: usize = 100;
const MAX_DESCRIPTION: usize = 500;
const MAX_SUBJECT: usize = 200;
const MAX_INTRO: usize = 10_000;
const MAX_STORIES: usize = 50;
/// The weekdays, Monday (ISO 1) first.
const DAYS: [&str; 7] = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
/// The preview runs no script and loads nothing but pictures and its own inline styles, as a
/// mail program would show it.
const PREVIEW_POLICY: &str = "default-src 'none'; img-src * data:; style-src 'unsafe-inline'; frame-ancestors 'self'";

// ---- Lists ---------------------------------------------------------------------------------

/// A newsletter's form as typed, kept to show it again with its errors.
struct ListForm {
    name: String,
    slug: String,
    description: String,
    rule: String,
    section: String,
    stories: String,
    send_time: String,
    days: Vec<u8>,
    active: bool,
    /// What could not be read at all ("Days: \"8\" is not a day of the week.").
    unreadable: Vec<String>,
}

impl ListForm {
    /// The form of a new newsletter: the latest ten stories, made by hand until it has a time.
    fn blank() -> ListForm {
        ListForm {
            name: String::new(),
            slug: String::new(),
            description: String::new(),
            rule: ListRule::Latest.as_str().to_string(),
            section: String::new(),
            stories: "10".into(),
            send_time: String::new(),
            days: vec![1, 2, 3, 4, 5],
            active: true,
            unreadable: Vec::new(),
        }
    }

    /// The form of a saved newsletter.
    fn of(list: &NewsletterList) -> ListForm {
        ListForm {
            name: list.name.clone(),
            slug: list.slug.clone(),
            description: list.description.clone(),
            rule: list.rule.as_str().to_string(),
            section: list.section_id.map(|s| s.0.to_string()).unwrap_or_default(),
            stories: list.stories.to_string(),
            send_time: list.send_minute.map(|m| format!("{:02}:{:02}", m / 60, m % 60)).unwrap_or_default(),
            days: list.days.clone(),
            active: list.active,
            unreadable: Vec::new(),
        }
    }

    /// The form as posted.
    fn read(form: &Form) -> ListForm {
        let mut days = Vec::new();
        let mut unreadable = Vec::new();
        for value in form.all("day") {
            match value.trim().parse::<u8>() {
                Ok(day) if (1..=7).contains(&day) => days.push(day),
                _ => unreadable.push(format!("Days: {value:?} is not a day of the week.")),
            }
        }
        days.sort_unstable();
        days.dedup();
        ListForm {
            name: form.get("name").trim().to_string(),
            slug: form.get("slug").trim().to_string(),
            description: form.get("description").trim().to_string(),
            rule: form.get("rule").trim().to_string(),
            section: form.get("section").trim().to_string(),
            stories: form.get("stories").trim().to_string(),
            send_time: form.get("send_time").trim().to_string(),
            days,
            active: form.has("active"),
            unreadable,
        }
    }

    /// The newsletter to save, or every error of the form ("Field: what is wrong.").
    fn draft(&self, sections: &[Section]) -> Result<ListDraft, Vec<String>> {
        let mut errors = self.unreadable.clone();
        let name = self.name.as_str();
        if name.is_empty() {
            errors.push("Name: a name is required.".into());
        } else if name.chars().count() > MAX_NAME {
            errors.push(format!("Name: at most {MAX_NAME} characters."));
        }
        let slug = if self.slug.is_empty() { courant_core::slugify(name) } else { self.slug.clone() };
        if !courant_core::slug::is_valid_slug(&slug) {
            if !self.slug.is_empty() {
                errors.push(format!(
                    "Address: use lowercase letters, digits and single hyphens, at most {} characters.",
                    courant_core::slug::MAX_SLUG_LEN
                ));
            } else if !name.is_empty() {
                errors.push("Address: the name gives none; type one of lowercase letters, digits, hyphens.".into());
            }
        }
        if self.description.chars().count() > MAX_DESCRIPTION {
            errors.push(format!("Description: at most {MAX_DESCRIPTION} characters."));
        }
        let rule = ListRule::parse(&self.rule);
        if rule.is_none() {
            errors.push("Stories chosen: choose the latest stories, the most read or the editors' picks.".into());
        }
        let section = if self.section.is_empty() {
            None
        } else {
            let found =
                self.section.parse::<i64>().ok().map(SectionId).filter(|id| sections.iter().any(|s| s.id == *id));
            if found.is_none() {
                errors.push("Section: choose a section of the site, or the whole site.".into());
            }
            found
        };
        let stories = self.stories.parse::<i64>().ok().filter(|n| (1..=30).contains(n));
        if stories.is_none() {
            errors.push("Stories per edition: a number from 1 to 30.".into());
        }
        let send_minute = if self.send_time.is_empty() {
            None
        } else {
            let minute = minute_of_day(&self.send_time);
            if minute.is_none() {
                errors.push(format!("Send time: {:?} is not a time of day (HH:MM).", self.send_time));
            }
            minute
        };
        if send_minute.is_some() && self.days.is_empty() {
            errors.push("Days: tick at least one day, or leave the send time empty.".into());
        }
        match (rule, stories) {
            (Some(rule), Some(stories)) if errors.is_empty() => Ok(ListDraft {
                slug,
                name: name.to_string(),
                description: self.description.clone(),
                rule,
                section_id: section,
                stories,
                send_minute,
                days: self.days.clone(),
                active: self.active,
            }),
            _ => Err(errors),
        }
    }
}

/// Minutes after midnight of a time of day typed `HH:MM` (seconds, if sent, are ignored).
fn minute_of_day(raw: &str) -> Option<i64> {
    let mut parts = raw.split(':');
    let hour: i64 = parts.next()?.parse().ok()?;
    let minute: i64 = parts.next()?.parse().ok()?;
    ((0..24).contains(&hour) && (0..60).contains(&minute)).then_some(hour * 60 + minute)
}

/// The fields of the newsletter form, with the choices they offer.
#[derive(Serialize)]
struct ListFields {
    name: String,
    slug: String,
    description: String,
    stories: String,
    send_time: String,
    active: bool,
    rules: Vec<Choice>,
    sections: Vec<Choice>,
    days: Vec<DayChoice>,
}

#[derive(Serialize)]
struct DayChoice {
    value: u8,
    label: &'static str,
    checked: bool,
}

fn list_fields(sent: &ListForm, sections: &[Section]) -> ListFields {
    let section = sent.section.parse::<i64>().ok().map(SectionId);
    ListFields {
        name: sent.name.clone(),
        slug: sent.slug.clone(),
        description: sent.description.clone(),
        stories: sent.stories.clone(),
        send_time: sent.send_time.clone(),
        active: sent.active,
        rules: [
            (ListRule::Latest, "The latest stories"),
            (ListRule::MostRead, "The most read of the last day"),
            (ListRule::Picks, "The editors' picks"),
        ]
        .into_iter()
        .map(|(rule, label)| Choice::new(rule.as_str(), label, sent.rule == rule.as_str()))
        .collect(),
        sections: super::articles::section_choices(sections, section),
        days: DAYS
            .into_iter()
            .zip(1u8..)
            .map(|(label, value)| DayChoice { value, label, checked: sent.days.contains(&value) })
            .collect(),
    }
}

/// A newsletter as the newsroom's lists show it.
#[derive(Serialize)]
struct ListRow {
    id: i64,
    url: String,
    name: String,
    slug: String,
    when: String,
    rule: String,
    stories: i64,
    active: bool,
    subscribers: String,
    next: String,
}

fn list_row(app: &AppState, list: &NewsletterList, sections: &[Section], counts: &[(i64, i64)]) -> ListRow {
    let when = service::public::when(list);
    let next = match list.next_edition_at {
        _ if !list.active => "None while paused".to_string(),
        Some(t) => app.renderer().format_time(t),
        None => "Not scheduled".to_string(),
    };
    ListRow {
        id: list.id,
        url: format!("/newsroom/newsletters/{}", list.id),
        name: list.name.clone(),
        slug: list.slug.clone(),
        when: if when.is_empty() { "By hand only".to_string() } else { when },
        rule: rule_words(list, sections),
        stories: list.stories,
        active: list.active,
        subscribers: count(subscribers_of(counts, list.id)),
        next,
    }
}

/// "Latest of Sport", "Latest stories", "Most read".
fn rule_words(list: &NewsletterList, sections: &[Section]) -> String {
    match list.rule {
        ListRule::Latest => match list.section_id.and_then(|id| sections.iter().find(|s| s.id == id)) {
            Some(section) => format!("Latest of {}", section.name),
            None => "Latest stories".to_string(),
        },
        ListRule::MostRead => "Most read".to_string(),
        ListRule::Picks => "Editors' picks".to_string(),
    }
}

fn subscribers_of(counts: &[(i64, i64)], list: i64) -> i64 {
    counts.iter().find(|(id, _)| *id == list).map_or(0, |(_, n)| *n)
}

/// The confirmed subscribers of a newsletter.
async fn confirmed(app: &AppState, list: i64) -> Result<i64, AppError> {
    Ok(subscribers_of(&app.store.list_subscriber_counts().await?, list))
}

/// Where mail goes instead when none is sent (no SMTP server): the outbox folder.
fn outbox(app: &AppState) -> Option<String> {
    let mailer = &app.newsletters.mailer;
    (!mailer.sends())
        .then(|| mailer.outbox().map_or_else(|| "the outbox folder".to_string(), |dir| dir.display().to_string()))
}

fn timezone(app: &AppState) -> String {
    app.renderer().site().timezone.clone()
}

async fn find_list(app: &AppState, id: i64) -> Result<NewsletterList, AppError> {
    app.store.newsletter_lists().await?.into_iter().find(|l| l.id == id).ok_or(AppError::NotFound)
}

/// Saves the newsletter the form describes (a new one without `id`), its next scheduled
/// edition planned from now. A form it cannot be saved from is `AppError::Invalid` with every
/// error as an item.
async fn save_list(app: &AppState, id: Option<i64>, sent: &ListForm) -> Result<i64, AppError> {
    let sections = app.store.sections().await?;
    let draft = sent.draft(&sections).map_err(AppError::invalid)?;
    let now = OffsetDateTime::now_utc();
    let next = service::next_edition(app.renderer().clock(), draft.send_minute, &draft.days, now);
    match app.store.save_newsletter_list(id, &draft, next, now).await {
        Ok(id) => Ok(id),
        Err(StoreError::Invalid(e)) => {
            let field = match e.field {
                "slug" => "Address",
                "section" => "Section",
                "name" => "Name",
                _ => "Newsletter",
            };
            Err(AppError::invalid(vec![format!("{field}: {}.", e.message)]))
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Serialize)]
struct ListsView {
    lists: Vec<ListRow>,
    outbox: Option<String>,
    draft: ListFields,
    timezone: String,
}

/// `GET /newsroom/newsletters`: editors only. Every newsletter with its schedule, rule,
/// subscribers and next edition, and the form that adds one.
pub(super) async fn lists(
    State(app): State<AppState>,
    Extension(me): Extension<Me>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let html = lists_html(&app, &me, &ListForm::blank(), Vec::new(), q.get("done").map(String::as_str)).await?;
    Ok(crate::respond::html(StatusCode::OK, html))
}

async fn lists_html(
    app: &AppState,
    me: &Me,
    sent: &ListForm,
    errors: Vec<String>,
    notice: Option<&str>,
) -> Result<String, AppError> {
    let lists = app.store.newsletter_lists().await?;
    let sections = app.store.sections().await?;
    let counts = app.store.list_subscriber_counts().await?;
    let view = ListsView {
        lists: lists.iter().map(|l| list_row(app, l, &sections, &counts)).collect(),
        outbox: outbox(app),
        draft: list_fields(sent, &sections),
        timezone: timezone(app),
    };
    Page::of("newsletters", "Newsletters").html(app, me, view, errors, notice)
}

/// `POST /newsroom/newsletters`: editors only. Adds a newsletter; the page again with every
/// error, and what was typed, when it cannot be saved.
pub(super) async fn create(
    State(app): State<AppState>,
    Extension(me): Extension<Me>,
    Extension(form): Extension<Arc<Form>>,
) -> Result<Response, AppError> {
    let sent = ListForm::read(&form);
    match save_list(&app, None, &sent).await {
        Ok(id) => Ok(redirect(&format!("/newsroom/newsletters/{id}?done=list_saved"))),
        Err(AppError::Invalid(e)) => {
            let page = lists_html(&app, &me, &sent, e.items.clone(), None).await?;
            Err(AppError::Invalid(e).with_page(page))
        }
        Err(e) => Err(e),
    }
}

#[derive(Serialize)]
struct EditionRow {
    url: String,
    subject: String,
    state: &'static str,
    state_label: &'static str,
    when: String,
    progress: String,
}

#[derive(Serialize)]
struct ListView {
    newsletter: ListRow,
    editions: Vec<EditionRow>,
    outbox: Option<String>,
    draft: ListFields,
    timezone: String,
    /// The stories offered as picks for the next edition: those picked first, in order.
    picks: Vec<StoryChoice>,
    picks_url: String,
}

/// `GET /newsroom/newsletters/{id}`: editors only. The newsletter's settings, its editions
/// newest first with how far each went out, and the forms that start an edition and delete
/// the newsletter.
pub(super) async fn list(
    State(app): State<AppState>,
    Extension(me): Extension<Me>,
    Path(id): Path<i64>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let list = find_list(&app, id).await?;
    let notice = q.get("done").map(String::as_str);
    let html = list_html(&app, &me, &list, &ListForm::of(&list), Vec::new(), notice).await?;
    Ok(crate::respond::html(StatusCode::OK, html))
}

async fn list_html(
    app: &AppState,
    me: &Me,
    list: &NewsletterList,
    sent: &ListForm,
    errors: Vec<String>,
    notice: Option<&str>,
) -> Result<String, AppError> {
    let sections = app.store.sections().await?;
    let counts = app.store.list_subscriber_counts().await?;
    let editions = app.store.editions(list.id, EDITIONS).await?;
    let mut progress = Vec::with_capacity(editions.len());
    for e in &editions {
        progress.push(match e.state {
            EditionState::Sending | EditionState::Sent => progress_words(&app.store.edition_progress(e.id).await?),
            EditionState::Draft | EditionState::Scheduled => String::new(),
        });
    }
    let renderer = app.renderer();
    let view = ListView {
        newsletter: list_row(app, list, &sections, &counts),
        editions: editions
            .iter()
            .zip(progress)
            .map(|(e, progress)| EditionRow {
                url: format!("/newsroom/editions/{}", e.id),
                subject: e.subject.clone(),
                state: e.state.as_str(),
                state_label: state_label(e.state),
                when: edition_when(&renderer, e),
                progress,
            })
            .collect(),
        outbox: outbox(app),
        draft: list_fields(sent, &sections),
        timezone: timezone(app),
        picks: story_choices(app, &list.picks, true).await?,
        picks_url: format!("/newsroom/newsletters/{}/picks", list.id),
    };
    Page::within("newsletter", "newsletters", &list.name).html(app, me, view, errors, notice)
}

/// The stories an editor may tick: those ticked (still published) first, in their order, then,
/// when `offer_latest`, the newest published ones.
async fn story_choices(app: &AppState, picked: &[ArticleId], offer_latest: bool) -> Result<Vec<StoryChoice>, AppError> {
    let chosen = app.store.published_summaries(picked).await?;
    let latest = if offer_latest { app.store.latest(&ArticleFilter::All, OFFERED, 0).await? } else { Vec::new() };
    let renderer = app.renderer();
    let story = |s: &ArticleSummary, checked: bool| StoryChoice {
        id: s.id.0,
        headline: s.headline.clone(),
        section: s.section_name.clone(),
        published: s.published_at.map(|t| renderer.format_time(t)).unwrap_or_default(),
        checked,
    };
    let mut stories: Vec<StoryChoice> = chosen.iter().map(|s| story(s, true)).collect();
    stories.extend(latest.iter().filter(|s| !picked.contains(&s.id)).map(|s| story(s, false)));
    Ok(stories)
}

/// `POST /newsroom/newsletters/{id}/picks`: editors only. The stories ticked become the picks
/// of the newsletter's next edition (what a newsletter of editors' picks sends), in order.
pub(super) async fn save_picks(
    State(app): State<AppState>,
    Extension(form): Extension<Arc<Form>>,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let list = find_list(&app, id).await?;
    let mut picks: Vec<ArticleId> = list.picks.clone();
    let ticked: Vec<ArticleId> =
        form.all("story").iter().filter_map(|v| v.trim().parse::<i64>().ok()).map(ArticleId).collect();
    picks.retain(|p| ticked.contains(p));
    for id in ticked {
        if !picks.contains(&id) {
            picks.push(id);
        }
    }
    // Only published stories, and as many as an edition holds.
    let published = app.store.published_summaries(&picks).await?;
    let picks: Vec<ArticleId> = published.iter().map(|s| s.id).take(MAX_STORIES).collect();
    app.store.set_newsletter_picks(list.id, &picks).await?;
    Ok(redirect(&format!("/newsroom/newsletters/{}?done=picks_saved", list.id)))
}

/// `POST /newsroom/newsletters/{id}`: editors only. Saves the newsletter's settings and plans
/// its next edition from them.
pub(super) async fn update(
    State(app): State<AppState>,
    Extension(me): Extension<Me>,
    Extension(form): Extension<Arc<Form>>,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let list = find_list(&app, id).await?;
    let sent = ListForm::read(&form);
    match save_list(&app, Some(list.id), &sent).await {
        Ok(_) => Ok(redirect(&format!("/newsroom/newsletters/{}?done=list_saved", list.id))),
        Err(AppError::Invalid(e)) => {
            let page = list_html(&app, &me, &list, &sent, e.items.clone(), None).await?;
            Err(AppError::Invalid(e).with_page(page))
        }
        Err(e) => Err(e),
    }
}

/// `POST /newsroom/newsletters/{id}/delete`: editors only. Deletes the newsletter with all its
/// editions; subscribers keep their other newsletters.
pub(super) async fn delete(
    State(app): State<AppState>,
    Extension(me): Extension<Me>,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    app.store.delete_newsletter_list(id).await?;
    tracing::info!(list = id, by = me.user.id.0, "newsletter deleted with its editions");
    Ok(redirect("/newsroom/newsletters?done=list_deleted"))
}

/// `POST /newsroom/newsletters/{id}/editions`: editors only. Starts a draft edition holding
/// what the newsletter's rule picks now, and opens it.
pub(super) async fn new_edition(
    State(app): State<AppState>,
    Extension(me): Extension<Me>,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let list = find_list(&app, id).await?;
    let now = OffsetDateTime::now_utc();
    let draft = service::edition_by_rule(&app, &list, now).await?;
    let edition = app.store.create_edition(list.id, &draft, Some(me.user.id), now).await?;
    Ok(redirect(&format!("/newsroom/editions/{edition}")))
}

// ---- Editions ------------------------------------------------------------------------------

fn state_label(state: EditionState) -> &'static str {
    match state {
        EditionState::Draft => "Draft",
        EditionState::Scheduled => "Scheduled",
        EditionState::Sending => "Sending",
        EditionState::Sent => "Sent",
    }
}

/// When an edition goes or went out, in words.
fn edition_when(renderer: &Renderer, e: &Edition) -> String {
    let (at, words) = match e.state {
        EditionState::Draft => return "Not scheduled".to_string(),
        EditionState::Scheduled => (e.send_at, "Scheduled for"),
        EditionState::Sending => (e.queued_at, "Sending since"),
        EditionState::Sent => (e.sent_at.or(e.queued_at), "Sent"),
    };
    match at {
        Some(t) => format!("{words} {}", renderer.format_time(t)),
        None => state_label(e.state).to_string(),
    }
}

/// Whether an edition may still change: it has not gone out.
fn editable(edition: &Edition) -> bool {
    matches!(edition.state, EditionState::Draft | EditionState::Scheduled)
}

fn gone_out() -> AppError {
    AppError::Conflict(Explained::new(
        "Already sent",
        "This edition has gone out: it can no longer be changed, sent again or deleted.",
    ))
}

/// A number with thousands separated: 1,234.
fn count(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// "1,234 of 2,000 sent, 3 bounced, 1 failed".
fn progress_words(p: &EditionProgress) -> String {
    let mut words = format!("{} of {} sent", count(p.sent), count(p.total()));
    for (n, what) in [(p.bounced, "bounced"), (p.failed, "failed"), (p.unsure, "unsure")] {
        if n > 0 {
            words.push_str(&format!(", {} {what}", count(n)));
        }
    }
    words
}

#[derive(Serialize)]
struct ProgressView {
    words: String,
    states: Vec<StateCount>,
}

#[derive(Serialize)]
struct StateCount {
    label: &'static str,
    count: String,
}

fn progress_view(p: &EditionProgress) -> ProgressView {
    let states = [
        ("Sent", p.sent),
        ("Waiting to be sent", p.pending),
        ("Being sent now", p.sending),
        ("Bounced: refused for good", p.bounced),
        ("Failed after several tries", p.failed),
        ("Unsure: interrupted while being sent, not sent again", p.unsure),
        ("Cancelled: unsubscribed before it went", p.cancelled),
    ];
    ProgressView {
        words: progress_words(p),
        states: states.into_iter().map(|(label, n)| StateCount { label, count: count(n) }).collect(),
    }
}

/// A delivery's state as `Store::edition_failures` names it, in words.
fn delivery_state(state: &str) -> String {
    match state {
        "failed" => "Failed".to_string(),
        "bounced" => "Bounced".to_string(),
        "unsure" => "Unsure (interrupted)".to_string(),
        other => other.to_string(),
    }
}

/// An edition's form as typed, kept to show it again with its errors.
struct EditionForm {
    subject: String,
    intro: String,
    /// The stories ticked, in the page's order: those already chosen first, in their order.
    stories: Vec<ArticleId>,
    /// The `datetime-local` value, in the site's time zone.
    send_at: String,
    unreadable: Vec<String>,
}

impl EditionForm {
    /// The form of a saved edition.
    fn of(edition: &Edition, clock: &SiteClock) -> EditionForm {
        EditionForm {
            subject: edition.subject.clone(),
            intro: edition.intro.clone(),
            stories: edition.articles.clone(),
            send_at: edition.send_at.map(|t| clock.input_value(t)).unwrap_or_default(),
            unreadable: Vec::new(),
        }
    }

    /// The form as posted.
    fn read(form: &Form) -> EditionForm {
        let mut stories = Vec::new();
        let mut unreadable = Vec::new();
        for value in form.all("story") {
            match value.trim().parse::<i64>() {
                Ok(id) if !stories.contains(&ArticleId(id)) => stories.push(ArticleId(id)),
                Ok(_) => {}
                Err(_) => unreadable.push(format!("Stories: {value:?} is not a story of this form.")),
            }
        }
        // Paragraphs are separated by a blank line, and a line of spaces is blank too.
        let intro = form.get("intro").lines().map(str::trim_end).collect::<Vec<_>>().join("\n").trim().to_string();
        EditionForm {
            subject: form.get("subject").trim().to_string(),
            intro,
            stories,
            send_at: form.get("send_at").trim().to_string(),
            unreadable,
        }
    }

    fn draft(&self) -> EditionDraft {
        EditionDraft { subject: self.subject.clone(), intro: self.intro.clone(), articles: self.stories.clone() }
    }

    /// Every error of the form for `intent` (save, schedule, send, test): `send_at` is its time
    /// if readable, `published` the published stories among those ticked.
    fn problems(
        &self,
        intent: &str,
        send_at: Option<OffsetDateTime>,
        published: &[ArticleSummary],
        now: OffsetDateTime,
    ) -> Vec<String> {
        let mut errors = self.unreadable.clone();
        if self.subject.is_empty() {
            errors.push("Subject: a subject is required.".into());
        } else if self.subject.chars().count() > MAX_SUBJECT {
            errors.push(format!("Subject: at most {MAX_SUBJECT} characters."));
        }
        if self.intro.chars().count() > MAX_INTRO {
            errors.push(format!("Introduction: at most {MAX_INTRO} characters."));
        }
        for id in self.stories.iter().filter(|id| !published.iter().any(|s| s.id == **id)) {
            errors.push(format!("Stories: story number {id} is not published."));
        }
        if self.stories.len() > MAX_STORIES {
            errors.push(format!("Stories: at most {MAX_STORIES} in one edition."));
        }
        if matches!(intent, "schedule" | "send") && self.stories.is_empty() {
            errors.push("Stories: tick at least one story.".into());
        }
        if !self.send_at.is_empty() && send_at.is_none() {
            errors.push(format!("Send time: {:?} is not a date and time.", self.send_at));
        } else if intent == "schedule" {
            match send_at {
                None => errors.push("Send time: choose when the edition goes out.".into()),
                Some(at) if at <= now => errors.push("Send time: choose a time in the future.".into()),
                Some(_) => {}
            }
        }
        errors
    }
}

#[derive(Serialize)]
struct StoryChoice {
    id: i64,
    headline: String,
    section: String,
    published: String,
    checked: bool,
}

#[derive(Serialize)]
struct FailureRow {
    email: String,
    state: String,
    reason: String,
}

#[derive(Serialize)]
struct EditionView {
    id: i64,
    heading: String,
    list_name: String,
    list_url: String,
    state: &'static str,
    state_label: &'static str,
    when: String,
    /// Draft or scheduled: the form; otherwise what it held and how far it went out.
    editable: bool,
    subject: String,
    intro: String,
    paragraphs: Vec<String>,
    send_at: String,
    stories: Vec<StoryChoice>,
    /// The newsletter's confirmed subscribers, whom "Send now" mails.
    recipients: String,
    progress: Option<ProgressView>,
    failures: Vec<FailureRow>,
    preview_url: String,
    outbox: Option<String>,
    timezone: String,
}

/// `GET /newsroom/editions/{id}`: editors only. The edition's form (subject, introduction,
/// stories, time) with its actions; once it has gone out, what it held, how far it went and
/// the messages that did not go.
pub(super) async fn edition(
    State(app): State<AppState>,
    Extension(me): Extension<Me>,
    Path(id): Path<i64>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let edition = app.store.edition(id).await?.ok_or(AppError::NotFound)?;
    let list = find_list(&app, edition.list_id).await?;
    let sent = EditionForm::of(&edition, app.renderer().clock());
    let html = edition_html(&app, &me, &edition, &list, &sent, Vec::new(), q.get("done").map(String::as_str)).await?;
    Ok(crate::respond::html(StatusCode::OK, html))
}

async fn edition_html(
    app: &AppState,
    me: &Me,
    edition: &Edition,
    list: &NewsletterList,
    sent: &EditionForm,
    errors: Vec<String>,
    notice: Option<&str>,
) -> Result<String, AppError> {
    let editable = editable(edition);
    // The stories chosen first, in their order; newly ticked ones follow them in the page's.
    let stories = story_choices(app, &sent.stories, editable).await?;
    let recipients = confirmed(app, list.id).await?;
    let (progress, failures) = if editable {
        (None, Vec::new())
    } else {
        let progress = app.store.edition_progress(edition.id).await?;
        let failures = app.store.edition_failures(edition.id, FAILURES).await?;
        let failures = failures
            .into_iter()
            .map(|(email, state, reason)| FailureRow {
                // Addresses are the admins' (as the subscribers' pages are); editors see why.
                email: if me.user.is(courant_core::Role::Admin) { email } else { "(an address)".into() },
                state: delivery_state(&state),
                reason: courant_mail::without_addresses(&reason),
            })
            .collect();
        (Some(progress_view(&progress)), failures)
    };
    let renderer = app.renderer();
    let heading =
        if edition.subject.is_empty() { format!("{}: new edition", list.name) } else { edition.subject.clone() };
    let view = EditionView {
        id: edition.id,
        heading: heading.clone(),
        list_name: list.name.clone(),
        list_url: format!("/newsroom/newsletters/{}", list.id),
        state: edition.state.as_str(),
        state_label: state_label(edition.state),
        when: edition_when(&renderer, edition),
        editable,
        subject: sent.subject.clone(),
        intro: sent.intro.clone(),
        paragraphs: sent.intro.split("\n\n").map(str::trim).filter(|p| !p.is_empty()).map(str::to_string).collect(),
        send_at: sent.send_at.clone(),
        stories,
        recipients: count(recipients),
        progress,
        failures,
        preview_url: format!("/newsroom/editions/{}/preview", edition.id),
        outbox: outbox(app),
        timezone: renderer.site().timezone.clone(),
    };
    Page::within("edition", "newsletters", &heading).html(app, me, view, errors, notice)
}

/// `POST /newsroom/editions/{id}`: editors only. Saves the edition and does what its button
/// says: `intent` save (a draft, off any schedule), schedule (at a time to come), send (queued
/// now for every confirmed subscriber) or test (saved, then sent to the editor alone). Every
/// error of the form at once, with what was typed.
pub(super) async fn save_edition(
    State(app): State<AppState>,
    Extension(me): Extension<Me>,
    Extension(form): Extension<Arc<Form>>,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let edition = app.store.edition(id).await?.ok_or(AppError::NotFound)?;
    if !editable(&edition) {
        return Err(gone_out());
    }
    let list = find_list(&app, edition.list_id).await?;
    let sent = EditionForm::read(&form);
    let intent = form.get("intent");
    let now = OffsetDateTime::now_utc();
    let send_at = super::form::local_time(&sent.send_at, app.renderer().clock());
    let published = app.store.published_summaries(&sent.stories).await?;
    let mut errors = sent.problems(intent, send_at, &published, now);
    if intent == "send" && confirmed(&app, list.id).await? == 0 {
        errors.push(format!("Send now: {} has no confirmed subscribers yet.", list.name));
    }
    if !errors.is_empty() {
        let page = edition_html(&app, &me, &edition, &list, &sent, errors.clone(), None).await?;
        return Err(AppError::invalid(errors).with_page(page));
    }
    let draft = sent.draft();
    let done = match intent {
        "schedule" => {
            app.store.update_edition(id, &draft, send_at).await?;
            "edition_scheduled"
        }
        "send" => {
            app.store.update_edition(id, &draft, None).await?;
            let recipients = app.store.queue_edition(id, now).await?;
            tracing::info!(edition = id, recipients = ?recipients, by = me.user.id.0, "newsletter edition sent");
            let subject = format!("{}: {}", list.name, draft.subject);
            let detail = format!("{} recipients", recipients.unwrap_or(0));
            audit(&app, &me, AuditAction::NewsletterSent, &subject, &detail).await?;
            "edition_queued"
        }
        "test" => {
            // A test leaves a scheduled edition on its schedule.
            let keep = if edition.state == EditionState::Scheduled { edition.send_at } else { None };
            app.store.update_edition(id, &draft, keep).await?;
            let saved = app.store.edition(id).await?.ok_or(AppError::NotFound)?;
            if let Err(why) = service::send_test(&app, &saved, &list, &me.user.email).await {
                let errors = vec![format!("Test: the email could not be sent ({why}). The edition is saved.")];
                let again = EditionForm::of(&saved, app.renderer().clock());
                let html = edition_html(&app, &me, &saved, &list, &again, errors, None).await?;
                return Ok(crate::respond::html(StatusCode::OK, html));
            }
            "test_sent"
        }
        _ => {
            app.store.update_edition(id, &draft, None).await?;
            "edition_saved"
        }
    };
    Ok(redirect(&format!("/newsroom/editions/{id}?done={done}")))
}

/// `GET /newsroom/editions/{id}/preview`: editors only. The email's HTML exactly as it is
/// mailed (as last saved), the reader's own links left as their stand-ins, under a policy
/// that runs no script.
pub(super) async fn preview(State(app): State<AppState>, Path(id): Path<i64>) -> Result<Response, AppError> {
    let edition = app.store.edition(id).await?.ok_or(AppError::NotFound)?;
    let list = find_list(&app, edition.list_id).await?;
    let prepared = service::prepare(&app, &edition, &list).await?;
    let mut response = crate::respond::html(StatusCode::OK, prepared.html);
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(PREVIEW_POLICY));
    Ok(response)
}

/// `POST /newsroom/editions/{id}/delete`: editors only. Deletes an edition that has not gone
/// out.
pub(super) async fn delete_edition(State(app): State<AppState>, Path(id): Path<i64>) -> Result<Response, AppError> {
    let edition = app.store.edition(id).await?.ok_or(AppError::NotFound)?;
    if !editable(&edition) {
        return Err(gone_out());
    }
    app.store.delete_edition(id).await?;
    Ok(redirect(&format!("/newsroom/newsletters/{}?done=edition_deleted", edition.list_id)))
}

/// Records in the audit log what `me` did to the newsletters' readers (an edition sent, the
/// subscribers exported, one erased), in a write of its own after the action.
async fn audit(app: &AppState, me: &Me, action: AuditAction, subject: &str, detail: &str) -> Result<(), AppError> {
    let mut write = app.store.write().await?;
    write.audit(OffsetDateTime::now_utc(), Some(me.user.id), action, None, subject, detail).await?;
    write.commit().await?;
    Ok(())
}

// ---- Subscribers ---------------------------------------------------------------------------

fn state_words(state: SubscriberState) -> &'static str {
    match state {
        SubscriberState::Pending => "Not confirmed yet",
        SubscriberState::Confirmed => "Confirmed",
        SubscriberState::Unsubscribed => "Unsubscribed",
        SubscriberState::Bounced => "Bounced",
    }
}

/// Every newsletter's name, by id.
async fn list_names(app: &AppState) -> Result<HashMap<i64, String>, AppError> {
    Ok(app.store.newsletter_lists().await?.into_iter().map(|l| (l.id, l.name)).collect())
}

/// The names of a subscriber's newsletters, comma-separated.
fn lists_of(subscriber: &Subscriber, names: &HashMap<i64, String>) -> String {
    subscriber.lists.iter().filter_map(|id| names.get(id).map(String::as_str)).collect::<Vec<_>>().join(", ")
}

#[derive(Serialize)]
struct SubscriberRow {
    email: String,
    state: &'static str,
    lists: String,
    consented: String,
    bounce: String,
    delete_url: String,
}

#[derive(Serialize)]
struct SubscribersView {
    rows: Vec<SubscriberRow>,
    total: i64,
    q: String,
    pagination: Pagination,
}

/// `GET /newsroom/subscribers?q=&page=`: admins only. Subscribers whose address contains the
/// words, newest first, a page at a time.
pub(super) async fn subscribers(
    State(app): State<AppState>,
    Extension(me): Extension<Me>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let find: String = q.get("q").map(String::as_str).unwrap_or("").trim().chars().take(200).collect();
    let page_no = page_number(q.get("page").map(String::as_str));
    let (found, total) = app.store.subscribers(&find, PER_PAGE, (page_no - 1) * PER_PAGE).await?;
    let names = list_names(&app).await?;
    let renderer = app.renderer();
    let encoded: String = form_urlencoded::byte_serialize(find.as_bytes()).collect();
    let view = SubscribersView {
        rows: found
            .iter()
            .map(|s| SubscriberRow {
                email: s.email.clone(),
                state: state_words(s.state),
                lists: lists_of(s, &names),
                consented: s.consented_at.map(|t| renderer.format_time(t)).unwrap_or_default(),
                bounce: s.bounce.clone(),
                delete_url: format!("/newsroom/subscribers/{}/delete", s.id),
            })
            .collect(),
        total,
        pagination: Pagination::new(page_no, PER_PAGE, total, |n| {
            format!("/newsroom/subscribers?q={encoded}&page={n}")
        }),
        q: find,
    };
    Page::within("subscribers", "newsletters", "Subscribers").response(
        &app,
        &me,
        view,
        Vec::new(),
        q.get("done").map(String::as_str),
    )
}

/// `POST /newsroom/subscribers/{id}/delete`: admins only. Erases the address, its newsletters
/// and its consent.
pub(super) async fn delete_subscriber(
    State(app): State<AppState>,
    Extension(me): Extension<Me>,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    app.store.delete_subscriber(id).await?;
    tracing::info!(subscriber = id, by = me.user.id.0, "subscriber erased");
    // The log keeps who erased which number, never the address erased.
    audit(&app, &me, AuditAction::SubscriberErased, &format!("subscriber {id}"), "").await?;
    Ok(redirect("/newsroom/subscribers?done=subscriber_deleted"))
}

/// `GET /newsroom/subscribers.csv`: admins only. Every subscriber as CSV (address, state,
/// newsletters, consent and creation times in UTC), read a batch at a time.
pub(super) async fn export(State(app): State<AppState>, Extension(me): Extension<Me>) -> Result<Response, AppError> {
    let names = list_names(&app).await?;
    let mut csv = String::from("email,state,lists,consented_at,created_at\r\n");
    let mut after = 0;
    let mut exported = 0;
    loop {
        let batch = app.store.subscribers_after(after, EXPORT_BATCH).await?;
        for s in &batch {
            let fields = [
                s.email.clone(),
                s.state.as_str().to_string(),
                lists_of(s, &names),
                s.consented_at.map(courant_render::clock::iso).unwrap_or_default(),
                courant_render::clock::iso(s.created_at),
            ];
            let line: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
            csv.push_str(&line.join(","));
            csv.push_str("\r\n");
        }
        exported += batch.len();
        match batch.last() {
            Some(last) if batch.len() as i64 == EXPORT_BATCH => after = last.id,
            _ => break,
        }
    }
    tracing::info!(subscribers = exported, by = me.user.id.0, "subscribers exported");
    audit(&app, &me, AuditAction::SubscribersExported, "subscribers", &format!("{exported} addresses")).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (header::CONTENT_DISPOSITION, "attachment; filename=\"subscribers.csv\""),
            (header::CACHE_CONTROL, "no-store"),
        ],
        csv,
    )
        .into_response())
}

/// One CSV field: quoted, its quotes doubled; a value a spreadsheet would take for a formula
/// (starting with = + - @, a tab or a carriage return) gets a single quote in front.
fn csv_field(value: &str) -> String {
    let formula = value.starts_with(['=', '+', '-', '@', '\t', '\r']);
    format!("\"{}{}\"", if formula { "'" } else { "" }, value.replace('"', "\"\""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields_are_quoted_and_formulas_defused() {
        assert_eq!(csv_field("reader@example.com"), "\"reader@example.com\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(csv_field("+1"), "\"'+1\"");
        assert_eq!(csv_field("-1"), "\"'-1\"");
        assert_eq!(csv_field("@sum"), "\"'@sum\"");
        assert_eq!(csv_field(""), "\"\"");
    }

    #[test]
    fn times_of_day_and_counts_read_as_people_write_them() {
        assert_eq!(minute_of_day("07:30"), Some(450));
        assert_eq!(minute_of_day("23:59:00"), Some(1439));
        assert_eq!(minute_of_day("24:00"), None);
        assert_eq!(minute_of_day("7"), None);
        assert_eq!(minute_of_day("seven"), None);
        assert_eq!(count(0), "0");
        assert_eq!(count(999), "999");
        assert_eq!(count(1234), "1,234");
        assert_eq!(count(1_234_567), "1,234,567");
        let p = EditionProgress { sent: 1234, pending: 762, bounced: 3, failed: 1, ..EditionProgress::default() };
        assert_eq!(progress_words(&p), "1,234 of 2,000 sent, 3 bounced, 1 failed");
    }

    #[test]
    fn a_list_form_shows_every_error_at_once() {
        let form = ListForm {
            name: String::new(),
            slug: "Not A Slug".into(),
            rule: "loudest".into(),
            section: "999".into(),
            stories: "31".into(),
            send_time: "25:00".into(),
            ..ListForm::blank()
        };
        let errors = form.draft(&[]).expect_err("refused");
        for field in ["Name:", "Address:", "Stories chosen:", "Section:", "Stories per edition:", "Send time:"] {
            assert!(errors.iter().any(|e| e.starts_with(field)), "{field} in {errors:?}");
        }
        let fine = ListForm { name: "Morning Briefing".into(), send_time: "07:00".into(), ..ListForm::blank() };
        let draft = fine.draft(&[]).expect("saved");
        assert_eq!(draft.slug, "morning-briefing");
        assert_eq!(draft.send_minute, Some(420));
        assert_eq!(draft.days, vec![1, 2, 3, 4, 5]);
    }
}

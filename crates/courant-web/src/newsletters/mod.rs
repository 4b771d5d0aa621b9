//! Newsletters: what readers subscribe to (see `public` for their pages), the editions the
//! newsroom makes (by hand, or on a list's schedule by its rule) and the sender that works the
//! delivery queue, paced to `[mail] per_second`, through SMTP or into the outbox.
//!
//! Each edition is rendered once (HTML with inlined CSS, and plain text) with stand-ins for the
//! reader's own links, which every message then fills in: 100,000 messages cost one render.

pub(crate) mod public;

use crate::AppState;
use courant_core::{ArticleId, escape_html};
use courant_mail::links::{self, Purpose};
use courant_mail::{Failure, Mail, Mailer};
use courant_render::clock::SiteClock;
use courant_render::email::{EditionEmail, EmailStory, EmailTemplates};
use courant_store::{
    ArticleFilter, Edition, EditionDraft, ListRule, MailDelivery, MailOutcome, NewsletterList, StoreError,
};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;
use time::OffsetDateTime;

/// How long a confirmation link works.
pub const CONFIRM_HOURS: i64 = 48;
/// At most one confirmation email per address in this long...
const CONFIRM_GAP: time::Duration = time::Duration::minutes(10);
/// ...and this many a day.
const CONFIRMS_PER_DAY: i64 = 5;
/// A delivery still being sent after this long was interrupted (its sender stopped).
pub const INTERRUPTED_AFTER: time::Duration = time::Duration::minutes(10);
/// Temporary failures in a row before a delivery is given up.
const MAX_ATTEMPTS: i64 = 6;
/// Stand-ins for a reader's own links in a rendered edition.
const MANAGE_STAND_IN: &str = "https://courant.invalid/manage-link";
const UNSUBSCRIBE_STAND_IN: &str = "https://courant.invalid/unsubscribe-link";

/// The newsletters of a serving node: where mail goes, the email templates and the key links
/// are signed with (the store's, the same on every node).
pub struct Newsletters {
    pub mailer: Mailer,
    pub per_second: u32,
    /// Messages in flight at once (SMTP connections).
    pub connections: u32,
    /// The first wait before a put-off message is tried again (it doubles each time).
    pub retry_after: time::Duration,
    pub emails: EmailTemplates,
    key: tokio::sync::OnceCell<Vec<u8>>,
    /// Sign-up requests per reader address a minute.
    pub(crate) signups: crate::limit::RateLimiter,
}

impl Newsletters {
    pub fn new(
        mailer: Mailer,
        settings: &courant_mail::MailSettings,
    ) -> Result<Newsletters, courant_render::RenderError> {
        Ok(Newsletters {
            mailer,
            per_second: settings.per_second.max(1),
            connections: settings.connections.clamp(1, 32),
            retry_after: time::Duration::seconds(settings.retry_seconds.clamp(1, 86_400) as i64),
            emails: EmailTemplates::new()?,
            key: tokio::sync::OnceCell::new(),
            signups: crate::limit::RateLimiter::new(10),
        })
    }

    /// The key links are signed with, made and stored the first time any node needs it.
    pub async fn key(&self, store: &courant_store::Store) -> Result<&[u8], StoreError> {
        let key = self
            .key
            .get_or_try_init(|| async {
                let made = courant_newsroom::secrets::token();
                store.secret("newsletters", &made, OffsetDateTime::now_utc()).await.map(String::into_bytes)
            })
            .await?;
        Ok(key.as_slice())
    }
}

/// The next time a list with `send_minute` (minutes after midnight, the site's time) on
/// `days` (ISO weekdays) goes out after `after`; none if it has no time or no day.
pub fn next_edition(
    clock: &SiteClock,
    send_minute: Option<i64>,
    days: &[u8],
    after: OffsetDateTime,
) -> Option<OffsetDateTime> {
    let minute = send_minute.filter(|m| (0..24 * 60).contains(m))?;
    let time = time::Time::from_hms((minute / 60) as u8, (minute % 60) as u8, 0).ok()?;
    let today = clock.local(after).date();
    (0..=7).find_map(|n| {
        let date = today.checked_add(time::Duration::days(n))?;
        let at = clock.from_local(date.with_time(time));
        (days.contains(&date.weekday().number_from_monday()) && at > after).then_some(at)
    })
}

/// An edition rendered for mailing, with stand-ins for each reader's links.
pub struct Prepared {
    pub subject: String,
    pub html: String,
    pub text: String,
    list: NewsletterList,
    site_url: String,
    host: String,
}

impl Prepared {
    /// The message to `to` (subscriber `subscriber`), with its own links.
    pub fn mail_for(&self, key: &[u8], subscriber: i64, to: &str, id: String) -> Mail {
        let token = links::sign(key, Purpose::Manage, to, subscriber, None);
        let manage = format!("{}/newsletters/manage?t={token}", self.site_url);
        let unsubscribe = format!("{}/newsletters/unsubscribe?t={token}&list={}", self.site_url, self.list.id);
        let fill = |text: &str, escape: bool| {
            let (m, u) = if escape {
                (escape_html(&manage), escape_html(&unsubscribe))
            } else {
                (manage.clone(), unsubscribe.clone())
            };
            text.replace(MANAGE_STAND_IN, &m).replace(UNSUBSCRIBE_STAND_IN, &u)
        };
        Mail {
            to: to.to_string(),
            subject: self.subject.clone(),
            html: fill(&self.html, true),
            text: fill(&self.text, false),
            unsubscribe: Some(unsubscribe.clone()),
            list_id: Some(format!(
                "{} <{}.{}>",
                self.list.name.replace(['<', '>', '"'], ""),
                self.list.slug,
                self.host
            )),
            id,
        }
    }
}

/// Renders edition `edition` of `list` for mailing: its stories as they are now (published
/// ones only, in its order).
pub async fn prepare(app: &AppState, edition: &Edition, list: &NewsletterList) -> Result<Prepared, crate::AppError> {
    let renderer = app.renderer();
    let site = renderer.site();
    let site_url = site.url.trim_end_matches('/').to_string();
    let stories = app.store.published_summaries(&edition.articles).await?;
    let view = EditionEmail {
        lang: site.locale.clone(),
        site_name: site.title.clone(),
        site_url: site_url.clone(),
        list_name: list.name.clone(),
        subject: edition.subject.clone(),
        intro: edition.intro.split("\n\n").map(|p| p.trim().to_string()).filter(|p| !p.is_empty()).collect(),
        stories: stories
            .iter()
            .filter_map(|s| {
                Some(EmailStory {
                    headline: s.headline.clone(),
                    standfirst: s.standfirst.clone(),
                    url: format!("{site_url}{}", s.path()?),
                    section: s.section_name.clone(),
                    image_url: s.hero.as_ref().map(|h| format!("{site_url}{}", email_picture(h))),
                    image_alt: s.hero.as_ref().map(|h| h.alt.clone()).unwrap_or_default(),
                })
            })
            .collect(),
        manage_url: MANAGE_STAND_IN.into(),
        unsubscribe_url: UNSUBSCRIBE_STAND_IN.into(),
    };
    let (html, text) = app.newsletters.emails.edition(&view)?;
    let host =
        site_url.split("://").nth(1).unwrap_or("localhost").split(['/', ':']).next().unwrap_or("localhost").to_string();
    Ok(Prepared { subject: edition.subject.clone(), html, text, list: list.clone(), site_url, host })
}

/// The picture of a story in an email: a copy about as wide as the email (600 px), else the
/// picture itself.
fn email_picture(image: &courant_core::Image) -> String {
    let width = courant_media::WIDTHS.iter().copied().filter(|w| *w >= 600 && *w < image.width).min();
    let file = match width {
        Some(w) => courant_media::width_file_name(&image.file, w),
        None => image.file.clone(),
    };
    courant_render::view::media_url(&file)
}

/// The stories a list's rule picks now: the newest of its section (or of the site), or the
/// most read of the last day.
pub async fn stories_by_rule(
    app: &AppState,
    list: &NewsletterList,
    now: OffsetDateTime,
) -> Result<Vec<ArticleId>, StoreError> {
    let n = list.stories.clamp(1, 30);
    match list.rule {
        ListRule::Latest => {
            let filter = match list.section_id {
                Some(section) => {
                    let sections = app.store.sections().await?;
                    ArticleFilter::Sections(crate::routes::site::descendants(&sections, section))
                }
                None => ArticleFilter::All,
            };
            Ok(app.store.latest(&filter, n, 0).await?.into_iter().map(|s| s.id).collect())
        }
        ListRule::Picks => {
            let picked = app.store.published_summaries(&list.picks).await?;
            Ok(picked.into_iter().take(n as usize).map(|s| s.id).collect())
        }
        ListRule::MostRead => {
            let top: Vec<ArticleId> = app.trending.top(now, None, None).into_iter().map(|(id, _)| id).collect();
            let published = app.store.published_summaries(&top).await?;
            Ok(published.into_iter().take(n as usize).map(|s| s.id).collect())
        }
    }
}

/// An edition of `list` by its rule, as of now: its newest story's headline as the subject.
pub async fn edition_by_rule(
    app: &AppState,
    list: &NewsletterList,
    now: OffsetDateTime,
) -> Result<EditionDraft, StoreError> {
    let articles = stories_by_rule(app, list, now).await?;
    let first = app.store.published_summaries(&articles[..articles.len().min(1)]).await?;
    let subject = match first.first() {
        Some(s) => format!("{}: {}", list.name, s.headline),
        None => list.name.clone(),
    };
    Ok(EditionDraft { subject, intro: String::new(), articles })
}

/// Sends one message of an edition now, outside the queue (an editor's test to themselves).
pub async fn send_test(app: &AppState, edition: &Edition, list: &NewsletterList, to: &str) -> Result<(), String> {
    let prepared = prepare(app, edition, list).await.map_err(|e| e.to_string())?;
    let key = app.newsletters.key(&app.store).await.map_err(|e| e.to_string())?;
    let mut mail = prepared.mail_for(key, 0, to, format!("test-{}-{}", edition.id, courant_newsroom::secrets::token()));
    mail.subject = format!("[Test] {}", mail.subject);
    app.newsletters.mailer.send(&mail).await.map_err(|e| e.to_string())
}

/// Makes the editions of the lists whose time has come, queues the scheduled editions whose
/// time has come, and sends what is due, until the task is aborted.
pub async fn run(app: AppState) {
    let mut last_settled: Option<std::time::Instant> = None;
    loop {
        let now = OffsetDateTime::now_utc();
        if let Err(e) = plan(&app, now).await {
            tracing::warn!(error = %e, "newsletter editions could not be planned; retrying");
        }
        match app.store.queue_due_editions(now).await {
            Ok(queued) => {
                for (edition, n) in queued {
                    tracing::info!(edition, recipients = n, "scheduled newsletter edition queued");
                }
            }
            Err(e) => tracing::warn!(error = %e, "scheduled newsletter editions could not be queued; retrying"),
        }
        if last_settled.is_none_or(|t| t.elapsed() >= Duration::from_secs(30)) {
            last_settled = Some(std::time::Instant::now());
            let forget = now - time::Duration::hours(CONFIRM_HOURS);
            match app.store.settle_deliveries(now - INTERRUPTED_AFTER, forget, now).await {
                Ok(0) => {}
                Ok(n) => tracing::warn!(deliveries = n, "messages interrupted while being sent are not sent again"),
                Err(e) => tracing::warn!(error = %e, "newsletter deliveries could not be settled"),
            }
        }
        if let Err(e) = send_due(&app).await {
            tracing::warn!(error = %e, "newsletter messages could not be sent; retrying");
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}

/// Makes the scheduled editions due at `now`, once each (see `Store::make_scheduled_edition`).
pub async fn plan(app: &AppState, now: OffsetDateTime) -> Result<(), StoreError> {
    let clock = app.renderer().clock().clone();
    for list in app.store.due_lists(now).await? {
        let Some(slot) = list.next_edition_at else { continue };
        let next = next_edition(&clock, list.send_minute, &list.days, now.max(slot));
        let draft = edition_by_rule(app, &list, now).await?;
        if draft.articles.is_empty() {
            // Nothing to send: no empty newsletter; the list waits for its next time.
            tracing::info!(list = %list.slug, "no stories for the newsletter's edition; skipped");
            app.store.skip_newsletter_slot(list.id, slot, next).await?;
            continue;
        }
        if let Some((edition, n)) = app.store.make_scheduled_edition(list.id, slot, &draft, next, now).await? {
            tracing::info!(list = %list.slug, edition, recipients = n, "newsletter edition made and queued");
        }
    }
    Ok(())
}

/// Sends the deliveries due, paced to `[mail] per_second` over `[mail] connections` messages
/// in flight at once, until none is left. Says how many went.
pub async fn send_due(app: &AppState) -> Result<u64, StoreError> {
    let key = app.newsletters.key(&app.store).await?.to_vec();
    let shared = Sending {
        key,
        pace: Duration::from_secs_f64(1.0 / f64::from(app.newsletters.per_second)),
        next_slot: std::sync::Mutex::new(tokio::time::Instant::now()),
        prepared: tokio::sync::Mutex::new(HashMap::new()),
        refused: std::sync::Mutex::new((None, false)),
    };
    let workers = (0..app.newsletters.connections).map(|_| sender(app, &shared));
    let mut sent = 0;
    for done in futures_util::future::join_all(workers).await {
        sent += done?;
    }
    Ok(sent)
}

/// What the senders of one [`send_due`] share: the links' key, the pace, and each edition
/// rendered once.
struct Sending {
    key: Vec<u8>,
    pace: Duration,
    next_slot: std::sync::Mutex<tokio::time::Instant>,
    prepared: tokio::sync::Mutex<HashMap<i64, Arc<Prepared>>>,
    /// The last refusal for good and whether sending stopped: the same refusal for two
    /// addresses in a row is about us (our login, our sender address), not about them.
    refused: std::sync::Mutex<(Option<String>, bool)>,
}

impl Sending {
    /// Waits for this sender's turn: one message every `pace`, whoever sends it.
    async fn turn(&self) {
        let slot = {
            let mut next = self.next_slot.lock().unwrap_or_else(|e| e.into_inner());
            let slot = (*next).max(tokio::time::Instant::now());
            *next = slot + self.pace;
            slot
        };
        tokio::time::sleep_until(slot).await;
    }

    /// The edition of `d` rendered, rendering it the first time (once, whatever the senders).
    async fn edition(&self, app: &AppState, d: &MailDelivery) -> Result<Arc<Prepared>, String> {
        let mut prepared = self.prepared.lock().await;
        if let Some(p) = prepared.get(&d.edition_id) {
            return Ok(p.clone());
        }
        // A failure is not kept: the next message of the edition tries again.
        let p = prepare_delivery(app, d).await?;
        prepared.insert(d.edition_id, p.clone());
        Ok(p)
    }
}

/// One sender: takes a delivery, sends it, records what happened and takes the next, until
/// none is due.
async fn sender(app: &AppState, shared: &Sending) -> Result<u64, StoreError> {
    let mut sent = 0;
    let mut next = app.store.delivery_step(None, OffsetDateTime::now_utc()).await?;
    while let Some(d) = next {
        shared.turn().await;
        let later = OffsetDateTime::now_utc() + app.newsletters.retry_after;
        let mut outcome = match shared.edition(app, &d).await {
            Ok(p) => {
                let id = format!("edition-{}.{}.{}", d.edition_id, d.id, d.attempts);
                let mail = p.mail_for(&shared.key, d.subscriber_id, &d.email, id);
                outcome(&d, app.newsletters.mailer.send(&mail).await, app.newsletters.retry_after)
            }
            // The store or the renderer failed: this message waits, it is not given up.
            Err(why) => MailOutcome::Retry { error: why, at: later },
        };
        if let MailOutcome::Bounced { error } = &outcome {
            let mut refused = shared.refused.lock().unwrap_or_else(|e| e.into_inner());
            let ours = our_fault(error) || refused.0.as_deref() == Some(error.as_str());
            refused.0 = Some(error.clone());
            if ours {
                if !refused.1 {
                    tracing::error!(
                        error = %courant_mail::without_addresses(error),
                        "the mail server refuses our messages, not an address: sending stops; check [mail] in courant.toml"
                    );
                }
                refused.1 = true;
                outcome = MailOutcome::Retry { error: error.clone(), at: later };
            }
        } else if outcome == MailOutcome::Sent {
            shared.refused.lock().unwrap_or_else(|e| e.into_inner()).0 = None;
        }
        if outcome == MailOutcome::Sent {
            sent += 1;
        }
        if shared.refused.lock().unwrap_or_else(|e| e.into_inner()).1 {
            // Put back, and stop: the next round tries again after the wait.
            app.store.record_delivery(&d, &outcome, OffsetDateTime::now_utc()).await?;
            break;
        }
        next = app.store.delivery_step(Some((&d, &outcome)), OffsetDateTime::now_utc()).await?;
    }
    Ok(sent)
}

/// Whether a refusal is about us rather than the address: the login refused (530, 534, 535,
/// 538) or our sender address refused.
fn our_fault(error: &str) -> bool {
    let lower = error.to_ascii_lowercase();
    ["answered 530", "answered 534", "answered 535", "answered 538", "authentication", "sender address", "mail from"]
        .iter()
        .any(|sign| lower.contains(sign))
}

async fn prepare_delivery(app: &AppState, d: &MailDelivery) -> Result<Arc<Prepared>, String> {
    let edition = app.store.edition(d.edition_id).await.map_err(|e| e.to_string())?.ok_or("the edition was deleted")?;
    let lists = app.store.newsletter_lists().await.map_err(|e| e.to_string())?;
    let list = lists.iter().find(|l| l.id == edition.list_id).ok_or("the newsletter was deleted")?;
    prepare(app, &edition, list).await.map(Arc::new).map_err(|e| format!("the edition could not be rendered: {e}"))
}

/// What a send's result means for the delivery: sent, tried again later (after `retry`, then
/// twice that, four times...), given up after [`MAX_ATTEMPTS`], or refused for good.
fn outcome(d: &MailDelivery, sent: Result<(), Failure>, retry: time::Duration) -> MailOutcome {
    match sent {
        Ok(()) => MailOutcome::Sent,
        Err(Failure::Permanent(error)) => MailOutcome::Bounced { error },
        Err(Failure::Temporary(error)) if d.attempts >= MAX_ATTEMPTS => MailOutcome::Failed { error },
        Err(Failure::Temporary(error)) => {
            let wait = retry * (1i32 << (d.attempts - 1).clamp(0, 6));
            MailOutcome::Retry { error, at: OffsetDateTime::now_utc() + wait }
        }
    }
}

/// Why a confirmation email did not go out, in the reader's words.
pub struct NotSent(pub String);

/// Asks the address to confirm its subscription to `lists`, unless one was sent to it very
/// recently (limits per address). Says whether a message went.
pub async fn ask_to_confirm(app: &AppState, email: &str, lists: &[NewsletterList]) -> Result<bool, NotSent> {
    let unavailable = |what: &str, e: &dyn std::fmt::Display| {
        tracing::warn!(error = %courant_mail::without_addresses(&e.to_string()), "{what}");
        NotSent("We could not send the confirmation email just now; please try again in a few minutes.".into())
    };
    let now = OffsetDateTime::now_utc();
    let (subscriber, may) = app
        .store
        .request_subscription(email, now, CONFIRM_GAP, CONFIRMS_PER_DAY)
        .await
        .map_err(|e| unavailable("a subscription could not be stored", &e))?;
    if !may {
        return Ok(false);
    }
    let key =
        app.newsletters.key(&app.store).await.map_err(|e| unavailable("the signing key could not be read", &e))?;
    let ids: Vec<i64> = lists.iter().map(|l| l.id).collect();
    let expires = (now + time::Duration::hours(CONFIRM_HOURS)).unix_timestamp();
    let token = links::sign(key, Purpose::Confirm, email, subscriber.id, Some((&ids, expires)));
    let renderer = app.renderer();
    let site = renderer.site();
    let site_url = site.url.trim_end_matches('/');
    let view = courant_render::email::ConfirmEmail {
        lang: site.locale.clone(),
        site_name: site.title.clone(),
        site_url: site_url.to_string(),
        lists: lists.iter().map(|l| l.name.clone()).collect(),
        confirm_url: format!("{site_url}/newsletters/confirm?t={token}"),
        hours: CONFIRM_HOURS,
    };
    let (html, text) = app
        .newsletters
        .emails
        .confirmation(&view)
        .map_err(|e| unavailable("a confirmation could not be rendered", &e))?;
    let mail = Mail {
        to: email.to_string(),
        subject: format!("Confirm your subscription to {}", site.title),
        html,
        text,
        unsubscribe: None,
        list_id: None,
        id: format!("confirm-{}-{}", subscriber.id, now.unix_timestamp()),
    };
    app.newsletters.mailer.send(&mail).await.map_err(|e| unavailable("a confirmation email could not be sent", &e))?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn the_next_edition_is_the_next_chosen_day_at_the_local_time() {
        let utc = SiteClock::new("UTC").expect("clock");
        // Tuesday 1 December 2026, 06:00 UTC; weekdays at 07:00.
        let weekdays = [1, 2, 3, 4, 5];
        let at = datetime!(2026-12-01 06:00 UTC);
        assert_eq!(next_edition(&utc, Some(7 * 60), &weekdays, at), Some(datetime!(2026-12-01 07:00 UTC)));
        assert_eq!(
            next_edition(&utc, Some(7 * 60), &weekdays, datetime!(2026-12-01 07:00 UTC)),
            Some(datetime!(2026-12-02 07:00 UTC))
        );
        // Friday after seven: Monday.
        assert_eq!(
            next_edition(&utc, Some(7 * 60), &weekdays, datetime!(2026-12-04 08:00 UTC)),
            Some(datetime!(2026-12-07 07:00 UTC))
        );
        assert_eq!(next_edition(&utc, None, &weekdays, at), None, "by hand only");
        assert_eq!(next_edition(&utc, Some(7 * 60), &[], at), None, "no day");
    }
}

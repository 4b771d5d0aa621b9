//! Newsletters: lists, subscribers, editions and the delivery queue. The SQL is in
//! `src/newsletters.rs`.

use crate::types::{
    Edition, EditionDraft, EditionProgress, ListDraft, MailDelivery, MailOutcome, NewsletterList, Subscriber,
};
use crate::{Backend, Store, StoreError};
use courant_core::UserId;
use time::OffsetDateTime;

impl Store {
    /// Every list, by name.
    pub async fn newsletter_lists(&self) -> Result<Vec<NewsletterList>, StoreError> {
        on_backend!(self, b => b.newsletter_lists().await)
    }

    /// Saves a list (a new one without `id`); `next` is when its next scheduled edition goes
    /// out. Says its id. A slug another list has is refused (`Invalid` naming `slug`).
    pub async fn save_newsletter_list(
        &self,
        id: Option<i64>,
        draft: &ListDraft,
        next: Option<OffsetDateTime>,
        at: OffsetDateTime,
    ) -> Result<i64, StoreError> {
        on_backend!(self, b => b.save_newsletter_list(id, draft, next, at).await)
    }

    /// Deletes a list with its editions and their deliveries.
    pub async fn delete_newsletter_list(&self, id: i64) -> Result<(), StoreError> {
        on_backend!(self, b => b.delete_newsletter_list(id).await)
    }

    /// The stories editors picked for `list`'s next edition (the rule `Picks`), in order.
    pub async fn set_newsletter_picks(&self, list: i64, picks: &[courant_core::ArticleId]) -> Result<(), StoreError> {
        on_backend!(self, b => b.set_newsletter_picks(list, picks).await)
    }

    /// Confirmed subscribers per list id.
    pub async fn list_subscriber_counts(&self) -> Result<Vec<(i64, i64)>, StoreError> {
        on_backend!(self, b => b.list_subscriber_counts().await)
    }

    /// The address (already lowercased and checked) as a subscriber, 'pending' if it was
    /// unknown, and whether a confirmation may be sent to it now: at most one per `gap` and
    /// `per_day` a day per address (a yes is counted).
    pub async fn request_subscription(
        &self,
        email: &str,
        at: OffsetDateTime,
        gap: time::Duration,
        per_day: i64,
    ) -> Result<(Subscriber, bool), StoreError> {
        on_backend!(self, b => b.request_subscription(email, at, gap, per_day).await)
    }

    /// The address confirmed its subscription to `lists` at `at`.
    pub async fn confirm_subscription(
        &self,
        id: i64,
        lists: &[i64],
        at: OffsetDateTime,
    ) -> Result<Subscriber, StoreError> {
        on_backend!(self, b => b.confirm_subscription(id, lists, at).await)
    }

    /// A subscriber's lists become `lists` (none: unsubscribed; some: subscribed again).
    pub async fn set_subscriptions(
        &self,
        id: i64,
        lists: &[i64],
        at: OffsetDateTime,
    ) -> Result<Subscriber, StoreError> {
        on_backend!(self, b => b.set_subscriptions(id, lists, at).await)
    }

    /// One subscriber.
    pub async fn subscriber(&self, id: i64) -> Result<Option<Subscriber>, StoreError> {
        on_backend!(self, b => b.subscriber(id).await)
    }

    /// Subscribers whose address contains `find`, newest first, a page at a time, and how
    /// many match.
    pub async fn subscribers(&self, find: &str, limit: i64, offset: i64) -> Result<(Vec<Subscriber>, i64), StoreError> {
        on_backend!(self, b => b.subscribers(find, limit, offset).await)
    }

    /// Every subscriber after id `after`, by id, at most `limit` (exports).
    pub async fn subscribers_after(&self, after: i64, limit: i64) -> Result<Vec<Subscriber>, StoreError> {
        on_backend!(self, b => b.subscribers_after(after, limit).await)
    }

    /// Forgets an address entirely.
    pub async fn delete_subscriber(&self, id: i64) -> Result<(), StoreError> {
        on_backend!(self, b => b.delete_subscriber(id).await)
    }

    /// A list's editions, newest first.
    pub async fn editions(&self, list: i64, limit: i64) -> Result<Vec<Edition>, StoreError> {
        on_backend!(self, b => b.editions(list, limit).await)
    }

    /// One edition.
    pub async fn edition(&self, id: i64) -> Result<Option<Edition>, StoreError> {
        on_backend!(self, b => b.edition(id).await)
    }

    /// A new draft edition of `list`.
    pub async fn create_edition(
        &self,
        list: i64,
        draft: &EditionDraft,
        by: Option<UserId>,
        at: OffsetDateTime,
    ) -> Result<i64, StoreError> {
        on_backend!(self, b => b.create_edition(list, draft, by, at).await)
    }

    /// Changes an edition that has not gone out; `send_at` schedules it, none makes it a draft.
    pub async fn update_edition(
        &self,
        id: i64,
        draft: &EditionDraft,
        send_at: Option<OffsetDateTime>,
    ) -> Result<(), StoreError> {
        on_backend!(self, b => b.update_edition(id, draft, send_at).await)
    }

    /// Deletes an edition that has not gone out.
    pub async fn delete_edition(&self, id: i64) -> Result<(), StoreError> {
        on_backend!(self, b => b.delete_edition(id).await)
    }

    /// Queues an edition now, one delivery per confirmed subscriber of its list; says how many,
    /// or none if it was queued already.
    pub async fn queue_edition(&self, id: i64, at: OffsetDateTime) -> Result<Option<i64>, StoreError> {
        on_backend!(self, b => b.queue_edition(id, at).await)
    }

    /// Queues the scheduled editions whose time has come: (edition, deliveries) of each.
    pub async fn queue_due_editions(&self, now: OffsetDateTime) -> Result<Vec<(i64, i64)>, StoreError> {
        on_backend!(self, b => b.queue_due_editions(now).await)
    }

    /// The active scheduled lists whose next edition is due.
    pub async fn due_lists(&self, now: OffsetDateTime) -> Result<Vec<NewsletterList>, StoreError> {
        on_backend!(self, b => b.due_lists(now).await)
    }

    /// Makes and queues `list`'s edition for its scheduled time `slot`, and moves the list on
    /// to `next`; once per slot, whatever the nodes. Says (edition, deliveries), or none.
    pub async fn make_scheduled_edition(
        &self,
        list: i64,
        slot: OffsetDateTime,
        draft: &EditionDraft,
        next: Option<OffsetDateTime>,
        at: OffsetDateTime,
    ) -> Result<Option<(i64, i64)>, StoreError> {
        on_backend!(self, b => b.make_scheduled_edition(list, slot, draft, next, at).await)
    }

    /// Records what became of a delivery (if given) and takes the next one due, marked as
    /// being sent; one write for both.
    pub async fn delivery_step(
        &self,
        done: Option<(&MailDelivery, &MailOutcome)>,
        now: OffsetDateTime,
    ) -> Result<Option<MailDelivery>, StoreError> {
        on_backend!(self, b => b.delivery_step(done, now).await)
    }

    /// Records what became of a delivery, taking no other (a sender that stops).
    pub async fn record_delivery(
        &self,
        delivery: &MailDelivery,
        outcome: &MailOutcome,
        now: OffsetDateTime,
    ) -> Result<(), StoreError> {
        on_backend!(self, b => b.record_delivery(delivery, outcome, now).await)
    }

    /// Deliveries left being sent since before `before` become 'unsure' (never sent again);
    /// editions with nothing left become 'sent'; addresses never confirmed, last asked before
    /// `forget_before`, are forgotten. Says how many became unsure.
    pub async fn settle_deliveries(
        &self,
        before: OffsetDateTime,
        forget_before: OffsetDateTime,
        now: OffsetDateTime,
    ) -> Result<u64, StoreError> {
        on_backend!(self, b => b.settle_deliveries(before, forget_before, now).await)
    }

    /// A subscriber leaves one list (an unsubscribe link): nothing else about it changes.
    pub async fn leave_list(&self, id: i64, list: i64) -> Result<Subscriber, StoreError> {
        on_backend!(self, b => b.leave_list(id, list).await)
    }

    /// A scheduled time passes without an edition; the list moves on to `next` (once).
    pub async fn skip_newsletter_slot(
        &self,
        list: i64,
        slot: OffsetDateTime,
        next: Option<OffsetDateTime>,
    ) -> Result<(), StoreError> {
        on_backend!(self, b => b.skip_newsletter_slot(list, slot, next).await)
    }

    /// Deliveries of an edition per state.
    pub async fn edition_progress(&self, id: i64) -> Result<EditionProgress, StoreError> {
        on_backend!(self, b => b.edition_progress(id).await)
    }

    /// (address, state, why) of an edition's deliveries that did not go out.
    pub async fn edition_failures(&self, id: i64, limit: i64) -> Result<Vec<(String, String, String)>, StoreError> {
        on_backend!(self, b => b.edition_failures(id, limit).await)
    }

    /// The key named `name`, `make` the first time it is asked for; the same on every node.
    pub async fn secret(&self, name: &str, make: &str, at: OffsetDateTime) -> Result<String, StoreError> {
        on_backend!(self, b => b.secret(name, make, at).await)
    }
}

//! Newsletters: lists, subscribers (an address, its lists, its consent and its state), editions,
//! and the delivery queue that sends each edition once to each address: a delivery is marked
//! 'sending' in a committed write before its message leaves, so a sender that stops mid-send
//! leaves it 'sending', and it is never sent again (it becomes 'unsure').

use super::{Db, DbRow, Store};
use crate::types::{
    MailDelivery, MailOutcome, Edition, EditionDraft, EditionProgress, EditionState, ListDraft, ListRule,
    NewsletterList, Subscriber, SubscriberState,
};
use crate::{StoreError, ts};
use courant_core::{ArticleId, Invalid, SectionId, UserId};
use sqlx::{AssertSqlSafe, Row, Transaction};
use time::OffsetDateTime;

const LIST_COLUMNS: &str = "id, slug, name, description, rule, section_id, stories, send_minute, days, next_edition_at, \
                            active, picks, created_at";
const EDITION_COLUMNS: &str =
    "id, list_id, subject, intro, articles, state, send_at, queued_at, sent_at, created_by, created_at";

impl Store {
    /// Every list, by name.
    pub(crate) async fn newsletter_lists(&self) -> Result<Vec<NewsletterList>, StoreError> {
        let sql = format!("SELECT {LIST_COLUMNS} FROM newsletter_lists ORDER BY name, id");
        let rows = sqlx::query(AssertSqlSafe(sql)).fetch_all(&mut *self.read.get().await?).await?;
        rows.iter().map(list).collect()
    }

    /// Saves a list (a new one without `id`); `next` is its next scheduled edition. Says its id.
    pub(crate) async fn save_newsletter_list(
        &self,
        id: Option<i64>,
        draft: &ListDraft,
        next: Option<OffsetDateTime>,
        at: OffsetDateTime,
    ) -> Result<i64, StoreError> {
        let days = draft.days.iter().map(u8::to_string).collect::<Vec<_>>().join(",");
        let saved = match id {
            None => {
                sqlx::query_scalar(
                    "INSERT INTO newsletter_lists (slug, name, description, rule, section_id, stories, send_minute, days, \
                     next_edition_at, active, picks, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, '[]', $11) \
                     RETURNING id",
                )
                .bind(&draft.slug)
                .bind(&draft.name)
                .bind(&draft.description)
                .bind(draft.rule.as_str())
                .bind(draft.section_id.map(|s| s.0))
                .bind(draft.stories)
                .bind(draft.send_minute)
                .bind(&days)
                .bind(next.map(ts))
                .bind(draft.active)
                .bind(ts(at))
                .fetch_one(&self.write)
                .await
            }
            Some(id) => {
                sqlx::query_scalar(
                    "UPDATE newsletter_lists SET slug = $1, name = $2, description = $3, rule = $4, section_id = $5, \
                     stories = $6, send_minute = $7, days = $8, next_edition_at = $9, active = $10 WHERE id = $11 RETURNING id",
                )
                .bind(&draft.slug)
                .bind(&draft.name)
                .bind(&draft.description)
                .bind(draft.rule.as_str())
                .bind(draft.section_id.map(|s| s.0))
                .bind(draft.stories)
                .bind(draft.send_minute)
                .bind(&days)
                .bind(next.map(ts))
                .bind(draft.active)
                .bind(id)
                .fetch_optional(&self.write)
                .await
                .and_then(|found| found.ok_or(sqlx::Error::RowNotFound))
            }
        };
        match saved {
            Ok(id) => Ok(id),
            Err(sqlx::Error::RowNotFound) => Err(StoreError::NotFound("newsletter")),
            Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
                Err(Invalid { field: "slug", message: "another newsletter has this address".into() }.into())
            }
            Err(sqlx::Error::Database(e)) if e.is_foreign_key_violation() => {
                Err(Invalid { field: "section", message: "the section does not exist".into() }.into())
            }
            Err(e) => Err(e.into()),
        }
    }

    /// Deletes a list with its editions and their deliveries; subscribers keep their other lists.
    pub(crate) async fn delete_newsletter_list(&self, id: i64) -> Result<(), StoreError> {
        let done = sqlx::query("DELETE FROM newsletter_lists WHERE id = $1").bind(id).execute(&self.write).await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound("newsletter"));
        }
        Ok(())
    }

    /// The stories editors picked for `list`'s next edition, in order.
    pub(crate) async fn set_newsletter_picks(&self, list: i64, picks: &[ArticleId]) -> Result<(), StoreError> {
        let done = sqlx::query("UPDATE newsletter_lists SET picks = $1 WHERE id = $2")
            .bind(articles_json(picks)?)
            .bind(list)
            .execute(&self.write)
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound("newsletter"));
        }
        Ok(())
    }

    /// How many confirmed subscribers each list has, by list id.
    pub(crate) async fn list_subscriber_counts(&self) -> Result<Vec<(i64, i64)>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT u.list_id, COUNT(*) FROM subscriptions u JOIN subscribers s ON s.id = u.subscriber_id \
             WHERE s.state = 'confirmed' GROUP BY u.list_id",
        )
        .fetch_all(&mut *self.read.get().await?)
        .await?)
    }

    /// The address `email` (lowercased, trimmed by the caller) as a subscriber, made 'pending' if
    /// unknown; and whether a confirmation may be sent to it now: at most one in `gap`, and
    /// `per_day` in a day (counted when this says yes).
    pub(crate) async fn request_subscription(
        &self,
        email: &str,
        at: OffsetDateTime,
        gap: time::Duration,
        per_day: i64,
    ) -> Result<(Subscriber, bool), StoreError> {
        let mut tx = self.begin().await?;
        sqlx::query(
            "INSERT INTO subscribers (email, state, created_at, confirms_sent, bounce) VALUES ($1, 'pending', $2, 0, '') \
             ON CONFLICT (email) DO NOTHING",
        )
        .bind(email)
        .bind(ts(at))
        .execute(&mut *tx)
        .await?;
        let (id, sent_at, count): (i64, Option<OffsetDateTime>, i64) =
            sqlx::query_as("SELECT id, confirm_sent_at, confirms_sent FROM subscribers WHERE email = $1")
                .bind(email)
                .fetch_one(&mut *tx)
                .await?;
        let (may, count) = match sent_at {
            None => (true, 1),
            Some(last) if at - last < gap => (false, count),
            Some(last) if at - last >= time::Duration::days(1) => (true, 1),
            Some(_) => (count < per_day, count + 1),
        };
        if may {
            sqlx::query("UPDATE subscribers SET confirm_sent_at = $1, confirms_sent = $2 WHERE id = $3")
                .bind(ts(at))
                .bind(count)
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        let subscriber = subscriber_in(&mut tx, id).await?.ok_or(StoreError::NotFound("subscriber"))?;
        self.commit_quiet(tx).await?;
        Ok((subscriber, may))
    }

    /// The address confirmed its subscription to `lists` at `at` (its consent): it receives
    /// them from now on (lists that no longer exist are left out).
    pub(crate) async fn confirm_subscription(
        &self,
        id: i64,
        lists: &[i64],
        at: OffsetDateTime,
    ) -> Result<Subscriber, StoreError> {
        let mut tx = self.begin().await?;
        let done = sqlx::query("UPDATE subscribers SET state = 'confirmed', consented_at = $1, bounce = '' WHERE id = $2")
            .bind(ts(at))
            .bind(id)
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound("subscriber"));
        }
        for list in lists {
            sqlx::query(
                "INSERT INTO subscriptions (subscriber_id, list_id) SELECT $1, id FROM newsletter_lists WHERE id = $2 \
                 ON CONFLICT DO NOTHING",
            )
            .bind(id)
            .bind(list)
            .execute(&mut *tx)
            .await?;
        }
        let subscriber = subscriber_in(&mut tx, id).await?.ok_or(StoreError::NotFound("subscriber"))?;
        self.commit_quiet(tx).await?;
        Ok(subscriber)
    }

    /// A subscriber's lists become `lists` (from its preferences page, reached from a link sent
    /// to the address): none unsubscribes it from everything, some subscribe it again (its
    /// consent, at `at`). Queued deliveries of the lists it left are cancelled.
    pub(crate) async fn set_subscriptions(
        &self,
        id: i64,
        lists: &[i64],
        at: OffsetDateTime,
    ) -> Result<Subscriber, StoreError> {
        let mut tx = self.begin().await?;
        let state: Option<String> = sqlx::query_scalar("SELECT state FROM subscribers WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
        let Some(state) = state else {
            return Err(StoreError::NotFound("subscriber"));
        };
        sqlx::query("DELETE FROM subscriptions WHERE subscriber_id = $1").bind(id).execute(&mut *tx).await?;
        for list in lists {
            sqlx::query(
                "INSERT INTO subscriptions (subscriber_id, list_id) SELECT $1, id FROM newsletter_lists WHERE id = $2 \
                 ON CONFLICT DO NOTHING",
            )
            .bind(id)
            .bind(list)
            .execute(&mut *tx)
            .await?;
        }
        if lists.is_empty() && state == "confirmed" {
            sqlx::query("UPDATE subscribers SET state = 'unsubscribed' WHERE id = $1").bind(id).execute(&mut *tx).await?;
        } else if !lists.is_empty() && state != "confirmed" {
            sqlx::query("UPDATE subscribers SET state = 'confirmed', consented_at = $1, bounce = '' WHERE id = $2")
                .bind(ts(at))
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        cancel_queued(&mut tx, id, lists).await?;
        let subscriber = subscriber_in(&mut tx, id).await?.ok_or(StoreError::NotFound("subscriber"))?;
        self.commit_quiet(tx).await?;
        Ok(subscriber)
    }

    /// A subscriber leaves one list (an unsubscribe link), whatever its state: nothing else
    /// changes but its queued messages of that list, cancelled; with no list left, it is
    /// unsubscribed.
    pub(crate) async fn leave_list(&self, id: i64, list: i64) -> Result<Subscriber, StoreError> {
        let mut tx = self.begin().await?;
        sqlx::query("DELETE FROM subscriptions WHERE subscriber_id = $1 AND list_id = $2")
            .bind(id)
            .bind(list)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "UPDATE subscribers SET state = 'unsubscribed' WHERE id = $1 AND state = 'confirmed' \
             AND NOT EXISTS (SELECT 1 FROM subscriptions WHERE subscriber_id = $1)",
        )
        .bind(id)
        .execute(&mut *tx)
        .await?;
        let keep: Vec<i64> = sqlx::query_scalar("SELECT list_id FROM subscriptions WHERE subscriber_id = $1")
            .bind(id)
            .fetch_all(&mut *tx)
            .await?;
        cancel_queued(&mut tx, id, &keep).await?;
        let subscriber = subscriber_in(&mut tx, id).await?.ok_or(StoreError::NotFound("subscriber"))?;
        self.commit_quiet(tx).await?;
        Ok(subscriber)
    }

    /// A scheduled time of `list` passes without an edition (nothing to send): the list moves
    /// on to `next`, unless another node did already.
    pub(crate) async fn skip_newsletter_slot(
        &self,
        list: i64,
        slot: OffsetDateTime,
        next: Option<OffsetDateTime>,
    ) -> Result<(), StoreError> {
        sqlx::query("UPDATE newsletter_lists SET next_edition_at = $1 WHERE id = $2 AND next_edition_at = $3")
            .bind(next.map(ts))
            .bind(list)
            .bind(ts(slot))
            .execute(&self.write)
            .await?;
        Ok(())
    }

    /// One subscriber.
    pub(crate) async fn subscriber(&self, id: i64) -> Result<Option<Subscriber>, StoreError> {
        let mut conn = self.read.get().await?;
        let row = sqlx::query("SELECT id, email, state, consented_at, created_at, bounce FROM subscribers WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?;
        let Some(row) = row else { return Ok(None) };
        let lists = sqlx::query_scalar("SELECT list_id FROM subscriptions WHERE subscriber_id = $1 ORDER BY list_id")
            .bind(id)
            .fetch_all(&mut *conn)
            .await?;
        Ok(Some(subscriber_row(&row, lists)?))
    }

    /// Subscribers whose address contains `find` (any case), newest first: a page of `limit`
    /// after `offset`, and how many match.
    pub(crate) async fn subscribers(
        &self,
        find: &str,
        limit: i64,
        offset: i64,
    ) -> Result<(Vec<Subscriber>, i64), StoreError> {
        let pattern = format!("%{}%", super::wire::escape_like(&find.to_lowercase()));
        let mut conn = self.read.get().await?;
        let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM subscribers WHERE email LIKE $1 ESCAPE '\\'")
            .bind(&pattern)
            .fetch_one(&mut *conn)
            .await?;
        let rows = sqlx::query(
            "SELECT id, email, state, consented_at, created_at, bounce FROM subscribers WHERE email LIKE $1 ESCAPE '\\' \
             ORDER BY id DESC LIMIT $2 OFFSET $3",
        )
        .bind(&pattern)
        .bind(limit)
        .bind(offset)
        .fetch_all(&mut *conn)
        .await?;
        let mut found = Vec::with_capacity(rows.len());
        for row in &rows {
            let id: i64 = row.try_get("id")?;
            let lists = sqlx::query_scalar("SELECT list_id FROM subscriptions WHERE subscriber_id = $1 ORDER BY list_id")
                .bind(id)
                .fetch_all(&mut *conn)
                .await?;
            found.push(subscriber_row(row, lists)?);
        }
        Ok((found, total))
    }

    /// Every subscriber after id `after`, by id, at most `limit`: for exports, a page at a time.
    pub(crate) async fn subscribers_after(&self, after: i64, limit: i64) -> Result<Vec<Subscriber>, StoreError> {
        let mut conn = self.read.get().await?;
        let rows = sqlx::query(
            "SELECT id, email, state, consented_at, created_at, bounce FROM subscribers WHERE id > $1 ORDER BY id LIMIT $2",
        )
        .bind(after)
        .bind(limit)
        .fetch_all(&mut *conn)
        .await?;
        let (first, last) = match (rows.first(), rows.last()) {
            (Some(f), Some(l)) => (f.try_get::<i64, _>("id")?, l.try_get::<i64, _>("id")?),
            _ => return Ok(Vec::new()),
        };
        let pairs: Vec<(i64, i64)> = sqlx::query_as(
            "SELECT subscriber_id, list_id FROM subscriptions WHERE subscriber_id BETWEEN $1 AND $2 \
             ORDER BY subscriber_id, list_id",
        )
        .bind(first)
        .bind(last)
        .fetch_all(&mut *conn)
        .await?;
        rows.iter()
            .map(|row| {
                let id: i64 = row.try_get("id")?;
                let lists = pairs.iter().filter(|(s, _)| *s == id).map(|(_, l)| *l).collect();
                subscriber_row(row, lists)
            })
            .collect()
    }

    /// Forgets an address entirely (its subscriptions and deliveries too).
    pub(crate) async fn delete_subscriber(&self, id: i64) -> Result<(), StoreError> {
        let done = sqlx::query("DELETE FROM subscribers WHERE id = $1").bind(id).execute(&self.write).await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound("subscriber"));
        }
        Ok(())
    }

    /// A list's editions, newest first, at most `limit`.
    pub(crate) async fn editions(&self, list: i64, limit: i64) -> Result<Vec<Edition>, StoreError> {
        let sql = format!("SELECT {EDITION_COLUMNS} FROM editions WHERE list_id = $1 ORDER BY id DESC LIMIT $2");
        let rows =
            sqlx::query(AssertSqlSafe(sql)).bind(list).bind(limit).fetch_all(&mut *self.read.get().await?).await?;
        rows.iter().map(edition).collect()
    }

    /// One edition.
    pub(crate) async fn edition(&self, id: i64) -> Result<Option<Edition>, StoreError> {
        let sql = format!("SELECT {EDITION_COLUMNS} FROM editions WHERE id = $1");
        let row = sqlx::query(AssertSqlSafe(sql)).bind(id).fetch_optional(&mut *self.read.get().await?).await?;
        row.as_ref().map(edition).transpose()
    }

    /// A new draft edition of `list`.
    pub(crate) async fn create_edition(
        &self,
        list: i64,
        draft: &EditionDraft,
        by: Option<UserId>,
        at: OffsetDateTime,
    ) -> Result<i64, StoreError> {
        let articles = articles_json(&draft.articles)?;
        sqlx::query_scalar(
            "INSERT INTO editions (list_id, subject, intro, articles, state, created_by, created_at) \
             VALUES ($1, $2, $3, $4, 'draft', $5, $6) RETURNING id",
        )
        .bind(list)
        .bind(&draft.subject)
        .bind(&draft.intro)
        .bind(&articles)
        .bind(by.map(|u| u.0))
        .bind(ts(at))
        .fetch_one(&self.write)
        .await
        .map_err(|e| match e {
            sqlx::Error::Database(d) if d.is_foreign_key_violation() => StoreError::NotFound("newsletter"),
            e => e.into(),
        })
    }

    /// Changes a draft or scheduled edition's content, and its time: `send_at` schedules it,
    /// none makes it a draft again. An edition that went out cannot change.
    pub(crate) async fn update_edition(
        &self,
        id: i64,
        draft: &EditionDraft,
        send_at: Option<OffsetDateTime>,
    ) -> Result<(), StoreError> {
        let articles = articles_json(&draft.articles)?;
        let state = if send_at.is_some() { "scheduled" } else { "draft" };
        let done = sqlx::query(
            "UPDATE editions SET subject = $1, intro = $2, articles = $3, state = $4, send_at = $5 \
             WHERE id = $6 AND state IN ('draft', 'scheduled')",
        )
        .bind(&draft.subject)
        .bind(&draft.intro)
        .bind(&articles)
        .bind(state)
        .bind(send_at.map(ts))
        .bind(id)
        .execute(&self.write)
        .await?;
        if done.rows_affected() == 0 {
            return Err(match self.edition(id).await? {
                None => StoreError::NotFound("edition"),
                Some(_) => Invalid { field: "edition", message: "it has been sent; it can no longer change".into() }.into(),
            });
        }
        Ok(())
    }

    /// Deletes an edition that has not gone out.
    pub(crate) async fn delete_edition(&self, id: i64) -> Result<(), StoreError> {
        let done = sqlx::query("DELETE FROM editions WHERE id = $1 AND state IN ('draft', 'scheduled')")
            .bind(id)
            .execute(&self.write)
            .await?;
        if done.rows_affected() == 0 {
            return Err(match self.edition(id).await? {
                None => StoreError::NotFound("edition"),
                Some(_) => Invalid { field: "edition", message: "it has been sent; it is kept".into() }.into(),
            });
        }
        Ok(())
    }

    /// Queues a draft or scheduled edition now: one delivery per confirmed subscriber of its
    /// list. Says how many; none if it was queued already (by another node, or a second click).
    pub(crate) async fn queue_edition(&self, id: i64, at: OffsetDateTime) -> Result<Option<i64>, StoreError> {
        let mut tx = self.begin().await?;
        let queued = queue_in(&mut tx, id, at).await?;
        self.commit_quiet(tx).await?;
        Ok(queued)
    }

    /// Queues every scheduled edition whose time has come; says which, with their deliveries.
    pub(crate) async fn queue_due_editions(&self, now: OffsetDateTime) -> Result<Vec<(i64, i64)>, StoreError> {
        let due: Vec<i64> = sqlx::query_scalar(
            "SELECT id FROM editions WHERE state = 'scheduled' AND send_at <= $1 ORDER BY send_at, id LIMIT 100",
        )
        .bind(ts(now))
        .fetch_all(&mut *self.read.get().await?)
        .await?;
        let mut queued = Vec::new();
        for id in due {
            let mut tx = self.begin().await?;
            if let Some(n) = queue_in(&mut tx, id, now).await? {
                queued.push((id, n));
            }
            self.commit_quiet(tx).await?;
        }
        Ok(queued)
    }

    /// The active scheduled lists whose next edition is due at `now`.
    pub(crate) async fn due_lists(&self, now: OffsetDateTime) -> Result<Vec<NewsletterList>, StoreError> {
        let sql = format!(
            "SELECT {LIST_COLUMNS} FROM newsletter_lists WHERE active AND next_edition_at IS NOT NULL \
             AND next_edition_at <= $1 ORDER BY next_edition_at"
        );
        let rows = sqlx::query(AssertSqlSafe(sql)).bind(ts(now)).fetch_all(&mut *self.read.get().await?).await?;
        rows.iter().map(list).collect()
    }

    /// Makes and queues the scheduled edition of `list` for its slot `slot` (its
    /// `next_edition_at`), and moves the list on to `next`: once, however many nodes try (the
    /// slot is unique). Says the edition and its deliveries, or none if the slot was done.
    pub(crate) async fn make_scheduled_edition(
        &self,
        list: i64,
        slot: OffsetDateTime,
        draft: &EditionDraft,
        next: Option<OffsetDateTime>,
        at: OffsetDateTime,
    ) -> Result<Option<(i64, i64)>, StoreError> {
        let mut tx = self.begin().await?;
        // The picks go into this edition: the next one starts with none.
        let moved = sqlx::query(
            "UPDATE newsletter_lists SET next_edition_at = $1, picks = '[]' WHERE id = $2 AND next_edition_at = $3",
        )
            .bind(next.map(ts))
            .bind(list)
            .bind(ts(slot))
            .execute(&mut *tx)
            .await?;
        if moved.rows_affected() == 0 {
            return Ok(None);
        }
        let articles = articles_json(&draft.articles)?;
        let id: Option<i64> = sqlx::query_scalar(
            "INSERT INTO editions (list_id, subject, intro, articles, state, send_at, planned_at, created_at) \
             VALUES ($1, $2, $3, $4, 'scheduled', $5, $5, $6) ON CONFLICT (list_id, planned_at) DO NOTHING RETURNING id",
        )
        .bind(list)
        .bind(&draft.subject)
        .bind(&draft.intro)
        .bind(&articles)
        .bind(ts(slot))
        .bind(ts(at))
        .fetch_optional(&mut *tx)
        .await?;
        let made = match id {
            Some(id) => queue_in(&mut tx, id, at).await?.map(|n| (id, n)),
            None => None,
        };
        self.commit_quiet(tx).await?;
        Ok(made)
    }

    /// Records what became of delivery `done` (if any), then takes the next delivery due at
    /// `now` and marks it 'sending': one write for both, so a sender commits once per message.
    pub(crate) async fn delivery_step(
        &self,
        done: Option<(&MailDelivery, &MailOutcome)>,
        now: OffsetDateTime,
    ) -> Result<Option<MailDelivery>, StoreError> {
        let mut tx = self.begin().await?;
        if let Some((delivery, outcome)) = done {
            record_in(&mut tx, delivery, outcome, now).await?;
        }
        let next: Option<(i64, i64, i64, i64, String)> = sqlx::query_as(
            "SELECT d.id, d.edition_id, d.subscriber_id, d.attempts, s.email FROM deliveries d \
             JOIN subscribers s ON s.id = d.subscriber_id \
             WHERE d.state = 'pending' AND d.next_attempt_at <= $1 ORDER BY d.next_attempt_at, d.id LIMIT 1",
        )
        .bind(ts(now))
        .fetch_optional(&mut *tx)
        .await?;
        if done.is_none() && next.is_none() {
            // Nothing to record, nothing due: no write at all.
            tx.rollback().await?;
            return Ok(None);
        }
        let next = match next {
            Some((id, edition_id, subscriber_id, attempts, email)) => {
                sqlx::query("UPDATE deliveries SET state = 'sending', started_at = $1, attempts = $2 WHERE id = $3")
                    .bind(ts(now))
                    .bind(attempts + 1)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                Some(MailDelivery { id, edition_id, subscriber_id, email, attempts: attempts + 1 })
            }
            None => None,
        };
        self.commit_quiet(tx).await?;
        Ok(next)
    }

    /// Records what became of a delivery, taking no other.
    pub(crate) async fn record_delivery(
        &self,
        delivery: &MailDelivery,
        outcome: &MailOutcome,
        now: OffsetDateTime,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        record_in(&mut tx, delivery, outcome, now).await?;
        self.commit_quiet(tx).await
    }

    /// Deliveries left 'sending' since before `before` (their sender stopped mid-send) become
    /// 'unsure', never sent again; editions with nothing left to send become 'sent'; addresses
    /// never confirmed whose last confirmation was asked before `forget_before` are forgotten.
    /// Says how many deliveries became unsure.
    pub(crate) async fn settle_deliveries(
        &self,
        before: OffsetDateTime,
        forget_before: OffsetDateTime,
        now: OffsetDateTime,
    ) -> Result<u64, StoreError> {
        let mut tx = self.begin().await?;
        let unsure = sqlx::query(
            "UPDATE deliveries SET state = 'unsure', \
             last_error = 'the sender stopped while sending it; not sent again, so nobody gets it twice' \
             WHERE state = 'sending' AND started_at < $1",
        )
        .bind(ts(before))
        .execute(&mut *tx)
        .await?
        .rows_affected();
        let finished = sqlx::query(
            "UPDATE editions SET state = 'sent', sent_at = $1 WHERE state = 'sending' AND NOT EXISTS \
             (SELECT 1 FROM deliveries d WHERE d.edition_id = editions.id AND d.state IN ('pending', 'sending'))",
        )
        .bind(ts(now))
        .execute(&mut *tx)
        .await?
        .rows_affected();
        // Addresses typed and never confirmed are not kept once their link has expired.
        let forgotten = sqlx::query(
            "DELETE FROM subscribers WHERE state = 'pending' AND created_at < $1 \
             AND (confirm_sent_at IS NULL OR confirm_sent_at < $1)",
        )
        .bind(ts(forget_before))
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if unsure + finished + forgotten == 0 {
            tx.rollback().await?;
            return Ok(0);
        }
        self.commit_quiet(tx).await?;
        Ok(unsure)
    }

    /// How far an edition's sending has gone.
    pub(crate) async fn edition_progress(&self, id: i64) -> Result<EditionProgress, StoreError> {
        let counts: Vec<(String, i64)> =
            sqlx::query_as("SELECT state, COUNT(*) FROM deliveries WHERE edition_id = $1 GROUP BY state")
                .bind(id)
                .fetch_all(&mut *self.read.get().await?)
                .await?;
        let mut p = EditionProgress::default();
        for (state, n) in counts {
            match state.as_str() {
                "pending" => p.pending = n,
                "sending" => p.sending = n,
                "sent" => p.sent = n,
                "failed" => p.failed = n,
                "bounced" => p.bounced = n,
                "unsure" => p.unsure = n,
                "cancelled" => p.cancelled = n,
                other => return Err(StoreError::Corrupt(format!("deliveries.state: {other:?}"))),
            }
        }
        Ok(p)
    }

    /// The deliveries of an edition that did not go out (failed, bounced, unsure) with why, at
    /// most `limit`.
    pub(crate) async fn edition_failures(
        &self,
        id: i64,
        limit: i64,
    ) -> Result<Vec<(String, String, String)>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT s.email, d.state, d.last_error FROM deliveries d JOIN subscribers s ON s.id = d.subscriber_id \
             WHERE d.edition_id = $1 AND d.state IN ('failed', 'bounced', 'unsure') ORDER BY d.id LIMIT $2",
        )
        .bind(id)
        .bind(limit)
        .fetch_all(&mut *self.read.get().await?)
        .await?)
    }

    /// The key named `name`, made with `make` the first time (shared by every node).
    pub(crate) async fn secret(&self, name: &str, make: &str, at: OffsetDateTime) -> Result<String, StoreError> {
        sqlx::query("INSERT INTO secrets (name, value, created_at) VALUES ($1, $2, $3) ON CONFLICT (name) DO NOTHING")
            .bind(name)
            .bind(make)
            .bind(ts(at))
            .execute(&self.write)
            .await?;
        Ok(sqlx::query_scalar("SELECT value FROM secrets WHERE name = $1")
            .bind(name)
            .fetch_one(&mut *self.read.get().await?)
            .await?)
    }
}

/// Queues edition `id` if it is a draft or scheduled; none if it is not (any more).
async fn queue_in(tx: &mut Transaction<'_, Db>, id: i64, at: OffsetDateTime) -> Result<Option<i64>, StoreError> {
    let list: Option<i64> = sqlx::query_scalar(
        "UPDATE editions SET state = 'sending', queued_at = $1 WHERE id = $2 AND state IN ('draft', 'scheduled') \
         RETURNING list_id",
    )
    .bind(ts(at))
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?;
    let Some(list) = list else { return Ok(None) };
    let queued = sqlx::query(
        "INSERT INTO deliveries (edition_id, subscriber_id, state, attempts, next_attempt_at, last_error) \
         SELECT $1, s.id, 'pending', 0, $2, '' FROM subscriptions u JOIN subscribers s ON s.id = u.subscriber_id \
         WHERE u.list_id = $3 AND s.state = 'confirmed' ORDER BY s.id ON CONFLICT DO NOTHING",
    )
    .bind(id)
    .bind(ts(at))
    .bind(list)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    Ok(Some(queued as i64))
}

async fn record_in(
    tx: &mut Transaction<'_, Db>,
    delivery: &MailDelivery,
    outcome: &MailOutcome,
    now: OffsetDateTime,
) -> Result<(), StoreError> {
    let (state, error, next) = match outcome {
        MailOutcome::Sent => ("sent", "", None),
        MailOutcome::Retry { error, at } => ("pending", error.as_str(), Some(*at)),
        MailOutcome::Failed { error } => ("failed", error.as_str(), None),
        MailOutcome::Bounced { error } => ("bounced", error.as_str(), None),
    };
    sqlx::query(
        "UPDATE deliveries SET state = $1, last_error = $2, next_attempt_at = COALESCE($3, next_attempt_at), \
         sent_at = CASE WHEN $1 = 'sent' THEN $4 ELSE sent_at END WHERE id = $5",
    )
    .bind(state)
    .bind(error)
    .bind(next.map(ts))
    .bind(ts(now))
    .bind(delivery.id)
    .execute(&mut **tx)
    .await?;
    if let MailOutcome::Bounced { error } = outcome {
        sqlx::query("UPDATE subscribers SET state = 'bounced', bounce = $1 WHERE id = $2")
            .bind(error)
            .bind(delivery.subscriber_id)
            .execute(&mut **tx)
            .await?;
        cancel_queued(tx, delivery.subscriber_id, &[]).await?;
    }
    Ok(())
}

/// Cancels the queued deliveries of subscriber `id` but those of `keep` lists.
async fn cancel_queued(tx: &mut Transaction<'_, Db>, id: i64, keep: &[i64]) -> Result<(), StoreError> {
    let keep_lists = if keep.is_empty() { String::new() } else { format!(" AND e.list_id NOT IN {}", crate::marks(keep.len(), 2)) };
    let sql = format!(
        "UPDATE deliveries SET state = 'cancelled', last_error = 'unsubscribed or refused before it was sent' \
         WHERE subscriber_id = $1 AND state = 'pending' AND edition_id IN (SELECT e.id FROM editions e WHERE TRUE{keep_lists})"
    );
    let mut q = sqlx::query(AssertSqlSafe(sql)).bind(id);
    for list in keep {
        q = q.bind(list);
    }
    q.execute(&mut **tx).await?;
    Ok(())
}

async fn subscriber_in(tx: &mut Transaction<'_, Db>, id: i64) -> Result<Option<Subscriber>, StoreError> {
    let row = sqlx::query("SELECT id, email, state, consented_at, created_at, bounce FROM subscribers WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?;
    let Some(row) = row else { return Ok(None) };
    let lists = sqlx::query_scalar("SELECT list_id FROM subscriptions WHERE subscriber_id = $1 ORDER BY list_id")
        .bind(id)
        .fetch_all(&mut **tx)
        .await?;
    Ok(Some(subscriber_row(&row, lists)?))
}

fn subscriber_row(row: &DbRow, lists: Vec<i64>) -> Result<Subscriber, StoreError> {
    let state: String = row.try_get("state")?;
    Ok(Subscriber {
        id: row.try_get("id")?,
        email: row.try_get("email")?,
        state: SubscriberState::parse(&state)
            .ok_or_else(|| StoreError::Corrupt(format!("subscribers.state: {state:?}")))?,
        consented_at: row.try_get("consented_at")?,
        created_at: row.try_get("created_at")?,
        lists,
        bounce: row.try_get("bounce")?,
    })
}

fn list(row: &DbRow) -> Result<NewsletterList, StoreError> {
    let rule: String = row.try_get("rule")?;
    let days: String = row.try_get("days")?;
    Ok(NewsletterList {
        id: row.try_get("id")?,
        slug: row.try_get("slug")?,
        name: row.try_get("name")?,
        description: row.try_get("description")?,
        rule: ListRule::parse(&rule).ok_or_else(|| StoreError::Corrupt(format!("newsletter_lists.rule: {rule:?}")))?,
        section_id: row.try_get::<Option<i64>, _>("section_id")?.map(SectionId),
        stories: row.try_get("stories")?,
        send_minute: row.try_get("send_minute")?,
        days: days.split(',').filter_map(|d| d.trim().parse().ok()).collect(),
        next_edition_at: row.try_get("next_edition_at")?,
        active: row.try_get("active")?,
        picks: ids_of(&row.try_get::<String, _>("picks")?, "newsletter_lists.picks")?,
        created_at: row.try_get("created_at")?,
    })
}

fn edition(row: &DbRow) -> Result<Edition, StoreError> {
    let state: String = row.try_get("state")?;
    let articles: String = row.try_get("articles")?;
    Ok(Edition {
        id: row.try_get("id")?,
        list_id: row.try_get("list_id")?,
        subject: row.try_get("subject")?,
        intro: row.try_get("intro")?,
        articles: ids_of(&articles, "editions.articles")?,
        state: EditionState::parse(&state).ok_or_else(|| StoreError::Corrupt(format!("editions.state: {state:?}")))?,
        send_at: row.try_get("send_at")?,
        queued_at: row.try_get("queued_at")?,
        sent_at: row.try_get("sent_at")?,
        created_by: row.try_get::<Option<i64>, _>("created_by")?.map(UserId),
        created_at: row.try_get("created_at")?,
    })
}

/// A JSON list of article ids, as stored in `column`.
fn ids_of(json: &str, column: &str) -> Result<Vec<ArticleId>, StoreError> {
    let ids: Vec<i64> = serde_json::from_str(json).map_err(|e| StoreError::Corrupt(format!("{column}: {e}")))?;
    Ok(ids.into_iter().map(ArticleId).collect())
}

fn articles_json(articles: &[ArticleId]) -> Result<String, StoreError> {
    serde_json::to_string(&articles.iter().map(|a| a.0).collect::<Vec<_>>())
        .map_err(|e| StoreError::Corrupt(e.to_string()))
}

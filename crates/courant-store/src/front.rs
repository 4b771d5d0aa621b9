//! The front page's pinned stories: the lead and the featured stories editors choose, each
//! until an optional time. Every change logs a change of kind `front` whose `before` is the
//! page-cache tag `front`, which the front page carries, so the page follows at once.

use super::changes::log_change_before;
use super::newsroom::audit;
use super::{Db, DbRow, Store};
use crate::types::*;
use crate::{FRONT_TAG, StoreError, ts};
use courant_core::*;
use sqlx::{Row, Transaction};
use time::OffsetDateTime;

impl Store {
    /// Every pinned story, expired or not: the lead first, then the featured stories in order.
    pub(crate) async fn front_pins(&self) -> Result<Vec<FrontPin>, StoreError> {
        let rows = sqlx::query(
            "SELECT article_id, slot, expires_at, pinned_by, pinned_at FROM front_page_pins \
             ORDER BY CASE slot WHEN 'lead' THEN 0 ELSE 1 END, position",
        )
        .fetch_all(&mut *self.read.get().await?)
        .await?;
        rows.iter().map(pin).collect()
    }

    /// Pins a published story to the front page as its lead or as the last featured story,
    /// until `expires` if given; a story already pinned moves to `slot` (keeping its place
    /// among the featured if it was one). A new lead puts the old one first among the featured.
    pub(crate) async fn pin_front(
        &self,
        article: ArticleId,
        slot: FrontSlot,
        expires: Option<OffsetDateTime>,
        by: Option<UserId>,
        at: OffsetDateTime,
    ) -> Result<(), StoreError> {
        if expires.is_some_and(|e| e <= at) {
            return Err(Invalid { field: "expires", message: "The time the pin ends has already passed.".into() }.into());
        }
        let mut tx = self.begin().await?;
        let found: Option<(String, String)> = sqlx::query_as("SELECT status, headline FROM articles WHERE id = $1")
            .bind(article.0)
            .fetch_optional(&mut *tx)
            .await?;
        let Some((status, headline)) = found else { return Err(StoreError::NotFound("article")) };
        if status != "published" {
            return Err(Invalid { field: "article", message: "Only a published story can be pinned to the front page.".into() }
                .into());
        }
        let current: Option<String> = sqlx::query_scalar("SELECT slot FROM front_page_pins WHERE article_id = $1")
            .bind(article.0)
            .fetch_optional(&mut *tx)
            .await?;
        if slot == FrontSlot::Lead {
            sqlx::query(
                "UPDATE front_page_pins SET slot = 'featured', position = \
                 (SELECT COALESCE(MIN(position), 1) - 1 FROM front_page_pins WHERE slot = 'featured') \
                 WHERE slot = 'lead' AND article_id <> $1",
            )
            .bind(article.0)
            .execute(&mut *tx)
            .await?;
        }
        if current.as_deref() == Some(slot.as_str()) {
            sqlx::query("UPDATE front_page_pins SET expires_at = $1, pinned_by = $2, pinned_at = $3 WHERE article_id = $4")
                .bind(expires.map(ts))
                .bind(by.map(|u| u.0))
                .bind(ts(at))
                .bind(article.0)
                .execute(&mut *tx)
                .await?;
        } else {
            sqlx::query("DELETE FROM front_page_pins WHERE article_id = $1").bind(article.0).execute(&mut *tx).await?;
            sqlx::query(
                "INSERT INTO front_page_pins (article_id, slot, position, expires_at, pinned_by, pinned_at) \
                 VALUES ($1, $2, (SELECT COALESCE(MAX(position), 0) + 1 FROM front_page_pins WHERE slot = 'featured'), \
                 $3, $4, $5)",
            )
            .bind(article.0)
            .bind(slot.as_str())
            .bind(expires.map(ts))
            .bind(by.map(|u| u.0))
            .bind(ts(at))
            .execute(&mut *tx)
            .await?;
        }
        let detail = match (slot, expires) {
            (FrontSlot::Lead, None) => "pinned as the front page's lead".to_string(),
            (FrontSlot::Featured, None) => "pinned as a featured story".to_string(),
            (FrontSlot::Lead, Some(e)) => format!("pinned as the front page's lead until {}", ts(e)),
            (FrontSlot::Featured, Some(e)) => format!("pinned as a featured story until {}", ts(e)),
        };
        changed(&mut tx, article, by, at, &headline, &detail).await?;
        self.commit(tx).await
    }

    /// Takes a story off the front page's pins (it may still appear among the latest).
    pub(crate) async fn unpin_front(
        &self,
        article: ArticleId,
        by: Option<UserId>,
        at: OffsetDateTime,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        let gone = sqlx::query("DELETE FROM front_page_pins WHERE article_id = $1").bind(article.0).execute(&mut *tx).await?;
        if gone.rows_affected() == 0 {
            return Err(StoreError::NotFound("pin"));
        }
        let headline = headline(&mut tx, article).await?;
        changed(&mut tx, article, by, at, &headline, "unpinned from the front page").await?;
        self.commit(tx).await
    }

    /// Moves a featured story one place up (earlier) or down among the featured.
    pub(crate) async fn move_front_pin(
        &self,
        article: ArticleId,
        up: bool,
        by: Option<UserId>,
        at: OffsetDateTime,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        let position: Option<i64> =
            sqlx::query_scalar("SELECT position FROM front_page_pins WHERE article_id = $1 AND slot = 'featured'")
                .bind(article.0)
                .fetch_optional(&mut *tx)
                .await?;
        let Some(position) = position else { return Err(StoreError::NotFound("pin")) };
        let neighbour_sql = if up {
            "SELECT article_id, position FROM front_page_pins WHERE slot = 'featured' AND position < $1 \
             ORDER BY position DESC LIMIT 1"
        } else {
            "SELECT article_id, position FROM front_page_pins WHERE slot = 'featured' AND position > $1 \
             ORDER BY position LIMIT 1"
        };
        let neighbour: Option<(i64, i64)> =
            sqlx::query_as(neighbour_sql).bind(position).fetch_optional(&mut *tx).await?;
        // Already first (or last): nothing moves.
        let Some((other, other_position)) = neighbour else { return Ok(()) };
        for (id, p) in [(article.0, other_position), (other, position)] {
            sqlx::query("UPDATE front_page_pins SET position = $1 WHERE article_id = $2")
                .bind(p)
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        let headline = headline(&mut tx, article).await?;
        changed(&mut tx, article, by, at, &headline, if up { "moved up on the front page" } else { "moved down on the front page" })
            .await?;
        self.commit(tx).await
    }

    /// Takes off the pins whose time has come; says which stories they held. Reads first, so
    /// that the scheduler's frequent calls write nothing when nothing expires.
    pub(crate) async fn expire_front_pins(&self, now: OffsetDateTime) -> Result<Vec<ArticleId>, StoreError> {
        const DUE: &str = "SELECT article_id FROM front_page_pins WHERE expires_at IS NOT NULL AND expires_at <= $1";
        let due: Vec<i64> = sqlx::query_scalar(DUE).bind(ts(now)).fetch_all(&mut *self.read.get().await?).await?;
        if due.is_empty() {
            return Ok(Vec::new());
        }
        let mut tx = self.begin().await?;
        // Read again under the write lock: another node may have taken them off.
        let due: Vec<i64> = sqlx::query_scalar(DUE).bind(ts(now)).fetch_all(&mut *tx).await?;
        for id in &due {
            sqlx::query("DELETE FROM front_page_pins WHERE article_id = $1").bind(id).execute(&mut *tx).await?;
            let headline = headline(&mut tx, ArticleId(*id)).await?;
            changed(&mut tx, ArticleId(*id), None, now, &headline, "its time on the front page ended").await?;
        }
        self.commit(tx).await?;
        Ok(due.into_iter().map(ArticleId).collect())
    }
}

async fn headline(tx: &mut Transaction<'_, Db>, article: ArticleId) -> Result<String, StoreError> {
    let found: Option<String> =
        sqlx::query_scalar("SELECT headline FROM articles WHERE id = $1").bind(article.0).fetch_optional(&mut **tx).await?;
    Ok(found.unwrap_or_default())
}

/// Logs a change of the front page (the article's pages and the front page follow) and an
/// entry in the audit log.
async fn changed(
    tx: &mut Transaction<'_, Db>,
    article: ArticleId,
    by: Option<UserId>,
    at: OffsetDateTime,
    headline: &str,
    detail: &str,
) -> Result<(), StoreError> {
    log_change_before(tx, article.0, "front", FRONT_TAG).await?;
    audit(tx, at, by, AuditAction::FrontPageChanged, Some(article), headline, detail).await
}

fn pin(row: &DbRow) -> Result<FrontPin, StoreError> {
    let slot: String = row.try_get("slot")?;
    Ok(FrontPin {
        article_id: ArticleId(row.try_get("article_id")?),
        slot: FrontSlot::parse(&slot).ok_or_else(|| StoreError::Corrupt(format!("front_page_pins.slot: {slot:?}")))?,
        expires_at: row.try_get("expires_at")?,
        pinned_by: row.try_get::<Option<i64>, _>("pinned_by")?.map(UserId),
        pinned_at: row.try_get("pinned_at")?,
    })
}

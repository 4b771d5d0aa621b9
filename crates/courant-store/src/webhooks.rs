//! Webhook deliveries and the change events they come from.

use super::Store;
use crate::types::*;
use crate::{StoreError, ts};
use courant_core::ArticleId;
use time::OffsetDateTime;

type DeliveryRow = (
    i64,
    i64,
    String,
    String,
    i64,
    String,
    String,
    i64,
    String,
    OffsetDateTime,
    OffsetDateTime,
    Option<OffsetDateTime>,
);

fn delivery(r: DeliveryRow) -> Delivery {
    Delivery {
        id: r.0,
        change_seq: r.1,
        url: r.2,
        event: r.3,
        article_id: ArticleId(r.4),
        payload: r.5,
        status: r.6,
        attempts: r.7,
        last_error: r.8,
        next_attempt_at: r.9,
        created_at: r.10,
        delivered_at: r.11,
    }
}

/// How long a claimed delivery is left to the node that claimed it.
const CLAIM: time::Duration = time::Duration::minutes(1);

const DELIVERY_COLUMNS: &str = "id, change_seq, url, event, article_id, payload, status, attempts, last_error, \
                                next_attempt_at, created_at, delivered_at";

impl Store {
    /// Logged changes after `after`, with their kinds, in order.
    pub async fn events_since(&self, after: i64, limit: i64) -> Result<Vec<ChangeEvent>, StoreError> {
        let rows: Vec<(i64, i64, String, String)> = sqlx::query_as(
            "SELECT seq, article_id, kind, before FROM article_changes WHERE seq > $1 ORDER BY seq LIMIT $2",
        )
        .bind(after)
        .bind(limit)
        .fetch_all(&mut *self.read.get().await?)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(seq, id, kind, before)| ChangeEvent { seq, article_id: ArticleId(id), kind, before })
            .collect())
    }

    /// A named counter (0 when never set).
    pub async fn cursor(&self, name: &str) -> Result<i64, StoreError> {
        let v: Option<i64> = sqlx::query_scalar("SELECT value FROM cursors WHERE name = $1")
            .bind(name)
            .fetch_optional(&mut *self.read.get().await?)
            .await?;
        Ok(v.unwrap_or(0))
    }

    /// Queues deliveries (url, event, article, payload) for a change and moves the named cursor
    /// past it, in one transaction: a change is queued exactly once, even across restarts.
    pub async fn queue_deliveries(
        &self,
        cursor: &str,
        change_seq: i64,
        deliveries: &[NewDelivery],
        now: OffsetDateTime,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        for NewDelivery { url, event, article, payload } in deliveries {
            sqlx::query(
                "INSERT INTO webhook_deliveries (change_seq, url, event, article_id, payload, status, next_attempt_at, created_at) \
                 VALUES ($1, $2, $3, $4, $5, 'pending', $6, $6) ON CONFLICT (change_seq, url) DO NOTHING",
            )
            .bind(change_seq)
            .bind(url)
            .bind(event)
            .bind(article.0)
            .bind(payload)
            .bind(ts(now))
            .execute(&mut *tx)
            .await?;
        }
        sqlx::query(
            "INSERT INTO cursors (name, value) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET value = excluded.value",
        )
        .bind(cursor)
        .bind(change_seq)
        .execute(&mut *tx)
        .await?;
        self.commit(tx).await?;
        Ok(())
    }

    /// Claims the pending deliveries whose next attempt is due at `now`, oldest first: they are
    /// not due again for [`CLAIM`], so that of several nodes only the claiming one sends them
    /// (and another takes over after that if the claiming one stopped).
    pub async fn pending_deliveries(&self) -> Result<i64, StoreError> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM webhook_deliveries WHERE status = 'pending'")
            .fetch_one(&mut *self.read.get().await?)
            .await?)
    }

    pub async fn due_deliveries(&self, now: OffsetDateTime, limit: i64) -> Result<Vec<Delivery>, StoreError> {
        let due = format!(
            "SELECT {DELIVERY_COLUMNS} FROM webhook_deliveries WHERE status = 'pending' AND next_attempt_at <= $1 \
             ORDER BY id LIMIT $2"
        );
        // Read first: most passes find nothing and need not write.
        let any: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM webhook_deliveries WHERE status = 'pending' AND next_attempt_at <= $1 LIMIT 1",
        )
        .bind(ts(now))
        .fetch_optional(&mut *self.read.get().await?)
        .await?;
        if any.is_none() {
            return Ok(Vec::new());
        }
        let mut tx = self.begin().await?;
        let rows: Vec<DeliveryRow> =
            sqlx::query_as(sqlx::AssertSqlSafe(due)).bind(ts(now)).bind(limit).fetch_all(&mut *tx).await?;
        for row in &rows {
            sqlx::query("UPDATE webhook_deliveries SET next_attempt_at = $1 WHERE id = $2")
                .bind(ts(now + CLAIM))
                .bind(row.0)
                .execute(&mut *tx)
                .await?;
        }
        self.commit(tx).await?;
        Ok(rows.into_iter().map(delivery).collect())
    }

    /// Records an attempt: delivered, retried at `retry_at`, or given up when `retry_at` is None.
    pub async fn record_attempt(
        &self,
        id: i64,
        outcome: Result<(), String>,
        retry_at: Option<OffsetDateTime>,
        now: OffsetDateTime,
    ) -> Result<(), StoreError> {
        let (status, error, next, delivered) = match (&outcome, retry_at) {
            (Ok(()), _) => ("delivered", String::new(), now, Some(now)),
            (Err(e), Some(at)) => ("pending", e.clone(), at, None),
            (Err(e), None) => ("failed", e.clone(), now, None),
        };
        sqlx::query(
            "UPDATE webhook_deliveries SET status = $1, attempts = attempts + 1, last_error = $2, \
             next_attempt_at = $3, delivered_at = $4 WHERE id = $5",
        )
        .bind(status)
        .bind(error)
        .bind(ts(next))
        .bind(delivered.map(ts))
        .bind(id)
        .execute(&self.write)
        .await?;
        Ok(())
    }

    /// The latest deliveries, newest first: the delivery log.
    pub async fn deliveries(&self, limit: i64) -> Result<Vec<Delivery>, StoreError> {
        let sql = format!("SELECT {DELIVERY_COLUMNS} FROM webhook_deliveries ORDER BY id DESC LIMIT $1");
        let rows: Vec<DeliveryRow> =
            sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(limit).fetch_all(&mut *self.read.get().await?).await?;
        Ok(rows.into_iter().map(delivery).collect())
    }
}

//! The feeds the wire desk polls: added, paused and removed by editors; claimed for a poll by
//! one node at a time (a lease); and the outcome of each poll kept as the feed's health.

use super::{DbRow, Store, dialect};
use crate::types::{NewWireFeed, WireFeed, WirePoll};
use crate::{StoreError, ts};
use courant_core::Invalid;
use sqlx::{AssertSqlSafe, Row};
use time::OffsetDateTime;

const COLUMNS: &str = "f.id, f.url, f.source, f.interval_seconds, f.paused, f.etag, f.last_modified, f.next_poll_at, \
                       f.last_success_at, f.last_error, f.last_error_at, f.failures, f.created_at";

impl Store {
    /// Adds a feed, polled first right away.
    pub(crate) async fn add_wire_feed(&self, new: &NewWireFeed, at: OffsetDateTime) -> Result<i64, StoreError> {
        let url = new.url.trim();
        if !(url.starts_with("http://") || url.starts_with("https://")) || url.len() > 2000 {
            return Err(Invalid { field: "url", message: "a feed's address starts with http:// or https://".into() }.into());
        }
        if new.source.trim().is_empty() {
            return Err(Invalid { field: "source", message: "name the source the feed's items credit".into() }.into());
        }
        if !(60..=86_400).contains(&new.interval_seconds) {
            return Err(Invalid { field: "interval", message: "poll every 1 minute to 24 hours".into() }.into());
        }
        let added = sqlx::query_scalar(
            "INSERT INTO wire_feeds (url, source, interval_seconds, paused, etag, last_modified, next_poll_at, last_error, \
             failures, created_at) VALUES ($1, $2, $3, FALSE, '', '', $4, '', 0, $4) RETURNING id",
        )
        .bind(url)
        .bind(new.source.trim())
        .bind(new.interval_seconds)
        .bind(ts(at))
        .fetch_one(&self.write)
        .await;
        match added {
            Ok(id) => Ok(id),
            Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
                Err(Invalid { field: "url", message: "this feed is already polled".into() }.into())
            }
            Err(e) => Err(e.into()),
        }
    }

    /// Every feed, by address, with how many items it gave since `since`.
    pub(crate) async fn wire_feeds(&self, since: OffsetDateTime) -> Result<Vec<(WireFeed, i64)>, StoreError> {
        let sql = format!(
            "SELECT {COLUMNS}, (SELECT COUNT(*) FROM wire_items w WHERE w.feed_id = f.id AND w.updated_at >= $1) AS recent \
             FROM wire_feeds f ORDER BY f.url"
        );
        let rows = sqlx::query(AssertSqlSafe(sql)).bind(ts(since)).fetch_all(&mut *self.read.get().await?).await?;
        rows.iter().map(|r| Ok((feed(r)?, r.try_get("recent")?))).collect()
    }

    /// Pauses a feed, or polls it again (at once).
    pub(crate) async fn pause_wire_feed(&self, id: i64, paused: bool, at: OffsetDateTime) -> Result<(), StoreError> {
        let done = sqlx::query("UPDATE wire_feeds SET paused = $1, next_poll_at = $2 WHERE id = $3")
            .bind(paused)
            .bind(ts(at))
            .bind(id)
            .execute(&self.write)
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound("feed"));
        }
        Ok(())
    }

    /// Removes a feed; the items it gave stay.
    pub(crate) async fn delete_wire_feed(&self, id: i64) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        sqlx::query("UPDATE wire_items SET feed_id = NULL WHERE feed_id = $1").bind(id).execute(&mut *tx).await?;
        let done = sqlx::query("DELETE FROM wire_feeds WHERE id = $1").bind(id).execute(&mut *tx).await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound("feed"));
        }
        self.commit(tx).await
    }

    /// Claims, until `until`, at most `limit` feeds due at `now` that no other node holds.
    pub(crate) async fn claim_wire_feeds(
        &self,
        now: OffsetDateTime,
        until: OffsetDateTime,
        limit: i64,
    ) -> Result<Vec<WireFeed>, StoreError> {
        // Rows another node is claiming right now are skipped, not waited for (PostgreSQL);
        // SQLite has one writer at a time.
        let skip_locked = if dialect::POSTGRES { " FOR UPDATE SKIP LOCKED" } else { "" };
        let sql = format!(
            "UPDATE wire_feeds SET lease_expires_at = $1 WHERE id IN ( \
                 SELECT id FROM wire_feeds WHERE NOT paused AND next_poll_at <= $2 \
                 AND (lease_expires_at IS NULL OR lease_expires_at < $2) ORDER BY next_poll_at LIMIT $3{skip_locked}) \
             AND (lease_expires_at IS NULL OR lease_expires_at < $2) RETURNING id"
        );
        let ids: Vec<i64> = sqlx::query_scalar(AssertSqlSafe(sql))
            .bind(ts(until))
            .bind(ts(now))
            .bind(limit)
            .fetch_all(&self.write)
            .await?;
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!("SELECT {COLUMNS} FROM wire_feeds f WHERE f.id IN {}", crate::marks(ids.len(), 1));
        let mut q = sqlx::query(AssertSqlSafe(sql));
        for id in &ids {
            q = q.bind(id);
        }
        let rows = q.fetch_all(&mut *self.read.get().await?).await?;
        rows.iter().map(feed).collect()
    }

    /// Keeps what a poll of feed `id` found and when to poll it next, and releases its lease.
    pub(crate) async fn record_wire_poll(&self, id: i64, poll: &WirePoll, at: OffsetDateTime) -> Result<(), StoreError> {
        let q = match poll {
            WirePoll::Fetched { etag, last_modified, next } => sqlx::query(
                "UPDATE wire_feeds SET etag = $1, last_modified = $2, next_poll_at = $3, last_success_at = $4, \
                 failures = 0, lease_expires_at = NULL WHERE id = $5",
            )
            .bind(etag.as_str())
            .bind(last_modified.as_str())
            .bind(ts(*next))
            .bind(ts(at))
            .bind(id),
            WirePoll::Unchanged { next } => sqlx::query(
                "UPDATE wire_feeds SET next_poll_at = $1, last_success_at = $2, failures = 0, lease_expires_at = NULL \
                 WHERE id = $3",
            )
            .bind(ts(*next))
            .bind(ts(at))
            .bind(id),
            WirePoll::Failed { error, next } => sqlx::query(
                "UPDATE wire_feeds SET last_error = $1, last_error_at = $2, next_poll_at = $3, failures = failures + 1, \
                 lease_expires_at = NULL WHERE id = $4",
            )
            .bind(error.as_str())
            .bind(ts(at))
            .bind(ts(*next))
            .bind(id),
        };
        q.execute(&self.write).await?;
        Ok(())
    }
}

fn feed(row: &DbRow) -> Result<WireFeed, StoreError> {
    Ok(WireFeed {
        id: row.try_get("id")?,
        url: row.try_get("url")?,
        source: row.try_get("source")?,
        interval_seconds: row.try_get("interval_seconds")?,
        paused: row.try_get("paused")?,
        etag: row.try_get("etag")?,
        last_modified: row.try_get("last_modified")?,
        next_poll_at: row.try_get("next_poll_at")?,
        last_success_at: row.try_get("last_success_at")?,
        last_error: row.try_get("last_error")?,
        last_error_at: row.try_get("last_error_at")?,
        failures: row.try_get("failures")?,
        created_at: row.try_get("created_at")?,
    })
}

//! Related stories found by the search index, kept for every published story so that its page
//! reads them (one query) instead of searching. The finder (`courant-web`'s `related` task)
//! enlists stories, claims a batch at a time (several nodes share the work), finds them in the
//! index and saves them; a story that changes is enlisted again.

use super::{Store, dialect};
use crate::{StoreError, marks, ts};
use courant_core::ArticleId;
use sqlx::AssertSqlSafe;
use time::OffsetDateTime;

impl Store {
    /// Enlists every published story whose related stories were never looked for; returns how
    /// many.
    pub async fn enlist_related_searches(&self) -> Result<u64, StoreError> {
        let done = sqlx::query(
            "INSERT INTO related_searches (article_id) \
             SELECT a.id FROM articles a WHERE a.status = 'published' \
             AND NOT EXISTS (SELECT 1 FROM related_searches s WHERE s.article_id = a.id) \
             ON CONFLICT (article_id) DO NOTHING",
        )
        .execute(&self.write)
        .await?;
        Ok(done.rows_affected())
    }

    /// Marks these stories' related stories as to be found again (they changed), enlisting
    /// those never looked for, and voids any claim on them: a search begun before the change
    /// is not saved. Their stories found so far are shown meanwhile. Stories not published
    /// are left out (claims pass them over anyway).
    pub async fn research_related(&self, ids: &[ArticleId]) -> Result<(), StoreError> {
        for chunk in ids.chunks(500) {
            let sql = format!(
                "INSERT INTO related_searches (article_id) SELECT id FROM articles \
                 WHERE status = 'published' AND id IN {} \
                 ON CONFLICT (article_id) DO UPDATE SET found_at = NULL, claim_expires_at = NULL",
                marks(chunk.len(), 1)
            );
            let mut q = sqlx::query(AssertSqlSafe(sql));
            for id in chunk {
                q = q.bind(id.0);
            }
            q.execute(&self.write).await?;
        }
        Ok(())
    }

    /// Claims, until `until`, at most `limit` published stories whose related stories are to
    /// be found: first those never found (newest first), then those found before
    /// `stale_before` (longest ago first). Stories another node has claimed until after `now`
    /// are left to it.
    pub async fn claim_related_searches(
        &self,
        now: OffsetDateTime,
        until: OffsetDateTime,
        stale_before: OffsetDateTime,
        limit: i64,
    ) -> Result<Vec<ArticleId>, StoreError> {
        // Each walks the index on (found_at, article_id) for as many rows as it takes, rather
        // than sorting every candidate. On PostgreSQL, rows another node is claiming right now
        // are skipped (not waited for, which would leave this claim empty once that one
        // commits); SQLite has one writer at a time. The claim is tested again outside the
        // sub-query all the same.
        let skip_locked = if dialect::POSTGRES { " FOR UPDATE OF s SKIP LOCKED" } else { "" };
        let claim = |which: &str, order: &str| {
            format!(
                "UPDATE related_searches SET claim_expires_at = $1 \
                 WHERE (claim_expires_at IS NULL OR claim_expires_at < $2) AND article_id IN ( \
                     SELECT s.article_id FROM related_searches s JOIN articles a ON a.id = s.article_id \
                     WHERE {which} AND (s.claim_expires_at IS NULL OR s.claim_expires_at < $2) \
                     AND a.status = 'published' ORDER BY {order} LIMIT $4{skip_locked}) \
                 RETURNING article_id"
            )
        };
        // (`$3 = $3`: both statements take the same parameters.)
        let never = claim("s.found_at IS NULL AND $3 = $3", "s.article_id DESC");
        let stale = claim("s.found_at < $3", "s.found_at, s.article_id");
        let mut ids: Vec<i64> = Vec::new();
        for sql in [never, stale] {
            let left = limit - ids.len() as i64;
            if left <= 0 {
                break;
            }
            let claimed: Vec<i64> = sqlx::query_scalar(AssertSqlSafe(sql))
                .bind(ts(until))
                .bind(ts(now))
                .bind(ts(stale_before))
                .bind(left)
                .fetch_all(&self.write)
                .await?;
            ids.extend(claimed);
        }
        Ok(ids.into_iter().map(ArticleId).collect())
    }

    /// Saves a story's related stories, best first, found under the claim `claimed_until`
    /// (see [`Store::claim_related_searches`]). Returns false, saving nothing, when the claim
    /// was voided meanwhile (the story changed: they are to be found again).
    pub async fn save_found_related(
        &self,
        id: ArticleId,
        related: &[ArticleId],
        claimed_until: OffsetDateTime,
        now: OffsetDateTime,
    ) -> Result<bool, StoreError> {
        let mut tx = self.write.begin().await?;
        let claimed = sqlx::query(
            "UPDATE related_searches SET found_at = $1, claim_expires_at = NULL \
             WHERE article_id = $2 AND claim_expires_at = $3",
        )
        .bind(ts(now))
        .bind(id.0)
        .bind(ts(claimed_until))
        .execute(&mut *tx)
        .await?;
        if claimed.rows_affected() == 0 {
            return Ok(false);
        }
        sqlx::query("DELETE FROM found_related WHERE article_id = $1").bind(id.0).execute(&mut *tx).await?;
        for (position, other) in related.iter().enumerate() {
            // A story deleted since it was found is left out.
            sqlx::query(
                "INSERT INTO found_related (article_id, position, related_id) \
                 SELECT $1, $2, id FROM articles WHERE id = $3",
            )
            .bind(id.0)
            .bind(position as i64)
            .bind(other.0)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(true)
    }

    /// A story's related stories as last found, best first; `None` when they were never found.
    pub async fn found_related(&self, id: ArticleId) -> Result<Option<Vec<ArticleId>>, StoreError> {
        let rows: Vec<(bool, Option<i64>)> = sqlx::query_as(
            "SELECT s.found_at IS NOT NULL, r.related_id FROM related_searches s \
             LEFT JOIN found_related r ON r.article_id = s.article_id \
             WHERE s.article_id = $1 ORDER BY r.position",
        )
        .bind(id.0)
        .fetch_all(&mut *self.read.get().await?)
        .await?;
        let found = rows.first().is_some_and(|(found, _)| *found);
        let ids: Vec<ArticleId> = rows.into_iter().filter_map(|(_, r)| r.map(ArticleId)).collect();
        Ok((found || !ids.is_empty()).then_some(ids))
    }
}

//! View counts per article and minute, for "Others are reading now".

use super::Store;
use crate::StoreError;
use crate::types::{ArticlePlace, MinuteViews};
use courant_core::{ArticleId, Status};

impl Store {
    /// Adds view counts: (article, minute since the Unix epoch, views). Counts for the same
    /// article and minute add up, whichever node sends them.
    pub async fn add_views(&self, views: &[MinuteViews]) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        for MinuteViews { article: id, minute, views: n } in views {
            sqlx::query(
                "INSERT INTO trending_views (article_id, minute, views) VALUES ($1, $2, $3) \
                 ON CONFLICT (article_id, minute) DO UPDATE SET views = trending_views.views + excluded.views",
            )
            .bind(id.0)
            .bind(minute)
            .bind(n)
            .execute(&mut *tx)
            .await?;
        }
        self.commit(tx).await?;
        Ok(())
    }

    /// View counts of published articles from `since_minute` on: (article, minute, views).
    pub async fn views_since(&self, since_minute: i64) -> Result<Vec<MinuteViews>, StoreError> {
        let rows: Vec<(i64, i64, i64)> = sqlx::query_as(
            "SELECT v.article_id, v.minute, v.views FROM trending_views v JOIN articles a ON a.id = v.article_id \
             WHERE v.minute >= $1 AND a.status = 'published'",
        )
        .bind(since_minute)
        .fetch_all(&mut *self.read.get().await?)
        .await?;
        Ok(rows.into_iter().map(|(id, minute, views)| MinuteViews { article: ArticleId(id), minute, views }).collect())
    }

    /// Forgets view counts older than `before_minute`.
    pub async fn prune_views(&self, before_minute: i64) -> Result<u64, StoreError> {
        let done = sqlx::query("DELETE FROM trending_views WHERE minute < $1")
            .bind(before_minute)
            .execute(&self.write)
            .await?;
        Ok(done.rows_affected())
    }

    /// The status of an article and its top-level section, if it exists (one cheap query, for
    /// beacons).
    pub async fn article_status(&self, id: ArticleId) -> Result<Option<ArticlePlace>, StoreError> {
        let row: Option<(String, i64)> = sqlx::query_as(
            "WITH RECURSIVE up (id, parent_id) AS ( \
                 SELECT s.id, s.parent_id FROM sections s JOIN articles a ON a.section_id = s.id WHERE a.id = $1 \
                 UNION ALL SELECT s.id, s.parent_id FROM sections s JOIN up ON s.id = up.parent_id) \
             SELECT a.status, (SELECT up.id FROM up WHERE up.parent_id IS NULL) FROM articles a WHERE a.id = $1",
        )
        .bind(id.0)
        .fetch_optional(&mut *self.read.get().await?)
        .await?;
        Ok(row.and_then(|(s, root_section)| Status::parse(&s).map(|status| ArticlePlace { status, root_section })))
    }
}

//! The store as a whole: what it holds, whether it answers, and the site's settings.
//! Compiled once per backend, like every file of queries (see `sqlite.rs` and `postgres.rs`).

use super::Store;
use crate::{Counts, StoreError, ts};
use time::OffsetDateTime;

impl Store {
    /// How much the store holds.
    pub async fn counts(&self) -> Result<Counts, StoreError> {
        let by_status: Vec<(String, i64)> = sqlx::query_as("SELECT status, COUNT(*) FROM articles GROUP BY status")
            .fetch_all(&mut *self.read.get().await?)
            .await?;
        let mut c = Counts::default();
        for (status, n) in by_status {
            match status.as_str() {
                "published" => c.published = n,
                "draft" => c.drafts = n,
                "scheduled" => c.scheduled = n,
                _ => c.unpublished = n,
            }
        }
        for (table, slot) in [
            ("sections", &mut c.sections),
            ("authors", &mut c.authors),
            ("tags", &mut c.tags),
            ("sources", &mut c.sources),
            ("images", &mut c.images),
        ] {
            *slot = sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT COUNT(*) FROM {table}")))
                .fetch_one(&mut *self.read.get().await?)
                .await?;
        }
        Ok(c)
    }

    /// True when the store holds no section and no article: a new publication.
    pub async fn is_empty(&self) -> Result<bool, StoreError> {
        let n: i64 = sqlx::query_scalar("SELECT (SELECT COUNT(*) FROM sections) + (SELECT COUNT(*) FROM articles)")
            .fetch_one(&mut *self.read.get().await?)
            .await?;
        Ok(n == 0)
    }

    /// Answers when the database can be read.
    pub async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1").execute(&mut *self.read.get().await?).await?;
        Ok(())
    }

    /// A stored setting (a JSON document), if an admin ever saved it.
    pub async fn setting(&self, key: &str) -> Result<Option<String>, StoreError> {
        Ok(sqlx::query_scalar("SELECT value FROM settings WHERE key = $1")
            .bind(key)
            .fetch_optional(&mut *self.read.get().await?)
            .await?)
    }

    /// Stores a setting, logged in the audit log as changed by `by`.
    pub async fn set_setting(
        &self,
        key: &str,
        value: &str,
        by: courant_core::UserId,
        at: OffsetDateTime,
    ) -> Result<(), StoreError> {
        // Through the write lock like every write: the change it logs must commit in order.
        let mut tx = self.begin().await?;
        sqlx::query(
            "INSERT INTO settings (key, value, updated_at, updated_by) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at, \
             updated_by = excluded.updated_by",
        )
        .bind(key)
        .bind(value)
        .bind(ts(at))
        .bind(by.0)
        .execute(&mut *tx)
        .await?;
        super::newsroom::audit(&mut tx, at, Some(by), courant_core::AuditAction::SettingsChanged, None, key, "")
            .await?;
        super::changes::log_site_change(&mut tx).await?;
        self.commit(tx).await?;
        Ok(())
    }
}

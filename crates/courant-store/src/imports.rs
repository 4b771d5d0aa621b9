//! What imports remember: which item of which publication became which row here (so that the
//! same file imported again updates what changed and duplicates nothing), articles replaced in
//! place by a newer import, and the old addresses of imported stories, which redirect.

use super::articles::insert_links;
use super::changes::{log_change_before, memberships};
use super::{Db, Store, rows};
use crate::{StoreError, ts};
use courant_core::*;
use sqlx::{AssertSqlSafe, Transaction};

/// The row an item of `origin` became, and the digest of what was imported then.
pub(crate) async fn imported(
    tx: &mut Transaction<'_, Db>,
    origin: &str,
    kind: &str,
    key: &str,
) -> Result<Option<(i64, String)>, StoreError> {
    Ok(sqlx::query_as("SELECT target_id, digest FROM imported WHERE origin = $1 AND kind = $2 AND key = $3")
        .bind(origin)
        .bind(kind)
        .bind(key)
        .fetch_optional(&mut **tx)
        .await?)
}

/// Remembers that an item of `origin` became row `id` (replacing what was remembered).
pub(crate) async fn remember_imported(
    tx: &mut Transaction<'_, Db>,
    origin: &str,
    kind: &str,
    key: &str,
    id: i64,
    digest: &str,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO imported (origin, kind, key, target_id, digest) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (origin, kind, key) DO UPDATE SET target_id = excluded.target_id, digest = excluded.digest",
    )
    .bind(origin)
    .bind(kind)
    .bind(key)
    .bind(id)
    .bind(digest)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Replaces an imported article's content, status, dates and links with a newer import of it;
/// its slug (and so its address) stays.
pub(crate) async fn replace_article(
    tx: &mut Transaction<'_, Db>,
    id: ArticleId,
    new: &NewArticle,
) -> Result<(), StoreError> {
    new.validate()?;
    let before = memberships(tx, id.0).await?;
    let done = sqlx::query(
        "UPDATE articles SET headline = $1, standfirst = $2, body = $3, hero_image_id = $4, section_id = $5, \
         status = $6, created_at = $7, published_at = $8, updated_at = $9, version = version + 1 WHERE id = $10",
    )
    .bind(new.headline.trim())
    .bind(new.standfirst.trim())
    .bind(&new.body)
    .bind(new.hero_image_id.map(|i| i.0))
    .bind(new.section_id.0)
    .bind(new.status.as_str())
    .bind(ts(new.created_at))
    .bind(new.published_at.map(ts))
    .bind(ts(new.updated_at))
    .bind(id.0)
    .execute(&mut **tx)
    .await
    .map_err(|e| super::taxonomy::missing_reference(e, "section or hero image"))?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound("article"));
    }
    for table in ["article_authors", "article_tags", "article_sources", "article_related"] {
        sqlx::query(AssertSqlSafe(format!("DELETE FROM {table} WHERE article_id = $1")))
            .bind(id.0)
            .execute(&mut **tx)
            .await?;
    }
    let lists = [
        new.author_ids.iter().map(|x| x.0).collect(),
        new.tag_ids.iter().map(|x| x.0).collect(),
        new.source_ids.iter().map(|x| x.0).collect(),
        new.related_ids.iter().map(|x| x.0).collect(),
    ];
    insert_links(tx, id.0, lists).await?;
    log_change_before(tx, id.0, "updated", &before).await
}

/// Makes `path` (an old address, without a trailing slash) redirect to an article.
pub(crate) async fn add_redirect(tx: &mut Transaction<'_, Db>, path: &str, id: ArticleId) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO redirects (path, article_id) VALUES ($1, $2) \
         ON CONFLICT (path) DO UPDATE SET article_id = excluded.article_id",
    )
    .bind(path)
    .bind(id.0)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

impl Store {
    /// The article an old address redirects to (see [`add_redirect`]).
    pub(crate) async fn redirect(&self, path: &str) -> Result<Option<ArticleSummary>, StoreError> {
        let sql = format!("{} JOIN redirects r ON r.article_id = a.id WHERE r.path = $1", rows::summary_select());
        let row = sqlx::query(AssertSqlSafe(sql)).bind(path).fetch_optional(&mut *self.read.get().await?).await?;
        row.as_ref().map(rows::summary).transpose()
    }
}

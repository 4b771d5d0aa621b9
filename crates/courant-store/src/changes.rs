//! The change log, written inside every write that changes what pages show (the article, or
//! the whole site), so page caches and other nodes follow exactly what changed; and ids
//! reserved for batches of rows. Used by the other files of queries; uses none of them.

use super::{Db, dialect};
use crate::StoreError;
use sqlx::{AssertSqlSafe, Transaction};

/// The first of `n` new ids of `table`: the ids after the highest are a batch's, given in order
/// (no reliance on the order `RETURNING` yields). The write transaction holds the write lock
/// on either backend, so no other write takes them; PostgreSQL's identity sequence is moved
/// past them, so that rows inserted without an id do not collide with them.
pub(crate) async fn reserve_ids(tx: &mut Transaction<'_, Db>, table: &str, n: usize) -> Result<i64, StoreError> {
    let first: i64 = sqlx::query_scalar(AssertSqlSafe(format!("SELECT COALESCE(MAX(id), 0) + 1 FROM {table}")))
        .fetch_one(&mut **tx)
        .await?;
    if dialect::POSTGRES && n > 0 {
        sqlx::query(AssertSqlSafe(format!("SELECT setval(pg_get_serial_sequence('{table}', 'id'), $1)")))
            .bind(first + n as i64 - 1)
            .execute(&mut **tx)
            .await?;
    }
    Ok(first)
}

/// Logs a change every page shows (sections, settings): article 0, kind `site`.
pub(crate) async fn log_site_change(tx: &mut Transaction<'_, Db>) -> Result<(), StoreError> {
    log_change(tx, 0, "site").await
}

/// Logs a change of an article that may have left listings: `before` names them (see the
/// `before` column of `article_changes`).
pub(crate) async fn log_change_before(
    tx: &mut Transaction<'_, Db>,
    id: i64,
    kind: &str,
    before: &str,
) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO article_changes (article_id, kind, before) VALUES ($1, $2, $3)")
        .bind(id)
        .bind(kind)
        .bind(before)
        .execute(&mut **tx)
        .await?;
    notify_change(tx).await
}

/// What an article belongs to, as page-cache tags: `s:` its section, `t:`, `u:`, `src:`.
pub(crate) async fn memberships(tx: &mut Transaction<'_, Db>, id: i64) -> Result<String, StoreError> {
    let rows: Vec<(String, i64)> = sqlx::query_as(
        "SELECT 's:', section_id FROM articles WHERE id = $1 \
         UNION ALL SELECT 't:', tag_id FROM article_tags WHERE article_id = $1 \
         UNION ALL SELECT 'u:', author_id FROM article_authors WHERE article_id = $1 \
         UNION ALL SELECT 'src:', source_id FROM article_sources WHERE article_id = $1",
    )
    .bind(id)
    .fetch_all(&mut **tx)
    .await?;
    Ok(rows.iter().map(|(prefix, id)| format!("{prefix}{id}")).collect::<Vec<_>>().join(" "))
}

/// Records that an article changed, in the same transaction as the change.
pub(crate) async fn log_change(tx: &mut Transaction<'_, Db>, id: i64, kind: &str) -> Result<(), StoreError> {
    log_change_before(tx, id, kind, "").await
}

/// Tells the other nodes, when the transaction commits, that the change log grew. PostgreSQL
/// sends one notification per transaction however often this is called; SQLite has no one to
/// tell (other processes poll).
pub(crate) async fn notify_change(tx: &mut Transaction<'_, Db>) -> Result<(), StoreError> {
    if dialect::POSTGRES {
        sqlx::query(AssertSqlSafe(format!("NOTIFY {}", crate::CHANGES_CHANNEL))).execute(&mut **tx).await?;
    }
    Ok(())
}

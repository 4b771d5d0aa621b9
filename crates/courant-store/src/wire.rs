//! The wire desk's items: a file's items stored in one transaction (a newer version replacing
//! the older one in place, the same version twice ignored), and read back for the desk.

use super::{Db, DbRow, Store, dialect, rows};
use crate::types::{StoredWireItem, WireFilter, WireOutcome};
use crate::{StoreError, ts};
use courant_core::{ArticleId, ArticleSummary, WireItem};
use sqlx::{AssertSqlSafe, Row, Transaction};
use time::OffsetDateTime;

const COLUMNS: &str = "id, source, guid, version, headline, byline, dateline, first_created_at, version_created_at, \
                       embargo_at, subjects, pictures, body_html, urgency, link, language, format, received_at, updated_at";

/// A first version of an item: source, guid, then its fields, when it came (`$17`), the feed
/// (`$18`) and its search words (`$19`).
const INSERT: &str = "INSERT INTO wire_items (source, guid, version, headline, byline, dateline, first_created_at, \
                      version_created_at, embargo_at, subjects, pictures, body_html, urgency, link, language, format, \
                      received_at, updated_at, feed_id, search_text) \
                      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $17, $18, $19) \
                      RETURNING id";

/// A newer version of a known item, with the same parameters as [`INSERT`]: it keeps its row,
/// its first arrival and, when the new version names none, its first creation time and feed.
const UPDATE: &str = "UPDATE wire_items SET version = $3, headline = $4, byline = $5, dateline = $6, \
                      first_created_at = COALESCE($7, first_created_at), version_created_at = $8, embargo_at = $9, \
                      subjects = $10, pictures = $11, body_html = $12, urgency = $13, link = $14, language = $15, \
                      format = $16, updated_at = $17, feed_id = COALESCE($18, feed_id), search_text = $19 \
                      WHERE source = $1 AND guid = $2 RETURNING id";

impl Store {
    /// Stores the items of one file or one answer of a feed, received `at`, all or none; says
    /// for each what was done, in order.
    pub(crate) async fn ingest_wire_items(
        &self,
        items: &[WireItem],
        format: &str,
        at: OffsetDateTime,
        feed: Option<i64>,
    ) -> Result<Vec<(i64, WireOutcome)>, StoreError> {
        // The words are made before the write begins: folding a long body holds no lock.
        let texts: Vec<String> = items.iter().map(search_text).collect();
        let mut tx = self.begin().await?;
        let mut outcomes = Vec::with_capacity(items.len());
        for (item, text) in items.iter().zip(&texts) {
            let known: Option<(i64, i64, Option<OffsetDateTime>)> = sqlx::query_as(
                "SELECT id, version, version_created_at FROM wire_items WHERE source = $1 AND guid = $2",
            )
            .bind(&item.source)
            .bind(&item.guid)
            .fetch_optional(&mut *tx)
            .await?;
            let subjects = serde_json::to_string(&item.subjects).map_err(|e| StoreError::Corrupt(e.to_string()))?;
            let pictures = serde_json::to_string(&item.pictures).map_err(|e| StoreError::Corrupt(e.to_string()))?;
            // Both statements take the same parameters: the item as it is now.
            let (sql, outcome) = match known {
                None => (INSERT, WireOutcome::New),
                Some((_, version, made)) if newer(item, version, made) => (UPDATE, WireOutcome::Updated),
                Some((id, ..)) => {
                    outcomes.push((id, WireOutcome::Unchanged));
                    continue;
                }
            };
            let id: i64 = sqlx::query_scalar(sql)
                .bind(&item.source)
                .bind(&item.guid)
                .bind(item.version)
                .bind(&item.headline)
                .bind(&item.byline)
                .bind(&item.dateline)
                .bind(item.first_created.map(ts))
                .bind(item.version_created.map(ts))
                .bind(item.embargo.map(ts))
                .bind(&subjects)
                .bind(&pictures)
                .bind(&item.body_html)
                .bind(item.urgency)
                .bind(&item.link)
                .bind(&item.language)
                .bind(format)
                .bind(ts(at))
                .bind(feed)
                .bind(text)
                .fetch_one(&mut *tx)
                .await?;
            let outcome = (id, outcome);
            outcomes.push(outcome);
        }
        self.commit(tx).await?;
        Ok(outcomes)
    }

    /// The newest items first (by their last version) that `filter` lets through, at most
    /// `limit`, after item `before` of the previous page when given.
    pub(crate) async fn wire_items(
        &self,
        filter: &WireFilter,
        limit: i64,
        before: Option<i64>,
    ) -> Result<Vec<StoredWireItem>, StoreError> {
        let mut words = String::new();
        courant_core::push_search_words(filter.text.as_deref().unwrap_or(""), &mut words);
        let words: Vec<&str> = words.split_whitespace().take(MOST_SEARCH_WORDS).collect();
        let matching = if words.is_empty() { "TRUE".to_string() } else { dialect::wire_match(7) };
        let sql = format!(
            "SELECT {COLUMNS} FROM wire_items w WHERE ($2 IS NULL OR (w.updated_at, w.id) < \
             (SELECT updated_at, id FROM wire_items WHERE id = $2)) \
             AND ($3 IS NULL OR w.source = $3) AND ($4 IS NULL OR w.subjects {} $4 ESCAPE '\\') \
             AND ($5 IS NULL OR w.updated_at >= $5) AND ($6 IS NULL OR w.updated_at >= $6) AND {matching} \
             ORDER BY w.updated_at DESC, w.id DESC LIMIT $1",
            dialect::ILIKE
        );
        // Subjects are stored as a JSON list: a subject is a quoted string in it.
        let subject = filter.subject.as_deref().map(|s| format!("%\"{}\"%", escape_like(s)));
        let mut query = sqlx::query(AssertSqlSafe(sql))
            .bind(limit)
            .bind(before)
            .bind(filter.source.as_deref())
            .bind(subject)
            .bind(filter.since.map(ts))
            .bind(filter.after.map(ts));
        if !words.is_empty() {
            query = query.bind(dialect::wire_query(&words));
        }
        let rows = query.fetch_all(&mut *self.read.get().await?).await?;
        rows.iter().map(stored).collect()
    }

    /// Every source items came from, by name.
    pub(crate) async fn wire_sources(&self) -> Result<Vec<String>, StoreError> {
        Ok(sqlx::query_scalar("SELECT DISTINCT source FROM wire_items ORDER BY source")
            .fetch_all(&mut *self.read.get().await?)
            .await?)
    }

    /// The stories written from an item, newest first.
    pub(crate) async fn stories_from_wire(&self, item: i64) -> Result<Vec<ArticleSummary>, StoreError> {
        let sql = format!(
            "{} JOIN article_wire_items l ON l.article_id = a.id WHERE l.wire_item_id = $1 ORDER BY a.id DESC",
            rows::summary_select()
        );
        let found = sqlx::query(AssertSqlSafe(sql)).bind(item).fetch_all(&mut *self.read.get().await?).await?;
        found.iter().map(rows::summary).collect()
    }

    /// The items a story was written from, in the order they were linked.
    pub(crate) async fn wire_items_of(&self, article: ArticleId) -> Result<Vec<StoredWireItem>, StoreError> {
        let sql = format!(
            "SELECT {} FROM wire_items w JOIN article_wire_items l ON l.wire_item_id = w.id \
             WHERE l.article_id = $1 ORDER BY w.id",
            COLUMNS.split(", ").map(|c| format!("w.{c}")).collect::<Vec<_>>().join(", ")
        );
        let found = sqlx::query(AssertSqlSafe(sql)).bind(article.0).fetch_all(&mut *self.read.get().await?).await?;
        found.iter().map(stored).collect()
    }

    /// Deletes items last changed before `before` that no story was written from; says how
    /// many.
    pub(crate) async fn delete_wire_items_before(&self, before: OffsetDateTime) -> Result<u64, StoreError> {
        let done = sqlx::query(
            "DELETE FROM wire_items WHERE updated_at < $1 \
             AND NOT EXISTS (SELECT 1 FROM article_wire_items l WHERE l.wire_item_id = wire_items.id)",
        )
        .bind(ts(before))
        .execute(&self.write)
        .await?;
        Ok(done.rows_affected())
    }

    /// One item.
    pub(crate) async fn wire_item(&self, id: i64) -> Result<Option<StoredWireItem>, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM wire_items WHERE id = $1");
        let row = sqlx::query(AssertSqlSafe(sql)).bind(id).fetch_optional(&mut *self.read.get().await?).await?;
        row.as_ref().map(stored).transpose()
    }
}

/// Links a story to an item it was written from.
pub(crate) async fn link_wire_item(
    tx: &mut Transaction<'_, Db>,
    article: ArticleId,
    item: i64,
) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO article_wire_items (article_id, wire_item_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
        .bind(article.0)
        .bind(item)
        .execute(&mut **tx)
        .await
        .map_err(|e| super::taxonomy::missing_reference(e, "wire item"))?;
    Ok(())
}

/// The embargoes of the items a story was written from: headline, source and end of each.
pub(crate) async fn wire_embargoes(
    tx: &mut Transaction<'_, Db>,
    article: ArticleId,
) -> Result<Vec<(String, String, OffsetDateTime)>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT w.headline, w.source, w.embargo_at FROM wire_items w JOIN article_wire_items l ON l.wire_item_id = w.id \
         WHERE l.article_id = $1 AND w.embargo_at IS NOT NULL ORDER BY w.embargo_at DESC",
    )
    .bind(article.0)
    .fetch_all(&mut **tx)
    .await?)
}

/// The most words of a desk search that count.
const MOST_SEARCH_WORDS: usize = 16;

/// The most bytes of an item's words that are indexed (PostgreSQL's `tsvector` holds at most
/// 1 MB; the start of a story says what it is about).
const MOST_SEARCH_BYTES: usize = 64 * 1024;

/// What the desk's search finds an item by: its headline, byline, dateline, subjects and copy,
/// folded into words (see `courant_core::push_search_words`).
fn search_text(item: &WireItem) -> String {
    let mut words = String::new();
    for part in [&item.headline, &item.byline, &item.dateline].into_iter().chain(&item.subjects) {
        courant_core::push_search_words(part, &mut words);
    }
    courant_core::push_search_words(&courant_core::html_words(&item.body_html), &mut words);
    if words.len() > MOST_SEARCH_BYTES {
        // At a space (ASCII, so never inside a character of another script).
        let cut = words.as_bytes()[..MOST_SEARCH_BYTES].iter().rposition(|&b| b == b' ').unwrap_or(0);
        words.truncate(cut);
    }
    words
}

/// `%`, `_` and `\` of a LIKE pattern's text, escaped with `\`.
pub(crate) fn escape_like(text: &str) -> String {
    text.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")
}

/// Whether `item` replaces the stored version `version` made at `made`: a higher version, or
/// the same one made later.
fn newer(item: &WireItem, version: i64, made: Option<OffsetDateTime>) -> bool {
    item.version > version
        || (item.version == version
            && matches!((item.version_created, made), (Some(new), Some(old)) if new > old))
}

fn stored(row: &DbRow) -> Result<StoredWireItem, StoreError> {
    let list = |column: &str| -> Result<Vec<String>, StoreError> {
        let text: String = row.try_get(column)?;
        serde_json::from_str(&text).map_err(|e| StoreError::Corrupt(format!("wire_items.{column}: {e}")))
    };
    Ok(StoredWireItem {
        id: row.try_get("id")?,
        item: WireItem {
            source: row.try_get("source")?,
            guid: row.try_get("guid")?,
            version: row.try_get("version")?,
            headline: row.try_get("headline")?,
            byline: row.try_get("byline")?,
            dateline: row.try_get("dateline")?,
            first_created: row.try_get("first_created_at")?,
            version_created: row.try_get("version_created_at")?,
            embargo: row.try_get("embargo_at")?,
            subjects: list("subjects")?,
            body_html: row.try_get("body_html")?,
            pictures: list("pictures")?,
            urgency: row.try_get("urgency")?,
            link: row.try_get("link")?,
            language: row.try_get("language")?,
        },
        format: row.try_get("format")?,
        received_at: row.try_get("received_at")?,
        updated_at: row.try_get("updated_at")?,
    })
}

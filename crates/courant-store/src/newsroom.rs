//! The newsroom's writes and reads: drafts, saves with optimistic concurrency and revisions,
//! workflow moves and scheduled publishing, the audit log, and the lists editors work from.
//! Each write is one transaction with its revision, its audit entry and its change-log entry.

use super::articles::insert_links;
use super::changes::{log_change, log_change_before, memberships};
use super::taxonomy::{SlugKind, missing_reference, unique_slug};
use super::{Db, dialect};
use super::{Store, rows};
use crate::types::*;
use crate::{Page, StoreError, ts};
use courant_core::*;
use sqlx::{AssertSqlSafe, Row, Transaction};
use time::OffsetDateTime;

/// Records an action in the audit log, inside the transaction that does it.
pub(crate) async fn audit(
    tx: &mut Transaction<'_, Db>,
    at: OffsetDateTime,
    by: Option<UserId>,
    action: AuditAction,
    article: Option<ArticleId>,
    subject: &str,
    detail: &str,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO audit_log (at, user_id, action, article_id, subject, detail) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(ts(at))
    .bind(by.map(|u| u.0))
    .bind(action.as_str())
    .bind(article.map(|a| a.0))
    .bind(subject)
    .bind(detail)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The ids of the tags with these names, created when new; each once, in order.
pub(crate) async fn tag_ids(tx: &mut Transaction<'_, Db>, names: &[String]) -> Result<Vec<i64>, StoreError> {
    let mut ids = Vec::new();
    for name in names {
        let name = name.trim();
        if name.is_empty() {
            continue;
        }
        let mut slug = courant_core::slugify(name);
        if slug.is_empty() {
            return Err(Invalid { field: "tags", message: format!("{name:?} is not a usable tag") }.into());
        }
        slug.truncate(courant_core::slug::MAX_SLUG_LEN);
        sqlx::query("INSERT INTO tags (slug, name) VALUES ($1, $2) ON CONFLICT (slug) DO NOTHING")
            .bind(&slug)
            .bind(name)
            .execute(&mut **tx)
            .await?;
        let id: i64 =
            sqlx::query_scalar("SELECT id FROM tags WHERE slug = $1").bind(&slug).fetch_one(&mut **tx).await?;
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    Ok(ids)
}

async fn insert_revision(
    tx: &mut Transaction<'_, Db>,
    article: i64,
    version: i64,
    by: Option<UserId>,
    at: OffsetDateTime,
    content: &ArticleDraft,
    note: &str,
    conflict: bool,
) -> Result<i64, StoreError> {
    let json = serde_json::to_string(content).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    Ok(sqlx::query_scalar(
        "INSERT INTO revisions (article_id, version, user_id, created_at, content, note, conflict) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(article)
    .bind(version)
    .bind(by.map(|u| u.0))
    .bind(ts(at))
    .bind(json)
    .bind(note)
    .bind(conflict)
    .fetch_one(&mut **tx)
    .await?)
}

fn link_ids(draft: &ArticleDraft, tags: Vec<i64>) -> [Vec<i64>; 4] {
    [
        draft.author_ids.iter().map(|x| x.0).collect(),
        tags,
        draft.source_ids.iter().map(|x| x.0).collect(),
        draft.related_ids.iter().map(|x| x.0).collect(),
    ]
}

pub(crate) fn meta(row: &super::DbRow) -> Result<ArticleMeta, StoreError> {
    Ok(ArticleMeta {
        id: ArticleId(row.try_get("id")?),
        headline: row.try_get("headline")?,
        status: rows::status(row)?,
        version: row.try_get("version")?,
        owner_id: row.try_get::<Option<i64>, _>("owner_id")?.map(UserId),
    })
}

const META_SQL: &str = "SELECT id, headline, status, version, owner_id FROM articles WHERE id = $1";

/// What the newsroom needs to know of an article, read inside a write: after the write lock, so
/// it is what the write will change.
pub(crate) async fn article_meta(tx: &mut Transaction<'_, Db>, id: ArticleId) -> Result<Option<ArticleMeta>, StoreError> {
    let row = sqlx::query(META_SQL).bind(id.0).fetch_optional(&mut **tx).await?;
    row.as_ref().map(meta).transpose()
}

impl Store {
    /// What the newsroom needs to know of an article to authorise an action on it.
    pub async fn article_meta(&self, id: ArticleId) -> Result<Option<ArticleMeta>, StoreError> {
        let row = sqlx::query(META_SQL).bind(id.0).fetch_optional(&mut *self.read.get().await?).await?;
        row.as_ref().map(meta).transpose()
    }

    /// The ids of an article's pinned related articles, in order, whatever their status.
    pub async fn pinned_related(&self, id: ArticleId) -> Result<Vec<ArticleId>, StoreError> {
        let ids: Vec<i64> =
            sqlx::query_scalar("SELECT related_id FROM article_related WHERE article_id = $1 ORDER BY position")
                .bind(id.0)
                .fetch_all(&mut *self.read.get().await?)
                .await?;
        Ok(ids.into_iter().map(ArticleId).collect())
    }

    /// Creates a draft owned by `owner`, with its first revision, in a transaction of its own.
    pub async fn create_article(
        &self,
        draft: &ArticleDraft,
        owner: UserId,
        at: OffsetDateTime,
    ) -> Result<ArticleId, StoreError> {
        let mut tx = self.begin().await?;
        let id = create_article(&mut tx, draft, owner, at).await?;
        self.commit(tx).await?;
        Ok(id)
    }

    /// Saves new content over version `base_version` of an article, in a transaction of its own
    /// (see [`save_article`]).
    pub async fn save_article(
        &self,
        id: ArticleId,
        base_version: i64,
        draft: &ArticleDraft,
        by: UserId,
        at: OffsetDateTime,
        note: &str,
    ) -> Result<SaveOutcome, StoreError> {
        let mut tx = self.begin().await?;
        let outcome = save_article(&mut tx, id, base_version, draft, by, at, note).await?;
        self.commit(tx).await?;
        Ok(outcome)
    }

    /// Moves an article through the workflow, in a transaction of its own (see [`move_article`]).
    pub async fn move_article(
        &self,
        id: ArticleId,
        to: Status,
        by: Option<UserId>,
        at: OffsetDateTime,
        when: Option<OffsetDateTime>,
    ) -> Result<Status, StoreError> {
        let mut tx = self.begin().await?;
        let from = move_article(&mut tx, id, to, by, at, when, "").await?;
        self.commit(tx).await?;
        Ok(from)
    }

    /// Publishes every scheduled article whose time has come, each exactly once (a second
    /// caller, or a second node, finds it published already); returns those it published.
    pub async fn publish_due(&self, now: OffsetDateTime) -> Result<Vec<ArticleId>, StoreError> {
        let due: Vec<i64> = sqlx::query_scalar(
            "SELECT id FROM articles WHERE status = 'scheduled' AND published_at <= $1 ORDER BY published_at, id",
        )
        .bind(ts(now))
        .fetch_all(&mut *self.read.get().await?)
        .await?;
        let mut published = Vec::new();
        for id in due {
            let mut tx = self.begin().await?;
            let headline: Option<String> = sqlx::query_scalar(
                "UPDATE articles SET status = 'published', updated_at = $1, version = version + 1 \
                 WHERE id = $2 AND status = 'scheduled' AND published_at <= $1 RETURNING headline",
            )
            .bind(ts(now))
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
            let Some(headline) = headline else {
                continue;
            };
            log_change(&mut tx, id, "published").await?;
            audit(&mut tx, now, None, AuditAction::Published, Some(ArticleId(id)), &headline, "on schedule").await?;
            self.commit(tx).await?;
            published.push(ArticleId(id));
        }
        Ok(published)
    }

    /// When the next scheduled article is due.
    pub async fn next_scheduled(&self) -> Result<Option<OffsetDateTime>, StoreError> {
        Ok(sqlx::query_scalar("SELECT MIN(published_at) FROM articles WHERE status = 'scheduled'")
            .fetch_one(&mut *self.read.get().await?)
            .await?)
    }

    /// Appends a correction as `by`, logged in the audit log, in a transaction of its own.
    pub async fn correct_article(
        &self,
        id: ArticleId,
        text: &str,
        by: UserId,
        at: OffsetDateTime,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        correct_article(&mut tx, id, text, by, at).await?;
        self.commit(tx).await
    }

    /// An article's revisions, newest first.
    pub async fn revisions(&self, article: ArticleId) -> Result<Vec<RevisionInfo>, StoreError> {
        let rows = sqlx::query(
            "SELECT r.id, r.version, u.name AS user_name, r.created_at, r.note, r.conflict FROM revisions r \
             LEFT JOIN users u ON u.id = r.user_id WHERE r.article_id = $1 ORDER BY r.id DESC",
        )
        .bind(article.0)
        .fetch_all(&mut *self.read.get().await?)
        .await?;
        rows.iter().map(revision_info).collect()
    }

    /// One revision of an article, with its content.
    pub async fn revision(&self, article: ArticleId, id: i64) -> Result<Option<Revision>, StoreError> {
        let row = sqlx::query(
            "SELECT r.id, r.version, u.name AS user_name, r.created_at, r.note, r.conflict, r.content \
             FROM revisions r LEFT JOIN users u ON u.id = r.user_id WHERE r.article_id = $1 AND r.id = $2",
        )
        .bind(article.0)
        .bind(id)
        .fetch_optional(&mut *self.read.get().await?)
        .await?;
        let Some(row) = row else {
            return Ok(None);
        };
        let json: String = row.try_get("content")?;
        let content = serde_json::from_str(&json).map_err(|e| StoreError::Corrupt(format!("revision {id}: {e}")))?;
        Ok(Some(Revision { info: revision_info(&row)?, content }))
    }

    /// The audit log, newest first: `limit` entries older than entry `before` (all when none).
    pub async fn audit_log(&self, limit: i64, before: Option<i64>) -> Result<Vec<AuditEntry>, StoreError> {
        let rows = sqlx::query(
            "SELECT l.id, l.at, u.name AS user_name, l.action, l.article_id, l.subject, l.detail \
             FROM audit_log l LEFT JOIN users u ON u.id = l.user_id \
             WHERE l.id < $1 ORDER BY l.id DESC LIMIT $2",
        )
        .bind(before.unwrap_or(i64::MAX))
        .bind(limit)
        .fetch_all(&mut *self.read.get().await?)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(AuditEntry {
                    id: row.try_get("id")?,
                    at: row.try_get("at")?,
                    user_name: row.try_get("user_name")?,
                    action: row.try_get("action")?,
                    article_id: row.try_get::<Option<i64>, _>("article_id")?.map(ArticleId),
                    subject: row.try_get("subject")?,
                    detail: row.try_get("detail")?,
                })
            })
            .collect()
    }

    /// Articles in any status for the newsroom, last changed first.
    pub async fn newsroom_articles(
        &self,
        filter: &NewsroomFilter,
        limit: i64,
        offset: i64,
    ) -> Result<Page<NewsroomItem>, StoreError> {
        let mut parts = Vec::new();
        let mut binds: Vec<String> = Vec::new();
        let mut mark = |v: String| {
            binds.push(v);
            format!("${}", binds.len())
        };
        if let Some(s) = filter.status {
            parts.push(format!("a.status = {}", mark(s.as_str().into())));
        }
        if let Some(s) = filter.section {
            parts.push(format!("a.section_id = CAST({} AS INTEGER)", mark(s.0.to_string())));
        }
        if let Some(au) = filter.author {
            parts.push(format!(
                "EXISTS (SELECT 1 FROM article_authors x WHERE x.article_id = a.id AND x.author_id = CAST({} AS INTEGER))",
                mark(au.0.to_string())
            ));
        }
        if let Some(o) = filter.owner {
            parts.push(format!("a.owner_id = CAST({} AS INTEGER)", mark(o.0.to_string())));
        }
        if !filter.text.trim().is_empty() {
            parts.push(format!("a.headline {} {} ESCAPE '\\'", dialect::ILIKE, mark(like_pattern(&filter.text))));
        }
        let condition = if parts.is_empty() { "TRUE".to_string() } else { parts.join(" AND ") };
        let count_sql = format!("SELECT COUNT(*) FROM articles a WHERE {condition}");
        let mut count = sqlx::query_scalar(AssertSqlSafe(count_sql));
        for b in &binds {
            count = count.bind(b);
        }
        let total: i64 = count.fetch_one(&mut *self.read.get().await?).await?;
        let list_sql = format!(
            "{}, a.version, ow.name AS owner_name {} LEFT JOIN users ow ON ow.id = a.owner_id \
             WHERE {condition} ORDER BY a.updated_at DESC, a.id DESC LIMIT {limit} OFFSET {offset}",
            summary_columns(),
            summary_from(),
            limit = limit.clamp(1, 200),
            offset = offset.max(0),
        );
        let mut list = sqlx::query(AssertSqlSafe(list_sql));
        for b in &binds {
            list = list.bind(b);
        }
        let rows = list.fetch_all(&mut *self.read.get().await?).await?;
        let mut items = Vec::with_capacity(rows.len());
        for row in &rows {
            let summary = rows::summary(row)?;
            let authors: Vec<String> = sqlx::query_scalar(
                "SELECT au.name FROM article_authors aa JOIN authors au ON au.id = aa.author_id \
                 WHERE aa.article_id = $1 ORDER BY aa.position",
            )
            .bind(summary.id.0)
            .fetch_all(&mut *self.read.get().await?)
            .await?;
            items.push(NewsroomItem {
                summary,
                version: row.try_get("version")?,
                owner_name: row.try_get("owner_name")?,
                authors,
            });
        }
        Ok(Page { items, total })
    }

    /// Headlines matching `text`, for picking related articles: published ones first.
    pub async fn find_headlines(&self, text: &str, limit: i64) -> Result<Vec<ArticleSummary>, StoreError> {
        let sql = format!(
            "{} WHERE a.headline {} $1 ESCAPE '\\' AND a.status = 'published' \
             ORDER BY a.published_at DESC LIMIT $2",
            rows::summary_select(),
            dialect::ILIKE
        );
        let rows = sqlx::query(AssertSqlSafe(sql))
            .bind(like_pattern(text))
            .bind(limit)
            .fetch_all(&mut *self.read.get().await?)
            .await?;
        rows.iter().map(rows::summary).collect()
    }
}

/// Creates a draft owned by `owner`, with its first revision.
pub(crate) async fn create_article(
    tx: &mut Transaction<'_, Db>,
    draft: &ArticleDraft,
    owner: UserId,
    at: OffsetDateTime,
) -> Result<ArticleId, StoreError> {
    draft.validate()?;
    let section = draft.section_id.ok_or(StoreError::NotFound("section"))?;
    let wanted = (!draft.slug.is_empty()).then_some(draft.slug.as_str());
    let slug = unique_slug(tx, SlugKind::Article, wanted, &draft.headline).await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO articles (slug, headline, standfirst, body, hero_image_id, section_id, status, \
         created_at, updated_at, version, owner_id) VALUES ($1, $2, $3, $4, $5, $6, 'draft', $7, $7, 1, $8) \
         RETURNING id",
    )
    .bind(&slug)
    .bind(draft.headline.trim())
    .bind(draft.standfirst.trim())
    .bind(&draft.body)
    .bind(draft.hero_image_id.map(|i| i.0))
    .bind(section.0)
    .bind(ts(at))
    .bind(owner.0)
    .fetch_one(&mut **tx)
    .await
    .map_err(|e| missing_reference(e, "section or hero image"))?;
    let tags = tag_ids(tx, &draft.tags).await?;
    insert_links(tx, id, link_ids(draft, tags)).await?;
    let saved = ArticleDraft { slug, ..draft.clone() };
    insert_revision(tx, id, 1, Some(owner), at, &saved, "created", false).await?;
    audit(tx, at, Some(owner), AuditAction::Created, Some(ArticleId(id)), draft.headline.trim(), "").await?;
    log_change(tx, id, "created").await?;
    Ok(ArticleId(id))
}

/// Saves new content over version `base_version` of an article. When someone saved since,
/// nothing is overwritten: the writer's content is kept as a conflict revision and the
/// outcome says so. A published article keeps its URL date; a changed slug keeps the old
/// one as a redirect.
pub(crate) async fn save_article(
    tx: &mut Transaction<'_, Db>,
    id: ArticleId,
    base_version: i64,
    draft: &ArticleDraft,
    by: UserId,
    at: OffsetDateTime,
    note: &str,
) -> Result<SaveOutcome, StoreError> {
    draft.validate()?;
    let section = draft.section_id.ok_or(StoreError::NotFound("section"))?;
    let row = sqlx::query("SELECT version, status, slug FROM articles WHERE id = $1")
        .bind(id.0)
        .fetch_optional(&mut **tx)
        .await?
        .ok_or(StoreError::NotFound("article"))?;
    let current: i64 = row.try_get("version")?;
    let status = rows::status(&row)?;
    let old_slug: String = row.try_get("slug")?;
    if current != base_version {
        let revision = insert_revision(tx, id.0, base_version, Some(by), at, draft, "conflict", true).await?;
        return Ok(SaveOutcome::Conflict { current_version: current, revision });
    }
    let mut slug = old_slug.clone();
    if !draft.slug.is_empty() && draft.slug != old_slug {
        sqlx::query("DELETE FROM article_slug_history WHERE old_slug = $1 AND article_id = $2")
            .bind(&draft.slug)
            .bind(id.0)
            .execute(&mut **tx)
            .await?;
        slug = unique_slug(tx, SlugKind::Article, Some(&draft.slug), &draft.headline).await?;
        // Only a URL readers may have seen needs to keep working.
        if matches!(status, Status::Published | Status::Unpublished) {
            sqlx::query("INSERT INTO article_slug_history (old_slug, article_id) VALUES ($1, $2)")
                .bind(&old_slug)
                .bind(id.0)
                .execute(&mut **tx)
                .await?;
            let detail = format!("{old_slug} → {slug}");
            audit(tx, at, Some(by), AuditAction::SlugChanged, Some(id), draft.headline.trim(), &detail)
                .await?;
        }
    }
    let version = current + 1;
    let before = memberships(tx, id.0).await?;
    sqlx::query(
        "UPDATE articles SET slug = $1, headline = $2, standfirst = $3, body = $4, hero_image_id = $5, \
         section_id = $6, updated_at = $7, version = $8 WHERE id = $9",
    )
    .bind(&slug)
    .bind(draft.headline.trim())
    .bind(draft.standfirst.trim())
    .bind(&draft.body)
    .bind(draft.hero_image_id.map(|i| i.0))
    .bind(section.0)
    .bind(ts(at))
    .bind(version)
    .bind(id.0)
    .execute(&mut **tx)
    .await
    .map_err(|e| missing_reference(e, "section or hero image"))?;
    for table in ["article_authors", "article_tags", "article_sources", "article_related"] {
        sqlx::query(AssertSqlSafe(format!("DELETE FROM {table} WHERE article_id = $1")))
            .bind(id.0)
            .execute(&mut **tx)
            .await?;
    }
    let tags = tag_ids(tx, &draft.tags).await?;
    insert_links(tx, id.0, link_ids(draft, tags)).await?;
    let saved = ArticleDraft { slug, ..draft.clone() };
    insert_revision(tx, id.0, version, Some(by), at, &saved, note, false).await?;
    log_change_before(tx, id.0, "updated", &before).await?;
    Ok(SaveOutcome::Saved { version })
}

/// Moves an article through the workflow, logged as done by `by` (none for the system), with
/// `note` (why, in the mover's words; may be empty) as the audit entry's detail. Scheduling
/// needs `when`, the publication time; it becomes the article's date. Publishing fixes the date
/// on first publication, and a cancelled schedule forgets its planned time.
pub(crate) async fn move_article(
    tx: &mut Transaction<'_, Db>,
    id: ArticleId,
    to: Status,
    by: Option<UserId>,
    at: OffsetDateTime,
    when: Option<OffsetDateTime>,
    note: &str,
) -> Result<Status, StoreError> {
    let before = sqlx::query(META_SQL)
        .bind(id.0)
        .fetch_optional(&mut **tx)
        .await?
        .as_ref()
        .map(meta)
        .transpose()?
        .ok_or(StoreError::NotFound("article"))?;
    let from = before.status;
    if !from.can_become(to) {
        return Err(StoreError::Transition { from, to });
    }
    let published_at = match (from, to) {
        (_, Status::Scheduled) if when.is_some() => "$5",
        (_, Status::Scheduled) => "COALESCE(published_at, $2)",
        (Status::Scheduled, Status::Published) => "$2",
        (Status::Scheduled, _) => "NULL",
        (_, Status::Published) => "COALESCE(published_at, $2)",
        _ => "published_at",
    };
    let sql = format!(
        "UPDATE articles SET status = $1, updated_at = $2, published_at = {published_at}, \
         version = version + 1 WHERE id = $3 AND status = $4"
    );
    sqlx::query(AssertSqlSafe(sql))
        .bind(to.as_str())
        .bind(ts(at))
        .bind(id.0)
        .bind(from.as_str())
        .bind(when.map(ts))
        .execute(&mut **tx)
        .await?;
    let kind = match to {
        Status::Published => "published",
        Status::Unpublished => "unpublished",
        _ => "status",
    };
    log_change(tx, id.0, kind).await?;
    let detail = match (to, when) {
        (Status::Scheduled, Some(when)) if note.is_empty() => ts(when).to_string(),
        (Status::Scheduled, Some(when)) => format!("{}; {note}", ts(when)),
        _ => note.to_string(),
    };
    audit(tx, at, by, AuditAction::of_move(from, to), Some(id), &before.headline, &detail).await?;
    Ok(from)
}

/// Appends a correction as `by`, logged in the audit log.
pub(crate) async fn correct_article(
    tx: &mut Transaction<'_, Db>,
    id: ArticleId,
    text: &str,
    by: UserId,
    at: OffsetDateTime,
) -> Result<(), StoreError> {
    super::articles::add_correction_tx(tx, id, text, at).await?;
    let headline: String =
        sqlx::query_scalar("SELECT headline FROM articles WHERE id = $1").bind(id.0).fetch_one(&mut **tx).await?;
    audit(tx, at, Some(by), AuditAction::Corrected, Some(id), &headline, text.trim()).await?;
    Ok(())
}


fn summary_columns() -> String {
    let select = rows::summary_select();
    let from = select.find(" FROM ").unwrap_or(select.len());
    select[..from].to_string()
}

fn summary_from() -> String {
    let select = rows::summary_select();
    let from = select.find(" FROM ").unwrap_or(select.len());
    select[from..].to_string()
}

fn revision_info(row: &super::DbRow) -> Result<RevisionInfo, StoreError> {
    Ok(RevisionInfo {
        id: row.try_get("id")?,
        version: row.try_get("version")?,
        user_name: row.try_get("user_name")?,
        created_at: row.try_get("created_at")?,
        note: row.try_get("note")?,
        conflict: row.try_get("conflict")?,
    })
}

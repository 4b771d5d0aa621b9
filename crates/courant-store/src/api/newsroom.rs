//! The newsroom: drafts, saves with optimistic concurrency and revisions, workflow moves and
//! scheduled publishing, the audit log, and the lists editors work from. The SQL is in
//! `src/newsroom.rs`.

use crate::types::*;
use crate::{Backend, Store, StoreError};
use courant_core::*;
use time::OffsetDateTime;

impl Store {
    /// What the newsroom needs to know of an article to authorise an action on it.
    pub async fn article_meta(&self, id: ArticleId) -> Result<Option<ArticleMeta>, StoreError> {
        on_backend!(self, b => b.article_meta(id).await)
    }

    /// The ids of an article's pinned related articles, in order, whatever their status.
    pub async fn pinned_related(&self, id: ArticleId) -> Result<Vec<ArticleId>, StoreError> {
        on_backend!(self, b => b.pinned_related(id).await)
    }

    /// Creates a draft owned by `owner` and returns its id, in one transaction with its first
    /// revision, its audit entry and its change-log entry. The slug is the draft's when given, else
    /// derived from the headline, and made unique; tags are created by name as needed.
    pub async fn create_article(
        &self,
        draft: &ArticleDraft,
        owner: UserId,
        at: OffsetDateTime,
    ) -> Result<ArticleId, StoreError> {
        on_backend!(self, b => b.create_article(draft, owner, at).await)
    }

    /// Saves new content over version `base_version` of an article, in one transaction with its
    /// revision and its change-log entry. When someone saved since `base_version`, nothing is
    /// overwritten: the writer's content is kept as a conflict revision and the outcome says so. A
    /// published article keeps its URL date; a changed slug of an article readers may have seen
    /// keeps the old one as a redirect.
    pub async fn save_article(
        &self,
        id: ArticleId,
        base_version: i64,
        draft: &ArticleDraft,
        by: UserId,
        at: OffsetDateTime,
        note: &str,
    ) -> Result<SaveOutcome, StoreError> {
        on_backend!(self, b => b.save_article(id, base_version, draft, by, at, note).await)
    }

    /// Moves an article through the workflow, in one transaction, logged in the audit log as done
    /// by `by` (none for the system); returns the status it left. Scheduling takes `when`, the
    /// publication time, as the article's date (without it, the article keeps its date or takes
    /// `at`). Publishing fixes the date on first publication, and a cancelled schedule forgets its
    /// planned time. A move the workflow does not allow is refused.
    pub async fn move_article(
        &self,
        id: ArticleId,
        to: Status,
        by: Option<UserId>,
        at: OffsetDateTime,
        when: Option<OffsetDateTime>,
    ) -> Result<Status, StoreError> {
        on_backend!(self, b => b.move_article(id, to, by, at, when).await)
    }

    /// Publishes every scheduled article whose time has come, each exactly once (a second
    /// caller, or a second node, finds it published already); returns those it published.
    pub async fn publish_due(&self, now: OffsetDateTime) -> Result<Vec<ArticleId>, StoreError> {
        on_backend!(self, b => b.publish_due(now).await)
    }

    /// When the next scheduled article is due; none when nothing is scheduled.
    pub async fn next_scheduled(&self) -> Result<Option<OffsetDateTime>, StoreError> {
        on_backend!(self, b => b.next_scheduled().await)
    }

    /// Appends a correction as `by`, logged in the audit log, in one transaction; the article
    /// counts as updated.
    pub async fn correct_article(
        &self,
        id: ArticleId,
        text: &str,
        by: UserId,
        at: OffsetDateTime,
    ) -> Result<(), StoreError> {
        on_backend!(self, b => b.correct_article(id, text, by, at).await)
    }

    /// An article's revisions, without their content, newest first.
    pub async fn revisions(&self, article: ArticleId) -> Result<Vec<RevisionInfo>, StoreError> {
        on_backend!(self, b => b.revisions(article).await)
    }

    /// One revision of an article, with its content; none when the article has no revision
    /// `id`.
    pub async fn revision(&self, article: ArticleId, id: i64) -> Result<Option<Revision>, StoreError> {
        on_backend!(self, b => b.revision(article, id).await)
    }

    /// The audit log, newest first: `limit` entries older than entry `before` (from the newest
    /// when none).
    pub async fn audit_log(&self, limit: i64, before: Option<i64>) -> Result<Vec<AuditEntry>, StoreError> {
        on_backend!(self, b => b.audit_log(limit, before).await)
    }

    /// Articles in any status matching `filter`, for the newsroom's list, last changed first:
    /// `limit` of them (at most 200) after skipping `offset`, with how many match in all.
    pub async fn newsroom_articles(
        &self,
        filter: &NewsroomFilter,
        limit: i64,
        offset: i64,
    ) -> Result<Page<NewsroomItem>, StoreError> {
        on_backend!(self, b => b.newsroom_articles(filter, limit, offset).await)
    }

    /// Published articles whose headline contains `text` (ignoring case), newest first, at most
    /// `limit`: for picking related articles.
    pub async fn find_headlines(&self, text: &str, limit: i64) -> Result<Vec<ArticleSummary>, StoreError> {
        on_backend!(self, b => b.find_headlines(text, limit).await)
    }
}

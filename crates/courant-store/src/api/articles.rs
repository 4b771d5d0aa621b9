//! Articles: writing them with their links, reading one whole for its page, and listing
//! published ones for the site's pages. The SQL is in `src/articles.rs`.

use crate::types::*;
use crate::{Backend, Store, StoreError};
use courant_core::*;
use time::OffsetDateTime;

impl Store {
    /// Stores a new article with all its links (authors, tags, sources, pinned related
    /// articles); returns its id. The slug is derived from the headline unless one is given, and
    /// made unique.
    pub async fn insert_article(&self, new: &NewArticle) -> Result<ArticleId, StoreError> {
        on_backend!(self, b => b.insert_article(new).await)
    }

    /// Stores many articles with their links in one transaction (imports, the demo): all or
    /// none. Returns their ids, in the order given. Each slug is derived from its headline unless
    /// one is given, and made unique among the store's and each other's.
    pub async fn insert_articles(&self, new: &[NewArticle]) -> Result<Vec<ArticleId>, StoreError> {
        on_backend!(self, b => b.insert_articles(new).await)
    }

    /// Adds many dated corrections, (article, text, date), in one transaction (imports, the
    /// demo): all or none. Each article counts as updated.
    pub async fn add_corrections(&self, corrections: &[NewCorrection]) -> Result<(), StoreError> {
        on_backend!(self, b => b.add_corrections(corrections).await)
    }

    /// Moves an article to another status as the system, with no user acting and no planned
    /// time (see [`Store::move_article`]).
    pub async fn set_status(&self, id: ArticleId, to: Status, at: OffsetDateTime) -> Result<(), StoreError> {
        on_backend!(self, b => b.set_status(id, to, at).await)
    }

    /// Gives an article a new slug and returns it: `wanted`, or `wanted` with a number appended
    /// when that is taken. The old slug keeps redirecting to the article. A `wanted` that is not a
    /// valid slug is refused.
    pub async fn rename_slug(&self, id: ArticleId, wanted: &str) -> Result<String, StoreError> {
        on_backend!(self, b => b.rename_slug(id, wanted).await)
    }

    /// Appends a correction to an article, dated `at`; the article counts as updated.
    pub async fn add_correction(&self, id: ArticleId, text: &str, at: OffsetDateTime) -> Result<(), StoreError> {
        on_backend!(self, b => b.add_correction(id, text, at).await)
    }

    /// The article with this slug, whole, in any status.
    pub async fn article_by_slug(&self, slug: &str) -> Result<Option<Article>, StoreError> {
        on_backend!(self, b => b.article_by_slug(slug).await)
    }

    /// What a story's page reads, in one statement: the article with this slug, whole, in any
    /// status, and its related stories as last found by the search index, those still
    /// published, best first (`None` when never found). `sections` must be all sections as
    /// [`Store::sections`] gives them (the site keeps them in memory between changes).
    pub async fn article_page_by_slug(
        &self,
        slug: &str,
        sections: &[Section],
    ) -> Result<Option<ArticleRead>, StoreError> {
        on_backend!(self, b => b.article_page_by_slug(slug, sections).await)
    }

    /// The article that used to have `old_slug`, if it was renamed (for redirecting old
    /// URLs).
    pub async fn renamed_article(&self, old_slug: &str) -> Result<Option<ArticleSummary>, StoreError> {
        on_backend!(self, b => b.renamed_article(old_slug).await)
    }

    /// The article with this id, whole, in any status.
    pub async fn article(&self, id: ArticleId) -> Result<Option<Article>, StoreError> {
        on_backend!(self, b => b.article(id).await)
    }

    /// The articles with these ids that exist, whole, in any status, in the order given.
    pub async fn articles(&self, ids: &[ArticleId]) -> Result<Vec<Article>, StoreError> {
        on_backend!(self, b => b.articles(ids).await)
    }

    /// Published articles matching `filter`, newest first: `limit` of them after skipping
    /// `offset`, with how many match in all (for paging).
    pub async fn published(
        &self,
        filter: &ArticleFilter,
        limit: i64,
        offset: i64,
    ) -> Result<Page<ArticleSummary>, StoreError> {
        on_backend!(self, b => b.published(filter, limit, offset).await)
    }

    /// How many published articles match `filter`.
    pub async fn count_published(&self, filter: &ArticleFilter) -> Result<i64, StoreError> {
        on_backend!(self, b => b.count_published(filter).await)
    }

    /// Like [`Store::published`] without counting: for teasers and boxes that never page.
    pub async fn latest(
        &self,
        filter: &ArticleFilter,
        limit: i64,
        offset: i64,
    ) -> Result<Vec<ArticleSummary>, StoreError> {
        on_backend!(self, b => b.latest(filter, limit, offset).await)
    }

    /// Published articles matching every condition of `query`, newest first: `limit` of them
    /// after skipping `offset`.
    pub async fn query_published(
        &self,
        query: &ArticleQuery,
        limit: i64,
        offset: i64,
    ) -> Result<Vec<ArticleSummary>, StoreError> {
        on_backend!(self, b => b.query_published(query, limit, offset).await)
    }

    /// Articles changed after change number `after`, in order, at most `limit`: (change number,
    /// article). An article changed twice appears twice.
    pub async fn changes_since(&self, after: i64, limit: i64) -> Result<Vec<LoggedChange>, StoreError> {
        on_backend!(self, b => b.changes_since(after, limit).await)
    }

    /// The number of the latest change, 0 when nothing has changed yet.
    pub async fn last_change(&self) -> Result<i64, StoreError> {
        on_backend!(self, b => b.last_change().await)
    }

    /// Published articles with their text and links, in id order after `after_id`, at most
    /// `limit`: what a search index needs.
    pub async fn texts_for_index(&self, after_id: ArticleId, limit: i64) -> Result<Vec<ArticleText>, StoreError> {
        on_backend!(self, b => b.texts_for_index(after_id, limit).await)
    }

    /// The ids of every published article matching `filter`, newest first (as
    /// [`Store::published`] lists them): a listing whole, to page through in memory.
    pub async fn published_ids(&self, filter: &ArticleFilter) -> Result<Vec<ArticleId>, StoreError> {
        on_backend!(self, b => b.published_ids(filter).await)
    }

    /// Summaries of the published articles among `ids`, in the order of `ids`; ids of articles
    /// that do not exist or are not published are left out.
    pub async fn published_summaries(&self, ids: &[ArticleId]) -> Result<Vec<ArticleSummary>, StoreError> {
        on_backend!(self, b => b.published_summaries(ids).await)
    }

    /// The months that have published articles, newest first, with how many and when the
    /// latest of them changed.
    pub async fn published_months(&self) -> Result<Vec<PublishedMonth>, StoreError> {
        on_backend!(self, b => b.published_months().await)
    }
}

//! Articles: writing them with their links (authors, tags, sources, pinned related articles),
//! reading one whole for its page, and listing published ones for the site's pages.

use super::changes::{log_change, notify_change, reserve_ids};
use super::taxonomy::{SlugKind, missing_reference, unique_slug, unique_slugs};
use super::{Db, dialect};
use super::{Store, rows};
use crate::types::*;
use crate::{StoreError, ts};
use courant_core::*;
use sqlx::{AssertSqlSafe, Transaction};
use time::OffsetDateTime;

/// Binds a filter's values to a query, in order.
macro_rules! bind_all {
    ($query:expr, $binds:expr) => {{
        let mut q = $query;
        for b in $binds {
            q = match b {
                Bind::Id(id) => q.bind(*id),
                Bind::Time(t) => q.bind(*t),
            };
        }
        q
    }};
}

impl Store {
    /// Stores a new article with all its links; returns its id. The slug is derived from the
    /// headline unless one is given, and made unique.
    pub async fn insert_article(&self, new: &NewArticle) -> Result<ArticleId, StoreError> {
        let ids = self.insert_articles(std::slice::from_ref(new)).await?;
        ids.first().copied().ok_or(StoreError::NotFound("article"))
    }

    /// Stores many articles in one transaction (imports, the demo): all or none. Their slugs
    /// are checked, and their rows, links and change-log entries stored, in a few statements
    /// per few hundred articles.
    pub async fn insert_articles(&self, new: &[NewArticle]) -> Result<Vec<ArticleId>, StoreError> {
        let mut tx = self.begin().await?;
        let ids = insert_articles(&mut tx, new).await?;
        self.commit(tx).await?;
        Ok(ids)
    }

    /// Adds many dated corrections in one transaction (imports, the demo): all or none.
    pub async fn add_corrections(&self, corrections: &[NewCorrection]) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        for c in corrections {
            add_correction_tx(&mut tx, c.article, &c.text, c.at).await?;
        }
        self.commit(tx).await
    }

    /// Moves an article to another status, as the system (see [`Store::move_article`]).
    pub async fn set_status(&self, id: ArticleId, to: Status, at: OffsetDateTime) -> Result<(), StoreError> {
        self.move_article(id, to, None, at, None).await.map(|_| ())
    }

    /// Gives an article a new slug; the old one keeps redirecting to it.
    pub async fn rename_slug(&self, id: ArticleId, wanted: &str) -> Result<String, StoreError> {
        if !courant_core::slug::is_valid_slug(wanted) {
            return Err(
                Invalid { field: "slug", message: "use lowercase letters, digits and single hyphens".into() }.into()
            );
        }
        let mut tx = self.begin().await?;
        let old: String = sqlx::query_scalar("SELECT slug FROM articles WHERE id = $1")
            .bind(id.0)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound("article"))?;
        if old == wanted {
            return Ok(old);
        }
        // A slug this article had before is free for it to take back.
        sqlx::query("DELETE FROM article_slug_history WHERE old_slug = $1 AND article_id = $2")
            .bind(wanted)
            .bind(id.0)
            .execute(&mut *tx)
            .await?;
        let slug = unique_slug(&mut tx, SlugKind::Article, Some(wanted), wanted).await?;
        sqlx::query("INSERT INTO article_slug_history (old_slug, article_id) VALUES ($1, $2)")
            .bind(&old)
            .bind(id.0)
            .execute(&mut *tx)
            .await?;
        sqlx::query("UPDATE articles SET slug = $1 WHERE id = $2").bind(&slug).bind(id.0).execute(&mut *tx).await?;
        log_change(&mut tx, id.0, "updated").await?;
        self.commit(tx).await?;
        Ok(slug)
    }

    /// Appends a correction to an article, dated `at`; the article counts as updated.
    pub async fn add_correction(&self, id: ArticleId, text: &str, at: OffsetDateTime) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        add_correction_tx(&mut tx, id, text, at).await?;
        self.commit(tx).await?;
        Ok(())
    }

    /// The article with this slug, whole, in any status.
    pub async fn article_by_slug(&self, slug: &str) -> Result<Option<Article>, StoreError> {
        let sections = self.sections().await?;
        self.article_where(ArticleKey::Slug(slug), &sections).await
    }

    /// The article with this slug, whole, in any status, with its related stories as last
    /// found (`None` when never looked for; see `related.rs`), in one statement: what a story's page
    /// reads. `sections` are all sections, as [`Store::sections`] gives them.
    pub async fn article_page_by_slug(
        &self,
        slug: &str,
        sections: &[Section],
    ) -> Result<Option<ArticleRead>, StoreError> {
        let found = self.articles_where(ArticleKey::Slug(slug), Reading::WithFound, sections).await?;
        Ok(found.into_iter().next())
    }

    /// The article that used to have `old_slug`, if it was renamed.
    pub async fn renamed_article(&self, old_slug: &str) -> Result<Option<ArticleSummary>, StoreError> {
        let sql = format!(
            "{} WHERE a.id = (SELECT article_id FROM article_slug_history WHERE old_slug = $1)",
            rows::summary_select()
        );
        let row = sqlx::query(AssertSqlSafe(sql)).bind(old_slug).fetch_optional(&mut *self.read.get().await?).await?;
        row.as_ref().map(rows::summary).transpose()
    }

    /// The article with this id, whole, in any status.
    pub async fn article(&self, id: ArticleId) -> Result<Option<Article>, StoreError> {
        let sections = self.sections().await?;
        self.article_in(id, &sections).await
    }

    /// The articles with these ids that exist, whole, in the order given (the section tree is
    /// read once for all of them).
    pub async fn articles(&self, ids: &[ArticleId]) -> Result<Vec<Article>, StoreError> {
        let sections = self.sections().await?;
        let mut found = std::collections::HashMap::with_capacity(ids.len());
        for chunk in ids.chunks(500) {
            for read in self.articles_where(ArticleKey::Ids(chunk), Reading::Lists, &sections).await? {
                found.insert(read.article.id, read.article);
            }
        }
        // In the order asked.
        Ok(ids.iter().filter_map(|id| found.remove(id)).collect())
    }

    async fn article_in(&self, id: ArticleId, sections: &[Section]) -> Result<Option<Article>, StoreError> {
        self.article_where(ArticleKey::Ids(&[id]), sections).await
    }

    async fn article_where(&self, key: ArticleKey<'_>, sections: &[Section]) -> Result<Option<Article>, StoreError> {
        let found = self.articles_where(key, Reading::Lists, sections).await?;
        Ok(found.into_iter().next().map(|read| read.article))
    }

    /// Whole articles with their lists, in one statement (see [`rows::union_all`]): one round
    /// trip to the database for a story's page, and all its parts from one snapshot.
    async fn articles_where(
        &self,
        key: ArticleKey<'_>,
        reading: Reading,
        sections: &[Section],
    ) -> Result<Vec<ArticleRead>, StoreError> {
        if let ArticleKey::Ids([]) = key {
            return Ok(Vec::new());
        }
        let sql = article_statement(key, reading);
        let args: Vec<rows::Arg<'_>> = match key {
            ArticleKey::Ids(ids) => ids.iter().map(|id| rows::Arg::Int(id.0)).collect(),
            ArticleKey::Slug(slug) => vec![rows::Arg::Text(slug)],
        };
        let weight = if args.len() > 1 { rows::Weight::Heavy } else { rows::Weight::Light };
        let mut pieces = self.read_each(sql, &args, weight, |row| piece(row, sections)).await?;

        // Each article's row first, then its lists in order (a correction's by date). Sorted
        // here: in the statement, SQLite sorted in temporary b-trees, a dozen allocations a row.
        pieces.sort_unstable_by_key(|(order, _)| *order);
        let mut articles: Vec<ArticleRead> = Vec::new();
        for ((of, ..), piece) in pieces {
            if let Piece::Article(article) = piece {
                articles.push(ArticleRead { article: *article, found_related: None });
                continue;
            }
            let Some(ArticleRead { article, found_related }) = articles.last_mut().filter(|a| a.article.id.0 == of)
            else {
                return Err(StoreError::Corrupt(format!("a list of article {of} read without the article")));
            };
            match piece {
                Piece::Article(_) => unreachable!("taken above"),
                Piece::Author(a) => article.authors.push(a),
                Piece::Tag(t) => article.tags.push(t),
                Piece::Source(s) => article.sources.push(s),
                Piece::Pinned(s) => article.related.push(s),
                Piece::Correction(c) => article.corrections.push(c),
                // Found (the search's row comes first), then each found story, withdrawn ones
                // left out: still found, none to show.
                Piece::Searched => *found_related = Some(Vec::new()),
                Piece::Found(summary) => {
                    let found = found_related.get_or_insert_with(Vec::new);
                    if summary.status == Status::Published {
                        found.push(summary);
                    }
                }
            }
        }
        Ok(articles)
    }

    /// Published articles matching `filter`, newest first: `limit` of them after skipping
    /// `offset`, with how many match in all (for paging).
    pub async fn published(
        &self,
        filter: &ArticleFilter,
        limit: i64,
        offset: i64,
    ) -> Result<Page<ArticleSummary>, StoreError> {
        let total = self.count_published(filter).await?;
        // Past the end there is nothing to list: skip the (deep, costly) offset scan.
        let items = if offset >= total { Vec::new() } else { self.latest(filter, limit, offset).await? };
        Ok(Page { items, total })
    }

    /// How many published articles match `filter`. On SQLite counted on the calling thread, as
    /// a page's other reads are (`direct.rs`), without the hop to a sqlx connection's thread
    /// and back; the count walks the index over every matching story, so it is a heavy read.
    pub async fn count_published(&self, filter: &ArticleFilter) -> Result<i64, StoreError> {
        let (condition, ids) = ArticleQuery::from(filter).condition();
        let count_sql = format!("SELECT COUNT(*) AS n FROM articles a WHERE a.status = 'published' AND {condition}");
        let args: Vec<rows::Arg<'_>> = ids.iter().map(rows::Arg::from).collect();
        let counted = self.read_each(count_sql.into(), &args, rows::Weight::Heavy, |row| row.int("n")).await?;
        Ok(counted.first().copied().unwrap_or(0))
    }

    /// Like [`Store::published`] without counting: for teasers and boxes that never page.
    pub async fn latest(
        &self,
        filter: &ArticleFilter,
        limit: i64,
        offset: i64,
    ) -> Result<Vec<ArticleSummary>, StoreError> {
        self.query_published(&ArticleQuery::from(filter), limit, offset).await
    }

    /// Published articles matching every condition of `query`, newest first.
    pub async fn query_published(
        &self,
        query: &ArticleQuery,
        limit: i64,
        offset: i64,
    ) -> Result<Vec<ArticleSummary>, StoreError> {
        let (condition, ids) = query.condition();
        let n = ids.len();
        // The page's ids come from the indexes alone; only they are then read whole. Sorting
        // whole rows would read every matching story's record, body and all, before the limit.
        let list_sql = format!(
            "{} WHERE a.id IN (SELECT a.id FROM articles a WHERE a.status = 'published' AND {condition} \
             ORDER BY a.published_at DESC, a.id DESC LIMIT ${} OFFSET ${}) \
             ORDER BY a.published_at DESC, a.id DESC",
            rows::summary_select(),
            n + 1,
            n + 2
        );
        let mut args: Vec<rows::Arg<'_>> = ids.iter().map(rows::Arg::from).collect();
        args.extend([rows::Arg::Int(limit.max(0)), rows::Arg::Int(offset.max(0))]);
        // A deep page walks the index past every story before it.
        let weight = if offset > DEEP { rows::Weight::Heavy } else { rows::Weight::Light };
        self.read_each(list_sql.into(), &args, weight, |row| rows::summary(row)).await
    }

    /// Articles changed after change number `after`, in order, at most `limit`: (change number,
    /// article). An article changed twice appears twice.
    pub async fn changes_since(&self, after: i64, limit: i64) -> Result<Vec<LoggedChange>, StoreError> {
        let rows: Vec<(i64, i64)> =
            sqlx::query_as("SELECT seq, article_id FROM article_changes WHERE seq > $1 ORDER BY seq LIMIT $2")
                .bind(after)
                .bind(limit)
                .fetch_all(&mut *self.read.get().await?)
                .await?;
        Ok(rows.into_iter().map(|(seq, id)| LoggedChange { seq, article: ArticleId(id) }).collect())
    }

    /// The number of the latest change, 0 when nothing has changed yet.
    pub async fn last_change(&self) -> Result<i64, StoreError> {
        Ok(sqlx::query_scalar("SELECT COALESCE(MAX(seq), 0) FROM article_changes")
            .fetch_one(&mut *self.read.get().await?)
            .await?)
    }

    /// Published articles with their text and links, in id order after `after_id`, at most
    /// `limit`: what a search index needs, in a handful of queries per batch.
    pub async fn texts_for_index(&self, after_id: ArticleId, limit: i64) -> Result<Vec<ArticleText>, StoreError> {
        let rows: Vec<(i64, String, String, String, i64, Option<OffsetDateTime>)> = sqlx::query_as(
            // The status test is wrapped so that the planner walks the primary key from `after_id`
            // instead of the status index (which would scan every published row per batch).
            "SELECT id, headline, standfirst, body, section_id, published_at FROM articles \
             WHERE id > $1 AND (CASE WHEN status = 'published' THEN 1 ELSE 0 END) = 1 ORDER BY id LIMIT $2",
        )
        .bind(after_id.0)
        .bind(limit)
        .fetch_all(&mut *self.read.get().await?)
        .await?;
        let (Some(first), Some(last)) = (rows.first().map(|r| r.0), rows.last().map(|r| r.0)) else {
            return Ok(Vec::new());
        };
        let links = async |sql: &'static str| -> Result<Vec<(i64, String, String)>, StoreError> {
            let mut reader = self.read.get().await?;
            Ok(sqlx::query_as(sql).bind(first).bind(last).fetch_all(&mut *reader).await?)
        };
        let tags = links(
            "SELECT x.article_id, t.slug, t.name FROM article_tags x JOIN tags t ON t.id = x.tag_id \
             WHERE x.article_id BETWEEN $1 AND $2 ORDER BY x.article_id, x.position",
        )
        .await?;
        let authors = links(
            "SELECT x.article_id, au.slug, au.name FROM article_authors x JOIN authors au ON au.id = x.author_id \
             WHERE x.article_id BETWEEN $1 AND $2 ORDER BY x.article_id, x.position",
        )
        .await?;
        let sources = links(
            "SELECT x.article_id, s.slug, s.name FROM article_sources x JOIN sources s ON s.id = x.source_id \
             WHERE x.article_id BETWEEN $1 AND $2 ORDER BY x.article_id, x.position",
        )
        .await?;
        let sections = self.sections().await?;
        let group = |all: &[(i64, String, String)], id: i64| -> Vec<(String, String)> {
            all.iter().filter(|r| r.0 == id).map(|r| (r.1.clone(), r.2.clone())).collect()
        };
        Ok(rows
            .into_iter()
            .map(|(id, headline, standfirst, body, section_id, published_at)| ArticleText {
                id: ArticleId(id),
                headline,
                standfirst,
                body,
                section_ids: section_path(&sections, SectionId(section_id)).iter().map(|s| s.id).collect(),
                published_at,
                tags: group(&tags, id),
                authors: group(&authors, id),
                sources: group(&sources, id),
            })
            .collect())
    }

    /// Summaries of the published articles among `ids`, in the order of `ids`.
    pub async fn published_summaries(&self, ids: &[ArticleId]) -> Result<Vec<ArticleSummary>, StoreError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let marks: Vec<String> = (1..=ids.len()).map(|i| format!("${i}")).collect();
        // The status is checked here, not in SQL: given `status = 'published'` SQLite walks
        // the status index over every published story instead of looking the ids up.
        let sql = format!("{} WHERE a.id IN ({})", rows::summary_select(), marks.join(", "));
        let args: Vec<rows::Arg<'_>> = ids.iter().map(|id| rows::Arg::Int(id.0)).collect();
        let weight = if ids.len() > MANY { rows::Weight::Heavy } else { rows::Weight::Light };
        let mut found = self.read_each(sql.into(), &args, weight, |row| rows::summary(row)).await?;
        found.retain(|s| s.status == Status::Published);
        Ok(ids.iter().filter_map(|id| found.iter().find(|s| s.id == *id).cloned()).collect())
    }

    /// The ids of every published article matching `filter`, newest first: a listing whole, to
    /// page through in memory ([`Store::published`] pages in SQL).
    pub async fn published_ids(&self, filter: &ArticleFilter) -> Result<Vec<ArticleId>, StoreError> {
        let link = match filter {
            ArticleFilter::Tag(id) => Some(("article_tags", "tag_id", id.0)),
            ArticleFilter::Author(id) => Some(("article_authors", "author_id", id.0)),
            ArticleFilter::Source(id) => Some(("article_sources", "source_id", id.0)),
            _ => None,
        };
        let ids: Vec<i64> = match link {
            // From the links, then each story's row: a tag of 6,000 stories in 100,000 reads
            // those 6,000, where the published-stories index would walk all 100,000 (45 ms).
            // CROSS JOIN keeps SQLite's planner to that order.
            Some((table, column, id)) => {
                let sql = format!(
                    "SELECT a.id FROM {table} x CROSS JOIN articles a \
                     WHERE x.{column} = $1 AND a.id = x.article_id AND a.status = 'published' \
                     ORDER BY a.published_at DESC, a.id DESC"
                );
                sqlx::query_scalar(AssertSqlSafe(sql)).bind(id).fetch_all(&mut *self.read.get().await?).await?
            }
            None => {
                let (condition, binds) = ArticleQuery::from(filter).condition();
                let sql = format!(
                    "SELECT a.id FROM articles a WHERE a.status = 'published' AND {condition} \
                     ORDER BY a.published_at DESC, a.id DESC"
                );
                bind_all!(sqlx::query_scalar(AssertSqlSafe(sql)), &binds)
                    .fetch_all(&mut *self.read.get().await?)
                    .await?
            }
        };
        Ok(ids.into_iter().map(ArticleId).collect())
    }

    /// The months that have published articles, newest first, with how many and when the
    /// latest of them changed.
    pub async fn published_months(&self) -> Result<Vec<PublishedMonth>, StoreError> {
        let rows: Vec<(String, i64, OffsetDateTime)> = sqlx::query_as(AssertSqlSafe(format!(
            "SELECT {} AS month, COUNT(*), MAX(updated_at) FROM articles \
             WHERE status = 'published' GROUP BY month ORDER BY month DESC",
            dialect::year_month("published_at")
        )))
        .fetch_all(&mut *self.read.get().await?)
        .await?;
        rows.into_iter()
            .map(|(month, articles, last_updated)| {
                let (y, m) = month.split_once('-').ok_or_else(|| StoreError::Corrupt(format!("month {month:?}")))?;
                Ok(PublishedMonth {
                    year: y.parse().map_err(|_| StoreError::Corrupt(format!("month {month:?}")))?,
                    month: m.parse().map_err(|_| StoreError::Corrupt(format!("month {month:?}")))?,
                    articles,
                    last_updated,
                })
            })
            .collect()
    }
}

/// An article's own row, its lists empty (see [`Store::articles_where`]).
fn article_row(row: &(impl rows::Get + ?Sized), sections: &[Section]) -> Result<Article, StoreError> {
    use rows::get;
    let section_path = section_path(sections, SectionId(get(row, "section_id")?));
    let section = section_path.last().cloned().ok_or(StoreError::NotFound("section"))?;
    Ok(Article {
        id: ArticleId(get(row, "id")?),
        slug: get(row, "slug")?,
        headline: get(row, "headline")?,
        standfirst: get(row, "standfirst")?,
        body: get(row, "body")?,
        hero: rows::image(row, &rows::HERO)?,
        section,
        section_path,
        authors: Vec::new(),
        tags: Vec::new(),
        sources: Vec::new(),
        related: Vec::new(),
        status: rows::status(row)?,
        created_at: get(row, "created_at")?,
        published_at: get(row, "published_at")?,
        updated_at: get(row, "updated_at")?,
        corrections: Vec::new(),
    })
}

/// Where a row of an article's statement goes, with the order it is read in: (article, part,
/// position in its list, date, id).
type Order = (i64, i32, Option<i64>, Option<OffsetDateTime>, i64);

/// A row of an article's statement, read.
enum Piece {
    Article(Box<Article>),
    Author(Author),
    Tag(Tag),
    Source(Source),
    Pinned(ArticleSummary),
    Correction(Correction),
    /// The search for its related stories has run.
    Searched,
    Found(ArticleSummary),
}

/// Reads a row of an article's statement (see [`make_article_statement`] for the parts).
fn piece(row: &dyn rows::Get, sections: &[Section]) -> Result<(Order, Piece), StoreError> {
    use rows::get;
    let part: i32 = get(row, "part")?;
    let order = (get(row, "of_article")?, part, get(row, "position")?, get(row, "published_at")?, get(row, "id")?);
    let piece = match part {
        0 => Piece::Article(Box::new(article_row(row, sections)?)),
        1 => Piece::Author(rows::author(row)?),
        2 => Piece::Tag(rows::tag(row)?),
        3 => Piece::Source(rows::source(row)?),
        4 => Piece::Pinned(rows::summary(row)?),
        5 => Piece::Correction(Correction { published_at: get(row, "published_at")?, text: get(row, "text")? }),
        6 => Piece::Searched,
        7 => Piece::Found(rows::summary(row)?),
        other => return Err(StoreError::Corrupt(format!("part {other} of an article's statement"))),
    };
    Ok((order, piece))
}

/// Past this many stories, a listing's page is a heavy read (see [`rows::Weight`]).
const DEEP: i64 = 2000;

/// Past this many stories looked up by id, a read is a heavy one (a listing's page has 20).
const MANY: usize = 20;

/// How an article is looked up.
#[derive(Clone, Copy)]
enum ArticleKey<'a> {
    Ids(&'a [ArticleId]),
    Slug(&'a str),
}

/// What is read with whole articles.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Reading {
    /// Their lists.
    Lists,
    /// Their lists and their related stories as last found (for a story's page).
    WithFound,
}

/// The statement reading whole articles (see [`Store::articles_where`]). A story's page asks
/// for one by slug thousands of times a second, so that statement (and the one for one id) is
/// made once; building it was 4% of a cold page's processor time.
fn article_statement(key: ArticleKey<'_>, reading: Reading) -> std::borrow::Cow<'static, str> {
    use std::sync::OnceLock;
    static BY_SLUG: [OnceLock<String>; 2] = [const { OnceLock::new() }; 2];
    static BY_ONE_ID: [OnceLock<String>; 2] = [const { OnceLock::new() }; 2];
    let made = match key {
        ArticleKey::Slug(_) => &BY_SLUG,
        ArticleKey::Ids([_]) => &BY_ONE_ID,
        ArticleKey::Ids(_) => return std::borrow::Cow::Owned(make_article_statement(key, reading)),
    };
    let sql = made[usize::from(reading == Reading::WithFound)].get_or_init(|| make_article_statement(key, reading));
    std::borrow::Cow::Borrowed(sql.as_str())
}

fn make_article_statement(key: ArticleKey<'_>, reading: Reading) -> String {
    let (condition, of) = match key {
        ArticleKey::Ids(ids) => {
            let marks = crate::marks(ids.len(), 1);
            (format!("a.id IN {marks}"), marks)
        }
        ArticleKey::Slug(_) => ("a.slug = $1".to_string(), "(SELECT id FROM articles WHERE slug = $1)".to_string()),
    };
    // The parts, in the order `Store::articles_where` reads them.
    let mut parts = vec![
        (
            format!(
                "a.id AS of_article, 0 AS position, a.id, a.slug, a.headline, a.standfirst, a.body, a.section_id, \
                 a.status, a.created_at, a.published_at, a.updated_at, {}",
                rows::image_columns("hi", &rows::HERO)
            ),
            format!("FROM articles a LEFT JOIN images hi ON hi.id = a.hero_image_id WHERE {condition}"),
        ),
        (
            format!("aa.article_id AS of_article, aa.position AS position, {}", rows::author_columns()),
            format!("{} JOIN article_authors aa ON aa.author_id = au.id WHERE aa.article_id IN {of}", rows::AUTHOR_FROM),
        ),
        (
            "x.article_id AS of_article, x.position AS position, t.id, t.slug, t.name".to_string(),
            format!("FROM tags t JOIN article_tags x ON x.tag_id = t.id WHERE x.article_id IN {of}"),
        ),
        (
            "x.article_id AS of_article, x.position AS position, s.id, s.slug, s.name, s.url, s.kind".to_string(),
            format!("FROM sources s JOIN article_sources x ON x.source_id = s.id WHERE x.article_id IN {of}"),
        ),
        (
            format!("r.article_id AS of_article, r.position AS position, {}", rows::summary_columns()),
            format!(
                "{} JOIN article_related r ON r.related_id = a.id \
                 WHERE r.article_id IN {of} AND a.status = 'published'",
                rows::SUMMARY_FROM
            ),
        ),
        (
            "c.article_id AS of_article, c.id, c.text, c.published_at".to_string(),
            format!("FROM corrections c WHERE c.article_id IN {of}"),
        ),
    ];
    if reading == Reading::WithFound {
        parts.extend([
            // A row when the search has run (its stories may since have been withdrawn).
            (
                "s.article_id AS of_article, s.article_id AS id".to_string(),
                format!("FROM related_searches s WHERE s.article_id IN {of} AND s.found_at IS NOT NULL"),
            ),
            (
                format!("r.article_id AS of_article, r.position AS position, {}", rows::summary_columns()),
                format!("{} JOIN found_related r ON r.related_id = a.id WHERE r.article_id IN {of}", rows::SUMMARY_FROM),
            ),
        ]);
    }
    rows::union_all(&parts)
}

/// Stores many articles in a transaction (see [`Store::insert_articles`]).
pub(crate) async fn insert_articles(
    tx: &mut Transaction<'_, Db>,
    new: &[NewArticle],
) -> Result<Vec<ArticleId>, StoreError> {
    for article in new {
        article.validate()?;
    }
        let wanted: Vec<(Option<&str>, &str)> = new.iter().map(|a| (a.slug.as_deref(), a.headline.as_str())).collect();
        let slugs = unique_slugs(tx, SlugKind::Article, &wanted).await?;
        let first = reserve_ids(tx, "articles", new.len()).await?;
        let ids: Vec<i64> = (first..first + new.len() as i64).collect();
        const COLUMNS: usize = 11;
        for (chunk, chunk_ids) in new.iter().zip(&slugs).collect::<Vec<_>>().chunks(200).zip(ids.chunks(200)) {
            let sql = format!(
                "INSERT INTO articles (id, slug, headline, standfirst, body, hero_image_id, section_id, status, \
                 created_at, published_at, updated_at) VALUES {}",
                crate::value_rows(chunk.len(), COLUMNS)
            );
            let mut q = sqlx::query(AssertSqlSafe(sql));
            for ((article, slug), id) in chunk.iter().zip(chunk_ids) {
                q = q
                    .bind(id)
                    .bind(slug.as_str())
                    .bind(article.headline.trim())
                    .bind(article.standfirst.trim())
                    .bind(&article.body)
                    .bind(article.hero_image_id.map(|i| i.0))
                    .bind(article.section_id.0)
                    .bind(article.status.as_str())
                    .bind(ts(article.created_at))
                    .bind(article.published_at.map(ts))
                    .bind(ts(article.updated_at));
            }
            q.execute(&mut **tx).await.map_err(|e| missing_reference(e, "section or hero image"))?;
        }
        let links: Vec<(i64, [Vec<i64>; 4])> = new
            .iter()
            .zip(&ids)
            .map(|(article, id)| {
                (
                    *id,
                    [
                        article.author_ids.iter().map(|x| x.0).collect(),
                        article.tag_ids.iter().map(|x| x.0).collect(),
                        article.source_ids.iter().map(|x| x.0).collect(),
                        article.related_ids.iter().map(|x| x.0).collect(),
                    ],
                )
            })
            .collect();
        insert_links_many(tx, &links).await?;
        for chunk in new.iter().zip(&ids).collect::<Vec<_>>().chunks(400) {
            let sql =
                format!("INSERT INTO article_changes (article_id, kind) VALUES {}", crate::value_rows(chunk.len(), 2));
            let mut q = sqlx::query(AssertSqlSafe(sql));
            for (article, id) in chunk {
                q = q.bind(**id).bind(if article.status == Status::Published { "published" } else { "created" });
            }
            q.execute(&mut **tx).await?;
        }
    notify_change(tx).await?;
    Ok(ids.into_iter().map(ArticleId).collect())
}

/// Links an article to its authors, tags, sources and pinned related articles, each list in
/// order (position 0 first). The article must have no links yet.
pub(crate) async fn insert_links(
    tx: &mut Transaction<'_, Db>,
    id: i64,
    lists: [Vec<i64>; 4],
) -> Result<(), StoreError> {
    insert_links_many(tx, &[(id, lists)]).await
}

/// [`insert_links`] for many articles: one statement per link table and few hundred rows.
async fn insert_links_many(tx: &mut Transaction<'_, Db>, articles: &[(i64, [Vec<i64>; 4])]) -> Result<(), StoreError> {
    let tables: [(&str, &str, &str, &'static str); 4] = [
        ("article_authors", "author_id", "", "author"),
        ("article_tags", "tag_id", " ON CONFLICT DO NOTHING", "tag"),
        ("article_sources", "source_id", " ON CONFLICT DO NOTHING", "source"),
        ("article_related", "related_id", " ON CONFLICT DO NOTHING", "related article"),
    ];
    for (which, (table, column, on_conflict, what)) in tables.into_iter().enumerate() {
        let rows: Vec<(i64, i64, i64)> = articles
            .iter()
            .flat_map(|(id, lists)| {
                lists[which]
                    .iter()
                    .enumerate()
                    .filter(move |(_, target)| !(which == 3 && **target == *id))
                    .map(move |(position, target)| (*id, *target, position as i64))
            })
            .collect();
        for chunk in rows.chunks(300) {
            let sql = format!(
                "INSERT INTO {table} (article_id, {column}, position) VALUES {}{on_conflict}",
                crate::value_rows(chunk.len(), 3)
            );
            let mut q = sqlx::query(AssertSqlSafe(sql));
            for (id, target, position) in chunk {
                q = q.bind(*id).bind(*target).bind(*position);
            }
            q.execute(&mut **tx).await.map_err(|e| missing_reference(e, what))?;
        }
    }
    Ok(())
}

pub(crate) async fn add_correction_tx(
    tx: &mut Transaction<'_, Db>,
    id: ArticleId,
    text: &str,
    at: OffsetDateTime,
) -> Result<(), StoreError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(Invalid { field: "correction", message: "a correction needs its text".into() }.into());
    }
    sqlx::query("INSERT INTO corrections (article_id, text, published_at) VALUES ($1, $2, $3)")
        .bind(id.0)
        .bind(text)
        .bind(ts(at))
        .execute(&mut **tx)
        .await
        .map_err(|e| missing_reference(e, "article"))?;
    sqlx::query("UPDATE articles SET updated_at = $1 WHERE id = $2").bind(ts(at)).bind(id.0).execute(&mut **tx).await?;
    log_change(tx, id.0, "corrected").await?;
    Ok(())
}

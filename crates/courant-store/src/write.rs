//! [`Write`]: one transaction that several writes share, for an action of the newsroom that
//! changes more than one thing (a save that adds sources, a picture and a workflow move). It
//! holds the store's write lock from [`Store::write`] until [`Write::commit`]; dropped without
//! a commit, nothing of it was written. Its audit and change-log entries are part of it.

use crate::types::*;
use crate::{Backend, Store, StoreError, postgres, sqlite};
use courant_core::*;
use time::OffsetDateTime;

/// An open write transaction (see the module's comment).
pub struct Write {
    store: Store,
    tx: Tx,
}

enum Tx {
    Sqlite(sqlx::Transaction<'static, sqlx::Sqlite>),
    Postgres(sqlx::Transaction<'static, sqlx::Postgres>),
}

impl std::fmt::Debug for Write {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Write")
    }
}

/// Calls the query function at `$path` (the same in both backends' modules) with the
/// transaction first.
macro_rules! in_tx {
    ($self:expr, $($path:ident)::+ ($($arg:expr),* $(,)?)) => {
        match &mut $self.tx {
            Tx::Sqlite(tx) => sqlite::$($path)::+(tx, $($arg),*).await,
            Tx::Postgres(tx) => postgres::$($path)::+(tx, $($arg),*).await,
        }
    };
}

impl Store {
    /// Begins a write transaction, waiting for the write lock (SQLite's one writer; PostgreSQL's
    /// advisory lock). Keep it short: no other write of any node runs while it is open.
    pub async fn write(&self) -> Result<Write, StoreError> {
        let tx = match &self.backend {
            Backend::Sqlite(b) => Tx::Sqlite(b.begin().await?),
            Backend::Postgres(b) => Tx::Postgres(b.begin().await?),
        };
        Ok(Write { store: self.clone(), tx })
    }
}

impl Write {
    /// Makes every write of the transaction visible at once, and tells the page caches.
    pub async fn commit(self) -> Result<(), StoreError> {
        match (self.tx, &self.store.backend) {
            (Tx::Sqlite(tx), Backend::Sqlite(b)) => b.commit(tx).await,
            (Tx::Postgres(tx), Backend::Postgres(b)) => b.commit(tx).await,
            _ => Err(StoreError::Corrupt("a transaction of one backend committed on another".into())),
        }
    }

    /// The article's owner, status and version as this transaction sees them: no other write
    /// can change them before the commit.
    pub async fn article_meta(&mut self, id: ArticleId) -> Result<Option<ArticleMeta>, StoreError> {
        in_tx!(self, newsroom::article_meta(id))
    }

    /// Creates a draft owned by `owner`, with its first revision, audit and change-log entries.
    pub async fn create_article(
        &mut self,
        draft: &ArticleDraft,
        owner: UserId,
        at: OffsetDateTime,
    ) -> Result<ArticleId, StoreError> {
        in_tx!(self, newsroom::create_article(draft, owner, at))
    }

    /// Saves new content over version `base_version` of an article. When the article is at
    /// another version, nothing is overwritten: the content is kept as a conflict revision and
    /// the outcome says so (commit to keep that revision).
    pub async fn save_article(
        &mut self,
        id: ArticleId,
        base_version: i64,
        draft: &ArticleDraft,
        by: UserId,
        at: OffsetDateTime,
        note: &str,
    ) -> Result<SaveOutcome, StoreError> {
        in_tx!(self, newsroom::save_article(id, base_version, draft, by, at, note))
    }

    /// Moves an article through the workflow (see [`Store::move_article`]); returns the status
    /// it left.
    pub async fn move_article(
        &mut self,
        id: ArticleId,
        to: Status,
        by: Option<UserId>,
        at: OffsetDateTime,
        when: Option<OffsetDateTime>,
    ) -> Result<Status, StoreError> {
        in_tx!(self, newsroom::move_article(id, to, by, at, when, ""))
    }

    /// [`Write::move_article`] with why, in the mover's words, kept as the audit entry's detail
    /// (the reason a story was taken off the site).
    pub async fn move_article_noting(
        &mut self,
        id: ArticleId,
        to: Status,
        by: Option<UserId>,
        at: OffsetDateTime,
        note: &str,
    ) -> Result<Status, StoreError> {
        in_tx!(self, newsroom::move_article(id, to, by, at, None, note))
    }

    /// Appends a dated correction to an article, audited as `by`'s.
    pub async fn correct_article(
        &mut self,
        id: ArticleId,
        text: &str,
        by: UserId,
        at: OffsetDateTime,
    ) -> Result<(), StoreError> {
        in_tx!(self, newsroom::correct_article(id, text, by, at))
    }

    /// Records an action in the audit log.
    pub async fn audit(
        &mut self,
        at: OffsetDateTime,
        by: Option<UserId>,
        action: AuditAction,
        article: Option<ArticleId>,
        subject: &str,
        detail: &str,
    ) -> Result<(), StoreError> {
        in_tx!(self, newsroom::audit(at, by, action, article, subject, detail))
    }

    /// Adds a source to the registry.
    pub async fn insert_source(&mut self, new: NewSource) -> Result<Source, StoreError> {
        in_tx!(self, taxonomy::insert_source(new))
    }

    /// Records a picture `by` uploaded, its file already stored.
    pub async fn insert_upload(&mut self, new: NewImage, by: UserId, at: OffsetDateTime) -> Result<Image, StoreError> {
        in_tx!(self, taxonomy::insert_image_by(new, Some((by, at))))
    }

    /// Records a picture whose file is stored, with no uploader (an import's).
    pub async fn insert_image(&mut self, new: NewImage) -> Result<Image, StoreError> {
        in_tx!(self, taxonomy::insert_image_by(new, None))
    }

    /// Changes a picture's texts and focal point; the articles showing it change with it.
    pub async fn update_image(&mut self, id: ImageId, update: &ImageUpdate) -> Result<(), StoreError> {
        in_tx!(self, registry::update_image(id, update))
    }

    /// The row an item of an imported publication became, and the digest of what was imported
    /// then. `origin` names the publication (its address), `kind` the item's kind there.
    pub async fn imported(&mut self, origin: &str, kind: &str, key: &str) -> Result<Option<(i64, String)>, StoreError> {
        in_tx!(self, imports::imported(origin, kind, key))
    }

    /// Remembers that an item of an imported publication became row `id`, with the digest of
    /// what was imported.
    pub async fn remember_imported(
        &mut self,
        origin: &str,
        kind: &str,
        key: &str,
        id: i64,
        digest: &str,
    ) -> Result<(), StoreError> {
        in_tx!(self, imports::remember_imported(origin, kind, key, id, digest))
    }

    /// Creates a section (see [`Store::insert_section`]).
    pub async fn insert_section(&mut self, new: NewSection) -> Result<Section, StoreError> {
        in_tx!(self, taxonomy::insert_section(new))
    }

    /// Creates an author profile (see [`Store::insert_author`]).
    pub async fn insert_author(&mut self, new: NewAuthor) -> Result<AuthorId, StoreError> {
        in_tx!(self, taxonomy::insert_author(new))
    }

    /// The ids of the tags with these names, created when new.
    pub async fn tag_ids(&mut self, names: &[String]) -> Result<Vec<TagId>, StoreError> {
        let ids = in_tx!(self, newsroom::tag_ids(names))?;
        Ok(ids.into_iter().map(TagId).collect())
    }

    /// Stores many articles (see [`Store::insert_articles`]).
    pub async fn insert_articles(&mut self, new: &[NewArticle]) -> Result<Vec<ArticleId>, StoreError> {
        in_tx!(self, articles::insert_articles(new))
    }

    /// Replaces an imported article's content, status, dates and links; its address stays.
    pub async fn replace_article(&mut self, id: ArticleId, new: &NewArticle) -> Result<(), StoreError> {
        in_tx!(self, imports::replace_article(id, new))
    }

    /// Makes an old address (no trailing slash) redirect to an article.
    pub async fn add_redirect(&mut self, path: &str, id: ArticleId) -> Result<(), StoreError> {
        in_tx!(self, imports::add_redirect(path, id))
    }

    /// Inserts rows of `columns` into `table` (a publication read back from an export).
    pub(crate) async fn insert_rows(
        &mut self,
        table: &str,
        columns: &[crate::copy::Column],
        rows: &[Vec<crate::copy::Value>],
    ) -> Result<(), StoreError> {
        in_tx!(self, Store::insert_rows(table, columns, rows))
    }

    /// Sets one column of the row `id` of `table`.
    pub(crate) async fn set_value(
        &mut self,
        table: &str,
        column: &str,
        id: i64,
        value: &crate::copy::Value,
    ) -> Result<(), StoreError> {
        in_tx!(self, Store::set_value(table, column, id, value))
    }

    /// Moves `table`'s identity past the highest `column` written (PostgreSQL).
    pub(crate) async fn follow_identity(&mut self, table: &str, column: &str) -> Result<(), StoreError> {
        in_tx!(self, Store::follow_identity(table, column))
    }

    /// Links a story to a wire item it was written from.
    pub async fn link_wire_item(&mut self, article: ArticleId, item: i64) -> Result<(), StoreError> {
        in_tx!(self, wire::link_wire_item(article, item))
    }

    /// The embargoes of the wire items a story was written from: headline, source and end.
    pub async fn wire_embargoes(
        &mut self,
        article: ArticleId,
    ) -> Result<Vec<(String, String, OffsetDateTime)>, StoreError> {
        in_tx!(self, wire::wire_embargoes(article))
    }
}

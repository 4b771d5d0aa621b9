//! Editors' management of what articles refer to: changing and deleting sections, authors,
//! sources and tags (merging tags), and the picture library. Deleting something still in use
//! is refused with the list of what uses it.

use super::changes::log_change;
use super::newsroom::audit;
use super::taxonomy::{check_source_url, missing_reference, source_kind};
use super::{Db, dialect};
use super::{Store, rows};
use crate::types::*;
use crate::{Page, StoreError};
use courant_core::*;
use sqlx::{AssertSqlSafe, Transaction};
use time::OffsetDateTime;

/// The longest list of users a refusal names.
const USES_SHOWN: i64 = 20;

/// Headlines of the articles a query selects (`$1` is the id), for a refusal to delete.
async fn uses(tx: &mut Transaction<'_, Db>, sql: &str, id: i64) -> Result<Vec<String>, StoreError> {
    Ok(sqlx::query_scalar(AssertSqlSafe(format!("{sql} LIMIT {USES_SHOWN}"))).bind(id).fetch_all(&mut **tx).await?)
}

/// Marks every article `select` finds (it selects article ids, binding `$1` to `id`) as
/// changed, so caches and the index follow.
async fn touch_linked(tx: &mut Transaction<'_, Db>, select: &'static str, id: i64) -> Result<(), StoreError> {
    let ids: Vec<i64> = sqlx::query_scalar(select).bind(id).fetch_all(&mut **tx).await?;
    for article in ids {
        log_change(tx, article, "updated").await?;
    }
    Ok(())
}

const ARTICLES_OF_SECTION: &str = "SELECT id FROM articles WHERE section_id = $1";
const ARTICLES_OF_AUTHOR: &str = "SELECT article_id FROM article_authors WHERE author_id = $1";
const ARTICLES_OF_SOURCE: &str = "SELECT article_id FROM article_sources WHERE source_id = $1";
const ARTICLES_OF_TAG: &str = "SELECT article_id FROM article_tags WHERE tag_id = $1";
const ARTICLES_OF_HERO: &str = "SELECT id FROM articles WHERE hero_image_id = $1";

impl Store {
    /// Changes a section's name, description, parent and order. Its slug (its URLs) stays.
    pub async fn update_section(
        &self,
        id: SectionId,
        name: &str,
        description: &str,
        parent: Option<SectionId>,
        position: i64,
    ) -> Result<(), StoreError> {
        if name.trim().is_empty() {
            return Err(Invalid { field: "name", message: "a section needs a name".into() }.into());
        }
        let sections = self.sections().await?;
        if let Some(p) = parent
            && crate::section_path(&sections, p).iter().any(|s| s.id == id)
        {
            return Err(Invalid { field: "parent", message: "a section cannot sit inside itself".into() }.into());
        }
        let mut tx = self.begin().await?;
        let n =
            sqlx::query("UPDATE sections SET name = $1, description = $2, parent_id = $3, position = $4 WHERE id = $5")
                .bind(name.trim())
                .bind(description.trim())
                .bind(parent.map(|p| p.0))
                .bind(position)
                .bind(id.0)
                .execute(&mut *tx)
                .await
                .map_err(|e| missing_reference(e, "parent section"))?
                .rows_affected();
        if n == 0 {
            return Err(StoreError::NotFound("section"));
        }
        touch_linked(&mut tx, ARTICLES_OF_SECTION, id.0).await?;
        // Section names and order show in every page's navigation.
        super::changes::log_site_change(&mut tx).await?;
        self.commit(tx).await?;
        Ok(())
    }

    /// Deletes a section no article and no other section uses.
    pub async fn delete_section(&self, id: SectionId, by: UserId, at: OffsetDateTime) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        let mut used =
            uses(&mut tx, "SELECT headline FROM articles WHERE section_id = $1 ORDER BY updated_at DESC", id.0).await?;
        used.extend(
            uses(&mut tx, "SELECT 'Section: ' || name FROM sections WHERE parent_id = $1 ORDER BY name", id.0).await?,
        );
        if !used.is_empty() {
            return Err(StoreError::InUse { what: "section", used_by: used });
        }
        let name: String = sqlx::query_scalar("DELETE FROM sections WHERE id = $1 RETURNING name")
            .bind(id.0)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound("section"))?;
        audit(&mut tx, at, Some(by), AuditAction::Deleted, None, &name, "section").await?;
        super::changes::log_site_change(&mut tx).await?;
        self.commit(tx).await?;
        Ok(())
    }

    /// Changes an author's profile; their slug (their page's URL) stays.
    pub async fn update_author(
        &self,
        id: AuthorId,
        name: &str,
        title: &str,
        bio: &str,
        photo: Option<ImageId>,
    ) -> Result<(), StoreError> {
        if name.trim().is_empty() {
            return Err(Invalid { field: "name", message: "an author needs a name".into() }.into());
        }
        let mut tx = self.begin().await?;
        let n = sqlx::query("UPDATE authors SET name = $1, title = $2, bio = $3, photo_id = $4 WHERE id = $5")
            .bind(name.trim())
            .bind(title.trim())
            .bind(bio.trim())
            .bind(photo.map(|p| p.0))
            .bind(id.0)
            .execute(&mut *tx)
            .await
            .map_err(|e| missing_reference(e, "photo"))?
            .rows_affected();
        if n == 0 {
            return Err(StoreError::NotFound("author"));
        }
        touch_linked(&mut tx, ARTICLES_OF_AUTHOR, id.0).await?;
        // Profiles and names show beyond the stories: the lists of the API, the sitemaps.
        super::changes::log_site_change(&mut tx).await?;
        self.commit(tx).await?;
        Ok(())
    }

    /// The author with this id.
    pub async fn author(&self, id: AuthorId) -> Result<Option<Author>, StoreError> {
        let sql = format!("{} WHERE au.id = $1", rows::author_select());
        let row = sqlx::query(AssertSqlSafe(sql)).bind(id.0).fetch_optional(&mut *self.read.get().await?).await?;
        row.as_ref().map(rows::author).transpose()
    }

    /// Deletes an author no article byline and no user uses.
    pub async fn delete_author(&self, id: AuthorId, by: UserId, at: OffsetDateTime) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        let mut used = uses(
            &mut tx,
            "SELECT a.headline FROM articles a JOIN article_authors x ON x.article_id = a.id \
             WHERE x.author_id = $1 ORDER BY a.updated_at DESC",
            id.0,
        )
        .await?;
        used.extend(
            uses(&mut tx, "SELECT 'User: ' || name FROM users WHERE author_id = $1 ORDER BY name", id.0).await?,
        );
        if !used.is_empty() {
            return Err(StoreError::InUse { what: "author", used_by: used });
        }
        let name: String = sqlx::query_scalar("DELETE FROM authors WHERE id = $1 RETURNING name")
            .bind(id.0)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound("author"))?;
        audit(&mut tx, at, Some(by), AuditAction::Deleted, None, &name, "author").await?;
        // Profiles and names show beyond the stories: the lists of the API, the sitemaps.
        super::changes::log_site_change(&mut tx).await?;
        self.commit(tx).await?;
        Ok(())
    }

    /// The source with this id.
    pub async fn source(&self, id: SourceId) -> Result<Option<Source>, StoreError> {
        let row = sqlx::query("SELECT id, slug, name, url, kind FROM sources WHERE id = $1")
            .bind(id.0)
            .fetch_optional(&mut *self.read.get().await?)
            .await?;
        row.as_ref().map(rows::source).transpose()
    }

    /// Changes a source's name, address and kind.
    pub async fn update_source(&self, id: SourceId, name: &str, url: &str, kind: &str) -> Result<(), StoreError> {
        if name.trim().is_empty() {
            return Err(Invalid { field: "name", message: "a source needs a name".into() }.into());
        }
        check_source_url(url.trim())?;
        let kind = source_kind(kind)?;
        let mut tx = self.begin().await?;
        let n = sqlx::query("UPDATE sources SET name = $1, url = $2, kind = $3 WHERE id = $4")
            .bind(name.trim())
            .bind(url.trim())
            .bind(kind)
            .bind(id.0)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if n == 0 {
            return Err(StoreError::NotFound("source"));
        }
        touch_linked(&mut tx, ARTICLES_OF_SOURCE, id.0).await?;
        // Profiles and names show beyond the stories: the lists of the API, the sitemaps.
        super::changes::log_site_change(&mut tx).await?;
        self.commit(tx).await?;
        Ok(())
    }

    /// Deletes a source no article cites.
    pub async fn delete_source(&self, id: SourceId, by: UserId, at: OffsetDateTime) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        let used = uses(
            &mut tx,
            "SELECT a.headline FROM articles a JOIN article_sources x ON x.article_id = a.id \
             WHERE x.source_id = $1 ORDER BY a.updated_at DESC",
            id.0,
        )
        .await?;
        if !used.is_empty() {
            return Err(StoreError::InUse { what: "source", used_by: used });
        }
        let name: String = sqlx::query_scalar("DELETE FROM sources WHERE id = $1 RETURNING name")
            .bind(id.0)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound("source"))?;
        audit(&mut tx, at, Some(by), AuditAction::Deleted, None, &name, "source").await?;
        // Profiles and names show beyond the stories: the lists of the API, the sitemaps.
        super::changes::log_site_change(&mut tx).await?;
        self.commit(tx).await?;
        Ok(())
    }

    /// Every tag with how many articles carry it, by name.
    pub async fn tags_with_counts(&self) -> Result<Vec<TagUse>, StoreError> {
        let rows = sqlx::query(
            "SELECT t.id, t.slug, t.name, (SELECT COUNT(*) FROM article_tags x WHERE x.tag_id = t.id) AS uses \
             FROM tags t ORDER BY t.name, t.id",
        )
        .fetch_all(&mut *self.read.get().await?)
        .await?;
        rows.iter()
            .map(|r| {
                use sqlx::Row;
                Ok(TagUse { tag: rows::tag(r)?, articles: r.try_get("uses")? })
            })
            .collect()
    }

    /// Renames a tag; its slug (its page's URL) stays.
    pub async fn rename_tag(&self, id: TagId, name: &str) -> Result<(), StoreError> {
        if name.trim().is_empty() {
            return Err(Invalid { field: "name", message: "a tag needs a name".into() }.into());
        }
        let mut tx = self.begin().await?;
        let n = sqlx::query("UPDATE tags SET name = $1 WHERE id = $2")
            .bind(name.trim())
            .bind(id.0)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if n == 0 {
            return Err(StoreError::NotFound("tag"));
        }
        touch_linked(&mut tx, ARTICLES_OF_TAG, id.0).await?;
        // Profiles and names show beyond the stories: the lists of the API, the sitemaps.
        super::changes::log_site_change(&mut tx).await?;
        self.commit(tx).await?;
        Ok(())
    }

    /// Merges tag `from` into `into`: every article tagged `from` is tagged `into` (once), and
    /// `from` is deleted.
    pub async fn merge_tags(&self, from: TagId, into: TagId, by: UserId, at: OffsetDateTime) -> Result<(), StoreError> {
        if from == into {
            return Err(Invalid { field: "into", message: "choose another tag to merge into".into() }.into());
        }
        let mut tx = self.begin().await?;
        let names: Vec<(i64, String)> = sqlx::query_as("SELECT id, name FROM tags WHERE id IN ($1, $2)")
            .bind(from.0)
            .bind(into.0)
            .fetch_all(&mut *tx)
            .await?;
        let name_of = |id: TagId| names.iter().find(|(i, _)| *i == id.0).map(|(_, n)| n.clone());
        let (Some(from_name), Some(into_name)) = (name_of(from), name_of(into)) else {
            return Err(StoreError::NotFound("tag"));
        };
        touch_linked(&mut tx, ARTICLES_OF_TAG, from.0).await?;
        sqlx::query(
            "INSERT INTO article_tags (article_id, tag_id, position) \
             SELECT article_id, $2, position FROM article_tags WHERE tag_id = $1 ON CONFLICT DO NOTHING",
        )
        .bind(from.0)
        .bind(into.0)
        .execute(&mut *tx)
        .await?;
        sqlx::query("DELETE FROM article_tags WHERE tag_id = $1").bind(from.0).execute(&mut *tx).await?;
        sqlx::query("DELETE FROM tags WHERE id = $1").bind(from.0).execute(&mut *tx).await?;
        audit(&mut tx, at, Some(by), AuditAction::Merged, None, &from_name, &format!("into {into_name}")).await?;
        // Profiles and names show beyond the stories: the lists of the API, the sitemaps.
        super::changes::log_site_change(&mut tx).await?;
        self.commit(tx).await?;
        Ok(())
    }

    /// Deletes a tag no article carries.
    pub async fn delete_tag(&self, id: TagId, by: UserId, at: OffsetDateTime) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        let used = uses(
            &mut tx,
            "SELECT a.headline FROM articles a JOIN article_tags x ON x.article_id = a.id \
             WHERE x.tag_id = $1 ORDER BY a.updated_at DESC",
            id.0,
        )
        .await?;
        if !used.is_empty() {
            return Err(StoreError::InUse { what: "tag", used_by: used });
        }
        let name: String = sqlx::query_scalar("DELETE FROM tags WHERE id = $1 RETURNING name")
            .bind(id.0)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound("tag"))?;
        audit(&mut tx, at, Some(by), AuditAction::Deleted, None, &name, "tag").await?;
        // Profiles and names show beyond the stories: the lists of the API, the sitemaps.
        super::changes::log_site_change(&mut tx).await?;
        self.commit(tx).await?;
        Ok(())
    }

    /// Records a picture uploaded by a user, its file already in the media folder.
    pub async fn insert_upload(&self, new: NewImage, by: UserId, at: OffsetDateTime) -> Result<Image, StoreError> {
        let mut tx = self.begin().await?;
        let image = super::taxonomy::insert_image_by(&mut tx, new, Some((by, at))).await?;
        self.commit(tx).await?;
        Ok(image)
    }

    /// The picture with this id, and who uploaded it.
    pub async fn image(&self, id: ImageId) -> Result<Option<StoredImage>, StoreError> {
        let columns = rows::image_columns("i", &rows::PLAIN);
        let sql = format!("SELECT {columns}, i.uploaded_by FROM images i WHERE i.id = $1");
        let row = sqlx::query(AssertSqlSafe(sql)).bind(id.0).fetch_optional(&mut *self.read.get().await?).await?;
        let Some(row) = row else {
            return Ok(None);
        };
        use sqlx::Row;
        let by: Option<i64> = row.try_get("uploaded_by")?;
        Ok(rows::image(&row, &rows::PLAIN)?.map(|image| StoredImage { image, uploaded_by: by.map(UserId) }))
    }

    /// Pictures whose caption, credit, alt text or keywords contain `text` (all when empty),
    /// newest first.
    pub async fn images_page(&self, text: &str, limit: i64, offset: i64) -> Result<Page<Image>, StoreError> {
        let condition = ["caption", "credit", "alt", "keywords"]
            .map(|c| format!("i.{c} {} $1 ESCAPE '\\'", dialect::ILIKE))
            .join(" OR ");
        let condition = format!("({condition})");
        let pattern = like_pattern(text);
        let total: i64 = sqlx::query_scalar(AssertSqlSafe(format!("SELECT COUNT(*) FROM images i WHERE {condition}")))
            .bind(&pattern)
            .fetch_one(&mut *self.read.get().await?)
            .await?;
        let sql = format!(
            "SELECT {} FROM images i WHERE {condition} ORDER BY i.id DESC LIMIT $2 OFFSET $3",
            rows::image_columns("i", &rows::PLAIN)
        );
        let rows = sqlx::query(AssertSqlSafe(sql))
            .bind(&pattern)
            .bind(limit)
            .bind(offset.max(0))
            .fetch_all(&mut *self.read.get().await?)
            .await?;
        let items = rows.iter().filter_map(|r| rows::image(r, &rows::PLAIN).transpose()).collect::<Result<_, _>>()?;
        Ok(Page { items, total })
    }

    /// The articles showing a picture as their hero (what the newsroom needs to decide who may see them).
    pub async fn articles_with_hero(&self, image: ImageId) -> Result<Vec<ArticleMeta>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, headline, status, version, owner_id FROM articles \
             WHERE hero_image_id = $1 ORDER BY updated_at DESC LIMIT 50",
        )
        .bind(image.0)
        .fetch_all(&mut *self.read.get().await?)
        .await?;
        rows.iter().map(super::newsroom::meta).collect()
    }

    /// How many articles each section, author and source has, by id: (table, id, count).
    pub async fn usage_counts(&self) -> Result<Vec<Usage>, StoreError> {
        let rows: Vec<(String, i64, i64)> = sqlx::query_as(
            "SELECT 'section', section_id, COUNT(*) FROM articles GROUP BY section_id \
             UNION ALL SELECT 'author', author_id, COUNT(*) FROM article_authors GROUP BY author_id \
             UNION ALL SELECT 'source', source_id, COUNT(*) FROM article_sources GROUP BY source_id",
        )
        .fetch_all(&mut *self.read.get().await?)
        .await?;
        Ok(rows.into_iter().map(|(kind, id, articles)| Usage { kind, id, articles }).collect())
    }

    /// Changes what readers are told about a picture and where its crops centre, in a
    /// transaction of its own (see [`update_image`]).
    pub async fn update_image(&self, id: ImageId, update: &ImageUpdate) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        update_image(&mut tx, id, update).await?;
        self.commit(tx).await
    }
}

/// Changes a picture's texts and focal point; every article showing it is changed with it.
pub(crate) async fn update_image(
    tx: &mut Transaction<'_, Db>,
    id: ImageId,
    update: &ImageUpdate,
) -> Result<(), StoreError> {
    let n = sqlx::query(
        "UPDATE images SET alt = $1, caption = $2, credit = $3, keywords = $4, focal_x = $5, focal_y = $6 \
         WHERE id = $7",
    )
    .bind(update.alt.trim())
    .bind(update.caption.trim())
    .bind(update.credit.trim())
    .bind(rows::join_keywords(&update.keywords))
    .bind(update.focal.map(|f| f64::from(f.x)))
    .bind(update.focal.map(|f| f64::from(f.y)))
    .bind(id.0)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    if n == 0 {
        return Err(StoreError::NotFound("image"));
    }
    touch_linked(tx, ARTICLES_OF_HERO, id.0).await
}

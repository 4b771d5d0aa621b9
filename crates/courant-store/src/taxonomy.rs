//! Sections, authors, tags, sources and images: what articles refer to.

use super::Db;
use super::{Store, rows};
use crate::StoreError;
use crate::types::*;
use courant_core::slug::{slugify, with_suffix};
use courant_core::*;
use sqlx::{AssertSqlSafe, Transaction};

/// The kinds of things that have slugs, each with its table. Slugs are unique per kind.
#[derive(Clone, Copy)]
pub(crate) enum SlugKind {
    Section,
    Author,
    Source,
    Article,
}

impl SlugKind {
    /// The slugs among `$1..$n` that rows of this kind hold.
    fn taken_among(self, n: usize) -> String {
        let list = crate::marks(n, 1);
        match self {
            // A section cannot take a page's address either (both are `/{slug}`).
            SlugKind::Section => {
                format!("SELECT slug FROM sections WHERE slug IN {list} UNION SELECT slug FROM pages WHERE slug IN {list}")
            }
            SlugKind::Author => format!("SELECT slug FROM authors WHERE slug IN {list}"),
            SlugKind::Source => format!("SELECT slug FROM sources WHERE slug IN {list}"),
            // An old slug keeps redirecting to its article, so it is never handed out again.
            SlugKind::Article => format!(
                "SELECT slug FROM articles WHERE slug IN {list} \
                 UNION SELECT old_slug FROM article_slug_history WHERE old_slug IN {list}"
            ),
        }
    }

    fn fallback(self) -> &'static str {
        match self {
            SlugKind::Section => "section",
            SlugKind::Author => "author",
            SlugKind::Source => "source",
            SlugKind::Article => "article",
        }
    }
}

/// A slug for `wanted` (or for `title` when nothing is wanted) that no other row of `kind` has:
/// the plain slug when free, else the first free `-2`, `-3`, ...
pub(crate) async fn unique_slug(
    tx: &mut Transaction<'_, Db>,
    kind: SlugKind,
    wanted: Option<&str>,
    title: &str,
) -> Result<String, StoreError> {
    let mut slugs = unique_slugs(tx, kind, &[(wanted, title)]).await?;
    slugs.pop().ok_or(StoreError::NotFound("slug"))
}

/// [`unique_slug`] for many rows at once (imports, the demo), each free of the store's slugs
/// and of the others': one query per round of suffixes instead of one per row.
pub(crate) async fn unique_slugs(
    tx: &mut Transaction<'_, Db>,
    kind: SlugKind,
    rows: &[(Option<&str>, &str)],
) -> Result<Vec<String>, StoreError> {
    let mut bases = Vec::with_capacity(rows.len());
    for (wanted, title) in rows {
        let mut base = match wanted {
            Some(s) if !courant_core::slug::is_valid_slug(s) => {
                return Err(Invalid {
                    field: "slug",
                    message: format!("{s:?} is not a slug: use lowercase letters, digits and single hyphens"),
                }
                .into());
            }
            Some(s) => s.to_string(),
            None => slugify(title),
        };
        if base.is_empty() {
            base = kind.fallback().to_string();
        }
        if matches!(kind, SlugKind::Section) && RESERVED_SECTION_SLUGS.contains(&base.as_str()) {
            base = format!("{base}-section");
        }
        bases.push(base);
    }
    let mut chosen: Vec<Option<String>> = vec![None; rows.len()];
    let mut suffix = vec![1u32; rows.len()];
    let mut given = std::collections::HashSet::new();
    loop {
        let open: Vec<usize> = (0..rows.len()).filter(|i| chosen[*i].is_none()).collect();
        if open.is_empty() {
            break;
        }
        let candidate = |i: usize| if suffix[i] == 1 { bases[i].clone() } else { with_suffix(&bases[i], suffix[i]) };
        let candidates: Vec<String> = open.iter().map(|i| candidate(*i)).collect();
        let mut taken = std::collections::HashSet::new();
        for chunk in candidates.chunks(500) {
            let mut q = sqlx::query_scalar::<_, String>(AssertSqlSafe(kind.taken_among(chunk.len())));
            for slug in chunk {
                q = q.bind(slug);
            }
            taken.extend(q.fetch_all(&mut **tx).await?);
        }
        // In order, so that the first of two rows with one headline keeps the plain slug.
        for (i, slug) in open.into_iter().zip(candidates) {
            if taken.contains(&slug) || given.contains(&slug) {
                suffix[i] += 1;
            } else {
                given.insert(slug.clone());
                chosen[i] = Some(slug);
            }
        }
    }
    Ok(chosen.into_iter().flatten().collect())
}

impl Store {
    /// Creates a section under its parent (or at the top).
    pub async fn insert_section(&self, new: NewSection) -> Result<Section, StoreError> {
        let mut tx = self.begin().await?;
        let section = insert_section(&mut tx, new).await?;
        self.commit(tx).await?;
        Ok(section)
    }

    /// Every section, parents before children, siblings in their order.
    pub async fn sections(&self) -> Result<Vec<Section>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, slug, name, description, parent_id, position FROM sections ORDER BY position, name, id",
        )
        .fetch_all(&mut *self.read.get().await?)
        .await?;
        let all: Vec<Section> = rows.iter().map(rows::section).collect::<Result<_, _>>()?;
        Ok(tree_order(all))
    }

    /// Records an image whose file is already in the media folder.
    pub async fn insert_image(&self, new: NewImage) -> Result<Image, StoreError> {
        let mut tx = self.begin().await?;
        let image = insert_image_by(&mut tx, new, None).await?;
        self.commit(tx).await?;
        Ok(image)
    }

    /// Records many images in one transaction (imports, the demo), in order.
    pub async fn insert_images(&self, new: Vec<NewImage>) -> Result<Vec<Image>, StoreError> {
        if new.iter().any(|image| image.width == 0 || image.height == 0) {
            return Err(Invalid { field: "image", message: "an image needs a width and a height".into() }.into());
        }
        let mut tx = self.begin().await?;
        let first = super::changes::reserve_ids(&mut tx, "images", new.len()).await?;
        let images: Vec<Image> = new.into_iter().zip(first..).map(|(new, id)| stored_image(ImageId(id), new)).collect();
        for chunk in images.chunks(300) {
            let sql = format!(
                "INSERT INTO images (id, file, width, height, alt, caption, credit, keywords) VALUES {}",
                crate::value_rows(chunk.len(), 8)
            );
            let mut q = sqlx::query(AssertSqlSafe(sql));
            for image in chunk {
                q = q
                    .bind(image.id.0)
                    .bind(&image.file)
                    .bind(i64::from(image.width))
                    .bind(i64::from(image.height))
                    .bind(&image.alt)
                    .bind(&image.caption)
                    .bind(&image.credit)
                    .bind(rows::join_keywords(&image.keywords));
            }
            q.execute(&mut *tx).await?;
        }
        self.commit(tx).await?;
        Ok(images)
    }

    /// Creates an author profile.
    pub async fn insert_author(&self, new: NewAuthor) -> Result<Author, StoreError> {
        let mut tx = self.begin().await?;
        let id = insert_author(&mut tx, new).await?;
        self.commit(tx).await?;
        self.author_by_id(id).await?.ok_or(StoreError::NotFound("author"))
    }

    async fn author_by_id(&self, id: AuthorId) -> Result<Option<Author>, StoreError> {
        let sql = format!("{} WHERE au.id = $1", rows::author_select());
        let row = sqlx::query(AssertSqlSafe(sql)).bind(id.0).fetch_optional(&mut *self.read.get().await?).await?;
        row.as_ref().map(rows::author).transpose()
    }

    /// The author with this slug.
    pub async fn author_by_slug(&self, slug: &str) -> Result<Option<Author>, StoreError> {
        let sql = format!("{} WHERE au.slug = $1", rows::author_select());
        let row = sqlx::query(AssertSqlSafe(sql)).bind(slug).fetch_optional(&mut *self.read.get().await?).await?;
        row.as_ref().map(rows::author).transpose()
    }

    /// Every author, by name.
    pub async fn authors(&self) -> Result<Vec<Author>, StoreError> {
        let sql = format!("{} ORDER BY au.name, au.id", rows::author_select());
        let rows = sqlx::query(AssertSqlSafe(sql)).fetch_all(&mut *self.read.get().await?).await?;
        rows.iter().map(rows::author).collect()
    }

    /// The tag named `name` (compared by slug), created when it does not exist yet.
    pub async fn tag_named(&self, name: &str) -> Result<Tag, StoreError> {
        let name = name.trim();
        let mut slug = slugify(name);
        if slug.is_empty() {
            return Err(Invalid { field: "tags", message: format!("{name:?} is not a usable tag") }.into());
        }
        slug.truncate(courant_core::slug::MAX_SLUG_LEN);
        sqlx::query("INSERT INTO tags (slug, name) VALUES ($1, $2) ON CONFLICT (slug) DO NOTHING")
            .bind(&slug)
            .bind(name)
            .execute(&self.write)
            .await?;
        let row =
            sqlx::query("SELECT id, slug, name FROM tags WHERE slug = $1").bind(&slug).fetch_one(&self.write).await?;
        rows::tag(&row)
    }

    /// Every tag, by name.
    pub async fn tags(&self) -> Result<Vec<Tag>, StoreError> {
        let rows = sqlx::query("SELECT id, slug, name FROM tags ORDER BY name, id")
            .fetch_all(&mut *self.read.get().await?)
            .await?;
        rows.iter().map(rows::tag).collect()
    }

    /// Every source, by name.
    pub async fn sources(&self) -> Result<Vec<Source>, StoreError> {
        let rows = sqlx::query("SELECT id, slug, name, url, kind FROM sources ORDER BY name, id")
            .fetch_all(&mut *self.read.get().await?)
            .await?;
        rows.iter().map(rows::source).collect()
    }

    /// The tag with this slug.
    pub async fn tag_by_slug(&self, slug: &str) -> Result<Option<Tag>, StoreError> {
        let row = sqlx::query("SELECT id, slug, name FROM tags WHERE slug = $1")
            .bind(slug)
            .fetch_optional(&mut *self.read.get().await?)
            .await?;
        row.as_ref().map(rows::tag).transpose()
    }

    /// Adds a source to the registry, in a transaction of its own (see [`insert_source`]).
    pub async fn insert_source(&self, new: NewSource) -> Result<Source, StoreError> {
        let mut tx = self.begin().await?;
        let source = insert_source(&mut tx, new).await?;
        self.commit(tx).await?;
        Ok(source)
    }

    /// The source with this slug.
    pub async fn source_by_slug(&self, slug: &str) -> Result<Option<Source>, StoreError> {
        let row = sqlx::query("SELECT id, slug, name, url, kind FROM sources WHERE slug = $1")
            .bind(slug)
            .fetch_optional(&mut *self.read.get().await?)
            .await?;
        row.as_ref().map(rows::source).transpose()
    }
}

/// Orders sections depth-first: each parent followed by its children, siblings by position.
/// Adds a source to the registry under a free slug (its own when given).
pub(crate) async fn insert_source(tx: &mut Transaction<'_, Db>, new: NewSource) -> Result<Source, StoreError> {
    if new.name.trim().is_empty() {
        return Err(Invalid { field: "name", message: "a source needs a name".into() }.into());
    }
    check_source_url(&new.url)?;
    let kind = source_kind(&new.kind)?;
    let slug = unique_slug(tx, SlugKind::Source, new.slug.as_deref(), &new.name).await?;
    let id: i64 =
        sqlx::query_scalar("INSERT INTO sources (slug, name, url, kind) VALUES ($1, $2, $3, $4) RETURNING id")
            .bind(&slug)
            .bind(new.name.trim())
            .bind(&new.url)
            .bind(kind)
            .fetch_one(&mut **tx)
            .await?;
    super::changes::log_site_change(tx).await?;
    Ok(Source { id: SourceId(id), slug, name: new.name.trim().to_string(), url: new.url, kind: kind.to_string() })
}

fn tree_order(all: Vec<Section>) -> Vec<Section> {
    fn visit(parent: Option<SectionId>, all: &[Section], out: &mut Vec<Section>) {
        for s in all.iter().filter(|s| s.parent_id == parent) {
            out.push(s.clone());
            visit(Some(s.id), all, out);
        }
    }
    let mut out = Vec::with_capacity(all.len());
    visit(None, &all, &mut out);
    out
}

/// Turns a foreign-key failure into "not found" naming what was missing.
pub(crate) fn missing_reference(e: sqlx::Error, what: &'static str) -> StoreError {
    match &e {
        sqlx::Error::Database(db) if db.is_foreign_key_violation() => StoreError::NotFound(what),
        _ => StoreError::Database(e),
    }
}

/// A source's address, when given, is a web address.
pub(crate) fn check_source_url(url: &str) -> Result<(), StoreError> {
    if !url.is_empty() && !(url.starts_with("https://") || url.starts_with("http://")) {
        return Err(
            Invalid { field: "url", message: "a source's address starts with https:// or http://".into() }.into()
        );
    }
    Ok(())
}

/// The stored kind of a source: one of the known kinds, "other" when empty.
pub(crate) fn source_kind(kind: &str) -> Result<&'static str, StoreError> {
    let kind = if kind.trim().is_empty() { "other" } else { kind.trim() };
    SOURCE_KINDS
        .iter()
        .copied()
        .find(|k| *k == kind)
        .ok_or_else(|| Invalid { field: "kind", message: format!("choose one of: {}", SOURCE_KINDS.join(", ")) }.into())
}

/// Records an image, with who uploaded it and when if a user did.
pub(crate) async fn insert_image_by(
    tx: &mut Transaction<'_, Db>,
    new: NewImage,
    uploaded: Option<(UserId, time::OffsetDateTime)>,
) -> Result<Image, StoreError> {
    if new.width == 0 || new.height == 0 {
        return Err(Invalid { field: "image", message: "an image needs a width and a height".into() }.into());
    }
    let keywords = rows::join_keywords(&new.keywords);
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO images (file, width, height, alt, caption, credit, keywords, uploaded_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(&new.file)
    .bind(i64::from(new.width))
    .bind(i64::from(new.height))
    .bind(&new.alt)
    .bind(&new.caption)
    .bind(&new.credit)
    .bind(&keywords)
    .bind(uploaded.map(|(by, _)| by.0))
    .bind(uploaded.map(|(_, at)| crate::ts(at)))
    .fetch_one(&mut **tx)
    .await?;
    Ok(stored_image(ImageId(id), new))
}

/// The image a new one becomes once stored under `id` (its keywords as the store keeps them).
fn stored_image(id: ImageId, new: NewImage) -> Image {
    Image {
        id,
        file: new.file,
        width: new.width,
        height: new.height,
        alt: new.alt,
        caption: new.caption,
        credit: new.credit,
        keywords: rows::split_keywords(&rows::join_keywords(&new.keywords)),
        focal: None,
    }
}

/// Creates a section under its parent (or at the top) under a free slug (its own when given).
pub(crate) async fn insert_section(tx: &mut Transaction<'_, Db>, new: NewSection) -> Result<Section, StoreError> {
    if new.name.trim().is_empty() {
        return Err(Invalid { field: "name", message: "a section needs a name".into() }.into());
    }
    let slug = unique_slug(tx, SlugKind::Section, new.slug.as_deref(), &new.name).await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO sections (slug, name, description, parent_id, position) VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(&slug)
    .bind(new.name.trim())
    .bind(&new.description)
    .bind(new.parent_id.map(|p| p.0))
    .bind(new.position)
    .fetch_one(&mut **tx)
    .await
    .map_err(|e| missing_reference(e, "parent section"))?;
    super::changes::log_site_change(tx).await?;
    Ok(Section {
        id: SectionId(id),
        slug,
        name: new.name.trim().to_string(),
        description: new.description,
        parent_id: new.parent_id,
        position: new.position,
    })
}

/// Creates an author profile under a free slug (its own when given).
pub(crate) async fn insert_author(tx: &mut Transaction<'_, Db>, new: NewAuthor) -> Result<AuthorId, StoreError> {
    if new.name.trim().is_empty() {
        return Err(Invalid { field: "name", message: "an author needs a name".into() }.into());
    }
    let slug = unique_slug(tx, SlugKind::Author, new.slug.as_deref(), &new.name).await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO authors (slug, name, title, bio, photo_id) VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(&slug)
    .bind(new.name.trim())
    .bind(&new.title)
    .bind(&new.bio)
    .bind(new.photo_id.map(|p| p.0))
    .fetch_one(&mut **tx)
    .await
    .map_err(|e| missing_reference(e, "photo"))?;
    super::changes::log_site_change(tx).await?;
    Ok(AuthorId(id))
}

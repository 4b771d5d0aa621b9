//! Turning result rows into model types. Every query that selects an entity selects the columns
//! these functions read, under the same names.

use super::DbRow;
use crate::StoreError;
use courant_core::*;
use sqlx::Row;

/// The columns of an image joined into another row, each name prefixed (`hero_`, `photo_`).
pub(crate) fn image_columns(table: &str, prefix: &str) -> String {
    ["id", "file", "width", "height", "alt", "caption", "credit", "keywords", "focal_x", "focal_y"]
        .iter()
        .map(|c| format!("{table}.{c} AS {prefix}{c}"))
        .collect::<Vec<_>>()
        .join(", ")
}

pub(crate) fn image(row: &DbRow, prefix: &str) -> Result<Option<Image>, StoreError> {
    let col = |c: &str| format!("{prefix}{c}");
    let Some(id) = row.try_get::<Option<i64>, _>(col("id").as_str())? else {
        return Ok(None);
    };
    let keywords: String = row.try_get(col("keywords").as_str())?;
    Ok(Some(Image {
        id: ImageId(id),
        file: row.try_get(col("file").as_str())?,
        width: dimension(row.try_get(col("width").as_str())?)?,
        height: dimension(row.try_get(col("height").as_str())?)?,
        alt: row.try_get(col("alt").as_str())?,
        caption: row.try_get(col("caption").as_str())?,
        credit: row.try_get(col("credit").as_str())?,
        keywords: split_keywords(&keywords),
        focal: match (
            row.try_get::<Option<f64>, _>(col("focal_x").as_str())?,
            row.try_get::<Option<f64>, _>(col("focal_y").as_str())?,
        ) {
            (Some(x), Some(y)) => Focal::new(x as f32, y as f32),
            _ => None,
        },
    }))
}

fn dimension(v: i64) -> Result<u32, StoreError> {
    u32::try_from(v).map_err(|_| StoreError::Corrupt(format!("image dimension {v}")))
}

pub(crate) fn join_keywords(keywords: &[String]) -> String {
    keywords
        .iter()
        .map(|k| k.replace('\n', " ").trim().to_string())
        .filter(|k| !k.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

pub(crate) fn split_keywords(s: &str) -> Vec<String> {
    s.lines().filter(|l| !l.is_empty()).map(str::to_string).collect()
}

pub(crate) fn status(row: &DbRow) -> Result<Status, StoreError> {
    let s: String = row.try_get("status")?;
    Status::parse(&s).ok_or_else(|| StoreError::Corrupt(format!("article status {s:?}")))
}

pub(crate) fn section(row: &DbRow) -> Result<Section, StoreError> {
    Ok(Section {
        id: SectionId(row.try_get("id")?),
        slug: row.try_get("slug")?,
        name: row.try_get("name")?,
        description: row.try_get("description")?,
        parent_id: row.try_get::<Option<i64>, _>("parent_id")?.map(SectionId),
        position: row.try_get("position")?,
    })
}

/// Columns for [`author`]: `SELECT {AUTHOR_COLUMNS} FROM authors au LEFT JOIN images ph ...`.
pub(crate) fn author_select() -> String {
    format!(
        "SELECT au.id, au.slug, au.name, au.title, au.bio, {} FROM authors au \
         LEFT JOIN images ph ON ph.id = au.photo_id",
        image_columns("ph", "photo_")
    )
}

pub(crate) fn author(row: &DbRow) -> Result<Author, StoreError> {
    Ok(Author {
        id: AuthorId(row.try_get("id")?),
        slug: row.try_get("slug")?,
        name: row.try_get("name")?,
        title: row.try_get("title")?,
        bio: row.try_get("bio")?,
        photo: image(row, "photo_")?,
    })
}

pub(crate) fn tag(row: &DbRow) -> Result<Tag, StoreError> {
    Ok(Tag { id: TagId(row.try_get("id")?), slug: row.try_get("slug")?, name: row.try_get("name")? })
}

pub(crate) fn source(row: &DbRow) -> Result<Source, StoreError> {
    Ok(Source {
        id: SourceId(row.try_get("id")?),
        slug: row.try_get("slug")?,
        name: row.try_get("name")?,
        url: row.try_get("url")?,
        kind: row.try_get("kind")?,
    })
}

/// The select list and joins for [`summary`]; callers append `WHERE ...`.
pub(crate) fn summary_select() -> String {
    format!(
        "SELECT a.id, a.slug, a.headline, a.standfirst, a.status, a.published_at, a.updated_at, \
         s.slug AS section_slug, s.name AS section_name, {} \
         FROM articles a JOIN sections s ON s.id = a.section_id \
         LEFT JOIN images hi ON hi.id = a.hero_image_id",
        image_columns("hi", "hero_")
    )
}

pub(crate) fn summary(row: &DbRow) -> Result<ArticleSummary, StoreError> {
    Ok(ArticleSummary {
        id: ArticleId(row.try_get("id")?),
        slug: row.try_get("slug")?,
        headline: row.try_get("headline")?,
        standfirst: row.try_get("standfirst")?,
        section_slug: row.try_get("section_slug")?,
        section_name: row.try_get("section_name")?,
        status: status(row)?,
        published_at: row.try_get("published_at")?,
        updated_at: row.try_get("updated_at")?,
        hero: image(row, "hero_")?,
    })
}

//! Turning result rows into model types. Every query that selects an entity selects the columns
//! these functions read, under the same names.

use super::DbRow;
use crate::StoreError;
use courant_core::*;
use sqlx::Row;
use std::sync::OnceLock;
use time::OffsetDateTime;

/// A result row whose columns are read by name: sqlx's rows, and on SQLite the rows a story's
/// page reads on the calling thread (`direct.rs`). Each method reads the column as that type,
/// as sqlx's `try_get` of it would.
pub(crate) trait Get {
    fn int(&self, name: &str) -> Result<i64, StoreError>;
    fn small_int(&self, name: &str) -> Result<i32, StoreError>;
    fn maybe_int(&self, name: &str) -> Result<Option<i64>, StoreError>;
    fn maybe_real(&self, name: &str) -> Result<Option<f64>, StoreError>;
    fn text(&self, name: &str) -> Result<String, StoreError>;
    fn time(&self, name: &str) -> Result<OffsetDateTime, StoreError>;
    fn maybe_time(&self, name: &str) -> Result<Option<OffsetDateTime>, StoreError>;
}

/// A column's type, for [`get`].
pub(crate) trait Value: Sized {
    fn read(row: &(impl Get + ?Sized), name: &str) -> Result<Self, StoreError>;
}

/// Column `name` of `row`, as `T`.
pub(crate) fn get<T: Value>(row: &(impl Get + ?Sized), name: &str) -> Result<T, StoreError> {
    T::read(row, name)
}

macro_rules! value {
    ($($t:ty => $method:ident),* $(,)?) => {
        $(impl Value for $t {
            fn read(row: &(impl Get + ?Sized), name: &str) -> Result<Self, StoreError> {
                row.$method(name)
            }
        })*
    };
}

value!(
    i64 => int,
    i32 => small_int,
    Option<i64> => maybe_int,
    Option<f64> => maybe_real,
    String => text,
    OffsetDateTime => time,
    Option<OffsetDateTime> => maybe_time,
);

impl Get for DbRow {
    fn int(&self, name: &str) -> Result<i64, StoreError> {
        Ok(self.try_get(name)?)
    }
    fn small_int(&self, name: &str) -> Result<i32, StoreError> {
        Ok(self.try_get(name)?)
    }
    fn maybe_int(&self, name: &str) -> Result<Option<i64>, StoreError> {
        Ok(self.try_get(name)?)
    }
    fn maybe_real(&self, name: &str) -> Result<Option<f64>, StoreError> {
        Ok(self.try_get(name)?)
    }
    fn text(&self, name: &str) -> Result<String, StoreError> {
        Ok(self.try_get(name)?)
    }
    fn time(&self, name: &str) -> Result<OffsetDateTime, StoreError> {
        Ok(self.try_get(name)?)
    }
    fn maybe_time(&self, name: &str) -> Result<Option<OffsetDateTime>, StoreError> {
        Ok(self.try_get(name)?)
    }
}

/// How much a read through [`Get`] may take, for where it runs (see `direct.rs`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Weight {
    /// A few rows looked up by key: run in place.
    Light,
    /// Many rows, or a long walk of an index: the thread is handed over while it runs.
    Heavy,
}

/// A value bound to a statement read through [`Get`].
#[derive(Clone, Copy, Debug)]
pub(crate) enum Arg<'a> {
    Int(i64),
    Text(&'a str),
    Time(OffsetDateTime),
}

impl From<&crate::types::Bind> for Arg<'_> {
    fn from(b: &crate::types::Bind) -> Self {
        match *b {
            crate::types::Bind::Id(id) => Arg::Int(id),
            crate::types::Bind::Time(t) => Arg::Time(t),
        }
    }
}

/// An image's columns.
const IMAGE_COLUMNS: [&str; 10] =
    ["id", "file", "width", "height", "alt", "caption", "credit", "keywords", "focal_x", "focal_y"];

/// The names an image's columns take when joined into another row: [`IMAGE_COLUMNS`] under a
/// prefix, spelled out (rows are read by name, and a name made per read was ten allocations
/// for every story in a list).
pub(crate) struct ImageNames([&'static str; 10]);

/// An image read from its own table, unprefixed.
pub(crate) const PLAIN: ImageNames = ImageNames(IMAGE_COLUMNS);

/// A story's main picture (`hero_`).
pub(crate) const HERO: ImageNames = ImageNames([
    "hero_id",
    "hero_file",
    "hero_width",
    "hero_height",
    "hero_alt",
    "hero_caption",
    "hero_credit",
    "hero_keywords",
    "hero_focal_x",
    "hero_focal_y",
]);

/// An author's photo (`photo_`).
pub(crate) const PHOTO: ImageNames = ImageNames([
    "photo_id",
    "photo_file",
    "photo_width",
    "photo_height",
    "photo_alt",
    "photo_caption",
    "photo_credit",
    "photo_keywords",
    "photo_focal_x",
    "photo_focal_y",
]);

/// The columns of an image joined into another row from `table`, under `names`.
pub(crate) fn image_columns(table: &str, names: &ImageNames) -> String {
    IMAGE_COLUMNS.iter().zip(names.0).map(|(c, name)| format!("{table}.{c} AS {name}")).collect::<Vec<_>>().join(", ")
}

pub(crate) fn image(row: &(impl Get + ?Sized), names: &ImageNames) -> Result<Option<Image>, StoreError> {
    let [id, file, width, height, alt, caption, credit, keywords, focal_x, focal_y] = names.0;
    let Some(id) = get::<Option<i64>>(row, id)? else {
        return Ok(None);
    };
    let keywords: String = get(row, keywords)?;
    Ok(Some(Image {
        id: ImageId(id),
        file: get(row, file)?,
        width: dimension(get(row, width)?)?,
        height: dimension(get(row, height)?)?,
        alt: get(row, alt)?,
        caption: get(row, caption)?,
        credit: get(row, credit)?,
        keywords: split_keywords(&keywords),
        focal: match (get::<Option<f64>>(row, focal_x)?, get::<Option<f64>>(row, focal_y)?) {
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

pub(crate) fn status(row: &(impl Get + ?Sized)) -> Result<Status, StoreError> {
    let s: String = get(row, "status")?;
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

/// The select list and joins for [`author`]; callers append `WHERE ...`.
pub(crate) fn author_select() -> &'static str {
    static SQL: OnceLock<String> = OnceLock::new();
    SQL.get_or_init(|| format!("SELECT {} {AUTHOR_FROM}", author_columns()))
}

/// [`author_select`]'s columns, for [`union_all`].
pub(crate) fn author_columns() -> &'static str {
    static SQL: OnceLock<String> = OnceLock::new();
    SQL.get_or_init(|| format!("au.id, au.slug, au.name, au.title, au.bio, {}", image_columns("ph", &PHOTO)))
}

/// [`author_select`]'s joins.
pub(crate) const AUTHOR_FROM: &str = "FROM authors au LEFT JOIN images ph ON ph.id = au.photo_id";

pub(crate) fn author(row: &(impl Get + ?Sized)) -> Result<Author, StoreError> {
    Ok(Author {
        id: AuthorId(get(row, "id")?),
        slug: get(row, "slug")?,
        name: get(row, "name")?,
        title: get(row, "title")?,
        bio: get(row, "bio")?,
        photo: image(row, &PHOTO)?,
    })
}

pub(crate) fn tag(row: &(impl Get + ?Sized)) -> Result<Tag, StoreError> {
    Ok(Tag { id: TagId(get(row, "id")?), slug: get(row, "slug")?, name: get(row, "name")? })
}

pub(crate) fn source(row: &(impl Get + ?Sized)) -> Result<Source, StoreError> {
    Ok(Source {
        id: SourceId(get(row, "id")?),
        slug: get(row, "slug")?,
        name: get(row, "name")?,
        url: get(row, "url")?,
        kind: get(row, "kind")?,
    })
}

/// The select list and joins for [`summary`]; callers append `WHERE ...`.
pub(crate) fn summary_select() -> &'static str {
    static SQL: OnceLock<String> = OnceLock::new();
    SQL.get_or_init(|| format!("SELECT {} {SUMMARY_FROM}", summary_columns()))
}

/// [`summary_select`]'s columns, for [`union_all`]. (These select lists are made once: every
/// listing's statement starts with one.)
pub(crate) fn summary_columns() -> &'static str {
    static SQL: OnceLock<String> = OnceLock::new();
    SQL.get_or_init(|| {
        format!(
            "a.id, a.slug, a.headline, a.standfirst, a.status, a.published_at, a.updated_at, \
             s.slug AS section_slug, s.name AS section_name, {}",
            image_columns("hi", &HERO)
        )
    })
}

/// [`summary_select`]'s joins.
pub(crate) const SUMMARY_FROM: &str =
    "FROM articles a JOIN sections s ON s.id = a.section_id LEFT JOIN images hi ON hi.id = a.hero_image_id";

pub(crate) fn summary(row: &(impl Get + ?Sized)) -> Result<ArticleSummary, StoreError> {
    Ok(ArticleSummary {
        id: ArticleId(get(row, "id")?),
        slug: get(row, "slug")?,
        headline: get(row, "headline")?,
        standfirst: get(row, "standfirst")?,
        section_slug: get(row, "section_slug")?,
        section_name: get(row, "section_name")?,
        status: status(row)?,
        published_at: get(row, "published_at")?,
        updated_at: get(row, "updated_at")?,
        hero: image(row, &HERO)?,
    })
}

/// One statement reading rows of several shapes (`UNION ALL`). Each part is a select list
/// (`table.column` or `expression AS name`, no commas inside an expression) and the rest of its
/// statement (`FROM ...`). Every row carries every part's columns, NULL where its part has none,
/// and `part`, the part's index in `parts`, so each part's rows read by name as if alone.
pub(crate) fn union_all(parts: &[(String, String)]) -> String {
    let lists: Vec<Vec<(&str, &str)>> = parts.iter().map(|(list, _)| columns(list)).collect();
    let mut names: Vec<&str> = Vec::new();
    for (_, name) in lists.iter().flatten() {
        if !names.contains(name) {
            names.push(name);
        }
    }
    let selects: Vec<String> = lists
        .iter()
        .zip(parts)
        .enumerate()
        .map(|(i, (list, (_, rest)))| {
            let values: Vec<String> = names
                .iter()
                .map(|name| match list.iter().find(|(_, n)| n == name) {
                    Some((expression, _)) => format!("{expression} AS {name}"),
                    None => format!("NULL AS {name}"),
                })
                .collect();
            format!("SELECT {i} AS part, {} {rest}", values.join(", "))
        })
        .collect();
    selects.join(" UNION ALL ")
}

/// A select list's columns as (expression, name).
fn columns(list: &str) -> Vec<(&str, &str)> {
    list.split(',')
        .map(str::trim)
        .map(|c| match c.split_once(" AS ") {
            Some((expression, name)) => (expression.trim(), name.trim()),
            None => (c, c.rsplit('.').next().unwrap_or(c)),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn image_names_are_the_columns_under_their_prefix() {
        for (names, prefix) in [(&PLAIN, ""), (&HERO, "hero_"), (&PHOTO, "photo_")] {
            let expected: Vec<String> = IMAGE_COLUMNS.iter().map(|c| format!("{prefix}{c}")).collect();
            assert_eq!(names.0.to_vec(), expected, "{prefix}");
        }
    }

    #[test]
    fn a_union_gives_every_part_every_column() {
        let sql = union_all(&[
            ("a.id AS of, a.slug".to_string(), "FROM a".to_string()),
            ("t.id AS of, t.name, t.slug".to_string(), "FROM t".to_string()),
        ]);
        assert_eq!(
            sql,
            "SELECT 0 AS part, a.id AS of, a.slug AS slug, NULL AS name FROM a UNION ALL \
             SELECT 1 AS part, t.id AS of, t.slug AS slug, t.name AS name FROM t"
        );
    }
}

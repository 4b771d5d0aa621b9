//! A Ghost export imported (the JSON file of Ghost's Settings › Labs › Export, Ghost 2 to 6,
//! with or without its `db` wrapper): staff who wrote as authors, each post's primary tag as its
//! section and its public tags as tags, posts as articles with their status, dates, excerpt,
//! feature image and old address (`/slug/`). Bodies come from `html`, else from `lexical`
//! (Ghost 5 and 6) or `mobiledoc` (Ghost 1 to 4), and are converted to Markdown.
//!
//! The file is read twice, as a stream: once whole, to check it and learn its tags, staff and
//! which post has which, keeping no post's body; then post by post, each converted on a thread
//! of its own while the previous ones are written, all in one store transaction.

use crate::report::Report;
use crate::writer::{self, AHEAD, Named, Picture, Post, Writer, headline, plain, write_all};
use crate::{ImportError, Options, ghost_body, html, io_error, joined};
use courant_core::*;
use courant_newsroom::Newsroom;
use serde::Deserialize;
use serde_json::Value;
use std::collections::HashMap;
use std::io::BufReader;
use std::path::Path;
use time::OffsetDateTime;

/// The kind of sections' keys in the `imported` table: the ids of Ghost's tags.
const TAG: &str = "ghost tag";

/// The export, with or without the `db` wrapper.
#[derive(Debug, Deserialize)]
struct Export {
    db: Option<Vec<Database>>,
    data: Option<Data>,
}

#[derive(Debug, Deserialize)]
struct Database {
    data: Data,
}

/// What the first reading keeps: everything but the posts' bodies and texts.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Data {
    posts: Vec<PostHead>,
    users: Vec<User>,
    tags: Vec<Tag>,
    posts_tags: Vec<PostTag>,
    posts_authors: Vec<PostAuthor>,
    posts_meta: Vec<PostMeta>,
}

/// What the first reading keeps of a post: what relates it to the rest.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct PostHead {
    id: String,
    #[serde(rename = "type")]
    kind: Option<String>,
    page: Option<Value>,
    author_id: Option<String>,
}

/// A post as the second reading hands it over, one at a time.
#[derive(Debug, Default, Deserialize, serde::Serialize)]
#[serde(default)]
struct GhostPost {
    id: String,
    title: Option<String>,
    slug: Option<String>,
    html: Option<String>,
    lexical: Option<String>,
    mobiledoc: Option<String>,
    feature_image: Option<String>,
    /// `post` or `page` (Ghost 3 and later).
    #[serde(rename = "type")]
    kind: Option<String>,
    /// Whether it is a page (Ghost 2: `true`, `1`).
    page: Option<Value>,
    status: Option<String>,
    visibility: Option<String>,
    created_at: Option<Value>,
    updated_at: Option<Value>,
    published_at: Option<Value>,
    custom_excerpt: Option<String>,
    /// The single author of Ghost 1 and 2 exports.
    author_id: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct User {
    id: String,
    name: Option<String>,
    slug: Option<String>,
    bio: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Tag {
    id: String,
    name: Option<String>,
    slug: Option<String>,
    description: Option<String>,
    visibility: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct PostTag {
    post_id: String,
    tag_id: String,
    sort_order: Option<i64>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct PostAuthor {
    post_id: String,
    author_id: String,
    sort_order: Option<i64>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct PostMeta {
    post_id: String,
    feature_image_alt: Option<String>,
    feature_image_caption: Option<String>,
}

/// Imports the Ghost export at `path`, reporting progress as posts done of posts in all. All or
/// nothing: on any error nothing is written.
pub async fn import_ghost(
    newsroom: &Newsroom,
    path: &Path,
    options: &Options,
    progress: &(dyn Fn(u64, u64) + Send + Sync),
) -> Result<Report, ImportError> {
    let data = {
        let path = path.to_path_buf();
        tokio::task::spawn_blocking(move || read(&path)).await.map_err(|e| joined(e.to_string()))??
    };
    let mut report = Report::default();
    let site = Site::of(&data);
    let mut write = newsroom.store().write().await?;
    let mut writer = Writer::new(newsroom, "ghost".into(), options.media.clone(), "/content/images/", TAG).await?;
    // Only staff who wrote become authors (Ghost lists every member of staff).
    for user in data.users.iter().filter(|u| site.wrote.contains_key(u.id.as_str())) {
        let name = user.name.clone().filter(|n| !n.trim().is_empty()).unwrap_or_else(|| user.id.clone());
        let new = NewAuthor {
            slug: user.slug.clone().filter(|s| courant_core::slug::is_valid_slug(s)),
            name: plain(&name),
            bio: user.bio.as_deref().map(plain).unwrap_or_default(),
            ..Default::default()
        };
        writer.author(&mut write, &user.id, new, &mut report).await?;
    }
    for (position, tag) in data.tags.iter().filter(|t| site.primary.contains_key(t.id.as_str())).enumerate() {
        let new = NewSection {
            slug: tag.slug.clone().filter(|s| courant_core::slug::is_valid_slug(s)),
            name: tag.name.as_deref().map(plain).filter(|n| !n.is_empty()).unwrap_or_else(|| tag.id.clone()),
            description: tag.description.as_deref().map(plain).unwrap_or_default(),
            parent_id: None,
            position: position as i64,
        };
        writer.section(&mut write, &tag.id, new, &mut report).await?;
    }

    let total = data.posts.len() as u64;
    let (sender, receiver) = tokio::sync::mpsc::channel::<(Post, u64)>(AHEAD);
    let reader = {
        let path = path.to_path_buf();
        tokio::task::spawn_blocking(move || -> Result<(), ImportError> {
            let site = Site::of(&data);
            let mut n = 0u64;
            stream_posts(&path, &mut |post| {
                n += 1;
                // The writer stopped (it failed): stop reading too.
                sender.blocking_send((prepare(&post, &site), n)).is_ok()
            })
        })
    };
    write_all(writer, &mut write, receiver, reader, progress, total, &mut report).await?;
    writer::audit(&mut write, options, path, &report).await?;
    write.commit().await?;
    Ok(report)
}

/// Reads the export whole; a file that is not JSON says where, and JSON that is not a Ghost
/// export says so.
fn read(path: &Path) -> Result<Data, ImportError> {
    let file = std::fs::File::open(path).map_err(|e| io_error(path, e))?;
    let export: Export = serde_json::from_reader(BufReader::with_capacity(256 * 1024, file)).map_err(|e| {
        // serde_json ends its message with the place, which the error says first.
        let said = e.to_string();
        let what = said.rsplit_once(" at line ").map_or(said.as_str(), |(what, _)| what).to_string();
        if e.is_data() {
            ImportError::NotAnExport(format!(
                "line {}, column {}: this JSON is not shaped as a Ghost export ({what})",
                e.line(),
                e.column()
            ))
        } else {
            let message = format!("not well-formed JSON: {what}");
            ImportError::Malformed { offset: 0, line: e.line() as u64, column: e.column() as u64, message }
        }
    })?;
    match (export.db, export.data) {
        (Some(mut db), _) if !db.is_empty() => Ok(db.swap_remove(0).data),
        (_, Some(data)) => Ok(data),
        _ => Err(ImportError::NotAnExport(
            "the JSON has neither `db` nor `data`: not a Ghost export (export from Settings › Labs › Export in Ghost)"
                .into(),
        )),
    }
}

/// Reads the posts of the export one at a time (the second reading), handing each to `each`
/// until it answers false.
fn stream_posts(path: &Path, each: &mut dyn FnMut(GhostPost) -> bool) -> Result<(), ImportError> {
    use serde::de::DeserializeSeed;
    let file = std::fs::File::open(path).map_err(|e| io_error(path, e))?;
    let mut de = serde_json::Deserializer::from_reader(BufReader::with_capacity(256 * 1024, file));
    let read = Stream { each, level: Level::Root }.deserialize(&mut de);
    match read {
        Err(e) if e.to_string().starts_with(STOPPED) => Ok(()),
        // The first reading found the file whole: this is the disk failing under us.
        Err(e) => Err(io_error(path, std::io::Error::other(e.to_string()))),
        Ok(()) => Ok(()),
    }
}

/// The error that ends the second reading when the writer has stopped.
const STOPPED: &str = "the import stopped";

/// A seed that walks to the posts (under `db[0].data` or `data`) and hands each one over:
/// `level` says where in the document it stands.
struct Stream<'a> {
    each: &'a mut dyn FnMut(GhostPost) -> bool,
    level: Level,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Level {
    /// The document: `db` or `data`.
    Root,
    /// The list of databases: the first one's.
    Databases,
    /// A database: its `data`.
    Database,
    /// The data: its `posts`.
    Data,
    /// The list of posts.
    Posts,
}

impl<'de> serde::de::DeserializeSeed<'de> for Stream<'_> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        match self.level {
            Level::Databases | Level::Posts => d.deserialize_seq(self),
            _ => d.deserialize_map(self),
        }
    }
}

impl<'de> serde::de::Visitor<'de> for Stream<'_> {
    type Value = ();
    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a Ghost export")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<String>()? {
            let next = match (self.level, key.as_str()) {
                (Level::Root, "db") => Some(Level::Databases),
                (Level::Root | Level::Database, "data") => Some(Level::Data),
                (Level::Data, "posts") => Some(Level::Posts),
                _ => None,
            };
            match next {
                Some(level) => map.next_value_seed(Stream { each: &mut *self.each, level })?,
                None => {
                    map.next_value::<serde::de::IgnoredAny>()?;
                }
            }
        }
        Ok(())
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        use serde::de::Error;
        if self.level == Level::Databases {
            // The first database only, as the first reading.
            seq.next_element_seed(Stream { each: &mut *self.each, level: Level::Database })?;
            while seq.next_element::<serde::de::IgnoredAny>()?.is_some() {}
            return Ok(());
        }
        while let Some(post) = seq.next_element::<GhostPost>()? {
            if !(self.each)(post) {
                return Err(A::Error::custom(STOPPED));
            }
        }
        Ok(())
    }
}

/// What the posts' relations say, by post id.
struct Site<'a> {
    /// Each post's tags and authors, in order.
    tags_of: HashMap<&'a str, Vec<&'a Tag>>,
    authors_of: HashMap<&'a str, Vec<&'a User>>,
    meta: HashMap<&'a str, &'a PostMeta>,
    /// Tags that are some post's primary tag, and users who wrote a post.
    primary: HashMap<&'a str, ()>,
    wrote: HashMap<&'a str, ()>,
}

impl<'a> Site<'a> {
    fn of(data: &'a Data) -> Site<'a> {
        let tags: HashMap<&str, &Tag> = data.tags.iter().map(|t| (t.id.as_str(), t)).collect();
        let users: HashMap<&str, &User> = data.users.iter().map(|u| (u.id.as_str(), u)).collect();
        let mut links: Vec<&PostTag> = data.posts_tags.iter().collect();
        links.sort_by_key(|l| l.sort_order.unwrap_or(0));
        let mut tags_of: HashMap<&str, Vec<&Tag>> = HashMap::new();
        for link in links {
            if let Some(tag) = tags.get(link.tag_id.as_str()) {
                tags_of.entry(link.post_id.as_str()).or_default().push(tag);
            }
        }
        let mut bylines: Vec<&PostAuthor> = data.posts_authors.iter().collect();
        bylines.sort_by_key(|l| l.sort_order.unwrap_or(0));
        let mut authors_of: HashMap<&str, Vec<&User>> = HashMap::new();
        for byline in bylines {
            if let Some(user) = users.get(byline.author_id.as_str()) {
                authors_of.entry(byline.post_id.as_str()).or_default().push(user);
            }
        }
        for post in &data.posts {
            if !authors_of.contains_key(post.id.as_str())
                && let Some(user) = post.author_id.as_deref().and_then(|id| users.get(id))
            {
                authors_of.insert(post.id.as_str(), vec![user]);
            }
        }
        let meta = data.posts_meta.iter().map(|m| (m.post_id.as_str(), m)).collect();
        let mut site = Site { tags_of, authors_of, meta, primary: HashMap::new(), wrote: HashMap::new() };
        for post in data.posts.iter().filter(|p| !is_page(&p.kind, &p.page)) {
            if let Some(tag) = site.public_tags(&post.id).first() {
                site.primary.insert(tag.id.as_str(), ());
            }
            for user in site.authors_of.get(post.id.as_str()).into_iter().flatten() {
                site.wrote.insert(user.id.as_str(), ());
            }
        }
        site
    }

    /// A post's tags that readers see (Ghost's internal tags start with `#`).
    fn public_tags(&self, post: &str) -> Vec<&'a Tag> {
        let all = self.tags_of.get(post).map(Vec::as_slice).unwrap_or_default();
        all.iter()
            .filter(|t| {
                t.visibility.as_deref() != Some("internal") && !t.name.as_deref().unwrap_or_default().starts_with('#')
            })
            .copied()
            .collect()
    }
}

fn is_page(kind: &Option<String>, page: &Option<Value>) -> bool {
    kind.as_deref() == Some("page")
        || matches!(page, Some(Value::Bool(true)))
        || matches!(page, Some(Value::Number(n)) if n.as_i64() == Some(1))
}

/// A date as Ghost exports write it: RFC 3339 (`2025-01-01T00:00:00.000Z`), `YYYY-MM-DD
/// HH:MM:SS` in UTC, or milliseconds since 1970.
fn date(value: &Option<Value>) -> Option<OffsetDateTime> {
    match value.as_ref()? {
        Value::String(s) => {
            let s = s.trim();
            OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339).ok().or_else(|| {
                let format = time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]:[second]");
                time::PrimitiveDateTime::parse(s, &format).ok().map(|t| t.assume_utc())
            })
        }
        Value::Number(n) => {
            let ms = n.as_i64()?;
            OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000).ok()
        }
        _ => None,
    }
}

/// Converts a post into what the store needs. Pure, so it runs on the converting thread.
fn prepare(post: &GhostPost, site: &Site<'_>) -> Post {
    let mut warnings = Vec::new();
    let title = post.title.clone().unwrap_or_default();
    let label = format!("post {} {:?}", post.id, title);
    let digest = writer::digest(&serde_json::to_value(post).unwrap_or_default());
    let tags = site.public_tags(&post.id);
    let authors: Vec<Named> = site
        .authors_of
        .get(post.id.as_str())
        .into_iter()
        .flatten()
        .map(|u| Named { key: u.id.clone(), name: u.name.as_deref().map(plain).unwrap_or_else(|| u.id.clone()) })
        .collect();
    let skip = is_page(&post.kind, &post.page).then(|| "pages (Courant has no static pages yet)".to_string());
    let mut status = match post.status.as_deref() {
        Some("published") => Status::Published,
        Some("scheduled") => Status::Scheduled,
        Some("sent") => {
            warnings.push("sent as a newsletter only, never on the site: imported as a draft".into());
            Status::Draft
        }
        _ => Status::Draft,
    };
    if status != Status::Draft && post.visibility.as_deref().is_some_and(|v| v != "public") {
        warnings.push(format!(
            "for members only ({}): imported as a draft, as Courant has no members",
            post.visibility.as_deref().unwrap_or_default()
        ));
        status = Status::Draft;
    }
    let created_at = date(&post.created_at);
    let mut published_at = date(&post.published_at).or(created_at);
    if status != Status::Draft && published_at.is_none() {
        warnings.push("no date in the export; imported as a draft".into());
        status = Status::Draft;
    }
    if status == Status::Draft {
        published_at = None;
    }
    let body_html = match (&post.html, &post.lexical, &post.mobiledoc) {
        (Some(html), _, _) if !html.trim().is_empty() => html.clone(),
        (_, Some(lexical), _) if !lexical.trim().is_empty() => ghost_body::lexical_html(lexical, &mut warnings)
            .unwrap_or_else(|e| {
                warnings.push(format!("body left out: {e}"));
                String::new()
            }),
        (_, _, Some(mobiledoc)) if !mobiledoc.trim().is_empty() => ghost_body::mobiledoc_html(mobiledoc, &mut warnings)
            .unwrap_or_else(|e| {
                warnings.push(format!("body left out: {e}"));
                String::new()
            }),
        _ => String::new(),
    };
    let converted = html::to_markdown(&body_html);
    warnings.extend(converted.warnings);
    let hero = post.feature_image.as_ref().filter(|u| !u.trim().is_empty()).map(|url| {
        let meta = site.meta.get(post.id.as_str());
        let url = url.replace("__GHOST_URL__", "");
        Picture {
            key: url.clone(),
            alt: meta.and_then(|m| m.feature_image_alt.as_deref()).map(plain).unwrap_or_default(),
            caption: meta.and_then(|m| m.feature_image_caption.as_deref()).map(plain).unwrap_or_default(),
            title: String::new(),
            url,
        }
    });
    let slug = post.slug.as_deref().map(slugify).filter(|s| !s.is_empty());
    let old_paths = match (&status, &post.slug) {
        (Status::Published, Some(slug)) if !slug.is_empty() && slug.len() < 500 => vec![format!("/{slug}")],
        _ => Vec::new(),
    };
    Post {
        key: post.id.clone(),
        label,
        digest,
        headline: headline(&title, &converted.markdown, &mut warnings),
        standfirst: post.custom_excerpt.as_deref().map(plain).unwrap_or_default(),
        body: converted.markdown,
        slug,
        status,
        created_at: created_at.or(published_at),
        published_at,
        updated_at: date(&post.updated_at),
        section: tags
            .first()
            .map(|t| Named { key: t.id.clone(), name: t.name.as_deref().map(plain).unwrap_or_default() }),
        tags: tags.iter().filter_map(|t| t.name.as_deref().map(plain)).filter(|n| !n.is_empty()).collect(),
        // The writer reports the author it makes for a post without one.
        authors: if authors.is_empty() { vec![Named { key: "staff".into(), name: "Staff".into() }] } else { authors },
        hero,
        pictures: converted.pictures,
        old_paths,
        warnings,
        skip,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ghost_dates_in_every_spelling() {
        let at = time::macros::datetime!(2025-01-02 03:04:05 UTC);
        assert_eq!(date(&Some(Value::from("2025-01-02T03:04:05.000Z"))), Some(at));
        assert_eq!(date(&Some(Value::from("2025-01-02 03:04:05"))), Some(at));
        assert_eq!(date(&Some(Value::from(at.unix_timestamp() * 1000))), Some(at));
        assert_eq!(date(&Some(Value::Null)), None);
    }
}

//! A WordPress export imported: authors, categories as sections (their tree kept), posts as
//! articles with their status, dates, slug, bylines, tags and old addresses.
//!
//! The file is read twice, as a stream: once whole, to check it and learn the channel's
//! authors, categories and attachments before anything is written; then item by item, each
//! post converted (shortcodes, blocks and HTML to Markdown) on a thread of its own while the
//! previous ones are written, all in one store transaction.

use crate::report::Report;
use crate::wxr::{self, Channel, Item};
use crate::{ImportError, html};
use courant_core::*;
use courant_newsroom::{Newsroom, PictureTexts, Refusal, Upload};
use courant_store::Write;
use std::collections::{HashMap, HashSet};
use std::io::BufReader;
use std::path::{Path, PathBuf};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc2822;

/// How to import.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// A copy of the site's `wp-content/uploads`, where featured pictures are looked for.
    pub media: Option<PathBuf>,
}

/// Articles written per statement batch.
const BATCH: usize = 200;

/// Items converted ahead of the writer.
const AHEAD: usize = 64;

/// Kind names in the `imported` table.
const POST: &str = "post";
const CATEGORY: &str = "category";
const AUTHOR: &str = "author";
const ATTACHMENT: &str = "attachment";

/// Imports the WordPress export at `path` into `store`, reporting progress as bytes read of
/// bytes in all (`progress(done, total)`). All or nothing: on any error nothing is written.
pub async fn import_wordpress(
    newsroom: &Newsroom,
    path: &Path,
    options: &Options,
    progress: &(dyn Fn(u64, u64) + Send + Sync),
) -> Result<Report, ImportError> {
    let store = newsroom.store();
    let total = std::fs::metadata(path).map_err(|e| io_error(path, e))?.len();
    let scanned = {
        let path = path.to_path_buf();
        tokio::task::spawn_blocking(move || scan(&path)).await.map_err(|e| joined(e.to_string()))??
    };
    let mut report = Report::default();
    for (kind, n) in &scanned.left_out {
        *report.left_out.entry(kind.clone()).or_default() += n;
    }
    let origin = origin_of(&scanned.channel);
    let existing_tags: HashSet<String> = store.tags().await?.into_iter().map(|t| t.slug).collect();

    let (sender, mut receiver) = tokio::sync::mpsc::channel::<(Post, u64)>(AHEAD);
    let reader = {
        let path = path.to_path_buf();
        let channel = scanned.channel.clone();
        tokio::task::spawn_blocking(move || -> Result<(), ImportError> {
            let file = std::fs::File::open(&path).map_err(|e| io_error(&path, e))?;
            wxr::read(BufReader::with_capacity(256 * 1024, file), |item, at| {
                if item.post_type != "post" {
                    return Ok(());
                }
                let post = prepare(item, &channel);
                // The writer stopped (it failed): stop reading too.
                sender.blocking_send((post, at)).map_err(|_| ImportError::NotAnExport(String::new()))
            })
            .map(|_| ())
        })
    };

    let mut write = store.write().await?;
    let mut writer = Writer {
        origin,
        sections: import_sections(&mut write, &origin_of(&scanned.channel), &scanned.channel, &mut report).await?,
        authors: import_authors(&mut write, &origin_of(&scanned.channel), &scanned.channel, &mut report).await?,
        channel: scanned.channel,
        attachments: scanned.attachments,
        existing_tags,
        new_tags: HashSet::new(),
        old_tags: HashSet::new(),
        batch: Vec::new(),
        media: options.media.clone(),
        pictures: HashMap::new(),
        newsroom: newsroom.clone(),
    };
    let mut failed = None;
    while let Some((post, at)) = receiver.recv().await {
        if let Err(e) = writer.post(&mut write, post, &mut report).await {
            failed = Some(e);
            break;
        }
        progress(at, total);
    }
    drop(receiver);
    let read = reader.await.map_err(|e| joined(e.to_string()))?;
    if let Some(e) = failed {
        return Err(e);
    }
    read?;
    writer.flush(&mut write, &mut report).await?;
    report.count("tags").imported += writer.new_tags.len() as u64;
    report.count("tags").skipped += writer.old_tags.len() as u64;
    write.commit().await?;
    progress(total, total);
    Ok(report)
}

fn io_error(path: &Path, source: std::io::Error) -> ImportError {
    ImportError::Io { path: path.display().to_string(), source }
}

fn joined(message: String) -> ImportError {
    ImportError::Io { path: String::new(), source: std::io::Error::other(message) }
}

/// The publication an export comes from, naming its items in the `imported` table.
fn origin_of(channel: &Channel) -> String {
    format!("wordpress {}", channel.blog_url.trim_end_matches('/'))
}

/// What the first reading learns.
struct Scan {
    channel: Channel,
    /// Attachments by post id.
    attachments: HashMap<String, Attachment>,
    /// Items that are not posts, per reason.
    left_out: HashMap<String, u64>,
}

/// A picture (or other file) the export lists.
#[derive(Debug, Clone)]
struct Attachment {
    url: String,
    title: String,
    caption: String,
    alt: String,
}

/// Reads the whole export once: checks it is one, learns its channel and attachments, counts
/// what is left out. The error carries the line and column of a malformed document.
fn scan(path: &Path) -> Result<Scan, ImportError> {
    let file = std::fs::File::open(path).map_err(|e| io_error(path, e))?;
    let mut attachments = HashMap::new();
    let mut left_out: HashMap<String, u64> = HashMap::new();
    let read = wxr::read(BufReader::with_capacity(256 * 1024, file), |item, _| {
        match item.post_type.as_str() {
            "post" => {}
            "attachment" => {
                *left_out.entry("attachments (only featured pictures are imported)".into()).or_default() += 1;
                attachments.insert(
                    item.post_id.clone(),
                    Attachment {
                        url: item.attachment_url.clone(),
                        title: item.title.clone(),
                        caption: plain(&item.excerpt),
                        alt: item.meta("_wp_attachment_image_alt").unwrap_or_default().to_string(),
                    },
                );
            }
            "page" => *left_out.entry("pages (Courant has no static pages yet)".into()).or_default() += 1,
            other => *left_out.entry(format!("items of type {other}")).or_default() += 1,
        }
        Ok(())
    });
    match read {
        Ok(channel) => Ok(Scan { channel, attachments, left_out }),
        Err(e @ ImportError::Malformed { .. }) => {
            let file = std::fs::File::open(path).map_err(|e| io_error(path, e))?;
            Err(e.located(BufReader::new(file)))
        }
        Err(e) => Err(e),
    }
}

/// A post converted, ready to be written.
#[derive(Debug)]
struct Post {
    key: String,
    label: String,
    digest: String,
    headline: String,
    standfirst: String,
    body: String,
    slug: Option<String>,
    status: Status,
    created_at: OffsetDateTime,
    published_at: Option<OffsetDateTime>,
    updated_at: OffsetDateTime,
    /// Category nicenames, the first one the section.
    categories: Vec<String>,
    tags: Vec<String>,
    /// Author logins, in byline order.
    authors: Vec<String>,
    thumbnail: Option<String>,
    /// Old addresses (no trailing slash) that should lead to it.
    old_paths: Vec<String>,
    warnings: Vec<String>,
    /// Skipped (trash, auto-draft): why.
    skip: Option<String>,
}

/// Converts an item into what the store needs. Pure, so it runs on the reading thread.
fn prepare(item: Item, channel: &Channel) -> Post {
    let mut warnings = Vec::new();
    let label = format!("post {} {:?}", item.post_id, item.title);
    let digest = digest(&item);
    let skip = match item.status.as_str() {
        "trash" => Some("posts in the trash".to_string()),
        "auto-draft" => Some("automatic drafts".to_string()),
        "inherit" => Some("revisions".to_string()),
        _ => None,
    };
    let mut status = match item.status.as_str() {
        "publish" => Status::Published,
        "future" => Status::Scheduled,
        "private" => {
            warnings.push("private post imported as a draft".into());
            Status::Draft
        }
        _ => Status::Draft,
    };
    if !item.password.is_empty() && status != Status::Draft {
        warnings.push("password-protected post imported as a draft (Courant has no post passwords)".into());
        status = Status::Draft;
    }
    let date =
        gmt(&item.post_date_gmt).or_else(|| OffsetDateTime::parse(item.pub_date.trim(), &Rfc2822).ok()).or_else(|| {
            let local = gmt(&item.post_date)?;
            warnings.push("no UTC date in the export; its local date was taken as UTC".into());
            Some(local)
        });
    let now = OffsetDateTime::now_utc();
    let created_at = date.unwrap_or(now);
    if date.is_none() && status != Status::Draft {
        warnings.push("no date in the export; dated now and imported as a draft".into());
        status = Status::Draft;
    }
    let published_at = (status != Status::Draft).then_some(created_at);
    let updated_at = gmt(&item.post_modified_gmt).filter(|m| *m >= created_at).unwrap_or(created_at);

    let converted = html::to_markdown(&body_html(&item.content, &mut warnings));
    warnings.extend(converted.warnings);
    if !converted.pictures.is_empty() {
        warnings.push(format!(
            "{} picture(s) in the body kept as Markdown images; the article page does not show pictures inside the body yet",
            converted.pictures.len()
        ));
    }
    let mut headline = plain(&item.title);
    if headline.is_empty() {
        let words: Vec<&str> = converted.markdown.split_whitespace().take(8).collect();
        headline = if words.is_empty() { "Untitled".to_string() } else { format!("{} …", words.join(" ")) };
        headline = plain(&headline).replace(['*', '#', '\\'], "");
        warnings.push(format!("no title; headline made from the first words: {headline:?}"));
    }
    if headline.chars().count() > MAX_HEADLINE_CHARS {
        headline = headline.chars().take(MAX_HEADLINE_CHARS - 1).collect::<String>() + "…";
        warnings.push(format!("title cut to {MAX_HEADLINE_CHARS} characters"));
    }
    let slug = {
        let decoded = percent_decode(&item.post_name);
        let slug = slugify(&decoded);
        (!slug.is_empty()).then_some(slug)
    };
    let categories: Vec<String> =
        item.terms.iter().filter(|t| t.domain == "category").map(|t| t.nicename.clone()).collect();
    let mut tags: Vec<String> = item
        .terms
        .iter()
        .filter(|t| t.domain == "post_tag")
        .map(|t| plain(&t.name))
        .filter(|t| !t.is_empty())
        .collect();
    // A story has one section: further categories are kept as tags.
    for extra in item.terms.iter().filter(|t| t.domain == "category").skip(1) {
        let name = plain(&extra.name);
        if !name.is_empty() && !tags.contains(&name) {
            tags.push(name);
        }
    }
    // Co-Authors Plus files bylines as terms of the `author` taxonomy (`cap-login`).
    let mut authors: Vec<String> = item
        .terms
        .iter()
        .filter(|t| t.domain == "author")
        .map(|t| t.nicename.trim_start_matches("cap-").to_string())
        .collect();
    if authors.is_empty() {
        authors.push(login(&item.creator));
    }
    let mut old_paths = Vec::new();
    if status == Status::Published {
        if let Some(path) = path_of(&item.link, &channel.blog_url) {
            old_paths.push(path);
        }
        if !item.post_id.is_empty() {
            old_paths.push(format!("/?p={}", item.post_id));
        }
    }
    Post {
        key: item.post_id.clone(),
        label,
        digest,
        headline,
        standfirst: plain(&item.excerpt),
        body: converted.markdown,
        slug,
        status,
        created_at,
        published_at,
        updated_at,
        categories,
        tags,
        authors,
        thumbnail: item.meta("_thumbnail_id").map(str::to_string),
        old_paths,
        warnings,
        skip,
    }
}

/// A post's HTML as WordPress would show it: shortcodes handled, paragraphs of the classic
/// editor made (block-editor content has its own).
fn body_html(content: &str, warnings: &mut Vec<String>) -> String {
    let content = crate::shortcodes::expand(content, warnings);
    if content.contains("<!-- wp:") { content } else { html::autop(&content) }
}

/// A fingerprint of everything of an item that is imported, to tell a changed post from the
/// same one.
fn digest(item: &Item) -> String {
    let terms: Vec<(&str, &str, &str)> =
        item.terms.iter().map(|t| (t.domain.as_str(), t.nicename.as_str(), t.name.as_str())).collect();
    let fields = serde_json::json!([
        item.title,
        item.content,
        item.excerpt,
        item.status,
        item.post_date_gmt,
        item.post_date,
        item.pub_date,
        item.post_modified_gmt,
        item.post_name,
        item.creator,
        item.password,
        item.link,
        terms,
        item.meta("_thumbnail_id"),
    ]);
    let bytes = fields.to_string();
    let d = ring::digest::digest(&ring::digest::SHA256, bytes.as_bytes());
    d.as_ref().iter().map(|b| format!("{b:02x}")).collect()
}

/// A login as an item names its author: WordPress logins are letters, digits, spaces and
/// `_ . - @`; stray marks around one (`>login`, seen in real exports) are dropped.
fn login(creator: &str) -> String {
    creator.trim().trim_matches(|c: char| !(c.is_alphanumeric() || "_.-@".contains(c))).to_string()
}

/// `YYYY-MM-DD HH:MM:SS` as UTC; none for WordPress's zero date or anything else.
fn gmt(text: &str) -> Option<OffsetDateTime> {
    let format = time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]:[second]");
    let t = time::PrimitiveDateTime::parse(text.trim(), &format).ok()?;
    Some(t.assume_utc())
}

/// Text of an HTML fragment (titles, excerpts and term names carry entities and tags), its
/// white space collapsed.
fn plain(html: &str) -> String {
    if !html.contains(['<', '&']) {
        return html.split_whitespace().collect::<Vec<_>>().join(" ");
    }
    let fragment = scraper::Html::parse_fragment(html);
    let text: String = fragment.root_element().text().collect();
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `%xx` escapes decoded (WordPress keeps non-ASCII slugs encoded); invalid ones kept.
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(hex) = s.get(i + 1..i + 3)
            && let Ok(b) = u8::from_str_radix(hex, 16)
        {
            out.push(b);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The path (and query) of `link` on the blog, without a trailing slash; none for another
/// site or the home page.
fn path_of(link: &str, blog_url: &str) -> Option<String> {
    let rest = link.trim().strip_prefix("https://").or_else(|| link.trim().strip_prefix("http://"))?;
    let blog = blog_url.trim().trim_start_matches("https://").trim_start_matches("http://");
    let blog_host = blog.split('/').next().unwrap_or_default();
    let (host, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    if !host.eq_ignore_ascii_case(blog_host) {
        return None;
    }
    let path = path.split('#').next().unwrap_or_default().trim_end_matches('/');
    (!path.is_empty() && path.len() <= 1000).then(|| path.to_string())
}

/// The file of an uploaded picture in a copy of `wp-content/uploads`: its address's path
/// after `wp-content/uploads/` (or whole, for WordPress.com's file hosts). Never outside the
/// folder: a path with `..` or a root finds nothing.
fn find_upload(media: &Path, url: &str) -> Option<PathBuf> {
    let rest = url.trim().split_once("://").map_or(url, |(_, r)| r);
    let path = rest.find('/').map_or("", |i| &rest[i..]);
    let path = percent_decode(path.split(['?', '#']).next().unwrap_or_default());
    let relative = path.split_once("/wp-content/uploads/").map_or(path.as_str(), |(_, r)| r).trim_start_matches('/');
    let relative = Path::new(relative);
    if !relative.components().all(|c| matches!(c, std::path::Component::Normal(_))) {
        return None;
    }
    let file = media.join(relative);
    file.is_file().then_some(file)
}

/// Creates the sections of the categories not imported before, parents first; returns every
/// category's section by nicename.
async fn import_sections(
    write: &mut Write,
    origin: &str,
    channel: &Channel,
    report: &mut Report,
) -> Result<HashMap<String, SectionId>, ImportError> {
    let mut ids: HashMap<String, SectionId> = HashMap::new();
    let known: HashSet<&str> = channel.categories.iter().map(|c| c.nicename.as_str()).collect();
    let mut pending: Vec<&wxr::Category> = channel.categories.iter().collect();
    let mut position = 0i64;
    while !pending.is_empty() {
        let before = pending.len();
        let mut waiting = Vec::new();
        for category in pending {
            let parent = category.parent.trim();
            let parent_id = if parent.is_empty() || !known.contains(parent) {
                if !parent.is_empty() {
                    report.warn(
                        &format!("category {:?}", category.nicename),
                        format!("its parent {parent:?} is not in the export; placed at the top"),
                    );
                }
                None
            } else if let Some(id) = ids.get(parent) {
                Some(*id)
            } else {
                waiting.push(category);
                continue;
            };
            let id = section(write, origin, category, parent_id, position, report).await?;
            position += 1;
            ids.insert(category.nicename.clone(), id);
        }
        if waiting.len() == before {
            // A loop of parents: the rest go to the top.
            for category in &waiting {
                report.warn(&format!("category {:?}", category.nicename), "its parents form a loop; placed at the top");
                let id = section(write, origin, category, None, position, report).await?;
                position += 1;
                ids.insert(category.nicename.clone(), id);
            }
            break;
        }
        pending = waiting;
    }
    Ok(ids)
}

async fn section(
    write: &mut Write,
    origin: &str,
    category: &wxr::Category,
    parent_id: Option<SectionId>,
    position: i64,
    report: &mut Report,
) -> Result<SectionId, ImportError> {
    if let Some((id, _)) = write.imported(origin, CATEGORY, &category.nicename).await? {
        report.count("sections").skipped += 1;
        return Ok(SectionId(id));
    }
    let name = match plain(&category.name) {
        n if n.is_empty() => category.nicename.clone(),
        n => n,
    };
    let wanted = slugify(&percent_decode(&category.nicename));
    let new = NewSection {
        slug: (!wanted.is_empty()).then_some(wanted),
        name,
        description: plain(&category.description),
        parent_id,
        position,
    };
    let created = write.insert_section(new).await?;
    write.remember_imported(origin, CATEGORY, &category.nicename, created.id.0, "").await?;
    report.count("sections").imported += 1;
    Ok(created.id)
}

/// Creates the authors not imported before; returns every author by login.
async fn import_authors(
    write: &mut Write,
    origin: &str,
    channel: &Channel,
    report: &mut Report,
) -> Result<HashMap<String, AuthorId>, ImportError> {
    let mut ids = HashMap::new();
    for author in &channel.authors {
        let full = format!("{} {}", author.first_name.trim(), author.last_name.trim());
        let name = [author.display_name.trim(), full.trim(), author.login.trim()]
            .into_iter()
            .find(|n| !n.is_empty())
            .unwrap_or("Staff")
            .to_string();
        let id = author_id(write, origin, &login(&author.login), &name, report).await?;
        ids.insert(login(&author.login), id);
    }
    Ok(ids)
}

async fn author_id(
    write: &mut Write,
    origin: &str,
    login: &str,
    name: &str,
    report: &mut Report,
) -> Result<AuthorId, ImportError> {
    if let Some((id, _)) = write.imported(origin, AUTHOR, login).await? {
        report.count("authors").skipped += 1;
        return Ok(AuthorId(id));
    }
    let id = write.insert_author(NewAuthor { name: plain(name), ..NewAuthor::default() }).await?;
    write.remember_imported(origin, AUTHOR, login, id.0, "").await?;
    report.count("authors").imported += 1;
    Ok(id)
}

/// Writes posts as they come, new ones in batches.
struct Writer {
    origin: String,
    channel: Channel,
    sections: HashMap<String, SectionId>,
    authors: HashMap<String, AuthorId>,
    attachments: HashMap<String, Attachment>,
    existing_tags: HashSet<String>,
    /// Tags the posts name that were new, and that were there before (by slug).
    new_tags: HashSet<String>,
    old_tags: HashSet<String>,
    /// New articles waiting for their batch, with their key, digest and old addresses.
    batch: Vec<(NewArticle, String, String, Vec<String>)>,
    media: Option<PathBuf>,
    /// Pictures imported (or imported before) by attachment id.
    pictures: HashMap<String, ImageId>,
    newsroom: Newsroom,
}

impl Writer {
    async fn post(&mut self, write: &mut Write, post: Post, report: &mut Report) -> Result<(), ImportError> {
        if let Some(reason) = &post.skip {
            report.leave_out(reason.clone());
            return Ok(());
        }
        let mut seen: Vec<(&String, usize)> = Vec::new();
        for w in &post.warnings {
            match seen.iter_mut().find(|(s, _)| *s == w) {
                Some((_, n)) => *n += 1,
                None => seen.push((w, 1)),
            }
        }
        for (w, n) in seen {
            let message = if n == 1 { w.clone() } else { format!("{w} ({n} times)") };
            report.warn(&post.label, message);
        }
        let section_id = self.section_of(write, &post, report).await?;
        let mut author_ids = Vec::new();
        for login in &post.authors {
            let id = match self.authors.get(login) {
                Some(id) => *id,
                None => {
                    let name = if login.is_empty() { self.channel.title.clone() + " staff" } else { login.clone() };
                    report.warn(
                        &post.label,
                        format!("author {login:?} is not in the export's authors; created as {name:?}"),
                    );
                    let id = author_id(write, &self.origin, login, &name, report).await?;
                    self.authors.insert(login.clone(), id);
                    id
                }
            };
            if !author_ids.contains(&id) {
                author_ids.push(id);
            }
        }
        for name in &post.tags {
            let slug = slugify(name);
            if !slug.is_empty() && !self.existing_tags.contains(&slug) {
                self.new_tags.insert(slug);
            } else if !slug.is_empty() {
                self.old_tags.insert(slug);
            }
        }
        let tag_ids = write.tag_ids(&post.tags).await?;
        let hero_image_id = self.hero(write, &post, report).await?;
        let new = NewArticle {
            slug: post.slug.clone(),
            headline: post.headline.clone(),
            standfirst: post.standfirst.clone(),
            body: post.body.clone(),
            hero_image_id,
            section_id,
            author_ids,
            tag_ids,
            source_ids: Vec::new(),
            related_ids: Vec::new(),
            status: post.status,
            created_at: post.created_at,
            published_at: post.published_at,
            updated_at: post.updated_at,
        };
        match write.imported(&self.origin, POST, &post.key).await? {
            Some((_, digest)) if digest == post.digest => {
                report.count("articles").skipped += 1;
            }
            Some((id, _)) => {
                let id = ArticleId(id);
                write.replace_article(id, &new).await?;
                write.remember_imported(&self.origin, POST, &post.key, id.0, &post.digest).await?;
                for path in &post.old_paths {
                    write.add_redirect(path, id).await?;
                }
                report.count("articles").updated += 1;
            }
            None => {
                self.batch.push((new, post.key, post.digest, post.old_paths));
                if self.batch.len() >= BATCH {
                    self.flush(write, report).await?;
                }
            }
        }
        Ok(())
    }

    /// The post's section: its first category's, else the export's "uncategorized" (created
    /// when the export has none, as WordPress files such posts).
    async fn section_of(
        &mut self,
        write: &mut Write,
        post: &Post,
        report: &mut Report,
    ) -> Result<SectionId, ImportError> {
        if let Some(id) = post.categories.iter().find_map(|c| self.sections.get(c)) {
            return Ok(*id);
        }
        if let Some(c) = post.categories.first() {
            report.warn(
                &post.label,
                format!("category {c:?} is not in the export's categories; filed under Uncategorized"),
            );
        }
        if let Some(id) = self.sections.get("uncategorized") {
            return Ok(*id);
        }
        let category =
            wxr::Category { nicename: "uncategorized".into(), name: "Uncategorized".into(), ..Default::default() };
        let id = section(write, &self.origin, &category, None, self.sections.len() as i64, report).await?;
        self.sections.insert(category.nicename, id);
        Ok(id)
    }

    /// The post's featured picture: imported once per attachment from `--media` through the
    /// newsroom's picture checks (content, size, metadata stripped). A picture that is not
    /// there or is refused is reported and the post has no hero; nothing is invented.
    async fn hero(
        &mut self,
        write: &mut Write,
        post: &Post,
        report: &mut Report,
    ) -> Result<Option<ImageId>, ImportError> {
        let Some(thumbnail) = &post.thumbnail else { return Ok(None) };
        if let Some(id) = self.pictures.get(thumbnail) {
            return Ok(Some(*id));
        }
        if let Some((id, _)) = write.imported(&self.origin, ATTACHMENT, thumbnail).await? {
            report.count("pictures").skipped += 1;
            self.pictures.insert(thumbnail.clone(), ImageId(id));
            return Ok(Some(ImageId(id)));
        }
        let Some(attachment) = self.attachments.get(thumbnail) else {
            report.warn(&post.label, format!("featured picture (attachment {thumbnail}) is not in the export"));
            return Ok(None);
        };
        let Some(media) = &self.media else {
            report.warn(
                &post.label,
                format!("featured picture {} left out: give --media with a copy of wp-content/uploads", attachment.url),
            );
            return Ok(None);
        };
        let Some(file) = find_upload(media, &attachment.url) else {
            report.warn(&post.label, format!("featured picture {} is not in {}", attachment.url, media.display()));
            return Ok(None);
        };
        let bytes = tokio::fs::read(&file).await.map_err(|e| io_error(&file, e))?;
        let mut alt = attachment.alt.clone();
        if alt.is_empty() {
            alt = attachment.title.clone();
            report.warn(
                &post.label,
                format!("featured picture {} has no alt text; its title {alt:?} is used", attachment.url),
            );
        }
        let texts =
            PictureTexts { alt, caption: attachment.caption.clone(), credit: String::new(), keywords: Vec::new() };
        let upload = Upload { file_name: file.display().to_string(), bytes: bytes.into() };
        match self.newsroom.prepare_picture(&upload, texts).await {
            Ok(prepared) => {
                let image = write.insert_image(prepared.into_image()).await?;
                write.remember_imported(&self.origin, ATTACHMENT, thumbnail, image.id.0, "").await?;
                report.count("pictures").imported += 1;
                self.pictures.insert(thumbnail.clone(), image.id);
                Ok(Some(image.id))
            }
            Err(Refusal::Store(e)) => Err(e.into()),
            Err(refused) => {
                report.warn(&post.label, format!("featured picture {} refused: {refused}", file.display()));
                Ok(None)
            }
        }
    }

    /// Writes the waiting new articles, remembers their keys and their old addresses.
    async fn flush(&mut self, write: &mut Write, report: &mut Report) -> Result<(), ImportError> {
        if self.batch.is_empty() {
            return Ok(());
        }
        let batch = std::mem::take(&mut self.batch);
        let articles: Vec<NewArticle> = batch.iter().map(|(a, ..)| a.clone()).collect();
        let ids = write.insert_articles(&articles).await?;
        for (id, (_, key, digest, old_paths)) in ids.iter().zip(&batch) {
            write.remember_imported(&self.origin, POST, key, id.0, digest).await?;
            for path in old_paths {
                write.add_redirect(path, *id).await?;
                report.count("redirects").imported += 1;
            }
        }
        report.count("articles").imported += ids.len() as u64;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn old_addresses_are_paths_on_the_blog() {
        let blog = "https://example.org";
        assert_eq!(path_of("https://example.org/2019/04/02/slug/", blog).as_deref(), Some("/2019/04/02/slug"));
        assert_eq!(path_of("http://EXAMPLE.org/slug/#top", blog).as_deref(), Some("/slug"));
        assert_eq!(path_of("https://other.example/slug/", blog), None);
        assert_eq!(path_of("https://example.org/", blog), None);
    }

    #[test]
    fn wordpress_dates_are_utc_and_the_zero_date_is_none() {
        assert_eq!(gmt("2013-01-10 20:15:40"), Some(time::macros::datetime!(2013-01-10 20:15:40 UTC)));
        assert_eq!(gmt("0000-00-00 00:00:00"), None);
    }

    #[test]
    fn slugs_and_titles_are_decoded() {
        assert_eq!(percent_decode("caf%c3%a9-cr%C3%A8me"), "café-crème");
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(plain("Fish &amp; chips &#8217;<em>now</em>"), "Fish & chips ’now");
    }
}

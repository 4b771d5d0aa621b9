//! Writing posts read from any export: each one's section, bylines, tags and featured picture
//! found or created, the post created (new ones in batches), updated in place (changed since
//! the last import) or skipped (the same), and its old addresses kept. Everything goes into the
//! one transaction the import holds; the format modules only read and convert.

use crate::ImportError;
use crate::report::Report;
use courant_core::*;
use courant_newsroom::{Newsroom, PictureTexts, Refusal, Upload};
use courant_store::Write;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use time::OffsetDateTime;

/// Articles written per statement batch.
const BATCH: usize = 200;

/// Posts converted ahead of the writer.
pub(crate) const AHEAD: usize = 64;

/// Kind names in the `imported` table.
const POST: &str = "post";
const AUTHOR: &str = "author";
const PICTURE: &str = "picture";

/// A thing of the export known by its id there, with the name to give it here.
#[derive(Debug, Clone, Default)]
pub(crate) struct Named {
    pub key: String,
    pub name: String,
}

/// A post's featured picture as the export describes it.
#[derive(Debug, Clone, Default)]
pub(crate) struct Picture {
    /// Its id in the export (the attachment's, or its address).
    pub key: String,
    pub url: String,
    pub alt: String,
    pub title: String,
    pub caption: String,
}

/// A post converted, ready to be written.
#[derive(Debug)]
pub(crate) struct Post {
    pub key: String,
    /// How the report names it (`post 12 "Title"`).
    pub label: String,
    /// A fingerprint of what was read, to tell a changed post from the same one.
    pub digest: String,
    pub headline: String,
    pub standfirst: String,
    pub body: String,
    pub slug: Option<String>,
    pub status: Status,
    pub created_at: Option<OffsetDateTime>,
    pub published_at: Option<OffsetDateTime>,
    pub updated_at: Option<OffsetDateTime>,
    /// The section's key among the writer's sections; none files it under Uncategorized.
    pub section: Option<Named>,
    pub tags: Vec<String>,
    /// Bylines in order.
    pub authors: Vec<Named>,
    pub hero: Option<Picture>,
    /// The pictures the body shows (their addresses as in `body`).
    pub pictures: Vec<crate::html::BodyPicture>,
    /// Old addresses (no trailing slash) that lead to it.
    pub old_paths: Vec<String>,
    pub warnings: Vec<String>,
    /// Not imported (trash, automatic drafts): the reason counted in the report.
    pub skip: Option<String>,
}

/// Writes posts into one import's transaction.
pub(crate) struct Writer {
    origin: String,
    newsroom: Newsroom,
    /// Where featured pictures are looked for, and the part of their addresses that names that
    /// folder (`/wp-content/uploads/`, `/content/images/`).
    media: Option<PathBuf>,
    media_marker: &'static str,
    /// The kind of the sections' keys in the `imported` table.
    section_kind: &'static str,
    sections: HashMap<String, SectionId>,
    authors: HashMap<String, AuthorId>,
    pictures: HashMap<String, Image>,
    existing_tags: HashSet<String>,
    /// Tags the posts name that were new, and that were there before (by slug).
    new_tags: HashSet<String>,
    old_tags: HashSet<String>,
    /// New articles waiting for their batch, with their key, digest and old addresses.
    batch: Vec<(NewArticle, String, String, Vec<String>)>,
}

impl Writer {
    /// A writer for posts of `origin` (the publication an export comes from).
    pub async fn new(
        newsroom: &Newsroom,
        origin: String,
        media: Option<PathBuf>,
        media_marker: &'static str,
        section_kind: &'static str,
    ) -> Result<Writer, ImportError> {
        let existing_tags = newsroom.store().tags().await?.into_iter().map(|t| t.slug).collect();
        Ok(Writer {
            origin,
            newsroom: newsroom.clone(),
            media,
            media_marker,
            section_kind,
            sections: HashMap::new(),
            authors: HashMap::new(),
            pictures: HashMap::new(),
            existing_tags,
            new_tags: HashSet::new(),
            old_tags: HashSet::new(),
            batch: Vec::new(),
        })
    }

    /// The section of an item of the export, created when it was never imported.
    pub async fn section(
        &mut self,
        write: &mut Write,
        key: &str,
        new: NewSection,
        report: &mut Report,
    ) -> Result<SectionId, ImportError> {
        if let Some(id) = self.sections.get(key) {
            return Ok(*id);
        }
        let id = match write.imported(&self.origin, self.section_kind, key).await? {
            Some((id, _)) => {
                report.count("sections").skipped += 1;
                SectionId(id)
            }
            None => {
                let created = write.insert_section(new).await?;
                write.remember_imported(&self.origin, self.section_kind, key, created.id.0, "").await?;
                report.count("sections").imported += 1;
                created.id
            }
        };
        self.sections.insert(key.to_string(), id);
        Ok(id)
    }

    /// The author of an item of the export, created when never imported.
    pub async fn author(
        &mut self,
        write: &mut Write,
        key: &str,
        new: NewAuthor,
        report: &mut Report,
    ) -> Result<AuthorId, ImportError> {
        if let Some(id) = self.authors.get(key) {
            return Ok(*id);
        }
        let id = match write.imported(&self.origin, AUTHOR, key).await? {
            Some((id, _)) => {
                report.count("authors").skipped += 1;
                AuthorId(id)
            }
            None => {
                let id = write.insert_author(new).await?;
                write.remember_imported(&self.origin, AUTHOR, key, id.0, "").await?;
                report.count("authors").imported += 1;
                id
            }
        };
        self.authors.insert(key.to_string(), id);
        Ok(id)
    }

    /// Writes one post (see the module's comment).
    pub async fn post(&mut self, write: &mut Write, post: Post, report: &mut Report) -> Result<(), ImportError> {
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
        // A section the export did not list is made at the top, under the name the post gives.
        let section_id = match &post.section {
            Some(section) if self.sections.contains_key(&section.key) || !section.name.is_empty() => {
                let new = NewSection {
                    name: section.name.clone(),
                    position: self.sections.len() as i64,
                    ..Default::default()
                };
                self.section(write, &section.key, new, report).await?
            }
            _ => {
                let new = NewSection {
                    slug: Some("uncategorized".into()),
                    name: "Uncategorized".into(),
                    position: self.sections.len() as i64,
                    ..Default::default()
                };
                self.section(write, "uncategorized", new, report).await?
            }
        };
        let mut author_ids = Vec::new();
        for byline in &post.authors {
            if !self.authors.contains_key(&byline.key) {
                report.warn(
                    &post.label,
                    format!("author {:?} is not in the export; created as {:?}", byline.key, byline.name),
                );
            }
            let new = NewAuthor { name: byline.name.clone(), ..NewAuthor::default() };
            let id = self.author(write, &byline.key, new, report).await?;
            if !author_ids.contains(&id) {
                author_ids.push(id);
            }
        }
        for name in &post.tags {
            let slug = slugify(name);
            if slug.is_empty() {
                continue;
            }
            if self.existing_tags.contains(&slug) {
                self.old_tags.insert(slug);
            } else {
                self.new_tags.insert(slug);
            }
        }
        let tag_ids = write.tag_ids(&post.tags).await?;
        let hero_image_id = match &post.hero {
            Some(picture) => self.picture(write, &post.label, picture, "featured picture", report).await?.map(|i| i.id),
            None => None,
        };
        let body = self.body_pictures(write, &post, report).await?;
        let now = OffsetDateTime::now_utc();
        let created_at = post.created_at.unwrap_or(now);
        let new = NewArticle {
            slug: post.slug.clone(),
            headline: post.headline.clone(),
            standfirst: post.standfirst.clone(),
            body,
            hero_image_id,
            section_id,
            author_ids,
            tag_ids,
            source_ids: Vec::new(),
            related_ids: Vec::new(),
            status: post.status,
            created_at,
            published_at: post.published_at,
            updated_at: post.updated_at.filter(|u| *u >= created_at).unwrap_or(created_at),
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

    /// The post's body with its pictures imported into the library and shown from there
    /// (`/media/FILE#WxH`). Pictures not imported keep their address: the page links to them.
    async fn body_pictures(
        &mut self,
        write: &mut Write,
        post: &Post,
        report: &mut Report,
    ) -> Result<String, ImportError> {
        let mut body = post.body.clone();
        if self.media.is_none() {
            if !post.pictures.is_empty() {
                let folder = self.media_marker.trim_matches('/');
                report.warn(
                    &post.label,
                    format!(
                        "{} picture(s) in the body left on the old site (the page links to them): give --media with a copy of {folder}",
                        post.pictures.len()
                    ),
                );
            }
            return Ok(body);
        }
        for shown in &post.pictures {
            let picture = Picture {
                key: shown.url.clone(),
                url: shown.url.clone(),
                alt: shown.alt.clone(),
                title: String::new(),
                caption: shown.caption.clone(),
            };
            if let Some(image) = self.picture(write, &post.label, &picture, "picture", report).await? {
                let local = format!("](/media/{}#{}x{}", image.file, image.width, image.height);
                body = body.replace(&format!("]({}", shown.markdown_url), &local);
            }
        }
        Ok(body)
    }

    /// A picture of the post: imported once per picture from the media folder through the
    /// newsroom's picture checks (content, size, metadata stripped). A picture that is not
    /// there or is refused is reported, and none is given; nothing is invented.
    async fn picture(
        &mut self,
        write: &mut Write,
        label: &str,
        picture: &Picture,
        what: &str,
        report: &mut Report,
    ) -> Result<Option<Image>, ImportError> {
        if let Some(image) = self.pictures.get(&picture.key) {
            return Ok(Some(image.clone()));
        }
        if let Some((id, _)) = write.imported(&self.origin, PICTURE, &picture.key).await? {
            if let Some(stored) = self.newsroom.store().image(ImageId(id)).await? {
                report.count("pictures").skipped += 1;
                self.pictures.insert(picture.key.clone(), stored.image.clone());
                return Ok(Some(stored.image));
            }
        }
        if picture.url.is_empty() {
            report.warn(label, format!("{what} {} is not in the export", picture.key));
            return Ok(None);
        }
        let Some(media) = &self.media else {
            let folder = self.media_marker.trim_matches('/');
            report.warn(label, format!("{what} {} left out: give --media with a copy of {folder}", picture.url));
            return Ok(None);
        };
        let Some(file) = find_upload(media, self.media_marker, &picture.url) else {
            report.warn(label, format!("{what} {} is not in {}", picture.url, media.display()));
            return Ok(None);
        };
        let bytes = tokio::fs::read(&file).await.map_err(|e| crate::io_error(&file, e))?;
        let mut alt = picture.alt.clone();
        if alt.is_empty() {
            alt = if picture.title.is_empty() { picture.caption.clone() } else { picture.title.clone() };
            report.warn(label, format!("{what} {} has no alt text; {alt:?} is used", picture.url));
        }
        let texts = PictureTexts { alt, caption: picture.caption.clone(), credit: String::new(), keywords: Vec::new() };
        let upload = Upload { file_name: file.display().to_string(), bytes: bytes.into() };
        match self.newsroom.prepare_picture(&upload, texts).await {
            Ok(prepared) => {
                let image = write.insert_image(prepared.into_image()).await?;
                write.remember_imported(&self.origin, PICTURE, &picture.key, image.id.0, "").await?;
                report.count("pictures").imported += 1;
                self.pictures.insert(picture.key.clone(), image.clone());
                Ok(Some(image))
            }
            Err(Refusal::Store(e)) => Err(e.into()),
            Err(refused) => {
                report.warn(label, format!("{what} {} refused: {refused}", file.display()));
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

    /// Writes what is still waiting and counts the tags.
    pub async fn finish(mut self, write: &mut Write, report: &mut Report) -> Result<(), ImportError> {
        self.flush(write, report).await?;
        report.count("tags").imported += self.new_tags.len() as u64;
        report.count("tags").skipped += self.old_tags.len() as u64;
        Ok(())
    }
}

/// Writes the posts a reading thread sends (with how many bytes it has read), then what is
/// left; on the first error, stops and says why (the reading thread stops when it can no
/// longer send).
pub(crate) async fn write_all(
    writer: Writer,
    write: &mut Write,
    mut posts: tokio::sync::mpsc::Receiver<(Post, u64)>,
    reader: tokio::task::JoinHandle<Result<(), ImportError>>,
    progress: &(dyn Fn(u64, u64) + Send + Sync),
    total: u64,
    report: &mut Report,
) -> Result<(), ImportError> {
    let mut writer = writer;
    let mut failed = None;
    while let Some((post, at)) = posts.recv().await {
        if let Err(e) = writer.post(write, post, report).await {
            failed = Some(e);
            break;
        }
        progress(at, total);
    }
    drop(posts);
    let read = reader.await.map_err(|e| crate::joined(e.to_string()))?;
    if let Some(e) = failed {
        return Err(e);
    }
    read?;
    writer.finish(write, report).await
}

/// Records the import in the audit log, inside its transaction: who, which file, how many
/// articles came in new and changed.
pub(crate) async fn audit(
    write: &mut Write,
    options: &crate::Options,
    path: &Path,
    report: &Report,
) -> Result<(), ImportError> {
    let articles = report.counts.get("articles").copied().unwrap_or_default();
    let name = if options.file_name.is_empty() { path.display().to_string() } else { options.file_name.clone() };
    let detail =
        format!("{} articles imported, {} updated, {} skipped", articles.imported, articles.updated, articles.skipped);
    let at = OffsetDateTime::now_utc();
    write.audit(at, options.by, AuditAction::Imported, None, &name, &detail).await?;
    Ok(())
}

/// The file of a picture in a copy of the folder the site kept them in: its address's path
/// after `marker` (`/wp-content/uploads/`), or whole when the address does not hold it
/// (WordPress.com's file hosts). Never outside the folder: a path with `..` or a root finds
/// nothing.
pub(crate) fn find_upload(media: &Path, marker: &str, url: &str) -> Option<PathBuf> {
    let rest = url.trim().split_once("://").map_or(url, |(_, r)| r);
    let path = rest.find('/').map_or("", |i| &rest[i..]);
    let path = percent_decode(path.split(['?', '#']).next().unwrap_or_default());
    let relative = path.split_once(marker).map_or(path.as_str(), |(_, r)| r).trim_start_matches('/');
    let relative = Path::new(relative);
    if !relative.components().all(|c| matches!(c, std::path::Component::Normal(_))) {
        return None;
    }
    let file = media.join(relative);
    file.is_file().then_some(file)
}

/// `%xx` escapes decoded (WordPress keeps non-ASCII slugs encoded); invalid ones kept.
pub(crate) fn percent_decode(s: &str) -> String {
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

/// Text of an HTML fragment (titles, excerpts and names carry entities and tags), its white
/// space collapsed.
pub(crate) fn plain(html: &str) -> String {
    if !html.contains(['<', '&']) {
        return html.split_whitespace().collect::<Vec<_>>().join(" ");
    }
    let fragment = scraper::Html::parse_fragment(html);
    let text: String = fragment.root_element().text().collect();
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A headline from a title: the body's first words when there is none, cut to the longest a
/// headline may be; what was done is added to `warnings`.
pub(crate) fn headline(title: &str, body: &str, warnings: &mut Vec<String>) -> String {
    let mut headline = plain(title);
    if headline.is_empty() {
        let words: Vec<&str> = body.split_whitespace().take(8).collect();
        headline = if words.is_empty() { "Untitled".to_string() } else { format!("{} …", words.join(" ")) };
        headline = plain(&headline).replace(['*', '#', '\\', '>', '[', ']'], "");
        warnings.push(format!("no title; headline made from the first words: {headline:?}"));
    }
    if headline.chars().count() > MAX_HEADLINE_CHARS {
        headline = headline.chars().take(MAX_HEADLINE_CHARS - 1).collect::<String>() + "…";
        warnings.push(format!("title cut to {MAX_HEADLINE_CHARS} characters"));
    }
    headline
}

/// A fingerprint of a serialisable value (what was read of a post).
pub(crate) fn digest(value: &serde_json::Value) -> String {
    let d = ring::digest::digest(&ring::digest::SHA256, value.to_string().as_bytes());
    d.as_ref().iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pictures_are_found_under_the_marker_and_never_outside_the_folder() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::create_dir_all(dir.path().join("2024/03")).expect("mkdir");
        std::fs::write(dir.path().join("2024/03/boat.jpg"), b"x").expect("write");
        let marker = "/wp-content/uploads/";
        let found = find_upload(dir.path(), marker, "https://a.example/wp-content/uploads/2024/03/boat.jpg");
        assert_eq!(found, Some(dir.path().join("2024/03/boat.jpg")));
        assert!(find_upload(dir.path(), marker, "https://files.example/2024/03/boat.jpg?w=300").is_some());
        assert_eq!(find_upload(dir.path(), marker, "https://a.example/wp-content/uploads/../../etc/passwd"), None);
        assert_eq!(
            find_upload(dir.path(), marker, "https://a.example/wp-content/uploads/2024/03/%2e%2e/03/boat.jpg"),
            None
        );
    }

    #[test]
    fn slugs_and_titles_are_decoded() {
        assert_eq!(percent_decode("caf%c3%a9-cr%C3%A8me"), "café-crème");
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(plain("Fish &amp; chips &#8217;<em>now</em>"), "Fish & chips ’now");
        let mut w = Vec::new();
        assert_eq!(headline("", "This post has no title but words", &mut w), "This post has no title but words …");
        assert_eq!(w.len(), 1);
    }
}

//! A WordPress export imported: authors, categories as sections (their tree kept), posts as
//! articles with their status, dates, slug, bylines, tags and old addresses.
//!
//! The file is read twice, as a stream: once whole, to check it and learn the channel's
//! authors, categories and attachments before anything is written; then item by item, each
//! post converted (shortcodes, blocks and HTML to Markdown) on a thread of its own while the
//! previous ones are written, all in one store transaction.

use crate::report::Report;
use crate::writer::{self, AHEAD, Named, Picture, Post, Writer, headline, percent_decode, plain, write_all};
use crate::wxr::{self, Channel, Item};
use crate::{ImportError, Options, html, io_error, joined};
use courant_core::*;
use courant_newsroom::Newsroom;
use courant_store::Write;
use std::collections::{HashMap, HashSet};
use std::io::BufReader;
use std::path::Path;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc2822;

/// The kind of sections' keys in the `imported` table: categories' nicenames.
const CATEGORY: &str = "category";

/// Imports the WordPress export at `path`, reporting progress as bytes read of bytes in all
/// (`progress(done, total)`). All or nothing: on any error nothing is written.
pub async fn import_wordpress(
    newsroom: &Newsroom,
    path: &Path,
    options: &Options,
    progress: &(dyn Fn(u64, u64) + Send + Sync),
) -> Result<Report, ImportError> {
    let total = std::fs::metadata(path).map_err(|e| io_error(path, e))?.len();
    let scanned = {
        let path = path.to_path_buf();
        tokio::task::spawn_blocking(move || scan(&path)).await.map_err(|e| joined(e.to_string()))??
    };
    let mut report = Report::default();
    for (kind, n) in &scanned.left_out {
        *report.left_out.entry(kind.clone()).or_default() += n;
    }
    let origin = format!("wordpress {}", scanned.channel.blog_url.trim_end_matches('/'));

    let (sender, receiver) = tokio::sync::mpsc::channel::<(Post, u64)>(AHEAD);
    let reader = {
        let path = path.to_path_buf();
        let channel = scanned.channel.clone();
        let attachments = scanned.attachments;
        tokio::task::spawn_blocking(move || -> Result<(), ImportError> {
            let file = std::fs::File::open(&path).map_err(|e| io_error(&path, e))?;
            wxr::read(BufReader::with_capacity(256 * 1024, file), |item, at| {
                if item.post_type != "post" {
                    return Ok(());
                }
                let post = prepare(item, &channel, &attachments);
                // The writer stopped (it failed): stop reading too.
                sender.blocking_send((post, at)).map_err(|_| ImportError::NotAnExport(String::new()))
            })
            .map(|_| ())
        })
    };

    let mut write = newsroom.store().write().await?;
    let mut writer = Writer::new(newsroom, origin, options.media.clone(), "/wp-content/uploads/", CATEGORY).await?;
    import_sections(&mut writer, &mut write, &scanned.channel, &mut report).await?;
    for author in &scanned.channel.authors {
        let full = format!("{} {}", author.first_name.trim(), author.last_name.trim());
        let name = [author.display_name.trim(), full.trim(), author.login.trim()]
            .into_iter()
            .find(|n| !n.is_empty())
            .unwrap_or("Staff");
        writer
            .author(
                &mut write,
                &login(&author.login),
                NewAuthor { name: plain(name), ..Default::default() },
                &mut report,
            )
            .await?;
    }
    write_all(writer, &mut write, receiver, reader, progress, total, &mut report).await?;
    writer::audit(&mut write, options, path, &report).await?;
    write.commit().await?;
    progress(total, total);
    Ok(report)
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

/// Converts an item into what the store needs. Pure, so it runs on the reading thread.
fn prepare(item: Item, channel: &Channel, attachments: &HashMap<String, Attachment>) -> Post {
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
        // Submitted for review in WordPress: waiting for an editor here too.
        "pending" => Status::Review,
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
    if date.is_none() && matches!(status, Status::Published | Status::Scheduled) {
        warnings.push("no date in the export; dated now and imported as a draft".into());
        status = Status::Draft;
    }
    let published_at = if matches!(status, Status::Draft | Status::Review) { None } else { date };

    let converted = html::to_markdown(&body_html(&item.content, &mut warnings));
    warnings.extend(converted.warnings);
    let headline = headline(&item.title, &converted.markdown, &mut warnings);
    let slug = Some(slugify(&percent_decode(&item.post_name))).filter(|s| !s.is_empty());
    let mut categories = item.terms.iter().filter(|t| t.domain == "category");
    let section = categories.next().map(|t| Named { key: t.nicename.clone(), name: plain(&t.name) });
    let mut tags: Vec<String> = item
        .terms
        .iter()
        .filter(|t| t.domain == "post_tag")
        .map(|t| plain(&t.name))
        .filter(|t| !t.is_empty())
        .collect();
    // A story has one section: further categories are kept as tags.
    for extra in categories {
        let name = plain(&extra.name);
        if !name.is_empty() && !tags.contains(&name) {
            tags.push(name);
        }
    }
    // Co-Authors Plus files bylines as terms of the `author` taxonomy (`cap-login`).
    let mut authors: Vec<Named> = item
        .terms
        .iter()
        .filter(|t| t.domain == "author")
        .map(|t| {
            let key = t.nicename.trim_start_matches("cap-").to_string();
            Named { name: if t.name.is_empty() { key.clone() } else { plain(&t.name) }, key }
        })
        .collect();
    if authors.is_empty() {
        let key = login(&item.creator);
        let name = if key.is_empty() { format!("{} staff", channel.title) } else { key.clone() };
        authors.push(Named { key, name });
    }
    let hero = item.meta("_thumbnail_id").map(|id| match attachments.get(id) {
        // Keyed by address, so a picture that is also in the body is imported once.
        Some(a) => Picture {
            key: if a.url.is_empty() { id.to_string() } else { a.url.clone() },
            url: a.url.clone(),
            alt: a.alt.clone(),
            title: a.title.clone(),
            caption: a.caption.clone(),
        },
        None => Picture { key: id.to_string(), ..Picture::default() },
    });
    let mut old_paths = Vec::new();
    if status == Status::Published {
        old_paths.extend(path_of(&item.link, &channel.blog_url));
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
        created_at: date,
        published_at,
        updated_at: gmt(&item.post_modified_gmt),
        section,
        tags,
        authors,
        hero,
        pictures: converted.pictures,
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
    writer::digest(&serde_json::json!([
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
    ]))
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

/// Creates the sections of the categories not imported before, parents first.
async fn import_sections(
    writer: &mut Writer,
    write: &mut Write,
    channel: &Channel,
    report: &mut Report,
) -> Result<(), ImportError> {
    let known: HashSet<&str> = channel.categories.iter().map(|c| c.nicename.as_str()).collect();
    let mut ids: HashMap<&str, SectionId> = HashMap::new();
    let mut pending: Vec<&wxr::Category> = channel.categories.iter().collect();
    let mut position = 0i64;
    while !pending.is_empty() {
        let before = pending.len();
        let mut waiting = Vec::new();
        for category in pending {
            let parent = category.parent.trim();
            let parent_id = if parent.is_empty() || !known.contains(parent) {
                if !parent.is_empty() {
                    let item = format!("category {:?}", category.nicename);
                    report.warn(&item, format!("its parent {parent:?} is not in the export; placed at the top"));
                }
                None
            } else if let Some(id) = ids.get(parent) {
                Some(*id)
            } else {
                waiting.push(category);
                continue;
            };
            ids.insert(&category.nicename, section(writer, write, category, parent_id, position, report).await?);
            position += 1;
        }
        if waiting.len() == before {
            // A loop of parents: the rest go to the top.
            for category in &waiting {
                report.warn(&format!("category {:?}", category.nicename), "its parents form a loop; placed at the top");
                ids.insert(&category.nicename, section(writer, write, category, None, position, report).await?);
                position += 1;
            }
            break;
        }
        pending = waiting;
    }
    Ok(())
}

async fn section(
    writer: &mut Writer,
    write: &mut Write,
    category: &wxr::Category,
    parent_id: Option<SectionId>,
    position: i64,
    report: &mut Report,
) -> Result<SectionId, ImportError> {
    let name = Some(plain(&category.name)).filter(|n| !n.is_empty()).unwrap_or_else(|| category.nicename.clone());
    let wanted = slugify(&percent_decode(&category.nicename));
    let new = NewSection {
        slug: (!wanted.is_empty()).then_some(wanted),
        name,
        description: plain(&category.description),
        parent_id,
        position,
    };
    writer.section(write, &category.nicename, new, report).await
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
}

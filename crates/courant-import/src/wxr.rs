//! WordPress eXtended RSS (WXR 1.0, 1.1, 1.2), read as a stream: the channel's authors and
//! categories are kept, and each `<item>` (post, page, attachment, menu item ...) is handed
//! over as soon as it is read, so a file of any size needs the memory of one item.
//!
//! Nothing outside the file is ever read: a document type that declares entities is refused
//! (external entities and entity-expansion bombs need declarations), and any entity but XML's
//! five and character references is an error.

use crate::ImportError;
use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};
use std::io::BufRead;

/// What a WordPress export says about its site, besides its items.
#[derive(Debug, Clone, Default)]
pub struct Channel {
    pub title: String,
    /// The blog's address (`wp:base_blog_url`, else the channel's link), naming the origin of
    /// what is imported.
    pub blog_url: String,
    pub wxr_version: String,
    pub authors: Vec<Author>,
    pub categories: Vec<Category>,
    /// Tags declared by the channel (posts name theirs too).
    pub tags: Vec<Term>,
}

/// A `wp:author` of the channel.
#[derive(Debug, Clone, Default)]
pub struct Author {
    pub login: String,
    pub email: String,
    pub display_name: String,
    pub first_name: String,
    pub last_name: String,
}

/// A `wp:category` of the channel.
#[derive(Debug, Clone, Default)]
pub struct Category {
    pub nicename: String,
    /// The parent's nicename, empty at the top.
    pub parent: String,
    pub name: String,
    pub description: String,
}

/// A term an item is filed under (`<category domain="post_tag" nicename="x">Name</category>`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Term {
    /// `category`, `post_tag`, `author` (Co-Authors Plus), a custom taxonomy.
    pub domain: String,
    pub nicename: String,
    pub name: String,
}

/// An `<item>`: a post, page, attachment or anything else WordPress stores as a post.
#[derive(Debug, Clone, Default)]
pub struct Item {
    pub title: String,
    pub link: String,
    pub pub_date: String,
    pub creator: String,
    pub guid: String,
    pub content: String,
    pub excerpt: String,
    pub post_id: String,
    pub post_date: String,
    pub post_date_gmt: String,
    pub post_modified_gmt: String,
    pub post_name: String,
    pub status: String,
    pub post_parent: String,
    pub post_type: String,
    pub password: String,
    pub attachment_url: String,
    pub terms: Vec<Term>,
    /// `wp:postmeta` pairs, in order.
    pub meta: Vec<(String, String)>,
}

impl Item {
    /// The first value of a `wp:postmeta` key.
    pub fn meta(&self, key: &str) -> Option<&str> {
        self.meta.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
    }
}

/// Reads a WordPress export from `input`, handing each item to `each` with the number of bytes
/// read so far; returns the channel once the whole document was read. Stops at the first error
/// of the document or of `each`.
pub fn read<R: BufRead>(
    input: R,
    mut each: impl FnMut(Item, u64) -> Result<(), ImportError>,
) -> Result<Channel, ImportError> {
    let mut reader = Reader::from_reader(input);
    reader.config_mut().check_end_names = true;
    let mut buf = Vec::new();
    let mut stack: Vec<String> = Vec::new();
    let mut text = String::new();
    let mut channel = Channel::default();
    let mut item: Option<Item> = None;
    let mut author = Author::default();
    let mut category = Category::default();
    let mut tag = Term::default();
    let mut meta = (String::new(), String::new());
    let mut seen_channel = false;
    let mut seen_root = false;
    loop {
        let at = reader.buffer_position();
        let event = reader.read_event_into(&mut buf).map_err(|e| ImportError::malformed(at, e.to_string()))?;
        match event {
            Event::Start(start) => {
                let name = name_of(&start);
                seen_root = true;
                if stack.is_empty() && name != "rss" {
                    return Err(ImportError::NotAnExport(format!(
                        "the document's root is <{name}>; a WordPress export's is <rss> (export from Tools › Export in WordPress)"
                    )));
                }
                match (context(&stack), name.as_str()) {
                    (Context::Rss, "channel") => seen_channel = true,
                    (Context::Channel, "item") => item = Some(Item::default()),
                    (Context::Item, "category") => {
                        if let Some(item) = &mut item {
                            item.terms.push(Term {
                                domain: attribute(&start, "domain").unwrap_or_default(),
                                nicename: attribute(&start, "nicename").unwrap_or_default(),
                                name: String::new(),
                            });
                        }
                    }
                    _ => {}
                }
                stack.push(name);
                text.clear();
            }
            Event::Empty(start) => {
                let name = name_of(&start);
                if stack.is_empty() {
                    return Err(ImportError::NotAnExport(format!(
                        "the document is an empty <{name}>; a WordPress export is an <rss> with a channel"
                    )));
                }
                if context(&stack) == Context::Item
                    && name == "category"
                    && let Some(item) = &mut item
                {
                    item.terms.push(Term {
                        domain: attribute(&start, "domain").unwrap_or_default(),
                        nicename: attribute(&start, "nicename").unwrap_or_default(),
                        name: String::new(),
                    });
                }
            }
            Event::Text(t) => {
                text.push_str(&t.decode().map_err(|e| ImportError::malformed(at, e.to_string()))?);
            }
            Event::CData(t) => {
                text.push_str(&t.decode().map_err(|e| ImportError::malformed(at, e.to_string()))?);
            }
            Event::GeneralRef(r) => {
                if let Some(c) = r.resolve_char_ref().map_err(|e| ImportError::malformed(at, e.to_string()))? {
                    text.push(c);
                } else {
                    let name = r.decode().map_err(|e| ImportError::malformed(at, e.to_string()))?;
                    let resolved = quick_xml::escape::resolve_predefined_entity(&name).ok_or_else(|| {
                        ImportError::malformed(at, format!("the entity &{name}; is not one of XML's own; refused"))
                    })?;
                    text.push_str(resolved);
                }
            }
            Event::DocType(d) => {
                let declared = String::from_utf8_lossy(&d);
                if declared.contains("ENTITY") {
                    return Err(ImportError::malformed(
                        at,
                        "the document declares entities (a WordPress export never does); refused".into(),
                    ));
                }
            }
            Event::End(_) => {
                let Some(name) = stack.pop() else {
                    return Err(ImportError::malformed(at, "a closing tag without its opening one".into()));
                };
                let value = std::mem::take(&mut text);
                match context(&stack) {
                    Context::Channel => match name.as_str() {
                        "title" => channel.title = value.trim().to_string(),
                        "link" if channel.blog_url.is_empty() => channel.blog_url = value.trim().to_string(),
                        "wp:base_blog_url" => channel.blog_url = value.trim().to_string(),
                        "wp:wxr_version" => channel.wxr_version = value.trim().to_string(),
                        "wp:author" => channel.authors.push(std::mem::take(&mut author)),
                        "wp:category" => channel.categories.push(std::mem::take(&mut category)),
                        "wp:tag" => {
                            let mut t = std::mem::take(&mut tag);
                            t.domain = "post_tag".into();
                            channel.tags.push(t);
                        }
                        "item" => {
                            if channel.wxr_version.is_empty() {
                                return Err(not_wordpress());
                            }
                            if let Some(item) = item.take() {
                                each(item, reader.buffer_position())?;
                            }
                        }
                        _ => {}
                    },
                    Context::Author => set_author(&mut author, &name, value),
                    Context::Category => set_category(&mut category, &name, value),
                    Context::Tag => match name.as_str() {
                        "wp:tag_slug" => tag.nicename = value.trim().to_string(),
                        "wp:tag_name" => tag.name = value.trim().to_string(),
                        _ => {}
                    },
                    Context::Item => {
                        if let Some(item) = &mut item {
                            set_item(item, &name, value, &mut meta);
                        }
                    }
                    Context::Meta => match name.as_str() {
                        "wp:meta_key" => meta.0 = value.trim().to_string(),
                        "wp:meta_value" => meta.1 = value,
                        _ => {}
                    },
                    Context::Rss | Context::Other => {}
                }
            }
            Event::Eof => break,
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) => {}
        }
        buf.clear();
    }
    if let Some(open) = stack.last() {
        return Err(ImportError::malformed(
            reader.buffer_position(),
            format!("the document ends inside <{open}>: the file is cut short"),
        ));
    }
    if !seen_root {
        return Err(ImportError::NotAnExport(
            "the file holds no XML element: it is not a WordPress export (a Ghost export is JSON: `courant import ghost`)"
                .into(),
        ));
    }
    if !seen_channel || channel.wxr_version.is_empty() {
        return Err(not_wordpress());
    }
    Ok(channel)
}

fn not_wordpress() -> ImportError {
    ImportError::NotAnExport(
        "the RSS channel has no wp:wxr_version: this is a feed, not a WordPress export (export from Tools › Export in WordPress)"
            .into(),
    )
}

/// Where an element's text belongs, from the elements around it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Context {
    Rss,
    Channel,
    Author,
    Category,
    Tag,
    Item,
    Meta,
    Other,
}

fn context(stack: &[String]) -> Context {
    match stack {
        [rss] if rss == "rss" => Context::Rss,
        [_, channel] if channel == "channel" => Context::Channel,
        [_, _, parent] => match parent.as_str() {
            "wp:author" => Context::Author,
            "wp:category" => Context::Category,
            "wp:tag" => Context::Tag,
            "item" => Context::Item,
            _ => Context::Other,
        },
        [_, _, item, meta] if item == "item" && meta == "wp:postmeta" => Context::Meta,
        _ => Context::Other,
    }
}

fn name_of(start: &BytesStart<'_>) -> String {
    String::from_utf8_lossy(start.name().as_ref()).into_owned()
}

fn attribute(start: &BytesStart<'_>, name: &str) -> Option<String> {
    let attribute = start.try_get_attribute(name).ok()??;
    attribute.unescape_value().ok().map(|v| v.into_owned())
}

fn set_author(author: &mut Author, name: &str, value: String) {
    let value = value.trim().to_string();
    match name {
        "wp:author_login" => author.login = value,
        "wp:author_email" => author.email = value,
        "wp:author_display_name" => author.display_name = value,
        "wp:author_first_name" => author.first_name = value,
        "wp:author_last_name" => author.last_name = value,
        _ => {}
    }
}

fn set_category(category: &mut Category, name: &str, value: String) {
    let value = value.trim().to_string();
    match name {
        "wp:category_nicename" => category.nicename = value,
        "wp:category_parent" => category.parent = value,
        "wp:cat_name" => category.name = value,
        "wp:category_description" => category.description = value,
        _ => {}
    }
}

fn set_item(item: &mut Item, name: &str, value: String, meta: &mut (String, String)) {
    let field = match name {
        "title" => &mut item.title,
        "link" => &mut item.link,
        "pubDate" => &mut item.pub_date,
        "dc:creator" => &mut item.creator,
        "guid" => &mut item.guid,
        "content:encoded" => &mut item.content,
        "excerpt:encoded" => &mut item.excerpt,
        "wp:post_id" => &mut item.post_id,
        "wp:post_date" => &mut item.post_date,
        "wp:post_date_gmt" => &mut item.post_date_gmt,
        "wp:post_modified_gmt" => &mut item.post_modified_gmt,
        "wp:post_name" => &mut item.post_name,
        "wp:status" => &mut item.status,
        "wp:post_parent" => &mut item.post_parent,
        "wp:post_type" => &mut item.post_type,
        "wp:post_password" => &mut item.password,
        "wp:attachment_url" => &mut item.attachment_url,
        "category" => {
            if let Some(term) = item.terms.last_mut() {
                term.name = value.trim().to_string();
            }
            return;
        }
        "wp:postmeta" => {
            item.meta.push(std::mem::take(meta));
            return;
        }
        _ => return,
    };
    *field = if matches!(name, "content:encoded" | "excerpt:encoded") { value } else { value.trim().to_string() };
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_all(xml: &str) -> Result<(Channel, Vec<Item>), ImportError> {
        let mut items = Vec::new();
        let channel = read(xml.as_bytes(), |item, _| {
            items.push(item);
            Ok(())
        })?;
        Ok((channel, items))
    }

    const SMALL: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/">
<channel>
<title>Harbour Times</title>
<link>https://harbour.example</link>
<wp:wxr_version>1.2</wp:wxr_version>
<wp:base_blog_url>https://harbour.example</wp:base_blog_url>
<wp:author><wp:author_login><![CDATA[ada]]></wp:author_login><wp:author_display_name><![CDATA[Ada Quill]]></wp:author_display_name></wp:author>
<wp:category><wp:category_nicename>news</wp:category_nicename><wp:category_parent></wp:category_parent><wp:cat_name><![CDATA[News]]></wp:cat_name></wp:category>
<item>
<title>Ferry timetable &amp; fares change</title>
<link>https://harbour.example/2024/03/01/ferry/</link>
<dc:creator><![CDATA[ada]]></dc:creator>
<content:encoded><![CDATA[<p>The <b>new</b> timetable.</p>]]></content:encoded>
<excerpt:encoded><![CDATA[]]></excerpt:encoded>
<wp:post_id>7</wp:post_id>
<wp:post_date_gmt>2024-03-01 08:00:00</wp:post_date_gmt>
<wp:post_name>ferry</wp:post_name>
<wp:status>publish</wp:status>
<wp:post_type>post</wp:post_type>
<category domain="category" nicename="news"><![CDATA[News]]></category>
<category domain="post_tag" nicename="ferries"><![CDATA[Ferries]]></category>
<wp:postmeta><wp:meta_key>_thumbnail_id</wp:meta_key><wp:meta_value><![CDATA[9]]></wp:meta_value></wp:postmeta>
<wp:comment><wp:comment_content><![CDATA[First!]]></wp:comment_content></wp:comment>
</item>
</channel>
</rss>"#;

    #[test]
    fn a_small_export_gives_its_channel_and_items() {
        let (channel, items) = read_all(SMALL).expect("reads");
        assert_eq!(channel.title, "Harbour Times");
        assert_eq!(channel.blog_url, "https://harbour.example");
        assert_eq!(channel.authors.len(), 1);
        assert_eq!(channel.authors[0].display_name, "Ada Quill");
        assert_eq!(channel.categories[0].name, "News");
        assert_eq!(items.len(), 1);
        let item = &items[0];
        assert_eq!(item.title, "Ferry timetable & fares change");
        assert_eq!(item.content, "<p>The <b>new</b> timetable.</p>");
        assert_eq!(item.post_id, "7");
        assert_eq!(item.status, "publish");
        assert_eq!(item.meta("_thumbnail_id"), Some("9"));
        assert_eq!(item.terms.len(), 2);
        assert_eq!(
            item.terms[1],
            Term { domain: "post_tag".into(), nicename: "ferries".into(), name: "Ferries".into() }
        );
    }

    #[test]
    fn entity_declarations_are_refused() {
        let bomb = r#"<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
<rss><channel><wp:wxr_version>1.2</wp:wxr_version><title>&lol2;</title></channel></rss>"#;
        let e = read_all(bomb).expect_err("refused");
        assert!(e.to_string().contains("declares entities"), "{e}");
        let external = r#"<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<rss><channel><wp:wxr_version>1.2</wp:wxr_version><title>&xxe;</title></channel></rss>"#;
        let e = read_all(external).expect_err("refused");
        assert!(e.to_string().contains("declares entities"), "{e}");
        let undeclared = "<rss><channel><wp:wxr_version>1.2</wp:wxr_version><title>&xxe;</title></channel></rss>";
        let e = read_all(undeclared).expect_err("refused");
        assert!(e.to_string().contains("&xxe;"), "{e}");
    }

    #[test]
    fn other_documents_are_not_exports() {
        let feed = "<rss><channel><title>A feed</title><item><title>x</title></item></channel></rss>";
        assert!(matches!(read_all(feed), Err(ImportError::NotAnExport(_))));
        let atom = "<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>x</title></feed>";
        let e = read_all(atom).expect_err("refused");
        assert!(e.to_string().contains("<feed>"), "{e}");
    }

    #[test]
    fn a_cut_file_is_malformed_with_its_place() {
        let cut = &SMALL[..SMALL.find("<wp:post_name>").expect("in")];
        let e = read_all(cut).expect_err("refused");
        assert!(matches!(e, ImportError::Malformed { .. }), "{e}");
        let wrong = SMALL
            .replace("</title>\n<link>https://harbour.example/2024", "</titel>\n<link>https://harbour.example/2024");
        let e = read_all(&wrong).expect_err("refused");
        assert!(matches!(e, ImportError::Malformed { .. }), "{e}");
    }
}

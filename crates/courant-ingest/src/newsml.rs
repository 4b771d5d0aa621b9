//! IPTC NewsML-G2, read into [`WireItem`]s: a news item alone, or the news items a news
//! message carries. Packages, concept and knowledge items are not wire copy and give nothing;
//! neither do picture items. Each news item is gathered into a small element tree (items are
//! small, and its metadata is easier read as a tree than as a stream), mapped, then dropped.
//!
//! The body is inline XHTML or NITF written back out as HTML, or inline plain text split into
//! paragraphs; either way it goes through the site's sanitiser. A document that declares
//! entities is refused, and so is any entity but XML's five and character references: nothing
//! outside the file is ever read.

use crate::IngestError;
use courant_core::WireItem;
use courant_render::markdown::sanitise_html;
use quick_xml::Reader;
use quick_xml::escape::{escape, resolve_predefined_entity};
use quick_xml::events::{BytesStart, Event};
use std::fmt::Display;
use time::format_description::well_known::Rfc3339;
use time::macros::format_description;
use time::{Date, OffsetDateTime, UtcOffset};

/// The root elements of NewsML-G2 documents.
const ROOTS: [&str; 5] = ["newsItem", "packageItem", "newsMessage", "knowledgeItem", "conceptItem"];

/// HTML elements that have no end tag.
const VOID: [&str; 3] = ["br", "hr", "img"];

/// Whether an XML document's root element (local name) is one of NewsML-G2's: newsItem,
/// packageItem, newsMessage, knowledgeItem, conceptItem.
pub(crate) fn is_newsml(root: &str) -> bool {
    ROOTS.contains(&root)
}

/// The items of a NewsML-G2 document: a newsItem is one item; a newsMessage gives every
/// newsItem in its itemSet (packageItems and conceptItems are not wire copy: left out); a
/// packageItem alone gives no items (Ok(vec![])) — its references cannot be followed from a file.
pub(crate) fn read(xml: &[u8]) -> Result<Vec<WireItem>, IngestError> {
    let mut reader = Reader::from_reader(xml);
    reader.config_mut().check_end_names = true;
    let mut buf = Vec::new();
    let mut doc = Document::default();
    loop {
        let at = reader.buffer_position();
        let event = reader.read_event_into(&mut buf).map_err(|e| malformed(at, e))?;
        match event {
            Event::Start(start) => doc.start(&start, false, at)?,
            Event::Empty(start) => doc.start(&start, true, at)?,
            Event::End(_) => doc.end(),
            Event::Text(t) => doc.text(&t.decode().map_err(|e| malformed(at, e))?),
            Event::CData(t) => doc.text(&t.decode().map_err(|e| malformed(at, e))?),
            Event::GeneralRef(r) => {
                if let Some(c) = r.resolve_char_ref().map_err(|e| malformed(at, e))? {
                    doc.text(c.encode_utf8(&mut [0; 4]));
                } else {
                    let name = r.decode().map_err(|e| malformed(at, e))?;
                    let resolved = resolve_predefined_entity(&name).ok_or_else(|| {
                        malformed(at, format!("the entity &{name}; is not one of XML's own; refused"))
                    })?;
                    doc.text(resolved);
                }
            }
            Event::DocType(d) => {
                // Entity declarations are how external entities and expansion bombs get in;
                // NewsML-G2 never needs one.
                if String::from_utf8_lossy(&d).contains("ENTITY") {
                    return Err(IngestError::Malformed("the NewsML-G2 document declares entities; refused".into()));
                }
            }
            Event::Eof => break,
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) => {}
        }
        buf.clear();
    }
    if let Some(open) = doc.stack.last() {
        return Err(malformed(
            reader.buffer_position(),
            format!("the document ends inside <{open}>: the file is cut short"),
        ));
    }
    if !doc.seen_root {
        return Err(IngestError::Unknown("the file holds no XML element".into()));
    }
    Ok(doc.items)
}

fn malformed(at: u64, e: impl Display) -> IngestError {
    IngestError::Malformed(format!("NewsML-G2 not well-formed at byte {at}: {e}"))
}

/// The reading state: where the reader is, and the news item being gathered.
#[derive(Default)]
struct Document {
    /// Local names of the open elements, root first.
    stack: Vec<String>,
    /// The open elements of the news item being gathered, the item first; empty outside one.
    open: Vec<Element>,
    items: Vec<WireItem>,
    seen_root: bool,
}

impl Document {
    fn start(&mut self, start: &BytesStart<'_>, empty: bool, at: u64) -> Result<(), IngestError> {
        let name = String::from_utf8_lossy(start.local_name().as_ref()).into_owned();
        if self.stack.is_empty() {
            // quick-xml does not check that a document has one root.
            if self.seen_root {
                return Err(malformed(at, format!("a second root element <{name}>")));
            }
            self.seen_root = true;
            if !is_newsml(&name) {
                return Err(IngestError::Unknown(format!("the root element <{name}> is none of NewsML-G2's")));
            }
        }
        if !self.open.is_empty() {
            let element = Element::from_start(start, name.clone(), at)?;
            if empty {
                self.push(Node::Element(element));
            } else {
                self.open.push(element);
            }
        } else if name == "newsItem" && self.at_item_place() {
            let element = Element::from_start(start, name.clone(), at)?;
            if empty {
                self.finish(element);
            } else {
                self.open.push(element);
            }
        }
        if !empty {
            self.stack.push(name);
        }
        Ok(())
    }

    /// Whether a news item starting here is one to read: the root, or in a message's item set.
    fn at_item_place(&self) -> bool {
        match self.stack.as_slice() {
            [] => true,
            [message, set] => message == "newsMessage" && set == "itemSet",
            _ => false,
        }
    }

    fn end(&mut self) {
        self.stack.pop();
        if let Some(element) = self.open.pop() {
            if self.open.is_empty() {
                self.finish(element);
            } else {
                self.push(Node::Element(element));
            }
        }
    }

    fn text(&mut self, text: &str) {
        if let Some(Node::Text(last)) = self.open.last_mut().and_then(|e| e.children.last_mut()) {
            last.push_str(text);
        } else {
            self.push(Node::Text(text.to_owned()));
        }
    }

    fn push(&mut self, node: Node) {
        if let Some(parent) = self.open.last_mut() {
            parent.children.push(node);
        }
    }

    fn finish(&mut self, item: Element) {
        if let Some(wire) = wire_item(&item) {
            self.items.push(wire);
        }
    }
}

/// An element of a news item, by local name, with its attributes (namespace declarations left
/// out) and content.
#[derive(Debug)]
struct Element {
    name: String,
    attrs: Vec<(String, String)>,
    children: Vec<Node>,
}

#[derive(Debug)]
enum Node {
    Element(Element),
    Text(String),
}

impl Element {
    fn from_start(start: &BytesStart<'_>, name: String, at: u64) -> Result<Self, IngestError> {
        let mut attrs = Vec::new();
        for attr in start.attributes() {
            let attr = attr.map_err(|e| malformed(at, e))?;
            if attr.key.as_namespace_binding().is_some() {
                continue;
            }
            let key = String::from_utf8_lossy(attr.key.local_name().as_ref()).into_owned();
            let value = attr.unescape_value().map_err(|e| malformed(at, e))?.into_owned();
            attrs.push((key, value));
        }
        Ok(Element { name, attrs, children: Vec::new() })
    }

    /// An attribute's trimmed value, None when missing or blank.
    fn attr(&self, name: &str) -> Option<&str> {
        self.attrs.iter().find(|(k, _)| k == name).map(|(_, v)| v.trim()).filter(|v| !v.is_empty())
    }

    fn elements(&self) -> impl Iterator<Item = &Element> {
        self.children.iter().filter_map(|n| match n {
            Node::Element(e) => Some(e),
            Node::Text(_) => None,
        })
    }

    fn child(&self, name: &str) -> Option<&Element> {
        self.elements().find(|e| e.name == name)
    }

    fn children<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> {
        self.elements().filter(move |e| e.name == name)
    }

    /// All the text inside, whitespace collapsed as a reader sees it.
    fn text(&self) -> String {
        let mut raw = String::new();
        self.raw_text(&mut raw);
        raw.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    fn raw_text(&self, out: &mut String) {
        for node in &self.children {
            match node {
                Node::Text(t) => out.push_str(t),
                Node::Element(e) => e.raw_text(out),
            }
        }
    }
}

/// The text of the first child `name` that has some.
fn first_text(parent: &Element, name: &str) -> Option<String> {
    parent.children(name).map(Element::text).find(|t| !t.is_empty())
}

fn date_of(parent: &Element, name: &str) -> Option<OffsetDateTime> {
    parent.child(name).and_then(|e| datetime(&e.text()))
}

/// An RFC 3339 date and time in UTC; a date alone (NewsML-G2 allows one in `firstCreated` and
/// `contentCreated`) is taken as its midnight in UTC.
fn datetime(text: &str) -> Option<OffsetDateTime> {
    if let Ok(t) = OffsetDateTime::parse(text, &Rfc3339) {
        return t.checked_to_offset(UtcOffset::UTC);
    }
    let format = format_description!("[year]-[month]-[day]");
    Date::parse(text, &format).ok().map(|d| d.midnight().assume_utc())
}

fn is_web(href: &str) -> bool {
    let lower = href.to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://")
}

/// The wire item a news item gives, None for a picture (not copy).
fn wire_item(item: &Element) -> Option<WireItem> {
    let meta = item.child("itemMeta");
    if let Some(class) = meta.and_then(|m| m.child("itemClass"))
        && (class.attr("qcode") == Some("ninat:picture")
            || class.attr("uri").is_some_and(|u| u.ends_with("/ninature/picture")))
    {
        return None;
    }
    let mut wire = WireItem {
        guid: item.attr("guid").unwrap_or_default().to_owned(),
        version: item.attr("version").and_then(|v| v.parse().ok()).unwrap_or(1),
        // The item's xml:lang, unless contentMeta names a language.
        language: item.attr("lang").unwrap_or_default().to_owned(),
        ..WireItem::default()
    };
    if let Some(meta) = meta {
        wire.version_created = date_of(meta, "versionCreated");
        wire.first_created = date_of(meta, "firstCreated");
        wire.embargo = date_of(meta, "embargoed");
        if let Some(provider) = meta.child("provider") {
            wire.source = provider
                .attr("literal")
                .map(str::to_owned)
                .or_else(|| first_text(provider, "name"))
                .or_else(|| provider.attr("qcode").or(provider.attr("uri")).map(str::to_owned))
                .unwrap_or_default();
        }
        let link = meta.children("link").filter_map(|l| l.attr("href")).find(|h| is_web(h));
        wire.link = link.unwrap_or_default().to_owned();
    }
    if let Some(content) = item.child("contentMeta") {
        read_content_meta(content, &mut wire);
    }
    if let Some(set) = item.child("contentSet") {
        read_content_set(set, &mut wire);
    }
    Some(wire)
}

fn read_content_meta(content: &Element, wire: &mut WireItem) {
    // Several headlines differ by role (short, alternative...); the main one has none or says so.
    let headline = content
        .children("headline")
        .find(|h| matches!(h.attr("role"), None | Some("hlrole:main")))
        .or_else(|| content.child("headline"));
    wire.headline = headline.map(Element::text).unwrap_or_default();
    let creators: Vec<String> = content
        .children("creator")
        .filter_map(|c| first_text(c, "name").or_else(|| c.attr("literal").map(str::to_owned)))
        .collect();
    wire.byline = first_text(content, "by").unwrap_or_else(|| creators.join(", "));
    wire.dateline = first_text(content, "dateline")
        .or_else(|| content.child("located").and_then(|l| first_text(l, "name")))
        .unwrap_or_default();
    wire.urgency = content.child("urgency").and_then(|u| u.text().parse().ok());
    if let Some(tag) = content.child("language").and_then(|l| l.attr("tag")) {
        wire.language = tag.to_owned();
    }
    if wire.first_created.is_none() {
        wire.first_created = date_of(content, "contentCreated");
    }
    for element in content.elements() {
        let subject = match element.name.as_str() {
            "subject" => {
                first_text(element, "name").or_else(|| element.attr("qcode").or(element.attr("uri")).map(str::to_owned))
            }
            "keyword" => Some(element.text()).filter(|t| !t.is_empty()),
            _ => None,
        };
        if let Some(subject) = subject
            && !wire.subjects.contains(&subject)
        {
            wire.subjects.push(subject);
        }
    }
}

fn read_content_set(set: &Element, wire: &mut WireItem) {
    for part in set.elements() {
        match part.name.as_str() {
            // The first rendition with copy wins; others are the same text in other forms.
            "inlineXML" | "inlineData" if wire.body_html.is_empty() => {
                let html = if part.name == "inlineXML" { xml_body(part) } else { data_body(part) };
                wire.body_html = sanitise_html(&html).trim().to_owned();
            }
            "remoteContent" => {
                if let Some(href) = part.attr("href")
                    && is_web(href)
                    && part.attr("contenttype").is_some_and(|t| t.starts_with("image/"))
                    && !wire.pictures.iter().any(|p| p == href)
                {
                    wire.pictures.push(href.to_owned());
                }
            }
            _ => {}
        }
    }
}

/// The HTML of an `inlineXML`: an XHTML body's content, a NITF `body.content`, or else
/// whatever elements it holds.
fn xml_body(inline: &Element) -> String {
    let content = if let Some(html) = inline.child("html") {
        html.child("body")
    } else if let Some(nitf) = inline.child("nitf") {
        // body.head repeats the headline and byline, which the item already gives.
        nitf.child("body").and_then(|b| b.child("body.content"))
    } else {
        Some(inline)
    };
    let mut html = String::new();
    if let Some(content) = content {
        write_children(content, &mut html);
    }
    html
}

fn write_children(element: &Element, out: &mut String) {
    for node in &element.children {
        match node {
            Node::Text(t) => out.push_str(&escape(t.as_str())),
            Node::Element(e) => write_element(e, out),
        }
    }
}

/// One element as HTML: NITF's names turned into HTML's, every attribute kept (the sanitiser
/// decides which stay).
fn write_element(element: &Element, out: &mut String) {
    let tag = match element.name.as_str() {
        // NITF's media points at files this reader cannot follow; scripts and styles would
        // otherwise leave their code behind as text once the sanitiser removes the tags.
        "media" | "script" | "style" | "head" => return,
        "block" => return write_children(element, out),
        "hl1" | "hl2" => "h2",
        "bq" => "blockquote",
        other => other,
    };
    out.push('<');
    out.push_str(tag);
    for (key, value) in &element.attrs {
        out.push(' ');
        out.push_str(key);
        out.push_str("=\"");
        out.push_str(&escape(value.as_str()));
        out.push('"');
    }
    out.push('>');
    if VOID.contains(&tag) {
        return;
    }
    write_children(element, out);
    out.push_str("</");
    out.push_str(tag);
    out.push('>');
}

/// The HTML of an `inlineData`: HTML as it is, plain text escaped into paragraphs.
fn data_body(data: &Element) -> String {
    let mut raw = String::new();
    data.raw_text(&mut raw);
    if data.attr("contenttype").is_some_and(|t| t.starts_with("text/html") || t.contains("xhtml")) {
        return raw;
    }
    let lines: Vec<&str> = raw.trim().lines().map(str::trim).collect();
    // Agencies separate paragraphs with a blank line, or, when there is none, put one on a line.
    let grouped = lines.iter().any(|l| l.is_empty());
    let mut paragraphs = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    for line in lines {
        if !line.is_empty() {
            current.push(line);
        }
        if (line.is_empty() || !grouped) && !current.is_empty() {
            paragraphs.push(current.join(" "));
            current.clear();
        }
    }
    if !current.is_empty() {
        paragraphs.push(current.join(" "));
    }
    paragraphs.iter().map(|p| format!("<p>{}</p>", escape(p.as_str()))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/testdata/wire/newsml-g2/");

    fn listing(name: &str) -> Vec<u8> {
        std::fs::read(format!("{DIR}{name}")).expect("the IPTC example is in shared/testdata")
    }

    fn item_with(content_set: &str) -> String {
        format!(
            r#"<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="g1">
            <itemMeta><itemClass qcode="ninat:text"/></itemMeta>
            <contentSet>{content_set}</contentSet></newsItem>"#
        )
    }

    #[test]
    fn listing_1_a_news_item() {
        let items = read(&listing("LISTING_1_A_NewsML-G2_News_Item.xml")).expect("reads");
        assert_eq!(items.len(), 1);
        let item = &items[0];
        assert_eq!(item.guid, "urn:newsml:acmenews.com:20161018:US-FINANCE-FED");
        assert_eq!(item.version, 11);
        assert_eq!(item.headline, "Fed to halt QE to avert \"bubble\"");
        assert_eq!(item.source, "nprov:REUTERS");
        assert_eq!(item.version_created, Some(datetime!(2018-10-21 21:25:32 UTC)));
        assert_eq!(item.first_created, Some(datetime!(2016-10-18 18:12:21 UTC)));
        assert_eq!(item.embargo, Some(datetime!(2018-10-23 12:00:00 UTC)));
        assert_eq!(item.byline, "Meredith Jameson");
        assert_eq!(item.dateline, "Berlin");
        assert_eq!(item.language, "en-GB");
        assert_eq!(item.link, "http://www.example.com/video/20081222-PNN-1517-407624/index.html");
        assert_eq!(item.subjects, ["economy, business and finance", "labour market"]);
        // The listing's inlineXML holds only comments: it has no copy to give.
        assert_eq!(item.body_html, "");
    }

    #[test]
    fn listing_2_a_text_document_with_a_nitf_body() {
        let items = read(&listing("LISTING_2_NewsML-G2_Text_Document.xml")).expect("reads");
        assert_eq!(items.len(), 1);
        let item = &items[0];
        assert_eq!(item.guid, "urn:newsml:acmenews.com:20161121:US-FINANCE-FED");
        assert_eq!(item.version, 11);
        assert_eq!(item.headline, "Fed to halt QE to avert \"bubble\"");
        assert_eq!(item.source, "http://www.acmenews.com/about/");
        assert_eq!(item.version_created, Some(datetime!(2018-11-21 21:25:32 UTC)));
        // No firstCreated: contentCreated stands in.
        assert_eq!(item.first_created, Some(datetime!(2016-11-21 20:21:06 UTC)));
        assert_eq!(item.byline, "Meredith Jameson");
        assert_eq!(item.dateline, "New York, NY");
        assert_eq!(item.language, "en-US");
        assert_eq!(item.subjects, ["economy, business and finance", "central bank", "money and monetary policy"]);
        assert!(
            item.body_html.starts_with("<p>(New York, NY - October 21) Et, sent luptat luptat, commy"),
            "{}",
            item.body_html
        );
        assert_eq!(item.body_html.matches("<p>").count(), 2, "{}", item.body_html);
        assert!(!item.body_html.contains("Staff Reporter"), "body.head is left out: {}", item.body_html);
    }

    #[test]
    fn listing_6_a_package_gives_no_items() {
        let items = read(&listing("LISTING_6_Simple_NewsML-G2_Package.xml")).expect("reads");
        assert!(items.is_empty(), "{items:?}");
    }

    #[test]
    fn listing_24_a_message_gives_its_news_items() {
        let file = "LISTING_24_News_Message_conveying_a_complete_News_Package.xml";
        let items = read(&listing(file)).expect("reads");
        let guids: Vec<&str> = items.iter().map(|i| i.guid.as_str()).collect();
        assert_eq!(guids, ["N1", "N2", "N3", "N4"]);
        // The listing elides the items' content ("....."): no headline, and the default version.
        assert!(items.iter().all(|i| i.version == 1 && i.headline.is_empty()), "{items:?}");
    }

    #[test]
    fn metadata_picks_the_main_headline_and_dedupes_subjects() {
        let xml = r#"<newsItem guid="g2"><itemMeta><itemClass qcode="ninat:text"/>
            <provider literal="TT"/><versionCreated>2024-05-01T10:00:00.250+02:00</versionCreated>
            <link href="urn:x"/><link href="https://tt.example/a"/></itemMeta>
            <contentMeta><urgency>3</urgency><headline role="hlrole:short">Short</headline>
            <headline>The main headline</headline><by>By Ada Quill</by><dateline>VISBY</dateline>
            <subject qcode="medtop:01"/><keyword>ferries</keyword><keyword>ferries</keyword></contentMeta>
            <contentSet><remoteContent href="https://tt.example/p.jpg" contenttype="image/jpeg"/>
            <remoteContent href="file:///etc/passwd" contenttype="image/jpeg"/></contentSet></newsItem>"#;
        let items = read(xml.as_bytes()).expect("reads");
        let item = &items[0];
        assert_eq!(item.source, "TT");
        assert_eq!(item.version, 1);
        assert_eq!(item.version_created, Some(datetime!(2024-05-01 08:00:00.25 UTC)));
        assert_eq!(item.link, "https://tt.example/a");
        assert_eq!(item.urgency, Some(3));
        assert_eq!(item.headline, "The main headline");
        assert_eq!(item.byline, "By Ada Quill");
        assert_eq!(item.dateline, "VISBY");
        assert_eq!(item.subjects, ["medtop:01", "ferries"]);
        assert_eq!(item.pictures, ["https://tt.example/p.jpg"]);
    }

    #[test]
    fn nitf_names_become_html_and_scripts_go() {
        let nitf = item_with(
            r#"<inlineXML><nitf><body><body.content><hl2>Harbour</hl2><block><p>In a <em>block</em></p>
            <media media-type="image"><media-reference source="x.jpg"/></media></block>
            </body.content></body></nitf></inlineXML>"#,
        );
        let body = &read(nitf.as_bytes()).expect("reads")[0].body_html;
        assert!(body.contains("<h2>Harbour</h2>") && body.contains("<p>In a <em>block</em></p>"), "{body}");
        assert!(!body.contains("media") && !body.contains("x.jpg"), "{body}");

        let xhtml = item_with(
            r#"<inlineXML><html xmlns="http://www.w3.org/1999/xhtml"><head><title>T</title></head><body>
            <p>Safe</p><script>alert(1)</script><p onclick="steal()">Click</p></body></html></inlineXML>"#,
        );
        let body = &read(xhtml.as_bytes()).expect("reads")[0].body_html;
        assert!(body.contains("<p>Safe</p>") && body.contains("<p>Click</p>"), "{body}");
        assert!(!body.contains("script") && !body.contains("alert") && !body.contains("onclick"), "{body}");
    }

    #[test]
    fn plain_text_becomes_escaped_paragraphs() {
        let xml = item_with(
            "<inlineData contenttype=\"text/plain\">Tom &amp; Jerry\n  went out.\n\n&lt;b&gt;Second&#33;</inlineData>",
        );
        let body = &read(xml.as_bytes()).expect("reads")[0].body_html;
        assert_eq!(body, "<p>Tom &amp; Jerry went out.</p><p>&lt;b&gt;Second!</p>");
    }

    #[test]
    fn pictures_are_not_copy() {
        let picture = r#"<newsItem guid="p"><itemMeta><itemClass qcode="ninat:picture"/></itemMeta></newsItem>"#;
        assert!(read(picture.as_bytes()).expect("reads").is_empty());
        let message = format!(
            "<newsMessage><header/><itemSet><packageItem guid=\"k\"/>{picture}{}</itemSet></newsMessage>",
            item_with("")
        );
        let items = read(message.as_bytes()).expect("reads");
        assert_eq!(items.len(), 1);
        assert_eq!(items[0].guid, "g1");
    }

    #[test]
    fn entity_declarations_and_unknown_entities_are_refused() {
        let bomb = r#"<?xml version="1.0"?>
<!DOCTYPE newsItem [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
<newsItem guid="b"><contentMeta><headline>&lol2;</headline></contentMeta></newsItem>"#;
        let e = read(bomb.as_bytes()).expect_err("refused");
        assert!(matches!(&e, IngestError::Malformed(m) if m.contains("declares entities")), "{e}");
        let undeclared = r#"<newsItem guid="b"><contentMeta><headline>&xxe;</headline></contentMeta></newsItem>"#;
        let e = read(undeclared.as_bytes()).expect_err("refused");
        assert!(matches!(&e, IngestError::Malformed(m) if m.contains("&xxe;")), "{e}");
    }

    #[test]
    fn broken_documents_are_malformed_and_others_unknown() {
        let whole = listing("LISTING_2_NewsML-G2_Text_Document.xml");
        let e = read(&whole[..whole.len() / 2]).expect_err("cut short");
        assert!(matches!(e, IngestError::Malformed(_)), "{e}");
        let e = read(b"<newsItem guid=\"x\"><contentMeta></newsItem>").expect_err("mismatched");
        assert!(matches!(e, IngestError::Malformed(_)), "{e}");
        let e = read(b"<rss><channel/></rss>").expect_err("not NewsML-G2");
        assert!(matches!(e, IngestError::Unknown(_)), "{e}");
        assert!(is_newsml("newsMessage") && is_newsml("conceptItem") && !is_newsml("rss"));
    }
}

//! The wire desk's reading: a file or a feed's answer, whatever its format (RSS 0.9x/1.0/2.0,
//! Atom, JSON Feed, IPTC ninjs 1.x to 3.x, NewsML-G2 items, packages and messages), told apart
//! by its content and read into [`WireItem`]s with sanitised bodies. A file is read whole or
//! refused whole, with what is wrong. XML is checked whole before any parser sees it: it must
//! be well-formed UTF-8, declare every namespace prefix it uses, and declare no entities (so
//! no external entity and no expansion bomb can be read).

mod feeds;
mod newsml;
mod ninjs;

use courant_core::WireItem;
use quick_xml::Reader;
use quick_xml::events::Event;

/// Why a file gave no items.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    /// The content is none of the formats read here.
    #[error("{0}")]
    Unknown(String),
    /// The content is of a known format but broken; says where when it can.
    #[error("{0}")]
    Malformed(String),
}

/// The formats told apart by content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// RSS 0.9x, 1.0 (RDF) or 2.0.
    Rss,
    Atom,
    JsonFeed,
    Ninjs,
    NewsmlG2,
}

impl Format {
    /// The format's name, as the desk shows it.
    pub fn name(self) -> &'static str {
        match self {
            Format::Rss => "RSS",
            Format::Atom => "Atom",
            Format::JsonFeed => "JSON Feed",
            Format::Ninjs => "IPTC ninjs",
            Format::NewsmlG2 => "IPTC NewsML-G2",
        }
    }
}

/// Reads a document of any format read here. Items whose source the document does not name get
/// `default_source` (the desk's name for the feed or the drop folder).
pub fn read(bytes: &[u8], default_source: &str) -> Result<(Format, Vec<WireItem>), IngestError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let start = bytes.iter().position(|b| !b.is_ascii_whitespace());
    let (format, mut items) = match start.map(|i| bytes[i]) {
        None => return Err(IngestError::Unknown("the file is empty".into())),
        Some(b'{' | b'[') => read_json(bytes)?,
        Some(_) => read_xml(bytes)?,
    };
    for item in &mut items {
        if item.source.trim().is_empty() {
            item.source = default_source.to_string();
        }
        if item.version < 1 {
            item.version = 1;
        }
        if item.headline.trim().is_empty() {
            item.headline = first_words(&item.body_html);
        }
    }
    Ok((format, items))
}

fn read_json(bytes: &[u8]) -> Result<(Format, Vec<WireItem>), IngestError> {
    let value: serde_json::Value =
        serde_json::from_slice(bytes).map_err(|e| IngestError::Malformed(format!("not well-formed JSON: {e}")))?;
    let version = value.get("version").and_then(|v| v.as_str()).unwrap_or_default();
    if version.contains("jsonfeed.org") {
        return Ok((Format::JsonFeed, feeds::read(bytes)?));
    }
    if ninjs::is_ninjs(&value) {
        return Ok((Format::Ninjs, ninjs::read(&value)?));
    }
    Err(IngestError::Unknown("JSON that is neither a JSON Feed nor IPTC ninjs".into()))
}

fn read_xml(bytes: &[u8]) -> Result<(Format, Vec<WireItem>), IngestError> {
    let transcoded = to_utf8(bytes);
    let bytes = transcoded.as_deref().unwrap_or(bytes);
    let root = check_xml(bytes)?;
    match root.as_str() {
        "rss" | "RDF" => Ok((Format::Rss, feeds::read(bytes)?)),
        "feed" => Ok((Format::Atom, feeds::read(bytes)?)),
        r if newsml::is_newsml(r) => Ok((Format::NewsmlG2, newsml::read(bytes)?)),
        other => {
            Err(IngestError::Unknown(format!("an XML document whose root is <{other}>: not RSS, Atom or NewsML-G2")))
        }
    }
}

/// Reads an XML document whole and answers its root element's local name, or why it is refused:
/// not well-formed, not UTF-8, a namespace prefix used but not declared, or entities declared.
fn check_xml(bytes: &[u8]) -> Result<String, IngestError> {
    let mut reader = Reader::from_reader(bytes);
    reader.config_mut().check_end_names = true;
    let mut buf = Vec::new();
    let mut root = None;
    let mut depth = 0usize;
    // The prefixes declared by each open element, innermost last.
    let mut declared: Vec<Vec<String>> = Vec::new();
    let at = |reader: &Reader<&[u8]>| line_of(bytes, reader.buffer_position());
    loop {
        let event = reader
            .read_event_into(&mut buf)
            .map_err(|e| IngestError::Malformed(format!("{}: not well-formed XML: {e}", at(&reader))))?;
        match event {
            Event::DocType(d) => {
                if String::from_utf8_lossy(&d).contains("ENTITY") {
                    return Err(IngestError::Malformed(
                        "the document declares entities (no feed or wire format needs them); refused".into(),
                    ));
                }
            }
            Event::Start(ref e) | Event::Empty(ref e) => {
                let empty = matches!(event, Event::Empty(_));
                if depth == 0 && root.is_some() {
                    return Err(IngestError::Malformed(format!("{}: a second root element", at(&reader))));
                }
                let mut mine = Vec::new();
                let mut used = Vec::new();
                for attribute in e.attributes() {
                    let attribute = attribute
                        .map_err(|err| IngestError::Malformed(format!("{}: a broken attribute: {err}", at(&reader))))?;
                    let key = String::from_utf8_lossy(attribute.key.as_ref()).into_owned();
                    match key.strip_prefix("xmlns:") {
                        Some(prefix) => mine.push(prefix.to_string()),
                        None if key != "xmlns" => used.push(key),
                        None => {}
                    }
                    attribute.unescape_value().map_err(|err| {
                        IngestError::Malformed(format!("{}: an attribute's value: {err}", at(&reader)))
                    })?;
                }
                declared.push(mine);
                used.push(String::from_utf8_lossy(e.name().as_ref()).into_owned());
                for name in used {
                    if let Some((prefix, _)) = name.split_once(':')
                        && !matches!(prefix, "xml" | "xmlns")
                        && !declared.iter().flatten().any(|p| p == prefix)
                    {
                        return Err(IngestError::Malformed(format!(
                            "{}: the namespace prefix {prefix}: is used but never declared",
                            at(&reader)
                        )));
                    }
                }
                if root.is_none() {
                    root = Some(String::from_utf8_lossy(e.local_name().as_ref()).into_owned());
                }
                if empty {
                    declared.pop();
                } else {
                    depth += 1;
                }
            }
            Event::End(_) => {
                depth = depth.saturating_sub(1);
                declared.pop();
            }
            Event::Text(t) => {
                t.decode().map_err(|e| IngestError::Malformed(format!("{}: not UTF-8 text: {e}", at(&reader))))?;
            }
            Event::CData(t) => {
                t.decode().map_err(|e| IngestError::Malformed(format!("{}: not UTF-8 text: {e}", at(&reader))))?;
            }
            Event::GeneralRef(r) => {
                let known = r.resolve_char_ref().ok().flatten().is_some()
                    || r.decode()
                        .ok()
                        .is_some_and(|name| quick_xml::escape::resolve_predefined_entity(&name).is_some());
                if !known {
                    return Err(IngestError::Malformed(format!(
                        "{}: the entity &{}; is not one of XML's own (a bare & must be written &amp;)",
                        at(&reader),
                        String::from_utf8_lossy(&r)
                    )));
                }
            }
            Event::Decl(d) => {
                if let Some(Ok(encoding)) = d.encoding() {
                    let name = String::from_utf8_lossy(&encoding).to_ascii_lowercase();
                    if !matches!(name.as_str(), "utf-8" | "utf8" | "us-ascii" | "ascii") {
                        return Err(IngestError::Malformed(format!(
                            "the document is in {name}; the desk reads UTF-8 only (ask the sender for UTF-8)"
                        )));
                    }
                }
            }
            Event::Eof => break,
            Event::Comment(_) | Event::PI(_) => {}
        }
        buf.clear();
    }
    if depth > 0 {
        return Err(IngestError::Malformed("the document ends before its elements close: it is cut short".into()));
    }
    root.ok_or_else(|| IngestError::Unknown("no XML element: an empty or text-only document".into()))
}

/// A document declared in ISO-8859-1 or Windows-1252 (older feeds), as UTF-8 with its
/// declaration saying so; none for any other (read as it is: UTF-8, or refused).
fn to_utf8(bytes: &[u8]) -> Option<Vec<u8>> {
    let head = &bytes[..bytes.len().min(200)];
    let head = String::from_utf8_lossy(head);
    let declaration = head.strip_prefix("<?xml")?.split("?>").next()?;
    let at = declaration.find("encoding")?;
    let rest = declaration[at + "encoding".len()..].trim_start().strip_prefix('=')?.trim_start();
    let quote = rest.chars().next().filter(|q| *q == '"' || *q == '\'')?;
    let name = rest[1..].split(quote).next()?;
    let windows = match name.to_ascii_lowercase().as_str() {
        "iso-8859-1" | "latin1" | "iso_8859-1" | "l1" => false,
        "windows-1252" | "cp1252" => true,
        _ => return None,
    };
    // Windows-1252's printable characters where ISO-8859-1 has controls (0x80 to 0x9F).
    const WINDOWS: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8D}', 'Ž', '\u{8F}', '\u{90}', '‘',
        '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9D}', 'ž', 'Ÿ',
    ];
    let text: String = bytes
        .iter()
        .map(|&b| if windows && (0x80..0xA0).contains(&b) { WINDOWS[usize::from(b - 0x80)] } else { char::from(b) })
        .collect();
    let quoted = format!("{quote}{name}{quote}");
    Some(text.replacen(&quoted, "\"UTF-8\"", 1).into_bytes())
}

/// `line L` of a byte position.
fn line_of(bytes: &[u8], position: u64) -> String {
    let end = usize::try_from(position).unwrap_or(usize::MAX).min(bytes.len());
    format!("line {}", bytes[..end].iter().filter(|b| **b == b'\n').count() + 1)
}

/// The first words of a body, for an item without a headline.
fn first_words(html: &str) -> String {
    let mut text = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                text.push(' ');
            }
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    let words: Vec<&str> = text.split_whitespace().take(10).collect();
    if words.is_empty() { "(no headline)".to_string() } else { format!("{} …", words.join(" ")) }
}

/// Text as HTML paragraphs: escaped, split on blank lines (or on lines when there are none).
pub(crate) fn text_paragraphs(text: &str) -> String {
    let text = text.replace("\r\n", "\n");
    let blocks: Vec<&str> = if text.contains("\n\n") { text.split("\n\n").collect() } else { text.lines().collect() };
    blocks
        .into_iter()
        .map(str::trim)
        .filter(|b| !b.is_empty())
        .map(|b| format!("<p>{}</p>", courant_core::escape_html(b)))
        .collect::<Vec<_>>()
        .join("\n")
}

//! Ghost post bodies stored as editor JSON instead of HTML: Lexical (Ghost 5 and 6) and
//! Mobiledoc (Ghost 1 to 4), rendered to the HTML Ghost would have shown, so that they go
//! through the same HTML-to-Markdown conversion as every other body.
//!
//! What Markdown can hold is rendered with care (headings, paragraphs, inline formats, links,
//! lists, quotes, pictures, code, rules); embeds and media become links, and newsletter and
//! members cards are left out, each with a warning for the import report. Text and attribute
//! values are escaped here; what Ghost itself stores as HTML (captions, html cards) is passed on
//! as it is, because the converter that runs next drops anything unsafe.

use pulldown_cmark::{Options, Parser, html::push_html};
use serde_json::Value;

/// Lexical text formats (bits of `format`) and their tags, outermost first. Underline (8) and
/// highlight (128) have no Markdown form, so they stay plain text.
const TEXT_FORMATS: &[(u64, &str)] = &[(1, "strong"), (2, "em"), (4, "s"), (32, "sub"), (64, "sup"), (16, "code")];

/// Ghost cards that belong to newsletters and membership, which a Courant article has no use for.
const MEMBERS_CARDS: &[&str] = &["email", "email-cta", "signup", "paywall", "transistor", "collection"];

/// Lexical nodes that are blocks, so a quote holding one needs no paragraph of its own.
const LEXICAL_BLOCKS: &[&str] =
    &["paragraph", "heading", "extended-heading", "quote", "extended-quote", "aside", "list"];

/// A Lexical editor state (Ghost 5 and 6) as HTML; what could not be kept is added to `warnings`.
pub(crate) fn lexical_html(json: &str, warnings: &mut Vec<String>) -> Result<String, String> {
    let doc: Value = serde_json::from_str(json).map_err(|e| format!("the lexical body is not JSON: {e}"))?;
    let Some(children) = doc.get("root").and_then(|root| root.get("children")).and_then(Value::as_array) else {
        return Err("the lexical body has no root node with children".to_string());
    };
    let mut out = String::new();
    for child in children {
        lexical_node(child, &mut out, warnings);
    }
    Ok(out)
}

/// A Mobiledoc document (Ghost 1 to 4) as HTML; what could not be kept is added to `warnings`.
pub(crate) fn mobiledoc_html(json: &str, warnings: &mut Vec<String>) -> Result<String, String> {
    let doc: Value = serde_json::from_str(json).map_err(|e| format!("the mobiledoc body is not JSON: {e}"))?;
    let Some(sections) = doc.get("sections").and_then(Value::as_array) else {
        return Err("the mobiledoc body has no list of sections".to_string());
    };
    let mobiledoc =
        Mobiledoc { markups: list(doc.get("markups")), atoms: list(doc.get("atoms")), cards: list(doc.get("cards")) };
    let mut out = String::new();
    for section in sections {
        mobiledoc.section(section, &mut out, warnings);
    }
    Ok(out)
}

/// Renders one Lexical node (and what it holds) onto `out`.
fn lexical_node(node: &Value, out: &mut String, warnings: &mut Vec<String>) {
    let kind = node.get("type").and_then(Value::as_str).unwrap_or("(none)");
    match kind {
        "text" | "extended-text" => text_node(node, out),
        "linebreak" => out.push_str("<br>"),
        // A tab means nothing in HTML or Markdown prose; a space keeps the words apart.
        "tab" => out.push(' '),
        // Ghost's zero-width non-joiner only steers the editor's cursor.
        "zwnj" => {}
        // Empty paragraphs are the editor's spacing, not content; an item found outside a list
        // has lost its list, so it is kept as a paragraph.
        "paragraph" | "listitem" => out.push_str(&element("p", &lexical_children(node, warnings))),
        "heading" | "extended-heading" => {
            let tag = match field(node, "tag") {
                tag @ ("h1" | "h2" | "h3" | "h4" | "h5" | "h6") => tag,
                _ => "h2",
            };
            out.push_str(&element(tag, &lexical_children(node, warnings)));
        }
        "quote" | "extended-quote" | "aside" => {
            let inner = lexical_children(node, warnings);
            if children(node).iter().any(|c| LEXICAL_BLOCKS.contains(&field(c, "type"))) {
                out.push_str(&element("blockquote", &inner));
            } else {
                out.push_str(&element("blockquote", &element("p", &inner)));
            }
        }
        "list" => lexical_list(node, out, warnings),
        "link" | "autolink" => {
            let url = field(node, "url").trim();
            let mut inner = lexical_children(node, warnings);
            if url.is_empty() {
                out.push_str(&inner);
            } else {
                if inner.is_empty() {
                    inner = courant_core::escape_html(url);
                }
                out.push_str(&format!("<a href=\"{}\">{inner}</a>", courant_core::escape_html(url)));
            }
        }
        _ => {
            // Cards never have children, so a node with them is an element we do not know
            // (a plugin's, a newer Ghost's) whose content is still worth keeping.
            if node.get("children").is_some_and(Value::is_array) {
                out.push_str(&lexical_children(node, warnings));
            } else if let Some(html) = card(kind, node, warnings) {
                out.push_str(&html);
            } else if node.get("text").is_some_and(Value::is_string) {
                text_node(node, out);
            } else {
                warnings.push(format!("lexical node of type {kind} left out"));
            }
        }
    }
}

/// The children of a Lexical node rendered one after the other.
fn lexical_children(node: &Value, warnings: &mut Vec<String>) -> String {
    let mut out = String::new();
    for child in children(node) {
        lexical_node(child, &mut out, warnings);
    }
    out
}

/// A Lexical text node: its text escaped, inside the tags of its formats.
fn text_node(node: &Value, out: &mut String) {
    let text = field(node, "text");
    if text.is_empty() {
        return;
    }
    let format = node.get("format").and_then(Value::as_u64).unwrap_or(0);
    let tags: Vec<&str> = TEXT_FORMATS.iter().filter(|(bit, _)| format & bit != 0).map(|(_, tag)| *tag).collect();
    for tag in &tags {
        out.push_str(&format!("<{tag}>"));
    }
    out.push_str(&courant_core::escape_html(text));
    for tag in tags.iter().rev() {
        out.push_str(&format!("</{tag}>"));
    }
}

/// A Lexical list. Lexical nests a list in an item of its own after the item it belongs to;
/// it is moved into that item, where Markdown expects it.
fn lexical_list(node: &Value, out: &mut String, warnings: &mut Vec<String>) {
    let ordered = match node.get("listType").and_then(Value::as_str) {
        Some(list_type) => list_type == "number",
        None => field(node, "tag") == "ol",
    };
    let mut items: Vec<String> = Vec::new();
    for child in children(node) {
        let (inner, nested_only) = if field(child, "type") == "listitem" {
            let nested = children(child);
            let nested_only = !nested.is_empty() && nested.iter().all(|c| field(c, "type") == "list");
            (lexical_children(child, warnings), nested_only)
        } else {
            let mut inner = String::new();
            lexical_node(child, &mut inner, warnings);
            (inner, field(child, "type") == "list")
        };
        match items.last_mut() {
            Some(last) if nested_only => last.push_str(&inner),
            _ => items.push(inner),
        }
    }
    if items.is_empty() {
        return;
    }
    match node.get("start").and_then(Value::as_u64) {
        Some(start) if ordered && start != 1 => out.push_str(&format!("<ol start=\"{start}\">")),
        _ => out.push_str(if ordered { "<ol>" } else { "<ul>" }),
    }
    for item in items {
        out.push_str(&format!("<li>{item}</li>"));
    }
    out.push_str(if ordered { "</ol>" } else { "</ul>" });
}

/// The parts of a Mobiledoc document that sections refer to by index.
struct Mobiledoc<'a> {
    markups: &'a [Value],
    atoms: &'a [Value],
    cards: &'a [Value],
}

impl Mobiledoc<'_> {
    /// Renders one section (`[type, …]`) onto `out`.
    fn section(&self, section: &Value, out: &mut String, warnings: &mut Vec<String>) {
        let parts = list(Some(section));
        match parts.first().and_then(Value::as_u64) {
            Some(1) => {
                let name = parts.get(1).and_then(Value::as_str).unwrap_or("p").to_ascii_lowercase();
                let inner = self.markers(parts.get(2), warnings);
                match name.as_str() {
                    tag @ ("h1" | "h2" | "h3" | "h4" | "h5" | "h6") => out.push_str(&element(tag, &inner)),
                    "blockquote" | "aside" | "pull-quote" => {
                        out.push_str(&element("blockquote", &element("p", &inner)));
                    }
                    _ => out.push_str(&element("p", &inner)),
                }
            }
            Some(2) => match parts.get(1).and_then(Value::as_str).map(str::trim) {
                Some(src) if !src.is_empty() => {
                    out.push_str(&format!("<figure><img src=\"{}\"></figure>", courant_core::escape_html(src)));
                }
                _ => warnings.push("an image section without a picture left out".to_string()),
            },
            Some(3) => {
                let tag = if parts.get(1).and_then(Value::as_str) == Some("ol") { "ol" } else { "ul" };
                let items: String =
                    list(parts.get(2)).iter().map(|item| element("li", &self.markers(Some(item), warnings))).collect();
                out.push_str(&element(tag, &items));
            }
            Some(10) => {
                let Some(found) = parts.get(1).and_then(|index| at(self.cards, index)).and_then(Value::as_array) else {
                    warnings.push("a mobiledoc card section without its card left out".to_string());
                    return;
                };
                let name = found.first().and_then(Value::as_str).unwrap_or("(unnamed)");
                match card(name, found.get(1).unwrap_or(&Value::Null), warnings) {
                    Some(html) => out.push_str(&html),
                    None => warnings.push(format!("Ghost card {name} left out")),
                }
            }
            kind => {
                let kind = kind.map_or("(none)".to_string(), |kind| kind.to_string());
                warnings.push(format!("mobiledoc section of type {kind} left out"));
            }
        }
    }

    /// A list of markers as HTML. Markups open and close across markers, so the open ones are
    /// kept on a stack; whatever a malformed section leaves open is closed at its end.
    fn markers(&self, markers: Option<&Value>, warnings: &mut Vec<String>) -> String {
        let mut out = String::new();
        let mut open: Vec<&'static str> = Vec::new();
        for marker in list(markers) {
            let parts = list(Some(marker));
            // Mobiledoc 0.2 markers have no type: `[openMarkups, numberClosed, text]`.
            let (kind, rest) = match parts.first() {
                Some(Value::Array(_)) => (Some(0), parts),
                Some(kind) => (kind.as_u64(), &parts[1..]),
                None => continue,
            };
            for index in list(rest.first()) {
                let (tag, close) = self.markup(index);
                out.push_str(&tag);
                open.push(close);
            }
            match (kind, rest.get(2)) {
                (Some(0), Some(Value::String(text))) => out.push_str(&courant_core::escape_html(text)),
                (Some(1), Some(index)) => out.push_str(&self.atom(index)),
                _ => warnings.push("a mobiledoc marker left out".to_string()),
            }
            let closed = rest.get(1).and_then(Value::as_u64).unwrap_or(0);
            for _ in 0..closed {
                let Some(tag) = open.pop() else { break };
                close_tag(&mut out, tag);
            }
        }
        while let Some(tag) = open.pop() {
            close_tag(&mut out, tag);
        }
        out
    }

    /// The opening tag of a markup (`[tagName, [name, value, …]]`) and the tag that closes it;
    /// a markup we do not know opens and closes nothing, so its text is still kept.
    fn markup(&self, index: &Value) -> (String, &'static str) {
        let Some(markup) = at(self.markups, index).and_then(Value::as_array) else {
            return (String::new(), "");
        };
        let tag = match markup.first().and_then(Value::as_str).map(str::to_ascii_lowercase).as_deref() {
            Some("a") => "a",
            Some("strong" | "b") => "strong",
            Some("em" | "i") => "em",
            Some("code") => "code",
            Some("s" | "strike" | "del") => "s",
            Some("sub") => "sub",
            Some("sup") => "sup",
            Some("u") => "u",
            _ => return (String::new(), ""),
        };
        let mut html = format!("<{tag}");
        for pair in list(markup.get(1)).chunks(2) {
            if let [name, value] = pair
                && let (Some(name), Some(value)) = (name.as_str(), value.as_str())
                && !name.is_empty()
                && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
            {
                html.push_str(&format!(" {}=\"{}\"", name.to_ascii_lowercase(), courant_core::escape_html(value)));
            }
        }
        html.push('>');
        (html, tag)
    }

    /// An atom (`[name, text, payload]`): Ghost's soft return is a line break, others their text.
    fn atom(&self, index: &Value) -> String {
        let Some(atom) = at(self.atoms, index).and_then(Value::as_array) else {
            return String::new();
        };
        match atom.first().and_then(Value::as_str) {
            Some("soft-return") => "<br>".to_string(),
            _ => courant_core::escape_html(atom.get(1).and_then(Value::as_str).unwrap_or("")),
        }
    }
}

/// A Ghost card as HTML, by its Mobiledoc or Lexical name (`data` holds its fields); `None` when
/// the card is not one we know.
fn card(name: &str, data: &Value, warnings: &mut Vec<String>) -> Option<String> {
    let caption = block(field(data, "caption"));
    let html = match name {
        "markdown" | "card-markdown" => {
            let mut html = String::new();
            let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
            push_html(&mut html, Parser::new_ext(field(data, "markdown"), options));
            html
        }
        "html" => field(data, "html").to_string(),
        "image" => image(data, warnings),
        "gallery" => {
            let images = list(data.get("images"));
            if images.is_empty() {
                warnings.push("an empty gallery left out".to_string());
            }
            images.iter().map(|picture| image(picture, warnings)).collect::<String>() + &caption
        }
        "embed" | "bookmark" | "video" | "audio" | "file" => {
            let url = first_text(data, &["url", "src"]);
            if url.is_empty() {
                warnings.push(format!("Ghost card {name} without an address left out"));
                return Some(String::new());
            }
            // A bookmark is a link already; the others lose their player, worth a look.
            if name != "bookmark" {
                warnings.push(format!("{name} kept as a link: {url}"));
            }
            let metadata_title = data.get("metadata").map_or("", |metadata| first_text(metadata, &["title"]));
            let title = match name {
                "embed" => url,
                _ => non_empty(non_empty(metadata_title, first_text(data, &["title", "fileTitle", "fileName"])), url),
            };
            link_paragraph(url, title) + &caption
        }
        "hr" | "horizontalrule" => "<hr>".to_string(),
        "code" | "codeblock" => {
            let language = field(data, "language").trim();
            let class = if language.is_empty() || language.contains(char::is_whitespace) {
                String::new()
            } else {
                format!(" class=\"language-{}\"", courant_core::escape_html(language))
            };
            format!("<pre><code{class}>{}</code></pre>", courant_core::escape_html(field(data, "code"))) + &caption
        }
        "callout" => {
            let emoji = courant_core::escape_html(field(data, "calloutEmoji").trim());
            let text = field(data, "calloutText").trim();
            if starts_with_block(text) {
                element("p", &emoji) + text
            } else {
                element("p", format!("{emoji} {text}").trim())
            }
        }
        "toggle" => element("p", &element("strong", field(data, "heading").trim())) + &block(field(data, "content")),
        "button" => {
            let html = button(data, "buttonText", "buttonUrl");
            if html.is_empty() {
                warnings.push("a button without an address left out".to_string());
            }
            html
        }
        "header" => {
            let heading = element("h2", field(data, "header").trim());
            heading + &block(field(data, "subheader")) + &button(data, "buttonText", "buttonUrl")
        }
        "product" => {
            let heading = element("h3", field(data, "productTitle").trim());
            heading + &block(field(data, "productDescription")) + &button(data, "productButton", "productUrl")
        }
        _ if MEMBERS_CARDS.contains(&name) => {
            warnings.push(format!("Ghost card {name} left out (newsletter/members feature)"));
            String::new()
        }
        _ => return None,
    };
    Some(html)
}

/// A card's button as a link paragraph, or nothing without an address.
fn button(data: &Value, text_key: &str, url_key: &str) -> String {
    let url = field(data, url_key).trim();
    if url.is_empty() { String::new() } else { link_paragraph(url, non_empty(field(data, text_key).trim(), url)) }
}

/// An image card (or one picture of a gallery) as a figure with its caption.
fn image(data: &Value, warnings: &mut Vec<String>) -> String {
    let src = field(data, "src").trim();
    if src.is_empty() {
        warnings.push("an image card without a picture left out".to_string());
        return String::new();
    }
    let mut img = format!(
        "<img src=\"{}\" alt=\"{}\">",
        courant_core::escape_html(src),
        courant_core::escape_html(field(data, "alt"))
    );
    let href = field(data, "href").trim();
    if !href.is_empty() {
        img = format!("<a href=\"{}\">{img}</a>", courant_core::escape_html(href));
    }
    let caption = field(data, "caption").trim();
    if caption.is_empty() {
        format!("<figure>{img}</figure>")
    } else {
        format!("<figure>{img}<figcaption>{caption}</figcaption></figure>")
    }
}

/// A paragraph holding one link; `url` and `text` are plain text, escaped here.
fn link_paragraph(url: &str, text: &str) -> String {
    format!("<p><a href=\"{}\">{}</a></p>", courant_core::escape_html(url), courant_core::escape_html(text))
}

/// `<tag>inner</tag>`, or nothing when `inner` is empty (an empty block only adds space).
fn element(tag: &str, inner: &str) -> String {
    if inner.trim().is_empty() { String::new() } else { format!("<{tag}>{inner}</{tag}>") }
}

/// HTML stored by Ghost as a block: as it is when it already starts with one, else a paragraph.
fn block(html: &str) -> String {
    let html = html.trim();
    if starts_with_block(html) { html.to_string() } else { element("p", html) }
}

/// Whether HTML starts with a block element, so wrapping it in a paragraph would break it.
fn starts_with_block(html: &str) -> bool {
    const BLOCKS: &[&str] =
        &["p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "blockquote", "div", "figure", "pre", "table", "hr"];
    let Some(rest) = html.trim_start().strip_prefix('<') else { return false };
    let name: String = rest.chars().take_while(char::is_ascii_alphanumeric).collect::<String>().to_ascii_lowercase();
    BLOCKS.contains(&name.as_str())
}

/// Closes a markup opened from the stack (an unknown markup opened nothing).
fn close_tag(out: &mut String, tag: &str) {
    if !tag.is_empty() {
        out.push_str(&format!("</{tag}>"));
    }
}

/// `text`, or `fallback` when it is empty.
fn non_empty<'a>(text: &'a str, fallback: &'a str) -> &'a str {
    if text.is_empty() { fallback } else { text }
}

/// The first of `keys` that holds text, trimmed; empty when none does.
fn first_text<'a>(data: &'a Value, keys: &[&str]) -> &'a str {
    keys.iter().map(|key| field(data, key).trim()).find(|text| !text.is_empty()).unwrap_or("")
}

/// A string field of a node or payload, empty when missing or not a string.
fn field<'a>(data: &'a Value, key: &str) -> &'a str {
    data.get(key).and_then(Value::as_str).unwrap_or("")
}

/// The `children` of a Lexical node, none when missing or not a list.
fn children(node: &Value) -> &[Value] {
    list(node.get("children"))
}

/// A JSON array as a slice, empty when missing or not an array.
fn list(value: Option<&Value>) -> &[Value] {
    value.and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default()
}

/// The item of `items` at a JSON index, if the index is a number in range.
fn at<'a>(items: &'a [Value], index: &Value) -> Option<&'a Value> {
    items.get(usize::try_from(index.as_u64()?).ok()?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn lexical(children: Value) -> (String, Vec<String>) {
        let doc = json!({"root": {"children": children, "direction": null, "type": "root", "version": 1}});
        let mut warnings = Vec::new();
        let html = lexical_html(&doc.to_string(), &mut warnings).expect("a lexical body");
        (html, warnings)
    }

    fn text(text: &str, format: u64) -> Value {
        json!({"type": "text", "text": text, "format": format, "detail": 0, "mode": "normal", "version": 1})
    }

    fn mobiledoc(markups: Value, atoms: Value, cards: Value, sections: Value) -> (String, Vec<String>) {
        let doc = json!({"version": "0.3.1", "atoms": atoms, "cards": cards, "markups": markups, "sections": sections});
        let mut warnings = Vec::new();
        let html = mobiledoc_html(&doc.to_string(), &mut warnings).expect("a mobiledoc body");
        (html, warnings)
    }

    fn card_doc(card: Value) -> (String, Vec<String>) {
        mobiledoc(json!([]), json!([]), json!([card]), json!([[10, 0]]))
    }

    #[test]
    fn lexical_heading_paragraph_formats_and_link() {
        let (html, warnings) = lexical(json!([
            {"type": "heading", "tag": "h2", "children": [text("Title", 0)]},
            {"type": "paragraph", "children": [
                text("Both", 3), text(" and ", 0),
                {"type": "link", "url": "https://a.example/?a=1&b=2", "children": [text("a <link>", 0)]},
                text("gone", 4 | 16),
            ]},
            {"type": "paragraph", "children": []},
        ]));
        assert_eq!(
            html,
            "<h2>Title</h2><p><strong><em>Both</em></strong> and \
             <a href=\"https://a.example/?a=1&amp;b=2\">a &lt;link&gt;</a><s><code>gone</code></s></p>"
        );
        assert!(warnings.is_empty());
    }

    #[test]
    fn lexical_nested_list_goes_into_the_item_before() {
        let (html, _) = lexical(json!([{"type": "list", "listType": "bullet", "tag": "ul", "start": 1, "children": [
            {"type": "listitem", "value": 1, "children": [text("one", 0)]},
            {"type": "listitem", "value": 2, "children": [{"type": "list", "listType": "number", "tag": "ol", "start": 3,
                "children": [{"type": "listitem", "children": [text("nested", 0)]}]}]},
            {"type": "listitem", "value": 2, "children": [text("two", 0)]},
        ]}]));
        assert_eq!(html, "<ul><li>one<ol start=\"3\"><li>nested</li></ol></li><li>two</li></ul>");
    }

    #[test]
    fn lexical_quote_and_aside() {
        let (html, _) = lexical(json!([
            {"type": "quote", "children": [text("Said", 0), {"type": "linebreak"}, text("twice", 0)]},
            {"type": "aside", "children": [text("Pulled", 0)]},
        ]));
        assert_eq!(html, "<blockquote><p>Said<br>twice</p></blockquote><blockquote><p>Pulled</p></blockquote>");
    }

    #[test]
    fn lexical_image_card_with_caption() {
        let (html, _) = lexical(json!([{"type": "image", "src": "https://e.org/p.jpg", "alt": "A \"pic\"",
            "caption": "By <a href=\"https://e.org\">me</a>", "href": ""}]));
        assert_eq!(
            html,
            "<figure><img src=\"https://e.org/p.jpg\" alt=\"A &quot;pic&quot;\">\
             <figcaption>By <a href=\"https://e.org\">me</a></figcaption></figure>"
        );
    }

    #[test]
    fn lexical_fixture_image() {
        let fixture = r#"{"root":{"children":[{"type":"image","version":1,"src":"https://example.com/images/lexical-image.jpg","width":800,"height":600,"title":"","alt":"","caption":"","cardWidth":"regular","href":""}],"direction":null,"format":"","indent":0,"type":"root","version":1}}"#;
        let mut warnings = Vec::new();
        let html = lexical_html(fixture, &mut warnings).expect("a lexical body");
        assert_eq!(html.matches("<img src=\"https://example.com/images/lexical-image.jpg\"").count(), 1);
        assert!(!html.contains("figcaption"));
        assert!(warnings.is_empty());
    }

    #[test]
    fn lexical_markdown_and_html_cards() {
        let (html, _) = lexical(json!([{"type": "markdown", "markdown": "**bold** and [a](https://a.example)"}]));
        assert!(html.contains("<strong>bold</strong>"), "{html}");
        assert!(html.contains("<a href=\"https://a.example\">a</a>"), "{html}");
        let (html, _) = lexical(json!([{"type": "html", "html": "<table><tr><td>1</td></tr></table>"}]));
        assert_eq!(html, "<table><tr><td>1</td></tr></table>");
    }

    #[test]
    fn lexical_embed_becomes_a_link_with_a_warning() {
        let url = "https://www.youtube.com/watch?v=x";
        let embed = json!({"type": "embed", "url": url, "html": "<iframe></iframe>", "embedType": "video"});
        let (html, warnings) = lexical(json!([embed]));
        assert_eq!(html, format!("<p><a href=\"{url}\">{url}</a></p>"));
        assert_eq!(warnings, [format!("embed kept as a link: {url}")]);
    }

    #[test]
    fn lexical_bookmark_uses_its_title() {
        let bookmark = json!({"type": "bookmark", "url": "https://e.org/a", "metadata": {"title": "A & B"}});
        let (html, _) = lexical(json!([bookmark]));
        assert_eq!(html, "<p><a href=\"https://e.org/a\">A &amp; B</a></p>");
    }

    #[test]
    fn lexical_email_card_is_left_out() {
        let (html, warnings) = lexical(json!([{"type": "email", "html": "<p>Hi {first_name}</p>"}]));
        assert_eq!(html, "");
        assert_eq!(warnings, ["Ghost card email left out (newsletter/members feature)"]);
    }

    #[test]
    fn lexical_codeblock_is_escaped() {
        let (html, _) = lexical(json!([
            {"type": "codeblock", "code": "<script>alert(1)</script>", "language": ""},
            {"type": "codeblock", "code": "a && b", "language": "js"},
            {"type": "horizontalrule"},
        ]));
        assert_eq!(
            html,
            "<pre><code>&lt;script&gt;alert(1)&lt;/script&gt;</code></pre>\
             <pre><code class=\"language-js\">a &amp;&amp; b</code></pre><hr>"
        );
    }

    #[test]
    fn lexical_unknown_nodes() {
        let wrapper = json!({"type": "wrapper", "children": [{"type": "paragraph", "children": [text("kept", 0)]}]});
        let (html, warnings) = lexical(json!([{"type": "mystery"}, wrapper, 7]));
        assert_eq!(html, "<p>kept</p>");
        assert_eq!(warnings, ["lexical node of type mystery left out", "lexical node of type (none) left out"]);
    }

    #[test]
    fn lexical_not_json_is_an_error() {
        let mut warnings = Vec::new();
        let err = lexical_html("{not json", &mut warnings).expect_err("not JSON");
        assert!(err.starts_with("the lexical body is not JSON"), "{err}");
        assert!(lexical_html("{\"sections\": []}", &mut warnings).is_err());
    }

    #[test]
    fn mobiledoc_markups_across_markers() {
        let paragraph = json!([
            [0, [0], 0, "link "],
            [0, [1], 2, "bold"],
            [0, [], 0, " a < b"],
            [1, [], 0, 0],
            [0, [1], 0, "open"]
        ]);
        let (html, warnings) = mobiledoc(
            json!([["a", ["href", "https://a.example/?x=1&y=\"2\""]], ["strong"]]),
            json!([["soft-return", "", {}]]),
            json!([]),
            json!([[1, "h2", [[0, [], 0, "Head"]]], [1, "p", paragraph], [1, "aside", [[0, [], 0, "Quoted"]]]]),
        );
        assert_eq!(
            html,
            "<h2>Head</h2><p><a href=\"https://a.example/?x=1&amp;y=&quot;2&quot;\">link <strong>bold</strong></a> \
             a &lt; b<br><strong>open</strong></p><blockquote><p>Quoted</p></blockquote>"
        );
        assert!(warnings.is_empty());
    }

    #[test]
    fn mobiledoc_list_section() {
        let (html, _) = mobiledoc(
            json!([["em"]]),
            json!([]),
            json!([]),
            json!([[3, "ol", [[[0, [], 0, "one"]], [[0, [0], 1, "two"]]]], [3, "ul", [[[0, [], 0, "x"]]]]]),
        );
        assert_eq!(html, "<ol><li>one</li><li><em>two</em></li></ol><ul><li>x</li></ul>");
    }

    #[test]
    fn mobiledoc_image_card_and_section() {
        let (html, _) = card_doc(json!(["image", {"src": "https://e.org/p.jpg", "alt": "Alt", "caption": "Cap"}]));
        assert_eq!(html, "<figure><img src=\"https://e.org/p.jpg\" alt=\"Alt\"><figcaption>Cap</figcaption></figure>");
        let (html, _) = mobiledoc(json!([]), json!([]), json!([]), json!([[2, "https://e.org/q.jpg"]]));
        assert_eq!(html, "<figure><img src=\"https://e.org/q.jpg\"></figure>");
    }

    #[test]
    fn mobiledoc_markdown_html_and_hr_cards() {
        let (html, _) = card_doc(json!(["card-markdown", {"markdown": "*hi* ~~no~~"}]));
        assert_eq!(html, "<p><em>hi</em> <del>no</del></p>\n");
        let (html, _) = card_doc(json!(["html", {"html": "<div>raw</div>"}]));
        assert_eq!(html, "<div>raw</div>");
        let (html, _) = card_doc(json!(["hr", {}]));
        assert_eq!(html, "<hr>");
    }

    #[test]
    fn mobiledoc_unknown_and_members_cards_warn() {
        let (html, warnings) = mobiledoc(
            json!([]),
            json!([]),
            json!([["mystery", {}], ["paywall", {}]]),
            json!([[10, 0], [10, 1], [10, 9]]),
        );
        assert_eq!(html, "");
        assert_eq!(
            warnings,
            [
                "Ghost card mystery left out",
                "Ghost card paywall left out (newsletter/members feature)",
                "a mobiledoc card section without its card left out",
            ]
        );
    }

    #[test]
    fn mobiledoc_not_json_is_an_error() {
        let mut warnings = Vec::new();
        let err = mobiledoc_html("nope", &mut warnings).expect_err("not JSON");
        assert!(err.starts_with("the mobiledoc body is not JSON"), "{err}");
        assert!(mobiledoc_html("[1, 2]", &mut warnings).is_err());
    }
}

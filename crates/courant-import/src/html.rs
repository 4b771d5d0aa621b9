//! Article bodies arriving as HTML (WordPress and Ghost exports) turned into Courant's Markdown.
//!
//! The output holds no raw HTML at all: Courant shows HTML typed into a body as visible text, so
//! every element is translated, reduced to its text, or left out with a warning for the import
//! report. Addresses are checked here as well as at render time, so a `javascript:` link never
//! reaches the store, not even as Markdown. WordPress's `wpautop` is here too, because classic
//! editor bodies are stored without their paragraphs.

use scraper::{ElementRef, Html, Node};

/// A picture a body shows: its address as written in the Markdown (`](address`) and its
/// description, as plain text.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BodyPicture {
    /// The address in the HTML.
    pub url: String,
    /// The address as the Markdown writes it.
    pub markdown_url: String,
    pub alt: String,
    pub caption: String,
}

/// A body converted from HTML.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Converted {
    /// The body in Courant's Markdown dialect, blocks separated by one blank line.
    pub markdown: String,
    /// The pictures the body shows, in order, each address once.
    pub pictures: Vec<BodyPicture>,
    /// What could not be kept as it was, in words for the report ("dropped a <script>", "embed kept as a link: https://…", "form left out").
    pub warnings: Vec<String>,
}

/// Converts an HTML body (a fragment, as WordPress and Ghost store it) to Markdown.
///
/// Never fails: what Markdown cannot say is reduced to its text or left out, and `warnings`
/// says so in words for the import report.
pub fn to_markdown(html: &str) -> Converted {
    let document = Html::parse_fragment(html);
    let mut converter = Converter::default();
    let mut blocks = Vec::new();
    converter.blocks(document.root_element(), &mut blocks);
    Converted { markdown: blocks.join("\n\n"), pictures: converter.pictures, warnings: converter.warnings }
}

/// WordPress's `wpautop` for classic-editor bodies: blank-line separated chunks become <p>…</p> (single newlines inside become <br>), except chunks that already start with a block-level tag (p, div, h1-6, ul, ol, li, blockquote, pre, table, figure, hr, iframe, etc.), which are left alone. Never touches text inside <pre>.
///
/// Chunks are joined by one newline: `autop("a\nb\n\nc")` is `"<p>a<br>\nb</p>\n<p>c</p>"`.
pub fn autop(text: &str) -> String {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    // Blank lines inside a <pre> are part of the code: cut the blocks out before splitting and
    // leave a marker chunk in their place.
    let lower = text.to_ascii_lowercase();
    let mut kept: Vec<&str> = Vec::new();
    let mut source = String::with_capacity(text.len());
    let mut rest = 0;
    while let Some(start) = find_pre(&lower, rest) {
        let end = lower[start..].find("</pre>").map_or(text.len(), |i| start + i + "</pre>".len());
        source.push_str(&text[rest..start]);
        source.push_str(&format!("\n\n{PRE_MARK}{}{PRE_MARK}\n\n", kept.len()));
        kept.push(&text[start..end]);
        rest = end;
    }
    source.push_str(&text[rest..]);

    let mut chunks = Vec::new();
    for lines in blank_line_chunks(&source) {
        let first = lines.first().map_or("", |l| l.trim());
        let pre = first
            .strip_prefix(PRE_MARK)
            .and_then(|n| n.strip_suffix(PRE_MARK))
            .and_then(|n| n.parse::<usize>().ok())
            .and_then(|n| kept.get(n));
        if let Some(pre) = pre {
            chunks.push((*pre).to_string());
        } else if starts_with_block_tag(first) {
            chunks.push(lines.join("\n").trim().to_string());
        } else {
            // As WordPress does, a line break next to a block's tag is only a line break.
            let lines: Vec<&str> = lines.iter().map(|l| l.trim()).collect();
            let mut joined = String::new();
            for (i, line) in lines.iter().enumerate() {
                if i > 0 {
                    let plain = !ends_with_block_tag(lines[i - 1]) && !starts_with_block_tag(line);
                    joined.push_str(if plain { "<br>\n" } else { "\n" });
                }
                joined.push_str(line);
            }
            chunks.push(format!("<p>{joined}</p>"));
        }
    }
    chunks.join("\n")
}

/// Stands in for a cut-out <pre> while `autop` splits the text; no editor types it.
const PRE_MARK: char = '\u{1}';

/// Where the next `<pre>` tag starts in lower-cased text (not `<prefix>` or the like).
fn find_pre(lower: &str, from: usize) -> Option<usize> {
    let mut at = from;
    while let Some(i) = lower[at..].find("<pre") {
        let start = at + i;
        if lower[start + 4..].starts_with(['>', ' ', '\t', '\n', '/']) {
            return Some(start);
        }
        at = start + 4;
    }
    None
}

/// The runs of non-blank lines of a text.
fn blank_line_chunks(text: &str) -> Vec<Vec<&str>> {
    let mut chunks = Vec::new();
    let mut current = Vec::new();
    for line in text.split('\n') {
        if line.trim().is_empty() {
            if !current.is_empty() {
                chunks.push(std::mem::take(&mut current));
            }
        } else {
            current.push(line);
        }
    }
    if !current.is_empty() {
        chunks.push(current);
    }
    chunks
}

/// Tags that `autop` leaves alone at the start of a chunk (WordPress's list, plus embeds).
const AUTOP_BLOCKS: &[&str] = &[
    "address",
    "article",
    "aside",
    "audio",
    "blockquote",
    "canvas",
    "caption",
    "col",
    "colgroup",
    "dd",
    "details",
    "div",
    "dl",
    "dt",
    "embed",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "hr",
    "iframe",
    "legend",
    "li",
    "main",
    "map",
    "math",
    "menu",
    "nav",
    "noscript",
    "object",
    "ol",
    "p",
    "pre",
    "script",
    "section",
    "select",
    "style",
    "summary",
    "svg",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "ul",
    "video",
];

/// Whether a line ends with the tag of a block-level element (`</li>`, `<ol>`).
fn ends_with_block_tag(line: &str) -> bool {
    line.ends_with('>') && line.rfind('<').is_some_and(|i| starts_with_block_tag(&line[i..]))
}

fn starts_with_block_tag(line: &str) -> bool {
    let Some(rest) = line.strip_prefix('<') else { return false };
    // Comments (`<!--more-->`, Gutenberg's markers) would only make empty paragraphs.
    if rest.starts_with("!--") {
        return true;
    }
    let rest = rest.strip_prefix('/').unwrap_or(rest);
    let len = rest.find(|c: char| !c.is_ascii_alphanumeric()).unwrap_or(rest.len());
    let name = rest[..len].to_ascii_lowercase();
    let after = &rest[len..];
    AUTOP_BLOCKS.contains(&name.as_str()) && (after.is_empty() || after.starts_with(['>', '/', ' ', '\t']))
}

/// Elements left out with everything inside them: code, styling, forms, document furniture.
const DROPPED: &[&str] = &[
    "script", "style", "noscript", "template", "form", "input", "button", "select", "textarea", "option", "optgroup",
    "datalist", "svg", "math", "canvas", "head", "title", "meta", "link", "base", "param",
];
/// Dropped elements reported as one "form left out".
const FORM: &[&str] = &["form", "input", "button", "select", "textarea", "option", "optgroup", "datalist"];
/// Elements showing something from elsewhere; they are kept as links.
const EMBEDS: &[&str] = &["iframe", "embed", "object", "video", "audio", "source"];
/// Elements that make blocks of their own (pictures and embeds become paragraphs).
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "section",
    "article",
    "header",
    "footer",
    "main",
    "aside",
    "nav",
    "center",
    "details",
    "summary",
    "dl",
    "dt",
    "dd",
    "figure",
    "figcaption",
    "blockquote",
    "ul",
    "ol",
    "li",
    "table",
    "thead",
    "tbody",
    "tfoot",
    "tr",
    "td",
    "th",
    "caption",
    "pre",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "address",
    "hgroup",
    "img",
    "iframe",
    "embed",
    "object",
    "video",
    "audio",
    "source",
];

/// Whether an element belongs in the line of text around it rather than in a block of its own.
fn flows_inline(el: ElementRef<'_>) -> bool {
    let name = el.value().name();
    // Dropped elements stay in the line so that a <script> inside a paragraph does not cut it.
    if DROPPED.contains(&name) || matches!(name, "a" | "code" | "br") {
        return true;
    }
    if BLOCKS.contains(&name) {
        return false;
    }
    // A span (or an unknown element) wrapping paragraphs or pictures is a container in practice.
    !el.descendent_elements().any(|d| BLOCKS.contains(&d.value().name()))
}

/// The state of one conversion: what the report needs besides the Markdown.
#[derive(Default)]
struct Converter {
    pictures: Vec<BodyPicture>,
    warnings: Vec<String>,
}

/// Inline Markdown being written for one paragraph, heading or table cell.
struct Line {
    out: String,
    /// Pictures and embeds met inside the text; they become paragraphs after it.
    deferred: Vec<String>,
    /// Table cells need `|` escaped.
    table: bool,
    /// Headings and table cells cannot hold line breaks.
    one_line: bool,
    /// Emphasis open around the current point: `<b><strong>x</strong></b>` is bold once.
    open: Vec<&'static str>,
    /// Where the last emphasis closed, so `<b>a</b><b>b</b>` gives `**ab**`, not `**a****b**`.
    closed: Option<(usize, &'static str)>,
}

impl Line {
    fn new(table: bool, one_line: bool) -> Line {
        Line { out: String::new(), deferred: Vec::new(), table, one_line, open: Vec::new(), closed: None }
    }

    fn text(&mut self, text: &str) {
        self.out.push_str(&escape_text(&collapse_whitespace(text), self.table));
    }

    /// A `<br>`: a newline here, written as a backslash at the end of the line by `finish`.
    fn hard_break(&mut self) {
        self.out.push(if self.one_line { ' ' } else { '\n' });
    }

    /// Ends the paragraph: its text (if any) and then the blocks met inside it go to `out`.
    fn flush_into(&mut self, out: &mut Vec<String>) {
        let text = finish(&self.out, true);
        if !text.is_empty() {
            out.push(text);
        }
        out.append(&mut self.deferred);
        *self = Line::new(self.table, self.one_line);
    }
}

impl Converter {
    fn warn(&mut self, message: String) {
        if !self.warnings.contains(&message) {
            self.warnings.push(message);
        }
    }

    fn dropped(&mut self, name: &str) {
        if FORM.contains(&name) {
            self.warn("form left out".to_string());
        } else {
            self.warn(format!("dropped a <{name}>"));
        }
    }

    /// Converts the children of `parent` to blocks.
    fn blocks(&mut self, parent: ElementRef<'_>, out: &mut Vec<String>) {
        self.blocks_skipping(parent, None, out);
    }

    /// Converts the children of `parent` to blocks, all but `skip` (a quote's attribution).
    fn blocks_skipping<'a>(&mut self, parent: ElementRef<'a>, skip: Option<ElementRef<'a>>, out: &mut Vec<String>) {
        let mut line = Line::new(false, false);
        for child in parent.children() {
            match child.value() {
                Node::Text(text) => line.text(text),
                Node::Element(_) => {
                    if let Some(el) = ElementRef::wrap(child)
                        && skip.is_none_or(|s| s.id() != el.id())
                    {
                        self.block_child(el, &mut line, out);
                    }
                }
                // Comments (Gutenberg's `<!-- wp:… -->`, `<!--more-->`) mean nothing to readers.
                _ => {}
            }
        }
        line.flush_into(out);
    }

    /// One element met among blocks: it joins the current line or makes blocks of its own.
    fn block_child(&mut self, el: ElementRef<'_>, line: &mut Line, out: &mut Vec<String>) {
        if el.value().name() == "a"
            && let Some(img) = only_image(el)
        {
            line.flush_into(out);
            out.extend(self.image(img, None));
        } else if flows_inline(el) {
            self.inline_element(el, line);
        } else {
            line.flush_into(out);
            self.block(el, out);
        }
    }

    fn block(&mut self, el: ElementRef<'_>, out: &mut Vec<String>) {
        match el.value().name() {
            "h1" | "h2" => self.heading(el, 2, out),
            "h3" => self.heading(el, 3, out),
            "h4" => self.heading(el, 4, out),
            "h5" => self.heading(el, 5, out),
            "h6" => self.heading(el, 6, out),
            // Not `---`: under a paragraph line that would make it a heading.
            "hr" => out.push("* * *".to_string()),
            "pre" => out.extend(code_block(el)),
            "blockquote" => self.quote(el, None, out),
            "figure" => self.figure(el, out),
            "ul" | "ol" => self.list(el, out),
            "table" => self.table(el, out),
            "img" => out.extend(self.image(el, None)),
            name if EMBEDS.contains(&name) => out.extend(self.embed(el)),
            "div" if has_class(el, "wp-caption") => {
                let caption = el.descendent_elements().find(|d| has_class(*d, "wp-caption-text"));
                if !self.captioned_image(el, caption, out) {
                    self.blocks(el, out);
                }
            }
            _ => self.blocks(el, out),
        }
    }

    fn heading(&mut self, el: ElementRef<'_>, level: usize, out: &mut Vec<String>) {
        let (text, deferred) = self.one_line(el, false);
        if !text.is_empty() {
            out.push(format!("{} {text}", "#".repeat(level)));
        }
        out.extend(deferred);
    }

    /// The inline content of `el` on one line, and the blocks (pictures) met inside it.
    fn one_line(&mut self, el: ElementRef<'_>, table: bool) -> (String, Vec<String>) {
        let mut line = Line::new(table, true);
        self.inline_children(el, &mut line);
        (finish(&line.out, false), line.deferred)
    }

    /// A quote, its attribution (a `<cite>` or `<footer>` inside, or the caption of the
    /// figure around it) written as a last paragraph `— Name`, which Courant renders apart.
    fn quote<'a>(&mut self, quote: ElementRef<'a>, caption: Option<ElementRef<'a>>, out: &mut Vec<String>) {
        let cite = quote.child_elements().find(|c| matches!(c.value().name(), "cite" | "footer"));
        let mut inner = Vec::new();
        self.blocks_skipping(quote, cite, &mut inner);
        let source = cite.or(caption).map(|el| self.one_line(el, false).0);
        if let Some(source) = source {
            let name = source.trim_start_matches(['—', '―', '–', '-', ' ']);
            if !name.is_empty() {
                inner.push(format!("— {name}"));
            }
        }
        if inner.is_empty() {
            return;
        }
        let text = inner.join("\n\n");
        let lines: Vec<String> =
            text.split('\n').map(|l| if l.is_empty() { ">".to_string() } else { format!("> {l}") }).collect();
        out.push(lines.join("\n"));
    }

    fn figure(&mut self, figure: ElementRef<'_>, out: &mut Vec<String>) {
        let caption = figure.child_elements().find(|c| c.value().name() == "figcaption");
        // WordPress's quote and pullquote blocks.
        if let Some(quote) = figure.child_elements().find(|c| c.value().name() == "blockquote") {
            self.quote(quote, caption, out);
            return;
        }
        if has_class(figure, "wp-block-embed") && self.embed_figure(figure, caption, out) {
            return;
        }
        if !self.captioned_image(figure, caption, out) {
            self.blocks(figure, out);
        }
    }

    /// A picture with its caption as the image title; false (nothing written) when the
    /// container holds more than one picture or text besides the caption.
    fn captioned_image<'a>(
        &mut self,
        container: ElementRef<'a>,
        caption: Option<ElementRef<'a>>,
        out: &mut Vec<String>,
    ) -> bool {
        let mut images = container.descendent_elements().filter(|d| d.value().name() == "img");
        let (Some(img), None) = (images.next(), images.next()) else { return false };
        if has_text_outside(container, caption) {
            return false;
        }
        let title = caption.map(|c| collapse_whitespace(&c.text().collect::<String>()).trim().to_string());
        match self.image(img, title.as_deref().filter(|t| !t.is_empty())) {
            Some(block) => out.push(block),
            // The caption still says something when the picture itself could not be kept.
            None => {
                if let Some(caption) = caption {
                    self.blocks(caption, out);
                }
            }
        }
        true
    }

    /// Gutenberg's unrendered embed: the address as the text of a wrapper div.
    fn embed_figure<'a>(
        &mut self,
        figure: ElementRef<'a>,
        caption: Option<ElementRef<'a>>,
        out: &mut Vec<String>,
    ) -> bool {
        // A rendered embed (an iframe inside) goes through the general embed rule.
        if figure.descendent_elements().any(|d| EMBEDS.contains(&d.value().name())) {
            return false;
        }
        let Some(wrapper) = figure.descendent_elements().find(|d| has_class(*d, "wp-block-embed__wrapper")) else {
            return false;
        };
        let Some(url) = web_address(&wrapper.text().collect::<String>()) else { return false };
        self.warn(format!("embed kept as a link: {url}"));
        out.push(link_paragraph(&url));
        if let Some(caption) = caption {
            self.blocks(caption, out);
        }
        true
    }

    fn list(&mut self, list: ElementRef<'_>, out: &mut Vec<String>) {
        let ordered = list.value().name() == "ol";
        // CommonMark allows at most nine digits in a list number.
        let mut number: u64 =
            list.value().attr("start").and_then(|s| s.trim().parse::<u64>().ok()).unwrap_or(1).min(999_999_999);
        // Two lists in a row merge into one in Markdown unless their markers differ.
        let previous = out.last().and_then(|b| list_marker(b));
        let bullet = if previous == Some('-') { "+" } else { "-" };
        let delimiter = if previous == Some('.') { ")" } else { "." };

        let mut items: Vec<Vec<String>> = Vec::new();
        for child in list.children() {
            let mut blocks = Vec::new();
            match child.value() {
                Node::Element(_) => {
                    let Some(el) = ElementRef::wrap(child) else { continue };
                    if el.value().name() == "li" {
                        self.blocks(el, &mut blocks);
                        items.push(blocks);
                        continue;
                    }
                    let mut line = Line::new(false, false);
                    self.block_child(el, &mut line, &mut blocks);
                    line.flush_into(&mut blocks);
                }
                Node::Text(text) if !text.trim().is_empty() => {
                    let mut line = Line::new(false, false);
                    line.text(text);
                    line.flush_into(&mut blocks);
                }
                _ => continue,
            }
            // Editors often put a list straight into a list: it belongs to the item before it.
            match items.last_mut() {
                Some(last) => last.extend(blocks),
                None => items.push(blocks),
            }
        }
        if items.iter().all(Vec::is_empty) {
            return;
        }

        let bodies: Vec<String> = items.iter().map(|blocks| item_body(blocks)).collect();
        let loose = bodies.iter().any(|b| b.contains("\n\n"));
        let mut rendered = Vec::new();
        for body in &bodies {
            let marker = if ordered { format!("{number}{delimiter}") } else { bullet.to_string() };
            number += 1;
            rendered.push(indent_item(body, &marker));
        }
        out.push(rendered.join(if loose { "\n\n" } else { "\n" }));
    }

    fn table(&mut self, table: ElementRef<'_>, out: &mut Vec<String>) {
        let mut rows: Vec<Vec<String>> = Vec::new();
        let mut after = Vec::new();
        for row in table_rows(table) {
            let mut cells = Vec::new();
            for cell in row.child_elements().filter(|c| matches!(c.value().name(), "td" | "th")) {
                let (text, deferred) = self.one_line(cell, true);
                cells.push(text);
                after.extend(deferred);
            }
            if !cells.is_empty() {
                rows.push(cells);
            }
        }
        if let Some(caption) = table.child_elements().find(|c| c.value().name() == "caption") {
            self.blocks(caption, out);
        }
        let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
        if columns > 0 {
            let mut lines = Vec::new();
            for (i, row) in rows.iter().enumerate() {
                let mut cells: Vec<&str> = row.iter().map(String::as_str).collect();
                cells.resize(columns, "");
                lines.push(format!("| {} |", cells.join(" | ")));
                if i == 0 {
                    lines.push(format!("|{}", " --- |".repeat(columns)));
                }
            }
            out.push(lines.join("\n"));
        }
        out.extend(after);
    }

    /// `![alt](src "caption")`, or None (with a warning) when the picture cannot be shown.
    fn image(&mut self, img: ElementRef<'_>, title: Option<&str>) -> Option<String> {
        let element = img.value();
        let mut refused = None;
        let mut src = None;
        // Lazy-loading plugins put a placeholder in src and the picture in data-src.
        for attribute in ["src", "data-src", "data-lazy-src"] {
            let candidate = clean_address(element.attr(attribute).unwrap_or(""));
            if candidate.is_empty() {
                continue;
            }
            match scheme(&candidate).as_deref() {
                None | Some("http" | "https") => {
                    src = Some(candidate);
                    break;
                }
                Some(other) => {
                    refused.get_or_insert(other.to_string());
                }
            }
        }
        let Some(src) = src else {
            match refused.as_deref() {
                Some("data") => self.warn("inline data picture left out".to_string()),
                Some(other) => self.warn(format!("picture with a {other}: address left out")),
                None => {}
            }
            return None;
        };
        let plain_alt = collapse_whitespace(element.attr("alt").unwrap_or("")).trim().to_string();
        if !self.pictures.iter().any(|p| p.url == src) {
            self.pictures.push(BodyPicture {
                url: src.clone(),
                markdown_url: encode_address(&src),
                alt: plain_alt.clone(),
                caption: title.map(|t| collapse_whitespace(t).trim().to_string()).unwrap_or_default(),
            });
        }
        let alt = escape_text(&plain_alt, false);
        let title = title.map(|t| format!(" \"{}\"", t.replace('\\', "\\\\").replace('"', "\\\""))).unwrap_or_default();
        Some(format!("![{alt}]({}{title})", encode_address(&src)))
    }

    /// An iframe, video and the like as a link paragraph to what it showed.
    fn embed(&mut self, el: ElementRef<'_>) -> Option<String> {
        let element = el.value();
        let name = element.name();
        let address = match name {
            "object" => element.attr("data"),
            "video" | "audio" => element
                .attr("src")
                .or_else(|| el.child_elements().filter(|c| c.value().name() == "source").find_map(|c| c.attr("src"))),
            _ => element.attr("src"),
        };
        let address = address.map(clean_address).unwrap_or_default();
        if address.is_empty() {
            // A <source> with only a srcset (inside <picture>) has nothing to keep.
            if name != "source" {
                self.warn(format!("embed without an address left out: <{name}>"));
            }
            return None;
        }
        match web_address(&address) {
            Some(url) => {
                self.warn(format!("embed kept as a link: {url}"));
                Some(link_paragraph(&url))
            }
            None => {
                self.warn(format!("embed left out (not a web address): <{name}>"));
                None
            }
        }
    }

    fn inline_children(&mut self, el: ElementRef<'_>, line: &mut Line) {
        for child in el.children() {
            match child.value() {
                Node::Text(text) => line.text(text),
                Node::Element(_) => {
                    if let Some(child) = ElementRef::wrap(child) {
                        self.inline_element(child, line);
                    }
                }
                _ => {}
            }
        }
    }

    fn inline_element(&mut self, el: ElementRef<'_>, line: &mut Line) {
        let name = el.value().name();
        match name {
            _ if DROPPED.contains(&name) => self.dropped(name),
            "br" => line.hard_break(),
            "strong" | "b" => self.emphasis(el, line, "**"),
            "em" | "i" => self.emphasis(el, line, "*"),
            "del" | "s" | "strike" => self.emphasis(el, line, "~~"),
            "code" | "kbd" | "samp" | "tt" | "pre" => code_span(el, line),
            "a" => self.link(el, line),
            "q" => {
                line.out.push('“');
                self.inline_children(el, line);
                line.out.push('”');
            }
            "img" => line.deferred.extend(self.image(el, None)),
            _ if EMBEDS.contains(&name) => line.deferred.extend(self.embed(el)),
            "hr" => line.out.push(' '),
            // A block inside a line (a list in a table cell): its words, set apart by spaces.
            _ if BLOCKS.contains(&name) => {
                line.out.push(' ');
                self.inline_children(el, line);
                line.out.push(' ');
            }
            _ => self.inline_children(el, line),
        }
    }

    fn emphasis(&mut self, el: ElementRef<'_>, line: &mut Line, delimiter: &'static str) {
        if line.open.contains(&delimiter) {
            self.inline_children(el, line);
            return;
        }
        let start = line.out.len();
        line.open.push(delimiter);
        self.inline_children(el, line);
        line.open.pop();
        let inner = line.out.split_off(start);
        let (lead, body, trail) = edges(&inner);
        if body.is_empty() {
            line.out.push_str(&inner);
            return;
        }
        // Spaces stay outside the delimiters: `** a **` is not emphasis in Markdown.
        line.out.push_str(lead);
        if line.closed == Some((line.out.len(), delimiter)) {
            line.out.truncate(line.out.len() - delimiter.len());
        } else {
            line.out.push_str(delimiter);
        }
        line.out.push_str(body);
        line.out.push_str(delimiter);
        line.closed = Some((line.out.len(), delimiter));
        line.out.push_str(trail);
    }

    fn link(&mut self, a: ElementRef<'_>, line: &mut Line) {
        let href = clean_address(a.value().attr("href").unwrap_or(""));
        // Anchors (`<a name>`) and empty links keep their text.
        if href.is_empty() {
            self.inline_children(a, line);
            return;
        }
        if let Some(scheme) = scheme(&href)
            && !matches!(scheme.as_str(), "http" | "https" | "mailto")
        {
            self.warn(format!("link with a {scheme}: address kept as text"));
            self.inline_children(a, line);
            return;
        }
        if let Some(img) = only_image(a) {
            line.deferred.extend(self.image(img, None));
            return;
        }
        let start = line.out.len();
        self.inline_children(a, line);
        let inner = line.out.split_off(start);
        let (lead, body, trail) = edges(&inner);
        if body.is_empty() {
            line.out.push_str(&inner);
            return;
        }
        line.out.push_str(lead);
        // `!` right before `[` would make the link a picture.
        if line.out.ends_with('!') {
            line.out.pop();
            line.out.push_str("\\!");
        }
        line.out.push_str(&format!("[{body}]({})", encode_address(&href)));
        line.out.push_str(trail);
    }
}

/// An inline code span, with a fence longer than any run of backticks inside.
fn code_span(el: ElementRef<'_>, line: &mut Line) {
    let raw = collapse_whitespace(&el.text().collect::<String>());
    let mut code = raw.trim().to_string();
    if code.is_empty() {
        line.out.push_str(&raw);
        return;
    }
    if line.table {
        code = code.replace('|', "\\|");
    }
    let fence = "`".repeat(longest_run(&code, '`') + 1);
    let pad = if code.starts_with('`') || code.ends_with('`') { " " } else { "" };
    let lead = if raw.starts_with(' ') { " " } else { "" };
    let trail = if raw.ends_with(' ') { " " } else { "" };
    line.out.push_str(&format!("{lead}{fence}{pad}{code}{pad}{fence}{trail}"));
}

/// A fenced code block with the text of a `<pre>` kept verbatim.
fn code_block(pre: ElementRef<'_>) -> Option<String> {
    let mut raw = String::new();
    raw_text(pre, &mut raw);
    let raw = raw.replace("\r\n", "\n");
    let text = raw.strip_prefix('\n').unwrap_or(raw.as_str()).trim_end();
    if text.trim().is_empty() {
        return None;
    }
    let fence = "`".repeat(longest_run(text, '`').max(2) + 1);
    let language: String = pre
        .descendent_elements()
        .filter(|e| matches!(e.value().name(), "pre" | "code"))
        .flat_map(|e| e.value().classes())
        .find_map(|c| c.strip_prefix("language-").or_else(|| c.strip_prefix("lang-")))
        .map(|l| l.chars().filter(|c| c.is_ascii_alphanumeric() || "+-_#.".contains(*c)).collect())
        .unwrap_or_default();
    Some(format!("{fence}{language}\n{text}\n{fence}"))
}

fn raw_text(el: ElementRef<'_>, out: &mut String) {
    for child in el.children() {
        match child.value() {
            Node::Text(text) => out.push_str(text),
            Node::Element(e) if e.name() == "br" => out.push('\n'),
            Node::Element(e) if DROPPED.contains(&e.name()) => {}
            Node::Element(_) => {
                if let Some(child) = ElementRef::wrap(child) {
                    raw_text(child, out);
                }
            }
            _ => {}
        }
    }
}

fn longest_run(text: &str, c: char) -> usize {
    let (mut longest, mut run) = (0, 0);
    for ch in text.chars() {
        run = if ch == c { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    longest
}

/// The rows of a table, through its thead, tbody and tfoot (not those of tables inside it).
fn table_rows(table: ElementRef<'_>) -> Vec<ElementRef<'_>> {
    let mut rows = Vec::new();
    for child in table.child_elements() {
        match child.value().name() {
            "tr" => rows.push(child),
            "thead" | "tbody" | "tfoot" => rows.extend(child.child_elements().filter(|r| r.value().name() == "tr")),
            _ => {}
        }
    }
    rows
}

/// The Markdown of one list item's blocks, kept tight where Markdown allows.
fn item_body(blocks: &[String]) -> String {
    let mut body = String::new();
    for (i, block) in blocks.iter().enumerate() {
        if i > 0 {
            // A bullet list, or a numbered one from 1, may follow a paragraph line directly.
            let tight =
                matches!(list_marker(block), Some('-' | '+')) || block.starts_with("1.") || block.starts_with("1)");
            body.push_str(if tight { "\n" } else { "\n\n" });
        }
        body.push_str(block);
    }
    body
}

/// The marker kind a list block starts with (`-`, `+`, `.` or `)`); None for other blocks,
/// whose own leading markers are escaped.
fn list_marker(block: &str) -> Option<char> {
    let first = block.chars().next()?;
    if matches!(first, '-' | '+') {
        let rest = &block[1..];
        return (rest.is_empty() || rest.starts_with([' ', '\n'])).then_some(first);
    }
    let digits = block.bytes().take_while(u8::is_ascii_digit).count();
    match block.as_bytes().get(digits) {
        Some(b'.') if digits > 0 => Some('.'),
        Some(b')') if digits > 0 => Some(')'),
        _ => None,
    }
}

/// A list item: the marker on the first line, the others indented by its width so that
/// nested blocks stay inside the item.
fn indent_item(body: &str, marker: &str) -> String {
    let pad = " ".repeat(marker.len() + 1);
    let mut text = String::from(marker);
    for (i, line) in body.split('\n').enumerate() {
        if i > 0 {
            text.push('\n');
        }
        if !line.is_empty() {
            text.push_str(if i == 0 { " " } else { pad.as_str() });
            text.push_str(line);
        }
    }
    text
}

/// The picture a link holds when it holds nothing else (WordPress links pictures to their file).
fn only_image(a: ElementRef<'_>) -> Option<ElementRef<'_>> {
    if a.text().any(|t| !t.trim().is_empty()) {
        return None;
    }
    let mut images = a.descendent_elements().filter(|e| e.value().name() == "img");
    let image = images.next()?;
    images.next().is_none().then_some(image)
}

/// Whether `el` has visible text outside `skip` (its caption).
fn has_text_outside<'a>(el: ElementRef<'a>, skip: Option<ElementRef<'a>>) -> bool {
    el.children().any(|child| match child.value() {
        Node::Text(text) => !text.trim().is_empty(),
        Node::Element(e) if DROPPED.contains(&e.name()) => false,
        Node::Element(_) => {
            ElementRef::wrap(child).is_some_and(|c| skip.is_none_or(|s| s.id() != c.id()) && has_text_outside(c, skip))
        }
        _ => false,
    })
}

fn has_class(el: ElementRef<'_>, class: &str) -> bool {
    el.value().classes().any(|c| c == class)
}

/// The leading spaces, the rest, and the trailing spaces of inline Markdown.
fn edges(inner: &str) -> (&str, &str, &str) {
    let start = inner.len() - inner.trim_start_matches([' ', '\n']).len();
    let end = inner.trim_end_matches([' ', '\n']).len().max(start);
    (&inner[..start], &inner[start..end], &inner[end..])
}

/// The final form of a paragraph: spaces collapsed, lines trimmed, empty lines (from
/// `<br><br>`) dropped, each break written as a backslash at the end of its line.
fn finish(raw: &str, paragraph: bool) -> String {
    let mut lines = Vec::new();
    for piece in raw.split('\n') {
        let mut line = String::with_capacity(piece.len());
        for c in piece.chars() {
            if c == ' ' && (line.is_empty() || line.ends_with(' ')) {
                continue;
            }
            line.push(c);
        }
        let line = line.trim_end();
        if !line.is_empty() {
            lines.push(if paragraph { escape_line_start(line) } else { line.to_string() });
        }
    }
    lines.join("\\\n")
}

/// Any run of whitespace (non-breaking spaces included) as one space, as browsers show it.
fn collapse_whitespace(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for c in text.chars() {
        if c.is_whitespace() {
            space = true;
        } else {
            if space {
                out.push(' ');
                space = false;
            }
            out.push(c);
        }
    }
    if space {
        out.push(' ');
    }
    out
}

/// Text with the characters Markdown would act on escaped, and no others.
fn escape_text(text: &str, table: bool) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    for (i, &c) in chars.iter().enumerate() {
        let escape = match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' => true,
            '|' => table,
            '~' => chars.get(i + 1) == Some(&'~') || i.checked_sub(1).and_then(|j| chars.get(j)) == Some(&'~'),
            // Markdown decodes entities: `&copy;` typed as text must stay those six characters.
            '&' => {
                let rest = &chars[i + 1..];
                let name = rest.iter().take_while(|c| c.is_ascii_alphanumeric() || **c == '#').count();
                name > 0 && rest.get(name) == Some(&';')
            }
            _ => false,
        };
        if escape {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Escapes what would start a list, a rule or a heading underline at the start of a line.
fn escape_line_start(line: &str) -> String {
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    if (1..=9).contains(&digits)
        && matches!(line.as_bytes().get(digits), Some(b'.' | b')'))
        && matches!(line.as_bytes().get(digits + 1), None | Some(b' '))
    {
        return format!("{}\\{}", &line[..digits], &line[digits..]);
    }
    if let Some(first) = line.chars().next()
        && matches!(first, '-' | '+' | '=')
    {
        let rest = &line[1..];
        // `- x` starts a list, `---` or `===` a rule or an underline; `-5 °C` is just text.
        if rest.is_empty() || rest.starts_with(' ') || rest.chars().all(|c| c == first || c == ' ') {
            return format!("\\{line}");
        }
    }
    line.to_string()
}

/// An address as browsers read it: outer spaces and control characters trimmed, tabs and
/// newlines inside removed (so `java\tscript:` is seen for what it is).
fn clean_address(raw: &str) -> String {
    raw.trim_matches(|c: char| c.is_ascii_whitespace() || c.is_ascii_control())
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect()
}

/// The lower-cased scheme of an address; None for relative addresses.
fn scheme(url: &str) -> Option<String> {
    let end = url.find([':', '/', '?', '#'])?;
    url[end..].starts_with(':').then(|| url[..end].to_ascii_lowercase())
}

/// An absolute http(s) address (protocol-relative ones get https), or None.
fn web_address(raw: &str) -> Option<String> {
    let url = clean_address(raw);
    let url = if url.starts_with("//") { format!("https:{url}") } else { url };
    let scheme = scheme(&url)?;
    let web = matches!(scheme.as_str(), "http" | "https") && url.len() > scheme.len() + 3;
    (web && !url.contains(char::is_whitespace)).then_some(url)
}

/// An address made safe as a Markdown link destination.
fn encode_address(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    for c in url.chars() {
        match c {
            ' ' => out.push_str("%20"),
            '"' => out.push_str("%22"),
            '(' => out.push_str("%28"),
            ')' => out.push_str("%29"),
            '<' => out.push_str("%3C"),
            '>' => out.push_str("%3E"),
            '\\' => out.push_str("%5C"),
            '`' => out.push_str("%60"),
            '|' => out.push_str("%7C"),
            c if c.is_whitespace() || c.is_control() => {
                let mut buf = [0u8; 4];
                for b in c.encode_utf8(&mut buf).bytes() {
                    out.push_str(&format!("%{b:02X}"));
                }
            }
            c => out.push(c),
        }
    }
    out
}

/// A paragraph linking to `url` with the address as its text.
fn link_paragraph(url: &str) -> String {
    format!("[{}]({})", escape_text(url, false), encode_address(url))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn md(html: &str) -> String {
        to_markdown(html).markdown
    }

    #[test]
    fn paragraphs_collapse_whitespace_and_breaks_become_backslashes() {
        assert_eq!(md("<p>One  two\n three</p><p> </p><p>Four<br>five<br><br></p>"), "One two three\n\nFour\\\nfive");
    }

    #[test]
    fn headings_start_at_level_two() {
        let out = md("<h1>A</h1><h2>B</h2><h3>C</h3><h4>D</h4><h5>E</h5><h6>F<br>G</h6><h2> </h2>");
        assert_eq!(out, "## A\n\n## B\n\n### C\n\n#### D\n\n##### E\n\n###### F G");
    }

    #[test]
    fn emphasis_is_written_once_and_never_empty() {
        let out = md("<p><strong>bold</strong> <em>it</em> <del>gone</del> <b><strong>x</strong></b><em> </em> \
                      <b>a</b><b>b</b> <i> sp </i>end</p>");
        assert_eq!(out, "**bold** *it* ~~gone~~ **x** **ab** *sp* end");
        assert!(!out.contains("****"));
    }

    #[test]
    fn code_spans_and_blocks() {
        assert_eq!(md("<p>Use <code>a`b</code> and <code>x</code></p>"), "Use ``a`b`` and `x`");
        let out = md("<pre><code class=\"language-rust\">fn main() {\n    let a = 1 &lt; 2;\n}</code></pre>");
        assert_eq!(out, "```rust\nfn main() {\n    let a = 1 < 2;\n}\n```");
        assert_eq!(md("<pre>a ``` b</pre>"), "````\na ``` b\n````");
    }

    #[test]
    fn text_level_elements_keep_their_text() {
        assert_eq!(md("<p><span>a</span> <sup>2</sup><u>u</u> <abbr>X</abbr> <small>s</small></p>"), "a 2u X s");
    }

    #[test]
    fn links_keep_safe_addresses_only() {
        let c = to_markdown(
            "<p><a href=\"https://e.org/a b(c)\">x</a> <a href=\"/rel\">r</a> <a href=\"mailto:m@e.org\">m</a> \
             <a href=\"javascript:alert(1)\">j</a><a href=\"https://e.org\"> </a></p>",
        );
        assert_eq!(c.markdown, "[x](https://e.org/a%20b%28c%29) [r](/rel) [m](mailto:m@e.org) j");
        assert_eq!(c.warnings, ["link with a javascript: address kept as text"]);
    }

    #[test]
    fn a_link_around_a_picture_is_the_picture() {
        let c =
            to_markdown("<p><a href=\"https://e.org/big.jpg\"><img src=\"https://e.org/small.jpg\" alt=\"A\"></a></p>");
        assert_eq!(c.markdown, "![A](https://e.org/small.jpg)");
        assert_eq!(c.pictures.iter().map(|p| p.url.as_str()).collect::<Vec<_>>(), ["https://e.org/small.jpg"]);
    }

    #[test]
    fn quotes_are_prefixed_and_keep_their_paragraphs() {
        assert_eq!(md("<blockquote><p>One</p><p>Two</p></blockquote>"), "> One\n>\n> Two");
        assert_eq!(md("<blockquote><p>Q</p><p>— Ana</p></blockquote>"), "> Q\n>\n> — Ana");
    }

    #[test]
    fn cite_becomes_the_attribution() {
        let out = md("<blockquote class=\"wp-block-quote\"><p>Words.</p><cite>Ana Ruiz, minister</cite></blockquote>");
        assert_eq!(out, "> Words.\n>\n> — Ana Ruiz, minister");
        let out = md(
            "<figure class=\"wp-block-pullquote\"><blockquote><p>Big words.</p><cite>Name</cite></blockquote></figure>",
        );
        assert_eq!(out, "> Big words.\n>\n> — Name");
        let out = md("<figure><blockquote><p>Q</p></blockquote><figcaption>— Someone</figcaption></figure>");
        assert_eq!(out, "> Q\n>\n> — Someone");
    }

    #[test]
    fn lists_number_from_start_and_stay_tight() {
        assert_eq!(md("<ul><li>a</li><li><p>b</p></li></ul>"), "- a\n- b");
        assert_eq!(md("<ol start=\"3\"><li>x</li><li>y</li></ol>"), "3. x\n4. y");
        assert_eq!(md("<ul><li><p>a</p><p>a2</p></li><li>b</li></ul>"), "- a\n\n  a2\n\n- b");
        // Two lists in a row would merge with the same marker.
        assert_eq!(md("<ul><li>a</li></ul><ul><li>b</li></ul>"), "- a\n\n+ b");
    }

    #[test]
    fn nested_list_is_indented_by_the_parent_marker() {
        let out = md("<ol><li>one<ul><li>sub</li></ul></li><li>two</li></ol>");
        assert_eq!(out, "1. one\n   - sub\n2. two");
    }

    #[test]
    fn figure_caption_becomes_the_picture_title() {
        let c = to_markdown(
            "<figure class=\"wp-block-image\"><img src=\"https://e.org/p.jpg\" alt=\"Alt\"><figcaption>The \"caption\"</figcaption></figure>",
        );
        assert_eq!(c.markdown, "![Alt](https://e.org/p.jpg \"The \\\"caption\\\"\")");
        assert_eq!(c.pictures.iter().map(|p| p.url.as_str()).collect::<Vec<_>>(), ["https://e.org/p.jpg"]);
        assert_eq!(c.pictures[0].alt, "Alt");
    }

    #[test]
    fn wp_caption_div() {
        let out = md(
            "<div class=\"wp-caption alignnone\"><a href=\"https://e.org/p.jpg\"><img src=\"https://e.org/p-300.jpg\" alt=\"\"></a>\
                      <p class=\"wp-caption-text\">Harbour at dawn</p></div>",
        );
        assert_eq!(out, "![](https://e.org/p-300.jpg \"Harbour at dawn\")");
    }

    #[test]
    fn pictures_are_listed_once_and_data_pictures_left_out() {
        let c = to_markdown(
            "<p><img src=\"/a.jpg\"></p><p><img src=\"/a.jpg\"><img src=\"data:image/png;base64,xx\"><img alt=x></p>",
        );
        assert_eq!(c.markdown, "![](/a.jpg)\n\n![](/a.jpg)");
        assert_eq!(c.pictures.iter().map(|p| p.url.as_str()).collect::<Vec<_>>(), ["/a.jpg"]);
        assert_eq!(c.warnings, ["inline data picture left out"]);
    }

    #[test]
    fn embeds_become_links() {
        let c = to_markdown(
            "<p><iframe src=\"https://www.youtube.com/embed/abc\"></iframe></p>\
             <video><source src=\"https://e.org/v.mp4\"></video><iframe src=\"javascript:x\"></iframe>",
        );
        assert_eq!(
            c.markdown,
            "[https://www.youtube.com/embed/abc](https://www.youtube.com/embed/abc)\n\n[https://e.org/v.mp4](https://e.org/v.mp4)"
        );
        assert!(c.warnings.contains(&"embed kept as a link: https://www.youtube.com/embed/abc".to_string()));
        assert!(c.warnings.contains(&"embed left out (not a web address): <iframe>".to_string()));
    }

    #[test]
    fn wordpress_embed_block_becomes_a_link() {
        let c = to_markdown(
            "<figure class=\"wp-block-embed is-type-video wp-block-embed-youtube\"><div class=\"wp-block-embed__wrapper\">\n\
             https://www.youtube.com/watch?v=abc\n</div></figure>",
        );
        assert_eq!(c.markdown, "[https://www.youtube.com/watch?v=abc](https://www.youtube.com/watch?v=abc)");
        assert_eq!(c.warnings, ["embed kept as a link: https://www.youtube.com/watch?v=abc"]);
    }

    #[test]
    fn tables_become_gfm_tables() {
        let out = md("<table><thead><tr><th>Name</th><th>Score</th></tr></thead>\
                      <tbody><tr><td>A|B</td><td>1<br>2</td></tr><tr><td>C</td></tr></tbody></table>");
        assert_eq!(out, "| Name | Score |\n| --- | --- |\n| A\\|B | 1 2 |\n| C |  |");
        assert_eq!(md("<table></table>"), "");
    }

    #[test]
    fn rule_is_not_a_setext_underline() {
        assert_eq!(md("<p>a</p><hr><p>b</p>"), "a\n\n* * *\n\nb");
    }

    #[test]
    fn code_and_forms_are_dropped_with_one_warning_per_kind() {
        let c = to_markdown(
            "<p>Hi</p><script>x()</script><style>p{}</style><form><input name=q></form><script>y()</script>",
        );
        assert_eq!(c.markdown, "Hi");
        assert_eq!(c.warnings, ["dropped a <script>", "dropped a <style>", "form left out"]);
    }

    #[test]
    fn gutenberg_comments_vanish() {
        assert_eq!(md("<!-- wp:paragraph --><p>One</p><!-- /wp:paragraph --><!--more-->"), "One");
    }

    #[test]
    fn containers_are_transparent_and_loose_text_is_a_paragraph() {
        let out = md("<div>Loose text<p>Para</p>tail <em>x</em></div><section><article>In</article></section>");
        assert_eq!(out, "Loose text\n\nPara\n\ntail *x*\n\nIn");
        assert_eq!(md("<div><span>lead</span><ul><li>x</li></ul>after</div>"), "lead\n\n- x\n\nafter");
    }

    #[test]
    fn markdown_characters_in_text_are_escaped() {
        let out = md("<p>1. Not a list *really* [x] <b>#</b> a_b 5 > 3 and ~~ and - dash</p><p>- starts</p>\
                      <p>+ plus</p><p>Hello!<a href=\"/x\">link</a></p><p>Price: 5.00, (ok) ! fine -5 3.5</p>");
        assert_eq!(
            out,
            "1\\. Not a list \\*really\\* \\[x\\] **\\#** a\\_b 5 \\> 3 and \\~\\~ and - dash\n\n\\- starts\n\n\\+ plus\n\n\
             Hello\\![link](/x)\n\nPrice: 5.00, (ok) ! fine -5 3.5"
        );
    }

    #[test]
    fn entities_arrive_as_characters() {
        assert_eq!(md("<p>caf&eacute; &mdash; &amp;copy; a&nbsp;b</p>"), "café — \\&copy; a b");
    }

    #[test]
    fn hostile_input_leaves_no_html_and_no_script_address() {
        let c = to_markdown(
            "<p onclick=x>hi<script>alert(1)</script><a href=\"javascript:alert(1)\">x</a><img src=x onerror=alert(1)>\
             <a href=\" java&#9;script:alert(1)\">y</a></p>",
        );
        assert!(!c.markdown.contains('<'), "{}", c.markdown);
        assert!(!c.markdown.to_lowercase().contains("javascript:"), "{}", c.markdown);
        assert!(!c.markdown.contains("onerror"), "{}", c.markdown);
        assert!(!c.markdown.contains("onclick"), "{}", c.markdown);
        assert_eq!(c.markdown, "hix\n\n![](x)\n\ny");
    }

    #[test]
    fn autop_wraps_chunks_and_breaks_lines() {
        assert_eq!(autop("a\nb\n\nc"), "<p>a<br>\nb</p>\n<p>c</p>");
        assert_eq!(autop("a \r\nb"), "<p>a<br>\nb</p>");
    }

    #[test]
    fn autop_leaves_blocks_and_pre_alone() {
        assert_eq!(autop("<h2>x</h2>\n\ntext"), "<h2>x</h2>\n<p>text</p>");
        assert_eq!(
            autop("intro\n\n<pre class=\"x\">one\n\ntwo\nthree</pre>\n\nend"),
            "<p>intro</p>\n<pre class=\"x\">one\n\ntwo\nthree</pre>\n<p>end</p>"
        );
        assert_eq!(autop("<!--more-->\n\n<prefix>"), "<!--more-->\n<p><prefix></p>");
    }

    #[test]
    fn classic_body_through_autop_and_conversion() {
        let body = "Intro line\nsecond\n\n<h2>Title</h2>\n\n<pre>x\n\ny</pre>\n\n<ul>\n<li>one</li>\n<li>two</li>\n</ul>\n\nEnd";
        assert_eq!(md(&autop(body)), "Intro line\\\nsecond\n\n## Title\n\n```\nx\n\ny\n```\n\n- one\n- two\n\nEnd");
    }

    #[test]
    fn a_list_inside_an_item_after_its_text_nests_under_it() {
        let html = "<ol start=\"8\">\n \t<li>One at 8\n<ol>\n \t<li>Inner one</li>\n\t<li>Inner two</li>\n</ol>\n</li>\n\t<li>Two</li>\n</ol>";
        let md = to_markdown(html).markdown;
        assert_eq!(md, "8. One at 8\n   1. Inner one\n   2. Inner two\n9. Two", "{md}");
        let md = to_markdown(&autop(html)).markdown;
        assert_eq!(md, "8. One at 8\n   1. Inner one\n   2. Inner two\n9. Two", "{md}");
        // WordPress's classic editor: the list follows a line of text in the same chunk.
        let md = to_markdown(&autop(&format!("Before the list\n{html}"))).markdown;
        assert_eq!(md, "Before the list\n\n8. One at 8\n   1. Inner one\n   2. Inner two\n9. Two", "{md}");
    }
}

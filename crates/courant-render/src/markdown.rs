//! Article bodies: Markdown in, sanitised HTML out, cut into top-level blocks so that boxes such
//! as "Also read" can be placed between paragraphs without ever landing inside a list or a quote.
//!
//! Safety does not rest on one mechanism: raw HTML typed into Markdown is turned into visible
//! text before rendering, and every block with more than text in it (a link, a picture, a
//! table...) is then cleaned by an allow-list sanitiser (ammonia) that drops scripts, event
//! handlers, styles and any URL scheme but http, https and mailto. A block of text alone (see
//! `is_plain`) has no attribute and no tag but pulldown-cmark's own, and is kept as made.

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd, html};
use std::sync::OnceLock;

/// What a top-level block of the body is; placement rules look at it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BlockKind {
    Paragraph,
    Heading,
    List,
    Quote,
    Other,
    /// Where the writer placed an "Also read" box (`[Also read]` alone on its line); no HTML.
    AlsoRead,
}

/// The line a writer puts where an "Also read" box goes (the visual editor writes it too).
pub const ALSO_READ_MARK: &str = "[Also read]";

/// What stands for a writer's "Also read" mark among the events; never made from their text (raw
/// HTML typed in a body has become text before this is added).
const ALSO_READ_EVENT: &str = "<!--courant:also-read-->";

/// One top-level block of a rendered body, as safe HTML.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct BodyBlock {
    pub kind: BlockKind,
    pub html: String,
}

/// Renders a Markdown body to sanitised HTML blocks.
///
/// Headings of level 1 become `<h2>` (the page's only `<h1>` is the headline). A quote whose
/// last paragraph starts with a dash (`— Name, role`) becomes a `<figure>` with the quote and
/// its attribution in a `<figcaption>`, as the HTML standard asks attributions to sit outside
/// the `<blockquote>`.
pub fn render_body(markdown: &str) -> Vec<BodyBlock> {
    // Rendering and sanitising take a millisecond or more per story; the same body is shown
    // by its page, the feeds and the API, and re-rendered after every change elsewhere.
    type Memo = std::sync::Mutex<std::collections::HashMap<(u64, usize), Vec<BodyBlock>>>;
    static MEMO: std::sync::OnceLock<Memo> = std::sync::OnceLock::new();
    const KEPT: usize = 2000;
    // Keyed by a hash with a random key per process, so nobody can craft a colliding body.
    static KEY: std::sync::OnceLock<std::collections::hash_map::RandomState> = std::sync::OnceLock::new();
    let key = (std::hash::BuildHasher::hash_one(KEY.get_or_init(Default::default), markdown), markdown.len());
    let memo = MEMO.get_or_init(Default::default);
    if let Some(blocks) = memo.lock().unwrap_or_else(|e| e.into_inner()).get(&key) {
        return blocks.clone();
    }
    let blocks = render_body_uncached(markdown);
    let mut kept = memo.lock().unwrap_or_else(|e| e.into_inner());
    if kept.len() >= KEPT {
        kept.clear();
    }
    kept.insert(key, blocks.clone());
    blocks
}

const OPTIONS: Options = Options::ENABLE_STRIKETHROUGH.union(Options::ENABLE_TABLES);

fn render_body_uncached(markdown: &str) -> Vec<BodyBlock> {
    let events = drop_unsafe_links(pictures(attributions(marks(markdown))));
    let mut blocks = Vec::new();
    let mut depth = 0usize;
    let mut start = 0usize;
    for (i, event) in events.iter().enumerate() {
        match event {
            Event::Start(_) => depth += 1,
            Event::End(_) => depth = depth.saturating_sub(1),
            _ => {}
        }
        if depth == 0 {
            if let Some(block) = render_block(&events[start..=i]) {
                blocks.push(block);
            }
            start = i + 1;
        }
    }
    blocks
}

/// The words of a Markdown body without its markup (for search snippets and indexes).
pub fn plain_text(markdown: &str) -> String {
    let mut text = String::with_capacity(markdown.len());
    // Raw HTML is left out here: it is neither words of the story nor shown as such.
    for event in marked(markdown, |e| e) {
        match event {
            Event::Text(t) | Event::Code(t) => text.push_str(&t),
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            Event::End(TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item | TagEnd::BlockQuote(_)) => {
                text.push('\n')
            }
            _ => {}
        }
    }
    text
}

/// Renders a whole body to one HTML string (for feeds and previews).
pub fn render_body_html(markdown: &str) -> String {
    render_body(markdown)
        .into_iter()
        .filter(|b| b.kind != BlockKind::AlsoRead)
        .map(|b| b.html)
        .collect::<Vec<_>>()
        .join("\n")
}

/// The body's events, raw HTML made text and `# Title` a second-level heading, with each
/// paragraph that is only the "Also read" mark (as typed, not escaped) one event of its own.
fn marks(markdown: &str) -> Vec<Event<'_>> {
    marked(markdown, neutralise)
}

/// The body's events through `map`, each "Also read" mark one event of its own.
fn marked<'a>(markdown: &'a str, map: impl Fn(Event<'a>) -> Event<'a>) -> Vec<Event<'a>> {
    let mut events = Vec::new();
    let mut depth = 0usize;
    let mut in_mark = false;
    for (event, range) in Parser::new_ext(markdown, OPTIONS).into_offset_iter() {
        match &event {
            Event::Start(Tag::Paragraph) if depth == 0 && markdown[range].trim() == ALSO_READ_MARK => {
                in_mark = true;
                events.push(Event::Html(CowStr::Borrowed(ALSO_READ_EVENT)));
            }
            Event::End(TagEnd::Paragraph) if depth == 1 && in_mark => in_mark = false,
            _ if in_mark => {}
            _ => events.push(map(event.clone())),
        }
        match event {
            Event::Start(_) => depth += 1,
            Event::End(_) => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    events
}

/// Attributions written the other two ways the help text allows, made the quote's last
/// paragraph: a dash line ending the quote's last paragraph (`> Words.` then `> — Name`), and
/// a one-line dash paragraph right after a quote (`— Name` below it).
fn attributions(events: Vec<Event<'_>>) -> Vec<Event<'_>> {
    // One pass into a new list (a body may hold thousands of quotes): only the end of the
    // quote being closed is ever changed.
    let mut input: std::collections::VecDeque<Event<'_>> = events.into();
    let mut out: Vec<Event<'_>> = Vec::with_capacity(input.len() + 4);
    let mut depth = 0usize;
    // Where the open top-level quote's last direct paragraph starts in `out`.
    let mut last_para: Option<usize> = None;
    while let Some(event) = input.pop_front() {
        match &event {
            Event::Start(tag) => {
                if depth == 1 {
                    last_para = matches!(tag, Tag::Paragraph).then_some(out.len());
                }
                depth += 1;
            }
            Event::End(TagEnd::BlockQuote(_)) if depth == 1 => {
                depth = 0;
                let mut attributed = false;
                if let (Some(s), Some(Event::End(TagEnd::Paragraph))) = (last_para.take(), out.last()) {
                    attributed = matches!(&out[s + 1], Event::Text(t) if starts_with_dash(t));
                    // The last line of the last paragraph, after a line break, starting with a dash.
                    let end = out.len() - 1;
                    let split = (s + 1..end).rev().find(|&j| {
                        matches!(out[j], Event::SoftBreak | Event::HardBreak)
                            && matches!(out.get(j + 1), Some(Event::Text(t)) if starts_with_dash(t))
                    });
                    if let Some(j) = split {
                        out[j] = Event::End(TagEnd::Paragraph);
                        out.insert(j + 1, Event::Start(Tag::Paragraph));
                        attributed = true;
                    }
                }
                // A one-line dash paragraph right after the quote moves inside it.
                let after = (input.front(), input.get(1), input.get(2));
                if !attributed
                    && let (
                        Some(Event::Start(Tag::Paragraph)),
                        Some(Event::Text(t)),
                        Some(Event::End(TagEnd::Paragraph)),
                    ) = after
                    && starts_with_dash(t)
                {
                    out.extend(input.drain(..3));
                }
            }
            Event::End(_) => depth = depth.saturating_sub(1),
            _ => {}
        }
        out.push(event);
    }
    out
}

/// Links to anything but the web, mail or a path on the site (`javascript:`, `data:` ...) lose
/// their link and keep their text: the sanitiser would strip the address anyway, and a link
/// without one is neither useful nor valid HTML.
fn drop_unsafe_links(mut events: Vec<Event<'_>>) -> Vec<Event<'_>> {
    // In place: the events were just gathered, a second list is not needed.
    let mut open: Vec<bool> = Vec::new();
    events.retain(|event| match event {
        Event::Start(Tag::Link { dest_url, .. }) => {
            let safe = is_safe_url(dest_url);
            open.push(safe);
            safe
        }
        Event::End(TagEnd::Link) => open.pop().unwrap_or(true),
        _ => true,
    });
    events
}

/// Pictures in a body. A picture of the library alone in its paragraph
/// (`![alt](/media/ab/cdef.jpg#1200x800 "caption")`, the size after `#`) becomes a figure with
/// its caption, scaled copies and size; any other picture (another site's, or one inside a
/// sentence) becomes a link to it reading "Picture: alt", so nothing is lost and no reader's
/// browser is sent to another site to fetch it.
fn pictures(events: Vec<Event<'_>>) -> Vec<Event<'_>> {
    let mut out = Vec::with_capacity(events.len());
    let mut depth = 0usize;
    let mut i = 0;
    while i < events.len() {
        if depth == 0
            && let Some((figure, used)) = lone_picture(&events[i..])
        {
            out.push(Event::Html(CowStr::from(figure)));
            i += used;
            continue;
        }
        match &events[i] {
            Event::Start(Tag::Image { dest_url, title, id, .. }) => {
                out.push(Event::Start(Tag::Link {
                    link_type: pulldown_cmark::LinkType::Inline,
                    dest_url: dest_url.clone(),
                    title: title.clone(),
                    id: id.clone(),
                }));
                let has_alt = matches!(events.get(i + 1), Some(e) if !matches!(e, Event::End(TagEnd::Image)));
                out.push(Event::Text(CowStr::from(if has_alt { "Picture: " } else { "Picture" })));
                depth += 1;
            }
            Event::End(TagEnd::Image) => {
                out.push(Event::End(TagEnd::Link));
                depth = depth.saturating_sub(1);
            }
            e => {
                match e {
                    Event::Start(_) => depth += 1,
                    Event::End(_) => depth = depth.saturating_sub(1),
                    _ => {}
                }
                out.push(e.clone());
            }
        }
        i += 1;
    }
    out
}

/// A paragraph holding nothing but a picture of the library, as a figure; and how many events
/// it took.
fn lone_picture(events: &[Event<'_>]) -> Option<(String, usize)> {
    let [Event::Start(Tag::Paragraph), Event::Start(Tag::Image { dest_url, title, .. }), rest @ ..] = events else {
        return None;
    };
    let end = rest.iter().position(|e| matches!(e, Event::End(TagEnd::Image)))?;
    if !matches!(rest.get(end + 1), Some(Event::End(TagEnd::Paragraph))) {
        return None;
    }
    let alt: String = rest[..end]
        .iter()
        .filter_map(|e| match e {
            Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
            _ => None,
        })
        .collect();
    let figure = picture_figure(dest_url, &alt, title)?;
    Some((figure, end + 4))
}

/// The figure of a library picture at `url` (`/media/FILE#WIDTHxHEIGHT`); none for any other
/// address.
fn picture_figure(url: &str, alt: &str, caption: &str) -> Option<String> {
    let rest = url.strip_prefix("/media/")?;
    let (file, size) = rest.split_once('#').map_or((rest, None), |(f, s)| (f, Some(s)));
    let safe = |c: char| c.is_ascii_alphanumeric() || matches!(c, '/' | '.' | '-' | '_');
    if file.is_empty() || !file.chars().all(safe) || file.contains("..") {
        return None;
    }
    let size =
        size.and_then(|s| s.split_once('x')).and_then(|(w, h)| Some((w.parse::<u32>().ok()?, h.parse::<u32>().ok()?)));
    let mut img = format!("<img src=\"{}\"", crate::view::media_url(file));
    if let Some((width, height)) = size.filter(|(w, h)| *w > 0 && *h > 0) {
        let image = courant_core::Image {
            id: courant_core::ImageId(0),
            file: file.to_string(),
            width,
            height,
            alt: String::new(),
            caption: String::new(),
            credit: String::new(),
            keywords: Vec::new(),
            focal: None,
        };
        let figure = crate::view::figure(&image);
        if !figure.srcset.is_empty() {
            img.push_str(&format!(" srcset=\"{}\" sizes=\"(min-width: 48rem) 44rem, 100vw\"", figure.srcset));
        }
        img.push_str(&format!(" width=\"{width}\" height=\"{height}\""));
    }
    img.push_str(&format!(" alt=\"{}\" loading=\"lazy\" decoding=\"async\">", courant_core::escape_html(alt)));
    let caption = caption.trim();
    let caption = if caption.is_empty() {
        String::new()
    } else {
        format!("<figcaption>{}</figcaption>", courant_core::escape_html(caption))
    };
    Some(format!("<figure class=\"picture\">{img}{caption}</figure>"))
}

/// True for http, https and mailto addresses and for relative ones.
fn is_safe_url(url: &str) -> bool {
    let url = url.trim();
    let scheme_end = url.find([':', '/', '?', '#']);
    match scheme_end {
        Some(i) if url[i..].starts_with(':') => {
            matches!(url[..i].to_ascii_lowercase().as_str(), "http" | "https" | "mailto")
        }
        _ => true,
    }
}

/// Raw HTML becomes text (shown, never run); `# Title` becomes a second-level heading.
fn neutralise(event: Event<'_>) -> Event<'_> {
    match event {
        Event::Html(s) | Event::InlineHtml(s) => Event::Text(s),
        Event::Start(Tag::Heading { level: HeadingLevel::H1, id, classes, attrs }) => {
            Event::Start(Tag::Heading { level: HeadingLevel::H2, id, classes, attrs })
        }
        Event::End(TagEnd::Heading(HeadingLevel::H1)) => Event::End(TagEnd::Heading(HeadingLevel::H2)),
        other => other,
    }
}

fn render_block(events: &[Event<'_>]) -> Option<BodyBlock> {
    if let [Event::Html(mark)] = events
        && mark.as_ref() == ALSO_READ_EVENT
    {
        return Some(BodyBlock { kind: BlockKind::AlsoRead, html: String::new() });
    }
    let kind = match events.first()? {
        Event::Start(Tag::Paragraph) => BlockKind::Paragraph,
        Event::Start(Tag::Heading { .. }) => BlockKind::Heading,
        Event::Start(Tag::List(_)) => BlockKind::List,
        Event::Start(Tag::BlockQuote(_)) => BlockKind::Quote,
        _ => BlockKind::Other,
    };
    let html = if kind == BlockKind::Quote { render_quote(events) } else { to_html(events.iter().cloned()) };
    let html = if is_plain(events) { html } else { sanitiser().clean(&html).to_string() };
    if html.trim().is_empty() {
        return None;
    }
    Some(BodyBlock { kind, html })
}

/// Whether a block is only text in paragraphs, headings, lists and quotes, with emphasis and
/// code: no link, picture, raw HTML or attribute but a list's start number. Such a block's HTML
/// is made by pulldown-cmark alone, its text escaped, and cleaning it gives back the same bytes
/// (a property test holds the two to it), so it skips the sanitiser: parsing the HTML again
/// was half the time of rendering a body, and most of a body's blocks are plain paragraphs.
fn is_plain(events: &[Event<'_>]) -> bool {
    // Characters the HTML parser would rewrite (a non-breaking space becomes `&nbsp;`, a NUL
    // U+FFFD): text holding them is cleaned as it always was.
    let plain_text = |t: &str| !t.chars().any(|c| c == '\u{A0}' || (c.is_control() && c != '\n' && c != '\t'));
    events.iter().all(|event| match event {
        Event::Start(tag) => match tag {
            Tag::Heading { id, classes, attrs, .. } => id.is_none() && classes.is_empty() && attrs.is_empty(),
            Tag::BlockQuote(kind) => kind.is_none(),
            Tag::Paragraph | Tag::Emphasis | Tag::Strong | Tag::Strikethrough | Tag::List(_) | Tag::Item => true,
            _ => false,
        },
        Event::End(end) => matches!(
            end,
            TagEnd::Heading(_)
                | TagEnd::BlockQuote(None)
                | TagEnd::Paragraph
                | TagEnd::Emphasis
                | TagEnd::Strong
                | TagEnd::Strikethrough
                | TagEnd::List(_)
                | TagEnd::Item
        ),
        Event::Text(t) | Event::Code(t) => plain_text(t),
        Event::SoftBreak => true,
        _ => false,
    })
}

fn to_html<'a>(events: impl Iterator<Item = Event<'a>>) -> String {
    let mut out = String::new();
    html::push_html(&mut out, events);
    out
}

/// A quote, with its attribution (a last paragraph starting with a dash) set apart.
fn render_quote(events: &[Event<'_>]) -> String {
    // The quote's direct child paragraphs are at depth 2 (the blockquote itself is depth 1).
    let mut depth = 0usize;
    let mut last_para: Option<(usize, usize)> = None;
    for (i, e) in events.iter().enumerate() {
        match e {
            Event::Start(tag) => {
                depth += 1;
                if depth == 2 && matches!(tag, Tag::Paragraph) {
                    last_para = Some((i, i));
                } else if depth == 2 {
                    last_para = None;
                }
            }
            Event::End(end) => {
                if depth == 2
                    && matches!(end, TagEnd::Paragraph)
                    && let Some((s, _)) = last_para
                {
                    last_para = Some((s, i));
                }
                depth = depth.saturating_sub(1);
            }
            _ => {}
        }
    }
    let attribution = last_para.filter(|(s, e)| {
        // Only the last child of the quote can be its attribution.
        *e + 2 == events.len() && matches!(events.get(s + 1), Some(Event::Text(t)) if starts_with_dash(t))
    });
    let Some((s, e)) = attribution else {
        return to_html(events.iter().cloned());
    };
    let quote = to_html(events[..s].iter().chain(&events[e + 1..]).cloned());
    let mut inline: Vec<Event<'_>> = events[s + 1..e].to_vec();
    if let Some(Event::Text(t)) = inline.first_mut() {
        *t = CowStr::from(strip_dash(t).to_string());
    }
    format!("<figure class=\"quote\">{quote}<figcaption>— {}</figcaption></figure>", to_html(inline.into_iter()))
}

fn starts_with_dash(t: &str) -> bool {
    let t = t.trim_start();
    t.starts_with('—') || t.starts_with('―') || t.starts_with("--") || t.starts_with("– ")
}

fn strip_dash(t: &str) -> &str {
    t.trim_start().trim_start_matches(['—', '―', '–', '-']).trim_start()
}

/// The allow-list for body HTML.
fn sanitiser() -> &'static ammonia::Builder<'static> {
    static BUILDER: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    BUILDER.get_or_init(|| {
        let mut b = ammonia::Builder::empty();
        b.add_tags([
            "p",
            "h2",
            "h3",
            "h4",
            "h5",
            "h6",
            "ul",
            "ol",
            "li",
            "blockquote",
            "figure",
            "figcaption",
            "a",
            "em",
            "strong",
            "del",
            "code",
            "pre",
            "br",
            "hr",
            "table",
            "thead",
            "tbody",
            "tr",
            "th",
            "td",
            "sup",
            "sub",
        ])
        .add_tags(["img"])
        .add_tag_attributes("a", ["href", "title"])
        .add_tag_attributes("img", ["src", "srcset", "sizes", "width", "height", "alt", "loading", "decoding"])
        // Pictures come from the library only (they are made here, never typed as HTML).
        .attribute_filter(|element, attribute, value| match (element, attribute) {
            ("img", "src" | "srcset") if !value.starts_with("/media/") => None,
            _ => Some(value.into()),
        })
        .add_tag_attributes("ol", ["start"])
        .add_tag_attributes("th", ["align"])
        .add_tag_attributes("td", ["align"])
        .add_allowed_classes("figure", ["quote", "picture"])
        .url_schemes(["http", "https", "mailto"].into())
        .link_rel(Some("noopener noreferrer"));
        b
    })
}

/// Cleans HTML from outside (imports, feeds) with the same allow-list as bodies.
pub fn sanitise_html(html: &str) -> String {
    sanitiser().clean(html).to_string()
}

/// Where to put inline boxes: the indexes of the blocks after which a box goes, at most `boxes`.
///
/// The first box follows the second paragraph; each next one follows the fifth paragraph after
/// the previous box. A box always follows a top-level paragraph (never a heading, list or quote)
/// and never ends the body: readers meet it between paragraphs.
///
/// Where the writer placed marks, the boxes go there instead, in order.
pub fn inline_box_positions(blocks: &[BodyBlock], boxes: usize) -> Vec<usize> {
    let marked: Vec<usize> =
        blocks.iter().enumerate().filter(|(_, b)| b.kind == BlockKind::AlsoRead).map(|(i, _)| i).take(boxes).collect();
    if !marked.is_empty() {
        return marked;
    }
    let mut positions = Vec::new();
    let mut paragraphs = 0usize;
    let mut next_at = 2usize;
    for (i, block) in blocks.iter().enumerate() {
        if positions.len() >= boxes {
            break;
        }
        if block.kind != BlockKind::Paragraph {
            continue;
        }
        paragraphs += 1;
        if paragraphs >= next_at && i + 1 < blocks.len() {
            positions.push(i);
            next_at = paragraphs + 5;
        }
    }
    positions
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn html(md: &str) -> String {
        render_body_html(md)
    }

    #[test]
    fn paragraphs_headings_lists_links_survive() {
        let out = html("# Big\n\nText with [a link](https://example.org/x).\n\n## Sub\n\n- one\n- two\n");
        assert!(out.contains("<h2>Big</h2>"), "{out}");
        assert!(out.contains("<h2>Sub</h2>"), "{out}");
        assert!(out.contains("<a href=\"https://example.org/x\" rel=\"noopener noreferrer\">a link</a>"), "{out}");
        assert!(out.contains("<li>one</li>"), "{out}");
    }

    #[test]
    fn quotes_keep_their_attribution_outside_the_blockquote() {
        let blocks = render_body("Intro.\n\n> We will not close the line.\n>\n> — Ana Ruiz, transport minister\n");
        assert_eq!(blocks[1].kind, BlockKind::Quote);
        let q = &blocks[1].html;
        assert!(q.starts_with("<figure class=\"quote\"><blockquote>"), "{q}");
        assert!(q.contains("<p>We will not close the line.</p>\n</blockquote>"), "{q}");
        assert!(q.contains("<figcaption>— Ana Ruiz, transport minister</figcaption>"), "{q}");
    }

    #[test]
    fn an_attribution_line_ending_the_quote_or_right_after_it_is_set_apart() {
        for md in [
            "> We will not close the line.\n> — Ana Ruiz, minister\n",
            "> We will not close the line.\n\n— Ana Ruiz, minister\n",
        ] {
            let out = html(md);
            assert_eq!(
                out,
                "<figure class=\"quote\"><blockquote>\n<p>We will not close the line.</p>\n</blockquote>\n<figcaption>— Ana Ruiz, minister</figcaption></figure>",
                "{md}"
            );
        }
        // A dash paragraph after anything but a quote stays a paragraph.
        assert_eq!(html("Words.\n\n— Not an attribution\n"), "<p>Words.</p>\n\n<p>— Not an attribution</p>\n");
    }

    #[test]
    fn the_also_read_mark_places_the_boxes_and_shows_nothing() {
        let blocks = render_body("One.\n\n[Also read]\n\nTwo.\n\nThree.\n\n[Also read]\n\nFour.\n");
        let kinds: Vec<BlockKind> = blocks.iter().map(|b| b.kind).collect();
        use BlockKind::*;
        assert_eq!(kinds, [Paragraph, AlsoRead, Paragraph, Paragraph, AlsoRead, Paragraph]);
        assert_eq!(inline_box_positions(&blocks, 3), [1, 4]);
        assert_eq!(inline_box_positions(&blocks, 1), [1]);
        let out = html("One.\n\n[Also read]\n\nTwo.\n");
        assert_eq!(out, "<p>One.</p>\n\n<p>Two.</p>\n");
        assert!(!plain_text("One.\n\n[Also read]\n").contains("Also"));
        // Escaped, it is the writer's text.
        assert_eq!(html("\\[Also read\\]\n"), "<p>[Also read]</p>\n");
    }

    #[test]
    fn quote_without_attribution_stays_plain() {
        let blocks = render_body("> Only words.\n");
        assert_eq!(blocks[0].html, "<blockquote>\n<p>Only words.</p>\n</blockquote>\n");
    }

    #[test]
    fn hostile_html_is_inert() {
        let out = html(
            "<script>alert(1)</script>\n\nHi <img src=x onerror=alert(2)> [x](javascript:alert(3)) \
             <a href=\"https://e.org\" onclick=\"alert(4)\">y</a>\n\n<iframe src=\"https://evil\"></iframe>\n\n\
             [d](data:text/html;base64,PHNjcmlwdD4=) <style>body{display:none}</style>",
        );
        let doc = scraper::Html::parse_fragment(&out);
        for el in doc.root_element().descendants().filter_map(scraper::ElementRef::wrap) {
            let name = el.value().name();
            assert!(["html", "p", "a"].contains(&name), "<{name}> survived in {out}");
            for (attr, value) in el.value().attrs() {
                assert!(!attr.starts_with("on") && attr != "style", "{attr} survived in {out}");
                assert!(!value.to_ascii_lowercase().contains("javascript:"), "{value} survived in {out}");
                assert!(!value.starts_with("data:"), "{value} survived in {out}");
            }
        }
        assert!(out.contains("&lt;script&gt;"), "raw HTML should show as text: {out}");
    }

    #[test]
    fn unsafe_links_keep_their_text_and_lose_the_link() {
        let out = html("[click](javascript:alert(1)) and [mail](mailto:desk@example.org) and [home](/world)");
        assert!(out.starts_with("<p>click and "), "{out}");
        assert!(out.contains("href=\"mailto:desk@example.org\""), "{out}");
        assert!(out.contains("href=\"/world\""), "{out}");
        assert!(!out.contains("<a rel"), "no link without an address: {out}");
        assert!(is_safe_url("https://e.org/a:b") && is_safe_url("page#x:y") && !is_safe_url(" JavaScript:x"));
    }

    #[test]
    fn library_pictures_become_figures_and_others_links() {
        let out =
            html("Before.\n\n![A ferry at the quay](/media/ab/cdef.jpg#1600x900 \"The morning ferry\")\n\nAfter.");
        let doc = scraper::Html::parse_fragment(&out);
        let img = doc.select(&scraper::Selector::parse("figure.picture > img").expect("css")).next().expect("a figure");
        assert_eq!(img.value().attr("src"), Some("/media/ab/cdef.jpg"));
        assert_eq!(img.value().attr("alt"), Some("A ferry at the quay"));
        assert_eq!((img.value().attr("width"), img.value().attr("height")), (Some("1600"), Some("900")));
        assert!(img.value().attr("srcset").is_some_and(|s| s.contains("/media/ab/cdef.jpg.w640.jpg 640w")), "{out}");
        assert!(out.contains("<figcaption>The morning ferry</figcaption>"), "{out}");

        // Another site's picture, or one inside a sentence: a link, never an <img>.
        let out = html("![Chart](https://other.example/c.png)\n\nSee ![this](/media/ab/x.jpg) here.");
        assert!(!out.contains("<img"), "{out}");
        assert!(out.contains("href=\"https://other.example/c.png\""), "{out}");
        assert!(out.contains(">Picture: Chart</a>"), "{out}");
        assert!(out.contains(">Picture: this</a>"), "{out}");
        // A picture address that is not a file of the library is not one.
        let out = html("![x](/media/../../etc/passwd)\n\n![y](javascript:alert(1))");
        assert!(!out.contains("<img") && !out.contains("javascript:"), "{out}");
    }

    #[test]
    fn plain_text_drops_markup() {
        assert_eq!(plain_text("## Head\n\nA *b* [c](/d).\n\n> q\n"), "Head\nA b c.\nq\n\n");
        assert_eq!(plain_text("Words <b>bold</b>.\n\n<div>block</div>\n"), "Words bold.\n");
    }

    #[test]
    fn every_quote_of_a_long_body_keeps_its_attribution() {
        // Both forms, alternating, thousands of times (the pass is linear: see `attributions`).
        let md = "> Words.\n> — Someone\n\n> More words.\n\n— Another\n\n".repeat(5_000);
        let blocks = render_body_uncached(&md);
        assert_eq!(blocks.len(), 10_000);
        assert!(blocks.iter().step_by(2).all(|b| b.html.ends_with("<figcaption>— Someone</figcaption></figure>")));
        assert!(
            blocks.iter().skip(1).step_by(2).all(|b| b.html.ends_with("<figcaption>— Another</figcaption></figure>"))
        );
    }

    #[test]
    fn placement_after_second_paragraph_then_five_later() {
        let md = (1..=12).map(|i| format!("Paragraph {i}.")).collect::<Vec<_>>().join("\n\n");
        let blocks = render_body(&md);
        assert_eq!(inline_box_positions(&blocks, 2), vec![1, 6]);
        assert_eq!(inline_box_positions(&blocks, 1), vec![1]);
        assert!(inline_box_positions(&blocks, 0).is_empty());
    }

    #[test]
    fn placement_skips_lists_and_quotes() {
        let blocks = render_body("One.\n\n- a\n- b\n\n> q\n\nTwo.\n\nThree.\n");
        let pos = inline_box_positions(&blocks, 2);
        assert_eq!(pos, vec![3]);
        assert_eq!(blocks[3].kind, BlockKind::Paragraph);
    }

    #[test]
    fn placement_never_ends_the_body() {
        let blocks = render_body("One.\n\nTwo.\n");
        assert!(inline_box_positions(&blocks, 2).is_empty());
    }

    proptest! {
        /// Plain blocks skip the sanitiser only because cleaning them changes nothing.
        #[test]
        fn plain_blocks_are_what_the_sanitiser_would_make_of_them(
            lines in prop::collection::vec(
                (
                    prop::sample::select(vec!["", "## ", "### ", "- ", "1. ", "3. ", "> ", "> — ", "* ", "    "]),
                    prop::collection::vec(
                        prop::sample::select(vec![
                            "word", " ", "*em*", "**strong**", "~~gone~~", "`code`", "a & b", "1 < 2 > 0", "\"quoted\"",
                            "it's", "\u{E9}t\u{E9}", "\u{A0}", "\t", "<b>", "&amp;", "&#65;", "\\*", "---", "_x_",
                        ]),
                        0..8,
                    ).prop_map(|words| words.concat()),
                ),
                1..12,
            )
        ) {
            let md: String = lines.iter().map(|(start, text)| format!("{start}{text}\n\n")).collect();
            for block in render_body(&md) {
                prop_assert_eq!(sanitiser().clean(&block.html).to_string(), block.html.clone(), "in {:?}", md);
            }
        }

        #[test]
        fn no_script_or_handler_ever_survives(
            prefix in "[a-z ]{0,20}",
            tag in prop::sample::select(vec!["script", "img", "svg", "iframe", "object", "a", "div", "p"]),
            handler in prop::sample::select(vec!["onerror", "onload", "onclick", "onmouseover", "style"]),
            scheme in prop::sample::select(vec!["javascript", "JaVaScRiPt", "vbscript", "data"]),
        ) {
            let md = format!("{prefix}<{tag} {handler}=\"x()\" href=\"{scheme}:alert(1)\" src=\"{scheme}:y\">t</{tag}>\n\n[l]({scheme}:alert(1))");
            let out = html(&md);
            let doc = scraper::Html::parse_fragment(&out);
            for el in doc.root_element().descendants().filter_map(scraper::ElementRef::wrap) {
                let name = el.value().name();
                prop_assert!(!["script", "img", "svg", "iframe", "object", "style", "div"].contains(&name), "<{}> in {}", name, out);
                for (attr, value) in el.value().attrs() {
                    prop_assert!(!attr.starts_with("on") && attr != "style" && attr != "src", "{}= in {}", attr, out);
                    let v = value.trim().to_ascii_lowercase();
                    prop_assert!(v.starts_with("http") || v.starts_with("mailto") || attr == "rel", "{}={} in {}", attr, value, out);
                }
            }
        }
    }
}

//! The site's pages: each public function takes the content of one page and returns its HTML.

use crate::RenderError;
use crate::clock::SiteClock;
use crate::distribution::{FeedLink, feed_links};
use crate::markdown::{inline_box_positions, render_body};
use crate::settings::{Labels, Settings, SiteSettings};
use crate::view::script_json;
use crate::view::*;
use courant_core::{Article, ArticleSummary, Author, Section, Source, Tag};
use minijinja::value::Serde;
use minijinja::{Environment, Value, context};
use serde::Serialize;

/// Templates, embedded in the binary so that one file runs the site.
const TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../../../templates/site/base.html")),
    ("macros.html", include_str!("../../../templates/site/macros.html")),
    ("article.html", include_str!("../../../templates/site/article.html")),
    ("page.html", include_str!("../../../templates/site/page.html")),
    ("home.html", include_str!("../../../templates/site/home.html")),
    ("listing.html", include_str!("../../../templates/site/listing.html")),
    ("error.html", include_str!("../../../templates/site/error.html")),
    ("search.html", include_str!("../../../templates/site/search.html")),
    ("newsletters.html", include_str!("../../../templates/site/newsletters.html")),
    ("feeds/rss.xml", include_str!("../../../templates/feeds/rss.xml")),
    ("feeds/atom.xml", include_str!("../../../templates/feeds/atom.xml")),
    ("feeds/sitemap-index.xml", include_str!("../../../templates/feeds/sitemap-index.xml")),
    ("feeds/sitemap-urlset.xml", include_str!("../../../templates/feeds/sitemap-urlset.xml")),
    ("feeds/sitemap-news.xml", include_str!("../../../templates/feeds/sitemap-news.xml")),
];

/// How many inline "Also read" boxes an article body carries at most.
const INLINE_BOXES: usize = 2;
/// How many related stories are listed after an article.
const END_RELATED: usize = 4;

/// Writes template values, escaping text for HTML with the five characters that matter
/// (minijinja's default also escapes `/`, which bloats every URL in a page). Every text, escaped
/// or safe, loses what XML 1.0 forbids (control characters, U+FFFE, U+FFFF): pages and feeds
/// stay well-formed whatever the store holds.
pub(crate) fn html_formatter(
    out: &mut minijinja::Output,
    state: &mut minijinja::State,
    value: &Value,
) -> Result<(), minijinja::Error> {
    let html = matches!(state.auto_escape(), minijinja::AutoEscape::Html);
    match value.as_str() {
        Some(text) if html || value.is_safe() => {
            write_text(out, text, html && !value.is_safe()).map_err(minijinja::Error::from)
        }
        _ => minijinja::escape_formatter(out, state, value),
    }
}

/// Writes text, escaped for HTML when `escape`, without the characters XML forbids.
pub(crate) fn write_text(out: &mut impl std::fmt::Write, text: &str, escape: bool) -> std::fmt::Result {
    // Text runs between the bytes that need something done are written whole (a page's body
    // is kilobytes of safe HTML with none in it).
    let find = if escape { next_special::<true> } else { next_special::<false> };
    let bytes = text.as_bytes();
    let mut start = 0;
    let mut i = 0;
    while let Some(found) = find(&bytes[i..]) {
        i += found;
        let (replacement, skip) = match bytes[i] {
            b'&' => ("&amp;", 1),
            b'<' => ("&lt;", 1),
            b'>' => ("&gt;", 1),
            b'"' => ("&quot;", 1),
            b'\'' => ("&#39;", 1),
            // U+FFFE and U+FFFF, in UTF-8.
            0xEF if bytes.get(i + 1) == Some(&0xBF) && matches!(bytes.get(i + 2), Some(0xBE | 0xBF)) => ("", 3),
            0xEF => {
                i += 1;
                continue;
            }
            _ => ("", 1),
        };
        out.write_str(&text[start..i])?;
        out.write_str(replacement)?;
        i += skip;
        start = i;
    }
    out.write_str(&text[start..])
}

/// Where the first byte [`write_text`] looks at is: the control characters XML forbids (all
/// below 0x20 but tab, newline and carriage return), 0xEF (which starts U+FFFE and U+FFFF),
/// and with `ESCAPE` the five characters escaped for HTML. Looks at 32 bytes at a time with
/// compares and no branch per byte, which the compiler makes vector instructions of (a page
/// writes its body and every part of it through here), then byte by byte in the chunk found.
fn next_special<const ESCAPE: bool>(bytes: &[u8]) -> Option<usize> {
    #[inline(always)]
    fn special<const ESCAPE: bool>(b: u8) -> bool {
        let control = (b < 0x20) & (b != b'\t') & (b != b'\n') & (b != b'\r');
        let html = ESCAPE & ((b == b'&') | (b == b'<') | (b == b'>') | (b == b'"') | (b == b'\''));
        control | (b == 0xEF) | html
    }
    const CHUNK: usize = 32;
    let mut chunks = bytes.chunks_exact(CHUNK);
    for (n, chunk) in chunks.by_ref().enumerate() {
        if chunk.iter().fold(false, |any, &b| any | special::<ESCAPE>(b)) {
            return chunk.iter().position(|&b| special::<ESCAPE>(b)).map(|i| n * CHUNK + i);
        }
    }
    let rest = bytes.len() - bytes.len() % CHUNK;
    chunks.remainder().iter().position(|&b| special::<ESCAPE>(b)).map(|i| rest + i)
}

/// Renders the public site's pages for one publication.
pub struct Renderer {
    pub(crate) env: Environment<'static>,
    pub(crate) settings: Settings,
    pub(crate) labels: Labels,
    clock: SiteClock,
    css_url: String,
    beacon_url: String,
    /// The logo for structured data, as a site path or an absolute URL.
    pub(crate) logo_path: String,
    /// The publication's own pages linked from every page's footer (see [`Renderer::set_footer`]).
    footer: std::sync::RwLock<Vec<Link>>,
}

/// One result of a search.
pub struct SearchHit {
    pub story: ArticleSummary,
    /// Safe HTML: escaped text with the matched words in `<mark>`.
    pub snippet_html: String,
}

/// A reader's newsletter page (see [`Renderer::newsletters_page`]).
#[derive(Debug, Clone, Default, Serialize)]
pub struct NewslettersPage {
    /// signup, sent, confirm, confirmed, manage, saved, unsubscribe, invalid or unavailable.
    pub state: &'static str,
    pub title: String,
    pub message: String,
    pub lists: Vec<NewsletterChoice>,
    /// The address typed (sign-up) or the subscriber's (preferences).
    pub email: String,
    /// The signed token of the link the reader came with.
    pub token: String,
    /// The list an unsubscribe link names.
    pub list: Option<i64>,
    pub errors: Vec<String>,
}

/// A list a reader may choose.
#[derive(Debug, Clone, Serialize)]
pub struct NewsletterChoice {
    pub id: i64,
    pub name: String,
    pub description: String,
    /// When it goes out, in words ("Weekdays at 07:00").
    pub when: String,
    pub checked: bool,
}

/// A page of search results, or the empty form.
pub struct SearchPage<'a> {
    pub query: String,
    /// The chosen section's slug.
    pub section: Option<String>,
    pub newest_first: bool,
    /// Other filters, echoed in the form and kept by the paging links: since and until
    /// (dates as typed), author and tag slugs.
    pub since: String,
    pub until: String,
    pub author: String,
    pub tag: String,
    pub hits: Vec<SearchHit>,
    pub total: usize,
    pub page: i64,
    pub total_pages: i64,
    /// Stories to offer when nothing is found.
    pub suggestions: &'a [ArticleSummary],
}

/// A block of the home page: a top-level section and its latest stories.
pub struct HomeBlock {
    pub section: Section,
    pub stories: Vec<ArticleSummary>,
}

/// What the front page shows, each story once: the lead, the featured stories beside it, the
/// latest, the most read, and a block per top-level section.
#[derive(Default)]
pub struct Front {
    pub lead: Option<ArticleSummary>,
    pub featured: Vec<ArticleSummary>,
    pub latest: Vec<ArticleSummary>,
    pub most_read: Vec<ArticleSummary>,
    pub blocks: Vec<HomeBlock>,
}

/// What a listing page (section, tag, author, source) introduces itself with.
pub enum ListingIntro {
    /// A section with its place in the tree, its subsections and its sister sections (those
    /// under the same parent, or the other top-level sections).
    Section {
        section: Section,
        path: Vec<Section>,
        children: Vec<Section>,
        siblings: Vec<Section>,
    },
    Tag(Tag),
    Author(Author),
    Source(Source),
}

/// One page of a listing.
pub struct Listing {
    pub intro: ListingIntro,
    pub stories: Vec<ArticleSummary>,
    /// A section's most read stories now (empty for other listings).
    pub most_read: Vec<ArticleSummary>,
    /// 1-based page number.
    pub page: i64,
    pub total_pages: i64,
}

#[derive(Serialize)]
struct BodyPart {
    html: String,
    /// Stories boxed after this block; empty for most blocks.
    also_read: Vec<Teaser>,
}

#[derive(Serialize)]
struct Byline {
    name: String,
    url: String,
    title: String,
}

#[derive(Serialize, Default)]
struct PageMeta {
    title: String,
    description: String,
    canonical: String,
    prev: Option<String>,
    next: Option<String>,
    /// The title for social previews, without the site's name; the page title when empty.
    og_title: String,
    /// `og:type`: website, article or profile.
    og_type: &'static str,
    /// Extra OpenGraph and Twitter tags: (attribute, key, value).
    meta: Vec<(&'static str, String, String)>,
    /// Feeds of this page besides the site's own.
    feeds: Vec<FeedLink>,
    /// Structured data, ready for a script element.
    jsonld: Option<String>,
}

#[derive(Serialize)]
struct MetaTag {
    attr: &'static str,
    key: String,
    value: String,
}

impl Renderer {
    /// A renderer for the publication; fails when the settings cannot be used (unknown time
    /// zone, malformed labels) or a template does not compile.
    /// A renderer whose pages link the stylesheet at `css_url` and count views with the script
    /// at `beacon_url`.
    pub fn new(settings: Settings, css_url: String, beacon_url: String) -> Result<Renderer, RenderError> {
        settings.labels.validate().map_err(RenderError::Settings)?;
        let clock = SiteClock::new(&settings.site.timezone).map_err(RenderError::Settings)?;
        let mut env = Environment::new();
        // The syntax applies to templates added after it is set.
        env.set_syntax(
            minijinja::syntax::SyntaxConfig::builder()
                .trim_blocks(true)
                .lstrip_blocks(true)
                .build()
                .map_err(|e| RenderError::Settings(e.to_string()))?,
        );
        env.set_formatter(html_formatter);
        crate::fragments::register(&mut env);
        for (name, source) in TEMPLATES {
            env.add_template(name, source)?;
        }
        let mut logo_path = settings.site.logo.clone();
        if logo_path == crate::settings::DEFAULT_LOGO && !courant_media::brand::can_draw(&settings.site.title) {
            logo_path = "/static/logo.svg".into();
        }
        let labels = settings.labels.clone();
        Ok(Renderer { env, settings, labels, clock, css_url, beacon_url, logo_path, footer: Default::default() })
    }

    /// The publication's clock (its time zone).
    pub fn clock(&self) -> &SiteClock {
        &self.clock
    }

    /// A time as the publication prints it, in its zone ("5 March 2026, 07:09").
    pub fn format_time(&self, t: time::OffsetDateTime) -> String {
        self.clock.format(t, &self.labels.datetime_format, &self.labels)
    }

    /// The publication's settings.
    pub fn site(&self) -> &SiteSettings {
        &self.settings.site
    }

    /// Every setting the pages are rendered with.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// The publication's own pages the footer links, as (title, slug), in order: set when the
    /// server starts and whenever they change.
    pub fn set_footer(&self, pages: &[(String, String)]) {
        let links = pages.iter().map(|(title, slug)| Link { name: title.clone(), url: format!("/{slug}") }).collect();
        *self.footer.write().unwrap_or_else(|e| e.into_inner()) = links;
    }

    /// The footer's pages, as [`Renderer::set_footer`] was last given them.
    pub fn footer(&self) -> Vec<(String, String)> {
        let links = self.footer.read().unwrap_or_else(|e| e.into_inner());
        links.iter().map(|l| (l.name.clone(), l.url.trim_start_matches('/').to_string())).collect()
    }

    /// One of the publication's own pages: its title and its Markdown body.
    pub fn site_page(&self, slug: &str, title: &str, body: &str, nav: &[Section]) -> Result<String, RenderError> {
        let path = format!("/{slug}");
        let crumbs = vec![Link { name: self.labels.home.clone(), url: "/".into() }];
        let ctx = context! {
            title => title,
            body => Value::from_safe_string(crate::markdown::render_body_html(body)),
            breadcrumb => Serde(crumbs),
            url => &path,
        };
        let meta = PageMeta {
            title: format!("{title} | {}", self.settings.site.title),
            og_title: title.to_string(),
            description: crate::markdown::plain_text(body).chars().take(160).collect(),
            canonical: self.canonical(&path),
            ..PageMeta::default()
        };
        self.render("page.html", nav, meta, ctx)
    }

    fn views(&self) -> Views<'_> {
        Views { clock: &self.clock, labels: &self.labels }
    }

    fn render(&self, template: &str, nav: &[Section], page: PageMeta, ctx: Value) -> Result<String, RenderError> {
        let nav: Vec<Link> = nav.iter().filter(|s| s.parent_id.is_none()).map(section_link).collect();
        let site = &self.settings.site;
        let mut tags = vec![
            ("property", "og:site_name".to_string(), site.title.clone()),
            (
                "property",
                "og:type".to_string(),
                if page.og_type.is_empty() { "website" } else { page.og_type }.to_string(),
            ),
            (
                "property",
                "og:title".to_string(),
                if page.og_title.is_empty() { &page.title } else { &page.og_title }.clone(),
            ),
            ("property", "og:description".to_string(), page.description.clone()),
            ("property", "og:url".to_string(), page.canonical.clone()),
            ("property", "og:locale".to_string(), site.locale.replace('-', "_")),
        ];
        tags.extend(page.meta.iter().cloned());
        if !tags.iter().any(|t| t.1 == "og:image") {
            // Pages without a picture of their own: the publication's social picture.
            let (w, h) = courant_media::brand::SOCIAL_SIZE;
            tags.push(("property", "og:image".to_string(), self.absolute("/static/social.png")));
            tags.push(("property", "og:image:width".to_string(), w.to_string()));
            tags.push(("property", "og:image:height".to_string(), h.to_string()));
            tags.push(("property", "og:image:alt".to_string(), site.title.clone()));
        }
        if !tags.iter().any(|t| t.1 == "twitter:card") {
            tags.push(("name", "twitter:card".to_string(), "summary".to_string()));
        }
        let meta: Vec<MetaTag> = tags.into_iter().map(|(attr, key, value)| MetaTag { attr, key, value }).collect();
        let mut feeds = page.feeds.clone();
        feeds.extend(feed_links("/", &site.title));
        let footer = self.footer.read().unwrap_or_else(|e| e.into_inner()).clone();
        let year = self.clock.local(time::OffsetDateTime::now_utc()).year();
        let base = context! {
            footer_pages => Serde(footer),
            year => year,
            meta => Serde(meta),
            feeds => Serde(feeds),
            jsonld => page.jsonld.clone().map(Value::from_safe_string),
            site => Serde(&self.settings.site),
            labels => Serde(&self.labels),
            css_url => Serde(&self.css_url),
            nav => Serde(nav),
            page => Serde(page),
        };
        Ok(self.env.get_template(template)?.render(context! { ..ctx, ..base })?)
    }

    fn canonical(&self, path: &str) -> String {
        format!("{}{}", self.settings.site.url.trim_end_matches('/'), path)
    }

    /// The article page. `latest` fills the side box of recent stories.
    /// `related` lists the stories to suggest, the editor's pinned ones first: of the first
    /// `inline` (those related enough), some go into the body's "Also read" boxes; the others,
    /// up to four, are listed after the article, none twice.
    pub fn article_page(
        &self,
        article: &Article,
        related: &[ArticleSummary],
        inline: usize,
        reading_now: &[ArticleSummary],
        latest: &[ArticleSummary],
        nav: &[Section],
    ) -> Result<String, RenderError> {
        let v = self.views();
        let path = article.path().unwrap_or_default();
        let mut breadcrumb = vec![Link { name: self.labels.home.clone(), url: "/".into() }];
        breadcrumb.extend(article.section_path.iter().map(section_link));

        let blocks = render_body(&article.body);
        let inline = inline.min(related.len());
        let positions = inline_box_positions(&blocks, INLINE_BOXES.min(inline));
        let mut body: Vec<BodyPart> =
            blocks.into_iter().map(|b| BodyPart { html: b.html, also_read: Vec::new() }).collect();
        let mut boxed = 0;
        for (n, &i) in positions.iter().enumerate() {
            // The last box takes the related stories the earlier boxes left, at most two.
            let take = if n + 1 == positions.len() { (inline - n).min(2) } else { 1 };
            body[i].also_read = v.teasers(&related[n..n + take]);
            boxed = n + take;
        }
        // The list after the article: what the boxes did not show.
        let after = &related[boxed..];

        let authors: Vec<Byline> = article
            .authors
            .iter()
            .map(|a| Byline { name: a.name.clone(), url: author_url(&a.slug), title: a.title.clone() })
            .collect();
        let published = article.published_at.map(|t| v.time(t));
        // "Updated" only when it reads differently from the publication time.
        let updated = Some(v.time(article.updated_at)).filter(|u| {
            published.as_ref().is_none_or(|p| p.text != u.text)
                && article.published_at.is_some_and(|p| article.updated_at > p)
        });
        // The aside lists who else is reading, or else the latest stories.
        let reading_now: Vec<Listed> = reading_now.iter().filter(|a| a.id != article.id).map(|a| v.listed(a)).collect();
        let sidebar: Vec<Listed> = if reading_now.is_empty() {
            latest.iter().filter(|a| a.id != article.id).take(5).map(|a| v.listed(a)).collect()
        } else {
            Vec::new()
        };
        let ctx = context! {
            headline => Serde(&article.headline),
            standfirst => Serde(&article.standfirst),
            url => Serde(&path),
            breadcrumb => Serde(breadcrumb),
            authors => Serde(authors),
            published => Serde(published),
            updated => Serde(updated),
            hero => Serde(article.hero.as_ref().map(figure)),
            body => Serde(body),
            sources => Serde(article.sources.iter().map(|s| Link { name: s.name.clone(), url: source_url(&s.slug) }).collect::<Vec<_>>()),
            tags => Serde(article.tags.iter().map(|t| Link { name: t.name.clone(), url: tag_url(&t.slug) }).collect::<Vec<_>>()),
            corrections => Serde(article.corrections.iter().map(|c| context! { time => Serde(v.date(c.published_at)), text => &c.text }).collect::<Vec<_>>()),
            related => Serde(v.teasers(&after[..after.len().min(END_RELATED)])),
            sidebar => Serde(sidebar),
            reading_now => Serde(reading_now),
            article_id => article.id.0,
            beacon_url => &self.beacon_url,
            ad => self.ad(),
        };
        let mut tags: Vec<(&'static str, String, String)> = Vec::new();
        let mut og = |key: &str, value: String| tags.push(("property", key.to_string(), value));
        if let Some(h) = &article.hero {
            og("og:image", self.absolute(&media_url(&h.file)));
            og("og:image:width", h.width.to_string());
            og("og:image:height", h.height.to_string());
            og("og:image:alt", h.alt.clone());
        }
        if let Some(p) = article.published_at {
            og("article:published_time", crate::clock::iso(p));
        }
        og("article:modified_time", crate::clock::iso(article.updated_at));
        og("article:section", article.section.name.clone());
        for t in &article.tags {
            og("article:tag", t.name.clone());
        }
        for a in &article.authors {
            og("article:author", self.absolute(&author_url(&a.slug)));
        }
        if let Some(h) = &article.hero {
            tags.push(("name", "twitter:card".into(), "summary_large_image".into()));
            tags.push(("name", "twitter:image".into(), self.absolute(&media_url(&h.file))));
            tags.push(("name", "twitter:image:alt".into(), h.alt.clone()));
        }
        tags.push(("name", "twitter:title".into(), article.headline.clone()));
        tags.push(("name", "twitter:description".into(), article.standfirst.clone()));
        let meta = PageMeta {
            title: format!("{} | {}", article.headline, self.settings.site.title),
            description: article.standfirst.clone(),
            canonical: self.canonical(&path),
            og_type: "article",
            og_title: article.headline.clone(),
            meta: tags,
            feeds: feed_links(&format!("/{}/", article.section.slug), &article.section.name),
            jsonld: Some(self.article_jsonld(article)),
            ..PageMeta::default()
        };
        self.render("article.html", nav, meta, ctx)
    }

    fn ad(&self) -> Value {
        context! {
            label => Serde(&self.settings.ads.label),
            height => Serde(self.settings.ads.height),
            html => self.settings.ads.html.clone().map(Value::from_safe_string),
        }
    }

    /// The home page: the lead story with the featured ones beside it, the latest, the most
    /// read, then a block per top-level section.
    pub fn home_page(&self, front: &Front, nav: &[Section]) -> Result<String, RenderError> {
        let v = self.views();
        let blocks: Vec<Value> = front
            .blocks
            .iter()
            .filter(|b| !b.stories.is_empty())
            .map(|b| context! { section => Serde(section_link(&b.section)), stories => Serde(v.teasers(&b.stories)) })
            .collect();
        let ctx = context! {
            lead => Serde(front.lead.as_ref().map(|a| v.teaser(a))),
            featured => Serde(v.teasers(&front.featured)),
            latest => Serde(v.teasers(&front.latest)),
            most_read => Serde(v.teasers(&front.most_read)),
            blocks => Serde(blocks),
        };
        let meta = PageMeta {
            title: self.settings.site.title.clone(),
            description: self.settings.site.description.clone(),
            canonical: self.canonical("/"),
            jsonld: Some(script_json(&self.home_jsonld())),
            ..PageMeta::default()
        };
        self.render("home.html", nav, meta, ctx)
    }

    /// A page of a section, tag, author or source listing.
    pub fn listing_page(&self, listing: &Listing, nav: &[Section]) -> Result<String, RenderError> {
        let v = self.views();
        let l = &self.labels;
        let (kind, title, description, path, extra) = match &listing.intro {
            ListingIntro::Section { section, path, children, siblings } => {
                let mut crumbs = vec![Link { name: l.home.clone(), url: "/".into() }];
                crumbs.extend(path.iter().map(section_link));
                (
                    "section",
                    section.name.clone(),
                    section.description.clone(),
                    section_url(&section.slug),
                    context! {
                        breadcrumb => Serde(crumbs),
                        children => Serde(children.iter().map(section_link).collect::<Vec<_>>()),
                        siblings => Serde(siblings.iter().map(section_link).collect::<Vec<_>>()),
                        most_read => Serde(listing.most_read.iter().map(|a| v.listed(a)).collect::<Vec<_>>()),
                        ad => self.ad(),
                    },
                )
            }
            ListingIntro::Tag(t) => {
                ("tag", t.name.clone(), format!("{} {}", l.stories_tagged, t.name), tag_url(&t.slug), context! {})
            }
            ListingIntro::Author(a) => (
                "author",
                a.name.clone(),
                a.bio.clone(),
                author_url(&a.slug),
                context! { role => &a.title, photo => Serde(a.photo.as_ref().map(figure)), bio => &a.bio },
            ),
            ListingIntro::Source(s) => (
                "source",
                s.name.clone(),
                format!("{} {}", l.stories_from, s.name),
                source_url(&s.slug),
                context! { website => &s.url },
            ),
        };
        let page_url = |n: i64| {
            if n <= 1 { path.clone() } else { format!("{path}?page={n}") }
        };
        let prev = (listing.page > 1).then(|| page_url(listing.page - 1));
        let next = (listing.page < listing.total_pages).then(|| page_url(listing.page + 1));
        let ctx = context! {
            kind => Serde(kind),
            title => Serde(&title),
            description => Serde(&description),
            stories => Serde(v.teasers(&listing.stories)),
            page_number => Serde(listing.page),
            total_pages => Serde(listing.total_pages),
            prev_url => Serde(&prev),
            next_url => Serde(&next),
            ..extra
        };
        let page_title = if listing.page > 1 {
            format!("{title} ({} {}) | {}", l.page, listing.page, self.settings.site.title)
        } else {
            format!("{title} | {}", self.settings.site.title)
        };
        let (og_type, jsonld) = match &listing.intro {
            ListingIntro::Author(a) => ("profile", Some(self.author_jsonld(a))),
            ListingIntro::Section { path, .. } => ("website", Some(self.section_breadcrumb_jsonld(path))),
            _ => ("website", None),
        };
        let meta = PageMeta {
            title: page_title,
            description,
            canonical: self.canonical(&page_url(listing.page)),
            prev: prev.clone(),
            next: next.clone(),
            og_type,
            feeds: feed_links(&format!("{path}/"), &title),
            jsonld: jsonld.map(|j| script_json(&j)),
            ..PageMeta::default()
        };
        self.render("listing.html", nav, meta, ctx)
    }

    /// The search page: the form, the results with their snippets, or what to read instead.
    pub fn search_page(&self, p: &SearchPage<'_>, nav: &[Section]) -> Result<String, RenderError> {
        let v = self.views();
        let l = &self.labels;
        let url_for = |page: i64| {
            let mut pairs = vec![("q", p.query.clone())];
            if let Some(s) = &p.section {
                pairs.push(("section", s.clone()));
            }
            if p.newest_first {
                pairs.push(("sort", "newest".into()));
            }
            for (key, value) in [("since", &p.since), ("until", &p.until), ("author", &p.author), ("tag", &p.tag)] {
                if !value.is_empty() {
                    pairs.push((key, value.clone()));
                }
            }
            if page > 1 {
                pairs.push(("page", page.to_string()));
            }
            format!("/search?{}", query_string(&pairs))
        };
        let prev = (p.page > 1).then(|| url_for(p.page - 1));
        let next = (p.page < p.total_pages).then(|| url_for(p.page + 1));
        let hits: Vec<Value> = p
            .hits
            .iter()
            .map(|h| context! { teaser => Serde(v.teaser(&h.story)), snippet => Value::from_safe_string(h.snippet_html.clone()) })
            .collect();
        let sections: Vec<Value> = nav
            .iter()
            .map(|s| context! { slug => &s.slug, name => &s.name, child => s.parent_id.is_some(), selected => p.section.as_deref() == Some(s.slug.as_str()) })
            .collect();
        let summary = l.search_results.replace("{count}", &p.total.to_string()).replace("{query}", &p.query);
        let ctx = context! {
            query => &p.query,
            searched => !p.query.is_empty(),
            summary => summary,
            hits => hits,
            newest_first => p.newest_first,
            since => &p.since,
            until => &p.until,
            author => &p.author,
            tag => &p.tag,
            sections => sections,
            suggestions => Serde(v.teasers(p.suggestions)),
            page_number => p.page,
            total_pages => p.total_pages,
            prev_url => &prev,
            next_url => &next,
        };
        let title = if p.query.is_empty() { l.search.clone() } else { format!("{}: {}", l.search, p.query) };
        let meta = PageMeta {
            title: format!("{title} | {}", self.settings.site.title),
            description: l.search_label.clone(),
            canonical: self.canonical("/search"),
            prev,
            next,
            ..PageMeta::default()
        };
        self.render("search.html", nav, meta, ctx)
    }

    /// A reader's newsletter page: the lists and the sign-up form, "check your inbox", a
    /// confirmation to press, preferences from a signed link, and what was done. Pages reached
    /// from a link carrying a token are kept out of search engines.
    pub fn newsletters_page(&self, p: &NewslettersPage, nav: &[Section]) -> Result<String, RenderError> {
        let mut meta = PageMeta {
            title: format!("{} | {}", p.title, self.settings.site.title),
            description: p.message.clone(),
            canonical: self.canonical("/newsletters"),
            ..PageMeta::default()
        };
        if p.state != "signup" {
            meta.meta.push(("name", "robots".into(), "noindex".into()));
        }
        self.render("newsletters.html", nav, meta, context! { p => Value::from(Serde(p)) })
    }

    /// An error page for `status` (404, 410 or 500), with a way back through the sections.
    pub fn error_page(&self, status: u16, nav: &[Section]) -> Result<String, RenderError> {
        let l = &self.labels;
        let (title, text) = match status {
            404 => (&l.not_found_title, &l.not_found_text),
            410 => (&l.gone_title, &l.gone_text),
            _ => (&l.error_title, &l.error_text),
        };
        let meta = PageMeta {
            title: format!("{title} | {}", self.settings.site.title),
            description: text.clone(),
            canonical: self.canonical("/"),
            ..PageMeta::default()
        };
        self.render("error.html", nav, meta, context! { status => status, title => title, text => text })
    }
}

/// `key=value&...` with values percent-encoded for a query string.
fn query_string(pairs: &[(&str, String)]) -> String {
    let encode = |s: &str| {
        s.bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
                b' ' => "+".to_string(),
                _ => format!("%{b:02X}"),
            })
            .collect::<String>()
    };
    pairs.iter().map(|(k, v)| format!("{k}={}", encode(v))).collect::<Vec<_>>().join("&")
}

#[cfg(test)]
mod formatter_tests {
    use super::*;
    use proptest::prelude::*;

    /// Text the store may hold from before it was cleaned on the way in: escaped or safe, no
    /// character XML forbids reaches a page or a feed.
    #[test]
    fn writes_no_character_xml_forbids() {
        let mut env = Environment::new();
        env.set_formatter(html_formatter);
        env.add_template("t.xml", "<t a=\"{{ x }}\">{{ x }}|{{ x|safe }}</t>").expect("template");
        let x = "\u{0}A\u{B}<b>\u{1B}&\u{FFFF}\t\"e\u{FFFE}'\u{E9}";
        let out = env.get_template("t.xml").expect("template").render(minijinja::context! { x }).expect("render");
        assert_eq!(
            out,
            "<t a=\"A&lt;b&gt;&amp;\t&quot;e&#39;\u{E9}\">A&lt;b&gt;&amp;\t&quot;e&#39;\u{E9}|A<b>&\t\"e'\u{E9}</t>"
        );
        // Other characters whose UTF-8 starts like U+FFFF's are kept, wherever they stand.
        let x = "\u{FFFD}\u{F000}x\u{FFEF}\r\n\u{FFFF}\u{FFFD}";
        let out = env.get_template("t.xml").expect("template").render(minijinja::context! { x }).expect("render");
        let kept = "\u{FFFD}\u{F000}x\u{FFEF}\r\n\u{FFFD}";
        assert_eq!(out, format!("<t a=\"{kept}\">{kept}|{kept}</t>"));
    }

    /// What the formatter writes, character by character: the reference the scan 32 bytes at a
    /// time must agree with.
    fn written(text: &str, escape: bool) -> String {
        text.chars()
            .filter(|&c| !courant_core::forbidden_in_xml(c))
            .map(|c| match c {
                '&' if escape => "&amp;".to_string(),
                '<' if escape => "&lt;".to_string(),
                '>' if escape => "&gt;".to_string(),
                '"' if escape => "&quot;".to_string(),
                '\'' if escape => "&#39;".to_string(),
                c => c.to_string(),
            })
            .collect()
    }

    proptest::proptest! {
        /// Long texts with the characters that matter anywhere, at chunk edges too.
        #[test]
        fn long_texts_are_written_as_character_by_character(
            parts in proptest::collection::vec(
                proptest::prop_oneof![
                    proptest::string::string_regex("[a-z ]{0,40}").expect("regex"),
                    proptest::sample::select(vec![
                        "&", "<", ">", "\"", "'", "\u{0}", "\u{1F}", "\t", "\n", "\r", "\u{FFFF}", "\u{FFFE}",
                        "\u{FFFD}", "\u{E9}", "\u{F000}",
                    ])
                    .prop_map(str::to_string),
                ],
                0..60,
            )
        ) {
            let x = parts.concat();
            let mut env = Environment::new();
            env.set_formatter(html_formatter);
            env.add_template("t.html", "{{ x }}|{{ x|safe }}").expect("template");
            let out = env.get_template("t.html").expect("template").render(minijinja::context! { x => &x }).expect("render");
            proptest::prop_assert_eq!(out, format!("{}|{}", written(&x, true), written(&x, false)));
        }
    }
}

//! What the site offers machines: RSS 2.0, Atom 1.0 and JSON Feed 1.1 feeds, sitemaps (an index,
//! monthly article sitemaps with the image extension, a page sitemap and a Google News sitemap),
//! all with absolute URLs built from the configured site address.

use crate::clock::iso;
use crate::markdown::render_body_html;
use crate::view::{author_url, media_url};
use crate::{RenderError, Renderer};
use courant_core::{Article, ArticleId, ArticleSummary};
use minijinja::context;
use minijinja::value::Serde;
use serde::Serialize;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc2822;

/// The three feed formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeedFormat {
    Rss,
    Atom,
    Json,
}

impl FeedFormat {
    /// Every format, in the order pages advertise them.
    pub const ALL: [FeedFormat; 3] = [FeedFormat::Rss, FeedFormat::Atom, FeedFormat::Json];

    /// The file name of the format's feed inside a listing's folder (`/world/rss.xml`).
    pub fn file_name(self) -> &'static str {
        match self {
            FeedFormat::Rss => "rss.xml",
            FeedFormat::Atom => "atom.xml",
            FeedFormat::Json => "feed.json",
        }
    }

    /// The format a file name asks for.
    pub fn from_file_name(name: &str) -> Option<FeedFormat> {
        FeedFormat::ALL.into_iter().find(|f| f.file_name() == name)
    }

    pub fn content_type(self) -> &'static str {
        match self {
            FeedFormat::Rss => "application/rss+xml; charset=utf-8",
            FeedFormat::Atom => "application/atom+xml; charset=utf-8",
            FeedFormat::Json => "application/feed+json; charset=utf-8",
        }
    }

    /// The MIME type for `<link rel="alternate" type=...>`.
    pub fn link_type(self) -> &'static str {
        match self {
            FeedFormat::Rss => "application/rss+xml",
            FeedFormat::Atom => "application/atom+xml",
            FeedFormat::Json => "application/feed+json",
        }
    }

    fn label(self) -> &'static str {
        match self {
            FeedFormat::Rss => "RSS",
            FeedFormat::Atom => "Atom",
            FeedFormat::Json => "JSON Feed",
        }
    }
}

/// A feed to render: what it is about and its stories, newest first.
pub struct FeedSource<'a> {
    pub title: String,
    pub description: String,
    /// The page the feed follows, e.g. `/world`.
    pub page_path: String,
    /// The folder its feed files live in, e.g. `/world/` (or `/` for the whole site).
    pub feed_dir: String,
    pub articles: &'a [Article],
}

/// A feed advertised by a page with `<link rel="alternate">`.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct FeedLink {
    pub title: String,
    pub href: String,
    pub mime: &'static str,
}

/// The feed links of a listing whose feeds live in `feed_dir`, titled after `name`.
pub fn feed_links(feed_dir: &str, name: &str) -> Vec<FeedLink> {
    FeedFormat::ALL
        .into_iter()
        .map(|f| FeedLink {
            title: format!("{name} ({})", f.label()),
            href: format!("{feed_dir}{}", f.file_name()),
            mime: f.link_type(),
        })
        .collect()
}

#[derive(Serialize)]
struct ItemImage {
    url: String,
    width: u32,
    height: u32,
    mime: &'static str,
    length: Option<u64>,
    caption: String,
    credit: String,
    alt: String,
}

#[derive(Serialize)]
struct ItemAuthor {
    name: String,
    url: String,
}

#[derive(Serialize)]
struct Item {
    id: String,
    url: String,
    title: String,
    summary: String,
    content_html: String,
    published_rfc2822: String,
    published_iso: String,
    updated_iso: String,
    authors: Vec<ItemAuthor>,
    categories: Vec<String>,
    image: Option<ItemImage>,
}

/// One entry of a sitemap.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct SitemapUrl {
    /// Path on the site, e.g. `/world/2026/11/24/a-story`.
    pub path: String,
    pub lastmod: Option<OffsetDateTime>,
    /// A picture shown on the page (its file in the media folder).
    pub image: Option<String>,
}

impl Renderer {
    /// The absolute form of a site path.
    pub fn absolute(&self, path: &str) -> String {
        format!("{}{}", self.site().url.trim_end_matches('/'), path)
    }

    /// A stable identifier for an article in feeds: it survives renamed slugs and moved sections.
    pub fn article_uri(&self, id: ArticleId) -> String {
        self.absolute(&format!("/api/v1/articles/{id}"))
    }

    fn item(&self, a: &Article, file_size: &dyn Fn(&str) -> Option<u64>) -> Item {
        let path = a.path().unwrap_or_default();
        let published = a.published_at.unwrap_or(a.created_at);
        let mut categories = vec![a.section.name.clone()];
        categories.extend(a.tags.iter().map(|t| t.name.clone()));
        Item {
            id: self.article_uri(a.id),
            url: self.absolute(&path),
            title: a.headline.clone(),
            summary: a.standfirst.clone(),
            content_html: self.absolute_links(&render_body_html(&a.body)),
            published_rfc2822: published.format(&Rfc2822).unwrap_or_default(),
            published_iso: iso(published),
            updated_iso: iso(a.updated_at.max(published)),
            authors: a
                .authors
                .iter()
                .map(|au| ItemAuthor { name: au.name.clone(), url: self.absolute(&author_url(&au.slug)) })
                .collect(),
            categories,
            image: a.hero.as_ref().map(|h| ItemImage {
                url: self.absolute(&media_url(&h.file)),
                width: h.width,
                height: h.height,
                mime: courant_media::content_type(&h.file).unwrap_or("image/jpeg"),
                length: file_size(&h.file),
                caption: h.caption.clone(),
                credit: h.credit.clone(),
                alt: h.alt.clone(),
            }),
        }
    }

    /// Makes site-relative links and pictures in rendered HTML absolute, as feed readers need.
    pub fn absolute_links(&self, html: &str) -> String {
        let base = self.site().url.trim_end_matches('/');
        html.replace("href=\"/", &format!("href=\"{base}/")).replace("src=\"/", &format!("src=\"{base}/"))
    }

    /// A feed in `format`. `file_size` gives the byte size of a media file (for enclosures).
    pub fn feed(
        &self,
        format: FeedFormat,
        source: &FeedSource<'_>,
        file_size: &dyn Fn(&str) -> Option<u64>,
    ) -> Result<String, RenderError> {
        let items: Vec<Item> = source.articles.iter().map(|a| self.item(a, file_size)).collect();
        let updated = source
            .articles
            .iter()
            .map(|a| a.updated_at.max(a.published_at.unwrap_or(a.updated_at)))
            .max()
            .unwrap_or(OffsetDateTime::UNIX_EPOCH);
        let feed_url = self.absolute(&format!("{}{}", source.feed_dir, format.file_name()));
        let page_url = self.absolute(&source.page_path);
        if format == FeedFormat::Json {
            return Ok(self.json_feed(source, &items, &feed_url, &page_url));
        }
        let ctx = context! {
            feed => context! {
                title => &source.title,
                description => &source.description,
                page_url => page_url,
                feed_url => feed_url,
                language => self.site().locale.to_ascii_lowercase(),
                updated_rfc2822 => updated.format(&Rfc2822).unwrap_or_default(),
                updated_iso => iso(updated),
                items => Serde(items),
            }
        };
        let template = if format == FeedFormat::Rss { "feeds/rss.xml" } else { "feeds/atom.xml" };
        Ok(self.env.get_template(template)?.render(ctx)?)
    }

    fn json_feed(&self, source: &FeedSource<'_>, items: &[Item], feed_url: &str, page_url: &str) -> String {
        let items: Vec<serde_json::Value> = items
            .iter()
            .map(|i| {
                let mut item = serde_json::json!({
                    "id": i.id,
                    "url": i.url,
                    "title": i.title,
                    "summary": i.summary,
                    "content_html": i.content_html,
                    "date_published": i.published_iso,
                    "date_modified": i.updated_iso,
                    "authors": i.authors.iter().map(|a| serde_json::json!({"name": a.name, "url": a.url})).collect::<Vec<_>>(),
                    "tags": i.categories,
                });
                if let Some(img) = &i.image {
                    item["image"] = serde_json::Value::String(img.url.clone());
                    if let Some(length) = img.length {
                        item["attachments"] = serde_json::json!([{
                            "url": img.url, "mime_type": img.mime, "size_in_bytes": length, "title": img.alt
                        }]);
                    }
                }
                item
            })
            .collect();
        let feed = serde_json::json!({
            "version": "https://jsonfeed.org/version/1.1",
            "title": source.title,
            "home_page_url": page_url,
            "feed_url": feed_url,
            "description": source.description,
            "language": self.site().locale,
            "items": items,
        });
        serde_json::to_string_pretty(&feed).unwrap_or_default()
    }

    /// A sitemap index listing sitemaps given as (path, last change).
    pub fn sitemap_index(&self, sitemaps: &[(String, Option<OffsetDateTime>)]) -> Result<String, RenderError> {
        let sitemaps: Vec<_> = sitemaps
            .iter()
            .map(|(path, lastmod)| context! { loc => self.absolute(path), lastmod => lastmod.map(iso) })
            .collect();
        Ok(self.env.get_template("feeds/sitemap-index.xml")?.render(context! { sitemaps => sitemaps })?)
    }

    /// A sitemap of pages, with the image extension for pictures.
    pub fn sitemap(&self, urls: &[SitemapUrl]) -> Result<String, RenderError> {
        let urls: Vec<_> = urls
            .iter()
            .map(|u| {
                context! {
                    loc => self.absolute(&u.path),
                    lastmod => u.lastmod.map(iso),
                    image => u.image.as_deref().map(|f| self.absolute(&media_url(f))),
                }
            })
            .collect();
        Ok(self.env.get_template("feeds/sitemap-urlset.xml")?.render(context! { urls => urls })?)
    }

    /// The Google News sitemap of recent articles.
    pub fn news_sitemap(&self, articles: &[ArticleSummary]) -> Result<String, RenderError> {
        let urls: Vec<_> = articles
            .iter()
            .filter_map(|a| {
                Some(context! {
                    loc => self.absolute(&a.path()?),
                    published => iso(a.published_at?),
                    title => &a.headline,
                })
            })
            .collect();
        Ok(self.env.get_template("feeds/sitemap-news.xml")?.render(context! {
            urls => urls,
            publication => &self.site().title,
            language => news_language(&self.site().locale),
        })?)
    }
}

/// The language code Google News expects: ISO 639 (`en`), except Chinese, which keeps its script
/// (`zh-cn`, `zh-tw`).
pub fn news_language(locale: &str) -> String {
    let lower = locale.to_ascii_lowercase();
    if lower.starts_with("zh-") {
        return if lower.contains("tw") || lower.contains("hant") { "zh-tw".into() } else { "zh-cn".into() };
    }
    lower.split('-').next().unwrap_or("en").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn news_languages() {
        assert_eq!(news_language("en-GB"), "en");
        assert_eq!(news_language("de"), "de");
        assert_eq!(news_language("zh-TW"), "zh-tw");
        assert_eq!(news_language("zh-Hans-CN"), "zh-cn");
    }

    #[test]
    fn feed_files_round_trip() {
        for f in FeedFormat::ALL {
            assert_eq!(FeedFormat::from_file_name(f.file_name()), Some(f));
        }
        assert_eq!(FeedFormat::from_file_name("feed.xml"), None);
        let links = feed_links("/world/", "World");
        assert_eq!(links[0].href, "/world/rss.xml");
        assert_eq!(links[2].mime, "application/feed+json");
    }
}

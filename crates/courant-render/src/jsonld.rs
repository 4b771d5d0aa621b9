//! Structured data (schema.org JSON-LD) for search engines: `NewsArticle` with its crops,
//! authors, publisher, sources and corrections; `BreadcrumbList` matching the visible
//! breadcrumb; `WebSite` for the home page; `Person` for author pages.

use crate::Renderer;
use crate::clock::iso;
use crate::view::{author_url, media_url, section_url, source_url};
use courant_core::{Article, Author};
use serde::Serialize;
use serde_json::{Value, json};

const SCHEMA_ORG: &str = "https://schema.org";

/// JSON as the text of a script element: `<` escaped, so that no `</script>` can end it.
fn script_text(json: &str) -> String {
    if json.contains('<') { json.replace('<', "\\u003c") } else { json.to_string() }
}

#[derive(Serialize)]
struct NewsArticle<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@type")]
    kind: &'static str,
    headline: &'a str,
    description: &'a str,
    url: &'a str,
    #[serde(rename = "mainEntityOfPage")]
    main_entity_of_page: WebPage<'a>,
    #[serde(rename = "datePublished")]
    date_published: Option<String>,
    #[serde(rename = "dateModified")]
    date_modified: String,
    author: Vec<Person<'a>>,
    publisher: Publisher<'a>,
    #[serde(rename = "articleSection")]
    article_section: &'a str,
    keywords: Vec<&'a str>,
    #[serde(rename = "inLanguage")]
    in_language: &'a str,
    #[serde(rename = "isAccessibleForFree")]
    is_accessible_for_free: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    image: Vec<ImageObject>,
    #[serde(rename = "isBasedOn", skip_serializing_if = "Option::is_none")]
    is_based_on: Option<Vec<&'a str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    citation: Option<Vec<CreativeWork<'a>>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    correction: Vec<CorrectionComment<'a>>,
}

#[derive(Serialize)]
struct WebPage<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(rename = "@id")]
    id: &'a str,
}

#[derive(Serialize)]
struct Person<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'a str,
    url: String,
    #[serde(rename = "jobTitle")]
    job_title: &'a str,
}

#[derive(Serialize)]
struct Publisher<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'a str,
    url: String,
    logo: ImageObject,
}

#[derive(Serialize)]
struct ImageObject {
    #[serde(rename = "@type")]
    kind: &'static str,
    url: String,
    width: u32,
    height: u32,
}

#[derive(Serialize)]
struct CreativeWork<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'a str,
    url: String,
}

#[derive(Serialize)]
struct CorrectionComment<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    text: &'a str,
    #[serde(rename = "datePublished")]
    date_published: String,
}

/// The size of the default logo (`/static/logo.png`, or `logo.svg`), which the publisher's
/// logo names.
pub const LOGO_SIZE: (u32, u32) = (600, 60);

impl Renderer {
    fn publisher(&self) -> Value {
        json!({
            "@type": "NewsMediaOrganization",
            "name": self.site().title,
            "url": self.absolute("/"),
            "logo": {
                "@type": "ImageObject",
                "url": self.absolute(&self.logo_path),
                "width": LOGO_SIZE.0,
                "height": LOGO_SIZE.1,
            },
        })
    }

    /// `NewsArticle` and `BreadcrumbList` for an article page, as the text of its script
    /// element. Written from borrowed structs: built as `serde_json::Value`s first, it was 6%
    /// of a cold article page's processor time.
    pub fn article_jsonld(&self, a: &Article) -> String {
        let url = self.absolute(&a.path().unwrap_or_default());
        let image: Vec<ImageObject> = a
            .hero
            .iter()
            .flat_map(|h| {
                courant_media::CROPS.iter().map(move |(name, rw, rh)| {
                    let (width, height) = courant_media::crop_size(h.width, h.height, *rw, *rh);
                    let file = courant_media::crop_file_name(&h.file, name, h.focal.map(|f| (f.x, f.y)));
                    ImageObject { kind: "ImageObject", url: self.absolute(&media_url(&file)), width, height }
                })
            })
            .collect();
        let mut keywords: Vec<&str> = a.tags.iter().map(|t| t.name.as_str()).collect();
        keywords.dedup();
        let (logo_width, logo_height) = LOGO_SIZE;
        let article = NewsArticle {
            context: SCHEMA_ORG,
            kind: "NewsArticle",
            headline: &a.headline,
            description: &a.standfirst,
            url: &url,
            main_entity_of_page: WebPage { kind: "WebPage", id: &url },
            date_published: a.published_at.map(iso),
            date_modified: iso(a.updated_at),
            author: a
                .authors
                .iter()
                .map(|au| Person {
                    kind: "Person",
                    name: &au.name,
                    url: self.absolute(&author_url(&au.slug)),
                    job_title: &au.title,
                })
                .collect(),
            publisher: Publisher {
                kind: "NewsMediaOrganization",
                name: &self.site().title,
                url: self.absolute("/"),
                logo: ImageObject {
                    kind: "ImageObject",
                    url: self.absolute(&self.logo_path),
                    width: logo_width,
                    height: logo_height,
                },
            },
            article_section: &a.section.name,
            keywords,
            in_language: &self.site().locale,
            is_accessible_for_free: true,
            image,
            is_based_on: (!a.sources.is_empty())
                .then(|| a.sources.iter().map(|s| s.url.as_str()).filter(|u| !u.is_empty()).collect()),
            citation: (!a.sources.is_empty()).then(|| {
                a.sources
                    .iter()
                    .map(|s| CreativeWork {
                        kind: "CreativeWork",
                        name: &s.name,
                        url: self.absolute(&source_url(&s.slug)),
                    })
                    .collect()
            }),
            correction: a
                .corrections
                .iter()
                .map(|c| CorrectionComment {
                    kind: "CorrectionComment",
                    text: &c.text,
                    date_published: iso(c.published_at),
                })
                .collect(),
        };
        let mut crumbs = vec![(self.labels.home.clone(), self.absolute("/"))];
        crumbs.extend(a.section_path.iter().map(|s| (s.name.clone(), self.absolute(&section_url(&s.slug)))));
        crumbs.push((a.headline.clone(), url.clone()));
        let both = (article, breadcrumb_list(&crumbs));
        script_text(&serde_json::to_string(&both).unwrap_or_default())
    }

    /// `WebSite` and the publisher for the home page.
    pub fn home_jsonld(&self) -> Value {
        let mut publisher = self.publisher();
        publisher["@context"] = json!("https://schema.org");
        json!([
            {
                "@context": "https://schema.org",
                "@type": "WebSite",
                "name": self.site().title,
                "description": self.site().description,
                "url": self.absolute("/"),
                "inLanguage": self.site().locale,
                "potentialAction": {
                    "@type": "SearchAction",
                    "target": {"@type": "EntryPoint", "urlTemplate": format!("{}?q={{search_term_string}}", self.absolute("/search"))},
                    "query-input": "required name=search_term_string",
                },
            },
            publisher
        ])
    }

    /// `Person` for an author page.
    pub fn author_jsonld(&self, a: &Author) -> Value {
        let mut person = json!({
            "@context": "https://schema.org",
            "@type": "Person",
            "name": a.name,
            "jobTitle": a.title,
            "description": a.bio,
            "url": self.absolute(&author_url(&a.slug)),
            "worksFor": {"@type": "NewsMediaOrganization", "name": self.site().title, "url": self.absolute("/")},
        });
        if let Some(photo) = &a.photo {
            person["image"] = json!(self.absolute(&media_url(&photo.file)));
        }
        person
    }

    /// `BreadcrumbList` for a section page.
    pub fn section_breadcrumb_jsonld(&self, path: &[courant_core::Section]) -> Value {
        let mut crumbs = vec![(self.labels.home.clone(), self.absolute("/"))];
        crumbs.extend(path.iter().map(|s| (s.name.clone(), self.absolute(&section_url(&s.slug)))));
        breadcrumb_list(&crumbs)
    }
}

fn breadcrumb_list(crumbs: &[(String, String)]) -> Value {
    json!({
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": crumbs.iter().enumerate().map(|(i, (name, url))| json!({
            "@type": "ListItem", "position": i + 1, "name": name, "item": url
        })).collect::<Vec<_>>(),
    })
}

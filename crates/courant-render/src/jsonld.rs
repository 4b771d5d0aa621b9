//! Structured data (schema.org JSON-LD) for search engines: `NewsArticle` with its crops,
//! authors, publisher, sources and corrections; `BreadcrumbList` matching the visible
//! breadcrumb; `WebSite` for the home page; `Person` for author pages.

use crate::Renderer;
use crate::clock::iso;
use crate::view::{author_url, media_url, section_url, source_url};
use courant_core::{Article, Author};
use serde_json::{Value, json};

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

    /// `NewsArticle` and `BreadcrumbList` for an article page.
    pub fn article_jsonld(&self, a: &Article) -> Value {
        let url = self.absolute(&a.path().unwrap_or_default());
        let images: Vec<Value> = a
            .hero
            .iter()
            .flat_map(|h| {
                courant_media::CROPS.iter().map(move |(name, rw, rh)| {
                    let (w, h2) = courant_media::crop_size(h.width, h.height, *rw, *rh);
                    json!({
                        "@type": "ImageObject",
                        "url": self.absolute(&media_url(&courant_media::crop_file_name(&h.file, name, h.focal.map(|f| (f.x, f.y))))),
                        "width": w,
                        "height": h2,
                    })
                })
            })
            .collect();
        let authors: Vec<Value> = a
            .authors
            .iter()
            .map(|au| json!({"@type": "Person", "name": au.name, "url": self.absolute(&author_url(&au.slug)), "jobTitle": au.title}))
            .collect();
        let mut keywords: Vec<&str> = a.tags.iter().map(|t| t.name.as_str()).collect();
        keywords.dedup();
        let mut article = json!({
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": a.headline,
            "description": a.standfirst,
            "url": url,
            "mainEntityOfPage": {"@type": "WebPage", "@id": url},
            "datePublished": a.published_at.map(iso),
            "dateModified": iso(a.updated_at),
            "author": authors,
            "publisher": self.publisher(),
            "articleSection": a.section.name,
            "keywords": keywords,
            "inLanguage": self.site().locale,
            "isAccessibleForFree": true,
        });
        if !images.is_empty() {
            article["image"] = Value::Array(images);
        }
        if !a.sources.is_empty() {
            article["isBasedOn"] = a.sources.iter().map(|s| Value::String(s.url.clone())).filter(|u| u != "").collect();
            article["citation"] = a
                .sources
                .iter()
                .map(|s| json!({"@type": "CreativeWork", "name": s.name, "url": self.absolute(&source_url(&s.slug))}))
                .collect();
        }
        if !a.corrections.is_empty() {
            article["correction"] = a
                .corrections
                .iter()
                .map(|c| json!({"@type": "CorrectionComment", "text": c.text, "datePublished": iso(c.published_at)}))
                .collect();
        }
        let mut crumbs = vec![(self.labels.home.clone(), self.absolute("/"))];
        crumbs.extend(a.section_path.iter().map(|s| (s.name.clone(), self.absolute(&section_url(&s.slug)))));
        crumbs.push((a.headline.clone(), url));
        json!([article, breadcrumb_list(&crumbs)])
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

//! View models: what templates see. Built from the content model for one page, never rows, so a
//! template cannot reach past what the page is meant to show.

use crate::clock::{SiteClock, iso};
use crate::settings::Labels;
use courant_core::{ArticleSummary, Image, Section};
use serde::Serialize;
use std::fmt::Write;
use time::OffsetDateTime;

/// A link with its text.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Link {
    pub name: String,
    pub url: String,
}

/// An instant for a `<time>` element.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct TimeView {
    /// RFC 3339 in UTC, for the `datetime` attribute.
    pub iso: String,
    /// As readers read it, in the publication's zone.
    pub text: String,
}

/// A picture with its caption and credit.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Figure {
    pub src: String,
    /// Scaled copies for `srcset` (`url 640w, ...`), the original last; empty for small pictures.
    pub srcset: String,
    /// The same in WebP, offered first to browsers that read it; empty when `srcset` is.
    pub srcset_webp: String,
    pub width: u32,
    pub height: u32,
    pub alt: String,
    pub caption: String,
    pub credit: String,
}

/// A story in a list: headline, standfirst, thumbnail, time.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Teaser {
    pub url: String,
    pub headline: String,
    pub standfirst: String,
    pub section: Link,
    pub time: Option<TimeView>,
    pub image: Option<Figure>,
}

/// A story in a plain list of links ("Others are reading now", the latest, a section's most
/// read): no picture, so none of its sizes are worked out.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Listed {
    pub url: String,
    pub headline: String,
    pub time: Option<TimeView>,
}

/// Builds view models in the publication's time zone and language.
pub struct Views<'a> {
    pub clock: &'a SiteClock,
    pub labels: &'a Labels,
}

impl Views<'_> {
    pub fn time(&self, t: OffsetDateTime) -> TimeView {
        TimeView { iso: iso(t), text: self.clock.format(t, &self.labels.datetime_format, self.labels) }
    }

    pub fn date(&self, t: OffsetDateTime) -> TimeView {
        TimeView { iso: iso(t), text: self.clock.format(t, &self.labels.date_format, self.labels) }
    }

    pub fn teaser(&self, a: &ArticleSummary) -> Teaser {
        Teaser {
            url: a.path().unwrap_or_default(),
            headline: a.headline.clone(),
            standfirst: a.standfirst.clone(),
            section: Link { name: a.section_name.clone(), url: section_url(&a.section_slug) },
            time: a.published_at.map(|t| self.time(t)),
            image: a.hero.as_ref().map(figure),
        }
    }

    pub fn teasers(&self, list: &[ArticleSummary]) -> Vec<Teaser> {
        list.iter().map(|a| self.teaser(a)).collect()
    }

    /// A story as a link in a plain list (see [`Listed`]).
    pub fn listed(&self, a: &ArticleSummary) -> Listed {
        Listed {
            url: a.path().unwrap_or_default(),
            headline: a.headline.clone(),
            time: a.published_at.map(|t| self.time(t)),
        }
    }
}

pub fn figure(image: &Image) -> Figure {
    // Written into one string each: a page shows a dozen pictures, and a list of candidates
    // joined made some forty allocations for each.
    let srcset = |scaled: &dyn Fn(u32) -> String, full: &str| {
        let mut set = String::new();
        for w in courant_media::WIDTHS.iter().copied().filter(|w| *w < image.width) {
            if set.is_empty() {
                set.reserve(8 * (image.file.len() + 24));
            }
            let _ = write!(set, "{MEDIA}{} {w}w, ", scaled(w));
        }
        if !set.is_empty() {
            let _ = write!(set, "{MEDIA}{full} {}w", image.width);
        }
        set
    };
    let full_webp = if image.file.ends_with(".webp") {
        image.file.clone()
    } else {
        courant_media::webp_file_name(&image.file, None)
    };
    Figure {
        src: media_url(&image.file),
        srcset: srcset(&|w| courant_media::width_file_name(&image.file, w), &image.file),
        srcset_webp: srcset(&|w| courant_media::webp_file_name(&image.file, Some(w)), &full_webp),
        width: image.width,
        height: image.height,
        alt: image.alt.clone(),
        caption: image.caption.clone(),
        credit: image.credit.clone(),
    }
}

pub fn section_link(s: &Section) -> Link {
    Link { name: s.name.clone(), url: section_url(&s.slug) }
}

/// `/{slug}`: sections own the first path segment (their slugs avoid the site's own paths).
pub fn section_url(slug: &str) -> String {
    format!("/{slug}")
}

pub fn tag_url(slug: &str) -> String {
    format!("/tag/{slug}")
}

pub fn author_url(slug: &str) -> String {
    format!("/author/{slug}")
}

pub fn source_url(slug: &str) -> String {
    format!("/source/{slug}")
}

/// Where media files are served.
const MEDIA: &str = "/media/";

pub fn media_url(file: &str) -> String {
    format!("{MEDIA}{file}")
}

/// JSON for a `<script type="application/ld+json">` element: `<` is escaped so no value can
/// close the script element early.
pub fn script_json(value: &serde_json::Value) -> String {
    value.to_string().replace('<', "\\u003c")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    #[test]
    fn script_json_cannot_close_the_script() {
        let v = json!({"headline": "</script><script>alert(1)</script>"});
        let s = script_json(&v);
        assert!(!s.contains("</script"), "{s}");
        assert_eq!(serde_json::from_str::<Value>(&s).expect("still JSON"), v);
    }

    #[test]
    fn a_figure_offers_every_smaller_width_and_its_own() {
        let image = |width| Image {
            id: courant_core::ImageId(1),
            file: "ab/cdef.jpg".into(),
            width,
            height: 600,
            alt: String::new(),
            caption: String::new(),
            credit: String::new(),
            keywords: Vec::new(),
            focal: None,
        };
        let f = figure(&image(1000));
        assert_eq!(f.src, "/media/ab/cdef.jpg");
        assert_eq!(
            f.srcset,
            "/media/ab/cdef.jpg.w320.jpg 320w, /media/ab/cdef.jpg.w640.jpg 640w, \
             /media/ab/cdef.jpg.w960.jpg 960w, /media/ab/cdef.jpg 1000w"
        );
        assert_eq!(
            f.srcset_webp,
            "/media/ab/cdef.jpg.w320.webp 320w, /media/ab/cdef.jpg.w640.webp 640w, \
             /media/ab/cdef.jpg.w960.webp 960w, /media/ab/cdef.jpg.webp 1000w"
        );
        let small = figure(&image(320));
        assert_eq!((small.srcset.as_str(), small.srcset_webp.as_str()), ("", ""), "no width smaller than 320");
    }
}

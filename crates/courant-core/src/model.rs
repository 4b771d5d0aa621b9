//! The content model: articles and what they refer to (sections, authors, tags, sources,
//! images, corrections), their identifiers, statuses and the rules of status changes.

use serde::{Deserialize, Serialize};
use std::fmt;
use time::OffsetDateTime;

macro_rules! id_type {
    ($($(#[$doc:meta])* $name:ident),* $(,)?) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }
    )*};
}

id_type!(
    /// Identifies an article.
    ArticleId,
    /// Identifies a section.
    SectionId,
    /// Identifies an author profile.
    AuthorId,
    /// Identifies a tag.
    TagId,
    /// Identifies a source (agency or outlet).
    SourceId,
    /// Identifies a stored image.
    ImageId,
);

/// Where an article stands in its life. Only `Published` articles are shown to readers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Being written; visible to the newsroom only.
    Draft,
    /// Written and waiting for an editor's review.
    Review,
    /// Waiting for its publication time.
    Scheduled,
    /// Live on the site.
    Published,
    /// Taken down after publication; its URL answers 410 Gone.
    Unpublished,
}

impl Status {
    /// Every status, in workflow order.
    pub const ALL: [Status; 5] =
        [Status::Draft, Status::Review, Status::Scheduled, Status::Published, Status::Unpublished];

    /// The name stored in the database and used in URLs and forms.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::Review => "review",
            Status::Scheduled => "scheduled",
            Status::Published => "published",
            Status::Unpublished => "unpublished",
        }
    }

    /// The status as the newsroom names it to people.
    pub fn label(self) -> &'static str {
        match self {
            Status::Draft => "Draft",
            Status::Review => "In review",
            Status::Scheduled => "Scheduled",
            Status::Published => "Published",
            Status::Unpublished => "Unpublished",
        }
    }

    /// Parses a stored status name.
    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|st| st.as_str() == s)
    }

    /// Whether an article in this status may move to `next`.
    ///
    /// A published article is never sent back to draft (its URL is public; it is unpublished
    /// instead), and an unpublished one may be republished or reworked as a draft.
    pub fn can_become(self, next: Status) -> bool {
        use Status::*;
        matches!(
            (self, next),
            (Draft, Review | Scheduled | Published)
                | (Review, Draft | Scheduled | Published)
                | (Scheduled, Draft | Published)
                | (Published, Unpublished)
                | (Unpublished, Published | Draft)
        )
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A section of the publication. Sections form a tree (News > World).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Section {
    pub id: SectionId,
    pub slug: String,
    pub name: String,
    pub description: String,
    pub parent_id: Option<SectionId>,
    /// Order among its siblings, lowest first.
    pub position: i64,
}

/// A stored picture with what a reader and a search engine need to know about it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Image {
    pub id: ImageId,
    /// File name inside the media folder, e.g. `3f/3fa9c1d2e4b5.jpg`.
    pub file: String,
    pub width: u32,
    pub height: u32,
    /// Text alternative for readers who cannot see the picture.
    pub alt: String,
    pub caption: String,
    /// Who made it, as printed, e.g. "Photo: Agency name".
    pub credit: String,
    pub keywords: Vec<String>,
    /// The point crops keep in view, as fractions of width and height from the top left; the
    /// centre when unset.
    pub focal: Option<Focal>,
}

/// A point of a picture as fractions (0 to 1) of its width and height from the top left.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Focal {
    pub x: f32,
    pub y: f32,
}

impl Focal {
    /// A focal point, when both fractions are within the picture.
    pub fn new(x: f32, y: f32) -> Option<Focal> {
        ((0.0..=1.0).contains(&x) && (0.0..=1.0).contains(&y)).then_some(Focal { x, y })
    }
}

/// A writer's public profile: their byline.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Author {
    pub id: AuthorId,
    pub slug: String,
    pub name: String,
    /// Role as printed in the byline, e.g. "Political correspondent".
    pub title: String,
    pub bio: String,
    pub photo: Option<Image>,
}

/// A topic label shared by articles.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Tag {
    pub id: TagId,
    pub slug: String,
    pub name: String,
}

/// A named origin of reporting: a news agency or an outlet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Source {
    pub id: SourceId,
    pub slug: String,
    pub name: String,
    pub url: String,
    /// What kind of source it is: one of [`SOURCE_KINDS`].
    pub kind: String,
}

/// The kinds of sources, as stored.
pub const SOURCE_KINDS: &[&str] = &["agency", "newspaper", "broadcaster", "magazine", "online", "other"];

/// A dated note appended to a published article.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Correction {
    #[serde(with = "time::serde::rfc3339")]
    pub published_at: OffsetDateTime,
    pub text: String,
}

/// What lists and teasers show of an article.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ArticleSummary {
    pub id: ArticleId,
    pub slug: String,
    pub headline: String,
    pub standfirst: String,
    pub section_slug: String,
    pub section_name: String,
    pub status: Status,
    #[serde(with = "time::serde::rfc3339::option")]
    pub published_at: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
    pub hero: Option<Image>,
}

impl ArticleSummary {
    /// The public path of the article, when it has been published.
    pub fn path(&self) -> Option<String> {
        self.published_at.map(|at| article_path(&self.section_slug, at, &self.slug))
    }
}

/// An article with everything its page shows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Article {
    pub id: ArticleId,
    pub slug: String,
    pub headline: String,
    pub standfirst: String,
    /// The body in Markdown, as the writer typed it.
    pub body: String,
    pub hero: Option<Image>,
    pub section: Section,
    /// The section and its ancestors, root first, ending with `section`.
    pub section_path: Vec<Section>,
    /// Bylines in the order they are printed.
    pub authors: Vec<Author>,
    pub tags: Vec<Tag>,
    pub sources: Vec<Source>,
    /// Editor-pinned related articles ("Also read"), in the editor's order; published ones only.
    pub related: Vec<ArticleSummary>,
    pub status: Status,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    /// First publication; fixes the date in the article's URL.
    #[serde(with = "time::serde::rfc3339::option")]
    pub published_at: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
    /// Corrections, oldest first.
    pub corrections: Vec<Correction>,
}

impl Article {
    /// The public path of the article, when it has been published.
    pub fn path(&self) -> Option<String> {
        self.published_at.map(|at| article_path(&self.section.slug, at, &self.slug))
    }

    /// What lists and teasers show of the article.
    pub fn summary(&self) -> ArticleSummary {
        ArticleSummary {
            id: self.id,
            slug: self.slug.clone(),
            headline: self.headline.clone(),
            standfirst: self.standfirst.clone(),
            section_slug: self.section.slug.clone(),
            section_name: self.section.name.clone(),
            status: self.status,
            published_at: self.published_at,
            updated_at: self.updated_at,
            hero: self.hero.clone(),
        }
    }
}

/// The public path of an article: `/{section}/{yyyy}/{mm}/{dd}/{slug}`, dated by its first
/// publication (in UTC, so the URL never depends on the configured time zone).
pub fn article_path(section_slug: &str, published_at: OffsetDateTime, slug: &str) -> String {
    let d = published_at.to_offset(time::UtcOffset::UTC).date();
    format!("/{section_slug}/{:04}/{:02}/{:02}/{slug}", d.year(), u8::from(d.month()), d.day())
}

/// A new section, before the store gives it an id and a unique slug.
#[derive(Debug, Clone, Default)]
pub struct NewSection {
    /// Wanted slug; derived from `name` when absent.
    pub slug: Option<String>,
    pub name: String,
    pub description: String,
    pub parent_id: Option<SectionId>,
    pub position: i64,
}

/// A new author profile.
#[derive(Debug, Clone, Default)]
pub struct NewAuthor {
    pub slug: Option<String>,
    pub name: String,
    pub title: String,
    pub bio: String,
    pub photo_id: Option<ImageId>,
}

/// A new source.
#[derive(Debug, Clone, Default)]
pub struct NewSource {
    pub slug: Option<String>,
    pub name: String,
    pub url: String,
    /// One of [`SOURCE_KINDS`]; "other" when empty.
    pub kind: String,
}

/// A new image record for a file already written to the media folder.
#[derive(Debug, Clone, Default)]
pub struct NewImage {
    pub file: String,
    pub width: u32,
    pub height: u32,
    pub alt: String,
    pub caption: String,
    pub credit: String,
    pub keywords: Vec<String>,
}

/// A new article, as a writer or an importer hands it to the store.
#[derive(Debug, Clone)]
pub struct NewArticle {
    pub slug: Option<String>,
    pub headline: String,
    pub standfirst: String,
    pub body: String,
    pub hero_image_id: Option<ImageId>,
    pub section_id: SectionId,
    pub author_ids: Vec<AuthorId>,
    pub tag_ids: Vec<TagId>,
    pub source_ids: Vec<SourceId>,
    pub related_ids: Vec<ArticleId>,
    pub status: Status,
    pub created_at: OffsetDateTime,
    /// Required when `status` is published, scheduled or unpublished.
    pub published_at: Option<OffsetDateTime>,
    pub updated_at: OffsetDateTime,
}

/// A field that failed validation and why, in words a writer understands.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct Invalid {
    pub field: &'static str,
    pub message: String,
}

impl Invalid {
    fn new(field: &'static str, message: impl Into<String>) -> Self {
        Invalid { field, message: message.into() }
    }
}

/// The longest headline we accept, in characters.
pub const MAX_HEADLINE_CHARS: usize = 300;

impl NewArticle {
    /// Checks what the store cannot: non-empty text, at least one author, a publication date
    /// for anything that has been or will be public.
    pub fn validate(&self) -> Result<(), Invalid> {
        if self.headline.trim().is_empty() {
            return Err(Invalid::new("headline", "a headline is required"));
        }
        if self.headline.chars().count() > MAX_HEADLINE_CHARS {
            return Err(Invalid::new("headline", format!("at most {MAX_HEADLINE_CHARS} characters")));
        }
        if self.author_ids.is_empty() {
            return Err(Invalid::new("authors", "at least one author is required"));
        }
        if matches!(self.status, Status::Published | Status::Scheduled | Status::Unpublished)
            && self.published_at.is_none()
        {
            return Err(Invalid::new("published_at", "a publication date is required"));
        }
        if let Some(slug) = &self.slug
            && !crate::slug::is_valid_slug(slug)
        {
            return Err(Invalid::new("slug", "use lowercase letters, digits and single hyphens"));
        }
        let mut seen = std::collections::HashSet::new();
        if !self.author_ids.iter().all(|a| seen.insert(*a)) {
            return Err(Invalid::new("authors", "an author is listed twice"));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn status_round_trips_and_transitions() {
        for s in Status::ALL {
            assert_eq!(Status::parse(s.as_str()), Some(s));
        }
        assert!(Status::Draft.can_become(Status::Published));
        assert!(Status::Published.can_become(Status::Unpublished));
        assert!(!Status::Published.can_become(Status::Draft));
        assert!(!Status::Draft.can_become(Status::Unpublished));
        assert_eq!(Status::parse("live"), None);
    }

    #[test]
    fn article_path_uses_utc_date() {
        let at = datetime!(2026-11-24 23:30 -02:00);
        assert_eq!(article_path("world", at, "a-story"), "/world/2026/11/25/a-story");
    }

    fn draft() -> NewArticle {
        let now = datetime!(2026-11-24 10:00 UTC);
        NewArticle {
            slug: None,
            headline: "Harbour reopens".into(),
            standfirst: String::new(),
            body: String::new(),
            hero_image_id: None,
            section_id: SectionId(1),
            author_ids: vec![AuthorId(1)],
            tag_ids: vec![],
            source_ids: vec![],
            related_ids: vec![],
            status: Status::Draft,
            created_at: now,
            published_at: None,
            updated_at: now,
        }
    }

    #[test]
    fn validation_names_the_field() {
        assert!(draft().validate().is_ok());
        let mut a = draft();
        a.headline = "   ".into();
        assert_eq!(a.validate().unwrap_err().field, "headline");
        let mut a = draft();
        a.status = Status::Published;
        assert_eq!(a.validate().unwrap_err().field, "published_at");
        let mut a = draft();
        a.author_ids.clear();
        assert_eq!(a.validate().unwrap_err().field, "authors");
        let mut a = draft();
        a.slug = Some("Bad Slug".into());
        assert_eq!(a.validate().unwrap_err().field, "slug");
    }
}

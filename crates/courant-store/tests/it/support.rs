//! Shared set-up: a fresh store per test, a small publication to fill it with, and assertions on
//! the store's errors.
//!
//! Tests never call `Store::open` themselves: they go through [`TestStore`], so that another
//! backend can run the whole suite by changing [`backend`] and [`TestStore`] only.

#![allow(dead_code)] // not every test module uses every helper

use courant_core::*;
use courant_store::{ArticleFilter, Counts, Page, Store, StoreError};
use std::fmt::Debug;
use time::macros::datetime;
use time::{Duration, OffsetDateTime};

pub use courant_store::testing::{Backend, TestStore, backend, postgres_schema};

// =============================================================================================
// Time
// =============================================================================================

/// When fixture articles are created; every other fixture time is later.
pub const T0: OffsetDateTime = datetime!(2026-11-02 08:00 UTC);

/// `hours` after [`T0`], in UTC, to the second (so it survives storage unchanged).
pub fn at_hour(hours: i64) -> OffsetDateTime {
    T0 + Duration::hours(hours)
}

// =============================================================================================
// Fixture: a small publication
// =============================================================================================

/// Sections `News > World > Europe`, `News > Politics` and `Sport`; two images; two authors
/// (Anna with a portrait, Ben without); three tags; two sources.
#[derive(Debug, Clone)]
pub struct Fixture {
    pub news: Section,
    pub world: Section,
    pub europe: Section,
    pub politics: Section,
    pub sport: Section,
    pub hero: Image,
    pub portrait: Image,
    pub anna: Author,
    pub ben: Author,
    pub rail: Tag,
    pub budget: Tag,
    pub climate: Tag,
    pub wire: Source,
    pub gazette: Source,
}

impl Fixture {
    /// What `counts()` reports right after [`fixture`], before any article.
    pub fn counts(&self) -> Counts {
        Counts { sections: 5, images: 2, authors: 2, tags: 3, sources: 2, ..Counts::default() }
    }

    /// The sections in the order `sections()` must give them: depth first, siblings by position.
    pub fn sections_in_tree_order(&self) -> Vec<Section> {
        vec![self.news.clone(), self.world.clone(), self.europe.clone(), self.politics.clone(), self.sport.clone()]
    }
}

/// Inserts a section, panicking with context on failure.
pub async fn section(store: &Store, name: &str, parent: Option<SectionId>, position: i64) -> Section {
    store
        .insert_section(NewSection {
            slug: None,
            name: name.to_string(),
            description: format!("All about {name}"),
            parent_id: parent,
            position,
        })
        .await
        .unwrap_or_else(|e| panic!("insert section {name:?}: {e}"))
}

/// Inserts an author, panicking with context on failure.
pub async fn author(store: &Store, name: &str, photo: Option<ImageId>) -> Author {
    store
        .insert_author(NewAuthor {
            slug: None,
            name: name.to_string(),
            title: format!("{name}, correspondent"),
            bio: format!("{name} writes for Courant."),
            photo_id: photo,
        })
        .await
        .unwrap_or_else(|e| panic!("insert author {name:?}: {e}"))
}

/// Inserts a source, panicking with context on failure.
pub async fn source(store: &Store, name: &str, url: &str) -> Source {
    store
        .insert_source(NewSource { name: name.to_string(), url: url.to_string(), ..NewSource::default() })
        .await
        .unwrap_or_else(|e| panic!("insert source {name:?}: {e}"))
}

/// Gets or creates a tag, panicking with context on failure.
pub async fn tag(store: &Store, name: &str) -> Tag {
    store.tag_named(name).await.unwrap_or_else(|e| panic!("tag_named({name:?}): {e}"))
}

/// Fills `store` with the [`Fixture`]. Sections are inserted out of tree order on purpose.
pub async fn fixture(store: &Store) -> Fixture {
    let news = section(store, "News", None, 0).await;
    let sport = section(store, "Sport", None, 1).await;
    let politics = section(store, "Politics", Some(news.id), 1).await;
    let world = section(store, "World", Some(news.id), 0).await;
    let europe = section(store, "Europe", Some(world.id), 0).await;

    let hero = store
        .insert_image(NewImage {
            file: "3f/3fa9c1d2e4b5.jpg".into(),
            width: 1600,
            height: 900,
            alt: "Ferries moored along the harbour wall".into(),
            caption: "The harbour reopened on Monday.".into(),
            credit: "Photo: Courant Wire".into(),
            keywords: vec!["harbour".into(), "ferry".into(), "storm".into()],
        })
        .await
        .expect("insert hero image");
    let portrait = store
        .insert_image(NewImage {
            file: "a1/a1b2c3d4e5f6.jpg".into(),
            width: 400,
            height: 400,
            alt: "Anna Petrova".into(),
            caption: String::new(),
            credit: "Photo: Courant".into(),
            keywords: vec!["portrait".into()],
        })
        .await
        .expect("insert portrait image");

    let anna = author(store, "Anna Petrova", Some(portrait.id)).await;
    let ben = author(store, "Ben Okafor", None).await;

    let rail = tag(store, "Rail strikes").await;
    let budget = tag(store, "Budget 2027").await;
    let climate = tag(store, "Climate").await;

    let wire = source(store, "Courant Wire", "https://wire.example.org").await;
    let gazette = source(store, "Harbour Gazette", "").await;

    Fixture { news, world, europe, politics, sport, hero, portrait, anna, ben, rail, budget, climate, wire, gazette }
}

// =============================================================================================
// Articles
// =============================================================================================

/// A draft in World by Anna, with no links, created at [`T0`].
pub fn new_draft(f: &Fixture, headline: &str) -> NewArticle {
    NewArticle {
        slug: None,
        headline: headline.to_string(),
        standfirst: String::new(),
        body: format!("Body of {headline}."),
        hero_image_id: None,
        section_id: f.world.id,
        author_ids: vec![f.anna.id],
        tag_ids: vec![],
        source_ids: vec![],
        related_ids: vec![],
        status: Status::Draft,
        created_at: T0,
        published_at: None,
        updated_at: T0,
    }
}

/// Like [`new_draft`], published (and last updated) at `at`.
pub fn new_published(f: &Fixture, headline: &str, at: OffsetDateTime) -> NewArticle {
    NewArticle { status: Status::Published, published_at: Some(at), updated_at: at, ..new_draft(f, headline) }
}

/// Inserts one article, panicking with context on failure.
pub async fn insert(store: &Store, new: &NewArticle) -> ArticleId {
    store.insert_article(new).await.unwrap_or_else(|e| panic!("insert article {:?}: {e}", new.headline))
}

/// The whole article; panics when it is missing.
pub async fn load(store: &Store, id: ArticleId) -> Article {
    store
        .article(id)
        .await
        .unwrap_or_else(|e| panic!("read article {id}: {e}"))
        .unwrap_or_else(|| panic!("article {id} should exist"))
}

/// The current slug of an article.
pub async fn slug_of(store: &Store, id: ArticleId) -> String {
    load(store, id).await.slug
}

/// The article currently at `slug`, if any, by id.
pub async fn id_at_slug(store: &Store, slug: &str) -> Option<ArticleId> {
    store.article_by_slug(slug).await.unwrap_or_else(|e| panic!("article_by_slug({slug:?}): {e}")).map(|a| a.id)
}

pub async fn counts(store: &Store) -> Counts {
    store.counts().await.expect("counts")
}

/// The ids of a page's items, in order.
pub fn ids(page: &Page<ArticleSummary>) -> Vec<ArticleId> {
    page.items.iter().map(|a| a.id).collect()
}

/// Every published article matching `filter`, in listing order; checks `total` agrees.
pub async fn listed(store: &Store, filter: &ArticleFilter) -> Vec<ArticleId> {
    let page = store.published(filter, 1000, 0).await.unwrap_or_else(|e| panic!("published({filter:?}): {e}"));
    let got = ids(&page);
    assert_eq!(page.total, got.len() as i64, "total of {filter:?} disagrees with its items {got:?}");
    got
}

/// `root` and all its descendants: what a section page lists.
pub fn subtree(sections: &[Section], root: SectionId) -> Vec<SectionId> {
    let mut out = vec![root];
    let mut i = 0;
    while i < out.len() {
        let parent = out[i];
        out.extend(sections.iter().filter(|s| s.parent_id == Some(parent)).map(|s| s.id));
        i += 1;
    }
    out
}

// =============================================================================================
// Error assertions
// =============================================================================================

/// Asserts `result` is `StoreError::Invalid` naming `field`.
#[track_caller]
pub fn assert_invalid<T: Debug>(result: Result<T, StoreError>, field: &str) {
    match result {
        Err(StoreError::Invalid(invalid)) => {
            assert_eq!(invalid.field, field, "rejected, but for the wrong field: {invalid}");
            assert!(!invalid.message.is_empty(), "Invalid on {field:?} should explain itself");
        }
        other => panic!("expected StoreError::Invalid on field {field:?}, got {other:?}"),
    }
}

/// Asserts `result` is `StoreError::NotFound` whose description mentions `what`.
#[track_caller]
pub fn assert_not_found<T: Debug>(result: Result<T, StoreError>, what: &str) {
    match result {
        Err(StoreError::NotFound(missing)) => {
            assert!(missing.contains(what), "NotFound({missing:?}) should mention {what:?}");
        }
        other => panic!("expected StoreError::NotFound mentioning {what:?}, got {other:?}"),
    }
}

/// Asserts `result` is `StoreError::Transition { from, to }`.
#[track_caller]
pub fn assert_transition<T: Debug>(result: Result<T, StoreError>, from: Status, to: Status) {
    match result {
        Err(StoreError::Transition { from: f, to: t }) => {
            assert_eq!((f, t), (from, to), "Transition error names the wrong statuses");
        }
        other => {
            panic!("expected StoreError::Transition {{ from: {from}, to: {to} }}, got {other:?}")
        }
    }
}

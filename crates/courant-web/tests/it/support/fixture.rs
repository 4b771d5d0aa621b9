//! The hand-made fixture: content of known values (sections, an author, sources, tags, a main
//! article with its related stories, hostile markup, a withdrawn story, a draft, a renamed story
//! and an archive) inserted through the store's API after the demo, and the constants the tests
//! assert it by.

#![allow(dead_code)]

use courant_core::{
    Article, ArticleId, Author, AuthorId, Image, ImageId, NewArticle, NewAuthor, NewImage, NewSection, NewSource,
    Section, SectionId, Source, SourceId, Status, Tag, TagId, article_path,
};
use courant_store::{ArticleFilter, Store};
use time::OffsetDateTime;
use time::macros::datetime;

/// Stories in the demo part of the publication.
pub const DEMO_ARTICLES: usize = 40;
/// The demo's "now": every demo story is published before it. Fixed, so runs are reproducible.
pub const DEMO_NOW: OffsetDateTime = datetime!(2026-11-20 06:00 UTC);

pub const MAIN_HEADLINE: &str = "Harbour cranes return to the old port";
pub const MAIN_STANDFIRST: &str =
    "Three cranes are back on the quay after a decade away, and the first ships are booked for January.";
pub const MAIN_PUBLISHED: OffsetDateTime = datetime!(2026-11-20 09:00 UTC);
pub const MAIN_PUBLISHED_ISO: &str = "2026-11-20T09:00:00Z";
/// Three hours after publication (the correction's time).
pub const MAIN_UPDATED: OffsetDateTime = datetime!(2026-11-20 12:00 UTC);
pub const MAIN_UPDATED_ISO: &str = "2026-11-20T12:00:00Z";
pub const HERO_ALT: &str = "Three yellow cranes on a quay under a pale sky";
pub const HERO_CAPTION: &str = "Cranes at dawn over the old port";
pub const HERO_CREDIT: &str = "Photo: Test Agency";
pub const SUBHEADINGS: [&str; 2] = ["Why the cranes left", "What happens next"];
pub const LIST_ITEMS: [&str; 3] = [
    "Two cranes come from the deep-water terminal.",
    "One crane was rebuilt in the city yard.",
    "A fourth will follow in the spring.",
];
pub const QUOTE_TEXT: &str = "The cranes are the heartbeat of this port, and today it beats again.";
pub const QUOTE_ATTRIBUTION: &str = "Ines Duarte, harbour master";
pub const CORRECTION: &str =
    "An earlier version of this article named the wrong quay. The cranes stand on the North Quay.";
/// Paragraphs in the main article's body.
pub const MAIN_PARAGRAPHS: usize = 9;

pub const AUTHOR_NAME: &str = "Marta Quill";
pub const AUTHOR_TITLE: &str = "Harbour correspondent";
pub const AUTHOR_BIO: &str = "Marta Quill has covered the port and its people since 2015.";

/// Stories in the "Fixture Archive" section: more than one listing page (20 a page).
pub const ARCHIVE_STORIES: usize = 25;

/// The main article's body: nine paragraphs, two subheadings, a list and an attributed quote;
/// the second paragraph is followed by a third, so the first "Also read" box fits after it.
pub fn main_body() -> String {
    format!(
        "The first cranes in a decade rolled back onto the quay of the old port on Thursday morning.\n\n\
         Port officials said the cranes would start work next week, once inspectors approve the new rails.\n\n\
         The return follows three years of talks between the city, the port authority and the shipping lines.\n\n\
         ## {h1}\n\n\
         The cranes were taken away when the container trade moved to the deep-water terminal down the coast.\n\n\
         - {l1}\n- {l2}\n- {l3}\n\n\
         Residents gathered on the harbour wall to watch the first crane being lifted into place.\n\n\
         > {quote}\n>\n> — {attribution}\n\n\
         Not everyone welcomed the move: some neighbours fear noise at night.\n\n\
         ## {h2}\n\n\
         The port authority will publish a timetable for night work before the end of the month.\n\n\
         Shipping lines have already booked the first berths for January.\n\n\
         The city council will review the arrangement after a year.",
        h1 = SUBHEADINGS[0],
        h2 = SUBHEADINGS[1],
        l1 = LIST_ITEMS[0],
        l2 = LIST_ITEMS[1],
        l3 = LIST_ITEMS[2],
        quote = QUOTE_TEXT,
        attribution = QUOTE_ATTRIBUTION,
    )
}

/// A body that tries every trick a hostile writer or a compromised import could.
pub const HOSTILE_BODY: &str = "An ordinary first paragraph.\n\n\
<script>alert(1)</script>\n\n\
Look <img src=x onerror=alert(1)> here and [click](javascript:alert(1)) now.\n\n\
<iframe src=\"https://evil.example/\"></iframe>\n\n\
<a href=\"https://example.org/\" onclick=\"alert(1)\">a link with a handler</a>\n\n\
A closing paragraph.";

/// Content inserted by the tests themselves, so that assertions can name exact values.
#[derive(Debug, Clone)]
pub struct Fixture {
    /// "Fixture News", top level.
    pub news: Section,
    /// "Fixture World", child of `news`.
    pub world: Section,
    /// "Fixture Archive", top level, holding [`ARCHIVE_STORIES`] stories.
    pub archive: Section,
    /// The fixture's own author (with a photo and a known title).
    pub author: Author,
    /// The demo author who co-signs the main article.
    pub co_author: Author,
    /// Sources A and B, in the main article's order.
    pub sources: Vec<Source>,
    /// Tags A and B, in the main article's order.
    pub tags: Vec<Tag>,
    /// The three related stories, in the editor's order.
    pub related: Vec<Article>,
    pub related_paths: Vec<String>,
    /// The main article as stored (after its correction).
    pub main: Article,
    pub main_path: String,
    pub hostile_path: String,
    pub unpublished_path: String,
    pub draft_slug: String,
    /// Where the draft would live if it were published today.
    pub draft_guess_path: String,
    pub renamed_old_slug: String,
    pub renamed_old_path: String,
    pub renamed_new_path: String,
    /// Archive stories, newest first.
    pub archive_paths: Vec<String>,
    /// Published stories filed in `news` or `world`.
    pub news_paths: Vec<String>,
    /// Published stories by `author`.
    pub author_paths: Vec<String>,
    /// Published stories per tag, same order as `tags`.
    pub tag_paths: Vec<Vec<String>>,
    /// Published stories per source, same order as `sources`.
    pub source_paths: Vec<Vec<String>>,
}

impl Fixture {
    /// Inserts the fixture through the store's API, after the demo.
    pub(super) async fn build(store: &Store) -> Fixture {
        let newest = store.published(&ArticleFilter::All, 1, 0).await.expect("list the demo's stories").items;
        let demo_hero: Image =
            newest.first().and_then(|a| a.hero.clone()).expect("the demo's newest story has a hero picture to borrow");
        let co_author = store
            .authors()
            .await
            .expect("list the demo's authors")
            .into_iter()
            .find(|a| a.photo.is_some())
            .expect("the demo has an author with a portrait");
        let portrait = co_author.photo.clone().expect("checked above");

        let news = section(store, "fixture-news", "Fixture News", None, 100).await;
        let world = section(store, "fixture-world", "Fixture World", Some(news.id), 0).await;
        let archive = section(store, "fixture-archive", "Fixture Archive", None, 101).await;

        let photo = store
            .insert_image(NewImage {
                file: portrait.file.clone(),
                width: portrait.width,
                height: portrait.height,
                alt: format!("Portrait of {AUTHOR_NAME}"),
                caption: String::new(),
                credit: HERO_CREDIT.into(),
                keywords: vec!["portrait".into()],
            })
            .await
            .expect("insert the fixture author's photo");
        let author = store
            .insert_author(NewAuthor {
                slug: Some("marta-quill".into()),
                name: AUTHOR_NAME.into(),
                title: AUTHOR_TITLE.into(),
                bio: AUTHOR_BIO.into(),
                photo_id: Some(photo.id),
            })
            .await
            .expect("insert the fixture author");

        let source_a = store
            .insert_source(NewSource {
                slug: Some("fixture-wire".into()),
                name: "Fixture Wire".into(),
                url: "https://wire.example.org".into(),
                kind: "agency".into(),
            })
            .await
            .expect("insert source A");
        let source_b = store
            .insert_source(NewSource {
                slug: Some("harbour-herald-fixture".into()),
                name: "Harbour Herald".into(),
                url: "https://herald.example.org/news".into(),
                kind: "newspaper".into(),
            })
            .await
            .expect("insert source B");
        // Names no demo topic uses, so that their listings hold the fixture's stories only.
        let tag_a = store.tag_named("Fixture cranes").await.expect("create tag A");
        let tag_b = store.tag_named("Fixture quays").await.expect("create tag B");

        // Three related stories, in the editor's order. The third is dated after the demo's
        // newest story and before the main article, so it heads the "Latest" box of the main page.
        let related_specs = [
            ("Dockworkers vote on a new shift pattern", world.id, datetime!(2026-11-18 10:00 UTC)),
            ("Old port museum extends its opening hours", news.id, datetime!(2026-11-19 10:00 UTC)),
            ("Ferry operator adds winter crossings", world.id, datetime!(2026-11-20 07:00 UTC)),
        ];
        let mut related = Vec::new();
        for (headline, section_id, at) in related_specs {
            let hero = hero_image(store, &demo_hero, &format!("Picture for {headline}")).await;
            let mut new = story(headline, section_id, vec![author.id], hero.id, Status::Published, Some(at));
            new.tag_ids = vec![tag_a.id];
            new.source_ids = vec![source_a.id];
            related.push(insert(store, &new).await);
        }
        let related_paths: Vec<String> = related.iter().map(path_of).collect();

        // The main article.
        let main_hero = store
            .insert_image(NewImage {
                file: demo_hero.file.clone(),
                width: demo_hero.width,
                height: demo_hero.height,
                alt: HERO_ALT.into(),
                caption: HERO_CAPTION.into(),
                credit: HERO_CREDIT.into(),
                keywords: vec!["port".into(), "cranes".into()],
            })
            .await
            .expect("insert the main article's hero image");
        let main_new = NewArticle {
            slug: None,
            headline: MAIN_HEADLINE.into(),
            standfirst: MAIN_STANDFIRST.into(),
            body: main_body(),
            hero_image_id: Some(main_hero.id),
            section_id: world.id,
            author_ids: vec![author.id, co_author.id],
            tag_ids: vec![tag_a.id, tag_b.id],
            source_ids: vec![source_a.id, source_b.id],
            related_ids: related.iter().map(|a| a.id).collect(),
            status: Status::Published,
            created_at: MAIN_PUBLISHED - time::Duration::hours(1),
            published_at: Some(MAIN_PUBLISHED),
            updated_at: MAIN_UPDATED,
        };
        let main_id = store.insert_article(&main_new).await.expect("insert the main article");
        store.add_correction(main_id, CORRECTION, MAIN_UPDATED).await.expect("add the correction");
        let main = load(store, main_id).await;
        let main_path = path_of(&main);

        // Hostile markup.
        let hostile_hero = hero_image(store, &demo_hero, "Picture for the hostile story").await;
        let mut hostile_new = story(
            "Hostile markup stays inert",
            world.id,
            vec![author.id],
            hostile_hero.id,
            Status::Published,
            Some(datetime!(2026-11-19 08:00 UTC)),
        );
        hostile_new.body = HOSTILE_BODY.into();
        hostile_new.tag_ids = vec![tag_b.id];
        let hostile = insert(store, &hostile_new).await;
        let hostile_path = path_of(&hostile);

        // Published, then withdrawn: its URL answers 410.
        let gone_hero = hero_image(store, &demo_hero, "Picture for the withdrawn story").await;
        let gone = insert(
            store,
            &story(
                "Lighthouse keeper story withdrawn",
                world.id,
                vec![author.id],
                gone_hero.id,
                Status::Published,
                Some(datetime!(2026-11-17 08:00 UTC)),
            ),
        )
        .await;
        store
            .set_status(gone.id, Status::Unpublished, datetime!(2026-11-18 08:00 UTC))
            .await
            .expect("unpublish the withdrawn story");
        let gone = load(store, gone.id).await;
        assert_eq!(gone.status, Status::Unpublished, "fixture: the withdrawn story should be unpublished");
        let unpublished_path = gone.path().expect("an unpublished story keeps its first publication date");

        // A draft: never public.
        let draft_hero = hero_image(store, &demo_hero, "Picture for the draft").await;
        let draft = insert(
            store,
            &story("Unfinished draft about the quay", world.id, vec![author.id], draft_hero.id, Status::Draft, None),
        )
        .await;
        let draft_guess_path = article_path(&world.slug, MAIN_PUBLISHED, &draft.slug);

        // Published under one slug, then renamed: the old URL redirects.
        let renamed_hero = hero_image(store, &demo_hero, "Picture for the renamed story").await;
        let mut renamed_new = story(
            "Ferry timetable changes for winter",
            world.id,
            vec![author.id],
            renamed_hero.id,
            Status::Published,
            Some(datetime!(2026-11-16 08:00 UTC)),
        );
        renamed_new.slug = Some("ferry-timetable-changes".into());
        let renamed = insert(store, &renamed_new).await;
        let renamed_old_slug = renamed.slug.clone();
        let renamed_old_path = path_of(&renamed);
        store.rename_slug(renamed.id, "ferry-timetable-winter-changes").await.expect("rename the story's slug");
        let renamed = load(store, renamed.id).await;
        let renamed_new_path = path_of(&renamed);
        assert_ne!(renamed_old_path, renamed_new_path, "fixture: renaming must change the path");

        // The archive: more than one page of stories, by the demo author only.
        let archive_hero = hero_image(store, &demo_hero, "Picture for the archive").await;
        let archive_new: Vec<NewArticle> = (1..=ARCHIVE_STORIES)
            .map(|i| {
                story(
                    &format!("Archive story number {i}"),
                    archive.id,
                    vec![co_author.id],
                    archive_hero.id,
                    Status::Published,
                    Some(datetime!(2026-10-01 08:00 UTC) + time::Duration::hours(i as i64)),
                )
            })
            .collect();
        let archive_ids = store.insert_articles(&archive_new).await.expect("insert the archive stories");
        let mut archive_paths = Vec::new();
        for id in archive_ids.into_iter().rev() {
            archive_paths.push(path_of(&load(store, id).await));
        }

        // Newest first, as listings show them.
        let news_paths = vec![
            main_path.clone(),
            related_paths[2].clone(),
            related_paths[1].clone(),
            hostile_path.clone(),
            related_paths[0].clone(),
            renamed_new_path.clone(),
        ];
        let author_paths = news_paths.clone();
        // Newest first, as listings show them.
        let mut tag_a_paths = vec![main_path.clone()];
        tag_a_paths.extend(related_paths.iter().rev().cloned());
        let tag_paths = vec![tag_a_paths.clone(), vec![main_path.clone(), hostile_path.clone()]];
        let source_paths = vec![tag_a_paths, vec![main_path.clone()]];

        Fixture {
            news,
            world,
            archive,
            author,
            co_author,
            sources: vec![source_a, source_b],
            tags: vec![tag_a, tag_b],
            related,
            related_paths,
            main,
            main_path,
            hostile_path,
            unpublished_path,
            draft_slug: draft.slug.clone(),
            draft_guess_path,
            renamed_old_slug,
            renamed_old_path,
            renamed_new_path,
            archive_paths,
            news_paths,
            author_paths,
            tag_paths,
            source_paths,
        }
    }
}

async fn section(store: &Store, slug: &str, name: &str, parent_id: Option<SectionId>, position: i64) -> Section {
    store
        .insert_section(NewSection {
            slug: Some(slug.into()),
            name: name.into(),
            description: format!("Stories of the {name} test section."),
            parent_id,
            position,
        })
        .await
        .unwrap_or_else(|e| panic!("insert section {name}: {e}"))
}

/// A new image record for the demo picture `like`, with its own caption and credit.
async fn hero_image(store: &Store, like: &Image, caption: &str) -> Image {
    store
        .insert_image(NewImage {
            file: like.file.clone(),
            width: like.width,
            height: like.height,
            alt: format!("Illustration: {caption}"),
            caption: caption.into(),
            credit: HERO_CREDIT.into(),
            keywords: Vec::new(),
        })
        .await
        .unwrap_or_else(|e| panic!("insert image {caption:?}: {e}"))
}

/// A simple story: three paragraphs.
fn story(
    headline: &str,
    section_id: SectionId,
    author_ids: Vec<AuthorId>,
    hero: ImageId,
    status: Status,
    published_at: Option<OffsetDateTime>,
) -> NewArticle {
    let at = published_at.unwrap_or(DEMO_NOW);
    NewArticle {
        slug: None,
        headline: headline.into(),
        standfirst: format!("What to know about this: {headline}."),
        body: format!("{headline}: the first paragraph.\n\nThe second paragraph.\n\nThe third paragraph."),
        hero_image_id: Some(hero),
        section_id,
        author_ids,
        tag_ids: Vec::<TagId>::new(),
        source_ids: Vec::<SourceId>::new(),
        related_ids: Vec::<ArticleId>::new(),
        status,
        created_at: at - time::Duration::hours(2),
        published_at,
        updated_at: at,
    }
}

async fn insert(store: &Store, new: &NewArticle) -> Article {
    let id = store.insert_article(new).await.unwrap_or_else(|e| panic!("insert article {:?}: {e}", new.headline));
    load(store, id).await
}

async fn load(store: &Store, id: ArticleId) -> Article {
    store
        .article(id)
        .await
        .unwrap_or_else(|e| panic!("load article {id}: {e}"))
        .unwrap_or_else(|| panic!("article {id} was just inserted but cannot be found"))
}

fn path_of(a: &Article) -> String {
    a.path().unwrap_or_else(|| panic!("fixture article {:?} should be published and have a path", a.headline))
}

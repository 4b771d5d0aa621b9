//! Sections, authors, tags, sources and images, and the counts of everything.

use crate::support::*;
use courant_core::*;
use courant_store::{Counts, section_path};

#[tokio::test]
async fn sections_come_back_in_tree_order() {
    let t = TestStore::new().await;
    let f = fixture(&t).await; // inserted as News, Sport, Politics, World, Europe
    let sections = t.sections().await.expect("sections");
    let slugs: Vec<&str> = sections.iter().map(|s| s.slug.as_str()).collect();
    assert_eq!(
        slugs,
        ["news", "world", "europe", "politics", "sport"],
        "parents before children, siblings by position"
    );
    assert_eq!(sections, f.sections_in_tree_order(), "sections() gives back what insert_section returned");
    assert_eq!(f.europe.parent_id, Some(f.world.id));
    assert_eq!(f.europe.description, "All about Europe");
}

#[tokio::test]
async fn section_path_runs_root_first() {
    let t = TestStore::new().await;
    let f = fixture(&t).await;
    let sections = t.sections().await.expect("sections");
    assert_eq!(section_path(&sections, f.europe.id), vec![f.news.clone(), f.world.clone(), f.europe.clone()]);
    assert_eq!(section_path(&sections, f.politics.id), vec![f.news.clone(), f.politics.clone()]);
    assert_eq!(section_path(&sections, f.sport.id), vec![f.sport.clone()], "a root section is its own path");
    assert!(section_path(&sections, SectionId(999_999)).is_empty(), "an unknown section has no path");
}

#[tokio::test]
async fn section_inserts_are_checked() {
    let t = TestStore::new().await;
    let f = fixture(&t).await;

    for name in ["", "   "] {
        let result = t.insert_section(NewSection { name: name.into(), ..NewSection::default() }).await;
        assert_invalid(result, "name");
    }
    let orphan = t
        .insert_section(NewSection {
            name: "Orphan".into(),
            parent_id: Some(SectionId(999_999)),
            ..NewSection::default()
        })
        .await;
    assert_not_found(orphan, "parent");
    assert_eq!(counts(&t).await.sections, 5, "rejected sections are not stored");

    let wanted = t
        .insert_section(NewSection {
            slug: Some("opinion".into()),
            name: "Comment & analysis".into(),
            description: "Views".into(),
            parent_id: Some(f.news.id),
            position: 7,
        })
        .await
        .expect("insert section with a wanted slug");
    assert_eq!(wanted.slug, "opinion", "a wanted section slug replaces the name's");
    let stored = t.sections().await.expect("sections");
    assert_eq!(stored.iter().find(|s| s.id == wanted.id), Some(&wanted), "stored as returned");
    // The orphan's slug was not used up.
    let orphan_again = section(&t, "Orphan", None, 9).await;
    assert_eq!(orphan_again.slug, "orphan");
}

#[tokio::test]
async fn tag_named_gets_or_creates() {
    let t = TestStore::new().await;
    let first = tag(&t, "Rail strikes").await;
    assert_eq!((first.slug.as_str(), first.name.as_str()), ("rail-strikes", "Rail strikes"));

    for same in ["rail strikes", "  RAIL STRIKES  ", "Rail-strikes!", "Rail strikes"] {
        let again = tag(&t, same).await;
        assert_eq!(again, first, "tag_named({same:?}) should return the existing tag, name as first given");
    }
    let other = tag(&t, "Rail").await;
    assert_ne!(other.id, first.id, "a different name is a different tag");

    assert_eq!(t.tag_by_slug("rail-strikes").await.expect("tag_by_slug"), Some(first.clone()));
    assert_eq!(t.tag_by_slug("rail").await.expect("tag_by_slug"), Some(other));
    assert_eq!(t.tag_by_slug("nothing-here").await.expect("tag_by_slug"), None);
    assert_eq!(counts(&t).await.tags, 2, "get-or-create must not duplicate tags");

    for unusable in ["", "   ", "★ ★ !!!", "—"] {
        assert_invalid(t.tag_named(unusable).await, "tags");
    }
    assert_eq!(counts(&t).await.tags, 2, "unusable names create no tag");

    let cyrillic = tag(&t, "Выборы").await;
    assert!(cyrillic.slug.is_ascii() && !cyrillic.slug.is_empty(), "tag slugs transliterate: {:?}", cyrillic.slug);
    assert_eq!(cyrillic.name, "Выборы", "the tag keeps its name as written");
}

#[tokio::test]
async fn authors_round_trip_and_list_by_name() {
    let t = TestStore::new().await;
    let photo = t
        .insert_image(NewImage {
            file: "ab/abcdef.jpg".into(),
            width: 300,
            height: 300,
            alt: "Zoë Adams".into(),
            caption: String::new(),
            credit: "Photo: Courant".into(),
            keywords: vec!["portrait".into(), "staff".into()],
        })
        .await
        .expect("insert photo");
    let zoe = t
        .insert_author(NewAuthor {
            slug: None,
            name: "  Zoë Adams ".into(),
            title: "Science editor".into(),
            bio: "Writes about the sea.".into(),
            photo_id: Some(photo.id),
        })
        .await
        .expect("insert author");
    assert_eq!(zoe.slug, "zoe-adams", "accents dropped in the slug");
    assert_eq!(zoe.name, "Zoë Adams", "name trimmed, accents kept");
    assert_eq!((zoe.title.as_str(), zoe.bio.as_str()), ("Science editor", "Writes about the sea."));
    assert_eq!(zoe.photo.as_ref(), Some(&photo), "the photo comes back whole");

    let adam = author(&t, "Adam Zhou", None).await;
    assert_eq!(adam.photo, None);

    assert_eq!(t.author_by_slug("zoe-adams").await.expect("author_by_slug"), Some(zoe.clone()));
    assert_eq!(t.author_by_slug("nobody").await.expect("author_by_slug"), None);
    assert_eq!(t.authors().await.expect("authors"), vec![adam, zoe], "authors() sorts by name");

    let wanted = t
        .insert_author(NewAuthor { slug: Some("the-editor".into()), name: "Editor".into(), ..NewAuthor::default() })
        .await
        .expect("insert author with a wanted slug");
    assert_eq!(wanted.slug, "the-editor");
}

#[tokio::test]
async fn author_inserts_are_checked() {
    let t = TestStore::new().await;
    for name in ["", " \t "] {
        assert_invalid(t.insert_author(NewAuthor { name: name.into(), ..NewAuthor::default() }).await, "name");
    }
    let result = t
        .insert_author(NewAuthor { name: "Ghost".into(), photo_id: Some(ImageId(999_999)), ..NewAuthor::default() })
        .await;
    assert_not_found(result, "photo");
    assert_eq!(counts(&t).await.authors, 0, "rejected authors are not stored");
    assert_eq!(author(&t, "Ghost", None).await.slug, "ghost", "a rejected author does not use up its slug");
}

#[tokio::test]
async fn sources_round_trip_and_are_checked() {
    let t = TestStore::new().await;
    let wire = source(&t, " Courant Wire ", "https://wire.example.org/feed").await;
    assert_eq!((wire.slug.as_str(), wire.name.as_str()), ("courant-wire", "Courant Wire"));
    assert_eq!(wire.url, "https://wire.example.org/feed");
    assert_eq!(t.source_by_slug("courant-wire").await.expect("source_by_slug"), Some(wire));
    assert_eq!(t.source_by_slug("nobody").await.expect("source_by_slug"), None);

    let plain = source(&t, "Town Crier", "http://crier.example").await;
    assert_eq!(plain.url, "http://crier.example", "http:// is accepted");
    let no_url = source(&t, "Word of mouth", "").await;
    assert_eq!(no_url.url, "", "a source may have no address");

    for bad in ["ftp://files.example", "wire.example.org", "javascript:alert(1)"] {
        let result = t.insert_source(NewSource { name: "Bad".into(), url: bad.into(), ..NewSource::default() }).await;
        assert_invalid(result, "url");
    }
    assert_invalid(t.insert_source(NewSource { name: "  ".into(), ..NewSource::default() }).await, "name");
    assert_eq!(counts(&t).await.sources, 3, "rejected sources are not stored");
}

#[tokio::test]
async fn images_need_dimensions_and_keep_clean_keywords() {
    let t = TestStore::new().await;
    for (width, height) in [(0, 100), (100, 0), (0, 0)] {
        let result = t.insert_image(NewImage { file: "x.jpg".into(), width, height, ..NewImage::default() }).await;
        assert_invalid(result, "image");
    }
    assert_eq!(counts(&t).await.images, 0, "rejected images are not stored");

    // Keywords are stored one per line: blanks dropped, surrounding spaces and inner newlines removed.
    let messy = t
        .insert_image(NewImage {
            file: "m/messy.jpg".into(),
            width: 10,
            height: 10,
            keywords: vec!["  harbour ".into(), String::new(), "ferry\nboat".into(), "   ".into()],
            ..NewImage::default()
        })
        .await
        .expect("insert image");
    let owner = t
        .insert_author(NewAuthor { name: "Photo owner".into(), photo_id: Some(messy.id), ..NewAuthor::default() })
        .await
        .expect("insert author");
    let stored = owner.photo.expect("the author's photo");
    assert_eq!(stored.keywords, ["harbour", "ferry boat"], "keywords as stored");
    assert_eq!((stored.width, stored.height, stored.file.as_str()), (10, 10, "m/messy.jpg"));
}

#[tokio::test]
async fn counts_reflect_what_was_inserted() {
    let t = TestStore::new().await;
    let f = fixture(&t).await;
    assert_eq!(counts(&t).await, f.counts(), "counts after the fixture");

    for i in 0..3 {
        insert(&t, &new_published(&f, &format!("Published {i}"), at_hour(i))).await;
    }
    for i in 0..2 {
        insert(&t, &new_draft(&f, &format!("Draft {i}"))).await;
    }
    insert(&t, &NewArticle { status: Status::Scheduled, published_at: Some(at_hour(99)), ..new_draft(&f, "Later") })
        .await;
    insert(&t, &NewArticle { status: Status::Unpublished, published_at: Some(at_hour(1)), ..new_draft(&f, "Gone") })
        .await;
    let taken_down = insert(&t, &new_published(&f, "Taken down", at_hour(5))).await;
    t.set_status(taken_down, Status::Unpublished, at_hour(6)).await.expect("unpublish");
    tag(&t, "Rail strikes").await; // existing: no new tag
    tag(&t, "Weather").await;

    assert_eq!(
        counts(&t).await,
        Counts { published: 3, drafts: 2, scheduled: 1, unpublished: 2, tags: 4, ..f.counts() },
        "counts after inserting articles of every status"
    );
}

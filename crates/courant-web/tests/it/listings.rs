//! Listing pages: sections (with their subsections' stories and pagination), tags, authors and
//! sources.

use crate::support::*;
use scraper::Html;

/// The headline links of the teasers of a listing page, in order.
fn listed(doc: &Html) -> Vec<String> {
    select_all(doc, ".listing-main .teaser .teaser-headline a").into_iter().map(|a| attr(a, "href")).collect()
}

fn h1(doc: &Html) -> Vec<String> {
    select_all(doc, "h1").into_iter().map(text).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn section_page_lists_its_subsections_stories_and_links_them() {
    let app = app();
    let f = &app.fixture;
    let path = format!("/{}", f.news.slug);
    let doc = app.html(&path).await;
    assert_eq!(h1(&doc), vec!["Fixture News".to_string()], "GET {path}: h1");
    let stories = listed(&doc);
    assert!(
        stories.contains(&f.main_path),
        "GET {path}: the main article, filed in the subsection Fixture World, should be listed; found {stories:?}"
    );
    assert_eq!(
        stories, f.news_paths,
        "GET {path}: the published stories of the section and its subsection, newest first"
    );
    assert!(!stories.contains(&f.unpublished_path), "GET {path}: lists the withdrawn story");

    let subsections: Vec<(String, String)> =
        select_all(&doc, ".listing-header .subsections a").into_iter().map(|a| (attr(a, "href"), text(a))).collect();
    assert_eq!(
        subsections,
        vec![(format!("/{}", f.world.slug), "Fixture World".to_string())],
        "GET {path}: subsection links"
    );
    let crumbs: Vec<String> =
        select_all(&doc, r#"nav[aria-label="Breadcrumb"] a"#).into_iter().map(|a| attr(a, "href")).collect();
    assert_eq!(crumbs, vec!["/".to_string(), path.clone()], "GET {path}: breadcrumb links");

    // The subsection lists its own stories only.
    let world = format!("/{}", f.world.slug);
    let doc = app.html(&world).await;
    let stories = listed(&doc);
    assert!(stories.contains(&f.main_path), "GET {world}: should list the main article; found {stories:?}");
    assert!(
        !stories.contains(&f.related_paths[1]),
        "GET {world}: lists {} which is filed in the parent section only",
        f.related_paths[1]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn long_section_is_paginated_by_twenty() {
    let app = app();
    let f = &app.fixture;
    let path = format!("/{}", f.archive.slug);
    let page2 = format!("{path}?page=2");

    let doc = app.html(&path).await;
    let teasers = select_all(&doc, ".teaser");
    assert_eq!(teasers.len(), 20, "GET {path}: teasers on page 1 of {ARCHIVE_STORIES} stories");
    let first_page = listed(&doc);
    assert_eq!(
        first_page,
        f.archive_paths[..20].to_vec(),
        "GET {path}: page 1 should hold the 20 newest, newest first"
    );
    let next_link: Vec<String> =
        select_all(&doc, r#"head link[rel="next"]"#).into_iter().map(|l| attr(l, "href")).collect();
    assert_eq!(next_link, vec![page2.clone()], "GET {path}: <link rel=next> in the head");
    let next_a: Vec<String> = select_all(&doc, r#"body a[rel="next"]"#).into_iter().map(|a| attr(a, "href")).collect();
    assert_eq!(next_a, vec![page2.clone()], "GET {path}: <a rel=next> in the page");
    assert!(first(&doc, r#"link[rel="prev"]"#).is_none(), "GET {path}: page 1 has no previous page");

    let doc = app.html(&page2).await;
    let second_page = listed(&doc);
    assert_eq!(second_page, f.archive_paths[20..].to_vec(), "GET {page2}: page 2 should hold the 5 oldest");
    assert_eq!(select_all(&doc, ".teaser").len(), ARCHIVE_STORIES - 20, "GET {page2}: teasers on page 2");
    let prev_link: Vec<String> =
        select_all(&doc, r#"head link[rel="prev"]"#).into_iter().map(|l| attr(l, "href")).collect();
    assert_eq!(prev_link, vec![path.clone()], "GET {page2}: <link rel=prev> in the head points to page 1");
    let prev_a: Vec<String> = select_all(&doc, r#"body a[rel="prev"]"#).into_iter().map(|a| attr(a, "href")).collect();
    assert_eq!(prev_a, vec![path.clone()], "GET {page2}: <a rel=prev> in the page");
    assert!(first(&doc, r#"link[rel="next"]"#).is_none(), "GET {page2}: the last page has no next page");
    let canonical = first(&doc, r#"link[rel="canonical"]"#).map(|l| attr(l, "href")).unwrap_or_default();
    assert!(canonical.ends_with(&page2), "GET {page2}: canonical {canonical:?} should name page 2");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tag_page_lists_the_tagged_stories() {
    let app = app();
    let f = &app.fixture;
    for (tag, expected) in f.tags.iter().zip(&f.tag_paths) {
        let path = format!("/tag/{}", tag.slug);
        let doc = app.html(&path).await;
        assert_eq!(h1(&doc), vec![tag.name.clone()], "GET {path}: h1");
        assert_eq!(&listed(&doc), expected, "GET {path}: the stories tagged {:?}, newest first", tag.name);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn author_page_shows_the_profile_and_stories() {
    let app = app();
    let f = &app.fixture;
    let a = &f.author;
    let path = format!("/author/{}", a.slug);
    let doc = app.html(&path).await;
    assert_eq!(h1(&doc), vec![AUTHOR_NAME.to_string()], "GET {path}: h1");
    let role: Vec<String> = select_all(&doc, ".author-role").into_iter().map(text).collect();
    assert_eq!(role, vec![AUTHOR_TITLE.to_string()], "GET {path}: .author-role");
    let bio: Vec<String> = select_all(&doc, ".author-bio").into_iter().map(text).collect();
    assert_eq!(bio, vec![AUTHOR_BIO.to_string()], "GET {path}: .author-bio");

    let photo = a.photo.as_ref().expect("fixture: the author has a photo");
    let img = first(&doc, "img.author-photo").unwrap_or_else(|| panic!("GET {path}: no img.author-photo"));
    assert_eq!(attr(img, "width"), photo.width.to_string(), "GET {path}: photo width; {}", describe(img));
    assert_eq!(attr(img, "height"), photo.height.to_string(), "GET {path}: photo height; {}", describe(img));
    assert_eq!(attr(img, "src"), format!("/media/{}", photo.file), "GET {path}: photo src");
    assert!(!attr(img, "alt").is_empty(), "GET {path}: the photo needs alt text; {}", describe(img));

    let stories = listed(&doc);
    assert_eq!(
        stories, f.author_paths,
        "GET {path}: the author's published stories, newest first (no draft, no withdrawn story)"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn source_page_lists_stories_and_links_the_website() {
    let app = app();
    let f = &app.fixture;
    for (source, expected) in f.sources.iter().zip(&f.source_paths) {
        let path = format!("/source/{}", source.slug);
        let doc = app.html(&path).await;
        assert_eq!(h1(&doc), vec![source.name.clone()], "GET {path}: h1");
        assert_eq!(&listed(&doc), expected, "GET {path}: stories based on {:?}, newest first", source.name);
        let site: Vec<String> = select_all(&doc, ".listing-header a").into_iter().map(|a| attr(a, "href")).collect();
        assert!(
            site.contains(&source.url),
            "GET {path}: should link the source's website {}; header links {site:?}",
            source.url
        );
    }
}

/// Issue 19: a section's first page leads with its newest story; beside the list, its sister
/// sections and the ad slot. Other listings are plain lists.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_section_page_has_a_lead_its_sister_sections_and_the_ad_slot() {
    let app = app();
    let f = &app.fixture;
    let sections = app.sections().await;
    let doc = app.html(&format!("/{}", f.news.slug)).await;
    let lead = select_all(&doc, ".listing-lead .teaser-lead .teaser-headline a");
    assert_eq!(lead.len(), 1, "one lead story");
    let listed: Vec<String> =
        select_all(&doc, ".listing-main .teaser-headline a").into_iter().map(|a| attr(a, "href")).collect();
    assert_eq!(listed.first(), Some(&f.news_paths[0]), "the newest story leads");
    assert_eq!(listed.iter().filter(|p| **p == f.news_paths[0]).count(), 1, "and is not listed again");
    let sisters: Vec<String> =
        select_all(&doc, ".listing-aside .sister-sections a").into_iter().map(|a| attr(a, "href")).collect();
    let expected: Vec<String> = sections
        .iter()
        .filter(|s| s.parent_id == f.news.parent_id && s.id != f.news.id)
        .map(|s| format!("/{}", s.slug))
        .collect();
    assert!(!expected.is_empty(), "fixture: news has sister sections");
    assert_eq!(sisters, expected, "the sister sections, in order");
    assert_eq!(select_all(&doc, ".listing-aside .ad-slot").len(), 1, "the ad slot");
    // Page 2 is a plain list; a tag's listing has no aside.
    let second = app.html(&format!("/{}?page=2", f.archive.slug)).await;
    assert!(select_all(&second, ".listing-lead").is_empty());
    let tag = app.html(&format!("/tag/{}", f.tags[0].slug)).await;
    assert!(select_all(&tag, ".listing-aside, .listing-lead").is_empty());
}

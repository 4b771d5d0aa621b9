//! The publication's own pages (issue 19) on every backend: saved and changed with addresses
//! no section, no other page and no path of the site has, every change logged as a change of
//! the whole site, deleted for good.

use crate::support::*;
use courant_core::NewSection;
use courant_store::{PageDraft, StoreError};
use time::macros::datetime;

fn draft(slug: &str, title: &str, position: i64) -> PageDraft {
    PageDraft {
        slug: slug.into(),
        title: title.into(),
        body: format!("## {title}\n\nWhat readers should know."),
        in_footer: true,
        position,
    }
}

fn refused_field(e: StoreError) -> &'static str {
    match e {
        StoreError::Invalid(i) => i.field,
        other => panic!("expected a refusal naming a field, got {other}"),
    }
}

#[tokio::test]
async fn pages_keep_their_own_addresses_and_every_change_is_the_sites() {
    let t = TestStore::new().await;
    let at = datetime!(2026-12-06 10:00 UTC);
    let before = t.last_change().await.expect("the change log's end");
    let privacy = t.save_site_page(None, &draft("privacy", "Privacy notice", 2), None, at).await.expect("save");
    let about = t.save_site_page(None, &draft("about", "About us", 1), None, at).await.expect("save");
    let pages = t.site_pages().await.expect("pages");
    assert_eq!(pages.iter().map(|p| p.slug.as_str()).collect::<Vec<_>>(), ["about", "privacy"], "the footer's order");
    assert_eq!(pages[0].id, about);
    let events = t.events_since(before, 100).await.expect("changes");
    assert_eq!(events.len(), 2, "each save is logged: {events:?}");
    assert!(events.iter().all(|e| e.kind == "site" && e.article_id.0 == 0), "{events:?}");

    // Refused, with the field named, and nothing changes.
    let section = t
        .insert_section(NewSection { slug: Some("weather".into()), name: "Weather".into(), ..NewSection::default() })
        .await
        .expect("a section");
    let cases = [
        (draft("weather", "Weather", 3), "slug"),
        (draft("about", "Another about", 3), "slug"),
        (draft("newsroom", "Newsroom", 3), "slug"),
        (draft("Not A Slug", "Bad", 3), "slug"),
        (draft("empty-title", "   ", 3), "title"),
    ];
    for (d, field) in cases {
        let e = t.save_site_page(None, &d, None, at).await.expect_err("refused");
        assert_eq!(refused_field(e), field, "{d:?}");
    }
    assert_eq!(t.site_pages().await.expect("pages").len(), 2);
    // A new section cannot take a page's address either.
    let clash = t
        .insert_section(NewSection { slug: Some("about".into()), name: "About".into(), ..NewSection::default() })
        .await
        .expect("a section with another slug");
    assert_ne!(clash.slug, "about");
    assert_ne!(section.slug, clash.slug);

    // Changed in place, keeping its own address or taking a free one.
    let mut changed = draft("about-us", "About the newsroom", 5);
    changed.in_footer = false;
    assert_eq!(t.save_site_page(Some(about), &changed, None, at).await.expect("update"), about);
    let page = t.site_page("about-us").await.expect("read").expect("at its new address");
    assert_eq!((page.title.as_str(), page.in_footer, page.position), ("About the newsroom", false, 5));
    assert!(t.site_page("about").await.expect("read").is_none());
    t.save_site_page(Some(privacy), &draft("privacy", "Privacy", 2), None, at).await.expect("the same address");
    let missing = t.save_site_page(Some(999_999), &draft("ghost", "Ghost", 1), None, at).await.expect_err("no page");
    assert!(matches!(missing, StoreError::NotFound(_)), "{missing}");

    t.delete_site_page(privacy, None, at).await.expect("delete");
    assert!(t.site_page("privacy").await.expect("read").is_none());
    let again = t.delete_site_page(privacy, None, at).await.expect_err("already gone");
    assert!(matches!(again, StoreError::NotFound(_)), "{again}");
}

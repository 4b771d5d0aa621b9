//! Ghost exports: Ghost's own fixtures (with and without the `db` wrapper; HTML and Lexical
//! bodies) imported field by field, a written export with Mobiledoc, members-only and internal
//! tags, and files that are not Ghost exports refused with nothing written.

use crate::support::{Site, file, testdata};
use courant_core::Status;
use courant_import::{Counts, ImportError, Options, Report};
use std::path::Path;
use time::macros::datetime;

async fn import(site: &Site, path: &Path) -> Result<Report, ImportError> {
    courant_import::import_ghost(&site.newsroom, path, &Options::default(), &|_, _| {}).await
}

fn counts(imported: u64, updated: u64, skipped: u64) -> Counts {
    Counts { imported, updated, skipped }
}

#[tokio::test]
async fn ghosts_own_fixture_imports_field_by_field_and_again_changes_nothing() {
    let site = Site::new().await;
    let report = import(&site, &testdata("ghost/migrate-assetscraper-ghost.json")).await.expect("imports");
    assert_eq!(report.counts["articles"], counts(3, 0, 0), "{report}");
    // News and Technology, and Uncategorized for the post without tags.
    assert_eq!(report.counts["sections"], counts(3, 0, 0), "{report}");
    // Alice and Bob, and the staff byline of the post without authors.
    assert_eq!(report.counts["authors"], counts(3, 0, 0), "{report}");
    assert_eq!(report.counts["tags"], counts(2, 0, 0), "{report}");
    assert_eq!(report.counts["redirects"], counts(3, 0, 0), "{report}");

    let first = site.store().article_by_slug("post-1").await.expect("read").expect("there");
    assert_eq!(first.headline, "Post 1");
    assert_eq!(first.status, Status::Published);
    assert_eq!(first.published_at, Some(datetime!(2025-01-01 00:00:00 UTC)));
    assert_eq!(first.section.name, "News");
    assert_eq!(first.section.slug, "news");
    assert_eq!(first.authors.iter().map(|a| a.name.as_str()).collect::<Vec<_>>(), ["Alice Johnson"]);
    assert_eq!(first.tags.iter().map(|t| t.name.as_str()).collect::<Vec<_>>(), ["News"]);
    assert!(first.body.starts_with("Hello world"), "{}", first.body);
    assert!(first.body.contains("More text"), "{}", first.body);
    // The feature image is reported without the media folder, never invented.
    assert!(first.hero.is_none());
    assert!(report.warnings.iter().any(|w| w.message.contains("feature-1.jpg")), "{report}");

    // A Lexical body (no HTML in the export) is converted too.
    let lexical = site.store().article_by_slug("post-3-lexical").await.expect("read").expect("there");
    assert!(lexical.body.contains("https://example.com/images/lexical-image.jpg"), "{}", lexical.body);
    assert_eq!(lexical.section.name, "Uncategorized");

    let moved = site.store().redirect("/post-2").await.expect("read").expect("the old address");
    assert_eq!(moved.slug, "post-2");

    let before = site.content_sums().await;
    let again = import(&site, &testdata("ghost/migrate-assetscraper-ghost.json")).await.expect("imports");
    assert_eq!(again.counts["articles"], counts(0, 0, 3), "{again}");
    assert_eq!(site.content_sums().await, before, "importing the same posts again must change nothing");

    // The same shape without the `db` wrapper (another small publication).
    let flat = import(&site, &testdata("ghost/migrate-assetscraper-ghost-flat.json")).await.expect("imports");
    assert_eq!(flat.counts["articles"], counts(1, 0, 0), "{flat}");
    let post = site.store().article_by_slug("flat-format-post").await.expect("read").expect("there");
    assert_eq!(post.headline, "Flat Format Post");
}

#[tokio::test]
async fn mobiledoc_members_only_internal_tags_and_pages() {
    let site = Site::new().await;
    let dir = tempfile::tempdir().expect("tempdir");
    let mobiledoc = serde_json::json!({
        "version": "0.3.1", "atoms": [], "markups": [["strong"]],
        "cards": [["hr", {}]],
        "sections": [[1, "h2", [[0, [], 0, "The vote"]]], [1, "p", [[0, [0], 1, "Council"], [0, [], 0, " agrees the budget."]]], [10, 0]]
    })
    .to_string();
    let export = serde_json::json!({
        "db": [{"meta": {"version": "4.1.0"}, "data": {
            "posts": [
                {"id": "a1", "title": "Budget agreed", "slug": "budget-agreed", "mobiledoc": mobiledoc, "type": "post",
                 "status": "published", "visibility": "public", "published_at": "2021-05-04T10:00:00.000Z",
                 "created_at": "2021-05-04T09:00:00.000Z", "updated_at": "2021-05-05T08:00:00.000Z",
                 "custom_excerpt": "The council votes <b>yes</b>."},
                {"id": "a2", "title": "Paid story", "slug": "paid-story", "html": "<p>For members.</p>", "type": "post",
                 "status": "published", "visibility": "paid", "published_at": "2021-05-06T10:00:00.000Z"},
                {"id": "a3", "title": "About us", "slug": "about", "html": "<p>We are.</p>", "type": "page",
                 "status": "published", "visibility": "public", "published_at": "2021-05-06T10:00:00.000Z"}
            ],
            "users": [{"id": "u1", "name": "Cora Vale", "slug": "cora-vale", "bio": "Covers the <i>council</i>."},
                      {"id": "u2", "name": "Never Wrote", "slug": "never-wrote"}],
            "tags": [{"id": "t1", "name": "#import", "slug": "hash-import", "visibility": "internal"},
                     {"id": "t2", "name": "Council", "slug": "council", "visibility": "public"}],
            "posts_tags": [{"post_id": "a1", "tag_id": "t1", "sort_order": 0}, {"post_id": "a1", "tag_id": "t2", "sort_order": 1}],
            "posts_authors": [{"post_id": "a1", "author_id": "u1", "sort_order": 0}, {"post_id": "a2", "author_id": "u1", "sort_order": 0}]
        }}]
    });
    let path = file(dir.path(), "ghost.json", &export.to_string());
    let report = import(&site, &path).await.expect("imports");
    assert_eq!(report.counts["articles"], counts(2, 0, 0), "{report}");
    assert_eq!(report.counts["authors"], counts(1, 0, 0), "staff who never wrote are not authors: {report}");
    assert_eq!(report.left_out["pages (Courant has no static pages yet)"], 1, "{report}");

    let budget = site.store().article_by_slug("budget-agreed").await.expect("read").expect("there");
    assert_eq!(budget.section.slug, "council", "the first public tag is the section, internal ones are skipped");
    assert_eq!(budget.tags.iter().map(|t| t.name.as_str()).collect::<Vec<_>>(), ["Council"]);
    assert_eq!(budget.standfirst, "The council votes yes.");
    assert_eq!(budget.updated_at, datetime!(2021-05-05 08:00:00 UTC));
    assert!(budget.body.contains("## The vote"), "{}", budget.body);
    assert!(budget.body.contains("**Council** agrees the budget."), "{}", budget.body);
    assert_eq!(budget.authors[0].bio, "Covers the council.");

    let paid = site.store().article_by_slug("paid-story").await.expect("read").expect("there");
    assert_eq!(paid.status, Status::Draft, "members-only stories must not go public");
    assert!(report.warnings.iter().any(|w| w.item.starts_with("post a2") && w.message.contains("members")), "{report}");
}

#[tokio::test]
async fn files_that_are_not_ghost_exports_are_refused_and_change_nothing() {
    let site = Site::new().await;
    import(&site, &testdata("ghost/migrate-assetscraper-ghost.json")).await.expect("imports");
    let before = site.sums().await;
    let dir = tempfile::tempdir().expect("tempdir");
    let theme = std::fs::read_to_string(testdata("ghost/migrate-assetscraper-ghost.json")).expect("read");
    let cases = [
        ("truncated.json", theme[..theme.len() / 2].to_string(), "line"),
        ("wordpress.json", "<?xml version=\"1.0\"?><rss></rss>".to_string(), "line 1"),
        ("other.json", "{\"posts\": []}".to_string(), "not a Ghost export"),
        ("wrong.json", "{\"data\": {\"posts\": \"many\"}}".to_string(), "not shaped as a Ghost export"),
    ];
    for (name, text, says) in cases {
        let path = file(dir.path(), name, &text);
        let Err(e) = import(&site, &path).await else { panic!("{name} was imported") };
        assert!(e.to_string().contains(says), "{name}: the error should say {says:?}: {e}");
        assert_eq!(site.sums().await, before, "{name} changed the store");
    }
}

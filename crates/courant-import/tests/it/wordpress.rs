//! WordPress exports: the theme unit test export imported whole and checked field by field, a
//! changed post updated in place, featured pictures from a media folder, hostile bodies made
//! harmless, and malformed or hostile files refused with nothing written.

use crate::support::{Site, file, testdata};
use courant_core::{ArticleId, Status};
use courant_import::{Counts, ImportError};
use time::macros::datetime;

const THEME: &str = "themeunittestdata.wordpress.xml";

fn counts(imported: u64, updated: u64, skipped: u64) -> Counts {
    Counts { imported, updated, skipped }
}

#[tokio::test]
async fn the_theme_unit_test_export_imports_whole_and_a_second_time_changes_nothing() {
    let site = Site::new().await;
    let report = site.import(&testdata(THEME), None).await.expect("the export imports");

    assert_eq!(report.counts["articles"], counts(58, 0, 0), "{report}");
    assert_eq!(report.counts["sections"], counts(68, 0, 0), "{report}");
    assert_eq!(report.counts["authors"], counts(2, 0, 0), "{report}");
    assert_eq!(report.counts["redirects"], counts(110, 0, 0), "{report}");
    assert_eq!(report.left_out["pages (Courant has no static pages yet)"], 21, "{report}");
    assert_eq!(report.left_out["items of type nav_menu_item"], 70, "{report}");
    assert_eq!(report.left_out["attachments (only featured pictures are imported)"], 37, "{report}");
    let stored = site.store().counts().await.expect("counts");
    // 58 posts: one draft, one password-protected post (a draft here), one scheduled.
    assert_eq!((stored.published, stored.drafts, stored.scheduled), (55, 2, 1));
    assert_eq!((stored.sections, stored.authors), (68, 2));

    let article = site.store().article_by_slug("markup-html-tags-and-formatting").await.expect("read").expect("there");
    assert_eq!(article.headline, "Markup: HTML Tags and Formatting");
    assert_eq!(article.status, Status::Published);
    assert_eq!(article.published_at, Some(datetime!(2013-01-12 03:22:19 UTC)));
    // The first category is the section; the others are kept as tags.
    assert_eq!(article.section.slug, "classic");
    assert_eq!(article.authors.iter().map(|a| a.name.as_str()).collect::<Vec<_>>(), ["Theme Buster"]);
    let tags: Vec<&str> = article.tags.iter().map(|t| t.name.as_str()).collect();
    for tag in ["content περιεχόμενο", "css", "formatting", "html", "markup"] {
        assert!(tags.iter().any(|t| t.eq_ignore_ascii_case(tag)), "tag {tag} missing from {tags:?}");
    }
    for kept in ["## Header one", "### Header three", "> Stay hungry. Stay foolish.", "| Employee | Salary |"] {
        assert!(article.body.contains(kept), "{kept} missing: {}", article.body);
    }
    for raw in ["<p>", "<strong>", "<table", "<div"] {
        assert!(!article.body.contains(raw), "raw HTML {raw} is stored: {}", article.body);
    }

    // Old addresses lead to it: the permalink (with or without its slash) and `?p=`.
    let moved = site.store().redirect("/2013/01/11/markup-html-tags-and-formatting").await.expect("read");
    assert_eq!(moved.map(|m| m.id), Some(article.id));
    let moved = site.store().redirect("/?p=1178").await.expect("read");
    assert_eq!(moved.map(|m| m.id), Some(article.id));

    let scheduled = site.store().article_by_slug("scheduled").await.expect("read").expect("there");
    assert_eq!(scheduled.status, Status::Scheduled);
    assert_eq!(scheduled.published_at, Some(datetime!(2030-01-01 19:00:18 UTC)));
    let protected = site.store().article_by_slug("template-password-protected").await.expect("read").expect("there");
    assert_eq!(protected.status, Status::Draft, "a password-protected post must not go public");
    assert!(report.warnings.iter().any(|w| w.item.starts_with("post 1168") && w.message.contains("password")));

    // The category tree is kept.
    let sections = site.store().sections().await.expect("sections");
    let by_slug = |slug: &str| sections.iter().find(|s| s.slug == slug).unwrap_or_else(|| panic!("section {slug}"));
    assert_eq!(by_slug("child-2").parent_id, Some(by_slug("child-1").id));
    assert_eq!(by_slug("child-1").parent_id, Some(by_slug("parent").id));
    assert_eq!(by_slug("parent").parent_id, None);

    // Again: every post is recognised, nothing is written.
    let before = site.content_sums().await;
    let again = site.import(&testdata(THEME), None).await.expect("imports again");
    assert_eq!(again.counts["articles"], counts(0, 0, 58), "{again}");
    assert_eq!(again.counts["sections"], counts(0, 0, 68), "{again}");
    assert_eq!(again.counts["authors"], counts(0, 0, 2), "{again}");
    assert_eq!(again.counts["tags"].imported, 0, "{again}");
    assert_eq!(site.content_sums().await, before, "a second import of the same file must change nothing");
}

/// A small export with one post, its title and body given.
fn export(title: &str, body: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
<title>Harbour Times</title>
<link>https://harbour.example</link>
<wp:wxr_version>1.2</wp:wxr_version>
<wp:base_blog_url>https://harbour.example</wp:base_blog_url>
<wp:author><wp:author_login>ada</wp:author_login><wp:author_display_name><![CDATA[Ada Quill]]></wp:author_display_name></wp:author>
<wp:category><wp:category_nicename>port</wp:category_nicename><wp:category_parent></wp:category_parent><wp:cat_name><![CDATA[Port]]></wp:cat_name></wp:category>
<item>
<title>{title}</title>
<link>https://harbour.example/2024/03/01/ferry-fares/</link>
<dc:creator>ada</dc:creator>
<content:encoded><![CDATA[{body}]]></content:encoded>
<excerpt:encoded><![CDATA[Fares rise in <em>April</em>.]]></excerpt:encoded>
<wp:post_id>7</wp:post_id>
<wp:post_date_gmt>2024-03-01 08:00:00</wp:post_date_gmt>
<wp:post_modified_gmt>2024-03-02 09:30:00</wp:post_modified_gmt>
<wp:post_name>ferry-fares</wp:post_name>
<wp:status>publish</wp:status>
<wp:post_type>post</wp:post_type>
<category domain="category" nicename="port"><![CDATA[Port]]></category>
<category domain="post_tag" nicename="ferries"><![CDATA[Ferries]]></category>
<wp:postmeta><wp:meta_key>_thumbnail_id</wp:meta_key><wp:meta_value><![CDATA[9]]></wp:meta_value></wp:postmeta>
</item>
<item>
<title>boat</title>
<wp:post_id>9</wp:post_id>
<wp:status>inherit</wp:status>
<wp:post_type>attachment</wp:post_type>
<excerpt:encoded><![CDATA[The morning ferry leaves the harbour.]]></excerpt:encoded>
<wp:attachment_url>https://harbour.example/wp-content/uploads/2024/03/boat.jpg</wp:attachment_url>
<wp:postmeta><wp:meta_key>_wp_attachment_image_alt</wp:meta_key><wp:meta_value><![CDATA[A white ferry at the quay]]></wp:meta_value></wp:postmeta>
</item>
</channel>
</rss>"#
    )
}

#[tokio::test]
async fn a_changed_post_is_updated_in_place_and_keeps_its_address() {
    let site = Site::new().await;
    let dir = tempfile::tempdir().expect("tempdir");
    let first = file(dir.path(), "first.xml", &export("Ferry fares rise", "<p>Fares rise by a tenth.</p>"));
    let report = site.import(&first, None).await.expect("imports");
    assert_eq!(report.counts["articles"], counts(1, 0, 0), "{report}");
    let article = site.store().article_by_slug("ferry-fares").await.expect("read").expect("there");
    assert_eq!(article.standfirst, "Fares rise in April.");
    assert_eq!(article.updated_at, datetime!(2024-03-02 09:30:00 UTC));
    assert_eq!(article.path().as_deref(), Some("/port/2024/03/01/ferry-fares"));
    // Without the media folder the featured picture is reported, never invented.
    assert!(article.hero.is_none());
    assert!(
        report.warnings.iter().any(|w| w.message.contains("boat.jpg") && w.message.contains("--media")),
        "{report}"
    );

    let second =
        file(dir.path(), "second.xml", &export("Ferry fares rise by ten per cent", "<p>Fares rise by 10%.</p>"));
    let report = site.import(&second, None).await.expect("imports again");
    assert_eq!(report.counts["articles"], counts(0, 1, 0), "{report}");
    let updated = site.store().article_by_slug("ferry-fares").await.expect("read").expect("there");
    assert_eq!(updated.id, article.id, "the same article is updated, not a second one made");
    assert_eq!(updated.headline, "Ferry fares rise by ten per cent");
    assert_eq!(updated.body, "Fares rise by 10%.");
    assert_eq!(updated.path(), article.path());
    assert_eq!(site.store().counts().await.expect("counts").published, 1);
}

/// A small JPEG.
fn jpeg() -> Vec<u8> {
    let picture = image::RgbImage::from_fn(64, 48, |x, y| image::Rgb([(x * 4) as u8, (y * 5) as u8, 90]));
    let mut bytes = std::io::Cursor::new(Vec::new());
    picture.write_to(&mut bytes, image::ImageFormat::Jpeg).expect("encode");
    bytes.into_inner()
}

#[tokio::test]
async fn featured_pictures_come_from_the_media_folder_through_the_picture_checks() {
    let site = Site::new().await;
    let dir = tempfile::tempdir().expect("tempdir");
    let media = dir.path().join("uploads");
    std::fs::create_dir_all(media.join("2024/03")).expect("mkdir");
    std::fs::write(media.join("2024/03/boat.jpg"), jpeg()).expect("write");
    let body = r#"<p>Fares rise.</p>
<figure class="wp-block-image"><img src="https://harbour.example/wp-content/uploads/2024/03/boat.jpg" alt="The ferry from the quay"/><figcaption>At dawn</figcaption></figure>
<p>More.</p>
<figure class="wp-block-image"><img src="https://harbour.example/wp-content/uploads/2024/03/gone.jpg" alt="A lost picture"/></figure>"#;
    let export_file = file(dir.path(), "export.xml", &export("Ferry fares rise", body));
    let report = site.import(&export_file, Some(&media)).await.expect("imports");
    // The featured picture is also in the body: one picture in the library.
    assert_eq!(report.counts["pictures"], counts(1, 0, 0), "{report}");
    assert!(report.warnings.iter().any(|w| w.message.contains("gone.jpg is not in")), "{report}");
    let article = site.store().article_by_slug("ferry-fares").await.expect("read").expect("there");
    let hero = article.hero.expect("the featured picture is the hero");
    assert_eq!(hero.alt, "A white ferry at the quay");
    assert_eq!(hero.caption, "The morning ferry leaves the harbour.");
    assert_eq!((hero.width, hero.height), (64, 48));
    let written = site.files.0.lock().expect("files").clone();
    assert!(written.iter().any(|f| f == &hero.file), "the served file is written: {written:?}");
    // The body shows it from the library, with its size; the missing one stays a link.
    let local = format!("](/media/{}#64x48 \"At dawn\")", hero.file);
    assert!(article.body.contains(&local), "{}", article.body);
    let html = courant_render::markdown::render_body_html(&article.body);
    let page = scraper::Html::parse_fragment(&html);
    let img = page.select(&scraper::Selector::parse("figure.picture img").expect("css")).next().expect("a figure");
    assert_eq!(img.value().attr("src"), Some(format!("/media/{}", hero.file).as_str()));
    assert_eq!(img.value().attr("alt"), Some("The ferry from the quay"));
    assert!(html.contains(">Picture: A lost picture</a>"), "{html}");

    // A picture that is not a picture is refused by the checks and reported; the post stays.
    let dir = tempfile::tempdir().expect("tempdir");
    let media = dir.path().join("uploads");
    std::fs::create_dir_all(media.join("2024/03")).expect("mkdir");
    std::fs::write(media.join("2024/03/boat.jpg"), b"<script>alert(1)</script>").expect("write");
    let other = Site::new().await;
    let report = other.import(&export_file, Some(&media)).await.expect("imports");
    assert_eq!(report.counts["articles"], counts(1, 0, 0), "{report}");
    assert!(report.warnings.iter().any(|w| w.message.contains("refused")), "{report}");
    assert!(other.store().article_by_slug("ferry-fares").await.expect("read").expect("there").hero.is_none());
}

#[tokio::test]
async fn hostile_bodies_are_stored_harmless_and_render_without_script() {
    let site = Site::new().await;
    let dir = tempfile::tempdir().expect("tempdir");
    let body = r#"<p onclick="steal()">Fares <a href="javascript:alert(1)">rise</a>.</p><script>alert(2)</script>
<img src="x" onerror="alert(3)"><iframe src="javascript:alert(4)"></iframe><form action="/login"><input name="p"></form>
<p><a href="https://harbour.example/fares">Fare table</a></p>"#;
    let export_file = file(dir.path(), "export.xml", &export("Fares", body));
    site.import(&export_file, None).await.expect("imports");
    let article = site.store().article_by_slug("ferry-fares").await.expect("read").expect("there");
    for bad in ["<script", "javascript:", "onclick", "onerror", "<form", "<input"] {
        assert!(!article.body.contains(bad), "{bad} survived: {}", article.body);
    }
    let html = courant_render::markdown::render_body_html(&article.body);
    let page = scraper::Html::parse_fragment(&html);
    let any = |css: &str| page.select(&scraper::Selector::parse(css).expect("selector")).count();
    assert_eq!(any("script, iframe, form, input, [onclick], [onerror]"), 0, "{html}");
    assert_eq!(any("a[href='https://harbour.example/fares']"), 1, "the safe link is kept: {html}");
}

#[tokio::test]
async fn malformed_and_hostile_files_are_refused_whole_and_change_nothing() {
    let site = Site::new().await;
    site.import(&testdata(THEME), None).await.expect("the export imports");
    let before = site.sums().await;
    let dir = tempfile::tempdir().expect("tempdir");
    let theme = std::fs::read_to_string(testdata(THEME)).expect("read");
    let cases: Vec<(&str, String, &str)> = vec![
        // Cut in the middle of the items: the first half must not land.
        ("truncated.xml", theme[..theme.len() / 2].to_string(), "line 7501"),
        ("feed.xml", "<?xml version=\"1.0\"?><feed xmlns=\"http://www.w3.org/2005/Atom\"><title>x</title></feed>".into(), "<feed>"),
        ("rss.xml", "<rss version=\"2.0\"><channel><title>A feed</title><item><title>x</title></item></channel></rss>".into(), "not a WordPress export"),
        (
            "laughs.xml",
            "<?xml version=\"1.0\"?>\n<!DOCTYPE rss [\n<!ENTITY a \"lol\">\n<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">\n<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">\n<!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\">\n]>\n<rss><channel><wp:wxr_version>1.2</wp:wxr_version><title>&d;</title></channel></rss>".into(),
            "declares entities",
        ),
        (
            "external.xml",
            "<?xml version=\"1.0\"?>\n<!DOCTYPE rss [<!ENTITY secret SYSTEM \"file:///etc/passwd\">]>\n<rss><channel><wp:wxr_version>1.2</wp:wxr_version><item><title>&secret;</title><wp:post_type>post</wp:post_type></item></channel></rss>".into(),
            "declares entities",
        ),
        ("not-xml.xml", "{\"db\": [{\"meta\": {}}]}".into(), "no XML element"),
        ("mismatched.xml", theme.replacen("</wp:post_name>", "</wp:post_nam>", 30), "line"),
    ];
    for (name, text, says) in cases {
        let path = file(dir.path(), name, &text);
        let refused = site.import(&path, None).await;
        let Err(e) = refused else { panic!("{name} was imported") };
        assert!(matches!(e, ImportError::Malformed { .. } | ImportError::NotAnExport(_)), "{name}: {e:?}");
        assert!(e.to_string().contains(says), "{name}: the error should say {says:?}: {e}");
        assert!(!e.to_string().contains("root:"), "{name}: nothing of the entity's target may show: {e}");
        assert_eq!(site.sums().await, before, "{name} changed the store");
    }
    // The refusals did not hide the publication.
    assert!(site.store().article(ArticleId(1)).await.expect("read").is_some());
}

#[tokio::test]
async fn a_post_pending_review_waits_for_an_editor() {
    let site = Site::new().await;
    let dir = tempfile::tempdir().expect("tempdir");
    let text = export("Ferry fares rise", "<p>Fares rise.</p>")
        .replace("<wp:status>publish</wp:status>", "<wp:status>pending</wp:status>");
    let report = site.import(&file(dir.path(), "pending.xml", &text), None).await.expect("imports");
    assert_eq!(report.counts["articles"], counts(1, 0, 0), "{report}");
    assert_eq!(report.counts.get("redirects"), None, "a story not public has no old address: {report}");
    let article = site.store().article_by_slug("ferry-fares").await.expect("read").expect("there");
    assert_eq!(article.status, Status::Review);
    assert_eq!(article.published_at, None);
}

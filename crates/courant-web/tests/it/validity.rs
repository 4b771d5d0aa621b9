//! Issue #6: every page kind passes the Nu Html Checker (vnu.jar from npm's vnu-jar, run with
//! Java) without an error. `scripts/test` installs the checker and points `COURANT_VNU_JAR` at it.

use crate::support::*;
use std::path::PathBuf;
use std::process::Command;

fn vnu_jar() -> PathBuf {
    let jar = std::env::var_os("COURANT_VNU_JAR").map(PathBuf::from).unwrap_or_else(|| {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/tools/node_modules/vnu-jar/build/dist/vnu.jar")
    });
    assert!(
        jar.is_file(),
        "the Nu Html Checker is missing at {}: run scripts/test, which installs it with npm (vnu-jar)",
        jar.display()
    );
    jar
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_page_kind_passes_the_nu_html_checker() {
    let app = app();
    let f = &app.fixture;
    // A newsletter, so the sign-up page shows its form.
    app.with_store(|s| async move {
        let draft = courant_store::ListDraft {
            slug: format!("checked-{}", std::process::id()),
            name: "Checked briefing".into(),
            description: "The morning's stories.".into(),
            rule: courant_store::ListRule::Latest,
            section_id: None,
            stories: 3,
            send_minute: Some(7 * 60),
            days: vec![1, 2, 3, 4, 5],
            active: true,
        };
        s.save_newsletter_list(None, &draft, None, time::OffsetDateTime::now_utc()).await.expect("a newsletter")
    })
    .await;
    let pages = [
        ("home", "/".to_string(), 200),
        ("section", format!("/{}", f.news.slug), 200),
        ("section-page-2", format!("/{}?page=2", f.archive.slug), 200),
        ("subsection", format!("/{}", f.world.slug), 200),
        ("tag", format!("/tag/{}", f.tags[0].slug), 200),
        ("author", format!("/author/{}", f.author.slug), 200),
        ("source", format!("/source/{}", f.sources[0].slug), 200),
        ("article", f.main_path.clone(), 200),
        ("hostile-article", f.hostile_path.clone(), 200),
        ("search", "/search?q=harbour".to_string(), 200),
        ("search-nothing", "/search?q=xylophonic".to_string(), 200),
        ("newsletters", "/newsletters?email=reader%40example.org".to_string(), 200),
        ("newsletters-bad-link", "/newsletters/manage?t=1.abc".to_string(), 404),
        ("not-found", "/no/such/page".to_string(), 404),
        ("gone", f.unpublished_path.clone(), 410),
    ];
    let dir = tempfile::tempdir().expect("tempdir");
    let mut files = Vec::new();
    let site = courant::Config::default().site.url;
    for (name, path, status) in &pages {
        let r = app.get(path).await;
        assert_eq!(r.status, *status, "GET {path}: {}", r.describe());
        // Issue 19: every page has a picture for social previews (its own, or the site's), and
        // the site's icons and manifest.
        let doc = scraper::Html::parse_document(&r.body);
        let meta = |property: &str| {
            select_all(&doc, &format!("meta[property=\"{property}\"]"))
                .first()
                .and_then(|m| m.value().attr("content").map(str::to_string))
        };
        let image = meta("og:image").unwrap_or_else(|| panic!("{name} ({path}) has no og:image"));
        let image_path = image
            .strip_prefix(site.trim_end_matches('/'))
            .unwrap_or_else(|| panic!("{name}: og:image {image} is not absolute"));
        let picture = app.get(image_path).await;
        assert_eq!(picture.status, 200, "{name}: og:image {image_path}: {}", picture.describe());
        assert!(meta("og:image:width").is_some() && meta("og:image:height").is_some(), "{name}: og:image's size");
        for link in ["link[rel=icon][href=\"/favicon.ico\"]", "link[rel=apple-touch-icon]", "link[rel=manifest]"] {
            assert_eq!(select_all(&doc, link).len(), 1, "{name} ({path}): {link}");
        }
        let file = dir.path().join(format!("{name}.html"));
        std::fs::write(&file, &r.body).expect("write page");
        files.push(file);
    }
    assert_valid_html(&files);
}

/// Runs the Nu Html Checker over HTML files; fails with its messages on any error.
pub(crate) fn assert_valid_html(files: &[std::path::PathBuf]) {
    let out = Command::new("java")
        .arg("-jar")
        .arg(vnu_jar())
        .args(["--errors-only", "--format", "gnu"])
        .args(files)
        .output()
        .expect("java is missing: install default-jre-headless (scripts/test does)");
    let messages = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success() && messages.trim().is_empty(), "the Nu Html Checker reports errors:\n{messages}");
}

/// Issue 19: the icons a browser and a phone ask for, the web app manifest, and the PNG
/// wordmark the structured data names as the publisher's logo, all drawn from the name.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_site_has_its_icons_manifest_and_a_png_publisher_logo() {
    let app = app();
    for (path, content_type, size) in [
        ("/favicon.ico", "image/x-icon", None),
        ("/apple-touch-icon.png", "image/png", Some((180, 180))),
        ("/static/icon-192.png", "image/png", Some((192, 192))),
        ("/static/icon-512.png", "image/png", Some((512, 512))),
        ("/static/logo.png", "image/png", Some((600, 60))),
        ("/static/social.png", "image/png", Some((1200, 630))),
    ] {
        let r = app.get(path).await;
        assert_eq!(r.status, 200, "GET {path}: {}", r.describe());
        assert_eq!(r.headers.get("content-type").and_then(|v| v.to_str().ok()), Some(content_type), "{path}");
        let png = if path.ends_with(".ico") {
            // One image, a PNG, after the 22 bytes of the ICO header and its entry.
            assert_eq!(&r.bytes[..6], &[0, 0, 1, 0, 1, 0], "{path}: an ICO of one image");
            &r.bytes[22..]
        } else {
            &r.bytes[..]
        };
        let (format, w, h) = courant_media::probe(png).unwrap_or_else(|e| panic!("{path} is not a picture: {e}"));
        assert_eq!(format, "png", "{path}");
        assert_eq!(Some((w, h)), size.or(Some((32, 32))), "{path}");
    }
    let manifest: serde_json::Value =
        serde_json::from_str(&app.get("/manifest.webmanifest").await.body).expect("the manifest is JSON");
    assert_eq!(manifest["name"], serde_json::json!(courant::Config::default().site.title));
    assert_eq!(manifest["start_url"], serde_json::json!("/"));
    let icons = manifest["icons"].as_array().expect("icons");
    assert_eq!(icons.len(), 2);
    for icon in icons {
        let src = icon["src"].as_str().expect("src");
        assert_eq!(app.get(src).await.status, 200, "{src}");
    }
    // The publisher's logo in the structured data is the PNG.
    let home = app.get("/").await.body;
    assert!(home.contains("/static/logo.png"), "the home page's structured data names the PNG logo");
}

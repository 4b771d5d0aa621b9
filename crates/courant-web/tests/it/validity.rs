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
    for (name, path, status) in &pages {
        let r = app.get(path).await;
        assert_eq!(r.status, *status, "GET {path}: {}", r.describe());
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

//! What the server answers when a page is missing, withdrawn, moved or asked for badly, and the
//! files that are not pages.

use crate::support::*;
use courant_core::Section;

const HTML: &str = "text/html; charset=utf-8";

/// Asserts that `r` is the site's error page with `status` and `title`, offering a way back home
/// and to every top-level section.
fn assert_error_page(r: &Resp, status: u16, title: &str, top: &[Section]) {
    r.expect_status(status);
    assert_eq!(r.content_type(), HTML, "GET {}: content-type of the error page", r.path);
    let doc = r.html();
    let h1s: Vec<String> = select_all(&doc, "h1").into_iter().map(text).collect();
    assert_eq!(h1s, vec![title.to_string()], "GET {}: the error page's h1; {}", r.path, r.describe());
    let links: Vec<String> = select_all(&doc, ".error-links a").into_iter().map(|a| attr(a, "href")).collect();
    assert!(links.iter().any(|l| l == "/"), "GET {}: the error page should link home; its links: {links:?}", r.path);
    for s in top {
        let url = format!("/{}", s.slug);
        assert!(
            links.contains(&url),
            "GET {}: the error page should link the section {url}; its links: {links:?}",
            r.path
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_paths_answer_404_with_the_error_page() {
    let app = app();
    let top = app.top_sections().await;
    assert!(top.len() >= 2, "expected the demo's and the fixture's top-level sections, found {top:?}");
    let title = &app.config.labels.not_found_title;
    for path in
        ["/no-such-page-anywhere", "/a/b/c", "/tag/no-such-tag", "/author/nobody-here", "/source/nowhere-at-all"]
    {
        let r = app.get(path).await;
        assert_error_page(&r, 404, title, &top);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_article_slug_is_404() {
    let app = app();
    let path = format!("/{}/2026/11/20/no-such-story-was-ever-written", app.fixture.world.slug);
    let r = app.get(&path).await;
    assert_error_page(&r, 404, &app.config.labels.not_found_title, &app.top_sections().await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unpublished_story_is_410_gone_with_a_page() {
    let app = app();
    let r = app.get(&app.fixture.unpublished_path).await;
    assert_error_page(&r, 410, &app.config.labels.gone_title, &app.top_sections().await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn draft_is_404() {
    let app = app();
    let f = &app.fixture;
    // Wherever a reader guesses it to be, a draft does not exist.
    for path in [f.draft_guess_path.clone(), format!("/{}/2020/01/01/{}", f.news.slug, f.draft_slug)] {
        let r = app.get(&path).await;
        r.expect_status(404);
        assert_eq!(r.content_type(), HTML, "GET {path}: content-type");
        assert!(
            !r.body.contains("Unfinished draft about the quay"),
            "GET {path}: the draft's headline leaked into the 404 page"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn renamed_story_redirects_permanently_from_its_old_address() {
    let app = app();
    let f = &app.fixture;
    let r = app.get(&f.renamed_old_path).await;
    r.expect_status(301);
    assert_eq!(
        r.header("location"),
        Some(f.renamed_new_path.as_str()),
        "GET {}: Location of the redirect",
        f.renamed_old_path
    );
    app.get(&f.renamed_new_path).await.expect_status(200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn right_slug_at_the_wrong_address_redirects_to_the_canonical_one() {
    let app = app();
    let f = &app.fixture;
    let slug = &f.main.slug;
    let wrong = [
        format!("/{}/2026/11/20/{slug}", f.news.slug),
        format!("/{}/2025/01/02/{slug}", f.world.slug),
        format!("/{}/2026/11/21/{slug}", f.world.slug),
        format!("/{}/2026/11/20/{slug}", f.archive.slug),
    ];
    for path in wrong {
        let r = app.get(&path).await;
        r.expect_status(301);
        assert_eq!(r.header("location"), Some(f.main_path.as_str()), "GET {path}: Location of the redirect");
    }
    // The canonical address itself does not redirect.
    app.get(&f.main_path).await.expect_status(200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_page_number_is_a_bad_request_that_says_why() {
    let app = app();
    let world = &app.fixture.world.slug;
    for query in ["page=abc", "page=0", "page=-3", "page=2.5"] {
        let path = format!("/{world}?{query}");
        let r = app.get(&path).await;
        r.expect_status(400);
        assert!(
            r.body.to_lowercase().contains("page"),
            "GET {path}: the 400 message should mention the page parameter, it reads {:?}",
            r.excerpt()
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn page_beyond_the_end_is_404() {
    let app = app();
    let f = &app.fixture;
    let top = app.top_sections().await;
    let title = &app.config.labels.not_found_title;
    // Past the deepest page any listing answers, too: the same page, not a plain-text error.
    for path in [
        format!("/{}?page=500", f.world.slug),
        format!("/{}?page=3", f.archive.slug),
        format!("/{}?page=99999", f.world.slug),
        format!("/tag/{}?page=18446744073709551615", f.tags[0].slug),
    ] {
        let r = app.get(&path).await;
        assert_error_page(&r, 404, title, &top);
    }
    // The last page exists.
    app.get(&format!("/{}?page=2", f.archive.slug)).await.expect_status(200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn health_check_answers() {
    let app = app();
    let r = app.get("/healthz").await;
    r.expect_status(200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stylesheet_under_a_wrong_name_is_404() {
    let app = app();
    app.get("/static/site.wrong.css").await.expect_status(404);
    app.get("/static/site.css").await.expect_status(404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn media_outside_the_media_folder_or_missing_is_404() {
    let app = app();
    // Sent byte for byte: an HTTP client would resolve the `..` before sending.
    let (status, raw) = app.raw_get("/media/../courant.db").await;
    assert_eq!(status, 404, "raw GET /media/../courant.db: expected 404, got {status}: {}", excerpt(&raw));

    // `..` is refused even when it leads back to a real picture.
    let hero = app.fixture.main.hero.as_ref().expect("fixture: the main article has a hero");
    let direct = format!("/media/{}", hero.file);
    app.get(&direct).await.expect_status(200);
    let (dir, name) = hero.file.rsplit_once('/').unwrap_or(("", hero.file.as_str()));
    let sneaky = if dir.is_empty() { format!("/media/xx/../{name}") } else { format!("/media/{dir}/../{dir}/{name}") };
    let (status, raw) = app.raw_get(&sneaky).await;
    assert_eq!(status, 404, "raw GET {sneaky}: expected 404, got {status}: {}", excerpt(&raw));

    app.get("/media/xx/none.jpg").await.expect_status(404);
    app.get("/media/courant.db").await.expect_status(404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_html_answer_is_utf8_html() {
    let app = app();
    let f = &app.fixture;
    let pages: Vec<(String, u16)> = vec![
        ("/".into(), 200),
        (format!("/{}", f.news.slug), 200),
        (format!("/{}?page=2", f.archive.slug), 200),
        (f.main_path.clone(), 200),
        (f.hostile_path.clone(), 200),
        (format!("/tag/{}", f.tags[0].slug), 200),
        (format!("/author/{}", f.author.slug), 200),
        (format!("/source/{}", f.sources[0].slug), 200),
        ("/no-such-page-anywhere".into(), 404),
        ("/a/b/c/d/e/f".into(), 404),
        (f.draft_guess_path.clone(), 404),
        (f.unpublished_path.clone(), 410),
    ];
    for (path, status) in pages {
        let r = app.get(&path).await;
        r.expect_status(status);
        assert_eq!(r.content_type(), HTML, "GET {path}: content-type");
        assert!(
            r.body.trim_start().to_ascii_lowercase().starts_with("<!doctype html>"),
            "GET {path}: an HTML page should start with <!DOCTYPE html>: {}",
            r.excerpt()
        );
    }
}

// Issue 15: the old addresses of imported stories (a WordPress permalink, `/?p=ID`) lead to
// them with 301; an old address of a story that is not public leads nowhere.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn old_addresses_of_imported_stories_redirect_permanently() {
    let app = app();
    let f = &app.fixture;
    let draft = app.store.article_by_slug(&f.draft_slug).await.expect("read").expect("the draft");
    let mut write = app.store.write().await.expect("write");
    write.add_redirect("/2019/04/02/ferry-fares-rise", f.main.id).await.expect("redirect");
    write.add_redirect("/?p=4242", f.main.id).await.expect("redirect");
    write.add_redirect("/2019/04/03/a-draft-never-published", draft.id).await.expect("redirect");
    write.add_redirect("/?p=4343", draft.id).await.expect("redirect");
    write.commit().await.expect("commit");
    for old in ["/2019/04/02/ferry-fares-rise/", "/2019/04/02/ferry-fares-rise", "/?p=4242", "/?p=04242&utm_source=x"] {
        let r = app.get(old).await;
        r.expect_status(301);
        assert_eq!(r.header("location"), Some(f.main_path.as_str()), "GET {old}: Location of the redirect");
    }
    for nowhere in ["/2019/04/03/a-draft-never-published/", "/?p=4343", "/?p=999999", "/2019/04/02/never-imported/"] {
        let r = app.get(nowhere).await;
        r.expect_status(404);
        assert_eq!(r.header("location"), None, "GET {nowhere}");
    }
    // The home page itself is not disturbed by other queries.
    app.get("/?utm_source=newsletter").await.expect_status(200);
}

//! Issue 19: the publication's own pages. An editor writes one in the newsroom; readers find it
//! at its address and in every page's footer (the cached front page follows at once); a refused
//! page says why and keeps what was typed; contributors cannot reach the pages; a deleted page
//! is gone.

use super::server::Server;
use super::*;
use courant_core::Role;

fn footer_links(html: &str) -> Vec<String> {
    let doc = Html::parse_document(html);
    select_all(&doc, ".site-footer-pages a").iter().filter_map(|a| a.value().attr("href").map(str::to_string)).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn editors_write_the_sites_own_pages_and_readers_find_them_in_the_footer() {
    let mut options = courant_demo::DemoOptions::new(8, time::OffsetDateTime::now_utc());
    options.picture_pool = 2;
    let server = Server::own(spawn_server(courant::Config::default(), options));
    let (_, email) = server.new_user(Role::Editor, "pages-editor").await;
    let editor = server.login(&email, PASSWORD).await;
    let (_, email) = server.new_user(Role::Contributor, "pages-writer").await;
    let writer = server.login(&email, PASSWORD).await;
    let nobody = Session::anonymous();

    // The front page, cached before the page exists.
    let home = server.get(&nobody, "/").await;
    assert_eq!(home.status, 200);
    assert!(!footer_links(&home.body).contains(&"/corrections".to_string()));
    assert!(footer_links(&home.body).contains(&"/rss.xml".to_string()), "the feed is in the footer");

    let list = server.get(&editor, "/newsroom/pages").await;
    assert_eq!(list.status, 200, "{}", show(&list));
    let form = form_fields(&list.body, "form[action=\"/newsroom/pages\"]");

    // A section's address is refused, with the reason, and what was typed stays.
    let sections = server.store(|s| async move { s.sections().await }).await.expect("sections");
    let taken = sections[0].slug.clone();
    let body = "## How we correct\n\nWe say what was wrong, <script>alert(1)</script> and when.";
    let refused = server
        .post_form(
            &editor,
            "/newsroom/pages",
            &with(form.clone(), &[("title", "Corrections"), ("slug", &taken), ("body", body)]),
        )
        .await;
    assert_eq!(refused.status, 422, "{}", show(&refused));
    assert!(errors_of(&refused).contains("Address"), "{}", errors_of(&refused));
    let kept = form_fields(&refused.body, "form[action=\"/newsroom/pages\"]");
    assert_eq!(value_of(&kept, "title"), "Corrections");
    assert_eq!(value_of(&kept, "body"), body);

    let saved = server
        .post_form(
            &editor,
            "/newsroom/pages",
            &with(form, &[("title", "Corrections"), ("slug", "corrections"), ("body", body)]),
        )
        .await;
    assert_eq!(saved.status, 303, "{}", show(&saved));
    let edit_url = saved.headers.get("location").and_then(|v| v.to_str().ok()).expect("where it went").to_string();
    let edit_path = edit_url.split('?').next().unwrap_or_default().to_string();

    // Readers: the page, its Markdown rendered and sanitised, and the footer everywhere.
    let page = server.get(&nobody, "/corrections").await;
    assert_eq!(page.status, 200, "{}", show(&page));
    let doc = Html::parse_document(&page.body);
    let heading = |css: &str| first(&doc, css).map(text).unwrap_or_default();
    assert_eq!(heading("main h1"), "Corrections");
    assert_eq!(heading("main .article-body h2"), "How we correct");
    assert!(!page.body.contains("<script>alert"), "the body is sanitised");
    assert_eq!(select_all(&doc, "link[rel=canonical][href$=\"/corrections\"]").len(), 1);
    let home = server.get(&nobody, "/").await;
    assert!(footer_links(&home.body).contains(&"/corrections".to_string()), "the cached front page follows");

    // Taken out of the footer: still at its address.
    let item = server.get(&editor, &edit_path).await;
    assert_eq!(item.status, 200, "{}", show(&item));
    let fields = form_fields(&item.body, &format!("form[action=\"{edit_path}\"]"));
    let changed = server.post_form(&editor, &edit_path, &without(fields, "in_footer")).await;
    assert_eq!(changed.status, 303, "{}", show(&changed));
    assert!(!footer_links(&server.get(&nobody, "/").await.body).contains(&"/corrections".to_string()));
    assert_eq!(server.get(&nobody, "/corrections").await.status, 200);

    // Contributors: no pages.
    assert_eq!(server.get(&writer, "/newsroom/pages").await.status, 403);
    let sneaky = server
        .post_form(
            &writer,
            "/newsroom/pages",
            &[("csrf", writer.csrf.as_str()), ("title", "Mine"), ("slug", "mine"), ("body", "x")],
        )
        .await;
    assert_eq!(sneaky.status, 403, "{}", show(&sneaky));
    assert_eq!(server.get(&nobody, "/mine").await.status, 404);

    // Deleted: gone.
    let deleted = server.post_form(&editor, &format!("{edit_path}/delete"), &[("csrf", editor.csrf.as_str())]).await;
    assert_eq!(deleted.status, 303, "{}", show(&deleted));
    assert_eq!(server.get(&nobody, "/corrections").await.status, 404);
}

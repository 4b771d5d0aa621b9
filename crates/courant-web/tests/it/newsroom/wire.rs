//! Issue 16: the wire desk as a writer uses it: the newest copy first, filtered by agency,
//! an item's whole copy with its embargo in red, and a story started from it that names its
//! provenance; copy that carried a script shows none.

use super::server::Server;
use super::*;
use courant_core::{Role, WireItem};
use time::{Duration, OffsetDateTime};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn writers_read_the_wire_and_start_a_story_from_an_item() {
    let mut options = courant_demo::DemoOptions::new(6, OffsetDateTime::now_utc());
    options.picture_pool = 2;
    let server = Server::own(spawn_server(courant::Config::default(), options));
    let (_, email) = server.new_user(Role::Contributor, "wire-writer").await;
    let session = server.login(&email, PASSWORD).await;
    let now = OffsetDateTime::now_utc();
    let items = vec![
        WireItem {
            source: "Harbour Wire".into(),
            guid: "urn:hw:1".into(),
            version: 1,
            headline: "Ferry runs again after repairs".into(),
            byline: "Ada Quill".into(),
            body_html:
                "<p>PORTSMOUTH (HW) -- The ferry runs again.</p><script>alert(1)</script><p onclick=\"x()\">More.</p>"
                    .into(),
            embargo: Some(now + Duration::hours(3)),
            subjects: vec!["Transport".into()],
            ..WireItem::default()
        },
        WireItem {
            source: "Rail Wire".into(),
            guid: "urn:rw:1".into(),
            version: 1,
            headline: "Signal fault delays trains".into(),
            body_html: "<p>Trains are late at Brindlecombe junction.</p>".into(),
            ..WireItem::default()
        },
    ];
    let stored = server
        .store(move |s| async move { s.ingest_wire_items(&items, "IPTC ninjs", now).await })
        .await
        .expect("ingest");
    let ferry = stored[0].0;

    let desk = server.get(&session, "/newsroom/wire").await;
    assert_eq!(desk.status, 200, "{}", show(&desk));
    let doc = desk.html();
    let headlines: Vec<String> = select_all(&doc, ".wire-table tbody th a").into_iter().map(text).collect();
    assert_eq!(headlines, ["Signal fault delays trains", "Ferry runs again after repairs"], "newest first");
    assert_eq!(select_all(&doc, ".wire-table .embargo").len(), 1, "the embargoed item says so");
    let filtered = server.get(&session, "/newsroom/wire?source=Harbour+Wire").await.html();
    let headlines: Vec<String> = select_all(&filtered, ".wire-table tbody th a").into_iter().map(text).collect();
    assert_eq!(headlines, ["Ferry runs again after repairs"]);

    // Words of the copy find it on the desk, never in the public search.
    let searched = server.get(&session, "/newsroom/wire?q=brindlecomb").await.html();
    let headlines: Vec<String> = select_all(&searched, ".wire-table tbody th a").into_iter().map(text).collect();
    assert_eq!(headlines, ["Signal fault delays trains"]);
    let rows_url: Vec<String> = select_all(&searched, "#wire-desk").into_iter().map(|d| attr(d, "data-rows")).collect();
    assert_eq!(rows_url, ["/newsroom/wire/rows?q=brindlecomb"], "the desk's script keeps the search");
    let none = server.get(&session, "/newsroom/wire?q=brindlecombe+ferry").await.html();
    assert!(
        select_all(&none, ".wire-table").is_empty()
            && text(select_all(&none, "p.empty")[0]).contains("No item matches")
    );
    let public = server.get(&Session::anonymous(), "/search?q=Brindlecombe").await;
    assert_eq!(public.status, 200, "{}", show(&public));
    assert!(!public.body.contains("Signal fault") && !public.body.contains("/newsroom/wire"), "{}", public.body);

    // What came in after the desk's newest row, as its script asks: the rows only.
    let later = now + Duration::seconds(1);
    let newer = vec![WireItem {
        source: "Rail Wire".into(),
        guid: "urn:rw:2".into(),
        version: 1,
        headline: "Trains run again at Brindlecombe".into(),
        ..WireItem::default()
    }];
    server.store(move |s| async move { s.ingest_wire_items(&newer, "RSS", later).await }).await.expect("ingest");
    let after = time::format_description::well_known::Rfc3339;
    let after = later.format(&after).expect("format");
    let path = format!(
        "/newsroom/wire/rows?q=brindlecomb&after={}",
        form_urlencoded::byte_serialize(after.as_bytes()).collect::<String>()
    );
    let rows = server.get(&session, &path).await;
    assert_eq!(rows.status, 200, "{}", show(&rows));
    assert!(!rows.body.contains("<html"), "a fragment, not a page");
    let fragment = scraper::Html::parse_fragment(&format!("<table><tbody>{}</tbody></table>", rows.body));
    let headlines: Vec<String> = select_all(&fragment, "tr[data-item] th a").into_iter().map(text).collect();
    assert_eq!(headlines, ["Trains run again at Brindlecombe"], "{}", rows.body);
    let bad = server.get(&session, "/newsroom/wire/rows?after=yesterday").await;
    assert_eq!(bad.status, 400, "{}", show(&bad));
    assert!(to_login(&server.get(&Session::anonymous(), "/newsroom/wire/rows").await), "not for readers");

    let page = server.get(&session, &format!("/newsroom/wire/{ferry}")).await;
    assert_eq!(page.status, 200, "{}", show(&page));
    let doc = page.html();
    assert_eq!(select_all(&doc, "h1").into_iter().map(text).collect::<Vec<_>>(), ["Ferry runs again after repairs"]);
    assert!(!select_all(&doc, "p.embargo[role=alert]").is_empty(), "the embargo in red");
    assert!(select_all(&doc, ".wire-body script, .wire-body [onclick]").is_empty(), "{}", page.body);
    assert!(select_all(&doc, ".wire-body p").len() >= 2);

    // A story from it: the form asks for a section.
    let form = form_fields(&page.body, &format!("form[action=\"/newsroom/wire/{ferry}/write\"]"));
    let refused = server.post_form(&session, &format!("/newsroom/wire/{ferry}/write"), &form).await;
    assert_eq!(refused.status, 422, "{}", show(&refused));
    let sections = server.store(|s| async move { s.sections().await }).await.expect("sections");
    let chosen = sections[0].id.0.to_string();
    let written = server
        .post_form(&session, &format!("/newsroom/wire/{ferry}/write"), &with(form, &[("section", chosen.as_str())]))
        .await;
    assert_eq!(written.status, 303, "{}", show(&written));
    let editor_url = written.header("location").unwrap_or_default().to_string();
    let editor = server.get(&session, &editor_url).await;
    assert_eq!(editor.status, 200, "{}", show(&editor));
    let doc = editor.html();
    let provenance: Vec<String> = select_all(&doc, ".provenance a").into_iter().map(|a| attr(a, "href")).collect();
    assert_eq!(provenance, [format!("/newsroom/wire/{ferry}")]);
    let fields = form_fields(&editor.body, "#editor-form");
    assert_eq!(value_of(&fields, "headline"), "Ferry runs again after repairs");
    assert!(value_of(&fields, "body").starts_with("PORTSMOUTH (HW)"), "{fields:?}");

    // Several ticked items make one story, with every agency among its sources.
    let rail = stored[1].0;
    let desk_form = form_fields(&server.get(&session, "/newsroom/wire").await.body, "form.wire-pick");
    let mut picked = with(desk_form, &[("section", chosen.as_str())]);
    picked.retain(|(k, _)| k != "item");
    picked.push(("item".into(), ferry.to_string()));
    picked.push(("item".into(), rail.to_string()));
    let written = server.post_form(&session, "/newsroom/wire/write", &picked).await;
    assert_eq!(written.status, 303, "{}", show(&written));
    let editor_page = server.get(&session, written.header("location").unwrap_or_default()).await.html();
    assert_eq!(select_all(&editor_page, ".provenance a").len(), 2);
    let nothing = server
        .post_form(&session, "/newsroom/wire/write", &[("csrf", session.csrf.as_str()), ("section", chosen.as_str())])
        .await;
    assert_eq!(nothing.status, 422, "{}", show(&nothing));

    // Editors manage the feeds the desk polls (loopback only: tests send nothing away).
    assert_eq!(server.get(&session, "/newsroom/wire/feeds").await.status, 403, "writers do not");
    let (_, editor_email) = server.new_user(Role::Editor, "wire-editor").await;
    let editor = server.login(&editor_email, PASSWORD).await;
    let page = server.get(&editor, "/newsroom/wire/feeds").await;
    let form = form_fields(&page.body, "form[action=\"/newsroom/wire/feeds\"]");
    let bad = server
        .post_form(&editor, "/newsroom/wire/feeds", &with(form.clone(), &[("url", "ftp://x"), ("source", "X")]))
        .await;
    assert_eq!(bad.status, 422, "{}", show(&bad));
    assert!(errors_of(&bad).contains("Address"), "{}", errors_of(&bad));
    let url = "http://127.0.0.1:9/wire.xml";
    let added = server
        .post_form(
            &editor,
            "/newsroom/wire/feeds",
            &with(form, &[("url", url), ("source", "Loop Wire"), ("minutes", "5")]),
        )
        .await;
    assert_eq!(added.status, 303, "{}", show(&added));
    let listed = server.get(&editor, "/newsroom/wire/feeds").await.html();
    let urls: Vec<String> = select_all(&listed, ".feeds-table tbody th").into_iter().map(text).collect();
    assert_eq!(urls, [url]);
    let feeds = server.store(|s| async move { s.wire_feeds(OffsetDateTime::now_utc()).await }).await.expect("feeds");
    let id = feeds[0].0.id;
    let paused =
        server.post_form(&editor, &format!("/newsroom/wire/feeds/{id}/pause"), &[("csrf", editor.csrf.as_str())]).await;
    assert_eq!(paused.status, 303, "{}", show(&paused));
    let listed = server.get(&editor, "/newsroom/wire/feeds").await.html();
    assert_eq!(select_all(&listed, ".feeds-table .badge").into_iter().map(text).collect::<Vec<_>>(), ["paused"]);
    let removed = server
        .post_form(&editor, &format!("/newsroom/wire/feeds/{id}/delete"), &[("csrf", editor.csrf.as_str())])
        .await;
    assert_eq!(removed.status, 303, "{}", show(&removed));
    assert!(
        server.store(|s| async move { s.wire_feeds(OffsetDateTime::now_utc()).await }).await.expect("feeds").is_empty()
    );
}

/// Sets a file's modification time back, so the drop folder takes it as settled.
fn settle(path: &std::path::Path) {
    let file = std::fs::File::options().write(true).open(path).expect("open");
    file.set_modified(std::time::SystemTime::now() - std::time::Duration::from_secs(60)).expect("set mtime");
}

// Issue 16: the drop folder ingests each settled file whole, moves it to done/ or to failed/
// with NAME.error saying why, and leaves files still arriving alone.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_drop_folder_ingests_files_and_says_why_it_refused_others() {
    let store = courant_store::testing::TestStore::new().await;
    let dir = tempfile::tempdir().expect("tempdir");
    let drop = dir.path();
    let testdata = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/testdata");
    std::fs::copy(testdata.join("wire/ninjs/3.1_004_simple_text_article.json"), drop.join("item.json")).expect("copy");
    std::fs::copy(testdata.join("feeds/malformed/feedparser__rss_incomplete_cdata.xml"), drop.join("cut.xml"))
        .expect("copy");
    std::fs::write(
        drop.join("laughs.xml"),
        "<?xml version=\"1.0\"?><!DOCTYPE rss [<!ENTITY a \"lol\"><!ENTITY b \"&a;&a;&a;\">]><rss><channel><title>&b;</title></channel></rss>",
    )
    .expect("write");
    std::fs::write(drop.join(".arriving.json"), "{").expect("write");
    for name in ["item.json", "cut.xml", "laughs.xml"] {
        settle(&drop.join(name));
    }
    std::fs::write(drop.join("fresh.json"), "{").expect("write");

    let handled = courant_web::wire::drop_folder(&store, drop, "Drop Wire").await.expect("the folder is read");
    assert_eq!(handled, 3, "the settled files, not the hidden one or the one still being written");
    assert!(drop.join("done/item.json").is_file());
    let reason = std::fs::read_to_string(drop.join("failed/cut.xml.error")).expect("why cut.xml failed");
    assert!(reason.contains("line 14"), "{reason}");
    let reason = std::fs::read_to_string(drop.join("failed/laughs.xml.error")).expect("why laughs.xml failed");
    assert!(reason.contains("declares entities"), "{reason}");
    assert!(drop.join(".arriving.json").is_file() && drop.join("fresh.json").is_file());
    let items = store.wire_items(&courant_store::WireFilter::default(), 10, None).await.expect("items");
    assert_eq!(items.len(), 1);
    assert_eq!(items[0].item.headline, "Captain of wrecked cruise ship on trial in Italy");
    assert_eq!(items[0].item.source, "Drop Wire", "an item naming no source gets the folder's");

    // The same file dropped again is known: nothing new, and it is kept as done/item.json.1.
    std::fs::copy(testdata.join("wire/ninjs/3.1_004_simple_text_article.json"), drop.join("item.json")).expect("copy");
    settle(&drop.join("item.json"));
    courant_web::wire::drop_folder(&store, drop, "Drop Wire").await.expect("the folder is read");
    assert!(drop.join("done/item.json.1").is_file());
    assert_eq!(store.wire_items(&courant_store::WireFilter::default(), 10, None).await.expect("items").len(), 1);

    // Retention: copy no story uses goes after its time (the store's tests keep used copy).
    let gone = store.delete_wire_items_before(OffsetDateTime::now_utc() + Duration::days(1)).await.expect("retention");
    assert_eq!(gone, 1);
}

/// A feed server on loopback: `/feed.xml` (with an ETag, 304 when it is sent back), `/broken`
/// (500), `/slow` (answers after 3 s) and `/big` (6 MB). Counts the conditional requests.
async fn feed_server() -> (String, std::sync::Arc<std::sync::atomic::AtomicUsize>) {
    use axum::http::{HeaderMap, StatusCode, header};
    use axum::routing::get;
    use std::sync::atomic::{AtomicUsize, Ordering};
    let conditional = std::sync::Arc::new(AtomicUsize::new(0));
    let seen = conditional.clone();
    let rss = r#"<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Loopback Wire</title>
<item><title>Harbour opens at dawn</title><guid>urn:lw:1</guid><link>http://127.0.0.1/1</link><description>The harbour opens.</description></item>
<item><title>Ferries run late</title><guid>urn:lw:2</guid><link>http://127.0.0.1/2</link><description>Ferries run late.</description></item>
</channel></rss>"#;
    let app = axum::Router::new()
        .route(
            "/feed.xml",
            get(move |headers: HeaderMap| {
                let seen = seen.clone();
                async move {
                    if headers.get(header::IF_NONE_MATCH).is_some_and(|v| v == "\"v1\"") {
                        seen.fetch_add(1, Ordering::SeqCst);
                        return (StatusCode::NOT_MODIFIED, [(header::ETAG, "\"v1\"")], String::new());
                    }
                    (StatusCode::OK, [(header::ETAG, "\"v1\"")], rss.to_string())
                }
            }),
        )
        .route("/broken", get(|| async { (StatusCode::INTERNAL_SERVER_ERROR, "down") }))
        .route(
            "/slow",
            get(|| async {
                tokio::time::sleep(std::time::Duration::from_secs(3)).await;
                "late"
            }),
        )
        .route("/big", get(|| async { "x".repeat(6 * 1024 * 1024) }));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("address"));
    tokio::spawn(async move { axum::serve(listener, app).await });
    (base, conditional)
}

// Issue 16: polled feeds: items come in, the server's ETag is sent back (304: nothing new),
// and a 500, a slow answer and an oversize one are kept on the feed in words, with a longer
// wait before the next try.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn feeds_are_polled_conditionally_and_failures_are_kept_in_words() {
    let store = courant_store::testing::TestStore::new().await;
    let (base, conditional) = feed_server().await;
    let now = OffsetDateTime::now_utc();
    let mut ids = Vec::new();
    for path in ["/feed.xml", "/broken", "/slow", "/big"] {
        let new = courant_store::NewWireFeed {
            url: format!("{base}{path}"),
            source: "Loopback Wire".into(),
            interval_seconds: 60,
        };
        ids.push(store.add_wire_feed(&new, now).await.expect("add"));
    }
    let settings = courant_web::wire::WireSettings { feed_timeout_seconds: 1, ..Default::default() };
    let client = courant_web::wire::feed_client(&settings).expect("a client");
    assert_eq!(courant_web::wire::poll_feeds(&store, &client).await.expect("poll"), 4);
    assert_eq!(courant_web::wire::poll_feeds(&store, &client).await.expect("poll"), 0, "none due again yet");

    let feeds = store.wire_feeds(now - Duration::hours(1)).await.expect("feeds");
    let by_url = |path: &str| feeds.iter().find(|(f, _)| f.url.ends_with(path)).expect("the feed").clone();
    let (good, recent) = by_url("/feed.xml");
    assert_eq!((good.failures, good.etag.as_str(), recent), (0, "\"v1\"", 2), "{good:?}");
    assert!(good.last_success_at.is_some());
    let (broken, _) = by_url("/broken");
    assert_eq!(broken.last_error, "the server answered 500 Internal Server Error");
    assert_eq!(broken.failures, 1);
    assert!(broken.next_poll_at > good.next_poll_at, "a failure waits longer: {broken:?} {good:?}");
    assert_eq!(by_url("/slow").0.last_error, "no answer in time (the server is slow or down)");
    assert_eq!(by_url("/big").0.last_error, "the answer is over 5 MB");
    let items = store.wire_items(&courant_store::WireFilter::default(), 10, None).await.expect("items");
    assert_eq!(items.len(), 2);
    assert!(items.iter().all(|i| i.item.source == "Loopback Wire"));

    // Polled again: the ETag goes back, the server says 304, nothing changes.
    store.pause_wire_feed(ids[0], false, OffsetDateTime::now_utc()).await.expect("due now");
    assert_eq!(courant_web::wire::poll_feeds(&store, &client).await.expect("poll"), 1);
    assert_eq!(conditional.load(std::sync::atomic::Ordering::SeqCst), 1);
    assert_eq!(store.wire_items(&courant_store::WireFilter::default(), 10, None).await.expect("items").len(), 2);
}

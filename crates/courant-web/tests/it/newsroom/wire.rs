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
            body_html: "<p>Trains are late.</p>".into(),
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

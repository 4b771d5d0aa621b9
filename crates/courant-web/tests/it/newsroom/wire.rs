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

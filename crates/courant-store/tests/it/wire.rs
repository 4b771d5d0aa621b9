//! The wire desk's items (issue 16): stored once, replaced in place by a newer version, left
//! alone by the same version or an older one, listed newest first. Run on every backend.

use crate::support::*;
use courant_core::WireItem;
use courant_store::{WireFilter, WireOutcome};
use time::macros::datetime;

fn item(guid: &str, version: i64, headline: &str) -> WireItem {
    WireItem {
        source: "Harbour Wire".into(),
        guid: guid.into(),
        version,
        headline: headline.into(),
        byline: "Ada Quill".into(),
        dateline: "PORTSMOUTH".into(),
        first_created: Some(datetime!(2026-12-01 08:00 UTC)),
        version_created: Some(datetime!(2026-12-01 08:00 UTC)),
        embargo: Some(datetime!(2026-12-01 12:00 UTC)),
        subjects: vec!["Transport".into(), "Ports".into()],
        body_html: "<p>The ferry runs again.</p>".into(),
        pictures: vec!["https://wire.example/p/1.jpg".into()],
        urgency: Some(3),
        link: "https://wire.example/items/1".into(),
        language: "en".into(),
    }
}

#[tokio::test]
async fn newer_versions_replace_items_in_place_and_the_same_version_is_ignored() {
    let t = TestStore::new().await;
    let at = datetime!(2026-12-01 08:01 UTC);
    let first = t
        .ingest_wire_items(
            &[item("urn:1", 1, "Ferry runs again"), item("urn:2", 1, "Port strike ends")],
            "IPTC ninjs",
            at,
        )
        .await
        .expect("ingest");
    assert_eq!(first.iter().map(|(_, o)| *o).collect::<Vec<_>>(), [WireOutcome::New, WireOutcome::New]);
    let (id, _) = first[0];
    let stored = t.wire_item(id).await.expect("read").expect("there");
    assert_eq!(stored.item, item("urn:1", 1, "Ferry runs again"), "every field comes back");
    assert_eq!(stored.format, "IPTC ninjs");
    assert_eq!(stored.received_at, at);

    // The same version again, and an older one: left alone.
    let again =
        t.ingest_wire_items(&[item("urn:1", 1, "Ferry runs again (repeat)")], "IPTC ninjs", at).await.expect("ingest");
    assert_eq!(again, [(id, WireOutcome::Unchanged)]);
    // A newer version: the same row, new content.
    let later = datetime!(2026-12-01 09:00 UTC);
    let mut v2 = item("urn:1", 2, "Ferry runs again after repairs");
    v2.version_created = Some(later);
    let updated = t.ingest_wire_items(&[v2.clone()], "IPTC ninjs", later).await.expect("ingest");
    assert_eq!(updated, [(id, WireOutcome::Updated)]);
    let stored = t.wire_item(id).await.expect("read").expect("there");
    assert_eq!(stored.item.headline, "Ferry runs again after repairs");
    assert_eq!((stored.received_at, stored.updated_at), (at, later));
    let older = t.ingest_wire_items(&[item("urn:1", 1, "Old copy")], "IPTC ninjs", later).await.expect("ingest");
    assert_eq!(older, [(id, WireOutcome::Unchanged)]);
    // The same version made later (a feed's entry updated) replaces it too.
    let mut v2b = v2.clone();
    v2b.version_created = Some(datetime!(2026-12-01 09:30 UTC));
    v2b.headline = "Ferry runs again, timetable inside".into();
    let updated = t.ingest_wire_items(&[v2b], "IPTC ninjs", later).await.expect("ingest");
    assert_eq!(updated, [(id, WireOutcome::Updated)]);

    // Newest first: the item just replaced leads.
    let all = WireFilter::default();
    let listed = t.wire_items(&all, 10, None).await.expect("list");
    assert_eq!(listed.iter().map(|s| s.item.guid.as_str()).collect::<Vec<_>>(), ["urn:1", "urn:2"]);
    let next = t.wire_items(&all, 10, Some(listed[0].id)).await.expect("list");
    assert_eq!(next.iter().map(|s| s.item.guid.as_str()).collect::<Vec<_>>(), ["urn:2"]);

    // Filters: by source, by subject (whole, any case; `%` is not a wildcard), by time.
    let mut other = item("urn:3", 1, "Rail fares rise");
    other.source = "Rail Wire".into();
    other.subjects = vec!["Rail".into(), "100%".into()];
    t.ingest_wire_items(&[other], "RSS", later).await.expect("ingest");
    let guids = |items: Vec<courant_store::StoredWireItem>| items.into_iter().map(|s| s.item.guid).collect::<Vec<_>>();
    let by_source = WireFilter { source: Some("Rail Wire".into()), ..WireFilter::default() };
    assert_eq!(guids(t.wire_items(&by_source, 10, None).await.expect("list")), ["urn:3"]);
    let by_subject = WireFilter { subject: Some("ports".into()), ..WireFilter::default() };
    assert_eq!(guids(t.wire_items(&by_subject, 10, None).await.expect("list")), ["urn:1", "urn:2"]);
    let wild = WireFilter { subject: Some("%".into()), ..WireFilter::default() };
    assert!(t.wire_items(&wild, 10, None).await.expect("list").is_empty());
    let percent = WireFilter { subject: Some("100%".into()), ..WireFilter::default() };
    assert_eq!(guids(t.wire_items(&percent, 10, None).await.expect("list")), ["urn:3"]);
    let since = WireFilter { since: Some(datetime!(2026-12-01 08:30 UTC)), ..WireFilter::default() };
    assert_eq!(guids(t.wire_items(&since, 10, None).await.expect("list")), ["urn:3", "urn:1"]);
    assert_eq!(t.wire_sources().await.expect("sources"), ["Harbour Wire", "Rail Wire"]);
}

#[tokio::test]
async fn old_copy_goes_unless_a_story_was_written_from_it() {
    let t = TestStore::new().await;
    let f = fixture(&t).await;
    let at = datetime!(2026-11-01 08:00 UTC);
    let stored = t
        .ingest_wire_items(&[item("urn:old:1", 1, "Old copy"), item("urn:old:2", 1, "Old copy used")], "RSS", at)
        .await
        .expect("ingest");
    let story = insert(&t, &new_draft(&f, "A story from the wire")).await;
    let mut write = t.write().await.expect("write");
    write.link_wire_item(story, stored[1].0).await.expect("link");
    write.commit().await.expect("commit");
    assert_eq!(t.delete_wire_items_before(datetime!(2026-11-01 07:00 UTC)).await.expect("delete"), 0, "not old yet");
    assert_eq!(t.delete_wire_items_before(datetime!(2026-12-01 00:00 UTC)).await.expect("delete"), 1);
    assert!(t.wire_item(stored[0].0).await.expect("read").is_none());
    assert!(t.wire_item(stored[1].0).await.expect("read").is_some(), "a story's provenance is kept");
    assert_eq!(t.wire_items_of(story).await.expect("read").len(), 1);
}

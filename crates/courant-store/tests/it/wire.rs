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

#[tokio::test]
async fn feeds_are_claimed_by_one_poller_at_a_time_and_keep_their_health() {
    use courant_store::{NewWireFeed, WirePoll};
    let t = TestStore::new().await;
    let at = datetime!(2026-12-01 08:00 UTC);
    let new = |url: &str| NewWireFeed { url: url.into(), source: "Harbour Wire".into(), interval_seconds: 300 };
    let id = t.add_wire_feed(&new("https://wire.example/feed.xml"), at).await.expect("add");
    let refused = t.add_wire_feed(&new("https://wire.example/feed.xml"), at).await;
    assert!(matches!(refused, Err(courant_store::StoreError::Invalid(e)) if e.field == "url"), "no feed twice");
    assert!(t.add_wire_feed(&new("ftp://wire.example/x"), at).await.is_err());
    let mut slow = new("https://wire.example/slow.xml");
    slow.interval_seconds = 10;
    assert!(t.add_wire_feed(&slow, at).await.is_err(), "at most once a minute");

    // Two pollers at once: one gets it.
    let until = at + time::Duration::minutes(1);
    let (a, b) = tokio::join!(t.claim_wire_feeds(at, until, 5), t.claim_wire_feeds(at, until, 5));
    let (a, b) = (a.expect("claim"), b.expect("claim"));
    assert_eq!(a.len() + b.len(), 1, "{a:?} {b:?}");
    assert!(t.claim_wire_feeds(at, until, 5).await.expect("claim").is_empty(), "held");

    // A poll's outcome is its health; the next poll waits for its time.
    let next = at + time::Duration::minutes(5);
    let poll = WirePoll::Fetched { etag: "\"v1\"".into(), last_modified: "Tue, 01 Dec 2026 08:00:00 GMT".into(), next };
    t.record_wire_poll(id, &poll, at).await.expect("record");
    assert!(t.claim_wire_feeds(at + time::Duration::minutes(2), until, 5).await.expect("claim").is_empty(), "not due");
    let due = t.claim_wire_feeds(next, next + time::Duration::minutes(1), 5).await.expect("claim");
    assert_eq!(due.len(), 1);
    assert_eq!((due[0].etag.as_str(), due[0].last_success_at), ("\"v1\"", Some(at)));
    let failed = WirePoll::Failed { error: "the server answered 500".into(), next: next + time::Duration::minutes(10) };
    t.record_wire_poll(id, &failed, next).await.expect("record");
    let listed = t.wire_feeds(at).await.expect("feeds");
    assert_eq!(listed.len(), 1);
    let (feed, recent) = &listed[0];
    assert_eq!((feed.failures, feed.last_error.as_str(), *recent), (1, "the server answered 500", 0));

    // Items a feed gave count as its; paused feeds are not polled; removing keeps the items.
    let mut one = item("urn:feed:1", 1, "From the feed");
    one.source = "Harbour Wire".into();
    t.ingest_feed_items(&[one], "RSS", next, id).await.expect("ingest");
    assert_eq!(t.wire_feeds(at).await.expect("feeds")[0].1, 1);
    t.pause_wire_feed(id, true, next).await.expect("pause");
    let later = next + time::Duration::hours(2);
    assert!(t.claim_wire_feeds(later, later + time::Duration::minutes(1), 5).await.expect("claim").is_empty());
    t.delete_wire_feed(id).await.expect("delete");
    assert!(t.wire_feeds(at).await.expect("feeds").is_empty());
    assert_eq!(t.wire_items(&WireFilter::default(), 10, None).await.expect("items").len(), 1);
}

/// The desk's search: every word, each as a word's start, in the headline, byline, dateline,
/// subjects or copy (not its markup), whatever the case and accents; a newer version is found by
/// its new words only; deleted copy is found no more; the public search never sees any of it.
#[tokio::test]
async fn the_desk_searches_words_of_the_copy_in_any_case_and_accent() {
    let t = TestStore::new().await;
    let at = datetime!(2026-12-01 08:01 UTC);
    let mut ferry = item("urn:s:1", 1, "Ferry runs again");
    ferry.body_html = "<p>The <strong>café</strong> by the pier reopened &amp; queues formed.</p>".into();
    let mut strike = item("urn:s:2", 1, "Port strike ends");
    strike.body_html = "<p>Dockers voted to return on Monday.</p><p class=\"strong\">Covid-19 rules end.</p>".into();
    strike.dateline = "SÉTE".into();
    let stored = t.ingest_wire_items(&[ferry, strike.clone()], "IPTC ninjs", at).await.expect("ingest");
    let (ferry_id, strike_id) = (stored[0].0, stored[1].0);
    let found = |text: &'static str| {
        let t = &t;
        async move {
            let filter = WireFilter { text: Some(text.into()), ..WireFilter::default() };
            t.wire_items(&filter, 10, None).await.expect("search").into_iter().map(|s| s.id).collect::<Vec<_>>()
        }
    };
    assert_eq!(found("CAFE").await, [ferry_id], "case and accents folded");
    assert_eq!(found("quill sete").await, [strike_id], "byline and dateline");
    assert_eq!(found("dock mond").await, [strike_id], "each word as a word's start");
    assert_eq!(found("covid 19").await, [strike_id]);
    assert!(found("strong").await.is_empty(), "markup is not copy");
    assert!(found("ferry dockers").await.is_empty(), "every word must be there");
    assert_eq!(found("transport").await, [strike_id, ferry_id], "subjects, newest first (then by id)");
    assert_eq!(found("  ,;:'\" ").await.len(), 2, "no words: no search");
    assert_eq!(found("\"* ( ) : ^ -- & | ! <-> '").await.len(), 2, "query syntax is only punctuation");
    assert!(found("or near and not").await.is_empty(), "operators are words like any other");

    // A newer version is found by its new words, not its old ones.
    let later = datetime!(2026-12-01 09:00 UTC);
    let mut v2 = strike;
    v2.version = 2;
    v2.body_html = "<p>Dockers went back to work at the container terminal.</p>".into();
    t.ingest_wire_items(&[v2], "IPTC ninjs", later).await.expect("ingest");
    assert_eq!(found("terminal").await, [strike_id]);
    assert!(found("covid").await.is_empty(), "the old version's words are gone");

    // What came at or after a time, as the desk asks every few seconds.
    let after = WireFilter { after: Some(later), ..WireFilter::default() };
    let newer: Vec<i64> = t.wire_items(&after, 10, None).await.expect("after").into_iter().map(|s| s.id).collect();
    assert_eq!(newer, [strike_id], "only what changed at or after the time");
    let after = WireFilter { after: Some(later + time::Duration::seconds(1)), ..WireFilter::default() };
    assert!(t.wire_items(&after, 10, None).await.expect("after").is_empty());

    // Deleted copy is found no more.
    assert_eq!(t.delete_wire_items_before(datetime!(2026-12-02 00:00 UTC)).await.expect("delete"), 2);
    assert!(found("terminal").await.is_empty() && found("cafe").await.is_empty());
}

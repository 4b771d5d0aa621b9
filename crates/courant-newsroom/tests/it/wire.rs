//! Stories from wire copy (issue 16): a draft started from an item credits its agency and keeps
//! the item; an embargo holds publication and scheduling until it ends, naming the item.

use crate::support::*;
use courant_core::*;
use courant_newsroom::{Done, Intent};
use time::{Duration, OffsetDateTime};

fn wire_item(embargo: Option<OffsetDateTime>) -> WireItem {
    WireItem {
        source: "Harbour Wire".into(),
        guid: "urn:harbour:1".into(),
        version: 1,
        headline: "Ferry runs again after repairs".into(),
        body_html: "<p>PORTSMOUTH (HW) -- The ferry runs *again*.</p><p>More copy.</p>".into(),
        embargo,
        ..WireItem::default()
    }
}

#[tokio::test]
async fn a_story_from_wire_copy_credits_the_agency_and_waits_for_the_embargo() {
    let desk = Desk::new().await;
    let store = desk.newsroom.store();
    let now = OffsetDateTime::now_utc();
    let until = now + Duration::hours(2);
    let stored = store.ingest_wire_items(&[wire_item(Some(until))], "IPTC ninjs", now).await.expect("ingest");
    let item = stored[0].0;

    let id = desk.newsroom.write_from_wire(&desk.writer, &[item], desk.section.id).await.expect("a draft");
    let article = store.article(id).await.expect("read").expect("there");
    assert_eq!(article.status, Status::Draft);
    assert_eq!(article.headline, "Ferry runs again after repairs");
    assert_eq!(article.body, "PORTSMOUTH (HW) -- The ferry runs \\*again\\*.", "the first paragraph, as text");
    assert_eq!(
        article.sources.iter().map(|s| (s.name.as_str(), s.kind.as_str())).collect::<Vec<_>>(),
        [("Harbour Wire", "agency")]
    );
    assert_eq!(store.wire_items_of(id).await.expect("read").iter().map(|s| s.id).collect::<Vec<_>>(), [item]);
    assert_eq!(store.stories_from_wire(item).await.expect("read").iter().map(|s| s.id).collect::<Vec<_>>(), [id]);
    // A second story from the same agency reuses its source.
    let other = desk.newsroom.write_from_wire(&desk.writer, &[item], desk.section.id).await.expect("a draft");
    let sources = store.sources().await.expect("sources");
    assert_eq!(sources.iter().filter(|s| s.name == "Harbour Wire").count(), 1);
    assert_ne!(other, id);

    // Publishing before the embargo ends is refused, naming the item and the time.
    desk.newsroom.set_hero(&desk.editor, id, desk.picture.id).await.expect("hero");
    let (_, version) = desk.state(id).await;
    let mut input = desk.input("Ferry runs again");
    input.sources = article.sources.iter().map(|s| s.id).collect();
    let saved = desk.newsroom.save(&desk.editor, id, version, input.clone(), Intent::Publish).await.expect("saved");
    let why = saved.move_refused.iter().map(ToString::to_string).collect::<Vec<_>>().join("; ");
    assert!(why.contains("“Ferry runs again after repairs” (Harbour Wire) is under embargo until"), "{why}");
    assert_eq!(desk.state(id).await.0, Status::Draft);
    // So is scheduling before it; scheduling after it is fine.
    let (_, version) = desk.state(id).await;
    let early = desk
        .newsroom
        .save(&desk.editor, id, version, input.clone(), Intent::Schedule(Some(now + Duration::hours(1))))
        .await;
    assert!(early.expect("saved").move_refused.iter().any(|w| w.message.contains("embargo")));
    let (_, version) = desk.state(id).await;
    let later = desk
        .newsroom
        .save(&desk.editor, id, version, input, Intent::Schedule(Some(until + Duration::minutes(5))))
        .await;
    let later = later.expect("saved");
    assert_eq!((later.done, later.move_refused), (Done::Scheduled, Vec::new()));

    // An unknown item, or a section that does not exist, is refused and writes nothing.
    let before = desk.written().await;
    assert!(desk.newsroom.write_from_wire(&desk.writer, &[999_999], desk.section.id).await.is_err());
    assert!(desk.newsroom.write_from_wire(&desk.writer, &[item], SectionId(999_999)).await.is_err());
    assert!(desk.newsroom.write_from_wire(&desk.writer, &[], desk.section.id).await.is_err());
    assert_eq!(desk.written().await, before);

    // Several items feed one story: the first's words, every agency a source, all linked.
    let mut rail = wire_item(None);
    rail.source = "Rail Wire".into();
    rail.guid = "urn:rail:1".into();
    rail.headline = "Trains replace the ferry".into();
    let mut again = wire_item(None);
    again.guid = "urn:harbour:2".into();
    let more = store.ingest_wire_items(&[rail, again], "RSS", now).await.expect("ingest");
    let ids = [item, more[0].0, more[1].0];
    let story = desk.newsroom.write_from_wire(&desk.writer, &ids, desk.section.id).await.expect("a draft");
    let article = store.article(story).await.expect("read").expect("there");
    assert_eq!(article.headline, "Ferry runs again after repairs");
    let names: Vec<&str> = article.sources.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["Harbour Wire", "Rail Wire"], "each agency once");
    assert_eq!(store.wire_items_of(story).await.expect("read").len(), 3);
}

//! The front page's pins (issue 19) on every backend: a lead and featured stories in the editors'
//! order, a new lead putting the old one first among the featured, moves, pinning again, unpinning,
//! end times taken off once, and refusals (a story that is not published, an end time already
//! past, a pin that is not there). Every change is logged once, for the page cache (kind
//! `front`, before the front page's tag) and in the audit log; a refusal or a move that moves
//! nothing logs nothing.

use crate::support::*;
use courant_core::*;
use courant_store::FrontSlot::{Featured, Lead};
use courant_store::{FRONT_TAG, FrontSlot, NewUser, Store};

async fn editor(t: &Store, email: &str, name: &str) -> User {
    let new = NewUser {
        email: email.into(),
        name: name.into(),
        role: Role::Editor,
        password_hash: "$argon2id$not-checked-here".into(),
        must_change_password: false,
        author_id: None,
    };
    t.insert_user(&new, None, at_hour(0)).await.expect("insert user")
}

/// `n` published stories, an hour apart, the oldest first.
async fn stories(t: &Store, f: &Fixture, n: usize) -> Vec<ArticleId> {
    let mut ids = Vec::new();
    for i in 0..n {
        ids.push(insert(t, &new_published(f, &format!("Front page story {i}"), at_hour(i as i64 + 1))).await);
    }
    ids
}

/// The pins as (story, place): the lead first, then the featured in order.
async fn pins(t: &Store) -> Vec<(ArticleId, FrontSlot)> {
    t.front_pins().await.expect("front pins").into_iter().map(|p| (p.article_id, p.slot)).collect()
}

/// The stories of the changes logged after `start`, each checked to be a front page change.
async fn front_changes(t: &Store, start: i64) -> Vec<ArticleId> {
    let events = t.events_since(start, 1000).await.expect("events");
    for e in &events {
        assert_eq!(
            (e.kind.as_str(), e.before.as_str()),
            ("front", FRONT_TAG),
            "a front page change is of kind `front` and drops the front page: {events:?}"
        );
    }
    events.iter().map(|e| e.article_id).collect()
}

#[tokio::test]
async fn pins_keep_the_editors_order_and_a_new_lead_makes_the_old_one_the_first_featured() {
    let t = TestStore::new().await;
    let f = fixture(&t).await;
    let ed = editor(&t, "front@paper.example", "Front editor").await;
    let s = stories(&t, &f, 6).await;
    let (a, b, c, d, e, never) = (s[0], s[1], s[2], s[3], s[4], s[5]);
    let draft = insert(&t, &new_draft(&f, "A draft nobody may pin")).await;
    let withdrawn = insert(&t, &new_published(&f, "A story withdrawn since", at_hour(2))).await;
    t.set_status(withdrawn, Status::Unpublished, at_hour(3)).await.expect("unpublish");
    let (by, at) = (Some(ed.id), at_hour(10));
    let start = t.last_change().await.expect("last change");
    assert!(pins(&t).await.is_empty(), "nothing is pinned at first");

    t.pin_front(a, Lead, None, by, at).await.expect("pin the lead");
    for id in [b, c, d] {
        t.pin_front(id, Featured, None, by, at).await.expect("pin a featured story");
    }
    assert_eq!(
        pins(&t).await,
        [(a, Lead), (b, Featured), (c, Featured), (d, Featured)],
        "the lead, then the featured in the order they were pinned"
    );
    let first = t.front_pins().await.expect("pins").remove(0);
    assert_eq!((first.pinned_by, first.pinned_at, first.expires_at), (by, at, None));

    // A new lead: the old lead becomes the first featured story.
    t.pin_front(e, Lead, None, by, at).await.expect("a new lead");
    assert_eq!(pins(&t).await, [(e, Lead), (a, Featured), (b, Featured), (c, Featured), (d, Featured)]);
    // A featured story made the lead leaves the featured; the lead it replaces comes first.
    t.pin_front(c, Lead, None, by, at).await.expect("a featured story leads");
    assert_eq!(pins(&t).await, [(c, Lead), (e, Featured), (a, Featured), (b, Featured), (d, Featured)]);

    // Moves: one place at a time; the first cannot go up nor the last down (nothing changes,
    // nothing is logged); the lead is not among the featured.
    t.move_front_pin(b, true, by, at).await.expect("up");
    assert_eq!(pins(&t).await, [(c, Lead), (e, Featured), (b, Featured), (a, Featured), (d, Featured)]);
    let before = t.last_change().await.expect("last change");
    t.move_front_pin(e, true, by, at).await.expect("the first up");
    t.move_front_pin(d, false, by, at).await.expect("the last down");
    assert_eq!(pins(&t).await, [(c, Lead), (e, Featured), (b, Featured), (a, Featured), (d, Featured)]);
    assert_eq!(t.last_change().await.expect("last change"), before, "a move that moves nothing logs nothing");
    assert_not_found(t.move_front_pin(c, false, by, at).await, "pin");
    assert_not_found(t.move_front_pin(never, true, by, at).await, "pin");
    t.move_front_pin(e, false, by, at).await.expect("down");
    assert_eq!(pins(&t).await, [(c, Lead), (b, Featured), (e, Featured), (a, Featured), (d, Featured)]);

    // Pinned again in the same place with an end time: it keeps its place and takes the time.
    t.pin_front(a, Featured, Some(at_hour(30)), by, at_hour(11)).await.expect("pin again until");
    t.pin_front(c, Lead, Some(at_hour(31)), by, at_hour(11)).await.expect("the lead again until");
    let now = t.front_pins().await.expect("pins");
    assert_eq!(
        now.iter().map(|p| (p.article_id, p.slot, p.expires_at)).collect::<Vec<_>>(),
        [
            (c, Lead, Some(at_hour(31))),
            (b, Featured, None),
            (e, Featured, None),
            (a, Featured, Some(at_hour(30))),
            (d, Featured, None),
        ],
        "pinning again moves nothing and demotes nothing"
    );
    assert_eq!(now[3].pinned_at, at_hour(11));
    t.pin_front(a, Featured, None, by, at_hour(12)).await.expect("pin again, no end");
    assert_eq!(t.front_pins().await.expect("pins")[3].expires_at, None, "kept until unpinned now");

    // Unpinning.
    t.unpin_front(b, by, at_hour(12)).await.expect("unpin");
    assert_eq!(pins(&t).await, [(c, Lead), (e, Featured), (a, Featured), (d, Featured)]);
    let logged = t.last_change().await.expect("last change");
    assert_not_found(t.unpin_front(b, by, at_hour(12)).await, "pin");
    assert_not_found(t.unpin_front(never, by, at_hour(12)).await, "pin");

    // Refused: a story readers cannot see, an end time that has come, a story that does not exist.
    assert_invalid(t.pin_front(draft, Lead, None, by, at_hour(12)).await, "article");
    assert_invalid(t.pin_front(withdrawn, Featured, None, by, at_hour(12)).await, "article");
    assert_invalid(t.pin_front(never, Featured, Some(at_hour(11)), by, at_hour(12)).await, "expires");
    assert_invalid(t.pin_front(never, Lead, Some(at_hour(12)), by, at_hour(12)).await, "expires");
    assert_not_found(t.pin_front(ArticleId(999_999), Lead, None, by, at_hour(12)).await, "article");
    assert_eq!(pins(&t).await, [(c, Lead), (e, Featured), (a, Featured), (d, Featured)], "refusals change nothing");
    assert_eq!(t.last_change().await.expect("last change"), logged, "refusals log nothing");

    // One change per pin, move and unpin, in order; the same in the audit log, by the editor.
    let expected = [a, b, c, d, e, c, b, e, a, c, a, b];
    assert_eq!(front_changes(&t, start).await, expected);
    let log = t.audit_log(100, None).await.expect("audit");
    let mut audited: Vec<_> = log.iter().filter(|x| x.action == "front_page_changed").collect();
    audited.reverse();
    assert_eq!(audited.iter().map(|x| x.article_id).collect::<Vec<_>>(), expected.map(Some), "{log:#?}");
    for entry in &audited {
        assert_eq!(entry.user_name.as_deref(), Some("Front editor"), "{entry:?}");
        let id = entry.article_id.expect("an article");
        assert_eq!(entry.subject, load(&t, id).await.headline, "the story is named by its headline: {entry:?}");
        assert!(!entry.detail.is_empty(), "the entry says what happened: {entry:?}");
    }
    assert!(audited[11].detail.contains("unpinned"), "{:?}", audited[11]);
}

#[tokio::test]
async fn pins_come_off_once_when_their_time_ends() {
    let t = TestStore::new().await;
    let f = fixture(&t).await;
    let s = stories(&t, &f, 4).await;
    let (a, b, c, d) = (s[0], s[1], s[2], s[3]);
    let at = at_hour(10);
    t.pin_front(a, Lead, Some(at_hour(12)), None, at).await.expect("lead until 12");
    t.pin_front(b, Featured, Some(at_hour(14)), None, at).await.expect("featured until 14");
    t.pin_front(c, Featured, None, None, at).await.expect("featured for good");
    t.pin_front(d, Featured, Some(at_hour(12)), None, at).await.expect("featured until 12");
    let start = t.last_change().await.expect("last change");

    assert!(t.expire_front_pins(at_hour(11)).await.expect("expire").is_empty(), "nothing is due yet");
    assert_eq!(t.last_change().await.expect("last change"), start, "a pass with nothing due writes nothing");
    assert_eq!(pins(&t).await.len(), 4);

    // Due at their time exactly; the others stay, in order.
    let mut ended = t.expire_front_pins(at_hour(12)).await.expect("expire");
    ended.sort();
    assert_eq!(ended, [a, d]);
    assert_eq!(pins(&t).await, [(b, Featured), (c, Featured)], "no lead is pinned any more");
    assert!(t.expire_front_pins(at_hour(12)).await.expect("again").is_empty(), "taken off once");
    assert!(t.expire_front_pins(at_hour(13)).await.expect("later").is_empty());
    assert_eq!(t.expire_front_pins(at_hour(100)).await.expect("much later"), [b]);
    assert_eq!(pins(&t).await, [(c, Featured)], "a pin without an end time stays");
    assert!(t.expire_front_pins(at_hour(1000)).await.expect("never").is_empty());

    let mut changed = front_changes(&t, start).await;
    changed.sort();
    assert_eq!(changed, [a, b, d], "one change per pin taken off");
    let log = t.audit_log(100, None).await.expect("audit");
    let mut ends: Vec<_> =
        log.iter().filter(|x| x.action == "front_page_changed" && x.at > at).map(|x| (x.article_id, x.at)).collect();
    ends.sort();
    assert_eq!(
        ends,
        [(Some(a), at_hour(12)), (Some(b), at_hour(100)), (Some(d), at_hour(12))],
        "each end is in the audit log at its time: {log:#?}"
    );
    assert!(
        log.iter().filter(|x| x.action == "front_page_changed").all(|x| x.user_name.is_none()),
        "no user did it: {log:#?}"
    );
}

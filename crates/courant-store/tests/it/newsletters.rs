//! Newsletters (issue 20) on every backend: lists, double opt-in with per-address limits, the
//! delivery queue (each edition once per address, a message marked before it leaves, retries,
//! bounces, a stopped sender's messages never sent twice) and scheduled editions made once.

use crate::support::*;
use courant_core::ArticleId;
use courant_store::{
    EditionDraft, EditionState, ListDraft, ListRule, MailDelivery, MailOutcome, Store, SubscriberState,
};
use time::macros::datetime;
use time::{Duration, OffsetDateTime};

fn list_draft(slug: &str) -> ListDraft {
    ListDraft {
        slug: slug.into(),
        name: format!("The {slug}"),
        description: "What happened, before breakfast.".into(),
        rule: ListRule::Latest,
        section_id: None,
        stories: 5,
        send_minute: Some(7 * 60),
        days: vec![1, 2, 3, 4, 5],
        active: true,
    }
}

fn content(subject: &str) -> EditionDraft {
    EditionDraft { subject: subject.into(), intro: "Good morning.".into(), articles: vec![ArticleId(1), ArticleId(2)] }
}

/// A confirmed subscriber of `lists`.
async fn confirmed(t: &Store, email: &str, lists: &[i64], at: OffsetDateTime) -> i64 {
    let (s, _) = t.request_subscription(email, at, Duration::minutes(10), 5).await.expect("request");
    t.confirm_subscription(s.id, lists, at).await.expect("confirm").id
}

/// Sends everything due at `now` as `outcome` says, like the sender does; returns the addresses.
async fn send_all(t: &Store, now: OffsetDateTime, outcome: impl Fn(&MailDelivery) -> MailOutcome) -> Vec<String> {
    let mut sent = Vec::new();
    let mut next = t.delivery_step(None, now).await.expect("claim");
    while let Some(d) = next {
        sent.push(d.email.clone());
        let o = outcome(&d);
        next = t.delivery_step(Some((&d, &o)), now).await.expect("step");
    }
    sent
}

#[tokio::test]
async fn lists_are_saved_with_unique_addresses() {
    let t = TestStore::new().await;
    let at = datetime!(2026-12-01 08:00 UTC);
    let id = t.save_newsletter_list(None, &list_draft("briefing"), Some(at), at).await.expect("save");
    let clash = t.save_newsletter_list(None, &list_draft("briefing"), None, at).await.expect_err("same slug");
    assert!(clash.to_string().contains("slug"), "{clash}");
    let mut changed = list_draft("briefing");
    changed.rule = ListRule::MostRead;
    changed.days = vec![6, 7];
    changed.send_minute = None;
    t.save_newsletter_list(Some(id), &changed, None, at).await.expect("update");
    let lists = t.newsletter_lists().await.expect("lists");
    assert_eq!(lists.len(), 1);
    assert_eq!((lists[0].rule, lists[0].days.clone(), lists[0].send_minute), (ListRule::MostRead, vec![6, 7], None));
    assert!(lists[0].active && lists[0].next_edition_at.is_none());
    assert!(t.save_newsletter_list(Some(id + 100), &changed, None, at).await.is_err(), "an unknown list");
    t.delete_newsletter_list(id).await.expect("delete");
    assert!(t.newsletter_lists().await.expect("lists").is_empty());
}

#[tokio::test]
async fn confirmations_are_limited_per_address_and_consent_is_kept() {
    let t = TestStore::new().await;
    let at = datetime!(2026-12-01 08:00 UTC);
    let list = t.save_newsletter_list(None, &list_draft("briefing"), None, at).await.expect("save");
    let gap = Duration::minutes(10);
    let (s, may) = t.request_subscription("reader@example.org", at, gap, 3).await.expect("request");
    assert!(may && s.state == SubscriberState::Pending && s.lists.is_empty() && s.consented_at.is_none());
    let (_, may) =
        t.request_subscription("reader@example.org", at + Duration::minutes(5), gap, 3).await.expect("again");
    assert!(!may, "a second confirmation within the gap is not sent");
    let (_, may) =
        t.request_subscription("reader@example.org", at + Duration::minutes(11), gap, 3).await.expect("later");
    assert!(may);
    let (_, may) = t.request_subscription("reader@example.org", at + Duration::minutes(22), gap, 3).await.expect("3rd");
    assert!(may, "the third of the day");
    let (_, may) = t.request_subscription("reader@example.org", at + Duration::minutes(33), gap, 3).await.expect("4th");
    assert!(!may, "no more than three a day");
    let (_, may) =
        t.request_subscription("reader@example.org", at + Duration::hours(25), gap, 3).await.expect("next day");
    assert!(may, "a new day");

    let confirmed_at = at + Duration::hours(26);
    let s = t.confirm_subscription(s.id, &[list, list + 99], confirmed_at).await.expect("confirm");
    assert_eq!(
        (s.state, s.lists.clone(), s.consented_at),
        (SubscriberState::Confirmed, vec![list], Some(confirmed_at))
    );
    let s = t.set_subscriptions(s.id, &[], confirmed_at).await.expect("leave");
    assert_eq!((s.state, s.lists.len()), (SubscriberState::Unsubscribed, 0));
    let back = confirmed_at + Duration::days(3);
    let s = t.set_subscriptions(s.id, &[list], back).await.expect("come back");
    assert_eq!((s.state, s.consented_at), (SubscriberState::Confirmed, Some(back)), "coming back is a new consent");
    let (found, total) = t.subscribers("READER@", 10, 0).await.expect("find");
    assert_eq!((found.len(), total), (1, 1));
    assert_eq!(t.subscribers_after(0, 10).await.expect("page")[0].lists, vec![list]);
    t.delete_subscriber(s.id).await.expect("forget");
    assert!(t.subscriber(s.id).await.expect("read").is_none());
}

#[tokio::test]
async fn an_edition_goes_once_to_each_confirmed_address() {
    let t = TestStore::new().await;
    let at = datetime!(2026-12-01 08:00 UTC);
    let list = t.save_newsletter_list(None, &list_draft("briefing"), None, at).await.expect("save");
    let other = t.save_newsletter_list(None, &list_draft("sport"), None, at).await.expect("save");
    for n in 0..4 {
        confirmed(&t, &format!("r{n}@example.org"), &[list], at).await;
    }
    confirmed(&t, "sport@example.org", &[other], at).await;
    t.request_subscription("unconfirmed@example.org", at, Duration::minutes(10), 5).await.expect("pending");
    let leaving = confirmed(&t, "leaving@example.org", &[list, other], at).await;

    let edition = t.create_edition(list, &content("Monday"), None, at).await.expect("edition");
    let stored = t.edition(edition).await.expect("read").expect("there");
    assert_eq!((stored.state, stored.articles.clone()), (EditionState::Draft, vec![ArticleId(1), ArticleId(2)]));
    assert_eq!(t.queue_edition(edition, at).await.expect("queue"), Some(5), "confirmed subscribers of the list only");
    assert_eq!(t.queue_edition(edition, at).await.expect("queue again"), None, "queued once");
    assert!(t.update_edition(edition, &content("Changed"), None).await.is_err(), "a queued edition cannot change");
    // Leaving the list before one's turn cancels one's message.
    t.set_subscriptions(leaving, &[other], at).await.expect("leave one list");

    // r1 is refused for good, r2 answered 4xx once: both are kept in words.
    let now = at + Duration::minutes(1);
    let sent = send_all(&t, now, |d| match d.email.as_str() {
        "r1@example.org" => MailOutcome::Bounced { error: "550 no such user".into() },
        "r2@example.org" => MailOutcome::Retry { error: "451 try later".into(), at: now + Duration::minutes(5) },
        _ => MailOutcome::Sent,
    })
    .await;
    assert_eq!(sent, ["r0@example.org", "r1@example.org", "r2@example.org", "r3@example.org"]);
    let p = t.edition_progress(edition).await.expect("progress");
    assert_eq!((p.sent, p.bounced, p.pending, p.cancelled, p.total()), (2, 1, 1, 1, 5));
    assert!(send_all(&t, now, |_| MailOutcome::Sent).await.is_empty(), "the retry waits for its time");
    assert_eq!(send_all(&t, now + Duration::minutes(6), |_| MailOutcome::Sent).await, ["r2@example.org"]);
    let (bounced, _) = t.subscribers("r1@", 1, 0).await.expect("find");
    assert_eq!((bounced[0].state, bounced[0].bounce.as_str()), (SubscriberState::Bounced, "550 no such user"));
    let failures = t.edition_failures(edition, 10).await.expect("failures");
    assert_eq!(failures, [("r1@example.org".to_string(), "bounced".to_string(), "550 no such user".to_string())]);

    t.settle_deliveries(now, at - Duration::days(2), now + Duration::minutes(7)).await.expect("settle");
    assert_eq!(t.subscribers("unconfirmed@", 1, 0).await.expect("find").1, 1, "kept while its link works");
    assert_eq!(t.edition(edition).await.expect("read").expect("there").state, EditionState::Sent);
    // A second edition does not reach the bounced address.
    let second = t.create_edition(list, &content("Tuesday"), None, at).await.expect("edition");
    assert_eq!(t.queue_edition(second, now).await.expect("queue"), Some(3));
    // An address never confirmed is forgotten once its link has expired.
    t.settle_deliveries(now, at + Duration::days(1), now).await.expect("settle");
    assert_eq!(t.subscribers("unconfirmed@", 1, 0).await.expect("find").1, 0, "forgotten");
    // An unsubscribe link of one list leaves that list only, and brings back no bounced address.
    let (r1, _) = t.subscribers("r1@", 1, 0).await.expect("find");
    let still = t.leave_list(r1[0].id, list).await.expect("leave");
    assert_eq!((still.state, still.lists.len()), (SubscriberState::Bounced, 0));
    let both = confirmed(&t, "both@example.org", &[list, other], at).await;
    let left = t.leave_list(both, list).await.expect("leave");
    assert_eq!((left.state, left.lists.clone()), (SubscriberState::Confirmed, vec![other]));
    let gone = t.leave_list(both, other).await.expect("leave");
    assert_eq!(gone.state, SubscriberState::Unsubscribed);
}

#[tokio::test]
async fn a_sender_stopped_mid_send_never_sends_the_same_message_twice() {
    let t = TestStore::new().await;
    let at = datetime!(2026-12-01 08:00 UTC);
    let list = t.save_newsletter_list(None, &list_draft("briefing"), None, at).await.expect("save");
    for n in 0..3 {
        confirmed(&t, &format!("r{n}@example.org"), &[list], at).await;
    }
    let edition = t.create_edition(list, &content("Monday"), None, at).await.expect("edition");
    t.queue_edition(edition, at).await.expect("queue");
    // A sender takes r0 and stops before it knows whether the message went.
    let taken = t.delivery_step(None, at).await.expect("claim").expect("one");
    assert_eq!(taken.email, "r0@example.org");
    // Another sender goes on with the rest, not with r0.
    let later = at + Duration::minutes(20);
    assert_eq!(send_all(&t, later, |_| MailOutcome::Sent).await, ["r1@example.org", "r2@example.org"]);
    assert_eq!(t.settle_deliveries(later - Duration::minutes(10), at, later).await.expect("settle"), 1);
    let p = t.edition_progress(edition).await.expect("progress");
    assert_eq!((p.sent, p.unsure, p.sending), (2, 1, 0));
    assert!(send_all(&t, later, |_| MailOutcome::Sent).await.is_empty(), "r0 is not sent again");
    assert_eq!(t.edition(edition).await.expect("read").expect("there").state, EditionState::Sent);
}

#[tokio::test]
async fn a_scheduled_slot_makes_one_edition_and_the_list_moves_on() {
    let t = TestStore::new().await;
    let slot = datetime!(2026-12-01 07:00 UTC);
    let list = t.save_newsletter_list(None, &list_draft("briefing"), Some(slot), slot).await.expect("save");
    confirmed(&t, "r@example.org", &[list], slot).await;
    assert!(t.due_lists(slot - Duration::minutes(1)).await.expect("due").is_empty());
    let due = t.due_lists(slot).await.expect("due");
    assert_eq!(due.iter().map(|l| l.id).collect::<Vec<_>>(), [list]);
    t.set_newsletter_picks(list, &[ArticleId(7), ArticleId(3)]).await.expect("picks");
    let picked = t.newsletter_lists().await.expect("lists").remove(0).picks;
    assert_eq!(picked, [ArticleId(7), ArticleId(3)], "picks keep their order");
    let next = slot + Duration::days(1);
    let made = t.make_scheduled_edition(list, slot, &content("Monday"), Some(next), slot).await.expect("make");
    assert!(t.newsletter_lists().await.expect("lists")[0].picks.is_empty(), "an edition takes the picks");
    let (edition, queued) = made.expect("made");
    assert_eq!(queued, 1);
    // A second node planning the same slot makes nothing.
    let again = t.make_scheduled_edition(list, slot, &content("Monday"), Some(next), slot).await.expect("again");
    assert_eq!(again, None);
    assert_eq!(t.editions(list, 10).await.expect("editions").len(), 1);
    assert_eq!(t.edition(edition).await.expect("read").expect("there").state, EditionState::Sending);
    assert!(t.due_lists(slot + Duration::hours(1)).await.expect("due").is_empty(), "moved on to tomorrow");

    // A hand-made edition scheduled for later goes when its time comes, once.
    let by_hand = t.create_edition(list, &content("Special"), None, slot).await.expect("edition");
    t.update_edition(by_hand, &content("Special edition"), Some(slot + Duration::hours(3))).await.expect("schedule");
    assert!(t.queue_due_editions(slot + Duration::hours(2)).await.expect("due").is_empty());
    assert_eq!(t.queue_due_editions(slot + Duration::hours(3)).await.expect("due"), [(by_hand, 1)]);
    assert!(t.queue_due_editions(slot + Duration::hours(4)).await.expect("due").is_empty());
    assert!(t.delete_edition(by_hand).await.is_err(), "sent editions are kept");
}

#[tokio::test]
async fn the_signing_key_is_made_once() {
    let t = TestStore::new().await;
    let at = datetime!(2026-12-01 07:00 UTC);
    let first = t.secret("newsletters", "first", at).await.expect("secret");
    let second = t.secret("newsletters", "second", at).await.expect("secret");
    assert_eq!((first.as_str(), second.as_str()), ("first", "first"));
}

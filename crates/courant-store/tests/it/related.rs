//! Related stories kept in the store (issue #18): enlisting, claims shared between finders,
//! saving under a claim, and what a story's change voids. Run on every backend.

use crate::support::*;
use courant_core::*;
use time::Duration;

#[tokio::test]
async fn related_stories_are_claimed_once_saved_under_the_claim_and_found_again_after_a_change() {
    let t = TestStore::new().await;
    let f = fixture(&t).await;
    let mut published = Vec::new();
    for hour in 0..6 {
        published.push(insert(&t, &new_published(&f, &format!("Harbour story {hour}"), at_hour(hour))).await);
    }
    let draft = insert(&t, &new_draft(&f, "Harbour draft")).await;
    let now = at_hour(100);
    let until = now + Duration::minutes(10);
    let stale_before = now - Duration::days(1);

    assert_eq!(t.enlist_related_searches().await.expect("enlist"), 6, "every published story, not the draft");
    assert_eq!(t.enlist_related_searches().await.expect("enlist"), 0, "enlisted once");
    assert_eq!(t.found_related(published[0]).await.expect("read"), None, "never found yet");
    assert_eq!(t.found_related(draft).await.expect("read"), None);

    // Two finders at once take disjoint batches, newest stories first.
    let (a, b) = tokio::join!(
        t.claim_related_searches(now, until, stale_before, 2),
        t.claim_related_searches(now, until, stale_before, 2)
    );
    let (a, b) = (a.expect("claim"), b.expect("claim"));
    assert_eq!(a.len() + b.len(), 4, "{a:?} {b:?}");
    assert!(a.iter().all(|id| !b.contains(id)), "claimed twice: {a:?} {b:?}");
    let mut first: Vec<_> = a.iter().chain(&b).copied().collect();
    first.sort();
    assert_eq!(first, published[2..].to_vec(), "the newest first");
    let rest = t.claim_related_searches(now, until, stale_before, 10).await.expect("claim");
    assert_eq!(rest.len(), 2);
    assert!(t.claim_related_searches(now, until, stale_before, 10).await.expect("claim").is_empty(), "all held");

    // Saved under the claim, read back in order; the story itself is never among them.
    let story = published[5];
    let found = [published[3], published[1], published[4]];
    assert!(t.save_found_related(story, &found, until, now).await.expect("save"));
    assert_eq!(t.found_related(story).await.expect("read"), Some(found.to_vec()));
    // Found none is an answer too.
    assert!(t.save_found_related(published[0], &[], until, now).await.expect("save"));
    assert_eq!(t.found_related(published[0]).await.expect("read"), Some(vec![]));
    // As a page reads them: summaries in the order found; none found and never looked for differ.
    assert_eq!(found_on_page(&t, story).await, Some(found.to_vec()));
    assert_eq!(found_on_page(&t, published[0]).await, Some(vec![]));
    assert_eq!(found_on_page(&t, published[1]).await, None, "never found");

    // The story changes while another search of it runs: that search is not saved, the stories
    // found before are shown meanwhile, and it is claimed again.
    t.research_related(&[story]).await.expect("research");
    assert!(!t.save_found_related(story, &[published[2]], until, now).await.expect("save"), "voided claim");
    assert_eq!(t.found_related(story).await.expect("read"), Some(found.to_vec()), "kept meanwhile");
    assert_eq!(found_on_page(&t, story).await, Some(found.to_vec()), "shown meanwhile");
    let again = t.claim_related_searches(now, until, stale_before, 10).await.expect("claim");
    assert_eq!(again, vec![story]);
    assert!(t.save_found_related(story, &[published[2]], until, now).await.expect("save"));
    assert_eq!(t.found_related(story).await.expect("read"), Some(vec![published[2]]));

    // A claim left by a finder that stopped runs out; found stories are looked at again a day on.
    let later = until + Duration::minutes(1);
    let expired =
        t.claim_related_searches(later, later + Duration::minutes(10), stale_before, 10).await.expect("claim");
    assert_eq!(expired.len(), 4, "the stories claimed and never saved: {expired:?}");
    let day_on = now + Duration::days(1) + Duration::hours(1);
    let refreshed = t
        .claim_related_searches(day_on, day_on + Duration::minutes(10), day_on - Duration::days(1), 10)
        .await
        .expect("claim");
    assert_eq!(refreshed.len(), 6, "every story once its related stories are a day old: {refreshed:?}");

    // A story withdrawn is neither claimed nor shown among others'.
    t.set_status(published[2], Status::Unpublished, at_hour(101)).await.expect("unpublish");
    t.research_related(&[published[2]]).await.expect("research");
    let claimable = t.claim_related_searches(later + Duration::days(9), later + Duration::days(10), day_on, 10).await;
    assert!(!claimable.expect("claim").contains(&published[2]));
    assert_eq!(found_on_page(&t, story).await, Some(vec![]), "found, but withdrawn since");
}

/// A story's related stories as its page reads them with the story: `None` when never found.
async fn found_on_page(t: &TestStore, id: ArticleId) -> Option<Vec<ArticleId>> {
    let slug = t.article(id).await.expect("read").expect("the story").slug;
    let sections = t.sections().await.expect("sections");
    let read = t.article_page_by_slug(&slug, &sections).await.expect("read").expect("the story by its slug");
    assert_eq!(read.article.id, id);
    read.found_related.map(|found| found.iter().map(|s| s.id).collect())
}

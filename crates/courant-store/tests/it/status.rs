//! Status changes: the workflow's rules, the publication date they fix, and what readers see.

use crate::support::*;
use courant_core::*;
use courant_store::ArticleFilter;

#[tokio::test]
async fn first_publication_fixes_published_at_and_later_ones_keep_it() {
    let t = TestStore::new().await;
    let f = fixture(&t).await;
    let id = insert(&t, &new_draft(&f, "Harbour reopens")).await;
    assert_eq!(load(&t, id).await.published_at, None, "a draft has no publication date");
    assert!(!listed(&t, &ArticleFilter::All).await.contains(&id), "a draft is not listed");

    t.set_status(id, Status::Published, at_hour(2)).await.expect("publish");
    let a = load(&t, id).await;
    assert_eq!(a.status, Status::Published);
    assert_eq!(a.published_at, Some(at_hour(2)), "first publication sets published_at");
    assert_eq!(a.updated_at, at_hour(2), "a status change counts as an update");
    let path = a.path().expect("a published article has a path");
    assert_eq!(listed(&t, &ArticleFilter::All).await, vec![id], "a published article is listed");

    t.set_status(id, Status::Unpublished, at_hour(30)).await.expect("unpublish");
    let a = load(&t, id).await;
    assert_eq!(a.status, Status::Unpublished);
    assert_eq!(a.published_at, Some(at_hour(2)), "unpublishing keeps the publication date");
    assert_eq!(a.updated_at, at_hour(30));
    assert!(listed(&t, &ArticleFilter::All).await.is_empty(), "an unpublished article leaves the listings");
    assert_eq!(id_at_slug(&t, &a.slug).await, Some(id), "an unpublished article is still found by slug (410 page)");

    t.set_status(id, Status::Published, at_hour(60)).await.expect("republish");
    let a = load(&t, id).await;
    assert_eq!(a.status, Status::Published);
    assert_eq!(a.published_at, Some(at_hour(2)), "republishing keeps the first publication date");
    assert_eq!(a.updated_at, at_hour(60));
    assert_eq!(a.path().as_deref(), Some(path.as_str()), "the public URL never changes");
    assert_eq!(listed(&t, &ArticleFilter::All).await, vec![id], "a republished article is listed again");
}

#[tokio::test]
async fn an_existing_publication_date_is_kept() {
    let t = TestStore::new().await;
    let f = fixture(&t).await;
    let id = insert(
        &t,
        &NewArticle {
            status: Status::Unpublished,
            published_at: Some(at_hour(1)),
            ..new_draft(&f, "Imported, taken down")
        },
    )
    .await;

    t.set_status(id, Status::Published, at_hour(10)).await.expect("republish");
    assert_eq!(load(&t, id).await.published_at, Some(at_hour(1)), "the imported publication date is kept");

    // Back through draft: the date (and so the URL) still stays.
    t.set_status(id, Status::Unpublished, at_hour(11)).await.expect("unpublish");
    t.set_status(id, Status::Draft, at_hour(12)).await.expect("rework as a draft");
    let a = load(&t, id).await;
    assert_eq!((a.status, a.published_at), (Status::Draft, Some(at_hour(1))), "a reworked draft keeps its date");
    t.set_status(id, Status::Published, at_hour(13)).await.expect("publish again");
    let a = load(&t, id).await;
    assert_eq!((a.status, a.published_at), (Status::Published, Some(at_hour(1))), "and keeps it when republished");
}

#[tokio::test]
async fn forbidden_transitions_are_rejected_and_change_nothing() {
    let t = TestStore::new().await;
    let f = fixture(&t).await;
    let live = insert(&t, &new_published(&f, "Live story", at_hour(1))).await;
    let draft = insert(&t, &new_draft(&f, "Draft story")).await;
    let live_before = load(&t, live).await;
    let draft_before = load(&t, draft).await;

    assert_transition(t.set_status(live, Status::Draft, at_hour(5)).await, Status::Published, Status::Draft);
    assert_transition(t.set_status(draft, Status::Unpublished, at_hour(5)).await, Status::Draft, Status::Unpublished);

    assert_eq!(load(&t, live).await, live_before, "a rejected transition must not touch the article");
    assert_eq!(load(&t, draft).await, draft_before, "a rejected transition must not touch the article");
    assert_eq!(listed(&t, &ArticleFilter::All).await, vec![live], "the live story stays listed");
}

#[tokio::test]
async fn every_transition_follows_the_model_rules() {
    // The store must agree with Status::can_become for every pair, starting from each status.
    let t = TestStore::new().await;
    let f = fixture(&t).await;
    for from in Status::ALL {
        for to in Status::ALL {
            let new = NewArticle {
                status: from,
                published_at: (from != Status::Draft).then(|| at_hour(1)),
                ..new_draft(&f, &format!("From {from} to {to}"))
            };
            let id = insert(&t, &new).await;
            let result = t.set_status(id, to, at_hour(2)).await;
            if from.can_become(to) {
                result.unwrap_or_else(|e| panic!("{from} -> {to} is allowed by the model but failed: {e}"));
                assert_eq!(load(&t, id).await.status, to, "{from} -> {to} should have taken effect");
            } else {
                assert_transition(result, from, to);
                assert_eq!(load(&t, id).await.status, from, "{from} -> {to} was rejected but changed the status");
            }
        }
    }
}

#[tokio::test]
async fn status_change_of_an_unknown_article_is_not_found() {
    let t = TestStore::new().await;
    assert_not_found(t.set_status(ArticleId(999_999), Status::Published, at_hour(1)).await, "article");
}

#[tokio::test]
async fn only_published_articles_are_listed_whatever_their_dates() {
    let t = TestStore::new().await;
    let f = fixture(&t).await;
    let live = insert(&t, &new_published(&f, "Live", at_hour(1))).await;
    // Every other status, with publication dates newer than the live article's.
    insert(&t, &NewArticle { updated_at: at_hour(50), ..new_draft(&f, "Draft") }).await;
    insert(&t, &NewArticle { status: Status::Scheduled, published_at: Some(at_hour(2)), ..new_draft(&f, "Past due") })
        .await;
    insert(&t, &NewArticle { status: Status::Scheduled, published_at: Some(at_hour(90)), ..new_draft(&f, "Future") })
        .await;
    insert(&t, &NewArticle { status: Status::Unpublished, published_at: Some(at_hour(3)), ..new_draft(&f, "Gone") })
        .await;

    assert_eq!(listed(&t, &ArticleFilter::All).await, vec![live], "only the published article is listed");
    let c = counts(&t).await;
    assert_eq!((c.published, c.drafts, c.scheduled, c.unpublished), (1, 1, 2, 1), "counts by status: {c:?}");
}

//! Batches (all or nothing) and concurrent writers.

use crate::support::*;
use courant_core::*;
use courant_store::ArticleFilter;
use std::collections::{HashMap, HashSet};

#[tokio::test]
async fn a_failing_batch_inserts_nothing() {
    let t = TestStore::new().await;
    let f = fixture(&t).await;
    let before = counts(&t).await;

    let bad_third = vec![
        new_published(&f, "Batch one", at_hour(1)),
        new_draft(&f, "Batch two"),
        NewArticle { section_id: SectionId(999_999), ..new_draft(&f, "Batch three") },
    ];
    assert_not_found(t.insert_articles(&bad_third).await, "section");
    assert_eq!(counts(&t).await, before, "a batch whose third article fails must insert none");
    for slug in ["batch-one", "batch-two", "batch-three"] {
        assert_eq!(id_at_slug(&t, slug).await, None, "{slug} must not exist after a failed batch");
    }
    assert!(listed(&t, &ArticleFilter::All).await.is_empty(), "the first, published article must not be listed");

    let invalid_middle = vec![
        new_published(&f, "Batch one", at_hour(1)),
        NewArticle { headline: "  ".into(), ..new_draft(&f, "ignored") },
        new_draft(&f, "Batch three"),
    ];
    assert_invalid(t.insert_articles(&invalid_middle).await, "headline");
    assert_eq!(counts(&t).await, before, "a batch with an invalid article must insert none");

    let problems = t.integrity_problems().await.expect("integrity_problems");
    assert!(problems.is_empty(), "failed batches left problems: {problems:?}");
}

#[tokio::test]
async fn a_good_batch_inserts_everything_in_order() {
    let t = TestStore::new().await;
    let f = fixture(&t).await;
    // A failed batch first: it must not use up any slug.
    let failed =
        vec![new_draft(&f, "Batch one"), NewArticle { author_ids: vec![AuthorId(999_999)], ..new_draft(&f, "x") }];
    assert_not_found(t.insert_articles(&failed).await, "author");

    let batch = vec![
        new_published(&f, "Batch one", at_hour(1)),
        new_draft(&f, "Batch one"),
        NewArticle { tag_ids: vec![f.rail.id], ..new_published(&f, "Batch one", at_hour(2)) },
    ];
    let ids = t.insert_articles(&batch).await.expect("insert_articles");
    assert_eq!(ids.len(), 3, "one id per article: {ids:?}");
    assert_eq!(ids.iter().collect::<HashSet<_>>().len(), 3, "ids must be distinct: {ids:?}");

    let mut slugs = Vec::new();
    for (id, new) in ids.iter().zip(&batch) {
        let a = load(&t, *id).await;
        assert_eq!((a.status, a.published_at), (new.status, new.published_at), "ids come back in batch order");
        slugs.push(a.slug);
    }
    assert_eq!(slugs, ["batch-one", "batch-one-2", "batch-one-3"], "slugs are made unique within one batch");

    let c = counts(&t).await;
    assert_eq!((c.published, c.drafts), (2, 1), "counts after the batch: {c:?}");
    assert_eq!(listed(&t, &ArticleFilter::Tag(f.rail.id)).await, vec![ids[2]], "links of batch articles are stored");

    assert_eq!(t.insert_articles(&[]).await.expect("empty batch"), Vec::<ArticleId>::new(), "an empty batch");
    assert_eq!(counts(&t).await, c, "an empty batch changes nothing");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_inserts_all_succeed_with_distinct_slugs() {
    const WRITERS: i64 = 8;
    let t = TestStore::new().await;
    let f = fixture(&t).await;

    let mut writers = Vec::new();
    for i in 0..WRITERS {
        let store = t.store.clone();
        let new =
            NewArticle { body: format!("Written by task {i}."), ..new_published(&f, "Harbour closed", at_hour(i)) };
        writers.push(tokio::spawn(async move { store.insert_article(&new).await.map(|id| (i, id)) }));
    }
    // Readers at the same time: listings must keep working while the newsroom writes.
    let mut readers = Vec::new();
    for _ in 0..4 {
        let store = t.store.clone();
        readers.push(tokio::spawn(async move {
            for _ in 0..10 {
                let page = store.published(&ArticleFilter::All, 5, 0).await?;
                assert!(page.items.len() <= 5, "a page holds at most its limit");
                tokio::task::yield_now().await;
            }
            Ok::<(), courant_store::StoreError>(())
        }));
    }

    let mut by_task = HashMap::new();
    for writer in writers {
        let (i, id) =
            writer.await.expect("writer task panicked").unwrap_or_else(|e| panic!("concurrent insert failed: {e}"));
        by_task.insert(id, i);
    }
    for reader in readers {
        reader.await.expect("reader task panicked").unwrap_or_else(|e| panic!("concurrent read failed: {e}"));
    }
    assert_eq!(by_task.len(), WRITERS as usize, "every insert must get its own id: {by_task:?}");

    let mut slugs = HashSet::new();
    for (&id, &i) in &by_task {
        let a = load(&t, id).await;
        assert_eq!(a.body, format!("Written by task {i}."), "article {id} holds another task's body");
        slugs.insert(a.slug);
    }
    let expected: HashSet<String> = std::iter::once("harbour-closed".to_string())
        .chain((2..=WRITERS).map(|n| format!("harbour-closed-{n}")))
        .collect();
    assert_eq!(slugs, expected, "concurrent inserts of one headline get the plain slug and -2 to -{WRITERS}");

    let c = counts(&t).await;
    assert_eq!(c.published, WRITERS, "counts after concurrent inserts: {c:?}");
    assert_eq!(listed(&t, &ArticleFilter::All).await.len(), WRITERS as usize, "all concurrent inserts are listed");
    let problems = t.integrity_problems().await.expect("integrity_problems");
    assert!(problems.is_empty(), "concurrent writes left problems: {problems:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_tag_named_creates_one_tag() {
    let t = TestStore::new().await;
    let mut tasks = Vec::new();
    for i in 0..8 {
        let store = t.store.clone();
        let name = if i % 2 == 0 { "Storm Ida" } else { "storm ida" };
        tasks.push(tokio::spawn(async move { store.tag_named(name).await }));
    }
    let mut ids = HashSet::new();
    for task in tasks {
        let tag = task.await.expect("tag task panicked").unwrap_or_else(|e| panic!("concurrent tag_named failed: {e}"));
        assert_eq!(tag.slug, "storm-ida");
        ids.insert(tag.id);
    }
    assert_eq!(ids.len(), 1, "racing get-or-create must yield one tag: {ids:?}");
    assert_eq!(counts(&t).await.tags, 1, "racing get-or-create must store one tag");
}

#[tokio::test]
async fn every_article_write_is_logged_in_order() {
    let t = TestStore::new().await;
    let f = fixture(&t).await;
    let start = t.last_change().await.expect("last change");
    let id = insert(&t, &new_draft(&f, "A story whose changes are followed")).await;
    t.set_status(id, Status::Published, at_hour(1)).await.expect("publish");
    t.add_correction(id, "A name was misspelt.", at_hour(2)).await.expect("correct");
    t.rename_slug(id, "followed-story").await.expect("rename");
    t.set_status(id, Status::Unpublished, at_hour(3)).await.expect("unpublish");
    let changes = t.changes_since(start, 100).await.expect("changes");
    assert_eq!(
        changes.iter().map(|c| c.article).collect::<Vec<_>>(),
        vec![id; 5],
        "insert, publish, correct, rename, unpublish"
    );
    assert!(changes.windows(2).all(|w| w[0].seq < w[1].seq), "change numbers increase: {changes:?}");
    assert_eq!(t.last_change().await.expect("last"), changes[4].seq);
    assert_eq!(t.changes_since(changes[2].seq, 100).await.expect("changes").len(), 2, "resume after a change");
    assert_eq!(t.changes_since(start, 2).await.expect("changes").len(), 2, "limit");
    let rejected = t.set_status(id, Status::Scheduled, at_hour(4)).await;
    assert!(rejected.is_err());
    assert_eq!(t.last_change().await.expect("last"), changes[4].seq, "a refused write logs nothing");
}

#[tokio::test]
async fn views_add_up_per_minute_and_only_published_stories_count() {
    let t = TestStore::new().await;
    let f = fixture(&t).await;
    let live = insert(&t, &new_published(&f, "A story readers read", at_hour(1))).await;
    let draft = insert(&t, &new_draft(&f, "A story nobody may read yet")).await;
    t.add_views(&[views(live, 100, 2), views(live, 101, 1), views(draft, 100, 5)]).await.expect("add");
    t.add_views(&[views(live, 100, 3)]).await.expect("add again");
    let mut seen = t.views_since(100).await.expect("views");
    seen.sort();
    assert_eq!(seen, vec![views(live, 100, 5), views(live, 101, 1)], "counts add up; drafts are left out");
    assert_eq!(t.views_since(101).await.expect("views"), vec![views(live, 101, 1)]);
    assert_eq!(t.prune_views(101).await.expect("prune"), 2, "minute 100 of both stories");
    assert_eq!(t.article_status(live).await.expect("status").map(|s| s.status), Some(Status::Published));
    assert_eq!(t.article_status(ArticleId(999_999)).await.expect("status"), None);
}

/// `n` views of `article` in `minute`.
fn views(article: ArticleId, minute: i64, n: i64) -> courant_store::MinuteViews {
    courant_store::MinuteViews { article, minute, views: n }
}

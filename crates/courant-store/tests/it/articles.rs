//! Writing an article and reading it back whole: fields, links, timestamps, validation,
//! corrections.

use crate::support::*;
use courant_core::*;
use time::UtcOffset;
use time::macros::datetime;

#[tokio::test]
async fn article_round_trips_every_field() {
    let t = TestStore::new().await;
    let f = fixture(&t).await;
    let r1 = insert(&t, &new_published(&f, "Ferry timetable restored", at_hour(1))).await;
    let r2 = insert(&t, &new_draft(&f, "Unfinished piece on tolls")).await;
    let r3 =
        insert(&t, &NewArticle { section_id: f.politics.id, ..new_published(&f, "Port budget approved", at_hour(2)) })
            .await;

    let new = NewArticle {
        slug: None,
        headline: "  Harbour reopens after the storm \n".into(),
        standfirst: "Ferries run again after a week of closures.".into(),
        body: "The harbour **reopened** on Monday.\n\n> Quote, kept as typed.  \n".into(),
        hero_image_id: Some(f.hero.id),
        section_id: f.europe.id,
        author_ids: vec![f.ben.id, f.anna.id],
        tag_ids: vec![f.climate.id, f.rail.id, f.budget.id],
        source_ids: vec![f.gazette.id, f.wire.id],
        related_ids: vec![r3, r2, r1],
        status: Status::Published,
        created_at: datetime!(2026-11-24 09:59:58.75 +02:00),
        published_at: Some(datetime!(2026-11-24 11:30:15.5 +02:00)),
        updated_at: datetime!(2026-11-24 12:00:01.999 +02:00),
    };
    let id = insert(&t, &new).await;
    let a = load(&t, id).await;

    assert_eq!(a.id, id);
    assert_eq!(a.headline, "Harbour reopens after the storm", "the headline is stored trimmed");
    assert_eq!(a.slug, "harbour-reopens-after-the-storm", "slug derived from the headline");
    assert_eq!(a.standfirst, new.standfirst, "standfirst");
    assert_eq!(a.body, new.body, "the Markdown body is stored exactly as typed");
    assert_eq!(a.hero.as_ref(), Some(&f.hero), "hero image, with alt, caption, credit and keywords");
    assert_eq!(
        a.hero.as_ref().map(|h| h.keywords.as_slice()),
        Some(["harbour".to_string(), "ferry".to_string(), "storm".to_string()].as_slice()),
        "hero keywords, in order"
    );
    assert_eq!(a.section, f.europe, "section");
    assert_eq!(
        a.section_path,
        vec![f.news.clone(), f.world.clone(), f.europe.clone()],
        "section_path runs root first and ends with the section"
    );
    assert_eq!(a.authors, vec![f.ben.clone(), f.anna.clone()], "authors in byline order, with Anna's photo");
    assert_eq!(a.tags, vec![f.climate.clone(), f.rail.clone(), f.budget.clone()], "tags in the given order");
    assert_eq!(a.sources, vec![f.gazette.clone(), f.wire.clone()], "sources in the given order");

    let related: Vec<ArticleId> = a.related.iter().map(|r| r.id).collect();
    assert_eq!(related, vec![r3, r1], "related: published ones only (not the draft r2), in pinned order");
    let port = &a.related[0];
    assert_eq!(
        (port.headline.as_str(), port.slug.as_str(), port.section_slug.as_str(), port.section_name.as_str()),
        ("Port budget approved", "port-budget-approved", "politics", "Politics"),
        "related summary fields"
    );
    assert_eq!((port.status, port.published_at), (Status::Published, Some(at_hour(2))), "related summary status");

    assert_eq!(a.status, Status::Published, "status");
    assert_eq!(a.created_at, datetime!(2026-11-24 07:59:58 UTC), "created_at, in UTC to the second");
    assert_eq!(a.published_at, Some(datetime!(2026-11-24 09:30:15 UTC)), "published_at, in UTC to the second");
    assert_eq!(a.updated_at, datetime!(2026-11-24 10:00:01 UTC), "updated_at, in UTC to the second");
    let published_at = a.published_at.expect("published_at");
    for (name, at) in [("created_at", a.created_at), ("published_at", published_at), ("updated_at", a.updated_at)] {
        assert_eq!(at.offset(), UtcOffset::UTC, "{name} should come back in UTC, got {at}");
        assert_eq!(at.nanosecond(), 0, "{name} should be truncated to the second, got {at}");
    }
    assert!(a.corrections.is_empty(), "no corrections yet: {:?}", a.corrections);
    assert_eq!(a.path().as_deref(), Some("/europe/2026/11/24/harbour-reopens-after-the-storm"), "public path");

    let by_slug = t.article_by_slug(&a.slug).await.expect("article_by_slug");
    assert_eq!(by_slug.as_ref(), Some(&a), "article_by_slug gives the same article as article()");
}

#[tokio::test]
async fn a_bare_draft_round_trips() {
    let t = TestStore::new().await;
    let f = fixture(&t).await;
    let id = insert(&t, &new_draft(&f, "Notes for a story")).await;

    let a = load(&t, id).await;
    assert_eq!(a.status, Status::Draft);
    assert_eq!(a.published_at, None, "a draft has no publication date");
    assert_eq!(a.path(), None, "a draft has no public path");
    assert_eq!((a.created_at, a.updated_at), (T0, T0), "timestamps");
    assert_eq!(a.hero, None);
    assert_eq!(a.section_path, vec![f.news.clone(), f.world.clone()], "section_path of a second-level section");
    assert_eq!(a.authors, vec![f.anna.clone()]);
    assert!(a.tags.is_empty() && a.sources.is_empty() && a.related.is_empty() && a.corrections.is_empty());

    assert_eq!(id_at_slug(&t, "notes-for-a-story").await, Some(id), "drafts are found by slug too");
    assert_eq!(t.article(ArticleId(999_999)).await.expect("article").map(|a| a.id), None, "unknown id");
    assert_eq!(id_at_slug(&t, "no-such-story").await, None, "unknown slug");
}

#[tokio::test]
async fn the_path_is_dated_by_the_utc_day_of_first_publication() {
    let t = TestStore::new().await;
    let f = fixture(&t).await;
    // 23:30 at UTC-2 is already the next day in UTC.
    let id = insert(
        &t,
        &NewArticle {
            section_id: f.europe.id,
            ..new_published(&f, "Late night vote", datetime!(2026-11-24 23:30 -02:00))
        },
    )
    .await;
    let a = load(&t, id).await;
    assert_eq!(a.published_at, Some(datetime!(2026-11-25 01:30 UTC)));
    assert_eq!(a.path().as_deref(), Some("/europe/2026/11/25/late-night-vote"));
}

#[tokio::test]
async fn repeated_links_are_kept_once_in_first_position() {
    let t = TestStore::new().await;
    let f = fixture(&t).await;
    let r = insert(&t, &new_published(&f, "Earlier story", at_hour(1))).await;
    let id = insert(
        &t,
        &NewArticle {
            tag_ids: vec![f.rail.id, f.climate.id, f.rail.id],
            source_ids: vec![f.wire.id, f.wire.id],
            related_ids: vec![r, r],
            ..new_published(&f, "Later story", at_hour(2))
        },
    )
    .await;
    let a = load(&t, id).await;
    assert_eq!(a.tags, vec![f.rail.clone(), f.climate.clone()], "a tag listed twice is kept once");
    assert_eq!(a.sources, vec![f.wire.clone()], "a source listed twice is kept once");
    assert_eq!(a.related.iter().map(|s| s.id).collect::<Vec<_>>(), vec![r], "a related article pinned twice");
}

#[tokio::test]
async fn related_articles_follow_their_status() {
    let t = TestStore::new().await;
    let f = fixture(&t).await;
    let r1 = insert(&t, &new_published(&f, "First related", at_hour(1))).await;
    let r2 = insert(&t, &new_draft(&f, "Second related")).await;
    let id = insert(&t, &NewArticle { related_ids: vec![r2, r1], ..new_published(&f, "Main", at_hour(3)) }).await;

    let related = |a: &Article| a.related.iter().map(|s| s.id).collect::<Vec<_>>();
    assert_eq!(related(&load(&t, id).await), vec![r1], "a draft is not shown as related");

    t.set_status(r2, Status::Published, at_hour(4)).await.expect("publish r2");
    assert_eq!(related(&load(&t, id).await), vec![r2, r1], "once published it appears, in pinned order");

    t.set_status(r1, Status::Unpublished, at_hour(5)).await.expect("unpublish r1");
    assert_eq!(related(&load(&t, id).await), vec![r2], "an unpublished article leaves the related list");
}

#[tokio::test]
async fn invalid_articles_are_rejected_and_store_nothing() {
    let t = TestStore::new().await;
    let f = fixture(&t).await;
    let base = || new_draft(&f, "Harbour reopens");

    let cases: Vec<(&str, NewArticle)> = vec![
        ("headline", NewArticle { headline: String::new(), ..base() }),
        ("headline", NewArticle { headline: "  \t\n ".into(), ..base() }),
        ("headline", NewArticle { headline: "x".repeat(MAX_HEADLINE_CHARS + 1), ..base() }),
        ("authors", NewArticle { author_ids: vec![], ..base() }),
        ("authors", NewArticle { author_ids: vec![f.anna.id, f.ben.id, f.anna.id], ..base() }),
        ("published_at", NewArticle { status: Status::Published, published_at: None, ..base() }),
        ("published_at", NewArticle { status: Status::Scheduled, published_at: None, ..base() }),
        ("slug", NewArticle { slug: Some("Harbour Reopens".into()), ..base() }),
        ("slug", NewArticle { slug: Some("harbour--reopens".into()), ..base() }),
    ];
    for (field, new) in &cases {
        let result = t.insert_article(new).await;
        assert_invalid(result, field);
    }

    assert_eq!(counts(&t).await, f.counts(), "rejected articles must leave no row behind");
    let ok = insert(&t, &base()).await;
    assert_eq!(slug_of(&t, ok).await, "harbour-reopens", "rejected articles must not use up their slug");
}

#[tokio::test]
async fn references_to_missing_rows_are_not_found_and_store_nothing() {
    let t = TestStore::new().await;
    let f = fixture(&t).await;
    let base = || new_published(&f, "Harbour reopens", at_hour(1));

    let cases: Vec<(&str, NewArticle)> = vec![
        ("section", NewArticle { section_id: SectionId(999_999), ..base() }),
        ("image", NewArticle { hero_image_id: Some(ImageId(999_999)), ..base() }),
        ("author", NewArticle { author_ids: vec![AuthorId(999_999)], ..base() }),
        // The unknown one comes after a good one: what was linked first must be rolled back.
        ("author", NewArticle { author_ids: vec![f.anna.id, AuthorId(999_999)], ..base() }),
        ("tag", NewArticle { tag_ids: vec![f.rail.id, TagId(999_999)], ..base() }),
        ("source", NewArticle { source_ids: vec![SourceId(999_999)], ..base() }),
        ("related", NewArticle { related_ids: vec![ArticleId(999_999)], ..base() }),
    ];
    for (what, new) in &cases {
        let result = t.insert_article(new).await;
        assert_not_found(result, what);
    }

    assert_eq!(counts(&t).await, f.counts(), "failed inserts must leave no row behind");
    assert!(listed(&t, &courant_store::ArticleFilter::All).await.is_empty(), "nothing may be listed");
    let problems = t.integrity_problems().await.expect("integrity_problems");
    assert!(problems.is_empty(), "failed inserts left dangling links: {problems:?}");
    let ok = insert(&t, &base()).await;
    assert_eq!(slug_of(&t, ok).await, "harbour-reopens", "failed inserts must not use up their slug");
}

#[tokio::test]
async fn corrections_are_kept_in_order_and_move_updated_at() {
    let t = TestStore::new().await;
    let f = fixture(&t).await;
    let id = insert(&t, &new_published(&f, "Harbour reopens", at_hour(1))).await;

    t.add_correction(id, "  An earlier version misspelt the harbour master's name.\n", at_hour(5))
        .await
        .expect("first correction");
    let a = load(&t, id).await;
    assert_eq!(a.updated_at, at_hour(5), "a correction counts as an update");

    t.add_correction(id, "The first ferry leaves at 9:00, not 8:00.", at_hour(7)).await.expect("second correction");
    let a = load(&t, id).await;
    assert_eq!(
        a.corrections,
        vec![
            Correction {
                published_at: at_hour(5),
                text: "An earlier version misspelt the harbour master's name.".into()
            },
            Correction { published_at: at_hour(7), text: "The first ferry leaves at 9:00, not 8:00.".into() },
        ],
        "corrections oldest first, text trimmed, dated as given"
    );
    assert_eq!(a.updated_at, at_hour(7), "updated_at follows the latest correction");
    assert_eq!(a.published_at, Some(at_hour(1)), "a correction does not move the publication date");
    assert_eq!(a.status, Status::Published, "a correction does not change the status");

    for empty in ["", "   ", "\n\t"] {
        assert_invalid(t.add_correction(id, empty, at_hour(8)).await, "correction");
    }
    let a = load(&t, id).await;
    assert_eq!(a.corrections.len(), 2, "rejected corrections are not stored: {:?}", a.corrections);
    assert_eq!(a.updated_at, at_hour(7), "a rejected correction does not touch updated_at");

    assert_not_found(t.add_correction(ArticleId(999_999), "Text", at_hour(9)).await, "article");
}

#[tokio::test]
async fn corrections_at_the_same_time_keep_their_insertion_order() {
    let t = TestStore::new().await;
    let f = fixture(&t).await;
    let id = insert(&t, &new_published(&f, "Harbour reopens", at_hour(1))).await;
    for text in ["Zeta first", "Alpha second", "Mid third"] {
        t.add_correction(id, text, at_hour(2)).await.unwrap_or_else(|e| panic!("add correction {text:?}: {e}"));
    }
    let texts: Vec<String> = load(&t, id).await.corrections.into_iter().map(|c| c.text).collect();
    assert_eq!(texts, ["Zeta first", "Alpha second", "Mid third"], "same-time corrections in the order added");
}

#[tokio::test]
async fn many_articles_load_whole_in_the_order_asked() {
    let t = TestStore::new().await;
    let f = fixture(&t).await;
    let mut first = new_published(&f, "Ferries run again", at_hour(1));
    first.author_ids = vec![f.anna.id, f.ben.id];
    first.tag_ids = vec![f.rail.id, f.climate.id];
    let mut second = new_published(&f, "Budget vote tonight", at_hour(2));
    second.author_ids = vec![f.ben.id];
    second.tag_ids = vec![f.budget.id];
    second.source_ids = vec![f.gazette.id, f.wire.id];
    let a = insert(&t, &first).await;
    let b = insert(&t, &second).await;
    let mut third = new_published(&f, "Storm warning lifted", at_hour(3));
    third.related_ids = vec![b, a];
    let c = insert(&t, &third).await;
    t.add_correction(b, "The vote is at eight, not nine.", at_hour(4)).await.expect("correction");

    let loaded = t.articles(&[b, ArticleId(999_999), c, a]).await.expect("articles");
    assert_eq!(
        loaded.iter().map(|x| x.id).collect::<Vec<_>>(),
        vec![b, c, a],
        "in the order asked, missing ones left out"
    );
    for article in &loaded {
        assert_eq!(Some(article), t.article(article.id).await.expect("article").as_ref(), "{} loads whole", article.id);
    }
    assert_eq!(loaded[0].authors.iter().map(|x| x.id).collect::<Vec<_>>(), vec![f.ben.id]);
    assert_eq!(loaded[0].sources.iter().map(|x| x.id).collect::<Vec<_>>(), vec![f.gazette.id, f.wire.id]);
    assert_eq!(loaded[0].corrections.len(), 1);
    assert_eq!(loaded[1].related.iter().map(|x| x.id).collect::<Vec<_>>(), vec![b, a], "pinned, in order");
    assert_eq!(
        loaded[2].authors.iter().map(|x| x.id).collect::<Vec<_>>(),
        vec![f.anna.id, f.ben.id],
        "in byline order"
    );
    assert!(t.articles(&[]).await.expect("none").is_empty());
}

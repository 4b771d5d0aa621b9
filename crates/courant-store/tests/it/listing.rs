//! Listings of published articles: order, paging, totals and filters.

use crate::support::*;
use courant_core::*;
use courant_store::ArticleFilter;
use time::macros::datetime;

/// Five published articles, inserted out of date order, and four that must never be listed.
struct Seeded {
    f: Fixture,
    europe1: ArticleId,
    politics2: ArticleId,
    world3: ArticleId,
    sport4: ArticleId,
    news5: ArticleId,
    hidden: Vec<ArticleId>,
}

impl Seeded {
    fn newest_first(&self) -> Vec<ArticleId> {
        vec![self.news5, self.sport4, self.world3, self.politics2, self.europe1]
    }
}

/// Links an article to every section-independent filter, so a leak shows in every listing.
fn linked_everywhere(f: &Fixture, new: NewArticle) -> NewArticle {
    NewArticle {
        section_id: f.europe.id,
        author_ids: vec![f.anna.id, f.ben.id],
        tag_ids: vec![f.rail.id, f.budget.id, f.climate.id],
        source_ids: vec![f.wire.id, f.gazette.id],
        ..new
    }
}

async fn seed(t: &TestStore) -> Seeded {
    let f = fixture(t).await;
    let world3 = insert(
        t,
        &NewArticle {
            section_id: f.world.id,
            author_ids: vec![f.anna.id],
            tag_ids: vec![f.rail.id],
            source_ids: vec![f.wire.id],
            ..new_published(&f, "World three", at_hour(30))
        },
    )
    .await;
    let europe1 = insert(
        t,
        &NewArticle {
            section_id: f.europe.id,
            standfirst: "  Europe's standfirst.  ".into(),
            hero_image_id: Some(f.hero.id),
            author_ids: vec![f.ben.id, f.anna.id],
            tag_ids: vec![f.climate.id],
            source_ids: vec![f.gazette.id],
            ..new_published(&f, "Europe one", at_hour(10))
        },
    )
    .await;
    let news5 = insert(
        t,
        &NewArticle {
            section_id: f.news.id,
            author_ids: vec![f.ben.id],
            tag_ids: vec![f.climate.id],
            source_ids: vec![f.wire.id],
            ..new_published(&f, "News five", at_hour(50))
        },
    )
    .await;
    let politics2 = insert(
        t,
        &NewArticle {
            section_id: f.politics.id,
            author_ids: vec![f.ben.id],
            tag_ids: vec![f.budget.id, f.rail.id],
            source_ids: vec![],
            ..new_published(&f, "Politics two", at_hour(20))
        },
    )
    .await;
    let sport4 = insert(
        t,
        &NewArticle {
            section_id: f.sport.id,
            author_ids: vec![f.anna.id],
            tag_ids: vec![],
            source_ids: vec![f.wire.id, f.gazette.id],
            ..new_published(&f, "Sport four", at_hour(40))
        },
    )
    .await;

    // Never listed, though newer than everything listed and linked to every filter.
    let draft = insert(t, &linked_everywhere(&f, new_draft(&f, "Hidden draft"))).await;
    let scheduled = insert(
        t,
        &linked_everywhere(
            &f,
            NewArticle {
                status: Status::Scheduled,
                published_at: Some(at_hour(100)),
                ..new_draft(&f, "Hidden scheduled")
            },
        ),
    )
    .await;
    let unpublished = insert(
        t,
        &linked_everywhere(
            &f,
            NewArticle { status: Status::Unpublished, published_at: Some(at_hour(60)), ..new_draft(&f, "Hidden gone") },
        ),
    )
    .await;
    let taken_down = insert(t, &linked_everywhere(&f, new_published(&f, "Hidden taken down", at_hour(70)))).await;
    t.set_status(taken_down, Status::Unpublished, at_hour(71)).await.expect("unpublish taken_down");

    Seeded { f, europe1, politics2, world3, sport4, news5, hidden: vec![draft, scheduled, unpublished, taken_down] }
}

#[tokio::test]
async fn everything_published_newest_first() {
    let t = TestStore::new().await;
    let s = seed(&t).await;

    let page = t.published(&ArticleFilter::All, 50, 0).await.expect("published");
    assert_eq!(ids(&page), s.newest_first(), "newest first by published_at, whatever the insertion order");
    assert_eq!(page.total, 5, "total counts published articles only");
    for item in &page.items {
        assert_eq!(item.status, Status::Published, "{} is listed with status {}", item.slug, item.status);
        assert!(!s.hidden.contains(&item.id), "{} must not be listed", item.slug);
    }
    let dates: Vec<_> = page.items.iter().map(|i| i.published_at).collect();
    assert!(dates.windows(2).all(|w| w[0] >= w[1]), "dates must not increase down the list: {dates:?}");
}

#[tokio::test]
async fn summaries_carry_what_a_teaser_shows() {
    let t = TestStore::new().await;
    let s = seed(&t).await;

    let page = t.published(&ArticleFilter::Sections(vec![s.f.europe.id]), 10, 0).await.expect("published");
    assert_eq!(ids(&page), vec![s.europe1], "only Europe one is filed in Europe");
    let item = &page.items[0];
    assert_eq!(item.slug, "europe-one");
    assert_eq!(item.headline, "Europe one");
    assert_eq!(item.standfirst, "Europe's standfirst.", "standfirst (stored trimmed)");
    assert_eq!((item.section_slug.as_str(), item.section_name.as_str()), ("europe", "Europe"), "section");
    assert_eq!(item.status, Status::Published);
    assert_eq!(item.published_at, Some(at_hour(10)));
    assert_eq!(item.updated_at, at_hour(10));
    assert_eq!(item.hero.as_ref(), Some(&s.f.hero), "hero image");
    assert_eq!(item.path().as_deref(), Some("/europe/2026/11/02/europe-one"), "public path");

    let other = t.published(&ArticleFilter::Sections(vec![s.f.sport.id]), 10, 0).await.expect("published");
    assert_eq!(other.items.first().map(|i| i.hero.clone()), Some(None), "no hero image means None");
}

#[tokio::test]
async fn paging_walks_the_listing_with_a_stable_total() {
    let t = TestStore::new().await;
    let s = seed(&t).await;
    let all = s.newest_first();

    let mut walked = Vec::new();
    for offset in [0, 2, 4] {
        let page = t.published(&ArticleFilter::All, 2, offset).await.expect("published");
        assert_eq!(page.total, 5, "total at offset {offset} should count the whole listing");
        let expected: Vec<ArticleId> = all.iter().skip(offset as usize).take(2).copied().collect();
        assert_eq!(ids(&page), expected, "page at offset {offset}, limit 2");
        walked.extend(ids(&page));
    }
    assert_eq!(walked, all, "walking the pages gives the whole listing once");

    let past_end = t.published(&ArticleFilter::All, 2, 5).await.expect("published");
    assert!(past_end.items.is_empty(), "past the end: {:?}", ids(&past_end));
    assert_eq!(past_end.total, 5, "total past the end");

    let none = t.published(&ArticleFilter::All, 0, 0).await.expect("published");
    assert!(none.items.is_empty(), "limit 0 gives no items: {:?}", ids(&none));
    assert_eq!(none.total, 5, "limit 0 still counts");

    let filtered = t.published(&ArticleFilter::Author(s.f.anna.id), 1, 1).await.expect("published");
    assert_eq!(ids(&filtered), vec![s.world3], "second of Anna's articles");
    assert_eq!(filtered.total, 3, "total of a filtered listing");
}

#[tokio::test]
async fn section_filter_takes_the_given_sections() {
    let t = TestStore::new().await;
    let s = seed(&t).await;
    let f = &s.f;
    let sections = t.sections().await.expect("sections");

    let news_tree = subtree(&sections, f.news.id);
    assert_eq!(news_tree.len(), 4, "News, World, Europe and Politics: {news_tree:?}");
    assert_eq!(
        listed(&t, &ArticleFilter::Sections(news_tree)).await,
        vec![s.news5, s.world3, s.politics2, s.europe1],
        "a parent with its descendants"
    );
    assert_eq!(
        listed(&t, &ArticleFilter::Sections(subtree(&sections, f.world.id))).await,
        vec![s.world3, s.europe1],
        "World with Europe"
    );
    assert_eq!(
        listed(&t, &ArticleFilter::Sections(vec![f.news.id])).await,
        vec![s.news5],
        "only the listed ids count: a parent alone does not bring its children"
    );
    assert_eq!(listed(&t, &ArticleFilter::Sections(vec![f.europe.id])).await, vec![s.europe1], "a leaf");
    assert_eq!(
        listed(&t, &ArticleFilter::Sections(vec![f.sport.id, f.politics.id])).await,
        vec![s.sport4, s.politics2],
        "unrelated sections together"
    );
    assert_eq!(listed(&t, &ArticleFilter::Sections(vec![])).await, Vec::<ArticleId>::new(), "no section, nothing");
    assert_eq!(
        listed(&t, &ArticleFilter::Sections(vec![SectionId(999_999)])).await,
        Vec::<ArticleId>::new(),
        "an unknown section lists nothing"
    );

    let empty = t.published(&ArticleFilter::Sections(vec![]), 10, 0).await.expect("published");
    assert_eq!((empty.items.len(), empty.total), (0, 0), "an empty Sections filter has total 0");
}

#[tokio::test]
async fn tag_author_and_source_filters() {
    let t = TestStore::new().await;
    let s = seed(&t).await;
    let f = &s.f;

    assert_eq!(listed(&t, &ArticleFilter::Tag(f.rail.id)).await, vec![s.world3, s.politics2], "tag Rail strikes");
    assert_eq!(listed(&t, &ArticleFilter::Tag(f.climate.id)).await, vec![s.news5, s.europe1], "tag Climate");
    assert_eq!(
        listed(&t, &ArticleFilter::Tag(f.budget.id)).await,
        vec![s.politics2],
        "tag Budget, in second position on its article"
    );
    assert_eq!(listed(&t, &ArticleFilter::Tag(TagId(999_999))).await, Vec::<ArticleId>::new(), "unknown tag");

    assert_eq!(
        listed(&t, &ArticleFilter::Author(f.anna.id)).await,
        vec![s.sport4, s.world3, s.europe1],
        "author Anna, including as second byline"
    );
    assert_eq!(listed(&t, &ArticleFilter::Author(f.ben.id)).await, vec![s.news5, s.politics2, s.europe1], "Ben");
    assert_eq!(listed(&t, &ArticleFilter::Author(AuthorId(999_999))).await, Vec::<ArticleId>::new(), "unknown author");

    assert_eq!(listed(&t, &ArticleFilter::Source(f.wire.id)).await, vec![s.news5, s.sport4, s.world3], "Courant Wire");
    assert_eq!(listed(&t, &ArticleFilter::Source(f.gazette.id)).await, vec![s.sport4, s.europe1], "Harbour Gazette");
    assert_eq!(listed(&t, &ArticleFilter::Source(SourceId(999_999))).await, Vec::<ArticleId>::new(), "unknown source");
}

#[tokio::test]
async fn a_listing_whole_is_its_pages_end_to_end() {
    let t = TestStore::new().await;
    let s = seed(&t).await;
    let f = &s.f;
    // Equal times order by id, as in pages.
    for i in 0..3 {
        let new = NewArticle { tag_ids: vec![f.rail.id], ..new_published(f, &format!("Same hour {i}"), at_hour(30)) };
        insert(&t, &new).await;
    }
    let filters = [
        ArticleFilter::All,
        ArticleFilter::Sections(vec![f.europe.id, f.world.id]),
        ArticleFilter::Tag(f.rail.id),
        ArticleFilter::Tag(f.climate.id),
        ArticleFilter::Tag(TagId(999_999)),
        ArticleFilter::Author(f.anna.id),
        ArticleFilter::Author(f.ben.id),
        ArticleFilter::Source(f.wire.id),
        ArticleFilter::Source(f.gazette.id),
    ];
    for filter in &filters {
        let whole = t.published_ids(filter).await.expect("published_ids");
        let mut paged = Vec::new();
        for offset in 0..12 {
            paged.extend(ids(&t.published(filter, 1, offset).await.expect("published")));
        }
        assert_eq!(whole, paged, "{filter:?}: the whole listing, page by page, hidden stories left out");
    }
    let rail = t.published_ids(&ArticleFilter::Tag(f.rail.id)).await.expect("rail");
    assert_eq!(rail.len(), 5, "three new, World three and Politics two: {rail:?}");
    for hidden in &s.hidden {
        assert!(!rail.contains(hidden), "{hidden:?} is not published");
    }
}

#[tokio::test]
async fn order_compares_instants_not_local_clock_times() {
    let t = TestStore::new().await;
    let f = fixture(&t).await;
    // In UTC: a = 25th 01:30, b = 25th 01:00, c = 24th 23:45. Their local clocks sort the other way.
    let a = insert(&t, &new_published(&f, "A", datetime!(2026-11-24 23:30 -02:00))).await;
    let b = insert(&t, &new_published(&f, "B", datetime!(2026-11-25 01:00 UTC))).await;
    let c = insert(&t, &new_published(&f, "C", datetime!(2026-11-25 02:45 +03:00))).await;
    assert_eq!(listed(&t, &ArticleFilter::All).await, vec![a, b, c], "newest first across time zones");
}

#[tokio::test]
async fn paging_is_stable_when_dates_are_equal() {
    let t = TestStore::new().await;
    let f = fixture(&t).await;
    let mut inserted = Vec::new();
    for i in 0..5 {
        inserted.push(insert(&t, &new_published(&f, &format!("Same minute {i}"), at_hour(1))).await);
    }
    let mut walked = Vec::new();
    for offset in 0..6 {
        let page = t.published(&ArticleFilter::All, 1, offset).await.expect("published");
        assert_eq!(page.total, 5);
        walked.extend(ids(&page));
    }
    let mut sorted = walked.clone();
    sorted.sort();
    inserted.sort();
    assert_eq!(sorted, inserted, "one-by-one paging must visit every article exactly once: {walked:?}");
}

#[tokio::test]
async fn latest_lists_like_published_without_counting() {
    let t = TestStore::new().await;
    let s = seed(&t).await;
    let latest: Vec<ArticleId> =
        t.latest(&ArticleFilter::All, 3, 1).await.expect("latest").into_iter().map(|a| a.id).collect();
    assert_eq!(latest, s.newest_first()[1..4].to_vec(), "latest(3, offset 1) must skip the newest and take three");
    let page = t.published(&ArticleFilter::All, 3, 1).await.expect("published");
    assert_eq!(ids(&page), latest, "latest and published must list the same stories");
    for hidden in &s.hidden {
        assert!(!latest.contains(hidden), "latest must never list a story that is not published");
    }
}

#[tokio::test]
async fn queries_combine_conditions_and_page_by_cursor() {
    use courant_store::ArticleQuery;
    let t = TestStore::new().await;
    let s = seed(&t).await;
    let ids_of = |v: Vec<ArticleSummary>| v.into_iter().map(|a| a.id).collect::<Vec<_>>();
    let all = t.query_published(&ArticleQuery::default(), 50, 0).await.expect("query");
    assert_eq!(ids_of(all.clone()), s.newest_first(), "an empty query lists everything published, newest first");

    // A cursor at the second story continues with the third, whatever is published above it.
    let second = &all[1];
    let after =
        ArticleQuery { after: Some((second.published_at.expect("published"), second.id)), ..Default::default() };
    let rest = ids_of(t.query_published(&after, 50, 0).await.expect("query"));
    assert_eq!(rest, s.newest_first()[2..].to_vec());
    let mut newer = new_published(&s.f, "A story published after the cursor was handed out", at_hour(1000));
    newer.section_id = s.f.europe.id;
    insert(&t, &newer).await;
    assert_eq!(
        ids_of(t.query_published(&after, 50, 0).await.expect("query")),
        rest,
        "the cursor's page must not shift"
    );

    // Conditions combine: the result is the intersection of each condition alone.
    let filters = [
        ArticleFilter::Sections(vec![s.f.europe.id, s.f.world.id]),
        ArticleFilter::Tag(s.f.rail.id),
        ArticleFilter::Author(s.f.anna.id),
    ];
    let mut expected: Option<Vec<ArticleId>> = None;
    for f in &filters {
        let ids = ids(&t.published(f, 50, 0).await.expect("published"));
        expected = Some(match expected {
            None => ids,
            Some(prev) => prev.into_iter().filter(|id| ids.contains(id)).collect(),
        });
    }
    let combined = ArticleQuery {
        sections: Some(vec![s.f.europe.id, s.f.world.id]),
        tag: Some(s.f.rail.id),
        author: Some(s.f.anna.id),
        ..Default::default()
    };
    let got = ids_of(t.query_published(&combined, 50, 0).await.expect("query"));
    assert_eq!(Some(got.clone()), expected, "sections AND tag AND author");
    assert!(!got.is_empty(), "the seed links some stories to every filter, so the intersection is not empty");

    // since/until bound the first publication time, half-open.
    let middle = all[2].published_at.expect("published");
    let window = ArticleQuery {
        since: Some(middle),
        until: Some(all[0].published_at.expect("published")),
        ..Default::default()
    };
    assert_eq!(ids_of(t.query_published(&window, 50, 0).await.expect("query")), vec![all[1].id, all[2].id]);
}

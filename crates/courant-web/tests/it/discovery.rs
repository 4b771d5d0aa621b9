//! Issue #5: search and related articles, over indexes built from the demo corpus (which knows
//! the topic of every story it wrote).

use crate::support::*;
use courant_core::{ArticleId, Status};
use courant_search::SearchIndex;
use courant_store::{ArticleText, Store};
use std::collections::HashMap;
use std::sync::OnceLock;

/// A store with 300 demo stories and its search index, built once for this binary.
struct Corpus {
    store: Store,
    index: SearchIndex,
    topics: HashMap<ArticleId, &'static str>,
    runtime: tokio::runtime::Runtime,
    _dir: tempfile::TempDir,
}

fn corpus() -> &'static Corpus {
    static CORPUS: OnceLock<Corpus> = OnceLock::new();
    CORPUS.get_or_init(|| {
        let runtime =
            tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("runtime");
        let dir = tempfile::tempdir().expect("tempdir");
        let (store, index, topics) = runtime.block_on(async {
            let store = Store::open(dir.path()).await.expect("store");
            let mut options = courant_demo::DemoOptions::new(300, time::OffsetDateTime::now_utc());
            options.picture_pool = 3;
            let report = courant_demo::generate(&store, &courant::media_dir(dir.path()), &options, &|_, _, _| {})
                .await
                .expect("demo");
            let (index, fresh) = SearchIndex::open(&dir.path().join("index"), "english").expect("index");
            assert!(fresh);
            courant_web::indexer::rebuild(&store, &index, &|_, _| {}).await.expect("rebuild");
            (store, index, report.topics)
        });
        Corpus { store, index, topics, runtime, _dir: dir }
    })
}

#[test]
fn related_stories_share_their_topic() {
    let c = corpus();
    let texts: Vec<ArticleText> = c.runtime.block_on(async {
        let mut all = Vec::new();
        let mut after = ArticleId(0);
        loop {
            let batch = c.store.texts_for_index(after, 500).await.expect("texts");
            let Some(last) = batch.last() else { break };
            after = last.id;
            all.extend(batch);
        }
        all
    });
    assert!(texts.len() > 250, "{} published stories", texts.len());
    let (mut hits, mut total) = (0usize, 0usize);
    for t in &texts {
        let related = c.index.related(&courant_web::indexer::indexed(t), 3, &[]).expect("related");
        assert!(!related.contains(&t.id), "a story is never related to itself");
        let topic = c.topics[&t.id];
        total += 3;
        hits += related.iter().filter(|id| c.topics.get(id) == Some(&topic)).count();
    }
    let precision = hits as f64 / total as f64;
    println!("related stories: precision@3 = {precision:.3} over {} stories", texts.len());
    assert!(
        precision >= 0.8,
        "precision@3 is {precision:.3}; at least 0.8 of the top three must share the story's topic"
    );
}

fn search(c: &Corpus, q: courant_search::SearchQuery) -> Vec<ArticleId> {
    c.index
        .search(&courant_search::SearchQuery { limit: if q.limit == 0 { 50 } else { q.limit }, ..q })
        .expect("search")
        .ids
}

#[test]
fn search_finds_words_phrases_and_filters() {
    let c = corpus();
    use courant_search::{SearchQuery, Sort};
    let text = |t: &str| SearchQuery { text: t.into(), ..SearchQuery::default() };
    let hits = search(c, text("marathon runners"));
    assert!(!hits.is_empty(), "the demo has marathon stories");
    assert!(hits.iter().take(5).all(|id| c.topics[id] == "city-marathon"), "the best matches are marathon stories");
    // Stemming: the singular finds the plural.
    assert!(!search(c, text("runner")).is_empty());
    // A phrase finds only stories with those words in that order.
    let phrase = search(c, text("\"title race\""));
    assert!(!phrase.is_empty() && phrase.iter().all(|id| c.topics[id] == "title-race"), "{phrase:?}");
    // Filters narrow: the newest-first order holds, and a date range bounds the results.
    let newest = c
        .index
        .search(&SearchQuery { text: "the".into(), sort: Sort::Newest, limit: 20, ..SearchQuery::default() })
        .expect("search");
    let dates: Vec<time::OffsetDateTime> = c.runtime.block_on(async {
        c.store
            .published_summaries(&newest.ids)
            .await
            .expect("summaries")
            .iter()
            .filter_map(|s| s.published_at)
            .collect()
    });
    assert!(dates.windows(2).all(|w| w[0] >= w[1]), "newest first: {dates:?}");
    let since = dates[dates.len() / 2];
    let bounded = search(c, SearchQuery { text: "the".into(), since: Some(since), ..SearchQuery::default() });
    let bounded_dates: Vec<time::OffsetDateTime> = c.runtime.block_on(async {
        c.store.published_summaries(&bounded).await.expect("summaries").iter().filter_map(|s| s.published_at).collect()
    });
    assert!(!bounded_dates.is_empty() && bounded_dates.iter().all(|d| *d >= since));
}

#[test]
fn hostile_queries_never_fail() {
    let c = corpus();
    for q in [
        "\"unbalanced",
        "AND OR NOT",
        "((((",
        "+-+-!!**",
        "field:value:other",
        "title:[a TO",
        "\u{0}\u{7}x",
        "ñ\u{301}\u{202e}",
        "\\\\",
        "~2^3",
    ] {
        let r = c.index.search(&courant_search::SearchQuery { text: q.into(), limit: 10, ..Default::default() });
        assert!(r.is_ok(), "{q:?} failed: {r:?}");
        assert!(c.index.snippet(q, "some text to cut a snippet from", 50).is_ok(), "snippet for {q:?}");
    }
}

/// A server of its own, so that publishing and withdrawing here disturbs no other test.
fn live() -> &'static (String, Store) {
    static LIVE: OnceLock<(String, Store)> = OnceLock::new();
    LIVE.get_or_init(|| {
        let mut options = courant_demo::DemoOptions::new(12, time::OffsetDateTime::now_utc());
        options.picture_pool = 2;
        // Pages follow "Others are reading now" every second here (30 s by default).
        let mut config = courant::Config::default();
        config.cache.trending_seconds = 1;
        let server = spawn_server(config, options);
        (server.base, server.store)
    })
}

/// Searches the live server's page until `found` holds for the result, for at most `limit`.
async fn wait_for(base: &str, word: &str, found: bool, limit: std::time::Duration) -> std::time::Duration {
    let started = std::time::Instant::now();
    loop {
        let html = http_client()
            .get(format!("{base}/search?q={word}"))
            .send()
            .await
            .expect("search")
            .text()
            .await
            .expect("body");
        let has = scraper::Html::parse_document(&html)
            .select(&scraper::Selector::parse(".search-result").expect("selector"))
            .next()
            .is_some();
        if has == found {
            return started.elapsed();
        }
        assert!(
            started.elapsed() < limit,
            "{word:?} {} the search after {limit:?}",
            if found { "is still not in" } else { "is still in" }
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_index_follows_publishing_and_withdrawal_within_a_second() {
    let (base, store) = live();
    let now = time::OffsetDateTime::now_utc();
    let id = insert_draft(
        store,
        "Zephyrine lighthouse keepers vote to stay on the rock",
        "The zephyrine keepers will keep the lamp burning through the winter.",
        "The keepers of the zephyrine lighthouse voted on Tuesday.",
    )
    .await;
    tokio::time::sleep(std::time::Duration::from_millis(600)).await;
    wait_for(base, "zephyrine", false, std::time::Duration::from_secs(1)).await;
    store.set_status(id, Status::Published, now).await.expect("publish");
    let took = wait_for(base, "zephyrine", true, std::time::Duration::from_secs(1)).await;
    println!("published to searchable: {took:?}");
    store.set_status(id, Status::Unpublished, now).await.expect("unpublish");
    let took = wait_for(base, "zephyrine", false, std::time::Duration::from_secs(1)).await;
    println!("withdrawn to gone: {took:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_search_page_marks_matches_and_helps_when_nothing_is_found() {
    let app = app();
    // The index follows the store; give it its first pass over the fixture.
    let mut doc = app.html("/search?q=cranes").await;
    for _ in 0..40 {
        if !select_all(&doc, ".search-result").is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        doc = app.html("/search?q=cranes").await;
    }
    let results = select_all(&doc, ".search-result");
    assert!(!results.is_empty(), "GET /search?q=cranes found nothing");
    let first = select_in(results[0], ".teaser-headline a")[0];
    assert_eq!(attr(first, "href"), app.fixture.main_path, "the headline match comes first");
    assert!(!select_all(&doc, ".search-result .snippet mark").is_empty(), "snippets mark the matched words");
    // Issue 19: results show their picture and date.
    assert!(!select_all(&doc, ".search-result .teaser-image img[width][height]").is_empty(), "results show thumbnails");
    assert_eq!(select_all(&doc, ".search-result time[datetime]").len(), results.len(), "every result is dated");
    assert_eq!(attr(select_all(&doc, "#search-q")[0], "value"), "cranes", "the form keeps the query");

    // The date range: the main story was published on 2026-11-20.
    let hrefs = |doc: &scraper::Html| -> Vec<String> {
        select_all(doc, ".search-result .teaser-headline a").into_iter().map(|a| attr(a, "href")).collect()
    };
    let that_day = app.html("/search?q=cranes&since=2026-11-20&until=2026-11-20").await;
    assert!(hrefs(&that_day).contains(&app.fixture.main_path), "{:?}", hrefs(&that_day));
    assert_eq!(attr(select_all(&that_day, "input[name=since]")[0], "value"), "2026-11-20", "the form keeps the dates");
    let later = app.html("/search?q=cranes&since=2026-11-21").await;
    assert!(!hrefs(&later).contains(&app.fixture.main_path), "{:?}", hrefs(&later));
    let by_author = app.html(&format!("/search?q=cranes&author={}", app.fixture.author.slug)).await;
    assert!(hrefs(&by_author).contains(&app.fixture.main_path));
    let bad_date = app.get("/search?q=cranes&since=last+week").await;
    assert_eq!(bad_date.status, 400, "{}", bad_date.describe());

    let none = app.html("/search?q=xylophonic+quasars").await;
    assert!(select_all(&none, ".search-result").is_empty());
    let suggestions = select_all(&none, ".nothing-found li a");
    assert!(!suggestions.is_empty(), "nothing found offers stories to read instead");

    let long = app.get(&format!("/search?q={}", "a".repeat(300))).await;
    assert_eq!(long.status, 400, "an overlong query is refused with a message");
    assert!(long.body.contains("200 characters"), "{}", long.describe());
    for hostile in ["%22unbalanced", "AND+OR+NOT+((", "%00%07", "title:[a+TO", "-+-+-"] {
        let r = app.get(&format!("/search?q={hostile}")).await;
        assert_eq!(r.status, 200, "GET /search?q={hostile}: {}", r.describe());
    }
    let (status, body) = {
        let r = app.get("/api/v1/search?q=cranes&section=no-such").await;
        (r.status, r.body)
    };
    assert_eq!(status, 400);
    assert!(body.contains("\"parameter\":\"section\""), "{body}");
}

const BROWSER: &str = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";

async fn beacon(base: &str, id: i64, user_agent: &str, extra: &[(&str, &str)]) -> u16 {
    let mut req = http_client()
        .post(format!("{base}/beacon"))
        .header("User-Agent", user_agent)
        .header("Content-Type", "application/x-courant-view")
        .body(id.to_string());
    for (k, v) in extra {
        req = req.header(*k, *v);
    }
    req.send().await.expect("beacon").status().as_u16()
}

async fn reading_now(base: &str, path: &str) -> Vec<String> {
    let html = http_client().get(format!("{base}{path}")).send().await.expect("page").text().await.expect("body");
    let doc = scraper::Html::parse_document(&html);
    let sel = scraper::Selector::parse(".reading-now li a").expect("selector");
    doc.select(&sel).filter_map(|a| a.value().attr("href").map(String::from)).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn beacons_move_the_others_are_reading_now_list() {
    let (base, store) = live();
    let stories = store.latest(&courant_store::ArticleFilter::All, 8, 0).await.expect("stories");
    assert!(stories.len() >= 6, "the live demo has stories");
    let path = |i: usize| stories[i].path().expect("published");
    let id = |i: usize| stories[i].id.0;
    let reader = |n: u8| format!("{BROWSER} reader/{n}");

    // Story 1: one reader, five times (counts once). Story 2: two readers. Story 3: a reader
    // who sends Do Not Track three times (counts once too). Story 5: a script changing its user
    // agent on every view (one address counts as at most three readers). Story 4: only bots,
    // stray requests and prefetches (none count).
    for _ in 0..5 {
        assert_eq!(beacon(base, id(1), &reader(1), &[]).await, 204);
    }
    for n in 2..4 {
        beacon(base, id(2), &reader(n), &[]).await;
    }
    for _ in 0..3 {
        beacon(base, id(3), &reader(9), &[("DNT", "1")]).await;
    }
    for n in 10..30 {
        beacon(base, id(5), &reader(n), &[]).await;
    }
    for ua in ["Googlebot/2.1 (+http://www.google.com/bot.html)", "curl/8.5.0", ""] {
        beacon(base, id(4), ua, &[]).await;
    }
    beacon(base, id(4), &reader(5), &[("Sec-Purpose", "prefetch;prerender")]).await;
    let stray = http_client()
        .post(format!("{base}/beacon"))
        .header("User-Agent", reader(6))
        .body(id(4).to_string())
        .send()
        .await
        .expect("stray");
    assert_eq!(stray.status().as_u16(), 204, "a stray request is answered but not counted");

    let list = reading_now(base, &path(0)).await;
    assert_eq!(list.first(), Some(&path(5)), "twenty user agents of one address count as three: {list:?}");
    assert_eq!(list.get(1), Some(&path(2)), "two readers next: {list:?}");
    let ones: std::collections::HashSet<_> = list[2..4.min(list.len())].iter().collect();
    assert_eq!(
        ones,
        [&path(1), &path(3)].into_iter().collect(),
        "one reader, five beacons, and one reader with DNT, three beacons, count once each: {list:?}"
    );
    assert!(!list.contains(&path(4)), "bots, stray requests and prefetches do not count: {list:?}");
    assert!(!reading_now(base, &path(3)).await.contains(&path(3)), "the story being read is not suggested");

    // A withdrawn story leaves the list at once.
    store.set_status(stories[3].id, Status::Unpublished, time::OffsetDateTime::now_utc()).await.expect("unpublish");
    let list = reading_now(base, &path(0)).await;
    assert!(!list.contains(&path(3)), "a withdrawn story is never suggested: {list:?}");
    // Nor is it linked from any other page: related stories, "Also read", latest lists.
    for i in (0..stories.len()).filter(|i| *i != 3) {
        let html =
            http_client().get(format!("{base}{}", path(i))).send().await.expect("page").text().await.expect("body");
        assert!(!html.contains(&format!("href=\"{}\"", path(3))), "{} still links the withdrawn {}", path(i), path(3));
    }
    // Views of something that is not published are not counted.
    assert_eq!(beacon(base, id(3), &reader(7), &[]).await, 204);
    assert_eq!(beacon(base, 99_999_999, &reader(7), &[]).await, 204);
    let pixel = http_client()
        .get(format!("{base}/beacon.gif?a={}", id(5)))
        .header("User-Agent", reader(8))
        .header("Sec-Fetch-Dest", "image")
        .send()
        .await
        .expect("pixel");
    assert_eq!(pixel.headers().get("content-type").and_then(|v| v.to_str().ok()), Some("image/gif"));
    // Cached pages show the new list once the trending epoch moves on (a second here).
    let started = std::time::Instant::now();
    while !reading_now(base, &path(0)).await.contains(&path(5)) {
        assert!(started.elapsed() < std::time::Duration::from_secs(5), "the no-script pixel counts a view");
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
}

//! Issue #7: the page cache. Every kind of change is followed by a request to each page that
//! shows it, which must show the change (no stale page); conditional requests answer 304; the
//! three encodings carry the same page; a storm of requests for one cold page renders it once.
//!
//! Its own server: the changes here would disturb what other tests assert.

use crate::support::*;
use courant_core::*;
use courant_store::{ImageUpdate, NewUser, SaveOutcome, Store};
use std::io::Read;
use std::sync::OnceLock;
use time::OffsetDateTime;

/// The tests here take turns: one's changes would drop the other's pages.
static TURN: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

fn server() -> &'static Spawned {
    static SERVER: OnceLock<Spawned> = OnceLock::new();
    SERVER.get_or_init(|| {
        let mut options = courant_demo::DemoOptions::new(16, OffsetDateTime::now_utc());
        options.picture_pool = 2;
        spawn_server(courant::Config::default(), options)
    })
}

async fn fetch(path: &str, headers: &[(&str, &str)]) -> Resp {
    let mut request = http_client().get(format!("{}{path}", server().base));
    for (k, v) in headers {
        request = request.header(*k, *v);
    }
    let response = request.send().await.unwrap_or_else(|e| panic!("GET {path}: {e}"));
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let bytes = response.bytes().await.expect("body").to_vec();
    Resp { path: path.to_string(), status, headers, body: String::from_utf8_lossy(&bytes).into_owned(), bytes }
}

/// Requests a page until it is served from memory as rendered: the answer after a render must
/// be a hit with the same page. (An article page first rendered before its related stories are
/// found is provisional, and rendered once more.)
async fn warm(path: &str) -> Resp {
    let mut last = fetch(path, &[]).await;
    assert_eq!(last.status, 200, "{}", last.describe());
    for _ in 0..50 {
        let next = fetch(path, &[]).await;
        assert_eq!(next.status, 200, "{}", next.describe());
        if next.header("x-cache") == Some("hit") && next.body == last.body {
            return next;
        }
        last = next;
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    panic!("GET {path}: never served from memory as rendered");
}

async fn editor(store: &Store) -> UserId {
    let stamp = OffsetDateTime::now_utc().unix_timestamp_nanos();
    let new = NewUser {
        email: format!("cache-{stamp}@test.example"),
        name: "Cache editor".into(),
        role: Role::Editor,
        password_hash: "$argon2id$unused".into(),
        must_change_password: false,
        author_id: None,
    };
    store.insert_user(&new, None, OffsetDateTime::now_utc()).await.expect("user").id
}

/// Saves a change to an article's content as an editor would.
async fn edit(store: &Store, by: UserId, id: ArticleId, change: impl FnOnce(&mut ArticleDraft)) {
    let article = store.article(id).await.expect("load").expect("exists");
    let mut draft = ArticleDraft::of(&article, store.pinned_related(id).await.expect("pinned"));
    change(&mut draft);
    let version = store.article_meta(id).await.expect("meta").expect("exists").version;
    let saved = store.save_article(id, version, &draft, by, OffsetDateTime::now_utc(), "").await.expect("save");
    assert!(matches!(saved, SaveOutcome::Saved { .. }), "{saved:?}");
}

fn links_to(r: &Resp, path: &str) -> bool {
    r.body.contains(&format!("href=\"{path}\""))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_kind_of_change_reaches_every_page_that_shows_it() {
    let _turn = TURN.lock().await;
    let store = &server().store;
    let by = editor(store).await;
    let latest = store.latest(&courant_store::ArticleFilter::All, 3, 0).await.expect("latest");
    let a = store.article(latest[0].id).await.expect("load").expect("exists");
    let path = a.path().expect("published");
    let section = format!("/{}", a.section_path[0].slug);
    let tag = a.tags.first().expect("demo stories have tags").clone();
    let author = a.authors[0].clone();
    let pages = |p: &str, tag: &str| {
        vec![
            p.to_string(),
            "/".into(),
            section.clone(),
            format!("/tag/{tag}"),
            format!("/author/{}", author.slug),
            "/rss.xml".into(),
        ]
    };

    // Update: the new headline everywhere the story shows.
    for p in pages(&path, &tag.slug) {
        warm(&p).await;
    }
    edit(store, by, a.id, |d| d.headline = "Cache test: the harbour reopens".into()).await;
    for p in pages(&path, &tag.slug) {
        let r = fetch(&p, &[]).await;
        assert!(r.body.contains("Cache test: the harbour reopens"), "after an update, {p} shows the new headline");
    }

    // Exactness: a listing that does not show the story keeps its cached page.
    let mut unrelated = None;
    for s in store.latest(&courant_store::ArticleFilter::All, 16, 0).await.expect("latest") {
        let other = store.article(s.id).await.expect("load").expect("exists");
        if let Some(t) = other.tags.iter().find(|t| !a.tags.iter().any(|x| x.id == t.id)) {
            unrelated = Some(format!("/tag/{}", t.slug));
            break;
        }
    }
    let unrelated = unrelated.expect("the demo has a tag the story does not carry, with a published story");
    warm(&unrelated).await;
    edit(store, by, a.id, |d| d.standfirst = "Cache test: an edited standfirst.".into()).await;
    assert_eq!(fetch(&unrelated, &[]).await.header("x-cache"), Some("hit"), "an unrelated listing stays cached");
    assert_ne!(fetch(&section, &[]).await.header("x-cache"), Some("hit"), "the story's own section was dropped");

    // Section move: the story leaves its old section's pages and joins the new one's.
    let sections = store.sections().await.expect("sections");
    let elsewhere = sections
        .iter()
        .find(|s| s.parent_id.is_none() && s.id != a.section_path[0].id)
        .expect("another section")
        .clone();
    let elsewhere_path = format!("/{}", elsewhere.slug);
    warm(&section).await;
    warm(&elsewhere_path).await;
    edit(store, by, a.id, |d| d.section_id = Some(elsewhere.id)).await;
    let moved = store.article(a.id).await.expect("load").expect("exists").path().expect("published");
    assert!(!links_to(&fetch(&section, &[]).await, &path), "the old section no longer lists the story");
    assert!(links_to(&fetch(&elsewhere_path, &[]).await, &moved), "the new section lists the story");
    edit(store, by, a.id, |d| d.section_id = Some(a.section.id)).await;

    // Correction: shown at the story's foot at once.
    warm(&path).await;
    store
        .correct_article(a.id, "Cache test correction: the quay is the north one.", by, OffsetDateTime::now_utc())
        .await
        .expect("correct");
    assert!(fetch(&path, &[]).await.body.contains("Cache test correction"), "the correction shows");

    // Author rename: bylines and the author's page.
    warm(&path).await;
    warm(&format!("/author/{}", author.slug)).await;
    store
        .update_author(
            author.id,
            "Renamed Cache Author",
            &author.title,
            &author.bio,
            author.photo.as_ref().map(|p| p.id),
        )
        .await
        .expect("rename");
    assert!(fetch(&path, &[]).await.body.contains("Renamed Cache Author"), "the byline follows the rename");
    assert!(fetch(&format!("/author/{}", author.slug), &[]).await.body.contains("Renamed Cache Author"));

    // Image replace: the hero's texts on the story's page.
    let hero = a.hero.clone().expect("demo stories have a hero");
    warm(&path).await;
    let update = ImageUpdate {
        alt: "Cache test alt text".into(),
        caption: "Cache test caption".into(),
        credit: hero.credit.clone(),
        keywords: hero.keywords.clone(),
        focal: hero.focal,
    };
    store.update_image(hero.id, &update).await.expect("image");
    let r = fetch(&path, &[]).await;
    assert!(
        r.body.contains("Cache test alt text") && r.body.contains("Cache test caption"),
        "the hero's new texts show"
    );

    // Tag merge: the story's tags and both tags' pages.
    let other_tag = store.tag_named("Cache test merged tag").await.expect("tag");
    warm(&path).await;
    warm(&format!("/tag/{}", tag.slug)).await;
    store.merge_tags(tag.id, other_tag.id, by, OffsetDateTime::now_utc()).await.expect("merge");
    let r = fetch(&path, &[]).await;
    assert!(r.body.contains("Cache test merged tag"), "the story lists the tag it was merged into");
    assert_eq!(fetch(&format!("/tag/{}", tag.slug), &[]).await.status, 404, "the merged tag's page is gone");
    assert!(links_to(&fetch(&format!("/tag/{}", other_tag.slug), &[]).await, &path), "the new tag lists the story");

    // Section rename: every page's navigation.
    let b = store.article(latest[1].id).await.expect("load").expect("exists");
    let b_path = b.path().expect("published");
    let top = a.section_path[0].clone();
    for p in ["/", b_path.as_str(), "/rss.xml"] {
        warm(p).await;
    }
    store
        .update_section(top.id, "Cachetest Section", &top.description, top.parent_id, top.position)
        .await
        .expect("rename section");
    for p in ["/", b_path.as_str()] {
        assert!(fetch(p, &[]).await.body.contains("Cachetest Section"), "{p}: the navigation shows the new name");
    }

    // Slug change: the old address redirects at once, the new one serves.
    warm(&path).await;
    edit(store, by, a.id, |d| d.slug = "cache-test-new-slug".into()).await;
    let old = fetch(&path, &[]).await;
    assert_eq!(old.status, 301, "the old address redirects: {}", old.describe());
    let new_path = store.article(a.id).await.expect("load").expect("exists").path().expect("published");
    assert_eq!(old.header("location"), Some(new_path.as_str()));
    assert_eq!(fetch(&new_path, &[]).await.status, 200);

    // Unpublish: 410 at once, gone from every list.
    for p in pages(&new_path, &other_tag.slug) {
        warm(&p).await;
    }
    store.move_article(a.id, Status::Unpublished, Some(by), OffsetDateTime::now_utc(), None).await.expect("unpublish");
    assert_eq!(fetch(&new_path, &[]).await.status, 410);
    for p in pages(&new_path, &other_tag.slug).into_iter().skip(1) {
        let r = fetch(&p, &[]).await;
        assert!(
            !links_to(&r, &new_path) && !r.body.contains("Cache test: the harbour reopens"),
            "{p} still shows the withdrawn story"
        );
    }

    // Publish: a new story on the home page, its section, the feed and the other stories' "Latest".
    for p in ["/", section.as_str(), "/rss.xml", b_path.as_str()] {
        warm(p).await;
    }
    let draft = ArticleDraft {
        headline: "Cache test: a story published now".into(),
        standfirst: "It must show at once.".into(),
        body: "Body.".into(),
        section_id: Some(a.section.id),
        author_ids: vec![author.id],
        hero_image_id: Some(hero.id),
        ..Default::default()
    };
    let id = store.create_article(&draft, by, OffsetDateTime::now_utc()).await.expect("create");
    store.move_article(id, Status::Published, Some(by), OffsetDateTime::now_utc(), None).await.expect("publish");
    for p in ["/", section.as_str(), "/rss.xml", b_path.as_str()] {
        assert!(fetch(p, &[]).await.body.contains("Cache test: a story published now"), "{p} shows the new story");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn conditional_requests_and_encodings() {
    let _turn = TURN.lock().await;
    let store = &server().store;
    let latest = store.latest(&courant_store::ArticleFilter::All, 4, 0).await.expect("latest");
    let path = latest[3].path().expect("published");
    let page = warm(&path).await;
    let etag = page.header("etag").expect("an ETag").to_string();
    assert_eq!(page.header("vary"), Some("Accept-Encoding"));
    assert!(page.header("cache-control").is_some_and(|c| c.contains("s-maxage")), "{:?}", page.header("cache-control"));
    assert!(page.header("surrogate-key").is_some_and(|k| k.split(' ').any(|t| t == format!("a:{}", latest[3].id))));

    let not_modified = fetch(&path, &[("If-None-Match", etag.as_str())]).await;
    assert_eq!(not_modified.status, 304, "{}", not_modified.describe());
    assert!(not_modified.bytes.is_empty());
    assert_eq!(fetch(&path, &[("If-None-Match", "\"something-else\"")]).await.status, 200);

    let gzip = fetch(&path, &[("Accept-Encoding", "gzip")]).await;
    assert_eq!(gzip.header("content-encoding"), Some("gzip"));
    let mut unzipped = Vec::new();
    flate2::read::GzDecoder::new(&gzip.bytes[..]).read_to_end(&mut unzipped).expect("gunzip");
    let br = fetch(&path, &[("Accept-Encoding", "gzip, deflate, br")]).await;
    assert_eq!(br.header("content-encoding"), Some("br"));
    let mut unbrotli = Vec::new();
    brotli::BrotliDecompress(&mut &br.bytes[..], &mut unbrotli).expect("brotli");
    assert_eq!(unzipped, page.bytes, "gzip decodes to the page");
    assert_eq!(unbrotli, page.bytes, "brotli decodes to the page");
    assert!(br.bytes.len() < gzip.bytes.len() && gzip.bytes.len() < page.bytes.len() / 3, "compression pays");
    assert_ne!(br.header("etag"), gzip.header("etag"), "each encoding has its own strong ETag");
    let br_again =
        fetch(&path, &[("Accept-Encoding", "br"), ("If-None-Match", br.header("etag").expect("etag"))]).await;
    assert_eq!(br_again.status, 304);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_storm_on_a_cold_page_renders_it_once() {
    let _turn = TURN.lock().await;
    let store = &server().store;
    let latest = store.latest(&courant_store::ArticleFilter::All, 6, 0).await.expect("latest");
    let path = latest[5].path().expect("published");
    // Its related stories found (they outlive the story's changes for a while), so that the
    // render after the change is complete, not provisional.
    warm(&path).await;
    // Cold: a change to the story drops its page first.
    store.add_correction(latest[5].id, "Cache storm correction.", OffsetDateTime::now_utc()).await.expect("correct");
    let requests = (0..40).map(|_| {
        let path = path.clone();
        tokio::spawn(async move { fetch(&path, &[]).await })
    });
    let mut misses = 0;
    let mut bodies = std::collections::HashSet::new();
    for r in requests {
        let r = r.await.expect("request");
        assert_eq!(r.status, 200, "{}", r.describe());
        assert!(r.body.contains("Cache storm correction."), "no request got the page from before the change");
        misses += usize::from(r.header("x-cache") == Some("miss"));
        bodies.insert(r.body);
    }
    assert_eq!(misses, 1, "forty requests, one render");
    assert_eq!(bodies.len(), 1, "every request got the same page");
}

/// A story that leaves a listing shifts every later page of it, also pages that did not show it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn leaving_a_listing_shifts_its_later_pages() {
    let _turn = TURN.lock().await;
    let store = &server().store;
    let by = editor(store).await;
    let stamp = OffsetDateTime::now_utc().unix_timestamp_nanos();
    let section = store
        .insert_section(NewSection { name: format!("Paged {stamp}"), ..NewSection::default() })
        .await
        .expect("section");
    let template = store.latest(&courant_store::ArticleFilter::All, 1, 0).await.expect("latest");
    let template = store.article(template[0].id).await.expect("load").expect("exists");
    let mut newest = None;
    // 21 stories: 20 on page 1, one on page 2.
    for i in 0..21 {
        let draft = ArticleDraft {
            headline: format!("Paged story {i} {stamp}"),
            slug: String::new(),
            section_id: Some(section.id),
            related_ids: vec![],
            ..ArticleDraft::of(&template, vec![])
        };
        let id = store.create_article(&draft, by, OffsetDateTime::now_utc()).await.expect("create");
        store.move_article(id, Status::Published, Some(by), OffsetDateTime::now_utc(), None).await.expect("publish");
        newest = Some(id);
    }
    let page2 = format!("/{}?page=2", section.slug);
    warm(&page2).await;
    let other = store.sections().await.expect("sections").into_iter().find(|s| s.id != section.id).expect("another");
    edit(store, by, newest.expect("stories"), |d| d.section_id = Some(other.id)).await;
    let after = fetch(&page2, &[]).await;
    assert_eq!(after.status, 404, "20 stories left: page 2 is gone, not served from before: {}", after.describe());
}

/// A CDN's purge endpoint on loopback: answers a request 500 the first time its body comes (so
/// the purger retries) and 200 when it comes again, handing each request to the test.
async fn purge_receiver() -> (String, tokio::sync::mpsc::UnboundedReceiver<String>) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind a loopback port");
    let url = format!("http://{}/service/test/purge", listener.local_addr().expect("address"));
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    tokio::spawn(async move {
        let mut bodies = std::collections::HashSet::new();
        while let Ok((mut socket, _)) = listener.accept().await {
            let mut request = Vec::new();
            let mut buf = [0u8; 8192];
            // Head, then as much body as Content-Length says.
            loop {
                let n = socket.read(&mut buf).await.unwrap_or(0);
                if n == 0 {
                    break;
                }
                request.extend_from_slice(&buf[..n]);
                let text = String::from_utf8_lossy(&request).to_string();
                if let Some(end) = text.find("\r\n\r\n") {
                    let length = text[..end]
                        .lines()
                        .find_map(|l| {
                            l.to_ascii_lowercase().strip_prefix("content-length:").map(|v| v.trim().to_string())
                        })
                        .and_then(|v| v.parse::<usize>().ok())
                        .unwrap_or(0);
                    if request.len() >= end + 4 + length {
                        break;
                    }
                }
            }
            let text = String::from_utf8_lossy(&request).to_string();
            let body = text.split_once("\r\n\r\n").map_or(String::new(), |(_, b)| b.to_string());
            let status = if bodies.insert(body) { "500 Internal Server Error" } else { "200 OK" };
            let reply = format!("HTTP/1.1 {status}\r\ncontent-length: 0\r\nconnection: close\r\n\r\n");
            let _ = socket.write_all(reply.as_bytes()).await;
            let _ = tx.send(String::from_utf8_lossy(&request).to_string());
        }
    });
    (url, rx)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_change_purges_the_cdn_by_surrogate_key() {
    let (purge_url, mut purges) = purge_receiver().await;
    let mut config = courant::Config::default();
    config.cdn = courant_web::cdn::CdnSettings {
        purge_url,
        token_header: "Fastly-Key".into(),
        token: "test-token-not-a-secret".into(),
    };
    let mut options = courant_demo::DemoOptions::new(8, OffsetDateTime::now_utc());
    options.picture_pool = 2;
    let server = spawn_server(config, options);
    let store = &server.store;
    let story = store.latest(&courant_store::ArticleFilter::All, 1, 0).await.expect("latest").remove(0);
    let path = story.path().expect("a published story has an address");
    let client = http_client();
    for round in ["miss", "hit"] {
        let r = client.get(format!("{}{path}", server.base)).send().await.expect("GET the story");
        let keys = r.headers().get("surrogate-key").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
        let keys: Vec<&str> = keys.split(' ').collect();
        assert!(keys.contains(&format!("a:{}", story.id.0).as_str()), "{round}: the page names its story: {keys:?}");
        assert!(keys.contains(&"site"), "{round}: and the site, for a purge of everything: {keys:?}");
    }

    let by = editor(store).await;
    // What earlier changes purged goes first; then the story's purge is alone.
    while tokio::time::timeout(std::time::Duration::from_millis(2500), purges.recv()).await.is_ok() {}
    edit(store, by, story.id, |d| d.headline = format!("{} (updated)", d.headline)).await;
    let key = format!("a:{}", story.id.0);
    let mut seen = Vec::new();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while seen.len() < 2 && std::time::Instant::now() < deadline {
        if let Ok(Some(request)) = tokio::time::timeout(std::time::Duration::from_secs(1), purges.recv()).await {
            seen.push(request);
        }
    }
    assert_eq!(seen.len(), 2, "the purge is sent, refused once (500) and sent again: {seen:#?}");
    assert_eq!(seen[0], seen[1], "the retry is the same purge");
    for request in &seen {
        let (head, body) = request.split_once("\r\n\r\n").expect("an HTTP request");
        let head_lower = head.to_ascii_lowercase();
        assert!(head.starts_with("POST /service/test/purge "), "{head}");
        let keys = head_lower
            .lines()
            .find_map(|l| l.strip_prefix("surrogate-key:"))
            .unwrap_or_else(|| panic!("no Surrogate-Key header: {head}"));
        assert!(keys.split_whitespace().any(|k| k == key), "the story's key is purged: {keys}");
        assert!(head_lower.contains("fastly-key: test-token-not-a-secret"), "the token goes in its header: {head}");
        let json: serde_json::Value = serde_json::from_str(body).expect("a JSON body");
        let listed = json["surrogate_keys"].as_array().expect("surrogate_keys");
        assert!(listed.iter().any(|k| k == key.as_str()), "the body lists the keys too: {body}");
    }
}

/// Issue #17: percent-encoding that changes nothing (`/%6eews` for `/news`) is sent with 301 to
/// the one spelling instead of rendering a page of its own, and the API keeps one answer however
/// its query is spelt: no client can make the server render a page again at will.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn other_spellings_of_an_address_share_its_page() {
    let _turn = TURN.lock().await;
    let section = server().store.sections().await.expect("sections").remove(0).slug;
    let canonical = format!("/{section}");
    warm(&canonical).await;
    for i in 0..section.len() {
        let spelt: String = section
            .char_indices()
            .map(|(j, c)| if j == i { format!("%{:02x}", c as u32) } else { c.to_string() })
            .collect();
        let r = fetch(&format!("/{spelt}?page=2"), &[]).await;
        assert_eq!(r.status, 301, "{}", r.describe());
        assert_eq!(r.header("location"), Some(format!("{canonical}?page=2").as_str()), "{}", r.describe());
    }
    let r = fetch("/search?q=%41", &[]).await;
    assert_ne!(r.status, 301, "a query is not a path: {}", r.describe());

    let api = format!("/api/v1/articles?limit=3&section={section}");
    warm(&api).await;
    let encoded_name: String = section.bytes().map(|b| format!("%{b:02X}")).collect();
    for spelling in [
        format!("/api/v1/articles?section={section}&limit=3"),
        format!("/api/v1/articles?%6cimit=003&section={encoded_name}"),
    ] {
        let r = fetch(&spelling, &[]).await;
        assert_eq!((r.status, r.header("x-cache")), (200, Some("hit")), "{spelling}: {}", r.describe());
    }
    for _ in 0..2 {
        let r = fetch("/api/v1/articles?limit=3&utm_source=x", &[]).await;
        assert_eq!(r.status, 400, "an unknown API parameter is refused, never kept: {}", r.describe());
    }
}

// Issue #18: an article page reads its related stories from the store, where they are found
// behind the site; its first render is complete (before, a cold page searched the index behind
// itself and went out provisional, to be rendered twice).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cold_article_page_shows_the_related_stories_found_behind_the_site() {
    let _turn = TURN.lock().await;
    let store = &server().store;
    // Among the newest stories, one the server found related stories for (a story may have
    // none related enough).
    let latest = store.latest(&courant_store::ArticleFilter::All, 12, 0).await.expect("latest");
    let mut found = None;
    'wait: for _ in 0..200 {
        for story in &latest[4..] {
            if let Some(ids) = store.found_related(story.id).await.expect("read").filter(|ids| !ids.is_empty()) {
                found = Some((story, ids));
                break 'wait;
            }
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let (story, found) = found.expect("the server finds related stories for one of the newest stories within 10 s");
    let article = store.article(story.id).await.expect("load").expect("exists");
    let first = found
        .iter()
        .find(|id| !article.related.iter().any(|r| r.id == **id))
        .expect("a story found beyond the pinned ones");
    let first = store.published_summaries(&[*first]).await.expect("summary").remove(0);
    let path = story.path().expect("published");
    let page = fetch(&path, &[]).await;
    assert_eq!((page.status, page.header("x-cache")), (200, Some("miss")), "{}", page.describe());
    assert!(
        page.header("cache-control").is_some_and(|c| !c.contains("s-maxage=0")),
        "the first render is complete, not provisional: {:?}",
        page.header("cache-control")
    );
    let html = scraper::Html::parse_document(&page.body);
    let links: Vec<String> = html
        .select(&scraper::Selector::parse("a[href]").expect("selector"))
        .filter_map(|a| a.value().attr("href").map(str::to_string))
        .collect();
    let related_path = first.path().expect("published");
    assert!(
        links.iter().any(|l| l.ends_with(&related_path)),
        "GET {path}: no link to the related story found behind the site, {related_path}"
    );
    let again = fetch(&path, &[]).await;
    assert_eq!((again.header("x-cache"), &again.body), (Some("hit"), &page.body), "kept as first rendered");
}

/// Pages the cache does not hold read the sections and the latest stories from lists kept in
/// memory between changes (issue 18): after a change, the next page rendered shows it, as one
/// read from the store would.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cold_pages_read_the_shared_lists_as_of_the_last_change() {
    let _turn = TURN.lock().await;
    let store = &server().store;
    let by = editor(store).await;
    let latest = store.latest(&courant_store::ArticleFilter::All, 12, 0).await.expect("latest");
    let newest = latest[0].id;
    let path = |i: usize| latest[i].path().expect("published");
    // A page rendered now fills the lists; the newest story is in its rail.
    let before = fetch(&path(9), &[]).await;
    assert_eq!(before.status, 200);
    assert!(before.body.contains(&latest[0].headline), "the rail lists the newest story: {}", path(9));

    edit(store, by, newest, |d| d.headline = "Shared lists: the newest story, renamed".into()).await;
    for i in [9, 10, 11] {
        let r = fetch(&path(i), &[]).await;
        assert!(
            r.body.contains("Shared lists: the newest story, renamed"),
            "{}: the rail shows the new headline",
            path(i)
        );
        assert!(!r.body.contains(&format!(">{}<", latest[0].headline)), "{}: and not the old one", path(i));
    }

    // A section renamed: the menu of a page rendered next says the new name.
    let sections = store.sections().await.expect("sections");
    let top = sections.iter().find(|s| s.parent_id.is_none()).expect("a top-level section").clone();
    let renamed = format!("{} Desk", top.name);
    store.update_section(top.id, &renamed, &top.description, top.parent_id, top.position).await.expect("rename");
    let r = fetch(&path(8), &[]).await;
    assert!(r.body.contains(&renamed), "{}: the menu names the section {renamed:?}", path(8));
    store.update_section(top.id, &top.name, &top.description, top.parent_id, top.position).await.expect("name it back");
}

//! Issue 19, the front page: the lead (pinned, else the newest), four featured stories (pinned
//! in order, then the newest), the latest, the most read and the section blocks, no story twice;
//! editors pin, order and unpin stories at `/newsroom/front` and the cached home page follows at
//! once; a pin's end time takes it off by itself; contributors and forms without the session's
//! token are refused.
//!
//! A server of its own (pins change its home page), shared by the tests here, which take turns
//! and each start with nothing pinned; the most read stories have a server of their own, whose
//! pages follow the views every second.

use crate::newsroom::{PASSWORD, Server, Session, form_fields, show, with, without};
use crate::support::*;
use courant_core::{ArticleId, ArticleSummary, Role};
use courant_store::{ArticleFilter, FrontSlot, Store};
use std::collections::HashSet;
use std::sync::OnceLock;
use std::time::{Duration, Instant};
use time::OffsetDateTime;

/// The tests here take turns: one's pins would change what the other's home page shows.
static TURN: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// The pin form of `/newsroom/front`.
const PIN_FORM: &str = "form[action=\"/newsroom/front/pins\"]";

fn server() -> &'static Spawned {
    static SERVER: OnceLock<Spawned> = OnceLock::new();
    SERVER.get_or_init(|| {
        let mut options = courant_demo::DemoOptions::new(60, OffsetDateTime::now_utc());
        options.picture_pool = 2;
        spawn_server(courant::Config::default(), options)
    })
}

/// The same server as the newsroom tests reach it (logins, forms).
fn newsroom() -> Server {
    let s = server();
    Server::own(Spawned { base: s.base.clone(), store: s.store.clone(), data: s.data.clone() })
}

/// Takes off whatever an earlier test left pinned.
async fn nothing_pinned(store: &Store) {
    for pin in store.front_pins().await.expect("pins") {
        store.unpin_front(pin.article_id, None, OffsetDateTime::now_utc()).await.expect("unpin");
    }
}

/// The newest `n` published stories.
async fn newest(store: &Store, n: i64) -> Vec<ArticleSummary> {
    let stories = store.latest(&ArticleFilter::All, n, 0).await.expect("the newest stories");
    assert_eq!(stories.len(), n as usize, "the demo has {n} published stories");
    stories
}

fn path_of(story: &ArticleSummary) -> String {
    story.path().expect("a published story has an address")
}

async fn fetch(base: &str, path: &str) -> Resp {
    let response =
        http_client().get(format!("{base}{path}")).send().await.unwrap_or_else(|e| panic!("GET {path}: {e}"));
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let bytes = response.bytes().await.expect("body").to_vec();
    Resp { path: path.to_string(), status, headers, body: String::from_utf8_lossy(&bytes).into_owned(), bytes }
}

/// The home page's parts, as the addresses of the stories they show.
#[derive(Debug)]
struct Home {
    lead: Vec<String>,
    featured: Vec<String>,
    latest: Vec<String>,
    most_read: Vec<String>,
    /// Every headline link of the page, in order.
    all: Vec<String>,
    /// `x-cache`: whether the page came from memory.
    cache: String,
    resp: Resp,
}

async fn home(base: &str) -> Home {
    let resp = fetch(base, "/").await;
    assert_eq!(resp.status, 200, "{}", resp.describe());
    let doc = resp.html();
    let hrefs = |css: &str| select_all(&doc, css).into_iter().map(|a| attr(a, "href")).collect::<Vec<_>>();
    let (lead, featured, latest, most_read, all) = (
        hrefs(".home-lead .teaser-headline a"),
        hrefs(".home-featured .teaser-headline a"),
        hrefs(".home-latest .teaser-headline a"),
        hrefs(".home-most-read li .teaser-headline a"),
        hrefs(".teaser-headline a"),
    );
    drop(doc);
    let cache = resp.header("x-cache").unwrap_or_default().to_string();
    Home { lead, featured, latest, most_read, all, cache, resp }
}

/// The home page once it is served from memory.
async fn cached_home(base: &str) -> Home {
    for _ in 0..50 {
        let h = home(base).await;
        if h.cache == "hit" {
            return h;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("GET /: never served from memory");
}

#[track_caller]
fn assert_each_story_once(h: &Home) {
    let mut seen = HashSet::new();
    let twice: Vec<&String> = h.all.iter().filter(|p| !seen.insert(p.as_str())).collect();
    assert!(twice.is_empty(), "GET /: stories shown twice: {twice:?}; every headline link: {:#?}", h.all);
}

/// Sends the pin form of `/newsroom/front` as a browser would, with `changes`.
async fn pin_through_the_form(nr: &Server, session: &Session, changes: &[(&str, &str)]) -> Resp {
    let page = nr.get(session, "/newsroom/front").await;
    assert_eq!(page.status, 200, "the front page's desk should open: {}", show(&page));
    let form = with(form_fields(&page.body, PIN_FORM), changes);
    nr.post_form(session, "/newsroom/front/pins", &form).await
}

#[track_caller]
fn assert_done(r: &Resp, done: &str) {
    assert_eq!(
        (r.status, r.header("location")),
        (303, Some(format!("/newsroom/front?done={done}").as_str())),
        "{}",
        show(r)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_front_page_shows_each_story_once_and_the_newest_leads_when_nothing_is_pinned() {
    let _turn = TURN.lock().await;
    let s = server();
    nothing_pinned(&s.store).await;
    let newest: Vec<String> = newest(&s.store, 13).await.iter().map(path_of).collect();
    let h = home(&s.base).await;
    assert_eq!(h.lead, newest[..1], "nothing pinned: the newest story leads");
    assert_eq!(h.featured, newest[1..5], "the next four newest are featured");
    assert_eq!(h.latest, newest[5..13], "the eight after them are the latest");
    assert!(h.most_read.is_empty(), "nobody has read anything here yet: {:?}", h.most_read);
    assert_each_story_once(&h);

    let doc = h.resp.html();
    assert_eq!(select_all(&doc, ".home-lead .teaser-lead").len(), 1, "one lead teaser");
    assert_eq!(select_all(&doc, ".home-featured .teaser-compact").len(), 4, "four featured teasers");
    assert!(first(&doc, ".home-most-read").is_none(), "no most read band without views");
    let blocks = select_all(&doc, "section.home-section");
    assert!(!blocks.is_empty(), "GET /: no section blocks");
    let mut in_blocks = 0;
    for b in &blocks {
        let cards = select_in(*b, ".home-section-cards .teaser-headline a").len();
        assert!(cards <= 3, "a block shows three stories as cards: {}", describe(*b));
        in_blocks += select_in(*b, ".teaser-headline a").len();
    }
    assert!(in_blocks > 0, "the section blocks show stories not shown above");
    assert_eq!(h.all.len(), 1 + 4 + 8 + in_blocks, "no headline outside the lead, featured, latest and blocks");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_editor_pins_orders_and_unpins_stories_and_the_cached_front_page_follows() {
    let _turn = TURN.lock().await;
    let s = server();
    let store = s.store.clone();
    nothing_pinned(&store).await;
    let nr = newsroom();
    let (editor, email) = nr.new_user(Role::Editor, "front-editor").await;
    let session = nr.login(&email, PASSWORD).await;
    let stories = newest(&store, 30).await;
    let path = |i: usize| path_of(&stories[i]);
    let (old, featured, third) = (&stories[25], &stories[22], &stories[23]);

    // The home page as it is cached before any pin.
    let before = cached_home(&s.base).await;
    assert_eq!(before.lead, [path(0)]);

    // The old story is not among the newest the desk offers: it is found by its headline.
    let desk = nr.get(&session, "/newsroom/front").await;
    assert_eq!(desk.status, 200, "{}", show(&desk));
    let offered = |r: &Resp, id: ArticleId| first(&r.html(), &format!("input#pin-{id}[name=article]")).is_some();
    assert!(!offered(&desk, old.id), "story 26 is not among the 20 newest offered");
    let query = form_urlencoded::Serializer::new(String::new()).append_pair("q", &old.headline).finish();
    let found = nr.get(&session, &format!("/newsroom/front?{query}")).await;
    assert_eq!(found.status, 200, "{}", show(&found));
    assert!(offered(&found, old.id), "the search by headline offers it: {}", show(&found));
    let form = form_fields(&found.body, PIN_FORM);
    assert!(form.contains(&("slot".to_string(), "lead".to_string())), "Lead is chosen at first: {form:?}");
    let old_id = old.id.to_string();
    let r = nr.post_form(&session, "/newsroom/front/pins", &with(form, &[("article", old_id.as_str())])).await;
    assert_done(&r, "pinned");

    let featured_id = featured.id.to_string();
    let r = pin_through_the_form(&nr, &session, &[("article", featured_id.as_str()), ("slot", "featured")]).await;
    assert_done(&r, "pinned");
    let pins = store.front_pins().await.expect("pins");
    assert_eq!(
        pins.iter().map(|p| (p.article_id, p.slot, p.pinned_by, p.expires_at)).collect::<Vec<_>>(),
        [(old.id, FrontSlot::Lead, Some(editor.id), None), (featured.id, FrontSlot::Featured, Some(editor.id), None)]
    );
    let done = nr.get(&session, "/newsroom/front?done=pinned").await;
    let rows: Vec<(String, String)> = {
        let doc = done.html();
        select_all(&doc, "table.pins-table tbody tr")
            .into_iter()
            .map(|tr| {
                let story = select_in(tr, "th a").first().map(|a| attr(*a, "href")).unwrap_or_default();
                (story, select_in(tr, "td").first().map(|td| text(*td)).unwrap_or_default())
            })
            .collect()
    };
    assert_eq!(rows, [(path(25), "Lead".to_string()), (path(22), "Featured".to_string())], "{}", show(&done));
    assert!(done.body.contains("Pinned: the front page shows it now."), "the notice: {}", show(&done));

    // The cached page was dropped: readers see the pins at once.
    let after = home(&s.base).await;
    assert_eq!(after.lead, [path(25)], "the pinned lead leads");
    assert_eq!(after.featured, [path(22), path(0), path(1), path(2)], "the pinned featured first, then the newest");
    assert_eq!(after.latest, (3..11).map(path).collect::<Vec<_>>(), "the latest after those shown above");
    for p in [path(25), path(22)] {
        assert_eq!(after.all.iter().filter(|h| **h == p).count(), 1, "{p} is on the page once: {:#?}", after.all);
    }
    assert_each_story_once(&after);

    // A third featured story, moved up before the second.
    let third_id = third.id.to_string();
    let r = pin_through_the_form(&nr, &session, &[("article", third_id.as_str()), ("slot", "featured")]).await;
    assert_done(&r, "pinned");
    let r = nr.post_form(&session, &format!("/newsroom/front/pins/{third_id}/up"), &[("csrf", &session.csrf)]).await;
    assert_done(&r, "moved");
    assert_eq!(home(&s.base).await.featured, [path(23), path(22), path(0), path(1)], "the new order");

    // Unpinned, the newest leads again.
    for id in [&old_id, &featured_id, &third_id] {
        let r = nr.post_form(&session, &format!("/newsroom/front/pins/{id}/unpin"), &[("csrf", &session.csrf)]).await;
        assert_done(&r, "unpinned");
    }
    let r = nr.post_form(&session, &format!("/newsroom/front/pins/{old_id}/unpin"), &[("csrf", &session.csrf)]).await;
    assert_eq!(r.status, 404, "a story no longer pinned: {}", show(&r));
    assert!(store.front_pins().await.expect("pins").is_empty());
    let unpinned = home(&s.base).await;
    assert_eq!(unpinned.lead, [path(0)], "the newest leads again");
    assert_eq!(unpinned.featured, (1..5).map(path).collect::<Vec<_>>());
    assert_each_story_once(&unpinned);

    // A pin with an end time comes off by itself at that time, and the cached page follows.
    let now = OffsetDateTime::now_utc();
    let ends = now + time::Duration::seconds(5);
    store.pin_front(old.id, FrontSlot::Lead, Some(ends), Some(editor.id), now).await.expect("pin until");
    assert_eq!(cached_home(&s.base).await.lead, [path(25)], "pinned until {ends}");
    let started = Instant::now();
    loop {
        let h = home(&s.base).await;
        if h.lead != [path(25)] {
            // The store keeps times to the second: the pin ends at the whole second before `ends`.
            let stored = ends.replace_nanosecond(0).expect("a whole second");
            assert!(
                OffsetDateTime::now_utc() >= stored,
                "the pin came off before its time ({stored}): the lead is {:?}",
                h.lead
            );
            assert_eq!(h.lead, [path(0)], "once the pin ends, the newest leads");
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(15),
            "the pin ended at {ends}, yet at {} the home page still leads with it",
            OffsetDateTime::now_utc()
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert!(store.front_pins().await.expect("pins").is_empty(), "the server took the ended pin off");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn contributors_cannot_pin_and_every_pin_needs_the_session_token() {
    let _turn = TURN.lock().await;
    let s = server();
    let store = s.store.clone();
    nothing_pinned(&store).await;
    let nr = newsroom();
    let (_, contributor_email) = nr.new_user(Role::Contributor, "front-contributor").await;
    let contributor = nr.login(&contributor_email, PASSWORD).await;
    let (_, editor_email) = nr.new_user(Role::Editor, "front-csrf").await;
    let editor = nr.login(&editor_email, PASSWORD).await;
    let story = newest(&store, 1).await.remove(0);
    let id = story.id.to_string();
    let head = nr.audit_head().await;

    let r = nr.get(&contributor, "/newsroom/front").await;
    assert_eq!(r.status, 403, "a contributor opens the front page's desk; {}", show(&r));
    let r = nr
        .post_form(
            &contributor,
            "/newsroom/front/pins",
            &[("csrf", contributor.csrf.as_str()), ("article", id.as_str()), ("slot", "lead")],
        )
        .await;
    assert_eq!(r.status, 403, "a contributor pins, with their session's token; {}", show(&r));

    let desk = nr.get(&editor, "/newsroom/front").await;
    assert_eq!(desk.status, 200, "{}", show(&desk));
    let form = with(form_fields(&desk.body, PIN_FORM), &[("article", id.as_str())]);
    assert!(form.contains(&("csrf".to_string(), editor.csrf.clone())), "the form carries the token: {form:?}");
    let made_up = "f".repeat(64);
    for (how, attempt) in [
        ("without a token", without(form.clone(), "csrf")),
        ("with a made-up token", with(form.clone(), &[("csrf", made_up.as_str())])),
        ("with another session's token", with(form.clone(), &[("csrf", contributor.csrf.as_str())])),
    ] {
        let r = nr.post_form(&editor, "/newsroom/front/pins", &attempt).await;
        assert_eq!(r.status, 403, "an editor pins {how}; {}", show(&r));
    }
    assert!(store.front_pins().await.expect("pins").is_empty(), "refused pins pin nothing");
    let logged: Vec<_> = nr.audit_since(head).await.into_iter().filter(|e| e.action == "front_page_changed").collect();
    assert!(logged.is_empty(), "refused pins log nothing: {logged:#?}");

    // A pin cannot be taken off by a contributor, nor without the token.
    store.pin_front(story.id, FrontSlot::Lead, None, None, OffsetDateTime::now_utc()).await.expect("pin");
    let unpin = format!("/newsroom/front/pins/{id}/unpin");
    let r = nr.post_form(&contributor, &unpin, &[("csrf", contributor.csrf.as_str())]).await;
    assert_eq!(r.status, 403, "a contributor unpins; {}", show(&r));
    let r = nr.post_form(&editor, &unpin, &[("csrf", made_up.as_str())]).await;
    assert_eq!(r.status, 403, "an editor unpins with a made-up token; {}", show(&r));
    assert_eq!(store.front_pins().await.expect("pins").len(), 1, "still pinned");
    let r = nr.post_form(&editor, &unpin, &[("csrf", editor.csrf.as_str())]).await;
    assert_done(&r, "unpinned");
    assert!(store.front_pins().await.expect("pins").is_empty());
}

// ---- Most read ----------------------------------------------------------------------------

/// A server of its own whose pages follow the views every second (30 s by default).
fn reading_server() -> &'static Spawned {
    static SERVER: OnceLock<Spawned> = OnceLock::new();
    SERVER.get_or_init(|| {
        let mut options = courant_demo::DemoOptions::new(40, OffsetDateTime::now_utc());
        options.picture_pool = 2;
        let mut config = courant::Config::default();
        config.cache.trending_seconds = 1;
        spawn_server(config, options)
    })
}

const BROWSER: &str = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";

/// A view of `id` as the page's script sends it.
async fn beacon(base: &str, id: ArticleId, user_agent: &str) -> u16 {
    http_client()
        .post(format!("{base}/beacon"))
        .header("User-Agent", user_agent)
        .header("Content-Type", "application/x-courant-view")
        .body(id.0.to_string())
        .send()
        .await
        .expect("beacon")
        .status()
        .as_u16()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_most_read_stories_are_those_not_shown_above() {
    let s = reading_server();
    let stories = newest(&s.store, 25).await;
    let path = |i: usize| path_of(&stories[i]);
    // Readers of the lead and of a featured story (shown above the band already), and of three
    // older stories, each with fewer readers than the one before.
    for (i, readers) in [(0, 3), (1, 2), (20, 3), (21, 2), (22, 1)] {
        for n in 0..readers {
            let ua = format!("{BROWSER} front-reader/{n}");
            assert_eq!(beacon(&s.base, stories[i].id, &ua).await, 204, "a view of story {i}");
        }
    }
    let started = Instant::now();
    let h = loop {
        let h = home(&s.base).await;
        if !h.most_read.is_empty() {
            break h;
        }
        assert!(started.elapsed() < Duration::from_secs(10), "no most read story on the home page after 10 s");
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    assert_eq!(
        h.most_read,
        [path(20), path(21), path(22)],
        "the most read first, without the stories shown above: {:#?}",
        h.all
    );
    assert_eq!(h.lead, [path(0)], "the most read lead stays the lead");
    assert_eq!(h.featured, (1..5).map(path).collect::<Vec<_>>());
    assert_each_story_once(&h);
}

//! The application under test: the real `courant` server over a temporary data folder holding a
//! small demo publication and a hand-made fixture of known content, reached over HTTP on a
//! loopback port.
//!
//! One server serves every test of a binary ([`app`]): it runs on its own thread with its own
//! Tokio runtime, because each `#[tokio::test]` has a runtime of its own that ends with the test.
//! For the same reason tests build an HTTP client per request and run store queries on the
//! server's runtime ([`TestApp::with_store`]).
//!
//! This file is also compiled into the browser tests (`#[path = "../it/support.rs"] mod support;`),
//! so it refers to no other test module.

#![allow(dead_code)]

use courant_core::{
    Article, ArticleId, ArticleSummary, Author, AuthorId, Image, ImageId, NewArticle, NewAuthor, NewImage, NewSection,
    NewSource, Section, SectionId, Source, SourceId, Status, Tag, TagId, article_path,
};
use courant_store::{ArticleFilter, Store};
use scraper::{ElementRef, Html, Selector};
use std::future::Future;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::OnceLock;
use std::time::{Duration, Instant};
use time::OffsetDateTime;
use time::macros::datetime;

/// Stories in the demo part of the publication.
pub const DEMO_ARTICLES: usize = 40;
/// The demo's "now": every demo story is published before it. Fixed, so runs are reproducible.
pub const DEMO_NOW: OffsetDateTime = datetime!(2026-11-20 06:00 UTC);

pub const MAIN_HEADLINE: &str = "Harbour cranes return to the old port";
pub const MAIN_STANDFIRST: &str =
    "Three cranes are back on the quay after a decade away, and the first ships are booked for January.";
pub const MAIN_PUBLISHED: OffsetDateTime = datetime!(2026-11-20 09:00 UTC);
pub const MAIN_PUBLISHED_ISO: &str = "2026-11-20T09:00:00Z";
/// Three hours after publication (the correction's time).
pub const MAIN_UPDATED: OffsetDateTime = datetime!(2026-11-20 12:00 UTC);
pub const MAIN_UPDATED_ISO: &str = "2026-11-20T12:00:00Z";
pub const HERO_ALT: &str = "Three yellow cranes on a quay under a pale sky";
pub const HERO_CAPTION: &str = "Cranes at dawn over the old port";
pub const HERO_CREDIT: &str = "Photo: Test Agency";
pub const SUBHEADINGS: [&str; 2] = ["Why the cranes left", "What happens next"];
pub const LIST_ITEMS: [&str; 3] = [
    "Two cranes come from the deep-water terminal.",
    "One crane was rebuilt in the city yard.",
    "A fourth will follow in the spring.",
];
pub const QUOTE_TEXT: &str = "The cranes are the heartbeat of this port, and today it beats again.";
pub const QUOTE_ATTRIBUTION: &str = "Ines Duarte, harbour master";
pub const CORRECTION: &str =
    "An earlier version of this article named the wrong quay. The cranes stand on the North Quay.";
/// Paragraphs in the main article's body.
pub const MAIN_PARAGRAPHS: usize = 9;

pub const AUTHOR_NAME: &str = "Marta Quill";
pub const AUTHOR_TITLE: &str = "Harbour correspondent";
pub const AUTHOR_BIO: &str = "Marta Quill has covered the port and its people since 2015.";

/// Stories in the "Fixture Archive" section: more than one listing page (20 a page).
pub const ARCHIVE_STORIES: usize = 25;

/// The main article's body: nine paragraphs, two subheadings, a list and an attributed quote;
/// the second paragraph is followed by a third, so the first "Also read" box fits after it.
pub fn main_body() -> String {
    format!(
        "The first cranes in a decade rolled back onto the quay of the old port on Thursday morning.\n\n\
         Port officials said the cranes would start work next week, once inspectors approve the new rails.\n\n\
         The return follows three years of talks between the city, the port authority and the shipping lines.\n\n\
         ## {h1}\n\n\
         The cranes were taken away when the container trade moved to the deep-water terminal down the coast.\n\n\
         - {l1}\n- {l2}\n- {l3}\n\n\
         Residents gathered on the harbour wall to watch the first crane being lifted into place.\n\n\
         > {quote}\n>\n> — {attribution}\n\n\
         Not everyone welcomed the move: some neighbours fear noise at night.\n\n\
         ## {h2}\n\n\
         The port authority will publish a timetable for night work before the end of the month.\n\n\
         Shipping lines have already booked the first berths for January.\n\n\
         The city council will review the arrangement after a year.",
        h1 = SUBHEADINGS[0],
        h2 = SUBHEADINGS[1],
        l1 = LIST_ITEMS[0],
        l2 = LIST_ITEMS[1],
        l3 = LIST_ITEMS[2],
        quote = QUOTE_TEXT,
        attribution = QUOTE_ATTRIBUTION,
    )
}

/// A body that tries every trick a hostile writer or a compromised import could.
pub const HOSTILE_BODY: &str = "An ordinary first paragraph.\n\n\
<script>alert(1)</script>\n\n\
Look <img src=x onerror=alert(1)> here and [click](javascript:alert(1)) now.\n\n\
<iframe src=\"https://evil.example/\"></iframe>\n\n\
<a href=\"https://example.org/\" onclick=\"alert(1)\">a link with a handler</a>\n\n\
A closing paragraph.";

/// Content inserted by the tests themselves, so that assertions can name exact values.
#[derive(Debug, Clone)]
pub struct Fixture {
    /// "Fixture News", top level.
    pub news: Section,
    /// "Fixture World", child of `news`.
    pub world: Section,
    /// "Fixture Archive", top level, holding [`ARCHIVE_STORIES`] stories.
    pub archive: Section,
    /// The fixture's own author (with a photo and a known title).
    pub author: Author,
    /// The demo author who co-signs the main article.
    pub co_author: Author,
    /// Sources A and B, in the main article's order.
    pub sources: Vec<Source>,
    /// Tags A and B, in the main article's order.
    pub tags: Vec<Tag>,
    /// The three related stories, in the editor's order.
    pub related: Vec<Article>,
    pub related_paths: Vec<String>,
    /// The main article as stored (after its correction).
    pub main: Article,
    pub main_path: String,
    pub hostile_path: String,
    pub unpublished_path: String,
    pub draft_slug: String,
    /// Where the draft would live if it were published today.
    pub draft_guess_path: String,
    pub renamed_old_slug: String,
    pub renamed_old_path: String,
    pub renamed_new_path: String,
    /// Archive stories, newest first.
    pub archive_paths: Vec<String>,
    /// Published stories filed in `news` or `world`.
    pub news_paths: Vec<String>,
    /// Published stories by `author`.
    pub author_paths: Vec<String>,
    /// Published stories per tag, same order as `tags`.
    pub tag_paths: Vec<Vec<String>>,
    /// Published stories per source, same order as `sources`.
    pub source_paths: Vec<Vec<String>>,
}

/// A running server over its own data folder.
pub struct TestApp {
    /// `http://127.0.0.1:PORT`
    pub base: String,
    pub addr: SocketAddr,
    pub store: Store,
    pub fixture: Fixture,
    /// The configuration the server runs with (defaults): labels, ad slot, site settings.
    pub config: courant::Config,
    pub data_dir: PathBuf,
    runtime: tokio::runtime::Handle,
    _dir: tempfile::TempDir,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
}

/// One answer of the server.
#[derive(Debug)]
pub struct Resp {
    pub path: String,
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    /// The body as text (lossy for binary bodies).
    pub body: String,
    pub bytes: Vec<u8>,
}

impl Resp {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    pub fn content_type(&self) -> &str {
        self.header("content-type").unwrap_or("<none>")
    }

    /// The start of the body, for failure messages.
    pub fn excerpt(&self) -> String {
        excerpt(&self.body)
    }

    /// "GET /path -> 404 (text/html; charset=utf-8): <body excerpt>"
    pub fn describe(&self) -> String {
        format!("GET {} -> {} ({}): {}", self.path, self.status, self.content_type(), self.excerpt())
    }

    pub fn html(&self) -> Html {
        Html::parse_document(&self.body)
    }

    /// Asserts the status, naming the path and showing the body when it differs.
    pub fn expect_status(&self, status: u16) -> &Self {
        assert_eq!(
            self.status,
            status,
            "GET {}: expected status {status}, got {}; {}",
            self.path,
            self.status,
            self.describe()
        );
        self
    }
}

/// The shared server of this test binary, started on first use.
pub fn app() -> &'static TestApp {
    static APP: OnceLock<TestApp> = OnceLock::new();
    APP.get_or_init(|| {
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::Builder::new()
            .name("courant-test-server".into())
            .spawn(move || {
                let runtime = tokio::runtime::Builder::new_multi_thread()
                    .worker_threads(2)
                    .enable_all()
                    .build()
                    .expect("build the test server's Tokio runtime");
                let app = runtime.block_on(TestApp::start());
                if tx.send(app).is_err() {
                    return;
                }
                // The server's tasks run on this runtime: keep it alive as long as the process.
                runtime.block_on(std::future::pending::<()>());
            })
            .expect("spawn the test server's thread");
        rx.recv().expect("the test server failed to start (see the panic message printed above)")
    })
}

/// A server of its own over a new demo publication, for tests that change what it serves or
/// need another configuration. It runs on a thread of its own until the test binary ends.
pub struct Spawned {
    pub base: String,
    pub store: Store,
}

pub fn spawn_server(config: courant::Config, options: courant_demo::DemoOptions) -> Spawned {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let runtime =
            tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("runtime");
        runtime.block_on(async move {
            let dir = tempfile::tempdir().expect("tempdir");
            let state = courant::open(dir.path(), &config).await.expect("open");
            courant_demo::generate(&state.store, &courant::media_dir(dir.path()), &options, &|_, _, _| {})
                .await
                .expect("demo");
            let store = state.store.clone();
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
            let base = format!("http://{}", listener.local_addr().expect("addr"));
            tokio::spawn(courant::serve_with(listener, state, config.clone(), std::future::pending()));
            tx.send(Spawned { base, store }).expect("send");
            let _keep = dir;
            std::future::pending::<()>().await;
        });
    });
    rx.recv_timeout(Duration::from_secs(120)).expect("the test server did not start within 120 s")
}

/// Inserts a draft into `store`, filed in its first section under its first author.
pub async fn insert_draft(store: &Store, headline: &str, standfirst: &str, body: &str) -> courant_core::ArticleId {
    let section = store.sections().await.expect("sections")[0].id;
    let author = store.authors().await.expect("authors")[0].id;
    let now = time::OffsetDateTime::now_utc();
    let new = courant_core::NewArticle {
        slug: None,
        headline: headline.into(),
        standfirst: standfirst.into(),
        body: body.into(),
        hero_image_id: None,
        section_id: section,
        author_ids: vec![author],
        tag_ids: vec![],
        source_ids: vec![],
        related_ids: vec![],
        status: courant_core::Status::Draft,
        created_at: now,
        published_at: None,
        updated_at: now,
    };
    store.insert_article(&new).await.expect("insert a draft")
}

/// An HTTP client that reports redirects instead of following them.
pub fn http_client() -> reqwest::Client {
    courant_web::webhooks::ensure_tls();
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(30))
        .build()
        .expect("build an HTTP client")
}

impl TestApp {
    /// Creates a data folder with the demo and the fixture, and serves it on a free loopback
    /// port from the current runtime. Answers once `GET /healthz` does.
    pub async fn start() -> TestApp {
        let dir = tempfile::tempdir().expect("create a temporary data folder");
        let data_dir = dir.path().to_path_buf();
        let config = courant::Config::default();
        let state = courant::open(&data_dir, &config)
            .await
            .unwrap_or_else(|e| panic!("courant::open({}) failed: {e:#}", data_dir.display()));
        let store = state.store.clone();

        let mut options = courant_demo::DemoOptions::new(DEMO_ARTICLES, DEMO_NOW);
        options.picture_pool = 6;
        let progress = |_: courant_demo::Stage, _: usize, _: usize| {};
        courant_demo::generate(&store, &courant::media_dir(&data_dir), &options, &progress)
            .await
            .unwrap_or_else(|e| panic!("generating the demo publication in {} failed: {e}", data_dir.display()));
        let fixture = Fixture::build(&store).await;

        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind a loopback port");
        let addr = listener.local_addr().expect("the listener's address");
        let base = format!("http://{addr}");
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        tokio::spawn(async move {
            let shutdown = async move {
                let _ = rx.await;
            };
            if let Err(e) = courant::serve(listener, state, shutdown).await {
                eprintln!("the test server stopped with an error: {e:#}");
            }
        });

        let client = http_client();
        let started = Instant::now();
        loop {
            let last = match client.get(format!("{base}/healthz")).send().await {
                Ok(r) if r.status().as_u16() == 200 => break,
                Ok(r) => format!("status {}", r.status()),
                Err(e) => format!("error: {e}"),
            };
            if started.elapsed() > Duration::from_secs(5) {
                panic!(
                    "the test server at {base} did not answer GET /healthz with 200 within 5 s (last answer: {last})"
                );
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }

        TestApp {
            base,
            addr,
            store,
            fixture,
            config,
            data_dir,
            runtime: tokio::runtime::Handle::current(),
            _dir: dir,
            shutdown: Some(tx),
        }
    }

    /// A new HTTP client (clients must not outlive the runtime of the test that uses them).
    pub fn client(&self) -> reqwest::Client {
        http_client()
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// `GET path`, whatever the status; redirects are not followed.
    pub async fn get(&self, path: &str) -> Resp {
        let response = self
            .client()
            .get(self.url(path))
            .send()
            .await
            .unwrap_or_else(|e| panic!("GET {path} failed before any answer: {e}"));
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let bytes =
            response.bytes().await.unwrap_or_else(|e| panic!("GET {path}: reading the body failed: {e}")).to_vec();
        Resp { path: path.to_string(), status, headers, body: String::from_utf8_lossy(&bytes).into_owned(), bytes }
    }

    /// `GET path`, asserting 200, parsed as an HTML document.
    pub async fn html(&self, path: &str) -> Html {
        let r = self.get(path).await;
        assert_eq!(r.status, 200, "GET {path}: expected 200, got {}; body starts: {}", r.status, r.excerpt());
        r.html()
    }

    /// Sends `GET {path}` byte for byte (no URL normalisation, unlike an HTTP client, which
    /// resolves `..`); returns the status and the whole raw answer.
    pub async fn raw_get(&self, path: &str) -> (u16, String) {
        let addr = self.addr;
        let path = path.to_string();
        tokio::task::spawn_blocking(move || {
            use std::io::{Read, Write};
            let mut stream = std::net::TcpStream::connect(addr)
                .unwrap_or_else(|e| panic!("raw GET {path}: cannot connect to {addr}: {e}"));
            stream.set_read_timeout(Some(Duration::from_secs(10))).ok();
            let request = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
            stream
                .write_all(request.as_bytes())
                .unwrap_or_else(|e| panic!("raw GET {path}: cannot send the request: {e}"));
            let mut raw = Vec::new();
            stream.read_to_end(&mut raw).unwrap_or_else(|e| panic!("raw GET {path}: cannot read the answer: {e}"));
            let text = String::from_utf8_lossy(&raw).into_owned();
            let status = text
                .split_whitespace()
                .nth(1)
                .and_then(|s| s.parse::<u16>().ok())
                .unwrap_or_else(|| panic!("raw GET {path}: no HTTP status line in {:?}", excerpt(&text)));
            (status, text)
        })
        .await
        .expect("the raw request's thread panicked")
    }

    /// Runs `f(store)` on the server's runtime (where the store's connection pools live).
    pub async fn with_store<F, Fut, T>(&self, f: F) -> T
    where
        F: FnOnce(Store) -> Fut,
        Fut: Future<Output = T> + Send + 'static,
        T: Send + 'static,
    {
        self.runtime.spawn(f(self.store.clone())).await.expect("a store query on the server's runtime panicked")
    }

    /// Every published article, newest first.
    pub async fn published(&self) -> Vec<ArticleSummary> {
        self.with_store(|s| async move { s.published(&ArticleFilter::All, 1000, 0).await })
            .await
            .expect("list the published articles")
            .items
    }

    /// Every section, parents first.
    pub async fn sections(&self) -> Vec<Section> {
        self.with_store(|s| async move { s.sections().await }).await.expect("list the sections")
    }

    /// The top-level sections (those of the navigation).
    pub async fn top_sections(&self) -> Vec<Section> {
        self.sections().await.into_iter().filter(|s| s.parent_id.is_none()).collect()
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

impl Fixture {
    /// Inserts the fixture through the store's API, after the demo.
    async fn build(store: &Store) -> Fixture {
        let newest = store.published(&ArticleFilter::All, 1, 0).await.expect("list the demo's stories").items;
        let demo_hero: Image =
            newest.first().and_then(|a| a.hero.clone()).expect("the demo's newest story has a hero picture to borrow");
        let co_author = store
            .authors()
            .await
            .expect("list the demo's authors")
            .into_iter()
            .find(|a| a.photo.is_some())
            .expect("the demo has an author with a portrait");
        let portrait = co_author.photo.clone().expect("checked above");

        let news = section(store, "fixture-news", "Fixture News", None, 100).await;
        let world = section(store, "fixture-world", "Fixture World", Some(news.id), 0).await;
        let archive = section(store, "fixture-archive", "Fixture Archive", None, 101).await;

        let photo = store
            .insert_image(NewImage {
                file: portrait.file.clone(),
                width: portrait.width,
                height: portrait.height,
                alt: format!("Portrait of {AUTHOR_NAME}"),
                caption: String::new(),
                credit: HERO_CREDIT.into(),
                keywords: vec!["portrait".into()],
            })
            .await
            .expect("insert the fixture author's photo");
        let author = store
            .insert_author(NewAuthor {
                slug: Some("marta-quill".into()),
                name: AUTHOR_NAME.into(),
                title: AUTHOR_TITLE.into(),
                bio: AUTHOR_BIO.into(),
                photo_id: Some(photo.id),
            })
            .await
            .expect("insert the fixture author");

        let source_a = store
            .insert_source(NewSource {
                slug: Some("fixture-wire".into()),
                name: "Fixture Wire".into(),
                url: "https://wire.example.org".into(),
                kind: "agency".into(),
            })
            .await
            .expect("insert source A");
        let source_b = store
            .insert_source(NewSource {
                slug: Some("harbour-herald-fixture".into()),
                name: "Harbour Herald".into(),
                url: "https://herald.example.org/news".into(),
                kind: "newspaper".into(),
            })
            .await
            .expect("insert source B");
        // Names no demo topic uses, so that their listings hold the fixture's stories only.
        let tag_a = store.tag_named("Fixture cranes").await.expect("create tag A");
        let tag_b = store.tag_named("Fixture quays").await.expect("create tag B");

        // Three related stories, in the editor's order. The third is dated after the demo's
        // newest story and before the main article, so it heads the "Latest" box of the main page.
        let related_specs = [
            ("Dockworkers vote on a new shift pattern", world.id, datetime!(2026-11-18 10:00 UTC)),
            ("Old port museum extends its opening hours", news.id, datetime!(2026-11-19 10:00 UTC)),
            ("Ferry operator adds winter crossings", world.id, datetime!(2026-11-20 07:00 UTC)),
        ];
        let mut related = Vec::new();
        for (headline, section_id, at) in related_specs {
            let hero = hero_image(store, &demo_hero, &format!("Picture for {headline}")).await;
            let mut new = story(headline, section_id, vec![author.id], hero.id, Status::Published, Some(at));
            new.tag_ids = vec![tag_a.id];
            new.source_ids = vec![source_a.id];
            related.push(insert(store, &new).await);
        }
        let related_paths: Vec<String> = related.iter().map(path_of).collect();

        // The main article.
        let main_hero = store
            .insert_image(NewImage {
                file: demo_hero.file.clone(),
                width: demo_hero.width,
                height: demo_hero.height,
                alt: HERO_ALT.into(),
                caption: HERO_CAPTION.into(),
                credit: HERO_CREDIT.into(),
                keywords: vec!["port".into(), "cranes".into()],
            })
            .await
            .expect("insert the main article's hero image");
        let main_new = NewArticle {
            slug: None,
            headline: MAIN_HEADLINE.into(),
            standfirst: MAIN_STANDFIRST.into(),
            body: main_body(),
            hero_image_id: Some(main_hero.id),
            section_id: world.id,
            author_ids: vec![author.id, co_author.id],
            tag_ids: vec![tag_a.id, tag_b.id],
            source_ids: vec![source_a.id, source_b.id],
            related_ids: related.iter().map(|a| a.id).collect(),
            status: Status::Published,
            created_at: MAIN_PUBLISHED - time::Duration::hours(1),
            published_at: Some(MAIN_PUBLISHED),
            updated_at: MAIN_UPDATED,
        };
        let main_id = store.insert_article(&main_new).await.expect("insert the main article");
        store.add_correction(main_id, CORRECTION, MAIN_UPDATED).await.expect("add the correction");
        let main = load(store, main_id).await;
        let main_path = path_of(&main);

        // Hostile markup.
        let hostile_hero = hero_image(store, &demo_hero, "Picture for the hostile story").await;
        let mut hostile_new = story(
            "Hostile markup stays inert",
            world.id,
            vec![author.id],
            hostile_hero.id,
            Status::Published,
            Some(datetime!(2026-11-19 08:00 UTC)),
        );
        hostile_new.body = HOSTILE_BODY.into();
        hostile_new.tag_ids = vec![tag_b.id];
        let hostile = insert(store, &hostile_new).await;
        let hostile_path = path_of(&hostile);

        // Published, then withdrawn: its URL answers 410.
        let gone_hero = hero_image(store, &demo_hero, "Picture for the withdrawn story").await;
        let gone = insert(
            store,
            &story(
                "Lighthouse keeper story withdrawn",
                world.id,
                vec![author.id],
                gone_hero.id,
                Status::Published,
                Some(datetime!(2026-11-17 08:00 UTC)),
            ),
        )
        .await;
        store
            .set_status(gone.id, Status::Unpublished, datetime!(2026-11-18 08:00 UTC))
            .await
            .expect("unpublish the withdrawn story");
        let gone = load(store, gone.id).await;
        assert_eq!(gone.status, Status::Unpublished, "fixture: the withdrawn story should be unpublished");
        let unpublished_path = gone.path().expect("an unpublished story keeps its first publication date");

        // A draft: never public.
        let draft_hero = hero_image(store, &demo_hero, "Picture for the draft").await;
        let draft = insert(
            store,
            &story("Unfinished draft about the quay", world.id, vec![author.id], draft_hero.id, Status::Draft, None),
        )
        .await;
        let draft_guess_path = article_path(&world.slug, MAIN_PUBLISHED, &draft.slug);

        // Published under one slug, then renamed: the old URL redirects.
        let renamed_hero = hero_image(store, &demo_hero, "Picture for the renamed story").await;
        let mut renamed_new = story(
            "Ferry timetable changes for winter",
            world.id,
            vec![author.id],
            renamed_hero.id,
            Status::Published,
            Some(datetime!(2026-11-16 08:00 UTC)),
        );
        renamed_new.slug = Some("ferry-timetable-changes".into());
        let renamed = insert(store, &renamed_new).await;
        let renamed_old_slug = renamed.slug.clone();
        let renamed_old_path = path_of(&renamed);
        store.rename_slug(renamed.id, "ferry-timetable-winter-changes").await.expect("rename the story's slug");
        let renamed = load(store, renamed.id).await;
        let renamed_new_path = path_of(&renamed);
        assert_ne!(renamed_old_path, renamed_new_path, "fixture: renaming must change the path");

        // The archive: more than one page of stories, by the demo author only.
        let archive_hero = hero_image(store, &demo_hero, "Picture for the archive").await;
        let archive_new: Vec<NewArticle> = (1..=ARCHIVE_STORIES)
            .map(|i| {
                story(
                    &format!("Archive story number {i}"),
                    archive.id,
                    vec![co_author.id],
                    archive_hero.id,
                    Status::Published,
                    Some(datetime!(2026-10-01 08:00 UTC) + time::Duration::hours(i as i64)),
                )
            })
            .collect();
        let archive_ids = store.insert_articles(&archive_new).await.expect("insert the archive stories");
        let mut archive_paths = Vec::new();
        for id in archive_ids.into_iter().rev() {
            archive_paths.push(path_of(&load(store, id).await));
        }

        // Newest first, as listings show them.
        let news_paths = vec![
            main_path.clone(),
            related_paths[2].clone(),
            related_paths[1].clone(),
            hostile_path.clone(),
            related_paths[0].clone(),
            renamed_new_path.clone(),
        ];
        let author_paths = news_paths.clone();
        // Newest first, as listings show them.
        let mut tag_a_paths = vec![main_path.clone()];
        tag_a_paths.extend(related_paths.iter().rev().cloned());
        let tag_paths = vec![tag_a_paths.clone(), vec![main_path.clone(), hostile_path.clone()]];
        let source_paths = vec![tag_a_paths, vec![main_path.clone()]];

        Fixture {
            news,
            world,
            archive,
            author,
            co_author,
            sources: vec![source_a, source_b],
            tags: vec![tag_a, tag_b],
            related,
            related_paths,
            main,
            main_path,
            hostile_path,
            unpublished_path,
            draft_slug: draft.slug.clone(),
            draft_guess_path,
            renamed_old_slug,
            renamed_old_path,
            renamed_new_path,
            archive_paths,
            news_paths,
            author_paths,
            tag_paths,
            source_paths,
        }
    }
}

async fn section(store: &Store, slug: &str, name: &str, parent_id: Option<SectionId>, position: i64) -> Section {
    store
        .insert_section(NewSection {
            slug: Some(slug.into()),
            name: name.into(),
            description: format!("Stories of the {name} test section."),
            parent_id,
            position,
        })
        .await
        .unwrap_or_else(|e| panic!("insert section {name}: {e}"))
}

/// A new image record for the demo picture `like`, with its own caption and credit.
async fn hero_image(store: &Store, like: &Image, caption: &str) -> Image {
    store
        .insert_image(NewImage {
            file: like.file.clone(),
            width: like.width,
            height: like.height,
            alt: format!("Illustration: {caption}"),
            caption: caption.into(),
            credit: HERO_CREDIT.into(),
            keywords: Vec::new(),
        })
        .await
        .unwrap_or_else(|e| panic!("insert image {caption:?}: {e}"))
}

/// A simple story: three paragraphs.
fn story(
    headline: &str,
    section_id: SectionId,
    author_ids: Vec<AuthorId>,
    hero: ImageId,
    status: Status,
    published_at: Option<OffsetDateTime>,
) -> NewArticle {
    let at = published_at.unwrap_or(DEMO_NOW);
    NewArticle {
        slug: None,
        headline: headline.into(),
        standfirst: format!("What to know about this: {headline}."),
        body: format!("{headline}: the first paragraph.\n\nThe second paragraph.\n\nThe third paragraph."),
        hero_image_id: Some(hero),
        section_id,
        author_ids,
        tag_ids: Vec::<TagId>::new(),
        source_ids: Vec::<SourceId>::new(),
        related_ids: Vec::<ArticleId>::new(),
        status,
        created_at: at - time::Duration::hours(2),
        published_at,
        updated_at: at,
    }
}

async fn insert(store: &Store, new: &NewArticle) -> Article {
    let id = store.insert_article(new).await.unwrap_or_else(|e| panic!("insert article {:?}: {e}", new.headline));
    load(store, id).await
}

async fn load(store: &Store, id: ArticleId) -> Article {
    store
        .article(id)
        .await
        .unwrap_or_else(|e| panic!("load article {id}: {e}"))
        .unwrap_or_else(|| panic!("article {id} was just inserted but cannot be found"))
}

fn path_of(a: &Article) -> String {
    a.path().unwrap_or_else(|| panic!("fixture article {:?} should be published and have a path", a.headline))
}

// ---- HTML helpers -------------------------------------------------------------------------

/// A CSS selector (panics on a typo, naming it).
pub fn sel(css: &str) -> Selector {
    Selector::parse(css).unwrap_or_else(|e| panic!("bad CSS selector {css:?}: {e:?}"))
}

/// Every element of `doc` matching `css`, in document order.
pub fn select_all<'a>(doc: &'a Html, css: &str) -> Vec<ElementRef<'a>> {
    let s = sel(css);
    doc.select(&s).collect()
}

/// The first element of `doc` matching `css`.
pub fn first<'a>(doc: &'a Html, css: &str) -> Option<ElementRef<'a>> {
    let s = sel(css);
    doc.select(&s).next()
}

/// Every element inside `el` matching `css`, in document order.
pub fn select_in<'a>(el: ElementRef<'a>, css: &str) -> Vec<ElementRef<'a>> {
    let s = sel(css);
    el.select(&s).collect()
}

/// The text of an element with runs of whitespace collapsed to one space, trimmed.
pub fn text(el: ElementRef<'_>) -> String {
    el.text().collect::<Vec<_>>().join("").split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The value of an attribute, or an empty string when absent.
pub fn attr(el: ElementRef<'_>, name: &str) -> String {
    el.value().attr(name).unwrap_or_default().to_string()
}

/// The `href` of every link inside `el`.
pub fn hrefs_in(el: ElementRef<'_>) -> Vec<String> {
    select_in(el, "a[href]").into_iter().map(|a| attr(a, "href")).collect()
}

/// The index of `el` among all elements of `doc`, in document order.
pub fn position(doc: &Html, el: ElementRef<'_>) -> usize {
    doc.root_element()
        .descendent_elements()
        .position(|e| e == el)
        .expect("an element selected from a document is part of it")
}

/// A short description of an element for failure messages: its tag and the start of its HTML.
pub fn describe(el: ElementRef<'_>) -> String {
    format!("<{}> {}", el.value().name(), excerpt(&el.html()))
}

/// The first 600 characters of `s`, for failure messages.
pub fn excerpt(s: &str) -> String {
    const MAX: usize = 600;
    if s.chars().count() <= MAX { s.to_string() } else { format!("{}…", s.chars().take(MAX).collect::<String>()) }
}

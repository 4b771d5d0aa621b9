//! The server under test: the shared server of the test binary ([`app`], [`TestApp`]) and its
//! start over the demo and the fixture, servers of a test's own ([`spawn_server`]), the HTTP
//! client and the server's answers ([`Resp`]).

#![allow(dead_code)]

use super::fixture::{DEMO_ARTICLES, DEMO_NOW, Fixture};
use super::html::excerpt;
use courant_core::{ArticleSummary, Section};
use courant_store::{ArticleFilter, Store};
use scraper::Html;
use std::future::Future;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

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
    /// Its data folder (kept until the test binary ends).
    pub data: PathBuf,
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
            tx.send(Spawned { base, store, data: dir.path().to_path_buf() }).expect("send");
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

        // The demo's scheduled stories are due within hours of its "now", and this server
        // publishes them at once: ending the demo that long before DEMO_NOW keeps every demo
        // story older than the fixture's own, whatever the demo's random draw.
        let ends = DEMO_NOW - time::Duration::hours(courant_demo::SCHEDULED_WITHIN_HOURS);
        let mut options = courant_demo::DemoOptions::new(DEMO_ARTICLES, ends);
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

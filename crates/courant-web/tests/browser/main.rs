//! Browser tests: Chromium, driven through WebDriver (Debian's chromium-driver), loads the home
//! page and an article at phone and desktop widths, checks what a reader would notice (the page
//! scrolls sideways, the hero picture is missing), and saves screenshots to
//! `target/screenshots/` (the README's picture comes from there).
//!
//! These tests need `chromedriver` and `chromium`; the README's test command installs them.
//! Without them the tests fail with a message saying so: a browser test never skips silently.

#[path = "../it/support.rs"]
#[allow(dead_code)]
mod support;

mod editor;
mod newsroom;
mod quality;

use fantoccini::{Client, ClientBuilder};
use serde_json::{Value, json};
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A chromedriver process on a free loopback port, ended when dropped with every browser it
/// started (its process group), also when a test fails before closing its session.
struct Driver {
    child: Child,
    url: String,
}

impl Drop for Driver {
    fn drop(&mut self) {
        // The driver leads its own process group (see `start_driver`): end the whole group.
        let group = format!("-{}", self.child.id());
        let _ = Command::new("kill").args(["-KILL", "--", &group]).status();
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn find_program(names: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    for name in names {
        for dir in std::env::split_paths(&path).chain([PathBuf::from("/usr/bin"), PathBuf::from("/usr/lib/chromium")]) {
            let candidate = dir.join(name);
            if candidate.is_file() {
                return Some(candidate);
            }
        }
    }
    None
}

async fn start_driver() -> Driver {
    let driver = find_program(&["chromedriver"]).expect(
        "chromedriver not found: install Debian's chromium and chromium-driver packages \
         (the README's test command, scripts/test, does this)",
    );
    let port = TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("free port").port();
    use std::os::unix::process::CommandExt;
    let child = Command::new(&driver)
        .process_group(0)
        .arg(format!("--port={port}"))
        .arg("--allowed-ips=127.0.0.1")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {}: {e}", driver.display()));
    let url = format!("http://127.0.0.1:{port}");
    let started = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(started.elapsed() < Duration::from_secs(20), "chromedriver did not listen on {url} within 20 s");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Driver { child, url }
}

async fn browser(driver: &Driver) -> Client {
    let chromium = find_program(&["chromium", "chromium-browser"])
        .expect("chromium not found: install Debian's chromium package (scripts/test does this)");
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        json!({
            "binary": chromium,
            "args": [
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--hide-scrollbars",
                "--force-device-scale-factor=1",
                // Headless Chromium names itself in its user agent, and Courant counts no views
                // from headless browsers; this one plays a reader.
                "--user-agent=Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/148.0 Safari/537.36"
            ]
        }),
    );
    ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(caps)
        .connect(&driver.url)
        .await
        .unwrap_or_else(|e| panic!("chromedriver at {} could not start Chromium: {e}", driver.url))
}

/// Sets the viewport (not the window) to `width` x `height` CSS pixels.
async fn set_viewport(c: &Client, width: u32, height: u32) {
    c.set_window_size(width, height).await.expect("set window size");
    let inner = c.execute("return [window.innerWidth, window.innerHeight];", vec![]).await.expect("inner size");
    let (iw, ih) = (inner[0].as_u64().unwrap_or(0) as u32, inner[1].as_u64().unwrap_or(0) as u32);
    if iw != width || ih != height {
        c.set_window_size(width + (width - iw.min(width)), height + (height - ih.min(height)))
            .await
            .expect("adjust window size");
    }
}

/// The page's layout facts a reader would notice, measured in the browser.
async fn measure(c: &Client) -> Value {
    c.execute(
        r#"
        const doc = document.documentElement;
        const hero = document.querySelector('figure.hero img, .home-lead img');
        let heroInfo = null;
        if (hero) {
            const r = hero.getBoundingClientRect();
            heroInfo = { complete: hero.complete, naturalWidth: hero.naturalWidth,
                         width: r.width, height: r.height, left: r.left, right: r.right };
        }
        const wide = [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > doc.clientWidth + 1)
            .slice(0, 5).map(e => e.tagName + '.' + e.className);
        return { scrollWidth: doc.scrollWidth, clientWidth: doc.clientWidth, hero: heroInfo, wide: wide };
        "#,
        vec![],
    )
    .await
    .expect("measure page")
}

async fn wait_for_hero(c: &Client) -> Value {
    let started = Instant::now();
    loop {
        let m = measure(c).await;
        let loaded =
            m["hero"]["complete"].as_bool() == Some(true) && m["hero"]["naturalWidth"].as_u64().unwrap_or(0) > 0;
        if loaded {
            // Loaded is not yet painted: wait for the decode and two frames before screenshots.
            let _ = c
                .execute_async(
                    r#"const done = arguments[arguments.length - 1];
                    const img = document.querySelector('figure.hero img, .home-lead img');
                    const frames = () => requestAnimationFrame(() => requestAnimationFrame(() => done(true)));
                    img.decode().then(frames, frames);"#,
                    vec![],
                )
                .await;
            return m;
        }
        if started.elapsed() > Duration::from_secs(10) {
            return m;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

fn screenshot_dir() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/screenshots");
    std::fs::create_dir_all(&dir).expect("create target/screenshots");
    dir
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_fit_phone_and_desktop_and_show_their_pictures() {
    let app = support::app();
    let driver = start_driver().await;
    let c = browser(&driver).await;
    let article = app.fixture.main_path.clone();
    let pages = [("home", "/".to_string()), ("article", article)];
    let mut failures = Vec::new();
    for (name, path) in &pages {
        for width in [360u32, 1280] {
            set_viewport(&c, width, 900).await;
            let url = format!("{}{}", app.base, path);
            c.goto(&url).await.unwrap_or_else(|e| panic!("cannot load {url}: {e}"));
            let m = wait_for_hero(&c).await;
            if m["scrollWidth"].as_u64() > m["clientWidth"].as_u64() {
                failures.push(format!("{name} at {width}px scrolls sideways: {m}"));
            }
            let hero = &m["hero"];
            if hero.is_null() {
                failures.push(format!("{name} at {width}px has no hero/lead picture"));
            } else {
                if hero["naturalWidth"].as_u64().unwrap_or(0) == 0 {
                    failures.push(format!("{name} at {width}px: the picture did not load: {hero}"));
                }
                if hero["width"].as_f64().unwrap_or(0.0) < 100.0 || hero["height"].as_f64().unwrap_or(0.0) < 50.0 {
                    failures.push(format!("{name} at {width}px: the picture is not visible: {hero}"));
                }
                if hero["right"].as_f64().unwrap_or(f64::MAX) > f64::from(width) + 1.0 {
                    failures.push(format!("{name} at {width}px: the picture overflows the viewport: {hero}"));
                }
            }
            let png = c.screenshot().await.expect("screenshot");
            std::fs::write(screenshot_dir().join(format!("{name}-{width}.png")), png).expect("save screenshot");
        }
    }
    // A taller desktop view of the article for the README.
    set_viewport(&c, 1280, 1900).await;
    c.goto(&format!("{}{}", app.base, pages[1].1)).await.expect("load article");
    wait_for_hero(&c).await;
    let png = c.screenshot().await.expect("screenshot");
    std::fs::write(screenshot_dir().join("article-readme.png"), png).expect("save screenshot");
    c.close().await.expect("close browser");
    assert!(failures.is_empty(), "layout problems:\n{}", failures.join("\n"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn skip_link_and_focus_are_visible() {
    let app = support::app();
    let driver = start_driver().await;
    let c = browser(&driver).await;
    set_viewport(&c, 1280, 900).await;
    c.goto(&format!("{}{}", app.base, app.fixture.main_path)).await.expect("load article");
    // The first Tab reaches the skip link, which must then be on screen.
    let state = c
        .execute(
            r#"
            const link = document.querySelector('a.skip-link');
            link.focus();
            const r = link.getBoundingClientRect();
            const style = getComputedStyle(link);
            return { focused: document.activeElement === link, top: r.top, height: r.height,
                     width: r.width, outline: style.outlineStyle, href: link.getAttribute('href') };
            "#,
            vec![],
        )
        .await
        .expect("inspect skip link");
    c.close().await.expect("close browser");
    assert_eq!(state["focused"], json!(true), "{state}");
    assert_eq!(state["href"], json!("#content"), "{state}");
    assert!(
        state["top"].as_f64().unwrap_or(-1.0) >= 0.0 && state["height"].as_f64().unwrap_or(0.0) > 10.0,
        "a focused skip link must be visible on screen: {state}"
    );
    assert_ne!(state["outline"], json!("none"), "focus must be visible: {state}");
}

/// The README's picture: an article of the demo publication alone (no test fixture), at
/// desktop width, checked for sideways scrolling like every other page.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_article_for_the_readme() {
    let dir = tempfile::tempdir().expect("temporary data folder");
    let state = courant::open(dir.path(), &courant::Config::default()).await.expect("open the store");
    let store = state.store.clone();
    let mut options = courant_demo::DemoOptions::new(60, time::OffsetDateTime::now_utc());
    options.picture_pool = 30;
    let report = courant_demo::generate(&store, &courant::media_dir(dir.path()), &options, &|_, _, _| {})
        .await
        .expect("generate the demo publication");
    assert!(report.published > 40, "the demo should publish most of its 60 stories: {report:?}");
    // The story that shows the most: a quote and as many pinned related stories as any.
    let mut chosen: Option<(usize, String)> = None;
    for s in store.published(&courant_store::ArticleFilter::All, 60, 0).await.expect("list stories").items {
        let a = store.article(s.id).await.expect("load story").expect("listed story exists");
        let better = chosen.as_ref().is_none_or(|(n, _)| a.related.len() > *n);
        if a.body.contains("\n> ") && better {
            chosen = a.path().map(|p| (a.related.len(), p));
        }
    }
    let chosen = chosen.map(|(_, p)| p);
    let path = chosen.expect("the demo has a story with related stories and a quote");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("address"));
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(courant::serve(listener, state, async move {
        let _ = rx.await;
    }));

    let driver = start_driver().await;
    let c = browser(&driver).await;
    set_viewport(&c, 1280, 1700).await;
    c.goto(&format!("{base}{path}")).await.expect("load the demo article");
    let m = wait_for_hero(&c).await;
    let png = c.screenshot().await.expect("screenshot");
    std::fs::write(screenshot_dir().join("demo-article-1280.png"), png).expect("save screenshot");

    // Reading the article sent its view beacon: within the next seconds another article lists it
    // under "Others are reading now" (nobody else reads this fresh demo).
    let other = store
        .latest(&courant_store::ArticleFilter::All, 5, 0)
        .await
        .expect("stories")
        .into_iter()
        .filter_map(|s| s.path())
        .find(|p| *p != path)
        .expect("another story");
    let mut listed = false;
    for _ in 0..50 {
        c.goto(&format!("{base}{other}")).await.expect("load another article");
        let found = c
            .execute(&format!("return !!document.querySelector('.reading-now a[href=\"{path}\"]');"), vec![])
            .await
            .expect("look for the list");
        if found == Value::Bool(true) {
            listed = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    c.close().await.expect("close browser");
    assert!(listed, "after reading {path} in the browser, {other} should list it under Others are reading now");
    let _ = tx.send(());
    server.await.expect("server task").expect("server stops cleanly");
    assert!(m["scrollWidth"].as_u64() <= m["clientWidth"].as_u64(), "the demo article scrolls sideways: {m}");
    assert!(m["hero"]["naturalWidth"].as_u64().unwrap_or(0) > 0, "the demo article's picture did not load: {m}");
}

//! Issue 19's web quality checks in the browser: every kind of reader page passes axe
//! (WCAG 2.2 A and AA, target size included) at phone and desktop widths, and a phone shows a
//! compact masthead, every section and no sideways scrolling. `scripts/test` installs axe-core
//! from npm and points `COURANT_AXE_JS` at it.

use super::{browser, set_viewport, start_driver, support};
use serde_json::{Value, json};
use std::path::PathBuf;

fn axe_source() -> String {
    let path = std::env::var_os("COURANT_AXE_JS").map(PathBuf::from).unwrap_or_else(|| {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/tools/node_modules/axe-core/axe.min.js")
    });
    std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!("axe-core is missing at {} ({e}): run scripts/test, which installs it with npm", path.display())
    })
}

/// The reader's page kinds, as the Nu Html Checker test lists them.
fn page_kinds(app: &support::TestApp) -> Vec<(&'static str, String)> {
    let f = &app.fixture;
    vec![
        ("home", "/".to_string()),
        ("article", f.main_path.clone()),
        ("section", format!("/{}", f.news.slug)),
        ("section-page-2", format!("/{}?page=2", f.archive.slug)),
        ("tag", format!("/tag/{}", f.tags[0].slug)),
        ("author", format!("/author/{}", f.author.slug)),
        ("source", format!("/source/{}", f.sources[0].slug)),
        ("search", "/search?q=harbour".to_string()),
        ("newsletters", "/newsletters".to_string()),
        ("not-found", "/no/such/page".to_string()),
    ]
}

/// Runs axe on the page loaded in `c`: its violations as "rule: target (summary)" lines.
async fn axe_violations(c: &fantoccini::Client, axe: &str) -> Vec<String> {
    c.execute(axe, vec![]).await.expect("load axe into the page");
    let result = c
        .execute_async(
            r#"const done = arguments[arguments.length - 1];
            axe.run(document, { runOnly: { type: 'tag',
                  values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] } })
               .then(r => done(r.violations.map(v => ({ id: v.id,
                     nodes: v.nodes.slice(0, 4).map(n => n.target.join(' ') + ' (' + n.failureSummary.split('\n').slice(1, 2).join('') + ')') }))),
                     e => done([{ id: 'axe failed', nodes: [String(e)] }]));"#,
            vec![],
        )
        .await
        .expect("run axe");
    result
        .as_array()
        .map(|vs| {
            vs.iter()
                .flat_map(|v| {
                    let id = v["id"].as_str().unwrap_or("?").to_string();
                    v["nodes"]
                        .as_array()
                        .cloned()
                        .unwrap_or_default()
                        .into_iter()
                        .map(move |n| format!("{id}: {}", n.as_str().unwrap_or_default()))
                })
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_reader_page_kind_passes_axe_at_phone_and_desktop_widths() {
    let app = support::app();
    let axe = axe_source();
    let driver = start_driver().await;
    let c = browser(&driver).await;
    let mut failures = Vec::new();
    for width in [390u32, 1280] {
        set_viewport(&c, width, 900).await;
        for (name, path) in page_kinds(app) {
            c.goto(&format!("{}{}", app.base, path)).await.expect("load page");
            for v in axe_violations(&c, &axe).await {
                failures.push(format!("{name} ({path}) at {width}px: {v}"));
            }
        }
    }
    c.close().await.expect("close browser");
    assert!(failures.is_empty(), "axe finds {} problem(s):\n{}", failures.len(), failures.join("\n"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_phone_shows_a_compact_masthead_every_section_and_no_sideways_scrolling() {
    let app = support::app();
    let sections = app.sections().await;
    let top: Vec<String> = sections.iter().filter(|s| s.parent_id.is_none()).map(|s| s.name.clone()).collect();
    let driver = start_driver().await;
    let c = browser(&driver).await;
    set_viewport(&c, 390, 844).await;
    let mut failures = Vec::new();
    for (name, path) in page_kinds(app) {
        c.goto(&format!("{}{}", app.base, path)).await.expect("load page");
        let m: Value = c
            .execute(
                r#"
                const doc = document.documentElement;
                const nav = document.querySelector('.site-nav');
                const links = [...nav.querySelectorAll('a')].map(a => {
                    const r = a.getBoundingClientRect();
                    return { text: a.textContent.trim(), left: r.left, right: r.right, visible: r.width > 0 && r.height > 0 };
                });
                const main = document.querySelector('main');
                return { scrollWidth: doc.scrollWidth, clientWidth: doc.clientWidth,
                         navBottom: nav.getBoundingClientRect().bottom,
                         mainTop: main.getBoundingClientRect().top + window.scrollY,
                         links: links,
                         search: !!document.querySelector('a.masthead-search-link[href="/search"]') &&
                                 document.querySelector('a.masthead-search-link').getBoundingClientRect().width > 0 };
                "#,
                vec![],
            )
            .await
            .expect("measure the page");
        if m["scrollWidth"].as_u64() > m["clientWidth"].as_u64() {
            failures.push(format!("{name} scrolls sideways: {} > {}", m["scrollWidth"], m["clientWidth"]));
        }
        // The masthead and every section take at most a sixth of an 844 px screen.
        if m["navBottom"].as_f64().unwrap_or(f64::MAX) > 844.0 / 6.0 + 1.0 {
            failures.push(format!("{name}: the masthead and menu end at {} px", m["navBottom"]));
        }
        if m["search"] != json!(true) {
            failures.push(format!("{name}: no visible search link in the masthead"));
        }
        let links = m["links"].as_array().cloned().unwrap_or_default();
        for section in &top {
            let shown = links.iter().any(|l| {
                l["text"] == json!(section)
                    && l["visible"] == json!(true)
                    && l["left"].as_f64().unwrap_or(-1.0) >= 0.0
                    && l["right"].as_f64().unwrap_or(f64::MAX) <= 390.0
            });
            if !shown {
                failures.push(format!("{name}: the menu does not show “{section}” on screen: {links:?}"));
            }
        }
    }
    // The phone screenshots of the home page and an article, for the README.
    for (name, path) in [("home", "/".to_string()), ("article", app.fixture.main_path.clone())] {
        c.goto(&format!("{}{}", app.base, path)).await.expect("load page");
        let png = c.screenshot().await.expect("screenshot");
        std::fs::write(super::screenshot_dir().join(format!("phone-{name}-390.png")), png).expect("save screenshot");
    }
    c.close().await.expect("close browser");
    assert!(failures.is_empty(), "phone layout problems:\n{}", failures.join("\n"));
}

/// The front page as a reader sees it, at a phone's and a desktop's width: every story it shows
/// (a headline link) appears once, and there are enough of them to tell.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_front_page_shows_each_story_once_at_every_width() {
    let app = support::app();
    let driver = start_driver().await;
    let c = browser(&driver).await;
    let mut failures = Vec::new();
    for (width, height) in [(390, 844), (1280, 900)] {
        set_viewport(&c, width, height).await;
        c.goto(&format!("{}/", app.base)).await.expect("load the front page");
        let shown: Value = c
            .execute(
                "return [...document.querySelectorAll('main .teaser-headline a')]
                   .filter(a => a.getBoundingClientRect().height > 0)
                   .map(a => a.getAttribute('href'));",
                vec![],
            )
            .await
            .expect("list the front page's stories");
        let shown: Vec<String> =
            shown.as_array().into_iter().flatten().filter_map(|h| h.as_str().map(str::to_string)).collect();
        let mut seen = std::collections::HashSet::new();
        let twice: Vec<&String> = shown.iter().filter(|h| !seen.insert(*h)).collect();
        if shown.len() < 10 {
            failures.push(format!("{width} px: only {} stories shown: {shown:?}", shown.len()));
        }
        if !twice.is_empty() {
            failures.push(format!("{width} px: shown twice: {twice:?} (of {shown:?})"));
        }
    }
    c.close().await.expect("close browser");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

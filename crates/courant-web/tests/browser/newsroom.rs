//! The newsroom in a real browser: an editor logs in, writes a story with a subheading and an
//! attributed quote, uploads its picture through the file input and publishes it, and readers
//! find it at once; markup typed into the newsroom never runs, on the site or in the newsroom;
//! an editor pins an older story as the front page's lead.
//!
//! These tests publish, so they use a server of their own: the shared one's home page is
//! photographed and checked by the layout tests.

use crate::support::{Spawned, spawn_server};
use crate::{browser, set_viewport, start_driver};
use courant_core::{ArticleId, Role, Status};
use courant_store::{NewUser, Store};
use fantoccini::{Client, Locator};
use serde_json::{Value, json};
use std::path::Path;
use std::sync::OnceLock;
use std::time::{Duration, Instant};
use time::OffsetDateTime;

const PASSWORD: &str = "a long and correct test password";

/// The newsroom tests' server, started on first use.
pub(crate) fn server() -> &'static Spawned {
    static SERVER: OnceLock<Spawned> = OnceLock::new();
    SERVER.get_or_init(|| {
        let mut options = courant_demo::DemoOptions::new(8, OffsetDateTime::now_utc());
        options.picture_pool = 2;
        spawn_server(courant::Config::default(), options)
    })
}

/// Creates an editor through the store; returns their email.
pub(crate) async fn new_editor(store: &Store, tag: &str) -> String {
    let stamp = OffsetDateTime::now_utc().unix_timestamp_nanos();
    let email = format!("{tag}-{}-{stamp}@newsroom.test.example", std::process::id());
    let password_hash =
        courant_newsroom::secrets::hash_password(PASSWORD.to_string()).await.expect("hash the test password");
    let new = NewUser {
        email: email.clone(),
        name: format!("Browser editor {tag}"),
        role: Role::Editor,
        password_hash,
        must_change_password: false,
        author_id: None,
    };
    store
        .insert_user(&new, None, OffsetDateTime::now_utc())
        .await
        .unwrap_or_else(|e| panic!("insert the editor {email}: {e}"));
    email
}

/// A top-level section and an author of the demo: (section id, section slug, author id).
pub(crate) async fn section_and_author(store: &Store) -> (i64, String, i64) {
    let section = store
        .sections()
        .await
        .expect("list sections")
        .into_iter()
        .find(|s| s.parent_id.is_none())
        .expect("the demo has a top-level section");
    let author = store.authors().await.expect("list authors").into_iter().next().expect("the demo has an author");
    (section.id.0, section.slug, author.id.0)
}

/// A JPEG written to a temporary file, for the file input.
pub(crate) fn picture_file(seed: u32) -> tempfile::NamedTempFile {
    let (width, height) = (960u32, 540u32);
    let picture = courant_media::Picture::from_fn(width, height, |x, y| {
        courant_media::Rgb([
            (x * 255 / width) as u8,
            (y * 255 / height) as u8,
            ((x / 16 + y / 16 + (seed % 256) * 41) % 256) as u8,
        ])
    });
    let jpeg = courant_media::encode_jpeg(&picture, 85).expect("encode a test JPEG");
    let file = tempfile::Builder::new().prefix("newsroom-hero-").suffix(".jpg").tempfile().expect("a temporary file");
    std::fs::write(file.path(), &jpeg.bytes).expect("write the test JPEG");
    file
}

pub(crate) async fn js(c: &Client, script: &str, args: Vec<Value>) -> Value {
    c.execute(script, args).await.unwrap_or_else(|e| panic!("running {script:?} in the browser failed: {e}"))
}

/// What the page says, for failure messages.
pub(crate) async fn page_says(c: &Client) -> String {
    let text =
        js(c, "const m = document.querySelector('main') || document.body; return m ? m.innerText : '';", vec![]).await;
    let text = text.as_str().unwrap_or_default().split_whitespace().collect::<Vec<_>>().join(" ");
    text.chars().take(800).collect()
}

pub(crate) async fn goto(c: &Client, url: &str) {
    c.goto(url).await.unwrap_or_else(|e| panic!("cannot load {url}: {e}"));
}

async fn current_url(c: &Client) -> String {
    c.current_url().await.expect("the browser's address").to_string()
}

/// Waits up to 20 s for the address to satisfy `ok`.
pub(crate) async fn wait_for_url(c: &Client, what: &str, ok: impl Fn(&str) -> bool) -> String {
    let started = Instant::now();
    loop {
        let url = current_url(c).await;
        if ok(&url) {
            return url;
        }
        if started.elapsed() > Duration::from_secs(20) {
            panic!("{what}: the browser is still at {url} after 20 s; the page says: {}", page_says(c).await);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Waits up to 10 s for an element.
pub(crate) async fn wait_for(c: &Client, css: &str) -> fantoccini::elements::Element {
    let started = Instant::now();
    loop {
        if let Ok(el) = c.find(Locator::Css(css)).await {
            return el;
        }
        if started.elapsed() > Duration::from_secs(10) {
            let url = current_url(c).await;
            panic!("no {css} at {url} after 10 s; the page says: {}", page_says(c).await);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Types `text` into a field as a user would. Should the driver have typed something else
/// (some drivers turn characters like "—" or newlines into key presses of their own), the
/// field is set to the text directly and the difference is reported.
pub(crate) async fn type_into(c: &Client, css: &str, text: &str) {
    let el = wait_for(c, css).await;
    el.clear().await.unwrap_or_else(|e| panic!("clear {css}: {e}"));
    el.send_keys(text).await.unwrap_or_else(|e| panic!("type into {css}: {e}"));
    let typed = el.prop("value").await.unwrap_or_else(|e| panic!("read {css}: {e}")).unwrap_or_default();
    if typed.replace("\r\n", "\n") != text {
        eprintln!("note: typing into {css} gave {typed:?} instead of {text:?}; setting the value directly");
        js(
            c,
            "const e = document.querySelector(arguments[0]); e.value = arguments[1]; \
             e.dispatchEvent(new Event('input', { bubbles: true }));",
            vec![json!(css), json!(text)],
        )
        .await;
    }
}

/// Types a body as Markdown: the visual editor gives way to the plain field first.
pub(crate) async fn type_markdown(c: &Client, text: &str) {
    wait_for(c, ".pm-content").await;
    click(c, "button.pm-mode").await;
    type_into(c, "#f-body", text).await;
}

pub(crate) async fn choose(c: &Client, css: &str, value: &str) {
    wait_for(c, css).await.select_by_value(value).await.unwrap_or_else(|e| panic!("choose {value:?} in {css}: {e}"));
}

pub(crate) async fn click(c: &Client, css: &str) {
    wait_for(c, css).await.click().await.unwrap_or_else(|e| panic!("click {css}: {e}"));
}

pub(crate) async fn log_in(c: &Client, base: &str, email: &str) {
    goto(c, &format!("{base}/newsroom/login")).await;
    type_into(c, "#login-email", email).await;
    type_into(c, "#login-password", PASSWORD).await;
    click(c, "form[action=\"/newsroom/login\"] button[type=submit]").await;
    wait_for_url(c, "the dashboard after logging in", |u| u.ends_with("/newsroom/")).await;
}

/// What an editor types for a story.
struct Story<'a> {
    headline: &'a str,
    standfirst: &'a str,
    body: &'a str,
    section: i64,
    author: i64,
    alt: &'a str,
    caption: &'a str,
    credit: &'a str,
}

/// From any newsroom page: "New article", the story typed in, its picture chosen in the file
/// input, "Publish now". Returns the article once the editor says it is published.
async fn publish_from_the_editor(c: &Client, story: &Story<'_>, picture: &Path) -> ArticleId {
    click(c, "nav.nr-nav a[href=\"/newsroom/articles/new\"]").await;
    wait_for_url(c, "the new article's editor", |u| u.ends_with("/newsroom/articles/new")).await;
    type_into(c, "#f-headline", story.headline).await;
    type_into(c, "#f-standfirst", story.standfirst).await;
    type_markdown(c, story.body).await;
    choose(c, "#f-section", &story.section.to_string()).await;
    choose(c, "#f-author-1", &story.author.to_string()).await;
    let path = picture.to_str().expect("the temporary file's path is text");
    wait_for(c, "#f-hero-file")
        .await
        .send_keys(path)
        .await
        .unwrap_or_else(|e| panic!("choose {path} in #f-hero-file: {e}"));
    type_into(c, "#f-hero-alt", story.alt).await;
    type_into(c, "#f-hero-caption", story.caption).await;
    type_into(c, "#f-hero-credit", story.credit).await;
    // A new article's editor offers editors "Publish now" before any save.
    click(c, "button[name=intent][value=publish]").await;
    let url = wait_for_url(c, "the editor after Publish now", |u| u.contains("done=published")).await;
    article_id_in(&url)
}

/// The article whose editor the browser is at (`/newsroom/articles/ID...`).
pub(crate) fn article_id_in(url: &str) -> ArticleId {
    let id = url
        .split("/newsroom/articles/")
        .nth(1)
        .and_then(|rest| rest.split(['?', '/']).next())
        .and_then(|n| n.parse::<i64>().ok())
        .unwrap_or_else(|| panic!("the browser is at {url}, not an article's editor"));
    ArticleId(id)
}

/// The public address of a published article.
pub(crate) async fn public_path(store: &Store, id: ArticleId) -> String {
    let article = store.article(id).await.expect("load the article").expect("the article exists");
    assert_eq!(article.status, Status::Published, "article {id} after Publish now");
    article.path().expect("a published article has an address")
}

/// Whether the page has a link whose text is exactly `text`.
async fn has_link_text(c: &Client, text: &str) -> bool {
    js(
        c,
        "return [...document.querySelectorAll('a')].some(a => a.textContent.trim() === arguments[0]);",
        vec![json!(text)],
    )
    .await
    .as_bool()
    .unwrap_or(false)
}

/// `typeof window.__xss` once the page has had time to fire its load and error events.
async fn xss_marker(c: &Client) -> String {
    tokio::time::sleep(Duration::from_millis(500)).await;
    js(c, "return typeof window.__xss;", vec![]).await.as_str().unwrap_or("<not a string>").to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_editor_writes_illustrates_and_publishes_a_story() {
    let server = server();
    let (base, store) = (server.base.clone(), server.store.clone());
    let email = new_editor(&store, "browser-publish").await;
    let (section, section_slug, author) = section_and_author(&store).await;
    let picture = picture_file(3);
    let headline = format!("Harbour tram runs again after two years {}", std::process::id());
    let story = Story {
        headline: &headline,
        standfirst: "The tram along the harbour carried its first passengers in two years on Monday.",
        body: "The harbour tram ran again on Monday morning.\n\n\
               ## A subheading\n\n\
               Crews replaced the rails and the overhead wires.\n\n\
               > The tram is back where it belongs.\n>\n> — Someone, role\n\n\
               Trams run every ten minutes.",
        section,
        author,
        alt: "A green tram on the harbour line",
        caption: "The first tram of the morning",
        credit: "Photo: Test Agency",
    };

    let driver = start_driver().await;
    let c = browser(&driver).await;
    set_viewport(&c, 1280, 900).await;
    log_in(&c, &base, &email).await;
    let id = publish_from_the_editor(&c, &story, picture.path()).await;
    let path = public_path(&store, id).await;
    // The editor after publishing, with its live preview drawn: the README's picture.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let png = c.screenshot().await.expect("screenshot");
    std::fs::write(super::screenshot_dir().join("newsroom-editor-1280.png"), png).expect("save screenshot");

    goto(&c, &format!("{base}/")).await;
    assert!(has_link_text(&c, &headline).await, "the home page links the new story: {}", page_says(&c).await);
    goto(&c, &format!("{base}/{section_slug}")).await;
    assert!(has_link_text(&c, &headline).await, "/{section_slug} links the new story: {}", page_says(&c).await);

    goto(&c, &format!("{base}{path}")).await;
    let page = js(
        &c,
        "const q = (s) => document.querySelector(s);
         return {
           h1: q('h1.headline') ? q('h1.headline').textContent.trim() : null,
           subheadings: [...document.querySelectorAll('.article-body h2')].map(h => h.textContent.trim()),
           attribution: q('.article-body figure.quote figcaption') ? q('.article-body figure.quote figcaption').textContent.trim() : null,
           quote: q('.article-body figure.quote blockquote') ? q('.article-body figure.quote blockquote').textContent.trim() : null,
           caption: q('figure.hero figcaption') ? q('figure.hero figcaption').textContent.trim() : null,
           heroLoaded: q('figure.hero img') ? q('figure.hero img').complete && q('figure.hero img').naturalWidth > 0 : false,
         };",
        vec![],
    )
    .await;
    c.close().await.expect("close the browser");
    assert_eq!(page["h1"], json!(headline), "{path}: the headline; the page: {page}");
    assert!(
        page["subheadings"].as_array().is_some_and(|h| h.contains(&json!("A subheading"))),
        "{path}: the body's subheading; the page: {page}"
    );
    assert!(
        page["attribution"].as_str().is_some_and(|a| a.contains("Someone, role")),
        "{path}: the quote's attribution in its figcaption; the page: {page}"
    );
    assert!(
        page["quote"].as_str().is_some_and(|q| q.contains("The tram is back where it belongs.")),
        "{path}: the quote; the page: {page}"
    );
    assert!(
        page["caption"]
            .as_str()
            .is_some_and(|t| t.contains("The first tram of the morning") && t.contains("Photo: Test Agency")),
        "{path}: the picture's caption and credit; the page: {page}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn markup_typed_into_the_newsroom_never_runs() {
    let server = server();
    let (base, store) = (server.base.clone(), server.store.clone());
    let email = new_editor(&store, "browser-xss").await;
    let (section, _, author) = section_and_author(&store).await;
    let picture = picture_file(5);
    let headline = r#"<img src=x onerror="window.__xss=1">"#;
    let story = Story {
        headline,
        standfirst: "What happens to markup typed into the newsroom.",
        body: "A first paragraph.\n\n\
               <script>window.__xss=2</script>\n\n\
               A [x](javascript:window.__xss=3) link.\n\n\
               A last paragraph.",
        section,
        author,
        alt: "A pattern of colours",
        caption: "A test picture",
        credit: "Photo: Test Agency",
    };

    let driver = start_driver().await;
    let c = browser(&driver).await;
    set_viewport(&c, 1280, 900).await;
    log_in(&c, &base, &email).await;
    let id = publish_from_the_editor(&c, &story, picture.path()).await;
    let path = public_path(&store, id).await;

    let mut failures = Vec::new();
    goto(&c, &format!("{base}{path}")).await;
    let marker = xss_marker(&c).await;
    if marker != "undefined" {
        failures.push(format!("{path}: window.__xss is {marker}"));
    }
    let page = js(
        &c,
        "return {
           h1: document.querySelector('h1.headline') ? document.querySelector('h1.headline').textContent : null,
           h1Elements: document.querySelector('h1.headline') ? document.querySelector('h1.headline').children.length : -1,
           scripts: document.querySelectorAll('.article-body script').length,
           javascriptLinks: [...document.querySelectorAll('[href]')]
             .filter(a => a.getAttribute('href').trim().toLowerCase().startsWith('javascript:')).length,
         };",
        vec![],
    )
    .await;
    if page["h1"] != json!(headline) {
        failures.push(format!("{path}: the h1 should read the headline literally, as text: {page}"));
    }
    if page["h1Elements"] != json!(0) {
        failures.push(format!("{path}: the headline became elements: {page}"));
    }
    if page["scripts"] != json!(0) || page["javascriptLinks"] != json!(0) {
        failures.push(format!("{path}: a script or a javascript: link reached the page: {page}"));
    }

    for (name, url) in [
        ("the home page", format!("{base}/")),
        ("the editor", format!("{base}/newsroom/articles/{id}")),
        ("the revisions", format!("{base}/newsroom/articles/{id}/revisions")),
        ("the article list", format!("{base}/newsroom/articles")),
    ] {
        goto(&c, &url).await;
        let marker = xss_marker(&c).await;
        if marker != "undefined" {
            failures.push(format!("{name} ({url}): window.__xss is {marker}"));
        }
        if name == "the editor" {
            let shown = js(
                &c,
                "const h = document.querySelector('#f-headline'); return { value: h ? h.value : null, title: document.title };",
                vec![],
            )
            .await;
            if shown["value"] != json!(headline) || !shown["title"].as_str().is_some_and(|t| t.contains(headline)) {
                failures.push(format!("the editor should show the headline as typed, in its field and title: {shown}"));
            }
        }
    }
    c.close().await.expect("close the browser");
    assert!(failures.is_empty(), "markup typed into the newsroom ran or was altered:\n{}", failures.join("\n"));
}

/// The editor's script saves a draft by itself a few seconds after typing, and carries the new
/// version on, so the next save by button is not a conflict.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn drafts_save_themselves_while_typing() {
    let server = server();
    let (base, store) = (server.base.clone(), server.store.clone());
    let email = new_editor(&store, "browser-autosave").await;
    let user = store.user_by_email(&email).await.expect("lookup").expect("the editor exists");
    let (section, _, author) = section_and_author(&store).await;
    let draft = courant_core::ArticleDraft {
        headline: format!("Autosaved draft {}", std::process::id()),
        standfirst: "A draft the script saves.".into(),
        body: "First words.".into(),
        section_id: Some(courant_core::SectionId(section)),
        author_ids: vec![courant_core::AuthorId(author)],
        ..Default::default()
    };
    let id = store.create_article(&draft, user.id, OffsetDateTime::now_utc()).await.expect("create the draft");

    let driver = start_driver().await;
    let c = browser(&driver).await;
    set_viewport(&c, 1280, 900).await;
    log_in(&c, &base, &email).await;
    goto(&c, &format!("{base}/newsroom/articles/{id}")).await;
    type_markdown(&c, "First words, and more typed in the browser.").await;
    let started = Instant::now();
    loop {
        let body = store.article(id).await.expect("load").expect("exists").body;
        if body == "First words, and more typed in the browser." {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(15),
            "not autosaved within 15 s; the page: {}",
            page_says(&c).await
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    let status = wait_for(&c, "#autosave-status").await.text().await.unwrap_or_default();
    let version = js(&c, "return document.querySelector('input[name=version]').value;", vec![]).await;
    let meta = store.article_meta(id).await.expect("meta").expect("exists");
    // The page learns the new version from the answer (shortly after the store has it).
    let started = Instant::now();
    let mut version = version.as_str().unwrap_or("").to_string();
    while version != meta.version.to_string() && started.elapsed() < Duration::from_secs(5) {
        tokio::time::sleep(Duration::from_millis(100)).await;
        version = js(&c, "return document.querySelector('input[name=version]').value;", vec![])
            .await
            .as_str()
            .unwrap_or("")
            .to_string();
    }
    assert_eq!(version, meta.version.to_string(), "the form carries the saved version (status line: {status:?})");

    click(&c, "button[name=intent][value=save]").await;
    wait_for_url(&c, "the editor after saving", |u| u.contains("done=saved")).await;
    let revisions = store.revisions(id).await.expect("revisions");
    assert!(revisions.iter().all(|r| !r.conflict), "no conflict with one's own autosave: {revisions:?}");
    assert!(revisions.iter().any(|r| r.note == "autosave"), "{revisions:?}");
}

/// Issue 16 in a browser: an editor searches the wire desk, sees an item that comes in while
/// the desk is open appear at the top (the ticked one stays ticked), opens the first item,
/// writes a story from it, illustrates and publishes it; the public page's "Sources:" line
/// names the agency.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_editor_turns_wire_copy_into_a_published_story() {
    let server = server();
    let (base, store) = (server.base.clone(), server.store.clone());
    let email = new_editor(&store, "browser-wire").await;
    let (section, _, author) = section_and_author(&store).await;
    let agency = format!("Quarry Wire {}", std::process::id());
    let item = |guid: &str, headline: &str, body: &str| courant_core::WireItem {
        source: agency.clone(),
        guid: guid.into(),
        version: 1,
        headline: headline.into(),
        body_html: body.into(),
        subjects: vec!["Environment".into()],
        ..courant_core::WireItem::default()
    };
    let first = item(
        "urn:quarry:1",
        "Quarrymoor pit to close after flooding",
        "<p>QUARRYMOOR -- The old pit will close for good after winter floods, its owners said.</p>\
         <p>About forty people work there.</p>",
    );
    let other = item("urn:quarry:0", "Bus timetable changes in the valley", "<p>Buses run later.</p>");
    let received = OffsetDateTime::now_utc() - time::Duration::minutes(5);
    let stored = store.ingest_wire_items(&[other, first], "IPTC ninjs", received).await.expect("ingest the wire copy");
    let first_id = stored[1].0;
    let picture = picture_file(7);

    let driver = start_driver().await;
    let c = browser(&driver).await;
    set_viewport(&c, 1280, 900).await;
    log_in(&c, &base, &email).await;
    goto(&c, &format!("{base}/newsroom/wire")).await;
    type_into(&c, "#w-q", "quarrymoor").await;
    click(&c, "form.filters button[type=submit]").await;
    wait_for_url(&c, "the desk's search", |u| u.contains("q=quarrymoor")).await;
    let headlines = || async {
        js(
            &c,
            "return [...document.querySelectorAll('.wire-table tbody th a')].map(a => a.textContent.trim());",
            vec![],
        )
        .await
    };
    assert_eq!(headlines().await, json!(["Quarrymoor pit to close after flooding"]), "{}", page_says(&c).await);
    click(&c, &format!("#pick-{first_id}")).await;

    // Copy that comes in while the desk is open appears at the top without a reload.
    let update = item("urn:quarry:2", "Quarrymoor workers offered jobs at the new depot", "<p>Jobs offered.</p>");
    store.ingest_wire_items(&[update], "IPTC ninjs", OffsetDateTime::now_utc()).await.expect("ingest the new copy");
    let started = Instant::now();
    while headlines().await.as_array().map_or(0, Vec::len) < 2 {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "no new item on the desk after 30 s: {}",
            page_says(&c).await
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    assert_eq!(
        headlines().await,
        json!(["Quarrymoor workers offered jobs at the new depot", "Quarrymoor pit to close after flooding"])
    );
    let state = js(
        &c,
        "return { ticked: document.querySelector(arguments[0]).checked, \
                  note: document.getElementById('wire-new').hidden ? '' : document.getElementById('wire-new').textContent };",
        vec![json!(format!("#pick-{first_id}"))],
    )
    .await;
    assert_eq!(state["ticked"], json!(true), "the tick survives the new row: {state}");
    assert!(state["note"].as_str().is_some_and(|n| n.contains("1 new item")), "{state}");

    // The item's page, and a story from it.
    click(&c, &format!("a[href=\"/newsroom/wire/{first_id}\"]")).await;
    wait_for_url(&c, "the item's page", |u| u.ends_with(&format!("/newsroom/wire/{first_id}"))).await;
    choose(&c, "#w-section", &section.to_string()).await;
    click(&c, &format!("form[action=\"/newsroom/wire/{first_id}/write\"] button[type=submit]")).await;
    wait_for_url(&c, "the draft's editor", |u| u.contains("done=from_wire")).await;
    let headline = wait_for(&c, "#f-headline").await.prop("value").await.expect("headline").unwrap_or_default();
    assert_eq!(headline, "Quarrymoor pit to close after flooding");
    let rewritten = format!("Flooded Quarrymoor pit will not reopen {}", std::process::id());
    type_into(&c, "#f-headline", &rewritten).await;
    type_into(&c, "#f-standfirst", "The owners of the flooded pit say repairs would cost more than it earns.").await;
    choose(&c, "#f-author-1", &author.to_string()).await;
    let path = picture.path().to_str().expect("the temporary file's path is text");
    wait_for(&c, "#f-hero-file").await.send_keys(path).await.expect("choose the picture");
    type_into(&c, "#f-hero-alt", "Water filling a quarry pit").await;
    type_into(&c, "#f-hero-caption", "The flooded pit in December").await;
    type_into(&c, "#f-hero-credit", "Photo: Test Agency").await;
    click(&c, "button[name=intent][value=publish]").await;
    let url = wait_for_url(&c, "the editor after Publish now", |u| u.contains("done=published")).await;
    let public = public_path(&store, article_id_in(&url)).await;

    goto(&c, &format!("{base}{public}")).await;
    let page = js(
        &c,
        "const q = (s) => document.querySelector(s);
         return { h1: q('h1.headline') ? q('h1.headline').textContent.trim() : null,
                  sources: q('p.sources') ? q('p.sources').textContent.trim() : null };",
        vec![],
    )
    .await;
    c.close().await.expect("close the browser");
    assert_eq!(page["h1"], json!(rewritten), "{public}: {page}");
    assert!(
        page["sources"].as_str().is_some_and(|s| s.starts_with("Sources:") && s.contains(&agency)),
        "{public}: the Sources line names the agency: {page}"
    );
}

/// Issue 19 in a browser: an editor finds an older story on the front page's desk by words of
/// its headline, pins it as the lead, and the front page leads with it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_editor_pins_a_lead_story_to_the_front_page() {
    // A server of its own: the pin changes the front page the other tests here read.
    let mut options = courant_demo::DemoOptions::new(36, OffsetDateTime::now_utc());
    options.picture_pool = 2;
    let server = spawn_server(courant::Config::default(), options);
    let (base, store) = (server.base.clone(), server.store.clone());
    let email = new_editor(&store, "browser-front").await;
    let stories = store.latest(&courant_store::ArticleFilter::All, 25, 0).await.expect("the newest stories");
    let old = stories.get(24).expect("the demo has 25 published stories").clone();
    assert!(store.front_pins().await.expect("pins").is_empty(), "nothing is pinned at first");

    let driver = start_driver().await;
    let c = browser(&driver).await;
    set_viewport(&c, 1280, 900).await;
    log_in(&c, &base, &email).await;
    goto(&c, &format!("{base}/newsroom/front")).await;
    wait_for(&c, "#front-q").await;
    let pick = format!("#pin-{}", old.id);
    assert!(
        c.find(Locator::Css(&pick)).await.is_err(),
        "the 25th newest story is not among the newest the desk offers: {}",
        page_says(&c).await
    );
    type_into(&c, "#front-q", &old.headline).await;
    click(&c, "form.filters[action=\"/newsroom/front\"] button[type=submit]").await;
    wait_for_url(&c, "the desk's search", |u| u.contains("q=")).await;
    click(&c, &pick).await;
    let chosen = js(
        &c,
        "return { story: document.querySelector(arguments[0]).checked, \
                  lead: document.getElementById('slot-lead').checked };",
        vec![json!(pick)],
    )
    .await;
    assert_eq!(chosen, json!({ "story": true, "lead": true }), "the story is picked and Lead kept");
    click(&c, "form[action=\"/newsroom/front/pins\"] button[type=submit]").await;
    wait_for_url(&c, "the desk after pinning", |u| u.contains("done=pinned")).await;
    let notice = wait_for(&c, "p.notice").await.text().await.unwrap_or_default();
    assert!(notice.contains("Pinned"), "the notice says the story is pinned: {notice:?}; {}", page_says(&c).await);

    goto(&c, &format!("{base}/")).await;
    wait_for(&c, ".home-lead .teaser-headline a").await;
    let lead =
        js(&c, "return document.querySelector('.home-lead .teaser-headline a').textContent.trim();", vec![]).await;
    c.close().await.expect("close the browser");
    assert_eq!(lead, json!(old.headline), "the front page leads with the pinned story");
    let pins = store.front_pins().await.expect("pins");
    assert_eq!(
        pins.iter().map(|p| (p.article_id, p.slot)).collect::<Vec<_>>(),
        [(old.id, courant_store::FrontSlot::Lead)],
        "pinned as the lead"
    );
}

/// Issue 19 in a browser: the editor's sources. Every source of the registry is listed (in
/// columns without the script, never scrolling sideways); with it, "Find a source" narrows the
/// list, a chosen source shows above as a chip whose remove button names it, Enter in the
/// filter chooses the first source shown, and the chosen sources are what the form sends.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_editor_finds_and_chooses_sources() {
    let server = server();
    let (base, store) = (server.base.clone(), server.store.clone());
    let email = new_editor(&store, "browser-sources").await;
    let (section, _, author) = section_and_author(&store).await;
    let sources = store.sources().await.expect("list the sources");
    assert!(sources.len() >= 2, "the demo registers sources: {sources:?}");
    let (wanted, other) = (sources[sources.len() - 1].clone(), sources[0].clone());

    let driver = start_driver().await;
    let c = browser(&driver).await;
    set_viewport(&c, 1280, 900).await;
    log_in(&c, &base, &email).await;
    goto(&c, &format!("{base}/newsroom/articles/new")).await;
    wait_for(&c, "#f-source-find").await;

    // What the list shows: every box visible, nothing wider than the list, with the script's
    // layout and with the one a browser without script gets.
    let layout = js(
        &c,
        "const fieldset = document.getElementById('source-picker');
         const list = document.getElementById('source-list');
         const measure = () => ({
           shown: [...list.querySelectorAll('li')].filter(li => li.getClientRects().length > 0).length,
           sideways: list.scrollWidth > list.clientWidth + 1,
           downwards: list.scrollHeight > list.clientHeight + 1,
         });
         const enhanced = measure();
         fieldset.classList.remove('enhanced');
         const plain = measure();
         fieldset.classList.add('enhanced');
         return { enhanced, plain, boxes: list.querySelectorAll('input[name=source]').length };",
        vec![],
    )
    .await;
    let all = sources.len();
    assert_eq!(layout["boxes"], json!(all), "every source has its box: {layout}");
    assert_eq!(
        layout["plain"],
        json!({ "shown": all, "sideways": false, "downwards": false }),
        "without the script every source is in view, in columns: nothing scrolls"
    );
    assert_eq!(
        (&layout["enhanced"]["shown"], &layout["enhanced"]["sideways"]),
        (&json!(all), &json!(false)),
        "with the script, before filtering, every source is listed and nothing scrolls sideways: {layout}"
    );

    // The filter narrows the list to the sources that match.
    type_into(&c, "#f-source-find", &wanted.name).await;
    let listed = js(
        &c,
        "return [...document.querySelectorAll('#source-list li')]
           .map(li => ({ name: li.dataset.name, kind: li.dataset.kind, shown: !li.hidden }));",
        vec![],
    )
    .await;
    let query = wanted.name.to_lowercase();
    for item in listed.as_array().expect("a list of sources") {
        let text = format!("{} {}", item["name"].as_str().unwrap_or(""), item["kind"].as_str().unwrap_or(""));
        assert_eq!(
            item["shown"].as_bool(),
            Some(text.to_lowercase().contains(&query)),
            "filtered by {query:?}, {item} should show exactly when it matches"
        );
    }

    // Chosen by a click: a chip above the filter, with a remove button that names the source.
    click(&c, &format!("label[for=\"f-source-{}\"]", wanted.id.0)).await;
    let chips = || async {
        js(
            &c,
            "return [...document.querySelectorAll('#source-chosen li')].map(li => ({
               name: li.querySelector('span').textContent,
               remove: li.querySelector('button').getAttribute('aria-label'),
             }));",
            vec![],
        )
        .await
    };
    let remove = |name: &str| format!("Remove {name}");
    let only_wanted = json!([{ "name": wanted.name, "remove": remove(&wanted.name) }]);
    assert_eq!(chips().await, only_wanted, "the chosen source's chip");

    // Chosen by Enter in the filter: the first source shown; the filter empties.
    type_into(&c, "#f-source-find", &other.name).await;
    wait_for(&c, "#f-source-find").await.send_keys("\u{E007}").await.expect("press Enter in the filter");
    let state = js(
        &c,
        "return { filter: document.getElementById('f-source-find').value,
                  checked: document.getElementById(arguments[0]).checked,
                  shown: [...document.querySelectorAll('#source-list li')].filter(li => !li.hidden).length };",
        vec![json!(format!("f-source-{}", other.id.0))],
    )
    .await;
    assert_eq!(state["filter"], json!(""), "Enter chose a source and emptied the filter: {state}");
    assert_eq!(state["checked"], json!(true), "Enter chose the first source shown: {state}");
    assert_eq!(state["shown"], json!(all), "the whole list is back: {state}");
    assert_eq!(chips().await.as_array().map(Vec::len), Some(2), "two chips: {}", chips().await);

    // Removed again by its chip's button: unticked, its chip gone.
    click(&c, &format!("#source-chosen button[aria-label=\"{}\"]", remove(&other.name))).await;
    let unticked = js(
        &c,
        "return document.getElementById(arguments[0]).checked;",
        vec![json!(format!("f-source-{}", other.id.0))],
    )
    .await;
    assert_eq!(unticked, json!(false), "the removed source is unticked");
    assert_eq!(chips().await, only_wanted, "one chip left");

    // Saved: the story names the chosen source, and only it.
    type_into(&c, "#f-headline", &format!("Sources chosen in the browser {}", std::process::id())).await;
    type_into(&c, "#f-standfirst", "A story with one source.").await;
    choose(&c, "#f-section", &section.to_string()).await;
    choose(&c, "#f-author-1", &author.to_string()).await;
    click(&c, "button[name=intent][value=save]").await;
    let url = wait_for_url(&c, "the editor after saving", |u| u.contains("done=")).await;
    c.close().await.expect("close the browser");
    let saved = store.article(article_id_in(&url)).await.expect("load the story").expect("the story exists");
    let named: Vec<i64> = saved.sources.iter().map(|s| s.id.0).collect();
    assert_eq!(named, [wanted.id.0], "the story's sources");
}

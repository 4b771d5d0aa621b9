//! The visual editor in a real browser: a writer makes a subheading, a quote with its
//! attribution and an inline picture from the library with the toolbar, without typing any
//! Markdown, publishes, and the public page shows each as the site renders them.

use crate::newsroom::{
    article_id_in, choose, click, goto, js, log_in, new_editor, page_says, picture_file, public_path,
    section_and_author, server, type_into, wait_for, wait_for_url,
};
use crate::{browser, set_viewport, start_driver};
use fantoccini::{Client, Locator};
use serde_json::json;
use std::time::{Duration, Instant};

const ENTER: &str = "\u{E007}";

/// Types into the visual editor where its caret is, as a person does.
async fn type_in_editor(c: &Client, text: &str) {
    let editor = wait_for(c, ".pm-content").await;
    editor.send_keys(text).await.unwrap_or_else(|e| panic!("type {text:?} into the visual editor: {e}"));
}

/// Clicks a toolbar button by its label.
async fn tool(c: &Client, label: &str) {
    let found =
        c.find(Locator::XPath(&format!("//div[@class='pm-toolbar']/button[normalize-space(.)='{label}']"))).await;
    let button = match found {
        Ok(button) => button,
        Err(e) => panic!("no toolbar button {label:?}: {e}; the page says: {}", page_says(c).await),
    };
    button.click().await.unwrap_or_else(|e| panic!("click the toolbar's {label:?}: {e}"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_writer_makes_a_subheading_a_quote_and_an_inline_picture_without_markdown() {
    let server = server();
    let (base, store) = (server.base.clone(), server.store.clone());
    let email = new_editor(&store, "browser-visual").await;
    let (section, _, author) = section_and_author(&store).await;
    let hero = picture_file(7);
    let headline = format!("Old bridge reopens to buses {}", std::process::id());

    let driver = start_driver().await;
    let c = browser(&driver).await;
    set_viewport(&c, 1280, 900).await;
    log_in(&c, &base, &email).await;
    goto(&c, &format!("{base}/newsroom/articles/new")).await;
    // The plain field gives way to the editor, which the label still names.
    let hidden = js(&c, "return document.querySelector('#f-body').hidden;", vec![]).await;
    assert_eq!(hidden, json!(true), "the Markdown field is hidden behind the visual editor");
    let name = js(
        &c,
        "const e = document.querySelector('.pm-content'); return document.getElementById(e.getAttribute('aria-labelledby')).textContent;",
        vec![],
    )
    .await;
    assert_eq!(name, json!("Text"), "the editor is labelled by the field's label");

    type_into(&c, "#f-headline", &headline).await;
    type_into(&c, "#f-standfirst", "Buses cross the old bridge again from Monday after a year of repairs.").await;
    choose(&c, "#f-section", &section.to_string()).await;
    choose(&c, "#f-author-1", &author.to_string()).await;

    click(&c, ".pm-content").await;
    type_in_editor(&c, "The old bridge reopened to buses on Monday.").await;
    type_in_editor(&c, ENTER).await;
    tool(&c, "Subheading").await;
    type_in_editor(&c, "What changes for riders").await;
    type_in_editor(&c, ENTER).await;
    type_in_editor(&c, "Three routes return to the river crossing.").await;
    type_in_editor(&c, ENTER).await;
    tool(&c, "Quote").await;
    type_in_editor(&c, "We kept our promise to the east side.").await;
    // The quote comes with its attribution line, which says what goes in it.
    let placeholder = js(
        &c,
        "const a = document.querySelector('.pm-content blockquote .attribution'); return a && a.dataset.placeholder;",
        vec![],
    )
    .await;
    assert_eq!(placeholder, json!("Who said it: name, role"), "the empty attribution line asks for a name");
    click(&c, ".pm-content blockquote .attribution").await;
    type_in_editor(&c, "Mara Lind, transport councillor").await;
    tool(&c, "Picture").await;
    let first = wait_for(&c, ".pm-chooser .pm-picture").await;
    first.click().await.expect("choose the first library picture");
    let caption = wait_for(&c, ".pm-content figure.picture input[id$='-caption']").await;
    caption.clear().await.expect("clear the caption");
    caption.send_keys("The bridge at dawn on Monday").await.expect("type the caption");
    // A change is committed when the field is left.
    click(&c, ".pm-content figure.picture + p").await;
    type_in_editor(&c, "Traffic will be counted for a month.").await;

    // The form carries the Markdown the site renders.
    let markdown = js(&c, "return document.querySelector('#f-body').value;", vec![]).await;
    let markdown = markdown.as_str().unwrap_or_default().to_string();
    assert!(markdown.contains("## What changes for riders"), "{markdown}");
    assert!(
        markdown.contains("> We kept our promise to the east side.\n>\n> — Mara Lind, transport councillor"),
        "{markdown}"
    );
    assert!(markdown.contains("\"The bridge at dawn on Monday\")"), "{markdown}");

    let path = hero.path().to_str().expect("the temporary file's path is text");
    wait_for(&c, "#f-hero-file").await.send_keys(path).await.expect("choose the hero picture");
    type_into(&c, "#f-hero-alt", "Buses on a stone bridge").await;
    type_into(&c, "#f-hero-caption", "The first bus over the bridge").await;
    type_into(&c, "#f-hero-credit", "Photo: Test Agency").await;
    click(&c, "button[name=intent][value=publish]").await;
    let url = wait_for_url(&c, "the editor after Publish now", |u| u.contains("done=published")).await;
    let path = public_path(&store, article_id_in(&url)).await;

    goto(&c, &format!("{base}{path}")).await;
    let started = Instant::now();
    let page = loop {
        let page = js(
            &c,
            "const q = (s) => document.querySelector(s);
             const img = q('.article-body figure.picture img');
             return {
               subheadings: [...document.querySelectorAll('.article-body h2')].map(h => h.textContent.trim()),
               quote: q('.article-body figure.quote blockquote') ? q('.article-body figure.quote blockquote').textContent.trim() : null,
               attribution: q('.article-body figure.quote figcaption') ? q('.article-body figure.quote figcaption').textContent.trim() : null,
               picture: img ? img.getAttribute('src') : null,
               loaded: img ? img.complete && img.naturalWidth > 0 : false,
               caption: q('.article-body figure.picture figcaption') ? q('.article-body figure.picture figcaption').textContent.trim() : null,
               paragraphs: [...document.querySelectorAll('.article-body > p, .article-body p')].map(p => p.textContent.trim()),
             };",
            vec![],
        )
        .await;
        if page["loaded"] == json!(true) || started.elapsed() > Duration::from_secs(10) {
            break page;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    c.close().await.expect("close the browser");
    assert_eq!(page["subheadings"], json!(["What changes for riders"]), "{path}: {page}");
    assert_eq!(page["quote"], json!("We kept our promise to the east side."), "{path}: {page}");
    assert_eq!(page["attribution"], json!("— Mara Lind, transport councillor"), "{path}: {page}");
    assert!(page["picture"].as_str().is_some_and(|s| s.starts_with("/media/")), "{path}: the inline picture: {page}");
    assert_eq!(page["loaded"], json!(true), "{path}: the inline picture loads: {page}");
    assert_eq!(page["caption"], json!("The bridge at dawn on Monday"), "{path}: {page}");
    let paragraphs = page["paragraphs"].to_string();
    assert!(paragraphs.contains("Traffic will be counted for a month."), "{path}: {page}");
    assert!(!paragraphs.contains("##") && !paragraphs.contains("—  "), "{path}: no Markdown shows: {page}");
}

/// A schedule refused in the browser says every problem at once and keeps what was typed: the
/// time (in the site's zone, as entered), the tags and the picture's texts, so the second
/// submit only fixes what was wrong.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_schedule_keeps_every_value_typed() {
    let server = server();
    let (base, store) = (server.base.clone(), server.store.clone());
    let email = new_editor(&store, "browser-schedule").await;
    let user = store.user_by_email(&email).await.expect("lookup").expect("the editor exists");
    let (section, _, author) = section_and_author(&store).await;
    let draft = courant_core::ArticleDraft {
        headline: format!("Ferry timetable changes {}", std::process::id()),
        standfirst: "The night ferry leaves earlier from next week.".into(),
        body: "The night ferry will leave at ten.".into(),
        section_id: Some(courant_core::SectionId(section)),
        author_ids: vec![courant_core::AuthorId(author)],
        ..Default::default()
    };
    let id = store.create_article(&draft, user.id, time::OffsetDateTime::now_utc()).await.expect("create the draft");

    let driver = start_driver().await;
    let c = browser(&driver).await;
    set_viewport(&c, 1280, 900).await;
    log_in(&c, &base, &email).await;
    goto(&c, &format!("{base}/newsroom/articles/{id}")).await;
    type_into(&c, "#f-tags", "Ferries, Timetables").await;
    type_into(&c, "#f-hero-caption", "The night ferry at the quay").await;
    // A time gone by (a year ago), as the date and time field holds it.
    let past = format!("{}-06-01T09:30", time::OffsetDateTime::now_utc().year() - 1);
    js(
        &c,
        "const f = document.querySelector('#f-schedule-at'); f.value = arguments[0]; \
         f.dispatchEvent(new Event('input', { bubbles: true })); f.dispatchEvent(new Event('change', { bubbles: true }));",
        vec![json!(past)],
    )
    .await;
    click(&c, "button[name=intent][value=schedule]").await;
    let errors = loop {
        let e = js(&c, "const e = document.querySelector('.errors'); return e ? e.innerText : null;", vec![]).await;
        if let Some(text) = e.as_str() {
            break text.to_string();
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    let kept = js(
        &c,
        "return { at: document.querySelector('#f-schedule-at').value, tags: document.querySelector('#f-tags').value,
                  caption: document.querySelector('#f-hero-caption').value };",
        vec![],
    )
    .await;
    c.close().await.expect("close the browser");
    assert!(errors.contains("Publication time"), "the time is refused: {errors}");
    assert!(errors.to_lowercase().contains("picture"), "and, at once, the missing picture: {errors}");
    assert_eq!(kept["at"], json!(past), "the time stays as typed: {kept}");
    assert_eq!(kept["tags"], json!("Ferries, Timetables"), "{kept}");
    assert_eq!(kept["caption"], json!("The night ferry at the quay"), "{kept}");
}

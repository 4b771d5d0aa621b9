//! Issue 19, the article editor: the checklist "Before publishing" lists every requirement of
//! publication on the page itself, each done or missing (so it holds without script); a new
//! story's first autosave creates its draft, once, and the next ones update it; the previews
//! show the story's picture with its caption and credit, as readers will see it.

use super::server::Server;
use super::*;
use courant_core::{ArticleDraft, ArticleId, Role, Status, UserId};
use courant_store::NewsroomFilter;
use serde_json::Value;
use time::OffsetDateTime;

/// The fields the checklist's items read, in its order: what publishing checks.
const CHECKED: [&str; 9] =
    ["headline", "standfirst", "body", "section", "author", "hero_file", "hero_alt", "hero_caption", "hero_credit"];

/// The checklist of an editor page: each item's field and whether it is marked done.
fn checklist(r: &Resp) -> Vec<(String, bool)> {
    let doc = r.html();
    let items = select_all(&doc, "section.checklist ul.checks > li")
        .into_iter()
        .map(|li| (attr(li, "data-check"), attr(li, "class").split_whitespace().any(|c| c == "done")))
        .collect();
    items
}

/// The fields of the items marked done.
fn done(items: &[(String, bool)]) -> Vec<&str> {
    items.iter().filter(|(_, done)| *done).map(|(field, _)| field.as_str()).collect()
}

/// The text of the first element matching `css`, empty when there is none.
fn text_of(r: &Resp, css: &str) -> String {
    let doc = r.html();
    let found = first(&doc, css).map(text).unwrap_or_default();
    found
}

/// An attribute of the editor's form.
fn form_attr(r: &Resp, name: &str) -> String {
    let doc = r.html();
    let value = first(&doc, "form#editor-form").map(|f| attr(f, name)).unwrap_or_default();
    value
}

/// How many articles `owner` has, whatever their status.
async fn owned_by(server: &Server, owner: UserId) -> i64 {
    let filter = NewsroomFilter { owner: Some(owner), ..Default::default() };
    server
        .store(move |s| async move { s.newsroom_articles(&filter, 10, 0).await })
        .await
        .expect("list the owner's articles")
        .total
}

fn json(r: &Resp) -> Value {
    serde_json::from_str(&r.body).unwrap_or_else(|e| panic!("{}: the answer is not JSON ({e})", show(r)))
}

// Issue 19: the checklist lists every requirement publishing checks, each marked done or
// missing in the page (without script too), and names the field the editor's script reads to
// tick it again while the writer types.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_checklist_lists_every_requirement_done_or_missing() {
    let app = app();
    let f = &app.fixture;
    let server = Server::shared();
    let (user, email) = server.new_user(Role::Editor, "checklist").await;
    let session = server.login(&email, PASSWORD).await;

    // A new story: only its section is chosen (the first); this writer has no byline of their own.
    let r = server.get(&session, "/newsroom/articles/new").await;
    assert_eq!(r.status, 200, "{}", show(&r));
    let items = checklist(&r);
    let fields: Vec<&str> = items.iter().map(|(field, _)| field.as_str()).collect();
    assert_eq!(fields, CHECKED, "every requirement, in order; {}", show(&r));
    assert_eq!(done(&items), ["section"], "a new story has only its section; {}", show(&r));
    assert_eq!(text_of(&r, "#checklist-summary"), "Still needed: 8 of 9");

    // A draft with its text, section and byline, but no picture.
    let id = server.draft_owned_by(user.id, &format!("Checklist draft {}", unique("checklist"))).await;
    let path = format!("/newsroom/articles/{id}");
    let r = server.get(&session, &path).await;
    assert_eq!(r.status, 200, "{}", show(&r));
    let items = checklist(&r);
    assert_eq!(items.len(), CHECKED.len(), "{items:?}");
    assert_eq!(done(&items), ["headline", "standfirst", "body", "section", "author"], "{items:?}");
    let missing = text_of(&r, "section.checklist li.missing");
    assert!(missing.contains("a main picture"), "the first missing item is the picture: {missing:?}");
    assert_eq!(text_of(&r, "#checklist-summary"), "Still needed: 4 of 9");

    // Its picture chosen in the library, with its alt text, caption and credit: ready.
    let hero = f.main.hero.as_ref().expect("fixture: the main story has a picture").id.0.to_string();
    let r = server
        .post_form(&session, &format!("{path}/hero"), &[("csrf", session.csrf.as_str()), ("image_id", hero.as_str())])
        .await;
    assert_eq!(r.status, 303, "choosing the picture; {}", show(&r));
    let r = server.get(&session, &path).await;
    let items = checklist(&r);
    assert!(items.len() == CHECKED.len() && items.iter().all(|(_, done)| *done), "{items:?}");
    assert_eq!(text_of(&r, "#checklist-summary"), "Ready to publish");
    let doc = r.html();
    assert!(first(&doc, "section.checklist.ready").is_some(), "the complete checklist is marked ready");
    assert!(
        first(&doc, "section.checklist li[data-check=hero_file][data-kept=true]").is_some(),
        "the picture item says the story has its picture, whatever the file field holds"
    );
}

// Issue 19: a new story autosaves from its first words. The first autosave creates the draft
// (and says where it lives); the next ones, sent where the first answer said, update it:
// exactly one article. A request without the form's token, or without a headline, creates
// nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_storys_first_autosave_creates_one_draft_and_the_next_ones_update_it() {
    let server = Server::shared();
    let (user, email) = server.new_user(Role::Contributor, "autosave-new").await;
    let session = server.login(&email, PASSWORD).await;
    let r = server.get(&session, "/newsroom/articles/new").await;
    assert_eq!(r.status, 200, "{}", show(&r));
    let autosave = form_attr(&r, "data-autosave");
    assert_eq!(autosave, "/newsroom/articles/new/autosave", "a new story autosaves too");
    assert_eq!(form_attr(&r, "data-draft"), "new");
    let headline = format!("Autosaved from the first words {}", unique("autosave-new"));
    let typed =
        with(form_fields(&r.body, "form#editor-form"), &[("headline", headline.as_str()), ("body", "First words.")]);

    let forged = server.post_form(&session, &autosave, &with(typed.clone(), &[("csrf", "")])).await;
    assert_eq!(forged.status, 403, "no token, no draft; {}", show(&forged));
    let untitled = server.post_form(&session, &autosave, &with(typed.clone(), &[("headline", " ")])).await;
    assert_eq!(untitled.status, 422, "a draft needs a headline; {}", show(&untitled));
    assert_eq!(owned_by(&server, user.id).await, 0, "refused autosaves created nothing");

    let r = server.post_form(&session, &autosave, &typed).await;
    assert_eq!(r.status, 200, "the first autosave; {}", show(&r));
    let first_answer = json(&r);
    let id = ArticleId(first_answer["id"].as_i64().unwrap_or_else(|| panic!("no draft id in {first_answer}")));
    assert_eq!(first_answer["version"], 1, "{first_answer}");
    assert_eq!(first_answer["edit_url"], format!("/newsroom/articles/{id}"), "{first_answer}");
    assert_eq!(first_answer["autosave_url"], format!("/newsroom/articles/{id}/autosave"), "{first_answer}");
    assert_eq!(first_answer["preview_url"], format!("/newsroom/preview?article={id}"), "{first_answer}");
    assert_eq!(owned_by(&server, user.id).await, 1, "one draft");
    let draft = server.article(id).await;
    let saved = (draft.status, draft.headline.as_str(), draft.body.as_str());
    assert_eq!(saved, (Status::Draft, headline.as_str(), "First words."), "the draft holds what was typed");

    // The script moved the form to the draft: its autosave route and the version answered.
    let next_url = first_answer["autosave_url"].as_str().unwrap_or_default().to_string();
    let more = "First words, and more after them.";
    let next = with(typed, &[("version", "1"), ("body", more)]);
    let r = server.post_form(&session, &next_url, &next).await;
    assert_eq!(r.status, 200, "the second autosave; {}", show(&r));
    let second_answer = json(&r);
    assert_eq!(second_answer["version"], 2, "{second_answer}");
    assert_eq!(owned_by(&server, user.id).await, 1, "still one draft: the second autosave updated it");
    assert_eq!(server.article(id).await.body, more);
    let revisions = server.store(move |s| async move { s.revisions(id).await }).await.expect("revisions");
    let notes: Vec<&str> = revisions.iter().map(|r| r.note.as_str()).collect();
    assert_eq!(notes, ["autosave", "created"], "{revisions:?}");

    // Opened again, the draft's editor autosaves over it.
    let r = server.get(&session, &format!("/newsroom/articles/{id}")).await;
    assert_eq!(r.status, 200, "{}", show(&r));
    assert_eq!(form_attr(&r, "data-autosave"), next_url);
    assert_eq!(form_attr(&r, "data-draft"), "", "a saved story is no new one");
}

// Issue 19: the live preview and "Preview in a new tab" show the story's picture, with its
// caption and credit as the form has them, as the public page does; a new story has none yet.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn previews_show_the_picture_with_its_caption_and_credit() {
    let app = app();
    let f = &app.fixture;
    let server = Server::shared();
    let (user, email) = server.new_user(Role::Contributor, "preview").await;
    let session = server.login(&email, PASSWORD).await;
    let hero = f.main.hero.as_ref().expect("fixture: the main story has a picture").id;
    let (owner, headline) = (user.id, format!("Previewed with its picture {}", unique("preview")));
    let id = server
        .store(move |s| async move {
            let section = s.sections().await.expect("sections").first().map(|x| x.id);
            let draft = ArticleDraft {
                headline,
                standfirst: "A story whose picture the preview shows.".into(),
                body: "A first paragraph.\n\nA second paragraph.".into(),
                section_id: section,
                hero_image_id: Some(hero),
                ..Default::default()
            };
            s.create_article(&draft, owner, OffsetDateTime::now_utc()).await
        })
        .await
        .expect("a draft with a picture");

    let r = server.get(&session, &format!("/newsroom/articles/{id}")).await;
    assert_eq!(r.status, 200, "{}", show(&r));
    let preview = form_attr(&r, "data-preview");
    assert_eq!(preview, format!("/newsroom/preview?article={id}"), "the preview knows the story");
    {
        let doc = r.html();
        let tabs: Vec<String> =
            select_all(&doc, "form#editor-form [formaction]").into_iter().map(|b| attr(b, "formaction")).collect();
        assert!(tabs.contains(&preview), "“Preview in a new tab” posts to the same address: {tabs:?}");
    }
    let fields = form_fields(&r.body, "form#editor-form");
    let shown = server.post_form(&session, &preview, &fields).await;
    assert_eq!(shown.status, 200, "{}", show(&shown));
    let caption = text_of(&shown, "figure.hero figcaption");
    assert!(
        caption.contains(HERO_CAPTION) && caption.contains(HERO_CREDIT),
        "the preview shows the picture's caption and credit: {caption:?}"
    );
    let doc = shown.html();
    let alt = first(&doc, "figure.hero img").map(|i| attr(i, "alt")).unwrap_or_default();
    assert_eq!(alt, HERO_ALT, "the preview's picture and its alt text");

    // The caption as typed, before any save.
    let retyped = with(fields.clone(), &[("hero_caption", "Cranes as the writer sees them now")]);
    let shown = server.post_form(&session, &preview, &retyped).await;
    assert_eq!(shown.status, 200, "{}", show(&shown));
    let caption = text_of(&shown, "figure.hero figcaption");
    assert!(caption.contains("Cranes as the writer sees them now"), "the caption as typed: {caption:?}");

    // A new story has no picture to show yet.
    let r = server.get(&session, "/newsroom/articles/new").await;
    assert_eq!(form_attr(&r, "data-preview"), "/newsroom/preview");
    let blank = with(form_fields(&r.body, "form#editor-form"), &[("headline", "A story without a picture")]);
    let shown = server.post_form(&session, "/newsroom/preview", &blank).await;
    assert_eq!(shown.status, 200, "{}", show(&shown));
    assert!(first(&shown.html(), "figure.hero").is_none(), "no picture in a new story's preview");

    // Someone who may not open the story cannot preview it with its picture either.
    let (_, other_email) = server.new_user(Role::Contributor, "preview-other").await;
    let other = server.login(&other_email, PASSWORD).await;
    let theirs = server.post_form(&other, &preview, &with(fields, &[("csrf", other.csrf.as_str())])).await;
    assert_eq!(theirs.status, 403, "another contributor's story; {}", show(&theirs));
}

//! Issue #19, the newsroom's part: a refused schedule lists every problem at once and the form
//! keeps everything typed; times are typed and shown in the site's zone; the editor says what
//! each action did; a new story carries its writer's byline; the menu marks the page one is on;
//! the list says when a scheduled story is planned for. (Unpublishing with a reason is in
//! `editing.rs`, beside publishing.)

use super::server::Server;
use super::*;
use courant_core::{AuthorId, Role, Status};
use courant_store::NewUser;
use time::OffsetDateTime;

/// The site's zone for the scheduling test: not UTC, so that a time shown or read in UTC shows.
const ZONE: &str = "Europe/Paris";

/// Every value a form holds for `name`, in order.
fn values_of(fields: &Fields, name: &str) -> Vec<String> {
    fields.iter().filter(|(k, _)| k == name).map(|(_, v)| v.clone()).collect()
}

/// The editor's form with these authors chosen in its selects (the rest left at "—") and these
/// sources ticked, as a writer would.
fn choosing(fields: Fields, authors: &[String], sources: &[String]) -> Fields {
    let mut out = without(without(fields, "author"), "source");
    let slots = authors.iter().cloned().chain(std::iter::repeat(String::new())).take(4);
    out.extend(slots.map(|a| ("author".to_string(), a)));
    out.extend(sources.iter().map(|s| ("source".to_string(), s.clone())));
    out
}

/// What the tests type into the editor besides its text.
struct Typed<'a> {
    schedule_at: &'a str,
    tags: &'a str,
    related: &'a str,
    authors: &'a [String],
    sources: &'a [String],
    hero: [&'a str; 3],
}

/// Asserts that the editor's form on `r`'s page holds everything in `typed`.
fn assert_kept(r: &Resp, step: &str, typed: &Typed<'_>) {
    let kept = form_fields(&r.body, "form#editor-form");
    let one = |name: &str| value_of(&kept, name);
    assert_eq!(one("schedule_at"), typed.schedule_at, "{step}: the publication time is kept; {}", show(r));
    assert_eq!(one("tags"), typed.tags, "{step}: the tags are kept");
    assert_eq!(one("related").trim(), typed.related, "{step}: the related story is kept");
    let authors: Vec<String> = values_of(&kept, "author").into_iter().filter(|a| !a.is_empty()).collect();
    assert_eq!(authors, typed.authors, "{step}: the authors are kept, in order");
    let mut sources = values_of(&kept, "source");
    sources.sort();
    let mut expected = typed.sources.to_vec();
    expected.sort();
    assert_eq!(sources, expected, "{step}: the sources stay ticked");
    let hero = [one("hero_alt"), one("hero_caption"), one("hero_credit")];
    assert_eq!(hero, typed.hero, "{step}: the picture's alt text, caption and credit are kept");
}

/// Issue #19: it took a writer four attempts to schedule a story, the time field emptying after
/// each refusal and each refusal naming one problem. Now every problem is listed at once, the
/// form keeps everything typed, and the time is read and shown in the site's zone.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_schedule_lists_every_problem_and_keeps_every_value() {
    let mut config = courant::Config::default();
    config.site.timezone = ZONE.into();
    let mut options = courant_demo::DemoOptions::new(8, OffsetDateTime::now_utc());
    options.picture_pool = 2;
    let server = Server::own(spawn_server(config, options));
    let clock = courant_render::SiteClock::new(ZONE).expect("Europe/Paris must load: install tzdata");
    let labels = courant_render::Labels::default();
    let (editor, email) = server.new_user(Role::Editor, "schedule").await;
    let session = server.login(&email, PASSWORD).await;
    let (authors, sources, related) = server
        .store(|s| async move {
            let authors: Vec<String> =
                s.authors().await.expect("authors").iter().rev().take(2).map(|a| a.id.0.to_string()).collect();
            let sources: Vec<String> =
                s.sources().await.expect("sources").iter().take(2).map(|x| x.id.0.to_string()).collect();
            let published = s.published(&courant_store::ArticleFilter::All, 1, 0).await.expect("published");
            (authors, sources, published.items[0].id.0.to_string())
        })
        .await;
    assert_eq!((authors.len(), sources.len()), (2, 2), "the demo has two authors and two sources at least");
    let headline = format!("Night ferry timetable {}", unique("schedule"));
    let id = server.draft_owned_by(editor.id, &headline).await;
    let path = format!("/newsroom/articles/{id}");
    let past = clock.input_value(OffsetDateTime::now_utc() - time::Duration::hours(2));
    let typed = Typed {
        schedule_at: &past,
        tags: "Night ferries, Harbours",
        related: &related,
        authors: &authors,
        sources: &sources,
        hero: ["The night ferry leaving the harbour at dusk", "The last crossing of the evening", "Photo: Test Agency"],
    };

    // 1. No headline and a time gone by: both said at once; nothing is saved.
    let opened = server.editor_fields(&session, &path).await;
    let changes = [
        ("headline", ""),
        ("tags", typed.tags),
        ("related", typed.related),
        ("hero_alt", typed.hero[0]),
        ("hero_caption", typed.hero[1]),
        ("hero_credit", typed.hero[2]),
        ("schedule_at", typed.schedule_at),
        ("intent", "schedule"),
    ];
    let sent = choosing(with(opened, &changes), &authors, &sources);
    let r = server.post_form(&session, &path, &sent).await;
    assert_eq!(r.status, 422, "a schedule without a headline; {}", show(&r));
    let errors = errors_of(&r);
    assert!(
        errors.contains("Headline") && errors.contains("Publication time: choose a time in the future"),
        "every problem at once: {errors:?}"
    );
    assert_kept(&r, "refused content", &typed);
    assert_eq!(server.article(id).await.headline, headline, "nothing saved");

    // 2. The headline back, the time still gone by, and no picture: the content is saved, the
    //    schedule refused with both reasons, and the form still holds the time and the texts
    //    typed for the picture.
    let fixed = format!("{headline}, revised");
    let sent = with(form_fields(&r.body, "form#editor-form"), &[("headline", fixed.as_str()), ("intent", "schedule")]);
    let r = server.post_form(&session, &path, &sent).await;
    assert_eq!(r.status, 422, "a schedule in the past of a story without a picture; {}", show(&r));
    let errors = errors_of(&r);
    assert!(
        errors.contains("Publication time: choose a time in the future") && errors.contains("a main picture"),
        "the time and the picture at once: {errors:?}"
    );
    let notice = first(&r.html(), "p.notice").map(text).unwrap_or_default();
    assert!(notice.contains("saved, but the story is not scheduled"), "the notice: {notice:?}");
    assert_kept(&r, "refused schedule", &typed);
    let article = server.article(id).await;
    assert_eq!((article.headline.as_str(), article.status), (fixed.as_str(), Status::Draft), "saved, not scheduled");

    // 3. A time to come, 09:00 in Paris in three days, and a picture: scheduled for then.
    let day = clock.local(OffsetDateTime::now_utc() + time::Duration::days(3)).date();
    let nine = time::Time::from_hms(9, 0, 0).expect("09:00");
    let when = clock.from_local(time::PrimitiveDateTime::new(day, nine));
    let future = format!("{day}T09:00");
    let sent =
        with(form_fields(&r.body, "form#editor-form"), &[("schedule_at", future.as_str()), ("intent", "schedule")]);
    let picture = jpeg(800, 450, 19);
    let file = FilePart { field: "hero_file", file_name: "ferry.jpg", content_type: "image/jpeg", bytes: &picture };
    let r = server.post_multipart(&session, &path, &sent, &[file]).await;
    assert_eq!(r.status, 303, "the schedule, now complete; {}", show(&r));
    let location = r.header("location").unwrap_or_default().to_string();
    assert!(location.ends_with("done=scheduled"), "{}", show(&r));
    let article = server.article(id).await;
    assert_eq!((article.status, article.published_at), (Status::Scheduled, Some(when)), "09:00 in {ZONE}, not UTC");
    let shown = clock.format(when, &labels.datetime_format, &labels);
    assert!(shown.ends_with("09:00"), "{shown}");

    // What the editor says, and its times: all in the site's zone.
    let done = server.get(&session, &location).await;
    assert_eq!(done.status, 200, "{}", show(&done));
    let doc = done.html();
    let notice = first(&doc, "p.notice").map(text).unwrap_or_default();
    assert_eq!(notice, format!("Scheduled for {shown} ({ZONE})."), "the outcome names the time and zone");
    // A scheduled story's time is changed by cancelling the schedule first: no time field now.
    assert!(first(&doc, "#f-schedule-at").is_none(), "no schedule field on a scheduled story");
    let publication = first(&doc, ".article-meta .publication").map(text).unwrap_or_default();
    assert_eq!(publication, format!("Scheduled for {shown} ({ZONE})"), "the article's line of facts");
    let saved = first(&doc, ".article-meta .last-saved").map(text).unwrap_or_default();
    let updated = clock.format(article.updated_at, &labels.datetime_format, &labels);
    assert_eq!(saved, format!("Last saved {updated} ({ZONE})"), "“Last saved” in the site's zone");

    // The list: "Scheduled for" the planned time, in the site's zone.
    let list = server.get(&session, "/newsroom/articles?status=scheduled").await;
    assert_eq!(list.status, 200, "{}", show(&list));
    let doc = list.html();
    let row = select_all(&doc, "table.article-table tr")
        .into_iter()
        .find(|tr| hrefs_in(*tr).contains(&path))
        .map(text)
        .unwrap_or_else(|| panic!("the scheduled story is not listed: {}", show(&list)));
    assert!(row.contains(&format!("Scheduled for {shown}")), "the list's row: {row:?}");
    let count = first(&doc, "p.count").map(text).unwrap_or_default();
    assert!(count.contains(ZONE), "the list names the zone of its times: {count:?}");
}

/// Inserts a user whose byline is `author` (none: no author profile); answers their email.
async fn user_with_byline(server: &Server, role: Role, author: Option<AuthorId>) -> String {
    let email = format!("{}@newsroom.test.example", unique("byline"));
    let new = NewUser {
        email: email.clone(),
        name: format!("Bylined {email}"),
        role,
        password_hash: password_hash().await,
        must_change_password: false,
        author_id: author,
    };
    let inserted = server.store(move |s| async move { s.insert_user(&new, None, OffsetDateTime::now_utc()).await });
    inserted.await.unwrap_or_else(|e| panic!("insert a user with a byline: {e}"));
    email
}

/// Issue #19: a new story's first author is the writer's own author profile, the other slots
/// empty; a writer without one is told why none is chosen.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_story_carries_its_writers_byline() {
    let f = &app().fixture;
    let server = Server::shared();
    let author = f.co_author.id;
    let email = user_with_byline(&server, Role::Contributor, Some(author)).await;
    let session = server.login(&email, PASSWORD).await;
    let r = server.get(&session, "/newsroom/articles/new").await;
    assert_eq!(r.status, 200, "{}", show(&r));
    let chosen = values_of(&form_fields(&r.body, "form#editor-form"), "author");
    assert_eq!(chosen, [author.0.to_string(), String::new(), String::new(), String::new()], "the byline slots");
    let doc = r.html();
    let selected = select_all(&doc, "select#f-author-1 option[selected]").into_iter().map(text).collect::<Vec<_>>();
    assert_eq!(selected, [f.co_author.name.clone()], "the first slot shows the writer's own name");
    assert!(first(&doc, "fieldset.author-slots p.help").is_none(), "no hint for a writer with a byline");
    // Sent as it is, the story is theirs.
    let headline = format!("Bylined story {}", unique("byline"));
    let changes = [("headline", headline.as_str()), ("standfirst", "A standfirst."), ("intent", "save")];
    let id = server.create(&session, &changes, &[]).await;
    let authors: Vec<AuthorId> = server.article(id).await.authors.iter().map(|a| a.id).collect();
    assert_eq!(authors, [author], "the new story's byline");

    let email = user_with_byline(&server, Role::Contributor, None).await;
    let session = server.login(&email, PASSWORD).await;
    let r = server.get(&session, "/newsroom/articles/new").await;
    let chosen = values_of(&form_fields(&r.body, "form#editor-form"), "author");
    assert!(chosen.iter().all(String::is_empty), "no byline is made up: {chosen:?}");
    let hint = first(&r.html(), "fieldset.author-slots p.help").map(text).unwrap_or_default();
    assert!(hint.contains("no author profile"), "the writer is told why: {hint:?}");
}

/// Issue #19: the editor says what each action did, in words that fit the story's status.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_editor_says_what_each_action_did() {
    let f = &app().fixture;
    let server = Server::shared();
    let (_, email) = server.new_user(Role::Editor, "outcomes").await;
    let session = server.login(&email, PASSWORD).await;
    let notice = |r: &Resp| first(&r.html(), "p.notice").map(text).unwrap_or_default();
    let follow = |r: &Resp| r.header("location").unwrap_or_default().to_string();

    let headline = format!("Outcome story {}", unique("outcomes"));
    let section = f.news.id.0.to_string();
    let changes = [("headline", headline.as_str()), ("section", section.as_str()), ("intent", "save")];
    let form = with(server.editor_fields(&session, "/newsroom/articles/new").await, &changes);
    let r = server.post_multipart(&session, "/newsroom/articles", &form, &[]).await;
    assert_eq!(r.status, 303, "{}", show(&r));
    let id = article_id_in(&r);
    let page = server.get(&session, &follow(&r)).await;
    assert!(notice(&page).starts_with("Saved as a draft"), "after creating: {:?}", notice(&page));
    let r = server.save(&session, id, &[("intent", "submit")]).await;
    assert_eq!(r.status, 303, "{}", show(&r));
    let page = server.get(&session, &follow(&r)).await;
    assert!(notice(&page).starts_with("Sent for review"), "after submitting: {:?}", notice(&page));
    let r = server.save(&session, id, &[("standfirst", "Now with a standfirst."), ("intent", "save")]).await;
    let page = server.get(&session, &follow(&r)).await;
    assert!(notice(&page).contains("waits for an editor’s review"), "saved in review: {:?}", notice(&page));

    // A published story saved: the live page shows it now, and a link leads there.
    let page = server.get(&session, &format!("/newsroom/articles/{}?done=saved", f.main.id)).await;
    assert_eq!(page.status, 200, "{}", show(&page));
    assert_eq!(notice(&page), "Updated — the live page now shows this version. View it on the site");
    let links = first(&page.html(), "p.notice").map(hrefs_in).unwrap_or_default();
    assert_eq!(links, [f.main_path.clone()], "the notice links to the live page");
    // A message that is no longer true is not shown (the story is no draft).
    let page = server.get(&session, &format!("/newsroom/articles/{}?done=created", f.main.id)).await;
    assert!(first(&page.html(), "p.notice").is_none(), "{}", show(&page));
}

/// Issue #19: the menu marks the page one is on, and the area a page belongs to (an article's
/// editor is under Articles, a picture under Media), with aria-current and a style of its own.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_menu_marks_the_page_one_is_on() {
    let f = &app().fixture;
    let server = Server::shared();
    let (admin, email) = server.new_user(Role::Admin, "menu").await;
    let session = server.login(&email, PASSWORD).await;
    let id = server.draft_owned_by(admin.id, &format!("Menu draft {}", unique("menu"))).await;
    let hero = f.main.hero.as_ref().expect("fixture: the main article has a hero").id;
    let copy = courant_core::WireItem {
        source: "Menu Wire".into(),
        headline: "Menu check copy".into(),
        body_html: "<p>Copy.</p>".into(),
        ..Default::default()
    };
    let wire = server.wire_item("menu-wire", copy).await;
    let pages: Vec<(String, &str)> = vec![
        ("/newsroom/".into(), "/newsroom/"),
        ("/newsroom/articles".into(), "/newsroom/articles"),
        ("/newsroom/articles?status=draft".into(), "/newsroom/articles"),
        ("/newsroom/articles/new".into(), "/newsroom/articles/new"),
        (format!("/newsroom/articles/{id}"), "/newsroom/articles"),
        (format!("/newsroom/articles/{id}/revisions"), "/newsroom/articles"),
        ("/newsroom/media".into(), "/newsroom/media"),
        (format!("/newsroom/media/{hero}"), "/newsroom/media"),
        ("/newsroom/wire".into(), "/newsroom/wire"),
        (format!("/newsroom/wire/{wire}"), "/newsroom/wire"),
        ("/newsroom/wire/feeds".into(), "/newsroom/wire"),
        ("/newsroom/front".into(), "/newsroom/front"),
        ("/newsroom/pages".into(), "/newsroom/pages"),
        ("/newsroom/sections".into(), "/newsroom/sections"),
        (format!("/newsroom/sections/{}", f.news.id), "/newsroom/sections"),
        ("/newsroom/tags".into(), "/newsroom/tags"),
        ("/newsroom/authors".into(), "/newsroom/authors"),
        (format!("/newsroom/authors/{}", f.author.id), "/newsroom/authors"),
        ("/newsroom/sources".into(), "/newsroom/sources"),
        (format!("/newsroom/sources/{}", f.sources[0].id), "/newsroom/sources"),
        ("/newsroom/newsletters".into(), "/newsroom/newsletters"),
        ("/newsroom/subscribers".into(), "/newsroom/newsletters"),
        ("/newsroom/audit".into(), "/newsroom/audit"),
        ("/newsroom/users".into(), "/newsroom/users"),
        (format!("/newsroom/users/{}", admin.id), "/newsroom/users"),
        ("/newsroom/import".into(), "/newsroom/import"),
        ("/newsroom/settings".into(), "/newsroom/settings"),
    ];
    for (path, expected) in &pages {
        let r = server.get(&session, path).await;
        assert_eq!(r.status, 200, "{}", show(&r));
        let doc = r.html();
        let current: Vec<String> =
            select_all(&doc, "nav.nr-nav a[aria-current=page]").into_iter().map(|a| attr(a, "href")).collect();
        assert_eq!(current, [expected.to_string()], "GET {path}: the menu entry marked as the current page");
    }
    // A refused new story is still a new story.
    let form = with(server.editor_fields(&session, "/newsroom/articles/new").await, &[("headline", "")]);
    let r = server.post_multipart(&session, "/newsroom/articles", &form, &[]).await;
    assert_eq!(r.status, 422, "{}", show(&r));
    let marked: Vec<String> =
        select_all(&r.html(), "nav.nr-nav a[aria-current=page]").into_iter().map(|a| attr(a, "href")).collect();
    assert_eq!(marked, ["/newsroom/articles/new"], "the refused new story's menu");
    // The account page is in the bar above the menu.
    let r = server.get(&session, "/newsroom/account").await;
    let doc = r.html();
    assert!(select_all(&doc, "nav.nr-nav a[aria-current]").is_empty(), "no menu entry is the account page");
    let account: Vec<String> =
        select_all(&doc, ".nr-user a[aria-current=page]").into_iter().map(|a| attr(a, "href")).collect();
    assert_eq!(account, ["/newsroom/account"]);
    // And the mark shows, not only to screen readers.
    let css_url = first(&doc, "link[rel=stylesheet]").map(|l| attr(l, "href")).unwrap_or_default();
    let css = server.get(&session, &css_url).await;
    assert_eq!(css.status, 200, "{}", show(&css));
    assert!(css.body.contains(".nr-nav a[aria-current=\"page\"]"), "the stylesheet styles the current entry");
}

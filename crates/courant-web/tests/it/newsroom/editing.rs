//! Editing and publishing: a stale save is a conflict that keeps both versions, the publishing
//! checklist refuses incomplete stories, publishing and unpublishing show to readers at once,
//! scheduled stories publish once (also after a restart), and restoring a revision adds one.

use super::server::Server;
use super::*;
use courant_core::{ArticleDraft, Role, Status, article_path};
use courant_store::{AuditEntry, NewUser, Revision};
use std::time::{Duration, Instant};
use time::OffsetDateTime;

// ---- Optimistic concurrency -------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stale_version_is_a_conflict_and_keeps_both() {
    let server = Server::shared();
    let (editor, email) = server.new_user(Role::Editor, "conflict").await;
    let session = server.login(&email, PASSWORD).await;
    let id = server.draft_owned_by(editor.id, &format!("Conflict draft {}", unique("conflict"))).await;
    let path = format!("/newsroom/articles/{id}");
    // Two writers open the same version.
    let opened = server.editor_fields(&session, &path).await;
    let version: i64 = value_of(&opened, "version").parse().expect("the editor's version field is a number");
    let first_headline = format!("First writer saves this headline {}", unique("conflict"));
    let second_headline = format!("Second writer saves that headline {}", unique("conflict"));

    let r = server.post_form(&session, &path, &with(opened.clone(), &[("headline", first_headline.as_str())])).await;
    assert_eq!(r.status, 303, "the first save; {}", show(&r));
    let r = server.post_form(&session, &path, &with(opened, &[("headline", second_headline.as_str())])).await;
    assert_eq!(r.status, 409, "the second save, based on the version the first replaced; {}", show(&r));
    {
        let doc = r.html();
        let conflict = first(&doc, "section.conflict")
            .map(text)
            .unwrap_or_else(|| panic!("the 409 page has no section.conflict: {}", show(&r)));
        assert!(conflict.contains(&first_headline), "the conflict shows the saved version: {conflict:?}");
        assert!(conflict.contains(&second_headline), "the conflict shows the writer's version: {conflict:?}");
    }
    // The page's form holds the second writer's text over the saved version's number, so that
    // saving again (after merging) applies it.
    let again = form_fields(&r.body, "form#editor-form");
    assert_eq!(value_of(&again, "headline"), second_headline, "the 409 page keeps the writer's text in the form");
    assert_eq!(
        value_of(&again, "version"),
        (version + 1).to_string(),
        "the 409 page's form is based on the saved version"
    );

    let article = server.article(id).await;
    assert_eq!(article.headline, first_headline, "the first save stays; nothing was overwritten");
    let conflicts: Vec<Revision> = server
        .store(move |s| async move {
            let mut out = Vec::new();
            for info in s.revisions(id).await.expect("revisions").into_iter().filter(|r| r.conflict) {
                out.push(s.revision(id, info.id).await.expect("a revision").expect("a listed revision exists"));
            }
            out
        })
        .await;
    assert!(
        conflicts.iter().any(|r| r.content.headline == second_headline),
        "the refused save is kept as a conflict revision with its text: {conflicts:#?}"
    );
}

// ---- The publishing checklist -------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn publishing_refuses_incomplete_articles() {
    let app = app();
    let f = &app.fixture;
    let server = Server::shared();
    let (_, email) = server.new_user(Role::Editor, "incomplete").await;
    let session = server.login(&email, PASSWORD).await;
    let headline = format!("Story without a picture {}", unique("incomplete"));
    let (section, author) = (f.news.id.0.to_string(), f.author.id.0.to_string());
    let id = server
        .create(
            &session,
            &[
                ("headline", headline.as_str()),
                ("standfirst", "Everything but the picture."),
                ("body", "A first paragraph.\n\nA second paragraph."),
                ("section", section.as_str()),
                ("author", author.as_str()),
                ("intent", "save"),
            ],
            &[],
        )
        .await;

    let in_an_hour = OffsetDateTime::now_utc() + time::Duration::hours(1);
    let schedule_at = format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}",
        in_an_hour.year(),
        u8::from(in_an_hour.month()),
        in_an_hour.day(),
        in_an_hour.hour(),
        in_an_hour.minute()
    );
    for changes in [vec![("intent", "publish")], vec![("intent", "schedule"), ("schedule_at", schedule_at.as_str())]] {
        let r = server.save(&session, id, &changes).await;
        assert_eq!(r.status, 422, "{changes:?} on a story without a picture; {}", show(&r));
        let errors = errors_of(&r);
        assert!(
            errors.contains("a main picture"),
            "{changes:?}: the page should say a hero image is missing: {errors:?}"
        );
        let doc = r.html();
        // The checklist lists every requirement; those the story lacks are marked missing.
        let missing = select_all(&doc, "section.checklist li.missing").into_iter().map(text).collect::<Vec<_>>();
        let missing = missing.join(" | ");
        assert!(missing.contains("a main picture"), "{changes:?}: the checklist lacks the hero image: {missing:?}");
        for present in ["a standfirst", "a body", "at least one author"] {
            assert!(
                !missing.contains(present),
                "{changes:?}: the checklist marks {present:?} missing, which the story has: {missing:?}"
            );
        }
        let article = server.article(id).await;
        assert_eq!((article.status, article.published_at), (Status::Draft, None), "after {changes:?}: still a draft");
    }
    let article = server.article(id).await;
    let guess = article_path(&f.news.slug, OffsetDateTime::now_utc(), &article.slug);
    let r = app.get(&guess).await;
    assert_eq!(r.status, 404, "the refused story does not exist for readers; {}", r.describe());
    assert!(!r.body.contains(&headline), "GET {guess}: the headline leaked into the 404 page");
}

// ---- Publishing and unpublishing, as readers see it ------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn publish_then_unpublish_is_visible_at_once() {
    // Its own server: the shared one's home page and feeds are asserted exactly elsewhere.
    let mut options = courant_demo::DemoOptions::new(8, OffsetDateTime::now_utc());
    options.picture_pool = 2;
    let server = Server::own(spawn_server(courant::Config::default(), options));
    let anonymous = Session::anonymous();
    let (_, email) = server.new_user(Role::Editor, "publish").await;
    let session = server.login(&email, PASSWORD).await;
    let (section, author) = server
        .store(|s| async move {
            let section = s.sections().await.expect("sections").into_iter().find(|x| x.parent_id.is_none());
            let author = s.authors().await.expect("authors").into_iter().next();
            (section.expect("the demo has a top-level section"), author.expect("the demo has an author"))
        })
        .await;

    const SUBHEADING: &str = "Why the works took two years";
    const ATTRIBUTION: &str = "Ana Ribeiro, transport councillor";
    const ALT: &str = "A green tram on rails along the harbour wall";
    const CAPTION: &str = "The first tram of the morning on the harbour line";
    const CREDIT: &str = "Photo: Test Agency";
    let headline = format!("Harbour tram line reopens {}", unique("publish"));
    let body = format!(
        "The tram line along the harbour reopened on Monday after two years of works.\n\n\
         ## {SUBHEADING}\n\n\
         Crews replaced the rails and the overhead wires.\n\n\
         > The harbour has its tram back.\n>\n> — {ATTRIBUTION}\n\n\
         Trams run every ten minutes."
    );
    let (section_id, author_id) = (section.id.0.to_string(), author.id.0.to_string());
    let picture = jpeg(800, 450, 11);
    let id = server
        .create(
            &session,
            &[
                ("headline", headline.as_str()),
                ("standfirst", "Trams run again along the harbour from today."),
                ("body", body.as_str()),
                ("section", section_id.as_str()),
                ("author", author_id.as_str()),
                ("hero_alt", ALT),
                ("hero_caption", CAPTION),
                ("hero_credit", CREDIT),
                ("intent", "save"),
            ],
            &[FilePart { field: "hero_file", file_name: "tram.jpg", content_type: "image/jpeg", bytes: &picture }],
        )
        .await;
    let draft = server.article(id).await;
    let hero = draft.hero.as_ref().unwrap_or_else(|| panic!("the uploaded picture is the draft's hero: {draft:#?}"));
    assert_eq!((hero.alt.as_str(), hero.caption.as_str(), hero.credit.as_str()), (ALT, CAPTION, CREDIT));

    let r = server.save(&session, id, &[("intent", "publish")]).await;
    assert_eq!(r.status, 303, "publishing a complete story; {}", show(&r));
    assert!(r.header("location").is_some_and(|l| l.contains("done=published")), "{}", show(&r));
    let article = server.article(id).await;
    assert_eq!(article.status, Status::Published);
    let path = article.path().expect("a published story has an address");

    // At once: the story, the home page, its section and the feed.
    let page = server.get(&anonymous, &path).await;
    assert_eq!(page.status, 200, "the published story; {}", show(&page));
    {
        let doc = page.html();
        let h1 = first(&doc, "h1.headline").map(text).unwrap_or_default();
        assert_eq!(h1, headline, "GET {path}: the headline");
        let subheadings: Vec<String> = select_all(&doc, ".article-body h2").into_iter().map(text).collect();
        assert!(subheadings.iter().any(|h| h == SUBHEADING), "GET {path}: the body's subheading: {subheadings:?}");
        let quote = first(&doc, ".article-body figure.quote figcaption").map(text).unwrap_or_default();
        assert!(quote.contains(ATTRIBUTION), "GET {path}: the quote's attribution: {quote:?}");
        let caption = first(&doc, "figure.hero figcaption").map(text).unwrap_or_default();
        assert!(
            caption.contains(CAPTION) && caption.contains(CREDIT),
            "GET {path}: the hero's caption and credit: {caption:?}"
        );
        let alt = first(&doc, "figure.hero img").map(|i| attr(i, "alt")).unwrap_or_default();
        assert_eq!(alt, ALT, "GET {path}: the hero's alt text");
    }
    let home = server.get(&anonymous, "/").await;
    assert_eq!(home.status, 200, "{}", show(&home));
    assert!(links_to(&home, &path) && home.body.contains(&headline), "the home page shows the new story at once");
    let listing = server.get(&anonymous, &format!("/{}", section.slug)).await;
    assert_eq!(listing.status, 200, "{}", show(&listing));
    assert!(links_to(&listing, &path), "the section page /{} lists the new story at once", section.slug);
    let feed = server.get(&anonymous, "/rss.xml").await;
    assert_eq!(feed.status, 200, "{}", feed.describe());
    assert!(feed.body.contains(&headline) && feed.body.contains(&path), "/rss.xml carries the new story at once");

    // Issue #19: the editor says it is live and links to it.
    let done = server.get(&session, r.header("location").unwrap_or_default()).await;
    {
        let doc = done.html();
        let notice = first(&doc, "p.notice").unwrap_or_else(|| panic!("no notice after publishing: {}", show(&done)));
        assert!(text(notice).starts_with("Published"), "the notice: {:?}", text(notice));
        assert_eq!(hrefs_in(notice), [path.clone()], "the notice links to the story on the site");
    }

    // Issue #19: unpublishing is no button of the editor's form, but a form of its own that
    // asks why and for a confirmation; the server refuses it without either.
    {
        let doc = done.html();
        assert!(
            select_all(&doc, "form#editor-form button[value=unpublish]").is_empty(),
            "no Unpublish button beside Update: {}",
            show(&done)
        );
        let form = first(&doc, "form#unpublish-form").unwrap_or_else(|| panic!("no unpublish form: {}", show(&done)));
        assert_eq!(attr(form, "action"), format!("/newsroom/articles/{id}/unpublish"));
        assert_eq!(select_in(form, "textarea[name=reason][required]").len(), 1, "a required reason");
        assert_eq!(select_in(form, "input[type=checkbox][name=confirm][required]").len(), 1, "a required box");
        let section = first(&doc, "section.take-down h2").map(text).unwrap_or_default();
        assert_eq!(section, "Take this story off the site");
    }
    let head = server.audit_head().await;
    let r = server.save(&session, id, &[("intent", "unpublish")]).await;
    assert_eq!(r.status, 422, "the editor's form cannot unpublish (no reason); {}", show(&r));
    let r = server.unpublish(&session, id, &[]).await;
    assert_eq!(r.status, 422, "unpublishing without a reason or the box; {}", show(&r));
    let errors = errors_of(&r);
    assert!(errors.contains("Reason") && errors.contains("Confirmation"), "both said at once: {errors:?}");
    const REASON: &str = "The council withdrew the reopening date; the story is wrong.";
    let r = server.unpublish(&session, id, &[("reason", REASON)]).await;
    assert_eq!(r.status, 422, "unpublishing without ticking the box; {}", show(&r));
    assert!(errors_of(&r).contains("Confirmation") && !errors_of(&r).contains("Reason"), "{}", errors_of(&r));
    let kept = form_fields(&r.body, "form#unpublish-form");
    assert_eq!(value_of(&kept, "reason"), REASON, "the refused form keeps the reason typed");
    let (_, contributor_email) = server.new_user(Role::Contributor, "unpublish").await;
    let contributor = server.login(&contributor_email, PASSWORD).await;
    let crafted = [("csrf", contributor.csrf.as_str()), ("reason", REASON), ("confirm", "yes")];
    let r = server.post_form(&contributor, &format!("/newsroom/articles/{id}/unpublish"), &crafted).await;
    assert_eq!(r.status, 403, "a contributor unpublishes; {}", show(&r));
    let crafted = [("reason", REASON), ("confirm", "yes")];
    let r = server.post_form(&session, &format!("/newsroom/articles/{id}/unpublish"), &crafted).await;
    assert_eq!(r.status, 403, "unpublishing without the CSRF token; {}", show(&r));
    assert_eq!(server.article(id).await.status, Status::Published, "every refusal leaves the story up");
    assert_eq!(server.get(&anonymous, &path).await.status, 200, "every refusal leaves the story up");
    let logged = server.audit_since(head).await;
    assert!(!logged.iter().any(|e| e.article_id == Some(id)), "refusals log nothing: {logged:#?}");

    // Unpublished: gone at once, the reason in the audit log.
    let r = server.unpublish(&session, id, &[("reason", REASON), ("confirm", "yes")]).await;
    assert_eq!(r.status, 303, "unpublishing; {}", show(&r));
    assert!(r.header("location").is_some_and(|l| l.ends_with("done=unpublished")), "{}", show(&r));
    let logged: Vec<AuditEntry> =
        server.audit_since(head).await.into_iter().filter(|e| e.article_id == Some(id)).collect();
    assert_eq!(
        logged.iter().map(|e| (e.action.as_str(), e.detail.as_str())).collect::<Vec<_>>(),
        [("unpublished", REASON)],
        "the audit log keeps why: {logged:#?}"
    );
    let done = server.get(&session, r.header("location").unwrap_or_default()).await;
    let notice = first(&done.html(), "p.notice").map(text).unwrap_or_default();
    assert!(notice.starts_with("Unpublished — the story is off the site"), "the notice: {notice:?}");
    let gone = server.get(&anonymous, &path).await;
    assert_eq!(gone.status, 410, "an unpublished story's address; {}", show(&gone));
    let home = server.get(&anonymous, "/").await;
    assert!(
        !links_to(&home, &path) && !home.body.contains(&headline),
        "the home page drops an unpublished story at once"
    );
    let feed = server.get(&anonymous, "/rss.xml").await;
    assert!(!feed.body.contains(&path), "/rss.xml drops an unpublished story at once");

    // Republished and corrected: the correction shows at the story's foot.
    let r = server.save(&session, id, &[("intent", "publish")]).await;
    assert_eq!(r.status, 303, "republishing; {}", show(&r));
    assert_eq!(
        server.article(id).await.path().as_deref(),
        Some(path.as_str()),
        "a republished story keeps its address"
    );
    assert_eq!(server.get(&anonymous, &path).await.status, 200, "the republished story is back");
    let correction = "An earlier version of this story gave the wrong frequency: trams run every ten minutes.";
    let r = server
        .post_form(
            &session,
            &format!("/newsroom/articles/{id}/corrections"),
            &[("csrf", session.csrf.as_str()), ("text", correction)],
        )
        .await;
    assert_eq!(r.status, 303, "publishing a correction; {}", show(&r));
    let page = server.get(&anonymous, &path).await;
    assert_eq!(page.status, 200, "{}", show(&page));
    let doc = page.html();
    let corrections = first(&doc, "section.corrections").map(text).unwrap_or_default();
    assert!(corrections.contains(correction), "GET {path}: the correction at the story's foot: {corrections:?}");
}

// ---- Scheduled publishing ------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scheduled_articles_publish_once_also_after_a_restart() {
    let dir = tempfile::tempdir().expect("a temporary data folder");
    let config = courant::Config::default();
    let now = OffsetDateTime::now_utc();
    let state = courant::open(dir.path(), &config)
        .await
        .unwrap_or_else(|e| panic!("courant::open({}) failed: {e:#}", dir.path().display()));
    let store = state.store.clone();
    let mut options = courant_demo::DemoOptions::new(12, now);
    options.picture_pool = 2;
    courant_demo::generate(&store, &courant::media_dir(dir.path()), &options, &|_, _, _| {})
        .await
        .expect("generate the demo publication");

    // A complete published story lends its section, bylines and picture to a new one.
    let mut model = None;
    for s in store.published(&courant_store::ArticleFilter::All, 12, 0).await.expect("published stories").items {
        let a = store.article(s.id).await.expect("load a story").expect("a listed story exists");
        if courant_core::publish_problems(&a).is_empty() {
            model = Some(a);
            break;
        }
    }
    let model = model.expect("the demo has a complete published story");
    let marker = unique("scheduled");
    let owner = store
        .insert_user(
            &NewUser {
                email: format!("{marker}@newsroom.test.example"),
                name: format!("Scheduling editor {marker}"),
                role: Role::Editor,
                password_hash: password_hash().await,
                must_change_password: false,
                author_id: None,
            },
            None,
            now,
        )
        .await
        .expect("insert the story's owner");
    let draft = ArticleDraft {
        headline: format!("Night ferry returns to the timetable {marker}"),
        standfirst: "The night ferry is back from the first of the month.".into(),
        body: "The operator confirmed the crossings on Friday.\n\nTickets go on sale next week.".into(),
        section_id: Some(model.section.id),
        author_ids: model.authors.iter().map(|a| a.id).collect(),
        hero_image_id: model.hero.as_ref().map(|h| h.id),
        ..Default::default()
    };
    let id = store.create_article(&draft, owner.id, now).await.expect("create the story");
    let due = OffsetDateTime::now_utc() + time::Duration::seconds(2);
    store.move_article(id, Status::Scheduled, None, OffsetDateTime::now_utc(), Some(due)).await.expect("schedule it");
    let scheduled = store.article(id).await.expect("load the story").expect("it exists");
    assert_eq!(scheduled.status, Status::Scheduled);
    assert!(
        courant_core::publish_problems(&scheduled).is_empty(),
        "test setup: the story is complete: {:?}",
        courant_core::publish_problems(&scheduled)
    );
    let path = scheduled.path().expect("a scheduled story has its date");

    // The server stops before the time comes, and the time passes while none runs.
    store.close().await;
    drop(store);
    drop(state);
    tokio::time::sleep(Duration::from_secs(3)).await;

    let state = courant::open(dir.path(), &config).await.expect("open the data folder again");
    let store = state.store.clone();
    let meta = store.article_meta(id).await.expect("article meta").expect("the story exists");
    assert_eq!(meta.status, Status::Scheduled, "nothing publishes while no server runs");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind a loopback port");
    let base = format!("http://{}", listener.local_addr().expect("the listener's address"));
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let serving = tokio::spawn(courant::serve_with(listener, state, config.clone(), async move {
        let _ = stopped.await;
    }));
    let started = Instant::now();
    let client = http_client();
    loop {
        let status = match client.get(format!("{base}{path}")).send().await {
            Ok(r) => r.status().as_u16(),
            Err(_) => 0,
        };
        if status == 200 {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_millis(1500),
            "GET {path} still answers {status} {:?} after the restart: a story whose time passed while the \
             server was down must go live when it starts",
            started.elapsed()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let published = |log: Vec<AuditEntry>| -> Vec<AuditEntry> {
        log.into_iter().filter(|e| e.article_id == Some(id) && e.action == "published").collect()
    };
    let once = published(store.audit_log(1000, None).await.expect("the audit log"));
    assert_eq!(once.len(), 1, "the story was published exactly once: {once:#?}");
    let again = store.publish_due(OffsetDateTime::now_utc()).await.expect("publish what is due");
    assert!(again.is_empty(), "nothing is left to publish: {again:?}");
    let still = published(store.audit_log(1000, None).await.expect("the audit log"));
    assert_eq!(still.len(), 1, "still published exactly once: {still:#?}");

    drop(client);
    let _ = stop.send(());
    serving.await.expect("the server's task").expect("the server stops cleanly");
}

/// Restoring an old revision saves its content as a new version; the history only grows.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn restoring_a_revision_adds_a_version() {
    let server = Server::shared();
    let (user, email) = server.new_user(Role::Editor, "restore").await;
    let session = server.login(&email, PASSWORD).await;
    let id = server.draft_owned_by(user.id, &format!("Restorable {}", unique("restore"))).await;
    let original = server.article(id).await.standfirst;
    let saved = server.save(&session, id, &[("standfirst", "A rewritten standfirst.")]).await;
    assert_eq!(saved.status, 303, "{}", show(&saved));
    let revisions = server.store(move |s| async move { s.revisions(id).await }).await.expect("revisions");
    let first_revision = revisions.last().expect("the first revision").id;
    let diff = server
        .get(&session, &format!("/newsroom/articles/{id}/diff?from={first_revision}&to={}", revisions[0].id))
        .await;
    assert_eq!(diff.status, 200, "{}", show(&diff));
    assert!(
        diff.body.contains("<ins>rewritten</ins>") || diff.body.contains("<ins>A</ins>"),
        "word-level marks: {}",
        show(&diff)
    );

    let restored = server
        .post_form(
            &session,
            &format!("/newsroom/articles/{id}/revisions/{first_revision}/restore"),
            &[("csrf", session.csrf.as_str())],
        )
        .await;
    assert_eq!(restored.status, 303, "{}", show(&restored));
    assert_eq!(server.article(id).await.standfirst, original, "the old content is back");
    let after = server.store(move |s| async move { s.revisions(id).await }).await.expect("revisions");
    assert_eq!(after.len(), revisions.len() + 1, "a new revision, nothing rewritten");
    assert_eq!(after[0].version, 3);
    assert!(after[0].note.starts_with("restored from v1"), "{:?}", after[0]);
}

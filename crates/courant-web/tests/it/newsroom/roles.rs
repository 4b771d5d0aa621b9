//! Who may do what in the newsroom: every route of the route table checks its role (pages and
//! refused posts, which change nothing), forms need their CSRF token, and contributors cannot
//! publish or touch someone else's article by crafting requests.

use super::server::{Server, changed, marker_email};
use super::*;
use courant_core::{ArticleDraft, Role, Status, User};
use courant_store::AuditEntry;
use courant_web::newsroom::{Access, routes_spec};
use time::OffsetDateTime;

// ---- Every route checks its role -----------------------------------------------------------

/// A route's path with its parameters filled in (and two revisions to compare for a diff).
fn concrete(spec_path: &str, ids: &Ids) -> String {
    let families: [(&str, i64); 14] = [
        ("/newsroom/articles/", ids.article),
        ("/newsroom/front/pins/", ids.article),
        ("/newsroom/pages/", ids.page),
        ("/newsroom/media/", ids.image),
        ("/newsroom/sections/", ids.section),
        ("/newsroom/tags/", ids.tag),
        ("/newsroom/authors/", ids.author),
        ("/newsroom/sources/", ids.source),
        ("/newsroom/users/", ids.user),
        ("/newsroom/wire/feeds/", ids.feed),
        ("/newsroom/wire/", ids.wire),
        ("/newsroom/newsletters/", ids.newsletter),
        ("/newsroom/editions/", ids.edition),
        ("/newsroom/subscribers/", ids.subscriber),
    ];
    let mut path = spec_path.to_string();
    if path.contains("{id}") {
        let id = families.iter().find(|(prefix, _)| spec_path.starts_with(*prefix)).map(|(_, id)| *id).unwrap_or_else(
            || panic!("route {spec_path}: this test does not know what {{id}} names here; add it to `concrete`"),
        );
        path = path.replace("{id}", &id.to_string());
    }
    path = path.replace("{rev}", &ids.revision.to_string()).replace("{token}", &ids.token);
    assert!(!path.contains('{'), "route {spec_path}: a parameter is left in {path}; teach `concrete` about it");
    if path.ends_with("/diff") {
        path.push_str(&format!("?from={r}&to={r}", r = ids.revision));
    }
    path
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_route_checks_its_role() {
    let app = app();
    let f = &app.fixture;
    let server = Server::shared();
    let specs = routes_spec();
    assert!(specs.len() >= 40, "the newsroom should declare at least 40 routes, found {}: {specs:#?}", specs.len());
    for role in Role::ALL {
        assert!(specs.iter().any(|s| s.access == Access::Staff(role)), "no route needs the {role} role: {specs:#?}");
    }
    // The table itself follows the roles: users are for admins; registries, the audit
    // log and corrections for editors; only logging in and reset links are open to all.
    for spec in &specs {
        let needs = |prefixes: &[&str]| prefixes.iter().any(|p| spec.path.starts_with(p));
        let expected = if needs(&["/newsroom/users", "/newsroom/settings", "/newsroom/subscribers"]) {
            Some(Access::Staff(Role::Admin))
        } else if needs(&[
            "/newsroom/sections",
            "/newsroom/tags",
            "/newsroom/authors",
            "/newsroom/sources",
            "/newsroom/audit",
            "/newsroom/newsletters",
            "/newsroom/editions",
            "/newsroom/front",
            "/newsroom/pages",
        ]) || spec.path.ends_with("/corrections")
            || spec.path.ends_with("/unpublish")
        {
            Some(Access::Staff(Role::Editor))
        } else if needs(&["/newsroom/login", "/newsroom/reset/"]) {
            Some(Access::Anyone)
        } else {
            None
        };
        if let Some(expected) = expected {
            assert_eq!(spec.access, expected, "{} {}", spec.method, spec.path);
        } else {
            assert!(matches!(spec.access, Access::Staff(_)), "{} {} must need a login", spec.method, spec.path);
        }
    }

    let mut people: Vec<(Role, User, Session)> = Vec::new();
    for role in Role::ALL {
        let (user, email) = server.new_user(role, "routes").await;
        let session = server.login(&email, PASSWORD).await;
        people.push((role, user, session));
    }
    // An article the contributor owns: every role that may open articles can open this one.
    let owner = people[0].1.id;
    let article = server.draft_owned_by(owner, &format!("Route check draft {}", unique("routes"))).await;
    let revisions = server.store(move |s| async move { s.revisions(article).await }).await.expect("revisions");
    let revision = revisions.first().map(|r| r.id).expect("a new draft has its first revision");
    let hero = f.main.hero.as_ref().expect("fixture: the main article has a hero").id;
    let copy = courant_core::WireItem {
        source: "Route Wire".into(),
        headline: "Route check copy".into(),
        body_html: "<p>Copy.</p>".into(),
        ..Default::default()
    };
    let wire = server.wire_item("routes-wire", copy).await;
    let feed = server
        .store(|s| async move {
            // Loopback, and paused at once: the test server polls feeds, and tests send
            // nothing off this machine.
            let new = courant_store::NewWireFeed {
                url: format!("http://127.0.0.1:9/{}.xml", unique("feed")),
                source: "Route Wire".into(),
                interval_seconds: 86_400,
            };
            let id = s.add_wire_feed(&new, OffsetDateTime::now_utc()).await?;
            s.pause_wire_feed(id, true, OffsetDateTime::now_utc()).await.map(|()| id)
        })
        .await
        .expect("a feed");
    // A newsletter with a draft edition and a confirmed subscriber: what its routes act on.
    let (newsletter, edition, subscriber) = server
        .store(|s| async move {
            let now = OffsetDateTime::now_utc();
            let draft = courant_store::ListDraft {
                slug: unique("route-letter"),
                name: "Route check letter".into(),
                description: String::new(),
                rule: courant_store::ListRule::Latest,
                section_id: None,
                stories: 3,
                send_minute: None,
                days: vec![],
                active: true,
            };
            let list = s.save_newsletter_list(None, &draft, None, now).await?;
            let content =
                courant_store::EditionDraft { subject: "Route check".into(), intro: String::new(), articles: vec![] };
            let edition = s.create_edition(list, &content, None, now).await?;
            let email = format!("{}@example.org", unique("route-reader"));
            let (reader, _) = s.request_subscription(&email, now, time::Duration::minutes(1), 5).await?;
            s.confirm_subscription(reader.id, &[list], now).await?;
            Ok::<_, courant_store::StoreError>((list, edition, reader.id))
        })
        .await
        .expect("a newsletter");
    // One of the site's own pages, kept out of the footer (the shared server's other pages do
    // not change).
    let page = server
        .store(|s| async move {
            let draft = courant_store::PageDraft {
                slug: unique("route-page"),
                title: "Route check page".into(),
                body: "A page.".into(),
                in_footer: false,
                position: 0,
            };
            s.save_site_page(None, &draft, None, OffsetDateTime::now_utc()).await
        })
        .await
        .expect("a page");
    let ids = Ids {
        page,
        article: article.0,
        revision,
        section: f.news.id.0,
        tag: f.tags[0].id.0,
        author: f.author.id.0,
        source: f.sources[0].id.0,
        image: hero.0,
        user: owner.0,
        wire,
        feed,
        newsletter,
        edition,
        subscriber,
        token: "0123456789abcdef".repeat(4),
    };

    // What a refused post carries: every field some handler reads, with values it would act on.
    let marker = unique("forbidden");
    let email = marker_email(&marker);
    let version = server
        .store(move |s| async move { s.article_meta(article).await })
        .await
        .expect("article meta")
        .expect("the article exists")
        .version
        .to_string();
    let (section, author, image) = (ids.section.to_string(), ids.author.to_string(), ids.image.to_string());
    let other_tag = f.tags[1].name.clone();
    let form = |csrf: &str| -> Fields {
        fields(&[
            ("csrf", csrf),
            ("name", marker.as_str()),
            ("email", email.as_str()),
            ("role", "admin"),
            ("title", marker.as_str()),
            ("bio", marker.as_str()),
            ("url", "https://forbidden.example.org"),
            ("kind", "agency"),
            ("description", marker.as_str()),
            ("parent", ""),
            ("position", "1"),
            ("headline", marker.as_str()),
            ("standfirst", marker.as_str()),
            ("body", marker.as_str()),
            ("section", section.as_str()),
            ("author", author.as_str()),
            ("version", version.as_str()),
            ("intent", "publish"),
            ("text", marker.as_str()),
            ("reason", marker.as_str()),
            ("confirm", "yes"),
            ("into", other_tag.as_str()),
            ("current", PASSWORD),
            ("password", "another long password 123"),
            ("password2", "another long password 123"),
            ("image_id", image.as_str()),
            ("alt", marker.as_str()),
            ("caption", marker.as_str()),
            ("credit", marker.as_str()),
            ("keywords", marker.as_str()),
            ("photo_id", ""),
            ("disabled", "1"),
            ("focal_x", "10"),
            ("focal_y", "10"),
        ])
    };

    let anonymous = Session::anonymous();
    let (mut anonymous_posts, mut low_role_posts) = (0, 0);
    for spec in &specs {
        let path = concrete(spec.path, &ids);
        match (spec.method, spec.access) {
            ("GET", Access::Anyone) => {
                let everyone =
                    std::iter::once(("anonymous", &anonymous)).chain(people.iter().map(|(r, _, s)| (r.as_str(), s)));
                for (who, session) in everyone {
                    let r = server.get(session, &path).await;
                    assert!(
                        r.status != 403 && r.status < 500 && !to_login(&r),
                        "{who}: GET {} is open to anyone; {}",
                        spec.path,
                        show(&r)
                    );
                }
            }
            ("GET", Access::Staff(need)) => {
                let r = server.get(&anonymous, &path).await;
                assert!(
                    to_login(&r),
                    "anonymous GET {} (needs {need}): expected 303 to /newsroom/login; {}",
                    spec.path,
                    show(&r)
                );
                for (role, _, session) in &people {
                    let r = server.get(session, &path).await;
                    if *role >= need {
                        // Allowed: a page (or a redirect elsewhere than the login), never an error.
                        assert!(
                            r.status < 400 && !to_login(&r),
                            "{role}: GET {} (needs {need}) should answer; {}",
                            spec.path,
                            show(&r)
                        );
                    } else {
                        assert_eq!(
                            r.status,
                            403,
                            "{role}: GET {} (needs {need}) should be refused; {}",
                            spec.path,
                            show(&r)
                        );
                    }
                }
            }
            // The login and reset forms: their double-submitted token is checked in `csrf_is_required`.
            ("POST", Access::Anyone) => {}
            ("POST", Access::Staff(need)) => {
                let before = server.snapshot(&ids, &marker).await;
                let r = server.post_form(&anonymous, &path, &form("")).await;
                assert_eq!(r.status, 403, "anonymous POST {} (needs {need}); {}", spec.path, show(&r));
                let after = server.snapshot(&ids, &marker).await;
                assert!(
                    changed(&before, &after).is_empty(),
                    "anonymous POST {} was refused, yet: {:#?}",
                    spec.path,
                    changed(&before, &after)
                );
                anonymous_posts += 1;
                // Too low a role, with a valid token: refused, and nothing happens.
                for (role, user, session) in people.iter().filter(|(role, _, _)| *role < need) {
                    let head = server.audit_head().await;
                    let before = server.snapshot(&ids, &marker).await;
                    let r = server.post_form(session, &path, &form(&session.csrf)).await;
                    assert_eq!(r.status, 403, "{role}: POST {} (needs {need}); {}", spec.path, show(&r));
                    let after = server.snapshot(&ids, &marker).await;
                    let differences = changed(&before, &after);
                    assert!(differences.is_empty(), "{role}: POST {} was refused, yet: {differences:#?}", spec.path);
                    let logged: Vec<AuditEntry> = server
                        .audit_since(head)
                        .await
                        .into_iter()
                        .filter(|e| e.user_name.as_deref() == Some(user.name.as_str()))
                        .collect();
                    assert!(
                        logged.is_empty(),
                        "{role}: POST {} was refused, yet the audit log records: {logged:#?}",
                        spec.path
                    );
                    low_role_posts += 1;
                }
            }
            (method, _) => {
                panic!("route {method} {}: this test checks GET and POST routes only; teach it {method}", spec.path)
            }
        }
    }
    assert!(
        anonymous_posts > 0 && low_role_posts > 0,
        "refused posts checked: {anonymous_posts} anonymous, {low_role_posts} by too low a role"
    );
}

// ---- CSRF -----------------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn csrf_is_required() {
    let server = Server::shared();
    let (editor, email) = server.new_user(Role::Editor, "csrf").await;
    let session = server.login(&email, PASSWORD).await;
    let original = format!("CSRF check draft {}", unique("csrf"));
    let id = server.draft_owned_by(editor.id, &original).await;
    let path = format!("/newsroom/articles/{id}");
    let form = server.editor_fields(&session, &path).await;
    assert_eq!(value_of(&form, "csrf"), session.csrf, "the editor's form carries the session's token");

    let (_, other_email) = server.new_user(Role::Editor, "csrf-other").await;
    let other = server.login(&other_email, PASSWORD).await;
    let made_up = "f".repeat(64);
    let attempts = [
        ("without a token", without(with(form.clone(), &[("headline", "Changed without a token")]), "csrf")),
        (
            "with a made-up token",
            with(form.clone(), &[("headline", "Changed with a made-up token"), ("csrf", made_up.as_str())]),
        ),
        (
            "with another session's token",
            with(form.clone(), &[("headline", "Changed with another token"), ("csrf", other.csrf.as_str())]),
        ),
    ];
    for (how, attempt) in &attempts {
        let r = server.post_form(&session, &path, attempt).await;
        assert_eq!(r.status, 403, "saving {how}; {}", show(&r));
        assert_eq!(server.article(id).await.headline, original, "a save {how} was refused, yet the headline changed");
    }
    let saved = format!("CSRF check saved {}", unique("csrf"));
    let r = server.post_form(&session, &path, &with(form, &[("headline", saved.as_str())])).await;
    assert_eq!(r.status, 303, "saving with the session's token; {}", show(&r));
    assert_eq!(server.article(id).await.headline, saved, "a save with the right token is stored");

    // The login form: its token must come back in the form and in the cookie.
    let login = server.login_form().await;
    let r = server
        .post_form(
            &Session::anonymous(),
            "/newsroom/login",
            &[("csrf", login.csrf.as_str()), ("email", email.as_str()), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(r.status, 403, "a login without the courant_form cookie; {}", show(&r));
    assert!(cookie_set(&r, "courant_session").is_none(), "a refused login starts no session: {:?}", set_cookies(&r));
    let stranger = server.login_form().await;
    let mixed = LoginForm { cookie: login.cookie.clone(), csrf: stranger.csrf.clone() };
    let r = server.post_login(&mixed, &email, PASSWORD).await;
    assert_eq!(r.status, 403, "a login whose token is not its cookie's; {}", show(&r));
    assert!(cookie_set(&r, "courant_session").is_none(), "a refused login starts no session: {:?}", set_cookies(&r));
    let r = server.post_login(&login, &email, PASSWORD).await;
    assert_eq!(r.status, 303, "the same login with its cookie; {}", show(&r));
}

// ---- The workflow's permissions ------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn contributors_cannot_publish_by_crafting_requests() {
    let app = app();
    let server = Server::shared();
    let (contributor, email) = server.new_user(Role::Contributor, "contributor").await;
    let session = server.login(&email, PASSWORD).await;
    let headline = format!("Contributor draft {}", unique("contributor"));
    let id = server
        .create(
            &session,
            &[
                ("headline", headline.as_str()),
                ("standfirst", "A standfirst."),
                ("body", "A paragraph."),
                ("intent", "save"),
            ],
            &[],
        )
        .await;
    let meta = server.store(move |s| async move { s.article_meta(id).await }).await.expect("meta").expect("exists");
    assert_eq!(
        (meta.status, meta.owner_id),
        (Status::Draft, Some(contributor.id)),
        "the new draft is the contributor's"
    );
    {
        let r = server.get(&session, &format!("/newsroom/articles/{id}")).await;
        let doc = r.html();
        assert!(
            select_all(&doc, "button[name=intent][value=publish], button[name=intent][value=schedule]").is_empty(),
            "a contributor is offered no publish or schedule button: {}",
            show(&r)
        );
    }

    // The buttons they do not have, sent anyway.
    let in_an_hour = OffsetDateTime::now_utc() + time::Duration::hours(1);
    let schedule_at = format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}",
        in_an_hour.year(),
        u8::from(in_an_hour.month()),
        in_an_hour.day(),
        in_an_hour.hour(),
        in_an_hour.minute()
    );
    let head = server.audit_head().await;
    for changes in [vec![("intent", "publish")], vec![("intent", "schedule"), ("schedule_at", schedule_at.as_str())]] {
        let r = server.save(&session, id, &changes).await;
        assert_eq!(r.status, 403, "a contributor's crafted {changes:?}; {}", show(&r));
        let meta = server.store(move |s| async move { s.article_meta(id).await }).await.expect("meta").expect("exists");
        assert_eq!(meta.status, Status::Draft, "after a contributor's crafted {changes:?}");
    }
    let moves: Vec<AuditEntry> = server
        .audit_since(head)
        .await
        .into_iter()
        .filter(|e| e.article_id == Some(id) && matches!(e.action.as_str(), "published" | "scheduled"))
        .collect();
    assert!(moves.is_empty(), "refused moves are not logged as done: {moves:#?}");

    // What they may do: send it for review, and keep editing it there.
    let r = server.save(&session, id, &[("intent", "submit")]).await;
    assert_eq!(r.status, 303, "a contributor sends their draft for review; {}", show(&r));
    assert!(r.header("location").is_some_and(|l| l.contains("done=submitted")), "{}", show(&r));
    let meta = server.store(move |s| async move { s.article_meta(id).await }).await.expect("meta").expect("exists");
    assert_eq!(meta.status, Status::Review, "after submitting");
    let revised = format!("Contributor draft revised in review {}", unique("contributor"));
    let r = server.save(&session, id, &[("headline", revised.as_str()), ("intent", "save")]).await;
    assert_eq!(r.status, 303, "a contributor edits their article in review; {}", show(&r));
    let article = server.article(id).await;
    assert_eq!(
        (article.headline.as_str(), article.status),
        (revised.as_str(), Status::Review),
        "saved, still in review"
    );

    // Someone else's article: neither opened nor changed.
    let (editor, _) = server.new_user(Role::Editor, "contributor-other").await;
    let theirs_headline = format!("An editor's draft {}", unique("contributor"));
    let theirs = server.draft_owned_by(editor.id, &theirs_headline).await;
    let r = server.get(&session, &format!("/newsroom/articles/{theirs}")).await;
    assert_eq!(r.status, 403, "a contributor opens someone else's article; {}", show(&r));
    let section = app.fixture.news.id.0.to_string();
    let crafted = [
        ("csrf", session.csrf.as_str()),
        ("version", "1"),
        ("headline", "Taken over by a contributor"),
        ("section", section.as_str()),
        ("intent", "save"),
    ];
    let r = server.post_form(&session, &format!("/newsroom/articles/{theirs}"), &crafted).await;
    assert_eq!(r.status, 403, "a contributor saves someone else's article; {}", show(&r));
    assert_eq!(server.article(theirs).await.headline, theirs_headline, "someone else's article is unchanged");
    let r = server.get(&session, &format!("/newsroom/articles/{theirs}/revisions")).await;
    assert_eq!(r.status, 403, "a contributor reads someone else's revisions; {}", show(&r));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn contributors_do_not_read_others_draft_headlines_through_pictures() {
    let server = Server::shared();
    let (_, email) = server.new_user(Role::Contributor, "hero-reader").await;
    let session = server.login(&email, PASSWORD).await;
    let (editor, editor_email) = server.new_user(Role::Editor, "hero-owner").await;
    let editor_session = server.login(&editor_email, PASSWORD).await;
    let secret = format!("Embargoed scoop draft {}", unique("hero"));
    let headline = secret.clone();
    let (draft, image) = server
        .store(move |s| async move {
            let image = s.images_page("", 1, 0).await.expect("list pictures").items.remove(0);
            let section = s.sections().await.expect("list sections")[0].id;
            let draft = ArticleDraft {
                headline,
                standfirst: "A draft nobody outside the desk should read.".into(),
                body: "A paragraph.".into(),
                section_id: Some(section),
                hero_image_id: Some(image.id),
                ..Default::default()
            };
            (s.create_article(&draft, editor.id, OffsetDateTime::now_utc()).await.expect("create"), image.id)
        })
        .await;

    let r = server.get(&session, &format!("/newsroom/media?pick={draft}")).await;
    assert_eq!(r.status, 403, "a contributor picks a hero for someone else's draft; {}", show(&r));
    assert!(!r.body.contains(&secret), "the refusal does not show the headline: {}", show(&r));
    let r = server.get(&session, &format!("/newsroom/media/{image}")).await;
    assert_eq!(r.status, 200, "{}", show(&r));
    assert!(!r.body.contains(&secret), "a picture's uses hide others' headlines from a contributor: {}", show(&r));
    assert!(!links_to(&r, &format!("/newsroom/articles/{draft}")), "{}", show(&r));
    assert!(page_text(&r.body).contains("of other writers"), "the other uses are counted: {}", show(&r));

    // An editor sees them.
    let r = server.get(&editor_session, &format!("/newsroom/media/{image}")).await;
    assert!(r.body.contains(&secret), "an editor sees every use: {}", show(&r));
    let r = server.get(&editor_session, &format!("/newsroom/media?pick={draft}")).await;
    assert_eq!(r.status, 200, "{}", show(&r));
    assert!(r.body.contains(&secret), "{}", show(&r));
}

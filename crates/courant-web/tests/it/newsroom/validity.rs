//! Every newsroom page kind passes the Nu Html Checker.

use super::server::Server;
use super::*;
use courant_core::Role;

/// Every newsroom page kind passes the Nu Html Checker, as an admin sees it, with a conflict
/// and a refusal among them.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn newsroom_pages_pass_the_nu_html_checker() {
    let app = app();
    let f = &app.fixture;
    let server = Server::shared();
    let (admin, email) = server.new_user(Role::Admin, "vnu").await;
    let session = server.login(&email, PASSWORD).await;
    let id = server.draft_owned_by(admin.id, &format!("Checked draft {}", unique("vnu"))).await;
    // Two saves make revisions to compare; a stale third is a conflict page.
    let opened = server.editor_fields(&session, &format!("/newsroom/articles/{id}")).await;
    let first = server
        .post_form(&session, &format!("/newsroom/articles/{id}"), &with(opened.clone(), &[("standfirst", "One.")]))
        .await;
    assert_eq!(first.status, 303, "{}", show(&first));
    let conflict =
        server.post_form(&session, &format!("/newsroom/articles/{id}"), &with(opened, &[("standfirst", "Two.")])).await;
    assert_eq!(conflict.status, 409, "{}", show(&conflict));
    let revisions = server.store(move |s| async move { s.revisions(id).await }).await.expect("revisions");
    let (newest, oldest) = (revisions[0].id, revisions[revisions.len() - 1].id);
    let hero = f.main.hero.as_ref().expect("fixture hero").id;
    let copy = courant_core::WireItem {
        source: "Validity Wire".into(),
        headline: "Harbour reopens".into(),
        body_html: "<p>The harbour reopens.</p>".into(),
        subjects: vec!["Ports".into()],
        embargo: Some(time::OffsetDateTime::now_utc() + time::Duration::hours(1)),
        ..Default::default()
    };
    let wire = server.wire_item("vnu-wire", copy).await;
    let (letter, edition) = server
        .store(|s| async move {
            let now = time::OffsetDateTime::now_utc();
            let draft = courant_store::ListDraft {
                slug: unique("vnu-letter"),
                name: "Checked letter".into(),
                description: "Checked.".into(),
                rule: courant_store::ListRule::Latest,
                section_id: None,
                stories: 3,
                send_minute: Some(7 * 60),
                days: vec![1, 2, 3, 4, 5],
                active: true,
            };
            let list = s.save_newsletter_list(None, &draft, None, now).await?;
            let articles =
                s.latest(&courant_store::ArticleFilter::All, 2, 0).await?.into_iter().map(|a| a.id).collect();
            let content =
                courant_store::EditionDraft { subject: "Checked edition".into(), intro: "Hello.".into(), articles };
            let edition = s.create_edition(list, &content, None, now).await?;
            let (reader, _) = s
                .request_subscription(
                    &format!("{}@example.org", unique("vnu-reader")),
                    now,
                    time::Duration::minutes(1),
                    5,
                )
                .await?;
            s.confirm_subscription(reader.id, &[list], now).await?;
            Ok::<_, courant_store::StoreError>((list, edition))
        })
        .await
        .expect("a newsletter");
    let anonymous = Session::anonymous();
    let pages: Vec<(&str, String, &Session)> = vec![
        ("newsletters", "/newsroom/newsletters".into(), &session),
        ("newsletter", format!("/newsroom/newsletters/{letter}"), &session),
        ("edition", format!("/newsroom/editions/{edition}"), &session),
        ("subscribers", "/newsroom/subscribers".into(), &session),
        ("login", "/newsroom/login".into(), &anonymous),
        ("dashboard", "/newsroom/".into(), &session),
        ("articles", "/newsroom/articles?status=draft".into(), &session),
        ("new", "/newsroom/articles/new".into(), &session),
        ("editor", format!("/newsroom/articles/{id}"), &session),
        ("editor-published", format!("/newsroom/articles/{}", f.main.id), &session),
        ("revisions", format!("/newsroom/articles/{id}/revisions"), &session),
        ("diff", format!("/newsroom/articles/{id}/diff?from={oldest}&to={newest}"), &session),
        ("media", "/newsroom/media".into(), &session),
        ("media-pick", format!("/newsroom/media?pick={id}"), &session),
        ("image", format!("/newsroom/media/{hero}"), &session),
        ("sections", "/newsroom/sections".into(), &session),
        ("section", format!("/newsroom/sections/{}", f.news.id), &session),
        ("tags", "/newsroom/tags".into(), &session),
        ("authors", "/newsroom/authors".into(), &session),
        ("author", format!("/newsroom/authors/{}", f.author.id), &session),
        ("sources", "/newsroom/sources".into(), &session),
        ("source", format!("/newsroom/sources/{}", f.sources[0].id), &session),
        ("users", "/newsroom/users".into(), &session),
        ("user", format!("/newsroom/users/{}", admin.id), &session),
        ("audit", "/newsroom/audit".into(), &session),
        ("settings", "/newsroom/settings".into(), &session),
        ("import", "/newsroom/import".into(), &session),
        ("wire", "/newsroom/wire".into(), &session),
        ("wire-item", format!("/newsroom/wire/{wire}"), &session),
        ("wire-feeds", "/newsroom/wire/feeds".into(), &session),
        ("account", "/newsroom/account".into(), &session),
        ("not-found", "/newsroom/articles/999999999".into(), &session),
    ];
    let dir = tempfile::tempdir().expect("tempdir");
    let mut files = Vec::new();
    for (name, path, who) in &pages {
        let r = server.get(who, path).await;
        assert!(r.status == 200 || (*name == "not-found" && r.status == 404), "{name}: {}", show(&r));
        let file = dir.path().join(format!("{name}.html"));
        std::fs::write(&file, &r.body).expect("write page");
        files.push(file);
    }
    let file = dir.path().join("conflict.html");
    std::fs::write(&file, &conflict.body).expect("write page");
    files.push(file);
    crate::validity::assert_valid_html(&files);
}

//! Issue 20 in the newsroom: an editor makes a newsletter (all errors at once, values kept),
//! starts an edition by its rule, sends a test to themselves, previews it and sends it; its
//! progress shows; an admin finds, exports and erases subscribers. With the demo's default (no
//! SMTP server) the newsroom says mail is not sent, and every email is in `DATA/outbox/`.

use super::server::Server;
use super::*;
use courant_core::Role;
use std::time::{Duration, Instant};

fn outbox_with(data: &std::path::Path, needle: &str) -> Vec<String> {
    let Ok(dir) = std::fs::read_dir(data.join("outbox")) else { return Vec::new() };
    dir.filter_map(|e| e.ok())
        .filter(|e| e.path().extension().is_some_and(|x| x == "eml"))
        .filter_map(|e| std::fs::read_to_string(e.path()).ok())
        .filter(|t| t.contains(needle))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn editors_make_newsletters_and_send_editions_admins_keep_the_subscribers() {
    let mut options = courant_demo::DemoOptions::new(8, time::OffsetDateTime::now_utc());
    options.picture_pool = 2;
    let spawned = spawn_server(courant::Config::default(), options);
    let data = spawned.data.clone();
    let server = Server::own(spawned);
    let (_, email) = server.new_user(Role::Editor, "letters-editor").await;
    let editor = server.login(&email, PASSWORD).await;
    let head = server.audit_head().await;

    let page = server.get(&editor, "/newsroom/newsletters").await;
    assert_eq!(page.status, 200, "{}", show(&page));
    assert!(
        page_text(&page.body).contains("Mail is not being sent"),
        "the outbox is said plainly: {}",
        page_text(&page.body)
    );
    let form = form_fields(&page.body, "form[action=\"/newsroom/newsletters\"]");
    let refused = server
        .post_form(
            &editor,
            "/newsroom/newsletters",
            &with(form.clone(), &[("name", ""), ("stories", "99"), ("send_time", "25:00")]),
        )
        .await;
    assert_eq!(refused.status, 422, "{}", show(&refused));
    let said = errors_of(&refused);
    assert!(
        said.contains("Name") && said.contains("Stories per edition") && said.contains("Send time"),
        "every error at once: {said}"
    );
    let kept = form_fields(&refused.body, "form[action=\"/newsroom/newsletters\"]");
    assert_eq!(value_of(&kept, "send_time"), "25:00", "values kept");

    let mut good = with(
        form,
        &[("name", "Evening digest"), ("slug", ""), ("rule", "latest"), ("stories", "3"), ("send_time", "18:30")],
    );
    good.retain(|(k, _)| k != "day");
    for day in ["1", "2", "3", "4", "5"] {
        good.push(("day".into(), day.into()));
    }
    let saved = server.post_form(&editor, "/newsroom/newsletters", &good).await;
    assert_eq!(saved.status, 303, "{}", show(&saved));
    let lists = server.store(|s| async move { s.newsletter_lists().await }).await.expect("lists");
    let list = lists.iter().find(|l| l.slug == "evening-digest").expect("the new list, its address made from its name");
    assert_eq!((list.send_minute, list.days.clone(), list.stories), (Some(18 * 60 + 30), vec![1, 2, 3, 4, 5], 3));
    assert!(list.next_edition_at.is_some(), "its next edition is planned");
    let list_id = list.id;

    // Editors pick stories for the next edition, in the order they tick them.
    let page = server.get(&editor, &format!("/newsroom/newsletters/{list_id}")).await;
    assert_eq!(page.status, 200, "{}", show(&page));
    let offered = form_fields(&page.body, &format!("form[action=\"/newsroom/newsletters/{list_id}/picks\"]"));
    assert!(offered.iter().all(|(k, _)| k != "story"), "nothing picked yet");
    let doc = Html::parse_document(&page.body);
    let ids: Vec<String> =
        select_all(&doc, "input[name=story]").into_iter().map(|i| attr(i, "value")).take(2).collect();
    assert_eq!(ids.len(), 2, "stories are offered");
    let mut picks = offered.clone();
    picks.push(("story".into(), ids[1].clone()));
    picks.push(("story".into(), ids[0].clone()));
    picks.push(("story".into(), "999999999".into()));
    let saved = server.post_form(&editor, &format!("/newsroom/newsletters/{list_id}/picks"), &picks).await;
    assert_eq!(saved.status, 303, "{}", show(&saved));
    let stored = server.store(|s| async move { s.newsletter_lists().await }).await.expect("lists");
    let picked: Vec<String> =
        stored.iter().find(|l| l.id == list_id).expect("the list").picks.iter().map(|a| a.0.to_string()).collect();
    assert_eq!(picked, [ids[1].clone(), ids[0].clone()], "published stories only, in the order picked");
    let reader = format!("{}@example.org", unique("letters-reader"));
    let reader_for_store = reader.clone();
    let subscriber = server
        .store(move |s| async move {
            let now = time::OffsetDateTime::now_utc();
            let (r, _) = s.request_subscription(&reader_for_store, now, time::Duration::minutes(1), 5).await?;
            s.confirm_subscription(r.id, &[list_id], now).await
        })
        .await
        .expect("a subscriber");

    // An edition by the list's rule, a test to the editor, a preview, then out it goes.
    let made = server
        .post_form(&editor, &format!("/newsroom/newsletters/{list_id}/editions"), &[("csrf", editor.csrf.as_str())])
        .await;
    assert_eq!(made.status, 303, "{}", show(&made));
    let edition_url = made.header("location").unwrap_or_default().to_string();
    let edition_id: i64 = edition_url
        .trim_start_matches("/newsroom/editions/")
        .split('?')
        .next()
        .and_then(|n| n.parse().ok())
        .expect("an edition id");
    let page = server.get(&editor, &edition_url).await;
    assert_eq!(page.status, 200, "{}", show(&page));
    let form = form_fields(&page.body, &format!("form[action=\"/newsroom/editions/{edition_id}\"]"));
    assert_eq!(form.iter().filter(|(k, _)| k == "story").count(), 3, "the rule's three stories are ticked");
    let test = server
        .post_form(&editor, &format!("/newsroom/editions/{edition_id}"), &with(form.clone(), &[("intent", "test")]))
        .await;
    assert!(test.status == 303 || test.status == 200, "{}", show(&test));
    let tests = outbox_with(&data, &format!("To: {email}"));
    assert_eq!(tests.len(), 1, "the test went to the editor");
    assert!(tests[0].contains("[Test]"), "{}", tests[0]);
    assert!(outbox_with(&data, &format!("To: {reader}")).is_empty(), "not to readers");
    let preview = server.get(&editor, &format!("/newsroom/editions/{edition_id}/preview")).await;
    assert_eq!(preview.status, 200, "{}", show(&preview));
    assert!(
        preview.header("content-security-policy").is_some_and(|c| c.contains("default-src 'none'")),
        "{:?}",
        preview.headers
    );
    assert!(preview.body.contains("Evening digest"), "the email as mailed");

    let sent = server
        .post_form(&editor, &format!("/newsroom/editions/{edition_id}"), &with(form, &[("intent", "send")]))
        .await;
    assert_eq!(sent.status, 303, "{}", show(&sent));
    let started = Instant::now();
    while outbox_with(&data, &format!("To: {reader}")).is_empty() {
        assert!(started.elapsed() < Duration::from_secs(20), "the edition did not reach the outbox in 20 s");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let after = server.get(&editor, &edition_url).await;
    assert!(page_text(&after.body).contains("1 of 1"), "progress: {}", page_text(&after.body));
    assert!(
        form_fields(&after.body, "body").iter().all(|(k, v)| !(k == "intent" && v == "send")),
        "a sent edition cannot be sent again"
    );

    // Subscribers are the admins': found, exported, erased.
    assert_eq!(server.get(&editor, "/newsroom/subscribers").await.status, 403);
    let (_, admin_email) = server.new_user(Role::Admin, "letters-admin").await;
    let admin = server.login(&admin_email, PASSWORD).await;
    let found =
        server.get(&admin, &format!("/newsroom/subscribers?q={}", reader.split('@').next().unwrap_or(""))).await;
    assert_eq!(found.status, 200, "{}", show(&found));
    assert!(found.body.contains(&reader));
    let csv = server.get(&admin, "/newsroom/subscribers.csv").await;
    assert_eq!(csv.status, 200, "{}", show(&csv));
    assert!(csv.header("content-disposition").is_some_and(|d| d.contains("attachment")));
    assert!(csv.body.starts_with("email,state,lists,consented_at,created_at"), "{}", csv.body);
    assert!(csv.body.lines().any(|l| l.contains(&reader) && l.contains("Evening digest")), "{}", csv.body);
    let erased = server
        .post_form(&admin, &format!("/newsroom/subscribers/{}/delete", subscriber.id), &[("csrf", admin.csrf.as_str())])
        .await;
    assert_eq!(erased.status, 303, "{}", show(&erased));
    let id = subscriber.id;
    assert!(server.store(move |s| async move { s.subscriber(id).await }).await.expect("read").is_none());

    // Who sent, exported and erased is in the audit log; the erased address is not.
    let logged = server.audit_since(head).await;
    let actions: Vec<&str> = logged.iter().map(|e| e.action.as_str()).collect();
    for action in ["newsletter_sent", "subscribers_exported", "subscriber_erased"] {
        assert!(actions.contains(&action), "{action} in {actions:?}");
    }
    assert!(logged.iter().all(|e| !e.subject.contains(&reader) && !e.detail.contains(&reader)), "{logged:#?}");
}

//! Accounts: login throttling, logging out everywhere, one-time reset links, and the
//! publication's settings an admin changes.

use super::server::Server;
use super::*;
use courant_core::Role;
use time::OffsetDateTime;

// ---- Logging in and out ----------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn five_failed_logins_refuse_even_the_right_password() {
    let server = Server::shared();
    let (_, email) = server.new_user(Role::Contributor, "throttle").await;
    let form = server.login_form().await;
    for attempt in 1..=5 {
        let r = server.post_login(&form, &email, "not the right password at all").await;
        assert_eq!(r.status, 401, "wrong password, attempt {attempt}; {}", show(&r));
        assert!(page_text(&r.body).contains("do not match"), "attempt {attempt}: {}", show(&r));
    }
    let r = server.post_login(&form, &email, PASSWORD).await;
    assert_eq!(r.status, 401, "the right password after five failures; {}", show(&r));
    assert!(page_text(&r.body).contains("Too many failed attempts"), "the page says why: {}", show(&r));
    assert!(cookie_set(&r, "courant_session").is_none(), "no session starts: {:?}", set_cookies(&r));
    // Another account from the same address is not blocked.
    let (_, other) = server.new_user(Role::Contributor, "throttle-other").await;
    server.login(&other, PASSWORD).await;
}

/// Wrong passwords sent all at once: no more reach the password check than the limits allow,
/// per account (5) and per address (30).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn simultaneous_failed_logins_stop_at_the_limits() {
    let mut config = courant::Config::default();
    config.server.trusted_proxies = vec![std::net::IpAddr::from([127, 0, 0, 1])];
    let mut options = courant_demo::DemoOptions::new(4, OffsetDateTime::now_utc());
    options.picture_pool = 1;
    let server = std::sync::Arc::new(Server::own(spawn_server(config, options)));
    let (_, email) = server.new_user(Role::Contributor, "burst").await;
    let form = std::sync::Arc::new(server.login_form().await);
    // 100 at once against one account, each from its own address; then 100 at once from one
    // address, each against an account of its own.
    let bursts: [(&str, Box<dyn Fn(usize) -> (String, String)>, usize); 2] = [
        ("one account", Box::new(|i| (email.clone(), format!("10.1.{}.{}", i / 200, i % 200 + 1))), 5),
        ("one address", Box::new(|i| (format!("nobody{i}@burst.example"), "10.2.0.1".to_string())), 30),
    ];
    for (what, attempt, limit) in bursts {
        let sent = (0..100).map(|i| {
            let (server, form) = (server.clone(), form.clone());
            let (email, address) = attempt(i);
            tokio::spawn(
                async move { server.post_login_from(&form, &email, "not the password of anyone", &address).await },
            )
        });
        let (mut checked, mut throttled) = (0, 0);
        for answer in sent.collect::<Vec<_>>() {
            let r = answer.await.expect("the request ran");
            assert_eq!(r.status, 401, "{what}: {}", show(&r));
            let text = page_text(&r.body);
            if text.contains("do not match") {
                checked += 1;
            } else if text.contains("Too many failed attempts") {
                throttled += 1;
            } else {
                panic!("{what}: neither a wrong password nor a wait: {}", show(&r));
            }
        }
        assert_eq!((checked, throttled), (limit, 100 - limit), "{what}: passwords checked, attempts throttled");
    }
    // The right password from an address with no failures, after the account's burst: still
    // refused, the account waits.
    let r = server.post_login_from(&form, &email, PASSWORD, "10.3.0.1").await;
    assert!(page_text(&r.body).contains("Too many failed attempts"), "{}", show(&r));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logout_everywhere_ends_every_session() {
    let server = Server::shared();
    let (_, email) = server.new_user(Role::Contributor, "logout").await;
    let one = server.login(&email, PASSWORD).await;
    let two = server.login(&email, PASSWORD).await;
    assert_ne!(one.cookie, two.cookie, "two logins are two sessions");
    for (name, session) in [("the first session", &one), ("the second session", &two)] {
        let r = server.get(session, "/newsroom/").await;
        assert_eq!(r.status, 200, "{name} opens the dashboard; {}", show(&r));
    }
    let r = server.post_form(&one, "/newsroom/logout-everywhere", &[("csrf", one.csrf.as_str())]).await;
    assert_eq!(r.status, 303, "logging out everywhere; {}", show(&r));
    assert_eq!(r.header("location"), Some("/newsroom/login"), "{}", show(&r));
    assert_eq!(cookie_set(&r, "courant_session").as_deref(), Some(""), "the cookie is cleared: {:?}", set_cookies(&r));
    for (name, session) in [("the session that asked", &one), ("the other session", &two)] {
        let r = server.get(session, "/newsroom/").await;
        assert!(to_login(&r), "{name} has ended: expected 303 to /newsroom/login; {}", show(&r));
    }
    let r = server.post_form(&two, "/newsroom/logout", &[("csrf", two.csrf.as_str())]).await;
    assert_eq!(r.status, 403, "an ended session cannot post; {}", show(&r));
}

/// An admin's one-time reset link sets a new password once, ends the user's sessions and logs
/// them in; the old password stops working and the link cannot be used again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reset_links_work_once_and_end_old_sessions() {
    let server = Server::shared();
    let (_, admin_email) = server.new_user(Role::Admin, "reset-admin").await;
    let admin = server.login(&admin_email, PASSWORD).await;
    let (user, email) = server.new_user(Role::Contributor, "reset-user").await;
    let old_session = server.login(&email, PASSWORD).await;

    let issued =
        server.post_form(&admin, &format!("/newsroom/users/{}/reset", user.id), &[("csrf", admin.csrf.as_str())]).await;
    assert_eq!(issued.status, 200, "{}", show(&issued));
    let link = first(&issued.html(), "code#reset-link")
        .map(text)
        .unwrap_or_else(|| panic!("no link shown: {}", show(&issued)));
    let path = link.split_once("/newsroom/reset/").map(|(_, t)| format!("/newsroom/reset/{t}")).expect("a reset path");

    let form = server.get(&Session::anonymous(), &path).await;
    assert_eq!(form.status, 200, "{}", show(&form));
    let token = cookie_set(&form, "courant_form").expect("the reset form sets its double-submit cookie");
    let browser = Session { cookie: format!("courant_form={token}"), csrf: csrf_in(&form.body).expect("csrf") };
    let new_password = "a brand new password for this test";
    let mismatch = server
        .post_form(
            &browser,
            &path,
            &[("csrf", browser.csrf.as_str()), ("password", new_password), ("password2", "other")],
        )
        .await;
    assert_eq!(mismatch.status, 200, "a mismatch shows the form again: {}", show(&mismatch));
    assert!(mismatch.body.contains("differ"), "{}", show(&mismatch));
    let set = server
        .post_form(
            &browser,
            &path,
            &[("csrf", browser.csrf.as_str()), ("password", new_password), ("password2", new_password)],
        )
        .await;
    assert_eq!(set.status, 303, "{}", show(&set));
    assert!(cookie_set(&set, "courant_session").is_some_and(|s| !s.is_empty()), "logged in at once");

    let after = server.get(&old_session, "/newsroom/").await;
    assert_eq!(
        (after.status, after.header("location")),
        (303, Some("/newsroom/login")),
        "old sessions end: {}",
        show(&after)
    );
    let login = server.login_form().await;
    assert_eq!(server.post_login(&login, &email, PASSWORD).await.status, 401, "the old password no longer works");
    server.login(&email, new_password).await;
    let again = server.get(&Session::anonymous(), &path).await;
    assert_eq!(again.status, 404, "a used link is dead: {}", show(&again));
}

/// An admin's settings take effect on the next page and are kept in the store (`courant::open`
/// lays them over the file's at start); a bad value is refused with the field named and
/// changes nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admins_change_the_publication_settings() {
    // Its own server: the shared one's name is asserted elsewhere.
    let mut options = courant_demo::DemoOptions::new(6, OffsetDateTime::now_utc());
    options.picture_pool = 2;
    let server = Server::own(spawn_server(courant::Config::default(), options));
    let (_, email) = server.new_user(Role::Admin, "settings").await;
    let session = server.login(&email, PASSWORD).await;
    let form =
        form_fields(&server.get(&session, "/newsroom/settings").await.body, "form[action=\"/newsroom/settings\"]");
    assert_eq!(value_of(&form, "title"), "The Courant Daily", "the form starts from courant.toml's values");

    let bad = server
        .post_form(&session, "/newsroom/settings", &with(form.clone(), &[("title", "  "), ("ads_height", "20")]))
        .await;
    assert_eq!(bad.status, 200, "{}", show(&bad));
    assert!(bad.body.contains("site.title"), "the refusal names the field: {}", show(&bad));
    let home = server.get(&Session::anonymous(), "/").await;
    assert_eq!(first(&home.html(), ".site-title").map(text).as_deref(), Some("The Courant Daily"), "nothing changed");

    let saved = server
        .post_form(
            &session,
            "/newsroom/settings",
            &with(form, &[("title", "The Harbour Gazette"), ("feed_items", "3")]),
        )
        .await;
    assert_eq!(
        (saved.status, saved.header("location")),
        (303, Some("/newsroom/settings?done=saved")),
        "{}",
        show(&saved)
    );
    let home = server.get(&Session::anonymous(), "/").await;
    assert_eq!(first(&home.html(), ".site-title").map(text).as_deref(), Some("The Harbour Gazette"));
    let feed = server.get(&Session::anonymous(), "/rss.xml").await;
    assert_eq!(feed.body.matches("<item>").count(), 3, "feeds carry the new number of stories");
    let stored = server.store(|s| async move { s.setting(courant_web::newsroom::SETTINGS_KEY).await }).await;
    assert!(stored.expect("read").is_some_and(|json| json.contains("The Harbour Gazette")), "kept in the store");
    let log = server.store(|s| async move { s.audit_log(5, None).await }).await.expect("audit");
    assert!(log.iter().any(|e| e.action == "settings_changed"), "{log:?}");
}

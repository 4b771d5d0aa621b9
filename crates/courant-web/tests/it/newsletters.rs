//! Issue 20, the reader's side, with the demo's default: no SMTP server, so every email lands in
//! `DATA/outbox/` as an `.eml` file. A reader signs up (double opt-in: nothing but the
//! confirmation before they confirm), confirms from the link, receives an edition with both
//! parts and the list headers, and leaves with one click, no login; bots and other sites are
//! turned away.

use crate::support::*;
use courant_core::ArticleId;
use courant_store::{EditionDraft, ListDraft, ListRule, SubscriberState};
use std::path::Path;
use std::time::{Duration, Instant};

/// The messages in the outbox addressed to `to`, decoded (quoted-printable soft breaks and
/// escapes undone), oldest first.
fn outbox_to(data: &Path, to: &str) -> Vec<String> {
    let Ok(dir) = std::fs::read_dir(data.join("outbox")) else { return Vec::new() };
    let mut found: Vec<(std::time::SystemTime, String)> = dir
        .filter_map(|e| e.ok())
        .filter(|e| e.path().extension().is_some_and(|x| x == "eml"))
        .filter_map(|e| Some((e.metadata().ok()?.modified().ok()?, std::fs::read_to_string(e.path()).ok()?)))
        .filter(|(_, text)| text.contains(&format!("To: {to}\r\n")))
        .map(|(t, text)| (t, quoted_printable(&text)))
        .collect();
    found.sort();
    found.into_iter().map(|(_, t)| t).collect()
}

fn quoted_printable(text: &str) -> String {
    let joined = text.replace("=\r\n", "");
    let bytes = joined.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'=' && i + 2 < bytes.len() {
            if let Ok(b) = u8::from_str_radix(&joined[i + 1..i + 3], 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

async fn wait_for_mail(data: &Path, to: &str, count: usize) -> Vec<String> {
    let started = Instant::now();
    loop {
        let found = outbox_to(data, to);
        if found.len() >= count {
            return found;
        }
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "{count} message(s) to {to} expected in the outbox within 20 s"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The first address in `text` that starts with `prefix`.
fn link(text: &str, prefix: &str) -> String {
    let start = text.find(prefix).unwrap_or_else(|| panic!("no {prefix} link in:\n{text}"));
    text[start..]
        .split(|c: char| c.is_whitespace() || c == '>' || c == '"' || c == '<')
        .next()
        .unwrap_or("")
        .to_string()
}

fn header_of<'a>(eml: &'a str, name: &str) -> &'a str {
    eml.lines()
        .find_map(|l| l.strip_prefix(&format!("{name}: ")))
        .unwrap_or_else(|| panic!("no {name} header in:\n{eml}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reader_signs_up_confirms_receives_an_edition_and_leaves_in_one_click() {
    let mut options = courant_demo::DemoOptions::new(8, time::OffsetDateTime::now_utc());
    options.picture_pool = 2;
    let config = courant::Config::default();
    let site = config.site.url.clone();
    let server = spawn_server(config, options);
    let (base, store, data) = (server.base.clone(), server.store.clone(), server.data.clone());
    let now = time::OffsetDateTime::now_utc();
    let draft = ListDraft {
        slug: "briefing".into(),
        name: "Morning briefing".into(),
        description: "The morning's stories.".into(),
        rule: ListRule::Latest,
        section_id: None,
        stories: 3,
        send_minute: None,
        days: vec![],
        active: true,
    };
    let list = store.save_newsletter_list(None, &draft, None, now).await.expect("a list");
    let client = http_client();
    let post = |path: &str, body: String| {
        client
            .post(format!("{base}{path}"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
    };

    // The sign-up page, reached from every page's footer.
    let home = client.get(format!("{base}/")).send().await.expect("home").text().await.expect("body");
    let doc = scraper::Html::parse_document(&home);
    assert_eq!(select_all(&doc, "footer form.signup[action=\"/newsletters\"] input[type=email]").len(), 1);
    let page = client.get(format!("{base}/newsletters?email=reader%40example.org")).send().await.expect("page");
    assert_eq!(page.status(), 200);
    assert_eq!(page.headers().get("cache-control").and_then(|v| v.to_str().ok()), Some("no-store"));
    let doc = scraper::Html::parse_document(&page.text().await.expect("body"));
    assert_eq!(select_all(&doc, &format!("input[name=list][value=\"{list}\"][checked]")).len(), 1);
    assert_eq!(select_all(&doc, "input[name=email][value=\"reader@example.org\"]").len(), 1);
    assert_eq!(select_all(&doc, ".newsletters-hp input[name=website]").len(), 1, "the honeypot");

    // Refused: no address, another site's form; a bot that fills the honeypot is told what a
    // person is told, and gets nothing.
    let r = post("/newsletters/subscribe", format!("email=nope&list={list}")).await.expect("post");
    assert_eq!(r.status(), 422);
    assert!(r.text().await.expect("body").contains("Email address"));
    let r = client
        .post(format!("{base}/newsletters/subscribe"))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("origin", "https://elsewhere.example")
        .body(format!("email=victim%40example.org&list={list}"))
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), 403, "a form on another site");
    let r = post("/newsletters/subscribe", format!("email=bot%40example.org&list={list}&website=http%3A%2F%2Fspam"))
        .await
        .expect("post");
    assert_eq!(r.status(), 200);
    assert!(r.text().await.expect("body").contains("Check your inbox"));

    // A person signs up: a confirmation, and nothing else, until they confirm.
    let r = post("/newsletters/subscribe", format!("email=Reader%40Example.org&list={list}")).await.expect("post");
    assert_eq!(r.status(), 200);
    let confirmation = wait_for_mail(&data, "reader@example.org", 1).await.remove(0);
    assert!(outbox_to(&data, "bot@example.org").is_empty(), "the bot got nothing");
    assert!(outbox_to(&data, "victim@example.org").is_empty());
    assert!(
        confirmation.contains("multipart/alternative") && confirmation.contains("Morning briefing"),
        "{confirmation}"
    );
    let confirm_url = link(&confirmation, &format!("{site}/newsletters/confirm?t="));
    let confirm_path = confirm_url.strip_prefix(&site).expect("an absolute link to this site");
    let token = confirm_path.split("t=").nth(1).expect("a token").to_string();
    let subscriber = store.subscribers("reader@example.org", 1, 0).await.expect("find").0.remove(0);
    assert_eq!(subscriber.state, SubscriberState::Pending);
    // Asking again at once sends no second email (a limit per address).
    post("/newsletters/subscribe", format!("email=reader%40example.org&list={list}")).await.expect("post");
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(outbox_to(&data, "reader@example.org").len(), 1);

    // The link shows a button (mail scanners open links; only a person presses it).
    let r = client.get(format!("{base}{confirm_path}")).send().await.expect("confirm page");
    assert_eq!(r.status(), 200);
    let doc = scraper::Html::parse_document(&r.text().await.expect("body"));
    assert_eq!(select_all(&doc, "form[action=\"/newsletters/confirm\"] button").len(), 1);
    assert_eq!(store.subscriber(subscriber.id).await.expect("read").expect("there").state, SubscriberState::Pending);
    let forged = client.get(format!("{base}/newsletters/confirm?t={}0", token)).send().await.expect("forged");
    assert_eq!(forged.status(), 404);
    let r = post("/newsletters/confirm", format!("t={token}")).await.expect("confirm");
    assert_eq!(r.status(), 200);
    assert!(r.text().await.expect("body").contains("You are subscribed"));
    let confirmed = store.subscriber(subscriber.id).await.expect("read").expect("there");
    assert_eq!((confirmed.state, confirmed.lists.clone()), (SubscriberState::Confirmed, vec![list]));
    assert!(confirmed.consented_at.is_some());

    // An edition: the sender writes it to the outbox with both parts and the list headers.
    let stories = store.latest(&courant_store::ArticleFilter::All, 2, 0).await.expect("stories");
    let ids: Vec<ArticleId> = stories.iter().map(|s| s.id).collect();
    let edition = store
        .create_edition(
            list,
            &EditionDraft { subject: "Today: two stories".into(), intro: "Good morning.".into(), articles: ids },
            None,
            now,
        )
        .await
        .expect("edition");
    assert_eq!(store.queue_edition(edition, now).await.expect("queue"), Some(1));
    let mail = wait_for_mail(&data, "reader@example.org", 2).await.remove(1);
    assert!(mail.contains("Subject: Today: two stories"), "{mail}");
    assert!(mail.contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click"), "{mail}");
    assert!(mail.contains("Content-Type: text/plain") && mail.contains("Content-Type: text/html"), "{mail}");
    assert!(
        mail.contains(&stories[0].headline) && mail.contains(&format!("{site}{}", stories[0].path().expect("path"))),
        "absolute links: {mail}"
    );
    let unsubscribe = header_of(&mail, "List-Unsubscribe").trim_matches(['<', '>']).to_string();
    assert!(unsubscribe.starts_with(&format!("{site}/newsletters/unsubscribe?t=")), "{unsubscribe}");
    assert!(
        mail.contains(&format!("href=\"{}\"", unsubscribe.replace('&', "&amp;"))),
        "a visible unsubscribe link too"
    );

    // One click, as a mail program sends it: no login, no cookie, no page first.
    let path = unsubscribe.strip_prefix(&site).expect("this site");
    let r = post(path, "List-Unsubscribe=One-Click".into()).await.expect("one click");
    assert_eq!(r.status(), 200);
    let left = store.subscriber(subscriber.id).await.expect("read").expect("there");
    assert_eq!((left.state, left.lists.len()), (SubscriberState::Unsubscribed, 0));
    let forged = post(&path.replace("t=", "t=9"), String::new()).await.expect("forged");
    assert_eq!(forged.status(), 404);
    // The confirmation link, used once already, does not subscribe them again.
    let replayed = post("/newsletters/confirm", format!("t={token}")).await.expect("replay");
    assert_eq!(replayed.status(), 404);
    assert_eq!(
        store.subscriber(subscriber.id).await.expect("read").expect("there").state,
        SubscriberState::Unsubscribed
    );

    // The preferences page from the edition's link brings them back.
    let manage = link(&mail, &format!("{site}/newsletters/manage?t="));
    let manage_token = manage.split("t=").nth(1).expect("token").to_string();
    let r = client.get(manage.replace(&site, &base)).send().await.expect("manage");
    assert_eq!(r.status(), 200);
    let r = post("/newsletters/manage", format!("t={manage_token}&list={list}")).await.expect("save");
    assert_eq!(r.status(), 200);
    assert_eq!(store.subscriber(subscriber.id).await.expect("read").expect("there").state, SubscriberState::Confirmed);
}

/// A newsletter's scheduled time makes its edition by the rule and sends it, once, and the
/// newsletter moves on to its next time.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_scheduled_newsletter_goes_out_at_its_time_once() {
    let mut options = courant_demo::DemoOptions::new(8, time::OffsetDateTime::now_utc());
    options.picture_pool = 2;
    let server = spawn_server(courant::Config::default(), options);
    let (store, data) = (server.store.clone(), server.data.clone());
    let now = time::OffsetDateTime::now_utc();
    let draft = ListDraft {
        slug: "daily".into(),
        name: "Daily".into(),
        description: String::new(),
        rule: ListRule::Latest,
        section_id: None,
        stories: 2,
        send_minute: Some(6 * 60),
        days: vec![1, 2, 3, 4, 5, 6, 7],
        active: true,
    };
    // The reader subscribes while the list has no time yet (the server's loop must not make the
    // edition before there is anyone to send it to), then its time turns out to have come a
    // minute ago (the server was down, say).
    let list = store.save_newsletter_list(None, &draft, None, now).await.expect("list");
    let (reader, _) =
        store.request_subscription("daily@example.org", now, time::Duration::minutes(1), 5).await.expect("ask");
    store.confirm_subscription(reader.id, &[list], now).await.expect("confirm");
    store
        .save_newsletter_list(Some(list), &draft, Some(now - time::Duration::minutes(1)), now)
        .await
        .expect("the list's time");
    let mail = wait_for_mail(&data, "daily@example.org", 1).await.remove(0);
    let newest = store.latest(&courant_store::ArticleFilter::All, 1, 0).await.expect("latest").remove(0);
    // Long headers are folded onto several lines.
    let unfolded = mail.replace("\r\n ", " ");
    assert!(unfolded.contains(&format!("Subject: Daily: {}", newest.headline)), "the rule's newest story: {mail}");
    let editions = store.editions(list, 10).await.expect("editions");
    assert_eq!(editions.len(), 1, "one edition for the time");
    let moved = store.newsletter_lists().await.expect("lists").into_iter().find(|l| l.id == list).expect("the list");
    assert!(moved.next_edition_at.is_some_and(|t| t > now), "the next time is ahead: {:?}", moved.next_edition_at);
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(outbox_to(&data, "daily@example.org").len(), 1, "sent once");
}

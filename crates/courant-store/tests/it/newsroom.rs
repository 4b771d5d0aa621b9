//! The newsroom's writes: drafts and saves with optimistic concurrency and revisions, workflow
//! moves and scheduled publishing exactly once, users and sessions, and refusals to delete
//! what is in use.

use crate::support::*;
use courant_core::*;
use courant_store::{FailureCount, ImageUpdate, NewUser, SaveOutcome, StoreError, UserUpdate};

async fn user(t: &TestStore, email: &str, role: Role) -> User {
    let new = NewUser {
        email: email.into(),
        name: email.split('@').next().unwrap_or("x").into(),
        role,
        password_hash: "$argon2id$not-checked-here".into(),
        must_change_password: false,
        author_id: None,
    };
    t.insert_user(&new, None, at_hour(0)).await.expect("insert user")
}

fn draft(f: &Fixture, headline: &str) -> ArticleDraft {
    ArticleDraft {
        headline: headline.into(),
        standfirst: "What happened.".into(),
        body: "First paragraph.".into(),
        section_id: Some(f.world.id),
        author_ids: vec![f.anna.id],
        tags: vec![f.rail.name.clone(), "A brand new tag".into()],
        source_ids: vec![f.wire.id],
        hero_image_id: Some(f.hero.id),
        ..Default::default()
    }
}

#[tokio::test]
async fn saves_bump_the_version_and_a_stale_save_is_kept_apart() {
    let t = TestStore::new().await;
    let f = fixture(&t).await;
    let writer = user(&t, "writer@paper.example", Role::Contributor).await;
    let id = t.create_article(&draft(&f, "First words"), writer.id, at_hour(1)).await.expect("create");
    let meta = t.article_meta(id).await.expect("meta").expect("exists");
    assert_eq!((meta.version, meta.status, meta.owner_id), (1, Status::Draft, Some(writer.id)));
    let a = load(&t, id).await;
    assert_eq!(
        a.tags.iter().map(|t| t.name.as_str()).collect::<Vec<_>>(),
        [f.rail.name.as_str(), "A brand new tag"],
        "tags made on the fly"
    );

    let saved = t.save_article(id, 1, &draft(&f, "Second words"), writer.id, at_hour(2), "").await.expect("save");
    assert_eq!(saved, SaveOutcome::Saved { version: 2 });
    let stale = t.save_article(id, 1, &draft(&f, "Lost words?"), writer.id, at_hour(3), "").await.expect("save");
    let SaveOutcome::Conflict { current_version, revision } = stale else {
        panic!("expected a conflict, got {stale:?}")
    };
    assert_eq!(current_version, 2);
    assert_eq!(load(&t, id).await.headline, "Second words", "the stale save overwrote nothing");
    let kept = t.revision(id, revision).await.expect("revision").expect("kept");
    assert!(kept.info.conflict);
    assert_eq!(kept.content.headline, "Lost words?", "the writer's text is kept");
    let revisions = t.revisions(id).await.expect("revisions");
    assert_eq!(
        revisions.iter().map(|r| (r.version, r.conflict)).collect::<Vec<_>>(),
        [(1, true), (2, false), (1, false)]
    );
}

#[tokio::test]
async fn a_published_slug_change_keeps_the_old_address() {
    let t = TestStore::new().await;
    let f = fixture(&t).await;
    let editor = user(&t, "editor@paper.example", Role::Editor).await;
    let id = t.create_article(&draft(&f, "Bridge opens"), editor.id, at_hour(1)).await.expect("create");
    t.move_article(id, Status::Published, Some(editor.id), at_hour(2), None).await.expect("publish");
    let published_at = load(&t, id).await.published_at;
    let renamed = ArticleDraft { slug: "bridge-opens-at-last".into(), ..draft(&f, "Bridge opens at last") };
    assert_eq!(t.article_meta(id).await.expect("meta").expect("exists").version, 2, "a status move is a new version");
    t.save_article(id, 2, &renamed, editor.id, at_hour(3), "").await.expect("save");
    let a = load(&t, id).await;
    assert_eq!((a.slug.as_str(), a.published_at, a.updated_at), ("bridge-opens-at-last", published_at, at_hour(3)));
    assert_eq!(t.renamed_article("bridge-opens").await.expect("lookup").map(|s| s.id), Some(id));
}

#[tokio::test]
async fn scheduled_articles_publish_once_at_their_time() {
    let t = TestStore::new().await;
    let f = fixture(&t).await;
    let editor = user(&t, "editor@paper.example", Role::Editor).await;
    let id = t.create_article(&draft(&f, "Budget day"), editor.id, at_hour(1)).await.expect("create");
    t.move_article(id, Status::Scheduled, Some(editor.id), at_hour(1), Some(at_hour(5))).await.expect("schedule");
    assert_eq!(t.next_scheduled().await.expect("next"), Some(at_hour(5)));
    assert!(t.publish_due(at_hour(4)).await.expect("early").is_empty(), "not before its time");
    assert_eq!(t.publish_due(at_hour(5)).await.expect("due"), vec![id]);
    assert!(t.publish_due(at_hour(6)).await.expect("again").is_empty(), "exactly once");
    let a = load(&t, id).await;
    assert_eq!((a.status, a.published_at), (Status::Published, Some(at_hour(5))));
    let log = t.audit_log(50, None).await.expect("audit");
    let published: Vec<_> = log.iter().filter(|e| e.action == "published" && e.article_id == Some(id)).collect();
    assert_eq!(published.len(), 1, "{log:?}");
    assert_eq!(published[0].user_name, None, "the system published it");
    assert!(log.iter().any(|e| e.action == "scheduled" && e.user_name.as_deref() == Some("editor")));

    // A cancelled schedule forgets its planned date.
    let other = t.create_article(&draft(&f, "Later"), editor.id, at_hour(1)).await.expect("create");
    t.move_article(other, Status::Scheduled, Some(editor.id), at_hour(1), Some(at_hour(9))).await.expect("schedule");
    t.move_article(other, Status::Draft, Some(editor.id), at_hour(2), None).await.expect("cancel");
    assert_eq!(load(&t, other).await.published_at, None);
    assert_eq!(t.next_scheduled().await.expect("next"), None);
}

#[tokio::test]
async fn sessions_end_with_logout_everywhere_disabling_and_expiry() {
    let t = TestStore::new().await;
    let u = user(&t, "Someone@Paper.example", Role::Editor).await;
    assert_eq!(u.email, "someone@paper.example");
    t.create_session("h1", u.id, "csrf1", at_hour(0), at_hour(10)).await.expect("session");
    t.create_session("h2", u.id, "csrf2", at_hour(0), at_hour(10)).await.expect("session");
    let courant_store::SessionUser { user: found, csrf_token: csrf } =
        t.session("h1", at_hour(1)).await.expect("session").expect("live");
    assert_eq!((found.id, csrf.as_str()), (u.id, "csrf1"));
    assert!(t.session("h1", at_hour(10)).await.expect("session").is_none(), "expired");
    assert!(t.session("nope", at_hour(1)).await.expect("session").is_none());

    t.set_password(u.id, "$new", false, Some("h1")).await.expect("password");
    assert!(t.session("h1", at_hour(1)).await.expect("s").is_some(), "the session that changed it stays");
    assert!(t.session("h2", at_hour(1)).await.expect("s").is_none(), "others end");

    let update = UserUpdate { name: "Someone".into(), role: Role::Admin, author_id: None, disabled: true };
    t.update_user(u.id, &update, None, at_hour(2)).await.expect("update");
    assert!(t.session("h1", at_hour(1)).await.expect("s").is_none(), "a disabled user's sessions end");
    let log = t.audit_log(10, None).await.expect("audit");
    assert!(log.iter().any(|e| e.action == "role_changed" && e.detail == "editor → admin"), "{log:?}");
    assert!(log.iter().any(|e| e.action == "user_disabled"));

    assert_invalid(
        t.insert_user(&NewUser { email: "someone@paper.example".into(), ..new_user() }, None, at_hour(3)).await,
        "email",
    );
    assert_invalid(
        t.insert_user(&NewUser { email: "not-an-email".into(), ..new_user() }, None, at_hour(3)).await,
        "email",
    );
}

fn new_user() -> NewUser {
    NewUser {
        email: String::new(),
        name: "N".into(),
        role: Role::Contributor,
        password_hash: "$x".into(),
        must_change_password: true,
        author_id: None,
    }
}

#[tokio::test]
async fn reset_links_work_once() {
    let t = TestStore::new().await;
    let u = user(&t, "r@paper.example", Role::Contributor).await;
    t.create_password_reset("tok", &u, None, at_hour(0), at_hour(24)).await.expect("reset");
    assert_eq!(t.password_reset_user("tok", at_hour(1)).await.expect("lookup").map(|x| x.id), Some(u.id));
    t.use_password_reset("tok", "$new", at_hour(1)).await.expect("use");
    assert!(matches!(t.use_password_reset("tok", "$again", at_hour(2)).await, Err(StoreError::NotFound(_))));
    assert_eq!(t.password_hash(u.id).await.expect("hash").as_deref(), Some("$new"));
    t.create_password_reset("late", &u, None, at_hour(0), at_hour(24)).await.expect("reset");
    assert!(t.password_reset_user("late", at_hour(25)).await.expect("lookup").is_none(), "expired");
}

#[tokio::test]
async fn deleting_what_is_used_is_refused_with_the_list() {
    let t = TestStore::new().await;
    let f = fixture(&t).await;
    let editor = user(&t, "editor@paper.example", Role::Editor).await;
    t.create_article(&draft(&f, "Uses everything"), editor.id, at_hour(1)).await.expect("create");
    let refused = |r: Result<(), StoreError>| match r {
        Err(StoreError::InUse { used_by, .. }) => used_by,
        other => panic!("expected a refusal, got {other:?}"),
    };
    assert!(
        refused(t.delete_section(f.world.id, editor.id, at_hour(2)).await).contains(&"Uses everything".to_string())
    );
    assert!(refused(t.delete_section(f.news.id, editor.id, at_hour(2)).await).iter().any(|u| u.contains("World")));
    assert!(refused(t.delete_author(f.anna.id, editor.id, at_hour(2)).await).contains(&"Uses everything".to_string()));
    assert!(refused(t.delete_source(f.wire.id, editor.id, at_hour(2)).await).contains(&"Uses everything".to_string()));
    assert!(refused(t.delete_tag(f.rail.id, editor.id, at_hour(2)).await).contains(&"Uses everything".to_string()));
    t.delete_section(f.sport.id, editor.id, at_hour(2)).await.expect("an unused section goes");
    t.delete_author(f.ben.id, editor.id, at_hour(2)).await.expect("an unused author goes");
    t.delete_source(f.gazette.id, editor.id, at_hour(2)).await.expect("an unused source goes");
    assert_eq!(t.sections().await.expect("sections").len(), 4);
}

#[tokio::test]
async fn merging_tags_moves_their_articles() {
    let t = TestStore::new().await;
    let f = fixture(&t).await;
    let editor = user(&t, "editor@paper.example", Role::Editor).await;
    let both = ArticleDraft { tags: vec![f.rail.name.clone(), f.budget.name.clone()], ..draft(&f, "Both tags") };
    let a = t.create_article(&both, editor.id, at_hour(1)).await.expect("create");
    let only = ArticleDraft { tags: vec![f.rail.name.clone()], ..draft(&f, "Rail only") };
    let b = t.create_article(&only, editor.id, at_hour(1)).await.expect("create");
    t.merge_tags(f.rail.id, f.budget.id, editor.id, at_hour(2)).await.expect("merge");
    assert_eq!(load(&t, a).await.tags.iter().map(|t| t.id).collect::<Vec<_>>(), vec![f.budget.id], "once, not twice");
    assert_eq!(load(&t, b).await.tags.iter().map(|t| t.id).collect::<Vec<_>>(), vec![f.budget.id]);
    assert!(t.tags().await.expect("tags").iter().all(|x| x.id != f.rail.id), "the merged tag is gone");
    assert_invalid(t.merge_tags(f.budget.id, f.budget.id, editor.id, at_hour(3)).await, "into");
}

#[tokio::test]
async fn pictures_are_searchable_and_keep_their_focal_point() {
    let t = TestStore::new().await;
    let f = fixture(&t).await;
    let update = ImageUpdate {
        alt: "Cranes".into(),
        caption: "Cranes at the quay".into(),
        credit: "Photo: Wire".into(),
        keywords: vec!["harbour".into()],
        focal: Focal::new(0.25, 0.75),
    };
    t.update_image(f.hero.id, &update).await.expect("update");
    let img = t.image(f.hero.id).await.expect("image").expect("exists").image;
    assert_eq!(img.focal, Focal::new(0.25, 0.75));
    assert_eq!(
        t.images_page("quay", 10, 0).await.expect("search").items.iter().map(|i| i.id).collect::<Vec<_>>(),
        vec![f.hero.id]
    );
    assert_eq!(t.images_page("harb", 10, 0).await.expect("search").total, 1, "keywords are searched");
    assert_eq!(t.images_page("100%", 10, 0).await.expect("search").total, 0, "LIKE wildcards are literal");
}

#[tokio::test]
async fn login_attempts_are_counted_in_a_window_and_forgiven() {
    let t = TestStore::new().await;
    let keys = vec!["account:a@paper.example".to_string(), "address:10.0.0.1".to_string()];
    let window = time::Duration::minutes(15);
    let count = |at: time::OffsetDateTime, keys: Vec<String>| {
        let store = t.store.clone();
        async move { store.count_login_attempt(&keys, at, at - window).await.expect("count") }
    };
    for minute in 0..3 {
        let counted = count(at_hour(1) + time::Duration::minutes(minute), keys.clone()).await;
        assert_eq!(counted.len(), 2, "both counters: {counted:?}");
        assert!(counted.iter().all(|c| c.failures == minute + 1), "attempt {minute}: {counted:?}");
    }
    // A good login takes its attempt back from the address and clears the account.
    t.forgive_login_attempt(&keys[1]).await.expect("forgive");
    t.clear_login_failures(&keys[0]).await.expect("clear");
    let next = count(at_hour(1) + time::Duration::minutes(3), keys.clone()).await;
    assert_eq!(
        next,
        vec![FailureCount { key: keys[0].clone(), failures: 1 }, FailureCount { key: keys[1].clone(), failures: 3 }],
        "the account starts again; the address keeps its two failures"
    );
    // Past the window, counting starts again at one.
    let later = count(at_hour(2), keys.clone()).await;
    assert!(later.iter().all(|c| c.failures == 1), "a new window: {later:?}");
}

/// Attempts counted at once are each counted: 40 at once see 1 to 40, every number once.
#[tokio::test]
async fn login_attempts_at_once_each_get_their_own_count() {
    let t = TestStore::new().await;
    let keys = vec!["account:b@paper.example".to_string()];
    let now = at_hour(3);
    let attempts = (0..40).map(|_| {
        let (store, keys) = (t.store.clone(), keys.clone());
        tokio::spawn(async move { store.count_login_attempt(&keys, now, now - time::Duration::minutes(15)).await })
    });
    let mut seen = Vec::new();
    for a in attempts.collect::<Vec<_>>() {
        seen.push(a.await.expect("ran").expect("counted")[0].failures);
    }
    seen.sort_unstable();
    assert_eq!(seen, (1..=40).collect::<Vec<i64>>());
}

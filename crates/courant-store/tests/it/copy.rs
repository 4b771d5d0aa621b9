//! Copying a whole publication into another store (`courant migrate-store`): to the other
//! backend than the suite's, every row arrives, the copy is checked, and the copy works on.

use crate::support::*;
use courant_core::*;
use courant_store::{NewUser, PgSettings, Store, StoreError};

/// An empty store on the backend the suite does not run on (PostgreSQL for the SQLite run,
/// SQLite for the PostgreSQL run), and what keeps it alive.
async fn other_store() -> (Store, Option<tempfile::TempDir>) {
    match backend() {
        Backend::Sqlite => {
            let url = postgres_schema().await;
            (Store::connect(&url, &PgSettings::default()).await.expect("connect to PostgreSQL"), None)
        }
        Backend::Postgres => {
            let dir = tempfile::tempdir().expect("temporary folder");
            (Store::open(dir.path()).await.expect("open SQLite"), Some(dir))
        }
    }
}

#[tokio::test]
async fn a_publication_is_copied_whole_checked_and_goes_on_working() {
    let t = TestStore::new().await;
    let f = fixture(&t).await;
    let editor = t
        .insert_user(
            &NewUser {
                email: "editor@paper.example".into(),
                name: "Editor".into(),
                role: Role::Editor,
                password_hash: "$argon2id$hash".into(),
                must_change_password: true,
                author_id: Some(f.anna.id),
            },
            None,
            at_hour(0),
        )
        .await
        .expect("user");
    let published = insert(&t, &new_published(&f, "Harbour reopens after the storm", at_hour(2))).await;
    t.add_correction(published, "An earlier version misnamed the harbour.", at_hour(3)).await.expect("correction");
    let draft = ArticleDraft {
        headline: "Budget talks resume".into(),
        section_id: Some(f.politics.id),
        author_ids: vec![f.ben.id],
        tags: vec!["Budget 2027".into()],
        ..Default::default()
    };
    let drafted = t.create_article(&draft, editor.id, at_hour(4)).await.expect("create");
    t.save_article(drafted, 1, &ArticleDraft { standfirst: "Talks go on.".into(), ..draft }, editor.id, at_hour(5), "")
        .await
        .expect("save");
    t.create_session("token-hash", editor.id, "csrf", at_hour(0), at_hour(1000)).await.expect("session");
    let views = |minute, views| courant_store::MinuteViews { article: published, minute, views };
    t.add_views(&[views(100, 7), views(101, 3)]).await.expect("views");
    t.set_setting("publication", "{\"title\": \"Gazette\"}", editor.id, at_hour(6)).await.expect("setting");
    let upload = t
        .insert_upload(
            NewImage { file: "ab/abcdef.jpg".into(), width: 800, height: 600, ..NewImage::default() },
            editor.id,
            at_hour(7),
        )
        .await
        .expect("upload");

    let (to, _keep) = other_store().await;
    let seen = std::sync::Mutex::new(Vec::new());
    let report = t.copy_to(&to, &|table, _, _| seen.lock().expect("lock").push(table.to_string())).await.expect("copy");
    assert!(seen.lock().expect("lock").iter().any(|t| t == "articles"), "progress names the tables");
    let rows = |table: &str| report.iter().find(|r| r.table == table).map(|r| r.rows);
    assert_eq!(rows("articles"), Some(2));
    assert_eq!(rows("sections"), Some(5));
    assert_eq!(rows("trending_views"), Some(2));
    assert!(rows("revisions").unwrap_or(0) >= 2, "revisions are copied: {report:?}");
    assert!(rows("audit_log").unwrap_or(0) >= 1, "the audit log is copied: {report:?}");

    // The copy reads as the original.
    assert_eq!(to.counts().await.expect("counts"), t.counts().await.expect("counts"));
    for id in [published, drafted] {
        assert_eq!(to.article(id).await.expect("article"), t.article(id).await.expect("article"), "article {id}");
    }
    assert_eq!(to.sections().await.expect("sections"), t.sections().await.expect("sections"), "the section tree");
    assert_eq!(to.image(upload.id).await.expect("image"), t.image(upload.id).await.expect("image"), "uploader kept");
    assert_eq!(to.views_since(0).await.expect("views"), t.views_since(0).await.expect("views"));
    assert_eq!(to.revisions(drafted).await.expect("revisions"), t.revisions(drafted).await.expect("revisions"));
    assert_eq!(to.setting("publication").await.expect("setting"), t.setting("publication").await.expect("setting"));
    let user = to.session("token-hash", at_hour(1)).await.expect("session").expect("the login survives the move").user;
    assert_eq!(user.email, "editor@paper.example");
    assert!(user.must_change_password, "flags are copied");
    assert_eq!(to.last_change().await.expect("last change"), t.last_change().await.expect("last change"));

    // New rows in the copy take new ids.
    let next = to.insert_article(&new_published(&f, "After the move", at_hour(8))).await.expect("insert after copy");
    assert!(next.0 > drafted.0.max(published.0), "a new story gets an id after the copied ones, got {next}");
    let section = to
        .insert_section(NewSection { name: "Weather".into(), ..NewSection::default() })
        .await
        .expect("a new section after the copy");
    assert!(section.id.0 > f.sport.id.0.max(f.europe.id.0));

    // A store that holds something is never copied into.
    match t.copy_to(&to, &|_, _, _| {}).await {
        Err(StoreError::NotEmpty) => {}
        other => panic!("copying into a store that holds a publication should be refused, got {other:?}"),
    }
}

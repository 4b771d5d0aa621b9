//! `courant export` and `courant import courant`: a publication written out and read back into
//! a new store gives the same document again; users come back without their passwords; a
//! store that holds a publication, a cut document and a document of another shape are refused
//! with nothing written.

use crate::support::{Site, testdata};
use courant_core::*;
use courant_store::{NewUser, Store, StoreError};
use time::macros::datetime;

async fn export(store: &Store) -> Vec<u8> {
    let mut out = Vec::new();
    store.export(&mut out, &|_, _, _| {}).await.expect("export");
    out
}

async fn import(store: &Store, document: Vec<u8>) -> Result<courant_store::TableRows, StoreError> {
    store.import_export(Box::new(std::io::Cursor::new(document)), &|_, _| {}).await
}

/// A publication with something in every exported table: imported stories (sections, tags,
/// authors, old addresses, import keys), a user, a story written in the newsroom (a revision
/// and an audit entry), a correction, a renamed slug, a picture and a setting.
async fn publication() -> Site {
    let site = Site::new().await;
    site.import(&testdata("themeunittestdata.wordpress.xml"), None).await.expect("imports");
    let store = site.store();
    let author = store.authors().await.expect("authors")[0].id;
    let user = store
        .insert_user(
            &NewUser {
                email: "editor@harbour.example".into(),
                name: "Eda Tor".into(),
                role: Role::Editor,
                password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".into(),
                must_change_password: false,
                author_id: Some(author),
            },
            None,
            datetime!(2026-12-01 09:00 UTC),
        )
        .await
        .expect("a user");
    let section = store.sections().await.expect("sections")[0].id;
    let draft = ArticleDraft {
        headline: "Harbour wall repaired".into(),
        body: "The wall is *done*.".into(),
        section_id: Some(section),
        author_ids: vec![author],
        tags: vec!["Harbour".into()],
        ..ArticleDraft::default()
    };
    let mut write = store.write().await.expect("write");
    write.create_article(&draft, user.id, datetime!(2026-12-02 10:00 UTC)).await.expect("a draft");
    write.commit().await.expect("commit");
    let published = store.article_by_slug("markup-html-tags-and-formatting").await.expect("read").expect("there");
    store.add_correction(published.id, "A heading was misnamed.", datetime!(2026-12-03 11:00 UTC)).await.expect("fix");
    store.rename_slug(published.id, "markup-and-formatting").await.expect("rename");
    let picture =
        NewImage { file: "ab/abcdef.jpg".into(), width: 1200, height: 800, alt: "A quay".into(), ..Default::default() };
    store.insert_image(picture).await.expect("a picture");
    store.set_setting("site.title", "Harbour Times", user.id, datetime!(2026-12-04 12:00 UTC)).await.expect("set");
    site
}

#[tokio::test]
async fn an_export_read_into_a_new_store_exports_the_same_document() {
    let site = publication().await;
    let first = export(site.store()).await;
    let document: serde_json::Value = serde_json::from_slice(&first).expect("the export is JSON");
    assert_eq!(document["courant_export"], 1);
    let tables = document["tables"].as_object().expect("tables");
    for table in ["articles", "revisions", "corrections", "users", "settings", "redirects", "article_slug_history"] {
        let rows = tables[table]["rows"].as_array().expect("rows");
        assert!(!rows.is_empty(), "{table} is empty in the export");
    }
    for left_out in ["sessions", "article_changes", "trending_views"] {
        assert!(!tables.contains_key(left_out), "{left_out} must not be exported");
    }
    let users = &tables["users"];
    assert!(!users["columns"].as_array().expect("columns").iter().any(|c| c == "password_hash"));
    assert!(!String::from_utf8_lossy(&first).contains("argon2id"), "no password hash may be exported");

    let other = Site::new().await;
    let counts = import(other.store(), first.clone()).await.expect("imports");
    assert!(counts.iter().any(|(t, n)| t == "articles" && *n == 59), "{counts:?}");
    let second = export(other.store()).await;
    assert!(first == second, "export, import, export must give the same document");

    // The copy serves what the first one did; users must choose a new password.
    let renamed = other.store().renamed_article("markup-html-tags-and-formatting").await.expect("read");
    assert_eq!(renamed.map(|a| a.slug).as_deref(), Some("markup-and-formatting"));
    let user = other.store().user_by_email("editor@harbour.example").await.expect("read").expect("there");
    assert_eq!(other.store().password_hash(user.id).await.expect("read").as_deref(), Some(""));
    // New rows do not collide with the ones read in (identities follow on PostgreSQL).
    other
        .store()
        .insert_section(NewSection { name: "Later".into(), ..Default::default() })
        .await
        .expect("a new section");
}

#[tokio::test]
async fn a_store_with_a_publication_a_cut_document_and_a_foreign_one_are_refused() {
    let site = publication().await;
    let document = export(site.store()).await;
    assert!(matches!(import(site.store(), document.clone()).await, Err(StoreError::NotEmpty)));

    let empty = Site::new().await;
    let before = empty.sums().await;
    let text = String::from_utf8(document).expect("utf-8");
    let cases = [
        ("cut", text[..text.len() / 2].to_string(), "not a Courant export"),
        (
            "cut between tables",
            text[..text.find("\n\"articles\"").expect("articles")].to_string(),
            "not a Courant export",
        ),
        ("another format", text.replacen("\"courant_export\":1", "\"courant_export\":7", 1), "its format is 7"),
        (
            "an unknown table",
            text.replacen("\"settings\":{", "\"gossip\":{\"columns\":[],\"rows\":[]},\"settings\":{", 1),
            "gossip",
        ),
        ("an unknown column", text.replacen("\"columns\":[\"key\"", "\"columns\":[\"colour\",\"key\"", 1), ""),
        ("a wrong value", text.replacen("\"Harbour Times\"", "17", 1), "not a value"),
        (
            "a Ghost export",
            std::fs::read_to_string(testdata("ghost/migrate-assetscraper-ghost.json")).expect("read"),
            "no \"courant_export\"",
        ),
    ];
    for (what, text, says) in cases {
        let Err(e) = import(empty.store(), text.into_bytes()).await else { panic!("{what} was imported") };
        assert!(e.to_string().contains(says), "{what}: the error should say {says:?}: {e}");
        assert_eq!(empty.sums().await, before, "{what} changed the store");
    }
}

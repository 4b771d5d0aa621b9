//! Opening, migrating and checking a store.

use crate::support::*;
use courant_store::{ArticleFilter, Counts, Page};

#[tokio::test]
async fn fresh_store_is_migrated_empty_and_healthy() {
    let t = TestStore::new().await;

    let pending = t.pending_migrations().await.expect("pending_migrations");
    assert!(pending.is_empty(), "a store opened with Store::open should have no pending migration, got {pending:?}");
    assert!(t.is_empty().await.expect("is_empty"), "a fresh store should be empty");
    assert_eq!(counts(&t).await, Counts::default(), "a fresh store should hold nothing");
    let problems = t.integrity_problems().await.expect("integrity_problems");
    assert!(problems.is_empty(), "a fresh store should be healthy, got {problems:?}");

    assert!(t.sections().await.expect("sections").is_empty(), "no sections yet");
    assert!(t.authors().await.expect("authors").is_empty(), "no authors yet");
    let page = t.published(&ArticleFilter::All, 10, 0).await.expect("published");
    assert_eq!(page, Page { items: vec![], total: 0 }, "nothing is published yet");
}

#[tokio::test]
async fn unmigrated_store_reports_its_pending_migrations_until_migrated() {
    let t = TestStore::unmigrated().await;

    let pending = t.pending_migrations().await.expect("pending_migrations before any migration");
    assert!(pending.contains(&1), "migration 1 (content) should be pending on an empty database, got {pending:?}");

    t.migrate().await.expect("migrate");
    let pending = t.pending_migrations().await.expect("pending_migrations after migrate");
    assert!(pending.is_empty(), "nothing should be pending after migrate(), got {pending:?}");
    assert!(t.is_empty().await.expect("is_empty"), "migrating creates no content");
    let problems = t.integrity_problems().await.expect("integrity_problems");
    assert!(problems.is_empty(), "a freshly migrated store should be healthy, got {problems:?}");
}

#[tokio::test]
async fn migrating_again_and_reopening_are_harmless() {
    let t = TestStore::new().await;
    let f = fixture(&t).await;
    let id = insert(&t, &new_published(&f, "Harbour reopens", at_hour(1))).await;
    let before = load(&t, id).await;
    let counts_before = counts(&t).await;

    t.migrate().await.expect("second migrate() on an up-to-date store");
    t.migrate().await.expect("third migrate() on an up-to-date store");

    // Opening the same database again runs the migrator once more, as every server start does.
    let again = t.reopen().await;
    let pending = again.pending_migrations().await.expect("pending_migrations after reopening");
    assert!(pending.is_empty(), "reopening should leave nothing pending, got {pending:?}");
    assert_eq!(again.counts().await.expect("counts after reopening"), counts_before, "reopening lost or added rows");
    assert_eq!(
        again.sections().await.expect("sections after reopening"),
        f.sections_in_tree_order(),
        "sections should survive re-running migrations"
    );
    let reread = again.article(id).await.expect("article after reopening");
    assert_eq!(reread.as_ref(), Some(&before), "the article should read back unchanged through the second handle");
    again.close().await;

    // The first handle still works and still sees everything.
    assert_eq!(load(&t, id).await, before, "the first handle should be unaffected by the second");
    let problems = t.integrity_problems().await.expect("integrity_problems");
    assert!(problems.is_empty(), "re-running migrations broke something: {problems:?}");
}

#[tokio::test]
async fn is_empty_until_a_section_exists() {
    let t = TestStore::new().await;
    assert!(t.is_empty().await.expect("is_empty"), "a fresh store should be empty");

    // Authors, tags, sources and images alone do not make a publication.
    author(&t, "Anna Petrova", None).await;
    tag(&t, "Climate").await;
    source(&t, "Courant Wire", "https://wire.example.org").await;
    assert!(
        t.is_empty().await.expect("is_empty"),
        "is_empty() is documented as 'no section and no article'; authors, tags and sources should not count"
    );

    section(&t, "News", None, 0).await;
    assert!(!t.is_empty().await.expect("is_empty"), "a store with a section is not empty");
}

#[tokio::test]
async fn integrity_holds_after_every_kind_of_write() {
    let t = TestStore::new().await;
    let f = fixture(&t).await;
    let first = insert(&t, &new_published(&f, "Harbour reopens", at_hour(1))).await;
    let second = insert(
        &t,
        &courant_core::NewArticle {
            hero_image_id: Some(f.hero.id),
            author_ids: vec![f.ben.id, f.anna.id],
            tag_ids: vec![f.rail.id, f.climate.id],
            source_ids: vec![f.wire.id],
            related_ids: vec![first],
            ..new_published(&f, "Ferries are back", at_hour(2))
        },
    )
    .await;
    t.add_correction(second, "An earlier version gave the wrong date.", at_hour(3)).await.expect("add_correction");
    t.rename_slug(first, "harbour-reopens-at-last").await.expect("rename_slug");
    t.set_status(first, courant_core::Status::Unpublished, at_hour(4)).await.expect("set_status");

    let problems = t.integrity_problems().await.expect("integrity_problems");
    assert!(problems.is_empty(), "the store reports problems after ordinary writes: {problems:?}");
}

/// The two dialects' migrations leave the same tables, columns (in SQLite's terms: booleans and
/// integers are INTEGER, timestamps TEXT), nullability and indexes. Runs in both suites: it
/// needs the PostgreSQL server whichever backend the rest of the suite uses.
#[tokio::test]
async fn sqlite_and_postgres_migrations_leave_equivalent_schemas() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let sqlite = courant_store::Store::open(dir.path()).await.expect("open SQLite");
    let postgres = courant_store::Store::connect(&postgres_schema().await, &courant_store::PgSettings::default())
        .await
        .expect("connect to PostgreSQL");
    let (a, b) = (sqlite.schema().await.expect("SQLite schema"), postgres.schema().await.expect("PostgreSQL schema"));
    assert!(a.columns.len() > 60, "the schema should have been read, got {} columns", a.columns.len());
    let only = |x: &[(String, String, String, bool)], y: &[(String, String, String, bool)]| -> Vec<String> {
        x.iter().filter(|c| !y.contains(c)).map(|c| format!("{}.{} {} not null={}", c.0, c.1, c.2, c.3)).collect()
    };
    assert_eq!(only(&a.columns, &b.columns), Vec::<String>::new(), "columns only SQLite has (or has otherwise)");
    assert_eq!(only(&b.columns, &a.columns), Vec::<String>::new(), "columns only PostgreSQL has (or has otherwise)");
    assert_eq!(a.indexes, b.indexes, "indexes (SQLite, PostgreSQL)");
}

//! A fresh store per test, on the backend the environment names, for the test suites of this
//! crate and of the crates above it (feature `testing`). `COURANT_TEST_BACKEND` is `sqlite`
//! (the default) or `postgres`, with `COURANT_TEST_POSTGRES` naming a server whose user may
//! create schemas; anything else fails loudly rather than skip.

use crate::{PgSettings, Store};
use std::ops::Deref;
use tempfile::TempDir;

/// The environment variable naming the backend the suite runs against.
pub const BACKEND_VAR: &str = "COURANT_TEST_BACKEND";
/// The PostgreSQL server the suite uses when the backend is `postgres`: a URL whose user may
/// create schemas (`scripts/test` starts a throwaway server and sets it).
pub const POSTGRES_VAR: &str = "COURANT_TEST_POSTGRES";

/// The databases this suite can run against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// The embedded SQLite database, in a temporary data folder per test.
    Sqlite,
    /// A PostgreSQL server, in a schema of its own per test.
    Postgres,
}

/// The backend chosen by `COURANT_TEST_BACKEND`: `sqlite` (or unset, or empty) or `postgres`.
/// Anything else panics: a misspelt backend must fail loudly rather than let the suite pass
/// without having tested what was asked.
pub fn backend() -> Backend {
    match std::env::var(BACKEND_VAR) {
        Err(std::env::VarError::NotPresent) => Backend::Sqlite,
        Ok(name) if name.is_empty() || name == "sqlite" => Backend::Sqlite,
        Ok(name) if name == "postgres" => Backend::Postgres,
        Ok(name) => panic!(
            "{BACKEND_VAR}={name:?} is not a backend this test suite can run: \"sqlite\" or \"postgres\". \
             Not skipping silently."
        ),
        Err(std::env::VarError::NotUnicode(raw)) => {
            panic!("{BACKEND_VAR} is not valid UTF-8: {raw:?}")
        }
    }
}

/// The PostgreSQL server's URL; panics (the test fails) when it is not set.
pub fn postgres_url() -> String {
    match std::env::var(POSTGRES_VAR) {
        Ok(url) if !url.is_empty() => url,
        _ => panic!(
            "this test needs {POSTGRES_VAR}=postgres://user@host:port/database, a PostgreSQL server it \
             may create schemas on (scripts/test starts one). Not skipping silently."
        ),
    }
}

/// A new, empty schema on the test server, and the URL of a connection that works in it.
pub async fn postgres_schema() -> String {
    use sqlx::Connection;
    static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let base = postgres_url();
    let schema = format!(
        "it_{}_{}_{}",
        std::process::id(),
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.subsec_nanos()),
        NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    );
    let mut admin = sqlx::PgConnection::connect(&base)
        .await
        .unwrap_or_else(|e| panic!("connect to the test PostgreSQL server ({POSTGRES_VAR}): {e}"));
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE SCHEMA {schema}")))
        .execute(&mut admin)
        .await
        .unwrap_or_else(|e| panic!("create schema {schema}: {e}"));
    let _ = admin.close().await;
    let separator = if base.contains('?') { '&' } else { '?' };
    format!("{base}{separator}options=-c%20search_path%3D{schema}")
}

/// A fresh, private store for one test. Derefs to [`Store`]; `store` can be cloned into tasks.
pub struct TestStore {
    /// Declared first so it is dropped before what it lives in.
    pub store: Store,
    scratch: Scratch,
}

/// What must outlive the store and be cleaned up after it.
enum Scratch {
    /// The SQLite data folder, deleted when the test ends.
    Sqlite(TempDir),
    /// The URL of the test's schema (left behind: the server is thrown away after the run).
    Postgres(String),
}

impl TestStore {
    /// A new store, migrated, holding nothing.
    pub async fn new() -> TestStore {
        TestStore::create(true).await
    }

    /// A new store whose schema has not been created (for migration tests).
    pub async fn unmigrated() -> TestStore {
        TestStore::create(false).await
    }

    async fn create(migrate: bool) -> TestStore {
        match backend() {
            Backend::Sqlite => {
                let dir = tempfile::Builder::new()
                    .prefix("courant-store-it-")
                    .tempdir()
                    .expect("create a temporary data folder");
                let opened = if migrate {
                    Store::open(dir.path()).await
                } else {
                    Store::open_without_migrating(dir.path()).await
                };
                let store = opened.unwrap_or_else(|e| panic!("open an SQLite store in {}: {e}", dir.path().display()));
                TestStore { store, scratch: Scratch::Sqlite(dir) }
            }
            Backend::Postgres => {
                let url = postgres_schema().await;
                let settings = PgSettings { max_connections: 4, ..PgSettings::default() };
                let opened = if migrate {
                    Store::connect(&url, &settings).await
                } else {
                    Store::connect_without_migrating(&url, &settings).await
                };
                let store = opened.unwrap_or_else(|e| panic!("connect to the PostgreSQL store: {e}"));
                TestStore { store, scratch: Scratch::Postgres(url) }
            }
        }
    }

    /// A second handle on the same database, opened (and so migrated) again from scratch, as a
    /// restarted server would.
    pub async fn reopen(&self) -> Store {
        match &self.scratch {
            Scratch::Sqlite(dir) => Store::open(dir.path())
                .await
                .unwrap_or_else(|e| panic!("reopen the SQLite store in {}: {e}", dir.path().display())),
            Scratch::Postgres(url) => Store::connect(url, &PgSettings::default())
                .await
                .unwrap_or_else(|e| panic!("reconnect to the PostgreSQL store: {e}")),
        }
    }
}

impl Deref for TestStore {
    type Target = Store;

    fn deref(&self) -> &Store {
        &self.store
    }
}

//! Persistence of the publication behind one API, [`Store`], on either of two databases:
//!
//! - SQLite, embedded, the zero-set-up default: a file in the data folder (`sqlite.rs`);
//! - PostgreSQL, for several nodes serving one publication (`postgres.rs`).
//!
//! All SQL of Courant lives in this crate, written once: the files of queries (`articles.rs`,
//! `newsroom.rs`, ...) use `$1` placeholders and SQL both dialects read, and each backend module
//! compiles them against its own connection and row types. Where the dialects differ, the
//! query asks its backend's `dialect` module. [`Store`] hands each call to its backend: its
//! public methods are written out, and documented, in `api/`, one file per file of queries.

// The files of queries are compiled once per backend on purpose (see above).
#![allow(clippy::duplicate_mod)]

/// The files of queries, compiled into each backend's module (`sqlite.rs`, `postgres.rs`).
macro_rules! query_files {
    () => {
        #[path = "articles.rs"]
        pub(crate) mod articles;
        #[path = "changes.rs"]
        pub(crate) mod changes;
        #[path = "copying.rs"]
        pub(crate) mod copying;
        #[path = "front.rs"]
        pub(crate) mod front;
        #[path = "imports.rs"]
        pub(crate) mod imports;
        #[path = "newsletters.rs"]
        pub(crate) mod newsletters;
        #[path = "newsroom.rs"]
        pub(crate) mod newsroom;
        #[path = "pages.rs"]
        pub(crate) mod pages;
        #[path = "registry.rs"]
        pub(crate) mod registry;
        #[path = "related.rs"]
        pub(crate) mod related;
        #[path = "rows.rs"]
        pub(crate) mod rows;
        #[path = "site.rs"]
        pub(crate) mod site;
        #[path = "taxonomy.rs"]
        pub(crate) mod taxonomy;
        #[path = "trending.rs"]
        pub(crate) mod trending;
        #[path = "users.rs"]
        pub(crate) mod users;
        #[path = "webhooks.rs"]
        pub(crate) mod webhooks;
        #[path = "wire.rs"]
        pub(crate) mod wire;
        #[path = "wire_feeds.rs"]
        pub(crate) mod wire_feeds;
    };
}

/// Hands a call to the backend.
macro_rules! on_backend {
    ($store:expr, $b:ident => $call:expr) => {
        match &$store.backend {
            Backend::Sqlite($b) => $call,
            Backend::Postgres($b) => $call,
        }
    };
}

// After `on_backend!`, which its methods use (macros are in scope from their definition on).
mod api;
mod copy;
mod error;
mod export;
mod postgres;
mod sqlite;
#[cfg(feature = "testing")]
pub mod testing;
mod types;
mod write;

pub use copy::TableCopy;
pub use error::StoreError;
pub use export::{EXPORT_FORMAT, LEFT_OUT, TableRows};
pub use postgres::PgSettings;
pub use types::*;
pub use write::Write;

use std::path::Path;
use time::OffsetDateTime;

/// The PostgreSQL channel a write that logged a change notifies, so other nodes read the change
/// log at once.
const CHANGES_CHANNEL: &str = "courant_changes";

/// The file name of the SQLite database inside the data folder.
pub const SQLITE_FILE: &str = sqlite::FILE;

/// The publication's database.
#[derive(Clone, Debug)]
pub struct Store {
    backend: Backend,
}

#[derive(Clone, Debug)]
enum Backend {
    Sqlite(sqlite::Store),
    Postgres(postgres::Store),
}

/// Where a publication's database is: a data folder (SQLite) or a PostgreSQL server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// The SQLite file inside this data folder.
    Sqlite(std::path::PathBuf),
    /// A `postgres://` URL.
    Postgres(String),
}

impl Location {
    /// Reads `sqlite:DIR`, `postgres://...` or `postgresql://...`; a bare path is a data folder.
    pub fn parse(text: &str) -> Result<Location, String> {
        let text = text.trim();
        if text.starts_with("postgres://") || text.starts_with("postgresql://") {
            Ok(Location::Postgres(text.to_string()))
        } else if let Some(dir) = text.strip_prefix("sqlite:") {
            if dir.is_empty() {
                return Err("sqlite: needs a data folder after it, as in sqlite:./data".into());
            }
            Ok(Location::Sqlite(dir.into()))
        } else if text.contains("://") {
            Err(format!(
                "{text:?} is not a store Courant knows: give postgres://user:password@host/database or sqlite:DIR"
            ))
        } else if text.is_empty() {
            Err("the store location is empty: give postgres://... or sqlite:DIR".into())
        } else {
            Ok(Location::Sqlite(text.into()))
        }
    }
}

impl std::fmt::Display for Location {
    /// The location without a password, fit for logs.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Location::Sqlite(dir) => write!(f, "sqlite:{}", dir.display()),
            Location::Postgres(url) => write!(f, "{}", redact_password(url)),
        }
    }
}

/// `url` with its password (if any) replaced by `***`.
pub fn redact_password(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let (authority, tail) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    match authority.rsplit_once('@') {
        Some((userinfo, host)) => match userinfo.split_once(':') {
            Some((user, _)) => format!("{scheme}://{user}:***@{host}{tail}"),
            None => url.to_string(),
        },
        None => url.to_string(),
    }
}

/// How much the store holds, for `courant check`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counts {
    pub published: i64,
    pub drafts: i64,
    pub scheduled: i64,
    pub unpublished: i64,
    pub sections: i64,
    pub authors: i64,
    pub tags: i64,
    pub sources: i64,
    pub images: i64,
}

/// A database's schema in SQLite's terms: (table, column, type, not null) and index names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Schema {
    pub columns: Vec<(String, String, String, bool)>,
    pub indexes: Vec<String>,
}

impl Store {
    /// Opens (creating if needed) the SQLite store in the data folder `dir` and applies pending
    /// migrations.
    pub async fn open(dir: &Path) -> Result<Store, StoreError> {
        let store = Store::open_without_migrating(dir).await?;
        store.migrate().await?;
        Ok(store)
    }

    /// Opens the SQLite store without touching its schema (for `courant check`, which only
    /// reports).
    pub async fn open_without_migrating(dir: &Path) -> Result<Store, StoreError> {
        Ok(Store { backend: Backend::Sqlite(sqlite::Store::open(dir).await?) })
    }

    /// Connects to a PostgreSQL store and applies pending migrations.
    pub async fn connect(url: &str, settings: &PgSettings) -> Result<Store, StoreError> {
        let store = Store::connect_without_migrating(url, settings).await?;
        store.migrate().await?;
        Ok(store)
    }

    /// Connects to a PostgreSQL store without touching its schema.
    pub async fn connect_without_migrating(url: &str, settings: &PgSettings) -> Result<Store, StoreError> {
        Ok(Store { backend: Backend::Postgres(postgres::Store::connect(url, settings).await?) })
    }

    /// Opens the store at `location`, migrated.
    pub async fn open_at(location: &Location, settings: &PgSettings) -> Result<Store, StoreError> {
        match location {
            Location::Sqlite(dir) => Store::open(dir).await,
            Location::Postgres(url) => Store::connect(url, settings).await,
        }
    }

    /// Opens the store at `location` without touching its schema.
    pub async fn open_at_without_migrating(location: &Location, settings: &PgSettings) -> Result<Store, StoreError> {
        match location {
            Location::Sqlite(dir) => Store::open_without_migrating(dir).await,
            Location::Postgres(url) => Store::connect_without_migrating(url, settings).await,
        }
    }

    /// True on PostgreSQL, where several nodes may share the store.
    pub fn is_shared(&self) -> bool {
        matches!(self.backend, Backend::Postgres(_))
    }

    /// Applies the migrations not yet applied. Safe to call on every start.
    pub async fn migrate(&self) -> Result<(), StoreError> {
        on_backend!(self, b => b.migrate().await)
    }

    /// Brings the planner's statistics up to date after the store has grown a lot at once (the
    /// demo, an import). SQLite gathers them on every start too; PostgreSQL keeps its own.
    pub async fn refresh_statistics(&self) -> Result<(), StoreError> {
        match &self.backend {
            Backend::Sqlite(b) => b.refresh_statistics().await,
            Backend::Postgres(_) => Ok(()),
        }
    }

    /// Migrations known to this binary that the database has not applied yet.
    pub async fn pending_migrations(&self) -> Result<Vec<i64>, StoreError> {
        on_backend!(self, b => b.pending_migrations().await)
    }

    /// Checks the database for corruption and broken references; returns the problems found,
    /// empty when healthy.
    pub async fn integrity_problems(&self) -> Result<Vec<String>, StoreError> {
        on_backend!(self, b => b.integrity_problems().await)
    }

    /// Writes a consistent copy of the whole store to `file`, which must not exist, while the
    /// store stays in use (SQLite's `VACUUM INTO`: one read transaction). PostgreSQL is backed
    /// up with its own tools (`pg_dump`): `None` there, and nothing is written.
    pub async fn snapshot_into(&self, file: &Path) -> Result<Option<()>, StoreError> {
        match &self.backend {
            Backend::Sqlite(b) => b.snapshot_into(file).await.map(Some),
            Backend::Postgres(_) => Ok(None),
        }
    }

    /// The schema the migrations left, in SQLite's terms (to compare the dialects).
    pub async fn schema(&self) -> Result<Schema, StoreError> {
        on_backend!(self, b => b.schema().await)
    }

    /// How many writes this process has committed: the page cache compares it with what it has
    /// seen, to follow this process's changes at once (other processes' through the change log).
    pub fn local_writes(&self) -> u64 {
        on_backend!(self, b => b.local_writes())
    }

    /// Waits until another process may have written (PostgreSQL tells; SQLite cannot, so this
    /// waits the whole `poll`), or `poll` passes. The caller then reads the change log, which
    /// stays the record: a notification lost to a dropped connection only delays a change
    /// until the next poll.
    pub async fn wait_for_writes(&self, listener: &mut Option<Listener>, poll: std::time::Duration) {
        match &self.backend {
            Backend::Sqlite(_) => tokio::time::sleep(poll).await,
            Backend::Postgres(b) => {
                if listener.is_none() {
                    match b.listen().await {
                        Ok(l) => *listener = Some(Listener(l)),
                        Err(e) => tracing::debug!(error = %e, "cannot listen for changes; polling"),
                    }
                }
                let Some(Listener(l)) = listener else {
                    return tokio::time::sleep(poll).await;
                };
                match tokio::time::timeout(poll, l.try_recv()).await {
                    Ok(Ok(Some(_))) | Err(_) => {}
                    // The connection dropped: listen again on the next call.
                    Ok(Ok(None)) | Ok(Err(_)) => *listener = None,
                }
            }
        }
    }

    /// Waits for pending writes and closes every connection.
    pub async fn close(&self) {
        on_backend!(self, b => b.close().await)
    }
}

/// A connection that hears other nodes' writes (see [`Store::wait_for_writes`]).
pub struct Listener(sqlx::postgres::PgListener);

impl std::fmt::Debug for Listener {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Listener")
    }
}

/// The migrations of one dialect as sqlx runs them.
fn migrator(migrations: &'static [(i64, &'static str, &'static str)]) -> sqlx::migrate::Migrator {
    sqlx::migrate::Migrator::with_migrations(
        migrations
            .iter()
            .map(|(version, description, sql)| {
                // A migration that manages its own transaction says so on its first line (it
                // rebuilds a table, which needs foreign keys off, outside any transaction).
                let no_tx = sql.starts_with("-- no-transaction");
                sqlx::migrate::Migration::new(
                    *version,
                    (*description).into(),
                    sqlx::migrate::MigrationType::Simple,
                    sqlx::SqlSafeStr::into_sql_str(*sql),
                    no_tx,
                )
            })
            .collect(),
    )
}

/// Timestamps are stored in UTC, to the second, so that their text form sorts in time order.
fn ts(t: OffsetDateTime) -> OffsetDateTime {
    let t = t.to_offset(time::UtcOffset::UTC);
    t.replace_nanosecond(0).unwrap_or(t)
}

/// A parenthesised list of `n` placeholders numbered from `$first`: `($3, $4, $5)`.
fn marks(n: usize, first: usize) -> String {
    let list: Vec<String> = (first..first + n).map(|i| format!("${i}")).collect();
    format!("({})", list.join(", "))
}

/// The rows of a multi-row `VALUES`: `rows` lists of `columns` placeholders, numbered from `$1`.
fn value_rows(rows: usize, columns: usize) -> String {
    let list: Vec<String> = (0..rows).map(|r| marks(columns, r * columns + 1)).collect();
    list.join(", ")
}

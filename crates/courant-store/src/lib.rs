//! Persistence of the publication behind one API, [`Store`].
//!
//! All SQL of Courant lives in this crate. The statements use `$1` placeholders and portable SQL
//! so that a PostgreSQL implementation can follow behind the same API and the same test suite;
//! the embedded SQLite database is the zero-set-up default. SQLite runs in WAL mode with one
//! writer connection and a pool of readers, so pages keep rendering while the newsroom writes.

mod articles;
mod error;
mod newsroom;
mod readers;
mod registry;
mod rows;
mod taxonomy;
mod trending;
mod users;
mod webhooks;

pub use articles::{ArticleFilter, ArticleQuery, ArticleText, Page, PublishedMonth, section_path};
pub use error::StoreError;
pub use newsroom::{ArticleMeta, AuditEntry, NewsroomFilter, NewsroomItem, Revision, RevisionInfo, SaveOutcome};
pub use registry::ImageUpdate;
pub use taxonomy::RESERVED_SECTION_SLUGS;
pub use users::{NewUser, UserUpdate};
pub use webhooks::{ChangeEvent, Delivery};

use sqlx::SqlSafeStr;
use sqlx::migrate::{Migration, MigrationType, Migrator};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous};
use std::path::{Path, PathBuf};
use std::time::Duration;
use time::OffsetDateTime;

/// The file name of the SQLite database inside the data folder.
pub const SQLITE_FILE: &str = "courant.db";

/// The migrations of the SQLite dialect, embedded in the binary. PostgreSQL's will sit beside
/// them with the same numbers.
const SQLITE_MIGRATIONS: &[(i64, &str, &str)] = &[
    (1, "content", include_str!("../migrations/sqlite/0001_content.sql")),
    (2, "changes", include_str!("../migrations/sqlite/0002_changes.sql")),
    (3, "trending", include_str!("../migrations/sqlite/0003_trending.sql")),
    (4, "webhooks", include_str!("../migrations/sqlite/0004_webhooks.sql")),
    (5, "newsroom", include_str!("../migrations/sqlite/0005_newsroom.sql")),
    (6, "settings", include_str!("../migrations/sqlite/0006_settings.sql")),
    (7, "change_before", include_str!("../migrations/sqlite/0007_change_before.sql")),
    (8, "listing_order", include_str!("../migrations/sqlite/0008_listing_order.sql")),
];

/// The publication's database.
#[derive(Clone, Debug)]
pub struct Store {
    /// One connection: SQLite admits one writer at a time, and queueing here is cheaper than
    /// retrying on `SQLITE_BUSY`.
    write: SqlitePool,
    read: readers::Readers,
    path: PathBuf,
    /// Writes this process has committed: the page cache compares it with what it has seen, to
    /// follow this process's changes at once (other processes' through the change log).
    writes: std::sync::Arc<std::sync::atomic::AtomicU64>,
}

/// How many articles of each status the store holds, and how many of the rest; for `courant check`.
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

impl Store {
    /// Opens (creating if needed) the SQLite store in the data folder `dir` and applies pending
    /// migrations.
    pub async fn open(dir: &Path) -> Result<Store, StoreError> {
        let store = Store::open_without_migrating(dir).await?;
        store.migrate().await?;
        Ok(store)
    }

    /// Opens the store without touching its schema (for `courant check`, which only reports).
    pub async fn open_without_migrating(dir: &Path) -> Result<Store, StoreError> {
        std::fs::create_dir_all(dir).map_err(|e| StoreError::Io { path: dir.to_owned(), source: e })?;
        let path = dir.join(SQLITE_FILE);
        let options = SqliteConnectOptions::new()
            .filename(&path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .busy_timeout(Duration::from_secs(5))
            .foreign_keys(true);
        // The database is a file in this process: a connection cannot go stale, so it is not
        // pinged before each use (which would double the cost of a small query).
        let pool = || SqlitePoolOptions::new().test_before_acquire(false);
        let write = pool().max_connections(1).connect_with(options.clone()).await?;
        let readers = std::thread::available_parallelism().map_or(4, |n| n.get() as u32 * 2).max(4);
        let mut connections = Vec::with_capacity(readers as usize);
        let read_only = options.read_only(true);
        for _ in 0..readers {
            connections.push(sqlx::ConnectOptions::connect(&read_only).await?);
        }
        let read = readers::Readers::new(connections);
        Ok(Store { write, read, path, writes: Default::default() })
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Applies the migrations not yet applied. Safe to call on every start.
    pub async fn migrate(&self) -> Result<(), StoreError> {
        migrator().run(&self.write).await?;
        Ok(())
    }

    /// Migrations known to this binary that the database has not applied yet.
    pub async fn pending_migrations(&self) -> Result<Vec<i64>, StoreError> {
        let applied: Vec<i64> = match sqlx::query_scalar("SELECT version FROM _sqlx_migrations WHERE success")
            .fetch_all(&mut *self.read.get().await?)
            .await
        {
            Ok(v) => v,
            // A database that never ran a migration has no bookkeeping table yet.
            Err(sqlx::Error::Database(e)) if e.message().contains("no such table") => Vec::new(),
            Err(e) => return Err(e.into()),
        };
        Ok(SQLITE_MIGRATIONS.iter().map(|m| m.0).filter(|v| !applied.contains(v)).collect())
    }

    /// Checks the database file for corruption and broken references; returns the problems
    /// found, empty when healthy.
    pub async fn integrity_problems(&self) -> Result<Vec<String>, StoreError> {
        // SQLite-specific pragmas; PostgreSQL keeps its own consistency and needs no such check.
        let mut problems: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check")
            .fetch_all(&mut *self.read.get().await?)
            .await?
            .into_iter()
            .filter(|line: &String| line != "ok")
            .collect();
        let fk: Vec<(String, i64)> = sqlx::query_as("SELECT \"table\", rowid FROM pragma_foreign_key_check")
            .fetch_all(&mut *self.read.get().await?)
            .await?;
        problems.extend(fk.into_iter().map(|(t, row)| format!("{t} row {row} refers to a missing row")));
        Ok(problems)
    }

    /// How much the store holds.
    pub async fn counts(&self) -> Result<Counts, StoreError> {
        let by_status: Vec<(String, i64)> = sqlx::query_as("SELECT status, COUNT(*) FROM articles GROUP BY status")
            .fetch_all(&mut *self.read.get().await?)
            .await?;
        let mut c = Counts::default();
        for (status, n) in by_status {
            match status.as_str() {
                "published" => c.published = n,
                "draft" => c.drafts = n,
                "scheduled" => c.scheduled = n,
                _ => c.unpublished = n,
            }
        }
        for (table, slot) in [
            ("sections", &mut c.sections),
            ("authors", &mut c.authors),
            ("tags", &mut c.tags),
            ("sources", &mut c.sources),
            ("images", &mut c.images),
        ] {
            *slot = sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT COUNT(*) FROM {table}")))
                .fetch_one(&mut *self.read.get().await?)
                .await?;
        }
        Ok(c)
    }

    /// True when the store holds no section and no article: a new publication.
    pub async fn is_empty(&self) -> Result<bool, StoreError> {
        let n: i64 = sqlx::query_scalar("SELECT (SELECT COUNT(*) FROM sections) + (SELECT COUNT(*) FROM articles)")
            .fetch_one(&mut *self.read.get().await?)
            .await?;
        Ok(n == 0)
    }

    /// Answers when the database can be read.
    pub async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1").execute(&mut *self.read.get().await?).await?;
        Ok(())
    }

    /// How many writes this process has committed (see [`Store`]'s `writes`).
    pub fn local_writes(&self) -> u64 {
        self.writes.load(std::sync::atomic::Ordering::Acquire)
    }

    /// Commits a write and counts it.
    async fn commit(&self, tx: sqlx::Transaction<'_, sqlx::Sqlite>) -> Result<(), StoreError> {
        tx.commit().await?;
        self.writes.fetch_add(1, std::sync::atomic::Ordering::AcqRel);
        Ok(())
    }

    /// A stored setting (a JSON document), if an admin ever saved it.
    pub async fn setting(&self, key: &str) -> Result<Option<String>, StoreError> {
        Ok(sqlx::query_scalar("SELECT value FROM settings WHERE key = $1")
            .bind(key)
            .fetch_optional(&mut *self.read.get().await?)
            .await?)
    }

    /// Stores a setting, logged in the audit log as changed by `by`.
    pub async fn set_setting(
        &self,
        key: &str,
        value: &str,
        by: courant_core::UserId,
        at: OffsetDateTime,
    ) -> Result<(), StoreError> {
        let mut tx = self.write.begin().await?;
        sqlx::query(
            "INSERT INTO settings (key, value, updated_at, updated_by) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at, \
             updated_by = excluded.updated_by",
        )
        .bind(key)
        .bind(value)
        .bind(ts(at))
        .bind(by.0)
        .execute(&mut *tx)
        .await?;
        newsroom::audit(&mut tx, at, Some(by), courant_core::AuditAction::SettingsChanged, None, key, "").await?;
        articles::log_site_change(&mut tx).await?;
        self.commit(tx).await?;
        Ok(())
    }

    /// Waits for pending writes and closes every connection.
    pub async fn close(&self) {
        self.write.close().await;
        self.read.close().await;
    }
}

fn migrator() -> Migrator {
    Migrator::with_migrations(
        SQLITE_MIGRATIONS
            .iter()
            .map(|(version, description, sql)| {
                // A migration that manages its own transaction says so on its first line (it
                // rebuilds a table, which needs foreign keys off, outside any transaction).
                let no_tx = sql.starts_with("-- no-transaction");
                Migration::new(*version, (*description).into(), MigrationType::Simple, sql.into_sql_str(), no_tx)
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

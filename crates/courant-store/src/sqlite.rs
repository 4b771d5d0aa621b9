//! The SQLite backend: the embedded, zero-set-up default. WAL mode, one writer connection (SQLite
//! admits one writer at a time, and queueing here is cheaper than retrying on `SQLITE_BUSY`) and
//! a set of read-only connections, so pages keep rendering while the newsroom writes.
//!
//! The queries themselves are shared with PostgreSQL: the files below are compiled once here and
//! once in `postgres.rs`, each time against that backend's `Db`, `DbRow` and `Store`.

use crate::StoreError;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

pub(crate) type Db = sqlx::Sqlite;
pub(crate) type DbRow = sqlx::sqlite::SqliteRow;

/// The SQL that differs between the dialects.
pub(crate) mod dialect {
    pub(crate) const POSTGRES: bool = false;
    /// Case-insensitive `LIKE` (SQLite's `LIKE` ignores the case of ASCII letters).
    pub(crate) const ILIKE: &str = "LIKE";
    /// The `YYYY-MM` of a timestamp column (stored as ISO 8601 text).
    pub(crate) fn year_month(column: &str) -> String {
        format!("substr({column}, 1, 7)")
    }
    /// The condition that a wire item (`w`) has every word of the query bound as `$n`
    /// ([`wire_query`]): FTS5's index.
    pub(crate) fn wire_match(n: usize) -> String {
        format!("w.id IN (SELECT rowid FROM wire_items_search_idx WHERE wire_items_search_idx MATCH ${n})")
    }
    /// The query for [`wire_match`]: every word, each as a prefix (the words are letters and
    /// digits only, see `courant_core::push_search_words`).
    pub(crate) fn wire_query(words: &[&str]) -> String {
        words.iter().map(|w| format!("\"{w}\"*")).collect::<Vec<_>>().join(" ")
    }
}

#[path = "direct.rs"]
mod direct;
#[path = "readers.rs"]
mod readers;

query_files!();

/// The file name of the SQLite database inside the data folder.
pub const FILE: &str = "courant.db";

/// The migrations of the SQLite dialect, embedded in the binary. PostgreSQL's have the same
/// numbers and leave an equivalent schema (a test compares them).
pub(crate) const MIGRATIONS: &[(i64, &str, &str)] = &[
    (1, "content", include_str!("../migrations/sqlite/0001_content.sql")),
    (2, "changes", include_str!("../migrations/sqlite/0002_changes.sql")),
    (3, "trending", include_str!("../migrations/sqlite/0003_trending.sql")),
    (4, "webhooks", include_str!("../migrations/sqlite/0004_webhooks.sql")),
    (5, "newsroom", include_str!("../migrations/sqlite/0005_newsroom.sql")),
    (6, "settings", include_str!("../migrations/sqlite/0006_settings.sql")),
    (7, "change_before", include_str!("../migrations/sqlite/0007_change_before.sql")),
    (8, "listing_order", include_str!("../migrations/sqlite/0008_listing_order.sql")),
    (9, "login_failures", include_str!("../migrations/sqlite/0009_login_failures.sql")),
    (10, "found_related", include_str!("../migrations/sqlite/0010_found_related.sql")),
    (11, "imports", include_str!("../migrations/sqlite/0011_imports.sql")),
    (12, "wire", include_str!("../migrations/sqlite/0012_wire.sql")),
    (13, "wire_search", include_str!("../migrations/sqlite/0013_wire_search.sql")),
    (14, "newsletters", include_str!("../migrations/sqlite/0014_newsletters.sql")),
    (15, "front_page", include_str!("../migrations/sqlite/0015_front_page.sql")),
    (16, "pages", include_str!("../migrations/sqlite/0016_pages.sql")),
    (17, "listing_cover", include_str!("../migrations/sqlite/0017_listing_cover.sql")),
];

/// The publication's database in an SQLite file.
#[derive(Clone, Debug)]
pub(crate) struct Store {
    write: SqlitePool,
    read: readers::Readers,
    /// Read-only connections used on the calling thread, for a story's page.
    direct: Arc<direct::Direct>,
    /// Writes this process has committed: the page cache compares it with what it has seen, to
    /// follow this process's changes at once (other processes' through the change log).
    writes: Arc<AtomicU64>,
}

impl Store {
    /// See [`crate::Store::snapshot_into`].
    pub(crate) async fn snapshot_into(&self, file: &Path) -> Result<(), StoreError> {
        let name = file.to_str().ok_or_else(|| StoreError::Io {
            path: file.to_owned(),
            source: std::io::Error::new(std::io::ErrorKind::InvalidInput, "the path is not UTF-8"),
        })?;
        let mut conn = self.read.get().await?;
        sqlx::query("VACUUM INTO $1").bind(name).execute(&mut *conn).await?;
        Ok(())
    }

    /// Opens (creating if needed) the database in the data folder `dir`, without touching its
    /// schema.
    pub(crate) async fn open(dir: &Path) -> Result<Store, StoreError> {
        std::fs::create_dir_all(dir).map_err(|e| StoreError::Io { path: dir.to_owned(), source: e })?;
        let options = SqliteConnectOptions::new()
            .filename(dir.join(FILE))
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .busy_timeout(Duration::from_secs(5))
            .foreign_keys(true);
        // The database is a file in this process: a connection cannot go stale, so it is not
        // pinged before each use (which would double the cost of a small query).
        let write = SqlitePoolOptions::new()
            .test_before_acquire(false)
            .max_connections(1)
            .connect_with(options.clone())
            .await?;
        let readers = std::thread::available_parallelism().map_or(4, |n| n.get() as u32 * 2).max(4);
        let mut connections = Vec::with_capacity(readers as usize);
        let read_only = options.read_only(true);
        for _ in 0..readers {
            connections.push(sqlx::ConnectOptions::connect(&read_only).await?);
        }
        Ok(Store {
            write,
            read: readers::Readers::new(connections),
            direct: Arc::new(direct::Direct::new(dir.join(FILE))),
            writes: Default::default(),
        })
    }

    /// Applies the migrations not yet applied. Safe to call on every start.
    pub(crate) async fn migrate(&self) -> Result<(), StoreError> {
        crate::migrator(MIGRATIONS).run(&self.write).await?;
        self.refresh_statistics().await
    }

    /// Gathers the statistics SQLite's planner chooses indexes by (`ANALYZE`, sampling at most
    /// 400 rows an index: 10 ms at 100,000 stories). Without them it read a page of stories'
    /// related stories by walking every published story: 0.4 s instead of 0.2 ms at 100,000.
    /// Every connection sees the new statistics at its next statement. (Plans never depend on
    /// the values bound to a statement: SQLite is built with its query planner stability
    /// guarantee, see `.cargo/config.toml`.)
    pub(crate) async fn refresh_statistics(&self) -> Result<(), StoreError> {
        let mut conn = self.write.acquire().await?;
        sqlx::query("PRAGMA analysis_limit = 400").execute(&mut *conn).await?;
        sqlx::query("ANALYZE").execute(&mut *conn).await?;
        Ok(())
    }

    /// Migrations known to this binary that the database has not applied yet.
    pub(crate) async fn pending_migrations(&self) -> Result<Vec<i64>, StoreError> {
        let applied: Vec<i64> = match sqlx::query_scalar("SELECT version FROM _sqlx_migrations WHERE success")
            .fetch_all(&mut *self.read.get().await?)
            .await
        {
            Ok(v) => v,
            // A database that never ran a migration has no bookkeeping table yet.
            Err(sqlx::Error::Database(e)) if e.message().contains("no such table") => Vec::new(),
            Err(e) => return Err(e.into()),
        };
        Ok(MIGRATIONS.iter().map(|m| m.0).filter(|v| !applied.contains(v)).collect())
    }

    /// Checks the database file for corruption and broken references; returns the problems
    /// found, empty when healthy.
    pub(crate) async fn integrity_problems(&self) -> Result<Vec<String>, StoreError> {
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

    /// The schema as (table, column, type, not null) rows and index names, for comparing the
    /// dialects' migrations.
    pub(crate) async fn schema(&self) -> Result<crate::Schema, StoreError> {
        let columns: Vec<(String, String, String, bool)> = sqlx::query_as(
            "SELECT m.name, p.name, upper(p.type), p.\"notnull\" OR p.pk \
             FROM sqlite_master m JOIN pragma_table_list t ON t.name = m.name AND t.schema = 'main', pragma_table_info(m.name) p \
             WHERE t.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name <> '_sqlx_migrations' ORDER BY 1, 2",
        )
        .fetch_all(&mut *self.read.get().await?)
        .await?;
        // A full-text index is a virtual table here (FTS5), an index in PostgreSQL (GIN): both
        // count as indexes, and FTS5's own tables as neither.
        let indexes: Vec<String> = sqlx::query_scalar(
            "SELECT m.name FROM sqlite_master m JOIN pragma_table_list t ON t.name = m.name AND t.schema = 'main' \
             WHERE t.type = 'virtual' \
             UNION SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY 1",
        )
        .fetch_all(&mut *self.read.get().await?)
        .await?;
        Ok(crate::Schema { columns, indexes })
    }

    /// Begins a write: SQLite's one writer connection is the lock that orders all writes.
    pub(crate) async fn begin(&self) -> Result<sqlx::Transaction<'static, Db>, StoreError> {
        Ok(self.write.begin().await?)
    }

    /// Commits a write and counts it.
    pub(crate) async fn commit(&self, tx: sqlx::Transaction<'_, Db>) -> Result<(), StoreError> {
        tx.commit().await?;
        self.writes.fetch_add(1, Ordering::AcqRel);
        Ok(())
    }

    /// Commits a write no page shows (the newsletters' queue and subscribers): not counted,
    /// so the page cache does not look for changes after it.
    pub(crate) async fn commit_quiet(&self, tx: sqlx::Transaction<'_, Db>) -> Result<(), StoreError> {
        tx.commit().await?;
        Ok(())
    }

    /// How many writes this process has committed.
    pub(crate) fn local_writes(&self) -> u64 {
        self.writes.load(Ordering::Acquire)
    }

    /// Waits for pending writes and closes every connection.
    pub(crate) async fn close(&self) {
        self.write.close().await;
        self.read.close().await;
        self.direct.close();
    }

    /// Runs a read on the calling thread (see `direct.rs`) and reads each row with `read`. A
    /// heavy one, on the runtime's worker, hands the worker's other tasks to another thread
    /// while it runs.
    pub(crate) async fn read_each<T>(
        &self,
        sql: std::borrow::Cow<'static, str>,
        args: &[rows::Arg<'_>],
        weight: rows::Weight,
        read: impl Fn(&dyn rows::Get) -> Result<T, StoreError>,
    ) -> Result<Vec<T>, StoreError> {
        let run = || self.direct.read_rows(&sql, args, read);
        let shared_runtime = tokio::runtime::Handle::try_current()
            .is_ok_and(|h| h.runtime_flavor() == tokio::runtime::RuntimeFlavor::MultiThread);
        if weight == rows::Weight::Heavy && shared_runtime { tokio::task::block_in_place(run) } else { run() }
    }
}

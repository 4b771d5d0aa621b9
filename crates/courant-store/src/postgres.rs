//! The PostgreSQL backend, for publications that run several Courant nodes against one database.
//!
//! The queries are the SQLite backend's (the same files, compiled once more against PostgreSQL's
//! types). What differs lives here: connecting, the migrations of this dialect, and how writes
//! are ordered. Every write transaction first takes one advisory lock, so writes from all nodes
//! run one at a time, as they do in SQLite. A newsroom writes a few times a second at most; in
//! exchange, the change log's sequence numbers commit in order (a node that has applied change
//! `n` has seen everything before it), and a check-then-write (a free slug, the next version,
//! a due scheduled article) cannot race with the same check on another node.

use crate::StoreError;
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use std::str::FromStr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

pub(crate) type Db = sqlx::Postgres;
pub(crate) type DbRow = sqlx::postgres::PgRow;

/// The SQL that differs between the dialects.
pub(crate) mod dialect {
    pub(crate) const POSTGRES: bool = true;
    /// Case-insensitive `LIKE`.
    pub(crate) const ILIKE: &str = "ILIKE";
    /// The `YYYY-MM` of a timestamp column, in UTC.
    pub(crate) fn year_month(column: &str) -> String {
        format!("to_char({column} AT TIME ZONE 'UTC', 'YYYY-MM')")
    }
    /// The condition that a wire item (`w`) has every word of the query bound as `$n`
    /// ([`wire_query`]): the GIN index's expression.
    pub(crate) fn wire_match(n: usize) -> String {
        format!("to_tsvector('simple', w.search_text) @@ to_tsquery('simple', ${n})")
    }
    /// The query for [`wire_match`]: every word, each as a prefix (the words are letters and
    /// digits only, see `courant_core::push_search_words`).
    pub(crate) fn wire_query(words: &[&str]) -> String {
        words.iter().map(|w| format!("{w}:*")).collect::<Vec<_>>().join(" & ")
    }
}

query_files!();

/// The migrations of the PostgreSQL dialect: the same numbers as SQLite's, an equivalent schema.
pub(crate) const MIGRATIONS: &[(i64, &str, &str)] = &[
    (1, "content", include_str!("../migrations/postgres/0001_content.sql")),
    (2, "changes", include_str!("../migrations/postgres/0002_changes.sql")),
    (3, "trending", include_str!("../migrations/postgres/0003_trending.sql")),
    (4, "webhooks", include_str!("../migrations/postgres/0004_webhooks.sql")),
    (5, "newsroom", include_str!("../migrations/postgres/0005_newsroom.sql")),
    (6, "settings", include_str!("../migrations/postgres/0006_settings.sql")),
    (7, "change_before", include_str!("../migrations/postgres/0007_change_before.sql")),
    (8, "listing_order", include_str!("../migrations/postgres/0008_listing_order.sql")),
    (9, "login_failures", include_str!("../migrations/postgres/0009_login_failures.sql")),
    (10, "found_related", include_str!("../migrations/postgres/0010_found_related.sql")),
    (11, "imports", include_str!("../migrations/postgres/0011_imports.sql")),
    (12, "wire", include_str!("../migrations/postgres/0012_wire.sql")),
    (13, "wire_search", include_str!("../migrations/postgres/0013_wire_search.sql")),
    (14, "newsletters", include_str!("../migrations/postgres/0014_newsletters.sql")),
    (15, "front_page", include_str!("../migrations/postgres/0015_front_page.sql")),
    (16, "pages", include_str!("../migrations/postgres/0016_pages.sql")),
    (17, "listing_cover", include_str!("../migrations/postgres/0017_listing_cover.sql")),
];

/// The key of the advisory lock every write transaction holds (the bytes of "courant").
const WRITE_LOCK: i64 = 0x0063_6f75_7261_6e74;

/// How a node connects.
#[derive(Debug, Clone)]
pub struct PgSettings {
    /// Connections this node keeps at most.
    pub max_connections: u32,
    /// A statement running longer is cancelled (a runaway query must not hold a connection).
    pub statement_timeout: Duration,
    /// How long a request waits for a free connection, or for an unreachable server, before
    /// it is answered "unavailable".
    pub acquire_timeout: Duration,
}

impl Default for PgSettings {
    fn default() -> PgSettings {
        PgSettings {
            max_connections: 16,
            statement_timeout: Duration::from_secs(15),
            acquire_timeout: Duration::from_secs(3),
        }
    }
}

/// The publication's database on a PostgreSQL server.
#[derive(Clone, Debug)]
pub(crate) struct Store {
    write: PgPool,
    read: Readers,
    options: PgConnectOptions,
    writes: Arc<AtomicU64>,
}

/// Reads take any connection of the pool; the same pool as writes.
#[derive(Clone, Debug)]
struct Readers(PgPool);

impl Readers {
    async fn get(&self) -> Result<sqlx::pool::PoolConnection<Db>, StoreError> {
        Ok(self.0.acquire().await?)
    }
}

impl Store {
    /// Runs a read on one of the pool's connections and reads each row with `read` (its weight
    /// matters on SQLite only).
    pub(crate) async fn read_each<T>(
        &self,
        sql: std::borrow::Cow<'static, str>,
        args: &[rows::Arg<'_>],
        _weight: rows::Weight,
        read: impl Fn(&dyn rows::Get) -> Result<T, StoreError>,
    ) -> Result<Vec<T>, StoreError> {
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
        for arg in args {
            query = match *arg {
                rows::Arg::Int(v) => query.bind(v),
                rows::Arg::Text(t) => query.bind(t),
                rows::Arg::Time(t) => query.bind(t),
            };
        }
        let found = query.fetch_all(&mut *self.read.get().await?).await?;
        found.iter().map(|row| read(row)).collect()
    }

    /// Connects to the database `url` names (`postgres://user:password@host:port/database`),
    /// without touching its schema. Fails at once when the server cannot be reached.
    pub(crate) async fn connect(url: &str, settings: &PgSettings) -> Result<Store, StoreError> {
        let options = PgConnectOptions::from_str(url)?.application_name("courant");
        let timeout = format!("{}ms", settings.statement_timeout.as_millis());
        let pooled = options.clone().options([("statement_timeout", timeout.as_str())]);
        let write = PgPoolOptions::new()
            .max_connections(settings.max_connections)
            .min_connections(1)
            .acquire_timeout(settings.acquire_timeout)
            .connect_with(pooled)
            .await?;
        Ok(Store { read: Readers(write.clone()), write, options, writes: Default::default() })
    }

    /// Applies the migrations not yet applied, on a connection of its own without the statement
    /// timeout (an index on a large table takes a while). Several nodes starting at once apply
    /// each migration once: sqlx holds an advisory lock while it migrates.
    pub(crate) async fn migrate(&self) -> Result<(), StoreError> {
        let mut conn = sqlx::ConnectOptions::connect(&self.options).await?;
        crate::migrator(MIGRATIONS).run(&mut conn).await?;
        let _ = sqlx::Connection::close(conn).await;
        Ok(())
    }

    /// Migrations known to this binary that the database has not applied yet.
    pub(crate) async fn pending_migrations(&self) -> Result<Vec<i64>, StoreError> {
        let exists: bool = sqlx::query_scalar("SELECT to_regclass('_sqlx_migrations') IS NOT NULL")
            .fetch_one(&mut *self.read.get().await?)
            .await?;
        let applied: Vec<i64> = if exists {
            sqlx::query_scalar("SELECT version FROM _sqlx_migrations WHERE success")
                .fetch_all(&mut *self.read.get().await?)
                .await?
        } else {
            Vec::new()
        };
        Ok(MIGRATIONS.iter().map(|m| m.0).filter(|v| !applied.contains(v)).collect())
    }

    /// PostgreSQL keeps its own files consistent and enforces every foreign key: this only
    /// checks that the server answers.
    pub(crate) async fn integrity_problems(&self) -> Result<Vec<String>, StoreError> {
        sqlx::query("SELECT 1").execute(&mut *self.read.get().await?).await?;
        Ok(Vec::new())
    }

    /// The schema as (table, column, type, not null) rows and index names, in SQLite's terms,
    /// for comparing the dialects' migrations.
    pub(crate) async fn schema(&self) -> Result<crate::Schema, StoreError> {
        let columns: Vec<(String, String, String, bool)> = sqlx::query_as(
            "SELECT table_name::text, column_name::text, \
                    CASE data_type WHEN 'bigint' THEN 'INTEGER' WHEN 'boolean' THEN 'INTEGER' \
                                   WHEN 'text' THEN 'TEXT' WHEN 'timestamp with time zone' THEN 'TEXT' \
                                   WHEN 'double precision' THEN 'REAL' ELSE data_type END, \
                    is_nullable = 'NO' \
             FROM information_schema.columns \
             WHERE table_schema = current_schema() AND table_name <> '_sqlx_migrations' ORDER BY 1, 2",
        )
        .fetch_all(&mut *self.read.get().await?)
        .await?;
        // Indexes of our own, not those PostgreSQL makes for primary keys and UNIQUE constraints.
        let indexes: Vec<String> = sqlx::query_scalar(
            "SELECT i.indexname::text FROM pg_indexes i \
             WHERE i.schemaname = current_schema() AND i.tablename <> '_sqlx_migrations' \
               AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname) ORDER BY 1",
        )
        .fetch_all(&mut *self.read.get().await?)
        .await?;
        Ok(crate::Schema { columns, indexes })
    }

    /// Begins a write: takes the write lock, held until the transaction ends (see the module's
    /// comment). Read committed isolation: every statement after the lock sees every write
    /// committed before it.
    pub(crate) async fn begin(&self) -> Result<sqlx::Transaction<'static, Db>, StoreError> {
        let mut tx = self.write.begin().await?;
        sqlx::query("SELECT pg_advisory_xact_lock($1)").bind(WRITE_LOCK).execute(&mut *tx).await?;
        Ok(tx)
    }

    /// Commits a write and counts it. A write that logged a change notified the other nodes
    /// (see `changes::notify_change`); the notification goes out with the commit.
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

    /// A listener for the notifications of committed writes.
    pub(crate) async fn listen(&self) -> Result<sqlx::postgres::PgListener, StoreError> {
        let mut listener = sqlx::postgres::PgListener::connect_with(&self.write).await?;
        listener.listen(crate::CHANGES_CHANNEL).await?;
        Ok(listener)
    }

    /// How many writes this process has committed.
    pub(crate) fn local_writes(&self) -> u64 {
        self.writes.load(Ordering::Acquire)
    }

    /// Closes every connection.
    pub(crate) async fn close(&self) {
        self.write.close().await;
    }
}

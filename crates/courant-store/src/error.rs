//! The store's errors.

use std::path::PathBuf;

/// What can go wrong in the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The data folder could not be created or read.
    #[error("cannot use the data folder {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    /// The database refused or failed a statement.
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    /// SQLite refused or failed a statement read on the calling thread (`sqlite.rs`).
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// The schema could not be brought up to date.
    #[error("migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// A write broke a rule of the content model.
    #[error("invalid {0}")]
    Invalid(#[from] courant_core::Invalid),
    /// A write referred to something that does not exist.
    #[error("{0} not found")]
    NotFound(&'static str),
    /// A status change the workflow does not allow.
    #[error("an article cannot go from {from} to {to}")]
    Transition { from: courant_core::Status, to: courant_core::Status },
    /// Something cannot be deleted while other things use it; names (up to twenty of) them.
    #[error("the {what} is still used by: {}", used_by.join("; "))]
    InUse { what: &'static str, used_by: Vec<String> },
    /// A copy was to go into a store that already holds a publication.
    #[error("the destination store is not empty: a publication is copied only into a new, empty store")]
    NotEmpty,
    /// A document given to import is not a whole export of this version; says what is wrong.
    #[error("{0}")]
    BadExport(String),
    /// A row holds a value this version of Courant cannot read.
    #[error("unreadable row: {0}")]
    Corrupt(String),
}

impl StoreError {
    /// True when the database could not be reached at all (as opposed to refusing a statement):
    /// the caller should answer "try again later", not "broken".
    pub fn is_unavailable(&self) -> bool {
        match self {
            StoreError::Io { .. } => true,
            StoreError::Sqlite(rusqlite::Error::SqliteFailure(e, _)) => matches!(
                e.code,
                rusqlite::ErrorCode::DatabaseBusy
                    | rusqlite::ErrorCode::DatabaseLocked
                    | rusqlite::ErrorCode::CannotOpen
            ),
            StoreError::Database(
                sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) | sqlx::Error::Tls(_),
            ) => true,
            // PostgreSQL's connection exceptions (class 08) and a server shutting down or
            // starting (57P01-57P03).
            StoreError::Database(sqlx::Error::Database(e)) => {
                e.code().is_some_and(|c| c.starts_with("08") || matches!(c.as_ref(), "57P01" | "57P02" | "57P03"))
            }
            _ => false,
        }
    }
}

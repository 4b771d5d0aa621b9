//! Copying a whole publication from one store to another, for `courant migrate-store` (from the
//! SQLite demo to PostgreSQL, or back): every table, in one transaction of the destination,
//! then both stores read again and compared, table by table, by row count and checksum.

use crate::{Backend, Schema, Store, StoreError};
use std::hash::{Hash, Hasher};
use time::OffsetDateTime;

/// What a column holds, as both dialects read it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Int,
    Real,
    Text,
    Bool,
    Time,
}

/// One value of one row, of its column's kind; `None` is SQL's NULL.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value {
    Int(Option<i64>),
    Real(Option<f64>),
    Text(Option<String>),
    Bool(Option<bool>),
    Time(Option<OffsetDateTime>),
}

impl Value {
    pub(crate) fn is_null(&self) -> bool {
        matches!(self, Value::Int(None) | Value::Real(None) | Value::Text(None) | Value::Bool(None) | Value::Time(None))
    }

    /// NULL of this value's kind.
    pub(crate) fn null(&self) -> Value {
        match self {
            Value::Int(_) => Value::Int(None),
            Value::Real(_) => Value::Real(None),
            Value::Text(_) => Value::Text(None),
            Value::Bool(_) => Value::Bool(None),
            Value::Time(_) => Value::Time(None),
        }
    }

    fn hash_into(&self, h: &mut impl Hasher) {
        match self {
            Value::Int(x) => (0u8, x).hash(h),
            Value::Real(x) => (1u8, x.map(f64::to_bits)).hash(h),
            Value::Text(x) => (2u8, x).hash(h),
            Value::Bool(x) => (3u8, x).hash(h),
            Value::Time(x) => (4u8, x.map(OffsetDateTime::unix_timestamp_nanos)).hash(h),
        }
    }
}

/// A column to copy.
#[derive(Debug, Clone)]
pub(crate) struct Column {
    pub(crate) name: String,
    pub(crate) kind: Kind,
}

/// A table to copy: its name, the columns that order its rows, whether its key is an identity
/// (`id`, `seq`) and its columns.
#[derive(Debug, Clone)]
pub(crate) struct Table {
    pub(crate) name: &'static str,
    pub(crate) key: &'static str,
    pub(crate) identity: bool,
    pub(crate) columns: Vec<Column>,
}

/// Every table of a publication, in an order where what a row refers to is copied before it,
/// with the columns that order its rows (its primary key).
pub(crate) const TABLES: &[(&str, &str)] = &[
    ("images", "id"),
    ("authors", "id"),
    ("users", "id"),
    ("sections", "id"),
    ("tags", "id"),
    ("sources", "id"),
    ("articles", "id"),
    ("article_slug_history", "old_slug"),
    ("article_authors", "article_id, author_id"),
    ("article_tags", "article_id, tag_id"),
    ("article_sources", "article_id, source_id"),
    ("article_related", "article_id, related_id"),
    ("corrections", "id"),
    ("article_changes", "seq"),
    ("trending_views", "article_id, minute"),
    ("webhook_deliveries", "id"),
    ("cursors", "name"),
    ("sessions", "token_hash"),
    ("password_resets", "token_hash"),
    ("revisions", "id"),
    ("audit_log", "id"),
    ("settings", "key"),
    ("login_failures", "key"),
    ("related_searches", "article_id"),
    ("found_related", "article_id, position"),
    ("imported", "origin, kind, key"),
    ("redirects", "path"),
    ("wire_feeds", "id"),
    ("wire_items", "id"),
    ("article_wire_items", "article_id, wire_item_id"),
    ("newsletter_lists", "id"),
    ("subscribers", "id"),
    ("subscriptions", "subscriber_id, list_id"),
    ("editions", "id"),
    ("deliveries", "id"),
    ("secrets", "name"),
    ("front_page_pins", "article_id"),
    ("pages", "id"),
];

/// References set after every row is in: a picture's uploader (users come after pictures, as
/// authors' photos are pictures) and a section's parent (which may have a higher id).
pub(crate) const LATER: &[(&str, &str)] = &[("images", "uploaded_by"), ("sections", "parent_id")];

/// Columns stored as INTEGER in SQLite and BOOLEAN in PostgreSQL.
const BOOLEANS: &[&str] = &["disabled", "must_change_password", "conflict", "paused", "active", "in_footer"];

/// Rows read to a page while copying and comparing.
pub(crate) const PAGE: i64 = 2000;

/// One table as copied: how many rows, and the checksum both stores agreed on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableCopy {
    pub table: String,
    pub rows: u64,
    pub checksum: u64,
}

/// The tables to copy with their columns, from the source's schema. A table this list does not
/// know (a migration added it, and this list was not told) stops the copy rather than be left
/// behind.
pub(crate) fn tables(schema: &Schema) -> Result<Vec<Table>, StoreError> {
    let mut known: Vec<&str> = schema.columns.iter().map(|c| c.0.as_str()).collect();
    known.dedup();
    if let Some(missing) = known.iter().find(|t| !TABLES.iter().any(|(name, _)| name == *t)) {
        return Err(StoreError::Corrupt(format!("the table {missing} is not known to the copy; nothing was copied")));
    }
    Ok(TABLES
        .iter()
        .map(|&(name, key)| Table {
            name,
            key,
            identity: key == "id" || key == "seq",
            columns: schema
                .columns
                .iter()
                .filter(|c| c.0 == name)
                .map(|(_, column, kind, _)| Column {
                    name: column.clone(),
                    kind: match kind.as_str() {
                        _ if BOOLEANS.contains(&column.as_str()) => Kind::Bool,
                        "INTEGER" => Kind::Int,
                        "REAL" => Kind::Real,
                        _ if column == "at" || column.ends_with("_at") => Kind::Time,
                        _ => Kind::Text,
                    },
                })
                .collect(),
        })
        .collect())
}

impl Store {
    /// Copies everything this store holds into `to`, which must be migrated and hold nothing, in
    /// one transaction of `to`; then reads every table of both again and compares their rows
    /// (count and checksum). `progress(table, done, total)` follows the copy, then the check.
    pub async fn copy_to(
        &self,
        to: &Store,
        progress: &(dyn Fn(&str, u64, u64) + Sync),
    ) -> Result<Vec<TableCopy>, StoreError> {
        if !to.is_empty().await? || to.count_users().await? > 0 {
            return Err(StoreError::NotEmpty);
        }
        let tables = tables(&self.schema().await?)?;
        on_backend!(to, b => b.import(self, &tables, progress).await)?;
        let mut report = Vec::new();
        for t in &tables {
            let (rows, checksum) = self.checksum(t, progress).await?;
            let (copied, copied_checksum) = to.checksum(t, &|_, _, _| {}).await?;
            if (rows, checksum) != (copied, copied_checksum) {
                return Err(StoreError::Corrupt(format!(
                    "{}: the copy differs from the source ({copied} rows for {rows}, checksum {copied_checksum:016x} \
                     for {checksum:016x})",
                    t.name
                )));
            }
            report.push(TableCopy { table: t.name.to_string(), rows, checksum });
        }
        Ok(report)
    }

    /// Every table's rows and a checksum of their values (what [`Store::copy_to`] compares),
    /// for checking a backup against its store.
    pub async fn checksums(&self) -> Result<Vec<TableCopy>, StoreError> {
        let mut sums = Vec::new();
        for t in &tables(&self.schema().await?)? {
            let (rows, checksum) = self.checksum(t, &|_, _, _| {}).await?;
            sums.push(TableCopy { table: t.name.to_string(), rows, checksum });
        }
        Ok(sums)
    }

    /// A table's rows and a checksum of their values, in key order.
    async fn checksum(&self, t: &Table, progress: &(dyn Fn(&str, u64, u64) + Sync)) -> Result<(u64, u64), StoreError> {
        let total = self.count_rows(t.name).await?.max(0) as u64;
        let mut hasher = std::hash::DefaultHasher::new();
        let mut offset = 0;
        loop {
            let rows = self.read_rows(t.name, t.key, &t.columns, offset, PAGE).await?;
            if rows.is_empty() {
                break;
            }
            for v in rows.iter().flatten() {
                v.hash_into(&mut hasher);
            }
            offset += rows.len() as i64;
            progress(t.name, offset as u64, total);
        }
        Ok((offset as u64, hasher.finish()))
    }

    pub(crate) async fn read_rows(
        &self,
        table: &str,
        key: &str,
        columns: &[Column],
        offset: i64,
        limit: i64,
    ) -> Result<Vec<Vec<Value>>, StoreError> {
        on_backend!(self, b => b.read_rows(table, key, columns, offset, limit).await)
    }

    pub(crate) async fn count_rows(&self, table: &str) -> Result<i64, StoreError> {
        on_backend!(self, b => b.count_rows(table).await)
    }
}

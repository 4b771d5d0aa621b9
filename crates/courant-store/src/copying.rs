//! Reading and writing whole tables as plain values, for copying a publication from one store
//! to another (`courant migrate-store`, see `copy.rs`). Compiled once per backend, like the
//! queries, so that either backend can be the source or the destination.

use super::{Db, DbRow, Store, dialect};
use crate::StoreError;
use crate::copy::{Column, Kind, LATER, PAGE, Table, Value};
use sqlx::{AssertSqlSafe, Row, Transaction};

/// `"name", "other"`: identifiers quoted, as some column names (`key`, `before`) are keywords.
fn names(columns: &[Column]) -> String {
    columns.iter().map(|c| format!("\"{}\"", c.name)).collect::<Vec<_>>().join(", ")
}

impl Store {
    /// Rows `offset..offset + limit` of `table` in the order of `key`, as values of `columns`.
    pub(crate) async fn read_rows(
        &self,
        table: &str,
        key: &str,
        columns: &[Column],
        offset: i64,
        limit: i64,
    ) -> Result<Vec<Vec<Value>>, StoreError> {
        let sql = format!("SELECT {} FROM {table} ORDER BY {key} LIMIT $1 OFFSET $2", names(columns));
        let rows: Vec<DbRow> =
            sqlx::query(AssertSqlSafe(sql)).bind(limit).bind(offset).fetch_all(&mut *self.read.get().await?).await?;
        rows.iter().map(|row| columns.iter().enumerate().map(|(i, c)| value(row, i, c.kind)).collect()).collect()
    }

    /// How many rows `table` has.
    pub(crate) async fn count_rows(&self, table: &str) -> Result<i64, StoreError> {
        Ok(sqlx::query_scalar(AssertSqlSafe(format!("SELECT COUNT(*) FROM {table}")))
            .fetch_one(&mut *self.read.get().await?)
            .await?)
    }

    /// Copies every row of `tables` from `source` into this store, in one transaction: all or
    /// nothing. References in [`LATER`] are set once every row is in.
    pub(crate) async fn import(
        &self,
        source: &crate::Store,
        tables: &[Table],
        progress: &(dyn Fn(&str, u64, u64) + Sync),
    ) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        let mut later: Vec<(&str, &str, i64, Value)> = Vec::new();
        for t in tables {
            let total = source.count_rows(t.name).await?.max(0) as u64;
            progress(t.name, 0, total);
            let deferred: Vec<usize> = t
                .columns
                .iter()
                .enumerate()
                .filter(|(_, c)| LATER.contains(&(t.name, c.name.as_str())))
                .map(|(i, _)| i)
                .collect();
            let id_column = t.columns.iter().position(|c| c.name == "id");
            let mut offset = 0;
            loop {
                let mut rows = source.read_rows(t.name, t.key, &t.columns, offset, PAGE).await?;
                if rows.is_empty() {
                    break;
                }
                for row in &mut rows {
                    for &i in &deferred {
                        if !row[i].is_null() {
                            let Some(Value::Int(Some(id))) = id_column.map(|c| &row[c]) else {
                                return Err(StoreError::Corrupt(format!("{} row without an id", t.name)));
                            };
                            let null = row[i].null();
                            later.push((t.name, t.columns[i].name.as_str(), *id, std::mem::replace(&mut row[i], null)));
                        }
                    }
                }
                Self::insert_rows(&mut tx, t.name, &t.columns, &rows).await?;
                offset += rows.len() as i64;
                progress(t.name, offset as u64, total);
            }
            if t.identity {
                Self::follow_identity(&mut tx, t.name, t.key).await?;
            }
        }
        for (table, column, id, value) in &later {
            Self::set_value(&mut tx, table, column, *id, value).await?;
        }
        self.commit(tx).await
    }

    /// Inserts `rows` of `columns` into `table`, a few hundred to a statement.
    pub(crate) async fn insert_rows(
        tx: &mut Transaction<'static, Db>,
        table: &str,
        columns: &[Column],
        rows: &[Vec<Value>],
    ) -> Result<(), StoreError> {
        // Both dialects allow over 30,000 bound values to a statement.
        let per_statement = (30_000 / columns.len().max(1)).clamp(1, 500);
        for chunk in rows.chunks(per_statement) {
            let sql = format!(
                "INSERT INTO {table} ({}) VALUES {}",
                names(columns),
                crate::value_rows(chunk.len(), columns.len())
            );
            let mut q = sqlx::query(AssertSqlSafe(sql));
            for v in chunk.iter().flatten() {
                q = match v {
                    Value::Int(x) => q.bind(*x),
                    Value::Real(x) => q.bind(*x),
                    Value::Text(x) => q.bind(x.as_deref()),
                    Value::Bool(x) => q.bind(*x),
                    Value::Time(x) => q.bind(*x),
                };
            }
            q.execute(&mut **tx).await?;
        }
        Ok(())
    }

    /// Sets one column of one row (a reference copied after what it refers to).
    pub(crate) async fn set_value(
        tx: &mut Transaction<'static, Db>,
        table: &str,
        column: &str,
        id: i64,
        value: &Value,
    ) -> Result<(), StoreError> {
        let sql = format!("UPDATE {table} SET \"{column}\" = $1 WHERE id = $2");
        let q = sqlx::query(AssertSqlSafe(sql));
        let q = match value {
            Value::Int(x) => q.bind(*x),
            Value::Real(x) => q.bind(*x),
            Value::Text(x) => q.bind(x.as_deref()),
            Value::Bool(x) => q.bind(*x),
            Value::Time(x) => q.bind(*x),
        };
        q.bind(id).execute(&mut **tx).await?;
        Ok(())
    }

    /// Moves PostgreSQL's identity sequence of `table.column` past the highest value copied in,
    /// so that new rows do not collide with copied ones (SQLite needs nothing).
    pub(crate) async fn follow_identity(tx: &mut Transaction<'static, Db>, table: &str, column: &str) -> Result<(), StoreError> {
        if dialect::POSTGRES {
            let sql = format!(
                "SELECT setval(pg_get_serial_sequence('{table}', '{column}'), COALESCE(MAX({column}), 1), \
                 MAX({column}) IS NOT NULL) FROM {table}"
            );
            sqlx::query(AssertSqlSafe(sql)).execute(&mut **tx).await?;
        }
        Ok(())
    }
}

fn value(row: &DbRow, i: usize, kind: Kind) -> Result<Value, StoreError> {
    Ok(match kind {
        Kind::Int => Value::Int(row.try_get(i)?),
        Kind::Real => Value::Real(row.try_get(i)?),
        Kind::Text => Value::Text(row.try_get(i)?),
        Kind::Bool => Value::Bool(row.try_get(i)?),
        Kind::Time => Value::Time(row.try_get(i)?),
    })
}

//! A whole publication as one JSON document (`courant export`) and back into a new store
//! (`courant import courant`). The document is the publication's tables, each with its
//! columns and rows, in an order where what a row refers to comes before it; it is described
//! table by table in `docs/export.md`. Users go without their password hashes (they choose a
//! new password after an import); what is only this server's state (sessions, the change log,
//! reader counts, webhook deliveries, related stories found) stays out.
//!
//! Both ways stream: the export writes a page of rows at a time, the import reads rows as the
//! file is parsed (on a thread of its own) and writes them in one transaction.

use crate::copy::{Column, Kind, LATER, PAGE, Table, Value};
use crate::{Store, StoreError};
use std::collections::HashMap;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// The version of the document's shape; an import refuses any other.
pub const EXPORT_FORMAT: u64 = 1;

/// The tables a publication is exported with, in the copy's order.
const EXPORTED: &[&str] = &[
    "images",
    "authors",
    "users",
    "sections",
    "tags",
    "sources",
    "articles",
    "article_slug_history",
    "article_authors",
    "article_tags",
    "article_sources",
    "article_related",
    "corrections",
    "revisions",
    "audit_log",
    "settings",
    "imported",
    "redirects",
    "newsletter_lists",
    "subscribers",
    "subscriptions",
    "editions",
    "secrets",
    "front_page_pins",
    "pages",
];

/// The tables left out, and why (a table in neither list fails the test that checks them).
pub const LEFT_OUT: &[(&str, &str)] = &[
    ("article_changes", "this server's change log"),
    ("trending_views", "reader counts"),
    ("webhook_deliveries", "this server's deliveries"),
    ("cursors", "this server's place in the change log"),
    ("sessions", "sign-ins"),
    ("password_resets", "password links"),
    ("login_failures", "sign-in throttling"),
    ("related_searches", "found again by the search index"),
    ("found_related", "found again by the search index"),
    ("wire_feeds", "the desk's feeds and their polling state"),
    ("wire_items", "agency copy, kept for a few weeks under its licence"),
    ("article_wire_items", "links to wire items, which are left out"),
    ("deliveries", "this server's delivery queue"),
];

/// Columns never exported, and what an import writes in their place: users' password hashes
/// (an empty hash matches no password: each user chooses a new one through a reset link).
const WITHHELD: &[(&str, &str)] = &[("users", "password_hash")];

/// Rows written per batch while importing.
const BATCH: usize = 500;

/// How many rows of each table an export or import carried.
pub type TableRows = Vec<(String, u64)>;

impl Store {
    /// Writes the publication to `out` as one JSON document (see the module's comment);
    /// `progress(table, done, total)` follows it. Returns the rows written per table.
    pub async fn export(
        &self,
        out: &mut (dyn std::io::Write + Send),
        progress: &(dyn Fn(&str, u64, u64) + Sync),
    ) -> Result<TableRows, StoreError> {
        let tables = exported_tables(self).await?;
        let io = |e: std::io::Error| StoreError::Io { path: "the export".into(), source: e };
        let schema = crate::sqlite::MIGRATIONS.len();
        write!(out, "{{\"courant_export\":{EXPORT_FORMAT},\"schema\":{schema},\"tables\":{{").map_err(io)?;
        let mut counts = Vec::new();
        for (n, t) in tables.iter().enumerate() {
            let columns: Vec<&str> = t.columns.iter().map(|c| c.name.as_str()).collect();
            let head = serde_json::json!(columns);
            let comma = if n == 0 { "" } else { "," };
            write!(out, "{comma}\n\"{}\":{{\"columns\":{head},\"rows\":[", t.name).map_err(io)?;
            let total = self.count_rows(t.name).await?.max(0) as u64;
            let mut offset = 0i64;
            loop {
                let rows = self.read_rows(t.name, t.key, &t.columns, offset, PAGE).await?;
                if rows.is_empty() {
                    break;
                }
                for (i, row) in rows.iter().enumerate() {
                    let values: Vec<serde_json::Value> = row.iter().map(to_json).collect();
                    let comma = if offset == 0 && i == 0 { "" } else { "," };
                    write!(out, "{comma}\n{}", serde_json::Value::Array(values)).map_err(io)?;
                }
                offset += rows.len() as i64;
                progress(t.name, offset as u64, total);
            }
            write!(out, "]}}").map_err(io)?;
            counts.push((t.name.to_string(), offset as u64));
        }
        writeln!(out, "}}}}").map_err(io)?;
        out.flush().map_err(io)?;
        Ok(counts)
    }

    /// Reads a document [`Store::export`] wrote into this store, which must hold nothing, in
    /// one transaction: all or nothing. `progress(table, rows)` follows it.
    pub async fn import_export(
        &self,
        input: Box<dyn std::io::Read + Send>,
        progress: &(dyn Fn(&str, u64) + Sync),
    ) -> Result<TableRows, StoreError> {
        if !self.is_empty().await? || self.count_users().await? > 0 {
            return Err(StoreError::NotEmpty);
        }
        let tables: HashMap<&'static str, Table> =
            exported_tables(self).await?.into_iter().map(|t| (t.name, t)).collect();
        let (sender, mut chunks) = tokio::sync::mpsc::channel::<Chunk>(4);
        let reader = tokio::task::spawn_blocking(move || parse(input, &sender));
        let mut write = self.write().await?;
        let mut counts: TableRows = Vec::new();
        let mut current: Option<Target> = None;
        let mut later: Vec<(&'static str, String, i64, Value)> = Vec::new();
        let mut done = Vec::new();
        let mut failed = None;
        while let Some(chunk) = chunks.recv().await {
            let step = match chunk {
                Chunk::Table { name, columns } => match tables.get(name.as_str()) {
                    Some(table) if !done.contains(&table.name) => {
                        done.push(table.name);
                        counts.push((name.clone(), 0));
                        Target::new(table, &columns).map(|t| current = Some(t))
                    }
                    Some(_) => Err(bad(format!("the table {name} is in the document twice"))),
                    None => Err(bad(format!("the document holds a table this version does not know: {name}"))),
                },
                Chunk::Rows(rows) => match &current {
                    Some(target) => {
                        let mut converted = Vec::with_capacity(rows.len());
                        let mut result = Ok(());
                        for row in rows {
                            match target.row(row, &mut later) {
                                Ok(row) => converted.push(row),
                                Err(e) => {
                                    result = Err(e);
                                    break;
                                }
                            }
                        }
                        match result {
                            Ok(()) => {
                                let inserted =
                                    write.insert_rows(target.table.name, &target.table.columns, &converted).await;
                                if let Some(last) = counts.last_mut() {
                                    last.1 += converted.len() as u64;
                                    progress(&last.0, last.1);
                                }
                                inserted
                            }
                            Err(e) => Err(e),
                        }
                    }
                    None => Err(bad("rows before their table's columns".into())),
                },
            };
            if let Err(e) = step {
                failed = Some(e);
                break;
            }
        }
        drop(chunks);
        let parsed = reader.await.map_err(|e| bad(format!("the reading thread failed: {e}")))?;
        if let Some(e) = failed {
            return Err(e);
        }
        parsed?;
        if let Some(missing) = EXPORTED.iter().find(|t| !done.contains(*t)) {
            return Err(bad(format!("the document has no table {missing}: it is cut short or not a whole export")));
        }
        for table in EXPORTED {
            if let Some(t) = tables.get(table)
                && t.identity
            {
                write.follow_identity(t.name, t.key).await?;
            }
        }
        for (table, column, id, value) in &later {
            write.set_value(table, column, *id, value).await?;
        }
        write.commit().await?;
        Ok(counts)
    }
}

/// The exported tables with their columns as this store has them (withheld ones left out).
async fn exported_tables(store: &Store) -> Result<Vec<Table>, StoreError> {
    let all = crate::copy::tables(&store.schema().await?)?;
    Ok(all
        .into_iter()
        .filter(|t| EXPORTED.contains(&t.name))
        .map(|mut t| {
            t.columns.retain(|c| !WITHHELD.contains(&(t.name, c.name.as_str())));
            t
        })
        .collect())
}

fn bad(message: String) -> StoreError {
    StoreError::BadExport(message)
}

fn to_json(v: &Value) -> serde_json::Value {
    match v {
        Value::Int(x) => x.map_or(serde_json::Value::Null, serde_json::Value::from),
        Value::Real(x) => x.map_or(serde_json::Value::Null, serde_json::Value::from),
        Value::Text(x) => x.as_deref().map_or(serde_json::Value::Null, serde_json::Value::from),
        Value::Bool(x) => x.map_or(serde_json::Value::Null, serde_json::Value::from),
        Value::Time(x) => {
            x.and_then(|t| t.format(&Rfc3339).ok()).map_or(serde_json::Value::Null, serde_json::Value::from)
        }
    }
}

/// A table being imported: where each of its columns is in the document's rows.
struct Target {
    table: Table,
    /// For each column of the table, its place in a document row, or the value to write.
    sources: Vec<Result<usize, Value>>,
    /// Columns set after every row is in ([`LATER`]), and the table's `id` column.
    later: Vec<usize>,
    id: Option<usize>,
}

impl Target {
    fn new(table: &Table, columns: &[String]) -> Result<Target, StoreError> {
        let mut sources = Vec::new();
        for c in &table.columns {
            match columns.iter().position(|d| *d == c.name) {
                Some(i) => sources.push(Ok(i)),
                None => return Err(bad(format!("{}: the column {} is missing", table.name, c.name))),
            }
        }
        if let Some(extra) = columns.iter().find(|d| !table.columns.iter().any(|c| &c.name == *d)) {
            return Err(bad(format!("{}: the column {extra} is not one this version knows", table.name)));
        }
        let mut table = table.clone();
        // Withheld columns come back with the value that stands for them.
        for (_, column) in WITHHELD.iter().filter(|(t, _)| *t == table.name) {
            table.columns.push(Column { name: (*column).to_string(), kind: Kind::Text });
            sources.push(Err(Value::Text(Some(String::new()))));
        }
        let later = table
            .columns
            .iter()
            .enumerate()
            .filter(|(_, c)| LATER.contains(&(table.name, c.name.as_str())))
            .map(|(i, _)| i)
            .collect();
        let id = table.columns.iter().position(|c| c.name == "id");
        Ok(Target { table, sources, later, id })
    }

    /// A document row as values of the table's columns; references in [`LATER`] are kept
    /// aside in `later` and written as NULL for now.
    fn row(
        &self,
        row: Vec<serde_json::Value>,
        later: &mut Vec<(&'static str, String, i64, Value)>,
    ) -> Result<Vec<Value>, StoreError> {
        let mut values = Vec::with_capacity(self.sources.len());
        for (c, source) in self.table.columns.iter().zip(&self.sources) {
            let value = match source {
                Ok(i) => {
                    let v =
                        row.get(*i).ok_or_else(|| bad(format!("{}: a row is short of columns", self.table.name)))?;
                    from_json(v, c.kind).ok_or_else(|| {
                        bad(format!("{}.{}: {v} is not a value of this column", self.table.name, c.name))
                    })?
                }
                Err(fixed) => fixed.clone(),
            };
            values.push(value);
        }
        for &i in &self.later {
            if !values[i].is_null() {
                let Some(Value::Int(Some(id))) = self.id.map(|c| &values[c]) else {
                    return Err(bad(format!("{}: a row without an id", self.table.name)));
                };
                let null = values[i].null();
                later.push((
                    self.table.name,
                    self.table.columns[i].name.clone(),
                    *id,
                    std::mem::replace(&mut values[i], null),
                ));
            }
        }
        Ok(values)
    }
}

fn from_json(v: &serde_json::Value, kind: Kind) -> Option<Value> {
    use serde_json::Value as J;
    Some(match (kind, v) {
        (Kind::Int, J::Null) => Value::Int(None),
        (Kind::Int, J::Number(n)) => Value::Int(Some(n.as_i64()?)),
        (Kind::Real, J::Null) => Value::Real(None),
        (Kind::Real, J::Number(n)) => Value::Real(Some(n.as_f64()?)),
        (Kind::Text, J::Null) => Value::Text(None),
        (Kind::Text, J::String(s)) => Value::Text(Some(s.clone())),
        (Kind::Bool, J::Null) => Value::Bool(None),
        (Kind::Bool, J::Bool(b)) => Value::Bool(Some(*b)),
        (Kind::Time, J::Null) => Value::Time(None),
        (Kind::Time, J::String(s)) => Value::Time(Some(OffsetDateTime::parse(s, &Rfc3339).ok()?)),
        _ => return None,
    })
}

/// What the parsing thread hands to the writer.
enum Chunk {
    Table { name: String, columns: Vec<String> },
    Rows(Vec<Vec<serde_json::Value>>),
}

/// Parses the document, sending each table's columns then its rows in batches. A document that
/// is not JSON, or not an export of this format, is refused with where it went wrong.
fn parse(input: Box<dyn std::io::Read + Send>, sender: &tokio::sync::mpsc::Sender<Chunk>) -> Result<(), StoreError> {
    use serde::de::DeserializeSeed;
    let reader = std::io::BufReader::with_capacity(256 * 1024, input);
    let mut de = serde_json::Deserializer::from_reader(reader);
    let outcome = Document { sender }.deserialize(&mut de).and_then(|()| de.end());
    outcome.map_err(|e| {
        let said = e.to_string();
        match said.strip_prefix(STOPPED) {
            // The writer stopped first: its error is the one to report.
            Some(_) => bad("the import stopped".into()),
            None => bad(format!("not a Courant export this version reads: {said}")),
        }
    })
}

/// The message of the parse error made when the writer is gone.
const STOPPED: &str = "import stopped";

struct Document<'a> {
    sender: &'a tokio::sync::mpsc::Sender<Chunk>,
}

impl<'de> serde::de::DeserializeSeed<'de> for Document<'_> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> serde::de::Visitor<'de> for Document<'_> {
    type Value = ();
    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a Courant export: {\"courant_export\": 1, \"tables\": {...}}")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        use serde::de::Error;
        let mut format = None;
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "courant_export" => {
                    let version: u64 = map.next_value()?;
                    if version != EXPORT_FORMAT {
                        return Err(A::Error::custom(format!(
                            "its format is {version}; this version of Courant reads format {EXPORT_FORMAT}"
                        )));
                    }
                    format = Some(version);
                }
                "tables" if format.is_some() => map.next_value_seed(Tables { sender: self.sender })?,
                "tables" => return Err(A::Error::custom("\"courant_export\" must come before the tables")),
                _ => {
                    map.next_value::<serde::de::IgnoredAny>()?;
                }
            }
        }
        format.map(|_| ()).ok_or_else(|| A::Error::custom("no \"courant_export\" version"))
    }
}

struct Tables<'a> {
    sender: &'a tokio::sync::mpsc::Sender<Chunk>,
}

impl<'de> serde::de::DeserializeSeed<'de> for Tables<'_> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> serde::de::Visitor<'de> for Tables<'_> {
    type Value = ();
    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the tables by name")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(name) = map.next_key::<String>()? {
            map.next_value_seed(TableSeed { name, sender: self.sender })?;
        }
        Ok(())
    }
}

struct TableSeed<'a> {
    name: String,
    sender: &'a tokio::sync::mpsc::Sender<Chunk>,
}

impl<'de> serde::de::DeserializeSeed<'de> for TableSeed<'_> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

fn send<E: serde::de::Error>(sender: &tokio::sync::mpsc::Sender<Chunk>, chunk: Chunk) -> Result<(), E> {
    sender.blocking_send(chunk).map_err(|_| E::custom(STOPPED))
}

impl<'de> serde::de::Visitor<'de> for TableSeed<'_> {
    type Value = ();
    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a table: {\"columns\": [...], \"rows\": [[...], ...]}")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        use serde::de::Error;
        let mut columns = false;
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "columns" => {
                    let names: Vec<String> = map.next_value()?;
                    send(self.sender, Chunk::Table { name: self.name.clone(), columns: names })?;
                    columns = true;
                }
                "rows" if columns => map.next_value_seed(Rows { sender: self.sender })?,
                "rows" => return Err(A::Error::custom(format!("{}: the rows come before the columns", self.name))),
                _ => {
                    map.next_value::<serde::de::IgnoredAny>()?;
                }
            }
        }
        Ok(())
    }
}

struct Rows<'a> {
    sender: &'a tokio::sync::mpsc::Sender<Chunk>,
}

impl<'de> serde::de::DeserializeSeed<'de> for Rows<'_> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> serde::de::Visitor<'de> for Rows<'_> {
    type Value = ();
    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a list of rows")
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut batch = Vec::with_capacity(BATCH);
        while let Some(row) = seq.next_element::<Vec<serde_json::Value>>()? {
            batch.push(row);
            if batch.len() == BATCH {
                send(self.sender, Chunk::Rows(std::mem::take(&mut batch)))?;
            }
        }
        if !batch.is_empty() {
            send(self.sender, Chunk::Rows(batch))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_table_is_exported_or_left_out_with_a_reason() {
        for (table, _) in crate::copy::TABLES {
            let exported = EXPORTED.contains(table);
            let left_out = LEFT_OUT.iter().any(|(t, _)| t == table);
            assert!(exported != left_out, "{table}: exported {exported}, left out {left_out}");
        }
    }
}

//! Reads run on the calling thread, for the statement a story's page is read with. sqlx runs
//! each SQLite statement on its connection's worker thread and sends the rows back over a
//! channel, copying every value on the way (`sqlite3_value_dup`) and freeing the copies on
//! another thread: for a cold page's one statement, the thread hops, copies and frees cost more
//! processor time than SQLite's own work (bench/README.md, issue 18). The statement reads from
//! SQLite's and the system's page caches in a fraction of a millisecond, so it runs in place.
//!
//! The connections are read-only, on the store's file, and come and go with the threads that
//! read at once; a few are kept between reads.

use super::rows::{Arg, Get};
use crate::StoreError;
use rusqlite::types::ValueRef;
use rusqlite::{Connection, OpenFlags};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Mutex;
use std::time::Duration;
use time::OffsetDateTime;

/// Connections kept between reads.
const KEPT: usize = 8;

/// Statements each connection keeps prepared.
const PREPARED: usize = 16;

/// Read-only connections to the store's file, for [`Direct::read_rows`].
pub(crate) struct Direct {
    file: PathBuf,
    free: Mutex<Vec<Connection>>,
    closed: std::sync::atomic::AtomicBool,
}

impl std::fmt::Debug for Direct {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Direct").field("file", &self.file).finish_non_exhaustive()
    }
}

impl Direct {
    pub(crate) fn new(file: PathBuf) -> Direct {
        Direct { file, free: Mutex::new(Vec::new()), closed: Default::default() }
    }

    /// Runs `sql` with `args` bound to `$1`, `$2`... and reads each row with `read`.
    pub(crate) fn read_rows<T>(
        &self,
        sql: &str,
        args: &[Arg<'_>],
        read: impl Fn(&dyn Get) -> Result<T, StoreError>,
    ) -> Result<Vec<T>, StoreError> {
        if self.closed.load(std::sync::atomic::Ordering::Acquire) {
            return Err(StoreError::Database(sqlx::Error::PoolClosed));
        }
        let taken = self.free.lock().unwrap_or_else(|e| e.into_inner()).pop();
        let conn = match taken {
            Some(conn) => conn,
            None => self.open()?,
        };
        let found = run(&conn, sql, args, read);
        let mut free = self.free.lock().unwrap_or_else(|e| e.into_inner());
        if free.len() < KEPT && !self.closed.load(std::sync::atomic::Ordering::Acquire) {
            free.push(conn);
        }
        found
    }

    /// Closes the connections kept; reads from now on fail as on a closed pool.
    pub(crate) fn close(&self) {
        self.closed.store(true, std::sync::atomic::Ordering::Release);
        self.free.lock().unwrap_or_else(|e| e.into_inner()).clear();
    }

    fn open(&self) -> Result<Connection, StoreError> {
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(&self.file, flags)?;
        conn.busy_timeout(Duration::from_secs(5))?;
        conn.set_prepared_statement_cache_capacity(PREPARED);
        Ok(conn)
    }
}

fn run<T>(
    conn: &Connection,
    sql: &str,
    args: &[Arg<'_>],
    read: impl Fn(&dyn Get) -> Result<T, StoreError>,
) -> Result<Vec<T>, StoreError> {
    let mut statement = conn.prepare_cached(sql)?;
    for (i, arg) in args.iter().enumerate() {
        let name = format!("${}", i + 1);
        let index = statement
            .parameter_index(&name)?
            .ok_or_else(|| StoreError::Corrupt(format!("a statement without the parameter {name}")))?;
        match *arg {
            Arg::Int(v) => statement.raw_bind_parameter(index, v)?,
            Arg::Text(t) => statement.raw_bind_parameter(index, t)?,
            // As sqlx writes a time, so that it compares with the times stored.
            Arg::Time(t) => statement.raw_bind_parameter(
                index,
                t.format(&time::format_description::well_known::Rfc3339)
                    .map_err(|e| StoreError::Corrupt(format!("a time that cannot be written: {e}")))?,
            )?,
        }
    }
    let columns: HashMap<String, usize> =
        statement.column_names().into_iter().enumerate().map(|(i, name)| (name.to_string(), i)).collect();
    let mut rows = statement.raw_query();
    let mut found = Vec::new();
    while let Some(row) = rows.next()? {
        found.push(read(&Row { row, columns: &columns })?);
    }
    Ok(found)
}

/// A row being read, its columns found by name.
struct Row<'a> {
    row: &'a rusqlite::Row<'a>,
    columns: &'a HashMap<String, usize>,
}

impl Row<'_> {
    fn value(&self, name: &str) -> Result<ValueRef<'_>, StoreError> {
        let index = *self.columns.get(name).ok_or_else(|| StoreError::Corrupt(format!("no column {name:?}")))?;
        Ok(self.row.get_ref(index)?)
    }
}

fn unexpected(name: &str, wanted: &str, value: ValueRef<'_>) -> StoreError {
    StoreError::Corrupt(format!("column {name:?} holds {:?}, not {wanted}", value.data_type()))
}

impl Get for Row<'_> {
    fn int(&self, name: &str) -> Result<i64, StoreError> {
        self.maybe_int(name)?.ok_or_else(|| unexpected(name, "an integer", ValueRef::Null))
    }

    fn small_int(&self, name: &str) -> Result<i32, StoreError> {
        let v = self.int(name)?;
        i32::try_from(v).map_err(|_| StoreError::Corrupt(format!("column {name:?} holds {v}, out of range")))
    }

    fn maybe_int(&self, name: &str) -> Result<Option<i64>, StoreError> {
        match self.value(name)? {
            ValueRef::Null => Ok(None),
            ValueRef::Integer(v) => Ok(Some(v)),
            other => Err(unexpected(name, "an integer", other)),
        }
    }

    fn maybe_real(&self, name: &str) -> Result<Option<f64>, StoreError> {
        match self.value(name)? {
            ValueRef::Null => Ok(None),
            ValueRef::Real(v) => Ok(Some(v)),
            // A column of REAL affinity may keep a whole number as an integer.
            ValueRef::Integer(v) => Ok(Some(v as f64)),
            other => Err(unexpected(name, "a number", other)),
        }
    }

    fn text(&self, name: &str) -> Result<String, StoreError> {
        match self.value(name)? {
            ValueRef::Text(bytes) => std::str::from_utf8(bytes)
                .map(str::to_owned)
                .map_err(|_| StoreError::Corrupt(format!("column {name:?} is not UTF-8"))),
            other => Err(unexpected(name, "text", other)),
        }
    }

    fn time(&self, name: &str) -> Result<OffsetDateTime, StoreError> {
        self.maybe_time(name)?.ok_or_else(|| unexpected(name, "a time", ValueRef::Null))
    }

    fn maybe_time(&self, name: &str) -> Result<Option<OffsetDateTime>, StoreError> {
        match self.value(name)? {
            ValueRef::Null => Ok(None),
            ValueRef::Text(bytes) => std::str::from_utf8(bytes)
                .ok()
                .and_then(parse_time)
                .map(Some)
                .ok_or_else(|| StoreError::Corrupt(format!("column {name:?} holds an unreadable time"))),
            ValueRef::Integer(seconds) => OffsetDateTime::from_unix_timestamp(seconds)
                .map(Some)
                .map_err(|_| StoreError::Corrupt(format!("column {name:?} holds a time out of range"))),
            other => Err(unexpected(name, "a time", other)),
        }
    }
}

/// A time as the store writes it (RFC 3339, as sqlx encodes one), or in the other forms sqlx
/// reads: a space for the `T`, seconds and fractions optional, an offset or `Z` or none (UTC).
fn parse_time(text: &str) -> Option<OffsetDateTime> {
    use time::format_description::well_known::Rfc3339;
    use time::macros::format_description;
    if let Ok(t) = OffsetDateTime::parse(text, &Rfc3339) {
        return Some(t);
    }
    let text = text.trim_end_matches('Z');
    let with_offset = format_description!(
        version = 2,
        "[year]-[month]-[day][first [ ][T]][hour]:[minute][optional [:[second][optional [.[subsecond]]]]][optional [ ]][offset_hour sign:mandatory]:[offset_minute]"
    );
    if let Ok(t) = OffsetDateTime::parse(text, &with_offset) {
        return Some(t);
    }
    let plain = format_description!(
        version = 2,
        "[year]-[month]-[day][first [ ][T]][hour]:[minute][optional [:[second][optional [.[subsecond]]]]]"
    );
    time::PrimitiveDateTime::parse(text, &plain).ok().map(|t| t.assume_utc())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_read_as_sqlx_writes_them_and_as_sqlite_does() {
        let t = time::macros::datetime!(2026-12-07 01:02:03 UTC);
        assert_eq!(parse_time("2026-12-07T01:02:03Z"), Some(t));
        assert_eq!(parse_time("2026-12-07T03:02:03+02:00"), Some(t));
        assert_eq!(parse_time("2026-12-07 01:02:03"), Some(t));
        assert_eq!(parse_time("2026-12-07T01:02:03.5"), Some(t + time::Duration::milliseconds(500)));
        assert_eq!(parse_time("2026-12-07 03:02:03+02:00"), Some(t));
        assert_eq!(parse_time("2026-12-07 01:02:03Z"), Some(t));
        assert_eq!(parse_time("2026-12-07 01:02"), Some(t - time::Duration::seconds(3)));
        assert_eq!(parse_time("yesterday"), None);
    }
}

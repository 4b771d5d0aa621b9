//! The read connections. sqlx's pool checks each connection on its way back with a ping, a
//! second round trip to SQLite's thread for every query; a file in this process cannot go
//! stale, so these connections simply go back to the shelf.

use crate::StoreError;
use sqlx::SqliteConnection;
use std::sync::{Arc, Mutex};

/// A fixed set of read-only connections, handed out one per query.
#[derive(Clone)]
pub(crate) struct Readers(Arc<Shelf>);

struct Shelf {
    free: Mutex<Vec<SqliteConnection>>,
    /// One permit per connection on the shelf.
    permits: tokio::sync::Semaphore,
    size: u32,
}

impl std::fmt::Debug for Readers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Readers").field("available", &self.0.permits.available_permits()).finish()
    }
}

impl Readers {
    pub(crate) fn new(connections: Vec<SqliteConnection>) -> Readers {
        let size = connections.len() as u32;
        let permits = tokio::sync::Semaphore::new(connections.len());
        Readers(Arc::new(Shelf { free: Mutex::new(connections), permits, size }))
    }

    /// A connection for one query or a few; it goes back when the guard is dropped.
    pub(crate) async fn get(&self) -> Result<Reader<'_>, StoreError> {
        let permit = self.0.permits.acquire().await.map_err(|_| StoreError::Database(sqlx::Error::PoolClosed))?;
        let conn = self
            .0
            .free
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .pop()
            .ok_or(StoreError::Database(sqlx::Error::PoolClosed))?;
        Ok(Reader { conn: Some(conn), shelf: &self.0, _permit: permit })
    }

    /// Closes every connection (waiting for those in use to come back).
    pub(crate) async fn close(&self) {
        let Ok(all) = self.0.permits.acquire_many(self.0.size).await else {
            return;
        };
        self.0.permits.close();
        let conns: Vec<SqliteConnection> = std::mem::take(&mut *self.0.free.lock().unwrap_or_else(|e| e.into_inner()));
        drop(all);
        for conn in conns {
            let _ = sqlx::Connection::close(conn).await;
        }
    }
}

/// A read connection in use.
pub(crate) struct Reader<'a> {
    conn: Option<SqliteConnection>,
    shelf: &'a Shelf,
    _permit: tokio::sync::SemaphorePermit<'a>,
}

impl std::ops::Deref for Reader<'_> {
    type Target = SqliteConnection;
    fn deref(&self) -> &SqliteConnection {
        self.conn.as_ref().expect("a reader holds its connection until dropped")
    }
}

impl std::ops::DerefMut for Reader<'_> {
    fn deref_mut(&mut self) -> &mut SqliteConnection {
        self.conn.as_mut().expect("a reader holds its connection until dropped")
    }
}

impl Drop for Reader<'_> {
    fn drop(&mut self) {
        if let Some(conn) = self.conn.take() {
            self.shelf.free.lock().unwrap_or_else(|e| e.into_inner()).push(conn);
        }
    }
}

//! Pictures and their scaled copies kept in memory (`cache.media_mb`).

use super::evict;
use axum::body::Bytes;
use std::collections::HashMap;
use std::sync::RwLock;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

/// Media files (pictures and their scaled copies) in memory, up to a byte budget, least
/// recently read evicted first. Their names derive from their content, so a kept copy never
/// goes stale and nothing needs purging.
pub struct FileCache {
    budget: usize,
    map: RwLock<HashMap<String, (Bytes, AtomicU64)>>,
    bytes: AtomicUsize,
    clock: AtomicU64,
}

impl FileCache {
    pub fn new(budget_mb: usize) -> FileCache {
        FileCache {
            budget: budget_mb * 1024 * 1024,
            map: RwLock::new(HashMap::new()),
            bytes: AtomicUsize::new(0),
            clock: AtomicU64::new(0),
        }
    }

    pub fn get(&self, name: &str) -> Option<Bytes> {
        let map = self.map.read().unwrap_or_else(|e| e.into_inner());
        let (bytes, used) = map.get(name)?;
        used.store(self.clock.fetch_add(1, Ordering::Relaxed), Ordering::Relaxed);
        Some(bytes.clone())
    }

    /// Keeps a file (not one larger than an eighth of the budget: it would push out many).
    pub fn insert(&self, name: &str, file: Bytes) {
        if file.len() > self.budget / 8 {
            return;
        }
        let mut map = self.map.write().unwrap_or_else(|e| e.into_inner());
        let used = AtomicU64::new(self.clock.fetch_add(1, Ordering::Relaxed));
        self.bytes.fetch_add(file.len(), Ordering::Relaxed);
        if let Some((old, _)) = map.insert(name.to_string(), (file, used)) {
            self.bytes.fetch_sub(old.len(), Ordering::Relaxed);
        }
        // Pictures are read with the pages that show them: least recently read first.
        evict(&mut map, &self.bytes, self.budget, |(b, used)| (used.load(Ordering::Relaxed), b.len(), false));
    }

    /// How many bytes the kept files take.
    pub fn size(&self) -> usize {
        self.bytes.load(Ordering::Relaxed)
    }
}

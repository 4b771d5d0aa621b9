//! A newsroom over a fresh store with picture files kept in memory, the shared test data, and
//! a record of everything the store holds.

#![allow(dead_code)] // not every test module uses every helper

use courant_import::{ImportError, Options, Report};
use courant_newsroom::{BoxFuture, Newsroom, PictureFiles};
use courant_store::TableCopy;
use courant_store::testing::TestStore;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// Picture files kept in memory: the names written, in order.
#[derive(Default)]
pub struct Files(pub Mutex<Vec<String>>);

impl PictureFiles for Files {
    fn write<'a>(&'a self, name: &'a str, _: &'a [u8]) -> BoxFuture<'a, std::io::Result<()>> {
        self.0.lock().expect("files").push(name.to_string());
        Box::pin(async { Ok(()) })
    }

    fn write_original<'a>(&'a self, name: &'a str, _: &'a [u8]) -> BoxFuture<'a, std::io::Result<()>> {
        self.0.lock().expect("files").push(format!("originals/{name}"));
        Box::pin(async { Ok(()) })
    }
}

/// A newsroom over a fresh, empty store.
pub struct Site {
    pub newsroom: Newsroom,
    pub files: Arc<Files>,
    pub test: TestStore,
}

impl Site {
    pub async fn new() -> Site {
        let test = TestStore::new().await;
        let files = Arc::new(Files::default());
        let newsroom = Newsroom::new(test.store.clone(), files.clone());
        Site { newsroom, files, test }
    }

    pub fn store(&self) -> &courant_store::Store {
        &self.test.store
    }

    /// Imports a WordPress export.
    pub async fn import(&self, file: &Path, media: Option<&Path>) -> Result<Report, ImportError> {
        let options = Options { media: media.map(Path::to_path_buf), ..Options::default() };
        courant_import::import_wordpress(&self.newsroom, file, &options, &|_, _| {}).await
    }

    /// Every table's rows and checksum.
    pub async fn sums(&self) -> Vec<TableCopy> {
        self.store().checksums().await.expect("checksums")
    }

    /// [`Site::sums`] but the audit log's (an import is recorded even when it changed nothing).
    pub async fn content_sums(&self) -> Vec<TableCopy> {
        self.sums().await.into_iter().filter(|t| t.table != "audit_log").collect()
    }
}

/// A file of the shared test data (`../shared/testdata` beside the repository).
pub fn testdata(name: &str) -> PathBuf {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/testdata").join(name);
    assert!(
        path.is_file(),
        "the shared test data is missing: {} (clone ../shared beside the repository)",
        path.display()
    );
    path
}

/// Writes `text` to a new file in `dir`.
pub fn file(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write a test file");
    path
}

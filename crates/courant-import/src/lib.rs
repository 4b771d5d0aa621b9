//! Publications moving in: a WordPress or Ghost export read into Courant's store, with a report of
//! everything imported, updated, left out and worth a look.
//!
//! An import is all or nothing: the file is read whole once before anything is written (a
//! malformed or hostile file is refused with its place), then written in one store
//! transaction. Items are keyed by where they came from (the blog's address and their id
//! there), so the same file imported again updates what changed and duplicates nothing.

pub mod ghost;
mod ghost_body;
pub mod html;
mod report;
mod shortcodes;
pub mod wordpress;
mod writer;
pub mod wxr;

pub use ghost::import_ghost;
pub use report::{Counts, Report, Warning};
pub use wordpress::import_wordpress;

/// How to import.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// A copy of the folder the site kept its pictures in (WordPress's `wp-content/uploads`,
    /// Ghost's `content/images`), where featured pictures are looked for.
    pub media: Option<std::path::PathBuf>,
    /// Who imports (for the audit log; none at the command line).
    pub by: Option<courant_core::UserId>,
    /// The file as the audit log names it; its path when empty.
    pub file_name: String,
}

use courant_store::StoreError;

/// Why an import did not land. Nothing of it was written.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The file is not well-formed (or declares entities); `line` and `column` say where,
    /// counted from 1 (0 when not known yet).
    #[error("{}{message}", place(*line, *column))]
    Malformed { offset: u64, line: u64, column: u64, message: String },
    /// The file is well-formed but not an export of the kind asked for.
    #[error("{0}")]
    NotAnExport(String),
    /// The file could not be read.
    #[error("could not read {path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    /// The store refused or failed.
    #[error("the store: {0}")]
    Store(#[from] StoreError),
}

fn place(line: u64, column: u64) -> String {
    if line == 0 { String::new() } else { format!("line {line}, column {column}: ") }
}

impl ImportError {
    /// A problem of the document at byte `offset`.
    pub(crate) fn malformed(offset: u64, message: String) -> ImportError {
        ImportError::Malformed { offset, line: 0, column: 0, message }
    }

    /// The error with the line and column of its place in `bytes` (the document it is about).
    pub(crate) fn located(self, mut bytes: impl std::io::Read) -> ImportError {
        let ImportError::Malformed { offset, message, .. } = self else {
            return self;
        };
        let (mut line, mut column, mut seen) = (1u64, 1u64, 0u64);
        let mut buf = [0u8; 64 * 1024];
        'read: while seen < offset {
            let Ok(n) = bytes.read(&mut buf) else { break };
            if n == 0 {
                break;
            }
            for &b in &buf[..n] {
                if seen == offset {
                    break 'read;
                }
                seen += 1;
                if b == b'\n' {
                    line += 1;
                    column = 1;
                } else if b & 0xC0 != 0x80 {
                    column += 1;
                }
            }
        }
        ImportError::Malformed { offset, line, column, message }
    }
}

fn io_error(path: &std::path::Path, source: std::io::Error) -> ImportError {
    ImportError::Io { path: path.display().to_string(), source }
}

/// A reading thread that ended without saying why (it panicked).
fn joined(message: String) -> ImportError {
    ImportError::Io { path: String::new(), source: std::io::Error::other(message) }
}

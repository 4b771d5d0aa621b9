//! Old addresses of imported stories. The SQL is in `src/imports.rs`; the writes of an import
//! are [`Write`](crate::Write)'s.

use crate::{Backend, Store, StoreError};
use courant_core::ArticleSummary;

impl Store {
    /// The story an old address of an imported one (`/2019/04/02/slug`, `/?p=123`; no trailing
    /// slash) redirects to.
    pub async fn redirect(&self, path: &str) -> Result<Option<ArticleSummary>, StoreError> {
        on_backend!(self, b => b.redirect(path).await)
    }
}

//! The newsroom as a service: one function per action a member of the newsroom takes (create,
//! save, submit, schedule, publish, unpublish, correct, restore, set a hero picture, upload and
//! describe pictures). Each action takes a typed input and the acting [`User`], checks the
//! permission and the input against `courant-core`'s rules, and writes everything it changes
//! (the content, its revision, the audit entry, the change-log entry, new sources and pictures)
//! in **one** store transaction: an action that is refused part-way has written nothing.
//!
//! Actions answer with a typed outcome or a [`Refusal`]; what HTTP status a refusal becomes is
//! the web crate's business, not this one's.

mod articles;
mod pictures;
mod registry;
pub mod secrets;
mod users;
mod wire;

pub use articles::{ArticleInput, Autosaved, Conflict, Done, Intent, MAX_UNPUBLISH_REASON_CHARS, Saved, Unpublishing};
pub use pictures::{BoxFuture, PictureFiles, PictureTexts, PictureUpdate, Prepared, Upload};
pub use registry::{AuthorFields, SectionFields, SourceFields};
pub use users::{MemberFields, NewMember, NewPassword, RESET_HOURS};

use courant_core::Invalid;
use courant_store::{Store, StoreError};
use std::sync::Arc;

/// The newsroom's actions over a store and the place picture files go.
#[derive(Clone)]
pub struct Newsroom {
    store: Store,
    files: Arc<dyn PictureFiles>,
}

impl std::fmt::Debug for Newsroom {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Newsroom").field("store", &self.store).finish_non_exhaustive()
    }
}

impl Newsroom {
    /// The newsroom over `store`, writing uploaded pictures to `files`.
    pub fn new(store: Store, files: Arc<dyn PictureFiles>) -> Newsroom {
        Newsroom { store, files }
    }

    /// The store the actions write to (for the reads pages need).
    pub fn store(&self) -> &Store {
        &self.store
    }
}

/// A field of a form and what is wrong with it, in words for the writer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// The field as the writer knows it ("Headline", "Sources", "Picture").
    pub field: String,
    pub message: String,
}

impl FieldError {
    /// A problem with `field`.
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> FieldError {
        FieldError { field: field.into(), message: message.into() }
    }
}

impl std::fmt::Display for FieldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

impl From<&Invalid> for FieldError {
    /// The model's field name (`hero_image`) as a writer reads it (`Hero image`).
    fn from(e: &Invalid) -> FieldError {
        let mut field = e.field.replace('_', " ");
        if let Some(first) = field.get_mut(..1) {
            first.make_ascii_uppercase();
        }
        FieldError::new(field, e.message.clone())
    }
}

/// Why an action was not done. Nothing of a refused action was written, except where the
/// variant says so.
#[derive(Debug, thiserror::Error)]
pub enum Refusal {
    /// What the action names does not exist (any more).
    #[error("the {0} does not exist")]
    NotFound(&'static str),
    /// The user may not do this; says why.
    #[error("forbidden: {0}")]
    Forbidden(String),
    /// The input is not acceptable, field by field.
    #[error("invalid: {}", list(.0))]
    Invalid(Vec<FieldError>),
    /// Someone saved the article after the writer opened it. The writer's content was kept as
    /// a conflict revision; nothing else was written.
    #[error("the article was saved by someone else")]
    Conflict(Box<Conflict>),
    /// The thing is not in a state that allows the action (a correction on a draft, a hero
    /// chosen while the article changed); a heading and what to do.
    #[error("{heading}: {message}")]
    NotNow { heading: String, message: String },
    /// The thing is still used by these (articles, users) and cannot be deleted.
    #[error("the {what} is in use")]
    InUse { what: &'static str, used_by: Vec<String> },
    /// The store failed or cannot be reached.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Something else failed on our side (hashing a password).
    #[error("{context}")]
    Failed {
        context: &'static str,
        #[source]
        source: std::io::Error,
    },
}

fn list(errors: &[FieldError]) -> String {
    errors.iter().map(ToString::to_string).collect::<Vec<_>>().join("; ")
}

impl Refusal {
    /// One problem with one field.
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Refusal {
        Refusal::Invalid(vec![FieldError::new(field, message)])
    }

    fn not_now(heading: &str, message: &str) -> Refusal {
        Refusal::NotNow { heading: heading.into(), message: message.into() }
    }

    /// The store's refusals in the newsroom's terms (bad input as the writer's field error, a
    /// deletion of what is used as the list of users); other store errors as they are.
    fn from_store(e: StoreError) -> Refusal {
        match e {
            StoreError::Invalid(invalid) => Refusal::Invalid(vec![FieldError::from(&invalid)]),
            StoreError::InUse { what, used_by } => Refusal::InUse { what, used_by },
            e => Refusal::Store(e),
        }
    }
}

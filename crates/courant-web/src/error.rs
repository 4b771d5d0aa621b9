//! [`AppError`], why a request failed, and the one place that chooses its HTTP status. It
//! depends on nothing above it: the page that shows an error is chosen later, by the
//! error-page layer (`error_pages.rs`), from what [`AppError::into_response`] leaves on the
//! response.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use courant_newsroom::Refusal;
use courant_store::StoreError;

/// The cause of an internal failure, kept for the log.
pub type Cause = Box<dyn std::error::Error + Send + Sync>;

/// Why a request failed.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// Nothing is at this address (or the id names nothing).
    #[error("not found")]
    NotFound,
    /// A link that worked once and does not any more (a used or expired password link); says
    /// what to do instead.
    #[error("expired: {}", .0.message)]
    Expired(Explained),
    /// The content existed and was withdrawn.
    #[error("gone")]
    Gone,
    /// The request cannot be understood; says what was wrong and how to ask instead.
    #[error("bad request: {0}")]
    BadRequest(String),
    /// A query parameter of the API is malformed; names the parameter.
    #[error("invalid parameter {name}: {message}")]
    InvalidParameter { name: &'static str, message: String },
    /// The client sent too many requests; it may try again after this many seconds.
    #[error("rate limited")]
    TooManyRequests { retry_after: u64 },
    /// Who is asking could not be told (a login refused); says why.
    #[error("unauthorized: {}", .0.message)]
    Unauthorized(Explained),
    /// The user may not do this; says why.
    #[error("forbidden: {0}")]
    Forbidden(String),
    /// Input that cannot be accepted as sent: what is wrong, field by field.
    #[error("invalid: {}", .0.message)]
    Invalid(Explained),
    /// The request collides with the state of things: someone saved first, the thing is in
    /// use, the workflow does not allow the step.
    #[error("conflict: {}", .0.message)]
    Conflict(Explained),
    /// More was sent than is accepted; says how much is.
    #[error("too large: {0}")]
    TooLarge(String),
    /// The client took too long to send its request; says how long it had.
    #[error("timed out: {0}")]
    TimedOut(String),
    /// The store cannot be reached; the client should retry.
    #[error("unavailable")]
    Unavailable(#[source] Cause),
    /// A failure on our side; the cause goes to the log, never to the client.
    #[error("internal error: {context}")]
    Internal {
        context: String,
        #[source]
        source: Cause,
    },
}

/// What a refused request tells the person who sent it: a heading, a message, what it
/// concerns (what uses a thing, what is wrong with each field), and, where the form is shown
/// again with the errors, that page instead of a page of its own.
#[derive(Debug, Clone, Default)]
pub struct Explained {
    pub heading: String,
    pub message: String,
    pub items: Vec<String>,
    /// The HTML page to answer with, rendered by the handler (the form with its errors).
    pub page: Option<String>,
}

impl Explained {
    /// A heading and a message.
    pub fn new(heading: impl Into<String>, message: impl Into<String>) -> Explained {
        Explained { heading: heading.into(), message: message.into(), ..Default::default() }
    }
}

impl AppError {
    /// An internal failure: what was being done, and why it failed.
    pub fn internal(context: impl Into<String>, source: impl Into<Cause>) -> AppError {
        AppError::Internal { context: context.into(), source: source.into() }
    }

    /// Input refused field by field (`errors` say "Field: what is wrong").
    pub fn invalid(errors: Vec<String>) -> AppError {
        AppError::Invalid(Explained {
            heading: "Not saved".into(),
            message: errors.join(" "),
            items: errors,
            page: None,
        })
    }

    /// This error, answered with `page` (the form again, showing what was wrong) where the
    /// error is one a form can show.
    pub fn with_page(self, page: String) -> AppError {
        match self {
            AppError::Invalid(e) => AppError::Invalid(Explained { page: Some(page), ..e }),
            AppError::Conflict(e) => AppError::Conflict(Explained { page: Some(page), ..e }),
            AppError::Unauthorized(e) => AppError::Unauthorized(Explained { page: Some(page), ..e }),
            other => other,
        }
    }

    /// The stable code clients of the API test for.
    fn code(&self) -> &'static str {
        match self {
            AppError::NotFound => "not_found",
            AppError::Expired(_) => "expired",
            AppError::Gone => "gone",
            AppError::BadRequest(_) => "bad_request",
            AppError::InvalidParameter { .. } => "invalid_parameter",
            AppError::TooManyRequests { .. } => "rate_limited",
            AppError::Unauthorized(_) => "unauthorized",
            AppError::Forbidden(_) => "forbidden",
            AppError::Invalid(_) => "invalid",
            AppError::Conflict(_) => "conflict",
            AppError::TooLarge(_) => "too_large",
            AppError::TimedOut(_) => "timed_out",
            AppError::Unavailable(_) => "unavailable",
            AppError::Internal { .. } => "internal",
        }
    }

    /// The status of each kind of failure: the only place one is chosen.
    fn status(&self) -> StatusCode {
        match self {
            AppError::NotFound | AppError::Expired(_) => StatusCode::NOT_FOUND,
            AppError::Gone => StatusCode::GONE,
            AppError::BadRequest(_) | AppError::InvalidParameter { .. } => StatusCode::BAD_REQUEST,
            AppError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            AppError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            AppError::Forbidden(_) => StatusCode::FORBIDDEN,
            AppError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::TimedOut(_) => StatusCode::REQUEST_TIMEOUT,
            AppError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal { .. } => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// What the client is told: never internal causes.
    fn public_message(&self) -> String {
        match self {
            AppError::NotFound => "Nothing is published at this address.".into(),
            AppError::Gone => "This story has been withdrawn.".into(),
            AppError::BadRequest(why)
            | AppError::Forbidden(why)
            | AppError::TooLarge(why)
            | AppError::TimedOut(why) => why.clone(),
            AppError::Invalid(e) | AppError::Conflict(e) | AppError::Expired(e) | AppError::Unauthorized(e) => {
                e.message.clone()
            }
            AppError::InvalidParameter { name, message } => format!("The parameter `{name}` {message}"),
            AppError::TooManyRequests { retry_after } => {
                format!("Too many requests from your address; try again in {retry_after} seconds.")
            }
            AppError::Unavailable(_) => "The service is briefly unavailable; try again in a moment.".into(),
            AppError::Internal { .. } => "Something went wrong on our side.".into(),
        }
    }

    fn log(&self) {
        match self {
            AppError::Internal { .. } | AppError::Unavailable(_) => {
                tracing::error!(error = %chain(self), "request failed");
            }
            AppError::BadRequest(why) => tracing::debug!(why, "bad request"),
            AppError::InvalidParameter { name, message } => tracing::debug!(name, message, "bad parameter"),
            AppError::Forbidden(why) => tracing::info!(why, "forbidden"),
            AppError::Invalid(e) | AppError::Conflict(e) | AppError::Expired(e) | AppError::Unauthorized(e) => {
                tracing::debug!(message = %e.message, "refused")
            }
            AppError::TooLarge(why) => tracing::debug!(why, "too large"),
            AppError::TimedOut(why) => tracing::debug!(why, "timed out"),
            AppError::NotFound | AppError::Gone | AppError::TooManyRequests { .. } => {}
        }
    }
}

/// An error and every cause under it, outermost first: "a: b: c".
fn chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        text.push_str(": ");
        text.push_str(&c.to_string());
        cause = c.source();
    }
    text
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            e if e.is_unavailable() => AppError::Unavailable(Box::new(e)),
            StoreError::NotFound(_) => AppError::NotFound,
            StoreError::Invalid(invalid) => AppError::Invalid(Explained::new("Not saved", invalid.to_string())),
            StoreError::InUse { what, used_by } => AppError::Conflict(Explained {
                heading: format!("The {what} is in use"),
                message: format!("The {what} cannot be deleted while these use it:"),
                items: used_by,
                page: None,
            }),
            StoreError::Transition { from, to } => {
                AppError::Conflict(Explained::new("Not possible", format!("An article cannot go from {from} to {to}.")))
            }
            e => AppError::internal("the store failed", e),
        }
    }
}

impl From<Refusal> for AppError {
    /// The newsroom's refusals; a conflict of versions is shown by the editor, which knows
    /// both versions (see `newsroom::editor`), and here only in words.
    fn from(r: Refusal) -> Self {
        match r {
            Refusal::NotFound(_) => AppError::NotFound,
            Refusal::Forbidden(why) => AppError::Forbidden(why),
            Refusal::Invalid(errors) => AppError::invalid(errors.iter().map(ToString::to_string).collect()),
            Refusal::Conflict(_) => AppError::Conflict(Explained::new(
                "Saved by someone else",
                "Someone else saved this article after you opened it; open it again.",
            )),
            Refusal::NotNow { heading, message } => AppError::Conflict(Explained::new(heading, message)),
            Refusal::InUse { what, used_by } => courant_store::StoreError::InUse { what, used_by }.into(),
            Refusal::Store(e) => e.into(),
            Refusal::Failed { context, source } => AppError::internal(context, source),
        }
    }
}

impl From<courant_render::RenderError> for AppError {
    fn from(e: courant_render::RenderError) -> Self {
        AppError::internal("a template failed", e)
    }
}

/// Marks a response as an error still to be turned into a page (or, for JSON clients, JSON) by
/// the error-page layer.
#[derive(Clone, Debug)]
pub(crate) struct Unrendered {
    pub code: &'static str,
    pub message: String,
    pub parameter: Option<&'static str>,
    /// For the newsroom's page: a heading and a list.
    pub heading: Option<String>,
    pub items: Vec<String>,
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        self.log();
        let status = self.status();
        let unrendered = Unrendered {
            code: self.code(),
            message: self.public_message(),
            parameter: match &self {
                AppError::InvalidParameter { name, .. } => Some(name),
                _ => None,
            },
            heading: match &self {
                AppError::Invalid(e) | AppError::Conflict(e) | AppError::Expired(e) | AppError::Unauthorized(e) => {
                    Some(e.heading.clone())
                }
                AppError::Forbidden(_) => Some("Not allowed".into()),
                AppError::TooLarge(_) => Some("Too large".into()),
                _ => None,
            },
            items: match &self {
                AppError::Conflict(e) => e.items.clone(),
                _ => Vec::new(),
            },
        };
        let mut response = match self {
            AppError::BadRequest(why) => (status, why).into_response(),
            AppError::Invalid(Explained { page: Some(html), .. })
            | AppError::Conflict(Explained { page: Some(html), .. })
            | AppError::Unauthorized(Explained { page: Some(html), .. }) => {
                // The handler's own page (the form with its errors) is the answer.
                return crate::respond::html(status, html);
            }
            AppError::TooManyRequests { retry_after } => {
                let mut r = status.into_response();
                r.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(retry_after));
                r
            }
            _ => status.into_response(),
        };
        response.extensions_mut().insert(unrendered);
        response
    }
}

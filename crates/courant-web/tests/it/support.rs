//! The application under test: the real `courant` server over a temporary data folder holding a
//! small demo publication and a hand-made fixture of known content, reached over HTTP on a
//! loopback port.
//!
//! One server serves every test of a binary ([`app`]): it runs on its own thread with its own
//! Tokio runtime, because each `#[tokio::test]` has a runtime of its own that ends with the test.
//! For the same reason tests build an HTTP client per request and run store queries on the
//! server's runtime ([`TestApp::with_store`]).
//!
//! Its parts, each re-exported here (tests `use crate::support::*;`): the hand-made fixture and
//! the constants it is asserted by (`support/fixture.rs`), the server, its start and its answers
//! (`support/app.rs`), and the helpers that read HTML (`support/html.rs`).
//!
//! This file is also compiled into the browser tests (`#[path = "../it/support.rs"] mod support;`),
//! so it refers to no other test module. That is also why its parts are named with `#[path]`: a
//! file included with `#[path]` looks for its modules beside itself rather than in a folder of its
//! name, so a plain `mod app;` would mean `tests/it/app.rs` there and `tests/it/support/app.rs`
//! here. A `#[path]` is relative to this file's folder in both.

#![allow(dead_code)]

#[path = "support/app.rs"]
mod app;
#[path = "support/fixture.rs"]
mod fixture;
#[path = "support/html.rs"]
mod html;

// The browser tests use only part of what is re-exported here (and a `pub use` no one uses is
// an unused import there).
#[allow(unused_imports)]
pub use app::*;
#[allow(unused_imports)]
pub use fixture::*;
#[allow(unused_imports)]
pub use html::*;

//! Integration tests of `courant-store`, through its public API only.
//!
//! Every test opens its own store through [`support::TestStore`], so the suite does not depend on
//! SQLite: a PostgreSQL backend will run these same tests once `support::backend` knows it.
//! Choose the backend with `COURANT_TEST_BACKEND` (today only `sqlite`, the default).

mod support;

mod articles;
mod listing;
mod migrations;
mod newsroom;
mod slugs;
mod status;
mod taxonomy;
mod writes;

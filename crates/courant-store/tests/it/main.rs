//! Integration tests of `courant-store`, through its public API only.
//!
//! Every test opens its own store through [`support::TestStore`], so the same suite runs against
//! both backends: `COURANT_TEST_BACKEND=sqlite` (the default) or `postgres` (with
//! `COURANT_TEST_POSTGRES` naming the server; `scripts/test` runs the suite both ways).

mod support;

mod articles;
mod copy;
mod front;
mod listing;
mod migrations;
mod newsletters;
mod newsroom;
mod pages;
mod related;
mod slugs;
mod status;
mod taxonomy;
mod wire;
mod writes;

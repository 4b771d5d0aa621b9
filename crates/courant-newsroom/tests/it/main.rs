//! Integration tests of `courant-newsroom`: its actions called as a handler would, without HTTP,
//! on the backend `COURANT_TEST_BACKEND` names (`scripts/test` runs the suite on SQLite and
//! again on PostgreSQL). Each outcome (saved, conflict, invalid, forbidden) is checked, and that
//! a refused action wrote nothing: no revision, no audit entry, no change-log entry, no source.

mod support;

mod articles;
mod pictures;
mod registry;
mod wire;

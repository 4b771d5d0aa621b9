//! Imports (WordPress, Ghost) into a fresh store of the backend the environment names (SQLite, or PostgreSQL with
//! `COURANT_TEST_BACKEND=postgres`): real exports imported whole, field by field, again without
//! duplicates, and broken or hostile files refused with the store left as it was.

mod export;
mod ghost;
mod support;
mod wordpress;

//! The public API of the store: one method of [`Store`](crate::Store) per query, each handing
//! the call to the backend with `on_backend!`. The SQL lives in the files of queries of the same
//! name (`src/articles.rs` for `api/articles.rs`, ...), compiled once per backend.

mod articles;
mod front;
mod imports;
mod newsletters;
mod newsroom;
mod pages;
mod registry;
mod related;
mod site;
mod taxonomy;
mod trending;
mod users;
mod webhooks;
mod wire;
mod wire_feeds;

//! The content model of a news publication and its rules. No I/O lives here: the store persists
//! these types, the renderer shows them, and both agree on them through this crate.

pub mod model;
pub mod newsroom;
pub mod slug;
pub mod text;
pub mod wire;

pub use model::*;
pub use newsroom::*;
pub use slug::slugify;
pub use text::{clean_text, escape_html, forbidden_in_xml, html_words, push_search_words};
pub use wire::WireItem;

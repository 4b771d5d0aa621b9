//! Integration tests of the public site: the real server over a temporary data folder (a small
//! demo publication plus a fixture of known content), read over HTTP like a browser would.
//!
//! One server is shared by every test of this binary (see `support::app`).

mod api;
mod cache;
mod discovery;
mod distribution;
mod front;
mod hostile;
mod limits;
mod listings;
mod metrics;
mod newsletters;
mod newsroom;
mod site;
mod statuses;
mod support;
mod validity;
mod webhooks;

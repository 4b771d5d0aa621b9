//! Rendering: Markdown bodies to safe HTML, view models, and the site's pages through minijinja
//! templates. Nothing here touches the database: callers hand in the content they loaded.

pub mod clock;
pub mod distribution;
pub mod email;
mod fragments;
pub mod jsonld;
pub mod markdown;
pub mod newsroom;
pub mod settings;
pub mod view;

mod pages;

pub use clock::SiteClock;
pub use distribution::{FeedFormat, FeedSource, SitemapUrl};
pub use pages::{
    Front, HomeBlock, Listing, ListingIntro, NewsletterChoice, NewslettersPage, Renderer, SearchHit, SearchPage,
};
pub use settings::{AdSettings, FeedSettings, Labels, PublicationSettings, RobotsSettings, Settings, SiteSettings};

/// What can go wrong while rendering.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// A template failed (a bug in a template or a view model).
    #[error("template error: {0:#}")]
    Template(#[from] minijinja::Error),
    /// The configuration cannot be used to render pages.
    #[error("{0}")]
    Settings(String),
}

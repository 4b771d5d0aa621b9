//! The front page's pinned stories. The SQL is in `src/front.rs`.

use crate::types::{FrontPin, FrontSlot};
use crate::{Backend, Store, StoreError};
use courant_core::{ArticleId, UserId};
use time::OffsetDateTime;

impl Store {
    /// Every pinned story, expired or not: the lead first, then the featured stories in order.
    pub async fn front_pins(&self) -> Result<Vec<FrontPin>, StoreError> {
        on_backend!(self, b => b.front_pins().await)
    }

    /// Pins a published story to the front page as its lead or as the last featured story,
    /// until `expires` if given (a time already past is refused as `Invalid`). A new lead puts
    /// the old one first among the featured. Logged in the audit log as done by `by`.
    pub async fn pin_front(
        &self,
        article: ArticleId,
        slot: FrontSlot,
        expires: Option<OffsetDateTime>,
        by: Option<UserId>,
        at: OffsetDateTime,
    ) -> Result<(), StoreError> {
        on_backend!(self, b => b.pin_front(article, slot, expires, by, at).await)
    }

    /// Takes a story off the front page's pins (`NotFound` if it was not pinned).
    pub async fn unpin_front(
        &self,
        article: ArticleId,
        by: Option<UserId>,
        at: OffsetDateTime,
    ) -> Result<(), StoreError> {
        on_backend!(self, b => b.unpin_front(article, by, at).await)
    }

    /// Moves a featured story one place up or down among the featured.
    pub async fn move_front_pin(
        &self,
        article: ArticleId,
        up: bool,
        by: Option<UserId>,
        at: OffsetDateTime,
    ) -> Result<(), StoreError> {
        on_backend!(self, b => b.move_front_pin(article, up, by, at).await)
    }

    /// Takes off the pins whose time has come (once, whichever node asks); says which stories
    /// they held.
    pub async fn expire_front_pins(&self, now: OffsetDateTime) -> Result<Vec<ArticleId>, StoreError> {
        on_backend!(self, b => b.expire_front_pins(now).await)
    }
}

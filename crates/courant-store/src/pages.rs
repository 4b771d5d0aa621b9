//! The publication's own pages (About, Contact, the corrections policy, terms, privacy). They
//! live at `/{slug}` beside sections, so a page's slug is one no section, no other page and
//! no path of the site's own has. Every change is a change of the whole site (the footer
//! links them).

use super::changes::log_site_change;
use super::newsroom::audit;
use super::{DbRow, Store};
use crate::types::{PageDraft, RESERVED_SECTION_SLUGS, SitePage};
use crate::{StoreError, ts};
use courant_core::{AuditAction, Invalid, UserId};
use sqlx::Row;
use time::OffsetDateTime;

const COLUMNS: &str = "id, slug, title, body, in_footer, position, updated_at";
/// The longest title and body a page may have, in characters.
const MAX_TITLE: usize = 200;
const MAX_BODY: usize = 200_000;

impl Store {
    /// Every page, in the footer's order.
    pub(crate) async fn site_pages(&self) -> Result<Vec<SitePage>, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM pages ORDER BY position, title, id");
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).fetch_all(&mut *self.read.get().await?).await?;
        rows.iter().map(page).collect()
    }

    /// The page at `/{slug}`, if there is one.
    pub(crate) async fn site_page(&self, slug: &str) -> Result<Option<SitePage>, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM pages WHERE slug = $1");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(slug).fetch_optional(&mut *self.read.get().await?).await?;
        row.as_ref().map(page).transpose()
    }

    /// Saves a page (a new one without `id`); says its id. Refused as `Invalid` naming the
    /// field: an empty title, a malformed slug, or a slug a section, another page or the site
    /// itself has.
    pub(crate) async fn save_site_page(
        &self,
        id: Option<i64>,
        draft: &PageDraft,
        by: Option<UserId>,
        at: OffsetDateTime,
    ) -> Result<i64, StoreError> {
        let invalid = |field: &'static str, message: String| StoreError::from(Invalid { field, message });
        let title = draft.title.trim();
        if title.is_empty() || title.chars().count() > MAX_TITLE {
            return Err(invalid("title", format!("A page needs a title of 1 to {MAX_TITLE} characters.")));
        }
        if draft.body.chars().count() > MAX_BODY {
            return Err(invalid("body", format!("A page holds at most {MAX_BODY} characters.")));
        }
        let slug = draft.slug.trim();
        if !courant_core::slug::is_valid_slug(slug) {
            return Err(invalid("slug", format!("“{slug}” is not an address: use lowercase letters, digits and single hyphens.")));
        }
        if RESERVED_SECTION_SLUGS.contains(&slug) {
            return Err(invalid("slug", format!("/{slug} is an address of the site itself: choose another.")));
        }
        let mut tx = self.begin().await?;
        let section: Option<i64> =
            sqlx::query_scalar("SELECT id FROM sections WHERE slug = $1").bind(slug).fetch_optional(&mut *tx).await?;
        if section.is_some() {
            return Err(invalid("slug", format!("/{slug} is a section's address: choose another.")));
        }
        let other: Option<i64> = sqlx::query_scalar("SELECT id FROM pages WHERE slug = $1 AND id <> $2")
            .bind(slug)
            .bind(id.unwrap_or(0))
            .fetch_optional(&mut *tx)
            .await?;
        if other.is_some() {
            return Err(invalid("slug", format!("Another page is at /{slug}: choose another address.")));
        }
        let saved: Option<i64> = match id {
            None => {
                sqlx::query_scalar(
                    "INSERT INTO pages (slug, title, body, in_footer, position, updated_at, updated_by) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                )
                .bind(slug)
                .bind(title)
                .bind(&draft.body)
                .bind(draft.in_footer)
                .bind(draft.position)
                .bind(ts(at))
                .bind(by.map(|u| u.0))
                .fetch_optional(&mut *tx)
                .await?
            }
            Some(id) => {
                sqlx::query_scalar(
                    "UPDATE pages SET slug = $1, title = $2, body = $3, in_footer = $4, position = $5, \
                     updated_at = $6, updated_by = $7 WHERE id = $8 RETURNING id",
                )
                .bind(slug)
                .bind(title)
                .bind(&draft.body)
                .bind(draft.in_footer)
                .bind(draft.position)
                .bind(ts(at))
                .bind(by.map(|u| u.0))
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?
            }
        };
        let Some(saved) = saved else { return Err(StoreError::NotFound("page")) };
        log_site_change(&mut tx).await?;
        let action = if id.is_none() { AuditAction::Created } else { AuditAction::SettingsChanged };
        audit(&mut tx, at, by, action, None, &format!("page /{slug}"), title).await?;
        self.commit(tx).await?;
        Ok(saved)
    }

    /// Deletes a page: its address answers 404 from then on.
    pub(crate) async fn delete_site_page(&self, id: i64, by: Option<UserId>, at: OffsetDateTime) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        let slug: Option<String> =
            sqlx::query_scalar("DELETE FROM pages WHERE id = $1 RETURNING slug").bind(id).fetch_optional(&mut *tx).await?;
        let Some(slug) = slug else { return Err(StoreError::NotFound("page")) };
        log_site_change(&mut tx).await?;
        audit(&mut tx, at, by, AuditAction::Deleted, None, &format!("page /{slug}"), "").await?;
        self.commit(tx).await
    }
}

fn page(row: &DbRow) -> Result<SitePage, StoreError> {
    Ok(SitePage {
        id: row.try_get("id")?,
        slug: row.try_get("slug")?,
        title: row.try_get("title")?,
        body: row.try_get("body")?,
        in_footer: row.try_get("in_footer")?,
        position: row.try_get("position")?,
        updated_at: row.try_get("updated_at")?,
    })
}

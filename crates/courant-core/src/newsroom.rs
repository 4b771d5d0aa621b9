//! The newsroom's rules: who may do what (roles and permissions), what an article needs before
//! it goes public, and the editable form of an article that revisions keep.

use crate::model::*;
use serde::{Deserialize, Serialize};
use std::fmt;
use time::OffsetDateTime;

/// Identifies a newsroom user.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct UserId(pub i64);

impl fmt::Display for UserId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// What a user may do. Each role includes everything the roles before it may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Writes and edits their own drafts and submits them for review.
    Contributor,
    /// Edits, schedules, publishes, unpublishes and corrects any article; manages sections,
    /// tags, authors, sources and pictures.
    Editor,
    /// All of that, plus users.
    Admin,
}

impl Role {
    /// Every role, least powerful first.
    pub const ALL: [Role; 3] = [Role::Contributor, Role::Editor, Role::Admin];

    /// The name stored in the database and typed on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Contributor => "contributor",
            Role::Editor => "editor",
            Role::Admin => "admin",
        }
    }

    /// Parses a role name.
    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A member of the newsroom.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct User {
    pub id: UserId,
    pub email: String,
    pub name: String,
    pub role: Role,
    /// The byline this user writes under, if any.
    pub author_id: Option<AuthorId>,
    /// A disabled user cannot log in; their work stays.
    pub disabled: bool,
    /// Set for one-time passwords: the next login must choose a new one.
    pub must_change_password: bool,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

impl User {
    /// Whether the user has at least `role`'s powers.
    pub fn is(&self, role: Role) -> bool {
        self.role >= role
    }

    /// Whether the user may change the text and links of an article owned by `owner` that is in
    /// `status`. Contributors work on their own articles until an editor takes them further.
    pub fn may_edit(&self, owner: Option<UserId>, status: Status) -> bool {
        self.is(Role::Editor) || (owner == Some(self.id) && matches!(status, Status::Draft | Status::Review))
    }

    /// Whether the user may open an article owned by `owner` in the newsroom, or read its
    /// headline there: editors open any, contributors their own.
    pub fn may_open(&self, owner: Option<UserId>) -> bool {
        self.is(Role::Editor) || owner == Some(self.id)
    }

    /// Whether the user may change the texts of a picture `uploaded_by` uploaded (which may show
    /// on other stories): editors change any, contributors their own.
    pub fn may_edit_picture(&self, uploaded_by: Option<UserId>) -> bool {
        self.is(Role::Editor) || uploaded_by == Some(self.id)
    }

    /// Whether the user may move an article owned by `owner` from `from` to `to`. The workflow
    /// must allow the step too ([`Status::can_become`]).
    pub fn may_move(&self, owner: Option<UserId>, from: Status, to: Status) -> bool {
        if !from.can_become(to) {
            return false;
        }
        self.is(Role::Editor)
            || (owner == Some(self.id)
                && matches!((from, to), (Status::Draft, Status::Review) | (Status::Review, Status::Draft)))
    }
}

/// The shortest password we accept, in characters.
pub const MIN_PASSWORD_CHARS: usize = 12;

/// Checks a new password; the message says what to change.
pub fn check_password(password: &str) -> Result<(), Invalid> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(Invalid { field: "password", message: format!("use at least {MIN_PASSWORD_CHARS} characters") });
    }
    if password.chars().count() > 1000 {
        return Err(Invalid { field: "password", message: "use at most 1000 characters".into() });
    }
    Ok(())
}

/// Checks an email address closely enough to catch typing mistakes.
pub fn check_email(email: &str) -> Result<(), Invalid> {
    let ok = email.len() <= 254
        && email.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty() && domain.contains('.') && !domain.starts_with('.') && !domain.ends_with('.')
        })
        && !email.chars().any(|c| c.is_whitespace() || c.is_control());
    if ok { Ok(()) } else { Err(Invalid { field: "email", message: "this is not an email address".into() }) }
}

/// The editable content of an article: what a writer saves and what a revision keeps. Tags are
/// kept by name (they are created on the fly); everything else by id.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleDraft {
    pub headline: String,
    pub standfirst: String,
    pub body: String,
    /// Wanted slug; derived from the headline when empty.
    #[serde(default)]
    pub slug: String,
    pub section_id: Option<SectionId>,
    pub author_ids: Vec<AuthorId>,
    pub tags: Vec<String>,
    pub source_ids: Vec<SourceId>,
    pub related_ids: Vec<ArticleId>,
    pub hero_image_id: Option<ImageId>,
}

impl ArticleDraft {
    /// The editable content of a stored article (pinned related articles that are not
    /// published are not in `article.related`; the caller passes all pinned ids).
    pub fn of(article: &Article, related_ids: Vec<ArticleId>) -> ArticleDraft {
        ArticleDraft {
            headline: article.headline.clone(),
            standfirst: article.standfirst.clone(),
            body: article.body.clone(),
            slug: article.slug.clone(),
            section_id: Some(article.section.id),
            author_ids: article.authors.iter().map(|a| a.id).collect(),
            tags: article.tags.iter().map(|t| t.name.clone()).collect(),
            source_ids: article.sources.iter().map(|s| s.id).collect(),
            related_ids,
            hero_image_id: article.hero.as_ref().map(|i| i.id),
        }
    }

    /// Checks what any save needs, whatever the status: a headline of sensible length, a
    /// section, a valid slug, nothing listed twice.
    pub fn validate(&self) -> Result<(), Invalid> {
        self.problems().into_iter().next().map_or(Ok(()), Err)
    }

    /// Everything [`ArticleDraft::validate`] would refuse, each field's first problem, in the
    /// form's order: a writer is told all of them at once.
    pub fn problems(&self) -> Vec<Invalid> {
        let mut found = Vec::new();
        let mut need = |ok: bool, field: &'static str, message: String| {
            if !ok {
                found.push(Invalid { field, message });
            }
        };
        if self.headline.trim().is_empty() {
            need(false, "headline", "a headline is required".into());
        } else {
            need(
                self.headline.chars().count() <= MAX_HEADLINE_CHARS,
                "headline",
                format!("at most {MAX_HEADLINE_CHARS} characters"),
            );
        }
        need(self.section_id.is_some(), "section", "choose a section".into());
        need(
            self.slug.is_empty() || crate::slug::is_valid_slug(&self.slug),
            "slug",
            "use lowercase letters, digits and single hyphens".into(),
        );
        need(self.body.len() <= MAX_BODY_BYTES, "body", "the body is longer than 1 MB".into());
        need(!has_duplicates(&self.author_ids), "authors", "an author is listed twice".into());
        need(!has_duplicates(&self.source_ids), "sources", "a source is listed twice".into());
        found
    }
}

/// The longest body we accept, in bytes.
pub const MAX_BODY_BYTES: usize = 1 << 20;

fn has_duplicates<T: Eq + std::hash::Hash>(items: &[T]) -> bool {
    let mut seen = std::collections::HashSet::new();
    !items.iter().all(|i| seen.insert(i))
}

/// What a news article still lacks before it may be published or scheduled, in words an editor
/// understands; empty when it is ready.
pub fn publish_problems(article: &Article) -> Vec<String> {
    let draft = ArticleDraft::of(article, Vec::new());
    draft_problems(&draft, article.hero.as_ref())
}

/// [`publish_problems`] for content not saved yet; `hero` is the picture `draft` names.
pub fn draft_problems(draft: &ArticleDraft, hero: Option<&Image>) -> Vec<String> {
    let mut missing = Vec::new();
    let mut need = |ok: bool, what: &str| {
        if !ok {
            missing.push(what.to_string());
        }
    };
    need(!draft.headline.trim().is_empty(), "a headline");
    need(!draft.standfirst.trim().is_empty(), "a standfirst");
    need(!draft.body.trim().is_empty(), "a body");
    need(draft.section_id.is_some(), "a section");
    need(!draft.author_ids.is_empty(), "at least one author");
    match hero {
        None => need(false, "a main picture"),
        Some(hero) => {
            need(!hero.alt.trim().is_empty(), "alt text on the main picture");
            need(!hero.caption.trim().is_empty(), "a caption on the main picture");
            need(!hero.credit.trim().is_empty(), "a credit on the main picture");
        }
    }
    missing
}

/// What the audit log records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AuditAction {
    Created,
    Submitted,
    Withdrawn,
    Scheduled,
    Published,
    Unpublished,
    Reopened,
    Corrected,
    SlugChanged,
    Restored,
    UserCreated,
    RoleChanged,
    UserDisabled,
    UserEnabled,
    PasswordReset,
    Deleted,
    Merged,
    SettingsChanged,
    /// A WordPress or Ghost export was imported.
    Imported,
    /// A newsletter edition was sent (queued to its subscribers).
    NewsletterSent,
    /// Every subscriber's address was exported.
    SubscribersExported,
    /// A subscriber's address was erased.
    SubscriberErased,
    /// A story was pinned to the front page, unpinned or moved there.
    FrontPageChanged,
}

impl AuditAction {
    /// The name stored in the log.
    pub fn as_str(self) -> &'static str {
        match self {
            AuditAction::Created => "created",
            AuditAction::Submitted => "submitted",
            AuditAction::Withdrawn => "withdrawn",
            AuditAction::Scheduled => "scheduled",
            AuditAction::Published => "published",
            AuditAction::Unpublished => "unpublished",
            AuditAction::Reopened => "reopened",
            AuditAction::Corrected => "corrected",
            AuditAction::SlugChanged => "slug_changed",
            AuditAction::Restored => "restored",
            AuditAction::UserCreated => "user_created",
            AuditAction::RoleChanged => "role_changed",
            AuditAction::UserDisabled => "user_disabled",
            AuditAction::UserEnabled => "user_enabled",
            AuditAction::PasswordReset => "password_reset",
            AuditAction::Deleted => "deleted",
            AuditAction::Merged => "merged",
            AuditAction::SettingsChanged => "settings_changed",
            AuditAction::Imported => "imported",
            AuditAction::NewsletterSent => "newsletter_sent",
            AuditAction::SubscribersExported => "subscribers_exported",
            AuditAction::SubscriberErased => "subscriber_erased",
            AuditAction::FrontPageChanged => "front_page_changed",
        }
    }

    /// The log entry a status change makes.
    pub fn of_move(from: Status, to: Status) -> AuditAction {
        match (from, to) {
            (_, Status::Review) => AuditAction::Submitted,
            (Status::Review, Status::Draft) => AuditAction::Withdrawn,
            (_, Status::Scheduled) => AuditAction::Scheduled,
            (_, Status::Published) => AuditAction::Published,
            (_, Status::Unpublished) => AuditAction::Unpublished,
            _ => AuditAction::Reopened,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    fn user(role: Role) -> User {
        User {
            id: UserId(7),
            email: "a@b.example".into(),
            name: "A".into(),
            role,
            author_id: None,
            disabled: false,
            must_change_password: false,
            created_at: datetime!(2026-11-26 0:00 UTC),
        }
    }

    #[test]
    fn contributors_edit_and_submit_only_their_own_drafts() {
        let c = user(Role::Contributor);
        let own = Some(UserId(7));
        let other = Some(UserId(8));
        assert!(c.may_edit(own, Status::Draft));
        assert!(c.may_edit(own, Status::Review));
        assert!(!c.may_edit(own, Status::Published));
        assert!(!c.may_edit(other, Status::Draft));
        assert!(c.may_move(own, Status::Draft, Status::Review));
        assert!(c.may_move(own, Status::Review, Status::Draft));
        assert!(!c.may_move(own, Status::Draft, Status::Published));
        assert!(!c.may_move(own, Status::Review, Status::Scheduled));
        assert!(!c.may_move(other, Status::Draft, Status::Review));
    }

    #[test]
    fn editors_move_any_article_the_workflow_allows() {
        let e = user(Role::Editor);
        for from in Status::ALL {
            for to in Status::ALL {
                assert_eq!(e.may_move(Some(UserId(1)), from, to), from.can_become(to), "{from} -> {to}");
            }
        }
        assert!(user(Role::Admin).is(Role::Editor));
        assert!(!user(Role::Editor).is(Role::Admin));
    }

    #[test]
    fn passwords_and_emails_are_checked() {
        assert!(check_password("short").is_err());
        assert!(check_password("twelve chars").is_ok());
        assert!(check_email("editor@paper.example").is_ok());
        for bad in ["", "no-at", "@x.example", "a@nodot", "a b@x.example", "a@x.example."] {
            assert!(check_email(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn drafts_need_a_headline_and_a_section() {
        let ok = ArticleDraft { headline: "H".into(), section_id: Some(SectionId(1)), ..Default::default() };
        assert!(ok.validate().is_ok());
        assert_eq!(ArticleDraft { headline: " ".into(), ..ok.clone() }.validate().unwrap_err().field, "headline");
        assert_eq!(ArticleDraft { section_id: None, ..ok.clone() }.validate().unwrap_err().field, "section");
        assert_eq!(ArticleDraft { slug: "Bad".into(), ..ok.clone() }.validate().unwrap_err().field, "slug");
        let twice = ArticleDraft { author_ids: vec![AuthorId(1), AuthorId(1)], ..ok };
        assert_eq!(twice.validate().unwrap_err().field, "authors");
    }

    #[test]
    fn publishing_needs_a_complete_story_with_a_described_picture() {
        let empty = ArticleDraft::default();
        assert_eq!(
            draft_problems(&empty, None),
            ["a headline", "a standfirst", "a body", "a section", "at least one author", "a main picture"]
        );
        let complete = ArticleDraft {
            headline: "H".into(),
            standfirst: "S".into(),
            body: "B".into(),
            section_id: Some(SectionId(1)),
            author_ids: vec![AuthorId(1)],
            hero_image_id: Some(ImageId(1)),
            ..Default::default()
        };
        let mut hero = Image {
            id: ImageId(1),
            file: "ab/c.jpg".into(),
            width: 10,
            height: 10,
            alt: "A quay".into(),
            caption: "The quay".into(),
            credit: "Photo: Wire".into(),
            keywords: vec![],
            focal: None,
        };
        assert!(draft_problems(&complete, Some(&hero)).is_empty());
        hero.credit = " ".into();
        assert_eq!(draft_problems(&complete, Some(&hero)), ["a credit on the main picture"]);
    }

    #[test]
    fn every_problem_of_a_draft_is_named_at_once() {
        let draft = ArticleDraft {
            slug: "Not A Slug".into(),
            author_ids: vec![AuthorId(1), AuthorId(1)],
            ..Default::default()
        };
        let fields: Vec<&str> = draft.problems().iter().map(|p| p.field).collect();
        assert_eq!(fields, ["headline", "section", "slug", "authors"]);
        assert_eq!(draft.validate().map_err(|e| e.field), Err("headline"), "validate names the first");
        let fine = ArticleDraft { headline: "A headline".into(), section_id: Some(SectionId(1)), ..Default::default() };
        assert!(fine.problems().is_empty() && fine.validate().is_ok());
    }
}

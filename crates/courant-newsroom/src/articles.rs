//! Articles: create and save from the editor (with the workflow move the writer's button asks
//! for), autosave, corrections, unpublishing (with its reason), hero pictures and restoring
//! revisions.
//!
//! A save is checked before anything is written: who may open, change and move the article,
//! what the content names (sections, authors, sources, related stories, the picture), and
//! whether someone saved since the writer opened it. Then one transaction writes the new
//! picture, the new sources, the changed picture texts, the content with its revision, and the
//! move with its audit entry; the change log gets its entries in the same transaction.

use crate::pictures::{PictureTexts, Prepared, Upload, record};
use crate::{FieldError, Newsroom, Refusal};
use courant_core::*;
use courant_store::{ArticleMeta, ImageUpdate, SaveOutcome, Write};
use time::OffsetDateTime;

/// The editor's content as the writer sent it, read once from the form.
#[derive(Debug, Clone, Default)]
pub struct ArticleInput {
    pub headline: String,
    pub standfirst: String,
    pub body: String,
    /// The wanted slug; empty keeps the current one (or derives one from the headline).
    pub slug: String,
    pub section: Option<SectionId>,
    pub authors: Vec<AuthorId>,
    pub tags: Vec<String>,
    pub sources: Vec<SourceId>,
    /// Sources named in words: registered ones (by name, any case) are linked, others added.
    pub new_sources: Vec<String>,
    /// Pinned related stories, each by number or address.
    pub related: Vec<String>,
    /// A new hero picture.
    pub hero_upload: Option<Upload>,
    /// The hero picture's texts, when the form carries them: the new picture's, or changes to
    /// the current one's.
    pub hero_texts: Option<PictureTexts>,
}

impl ArticleInput {
    /// The input as a draft, as typed (to show the form again when it is refused).
    pub fn as_typed(&self, hero: Option<ImageId>) -> ArticleDraft {
        ArticleDraft {
            headline: self.headline.clone(),
            standfirst: self.standfirst.clone(),
            body: self.body.clone(),
            slug: self.slug.clone(),
            section_id: self.section,
            author_ids: self.authors.clone(),
            tags: self.tags.clone(),
            source_ids: self.sources.clone(),
            related_ids: Vec::new(),
            hero_image_id: hero,
        }
    }
}

/// The button the writer pressed: save only, or save and move the article on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Intent {
    Save,
    /// Send for review.
    Submit,
    /// Back from review to draft.
    Withdraw,
    /// An unpublished story back to draft.
    Reopen,
    /// A scheduled story back to draft.
    Cancel,
    /// Publish at this time (`None`: the form gave no readable time).
    Schedule(Option<OffsetDateTime>),
    Publish,
    Unpublish,
}

impl Intent {
    /// The status the button leads to (none for a plain save).
    pub fn target(self) -> Option<Status> {
        Some(match self {
            Intent::Save => return None,
            Intent::Submit => Status::Review,
            Intent::Withdraw | Intent::Reopen | Intent::Cancel => Status::Draft,
            Intent::Schedule(_) => Status::Scheduled,
            Intent::Publish => Status::Published,
            Intent::Unpublish => Status::Unpublished,
        })
    }

    /// What was done when the move went through.
    fn done(self) -> Done {
        match self {
            Intent::Save => Done::Saved,
            Intent::Submit => Done::Submitted,
            Intent::Withdraw => Done::Withdrawn,
            Intent::Reopen | Intent::Cancel => Done::Reopened,
            Intent::Schedule(_) => Done::Scheduled,
            Intent::Publish => Done::Published,
            Intent::Unpublish => Done::Unpublished,
        }
    }
}

/// What a create or save did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Done {
    Created,
    Saved,
    Submitted,
    Withdrawn,
    Reopened,
    Scheduled,
    Published,
    Unpublished,
}

impl Done {
    /// A stable name for it (the newsroom's `?done=` codes).
    pub fn code(self) -> &'static str {
        match self {
            Done::Created => "created",
            Done::Saved => "saved",
            Done::Submitted => "submitted",
            Done::Withdrawn => "withdrawn",
            Done::Reopened => "reopened",
            Done::Scheduled => "scheduled",
            Done::Published => "published",
            Done::Unpublished => "unpublished",
        }
    }
}

/// A create or save that went through.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Saved {
    pub id: ArticleId,
    pub done: Done,
    /// The move the writer asked for, refused after the content was saved: every reason at
    /// once (the publication time, what the story still lacks, embargoes). Empty when the move
    /// went through, or when none was asked for.
    pub move_refused: Vec<FieldError>,
}

/// Why an editor takes a published story off the site, and that they confirmed it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Unpublishing {
    /// Kept as the audit entry's detail; readers never see it.
    pub reason: String,
    /// The editor ticked "I understand the story leaves the site".
    pub confirmed: bool,
}

/// The longest reason for unpublishing we keep, in characters.
pub const MAX_UNPUBLISH_REASON_CHARS: usize = 2000;

/// Two versions of an article: the writer's, kept as a conflict revision, and the one saved
/// since they opened it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conflict {
    pub mine: ArticleDraft,
    pub theirs: ArticleDraft,
    /// The version the article is at now; a save over it goes through.
    pub current_version: i64,
}

/// What an autosave did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Autosaved {
    /// Nothing had changed; the article is still at this version.
    Unchanged { version: i64 },
    /// Saved as this version, at this time.
    Saved { version: i64, at: OffsetDateTime },
}

/// A draft resolved from the input, with the sources it names that the registry lacks.
struct Resolved {
    draft: ArticleDraft,
    new_sources: Vec<String>,
}

impl Newsroom {
    /// The article `id` and what the newsroom knows of it, if `user` may open it (editors open
    /// any; contributors their own).
    pub async fn open(&self, user: &User, id: ArticleId) -> Result<(Article, ArticleMeta), Refusal> {
        let meta = self.store.article_meta(id).await?.ok_or(Refusal::NotFound("article"))?;
        if !user.may_open(meta.owner_id) {
            return Err(Refusal::Forbidden("Contributors open their own articles only.".into()));
        }
        let article = self.store.article(id).await?.ok_or(Refusal::NotFound("article"))?;
        Ok((article, meta))
    }

    /// Creates a draft owned by `by` from the editor's content, with its picture and new
    /// sources, and moves it on when the writer pressed another button than "Save".
    pub async fn create(&self, by: &User, input: ArticleInput, intent: Intent) -> Result<Saved, Refusal> {
        check_move(by, Some(by.id), Status::Draft, intent)?;
        let resolved = self.resolve(&input, None).await.map_err(|r| with_time_problem(r, intent));
        let Resolved { mut draft, new_sources } = resolved?;
        let picture = self.prepare_hero(&input).await?;
        let mut write = self.store.write().await?;
        let hero = add_extras(&mut write, by, &mut draft, new_sources, picture).await?;
        let now = OffsetDateTime::now_utc();
        let id = write.create_article(&draft, by.id, now).await.map_err(Refusal::from_store)?;
        let saved = finish(write, by, id, intent, Done::Created, &draft, hero.as_ref()).await?;
        tracing::info!(article = id.0, user = by.id.0, "article created");
        Ok(saved)
    }

    /// Saves the editor's content over `base_version` (the version the writer opened), then
    /// applies the button pressed. A stale version is not saved over: the writer's content is
    /// kept as a conflict revision and the refusal carries both versions.
    pub async fn save(
        &self,
        by: &User,
        id: ArticleId,
        base_version: i64,
        input: ArticleInput,
        intent: Intent,
    ) -> Result<Saved, Refusal> {
        let (article, meta) = self.open(by, id).await?;
        check_move(by, meta.owner_id, meta.status, intent)?;
        if intent == Intent::Unpublish {
            // Taking a story off the site asks for a reason and a confirmation of its own.
            return Err(Refusal::invalid(
                "Unpublish",
                "use “Take this story off the site” under the form, and say why; nothing was saved",
            ));
        }
        let current = ArticleDraft::of(&article, self.store.pinned_related(id).await?);
        let resolved = self.resolve(&input, article.hero.as_ref().map(|h| h.id)).await;
        let Resolved { mut draft, new_sources } = resolved.map_err(|r| with_time_problem(r, intent))?;
        if draft.slug.is_empty() {
            draft.slug = slug_when_left_empty(&article, meta.status, &draft.headline);
        }
        // Texts of the current picture that the writer changed (a new picture brings its own).
        let hero_texts = match (&input.hero_upload, &input.hero_texts, &article.hero) {
            (None, Some(texts), Some(hero)) if !same_texts(texts, hero) => Some((texts, hero)),
            _ => None,
        };
        let changed =
            draft != current || input.hero_upload.is_some() || !new_sources.is_empty() || hero_texts.is_some();
        if changed && !by.may_edit(meta.owner_id, meta.status) {
            return Err(Refusal::Forbidden(format!(
                "You cannot change this article while it is {}.",
                meta.status.label().to_lowercase()
            )));
        }
        if !changed && intent.target().is_none() {
            return Ok(Saved { id, done: Done::Saved, move_refused: Vec::new() });
        }
        if base_version != meta.version {
            return Err(self.conflict(by, id, draft, current, base_version, meta.version, changed).await?);
        }
        if let Some((_, hero)) = hero_texts {
            let uploaded_by = self.store.image(hero.id).await?.and_then(|stored| stored.uploaded_by);
            if !by.may_edit_picture(uploaded_by) {
                return Err(Refusal::invalid(
                    "Picture",
                    "its alt text, caption and credit are changed by an editor or whoever uploaded it; \
                     upload your own picture, or ask an editor.",
                ));
            }
        }
        let picture = self.prepare_hero(&input).await?;
        let mut write = self.store.write().await?;
        let now_at = write.article_meta(id).await?.ok_or(Refusal::NotFound("article"))?;
        if now_at.version != base_version {
            drop(write);
            return Err(self.conflict(by, id, draft, current, base_version, now_at.version, changed).await?);
        }
        let mut hero = article.hero.clone();
        if changed {
            if let Some(image) = add_extras(&mut write, by, &mut draft, new_sources, picture).await? {
                hero = Some(image);
            } else if let (Some((texts, _)), Some(hero)) = (hero_texts, hero.as_mut()) {
                let update = ImageUpdate {
                    alt: texts.alt.clone(),
                    caption: texts.caption.clone(),
                    credit: texts.credit.clone(),
                    keywords: hero.keywords.clone(),
                    focal: hero.focal,
                };
                write.update_image(hero.id, &update).await.map_err(Refusal::from_store)?;
                (hero.alt, hero.caption, hero.credit) = (update.alt, update.caption, update.credit);
            }
            let now = OffsetDateTime::now_utc();
            let outcome = write.save_article(id, base_version, &draft, by.id, now, "").await;
            if let SaveOutcome::Conflict { current_version, .. } = outcome.map_err(Refusal::from_store)? {
                // The version was checked under the write lock this transaction holds: another
                // save cannot have come between. Should it, nothing of this one is written.
                let found = format!("article {id} moved to version {current_version} under the write lock");
                return Err(Refusal::Store(courant_store::StoreError::Corrupt(found)));
            }
        }
        finish(write, by, id, intent, Done::Saved, &draft, hero.as_ref()).await
    }

    /// Saves the editor's text quietly (every few seconds, and when the tab closes). Only drafts
    /// and articles in review are autosaved: half-typed text must never go live. New sources and
    /// pictures wait for a real save.
    pub async fn autosave(
        &self,
        by: &User,
        id: ArticleId,
        base_version: i64,
        input: ArticleInput,
    ) -> Result<Autosaved, Refusal> {
        let (article, meta) = self.open(by, id).await?;
        if !matches!(meta.status, Status::Draft | Status::Review) || !by.may_edit(meta.owner_id, meta.status) {
            return Err(Refusal::not_now(
                "Autosave is off",
                "Autosave is off for this article; save with the buttons.",
            ));
        }
        let Resolved { mut draft, .. } = self.resolve(&input, article.hero.as_ref().map(|h| h.id)).await?;
        let current = ArticleDraft::of(&article, self.store.pinned_related(id).await?);
        if draft.slug.is_empty() {
            draft.slug = slug_when_left_empty(&article, meta.status, &draft.headline);
        }
        if draft == current && base_version == meta.version {
            return Ok(Autosaved::Unchanged { version: meta.version });
        }
        let now = OffsetDateTime::now_utc();
        let mut write = self.store.write().await?;
        let outcome = write.save_article(id, base_version, &draft, by.id, now, "autosave").await;
        let outcome = outcome.map_err(Refusal::from_store)?;
        write.commit().await?;
        match outcome {
            SaveOutcome::Saved { version } => Ok(Autosaved::Saved { version, at: now }),
            SaveOutcome::Conflict { current_version, .. } => {
                Err(Refusal::Conflict(Box::new(Conflict { mine: draft, theirs: current, current_version })))
            }
        }
    }

    /// The first autosave of a story not saved yet: creates its draft, owned by `by`, from the
    /// text as [`Newsroom::autosave`] saves it (new sources and pictures wait for a real save).
    /// Answers the new draft and its first version; the editor's later autosaves go to it.
    pub async fn autosave_new(&self, by: &User, input: ArticleInput) -> Result<(ArticleId, Autosaved), Refusal> {
        let Resolved { draft, .. } = self.resolve(&input, None).await?;
        let now = OffsetDateTime::now_utc();
        let mut write = self.store.write().await?;
        let id = write.create_article(&draft, by.id, now).await.map_err(Refusal::from_store)?;
        write.commit().await?;
        tracing::info!(article = id.0, user = by.id.0, "article created by autosave");
        Ok((id, Autosaved::Saved { version: 1, at: now }))
    }

    /// Appends a dated correction to a published article: it shows at the article's foot and
    /// in its structured data. Editors only.
    pub async fn correct(&self, by: &User, id: ArticleId, text: &str) -> Result<(), Refusal> {
        if !by.is(Role::Editor) {
            return Err(Refusal::Forbidden("Corrections are published by editors.".into()));
        }
        // Checked under the write lock: the story cannot be unpublished in between.
        let mut write = self.store.write().await?;
        let meta = write.article_meta(id).await?.ok_or(Refusal::NotFound("article"))?;
        if meta.status != Status::Published {
            return Err(Refusal::not_now(
                "Not published",
                "Corrections go on published articles; edit a draft directly.",
            ));
        }
        write.correct_article(id, text, by.id, OffsetDateTime::now_utc()).await.map_err(Refusal::from_store)?;
        Ok(write.commit().await?)
    }

    /// Takes a published story off the site (its address answers 410 Gone from then on).
    /// Editors only, with a reason, kept as the audit entry's detail, and their confirmation;
    /// everything missing is refused at once and nothing is written then.
    pub async fn unpublish(&self, by: &User, id: ArticleId, request: &Unpublishing) -> Result<(), Refusal> {
        let (_, meta) = self.open(by, id).await?;
        if !by.may_move(meta.owner_id, Status::Published, Status::Unpublished) {
            return Err(Refusal::Forbidden("Stories are taken off the site by editors.".into()));
        }
        let reason = request.reason.trim();
        let mut errors = Vec::new();
        if reason.is_empty() {
            errors.push(FieldError::new("Reason", "say why the story comes off the site (kept in the audit log)"));
        } else if reason.chars().count() > MAX_UNPUBLISH_REASON_CHARS {
            errors.push(FieldError::new("Reason", format!("at most {MAX_UNPUBLISH_REASON_CHARS} characters")));
        }
        if !request.confirmed {
            errors.push(FieldError::new("Confirmation", "tick “I understand the story leaves the site”"));
        }
        if !errors.is_empty() {
            return Err(Refusal::Invalid(errors));
        }
        // Checked under the write lock: the story cannot change status in between.
        let mut write = self.store.write().await?;
        let meta = write.article_meta(id).await?.ok_or(Refusal::NotFound("article"))?;
        if meta.status != Status::Published {
            return Err(Refusal::not_now(
                "Not published",
                &format!(
                    "Only a published story can be taken off the site; this one is {}.",
                    meta.status.label().to_lowercase()
                ),
            ));
        }
        let now = OffsetDateTime::now_utc();
        let moved = write.move_article_noting(id, Status::Unpublished, Some(by.id), now, reason).await;
        moved.map_err(Refusal::from_store)?;
        write.commit().await?;
        tracing::info!(article = id.0, user = by.id.0, "article unpublished");
        Ok(())
    }

    /// Uses a picture of the library as the article's hero (a save like any other: a new
    /// version and revision).
    pub async fn set_hero(&self, by: &User, id: ArticleId, image: ImageId) -> Result<(), Refusal> {
        let (article, meta) = self.open(by, id).await?;
        if !by.may_edit(meta.owner_id, meta.status) {
            return Err(Refusal::Forbidden("You cannot change this article in its current status.".into()));
        }
        self.store.image(image).await?.ok_or(Refusal::NotFound("picture"))?;
        let mut draft = ArticleDraft::of(&article, self.store.pinned_related(id).await?);
        draft.hero_image_id = Some(image);
        let now = OffsetDateTime::now_utc();
        let mut write = self.store.write().await?;
        let outcome = write.save_article(id, meta.version, &draft, by.id, now, "hero picture").await?;
        write.commit().await?;
        match outcome {
            SaveOutcome::Saved { .. } => Ok(()),
            SaveOutcome::Conflict { .. } => Err(Refusal::not_now(
                "Saved by someone else",
                "The article changed while you chose; open it and choose again.",
            )),
        }
    }

    /// Saves an old revision's content as a new version (nothing is rewritten; the history only
    /// grows), with an audit entry, in one transaction.
    pub async fn restore(&self, by: &User, id: ArticleId, revision: i64) -> Result<(), Refusal> {
        let (article, meta) = self.open(by, id).await?;
        if !by.may_edit(meta.owner_id, meta.status) {
            return Err(Refusal::Forbidden("You cannot change this article in its current status.".into()));
        }
        let old = self.store.revision(id, revision).await?.ok_or(Refusal::NotFound("revision"))?;
        let note = format!("restored from v{}", old.info.version);
        let now = OffsetDateTime::now_utc();
        let mut write = self.store.write().await?;
        let outcome = write.save_article(id, meta.version, &old.content, by.id, now, &note).await;
        match outcome.map_err(Refusal::from_store)? {
            SaveOutcome::Saved { .. } => {
                write.audit(now, Some(by.id), AuditAction::Restored, Some(id), &article.headline, &note).await?;
                Ok(write.commit().await?)
            }
            SaveOutcome::Conflict { .. } => {
                write.commit().await?;
                Err(Refusal::not_now("Saved by someone else", "The article changed while you looked; try again."))
            }
        }
    }

    /// The draft the input describes, or everything wrong with it; reads only.
    async fn resolve(&self, input: &ArticleInput, hero: Option<ImageId>) -> Result<Resolved, Refusal> {
        let mut errors = Vec::new();
        let mut source_ids = input.sources.clone();
        let mut new_sources = Vec::new();
        if !input.new_sources.is_empty() {
            let existing = self.store.sources().await?;
            for name in &input.new_sources {
                match existing.iter().find(|s| s.name.eq_ignore_ascii_case(name)) {
                    Some(s) if !source_ids.contains(&s.id) => source_ids.push(s.id),
                    Some(_) => {}
                    None if name.chars().count() > 200 => {
                        errors.push(FieldError::new("Sources", "a name is longer than 200 characters"))
                    }
                    None => new_sources.push(name.clone()),
                }
            }
        }
        let mut related_ids = Vec::new();
        for line in input.related.iter().take(50) {
            let found = match line.parse::<i64>() {
                Ok(n) => self.store.article_meta(ArticleId(n)).await?.map(|m| m.id),
                Err(_) => {
                    let slug = line.trim_end_matches('/').rsplit('/').next().unwrap_or("");
                    self.store.article_by_slug(slug).await?.map(|a| a.id)
                }
            };
            match found {
                Some(id) if !related_ids.contains(&id) => related_ids.push(id),
                Some(_) => {}
                None => errors.push(FieldError::new("Related", format!("no article is {line:?}"))),
            }
        }
        let draft = ArticleDraft {
            headline: input.headline.trim().to_string(),
            standfirst: input.standfirst.trim().to_string(),
            body: input.body.replace("\r\n", "\n"),
            slug: input.slug.trim().to_string(),
            section_id: input.section,
            author_ids: input.authors.clone(),
            tags: input.tags.clone(),
            source_ids,
            related_ids,
            hero_image_id: hero,
        };
        errors.extend(draft.problems().iter().map(FieldError::from));
        if errors.is_empty() { Ok(Resolved { draft, new_sources }) } else { Err(Refusal::Invalid(errors)) }
    }

    /// The input's new hero picture, checked and its files written (before any transaction:
    /// decoding a picture must not hold the write lock).
    async fn prepare_hero(&self, input: &ArticleInput) -> Result<Option<Prepared>, Refusal> {
        match &input.hero_upload {
            Some(upload) => Ok(Some(self.prepare_picture(upload, input.hero_texts.clone().unwrap_or_default()).await?)),
            None => Ok(None),
        }
    }

    /// Keeps the writer's content as a conflict revision (when it differs from what they
    /// opened) and answers with both versions.
    #[allow(clippy::too_many_arguments)]
    async fn conflict(
        &self,
        by: &User,
        id: ArticleId,
        mine: ArticleDraft,
        theirs: ArticleDraft,
        base_version: i64,
        current_version: i64,
        changed: bool,
    ) -> Result<Refusal, Refusal> {
        if changed {
            let mut write = self.store.write().await?;
            let now = OffsetDateTime::now_utc();
            write.save_article(id, base_version, &mine, by.id, now, "").await.map_err(Refusal::from_store)?;
            write.commit().await?;
        }
        Ok(Refusal::Conflict(Box::new(Conflict { mine, theirs, current_version })))
    }
}

/// Refuses a button the user may not press, before anything is written.
fn check_move(by: &User, owner: Option<UserId>, from: Status, intent: Intent) -> Result<(), Refusal> {
    match intent.target() {
        Some(to) if !by.may_move(owner, from, to) => Err(Refusal::Forbidden(format!(
            "You cannot move this article from {} to {}.",
            from.label().to_lowercase(),
            to.label().to_lowercase()
        ))),
        _ => Ok(()),
    }
}

fn same_texts(texts: &PictureTexts, image: &Image) -> bool {
    texts.alt == image.alt && texts.caption == image.caption && texts.credit == image.credit
}

/// The slug a save gives `article` when the writer left the field empty. A story readers have
/// never seen follows its headline, as the field's help promises (the editor's first autosave
/// made its slug from the first words typed); one that has been public keeps its address.
fn slug_when_left_empty(article: &Article, status: Status, headline: &str) -> String {
    let never_public = matches!(status, Status::Draft | Status::Review) && article.published_at.is_none();
    let derived = slugify(headline);
    if !never_public || derived.is_empty() || made_from(&article.slug, &derived) {
        return article.slug.clone();
    }
    derived
}

/// Whether `slug` is `base`, or `base` with the suffix the store adds when another story has
/// it (`base-2`): then the headline has not changed it, and the slug stays as it is.
fn made_from(slug: &str, base: &str) -> bool {
    slug == base
        || slug
            .rsplit_once('-')
            .and_then(|(_, n)| n.parse::<u32>().ok())
            .is_some_and(|n| n >= 2 && courant_core::slug::with_suffix(base, n) == slug)
}

/// Writes what a save brings besides the article: its new picture (returned, and made the
/// draft's hero) and its new sources (linked to the draft).
async fn add_extras(
    write: &mut Write,
    by: &User,
    draft: &mut ArticleDraft,
    new_sources: Vec<String>,
    picture: Option<Prepared>,
) -> Result<Option<Image>, Refusal> {
    let mut hero = None;
    if let Some(picture) = picture {
        let image = record(write, picture, by).await?;
        draft.hero_image_id = Some(image.id);
        hero = Some(image);
    }
    for name in new_sources {
        let source = write.insert_source(NewSource { name, ..NewSource::default() }).await.map_err(|e| match e {
            courant_store::StoreError::Invalid(e) => Refusal::invalid("Sources", e.to_string()),
            e => Refusal::Store(e),
        })?;
        draft.source_ids.push(source.id);
    }
    Ok(hero)
}

/// What is wrong with the publication time the writer gave with "Schedule" (nothing for other
/// buttons, or for a time to come).
fn schedule_time_problem(intent: Intent, now: OffsetDateTime) -> Option<FieldError> {
    match intent {
        Intent::Schedule(Some(t)) if t > now => None,
        Intent::Schedule(Some(_)) => Some(FieldError::new("Publication time", "choose a time in the future")),
        Intent::Schedule(None) => Some(FieldError::new("Publication time", "choose the date and time to publish at")),
        _ => None,
    }
}

/// `refusal` of the writer's content with, when they pressed "Schedule", what is wrong with the
/// publication time as well: every problem is listed at once, not one per attempt.
fn with_time_problem(refusal: Refusal, intent: Intent) -> Refusal {
    match refusal {
        Refusal::Invalid(mut errors) => {
            errors.extend(schedule_time_problem(intent, OffsetDateTime::now_utc()));
            Refusal::Invalid(errors)
        }
        other => other,
    }
}

/// Applies the writer's button to the saved article inside `write`, then commits. A schedule
/// without a future time, or a publication of an article that lacks what it needs or that wire
/// copy under embargo holds, is refused after the content is saved; the outcome lists every
/// reason at once.
async fn finish(
    mut write: Write,
    by: &User,
    id: ArticleId,
    intent: Intent,
    plain: Done,
    draft: &ArticleDraft,
    hero: Option<&Image>,
) -> Result<Saved, Refusal> {
    let Some(to) = intent.target() else {
        write.commit().await?;
        return Ok(Saved { id, done: plain, move_refused: Vec::new() });
    };
    let meta = write.article_meta(id).await?.ok_or(Refusal::NotFound("article"))?;
    check_move(by, meta.owner_id, meta.status, intent)?;
    let now = OffsetDateTime::now_utc();
    let when = match intent {
        Intent::Schedule(Some(t)) if t > now => Some(t),
        _ => None,
    };
    // Every reason at once, so that one more attempt can be the last.
    let mut refused: Vec<FieldError> = schedule_time_problem(intent, now).into_iter().collect();
    if matches!(to, Status::Published | Status::Scheduled) {
        for missing in draft_problems(draft, hero) {
            refused.push(FieldError::new("Before publishing", format!("it still needs {missing}")));
        }
        // Wire copy under embargo holds the story until the embargo ends (checked at the
        // planned time, or now when there is no usable one yet).
        for held in crate::wire::embargoes(&mut write, id, when.unwrap_or(now)).await? {
            refused.push(FieldError::new("Embargo", held));
        }
    }
    if refused.is_empty() {
        write.move_article(id, to, Some(by.id), now, when).await.map_err(Refusal::from_store)?;
    }
    write.commit().await?;
    if refused.is_empty() {
        tracing::info!(article = id.0, user = by.id.0, to = to.as_str(), "article moved");
    }
    let done = if refused.is_empty() { intent.done() } else { plain };
    Ok(Saved { id, done, move_refused: refused })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_slug_made_from_the_headline_is_recognised_with_its_suffix() {
        assert!(made_from("harbour-tram", "harbour-tram"));
        assert!(made_from("harbour-tram-2", "harbour-tram"));
        assert!(made_from("harbour-tram-12", "harbour-tram"));
        assert!(!made_from("harb", "harbour-tram"));
        assert!(!made_from("harbour-tram-1", "harbour-tram"));
        assert!(!made_from("harbour-tram-line", "harbour-tram"));
        // A long headline's slug is cut to make room for the suffix.
        let long = "a".repeat(40) + "-" + &"b".repeat(39);
        assert_eq!(long.len(), courant_core::slug::MAX_SLUG_LEN);
        assert!(made_from(&courant_core::slug::with_suffix(&long, 3), &long));
    }
}

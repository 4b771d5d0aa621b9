//! The editor page: an article's content in a form, with its buttons (the workflow moves this
//! user may make), its picture, what it still lacks before publication, its corrections, the
//! form that takes a published story off the site, what the last action did, and, after a
//! refused save, everything that was wrong (with the form as typed) or the two versions side
//! by side.

use super::articles::section_choices;
use super::form::ArticleForm;
use super::{Choice, Me, Notice, NoticeLink, Page};
use crate::error::Explained;
use crate::{AppError, AppState};
use courant_core::*;
use courant_newsroom::{Conflict, Intent, Unpublishing};
use courant_store::ArticleMeta;
use serde::Serialize;

/// How many author selects the editor offers.
const AUTHOR_SLOTS: usize = 4;

#[derive(Serialize)]
struct EditorView {
    article: Option<ArticleInfo>,
    action: String,
    form: FormValues,
    sections: Vec<Choice>,
    author_slots: Vec<Vec<Choice>>,
    sources: Vec<SourceBox>,
    hero: Option<super::media::ImageView>,
    related_list: Vec<RelatedLink>,
    intents: Vec<Button>,
    /// "Before publishing": every requirement of publication, done or missing.
    checks: Vec<Check>,
    /// How many of `checks` are missing.
    missing: usize,
    /// Whether the checklist shows: for stories still being written, and for any that lack
    /// something.
    checklist_shown: bool,
    corrections: Vec<CorrectionView>,
    can_correct: bool,
    /// Where the script autosaves: the article's own route, or for a new story the route that
    /// creates its draft on the first autosave.
    autosave_url: Option<String>,
    preview_url: String,
    revisions_url: Option<String>,
    /// The wire copy the story was written from: its page and how to name it.
    wire: Vec<(String, String)>,
    timezone: String,
    conflict: Option<ConflictView>,
    /// "Take this story off the site": where its form posts, for an editor on a published story.
    unpublish_url: Option<String>,
    /// A new story by a user with no author profile of their own: no byline is chosen for them.
    no_byline: bool,
}

#[derive(Serialize)]
struct ArticleInfo {
    id: i64,
    status: &'static str,
    status_label: &'static str,
    version: i64,
    public_url: Option<String>,
    slug: String,
    published: String,
    /// `published` for `<time datetime>`, in UTC.
    published_iso: String,
    updated: String,
    updated_iso: String,
    owner_name: String,
}

#[derive(Serialize, Default)]
struct FormValues {
    headline: String,
    standfirst: String,
    body: String,
    slug: String,
    tags: String,
    related: String,
    new_sources: String,
    hero_alt: String,
    hero_caption: String,
    hero_credit: String,
    schedule_at: String,
    version: i64,
    /// The form "Take this story off the site", as sent when it was refused.
    unpublish_reason: String,
    unpublish_confirmed: bool,
}

impl FormValues {
    /// The form's own fields for an article as stored: its version and its hero's texts.
    fn saved(article: &Article, meta: &ArticleMeta) -> FormValues {
        let hero = article.hero.as_ref();
        FormValues {
            version: meta.version,
            hero_alt: hero.map(|h| h.alt.clone()).unwrap_or_default(),
            hero_caption: hero.map(|h| h.caption.clone()).unwrap_or_default(),
            hero_credit: hero.map(|h| h.credit.clone()).unwrap_or_default(),
            ..Default::default()
        }
    }
}

#[derive(Serialize)]
struct SourceBox {
    id: i64,
    name: String,
    kind: String,
    checked: bool,
}

/// One requirement of publication as the editor's checklist shows it.
#[derive(Serialize, Debug, PartialEq)]
struct Check {
    /// What publication needs, in the words of its refusal ("a main picture").
    label: String,
    /// The form field the editor's script reads to tick it again as the writer types; empty
    /// for what the form does not hold (an embargo).
    field: &'static str,
    done: bool,
    /// Done whatever the field holds: the article has its picture already.
    kept: bool,
}

/// Every requirement [`draft_problems`] checks before publication, in its words, with the field
/// of the editor's form that meets it. A test checks that the two lists agree.
const REQUIREMENTS: [(&str, &str); 9] = [
    ("a headline", "headline"),
    ("a standfirst", "standfirst"),
    ("a body", "body"),
    ("a section", "section"),
    ("at least one author", "author"),
    ("a main picture", "hero_file"),
    ("alt text on the main picture", "hero_alt"),
    ("a caption on the main picture", "hero_caption"),
    ("a credit on the main picture", "hero_credit"),
];

/// The checklist "Before publishing" for `draft`, its picture `hero` and the form's other
/// fields: every requirement, done or missing, by the same rules publishing applies (the
/// picture's texts as the form has them, which a save gives the picture), then what else
/// holds the story back (`held`: wire copy under embargo).
fn checklist(draft: &ArticleDraft, hero: Option<&Image>, form: &FormValues, held: Vec<String>) -> Vec<Check> {
    let typed = hero.map(|h| Image {
        alt: form.hero_alt.clone(),
        caption: form.hero_caption.clone(),
        credit: form.hero_credit.clone(),
        ..h.clone()
    });
    let missing = draft_problems(draft, typed.as_ref());
    let filled = |text: &str| !text.trim().is_empty();
    let mut checks: Vec<Check> = REQUIREMENTS
        .iter()
        .map(|&(label, field)| {
            let done = match (field, hero) {
                // Without a picture the rules do not look at its texts yet; the form has them.
                ("hero_alt", None) => filled(&form.hero_alt),
                ("hero_caption", None) => filled(&form.hero_caption),
                ("hero_credit", None) => filled(&form.hero_credit),
                _ => !missing.iter().any(|m| m == label),
            };
            Check { label: label.to_string(), field, done, kept: field == "hero_file" && hero.is_some() }
        })
        .collect();
    // A rule the core gains before this list does still shows, as missing.
    let unlisted = missing.into_iter().filter(|m| !REQUIREMENTS.iter().any(|(label, _)| label == m));
    checks.extend(unlisted.chain(held).map(|label| Check { label, field: "", done: false, kept: false }));
    checks
}

/// Where the editor previews article `id` (none for a new story): the preview shows its hero.
pub(super) fn preview_url(id: Option<ArticleId>) -> String {
    match id {
        Some(id) => format!("/newsroom/preview?article={id}"),
        None => "/newsroom/preview".to_string(),
    }
}

#[derive(Serialize)]
struct RelatedLink {
    id: i64,
    headline: String,
    url: String,
}

#[derive(Serialize)]
struct Button {
    value: &'static str,
    label: &'static str,
    danger: bool,
}

#[derive(Serialize)]
struct CorrectionView {
    date: String,
    text: String,
}

#[derive(Serialize)]
struct ConflictView {
    mine: Vec<FieldValue>,
    theirs: Vec<FieldValue>,
    current_version: i64,
    saved_by: String,
    saved_at: String,
}

#[derive(Serialize)]
pub(super) struct FieldValue {
    pub(super) label: &'static str,
    pub(super) value: String,
}

/// The buttons a user sees for an article in `status` (none yet for a new one).
fn intents(user: &User, owner: Option<UserId>, status: Option<Status>) -> Vec<Button> {
    let i = |value, label, danger| Button { value, label, danger };
    let from = status.unwrap_or(Status::Draft);
    let mut out = vec![match status {
        None | Some(Status::Draft | Status::Review) => i("save", "Save draft", false),
        Some(Status::Published) => i("save", "Update the published story", false),
        _ => i("save", "Save", false),
    }];
    let owner = if status.is_none() { Some(user.id) } else { owner };
    // Unpublishing is not among them: it has a form of its own, with a reason and a
    // confirmation (see `unpublish_url`).
    let candidates: [(&'static str, &'static str, bool); 6] = [
        ("submit", "Send for review", false),
        ("withdraw", "Back to draft", false),
        ("publish", if from == Status::Unpublished { "Republish" } else { "Publish now" }, false),
        ("schedule", "Schedule", false),
        ("cancel", "Cancel the schedule", false),
        ("reopen", "Reopen as a draft", false),
    ];
    for (value, label, danger) in candidates {
        let Some(to) = super::form::intent(value, None).target() else { continue };
        let fits = match value {
            "withdraw" => from == Status::Review,
            "cancel" => from == Status::Scheduled,
            "reopen" => from == Status::Unpublished,
            _ => true,
        };
        if fits && user.may_move(owner, from, to) {
            out.push(i(value, label, danger));
        }
    }
    out
}

pub(super) fn fields_of(d: &ArticleDraft, names: &Names) -> Vec<FieldValue> {
    let join = |v: Vec<String>| v.join(", ");
    vec![
        FieldValue { label: "Headline", value: d.headline.clone() },
        FieldValue { label: "Standfirst", value: d.standfirst.clone() },
        FieldValue { label: "Body", value: d.body.clone() },
        FieldValue { label: "Slug", value: d.slug.clone() },
        FieldValue { label: "Section", value: d.section_id.map(|s| names.section(s)).unwrap_or_default() },
        FieldValue { label: "Authors", value: join(d.author_ids.iter().map(|a| names.author(*a)).collect()) },
        FieldValue { label: "Tags", value: d.tags.join(", ") },
        FieldValue { label: "Sources", value: join(d.source_ids.iter().map(|s| names.source(*s)).collect()) },
        FieldValue {
            label: "Related",
            value: d.related_ids.iter().map(|r| r.0.to_string()).collect::<Vec<_>>().join(", "),
        },
        FieldValue { label: "Hero picture", value: d.hero_image_id.map(|i| format!("#{}", i.0)).unwrap_or_default() },
    ]
}

/// Names of sections, authors and sources by id, for showing drafts and revisions.
pub(super) struct Names {
    sections: Vec<Section>,
    authors: Vec<Author>,
    sources: Vec<Source>,
}

impl Names {
    pub(super) async fn load(app: &AppState) -> Result<Names, AppError> {
        Ok(Names {
            sections: app.store.sections().await?,
            authors: app.store.authors().await?,
            sources: app.store.sources().await?,
        })
    }
    fn section(&self, id: SectionId) -> String {
        self.sections.iter().find(|s| s.id == id).map_or_else(|| format!("#{id}"), |s| s.name.clone())
    }
    fn author(&self, id: AuthorId) -> String {
        self.authors.iter().find(|s| s.id == id).map_or_else(|| format!("#{id}"), |s| s.name.clone())
    }
    fn source(&self, id: SourceId) -> String {
        self.sources.iter().find(|s| s.id == id).map_or_else(|| format!("#{id}"), |s| s.name.clone())
    }
}

/// The editor of one article (or of a new one) as one user sees it.
pub(super) struct Editor<'a> {
    app: &'a AppState,
    me: &'a Me,
    article: Option<Article>,
    meta: Option<ArticleMeta>,
    owner_name: String,
}

impl<'a> Editor<'a> {
    /// The editor of a new article.
    pub(super) fn new_article(app: &'a AppState, me: &'a Me) -> Editor<'a> {
        Editor { app, me, article: None, meta: None, owner_name: me.user.name.clone() }
    }

    /// The editor of article `id`, if the user may open it.
    pub(super) async fn open(app: &'a AppState, me: &'a Me, id: ArticleId) -> Result<Editor<'a>, AppError> {
        let (article, meta) = app.newsroom.open(&me.user, id).await?;
        let owner_name = match meta.owner_id {
            Some(o) => app.store.user(o).await?.map(|u| u.name).unwrap_or_default(),
            None => String::new(),
        };
        Ok(Editor { app, me, article: Some(article), meta: Some(meta), owner_name })
    }

    /// The page with the content as stored (or, for a new article, empty with the writer's
    /// byline: their own author profile in the first slot), and the message of what was just
    /// done (`?done=`).
    pub(super) async fn page(&self, done: Option<&str>) -> Result<String, AppError> {
        let notice = done.and_then(|code| self.outcome(code));
        let Some(article) = &self.article else {
            let sections = self.app.store.sections().await?;
            let draft = ArticleDraft {
                section_id: sections.first().map(|s| s.id),
                author_ids: self.me.user.author_id.into_iter().collect(),
                ..Default::default()
            };
            return self.html(&draft, FormValues::default(), Vec::new(), None, notice).await;
        };
        let draft = ArticleDraft::of(article, self.app.store.pinned_related(article.id).await?);
        let meta = self.meta.as_ref().ok_or(AppError::NotFound)?;
        self.html(&draft, FormValues::saved(article, meta), Vec::new(), None, notice).await
    }

    /// What the editor says after `code` (`?done=`), in words that fit the article as it is
    /// now: what readers see of it, when it is planned for, where to look at it.
    fn outcome(&self, code: &str) -> Option<Notice> {
        let renderer = self.app.renderer();
        let zone = &renderer.site().timezone;
        let article = self.article.as_ref();
        let status = article.map(|a| a.status);
        let planned = article.and_then(|a| a.published_at).map(|t| format!("{} ({zone})", renderer.format_time(t)));
        let on_site = |text: &str| Notice {
            text: text.to_string(),
            link: article.and_then(|a| a.path()).map(|url| NoticeLink { url, label: "View it on the site".into() }),
        };
        let text = match (code, status) {
            ("created" | "saved", Some(Status::Draft)) => "Saved as a draft: only the newsroom sees it.".to_string(),
            ("saved", Some(Status::Review)) => "Saved: it still waits for an editor’s review.".to_string(),
            ("corrected", Some(Status::Published)) => {
                return Some(on_site("Correction published: it shows at the end of the story, with its date."));
            }
            ("saved", Some(Status::Published)) => {
                return Some(on_site("Updated — the live page now shows this version."));
            }
            ("saved", Some(Status::Scheduled)) => format!("Saved: still scheduled for {}.", planned?),
            ("saved", Some(Status::Unpublished)) => "Saved: the story stays off the site.".to_string(),
            ("submitted", Some(Status::Review)) => "Sent for review: editors see it on their dashboard.".to_string(),
            ("withdrawn", Some(Status::Draft)) => "Back to draft: it no longer waits for review.".to_string(),
            ("reopened", Some(Status::Draft)) => {
                "Back to draft: it is not on the site, and nothing is scheduled.".to_string()
            }
            ("scheduled", Some(Status::Scheduled)) => format!("Scheduled for {}.", planned?),
            ("published", Some(Status::Published)) => return Some(on_site("Published — the story is live.")),
            ("unpublished", Some(Status::Unpublished)) => {
                "Unpublished — the story is off the site: its address tells readers it was withdrawn, and it \
                 left the home page, its sections, feeds and search."
                    .to_string()
            }
            ("restored", _) => "Revision restored as a new version.".to_string(),
            // The article moved on since (someone else acted, or the scheduler): its status
            // says where it is, better than a message that is no longer true.
            (
                "created" | "saved" | "submitted" | "withdrawn" | "reopened" | "scheduled" | "published"
                | "unpublished" | "corrected",
                _,
            ) => return None,
            // Another page's code (a draft written from the wire copy).
            _ => return Notice::done(code),
        };
        Some(Notice::text(text))
    }

    /// The form again as sent, with what was wrong with it.
    pub(super) async fn refused(&self, sent: &ArticleForm, mut errors: Vec<String>) -> AppError {
        if sent.input.hero_upload.is_some() {
            // A browser never fills a file field again.
            errors.push("Picture: choose your new picture again when you send the form.".into());
        }
        let typed = sent.input.as_typed(self.article.as_ref().and_then(|a| a.hero.as_ref()).map(|h| h.id));
        let page = self.html(&typed, echo(sent, sent.version), errors.clone(), None, None).await;
        refusal(AppError::invalid(errors), page)
    }

    /// The form holding the writer's version, beside the version saved since they opened it.
    pub(super) async fn conflict(&self, sent: &ArticleForm, conflict: &Conflict) -> AppError {
        let mut errors = vec!["Not saved: someone else saved this article after you opened it.".to_string()];
        if sent.input.hero_upload.is_some() {
            errors.push(
                "If you chose a new picture, choose it again when you save (it may be in the media library already)."
                    .into(),
            );
        }
        let page = async {
            let article = self.article.as_ref().ok_or(AppError::NotFound)?;
            let view = conflict_view(self.app, article, conflict).await?;
            let extra = echo(sent, conflict.current_version);
            self.html(&conflict.mine, extra, errors.clone(), Some(view), None).await
        };
        let error = AppError::Conflict(Explained::new("Saved by someone else", errors.join(" ")));
        refusal(error, page.await)
    }

    /// The saved article again, with every reason the button's move was refused (the content
    /// is saved) and what the form held that the save did not keep: the publication time, and
    /// the picture texts typed for a picture not chosen yet.
    pub(super) async fn move_refused(&self, sent: &ArticleForm, errors: Vec<String>) -> AppError {
        let page = async {
            let article = self.article.as_ref().ok_or(AppError::NotFound)?;
            let meta = self.meta.as_ref().ok_or(AppError::NotFound)?;
            let draft = ArticleDraft::of(article, self.app.store.pinned_related(article.id).await?);
            let mut extra = FormValues { schedule_at: sent.schedule_at.clone(), ..FormValues::saved(article, meta) };
            if let (None, Some(typed)) = (&article.hero, &sent.input.hero_texts) {
                (extra.hero_alt, extra.hero_caption, extra.hero_credit) =
                    (typed.alt.clone(), typed.caption.clone(), typed.credit.clone());
            }
            let verb = if matches!(sent.intent, Intent::Schedule(_)) { "scheduled" } else { "published" };
            let notice = Notice::text(format!(
                "Your changes are saved, but the story is not {verb}: fix what is listed below, \
                 then press the button again."
            ));
            self.html(&draft, extra, errors.clone(), None, Some(notice)).await
        };
        refusal(AppError::invalid(errors.clone()), page.await)
    }

    /// The article again after a refused "Take this story off the site", with what was missing
    /// and the reason as typed (nothing was changed).
    pub(super) async fn unpublish_refused(&self, sent: &Unpublishing, errors: Vec<String>) -> AppError {
        let page = async {
            let article = self.article.as_ref().ok_or(AppError::NotFound)?;
            let meta = self.meta.as_ref().ok_or(AppError::NotFound)?;
            let draft = ArticleDraft::of(article, self.app.store.pinned_related(article.id).await?);
            let extra = FormValues {
                unpublish_reason: sent.reason.clone(),
                unpublish_confirmed: sent.confirmed,
                ..FormValues::saved(article, meta)
            };
            self.html(&draft, extra, errors.clone(), None, None).await
        };
        refusal(AppError::invalid(errors.clone()), page.await)
    }

    async fn html(
        &self,
        draft: &ArticleDraft,
        extra: FormValues,
        errors: Vec<String>,
        conflict: Option<ConflictView>,
        notice: Option<Notice>,
    ) -> Result<String, AppError> {
        let app = self.app;
        let names = Names::load(app).await?;
        let author_slots = (0..AUTHOR_SLOTS)
            .map(|slot| {
                let chosen = draft.author_ids.get(slot).copied();
                std::iter::once(Choice::new("", "—", chosen.is_none()))
                    .chain(names.authors.iter().map(|a| Choice::new(a.id.0, a.name.clone(), chosen == Some(a.id))))
                    .collect()
            })
            .collect();
        let sources = names
            .sources
            .iter()
            .map(|s| SourceBox {
                id: s.id.0,
                name: s.name.clone(),
                kind: s.kind.clone(),
                checked: draft.source_ids.contains(&s.id),
            })
            .collect();
        let hero_image = match draft.hero_image_id {
            Some(id) => app.store.image(id).await?.map(|stored| stored.image),
            None => None,
        };
        let hero = hero_image.as_ref().map(super::media::ImageView::of);
        let related = app.store.articles(&draft.related_ids).await?;
        let article = self.article.as_ref();
        let wire = match article {
            Some(a) => app.store.wire_items_of(a.id).await?,
            None => Vec::new(),
        };
        let now = time::OffsetDateTime::now_utc();
        let held: Vec<String> = wire
            .iter()
            .filter_map(|w| {
                let until = app.renderer().format_time(w.item.embargo.filter(|e| *e > now)?);
                Some(format!("the end of the embargo on “{}” ({}), {until}", w.item.headline, w.item.source))
            })
            .collect();
        let wire = wire
            .iter()
            .map(|w| {
                let embargo = match w.item.embargo.filter(|e| *e > now) {
                    Some(e) => format!(", under embargo until {}", app.renderer().format_time(e)),
                    None => String::new(),
                };
                (format!("/newsroom/wire/{}", w.id), format!("{} ({}{embargo})", w.item.headline, w.item.source))
            })
            .collect();
        let user = &self.me.user;
        let owner = self.meta.as_ref().and_then(|m| m.owner_id);
        let intents = intents(user, owner, article.map(|a| a.status));
        let editable_live = article.is_some_and(|a| matches!(a.status, Status::Draft | Status::Review));
        let form = FormValues {
            headline: draft.headline.clone(),
            standfirst: draft.standfirst.clone(),
            body: draft.body.clone(),
            slug: draft.slug.clone(),
            tags: draft.tags.join(", "),
            // A refused form shows the lines as typed (its draft resolved none of them).
            related: if draft.related_ids.is_empty() {
                extra.related.clone()
            } else {
                draft.related_ids.iter().map(|r| r.0.to_string()).collect::<Vec<_>>().join("\n")
            },
            version: extra.version,
            schedule_at: if extra.schedule_at.is_empty() {
                article
                    .filter(|a| a.status == Status::Scheduled)
                    .and_then(|a| a.published_at)
                    .map(|t| app.renderer().clock().input_value(t))
                    .unwrap_or_default()
            } else {
                extra.schedule_at
            },
            ..extra
        };
        let checks = checklist(draft, hero_image.as_ref(), &form, held);
        let missing = checks.iter().filter(|c| !c.done).count();
        let view = EditorView {
            article: article.map(|a| ArticleInfo {
                id: a.id.0,
                status: a.status.as_str(),
                status_label: a.status.label(),
                version: self.meta.as_ref().map_or(1, |m| m.version),
                public_url: (a.status == Status::Published).then(|| a.path()).flatten(),
                slug: a.slug.clone(),
                published: a.published_at.map(|t| app.renderer().format_time(t)).unwrap_or_default(),
                published_iso: a.published_at.map(courant_render::clock::iso).unwrap_or_default(),
                updated: app.renderer().format_time(a.updated_at),
                updated_iso: courant_render::clock::iso(a.updated_at),
                owner_name: self.owner_name.clone(),
            }),
            action: article
                .map_or_else(|| "/newsroom/articles".to_string(), |a| format!("/newsroom/articles/{}", a.id)),
            form,
            sections: section_choices(&names.sections, draft.section_id),
            author_slots,
            sources,
            hero,
            related_list: related
                .iter()
                .map(|r| RelatedLink {
                    id: r.id.0,
                    headline: r.headline.clone(),
                    url: format!("/newsroom/articles/{}", r.id),
                })
                .collect(),
            intents,
            checklist_shown: missing > 0 || article.is_none() || editable_live,
            checks,
            missing,
            corrections: article
                .map(|a| {
                    a.corrections
                        .iter()
                        .map(|c| CorrectionView {
                            date: app.renderer().format_time(c.published_at),
                            text: c.text.clone(),
                        })
                        .collect()
                })
                .unwrap_or_default(),
            can_correct: user.is(Role::Editor) && article.is_some_and(|a| a.status == Status::Published),
            autosave_url: match article {
                None => Some("/newsroom/articles/new/autosave".to_string()),
                Some(a) => editable_live.then(|| format!("/newsroom/articles/{}/autosave", a.id)),
            },
            preview_url: preview_url(article.map(|a| a.id)),
            revisions_url: article.map(|a| format!("/newsroom/articles/{}/revisions", a.id)),
            wire,
            timezone: app.renderer().site().timezone.clone(),
            conflict,
            unpublish_url: article
                .filter(|a| a.status == Status::Published && user.may_move(owner, a.status, Status::Unpublished))
                .map(|a| format!("/newsroom/articles/{}/unpublish", a.id)),
            no_byline: article.is_none() && user.author_id.is_none(),
        };
        let title = if draft.headline.is_empty() { "New article".to_string() } else { draft.headline.clone() };
        // The menu marks "New article" until the story is first saved, "Articles" from then on.
        let area = if article.is_some() { "articles" } else { "new" };
        Page::within("editor", area, &title).html_noting(app, self.me, view, errors, notice)
    }
}

/// `error`, answered with `page` when it rendered (else the error's own page).
fn refusal(error: AppError, page: Result<String, AppError>) -> AppError {
    match page {
        Ok(html) => error.with_page(html),
        Err(e) => e,
    }
}

/// The form's own fields that are not part of the draft, as sent, to show them again.
fn echo(sent: &ArticleForm, version: i64) -> FormValues {
    let hero = sent.input.hero_texts.clone().unwrap_or_default();
    FormValues {
        related: sent.related.clone(),
        new_sources: sent.new_sources.clone(),
        hero_alt: hero.alt,
        hero_caption: hero.caption,
        hero_credit: hero.credit,
        schedule_at: sent.schedule_at.clone(),
        version,
        ..Default::default()
    }
}

/// Both versions of a conflict, field by field, and who saved the one in force.
async fn conflict_view(app: &AppState, article: &Article, conflict: &Conflict) -> Result<ConflictView, AppError> {
    let names = Names::load(app).await?;
    let last = app.store.revisions(article.id).await?.into_iter().find(|r| !r.conflict);
    Ok(ConflictView {
        mine: fields_of(&conflict.mine, &names),
        theirs: fields_of(&conflict.theirs, &names),
        current_version: conflict.current_version,
        saved_by: last.as_ref().and_then(|r| r.user_name.clone()).unwrap_or_else(|| "someone".into()),
        saved_at: last.map(|r| app.renderer().format_time(r.created_at)).unwrap_or_default(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn picture(alt: &str, caption: &str, credit: &str) -> Image {
        Image {
            id: ImageId(1),
            file: "ab/abcdef.jpg".into(),
            width: 800,
            height: 450,
            alt: alt.into(),
            caption: caption.into(),
            credit: credit.into(),
            keywords: Vec::new(),
            focal: None,
        }
    }

    // Issue 19: the checklist lists every requirement publishing checks, each done or missing.
    #[test]
    fn the_checklist_names_every_requirement_publishing_checks() {
        let empty = ArticleDraft::default();
        for hero in [None, Some(picture("", "", ""))] {
            for problem in draft_problems(&empty, hero.as_ref()) {
                assert!(
                    REQUIREMENTS.iter().any(|(label, _)| *label == problem),
                    "publishing refuses a story without {problem:?}, which the checklist does not list"
                );
            }
        }
        let checks = checklist(&empty, None, &FormValues::default(), Vec::new());
        assert_eq!(checks.len(), REQUIREMENTS.len(), "{checks:?}");
        assert!(checks.iter().all(|c| !c.done && !c.field.is_empty()), "{checks:?}");

        let draft = ArticleDraft {
            headline: "Harbour tram returns".into(),
            standfirst: "Trams run again.".into(),
            body: "A paragraph.".into(),
            section_id: Some(SectionId(1)),
            author_ids: vec![AuthorId(1)],
            hero_image_id: Some(ImageId(1)),
            ..Default::default()
        };
        let hero = picture("A tram", "The first tram", "Photo: Agency");
        let form = FormValues {
            hero_alt: hero.alt.clone(),
            hero_caption: hero.caption.clone(),
            hero_credit: hero.credit.clone(),
            ..Default::default()
        };
        let checks = checklist(&draft, Some(&hero), &form, Vec::new());
        assert!(checks.iter().all(|c| c.done), "{checks:?}");
        assert!(checks.iter().any(|c| c.field == "hero_file" && c.kept), "{checks:?}");

        // The picture's texts as the form has them count (a save gives them to the picture);
        // an embargo holds the story whatever the form says.
        let cleared = FormValues { hero_caption: " ".into(), ..form };
        let embargo = "the end of the embargo on “Ferry strike” (Wire), tomorrow".to_string();
        let checks = checklist(&draft, Some(&hero), &cleared, vec![embargo.clone()]);
        let missing: Vec<(&str, &str)> =
            checks.iter().filter(|c| !c.done).map(|c| (c.label.as_str(), c.field)).collect();
        assert_eq!(missing, [("a caption on the main picture", "hero_caption"), (embargo.as_str(), "")]);

        // Without a picture, its texts are ticked from the form, ready for an upload.
        let typed = FormValues { hero_alt: "A tram".into(), ..Default::default() };
        let checks = checklist(&ArticleDraft { hero_image_id: None, ..draft }, None, &typed, Vec::new());
        let done: Vec<&str> = checks.iter().filter(|c| c.done).map(|c| c.field).collect();
        assert_eq!(done, ["headline", "standfirst", "body", "section", "author", "hero_alt"]);
    }
}

//! The editor page: an article's content in a form, with its buttons (the workflow moves this
//! user may make), its picture, what it still lacks before publication, its corrections, and,
//! after a refused save, what was wrong or the two versions side by side.

use super::articles::section_choices;
use super::form::ArticleForm;
use super::{Choice, Me, Page};
use crate::error::Explained;
use crate::{AppError, AppState};
use courant_core::*;
use courant_newsroom::Conflict;
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
    problems: Vec<String>,
    corrections: Vec<CorrectionView>,
    can_correct: bool,
    autosave_url: Option<String>,
    preview_url: &'static str,
    revisions_url: Option<String>,
    /// The wire copy the story was written from: its page and how to name it.
    wire: Vec<(String, String)>,
    timezone: String,
    conflict: Option<ConflictView>,
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
    updated: String,
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
    let candidates: [(&'static str, &'static str, bool); 7] = [
        ("submit", "Send for review", false),
        ("withdraw", "Back to draft", false),
        ("publish", if from == Status::Unpublished { "Republish" } else { "Publish now" }, false),
        ("schedule", "Schedule", false),
        ("cancel", "Cancel the schedule", false),
        ("reopen", "Reopen as a draft", false),
        ("unpublish", "Unpublish", true),
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
    /// byline), and the message of what was just done.
    pub(super) async fn page(&self, notice: Option<&str>) -> Result<String, AppError> {
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

    /// The form again as sent, with what was wrong with it.
    pub(super) async fn refused(&self, sent: &ArticleForm, errors: Vec<String>) -> AppError {
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

    /// The saved article again, with why the button's move was refused (the content is saved).
    pub(super) async fn move_refused(&self, message: String) -> AppError {
        let page = self.page_with_errors(vec![message.clone()]).await;
        refusal(AppError::invalid(vec![message]), page)
    }

    async fn page_with_errors(&self, errors: Vec<String>) -> Result<String, AppError> {
        let article = self.article.as_ref().ok_or(AppError::NotFound)?;
        let meta = self.meta.as_ref().ok_or(AppError::NotFound)?;
        let draft = ArticleDraft::of(article, self.app.store.pinned_related(article.id).await?);
        self.html(&draft, FormValues::saved(article, meta), errors, None, None).await
    }

    async fn html(
        &self,
        draft: &ArticleDraft,
        extra: FormValues,
        errors: Vec<String>,
        conflict: Option<ConflictView>,
        notice: Option<&str>,
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
        let problems = draft_problems(draft, hero_image.as_ref());
        let hero = hero_image.as_ref().map(super::media::ImageView::of);
        let related = app.store.articles(&draft.related_ids).await?;
        let article = self.article.as_ref();
        let wire = match article {
            Some(a) => app.store.wire_items_of(a.id).await?,
            None => Vec::new(),
        };
        let now = time::OffsetDateTime::now_utc();
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
        let intents = intents(user, self.meta.as_ref().and_then(|m| m.owner_id), article.map(|a| a.status));
        let editable_live = article.is_some_and(|a| matches!(a.status, Status::Draft | Status::Review));
        let form = FormValues {
            headline: draft.headline.clone(),
            standfirst: draft.standfirst.clone(),
            body: draft.body.clone(),
            slug: draft.slug.clone(),
            tags: draft.tags.join(", "),
            related: draft.related_ids.iter().map(|r| r.0.to_string()).collect::<Vec<_>>().join("\n"),
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
        let view = EditorView {
            article: article.map(|a| ArticleInfo {
                id: a.id.0,
                status: a.status.as_str(),
                status_label: a.status.label(),
                version: self.meta.as_ref().map_or(1, |m| m.version),
                public_url: (a.status == Status::Published).then(|| a.path()).flatten(),
                slug: a.slug.clone(),
                published: a.published_at.map(|t| app.renderer().format_time(t)).unwrap_or_default(),
                updated: app.renderer().format_time(a.updated_at),
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
            problems,
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
            autosave_url: editable_live
                .then(|| format!("/newsroom/articles/{}/autosave", article.map_or(0, |a| a.id.0))),
            preview_url: "/newsroom/preview",
            revisions_url: article.map(|a| format!("/newsroom/articles/{}/revisions", a.id)),
            wire,
            timezone: app.renderer().site().timezone.clone(),
            conflict,
        };
        let title = if draft.headline.is_empty() { "New article".to_string() } else { draft.headline.clone() };
        Page::within("editor", "articles", &title).html(app, self.me, view, errors, notice)
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

//! Articles in the newsroom: the dashboard and list, the editor (save with optimistic
//! concurrency, autosave, live preview, workflow moves, hero pictures), corrections, and
//! revisions with their diffs.

use super::form::Form;
use super::{Choice, Me, Pagination, page, page_in, page_number, redirect};
use crate::{AppError, AppState};
use axum::Extension;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use courant_core::*;
use courant_store::{ArticleMeta, NewsroomFilter, NewsroomItem, SaveOutcome};
use serde::Serialize;
use std::collections::HashMap;
use std::sync::Arc;
use time::OffsetDateTime;

/// Articles per page of the newsroom list.
const PER_PAGE: i64 = 50;
/// How many author selects the editor offers.
const AUTHOR_SLOTS: usize = 4;

#[derive(Serialize)]
pub(super) struct ArticleRow {
    id: i64,
    headline: String,
    status: &'static str,
    status_label: &'static str,
    section_name: String,
    authors: String,
    owner_name: String,
    updated: String,
    published: String,
    public_url: Option<String>,
    edit_url: String,
}

fn status_label(s: Status) -> &'static str {
    match s {
        Status::Draft => "Draft",
        Status::Review => "In review",
        Status::Scheduled => "Scheduled",
        Status::Published => "Published",
        Status::Unpublished => "Unpublished",
    }
}

fn row(app: &AppState, item: NewsroomItem) -> ArticleRow {
    let s = item.summary;
    ArticleRow {
        id: s.id.0,
        public_url: (s.status == Status::Published).then(|| s.path()).flatten(),
        headline: s.headline,
        status: s.status.as_str(),
        status_label: status_label(s.status),
        section_name: s.section_name,
        authors: item.authors.join(", "),
        owner_name: item.owner_name.unwrap_or_default(),
        updated: app.renderer().format_time(s.updated_at),
        published: s.published_at.map(|t| app.renderer().format_time(t)).unwrap_or_default(),
        edit_url: format!("/newsroom/articles/{}", s.id.0),
    }
}

async fn rows(app: &AppState, filter: NewsroomFilter, limit: i64) -> Result<Vec<ArticleRow>, AppError> {
    let page = app.store.newsroom_articles(&filter, limit, 0).await?;
    Ok(page.items.into_iter().map(|i| row(app, i)).collect())
}

#[derive(Serialize)]
struct Dashboard {
    review: Vec<ArticleRow>,
    scheduled: Vec<ArticleRow>,
    mine: Vec<ArticleRow>,
    show_queue: bool,
}

/// `GET /newsroom/`: what waits for review and what is scheduled (editors), and one's own work.
pub(super) async fn dashboard(
    State(app): State<AppState>,
    Extension(me): Extension<Me>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let show_queue = me.user.is(Role::Editor);
    let queue = |status| NewsroomFilter { status: Some(status), ..Default::default() };
    let view = Dashboard {
        review: if show_queue { rows(&app, queue(Status::Review), 50).await? } else { Vec::new() },
        scheduled: if show_queue { rows(&app, queue(Status::Scheduled), 50).await? } else { Vec::new() },
        mine: rows(&app, NewsroomFilter { owner: Some(me.user.id), ..Default::default() }, 20).await?,
        show_queue,
    };
    page(&app, Some(&me), "dashboard", "Dashboard", view, Vec::new(), q.get("done").map(String::as_str))
}

#[derive(Serialize)]
struct ListView {
    rows: Vec<ArticleRow>,
    total: i64,
    pagination: Pagination,
    filters: ListFilters,
    statuses: Vec<Choice>,
    sections: Vec<Choice>,
    authors: Vec<Choice>,
}

#[derive(Serialize)]
struct ListFilters {
    text: String,
}

/// `GET /newsroom/articles?text=&status=&section=&author=&page=`: every article in any status,
/// last changed first (contributors see their own).
pub(super) async fn list(
    State(app): State<AppState>,
    Extension(me): Extension<Me>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let get = |k: &str| q.get(k).map(String::as_str).unwrap_or("");
    let status = Status::parse(get("status"));
    let section = get("section").parse().ok().map(SectionId);
    let author = get("author").parse().ok().map(AuthorId);
    let text: String = get("text").chars().take(200).collect();
    let filter = NewsroomFilter {
        status,
        section,
        author,
        owner: (!me.user.is(Role::Editor)).then_some(me.user.id),
        text: text.clone(),
    };
    let page_no = page_number(q.get("page").map(String::as_str));
    let found = app.store.newsroom_articles(&filter, PER_PAGE, (page_no - 1) * PER_PAGE).await?;
    let base = format!(
        "/newsroom/articles?text={}&status={}&section={}&author={}",
        form_urlencoded::byte_serialize(text.as_bytes()).collect::<String>(),
        status.map_or("", Status::as_str),
        section.map(|s| s.0.to_string()).unwrap_or_default(),
        author.map(|a| a.0.to_string()).unwrap_or_default(),
    );
    let sections = app.store.sections().await?;
    let authors = app.store.authors().await?;
    let view = ListView {
        total: found.total,
        pagination: Pagination::new(page_no, PER_PAGE, found.total, |n| format!("{base}&page={n}")),
        rows: found.items.into_iter().map(|i| row(&app, i)).collect(),
        filters: ListFilters { text },
        statuses: std::iter::once(Choice::new("", "Any status", status.is_none()))
            .chain(Status::ALL.iter().map(|s| Choice::new(s.as_str(), status_label(*s), status == Some(*s))))
            .collect(),
        sections: std::iter::once(Choice::new("", "Any section", section.is_none()))
            .chain(section_choices(&sections, section))
            .collect(),
        authors: std::iter::once(Choice::new("", "Any author", author.is_none()))
            .chain(authors.iter().map(|a| Choice::new(a.id.0, a.name.clone(), author == Some(a.id))))
            .collect(),
    };
    page(&app, Some(&me), "articles", "Articles", view, Vec::new(), None)
}

/// Sections as options, children indented under their parents.
pub(super) fn section_choices(sections: &[Section], selected: Option<SectionId>) -> Vec<Choice> {
    sections
        .iter()
        .map(|s| {
            let depth = courant_store::section_path(sections, s.id).len().saturating_sub(1);
            Choice::new(s.id.0, format!("{}{}", "— ".repeat(depth), s.name), selected == Some(s.id))
        })
        .collect()
}

// ---- The editor -------------------------------------------------------------------------

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
    intents: Vec<Intent>,
    problems: Vec<String>,
    corrections: Vec<CorrectionView>,
    can_correct: bool,
    autosave_url: Option<String>,
    preview_url: &'static str,
    revisions_url: Option<String>,
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
struct Intent {
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
struct FieldValue {
    label: &'static str,
    value: String,
}

/// What a writer asked for with the button they pressed, and the status it leads to.
fn intent_target(intent: &str) -> Option<Status> {
    Some(match intent {
        "submit" => Status::Review,
        "withdraw" | "reopen" | "cancel" => Status::Draft,
        "schedule" => Status::Scheduled,
        "publish" => Status::Published,
        "unpublish" => Status::Unpublished,
        _ => return None,
    })
}

/// The buttons a user sees for an article in `status` (none yet for a new one).
fn intents(user: &User, owner: Option<UserId>, status: Option<Status>) -> Vec<Intent> {
    let i = |value, label, danger| Intent { value, label, danger };
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
        let Some(to) = intent_target(value) else { continue };
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

fn fields_of(d: &ArticleDraft, names: &Names) -> Vec<FieldValue> {
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

/// Everything the editor page needs besides the draft itself.
struct EditorContext<'a> {
    app: &'a AppState,
    me: &'a Me,
    article: Option<&'a Article>,
    meta: Option<&'a ArticleMeta>,
    owner_name: String,
}

impl EditorContext<'_> {
    async fn render(
        &self,
        draft: &ArticleDraft,
        extra: FormValues,
        errors: Vec<String>,
        conflict: Option<ConflictView>,
        status: StatusCode,
        notice: Option<&str>,
    ) -> Result<Response, AppError> {
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
            Some(id) => app.store.image(id).await?.map(|(img, _)| img),
            None => None,
        };
        let problems = draft_problems(draft, hero_image.as_ref());
        let hero = hero_image.as_ref().map(super::media::ImageView::of);
        let related = app.store.articles(&draft.related_ids).await?;
        let article = self.article;
        let user = &self.me.user;
        let intents = intents(user, self.meta.and_then(|m| m.owner_id), article.map(|a| a.status));
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
                status_label: status_label(a.status),
                version: self.meta.map_or(1, |m| m.version),
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
            timezone: app.renderer().site().timezone.clone(),
            conflict,
        };
        let title = if draft.headline.is_empty() { "New article".to_string() } else { draft.headline.clone() };
        let mut response = page_in(app, self.me, "editor", "articles", &title, view, errors, notice)?;
        *response.status_mut() = status;
        Ok(response)
    }
}

/// `GET /newsroom/articles/new`: an empty editor, the writer's byline filled in.
pub(super) async fn new_form(State(app): State<AppState>, Extension(me): Extension<Me>) -> Result<Response, AppError> {
    let sections = app.store.sections().await?;
    let draft = ArticleDraft {
        section_id: sections.first().map(|s| s.id),
        author_ids: me.user.author_id.into_iter().collect(),
        ..Default::default()
    };
    let ctx = EditorContext { app: &app, me: &me, article: None, meta: None, owner_name: me.user.name.clone() };
    ctx.render(&draft, FormValues { version: 0, ..Default::default() }, Vec::new(), None, StatusCode::OK, None).await
}

/// Loads an article for the editor and checks the user may see it.
async fn load(app: &AppState, me: &Me, id: i64) -> Result<(Article, ArticleMeta, String), AppError> {
    let id = ArticleId(id);
    let meta = app.store.article_meta(id).await?.ok_or(AppError::NotFound)?;
    if !me.user.is(Role::Editor) && meta.owner_id != Some(me.user.id) {
        return Err(AppError::Forbidden("Contributors open their own articles only.".into()));
    }
    let article = app.store.article(id).await?.ok_or(AppError::NotFound)?;
    let owner_name = match meta.owner_id {
        Some(o) => app.store.user(o).await?.map(|u| u.name).unwrap_or_default(),
        None => String::new(),
    };
    Ok((article, meta, owner_name))
}

/// `GET /newsroom/articles/{id}`: the editor for one article.
pub(super) async fn edit_form(
    State(app): State<AppState>,
    Extension(me): Extension<Me>,
    Path(id): Path<i64>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let (article, meta, owner_name) = load(&app, &me, id).await?;
    let draft = ArticleDraft::of(&article, app.store.pinned_related(article.id).await?);
    let extra = FormValues::saved(&article, &meta);
    let ctx = EditorContext { app: &app, me: &me, article: Some(&article), meta: Some(&meta), owner_name };
    ctx.render(&draft, extra, Vec::new(), None, StatusCode::OK, q.get("done").map(String::as_str)).await
}

/// A draft read from the editor's form before anything is written, with the sources it names
/// that the registry does not have yet.
struct Parsed {
    draft: ArticleDraft,
    new_sources: Vec<String>,
}

/// The draft a form describes, or what is wrong with it; reads only. A related article may be
/// given by number or address.
async fn draft_from_form(app: &AppState, form: &Form, hero: Option<ImageId>) -> Result<Parsed, Vec<String>> {
    let mut errors = Vec::new();
    let mut ids = |name: &str, what: &str| -> Vec<i64> {
        let mut out = Vec::new();
        for v in form.all(name).into_iter().map(str::trim).filter(|v| !v.is_empty()) {
            match v.parse::<i64>() {
                Ok(n) if !out.contains(&n) => out.push(n),
                Ok(_) => {}
                Err(_) => errors.push(format!("{what}: {v:?} is not a choice of this form")),
            }
        }
        out
    };
    let author_ids = ids("author", "Authors").into_iter().map(AuthorId).collect();
    let mut source_ids: Vec<SourceId> = ids("source", "Sources").into_iter().map(SourceId).collect();
    let section_id = form.get("section").trim().parse().ok().map(SectionId);
    let mut new_sources = Vec::new();
    let named: Vec<&str> = form.get("new_sources").split(',').map(str::trim).filter(|n| !n.is_empty()).collect();
    if !named.is_empty() {
        let existing = app.store.sources().await.map_err(|e| vec![e.to_string()])?;
        for name in named {
            match existing.iter().find(|s| s.name.eq_ignore_ascii_case(name)) {
                Some(s) if !source_ids.contains(&s.id) => source_ids.push(s.id),
                Some(_) => {}
                None if name.chars().count() > 200 => {
                    errors.push("Sources: a name is longer than 200 characters".into())
                }
                None => new_sources.push(name.to_string()),
            }
        }
    }
    let mut related_ids = Vec::new();
    for line in form.get("related").lines().map(str::trim).filter(|l| !l.is_empty()).take(50) {
        let found = match line.parse::<i64>() {
            Ok(n) => app.store.article_meta(ArticleId(n)).await.ok().flatten().map(|m| m.id),
            Err(_) => {
                let slug = line.trim_end_matches('/').rsplit('/').next().unwrap_or("");
                app.store.article_by_slug(slug).await.ok().flatten().map(|a| a.id)
            }
        };
        match found {
            Some(id) if !related_ids.contains(&id) => related_ids.push(id),
            Some(_) => {}
            None => errors.push(format!("Related: no article is {line:?}")),
        }
    }
    let draft = ArticleDraft {
        headline: form.get("headline").trim().to_string(),
        standfirst: form.get("standfirst").trim().to_string(),
        body: form.get("body").replace("\r\n", "\n"),
        slug: form.get("slug").trim().to_string(),
        section_id,
        author_ids,
        tags: form.get("tags").split(',').map(str::trim).filter(|t| !t.is_empty()).map(str::to_string).collect(),
        source_ids,
        related_ids,
        hero_image_id: hero,
    };
    if let Err(e) = draft.validate() {
        errors.push(invalid_message(&e));
    }
    if errors.is_empty() { Ok(Parsed { draft, new_sources }) } else { Err(errors) }
}

fn invalid_message(e: &Invalid) -> String {
    let mut field = e.field.replace('_', " ");
    if let Some(first) = field.get_mut(..1) {
        first.make_ascii_uppercase();
    }
    format!("{field}: {}", e.message)
}

/// Whether the form changes the hero picture's texts (`current` is the article's hero).
fn hero_texts_change(form: &Form, current: Option<&Image>) -> bool {
    let texts = super::media::ImageTexts::of(form, "hero_");
    current.is_some_and(|h| {
        form.has("hero_alt") && (texts.alt != h.alt || texts.caption != h.caption || texts.credit != h.credit)
    })
}

/// Writes what a checked save brings besides the article itself, once the user may make it:
/// the uploaded picture (checked first; on refusal nothing is written), the new sources, and
/// changed texts of the current hero picture.
async fn write_extras(
    app: &AppState,
    me: &Me,
    form: &Form,
    parsed: &mut Parsed,
    current_hero: Option<&Image>,
) -> Result<(), Vec<String>> {
    let texts = super::media::ImageTexts::of(form, "hero_");
    if let Some(file) = form.file("hero_file") {
        let image = super::media::store_upload(app, me, file, texts).await.map_err(|e| vec![e])?;
        parsed.draft.hero_image_id = Some(image.id);
    } else if let Some(hero) = current_hero.filter(|h| hero_texts_change(form, Some(h))) {
        // The picture may show on other stories: its texts are its uploader's or an editor's.
        let uploaded_by = app.store.image(hero.id).await.map_err(|e| vec![e.to_string()])?.and_then(|(_, by)| by);
        if !super::media::may_edit_image(me, uploaded_by) {
            return Err(vec![
                "Picture: its alt text, caption and credit are changed by an editor or whoever uploaded it; \
                 upload your own picture, or ask an editor."
                    .into(),
            ]);
        }
        let update = courant_store::ImageUpdate {
            alt: texts.alt,
            caption: texts.caption,
            credit: texts.credit,
            keywords: hero.keywords.clone(),
            focal: hero.focal,
        };
        app.store.update_image(hero.id, &update).await.map_err(|e| vec![e.to_string()])?;
    }
    for name in std::mem::take(&mut parsed.new_sources) {
        let source = app
            .store
            .insert_source(NewSource { name, ..NewSource::default() })
            .await
            .map_err(|e| vec![format!("Sources: {e}")])?;
        parsed.draft.source_ids.push(source.id);
    }
    Ok(())
}

/// Refuses a workflow button the user may not press, before anything is saved.
fn check_move(me: &Me, owner: Option<UserId>, from: Status, form: &Form) -> Result<(), AppError> {
    match intent_target(form.get("intent")) {
        Some(to) if !me.user.may_move(owner, from, to) => Err(AppError::Forbidden(format!(
            "You cannot move this article from {} to {}.",
            status_label(from).to_lowercase(),
            status_label(to).to_lowercase()
        ))),
        _ => Ok(()),
    }
}

/// `POST /newsroom/articles`: creates a draft from the editor (and moves it on when another
/// button than "Save" was pressed).
pub(super) async fn create(
    State(app): State<AppState>,
    Extension(me): Extension<Me>,
    Extension(form): Extension<Arc<Form>>,
) -> Result<Response, AppError> {
    check_move(&me, Some(me.user.id), Status::Draft, &form)?;
    let ctx = EditorContext { app: &app, me: &me, article: None, meta: None, owner_name: me.user.name.clone() };
    let typed = lenient_draft(&form);
    let refuse =
        |errors: Vec<String>| ctx.render(&typed, echo(&form, 0), errors, None, StatusCode::UNPROCESSABLE_ENTITY, None);
    let mut parsed = match draft_from_form(&app, &form, None).await {
        Ok(p) => p,
        Err(errors) => return refuse(errors).await,
    };
    if let Err(errors) = write_extras(&app, &me, &form, &mut parsed, None).await {
        return refuse(errors).await;
    }
    let id = match app.store.create_article(&parsed.draft, me.user.id, OffsetDateTime::now_utc()).await {
        Ok(id) => id,
        Err(courant_store::StoreError::Invalid(e)) => return refuse(vec![invalid_message(&e)]).await,
        Err(e) => return Err(e.into()),
    };
    tracing::info!(article = id.0, user = me.user.id.0, "article created");
    after_save(&app, &me, id, &form, "created").await
}

/// What a form holds, kept as typed even when it does not validate, to show it again.
fn lenient_draft(form: &Form) -> ArticleDraft {
    ArticleDraft {
        headline: form.get("headline").to_string(),
        standfirst: form.get("standfirst").to_string(),
        body: form.get("body").to_string(),
        slug: form.get("slug").to_string(),
        section_id: form.get("section").parse().ok().map(SectionId),
        author_ids: form.all("author").iter().filter_map(|a| a.parse().ok()).map(AuthorId).collect(),
        tags: form.get("tags").split(',').map(str::trim).filter(|t| !t.is_empty()).map(str::to_string).collect(),
        source_ids: form.all("source").iter().filter_map(|a| a.parse().ok()).map(SourceId).collect(),
        related_ids: Vec::new(),
        hero_image_id: form.get("hero_image_id").parse().ok().map(ImageId),
    }
}

/// The form's own fields that are not part of the draft, to show them again.
fn echo(form: &Form, version: i64) -> FormValues {
    FormValues {
        related: form.get("related").to_string(),
        new_sources: form.get("new_sources").to_string(),
        hero_alt: form.get("hero_alt").to_string(),
        hero_caption: form.get("hero_caption").to_string(),
        hero_credit: form.get("hero_credit").to_string(),
        schedule_at: form.get("schedule_at").to_string(),
        version,
        ..Default::default()
    }
}

/// `POST /newsroom/articles/{id}`: saves the editor over the version it was opened at, then
/// applies the button pressed (send for review, schedule, publish, ...). Everything is checked
/// before anything is written. A stale version is not saved over: the writer gets 409 with both
/// versions side by side, and their text is kept as a revision.
pub(super) async fn save(
    State(app): State<AppState>,
    Extension(me): Extension<Me>,
    Extension(form): Extension<Arc<Form>>,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let (article, meta, owner_name) = load(&app, &me, id).await?;
    check_move(&me, meta.owner_id, meta.status, &form)?;
    let ctx = EditorContext { app: &app, me: &me, article: Some(&article), meta: Some(&meta), owner_name };
    let base_version: i64 = form.get("version").parse().unwrap_or(0);
    let typed = ArticleDraft { hero_image_id: article.hero.as_ref().map(|h| h.id), ..lenient_draft(&form) };
    let refuse = |errors: Vec<String>| {
        ctx.render(&typed, echo(&form, base_version), errors, None, StatusCode::UNPROCESSABLE_ENTITY, None)
    };
    let mut parsed = match draft_from_form(&app, &form, article.hero.as_ref().map(|h| h.id)).await {
        Ok(p) => p,
        Err(errors) => return refuse(errors).await,
    };
    let current = ArticleDraft::of(&article, app.store.pinned_related(article.id).await?);
    // An empty slug keeps the current one.
    if parsed.draft.slug.is_empty() {
        parsed.draft.slug = current.slug.clone();
    }
    let changed = parsed.draft != current
        || form.file("hero_file").is_some()
        || !parsed.new_sources.is_empty()
        || hero_texts_change(&form, article.hero.as_ref());
    if changed && !me.user.may_edit(meta.owner_id, meta.status) {
        return Err(AppError::Forbidden(format!(
            "You cannot change this article while it is {}.",
            status_label(meta.status).to_lowercase()
        )));
    }
    if base_version != meta.version && (changed || intent_target(form.get("intent")).is_some()) {
        // Someone saved since the writer opened the article: keep their text apart, apply nothing.
        let now = OffsetDateTime::now_utc();
        if changed {
            app.store.save_article(article.id, base_version, &parsed.draft, me.user.id, now, "").await?;
        }
        return conflict(&ctx, &app, &article, &parsed.draft, &current, meta.version, &form).await;
    }
    if changed {
        if let Err(errors) = write_extras(&app, &me, &form, &mut parsed, article.hero.as_ref()).await {
            return refuse(errors).await;
        }
        let now = OffsetDateTime::now_utc();
        match app.store.save_article(article.id, base_version, &parsed.draft, me.user.id, now, "").await {
            Ok(SaveOutcome::Saved { .. }) => {}
            Ok(SaveOutcome::Conflict { current_version, .. }) => {
                return conflict(&ctx, &app, &article, &parsed.draft, &current, current_version, &form).await;
            }
            Err(courant_store::StoreError::Invalid(e)) => return refuse(vec![invalid_message(&e)]).await,
            Err(e) => return Err(e.into()),
        }
    }
    after_save(&app, &me, article.id, &form, "saved").await
}

/// The 409 page: the writer's version beside the saved one, the form holding theirs.
async fn conflict(
    ctx: &EditorContext<'_>,
    app: &AppState,
    article: &Article,
    mine: &ArticleDraft,
    theirs: &ArticleDraft,
    current_version: i64,
    form: &Form,
) -> Result<Response, AppError> {
    let view = conflict_view(app, article, mine, theirs, current_version).await?;
    let mut errors = vec!["Not saved: someone else saved this article after you opened it.".to_string()];
    if form.file("hero_file").is_some() {
        errors.push(
            "If you chose a new picture, choose it again when you save (it may be in the media library already)."
                .into(),
        );
    }
    ctx.render(mine, echo(form, current_version), errors, Some(view), StatusCode::CONFLICT, None).await
}

async fn conflict_view(
    app: &AppState,
    article: &Article,
    mine: &ArticleDraft,
    theirs: &ArticleDraft,
    current_version: i64,
) -> Result<ConflictView, AppError> {
    let names = Names::load(app).await?;
    let last = app.store.revisions(article.id).await?.into_iter().find(|r| !r.conflict);
    Ok(ConflictView {
        mine: fields_of(mine, &names),
        theirs: fields_of(theirs, &names),
        current_version,
        saved_by: last.as_ref().and_then(|r| r.user_name.clone()).unwrap_or_else(|| "someone".into()),
        saved_at: last.map(|r| app.renderer().format_time(r.created_at)).unwrap_or_default(),
    })
}

/// After a save: applies the pressed button's workflow move, or goes back to the editor.
async fn after_save(app: &AppState, me: &Me, id: ArticleId, form: &Form, done: &str) -> Result<Response, AppError> {
    let intent = form.get("intent");
    let Some(to) = intent_target(intent) else {
        return Ok(redirect(&format!("/newsroom/articles/{id}?done={done}")));
    };
    let meta = app.store.article_meta(id).await?.ok_or(AppError::NotFound)?;
    if !me.user.may_move(meta.owner_id, meta.status, to) {
        return Err(AppError::Forbidden(format!(
            "You cannot move this article from {} to {}.",
            status_label(meta.status).to_lowercase(),
            status_label(to).to_lowercase()
        )));
    }
    let now = OffsetDateTime::now_utc();
    let mut when = None;
    if to == Status::Scheduled {
        let raw = form.get("schedule_at");
        let format = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]");
        let parsed = time::PrimitiveDateTime::parse(raw.get(..16).unwrap_or(raw), format).ok();
        match parsed.map(|local| app.renderer().clock().from_local(local)) {
            Some(t) if t > now => when = Some(t),
            Some(_) => return refuse_move(app, me, id, "Choose a publication time in the future.".into()).await,
            None => return refuse_move(app, me, id, "Choose the date and time to publish at.".into()).await,
        }
    }
    if matches!(to, Status::Published | Status::Scheduled) {
        let article = app.store.article(id).await?.ok_or(AppError::NotFound)?;
        let missing = publish_problems(&article);
        if !missing.is_empty() {
            let message = format!(
                "Saved, but not {}: it still needs {}.",
                if to == Status::Scheduled { "scheduled" } else { "published" },
                missing.join(", ")
            );
            return refuse_move(app, me, id, message).await;
        }
    }
    app.store.move_article(id, to, Some(me.user.id), now, when).await?;
    tracing::info!(article = id.0, user = me.user.id.0, to = to.as_str(), "article moved");
    let done = match intent {
        "submit" => "submitted",
        "withdraw" => "withdrawn",
        "cancel" | "reopen" => "reopened",
        other => match to {
            Status::Published => "published",
            Status::Scheduled => "scheduled",
            Status::Unpublished => "unpublished",
            _ => other,
        },
    };
    Ok(redirect(&format!("/newsroom/articles/{id}?done={done}")))
}

/// Shows the editor again with why the move was refused (the content is saved).
async fn refuse_move(app: &AppState, me: &Me, id: ArticleId, message: String) -> Result<Response, AppError> {
    let (article, meta, owner_name) = load(app, me, id.0).await?;
    let draft = ArticleDraft::of(&article, app.store.pinned_related(article.id).await?);
    let extra = FormValues::saved(&article, &meta);
    let ctx = EditorContext { app, me, article: Some(&article), meta: Some(&meta), owner_name };
    ctx.render(&draft, extra, vec![message], None, StatusCode::UNPROCESSABLE_ENTITY, None).await
}

#[derive(Serialize)]
struct Autosaved {
    version: i64,
    saved_at: String,
}

/// `POST /newsroom/articles/{id}/autosave`: the editor's script saves drafts every few seconds
/// and when the tab closes. JSON answers: the new version, or 409 when someone else saved.
/// Published articles are never autosaved (half-typed text would go live).
pub(super) async fn autosave(
    State(app): State<AppState>,
    Extension(me): Extension<Me>,
    Extension(form): Extension<Arc<Form>>,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let json = |status: StatusCode, body: serde_json::Value| {
        let mut r = (status, body.to_string()).into_response();
        r.headers_mut()
            .insert(axum::http::header::CONTENT_TYPE, axum::http::HeaderValue::from_static("application/json"));
        r
    };
    let (article, meta, _) = load(&app, &me, id).await?;
    if !matches!(meta.status, Status::Draft | Status::Review) || !me.user.may_edit(meta.owner_id, meta.status) {
        return Ok(json(
            StatusCode::CONFLICT,
            serde_json::json!({"message": "Autosave is off for this article; save with the buttons."}),
        ));
    }
    // New sources and pictures wait for a real save: autosave stores the text only.
    let draft = match draft_from_form(&app, &form, article.hero.as_ref().map(|h| h.id)).await {
        Ok(parsed) => parsed.draft,
        Err(errors) => {
            return Ok(json(StatusCode::UNPROCESSABLE_ENTITY, serde_json::json!({"message": errors.join(" ")})));
        }
    };
    let base: i64 = form.get("version").parse().unwrap_or(0);
    let current = ArticleDraft::of(&article, app.store.pinned_related(article.id).await?);
    let draft = ArticleDraft { slug: if draft.slug.is_empty() { current.slug.clone() } else { draft.slug }, ..draft };
    if draft == current && base == meta.version {
        return Ok(json(StatusCode::OK, serde_json::json!({"version": meta.version, "saved_at": "no changes"})));
    }
    let now = OffsetDateTime::now_utc();
    match app.store.save_article(article.id, base, &draft, me.user.id, now, "autosave").await? {
        SaveOutcome::Saved { version } => {
            let saved_at = app.renderer().clock().local(now);
            let view = Autosaved {
                version,
                saved_at: format!("{:02}:{:02}:{:02}", saved_at.hour(), saved_at.minute(), saved_at.second()),
            };
            Ok(json(StatusCode::OK, serde_json::json!(view)))
        }
        SaveOutcome::Conflict { current_version, .. } => Ok(json(
            StatusCode::CONFLICT,
            serde_json::json!({
                "message": "Someone else saved this article; autosave stopped. Your text is kept as a revision. Save to compare both versions.",
                "current_version": current_version,
            }),
        )),
    }
}

/// `POST /newsroom/preview`: the editor's content rendered by the public article template,
/// without saving anything.
pub(super) async fn preview(
    State(app): State<AppState>,
    Extension(_me): Extension<Me>,
    Extension(form): Extension<Arc<Form>>,
) -> Result<Response, AppError> {
    let draft = lenient_draft(&form);
    let sections = app.store.sections().await?;
    let section_id = draft.section_id.or(sections.first().map(|s| s.id)).ok_or(AppError::NotFound)?;
    let section_path = courant_store::section_path(&sections, section_id);
    let section = section_path.last().cloned().ok_or(AppError::NotFound)?;
    let authors = app.store.authors().await?;
    let all_sources = app.store.sources().await?;
    let hero = match draft.hero_image_id {
        Some(id) => app.store.image(id).await?.map(|(i, _)| i),
        None => None,
    };
    let now = OffsetDateTime::now_utc();
    let article = Article {
        id: ArticleId(0),
        slug: if draft.slug.is_empty() { "preview".into() } else { draft.slug.clone() },
        headline: draft.headline.clone(),
        standfirst: draft.standfirst.clone(),
        body: draft.body.clone(),
        hero,
        section,
        section_path,
        authors: draft.author_ids.iter().filter_map(|id| authors.iter().find(|a| a.id == *id).cloned()).collect(),
        tags: draft.tags.iter().map(|t| Tag { id: TagId(0), slug: slugify(t), name: t.clone() }).collect(),
        sources: draft.source_ids.iter().filter_map(|id| all_sources.iter().find(|s| s.id == *id).cloned()).collect(),
        related: Vec::new(),
        status: Status::Draft,
        created_at: now,
        published_at: Some(now),
        updated_at: now,
        corrections: Vec::new(),
    };
    let html = app.renderer().article_page(&article, &[], &[], &[], &sections)?;
    Ok(crate::routes::html_response(StatusCode::OK, html))
}

/// `POST /newsroom/articles/{id}/corrections`: editors append a dated correction to a
/// published article; it shows at the article's foot and in its structured data.
pub(super) async fn correct(
    State(app): State<AppState>,
    Extension(me): Extension<Me>,
    Extension(form): Extension<Arc<Form>>,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let meta = app.store.article_meta(ArticleId(id)).await?.ok_or(AppError::NotFound)?;
    if meta.status != Status::Published {
        return Err(AppError::Refused {
            status: 409,
            heading: "Not published".into(),
            message: "Corrections go on published articles; edit a draft directly.".into(),
            items: Vec::new(),
        });
    }
    app.store.correct_article(meta.id, form.get("text"), me.user.id, OffsetDateTime::now_utc()).await?;
    Ok(redirect(&format!("/newsroom/articles/{id}?done=corrected")))
}

/// `POST /newsroom/articles/{id}/hero`: uses a picture of the library as the article's hero
/// (a save like any other: a new version and revision).
pub(super) async fn set_hero(
    State(app): State<AppState>,
    Extension(me): Extension<Me>,
    Extension(form): Extension<Arc<Form>>,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let (article, meta, _) = load(&app, &me, id).await?;
    if !me.user.may_edit(meta.owner_id, meta.status) {
        return Err(AppError::Forbidden("You cannot change this article in its current status.".into()));
    }
    let image = form
        .get("image_id")
        .parse()
        .ok()
        .map(ImageId)
        .ok_or_else(|| AppError::BadRequest("Choose a picture.".into()))?;
    app.store.image(image).await?.ok_or(AppError::NotFound)?;
    let mut draft = ArticleDraft::of(&article, app.store.pinned_related(article.id).await?);
    draft.hero_image_id = Some(image);
    match app
        .store
        .save_article(article.id, meta.version, &draft, me.user.id, OffsetDateTime::now_utc(), "hero picture")
        .await?
    {
        SaveOutcome::Saved { .. } => Ok(redirect(&format!("/newsroom/articles/{id}?done=saved"))),
        SaveOutcome::Conflict { .. } => Err(AppError::Refused {
            status: 409,
            heading: "Saved by someone else".into(),
            message: "The article changed while you chose; open it and choose again.".into(),
            items: Vec::new(),
        }),
    }
}

#[derive(Serialize)]
struct ArticleHead {
    id: i64,
    headline: String,
    edit_url: String,
}

#[derive(Serialize)]
struct RevisionRow {
    id: i64,
    version: i64,
    user_name: String,
    created: String,
    note: String,
    conflict: bool,
}

#[derive(Serialize)]
struct RevisionsView {
    article: ArticleHead,
    revisions: Vec<RevisionRow>,
    restore_allowed: bool,
}

/// `GET /newsroom/articles/{id}/revisions`: every save, who made it and when.
pub(super) async fn revisions(
    State(app): State<AppState>,
    Extension(me): Extension<Me>,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let (article, meta, _) = load(&app, &me, id).await?;
    let revisions = app.store.revisions(article.id).await?;
    let view = RevisionsView {
        article: head(&article),
        revisions: revisions
            .into_iter()
            .map(|r| RevisionRow {
                id: r.id,
                version: r.version,
                user_name: r.user_name.unwrap_or_else(|| "system".into()),
                created: app.renderer().format_time(r.created_at),
                note: r.note,
                conflict: r.conflict,
            })
            .collect(),
        restore_allowed: me.user.may_edit(meta.owner_id, meta.status),
    };
    page_in(&app, &me, "revisions", "articles", &format!("Revisions: {}", article.headline), view, Vec::new(), None)
}

fn head(a: &Article) -> ArticleHead {
    ArticleHead { id: a.id.0, headline: a.headline.clone(), edit_url: format!("/newsroom/articles/{}", a.id) }
}

#[derive(Serialize)]
struct DiffView {
    article: ArticleHead,
    from: RevisionLabel,
    to: RevisionLabel,
    fields: Vec<DiffField>,
}

#[derive(Serialize)]
struct RevisionLabel {
    id: i64,
    label: String,
}

#[derive(Serialize)]
struct DiffField {
    label: &'static str,
    changed: bool,
    html: String,
}

/// `GET /newsroom/articles/{id}/diff?from=&to=`: what changed between two revisions, word by word.
pub(super) async fn diff(
    State(app): State<AppState>,
    Extension(me): Extension<Me>,
    Path(id): Path<i64>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let (article, _, _) = load(&app, &me, id).await?;
    let revision = |key: &str| q.get(key).and_then(|v| v.parse::<i64>().ok());
    let (Some(from), Some(to)) = (revision("from"), revision("to")) else {
        return Err(AppError::BadRequest("Choose two revisions to compare.".into()));
    };
    let from = app.store.revision(article.id, from).await?.ok_or(AppError::NotFound)?;
    let to = app.store.revision(article.id, to).await?.ok_or(AppError::NotFound)?;
    let names = Names::load(&app).await?;
    let fields = fields_of(&from.content, &names)
        .into_iter()
        .zip(fields_of(&to.content, &names))
        .map(|(a, b)| DiffField {
            label: a.label,
            changed: a.value != b.value,
            html: courant_render::newsroom::diff_html(&a.value, &b.value),
        })
        .collect();
    let label = |r: &courant_store::Revision| RevisionLabel {
        id: r.info.id,
        label: format!(
            "v{} · {} · {}",
            r.info.version,
            app.renderer().format_time(r.info.created_at),
            r.info.user_name.clone().unwrap_or_else(|| "system".into())
        ),
    };
    let view = DiffView { article: head(&article), from: label(&from), to: label(&to), fields };
    page_in(&app, &me, "diff", "articles", &format!("Changes: {}", article.headline), view, Vec::new(), None)
}

/// `POST /newsroom/articles/{id}/revisions/{rev}/restore`: saves an old revision's content as
/// a new version (nothing is rewritten; the history only grows).
pub(super) async fn restore(
    State(app): State<AppState>,
    Extension(me): Extension<Me>,
    Path((id, rev)): Path<(i64, i64)>,
) -> Result<Response, AppError> {
    let (article, meta, _) = load(&app, &me, id).await?;
    if !me.user.may_edit(meta.owner_id, meta.status) {
        return Err(AppError::Forbidden("You cannot change this article in its current status.".into()));
    }
    let old = app.store.revision(article.id, rev).await?.ok_or(AppError::NotFound)?;
    let note = format!("restored from v{}", old.info.version);
    let now = OffsetDateTime::now_utc();
    match app.store.save_article(article.id, meta.version, &old.content, me.user.id, now, &note).await? {
        SaveOutcome::Saved { .. } => {
            app.store
                .record_audit(now, Some(me.user.id), AuditAction::Restored, Some(article.id), &article.headline, &note)
                .await?;
            Ok(redirect(&format!("/newsroom/articles/{id}?done=restored")))
        }
        SaveOutcome::Conflict { .. } => Err(AppError::Refused {
            status: 409,
            heading: "Saved by someone else".into(),
            message: "The article changed while you looked; try again.".into(),
            items: Vec::new(),
        }),
    }
}

#[derive(Serialize)]
struct Found {
    id: i64,
    headline: String,
}

/// `GET /newsroom/lookup/articles?q=`: published articles whose headline contains the words,
/// newest first, for pinning as related (JSON for the editor's script).
pub(super) async fn lookup(
    State(app): State<AppState>,
    Extension(_me): Extension<Me>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let text: String = q.get("q").map(String::as_str).unwrap_or("").chars().take(200).collect();
    let found: Vec<Found> = if text.trim().chars().count() < 2 {
        Vec::new()
    } else {
        app.store
            .find_headlines(&text, 10)
            .await?
            .into_iter()
            .map(|s| Found { id: s.id.0, headline: s.headline })
            .collect()
    };
    let mut r = serde_json::to_string(&found).map_err(|e| AppError::Internal(e.to_string()))?.into_response();
    r.headers_mut().insert(axum::http::header::CONTENT_TYPE, axum::http::HeaderValue::from_static("application/json"));
    Ok(r)
}

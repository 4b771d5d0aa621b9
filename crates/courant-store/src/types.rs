//! The store's public types and the SQL pieces both backends share: what callers pass in and
//! get back, independent of the database behind.

use crate::ts;
use courant_core::*;
use time::OffsetDateTime;

/// Which published articles a listing shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ArticleFilter {
    /// Everything published.
    All,
    /// Articles filed in any of these sections (a section page passes itself and its descendants).
    Sections(Vec<SectionId>),
    Tag(TagId),
    Author(AuthorId),
    Source(SourceId),
    /// Articles first published at or after `from` and before `until`.
    PublishedBetween {
        from: OffsetDateTime,
        until: OffsetDateTime,
    },
}

/// A value bound into a filter's condition.
pub(crate) enum Bind {
    Id(i64),
    Time(OffsetDateTime),
}

/// An article's words and links, for search indexes. Links are (slug, name) pairs.
#[derive(Debug, Clone, PartialEq)]
pub struct ArticleText {
    pub id: ArticleId,
    pub headline: String,
    pub standfirst: String,
    pub body: String,
    /// The article's section and its ancestors, root first.
    pub section_ids: Vec<SectionId>,
    pub published_at: Option<OffsetDateTime>,
    pub tags: Vec<(String, String)>,
    pub authors: Vec<(String, String)>,
    pub sources: Vec<(String, String)>,
}

impl ArticleText {
    /// The text of a whole article, as loaded for its page.
    pub fn of(a: &Article) -> ArticleText {
        ArticleText {
            id: a.id,
            headline: a.headline.clone(),
            standfirst: a.standfirst.clone(),
            body: a.body.clone(),
            section_ids: a.section_path.iter().map(|s| s.id).collect(),
            published_at: a.published_at,
            tags: a.tags.iter().map(|t| (t.slug.clone(), t.name.clone())).collect(),
            authors: a.authors.iter().map(|x| (x.slug.clone(), x.name.clone())).collect(),
            sources: a.sources.iter().map(|x| (x.slug.clone(), x.name.clone())).collect(),
        }
    }
}

/// A month with published articles, for sitemaps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublishedMonth {
    pub year: i32,
    pub month: u8,
    pub articles: i64,
    /// The latest change to any article of the month.
    pub last_updated: OffsetDateTime,
}

/// One page of a listing and how many items the whole listing has.
#[derive(Debug, Clone, PartialEq)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: i64,
}

/// A listing of published articles by any combination of conditions (all must hold), for the
/// content API. Listings of the site use the simpler [`ArticleFilter`], which maps onto it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ArticleQuery {
    /// Filed in any of these sections.
    pub sections: Option<Vec<SectionId>>,
    pub tag: Option<TagId>,
    pub author: Option<AuthorId>,
    pub source: Option<SourceId>,
    /// First published at or after this instant.
    pub since: Option<OffsetDateTime>,
    /// First published before this instant.
    pub until: Option<OffsetDateTime>,
    /// Only articles that come after this one in listing order (newest first, then by id): a
    /// cursor that stays valid while new articles are published above it.
    pub after: Option<(OffsetDateTime, ArticleId)>,
}

impl From<&ArticleFilter> for ArticleQuery {
    fn from(filter: &ArticleFilter) -> ArticleQuery {
        let mut q = ArticleQuery::default();
        match filter {
            ArticleFilter::All => {}
            ArticleFilter::Sections(ids) => q.sections = Some(ids.clone()),
            ArticleFilter::Tag(id) => q.tag = Some(*id),
            ArticleFilter::Author(id) => q.author = Some(*id),
            ArticleFilter::Source(id) => q.source = Some(*id),
            ArticleFilter::PublishedBetween { from, until } => {
                q.since = Some(*from);
                q.until = Some(*until);
            }
        }
        q
    }
}

/// SQL conditions with their bound values, numbered as they are added.
#[derive(Default)]
pub(crate) struct Conditions {
    parts: Vec<String>,
    binds: Vec<Bind>,
}

impl Conditions {
    fn mark(&mut self, value: Bind) -> String {
        self.binds.push(value);
        format!("${}", self.binds.len())
    }
}

impl ArticleQuery {
    /// The SQL condition (on `articles a`) and the values it binds, in order.
    pub(crate) fn condition(&self) -> (String, Vec<Bind>) {
        let mut c = Conditions::default();
        if let Some(ids) = &self.sections {
            let marks: Vec<String> = ids.iter().map(|id| c.mark(Bind::Id(id.0))).collect();
            c.parts.push(if marks.is_empty() {
                "FALSE".into()
            } else {
                format!("a.section_id IN ({})", marks.join(", "))
            });
        }
        for (table, column, id) in [
            ("article_tags", "tag_id", self.tag.map(|t| t.0)),
            ("article_authors", "author_id", self.author.map(|t| t.0)),
            ("article_sources", "source_id", self.source.map(|t| t.0)),
        ] {
            if let Some(id) = id {
                let m = c.mark(Bind::Id(id));
                c.parts
                    .push(format!("EXISTS (SELECT 1 FROM {table} x WHERE x.article_id = a.id AND x.{column} = {m})"));
            }
        }
        if let Some(since) = self.since {
            let m = c.mark(Bind::Time(ts(since)));
            c.parts.push(format!("a.published_at >= {m}"));
        }
        if let Some(until) = self.until {
            let m = c.mark(Bind::Time(ts(until)));
            c.parts.push(format!("a.published_at < {m}"));
        }
        if let Some((at, id)) = self.after {
            let t = c.mark(Bind::Time(ts(at)));
            let i = c.mark(Bind::Id(id.0));
            c.parts.push(format!("(a.published_at < {t} OR (a.published_at = {t} AND a.id < {i}))"));
        }
        let sql = if c.parts.is_empty() { "TRUE".to_string() } else { c.parts.join(" AND ") };
        (sql, c.binds)
    }
}

/// The section with `id` and its ancestors, root first; empty when it does not exist.
pub fn section_path(sections: &[Section], id: SectionId) -> Vec<Section> {
    let mut path = Vec::new();
    let mut next = Some(id);
    while let Some(id) = next {
        // A cycle cannot be built through this API, but a hand-edited database must not hang us.
        if path.len() > sections.len() {
            break;
        }
        let Some(s) = sections.iter().find(|s| s.id == id) else {
            break;
        };
        path.push(s.clone());
        next = s.parent_id;
    }
    path.reverse();
    path
}

/// What the newsroom needs to know of an article before letting someone act on it.
#[derive(Debug, Clone, PartialEq)]
pub struct ArticleMeta {
    pub id: ArticleId,
    pub headline: String,
    pub status: Status,
    /// Bumped by every save and every status move; a save based on an older version is a
    /// conflict (so nobody's text goes live through a save that crossed an editor's publish).
    pub version: i64,
    pub owner_id: Option<UserId>,
}

/// The outcome of a save.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SaveOutcome {
    /// Saved as this new version.
    Saved { version: i64 },
    /// Someone saved since the version the writer started from: nothing was overwritten. The
    /// writer's text is kept as a conflict revision (`revision`), and the article stays at
    /// `current_version`.
    Conflict { current_version: i64, revision: i64 },
}

/// One saved state of an article, without its content.
#[derive(Debug, Clone, PartialEq)]
pub struct RevisionInfo {
    pub id: i64,
    pub version: i64,
    pub user_name: Option<String>,
    pub created_at: OffsetDateTime,
    pub note: String,
    /// A save refused because it was based on a stale version; kept, never applied.
    pub conflict: bool,
}

/// A revision with its content.
#[derive(Debug, Clone, PartialEq)]
pub struct Revision {
    pub info: RevisionInfo,
    pub content: ArticleDraft,
}

/// One line of the audit log.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditEntry {
    pub id: i64,
    pub at: OffsetDateTime,
    pub user_name: Option<String>,
    pub action: String,
    pub article_id: Option<ArticleId>,
    /// What was acted on, as it was named then (a headline, an email).
    pub subject: String,
    pub detail: String,
}

/// Which articles the newsroom list shows.
#[derive(Debug, Clone, Default)]
pub struct NewsroomFilter {
    pub status: Option<Status>,
    pub section: Option<SectionId>,
    pub author: Option<AuthorId>,
    pub owner: Option<UserId>,
    /// Words the headline contains.
    pub text: String,
}

/// A row of the newsroom list.
#[derive(Debug, Clone, PartialEq)]
pub struct NewsroomItem {
    pub summary: ArticleSummary,
    pub version: i64,
    pub owner_name: Option<String>,
    pub authors: Vec<String>,
}

/// Escapes `%`, `_` and `\` for a `LIKE ... ESCAPE '\'` pattern.
pub(crate) fn like_pattern(text: &str) -> String {
    let mut p = String::from("%");
    for c in text.trim().chars() {
        if matches!(c, '%' | '_' | '\\') {
            p.push('\\');
        }
        p.push(c);
    }
    p.push('%');
    p
}

/// What an editor may change of a picture.
#[derive(Debug, Clone, Default)]
pub struct ImageUpdate {
    pub alt: String,
    pub caption: String,
    pub credit: String,
    pub keywords: Vec<String>,
    pub focal: Option<Focal>,
}

/// A user to create.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub email: String,
    pub name: String,
    pub role: Role,
    /// A PHC string (argon2id).
    pub password_hash: String,
    /// True for a one-time password: the first login must choose a new one.
    pub must_change_password: bool,
    pub author_id: Option<AuthorId>,
}

/// What an admin may change of a user.
#[derive(Debug, Clone)]
pub struct UserUpdate {
    pub name: String,
    pub role: Role,
    pub author_id: Option<AuthorId>,
    pub disabled: bool,
}

/// A logged change with its kind: created, published, unpublished, status, corrected, updated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangeEvent {
    pub seq: i64,
    pub article_id: ArticleId,
    pub kind: String,
    /// The listings the article belonged to before the change, as page-cache tags (empty when
    /// the change could not move it).
    pub before: String,
}

/// One event for one receiver, with how its delivery went.
#[derive(Debug, Clone, PartialEq)]
pub struct Delivery {
    pub id: i64,
    pub change_seq: i64,
    pub url: String,
    pub event: String,
    pub article_id: ArticleId,
    /// The JSON body, exactly as signed and sent.
    pub payload: String,
    /// pending, delivered or failed (given up).
    pub status: String,
    pub attempts: i64,
    pub last_error: String,
    pub next_attempt_at: OffsetDateTime,
    pub created_at: OffsetDateTime,
    pub delivered_at: Option<OffsetDateTime>,
}

/// Paths the site uses for itself; a section (whose slug is the first path segment) cannot take them.
pub const RESERVED_SECTION_SLUGS: &[&str] = &[
    "tag",
    "author",
    "source",
    "static",
    "media",
    "search",
    "api",
    "newsroom",
    "healthz",
    "feed",
    "sitemap",
    "sitemaps",
    "newsletters",
];

/// How many articles use one entry of a registry (a section, an author or a source).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Usage {
    /// `section`, `author` or `source`.
    pub kind: String,
    pub id: i64,
    pub articles: i64,
}

/// A tag and how many articles carry it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagUse {
    pub tag: Tag,
    pub articles: i64,
}

/// A picture of the library and who uploaded it (none for imported and generated pictures).
#[derive(Debug, Clone, PartialEq)]
pub struct StoredImage {
    pub image: Image,
    pub uploaded_by: Option<UserId>,
}

/// The views of one article in one minute.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct MinuteViews {
    pub article: ArticleId,
    /// Minutes since the Unix epoch.
    pub minute: i64,
    pub views: i64,
}

/// What a story's page reads of the store (see [`crate::Store::article_page_by_slug`]).
#[derive(Debug, Clone)]
pub struct ArticleRead {
    pub article: Article,
    /// Its related stories as last found, those still published, best first; `None` when the
    /// search has not looked for them yet.
    pub found_related: Option<Vec<ArticleSummary>>,
}

/// An entry of the change log: its number and the article that changed (0 for the whole site).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoggedChange {
    pub seq: i64,
    pub article: ArticleId,
}

/// What a view beacon needs to know of an article: its status and its top-level section.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ArticlePlace {
    pub status: Status,
    pub root_section: i64,
}

/// A user and their password hash, for checking a login.
#[derive(Debug, Clone, PartialEq)]
pub struct LoginCandidate {
    pub user: User,
    pub password_hash: String,
}

/// The user of a live session and the session's CSRF token.
#[derive(Debug, Clone, PartialEq)]
pub struct SessionUser {
    pub user: User,
    pub csrf_token: String,
}

/// Failed logins counted under one key (an account or an address).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FailureCount {
    pub key: String,
    pub failures: i64,
}

/// A dated correction of an article, as imports and the demo add them in bulk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCorrection {
    pub article: ArticleId,
    pub text: String,
    pub at: OffsetDateTime,
}

/// A webhook delivery to queue: where, which event, about which article, and the JSON sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDelivery {
    pub url: String,
    pub event: String,
    pub article: ArticleId,
    pub payload: String,
}

/// A wire item as the desk keeps it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct StoredWireItem {
    pub id: i64,
    pub item: courant_core::WireItem,
    /// The format it came in ("IPTC ninjs").
    pub format: String,
    #[serde(with = "time::serde::rfc3339")]
    pub received_at: OffsetDateTime,
    /// When a newer version last replaced it (its arrival for a first version).
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

/// What ingesting one wire item did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum WireOutcome {
    /// Never seen before: stored.
    New,
    /// A newer version of an item seen before: it replaced the older one in place.
    Updated,
    /// The same version again, or an older one: left as it was.
    Unchanged,
}

/// Which wire items the desk lists.
#[derive(Debug, Clone, Default)]
pub struct WireFilter {
    /// From this source only.
    pub source: Option<String>,
    /// With this subject (exactly, in any case).
    pub subject: Option<String>,
    /// Received or updated since then.
    pub since: Option<OffsetDateTime>,
    /// Received or updated at or after then (what a desk showing items up to then may lack:
    /// times are kept to the second, so the items of that second come again).
    pub after: Option<OffsetDateTime>,
    /// With every word of this text (each as a word's start) in the headline, byline, dateline,
    /// subjects or copy, whatever the case and accents.
    pub text: Option<String>,
}

/// A feed for the wire desk to poll, as an editor adds it.
#[derive(Debug, Clone)]
pub struct NewWireFeed {
    pub url: String,
    /// The source its items credit when they name none.
    pub source: String,
    pub interval_seconds: i64,
}

/// A feed the wire desk polls, with what its last polls found.
#[derive(Debug, Clone, PartialEq)]
pub struct WireFeed {
    pub id: i64,
    pub url: String,
    pub source: String,
    pub interval_seconds: i64,
    pub paused: bool,
    /// What its server last answered, to send back (`If-None-Match`, `If-Modified-Since`).
    pub etag: String,
    pub last_modified: String,
    pub next_poll_at: OffsetDateTime,
    pub last_success_at: Option<OffsetDateTime>,
    /// The last failure, in words.
    pub last_error: String,
    pub last_error_at: Option<OffsetDateTime>,
    /// Failed polls in a row.
    pub failures: i64,
    pub created_at: OffsetDateTime,
}

/// What a poll of a feed found.
#[derive(Debug, Clone, PartialEq)]
pub enum WirePoll {
    /// An answer, read and ingested.
    Fetched { etag: String, last_modified: String, next: OffsetDateTime },
    /// 304: nothing new.
    Unchanged { next: OffsetDateTime },
    /// No answer, a refused answer or an unreadable one: why, in words.
    Failed { error: String, next: OffsetDateTime },
}

/// What a list's scheduled editions hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListRule {
    /// The newest published stories (of the list's section and its subsections, or of the site).
    Latest,
    /// The most read stories of the last day.
    MostRead,
    /// The stories editors picked for the next edition.
    Picks,
}

impl ListRule {
    pub fn as_str(self) -> &'static str {
        match self {
            ListRule::Latest => "latest",
            ListRule::MostRead => "most_read",
            ListRule::Picks => "picks",
        }
    }

    pub fn parse(s: &str) -> Option<ListRule> {
        match s {
            "latest" => Some(ListRule::Latest),
            "most_read" => Some(ListRule::MostRead),
            "picks" => Some(ListRule::Picks),
            _ => None,
        }
    }
}

/// A newsletter readers subscribe to.
#[derive(Debug, Clone, PartialEq)]
pub struct NewsletterList {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub description: String,
    pub rule: ListRule,
    pub section_id: Option<SectionId>,
    /// How many stories a scheduled edition holds.
    pub stories: i64,
    /// Minutes after midnight, in the site's time zone; none: editions by hand only.
    pub send_minute: Option<i64>,
    /// ISO weekdays it goes out on (Monday 1 to Sunday 7).
    pub days: Vec<u8>,
    /// When the next scheduled edition is made and sent.
    pub next_edition_at: Option<OffsetDateTime>,
    /// Offered to readers and sent on schedule.
    pub active: bool,
    /// The stories editors picked for the next edition, in order (the rule `Picks` sends them).
    pub picks: Vec<ArticleId>,
    pub created_at: OffsetDateTime,
}

/// A list as an editor saves it.
#[derive(Debug, Clone, PartialEq)]
pub struct ListDraft {
    pub slug: String,
    pub name: String,
    pub description: String,
    pub rule: ListRule,
    pub section_id: Option<SectionId>,
    pub stories: i64,
    pub send_minute: Option<i64>,
    pub days: Vec<u8>,
    pub active: bool,
}

/// Where an address stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SubscriberState {
    /// Asked to subscribe, not confirmed: nothing is sent to it but the confirmation.
    Pending,
    Confirmed,
    Unsubscribed,
    /// A mail server refused it for good.
    Bounced,
}

impl SubscriberState {
    pub fn as_str(self) -> &'static str {
        match self {
            SubscriberState::Pending => "pending",
            SubscriberState::Confirmed => "confirmed",
            SubscriberState::Unsubscribed => "unsubscribed",
            SubscriberState::Bounced => "bounced",
        }
    }

    pub fn parse(s: &str) -> Option<SubscriberState> {
        match s {
            "pending" => Some(SubscriberState::Pending),
            "confirmed" => Some(SubscriberState::Confirmed),
            "unsubscribed" => Some(SubscriberState::Unsubscribed),
            "bounced" => Some(SubscriberState::Bounced),
            _ => None,
        }
    }
}

/// An address and what it receives: all a subscriber is.
#[derive(Debug, Clone, PartialEq)]
pub struct Subscriber {
    pub id: i64,
    pub email: String,
    pub state: SubscriberState,
    /// When it last confirmed (its consent).
    pub consented_at: Option<OffsetDateTime>,
    pub created_at: OffsetDateTime,
    /// The lists it receives, by id.
    pub lists: Vec<i64>,
    /// The permanent failure that bounced it, in the mail server's words.
    pub bounce: String,
}

/// Where an edition stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EditionState {
    Draft,
    Scheduled,
    /// Queued: its deliveries go out.
    Sending,
    Sent,
}

impl EditionState {
    pub fn as_str(self) -> &'static str {
        match self {
            EditionState::Draft => "draft",
            EditionState::Scheduled => "scheduled",
            EditionState::Sending => "sending",
            EditionState::Sent => "sent",
        }
    }

    pub fn parse(s: &str) -> Option<EditionState> {
        match s {
            "draft" => Some(EditionState::Draft),
            "scheduled" => Some(EditionState::Scheduled),
            "sending" => Some(EditionState::Sending),
            "sent" => Some(EditionState::Sent),
            _ => None,
        }
    }
}

/// One issue of a list.
#[derive(Debug, Clone, PartialEq)]
pub struct Edition {
    pub id: i64,
    pub list_id: i64,
    pub subject: String,
    pub intro: String,
    pub articles: Vec<ArticleId>,
    pub state: EditionState,
    pub send_at: Option<OffsetDateTime>,
    pub queued_at: Option<OffsetDateTime>,
    pub sent_at: Option<OffsetDateTime>,
    pub created_by: Option<UserId>,
    pub created_at: OffsetDateTime,
}

/// An edition's content as an editor or the planner writes it.
#[derive(Debug, Clone, PartialEq)]
pub struct EditionDraft {
    pub subject: String,
    pub intro: String,
    pub articles: Vec<ArticleId>,
}

/// A message to send: an edition to an address.
#[derive(Debug, Clone, PartialEq)]
pub struct MailDelivery {
    pub id: i64,
    pub edition_id: i64,
    pub subscriber_id: i64,
    pub email: String,
    /// Attempts so far, this one included.
    pub attempts: i64,
}

/// What became of a delivery.
#[derive(Debug, Clone, PartialEq)]
pub enum MailOutcome {
    Sent,
    /// A temporary failure (4xx): try again then.
    Retry {
        error: String,
        at: OffsetDateTime,
    },
    /// Temporary failures until the sender gave up.
    Failed {
        error: String,
    },
    /// A permanent failure (5xx): the address is marked and gets nothing more.
    Bounced {
        error: String,
    },
}

/// How far an edition's sending has gone: deliveries per state.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EditionProgress {
    pub pending: i64,
    pub sending: i64,
    pub sent: i64,
    pub failed: i64,
    pub bounced: i64,
    pub unsure: i64,
    pub cancelled: i64,
}

impl EditionProgress {
    pub fn total(&self) -> i64 {
        self.pending + self.sending + self.sent + self.failed + self.bounced + self.unsure + self.cancelled
    }
}

/// The page-cache tag of the front page, logged as the `before` of every change of its pins.
pub const FRONT_TAG: &str = "front";

/// Where a pinned story stands on the front page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FrontSlot {
    /// The front page's lead: the first and largest story.
    Lead,
    /// One of the featured stories under the lead, in the editors' order.
    Featured,
}

impl FrontSlot {
    pub fn as_str(self) -> &'static str {
        match self {
            FrontSlot::Lead => "lead",
            FrontSlot::Featured => "featured",
        }
    }

    pub fn parse(s: &str) -> Option<FrontSlot> {
        match s {
            "lead" => Some(FrontSlot::Lead),
            "featured" => Some(FrontSlot::Featured),
            _ => None,
        }
    }
}

/// A story editors pinned to the front page: the lead first, then the featured stories in
/// order.
#[derive(Debug, Clone, PartialEq)]
pub struct FrontPin {
    pub article_id: ArticleId,
    pub slot: FrontSlot,
    pub expires_at: Option<OffsetDateTime>,
    pub pinned_by: Option<UserId>,
    pub pinned_at: OffsetDateTime,
}

/// One of the publication's own pages (About, Contact, the corrections policy...), at
/// `/{slug}`.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SitePage {
    pub id: i64,
    pub slug: String,
    pub title: String,
    /// Markdown, rendered like a story's body.
    pub body: String,
    /// Linked from every page's footer.
    pub in_footer: bool,
    /// The order in the footer and the newsroom's list.
    pub position: i64,
    pub updated_at: OffsetDateTime,
}

/// A page as an editor writes it.
#[derive(Debug, Clone, PartialEq)]
pub struct PageDraft {
    pub slug: String,
    pub title: String,
    pub body: String,
    pub in_footer: bool,
    pub position: i64,
}

//! Hostile input cannot make the server fail. A few thousand generated requests (odd methods,
//! broken percent-encodings and UTF-8, path traversal, huge and malformed headers, broken
//! chunked bodies, and control characters, noncharacters, direction overrides and 100 KB values
//! in every field of the newsroom's forms) are each answered below 500, or, when what was sent
//! is not HTTP at all, refused by closing the connection. Afterwards the server still serves
//! its front page and its health check, and an admin can still log in.
//!
//! The requests come from a fixed seed, so a failure repeats, and each failure names the request
//! that caused it. They go eight at a time to a server of the test's own: byte for byte over TCP
//! where an HTTP client would refuse or tidy up what is sent, through the HTTP client otherwise,
//! anonymously, and as a logged-in admin for the newsroom's forms.

use crate::support::*;
use courant_core::Role;
use courant_store::{ArticleFilter, NewUser};
use futures_util::StreamExt;
use reqwest::Method;
use std::collections::BTreeMap;
use std::time::Duration;
use time::OffsetDateTime;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Requests in flight at once.
const CONCURRENCY: usize = 8;
/// How long one request may take through the HTTP client, its answer's body included.
const HTTP_TIMEOUT: Duration = Duration::from_secs(30);
/// How long a raw exchange may take: by then the server must have answered or closed.
const RAW_TIMEOUT: Duration = Duration::from_secs(10);
/// The seed of every generated request: change it to explore, keep it to repeat a failure.
const SEED: u64 = 0x5EED_C0DE_2026_1125;

// How many requests of each kind (about 2,300 in all).
const RAW_GENERATED: usize = 380;
const RAW_FORMS: usize = 20;
const PUBLIC_GETS: usize = 900;
const OTHER_METHODS: usize = 80;
const BEACONS: usize = 120;
const LOGIN_JUNK: usize = 80;
/// Login forms that pass the token check and reach the password check. Each counts as a failed
/// attempt from 127.0.0.1 (30 lock the address out, the admin's last login included), and each
/// costs an argon2 hash, slow in debug builds.
const LOGINS_CHECKED: usize = 2;
const RESET_JUNK: usize = 20;
const ANONYMOUS_POSTS: usize = 40;
const ADMIN_GETS: usize = 40;
const JUNK_ID_POSTS: usize = 40;
const UPLOADS: usize = 16;
/// New users with a valid role: each costs an argon2 hash before its fields are checked.
const USERS_HASHED: usize = 2;

const ADMIN_EMAIL: &str = "hostile.admin@newsroom.test.example";
const MEMBER_EMAIL: &str = "hostile.member@newsroom.test.example";
const PASSWORD: &str = "a long and correct test password";
/// A token for the double submit of the login and reset forms: the server takes any 64
/// characters as the cookie, and the same in the form's `csrf` field passes.
const FORM_TOKEN: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
const BOUNDARY: &str = "courant-hostile-boundary-3e8a61";

/// Short texts no field expects: control characters, noncharacters, direction overrides,
/// markup, SQL, template syntax, paths, numbers out of range, dates that are not, and nothing.
/// (Lone surrogates cannot be Rust strings; the raw requests send their UTF-8-like bytes.)
const NASTY: &[&str] = &[
    "\u{0}",
    "\u{0}Flood desk\u{0}",
    "Line\u{B}break",
    "\u{1B}[31mred\u{1B}[0m",
    "\u{7F}",
    "\u{8}\u{8}\u{8}",
    "\u{1}\u{2}\u{3}\u{4}\u{5}\u{6}\u{7}\u{E}\u{F}\u{10}\u{1F}",
    "\u{80}\u{85}\u{9F}",
    "\u{FFFE}",
    "\u{FFFF}",
    "\u{1F600}",
    "\u{202E}txet desrever",
    "\u{200B}\u{FEFF}\u{2060}",
    "\u{2028}\u{2029}",
    "e\u{301}\u{301}\u{301}\u{301}",
    "\r\n\r\nX-Injected: 1",
    "\r",
    "\t",
    "",
    " ",
    "-1",
    "0",
    "99999999999999999999",
    "-99999999999999999999",
    "9223372036854775807",
    "1e309",
    "NaN",
    "1.5",
    "0x10",
    "<script>alert(1)</script>",
    "\"><img src=x onerror=alert(1)>",
    "' OR 1=1 --",
    "'; DROP TABLE articles; --",
    "../../../etc/passwd",
    "..\\..\\windows\\win.ini",
    "%00",
    "%zz",
    "{{ 7 * 7 }}",
    "{% for x in range(99999999) %}x{% endfor %}",
    "javascript:alert(1)",
    "http://",
    "https://evil.example/\u{0}",
    "a,b,,,c,",
    ",,,,",
    "\n\n\n",
    "@",
    "@@@@",
    "\"quoted\"@example.com",
    "> > > > > > > > > > > > > > > > > > > > deep",
    "[x](javascript:alert(1))",
    "2026-13-45T25:61",
    "9999-12-31T23:59",
    "0000-00-00T00:00",
];

/// Query values the site's and the API's parameters meet: numbers out of range, dates that are
/// not, cursors never handed out, sorts that do not exist, search syntax left open.
const QUERY_VALUES: &[&str] = &[
    "-1",
    "0",
    "1",
    "2",
    "1000",
    "1001",
    "10000",
    "10001",
    "99999999999999999999",
    "9223372036854775807",
    "1e3",
    "garbage",
    "notadate",
    "2026-13-45",
    "2026-02-30",
    "2026-11-25",
    "9999-12-31T23:59:59Z",
    "0000-01-01T00:00:00Z",
    "2026-11-25T08:00:00+25:00",
    "1.2.3",
    "99999999999999.1",
    "-1.-1",
    ".",
    "1.",
    "253402300800.1",
    "newest",
    "relevance",
    "oldest",
    "/world/2026/11/24/x",
    "https://evil.example/a/b/c/d/e",
    "//////",
    "\"unbalanced",
    "((((",
    "AND OR NOT",
    "*",
    "title:x",
    "a~99",
    "[1 TO",
    "x^99999999999",
    "\\",
    "-",
    "+-+-",
    "flood",
];

/// Query parameter names as sent: those the routes read, those they do not, and broken ones.
#[rustfmt::skip]
const QUERY_KEYS: &[&str] = &[
    "page", "q", "limit", "cursor", "since", "until", "section", "tag", "author", "source", "sort", "path", "a",
    "offset", "text", "status", "from", "to", "before", "pick", "done", "format", "callback", "utm_source",
    "page%5B%5D", "", "%zz", "q%00", "%FF",
];

/// Percent-encodings sent as they are: cut short, not hex, not UTF-8, overlong, surrogates.
const BROKEN_ENCODINGS: &[&str] = &[
    "%",
    "%%",
    "%zz",
    "%2",
    "%C3%28",
    "%FF%FE",
    "%E0%80%AF",
    "%ED%A0%80",
    "%F4%90%80%80",
    "%00",
    "%0D%0AX-Injected:%201",
    "a%20%",
    "%u0041",
    "+%2B+",
    "%C0%AE%C0%AE%2F",
];

/// Path segments sent as they are where a slug, a file, an id or a token goes.
const BROKEN_SEGMENTS: &[&str] = &[
    "%",
    "%zz",
    "%C3%28",
    "%FF%FE",
    "%00",
    "..%2F..%2Fcourant.toml",
    "%2e%2e%2f%2e%2e%2fcourant.db",
    "..;",
    ".%00.",
    "%252e%252e",
    "%C0%AE%C0%AE",
    "9223372036854775807",
    "-1",
    "0",
];

/// Ids no newsroom route has (none of them the admin's own account).
const JUNK_IDS: &[&str] = &[
    "0",
    "-1",
    "abc",
    "99999999999999999999",
    "9223372036854775807",
    "-9223372036854775808",
    "1.5",
    "%00",
    "%2e%2e",
    "%F0%9F%98%80",
    "1%20OR%201=1",
    "%7B%7Bid%7D%7D",
    "",
];

/// Newsroom routes with an id (`{}`), posted with ids from [`JUNK_IDS`].
const ID_ROUTES: &[&str] = &[
    "/newsroom/sections/{}",
    "/newsroom/sections/{}/delete",
    "/newsroom/authors/{}",
    "/newsroom/authors/{}/delete",
    "/newsroom/sources/{}",
    "/newsroom/sources/{}/delete",
    "/newsroom/tags/{}",
    "/newsroom/tags/{}/merge",
    "/newsroom/tags/{}/delete",
    "/newsroom/users/{}",
    "/newsroom/users/{}/reset",
    "/newsroom/articles/{}",
    "/newsroom/articles/{}/autosave",
    "/newsroom/articles/{}/corrections",
    "/newsroom/articles/{}/hero",
    "/newsroom/articles/{}/unpublish",
    "/newsroom/media/{}",
];

/// The editor's buttons.
const INTENTS: &[&str] = &["save", "submit", "withdraw", "reopen", "cancel", "schedule", "publish", "unpublish"];

/// Headers an HTTP client can send (no control characters) that the server must read with care.
const ODD_HEADERS: &[(&str, &str)] = &[
    ("if-none-match", "*"),
    ("if-none-match", "\"garbage\", W/\"\", ,,,"),
    ("if-modified-since", "garbage"),
    ("if-modified-since", "Wed, 31 Dec 9999 23:59:59 GMT"),
    ("if-modified-since", "Thu, 01 Jan 1970 00:00:00 GMT"),
    ("accept-encoding", "br;q=NaN, gzip;q=-1, *;q=99999"),
    ("accept-encoding", "identity;q=0, *;q=0"),
    ("accept-encoding", "gzip, gzip, br, br, deflate, zstd, x-unknown"),
    ("accept", "*/*;q=NaN"),
    ("accept", "application/json"),
    ("accept-language", "\u{1F600}"),
    ("range", "bytes=999999999999999999999-"),
    ("range", "bytes=0-0,0-0,0-0,0-0"),
    ("cookie", "courant_session=garbage"),
    ("cookie", "courant_session=;;;;=;=="),
    ("x-forwarded-for", "::::, 999.999.999.999, \"'"),
    ("sec-fetch-site", "cross-site"),
    ("sec-fetch-dest", "image"),
    ("sec-purpose", "prefetch"),
    ("user-agent", "Googlebot/2.1"),
    ("user-agent", "\u{202E}Mozilla"),
    ("referer", "javascript:alert(1)"),
    ("origin", "null"),
    ("x-csrf-token", "\u{1F600}"),
    ("host", "evil.example"),
];

/// Content types a beacon is sent with (the real one among them).
const BEACON_TYPES: &[&str] = &[
    "application/x-courant-view",
    "application/x-courant-view; charset=utf-8",
    "text/plain",
    "",
    "application/json",
    "multipart/form-data; boundary=",
    "application/x-www-form-urlencoded",
];

/// Public paths that exist, or look as if they might.
const PUBLIC_PATHS: &[&str] = &[
    "/",
    "/search",
    "/rss.xml",
    "/atom.xml",
    "/feed.json",
    "/sitemap.xml",
    "/sitemap-news.xml",
    "/robots.txt",
    "/ads.txt",
    "/healthz",
    "/static/logo.svg",
    "/static/logo.png",
    "/favicon.ico",
    "/manifest.webmanifest",
    "/beacon.gif",
    "/api/v1/articles",
    "/api/v1/articles/by-path",
    "/api/v1/search",
    "/api/v1/sections",
    "/api/v1/tags",
    "/api/v1/authors",
    "/api/v1/sources",
    "/api/v1/openapi.json",
    "/newsroom",
    "/newsroom/",
    "/newsroom/login",
    "/newsroom/articles",
    "/no-such-section",
    "/tag/no-such-tag",
    "/sitemaps/2026-01.xml",
    "/static/site.0000000000.css",
    "/media/00/nothing.jpg",
    "/media/00/nothing.jpg.w640.jpg",
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_requests_are_answered_below_500_and_the_server_lives_on() {
    // A server of its own: the admin's forms change sections, authors, users, settings, stories.
    let mut config = courant::Config::default();
    // Malformed heads and bodies cut short are given up on within seconds, not a minute.
    config.server.header_timeout_seconds = 3;
    config.server.body_timeout_seconds = 3;
    // The API's rate limit would answer most of its probes 429 before reading any parameter.
    config.api.requests_per_minute = 0;
    let mut options = courant_demo::DemoOptions::new(4, OffsetDateTime::now_utc());
    options.picture_pool = 1;
    let Spawned { base, store, .. } = spawn_server(config, options);
    let client = hostile_client();

    // An admin to post the newsroom's forms, and a member whose account those forms change
    // (never the admin's own, nor the admin's password or sessions: the last login needs them).
    let hash = courant_newsroom::secrets::hash_password(PASSWORD.to_string()).await.expect("hash the test password");
    let now = OffsetDateTime::now_utc();
    let user = |email: &str, name: &str, role: Role| NewUser {
        email: email.into(),
        name: name.into(),
        role,
        password_hash: hash.clone(),
        must_change_password: false,
        author_id: None,
    };
    store.insert_user(&user(ADMIN_EMAIL, "Hostile Admin", Role::Admin), None, now).await.expect("insert the admin");
    let member = store
        .insert_user(&user(MEMBER_EMAIL, "Hostile Member", Role::Contributor), None, now)
        .await
        .expect("insert the member the forms change");
    let session = log_in(&client, &base, ADMIN_EMAIL)
        .await
        .unwrap_or_else(|e| panic!("logging in as the admin before any hostile request: {e}"));

    // Real ids and slugs, for the routes' parameters.
    let sections = store.sections().await.expect("list the sections");
    let authors = store.authors().await.expect("list the authors");
    let sources = store.sources().await.expect("list the sources");
    let tags = store.tags().await.expect("list the tags");
    let pictures = store.images_page("", 1, 0).await.expect("list the pictures").items;
    let published = store.published(&ArticleFilter::All, 1, 0).await.expect("list the published stories").items;
    let story = published.first().expect("the demo publishes stories");
    let section = sections.first().expect("the demo has sections");
    let author = authors.first().expect("the demo has authors");
    let draft = insert_draft(&store, "Hostile draft", "A draft the forms save over.", "A first paragraph.").await;
    let known = Known {
        section: section.id.0,
        section_slug: section.slug.clone(),
        other_section: sections.last().map_or(section.id.0, |s| s.id.0),
        author: author.id.0,
        author_slug: author.slug.clone(),
        source: sources.first().map(|s| (s.id.0, s.slug.clone())),
        tag: tags.first().map(|t| (t.id.0, t.slug.clone())),
        picture: pictures.first().map(|p| (p.id.0, p.file.clone())),
        story: story.id.0,
        story_path: story.path().expect("a published story has an address"),
        draft: draft.0,
        member: member.id.0,
    };

    let mut rng = Rng(SEED);
    let texts = Texts::new();
    let forms = newsroom_forms(&known);
    let mut probes = raw_probes(&mut rng, &session, &known);
    probes.extend(public_probes(&mut rng, &texts, &known));
    probes.extend(anonymous_probes(&mut rng, &texts, &forms));
    probes.extend(admin_probes(&mut rng, &texts, &session, &known, &forms));
    rng.shuffle(&mut probes);
    let total = probes.len();

    let target =
        Target { base: base.clone(), addr: base.trim_start_matches("http://").to_string(), client: client.clone() };
    let outcomes: Vec<Outcome> = futures_util::stream::iter(probes)
        .map(|probe| run(probe, &target))
        .buffer_unordered(CONCURRENCY)
        .collect()
        .await;

    let mut tally: BTreeMap<(Group, Option<u16>), usize> = BTreeMap::new();
    for o in &outcomes {
        *tally.entry((o.group, o.status)).or_default() += 1;
    }
    let summary = tally
        .iter()
        .map(|((group, status), n)| {
            format!("{group:?} {}: {n}", status.map_or("closed".to_string(), |s| s.to_string()))
        })
        .collect::<Vec<_>>()
        .join(", ");

    // Still alive: the front page, the health check, and a login to the newsroom.
    let mut problems = Vec::new();
    for path in ["/", "/healthz"] {
        match client.get(format!("{base}{path}")).send().await {
            Ok(r) if r.status() == 200 => {}
            Ok(r) => problems.push(format!("after the hostile requests, GET {path} answered {}", r.status())),
            Err(e) => problems.push(format!("after the hostile requests, GET {path} got no answer: {}", chain(&e))),
        }
    }
    match log_in(&client, &base, ADMIN_EMAIL).await {
        Ok(again) => {
            let dashboard = client.get(format!("{base}/newsroom/")).header("cookie", again.cookie.as_str());
            match dashboard.send().await {
                Ok(r) if r.status() == 200 => {}
                Ok(r) => problems.push(format!("after the hostile requests, the dashboard answered {}", r.status())),
                Err(e) => {
                    problems.push(format!("after the hostile requests, the dashboard got no answer: {}", chain(&e)))
                }
            }
        }
        Err(e) => problems.push(format!("after the hostile requests, logging in failed: {e}")),
    }
    let failed = outcomes.iter().filter(|o| o.failure.is_some()).count();
    problems.extend(outcomes.iter().filter_map(|o| o.failure.clone()));
    assert!(
        problems.is_empty(),
        "{failed} of {total} hostile requests went wrong (seed {SEED:#x}), or the server did not live on; the \
         first problems:\n{}\nanswers by group and status: {summary}",
        problems.iter().take(25).map(|p| format!("- {p}")).collect::<Vec<_>>().join("\n")
    );

    // The probes reached what they were meant for: a broken session or token would have had
    // every admin form refused at the door, and the test would prove nothing about the forms.
    let admin = outcomes.iter().filter(|o| o.group == Group::Admin).count();
    let refused = outcomes.iter().filter(|o| o.group == Group::Admin && o.status == Some(403)).count();
    assert!(
        refused * 4 < admin,
        "{refused} of the admin's {admin} requests were refused 403: the session or its CSRF token was not \
         taken, so the forms' handlers were never reached; answers: {summary}"
    );
    assert!(
        outcomes.iter().any(|o| o.group == Group::Public && o.status == Some(200)),
        "no public request was answered 200: the probes never reached a page; answers: {summary}"
    );
}

// ---- The requests ---------------------------------------------------------------------------

/// Who sends a request, for the summary of answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Group {
    /// Bytes over TCP.
    Raw,
    /// A reader's client: pages, feeds, the API, the beacon.
    Public,
    /// The newsroom without a session: logins, reset links, forms.
    Anonymous,
    /// The newsroom as a logged-in admin.
    Admin,
}

/// Whether a raw request must be answered, or may be refused by closing the connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Answer {
    /// Well-formed HTTP: the server must answer. A connection closed without a word is a
    /// handler that panicked.
    Required,
    /// Not HTTP, or broken in its framing: hyper answers 400, 413 or 431, or just closes.
    Optional,
}

enum Probe {
    Raw(RawProbe),
    Http(HttpProbe),
}

/// Bytes written as they are on a new connection.
struct RawProbe {
    what: String,
    bytes: Vec<u8>,
    answer: Answer,
    /// Shut the writing side once all is sent, so that a server waiting for more (a body cut
    /// short, a head that never ends) sees the end at once instead of its timeout.
    half_close: bool,
}

/// A request through the HTTP client.
struct HttpProbe {
    group: Group,
    method: Method,
    /// Path and query, as sent (the client percent-encodes nothing that is already encoded).
    path: String,
    headers: Vec<(&'static str, String)>,
    body: Option<Vec<u8>>,
}

impl HttpProbe {
    fn new(group: Group, method: Method, path: impl Into<String>) -> HttpProbe {
        HttpProbe { group, method, path: path.into(), headers: Vec::new(), body: None }
    }

    fn header(mut self, name: &'static str, value: impl Into<String>) -> HttpProbe {
        self.headers.push((name, value.into()));
        self
    }

    fn body(self, content_type: impl Into<String>, body: Vec<u8>) -> HttpProbe {
        let mut probe = self.header("content-type", content_type);
        probe.body = Some(body);
        probe
    }

    fn form(self, fields: &[(String, String)]) -> HttpProbe {
        self.body("application/x-www-form-urlencoded", urlencoded(fields))
    }

    /// What was sent, for failure messages (the session cookie left out).
    fn sent(&self) -> String {
        let mut s = format!("{:?} {} {}", self.group, self.method, shown(self.path.as_bytes(), 300));
        for (name, value) in &self.headers {
            if *name != "cookie" {
                s.push_str(&format!(" [{name}: {}]", shown(value.as_bytes(), 80)));
            }
        }
        if let Some(body) = &self.body {
            s.push_str(&format!(" with body {}", shown(body, 300)));
        }
        s
    }
}

impl From<HttpProbe> for Probe {
    fn from(probe: HttpProbe) -> Probe {
        Probe::Http(probe)
    }
}

fn raw_probe(what: impl Into<String>, bytes: Vec<u8>, answer: Answer, half_close: bool) -> Probe {
    Probe::Raw(RawProbe { what: what.into(), bytes, answer, half_close })
}

/// Real ids and slugs of the demo publication and of what the test added.
struct Known {
    section: i64,
    section_slug: String,
    /// The section the forms rename (the last one).
    other_section: i64,
    author: i64,
    author_slug: String,
    source: Option<(i64, String)>,
    tag: Option<(i64, String)>,
    /// A picture's id and file name.
    picture: Option<(i64, String)>,
    /// A published story, and its address.
    story: i64,
    story_path: String,
    draft: i64,
    /// The member whose account the forms change.
    member: i64,
}

/// Values no field expects, small and 100 KB long.
struct Texts {
    huge: Vec<String>,
    /// Search queries around and past the longest taken (200 characters), up to 10 KB.
    long: Vec<String>,
}

impl Texts {
    fn new() -> Texts {
        Texts {
            huge: vec![
                "A".repeat(100_000),
                "\u{1F600}".repeat(10_000),
                "\u{0}".repeat(10_000),
                format!("{}x", "\u{202E}".repeat(5_000)),
                "\u{FFFF}\u{FFFE}".repeat(10_000),
                "word ".repeat(20_000),
                "&<>\"'".repeat(20_000),
                "[x](javascript:alert(1)) ".repeat(4_000),
                "\u{1B}[31m".repeat(20_000),
            ],
            long: vec![
                "flood ".repeat(1_700),
                "\u{1}".repeat(10_000),
                "a".repeat(200),
                "a".repeat(201),
                "\u{1F600}".repeat(201),
                format!("\"{}", "(".repeat(5_000)),
            ],
        }
    }

    /// A hostile value; one time in sixteen a 100 KB one.
    fn any(&self, rng: &mut Rng) -> String {
        if rng.one_in(16) { rng.pick(&self.huge).clone() } else { self.small(rng) }
    }

    /// A hostile value of any size, or only a small one.
    fn value(&self, rng: &mut Rng, huge: bool) -> String {
        if huge { self.any(rng) } else { self.small(rng) }
    }

    /// A hostile value of at most a few hundred bytes, now and then among ordinary words.
    fn small(&self, rng: &mut Rng) -> String {
        let nasty = *rng.pick(NASTY);
        if rng.one_in(4) { format!("Plain {nasty} words") } else { nasty.to_string() }
    }
}

/// A small deterministic generator (xorshift64): the same requests on every run.
struct Rng(u64);

impl Rng {
    fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    /// A number below `n` (at least 1).
    fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    fn one_in(&mut self, n: usize) -> bool {
        self.below(n) == 0
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.below(i + 1);
            items.swap(i, j);
        }
    }
}

// ---- Raw requests -------------------------------------------------------------------------

/// `METHOD target VERSION`, the header lines, a blank line, the body. An empty version leaves
/// the request line as HTTP/0.9 wrote it.
fn request(method: &[u8], target: &[u8], version: &[u8], headers: &[Vec<u8>], body: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(64 + target.len() + body.len());
    out.extend_from_slice(method);
    out.push(b' ');
    out.extend_from_slice(target);
    if !version.is_empty() {
        out.push(b' ');
        out.extend_from_slice(version);
    }
    out.extend_from_slice(b"\r\n");
    for line in headers {
        out.extend_from_slice(line);
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(b"\r\n");
    out.extend_from_slice(body);
    out
}

fn header_line(name: &str, value: &[u8]) -> Vec<u8> {
    let mut line = format!("{name}: ").into_bytes();
    line.extend_from_slice(value);
    line
}

fn lines(items: &[&str]) -> Vec<Vec<u8>> {
    items.iter().map(|l| l.as_bytes().to_vec()).collect()
}

/// `Host`, then `extra`, then `Connection: close`.
fn head(extra: Vec<Vec<u8>>) -> Vec<Vec<u8>> {
    let mut headers = vec![b"Host: 127.0.0.1".to_vec()];
    headers.extend(extra);
    headers.push(b"Connection: close".to_vec());
    headers
}

/// A chunked POST to `path` with `base` headers, under `encoding` (its `Transfer-Encoding`).
fn chunked(path: &str, base: &[Vec<u8>], encoding: &str, body: &[u8], answer: Answer, cut: bool, what: &str) -> Probe {
    let mut headers = base.to_vec();
    headers.push(encoding.as_bytes().to_vec());
    raw_probe(
        format!("POST {path} with {what} ({encoding:?})"),
        request(b"POST", path.as_bytes(), b"HTTP/1.1", &head(headers), body),
        answer,
        cut,
    )
}

/// Requests written byte for byte: what an HTTP client would refuse to send or would tidy up.
fn raw_probes(rng: &mut Rng, session: &Session, k: &Known) -> Vec<Probe> {
    use Answer::{Optional, Required};
    let mut out: Vec<Probe> = Vec::new();

    // Heads no server should take whole.
    let big = header_line("X-Big", &vec![b'a'; 64 * 1024]);
    out.push(raw_probe(
        "a 64 KB header value",
        request(b"GET", b"/", b"HTTP/1.1", &head(vec![big]), b""),
        Optional,
        false,
    ));
    let bigger = header_line("X-Bigger", &vec![b'b'; 450 * 1024]);
    out.push(raw_probe(
        "a 450 KB header value",
        request(b"GET", b"/", b"HTTP/1.1", &head(vec![bigger]), b""),
        Optional,
        false,
    ));
    let many: Vec<Vec<u8>> = (0..200).map(|i| format!("X-Many-{i}: {i}").into_bytes()).collect();
    out.push(raw_probe("200 headers", request(b"GET", b"/", b"HTTP/1.1", &head(many), b""), Optional, false));
    let cookie = format!("courant_session={}", "c".repeat(16 * 1024));
    out.push(raw_probe(
        "a 16 KB cookie",
        request(b"GET", b"/newsroom/", b"HTTP/1.1", &head(vec![header_line("Cookie", cookie.as_bytes())]), b""),
        Optional,
        false,
    ));
    let long_target = format!("/search?q={}", "q".repeat(9 * 1024));
    out.push(raw_probe(
        "a 9 KB request target",
        request(b"GET", long_target.as_bytes(), b"HTTP/1.1", &head(vec![]), b""),
        Optional,
        false,
    ));
    out.push(raw_probe(
        "a 5 KB method name",
        request("M".repeat(5 * 1024).as_bytes(), b"/", b"HTTP/1.1", &head(vec![]), b""),
        Optional,
        false,
    ));

    // Versions and shapes: old, unknown, not HTTP at all.
    out.push(raw_probe("HTTP/1.0 without Host", request(b"GET", b"/", b"HTTP/1.0", &[], b""), Required, false));
    out.push(raw_probe("an HTTP/0.9 request line", b"GET /\r\n".to_vec(), Optional, true));
    out.push(raw_probe("the HTTP/2 preface", b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".to_vec(), Optional, true));
    let mut hello: Vec<u8> = vec![0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xfc, 0x03, 0x03];
    hello.extend((0..32).map(|_| rng.next_u64() as u8));
    out.push(raw_probe("a TLS ClientHello", hello, Optional, true));
    out.push(raw_probe("blank lines only", b"\r\n\r\n\r\n".to_vec(), Optional, true));
    out.push(raw_probe("nothing at all", Vec::new(), Optional, true));
    out.push(raw_probe("a thousand NUL bytes", vec![0u8; 1000], Optional, true));
    let noise: Vec<u8> = (0..2048).map(|_| rng.next_u64() as u8).collect();
    out.push(raw_probe("2 KB of noise", noise, Optional, true));
    out.push(raw_probe("a head that never ends", b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n".to_vec(), Optional, true));
    let mut pipelined = request(b"GET", b"/robots.txt", b"HTTP/1.1", &lines(&["Host: 127.0.0.1"]), b"");
    pipelined.extend(request(b"GET", b"/%zz", b"HTTP/1.1", &head(vec![]), b""));
    out.push(raw_probe("two requests in one write", pipelined, Required, false));
    let expect = lines(&[
        "Host: 127.0.0.1",
        "Content-Type: application/x-courant-view",
        "Content-Length: 1",
        "Expect: 100-continue",
        "Connection: close",
    ]);
    out.push(raw_probe(
        "Expect: 100-continue with the body sent at once",
        request(b"POST", b"/beacon", b"HTTP/1.1", &expect, b"1"),
        Required,
        false,
    ));
    out.push(raw_probe("OPTIONS *", request(b"OPTIONS", b"*", b"HTTP/1.1", &head(vec![]), b""), Required, false));
    out.push(raw_probe(
        "CONNECT to another host",
        request(b"CONNECT", b"evil.example:443", b"HTTP/1.1", &head(vec![]), b""),
        Optional,
        false,
    ));
    out.push(raw_probe(
        "an absolute target naming another host",
        request(b"GET", b"http://evil.example/newsroom/login", b"HTTP/1.1", &head(vec![]), b""),
        Required,
        false,
    ));

    // Bodies framed wrong: lengths that lie or disagree, chunks that are not.
    let login_headers = vec![
        format!("Cookie: courant_form={FORM_TOKEN}").into_bytes(),
        b"Content-Type: application/x-www-form-urlencoded".to_vec(),
    ];
    let posts: [(&str, Vec<Vec<u8>>); 2] =
        [("/beacon", lines(&["Content-Type: application/x-courant-view"])), ("/newsroom/login", login_headers.clone())];
    let lengths = [
        ("two different Content-Lengths", "Content-Length: 1\r\nContent-Length: 2", "12", false),
        ("the same Content-Length twice", "Content-Length: 2\r\nContent-Length: 2", "12", false),
        ("a Content-Length list", "Content-Length: 2, 2", "12", false),
        ("a negative Content-Length", "Content-Length: -1", "1", false),
        ("a Content-Length that is not a number", "Content-Length: abc", "1", false),
        ("a Content-Length past 64 bits", "Content-Length: 99999999999999999999999", "1", false),
        ("a Content-Length with a plus sign", "Content-Length: +2", "12", false),
        ("a hexadecimal Content-Length", "Content-Length: 0x2", "12", false),
        ("a Content-Length longer than the body", "Content-Length: 100", "12", true),
        (
            "Content-Length and Transfer-Encoding both",
            "Content-Length: 2\r\nTransfer-Encoding: chunked",
            "2\r\n12\r\n0\r\n\r\n",
            false,
        ),
    ];
    for (path, base) in &posts {
        for &(what, length, body, cut) in &lengths {
            let mut headers = base.clone();
            headers.push(length.as_bytes().to_vec());
            out.push(raw_probe(
                format!("POST {path} with {what}"),
                request(b"POST", path.as_bytes(), b"HTTP/1.1", &head(headers), body.as_bytes()),
                Optional,
                cut,
            ));
        }
    }
    let broken_chunks = [
        ("a chunk size that is not hex", "zz\r\nhello\r\n0\r\n\r\n", false),
        ("a chunk size past 64 bits", "fffffffffffffffffffff\r\nhello\r\n0\r\n\r\n", false),
        ("control characters in a chunk extension", "5;\x00=\x1b\r\nhello\r\n0\r\n\r\n", false),
        ("a chunk longer than it says", "5\r\nhello, and more\r\n0\r\n\r\n", false),
        ("a negative chunk size", "-5\r\nhello\r\n0\r\n\r\n", false),
        ("a control character in a trailer", "0\r\nX-Trailer: \x00\r\n\r\n", false),
        ("a chunk cut short", "100\r\nshort", true),
        ("no last chunk", "5\r\nhello\r\n", true),
    ];
    let encodings = [
        "Transfer-Encoding: gzip, chunked",
        "Transfer-Encoding: chunked, gzip",
        "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked",
        "Transfer-Encoding: CHUNKED",
        "Transfer-Encoding: chunked\r\nContent-Length: 3",
        "Transfer-Encoding: x-unknown",
    ];
    let admin_form = vec![
        format!("Cookie: {}", session.cookie).into_bytes(),
        b"Content-Type: application/x-www-form-urlencoded".to_vec(),
    ];
    let chunked_to: [(&str, Vec<Vec<u8>>, String); 3] = [
        ("/beacon", lines(&["Content-Type: application/x-courant-view"]), "1".to_string()),
        ("/newsroom/login", login_headers.clone(), "email=a&password=b".to_string()),
        ("/newsroom/sections", admin_form.clone(), format!("csrf={}&name=Chunked+desk", session.csrf)),
    ];
    for (path, base, content) in &chunked_to {
        let valid = format!("{:x}\r\n{content}\r\n0\r\n\r\n", content.len());
        out.push(chunked(
            path,
            base,
            "Transfer-Encoding: chunked",
            valid.as_bytes(),
            Required,
            false,
            "a chunked body",
        ));
        for &(what, body, cut) in &broken_chunks {
            out.push(chunked(path, base, "Transfer-Encoding: chunked", body.as_bytes(), Optional, cut, what));
        }
        for &encoding in &encodings {
            out.push(chunked(path, base, encoding, valid.as_bytes(), Optional, false, "an odd transfer coding"));
        }
    }

    // Bodies over the limits (64 KB for the login form, 2 MB for the beacon, 4 MB for a form).
    let sizes: [(&str, &Vec<Vec<u8>>, usize); 2] =
        [("/newsroom/login", &login_headers, 100 * 1024), ("/newsroom/sections", &admin_form, 5 * 1024 * 1024)];
    for (path, base, size) in sizes {
        let mut headers = base.clone();
        headers.push(format!("Content-Length: {size}").into_bytes());
        out.push(raw_probe(
            format!("POST {path} with a {size}-byte form"),
            request(b"POST", path.as_bytes(), b"HTTP/1.1", &head(headers), &vec![b'a'; size]),
            Optional,
            false,
        ));
    }
    let beacon = lines(&["Content-Type: application/x-courant-view", "Content-Length: 3145728"]);
    out.push(raw_probe(
        "POST /beacon with a 3 MB body",
        request(b"POST", b"/beacon", b"HTTP/1.1", &head(beacon), &vec![b'1'; 3 * 1024 * 1024]),
        Optional,
        false,
    ));

    // The admin's forms with bytes no browser sends: NUL, invalid and overlong UTF-8, the
    // encoding of a surrogate, percent signs that encode nothing. Well-formed HTTP: answered.
    let raw_values: Vec<Vec<u8>> = vec![
        b"\xff\xfe".to_vec(),
        b"\x00\x00".to_vec(),
        b"%zz".to_vec(),
        b"%".to_vec(),
        b"%C3%28".to_vec(),
        b"%ED%A0%80".to_vec(),
        b"\xed\xa0\x80".to_vec(),
        b"caf\xe9".to_vec(),
        b"\x1b[31m".to_vec(),
        b"+++".to_vec(),
        b"%00%0B%1B%7F".to_vec(),
        b"\xf0\x9f\x98".to_vec(),
        b"=&=&=".to_vec(),
        b"\xef\xbf\xbe".to_vec(),
        b"\xc0\xaf".to_vec(),
        b"Plain words".to_vec(),
    ];
    let admin_forms: Vec<(String, &[&str])> = vec![
        ("/newsroom/sections".to_string(), &["name", "description", "parent", "position"][..]),
        ("/newsroom/authors".to_string(), &["name", "title", "bio"][..]),
        ("/newsroom/sources".to_string(), &["name", "url", "kind"][..]),
        (
            format!("/newsroom/articles/{}", k.draft),
            &["headline", "standfirst", "body", "section", "author", "tags", "version"][..],
        ),
        ("/newsroom/preview".to_string(), &["headline", "standfirst", "body", "related"][..]),
        (format!("/newsroom/articles/{}/corrections", k.story), &["text"][..]),
    ];
    for _ in 0..RAW_FORMS {
        let (path, names) = rng.pick(&admin_forms);
        let mut body = format!("csrf={}", session.csrf).into_bytes();
        for name in names.iter() {
            body.extend_from_slice(format!("&{name}=").as_bytes());
            for _ in 0..=rng.below(2) {
                body.extend_from_slice(rng.pick::<Vec<u8>>(&raw_values));
            }
        }
        let charset = *rng.pick(&["", "; charset=iso-8859-1", "; charset=\"utf-7\"", "; charset=*"]);
        let headers = vec![
            format!("Cookie: {}", session.cookie).into_bytes(),
            format!("Content-Type: application/x-www-form-urlencoded{charset}").into_bytes(),
            format!("Content-Length: {}", body.len()).into_bytes(),
        ];
        out.push(raw_probe(
            format!("POST {path} with raw bytes in its fields"),
            request(b"POST", path.as_bytes(), b"HTTP/1.1", &head(headers), &body),
            Required,
            false,
        ));
    }

    // Multipart bodies broken inside well-formed requests: answered, never a 500.
    let csrf_part =
        format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{}\r\n", session.csrf);
    let mut invalid_text = csrf_part.clone().into_bytes();
    invalid_text
        .extend_from_slice(format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"alt\"\r\n\r\n").as_bytes());
    invalid_text.extend_from_slice(b"\xff\xfe\x00\xed\xa0\x80");
    invalid_text.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    let multiparts: Vec<(&str, String, Vec<u8>)> = vec![
        ("a multipart body without its boundary", format!("boundary={BOUNDARY}"), b"no boundary here at all".to_vec()),
        ("a multipart type without a boundary", String::new(), csrf_part.clone().into_bytes()),
        (
            "a part never closed",
            format!("boundary={BOUNDARY}"),
            format!(
                "{csrf_part}--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.jpg\"\r\n\r\n\
                 half a picture"
            )
            .into_bytes(),
        ),
        (
            "a part without Content-Disposition",
            format!("boundary={BOUNDARY}"),
            format!("{csrf_part}--{BOUNDARY}\r\nContent-Type: image/jpeg\r\n\r\nxx\r\n--{BOUNDARY}--\r\n").into_bytes(),
        ),
        (
            "a file name with NUL and traversal",
            format!("boundary={BOUNDARY}"),
            format!(
                "{csrf_part}--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; \
                 filename=\"../../\x00evil.jpg\"\r\n\r\nxx\r\n--{BOUNDARY}--\r\n"
            )
            .into_bytes(),
        ),
        (
            "a part header 64 KB long",
            format!("boundary={BOUNDARY}"),
            format!(
                "{csrf_part}--{BOUNDARY}\r\nX-Big: {}\r\n\
                 Content-Disposition: form-data; name=\"file\"; filename=\"a.jpg\"\r\n\r\nxx\r\n--{BOUNDARY}--\r\n",
                "a".repeat(64 * 1024)
            )
            .into_bytes(),
        ),
        (
            "a field name with quotes and a CR",
            format!("boundary={BOUNDARY}"),
            format!(
                "{csrf_part}--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"a\"\r\"b\"\r\n\r\n\
                 xx\r\n--{BOUNDARY}--\r\n"
            )
            .into_bytes(),
        ),
        ("a text field of invalid UTF-8", format!("boundary={BOUNDARY}"), invalid_text),
    ];
    for (what, parameter, body) in multiparts {
        let content_type = if parameter.is_empty() {
            "Content-Type: multipart/form-data".to_string()
        } else {
            format!("Content-Type: multipart/form-data; {parameter}")
        };
        let headers = vec![
            format!("Cookie: {}", session.cookie).into_bytes(),
            content_type.into_bytes(),
            format!("Content-Length: {}", body.len()).into_bytes(),
        ];
        out.push(raw_probe(
            format!("POST /newsroom/media with {what}"),
            request(b"POST", b"/newsroom/media", b"HTTP/1.1", &head(headers), &body),
            Required,
            false,
        ));
    }

    // Generated: a method, a target, a version and a few headers, each odd now and then. A
    // request is `Required` to be answered when every part of it is well-formed HTTP.
    let methods = [
        ("GET", true),
        ("GET", true),
        ("HEAD", true),
        ("POST", true),
        ("PUT", true),
        ("DELETE", true),
        ("OPTIONS", true),
        ("PATCH", true),
        ("TRACE", true),
        ("PROPFIND", true),
        ("MKCOL", true),
        ("BREW", true),
        ("get", true),
        ("M-SEARCH", true),
        ("CONNECT", false),
        ("G\x00ET", false),
        ("GET GET", false),
    ];
    let mut targets: Vec<(Vec<u8>, bool)> = [
        "/",
        "/search?q=flood",
        "/%",
        "/%zz",
        "/%00",
        "/..%2f..%2fetc/passwd",
        "/static/../../Cargo.toml",
        "/media/..%2F..%2Fcourant.toml",
        "/media/../../courant.db",
        "//",
        "///etc/passwd",
        "http://evil.example/",
        "http://evil.example/newsroom/login",
        "*",
        "/search?q=%&page=%zz",
        "/api/v1/articles?limit=%FF&cursor=%",
        "/newsroom/..%2F..%2Fcourant.toml",
        "/static/%2e%2e/%2e%2e/Cargo.toml",
        "/tag/%C3%28",
        "/%F0%9F%98%80",
        "/?&&&==&=",
        "/newsroom/login",
        "/beacon",
        "/api/v1/search?q=%22((((",
    ]
    .iter()
    .map(|t| (t.as_bytes().to_vec(), true))
    .collect();
    targets.extend(
        ["/\x00", "/\x1b[31m", "/a\x7fb", "/#fragment", "search", "/a b", ""]
            .iter()
            .map(|t| (t.as_bytes().to_vec(), false)),
    );
    targets.extend([
        (b"/\xff\xfe".to_vec(), false),
        (b"/search?q=\xc3\x28".to_vec(), false),
        (b"/tag/\xed\xa0\x80".to_vec(), false),
        (b"/search?q=caf\xe9".to_vec(), false),
    ]);
    let versions = [
        ("HTTP/1.1", true),
        ("HTTP/1.0", true),
        ("HTTP/1.2", false),
        ("HTTP/2.0", false),
        ("HTTP/0.9", false),
        ("http/1.1", false),
        ("HTTP/1.1 extra", false),
        ("", false),
        ("HTTP/11", false),
        ("HTTP/1.1\x00", false),
    ];
    let mut extras: Vec<(Vec<u8>, bool)> = [
        ("X-Test: a\x00b", false),
        ("User-Agent: \x1b[2J\x1b[H", false),
        ("Referer: a\rb", false),
        ("Cookie: courant_session=\x00", false),
        ("Bad Header: x", false),
        ("NoColon", false),
        (": empty-name", false),
        ("X-Fold: a\r\n  folded", false),
        ("Content-Type: \x00", false),
        ("Host: \x00", false),
        ("Transfer-Encoding: identity", false),
        ("Expect: 101-bogus", false),
        ("Host: evil.example", true),
        ("Host:", true),
        ("Accept-Encoding: gzip;q=NaN, br;q=-1, *;q=99999", true),
        ("Accept-Encoding: identity;q=0, *;q=0", true),
        ("If-None-Match: *", true),
        ("If-None-Match: \"", true),
        ("If-Modified-Since: garbage", true),
        ("If-Modified-Since: Wed, 31 Dec 9999 23:59:59 GMT", true),
        ("Range: bytes=999999999999999999999-", true),
        ("Accept: */*;q=NaN", true),
        ("X-Forwarded-For: ::::, 999.999.999.999, \"", true),
        ("Sec-Fetch-Site: cross-site", true),
        ("Sec-Fetch-Dest: image", true),
        ("Content-Type: multipart/form-data; boundary=", true),
        ("Cookie: courant_session=;;;;=;", true),
        ("Cookie: courant_session=garbage", true),
        ("Accept-Language: *;q=2", true),
        ("X-Requested-With: \t", true),
    ]
    .iter()
    .map(|(line, ok)| (line.as_bytes().to_vec(), *ok))
    .collect();
    extras.push((b"X-Obs: caf\xe9 \xff\xfe".to_vec(), false));
    let raw_bodies: Vec<Vec<u8>> = vec![
        b"a=%zz&\xff=\x00".to_vec(),
        b"csrf=&name=\x1b[31m".to_vec(),
        b"{\"json\": true}".to_vec(),
        b"\x00\x01\x02".to_vec(),
        b"=".to_vec(),
        b"%".to_vec(),
    ];
    for _ in 0..RAW_GENERATED {
        let (method, method_ok) = *rng.pick(&methods);
        let (target, target_ok) = rng.pick(&targets).clone();
        let (version, version_ok) = if rng.one_in(4) { *rng.pick(&versions) } else { versions[0] };
        let mut well_formed = method_ok && target_ok && version_ok;
        let mut headers = Vec::new();
        for _ in 0..rng.below(4) {
            let (line, ok) = rng.pick(&extras).clone();
            well_formed &= ok;
            headers.push(line);
        }
        let body = if matches!(method, "POST" | "PUT" | "PATCH") { rng.pick(&raw_bodies).clone() } else { Vec::new() };
        if !body.is_empty() {
            headers.push(b"Content-Type: application/x-www-form-urlencoded".to_vec());
            headers.push(format!("Content-Length: {}", body.len()).into_bytes());
        }
        out.push(raw_probe(
            "generated",
            request(method.as_bytes(), &target, version.as_bytes(), &head(headers), &body),
            if well_formed { Required } else { Optional },
            false,
        ));
    }
    out
}

// ---- Requests through the HTTP client ---------------------------------------------------------

/// Percent-encodes every byte but the unreserved ones, as a careful client does.
fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A query string of up to four parameters: names the routes read and names they do not,
/// values out of range, hostile, up to 10 KB long, or broken in their percent-encoding.
fn query(rng: &mut Rng, texts: &Texts, k: &Known) -> String {
    let mut pairs = Vec::new();
    for _ in 0..rng.below(5) {
        let key = *rng.pick(QUERY_KEYS);
        let value = match rng.below(10) {
            0 => (*rng.pick(BROKEN_ENCODINGS)).to_string(),
            1 | 2 => encode(&texts.small(rng)),
            // Long, but within what an HTTP client sends as a URL (64 KB at most).
            3 => encode(&rng.pick::<String>(&texts.long).chars().take(4000).collect::<String>()),
            4 => encode(&k.section_slug),
            _ => encode(rng.pick::<&str>(QUERY_VALUES)),
        };
        pairs.push(format!("{key}={value}"));
    }
    pairs.join("&")
}

fn with_query(path: &str, query: &str) -> String {
    match (query.is_empty(), path.contains('?')) {
        (true, _) => path.to_string(),
        (false, true) => format!("{path}&{query}"),
        (false, false) => format!("{path}?{query}"),
    }
}

/// A path segment where a slug, a file name, an id or a token goes.
fn hostile_segment(rng: &mut Rng, texts: &Texts) -> String {
    if rng.one_in(3) { (*rng.pick(BROKEN_SEGMENTS)).to_string() } else { encode(&texts.small(rng)) }
}

/// A reader's requests: pages, feeds, media and the API with generated queries and odd
/// headers; other methods; beacons of every shape.
fn public_probes(rng: &mut Rng, texts: &Texts, k: &Known) -> Vec<Probe> {
    let s = &k.section_slug;
    let mut paths: Vec<String> = PUBLIC_PATHS.iter().map(|p| p.to_string()).collect();
    paths.extend([
        format!("/{s}"),
        format!("/{s}/rss.xml"),
        format!("/{s}/atom.xml"),
        format!("/{s}/feed.json"),
        format!("/author/{}", k.author_slug),
        format!("/author/{}/rss.xml", k.author_slug),
        k.story_path.clone(),
        format!("/api/v1/articles/{}", k.story),
        format!("/api/v1/articles/by-path?path={}", encode(&k.story_path)),
    ]);
    if let Some((_, slug)) = &k.tag {
        paths.push(format!("/tag/{slug}"));
        paths.push(format!("/tag/{slug}/atom.xml"));
    }
    if let Some((_, slug)) = &k.source {
        paths.push(format!("/source/{slug}"));
        paths.push(format!("/source/{slug}/feed.json"));
    }
    if let Some((_, file)) = &k.picture {
        for suffix in [
            "",
            ".w640.jpg",
            ".16x9.jpg",
            ".1x1-f1000-0.jpg",
            ".w99999.jpg",
            ".16x9-f1001-5.jpg",
            ".webp",
            ".w640.webp",
        ] {
            paths.push(format!("/media/{file}{suffix}"));
        }
    }
    // Where a slug, a file or an id goes, something else.
    let shapes = [
        "/{}".to_string(),
        "/tag/{}".into(),
        "/author/{}".into(),
        "/source/{}".into(),
        "/media/{}".into(),
        "/static/{}".into(),
        "/sitemaps/{}".into(),
        "/api/v1/articles/{}".into(),
        format!("/{s}/{{}}"),
        format!("/{s}/2026/13/45/{{}}"),
    ];

    let mut out: Vec<Probe> = Vec::new();
    for _ in 0..PUBLIC_GETS {
        let path = if rng.one_in(4) {
            rng.pick(&shapes).replace("{}", &hostile_segment(rng, texts))
        } else {
            rng.pick(&paths).clone()
        };
        let path = with_query(&path, &query(rng, texts, k));
        let method = if rng.one_in(10) { Method::HEAD } else { Method::GET };
        let mut probe = HttpProbe::new(Group::Public, method, path);
        for _ in 0..rng.below(3) {
            let &(name, value) = rng.pick(ODD_HEADERS);
            probe = probe.header(name, value);
        }
        if rng.one_in(50) {
            probe = probe.header("user-agent", "Mozilla/5.0 ".repeat(700));
        }
        out.push(probe.into());
    }

    // Methods the routes do not take, with small bodies (refused before they are read).
    let methods = [
        Method::PUT,
        Method::DELETE,
        Method::PATCH,
        Method::OPTIONS,
        Method::TRACE,
        Method::POST,
        Method::from_bytes(b"PROPFIND").expect("PROPFIND is a method name"),
        Method::from_bytes(b"BREW").expect("BREW is a method name"),
        Method::from_bytes(b"get").expect("get is a method name"),
    ];
    for _ in 0..OTHER_METHODS {
        let method = rng.pick(&methods).clone();
        let path = rng.pick(&paths).clone();
        let body = texts.small(rng).into_bytes();
        out.push(HttpProbe::new(Group::Public, method, path).body("application/octet-stream", body).into());
    }

    // The view beacon, with every content type and body but the one its script sends.
    let story = k.story.to_string();
    let bodies: Vec<Vec<u8>> = vec![
        Vec::new(),
        story.clone().into_bytes(),
        format!(" {story} \r\n").into_bytes(),
        b"1".to_vec(),
        b"-1".to_vec(),
        b"99999999999999999999".to_vec(),
        b"9223372036854775807".to_vec(),
        b"\x00\x00\x00".to_vec(),
        b"\xff\xfe\xfd".to_vec(),
        b"1;DROP TABLE views".to_vec(),
        vec![b'1'; 33],
        vec![b'a'; 100 * 1024],
    ];
    for _ in 0..BEACONS {
        let content_type = *rng.pick(BEACON_TYPES);
        let body = rng.pick(&bodies).clone();
        let mut probe = HttpProbe::new(Group::Public, Method::POST, "/beacon").body(content_type, body);
        if rng.one_in(3) {
            let &(name, value) = rng.pick(ODD_HEADERS);
            probe = probe.header(name, value);
        }
        out.push(probe.into());
    }
    out
}

/// The newsroom without a session: login forms of every shape, reset links that were never
/// issued, and the staff's forms (refused at the door, whatever they carry).
fn anonymous_probes(rng: &mut Rng, texts: &Texts, forms: &[FormSpec]) -> Vec<Probe> {
    let mut out: Vec<Probe> = Vec::new();
    let form_cookie = format!("courant_form={FORM_TOKEN}");
    for i in 0..LOGIN_JUNK {
        let mut fields = vec![("email".to_string(), texts.small(rng)), ("password".to_string(), texts.small(rng))];
        let probe = HttpProbe::new(Group::Anonymous, Method::POST, "/newsroom/login");
        let probe = if i < LOGINS_CHECKED {
            // Past the token check: the handler itself meets the hostile address and password.
            fields.push(("csrf".to_string(), FORM_TOKEN.to_string()));
            probe.header("cookie", form_cookie.as_str()).form(&fields)
        } else {
            match i % 7 {
                0 => {
                    fields.push(("csrf".to_string(), texts.small(rng)));
                    probe.form(&fields)
                }
                1 => {
                    fields.push(("csrf".to_string(), texts.small(rng)));
                    probe.header("cookie", form_cookie.as_str()).form(&fields)
                }
                2 => probe.body("multipart/form-data", b"--x\r\n\r\n".to_vec()),
                3 => {
                    let body = multipart_body(&fields, None);
                    probe.body(format!("multipart/form-data; boundary={BOUNDARY}"), body[..body.len() / 2].to_vec())
                }
                4 => probe.header("cookie", form_cookie.as_str()).body(
                    "application/x-www-form-urlencoded",
                    b"csrf=%zz&email=%FF%FE&password=\xff\x00&&&==".to_vec(),
                ),
                5 => probe.body("text/plain", texts.small(rng).into_bytes()),
                _ => probe.body("application/json", br#"{"email": "admin", "password": ["x"]}"#.to_vec()),
            }
        };
        out.push(probe.into());
    }
    for i in 0..RESET_JUNK {
        let path = format!("/newsroom/reset/{}", hostile_segment(rng, texts));
        if i % 3 == 0 {
            out.push(HttpProbe::new(Group::Anonymous, Method::GET, path).into());
            continue;
        }
        let fields = vec![
            ("csrf".to_string(), FORM_TOKEN.to_string()),
            ("password".to_string(), texts.small(rng)),
            ("password2".to_string(), texts.small(rng)),
        ];
        out.push(
            HttpProbe::new(Group::Anonymous, Method::POST, path)
                .header("cookie", form_cookie.as_str())
                .form(&fields)
                .into(),
        );
    }
    for i in 0..ANONYMOUS_POSTS {
        let spec = rng.pick(forms);
        // Small values only: the form is refused before its body is read.
        let fields = hostile_fields(rng, texts, spec, "", false);
        let mut probe = HttpProbe::new(Group::Anonymous, Method::POST, spec.path.clone());
        if i % 2 == 1 {
            probe = probe.header("cookie", "courant_session=garbage; courant_form=garbage");
        }
        out.push(probe.form(&fields).into());
    }
    out
}

// ---- The newsroom's forms as an admin ---------------------------------------------------------

/// A newsroom form: where it is posted, each field with a value it accepts (so that the hostile
/// value of another field is what the handler meets), and how many to send.
struct FormSpec {
    path: String,
    fields: Vec<(&'static str, String)>,
    /// Sent as multipart (as browsers send the editor) one time in three.
    multipart: bool,
    count: usize,
}

fn spec(path: impl Into<String>, fields: &[(&'static str, &str)], multipart: bool, count: usize) -> FormSpec {
    FormSpec { path: path.into(), fields: fields.iter().map(|(k, v)| (*k, v.to_string())).collect(), multipart, count }
}

/// Every form the test posts as an admin. Not the admin's own account, password or sessions
/// (the last login needs them), and nothing deleted but by ids that do not exist.
fn newsroom_forms(k: &Known) -> Vec<FormSpec> {
    let section = k.section.to_string();
    let author = k.author.to_string();
    let source = k.source.as_ref().map(|(id, _)| id.to_string()).unwrap_or_default();
    let picture = k.picture.as_ref().map(|(id, _)| id.to_string()).unwrap_or_default();
    let editor = [
        ("headline", "Hostile input story"),
        ("standfirst", "What happened when odd text arrived."),
        ("body", "A first paragraph.\n\nA second one, with **bold** words."),
        ("slug", ""),
        ("section", section.as_str()),
        ("author", author.as_str()),
        ("tags", "flood, weather"),
        ("source", source.as_str()),
        ("new_sources", ""),
        ("related", ""),
        ("hero_alt", "Grey water against a wall"),
        ("hero_caption", ""),
        ("hero_credit", ""),
        ("schedule_at", "2030-01-01T09:30"),
        ("intent", "save"),
        ("version", "1"),
    ];
    let mut preview = editor.to_vec();
    preview.push(("hero_image_id", picture.as_str()));
    let registry_section =
        [("name", "Hostile desk"), ("description", "Where odd input goes."), ("parent", ""), ("position", "0")];
    let mut forms = vec![
        spec("/newsroom/sections", &registry_section, false, 25),
        spec(
            format!("/newsroom/sections/{}", k.other_section),
            &[("name", "Renamed desk"), ("description", ""), ("parent", ""), ("position", "1")],
            false,
            25,
        ),
        spec(
            "/newsroom/authors",
            &[("name", "Ada Byline"), ("title", "Correspondent"), ("bio", "Writes about odd input."), ("photo_id", "")],
            false,
            25,
        ),
        spec(
            format!("/newsroom/authors/{}", k.author),
            &[("name", "Renamed Byline"), ("title", "Editor"), ("bio", ""), ("photo_id", picture.as_str())],
            false,
            25,
        ),
        spec(
            "/newsroom/sources",
            &[("name", "Wire Agency"), ("kind", "agency"), ("url", "https://wire.example")],
            false,
            25,
        ),
        spec("/newsroom/articles", &editor, true, 30),
        spec(format!("/newsroom/articles/{}", k.draft), &editor, true, 30),
        spec(format!("/newsroom/articles/{}/autosave", k.draft), &editor, false, 25),
        spec(format!("/newsroom/articles/{}", k.story), &editor, true, 20),
        spec(
            format!("/newsroom/articles/{}/corrections", k.story),
            &[("text", "The barrier is 4 metres high, not 3.")],
            false,
            25,
        ),
        spec(format!("/newsroom/articles/{}/hero", k.draft), &[("image_id", picture.as_str())], false, 10),
        spec("/newsroom/preview", &preview, true, 30),
        // "reader" is no role: the form is refused before a password is hashed for it (see
        // USERS_HASHED for the few that get further).
        spec(
            "/newsroom/users",
            &[("email", "new.member@newsroom.test.example"), ("name", "New Member"), ("role", "reader")],
            false,
            15,
        ),
        spec(
            format!("/newsroom/users/{}", k.member),
            &[("name", "Hostile Member"), ("role", "contributor"), ("author", ""), ("disabled", "")],
            false,
            20,
        ),
        spec(format!("/newsroom/users/{}/reset", k.member), &[("note", "")], false, 5),
        spec(
            "/newsroom/settings",
            &[
                ("title", "The Hostile Gazette"),
                ("description", "News, whatever you type."),
                ("home_section_stories", "4"),
                ("feed_items", "20"),
                ("ads_label", "Advertisement"),
                ("ads_height", "250"),
                ("ads_html", ""),
            ],
            false,
            20,
        ),
    ];
    if let Some((id, _)) = &k.source {
        forms.push(spec(
            format!("/newsroom/sources/{id}"),
            &[("name", "Renamed Agency"), ("url", "https://renamed.example"), ("kind", "newspaper")],
            false,
            25,
        ));
    }
    if let Some((id, _)) = &k.tag {
        forms.push(spec(format!("/newsroom/tags/{id}"), &[("name", "Renamed tag")], false, 20));
        forms.push(spec(format!("/newsroom/tags/{id}/merge"), &[("into", "Another tag")], false, 8));
    }
    if let Some((id, _)) = &k.picture {
        forms.push(spec(
            format!("/newsroom/media/{id}"),
            &[
                ("alt", "A grey sky"),
                ("caption", ""),
                ("credit", "Photo: Test Agency"),
                ("keywords", "sky, grey"),
                ("focal_x", "50"),
                ("focal_y", "50"),
            ],
            false,
            25,
        ));
    }
    forms
}

/// The fields of `spec` with at least one hostile value (often several), the CSRF token right
/// nearly always, and now and then a field sent twice or one no form has.
fn hostile_fields(rng: &mut Rng, texts: &Texts, spec: &FormSpec, csrf: &str, huge: bool) -> Vec<(String, String)> {
    let poisoned = rng.below(spec.fields.len());
    let mut fields = Vec::new();
    for (i, (name, good)) in spec.fields.iter().enumerate() {
        let value = if i == poisoned || rng.one_in(3) { texts.value(rng, huge) } else { good.clone() };
        fields.push((name.to_string(), value));
        if rng.one_in(12) {
            fields.push((name.to_string(), texts.value(rng, huge)));
        }
    }
    if rng.one_in(10) {
        fields.push((texts.small(rng), texts.value(rng, huge)));
    }
    let token = if rng.one_in(20) { texts.small(rng) } else { csrf.to_string() };
    let at = rng.below(fields.len() + 1);
    fields.insert(at, ("csrf".to_string(), token));
    fields
}

fn urlencoded(fields: &[(String, String)]) -> Vec<u8> {
    let mut body = form_urlencoded::Serializer::new(String::new());
    for (k, v) in fields {
        body.append_pair(k, v);
    }
    body.finish().into_bytes()
}

/// A `multipart/form-data` body with [`BOUNDARY`]: the fields, then a file (field, file name,
/// bytes) when given.
fn multipart_body(fields: &[(String, String)], file: Option<(&str, &str, &[u8])>) -> Vec<u8> {
    let mut body = Vec::new();
    for (k, v) in fields {
        body.extend_from_slice(
            format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n").as_bytes(),
        );
        body.extend_from_slice(v.as_bytes());
        body.extend_from_slice(b"\r\n");
    }
    if let Some((field, name, bytes)) = file {
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{name}\"\r\n\
                 Content-Type: application/octet-stream\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    body
}

/// A small JPEG, whole: uploaded with hostile texts, it is stored.
fn small_jpeg() -> Vec<u8> {
    let picture = courant_media::Picture::from_fn(64, 48, |x, y| {
        courant_media::Rgb([(x * 255 / 64) as u8, (y * 255 / 48) as u8, 128])
    });
    courant_media::encode_jpeg(&picture, 85).expect("encode a test JPEG").bytes
}

/// Files that are not the pictures they claim to be, and one that is.
fn upload_files() -> Vec<Vec<u8>> {
    let jpeg = small_jpeg();
    let mut png = vec![0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a];
    png.extend((0..200u16).map(|i| (i * 7) as u8));
    vec![
        b"not a picture at all".to_vec(),
        Vec::new(),
        jpeg[..jpeg.len() / 2].to_vec(),
        png,
        b"GIF89a".to_vec(),
        b"RIFF\x00\x00\x00\x00WEBPVP8 ".to_vec(),
        b"<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>".to_vec(),
        jpeg,
    ]
}

/// The admin's requests: every form with hostile values, uploads, routes' ids that do not
/// exist, pages with generated queries, and forms refused for their origin or token.
fn admin_probes(rng: &mut Rng, texts: &Texts, session: &Session, k: &Known, forms: &[FormSpec]) -> Vec<Probe> {
    let mut out: Vec<Probe> = Vec::new();
    let admin = |method: Method, path: String| {
        HttpProbe::new(Group::Admin, method, path).header("cookie", session.cookie.as_str())
    };
    let files = upload_files();
    let multipart_type = format!("multipart/form-data; boundary={BOUNDARY}");

    for spec in forms {
        for _ in 0..spec.count {
            let mut fields = hostile_fields(rng, texts, spec, &session.csrf, true);
            if rng.one_in(3)
                && let Some(intent) = fields.iter_mut().find(|(name, _)| name.as_str() == "intent")
            {
                intent.1 = (*rng.pick(INTENTS)).to_string();
            }
            let probe = admin(Method::POST, spec.path.clone());
            let probe = if spec.multipart && rng.one_in(3) {
                // Now and then a picture that is not one, under a hostile name.
                let file = if rng.one_in(2) { Some(rng.pick(&files).as_slice()) } else { None };
                let name = texts.small(rng);
                let body = multipart_body(&fields, file.map(|bytes| ("hero_file", name.as_str(), bytes)));
                probe.body(multipart_type.as_str(), body)
            } else {
                probe.form(&fields)
            };
            out.push(probe.into());
        }
    }

    // New users with a real role: their hostile address and name reach the store.
    for _ in 0..USERS_HASHED {
        let fields = vec![
            ("csrf".to_string(), session.csrf.clone()),
            ("email".to_string(), texts.small(rng)),
            ("name".to_string(), texts.any(rng)),
            ("role".to_string(), "contributor".to_string()),
        ];
        out.push(admin(Method::POST, "/newsroom/users".to_string()).form(&fields).into());
    }

    // Uploads: damaged files and a whole one, with hostile texts and file names.
    for i in 0..UPLOADS {
        let bytes = &files[i % files.len()];
        let mut fields = vec![("csrf".to_string(), session.csrf.clone())];
        for name in ["alt", "caption", "credit", "keywords", "pick"] {
            if rng.one_in(2) {
                fields.push((name.to_string(), texts.any(rng)));
            }
        }
        let file_name = if rng.one_in(2) { texts.small(rng) } else { "picture.jpg".to_string() };
        let body = multipart_body(&fields, Some(("file", file_name.as_str(), bytes.as_slice())));
        out.push(admin(Method::POST, "/newsroom/media".to_string()).body(multipart_type.as_str(), body).into());
    }

    // Ids that do not exist, or are not numbers. Small values: an unmatched path is answered
    // without its body being read.
    for _ in 0..JUNK_ID_POSTS {
        let id = *rng.pick(JUNK_IDS);
        let path = if rng.one_in(8) {
            format!("/newsroom/articles/{}/revisions/{id}/restore", k.draft)
        } else {
            rng.pick(ID_ROUTES).replace("{}", id)
        };
        let mut fields = vec![("csrf".to_string(), session.csrf.clone())];
        for _ in 0..=rng.below(3) {
            let name = *rng.pick(&["name", "text", "into", "image_id", "role", "alt", "headline", "version"]);
            fields.push((name.to_string(), texts.small(rng)));
        }
        out.push(admin(Method::POST, path).form(&fields).into());
    }

    // Pages with generated queries.
    let pages = [
        "/newsroom/".to_string(),
        "/newsroom/articles".into(),
        "/newsroom/articles/new".into(),
        "/newsroom/media".into(),
        "/newsroom/lookup/articles".into(),
        "/newsroom/lookup/pictures".into(),
        "/newsroom/audit".into(),
        "/newsroom/sections".into(),
        "/newsroom/tags".into(),
        "/newsroom/authors".into(),
        "/newsroom/sources".into(),
        "/newsroom/users".into(),
        "/newsroom/settings".into(),
        "/newsroom/account".into(),
        format!("/newsroom/articles/{}", k.draft),
        format!("/newsroom/articles/{}/revisions", k.draft),
        format!("/newsroom/articles/{}/diff", k.draft),
        format!("/newsroom/articles/{}", k.story),
        format!("/newsroom/users/{}", k.member),
        format!("/newsroom/sections/{}", k.section),
        format!("/newsroom/authors/{}", k.author),
    ];
    for _ in 0..ADMIN_GETS {
        let path = with_query(rng.pick::<String>(&pages), &query(rng, texts, k));
        out.push(admin(Method::GET, path).into());
    }

    // Forms from another site, or with a wrong token in the header: refused, never a 500.
    for i in 0..10 {
        let spec = rng.pick(forms);
        let fields = hostile_fields(rng, texts, spec, &session.csrf, false);
        let probe = admin(Method::POST, spec.path.clone());
        let probe = if i % 2 == 0 {
            probe.header("sec-fetch-site", "cross-site")
        } else {
            probe.header("x-csrf-token", "\u{1F600}x")
        };
        out.push(probe.form(&fields).into());
    }
    out
}

// ---- Sending and judging --------------------------------------------------------------------

/// Where the requests go.
struct Target {
    base: String,
    /// `127.0.0.1:PORT`
    addr: String,
    client: reqwest::Client,
}

/// What became of one request: its status (none when the connection closed without one), and
/// what went wrong, if anything, naming the request.
struct Outcome {
    group: Group,
    status: Option<u16>,
    failure: Option<String>,
}

async fn run(probe: Probe, target: &Target) -> Outcome {
    match probe {
        Probe::Raw(p) => run_raw(p, &target.addr).await,
        Probe::Http(p) => run_http(p, target).await,
    }
}

async fn run_raw(probe: RawProbe, addr: &str) -> Outcome {
    let sent = format!("Raw {}: {}", probe.what, shown(&probe.bytes, 240));
    let failed = |status: Option<u16>, why: String| Outcome {
        group: Group::Raw,
        status,
        failure: Some(format!("{sent}: {why}")),
    };
    let answer = match exchange(addr, &probe.bytes, probe.half_close).await {
        Ok(answer) => answer,
        Err(why) => return failed(None, why),
    };
    let statuses = statuses(&answer);
    if let Some(&bad) = statuses.iter().find(|s| **s >= 500) {
        return failed(Some(bad), format!("answered {bad}: {}", shown(&answer, 600)));
    }
    let status = statuses.iter().copied().find(|s| *s >= 200);
    match (status, probe.answer) {
        (Some(_), _) | (None, Answer::Optional) => Outcome { group: Group::Raw, status, failure: None },
        (None, Answer::Required) if answer.is_empty() => {
            failed(None, "the connection was closed without an answer (did a handler panic?)".to_string())
        }
        (None, Answer::Required) => failed(None, format!("no status line in the answer: {}", shown(&answer, 600))),
    }
}

/// Writes `bytes` on a new connection and reads until the server closes it, all within
/// [`RAW_TIMEOUT`].
async fn exchange(addr: &str, bytes: &[u8], half_close: bool) -> Result<Vec<u8>, String> {
    fn late(answer: &[u8]) -> String {
        format!("neither answered nor closed the connection within {RAW_TIMEOUT:?} (got {})", shown(answer, 300))
    }
    let deadline = tokio::time::Instant::now() + RAW_TIMEOUT;
    let mut stream = match tokio::time::timeout_at(deadline, TcpStream::connect(addr)).await {
        Ok(Ok(stream)) => stream,
        Ok(Err(e)) => return Err(format!("cannot connect: {e}")),
        Err(_) => return Err(late(&[])),
    };
    // A server that refuses early (431, 413) may close before all is written: what it
    // answered is read all the same.
    let written = matches!(tokio::time::timeout_at(deadline, stream.write_all(bytes)).await, Ok(Ok(())));
    if written && half_close {
        let _ = stream.shutdown().await;
    }
    let mut answer = Vec::new();
    let mut buf = vec![0u8; 16 * 1024];
    loop {
        match tokio::time::timeout_at(deadline, stream.read(&mut buf)).await {
            Err(_) => return Err(late(&answer)),
            Ok(Ok(0) | Err(_)) => return Ok(answer),
            Ok(Ok(n)) => answer.extend_from_slice(&buf[..n]),
        }
    }
}

/// The status of every answer in a raw exchange, in order (interim 1xx answers included).
fn statuses(answer: &[u8]) -> Vec<u16> {
    String::from_utf8_lossy(answer)
        .split("\r\n")
        .filter(|line| line.starts_with("HTTP/1."))
        .filter_map(|line| line.split(' ').nth(1)?.parse::<u16>().ok())
        .collect()
}

async fn run_http(probe: HttpProbe, target: &Target) -> Outcome {
    let sent = probe.sent();
    let group = probe.group;
    let mut request = target.client.request(probe.method, format!("{}{}", target.base, probe.path));
    for (name, value) in &probe.headers {
        request = request.header(*name, value.as_str());
    }
    if let Some(body) = probe.body {
        request = request.body(body);
    }
    let response = match request.send().await {
        Ok(response) => response,
        Err(e) => {
            let why = shown(chain(&e).as_bytes(), 300);
            return Outcome { group, status: None, failure: Some(format!("{sent}: no answer ({why})")) };
        }
    };
    let status = response.status().as_u16();
    let failure = match response.bytes().await {
        Err(e) => Some(format!("{sent}: answered {status}, then the body broke off ({})", chain(&e))),
        Ok(_) if status < 500 => None,
        Ok(body) => Some(format!("{sent}: answered {status}: {}", shown(&body, 600))),
    };
    Outcome { group, status: Some(status), failure }
}

/// An HTTP client that reports redirects instead of following them, and opens a connection per
/// request: a kept-alive connection the server closes as the next request starts would fail
/// that request for nothing.
fn hostile_client() -> reqwest::Client {
    courant_web::webhooks::ensure_tls();
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(HTTP_TIMEOUT)
        .pool_max_idle_per_host(0)
        .build()
        .expect("build an HTTP client")
}

/// An error with its causes, for failure messages ("error sending request: connection reset").
fn chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut source = e.source();
    while let Some(cause) = source {
        s.push_str(": ");
        s.push_str(&cause.to_string());
        source = cause.source();
    }
    s
}

/// The start of `bytes` as escaped text, for failure messages.
fn shown(bytes: &[u8], max: usize) -> String {
    let text = String::from_utf8_lossy(&bytes[..bytes.len().min(max)]);
    if bytes.len() > max { format!("{text:?}… ({} bytes)", bytes.len()) } else { format!("{text:?}") }
}

// ---- Logging in ---------------------------------------------------------------------------

/// A logged-in browser: its session cookie and the CSRF token its forms carry.
struct Session {
    /// `courant_session=...`
    cookie: String,
    csrf: String,
}

/// Logs in through the form as a browser does: the form's cookie and token, the password, the
/// session cookie from the answer, and the session's token from the account page.
async fn log_in(client: &reqwest::Client, base: &str, email: &str) -> Result<Session, String> {
    let form = client
        .get(format!("{base}/newsroom/login"))
        .send()
        .await
        .map_err(|e| format!("GET /newsroom/login: {}", chain(&e)))?;
    let status = form.status().as_u16();
    let form_cookie = cookie_set(form.headers(), "courant_form");
    let page = body_text(form).await;
    if status != 200 {
        return Err(format!("GET /newsroom/login answered {status}: {}", excerpt(&page)));
    }
    let form_cookie = form_cookie.ok_or_else(|| "GET /newsroom/login set no courant_form cookie".to_string())?;
    let csrf = csrf_in(&page).ok_or_else(|| format!("the login form has no csrf field: {}", excerpt(&page)))?;
    let body = form_urlencoded::Serializer::new(String::new())
        .extend_pairs([("csrf", csrf.as_str()), ("email", email), ("password", PASSWORD)])
        .finish();
    let r = client
        .post(format!("{base}/newsroom/login"))
        .header("cookie", format!("courant_form={form_cookie}"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .map_err(|e| format!("POST /newsroom/login: {}", chain(&e)))?;
    let status = r.status().as_u16();
    let token = cookie_set(r.headers(), "courant_session").filter(|t| !t.is_empty());
    let page = body_text(r).await;
    let Some(token) = token.filter(|_| status == 303) else {
        return Err(format!("POST /newsroom/login as {email} answered {status} without a session: {}", excerpt(&page)));
    };
    let cookie = format!("courant_session={token}");
    let account = client
        .get(format!("{base}/newsroom/account"))
        .header("cookie", cookie.as_str())
        .send()
        .await
        .map_err(|e| format!("GET /newsroom/account: {}", chain(&e)))?;
    let status = account.status().as_u16();
    let page = body_text(account).await;
    if status != 200 {
        return Err(format!("GET /newsroom/account answered {status}: {}", excerpt(&page)));
    }
    let csrf = csrf_in(&page).ok_or_else(|| format!("the account page carries no CSRF token: {}", excerpt(&page)))?;
    Ok(Session { cookie, csrf })
}

/// The value a response's `Set-Cookie` gives the cookie `name`.
fn cookie_set(headers: &reqwest::header::HeaderMap, name: &str) -> Option<String> {
    headers.get_all("set-cookie").iter().filter_map(|v| v.to_str().ok()).find_map(|v| {
        let (k, value) = v.split(';').next()?.trim().split_once('=')?;
        (k == name).then(|| value.to_string())
    })
}

/// The first non-empty `csrf` field of a page.
fn csrf_in(html: &str) -> Option<String> {
    let doc = scraper::Html::parse_document(html);
    let token = first(&doc, "input[name=csrf]").map(|e| attr(e, "value")).filter(|t| !t.is_empty());
    token
}

async fn body_text(response: reqwest::Response) -> String {
    match response.bytes().await {
        Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
        Err(e) => format!("<the body could not be read: {}>", chain(&e)),
    }
}

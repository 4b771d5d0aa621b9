//! The newsroom under `/newsroom/`: every route's role check, CSRF tokens, optimistic
//! concurrency, what contributors may not do, the publishing checklist, publishing and
//! unpublishing as readers see it, uploads, scheduled publishing across a restart, login
//! throttling and logging out everywhere.
//!
//! Requests are made like a browser would make them: forms are read from the pages (hidden
//! fields, selected options, textareas), cookies are sent by hand, nothing is followed
//! automatically. The store is read to check what changed, and what did not.
//!
//! Tests that make a story public run a server of their own: the shared server's home page,
//! listings and feeds are asserted exactly by other tests. Users are created per test with
//! unique addresses, so tests running side by side never share a session or a throttle.
//!
//! This file holds what the tests share: sessions, forms and requests, test pictures and the
//! routes' parameters; `server.rs` holds the server under test as they reach it. The tests, by
//! area: `roles.rs` (every route's role check, CSRF, what contributors may not do), `editing.rs`
//! (conflicts, the publishing checklist, publishing and unpublishing, scheduling, restoring a
//! revision), `drafting.rs` (the editor's checklist, a new story's autosave, previews with
//! the picture), `uploads.rs`, `accounts.rs` (logging in and out, reset links, the publication's
//! settings), `imports.rs` (importing an export from the newsroom), `publishing.rs` (issue
//! #19: refused schedules, times in the site's zone, outcome messages, bylines, the menu) and
//! `validity.rs` (the Nu Html Checker).

mod accounts;
mod drafting;
mod editing;
mod imports;
mod newsletters;
mod pages;
mod publishing;
mod roles;
mod server;
mod text;
mod uploads;
mod validity;
mod wire;

// The front page's tests (`tests/it/front.rs`) log in and post forms with these too.
pub(crate) use server::Server;

use crate::support::*;
use courant_core::ArticleId;
use scraper::Html;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};
use time::OffsetDateTime;

/// Every test user's password.
pub(crate) const PASSWORD: &str = "a long and correct test password";
/// The boundary of the multipart bodies built here (never part of the content sent).
const BOUNDARY: &str = "courant-test-boundary-5f0c1e9b7a24d8";

// ---- Sessions, forms and requests ---------------------------------------------------------

/// A logged-in user as a browser holds them: the cookie and the token their forms carry.
#[derive(Debug, Clone)]
pub(crate) struct Session {
    /// The whole `Cookie` header to send; empty for nobody.
    cookie: String,
    /// The session's CSRF token.
    pub(crate) csrf: String,
}

impl Session {
    /// Nobody: no cookie, no token.
    fn anonymous() -> Session {
        Session { cookie: String::new(), csrf: String::new() }
    }
}

/// The login form as a browser got it: its double-submit cookie and the same token in the form.
#[derive(Debug, Clone)]
struct LoginForm {
    /// `courant_form=...`
    cookie: String,
    csrf: String,
}

/// A form's fields in order, repeated names allowed.
pub(crate) type Fields = Vec<(String, String)>;

fn fields(pairs: &[(&str, &str)]) -> Fields {
    pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

/// Replaces every value of `name` by one `value` (where the first one was), as typing into a
/// field or choosing one option does.
fn set(fields: &mut Fields, name: &str, value: &str) {
    let at = fields.iter().position(|(k, _)| k == name);
    fields.retain(|(k, _)| k != name);
    let entry = (name.to_string(), value.to_string());
    match at {
        Some(i) => fields.insert(i.min(fields.len()), entry),
        None => fields.push(entry),
    }
}

pub(crate) fn with(mut fields: Fields, changes: &[(&str, &str)]) -> Fields {
    for (k, v) in changes {
        set(&mut fields, k, v);
    }
    fields
}

pub(crate) fn without(mut fields: Fields, name: &str) -> Fields {
    fields.retain(|(k, _)| k != name);
    fields
}

/// The first value of a field, empty when absent.
fn value_of(fields: &Fields, name: &str) -> String {
    fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()).unwrap_or_default()
}

/// What a browser would send for the form matching `form_css`, without pressing any button:
/// inputs (ticked boxes only, no files), textareas and the selected option of each select.
pub(crate) fn form_fields(html: &str, form_css: &str) -> Fields {
    let doc = Html::parse_document(html);
    let form =
        first(&doc, form_css).unwrap_or_else(|| panic!("no {form_css} on the page; it reads: {}", page_text(html)));
    let mut out = Vec::new();
    for el in select_in(form, "input, textarea, select") {
        let name = attr(el, "name");
        if name.is_empty() {
            continue;
        }
        match el.value().name() {
            "input" => {
                let kind = el.value().attr("type").unwrap_or("text").to_ascii_lowercase();
                match kind.as_str() {
                    "file" | "submit" | "button" | "image" | "reset" => {}
                    "checkbox" | "radio" => {
                        if el.value().attr("checked").is_some() {
                            out.push((name, el.value().attr("value").unwrap_or("on").to_string()));
                        }
                    }
                    _ => out.push((name, attr(el, "value"))),
                }
            }
            "textarea" => out.push((name, el.text().collect::<String>())),
            "select" => {
                let options = select_in(el, "option");
                let chosen = options.iter().find(|o| o.value().attr("selected").is_some()).or(options.first());
                out.push((name, chosen.map(|o| attr(*o, "value")).unwrap_or_default()));
            }
            _ => {}
        }
    }
    out
}

/// A file of a multipart form.
struct FilePart<'a> {
    field: &'a str,
    file_name: &'a str,
    content_type: &'a str,
    bytes: &'a [u8],
}

/// A `multipart/form-data` body with [`BOUNDARY`]: the fields, then the files.
fn multipart_body<K: AsRef<str>, V: AsRef<str>>(fields: &[(K, V)], files: &[FilePart<'_>]) -> Vec<u8> {
    let mut body = Vec::new();
    for (k, v) in fields {
        body.extend_from_slice(
            format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{}\"\r\n\r\n", k.as_ref()).as_bytes(),
        );
        body.extend_from_slice(v.as_ref().as_bytes());
        body.extend_from_slice(b"\r\n");
    }
    for f in files {
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{}\"; filename=\"{}\"\r\nContent-Type: {}\r\n\r\n",
                f.field, f.file_name, f.content_type
            )
            .as_bytes(),
        );
        body.extend_from_slice(f.bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    body
}

/// The value a response's `Set-Cookie` gives the cookie `name`.
fn cookie_set(r: &Resp, name: &str) -> Option<String> {
    r.headers.get_all("set-cookie").iter().filter_map(|v| v.to_str().ok()).find_map(|v| {
        let pair = v.split(';').next()?.trim();
        let (k, value) = pair.split_once('=')?;
        (k == name).then(|| value.to_string())
    })
}

fn set_cookies(r: &Resp) -> Vec<String> {
    r.headers.get_all("set-cookie").iter().map(|v| v.to_str().unwrap_or("<not text>").to_string()).collect()
}

/// The first `csrf` field of a page.
fn csrf_in(html: &str) -> Option<String> {
    let doc = Html::parse_document(html);
    let token = first(&doc, "input[name=csrf]").map(|e| attr(e, "value"));
    token
}

/// What a page says, for failure messages: the text of its `main`, else its start.
fn page_text(body: &str) -> String {
    let doc = Html::parse_document(body);
    let main = first(&doc, "main").map(text).filter(|t| !t.is_empty());
    match main {
        Some(t) => excerpt(&t),
        None => excerpt(body),
    }
}

/// "POST /path -> 403 (location: none): <what the page says>"
pub(crate) fn show(r: &Resp) -> String {
    format!("{} -> {} (location: {}): {}", r.path, r.status, r.header("location").unwrap_or("none"), page_text(&r.body))
}

/// The error messages a newsroom page shows.
fn errors_of(r: &Resp) -> String {
    let doc = r.html();
    let errors = select_all(&doc, ".errors li").into_iter().map(text).collect::<Vec<_>>().join(" | ");
    errors
}

fn to_login(r: &Resp) -> bool {
    r.status == 303 && r.header("location") == Some("/newsroom/login")
}

/// Whether any link of the page points at `path`.
fn links_to(r: &Resp, path: &str) -> bool {
    let doc = r.html();
    let found = select_all(&doc, "a[href]").into_iter().any(|a| attr(a, "href") == path);
    found
}

/// The article a redirect to `/newsroom/articles/{id}?done=...` names.
fn article_id_in(r: &Resp) -> ArticleId {
    let location = r.header("location").unwrap_or_default();
    let id = location
        .strip_prefix("/newsroom/articles/")
        .and_then(|rest| rest.split(['?', '/']).next())
        .and_then(|n| n.parse::<i64>().ok());
    ArticleId(id.unwrap_or_else(|| panic!("{}: expected a redirect to an article's editor", show(r))))
}

static SEQUENCE: AtomicUsize = AtomicUsize::new(0);

/// A name no other test (or earlier run against the same process) uses: `{tag}-{pid}-{n}-{ns}`.
fn unique(tag: &str) -> String {
    let n = SEQUENCE.fetch_add(1, Ordering::Relaxed);
    let nanos = OffsetDateTime::now_utc().unix_timestamp_nanos().rem_euclid(1_000_000_000);
    format!("{tag}-{}-{n}-{nanos}", std::process::id())
}

/// The hash of [`PASSWORD`], made once: argon2 is slow on purpose, and slower in debug builds.
async fn password_hash() -> String {
    static HASH: OnceLock<String> = OnceLock::new();
    if let Some(h) = HASH.get() {
        return h.clone();
    }
    let h = courant_newsroom::secrets::hash_password(PASSWORD.to_string()).await.expect("hash the test password");
    HASH.get_or_init(|| h).clone()
}

// ---- Pictures -----------------------------------------------------------------------------

/// A JPEG of a smooth pattern, different for each `seed`.
fn jpeg(width: u32, height: u32, seed: u32) -> Vec<u8> {
    let picture = courant_media::Picture::from_fn(width, height, |x, y| {
        courant_media::Rgb([
            (x * 255 / width) as u8,
            (y * 255 / height) as u8,
            ((x / 8 + y / 8 + (seed % 256) * 37) % 256) as u8,
        ])
    });
    courant_media::encode_jpeg(&picture, 85).expect("encode a test JPEG").bytes
}

/// The small gradient JPEG courant-media's own tests damage (truncate, patch) the same way.
fn gradient_jpeg() -> Vec<u8> {
    let picture = courant_media::Picture::from_fn(64, 48, |x, y| {
        courant_media::Rgb([(x * 255 / 64) as u8, (y * 255 / 48) as u8, 128])
    });
    courant_media::encode_jpeg(&picture, 85).expect("encode a test JPEG").bytes
}

/// A decompression bomb: a small file whose header claims 60,000 x 60,000 pixels.
fn bomb_of(jpeg: &[u8]) -> Vec<u8> {
    let mut bomb = jpeg.to_vec();
    let sof = bomb.windows(2).position(|w| w == [0xFF, 0xC0]).expect("a baseline JPEG has SOF0");
    bomb[sof + 5..sof + 7].copy_from_slice(&60_000u16.to_be_bytes());
    bomb[sof + 7..sof + 9].copy_from_slice(&60_000u16.to_be_bytes());
    bomb
}

/// `jpeg` with an EXIF segment (a TIFF header with one entry, Orientation = 1), as cameras and
/// phones write them, after the JFIF segment.
fn with_exif(jpeg: &[u8]) -> Vec<u8> {
    let tiff: [u8; 26] = [
        b'I', b'I', 0x2A, 0x00, 0x08, 0x00, 0x00, 0x00, // little-endian TIFF, first IFD at 8
        0x01, 0x00, // one entry
        0x12, 0x01, 0x03, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, // Orientation SHORT 1
        0x00, 0x00, 0x00, 0x00, // no next IFD
    ];
    let mut payload = b"Exif\0\0".to_vec();
    payload.extend_from_slice(&tiff);
    let mut segment = vec![0xFF, 0xE1];
    segment.extend_from_slice(&((payload.len() + 2) as u16).to_be_bytes());
    segment.extend_from_slice(&payload);
    let at = if jpeg.get(2..4) == Some(&[0xFF, 0xE0][..]) && jpeg.len() > 6 {
        4 + usize::from(u16::from_be_bytes([jpeg[4], jpeg[5]]))
    } else {
        2
    };
    let mut out = jpeg[..at].to_vec();
    out.extend_from_slice(&segment);
    out.extend_from_slice(&jpeg[at..]);
    out
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

// ---- The routes' parameters (see `roles::every_route_checks_its_role`) ----------------------

/// Real values for the parameters of the newsroom's routes.
#[derive(Debug, Clone)]
struct Ids {
    article: i64,
    page: i64,
    revision: i64,
    section: i64,
    tag: i64,
    author: i64,
    source: i64,
    image: i64,
    user: i64,
    wire: i64,
    feed: i64,
    newsletter: i64,
    edition: i64,
    subscriber: i64,
    token: String,
}

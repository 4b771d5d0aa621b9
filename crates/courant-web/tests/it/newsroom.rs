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

use crate::support::*;
use courant_core::{Article, ArticleDraft, ArticleId, ImageId, Role, Status, User, UserId, article_path};
use courant_store::{AuditEntry, NewUser, NewsroomFilter, Revision, Store};
use courant_web::newsroom::{Access, routes_spec};
use scraper::Html;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use time::OffsetDateTime;

/// Every test user's password.
const PASSWORD: &str = "a long and correct test password";
/// The boundary of the multipart bodies built here (never part of the content sent).
const BOUNDARY: &str = "courant-test-boundary-5f0c1e9b7a24d8";

// ---- Sessions, forms and requests ---------------------------------------------------------

/// A logged-in user as a browser holds them: the cookie and the token their forms carry.
#[derive(Debug, Clone)]
struct Session {
    /// The whole `Cookie` header to send; empty for nobody.
    cookie: String,
    /// The session's CSRF token.
    csrf: String,
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
type Fields = Vec<(String, String)>;

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

fn with(mut fields: Fields, changes: &[(&str, &str)]) -> Fields {
    for (k, v) in changes {
        set(&mut fields, k, v);
    }
    fields
}

fn without(mut fields: Fields, name: &str) -> Fields {
    fields.retain(|(k, _)| k != name);
    fields
}

/// The first value of a field, empty when absent.
fn value_of(fields: &Fields, name: &str) -> String {
    fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()).unwrap_or_default()
}

/// What a browser would send for the form matching `form_css`, without pressing any button:
/// inputs (ticked boxes only, no files), textareas and the selected option of each select.
fn form_fields(html: &str, form_css: &str) -> Fields {
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
fn show(r: &Resp) -> String {
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

// ---- The server under test ----------------------------------------------------------------

/// Where the store of a server lives: the shared server's runtime, or a server of the test's own.
#[derive(Clone)]
enum Backend {
    Shared,
    Own(Store),
}

/// A server reached over HTTP, with its store.
struct Server {
    base: String,
    backend: Backend,
    client: reqwest::Client,
}

impl Server {
    /// The server shared by the tests of this binary (see `support::app`).
    fn shared() -> Server {
        Server { base: app().base.clone(), backend: Backend::Shared, client: http_client() }
    }

    /// A server of the test's own (see `support::spawn_server`).
    fn own(spawned: Spawned) -> Server {
        Server { base: spawned.base, backend: Backend::Own(spawned.store), client: http_client() }
    }

    /// Runs `f(store)`; for the shared server on its runtime, where its pools live.
    async fn store<F, Fut, T>(&self, f: F) -> T
    where
        F: FnOnce(Store) -> Fut,
        Fut: Future<Output = T> + Send + 'static,
        T: Send + 'static,
    {
        match &self.backend {
            Backend::Shared => app().with_store(f).await,
            Backend::Own(store) => f(store.clone()).await,
        }
    }

    fn request(&self, method: reqwest::Method, session: &Session, path: &str) -> reqwest::RequestBuilder {
        let mut r = self.client.request(method, format!("{}{path}", self.base));
        if !session.cookie.is_empty() {
            r = r.header("cookie", session.cookie.as_str());
        }
        r
    }

    async fn send(&self, label: String, request: reqwest::RequestBuilder) -> Resp {
        let response = request.send().await.unwrap_or_else(|e| panic!("{label} failed before any answer: {e}"));
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let bytes = response.bytes().await.unwrap_or_else(|e| panic!("{label}: reading the body failed: {e}")).to_vec();
        Resp { path: label, status, headers, body: String::from_utf8_lossy(&bytes).into_owned(), bytes }
    }

    /// `GET path` with the session's cookie; redirects are not followed.
    async fn get(&self, session: &Session, path: &str) -> Resp {
        self.send(format!("GET {path}"), self.request(reqwest::Method::GET, session, path)).await
    }

    /// `POST path` with a URL-encoded form and the session's cookie (the form carries its own
    /// `csrf` field, or none).
    async fn post_form<K: AsRef<str>, V: AsRef<str>>(&self, session: &Session, path: &str, fields: &[(K, V)]) -> Resp {
        let mut body = form_urlencoded::Serializer::new(String::new());
        for (k, v) in fields {
            body.append_pair(k.as_ref(), v.as_ref());
        }
        let request = self
            .request(reqwest::Method::POST, session, path)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body.finish());
        self.send(format!("POST {path}"), request).await
    }

    /// `POST path` with a multipart form (fields, then files) and the session's cookie.
    async fn post_multipart<K: AsRef<str>, V: AsRef<str>>(
        &self,
        session: &Session,
        path: &str,
        fields: &[(K, V)],
        files: &[FilePart<'_>],
    ) -> Resp {
        let request = self
            .request(reqwest::Method::POST, session, path)
            .header("content-type", format!("multipart/form-data; boundary={BOUNDARY}"))
            .body(multipart_body(fields, files));
        self.send(format!("POST {path} (multipart)"), request).await
    }

    /// Posts a multipart upload of a `file_bytes`-byte file over a raw connection, as a browser
    /// does: the request head announces the length, then the body streams. Returns the status
    /// and the raw answer. (An HTTP client may report the connection the server closes after
    /// refusing early as an error and lose the answer; a socket keeps what arrived.)
    async fn post_oversize(&self, session: &Session, path: &str, file_bytes: usize) -> (u16, String) {
        let addr: SocketAddr = self
            .base
            .trim_start_matches("http://")
            .parse()
            .unwrap_or_else(|e| panic!("the server's address {}: {e}", self.base));
        let (cookie, csrf, path) = (session.cookie.clone(), session.csrf.clone(), path.to_string());
        tokio::task::spawn_blocking(move || {
            use std::io::{Read, Write};
            let head_part = format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n\
                 --{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"huge.jpg\"\r\n\
                 Content-Type: image/jpeg\r\n\r\n"
            );
            let tail = format!("\r\n--{BOUNDARY}--\r\n");
            let length = head_part.len() + file_bytes + tail.len();
            let request = format!(
                "POST {path} HTTP/1.1\r\nHost: {addr}\r\nCookie: {cookie}\r\n\
                 Content-Type: multipart/form-data; boundary={BOUNDARY}\r\nContent-Length: {length}\r\n\
                 Connection: close\r\n\r\n"
            );
            let mut stream = std::net::TcpStream::connect(addr)
                .unwrap_or_else(|e| panic!("raw POST {path}: cannot connect to {addr}: {e}"));
            stream.set_read_timeout(Some(Duration::from_secs(30))).ok();
            stream.set_write_timeout(Some(Duration::from_secs(30))).ok();
            stream.write_all(request.as_bytes()).unwrap_or_else(|e| panic!("raw POST {path}: sending the head: {e}"));
            let mut writer = stream.try_clone().expect("clone the socket");
            let sender = std::thread::spawn(move || {
                if writer.write_all(head_part.as_bytes()).is_err() {
                    return;
                }
                let chunk = vec![0xA5u8; 64 * 1024];
                let mut left = file_bytes;
                while left > 0 {
                    let n = left.min(chunk.len());
                    // The server may stop reading once it has refused: that ends the upload.
                    if writer.write_all(&chunk[..n]).is_err() {
                        return;
                    }
                    left -= n;
                }
                let _ = writer.write_all(tail.as_bytes());
            });
            let mut answer = Vec::new();
            let mut buf = [0u8; 16 * 1024];
            loop {
                match stream.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => answer.extend_from_slice(&buf[..n]),
                }
                // Stop once the whole answer is in, whatever the server does with the connection.
                let text = String::from_utf8_lossy(&answer).into_owned();
                if let Some((head, body)) = text.split_once("\r\n\r\n") {
                    let length = head.lines().find_map(|l| {
                        let (k, v) = l.split_once(':')?;
                        k.trim()
                            .eq_ignore_ascii_case("content-length")
                            .then(|| v.trim().parse::<usize>().ok())
                            .flatten()
                    });
                    if length.is_some_and(|n| body.len() >= n) {
                        break;
                    }
                }
            }
            let _ = stream.shutdown(std::net::Shutdown::Both);
            let _ = sender.join();
            let text = String::from_utf8_lossy(&answer).into_owned();
            let status = text.split_whitespace().nth(1).and_then(|s| s.parse::<u16>().ok()).unwrap_or(0);
            (status, text)
        })
        .await
        .expect("the raw upload's thread panicked")
    }

    /// Creates a user with [`PASSWORD`] who need not change it; returns them and their email.
    async fn new_user(&self, role: Role, tag: &str) -> (User, String) {
        let id = unique(tag);
        let email = format!("{id}@newsroom.test.example");
        let new = NewUser {
            email: email.clone(),
            name: format!("Test {role} {id}"),
            role,
            password_hash: password_hash().await,
            must_change_password: false,
            author_id: None,
        };
        let user = self
            .store(move |s| async move { s.insert_user(&new, None, OffsetDateTime::now_utc()).await })
            .await
            .unwrap_or_else(|e| panic!("insert the user {email}: {e}"));
        (user, email)
    }

    /// The login form: its double-submit cookie and token.
    async fn login_form(&self) -> LoginForm {
        let r = self.get(&Session::anonymous(), "/newsroom/login").await;
        assert_eq!(r.status, 200, "the login form should open: {}", show(&r));
        let token = cookie_set(&r, "courant_form")
            .unwrap_or_else(|| panic!("GET /newsroom/login set no courant_form cookie: {:?}", set_cookies(&r)));
        let csrf = csrf_in(&r.body).unwrap_or_else(|| panic!("the login form has no csrf field: {}", show(&r)));
        assert_eq!(csrf, token, "the login form's token should be its cookie's (double submit)");
        LoginForm { cookie: format!("courant_form={token}"), csrf }
    }

    /// Sends the login form.
    async fn post_login(&self, form: &LoginForm, email: &str, password: &str) -> Resp {
        let browser = Session { cookie: form.cookie.clone(), csrf: form.csrf.clone() };
        self.post_form(
            &browser,
            "/newsroom/login",
            &[("csrf", form.csrf.as_str()), ("email", email), ("password", password)],
        )
        .await
    }

    /// Logs in through the form: the session cookie from the answer, the session's CSRF token
    /// from the account page.
    async fn login(&self, email: &str, password: &str) -> Session {
        let form = self.login_form().await;
        let r = self.post_login(&form, email, password).await;
        assert_eq!(r.status, 303, "logging in as {email}: {}", show(&r));
        assert_eq!(r.header("location"), Some("/newsroom/"), "logging in as {email}: where it leads; {}", show(&r));
        let token = cookie_set(&r, "courant_session")
            .filter(|t| !t.is_empty())
            .unwrap_or_else(|| panic!("logging in as {email} set no session cookie: {:?}", set_cookies(&r)));
        let mut session = Session { cookie: format!("courant_session={token}"), csrf: String::new() };
        let account = self.get(&session, "/newsroom/account").await;
        assert_eq!(account.status, 200, "{email}'s account page: {}", show(&account));
        session.csrf = csrf_in(&account.body)
            .filter(|c| !c.is_empty())
            .unwrap_or_else(|| panic!("{email}'s account page carries no CSRF token: {}", show(&account)));
        session
    }

    /// The editor's form at `path` as a browser would send it unchanged.
    async fn editor_fields(&self, session: &Session, path: &str) -> Fields {
        let r = self.get(session, path).await;
        assert_eq!(r.status, 200, "the editor should open: {}", show(&r));
        form_fields(&r.body, "form#editor-form")
    }

    /// Opens an article's editor, changes fields (and chooses the button with `intent`), sends it.
    async fn save(&self, session: &Session, id: ArticleId, changes: &[(&str, &str)]) -> Resp {
        let path = format!("/newsroom/articles/{id}");
        let form = with(self.editor_fields(session, &path).await, changes);
        self.post_form(session, &path, &form).await
    }

    /// Opens "New article", fills it in and sends it (multipart, as the editor's form is).
    async fn create(&self, session: &Session, changes: &[(&str, &str)], files: &[FilePart<'_>]) -> ArticleId {
        let form = with(self.editor_fields(session, "/newsroom/articles/new").await, changes);
        let r = self.post_multipart(session, "/newsroom/articles", &form, files).await;
        assert_eq!(r.status, 303, "creating an article: {}", show(&r));
        article_id_in(&r)
    }

    /// A draft owned by `owner` with a standfirst, a body, a section and an author, but no
    /// picture, made through the store.
    async fn draft_owned_by(&self, owner: UserId, headline: &str) -> ArticleId {
        let headline = headline.to_string();
        self.store(move |s| async move {
            let section = s.sections().await.expect("list sections").first().map(|x| x.id).expect("a section");
            let author = s.authors().await.expect("list authors").first().map(|a| a.id).expect("an author");
            let draft = ArticleDraft {
                headline,
                standfirst: "What to know about this test draft.".into(),
                body: "A first paragraph.\n\nA second paragraph.".into(),
                section_id: Some(section),
                author_ids: vec![author],
                ..Default::default()
            };
            s.create_article(&draft, owner, OffsetDateTime::now_utc()).await.expect("create a draft")
        })
        .await
    }

    async fn article(&self, id: ArticleId) -> Article {
        self.store(move |s| async move { s.article(id).await })
            .await
            .unwrap_or_else(|e| panic!("load article {id}: {e}"))
            .unwrap_or_else(|| panic!("article {id} does not exist"))
    }

    async fn image_count(&self) -> i64 {
        self.store(|s| async move { s.counts().await }).await.expect("count what the store holds").images
    }

    /// The newest audit entry's id (0 for none).
    async fn audit_head(&self) -> i64 {
        let newest = self.store(|s| async move { s.audit_log(1, None).await }).await.expect("read the audit log");
        newest.first().map_or(0, |e| e.id)
    }

    /// Audit entries newer than `since`.
    async fn audit_since(&self, since: i64) -> Vec<AuditEntry> {
        let entries = self.store(|s| async move { s.audit_log(1000, None).await }).await.expect("read the audit log");
        entries.into_iter().filter(|e| e.id > since).collect()
    }

    /// What a refused request must not change, each part as text (so that a difference can
    /// be named): the article, its revisions, the registries, the picture and the user the
    /// routes name, and anything carrying `marker`.
    async fn snapshot(&self, ids: &Ids, marker: &str) -> Vec<(&'static str, String)> {
        let (ids, marker) = (ids.clone(), marker.to_string());
        self.store(move |s| async move {
            let article = ArticleId(ids.article);
            let counts = s.counts().await.expect("counts");
            let marked = NewsroomFilter { text: marker.clone(), ..Default::default() };
            vec![
                ("article", format!("{:?}", s.article(article).await.expect("load the article"))),
                ("revisions", format!("{:?}", s.revisions(article).await.expect("revisions"))),
                ("registry counts", format!("{:?}", (counts.sections, counts.authors, counts.tags, counts.sources))),
                ("sections", format!("{:?}", s.sections().await.expect("sections"))),
                ("tags", format!("{:?}", s.tags_with_counts().await.expect("tags"))),
                ("authors", format!("{:?}", s.authors().await.expect("authors"))),
                ("sources", format!("{:?}", s.sources().await.expect("sources"))),
                ("picture", format!("{:?}", s.image(ImageId(ids.image)).await.expect("picture"))),
                ("user", format!("{:?}", s.user(UserId(ids.user)).await.expect("user"))),
                (
                    "user with the marked email",
                    format!("{:?}", s.user_by_email(&marker_email(&marker)).await.expect("user")),
                ),
                (
                    "articles with the marked headline",
                    format!("{:?}", s.newsroom_articles(&marked, 5, 0).await.expect("articles").total),
                ),
            ]
        })
        .await
    }
}

fn marker_email(marker: &str) -> String {
    format!("{marker}@newsroom.test.example")
}

/// The parts of two snapshots that differ.
fn changed(before: &[(&'static str, String)], after: &[(&'static str, String)]) -> Vec<String> {
    before
        .iter()
        .zip(after)
        .filter(|(a, b)| a != b)
        .map(|((name, was), (_, now))| format!("{name} was {} and is now {}", excerpt(was), excerpt(now)))
        .collect()
}

// ---- Every route checks its role -----------------------------------------------------------

/// Real values for the parameters of the newsroom's routes.
#[derive(Debug, Clone)]
struct Ids {
    article: i64,
    revision: i64,
    section: i64,
    tag: i64,
    author: i64,
    source: i64,
    image: i64,
    user: i64,
    token: String,
}

/// A route's path with its parameters filled in (and two revisions to compare for a diff).
fn concrete(spec_path: &str, ids: &Ids) -> String {
    let families: [(&str, i64); 7] = [
        ("/newsroom/articles/", ids.article),
        ("/newsroom/media/", ids.image),
        ("/newsroom/sections/", ids.section),
        ("/newsroom/tags/", ids.tag),
        ("/newsroom/authors/", ids.author),
        ("/newsroom/sources/", ids.source),
        ("/newsroom/users/", ids.user),
    ];
    let mut path = spec_path.to_string();
    if path.contains("{id}") {
        let id = families.iter().find(|(prefix, _)| spec_path.starts_with(*prefix)).map(|(_, id)| *id).unwrap_or_else(
            || panic!("route {spec_path}: this test does not know what {{id}} names here; add it to `concrete`"),
        );
        path = path.replace("{id}", &id.to_string());
    }
    path = path.replace("{rev}", &ids.revision.to_string()).replace("{token}", &ids.token);
    assert!(!path.contains('{'), "route {spec_path}: a parameter is left in {path}; teach `concrete` about it");
    if path.ends_with("/diff") {
        path.push_str(&format!("?from={r}&to={r}", r = ids.revision));
    }
    path
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_route_checks_its_role() {
    let app = app();
    let f = &app.fixture;
    let server = Server::shared();
    let specs = routes_spec();
    assert!(specs.len() >= 40, "the newsroom should declare at least 40 routes, found {}: {specs:#?}", specs.len());
    for role in Role::ALL {
        assert!(specs.iter().any(|s| s.access == Access::Staff(role)), "no route needs the {role} role: {specs:#?}");
    }
    // The table itself follows the roles: users are for admins; registries, the audit
    // log and corrections for editors; only logging in and reset links are open to all.
    for spec in &specs {
        let needs = |prefixes: &[&str]| prefixes.iter().any(|p| spec.path.starts_with(p));
        let expected = if needs(&["/newsroom/users", "/newsroom/settings"]) {
            Some(Access::Staff(Role::Admin))
        } else if needs(&[
            "/newsroom/sections",
            "/newsroom/tags",
            "/newsroom/authors",
            "/newsroom/sources",
            "/newsroom/audit",
        ]) || spec.path.ends_with("/corrections")
        {
            Some(Access::Staff(Role::Editor))
        } else if needs(&["/newsroom/login", "/newsroom/reset/"]) {
            Some(Access::Anyone)
        } else {
            None
        };
        if let Some(expected) = expected {
            assert_eq!(spec.access, expected, "{} {}", spec.method, spec.path);
        } else {
            assert!(matches!(spec.access, Access::Staff(_)), "{} {} must need a login", spec.method, spec.path);
        }
    }

    let mut people: Vec<(Role, User, Session)> = Vec::new();
    for role in Role::ALL {
        let (user, email) = server.new_user(role, "routes").await;
        let session = server.login(&email, PASSWORD).await;
        people.push((role, user, session));
    }
    // An article the contributor owns: every role that may open articles can open this one.
    let owner = people[0].1.id;
    let article = server.draft_owned_by(owner, &format!("Route check draft {}", unique("routes"))).await;
    let revisions = server.store(move |s| async move { s.revisions(article).await }).await.expect("revisions");
    let revision = revisions.first().map(|r| r.id).expect("a new draft has its first revision");
    let hero = f.main.hero.as_ref().expect("fixture: the main article has a hero").id;
    let ids = Ids {
        article: article.0,
        revision,
        section: f.news.id.0,
        tag: f.tags[0].id.0,
        author: f.author.id.0,
        source: f.sources[0].id.0,
        image: hero.0,
        user: owner.0,
        token: "0123456789abcdef".repeat(4),
    };

    // What a refused post carries: every field some handler reads, with values it would act on.
    let marker = unique("forbidden");
    let email = marker_email(&marker);
    let version = server
        .store(move |s| async move { s.article_meta(article).await })
        .await
        .expect("article meta")
        .expect("the article exists")
        .version
        .to_string();
    let (section, author, image) = (ids.section.to_string(), ids.author.to_string(), ids.image.to_string());
    let other_tag = f.tags[1].name.clone();
    let form = |csrf: &str| -> Fields {
        fields(&[
            ("csrf", csrf),
            ("name", marker.as_str()),
            ("email", email.as_str()),
            ("role", "admin"),
            ("title", marker.as_str()),
            ("bio", marker.as_str()),
            ("url", "https://forbidden.example.org"),
            ("kind", "agency"),
            ("description", marker.as_str()),
            ("parent", ""),
            ("position", "1"),
            ("headline", marker.as_str()),
            ("standfirst", marker.as_str()),
            ("body", marker.as_str()),
            ("section", section.as_str()),
            ("author", author.as_str()),
            ("version", version.as_str()),
            ("intent", "publish"),
            ("text", marker.as_str()),
            ("into", other_tag.as_str()),
            ("current", PASSWORD),
            ("password", "another long password 123"),
            ("password2", "another long password 123"),
            ("image_id", image.as_str()),
            ("alt", marker.as_str()),
            ("caption", marker.as_str()),
            ("credit", marker.as_str()),
            ("keywords", marker.as_str()),
            ("photo_id", ""),
            ("disabled", "1"),
            ("focal_x", "10"),
            ("focal_y", "10"),
        ])
    };

    let anonymous = Session::anonymous();
    let (mut anonymous_posts, mut low_role_posts) = (0, 0);
    for spec in &specs {
        let path = concrete(spec.path, &ids);
        match (spec.method, spec.access) {
            ("GET", Access::Anyone) => {
                let everyone =
                    std::iter::once(("anonymous", &anonymous)).chain(people.iter().map(|(r, _, s)| (r.as_str(), s)));
                for (who, session) in everyone {
                    let r = server.get(session, &path).await;
                    assert!(
                        r.status != 403 && r.status < 500 && !to_login(&r),
                        "{who}: GET {} is open to anyone; {}",
                        spec.path,
                        show(&r)
                    );
                }
            }
            ("GET", Access::Staff(need)) => {
                let r = server.get(&anonymous, &path).await;
                assert!(
                    to_login(&r),
                    "anonymous GET {} (needs {need}): expected 303 to /newsroom/login; {}",
                    spec.path,
                    show(&r)
                );
                for (role, _, session) in &people {
                    let r = server.get(session, &path).await;
                    if *role >= need {
                        // Allowed: a page (or a redirect elsewhere than the login), never an error.
                        assert!(
                            r.status < 400 && !to_login(&r),
                            "{role}: GET {} (needs {need}) should answer; {}",
                            spec.path,
                            show(&r)
                        );
                    } else {
                        assert_eq!(
                            r.status,
                            403,
                            "{role}: GET {} (needs {need}) should be refused; {}",
                            spec.path,
                            show(&r)
                        );
                    }
                }
            }
            // The login and reset forms: their double-submitted token is checked in `csrf_is_required`.
            ("POST", Access::Anyone) => {}
            ("POST", Access::Staff(need)) => {
                let before = server.snapshot(&ids, &marker).await;
                let r = server.post_form(&anonymous, &path, &form("")).await;
                assert_eq!(r.status, 403, "anonymous POST {} (needs {need}); {}", spec.path, show(&r));
                let after = server.snapshot(&ids, &marker).await;
                assert!(
                    changed(&before, &after).is_empty(),
                    "anonymous POST {} was refused, yet: {:#?}",
                    spec.path,
                    changed(&before, &after)
                );
                anonymous_posts += 1;
                // Too low a role, with a valid token: refused, and nothing happens.
                for (role, user, session) in people.iter().filter(|(role, _, _)| *role < need) {
                    let head = server.audit_head().await;
                    let before = server.snapshot(&ids, &marker).await;
                    let r = server.post_form(session, &path, &form(&session.csrf)).await;
                    assert_eq!(r.status, 403, "{role}: POST {} (needs {need}); {}", spec.path, show(&r));
                    let after = server.snapshot(&ids, &marker).await;
                    let differences = changed(&before, &after);
                    assert!(differences.is_empty(), "{role}: POST {} was refused, yet: {differences:#?}", spec.path);
                    let logged: Vec<AuditEntry> = server
                        .audit_since(head)
                        .await
                        .into_iter()
                        .filter(|e| e.user_name.as_deref() == Some(user.name.as_str()))
                        .collect();
                    assert!(
                        logged.is_empty(),
                        "{role}: POST {} was refused, yet the audit log records: {logged:#?}",
                        spec.path
                    );
                    low_role_posts += 1;
                }
            }
            (method, _) => {
                panic!("route {method} {}: this test checks GET and POST routes only; teach it {method}", spec.path)
            }
        }
    }
    assert!(
        anonymous_posts > 0 && low_role_posts > 0,
        "refused posts checked: {anonymous_posts} anonymous, {low_role_posts} by too low a role"
    );
}

// ---- CSRF -----------------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn csrf_is_required() {
    let server = Server::shared();
    let (editor, email) = server.new_user(Role::Editor, "csrf").await;
    let session = server.login(&email, PASSWORD).await;
    let original = format!("CSRF check draft {}", unique("csrf"));
    let id = server.draft_owned_by(editor.id, &original).await;
    let path = format!("/newsroom/articles/{id}");
    let form = server.editor_fields(&session, &path).await;
    assert_eq!(value_of(&form, "csrf"), session.csrf, "the editor's form carries the session's token");

    let (_, other_email) = server.new_user(Role::Editor, "csrf-other").await;
    let other = server.login(&other_email, PASSWORD).await;
    let made_up = "f".repeat(64);
    let attempts = [
        ("without a token", without(with(form.clone(), &[("headline", "Changed without a token")]), "csrf")),
        (
            "with a made-up token",
            with(form.clone(), &[("headline", "Changed with a made-up token"), ("csrf", made_up.as_str())]),
        ),
        (
            "with another session's token",
            with(form.clone(), &[("headline", "Changed with another token"), ("csrf", other.csrf.as_str())]),
        ),
    ];
    for (how, attempt) in &attempts {
        let r = server.post_form(&session, &path, attempt).await;
        assert_eq!(r.status, 403, "saving {how}; {}", show(&r));
        assert_eq!(server.article(id).await.headline, original, "a save {how} was refused, yet the headline changed");
    }
    let saved = format!("CSRF check saved {}", unique("csrf"));
    let r = server.post_form(&session, &path, &with(form, &[("headline", saved.as_str())])).await;
    assert_eq!(r.status, 303, "saving with the session's token; {}", show(&r));
    assert_eq!(server.article(id).await.headline, saved, "a save with the right token is stored");

    // The login form: its token must come back in the form and in the cookie.
    let login = server.login_form().await;
    let r = server
        .post_form(
            &Session::anonymous(),
            "/newsroom/login",
            &[("csrf", login.csrf.as_str()), ("email", email.as_str()), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(r.status, 403, "a login without the courant_form cookie; {}", show(&r));
    assert!(cookie_set(&r, "courant_session").is_none(), "a refused login starts no session: {:?}", set_cookies(&r));
    let stranger = server.login_form().await;
    let mixed = LoginForm { cookie: login.cookie.clone(), csrf: stranger.csrf.clone() };
    let r = server.post_login(&mixed, &email, PASSWORD).await;
    assert_eq!(r.status, 403, "a login whose token is not its cookie's; {}", show(&r));
    assert!(cookie_set(&r, "courant_session").is_none(), "a refused login starts no session: {:?}", set_cookies(&r));
    let r = server.post_login(&login, &email, PASSWORD).await;
    assert_eq!(r.status, 303, "the same login with its cookie; {}", show(&r));
}

// ---- Optimistic concurrency -------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stale_version_is_a_conflict_and_keeps_both() {
    let server = Server::shared();
    let (editor, email) = server.new_user(Role::Editor, "conflict").await;
    let session = server.login(&email, PASSWORD).await;
    let id = server.draft_owned_by(editor.id, &format!("Conflict draft {}", unique("conflict"))).await;
    let path = format!("/newsroom/articles/{id}");
    // Two writers open the same version.
    let opened = server.editor_fields(&session, &path).await;
    let version: i64 = value_of(&opened, "version").parse().expect("the editor's version field is a number");
    let first_headline = format!("First writer saves this headline {}", unique("conflict"));
    let second_headline = format!("Second writer saves that headline {}", unique("conflict"));

    let r = server.post_form(&session, &path, &with(opened.clone(), &[("headline", first_headline.as_str())])).await;
    assert_eq!(r.status, 303, "the first save; {}", show(&r));
    let r = server.post_form(&session, &path, &with(opened, &[("headline", second_headline.as_str())])).await;
    assert_eq!(r.status, 409, "the second save, based on the version the first replaced; {}", show(&r));
    {
        let doc = r.html();
        let conflict = first(&doc, "section.conflict")
            .map(text)
            .unwrap_or_else(|| panic!("the 409 page has no section.conflict: {}", show(&r)));
        assert!(conflict.contains(&first_headline), "the conflict shows the saved version: {conflict:?}");
        assert!(conflict.contains(&second_headline), "the conflict shows the writer's version: {conflict:?}");
    }
    // The page's form holds the second writer's text over the saved version's number, so that
    // saving again (after merging) applies it.
    let again = form_fields(&r.body, "form#editor-form");
    assert_eq!(value_of(&again, "headline"), second_headline, "the 409 page keeps the writer's text in the form");
    assert_eq!(
        value_of(&again, "version"),
        (version + 1).to_string(),
        "the 409 page's form is based on the saved version"
    );

    let article = server.article(id).await;
    assert_eq!(article.headline, first_headline, "the first save stays; nothing was overwritten");
    let conflicts: Vec<Revision> = server
        .store(move |s| async move {
            let mut out = Vec::new();
            for info in s.revisions(id).await.expect("revisions").into_iter().filter(|r| r.conflict) {
                out.push(s.revision(id, info.id).await.expect("a revision").expect("a listed revision exists"));
            }
            out
        })
        .await;
    assert!(
        conflicts.iter().any(|r| r.content.headline == second_headline),
        "the refused save is kept as a conflict revision with its text: {conflicts:#?}"
    );
}

// ---- The workflow's permissions ------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn contributors_cannot_publish_by_crafting_requests() {
    let app = app();
    let server = Server::shared();
    let (contributor, email) = server.new_user(Role::Contributor, "contributor").await;
    let session = server.login(&email, PASSWORD).await;
    let headline = format!("Contributor draft {}", unique("contributor"));
    let id = server
        .create(
            &session,
            &[
                ("headline", headline.as_str()),
                ("standfirst", "A standfirst."),
                ("body", "A paragraph."),
                ("intent", "save"),
            ],
            &[],
        )
        .await;
    let meta = server.store(move |s| async move { s.article_meta(id).await }).await.expect("meta").expect("exists");
    assert_eq!(
        (meta.status, meta.owner_id),
        (Status::Draft, Some(contributor.id)),
        "the new draft is the contributor's"
    );
    {
        let r = server.get(&session, &format!("/newsroom/articles/{id}")).await;
        let doc = r.html();
        assert!(
            select_all(&doc, "button[name=intent][value=publish], button[name=intent][value=schedule]").is_empty(),
            "a contributor is offered no publish or schedule button: {}",
            show(&r)
        );
    }

    // The buttons they do not have, sent anyway.
    let in_an_hour = OffsetDateTime::now_utc() + time::Duration::hours(1);
    let schedule_at = format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}",
        in_an_hour.year(),
        u8::from(in_an_hour.month()),
        in_an_hour.day(),
        in_an_hour.hour(),
        in_an_hour.minute()
    );
    let head = server.audit_head().await;
    for changes in [vec![("intent", "publish")], vec![("intent", "schedule"), ("schedule_at", schedule_at.as_str())]] {
        let r = server.save(&session, id, &changes).await;
        assert_eq!(r.status, 403, "a contributor's crafted {changes:?}; {}", show(&r));
        let meta = server.store(move |s| async move { s.article_meta(id).await }).await.expect("meta").expect("exists");
        assert_eq!(meta.status, Status::Draft, "after a contributor's crafted {changes:?}");
    }
    let moves: Vec<AuditEntry> = server
        .audit_since(head)
        .await
        .into_iter()
        .filter(|e| e.article_id == Some(id) && matches!(e.action.as_str(), "published" | "scheduled"))
        .collect();
    assert!(moves.is_empty(), "refused moves are not logged as done: {moves:#?}");

    // What they may do: send it for review, and keep editing it there.
    let r = server.save(&session, id, &[("intent", "submit")]).await;
    assert_eq!(r.status, 303, "a contributor sends their draft for review; {}", show(&r));
    assert!(r.header("location").is_some_and(|l| l.contains("done=submitted")), "{}", show(&r));
    let meta = server.store(move |s| async move { s.article_meta(id).await }).await.expect("meta").expect("exists");
    assert_eq!(meta.status, Status::Review, "after submitting");
    let revised = format!("Contributor draft revised in review {}", unique("contributor"));
    let r = server.save(&session, id, &[("headline", revised.as_str()), ("intent", "save")]).await;
    assert_eq!(r.status, 303, "a contributor edits their article in review; {}", show(&r));
    let article = server.article(id).await;
    assert_eq!(
        (article.headline.as_str(), article.status),
        (revised.as_str(), Status::Review),
        "saved, still in review"
    );

    // Someone else's article: neither opened nor changed.
    let (editor, _) = server.new_user(Role::Editor, "contributor-other").await;
    let theirs_headline = format!("An editor's draft {}", unique("contributor"));
    let theirs = server.draft_owned_by(editor.id, &theirs_headline).await;
    let r = server.get(&session, &format!("/newsroom/articles/{theirs}")).await;
    assert_eq!(r.status, 403, "a contributor opens someone else's article; {}", show(&r));
    let section = app.fixture.news.id.0.to_string();
    let crafted = [
        ("csrf", session.csrf.as_str()),
        ("version", "1"),
        ("headline", "Taken over by a contributor"),
        ("section", section.as_str()),
        ("intent", "save"),
    ];
    let r = server.post_form(&session, &format!("/newsroom/articles/{theirs}"), &crafted).await;
    assert_eq!(r.status, 403, "a contributor saves someone else's article; {}", show(&r));
    assert_eq!(server.article(theirs).await.headline, theirs_headline, "someone else's article is unchanged");
    let r = server.get(&session, &format!("/newsroom/articles/{theirs}/revisions")).await;
    assert_eq!(r.status, 403, "a contributor reads someone else's revisions; {}", show(&r));
}

// ---- The publishing checklist -------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn publishing_refuses_incomplete_articles() {
    let app = app();
    let f = &app.fixture;
    let server = Server::shared();
    let (_, email) = server.new_user(Role::Editor, "incomplete").await;
    let session = server.login(&email, PASSWORD).await;
    let headline = format!("Story without a picture {}", unique("incomplete"));
    let (section, author) = (f.news.id.0.to_string(), f.author.id.0.to_string());
    let id = server
        .create(
            &session,
            &[
                ("headline", headline.as_str()),
                ("standfirst", "Everything but the picture."),
                ("body", "A first paragraph.\n\nA second paragraph."),
                ("section", section.as_str()),
                ("author", author.as_str()),
                ("intent", "save"),
            ],
            &[],
        )
        .await;

    let in_an_hour = OffsetDateTime::now_utc() + time::Duration::hours(1);
    let schedule_at = format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}",
        in_an_hour.year(),
        u8::from(in_an_hour.month()),
        in_an_hour.day(),
        in_an_hour.hour(),
        in_an_hour.minute()
    );
    for changes in [vec![("intent", "publish")], vec![("intent", "schedule"), ("schedule_at", schedule_at.as_str())]] {
        let r = server.save(&session, id, &changes).await;
        assert_eq!(r.status, 422, "{changes:?} on a story without a picture; {}", show(&r));
        let errors = errors_of(&r);
        assert!(
            errors.contains("a hero image"),
            "{changes:?}: the page should say a hero image is missing: {errors:?}"
        );
        let doc = r.html();
        let checklist = first(&doc, "section.checklist").map(text).unwrap_or_default();
        assert!(checklist.contains("a hero image"), "{changes:?}: the checklist lists the hero image: {checklist:?}");
        for present in ["a standfirst", "a body", "at least one author"] {
            assert!(
                !checklist.contains(present),
                "{changes:?}: the checklist lists {present:?}, which the story has: {checklist:?}"
            );
        }
        let article = server.article(id).await;
        assert_eq!((article.status, article.published_at), (Status::Draft, None), "after {changes:?}: still a draft");
    }
    let article = server.article(id).await;
    let guess = article_path(&f.news.slug, OffsetDateTime::now_utc(), &article.slug);
    let r = app.get(&guess).await;
    assert_eq!(r.status, 404, "the refused story does not exist for readers; {}", r.describe());
    assert!(!r.body.contains(&headline), "GET {guess}: the headline leaked into the 404 page");
}

// ---- Publishing and unpublishing, as readers see it ------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn publish_then_unpublish_is_visible_at_once() {
    // Its own server: the shared one's home page and feeds are asserted exactly elsewhere.
    let mut options = courant_demo::DemoOptions::new(8, OffsetDateTime::now_utc());
    options.picture_pool = 2;
    let server = Server::own(spawn_server(courant::Config::default(), options));
    let anonymous = Session::anonymous();
    let (_, email) = server.new_user(Role::Editor, "publish").await;
    let session = server.login(&email, PASSWORD).await;
    let (section, author) = server
        .store(|s| async move {
            let section = s.sections().await.expect("sections").into_iter().find(|x| x.parent_id.is_none());
            let author = s.authors().await.expect("authors").into_iter().next();
            (section.expect("the demo has a top-level section"), author.expect("the demo has an author"))
        })
        .await;

    const SUBHEADING: &str = "Why the works took two years";
    const ATTRIBUTION: &str = "Ana Ribeiro, transport councillor";
    const ALT: &str = "A green tram on rails along the harbour wall";
    const CAPTION: &str = "The first tram of the morning on the harbour line";
    const CREDIT: &str = "Photo: Test Agency";
    let headline = format!("Harbour tram line reopens {}", unique("publish"));
    let body = format!(
        "The tram line along the harbour reopened on Monday after two years of works.\n\n\
         ## {SUBHEADING}\n\n\
         Crews replaced the rails and the overhead wires.\n\n\
         > The harbour has its tram back.\n>\n> — {ATTRIBUTION}\n\n\
         Trams run every ten minutes."
    );
    let (section_id, author_id) = (section.id.0.to_string(), author.id.0.to_string());
    let picture = jpeg(800, 450, 11);
    let id = server
        .create(
            &session,
            &[
                ("headline", headline.as_str()),
                ("standfirst", "Trams run again along the harbour from today."),
                ("body", body.as_str()),
                ("section", section_id.as_str()),
                ("author", author_id.as_str()),
                ("hero_alt", ALT),
                ("hero_caption", CAPTION),
                ("hero_credit", CREDIT),
                ("intent", "save"),
            ],
            &[FilePart { field: "hero_file", file_name: "tram.jpg", content_type: "image/jpeg", bytes: &picture }],
        )
        .await;
    let draft = server.article(id).await;
    let hero = draft.hero.as_ref().unwrap_or_else(|| panic!("the uploaded picture is the draft's hero: {draft:#?}"));
    assert_eq!((hero.alt.as_str(), hero.caption.as_str(), hero.credit.as_str()), (ALT, CAPTION, CREDIT));

    let r = server.save(&session, id, &[("intent", "publish")]).await;
    assert_eq!(r.status, 303, "publishing a complete story; {}", show(&r));
    assert!(r.header("location").is_some_and(|l| l.contains("done=published")), "{}", show(&r));
    let article = server.article(id).await;
    assert_eq!(article.status, Status::Published);
    let path = article.path().expect("a published story has an address");

    // At once: the story, the home page, its section and the feed.
    let page = server.get(&anonymous, &path).await;
    assert_eq!(page.status, 200, "the published story; {}", show(&page));
    {
        let doc = page.html();
        let h1 = first(&doc, "h1.headline").map(text).unwrap_or_default();
        assert_eq!(h1, headline, "GET {path}: the headline");
        let subheadings: Vec<String> = select_all(&doc, ".article-body h2").into_iter().map(text).collect();
        assert!(subheadings.iter().any(|h| h == SUBHEADING), "GET {path}: the body's subheading: {subheadings:?}");
        let quote = first(&doc, ".article-body figure.quote figcaption").map(text).unwrap_or_default();
        assert!(quote.contains(ATTRIBUTION), "GET {path}: the quote's attribution: {quote:?}");
        let caption = first(&doc, "figure.hero figcaption").map(text).unwrap_or_default();
        assert!(
            caption.contains(CAPTION) && caption.contains(CREDIT),
            "GET {path}: the hero's caption and credit: {caption:?}"
        );
        let alt = first(&doc, "figure.hero img").map(|i| attr(i, "alt")).unwrap_or_default();
        assert_eq!(alt, ALT, "GET {path}: the hero's alt text");
    }
    let home = server.get(&anonymous, "/").await;
    assert_eq!(home.status, 200, "{}", show(&home));
    assert!(links_to(&home, &path) && home.body.contains(&headline), "the home page shows the new story at once");
    let listing = server.get(&anonymous, &format!("/{}", section.slug)).await;
    assert_eq!(listing.status, 200, "{}", show(&listing));
    assert!(links_to(&listing, &path), "the section page /{} lists the new story at once", section.slug);
    let feed = server.get(&anonymous, "/rss.xml").await;
    assert_eq!(feed.status, 200, "{}", feed.describe());
    assert!(feed.body.contains(&headline) && feed.body.contains(&path), "/rss.xml carries the new story at once");

    // Unpublished: gone at once.
    let r = server.save(&session, id, &[("intent", "unpublish")]).await;
    assert_eq!(r.status, 303, "unpublishing; {}", show(&r));
    let gone = server.get(&anonymous, &path).await;
    assert_eq!(gone.status, 410, "an unpublished story's address; {}", show(&gone));
    let home = server.get(&anonymous, "/").await;
    assert!(
        !links_to(&home, &path) && !home.body.contains(&headline),
        "the home page drops an unpublished story at once"
    );
    let feed = server.get(&anonymous, "/rss.xml").await;
    assert!(!feed.body.contains(&path), "/rss.xml drops an unpublished story at once");

    // Republished and corrected: the correction shows at the story's foot.
    let r = server.save(&session, id, &[("intent", "publish")]).await;
    assert_eq!(r.status, 303, "republishing; {}", show(&r));
    assert_eq!(
        server.article(id).await.path().as_deref(),
        Some(path.as_str()),
        "a republished story keeps its address"
    );
    assert_eq!(server.get(&anonymous, &path).await.status, 200, "the republished story is back");
    let correction = "An earlier version of this story gave the wrong frequency: trams run every ten minutes.";
    let r = server
        .post_form(
            &session,
            &format!("/newsroom/articles/{id}/corrections"),
            &[("csrf", session.csrf.as_str()), ("text", correction)],
        )
        .await;
    assert_eq!(r.status, 303, "publishing a correction; {}", show(&r));
    let page = server.get(&anonymous, &path).await;
    assert_eq!(page.status, 200, "{}", show(&page));
    let doc = page.html();
    let corrections = first(&doc, "section.corrections").map(text).unwrap_or_default();
    assert!(corrections.contains(correction), "GET {path}: the correction at the story's foot: {corrections:?}");
}

// ---- Uploads ---------------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn uploads_are_checked_and_leave_the_store_unchanged() {
    let app = app();
    let server = Server::shared();
    // Contributors upload too. (This is the only test that uploads to the shared server, so its
    // picture count is this test's to compare.)
    let (user, email) = server.new_user(Role::Contributor, "uploads").await;
    let session = server.login(&email, PASSWORD).await;
    let before = server.image_count().await;
    let texts = [
        ("csrf", session.csrf.as_str()),
        ("alt", "A test picture of a gradient"),
        ("caption", "A gradient"),
        ("credit", "Photo: Test"),
        ("keywords", "test, gradient"),
    ];
    let gradient = gradient_jpeg();
    let bad: [(&str, &str, Vec<u8>, Option<&str>); 3] = [
        ("a text file named photo.jpg", "photo.jpg", b"Dear editor, this is not a picture.\n".to_vec(), Some("JPEG")),
        ("a decompression bomb", "bomb.jpg", bomb_of(&gradient), Some("pixels")),
        ("a truncated JPEG", "truncated.jpg", gradient[..gradient.len() / 3].to_vec(), None),
    ];
    for (what, name, bytes, says) in &bad {
        let file = FilePart { field: "file", file_name: name, content_type: "image/jpeg", bytes: bytes.as_slice() };
        let r = server.post_multipart(&session, "/newsroom/media", &texts, &[file]).await;
        assert_eq!(r.status, 422, "uploading {what}; {}", show(&r));
        let errors = errors_of(&r);
        assert!(errors.contains(*name), "uploading {what}: the message should name the file: {errors:?}");
        if let Some(word) = says {
            assert!(errors.contains(*word), "uploading {what}: the message should mention {word}: {errors:?}");
        }
    }
    let (status, answer) = server.post_oversize(&session, "/newsroom/media", 21 * 1024 * 1024).await;
    assert_eq!(status, 413, "uploading 21 MB (over newsroom.max_upload_mb = 20): {}", excerpt(&answer));
    assert_eq!(server.image_count().await, before, "refused uploads leave the store's pictures as they were");

    let picture = with_exif(&jpeg(640, 400, 29));
    assert!(contains(&picture, b"Exif"), "test setup: the upload carries EXIF");
    let file = FilePart { field: "file", file_name: "harbour.jpg", content_type: "image/jpeg", bytes: &picture };
    let r = server.post_multipart(&session, "/newsroom/media", &texts, &[file]).await;
    assert_eq!(r.status, 303, "uploading a JPEG; {}", show(&r));
    let location = r.header("location").unwrap_or_default().to_string();
    let id: i64 = location
        .strip_prefix("/newsroom/media/")
        .and_then(|rest| rest.split('?').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("an upload leads to its picture's page: {}", show(&r)));
    assert_eq!(server.image_count().await, before + 1, "one upload, one picture more");
    let courant_store::StoredImage { image, uploaded_by: by } = server
        .store(move |s| async move { s.image(ImageId(id)).await })
        .await
        .expect("load the picture")
        .unwrap_or_else(|| panic!("picture {id} was just uploaded"));
    assert_eq!(by, Some(user.id), "the picture records who uploaded it");
    assert_eq!((image.width, image.height), (640, 400));
    assert_eq!(image.alt, "A test picture of a gradient");
    let served = app.get(&format!("/media/{}", image.file)).await;
    served.expect_status(200);
    assert!(
        served.bytes.starts_with(&[0xFF, 0xD8]),
        "the served picture is a JPEG: {:02X?}",
        &served.bytes[..served.bytes.len().min(8)]
    );
    assert!(!contains(&served.bytes, b"Exif"), "the served picture carries no EXIF");
}

// ---- Scheduled publishing ------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scheduled_articles_publish_once_also_after_a_restart() {
    let dir = tempfile::tempdir().expect("a temporary data folder");
    let config = courant::Config::default();
    let now = OffsetDateTime::now_utc();
    let state = courant::open(dir.path(), &config)
        .await
        .unwrap_or_else(|e| panic!("courant::open({}) failed: {e:#}", dir.path().display()));
    let store = state.store.clone();
    let mut options = courant_demo::DemoOptions::new(12, now);
    options.picture_pool = 2;
    courant_demo::generate(&store, &courant::media_dir(dir.path()), &options, &|_, _, _| {})
        .await
        .expect("generate the demo publication");

    // A complete published story lends its section, bylines and picture to a new one.
    let mut model = None;
    for s in store.published(&courant_store::ArticleFilter::All, 12, 0).await.expect("published stories").items {
        let a = store.article(s.id).await.expect("load a story").expect("a listed story exists");
        if courant_core::publish_problems(&a).is_empty() {
            model = Some(a);
            break;
        }
    }
    let model = model.expect("the demo has a complete published story");
    let marker = unique("scheduled");
    let owner = store
        .insert_user(
            &NewUser {
                email: format!("{marker}@newsroom.test.example"),
                name: format!("Scheduling editor {marker}"),
                role: Role::Editor,
                password_hash: password_hash().await,
                must_change_password: false,
                author_id: None,
            },
            None,
            now,
        )
        .await
        .expect("insert the story's owner");
    let draft = ArticleDraft {
        headline: format!("Night ferry returns to the timetable {marker}"),
        standfirst: "The night ferry is back from the first of the month.".into(),
        body: "The operator confirmed the crossings on Friday.\n\nTickets go on sale next week.".into(),
        section_id: Some(model.section.id),
        author_ids: model.authors.iter().map(|a| a.id).collect(),
        hero_image_id: model.hero.as_ref().map(|h| h.id),
        ..Default::default()
    };
    let id = store.create_article(&draft, owner.id, now).await.expect("create the story");
    let due = OffsetDateTime::now_utc() + time::Duration::seconds(2);
    store.move_article(id, Status::Scheduled, None, OffsetDateTime::now_utc(), Some(due)).await.expect("schedule it");
    let scheduled = store.article(id).await.expect("load the story").expect("it exists");
    assert_eq!(scheduled.status, Status::Scheduled);
    assert!(
        courant_core::publish_problems(&scheduled).is_empty(),
        "test setup: the story is complete: {:?}",
        courant_core::publish_problems(&scheduled)
    );
    let path = scheduled.path().expect("a scheduled story has its date");

    // The server stops before the time comes, and the time passes while none runs.
    store.close().await;
    drop(store);
    drop(state);
    tokio::time::sleep(Duration::from_secs(3)).await;

    let state = courant::open(dir.path(), &config).await.expect("open the data folder again");
    let store = state.store.clone();
    let meta = store.article_meta(id).await.expect("article meta").expect("the story exists");
    assert_eq!(meta.status, Status::Scheduled, "nothing publishes while no server runs");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind a loopback port");
    let base = format!("http://{}", listener.local_addr().expect("the listener's address"));
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let serving = tokio::spawn(courant::serve_with(listener, state, config.clone(), async move {
        let _ = stopped.await;
    }));
    let started = Instant::now();
    let client = http_client();
    loop {
        let status = match client.get(format!("{base}{path}")).send().await {
            Ok(r) => r.status().as_u16(),
            Err(_) => 0,
        };
        if status == 200 {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_millis(1500),
            "GET {path} still answers {status} {:?} after the restart: a story whose time passed while the \
             server was down must go live when it starts",
            started.elapsed()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let published = |log: Vec<AuditEntry>| -> Vec<AuditEntry> {
        log.into_iter().filter(|e| e.article_id == Some(id) && e.action == "published").collect()
    };
    let once = published(store.audit_log(1000, None).await.expect("the audit log"));
    assert_eq!(once.len(), 1, "the story was published exactly once: {once:#?}");
    let again = store.publish_due(OffsetDateTime::now_utc()).await.expect("publish what is due");
    assert!(again.is_empty(), "nothing is left to publish: {again:?}");
    let still = published(store.audit_log(1000, None).await.expect("the audit log"));
    assert_eq!(still.len(), 1, "still published exactly once: {still:#?}");

    drop(client);
    let _ = stop.send(());
    serving.await.expect("the server's task").expect("the server stops cleanly");
}

// ---- Logging in and out ----------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn five_failed_logins_refuse_even_the_right_password() {
    let server = Server::shared();
    let (_, email) = server.new_user(Role::Contributor, "throttle").await;
    let form = server.login_form().await;
    for attempt in 1..=5 {
        let r = server.post_login(&form, &email, "not the right password at all").await;
        assert_eq!(r.status, 401, "wrong password, attempt {attempt}; {}", show(&r));
        assert!(page_text(&r.body).contains("do not match"), "attempt {attempt}: {}", show(&r));
    }
    let r = server.post_login(&form, &email, PASSWORD).await;
    assert_eq!(r.status, 401, "the right password after five failures; {}", show(&r));
    assert!(page_text(&r.body).contains("Too many failed attempts"), "the page says why: {}", show(&r));
    assert!(cookie_set(&r, "courant_session").is_none(), "no session starts: {:?}", set_cookies(&r));
    // Another account from the same address is not blocked.
    let (_, other) = server.new_user(Role::Contributor, "throttle-other").await;
    server.login(&other, PASSWORD).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logout_everywhere_ends_every_session() {
    let server = Server::shared();
    let (_, email) = server.new_user(Role::Contributor, "logout").await;
    let one = server.login(&email, PASSWORD).await;
    let two = server.login(&email, PASSWORD).await;
    assert_ne!(one.cookie, two.cookie, "two logins are two sessions");
    for (name, session) in [("the first session", &one), ("the second session", &two)] {
        let r = server.get(session, "/newsroom/").await;
        assert_eq!(r.status, 200, "{name} opens the dashboard; {}", show(&r));
    }
    let r = server.post_form(&one, "/newsroom/logout-everywhere", &[("csrf", one.csrf.as_str())]).await;
    assert_eq!(r.status, 303, "logging out everywhere; {}", show(&r));
    assert_eq!(r.header("location"), Some("/newsroom/login"), "{}", show(&r));
    assert_eq!(cookie_set(&r, "courant_session").as_deref(), Some(""), "the cookie is cleared: {:?}", set_cookies(&r));
    for (name, session) in [("the session that asked", &one), ("the other session", &two)] {
        let r = server.get(session, "/newsroom/").await;
        assert!(to_login(&r), "{name} has ended: expected 303 to /newsroom/login; {}", show(&r));
    }
    let r = server.post_form(&two, "/newsroom/logout", &[("csrf", two.csrf.as_str())]).await;
    assert_eq!(r.status, 403, "an ended session cannot post; {}", show(&r));
}

/// Every newsroom page kind passes the Nu Html Checker, as an admin sees it, with a conflict
/// and a refusal among them.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn newsroom_pages_pass_the_nu_html_checker() {
    let app = app();
    let f = &app.fixture;
    let server = Server::shared();
    let (admin, email) = server.new_user(Role::Admin, "vnu").await;
    let session = server.login(&email, PASSWORD).await;
    let id = server.draft_owned_by(admin.id, &format!("Checked draft {}", unique("vnu"))).await;
    // Two saves make revisions to compare; a stale third is a conflict page.
    let opened = server.editor_fields(&session, &format!("/newsroom/articles/{id}")).await;
    let first = server
        .post_form(&session, &format!("/newsroom/articles/{id}"), &with(opened.clone(), &[("standfirst", "One.")]))
        .await;
    assert_eq!(first.status, 303, "{}", show(&first));
    let conflict =
        server.post_form(&session, &format!("/newsroom/articles/{id}"), &with(opened, &[("standfirst", "Two.")])).await;
    assert_eq!(conflict.status, 409, "{}", show(&conflict));
    let revisions = server.store(move |s| async move { s.revisions(id).await }).await.expect("revisions");
    let (newest, oldest) = (revisions[0].id, revisions[revisions.len() - 1].id);
    let hero = f.main.hero.as_ref().expect("fixture hero").id;
    let anonymous = Session::anonymous();
    let pages: Vec<(&str, String, &Session)> = vec![
        ("login", "/newsroom/login".into(), &anonymous),
        ("dashboard", "/newsroom/".into(), &session),
        ("articles", "/newsroom/articles?status=draft".into(), &session),
        ("new", "/newsroom/articles/new".into(), &session),
        ("editor", format!("/newsroom/articles/{id}"), &session),
        ("editor-published", format!("/newsroom/articles/{}", f.main.id), &session),
        ("revisions", format!("/newsroom/articles/{id}/revisions"), &session),
        ("diff", format!("/newsroom/articles/{id}/diff?from={oldest}&to={newest}"), &session),
        ("media", "/newsroom/media".into(), &session),
        ("media-pick", format!("/newsroom/media?pick={id}"), &session),
        ("image", format!("/newsroom/media/{hero}"), &session),
        ("sections", "/newsroom/sections".into(), &session),
        ("section", format!("/newsroom/sections/{}", f.news.id), &session),
        ("tags", "/newsroom/tags".into(), &session),
        ("authors", "/newsroom/authors".into(), &session),
        ("author", format!("/newsroom/authors/{}", f.author.id), &session),
        ("sources", "/newsroom/sources".into(), &session),
        ("source", format!("/newsroom/sources/{}", f.sources[0].id), &session),
        ("users", "/newsroom/users".into(), &session),
        ("user", format!("/newsroom/users/{}", admin.id), &session),
        ("audit", "/newsroom/audit".into(), &session),
        ("settings", "/newsroom/settings".into(), &session),
        ("account", "/newsroom/account".into(), &session),
        ("not-found", "/newsroom/articles/999999999".into(), &session),
    ];
    let dir = tempfile::tempdir().expect("tempdir");
    let mut files = Vec::new();
    for (name, path, who) in &pages {
        let r = server.get(who, path).await;
        assert!(r.status == 200 || (*name == "not-found" && r.status == 404), "{name}: {}", show(&r));
        let file = dir.path().join(format!("{name}.html"));
        std::fs::write(&file, &r.body).expect("write page");
        files.push(file);
    }
    let file = dir.path().join("conflict.html");
    std::fs::write(&file, &conflict.body).expect("write page");
    files.push(file);
    crate::validity::assert_valid_html(&files);
}

/// An admin's one-time reset link sets a new password once, ends the user's sessions and logs
/// them in; the old password stops working and the link cannot be used again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reset_links_work_once_and_end_old_sessions() {
    let server = Server::shared();
    let (_, admin_email) = server.new_user(Role::Admin, "reset-admin").await;
    let admin = server.login(&admin_email, PASSWORD).await;
    let (user, email) = server.new_user(Role::Contributor, "reset-user").await;
    let old_session = server.login(&email, PASSWORD).await;

    let issued =
        server.post_form(&admin, &format!("/newsroom/users/{}/reset", user.id), &[("csrf", admin.csrf.as_str())]).await;
    assert_eq!(issued.status, 200, "{}", show(&issued));
    let link = first(&issued.html(), "code#reset-link")
        .map(text)
        .unwrap_or_else(|| panic!("no link shown: {}", show(&issued)));
    let path = link.split_once("/newsroom/reset/").map(|(_, t)| format!("/newsroom/reset/{t}")).expect("a reset path");

    let form = server.get(&Session::anonymous(), &path).await;
    assert_eq!(form.status, 200, "{}", show(&form));
    let token = cookie_set(&form, "courant_form").expect("the reset form sets its double-submit cookie");
    let browser = Session { cookie: format!("courant_form={token}"), csrf: csrf_in(&form.body).expect("csrf") };
    let new_password = "a brand new password for this test";
    let mismatch = server
        .post_form(
            &browser,
            &path,
            &[("csrf", browser.csrf.as_str()), ("password", new_password), ("password2", "other")],
        )
        .await;
    assert_eq!(mismatch.status, 200, "a mismatch shows the form again: {}", show(&mismatch));
    assert!(mismatch.body.contains("differ"), "{}", show(&mismatch));
    let set = server
        .post_form(
            &browser,
            &path,
            &[("csrf", browser.csrf.as_str()), ("password", new_password), ("password2", new_password)],
        )
        .await;
    assert_eq!(set.status, 303, "{}", show(&set));
    assert!(cookie_set(&set, "courant_session").is_some_and(|s| !s.is_empty()), "logged in at once");

    let after = server.get(&old_session, "/newsroom/").await;
    assert_eq!(
        (after.status, after.header("location")),
        (303, Some("/newsroom/login")),
        "old sessions end: {}",
        show(&after)
    );
    let login = server.login_form().await;
    assert_eq!(server.post_login(&login, &email, PASSWORD).await.status, 401, "the old password no longer works");
    server.login(&email, new_password).await;
    let again = server.get(&Session::anonymous(), &path).await;
    assert_eq!(again.status, 404, "a used link is dead: {}", show(&again));
}

/// Restoring an old revision saves its content as a new version; the history only grows.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn restoring_a_revision_adds_a_version() {
    let server = Server::shared();
    let (user, email) = server.new_user(Role::Editor, "restore").await;
    let session = server.login(&email, PASSWORD).await;
    let id = server.draft_owned_by(user.id, &format!("Restorable {}", unique("restore"))).await;
    let original = server.article(id).await.standfirst;
    let saved = server.save(&session, id, &[("standfirst", "A rewritten standfirst.")]).await;
    assert_eq!(saved.status, 303, "{}", show(&saved));
    let revisions = server.store(move |s| async move { s.revisions(id).await }).await.expect("revisions");
    let first_revision = revisions.last().expect("the first revision").id;
    let diff = server
        .get(&session, &format!("/newsroom/articles/{id}/diff?from={first_revision}&to={}", revisions[0].id))
        .await;
    assert_eq!(diff.status, 200, "{}", show(&diff));
    assert!(
        diff.body.contains("<ins>rewritten</ins>") || diff.body.contains("<ins>A</ins>"),
        "word-level marks: {}",
        show(&diff)
    );

    let restored = server
        .post_form(
            &session,
            &format!("/newsroom/articles/{id}/revisions/{first_revision}/restore"),
            &[("csrf", session.csrf.as_str())],
        )
        .await;
    assert_eq!(restored.status, 303, "{}", show(&restored));
    assert_eq!(server.article(id).await.standfirst, original, "the old content is back");
    let after = server.store(move |s| async move { s.revisions(id).await }).await.expect("revisions");
    assert_eq!(after.len(), revisions.len() + 1, "a new revision, nothing rewritten");
    assert_eq!(after[0].version, 3);
    assert!(after[0].note.starts_with("restored from v1"), "{:?}", after[0]);
}

/// An admin's settings take effect on the next page and are kept in the store (`courant::open`
/// lays them over the file's at start); a bad value is refused with the field named and
/// changes nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admins_change_the_publication_settings() {
    // Its own server: the shared one's name is asserted elsewhere.
    let mut options = courant_demo::DemoOptions::new(6, OffsetDateTime::now_utc());
    options.picture_pool = 2;
    let server = Server::own(spawn_server(courant::Config::default(), options));
    let (_, email) = server.new_user(Role::Admin, "settings").await;
    let session = server.login(&email, PASSWORD).await;
    let form =
        form_fields(&server.get(&session, "/newsroom/settings").await.body, "form[action=\"/newsroom/settings\"]");
    assert_eq!(value_of(&form, "title"), "The Courant Daily", "the form starts from courant.toml's values");

    let bad = server
        .post_form(&session, "/newsroom/settings", &with(form.clone(), &[("title", "  "), ("ads_height", "20")]))
        .await;
    assert_eq!(bad.status, 200, "{}", show(&bad));
    assert!(bad.body.contains("site.title"), "the refusal names the field: {}", show(&bad));
    let home = server.get(&Session::anonymous(), "/").await;
    assert_eq!(first(&home.html(), ".site-title").map(text).as_deref(), Some("The Courant Daily"), "nothing changed");

    let saved = server
        .post_form(
            &session,
            "/newsroom/settings",
            &with(form, &[("title", "The Harbour Gazette"), ("feed_items", "3")]),
        )
        .await;
    assert_eq!(
        (saved.status, saved.header("location")),
        (303, Some("/newsroom/settings?done=saved")),
        "{}",
        show(&saved)
    );
    let home = server.get(&Session::anonymous(), "/").await;
    assert_eq!(first(&home.html(), ".site-title").map(text).as_deref(), Some("The Harbour Gazette"));
    let feed = server.get(&Session::anonymous(), "/rss.xml").await;
    assert_eq!(feed.body.matches("<item>").count(), 3, "feeds carry the new number of stories");
    let stored = server.store(|s| async move { s.setting(courant_web::newsroom::SETTINGS_KEY).await }).await;
    assert!(stored.expect("read").is_some_and(|json| json.contains("The Harbour Gazette")), "kept in the store");
    let log = server.store(|s| async move { s.audit_log(5, None).await }).await.expect("audit");
    assert!(log.iter().any(|e| e.action == "settings_changed"), "{log:?}");
}

//! The server under test as the newsroom tests reach it: the shared server or one of a test's
//! own, with its store; requests with a session's cookie, logging in, the editor's form, and
//! snapshots of what a refused request must not change.

use super::*;
use courant_core::{Article, ArticleDraft, ArticleId, ImageId, Role, User, UserId};
use courant_store::{AuditEntry, NewUser, NewsroomFilter, Store};
use std::future::Future;
use std::net::SocketAddr;
use std::time::Duration;
use time::OffsetDateTime;

// ---- The server under test ----------------------------------------------------------------

/// Where the store of a server lives: the shared server's runtime, or a server of the test's own.
#[derive(Clone)]
enum Backend {
    Shared,
    Own(Store),
}

/// A server reached over HTTP, with its store.
pub(crate) struct Server {
    base: String,
    backend: Backend,
    client: reqwest::Client,
}

impl Server {
    /// The server shared by the tests of this binary (see `support::app`).
    pub(super) fn shared() -> Server {
        Server { base: app().base.clone(), backend: Backend::Shared, client: http_client() }
    }

    /// A server of the test's own (see `support::spawn_server`).
    pub(crate) fn own(spawned: Spawned) -> Server {
        Server { base: spawned.base, backend: Backend::Own(spawned.store), client: http_client() }
    }

    /// Runs `f(store)`; for the shared server on its runtime, where its pools live.
    pub(super) async fn store<F, Fut, T>(&self, f: F) -> T
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
    pub(crate) async fn get(&self, session: &Session, path: &str) -> Resp {
        self.send(format!("GET {path}"), self.request(reqwest::Method::GET, session, path)).await
    }

    /// `POST path` with a URL-encoded form and the session's cookie (the form carries its own
    /// `csrf` field, or none).
    pub(crate) async fn post_form<K: AsRef<str>, V: AsRef<str>>(
        &self,
        session: &Session,
        path: &str,
        fields: &[(K, V)],
    ) -> Resp {
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
    pub(super) async fn post_multipart<K: AsRef<str>, V: AsRef<str>>(
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
    pub(super) async fn post_oversize(&self, session: &Session, path: &str, file_bytes: usize) -> (u16, String) {
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
    pub(crate) async fn new_user(&self, role: Role, tag: &str) -> (User, String) {
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
    pub(super) async fn login_form(&self) -> LoginForm {
        let r = self.get(&Session::anonymous(), "/newsroom/login").await;
        assert_eq!(r.status, 200, "the login form should open: {}", show(&r));
        let token = cookie_set(&r, "courant_form")
            .unwrap_or_else(|| panic!("GET /newsroom/login set no courant_form cookie: {:?}", set_cookies(&r)));
        let csrf = csrf_in(&r.body).unwrap_or_else(|| panic!("the login form has no csrf field: {}", show(&r)));
        assert_eq!(csrf, token, "the login form's token should be its cookie's (double submit)");
        LoginForm { cookie: format!("courant_form={token}"), csrf }
    }

    /// Sends the login form.
    pub(super) async fn post_login(&self, form: &LoginForm, email: &str, password: &str) -> Resp {
        let browser = Session { cookie: form.cookie.clone(), csrf: form.csrf.clone() };
        self.post_form(
            &browser,
            "/newsroom/login",
            &[("csrf", form.csrf.as_str()), ("email", email), ("password", password)],
        )
        .await
    }

    /// Posts the login form as a client at `address` would through a trusted proxy (the server
    /// must trust 127.0.0.1 as its proxy).
    pub(super) async fn post_login_from(&self, form: &LoginForm, email: &str, password: &str, address: &str) -> Resp {
        let browser = Session { cookie: form.cookie.clone(), csrf: form.csrf.clone() };
        let body = form_urlencoded::Serializer::new(String::new())
            .extend_pairs([("csrf", form.csrf.as_str()), ("email", email), ("password", password)])
            .finish();
        let request = self
            .request(reqwest::Method::POST, &browser, "/newsroom/login")
            .header("content-type", "application/x-www-form-urlencoded")
            .header("x-forwarded-for", address)
            .body(body);
        self.send("POST /newsroom/login".to_string(), request).await
    }

    /// Logs in through the form: the session cookie from the answer, the session's CSRF token
    /// from the account page.
    pub(crate) async fn login(&self, email: &str, password: &str) -> Session {
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
    pub(super) async fn editor_fields(&self, session: &Session, path: &str) -> Fields {
        let r = self.get(session, path).await;
        assert_eq!(r.status, 200, "the editor should open: {}", show(&r));
        form_fields(&r.body, "form#editor-form")
    }

    /// Opens an article's editor, changes fields (and chooses the button with `intent`), sends it.
    pub(super) async fn save(&self, session: &Session, id: ArticleId, changes: &[(&str, &str)]) -> Resp {
        let path = format!("/newsroom/articles/{id}");
        let form = with(self.editor_fields(session, &path).await, changes);
        self.post_form(session, &path, &form).await
    }

    /// Opens an article's editor and sends its form "Take this story off the site" with
    /// `changes` (the reason, and `confirm` for the box), as a browser without script would.
    pub(super) async fn unpublish(&self, session: &Session, id: ArticleId, changes: &[(&str, &str)]) -> Resp {
        let path = format!("/newsroom/articles/{id}");
        let page = self.get(session, &path).await;
        assert_eq!(page.status, 200, "the editor should open: {}", show(&page));
        let form = with(form_fields(&page.body, "form#unpublish-form"), changes);
        self.post_form(session, &format!("{path}/unpublish"), &form).await
    }

    /// Opens "New article", fills it in and sends it (multipart, as the editor's form is).
    pub(super) async fn create(
        &self,
        session: &Session,
        changes: &[(&str, &str)],
        files: &[FilePart<'_>],
    ) -> ArticleId {
        let form = with(self.editor_fields(session, "/newsroom/articles/new").await, changes);
        let r = self.post_multipart(session, "/newsroom/articles", &form, files).await;
        assert_eq!(r.status, 303, "creating an article: {}", show(&r));
        article_id_in(&r)
    }

    /// A draft owned by `owner` with a standfirst, a body, a section and an author, but no
    /// picture, made through the store.
    pub(super) async fn draft_owned_by(&self, owner: UserId, headline: &str) -> ArticleId {
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

    pub(super) async fn article(&self, id: ArticleId) -> Article {
        self.store(move |s| async move { s.article(id).await })
            .await
            .unwrap_or_else(|e| panic!("load article {id}: {e}"))
            .unwrap_or_else(|| panic!("article {id} does not exist"))
    }

    /// Ingests one wire item (a unique guid from `tag`) and answers its id.
    pub(super) async fn wire_item(&self, tag: &str, item: courant_core::WireItem) -> i64 {
        let item = courant_core::WireItem { guid: unique(tag), version: 1, ..item };
        let stored = self
            .store(|s| async move { s.ingest_wire_items(&[item], "IPTC ninjs", OffsetDateTime::now_utc()).await })
            .await
            .expect("a wire item");
        stored[0].0
    }

    pub(super) async fn image_count(&self) -> i64 {
        self.store(|s| async move { s.counts().await }).await.expect("count what the store holds").images
    }

    /// The newest audit entry's id (0 for none).
    pub(crate) async fn audit_head(&self) -> i64 {
        let newest = self.store(|s| async move { s.audit_log(1, None).await }).await.expect("read the audit log");
        newest.first().map_or(0, |e| e.id)
    }

    /// Audit entries newer than `since`.
    pub(crate) async fn audit_since(&self, since: i64) -> Vec<AuditEntry> {
        let entries = self.store(|s| async move { s.audit_log(1000, None).await }).await.expect("read the audit log");
        entries.into_iter().filter(|e| e.id > since).collect()
    }

    /// What a refused request must not change, each part as text (so that a difference can
    /// be named): the article, its revisions, the registries, the picture and the user the
    /// routes name, and anything carrying `marker`.
    pub(super) async fn snapshot(&self, ids: &Ids, marker: &str) -> Vec<(&'static str, String)> {
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
                // The route's newsletter and any carrying the marker (other tests make their own
                // on the shared server meanwhile).
                (
                    "newsletters",
                    format!(
                        "{:?}",
                        s.newsletter_lists()
                            .await
                            .expect("newsletters")
                            .into_iter()
                            .filter(|l| l.id == ids.newsletter
                                || l.name.contains(&marker)
                                || l.description.contains(&marker))
                            .collect::<Vec<_>>()
                    ),
                ),
                ("edition", format!("{:?}", s.edition(ids.edition).await.expect("edition"))),
                ("edition's deliveries", format!("{:?}", s.edition_progress(ids.edition).await.expect("progress"))),
                ("subscriber", format!("{:?}", s.subscriber(ids.subscriber).await.expect("subscriber"))),
                ("front page pins", format!("{:?}", s.front_pins().await.expect("pins"))),
                (
                    "the site's pages",
                    format!(
                        "{:?}",
                        s.site_pages()
                            .await
                            .expect("pages")
                            .into_iter()
                            .filter(|p| p.id == ids.page || p.title.contains(&marker) || p.body.contains(&marker))
                            .collect::<Vec<_>>()
                    ),
                ),
            ]
        })
        .await
    }
}

pub(super) fn marker_email(marker: &str) -> String {
    format!("{marker}@newsroom.test.example")
}

/// The parts of two snapshots that differ.
pub(super) fn changed(before: &[(&'static str, String)], after: &[(&'static str, String)]) -> Vec<String> {
    before
        .iter()
        .zip(after)
        .filter(|(a, b)| a != b)
        .map(|((name, was), (_, now))| format!("{name} was {} and is now {}", excerpt(was), excerpt(now)))
        .collect()
}

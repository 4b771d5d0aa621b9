//! Two `courant serve` processes against one PostgreSQL server, as behind a load balancer: what
//! one node publishes the other shows (home page, search, feed) within a second; what one
//! withdraws is gone from the other; a node killed with SIGKILL during a stream of writes loses
//! nothing and catches up when it starts again; while PostgreSQL is stopped the nodes keep
//! serving cached pages, refuse writes with 503 and a clear message, and recover when it is back.
//!
//! The test runs its own PostgreSQL server (it stops and starts it), through
//! `scripts/scratch-postgres`: Debian's postgresql package must be installed (`scripts/test`
//! installs it). Without it the test fails; it never skips.

use scraper::{Html, Selector};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The repository's `scripts/scratch-postgres`.
fn scratch_postgres() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scripts/scratch-postgres")
}

/// A PostgreSQL server of this test's own, stopped and removed at the end.
struct Postgres {
    dir: tempfile::TempDir,
    /// The server's URL, without a database.
    server: String,
}

impl Postgres {
    fn start() -> Postgres {
        let dir = tempfile::tempdir().expect("temporary folder");
        make_traversable(dir.path());
        let out = Command::new(scratch_postgres())
            .arg("start")
            .arg(dir.path().join("pg"))
            .output()
            .expect("run scripts/scratch-postgres");
        assert!(
            out.status.success(),
            "scripts/scratch-postgres could not start PostgreSQL (is Debian's postgresql package installed?): {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let url = String::from_utf8_lossy(&out.stdout).trim().to_string();
        let server = url.trim_end_matches("/postgres").to_string();
        Postgres { dir, server }
    }

    fn run(&self, action: &str) {
        let out = Command::new(scratch_postgres())
            .arg(action)
            .arg(self.dir.path().join("pg"))
            .output()
            .expect("run scripts/scratch-postgres");
        assert!(out.status.success(), "scratch-postgres {action}: {}", String::from_utf8_lossy(&out.stderr));
    }

    /// A new database on the server; its URL.
    async fn database(&self, name: &str) -> String {
        use sqlx::Connection;
        let mut admin = sqlx::PgConnection::connect(&format!("{}/postgres", self.server)).await.expect("connect");
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}"))).execute(&mut admin).await.expect("create");
        format!("{}/{name}", self.server)
    }
}

impl Drop for Postgres {
    fn drop(&mut self) {
        let _ = Command::new(scratch_postgres()).arg("stop").arg(self.dir.path().join("pg")).output();
    }
}

/// The server runs as the postgres user when the tests run as root: it must reach its folder.
fn make_traversable(dir: &Path) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o755)).expect("chmod the temporary folder");
}

/// A `courant serve` process.
struct Node {
    child: Child,
    base: String,
    data: PathBuf,
    port: u16,
    /// What the node is told besides its folder and address: options and environment.
    setting: Setting,
}

/// Options and environment variables of a `courant` command.
#[derive(Clone, Default)]
struct Setting {
    args: Vec<std::ffi::OsString>,
    env: Vec<(String, std::ffi::OsString)>,
}

impl Setting {
    fn env(mut self, name: &str, value: impl AsRef<std::ffi::OsStr>) -> Setting {
        self.env.push((name.to_string(), value.as_ref().to_owned()));
        self
    }

    fn arg(mut self, value: impl AsRef<std::ffi::OsStr>) -> Setting {
        self.args.push(value.as_ref().to_owned());
        self
    }

    fn command(&self) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_courant"));
        command.env("COURANT_LOG", "warn").env_remove("COURANT_LISTEN");
        for (name, value) in &self.env {
            command.env(name, value);
        }
        command
    }
}

/// Runs `courant demo --no-serve` into `data`; returns the password of the demo's editor.
fn make_demo(articles: u32, data: &Path, setting: &Setting) -> String {
    let out = setting
        .command()
        .args(["demo", "--no-serve", "--articles", &articles.to_string()])
        .args(&setting.args)
        .arg("--data")
        .arg(data)
        .output()
        .expect("run courant demo");
    let said = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(out.status.success(), "courant demo: {said}{}", String::from_utf8_lossy(&out.stderr));
    said.lines()
        .find(|l| l.trim_start().starts_with("editor "))
        .and_then(|l| l.split_whitespace().nth(2))
        .unwrap_or_else(|| panic!("the demo names the editor's account: {said}"))
        .to_string()
}

impl Node {
    fn start(data: &Path, setting: &Setting, port: u16) -> Node {
        let child = setting
            .command()
            .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
            .args(&setting.args)
            .arg("--data")
            .arg(data)
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start courant serve");
        Node { child, base: format!("http://127.0.0.1:{port}"), data: data.to_owned(), port, setting: setting.clone() }
    }

    /// The same node started again on its data folder and port.
    fn restart(self) -> Node {
        let (data, setting, port) = (self.data.clone(), self.setting.clone(), self.port);
        drop(self);
        Node::start(&data, &setting, port)
    }

    async fn wait_ready(&self) {
        let started = Instant::now();
        loop {
            if let Ok(r) = client().get(format!("{}/healthz", self.base)).send().await
                && r.status() == 200
            {
                return;
            }
            assert!(started.elapsed() < Duration::from_secs(60), "{} did not answer within a minute", self.base);
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    fn kill_hard(&mut self) {
        // SIGKILL: no shutdown, no flush.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    async fn get(&self, path: &str) -> (u16, String) {
        let r = client().get(format!("{}{path}", self.base)).send().await.expect("GET");
        (r.status().as_u16(), r.text().await.unwrap_or_default())
    }
}

impl Drop for Node {
    fn drop(&mut self) {
        self.kill_hard();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").expect("bind").local_addr().expect("address").port()
}

fn client() -> reqwest::Client {
    courant_web::webhooks::ensure_tls();
    reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("HTTP client")
}

fn cookie_named(r: &reqwest::Response, name: &str) -> Option<String> {
    r.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|v| v.split(';').next())
        .find(|c| c.starts_with(&format!("{name}=")))
        .map(str::to_string)
}

/// A newsroom login: the session cookie, valid on every node.
async fn log_in(node: &Node, email: &str, password: &str) -> String {
    let form = client().get(format!("{}/newsroom/login", node.base)).send().await.expect("login form");
    let form_cookie = cookie_named(&form, "courant_form").expect("the login form sets its cookie");
    let html = form.text().await.expect("login page");
    let fields = form_fields(&html, "form");
    let csrf = fields.iter().find(|(k, _)| k == "csrf").map(|(_, v)| v.clone()).expect("csrf field");
    let r = client()
        .post(format!("{}/newsroom/login", node.base))
        .header("cookie", form_cookie)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(urlencoded(&[("csrf", csrf.as_str()), ("email", email), ("password", password)]))
        .send()
        .await
        .expect("log in");
    assert_eq!(r.status(), 303, "logging in as {email} should redirect");
    cookie_named(&r, "courant_session").expect("a session cookie")
}

/// The fields a browser would send from the first `form` matching `css` (with none of its buttons).
fn form_fields(html: &str, css: &str) -> Vec<(String, String)> {
    let doc = Html::parse_document(html);
    let sel = |s: &str| Selector::parse(s).expect("selector");
    let form = doc.select(&sel(css)).next().unwrap_or_else(|| panic!("no form {css} in the page"));
    let mut out = Vec::new();
    for el in form.select(&sel("input, textarea, select")) {
        let v = el.value();
        let Some(name) = v.attr("name") else { continue };
        match (v.name(), v.attr("type").unwrap_or("text")) {
            ("input", "file" | "submit" | "button") => {}
            ("input", "checkbox" | "radio") if v.attr("checked").is_none() => {}
            ("input", _) => out.push((name.to_string(), v.attr("value").unwrap_or("").to_string())),
            ("textarea", _) => out.push((name.to_string(), el.text().collect())),
            _ => {
                let options: Vec<_> = el.select(&sel("option")).collect();
                let chosen = options.iter().find(|o| o.value().attr("selected").is_some()).or(options.first());
                if let Some(o) = chosen {
                    out.push((name.to_string(), o.value().attr("value").unwrap_or("").to_string()));
                }
            }
        }
    }
    out
}

/// The first non-empty option of the select named `name` in the editor.
fn first_option(html: &str, name: &str) -> String {
    let doc = Html::parse_document(html);
    let sel = Selector::parse(&format!("select[name={name}] option")).expect("selector");
    doc.select(&sel)
        .filter_map(|o| o.value().attr("value"))
        .find(|v| !v.is_empty())
        .unwrap_or_else(|| panic!("the editor offers no {name}"))
        .to_string()
}

/// `application/x-www-form-urlencoded`, as a browser sends a form.
fn urlencoded<K: AsRef<str>, V: AsRef<str>>(fields: &[(K, V)]) -> String {
    let encode = |s: &str| -> String {
        s.bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'*' => (b as char).to_string(),
                b' ' => "+".to_string(),
                _ => format!("%{b:02X}"),
            })
            .collect()
    };
    fields.iter().map(|(k, v)| format!("{}={}", encode(k.as_ref()), encode(v.as_ref()))).collect::<Vec<_>>().join("&")
}

fn set(fields: &mut Vec<(String, String)>, name: &str, value: &str) {
    fields.retain(|(k, _)| k != name);
    fields.push((name.to_string(), value.to_string()));
}

/// Writes a new story on `node`, gives it the demo's first picture and presses "Publish"; returns
/// its id. `Err` carries the status and page of a refusal.
async fn publish(node: &Node, session: &str, headline: &str) -> Result<i64, (u16, String)> {
    let html = page(node, session, "/newsroom/articles/new").await?;
    let mut fields = form_fields(&html, "form:has(#f-headline)");
    let csrf = fields.iter().find(|(k, _)| k == "csrf").map(|(_, v)| v.clone()).expect("csrf field");
    set(&mut fields, "headline", headline);
    set(&mut fields, "standfirst", "Two nodes, one newsroom: the story written on one is read on the other.");
    set(&mut fields, "body", "The ferry timetable changes on Monday.\n\nPassengers are asked to check the new times.");
    set(&mut fields, "section", &first_option(&html, "section"));
    set(&mut fields, "author", &first_option(&html, "author"));
    let location = post(node, session, "/newsroom/articles", &fields).await?;
    let id: i64 = location
        .trim_start_matches("/newsroom/articles/")
        .split(['?', '#', '/'])
        .next()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("saving a new story should lead to its editor, went to {location:?}"));
    post(
        node,
        session,
        &format!("/newsroom/articles/{id}/hero"),
        &[("csrf".into(), csrf), ("image_id".into(), "1".into())],
    )
    .await?;
    let html = page(node, session, &format!("/newsroom/articles/{id}")).await?;
    let mut fields = form_fields(&html, "form:has(#f-headline)");
    for (name, text) in
        [("hero_alt", "A ferry at the quay"), ("hero_caption", "The ferry at the quay"), ("hero_credit", "Courant")]
    {
        if fields.iter().any(|(k, v)| k == name && v.is_empty()) {
            set(&mut fields, name, text);
        }
    }
    fields.push(("intent".into(), "publish".into()));
    post(node, session, &format!("/newsroom/articles/{id}"), &fields).await?;
    Ok(id)
}

/// A newsroom page's HTML; `Err` carries another status than 200 and its page.
async fn page(node: &Node, session: &str, path: &str) -> Result<String, (u16, String)> {
    let r = client()
        .get(format!("{}{path}", node.base))
        .header("cookie", session)
        .send()
        .await
        .map_err(|e| (0, e.to_string()))?;
    let status = r.status().as_u16();
    let body = r.text().await.unwrap_or_default();
    if status == 200 { Ok(body) } else { Err((status, body)) }
}

/// Posts a form as a browser does; returns where it redirects. `Err` carries another status
/// than 303 and its page.
async fn post(node: &Node, session: &str, path: &str, fields: &[(String, String)]) -> Result<String, (u16, String)> {
    let r = client()
        .post(format!("{}{path}", node.base))
        .header("cookie", session)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(urlencoded(fields))
        .send()
        .await
        .map_err(|e| (0, e.to_string()))?;
    let status = r.status().as_u16();
    let location = r.headers().get("location").and_then(|l| l.to_str().ok()).unwrap_or("").to_string();
    if status == 303 { Ok(location) } else { Err((status, r.text().await.unwrap_or_default())) }
}

/// Takes article `id` off the site through `node`: the editor's "Unpublish" form, with its
/// reason and confirmation.
async fn unpublish(node: &Node, session: &str, id: i64) {
    let html = page(node, session, &format!("/newsroom/articles/{id}")).await.expect("the editor");
    let mut fields = form_fields(&html, "#unpublish-form");
    fields.retain(|(name, _)| name == "csrf");
    fields.push(("reason".into(), "Taken down by the two-node test".into()));
    fields.push(("confirm".into(), "yes".into()));
    post(node, session, &format!("/newsroom/articles/{id}/unpublish"), &fields).await.expect("unpublish");
}

/// Polls `path` on `node` until `check` holds of its body; returns how long it took.
async fn until(node: &Node, path: &str, within: Duration, what: &str, check: impl Fn(&str) -> bool) -> Duration {
    let started = Instant::now();
    loop {
        let (status, body) = node.get(path).await;
        if status == 200 && check(&body) {
            return started.elapsed();
        }
        assert!(started.elapsed() < within, "{what}: not so on {}{path} within {within:?}", node.base);
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_nodes_agree_lose_nothing_and_ride_out_a_database_outage() {
    let pg = Postgres::start();
    let store = pg.database("news").await;
    let root = tempfile::tempdir().expect("temporary folder");
    let (data_a, data_b, media) = (root.path().join("a"), root.path().join("b"), root.path().join("media"));

    // The demo fills PostgreSQL (and the shared picture folder) and prints the newsroom's accounts.
    let setting = Setting::default().env("COURANT_STORE_URL", &store).env("COURANT_STORE__MEDIA_DIR", &media);
    let password = make_demo(40, &data_a, &setting);

    let a = Node::start(&data_a, &setting, free_port());
    let b = Node::start(&data_b, &setting, free_port());
    a.wait_ready().await;
    b.wait_ready().await;
    // B's home page is in its cache before A publishes.
    b.get("/").await;
    b.get("/rss.xml").await;

    // Publish on A; B shows it on its home page, in its search and in its feed within a second.
    let session = log_in(&a, "editor@demo.courant.example", &password).await;
    // The demo's editor is one of the paper's journalists, and a new story carries their byline.
    let new = page(&a, &session, "/newsroom/articles/new").await.expect("the new article's editor");
    let doc = Html::parse_document(&new);
    let text = |css: &str| {
        let sel = Selector::parse(css).expect("selector");
        doc.select(&sel).next().map(|e| e.text().collect::<String>().trim().to_string()).unwrap_or_default()
    };
    let me = text(".nr-me");
    let byline = text("#f-author-1 option[selected]");
    assert!(!byline.is_empty() && me.starts_with(&format!("{byline} (")), "the editor {me:?} writes as {byline:?}");
    let headline = "Zephyrine ferry timetable changes on Monday";
    let id = publish(&a, &session, headline).await.unwrap_or_else(|(s, page)| panic!("publish on A: {s} {page}"));
    let second = Duration::from_secs(1);
    let home = until(&b, "/", second, "A's story on B's home page", |body| body.contains(headline)).await;
    let search =
        until(&b, "/search?q=zephyrine", second, "A's story in B's search", |body| body.contains(headline)).await;
    let feed = until(&b, "/rss.xml", second, "A's story in B's feed", |body| body.contains(headline)).await;
    eprintln!("published on A, seen on B: home {home:?}, search {search:?}, feed {feed:?}");

    // The session works on B too; withdrawn there, the story is gone from A.
    unpublish(&b, &session, id).await;
    until(&a, "/", second, "B's withdrawal on A's home page", |body| !body.contains(headline)).await;
    until(&a, "/search?q=zephyrine", second, "B's withdrawal in A's search", |body| !body.contains(headline)).await;

    // A stream of writes on B; A is killed in the middle of it, then started again.
    let mut a = a;
    let mut written = Vec::new();
    for i in 0..12 {
        if i == 4 {
            a.kill_hard();
        }
        let title = format!("Quillwort harbour notice number {i}");
        let id = publish(&b, &session, &title).await.unwrap_or_else(|(s, page)| panic!("publish on B: {s} {page}"));
        written.push((id, title));
    }
    let a = a.restart();
    a.wait_ready().await;
    for (id, title) in &written {
        let (status, body) = a.get(&format!("/api/v1/articles/{id}")).await;
        assert_eq!(status, 200, "article {id}, written on B while A was down, is served by A");
        assert!(body.contains(title.as_str()), "A serves article {id} as written: {body}");
    }
    let latest = &written.last().expect("written").1;
    until(&a, "/", second, "the last story written while A was down, on A's home page", |body| body.contains(latest))
        .await;
    until(&a, "/search?q=quillwort", second, "the stories written while A was down, in A's search", |body| {
        written.iter().filter(|(_, t)| body.contains(t.as_str())).count() >= 10
    })
    .await;

    // PostgreSQL stops: cached pages are still served, writes are refused with 503.
    let (_, cached_home) = a.get("/").await;
    pg.run("stop");
    let (status, body) = a.get("/").await;
    assert_eq!(status, 200, "a cached page is served while the database is down");
    assert_eq!(body, cached_home, "the same page as before the outage");
    let refused = publish(&b, &session, "Written during the outage").await;
    match refused {
        Err((503, page)) => assert!(
            page.to_lowercase().contains("try again"),
            "the refusal says what to do: {}",
            &page[..page.len().min(2000)]
        ),
        other => panic!("a write while the database is down should get 503, got {other:?}"),
    }

    // PostgreSQL is back: writes go through again, and both nodes follow.
    pg.run("resume");
    let started = Instant::now();
    let after = loop {
        match publish(&b, &session, "Vetchling pier reopens after the outage").await {
            Ok(id) => break id,
            Err(e) => {
                assert!(started.elapsed() < Duration::from_secs(30), "writes did not recover: {e:?}");
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
        }
    };
    until(&a, "/", Duration::from_secs(5), "the first story after the outage, on A", |body| {
        body.contains("Vetchling pier reopens")
    })
    .await;
    let (status, _) = a.get(&format!("/api/v1/articles/{after}")).await;
    assert_eq!(status, 200, "A serves the story written after the outage");
}

/// A moto S3 server (`COURANT_TEST_MOTO`, installed by `scripts/test`) on a free loopback port,
/// with one bucket; stopped at the end.
struct S3 {
    child: Child,
    endpoint: String,
    python: PathBuf,
}

impl S3 {
    fn start(bucket: &str) -> S3 {
        let moto = std::env::var("COURANT_TEST_MOTO").ok().filter(|m| !m.is_empty()).expect(
            "this test needs COURANT_TEST_MOTO, the moto_server of an S3-compatible test server (scripts/test \
             installs it); not skipping silently",
        );
        let port = free_port();
        let child = Command::new(&moto)
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("start {moto}: {e}"));
        let endpoint = format!("http://127.0.0.1:{port}");
        let started = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(started.elapsed() < Duration::from_secs(30), "moto did not start on {endpoint}");
            std::thread::sleep(Duration::from_millis(50));
        }
        let python = Path::new(&moto).with_file_name("python");
        let s3 = S3 { child, endpoint, python };
        s3.boto(&format!("s3.create_bucket(Bucket={bucket:?})"));
        s3
    }

    /// Runs one line of Python with `s3`, a boto3 client of this server; returns what it prints.
    fn boto(&self, line: &str) -> String {
        let script = format!(
            "import boto3\ns3 = boto3.client('s3', endpoint_url={:?}, aws_access_key_id='test', \
             aws_secret_access_key='test', region_name='us-east-1')\n{line}\n",
            self.endpoint
        );
        let out = Command::new(&self.python).args(["-c", &script]).output().expect("run python");
        assert!(out.status.success(), "boto3: {line}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }
}

impl Drop for S3 {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A multipart form with one file, as a browser sends an upload.
fn multipart(fields: &[(&str, &str)], file_field: &str, file_name: &str, bytes: &[u8]) -> (String, Vec<u8>) {
    let boundary = "courant-test-boundary-7d1f";
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").bytes(),
        );
    }
    body.extend(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"{file_field}\"; filename=\"{file_name}\"\r\n\
             Content-Type: image/jpeg\r\n\r\n"
        )
        .bytes(),
    );
    body.extend(bytes);
    body.extend(format!("\r\n--{boundary}--\r\n").bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pictures_in_a_bucket_reach_every_node() {
    use sqlx::Connection;
    let bucket = "courant-media";
    let s3 = S3::start(bucket);
    let server = std::env::var("COURANT_TEST_POSTGRES").ok().filter(|u| !u.is_empty()).expect(
        "this test needs COURANT_TEST_POSTGRES=postgres://user@host:port/database (scripts/test starts a server); \
         not skipping silently",
    );
    let name = format!("bucket_{}", std::process::id());
    let mut admin = sqlx::PgConnection::connect(&server).await.expect("connect to the test server");
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}"))).execute(&mut admin).await.expect("create");
    let store = format!("{}/{name}", server.rsplit_once('/').expect("a URL with a database").0);

    let root = tempfile::tempdir().expect("temporary folder");
    let config = root.path().join("courant.toml");
    std::fs::write(
        &config,
        format!(
            "[store]\nurl = \"{store}\"\n[store.bucket]\nendpoint = \"{}\"\nname = \"{bucket}\"\nregion = \"us-east-1\"\n\
             access_key = \"test\"\nsecret_key = \"test\"\n",
            s3.endpoint
        ),
    )
    .expect("write the configuration");
    let (data_a, data_b) = (root.path().join("a"), root.path().join("b"));
    let setting = Setting::default().arg("--config").arg(&config);
    let password = make_demo(20, &data_a, &setting);
    let in_bucket: usize = s3
        .boto(&format!("print(sum(len(p.get('Contents', [])) for p in s3.get_paginator('list_objects_v2').paginate(Bucket={bucket:?})))"))
        .parse()
        .expect("a count");
    assert!(in_bucket >= 20, "the demo's pictures went up to the bucket: {in_bucket} objects");

    // Node B has no picture of its own: it serves them from the bucket, scaled copies too.
    let a = Node::start(&data_a, &setting, free_port());
    let b = Node::start(&data_b, &setting, free_port());
    a.wait_ready().await;
    b.wait_ready().await;
    let first = s3.boto(&format!(
        "print(next(o['Key'] for o in s3.list_objects_v2(Bucket={bucket:?})['Contents'] if not o['Key'].startswith('originals/')))"
    ));
    let expected = s3.boto(&format!("print(s3.head_object(Bucket={bucket:?}, Key={first:?})['ContentLength'])"));
    let r = client().get(format!("{}/media/{first}", b.base)).send().await.expect("GET a picture");
    assert_eq!(r.status(), 200, "node B serves {first} from the bucket");
    assert_eq!(r.bytes().await.expect("bytes").len().to_string(), expected, "the bucket's bytes");
    let scaled = format!("{first}.w320.{}", first.rsplit('.').next().unwrap_or("jpg"));
    let r = client().get(format!("{}/media/{scaled}", b.base)).send().await.expect("GET a scaled copy");
    assert_eq!(r.status(), 200, "node B scales {first} from the bucket");
    s3.boto(&format!("s3.head_object(Bucket={bucket:?}, Key={scaled:?})"));

    // An upload on node A goes to the bucket (with its original kept aside) and node B serves it.
    let session = log_in(&a, "editor@demo.courant.example", &password).await;
    let library = page(&a, &session, "/newsroom/media").await.expect("the media library");
    let csrf = form_fields(&library, "form:has(input[type=file])")
        .into_iter()
        .find(|(k, _)| k == "csrf")
        .map(|(_, v)| v)
        .expect("the upload form's csrf field");
    let photo =
        client().get(format!("{}/media/{first}", a.base)).send().await.expect("GET").bytes().await.expect("bytes");
    let (content_type, body) = multipart(&[("csrf", &csrf), ("alt", "A quay")], "file", "quay.jpg", &photo);
    let r = client()
        .post(format!("{}/newsroom/media", a.base))
        .header("cookie", &session)
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .expect("upload");
    assert_eq!(r.status(), 303, "the upload is accepted: {}", r.text().await.unwrap_or_default());
    let originals =
        s3.boto(&format!("print(len(s3.list_objects_v2(Bucket={bucket:?}, Prefix='originals/').get('Contents', [])))"));
    assert_ne!(originals, "0", "the upload's original is kept in the bucket");
    let location = r.headers().get("location").and_then(|l| l.to_str().ok()).unwrap_or("").to_string();
    let image_page = page(&a, &session, location.split('?').next().unwrap_or("")).await.expect("the picture's page");
    let file = Html::parse_document(&image_page)
        .select(&Selector::parse("img[src^='/media/']").expect("selector"))
        .filter_map(|img| img.value().attr("src"))
        .map(|src| src.trim_start_matches("/media/").to_string())
        .next()
        .expect("the picture's page shows it");
    let r = client().get(format!("{}/media/{file}", b.base)).send().await.expect("GET the upload on B");
    assert_eq!(r.status(), 200, "node B serves node A's upload {file}");
}

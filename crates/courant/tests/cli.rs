//! The `courant` binary as a user runs it: configuration errors, migrate and check, and the
//! demo served, stopped with SIGTERM, and served again from the same folder.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

fn courant(args: &[&str], data: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_courant"))
        .args(args)
        .arg("--data")
        .arg(data)
        .env_remove("COURANT_LISTEN")
        .output()
        .expect("run courant")
}

fn text(o: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
}

#[test]
fn check_reports_a_bad_key_and_what_to_do() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("courant.toml"), "[site]\ntitle = \"Gazette\"\ntimzone = \"UTC\"\n").expect("write");
    let out = courant(&["check"], dir.path());
    let said = text(&out);
    assert_eq!(out.status.code(), Some(1), "check must fail on a bad key: {said}");
    assert!(said.contains("timzone"), "the message must name the key: {said}");
    assert!(said.contains("no store"), "check must also report the missing store: {said}");

    let serve = courant(&["serve", "--listen", "127.0.0.1:0"], dir.path());
    assert!(!serve.status.success(), "serve must refuse a bad configuration");
    assert!(text(&serve).contains("timzone"), "{}", text(&serve));
}

#[test]
fn migrate_then_check_is_clean() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = courant(&["migrate"], dir.path());
    assert!(out.status.success(), "{}", text(&out));
    let applied = text(&out)
        .split("applied ")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .and_then(|n| n.parse::<u32>().ok())
        .unwrap_or(0);
    assert!(applied >= 13, "a new store gets every migration: {}", text(&out));
    let again = courant(&["migrate"], dir.path());
    assert!(text(&again).contains("applied 0 migration"), "{}", text(&again));
    let check = courant(&["check"], dir.path());
    assert!(check.status.success(), "{}", text(&check));
    assert!(text(&check).contains("no problems found"), "{}", text(&check));
}

/// A running `courant demo`, killed if the test fails before stopping it.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn start_demo(data: &Path) -> (Running, String, std::sync::mpsc::Receiver<String>) {
    start(&["demo", "--articles", "25"], data)
}

/// Starts `courant COMMAND... --listen 127.0.0.1:0 --data DATA` and waits for its address.
fn start(command: &[&str], data: &Path) -> (Running, String, std::sync::mpsc::Receiver<String>) {
    start_with(command, data, &[])
}

/// [`start`] with more environment variables.
fn start_with(
    command: &[&str],
    data: &Path,
    env: &[(&str, &str)],
) -> (Running, String, std::sync::mpsc::Receiver<String>) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_courant"))
        .args(command)
        .args(["--listen", "127.0.0.1:0", "--data"])
        .arg(data)
        .env("COURANT_LOG", "info")
        .envs(env.iter().copied())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start courant demo");
    let stdout = child.stdout.take().expect("stdout");
    let stderr = child.stderr.take().expect("stderr");
    let (log_tx, log_rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = log_tx.send(line);
        }
    });
    let mut address = String::new();
    for line in BufReader::new(stdout).lines().map_while(Result::ok) {
        if let Some(rest) = line.strip_prefix("Courant is serving at ") {
            address = rest.trim_end_matches('/').trim_start_matches("http://").to_string();
            break;
        }
    }
    assert!(!address.is_empty(), "courant demo never printed its address");
    (Running(child), address, log_rx)
}

fn http_get(address: &str, path: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(address).expect("connect");
    stream.set_read_timeout(Some(Duration::from_secs(10))).expect("timeout");
    write!(stream, "GET {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n").expect("send");
    let mut response = String::new();
    stream.read_to_string(&mut response).expect("read");
    let status = response.get(9..12).and_then(|s| s.parse().ok()).unwrap_or(0);
    (status, response)
}

fn stop(mut running: Running) {
    let pid = running.0.id().to_string();
    let killed = Command::new("kill").args(["-TERM", &pid]).status().expect("run kill");
    assert!(killed.success(), "kill -TERM {pid} failed");
    let started = Instant::now();
    loop {
        if let Some(status) = running.0.try_wait().expect("wait") {
            assert!(status.success(), "courant should exit cleanly on SIGTERM, got {status}");
            return;
        }
        assert!(started.elapsed() < Duration::from_secs(10), "courant did not stop within 10 s of SIGTERM");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn demo_serves_stops_on_sigterm_and_serves_again() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (running, address, logs) = start_demo(dir.path());
    let (status, _) = http_get(&address, "/healthz");
    assert_eq!(status, 200);
    let (status, home) = http_get(&address, "/");
    assert_eq!(status, 200, "{home}");
    assert!(home.contains("<h1"), "the home page should render: {}", &home[..home.len().min(500)]);
    stop(running);
    let first_run: Vec<String> = logs.try_iter().collect();
    assert!(first_run.iter().any(|l| l.contains("demo publication generated")), "{first_run:#?}");
    assert!(
        first_run.iter().any(|l| l.contains("request") && l.contains("path=\"/healthz\"") && l.contains("status=200")),
        "one log line per request with path and status: {first_run:#?}"
    );

    let (running, address, logs) = start_demo(dir.path());
    let (status, _) = http_get(&address, "/");
    assert_eq!(status, 200);
    stop(running);
    let second_run: Vec<String> = logs.try_iter().collect();
    assert!(
        second_run.iter().any(|l| l.contains("already holds a publication")),
        "a second demo on the same folder serves what is there: {second_run:#?}"
    );
    assert!(!second_run.iter().any(|l| l.contains("demo publication generated")), "{second_run:#?}");
    let check = courant(&["check"], dir.path());
    assert!(text(&check).contains("store: ") && text(&check).contains("15 authors"), "{}", text(&check));
    assert!(check.status.success(), "{}", text(&check));
}

#[test]
fn environment_overrides_the_file_and_is_validated_too() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("courant.toml"), "[site]\ntimezone = \"Europe/Berlin\"\n").expect("write");
    let out = Command::new(env!("CARGO_BIN_EXE_courant"))
        .args(["check", "--data"])
        .arg(dir.path())
        .env("COURANT_SITE__TIMEZONE", "Mars/Base")
        .output()
        .expect("run courant");
    let said = text(&out);
    assert_eq!(out.status.code(), Some(1), "{said}");
    assert!(
        said.contains("site.timezone") && said.contains("Mars/Base"),
        "the variable's value must win and be named: {said}"
    );
}

#[test]
fn reindex_and_the_webhook_log_work_on_a_demo_folder() {
    let dir = tempfile::tempdir().expect("tempdir");
    let made = courant(&["demo", "--no-serve", "--articles", "20", "--listen", "127.0.0.1:0"], dir.path());
    assert!(made.status.success(), "{}", text(&made));
    let out = courant(&["reindex"], dir.path());
    assert!(out.status.success(), "{}", text(&out));
    let said = text(&out);
    let n: usize = said
        .split("indexed ")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("reindex should say how many stories it indexed: {said}"));
    assert!((15..=20).contains(&n), "most of 20 demo stories are published: {said}");
    let log = courant(&["webhooks"], dir.path());
    assert!(log.status.success() && text(&log).contains("no webhook deliveries yet"), "{}", text(&log));
}

fn post_beacon(address: &str, id: i64, user_agent: &str) -> u16 {
    let mut stream = TcpStream::connect(address).expect("connect");
    stream.set_read_timeout(Some(Duration::from_secs(10))).expect("timeout");
    let body = id.to_string();
    write!(
        stream,
        "POST /beacon HTTP/1.1\r\nHost: {address}\r\nUser-Agent: {user_agent}\r\n\
         Content-Type: application/x-courant-view\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .expect("send");
    let mut response = String::new();
    stream.read_to_string(&mut response).expect("read");
    response.get(9..12).and_then(|s| s.parse().ok()).unwrap_or(0)
}

#[test]
fn view_counts_survive_a_restart() {
    let dir = tempfile::tempdir().expect("tempdir");
    let made = courant(&["demo", "--no-serve", "--articles", "10", "--listen", "127.0.0.1:0"], dir.path());
    assert!(made.status.success(), "{}", text(&made));
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    let views_of = |id: i64| -> i64 {
        runtime.block_on(async {
            let store = courant_store::Store::open(dir.path()).await.expect("store");
            let n =
                store.views_since(0).await.expect("views").iter().filter(|v| v.article.0 == id).map(|v| v.views).sum();
            store.close().await;
            n
        })
    };
    let id: i64 = runtime.block_on(async {
        let store = courant_store::Store::open(dir.path()).await.expect("store");
        let newest = store.latest(&courant_store::ArticleFilter::All, 1, 0).await.expect("latest")[0].id.0;
        store.close().await;
        newest
    });
    let before = views_of(id);
    // Served, read by two readers, and stopped at once: the counts are stored on the way out.
    let (running, address, _logs) = start(&["serve"], dir.path());
    for reader in ["Mozilla/5.0 Firefox/128.0 one", "Mozilla/5.0 Firefox/128.0 two"] {
        assert_eq!(post_beacon(&address, id, reader), 204);
    }
    stop(running);
    assert_eq!(views_of(id), before + 2, "two views were counted and stored on shutdown");
}

#[test]
fn user_add_prints_a_one_time_password_and_refuses_duplicates() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = courant(&["user", "add", "--email", "Chief@Paper.example", "--role", "admin"], dir.path());
    assert!(out.status.success(), "{}", text(&out));
    let said = text(&out);
    assert!(said.contains("chief@paper.example (admin)"), "the address is stored in lower case: {said}");
    let password = said.lines().map(str::trim).find(|l| l.len() == 20).expect("a 20-character one-time password line");
    assert!(!password.contains(' '), "{password:?}");

    let again = courant(&["user", "add", "--email", "chief@paper.example", "--role", "editor"], dir.path());
    assert!(!again.status.success(), "a second account for one address must be refused");
    assert!(text(&again).contains("already has an account"), "{}", text(&again));

    let bad = courant(&["user", "add", "--email", "x@paper.example", "--role", "owner"], dir.path());
    assert!(!bad.status.success());
    assert!(text(&bad).contains("--role"), "the message names the option: {}", text(&bad));

    let reset = courant(&["user", "reset", "--email", "chief@paper.example"], dir.path());
    assert!(reset.status.success(), "{}", text(&reset));
    assert!(text(&reset).contains("/newsroom/reset/"), "{}", text(&reset));
}

/// `COURANT_TEST_POSTGRES` (set by `scripts/test`); the test fails without it.
fn test_postgres() -> String {
    std::env::var("COURANT_TEST_POSTGRES").ok().filter(|u| !u.is_empty()).expect(
        "this test needs COURANT_TEST_POSTGRES=postgres://user@host:port/database (scripts/test starts a server); \
         not skipping silently",
    )
}

#[tokio::test]
async fn migrate_store_copies_the_demo_into_postgres_and_checks_it() {
    use sqlx::Connection;
    let server = test_postgres();
    let name = format!("cli_{}", std::process::id());
    let mut admin = sqlx::PgConnection::connect(&server).await.expect("connect to the test server");
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}"))).execute(&mut admin).await.expect("create");
    let target = format!("{}/{name}", server.rsplit_once('/').expect("a URL with a database").0);

    let dir = tempfile::tempdir().expect("tempdir");
    let demo = courant(&["demo", "--no-serve", "--articles", "30"], dir.path());
    assert!(demo.status.success(), "{}", text(&demo));
    let from = format!("sqlite:{}", dir.path().display());
    let copy = Command::new(env!("CARGO_BIN_EXE_courant"))
        .args(["migrate-store", "--from", &from, "--to", &target])
        .output()
        .expect("run migrate-store");
    assert!(copy.status.success(), "{}", text(&copy));
    let said = text(&copy);
    assert!(said.contains("every table checked"), "{said}");
    assert!(said.contains("articles") && said.contains("30 rows"), "the report counts the stories: {said}");

    // The copy serves `courant check` as the original did.
    let check = Command::new(env!("CARGO_BIN_EXE_courant"))
        .args(["check", "--data"])
        .arg(dir.path())
        .env("COURANT_STORE_URL", &target)
        .output()
        .expect("run check");
    assert!(check.status.success(), "{}", text(&check));
    let original = courant(&["check"], dir.path());
    let store_line = |o: &Output| text(o).lines().find(|l| l.starts_with("store:")).map(str::to_string);
    assert_eq!(store_line(&check), store_line(&original), "the same counts in both stores");

    // Never into a store that holds a publication; never to somewhere Courant cannot store.
    let again = Command::new(env!("CARGO_BIN_EXE_courant"))
        .args(["migrate-store", "--from", &from, "--to", &target])
        .output()
        .expect("run migrate-store again");
    assert!(!again.status.success() && text(&again).contains("not empty"), "{}", text(&again));
    let bad = Command::new(env!("CARGO_BIN_EXE_courant"))
        .args(["migrate-store", "--from", &from, "--to", "mysql://db/news"])
        .output()
        .expect("run migrate-store");
    assert!(!bad.status.success() && text(&bad).contains("--to"), "{}", text(&bad));
}

/// Every file under `dir` with its bytes, by path relative to `dir`.
fn files_under(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, found: &mut std::collections::BTreeMap<String, Vec<u8>>) {
        for entry in std::fs::read_dir(dir).expect("read dir").map(|e| e.expect("entry")) {
            let path = entry.path();
            if path.is_dir() {
                walk(root, &path, found);
            } else {
                let name = path.strip_prefix(root).expect("under root").to_string_lossy().into_owned();
                found.insert(name, std::fs::read(&path).expect("read file"));
            }
        }
    }
    let mut found = std::collections::BTreeMap::new();
    if dir.is_dir() {
        walk(dir, dir, &mut found);
    }
    found
}

/// Every table's rows and checksum of the SQLite store in `dir`.
fn table_sums(dir: &Path) -> Vec<courant_store::TableCopy> {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    runtime.block_on(async {
        let store = courant_store::Store::open_without_migrating(dir).await.expect("open store");
        let sums = store.checksums().await.expect("checksums");
        store.close().await;
        sums
    })
}

#[test]
fn a_backup_made_while_serving_restores_whole_into_an_empty_folder() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    std::fs::create_dir(&data).expect("data folder");
    std::fs::write(data.join("courant.toml"), "[site]\ntitle = \"The Backup Gazette\"\n").expect("config");
    let (running, address, _logs) = start_demo(&data);
    let archive = dir.path().join("gazette.tar");
    // Made while the demo serves (and its readers' views are being written).
    let made = courant(&["backup", "--out", archive.to_str().expect("utf-8")], &data);
    assert!(made.status.success(), "{}", text(&made));
    assert!(text(&made).contains("picture files"), "{}", text(&made));
    let again = courant(&["backup", "--out", archive.to_str().expect("utf-8")], &data);
    assert!(!again.status.success() && text(&again).contains("exists already"), "{}", text(&again));
    stop(running);

    let restored = dir.path().join("restored");
    let out = courant(&["restore", archive.to_str().expect("utf-8")], &restored);
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("every checksum matches"), "{}", text(&out));
    // The store holds what the backup's copy held: at least everything of the demo, table by
    // table as the served store holds it now (views written after the copy aside).
    let (before, after) = (table_sums(&data), table_sums(&restored));
    assert_eq!(before.len(), after.len(), "the same tables");
    for (b, a) in before.iter().zip(&after) {
        assert_eq!(b.table, a.table);
        if !["trending_views", "cursors", "webhook_deliveries", "article_changes", "sessions"]
            .contains(&b.table.as_str())
        {
            assert_eq!((b.rows, b.checksum), (a.rows, a.checksum), "table {}", b.table);
        }
    }
    for folder in ["media", "originals"] {
        let (original, copy) = (files_under(&data.join(folder)), files_under(&restored.join(folder)));
        assert!(!original.is_empty() || folder == "originals", "the demo has pictures in {folder}");
        assert_eq!(original, copy, "{folder}: the same files, byte for byte");
    }
    assert_eq!(
        std::fs::read_to_string(restored.join("courant.toml")).expect("config restored"),
        "[site]\ntitle = \"The Backup Gazette\"\n"
    );
    // The restored folder serves the publication.
    let (running, address_restored, _) = start(&["serve"], &restored);
    let (status, home) = http_get(&address_restored, "/");
    assert_eq!(status, 200, "{home}");
    assert!(home.contains("The Backup Gazette"), "the restored site is the publication");
    stop(running);
    let _ = address;

    // Not into a folder that holds something; not from a file that is not a backup, and then
    // nothing is left behind.
    let refused = courant(&["restore", archive.to_str().expect("utf-8")], &restored);
    assert!(!refused.status.success() && text(&refused).contains("not empty"), "{}", text(&refused));
    let junk = dir.path().join("junk.tar");
    std::fs::write(&junk, b"this is not an archive at all, just words").expect("junk");
    let empty = dir.path().join("empty");
    let refused = courant(&["restore", junk.to_str().expect("utf-8")], &empty);
    assert!(!refused.status.success() && text(&refused).contains("not a Courant backup"), "{}", text(&refused));
    assert!(!empty.exists(), "a failed restore leaves no folder behind");
    // A backup cut short is refused whole too.
    let bytes = std::fs::read(&archive).expect("archive");
    let cut = dir.path().join("cut.tar");
    std::fs::write(&cut, &bytes[..bytes.len() / 2]).expect("cut");
    let refused = courant(&["restore", cut.to_str().expect("utf-8")], &empty);
    assert!(!refused.status.success(), "{}", text(&refused));
    assert!(!empty.exists(), "a failed restore leaves no folder behind");
}

#[test]
fn backup_of_a_postgresql_store_says_to_use_pg_dump() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("courant.toml"), "[store]\nurl = \"postgres://courant@127.0.0.1:1/news\"\n")
        .expect("config");
    let out = courant(&["backup", "--out", dir.path().join("b.tar").to_str().expect("utf-8")], dir.path());
    assert!(!out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("pg_dump"), "{}", text(&out));
    assert!(!dir.path().join("b.tar").exists(), "nothing is written");
}

#[test]
fn logs_are_json_objects_when_asked() {
    let dir = tempfile::tempdir().expect("tempdir");
    let made = courant(&["migrate"], dir.path());
    assert!(made.status.success(), "{}", text(&made));
    let (running, address, logs) = start_with(&["serve"], dir.path(), &[("COURANT_LOG_FORMAT", "json")]);
    assert_eq!(http_get(&address, "/healthz").0, 200);
    stop(running);
    let lines: Vec<String> = logs.try_iter().collect();
    assert!(!lines.is_empty(), "the server logged nothing");
    let objects: Vec<serde_json::Value> = lines
        .iter()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not a JSON object ({e}): {l}")))
        .collect();
    assert!(objects.iter().all(|o| o["level"].is_string() && o["timestamp"].is_string()), "{lines:#?}");
    assert!(
        objects.iter().any(|o| o["message"] == "request" && o["path"] == "/healthz" && o["status"] == 200),
        "the request line has its fields as JSON: {lines:#?}"
    );
}

#[test]
fn metrics_time_the_store_on_their_own_address() {
    let dir = tempfile::tempdir().expect("tempdir");
    let port = std::net::TcpListener::bind("127.0.0.1:0").expect("bind").local_addr().expect("addr").port();
    std::fs::write(dir.path().join("courant.toml"), format!("[metrics]\nlisten = \"127.0.0.1:{port}\"\n"))
        .expect("config");
    let made = courant(&["migrate"], dir.path());
    assert!(made.status.success(), "{}", text(&made));
    let (running, address, _logs) = start(&["serve"], dir.path());
    assert_eq!(http_get(&address, "/healthz").0, 200);
    let (status, scrape) = http_get(&format!("127.0.0.1:{port}"), "/metrics");
    stop(running);
    assert_eq!(status, 200, "{scrape}");
    let count = scrape
        .lines()
        .find_map(|l| l.strip_prefix("courant_store_query_duration_seconds_count "))
        .and_then(|n| n.trim().parse::<u64>().ok())
        .unwrap_or_else(|| panic!("no store timing in:\n{scrape}"));
    assert!(count > 0, "the store's statements are timed: {count}");
}

fn shared_testdata(name: &str) -> std::path::PathBuf {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/testdata").join(name);
    assert!(path.is_file(), "the shared test data is missing: {}", path.display());
    path
}

// Issue 15: `courant import wordpress` prints its report, refuses a broken file with its place
// and a non-zero status; `courant export` read back by `courant import courant` into a new
// folder exports the same document; the imported stories' old addresses redirect once served.
#[test]
fn import_wordpress_reports_refuses_bad_files_exports_round_trip_and_old_addresses_redirect() {
    let dir = tempfile::tempdir().expect("tempdir");
    let export = shared_testdata("themeunittestdata.wordpress.xml");
    let out = courant(&["import", "wordpress", export.to_str().expect("path")], dir.path());
    let said = text(&out);
    assert!(out.status.success(), "{said}");
    assert!(said.contains("articles        58 imported       0 updated       0 skipped"), "{said}");
    assert!(said.contains("left out        21 pages"), "{said}");

    let broken = dir.path().join("broken.xml");
    let theme = std::fs::read(&export).expect("read");
    std::fs::write(&broken, &theme[..theme.len() / 3]).expect("write");
    let out = courant(&["import", "wordpress", broken.to_str().expect("path")], dir.path());
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(text(&out).contains("was not imported; the store is unchanged: line "), "{}", text(&out));

    // Export, read into a new folder, export again: the same document.
    let first = dir.path().join("first.json");
    let out = courant(&["export", "--out", first.to_str().expect("path")], dir.path());
    assert!(out.status.success(), "{}", text(&out));
    let again = courant(&["export", "--out", first.to_str().expect("path")], dir.path());
    assert!(!again.status.success() && text(&again).contains("new file"), "{}", text(&again));
    let moved = tempfile::tempdir().expect("tempdir");
    let out = courant(&["import", "courant", first.to_str().expect("path")], moved.path());
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("articles                      58 rows"), "{}", text(&out));
    let second = dir.path().join("second.json");
    let out = courant(&["export", "--out", second.to_str().expect("path")], moved.path());
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        std::fs::read(&first).expect("read") == std::fs::read(&second).expect("read"),
        "the round trip changed the document"
    );
    let out = courant(&["import", "courant", first.to_str().expect("path")], moved.path());
    assert_eq!(out.status.code(), Some(1), "a folder with a publication must be refused: {}", text(&out));

    let (running, address, _logs) = start(&["serve"], dir.path());
    for old in ["/2013/01/11/markup-html-tags-and-formatting/", "/?p=1178"] {
        let (status, response) = http_get(&address, old);
        assert_eq!(status, 301, "GET {old}: {response}");
        assert!(
            response.to_ascii_lowercase().contains("location: /classic/2013/01/12/markup-html-tags-and-formatting\r\n"),
            "GET {old}: {response}"
        );
    }
    stop(running);
}

// Issue 16: `courant wire ingest` reads each file whole, says what it gave, ingests a newer
// version in place, and exits 1 when a file was refused, after ingesting the good ones.
#[test]
fn wire_ingest_says_what_each_file_gave_and_fails_when_one_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let ninjs = shared_testdata("wire/ninjs/3.1_004_simple_text_article.json");
    let feed = shared_testdata("feeds/wellformed/feed-rs__rss_2.0_spec_1.xml");
    let broken = shared_testdata("feeds/malformed/feedparser__rss_incomplete_cdata.xml");
    let paths = [ninjs.to_str().expect("path"), broken.to_str().expect("path"), feed.to_str().expect("path")];
    let out = courant(&["wire", "ingest", paths[0], paths[1], paths[2]], dir.path());
    let said = text(&out);
    assert_eq!(out.status.code(), Some(1), "{said}");
    assert!(said.contains("3.1_004_simple_text_article.json: 1 items (IPTC ninjs): 1 new"), "{said}");
    assert!(said.contains("feedparser__rss_incomplete_cdata.xml: refused: line 14"), "{said}");
    assert!(said.contains("feed-rs__rss_2.0_spec_1.xml: 2 items (RSS): 2 new"), "{said}");

    // A newer version of the item replaces it; the same again changes nothing.
    let newer = dir.path().join("newer.json");
    let text_of = std::fs::read_to_string(&ninjs).expect("read");
    std::fs::write(&newer, text_of.replacen("\"uri\"", "\"version\": \"2\", \"uri\"", 1)).expect("write");
    let out = courant(&["wire", "ingest", newer.to_str().expect("path")], dir.path());
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("0 new, 1 updated, 0 unchanged"), "{}", text(&out));
    let out = courant(&["wire", "ingest", newer.to_str().expect("path")], dir.path());
    assert!(text(&out).contains("0 new, 0 updated, 1 unchanged"), "{}", text(&out));
}

// `courant wire add-feed` adds a feed as editors do in the newsroom, refusing a bad address in
// words; `courant wire feeds` lists them with their health.
#[test]
fn wire_feeds_are_added_and_listed_from_the_command_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let url = "http://127.0.0.1:9/agency.xml";
    let out = courant(&["wire", "add-feed", url, "--source", "Loop Agency", "--minutes", "2"], dir.path());
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains(&format!("added: {url} for Loop Agency, every 2 min")), "{}", text(&out));
    let out = courant(&["wire", "add-feed", "ftp://127.0.0.1/x", "--source", "Loop Agency"], dir.path());
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(text(&out).contains("url"), "the refusal names the field: {}", text(&out));
    let out = courant(&["wire", "feeds"], dir.path());
    assert!(out.status.success(), "{}", text(&out));
    let said = text(&out);
    assert!(said.contains(url) && said.contains("Loop Agency") && said.contains("last success never"), "{said}");
    assert_eq!(said.lines().filter(|l| l.contains("http://")).count(), 1, "the refused feed is not there: {said}");
}

// Issue 20: `courant demo` comes with newsletters and no SMTP server: `courant newsletter send`
// writes each message to DATA/outbox/ and says plainly that nothing was sent.
#[test]
fn the_demo_writes_newsletters_to_the_outbox() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = courant(&["demo", "--no-serve", "--articles", "10"], dir.path());
    assert!(out.status.success(), "{}", text(&out));
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    runtime.block_on(async {
        let store = courant_store::Store::open(dir.path()).await.expect("open");
        let lists = store.newsletter_lists().await.expect("lists");
        let slugs: Vec<&str> = lists.iter().map(|l| l.slug.as_str()).collect();
        assert_eq!(slugs, ["morning-briefing", "weekend-reads"], "the demo's newsletters, by name");
        assert!(lists.iter().all(|l| l.active && l.next_edition_at.is_some()), "scheduled: {lists:?}");
        let now = time::OffsetDateTime::now_utc();
        let (s, _) =
            store.request_subscription("reader@example.org", now, time::Duration::minutes(1), 5).await.expect("ask");
        store.confirm_subscription(s.id, &[lists[0].id], now).await.expect("confirm");
        store.close().await;
    });
    let out = courant(&["newsletter", "send", "--list", "morning-briefing"], dir.path());
    assert!(out.status.success(), "{}", text(&out));
    let said = text(&out);
    assert!(said.contains("1 recipients queued now; 1 messages sent by this run"), "{said}");
    assert!(said.contains("no SMTP server is configured") && said.contains("outbox"), "{said}");
    let eml: Vec<_> = std::fs::read_dir(dir.path().join("outbox"))
        .expect("the outbox")
        .filter_map(|e| e.ok())
        .filter(|e| e.path().extension().is_some_and(|x| x == "eml"))
        .collect();
    assert_eq!(eml.len(), 1, "one message in the outbox");
    let message = std::fs::read_to_string(eml[0].path()).expect("read");
    assert!(message.contains("To: reader@example.org") && message.contains("List-Unsubscribe:"), "{message}");
    let out = courant(&["newsletter", "send", "--list", "no-such-list"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out).contains("morning-briefing, weekend-reads"), "names the lists there are: {}", text(&out));
}

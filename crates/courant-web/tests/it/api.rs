//! Issue #6: the content API, checked against its own OpenAPI document with a real JSON Schema
//! validator (Debian's python3-jsonschema, draft 2020-12 as OpenAPI 3.1 uses).

use crate::distribution::fresh;
use crate::support::*;
use serde_json::{Value, json};
use std::process::Command;

/// Validates each (schema reference, JSON) pair against the served OpenAPI document; panics with
/// every failure, naming what was checked.
fn validate(doc: &Value, checks: &[(String, &str, Value)]) {
    let input = json!({
        "doc": doc,
        "checks": checks.iter().map(|(what, schema, value)| json!({"what": what, "schema": schema, "value": value})).collect::<Vec<_>>(),
    });
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("input.json");
    std::fs::write(&file, input.to_string()).expect("write");
    let script = r#"
import json, sys
from jsonschema import Draft202012Validator, RefResolver
data = json.load(open(sys.argv[1]))
doc = data["doc"]
resolver = RefResolver.from_schema(doc)
failures = []
for c in data["checks"]:
    v = Draft202012Validator({"$ref": c["schema"]}, resolver=resolver, format_checker=Draft202012Validator.FORMAT_CHECKER)
    for e in v.iter_errors(c["value"]):
        failures.append(f'{c["what"]}: {e.message} at {list(e.absolute_path)}')
print("\n".join(failures))
sys.exit(1 if failures else 0)
"#;
    let out = Command::new("/usr/bin/python3")
        .args(["-c", script])
        .arg(&file)
        .output()
        .expect("/usr/bin/python3 is missing: install python3-jsonschema (scripts/test does)");
    assert!(
        out.status.success(),
        "answers do not match the OpenAPI document:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

async fn api(path: &str) -> (u16, Value, Resp) {
    let r = app().get(path).await;
    assert_eq!(r.content_type(), "application/json", "GET {path}: {}", r.describe());
    let v: Value =
        serde_json::from_str(&r.body).unwrap_or_else(|e| panic!("GET {path}: not JSON ({e}): {}", r.describe()));
    (r.status, v, r)
}

async fn openapi() -> Value {
    let (status, doc, _) = api("/api/v1/openapi.json").await;
    assert_eq!(status, 200);
    assert_eq!(doc["openapi"], "3.1.0");
    doc
}

fn response_schema<'a>(doc: &'a Value, path: &str, status: u16) -> &'a str {
    doc["paths"][path]["get"]["responses"][status.to_string()]["content"]["application/json"]["schema"]["$ref"]
        .as_str()
        .unwrap_or_else(|| panic!("the OpenAPI document gives no schema for {path} {status}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_documented_answer_matches_its_schema() {
    let app = app();
    let f = &app.fixture;
    let doc = openapi().await;
    let id = f.main.id.0;
    let cases: Vec<(String, &str, u16)> = vec![
        ("/api/v1/articles".into(), "/articles", 200),
        (format!("/api/v1/articles?section={}&limit=5", f.news.slug), "/articles", 200),
        (format!("/api/v1/articles/{id}"), "/articles/{id}", 200),
        (format!("/api/v1/articles/by-path?path={}", f.main_path), "/articles/by-path", 200),
        ("/api/v1/sections".into(), "/sections", 200),
        ("/api/v1/tags".into(), "/tags", 200),
        ("/api/v1/authors".into(), "/authors", 200),
        ("/api/v1/sources".into(), "/sources", 200),
        ("/api/v1/articles?limit=0".into(), "/articles", 400),
        ("/api/v1/articles/999999999".into(), "/articles/{id}", 404),
        ("/api/v1/articles/by-path".into(), "/articles/by-path", 400),
        ("/api/v1/search?q=cranes".into(), "/search", 200),
        ("/api/v1/search?q=".into(), "/search", 400),
    ];
    let mut checks = Vec::new();
    for (url, path, status) in &cases {
        let (got, value, r) = api(url).await;
        assert_eq!(got, *status, "GET {url}: {}", r.describe());
        checks.push((format!("GET {url}"), response_schema(&doc, path, *status), value));
    }
    let documented: Vec<&String> = doc["paths"].as_object().expect("paths").keys().collect();
    for path in &documented {
        assert!(
            path.as_str() == "/openapi.json" || cases.iter().any(|c| c.1 == path.as_str()),
            "the documented path {path} is not exercised by this test"
        );
    }
    validate(&doc, &checks);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_article_carries_what_its_page_shows() {
    let app = app();
    let f = &app.fixture;
    let (status, a, _) = api(&format!("/api/v1/articles/{}", f.main.id.0)).await;
    assert_eq!(status, 200);
    assert_eq!(a["headline"], MAIN_HEADLINE);
    assert_eq!(a["path"], f.main_path.as_str());
    assert_eq!(a["published_at"], MAIN_PUBLISHED_ISO);
    assert_eq!(a["body_markdown"], f.main.body.as_str());
    assert!(
        a["body_html"].as_str().is_some_and(|h| h.contains("<blockquote>") && h.contains(QUOTE_TEXT)),
        "{}",
        a["body_html"]
    );
    let authors: Vec<&str> = a["authors"].as_array().unwrap().iter().filter_map(|x| x["name"].as_str()).collect();
    assert_eq!(authors, f.main.authors.iter().map(|x| x.name.as_str()).collect::<Vec<_>>());
    let sources: Vec<&str> = a["sources"].as_array().unwrap().iter().filter_map(|x| x["name"].as_str()).collect();
    assert_eq!(sources, f.sources.iter().map(|x| x.name.as_str()).collect::<Vec<_>>());
    assert_eq!(a["corrections"][0]["text"], CORRECTION);
    assert_eq!(a["image"]["caption"], HERO_CAPTION);
    assert_eq!(a["image"]["credit"], HERO_CREDIT);
    let variants: Vec<&str> =
        a["image"]["variants"].as_array().unwrap().iter().filter_map(|v| v["name"].as_str()).collect();
    assert_eq!(variants, ["original", "16x9", "4x3", "1x1"]);
    let related: Vec<&str> = a["related"].as_array().unwrap().iter().filter_map(|r| r["url"].as_str()).collect();
    assert_eq!(related.len(), f.related_paths.len());
    for (url, path) in related.iter().zip(&f.related_paths) {
        assert!(url.ends_with(path.as_str()), "related {url} should be {path}");
    }
    // The old address of a renamed story finds the story; withdrawn and unpublished ones do not.
    let (status, moved, _) = api(&format!("/api/v1/articles/by-path?path={}", f.renamed_old_path)).await;
    assert_eq!(status, 200);
    assert!(moved["path"].as_str().is_some_and(|p| p == f.renamed_new_path), "{}", moved["path"]);
    let (status, gone, _) = api(&format!("/api/v1/articles/by-path?path={}", f.unpublished_path)).await;
    assert_eq!((status, gone["error"].as_str()), (410, Some("gone")));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cursor_pages_walk_every_published_story_once() {
    let app = app();
    let expected: Vec<i64> = app.published().await.iter().map(|a| a.id.0).collect();
    let mut seen = Vec::new();
    let mut url = "/api/v1/articles?limit=7".to_string();
    for _ in 0..100 {
        let (status, page, r) = api(&url).await;
        assert_eq!(status, 200, "GET {url}: {}", r.describe());
        let articles = page["articles"].as_array().expect("articles");
        assert!(articles.len() <= 7);
        seen.extend(articles.iter().filter_map(|a| a["id"].as_i64()));
        match page["next_cursor"].as_str() {
            Some(cursor) => url = format!("/api/v1/articles?limit=7&cursor={cursor}"),
            None => break,
        }
    }
    assert_eq!(seen, expected, "pages must list every published story once, newest first");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn filters_narrow_the_list() {
    let app = app();
    let f = &app.fixture;
    let paths = |v: &Value| -> Vec<String> {
        v["articles"].as_array().unwrap().iter().filter_map(|a| a["path"].as_str().map(String::from)).collect()
    };
    let (_, news, _) = api(&format!("/api/v1/articles?section={}&limit=100", f.news.slug)).await;
    assert_eq!(paths(&news), f.news_paths, "a section includes its subsections' stories");
    let (_, tagged, _) = api(&format!("/api/v1/articles?tag={}&limit=100", f.tags[0].slug)).await;
    assert_eq!(paths(&tagged), f.tag_paths[0]);
    let (_, by, _) = api(&format!("/api/v1/articles?author={}&limit=100", f.author.slug)).await;
    assert_eq!(paths(&by), f.author_paths);
    let (_, from, _) = api(&format!("/api/v1/articles?source={}&limit=100", f.sources[0].slug)).await;
    assert_eq!(paths(&from), f.source_paths[0]);
    let (_, window, _) = api("/api/v1/articles?since=2026-11-20T09:00:00Z&until=2026-11-20T09:00:01Z").await;
    assert_eq!(paths(&window), vec![f.main_path.clone()], "since is inclusive, until exclusive");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_parameters_are_named_in_json() {
    for (query, parameter) in [
        ("limit=0", "limit"),
        ("limit=abc", "limit"),
        ("since=yesterday", "since"),
        ("until=2026-13-01T00:00:00Z", "until"),
        ("cursor=nonsense", "cursor"),
        ("section=no-such-section", "section"),
        ("tag=no-such-tag", "tag"),
    ] {
        let (status, e, _) = api(&format!("/api/v1/articles?{query}")).await;
        assert_eq!(status, 400, "?{query}");
        assert_eq!(e["error"], "invalid_parameter", "?{query}: {e}");
        assert_eq!(e["parameter"], parameter, "?{query}: {e}");
        assert!(e["message"].as_str().is_some_and(|m| m.contains(parameter)), "?{query}: {e}");
    }
    let (status, e, _) = api("/api/v1/articles?colour=red").await;
    assert_eq!((status, e["error"].as_str()), (400, Some("bad_request")));
    assert!(e["message"].as_str().is_some_and(|m| m.contains("colour")), "{e}");
    let (status, e, _) = api("/api/v1/no-such-endpoint").await;
    assert_eq!((status, e["error"].as_str()), (404, Some("not_found")), "unknown API paths answer JSON, not a page");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn answers_validate_and_allow_other_origins() {
    let app = app();
    let client = app.client();
    let url = app.url("/api/v1/sections");
    let first = client.get(&url).header("Origin", "https://partner.example").send().await.expect("request");
    assert_eq!(first.status().as_u16(), 200);
    assert_eq!(first.headers().get("access-control-allow-origin").and_then(|v| v.to_str().ok()), Some("*"));
    let etag = first.headers().get("etag").and_then(|v| v.to_str().ok()).expect("ETag").to_string();
    let again = client.get(&url).header("If-None-Match", &etag).send().await.expect("request");
    assert_eq!(again.status().as_u16(), 304);
    let preflight = client
        .request(reqwest::Method::OPTIONS, &url)
        .header("Origin", "https://partner.example")
        .header("Access-Control-Request-Method", "GET")
        .send()
        .await
        .expect("request");
    assert_eq!(preflight.status().as_u16(), 204);
    let methods = preflight.headers().get("access-control-allow-methods").and_then(|v| v.to_str().ok()).unwrap_or("");
    assert!(methods.contains("GET"), "{methods}");
    let post = client.post(&url).send().await.expect("request");
    assert_eq!(post.status().as_u16(), 405, "the API is read-only");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn too_many_requests_get_429_with_retry_after() {
    let (base, config) = fresh();
    let limit = config.api.requests_per_minute as usize;
    let client = http_client();
    let mut refused = None;
    for _ in 0..limit + 5 {
        let r = client.get(format!("{base}/api/v1/tags")).send().await.expect("request");
        if r.status().as_u16() == 429 {
            refused = Some(r);
            break;
        }
        assert_eq!(r.status().as_u16(), 200);
    }
    let r = refused.unwrap_or_else(|| panic!("{} requests in a row were all served; the limit is {limit}", limit + 5));
    let retry: u64 =
        r.headers().get("retry-after").and_then(|v| v.to_str().ok()).and_then(|v| v.parse().ok()).expect("Retry-After");
    assert!((1..=60).contains(&retry), "Retry-After {retry}");
    let body: Value = serde_json::from_str(&r.text().await.expect("body")).expect("JSON");
    assert_eq!(body["error"], "rate_limited");
    // Pages for readers are not limited by the API's allowance.
    let page = client.get(format!("{base}/")).send().await.expect("request");
    assert_eq!(page.status().as_u16(), 200);
}

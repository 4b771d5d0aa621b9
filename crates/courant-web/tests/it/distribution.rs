//! Issue #6: feeds, sitemaps, structured data and previews, checked with real third-party
//! parsers: Python's feedparser for RSS and Atom, xmllint with the official sitemap schemas,
//! and serde_json for JSON Feed and JSON-LD.

use crate::support::*;
use serde_json::Value;
use std::path::PathBuf;
use std::process::Command;
use std::sync::OnceLock;

/// The schemas shipped beside the repository (`../shared/schemas`).
fn schemas() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/schemas");
    assert!(dir.join("sitemap-urlset.xsd").is_file(), "the sitemap schemas are missing from {}", dir.display());
    dir
}

/// Validates XML against an XSD with xmllint; panics with xmllint's words when it fails.
fn xmllint(xml: &str, xsd: &str, what: &str) {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("doc.xml");
    std::fs::write(&file, xml).expect("write xml");
    let out = Command::new("xmllint")
        .args(["--noout", "--nonet", "--schema"])
        .arg(schemas().join(xsd))
        .arg(&file)
        .output()
        .expect("xmllint is missing: install libxml2-utils (scripts/test does)");
    assert!(
        out.status.success(),
        "{what} does not validate against {xsd}:\n{}\n{}",
        String::from_utf8_lossy(&out.stderr),
        excerpt(xml)
    );
}

/// What Python's feedparser (Debian's python3-feedparser) makes of a feed.
fn feedparser(xml: &str) -> Value {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("feed.xml");
    std::fs::write(&file, xml).expect("write feed");
    let script = r#"
import json, sys, feedparser
d = feedparser.parse(sys.argv[1])
print(json.dumps({
    "version": d.version, "bozo": bool(d.bozo), "bozo_exception": str(d.get("bozo_exception", "")),
    "title": d.feed.get("title"),
    "entries": [{
        "title": e.get("title"), "link": e.get("link"), "id": e.get("id"),
        "authors": [a.get("name") for a in e.get("authors", [])],
        "tags": [t.get("term") for t in e.get("tags", [])],
        "media": [dict(m) for m in e.get("media_content", [])],
        "enclosures": [dict(x) for x in e.get("enclosures", [])],
        "summary": e.get("summary"), "content": [c.get("value") for c in e.get("content", [])],
        "published": e.get("published"),
    } for e in d.entries],
}))
"#;
    let out = Command::new("/usr/bin/python3")
        .args(["-c", script])
        .arg(&file)
        .output()
        .expect("/usr/bin/python3 is missing: install python3-feedparser (scripts/test does)");
    assert!(
        out.status.success(),
        "feedparser failed (is python3-feedparser installed?): {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("feedparser's JSON")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_feed_parses_without_warnings() {
    let app = app();
    let f = &app.fixture;
    let scopes = [
        "/".to_string(),
        format!("/{}/", f.world.slug),
        format!("/{}/", f.news.slug),
        format!("/tag/{}/", f.tags[0].slug),
        format!("/author/{}/", f.author.slug),
        format!("/source/{}/", f.sources[0].slug),
    ];
    for scope in &scopes {
        for (file, version, mime) in
            [("rss.xml", "rss20", "application/rss+xml"), ("atom.xml", "atom10", "application/atom+xml")]
        {
            let path = format!("{scope}{file}");
            let r = app.get(&path).await;
            r.expect_status(200);
            assert!(r.content_type().starts_with(mime), "GET {path}: content type {}", r.content_type());
            let parsed = feedparser(&r.body);
            assert_eq!(
                parsed["bozo"],
                Value::Bool(false),
                "GET {path}: feedparser warns: {}",
                parsed["bozo_exception"]
            );
            assert_eq!(parsed["version"], version, "GET {path}");
            let entries = parsed["entries"].as_array().expect("entries");
            assert!(!entries.is_empty(), "GET {path}: no entries");
            let links: Vec<&str> = entries.iter().filter_map(|e| e["link"].as_str()).collect();
            assert!(
                links.iter().any(|l| l.ends_with(&f.main_path)),
                "GET {path}: the fixture's main story {} is missing from {links:?}",
                f.main_path
            );
            let ids: std::collections::HashSet<&str> = entries.iter().filter_map(|e| e["id"].as_str()).collect();
            assert_eq!(ids.len(), entries.len(), "GET {path}: entry ids must be unique and present");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn feed_items_carry_authors_categories_content_and_picture() {
    let app = app();
    let f = &app.fixture;
    let path = format!("/{}/rss.xml", f.world.slug);
    let parsed = feedparser(&app.get(&path).await.expect_status(200).body);
    let entry = parsed["entries"]
        .as_array()
        .and_then(|es| es.iter().find(|e| e["link"].as_str().is_some_and(|l| l.ends_with(&f.main_path))))
        .expect("the main story in its section's feed")
        .clone();
    assert_eq!(entry["title"], MAIN_HEADLINE);
    assert_eq!(entry["summary"], f.main.standfirst.as_str(), "the summary is the standfirst");
    let authors: Vec<&str> = entry["authors"].as_array().unwrap().iter().filter_map(|a| a.as_str()).collect();
    for a in &f.main.authors {
        assert!(authors.contains(&a.name.as_str()), "GET {path}: author {} missing from {authors:?}", a.name);
    }
    let tags: Vec<&str> = entry["tags"].as_array().unwrap().iter().filter_map(|t| t.as_str()).collect();
    assert!(tags.contains(&f.world.name.as_str()), "the section is a category: {tags:?}");
    for t in &f.tags {
        assert!(tags.contains(&t.name.as_str()), "tag {} missing from {tags:?}", t.name);
    }
    let content = entry["content"][0].as_str().unwrap_or_default();
    assert!(content.contains(QUOTE_TEXT), "full content in the feed: {}", excerpt(content));
    assert!(!content.contains("href=\"/"), "links in feed content must be absolute: {}", excerpt(content));
    let media = &entry["media"][0];
    let hero = f.main.hero.as_ref().expect("the main story has a picture");
    assert_eq!(media["width"], hero.width.to_string(), "media:content width: {media}");
    assert_eq!(media["height"], hero.height.to_string(), "media:content height: {media}");
    let enclosure = &entry["enclosures"][0];
    assert!(enclosure["href"].as_str().is_some_and(|u| u.ends_with(&hero.file)), "enclosure: {enclosure}");
    assert!(enclosure["length"].as_str().and_then(|l| l.parse::<u64>().ok()).is_some_and(|n| n > 0), "{enclosure}");
    let raw = app.get(&path).await.body;
    assert!(raw.contains("<media:credit>Photo: Test Agency</media:credit>"), "the picture's credit: {}", excerpt(&raw));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn json_feed_follows_version_1_1() {
    let app = app();
    let f = &app.fixture;
    for path in ["/feed.json".to_string(), format!("/{}/feed.json", f.world.slug)] {
        let r = app.get(&path).await;
        r.expect_status(200);
        assert!(r.content_type().starts_with("application/feed+json"), "GET {path}: {}", r.content_type());
        let feed: Value = serde_json::from_str(&r.body).expect("JSON");
        assert_eq!(feed["version"], "https://jsonfeed.org/version/1.1", "GET {path}");
        assert!(feed["title"].as_str().is_some_and(|t| !t.is_empty()), "GET {path}: title is required");
        for key in ["home_page_url", "feed_url"] {
            assert!(feed[key].as_str().is_some_and(|u| u.starts_with("http")), "GET {path}: {key} must be absolute");
        }
        assert!(
            feed["feed_url"].as_str().is_some_and(|u| u.ends_with(&path)),
            "GET {path}: feed_url {}",
            feed["feed_url"]
        );
        let items = feed["items"].as_array().expect("items is required");
        assert!(!items.is_empty() && items.len() <= 50, "GET {path}: {} items", items.len());
        let mut ids = std::collections::HashSet::new();
        for item in items {
            let id = item["id"].as_str().expect("every item has a string id");
            assert!(ids.insert(id.to_string()), "GET {path}: duplicate id {id}");
            assert!(item["content_html"].is_string() || item["content_text"].is_string(), "item {id} has no content");
            for date in ["date_published", "date_modified"] {
                let d = item[date].as_str().unwrap_or_default();
                assert!(
                    time::OffsetDateTime::parse(d, &time::format_description::well_known::Rfc3339).is_ok(),
                    "item {id}: {date} {d:?} is not RFC 3339"
                );
            }
            for author in item["authors"].as_array().expect("authors") {
                assert!(author["name"].is_string(), "item {id}: an author without a name");
            }
            assert!(item["url"].as_str().is_some_and(|u| u.starts_with("http")), "item {id}: url must be absolute");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn feeds_answer_conditional_requests() {
    let app = app();
    let first = app.get("/rss.xml").await;
    first.expect_status(200);
    let etag = first.header("etag").expect("ETag").to_string();
    let modified = first.header("last-modified").expect("Last-Modified").to_string();
    let client = app.client();
    let again = client.get(app.url("/rss.xml")).header("If-None-Match", &etag).send().await.expect("request");
    assert_eq!(again.status().as_u16(), 304, "If-None-Match {etag} should answer 304");
    let since = client.get(app.url("/rss.xml")).header("If-Modified-Since", &modified).send().await.expect("request");
    assert_eq!(since.status().as_u16(), 304, "If-Modified-Since {modified} should answer 304");
    let old = client
        .get(app.url("/rss.xml"))
        .header("If-Modified-Since", "Mon, 01 Jan 2001 00:00:00 GMT")
        .send()
        .await
        .expect("request");
    assert_eq!(old.status().as_u16(), 200, "an old If-Modified-Since gets the feed");
    let other = client.get(app.url("/rss.xml")).header("If-None-Match", "\"other\"").send().await.expect("request");
    assert_eq!(other.status().as_u16(), 200, "a different ETag gets the feed");
    assert_eq!(app.get("/world-of-nothing/rss.xml").await.status, 404);
    assert_eq!(app.get(&format!("/{}/feed.xml", app.fixture.world.slug)).await.status, 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_advertise_their_feeds() {
    let app = app();
    let f = &app.fixture;
    let pages = [
        ("/".to_string(), "/rss.xml".to_string()),
        (format!("/{}", f.world.slug), format!("/{}/rss.xml", f.world.slug)),
        (format!("/tag/{}", f.tags[0].slug), format!("/tag/{}/rss.xml", f.tags[0].slug)),
        (format!("/author/{}", f.author.slug), format!("/author/{}/rss.xml", f.author.slug)),
        (format!("/source/{}", f.sources[0].slug), format!("/source/{}/rss.xml", f.sources[0].slug)),
        (f.main_path.clone(), format!("/{}/rss.xml", f.world.slug)),
    ];
    for (page, feed) in &pages {
        let doc = app.html(page).await;
        let links: Vec<(String, String)> = select_all(&doc, "link[rel=alternate][type]")
            .into_iter()
            .map(|l| (attr(l, "type"), attr(l, "href")))
            .collect();
        assert!(
            links.contains(&("application/rss+xml".into(), feed.clone())),
            "GET {page}: {feed} is not advertised in {links:?}"
        );
        for (_, href) in &links {
            assert_eq!(app.get(href).await.status, 200, "GET {page} advertises {href}, which does not answer");
        }
    }
}

/// A second server whose demo was written just now, so the Google News sitemap has stories, with
/// a configured address, robots rules and ads.txt records.
pub(crate) fn fresh() -> &'static (String, courant::Config) {
    static FRESH: OnceLock<(String, courant::Config)> = OnceLock::new();
    FRESH.get_or_init(|| {
        let mut config = courant::Config::default();
        config.site.url = "https://news.example".into();
        config.robots.disallow = vec!["/private/".into()];
        config.ads.txt = vec!["adserver.example, pub-1234, DIRECT".into()];
        config.api.requests_per_minute = 20;
        let mut options = courant_demo::DemoOptions::new(30, time::OffsetDateTime::now_utc());
        options.days = 10;
        options.picture_pool = 4;
        let server = spawn_server(config.clone(), options);
        (server.base, config)
    })
}

pub(crate) async fn fresh_get(path: &str) -> (u16, String, String) {
    let (base, _) = fresh();
    let r = http_client().get(format!("{base}{path}")).send().await.unwrap_or_else(|e| panic!("GET {path}: {e}"));
    let status = r.status().as_u16();
    let ct = r.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
    (status, ct, r.text().await.unwrap_or_default())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sitemaps_validate_against_the_official_schemas() {
    let (status, ct, index) = fresh_get("/sitemap.xml").await;
    assert_eq!(status, 200);
    assert!(ct.starts_with("application/xml"), "{ct}");
    xmllint(&index, "siteindex.xsd", "/sitemap.xml");
    let doc = scraper::Html::parse_document(&index);
    let locs: Vec<String> = select_all(&doc, "loc").into_iter().map(text).collect();
    assert!(locs.len() >= 2, "the index lists the page sitemap and at least one month: {locs:?}");
    let mut article_urls = Vec::new();
    for loc in &locs {
        let path =
            loc.strip_prefix("https://news.example").unwrap_or_else(|| panic!("{loc} is not absolute on the site"));
        let (status, _, xml) = fresh_get(path).await;
        assert_eq!(status, 200, "GET {path}");
        xmllint(&xml, "sitemap-urlset.xsd", path);
        let d = scraper::Html::parse_document(&xml);
        article_urls.extend(select_all(&d, "url > loc").into_iter().map(text).filter(|u| u.contains("/2026/")));
    }
    assert!(!article_urls.is_empty(), "the monthly sitemaps list articles");
    let (status, _, news) = fresh_get("/sitemap-news.xml").await;
    assert_eq!(status, 200);
    xmllint(&news, "sitemap-urlset.xsd", "/sitemap-news.xml");
    let d = scraper::Html::parse_document(&news);
    let dates: Vec<String> = select_all(&d, "news\\:publication_date").into_iter().map(text).collect();
    assert!(!dates.is_empty(), "stories of the last 48 hours are in the news sitemap: {}", excerpt(&news));
    let now = time::OffsetDateTime::now_utc();
    for date in &dates {
        let t = time::OffsetDateTime::parse(date, &time::format_description::well_known::Rfc3339).expect("RFC 3339");
        assert!(now - t <= time::Duration::hours(48), "{date} is older than 48 hours");
    }
    assert!(news.contains("<news:language>en</news:language>"), "{}", excerpt(&news));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn robots_and_ads_txt_follow_the_configuration() {
    let (status, ct, robots) = fresh_get("/robots.txt").await;
    assert_eq!(status, 200);
    assert!(ct.starts_with("text/plain"), "{ct}");
    for line in
        ["User-agent: *", "Disallow: /newsroom/", "Disallow: /private/", "Sitemap: https://news.example/sitemap.xml"]
    {
        assert!(robots.lines().any(|l| l == line), "robots.txt lacks {line:?}:\n{robots}");
    }
    let (status, _, ads) = fresh_get("/ads.txt").await;
    assert_eq!((status, ads.as_str()), (200, "adserver.example, pub-1234, DIRECT\n"));
    // The main test server has no records configured.
    assert_eq!(app().get("/ads.txt").await.status, 404);
}

/// The JSON-LD blocks of a page, parsed.
fn jsonld(doc: &scraper::Html, page: &str) -> Vec<Value> {
    let mut all = Vec::new();
    for script in select_all(doc, "script[type=\"application/ld+json\"]") {
        let raw: String = script.text().collect();
        match serde_json::from_str::<Value>(&raw).unwrap_or_else(|e| panic!("GET {page}: JSON-LD does not parse: {e}"))
        {
            Value::Array(items) => all.extend(items),
            one => all.push(one),
        }
    }
    all
}

fn of_type<'a>(items: &'a [Value], t: &str) -> &'a Value {
    items.iter().find(|v| v["@type"] == t).unwrap_or_else(|| panic!("no {t} in {items:?}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn article_structured_data_is_complete() {
    let app = app();
    let f = &app.fixture;
    let doc = app.html(&f.main_path).await;
    let items = jsonld(&doc, &f.main_path);
    let article = of_type(&items, "NewsArticle");
    assert_eq!(article["@context"], "https://schema.org");
    assert_eq!(article["headline"], MAIN_HEADLINE);
    assert_eq!(article["datePublished"], MAIN_PUBLISHED_ISO);
    assert!(article["dateModified"].as_str().is_some_and(|d| d >= MAIN_UPDATED_ISO), "{}", article["dateModified"]);
    assert_eq!(article["articleSection"], f.world.name.as_str());
    assert_eq!(article["isAccessibleForFree"], true);
    assert!(article["mainEntityOfPage"]["@id"].as_str().is_some_and(|u| u.ends_with(&f.main_path)));
    let authors = article["author"].as_array().expect("author list");
    assert_eq!(authors.len(), f.main.authors.len());
    for (a, expected) in authors.iter().zip(&f.main.authors) {
        assert_eq!(a["@type"], "Person");
        assert_eq!(a["name"], expected.name.as_str());
        assert!(a["url"].as_str().is_some_and(|u| u.ends_with(&format!("/author/{}", expected.slug))));
    }
    assert_eq!(article["publisher"]["@type"], "NewsMediaOrganization");
    let logo = article["publisher"]["logo"]["url"].as_str().expect("publisher logo");
    let logo_path = logo.split_once("/static/").map(|(_, rest)| format!("/static/{rest}")).expect("a site logo");
    let logo_resp = app.get(&logo_path).await;
    // A raster logo, as Google prefers (issue 19).
    assert_eq!((logo_resp.status, logo_resp.content_type()), (200, "image/png"), "GET {logo_path}");
    let keywords: Vec<&str> =
        article["keywords"].as_array().expect("keywords").iter().filter_map(|k| k.as_str()).collect();
    for t in &f.tags {
        assert!(keywords.contains(&t.name.as_str()), "keyword {} missing from {keywords:?}", t.name);
    }
    let based_on: Vec<&str> =
        article["isBasedOn"].as_array().expect("isBasedOn").iter().filter_map(|v| v.as_str()).collect();
    for s in &f.sources {
        assert!(based_on.contains(&s.url.as_str()), "source {} missing from isBasedOn {based_on:?}", s.url);
    }
    let citations = article["citation"].as_array().expect("citation");
    assert_eq!(citations.len(), f.sources.len());
    let corrections = article["correction"].as_array().expect("correction");
    assert_eq!(corrections[0]["@type"], "CorrectionComment");
    assert_eq!(corrections[0]["text"], CORRECTION);
    assert!(corrections[0]["datePublished"].is_string());

    // Three crops, in 16:9, 4:3 and 1:1, that exist and have the size they claim.
    let images = article["image"].as_array().expect("image list");
    assert_eq!(images.len(), 3, "{images:?}");
    for (img, (rw, rh)) in images.iter().zip([(16u32, 9u32), (4, 3), (1, 1)]) {
        let (w, h) = (img["width"].as_u64().unwrap_or(0) as u32, img["height"].as_u64().unwrap_or(0) as u32);
        assert!((i64::from(w * rh) - i64::from(h * rw)).abs() <= i64::from(rw.max(rh)), "{w}x{h} is not {rw}:{rh}");
        let url = img["url"].as_str().expect("url");
        let path = url.split_once("/media/").map(|(_, p)| format!("/media/{p}")).expect("a media URL");
        let bytes = http_client().get(app.url(&path)).send().await.expect("crop").bytes().await.expect("body");
        let (_, pw, ph) = courant_media::probe(&bytes).unwrap_or_else(|e| panic!("GET {path}: {e}"));
        assert_eq!((pw, ph), (w, h), "GET {path}: the crop's real size");
    }

    // The breadcrumb list matches the visible breadcrumb, item for item.
    let crumbs = of_type(&items, "BreadcrumbList")["itemListElement"].as_array().expect("items").clone();
    let visible: Vec<(String, String)> =
        select_all(&doc, "nav[aria-label=\"Breadcrumb\"] a").into_iter().map(|a| (text(a), attr(a, "href"))).collect();
    assert_eq!(crumbs.len(), visible.len(), "{crumbs:?} vs {visible:?}");
    for (i, (c, (name, href))) in crumbs.iter().zip(&visible).enumerate() {
        assert_eq!(c["position"], i + 1);
        assert_eq!(c["name"], name.as_str());
        assert!(c["item"].as_str().is_some_and(|u| u.ends_with(href.as_str())), "{c} vs {href}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn previews_and_other_page_kinds_carry_their_metadata() {
    let app = app();
    let f = &app.fixture;
    let doc = app.html(&f.main_path).await;
    let meta = |key: &str| -> Vec<String> {
        select_all(&doc, &format!("meta[property=\"{key}\"], meta[name=\"{key}\"]"))
            .into_iter()
            .map(|m| attr(m, "content"))
            .collect()
    };
    assert_eq!(meta("og:type"), vec!["article"]);
    assert_eq!(meta("og:title"), vec![MAIN_HEADLINE]);
    assert_eq!(meta("og:description"), vec![f.main.standfirst.clone()]);
    assert_eq!(meta("og:image:alt"), vec![HERO_ALT]);
    let hero = f.main.hero.as_ref().expect("hero");
    assert_eq!(meta("og:image:width"), vec![hero.width.to_string()]);
    assert_eq!(meta("article:published_time"), vec![MAIN_PUBLISHED_ISO]);
    assert_eq!(meta("article:section"), vec![f.world.name.clone()]);
    assert_eq!(meta("article:tag").len(), f.tags.len());
    assert_eq!(meta("article:author").len(), f.main.authors.len());
    assert_eq!(meta("twitter:card"), vec!["summary_large_image"]);
    assert_eq!(meta("description"), vec![f.main.standfirst.clone()]);
    let hreflang = select_all(&doc, "link[rel=alternate][hreflang]");
    assert_eq!(hreflang.len(), 1);
    assert_eq!(attr(hreflang[0], "hreflang"), attr(select_all(&doc, "html")[0], "lang"));

    let home = app.html("/").await;
    let site = of_type(&jsonld(&home, "/"), "WebSite").clone();
    assert_eq!(site["name"], app.config.site.title.as_str());
    assert_eq!(site["potentialAction"]["@type"], "SearchAction");
    let template = site["potentialAction"]["target"]["urlTemplate"].as_str().expect("urlTemplate");
    assert!(template.ends_with("/search?q={search_term_string}"), "{template}");
    let search_path = template
        .split_once("/search")
        .map(|(_, rest)| format!("/search{}", rest.replace("{search_term_string}", "cranes")))
        .expect("a search URL");
    assert_eq!(app.get(&search_path).await.status, 200, "the search the home page announces works: {search_path}");
    let author_page = format!("/author/{}", f.author.slug);
    let person = of_type(&jsonld(&app.html(&author_page).await, &author_page), "Person").clone();
    assert_eq!(person["name"], AUTHOR_NAME);
    assert_eq!(person["jobTitle"], AUTHOR_TITLE);
    assert!(person["image"].as_str().is_some_and(|u| u.contains("/media/")), "{person}");
}

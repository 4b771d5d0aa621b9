//! The article page (on the fixture's main article), a hostile body, the home page, and every
//! published story of the demo, read through CSS selectors on the served HTML.

use crate::support::*;
use scraper::{ElementRef, Html};
use time::format_description::well_known::Rfc3339;

/// The main article's page, asserting 200.
async fn main_page() -> (&'static TestApp, Html) {
    let app = app();
    let doc = app.html(&app.fixture.main_path).await;
    (app, doc)
}

/// The one element matching `css`, or a failure naming the page and the selector.
fn one<'a>(doc: &'a Html, path: &str, css: &str) -> ElementRef<'a> {
    let found = select_all(doc, css);
    assert_eq!(
        found.len(),
        1,
        "GET {path}: expected exactly one element matching `{css}`, found {}: {:?}",
        found.len(),
        found.iter().map(|e| describe(*e)).collect::<Vec<_>>()
    );
    found[0]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn article_has_exactly_one_h1_and_it_is_the_headline() {
    let (app, doc) = main_page().await;
    let path = &app.fixture.main_path;
    let h1s: Vec<String> = select_all(&doc, "h1").into_iter().map(text).collect();
    assert_eq!(h1s, vec![MAIN_HEADLINE.to_string()], "GET {path}: the page must have one <h1>, the headline");
    let title = first(&doc, "head title").map(text).unwrap_or_default();
    assert!(title.starts_with(MAIN_HEADLINE), "GET {path}: <title> should start with the headline, found {title:?}");
    let standfirst = one(&doc, path, "p.standfirst");
    assert_eq!(text(standfirst), MAIN_STANDFIRST, "GET {path}: p.standfirst");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn article_breadcrumb_follows_the_section_path() {
    let (app, doc) = main_page().await;
    let f = &app.fixture;
    let path = &f.main_path;
    one(&doc, path, r#"nav[aria-label="Breadcrumb"]"#);
    let links = select_all(&doc, r#"nav[aria-label="Breadcrumb"] li a"#);
    let found: Vec<(String, String)> = links.iter().map(|a| (attr(*a, "href"), text(*a))).collect();
    let expected: Vec<(String, String)> = vec![
        ("/".into(), "Home".into()),
        (format!("/{}", f.news.slug), "Fixture News".into()),
        (format!("/{}", f.world.slug), "Fixture World".into()),
        (path.clone(), MAIN_HEADLINE.into()),
    ];
    assert_eq!(found, expected, "GET {path}: breadcrumb items (href, text) in order");
    let current: Vec<(usize, String)> = links
        .iter()
        .enumerate()
        .filter_map(|(i, a)| a.value().attr("aria-current").map(|v| (i, v.to_string())))
        .collect();
    assert_eq!(
        current,
        vec![(links.len() - 1, "page".to_string())],
        "GET {path}: only the last breadcrumb item (the article) should carry aria-current=\"page\""
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn article_parts_come_in_reading_order() {
    let (app, doc) = main_page().await;
    let path = &app.fixture.main_path;
    let parts = [
        r#"nav[aria-label="Breadcrumb"]"#,
        "h1",
        "p.standfirst",
        ".byline",
        "figure.hero",
        ".article-body",
        ".sources",
    ];
    let positions: Vec<(&str, usize)> = parts
        .iter()
        .map(|css| {
            let el = first(&doc, css).unwrap_or_else(|| panic!("GET {path}: no element matches `{css}`"));
            (*css, position(&doc, el))
        })
        .collect();
    for pair in positions.windows(2) {
        assert!(
            pair[0].1 < pair[1].1,
            "GET {path}: `{}` (element #{}) should come before `{}` (element #{}); positions: {positions:?}",
            pair[0].0,
            pair[0].1,
            pair[1].0,
            pair[1].1
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn byline_links_authors_and_shows_their_titles() {
    let (app, doc) = main_page().await;
    let f = &app.fixture;
    let path = &f.main_path;
    let bylines = select_all(&doc, ".byline .byline-author");
    let names: Vec<String> = bylines.iter().map(|b| text(*b)).collect();
    assert_eq!(bylines.len(), 2, "GET {path}: expected two byline authors, found {names:?}");
    for (byline, author) in bylines.iter().zip([&f.author, &f.co_author]) {
        let links = select_in(*byline, "a");
        assert_eq!(
            links.len(),
            1,
            "GET {path}: byline {:?} should hold one link, found {}",
            text(*byline),
            links.len()
        );
        assert_eq!(
            attr(links[0], "href"),
            format!("/author/{}", author.slug),
            "GET {path}: link of byline {:?}",
            text(*byline)
        );
        assert_eq!(text(links[0]), author.name, "GET {path}: byline link text");
        if !author.title.is_empty() {
            let title = select_in(*byline, ".byline-title").first().map(|t| text(*t)).unwrap_or_default();
            assert_eq!(title, author.title, "GET {path}: byline title of {}", author.name);
        }
    }
    assert!(
        names[0].contains(AUTHOR_TITLE),
        "GET {path}: the first byline should show {AUTHOR_TITLE:?}, found {:?}",
        names[0]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn publication_and_update_times_are_machine_readable() {
    let (app, doc) = main_page().await;
    let path = &app.fixture.main_path;
    let published = one(&doc, path, ".byline .published time[datetime]");
    assert_eq!(attr(published, "datetime"), MAIN_PUBLISHED_ISO, "GET {path}: datetime of the publication time");
    assert!(!text(published).is_empty(), "GET {path}: the publication <time> has no readable text");
    let updated = one(&doc, path, ".byline .updated time[datetime]");
    assert_eq!(attr(updated, "datetime"), MAIN_UPDATED_ISO, "GET {path}: datetime of the update time");
    let updated_label = text(one(&doc, path, ".byline .updated"));
    assert!(
        updated_label.starts_with(&app.config.labels.updated),
        "GET {path}: the update should read {:?} ..., found {updated_label:?}",
        app.config.labels.updated
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hero_figure_has_alt_size_caption_and_credit() {
    let (app, doc) = main_page().await;
    let f = &app.fixture;
    let path = &f.main_path;
    let hero = f.main.hero.as_ref().expect("fixture: the main article has a main picture");
    let img = one(&doc, path, "figure.hero img");
    assert_eq!(attr(img, "alt"), HERO_ALT, "GET {path}: hero alt; {}", describe(img));
    assert_eq!(attr(img, "width"), hero.width.to_string(), "GET {path}: hero width; {}", describe(img));
    assert_eq!(attr(img, "height"), hero.height.to_string(), "GET {path}: hero height; {}", describe(img));
    let caption = text(one(&doc, path, "figure.hero figcaption"));
    assert!(caption.contains(HERO_CAPTION), "GET {path}: figcaption {caption:?} lacks the caption {HERO_CAPTION:?}");
    assert!(caption.contains(HERO_CREDIT), "GET {path}: figcaption {caption:?} lacks the credit {HERO_CREDIT:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn body_has_subheadings_a_list_and_an_attributed_quote() {
    let (app, doc) = main_page().await;
    let path = &app.fixture.main_path;
    let paragraphs = select_all(&doc, ".article-body > p");
    assert_eq!(paragraphs.len(), MAIN_PARAGRAPHS, "GET {path}: top-level paragraphs of the body");
    let headings: Vec<String> = select_all(&doc, ".article-body > h2").into_iter().map(text).collect();
    assert_eq!(headings, SUBHEADINGS.to_vec(), "GET {path}: the body's subheadings (h2), in order");
    let lists = select_all(&doc, ".article-body > ul");
    assert_eq!(lists.len(), 1, "GET {path}: expected one list in the body");
    let items: Vec<String> = select_in(lists[0], "li").into_iter().map(text).collect();
    assert_eq!(items, LIST_ITEMS.to_vec(), "GET {path}: list items");

    let quote = one(&doc, path, ".article-body > figure.quote");
    let blockquote = select_in(quote, "blockquote");
    assert_eq!(blockquote.len(), 1, "GET {path}: figure.quote should hold one blockquote; {}", describe(quote));
    let said = text(blockquote[0]);
    assert!(said.contains(QUOTE_TEXT), "GET {path}: the blockquote reads {said:?}, expected {QUOTE_TEXT:?}");
    assert!(!said.contains(QUOTE_ATTRIBUTION), "GET {path}: the attribution must sit outside the blockquote: {said:?}");
    let captions: Vec<String> =
        select_all(&doc, ".article-body > figure.quote > figcaption").into_iter().map(text).collect();
    assert_eq!(captions.len(), 1, "GET {path}: figure.quote should have one figcaption; {}", describe(quote));
    assert!(
        captions[0].contains(QUOTE_ATTRIBUTION),
        "GET {path}: quote figcaption {:?} lacks {QUOTE_ATTRIBUTION:?}",
        captions[0]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn also_read_boxes_sit_between_paragraphs() {
    let (app, doc) = main_page().await;
    let f = &app.fixture;
    let path = &f.main_path;
    let body = one(&doc, path, ".article-body");
    let boxes = select_all(&doc, "aside.also-read");
    assert!((1..=2).contains(&boxes.len()), "GET {path}: expected one or two aside.also-read, found {}", boxes.len());
    for (n, b) in boxes.iter().enumerate() {
        let parent = b.parent().and_then(ElementRef::wrap).expect("an aside has a parent element");
        assert!(
            parent == body,
            "GET {path}: also-read box #{n} should be a direct child of .article-body, its parent is {}",
            describe(parent)
        );
        let inside: Vec<&str> = b
            .ancestors()
            .filter_map(ElementRef::wrap)
            .map(|e| e.value().name())
            .filter(|name| ["ul", "ol", "blockquote", "figure", "p"].contains(name))
            .collect();
        assert!(inside.is_empty(), "GET {path}: also-read box #{n} is inside {inside:?}");
        let previous = b
            .prev_siblings()
            .find_map(ElementRef::wrap)
            .unwrap_or_else(|| panic!("GET {path}: also-read box #{n} opens the body; it must follow a paragraph"));
        assert_eq!(previous.value().name(), "p", "GET {path}: also-read box #{n} follows {}", describe(previous));
        assert!(
            b.next_siblings().find_map(ElementRef::wrap).is_some(),
            "GET {path}: also-read box #{n} ends the body; readers should meet it between paragraphs"
        );
        let links = hrefs_in(*b);
        assert!(!links.is_empty(), "GET {path}: also-read box #{n} has no link: {}", describe(*b));
        for link in &links {
            assert!(
                f.related_paths.contains(link),
                "GET {path}: also-read box #{n} links {link}, which is not a related story {:?}",
                f.related_paths
            );
        }
    }
    let paragraphs_before =
        boxes[0].prev_siblings().filter_map(ElementRef::wrap).filter(|e| e.value().name() == "p").count();
    assert!(
        paragraphs_before >= 2,
        "GET {path}: the first also-read box follows only {paragraphs_before} paragraph(s)"
    );
    let first_link = hrefs_in(boxes[0]).into_iter().next();
    assert_eq!(
        first_link.as_deref(),
        Some(f.related_paths[0].as_str()),
        "GET {path}: the first box should show the editor's first related story"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sources_tags_and_corrections_are_listed() {
    let (app, doc) = main_page().await;
    let f = &app.fixture;
    let path = &f.main_path;
    let sources = one(&doc, path, ".sources");
    let sources_text = text(sources);
    assert!(sources_text.starts_with("Sources:"), "GET {path}: .sources reads {sources_text:?}");
    let links: Vec<(String, String)> =
        select_in(sources, "a").into_iter().map(|a| (attr(a, "href"), text(a))).collect();
    let expected: Vec<(String, String)> =
        f.sources.iter().map(|s| (format!("/source/{}", s.slug), s.name.clone())).collect();
    assert_eq!(links, expected, "GET {path}: source links (href, name) in order");

    let tags: Vec<String> = select_all(&doc, ".tags a").into_iter().map(|a| attr(a, "href")).collect();
    let expected: Vec<String> = f.tags.iter().map(|t| format!("/tag/{}", t.slug)).collect();
    assert_eq!(tags, expected, "GET {path}: tag links in order");

    let corrections = text(one(&doc, path, "section.corrections"));
    assert!(corrections.contains(CORRECTION), "GET {path}: the corrections section reads {corrections:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn latest_box_and_ad_slot_are_present() {
    let (app, doc) = main_page().await;
    let f = &app.fixture;
    let path = &f.main_path;
    let latest = one(&doc, path, "section.latest-box");
    let heading = select_in(latest, "h2").first().map(|h| text(*h)).unwrap_or_default();
    assert_eq!(heading, "Latest", "GET {path}: heading of the latest box");
    let links = hrefs_in(latest);
    assert!(!links.is_empty(), "GET {path}: the latest box lists no story: {}", describe(latest));
    assert!(!links.contains(&f.main_path), "GET {path}: the latest box lists the article itself: {links:?}");
    assert!(
        links.contains(&f.related_paths[2]),
        "GET {path}: the latest box should list the second newest story {} (published just before this one), found {links:?}",
        f.related_paths[2]
    );

    let ad = one(&doc, path, r#"aside[aria-label="Advertisement"]"#);
    let style = attr(ad, "style");
    assert!(style.contains("--ad-height"), "GET {path}: the ad slot should reserve its height, style={style:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stylesheet_is_linked_and_cached_forever() {
    let (app, doc) = main_page().await;
    let path = &app.fixture.main_path;
    let link = one(&doc, path, r#"link[rel="stylesheet"]"#);
    let href = attr(link, "href");
    assert!(
        href.starts_with("/static/site.") && href.ends_with(".css"),
        "GET {path}: stylesheet href should be /static/site.HASH.css, found {href:?}"
    );
    let css = app.get(&href).await;
    css.expect_status(200);
    assert!(css.content_type().starts_with("text/css"), "GET {href}: content-type {}", css.content_type());
    let cache = css.header("cache-control").unwrap_or_default();
    assert!(cache.contains("immutable"), "GET {href}: cache-control should contain immutable, found {cache:?}");
    assert!(!css.body.trim().is_empty(), "GET {href}: empty stylesheet");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hero_image_is_served_from_media() {
    let (app, doc) = main_page().await;
    let path = &app.fixture.main_path;
    let src = attr(one(&doc, path, "figure.hero img"), "src");
    assert!(src.starts_with("/media/"), "GET {path}: hero src should be under /media/, found {src:?}");
    let image = app.get(&src).await;
    assert_eq!(image.status, 200, "GET {src}: status {}", image.status);
    let ct = image.content_type();
    assert!(
        ct == "image/jpeg" || ct == "image/webp",
        "GET {src}: content-type should be image/jpeg or image/webp, found {ct:?}"
    );
    assert!(!image.bytes.is_empty(), "GET {src}: empty body");
    // Served again from memory: the same bytes, validated by the name-derived ETag.
    let again = app.get(&src).await;
    assert_eq!(again.bytes, image.bytes, "GET {src} twice: the same picture");
    let etag = again.header("etag").unwrap_or_else(|| panic!("GET {src}: no ETag")).to_string();
    let revalidated =
        app.client().get(app.url(&src)).header("If-None-Match", &etag).send().await.expect("conditional GET");
    assert_eq!(revalidated.status().as_u16(), 304, "GET {src} with If-None-Match {etag}");
    assert!(revalidated.bytes().await.expect("body").is_empty(), "a 304 has no body");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_body_is_shown_as_text_and_never_runs() {
    let app = app();
    let path = &app.fixture.hostile_path;
    let r = app.get(path).await;
    r.expect_status(200);
    // The page's only scripts are its structured data (JSON, never run) and the view beacon
    // (our own file); anything else came from the body.
    let scripts = r.body.matches("<script").count();
    let data = r.body.matches("<script type=\"application/ld+json\">").count();
    let beacon = r.body.matches("<script src=\"/static/beacon.").count();
    assert!(
        scripts == data + beacon && data <= 1 && beacon == 1,
        "GET {path}: a <script> tag reached the page: {}",
        excerpt_around(&r.body.replace("<script type=\"application/ld+json\">", ""), "<script")
    );
    assert!(
        !r.body.contains("<iframe"),
        "GET {path}: an <iframe> tag reached the page: {}",
        excerpt_around(&r.body, "<iframe")
    );
    assert!(
        r.body.contains("&lt;script&gt;"),
        "GET {path}: the escaped text &lt;script&gt; should be in the page source"
    );
    let doc = r.html();
    for css in [
        "script:not([type=\"application/ld+json\"]):not([src^=\"/static/beacon.\"])",
        "iframe",
        "img[onerror]",
        "object",
        "embed",
    ] {
        let found = select_all(&doc, css);
        assert!(
            found.is_empty(),
            "GET {path}: found `{css}`: {:?}",
            found.iter().map(|e| describe(*e)).collect::<Vec<_>>()
        );
    }
    for el in doc.root_element().descendent_elements() {
        for (name, value) in el.value().attrs() {
            assert!(
                !name.to_ascii_lowercase().starts_with("on"),
                "GET {path}: event handler attribute {name}={value:?} on {}",
                describe(el)
            );
            let v = value.trim().to_ascii_lowercase();
            assert!(
                !((name == "href" || name == "src") && v.starts_with("javascript:")),
                "GET {path}: {name}={value:?} on {}",
                describe(el)
            );
        }
    }
    let body = one(&doc, path, ".article-body");
    for a in select_in(body, "a") {
        let href = attr(a, "href").trim().to_ascii_lowercase();
        assert!(!href.starts_with("javascript:"), "GET {path}: javascript link in the body: {}", describe(a));
    }
    let shown = text(body);
    for visible in ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "<iframe", "click"] {
        assert!(shown.contains(visible), "GET {path}: the body should show {visible:?} as text; it reads {shown:?}");
    }
}

/// Up to 200 characters of `s` around the first `needle`.
fn excerpt_around(s: &str, needle: &str) -> String {
    match s.find(needle) {
        Some(i) => {
            let mut start = i.saturating_sub(100);
            while !s.is_char_boundary(start) {
                start -= 1;
            }
            let mut end = (i + 100).min(s.len());
            while !s.is_char_boundary(end) {
                end -= 1;
            }
            s[start..end].to_string()
        }
        None => String::new(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn home_page_has_the_lead_section_blocks_and_teasers() {
    let app = app();
    let published = app.published().await;
    let lead_path = published.first().and_then(|a| a.path()).expect("at least one published story");
    assert_eq!(lead_path, app.fixture.main_path, "fixture: the main article should be the newest published story");
    let doc = app.html("/").await;

    let lead: Vec<String> =
        select_all(&doc, ".home-lead .teaser-headline a").into_iter().map(|a| attr(a, "href")).collect();
    assert_eq!(lead, vec![lead_path.clone()], "GET /: the lead teaser's headline link");

    let blocks = select_all(&doc, "section.home-section");
    assert!(!blocks.is_empty(), "GET /: no section.home-section");
    let mut titles = Vec::new();
    for b in &blocks {
        let title = select_in(*b, ".home-section-title a").first().map(|a| text(*a)).unwrap_or_default();
        assert!(!title.is_empty(), "GET /: a home section without a linked title: {}", describe(*b));
        let headlines = select_in(*b, ".teaser-headline a");
        assert!(!headlines.is_empty(), "GET /: home section {title:?} shows no headline");
        assert!(!hrefs_in(*b).contains(&lead_path), "GET /: home section {title:?} repeats the lead story {lead_path}");
        titles.push(title);
    }
    // Fixture News's few stories are all among the latest above; the archive's older ones fill
    // its block. No story is on the page twice (issue 19).
    assert!(
        titles.iter().any(|t| t == "Fixture Archive"),
        "GET /: expected a block for Fixture Archive among {titles:?}"
    );
    let stories: Vec<String> =
        select_all(&doc, "main .teaser-headline a").into_iter().map(|a| attr(a, "href")).collect();
    let mut distinct = stories.clone();
    distinct.sort();
    distinct.dedup();
    assert_eq!(distinct.len(), stories.len(), "GET /: a story shown twice: {stories:#?}");

    let images = select_all(&doc, ".teaser img");
    assert!(!images.is_empty(), "GET /: no teaser has a picture");
    for img in &images {
        for dim in ["width", "height"] {
            let value = attr(*img, dim);
            assert!(
                value.parse::<u32>().is_ok_and(|n| n > 0),
                "GET /: teaser image without a usable {dim} ({value:?}): {}",
                describe(*img)
            );
        }
    }
    let times = select_all(&doc, "time");
    assert!(!times.is_empty(), "GET /: no <time> element");
    for t in &times {
        let dt = attr(*t, "datetime");
        assert!(
            time::OffsetDateTime::parse(&dt, &Rfc3339).is_ok(),
            "GET /: <time> with datetime {dt:?} that is not RFC 3339: {}",
            describe(*t)
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_published_story_renders() {
    let app = app();
    let published = app.published().await;
    let f = &app.fixture;
    let fixture_sections = [&f.news.slug, &f.world.slug, &f.archive.slug];
    let demo = published.iter().filter(|s| !fixture_sections.contains(&&s.section_slug)).count();
    assert!(
        demo > DEMO_ARTICLES / 2,
        "expected most of the {DEMO_ARTICLES} demo stories to be published, found {demo} (of {} published in all)",
        published.len()
    );
    let mut failures = Vec::new();
    for story in &published {
        let Some(path) = story.path() else {
            failures.push(format!("{:?} is published without a path", story.headline));
            continue;
        };
        let r = app.get(&path).await;
        if r.status != 200 {
            failures.push(format!("GET {path}: status {} ({})", r.status, r.excerpt()));
            continue;
        }
        let doc = r.html();
        let mut problems = Vec::new();
        let h1 = select_all(&doc, "h1").len();
        if h1 != 1 {
            problems.push(format!("{h1} h1"));
        }
        if first(&doc, r#"nav[aria-label="Breadcrumb"]"#).is_none() {
            problems.push("no breadcrumb".to_string());
        }
        if story.hero.is_some() && first(&doc, "figure.hero figcaption").is_none() {
            problems.push("no figure.hero with a figcaption".to_string());
        }
        if first(&doc, r#"aside[aria-label="Advertisement"]"#).is_none() {
            problems.push("no ad slot".to_string());
        }
        if r.content_type() != "text/html; charset=utf-8" {
            problems.push(format!("content-type {}", r.content_type()));
        }
        if !problems.is_empty() {
            failures.push(format!("GET {path} ({:?}): {}", story.headline, problems.join(", ")));
        }
    }
    let with_hero = published.iter().filter(|s| s.hero.is_some()).count();
    assert!(
        with_hero * 2 > published.len(),
        "expected most stories to have a hero picture, {with_hero} of {} do",
        published.len()
    );
    assert!(
        failures.is_empty(),
        "{} of {} published stories failed:\n{}",
        failures.len(),
        published.len(),
        failures.join("\n")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pictures_offer_scaled_copies_of_the_widths_they_claim() {
    let app = app();
    let doc = app.html("/").await;
    let images = select_all(&doc, "img[srcset]");
    assert!(!images.is_empty(), "GET /: no picture offers a srcset");
    for img in images.iter().take(3) {
        assert!(!attr(*img, "sizes").is_empty(), "a srcset needs sizes: {}", describe(*img));
        for candidate in attr(*img, "srcset").split(", ") {
            let (url, width) = candidate.split_once(' ').expect("url and width");
            let width: u32 = width.trim_end_matches('w').parse().expect("a width descriptor");
            let bytes = http_client().get(app.url(url)).send().await.expect("GET").bytes().await.expect("body");
            let (_, w, _) = courant_media::probe(&bytes).unwrap_or_else(|e| panic!("GET {url}: {e}"));
            assert_eq!(w, width, "GET {url} is {w} px wide, the srcset says {width}");
            // A derivative of a derivative is refused: nobody may mint endless new files.
            if url.contains(".w") {
                let nested = format!("{url}.w320.jpg");
                assert_eq!(app.get(&nested).await.status, 404, "GET {nested}");
            }
        }
    }
    // The same widths in WebP, offered first inside <picture>.
    let sources = select_all(&doc, "picture > source[type='image/webp']");
    assert!(!sources.is_empty(), "GET /: no picture offers WebP copies");
    for source in sources.iter().take(3) {
        assert!(!attr(*source, "sizes").is_empty(), "WebP copies need sizes: {}", describe(*source));
        for candidate in attr(*source, "srcset").split(", ") {
            let (url, width) = candidate.split_once(' ').expect("url and width");
            let width: u32 = width.trim_end_matches('w').parse().expect("a width descriptor");
            let r = app.get(url).await;
            r.expect_status(200);
            assert_eq!(r.content_type(), "image/webp", "GET {url}");
            let (format, w, _) = courant_media::probe(&r.bytes).unwrap_or_else(|e| panic!("GET {url}: {e}"));
            assert_eq!((format, w), ("webp", width), "GET {url}");
        }
    }
}

/// Issue 19: a story set in the body as "Also read" is not listed again after the article.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_list_after_an_article_never_repeats_its_also_read_boxes() {
    let app = app();
    let doc = app.html(&app.fixture.main_path).await;
    let boxed: Vec<String> = select_all(&doc, ".also-read a").into_iter().map(|a| attr(a, "href")).collect();
    assert!(!boxed.is_empty(), "the main article's pinned stories are boxed in its body");
    let after: Vec<String> = select_all(&doc, ".related a").into_iter().map(|a| attr(a, "href")).collect();
    for href in &after {
        assert!(!boxed.contains(href), "{href} is both boxed and listed after the article");
    }
    // Every pinned story shows once, in a box or after the article.
    for path in &app.fixture.related_paths {
        assert_eq!(boxed.iter().chain(&after).filter(|h| *h == path).count(), 1, "{path}");
    }
}

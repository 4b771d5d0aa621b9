//! Text with control characters, as Word's Shift+Enter (a vertical tab), a terminal (ESC) or a
//! hostile client (NUL) sends it: every form cleans it on the way in (NFC, no control characters
//! but tab and newline), no save answers 500, and the feeds and sitemaps stay well-formed XML.

use super::server::Server;
use super::*;
use courant_core::Role;
use std::process::Command;
use time::OffsetDateTime;

/// Checks that a document is well-formed XML (and valid against `xsd` when given) with xmllint.
fn well_formed(xml: &str, xsd: Option<&str>, what: &str) {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("doc.xml");
    std::fs::write(&file, xml).expect("write xml");
    let mut lint = Command::new("xmllint");
    lint.args(["--noout", "--nonet"]);
    if let Some(xsd) = xsd {
        let schemas = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/schemas");
        lint.arg("--schema").arg(schemas.join(xsd));
    }
    let out = lint.arg(&file).output().expect("xmllint is missing: install libxml2-utils (scripts/test does)");
    assert!(
        out.status.success(),
        "{what} is not well-formed:\n{}\n{}",
        String::from_utf8_lossy(&out.stderr),
        excerpt(xml)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn control_characters_are_cleaned_on_the_way_in_and_feeds_stay_valid() {
    // Its own server: it publishes, and adds a section, an author and a user.
    let mut options = courant_demo::DemoOptions::new(6, OffsetDateTime::now_utc());
    options.picture_pool = 2;
    let server = Server::own(spawn_server(courant::Config::default(), options));
    let anonymous = Session::anonymous();
    let (_, email) = server.new_user(Role::Admin, "controls").await;
    let session = server.login(&email, PASSWORD).await;
    let csrf = session.csrf.clone();

    // Names beginning with NUL: saved without it, never a 500.
    let r =
        server.post_form(&session, "/newsroom/sections", &[("csrf", csrf.as_str()), ("name", "\u{0}Flood desk")]).await;
    assert_eq!(r.status, 303, "a section named with a NUL; {}", show(&r));
    let r = server
        .post_form(&session, "/newsroom/authors", &[("csrf", csrf.as_str()), ("name", "\u{0}Noor Haddad\u{1B}")])
        .await;
    assert_eq!(r.status, 303, "an author named with a NUL; {}", show(&r));
    let member = [
        ("csrf", csrf.as_str()),
        ("email", "controls.member@newsroom.test.example"),
        ("name", "\u{0}Ines Carvalho"),
        ("role", "contributor"),
    ];
    let r = server.post_form(&session, "/newsroom/users", &member).await;
    assert!(r.status < 500, "a user named with a NUL; {}", show(&r));
    let r = server.post_form(&session, "/newsroom/sections", &[("csrf", csrf.as_str()), ("name", "\u{0}")]).await;
    assert_eq!(r.status, 422, "a name of nothing but a NUL is a missing name; {}", show(&r));
    let (section, author, member) = server
        .store(|s| async move {
            let section = s.sections().await.expect("sections").into_iter().find(|x| x.name.contains("Flood desk"));
            let author = s.authors().await.expect("authors").into_iter().find(|a| a.name.contains("Noor Haddad"));
            let member = s.user_for_login("controls.member@newsroom.test.example").await.expect("user");
            (section.expect("the section was added"), author.expect("the author was added"), member)
        })
        .await;
    assert_eq!(section.name, "Flood desk");
    assert_eq!(author.name, "Noor Haddad");
    assert_eq!(member.map(|m| m.user.name).as_deref(), Some("Ines Carvalho"));

    // A story with a NUL in its headline, ESC in its standfirst, a vertical tab in its body and
    // a decomposed "é", published.
    let headline = format!("\u{0}Flood barrier holds {}", unique("controls"));
    let (section_id, author_id) = (section.id.0.to_string(), author.id.0.to_string());
    let picture = jpeg(800, 450, 5);
    let id = server
        .create(
            &session,
            &[
                ("headline", headline.as_str()),
                ("standfirst", "The water rose\u{1B} to a metre below the top."),
                (
                    "body",
                    "Engineers watched all night.\u{B}The barrier held.\r\n\r\nCafe\u{301} owners reopened at dawn.",
                ),
                ("section", section_id.as_str()),
                ("author", author_id.as_str()),
                ("hero_alt", "Grey water against a concrete barrier"),
                ("hero_caption", "The barrier\u{C} at high tide"),
                ("hero_credit", "Photo: Test Agency"),
                ("intent", "publish"),
            ],
            &[FilePart { field: "hero_file", file_name: "barrier.jpg", content_type: "image/jpeg", bytes: &picture }],
        )
        .await;
    let article = server.article(id).await;
    assert_eq!(article.headline, headline.trim_start_matches('\u{0}'));
    assert_eq!(article.standfirst, "The water rose to a metre below the top.");
    assert_eq!(article.body, "Engineers watched all night.The barrier held.\n\nCaf\u{E9} owners reopened at dawn.");
    let r = server
        .post_form(
            &session,
            &format!("/newsroom/articles/{id}/corrections"),
            &[("csrf", csrf.as_str()), ("text", "\u{0}The barrier is 4 metres high, not 3.")],
        )
        .await;
    assert_eq!(r.status, 303, "a correction beginning with a NUL; {}", show(&r));

    for (path, xsd) in [
        ("/rss.xml", None),
        ("/atom.xml", None),
        (format!("/{}/rss.xml", section.slug).as_str(), None),
        (format!("/{}/atom.xml", section.slug).as_str(), None),
        ("/sitemap-news.xml", Some("sitemap-urlset.xsd")),
    ] {
        let r = server.get(&anonymous, path).await;
        assert_eq!(r.status, 200, "{}", show(&r));
        assert!(r.body.contains("Flood barrier holds"), "{path} carries the story: {}", show(&r));
        well_formed(&r.body, xsd, path);
    }
}

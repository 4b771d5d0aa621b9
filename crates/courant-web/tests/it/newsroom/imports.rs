//! Issue 15: admins import a WordPress export from `/newsroom/import`, follow it and read its
//! report; the imported stories are on the site and their old addresses redirect; a broken
//! file is refused with where it broke and changes nothing; editors cannot import.

use super::server::Server;
use super::*;
use courant_core::Role;

fn shared_testdata(name: &str) -> Vec<u8> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/testdata").join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("the shared test data is missing: {}: {e}", path.display()))
}

/// The import page once the import is over (it reloads itself while one runs).
async fn finished(server: &Server, session: &Session) -> Html {
    let started = std::time::Instant::now();
    loop {
        let r = server.get(session, "/newsroom/import").await;
        assert_eq!(r.status, 200, "{}", show(&r));
        let doc = r.html();
        if select_all(&doc, "meta[http-equiv=refresh]").is_empty() {
            return doc;
        }
        assert!(started.elapsed() < std::time::Duration::from_secs(60), "the import did not end within 60 s");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admins_import_a_wordpress_export_and_read_its_report() {
    let mut options = courant_demo::DemoOptions::new(6, OffsetDateTime::now_utc());
    options.picture_pool = 2;
    let server = Server::own(spawn_server(courant::Config::default(), options));
    let (admin, email) = server.new_user(Role::Admin, "importer").await;
    let session = server.login(&email, PASSWORD).await;
    let (_, editor_email) = server.new_user(Role::Editor, "not-importer").await;
    let editor = server.login(&editor_email, PASSWORD).await;
    let published = || server.store(|s| async move { s.counts().await.expect("counts").published });
    let before = published().await;

    let page = server.get(&session, "/newsroom/import").await.html();
    let form = "form[action=\"/newsroom/import\"][enctype=\"multipart/form-data\"]";
    assert_eq!(select_all(&page, &format!("{form} input[type=file][name=file]")).len(), 1);
    let formats: Vec<String> = select_all(&page, &format!("{form} select[name=format] option"))
        .into_iter()
        .map(|o| attr(o, "value"))
        .collect();
    assert_eq!(formats, ["wordpress", "ghost"]);
    assert_eq!(server.get(&editor, "/newsroom/import").await.status, 403, "editors do not import");

    let export = shared_testdata("themeunittestdata.wordpress.xml");
    let file = FilePart { field: "file", file_name: "theme.xml", content_type: "text/xml", bytes: &export };
    let no_token = server.post_multipart(&session, "/newsroom/import", &[("format", "wordpress")], &[file]).await;
    assert_eq!(no_token.status, 403, "an import without the form's token is refused: {}", show(&no_token));
    let file = FilePart { field: "file", file_name: "theme.xml", content_type: "text/xml", bytes: &export };
    let by_editor = server
        .post_multipart(
            &editor,
            "/newsroom/import",
            &[("csrf", editor.csrf.as_str()), ("format", "wordpress")],
            &[file],
        )
        .await;
    assert_eq!(by_editor.status, 403, "{}", show(&by_editor));
    assert_eq!(published().await, before, "refused imports write nothing");

    let file = FilePart { field: "file", file_name: "theme.xml", content_type: "text/xml", bytes: &export };
    let fields = [("csrf", session.csrf.as_str()), ("format", "wordpress")];
    let started = server.post_multipart(&session, "/newsroom/import", &fields, &[file]).await;
    assert_eq!(started.status, 303, "{}", show(&started));
    assert_eq!(started.header("location"), Some("/newsroom/import"));
    let report = finished(&server, &session).await;
    let rows: Vec<Vec<String>> = select_all(&report, ".import-report tbody tr")
        .into_iter()
        .map(|tr| select_in(tr, "th, td").into_iter().map(text).collect())
        .collect();
    assert!(rows.contains(&vec!["articles".into(), "58".into(), "0".into(), "0".into()]), "{rows:?}");
    assert!(!select_all(&report, ".import-warnings li").is_empty(), "the report lists what is worth a look");
    assert_eq!(published().await, before + 55);

    // The import is in the audit log as the admin's; the stories are on the site.
    let log = server.store(|s| async move { s.audit_log(20, None).await.expect("audit") }).await;
    let by = Some(admin.name.clone());
    assert!(log.iter().any(|e| e.action == "imported" && e.user_name == by && e.subject == "theme.xml"), "{log:?}");
    let old = server.get(&Session::anonymous(), "/2013/01/11/markup-html-tags-and-formatting/").await;
    assert_eq!(old.status, 301, "{}", show(&old));
    let new = old.header("location").unwrap_or_default().to_string();
    assert_eq!(server.get(&Session::anonymous(), &new).await.status, 200, "GET {new}");

    // A cut file: refused with its place, nothing written.
    let cut = &export[..export.len() / 2];
    let file = FilePart { field: "file", file_name: "cut.xml", content_type: "text/xml", bytes: cut };
    let started = server.post_multipart(&session, "/newsroom/import", &fields, &[file]).await;
    assert_eq!(started.status, 303, "{}", show(&started));
    let failed = finished(&server, &session).await;
    let said: Vec<String> = select_all(&failed, ".import-failed").into_iter().map(text).collect();
    assert!(said.iter().any(|s| s.contains("line ") && s.contains("Nothing was imported")), "{said:?}");
    assert_eq!(published().await, before + 55);

    // A form without a format or a file is shown again with what is missing.
    let refused = server.post_multipart(&session, "/newsroom/import", &[("csrf", session.csrf.as_str())], &[]).await;
    assert_eq!(refused.status, 422, "{}", show(&refused));
    let errors = errors_of(&refused);
    assert!(errors.contains("Format") && errors.contains("File"), "{errors}");
}

//! Uploads to the picture library: bad files are refused with the file named and leave the
//! store unchanged, and a good JPEG is stored and served without its EXIF.

use super::server::Server;
use super::*;
use courant_core::{ImageId, Role};

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

/// The visual editor's picture chooser: library pictures as JSON, each with the address a body
/// stores (file and size) and a small copy to show; found by the words of their texts; only for
/// the logged-in.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_picture_chooser_finds_library_pictures_with_their_body_address() {
    let app = app();
    let server = Server::shared();
    let hero = app.fixture.main.hero.clone().expect("fixture: the main article has a hero");
    let (_, email) = server.new_user(Role::Contributor, "chooser").await;
    let session = server.login(&email, PASSWORD).await;

    let r = server.get(&session, "/newsroom/lookup/pictures?q=").await;
    assert_eq!(r.status, 200, "{}", show(&r));
    assert!(r.header("content-type").unwrap_or_default().starts_with("application/json"), "{}", show(&r));
    let all: serde_json::Value = serde_json::from_str(&r.body).expect("the chooser answers JSON");
    let all = all.as_array().expect("a list of pictures");
    assert!(!all.is_empty() && all.len() <= 24, "without words, the newest pictures, at most 24: {}", all.len());
    for p in all {
        let src = p["src"].as_str().unwrap_or_default();
        let (file, size) = src.split_once('#').unwrap_or_else(|| panic!("{src}: the size follows the file"));
        assert!(file.starts_with("/media/"), "{p}");
        let (w, h) = size.split_once('x').unwrap_or_else(|| panic!("{src}: WIDTHxHEIGHT"));
        assert!(w.parse::<u32>().is_ok_and(|w| w > 0) && h.parse::<u32>().is_ok_and(|h| h > 0), "{p}");
        assert!(p["thumb_url"].as_str().is_some_and(|t| t.starts_with("/media/")), "{p}");
    }

    let word =
        hero.caption.split_whitespace().find(|w| w.chars().count() > 4).expect("the hero's caption has a long word");
    let r = server.get(&session, &format!("/newsroom/lookup/pictures?q={}", urlencoding(word))).await;
    let found: serde_json::Value = serde_json::from_str(&r.body).expect("JSON");
    let mine = found
        .as_array()
        .and_then(|a| a.iter().find(|p| p["id"] == serde_json::json!(hero.id.0)))
        .unwrap_or_else(|| panic!("searching {word:?} finds the picture captioned {:?}: {found}", hero.caption));
    assert_eq!(mine["src"], serde_json::json!(format!("/media/{}#{}x{}", hero.file, hero.width, hero.height)));
    assert_eq!(mine["caption"], serde_json::json!(hero.caption));
    assert_eq!(mine["alt"], serde_json::json!(hero.alt));

    let r = server.get(&Session::anonymous(), "/newsroom/lookup/pictures?q=").await;
    assert_ne!(r.status, 200, "the logged-out get no pictures: {}", show(&r));
    assert!(!r.body.contains("/media/"), "{}", show(&r));
}

fn urlencoding(text: &str) -> String {
    form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

//! The picture library through the service: uploads and texts.

use crate::support::*;
use courant_newsroom::{PictureTexts, PictureUpdate, Refusal, Upload};

#[tokio::test]
async fn an_upload_is_checked_by_content_and_recorded_once_its_files_are_written() {
    let desk = Desk::new().await;
    let before = desk.written().await;
    let texts = PictureTexts { alt: "Gulls".into(), ..Default::default() };
    let refused = desk
        .newsroom
        .upload_picture(
            &desk.writer,
            &Upload { file_name: "notes.txt".into(), bytes: bytes::Bytes::from_static(b"plain text") },
            texts.clone(),
        )
        .await;
    assert!(matches!(refused, Err(Refusal::Invalid(_))), "{refused:?}");
    assert_eq!(desk.written().await, before, "nothing recorded");
    let image = desk
        .newsroom
        .upload_picture(&desk.writer, &Upload { file_name: "gulls.jpg".into(), bytes: jpeg(40, 30) }, texts)
        .await
        .expect("uploaded");
    assert_eq!((image.width, image.height, image.alt.as_str()), (40, 30, "Gulls"));
    let stored = desk.newsroom.store().image(image.id).await.expect("read").expect("recorded");
    assert_eq!(stored.uploaded_by, Some(desk.writer.id), "who uploaded it is kept");
}

#[tokio::test]
async fn a_contributor_describes_their_own_pictures_only() {
    let desk = Desk::new().await;
    let texts = PictureTexts { alt: "Nets".into(), ..Default::default() };
    let upload = Upload { file_name: "nets.jpg".into(), bytes: jpeg(20, 20) };
    let mine = desk.newsroom.upload_picture(&desk.writer, &upload, texts).await.expect("uploaded");
    let update = |alt: &str| PictureUpdate {
        texts: PictureTexts { alt: alt.into(), caption: "Drying nets".into(), ..Default::default() },
        focal: None,
    };
    let theirs = desk.newsroom.update_picture(&desk.other_writer, mine.id, update("Nets on a quay")).await;
    assert!(matches!(theirs, Err(Refusal::Forbidden(_))), "{theirs:?}");
    let library = desk.newsroom.update_picture(&desk.writer, desk.picture.id, update("Boats")).await;
    assert!(matches!(library, Err(Refusal::Forbidden(_))), "a picture nobody here uploaded: {library:?}");
    let empty = desk.newsroom.update_picture(&desk.writer, mine.id, update("")).await;
    assert!(matches!(empty, Err(Refusal::Invalid(_))), "alt text is required: {empty:?}");
    desk.newsroom.update_picture(&desk.writer, mine.id, update("Nets on a quay")).await.expect("their own");
    desk.newsroom.update_picture(&desk.editor, desk.picture.id, update("Boats")).await.expect("editors change any");
    let image = desk.newsroom.store().image(mine.id).await.expect("read").expect("exists").image;
    assert_eq!((image.alt.as_str(), image.caption.as_str()), ("Nets on a quay", "Drying nets"));
}

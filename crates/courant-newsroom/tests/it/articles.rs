//! Creating, saving, moving, correcting and restoring articles through the service.

use crate::support::*;
use courant_core::*;
use courant_newsroom::{Done, Intent, PictureTexts, Refusal, Upload};
use time::{Duration, OffsetDateTime};

#[tokio::test]
async fn a_create_writes_the_draft_its_revision_audit_and_change_in_one_go() {
    let desk = Desk::new().await;
    let before = desk.written().await;
    let saved = desk.newsroom.create(&desk.writer, desk.input("Harbour reopens"), Intent::Save).await.expect("created");
    assert_eq!((saved.done, saved.move_refused.clone()), (Done::Created, Vec::new()));
    assert_eq!(desk.state(saved.id).await, (Status::Draft, 1));
    assert_eq!(desk.revisions(saved.id).await, 1);
    let after = desk.written().await;
    assert_eq!(after.audit, before.audit + 1, "one audit entry: created");
    assert!(after.last_change > before.last_change, "the change log names the new draft");
    let audit = desk.newsroom.store().audit_log(1, None).await.expect("audit");
    assert_eq!((audit[0].action.as_str(), audit[0].article_id), ("created", Some(saved.id)));
}

#[tokio::test]
async fn a_save_and_its_move_are_one_write() {
    let desk = Desk::new().await;
    let id = desk.newsroom.create(&desk.editor, desk.input("Pier reopens"), Intent::Save).await.expect("created").id;
    let mut input = desk.input("Pier reopens after repairs");
    input.hero_texts = None;
    // The picture of the library as hero first: publication needs one.
    desk.newsroom.set_hero(&desk.editor, id, desk.picture.id).await.expect("hero set");
    let (_, version) = desk.state(id).await;
    let saved = desk.newsroom.save(&desk.editor, id, version, input, Intent::Publish).await.expect("saved");
    assert_eq!((saved.done, saved.move_refused), (Done::Published, Vec::new()));
    let (status, after) = desk.state(id).await;
    assert_eq!((status, after), (Status::Published, version + 2), "saved (one version) and published (another)");
    let article = desk.newsroom.store().article(id).await.expect("article").expect("exists");
    assert_eq!(article.headline, "Pier reopens after repairs");
    let actions: Vec<String> =
        desk.newsroom.store().audit_log(10, None).await.expect("audit").into_iter().map(|e| e.action).collect();
    assert_eq!(actions.first().map(String::as_str), Some("published"), "{actions:?}");
}

#[tokio::test]
async fn a_stale_save_is_a_conflict_with_both_versions_and_overwrites_nothing() {
    let desk = Desk::new().await;
    let id = desk.newsroom.create(&desk.writer, desk.input("First words"), Intent::Save).await.expect("created").id;
    desk.newsroom.save(&desk.writer, id, 1, desk.input("Second words"), Intent::Save).await.expect("the first save");
    let before = desk.written().await;
    let revisions = desk.revisions(id).await;
    let refused = desk.newsroom.save(&desk.writer, id, 1, desk.input("Third words"), Intent::Submit).await;
    let Err(Refusal::Conflict(conflict)) = refused else { panic!("expected a conflict, got {refused:?}") };
    assert_eq!(conflict.current_version, 2);
    assert_eq!(conflict.mine.headline, "Third words");
    assert_eq!(conflict.theirs.headline, "Second words");
    assert_eq!(desk.state(id).await, (Status::Draft, 2), "not saved over, not submitted");
    assert_eq!(desk.revisions(id).await, revisions + 1, "the writer's text is kept as a conflict revision");
    let kept = &desk.newsroom.store().revisions(id).await.expect("revisions")[0];
    assert!(kept.conflict, "{kept:?}");
    let after = desk.written().await;
    assert_eq!((after.audit, after.last_change), (before.audit, before.last_change), "no audit, no change");
}

#[tokio::test]
async fn invalid_content_is_refused_field_by_field_and_writes_nothing() {
    let desk = Desk::new().await;
    let id = desk.newsroom.create(&desk.writer, desk.input("A draft"), Intent::Save).await.expect("created").id;
    let before = desk.written().await;
    let mut input = desk.input("   ");
    input.new_sources = vec!["A brand new agency".into()];
    input.related = vec!["999999".into()];
    let refused = desk.newsroom.save(&desk.writer, id, 1, input, Intent::Save).await;
    let Err(Refusal::Invalid(errors)) = refused else { panic!("expected field errors, got {refused:?}") };
    let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["Related", "Headline"], "{errors:?}");
    assert_eq!(desk.state(id).await, (Status::Draft, 1));
    assert_eq!(desk.revisions(id).await, 1);
    assert_eq!(desk.written().await, before, "no source, revision, audit or change written");
}

#[tokio::test]
async fn what_a_role_may_not_do_is_refused_before_anything_is_written() {
    let desk = Desk::new().await;
    let id = desk.newsroom.create(&desk.writer, desk.input("Mine"), Intent::Save).await.expect("created").id;
    let before = desk.written().await;
    let cases = [
        (
            "another contributor's article",
            desk.newsroom.save(&desk.other_writer, id, 1, desk.input("Theirs"), Intent::Save).await,
        ),
        (
            "a contributor publishing",
            desk.newsroom.save(&desk.writer, id, 1, desk.input("Mine, live"), Intent::Publish).await,
        ),
        (
            "a contributor creating a published story",
            desk.newsroom.create(&desk.writer, desk.input("Live"), Intent::Publish).await,
        ),
    ];
    for (what, outcome) in cases {
        assert!(matches!(outcome, Err(Refusal::Forbidden(_))), "{what}: {outcome:?}");
    }
    let correction = desk.newsroom.correct(&desk.writer, id, "A correction.").await;
    assert!(matches!(correction, Err(Refusal::Forbidden(_))), "{correction:?}");
    assert_eq!(desk.state(id).await, (Status::Draft, 1));
    assert_eq!(desk.written().await, before);
}

/// A save whose text is valid but whose picture is not a picture: the whole save is refused,
/// and neither the new source it names nor a revision, audit entry or change is written.
#[tokio::test]
async fn a_bad_picture_upload_after_valid_text_leaves_nothing_written() {
    let desk = Desk::new().await;
    let id = desk.newsroom.create(&desk.writer, desk.input("Before"), Intent::Save).await.expect("created").id;
    let before = desk.written().await;
    let mut input = desk.input("After, with a picture");
    input.new_sources = vec!["Harbour Gazette".into()];
    input.hero_upload =
        Some(Upload { file_name: "photo.jpg".into(), bytes: bytes::Bytes::from_static(b"GIF89a not really") });
    input.hero_texts = Some(PictureTexts { alt: "Alt".into(), ..Default::default() });
    let refused = desk.newsroom.save(&desk.writer, id, 1, input, Intent::Submit).await;
    let Err(Refusal::Invalid(errors)) = refused else { panic!("expected the picture to be refused, got {refused:?}") };
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].field, "photo.jpg", "the file is named: {errors:?}");
    assert_eq!(desk.state(id).await, (Status::Draft, 1), "not saved, not submitted");
    assert_eq!(desk.revisions(id).await, 1, "no new revision");
    assert_eq!(desk.written().await, before, "no source, picture, audit entry or change");
    assert!(desk.files.0.lock().expect("files").is_empty(), "no file written");
}

/// A save that fails inside its transaction, after its new source and picture were written
/// there (its section is gone): none of them is kept.
#[tokio::test]
async fn a_save_failing_part_way_through_its_transaction_keeps_nothing() {
    let desk = Desk::new().await;
    let id = desk.newsroom.create(&desk.writer, desk.input("Before"), Intent::Save).await.expect("created").id;
    let before = desk.written().await;
    let mut input = desk.input("After");
    input.section = Some(SectionId(999_999));
    input.new_sources = vec!["Harbour Gazette".into()];
    input.hero_upload = Some(Upload { file_name: "quay.jpg".into(), bytes: jpeg(32, 24) });
    input.hero_texts = Some(PictureTexts { alt: "A quay".into(), ..Default::default() });
    let refused = desk.newsroom.save(&desk.writer, id, 1, input, Intent::Save).await;
    assert!(refused.is_err(), "a section that does not exist: {refused:?}");
    assert_eq!(desk.state(id).await, (Status::Draft, 1));
    assert_eq!(desk.revisions(id).await, 1, "no new revision");
    assert_eq!(desk.written().await, before, "neither the source nor the picture nor any entry is kept");
}

#[tokio::test]
async fn a_new_picture_and_new_sources_are_saved_with_the_content() {
    let desk = Desk::new().await;
    let id = desk.newsroom.create(&desk.writer, desk.input("Quay"), Intent::Save).await.expect("created").id;
    let before = desk.written().await;
    let mut input = desk.input("Quay, pictured");
    input.new_sources = vec!["Quay Chronicle".into()];
    input.hero_upload = Some(Upload { file_name: "quay.jpg".into(), bytes: jpeg(64, 48) });
    input.hero_texts = Some(PictureTexts {
        alt: "A quay".into(),
        caption: "The quay".into(),
        credit: "Photo: Desk".into(),
        keywords: Vec::new(),
    });
    let saved = desk.newsroom.save(&desk.writer, id, 1, input, Intent::Submit).await.expect("saved");
    assert_eq!((saved.done, saved.move_refused), (Done::Submitted, Vec::new()));
    let article = desk.newsroom.store().article(id).await.expect("article").expect("exists");
    let hero = article.hero.expect("the upload is the hero");
    assert_eq!((hero.alt.as_str(), hero.caption.as_str()), ("A quay", "The quay"));
    assert!(article.sources.iter().any(|s| s.name == "Quay Chronicle"), "{:?}", article.sources);
    assert_eq!(article.status, Status::Review);
    let after = desk.written().await;
    assert_eq!((after.sources, after.pictures), (before.sources + 1, before.pictures + 1));
    assert_eq!(desk.files.0.lock().expect("files").len(), 2, "the served file and the original");
}

#[tokio::test]
async fn a_move_refused_after_the_save_keeps_the_content_and_says_why() {
    let desk = Desk::new().await;
    let id = desk.newsroom.create(&desk.editor, desk.input("Plans"), Intent::Save).await.expect("created").id;
    let past = OffsetDateTime::now_utc() - Duration::hours(1);
    let saved = desk
        .newsroom
        .save(&desk.editor, id, 1, desk.input("Plans, revised"), Intent::Schedule(Some(past)))
        .await
        .expect("saved");
    // Issue #19: every reason at once, the time and what the story lacks (it has no picture).
    let reasons: Vec<String> = saved.move_refused.iter().map(ToString::to_string).collect();
    assert_eq!(reasons.first().map(String::as_str), Some("Publication time: choose a time in the future"));
    assert!(reasons.iter().any(|r| r == "Before publishing: it still needs a main picture"), "{reasons:?}");
    assert_eq!(saved.done, Done::Saved);
    assert_eq!(desk.state(id).await, (Status::Draft, 2), "saved, not scheduled");
    // Publication needs a picture this article lacks.
    let published = desk.newsroom.save(&desk.editor, id, 2, desk.input("Plans, revised"), Intent::Publish).await;
    let refused = published.expect("nothing to save, a move refused").move_refused;
    let message = refused.iter().map(ToString::to_string).collect::<Vec<_>>().join("; ");
    assert!(message.contains("a main picture") && !message.contains("Publication time"), "{message}");
    assert_eq!(desk.state(id).await, (Status::Draft, 2));
    // A schedule without a time and content that cannot be saved: both said at once.
    let refused = desk.newsroom.save(&desk.editor, id, 2, desk.input(""), Intent::Schedule(None)).await;
    let Err(Refusal::Invalid(errors)) = refused else { panic!("expected the content refused, got {refused:?}") };
    let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["Headline", "Publication time"], "{errors:?}");
    assert_eq!(desk.state(id).await, (Status::Draft, 2), "nothing written");
}

#[tokio::test]
async fn unpublishing_needs_an_editor_a_reason_and_a_confirmation_and_logs_the_reason() {
    let desk = Desk::new().await;
    let id = desk.newsroom.create(&desk.editor, desk.input("Quay"), Intent::Save).await.expect("created").id;
    desk.newsroom.set_hero(&desk.editor, id, desk.picture.id).await.expect("hero");
    let (_, version) = desk.state(id).await;
    let mut input = desk.input("Quay");
    input.hero_texts = None;
    let published = desk.newsroom.save(&desk.editor, id, version, input.clone(), Intent::Publish).await;
    assert_eq!(published.expect("published").move_refused, Vec::new());
    let (_, version) = desk.state(id).await;
    // Not through the editor's form: that has no reason.
    let through_save = desk.newsroom.save(&desk.editor, id, version, input, Intent::Unpublish).await;
    assert!(matches!(through_save, Err(Refusal::Invalid(_))), "{through_save:?}");
    let before = desk.written().await;
    let missing = desk.newsroom.unpublish(&desk.editor, id, &courant_newsroom::Unpublishing::default()).await;
    let Err(Refusal::Invalid(errors)) = missing else { panic!("expected a refusal, got {missing:?}") };
    let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["Reason", "Confirmation"], "both at once: {errors:?}");
    let blank = courant_newsroom::Unpublishing { reason: "  \n ".into(), confirmed: true };
    assert!(matches!(desk.newsroom.unpublish(&desk.editor, id, &blank).await, Err(Refusal::Invalid(_))));
    let request = courant_newsroom::Unpublishing { reason: "Legal: a court order".into(), confirmed: true };
    let by_writer = desk.newsroom.unpublish(&desk.writer, id, &request).await;
    assert!(matches!(by_writer, Err(Refusal::Forbidden(_) | Refusal::NotFound(_))), "{by_writer:?}");
    assert_eq!(desk.state(id).await, (Status::Published, version), "nothing moved");
    assert_eq!(desk.written().await.audit, before.audit, "nothing logged");

    desk.newsroom.unpublish(&desk.editor, id, &request).await.expect("unpublished");
    assert_eq!(desk.state(id).await.0, Status::Unpublished);
    let audit = desk.newsroom.store().audit_log(1, None).await.expect("audit");
    assert_eq!(
        (audit[0].action.as_str(), audit[0].article_id, audit[0].detail.as_str()),
        ("unpublished", Some(id), "Legal: a court order")
    );
    let again = desk.newsroom.unpublish(&desk.editor, id, &request).await;
    assert!(matches!(again, Err(Refusal::NotNow { .. })), "{again:?}");
}

#[tokio::test]
async fn a_correction_goes_on_a_published_story_only() {
    let desk = Desk::new().await;
    let id = desk.newsroom.create(&desk.editor, desk.input("Bridge"), Intent::Save).await.expect("created").id;
    let early = desk.newsroom.correct(&desk.editor, id, "An earlier version misnamed the bridge.").await;
    assert!(matches!(early, Err(Refusal::NotNow { .. })), "{early:?}");
    desk.newsroom.set_hero(&desk.editor, id, desk.picture.id).await.expect("hero");
    let saved = desk.newsroom.save(&desk.editor, id, 2, desk.input("Bridge"), Intent::Publish).await.expect("live");
    assert_eq!(saved.done, Done::Published);
    let empty = desk.newsroom.correct(&desk.editor, id, "  ").await;
    assert!(matches!(empty, Err(Refusal::Invalid(_))), "{empty:?}");
    desk.newsroom.correct(&desk.editor, id, "An earlier version misnamed the bridge.").await.expect("corrected");
    let article = desk.newsroom.store().article(id).await.expect("article").expect("exists");
    assert_eq!(article.corrections.len(), 1);
}

#[tokio::test]
async fn restoring_a_revision_saves_it_anew_with_its_audit_entry() {
    let desk = Desk::new().await;
    let id = desk.newsroom.create(&desk.writer, desk.input("Original"), Intent::Save).await.expect("created").id;
    desk.newsroom.save(&desk.writer, id, 1, desk.input("Rewritten"), Intent::Save).await.expect("saved");
    let oldest = desk.newsroom.store().revisions(id).await.expect("revisions").last().expect("one").id;
    desk.newsroom.restore(&desk.writer, id, oldest).await.expect("restored");
    let article = desk.newsroom.store().article(id).await.expect("article").expect("exists");
    assert_eq!(article.headline, "Original");
    assert_eq!(desk.state(id).await, (Status::Draft, 3));
    let entry = &desk.newsroom.store().audit_log(1, None).await.expect("audit")[0];
    assert_eq!((entry.action.as_str(), entry.detail.as_str()), ("restored", "restored from v1"));
    let missing = desk.newsroom.restore(&desk.writer, id, 999_999).await;
    assert!(matches!(missing, Err(Refusal::NotFound(_))), "{missing:?}");
}

#[tokio::test]
async fn autosave_saves_drafts_quietly_and_stops_at_a_conflict() {
    let desk = Desk::new().await;
    let id = desk.newsroom.create(&desk.writer, desk.input("Typing"), Intent::Save).await.expect("created").id;
    let same = desk.newsroom.autosave(&desk.writer, id, 1, desk.input("Typing")).await.expect("autosave");
    assert_eq!(same, courant_newsroom::Autosaved::Unchanged { version: 1 });
    let saved = desk.newsroom.autosave(&desk.writer, id, 1, desk.input("Typing more")).await.expect("autosave");
    assert!(matches!(saved, courant_newsroom::Autosaved::Saved { version: 2, .. }), "{saved:?}");
    let stale = desk.newsroom.autosave(&desk.writer, id, 1, desk.input("Typing elsewhere")).await;
    assert!(matches!(stale, Err(Refusal::Conflict(_))), "{stale:?}");
    assert_eq!(desk.state(id).await, (Status::Draft, 2));
}

/// Issue 19: a new story's first autosave creates its draft (one article, its revision and
/// audit entry); the later ones save over it, and while no reader has seen it, its slug follows
/// the headline typed since (the first autosave made it from the first words).
#[tokio::test]
async fn the_first_autosave_of_a_new_story_creates_its_draft_and_the_slug_follows_the_headline() {
    let desk = Desk::new().await;
    let before = desk.written().await;
    let (id, saved) = desk.newsroom.autosave_new(&desk.writer, desk.input("Harb")).await.expect("created");
    assert!(matches!(saved, courant_newsroom::Autosaved::Saved { version: 1, .. }), "{saved:?}");
    assert_eq!(desk.state(id).await, (Status::Draft, 1));
    assert_eq!(desk.revisions(id).await, 1);
    assert_eq!(desk.written().await.audit, before.audit + 1, "one audit entry: created");
    let d = &desk;
    let slug =
        |id: ArticleId| async move { d.newsroom.store().article(id).await.expect("article").expect("exists").slug };
    assert_eq!(slug(id).await, "harb");

    let next = desk.newsroom.autosave(&desk.writer, id, 1, desk.input("Harbour tram returns")).await;
    assert!(matches!(next, Ok(courant_newsroom::Autosaved::Saved { version: 2, .. })), "{next:?}");
    assert_eq!(slug(id).await, "harbour-tram-returns", "the slug follows the headline of a draft");
    let same = desk.newsroom.autosave(&desk.writer, id, 2, desk.input("Harbour tram returns")).await;
    assert_eq!(same.expect("autosave"), courant_newsroom::Autosaved::Unchanged { version: 2 });

    // A slug the writer typed stays (the editor shows it in the field from then on); a
    // published story keeps its address even when the field is left empty.
    let with_slug = |headline: &str| courant_newsroom::ArticleInput { slug: "tram".into(), ..desk.input(headline) };
    desk.newsroom.save(&desk.writer, id, 2, with_slug("Harbour tram returns"), Intent::Save).await.expect("saved");
    assert_eq!(slug(id).await, "tram");
    desk.newsroom.set_hero(&desk.editor, id, desk.picture.id).await.expect("hero");
    let (_, version) = desk.state(id).await;
    let published =
        desk.newsroom.save(&desk.editor, id, version, with_slug("Harbour tram returns"), Intent::Publish).await;
    assert_eq!(published.expect("published").move_refused, Vec::new());
    let (status, version) = desk.state(id).await;
    assert_eq!(status, Status::Published);
    let renamed = desk.input("Tram back on the harbour");
    desk.newsroom.save(&desk.editor, id, version, renamed, Intent::Save).await.expect("saved");
    assert_eq!(slug(id).await, "tram", "a published story keeps its address");

    let refused = desk.newsroom.autosave_new(&desk.writer, desk.input("  ")).await;
    assert!(matches!(refused, Err(Refusal::Invalid(_))), "no headline, no draft: {refused:?}");
}

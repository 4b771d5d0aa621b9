//! The registries and the newsroom's people through the service.

use crate::support::*;
use courant_core::*;
use courant_newsroom::{
    AuthorFields, Intent, MemberFields, NewMember, NewPassword, Refusal, SectionFields, SourceFields,
};

#[tokio::test]
async fn editors_keep_the_registries_and_contributors_cannot() {
    let desk = Desk::new().await;
    let before = desk.written().await;
    let section = SectionFields { name: "Harbours".into(), ..Default::default() };
    let refused = desk.newsroom.create_section(&desk.writer, section.clone()).await;
    assert!(matches!(refused, Err(Refusal::Forbidden(_))), "{refused:?}");
    let source = SourceFields { name: "Wire".into(), url: String::new(), kind: "agency".into() };
    let refused = desk.newsroom.create_source(&desk.writer, source.clone()).await;
    assert!(matches!(refused, Err(Refusal::Forbidden(_))), "{refused:?}");
    let refused = desk.newsroom.delete_section(&desk.writer, desk.section.id).await;
    assert!(matches!(refused, Err(Refusal::Forbidden(_))), "{refused:?}");
    assert_eq!(desk.written().await, before, "nothing written for a contributor");

    let made = desk.newsroom.create_section(&desk.editor, section).await.expect("an editor adds a section");
    let renamed = SectionFields { name: "Ports".into(), description: "Ships and quays".into(), ..Default::default() };
    desk.newsroom.update_section(&desk.editor, made.id, renamed).await.expect("renamed");
    let sections = desk.newsroom.store().sections().await.expect("sections");
    let stored = sections.iter().find(|s| s.id == made.id).expect("kept");
    assert_eq!((stored.name.as_str(), stored.slug.as_str()), ("Ports", made.slug.as_str()), "the address stays");
    let empty = desk.newsroom.update_section(&desk.editor, made.id, SectionFields::default()).await;
    assert!(matches!(empty, Err(Refusal::Invalid(_))), "a section needs a name: {empty:?}");
    desk.newsroom.delete_section(&desk.editor, made.id).await.expect("an unused section is deleted");
}

#[tokio::test]
async fn what_is_used_is_not_deleted_and_the_refusal_names_its_users() {
    let desk = Desk::new().await;
    let id = desk.newsroom.create(&desk.writer, desk.input("Ferry timetable"), Intent::Save).await.expect("created").id;
    let before = desk.written().await;
    let refused = desk.newsroom.delete_section(&desk.editor, desk.section.id).await;
    let Err(Refusal::InUse { used_by, .. }) = refused else {
        panic!("expected the section to be in use, got {refused:?}")
    };
    assert_eq!(used_by, ["Ferry timetable"]);
    let refused = desk.newsroom.delete_author(&desk.editor, desk.author.id).await;
    assert!(matches!(refused, Err(Refusal::InUse { .. })), "{refused:?}");
    assert_eq!(desk.written().await, before, "nothing deleted, nothing logged");
    assert!(desk.newsroom.store().article(id).await.expect("read").is_some());
}

#[tokio::test]
async fn an_author_photo_must_be_a_picture_of_the_library() {
    let desk = Desk::new().await;
    let fields = |photo| AuthorFields {
        name: "Ada Lines".into(),
        title: "Harbour correspondent".into(),
        bio: String::new(),
        photo,
    };
    let refused = desk.newsroom.update_author(&desk.editor, desk.author.id, fields(Some(ImageId(999_999)))).await;
    let Err(Refusal::Invalid(errors)) = refused else { panic!("expected the photo to be refused, got {refused:?}") };
    assert_eq!(errors[0].field, "Photo", "{errors:?}");
    desk.newsroom.update_author(&desk.editor, desk.author.id, fields(Some(desk.picture.id))).await.expect("saved");
    let author = desk.newsroom.store().author(desk.author.id).await.expect("read").expect("exists");
    assert_eq!(author.photo.map(|p| p.id), Some(desk.picture.id));
}

#[tokio::test]
async fn tags_merge_into_the_one_named() {
    let desk = Desk::new().await;
    desk.newsroom.create(&desk.writer, desk.input("Harbour lights"), Intent::Save).await.expect("created");
    let mut input = desk.input("Lighthouse");
    input.tags = vec!["Lights".into()];
    desk.newsroom.create(&desk.writer, input, Intent::Save).await.expect("created");
    let tags = desk.newsroom.store().tags().await.expect("tags");
    let lights = tags.iter().find(|t| t.name == "Lights").expect("made on the fly").id;
    let unknown = desk.newsroom.merge_tag(&desk.editor, lights, "Nothing like it").await;
    assert!(matches!(unknown, Err(Refusal::Invalid(_))), "{unknown:?}");
    let by_contributor = desk.newsroom.merge_tag(&desk.writer, lights, "harbours").await;
    assert!(matches!(by_contributor, Err(Refusal::Forbidden(_))), "{by_contributor:?}");
    desk.newsroom.merge_tag(&desk.editor, lights, "harbours").await.expect("merged by address");
    let names: Vec<String> = desk.newsroom.store().tags().await.expect("tags").into_iter().map(|t| t.name).collect();
    assert_eq!(names, ["Harbours"], "the merged tag is gone");
}

#[tokio::test]
async fn admins_add_users_who_get_a_one_time_password() {
    let desk = Desk::new().await;
    let new = NewMember { email: "New.Writer@Desk.example".into(), name: "New Writer".into(), role: Role::Contributor };
    let refused = desk.newsroom.create_user(Some(&desk.editor), new.clone()).await;
    assert!(matches!(refused, Err(Refusal::Forbidden(_))), "editors do not add users: {refused:?}");
    let admin = desk
        .newsroom
        .create_user(None, NewMember { email: "chief@desk.example".into(), name: "Chief".into(), role: Role::Admin })
        .await;
    let (admin, _) = admin.expect("the command line adds the first admin");
    let (user, password) = desk.newsroom.create_user(Some(&admin), new.clone()).await.expect("added");
    assert_eq!((user.email.as_str(), user.must_change_password), ("new.writer@desk.example", true));
    assert_eq!(password.chars().count(), 20);
    let hash = desk.newsroom.store().password_hash(user.id).await.expect("read").expect("set");
    assert!(courant_newsroom::secrets::verify_password(password, hash).await, "the stored hash is the password's");
    let twice = desk.newsroom.create_user(Some(&admin), new).await;
    assert!(matches!(twice, Err(Refusal::Invalid(_))), "one account per address: {twice:?}");
    let demote_self = MemberFields { name: "Chief".into(), role: Role::Editor, author: None, disabled: false };
    let refused = desk.newsroom.update_user(&admin, admin.id, demote_self).await;
    assert!(matches!(refused, Err(Refusal::Invalid(_))), "{refused:?}");
    let promote =
        MemberFields { name: "New Writer".into(), role: Role::Editor, author: Some(desk.author.id), disabled: false };
    let changed = desk.newsroom.update_user(&admin, user.id, promote).await.expect("changed");
    assert_eq!((changed.role, changed.author_id), (Role::Editor, Some(desk.author.id)));
    let token = desk.newsroom.password_link(Some(&admin), &changed).await.expect("a link");
    let found = desk
        .newsroom
        .store()
        .password_reset_user(&courant_newsroom::secrets::token_hash(&token), time::OffsetDateTime::now_utc())
        .await
        .expect("read");
    assert_eq!(found.map(|u| u.id), Some(user.id), "the link's token is stored as its hash");
}

#[tokio::test]
async fn passwords_change_with_the_current_one_and_links_work_once() {
    let desk = Desk::new().await;
    let (user, one_time) = desk
        .newsroom
        .create_user(None, NewMember { email: "pat@desk.example".into(), name: "Pat".into(), role: Role::Editor })
        .await
        .expect("added");
    let new = |p: &str, again: &str| NewPassword { password: p.into(), repeated: again.into() };
    let fresh = "a long new password for pat";
    let refused = desk.newsroom.change_password(&user, "", &new(fresh, "another one entirely"), "").await;
    assert!(matches!(refused, Err(Refusal::Invalid(_))), "two different typings: {refused:?}");
    let refused = desk.newsroom.change_password(&user, "", &new("short", "short"), "").await;
    assert!(matches!(refused, Err(Refusal::Invalid(_))), "too short: {refused:?}");
    // Right after a one-time password the current one is not asked.
    desk.newsroom.change_password(&user, "", &new(fresh, fresh), "").await.expect("changed");
    let user = desk.newsroom.store().user(user.id).await.expect("read").expect("exists");
    assert!(!user.must_change_password);
    let hash = desk.newsroom.store().password_hash(user.id).await.expect("read").expect("set");
    assert!(courant_newsroom::secrets::verify_password(fresh.into(), hash).await);
    assert!(
        !courant_newsroom::secrets::verify_password(
            one_time,
            desk.newsroom.store().password_hash(user.id).await.expect("read").expect("set")
        )
        .await
    );
    let wrong = desk
        .newsroom
        .change_password(&user, "not it", &new("yet another long password", "yet another long password"), "")
        .await;
    assert!(matches!(wrong, Err(Refusal::Invalid(_))), "the current password is checked: {wrong:?}");

    let token = desk.newsroom.password_link(None, &user).await.expect("a link");
    let mismatch = desk.newsroom.reset_password(&token, &new("through the link we go", "through a link we go")).await;
    assert!(matches!(mismatch, Err(Refusal::Invalid(_))), "{mismatch:?}");
    let reset = desk.newsroom.reset_password(&token, &new("through the link we go", "through the link we go")).await;
    assert_eq!(reset.expect("set through the link").id, user.id);
    let again = desk.newsroom.reset_password(&token, &new("and once more we go", "and once more we go")).await;
    assert!(matches!(again, Err(Refusal::NotFound(_))), "a link works once: {again:?}");
}

#[tokio::test]
async fn a_new_password_voids_every_outstanding_link() {
    let desk = Desk::new().await;
    let (user, _) = desk
        .newsroom
        .create_user(None, NewMember { email: "lee@desk.example".into(), name: "Lee".into(), role: Role::Contributor })
        .await
        .expect("added");
    let new = |p: &str| NewPassword { password: p.into(), repeated: p.into() };
    let first = desk.newsroom.password_link(None, &user).await.expect("a link");
    let second = desk.newsroom.password_link(None, &user).await.expect("another link");
    desk.newsroom.reset_password(&first, &new("the first link was used")).await.expect("reset");
    let later = desk.newsroom.reset_password(&second, &new("the second link is void")).await;
    assert!(matches!(later, Err(Refusal::NotFound(_))), "a reset voids the other links: {later:?}");

    let third = desk.newsroom.password_link(None, &user).await.expect("a third link");
    let user = desk.newsroom.store().user(user.id).await.expect("read").expect("exists");
    desk.newsroom
        .change_password(&user, "the first link was used", &new("changed by hand now"), "")
        .await
        .expect("changed");
    let later = desk.newsroom.reset_password(&third, &new("the third link is void")).await;
    assert!(matches!(later, Err(Refusal::NotFound(_))), "a password change voids the links: {later:?}");
}

//! A newsroom over a fresh store, a small publication to act on, and a record of everything
//! the store holds that an action could write.

#![allow(dead_code)] // not every test module uses every helper

use courant_core::*;
use courant_newsroom::{ArticleInput, BoxFuture, Newsroom, PictureFiles};
use courant_store::NewUser;
use courant_store::testing::TestStore;
use std::sync::{Arc, Mutex};
use time::OffsetDateTime;

/// Picture files kept in memory: the names written, in order.
#[derive(Default)]
pub struct Files(pub Mutex<Vec<String>>);

impl PictureFiles for Files {
    fn write<'a>(&'a self, name: &'a str, _: &'a [u8]) -> BoxFuture<'a, std::io::Result<()>> {
        self.0.lock().expect("files").push(name.to_string());
        Box::pin(async { Ok(()) })
    }

    fn write_original<'a>(&'a self, name: &'a str, _: &'a [u8]) -> BoxFuture<'a, std::io::Result<()>> {
        self.0.lock().expect("files").push(format!("originals/{name}"));
        Box::pin(async { Ok(()) })
    }
}

/// A newsroom over a fresh store holding one section, one author and one picture, with a
/// contributor, a second contributor and an editor.
pub struct Desk {
    pub newsroom: Newsroom,
    pub files: Arc<Files>,
    pub section: Section,
    pub author: Author,
    pub picture: Image,
    pub writer: User,
    pub other_writer: User,
    pub editor: User,
    /// Kept for its scratch space (a data folder or a schema).
    pub test: TestStore,
}

impl Desk {
    pub async fn new() -> Desk {
        let test = TestStore::new().await;
        let store = test.store.clone();
        let section =
            store.insert_section(NewSection { name: "World".into(), ..Default::default() }).await.expect("a section");
        let author =
            store.insert_author(NewAuthor { name: "Ada Lines".into(), ..Default::default() }).await.expect("an author");
        let picture = store
            .insert_image(NewImage {
                file: "harbour.jpg".into(),
                width: 1200,
                height: 800,
                alt: "Boats in a harbour".into(),
                caption: "The harbour at dawn".into(),
                credit: "Photo: Desk".into(),
                keywords: Vec::new(),
            })
            .await
            .expect("a picture");
        let user = async |email: &str, role: Role| {
            let new = NewUser {
                email: email.into(),
                name: email.split('@').next().unwrap_or("x").into(),
                role,
                password_hash: "$argon2id$not-checked-here".into(),
                must_change_password: false,
                author_id: None,
            };
            store.insert_user(&new, None, OffsetDateTime::now_utc()).await.expect("a user")
        };
        let writer = user("writer@desk.example", Role::Contributor).await;
        let other_writer = user("other@desk.example", Role::Contributor).await;
        let editor = user("editor@desk.example", Role::Editor).await;
        let files = Arc::new(Files::default());
        let newsroom = Newsroom::new(store, files.clone());
        Desk { newsroom, files, section, author, picture, writer, other_writer, editor, test }
    }

    /// Content that passes every check and has everything publication needs but a picture.
    pub fn input(&self, headline: &str) -> ArticleInput {
        ArticleInput {
            headline: headline.into(),
            standfirst: "What happened, in one sentence.".into(),
            body: "The first paragraph.\n\nThe second.".into(),
            section: Some(self.section.id),
            authors: vec![self.author.id],
            tags: vec!["Harbours".into()],
            ..Default::default()
        }
    }

    /// Everything an action could write, to compare before and after.
    pub async fn written(&self) -> Written {
        let store = self.newsroom.store();
        Written {
            last_change: store.last_change().await.expect("change log"),
            audit: store.audit_log(1000, None).await.expect("audit log").len(),
            sources: store.sources().await.expect("sources").len(),
            pictures: store.images_page("", 1000, 0).await.expect("pictures").total,
            counts: store.counts().await.expect("counts"),
        }
    }

    /// How many revisions the article has.
    pub async fn revisions(&self, id: ArticleId) -> usize {
        self.newsroom.store().revisions(id).await.expect("revisions").len()
    }

    /// The article's status and version.
    pub async fn state(&self, id: ArticleId) -> (Status, i64) {
        let meta = self.newsroom.store().article_meta(id).await.expect("meta").expect("the article exists");
        (meta.status, meta.version)
    }
}

/// What the store holds that actions write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    pub last_change: i64,
    pub audit: usize,
    pub sources: usize,
    pub pictures: i64,
    pub counts: courant_store::Counts,
}

/// A real JPEG of `width` × `height` pixels.
pub fn jpeg(width: u32, height: u32) -> bytes::Bytes {
    let picture = image::RgbImage::from_fn(width, height, |x, y| image::Rgb([(x % 256) as u8, (y % 256) as u8, 90]));
    courant_media::encode_jpeg(&picture, 80).expect("encode a JPEG").bytes.into()
}

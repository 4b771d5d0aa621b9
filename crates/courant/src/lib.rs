//! The `courant` binary's library half: configuration, opening a publication's data folder,
//! filling it with the demo, and serving it. `main.rs` is only the command line; tests use
//! these functions to run the real thing over a temporary folder.

pub mod backup;
pub mod config;

use anyhow::Context;
use courant_demo::{DemoOptions, DemoReport, Stage};
use courant_render::Renderer;
use courant_store::Store;
use courant_web::AppState;
use indicatif::{ProgressBar, ProgressStyle};
use std::future::Future;
use std::path::{Path, PathBuf};
use time::OffsetDateTime;

pub use config::Config;

/// The folder of image files inside the data folder.
pub fn media_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("media")
}

/// The folder of the search index inside the data folder.
pub fn index_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("index")
}

/// The folder of picture files: `store.media_dir`, else DATA/media. With a bucket, where the
/// demo draws its pictures before they go up.
pub fn media_folder(data_dir: &Path, config: &Config) -> PathBuf {
    config.store.media_dir.clone().unwrap_or_else(|| media_dir(data_dir))
}

/// Where picture files live: the configured bucket, else [`media_folder`].
pub fn media_files(data_dir: &Path, config: &Config) -> anyhow::Result<courant_web::files::MediaFiles> {
    Ok(match &config.store.bucket {
        Some(settings) => courant_web::files::MediaFiles::Bucket(
            courant_web::files::Bucket::new(settings.clone()).context("cannot prepare the bucket's client")?,
        ),
        None => courant_web::files::MediaFiles::Folder(media_folder(data_dir, config)),
    })
}

/// A picture file of a picture folder, or of the `originals/` folder beside it.
pub(crate) struct PictureFile {
    pub(crate) path: PathBuf,
    /// Its name within its folder, with `/` between parts.
    pub(crate) name: String,
    /// An upload as sent (in `originals/`), not a served picture.
    pub(crate) original: bool,
}

/// Every picture file of `folder` and of the `originals/` folder beside it, in name order.
/// Temporary files of uploads being written (`.tmp`) are not pictures yet and are left out.
pub(crate) fn picture_files(folder: &Path) -> anyhow::Result<Vec<PictureFile>> {
    fn walk(root: &Path, dir: &Path, original: bool, found: &mut Vec<PictureFile>) -> std::io::Result<()> {
        let mut entries: Vec<_> = std::fs::read_dir(dir)?.collect::<Result<_, _>>()?;
        entries.sort_by_key(|e| e.file_name());
        for entry in entries {
            let path = entry.path();
            let kind = entry.file_type()?;
            if kind.is_dir() {
                walk(root, &path, original, found)?;
            } else if kind.is_file() && !entry.file_name().to_string_lossy().ends_with(".tmp") {
                let relative = path.strip_prefix(root).map_err(std::io::Error::other)?;
                let name = relative.to_string_lossy().replace('\\', "/");
                found.push(PictureFile { path, name, original });
            }
        }
        Ok(())
    }
    let mut found = Vec::new();
    let originals = folder.parent().map(|p| p.join("originals"));
    for (root, original) in [(Some(folder.to_owned()), false), (originals, true)] {
        if let Some(root) = root.filter(|r| r.is_dir()) {
            walk(&root, &root, original, &mut found).with_context(|| format!("cannot read {}", root.display()))?;
        }
    }
    Ok(found)
}

/// Copies the picture files of `folder` (and of the `originals/` folder beside it) into
/// `files`, with a progress bar; returns how many. For `courant demo` and `courant upload-media`
/// with a bucket.
pub async fn upload_pictures(folder: &Path, files: &courant_web::files::MediaFiles) -> anyhow::Result<usize> {
    if !folder.is_dir() {
        anyhow::bail!("cannot read {}: not a folder", folder.display());
    }
    let pictures = picture_files(folder)?;
    let b = bar("uploading pictures");
    b.set_length(pictures.len() as u64);
    for PictureFile { path, name, original } in &pictures {
        let bytes = tokio::fs::read(path).await.with_context(|| format!("cannot read {}", path.display()))?;
        let written =
            if *original { files.write_original(name, &bytes).await } else { files.write(name, &bytes).await };
        written.with_context(|| format!("cannot upload {name}"))?;
        b.inc(1);
    }
    b.finish();
    Ok(pictures.len())
}

/// Opens the store the configuration names (`store.url`, else the data folder's SQLite file),
/// applying pending migrations when `migrate` is true.
pub async fn open_store(data_dir: &Path, config: &Config, migrate: bool) -> anyhow::Result<Store> {
    let location = config.store.location(data_dir)?;
    let settings = config.store.pg_settings();
    let opened = if migrate {
        Store::open_at(&location, &settings).await
    } else {
        Store::open_at_without_migrating(&location, &settings).await
    };
    let store = opened.with_context(|| match &location {
        courant_store::Location::Sqlite(_) => format!("cannot open the store at {location}"),
        courant_store::Location::Postgres(_) => format!(
            "cannot open the store at {location}; is the PostgreSQL server running, and may this user connect to \
             the database?"
        ),
    })?;
    tracing::info!(store = %location, "store opened");
    Ok(store)
}

/// Opens the store the configuration names (applying migrations) and the search index in
/// `data_dir` (rebuilding it when it is missing or of another version), and prepares the
/// application.
pub async fn open(data_dir: &Path, config: &Config) -> anyhow::Result<AppState> {
    let store = open_store(data_dir, config, true).await?;
    let file_settings = config.render_settings();
    let settings = match store.setting(courant_web::newsroom::SETTINGS_KEY).await? {
        // What admins saved in the newsroom, over the file's values.
        Some(json) => match serde_json::from_str::<courant_render::PublicationSettings>(&json) {
            Ok(saved) if saved.problem().is_none() => saved.apply(&file_settings),
            _ => {
                tracing::warn!("the publication settings saved in the newsroom are unreadable; using courant.toml's");
                file_settings.clone()
            }
        },
        None => file_settings.clone(),
    };
    let renderer = Renderer::new(settings, AppState::css_url(), AppState::beacon_url())?;
    let (index, fresh) = courant_search::SearchIndex::open(&index_dir(data_dir), &config.search.language)
        .with_context(|| format!("cannot open the search index in {}", index_dir(data_dir).display()))?;
    let index = std::sync::Arc::new(index);
    if fresh {
        reindex(&store, &index).await?;
    }
    let mut newsroom = config.newsroom.clone();
    newsroom.secure_cookies = config.site.url.starts_with("https://");
    let state = AppState::new(
        store,
        renderer,
        file_settings,
        media_files(data_dir, config)?,
        &config.api,
        index,
        config.trending.clone(),
        newsroom,
        config.cache.clone(),
        newsletters(data_dir, config)?,
    )?;
    courant_web::tasks::load_trending(&state).await?;
    state.cache.start(&state.store).await?;
    state.reload_footer().await?;
    Ok(state)
}

/// Where this node's newsletters go: the SMTP server of `[mail]`, or `DATA/outbox/`.
pub fn newsletters(data_dir: &Path, config: &Config) -> anyhow::Result<courant_web::newsletters::Newsletters> {
    let mailer = courant_mail::Mailer::new(&config.mail, data_dir).map_err(|e| anyhow::anyhow!("{e}"))?;
    if let Some(outbox) = mailer.outbox() {
        tracing::info!(outbox = %outbox.display(), "no SMTP server in [mail]: emails are written to the outbox, not sent");
    }
    Ok(courant_web::newsletters::Newsletters::new(mailer, &config.mail)?)
}

/// Rebuilds the search index from the store, with a progress bar on a terminal.
pub async fn reindex(store: &Store, index: &courant_search::SearchIndex) -> anyhow::Result<usize> {
    let started = std::time::Instant::now();
    let b = bar("indexing stories");
    let n = courant_web::indexer::rebuild(store, index, &|done, total| {
        b.set_length(total as u64);
        b.set_position(done as u64);
    })
    .await?;
    b.finish();
    tracing::info!(articles = n, seconds = started.elapsed().as_secs_f32(), "search index rebuilt");
    Ok(n)
}

/// Finds the related stories of every story that needs them, on as many processors as the
/// machine has (up to 4), with a progress bar on a terminal. (A server finds them behind its
/// pages, slowly; a publication made at once has them at once.)
pub async fn find_related(store: &Store, index: &std::sync::Arc<courant_search::SearchIndex>) -> anyhow::Result<usize> {
    let started = std::time::Instant::now();
    let b = bar("finding related stories");
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get()).min(4);
    let n = courant_web::related::find_all(store, index, workers, &|done, total| {
        b.set_length(total as u64);
        b.set_position(done as u64);
    })
    .await?;
    b.finish();
    tracing::info!(stories = n, seconds = started.elapsed().as_secs_f32(), "related stories found");
    Ok(n)
}

/// Fills an empty store with the demo publication of `articles` stories, showing progress
/// bars on a terminal.
pub async fn fill_demo(
    store: &Store,
    index: Option<&std::sync::Arc<courant_search::SearchIndex>>,
    media: &Path,
    articles: usize,
) -> anyhow::Result<DemoReport> {
    let options = DemoOptions::new(articles, OffsetDateTime::now_utc());
    let pictures = bar("drawing pictures");
    let stories = bar("writing stories");
    let progress = |stage: Stage, done: usize, total: usize| {
        let b = if stage == Stage::Pictures { &pictures } else { &stories };
        b.set_length(total as u64);
        b.set_position(done as u64);
    };
    let started = std::time::Instant::now();
    let report = courant_demo::generate(store, media, &options, &progress).await?;
    pictures.finish();
    stories.finish();
    store.refresh_statistics().await?;
    if let Some(index) = index {
        reindex(store, index).await?;
        find_related(store, index).await?;
    }
    tracing::info!(
        articles = report.articles,
        published = report.published,
        pictures = report.pictures,
        seconds = started.elapsed().as_secs_f32(),
        "demo publication generated"
    );
    Ok(report)
}

/// Gives the demo publication its newsletters: a morning briefing of the latest stories on
/// weekdays and a weekend digest of the most read, at the site's local times. No subscribers:
/// readers subscribe on the site, and with no SMTP server the emails land in `DATA/outbox/`.
pub async fn demo_newsletters(state: &AppState) -> anyhow::Result<()> {
    if !state.store.newsletter_lists().await?.is_empty() {
        return Ok(());
    }
    let now = OffsetDateTime::now_utc();
    let clock = state.renderer().clock().clone();
    let lists = [
        (
            "morning-briefing",
            "Morning briefing",
            "The stories of the morning, before you start your day.",
            courant_store::ListRule::Latest,
            7 * 60,
            vec![1, 2, 3, 4, 5],
            6,
        ),
        (
            "weekend-reads",
            "Weekend reads",
            "What readers read most this week, to take your time over.",
            courant_store::ListRule::MostRead,
            9 * 60,
            vec![6],
            8,
        ),
    ];
    for (slug, name, description, rule, minute, days, stories) in lists {
        let draft = courant_store::ListDraft {
            slug: slug.into(),
            name: name.into(),
            description: description.into(),
            rule,
            section_id: None,
            stories,
            send_minute: Some(minute),
            days,
            active: true,
        };
        let next = courant_web::newsletters::next_edition(&clock, draft.send_minute, &draft.days, now);
        state.store.save_newsletter_list(None, &draft, next, now).await?;
    }
    Ok(())
}

/// Gives the demo publication its own pages (About, Contact, the corrections policy, terms,
/// privacy), linked from the footer; each says plainly that the publication is a demonstration.
pub async fn demo_pages(state: &AppState) -> anyhow::Result<()> {
    if !state.store.site_pages().await?.is_empty() {
        return Ok(());
    }
    let name = state.renderer().site().title.clone();
    let demo = format!(
        "*{name} is the demonstration publication of Courant: its stories, people and places are \
         generated by Courant's own code and are fiction.*"
    );
    let pages = [
        (
            "about",
            "About us",
            format!(
                "{demo}\n\n## Who we are\n\n{name} is an independent newsroom covering news, business, sport, \
                 culture, science and opinion, from the town hall to the wider world. Our reporters write \
                 every story themselves; where a story rests on the work of news agencies or other outlets, \
                 it names them in its sources line.\n\n## How we work\n\n- Every story is read by an editor \
                 before it is published.\n- We say who wrote each story, and when it was published and last \
                 changed.\n- Opinion pieces are marked as opinion and kept apart from reporting.\n\n\
                 See also our [corrections policy](/corrections-policy) and how to [reach the \
                 newsroom](/contact)."
            ),
        ),
        (
            "contact",
            "Contact the newsroom",
            format!(
                "{demo}\n\n## News tips\n\nIf you have seen something we should know about, write to the \
                 newsroom. We read every message, and we protect the people who talk to us.\n\n## Mistakes\n\n\
                 If you believe a story is wrong, tell us which story and what is wrong; see our \
                 [corrections policy](/corrections-policy).\n\n## Newsletters\n\nTo change or leave a \
                 newsletter, use the link at the foot of any of its emails, or [start here](/newsletters)."
            ),
        ),
        (
            "corrections-policy",
            "Corrections policy",
            format!(
                "{demo}\n\nWe correct our mistakes openly and quickly.\n\n## What we do\n\n- A factual error is \
                 corrected in the story, and a dated note at its foot says what was wrong.\n- A story that \
                 cannot stand is withdrawn: its address says so rather than disappearing quietly.\n- Changes \
                 of wording that do not change the facts are not noted, but the story shows when it was last \
                 updated.\n\n## How to ask for a correction\n\nWrite to us through the [contact page](/contact), \
                 naming the story and the error."
            ),
        ),
        (
            "terms",
            "Terms of use",
            format!(
                "{demo}\n\nYou may read, link to and share our stories. Quoting a short passage with a link \
                 to the story is welcome; republishing whole stories needs our permission.\n\nComments on \
                 our stories, where we offer them, must not be unlawful, abusive or someone else's work."
            ),
        ),
        (
            "privacy",
            "Privacy notice",
            format!(
                "{demo}\n\n## What we keep\n\n- To count which stories are read, we count page views per story \
                 and minute; we do not keep who read them.\n- If you subscribe to a newsletter, we keep your \
                 email address, the newsletters you chose and when you agreed, and nothing else.\n\n\
                 ## Your choices\n\nEvery newsletter email has a link that unsubscribes you at once. To have \
                 your address erased, write to us through the [contact page](/contact)."
            ),
        ),
    ];
    let now = OffsetDateTime::now_utc();
    for (position, (slug, title, body)) in pages.into_iter().enumerate() {
        let draft = courant_store::PageDraft {
            slug: slug.into(),
            title: title.into(),
            body,
            in_footer: true,
            position: position as i64,
        };
        state.store.save_site_page(None, &draft, None, now).await?;
    }
    state.reload_footer().await?;
    Ok(())
}

/// `courant newsletter send --list SLUG`: the list's edition going out is sent on (a run that
/// stopped is resumed, no message twice); with none, an edition is made by the list's rule now
/// and sent. Says (edition, recipients queued now, messages sent by this run).
pub async fn send_newsletter(state: &AppState, slug: &str) -> anyhow::Result<(i64, i64, u64)> {
    let lists = state.store.newsletter_lists().await?;
    let Some(list) = lists.iter().find(|l| l.slug == slug) else {
        let known: Vec<&str> = lists.iter().map(|l| l.slug.as_str()).collect();
        anyhow::bail!(
            "no newsletter {slug:?}; the newsletters are: {}",
            if known.is_empty() { "none yet (add one at /newsroom/newsletters)".to_string() } else { known.join(", ") }
        );
    };
    let now = OffsetDateTime::now_utc();
    let going =
        state.store.editions(list.id, 20).await?.into_iter().find(|e| e.state == courant_store::EditionState::Sending);
    let (edition, queued) = match going {
        Some(e) => (e.id, 0),
        None => {
            let draft = courant_web::newsletters::edition_by_rule(state, list, now).await?;
            if draft.articles.is_empty() {
                anyhow::bail!("no published story fits {slug:?}: nothing to send");
            }
            let id = state.store.create_edition(list.id, &draft, None, now).await?;
            let queued = state.store.queue_edition(id, now).await?.unwrap_or(0);
            (id, queued)
        }
    };
    let sent = courant_web::newsletters::send_due(state).await?;
    let forget = now - time::Duration::hours(courant_web::newsletters::CONFIRM_HOURS);
    state
        .store
        .settle_deliveries(now - courant_web::newsletters::INTERRUPTED_AFTER, forget, OffsetDateTime::now_utc())
        .await?;
    Ok((edition, queued, sent))
}

/// Gives the demo a plausible "Others are reading now": views of a simulated reader population
/// over the last six hours, generated by our code (and logged as simulated), added to the store.
pub async fn simulate_readers(state: &AppState) -> anyhow::Result<()> {
    let now = OffsetDateTime::now_utc();
    let recent = state.store.latest(&courant_store::ArticleFilter::All, 200, 0).await?;
    let stories: Vec<_> = recent.iter().filter_map(|s| s.published_at.map(|p| (s.id, p))).collect();
    let views: Vec<_> = courant_demo::simulated_views(now.unix_timestamp() as u64, &stories, now, 6 * 60)
        .into_iter()
        .map(|(article, minute, views)| courant_store::MinuteViews { article, minute, views })
        .collect();
    let total: i64 = views.iter().map(|v| v.views).sum();
    state.store.add_views(&views).await?;
    courant_web::tasks::load_trending(state).await?;
    tracing::info!(views = total, stories = stories.len(), "simulated reader population: demo views added to trending");
    Ok(())
}

/// The newsroom's actions over `store`, writing pictures where the configuration says.
pub fn newsroom(data_dir: &Path, config: &Config, store: &Store) -> anyhow::Result<courant_newsroom::Newsroom> {
    let files = media_files(data_dir, config)?;
    Ok(courant_newsroom::Newsroom::new(store.clone(), std::sync::Arc::new(files)))
}

/// Creates a newsroom user with a one-time password, returned to be handed over (the operator
/// at the command line acts without a role: this is how the first admin is made).
pub async fn add_user(
    newsroom: &courant_newsroom::Newsroom,
    email: &str,
    name: &str,
    role: courant_core::Role,
) -> anyhow::Result<(courant_core::User, String)> {
    let new = courant_newsroom::NewMember { email: email.to_string(), name: name.to_string(), role };
    Ok(newsroom.create_user(None, new).await?)
}

/// Issues a one-time password reset link for the user with `email`.
pub async fn reset_link(newsroom: &courant_newsroom::Newsroom, site_url: &str, email: &str) -> anyhow::Result<String> {
    let user =
        newsroom.store().user_by_email(email).await?.with_context(|| format!("no user has the email {email}"))?;
    let token = newsroom.password_link(None, &user).await?;
    Ok(format!("{}/newsroom/reset/{token}", site_url.trim_end_matches('/')))
}

/// The demo newsroom's accounts, one per role, with fresh passwords on every call: (role,
/// email, password). The editor is one of the paper's editors and the contributor one of its
/// reporters: each account is the journalist of its author profile (same name), so what they
/// write goes out under their own byline.
pub async fn demo_accounts(store: &Store) -> anyhow::Result<Vec<(courant_core::Role, String, String)>> {
    use courant_core::Role;
    let authors = store.authors().await?;
    let is_editor = |a: &&courant_core::Author| a.title.to_lowercase().contains("editor");
    let editor = authors.iter().find(is_editor).or(authors.first());
    let reporter = authors.iter().find(|a| !is_editor(a)).or(authors.first());
    let mut accounts = Vec::new();
    for role in Role::ALL {
        let email = format!("{role}@demo.courant.example");
        let password = courant_newsroom::secrets::one_time_password();
        let hash = courant_newsroom::secrets::hash_password(password.clone()).await?;
        let user = match store.user_by_email(&email).await? {
            Some(u) => u,
            None => {
                let author = match role {
                    Role::Contributor => reporter,
                    Role::Editor => editor,
                    Role::Admin => None,
                };
                let name = author.map_or_else(|| format!("Demo {role}"), |a| a.name.clone());
                let new = courant_store::NewUser {
                    email: email.clone(),
                    name,
                    role,
                    password_hash: hash.clone(),
                    must_change_password: false,
                    author_id: author.map(|a| a.id),
                };
                store.insert_user(&new, None, OffsetDateTime::now_utc()).await?
            }
        };
        store.set_password(user.id, &hash, false, None).await?;
        accounts.push((role, email, password));
    }
    Ok(accounts)
}

/// The kinds of export `courant import` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Export {
    Wordpress,
    Ghost,
}

/// Imports an export into the newsroom's store with a progress bar (see
/// [`courant_import::import_wordpress`] and [`courant_import::import_ghost`]).
pub async fn import(
    format: Export,
    newsroom: &courant_newsroom::Newsroom,
    file: &Path,
    media: Option<&Path>,
) -> Result<courant_import::Report, courant_import::ImportError> {
    if let Some(media) = media
        && !media.is_dir()
    {
        return Err(courant_import::ImportError::NotAnExport(format!("--media: {} is not a folder", media.display())));
    }
    let bar = bar("importing");
    let template = match format {
        Export::Wordpress => "{msg:18} [{bar:40}] {bytes}/{total_bytes} ({eta})",
        Export::Ghost => "{msg:18} [{bar:40}] {pos}/{len} posts ({eta})",
    };
    if let Ok(style) = ProgressStyle::with_template(template) {
        bar.set_style(style.progress_chars("=> "));
    }
    let options = courant_import::Options { media: media.map(Path::to_path_buf), ..Default::default() };
    let progress = |done, total| {
        bar.set_length(total);
        bar.set_position(done);
    };
    let report = match format {
        Export::Wordpress => courant_import::import_wordpress(newsroom, file, &options, &progress).await,
        Export::Ghost => courant_import::import_ghost(newsroom, file, &options, &progress).await,
    };
    bar.finish_and_clear();
    let report = report?;
    tracing::info!(file = %file.display(), warnings = report.warnings.len(), "import done");
    Ok(report)
}

/// Writes the publication as one JSON document to `out` (a new file) or standard output, with
/// a progress bar.
pub async fn export(store: &Store, out: Option<&Path>) -> anyhow::Result<courant_store::TableRows> {
    if !store.pending_migrations().await?.is_empty() {
        anyhow::bail!("the store is not up to date: run `courant migrate` first (an export is of the current schema)");
    }
    let bar = bar("exporting");
    let progress = |table: &str, done, total| {
        bar.set_message(table.to_string());
        bar.set_length(total);
        bar.set_position(done);
    };
    let written = match out {
        Some(path) => {
            let file = std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(path)
                .with_context(|| format!("cannot create {} (it must be a new file)", path.display()))?;
            let mut file = std::io::BufWriter::new(file);
            let written = store.export(&mut file, &progress).await;
            if written.is_err() {
                // Half a document is of no use to anyone.
                let _ = std::fs::remove_file(path);
            }
            written
        }
        None => {
            let mut stdout = std::io::BufWriter::new(std::io::stdout());
            store.export(&mut stdout, &progress).await
        }
    };
    bar.finish_and_clear();
    Ok(written.context("the export failed")?)
}

/// Reads a Courant export into `store`, which must hold nothing, with a progress bar.
pub async fn import_courant(store: &Store, file: &Path) -> anyhow::Result<courant_store::TableRows> {
    let input = std::fs::File::open(file).with_context(|| format!("cannot read {}", file.display()))?;
    let bar = bar("importing");
    if let Ok(style) = ProgressStyle::with_template("{msg:22} {pos} rows") {
        bar.set_style(style);
    }
    let imported = store
        .import_export(Box::new(input), &|table, rows| {
            bar.set_message(table.to_string());
            bar.set_position(rows);
        })
        .await;
    bar.finish_and_clear();
    Ok(imported?)
}

/// The source credited for wire items that name none, when `--source` is not given.
pub const UNNAMED_SOURCE: &str = "Unnamed wire";

/// Ingests files of wire copy, each whole or not at all, printing what each gave; returns how
/// many were refused.
pub async fn ingest_files(store: &Store, files: &[PathBuf], source: Option<&str>) -> anyhow::Result<usize> {
    let mut refused = 0;
    for file in files {
        let name = file.display();
        let bytes = match std::fs::read(file) {
            Ok(b) => b,
            Err(e) => {
                println!("{name}: refused: cannot read it: {e}");
                refused += 1;
                continue;
            }
        };
        // Not the file's name: a newer version of an item arrives in another file, and must be
        // known as the same item.
        let (format, items) = match courant_ingest::read(&bytes, source.unwrap_or(UNNAMED_SOURCE)) {
            Ok(read) => read,
            Err(e) => {
                println!("{name}: refused: {e}");
                tracing::warn!(file = %name, error = %e, "wire file refused");
                refused += 1;
                continue;
            }
        };
        let outcomes = store
            .ingest_wire_items(&items, format.name(), time::OffsetDateTime::now_utc())
            .await
            .with_context(|| format!("{name}: the store failed; nothing of it was kept"))?;
        let count = |o: courant_store::WireOutcome| outcomes.iter().filter(|(_, x)| *x == o).count();
        println!(
            "{name}: {} items ({}): {} new, {} updated, {} unchanged",
            items.len(),
            format.name(),
            count(courant_store::WireOutcome::New),
            count(courant_store::WireOutcome::Updated),
            count(courant_store::WireOutcome::Unchanged)
        );
    }
    Ok(refused)
}

/// A progress bar on stderr; hidden when stderr is not a terminal (logs, CI).
pub(crate) fn bar(what: &'static str) -> ProgressBar {
    let b = ProgressBar::new(0);
    if let Ok(style) = ProgressStyle::with_template("{msg:18} [{bar:40}] {pos}/{len} ({eta})") {
        b.set_style(style.progress_chars("=> "));
    }
    b.set_message(what);
    b
}

/// A log layer that hands the time of each store statement (sqlx's `sqlx::query` events) to
/// `/metrics` while metrics are on; it asks for nothing while they are off, so sqlx does not
/// even make the events.
pub fn store_timing_layer<S>() -> impl tracing_subscriber::Layer<S>
where
    S: tracing::Subscriber + for<'span> tracing_subscriber::registry::LookupSpan<'span>,
{
    use tracing_subscriber::Layer;
    struct StoreTiming;
    struct Elapsed(Option<f64>);
    impl tracing::field::Visit for Elapsed {
        fn record_f64(&mut self, field: &tracing::field::Field, value: f64) {
            if field.name() == "elapsed_secs" {
                self.0 = Some(value);
            }
        }
        fn record_debug(&mut self, _: &tracing::field::Field, _: &dyn std::fmt::Debug) {}
    }
    impl<S: tracing::Subscriber> Layer<S> for StoreTiming {
        fn on_event(&self, event: &tracing::Event<'_>, _: tracing_subscriber::layer::Context<'_, S>) {
            let mut elapsed = Elapsed(None);
            event.record(&mut elapsed);
            if let Some(seconds) = elapsed.0.filter(|s| s.is_finite() && *s >= 0.0) {
                courant_web::metrics::STORE_QUERIES.observe(std::time::Duration::from_secs_f64(seconds));
            }
        }
    }
    // Asked on every statement (metrics may be turned on after the statement's call site was
    // first seen); other call sites are never asked.
    let sqlx = |m: &tracing::Metadata<'_>| m.target() == "sqlx::query";
    StoreTiming.with_filter(
        tracing_subscriber::filter::dynamic_filter_fn(move |m, _| {
            sqlx(m) && courant_web::metrics::timing_store_queries()
        })
        .with_callsite_filter(move |m| {
            if sqlx(m) { tracing::subscriber::Interest::sometimes() } else { tracing::subscriber::Interest::never() }
        })
        .with_max_level_hint(tracing::Level::DEBUG),
    )
}

/// Serves the application on `listener` until `shutdown` completes, then finishes the requests
/// in flight and closes the store.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    serve_with(listener, state, Config::default(), shutdown).await
}

/// Like [`serve`], also telling the world outside: webhooks to the configured receivers, and
/// purges to the CDN.
pub async fn serve_with(
    listener: tokio::net::TcpListener,
    state: AppState,
    config: Config,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let hooks = tokio::spawn(courant_web::webhooks::run(state.clone(), config.webhooks.clone()));
    // Purged keys are copied on to the CDN only when there is one to tell.
    let cdn = (!config.cdn.purge_url.is_empty())
        .then(|| state.cache.purges_to_cdn())
        .flatten()
        .map(|purged| tokio::spawn(courant_web::cdn::run(config.cdn.clone(), purged)));
    let store = state.store.clone();
    let follower = tokio::spawn(courant_web::indexer::follow(store.clone(), state.search.clone()));
    let relater = tokio::spawn(courant_web::related::run(store.clone(), state.search.clone()));
    let wire = tokio::spawn(courant_web::wire::run(store.clone(), config.wire.clone()));
    let mail = tokio::spawn(courant_web::newsletters::run(state.clone()));
    let counter = tokio::spawn(courant_web::tasks::keep_trending(state.clone()));
    let scheduler = tokio::spawn(courant_web::tasks::publish_scheduled(state.clone()));
    let purger = tokio::spawn(courant_web::cache::follow_changes(state.clone()));
    let flush_on_exit = state.clone();
    let workers =
        std::sync::Arc::new(courant_web::server::Workers::start().context("cannot start the server's threads")?);
    let mut app = courant_web::router(state);
    if !config.server.trusted_proxies.is_empty() {
        let trusted: std::sync::Arc<[std::net::IpAddr]> = config.server.trusted_proxies.clone().into();
        app = app.layer(axum::middleware::from_fn(move |request, next| {
            courant_web::proxy::forwarded_client(trusted.clone(), request, next)
        }));
    }
    let metrics = match config.metrics.listen {
        Some(address) => {
            let listener = tokio::net::TcpListener::bind(address)
                .await
                .with_context(|| format!("cannot listen on {address} for metrics (metrics.listen)"))?;
            let metrics = std::sync::Arc::new(courant_web::metrics::Metrics::default());
            courant_web::metrics::time_store_queries(true);
            app = app.layer(axum::middleware::from_fn_with_state(metrics.clone(), courant_web::metrics::measure));
            let router = courant_web::metrics::router(flush_on_exit.clone(), metrics);
            tracing::info!(address = %format!("http://{address}/metrics"), "metrics");
            let limits = courant_web::server::Limits::default();
            let workers = workers.clone();
            Some(tokio::spawn(async move {
                courant_web::server::serve(listener, router, limits, &workers, std::future::pending()).await
            }))
        }
        None => None,
    };
    courant_web::server::serve(listener, app, config.server.limits(), &workers, shutdown)
        .await
        .context("the server stopped with an error")?;
    if let Some(metrics) = metrics {
        metrics.abort();
        // Ended, so that it lets go of the workers.
        let _ = metrics.await;
    }
    follower.abort();
    relater.abort();
    wire.abort();
    mail.abort();
    counter.abort();
    scheduler.abort();
    purger.abort();
    hooks.abort();
    if let Some(cdn) = cdn {
        cdn.abort();
    }
    // Views counted since the last flush are kept, not lost with the process.
    if let Err(e) = courant_web::tasks::flush_trending(&flush_on_exit).await {
        tracing::warn!(error = %e, "could not store the last view counts");
    }
    store.close().await;
    // Last: connections to the store that requests opened are polled by the workers.
    if let Ok(workers) = std::sync::Arc::try_unwrap(workers) {
        workers.stop().await;
    }
    Ok(())
}

/// Completes on SIGINT (Ctrl-C) or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(e) = tokio::signal::ctrl_c().await {
            tracing::error!(error = %e, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(e) => {
                tracing::error!(error = %e, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}

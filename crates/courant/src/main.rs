//! `courant`: the command line. Every command works on a data folder (the store, the media
//! files and, optionally, `courant.toml`).

use anyhow::Context;
use clap::{Args, Parser, Subcommand};
use courant::config;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

/// Courant: a news publishing platform in one binary.
#[derive(Parser)]
#[command(version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the publication in the data folder (applying migrations first).
    Serve {
        #[command(flatten)]
        common: Common,
        #[command(flatten)]
        listen: Listen,
    },
    /// Create the demo publication in an empty data folder, then serve it. On a folder that
    /// already holds a publication, serve what is there.
    Demo {
        #[command(flatten)]
        common: Common,
        #[command(flatten)]
        listen: Listen,
        /// How many stories to generate.
        #[arg(long, default_value_t = 300)]
        articles: usize,
        /// Create the publication and exit instead of serving it (for benchmarks and scripts).
        #[arg(long)]
        no_serve: bool,
    },
    /// Apply pending store migrations and exit.
    Migrate {
        #[command(flatten)]
        common: Common,
    },
    /// Copy a whole publication into a new, empty store: from the SQLite data folder to
    /// PostgreSQL (or back). Every table goes in one transaction; both stores are then compared
    /// table by table (rows and checksums). Picture files stay where they are: point
    /// `store.media_dir` at them.
    MigrateStore {
        /// The store to copy: sqlite:DIR (a data folder) or postgres://user:password@host/database.
        #[arg(long)]
        from: String,
        /// The new store: postgres://user:password@host/database or sqlite:DIR.
        #[arg(long)]
        to: String,
    },
    /// Upload a folder of picture files (and the `originals/` folder beside it) to the bucket
    /// the configuration names (`[store.bucket]`): for moving pictures off a shared folder.
    UploadMedia {
        #[command(flatten)]
        common: Common,
        /// The folder of picture files, e.g. DATA/media.
        #[arg(long)]
        from: PathBuf,
    },
    /// Back up the publication while it is served: the store (a consistent copy) and the
    /// picture files in one archive. SQLite data folders only: for PostgreSQL, use pg_dump.
    Backup {
        #[command(flatten)]
        common: Common,
        /// The archive to write (a new file).
        #[arg(long)]
        out: PathBuf,
    },
    /// Restore a backup into a new or empty data folder, and check it against the archive.
    Restore {
        /// The archive `courant backup` wrote.
        file: PathBuf,
        /// The data folder to restore into (new or empty).
        #[arg(long, env = "COURANT_DATA")]
        data: PathBuf,
    },
    /// Import a publication from another system: every story, author, section and tag, with
    /// old addresses redirecting. All or nothing; importing the same file again updates what
    /// changed and duplicates nothing. Prints a report of what was imported and what to check.
    Import {
        #[command(subcommand)]
        from: ImportFrom,
    },
    /// Write everything the publication holds (stories with their revisions and corrections,
    /// authors, sections, tags, sources, pictures' records, users without their passwords,
    /// settings, old addresses) as one JSON document; `courant import courant` reads it back
    /// into a new data folder. The format: docs/export.md.
    Export {
        #[command(flatten)]
        common: Common,
        /// The file to write (a new file); standard output when absent.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Newsletters: send a list's edition now (for cron and tests).
    Newsletter {
        #[command(subcommand)]
        action: NewsletterAction,
    },
    /// The wire desk: agency copy and feeds.
    Wire {
        #[command(subcommand)]
        action: WireAction,
    },
    /// Rebuild the search index from the store.
    Reindex {
        #[command(flatten)]
        common: Common,
    },
    /// Show the webhook delivery log, newest first.
    Webhooks {
        #[command(flatten)]
        common: Common,
        /// How many deliveries to show.
        #[arg(long, default_value_t = 50)]
        last: i64,
    },
    /// Validate the configuration and the store; print problems and what to do about them.
    Check {
        #[command(flatten)]
        common: Common,
    },
    /// Manage newsroom users: add one (how the first admin is made) or issue a reset link.
    User {
        #[command(subcommand)]
        action: UserAction,
    },
}

#[derive(Subcommand)]
enum ImportFrom {
    /// A WordPress export (WXR 1.0, 1.1 or 1.2, from Tools › Export in WordPress).
    Wordpress {
        /// The export file (.xml).
        file: PathBuf,
        #[command(flatten)]
        common: Common,
        /// A copy of the site's wp-content/uploads folder, where featured pictures are found.
        #[arg(long)]
        media: Option<PathBuf>,
    },
    /// A Courant export (`courant export`), into a new, empty data folder.
    Courant {
        /// The export file (.json).
        file: PathBuf,
        #[command(flatten)]
        common: Common,
    },
    /// A Ghost export (the JSON file of Settings › Labs › Export, Ghost 2 to 6).
    Ghost {
        /// The export file (.json).
        file: PathBuf,
        #[command(flatten)]
        common: Common,
        /// A copy of the site's content/images folder, where feature images are found.
        #[arg(long)]
        media: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
enum NewsletterAction {
    /// Send the list's edition now: the one going out (resumed after a stop, nobody gets it
    /// twice), else a new one made by the list's rule, with any other message due; through
    /// [mail] smtp, or into DATA/outbox/ without one.
    Send {
        /// The list's address (its slug), as in /newsroom/newsletters.
        #[arg(long)]
        list: String,
        #[command(flatten)]
        common: Common,
    },
}

#[derive(Subcommand)]
enum WireAction {
    /// Ingest files of wire copy once (RSS, Atom, JSON Feed, IPTC ninjs, NewsML-G2: told apart
    /// by content) and say how many items each gave; exit 1 if a file was refused, after
    /// ingesting the good ones. Each file goes in whole or not at all.
    Ingest {
        /// The files.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        #[command(flatten)]
        common: Common,
        /// The source to credit for items that do not name theirs (default: "Unnamed wire").
        #[arg(long)]
        source: Option<String>,
    },
    /// Add a feed for the desk to poll (as editors do at /newsroom/wire/feeds); it is polled
    /// at once by the running server.
    AddFeed {
        /// The feed's address (http or https).
        url: String,
        /// The source its items credit when they name none.
        #[arg(long)]
        source: String,
        /// Minutes between polls.
        #[arg(long, default_value_t = 5)]
        minutes: i64,
        #[command(flatten)]
        common: Common,
    },
    /// List the feeds the desk polls with their health: last success, last error, items in the
    /// last 24 hours.
    Feeds {
        #[command(flatten)]
        common: Common,
    },
}

#[derive(Subcommand)]
enum UserAction {
    /// Create a user and print a one-time password (they choose their own at first login).
    Add {
        #[command(flatten)]
        common: Common,
        #[arg(long)]
        email: String,
        /// contributor, editor or admin.
        #[arg(long)]
        role: String,
        /// The name shown in the newsroom; the part of the email before @ when absent.
        #[arg(long)]
        name: Option<String>,
    },
    /// Print a one-time link (valid 24 hours) for a user to choose a new password.
    Reset {
        #[command(flatten)]
        common: Common,
        #[arg(long)]
        email: String,
    },
}

#[derive(Args)]
struct Common {
    /// The data folder: store, media files and optional courant.toml.
    #[arg(long, env = "COURANT_DATA", default_value = "./courant-data")]
    data: PathBuf,
    /// A configuration file to use instead of DATA/courant.toml.
    #[arg(long, env = "COURANT_CONFIG")]
    config: Option<PathBuf>,
}

#[derive(Args)]
struct Listen {
    /// Address to listen on [default: server.listen from the configuration, else 127.0.0.1:8080].
    #[arg(long, env = "COURANT_LISTEN")]
    listen: Option<SocketAddr>,
}

fn main() -> std::process::ExitCode {
    tune_allocator();
    init_logging();
    return_freed_memory();
    let cli = Cli::parse();
    // Blocking work (finding related stories, imports, compressing pages, files, password
    // hashes) on a few threads here, and two for each further worker of the server: each thread
    // that allocates keeps a malloc arena of its own, and dozens of them held 150 MB more at
    // 100,000 stories (bench/README.md) for no more throughput on a machine of a few cores.
    let blocking = std::thread::available_parallelism().map_or(4, |n| n.get() * 2).max(4);
    // One thread: the server starts a runtime of its own on a thread per further core, and
    // serves connections on this one too (courant-web's `server::Workers`).
    let runtime =
        match tokio::runtime::Builder::new_current_thread().max_blocking_threads(blocking).enable_all().build() {
            Ok(r) => r,
            Err(e) => {
                eprintln!("error: cannot start the runtime: {e}");
                return std::process::ExitCode::FAILURE;
            }
        };
    match runtime.block_on(run(cli)) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

/// Rust's allocations go to mimalloc: a cold page allocates and frees some thousands of
/// blocks, and glibc's malloc and free were 18% of its processor time (mimalloc: cold article
/// 0.63 -> 0.54 ms, bench/README.md). C code in the process (SQLite's page caches) still uses
/// glibc's malloc, tuned below.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The allocators' settings that only the environment sets (without unsafe code), read when
/// the process starts; the process runs itself once more with them (same process id,
/// arguments and streams), and carries on untuned if that fails. Settings the operator made
/// are left alone.
/// - mimalloc gives freed memory back to the system after 50 ms rather than its default
///   second: with the default, a crawl of the archive peaked at 413 MB against 391 MB.
/// - glibc raises its mmap threshold each time a large block is freed; after that, large
///   blocks come from its arenas and stay resident once freed. A fixed threshold of 128 KiB
///   (glibc's initial value) keeps them mapped and returns them when freed.
fn tune_allocator() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        use std::os::unix::process::CommandExt;
        const SETTINGS: [(&str, &str); 2] = [("MIMALLOC_PURGE_DELAY", "50"), ("MALLOC_MMAP_THRESHOLD_", "131072")];
        let unset: Vec<_> = SETTINGS.iter().filter(|(var, _)| std::env::var_os(var).is_none()).collect();
        if !unset.is_empty()
            && let Ok(exe) = std::env::current_exe()
        {
            let mut again = std::process::Command::new(exe);
            again.args(std::env::args_os().skip(1)).envs(unset.iter().map(|(var, value)| (var, value)));
            // Returns only when it failed.
            let _ = again.exec();
        }
    }
}

/// How often the allocator's free memory is looked at (see [`return_freed_memory`]).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
const TRIM_EVERY: std::time::Duration = std::time::Duration::from_secs(1);
/// Free memory the allocator may keep before it is asked to give it back.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
const TRIM_ABOVE: usize = 64 * 1024 * 1024;
/// Free memory at the top of a heap that a `free` gives back at once (glibc's own default is
/// 128 KiB; see [`return_freed_memory`]).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
const TRIM_TOP_ABOVE: usize = 8 * 1024 * 1024;

/// glibc keeps what a thread frees in that thread's arena, and gives back to the system only
/// what lies at the top of a heap: after a crawl of the archive filled the page cache and
/// distinct API answers replaced its pages, the process held 180-200 MB freed but resident
/// beyond the cache (465 MB; `malloc_trim(0)` took it to 324 MB; bench/README.md). A thread of
/// its own looks every [`TRIM_EVERY`] at how much the arenas hold free, and past
/// [`TRIM_ABOVE`] asks glibc to return their free pages (it locks one arena at a time, for a
/// millisecond or so). Not more often: a page given back costs a page fault when it is used
/// again (trimming every second whatever the amount made cold pages 30% dearer).
///
/// For the same reason glibc's own trimming is held back: by default each `free` that leaves
/// more than 128 KiB at the top of a thread's heap gives it back, and the next page's
/// allocations fault it in again (9% of a cold page's processor time in a profile, `madvise`
/// and page faults). From [`TRIM_TOP_ABOVE`] on, the top is still given back at once (a
/// thread's heap is at most 64 MiB, so a threshold that large would keep every top for good).
///
/// (The figures are from before Rust's allocations moved to mimalloc; glibc now holds what C
/// code allocates, SQLite's page caches above all, and this watches that.)
fn return_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        // SAFETY: `mallopt` sets glibc's tunables; it takes no pointers.
        #[allow(unsafe_code)]
        let tuned = unsafe { libc::mallopt(libc::M_TRIM_THRESHOLD, TRIM_TOP_ABOVE as i32) } == 1;
        if !tuned {
            tracing::warn!("glibc refused the trim threshold; its default stays");
        }
        let spawned = std::thread::Builder::new().name("trim".into()).spawn(|| {
            loop {
                std::thread::sleep(TRIM_EVERY);
                // SAFETY: `mallinfo2` and `malloc_trim` take no pointers and read or rearrange
                // only glibc's own free lists, under their locks; live allocations are left as
                // they are.
                #[allow(unsafe_code)]
                let free = unsafe { libc::mallinfo2() }.fordblks;
                if free > TRIM_ABOVE {
                    #[allow(unsafe_code)]
                    let released = unsafe { libc::malloc_trim(0) } == 1;
                    tracing::trace!(free, released, "malloc_trim");
                }
            }
        });
        if let Err(e) = spawned {
            tracing::warn!(error = %e, "cannot start the thread that returns freed memory");
        }
    }
}

/// Logs to stderr: readable lines, or one JSON object per line with `COURANT_LOG_FORMAT=json`
/// (for log collectors). `COURANT_LOG` sets the filter.
fn init_logging() {
    use std::io::IsTerminal;
    use tracing_subscriber::layer::SubscriberExt;
    use tracing_subscriber::util::SubscriberInitExt;
    use tracing_subscriber::{EnvFilter, Layer};
    let filter = EnvFilter::try_from_env("COURANT_LOG").unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn"));
    let format = std::env::var("COURANT_LOG_FORMAT").unwrap_or_default();
    let lines = tracing_subscriber::fmt::layer().with_writer(std::io::stderr);
    let logs = match format.as_str() {
        "json" => lines.json().flatten_event(true).boxed(),
        _ => lines.with_ansi(std::io::stderr().is_terminal() && format.is_empty()).boxed(),
    };
    tracing_subscriber::registry().with(logs.with_filter(filter)).with(courant::store_timing_layer()).init();
    if !matches!(format.as_str(), "" | "text" | "json") {
        tracing::warn!(format, "COURANT_LOG_FORMAT is json or text; writing text");
    }
}

async fn run(cli: Cli) -> anyhow::Result<std::process::ExitCode> {
    match cli.command {
        Command::Serve { common, listen } => {
            let mut loaded = config::load(&common.data, common.config.as_deref())?;
            let listener = bind(listen.listen.unwrap_or(loaded.config.server.listen), &mut loaded.config).await?;
            let state = courant::open(&common.data, &loaded.config).await?;
            serve(state, listener, &loaded.config).await?;
        }
        Command::Demo { common, listen, articles, no_serve } => {
            if articles == 0 {
                anyhow::bail!("--articles must be at least 1");
            }
            let mut loaded = config::load(&common.data, common.config.as_deref())?;
            // Only a demo that is served takes its address (so several can be made at once).
            let listener = match no_serve {
                true => None,
                false => Some(bind(listen.listen.unwrap_or(loaded.config.server.listen), &mut loaded.config).await?),
            };
            let state = courant::open(&common.data, &loaded.config).await?;
            if state.store.is_empty().await? {
                tracing::info!(articles, data = %common.data.display(), "creating the demo publication");
                let media = courant::media_folder(&common.data, &loaded.config);
                courant::fill_demo(&state.store, Some(&state.search), &media, articles).await?;
                if loaded.config.store.bucket.is_some() {
                    let n = courant::upload_pictures(&media, &state.files).await?;
                    tracing::info!(files = n, "demo pictures uploaded to the bucket");
                }
            } else {
                tracing::info!(data = %common.data.display(), "the data folder already holds a publication; serving it");
            }
            courant::simulate_readers(&state).await?;
            courant::demo_newsletters(&state).await?;
            courant::demo_pages(&state).await?;
            let accounts = courant::demo_accounts(&state.store).await?;
            let base = loaded.config.site.url.clone();
            println!("\nDemo newsroom at {base}/newsroom/login (new passwords on every start):");
            for (role, email, password) in &accounts {
                println!("    {:<12} {email:<34} {password}", role.as_str());
            }
            println!();
            let Some(listener) = listener else {
                state.store.close().await;
                return Ok(std::process::ExitCode::SUCCESS);
            };
            serve(state, listener, &loaded.config).await?;
        }
        Command::Migrate { common } => {
            let loaded = config::load(&common.data, common.config.as_deref())?;
            let store = courant::open_store(&common.data, &loaded.config, false).await?;
            let pending = store.pending_migrations().await?;
            store.migrate().await.context("migrations failed; the store is unchanged (each runs in a transaction)")?;
            let location = loaded.config.store.location(&common.data)?;
            println!("applied {} migration(s); the store at {location} is up to date", pending.len());
        }
        Command::MigrateStore { from, to } => migrate_store(&from, &to).await?,
        Command::Export { common, out } => {
            let loaded = config::load(&common.data, common.config.as_deref())?;
            let store = courant::open_store(&common.data, &loaded.config, false).await?;
            let exported = courant::export(&store, out.as_deref()).await;
            store.close().await;
            let tables = exported?;
            let rows: u64 = tables.iter().map(|(_, n)| n).sum();
            if let Some(out) = &out {
                eprintln!("exported {} tables ({rows} rows) to {}", tables.len(), out.display());
            }
        }
        Command::Wire { action: WireAction::Ingest { files, common, source } } => {
            let loaded = config::load(&common.data, common.config.as_deref())?;
            let store = courant::open_store(&common.data, &loaded.config, true).await?;
            let refused = courant::ingest_files(&store, &files, source.as_deref()).await;
            store.close().await;
            if refused? > 0 {
                return Ok(std::process::ExitCode::FAILURE);
            }
        }
        Command::Newsletter { action: NewsletterAction::Send { list, common } } => {
            let loaded = config::load(&common.data, common.config.as_deref())?;
            let state = courant::open(&common.data, &loaded.config).await?;
            let sent = courant::send_newsletter(&state, &list).await;
            let progress = match &sent {
                Ok((edition, _, _)) => Some(state.store.edition_progress(*edition).await?),
                Err(_) => None,
            };
            let outbox = state.newsletters.mailer.outbox().map(|p| p.display().to_string());
            state.store.close().await;
            let (edition, queued, sent) = sent?;
            let p = progress.unwrap_or_default();
            println!(
                "edition {edition} of {list}: {queued} recipients queued now; {sent} messages sent by this run; \
                 in all {} sent, {} bounced, {} failed, {} waiting to be retried, {} interrupted (not sent again)",
                p.sent,
                p.bounced,
                p.failed,
                p.pending,
                p.unsure + p.sending
            );
            if let Some(outbox) = outbox {
                println!("no SMTP server is configured ([mail] smtp): the messages were written to {outbox}, not sent");
            }
        }
        Command::Wire { action: WireAction::AddFeed { url, source, minutes, common } } => {
            let loaded = config::load(&common.data, common.config.as_deref())?;
            let store = courant::open_store(&common.data, &loaded.config, true).await?;
            let new = courant_store::NewWireFeed { url, source, interval_seconds: minutes.saturating_mul(60) };
            let added = store.add_wire_feed(&new, time::OffsetDateTime::now_utc()).await;
            store.close().await;
            match added {
                Ok(id) => println!("feed {id} added: {} for {}, every {minutes} min", new.url, new.source),
                Err(courant_store::StoreError::Invalid(e)) => anyhow::bail!("{}: {}", e.field, e.message),
                Err(e) => return Err(e.into()),
            }
        }
        Command::Wire { action: WireAction::Feeds { common } } => {
            let loaded = config::load(&common.data, common.config.as_deref())?;
            let store = courant::open_store(&common.data, &loaded.config, true).await?;
            let now = time::OffsetDateTime::now_utc();
            let feeds = store.wire_feeds(now - time::Duration::hours(24)).await;
            store.close().await;
            for (feed, items) in feeds? {
                let when = |t: Option<time::OffsetDateTime>| t.map_or_else(|| "never".to_string(), |t| t.to_string());
                println!(
                    "{} {}{} ({}, every {} min): {items} items in 24 h; last success {}{}",
                    feed.id,
                    feed.url,
                    if feed.paused { " [paused]" } else { "" },
                    feed.source,
                    feed.interval_seconds / 60,
                    when(feed.last_success_at),
                    if feed.last_error.is_empty() {
                        String::new()
                    } else {
                        format!("; last error {}: {}", when(feed.last_error_at), feed.last_error)
                    }
                );
            }
        }
        Command::Import { from } => match from {
            ImportFrom::Courant { file, common } => import_courant(&file, &common).await?,
            ImportFrom::Wordpress { file, common, media } => {
                import(courant::Export::Wordpress, &file, &common, media.as_deref()).await?
            }
            ImportFrom::Ghost { file, common, media } => {
                import(courant::Export::Ghost, &file, &common, media.as_deref()).await?
            }
        },
        Command::UploadMedia { common, from } => {
            let loaded = config::load(&common.data, common.config.as_deref())?;
            if loaded.config.store.bucket.is_none() {
                anyhow::bail!("no bucket is configured: add [store.bucket] to courant.toml (see the README)");
            }
            if !from.is_dir() {
                anyhow::bail!("--from: {} is not a folder", from.display());
            }
            let files = courant::media_files(&common.data, &loaded.config)?;
            let n = courant::upload_pictures(&from, &files).await?;
            println!("uploaded {n} picture files from {} to the bucket", from.display());
        }
        Command::Backup { common, out } => {
            let loaded = config::load(&common.data, common.config.as_deref())?;
            let report = courant::backup::backup(&common.data, &loaded.config, &out).await?;
            let m = &report.manifest;
            let rows: u64 = m.tables.iter().map(|t| t.rows).sum();
            println!(
                "backed up {} tables ({rows} rows) and {} picture files ({:.1} MB) to {} ({:.1} MB)",
                m.tables.len(),
                m.files,
                m.file_bytes as f64 / 1e6,
                out.display(),
                report.archive_bytes as f64 / 1e6
            );
            for path in &report.vanished {
                println!("note: {} was deleted while backing up and is not in the archive", path.display());
            }
        }
        Command::Restore { file, data } => {
            let report = courant::backup::restore(&file, &data).await?;
            let m = &report.manifest;
            let rows: u64 = m.tables.iter().map(|t| t.rows).sum();
            println!(
                "restored the backup of {} into {}: {} tables ({rows} rows, {}) and {} picture files",
                m.created_at,
                data.display(),
                m.tables.len(),
                if report.checksums_compared { "every checksum matches" } else { "row counts match" },
                m.files
            );
            if let Some(elsewhere) = &report.media_dir_elsewhere {
                println!(
                    "note: the restored courant.toml sets store.media_dir = {}, but the pictures were restored to \
                     {}: move them there or remove the setting",
                    elsewhere.display(),
                    courant::media_dir(&data).display()
                );
            }
            println!("serve it with: courant serve --data {}", data.display());
        }
        Command::Reindex { common } => {
            let loaded = config::load(&common.data, common.config.as_deref())?;
            let store = courant::open_store(&common.data, &loaded.config, true).await?;
            let dir = courant::index_dir(&common.data);
            let (index, _) = courant_search::SearchIndex::open(&dir, &loaded.config.search.language)?;
            let n = courant::reindex(&store, &index).await?;
            println!("indexed {n} published stories in {}", dir.display());
        }
        Command::Webhooks { common, last } => {
            let loaded = config::load(&common.data, common.config.as_deref())?;
            let store = courant::open_store(&common.data, &loaded.config, true).await?;
            let log = store.deliveries(last.clamp(1, 10_000)).await?;
            if log.is_empty() {
                println!("no webhook deliveries yet");
            }
            for d in log {
                println!(
                    "#{} {} {} article {} -> {}: {} after {} attempt(s){}",
                    d.id,
                    courant_render::clock::iso(d.created_at),
                    d.event,
                    d.article_id,
                    d.url,
                    d.status,
                    d.attempts,
                    if d.last_error.is_empty() { String::new() } else { format!(" (last error: {})", d.last_error) }
                );
            }
        }
        Command::Check { common } => return check(common).await,
        Command::User { action: UserAction::Add { common, email, role, name } } => {
            let role = courant_core::Role::parse(&role)
                .with_context(|| format!("--role {role:?}: expected contributor, editor or admin"))?;
            let loaded = config::load(&common.data, common.config.as_deref())?;
            let store = courant::open_store(&common.data, &loaded.config, true).await?;
            let name = name.unwrap_or_else(|| email.split('@').next().unwrap_or(&email).to_string());
            let newsroom = courant::newsroom(&common.data, &loaded.config, &store)?;
            let (user, password) = courant::add_user(&newsroom, &email, &name, role).await?;
            println!("created {} ({}) with the one-time password:\n\n    {password}\n", user.email, user.role);
            println!("They log in at /newsroom/login and choose their own password at once.");
            store.close().await;
        }
        Command::User { action: UserAction::Reset { common, email } } => {
            let loaded = config::load(&common.data, common.config.as_deref())?;
            let store = courant::open_store(&common.data, &loaded.config, true).await?;
            let newsroom = courant::newsroom(&common.data, &loaded.config, &store)?;
            let link = courant::reset_link(&newsroom, &loaded.config.site.url, &email).await?;
            println!("one-time link for {email}, valid for 24 hours:\n\n    {link}\n");
            store.close().await;
        }
    }
    Ok(std::process::ExitCode::SUCCESS)
}

/// Binds the server's address. When `site.url` was left at its default, the site's links point
/// at the address actually bound (so `--listen 127.0.0.1:9000` gives links on port 9000).
async fn bind(addr: SocketAddr, config: &mut courant::Config) -> anyhow::Result<tokio::net::TcpListener> {
    let listener = tokio::net::TcpListener::bind(addr).await.with_context(|| {
        format!("cannot listen on {addr}; is another server using it? choose another with --listen")
    })?;
    if config.site.url == courant_render::SiteSettings::default().url {
        config.site.url = format!("http://{}", listener.local_addr()?);
    }
    Ok(listener)
}

async fn serve(
    state: courant_web::AppState,
    listener: tokio::net::TcpListener,
    config: &courant::Config,
) -> anyhow::Result<()> {
    let local = listener.local_addr()?;
    // The newsletters' signing key, made before serving if this is the store's first start (not
    // by the first send, at a time nobody chose: a backup made once serving holds it).
    state.newsletters.key(&state.store).await?;
    tracing::info!(address = %format!("http://{local}/"), "serving");
    println!("Courant is serving at http://{local}/");
    courant::serve_with(listener, state, config.clone(), courant::shutdown_signal()).await
}

/// `courant import wordpress|ghost FILE`: the import and its report.
async fn import(format: courant::Export, file: &Path, common: &Common, media: Option<&Path>) -> anyhow::Result<()> {
    let loaded = config::load(&common.data, common.config.as_deref())?;
    let store = courant::open_store(&common.data, &loaded.config, true).await?;
    let newsroom = courant::newsroom(&common.data, &loaded.config, &store)?;
    let report = courant::import(format, &newsroom, file, media).await;
    store.close().await;
    let report = report.with_context(|| format!("{} was not imported; the store is unchanged", file.display()))?;
    print!("{report}");
    println!("imported {} into {}", file.display(), loaded.config.store.location(&common.data)?);
    Ok(())
}

/// `courant import courant FILE`: a Courant export read into a new, empty store.
async fn import_courant(file: &Path, common: &Common) -> anyhow::Result<()> {
    let loaded = config::load(&common.data, common.config.as_deref())?;
    let store = courant::open_store(&common.data, &loaded.config, true).await?;
    let imported = courant::import_courant(&store, file).await;
    store.close().await;
    let tables = imported.with_context(|| format!("{} was not imported; the store is unchanged", file.display()))?;
    for (table, rows) in &tables {
        println!("{table:<22} {rows:>9} rows");
    }
    let users = tables.iter().find(|(t, _)| t == "users").map_or(0, |(_, n)| *n);
    match users {
        0 => {}
        1 => println!("1 user came without a password: `courant user reset --email E` gives a link to choose one"),
        n => {
            println!("{n} users came without passwords: `courant user reset --email E` gives each a link to choose one")
        }
    }
    println!("imported {} into {}", file.display(), loaded.config.store.location(&common.data)?);
    Ok(())
}

/// `courant migrate-store`: copies, checks, and says what to do next.
async fn migrate_store(from: &str, to: &str) -> anyhow::Result<()> {
    use courant_store::{Location, PgSettings, Store};
    let from = Location::parse(from).map_err(|e| anyhow::anyhow!("--from: {e}"))?;
    let to = Location::parse(to).map_err(|e| anyhow::anyhow!("--to: {e}"))?;
    if from == to {
        anyhow::bail!("--from and --to name the same store ({from})");
    }
    if let Location::Sqlite(dir) = &from
        && !dir.join(courant_store::SQLITE_FILE).is_file()
    {
        anyhow::bail!("--from: no store in {} (it has no {})", dir.display(), courant_store::SQLITE_FILE);
    }
    let settings = PgSettings { statement_timeout: std::time::Duration::from_secs(600), ..PgSettings::default() };
    let source = Store::open_at(&from, &settings).await.with_context(|| format!("cannot open {from}"))?;
    let destination = Store::open_at(&to, &settings).await.with_context(|| format!("cannot open {to}"))?;
    let started = std::time::Instant::now();
    let bar = indicatif::ProgressBar::new(0);
    if let Ok(style) = indicatif::ProgressStyle::with_template("{msg:24} [{bar:40}] {pos}/{len}") {
        bar.set_style(style.progress_chars("=> "));
    }
    let report = source
        .copy_to(&destination, &|table, done, total| {
            bar.set_message(table.to_string());
            bar.set_length(total);
            bar.set_position(done);
        })
        .await
        .with_context(|| format!("the copy into {to} did not complete; it holds nothing of it (one transaction)"))?;
    bar.finish_and_clear();
    let rows: u64 = report.iter().map(|t| t.rows).sum();
    for t in &report {
        println!("{:<22} {:>9} rows  checksum {:016x}  identical", t.table, t.rows, t.checksum);
    }
    println!("copied {rows} rows from {from} to {to} in {:.1} s; every table checked", started.elapsed().as_secs_f32());
    if let Location::Sqlite(dir) = &from {
        println!(
            "next: set store.url (or COURANT_STORE_URL) to the new store, and store.media_dir to {} (the pictures)",
            courant::media_dir(dir).display()
        );
    }
    source.close().await;
    destination.close().await;
    Ok(())
}

/// `courant check`: reports every problem it finds, exits 1 when there is any.
async fn check(common: Common) -> anyhow::Result<std::process::ExitCode> {
    let mut problems: Vec<String> = Vec::new();
    let config = match config::load(&common.data, common.config.as_deref()) {
        Ok(loaded) => {
            match &loaded.file {
                Some(f) => println!("configuration: {} is valid", f.display()),
                None => println!("configuration: no courant.toml in {}; using defaults", common.data.display()),
            }
            loaded.config
        }
        Err(e) => {
            problems.push(format!("{e:#}\n  fix the key named above, or remove it to use the default"));
            courant::Config::default()
        }
    };
    let location = config.store.location(&common.data).unwrap_or(courant_store::Location::Sqlite(common.data.clone()));
    let db = common.data.join(courant_store::SQLITE_FILE);
    if matches!(location, courant_store::Location::Sqlite(_)) && !db.is_file() {
        problems.push(format!(
            "no store at {}\n  run `courant migrate --data {}` to create one, or `courant demo` for a demo publication",
            db.display(),
            common.data.display()
        ));
    } else {
        let store = match courant::open_store(&common.data, &config, false).await {
            Ok(store) => store,
            Err(e) => {
                println!("problem: {e:#}");
                return Ok(std::process::ExitCode::FAILURE);
            }
        };
        let pending = store.pending_migrations().await?;
        if !pending.is_empty() {
            problems.push(format!(
                "the store at {location} lacks migrations {pending:?}\n  run `courant migrate --data {}`",
                common.data.display()
            ));
        } else {
            let counts = store.counts().await?;
            println!(
                "store: {} published, {} drafts, {} scheduled, {} unpublished; {} sections, {} authors, {} tags, {} sources, {} images",
                counts.published,
                counts.drafts,
                counts.scheduled,
                counts.unpublished,
                counts.sections,
                counts.authors,
                counts.tags,
                counts.sources,
                counts.images
            );
        }
        for p in store.integrity_problems().await? {
            problems.push(format!("store integrity: {p}\n  restore the store from a backup"));
        }
    }
    if problems.is_empty() {
        println!("no problems found");
        Ok(std::process::ExitCode::SUCCESS)
    } else {
        for p in &problems {
            println!("problem: {p}");
        }
        Ok(std::process::ExitCode::FAILURE)
    }
}

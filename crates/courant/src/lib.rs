//! The `courant` binary's library half: configuration, opening a publication's data folder,
//! filling it with the demo, and serving it. `main.rs` is only the command line; tests use
//! these functions to run the real thing over a temporary folder.

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

/// Opens the store in `data_dir` (applying migrations) and the search index (rebuilding it
/// when it is missing or of another version), and prepares the application.
pub async fn open(data_dir: &Path, config: &Config) -> anyhow::Result<AppState> {
    let store =
        Store::open(data_dir).await.with_context(|| format!("cannot open the store in {}", data_dir.display()))?;
    let renderer = Renderer::new(config.render_settings(), AppState::css_url())?;
    let (index, fresh) = courant_search::SearchIndex::open(&index_dir(data_dir), &config.search.language)
        .with_context(|| format!("cannot open the search index in {}", index_dir(data_dir).display()))?;
    let index = std::sync::Arc::new(index);
    if fresh {
        reindex(&store, &index).await?;
    }
    Ok(AppState::new(store, renderer, media_dir(data_dir), &config.api, index))
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

/// Fills an empty store with the demo publication of `articles` stories, showing progress
/// bars on a terminal.
pub async fn fill_demo(
    store: &Store,
    index: Option<&courant_search::SearchIndex>,
    data_dir: &Path,
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
    let report = courant_demo::generate(store, &media_dir(data_dir), &options, &progress).await?;
    pictures.finish();
    stories.finish();
    if let Some(index) = index {
        reindex(store, index).await?;
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

/// A progress bar on stderr; hidden when stderr is not a terminal (logs, CI).
fn bar(what: &'static str) -> ProgressBar {
    let b = ProgressBar::new(0);
    if let Ok(style) = ProgressStyle::with_template("{msg:18} [{bar:40}] {pos}/{len} ({eta})") {
        b.set_style(style.progress_chars("=> "));
    }
    b.set_message(what);
    b
}

/// Serves the application on `listener` until `shutdown` completes, then finishes the requests
/// in flight and closes the store.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let store = state.store.clone();
    let follower = tokio::spawn(courant_web::indexer::follow(store.clone(), state.search.clone()));
    let app = courant_web::router(state);
    axum::serve(listener, app.into_make_service_with_connect_info::<std::net::SocketAddr>())
        .with_graceful_shutdown(shutdown)
        .await
        .context("the server stopped with an error")?;
    follower.abort();
    store.close().await;
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

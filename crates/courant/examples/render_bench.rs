//! The processor time of rendering article pages alone, without the network or the store: reads
//! the newest N published stories of a data folder with what their pages show (related stories
//! as found, the latest stories), then renders each page once, as a crawl of the archive would,
//! and prints the time per page. Run it under `perf record` to see where a render's time goes.
//!
//!   cargo run --release --example render_bench -- DATA_DIR [STORIES] [ROUNDS]

use courant_store::{ArticleFilter, Store};
use std::time::Instant;

#[tokio::main(flavor = "current_thread")]
async fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let usage = "usage: render_bench DATA_DIR [STORIES] [ROUNDS]";
    let dir = args.next().ok_or_else(|| anyhow::anyhow!(usage))?;
    let stories: i64 = args.next().map(|n| n.parse()).transpose()?.unwrap_or(3000);
    let rounds: usize = args.next().map(|n| n.parse()).transpose()?.unwrap_or(5);
    let store = Store::open(std::path::Path::new(&dir)).await?;
    let sections = store.sections().await?;
    let latest = store.latest(&ArticleFilter::All, 10, 0).await?;
    let mut pages = Vec::new();
    for summary in store.latest(&ArticleFilter::All, stories, 0).await? {
        if let Some(read) = store.article_page_by_slug(&summary.slug, &sections).await? {
            let related = read.found_related.unwrap_or_default();
            pages.push((read.article, related));
        }
    }
    store.close().await;
    anyhow::ensure!(!pages.is_empty(), "no published story in {dir}");
    let renderer = courant_render::Renderer::new(
        courant_render::Settings::default(),
        "/static/site.css".into(),
        "/static/beacon.js".into(),
    )?;
    let reading_now = &latest[..5.min(latest.len())];
    let mut bytes = 0;
    for round in 0..rounds {
        let started = Instant::now();
        for (article, related) in &pages {
            let html = renderer.article_page(article, related, related.len(), reading_now, &latest, &sections)?;
            bytes += html.len();
        }
        let each = started.elapsed().as_secs_f64() * 1e6 / pages.len() as f64;
        println!("round {}: {} pages, {each:.1} µs per page", round + 1, pages.len());
    }
    println!("{} bytes in all", bytes);
    Ok(())
}

//! Gives the newest published story of a data folder a short slug, `bench-story`, so that
//! `../shared/bench/compare.sh` (whose nginx cannot map addresses longer than about 60
//! characters) can measure an article page; prints the story's new address. Its old address
//! redirects, like any renamed story's. Used by `bench/pages.sh`.
//!
//!   cargo run --release --example bench_slug -- DATA_DIR

use courant_store::{ArticleFilter, Store};

#[tokio::main(flavor = "current_thread")]
async fn main() -> anyhow::Result<()> {
    let dir = std::env::args().nth(1).ok_or_else(|| anyhow::anyhow!("usage: bench_slug DATA_DIR"))?;
    let store = Store::open(std::path::Path::new(&dir)).await?;
    let newest = store.latest(&ArticleFilter::All, 1, 0).await?;
    let story = newest.first().ok_or_else(|| anyhow::anyhow!("no published story in {dir}"))?;
    if story.slug != "bench-story" {
        store.rename_slug(story.id, "bench-story").await?;
    }
    let renamed = store.article(story.id).await?.ok_or_else(|| anyhow::anyhow!("the story vanished"))?;
    println!("{}", renamed.path().unwrap_or_default());
    store.close().await;
    Ok(())
}

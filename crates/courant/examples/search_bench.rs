//! Measures search and related articles on a data folder made by `courant demo --no-serve`:
//! reindex time, index size, search latency over a fixed query set, related-articles time per
//! article, and peak memory. Figures go to `bench/README.md`.
//!
//! ```sh
//! cargo run --release -p courant -- demo --no-serve --data /tmp/bench-1k --articles 1000
//! cargo run --release -p courant --example search_bench -- /tmp/bench-1k
//! ```

use courant_search::{SearchIndex, SearchQuery, Sort};
use courant_store::{ArticleFilter, ArticleText, Store};
use std::path::PathBuf;
use std::time::Instant;

/// Queries a reader of the demo might type: words, phrases, filters' worth of variety.
const QUERIES: &[&str] = &[
    "rail strike",
    "drivers union talks",
    "\"title race\"",
    "marathon",
    "interest rates mortgages",
    "chip factory jobs",
    "flood defences",
    "museum reopening",
    "comet",
    "vaccine trial volunteers",
    "glacier",
    "pension age",
    "budget",
    "port expansion fishermen",
    "drought aid",
    "housing plan rail yard",
    "data centre power grid",
    "energy prices",
    "supermarket merger",
    "orchestra funding",
    "film festival jury",
    "delivery riders pay",
    "minister resigns",
    "Valdoria election",
    "commuting trains",
    "local journalism",
];

fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn dir_size(dir: &std::path::Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|entries| entries.filter_map(Result::ok).filter_map(|e| e.metadata().ok()).map(|m| m.len()).sum())
        .unwrap_or(0)
}

fn peak_rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("VmHWM:")).map(String::from))
        .and_then(|l| l.split_whitespace().nth(1).and_then(|kb| kb.parse::<f64>().ok()))
        .map_or(0.0, |kb| kb / 1024.0)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let data = PathBuf::from(std::env::args().nth(1).ok_or_else(|| anyhow::anyhow!("usage: search_bench DATA_DIR"))?);
    let store = Store::open(&data).await?;
    let bench_dir = data.join("bench-index");
    let _ = std::fs::remove_dir_all(&bench_dir);
    let (index, _) = SearchIndex::open(&bench_dir, "english")?;

    // Reading alone, to tell the store's share of a rebuild from the index's.
    let started = Instant::now();
    let (mut after, mut read) = (courant_core::ArticleId(0), 0usize);
    loop {
        let batch = store.texts_for_index(after, 500).await?;
        let Some(last) = batch.last() else { break };
        after = last.id;
        read += batch.iter().map(|t| courant_render::markdown::plain_text(&t.body).len()).sum::<usize>();
    }
    println!(
        "reading the store for a rebuild: {:.1} s ({:.0} MB of text)",
        started.elapsed().as_secs_f64(),
        read as f64 / 1e6
    );

    let started = Instant::now();
    let n = courant_web::indexer::rebuild(&store, &index, &|_, _| {}).await?;
    let reindex = started.elapsed();
    println!("articles indexed: {n}");
    println!("reindex: {:.1} s", reindex.as_secs_f64());
    println!("index size: {:.1} MB", dir_size(&bench_dir) as f64 / 1e6);

    let mut times = Vec::new();
    for round in 0..20 {
        for (i, q) in QUERIES.iter().enumerate() {
            let sort = if (round + i) % 3 == 0 { Sort::Newest } else { Sort::Relevance };
            let query = SearchQuery { text: (*q).into(), sort, limit: 10, ..SearchQuery::default() };
            let t = Instant::now();
            let results = index.search(&query)?;
            times.push(t.elapsed().as_secs_f64() * 1000.0);
            std::hint::black_box(results);
        }
    }
    times.sort_by(f64::total_cmp);
    println!(
        "search ({} queries): p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        times.len(),
        percentile(&times, 0.5),
        percentile(&times, 0.99),
        times[times.len() - 1]
    );

    let sample = store.latest(&ArticleFilter::All, 200, 0).await?;
    let mut related = Vec::new();
    for s in &sample {
        let Some(a) = store.article(s.id).await? else { continue };
        let text = courant_web::indexer::indexed(&ArticleText::of(&a));
        let t = Instant::now();
        std::hint::black_box(index.related(&text, 4, &[])?);
        related.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    related.sort_by(f64::total_cmp);
    println!(
        "related ({} articles, computed): p50 {:.2} ms, p99 {:.2} ms",
        related.len(),
        percentile(&related, 0.5),
        percentile(&related, 0.99)
    );
    // What a page view pays: the stories found behind the site, read from the store.
    let mut stored = Vec::new();
    for s in &sample {
        let t = Instant::now();
        std::hint::black_box(store.found_related(s.id).await?);
        stored.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    stored.sort_by(f64::total_cmp);
    println!(
        "related (kept in the store, read): p50 {:.4} ms, p99 {:.4} ms",
        percentile(&stored, 0.5),
        percentile(&stored, 0.99)
    );
    println!("peak memory (RSS): {:.0} MB", peak_rss_mb());
    drop(index);
    let _ = std::fs::remove_dir_all(&bench_dir);
    Ok(())
}

//! Publish-to-visible latency: publishes stories into a running server's store from this process
//! (as another node or the newsroom would) and times how long each takes to show on the
//! server's home page and in its RSS feed. Prints the median and p99, and publishes per second.
//!
//!   cargo run --release --example publish_latency -- STORE http://127.0.0.1:PORT [N]
//!
//! STORE is the server's data folder (SQLite) or its `postgres://` URL.
//!
//! Run a read load beside it (e.g. `wrk -c 32 -d 30s http://127.0.0.1:PORT/`) to measure under
//! load. Loopback only.

use courant_core::{ArticleDraft, Role, Status};
use courant_store::{ArticleFilter, NewUser, Store};
use std::time::{Duration, Instant};
use time::OffsetDateTime;

async fn get(client: &reqwest::Client, url: &str) -> anyhow::Result<String> {
    Ok(client.get(url).send().await?.text().await?)
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let usage = "usage: publish_latency STORE BASE_URL [N]";
    let location = courant_store::Location::parse(&args.next().ok_or_else(|| anyhow::anyhow!(usage))?)
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let base = args.next().ok_or_else(|| anyhow::anyhow!(usage))?;
    anyhow::ensure!(base.starts_with("http://127.") || base.starts_with("http://localhost"), "loopback only");
    let n: usize = args.next().map(|s| s.parse()).transpose()?.unwrap_or(50);
    courant_web::webhooks::ensure_tls();
    let client = reqwest::Client::builder().timeout(Duration::from_secs(10)).build()?;
    let store = Store::open_at(&location, &courant_store::PgSettings::default()).await?;
    let template = store.latest(&ArticleFilter::All, 1, 0).await?;
    let template = store
        .article(template.first().ok_or_else(|| anyhow::anyhow!("no story"))?.id)
        .await?
        .ok_or_else(|| anyhow::anyhow!("no story"))?;
    let stamp = OffsetDateTime::now_utc().unix_timestamp();
    let email = format!("latency-{stamp}@bench.example");
    let user = NewUser {
        email,
        name: "Latency bench".into(),
        role: Role::Editor,
        password_hash: "$argon2id$unused".into(),
        must_change_password: false,
        author_id: None,
    };
    let user = store.insert_user(&user, None, OffsetDateTime::now_utc()).await?;
    let mut latencies = Vec::new();
    let started = Instant::now();
    let mut publish_time = Duration::ZERO;
    for i in 0..n {
        let headline = format!("Latency bench story {stamp} number {i}");
        let draft = ArticleDraft {
            headline: headline.clone(),
            slug: String::new(),
            related_ids: vec![],
            ..ArticleDraft::of(&template, vec![])
        };
        let t = Instant::now();
        let id = store.create_article(&draft, user.id, OffsetDateTime::now_utc()).await?;
        store.move_article(id, Status::Published, Some(user.id), OffsetDateTime::now_utc(), None).await?;
        publish_time += t.elapsed();
        let committed = Instant::now();
        loop {
            let home = get(&client, &format!("{base}/")).await?;
            let feed = get(&client, &format!("{base}/rss.xml")).await?;
            if home.contains(&headline) && feed.contains(&headline) {
                break;
            }
            anyhow::ensure!(committed.elapsed() < Duration::from_secs(10), "story {i} not visible within 10 s");
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        latencies.push(committed.elapsed());
    }
    let elapsed = started.elapsed();
    latencies.sort();
    let at = |p: f64| latencies[((latencies.len() as f64 * p) as usize).min(latencies.len() - 1)];
    println!(
        "{n} stories: publish-to-visible (home page and RSS) median {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        at(0.5).as_secs_f64() * 1000.0,
        at(0.99).as_secs_f64() * 1000.0,
        latencies.last().map_or(0.0, |d| d.as_secs_f64() * 1000.0)
    );
    println!(
        "writes: {:.1} publishes/s of store time (create and publish, {:.1} ms each); {:.1} s in all",
        n as f64 / publish_time.as_secs_f64(),
        publish_time.as_secs_f64() * 1000.0 / n as f64,
        elapsed.as_secs_f64()
    );
    store.close().await;
    Ok(())
}

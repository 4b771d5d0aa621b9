//! `GET /metrics`: Prometheus' text format on the metrics address only, counting what the
//! public address answered.

use crate::support::*;
use std::collections::HashMap;
use time::OffsetDateTime;

/// A port free at the moment of asking (the server binds it a moment later).
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").expect("bind").local_addr().expect("addr").port()
}

/// The samples of a scrape by name with labels (`name{labels}`), checking the format: every
/// sample's family is announced with `# HELP` and `# TYPE` before it, every value a number.
fn samples(text: &str) -> HashMap<String, f64> {
    let mut announced = std::collections::HashSet::new();
    let mut found = HashMap::new();
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("# TYPE ") {
            let mut parts = rest.split(' ');
            let name = parts.next().expect("name");
            let kind = parts.next().expect("kind");
            assert!(["counter", "gauge", "histogram"].contains(&kind), "{line}");
            announced.insert(name.to_string());
            continue;
        }
        if line.starts_with("# HELP ") || line.is_empty() {
            continue;
        }
        let (series, value) = line.rsplit_once(' ').unwrap_or_else(|| panic!("not a sample: {line}"));
        let value: f64 = value.parse().unwrap_or_else(|_| panic!("not a number: {line}"));
        let name = series.split('{').next().expect("name");
        let family = ["_bucket", "_sum", "_count"].iter().find_map(|s| name.strip_suffix(s)).unwrap_or(name);
        assert!(announced.contains(name) || announced.contains(family), "no # TYPE before {line}");
        found.insert(series.to_string(), value);
    }
    found
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_count_requests_and_the_cache_on_their_own_address() {
    let port = free_port();
    let mut config = courant::Config::default();
    config.metrics.listen = Some(std::net::SocketAddr::from(([127, 0, 0, 1], port)));
    let mut options = courant_demo::DemoOptions::new(4, OffsetDateTime::now_utc());
    options.picture_pool = 1;
    let spawned = spawn_server(config, options);
    let client = http_client();
    for _ in 0..3 {
        let r = client.get(format!("{}/", spawned.base)).send().await.expect("home");
        assert_eq!(r.status(), 200);
    }
    let r = client.get(format!("{}/no/such/page", spawned.base)).send().await.expect("missing");
    assert_eq!(r.status(), 404);
    let public = client.get(format!("{}/metrics", spawned.base)).send().await.expect("public");
    assert_eq!(public.status(), 404, "the public address does not tell");

    let scrape = client.get(format!("http://127.0.0.1:{port}/metrics")).send().await.expect("scrape");
    assert_eq!(scrape.status(), 200);
    let content_type = scrape.headers()["content-type"].to_str().expect("ascii").to_string();
    assert!(content_type.starts_with("text/plain; version=0.0.4"), "{content_type}");
    let text = scrape.text().await.expect("text");
    let s = samples(&text);
    let get = |k: &str| *s.get(k).unwrap_or_else(|| panic!("no {k} in:\n{text}"));
    assert_eq!(get(r#"courant_http_requests_total{kind="home",status="2xx"}"#), 3.0);
    // The missing page, and /metrics asked of the public address.
    assert_eq!(get(r#"courant_http_requests_total{kind="listing",status="4xx"}"#), 2.0);
    assert_eq!(get(r#"courant_http_request_duration_seconds_count{kind="home"}"#), 3.0);
    assert_eq!(get(r#"courant_http_request_duration_seconds_bucket{kind="home",le="+Inf"}"#), 3.0);
    assert!(get("courant_cache_hits_total") + get("courant_cache_stale_total") >= 1.0, "a home page from memory");
    assert!(get("courant_cache_misses_total") >= 1.0, "the first was rendered");
    assert!(get("courant_render_duration_seconds_count") >= 1.0);
    assert!(get("courant_cache_bytes") > 0.0 && get("courant_cache_entries") >= 1.0);
    assert_eq!(get("courant_store_up"), 1.0);
    for gauge in [
        "courant_scheduled_articles",
        "courant_scheduler_overdue_seconds",
        "courant_webhook_deliveries_pending",
        "courant_search_index_lag_changes",
        "courant_store_ping_seconds",
    ] {
        assert!(get(gauge) >= 0.0, "{gauge}");
    }
    assert!(get("process_resident_memory_bytes") > 1e6, "the process's memory");
}

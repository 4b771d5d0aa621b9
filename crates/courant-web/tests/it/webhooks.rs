//! Issue #6: webhooks. Receivers on loopback get signed events when stories are published,
//! corrected and withdrawn; a failing receiver is retried and finally given up, and every
//! attempt is in the delivery log.

use crate::support::*;
use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode};
use courant_core::Status;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A receiver that records what it gets and fails its first `failures` requests.
#[derive(Clone, Default)]
struct Receiver {
    got: Arc<Mutex<Vec<(HeaderMap, String)>>>,
    failures: Arc<Mutex<usize>>,
}

async fn start_receiver(failures: usize) -> (String, Receiver) {
    let receiver = Receiver { failures: Arc::new(Mutex::new(failures)), ..Receiver::default() };
    let r = receiver.clone();
    let app = axum::Router::new().route(
        "/hook",
        axum::routing::post(move |headers: HeaderMap, body: Bytes| {
            let r = r.clone();
            async move {
                let mut failures = r.failures.lock().unwrap();
                if *failures > 0 {
                    *failures -= 1;
                    return StatusCode::INTERNAL_SERVER_ERROR;
                }
                r.got.lock().unwrap().push((headers, String::from_utf8_lossy(&body).to_string()));
                StatusCode::NO_CONTENT
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("http://{}/hook", listener.local_addr().expect("addr"));
    tokio::spawn(async move { axum::serve(listener, app).await });
    (url, receiver)
}

async fn wait_until(what: &str, limit: Duration, mut done: impl FnMut() -> bool) {
    let started = Instant::now();
    while !done() {
        assert!(started.elapsed() < limit, "{what} did not happen within {limit:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn receivers_get_signed_events_with_retries_and_a_log() {
    let (good_url, good) = start_receiver(0).await;
    let (flaky_url, flaky) = start_receiver(1).await;
    let dead_url = "http://127.0.0.1:9/unreachable".to_string();
    let secret = "a-secret-of-sixteen-characters";
    let mut config = courant::Config::default();
    config.webhooks.endpoints = [&good_url, &flaky_url, &dead_url]
        .into_iter()
        .map(|url| courant_web::webhooks::Endpoint { url: url.clone(), secret: secret.into() })
        .collect();
    config.webhooks.retry_after_seconds = Some(vec![1, 1]);
    let mut options = courant_demo::DemoOptions::new(6, time::OffsetDateTime::now_utc());
    options.picture_pool = 2;
    let server = spawn_server(config, options);
    let store = server.store.clone();
    // Let the dispatcher start from the demo's last change: the demo itself is not announced.
    tokio::time::sleep(Duration::from_millis(800)).await;

    let now = time::OffsetDateTime::now_utc();
    let id = insert_draft(
        &store,
        "Ferry timetable changes from Monday",
        "Fewer crossings at night.",
        "The operator announced the change on Friday.",
    )
    .await;
    let started = Instant::now();
    store.set_status(id, Status::Published, now).await.expect("publish");
    store.add_correction(id, "The change starts on Monday, not Sunday.", now).await.expect("correct");
    store.set_status(id, Status::Unpublished, now).await.expect("unpublish");
    assert!(started.elapsed() < Duration::from_secs(1), "receivers never slow publishing down");

    wait_until("three events at the good receiver", Duration::from_secs(10), || good.got.lock().unwrap().len() >= 3)
        .await;
    let got = good.got.lock().unwrap().clone();
    let events: Vec<String> = got
        .iter()
        .map(|(h, _)| h.get("x-courant-event").and_then(|v| v.to_str().ok()).unwrap_or("").to_string())
        .collect();
    assert_eq!(events, ["article.published", "article.corrected", "article.unpublished"], "the draft is not announced");
    for (headers, body) in &got {
        let signature = headers.get("x-courant-signature").and_then(|v| v.to_str().ok()).expect("signature");
        assert_eq!(signature, courant_web::webhooks::signature(secret, body.as_bytes()), "the body is signed");
        let json: serde_json::Value = serde_json::from_str(body).expect("JSON body");
        assert_eq!(json["article"]["id"], id.0);
        assert_eq!(json["article"]["headline"], "Ferry timetable changes from Monday");
    }

    // The flaky receiver failed once and got everything on the retry; the dead one is given up.
    wait_until("the flaky receiver's retries", Duration::from_secs(15), || flaky.got.lock().unwrap().len() >= 3).await;
    let mut log = Vec::new();
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(20) {
        log = store.deliveries(50).await.expect("log");
        if log.iter().filter(|d| d.url == dead_url).all(|d| d.status == "failed") && log.len() >= 9 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert_eq!(log.len(), 9, "three events for three receivers: {log:#?}");
    for d in &log {
        match d.url.as_str() {
            u if u == good_url => assert_eq!((d.status.as_str(), d.attempts), ("delivered", 1), "{d:?}"),
            u if u == dead_url => {
                assert_eq!((d.status.as_str(), d.attempts), ("failed", 3), "one try and two retries: {d:?}");
                assert!(!d.last_error.is_empty(), "the log says why: {d:?}");
            }
            _ => assert_eq!(d.status, "delivered", "{d:?}"),
        }
    }
    assert_eq!(
        log.iter().filter(|d| d.url == flaky_url).map(|d| d.attempts).sum::<i64>(),
        4,
        "one failure, then three deliveries"
    );
}

//! A client that sends slowly or never, or too many at once, cannot hold the server: headers,
//! bodies and idle kept-alive connections have deadlines, and what is over the caps of open
//! connections and requests in flight is answered 503 at once. Spoken over raw TCP, as such a
//! client would.

use crate::support::*;
use std::time::{Duration, Instant};
use time::OffsetDateTime;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Reads until the server closes the connection (or `within` passes, which fails the test);
/// returns what it sent.
async fn until_closed(stream: &mut TcpStream, within: Duration, what: &str) -> String {
    let mut got = Vec::new();
    let read = tokio::time::timeout(within, async {
        let mut buf = [0u8; 4096];
        loop {
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => got.extend_from_slice(&buf[..n]),
            }
        }
    })
    .await;
    assert!(read.is_ok(), "{what}: the server still held the connection after {within:?}");
    String::from_utf8_lossy(&got).into_owned()
}

async fn connect(address: &str) -> TcpStream {
    TcpStream::connect(address).await.expect("connect")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_idle_and_surplus_clients_are_cut_off() {
    let mut config = courant::Config::default();
    config.server.header_timeout_seconds = 2;
    config.server.body_timeout_seconds = 2;
    config.server.max_connections = 6;
    config.server.max_in_flight = 1;
    let mut options = courant_demo::DemoOptions::new(4, OffsetDateTime::now_utc());
    options.picture_pool = 1;
    let spawned = spawn_server(config, options);
    let address = spawned.base.trim_start_matches("http://").to_string();
    let limit = Duration::from_secs(6);

    // A request line that never ends.
    let mut partial = connect(&address).await;
    partial.write_all(b"GET /ne").await.expect("write");
    let started = Instant::now();
    until_closed(&mut partial, limit, "a partial request line").await;
    assert!(started.elapsed() >= Duration::from_millis(1500), "closed before the header timeout");

    // Headers dripped a byte a second.
    let mut dripping = connect(&address).await;
    let drip = async {
        for b in b"GET / HTTP/1.1\r\nHost: x\r\nX-Slow: yes\r\n" {
            if dripping.write_all(&[*b]).await.is_err() {
                return;
            }
            tokio::time::sleep(Duration::from_millis(700)).await;
        }
    };
    let _ = tokio::time::timeout(limit, drip).await;
    until_closed(&mut dripping, limit, "headers sent a byte at a time").await;

    // A kept-alive connection left idle after its answer.
    let mut idle = connect(&address).await;
    idle.write_all(b"GET /robots.txt HTTP/1.1\r\nHost: x\r\n\r\n").await.expect("write");
    let answer = until_closed(&mut idle, limit, "an idle kept-alive connection").await;
    assert!(answer.starts_with("HTTP/1.1 200"), "the request was answered first: {answer:?}");

    // A body announced and never sent, and one dripped: 408, then closed.
    let login = "POST /newsroom/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n\
                 Content-Length: 200\r\n\r\n";
    let mut missing = connect(&address).await;
    missing.write_all(login.as_bytes()).await.expect("write");
    let answer = until_closed(&mut missing, limit, "a body that never comes").await;
    assert!(answer.starts_with("HTTP/1.1 408"), "a missing body is answered 408: {answer:?}");
    let mut slow_body = connect(&address).await;
    slow_body.write_all(login.as_bytes()).await.expect("write");
    let drip = async {
        for _ in 0..200 {
            if slow_body.write_all(b"a").await.is_err() {
                return;
            }
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
    };
    let _ = tokio::time::timeout(Duration::from_secs(3), drip).await;
    let answer = until_closed(&mut slow_body, limit, "a body sent a byte at a time").await;
    assert!(answer.starts_with("HTTP/1.1 408"), "a dripped body is answered 408: {answer:?}");

    // Over the cap of requests in flight (one here): while a slow body holds the only slot,
    // another request is answered 503 at once.
    let mut holder = connect(&address).await;
    holder.write_all(login.as_bytes()).await.expect("write");
    tokio::time::sleep(Duration::from_millis(300)).await;
    let started = Instant::now();
    let r = reqwest::get(format!("{}/robots.txt", spawned.base)).await.expect("get");
    assert_eq!(r.status(), 503, "a request over the in-flight cap");
    assert!(r.headers().contains_key("retry-after"), "503 says when to retry");
    assert!(started.elapsed() < Duration::from_secs(1), "refused at once, not queued");
    until_closed(&mut holder, limit, "the request holding the slot").await;
    let r = reqwest::get(format!("{}/robots.txt", spawned.base)).await.expect("get");
    assert_eq!(r.status(), 200, "the slot is free again");

    // Over the cap of open connections (six here): the seventh is answered 503 and closed.
    // First the server must have seen the last client's connection close (its place freed);
    // otherwise one of the six is refused, that place frees, and the seventh is let in.
    drop(r);
    tokio::time::sleep(Duration::from_millis(500)).await;
    let mut open = Vec::new();
    for _ in 0..6 {
        open.push(connect(&address).await);
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    let mut seventh = connect(&address).await;
    let answer = until_closed(&mut seventh, limit, "a connection over the cap").await;
    assert!(answer.starts_with("HTTP/1.1 503"), "a connection over the cap is told 503: {answer:?}");
    drop(open);
    tokio::time::sleep(Duration::from_millis(300)).await;
    let r = reqwest::get(format!("{}/robots.txt", spawned.base)).await.expect("get");
    assert_eq!(r.status(), 200, "connections closed free their places");
}

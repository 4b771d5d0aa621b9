//! The HTTP/1.1 server in front of the router, with the limits a public server needs: a client
//! has a bounded time to send its headers (and to start its next request on a kept-alive
//! connection) and its body; the number of open connections and of requests in flight is capped,
//! and what is over a cap is answered 503 at once instead of queueing behind everyone else.

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use hyper_util::rt::{TokioIo, TokioTimer};
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpStream};
use tower::ServiceExt;

/// The server's limits (`[server]` in `courant.toml`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Limits {
    /// Seconds a client has to send a request's line and headers, counted from when the
    /// connection is ready for it: a kept-alive connection left idle this long is closed too.
    pub header_timeout_seconds: u64,
    /// Seconds a client has to send a request's whole body (a form, a picture); after that the
    /// request is answered 408 and the connection closed.
    pub body_timeout_seconds: u64,
    /// Connections open at once; one more is answered 503 and closed.
    pub max_connections: usize,
    /// Requests being answered at once; one more is answered 503 with `Retry-After`.
    pub max_in_flight: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { header_timeout_seconds: 10, body_timeout_seconds: 60, max_connections: 8192, max_in_flight: 1024 }
    }
}

impl Limits {
    /// What is wrong with these limits, if anything.
    pub fn check(&self) -> Result<(), String> {
        if self.header_timeout_seconds == 0 || self.body_timeout_seconds == 0 {
            return Err(
                "`server.header_timeout_seconds` or `server.body_timeout_seconds`: expected seconds, at least 1".into(),
            );
        }
        if self.max_connections == 0 || self.max_in_flight == 0 {
            return Err("`server.max_connections` or `server.max_in_flight`: expected a number, at least 1".into());
        }
        Ok(())
    }
}

/// Serves `app` on `listener` within `limits` until `shutdown` completes, then lets the requests
/// in flight finish (for at most 30 seconds).
pub async fn serve(
    listener: TcpListener,
    app: Router,
    limits: Limits,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let load = Arc::new(Load { in_flight: AtomicUsize::new(0), max: limits.max_in_flight });
    let body_timeout = Duration::from_secs(limits.body_timeout_seconds);
    let app = app.layer(middleware::from_fn_with_state((load, body_timeout), admit));
    let connections = Arc::new(tokio::sync::Semaphore::new(limits.max_connections));
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new()).header_read_timeout(Duration::from_secs(limits.header_timeout_seconds));
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    tokio::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    // Out of file descriptors, or a connection reset before it was accepted:
                    // wait a moment rather than spin.
                    tracing::warn!(error = %e, "cannot accept a connection");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let Ok(permit) = connections.clone().try_acquire_owned() else {
            tokio::spawn(refuse(stream));
            continue;
        };
        let _ = stream.set_nodelay(true);
        let app = app.clone();
        let service = hyper::service::service_fn(move |mut request: hyper::Request<hyper::body::Incoming>| {
            request.extensions_mut().insert(ConnectInfo(peer));
            app.clone().oneshot(request.map(Body::new))
        });
        let connection = graceful.watch(http.serve_connection(TokioIo::new(stream), service));
        tokio::spawn(async move {
            if let Err(e) = connection.await {
                tracing::debug!(error = %e, "connection ended with an error");
            }
            drop(permit);
        });
    }
    drop(listener);
    if tokio::time::timeout(Duration::from_secs(30), graceful.shutdown()).await.is_err() {
        tracing::warn!("requests still in flight after 30 s were cut off");
    }
    Ok(())
}

/// What a connection over the cap is told before it is closed.
const BUSY: &[u8] = b"HTTP/1.1 503 Service Unavailable\r\ncontent-type: text/plain; charset=utf-8\r\n\
retry-after: 1\r\nconnection: close\r\ncontent-length: 43\r\n\r\nThe server is busy; try again in a moment.\n";

async fn refuse(mut stream: TcpStream) {
    let _ = tokio::time::timeout(Duration::from_secs(1), async {
        stream.write_all(BUSY).await?;
        stream.shutdown().await
    })
    .await;
}

/// Requests being answered, and how many may be.
struct Load {
    in_flight: AtomicUsize,
    max: usize,
}

/// One request's place among those in flight, given back when it is answered.
struct Slot<'a>(&'a Load);

impl Drop for Slot<'_> {
    fn drop(&mut self) {
        self.0.in_flight.fetch_sub(1, Ordering::Relaxed);
    }
}

impl Load {
    fn enter(&self) -> Option<Slot<'_>> {
        let slot = Slot(self);
        (self.in_flight.fetch_add(1, Ordering::Relaxed) < self.max).then_some(slot)
    }
}

/// Answers 503 over the in-flight cap; otherwise gives the request's body a deadline.
async fn admit(State((load, body_timeout)): State<(Arc<Load>, Duration)>, request: Request, next: Next) -> Response {
    let Some(_slot) = load.enter() else {
        let mut busy =
            (StatusCode::SERVICE_UNAVAILABLE, "The server is busy; try again in a moment.\n").into_response();
        busy.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
        return busy;
    };
    use axum::body::HttpBody;
    if request.body().is_end_stream() {
        return next.run(request).await;
    }
    let (parts, body) = request.into_parts();
    let body = Body::new(Deadline { body, deadline: Box::pin(tokio::time::sleep(body_timeout)) });
    next.run(Request::from_parts(parts, body)).await
}

/// A request body that fails with [`BodyTimedOut`] when it has not all arrived by its deadline.
struct Deadline {
    body: Body,
    deadline: Pin<Box<tokio::time::Sleep>>,
}

/// The error of a body that did not arrive in time.
#[derive(Debug, thiserror::Error)]
#[error("the request body did not arrive in time")]
pub struct BodyTimedOut;

impl axum::body::HttpBody for Deadline {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Bytes>, axum::Error>>> {
        let this = &mut *self;
        match Pin::new(&mut this.body).poll_frame(cx) {
            Poll::Pending if this.deadline.as_mut().poll(cx).is_ready() => {
                Poll::Ready(Some(Err(axum::Error::new(BodyTimedOut))))
            }
            other => other,
        }
    }

    fn is_end_stream(&self) -> bool {
        self.body.is_end_stream()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        self.body.size_hint()
    }
}

/// Whether reading a body failed because it did not arrive in time.
pub fn is_body_timeout(e: &(dyn std::error::Error + 'static)) -> bool {
    let mut cause = Some(e);
    while let Some(c) = cause {
        if c.is::<BodyTimedOut>() {
            return true;
        }
        cause = c.source();
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_body_past_its_deadline_is_told_apart_from_one_too_large() {
        let (mut sender, body) = futures_channel_body();
        sender.push(Bytes::from_static(b"partial"));
        let late = Body::new(Deadline { body, deadline: Box::pin(tokio::time::sleep(Duration::from_millis(50))) });
        let e = axum::body::to_bytes(late, 1024).await.expect_err("the rest never comes");
        assert!(is_body_timeout(&e), "{e}");
        let big = axum::body::to_bytes(Body::from(vec![0u8; 2048]), 1024).await.expect_err("too large");
        assert!(!is_body_timeout(&big), "{big}");
        drop(sender);
    }

    #[test]
    fn the_in_flight_cap_admits_its_number_and_gives_back_slots() {
        let load = Load { in_flight: AtomicUsize::new(0), max: 2 };
        let a = load.enter().expect("first");
        let _b = load.enter().expect("second");
        assert!(load.enter().is_none(), "the third is over the cap");
        drop(a);
        assert!(load.enter().is_some(), "a slot given back is free again");
        assert_eq!(load.in_flight.load(Ordering::Relaxed), 1);
    }

    /// A body whose chunks are pushed by the test and which never ends while the sender lives.
    fn futures_channel_body() -> (Pusher, Body) {
        let (tx, rx) = tokio::sync::mpsc::unbounded_channel::<Bytes>();
        let stream = futures_util::stream::unfold(rx, |mut rx| async move {
            rx.recv().await.map(|chunk| (Ok::<_, std::convert::Infallible>(chunk), rx))
        });
        (Pusher(tx), Body::from_stream(stream))
    }

    struct Pusher(tokio::sync::mpsc::UnboundedSender<Bytes>);

    impl Pusher {
        fn push(&mut self, chunk: Bytes) {
            self.0.send(chunk).expect("send");
        }
    }
}

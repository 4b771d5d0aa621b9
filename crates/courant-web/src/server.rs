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
/// in flight finish (for at most 30 seconds). Connections are accepted here and served on
/// `workers`.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    limits: Limits,
    workers: &Workers,
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
        // Taken off this runtime's poller, to be put on the worker's.
        let stream = match stream.into_std() {
            Ok(stream) => stream,
            Err(e) => {
                tracing::debug!(error = %e, "cannot hand a connection to a worker");
                continue;
            }
        };
        let (app, http, watcher) = (app.clone(), http.clone(), graceful.watcher());
        workers.spawn(move || async move {
            let stream = match TcpStream::from_std(stream) {
                Ok(stream) => stream,
                Err(e) => {
                    tracing::debug!(error = %e, "a worker cannot take a connection");
                    return;
                }
            };
            let service = hyper::service::service_fn(move |mut request: hyper::Request<hyper::body::Incoming>| {
                request.extensions_mut().insert(ConnectInfo(peer));
                app.clone().oneshot(request.map(Body::new))
            });
            if let Err(e) = watcher.watch(http.serve_connection(TokioIo::new(stream), service)).await {
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

/// The threads that serve connections: one per core, each with a single-threaded runtime of
/// its own, as nginx runs one process per core; the first is the runtime that started them
/// (the binary's, which also runs the background tasks). On one runtime of as many threads, a
/// thread that found a connection ready woke another to share the work, for every few requests:
/// cache hits spent nginx's processor time per request but kept the machine a fifth less busy
/// than nginx did, and served 10-15% fewer a second (bench/README.md, issue 18). A connection
/// stays on the worker it was given, the one serving the fewest at that moment.
///
/// Whatever a request starts on a worker (a page compressed behind the answer, a picture
/// resized) runs on that worker's runtime, which lives until [`Workers::stop`]: a store's
/// connection opened by a request stays usable as long as the workers run, so they are stopped
/// after the store is closed. A heavy store read runs in place on a worker, holding up that
/// worker's other connections for its milliseconds (`courant_store`'s `Weight::Heavy`).
pub struct Workers {
    runtimes: Vec<(tokio::runtime::Handle, Arc<AtomicUsize>)>,
    /// Dropped to stop the started threads (also when the workers are dropped unstopped).
    stop: tokio::sync::watch::Sender<()>,
    threads: Vec<std::thread::JoinHandle<()>>,
}

impl Workers {
    /// Starts a worker for each core the process may use beyond the calling runtime's thread.
    pub fn start() -> std::io::Result<Workers> {
        let count = std::thread::available_parallelism().map_or(2, |n| n.get());
        let (stop, stopped) = tokio::sync::watch::channel(());
        let mut runtimes = Vec::with_capacity(count);
        runtimes.push((tokio::runtime::Handle::try_current().map_err(std::io::Error::other)?, Arc::default()));
        let mut threads = Vec::with_capacity(count - 1);
        for i in 1..count {
            // Two threads each for blocking work (compression, pictures, password hashes).
            let runtime = tokio::runtime::Builder::new_current_thread().enable_all().max_blocking_threads(2).build()?;
            runtimes.push((runtime.handle().clone(), Arc::default()));
            let mut stopped = stopped.clone();
            threads.push(std::thread::Builder::new().name(format!("courant-http-{i}")).spawn(move || {
                runtime.block_on(async move {
                    let _ = stopped.changed().await;
                });
                // Tasks still running are dropped; blocking work gets a moment to finish.
                runtime.shutdown_timeout(Duration::from_secs(1));
            })?);
        }
        Ok(Workers { runtimes, stop, threads })
    }

    /// Runs the future `make` returns on the worker with the fewest tasks running (made on that
    /// worker, so that what it opens is polled there).
    pub fn spawn<F>(&self, make: impl FnOnce() -> F + Send + 'static)
    where
        F: Future<Output = ()> + Send + 'static,
    {
        let Some((runtime, running)) = self.runtimes.iter().min_by_key(|(_, n)| n.load(Ordering::Relaxed)) else {
            return;
        };
        running.fetch_add(1, Ordering::Relaxed);
        let running = running.clone();
        runtime.spawn(async move {
            make().await;
            running.fetch_sub(1, Ordering::Relaxed);
        });
    }

    /// Stops the workers' threads, dropping what they still run, and waits for them to end.
    pub async fn stop(self) {
        let Workers { stop, threads, .. } = self;
        drop(stop);
        let _ = tokio::task::spawn_blocking(move || {
            for thread in threads {
                let _ = thread.join();
            }
        })
        .await;
    }
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

    #[tokio::test]
    async fn each_task_goes_to_the_worker_running_fewest_on_a_runtime_of_its_own() {
        let workers = Workers::start().expect("start the workers");
        let count = workers.runtimes.len();
        assert!(count >= 1);
        let (seen, mut sightings) = tokio::sync::mpsc::unbounded_channel();
        let (release, released) = tokio::sync::watch::channel(false);
        for _ in 0..count * 3 {
            let (seen, mut released) = (seen.clone(), released.clone());
            workers.spawn(move || async move {
                let flavor = tokio::runtime::Handle::current().runtime_flavor();
                let _ = seen.send((std::thread::current().name().map(str::to_owned), flavor));
                let _ = released.wait_for(|r| *r).await;
            });
        }
        let mut per_thread = std::collections::BTreeMap::new();
        for _ in 0..count * 3 {
            let (name, flavor) = sightings.recv().await.expect("each task runs");
            assert_eq!(flavor, tokio::runtime::RuntimeFlavor::CurrentThread);
            *per_thread.entry(name.expect("a named thread")).or_insert(0) += 1;
        }
        assert_eq!(per_thread.len(), count, "every worker got tasks: {per_thread:?}");
        assert!(per_thread.values().all(|n| *n == 3), "three tasks each: {per_thread:?}");
        let running = |w: &Workers| w.runtimes.iter().map(|(_, n)| n.load(Ordering::Relaxed)).sum::<usize>();
        assert_eq!(running(&workers), count * 3);
        release.send(true).expect("release");
        for _ in 0..200 {
            if running(&workers) == 0 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        assert_eq!(running(&workers), 0, "finished tasks are counted off");

        // Tasks still running when the workers stop are dropped with the threads started for
        // them; the one on the calling runtime (the first worker) is left to it.
        let (dropped, mut drops) = tokio::sync::mpsc::unbounded_channel::<()>();
        struct Guard(tokio::sync::mpsc::UnboundedSender<()>);
        impl Drop for Guard {
            fn drop(&mut self) {
                let _ = self.0.send(());
            }
        }
        for _ in 0..count {
            let guard = Guard(dropped.clone());
            workers.spawn(move || async move {
                let _guard = guard;
                std::future::pending::<()>().await;
            });
        }
        drop(dropped);
        tokio::time::sleep(Duration::from_millis(20)).await;
        assert!(drops.try_recv().is_err(), "all still running before the stop");
        tokio::time::timeout(Duration::from_secs(10), workers.stop()).await.expect("the workers stop");
        let mut n = 0;
        while drops.try_recv().is_ok() {
            n += 1;
        }
        assert_eq!(n, count - 1, "the started threads' tasks are dropped at the stop");
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

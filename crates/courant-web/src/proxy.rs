//! Readers' addresses behind a load balancer or a CDN. There every request comes from the
//! proxy, and the reader's address is in `X-Forwarded-For`; the API's rate limit, the login
//! throttle and the view counter need the reader's. The header is believed only from the
//! proxies the configuration trusts (`server.trusted_proxies`): anyone else could write any
//! address into it.

use axum::extract::{ConnectInfo, Request};
use axum::http::HeaderMap;
use axum::middleware::Next;
use axum::response::Response;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

/// Middleware: when the peer is a trusted proxy, the request's peer address becomes the
/// reader's, so every handler and limit downstream sees the reader.
pub async fn forwarded_client(trusted: Arc<[IpAddr]>, mut request: Request, next: Next) -> Response {
    if let Some(ConnectInfo(peer)) = request.extensions().get::<ConnectInfo<SocketAddr>>().copied()
        && trusted.contains(&peer.ip())
        && let Some(client) = client_of(request.headers(), &trusted)
    {
        request.extensions_mut().insert(ConnectInfo(SocketAddr::new(client, peer.port())));
    }
    next.run(request).await
}

/// The reader's address in `X-Forwarded-For`: the rightmost one that is not a trusted proxy
/// (each proxy appends the address it was reached from; those left of an untrusted one may be
/// made up). None when the header is missing or unreadable.
pub fn client_of(headers: &HeaderMap, trusted: &[IpAddr]) -> Option<IpAddr> {
    let mut chain = Vec::new();
    for value in headers.get_all("x-forwarded-for") {
        for part in value.to_str().ok()?.split(',') {
            chain.push(part.trim().parse::<IpAddr>().ok()?);
        }
    }
    chain.into_iter().rev().find(|ip| !trusted.contains(ip))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(values: &[&str]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for v in values {
            h.append("x-forwarded-for", v.parse().expect("header value"));
        }
        h
    }

    #[test]
    fn the_reader_is_the_rightmost_untrusted_address() {
        let lb: IpAddr = "10.0.0.2".parse().expect("ip");
        let cdn: IpAddr = "10.0.0.3".parse().expect("ip");
        let trusted = [lb, cdn];
        assert_eq!(client_of(&headers(&["203.0.113.7"]), &trusted), Some("203.0.113.7".parse().expect("ip")));
        // A reader who sends a made-up address first is still seen at their own.
        assert_eq!(
            client_of(&headers(&["1.2.3.4, 203.0.113.7, 10.0.0.3"]), &trusted),
            Some("203.0.113.7".parse().expect("ip"))
        );
        assert_eq!(
            client_of(&headers(&["198.51.100.1", "10.0.0.3"]), &trusted),
            Some("198.51.100.1".parse().expect("ip"))
        );
        assert_eq!(client_of(&headers(&["2001:db8::1"]), &trusted), Some("2001:db8::1".parse().expect("ip")));
        assert_eq!(client_of(&headers(&[]), &trusted), None, "no header");
        assert_eq!(client_of(&headers(&["not an address"]), &trusted), None, "an unreadable header is ignored");
        assert_eq!(client_of(&headers(&["10.0.0.2"]), &trusted), None, "only proxies");
    }
}

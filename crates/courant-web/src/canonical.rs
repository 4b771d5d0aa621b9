//! One spelling per address. `/tag/pub%6c%69c-spending` is `/tag/public-spending` spelt with
//! percent-encoding that changes nothing (RFC 3986, section 6.2.2.2): such a request is sent
//! with 301 to the one spelling, so neither the cache nor a search engine sees two pages.

use axum::extract::Request;
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use std::borrow::Cow;

/// The 301 to the canonical spelling of a GET or HEAD of a non-canonical path, query kept.
/// Asked first by the page cache, which sees every request, so a hit pays no layer of its own.
pub(crate) fn redirect(request: &Request) -> Option<Response> {
    if !(request.method() == Method::GET || request.method() == Method::HEAD) {
        return None;
    }
    let Cow::Owned(path) = canonical_path(request.uri().path()) else {
        return None;
    };
    let location = match request.uri().query() {
        Some(query) => format!("{path}?{query}"),
        None => path,
    };
    let location = HeaderValue::from_str(&location).ok()?;
    Some((StatusCode::MOVED_PERMANENTLY, [(header::LOCATION, location)]).into_response())
}

/// `path` with every percent-encoded unreserved character (letters, digits, `-._~`) decoded
/// and every other encoding in upper-case hex; borrowed when it is canonical already. Other
/// encodings (`%2F`, `%20`, UTF-8 bytes) stay encoded: decoding them would change the path.
pub(crate) fn canonical_path(path: &str) -> Cow<'_, str> {
    let bytes = path.as_bytes();
    let needs_work = bytes.windows(3).any(|w| {
        w[0] == b'%'
            && match (hex(w[1]), hex(w[2])) {
                (Some(h), Some(l)) => unreserved(h << 4 | l) || w[1].is_ascii_lowercase() || w[2].is_ascii_lowercase(),
                _ => false,
            }
    });
    if !needs_work {
        return Cow::Borrowed(path);
    }
    let mut out = String::with_capacity(path.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let (Some(h), Some(l)) = (bytes.get(i + 1).and_then(|b| hex(*b)), bytes.get(i + 2).and_then(|b| hex(*b)))
        {
            let byte = h << 4 | l;
            if unreserved(byte) {
                out.push(char::from(byte));
            } else {
                out.push_str(&format!("%{byte:02X}"));
            }
            i += 3;
            continue;
        }
        // Bytes outside `%XX` are copied whole characters at a time (the path is a `str`).
        let next = path[i..].chars().next().map_or(1, char::len_utf8);
        out.push_str(&path[i..i + next]);
        i += next;
    }
    Cow::Owned(out)
}

fn hex(b: u8) -> Option<u8> {
    char::from(b).to_digit(16).map(|d| d as u8)
}

fn unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unreserved_characters_are_decoded_and_the_rest_kept_in_upper_case() {
        assert_eq!(canonical_path("/tag/pub%6c%69c-spending"), "/tag/public-spending");
        assert_eq!(canonical_path("/tag/publ%69c%2Dspending"), "/tag/public-spending");
        assert_eq!(canonical_path("/search%2fx%20y"), "/search%2Fx%20y");
        assert_eq!(canonical_path("/caf%c3%a9"), "/caf%C3%A9");
        assert_eq!(canonical_path("/%7euser/%41"), "/~user/A");
        assert!(matches!(canonical_path("/news/a-story"), Cow::Borrowed(_)));
        assert!(matches!(canonical_path("/odd%zz%4"), Cow::Borrowed(_)), "malformed escapes are left to the routes");
        assert!(matches!(canonical_path("/%2F%C3%A9"), Cow::Borrowed(_)));
        assert_eq!(canonical_path("/é%41"), "/éA", "a path with raw UTF-8 stays whole");
    }
}

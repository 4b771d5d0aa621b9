//! A page's stored encodings: which one a request accepts (`Accept-Encoding`), the identity,
//! gzip and brotli copies of a rendered body with a strong ETag each, and the answer from them
//! (`304 Not Modified` when the request holds this encoding's ETag).

use super::PageTags;
use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode, header};
use axum::response::Response;
use std::io::Write;
use std::sync::atomic::AtomicU64;

/// gzip level: 6 costs a fifth of 9's time for 1-2% more bytes on our pages.
const GZIP_LEVEL: u32 = 6;
/// brotli quality: 6 is within 3% of 9's size at a quarter of its time on a 60 KB page.
const BROTLI_QUALITY: u32 = 6;

pub(super) struct Entry {
    /// Content type, last modified and the handler's own headers (CORS and the like).
    pub(super) headers: HeaderMap,
    pub(super) identity: Bytes,
    pub(super) gzip: Bytes,
    pub(super) br: Bytes,
    /// Strong ETags of the three encodings.
    pub(super) etags: [HeaderValue; 3],
    pub(super) tags: Vec<String>,
    /// The listing's own tags, for a listing page (see [`PageTags::listing`]).
    pub(super) cascade: Vec<String>,
    pub(super) surrogate_key: HeaderValue,
    /// The trending epoch it was rendered in, when it shows trending.
    pub(super) epoch: Option<u64>,
    pub(super) size: usize,
    pub(super) last_used: AtomicU64,
}

/// Which stored encoding a request accepts best: 2 brotli, 1 gzip, 0 identity.
fn encoding(headers: &HeaderMap) -> usize {
    let Some(accept) = headers.get(header::ACCEPT_ENCODING).and_then(|v| v.to_str().ok()) else {
        return 0;
    };
    let accepts = |name: &str| {
        accept.split(',').any(|part| {
            let mut it = part.split(';');
            let coding = it.next().unwrap_or("").trim();
            let refused = it.any(|p| {
                let p = p.trim();
                p.strip_prefix("q=").is_some_and(|q| q.trim().parse::<f32>().is_ok_and(|q| q == 0.0))
            });
            coding.eq_ignore_ascii_case(name) && !refused
        })
    };
    if accepts("br") {
        2
    } else if accepts("gzip") {
        1
    } else {
        0
    }
}

/// The epoch of a provisional page: never the current one, so its next request renders it again.
const PROVISIONAL: u64 = u64::MAX;
/// `Cache-Control` of a page CDNs must not keep (browsers revalidate every page anyway).
pub(super) const NOT_FOR_CDNS: HeaderValue = HeaderValue::from_static("public, max-age=0, s-maxage=0");

pub(super) fn respond(
    entry: &Entry,
    request: &HeaderMap,
    cache_control: &HeaderValue,
    head: bool,
    state: HeaderValue,
) -> Response {
    let which = encoding(request);
    let not_modified = match request.get(header::IF_NONE_MATCH).and_then(|v| v.to_str().ok()) {
        Some(tags) => tags
            .split(',')
            .map(|t| t.trim().trim_start_matches("W/"))
            // Only this encoding's ETag: a cache holding another encoding's copy gets this one.
            .any(|t| t == "*" || entry.etags[which].as_bytes() == t.as_bytes()),
        None => match (
            request.get(header::IF_MODIFIED_SINCE).and_then(|v| v.to_str().ok()),
            entry.headers.get(header::LAST_MODIFIED).and_then(|v| v.to_str().ok()),
        ) {
            (Some(since), Some(modified)) => since == modified,
            _ => false,
        },
    };
    let body = match (not_modified || head, which) {
        (true, _) => Body::empty(),
        (false, 2) => Body::from(entry.br.clone()),
        (false, 1) => Body::from(entry.gzip.clone()),
        (false, _) => Body::from(entry.identity.clone()),
    };
    let mut response = Response::new(body);
    if not_modified {
        *response.status_mut() = StatusCode::NOT_MODIFIED;
    }
    let h = response.headers_mut();
    for (name, value) in &entry.headers {
        if !(not_modified && name == header::CONTENT_TYPE) {
            h.insert(name.clone(), value.clone());
        }
    }
    h.insert(header::ETAG, entry.etags[which].clone());
    h.insert(header::VARY, HeaderValue::from_static("Accept-Encoding"));
    h.insert(
        header::CACHE_CONTROL,
        if entry.epoch == Some(PROVISIONAL) { NOT_FOR_CDNS } else { cache_control.clone() },
    );
    h.insert(HeaderName::from_static("surrogate-key"), entry.surrogate_key.clone());
    h.insert(HeaderName::from_static("x-cache"), state);
    if !not_modified {
        match which {
            2 => drop(h.insert(header::CONTENT_ENCODING, HeaderValue::from_static("br"))),
            1 => drop(h.insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"))),
            _ => {}
        }
        if head {
            let len = [&entry.identity, &entry.gzip, &entry.br][which].len();
            h.insert(header::CONTENT_LENGTH, HeaderValue::from(len));
        }
    }
    response
}

/// What an entry costs beyond its bytes: the entry itself, its `Arc`, its slot in the map, and
/// the allocator's headers of its dozen allocations.
const ENTRY_OVERHEAD: usize = 640;

/// Compresses a rendered page into an entry (on a blocking thread: brotli takes a few ms).
/// `key_len` is the length of the key it will be kept under, which its size counts.
pub(super) async fn make_entry(
    headers: HeaderMap,
    body: Bytes,
    tags: PageTags,
    epoch: u64,
    key_len: usize,
) -> Option<Entry> {
    tokio::task::spawn_blocking(move || {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::new(GZIP_LEVEL));
        gz.write_all(&body).ok()?;
        let gzip = gz.finish().ok()?;
        let mut br = Vec::new();
        {
            let params = brotli::enc::BrotliEncoderParams { quality: BROTLI_QUALITY as i32, ..Default::default() };
            brotli::BrotliCompress(&mut &body[..], &mut br, &params).ok()?;
        }
        let hash = courant_media::content_hash(&body);
        let etag = |suffix: &str| HeaderValue::from_str(&format!("\"{hash}{suffix}\"")).ok();
        let mut kept = HeaderMap::new();
        for (name, value) in &headers {
            let dropped = [
                header::ETAG,
                header::CONTENT_LENGTH,
                header::CONTENT_ENCODING,
                header::CACHE_CONTROL,
                header::VARY,
                header::DATE,
                header::TRANSFER_ENCODING,
            ];
            if !dropped.contains(name) {
                kept.insert(name.clone(), value.clone());
            }
        }
        // A provisional page is always of a past epoch, so its next request renders it again.
        let epoch = match (tags.provisional, tags.trending) {
            (true, _) => Some(PROVISIONAL),
            (false, true) => Some(epoch),
            (false, false) => None,
        };
        let (all_tags, cascade) = tags.flatten();
        let surrogate_key = surrogate_key(&all_tags)?;
        // Every byte the entry holds is counted against the budget: the three encodings, kept
        // in allocations of exactly their length (a growing Vec holds up to twice what it was
        // given, and `Bytes::from` keeps all of it), the key, the tags twice (and in the
        // `Surrogate-Key`), the headers, and what each allocation costs besides.
        let text = |list: &[String]| list.iter().map(|t| t.len() + 32).sum::<usize>();
        let headers_len: usize = kept.iter().map(|(n, v)| n.as_str().len() + v.len() + 64).sum();
        let etags = [etag("")?, etag("-gz")?, etag("-br")?];
        let size = body.len()
            + gzip.len()
            + br.len()
            + key_len * 2
            + text(&all_tags)
            + text(&cascade)
            + surrogate_key.len()
            + headers_len
            + etags.iter().map(HeaderValue::len).sum::<usize>()
            + ENTRY_OVERHEAD;
        Some(Entry {
            headers: kept,
            etags,
            identity: Bytes::copy_from_slice(&body),
            gzip: Bytes::copy_from_slice(&gzip),
            br: Bytes::copy_from_slice(&br),
            tags: all_tags,
            cascade,
            surrogate_key,
            epoch,
            size,
            last_used: AtomicU64::new(0),
        })
    })
    .await
    .ok()
    .flatten()
}

/// The `Surrogate-Key` of a page with these tags: they and [`crate::cdn::SITE_KEY`].
pub(super) fn surrogate_key(tags: &[String]) -> Option<HeaderValue> {
    HeaderValue::from_str(&format!("{} {}", tags.join(" "), crate::cdn::SITE_KEY)).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodings_follow_accept_encoding() {
        let with = |v: &str| {
            let mut h = HeaderMap::new();
            h.insert(header::ACCEPT_ENCODING, HeaderValue::from_str(v).expect("header"));
            encoding(&h)
        };
        assert_eq!(encoding(&HeaderMap::new()), 0);
        assert_eq!(with("gzip, deflate, br"), 2);
        assert_eq!(with("gzip"), 1);
        assert_eq!(with("br;q=0, gzip"), 1);
        assert_eq!(with("identity"), 0);
        assert_eq!(with("BR"), 2);
    }
}

//! A page's stored encodings: which one a request accepts (`Accept-Encoding`), the identity
//! copy of a rendered body and, once the page is read again, its gzip and brotli copies, each
//! with a strong ETag; and the answer from them (`304 Not Modified` when the request holds this
//! encoding's ETag).
//!
//! A page is compressed when it is read a second time, not when it is rendered: most pages of
//! an archive are read once (by a crawler, an old link), and compressing them cost more than
//! rendering them (bench/README.md, issue 18).

use super::PageTags;
use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode, header};
use axum::response::Response;
use std::io::Write;
use std::sync::atomic::{AtomicBool, AtomicU64};

/// gzip level: 6 costs a fifth of 9's time for 1-2% more bytes on our pages.
const GZIP_LEVEL: u32 = 6;
/// brotli quality: 6 is within 3% of 9's size at a quarter of its time on a 60 KB page.
const BROTLI_QUALITY: u32 = 6;

pub(super) struct Entry {
    /// Content type, last modified and the handler's own headers (CORS and the like).
    pub(super) headers: HeaderMap,
    pub(super) identity: Bytes,
    /// The strong ETag of the identity copy.
    pub(super) etag: HeaderValue,
    /// The gzip and brotli copies, once the page has been read again (see [`Entry::compressed`]).
    pub(super) compressed: Option<Compressed>,
    pub(super) tags: Vec<String>,
    /// The listing's own tags, for a listing page (see [`PageTags::listing`]).
    pub(super) cascade: Vec<String>,
    pub(super) surrogate_key: HeaderValue,
    /// The trending epoch it was rendered in, when it shows trending.
    pub(super) epoch: Option<u64>,
    /// Every byte it holds (see [`entry`]).
    pub(super) size: usize,
    pub(super) last_used: AtomicU64,
    /// Read again since it was kept: the cache keeps such pages over pages read once.
    pub(super) reused: AtomicBool,
}

/// A page's compressed copies, with their strong ETags (gzip, brotli).
pub(super) struct Compressed {
    gzip: Bytes,
    br: Bytes,
    etags: [HeaderValue; 2],
}

impl Entry {
    /// The same page with its gzip and brotli copies (on a blocking thread: brotli takes a few
    /// milliseconds). Read again from then on, it is kept over pages read once.
    pub(super) async fn compressed(self: &std::sync::Arc<Self>) -> Option<Entry> {
        let this = self.clone();
        tokio::task::spawn_blocking(move || {
            let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::new(GZIP_LEVEL));
            gz.write_all(&this.identity).ok()?;
            let gzip = gz.finish().ok()?;
            let mut br = Vec::new();
            let params = brotli::enc::BrotliEncoderParams { quality: BROTLI_QUALITY as i32, ..Default::default() };
            brotli::BrotliCompress(&mut &this.identity[..], &mut br, &params).ok()?;
            let hash = this.etag.to_str().ok()?.trim_matches('"');
            let etags = [etag(hash, "-gz")?, etag(hash, "-br")?];
            // Kept in allocations of exactly their length (a grown Vec holds up to twice what
            // it was given, and `Bytes::from` would keep all of it).
            let size = this.size + gzip.len() + br.len() + etags.iter().map(HeaderValue::len).sum::<usize>();
            Some(Entry {
                headers: this.headers.clone(),
                identity: this.identity.clone(),
                etag: this.etag.clone(),
                compressed: Some(Compressed {
                    gzip: Bytes::copy_from_slice(&gzip),
                    br: Bytes::copy_from_slice(&br),
                    etags,
                }),
                tags: this.tags.clone(),
                cascade: this.cascade.clone(),
                surrogate_key: this.surrogate_key.clone(),
                epoch: this.epoch,
                size,
                last_used: AtomicU64::new(this.last_used.load(std::sync::atomic::Ordering::Relaxed)),
                reused: AtomicBool::new(true),
            })
        })
        .await
        .ok()
        .flatten()
    }
}

/// A body's hash, for its strong ETag: 64 bits, eight bytes at a time in four lanes mixed by
/// folded 128-bit products (the byte-at-a-time FNV of [`courant_media::content_hash`] took 2%
/// of a cold page's CPU). The same bytes hash the same on every node.
pub(crate) fn body_hash(bytes: &[u8]) -> String {
    const K: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut lanes = [K, K.rotate_left(16), K.rotate_left(32), K.rotate_left(48)];
    let mut blocks = bytes.chunks_exact(32);
    for block in &mut blocks {
        for (lane, word) in lanes.iter_mut().zip(block.chunks_exact(8)) {
            let w = u64::from_le_bytes(word.try_into().unwrap_or_default());
            *lane = fold(*lane ^ w, K);
        }
    }
    let mut h = bytes.len() as u64;
    for lane in lanes {
        h = fold(h ^ lane, K);
    }
    for &b in blocks.remainder() {
        h = fold(h ^ u64::from(b), K);
    }
    format!("{h:016x}")
}

/// The high and low halves of a 128-bit product, folded: every bit of `a` reaches every bit.
fn fold(a: u64, b: u64) -> u64 {
    let product = u128::from(a) * u128::from(b);
    (product as u64) ^ ((product >> 64) as u64)
}

fn etag(hash: &str, suffix: &str) -> Option<HeaderValue> {
    HeaderValue::from_str(&format!("\"{hash}{suffix}\"")).ok()
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
    // A page read once has only its identity copy.
    let which = if entry.compressed.is_some() { encoding(request) } else { 0 };
    let etag = match (&entry.compressed, which) {
        (Some(c), 1 | 2) => &c.etags[which - 1],
        _ => &entry.etag,
    };
    let copy = match (&entry.compressed, which) {
        (Some(c), 2) => &c.br,
        (Some(c), 1) => &c.gzip,
        _ => &entry.identity,
    };
    let not_modified = match request.get(header::IF_NONE_MATCH).and_then(|v| v.to_str().ok()) {
        Some(tags) => tags
            .split(',')
            .map(|t| t.trim().trim_start_matches("W/"))
            // Only this encoding's ETag: a cache holding another encoding's copy gets this one.
            .any(|t| t == "*" || etag.as_bytes() == t.as_bytes()),
        None => match (
            request.get(header::IF_MODIFIED_SINCE).and_then(|v| v.to_str().ok()),
            entry.headers.get(header::LAST_MODIFIED).and_then(|v| v.to_str().ok()),
        ) {
            (Some(since), Some(modified)) => since == modified,
            _ => false,
        },
    };
    let body = if not_modified || head { Body::empty() } else { Body::from(copy.clone()) };
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
    h.insert(header::ETAG, etag.clone());
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
            h.insert(header::CONTENT_LENGTH, HeaderValue::from(copy.len()));
        }
    }
    response
}

/// What an entry costs beyond its bytes: the entry itself, its `Arc`, its slot in the map, and
/// the allocator's headers of its dozen allocations.
const ENTRY_OVERHEAD: usize = 640;

/// A rendered page as an entry, its identity copy only (see [`Entry::compressed`]). `hash` is
/// the body's [`body_hash`]; `key_len` the length of the key it will be kept
/// under, which its size counts.
pub(super) fn entry(
    headers: &HeaderMap,
    body: Bytes,
    hash: &str,
    tags: PageTags,
    epoch: u64,
    key_len: usize,
) -> Option<Entry> {
    let mut kept = HeaderMap::new();
    for (name, value) in headers {
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
    let etag = etag(hash, "")?;
    // Every byte the entry holds is counted against the budget: the body (in an allocation of
    // exactly its length: the response's may be larger), the key, the tags twice (and in the
    // `Surrogate-Key`), the headers, and what each allocation costs besides.
    let text = |list: &[String]| list.iter().map(|t| t.len() + 32).sum::<usize>();
    let headers_len: usize = kept.iter().map(|(n, v)| n.as_str().len() + v.len() + 64).sum();
    let size = body.len()
        + key_len * 2
        + text(&all_tags)
        + text(&cascade)
        + surrogate_key.len()
        + headers_len
        + etag.len()
        + ENTRY_OVERHEAD;
    Some(Entry {
        headers: kept,
        identity: Bytes::copy_from_slice(&body),
        etag,
        compressed: None,
        tags: all_tags,
        cascade,
        surrogate_key,
        epoch,
        size,
        last_used: AtomicU64::new(0),
        reused: AtomicBool::new(false),
    })
}

/// The `Surrogate-Key` of a page with these tags: they and [`crate::cdn::SITE_KEY`].
pub(super) fn surrogate_key(tags: &[String]) -> Option<HeaderValue> {
    HeaderValue::from_str(&format!("{} {}", tags.join(" "), crate::cdn::SITE_KEY)).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_body_hash_changes_with_any_bit_and_stays_for_the_same_bytes() {
        // Every length around the 32-byte blocks, every bit of every byte flipped.
        for len in [0usize, 1, 7, 8, 31, 32, 33, 64, 100] {
            let body: Vec<u8> = (0..len).map(|i| (i * 37 % 251) as u8).collect();
            let hash = body_hash(&body);
            assert_eq!(hash, body_hash(&body.clone()), "the same bytes, the same hash");
            assert_eq!(hash.len(), 16, "{hash}");
            let mut seen = std::collections::HashSet::from([hash]);
            for i in 0..len {
                for bit in 0..8 {
                    let mut changed = body.clone();
                    changed[i] ^= 1 << bit;
                    assert!(seen.insert(body_hash(&changed)), "length {len}: byte {i} bit {bit} collides");
                }
            }
        }
        let mut longer = b"<p>x</p>".to_vec();
        assert_ne!(
            body_hash(&longer),
            body_hash(&{
                longer.push(0);
                longer
            }),
            "a zero byte more differs"
        );
        // Nodes of a cluster, and a node before and after a restart, must agree on a page's
        // ETag: the function's output is fixed.
        assert_eq!(body_hash(b"<!doctype html><title>Courant</title>"), "eed2252f27dbe676");
    }

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

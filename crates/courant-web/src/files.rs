//! Where picture files live: a folder (the default; nodes share it as a network mount) or an
//! S3-compatible bucket (`[store.bucket]`), which every node reads and writes over HTTP. The
//! bucket is private: readers get pictures from the nodes, which keep them in memory
//! (`cache.media_mb`). Originals, kept aside and never served, go beside the served files: in
//! the folder's sibling `originals/`, or under `originals/` in the bucket.

use serde::{Deserialize, Serialize};
use std::io;
use std::path::PathBuf;
use time::OffsetDateTime;

/// An S3-compatible bucket, addressed path-style (`ENDPOINT/BUCKET/KEY`), as AWS S3, MinIO,
/// Ceph, Garage and Cloudflare R2 accept; requests signed with AWS Signature Version 4.
#[derive(Clone, Deserialize, Serialize, PartialEq, Default)]
#[serde(deny_unknown_fields, default)]
pub struct BucketSettings {
    /// e.g. "https://s3.eu-west-1.amazonaws.com"; plain http only to this machine.
    pub endpoint: String,
    /// The bucket's name.
    pub name: String,
    /// The region the signature names ("us-east-1" for most S3-compatible servers).
    pub region: String,
    pub access_key: String,
    /// Best given as `COURANT_STORE__BUCKET__SECRET_KEY`; never logged.
    pub secret_key: String,
}

impl std::fmt::Debug for BucketSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BucketSettings")
            .field("endpoint", &self.endpoint)
            .field("name", &self.name)
            .field("region", &self.region)
            .field("access_key", &self.access_key)
            .field("secret_key", &if self.secret_key.is_empty() { "" } else { "(set)" })
            .finish()
    }
}

impl BucketSettings {
    /// The first problem with these settings, as (key, what to do).
    pub fn problem(&self) -> Option<(&'static str, String)> {
        let loopback = ["http://127.", "http://localhost:", "http://localhost/", "http://[::1]"];
        if !(self.endpoint.starts_with("https://") || loopback.iter().any(|p| self.endpoint.starts_with(p))) {
            return Some((
                "store.bucket.endpoint",
                format!(
                    "expected an https:// address (plain http only to this machine, as the secret signs every request), found {:?}",
                    self.endpoint
                ),
            ));
        }
        let valid_name = (3..=63).contains(&self.name.len())
            && self.name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'.');
        if !valid_name {
            return Some((
                "store.bucket.name",
                format!("{:?} is not a bucket name (3-63 of a-z, 0-9, '-', '.')", self.name),
            ));
        }
        for (key, value) in [
            ("store.bucket.region", &self.region),
            ("store.bucket.access_key", &self.access_key),
            ("store.bucket.secret_key", &self.secret_key),
        ] {
            if value.trim().is_empty() {
                return Some((key, "is needed with a bucket".into()));
            }
        }
        None
    }
}

/// The home of picture files.
#[derive(Clone, Debug)]
pub enum MediaFiles {
    /// Served files in this folder, originals in its sibling `originals/`.
    Folder(PathBuf),
    Bucket(Bucket),
}

impl MediaFiles {
    /// A served file's bytes; None when there is no such file.
    pub async fn read(&self, name: &str) -> io::Result<Option<Vec<u8>>> {
        match self {
            MediaFiles::Folder(dir) => match tokio::fs::read(dir.join(name)).await {
                Ok(bytes) => Ok(Some(bytes)),
                Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
                Err(e) => Err(e),
            },
            MediaFiles::Bucket(b) => b.get(name).await,
        }
    }

    /// Stores a served file. A reader never sees half of it (a folder's file is written under
    /// another name and renamed; a bucket's object appears whole).
    pub async fn write(&self, name: &str, bytes: &[u8]) -> io::Result<()> {
        match self {
            MediaFiles::Folder(dir) => write_whole(dir.join(name), bytes).await,
            MediaFiles::Bucket(b) => b.put(name, bytes).await,
        }
    }

    /// Stores an original, which is kept and never served.
    pub async fn write_original(&self, name: &str, bytes: &[u8]) -> io::Result<()> {
        match self {
            MediaFiles::Folder(dir) => {
                let originals = dir.parent().map_or_else(|| dir.join("..originals"), |p| p.join("originals"));
                write_whole(originals.join(name), bytes).await
            }
            MediaFiles::Bucket(b) => b.put(&format!("originals/{name}"), bytes).await,
        }
    }

    /// A served file's size in bytes, when it exists.
    pub async fn size(&self, name: &str) -> Option<u64> {
        match self {
            MediaFiles::Folder(dir) => tokio::fs::metadata(dir.join(name)).await.ok().map(|m| m.len()),
            MediaFiles::Bucket(b) => b.head(name).await.ok().flatten(),
        }
    }
}

/// The newsroom writes uploaded pictures here.
impl courant_newsroom::PictureFiles for MediaFiles {
    fn write<'a>(&'a self, name: &'a str, bytes: &'a [u8]) -> courant_newsroom::BoxFuture<'a, io::Result<()>> {
        Box::pin(MediaFiles::write(self, name, bytes))
    }

    fn write_original<'a>(&'a self, name: &'a str, bytes: &'a [u8]) -> courant_newsroom::BoxFuture<'a, io::Result<()>> {
        Box::pin(MediaFiles::write_original(self, name, bytes))
    }
}

/// Writes a file whole or not at all: into a temporary file of its own, renamed over the name.
/// Files are named by their content, so one that exists already holds these bytes and is kept:
/// identical uploads at once share one file.
async fn write_whole(path: PathBuf, bytes: &[u8]) -> io::Result<()> {
    static WRITES: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    if tokio::fs::try_exists(&path).await? {
        return Ok(());
    }
    if let Some(parent) = path.parent() {
        tokio::fs::create_dir_all(parent).await?;
    }
    let n = WRITES.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(format!(".{}-{n}.tmp", std::process::id()));
    let temporary = path.with_file_name(name);
    if let Err(e) = tokio::fs::write(&temporary, bytes).await {
        let _ = tokio::fs::remove_file(&temporary).await;
        return Err(e);
    }
    tokio::fs::rename(&temporary, &path).await
}

/// An S3-compatible bucket.
#[derive(Clone)]
pub struct Bucket {
    settings: BucketSettings,
    client: reqwest::Client,
}

impl std::fmt::Debug for Bucket {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Bucket").field("settings", &self.settings).finish()
    }
}

/// SHA-256 of nothing: the payload hash of a GET or HEAD.
const EMPTY_SHA256: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

impl Bucket {
    pub fn new(settings: BucketSettings) -> io::Result<Bucket> {
        crate::webhooks::ensure_tls();
        let client = reqwest::Client::builder()
            .timeout(std::time::Duration::from_secs(30))
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(io::Error::other)?;
        Ok(Bucket { settings, client })
    }

    fn url(&self, key: &str) -> String {
        format!("{}{}", self.settings.endpoint.trim_end_matches('/'), self.path(key))
    }

    /// `/BUCKET/KEY`, each segment URI-encoded as SigV4 wants.
    fn path(&self, key: &str) -> String {
        let mut path = format!("/{}", self.settings.name);
        for segment in key.split('/') {
            path.push('/');
            path.push_str(&uri_encode(segment));
        }
        path
    }

    fn host(&self) -> String {
        let rest = self.settings.endpoint.split_once("://").map_or(self.settings.endpoint.as_str(), |(_, r)| r);
        rest.split('/').next().unwrap_or(rest).to_string()
    }

    fn request(&self, method: reqwest::Method, key: &str, payload_hash: &str) -> reqwest::RequestBuilder {
        let now = OffsetDateTime::now_utc();
        let (authorization, date) = sign(
            &self.settings,
            method.as_str(),
            &self.path(key),
            &[("host", &self.host()), ("x-amz-content-sha256", payload_hash)],
            payload_hash,
            now,
        );
        self.client
            .request(method, self.url(key))
            .header("x-amz-content-sha256", payload_hash)
            .header("x-amz-date", date)
            .header("authorization", authorization)
    }

    async fn get(&self, key: &str) -> io::Result<Option<Vec<u8>>> {
        let r = self.request(reqwest::Method::GET, key, EMPTY_SHA256).send().await.map_err(io::Error::other)?;
        match r.status().as_u16() {
            200 => Ok(Some(r.bytes().await.map_err(io::Error::other)?.to_vec())),
            404 => Ok(None),
            status => Err(refused("GET", key, status, r).await),
        }
    }

    async fn head(&self, key: &str) -> io::Result<Option<u64>> {
        let r = self.request(reqwest::Method::HEAD, key, EMPTY_SHA256).send().await.map_err(io::Error::other)?;
        match r.status().as_u16() {
            200 => Ok(r.headers().get("content-length").and_then(|v| v.to_str().ok()?.parse().ok())),
            404 => Ok(None),
            status => Err(refused("HEAD", key, status, r).await),
        }
    }

    async fn put(&self, key: &str, bytes: &[u8]) -> io::Result<()> {
        let hash = hex(ring::digest::digest(&ring::digest::SHA256, bytes).as_ref());
        let content_type = courant_media::content_type(key).unwrap_or("application/octet-stream");
        let r = self
            .request(reqwest::Method::PUT, key, &hash)
            .header("content-type", content_type)
            .body(bytes.to_vec())
            .send()
            .await
            .map_err(io::Error::other)?;
        match r.status().as_u16() {
            200 | 201 | 204 => Ok(()),
            status => Err(refused("PUT", key, status, r).await),
        }
    }
}

/// The bucket's refusal as an error: the status and the start of its message (no secrets: the
/// request's signature is not in it).
async fn refused(method: &str, key: &str, status: u16, r: reqwest::Response) -> io::Error {
    let body = r.text().await.unwrap_or_default();
    let code = body.split("<Code>").nth(1).and_then(|s| s.split("</Code>").next()).unwrap_or("");
    io::Error::other(format!("the bucket answered {method} {key} with {status} {code}"))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// URI-encodes a path segment the way SigV4 wants: every byte but A-Z a-z 0-9 - . _ ~.
fn uri_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn hmac(key: &[u8], data: &str) -> Vec<u8> {
    ring::hmac::sign(&ring::hmac::Key::new(ring::hmac::HMAC_SHA256, key), data.as_bytes()).as_ref().to_vec()
}

/// Signs a request without a query string (AWS Signature Version 4); returns the
/// `Authorization` header and the `x-amz-date` it signed. `headers` are the signed ones
/// besides `x-amz-date`, lower-case.
fn sign(
    settings: &BucketSettings,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    payload_hash: &str,
    now: OffsetDateTime,
) -> (String, String) {
    let now = now.to_offset(time::UtcOffset::UTC);
    let day = format!("{:04}{:02}{:02}", now.year(), u8::from(now.month()), now.day());
    let date = format!("{day}T{:02}{:02}{:02}Z", now.hour(), now.minute(), now.second());
    let mut signed: Vec<(String, String)> =
        headers.iter().map(|(k, v)| (k.to_ascii_lowercase(), v.trim().to_string())).collect();
    signed.push(("x-amz-date".into(), date.clone()));
    signed.sort();
    let canonical_headers: String = signed.iter().map(|(k, v)| format!("{k}:{v}\n")).collect();
    let signed_names = signed.iter().map(|(k, _)| k.as_str()).collect::<Vec<_>>().join(";");
    let canonical = format!("{method}\n{path}\n\n{canonical_headers}\n{signed_names}\n{payload_hash}");
    let scope = format!("{day}/{}/s3/aws4_request", settings.region);
    let to_sign = format!(
        "AWS4-HMAC-SHA256\n{date}\n{scope}\n{}",
        hex(ring::digest::digest(&ring::digest::SHA256, canonical.as_bytes()).as_ref())
    );
    let key = hmac(format!("AWS4{}", settings.secret_key).as_bytes(), &day);
    let key = hmac(&key, &settings.region);
    let key = hmac(&key, "s3");
    let key = hmac(&key, "aws4_request");
    let signature = hex(&hmac(&key, &to_sign));
    let authorization = format!(
        "AWS4-HMAC-SHA256 Credential={}/{scope},SignedHeaders={signed_names},Signature={signature}",
        settings.access_key
    );
    (authorization, date)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 160 identical uploads at once all land, in one file, and leave no temporary file behind.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn identical_writes_at_once_all_succeed() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let files = MediaFiles::Folder(dir.path().join("media"));
        let bytes: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
        let writes = (0..160).map(|_| {
            let (files, bytes) = (files.clone(), bytes.clone());
            tokio::spawn(async move { files.write("ab/abcdef.jpg", &bytes).await })
        });
        let mut failed = Vec::new();
        for w in writes.collect::<Vec<_>>() {
            if let Err(e) = w.await.expect("the task ran") {
                failed.push(e.to_string());
            }
        }
        assert!(failed.is_empty(), "{} of 160 identical writes failed: {:?}", failed.len(), failed.first());
        assert_eq!(files.read("ab/abcdef.jpg").await.expect("read").as_deref(), Some(bytes.as_slice()));
        let left: Vec<_> = std::fs::read_dir(dir.path().join("media/ab")).expect("list").collect();
        assert_eq!(left.len(), 1, "only the file itself is left: {left:?}");
    }

    /// The GET Object example of the SigV4 documentation for S3.
    #[test]
    fn signs_as_the_s3_documentation_does() {
        let settings = BucketSettings {
            endpoint: "https://examplebucket.s3.amazonaws.com".into(),
            name: "examplebucket".into(),
            region: "us-east-1".into(),
            access_key: "AKIAIOSFODNN7EXAMPLE".into(),
            secret_key: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY".into(),
        };
        let at = time::macros::datetime!(2013-05-24 00:00:00 UTC);
        let (authorization, date) = sign(
            &settings,
            "GET",
            "/test.txt",
            &[
                ("host", "examplebucket.s3.amazonaws.com"),
                ("range", "bytes=0-9"),
                ("x-amz-content-sha256", EMPTY_SHA256),
            ],
            EMPTY_SHA256,
            at,
        );
        assert_eq!(date, "20130524T000000Z");
        assert_eq!(
            authorization,
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,\
             SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,\
             Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"
        );
    }

    #[test]
    fn keys_are_encoded_segment_by_segment() {
        let bucket = Bucket::new(BucketSettings {
            endpoint: "http://127.0.0.1:9000/".into(),
            name: "news".into(),
            region: "us-east-1".into(),
            access_key: "a".into(),
            secret_key: "s".into(),
        })
        .expect("client");
        assert_eq!(bucket.url("3f/3fa9 c1.jpg"), "http://127.0.0.1:9000/news/3f/3fa9%20c1.jpg");
        assert_eq!(bucket.host(), "127.0.0.1:9000");
    }

    #[test]
    fn settings_are_checked_and_the_secret_never_shown() {
        let good = BucketSettings {
            endpoint: "https://s3.example".into(),
            name: "courant-media".into(),
            region: "eu-west-1".into(),
            access_key: "AKIA".into(),
            secret_key: "s3cret".into(),
        };
        assert_eq!(good.problem(), None);
        assert!(!format!("{good:?}").contains("s3cret"));
        let plain = BucketSettings { endpoint: "http://s3.example".into(), ..good.clone() };
        assert_eq!(plain.problem().map(|p| p.0), Some("store.bucket.endpoint"));
        let local = BucketSettings { endpoint: "http://127.0.0.1:9000".into(), ..good.clone() };
        assert_eq!(local.problem(), None, "plain http to this machine");
        let bad_name = BucketSettings { name: "Courant_Media".into(), ..good.clone() };
        assert_eq!(bad_name.problem().map(|p| p.0), Some("store.bucket.name"));
        let no_secret = BucketSettings { secret_key: String::new(), ..good };
        assert_eq!(no_secret.problem().map(|p| p.0), Some("store.bucket.secret_key"));
    }
}

//! Purging a CDN in front of Courant. Every public response names what it shows in its
//! `Surrogate-Key` header (`a:42 latest s:3 site`); when the page cache drops pages for a change,
//! the same keys go to the CDN's purge endpoint, so the CDN forgets exactly what this node
//! forgets. Without a purge endpoint CDNs keep pages for `cache.cdn_seconds` at most.
//!
//! The request is the one Fastly's API takes, and which a small proxy can translate for others:
//! `POST purge_url` with the keys space-separated in `Surrogate-Key` and as JSON,
//! `{"surrogate_keys": [...]}`, at most [`KEYS_PER_REQUEST`] keys per request. Keys are
//! gathered for a moment first, so a burst of changes makes one request.

use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::time::Duration;

/// The key every public response carries: purging it purges the whole site.
pub const SITE_KEY: &str = "site";
/// Fastly takes at most 256 keys in one purge.
pub const KEYS_PER_REQUEST: usize = 256;
/// How long keys are gathered before a purge is sent.
const GATHER: Duration = Duration::from_millis(50);
/// Waits before the second and third attempt; then the purge is given up (the CDN's copies
/// expire within `cache.cdn_seconds` anyway).
const RETRIES: [Duration; 2] = [Duration::from_secs(1), Duration::from_secs(5)];
const TIMEOUT: Duration = Duration::from_secs(10);

/// `[cdn]` in `courant.toml`.
#[derive(Clone, Deserialize, Serialize, PartialEq, Default)]
#[serde(deny_unknown_fields, default)]
pub struct CdnSettings {
    /// Where purges are POSTed, e.g. `https://api.fastly.com/service/SERVICE_ID/purge`. Empty:
    /// no CDN is purged.
    pub purge_url: String,
    /// The header that carries the CDN's API token, e.g. `Fastly-Key`.
    pub token_header: String,
    /// The token; set it with the environment variable `COURANT_CDN__TOKEN` to keep it out of
    /// files. Never logged.
    pub token: String,
}

impl std::fmt::Debug for CdnSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CdnSettings")
            .field("purge_url", &self.purge_url)
            .field("token_header", &self.token_header)
            .field("token", &if self.token.is_empty() { "" } else { "(set)" })
            .finish()
    }
}

impl CdnSettings {
    /// What is wrong with these settings, if anything: `(key, what to do)`.
    pub fn problem(&self) -> Option<(&'static str, String)> {
        if self.purge_url.is_empty() {
            return None;
        }
        if !(self.purge_url.starts_with("https://") || self.purge_url.starts_with("http://")) {
            return Some(("cdn.purge_url", format!("expected an http(s) address, found {:?}", self.purge_url)));
        }
        if !self.token.is_empty() && !self.purge_url.starts_with("https://") {
            return Some(("cdn.purge_url", "a token travels only over https: use an https:// address".into()));
        }
        if self.token_header.is_empty() != self.token.is_empty() {
            return Some(("cdn.token", "set both token_header and token (COURANT_CDN__TOKEN), or neither".into()));
        }
        if !self.token_header.is_empty()
            && reqwest::header::HeaderName::from_bytes(self.token_header.as_bytes()).is_err()
        {
            return Some(("cdn.token_header", format!("{:?} is not a header name", self.token_header)));
        }
        None
    }
}

/// Sends the keys the page cache purges to the CDN until the cache is dropped.
pub async fn run(settings: CdnSettings, mut purged: tokio::sync::mpsc::UnboundedReceiver<Vec<String>>) {
    if settings.purge_url.is_empty() {
        return;
    }
    crate::webhooks::ensure_tls();
    let client = match reqwest::Client::builder().timeout(TIMEOUT).redirect(reqwest::redirect::Policy::none()).build() {
        Ok(c) => c,
        Err(e) => {
            tracing::error!(error = %e, "CDN purging is off: no HTTP client");
            return;
        }
    };
    let token = (!settings.token.is_empty()).then_some(settings.token.as_str());
    while let Some(first) = purged.recv().await {
        let mut keys: BTreeSet<String> = first.into_iter().collect();
        tokio::time::sleep(GATHER).await;
        while let Ok(more) = purged.try_recv() {
            keys.extend(more);
        }
        // Purging the whole site makes every other key moot.
        if keys.contains(SITE_KEY) {
            keys = BTreeSet::from([SITE_KEY.to_string()]);
        }
        let keys: Vec<String> = keys.into_iter().collect();
        for batch in keys.chunks(KEYS_PER_REQUEST) {
            send(&client, &settings, token, batch).await;
        }
    }
}

/// One purge request, retried; failures are logged (without the token).
async fn send(client: &reqwest::Client, settings: &CdnSettings, token: Option<&str>, keys: &[String]) {
    let body = serde_json::json!({ "surrogate_keys": keys }).to_string();
    for attempt in 0..=RETRIES.len() {
        let mut request = client
            .post(&settings.purge_url)
            .header("Surrogate-Key", keys.join(" "))
            .header("Content-Type", "application/json")
            .body(body.clone());
        if let Some(token) = token {
            request = request.header(settings.token_header.as_str(), token);
        }
        let outcome = match request.send().await {
            Ok(r) if r.status().is_success() => Ok(()),
            Ok(r) => Err(format!("the CDN answered {}", r.status())),
            Err(e) => Err(format!("{e}")),
        };
        match outcome {
            Ok(()) => {
                tracing::debug!(keys = keys.len(), "CDN purged");
                return;
            }
            Err(error) if attempt < RETRIES.len() => {
                tracing::warn!(%error, keys = keys.len(), attempt = attempt + 1, "CDN purge failed; retrying");
                tokio::time::sleep(RETRIES[attempt]).await;
            }
            Err(error) => {
                tracing::error!(
                    %error,
                    keys = %keys.join(" "),
                    "CDN purge given up: the CDN may show these pages until they expire (cache.cdn_seconds)"
                );
            }
        }
    }
}

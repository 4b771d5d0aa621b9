//! Webhooks: receivers named in the configuration get a signed JSON POST when an article is
//! published, updated, corrected or unpublished.
//!
//! The dispatcher follows the store's change log (like the search index), queues one delivery
//! per event and receiver in the store, and sends them from a background task, so a slow or
//! failing receiver never slows publishing. Failed deliveries are retried with growing waits
//! and given up after the last; every attempt is kept in the delivery log
//! (`courant webhooks`). Each request carries `X-Courant-Signature: sha256=<hex>`, the
//! HMAC-SHA256 of the body with the receiver's secret.

use crate::AppState;
use courant_core::Status;
use serde::{Deserialize, Serialize};
use std::time::Duration;
use time::OffsetDateTime;

/// The cursor in the store that remembers the last change queued.
const CURSOR: &str = "webhooks";
/// Waits before the second, third, ... attempt; after the last, a delivery is given up.
const BACKOFF: [Duration; 5] = [
    Duration::from_secs(5),
    Duration::from_secs(30),
    Duration::from_secs(120),
    Duration::from_secs(600),
    Duration::from_secs(3600),
];
const TIMEOUT: Duration = Duration::from_secs(10);

/// One receiver.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Endpoint {
    /// Where to POST, `https://` (or `http://` for receivers on the same network).
    pub url: String,
    /// The shared secret for the signature; never logged.
    pub secret: String,
}

/// `[webhooks]` in `courant.toml`.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Default)]
#[serde(deny_unknown_fields, default)]
pub struct WebhookSettings {
    pub endpoints: Vec<Endpoint>,
    /// Waits between attempts, in seconds, overriding the defaults (5 s, 30 s, 2 min, 10 min,
    /// 1 h); the number of entries is the number of retries.
    pub retry_after_seconds: Option<Vec<u64>>,
}

impl WebhookSettings {
    fn backoff(&self) -> Vec<Duration> {
        match &self.retry_after_seconds {
            Some(secs) => secs.iter().map(|s| Duration::from_secs(*s)).collect(),
            None => BACKOFF.to_vec(),
        }
    }
}

/// The event a change announces, if it announces one. Corrections and updates are announced
/// for stories that have been public (judged by the story now: the change may have been
/// followed by others before the dispatcher reads it).
fn event_of(kind: &str, ever_published: bool) -> Option<&'static str> {
    match (kind, ever_published) {
        ("published", _) => Some("article.published"),
        ("unpublished", _) => Some("article.unpublished"),
        ("corrected", true) => Some("article.corrected"),
        ("updated", true) => Some("article.updated"),
        _ => None,
    }
}

/// The signature header's value for `body`.
pub fn signature(secret: &str, body: &[u8]) -> String {
    let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, secret.as_bytes());
    let tag = ring::hmac::sign(&key, body);
    let hex: String = tag.as_ref().iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256={hex}")
}

/// Queues deliveries for the changes logged since the last pass; returns how many were queued.
pub async fn queue(app: &AppState, settings: &WebhookSettings) -> Result<usize, courant_store::StoreError> {
    let mut after = app.store.cursor(CURSOR).await?;
    if after == 0 {
        // A new installation announces what happens from now on, not its whole history.
        after = app.store.last_change().await?;
        app.store.queue_deliveries(CURSOR, after, &[], OffsetDateTime::now_utc()).await?;
    }
    let mut queued = 0;
    for change in app.store.events_since(after, 500).await? {
        let article = app.store.article(change.article_id).await?;
        let mut deliveries = Vec::new();
        // Drafts, stories in review and scheduled ones are nobody's business outside.
        let ever_published =
            article.as_ref().is_some_and(|a| matches!(a.status, Status::Published | Status::Unpublished));
        if let (Some(event), Some(a)) = (event_of(&change.kind, ever_published), &article) {
            let payload = serde_json::json!({
                "event": event,
                "occurred_at": courant_render::clock::iso(OffsetDateTime::now_utc()),
                "article": {
                    "id": a.id.0,
                    "headline": a.headline,
                    "url": a.path().map(|p| app.renderer().absolute(&p)),
                    "api_url": app.renderer().absolute(&format!("/api/v1/articles/{}", a.id.0)),
                    "status": a.status.as_str(),
                    "published_at": a.published_at.map(courant_render::clock::iso),
                    "updated_at": courant_render::clock::iso(a.updated_at),
                },
            })
            .to_string();
            for endpoint in &settings.endpoints {
                deliveries.push(courant_store::NewDelivery {
                    url: endpoint.url.clone(),
                    event: event.to_string(),
                    article: a.id,
                    payload: payload.clone(),
                });
            }
        }
        queued += deliveries.len();
        app.store.queue_deliveries(CURSOR, change.seq, &deliveries, OffsetDateTime::now_utc()).await?;
    }
    Ok(queued)
}

/// Attempts the deliveries that are due; returns how many were attempted.
pub async fn deliver(
    app: &AppState,
    settings: &WebhookSettings,
    client: &reqwest::Client,
) -> Result<usize, courant_store::StoreError> {
    let now = OffsetDateTime::now_utc();
    let due = app.store.due_deliveries(now, 50).await?;
    let backoff = settings.backoff();
    for d in &due {
        let Some(endpoint) = settings.endpoints.iter().find(|e| e.url == d.url) else {
            app.store.record_attempt(d.id, Err("the receiver is no longer configured".into()), None, now).await?;
            continue;
        };
        let outcome = client
            .post(&d.url)
            .header("Content-Type", "application/json")
            .header("User-Agent", "Courant-Webhooks/1")
            .header("X-Courant-Event", &d.event)
            .header("X-Courant-Delivery", d.id.to_string())
            .header("X-Courant-Signature", signature(&endpoint.secret, d.payload.as_bytes()))
            .body(d.payload.clone())
            .send()
            .await
            .map_err(|e| format!("request failed: {e}"))
            .and_then(|r| if r.status().is_success() { Ok(()) } else { Err(format!("answered {}", r.status())) });
        let retry_at = backoff
            .get(d.attempts as usize)
            .map(|wait| OffsetDateTime::now_utc() + time::Duration::try_from(*wait).unwrap_or(time::Duration::HOUR));
        match &outcome {
            Ok(()) => tracing::info!(delivery = d.id, event = %d.event, url = %d.url, "webhook delivered"),
            Err(e) => tracing::warn!(delivery = d.id, event = %d.event, url = %d.url, error = %e,
                gives_up = retry_at.is_none(), "webhook delivery failed"),
        }
        app.store.record_attempt(d.id, outcome, retry_at, OffsetDateTime::now_utc()).await?;
    }
    Ok(due.len())
}

/// Installs the process's TLS implementation (ring), which every HTTP client needs before it is
/// built; harmless when already installed.
pub fn ensure_tls() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}

/// Queues and delivers for as long as the task runs (nothing to do without receivers).
pub async fn run(app: AppState, settings: WebhookSettings) {
    if settings.endpoints.is_empty() {
        return;
    }
    ensure_tls();
    let client = match reqwest::Client::builder().timeout(TIMEOUT).redirect(reqwest::redirect::Policy::none()).build() {
        Ok(c) => c,
        Err(e) => {
            tracing::error!(error = %e, "webhooks are off: no HTTP client");
            return;
        }
    };
    loop {
        let pass = async {
            queue(&app, &settings).await?;
            deliver(&app, &settings, &client).await
        };
        if let Err(e) = pass.await {
            tracing::warn!(error = %e, "webhooks could not reach the store; retrying");
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signature_is_hmac_sha256_in_hex() {
        // RFC 4231, test case 2.
        assert_eq!(
            signature("Jefe", b"what do ya want for nothing?"),
            "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn only_public_changes_are_announced() {
        assert_eq!(event_of("published", true), Some("article.published"));
        assert_eq!(event_of("unpublished", true), Some("article.unpublished"));
        assert_eq!(event_of("corrected", true), Some("article.corrected"));
        assert_eq!(event_of("updated", false), None, "a draft's changes are nobody's business");
        assert_eq!(event_of("created", false), None);
    }
}
